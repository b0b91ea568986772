/*
 * lab.c - 'mxsim lab make' and 'mxsim lab check': per-student variants of
 * a classroom lab and the answer keys that grade them (labs/README.md).
 *
 * A student's variant is a function of (lab folder name, student ID, salt)
 * only: their FNV-1a hash (rng_hash) seeds the sandbox in which lab.lua's
 * params are drawn.  The variant is the lab's scenario.lua with the drawn
 * values baked in as its params' defaults, so a student runs it with no
 * options; before writing it we load it and check that it declares the
 * same values as the lab's scenario run with -D.  The key comes from
 * running the variant in this process: its JSON Lines trace (docs/trace.md)
 * goes to memory and lab.lua's answer functions read it.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/lab.h"
#include "cli/sweep.h"
#include "core/bytes.h"
#include "core/err.h"
#include "core/rng.h"
#include "report/report.h"
#include "script/lab.h"
#include "script/scenario.h"
#include "world/world.h"

enum { LAB_OK = 0, LAB_WRONG = 1, LAB_USAGE = 2 };

struct lab_opts {
	const char *cmd;     /* make or check */
	const char *dir;     /* the lab folder as given */
	const char *student; /* --student ID */
	const char *out;     /* --out DIR */
	const char *salt;    /* --salt S */
	const char *answers; /* check: the answers file */
	bool key;            /* make --key */
	char path[1024];     /* the lab folder found */
	char name[256];      /* its base name, hashed */
	uint64_t seed;       /* the hash of (name, student, salt) */
};

static void
lab_usage(FILE *out)
{
	fprintf(out,
	    "usage: mxsim lab make LAB --student ID [--out DIR] [--key] "
	    "[--salt S]\n"
	    "       mxsim lab check LAB --student ID [--salt S] ANSWERS\n"
	    "\n"
	    "LAB is a lab folder (labs/03-failure-kinds) or its number's "
	    "prefix\n"
	    "(labs/03).  'make' writes the student's variant to DIR (default\n"
	    "./<lab>-<ID>): scenario.lua, and with --key the answer key "
	    "key.txt.\n"
	    "'check' runs the variant and marks ANSWERS ('N: value' lines):\n"
	    "exit 0 all right, 1 some wrong, 2 bad input.  The variant "
	    "depends\n"
	    "on the lab's folder name, the ID and the salt only "
	    "(labs/README.md).\n");
}

static int
lab_bad(const char *fmt, const char *arg)
{
	fprintf(stderr, "mxsim lab: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'mxsim lab --help'.\n");
	return LAB_USAGE;
}

static bool
lab_isdir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* 'labs/03' names the one folder 'labs/03-*'. */
static int
lab_find(struct lab_opts *o)
{
	char parent[1024], base[256];
	const char *slash;
	size_t n = strlen(o->dir), found = 0;
	DIR *d;
	struct dirent *e;

	while (n > 1 && o->dir[n - 1] == '/')
		n--;
	if (n >= sizeof(o->path))
		return lab_bad("'%s': path too long", o->dir);
	snprintf(o->path, sizeof(o->path), "%.*s", (int)n, o->dir);
	slash = strrchr(o->path, '/');
	snprintf(base, sizeof(base), "%.200s", slash ? slash + 1 : o->path);
	if (slash == NULL)
		snprintf(parent, sizeof(parent), ".");
	else
		snprintf(parent, sizeof(parent), "%.*s",
		    (int)(slash - o->path + (slash == o->path)), o->path);
	if (!lab_isdir(o->path)) {
		size_t bl = strlen(base);

		d = opendir(parent);
		if (d == NULL)
			return lab_bad("no lab folder '%s'", o->dir);
		while ((e = readdir(d)) != NULL) {
			if (strncmp(e->d_name, base, bl) != 0 ||
			    e->d_name[bl] != '-')
				continue;
			if (found++ == 0)
				snprintf(
				    o->name, sizeof(o->name), "%s", e->d_name);
		}
		closedir(d);
		if (found != 1)
			return lab_bad(found ? "'%s' names several lab folders"
			                     : "no lab folder '%s'",
			    o->dir);
		snprintf(base, sizeof(base), "%s", o->name);
		snprintf(
		    o->path, sizeof(o->path), "%.700s/%.200s", parent, base);
	}
	snprintf(o->name, sizeof(o->name), "%s", base);
	return 0;
}

/* The variant's seed: FNV-1a 64 of "mxsim-lab\n<lab>\n<ID>\n<salt>". */
static uint64_t
lab_seed(const struct lab_opts *o)
{
	size_t n = strlen(o->name) + strlen(o->student) +
	           strlen(o->salt ? o->salt : "") + 16;
	char *s = mx_xmalloc(n);
	uint64_t h;

	snprintf(s, n, "mxsim-lab\n%s\n%s\n%s", o->name, o->student,
	    o->salt ? o->salt : "");
	h = rng_hash(s);
	free(s);
	return h;
}

static int
lab_slurp(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0, got;
	char *b;

	if (f == NULL)
		return -1;
	b = mx_xmalloc(cap);
	while ((got = fread(b + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n + 1 == cap) {
			cap *= 2;
			b = realloc(b, cap);
			if (b == NULL)
				abort();
		}
	}
	b[n] = '\0';
	if (ferror(f)) {
		fclose(f);
		free(b);
		return -1;
	}
	fclose(f);
	*buf = b;
	*len = n;
	return 0;
}

/* Writes 'text' to 'path' through a temporary name. */
static int
lab_write(const char *path, const char *text)
{
	char tmp[1100];
	FILE *f;
	bool ok;

	snprintf(tmp, sizeof(tmp), "%s.part", path);
	f = fopen(tmp, "w");
	if (f == NULL) {
		fprintf(stderr, "mxsim lab: cannot write '%s': %s\n", path,
		    strerror(errno));
		return LAB_USAGE;
	}
	ok = fputs(text, f) >= 0;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		fprintf(stderr, "mxsim lab: cannot write '%s'\n", path);
		return LAB_USAGE;
	}
	return 0;
}

/* The -D texts of run 'run' (0: the variant; k: the lab's extra run
 * k - 1, lua/lab.lua's runs): the drawn values, an extra run's own
 * defines replacing a drawn value of the same name or added after.
 * Returns how many; '*out' and its strings are owned by the caller. */
static size_t
lab_defs(const struct mxl_lab *lab, size_t run, char ***out)
{
	const char *extra = run > 0 ? lab->rundefs[run - 1] : "";
	size_t cap = lab->nparams + strlen(extra) / 2 + 2, n = 0, i;
	char **v = mx_xcalloc(cap, sizeof(*v));
	char *copy = mx_xstrdup(extra), *line, *save = NULL;

	for (i = 0; i < lab->nparams; i++) {
		size_t len = strlen(lab->names[i]) + strlen(lab->values[i]) + 2;

		v[n] = mx_xmalloc(len);
		snprintf(v[n++], len, "%s=%s", lab->names[i], lab->values[i]);
	}
	for (line = strtok_r(copy, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		size_t klen = strcspn(line, "=") + 1;

		for (i = 0; i < lab->nparams; i++)
			if (strncmp(v[i], line, klen) == 0)
				break;
		if (i < lab->nparams) {
			free(v[i]);
			v[i] = mx_xstrdup(line);
		} else if (n + 1 < cap)
			v[n++] = mx_xstrdup(line);
	}
	free(copy);
	*out = v;
	return n;
}

static void
lab_defs_free(char **defs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(defs[i]);
	free(defs);
}

/* Loads the lab's scenario with 'defs' as -D (or, with 'buf', the baked
 * text and no -D); 'pp' gets the params back. */
static int
lab_load(const char *file, const char *buf, struct world *w,
    struct mxl_params *pp, char **defs, size_t ndefs)
{
	struct mxl_limits lim;
	struct mx_err err;
	int rc;

	mxl_limits_default(&lim);
	memset(pp, 0, sizeof(*pp));
	pp->defines = (const char *const *)defs;
	pp->ndefines = ndefs;
	lim.params = pp;
	mx_err_clear(&err);
	world_init(w);
	if (buf == NULL)
		rc = mxl_scenario_load(file, &lim, w, &err);
	else
		rc = mxl_scenario_load_buffer(
		    file, buf, strlen(buf), &lim, w, &err);
	if (rc != 0) {
		fprintf(stderr, "%s\n", err.msg);
		world_free(w);
		mxl_params_free(pp);
		return LAB_USAGE;
	}
	return 0;
}

/* --- packets ---------------------------------------------------------------
 *
 * A whole-network tap (the capture's default vantage point, so frame N
 * here is frame N in Wireshark) writes one "pkt" line per frame after the
 * trace: the answer functions read packets from the same run the capture
 * shows, not from constants.  Only what the labs ask about is decoded:
 * addresses, protocol, ports, TCP flags, ICMP type and code, and the
 * first bytes of a TCP payload (SMTP is text).
 */

struct lab_tap {
	FILE *out;      /* borrowed: the packets' JSON Lines */
	uint64_t frame; /* frames seen, = Wireshark's frame.number */
};

enum { LAB_PAYLOAD_MAX = 240 }; /* enough for an SMTP command or reply */

/* Writes the IP header's addresses; returns the transport offset or 0. */
static size_t
lab_pkt_ip(FILE *out, const uint8_t *d, size_t len, int *proto)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	uint16_t type;
	size_t off;

	if (len < 14 + 20)
		return 0;
	type = get_be16(d + 12);
	if (type == 0x0800 && (d[14] >> 4) == 4) {
		off = 14 + (size_t)(d[14] & 0x0f) * 4;
		*proto = d[14 + 9];
		inet_ntop(AF_INET, d + 14 + 12, a, sizeof(a));
		inet_ntop(AF_INET, d + 14 + 16, b, sizeof(b));
	} else if (type == 0x86dd && len >= 14 + 40) {
		/* Extension headers are never sent by the simulator. */
		off = 14 + 40;
		*proto = d[14 + 6];
		inet_ntop(AF_INET6, d + 14 + 8, a, sizeof(a));
		inet_ntop(AF_INET6, d + 14 + 24, b, sizeof(b));
	} else
		return 0;
	if (off > len)
		return 0;
	fprintf(out, ",\"src\":\"%s\",\"dst\":\"%s\"", a, b);
	return off;
}

/* The TCP payload's first bytes as a JSON string, control bytes kept
 * (json_str escapes them) so that "\r\n" ends a line as on the wire. */
static void
lab_pkt_payload(FILE *out, const uint8_t *p, size_t n)
{
	char buf[LAB_PAYLOAD_MAX + 1];
	size_t i;

	if (n > LAB_PAYLOAD_MAX)
		n = LAB_PAYLOAD_MAX;
	for (i = 0; i < n; i++)
		buf[i] = p[i] >= 0x80 || p[i] == 0 ? '?' : (char)p[i];
	buf[n] = '\0';
	fputs(",\"data\":", out);
	json_str(out, buf);
}

/* The UDP payload in hex, whole (DNS is binary: lua/lab.lua decodes it;
 * a DNS message over UDP is at most 1232 bytes here, the EDNS cap). */
static void
lab_pkt_hex(FILE *out, const uint8_t *p, size_t n)
{
	size_t i;

	fputs(",\"hex\":\"", out);
	for (i = 0; i < n; i++)
		fprintf(out, "%02x", p[i]);
	fputc('"', out);
}

static void
lab_pkt_l4(FILE *out, int proto, const uint8_t *p, size_t n)
{
	static const char flag[] = "FSRPAU";
	char fl[8];
	size_t i, k = 0, hl;

	if ((proto == 1 || proto == 58) && n >= 4) {
		fprintf(out,
		    ",\"proto\":\"%s\",\"icmp_type\":%u,\"icmp_code\":%u",
		    proto == 1 ? "icmp" : "icmpv6", p[0], p[1]);
	} else if (proto == 17 && n >= 8) {
		fprintf(out, ",\"proto\":\"udp\",\"sport\":%u,\"dport\":%u",
		    get_be16(p), get_be16(p + 2));
		lab_pkt_hex(out, p + 8, n - 8);
	} else if (proto == 6 && n >= 20) {
		for (i = 0; i < 6; i++)
			if (p[13] & (1u << i))
				fl[k++] = flag[i];
		fl[k] = '\0';
		fprintf(out,
		    ",\"proto\":\"tcp\",\"sport\":%u,\"dport\":%u,"
		    "\"flags\":\"%s\"",
		    get_be16(p), get_be16(p + 2), fl);
		hl = (size_t)(p[12] >> 4) * 4;
		if (hl >= 20 && hl < n)
			lab_pkt_payload(out, p + hl, n - hl);
	}
}

static uint64_t
lab_tap_frame(void *ctx, const struct net_frame *f)
{
	struct lab_tap *tap = ctx;
	size_t off;
	int proto = -1;

	tap->frame++;
	fprintf(tap->out,
	    "{\"t\":%lld,\"type\":\"pkt\",\"frame\":%llu,\"len\":%zu",
	    (long long)f->t, (unsigned long long)tap->frame, f->len);
	off = lab_pkt_ip(tap->out, f->data, f->len, &proto);
	if (off > 0)
		lab_pkt_l4(tap->out, proto, f->data + off, f->len - off);
	fputs("}\n", tap->out);
	return tap->frame;
}

static const struct net_tap_ops lab_tap_ops = {
    .frame = lab_tap_frame,
};

/* Runs the world; '*jsonl' gets its trace, then a "pkt" line per frame. */
static int
lab_run(const struct world *w, char **jsonl, size_t *len)
{
	struct world_run run;
	struct jsonl jl;
	struct lab_tap tap;
	struct expect_result *res;
	struct mx_err err;
	char *pkts = NULL;
	size_t nfail, npkts = 0;
	FILE *f, *pf;

	mx_err_clear(&err);
	if (world_run_init(&run, w, w->seed, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		world_run_fini(&run);
		return LAB_USAGE;
	}
	f = open_memstream(jsonl, len);
	pf = open_memstream(&pkts, &npkts);
	if (f == NULL || pf == NULL)
		abort();
	jsonl_init(&jl, f, w, w->seed);
	if (trace_subscribe(sim_trace(&run.sim), jsonl_trace, &jl) != 0)
		abort();
	tap.out = pf;
	tap.frame = 0;
	if (net_tap_add(&run.net, NULL, &lab_tap_ops, &tap) != 0)
		abort();
	world_run_go(&run);
	res = mx_xcalloc(w->nexpects + 1, sizeof(*res));
	nfail = report_check(&run, res);
	jsonl_finish(&jl, w->stop_at, (int)(w->nexpects - nfail), (int)nfail);
	if (fclose(pf) != 0 || fwrite(pkts, 1, npkts, f) != npkts)
		abort();
	free(pkts);
	if (fclose(f) != 0 || jl.failed)
		abort();
	if (nfail > 0)
		fprintf(stderr,
		    "mxsim lab: warning: %zu of the scenario's expectations "
		    "failed in this variant\n",
		    nfail);
	free(res);
	world_run_fini(&run);
	return 0;
}

/* Runs run 'run' of the variant (lab_defs) and appends its trace and
 * packets to 'out'; an extra run starts with a {"run":"NAME"} line. */
static int
lab_run_one(struct mxl_lab *lab, const char *scen, size_t run, FILE *out)
{
	struct world w;
	struct mxl_params pp;
	char **defs, *jsonl = NULL;
	size_t ndefs = lab_defs(lab, run, &defs), len = 0;
	int rc;

	rc = lab_load(scen, NULL, &w, &pp, defs, ndefs);
	if (rc == 0) {
		rc = lab_run(&w, &jsonl, &len);
		world_free(&w);
		mxl_params_free(&pp);
	}
	lab_defs_free(defs, ndefs);
	if (rc == 0 && run > 0)
		fprintf(out, "{\"run\":\"%s\"}\n", lab->runs[run - 1]);
	if (rc == 0 && fwrite(jsonl, 1, len, out) != len)
		abort();
	free(jsonl);
	return rc;
}

/* --- the lab's sweep --------------------------------------------------------
 *
 * A lab may ask about a distribution (lab { sweep = { ... } }): the key
 * then runs 'mxsim sweep' on the student's variant, exactly as the handout
 * has the student do it (the baked scenario.lua, the same options: so the
 * same seeds and the same CSV), in a scratch folder, and hands its CSV to
 * the answer functions as one {"type":"sweep.csv"} line.  The variant must
 * not include other files (it is run from the scratch folder).
 */

static void
lab_scratch_rm(const char *dir, const char *scen, const char *csv)
{
	unlink(scen);
	unlink(csv);
	rmdir(dir);
}

/* Runs the sweep on 'baked' in 'dir'; '*csv' gets the CSV's text. */
static int
lab_sweep_run(
    const struct mxl_lab *lab, const char *dir, const char *baked, char **csv)
{
	char scen[1200], out[1200];
	char **argv;
	size_t i, argc = 0, len;
	int rc;

	snprintf(scen, sizeof(scen), "%s/scenario.lua", dir);
	snprintf(out, sizeof(out), "%s/sweep.csv", dir);
	if ((rc = lab_write(scen, baked)) != 0)
		return rc;
	argv = mx_xcalloc(lab->nsweep + 9, sizeof(*argv));
	argv[argc++] = mx_xstrdup("sweep");
	argv[argc++] = mx_xstrdup(scen);
	for (i = 0; i < lab->nsweep; i++)
		argv[argc++] = mx_xstrdup(lab->sweep[i]);
	/* The outcomes do not depend on --jobs (docs/sweep.md). */
	argv[argc++] = mx_xstrdup("--jobs");
	argv[argc++] = mx_xstrdup("2");
	argv[argc++] = mx_xstrdup("--quiet");
	argv[argc++] = mx_xstrdup("--csv");
	argv[argc++] = mx_xstrdup(out);
	rc = sweep_main((int)argc, argv);
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
	if (rc != 0) {
		fprintf(stderr, "mxsim lab: the lab's sweep failed\n");
		lab_scratch_rm(dir, scen, out);
		return LAB_USAGE;
	}
	rc = lab_slurp(out, csv, &len) == 0 ? 0 : LAB_USAGE;
	if (rc != 0)
		fprintf(stderr, "mxsim lab: cannot read '%s'\n", out);
	lab_scratch_rm(dir, scen, out);
	return rc;
}

/* Appends the lab's sweep of the variant, if it has one, to 'f'. */
static int
lab_sweep(struct mxl_lab *lab, const struct lab_opts *o, FILE *f)
{
	char scen[1300], dir[1100];
	const char *tmp = getenv("TMPDIR");
	char *text, *baked = NULL, *csv = NULL;
	struct mx_err err;
	size_t len;
	int rc;

	if (lab->nsweep == 0)
		return 0;
	snprintf(scen, sizeof(scen), "%s/%s", o->path, lab->scenario);
	if (lab_slurp(scen, &text, &len) != 0)
		return lab_bad("cannot read '%s'", scen);
	mx_err_clear(&err);
	rc = mxl_lab_bake(
	    lab, text, "-- mxsim lab: the key's sweep\n", &baked, &err);
	free(text);
	if (rc != 0) {
		fprintf(stderr, "%s\n", err.msg);
		return LAB_USAGE;
	}
	snprintf(dir, sizeof(dir), "%s/mxsim-lab-XXXXXX",
	    tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		free(baked);
		return lab_bad("cannot create a scratch folder in '%s'",
		    tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	}
	rc = lab_sweep_run(lab, dir, baked, &csv);
	free(baked);
	if (rc == 0) {
		fputs("{\"type\":\"sweep.csv\",\"text\":", f);
		json_str(f, csv);
		fputs("}\n", f);
	}
	free(csv);
	return rc;
}

/* The variant's key: run it (and the lab's extra runs, and its sweep),
 * evaluate the questions. */
static int
lab_key(struct mxl_lab *lab, const struct lab_opts *o, char **key)
{
	char scen[1300], header[1024];
	struct mx_err err;
	char *jsonl = NULL;
	size_t len = 0, run;
	FILE *f = open_memstream(&jsonl, &len);
	int rc = 0;

	if (f == NULL)
		abort();
	snprintf(scen, sizeof(scen), "%s/%s", o->path, lab->scenario);
	for (run = 0; rc == 0 && run <= lab->nruns; run++)
		rc = lab_run_one(lab, scen, run, f);
	if (rc == 0)
		rc = lab_sweep(lab, o, f);
	if (fclose(f) != 0)
		abort();
	if (rc != 0) {
		free(jsonl);
		return rc;
	}
	snprintf(header, sizeof(header),
	    "# answer key: %s (%s), student %s\n"
	    "# '# run' lines: name, -D options; '# capture' lines: question,\n"
	    "# take, field, display filter, run (tests/cli/labs.sh)",
	    o->name, lab->title, o->student);
	mx_err_clear(&err);
	rc = mxl_lab_key(lab, jsonl, len, header, key, &err);
	free(jsonl);
	if (rc != 0) {
		fprintf(stderr, "%s\n", err.msg);
		return LAB_USAGE;
	}
	return 0;
}

/* The baked variant must declare what -D gives the lab's scenario. */
static int
lab_verify(struct mxl_lab *lab, const struct lab_opts *o, const char *text,
    const char *file)
{
	char scen[1300];
	struct world w1, w2;
	struct mxl_params p1, p2;
	char **defs;
	size_t i, ndefs = lab_defs(lab, 0, &defs);
	int rc;

	snprintf(scen, sizeof(scen), "%s/%s", o->path, lab->scenario);
	rc = lab_load(scen, NULL, &w1, &p1, defs, ndefs);
	lab_defs_free(defs, ndefs);
	if (rc != 0)
		return rc;
	if ((rc = lab_load(file, text, &w2, &p2, NULL, 0)) != 0) {
		world_free(&w1);
		mxl_params_free(&p1);
		return rc;
	}
	if (p1.n != p2.n)
		rc = LAB_USAGE;
	for (i = 0; rc == 0 && i < p1.n; i++)
		if (strcmp(p1.list[i].value, p2.list[i].value) != 0 ||
		    p2.list[i].overridden)
			rc = LAB_USAGE;
	if (rc != 0)
		fprintf(stderr,
		    "mxsim lab: %s: the baked variant does not declare the "
		    "drawn values (write each param on one line)\n",
		    scen);
	world_free(&w1);
	world_free(&w2);
	mxl_params_free(&p1);
	mxl_params_free(&p2);
	return rc;
}

/* mkdir -p: a student's "--out work/lab03" needs no "work" first. */
static int
lab_mkdirs(char *dir)
{
	char *p;

	for (p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

static int
lab_make(struct mxl_lab *lab, const struct lab_opts *o)
{
	char dir[1100], scen[1300], file[1200], header[2048];
	char *text, *baked = NULL, *key = NULL;
	size_t len, off, i;
	struct mx_err err;
	int rc;

	if (o->out != NULL)
		snprintf(dir, sizeof(dir), "%s", o->out);
	else
		snprintf(dir, sizeof(dir), "%s-%s", o->name, o->student);
	if (lab_mkdirs(dir) != 0)
		return lab_bad("cannot create '%s'", dir);
	snprintf(scen, sizeof(scen), "%s/%s", o->path, lab->scenario);
	if (lab_slurp(scen, &text, &len) != 0)
		return lab_bad("cannot read '%s'", scen);
	off = (size_t)snprintf(header, sizeof(header),
	    "-- Lab %s, variant of student %s (mxsim lab make; seed %016llx).\n"
	    "-- The params below carry this student's values:\n",
	    o->name, o->student, (unsigned long long)o->seed);
	for (i = 0; i < lab->nparams && off < sizeof(header); i++)
		off += (size_t)snprintf(header + off, sizeof(header) - off,
		    "--   %s = %s\n", lab->names[i], lab->values[i]);
	if (off >= sizeof(header))
		abort();
	mx_err_clear(&err);
	rc = mxl_lab_bake(lab, text, header, &baked, &err);
	free(text);
	if (rc != 0) {
		fprintf(stderr, "%s\n", err.msg);
		return LAB_USAGE;
	}
	snprintf(file, sizeof(file), "%s/scenario.lua", dir);
	rc = lab_verify(lab, o, baked, file);
	if (rc == 0)
		rc = lab_write(file, baked);
	if (rc == 0 && o->key && (rc = lab_key(lab, o, &key)) == 0) {
		snprintf(file, sizeof(file), "%s/key.txt", dir);
		rc = lab_write(file, key);
	}
	if (rc == 0)
		printf("%s: lab %s, student %s%s\n", dir, o->name, o->student,
		    o->key ? ", with key.txt" : "");
	free(baked);
	free(key);
	return rc;
}

static int
lab_check(struct mxl_lab *lab, const struct lab_opts *o)
{
	char *answers, *key = NULL, *report = NULL;
	size_t len, wrong = 0;
	struct mx_err err;
	int rc;

	if (lab_slurp(o->answers, &answers, &len) != 0)
		return lab_bad("cannot read answers '%s'", o->answers);
	if ((rc = lab_key(lab, o, &key)) != 0) {
		free(answers);
		return rc;
	}
	mx_err_clear(&err);
	rc = mxl_lab_mark(lab, answers, len, &report, &wrong, &err);
	free(answers);
	free(key);
	if (rc != 0) {
		fprintf(stderr, "%s: %s\n", o->answers, err.msg);
		return LAB_USAGE;
	}
	printf("lab %s, student %s\n%s", o->name, o->student, report);
	free(report);
	return wrong > 0 ? LAB_WRONG : LAB_OK;
}

static int
lab_args(int argc, char **argv, struct lab_opts *o)
{
	static const struct option opts[] = {
	    {"student", required_argument, NULL, 's'},
	    {"out", required_argument, NULL, 'o'},
	    {"salt", required_argument, NULL, 'S'},
	    {"key", no_argument, NULL, 'k'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "s:o:S:kh", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			o->student = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'S':
			o->salt = optarg;
			break;
		case 'k':
			o->key = true;
			break;
		case 'h':
			lab_usage(stdout);
			return -1;
		default:
			fprintf(stderr, "Try 'mxsim lab --help'.\n");
			return LAB_USAGE;
		}
	}
	if (o->student == NULL || o->student[0] == '\0')
		return lab_bad("%s", "--student ID is required");
	if (strcmp(o->cmd, "make") == 0) {
		if (optind != argc - 1)
			return lab_bad(
			    "%s", "make needs exactly one lab folder");
		o->dir = argv[optind];
		return 0;
	}
	if (o->out != NULL || o->key)
		return lab_bad("%s", "check takes no --out or --key");
	if (optind != argc - 2)
		return lab_bad("%s", "check needs a lab folder and an answers "
		                     "file");
	o->dir = argv[optind];
	o->answers = argv[optind + 1];
	return 0;
}

int
lab_main(int argc, char **argv)
{
	struct lab_opts o;
	struct mxl_lab lab;
	struct mx_err err;
	char file[1200];
	int rc;

	memset(&o, 0, sizeof(o));
	if (argc < 2)
		return lab_bad("%s", "missing command: make or check");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		lab_usage(stdout);
		return LAB_OK;
	}
	o.cmd = argv[1];
	if (strcmp(o.cmd, "make") != 0 && strcmp(o.cmd, "check") != 0)
		return lab_bad("unknown command '%s' (make or check)", o.cmd);
	argv[1] = "mxsim lab";
	if ((rc = lab_args(argc - 1, argv + 1, &o)) != 0)
		return rc < 0 ? LAB_OK : rc;
	if ((rc = lab_find(&o)) != 0)
		return rc;
	o.seed = lab_seed(&o);
	snprintf(file, sizeof(file), "%s/lab.lua", o.path);
	mx_err_clear(&err);
	if (mxl_lab_open(&lab, file, o.seed, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		return LAB_USAGE;
	}
	if (strcmp(o.cmd, "make") == 0)
		rc = lab_make(&lab, &o);
	else
		rc = lab_check(&lab, &o);
	mxl_lab_close(&lab);
	return rc;
}

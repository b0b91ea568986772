/*
 * dnsrec.c - the DNS workloads of mxbench: a big zone loaded from a master
 * file and queried (zoneload), and the whole simulator resolving through
 * a recursive resolver (dnsrec).  Each run prints one RESULT line, as the
 * other workloads do (bench.c's header comment), and checks every answer
 * it times: exit status 1 when one is wrong.
 *
 * zoneload writes a master file of N records under example.test (apex
 * SOA, NS and the server's address first, three more records) to --out,
 * then times zone_load_file(), which parses it with ldns, adds each record
 * and ends with zone_finish() (the CNAME rule of RFC 1034 §3.6.2), and,
 * separately, a second zone_finish() alone.  Records come in groups of
 * ten, group g holding (k = g mod 100)
 *
 *     a<g>.s<k>  A 192.0.2.x, AAAA 2001:db8::g
 *     b<g>       A 198.51.100.x, A 203.0.113.x, AAAA 2001:db8:1::g
 *     m<g>       MX 10 a<g>.s<k>, MX 20 b<g>
 *     c<g>       CNAME b<g>
 *     t<g>       TXT "v=spf1 -all", TXT "g=<g>"
 *
 * so s<k> are empty non-terminals (RFC 8020).  Then M questions, over
 * groups drawn uniformly, each of eight kinds in turn: A at a<g>.s<k>, MX
 * at m<g> (5 addresses in the additional section), A at c<g> (CNAME and
 * two A), TXT, AAAA at b<g>, MX at a<g>.s<k> (NODATA), A at s<k> (NODATA
 * at an empty non-terminal) and A at x<g>.s<k> (NXDOMAIN); one group of
 * eight questions in four is asked in upper case (RFC 4343).  Each is
 * answered by zone_answer() into a response whose counts are reset (not
 * the whole 150 kB dns_msg_init(), which is the server's cost, not the
 * lookup's) and checked: RCODE, section counts and the first record's
 * data.  Timed: loading (records_per_s) and the questions (queries_per_s).
 *
 * dnsrec is the recursive resolver role end to end, as sim/world/world.c
 * builds it: five hosts around one router (links of 1 ms, 100 Mbit/s):
 *
 *     client 192.0.2.1       a stub resolver (resolv.h, glibc's timing)
 *     rec    192.0.2.53      dnssrv_new() with a recursor, root hints
 *     root   203.0.113.1     the root zone: test. NS ns.test + glue
 *     tld    203.0.113.2     test.: example NS ns.example + glue
 *     auth   198.51.100.53   example.test, with N names
 *
 * Name j of the N is, by j mod 8: h<j> (A 192.0.2.x and AAAA 2001:db8::j;
 * asked AAAA, or A when j mod 8 = 1, or MX when 5: NODATA), c<j> (CNAME
 * h<j-1>, asked A: the auth server follows it, RFC 1034 §4.3.2), or x<j>
 * (absent: NXDOMAIN) when j mod 8 = 7.  From t = 0.1 s the client asks Q
 * questions, one every --interval; with probability P a question repeats
 * one asked before (drawn uniformly among them), otherwise it asks the
 * next name not asked yet, in a random order (once all N have been asked,
 * every question repeats).  The question sequence is drawn before the
 * clock starts, from our rng.  Each answer is checked (status, records,
 * addresses) and must come exactly once.  When the run ends before the
 * zone's TTL (--ttl, also the SOA MINIMUM: nothing expires), a question
 * whose name the client has had an answer for must be a cache hit (the
 * resolver caches before it answers), so the auth server must have been
 * asked at least once per distinct name and at most once more per
 * 'overlap' (a repeat asked while an earlier question for its name was
 * still unanswered: a resolver without query coalescing asks again), and
 * the root and tld servers at least once and at most once per question
 * asked before the first answer came ('early').  Timed: the run, from
 * the first question to the last answer; building the zones and the
 * network is reported apart (setup_s).  'pkts' counts the frames put on
 * links (each hop counts: client to router to resolver is two), and
 * 'digest' is an FNV-1a of every answer the client got (status, owners,
 * types, TTLs as the cache counted them down, addresses): with 'events',
 * 'pkts', 'cache_entries' and 'auth_queries' it tells whether two builds
 * of the simulator behave the same (docs/performance.md).
 *
 * Wall-clock time is read here and in bench.c only.
 */
#include "dnsrec.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/dur.h"
#include "core/err.h"
#include "core/rng.h"
#include "core/sim.h"
#include "core/simtime.h"
#include "dns/dnssrv.h"
#include "dns/recursor.h"
#include "dns/resolv.h"
#include "dns/zone.h"
#include "dns/zonefile.h"
#include "net/net.h"

enum {
	ZL_GROUP = 10, /* records per group */
	ZL_SUBS = 100, /* empty non-terminals s0 ... s99 */
	ZL_KINDS = 8,  /* kinds of questions, asked in turn */
	NAME_LEN = 64, /* a question's name, with NUL */
};

static const char bench_origin[] = "example.test";
static const char default_out[] = "/tmp";
static const uint64_t zl_default_records = 100000;
/* zone_load_file() reads at most 16 MiB; a record is under 40 bytes. */
static const uint64_t zl_max_records = 400000;
static const uint64_t zl_default_queries = 200000;
static const uint64_t zl_max_queries = 100000000;
static const uint64_t zl_seed = 1;

static const uint64_t dr_default_names = 10000;
static const uint64_t dr_max_names = 1000000;
static const uint64_t dr_default_queries = 100000;
static const uint64_t dr_max_queries = 100000000;
static const uint64_t dr_default_repeat = 50; /* percent */
static const sim_time_t dr_default_interval = SIM_MS(1);
static const sim_time_t dr_max_interval = SIM_S(10);
static const uint64_t dr_default_ttl = 3600;
static const uint64_t dr_max_ttl = 86400; /* recursor max_ttl */
static const sim_time_t dr_start = SIM_MS(100);
static const uint64_t dr_seed = 1;

/* The sizes 'all' runs. */
static const uint64_t all_records[] = {1000, 10000, 100000};
static const uint64_t all_names[] = {1000, 10000, 100000};

/* ------------------------------------------------------------------ */
/* Shared                                                               */

/* Upper-cases the ASCII letters of 's' (RFC 4343: the same name). */
static void
upcase(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
}

static void
v4_of(uint64_t j, uint8_t net, uint8_t out[4])
{
	static const uint8_t nets[3][3] = {
	    {192, 0, 2}, {198, 51, 100}, {203, 0, 113}};

	memcpy(out, nets[net], 3);
	out[3] = (uint8_t)(j % 254 + 1);
}

/* 2001:db8:<sub>::<j as two 16-bit groups> */
static void
v6_of(uint64_t j, uint8_t sub, uint8_t out[16])
{
	memset(out, 0, 16);
	out[0] = 0x20;
	out[1] = 0x01;
	out[2] = 0x0d;
	out[3] = 0xb8;
	out[5] = sub;
	out[12] = (uint8_t)(j >> 24);
	out[13] = (uint8_t)(j >> 16);
	out[14] = (uint8_t)(j >> 8);
	out[15] = (uint8_t)j;
}

static int
parse_dur(const char *prog, const char *opt, const char *s, sim_time_t max,
    sim_time_t *out)
{
	char why[128];
	sim_time_t v;

	if (!dur_parse(s, &v, why, sizeof(why))) {
		fprintf(stderr, "%s: --%s: %s\n", prog, opt, why);
		return -1;
	}
	if (v <= 0 || v > max) {
		fprintf(stderr,
		    "%s: --%s: '%s' is not between 1ns and %" PRId64 "s\n",
		    prog, opt, s, (int64_t)(max / SIM_S(1)));
		return -1;
	}
	*out = v;
	return 0;
}

/* A percentage, a whole number from 0 to 100. */
static int
parse_percent(const char *prog, const char *name, const char *s, uint64_t *out)
{
	char *end = NULL;
	unsigned long v = 101;

	errno = 0;
	if (*s >= '0' && *s <= '9')
		v = strtoul(s, &end, 10);
	if (errno != 0 || v > 100 || *end != '\0') {
		fprintf(stderr,
		    "%s: --%s: '%s' is not an integer in [0, 100]\n", prog,
		    name, s);
		return -1;
	}
	*out = v;
	return 0;
}

/* ------------------------------------------------------------------ */
/* zoneload: a master file of N records, loaded and queried             */

struct zl_opts {
	uint64_t records; /* N */
	uint64_t queries; /* M */
	const char *out;  /* directory for the master file */
	bool keep;        /* keep it */
};

/* One question and what its answer must hold. */
struct zl_query {
	char name[NAME_LEN]; /* QNAME */
	uint16_t qtype;      /* QTYPE */
	uint8_t rcode;       /* expected RCODE */
	uint8_t nan, nns;    /* expected answer and authority counts */
	uint8_t nar;         /* expected additional count */
	uint16_t type0;      /* type of the first answer, 0 if none */
	uint8_t rd0[16];     /* its address (A, AAAA) */
};

/* Writes group g's records (only the first 'n' of the ten). */
static void
zl_write_group(FILE *f, uint64_t g, size_t n)
{
	uint64_t k = g % ZL_SUBS, x = g % 254 + 1;
	char lines[ZL_GROUP][128];
	size_t i;

	snprintf(lines[0], sizeof(lines[0]),
	    "a%" PRIu64 ".s%" PRIu64 " IN A 192.0.2.%" PRIu64, g, k, x);
	snprintf(lines[1], sizeof(lines[1]),
	    "a%" PRIu64 ".s%" PRIu64 " IN AAAA 2001:db8::%x:%x", g, k,
	    (unsigned)(g >> 16) & 0xffff, (unsigned)g & 0xffff);
	snprintf(lines[2], sizeof(lines[2]),
	    "b%" PRIu64 " IN A 198.51.100.%" PRIu64, g, x);
	snprintf(lines[3], sizeof(lines[3]),
	    "b%" PRIu64 " IN A 203.0.113.%" PRIu64, g, x);
	snprintf(lines[4], sizeof(lines[4]),
	    "b%" PRIu64 " IN AAAA 2001:db8:1::%x:%x", g,
	    (unsigned)(g >> 16) & 0xffff, (unsigned)g & 0xffff);
	snprintf(lines[5], sizeof(lines[5]),
	    "m%" PRIu64 " IN MX 10 a%" PRIu64 ".s%" PRIu64, g, g, k);
	snprintf(lines[6], sizeof(lines[6]), "m%" PRIu64 " IN MX 20 b%" PRIu64,
	    g, g);
	snprintf(lines[7], sizeof(lines[7]), "c%" PRIu64 " IN CNAME b%" PRIu64,
	    g, g);
	snprintf(lines[8], sizeof(lines[8]),
	    "t%" PRIu64 " IN TXT \"v=spf1 -all\"", g);
	snprintf(lines[9], sizeof(lines[9]),
	    "t%" PRIu64 " IN TXT \"g=%" PRIu64 "\"", g, g);
	for (i = 0; i < n; i++)
		fprintf(f, "%s\n", lines[i]);
}

static int
zl_write(const char *path, uint64_t records, uint64_t *bytes)
{
	FILE *f = fopen(path, "w");
	uint64_t g;
	long end;

	if (f == NULL) {
		fprintf(stderr, "mxbench: zoneload: cannot write %s: %s\n",
		    path, strerror(errno));
		return -1;
	}
	fprintf(f,
	    "; mxbench zoneload: %" PRIu64 " records in groups of %d\n"
	    "$ORIGIN %s.\n$TTL 3600\n"
	    "@ IN SOA ns hostmaster 1 3600 600 604800 300\n"
	    "@ IN NS ns\nns IN A 192.0.2.53\n",
	    records, ZL_GROUP, bench_origin);
	for (g = 0; g * ZL_GROUP < records; g++)
		zl_write_group(f, g,
		    records - g * ZL_GROUP < ZL_GROUP
		        ? (size_t)(records - g * ZL_GROUP)
		        : ZL_GROUP);
	end = ftell(f);
	if (ferror(f) || end < 0 || fclose(f) != 0) {
		fprintf(stderr, "mxbench: zoneload: cannot write %s\n", path);
		return -1;
	}
	*bytes = (uint64_t)end;
	return 0;
}

/* The question of kind q mod 8 about group g, and its expected answer. */
static void
zl_query_make(struct zl_query *zq, uint64_t q, uint64_t g)
{
	uint64_t k = g % ZL_SUBS;
	const char *o = bench_origin;

	memset(zq, 0, sizeof(*zq));
	zq->rcode = 0;
	zq->nns = 0;
	switch (q % ZL_KINDS) {
	case 0:
		snprintf(zq->name, NAME_LEN, "a%" PRIu64 ".s%" PRIu64 ".%s", g,
		    k, o);
		zq->qtype = DNS_T_A;
		zq->nan = 1;
		zq->type0 = DNS_T_A;
		v4_of(g, 0, zq->rd0);
		break;
	case 1:
		/* The additional section: a<g>'s A and AAAA, b<g>'s. */
		snprintf(zq->name, NAME_LEN, "m%" PRIu64 ".%s", g, o);
		zq->qtype = DNS_T_MX;
		zq->nan = 2;
		zq->nar = 5;
		zq->type0 = DNS_T_MX;
		break;
	case 2:
		snprintf(zq->name, NAME_LEN, "c%" PRIu64 ".%s", g, o);
		zq->qtype = DNS_T_A;
		zq->nan = 3;
		zq->type0 = DNS_T_CNAME;
		break;
	case 3:
		snprintf(zq->name, NAME_LEN, "t%" PRIu64 ".%s", g, o);
		zq->qtype = DNS_T_TXT;
		zq->nan = 2;
		zq->type0 = DNS_T_TXT;
		break;
	case 4:
		snprintf(zq->name, NAME_LEN, "b%" PRIu64 ".%s", g, o);
		zq->qtype = DNS_T_AAAA;
		zq->nan = 1;
		zq->type0 = DNS_T_AAAA;
		v6_of(g, 1, zq->rd0);
		break;
	case 5:
		snprintf(zq->name, NAME_LEN, "a%" PRIu64 ".s%" PRIu64 ".%s", g,
		    k, o);
		zq->qtype = DNS_T_MX;
		zq->nns = 1;
		break;
	case 6:
		snprintf(zq->name, NAME_LEN, "s%" PRIu64 ".%s", k, o);
		zq->qtype = DNS_T_A;
		zq->nns = 1;
		break;
	default:
		snprintf(zq->name, NAME_LEN, "x%" PRIu64 ".s%" PRIu64 ".%s", g,
		    k, o);
		zq->qtype = DNS_T_A;
		zq->rcode = DNS_R_NXDOMAIN;
		zq->nns = 1;
		break;
	}
	if ((q / ZL_KINDS) % 4 == 3)
		upcase(zq->name);
}

static bool
zl_check(const struct zl_query *zq, const struct dns_msg *r)
{
	if (r->rcode != zq->rcode || !r->aa || r->nan != zq->nan ||
	    r->nns != zq->nns || r->nar != zq->nar)
		return false;
	if (zq->nns == 1 && r->ns[0].type != DNS_T_SOA)
		return false;
	if (zq->nan == 0)
		return true;
	if (r->an[0].type != zq->type0)
		return false;
	if (zq->type0 == DNS_T_A)
		return memcmp(r->an[0].rd.a, zq->rd0, 4) == 0;
	if (zq->type0 == DNS_T_AAAA)
		return memcmp(r->an[0].rd.aaaa, zq->rd0, 16) == 0;
	return true;
}

static int
zl_run(const struct zl_opts *o)
{
	struct zone z;
	struct mx_err err;
	struct dns_msg *r = mx_xcalloc(1, sizeof(*r));
	struct zl_query *qs;
	uint64_t groups = o->records / ZL_GROUP, bytes = 0, q, bad = 0;
	double t0, t1, t2, t3, t4;
	char path[1024];
	struct rng rng;
	int rc = 0, len;

	len = snprintf(path, sizeof(path),
	    "%s/mxbench-zoneload-%" PRIu64 ".zone", o->out, o->records);
	if (len < 0 || (size_t)len >= sizeof(path)) {
		fprintf(stderr, "mxbench: --out '%s' is too long\n", o->out);
		free(r);
		return 1;
	}
	if (zl_write(path, o->records, &bytes) != 0) {
		free(r);
		return 1;
	}
	/* The questions, drawn before the clock starts. */
	qs = mx_xcalloc(o->queries, sizeof(*qs));
	rng_init(&rng, zl_seed, "bench.zoneload.groups");
	for (q = 0; q < o->queries; q++)
		zl_query_make(&qs[q], q, rng_below(&rng, groups));

	zone_init(&z, bench_origin, 3600);
	mx_err_clear(&err);
	t0 = wall_now();
	rc = zone_load_file(&z, path, path, 3600, &err);
	t1 = wall_now();
	if (rc != 0) {
		fprintf(stderr, "mxbench: zoneload: %s\n", err.msg);
		rc = 1;
		goto out;
	}
	t2 = wall_now();
	rc = zone_finish(&z, &err);
	t3 = wall_now();
	if (rc != 0) {
		fprintf(stderr, "mxbench: zoneload: %s\n", err.msg);
		rc = 1;
		goto out;
	}
	for (q = 0; q < o->queries; q++) {
		r->nan = r->nns = r->nar = 0;
		zone_answer(&z, qs[q].name, qs[q].qtype, r);
		if (!zl_check(&qs[q], r) && bad++ == 0)
			fprintf(stderr,
			    "mxbench: zoneload: wrong answer to %s type %u: "
			    "rcode %u, %zu/%zu/%zu records\n",
			    qs[q].name, qs[q].qtype, r->rcode, r->nan, r->nns,
			    r->nar);
	}
	t4 = wall_now();
	if (z.nrr != o->records + 3) {
		fprintf(stderr,
		    "mxbench: zoneload: %zu records loaded, want %" PRIu64 "\n",
		    z.nrr, o->records + 3);
		rc = 1;
	}
	if (bad > 0) {
		fprintf(stderr,
		    "mxbench: zoneload: %" PRIu64 " of %" PRIu64
		    " answers wrong\n",
		    bad, o->queries);
		rc = 1;
	}
	printf("RESULT bench=zoneload records=%zu load_s=%.3f "
	       "records_per_s=%.0f finish_s=%.4f queries=%" PRIu64
	       " query_s=%.3f queries_per_s=%.0f maxrss_kb=%ld "
	       "file_bytes=%" PRIu64 "\n",
	    z.nrr, t1 - t0, t1 > t0 ? (double)z.nrr / (t1 - t0) : 0.0, t3 - t2,
	    o->queries, t4 - t3, t4 > t3 ? (double)o->queries / (t4 - t3) : 0.0,
	    maxrss_kb(), bytes);
	fflush(stdout);
out:
	zone_fini(&z);
	free(qs);
	free(r);
	if (o->keep)
		fprintf(stderr, "mxbench: kept %s\n", path);
	else if (unlink(path) != 0)
		fprintf(stderr, "mxbench: cannot remove %s: %s\n", path,
		    strerror(errno));
	return rc;
}

static int
zl_job(const void *arg)
{
	return zl_run(arg);
}

static void
zl_usage(FILE *f)
{
	fprintf(f,
	    "usage: mxbench zoneload [--records N] [--queries M] [--out DIR] "
	    "[--keep]\n"
	    "\n"
	    "Writes a master file of N records under example.test (A, AAAA,\n"
	    "MX, CNAME and TXT), times zone_load_file() on it, then M\n"
	    "zone_answer() calls: answers, NODATA, NXDOMAIN.\n"
	    "\n"
	    "  -n, --records N   records, at least %d (default %" PRIu64 ")\n"
	    "  -q, --queries M   questions (default %" PRIu64 ")\n"
	    "  -o, --out DIR     where the master file goes (default %s)\n"
	    "  -k, --keep        keep it (default: removed)\n"
	    "  -h, --help        this text\n",
	    ZL_GROUP, zl_default_records, zl_default_queries, default_out);
}

static void
zl_opts_default(struct zl_opts *o)
{
	o->records = zl_default_records;
	o->queries = zl_default_queries;
	o->out = default_out;
	o->keep = false;
}

int
cmd_zoneload(int argc, char *argv[])
{
	static const struct option longopts[] = {
	    {"records", required_argument, NULL, 'n'},
	    {"queries", required_argument, NULL, 'q'},
	    {"out", required_argument, NULL, 'o'},
	    {"keep", no_argument, NULL, 'k'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct zl_opts o;
	int c;

	zl_opts_default(&o);
	while (
	    (c = getopt_long(argc, argv, "n:q:o:kh", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_count(argv[0], "records", optarg,
			        zl_max_records, &o.records) != 0)
				return EXIT_USAGE;
			if (o.records < ZL_GROUP) {
				fprintf(stderr, "%s: --records: at least %d\n",
				    argv[0], ZL_GROUP);
				return EXIT_USAGE;
			}
			break;
		case 'q':
			if (parse_count(argv[0], "queries", optarg,
			        zl_max_queries, &o.queries) != 0)
				return EXIT_USAGE;
			break;
		case 'o':
			o.out = optarg;
			break;
		case 'k':
			o.keep = true;
			break;
		case 'h':
			zl_usage(stdout);
			return 0;
		default:
			return try_help("zoneload");
		}
	}
	if (optind != argc) {
		fprintf(stderr, "mxbench zoneload: unexpected argument '%s'\n",
		    argv[optind]);
		return try_help("zoneload");
	}
	return zl_run(&o);
}

/* ------------------------------------------------------------------ */
/* dnsrec: a stub, a recursive resolver and three authoritative servers */

enum { DR_HOSTS = 5 };
enum { DR_CLIENT, DR_REC, DR_ROOT, DR_TLD, DR_AUTH };

static const char *const dr_host_names[DR_HOSTS] = {
    "client", "rec", "root", "tld", "auth"};
static const char *const dr_host_addrs[DR_HOSTS] = {
    "192.0.2.1", "192.0.2.53", "203.0.113.1", "203.0.113.2", "198.51.100.53"};

static const struct net_link_params dr_link = {
    .latency = SIM_MS(1),
    .jitter = 0,
    .loss = 0.0,
    .bandwidth = 100000000,
};

struct dr_opts {
	uint64_t names;      /* N */
	uint64_t queries;    /* Q */
	uint64_t repeat;     /* P, percent */
	sim_time_t interval; /* between two questions */
	uint64_t ttl;        /* example.test's TTLs and SOA MINIMUM */
};

struct dr_state;

/* One question in flight: the callback's context. */
struct dr_ask {
	struct dr_state *st; /* borrowed */
	uint64_t j;          /* the name's number */
	bool done;           /* answered */
};

struct dr_state {
	struct sim *sim;     /* borrowed */
	struct resolv *stub; /* owned */
	uint64_t queries;    /* Q */
	uint64_t *seq;       /* owned: name number of each question */
	struct dr_ask *ask;  /* owned: one per question */
	uint64_t sent;       /* questions asked */
	uint64_t answered;   /* callbacks */
	uint64_t bad;        /* wrong or repeated answers */
	uint8_t *known;      /* owned: per name, 1 asked, 2 answered */
	uint64_t overlap;    /* repeats asked before any answer */
	uint64_t early;      /* questions before the first answer */
	uint64_t digest;     /* FNV-1a of every answer, in order */
	sim_time_t interval; /* between questions */
};

static void
dr_name(uint64_t j, char *out, size_t len)
{
	char c = j % 8 == 7 ? 'x' : j % 8 == 3 ? 'c' : 'h';

	snprintf(out, len, "%c%" PRIu64 ".%s", c, j, bench_origin);
}

static uint16_t
dr_qtype(uint64_t j)
{
	switch (j % 8) {
	case 1:
	case 3:
	case 7:
		return DNS_T_A;
	case 5:
		return DNS_T_MX;
	default:
		return DNS_T_AAAA;
	}
}

/* Is 'a' the answer name j must get? */
static bool
dr_answer_ok(uint64_t j, const struct resolv_answer *a)
{
	const struct dns_msg *m = a->msg;
	uint8_t want[16];
	size_t i;

	switch (j % 8) {
	case 7:
		return a->status == RESOLV_NXDOMAIN && m != NULL && m->nan == 0;
	case 5:
		return a->status == RESOLV_NODATA && m != NULL && m->nan == 0;
	case 3:
		/* CNAME c<j> -> h<j-1>, then h<j-1>'s A. */
		v4_of(j - 1, 0, want);
		if (a->status != RESOLV_OK || m == NULL || m->nan != 2 ||
		    m->an[0].type != DNS_T_CNAME || m->an[1].type != DNS_T_A)
			return false;
		return memcmp(m->an[1].rd.a, want, 4) == 0;
	case 1:
		v4_of(j, 0, want);
		if (a->status != RESOLV_OK || m == NULL || m->nan != 1 ||
		    m->an[0].type != DNS_T_A)
			return false;
		return memcmp(m->an[0].rd.a, want, 4) == 0;
	default:
		v6_of(j, 0, want);
		if (a->status != RESOLV_OK || m == NULL || m->nan != 1 ||
		    m->an[0].type != DNS_T_AAAA)
			return false;
		for (i = 0; i < 16; i++)
			if (m->an[0].rd.aaaa[i] != want[i])
				return false;
		return true;
	}
}

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= UINT64_C(1099511628211);
	}
	return h;
}

/* Folds what the client got into the run's digest: the status, then
 * each answer record's owner, type, TTL (what the cache left of it) and
 * address or target.  Two builds that behave the same print the same
 * digest. */
static void
dr_digest(struct dr_state *st, const struct resolv_answer *a)
{
	uint64_t h = fnv(st->digest, &a->status, sizeof(a->status));
	size_t i;

	for (i = 0; a->msg != NULL && i < a->msg->nan; i++) {
		const struct dns_rr *rr = &a->msg->an[i];

		h = fnv(h, rr->name, strlen(rr->name));
		h = fnv(h, &rr->type, sizeof(rr->type));
		h = fnv(h, &rr->ttl, sizeof(rr->ttl));
		if (rr->type == DNS_T_A)
			h = fnv(h, rr->rd.a, 4);
		else if (rr->type == DNS_T_AAAA)
			h = fnv(h, rr->rd.aaaa, 16);
		else if (rr->type == DNS_T_CNAME)
			h = fnv(h, rr->rd.target, strlen(rr->rd.target));
	}
	st->digest = h;
}

static void
dr_answer(void *ctx, const struct resolv_answer *a)
{
	struct dr_ask *k = ctx;
	struct dr_state *st = k->st;

	st->answered++;
	dr_digest(st, a);
	if (k->done || !dr_answer_ok(k->j, a)) {
		if (st->bad++ == 0)
			fprintf(stderr,
			    "mxbench: dnsrec: %s answer to %s: %s, %zu "
			    "records\n",
			    k->done ? "a second" : "a wrong", a->qname,
			    resolv_status_name(a->status),
			    a->msg != NULL ? a->msg->nan : 0);
	}
	k->done = true;
	st->known[k->j] = 2;
}

static void
dr_tick(struct sim *sim, void *arg)
{
	struct dr_state *st = arg;
	struct dr_ask *k = &st->ask[st->sent];
	char name[NAME_LEN];

	k->st = st;
	k->j = st->seq[st->sent];
	if (st->known[k->j] == 1)
		st->overlap++;
	else if (st->known[k->j] == 0)
		st->known[k->j] = 1;
	if (st->answered == 0)
		st->early++;
	dr_name(k->j, name, sizeof(name));
	(void)resolv_query(st->stub, name, dr_qtype(k->j), dr_answer, k);
	if (++st->sent < st->queries)
		sim_after(sim, st->interval, dr_tick, st);
}

static void
dr_row(struct zone *z, uint32_t ttl, const char *owner, const char *type,
    const char *rd0, const char *rd1, int *rc)
{
	const char *rd[2] = {rd0, rd1};
	struct mx_err err;

	mx_err_clear(&err);
	if (*rc == 0 &&
	    zone_add_text(z, owner, type, rd, rd1 ? 2 : 1, ttl, &err) != 0) {
		fprintf(stderr, "mxbench: dnsrec: %s %s: %s\n", owner, type,
		    err.msg);
		*rc = -1;
	}
}

/* The three zones; 'auth' gets the N names. */
static int
dr_zones(struct zone *zs, const struct dr_opts *o)
{
	struct zone *root = &zs[0], *tld = &zs[1], *ex = &zs[2];
	uint32_t ttl = (uint32_t)o->ttl;
	char owner[NAME_LEN], target[NAME_LEN], v4[32], v6[64], num[16];
	const char *soa[7];
	struct mx_err err;
	uint64_t j;
	uint8_t a[16];
	int rc = 0, i;

	zone_init(root, ".", 86400);
	dr_row(root, 86400, "test.", "NS", "ns.test.", NULL, &rc);
	dr_row(root, 86400, "ns.test.", "A", dr_host_addrs[DR_TLD], NULL, &rc);
	zone_init(tld, "test", 86400);
	dr_row(tld, 86400, "@", "NS", "ns", NULL, &rc);
	dr_row(tld, 86400, "ns", "A", dr_host_addrs[DR_TLD], NULL, &rc);
	dr_row(tld, 86400, "example", "NS", "ns.example", NULL, &rc);
	dr_row(
	    tld, 86400, "ns.example", "A", dr_host_addrs[DR_AUTH], NULL, &rc);
	zone_init(ex, bench_origin, ttl);
	/* SOA TTL and MINIMUM both 'ttl': negative answers are cached as
	 * long as positive ones (RFC 2308 §5). */
	snprintf(num, sizeof(num), "%" PRIu32, ttl);
	soa[0] = "ns";
	soa[1] = "hostmaster";
	soa[2] = "1";
	soa[3] = "3600";
	soa[4] = "600";
	soa[5] = "604800";
	soa[6] = num;
	mx_err_clear(&err);
	if (rc == 0 && zone_add_text(ex, "@", "SOA", soa, 7, ttl, &err) != 0) {
		fprintf(stderr, "mxbench: dnsrec: SOA: %s\n", err.msg);
		rc = -1;
	}
	dr_row(ex, ttl, "@", "NS", "ns", NULL, &rc);
	dr_row(ex, ttl, "ns", "A", dr_host_addrs[DR_AUTH], NULL, &rc);
	for (j = 0; j < o->names && rc == 0; j++) {
		if (j % 8 == 7)
			continue; /* x<j>: absent */
		dr_name(j, owner, sizeof(owner));
		snprintf(owner + strlen(owner), 2, ".");
		if (j % 8 == 3) {
			dr_name(j - 1, target, sizeof(target));
			snprintf(target + strlen(target), 2, ".");
			dr_row(ex, ttl, owner, "CNAME", target, NULL, &rc);
			continue;
		}
		v4_of(j, 0, a);
		snprintf(v4, sizeof(v4), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
		snprintf(v6, sizeof(v6), "2001:db8::%x:%x",
		    (unsigned)(j >> 16) & 0xffff, (unsigned)j & 0xffff);
		dr_row(ex, ttl, owner, "A", v4, NULL, &rc);
		dr_row(ex, ttl, owner, "AAAA", v6, NULL, &rc);
	}
	for (i = 0; i < 3 && rc == 0; i++) {
		mx_err_clear(&err);
		if (zone_finish(&zs[i], &err) != 0) {
			fprintf(stderr, "mxbench: dnsrec: zone %s: %s\n",
			    zs[i].origin, err.msg);
			rc = -1;
		}
	}
	return rc;
}

/* The question sequence: with probability P a name asked before, else
 * the next of a random permutation of the N names.  Returns how many
 * distinct names it asks. */
static uint64_t
dr_sequence(const struct dr_opts *o, uint64_t *seq)
{
	uint64_t *perm = mx_xcalloc(o->names, sizeof(*perm));
	uint64_t i, fresh = 0;
	struct rng r;

	rng_init(&r, dr_seed, "bench.dnsrec.names");
	for (i = 0; i < o->names; i++)
		perm[i] = i;
	for (i = o->names - 1; i > 0; i--) {
		uint64_t k = rng_below(&r, i + 1), t = perm[i];

		perm[i] = perm[k];
		perm[k] = t;
	}
	for (i = 0; i < o->queries; i++) {
		bool rep =
		    fresh == o->names ||
		    (fresh > 0 && rng_unit(&r) * 100.0 < (double)o->repeat);

		seq[i] = rep ? perm[rng_below(&r, fresh)] : perm[fresh++];
	}
	free(perm);
	return fresh;
}

static int
dr_run(const struct dr_opts *o)
{
	struct sim sim;
	struct net net;
	struct dr_state st;
	struct zone zs[3];
	struct zone *zroot = &zs[0], *ztld = &zs[1], *zex = &zs[2];
	struct net_host *h[DR_HOSTS], *r1;
	struct net_addr addr[DR_HOSTS];
	struct dnssrv *srv[DR_HOSTS];
	struct recursor *rec = NULL;
	struct recursor_params rp;
	struct resolv_params sp;
	uint64_t distinct;
	size_t cache = 0, q_root, q_tld, q_auth;
	double t0, t1, t2, run_s;
	int rc = 0, i;
	bool ok;

	memset(&st, 0, sizeof(st));
	st.digest = UINT64_C(14695981039346656037);
	memset(srv, 0, sizeof(srv));
	memset(zs, 0, sizeof(zs));
	t0 = wall_now();
	sim_init(&sim, dr_seed);
	net_init(&net, &sim);
	st.sim = &sim;
	st.queries = o->queries;
	st.interval = o->interval;
	st.seq = mx_xcalloc(o->queries, sizeof(*st.seq));
	st.ask = mx_xcalloc(o->queries, sizeof(*st.ask));
	st.known = mx_xcalloc(o->names, 1);
	distinct = dr_sequence(o, st.seq);
	if (dr_zones(zs, o) != 0) {
		rc = 1;
		goto out;
	}
	r1 = net_router_add(&net, "r1");
	for (i = 0; i < DR_HOSTS; i++) {
		h[i] = net_host_add(&net, dr_host_names[i]);
		if (!net_addr_parse(dr_host_addrs[i], &addr[i]) ||
		    net_host_addr_add(h[i], &addr[i]) != 0 ||
		    net_link_add(&net, h[i], r1, &dr_link) == NULL)
			goto bad_net;
	}
	if (net_finalize(&net) != 0)
		goto bad_net;
	recursor_params_default(&rp);
	rp.roots[0] = addr[DR_ROOT];
	rp.nroots = 1;
	rec = recursor_new(h[DR_REC], &rp);
	srv[DR_REC] = dnssrv_new(h[DR_REC], NULL, 0, rec);
	srv[DR_ROOT] = dnssrv_new(h[DR_ROOT], &zroot, 1, NULL);
	srv[DR_TLD] = dnssrv_new(h[DR_TLD], &ztld, 1, NULL);
	srv[DR_AUTH] = dnssrv_new(h[DR_AUTH], &zex, 1, NULL);
	resolv_params_default(&sp);
	sp.ns[0] = addr[DR_REC];
	sp.nns = 1;
	st.stub = resolv_new(h[DR_CLIENT], &sp);
	if (srv[DR_REC] == NULL || srv[DR_ROOT] == NULL ||
	    srv[DR_TLD] == NULL || srv[DR_AUTH] == NULL || st.stub == NULL)
		goto bad_net;
	sim_at(&sim, dr_start, dr_tick, &st);

	t1 = wall_now();
	while (st.answered < o->queries && sim_step(&sim, SIM_NEVER))
		;
	t2 = wall_now();

	cache = recursor_cache_size(rec);
	q_root = dnssrv_queries(srv[DR_ROOT]);
	q_tld = dnssrv_queries(srv[DR_TLD]);
	q_auth = dnssrv_queries(srv[DR_AUTH]);
	ok = st.sent == o->queries && st.answered == o->queries && st.bad == 0;
	if (!ok) {
		fprintf(stderr,
		    "mxbench: dnsrec: %" PRIu64 " questions asked, %" PRIu64
		    " answers, %" PRIu64 " wrong\n",
		    st.sent, st.answered, st.bad);
		rc = 1;
	}
	/* Nothing expired: only questions the client had no answer for
	 * yet went further than the resolver's cache. */
	if (ok && sim.now - dr_start < SIM_S((int64_t)o->ttl) &&
	    (q_auth < distinct || q_auth > distinct + st.overlap ||
	        q_root < 1 || q_root > st.early || q_tld < 1 ||
	        q_tld > st.early)) {
		fprintf(stderr,
		    "mxbench: dnsrec: the servers were asked %zu (root), %zu "
		    "(tld), %zu (auth) times; want 1 to %" PRIu64
		    ", the same, %" PRIu64 " to %" PRIu64 "\n",
		    q_root, q_tld, q_auth, st.early, distinct,
		    distinct + st.overlap);
		rc = 1;
	}
	run_s = t2 - t1;
	printf("RESULT bench=dnsrec names=%" PRIu64 " queries=%" PRIu64
	       " repeat=%" PRIu64
	       " run_s=%.3f queries_per_s=%.0f events=%" PRIu64 " pkts=%" PRIu64
	       " cache_entries=%zu maxrss_kb=%ld"
	       " distinct=%" PRIu64 " overlap=%" PRIu64
	       " auth_queries=%zu setup_s=%.3f"
	       " sim_s=%.3f interval_ns=%" PRId64 " ttl=%" PRIu64
	       " digest=%016" PRIx64 "\n",
	    o->names, o->queries, o->repeat, run_s,
	    run_s > 0 ? (double)st.answered / run_s : 0.0, sim.events_run,
	    net.frames, cache, maxrss_kb(), distinct, st.overlap, q_auth,
	    t1 - t0, (double)sim.now / 1e9, (int64_t)o->interval, o->ttl,
	    st.digest);
	fflush(stdout);
	goto out;
bad_net:
	fprintf(stderr, "mxbench: dnsrec: cannot build the network\n");
	rc = 1;
out:
	/* As world.c tears a run down: the recursor before its server. */
	sim_fini(&sim);
	resolv_free(st.stub);
	recursor_free(rec);
	for (i = 0; i < DR_HOSTS; i++)
		dnssrv_free(srv[i]);
	net_fini(&net);
	for (i = 0; i < 3; i++)
		zone_fini(&zs[i]);
	free(st.seq);
	free(st.ask);
	free(st.known);
	return rc;
}

static int
dr_job(const void *arg)
{
	return dr_run(arg);
}

static void
dr_usage(FILE *f)
{
	fprintf(f,
	    "usage: mxbench dnsrec [--names N] [--queries Q] [--repeat P]\n"
	    "                      [--interval D] [--ttl S]\n"
	    "\n"
	    "The recursive resolver end to end: a stub client asks Q\n"
	    "questions, one every D, of a resolver (dnssrv + recursor) that\n"
	    "resolves them from the root, via test., to example.test's server\n"
	    "and its N names; P percent of the questions repeat a name asked\n"
	    "before (cache hits).\n"
	    "\n"
	    "  -n, --names N     names in example.test (default %" PRIu64 ")\n"
	    "  -q, --queries Q   questions (default %" PRIu64 ")\n"
	    "  -r, --repeat P    percent that repeat, 0-100 (default %" PRIu64
	    ")\n"
	    "  -i, --interval D  between questions (default 1ms)\n"
	    "  -t, --ttl S       example.test's TTL and negative TTL, seconds\n"
	    "                    (default %" PRIu64 ")\n"
	    "  -h, --help        this text\n",
	    dr_default_names, dr_default_queries, dr_default_repeat,
	    dr_default_ttl);
}

static void
dr_opts_default(struct dr_opts *o)
{
	o->names = dr_default_names;
	o->queries = dr_default_queries;
	o->repeat = dr_default_repeat;
	o->interval = dr_default_interval;
	o->ttl = dr_default_ttl;
}

int
cmd_dnsrec(int argc, char *argv[])
{
	static const struct option longopts[] = {
	    {"names", required_argument, NULL, 'n'},
	    {"queries", required_argument, NULL, 'q'},
	    {"repeat", required_argument, NULL, 'r'},
	    {"interval", required_argument, NULL, 'i'},
	    {"ttl", required_argument, NULL, 't'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct dr_opts o;
	int c;

	dr_opts_default(&o);
	while ((c = getopt_long(argc, argv, "n:q:r:i:t:h", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'n':
			if (parse_count(argv[0], "names", optarg, dr_max_names,
			        &o.names) != 0)
				return EXIT_USAGE;
			break;
		case 'q':
			if (parse_count(argv[0], "queries", optarg,
			        dr_max_queries, &o.queries) != 0)
				return EXIT_USAGE;
			break;
		case 'r':
			if (parse_percent(
			        argv[0], "repeat", optarg, &o.repeat) != 0)
				return EXIT_USAGE;
			break;
		case 'i':
			if (parse_dur(argv[0], "interval", optarg,
			        dr_max_interval, &o.interval) != 0)
				return EXIT_USAGE;
			break;
		case 't':
			if (parse_count(argv[0], "ttl", optarg, dr_max_ttl,
			        &o.ttl) != 0)
				return EXIT_USAGE;
			break;
		case 'h':
			dr_usage(stdout);
			return 0;
		default:
			return try_help("dnsrec");
		}
	}
	if (optind != argc) {
		fprintf(stderr, "mxbench dnsrec: unexpected argument '%s'\n",
		    argv[optind]);
		return try_help("dnsrec");
	}
	return dr_run(&o);
}

/* ------------------------------------------------------------------ */

int
dnsrec_all(const char *out, bool keep)
{
	struct zl_opts zo;
	struct dr_opts dro;
	size_t i;
	int rc = 0;

	zl_opts_default(&zo);
	zo.out = out;
	zo.keep = keep;
	for (i = 0; i < sizeof(all_records) / sizeof(all_records[0]); i++) {
		zo.records = all_records[i];
		if (run_isolated(zl_job, &zo) != 0)
			rc = 1;
	}
	dr_opts_default(&dro);
	for (i = 0; i < sizeof(all_names) / sizeof(all_names[0]); i++) {
		dro.names = all_names[i];
		if (run_isolated(dr_job, &dro) != 0)
			rc = 1;
	}
	return rc;
}

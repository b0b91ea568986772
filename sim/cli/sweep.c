/*
 * sweep.c - seeded sweeps (docs/sweep.md).
 *
 * A sweep runs one scenario under the seeds S, S+1, ..., S+N-1 (S is
 * --seed, else the scenario's seed), for every point of a grid of
 * variants (-D params and --profiles choose the loaded world, the
 * profile given as compare mode gives it; --knob values then change its
 * senders), and keeps for every
 * run and every (sender, recipient) of the scenario's messages: the
 * outcome, the time from queueing to it, and the connection attempts.
 * A run depends only on the scenario, the variant and its seed (random
 * outages, per-connection probabilities and every other draw come from
 * the run's seed), so the results do not depend on how the runs are
 * spread over processes or machines:
 *
 *  - on one machine, J worker processes (fork) take the items (variant,
 *    run) with index = k mod J and write fixed-size records down a pipe;
 *    the parent sorts everything by (variant, run, order in the run)
 *    before it counts, so the report is the same for any J;
 *  - across machines, --shard i/N runs the contiguous block of runs
 *    [i R / N, (i+1) R / N) and writes the records to a shard file (a
 *    text format with the scenario's name and a hash of the scenario file
 *    and the parameters); 'mxsim merge' checks that the shards belong to
 *    one sweep and cover it exactly once, then reports as one run would.
 *
 * The statistics (report/stats.c): per variant and (sender, recipient),
 * the fraction delivered within each deadline with a 95 % Wilson
 * interval, nearest-rank latency percentiles of the delivered ones,
 * mean connection attempts, bounces and messages still deferred at the
 * scenario's stop_at.  Capture and trace are off in sweeps: nothing is
 * subscribed to the trace sink, so trace_on() is false and the layers
 * skip formatting their trace lines.
 *
 * Outputs are written under a temporary name and renamed when complete.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/dur.h"
#include "core/err.h"
#include "mta/mta.h"
#include "mta/profile.h"
#include "progress.h"
#include "report/report.h"
#include "report/stats.h"
#include "script/scenario.h"
#include "sweep.h"
#include "world/world.h"

enum {
	SWEEP_EXIT_OK = 0,
	SWEEP_EXIT_USAGE = 2,
	SWEEP_MAXDL = 8,      /* deadlines */
	SWEEP_MAXAXES = 16,   /* grid axes: -D then --knob */
	SWEEP_MAXOPT = 8,     /* -D options, and --knob options */
	SWEEP_MAXVALUES = 64, /* values of one knob */
	SWEEP_MAXVAR = 4096,  /* grid points */
	SWEEP_MAXJOBS = 256,  /* worker processes */
	SWEEP_END = 0xffff,   /* record target: the end of one run */
	SWEEP_FORMAT = 2,     /* shard file version */
	SWEEP_MAXRUNS = 1000000000,
};

static const char sweep_default_deadlines[] = "1h,4h,1d";

/* One outcome of one run, as workers send it to the parent. */
struct sweep_rec {
	uint32_t run;      /* run index: seed = seed0 + run */
	uint16_t var;      /* variant */
	uint16_t tg;       /* target, or SWEEP_END after a run's last */
	uint32_t seq;      /* order within the run */
	uint32_t attempts; /* connection attempts for it */
	int64_t lat;       /* from queueing to the outcome, -1 = deferred */
	uint8_t outcome;   /* enum mta_outcome */
};

/* A (sender host, recipient) of the scenario's messages: a row.  The
 * sender's profile is per variant (struct sweep, 'prof'): --profiles and
 * a -D may change it. */
struct sweep_target {
	char *sender; /* owned host label */
	char *rcpt;   /* owned recipient address */
};

/* One -D NAME=V1,V2,..., --profiles P1,P2,... or --knob NAME=V1,V2,...:
 * an axis of the grid.  The -D axes come first, then the profiles: they
 * choose the world (the scenario loaded with those params, its senders
 * given that profile as compare mode does, script/scenario.h struct
 * mxl_override); the knob axes then change its senders. */
struct sweep_axis {
	const struct mta_knob *k;      /* borrowed knob, NULL otherwise */
	char *param;                   /* owned param name of a -D */
	bool profile;                  /* the --profiles axis */
	char *values[SWEEP_MAXVALUES]; /* owned texts */
	size_t nvalues;                /* how many */
};

/* Counts for one (variant, target). */
struct sweep_cell {
	uint64_t n;                   /* outcomes */
	uint64_t delivered;           /* by stop_at */
	uint64_t bounced;             /* given up */
	uint64_t deferred;            /* still queued at stop_at */
	uint64_t attempts;            /* sum of connection attempts */
	uint64_t within[SWEEP_MAXDL]; /* delivered within deadline i */
	sim_time_t *lat;              /* owned latencies of the delivered */
	size_t nlat, caplat;          /* count and capacity */
};

struct sweep {
	char *name;                 /* owned scenario name */
	uint64_t hash;              /* scenario file and parameters */
	uint64_t seed0;             /* first seed of the sweep */
	uint64_t runs;              /* runs of the whole sweep */
	uint64_t shard, nshards;    /* this slice: i of N */
	uint64_t first, count;      /* its runs: [first, first + count) */
	sim_time_t dl[SWEEP_MAXDL]; /* deadlines */
	size_t ndl;                 /* how many */
	char **var;                 /* owned variant labels */
	size_t nvar;                /* how many */
	struct sweep_target *tg;    /* owned targets */
	size_t ntg;                 /* how many */
	char **prof;                /* owned [nvar * ntg]: the sender's
	                               profile in each variant */
	struct sweep_rec *rec;      /* owned outcomes (no SWEEP_END) */
	size_t nrec, caprec;        /* count and capacity */
	struct sweep_cell *cell;    /* owned [nvar * ntg] after counting */
	/* Running (not after merge): */
	struct world *worlds;       /* owned: the scenario per -D point */
	size_t nworlds;             /* how many were initialised */
	struct mta_profile **bases; /* owned: per world, each host's profile */
	size_t nd;                  /* world axes: -D, then --profiles */
	const char *pfor;           /* borrowed --profiles-for host */
	struct sweep_axis ax[SWEEP_MAXAXES]; /* the grid */
	size_t nax;                          /* how many axes */
	long worker_rss_kb;                  /* largest worker peak RSS */
};

/* What the command line asked for. */
struct sweep_opts {
	const char *file;               /* scenario */
	uint64_t runs;                  /* --runs */
	bool has_seed;                  /* --seed given */
	uint64_t seed;                  /* its value */
	int jobs;                       /* --jobs, 0 = the cores */
	const char *deadlines;          /* --deadline list */
	const char *csv, *json;         /* outputs, or NULL */
	const char *plot, *out;         /* outputs, or NULL */
	bool has_shard;                 /* --shard given */
	uint64_t shard, nshards;        /* its i/N */
	const char *knob[SWEEP_MAXOPT]; /* --knob texts */
	size_t nknob;                   /* how many */
	const char *def[SWEEP_MAXOPT];  /* -D texts */
	size_t ndef;                    /* how many */
	const char *profiles;           /* --profiles list, or NULL */
	const char *pfor;               /* --profiles-for host, or NULL */
	bool quiet;                     /* no table, no progress */
};

/* ------------------------------------------------------------------ */
/* Small helpers                                                        */

static int usage_err(const char *cmd, const char *fmt, ...) MX_PRINTF(2, 3);

static int
usage_err(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mxsim %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'mxsim %s --help'.\n", cmd);
	return SWEEP_EXIT_USAGE;
}

static bool
parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return false;
	*out = (uint64_t)v;
	return true;
}

/* The first run of shard i of n in a sweep of r runs: contiguous blocks
 * whose sizes differ by at most one. */
static uint64_t
shard_first(uint64_t i, uint64_t n, uint64_t r)
{
	/* r <= 10^9 and n <= 10^6: the product fits in 64 bits. */
	return i * r / n;
}

/* An output written under PATH.part, renamed by out_close(). */
struct outf {
	FILE *f;          /* the stream, or NULL */
	char *part;       /* owned temporary name */
	const char *path; /* borrowed final name */
};

static int
out_open(struct outf *o, const char *path)
{
	size_t n = strlen(path) + 6;

	o->path = path;
	o->part = mx_xmalloc(n);
	snprintf(o->part, n, "%s.part", path);
	o->f = fopen(o->part, "w");
	if (o->f == NULL) {
		fprintf(stderr, "mxsim: cannot write '%s': %s\n", path,
		    strerror(errno));
		free(o->part);
		o->part = NULL;
		return -1;
	}
	return 0;
}

/* Closes; renames when 'keep' and every write succeeded, else removes
 * the temporary file.  Returns 0 when the file is in place. */
static int
out_close(struct outf *o, bool keep)
{
	bool ok = keep && !ferror(o->f);

	if (fclose(o->f) != 0)
		ok = false;
	if (ok && rename(o->part, o->path) != 0)
		ok = false;
	if (!ok) {
		unlink(o->part);
		if (keep)
			fprintf(stderr, "mxsim: cannot write '%s'\n", o->path);
	}
	free(o->part);
	o->part = NULL;
	return ok || !keep ? 0 : -1;
}

static void
xml_text(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

/* A CSV field (RFC 4180 §2: quoted when it holds a comma, quote or line
 * break, quotes doubled). */
static void
csv_field(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* A latency for people: "12ms", "30.5s", "30m12s", "4h05m". */
static char *
lat_str(sim_time_t t, char *buf, size_t len)
{
	double s = (double)t / 1e9;

	if (t < 0)
		snprintf(buf, len, "-");
	else if (s < 1.0)
		snprintf(buf, len, "%.0fms", s * 1e3);
	else if (s < 60.0)
		snprintf(buf, len, "%.1fs", s);
	else if (s < 3600.0)
		snprintf(
		    buf, len, "%dm%02ds", (int)(s / 60), (int)fmod(s, 60.0));
	else
		snprintf(buf, len, "%dh%02dm", (int)(s / 3600),
		    (int)fmod(s / 60.0, 60.0));
	return buf;
}

static void
sweep_free(struct sweep *s)
{
	size_t i, j;

	free(s->name);
	for (i = 0; i < s->nvar; i++)
		free(s->var[i]);
	free(s->var);
	if (s->prof != NULL)
		for (i = 0; i < s->nvar * s->ntg; i++)
			free(s->prof[i]);
	free(s->prof);
	for (i = 0; i < s->ntg; i++) {
		free(s->tg[i].sender);
		free(s->tg[i].rcpt);
	}
	free(s->tg);
	free(s->rec);
	if (s->cell != NULL)
		for (i = 0; i < s->nvar * s->ntg; i++)
			free(s->cell[i].lat);
	free(s->cell);
	for (i = 0; i < s->nworlds; i++) {
		world_free(&s->worlds[i]);
		free(s->bases[i]);
	}
	free(s->worlds);
	free(s->bases);
	for (i = 0; i < s->nax; i++) {
		free(s->ax[i].param);
		for (j = 0; j < s->ax[i].nvalues; j++)
			free(s->ax[i].values[j]);
	}
	memset(s, 0, sizeof(*s));
}

static void
rec_add(struct sweep *s, const struct sweep_rec *r)
{
	void *v = s->rec;

	mx_grow(&v, &s->caprec, s->nrec + 1, sizeof(*s->rec));
	s->rec = v;
	s->rec[s->nrec++] = *r;
}

static int
rec_cmp(const void *a, const void *b)
{
	const struct sweep_rec *x = a, *y = b;

	if (x->var != y->var)
		return x->var < y->var ? -1 : 1;
	if (x->run != y->run)
		return x->run < y->run ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* ------------------------------------------------------------------ */
/* Parameters: deadlines, the grid                                      */

static int
parse_deadlines(struct sweep *s, const char *cmd, const char *list)
{
	char buf[256], *tok, *save = NULL, why[128];

	if (strlen(list) >= sizeof(buf))
		return usage_err(cmd, "--deadline: list too long");
	snprintf(buf, sizeof(buf), "%s", list);
	s->ndl = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		sim_time_t d;

		if (s->ndl == SWEEP_MAXDL)
			return usage_err(
			    cmd, "--deadline: at most %d", SWEEP_MAXDL);
		if (!dur_parse(tok, &d, why, sizeof(why)) || d <= 0)
			return usage_err(cmd,
			    "--deadline: '%s' is not a positive duration "
			    "like 1h or 30m",
			    tok);
		s->dl[s->ndl++] = d;
	}
	if (s->ndl == 0)
		return usage_err(cmd, "--deadline needs durations, like "
		                      "1h,4h,1d");
	return 0;
}

/* Sets knob 'k' of 'p' from its command-line text; false when it does
 * not fit.  Lists of durations are written with '/' between the delays
 * (',' separates the values of the grid): retry=5m/30m. */
static bool
knob_apply(struct mta_profile *p, const struct mta_knob *k, const char *v)
{
	char why[128], *end;
	sim_time_t d, list[MTA_RETRY_MAX];
	size_t n = 0;

	switch (k->type) {
	case KNOB_DURATION:
		return dur_parse(v, &d, why, sizeof(why)) &&
		       mta_knob_set_duration(p, k, d);
	case KNOB_DURLIST: {
		char buf[256], *tok, *save = NULL;

		if (strlen(v) >= sizeof(buf))
			return false;
		snprintf(buf, sizeof(buf), "%s", v);
		for (tok = strtok_r(buf, "/", &save); tok != NULL;
		     tok = strtok_r(NULL, "/", &save)) {
			if (n == MTA_RETRY_MAX ||
			    !dur_parse(tok, &list[n], why, sizeof(why)))
				return false;
			n++;
		}
		return n > 0 && mta_knob_set_durlist(p, k, list, n);
	}
	case KNOB_INT: {
		long long x;

		errno = 0;
		x = strtoll(v, &end, 10);
		return errno == 0 && *v != '\0' && *end == '\0' &&
		       mta_knob_set_int(p, k, x);
	}
	case KNOB_BOOL:
		if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0)
			return mta_knob_set_bool(p, k, v[0] == 't');
		return false;
	case KNOB_ENUM:
		return mta_knob_set_enum(p, k, v);
	default:
		/* Structured knobs (retry rules) have no one-word form. */
		return false;
	}
}

/* -D NAME=V1,V2,...: the scenario's load checks the name and the
 * values (the param feature, docs/scenario-reference.md). */
static int
parse_daxis(struct sweep *s, const char *cmd, const char *text)
{
	const char *eq = strchr(text, '=');
	struct sweep_axis *a = &s->ax[s->nax];
	char buf[1024], *tok, *save = NULL;
	size_t i;

	if (eq == NULL || eq == text)
		return usage_err(cmd, "-D '%s': expected NAME=V1,V2,...", text);
	a->param = mx_xstrndup(text, (size_t)(eq - text));
	s->nax++;
	for (i = 0; i + 1 < s->nax; i++)
		if (strcmp(s->ax[i].param, a->param) == 0)
			return usage_err(cmd, "-D %s given twice", a->param);
	if (strlen(eq + 1) >= sizeof(buf))
		return usage_err(cmd, "-D %s: too many values", a->param);
	snprintf(buf, sizeof(buf), "%s", eq + 1);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		if (a->nvalues == SWEEP_MAXVALUES)
			return usage_err(cmd, "-D %s: at most %d values",
			    a->param, SWEEP_MAXVALUES);
		a->values[a->nvalues++] = mx_xstrdup(tok);
	}
	if (a->nvalues == 0)
		return usage_err(cmd, "-D %s: no values", a->param);
	s->nd = s->nax;
	return 0;
}

/* --profiles P1,P2,...: every name an embedded profile (its loader says
 * which exist and which is closest), none twice. */
static int
parse_paxis(struct sweep *s, const char *cmd, const char *list)
{
	struct sweep_axis *a = &s->ax[s->nax];
	char buf[1024], *tok, *save = NULL;
	struct mta_profile scratch;
	struct mx_err err;
	size_t i;

	a->profile = true;
	s->nax++;
	if (strlen(list) >= sizeof(buf))
		return usage_err(cmd, "--profiles: too many names");
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		mx_err_clear(&err);
		if (mxl_profile_load(tok, &scratch, NULL, 0, &err) != 0)
			return usage_err(cmd, "--profiles: %s", err.msg);
		for (i = 0; i < a->nvalues; i++)
			if (strcmp(a->values[i], tok) == 0)
				return usage_err(cmd,
				    "--profiles: '%s' is listed twice", tok);
		if (a->nvalues == SWEEP_MAXVALUES)
			return usage_err(cmd, "--profiles: at most %d names",
			    SWEEP_MAXVALUES);
		a->values[a->nvalues++] = mx_xstrdup(tok);
	}
	if (a->nvalues == 0)
		return usage_err(cmd,
		    "--profiles needs profile names, like rfc5321,postfix "
		    "('mxsim profiles' lists them)");
	s->nd = s->nax;
	return 0;
}

/* The name an axis has in variant labels. */
static const char *
axis_name(const struct sweep_axis *a)
{
	return a->k != NULL ? a->k->name : a->profile ? "profile" : a->param;
}

/* --knob NAME=V1,V2,...: checks the name and every value now, so a
 * typo is an exit status 2 before anything runs. */
static int
parse_axis(struct sweep *s, const char *cmd, const char *text)
{
	const char *eq = strchr(text, '=');
	struct sweep_axis *a = &s->ax[s->nax];
	char name[64], buf[1024], *tok, *save = NULL;
	struct mta_profile scratch;
	size_t i;

	if (eq == NULL || eq == text || (size_t)(eq - text) >= sizeof(name))
		return usage_err(
		    cmd, "--knob '%s': expected NAME=V1,V2,...", text);
	snprintf(name, sizeof(name), "%.*s", (int)(eq - text), text);
	a->k = mta_knob_find(name);
	if (a->k == NULL)
		return usage_err(cmd,
		    "--knob: no sender knob named '%s' ('mxsim profiles "
		    "rfc5321' lists them)",
		    name);
	for (i = 0; i < s->nax; i++)
		if (s->ax[i].k == a->k)
			return usage_err(cmd, "--knob %s given twice", name);
	if (strlen(eq + 1) >= sizeof(buf))
		return usage_err(cmd, "--knob %s: too many values", name);
	snprintf(buf, sizeof(buf), "%s", eq + 1);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		mta_profile_defaults(&scratch);
		if (!knob_apply(&scratch, a->k, tok))
			return usage_err(cmd,
			    "--knob %s: '%s' is not a valid value (%s)", name,
			    tok, a->k->doc);
		if (a->nvalues == SWEEP_MAXVALUES)
			return usage_err(cmd, "--knob %s: at most %d values",
			    name, SWEEP_MAXVALUES);
		a->values[a->nvalues++] = mx_xstrdup(tok);
	}
	if (a->nvalues == 0)
		return usage_err(cmd, "--knob %s: no values", name);
	s->nax++;
	return 0;
}

/* Variant v's value index on axis i: the last axis varies fastest. */
static size_t
axis_index(const struct sweep *s, size_t v, size_t i)
{
	size_t j;

	for (j = s->nax; j-- > i + 1;)
		v /= s->ax[j].nvalues;
	return v % s->ax[i].nvalues;
}

static void
make_variants(struct sweep *s)
{
	size_t v, i, n = 1;

	for (i = 0; i < s->nax; i++)
		n *= s->ax[i].nvalues;
	s->nvar = n;
	s->var = mx_xcalloc(n, sizeof(*s->var));
	for (v = 0; v < n; v++) {
		char buf[1024];
		size_t off = 0;

		buf[0] = '\0';
		for (i = 0; i < s->nax && off < sizeof(buf); i++)
			off += (size_t)snprintf(buf + off, sizeof(buf) - off,
			    "%s%s=%s", i ? " " : "", axis_name(&s->ax[i]),
			    s->ax[i].values[axis_index(s, v, i)]);
		s->var[v] = mx_xstrdup(s->nax ? buf : "default");
	}
}

/* The world of variant v: the point of its -D axes. */
static size_t
world_index(const struct sweep *s, size_t v)
{
	size_t i;

	for (i = s->nd; i < s->nax; i++)
		v /= s->ax[i].nvalues;
	return v;
}

/* Every sender role of variant v's world gets its declared profile,
 * then the variant's knobs; returns that world. */
static struct world *
apply_variant(struct sweep *s, size_t v)
{
	size_t h, i, wi = world_index(s, v);
	struct world *w = &s->worlds[wi];

	for (h = 0; h < w->nhosts; h++) {
		if (!w->hosts[h].sender)
			continue;
		w->hosts[h].prof = s->bases[wi][h];
		for (i = s->nd; i < s->nax; i++)
			if (!knob_apply(&w->hosts[h].prof, s->ax[i].k,
			        s->ax[i].values[axis_index(s, v, i)]))
				abort(); /* checked by parse_axis() */
	}
	return w;
}

/* The files a sweep hashes: every file the scenario loaded. */
struct hfiles {
	char **path; /* owned paths as the loader opened them */
	size_t n;    /* how many */
	size_t cap;  /* capacity */
};

/* Adds 'path' unless it is there; true when it was new. */
static bool
hfiles_add(struct hfiles *hf, const char *path)
{
	void *v = hf->path;
	size_t i;

	for (i = 0; i < hf->n; i++)
		if (strcmp(hf->path[i], path) == 0)
			return false;
	mx_grow(&v, &hf->cap, hf->n + 1, sizeof(*hf->path));
	hf->path = v;
	hf->path[hf->n++] = mx_xstrdup(path);
	return true;
}

/* The declarations' files: the scenario and every included file that
 * declared something (the loader names each item's file). */
static void
hfiles_decls(struct hfiles *hf, const struct world *w)
{
	size_t i;

#define HF_AT(arr, n)                                                          \
	for (i = 0; i < (n); i++)                                              \
		if ((arr)[i].at.file != NULL)                                  \
			hfiles_add(hf, (arr)[i].at.file);
	HF_AT(w->zones, w->nzones)
	HF_AT(w->hosts, w->nhosts)
	HF_AT(w->outages, w->noutages)
	HF_AT(w->sites, w->nsites)
	HF_AT(w->changes, w->nchanges)
	HF_AT(w->msgs, w->nmsgs)
	HF_AT(w->expects, w->nexpects)
#undef HF_AT
}

/* Master files, found as world.c finds them: relative to the folder of
 * the scenario. */
static void
hfiles_zones(struct hfiles *hf, const struct world *w)
{
	const char *slash = strrchr(w->file, '/');
	size_t i, n = slash ? (size_t)(slash - w->file) + 1 : 0;

	for (i = 0; i < w->nzones; i++) {
		const char *f = w->zones[i].file;
		size_t dir = f != NULL && f[0] == '/' ? 0 : n;
		char *path;

		if (f == NULL)
			continue;
		path = mx_xmalloc(dir + strlen(f) + 1);
		memcpy(path, w->file, dir);
		strcpy(path + dir, f);
		hfiles_add(hf, path);
		free(path);
	}
}

/* include "x.lua" calls written with a literal name, relative to the
 * including file's folder as the sandbox resolves them: an included
 * file that declares nothing itself (a table of shared values) still
 * decides the outcomes.  Names built at run time are not seen; the ones
 * found in comments only add a file that exists to the hash. */
static void
hfiles_includes(struct hfiles *hf, size_t from, const char *text)
{
	const char *p = text, *end = text + strlen(text);
	const char *slash = strrchr(hf->path[from], '/');
	size_t dir = slash ? (size_t)(slash - hf->path[from]) + 1 : 0;

	while ((p = strstr(p, "include")) != NULL) {
		const char *q = p + 7, *close;
		char quote, *path;
		FILE *f;

		if (p > text && (p[-1] == '_' || p[-1] == '.' ||
		                    (p[-1] >= 'a' && p[-1] <= 'z') ||
		                    (p[-1] >= 'A' && p[-1] <= 'Z'))) {
			p = q;
			continue;
		}
		while (q < end && (*q == ' ' || *q == '\t' || *q == '('))
			q++;
		p = q;
		if (q == end || (*q != '"' && *q != '\''))
			continue;
		quote = *q++;
		close = memchr(q, quote, (size_t)(end - q));
		if (close == NULL || close == q ||
		    memchr(q, '\n', (size_t)(close - q)) ||
		    memchr(q, '\\', (size_t)(close - q)))
			continue;
		path = mx_xmalloc(dir + (size_t)(close - q) + 1);
		memcpy(path, hf->path[from], dir);
		memcpy(path + dir, q, (size_t)(close - q));
		path[dir + (size_t)(close - q)] = '\0';
		if ((f = fopen(path, "rb")) != NULL) {
			fclose(f);
			hfiles_add(hf, path);
		}
		free(path);
	}
}

/* Hashes one file: its name from the scenario's folder (so that shards
 * run from other working directories agree), its length and bytes.
 * Lua files are searched for includes. */
static int
hash_file(struct hfiles *hf, size_t i, size_t maindir, uint64_t *h)
{
	const char *path = hf->path[i];
	FILE *f = fopen(path, "rb");
	char *text = NULL, head[64];
	size_t n = 0, cap = 0, got;

	if (f == NULL) {
		fprintf(stderr, "mxsim: cannot read '%s': %s\n", path,
		    strerror(errno));
		return -1;
	}
	do {
		void *v = text;

		mx_grow(&v, &cap, n + 8193, 1);
		text = v;
		got = fread(text + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	if (ferror(f)) {
		fprintf(stderr, "mxsim: cannot read '%s'\n", path);
		fclose(f);
		free(text);
		return -1;
	}
	fclose(f);
	if (strncmp(path, hf->path[0], maindir) == 0 && path[0] != '/')
		path += maindir;
	*h = stats_fnv1a(*h, path, strlen(path) + 1);
	got = (size_t)snprintf(head, sizeof(head), "%zu", n);
	*h = stats_fnv1a(*h, head, got + 1);
	*h = stats_fnv1a(*h, text, n);
	text[n] = '\0';
	if (strlen(hf->path[i]) > 4 &&
	    strcmp(hf->path[i] + strlen(hf->path[i]) - 4, ".lua") == 0)
		hfiles_includes(hf, i, text);
	free(text);
	return 0;
}

/* The hash that names a sweep: every file the scenario loaded (itself,
 * the files it includes, the master files of its zones, for every -D
 * point), the seeds, the variants and --profiles-for: what decides the
 * outcomes.  The embedded profiles are the build's. */
static int
sweep_hash(struct sweep *s, const char *file)
{
	struct hfiles hf;
	const char *slash = strrchr(file, '/');
	size_t maindir = slash ? (size_t)(slash - file) + 1 : 0;
	char line[128];
	size_t n, i, v;
	uint64_t h = STATS_FNV_INIT;
	int rc = 0;

	memset(&hf, 0, sizeof(hf));
	hfiles_add(&hf, file);
	for (i = 0; i < s->nworlds; i++) {
		hfiles_decls(&hf, &s->worlds[i]);
		hfiles_zones(&hf, &s->worlds[i]);
	}
	/* hash_file() appends the includes it finds: they get theirs. */
	for (i = 0; i < hf.n && rc == 0; i++)
		rc = hash_file(&hf, i, maindir, &h);
	for (i = 0; i < hf.n; i++)
		free(hf.path[i]);
	free(hf.path);
	if (rc != 0)
		return -1;
	n = (size_t)snprintf(line, sizeof(line),
	    "\nseed %" PRIu64 " runs %" PRIu64 " profiles-for %s\n", s->seed0,
	    s->runs, s->pfor ? s->pfor : "-");
	h = stats_fnv1a(h, line, n);
	for (v = 0; v < s->nvar; v++)
		h = stats_fnv1a(h, s->var[v], strlen(s->var[v]) + 1);
	s->hash = h;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Running                                                              */

static size_t
target_find(const struct sweep *s, const char *sender, const char *rcpt)
{
	size_t i;

	for (i = 0; i < s->ntg; i++)
		if (strcmp(s->tg[i].sender, sender) == 0 &&
		    strcasecmp(s->tg[i].rcpt, rcpt) == 0)
			return i;
	return SWEEP_END;
}

/* The rows: every (sender, recipient) of the scenario's messages, in
 * declaration order. */
static void
make_targets(struct sweep *s, const struct world *w)
{
	size_t i, k;

	for (i = 0; i < w->nmsgs; i++)
		for (k = 0; k < w->msgs[i].nto; k++) {
			void *v = s->tg;
			size_t cap = s->ntg;

			if (target_find(s, w->msgs[i].sender,
			        w->msgs[i].to[k]) != SWEEP_END)
				continue;
			mx_grow(&v, &cap, s->ntg + 1, sizeof(*s->tg));
			s->tg = v;
			s->tg[s->ntg].sender = mx_xstrdup(w->msgs[i].sender);
			s->tg[s->ntg].rcpt = mx_xstrdup(w->msgs[i].to[k]);
			s->ntg++;
		}
}

typedef int sweep_emit_fn(void *ctx, const struct sweep_rec *r);

/* The outcomes of a finished run, for the messages' own senders. */
static int
collect_run(struct sweep *s, const struct world_run *run, size_t v, uint64_t ri,
    sweep_emit_fn *emit, void *ctx)
{
	const struct world *w = run->w;
	struct sweep_rec r;
	uint32_t seq = 0;
	size_t h, k;

	for (h = 0; h < run->nhosts; h++) {
		const struct mta *m = run->hosts[h].mta;
		struct mta_rcpt_result *res;
		size_t n;

		if (m == NULL)
			continue;
		n = mta_nresults(m);
		res = mx_xcalloc(n ? n : 1, sizeof(*res));
		n = mta_results(m, res, n);
		for (k = 0; k < n; k++) {
			const struct world_message *wm;

			/* Relayed copies and DSNs keep the message number
			 * but are not the message's own delivery. */
			if (res[k].msg < 1 || res[k].msg > w->nmsgs)
				continue;
			wm = &w->msgs[res[k].msg - 1];
			if (strcmp(wm->sender, run->hosts[h].wh->name) != 0)
				continue;
			memset(&r, 0, sizeof(r));
			r.run = (uint32_t)ri;
			r.var = (uint16_t)v;
			r.tg =
			    (uint16_t)target_find(s, wm->sender, res[k].rcpt);
			r.seq = seq++;
			r.attempts = (uint32_t)res[k].nattempts;
			r.outcome = (uint8_t)res[k].outcome;
			r.lat = res[k].outcome == MTA_DEFERRED || res[k].t < 0
			            ? -1
			            : res[k].t - wm->t;
			if (r.tg == SWEEP_END || emit(ctx, &r) != 0) {
				free(res);
				return -1;
			}
		}
		free(res);
	}
	memset(&r, 0, sizeof(r));
	r.run = (uint32_t)ri;
	r.var = (uint16_t)v;
	r.tg = SWEEP_END;
	return emit(ctx, &r);
}

static int
run_item(struct sweep *s, size_t v, uint64_t ri, sweep_emit_fn *emit, void *ctx)
{
	struct world_run run;
	struct mx_err err;
	int rc;

	const struct world *w = apply_variant(s, v);

	mx_err_clear(&err);
	if (world_run_init(&run, w, s->seed0 + ri, &err) != 0) {
		fprintf(stderr, "mxsim: seed %" PRIu64 ": %s\n", s->seed0 + ri,
		    err.msg);
		world_run_fini(&run);
		return -1;
	}
	world_run_go(&run);
	rc = collect_run(s, &run, v, ri, emit, ctx);
	world_run_fini(&run);
	return rc;
}

struct wpipe {
	FILE *f;       /* the pipe to the parent, fully buffered */
	uint64_t ends; /* runs finished */
};

/* Runs take tens of microseconds: waking the parent for each would cost
 * more than the run.  Ends of runs are pushed every WPIPE_FLUSH runs,
 * often enough for the progress bar (and no clock is read here). */
enum { WPIPE_FLUSH = 64 };

static int
emit_fd(void *ctx, const struct sweep_rec *r)
{
	struct wpipe *wp = ctx;

	if (fwrite(r, sizeof(*r), 1, wp->f) != 1)
		return -1;
	if (r->tg != SWEEP_END || ++wp->ends % WPIPE_FLUSH != 0)
		return 0;
	return fflush(wp->f) != 0 ? -1 : 0;
}

/* A worker: items j = k, k + J, k + 2J, ... of (run, variant), each
 * item's records then its end mark down 'fd'.  Never returns. */
static void
worker(struct sweep *s, int fd, size_t k, size_t jobs)
{
	struct wpipe wp;
	uint64_t j, items = s->count * s->nvar;

	wp.f = fdopen(fd, "w");
	wp.ends = 0;
	if (wp.f == NULL || setvbuf(wp.f, NULL, _IOFBF, 65536) != 0)
		_exit(3);
	for (j = k; j < items; j += jobs)
		if (run_item(s, (size_t)(j % s->nvar), s->first + j / s->nvar,
		        emit_fd, &wp) != 0)
			_exit(3);
	if (fclose(wp.f) != 0)
		_exit(3);
	_exit(0);
}

struct inbuf {
	int fd;      /* read end, -1 at EOF */
	size_t have; /* bytes in 'b' */
	unsigned char b[sizeof(struct sweep_rec) * 256]; /* partial records */
};

/* Takes the complete records of 'in'. */
static void
drain(struct sweep *s, struct inbuf *in, struct progress *p)
{
	size_t off = 0, rs = sizeof(struct sweep_rec);

	while (in->have - off >= rs) {
		struct sweep_rec r;

		memcpy(&r, in->b + off, rs);
		off += rs;
		if (r.tg == SWEEP_END) {
			p->done++;
			progress_draw(p, false);
		} else
			rec_add(s, &r);
	}
	memmove(in->b, in->b + off, in->have - off);
	in->have -= off;
}

/* Reads every worker's pipe until all are closed. */
static int
gather(struct sweep *s, struct inbuf *in, size_t jobs, struct progress *p)
{
	struct pollfd pf[SWEEP_MAXJOBS];
	size_t open = jobs, i;

	while (open > 0) {
		for (i = 0; i < jobs; i++) {
			pf[i].fd = in[i].fd;
			pf[i].events = POLLIN;
			pf[i].revents = 0;
		}
		if (poll(pf, (nfds_t)jobs, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (i = 0; i < jobs; i++) {
			ssize_t n;

			if (in[i].fd < 0 || pf[i].revents == 0)
				continue;
			n = read(in[i].fd, in[i].b + in[i].have,
			    sizeof(in[i].b) - in[i].have);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(in[i].fd);
				in[i].fd = -1;
				open--;
				continue;
			}
			in[i].have += (size_t)n;
			drain(s, &in[i], p);
		}
	}
	return 0;
}

/* Runs this slice's items in 'jobs' worker processes and collects their
 * records, sorted. */
static int
sweep_execute(struct sweep *s, size_t jobs, bool progress)
{
	struct inbuf *in;
	pid_t pid[SWEEP_MAXJOBS];
	struct progress p;
	size_t i, started = 0;
	int rc = 0;

	progress_start(&p, progress, s->count * s->nvar);
	if (jobs > p.total)
		jobs = p.total > 0 ? (size_t)p.total : 1;
	in = mx_xcalloc(jobs, sizeof(*in));
	fflush(stdout);
	fflush(stderr);
	for (i = 0; i < jobs; i++) {
		int fds[2];

		if (pipe(fds) != 0) {
			fprintf(stderr, "mxsim: pipe: %s\n", strerror(errno));
			rc = -1;
			break;
		}
		pid[i] = fork();
		if (pid[i] < 0) {
			fprintf(stderr, "mxsim: fork: %s\n", strerror(errno));
			close(fds[0]);
			close(fds[1]);
			rc = -1;
			break;
		}
		if (pid[i] == 0) {
			size_t k;

			close(fds[0]);
			for (k = 0; k < i; k++)
				close(in[k].fd);
			worker(s, fds[1], i, jobs);
		}
		close(fds[1]);
		in[i].fd = fds[0];
		started++;
	}
	if (rc == 0 && gather(s, in, started, &p) != 0)
		rc = -1;
	for (i = 0; i < started; i++) {
		int st;

		if (in[i].fd >= 0)
			close(in[i].fd);
		if (waitpid(pid[i], &st, 0) < 0)
			rc = -1;
		else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			if (WIFSIGNALED(st))
				fprintf(stderr,
				    "mxsim: worker %zu died of signal %d\n", i,
				    WTERMSIG(st));
			else
				fprintf(
				    stderr, "mxsim: worker %zu failed\n", i);
			rc = -1;
		}
	}
	{
		/* The largest peak of any child waited for so far (POSIX
		 * has no per-child figure; the benchmark runs each sweep in
		 * a process of its own). */
		struct rusage ru;

		if (getrusage(RUSAGE_CHILDREN, &ru) == 0)
			s->worker_rss_kb = ru.ru_maxrss;
	}
	progress_draw(&p, true);
	if (rc == 0 && p.done != p.total) {
		fprintf(stderr,
		    "mxsim: %" PRIu64 " of %" PRIu64 " runs reported\n", p.done,
		    p.total);
		rc = -1;
	}
	free(in);
	qsort(s->rec, s->nrec, sizeof(*s->rec), rec_cmp);
	return rc;
}

/* --profiles-for must name a sender of the scenario (compare mode's
 * rule): an override that applies to no one would run the same sweep
 * under every label. */
static int
check_pfor(const struct sweep *s, const struct world *w)
{
	const struct world_host *h = world_host_find(w, s->pfor);
	const char *sg;

	if (h != NULL && h->sender)
		return 0;
	if (h != NULL)
		fprintf(stderr,
		    "mxsim sweep: --profiles-for: host '%s' has no sender "
		    "role\n",
		    s->pfor);
	else if ((sg = world_host_suggest(w, s->pfor)) != NULL)
		fprintf(stderr,
		    "mxsim sweep: --profiles-for: no host named '%s' (did "
		    "you mean '%s'?)\n",
		    s->pfor, sg);
	else
		fprintf(stderr,
		    "mxsim sweep: --profiles-for: no host named "
		    "'%s'\n",
		    s->pfor);
	return -1;
}

/* Loads world 'wi': the scenario with that point's -D values, its
 * senders (or the --profiles-for one) given that point's profile. */
static int
load_world(struct sweep *s, const char *file, size_t wi)
{
	struct mxl_limits lim;
	struct mxl_params pp;
	struct mxl_override ov = {NULL, s->pfor};
	struct mx_err err;
	char *defs[SWEEP_MAXAXES];
	size_t i, h, nd = 0, rest = wi;
	int rc;

	for (i = s->nd; i-- > 0;) {
		const struct sweep_axis *a = &s->ax[i];
		size_t n, k;

		k = rest % a->nvalues;
		rest /= a->nvalues;
		if (a->profile) {
			ov.profile = a->values[k];
			continue;
		}
		n = strlen(a->param) + strlen(a->values[k]) + 2;
		defs[i] = mx_xmalloc(n);
		snprintf(defs[i], n, "%s=%s", a->param, a->values[k]);
		nd++;
	}
	/* The -D axes are the first ones, the profile axis after them. */
	memset(&pp, 0, sizeof(pp));
	pp.defines = (const char *const *)defs;
	pp.ndefines = nd;
	mxl_limits_default(&lim);
	lim.params = &pp;
	mx_err_clear(&err);
	world_init(&s->worlds[wi]);
	s->nworlds = wi + 1;
	rc = mxl_scenario_load_as(
	    file, &lim, ov.profile ? &ov : NULL, &s->worlds[wi], &err);
	if (rc != 0)
		fprintf(stderr, "%s\n", err.msg);
	mxl_params_free(&pp);
	for (i = 0; i < nd; i++)
		free(defs[i]);
	if (rc != 0 || (s->pfor != NULL && check_pfor(s, &s->worlds[wi]) != 0))
		return -1;
	s->bases[wi] =
	    mx_xcalloc(s->worlds[wi].nhosts + 1, sizeof(*s->bases[wi]));
	for (h = 0; h < s->worlds[wi].nhosts; h++)
		s->bases[wi][h] = s->worlds[wi].hosts[h].prof;
	make_targets(s, &s->worlds[wi]);
	return 0;
}

/* Each variant's profile for each row's sender ("-" where the variant's
 * world has no such sender). */
static void
make_profiles(struct sweep *s)
{
	size_t v, t;

	s->prof = mx_xcalloc(s->nvar * s->ntg + 1, sizeof(*s->prof));
	for (v = 0; v < s->nvar; v++) {
		const struct world *w = &s->worlds[world_index(s, v)];

		for (t = 0; t < s->ntg; t++) {
			const struct world_host *h =
			    world_host_find(w, s->tg[t].sender);

			s->prof[v * s->ntg + t] = mx_xstrdup(
			    h != NULL && h->sender ? h->prof.name : "-");
		}
	}
}

/* Loads the scenario (once per -D point) and prepares the grid and the
 * rows. */
static int
sweep_load(struct sweep *s, const char *file)
{
	struct mx_err err;
	size_t i, v, n = 1;

	for (i = 0; i < s->nd; i++)
		n *= s->ax[i].nvalues;
	s->worlds = mx_xcalloc(n, sizeof(*s->worlds));
	s->bases = mx_xcalloc(n, sizeof(*s->bases));
	for (i = 0; i < n; i++)
		if (load_world(s, file, i) != 0)
			return -1;
	s->name = mx_xstrdup(s->worlds[0].name);
	make_variants(s);
	make_profiles(s);
	if (s->ntg == 0) {
		fprintf(
		    stderr, "mxsim: %s: the scenario sends no message\n", file);
		return -1;
	}
	/* What would fail in every run fails here, once. */
	for (v = 0; v < s->nvar; v++) {
		struct world_run run;
		const struct world *w = apply_variant(s, v);

		mx_err_clear(&err);
		if (world_run_init(&run, w, w->seed, &err) != 0) {
			fprintf(stderr, "%s\n", err.msg);
			world_run_fini(&run);
			return -1;
		}
		world_run_fini(&run);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Shard files                                                          */

static int
shard_write(const struct sweep *s, const char *path)
{
	struct outf o;
	size_t i;

	if (out_open(&o, path) != 0)
		return -1;
	fprintf(o.f, "mxsim-sweep %d\n", SWEEP_FORMAT);
	fprintf(o.f, "scenario %s\n", s->name);
	fprintf(o.f, "hash %016" PRIx64 "\n", s->hash);
	fprintf(o.f, "seed %" PRIu64 "\n", s->seed0);
	fprintf(o.f, "runs %" PRIu64 "\n", s->runs);
	fprintf(o.f, "shard %" PRIu64 "/%" PRIu64 " %" PRIu64 " %" PRIu64 "\n",
	    s->shard, s->nshards, s->first, s->count);
	fprintf(o.f, "deadlines");
	for (i = 0; i < s->ndl; i++)
		fprintf(o.f, " %" PRId64, s->dl[i]);
	fprintf(o.f, "\n");
	for (i = 0; i < s->nvar; i++)
		fprintf(o.f, "variant %zu %s\n", i, s->var[i]);
	for (i = 0; i < s->ntg; i++)
		fprintf(o.f, "target %zu %s %s\n", i, s->tg[i].sender,
		    s->tg[i].rcpt);
	for (i = 0; i < s->nvar * s->ntg; i++)
		fprintf(o.f, "profile %zu %zu %s\n", i / s->ntg, i % s->ntg,
		    s->prof[i]);
	for (i = 0; i < s->nrec; i++) {
		const struct sweep_rec *r = &s->rec[i];

		fprintf(o.f, "r %" PRIu32 " %u %u %s %" PRId64 " %" PRIu32 "\n",
		    r->run, (unsigned)r->var, (unsigned)r->tg,
		    mta_outcome_name((enum mta_outcome)r->outcome), r->lat,
		    r->attempts);
	}
	fprintf(o.f, "end %zu\n", s->nrec);
	return out_close(&o, true);
}

struct reader {
	FILE *f;          /* the file */
	const char *path; /* its name */
	int line;         /* current line */
	char *buf;        /* owned line buffer */
	size_t cap;       /* its size */
};

static int
bad_shard(const struct reader *rd, const char *what)
{
	fprintf(stderr, "mxsim merge: %s:%d: %s\n", rd->path, rd->line, what);
	return -1;
}

/* The next line without its newline, or NULL at the end. */
static char *
next_line(struct reader *rd)
{
	ssize_t n = getline(&rd->buf, &rd->cap, rd->f);

	if (n < 0)
		return NULL;
	rd->line++;
	if (n > 0 && rd->buf[n - 1] == '\n')
		rd->buf[n - 1] = '\0';
	return rd->buf;
}

/* A header line "KEY rest": returns 'rest' or NULL. */
static const char *
header(struct reader *rd, const char *key)
{
	char *l = next_line(rd);
	size_t n = strlen(key);

	if (l == NULL || strncmp(l, key, n) != 0 || l[n] != ' ')
		return NULL;
	return l + n + 1;
}

static int
outcome_of(const char *w)
{
	if (strcmp(w, mta_outcome_name(MTA_DELIVERED)) == 0)
		return MTA_DELIVERED;
	if (strcmp(w, mta_outcome_name(MTA_BOUNCED)) == 0)
		return MTA_BOUNCED;
	if (strcmp(w, mta_outcome_name(MTA_DEFERRED)) == 0)
		return MTA_DEFERRED;
	return -1;
}

/* Reads the records of a shard into 's', from the line 'l' already
 * read. */
static int
shard_records(struct sweep *s, struct reader *rd, char *l)
{
	size_t n = 0;
	uint32_t seq = 0, lastrun = UINT32_MAX;
	unsigned lastvar = UINT32_MAX;

	for (; l != NULL; l = next_line(rd)) {
		struct sweep_rec r;
		unsigned long run, var, tg, att;
		long long lat;
		char word[16];
		int o, used = 0;
		size_t want;

		if (sscanf(l, "end %zu%n", &want, &used) == 1 &&
		    l[used] == '\0') {
			if (want != n)
				return bad_shard(rd, "the record count "
				                     "differs from 'end'");
			return 0;
		}
		if (sscanf(l, "r %lu %lu %lu %15s %lld %lu%n", &run, &var, &tg,
		        word, &lat, &att, &used) != 6 ||
		    l[used] != '\0')
			return bad_shard(rd,
			    "expected a record 'r RUN VARIANT "
			    "TARGET OUTCOME LATENCY ATTEMPTS'");
		o = outcome_of(word);
		if (o < 0 || var >= s->nvar || tg >= s->ntg || run < s->first ||
		    run >= s->first + s->count || lat < -1 ||
		    (lat < 0) != (o == MTA_DEFERRED) || att > UINT32_MAX)
			return bad_shard(rd, "a record out of range");
		memset(&r, 0, sizeof(r));
		r.run = (uint32_t)run;
		r.var = (uint16_t)var;
		r.tg = (uint16_t)tg;
		if (r.run != lastrun || r.var != lastvar)
			seq = 0;
		lastrun = r.run;
		lastvar = r.var;
		r.seq = seq++;
		r.outcome = (uint8_t)o;
		r.lat = lat;
		r.attempts = (uint32_t)att;
		rec_add(s, &r);
		n++;
	}
	return bad_shard(rd, "truncated: no 'end' line");
}

/* Reads one shard file.  'first' is true for the first file: it sets
 * the sweep; the others must agree with it. */
static int
shard_read(struct sweep *s, const char *path, bool first, bool *seen)
{
	struct reader rd;
	const char *v;
	char *name = NULL;
	uint64_t hash, seed, runs, i, n, f0, cnt;
	sim_time_t dl[SWEEP_MAXDL];
	size_t ndl = 0;
	char *l = NULL;
	size_t nprof = 0;
	int rc = -1, used = 0;

	memset(&rd, 0, sizeof(rd));
	rd.path = path;
	rd.f = fopen(path, "r");
	if (rd.f == NULL) {
		fprintf(stderr, "mxsim merge: cannot read '%s': %s\n", path,
		    strerror(errno));
		return -1;
	}
	v = header(&rd, "mxsim-sweep");
	if (v == NULL || strcmp(v, "2") != 0) {
		bad_shard(&rd, "not an mxsim sweep file (version 2)");
		goto out;
	}
	if ((v = header(&rd, "scenario")) == NULL) {
		bad_shard(&rd, "expected 'scenario NAME'");
		goto out;
	}
	name = mx_xstrdup(v);
	if ((v = header(&rd, "hash")) == NULL ||
	    sscanf(v, "%16" SCNx64 "%n", &hash, &used) != 1 || v[used]) {
		bad_shard(&rd, "expected 'hash HEX'");
		goto out;
	}
	if ((v = header(&rd, "seed")) == NULL ||
	    !parse_u64(v, INT64_MAX, &seed)) {
		bad_shard(&rd, "expected 'seed N'");
		goto out;
	}
	if ((v = header(&rd, "runs")) == NULL ||
	    !parse_u64(v, SWEEP_MAXRUNS, &runs) || runs == 0) {
		bad_shard(&rd, "expected 'runs N'");
		goto out;
	}
	if ((v = header(&rd, "shard")) == NULL ||
	    sscanf(v, "%" SCNu64 "/%" SCNu64 " %" SCNu64 " %" SCNu64 "%n", &i,
	        &n, &f0, &cnt, &used) != 4 ||
	    v[used] || n == 0 || i >= n || f0 != shard_first(i, n, runs) ||
	    f0 + cnt != shard_first(i + 1, n, runs)) {
		bad_shard(&rd, "expected 'shard I/N FIRST COUNT' of a "
		               "valid slice");
		goto out;
	}
	if ((v = header(&rd, "deadlines")) == NULL) {
		bad_shard(&rd, "expected 'deadlines NS...'");
		goto out;
	}
	while (*v != '\0' && ndl < SWEEP_MAXDL) {
		long long d;

		if (sscanf(v, " %lld%n", &d, &used) != 1 || d <= 0)
			break;
		dl[ndl++] = d;
		v += used;
	}
	if (*v != '\0' || ndl == 0) {
		bad_shard(&rd, "bad 'deadlines' line");
		goto out;
	}
	if (first) {
		s->name = name;
		name = NULL;
		s->hash = hash;
		s->seed0 = seed;
		s->runs = runs;
		s->nshards = n;
		memcpy(s->dl, dl, sizeof(dl));
		s->ndl = ndl;
	} else if (strcmp(name, s->name) != 0 || hash != s->hash ||
	           seed != s->seed0 || runs != s->runs) {
		fprintf(stderr,
		    "mxsim merge: '%s' is from another sweep (scenario '%s', "
		    "hash %016" PRIx64 ", seed %" PRIu64 ", %" PRIu64
		    " runs; the first file has '%s', %016" PRIx64 ", %" PRIu64
		    ", %" PRIu64 ")\n",
		    path, name, hash, seed, runs, s->name, s->hash, s->seed0,
		    s->runs);
		goto out;
	} else if (n != s->nshards) {
		fprintf(stderr,
		    "mxsim merge: '%s' is shard %" PRIu64 "/%" PRIu64
		    ", the first file is of %" PRIu64 " shards\n",
		    path, i, n, s->nshards);
		goto out;
	} else if (ndl != s->ndl || memcmp(dl, s->dl, ndl * sizeof(*dl))) {
		fprintf(stderr,
		    "mxsim merge: '%s' has other deadlines than the first "
		    "file\n",
		    path);
		goto out;
	}
	if (seen[i]) {
		fprintf(stderr,
		    "mxsim merge: shard %" PRIu64 "/%" PRIu64
		    " given twice ('%s')\n",
		    i, n, path);
		goto out;
	}
	seen[i] = true;
	/* Variants, targets, profiles: the same lists in every shard. */
	for (;;) {
		size_t idx, pt;
		char a[256], b[256], c[512];

		l = next_line(&rd);
		if (l == NULL) {
			bad_shard(&rd, "truncated header");
			goto out;
		}
		if (sscanf(l, "variant %zu %n", &idx, &used) == 1) {
			if (nprof != 0 || (first && s->ntg != 0)) {
				bad_shard(&rd, "'variant' lines come first");
				goto out;
			}
			if (first && idx == s->nvar) {
				void *p = s->var;
				size_t cap = s->nvar;

				mx_grow(&p, &cap, s->nvar + 1, sizeof(*s->var));
				s->var = p;
				s->var[s->nvar++] = mx_xstrdup(l + used);
			} else if (first || idx >= s->nvar ||
			           strcmp(s->var[idx], l + used) != 0) {
				bad_shard(&rd, "variants differ from the "
				               "first file's");
				goto out;
			}
			continue;
		}
		if (nprof == 0 &&
		    sscanf(l, "target %zu %255s %511s%n", &idx, a, c, &used) ==
		        3 &&
		    l[used] == '\0') {
			if (first && idx == s->ntg) {
				void *p = s->tg;
				size_t cap = s->ntg;

				mx_grow(&p, &cap, s->ntg + 1, sizeof(*s->tg));
				s->tg = p;
				s->tg[s->ntg].sender = mx_xstrdup(a);
				s->tg[s->ntg].rcpt = mx_xstrdup(c);
				s->ntg++;
			} else if (first || idx >= s->ntg ||
			           strcmp(s->tg[idx].sender, a) != 0 ||
			           strcmp(s->tg[idx].rcpt, c) != 0) {
				bad_shard(&rd, "targets differ from the "
				               "first file's");
				goto out;
			}
			continue;
		}
		if (sscanf(l, "profile %zu %zu %255s%n", &idx, &pt, b, &used) ==
		        3 &&
		    l[used] == '\0') {
			/* In order: variant by variant, target by target. */
			if (s->nvar == 0 || s->ntg == 0 ||
			    idx * s->ntg + pt != nprof || pt >= s->ntg ||
			    nprof >= s->nvar * s->ntg) {
				bad_shard(&rd, "'profile' lines out of order");
				goto out;
			}
			if (first) {
				if (s->prof == NULL)
					s->prof = mx_xcalloc(
					    s->nvar * s->ntg, sizeof(*s->prof));
				s->prof[nprof] = mx_xstrdup(b);
			} else if (strcmp(s->prof[nprof], b) != 0) {
				bad_shard(&rd, "profiles differ from the "
				               "first file's");
				goto out;
			}
			nprof++;
			continue;
		}
		if (strncmp(l, "r ", 2) == 0 || strncmp(l, "end ", 4) == 0)
			break; /* the records start here */
		bad_shard(&rd, "expected 'variant', 'target', 'r' or 'end'");
		goto out;
	}
	if (s->nvar == 0 || s->ntg == 0 || nprof != s->nvar * s->ntg) {
		bad_shard(&rd, "expected variants, targets and a 'profile' "
		               "line for each of their pairs");
		goto out;
	}
	s->first = f0;
	s->count = cnt;
	rc = shard_records(s, &rd, l);
out:
	free(name);
	free(rd.buf);
	fclose(rd.f);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Counting and reporting                                               */

static struct sweep_cell *
cell(const struct sweep *s, size_t v, size_t t)
{
	return &s->cell[v * s->ntg + t];
}

static void
count(struct sweep *s)
{
	size_t i, d;

	s->cell = mx_xcalloc(s->nvar * s->ntg + 1, sizeof(*s->cell));
	for (i = 0; i < s->nrec; i++) {
		const struct sweep_rec *r = &s->rec[i];
		struct sweep_cell *c = cell(s, r->var, r->tg);

		c->n++;
		c->attempts += r->attempts;
		if (r->outcome == MTA_BOUNCED)
			c->bounced++;
		else if (r->outcome == MTA_DEFERRED)
			c->deferred++;
		else {
			void *p = c->lat;

			c->delivered++;
			for (d = 0; d < s->ndl; d++)
				c->within[d] += r->lat <= s->dl[d];
			mx_grow(&p, &c->caplat, c->nlat + 1, sizeof(*c->lat));
			c->lat = p;
			c->lat[c->nlat++] = r->lat;
		}
	}
	for (i = 0; i < s->nvar * s->ntg; i++)
		stats_sort_times(s->cell[i].lat, s->cell[i].nlat);
}

static const double sweep_pcts[] = {50, 90, 99};

static void
report_table(const struct sweep *s, FILE *f)
{
	size_t v, t, d, i, vw = 7, tw = 18;
	char a[32], b[32], c[32], e[32];

	fprintf(f,
	    "Sweep of %s: %" PRIu64 " runs (seeds %" PRIu64 "-%" PRIu64
	    "), %zu variant%s\n",
	    s->name, s->runs, s->seed0, s->seed0 + s->runs - 1, s->nvar,
	    s->nvar == 1 ? "" : "s");
	/* Columns as wide as the longest label. */
	for (v = 0; v < s->nvar; v++)
		if (strlen(s->var[v]) > vw)
			vw = strlen(s->var[v]);
	for (t = 0; t < s->ntg; t++)
		if (strlen(s->tg[t].sender) + strlen(s->tg[t].rcpt) + 3 > tw)
			tw =
			    strlen(s->tg[t].sender) + strlen(s->tg[t].rcpt) + 3;
	fprintf(f, "%-*s %-*s %6s", (int)vw, "variant", (int)tw,
	    "sender > recipient", "n");
	for (d = 0; d < s->ndl; d++) {
		char h[40];

		snprintf(h, sizeof(h), "<= %s [95%%]",
		    dur_format(s->dl[d], a, sizeof(a)));
		fprintf(f, " %-20s", h);
	}
	fprintf(f, " %8s %8s %8s %8s %6s %6s %6s\n", "p50", "p90", "p99", "max",
	    "tries", "bounce", "defer");
	for (v = 0; v < s->nvar; v++)
		for (t = 0; t < s->ntg; t++) {
			const struct sweep_cell *cl = cell(s, v, t);
			char who[300];

			if (cl->n == 0)
				continue;
			snprintf(who, sizeof(who), "%s > %s", s->tg[t].sender,
			    s->tg[t].rcpt);
			fprintf(f, "%-*s %-*s %6" PRIu64, (int)vw, s->var[v],
			    (int)tw, who, cl->n);
			for (d = 0; d < s->ndl; d++) {
				double lo, hi;
				char x[40];

				stats_wilson(
				    cl->within[d], cl->n, STATS_Z95, &lo, &hi);
				snprintf(x, sizeof(x), "%5.1f%% [%.1f-%.1f]",
				    100.0 * (double)cl->within[d] /
				        (double)cl->n,
				    100.0 * lo, 100.0 * hi);
				fprintf(f, " %-20s", x);
			}
			for (i = 0; i < 3; i++)
				fprintf(f, " %8s",
				    lat_str(stats_percentile(cl->lat, cl->nlat,
				                sweep_pcts[i]),
				        i == 0   ? a
				        : i == 1 ? b
				                 : c,
				        sizeof(a)));
			fprintf(f, " %8s %6.2f %6" PRIu64 " %6" PRIu64 "\n",
			    lat_str(cl->nlat ? cl->lat[cl->nlat - 1] : -1, e,
			        sizeof(e)),
			    (double)cl->attempts / (double)cl->n, cl->bounced,
			    cl->deferred);
		}
}

/* Seconds with microseconds, or 'none' when there is no value. */
static void
put_secs(FILE *f, sim_time_t t, const char *none)
{
	if (t < 0)
		fputs(none, f);
	else
		fprintf(f, "%.6f", (double)t / 1e9);
}

static int
write_csv(const struct sweep *s, const char *path)
{
	struct outf o;
	size_t v, t, d, i;
	char a[32];

	if (out_open(&o, path) != 0)
		return -1;
	fprintf(o.f, "variant,sender,profile,recipient,samples,delivered,"
	             "bounced,deferred,mean_attempts,p50_s,p90_s,p99_s,"
	             "max_s");
	for (d = 0; d < s->ndl; d++) {
		dur_format(s->dl[d], a, sizeof(a));
		fprintf(o.f, ",within_%s,within_%s_lo,within_%s_hi", a, a, a);
	}
	fprintf(o.f, "\n");
	for (v = 0; v < s->nvar; v++)
		for (t = 0; t < s->ntg; t++) {
			const struct sweep_cell *cl = cell(s, v, t);

			if (cl->n == 0)
				continue;
			csv_field(o.f, s->var[v]);
			fputc(',', o.f);
			csv_field(o.f, s->tg[t].sender);
			fputc(',', o.f);
			csv_field(o.f, s->prof[v * s->ntg + t]);
			fputc(',', o.f);
			csv_field(o.f, s->tg[t].rcpt);
			fprintf(o.f,
			    ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
			    ",%.6f",
			    cl->n, cl->delivered, cl->bounced, cl->deferred,
			    (double)cl->attempts / (double)cl->n);
			for (i = 0; i < 3; i++) {
				fputc(',', o.f);
				put_secs(o.f,
				    stats_percentile(
				        cl->lat, cl->nlat, sweep_pcts[i]),
				    "");
			}
			fputc(',', o.f);
			put_secs(
			    o.f, cl->nlat ? cl->lat[cl->nlat - 1] : -1, "");
			for (d = 0; d < s->ndl; d++) {
				double lo, hi;

				stats_wilson(
				    cl->within[d], cl->n, STATS_Z95, &lo, &hi);
				fprintf(o.f, ",%.6f,%.6f,%.6f",
				    (double)cl->within[d] / (double)cl->n, lo,
				    hi);
			}
			fprintf(o.f, "\n");
		}
	return out_close(&o, true);
}

/* The variant's knobs as a JSON object, from its label "k=v k=v". */
static void
json_knobs(FILE *f, const char *label)
{
	char buf[1024], *tok, *save = NULL;
	bool any = false;

	fputc('{', f);
	snprintf(buf, sizeof(buf), "%s", label);
	for (tok = strtok_r(buf, " ", &save); tok != NULL;
	     tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');

		if (eq == NULL)
			continue;
		*eq = '\0';
		fputs(any ? ", " : "", f);
		json_str(f, tok);
		fputs(": ", f);
		json_str(f, eq + 1);
		any = true;
	}
	fputc('}', f);
}

static int
write_json(const struct sweep *s, const char *path)
{
	struct outf o;
	size_t v, t, d, i;
	bool firstrow;

	if (out_open(&o, path) != 0)
		return -1;
	fprintf(o.f, "{\n  \"scenario\": ");
	json_str(o.f, s->name);
	fprintf(o.f,
	    ",\n  \"hash\": \"%016" PRIx64 "\",\n  \"seed\": %" PRIu64
	    ",\n  \"runs\": %" PRIu64 ",\n  \"confidence\": 0.95,\n"
	    "  \"deadlines_s\": [",
	    s->hash, s->seed0, s->runs);
	for (d = 0; d < s->ndl; d++)
		fprintf(o.f, "%s%.6f", d ? ", " : "", (double)s->dl[d] / 1e9);
	fprintf(o.f, "],\n  \"variants\": [");
	for (v = 0; v < s->nvar; v++) {
		fprintf(o.f, "%s\n    {\"label\": ", v ? "," : "");
		json_str(o.f, s->var[v]);
		fprintf(o.f, ", \"knobs\": ");
		json_knobs(o.f, s->var[v]);
		fprintf(o.f, ", \"rows\": [");
		firstrow = true;
		for (t = 0; t < s->ntg; t++) {
			const struct sweep_cell *cl = cell(s, v, t);

			if (cl->n == 0)
				continue;
			fprintf(o.f,
			    "%s\n      {\"sender\": ", firstrow ? "" : ",");
			firstrow = false;
			json_str(o.f, s->tg[t].sender);
			fprintf(o.f, ", \"profile\": ");
			json_str(o.f, s->prof[v * s->ntg + t]);
			fprintf(o.f, ", \"recipient\": ");
			json_str(o.f, s->tg[t].rcpt);
			fprintf(o.f,
			    ", \"samples\": %" PRIu64
			    ", \"delivered\": %" PRIu64
			    ", \"bounced\": %" PRIu64 ", \"deferred\": %" PRIu64
			    ", \"mean_attempts\": %.6f, \"latency_s\": {",
			    cl->n, cl->delivered, cl->bounced, cl->deferred,
			    (double)cl->attempts / (double)cl->n);
			for (i = 0; i < 3; i++) {
				fprintf(o.f, "\"p%.0f\": ", sweep_pcts[i]);
				put_secs(o.f,
				    stats_percentile(
				        cl->lat, cl->nlat, sweep_pcts[i]),
				    "null");
				fputs(", ", o.f);
			}
			fputs("\"max\": ", o.f);
			put_secs(
			    o.f, cl->nlat ? cl->lat[cl->nlat - 1] : -1, "null");
			fprintf(o.f, "}, \"within\": [");
			for (d = 0; d < s->ndl; d++) {
				double lo, hi;

				stats_wilson(
				    cl->within[d], cl->n, STATS_Z95, &lo, &hi);
				fprintf(o.f,
				    "%s{\"deadline_s\": %.6f, \"count\": "
				    "%" PRIu64 ", \"fraction\": %.6f, "
				    "\"lo\": %.6f, \"hi\": %.6f}",
				    d ? ", " : "", (double)s->dl[d] / 1e9,
				    cl->within[d],
				    (double)cl->within[d] / (double)cl->n, lo,
				    hi);
			}
			fprintf(o.f, "]}");
		}
		fprintf(o.f, "\n    ]}");
	}
	fprintf(o.f, "\n  ]\n}\n");
	return out_close(&o, true);
}

/* --- the SVG plot: latency CDF, log time axis --- */

/* The plot area is PW x PH; the legend goes below it, one line per
 * curve (PLEG px), so that long variant labels keep the whole width and
 * any number of curves has room: the picture grows downwards. */
enum {
	PW = 760,
	PH = 440,
	PL = 70,
	PR = 30,
	PT = 40,
	PB = 50,
	PLEG = 16,
	PLEGCHARS = 100, /* longest legend text (about 6.5 px a character) */
};

/* Curve k gets colour k mod 10 and dash pattern (k + k / 10) mod 4: the
 * first 40 curves all differ in (colour, dash), and neighbours differ in
 * both, so curves stay apart in greyscale too. */
static const char *const plot_dashes[] = {
    "",
    "9 4",
    "2 3",
    "9 3 2 3",
};

static const char *const plot_colors[] = {
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
};

struct axis {
	double lx0, lx1; /* log10 seconds at the ends */
};

static double
px_x(const struct axis *ax, sim_time_t t)
{
	double s = (double)t / 1e9, l;

	l = s > 0 ? log10(s) : ax->lx0;
	if (l < ax->lx0)
		l = ax->lx0;
	if (l > ax->lx1)
		l = ax->lx1;
	return PL + (l - ax->lx0) / (ax->lx1 - ax->lx0) * (PW - PL - PR);
}

static double
px_y(double frac)
{
	return PT + (1.0 - frac) * (PH - PT - PB);
}

static void
plot_axes(const struct sweep *s, FILE *f, const struct axis *ax)
{
	static const sim_time_t ticks[] = {
	    SIM_MS(1),
	    SIM_MS(10),
	    SIM_MS(100),
	    SIM_S(1),
	    SIM_S(10),
	    SIM_MIN(1),
	    SIM_MIN(10),
	    SIM_H(1),
	    SIM_H(6),
	    SIM_DAY(1),
	    SIM_DAY(5),
	    SIM_DAY(30),
	};
	size_t i;
	char a[32];
	int k;

	fprintf(f,
	    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
	    "fill=\"none\" stroke=\"#000\"/>\n",
	    PL, PT, PW - PL - PR, PH - PT - PB);
	for (k = 0; k <= 10; k += 2) {
		double y = px_y(k / 10.0);

		fprintf(f,
		    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
		    "stroke=\"#ddd\"/>\n<text x=\"%d\" y=\"%.1f\" "
		    "text-anchor=\"end\">%d%%</text>\n",
		    PL, y, PW - PR, y, PL - 6, y + 4, k * 10);
	}
	for (i = 0; i < sizeof(ticks) / sizeof(ticks[0]); i++) {
		double l = log10((double)ticks[i] / 1e9), x;

		if (l < ax->lx0 - 1e-9 || l > ax->lx1 + 1e-9)
			continue;
		x = px_x(ax, ticks[i]);
		fprintf(f,
		    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
		    "stroke=\"#ddd\"/>\n<text x=\"%.1f\" y=\"%d\" "
		    "text-anchor=\"middle\">%s</text>\n",
		    x, PT, x, PH - PB, x, PH - PB + 16,
		    dur_format(ticks[i], a, sizeof(a)));
	}
	for (i = 0; i < s->ndl; i++) {
		double x = px_x(ax, s->dl[i]);

		fprintf(f,
		    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
		    "stroke=\"#888\" stroke-dasharray=\"4 3\"/>\n"
		    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" "
		    "fill=\"#555\">%s</text>\n",
		    x, PT, x, PH - PB, x, PT - 4,
		    dur_format(s->dl[i], a, sizeof(a)));
	}
	fprintf(f,
	    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">latency from "
	    "queueing to delivery (log scale)</text>\n",
	    (PL + PW - PR) / 2, PH - 12);
	fprintf(f,
	    "<text x=\"16\" y=\"%d\" text-anchor=\"middle\" "
	    "transform=\"rotate(-90 16 %d)\">delivered</text>\n",
	    (PT + PH - PB) / 2, (PT + PH - PB) / 2);
}

/* One curve: the fraction of all outcomes delivered within x. */
static void
plot_style(FILE *f, size_t k)
{
	const char *dash = plot_dashes[(k + k / 10) % 4];

	fprintf(f, "stroke=\"%s\" stroke-width=\"2\"",
	    plot_colors[k % (sizeof(plot_colors) / sizeof(plot_colors[0]))]);
	if (*dash != '\0')
		fprintf(f, " stroke-dasharray=\"%s\"", dash);
}

static void
plot_curve(
    const struct sweep_cell *cl, FILE *f, const struct axis *ax, size_t k)
{
	size_t i = 0;
	double y = px_y(0.0);

	fprintf(f, "<polyline fill=\"none\" ");
	plot_style(f, k);
	fprintf(f, " points=\"%.1f,%.1f", px_x(ax, 0), y);
	while (i < cl->nlat) {
		sim_time_t t = cl->lat[i];
		double x = px_x(ax, t);

		while (i < cl->nlat && cl->lat[i] == t)
			i++;
		fprintf(f, " %.1f,%.1f", x, y);
		y = px_y((double)i / (double)cl->n);
		fprintf(f, " %.1f,%.1f", x, y);
	}
	fprintf(f, " %d,%.1f\"/>\n", PW - PR, y);
}

/* Legend entry k: the curve's style, its label (the variant, and the
 * recipient when there are several) and where it ends. */
static void
plot_legend(const struct sweep *s, FILE *f, size_t v, size_t t, size_t k)
{
	const struct sweep_cell *cl = cell(s, v, t);
	int y = PH + 6 + (int)k * PLEG;
	char text[PLEGCHARS + 200];
	size_t n;

	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" ", PL, y,
	    PL + 34, y);
	plot_style(f, k);
	fprintf(f, "/>\n<text x=\"%d\" y=\"%d\">", PL + 40, y + 4);
	snprintf(text, sizeof(text), "%s%s%s", s->nvar > 1 ? s->var[v] : "",
	    s->nvar > 1 && s->ntg > 1 ? ": " : "",
	    s->ntg > 1 || s->nvar == 1 ? s->tg[t].rcpt : "");
	/* A label too long for the width is cut where it would overflow. */
	if (strlen(text) > PLEGCHARS - 20)
		snprintf(text + PLEGCHARS - 23, 4, "...");
	n = strlen(text);
	snprintf(text + n, sizeof(text) - n, " (%.1f%% delivered)",
	    100.0 * (double)cl->delivered / (double)cl->n);
	xml_text(f, text);
	fprintf(f, "</text>\n");
}

static int
write_plot(const struct sweep *s, const char *path)
{
	struct outf o;
	struct axis ax;
	sim_time_t lo = -1, hi = -1;
	size_t v, t, k = 0, ncurves = 0;
	int height;

	if (out_open(&o, path) != 0)
		return -1;
	for (v = 0; v < s->nvar * s->ntg; v++) {
		const struct sweep_cell *cl = &s->cell[v];

		ncurves += cl->n > 0;
		if (cl->nlat == 0)
			continue;
		for (t = 0; t < cl->nlat && cl->lat[t] <= 0; t++)
			;
		if (t < cl->nlat && (lo < 0 || cl->lat[t] < lo))
			lo = cl->lat[t];
		if (cl->lat[cl->nlat - 1] > hi)
			hi = cl->lat[cl->nlat - 1];
	}
	for (t = 0; t < s->ndl; t++)
		if (s->dl[t] > hi)
			hi = s->dl[t];
	/* Whole decades around what there is to show. */
	ax.lx0 = lo > 0 ? floor(log10((double)lo / 1e9)) : -3.0;
	ax.lx1 = hi > 0 ? ceil(log10((double)hi / 1e9)) : 5.0;
	if (ax.lx0 < -6)
		ax.lx0 = -6;
	if (ax.lx1 <= ax.lx0)
		ax.lx1 = ax.lx0 + 1;
	height = PH + 6 + (int)ncurves * PLEG + 4;
	fprintf(o.f,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" "
	    "font-size=\"11\">\n<rect width=\"100%%\" height=\"100%%\" "
	    "fill=\"#fff\"/>\n<text x=\"%d\" y=\"18\" font-size=\"13\">",
	    PW, height, PW, height, PL);
	xml_text(o.f, s->name);
	fprintf(o.f, ": delivered within a time, %" PRIu64 " runs</text>\n",
	    s->runs);
	plot_axes(s, o.f, &ax);
	for (v = 0; v < s->nvar; v++)
		for (t = 0; t < s->ntg; t++) {
			if (cell(s, v, t)->n == 0)
				continue;
			plot_curve(cell(s, v, t), o.f, &ax, k);
			plot_legend(s, o.f, v, t, k);
			k++;
		}
	fprintf(o.f, "</svg>\n");
	return out_close(&o, true);
}

/* The table (unless quiet) and the files asked for. */
static int
report_all(struct sweep *s, bool quiet, const char *csv, const char *json,
    const char *plot, const char *out)
{
	int rc = SWEEP_EXIT_OK;

	count(s);
	if (!quiet)
		report_table(s, stdout);
	if (csv != NULL && write_csv(s, csv) != 0)
		rc = SWEEP_EXIT_USAGE;
	if (json != NULL && write_json(s, json) != 0)
		rc = SWEEP_EXIT_USAGE;
	if (plot != NULL && write_plot(s, plot) != 0)
		rc = SWEEP_EXIT_USAGE;
	if (out != NULL && shard_write(s, out) != 0)
		rc = SWEEP_EXIT_USAGE;
	return rc;
}

/* ------------------------------------------------------------------ */
/* Commands                                                             */

static void
sweep_usage(FILE *f)
{
	fprintf(f,
	    "usage: mxsim sweep FILE --runs N [--seed S] [--jobs J]\n"
	    "                  [--deadline 1h,4h,1d] [-D NAME=V1,V2,...]\n"
	    "                  [--profiles P1,P2,... [--profiles-for HOST]]\n"
	    "                  [--knob NAME=V1,V2,...]\n"
	    "                  [--csv F] [--json F] [--plot F.svg]\n"
	    "                  [--shard I/N --out F | --out F] [--quiet]\n"
	    "       mxsim merge SHARD... [--csv F] [--json F] [--plot F.svg]\n"
	    "                  [--out F] [--quiet]\n"
	    "\n"
	    "Runs the scenario under seeds S..S+N-1 (S: --seed, else the\n"
	    "scenario's) for every combination of the -D param values, the\n"
	    "--profiles (every sender's, or HOST's, as 'mxsim compare') and\n"
	    "the --knob values given to every sender, in J worker processes\n"
	    "(default: the cores), and\n"
	    "prints per variant and (sender, recipient) the fraction delivered\n"
	    "within each deadline with a 95%% Wilson interval, latency p50,\n"
	    "p90, p99 and max, mean connection attempts, bounces, deferred.\n"
	    "--shard I/N (I from 0) runs one slice and writes it to --out;\n"
	    "'mxsim merge' combines the N files.  docs/sweep.md has more.\n");
}

/* merge has its own options; its help names only those. */
static void
merge_usage(FILE *f)
{
	fprintf(f,
	    "usage: mxsim merge SHARD... [--csv F] [--json F] [--plot F.svg]\n"
	    "                   [--out F] [--quiet]\n"
	    "\n"
	    "Combines the files that 'mxsim sweep --shard I/N --out F' wrote,\n"
	    "in any order: checks that they are one sweep (scenario, hash,\n"
	    "seed, runs, deadlines, variants) and that every shard 0..N-1 is\n"
	    "there once, then reports as one sweep of every run would.\n"
	    "\n"
	    "  -c, --csv F        the table as CSV\n"
	    "  -J, --json F       the table as JSON\n"
	    "  -p, --plot F.svg   the latency CDF, SVG\n"
	    "  -o, --out F        the merged outcomes (the shard format)\n"
	    "  -q, --quiet        no table\n"
	    "  -h, --help         this text\n"
	    "\n"
	    "Exit status: 0 merged, 2 a shard is missing, repeated, from\n"
	    "another sweep or unreadable, or an output could not be written.\n"
	    "docs/sweep.md has more.\n");
}

static int
sweep_parse_shard(struct sweep_opts *o, const char *arg)
{
	char a[32], *slash;

	if (strlen(arg) >= sizeof(a))
		return -1;
	snprintf(a, sizeof(a), "%s", arg);
	slash = strchr(a, '/');
	if (slash == NULL)
		return -1;
	*slash = '\0';
	if (!parse_u64(a, 1000000, &o->shard) ||
	    !parse_u64(slash + 1, 1000000, &o->nshards) || o->nshards == 0 ||
	    o->shard >= o->nshards)
		return -1;
	o->has_shard = true;
	return 0;
}

static int
sweep_opts_parse(int argc, char **argv, struct sweep_opts *o)
{
	static const struct option lo[] = {
	    {"runs", required_argument, NULL, 'n'},
	    {"seed", required_argument, NULL, 's'},
	    {"jobs", required_argument, NULL, 'j'},
	    {"deadline", required_argument, NULL, 'd'},
	    {"knob", required_argument, NULL, 'k'},
	    {"define", required_argument, NULL, 'D'},
	    {"profiles", required_argument, NULL, 'P'},
	    {"profiles-for", required_argument, NULL, 'F'},
	    {"csv", required_argument, NULL, 'c'},
	    {"json", required_argument, NULL, 'J'},
	    {"plot", required_argument, NULL, 'p'},
	    {"shard", required_argument, NULL, 'S'},
	    {"out", required_argument, NULL, 'o'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int ch;
	uint64_t x;
	bool has_runs = false;

	memset(o, 0, sizeof(*o));
	o->deadlines = sweep_default_deadlines;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "n:s:j:d:k:D:P:F:c:J:p:S:o:qh", lo,
	            NULL)) != -1) {
		switch (ch) {
		case 'n':
			if (!parse_u64(optarg, SWEEP_MAXRUNS, &o->runs) ||
			    o->runs == 0)
				return usage_err("sweep",
				    "--runs needs a whole number from 1 to "
				    "%d, got '%s'",
				    SWEEP_MAXRUNS, optarg);
			has_runs = true;
			break;
		case 's':
			if (!parse_u64(optarg, INT64_MAX, &o->seed))
				return usage_err("sweep",
				    "--seed needs a whole number from 0 to "
				    "9223372036854775807, got '%s'",
				    optarg);
			o->has_seed = true;
			break;
		case 'j':
			if (!parse_u64(optarg, SWEEP_MAXJOBS, &x) || x == 0)
				return usage_err("sweep",
				    "--jobs needs a whole number from 1 to "
				    "%d, got '%s'",
				    SWEEP_MAXJOBS, optarg);
			o->jobs = (int)x;
			break;
		case 'd':
			o->deadlines = optarg;
			break;
		case 'k':
			if (o->nknob == SWEEP_MAXOPT)
				return usage_err("sweep",
				    "at most %d --knob options", SWEEP_MAXOPT);
			o->knob[o->nknob++] = optarg;
			break;
		case 'D':
			if (o->ndef == SWEEP_MAXOPT)
				return usage_err("sweep",
				    "at most %d -D options", SWEEP_MAXOPT);
			o->def[o->ndef++] = optarg;
			break;
		case 'P':
			if (o->profiles != NULL)
				return usage_err("sweep", "--profiles given "
				                          "twice: list the "
				                          "profiles in one");
			o->profiles = optarg;
			break;
		case 'F':
			o->pfor = optarg;
			break;
		case 'c':
			o->csv = optarg;
			break;
		case 'J':
			o->json = optarg;
			break;
		case 'p':
			o->plot = optarg;
			break;
		case 'S':
			if (sweep_parse_shard(o, optarg) != 0)
				return usage_err("sweep",
				    "--shard needs I/N with 0 <= I < N <= "
				    "1000000 (shards count from 0), got '%s'",
				    optarg);
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			sweep_usage(stdout);
			return -1;
		default:
			fprintf(stderr, "Try 'mxsim sweep --help'.\n");
			return SWEEP_EXIT_USAGE;
		}
	}
	if (optind != argc - 1)
		return usage_err("sweep", "needs exactly one scenario file");
	if (!has_runs)
		return usage_err("sweep", "--runs N is required");
	if (o->pfor != NULL && o->profiles == NULL)
		return usage_err("sweep", "--profiles-for needs --profiles");
	if (o->has_shard && o->out == NULL)
		return usage_err("sweep", "--shard needs --out FILE for the "
		                          "shard's results");
	if (o->has_seed && o->seed > (uint64_t)INT64_MAX - o->runs)
		return usage_err("sweep", "--seed plus --runs passes "
		                          "9223372036854775807");
	o->file = argv[optind];
	return 0;
}

static size_t
default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > SWEEP_MAXJOBS ? SWEEP_MAXJOBS : (size_t)n;
}

int
sweep_main(int argc, char **argv)
{
	struct sweep_opts o;
	struct sweep s;
	size_t i, nvar;
	int rc;

	rc = sweep_opts_parse(argc, argv, &o);
	if (rc != 0)
		return rc < 0 ? SWEEP_EXIT_OK : rc;
	memset(&s, 0, sizeof(s));
	s.runs = o.runs;
	s.nshards = o.has_shard ? o.nshards : 1;
	s.shard = o.has_shard ? o.shard : 0;
	s.first = shard_first(s.shard, s.nshards, s.runs);
	s.count = shard_first(s.shard + 1, s.nshards, s.runs) - s.first;
	rc = SWEEP_EXIT_USAGE;
	if (parse_deadlines(&s, "sweep", o.deadlines) != 0)
		goto out;
	for (i = 0; i < o.ndef; i++)
		if (parse_daxis(&s, "sweep", o.def[i]) != 0)
			goto out;
	if (o.profiles != NULL && parse_paxis(&s, "sweep", o.profiles) != 0)
		goto out;
	s.pfor = o.pfor;
	for (i = 0; i < o.nknob; i++)
		if (parse_axis(&s, "sweep", o.knob[i]) != 0)
			goto out;
	for (nvar = 1, i = 0; i < s.nax; i++)
		nvar *= s.ax[i].nvalues;
	if (nvar > SWEEP_MAXVAR) {
		usage_err("sweep", "the grid has %zu points, at most %d", nvar,
		    SWEEP_MAXVAR);
		goto out;
	}
	if (sweep_load(&s, o.file) != 0)
		goto out;
	s.seed0 = o.has_seed ? o.seed : s.worlds[0].seed;
	if (s.seed0 > (uint64_t)INT64_MAX - s.runs) {
		usage_err("sweep", "the scenario's seed plus --runs passes "
		                   "9223372036854775807");
		goto out;
	}
	if (s.ntg >= SWEEP_END) {
		fprintf(stderr, "mxsim: %s: too many recipients for a sweep\n",
		    o.file);
		goto out;
	}
	if (sweep_hash(&s, o.file) != 0)
		goto out;
	if (sweep_execute(&s, o.jobs > 0 ? (size_t)o.jobs : default_jobs(),
	        !o.quiet && isatty(STDERR_FILENO)) != 0)
		goto out;
	if (o.has_shard) {
		/* A slice alone says little: its file is for 'merge'. */
		rc = report_all(&s, true, o.csv, o.json, o.plot, o.out);
		if (rc == 0 && !o.quiet)
			printf("shard %" PRIu64 "/%" PRIu64 ": runs %" PRIu64
			       "-%" PRIu64 " (seeds %" PRIu64 "-%" PRIu64
			       "), %zu outcomes written to %s\n",
			    s.shard, s.nshards, s.first,
			    s.first + s.count - (s.count ? 1 : 0),
			    s.seed0 + s.first,
			    s.seed0 + s.first + s.count - (s.count ? 1 : 0),
			    s.nrec, o.out);
	} else
		rc = report_all(&s, o.quiet, o.csv, o.json, o.plot, o.out);
out:
	sweep_free(&s);
	return rc;
}

int
merge_main(int argc, char **argv)
{
	static const struct option lo[] = {
	    {"csv", required_argument, NULL, 'c'},
	    {"json", required_argument, NULL, 'J'},
	    {"plot", required_argument, NULL, 'p'},
	    {"out", required_argument, NULL, 'o'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *csv = NULL, *json = NULL, *plot = NULL, *out = NULL;
	bool quiet = false, *seen = NULL;
	struct sweep s;
	int ch, i, rc = SWEEP_EXIT_USAGE;
	uint64_t k;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:J:p:o:qh", lo, NULL)) != -1) {
		switch (ch) {
		case 'c':
			csv = optarg;
			break;
		case 'J':
			json = optarg;
			break;
		case 'p':
			plot = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			merge_usage(stdout);
			return SWEEP_EXIT_OK;
		default:
			fprintf(stderr, "Try 'mxsim merge --help'.\n");
			return SWEEP_EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return usage_err("merge", "needs the shard files of one sweep");
	memset(&s, 0, sizeof(s));
	seen = mx_xcalloc(1000001, sizeof(*seen));
	for (i = optind; i < argc; i++)
		if (shard_read(&s, argv[i], i == optind, seen) != 0)
			goto out;
	for (k = 0; k < s.nshards; k++)
		if (!seen[k]) {
			fprintf(stderr,
			    "mxsim merge: shard %" PRIu64 "/%" PRIu64
			    " is missing\n",
			    k, s.nshards);
			goto out;
		}
	/* Merged, it is one sweep: shard 0 of 1, every run. */
	s.shard = 0;
	s.nshards = 1;
	s.first = 0;
	s.count = s.runs;
	qsort(s.rec, s.nrec, sizeof(*s.rec), rec_cmp);
	rc = report_all(&s, quiet, csv, json, plot, out);
out:
	free(seen);
	sweep_free(&s);
	return rc;
}

int
sweep_bench(const char *file, uint64_t runs, int jobs, uint64_t *outcomes,
    uint64_t *delivered, long *worker_rss_kb)
{
	struct sweep s;
	size_t i;
	int rc = -1;

	memset(&s, 0, sizeof(s));
	s.runs = runs;
	s.nshards = 1;
	s.count = runs;
	if (parse_deadlines(&s, "bench", sweep_default_deadlines) != 0 ||
	    sweep_load(&s, file) != 0)
		goto out;
	s.seed0 = s.worlds[0].seed;
	if (sweep_execute(&s, (size_t)jobs, false) != 0)
		goto out;
	*outcomes = s.nrec;
	*delivered = 0;
	for (i = 0; i < s.nrec; i++)
		*delivered += s.rec[i].outcome == MTA_DELIVERED;
	*worker_rss_kb = s.worker_rss_kb;
	rc = 0;
out:
	sweep_free(&s);
	return rc;
}

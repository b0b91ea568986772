/*
 * compare.c - compare mode: the same scenario under several sender
 * profiles, side by side.
 *
 * A class wants to see the same outage hit different senders: Postfix
 * giving up on a dead primary in 30 s, a naive sender that only ever tries
 * the best MX, Exim's retry rules.  So the scenario is loaded once per
 * profile with the profile of every sender role replaced (or only that of
 * the host --profiles-for names), the knobs the scenario overrides applied
 * on top as usual (script/scenario.h, struct mxl_override), and each
 * world runs with the same seed.  Only the profile differs between runs;
 * the rest of the world, outages drawn from the seed included, is the
 * scenario's.
 *
 * Runs are sequential and independent (a world and a run each, freed
 * before the next), and the table is printed at the end from what each
 * run left: recipients in the scenario's order (message by message, their
 * recipients in order), profiles in the order given.  Nothing depends on
 * the machine or the clock, so the output is the same everywhere.
 *
 * Outputs: each run may leave a capture and a trace, named after the
 * profile (x.pcapng -> x.postfix.pcapng).  Each file is written under a
 * temporary name (PATH.part) and renamed only when every run is done; if a
 * run fails (status 2), the files of the runs before it are removed too,
 * so a failed comparison leaves nothing behind and replaces nothing.
 */
#include "compare.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "capture/capture.h"
#include "core/dur.h"
#include "core/err.h"
#include "core/text.h"
#include "report/report.h"
#include "report/timeline.h"
#include "script/scenario.h"
#include "world/world.h"

enum { CMP_PASS = 0, CMP_EXPECT = 1, CMP_USAGE = 2 };

/* mxl_profile_names() fills at most this many; no list can name more
 * without a duplicate. */
#define CMP_MAX_PROFILES 64
#define CMP_NAME_LEN     40

/* A growing string, so that long retry histories are never cut. */
struct cmp_str {
	char *s;    /* owned, NUL-terminated once anything was added */
	size_t n;   /* length */
	size_t cap; /* allocated */
};

/* One recipient row as one run left it. */
struct cmp_cell {
	bool queued;              /* its sender has a result for it */
	enum mta_outcome outcome; /* where it stands */
	sim_time_t t;             /* delivered or bounced at, -1 = deferred */
	size_t nattempts;         /* connection attempts */
	int rounds;               /* delivery attempts (with or without one) */
	char *hosts;              /* owned "mx1:timeout mx2:delivered" */
};

/* One expectation as one run judged it. */
struct cmp_verdict {
	bool ok;       /* held */
	char why[512]; /* what differed, when not ok */
};

struct cmp_run {
	struct cmp_cell *cells;   /* owned, one per recipient row */
	struct cmp_verdict *verd; /* owned, one per expectation */
	size_t nfail;             /* expectations that failed */
};

/* A recipient row: one recipient of one message of the scenario. */
struct cmp_rcpt {
	uint64_t msg;       /* message number, from 1 */
	const char *sender; /* borrowed label from the base world */
	const char *rcpt;   /* borrowed address from the base world */
};

struct cmp {
	const struct compare_opts *o; /* borrowed options */
	struct world base;            /* the scenario as written */
	struct mxl_params params;     /* its params, -D applied */
	uint64_t seed;                /* every run's seed */
	char **names;                 /* owned profile names, as given */
	size_t nnames;                /* how many */
	struct cmp_rcpt *rows;        /* owned recipient rows */
	size_t nrows;                 /* how many */
	size_t *first_row;            /* owned: each message's first row */
	struct cmp_run *runs;         /* owned, parallel to 'names' */
	char **written;               /* owned final paths, staged as .part */
	size_t nwritten, capwritten;  /* count and capacity */
};

/* One run's output files. */
struct cmp_out {
	struct cap *cap;      /* owned capture, or NULL */
	FILE *tf;             /* owned trace stream, or NULL */
	struct jsonl jl;      /* its writer */
	char tname[1024];     /* trace path */
	char tpart[1040];     /* trace path while written */
	char capname[1024];   /* capture path */
	struct timeline *tl;  /* owned timeline collector, or NULL */
	char tlname[1024];    /* timeline path */
	struct narrative nar; /* -v: the run's narrative */
};

static void cmp_str_add(struct cmp_str *b, const char *fmt, ...)
    MX_PRINTF(2, 3);

static void
cmp_str_add(struct cmp_str *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	mx_grow((void **)&b->s, &b->cap, b->n + (size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
}

static const char *
cmp_str_get(const struct cmp_str *b)
{
	return b->n > 0 ? b->s : "";
}

/* --- the profile list --------------------------------------------------- */

/* The embedded profiles' names without ".lua"; returns how many. */
static size_t
cmp_known(char base[][CMP_NAME_LEN], const char **cands)
{
	const char *files[CMP_MAX_PROFILES];
	size_t n = mxl_profile_names(files, CMP_MAX_PROFILES), i;

	for (i = 0; i < n; i++) {
		size_t l = strlen(files[i]);

		snprintf(base[i], CMP_NAME_LEN, "%.*s",
		    (int)(l > 4 ? l - 4 : l), files[i]);
		cands[i] = base[i];
	}
	return n;
}

/* An unknown name gets the closest known one and the whole list: a
 * student mistyping "opensmtp" sees both the fix and what exists. */
static int
cmp_check_known(const char *name, struct mx_err *err)
{
	char base[CMP_MAX_PROFILES][CMP_NAME_LEN];
	const char *cands[CMP_MAX_PROFILES], *sg;
	struct cmp_str list = {0};
	size_t n = cmp_known(base, cands), i;
	int rc;

	for (i = 0; i < n; i++)
		if (strcmp(cands[i], name) == 0)
			return 0;
	for (i = 0; i < n; i++)
		cmp_str_add(&list, "%s%s", i ? ", " : "", cands[i]);
	sg = text_closest(name, cands, n);
	if (sg != NULL)
		rc = mx_err_set(err, MX_EUSAGE,
		    "mxsim: --profiles: no profile named '%s' (did you mean '%s'?); "
		    "the profiles are: %s",
		    name, sg, cmp_str_get(&list));
	else
		rc = mx_err_set(err, MX_EUSAGE,
		    "mxsim: --profiles: no profile named '%s'; the profiles are: %s",
		    name, cmp_str_get(&list));
	free(list.s);
	return rc;
}

/* Splits "a,b,c": every name known, none empty, none twice. */
static int
cmp_parse(struct cmp *c, const char *list, struct mx_err *err)
{
	const char *p = list;
	size_t i;
	int rc;

	if (*list == '\0')
		return mx_err_set(err, MX_EUSAGE,
		    "mxsim: --profiles needs a list of profile names, like "
		    "--profiles rfc5321,postfix ('mxsim profiles' lists them)");
	c->names = mx_xcalloc(CMP_MAX_PROFILES, sizeof(*c->names));
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char *name;

		if (len == 0)
			return mx_err_set(err, MX_EUSAGE,
			    "mxsim: --profiles '%s': an empty name (separate the "
			    "names with single commas)",
			    list);
		name = mx_xstrndup(p, len);
		for (i = 0; i < c->nnames; i++)
			if (strcmp(c->names[i], name) == 0) {
				rc = mx_err_set(err, MX_EUSAGE,
				    "mxsim: --profiles '%s': '%s' is listed twice",
				    list, name);
				free(name);
				return rc;
			}
		if ((rc = cmp_check_known(name, err)) != 0) {
			free(name);
			return rc;
		}
		/* Known and distinct, so never more than the known ones. */
		c->names[c->nnames++] = name;
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}

/* --- the scenario ------------------------------------------------------- */

/* --profiles-for must name a host with a sender role. */
static int
cmp_check_host(const struct world *w, const char *name, struct mx_err *err)
{
	const struct world_host *h = world_host_find(w, name);
	struct cmp_str senders = {0};
	size_t i;
	int rc;

	if (h == NULL) {
		const char *sg = world_host_suggest(w, name);

		if (sg != NULL)
			return mx_err_set(err, MX_EUSAGE,
			    "mxsim: --profiles-for: no host named '%s' (did you mean "
			    "'%s'?)",
			    name, sg);
		return mx_err_set(err, MX_EUSAGE,
		    "mxsim: --profiles-for: no host named '%s'", name);
	}
	if (h->sender)
		return 0;
	for (i = 0; i < w->nhosts; i++)
		if (w->hosts[i].sender)
			cmp_str_add(&senders, "%s%s", senders.n ? ", " : "",
			    w->hosts[i].name);
	rc = mx_err_set(err, MX_EUSAGE,
	    "mxsim: --profiles-for: host '%s' has no sender role (senders: %s)",
	    name, senders.n ? cmp_str_get(&senders) : "none");
	free(senders.s);
	return rc;
}

/* The rows: every recipient of every message, in the scenario's order. */
static void
cmp_rows(struct cmp *c)
{
	const struct world *w = &c->base;
	size_t i, j, n = 0;

	for (i = 0; i < w->nmsgs; i++)
		n += w->msgs[i].nto;
	c->rows = mx_xcalloc(n + 1, sizeof(*c->rows));
	c->first_row = mx_xcalloc(w->nmsgs + 1, sizeof(*c->first_row));
	for (i = 0; i < w->nmsgs; i++) {
		c->first_row[i] = c->nrows;
		for (j = 0; j < w->msgs[i].nto; j++) {
			struct cmp_rcpt *r = &c->rows[c->nrows++];

			r->msg = i + 1;
			r->sender = w->msgs[i].sender;
			r->rcpt = w->msgs[i].to[j];
		}
	}
}

/* --- one run ------------------------------------------------------------ */

/* "dir/x.pcapng" -> "dir/x.<profile>.pcapng"; a name without an
 * extension gets ".<profile>" at the end.  False when it does not fit. */
static bool
cmp_out_name(const char *path, const char *profile, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	const char *dot = strrchr(base, '.');
	int n;

	if (dot == NULL || dot == base)
		n = snprintf(buf, len, "%s.%s", path, profile);
	else
		n = snprintf(buf, len, "%.*s.%s%s", (int)(dot - path), path,
		    profile, dot);
	return n > 0 && (size_t)n < len;
}

/* An error about a staged file "P.part" names P, as 'mxsim run' does:
 * every "P.part" in the message becomes "P". */
static int
cmp_unstage(struct mx_err *err, const struct mx_err *e, const char *final)
{
	struct cmp_str b = {0};
	const char *p = e->msg, *hit;
	char stage[1040];
	size_t sl;
	int rc;

	snprintf(stage, sizeof(stage), "%s.part", final);
	sl = strlen(stage);
	while ((hit = strstr(p, stage)) != NULL) {
		cmp_str_add(&b, "%.*s%s", (int)(hit - p), p, final);
		p = hit + sl;
	}
	cmp_str_add(&b, "%s", p);
	rc = mx_err_set(err, e->code, "mxsim: %s", cmp_str_get(&b));
	free(b.s);
	return rc;
}

static int
cmp_open_trace(struct cmp *c, const char *profile, struct world_run *run,
    struct cmp_out *out, struct mx_err *err)
{
	if (!cmp_out_name(
	        c->o->trace, profile, out->tname, sizeof(out->tname)) ||
	    snprintf(out->tpart, sizeof(out->tpart), "%s.part", out->tname) <=
	        0)
		return mx_err_set(err, MX_EUSAGE,
		    "mxsim: --trace '%s': too long", c->o->trace);
	out->tf = fopen(out->tpart, "w");
	if (out->tf == NULL)
		return mx_err_set(err, MX_EIO,
		    "mxsim: cannot write trace '%s': %s", out->tname,
		    strerror(errno));
	jsonl_init(&out->jl, out->tf, run->w, c->seed);
	if (trace_subscribe(sim_trace(&run->sim), jsonl_trace, &out->jl) != 0)
		abort();
	return 0;
}

static int
cmp_open_capture(struct cmp *c, const char *profile, struct world_run *run,
    struct cmp_out *out, struct mx_err *err)
{
	const struct compare_opts *o = c->o;
	struct cap_opts co;
	char def[1024], comment[512], stage[1040];
	struct mx_err e;

	mx_err_clear(&e);
	memset(&co, 0, sizeof(co));
	snprintf(def, sizeof(def), "%s.pcapng", run->w->name);
	if (!cmp_out_name(o->capture ? o->capture : def, profile, out->capname,
	        sizeof(out->capname)))
		return mx_err_set(err, MX_EUSAGE,
		    "mxsim: --capture '%s': too long",
		    o->capture ? o->capture : def);
	/* main() checked the extension of a given path. */
	if (!cap_format_of(out->capname, &co.format))
		co.format = CAP_PCAPNG;
	co.epoch = run->w->epoch;
	if (o->capture_at != NULL) {
		co.at = net_host_by_name(&run->net, o->capture_at);
		if (co.at == NULL || co.at->router) {
			const char *sg =
			    world_host_suggest(run->w, o->capture_at);

			return mx_err_set(err, MX_EUSAGE,
			    "mxsim: --capture-at: no host named '%s'%s%s%s",
			    o->capture_at, sg ? " (did you mean '" : "",
			    sg ? sg : "", sg ? "'?)" : "");
		}
	}
	snprintf(comment, sizeof(comment),
	    "mxsim scenario %s, profile %s for %s%s, seed %" PRIu64
	    ", seen from %s%s",
	    run->w->name, profile, o->host ? "sender " : "every sender",
	    o->host ? o->host : "", c->seed,
	    co.at ? "host " : "the whole network", co.at ? co.at->name : "");
	co.comment = comment;
	/* Staged as PATH.part until every run is over (cmp_commit()). */
	snprintf(stage, sizeof(stage), "%s.part", out->capname);
	if (cap_open(&out->cap, stage, &run->net, &co, &e) != 0)
		return cmp_unstage(err, &e, out->capname);
	return 0;
}

static int
cmp_open_timeline(struct cmp *c, const char *profile, struct world_run *run,
    struct cmp_out *out, struct mx_err *err)
{
	char stage[1040];
	struct mx_err e;

	mx_err_clear(&e);
	if (!cmp_out_name(
	        c->o->timeline, profile, out->tlname, sizeof(out->tlname)))
		return mx_err_set(err, MX_EUSAGE,
		    "mxsim: --timeline '%s': too long", c->o->timeline);
	snprintf(stage, sizeof(stage), "%s.part", out->tlname);
	if (timeline_open(&out->tl, stage, run->w, &e) != 0)
		return cmp_unstage(err, &e, out->tlname);
	if (trace_subscribe(sim_trace(&run->sim), timeline_trace, out->tl) != 0)
		abort();
	return 0;
}

static void
cmp_written(struct cmp *c, const char *path)
{
	mx_grow((void **)&c->written, &c->capwritten, c->nwritten + 1,
	    sizeof(*c->written));
	c->written[c->nwritten++] = mx_xstrdup(path);
}

/* Closes the outputs of a run.  With 'keep' they stay under their
 * temporary names (PATH.part) until every run is over (cmp_commit());
 * without, or when one could not be written, they are removed. */
static int
cmp_close(struct cmp *c, struct cmp_out *out, const struct world_run *run,
    bool keep, struct mx_err *err)
{
	struct mx_err e;
	int rc = 0;

	mx_err_clear(&e);
	if (out->tl != NULL) {
		if (timeline_close(out->tl, run, keep, &e) != 0)
			rc = mx_err_set(err, MX_EIO, "mxsim: %s", e.msg);
		else if (keep)
			cmp_written(c, out->tlname);
		out->tl = NULL;
	}
	if (out->cap != NULL) {
		if (cap_close(out->cap, keep && rc == 0, &e) != 0 && rc == 0)
			rc = mx_err_set(err, MX_EIO, "mxsim: %s", e.msg);
		else if (keep && rc == 0)
			cmp_written(c, out->capname);
		out->cap = NULL;
	}
	if (out->tf != NULL) {
		bool bad = fflush(out->tf) != 0 || out->jl.failed;

		if (fclose(out->tf) != 0)
			bad = true;
		out->tf = NULL;
		if (bad && keep && rc == 0)
			rc = mx_err_set(err, MX_EIO, "mxsim: cannot write '%s'",
			    out->tname);
		if (keep && rc == 0)
			cmp_written(c, out->tname);
		else
			unlink(out->tpart);
	}
	return rc;
}

static int
cmp_open(struct cmp *c, const char *profile, struct world_run *run,
    struct cmp_out *out, struct mx_err *err)
{
	int rc = 0;

	if (c->o->level > 0) {
		printf("== %s with profile %s ==\n", run->w->name, profile);
		narrative_init(&out->nar, stdout, 0, run->w);
		/* --color and NO_COLOR, as for one run. */
		out->nar.color = c->o->color;
		if (trace_subscribe(
		        sim_trace(&run->sim), narrative_trace, &out->nar) != 0)
			abort();
	}
	if (c->o->trace != NULL)
		rc = cmp_open_trace(c, profile, run, out, err);
	if (rc == 0 && c->o->timeline != NULL)
		rc = cmp_open_timeline(c, profile, run, out, err);
	if (rc == 0 && !c->o->no_capture)
		rc = cmp_open_capture(c, profile, run, out, err);
	return rc;
}

/* Every delivery attempt as text: "mx1:timeout mx2:timeout" for its
 * connections, "-" for one that made none (a DNS failure, or hosts the
 * sender remembers as dead).  Returns how many; 'out' is owned. */
static size_t
cmp_rounds(const struct mta_rcpt_result *r, char ***out)
{
	size_t n = r->deliveries > 0 ? (size_t)r->deliveries : 0, i, d;
	struct cmp_str *b;
	char **v;

	for (i = 0; i < r->nattempts; i++)
		if (r->attempts[i].delivery > 0 &&
		    (size_t)r->attempts[i].delivery > n)
			n = (size_t)r->attempts[i].delivery;
	b = mx_xcalloc(n + 1, sizeof(*b));
	for (i = 0; i < r->nattempts; i++) {
		if (r->attempts[i].delivery < 1)
			continue;
		d = (size_t)r->attempts[i].delivery - 1;
		cmp_str_add(&b[d], "%s%s:%s", b[d].n ? " " : "",
		    r->attempts[i].host, r->attempts[i].result);
	}
	v = mx_xcalloc(n + 1, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = b[i].n ? b[i].s : mx_xstrdup("-");
	free(b);
	*out = v;
	return n;
}

/* Rounds [a, a+p) and [b, b+p) read the same. */
static bool
cmp_same_block(char *const *v, size_t a, size_t b, size_t p)
{
	size_t i;

	for (i = 0; i < p; i++)
		if (strcmp(v[a + i], v[b + i]) != 0)
			return false;
	return true;
}

/* The longest stretch from 'i' that repeats a block of 1 to 4 rounds:
 * its block length in *p, the repeats returned (1 = none). */
static size_t
cmp_fold(char *const *v, size_t n, size_t i, size_t *p)
{
	size_t q, r, best = 1;

	*p = 1;
	for (q = 1; q <= 4 && i + 2 * q <= n; q++) {
		for (r = 1;
		     i + (r + 1) * q <= n && cmp_same_block(v, i, i + r * q, q);
		     r++)
			;
		if (r >= 2 && q * r > *p * best) {
			*p = q;
			best = r;
		}
	}
	return best;
}

/* The hosts tried, delivery attempts between bars, repeats folded: a
 * queue that retries a dead pair of MX hosts seven times reads
 * "[mx1:timeout mx2:timeout] x7", one that skips every other attempt
 * because it remembers the hosts as dead "[mx1:timeout mx2:timeout | -]
 * x4". */
static char *
cmp_hosts(const struct mta_rcpt_result *r)
{
	struct cmp_str out = {0};
	char **v;
	size_t n = cmp_rounds(r, &v), i = 0, j, p, reps;

	while (i < n) {
		reps = cmp_fold(v, n, i, &p);
		cmp_str_add(
		    &out, "%s%s", out.n ? " | " : "", reps > 1 ? "[" : "");
		for (j = 0; j < p; j++)
			cmp_str_add(&out, "%s%s", j ? " | " : "", v[i + j]);
		if (reps > 1)
			cmp_str_add(&out, "] x%zu", reps);
		i += p * reps;
	}
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	if (out.n == 0)
		cmp_str_add(&out, "-");
	return out.s;
}

/* Fills the row of each result of a message this host sent itself (a
 * backup MX forwarding it keeps its number but is not its sender). */
static void
cmp_collect_host(const struct cmp *c, struct cmp_run *cr,
    const struct world_run *run, size_t h)
{
	const struct world *w = run->w;
	struct mta_rcpt_result *r;
	size_t n = mta_nresults(run->hosts[h].mta), k, j;

	r = mx_xcalloc(n + 1, sizeof(*r));
	n = mta_results(run->hosts[h].mta, r, n);
	for (k = 0; k < n; k++) {
		const struct world_message *m;

		if (r[k].msg < 1 || r[k].msg > w->nmsgs)
			continue;
		m = &w->msgs[r[k].msg - 1];
		if (strcmp(m->sender, run->hosts[h].wh->name) != 0)
			continue;
		for (j = 0; j < m->nto; j++) {
			struct cmp_cell *cl =
			    &cr->cells[c->first_row[r[k].msg - 1] + j];

			if (cl->queued || strcasecmp(m->to[j], r[k].rcpt) != 0)
				continue;
			cl->queued = true;
			cl->outcome = r[k].outcome;
			cl->t = r[k].t;
			cl->nattempts = r[k].nattempts;
			cl->rounds = r[k].deliveries;
			cl->hosts = cmp_hosts(&r[k]);
			break;
		}
	}
	free(r);
}

static void
cmp_collect(struct cmp *c, struct cmp_run *cr, const struct world_run *run)
{
	struct expect_result *res;
	size_t h, k, n = run->w->nexpects;

	cr->cells = mx_xcalloc(c->nrows + 1, sizeof(*cr->cells));
	for (h = 0; h < run->nhosts; h++)
		if (run->hosts[h].mta != NULL)
			cmp_collect_host(c, cr, run, h);
	res = mx_xcalloc(n + 1, sizeof(*res));
	cr->nfail = report_check(run, res);
	cr->verd = mx_xcalloc(n + 1, sizeof(*cr->verd));
	for (k = 0; k < n; k++) {
		cr->verd[k].ok = res[k].ok;
		snprintf(
		    cr->verd[k].why, sizeof(cr->verd[k].why), "%s", res[k].why);
	}
	free(res);
}

/* The same file loaded twice gives the same scenario; if it did not (a
 * file changed under us), rows and expectations would not line up. */
static int
cmp_same_shape(const struct world *a, const struct world *b, struct mx_err *err)
{
	size_t i;
	bool same = a->nmsgs == b->nmsgs && a->nexpects == b->nexpects;

	for (i = 0; same && i < a->nmsgs; i++)
		same = a->msgs[i].nto == b->msgs[i].nto &&
		       strcmp(a->msgs[i].sender, b->msgs[i].sender) == 0;
	if (same)
		return 0;
	return mx_err_set(err, MX_EINVAL,
	    "mxsim: %s: the scenario changed while it was being compared",
	    a->file);
}

/* Every load sees what 'mxsim run' would give it: the -D values and
 * --seed (which math.random in the scenario follows). */
static void
cmp_limits(const struct cmp *c, struct mxl_limits *lim, struct mxl_params *pp)
{
	mxl_limits_default(lim);
	lim->has_seed = c->o->has_seed;
	lim->seed = c->o->seed;
	memset(pp, 0, sizeof(*pp));
	pp->defines = c->o->defines;
	pp->ndefines = c->o->ndefines;
	lim->params = pp;
}

static int
cmp_run_one(struct cmp *c, size_t k, struct mx_err *err)
{
	struct mxl_override ov = {c->names[k], c->o->host};
	struct mxl_limits lim;
	struct mxl_params pp;
	struct world w;
	struct world_run run;
	struct cmp_out out;
	struct mx_err e;
	int rc;

	memset(&out, 0, sizeof(out));
	cmp_limits(c, &lim, &pp);
	world_init(&w);
	rc = mxl_scenario_load_as(c->o->file, &lim, &ov, &w, err);
	mxl_params_free(&pp);
	if (rc == 0)
		rc = cmp_same_shape(&c->base, &w, err);
	if (rc != 0) {
		world_free(&w);
		return rc;
	}
	if ((rc = world_run_init(&run, &w, c->seed, err)) == 0 &&
	    (rc = cmp_open(c, c->names[k], &run, &out, err)) == 0) {
		world_run_go(&run);
		cmp_collect(c, &c->runs[k], &run);
		if (out.tf != NULL)
			jsonl_finish(&out.jl, w.stop_at,
			    (int)(w.nexpects - c->runs[k].nfail),
			    (int)c->runs[k].nfail);
		if (c->o->level > 0)
			printf("\n");
	}
	mx_err_clear(&e);
	if (cmp_close(c, &out, &run, rc == 0, &e) != 0 && rc == 0)
		rc = mx_err_set(err, e.code, "%s", e.msg);
	world_run_fini(&run);
	world_free(&w);
	return rc;
}

/* --- the table ---------------------------------------------------------- */

static int
cmp_profile_width(const struct cmp *c, int least)
{
	size_t i, wd = (size_t)least;

	for (i = 0; i < c->nnames; i++)
		if (strlen(c->names[i]) > wd)
			wd = strlen(c->names[i]);
	return (int)wd;
}

static const char *
cmp_time(const struct cmp_cell *cl, char *buf, size_t len)
{
	if (!cl->queued || cl->t < 0)
		return "-";
	/* Seconds, as the narrative, the summary and the trace say them. */
	return dur_format_secs(cl->t, buf, len);
}

static int
cmp_time_width(const struct cmp *c)
{
	size_t r, k, wd = strlen("time");
	char d[40];

	for (r = 0; r < c->nrows; r++)
		for (k = 0; k < c->nnames; k++) {
			size_t l = strlen(
			    cmp_time(&c->runs[k].cells[r], d, sizeof(d)));

			if (l > wd)
				wd = l;
		}
	return (int)wd;
}

static void
cmp_print_header(const struct cmp *c, FILE *out)
{
	size_t k;
	char d[40];

	fprintf(out, "Comparison of %s (seed %" PRIu64 ", stopped at %s)\n",
	    c->base.name, c->seed, dur_format(c->base.stop_at, d, sizeof(d)));
	fprintf(out, "Profile of %s%s, the scenario's knob overrides kept: ",
	    c->o->host ? "sender " : "every sender",
	    c->o->host ? c->o->host : "");
	for (k = 0; k < c->nnames; k++)
		fprintf(out, "%s%s", k ? ", " : "", c->names[k]);
	fprintf(out, "\n");
	/* The values the scenario's params had, in every run the same. */
	for (k = 0; k < c->params.n; k++) {
		const struct mxl_param *p = &c->params.list[k];

		fprintf(out, "param %s = %s (%s, default %s%s)\n", p->name,
		    p->value, p->type, p->def,
		    p->overridden ? ", set by -D" : "");
	}
}

static void
cmp_print_rows(const struct cmp *c, FILE *out)
{
	int pw = cmp_profile_width(c, (int)strlen("profile"));
	int tw = cmp_time_width(c);
	size_t r, k;
	char d[40];

	for (r = 0; r < c->nrows; r++) {
		fprintf(out, "\nmsg %" PRIu64 " %s -> %s\n", c->rows[r].msg,
		    c->rows[r].sender, c->rows[r].rcpt);
		fprintf(out, "  %-*s  %-10s  %-*s  %-8s  %-6s  %s\n", pw,
		    "profile", "outcome", tw, "time", "attempts", "rounds",
		    "hosts tried");
		for (k = 0; k < c->nnames; k++) {
			const struct cmp_cell *cl = &c->runs[k].cells[r];

			fprintf(out, "  %-*s  %-10s  %-*s  %-8zu  %-6d  %s\n",
			    pw, c->names[k],
			    cl->queued ? mta_outcome_name(cl->outcome)
			               : "not queued",
			    tw, cmp_time(cl, d, sizeof(d)), cl->nattempts,
			    cl->rounds, cl->hosts ? cl->hosts : "-");
		}
	}
}

/* "line 38 bob@example.test": the file is the scenario's, so the line
 * says which expectation. */
static int
cmp_expect_label(const struct world_expect *e, char *buf, size_t len)
{
	return snprintf(buf, len, "line %d %s", e->at.line, e->to);
}

/* One column per profile, as wide as its name; the last one unpadded. */
static void
cmp_print_cols(const struct cmp *c, FILE *out, size_t e)
{
	size_t k;

	for (k = 0; k < c->nnames; k++) {
		const char *v = e == SIZE_MAX           ? c->names[k]
		                : c->runs[k].verd[e].ok ? "ok"
		                                        : "FAIL";
		int wd = (int)strlen(c->names[k]);

		if (k + 1 == c->nnames)
			fprintf(out, "  %s\n", v);
		else
			fprintf(out, "  %-*s", wd < 4 ? 4 : wd, v);
	}
}

static void
cmp_print_expects(const struct cmp *c, FILE *out)
{
	const struct world *w = &c->base;
	size_t e, k, lw = strlen("expectation");
	char label[400];

	if (w->nexpects == 0) {
		fprintf(out, "\nNo expectations.\n");
		return;
	}
	for (e = 0; e < w->nexpects; e++) {
		int l = cmp_expect_label(&w->expects[e], label, sizeof(label));

		if (l > 0 && (size_t)l > lw)
			lw = (size_t)l;
	}
	fprintf(out, "\n  %-*s", (int)lw, "expectation");
	cmp_print_cols(c, out, SIZE_MAX);
	for (e = 0; e < w->nexpects; e++) {
		cmp_expect_label(&w->expects[e], label, sizeof(label));
		fprintf(out, "  %-*s", (int)lw, label);
		cmp_print_cols(c, out, e);
	}
	/* Why each failure failed, profile by profile. */
	for (k = 0; k < c->nnames; k++)
		for (e = 0; e < w->nexpects; e++)
			if (!c->runs[k].verd[e].ok)
				fprintf(out, "  %s, line %d: %s\n", c->names[k],
				    w->expects[e].at.line,
				    c->runs[k].verd[e].why);
}

/* The verdict line: which profiles held every expectation. */
static void
cmp_print_verdict(const struct cmp *c, FILE *out, size_t nbad)
{
	size_t k, pass;

	if (c->base.nexpects == 0)
		return;
	if (nbad == 0) {
		fprintf(out, "Expectations held with every profile.\n");
		return;
	}
	/* Held first, then failed: each in the order given. */
	for (pass = 0; pass < 2; pass++) {
		bool first = true;

		for (k = 0; k < c->nnames; k++) {
			if ((c->runs[k].nfail > 0) != (pass == 1))
				continue;
			fprintf(out, "%s%s",
			    first ? (pass ? "Failed with: " : "Held with: ")
			          : ", ",
			    c->names[k]);
			first = false;
		}
		if (!first)
			fprintf(out, "%s", pass ? ".\n" : ". ");
	}
}

/* --- the command -------------------------------------------------------- */

static int
cmp_prepare(struct cmp *c, struct mx_err *err)
{
	const struct compare_opts *o = c->o;
	struct mxl_limits lim;
	int rc;

	if ((rc = cmp_parse(c, o->profiles, err)) != 0)
		return rc;
	cmp_limits(c, &lim, &c->params);
	if ((rc = mxl_scenario_load(o->file, &lim, &c->base, err)) != 0)
		return rc;
	if (o->host != NULL &&
	    (rc = cmp_check_host(&c->base, o->host, err)) != 0)
		return rc;
	c->seed = o->has_seed ? o->seed : c->base.seed;
	cmp_rows(c);
	c->runs = mx_xcalloc(c->nnames, sizeof(*c->runs));
	return 0;
}

/* A failed comparison leaves no file: remove those staged. */
static void
cmp_unwrite(struct cmp *c, size_t from)
{
	char stage[1040];
	size_t i;

	for (i = from; i < c->nwritten; i++) {
		snprintf(stage, sizeof(stage), "%s.part", c->written[i]);
		unlink(stage);
	}
}

/* Every run went well: the staged files take their names. */
static int
cmp_commit(struct cmp *c, struct mx_err *err)
{
	char stage[1040];
	size_t i;

	for (i = 0; i < c->nwritten; i++) {
		snprintf(stage, sizeof(stage), "%s.part", c->written[i]);
		if (rename(stage, c->written[i]) != 0) {
			int rc = mx_err_set(err, MX_EIO,
			    "mxsim: cannot write '%s': %s", c->written[i],
			    strerror(errno));

			cmp_unwrite(c, i);
			return rc;
		}
	}
	return 0;
}

static void
cmp_free(struct cmp *c)
{
	size_t i, r;

	for (i = 0; c->runs != NULL && i < c->nnames; i++) {
		for (r = 0; c->runs[i].cells != NULL && r < c->nrows; r++)
			free(c->runs[i].cells[r].hosts);
		free(c->runs[i].cells);
		free(c->runs[i].verd);
	}
	free(c->runs);
	for (i = 0; i < c->nnames; i++)
		free(c->names[i]);
	free(c->names);
	for (i = 0; i < c->nwritten; i++)
		free(c->written[i]);
	free(c->written);
	free(c->rows);
	free(c->first_row);
	mxl_params_free(&c->params);
	world_free(&c->base);
}

int
compare_main(const struct compare_opts *o)
{
	struct cmp c;
	struct mx_err err;
	size_t k, nbad = 0;
	int rc;

	memset(&c, 0, sizeof(c));
	c.o = o;
	world_init(&c.base);
	mx_err_clear(&err);
	rc = cmp_prepare(&c, &err);
	for (k = 0; rc == 0 && k < c.nnames; k++)
		rc = cmp_run_one(&c, k, &err);
	if (rc != 0)
		cmp_unwrite(&c, 0);
	else
		rc = cmp_commit(&c, &err);
	if (rc != 0) {
		/* Scenario errors start with their file and line, the
		 * program's own with "mxsim: ". */
		fprintf(stderr, "%s\n", err.msg);
		cmp_free(&c);
		return CMP_USAGE;
	}
	for (k = 0; k < c.nnames; k++)
		if (c.runs[k].nfail > 0)
			nbad++;
	if (o->level >= 0 || nbad > 0) {
		cmp_print_header(&c, stdout);
		cmp_print_rows(&c, stdout);
		cmp_print_expects(&c, stdout);
		cmp_print_verdict(&c, stdout, nbad);
	}
	cmp_free(&c);
	return nbad > 0 ? CMP_EXPECT : CMP_PASS;
}

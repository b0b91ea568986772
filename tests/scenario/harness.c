/*
 * harness.c - see harness.h.
 */
#include "harness.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "core/err.h"
#include "script/scenario.h"

static void
collect(void *ctx, const struct trace_rec *r)
{
	struct hrun *h = ctx;
	struct hrec *x;
	char buf[2048];
	size_t off = 0, i;
	void *a = h->rec;

	mx_grow(&a, &h->caprec, h->nrec + 1, sizeof(*h->rec));
	h->rec = a;
	x = &h->rec[h->nrec++];
	x->t = r->t;
	x->actor = mx_xstrdup(r->actor);
	x->type = mx_xstrdup(r->type);
	x->text = mx_xstrdup(r->text);
	buf[0] = '\0';
	for (i = 0; i < r->nf && off < sizeof(buf) - 200; i++) {
		const struct trace_field *f = &r->f[i];
		int n;

		if (f->type == TRACE_STR)
			n = snprintf(buf + off, sizeof(buf) - off, "%s=%s;",
			    f->key, f->s);
		else
			n = snprintf(buf + off, sizeof(buf) - off, "%s=%lld;",
			    f->key, (long long)f->i);
		if (n > 0)
			off += (size_t)n;
	}
	x->fields = mx_xstrdup(buf);
}

/* Loads the scenario at 'path' (named 'rel' in failures) and runs it. */
static struct hrun *
run_path(const char *path, const char *rel, uint64_t seed)
{
	struct hrun *h = mx_xcalloc(1, sizeof(*h));
	struct mxl_limits lim;
	struct mx_err err;

	mxl_limits_default(&lim);
	mx_err_clear(&err);
	world_init(&h->w);
	if (mxl_scenario_load(path, &lim, &h->w, &err) != 0)
		fail_msg("loading %s: %s", rel, err.msg);
	if (world_run_init(&h->run, &h->w, seed ? seed : h->w.seed, &err) != 0)
		fail_msg("building %s: %s", rel, err.msg);
	assert_int_equal(
	    trace_subscribe(sim_trace(&h->run.sim), collect, h), 0);
	world_run_go(&h->run);
	h->res = mx_xcalloc(h->w.nexpects + 1, sizeof(*h->res));
	h->nfail = report_check(&h->run, h->res);
	return h;
}

struct hrun *
h_run(const char *rel, uint64_t seed)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", MX_SOURCE_DIR, rel);
	return run_path(path, rel, seed);
}

struct hrun *
h_run_text(const char *name, const char *text, uint64_t seed)
{
	char dir[1024], path[1100];
	FILE *f;

	/* A file of its own under the build tree, so that load errors name
	 * a file a person can open, and runs of other test programs (ctest
	 * -j) never share one. */
	snprintf(dir, sizeof(dir), "%s/tests/scenario-text", MX_BINARY_DIR);
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		fail_msg("mkdir %s: %s", dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/%s.lua", dir, name);
	f = fopen(path, "w");
	if (f == NULL)
		fail_msg("writing %s: %s", path, strerror(errno));
	if (fputs(text, f) == EOF || fclose(f) != 0)
		fail_msg("writing %s: %s", path, strerror(errno));
	return run_path(path, name, seed);
}

void
h_free(struct hrun *h)
{
	size_t i;

	for (i = 0; i < h->nrec; i++) {
		free(h->rec[i].actor);
		free(h->rec[i].type);
		free(h->rec[i].text);
		free(h->rec[i].fields);
	}
	free(h->rec);
	free(h->res);
	world_run_fini(&h->run);
	world_free(&h->w);
	free(h);
}

const struct hrec *
h_find(const struct hrun *h, const char *type, const char *actor, size_t n)
{
	size_t i;

	for (i = 0; i < h->nrec; i++) {
		if (strcmp(h->rec[i].type, type) != 0)
			continue;
		if (actor != NULL && strcmp(h->rec[i].actor, actor) != 0)
			continue;
		if (n-- == 0)
			return &h->rec[i];
	}
	return NULL;
}

size_t
h_count(const struct hrun *h, const char *type, const char *actor)
{
	size_t i, n = 0;

	for (i = 0; i < h->nrec; i++)
		if (strcmp(h->rec[i].type, type) == 0 &&
		    (actor == NULL || strcmp(h->rec[i].actor, actor) == 0))
			n++;
	return n;
}

const char *
h_field(const struct hrec *r, const char *key, char *buf, size_t len)
{
	size_t kl = strlen(key);
	const char *p = r->fields;

	buf[0] = '\0';
	while (p != NULL && *p != '\0') {
		const char *semi = strchr(p, ';');

		if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
			size_t n = (size_t)(semi - (p + kl + 1));

			snprintf(buf, len, "%.*s", (int)n, p + kl + 1);
			return buf;
		}
		p = semi ? semi + 1 : NULL;
	}
	return buf;
}

int
h_result(const struct hrun *h, const char *rcpt, uint64_t msg,
    struct mta_rcpt_result *out)
{
	size_t i, k;

	for (i = 0; i < h->run.nhosts; i++) {
		const struct mta *m = h->run.hosts[i].mta;
		struct mta_rcpt_result *r;
		size_t n;

		if (m == NULL)
			continue;
		n = mta_nresults(m);
		r = mx_xcalloc(n + 1, sizeof(*r));
		n = mta_results(m, r, n);
		for (k = 0; k < n; k++)
			if (strcmp(r[k].rcpt, rcpt) == 0 &&
			    (msg == 0 || r[k].msg == msg)) {
				*out = r[k];
				free(r);
				return 0;
			}
		free(r);
	}
	return -1;
}

const char *
h_attempts(
    const struct hrun *h, const char *rcpt, uint64_t msg, char *buf, size_t len)
{
	struct mta_rcpt_result r;
	size_t i, off = 0;

	buf[0] = '\0';
	if (h_result(h, rcpt, msg, &r) != 0)
		return "(no such recipient)";
	for (i = 0; i < r.nattempts && off < len; i++) {
		int n = snprintf(buf + off, len - off, "%s%s:%s", i ? "," : "",
		    r.attempts[i].host, r.attempts[i].result);

		if (n > 0)
			off += (size_t)n;
	}
	return buf;
}

/*
 * trace.c - building and dispatching trace records.
 *
 * A record has a fixed number of field slots; adding past the limit is a
 * programming error (assert), since every producer is our own code.
 */
#include "trace.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
trace_init(struct trace *tr)
{
	tr->nsubs = 0;
}

int
trace_subscribe(struct trace *tr, trace_fn *fn, void *ctx)
{
	if (tr->nsubs == TRACE_MAX_SUBS)
		return MX_ELIMIT;
	tr->subs[tr->nsubs].fn = fn;
	tr->subs[tr->nsubs].ctx = ctx;
	tr->nsubs++;
	return 0;
}

void
trace_rec_init(struct trace_rec *r, sim_time_t t, const char *actor,
    const char *type, enum trace_level level)
{
	r->t = t;
	r->actor = actor;
	r->type = type;
	r->level = level;
	r->nf = 0;
	r->text[0] = '\0';
}

static struct trace_field *
add(struct trace_rec *r, const char *key, enum trace_ftype type)
{
	struct trace_field *f;

	assert(r->nf < TRACE_MAX_FIELDS);
	f = &r->f[r->nf++];
	f->key = key;
	f->type = type;
	f->s = NULL;
	f->i = 0;
	return f;
}

void
trace_add_str(struct trace_rec *r, const char *key, const char *s)
{
	add(r, key, TRACE_STR)->s = s ? s : "";
}

void
trace_add_int(struct trace_rec *r, const char *key, int64_t v)
{
	add(r, key, TRACE_INT)->i = v;
}

void
trace_add_time(struct trace_rec *r, const char *key, sim_time_t v)
{
	add(r, key, TRACE_TIME)->i = v;
}

void
trace_add_bool(struct trace_rec *r, const char *key, bool v)
{
	add(r, key, TRACE_BOOL)->i = v ? 1 : 0;
}

void
trace_text(struct trace_rec *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->text, sizeof(r->text), fmt, ap);
	va_end(ap);
}

void
trace_emit(struct trace *tr, const struct trace_rec *r)
{
	size_t i;

	for (i = 0; i < tr->nsubs; i++)
		tr->subs[i].fn(tr->subs[i].ctx, r);
}

const struct trace_field *
trace_get(const struct trace_rec *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->nf; i++)
		if (strcmp(r->f[i].key, key) == 0)
			return &r->f[i];
	return NULL;
}

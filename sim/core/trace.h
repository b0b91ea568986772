/*
 * trace.h - the trace sink: what every actor decided and why.
 *
 * Producers fill a 'struct trace_rec' (time, actor, event type, typed
 * fields and a one-line human text) and emit it; subscribers (the
 * narrative printer, the JSON Lines writer, the expectation checker, tests)
 * receive each record synchronously.  With no subscriber, producers skip
 * the formatting altogether (check trace_on() first), so sweeps that want
 * no trace pay nothing for it.
 *
 * Records hold borrowed strings: a subscriber that keeps one must copy it.
 */
#ifndef MX_TRACE_H
#define MX_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "simtime.h"

enum trace_ftype {
	TRACE_STR,  /* 's' */
	TRACE_INT,  /* 'i' */
	TRACE_TIME, /* 'i' in nanoseconds (a duration or an instant) */
	TRACE_BOOL, /* 'i' as 0 or 1 */
};

struct trace_field {
	const char *key;       /* borrowed; a static string */
	enum trace_ftype type; /* which member holds the value */
	const char *s;         /* borrowed string value */
	int64_t i;             /* integer, time or boolean value */
};

#define TRACE_MAX_FIELDS 20
#define TRACE_TEXT_MAX   400

/* Narrative levels: 0 is what a student follows, 1 adds protocol detail. */
enum trace_level { TRACE_MAIN = 0, TRACE_DETAIL = 1 };

struct trace_rec {
	sim_time_t t;           /* simulated time of the event */
	const char *actor;      /* borrowed host label, or "sim" */
	const char *type;       /* borrowed event type, "mta.connect" */
	enum trace_level level; /* narrative level */
	size_t nf;              /* fields used */
	struct trace_field f[TRACE_MAX_FIELDS]; /* typed fields */
	char text[TRACE_TEXT_MAX]; /* one narrative line, no newline */
};

typedef void trace_fn(void *ctx, const struct trace_rec *rec);

#define TRACE_MAX_SUBS 8

struct trace {
	struct {
		trace_fn *fn; /* subscriber callback */
		void *ctx;    /* borrowed subscriber context */
	} subs[TRACE_MAX_SUBS];
	size_t nsubs; /* subscribers in use */
};

void trace_init(struct trace *tr);
int trace_subscribe(struct trace *tr, trace_fn *fn, void *ctx) MX_NODISCARD;

static inline bool
trace_on(const struct trace *tr)
{
	return tr->nsubs > 0;
}

void trace_rec_init(struct trace_rec *r, sim_time_t t, const char *actor,
    const char *type, enum trace_level level);
void trace_add_str(struct trace_rec *r, const char *key, const char *s);
void trace_add_int(struct trace_rec *r, const char *key, int64_t v);
void trace_add_time(struct trace_rec *r, const char *key, sim_time_t v);
void trace_add_bool(struct trace_rec *r, const char *key, bool v);
void trace_text(struct trace_rec *r, const char *fmt, ...) MX_PRINTF(2, 3);
void trace_emit(struct trace *tr, const struct trace_rec *r);

/* Field lookup for subscribers; NULL when absent. */
const struct trace_field *trace_get(const struct trace_rec *r, const char *key);

#endif

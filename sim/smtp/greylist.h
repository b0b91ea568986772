/*
 * greylist.h - the greylisting table of one mail exchanger (RFC 6647),
 * with postgrey's rules.
 *
 * A key is what the server knows of a delivery attempt: the client's
 * address, the envelope sender and the recipient (the "triplet"), or only
 * the first one or two of them at earlier SMTP phases.  The first attempt
 * for a key is deferred and remembered; a retry at least 'delay' after it
 * passes, and the key stays passed from then on.  A key that has never
 * passed and is retried more than 'window' after its first attempt starts
 * over.
 *
 * Pure module: no 'struct sim', no trace; the caller gives the time.
 */
#ifndef MX_GREYLIST_H
#define MX_GREYLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/simtime.h"

/* postgrey --delay=300 and --retry-window=2 (days): its defaults. */
#define GREYLIST_DELAY_DEFAULT  SIM_S(300)
#define GREYLIST_WINDOW_DEFAULT SIM_DAY(2)

#define GREYLIST_VERDICT_MAP(XX)                                               \
	XX(NEW, "new")         /* first attempt: remembered, deferred */       \
	XX(EARLY, "too early") /* retried before 'delay': deferred */          \
	XX(PASSED, "passed")   /* retried in time, or passed before */         \
	XX(EXPIRED, "expired") /* retried after 'window': deferred anew */

enum greylist_verdict {
#define XX(id, s) GREYLIST_##id,
	GREYLIST_VERDICT_MAP(XX)
#undef XX
};

struct greylist_entry;

struct greylist {
	struct greylist_entry *slot; /* owned open-addressed table */
	size_t n;                    /* keys held */
	size_t cap;                  /* slots, a power of two (or 0) */
};

/* One decision, for traces. */
struct greylist_result {
	enum greylist_verdict verdict; /* what was decided */
	sim_time_t first_seen;         /* the key's first attempt, after it */
	sim_time_t age;                /* now - first seen, before updating */
};

void greylist_init(struct greylist *g);
void greylist_fini(struct greylist *g);

const char *greylist_verdict_name(enum greylist_verdict v);

/* Whether a verdict lets the attempt through. */
static inline bool
greylist_passes(enum greylist_verdict v)
{
	return v == GREYLIST_PASSED;
}

/* Decides the attempt (ip, from, rcpt) at 'now' and records it.  'from'
 * and 'rcpt' may be NULL when not known yet; 'delay' and 'window' <= 0
 * mean postgrey's defaults. */
enum greylist_verdict greylist_check(struct greylist *g, const char *ip,
    const char *from, const char *rcpt, sim_time_t now, sim_time_t delay,
    sim_time_t window, struct greylist_result *res);

#endif

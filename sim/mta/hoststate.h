/*
 * hoststate.h - what a sending MTA remembers about destinations and hosts
 * that failed, shared by all its messages (mta-behavior.md §4.6, §3.2):
 *  - destination (Postfix): the next-hop domain is "dead" after its final
 *    server failed at site level; later mail for it is deferred without a
 *    connection until host_memory_time (minimal_backoff_time) has passed;
 *  - address (Exim): a retry record per IP address, computed with the
 *    retry rules from that address's first failure; the address is
 *    skipped until its retry time;
 *  - route (OpenSMTPD): a penalty per destination address, the route
 *    disabled for min(base * penalty^2, 1 h), but only while the route
 *    is ROUTE_NEW: once a session on it reached READY, its failures are
 *    not penalised (mta-behavior.md §3.2; mta.c mta_route_collect(),
 *    the bodies of mta_route_error()/mta_route_down() are "#if 0").
 *    The route object is kept for the whole run here; OpenSMTPD may
 *    free an idle one, which makes it new again;
 *  - host (Sendmail): the MX host name's status, kept host_memory_time
 *    (Timeout.hoststatus).
 */
#ifndef MX_HOSTSTATE_H
#define MX_HOSTSTATE_H

#include <stdbool.h>
#include <stddef.h>

#include "profile.h"
#include "sched.h"

struct hs_entry {
	char key[256];        /* domain, address or host name */
	struct mta_rstate rs; /* failures and the next allowed try */
	int penalty;          /* route: current penalty */
	bool validated;       /* route: a session reached READY on it */
	bool expired;         /* address: past the last rule's cutoff */
	char why[200];        /* the failure, for "suspended" messages */
};

struct hoststate {
	struct hs_entry *v; /* owned, in creation order */
	size_t n, cap;      /* count and capacity */
};

void hs_init(struct hoststate *hs);
void hs_fini(struct hoststate *hs);

/* The entry for 'key', or NULL. */
struct hs_entry *hs_find(struct hoststate *hs, const char *key);

/* The entry for 'key' when it forbids a try at 'now', else NULL. */
const struct hs_entry *hs_blocked(
    struct hoststate *hs, const char *key, sim_time_t now);

/* Records a failure of 'key' at 'now' as the profile's host_memory says;
 * returns the entry.  Address memory with no retry rules falls back to
 * host_memory_time. */
struct hs_entry *hs_fail(struct hoststate *hs, const struct mta_profile *p,
    const char *key, sim_time_t now, const char *why);

/* 'key' worked: forget it (Exim deletes the retry record; OpenSMTPD
 * re-enables the route; Postfix revives the destination). */
void hs_ok(struct hoststate *hs, const char *key);

/* Route memory: a session on route 'key' reached READY (OpenSMTPD
 * mta_session.c), so the route loses its ROUTE_NEW flag: re-enabled,
 * and later failures are not penalised (mta_route_collect()). */
void hs_route_ready(struct hoststate *hs, const char *key);

#endif

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
 *    disabled for min(base * penalty^2, 1 h);
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

#endif

/*
 * sched.h - when a deferred delivery is tried again, as each MTA computes
 * it (mta-behavior.md §4.5), and the retry records that drive it.
 *
 * Pure module: no events, no I/O; the only randomness comes from the
 * stream the caller passes (chasquid's jitter).
 */
#ifndef MX_SCHED_H
#define MX_SCHED_H

#include <stdbool.h>

#include "../core/rng.h"
#include "../core/simtime.h"
#include "profile.h"

/* A retry record: of a message's recipients for one domain, or of a host
 * (Exim keeps one per IP address, hoststate.c). */
struct mta_rstate {
	int nfail;        /* failed attempts so far */
	sim_time_t first; /* first failure, -1 = none yet */
	sim_time_t last;  /* latest failure */
	sim_time_t next;  /* not to be tried before this */
};

void mta_rstate_init(struct mta_rstate *rs);

/* Records a failure at 'now' of mail queued at 'queued', computes
 * rs->next with the profile's schedule and '*when', the attempt time: the
 * first queue run at or after rs->next.  Returns
 * true when the schedule has run out (Exim: the failure is older than the
 * last rule's cutoff; any profile: 'max_attempts' failures). */
bool mta_sched_fail(const struct mta_profile *p, sim_time_t queued,
    sim_time_t now, struct mta_rstate *rs, struct rng *rng, sim_time_t *when);

/* Exim's retry rules alone (retry.c retry_update()): rs->next after a
 * failure at 'now', without grid or jitter.  True when past the last
 * cutoff. */
bool mta_sched_exim(
    const struct mta_profile *p, sim_time_t now, struct mta_rstate *rs);

/* 't' cut to whole seconds: the MTAs keep their retry and dead-host
 * times as time_t. */
sim_time_t mta_sched_secs(sim_time_t t);

/* The first queue run at or after 't' (runs at k * queue_run from 0);
 * 't' itself when the profile has no queue runs. */
sim_time_t mta_sched_grid(const struct mta_profile *p, sim_time_t t);

#endif

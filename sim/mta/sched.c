/*
 * sched.c - retry schedules.
 *
 * Sources (mta-behavior.md §4.5):
 *  - postfix: qmgr_active.c qmgr_active_done_3_generic(): a deferred
 *    message waits clamp(time in queue, minimal_backoff_time,
 *    maximal_backoff_time) from now, in whole seconds (time_t), and is
 *    picked up by the first deferred-queue scan (every queue_run_delay)
 *    whose time is not before that;
 *  - exim: retry.c retry_update(): the first rule whose cutoff the time
 *    since the first failure has not passed gives the interval; F is
 *    fixed, G multiplies the last gap (the smaller of the predicted and
 *    the actual one), never below its first parameter; capped at
 *    retry_interval_max; past the last cutoff the record has expired;
 *  - quadratic: OpenSMTPD scheduler_ramqueue.c scheduler_next():
 *    creation + base * n^2, n growing until the time is in the future;
 *  - chasquid: internal/queue/queue.go nextDelay(): by the message's age
 *    (<1m: 1m, <5m: 5m, <10m: 10m, else 20m) plus a jitter;
 *  - queue-run: Sendmail retries the whole queue at every -q run.
 */
#include "sched.h"

#include <stddef.h>

void
mta_rstate_init(struct mta_rstate *rs)
{
	rs->nfail = 0;
	rs->first = -1;
	rs->last = -1;
	rs->next = 0;
}

sim_time_t
mta_sched_grid(const struct mta_profile *p, sim_time_t t)
{
	sim_time_t q = p->queue_run;

	if (q <= 0 || t <= 0)
		return t;
	return (t + q - 1) / q * q;
}

sim_time_t
mta_sched_secs(sim_time_t t)
{
	return t / SIM_S(1) * SIM_S(1);
}

static sim_time_t
clamp(sim_time_t v, sim_time_t lo, sim_time_t hi)
{
	if (hi > 0 && v > hi)
		v = hi;
	return v < lo ? lo : v;
}

bool
mta_sched_exim(
    const struct mta_profile *p, sim_time_t now, struct mta_rstate *rs)
{
	const struct mta_rule *r = NULL;
	sim_time_t failing, gap, pred, act;
	size_t i;

	/* Exim keeps retry times as time_t: whole seconds. */
	now = mta_sched_secs(now);
	if (rs->first < 0) {
		rs->first = now;
		rs->last = now;
		rs->next = now;
	}
	failing = now - rs->first;
	for (i = 0; i < p->nrules; i++)
		if (failing <= p->rules[i].cutoff) {
			r = &p->rules[i];
			break;
		}
	if (r == NULL) {
		/* Past the final cutoff: retry.c sets 'expired'; keep the
		 * last rule's interval for whoever still asks. */
		gap = p->nrules ? p->rules[p->nrules - 1].p1 : SIM_H(6);
		rs->last = now;
		rs->next = now + gap;
		return true;
	}
	if (r->kind == 'F')
		gap = r->p1;
	else {
		pred = rs->next - rs->last;
		act = now - rs->last;
		gap = pred < act ? pred : act;
		gap = gap < r->p1
		          ? r->p1
		          : mta_sched_secs((sim_time_t)((double)gap * r->mult));
	}
	if (p->retry_max > 0 && gap > p->retry_max)
		gap = p->retry_max;
	rs->last = now;
	rs->next = now + gap;
	return false;
}

/* OpenSMTPD: creation + base * n^2, the first such time after 'now'. */
static sim_time_t
quadratic(const struct mta_profile *p, sim_time_t queued, sim_time_t now, int n)
{
	sim_time_t t;

	for (;; n++) {
		t = queued + p->backoff_min * (sim_time_t)n * n;
		if (t > now)
			return t;
	}
}

static sim_time_t
chasquid_delay(sim_time_t age)
{
	if (age < SIM_MIN(1))
		return SIM_MIN(1);
	if (age < SIM_MIN(5))
		return SIM_MIN(5);
	if (age < SIM_MIN(10))
		return SIM_MIN(10);
	return SIM_MIN(20);
}

bool
mta_sched_fail(const struct mta_profile *p, sim_time_t queued, sim_time_t now,
    struct mta_rstate *rs, struct rng *rng, sim_time_t *when)
{
	bool expired = false;
	sim_time_t next;

	rs->nfail++;
	switch (p->schedule) {
	case MTA_SCHED_POSTFIX:
		next = mta_sched_secs(now) +
		       clamp(mta_sched_secs(now) - mta_sched_secs(queued),
		           p->backoff_min, p->backoff_max);
		break;
	case MTA_SCHED_EXIM:
		expired = mta_sched_exim(p, now, rs);
		next = rs->next;
		break;
	case MTA_SCHED_QUADRATIC:
		next = quadratic(p, queued, now, rs->nfail);
		break;
	case MTA_SCHED_CHASQUID:
		next = now + chasquid_delay(now - queued);
		break;
	case MTA_SCHED_QUEUE_RUN:
		/* The next run strictly after now. */
		next = p->queue_run > 0 ? mta_sched_grid(p, now + 1)
		                        : now + mta_profile_retry(p, rs->nfail);
		break;
	case MTA_SCHED_LIST:
	default:
		next = now + mta_profile_retry(p, rs->nfail);
		break;
	}
	if (rs->first < 0)
		rs->first = now;
	if (p->retry_jitter > 0 && rng != NULL)
		next += (sim_time_t)rng_below(rng, (uint64_t)p->retry_jitter);
	if (next <= now)
		next = now + 1;
	/* The record keeps the computed time (Exim's next_try, Postfix's
	 * queue file mtime); the attempt waits for the queue run. */
	rs->last = now;
	rs->next = next;
	*when = mta_sched_grid(p, next);
	if (p->max_attempts > 0 && rs->nfail >= p->max_attempts)
		expired = true;
	return expired;
}

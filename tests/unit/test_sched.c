/*
 * test_sched.c - retry schedules as each MTA computes them
 * (sim/mta/sched.c).
 *
 * Expected values come from mta-behavior.md §4.5 and the code it cites:
 *  - Postfix qmgr_active.c qmgr_active_done_3_generic(): next attempt =
 *    now + clamp(time in queue, minimal_backoff_time 300 s,
 *    maximal_backoff_time 4000 s), whole seconds, then the first
 *    deferred-queue scan (queue_run_delay 300 s) not before it: "0, 5,
 *    10, 20, 40, 80 min, then every ~67 min rounded up to the scan";
 *  - Exim configure.default "F,2h,15m; G,16h,1h,1.5; F,4d,6h" (retry.c
 *    retry_update()): every 15 min for 2 h, then gaps of 1 h, 1.5 h,
 *    2.25 h, 3.375 h ..., then every 6 h, expired past 4 d from the
 *    first failure;
 *  - OpenSMTPD scheduler_ramqueue.c: creation + 400 s * n^2;
 *  - chasquid queue.go nextDelay(): 1 m, 5 m, 10 m, then 20 m by age;
 *  - Haraka hmail.js temp_fail(): the 13th temporary failure bounces;
 *  - Sendmail: the next -q run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "mta/profile.h"
#include "mta/sched.h"

static struct mta_profile
prof(enum mta_sched s)
{
	struct mta_profile p;

	mta_profile_defaults(&p);
	p.schedule = s;
	return p;
}

static bool
set_rules(struct mta_profile *p, const char *v)
{
	return mta_knob_set_rules(p, mta_knob_find("retry_rules"), v);
}

/* Instant failures (1.6 ms after each attempt, a refused connection):
 * Postfix's documented 0, 5, 10, 20, 40, 80 min, then +4000 s on the
 * 300 s grid. */
static void
test_postfix_instant_failures(void **state)
{
	static const long want[] = {
	    300, 600, 1200, 2400, 4800, 9000, 13200, 17400};
	struct mta_profile p = prof(MTA_SCHED_POSTFIX);
	struct mta_rstate rs;
	sim_time_t at = 0, when;
	size_t i;

	(void)state;
	p.queue_run = SIM_S(300);
	mta_rstate_init(&rs);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_false(
		    mta_sched_fail(&p, 0, at + SIM_US(1600), &rs, NULL, &when));
		assert_int_equal(when, SIM_S(want[i]));
		at = when;
	}
	assert_int_equal(rs.nfail, 8);
}

/* Attempts that fail after two 30 s connect timeouts: the backoff runs
 * from the failure (queue file mtime) and waits for the next scan. */
static void
test_postfix_slow_failures(void **state)
{
	static const long want[] = {600, 1500, 3300, 6900, 11100};
	struct mta_profile p = prof(MTA_SCHED_POSTFIX);
	struct mta_rstate rs;
	sim_time_t at = 0, when;
	size_t i;

	(void)state;
	p.queue_run = SIM_S(300);
	mta_rstate_init(&rs);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_false(
		    mta_sched_fail(&p, 0, at + SIM_S(60), &rs, NULL, &when));
		assert_int_equal(when, SIM_S(want[i]));
		/* The record keeps the queue file's mtime, off the grid. */
		assert_int_equal(rs.next, i == 0 ? SIM_S(360) : rs.next);
		at = when;
	}
}

/* Exim's default rules, no queue runs: the schedule of §4.5. */
static void
test_exim_default_rules(void **state)
{
	struct mta_profile p = prof(MTA_SCHED_EXIM);
	struct mta_rstate rs;
	sim_time_t at = 0, when, gaps[20];
	int i;

	(void)state;
	assert_true(set_rules(&p, "F,2h,15m; G,16h,1h,1.5; F,4d,6h"));
	mta_rstate_init(&rs);
	for (i = 0; i < 20; i++) {
		assert_false(mta_sched_fail(&p, 0, at, &rs, NULL, &when));
		gaps[i] = when - at;
		at = when;
	}
	/* F,2h,15m: failures at 0, 15m, ..., 2h (9 of them). */
	for (i = 0; i < 9; i++)
		assert_int_equal(gaps[i], SIM_MIN(15));
	/* G,16h,1h,1.5: the first gap is the minimum, 1 h, then x1.5. */
	assert_int_equal(gaps[9], SIM_H(1));
	assert_int_equal(gaps[10], SIM_MIN(90));
	assert_int_equal(gaps[11], SIM_S(8100));  /* 2.25 h */
	assert_int_equal(gaps[12], SIM_S(12150)); /* 3.375 h */
	assert_int_equal(gaps[13], SIM_S(18225)); /* 5.06 h */
	/* Failure at 2h15m+1+1.5+2.25+3.375+5.0625 h = 15h26m15s, still
	 * under 16 h: G once more, 7.59 h in whole seconds (retry.c works
	 * in time_t). */
	assert_int_equal(gaps[14], SIM_S(27337));
	/* Past 16 h from the first failure: F,4d,6h. */
	assert_int_equal(gaps[15], SIM_H(6));
	assert_int_equal(gaps[19], SIM_H(6));
}

/* Past the last cutoff (4 d from the first failure) the record expires;
 * Exim then fails the address. */
static void
test_exim_expires_after_cutoff(void **state)
{
	struct mta_profile p = prof(MTA_SCHED_EXIM);
	struct mta_rstate rs;
	sim_time_t when;

	(void)state;
	assert_true(set_rules(&p, "F,2h,15m; G,16h,1h,1.5; F,4d,6h"));
	mta_rstate_init(&rs);
	assert_false(mta_sched_fail(&p, 0, SIM_H(1), &rs, NULL, &when));
	assert_int_equal(rs.first, SIM_H(1));
	assert_false(
	    mta_sched_fail(&p, 0, SIM_H(1) + SIM_DAY(4), &rs, NULL, &when));
	assert_true(mta_sched_fail(
	    &p, 0, SIM_H(1) + SIM_DAY(4) + SIM_S(1), &rs, NULL, &when));
}

/* retry_interval_max caps the gap; queue runs every 30 min delay the
 * attempt to the next run, while the record keeps Exim's next_try. */
static void
test_exim_cap_and_queue_runs(void **state)
{
	struct mta_profile p = prof(MTA_SCHED_EXIM);
	struct mta_rstate rs;
	sim_time_t when;

	(void)state;
	assert_true(set_rules(&p, "F,1h,15m; G,10d,2h,10"));
	p.retry_max = SIM_H(24);
	p.queue_run = SIM_MIN(30);
	mta_rstate_init(&rs);
	assert_false(mta_sched_fail(&p, 0, SIM_MIN(5), &rs, NULL, &when));
	assert_int_equal(rs.next, SIM_MIN(20));
	assert_int_equal(when, SIM_MIN(30));
	/* Failing since 55 min: still F. */
	assert_false(mta_sched_fail(&p, 0, SIM_H(1), &rs, NULL, &when));
	assert_int_equal(rs.next, SIM_MIN(75));
	assert_int_equal(when, SIM_MIN(90));
	/* G: last gap min(predicted 15m, actual 30m) < 2h -> 2h. */
	assert_false(mta_sched_fail(&p, 0, SIM_MIN(90), &rs, NULL, &when));
	assert_int_equal(rs.next, SIM_MIN(90) + SIM_H(2));
	/* Then x10 = 20 h, then 200 h capped at 24 h. */
	assert_false(
	    mta_sched_fail(&p, 0, SIM_MIN(90) + SIM_H(2), &rs, NULL, &when));
	assert_int_equal(rs.next - rs.last, SIM_H(20));
	assert_false(mta_sched_fail(&p, 0, rs.next, &rs, NULL, &when));
	assert_int_equal(rs.next - rs.last, SIM_H(24));
}

static void
test_rules_parse(void **state)
{
	struct mta_profile p = prof(MTA_SCHED_EXIM);

	(void)state;
	assert_true(set_rules(&p, " F,2h,15m ;G,16h,1h,1.5;  F,4d,6h "));
	assert_int_equal(p.nrules, 3);
	assert_int_equal(p.rules[1].kind, 'G');
	assert_int_equal(p.rules[1].cutoff, SIM_H(16));
	assert_int_equal(p.rules[1].p1, SIM_H(1));
	assert_true(p.rules[1].mult == 1.5);
	assert_false(set_rules(&p, ""));
	assert_false(set_rules(&p, "X,2h,15m"));
	assert_false(set_rules(&p, "F,2h"));
	assert_false(set_rules(&p, "G,2h,15m"));          /* no multiplier */
	assert_false(set_rules(&p, "F,2h,15m,2"));        /* F takes two */
	assert_false(set_rules(&p, "F,4d,6h; F,2h,15m")); /* cutoffs grow */
	assert_false(set_rules(&p, "F,2h,soon"));
	/* A bad value leaves the rules as they were. */
	assert_int_equal(p.nrules, 3);
}

/* OpenSMTPD: creation + 400 s n^2, the step growing while the time is
 * already past. */
static void
test_quadratic(void **state)
{
	struct mta_profile p = prof(MTA_SCHED_QUADRATIC);
	struct mta_rstate rs;
	sim_time_t when;

	(void)state;
	p.backoff_min = SIM_S(400);
	mta_rstate_init(&rs);
	assert_false(mta_sched_fail(&p, 0, SIM_S(1), &rs, NULL, &when));
	assert_int_equal(when, SIM_S(400));
	assert_false(mta_sched_fail(&p, 0, SIM_S(401), &rs, NULL, &when));
	assert_int_equal(when, SIM_S(1600));
	assert_false(mta_sched_fail(&p, 0, SIM_S(1601), &rs, NULL, &when));
	assert_int_equal(when, SIM_S(3600));
	/* Fourth failure late, at 7000 s: 6400 is past, so 10000. */
	assert_false(mta_sched_fail(&p, 0, SIM_S(7000), &rs, NULL, &when));
	assert_int_equal(when, SIM_S(10000));
}

static void
test_chasquid_by_age(void **state)
{
	struct mta_profile p = prof(MTA_SCHED_CHASQUID);
	struct mta_rstate rs;
	struct rng r;
	sim_time_t when;
	int i;

	(void)state;
	mta_rstate_init(&rs);
	assert_false(mta_sched_fail(&p, 0, SIM_S(10), &rs, NULL, &when));
	assert_int_equal(when, SIM_S(70));
	assert_false(mta_sched_fail(&p, 0, SIM_S(70), &rs, NULL, &when));
	assert_int_equal(when, SIM_S(370));
	assert_false(mta_sched_fail(&p, 0, SIM_S(370), &rs, NULL, &when));
	assert_int_equal(when, SIM_S(970));
	assert_false(mta_sched_fail(&p, 0, SIM_S(970), &rs, NULL, &when));
	assert_int_equal(when, SIM_S(2170));
	/* rand.N(60 s): within [0, 60 s), not always 0. */
	p.retry_jitter = SIM_S(60);
	rng_init(&r, 1, "test");
	for (i = 0; i < 50; i++) {
		assert_false(mta_sched_fail(&p, 0, SIM_H(1), &rs, &r, &when));
		assert_true(when >= SIM_H(1) + SIM_MIN(20));
		assert_true(when < SIM_H(1) + SIM_MIN(21));
	}
}

static void
test_queue_run_and_list(void **state)
{
	struct mta_profile p = prof(MTA_SCHED_QUEUE_RUN);
	struct mta_rstate rs;
	sim_time_t when, v[2] = {SIM_MIN(5), SIM_MIN(10)};

	(void)state;
	p.queue_run = SIM_MIN(30);
	mta_rstate_init(&rs);
	assert_false(mta_sched_fail(&p, 0, SIM_MIN(10), &rs, NULL, &when));
	assert_int_equal(when, SIM_MIN(30));
	/* Failing exactly at a run: the next one. */
	assert_false(mta_sched_fail(&p, 0, SIM_MIN(30), &rs, NULL, &when));
	assert_int_equal(when, SIM_MIN(60));
	/* A 'retry' list replaces the schedule and its grid
	 * (SCENARIO-DSL.md). */
	assert_true(mta_knob_set_durlist(&p, mta_knob_find("retry"), v, 2));
	assert_int_equal(p.schedule, MTA_SCHED_LIST);
	assert_int_equal(p.queue_run, 0);
	mta_rstate_init(&rs);
	assert_false(mta_sched_fail(&p, 0, SIM_MIN(1), &rs, NULL, &when));
	assert_int_equal(when, SIM_MIN(6));
	assert_false(mta_sched_fail(&p, 0, SIM_MIN(6), &rs, NULL, &when));
	assert_int_equal(when, SIM_MIN(16));
	assert_false(mta_sched_fail(&p, 0, SIM_MIN(16), &rs, NULL, &when));
	assert_int_equal(when, SIM_MIN(26));
}

/* Haraka: maxTempFailures = 13, the 13th temporary failure bounces. */
static void
test_max_attempts(void **state)
{
	struct mta_profile p = prof(MTA_SCHED_LIST);
	struct mta_rstate rs;
	sim_time_t when;
	int i;

	(void)state;
	p.max_attempts = 13;
	mta_rstate_init(&rs);
	for (i = 1; i < 13; i++)
		assert_false(mta_sched_fail(&p, 0, SIM_H(i), &rs, NULL, &when));
	assert_true(mta_sched_fail(&p, 0, SIM_H(13), &rs, NULL, &when));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_postfix_instant_failures),
	    cmocka_unit_test(test_postfix_slow_failures),
	    cmocka_unit_test(test_exim_default_rules),
	    cmocka_unit_test(test_exim_expires_after_cutoff),
	    cmocka_unit_test(test_exim_cap_and_queue_runs),
	    cmocka_unit_test(test_rules_parse),
	    cmocka_unit_test(test_quadratic),
	    cmocka_unit_test(test_chasquid_by_age),
	    cmocka_unit_test(test_queue_run_and_list),
	    cmocka_unit_test(test_max_attempts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_hoststate.c - dead-host memory (sim/mta/hoststate.c).
 *
 * Expected behaviour (mta-behavior.md §3.2, §4.6):
 *  - Postfix qmgr_queue.c qmgr_queue_throttle(): a dead destination is
 *    held for minimal_backoff_time (300 s), then tried again;
 *  - Exim retry.c: one retry record per IP address, F,2h,15m first;
 *    deleted when the host works again;
 *  - OpenSMTPD mta.c mta_route_disable(): DELAY_ROUTE_BASE 15 s *
 *    penalty^2, at most DELAY_ROUTE_MAX 3600 s; only a route still
 *    ROUTE_NEW (no session reached READY on it) is penalised
 *    (mta_route_collect(), mta-behavior.md §3.2);
 *  - Sendmail Timeout.hoststatus = 30m.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>

#include "mta/hoststate.h"

static struct mta_profile
prof(enum mta_hmem h, sim_time_t t)
{
	struct mta_profile p;

	mta_profile_defaults(&p);
	p.host_memory = h;
	p.host_memory_time = t;
	return p;
}

static void
test_destination_dead_for_backoff(void **state)
{
	struct mta_profile p = prof(MTA_HMEM_DESTINATION, SIM_S(300));
	struct hoststate hs;
	const struct hs_entry *e;

	(void)state;
	hs_init(&hs);
	assert_null(hs_blocked(&hs, "example.test", 0));
	hs_fail(&hs, &p, "example.test", SIM_S(60), "connect timeout");
	e = hs_blocked(&hs, "EXAMPLE.test", SIM_S(359));
	assert_non_null(e);
	assert_string_equal(e->why, "connect timeout");
	/* Alive again at exactly 60 + 300 s. */
	assert_null(hs_blocked(&hs, "example.test", SIM_S(360)));
	assert_null(hs_blocked(&hs, "other.test", SIM_S(100)));
	hs_ok(&hs, "example.test");
	assert_null(hs_find(&hs, "example.test"));
	hs_fini(&hs);
}

static void
test_address_uses_exim_rules(void **state)
{
	struct mta_profile p = prof(MTA_HMEM_ADDRESS, SIM_MIN(15));
	struct hoststate hs;
	struct hs_entry *e;

	(void)state;
	assert_true(mta_knob_set_rules(&p, mta_knob_find("retry_rules"),
	    "F,2h,15m; G,16h,1h,1.5; F,4d,6h"));
	hs_init(&hs);
	e = hs_fail(&hs, &p, "192.0.2.10", SIM_S(300), "timeout");
	assert_int_equal(e->rs.first, SIM_S(300));
	assert_int_equal(e->rs.next, SIM_S(300) + SIM_MIN(15));
	hs_fail(&hs, &p, "192.0.2.20", SIM_S(600), "refused");
	/* Past 2 h of failing (whole seconds, time_t): G, at least 1 h. */
	e = hs_fail(
	    &hs, &p, "192.0.2.10", SIM_S(300) + SIM_H(2) + SIM_S(1), "x");
	assert_int_equal(e->rs.nfail, 2);
	assert_int_equal(e->rs.next - e->rs.last, SIM_H(1));
	assert_non_null(hs_blocked(&hs, "192.0.2.20", SIM_S(1499)));
	assert_null(hs_blocked(&hs, "192.0.2.20", SIM_S(1500)));
	hs_ok(&hs, "192.0.2.10");
	assert_null(hs_find(&hs, "192.0.2.10"));
	assert_non_null(hs_find(&hs, "192.0.2.20"));
	hs_fini(&hs);
}

static void
test_route_penalty_quadratic_capped(void **state)
{
	static const long want[] = {15, 60, 135, 240, 375, 540, 735, 960, 1215,
	    1500, 1815, 2160, 2535, 2940, 3375, 3600, 3600};
	struct mta_profile p = prof(MTA_HMEM_ROUTE, SIM_S(15));
	struct hoststate hs;
	struct hs_entry *e;
	size_t i;

	(void)state;
	hs_init(&hs);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		e = hs_fail(&hs, &p, "2001:db8::25", SIM_H(i), "timeout");
		assert_int_equal(e->penalty, (int)i + 1);
		assert_int_equal(e->rs.next, SIM_H(i) + SIM_S(want[i]));
	}
	hs_fini(&hs);
}

static void
test_route_penalty_only_while_new(void **state)
{
	struct mta_profile p = prof(MTA_HMEM_ROUTE, SIM_S(15));
	struct hoststate hs;
	struct hs_entry *e;

	(void)state;
	hs_init(&hs);
	/* New route: penalty 1, disabled 15 s. */
	e = hs_fail(&hs, &p, "192.0.2.25", SIM_S(100), "timeout");
	assert_int_equal(e->penalty, 1);
	assert_non_null(hs_blocked(&hs, "192.0.2.25", SIM_S(114)));
	/* A session reaches READY: re-enabled at once, no longer new. */
	hs_route_ready(&hs, "192.0.2.25");
	assert_null(hs_blocked(&hs, "192.0.2.25", SIM_S(114)));
	/* Its later failures are not penalised: still usable. */
	e = hs_fail(&hs, &p, "192.0.2.25", SIM_S(200), "timeout");
	assert_int_equal(e->penalty, 1);
	assert_true(e->validated);
	assert_null(hs_blocked(&hs, "192.0.2.25", SIM_S(200)));
	/* Another, new route still is. */
	e = hs_fail(&hs, &p, "192.0.2.26", SIM_S(200), "timeout");
	assert_int_equal(e->penalty, 1);
	assert_non_null(hs_blocked(&hs, "192.0.2.26", SIM_S(214)));
	assert_null(hs_blocked(&hs, "192.0.2.26", SIM_S(215)));
	hs_fini(&hs);
}

static void
test_host_status_30m(void **state)
{
	struct mta_profile p = prof(MTA_HMEM_HOST, SIM_MIN(30));
	struct hoststate hs;
	int i;
	char name[64];

	(void)state;
	hs_init(&hs);
	/* Many keys: the array grows and keeps each. */
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "mx%d.example.test", i);
		hs_fail(&hs, &p, name, SIM_MIN(i), "refused");
	}
	assert_int_equal(hs.n, 40);
	assert_non_null(hs_blocked(&hs, "mx7.example.test", SIM_MIN(36)));
	assert_null(hs_blocked(&hs, "mx7.example.test", SIM_MIN(37)));
	hs_ok(&hs, "mx0.example.test");
	assert_int_equal(hs.n, 39);
	assert_non_null(hs_find(&hs, "mx39.example.test"));
	hs_fini(&hs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_destination_dead_for_backoff),
	    cmocka_unit_test(test_address_uses_exim_rules),
	    cmocka_unit_test(test_route_penalty_quadratic_capped),
	    cmocka_unit_test(test_route_penalty_only_while_new),
	    cmocka_unit_test(test_host_status_30m),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

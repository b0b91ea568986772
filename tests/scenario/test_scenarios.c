/*
 * test_scenarios.c - every shipped scenario, run through the library, with
 * its attempt order and its simulated times pinned.
 *
 * Times follow from the network: every scenario uses the default one-way
 * latency of 200 us, so a DNS query is answered 0.4 ms after it leaves and
 * an SMTP command 0.4 ms after it is sent.  A delivery over an established
 * path is handshake (SYN, SYN-ACK, ACK: the server greets once the ACK has
 * arrived, 0.6 ms after the SYN) plus six command round trips (220 arrives
 * at 0.8 ms, then EHLO, MAIL, RCPT, DATA, message): 2.8 ms from connect to
 * the 250 after ".".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

#define US(x) SIM_US(x)

static void
assert_all_expectations_hold(const struct hrun *h)
{
	size_t i;

	for (i = 0; i < h->w.nexpects; i++)
		if (!h->res[i].ok)
			fail_msg("expectation at line %d failed: %s",
			    h->res[i].e->at.line, h->res[i].why);
	assert_int_equal(h->nfail, 0);
}

/* RFC 5321 §5.1 order, with the rfc5321 profile's 30 s connect timeout
 * (Postfix smtp_connect_timeout = 30s) and Linux's SYN backoff. */
static void
test_primary_down_times_out_then_delivers_to_mx2(void **state)
{
	struct hrun *h = h_run("scenarios/primary-down.lua", 0);
	struct mta_rcpt_result r;
	const struct hrec *x;
	char buf[256];

	(void)state;
	assert_all_expectations_hold(h);
	assert_string_equal(
	    h_attempts(h, "bob@example.test", 1, buf, sizeof(buf)),
	    "mx1:timeout,mx2:delivered");
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_int_equal(r.outcome, MTA_DELIVERED);
	/* MX at 0.4 ms, A mx1 at 0.8 ms, A mx2 at 1.2 ms, then connect. */
	x = h_find(h, "mta.mx", "mta", 0);
	assert_non_null(x);
	assert_int_equal(x->t, US(400));
	assert_string_equal(x->text,
	    "MX example.test: 10 mx1.example.test, 20 mx2.example.test");
	assert_int_equal(r.attempts[0].start, US(1200));
	assert_int_equal(r.attempts[0].end, SIM_S(30) + US(1200));
	assert_int_equal(r.attempts[0].pref, 10);
	/* SYNs at 0, 1, 3, 7 and 15 s of the attempt (RFC 6298 §5.5
	 * doubling from 1 s); the sixth would go at 31 s, after the 30 s
	 * timeout. */
	x = h_find(h, "mta.fail", "mta", 0);
	assert_non_null(x);
	assert_string_equal(x->text, "mx1.example.test: connect timeout "
	                             "after 30s (5 SYNs unanswered)");
	assert_int_equal(r.attempts[1].start, SIM_S(30) + US(1200));
	assert_int_equal(r.attempts[1].pref, 20);
	assert_int_equal(r.t, SIM_S(30) + US(1200) + US(2800));
	assert_string_equal(r.via, "mx2");
	assert_int_equal(h_count(h, "smtp.stored", "mx2"), 1);
	assert_int_equal(h_count(h, "smtp.stored", "mx1"), 0);
	h_free(h);
}

static void
test_primary_up_delivers_to_mx1_only(void **state)
{
	struct hrun *h = h_run("scenarios/primary-up.lua", 0);
	struct mta_rcpt_result r;
	char buf[256];

	(void)state;
	assert_all_expectations_hold(h);
	assert_string_equal(
	    h_attempts(h, "bob@example.test", 1, buf, sizeof(buf)),
	    "mx1:delivered");
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_int_equal(r.t, US(1200) + US(2800));
	assert_int_equal(h_count(h, "mta.connect", "mta"), 1);
	h_free(h);
}

/* RFC 9293 §3.10.7.1: RST answers a SYN to a closed port; the failover
 * costs one round trip (0.4 ms), not a timeout. */
static void
test_primary_refuses_fails_over_in_one_round_trip(void **state)
{
	struct hrun *h = h_run("scenarios/primary-refuses.lua", 0);
	struct mta_rcpt_result r;
	const struct hrec *x;
	char buf[256];

	(void)state;
	assert_all_expectations_hold(h);
	assert_string_equal(
	    h_attempts(h, "bob@example.test", 1, buf, sizeof(buf)),
	    "mx1:refused,mx2:delivered");
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_int_equal(r.attempts[0].end, US(1600));
	assert_int_equal(r.attempts[1].start, US(1600));
	assert_int_equal(r.t, US(1600) + US(2800));
	x = h_find(h, "mta.fail", "mta", 0);
	assert_non_null(x);
	assert_string_equal(
	    x->text, "mx1.example.test: connection refused (RST)");
	h_free(h);
}

/* RFC 5321 §3.8: 421 closes the channel; the sender tries the next MX. */
static void
test_primary_421_greeting_moves_to_mx2(void **state)
{
	struct hrun *h = h_run("scenarios/primary-421.lua", 0);
	struct mta_rcpt_result r;
	char buf[256];

	(void)state;
	assert_all_expectations_hold(h);
	assert_string_equal(
	    h_attempts(h, "bob@example.test", 1, buf, sizeof(buf)),
	    "mx1:421,mx2:delivered");
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	/* The 421 arrives one round trip after the handshake. */
	assert_int_equal(r.attempts[0].end, US(1200) + US(800));
	assert_int_equal(r.t, US(2000) + US(2800));
	/* Message 2, queued at 40 min after the outage: mx1 again. */
	assert_string_equal(
	    h_attempts(h, "carol@example.test", 2, buf, sizeof(buf)),
	    "mx1:delivered");
	assert_int_equal(h_result(h, "carol@example.test", 2, &r), 0);
	assert_int_equal(r.t, SIM_MIN(40) + US(1200) + US(2800));
	h_free(h);
}

/* RFC 5321 §3.1: after a 554 greeting the server waits for QUIT; the
 * client sends it, gets 221, and tries the next MX in the meantime. */
static void
test_primary_554_greeting_quits_and_moves_to_mx2(void **state)
{
	struct hrun *h = h_run("scenarios/primary-554.lua", 0);
	struct mta_rcpt_result r;
	char buf[256];

	(void)state;
	assert_all_expectations_hold(h);
	assert_string_equal(
	    h_attempts(h, "bob@example.test", 1, buf, sizeof(buf)),
	    "mx1:554,mx2:delivered");
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_int_equal(r.attempts[0].end, US(1200) + US(800));
	assert_int_equal(r.t, US(2000) + US(2800));
	assert_int_equal(h_count(h, "smtp.stored", "mx1"), 0);
	h_free(h);
}

/* RFC 7505 §4.3: no delivery attempt to a null MX domain; 556 5.1.10. */
static void
test_null_mx_bounces_without_connecting(void **state)
{
	struct hrun *h = h_run("scenarios/null-mx.lua", 0);
	struct mta_rcpt_result r;

	(void)state;
	assert_all_expectations_hold(h);
	assert_int_equal(h_result(h, "bob@nomail.test", 1, &r), 0);
	assert_int_equal(r.outcome, MTA_BOUNCED);
	assert_int_equal(r.t, US(400));
	assert_int_equal(r.nattempts, 0);
	assert_non_null(strstr(r.reason, "556 5.1.10"));
	assert_int_equal(h_count(h, "mta.connect", NULL), 0);
	h_free(h);
}

/* RFC 5321 §5.1 implicit MX: NODATA for MX, then the domain's own A. */
static void
test_no_mx_uses_the_domain_address(void **state)
{
	struct hrun *h = h_run("scenarios/no-mx-implicit.lua", 0);
	struct mta_rcpt_result r;
	const struct hrec *x;

	(void)state;
	assert_all_expectations_hold(h);
	x = h_find(h, "mta.mx", "mta", 0);
	assert_non_null(x);
	assert_string_equal(x->text, "MX example.test: no MX record, implicit "
	                             "MX: example.test itself");
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_int_equal(r.attempts[0].pref, 0);
	assert_int_equal(r.attempts[0].start, US(800));
	assert_int_equal(r.t, US(800) + US(2800));
	h_free(h);
}

/* glibc res_send.c send_dg(): the wait is "retrans << ns" for the server
 * of index ns, whatever the round, so one server with timeout 5 s and 2
 * attempts is asked at 0 and 5 s, from the same socket (same ID), and
 * the lookup fails at 10 s.  RFC 5321 §5.1: a temporary DNS error
 * defers (Postfix 4.4.3); the rfc5321 profile retries 30 min later (RFC
 * 5321 §4.5.4.1), when ns1 is back: MX and A (0.8 ms), then the
 * delivery (2.8 ms). */
static void
test_dns_down_defers_then_retries_after_30_minutes(void **state)
{
	struct hrun *h = h_run("scenarios/dns-down.lua", 0);
	struct mta_rcpt_result r;
	const struct hrec *x, *y;
	char buf[64], buf2[64];

	(void)state;
	assert_all_expectations_hold(h);
	x = h_find(h, "dns.query", "mta", 0);
	assert_non_null(x);
	assert_int_equal(x->t, 0);
	assert_string_equal(h_field(x, "wait", buf, sizeof(buf)), "5000000000");
	y = h_find(h, "dns.query", "mta", 1);
	assert_non_null(y);
	assert_int_equal(y->t, SIM_S(5));
	assert_string_equal(h_field(y, "try", buf, sizeof(buf)), "2");
	assert_string_equal(h_field(y, "wait", buf, sizeof(buf)), "5000000000");
	assert_string_equal(h_field(x, "id", buf, sizeof(buf)),
	    h_field(y, "id", buf2, sizeof(buf2)));
	/* No third try in the first delivery attempt. */
	x = h_find(h, "dns.query", "mta", 2);
	assert_non_null(x);
	assert_int_equal(x->t, SIM_S(10) + SIM_MIN(30));
	x = h_find(h, "mta.mx", "mta", 0);
	assert_non_null(x);
	assert_int_equal(x->t, SIM_S(10));
	assert_string_equal(
	    x->text, "MX example.test: lookup failed (timeout)");
	x = h_find(h, "mta.defer", "mta", 0);
	assert_non_null(x);
	assert_int_equal(x->t, SIM_S(10));
	assert_string_equal(x->text,
	    "deferred msg 1 for example.test: 4.4.3 MX lookup for "
	    "example.test failed (timeout); next attempt in 30m (at "
	    "1810.000000)");
	x = h_find(h, "mta.retry", "mta", 0);
	assert_non_null(x);
	assert_int_equal(x->t, SIM_S(10) + SIM_MIN(30));
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_int_equal(r.deliveries, 2);
	assert_int_equal(
	    r.attempts[0].start, SIM_S(10) + SIM_MIN(30) + US(800));
	/* 1810.0036 s. */
	assert_int_equal(r.t, SIM_S(10) + SIM_MIN(30) + US(800) + US(2800));
	h_free(h);
}

/* RFC 5321 §4.5.4.1: retry on a schedule ('retry' lists the delays, the
 * last one repeating) and give up after 'give_up'.  Each attempt costs two
 * 30 s connect timeouts plus three DNS round trips (1.2 ms). */
static void
test_all_mx_down_retries_on_schedule_then_bounces(void **state)
{
	struct hrun *h = h_run("scenarios/all-mx-down.lua", 0);
	struct mta_rcpt_result r;
	const sim_time_t attempt = SIM_S(60) + US(1200);
	sim_time_t start[7], t = 0;
	size_t i;

	(void)state;
	assert_all_expectations_hold(h);
	for (i = 0; i < 7; i++) {
		start[i] = t;
		/* After attempt i: 5 min, then 10 min for ever after. */
		t += attempt + (i == 0 ? SIM_MIN(5) : SIM_MIN(10));
	}
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_int_equal(r.outcome, MTA_BOUNCED);
	assert_int_equal(r.deliveries, 7);
	assert_int_equal(r.nattempts, 14);
	for (i = 0; i < 7; i++) {
		assert_int_equal(r.attempts[2 * i].delivery, (int)i + 1);
		assert_string_equal(r.attempts[2 * i].host, "mx1");
		assert_string_equal(r.attempts[2 * i].result, "timeout");
		assert_int_equal(r.attempts[2 * i].start, start[i] + US(1200));
		assert_string_equal(r.attempts[2 * i + 1].host, "mx2");
		assert_string_equal(r.attempts[2 * i + 1].result, "timeout");
	}
	/* The seventh attempt ends 61 min after queueing: older than the
	 * 1 h give-up time, so the message bounces then. */
	assert_int_equal(r.t, start[6] + attempt);
	assert_non_null(strstr(r.reason, "4.4.7 message expired"));
	assert_int_equal(h_count(h, "mta.retry", "mta"), 6);
	h_free(h);
}

/* How many of the scenario's messages tried mx1 first. */
static int
mx1_first(const struct hrun *h)
{
	int n = 0, i;
	char rcpt[64];

	for (i = 1; i <= 10; i++) {
		struct mta_rcpt_result r;

		snprintf(rcpt, sizeof(rcpt), "user%d@example.test", i);
		assert_int_equal(h_result(h, rcpt, (uint64_t)i, &r), 0);
		assert_int_equal(r.outcome, MTA_DELIVERED);
		assert_true(r.nattempts >= 1);
		if (strcmp(r.attempts[0].host, "mx1") == 0) {
			/* A dead mx1 first costs the 30 s timeout. */
			assert_int_equal(r.nattempts, 2);
			assert_int_equal(
			    r.t - r.attempts[0].start, SIM_S(30) + US(2800));
			n++;
		} else {
			assert_int_equal(r.nattempts, 1);
			assert_int_equal(r.t - r.attempts[0].start, US(2800));
		}
	}
	return n;
}

/* RFC 5321 §5.1: equal preferences are randomised, from the seed. */
static void
test_equal_preference_order_follows_the_seed(void **state)
{
	struct hrun *h = h_run("scenarios/equal-preference.lua", 0);
	struct hrun *again = h_run("scenarios/equal-preference.lua", 0);
	int n = mx1_first(h), total = 0, seed;

	(void)state;
	assert_all_expectations_hold(h);
	/* Same seed, same draw. */
	assert_int_equal(mx1_first(again), n);
	/* Over many seeds mx1 comes first about half the time: 400 draws,
	 * mean 200, sd 10; accept 150-250 (5 sd). */
	for (seed = 1; seed <= 40; seed++) {
		struct hrun *s =
		    h_run("scenarios/equal-preference.lua", (uint64_t)seed);

		total += mx1_first(s);
		h_free(s);
	}
	assert_in_range(total, 150, 250);
	h_free(again);
	h_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_primary_down_times_out_then_delivers_to_mx2),
	    cmocka_unit_test(test_primary_up_delivers_to_mx1_only),
	    cmocka_unit_test(test_primary_refuses_fails_over_in_one_round_trip),
	    cmocka_unit_test(test_primary_421_greeting_moves_to_mx2),
	    cmocka_unit_test(test_primary_554_greeting_quits_and_moves_to_mx2),
	    cmocka_unit_test(test_null_mx_bounces_without_connecting),
	    cmocka_unit_test(test_no_mx_uses_the_domain_address),
	    cmocka_unit_test(
	        test_dns_down_defers_then_retries_after_30_minutes),
	    cmocka_unit_test(test_equal_preference_order_follows_the_seed),
	    cmocka_unit_test(test_all_mx_down_retries_on_schedule_then_bounces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

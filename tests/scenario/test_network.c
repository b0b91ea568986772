/*
 * test_network.c - the network failures of the shipped scenarios, with
 * their attempt order and simulated times pinned.
 *
 * The default topology puts every host one router hop from every other,
 * each access link carrying half of the scenario's 200 us latency, so a
 * round trip is still 0.4 ms and a delivery over an open path 2.8 ms from
 * the first SYN (see test_scenarios.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

#define US(x) SIM_US(x)

static void
all_hold(const struct hrun *h)
{
	size_t i;

	for (i = 0; i < h->w.nexpects; i++)
		if (!h->res[i].ok)
			fail_msg("expectation at line %d failed: %s",
			    h->res[i].e->at.line, h->res[i].why);
}

/* RFC 6724 §2.1: IPv6 first; a black-holed IPv6 path costs the whole
 * 30 s connect timeout before IPv4 (rfc5321 profile, Postfix
 * smtp_connect_timeout = 30s). */
static void
test_network_broken_ipv6_costs_the_connect_timeout(void **state)
{
	struct hrun *h = h_run("scenarios/broken-ipv6.lua", 0);
	struct mta_rcpt_result r;
	char buf[128];

	(void)state;
	all_hold(h);
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_string_equal(
	    h_attempts(h, "bob@example.test", 1, buf, sizeof(buf)),
	    "mx1:timeout,mx1:delivered");
	assert_string_equal(r.attempts[0].addr, "2001:db8::10");
	assert_string_equal(r.attempts[1].addr, "192.0.2.10");
	/* MX, AAAA, A: three round trips before the first SYN. */
	assert_int_equal(r.attempts[0].start, US(1200));
	assert_int_equal(r.attempts[1].start, SIM_S(30) + US(1200));
	assert_int_equal(r.t, SIM_S(30) + US(1200) + US(2800));
	/* getaddrinfo's AI_ADDRCONFIG: an IPv4-only sender never asks
	 * AAAA, and is done in two lookups. */
	assert_int_equal(h_result(h, "dave@example.test", 2, &r), 0);
	assert_string_equal(r.attempts[0].addr, "192.0.2.10");
	assert_int_equal(r.t, US(800) + US(2800));
	h_free(h);
}

/* RFC 792 host unreachable from the last router; Linux tcp_v4_err()
 * fails the connect at once: one round trip (the ICMP comes from the
 * router, one hop away: 0.2 ms). */
static void
test_network_unreachable_fails_in_one_round_trip(void **state)
{
	struct hrun *h = h_run("scenarios/primary-unreachable.lua", 0);
	struct mta_rcpt_result r;
	const struct hrec *x;
	char buf[128];

	(void)state;
	all_hold(h);
	assert_string_equal(
	    h_attempts(h, "bob@example.test", 1, buf, sizeof(buf)),
	    "mx1:unreachable,mx2:delivered");
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_int_equal(r.attempts[0].end, US(1200) + US(200));
	assert_int_equal(r.t, US(1400) + US(2800));
	x = h_find(h, "mta.fail", "mta", 0);
	assert_non_null(x);
	assert_string_equal(
	    x->text, "mx1.example.test: host unreachable (ICMP)");
	h_free(h);
}

/* RFC 1812 §5.2.7.1: administratively prohibited, code 13. */
static void
test_network_filtered_port_fails_at_once(void **state)
{
	struct hrun *h = h_run("scenarios/primary-filtered.lua", 0);
	struct mta_rcpt_result r;

	(void)state;
	all_hold(h);
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_int_equal(r.attempts[0].end, US(1400));
	assert_string_equal(r.attempts[0].result, "unreachable");
	h_free(h);
}

/* Sites: mta to ns1 crosses four links of 1, 10, 15 and 1 ms. */
static void
test_network_site_uplink_down_sends_mail_to_the_backup_site(void **state)
{
	struct hrun *h = h_run("scenarios/site-link-down.lua", 0);
	struct mta_rcpt_result r;
	const struct hrec *x;
	const sim_time_t rtt = 2 * SIM_MS(27);

	(void)state;
	all_hold(h);
	x = h_find(h, "mta.mx", "mta", 0);
	assert_non_null(x);
	assert_int_equal(x->t, rtt);
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_int_equal(r.attempts[0].start, 3 * rtt);
	assert_int_equal(r.attempts[1].start, 3 * rtt + SIM_S(30));
	/* mx2 is 27 ms away too: handshake and six commands. */
	assert_int_equal(r.t, 3 * rtt + SIM_S(30) + 7 * rtt);
	/* After the outage, mx1 (20 + 1 ms from the core, 10 + 1 from the
	 * sender: 32 ms one way). */
	assert_int_equal(h_result(h, "carol@example.test", 2, &r), 0);
	assert_int_equal(r.nattempts, 1);
	assert_int_equal(r.t, SIM_MIN(15) + 3 * rtt + 7 * 2 * SIM_MS(32));
	h_free(h);
}

/* A loss burst: glibc send_dg() asks again after 5 s. */
static void
test_network_dns_loss_burst_costs_one_resolver_timeout(void **state)
{
	struct hrun *h = h_run("scenarios/dns-loss-burst.lua", 0);
	struct mta_rcpt_result r;
	const struct hrec *x;

	(void)state;
	all_hold(h);
	x = h_find(h, "dns.query", "mta", 1);
	assert_non_null(x);
	assert_int_equal(x->t, SIM_S(5));
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_int_equal(r.deliveries, 1);
	assert_int_equal(r.t, SIM_S(5) + US(800) + US(2800));
	h_free(h);
}

/* Loss, jitter and a 2 Mbit/s link: slower, but delivered, and the same
 * seed gives the same run to the nanosecond. */
static void
test_network_lossy_link_delivers_and_repeats_exactly(void **state)
{
	struct hrun *a = h_run("scenarios/lossy-link.lua", 0);
	struct hrun *b = h_run("scenarios/lossy-link.lua", 0);
	struct hrun *c = h_run("scenarios/lossy-link.lua", 99);
	struct mta_rcpt_result ra, rb, rc;
	size_t i;

	(void)state;
	all_hold(a);
	assert_int_equal(h_result(a, "bob@example.test", 1, &ra), 0);
	assert_int_equal(h_result(b, "bob@example.test", 1, &rb), 0);
	assert_int_equal(h_result(c, "bob@example.test", 1, &rc), 0);
	assert_int_equal(ra.outcome, MTA_DELIVERED);
	assert_int_equal(ra.t, rb.t);
	assert_int_equal(a->nrec, b->nrec);
	for (i = 0; i < a->nrec; i++) {
		assert_int_equal(a->rec[i].t, b->rec[i].t);
		assert_string_equal(a->rec[i].text, b->rec[i].text);
	}
	/* Another seed draws other losses and jitter: another time. */
	assert_int_not_equal(ra.t, rc.t);
	/* 60 KB at 2 Mbit/s take at least 240 ms on the wire. */
	assert_true(ra.t - ra.attempts[0].start > SIM_MS(240));
	h_free(a);
	h_free(b);
	h_free(c);
}

/* IPv6 everywhere: the same timings as IPv4 (RFC 9293 RST, one round
 * trip), with AAAA lookups only. */
static void
test_network_ipv6_only_refused_then_delivered(void **state)
{
	struct hrun *h = h_run("scenarios/ipv6-only.lua", 0);
	struct mta_rcpt_result r;
	char buf[128];

	(void)state;
	all_hold(h);
	assert_string_equal(
	    h_attempts(h, "bob@example.test", 1, buf, sizeof(buf)),
	    "mx1:refused,mx2:delivered");
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_string_equal(r.attempts[1].addr, "2001:db8::20");
	assert_int_equal(r.t, US(1600) + US(2800));
	assert_int_equal(h_count(h, "dns.query", "mta"), 3);
	h_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
	        test_network_broken_ipv6_costs_the_connect_timeout),
	    cmocka_unit_test(test_network_unreachable_fails_in_one_round_trip),
	    cmocka_unit_test(test_network_filtered_port_fails_at_once),
	    cmocka_unit_test(
	        test_network_site_uplink_down_sends_mail_to_the_backup_site),
	    cmocka_unit_test(
	        test_network_dns_loss_burst_costs_one_resolver_timeout),
	    cmocka_unit_test(
	        test_network_lossy_link_delivers_and_repeats_exactly),
	    cmocka_unit_test(test_network_ipv6_only_refused_then_delivered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_mx.c - from an MX answer to the list of hosts to try
 * (sim/mta/mx.c).
 *
 * Sources for the expected behaviour:
 *  - RFC 5321 §5.1: MX records are sorted by preference, lowest first
 *    ("MUST be used in sorting"); hosts of equal preference are tried in
 *    random order ("the SMTP client SHOULD randomize them") with
 *    MTA_ORDER_SHUFFLE (Postfix smtp_randomize_addresses = yes), or in
 *    answer order with MTA_ORDER_NONE (OpenSMTPD); a CNAME of the domain
 *    is followed ("the resulting name is processed as if it were the
 *    initial name");
 *  - duplicates: one host listed twice is tried once, at its lowest
 *    preference (Exim's host_remove_duplicates, mx.c);
 *  - RFC 7505 §3: a null MX is preference 0 with the root "." as
 *    exchange, and a domain advertising it MUST NOT advertise other MX
 *    records: MTA_NULLMX_ONLY recognises exactly that single record;
 *    MTA_NULLMX_ANY treats any "." exchange in the set as null MX, as
 *    Postfix does (smtp_addr.c); null entries are never tried as hosts.
 *
 * Names are under .test (RFC 6761 §6.2).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mta/mx.h"

static struct mx_entry
mx(uint16_t pref, const char *host)
{
	struct mx_entry e;

	memset(&e, 0, sizeof(e));
	e.pref = pref;
	snprintf(e.host, sizeof(e.host), "%s", host);
	return e;
}

/* Asserts v[0..n) is exactly the "pref host" list 'want' (NULL-ended). */
static void
list_is(const struct mx_entry *v, size_t n, const char *const *want)
{
	size_t i;
	char got[300];

	for (i = 0; want[i] != NULL; i++) {
		if (i >= n)
			fail_msg("only %zu entries, expected \"%s\" next", n,
			    want[i]);
		snprintf(got, sizeof(got), "%u %s", v[i].pref, v[i].host);
		assert_string_equal(got, want[i]);
	}
	assert_int_equal(n, i);
}

/* --- ordering
 * ------------------------------------------------------------------ */

static void
test_mx_order_sorts_by_preference_keeping_answer_order(void **state)
{
	struct mx_entry v[6];
	static const char *const want[] = {
	    "5 mx0.example.test",
	    "10 a.example.test",
	    "10 d.example.test",
	    "20 b.example.test",
	    "20 c.example.test",
	    "65535 last.example.test",
	    NULL,
	};
	size_t n;

	(void)state;
	v[0] = mx(20, "b.example.test");
	v[1] = mx(10, "a.example.test");
	v[2] = mx(65535, "last.example.test");
	v[3] = mx(20, "c.example.test");
	v[4] = mx(10, "d.example.test");
	v[5] = mx(5, "mx0.example.test");
	/* MTA_ORDER_NONE draws nothing: no stream needed. */
	n = mx_order(v, 6, MTA_ORDER_NONE, NULL);
	list_is(v, n, want);
}

static void
test_mx_order_removes_duplicates_keeping_lowest_preference(void **state)
{
	struct mx_entry v[5];
	static const char *const want[] = {
	    "10 mx1.example.test",
	    "20 mx3.example.test",
	    "30 mx2.example.test",
	    NULL,
	};
	size_t n;

	(void)state;
	v[0] = mx(20, "mx1.example.test");
	v[1] = mx(30, "mx2.example.test");
	/* Names compare case-insensitively (RFC 4343). */
	v[2] = mx(10, "MX1.Example.Test");
	v[3] = mx(20, "mx3.example.test");
	v[4] = mx(40, "mx2.example.test");
	n = mx_order(v, 5, MTA_ORDER_NONE, NULL);
	list_is(v, n, want);
}

static void
test_mx_order_drops_null_entries(void **state)
{
	struct mx_entry v[4];
	static const char *const want[] = {
	    "10 mx1.example.test",
	    "20 mx2.example.test",
	    NULL,
	};
	static const char *const nothing[] = {NULL};
	size_t n;

	(void)state;
	v[0] = mx(0, "");
	v[1] = mx(20, "mx2.example.test");
	v[2] = mx(10, "mx1.example.test");
	v[3] = mx(5, "");
	n = mx_order(v, 4, MTA_ORDER_NONE, NULL);
	list_is(v, n, want);
	/* Only a null MX: nothing to try. */
	v[0] = mx(0, "");
	assert_int_equal(mx_order(v, 1, MTA_ORDER_NONE, NULL), 0);
	list_is(v, 0, nothing);
	assert_int_equal(mx_order(v, 0, MTA_ORDER_NONE, NULL), 0);
}

static void
test_mx_order_shuffle_with_seed_42_is_pinned(void **state)
{
	/* Fisher-Yates within each run of equal preference, drawing from
	 * the stream (42, "mx.shuffle"); computed independently with the
	 * published xoshiro256** and SplitMix64 algorithms. */
	struct mx_entry v[7];
	struct rng r;
	static const char *const want42[] = {
	    "5 z.test",
	    "10 a.test",
	    "10 c.test",
	    "10 d.test",
	    "10 b.test",
	    "20 f.test",
	    "20 e.test",
	    NULL,
	};
	static const char *const want43[] = {
	    "5 z.test",
	    "10 b.test",
	    "10 a.test",
	    "10 d.test",
	    "10 c.test",
	    "20 f.test",
	    "20 e.test",
	    NULL,
	};
	size_t n;

	(void)state;
	v[0] = mx(10, "a.test");
	v[1] = mx(10, "b.test");
	v[2] = mx(10, "c.test");
	v[3] = mx(10, "d.test");
	v[4] = mx(20, "e.test");
	v[5] = mx(20, "f.test");
	v[6] = mx(5, "z.test");
	rng_init(&r, 42, "mx.shuffle");
	n = mx_order(v, 7, MTA_ORDER_SHUFFLE, &r);
	list_is(v, n, want42);

	v[0] = mx(10, "a.test");
	v[1] = mx(10, "b.test");
	v[2] = mx(10, "c.test");
	v[3] = mx(10, "d.test");
	v[4] = mx(20, "e.test");
	v[5] = mx(20, "f.test");
	v[6] = mx(5, "z.test");
	rng_init(&r, 43, "mx.shuffle");
	n = mx_order(v, 7, MTA_ORDER_SHUFFLE, &r);
	list_is(v, n, want43);
}

static void
test_mx_order_shuffle_two_equal_hosts_each_first_about_half(void **state)
{
	/* 2000 seeds: "a first" is Binomial(2000, 1/2), mean 1000, sd 22;
	 * 40 %..60 % is a loose bound (about 9 sd).  The different-
	 * preference host stays behind them whatever the draw. */
	struct mx_entry v[3];
	struct rng r;
	uint64_t seed;
	int a_first = 0;

	(void)state;
	for (seed = 0; seed < 2000; seed++) {
		v[0] = mx(20, "backup.test");
		v[1] = mx(10, "a.test");
		v[2] = mx(10, "b.test");
		rng_init(&r, seed, "mx.shuffle");
		assert_int_equal(mx_order(v, 3, MTA_ORDER_SHUFFLE, &r), 3);
		assert_int_equal(v[0].pref, 10);
		assert_int_equal(v[1].pref, 10);
		assert_string_equal(v[2].host, "backup.test");
		if (strcmp(v[0].host, "a.test") == 0) {
			assert_string_equal(v[1].host, "b.test");
			a_first++;
		} else {
			assert_string_equal(v[0].host, "b.test");
			assert_string_equal(v[1].host, "a.test");
		}
	}
	assert_in_range(a_first, 800, 1200);
}

static void
test_mx_order_shuffle_three_equal_hosts_all_six_orders_occur(void **state)
{
	/* RFC 5321 §5.1 asks for random order: every permutation must be
	 * reachable, each about 1/6 of 2000 = 333 (sd 17); 250..420 is
	 * about 5 sd either side. */
	static const char *const perm[6] = {
	    "abc", "acb", "bac", "bca", "cab", "cba"};
	struct mx_entry v[3];
	struct rng r;
	uint64_t seed;
	int count[6] = {0}, i;

	(void)state;
	for (seed = 0; seed < 2000; seed++) {
		char key[4];

		v[0] = mx(10, "a");
		v[1] = mx(10, "b");
		v[2] = mx(10, "c");
		rng_init(&r, seed, "mx.shuffle");
		assert_int_equal(mx_order(v, 3, MTA_ORDER_SHUFFLE, &r), 3);
		for (i = 0; i < 3; i++)
			key[i] = v[i].host[0];
		key[3] = '\0';
		for (i = 0; i < 6; i++)
			if (strcmp(key, perm[i]) == 0)
				break;
		assert_true(i < 6);
		count[i]++;
	}
	for (i = 0; i < 6; i++)
		if (count[i] < 250 || count[i] > 420)
			fail_msg("order %s came %d times of 2000", perm[i],
			    count[i]);
}

/* Chi-square of 600 arrangements drawn one after another from one
 * stream, as one sender draws them for its messages (mta.c: the stream
 * "mx-order/<host>" of the scenario's seed 17).  Six orders, 100
 * expected each; df 5: 20.5 is the 0.1 % critical value (RFC 5321 §5.1
 * "MUST randomize"; Exim host.c random sort key per host). */
static void
test_mx_arrange_shuffle_chi_square_600(void **state)
{
	static const char *const perm[6] = {
	    "abc", "acb", "bac", "bca", "cab", "cba"};
	struct mta_profile p;
	struct mx_entry v[3];
	struct rng r;
	int count[6] = {0}, i, k;
	double chi = 0;

	(void)state;
	mta_profile_defaults(&p);
	p.equal_pref = MTA_ORDER_SHUFFLE;
	rng_init(&r, 17, "mx-order/exim");
	for (k = 0; k < 600; k++) {
		char key[4];

		v[0] = mx(10, "a");
		v[1] = mx(10, "b");
		v[2] = mx(10, "c");
		assert_int_equal(mx_arrange(v, 3, &p, &r, 0), 3);
		for (i = 0; i < 3; i++)
			key[i] = v[i].host[0];
		key[3] = '\0';
		for (i = 0; i < 6; i++)
			if (strcmp(key, perm[i]) == 0)
				break;
		assert_true(i < 6);
		count[i]++;
	}
	for (i = 0; i < 6; i++)
		chi += (count[i] - 100.0) * (count[i] - 100.0) / 100.0;
	if (chi >= 20.5)
		fail_msg("chi-square %.2f over 6 orders (%d %d %d %d %d %d)",
		    chi, count[0], count[1], count[2], count[3], count[4],
		    count[5]);
}

/* Postfix shuffles addresses, not hosts (smtp_addr.c dns_rr_shuffle()
 * on the address list, mta.c shuffle_addresses()): mx_arrange() itself
 * keeps the answer order of equal hosts and draws nothing. */
static void
test_mx_arrange_per_address_leaves_hosts_to_the_address_shuffle(void **state)
{
	struct mta_profile p;
	struct mx_entry v[3];
	struct rng r, r0;

	(void)state;
	mta_profile_defaults(&p);
	p.equal_pref = MTA_ORDER_PER_ADDRESS;
	rng_init(&r, 17, "mx-order/postfix");
	r0 = r;
	v[0] = mx(10, "c");
	v[1] = mx(10, "a");
	v[2] = mx(5, "b");
	assert_int_equal(mx_arrange(v, 3, &p, &r, 0), 3);
	assert_string_equal(v[0].host, "b");
	assert_string_equal(v[1].host, "c");
	assert_string_equal(v[2].host, "a");
	assert_memory_equal(&r, &r0, sizeof(r));
}

static void
test_mx_order_shuffle_single_host_per_preference_draws_nothing(void **state)
{
	/* Runs of one need no randomness: the stream is left untouched, so
	 * later consumers of it see the same numbers. */
	struct mx_entry v[3];
	struct rng r, before;

	(void)state;
	v[0] = mx(30, "c.test");
	v[1] = mx(10, "a.test");
	v[2] = mx(20, "b.test");
	rng_init(&r, 1, "mx.shuffle");
	before = r;
	assert_int_equal(mx_order(v, 3, MTA_ORDER_SHUFFLE, &r), 3);
	assert_memory_equal(&r, &before, sizeof(r));
	assert_string_equal(v[0].host, "a.test");
	assert_string_equal(v[1].host, "b.test");
	assert_string_equal(v[2].host, "c.test");
}

/* --- null MX
 * ------------------------------------------------------------------- */

static void
test_mx_is_null_only_vs_any(void **state)
{
	struct mx_entry v[2];

	(void)state;
	/* "MX 0 ." alone: null MX under both rules (RFC 7505 §3). */
	v[0] = mx(0, "");
	assert_true(mx_is_null(v, 1, MTA_NULLMX_ONLY));
	assert_true(mx_is_null(v, 1, MTA_NULLMX_ANY));
	/* "." with another preference: not the RFC 7505 record, but
	 * Postfix still treats any "." as null MX. */
	v[0] = mx(10, "");
	assert_false(mx_is_null(v, 1, MTA_NULLMX_ONLY));
	assert_true(mx_is_null(v, 1, MTA_NULLMX_ANY));
	/* Mixed with a real host (RFC 7505 §3 "MUST NOT"): ONLY does not
	 * recognise it, ANY does; the order of the answer does not matter. */
	v[0] = mx(0, "");
	v[1] = mx(10, "mx1.example.test");
	assert_false(mx_is_null(v, 2, MTA_NULLMX_ONLY));
	assert_true(mx_is_null(v, 2, MTA_NULLMX_ANY));
	v[0] = mx(10, "mx1.example.test");
	v[1] = mx(0, "");
	assert_false(mx_is_null(v, 2, MTA_NULLMX_ONLY));
	assert_true(mx_is_null(v, 2, MTA_NULLMX_ANY));
	/* Ordinary sets and the empty set are not null MX. */
	assert_false(mx_is_null(v, 1, MTA_NULLMX_ONLY));
	assert_false(mx_is_null(v, 1, MTA_NULLMX_ANY));
	assert_false(mx_is_null(v, 0, MTA_NULLMX_ONLY));
	assert_false(mx_is_null(v, 0, MTA_NULLMX_ANY));
}

/* --- collecting from a DNS answer
 * ----------------------------------------------- */

static struct dns_msg *
msg_new(void)
{
	/* ~80 KB: never on the stack. */
	struct dns_msg *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	dns_msg_init(m);
	m->qr = true;
	return m;
}

static struct dns_rr *
an_add(struct dns_msg *m, const char *owner, uint16_t type)
{
	struct dns_rr *rr;

	assert_true(m->nan < DNS_SECTION_MAX);
	rr = &m->an[m->nan++];
	memset(rr, 0, sizeof(*rr));
	snprintf(rr->name, sizeof(rr->name), "%s", owner);
	rr->type = type;
	rr->rclass = DNS_CLASS_IN;
	rr->ttl = 300;
	return rr;
}

static void
an_mx(struct dns_msg *m, const char *owner, uint16_t pref, const char *exch)
{
	struct dns_rr *rr = an_add(m, owner, DNS_T_MX);

	rr->rd.mx.pref = pref;
	snprintf(rr->rd.mx.exchange, sizeof(rr->rd.mx.exchange), "%s", exch);
}

static void
an_cname(struct dns_msg *m, const char *owner, const char *target)
{
	struct dns_rr *rr = an_add(m, owner, DNS_T_CNAME);

	snprintf(rr->rd.target, sizeof(rr->rd.target), "%s", target);
}

static void
test_mx_collect_takes_domain_mx_in_answer_order(void **state)
{
	struct dns_msg *m = msg_new();
	struct mx_entry v[8];
	static const char *const want[] = {
	    "20 mx2.example.test",
	    "10 mx1.example.test",
	    "0 ",
	    NULL,
	};
	size_t n;

	(void)state;
	an_mx(m, "example.test", 20, "mx2.example.test");
	an_mx(m, "other.test", 5, "mx.other.test");        /* another owner */
	an_mx(m, "Example.TEST", 10, "mx1.example.test");  /* RFC 4343 */
	an_add(m, "example.test", DNS_T_A)->rd.a[0] = 192; /* not MX */
	an_mx(m, "example.test", 0, ""); /* null MX kept as "" */
	n = mx_collect(m, "example.test", v, 8);
	list_is(v, n, want);
	/* 'max' caps the count. */
	assert_int_equal(mx_collect(m, "example.test", v, 2), 2);
	assert_int_equal(mx_collect(m, "nothing.test", v, 8), 0);
	free(m);
}

static void
test_mx_collect_follows_cname_of_domain(void **state)
{
	/* RFC 5321 §5.1: the CNAME's target is processed as if it were the
	 * initial name; records of the alias itself are not used. */
	struct dns_msg *m = msg_new();
	struct mx_entry v[8];
	static const char *const want[] = {
	    "10 mx1.hosted.test",
	    "20 mx2.hosted.test",
	    NULL,
	};
	static const char *const chain[] = {"5 final-mx.test", NULL};
	size_t n;

	(void)state;
	an_cname(m, "mail.example.test", "customer.hosted.test");
	an_mx(m, "mail.example.test", 1, "wrong.example.test");
	an_mx(m, "customer.hosted.test", 10, "mx1.hosted.test");
	an_mx(m, "customer.hosted.test", 20, "mx2.hosted.test");
	n = mx_collect(m, "MAIL.example.test", v, 8);
	list_is(v, n, want);
	free(m);

	/* A chain of two CNAMEs, listed out of order. */
	m = msg_new();
	an_mx(m, "c.test", 5, "final-mx.test");
	an_cname(m, "b.test", "c.test");
	an_cname(m, "a.test", "b.test");
	an_mx(m, "b.test", 7, "middle-mx.test");
	n = mx_collect(m, "a.test", v, 8);
	list_is(v, n, chain);
	free(m);
}

static void
test_mx_collect_cname_loop_terminates(void **state)
{
	/* A CNAME loop in a hostile answer must not hang the sender. */
	struct dns_msg *m = msg_new();
	struct mx_entry v[8];

	(void)state;
	an_cname(m, "a.test", "b.test");
	an_cname(m, "b.test", "a.test");
	an_mx(m, "a.test", 10, "mx.test");
	(void)mx_collect(m, "a.test", v, 8);
	an_cname(m, "self.test", "self.test");
	assert_int_equal(mx_collect(m, "self.test", v, 8), 0);
	free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
	        test_mx_order_sorts_by_preference_keeping_answer_order),
	    cmocka_unit_test(
	        test_mx_order_removes_duplicates_keeping_lowest_preference),
	    cmocka_unit_test(test_mx_order_drops_null_entries),
	    cmocka_unit_test(test_mx_order_shuffle_with_seed_42_is_pinned),
	    cmocka_unit_test(
	        test_mx_order_shuffle_two_equal_hosts_each_first_about_half),
	    cmocka_unit_test(
	        test_mx_order_shuffle_three_equal_hosts_all_six_orders_occur),
	    cmocka_unit_test(
	        test_mx_order_shuffle_single_host_per_preference_draws_nothing),
	    cmocka_unit_test(test_mx_is_null_only_vs_any),
	    cmocka_unit_test(test_mx_collect_takes_domain_mx_in_answer_order),
	    cmocka_unit_test(test_mx_collect_follows_cname_of_domain),
	    cmocka_unit_test(test_mx_collect_cname_loop_terminates),
	    cmocka_unit_test(test_mx_arrange_shuffle_chi_square_600),
	    cmocka_unit_test(
	        test_mx_arrange_per_address_leaves_hosts_to_the_address_shuffle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

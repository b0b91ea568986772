/*
 * test_zone.c - zone data and authoritative lookups (sim/dns/zone.c).
 *
 * Sources: RFC 1034 §4.3.2 (the lookup: answers, CNAMEs, referrals at a
 * zone cut with glue and without AA), §3.6.2 (CNAME); RFC 2308 §2-§5
 * (negative answers and their SOA); RFC 8020 (empty non-terminals);
 * RFC 1982 §3.1 (serial arithmetic: addition wraps at 2^32); RFC 4343 §3
 * (names compare without regard to case); RFC 2181 §5.2 (one TTL per
 * RRset; BIND's "TTL set to prior TTL"); zone.h for what zone_remove()
 * and the SOA pointer promise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dns/zone.h"

static void
add(struct zone *z, const char *owner, const char *type, const char *a,
    const char *b)
{
	const char *rd[2] = {a, b};
	struct mx_err err;

	mx_err_clear(&err);
	if (zone_add_text(z, owner, type, rd, b ? 2 : 1, 3600, &err) != 0)
		fail_msg("%s %s: %s", owner, type, err.msg);
}

static struct zone *
example(void)
{
	struct zone *z = calloc(1, sizeof(*z));
	struct mx_err err;

	zone_init(z, "example.test", 3600);
	add(z, "@", "NS", "ns1", NULL);
	add(z, "@", "MX", "10", "mx1");
	add(z, "@", "MX", "20", "mx2.example.test.");
	add(z, "ns1", "A", "192.0.2.53", NULL);
	add(z, "mx1", "A", "192.0.2.10", NULL);
	add(z, "mx2", "A", "192.0.2.20", NULL);
	add(z, "mx2", "AAAA", "2001:db8::20", NULL);
	add(z, "alias", "CNAME", "mx1", NULL);
	add(z, "far", "CNAME", "mail.other.test.", NULL);
	add(z, "x.deep", "A", "192.0.2.99", NULL);
	assert_int_equal(zone_finish(z, &err), 0);
	return z;
}

static struct dns_msg *
ask(const struct zone *z, const char *name, uint16_t type)
{
	struct dns_msg *m = calloc(1, sizeof(*m));

	dns_msg_init(m);
	zone_answer(z, name, type, m);
	return m;
}

static void
test_zone_mx_answer_has_records_in_order_and_addresses(void **state)
{
	struct zone *z = example();
	struct dns_msg *m = ask(z, "example.test", DNS_T_MX);

	(void)state;
	/* RFC 1035 §3.3.9; answers keep the zone's order. */
	assert_true(m->aa);
	assert_int_equal(m->rcode, DNS_R_NOERROR);
	assert_int_equal(m->nan, 2);
	assert_int_equal(m->an[0].rd.mx.pref, 10);
	assert_string_equal(m->an[0].rd.mx.exchange, "mx1.example.test");
	assert_int_equal(m->an[1].rd.mx.pref, 20);
	assert_string_equal(m->an[1].rd.mx.exchange, "mx2.example.test");
	/* The exchanges' addresses ride in the additional section. */
	assert_int_equal(m->nar, 3);
	assert_int_equal(m->nns, 0);
	free(m);
	zone_fini(z);
	free(z);
}

static void
test_zone_nodata_and_nxdomain_carry_soa(void **state)
{
	struct zone *z = example();
	struct dns_msg *m;

	(void)state;
	/* RFC 2308 §2.2: the name exists, the type does not: NODATA. */
	m = ask(z, "mx1.example.test", DNS_T_AAAA);
	assert_int_equal(m->rcode, DNS_R_NOERROR);
	assert_int_equal(m->nan, 0);
	assert_int_equal(m->nns, 1);
	assert_int_equal(m->ns[0].type, DNS_T_SOA);
	/* RFC 2308 §5: the SOA's TTL is min(TTL, MINIMUM) = 300. */
	assert_int_equal(m->ns[0].ttl, 300);
	free(m);
	/* RFC 8020: an empty non-terminal exists: NODATA, not NXDOMAIN. */
	m = ask(z, "deep.example.test", DNS_T_A);
	assert_int_equal(m->rcode, DNS_R_NOERROR);
	assert_int_equal(m->nan, 0);
	free(m);
	/* RFC 2308 §2.1: the name does not exist. */
	m = ask(z, "nosuch.example.test", DNS_T_A);
	assert_int_equal(m->rcode, DNS_R_NXDOMAIN);
	assert_int_equal(m->nns, 1);
	assert_int_equal(m->ns[0].type, DNS_T_SOA);
	free(m);
	zone_fini(z);
	free(z);
}

static void
test_zone_cname_is_followed_inside_the_zone(void **state)
{
	struct zone *z = example();
	struct dns_msg *m;

	(void)state;
	/* RFC 1034 §3.6.2: CNAME then the target's records. */
	m = ask(z, "ALIAS.example.test", DNS_T_A);
	assert_int_equal(m->rcode, DNS_R_NOERROR);
	assert_int_equal(m->nan, 2);
	assert_int_equal(m->an[0].type, DNS_T_CNAME);
	assert_string_equal(m->an[0].rd.target, "mx1.example.test");
	assert_int_equal(m->an[1].type, DNS_T_A);
	free(m);
	/* A target outside the zone: the CNAME alone. */
	m = ask(z, "far.example.test", DNS_T_MX);
	assert_int_equal(m->nan, 1);
	assert_int_equal(m->an[0].type, DNS_T_CNAME);
	free(m);
	/* Asking for the CNAME itself does not follow it. */
	m = ask(z, "alias.example.test", DNS_T_CNAME);
	assert_int_equal(m->nan, 1);
	free(m);
	zone_fini(z);
	free(z);
}

static void
test_zone_without_soa_gets_a_sensible_one(void **state)
{
	struct zone *z = example();

	(void)state;
	assert_non_null(z->soa);
	assert_int_equal(z->rr[0].type, DNS_T_SOA);
	assert_string_equal(z->soa->name, "example.test");
	assert_string_equal(z->soa->rd.soa.mname, "ns1.example.test");
	assert_string_equal(z->soa->rd.soa.rname, "hostmaster.example.test");
	assert_int_equal(z->soa->rd.soa.serial, 1);
	assert_int_equal(z->soa->rd.soa.minimum, 300);
	assert_int_equal(zone_negative_ttl(z), 300);
	zone_fini(z);
	free(z);
}

static void
test_zone_null_mx_and_names(void **state)
{
	struct zone z;
	const char *rd[2] = {"0", "."};
	char out[DNS_NAME_MAX];
	struct mx_err err;

	(void)state;
	zone_init(&z, "nomail.test.", 60);
	assert_string_equal(z.origin, "nomail.test");
	/* RFC 7505 §3: "." is the root, encoded as the null MX. */
	assert_int_equal(zone_add_text(&z, "@", "MX", rd, 2, 60, &err), 0);
	assert_string_equal(z.rr[0].rd.mx.exchange, "");
	assert_int_equal(zone_abs_name(&z, "www", out, sizeof(out)), 0);
	assert_string_equal(out, "www.nomail.test");
	assert_int_equal(
	    zone_abs_name(&z, "mx.other.test.", out, sizeof(out)), 0);
	assert_string_equal(out, "mx.other.test");
	assert_int_equal(zone_abs_name(&z, "@", out, sizeof(out)), 0);
	assert_string_equal(out, "nomail.test");
	zone_fini(&z);
}

static void
test_zone_bad_records_are_refused_with_a_reason(void **state)
{
	struct zone z;
	struct mx_err err;
	const char *bad_a[] = {"192.0.2.300"};
	const char *pref[] = {"70000", "mx1"};
	const char *one[] = {"10"};
	const char *v6[] = {"2001:db8::1"};
	const char *v4[] = {"192.0.2.1"};
	const char *t[] = {"mx1"};

	(void)state;
	zone_init(&z, "example.test", 60);
	assert_int_not_equal(
	    zone_add_text(&z, "mx1", "A", bad_a, 1, 60, &err), 0);
	assert_non_null(strstr(err.msg, "bad IPv4 address '192.0.2.300'"));
	assert_int_not_equal(
	    zone_add_text(&z, "@", "MX", pref, 2, 60, &err), 0);
	assert_non_null(strstr(err.msg, "from 0 to 65535"));
	assert_int_not_equal(zone_add_text(&z, "@", "MX", one, 1, 60, &err), 0);
	assert_non_null(strstr(err.msg, "needs 2 data fields, got 1"));
	assert_int_not_equal(zone_add_text(&z, "mx1", "A", v6, 1, 60, &err), 0);
	assert_int_not_equal(
	    zone_add_text(&z, "@", "BOGUS", t, 1, 60, &err), 0);
	assert_non_null(strstr(err.msg, "unknown record type 'BOGUS'"));
	assert_int_not_equal(
	    zone_add_text(&z, "www.other.test.", "CNAME", t, 1, 60, &err), 0);
	assert_non_null(strstr(err.msg, "outside the zone"));
	/* RFC 1034 §3.6.2: a CNAME owner has no other data. */
	assert_int_equal(zone_add_text(&z, "www", "CNAME", t, 1, 60, &err), 0);
	assert_int_equal(zone_add_text(&z, "www", "A", v4, 1, 60, &err), 0);
	assert_int_not_equal(zone_finish(&z, &err), 0);
	assert_non_null(strstr(err.msg, "CNAME and other data"));
	zone_fini(&z);
}

static void
test_zone_remove_takes_matching_records(void **state)
{
	struct zone *z = example();
	struct dns_msg *m;

	(void)state;
	assert_int_equal(zone_remove(z, "example.test", DNS_T_MX, NULL), 2);
	m = ask(z, "example.test", DNS_T_MX);
	assert_int_equal(m->nan, 0);
	assert_int_equal(m->rcode, DNS_R_NOERROR);
	assert_non_null(z->soa);
	free(m);
	zone_fini(z);
	free(z);
}

/* A zone with a delegation: sub.example.test is cut off, served by
 * ns.sub.example.test (whose address the parent holds: glue) and by
 * ns.other.test (outside the zone: no glue); deep.sub.example.test has NS
 * records too, under the cut. */
static struct zone *
delegating(void)
{
	struct zone *z = example();

	add(z, "sub", "NS", "ns.sub", NULL);
	add(z, "sub", "NS", "ns.other.test.", NULL);
	add(z, "ns.sub", "A", "192.0.2.77", NULL);
	add(z, "ns.sub", "AAAA", "2001:db8::77", NULL);
	add(z, "deep.sub", "NS", "ns.deep.sub", NULL);
	add(z, "tosub", "CNAME", "www.sub", NULL);
	add(z, "subway", "A", "192.0.2.78", NULL);
	return z;
}

static void
assert_referral_to_sub(const struct dns_msg *m)
{
	/* RFC 1034 §4.3.2 step 3b: the NS records of the cut in
	 * authority, the addresses of those inside the zone as glue, in
	 * the zone's order; nothing for ns.other.test. */
	assert_int_equal(m->rcode, DNS_R_NOERROR);
	assert_int_equal(m->nns, 2);
	assert_int_equal(m->ns[0].type, DNS_T_NS);
	assert_string_equal(m->ns[0].name, "sub.example.test");
	assert_string_equal(m->ns[0].rd.target, "ns.sub.example.test");
	assert_string_equal(m->ns[1].rd.target, "ns.other.test");
	assert_int_equal(m->nar, 2);
	assert_int_equal(m->ar[0].type, DNS_T_A);
	assert_string_equal(m->ar[0].name, "ns.sub.example.test");
	assert_int_equal(m->ar[1].type, DNS_T_AAAA);
}

static void
test_zone_referral_at_a_cut_with_glue(void **state)
{
	static const char *const below[] = {"www.sub.example.test",
	    "sub.example.test", "ns.sub.example.test",
	    "x.deep.sub.example.test"};
	struct zone *z = delegating();
	struct dns_msg *m;
	size_t i;

	(void)state;
	/* At the cut, below it, for the glue's own name, and below a
	 * deeper NS set (the highest cut decides): not authoritative, no
	 * answer, a referral to sub. */
	for (i = 0; i < 4; i++) {
		m = ask(z, below[i], i == 1 ? DNS_T_NS : DNS_T_A);
		assert_false(m->aa);
		assert_int_equal(m->nan, 0);
		assert_referral_to_sub(m);
		free(m);
	}
	/* A name that only starts like the cut is the zone's own. */
	m = ask(z, "subway.example.test", DNS_T_A);
	assert_true(m->aa);
	assert_int_equal(m->nan, 1);
	assert_int_equal(m->nns, 0);
	free(m);
	/* The apex NS set is the zone's own data: an answer, with AA. */
	m = ask(z, "example.test", DNS_T_NS);
	assert_true(m->aa);
	assert_int_equal(m->nan, 1);
	assert_int_equal(m->nns, 0);
	free(m);
	/* A CNAME into the delegated zone: the alias (authoritative, so AA
	 * stays), then the referral for its target. */
	m = ask(z, "tosub.example.test", DNS_T_A);
	assert_true(m->aa);
	assert_int_equal(m->nan, 1);
	assert_int_equal(m->an[0].type, DNS_T_CNAME);
	assert_referral_to_sub(m);
	free(m);
	zone_fini(z);
	free(z);
}

static void
test_zone_bump_serial_adds_one_and_wraps(void **state)
{
	struct zone z;
	const char *soa[7] = {
	    "ns1", "hostmaster", "4294967294", "3600", "600", "604800", "300"};
	struct mx_err err;
	struct dns_msg *m;

	(void)state;
	zone_init(&z, "example.test", 3600);
	add(&z, "@", "NS", "ns1", NULL);
	assert_int_equal(zone_add_text(&z, "@", "SOA", soa, 7, 3600, &err), 0);
	assert_int_equal(zone_finish(&z, &err), 0);
	zone_bump_serial(&z);
	assert_int_equal(z.soa->rd.soa.serial, 4294967295u);
	/* RFC 1982 §3.1: (s + n) modulo 2^32. */
	zone_bump_serial(&z);
	assert_int_equal(z.soa->rd.soa.serial, 0);
	zone_bump_serial(&z);
	assert_int_equal(z.soa->rd.soa.serial, 1);
	/* Answers carry the new serial. */
	m = ask(&z, "nosuch.example.test", DNS_T_A);
	assert_int_equal(m->ns[0].rd.soa.serial, 1);
	free(m);
	zone_fini(&z);
}

static void
test_zone_remove_one_record_or_the_rrset(void **state)
{
	struct zone *z = example();
	struct dns_rr rr;
	struct dns_msg *m;
	size_t n = z->nrr;

	(void)state;
	/* One record: its RDATA must match, names without regard to case
	 * (RFC 4343 §3). */
	memset(&rr, 0, sizeof(rr));
	rr.rd.mx.pref = 10;
	snprintf(rr.rd.mx.exchange, DNS_NAME_MAX, "MX1.Example.TEST");
	assert_int_equal(zone_remove(z, "example.test", DNS_T_MX, &rr), 1);
	assert_int_equal(z->nrr, n - 1);
	m = ask(z, "example.test", DNS_T_MX);
	assert_int_equal(m->nan, 1);
	assert_int_equal(m->an[0].rd.mx.pref, 20);
	free(m);
	/* Nothing matches: nothing goes (preference differs). */
	rr.rd.mx.pref = 30;
	snprintf(rr.rd.mx.exchange, DNS_NAME_MAX, "mx2.example.test");
	assert_int_equal(zone_remove(z, "example.test", DNS_T_MX, &rr), 0);
	/* One address of two types: the AAAA stays. */
	memset(&rr, 0, sizeof(rr));
	rr.rd.a[0] = 192;
	rr.rd.a[2] = 2;
	rr.rd.a[3] = 20;
	assert_int_equal(zone_remove(z, "MX2.example.test", DNS_T_A, &rr), 1);
	m = ask(z, "mx2.example.test", DNS_T_AAAA);
	assert_int_equal(m->nan, 1);
	free(m);
	/* NULL: the whole RRset (the one MX left); the apex keeps its
	 * SOA and NS: NODATA for MX (RFC 2308 §2.2). */
	assert_int_equal(zone_remove(z, "example.test", DNS_T_MX, NULL), 1);
	m = ask(z, "example.test", DNS_T_MX);
	assert_int_equal(m->nan, 0);
	assert_int_equal(m->rcode, DNS_R_NOERROR);
	free(m);
	assert_int_equal(z->nrr, n - 3);
	zone_fini(z);
	free(z);
}

static void
test_zone_soa_pointer_survives_growth_and_removal(void **state)
{
	struct zone z;
	const char *soa[7] = {
	    "ns1", "hostmaster", "77", "3600", "600", "604800", "120"};
	char owner[32], a[32];
	struct mx_err err;
	struct dns_msg *m;
	int i;

	(void)state;
	/* The SOA declared after other records: not at index 0. */
	zone_init(&z, "example.test", 3600);
	add(&z, "@", "NS", "ns1", NULL);
	add(&z, "ns1", "A", "192.0.2.53", NULL);
	assert_int_equal(zone_add_text(&z, "@", "SOA", soa, 7, 3600, &err), 0);
	assert_ptr_equal(z.soa, &z.rr[2]);
	assert_int_equal(zone_finish(&z, &err), 0);
	/* Many additions: the array moves; z->soa follows it. */
	for (i = 0; i < 300; i++) {
		snprintf(owner, sizeof(owner), "h%d", i);
		snprintf(a, sizeof(a), "198.51.100.%d", i % 250);
		add(&z, owner, "A", a, NULL);
		assert_ptr_equal(z.soa, &z.rr[2]);
	}
	assert_true(z.caprr >= 303);
	assert_int_equal(z.soa->type, DNS_T_SOA);
	assert_int_equal(z.soa->rd.soa.serial, 77);
	/* Removing records before it shifts it down. */
	assert_int_equal(zone_remove(&z, "example.test", DNS_T_NS, NULL), 1);
	assert_ptr_equal(z.soa, &z.rr[1]);
	assert_int_equal(zone_remove(&z, "ns1.example.test", DNS_T_A, NULL), 1);
	assert_ptr_equal(z.soa, &z.rr[0]);
	zone_bump_serial(&z);
	assert_int_equal(z.soa->rd.soa.serial, 78);
	/* min(SOA TTL 3600, MINIMUM 120) still read from the right place. */
	assert_int_equal(zone_negative_ttl(&z), 120);
	m = ask(&z, "nosuch.example.test", DNS_T_A);
	assert_int_equal(m->rcode, DNS_R_NXDOMAIN);
	assert_int_equal(m->ns[0].ttl, 120);
	assert_int_equal(m->ns[0].rd.soa.serial, 78);
	free(m);
	/* Removing the SOA leaves none (and negative answers without). */
	assert_int_equal(zone_remove(&z, "example.test", DNS_T_SOA, NULL), 1);
	assert_null(z.soa);
	assert_int_equal(zone_negative_ttl(&z), 0);
	zone_fini(&z);
}

static void
test_zone_rrset_takes_its_first_records_ttl(void **state)
{
	struct zone z;
	const char *mx1[2] = {"10", "mx1"}, *mx2[2] = {"20", "mx2"};
	const char *a1[1] = {"192.0.2.10"}, *a2[1] = {"192.0.2.11"};
	struct mx_err err;
	struct dns_msg *m;

	(void)state;
	/* RFC 2181 §5.2: "the TTLs of all RRs in an RRSet must be the
	 * same"; BIND serves a zone that disagrees with the first record's
	 * TTL for all ("TTL set to prior TTL").  The zone data stays as
	 * given (zonefile tests read it back). */
	zone_init(&z, "example.test", 3600);
	add(&z, "@", "NS", "ns1", NULL);
	assert_int_equal(zone_add_text(&z, "@", "MX", mx1, 2, 300, &err), 0);
	assert_int_equal(zone_add_text(&z, "@", "MX", mx2, 2, 3600, &err), 0);
	assert_int_equal(zone_add_text(&z, "mx1", "A", a1, 1, 60, &err), 0);
	assert_int_equal(zone_add_text(&z, "MX1", "A", a2, 1, 600, &err), 0);
	assert_int_equal(zone_finish(&z, &err), 0);
	assert_int_equal(z.rr[3].ttl, 3600);
	m = ask(&z, "example.test", DNS_T_MX);
	assert_int_equal(m->nan, 2);
	assert_int_equal(m->an[0].ttl, 300);
	assert_int_equal(m->an[1].ttl, 300);
	free(m);
	m = ask(&z, "mx1.example.test", DNS_T_A);
	assert_int_equal(m->nan, 2);
	assert_int_equal(m->an[0].ttl, 60);
	assert_int_equal(m->an[1].ttl, 60);
	free(m);
	/* In the additional section too (the exchange's addresses). */
	m = ask(&z, "example.test", DNS_T_MX);
	assert_int_equal(m->nar, 2);
	assert_int_equal(m->ar[0].ttl, 60);
	assert_int_equal(m->ar[1].ttl, 60);
	free(m);
	/* Other RRsets keep their own. */
	m = ask(&z, "example.test", DNS_T_NS);
	assert_int_equal(m->an[0].ttl, 3600);
	free(m);
	zone_fini(&z);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
	        test_zone_mx_answer_has_records_in_order_and_addresses),
	    cmocka_unit_test(test_zone_nodata_and_nxdomain_carry_soa),
	    cmocka_unit_test(test_zone_cname_is_followed_inside_the_zone),
	    cmocka_unit_test(test_zone_without_soa_gets_a_sensible_one),
	    cmocka_unit_test(test_zone_null_mx_and_names),
	    cmocka_unit_test(test_zone_bad_records_are_refused_with_a_reason),
	    cmocka_unit_test(test_zone_remove_takes_matching_records),
	    cmocka_unit_test(test_zone_referral_at_a_cut_with_glue),
	    cmocka_unit_test(test_zone_bump_serial_adds_one_and_wraps),
	    cmocka_unit_test(test_zone_remove_one_record_or_the_rrset),
	    cmocka_unit_test(test_zone_soa_pointer_survives_growth_and_removal),
	    cmocka_unit_test(test_zone_rrset_takes_its_first_records_ttl),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

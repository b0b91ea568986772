/*
 * test_zone.c - zone data and authoritative lookups (sim/dns/zone.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

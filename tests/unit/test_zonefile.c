/*
 * test_zonefile.c - master files read into zones (sim/dns/zonefile.c).
 *
 * Three kinds of evidence:
 *  - exact conversion: tests/zones/good.zone, which uses every construct
 *    of RFC 1035 §5 the loader supports, gives the very records (every
 *    byte of every 'struct dns_rr') that zone_add_text() gives for the
 *    same data written as scenario rows;
 *  - a second opinion: each loaded record, encoded by dns_msg_encode() in
 *    a response, is parsed by ldns_wire2pkt() and prints the same owner,
 *    type, TTL and RDATA text as ldns printed reading the file itself;
 *  - errors: each names the file and the first line of the record at
 *    fault, exactly, across multi-line records, $ORIGIN changes, comment
 *    and blank lines (which ldns's own line count does not get right).
 *
 * Names are under .test (RFC 6761 §6.2) and addresses come from the
 * documentation blocks (RFC 5737, RFC 3849).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "dns/zonefile.h"

#define ZONES MX_SOURCE_DIR "/tests/zones/"

/* --- helpers ------------------------------------------------------------- */

static struct zone *
zone_new(const char *origin)
{
	struct zone *z = malloc(sizeof(*z));

	assert_non_null(z);
	zone_init(z, origin, 3600);
	return z;
}

static void
zone_free(struct zone *z)
{
	zone_fini(z);
	free(z);
}

/* Loads tests/zones/<name> into a new zone of origin example.test,
 * expecting success. */
static struct zone *
load_ok(const char *name)
{
	char path[512], shown[128];
	struct zone *z = zone_new("example.test");
	struct mx_err err;

	snprintf(path, sizeof(path), "%s%s", ZONES, name);
	snprintf(shown, sizeof(shown), "zones/%s", name);
	mx_err_clear(&err);
	if (zone_load_file(z, path, shown, 3600, &err) != 0)
		fail_msg("%s", err.msg);
	return z;
}

/* Loads tests/zones/<name> and expects the error 'want'. */
static void
assert_file_fails(const char *name, const char *want)
{
	char path[512], shown[128];
	struct zone *z = zone_new("example.test");
	struct mx_err err;

	snprintf(path, sizeof(path), "%s%s", ZONES, name);
	snprintf(shown, sizeof(shown), "zones/%s", name);
	mx_err_clear(&err);
	assert_int_equal(
	    zone_load_file(z, path, shown, 3600, &err), MX_ESCRIPT);
	assert_int_equal(err.code, MX_ESCRIPT);
	assert_string_equal(err.msg, want);
	zone_free(z);
}

/* Loads 'text' as the file "t.zone" into 'z'. */
static int
load_text(struct zone *z, const char *text, uint32_t ttl, struct mx_err *err)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	int rc;

	assert_non_null(fp);
	mx_err_clear(err);
	rc = zone_load_fp(z, fp, "t.zone", ttl, err);
	fclose(fp);
	return rc;
}

/* Loads 'text' into a zone of origin example.test and expects the error
 * 'want' with the code 'code'. */
static void
assert_text_fails(const char *text, int code, const char *want)
{
	struct zone *z = zone_new("example.test");
	struct mx_err err;

	assert_int_equal(load_text(z, text, 3600, &err), code);
	assert_int_equal(err.code, code);
	assert_string_equal(err.msg, want);
	zone_free(z);
}

static void
add(struct zone *z, const char *owner, const char *type, uint32_t ttl, size_t n,
    ...)
{
	const char *rd[8];
	struct mx_err err;
	va_list ap;
	size_t i;

	assert_true(n <= 8);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		rd[i] = va_arg(ap, const char *);
	va_end(ap);
	mx_err_clear(&err);
	if (zone_add_text(z, owner, type, rd, n, ttl, &err) != 0)
		fail_msg("%s %s: %s", owner, type, err.msg);
}

/* good.zone written as scenario rows. */
static struct zone *
good_by_rows(void)
{
	struct zone *z = zone_new("example.test");
	struct mx_err err;

	add(z, "@", "SOA", 3600, 7, "ns1", "hostmaster.example.test.",
	    "2024010101", "7200", "900", "1209600", "300");
	add(z, "@", "NS", 3600, 1, "ns1");
	add(z, "@", "NS", 3600, 1, "ns2.example.test.");
	add(z, "@", "MX", 300, 2, "10", "mx1");
	add(z, "@", "MX", 3600, 2, "20", "alias");
	add(z, "@", "MX", 3600, 2, "30", "192.0.2.10.");
	add(z, "ns1", "A", 3600, 1, "192.0.2.53");
	add(z, "ns2", "AAAA", 3600, 1, "2001:db8::53");
	add(z, "mx1", "A", 60, 1, "198.51.100.10");
	add(z, "mx1", "AAAA", 3600, 1, "2001:db8::10");
	add(z, "alias", "CNAME", 3600, 1, "mx1");
	add(z, "mail.example.test.", "A", 3600, 1, "203.0.113.25");
	add(z, "txt", "TXT", 3600, 2, "v=spf1 -all", "second string");
	add(z, "a\\.b", "A", 3600, 1, "192.0.2.1");
	add(z, "sp\\032ace", "TXT", 3600, 1, "escaped space");
	add(z, "Upper", "A", 3600, 1, "192.0.2.2");
	add(z, "null", "MX", 3600, 2, "0", ".");
	add(z, "www.null", "CNAME", 120, 1, "host.other.test.");
	add(z, "10.rev", "PTR", 120, 1, "mx1.example.test.");
	assert_int_equal(zone_finish(z, &err), 0);
	return z;
}

/* --- the good zone ------------------------------------------------------- */

static void
test_zonefile_good_zone_equals_rows(void **state)
{
	struct zone *z = load_ok("good.zone");
	struct zone *want = good_by_rows();
	char a[1024], b[1024];
	size_t i;

	(void)state;
	assert_int_equal(z->nrr, want->nrr);
	for (i = 0; i < z->nrr; i++) {
		const struct dns_rr *got = &z->rr[i], *w = &want->rr[i];

		if (memcmp(got, w, sizeof(*got)) != 0)
			fail_msg(
			    "record %zu: got %s %u %u %s, want %s %u %u %s", i,
			    got->name, got->type, got->ttl,
			    dns_rr_str(got, a, sizeof(a)), w->name, w->type,
			    w->ttl, dns_rr_str(w, b, sizeof(b)));
	}
	assert_ptr_equal(z->soa, &z->rr[0]);
	zone_free(want);
	zone_free(z);
}

/* The constructs one by one, so a failure says which. */
static void
test_zonefile_good_zone_constructs(void **state)
{
	struct zone *z = load_ok("good.zone");
	const struct dns_rr *r = z->rr;
	static const uint8_t txt[] = "\013v=spf1 -all\015second string";

	(void)state;
	/* Multi-line SOA in parentheses, comments inside. */
	assert_int_equal(r[0].type, DNS_T_SOA);
	assert_string_equal(r[0].rd.soa.mname, "ns1.example.test");
	assert_string_equal(r[0].rd.soa.rname, "hostmaster.example.test");
	assert_int_equal(r[0].rd.soa.serial, 2024010101);
	assert_int_equal(r[0].rd.soa.minimum, 300);
	/* Owner left blank: the previous owner, the apex. */
	assert_string_equal(r[1].name, "example.test");
	assert_string_equal(r[2].rd.target, "ns2.example.test");
	/* Explicit TTL, then $TTL for the next records of the same owner. */
	assert_int_equal(r[3].ttl, 300);
	assert_int_equal(r[4].ttl, 3600);
	/* MX at a CNAME, and an IP literal as a name. */
	assert_string_equal(r[4].rd.mx.exchange, "alias.example.test");
	assert_string_equal(r[5].rd.mx.exchange, "192.0.2.10");
	assert_int_equal(r[10].type, DNS_T_CNAME);
	/* TXT: two length-prefixed strings, raw. */
	assert_int_equal(r[12].type, DNS_T_TXT);
	assert_int_equal(r[12].rd.raw.len, sizeof(txt) - 1);
	assert_memory_equal(r[12].rd.raw.data, txt, sizeof(txt) - 1);
	/* Escaped labels in the decoder's form; case kept. */
	assert_string_equal(r[13].name, "a\\.b.example.test");
	assert_string_equal(r[14].name, "sp\\032ace.example.test");
	assert_string_equal(r[15].name, "Upper.example.test");
	/* $ORIGIN, '@' under it, the null MX. */
	assert_string_equal(r[16].name, "null.example.test");
	assert_int_equal(r[16].rd.mx.pref, 0);
	assert_string_equal(r[16].rd.mx.exchange, "");
	/* A later $TTL. */
	assert_int_equal(r[17].ttl, 120);
	assert_string_equal(r[18].name, "10.rev.example.test");
	assert_string_equal(r[18].rd.target, "mx1.example.test");
	zone_free(z);
}

/* --- ldns as a second opinion -------------------------------------------- */

/* The RDATA fields of 'lr' printed by ldns, joined by spaces. */
static void
ldns_rdata_text(const ldns_rr *lr, char *out, size_t cap)
{
	size_t k, n = 0;

	out[0] = '\0';
	for (k = 0; k < ldns_rr_rd_count(lr); k++) {
		char *s = ldns_rdf2str(ldns_rr_rdf(lr, k));

		assert_non_null(s);
		n += (size_t)snprintf(
		    out + n, cap - n, "%s%s", k > 0 ? " " : "", s);
		free(s);
		assert_true(n < cap);
	}
}

static void
assert_same_rr(const ldns_rr *a, const ldns_rr *b)
{
	char ta[2048], tb[2048];
	char *oa = ldns_rdf2str(ldns_rr_owner(a));
	char *ob = ldns_rdf2str(ldns_rr_owner(b));

	assert_non_null(oa);
	assert_non_null(ob);
	assert_string_equal(oa, ob);
	free(oa);
	free(ob);
	assert_int_equal(ldns_rr_get_type(a), ldns_rr_get_type(b));
	assert_int_equal(ldns_rr_get_class(a), ldns_rr_get_class(b));
	assert_int_equal(ldns_rr_ttl(a), ldns_rr_ttl(b));
	ldns_rdata_text(a, ta, sizeof(ta));
	ldns_rdata_text(b, tb, sizeof(tb));
	assert_string_equal(ta, tb);
}

static void
test_zonefile_records_encode_as_ldns_read_them(void **state)
{
	struct zone *z = load_ok("good.zone");
	FILE *fp = fopen(ZONES "good.zone", "r");
	struct dns_msg *m = malloc(sizeof(*m));
	ldns_rdf *origin = ldns_dname_new_frm_str("example.test.");
	ldns_rdf *prev = ldns_rdf_clone(origin);
	uint32_t ttl = 3600;
	uint8_t wire[4096];
	size_t i = 0, n;

	(void)state;
	assert_non_null(fp);
	assert_non_null(m);
	while (!feof(fp)) {
		ldns_rr *file_rr = NULL, *wire_rr;
		ldns_pkt *pkt = NULL;
		ldns_status st;

		st = ldns_rr_new_frm_fp(&file_rr, fp, &ttl, &origin, &prev);
		if (st != LDNS_STATUS_OK) {
			assert_true(st == LDNS_STATUS_SYNTAX_EMPTY ||
			            st == LDNS_STATUS_SYNTAX_TTL ||
			            st == LDNS_STATUS_SYNTAX_ORIGIN);
			continue;
		}
		assert_true(i < z->nrr);
		dns_msg_init(m);
		m->id = (uint16_t)i;
		m->qr = m->aa = true;
		m->an[0] = z->rr[i];
		m->nan = 1;
		n = dns_msg_encode(m, wire, sizeof(wire));
		assert_true(n > 0);
		assert_int_equal(ldns_wire2pkt(&pkt, wire, n), LDNS_STATUS_OK);
		assert_int_equal(
		    ldns_rr_list_rr_count(ldns_pkt_answer(pkt)), 1);
		wire_rr = ldns_rr_list_rr(ldns_pkt_answer(pkt), 0);
		assert_same_rr(wire_rr, file_rr);
		ldns_pkt_free(pkt);
		ldns_rr_free(file_rr);
		i++;
	}
	assert_int_equal(i, z->nrr);
	ldns_rdf_deep_free(origin);
	ldns_rdf_deep_free(prev);
	fclose(fp);
	free(m);
	zone_free(z);
}

/* --- other inputs that load ---------------------------------------------- */

static void
test_zonefile_empty_file_gets_soa(void **state)
{
	struct zone *z = zone_new("example.test");
	struct mx_err err;

	(void)state;
	assert_int_equal(load_text(z, "", 3600, &err), 0);
	assert_int_equal(z->nrr, 1);
	assert_non_null(z->soa);
	assert_string_equal(z->soa->name, "example.test");
	zone_free(z);
}

/* Without $TTL, a record's TTL is the caller's default; a file without
 * a trailing newline still gives its last record; RFC 3597 data for a
 * known type is that type. */
static void
test_zonefile_default_ttl_and_forms(void **state)
{
	struct zone *z = zone_new("example.test");
	struct mx_err err;

	(void)state;
	assert_int_equal(load_text(z,
	                     "a 60 IN A 192.0.2.1\n"
	                     "b A \\# 4 c0000202\n"
	                     "c 70 IN TXT \"x\"",
	                     86400, &err),
	    0);
	assert_int_equal(z->nrr, 4); /* the SOA first */
	assert_int_equal(z->rr[1].ttl, 60);
	assert_int_equal(z->rr[2].ttl, 86400);
	assert_memory_equal(z->rr[2].rd.a, "\xc0\x00\x02\x02", 4);
	assert_string_equal(z->rr[3].name, "c.example.test");
	assert_int_equal(z->rr[3].ttl, 70);
	zone_free(z);
}

/* The root zone: every owner is inside, "@" is the root, "". */
static void
test_zonefile_root_origin(void **state)
{
	struct zone *z = zone_new("");
	struct mx_err err;

	(void)state;
	assert_int_equal(load_text(z,
	                     "@ NS a.root-servers.test.\n"
	                     "mx.test. A 192.0.2.1\n",
	                     3600, &err),
	    0);
	assert_int_equal(z->nrr, 3);
	assert_string_equal(z->rr[1].name, "");
	assert_string_equal(z->rr[1].rd.target, "a.root-servers.test");
	assert_string_equal(z->rr[2].name, "mx.test");
	zone_free(z);
}

/* --- errors, with the line of the record at fault ------------------------ */

static void
test_zonefile_syntax_error_line_7(void **state)
{
	(void)state;
	/* ldns itself would say line 9: it counts the blank lines after. */
	assert_file_fails("syntax-error.zone",
	    "zones/syntax-error.zone:7: unexpected text after the record "
	    "data in 'www IN A 192.0.2.1 192.0.2.2'");
}

static void
test_zonefile_bad_ipv4_line_3(void **state)
{
	(void)state;
	assert_file_fails("bad-ipv4.zone",
	    "zones/bad-ipv4.zone:3: cannot parse the record data in 'ns1 A "
	    "192.0.2.256'");
}

static void
test_zonefile_unsupported_types(void **state)
{
	(void)state;
	assert_text_fails("@ NS ns1\n"
	                  "_smtp._tcp SRV 0 0 25 mx1\n",
	    MX_ESCRIPT, "t.zone:2: unsupported record type SRV");
	assert_text_fails("; hosts\n"
	                  "\n"
	                  "mx1 HINFO \"PC\" \"Unix\"\n",
	    MX_ESCRIPT, "t.zone:3: unsupported record type HINFO");
	assert_text_fails("x TYPE65280 \\# 1 00\n", MX_ESCRIPT,
	    "t.zone:1: unsupported record type TYPE65280");
}

static void
test_zonefile_owner_outside_origin(void **state)
{
	(void)state;
	assert_text_fails("www A 192.0.2.1\n"
	                  "mail.other.test. A 192.0.2.2\n",
	    MX_ESCRIPT,
	    "t.zone:2: owner 'mail.other.test' is outside the zone "
	    "'example.test'");
	/* A label boundary matters: "badexample.test" is outside. */
	assert_text_fails("badexample.test. A 192.0.2.1\n", MX_ESCRIPT,
	    "t.zone:1: owner 'badexample.test' is outside the zone "
	    "'example.test'");
	/* $ORIGIN moves relative names out of the zone. */
	assert_text_fails("www A 192.0.2.1\n"
	                  "$ORIGIN other.test.\n"
	                  "www A 192.0.2.2\n",
	    MX_ESCRIPT,
	    "t.zone:3: owner 'www.other.test' is outside the zone "
	    "'example.test'");
}

static void
test_zonefile_class_ch_fails(void **state)
{
	(void)state;
	assert_text_fails("@ NS ns1\n"
	                  "version CH TXT \"1.0\"\n",
	    MX_ESCRIPT, "t.zone:2: class CH is not supported (only IN)");
}

/* A bad field on the third line of a record spread over four is reported
 * at its first line, after comment lines and a $ORIGIN. */
static void
test_zonefile_multiline_record_error_first_line(void **state)
{
	(void)state;
	assert_text_fails("; a zone\n"
	                  "$ORIGIN example.test.\n"
	                  "; its SOA\n"
	                  "@ IN SOA ns1 hostmaster (\n"
	                  "      1 7200 ; serial, refresh\n"
	                  "      900 x  ; retry, expire\n"
	                  "      300 )\n",
	    MX_ESCRIPT,
	    "t.zone:4: cannot parse the record data in '@ IN SOA ns1 "
	    "hostmaster ('");
	/* Records after a multi-line one keep their lines. */
	assert_text_fails("@ IN SOA ns1 hostmaster (\n"
	                  "      1 7200 900\n"
	                  "      1209600 300 )\n"
	                  "$ORIGIN sub.example.test.\n"
	                  "\n"
	                  "www CH A 192.0.2.1\n",
	    MX_ESCRIPT, "t.zone:6: class CH is not supported (only IN)");
}

/* ldns drops the newline after an unmatched ')'; our count does not. */
static void
test_zonefile_line_after_stray_paren(void **state)
{
	(void)state;
	assert_text_fails("a A 192.0.2.1 )\n"
	                  "b A 192.0.2.2\n"
	                  "c SRV 0 0 25 mx1\n",
	    MX_ESCRIPT, "t.zone:3: unsupported record type SRV");
}

static void
test_zonefile_directive_errors(void **state)
{
	(void)state;
	assert_text_fails("www A 192.0.2.1\n"
	                  "$INCLUDE other.zone\n",
	    MX_ESCRIPT,
	    "t.zone:2: $INCLUDE is not supported in '$INCLUDE other.zone'");
	assert_text_fails("$ORIGIN a..test.\n", MX_ESCRIPT,
	    "t.zone:1: bad domain name in '$ORIGIN a..test.'");
}

static void
test_zonefile_soa_rules(void **state)
{
	(void)state;
	assert_text_fails("@ SOA ns1 hm 1 2 3 4 5\n"
	                  "\n"
	                  "@ SOA ns1 hm 6 2 3 4 5\n",
	    MX_ESCRIPT, "t.zone:3: second SOA record (the first is on line 1)");
	assert_text_fails("sub SOA ns1 hm 1 2 3 4 5\n", MX_ESCRIPT,
	    "t.zone:1: SOA must be at the zone apex 'example.test'");
}

static void
test_zonefile_data_limits(void **state)
{
	char text[1024];
	char s[201];

	(void)state;
	/* 3 x 201 bytes of TXT RDATA: over DNS_TXT_MAX. */
	memset(s, 'x', 200);
	s[200] = '\0';
	snprintf(text, sizeof(text), "t TXT \"%s\" \"%s\" \"%s\"\n", s, s, s);
	assert_text_fails(
	    text, MX_ESCRIPT, "t.zone:1: TXT data longer than 512 bytes");
	/* Fine for ldns and on the wire, but 2 x 240 characters in our
	 * presentation form, where '=' is \061. */
	memset(s, '=', 60);
	s[60] = '\0';
	snprintf(text, sizeof(text), "%s.%s A 192.0.2.1\n", s, s);
	assert_text_fails(
	    text, MX_ESCRIPT, "t.zone:1: bad or too long owner name");
	/* A long line is quoted in part. */
	assert_text_fails("www A 192.0.2.1 ; "
	                  "0123456789012345678901234567890123456789012345\n"
	                  "bad..name A 192.0.2.1 ; "
	                  "0123456789012345678901234567890123456789012345\n",
	    MX_ESCRIPT,
	    "t.zone:2: cannot parse the record in 'bad..name A 192.0.2.1 ; "
	    "012345678901234567890123456789012345...'");
}

/* zone_finish() errors name the file, without a line. */
static void
test_zonefile_cname_and_other_data_fails(void **state)
{
	(void)state;
	/* The message names the second record's line and the first's. */
	assert_text_fails("alias CNAME mx1\n"
	                  "alias A 192.0.2.1\n",
	    MX_ESCRIPT,
	    "t.zone:2: 'alias.example.test' has a CNAME and other data (line "
	    "1; RFC 1034 §3.6.2 forbids it)");
}

static void
test_zonefile_missing_file_fails(void **state)
{
	struct zone *z = zone_new("example.test");
	struct mx_err err;

	(void)state;
	mx_err_clear(&err);
	assert_int_equal(zone_load_file(z, ZONES "no-such.zone",
	                     "zones/no-such.zone", 3600, &err),
	    MX_EIO);
	assert_string_equal(err.msg, "zones/no-such.zone: cannot open the zone "
	                             "file: No such file or directory");
	zone_free(z);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_zonefile_good_zone_equals_rows),
	    cmocka_unit_test(test_zonefile_good_zone_constructs),
	    cmocka_unit_test(test_zonefile_records_encode_as_ldns_read_them),
	    cmocka_unit_test(test_zonefile_empty_file_gets_soa),
	    cmocka_unit_test(test_zonefile_default_ttl_and_forms),
	    cmocka_unit_test(test_zonefile_root_origin),
	    cmocka_unit_test(test_zonefile_syntax_error_line_7),
	    cmocka_unit_test(test_zonefile_bad_ipv4_line_3),
	    cmocka_unit_test(test_zonefile_unsupported_types),
	    cmocka_unit_test(test_zonefile_owner_outside_origin),
	    cmocka_unit_test(test_zonefile_class_ch_fails),
	    cmocka_unit_test(test_zonefile_multiline_record_error_first_line),
	    cmocka_unit_test(test_zonefile_line_after_stray_paren),
	    cmocka_unit_test(test_zonefile_directive_errors),
	    cmocka_unit_test(test_zonefile_soa_rules),
	    cmocka_unit_test(test_zonefile_data_limits),
	    cmocka_unit_test(test_zonefile_cname_and_other_data_fails),
	    cmocka_unit_test(test_zonefile_missing_file_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

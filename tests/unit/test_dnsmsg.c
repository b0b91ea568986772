/*
 * test_dnsmsg.c - the DNS message codec (sim/dns/dnsmsg.c).
 *
 * Four kinds of evidence:
 *  - round trips: a message built field by field, encoded and decoded,
 *    comes back equal in every field;
 *  - exact bytes: one small response written out by hand from RFC 1035
 *    §4.1, compression included, and the size of a compressed response;
 *  - refusals: hand-made hostile messages (truncations, pointer loops,
 *    oversized labels and names, RDLENGTH lies, counts beyond the data)
 *    are refused, read from buffers of exactly their length so that
 *    AddressSanitizer sees any read past the end;
 *  - a second opinion: every message our encoder writes here is parsed by
 *    ldns and compared field by field with what our decoder saw, and
 *    packets written by ldns decode with ours to the same content.
 *
 * Names are under .test (RFC 6761 §6.2) and addresses come from the
 * documentation blocks (RFC 5737, RFC 3849).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <ldns/ldns.h>

#include "dns/dnsmsg.h"

#define WIRE_CAP 65535

/* A message being written by hand, for the refusal tests. */
struct wb {
	uint8_t b[2048]; /* the bytes */
	size_t n;        /* bytes used */
};

/* --- building messages --------------------------------------------------- */

static struct dns_msg *
msg_new(void)
{
	struct dns_msg *m = malloc(sizeof(*m));

	assert_non_null(m);
	dns_msg_init(m);
	return m;
}

static void
set_question(struct dns_msg *m, const char *name, uint16_t qtype)
{
	snprintf(m->q[0].name, sizeof(m->q[0].name), "%s", name);
	m->q[0].qtype = qtype;
	m->q[0].qclass = DNS_CLASS_IN;
	m->nq = 1;
}

static struct dns_rr *
rr_add(struct dns_rr *sec, size_t *n, const char *owner, uint16_t type,
    uint32_t ttl)
{
	struct dns_rr *rr;

	assert_true(*n < DNS_SECTION_MAX);
	rr = &sec[(*n)++];
	memset(rr, 0, sizeof(*rr));
	snprintf(rr->name, sizeof(rr->name), "%s", owner);
	rr->type = type;
	rr->rclass = DNS_CLASS_IN;
	rr->ttl = ttl;
	return rr;
}

static void
add_a(struct dns_rr *sec, size_t *n, const char *owner, uint32_t ttl,
    const char *addr)
{
	struct dns_rr *rr = rr_add(sec, n, owner, DNS_T_A, ttl);

	assert_int_equal(inet_pton(AF_INET, addr, rr->rd.a), 1);
}

static void
add_aaaa(struct dns_rr *sec, size_t *n, const char *owner, uint32_t ttl,
    const char *addr)
{
	struct dns_rr *rr = rr_add(sec, n, owner, DNS_T_AAAA, ttl);

	assert_int_equal(inet_pton(AF_INET6, addr, rr->rd.aaaa), 1);
}

static void
add_target(struct dns_rr *sec, size_t *n, const char *owner, uint16_t type,
    uint32_t ttl, const char *target)
{
	struct dns_rr *rr = rr_add(sec, n, owner, type, ttl);

	snprintf(rr->rd.target, sizeof(rr->rd.target), "%s", target);
}

static void
add_mx(struct dns_rr *sec, size_t *n, const char *owner, uint32_t ttl,
    uint16_t pref, const char *exchange)
{
	struct dns_rr *rr = rr_add(sec, n, owner, DNS_T_MX, ttl);

	rr->rd.mx.pref = pref;
	snprintf(
	    rr->rd.mx.exchange, sizeof(rr->rd.mx.exchange), "%s", exchange);
}

static void
add_soa(struct dns_rr *sec, size_t *n, const char *owner, uint32_t ttl)
{
	struct dns_rr *rr = rr_add(sec, n, owner, DNS_T_SOA, ttl);

	snprintf(rr->rd.soa.mname, sizeof(rr->rd.soa.mname), "%s",
	    "ns1.example.test");
	snprintf(rr->rd.soa.rname, sizeof(rr->rd.soa.rname), "%s",
	    "hostmaster.example.test");
	rr->rd.soa.serial = 1;
	rr->rd.soa.refresh = 3600;
	rr->rd.soa.retry = 600;
	rr->rd.soa.expire = 86400;
	rr->rd.soa.minimum = 300;
}

/* TXT RDATA from up to two strings (RFC 1035 §3.3.14). */
static void
add_txt(struct dns_rr *sec, size_t *n, const char *owner, uint32_t ttl,
    const char *s1, const char *s2)
{
	struct dns_rr *rr = rr_add(sec, n, owner, DNS_T_TXT, ttl);
	const char *s[2] = {s1, s2};
	size_t i, len;

	for (i = 0; i < 2 && s[i] != NULL; i++) {
		len = strlen(s[i]);
		rr->rd.raw.data[rr->rd.raw.len++] = (uint8_t)len;
		memcpy(rr->rd.raw.data + rr->rd.raw.len, s[i], len);
		rr->rd.raw.len = (uint16_t)(rr->rd.raw.len + len);
	}
}

/* OPT (RFC 6891 §6.1.2): owner root, CLASS = UDP payload size, TTL =
 * EXTENDED-RCODE, VERSION, DO, Z. */
static void
add_opt(struct dns_msg *m, uint16_t udp, uint32_t ttl, const uint8_t *opt,
    size_t len)
{
	struct dns_rr *rr = rr_add(m->ar, &m->nar, "", DNS_T_OPT, ttl);

	rr->rclass = udp;
	if (len > 0)
		memcpy(rr->rd.raw.data, opt, len);
	rr->rd.raw.len = (uint16_t)len;
}

/* Uncompressed wire length of a name without escapes. */
static size_t
wire_len(const char *name)
{
	return name[0] == '\0' ? 1 : strlen(name) + 2;
}

/* --- comparing ----------------------------------------------------------- */

static void
assert_name_eq(const char *a, const char *b, bool icase)
{
	if (icase)
		assert_true(dns_name_eq(a, b));
	else
		assert_string_equal(a, b);
}

static void
assert_rr_eq(const struct dns_rr *a, const struct dns_rr *b, bool icase)
{
	assert_name_eq(a->name, b->name, icase);
	assert_int_equal(a->type, b->type);
	assert_int_equal(a->rclass, b->rclass);
	assert_int_equal(a->ttl, b->ttl);
	switch (a->type) {
	case DNS_T_A:
		assert_memory_equal(a->rd.a, b->rd.a, sizeof(a->rd.a));
		break;
	case DNS_T_AAAA:
		assert_memory_equal(a->rd.aaaa, b->rd.aaaa, sizeof(a->rd.aaaa));
		break;
	case DNS_T_NS:
	case DNS_T_CNAME:
	case DNS_T_PTR:
		assert_name_eq(a->rd.target, b->rd.target, icase);
		break;
	case DNS_T_MX:
		assert_int_equal(a->rd.mx.pref, b->rd.mx.pref);
		assert_name_eq(a->rd.mx.exchange, b->rd.mx.exchange, icase);
		break;
	case DNS_T_SOA:
		assert_name_eq(a->rd.soa.mname, b->rd.soa.mname, icase);
		assert_name_eq(a->rd.soa.rname, b->rd.soa.rname, icase);
		assert_int_equal(a->rd.soa.serial, b->rd.soa.serial);
		assert_int_equal(a->rd.soa.refresh, b->rd.soa.refresh);
		assert_int_equal(a->rd.soa.retry, b->rd.soa.retry);
		assert_int_equal(a->rd.soa.expire, b->rd.soa.expire);
		assert_int_equal(a->rd.soa.minimum, b->rd.soa.minimum);
		break;
	default:
		assert_int_equal(a->rd.raw.len, b->rd.raw.len);
		assert_memory_equal(
		    a->rd.raw.data, b->rd.raw.data, a->rd.raw.len);
		break;
	}
}

/* Every field of two messages; names ignoring case when 'icase'. */
static void
assert_msg_eq(const struct dns_msg *a, const struct dns_msg *b, bool icase)
{
	size_t i;

	assert_int_equal(a->id, b->id);
	assert_int_equal(a->qr, b->qr);
	assert_int_equal(a->opcode, b->opcode);
	assert_int_equal(a->aa, b->aa);
	assert_int_equal(a->tc, b->tc);
	assert_int_equal(a->rd, b->rd);
	assert_int_equal(a->ra, b->ra);
	assert_int_equal(a->rcode, b->rcode);
	assert_int_equal(a->nq, b->nq);
	assert_int_equal(a->nan, b->nan);
	assert_int_equal(a->nns, b->nns);
	assert_int_equal(a->nar, b->nar);
	if (a->nq == 1) {
		assert_name_eq(a->q[0].name, b->q[0].name, icase);
		assert_int_equal(a->q[0].qtype, b->q[0].qtype);
		assert_int_equal(a->q[0].qclass, b->q[0].qclass);
	}
	for (i = 0; i < a->nan; i++)
		assert_rr_eq(&a->an[i], &b->an[i], icase);
	for (i = 0; i < a->nns; i++)
		assert_rr_eq(&a->ns[i], &b->ns[i], icase);
	for (i = 0; i < a->nar; i++)
		assert_rr_eq(&a->ar[i], &b->ar[i], icase);
}

/* Decodes from a heap copy of exactly 'len' bytes, so that ASan catches
 * a read past the end. */
static bool
decode_exact(const uint8_t *p, size_t len, struct dns_msg *m)
{
	uint8_t *copy = malloc(len > 0 ? len : 1);
	bool ok;

	assert_non_null(copy);
	if (len > 0)
		memcpy(copy, p, len);
	ok = dns_msg_decode(copy, len, m);
	free(copy);
	return ok;
}

/* Refused, and left with no records to misread (dnsmsg.c). */
static void
assert_decode_fails(const uint8_t *p, size_t len)
{
	struct dns_msg *m = msg_new();

	assert_false(decode_exact(p, len, m));
	assert_int_equal(m->nq + m->nan + m->nns + m->nar, 0);
	free(m);
}

/* --- ldns as a second opinion -------------------------------------------- */

/* Our uncompressed wire form of 'name': the QNAME of a query holding
 * only it, which our encoder writes uncompressed at offset 12. */
static size_t
our_wire_name(const char *name, uint8_t *w)
{
	struct dns_msg *m = msg_new();
	uint8_t buf[12 + 255 + 4];
	size_t n;

	set_question(m, name, DNS_T_A);
	n = dns_msg_encode(m, buf, sizeof(buf));
	assert_true(n > 12 + 4);
	memcpy(w, buf + 12, n - 12 - 4);
	free(m);
	return n - 12 - 4;
}

/* A name seen by ldns against ours: the same wire bytes, case included;
 * and, for names without escapes (which ldns may spell differently, "\\"
 * for "\092"), the same text with the final dot, the root being ".". */
static void
assert_ldns_name(const ldns_rdf *rdf, const char *ours)
{
	char want[DNS_NAME_MAX + 2];
	uint8_t w[255];
	size_t n = our_wire_name(ours, w);
	char *s;

	assert_int_equal(ldns_rdf_get_type(rdf), LDNS_RDF_TYPE_DNAME);
	assert_int_equal(ldns_rdf_size(rdf), n);
	assert_memory_equal(ldns_rdf_data(rdf), w, n);
	if (strchr(ours, '\\') != NULL)
		return;
	s = ldns_rdf2str(rdf);
	assert_non_null(s);
	snprintf(want, sizeof(want), "%s.", ours);
	assert_string_equal(s, want);
	free(s);
}

/* The RDATA fields printed by ldns, joined by spaces, against ours. */
static void
assert_ldns_rdata(const ldns_rr *lr, const struct dns_rr *rr)
{
	char ours[2048], theirs[2048];
	size_t k, n = 0;

	dns_rr_str(rr, ours, sizeof(ours));
	theirs[0] = '\0';
	if (ldns_rr_rd_count(lr) == 0) {
		/* ldns keeps no field for empty unknown RDATA. */
		assert_int_equal(rr->rd.raw.len, 0);
		return;
	}
	for (k = 0; k < ldns_rr_rd_count(lr); k++) {
		char *s = ldns_rdf2str(ldns_rr_rdf(lr, k));

		assert_non_null(s);
		n += (size_t)snprintf(theirs + n, sizeof(theirs) - n, "%s%s",
		    k > 0 ? " " : "", s);
		free(s);
		assert_true(n < sizeof(theirs));
	}
	assert_string_equal(ours, theirs);
}

static void
assert_ldns_section(const ldns_rr_list *l, const struct dns_rr *sec, size_t n)
{
	size_t i, j = 0;

	for (i = 0; i < n; i++) {
		const ldns_rr *lr;

		/* ldns moves the OPT out of the section (RFC 6891 §6.1.1
		 * calls it a pseudo-RR); it is compared by the caller. */
		if (sec[i].type == DNS_T_OPT)
			continue;
		lr = ldns_rr_list_rr(l, j++);
		assert_non_null(lr);
		assert_ldns_name(ldns_rr_owner(lr), sec[i].name);
		assert_int_equal(ldns_rr_get_type(lr), sec[i].type);
		assert_int_equal(ldns_rr_get_class(lr), sec[i].rclass);
		assert_int_equal(ldns_rr_ttl(lr), sec[i].ttl);
		assert_ldns_rdata(lr, &sec[i]);
	}
	assert_int_equal(ldns_rr_list_rr_count(l), j);
}

/* ldns parses 'wire' and must see what our decoder saw in 'm'. */
static void
assert_ldns_agrees(const uint8_t *wire, size_t len, const struct dns_msg *m)
{
	ldns_pkt *pkt = NULL;
	const struct dns_rr *opt = NULL;
	size_t i;

	assert_int_equal(ldns_wire2pkt(&pkt, wire, len), LDNS_STATUS_OK);
	assert_int_equal(ldns_pkt_id(pkt), m->id);
	assert_int_equal(ldns_pkt_qr(pkt), m->qr);
	assert_int_equal(ldns_pkt_get_opcode(pkt), m->opcode);
	assert_int_equal(ldns_pkt_aa(pkt), m->aa);
	assert_int_equal(ldns_pkt_tc(pkt), m->tc);
	assert_int_equal(ldns_pkt_rd(pkt), m->rd);
	assert_int_equal(ldns_pkt_ra(pkt), m->ra);
	assert_int_equal(ldns_pkt_get_rcode(pkt), m->rcode);
	assert_int_equal(ldns_pkt_qdcount(pkt), m->nq);
	assert_int_equal(ldns_pkt_ancount(pkt), m->nan);
	assert_int_equal(ldns_pkt_nscount(pkt), m->nns);
	for (i = 0; i < m->nar; i++)
		if (m->ar[i].type == DNS_T_OPT)
			opt = &m->ar[i];
	assert_int_equal(ldns_pkt_arcount(pkt), m->nar - (opt != NULL));
	if (m->nq == 1) {
		const ldns_rr *q = ldns_rr_list_rr(ldns_pkt_question(pkt), 0);

		assert_non_null(q);
		assert_ldns_name(ldns_rr_owner(q), m->q[0].name);
		assert_int_equal(ldns_rr_get_type(q), m->q[0].qtype);
		assert_int_equal(ldns_rr_get_class(q), m->q[0].qclass);
	}
	assert_ldns_section(ldns_pkt_answer(pkt), m->an, m->nan);
	assert_ldns_section(ldns_pkt_authority(pkt), m->ns, m->nns);
	assert_ldns_section(ldns_pkt_additional(pkt), m->ar, m->nar);
	/* RFC 6891 §6.1.3: the OPT TTL is EXTENDED-RCODE, VERSION, DO, Z. */
	assert_int_equal(ldns_pkt_edns(pkt), opt != NULL);
	if (opt != NULL) {
		const ldns_rdf *data = ldns_pkt_edns_data(pkt);

		assert_int_equal(ldns_pkt_edns_udp_size(pkt), opt->rclass);
		assert_int_equal(
		    ldns_pkt_edns_extended_rcode(pkt), opt->ttl >> 24);
		assert_int_equal(
		    ldns_pkt_edns_version(pkt), opt->ttl >> 16 & 0xff);
		assert_int_equal(
		    ldns_pkt_edns_do(pkt), (opt->ttl & 0x8000) != 0);
		if (opt->rd.raw.len == 0)
			assert_true(data == NULL || ldns_rdf_size(data) == 0);
		else {
			assert_non_null(data);
			assert_int_equal(ldns_rdf_size(data), opt->rd.raw.len);
			assert_memory_equal(ldns_rdf_data(data),
			    opt->rd.raw.data, opt->rd.raw.len);
		}
	}
	ldns_pkt_free(pkt);
}

/*
 * Encodes 'm' into 'out', decodes it again into 'back' (from a buffer of
 * the exact length) and has ldns agree with the decoded message: the path
 * every encoding in this file takes.
 */
static size_t
encode_checked(
    const struct dns_msg *m, uint8_t *out, size_t cap, struct dns_msg *back)
{
	size_t n = dns_msg_encode(m, out, cap);

	assert_true(n > 0);
	assert_true(decode_exact(out, n, back));
	assert_ldns_agrees(out, n, back);
	return n;
}

/* Encodes 'm' and expects every field back unchanged. */
static size_t
assert_roundtrip(const struct dns_msg *m, uint8_t *out)
{
	struct dns_msg *back = msg_new();
	size_t n = encode_checked(m, out, WIRE_CAP, back);

	assert_msg_eq(m, back, false);
	free(back);
	return n;
}

/* --- walking the wire, to look at pointers -------------------------------- */

/*
 * Walks the name at '*pos' without following pointers, checks that every
 * pointer in it points backwards (RFC 1035 §4.1.4: "a prior occurrence of
 * the same name") and after the header, and counts them into '*nptr'.
 */
static void
walk_name(const uint8_t *p, size_t len, size_t *pos, size_t *nptr)
{
	size_t at = *pos;

	for (;;) {
		assert_true(at < len);
		if ((p[at] & 0xc0) == 0xc0) {
			size_t t = (size_t)(p[at] & 0x3f) << 8 | p[at + 1];

			assert_true(t >= 12);
			assert_true(t < *pos);
			(*nptr)++;
			*pos = at + 2;
			return;
		}
		if (p[at] == 0) {
			*pos = at + 1;
			return;
		}
		at += 1 + (size_t)p[at];
	}
}

/* The number of compression pointers in a message we wrote. */
static size_t
count_pointers(const uint8_t *p, size_t len)
{
	size_t pos = 12, nptr = 0, nrr, i, end;
	uint16_t type, rdlen;

	if ((p[4] << 8 | p[5]) == 1) {
		walk_name(p, len, &pos, &nptr);
		pos += 4;
	}
	nrr = (size_t)(p[6] << 8 | p[7]) + (size_t)(p[8] << 8 | p[9]) +
	      (size_t)(p[10] << 8 | p[11]);
	for (i = 0; i < nrr; i++) {
		walk_name(p, len, &pos, &nptr);
		type = (uint16_t)(p[pos] << 8 | p[pos + 1]);
		rdlen = (uint16_t)(p[pos + 8] << 8 | p[pos + 9]);
		pos += 10;
		end = pos + rdlen;
		switch (type) {
		case DNS_T_MX:
			pos += 2;
			walk_name(p, len, &pos, &nptr);
			break;
		case DNS_T_NS:
		case DNS_T_CNAME:
		case DNS_T_PTR:
			walk_name(p, len, &pos, &nptr);
			break;
		case DNS_T_SOA:
			walk_name(p, len, &pos, &nptr);
			walk_name(p, len, &pos, &nptr);
			pos += 20;
			break;
		default:
			pos = end;
			break;
		}
		assert_int_equal(pos, end);
	}
	assert_int_equal(pos, len);
	return nptr;
}

/* --- hand-written wire, for the refusals ---------------------------------- */

static void
wb_u8(struct wb *w, uint8_t v)
{
	assert_true(w->n < sizeof(w->b));
	w->b[w->n++] = v;
}

static void
wb_u16(struct wb *w, uint16_t v)
{
	wb_u8(w, (uint8_t)(v >> 8));
	wb_u8(w, (uint8_t)v);
}

static void
wb_u32(struct wb *w, uint32_t v)
{
	wb_u16(w, (uint16_t)(v >> 16));
	wb_u16(w, (uint16_t)v);
}

/* RFC 1035 §4.1.1: ID, flags, QD/AN/NS/AR counts. */
static void
wb_header(struct wb *w, uint16_t flags, uint16_t qd, uint16_t an, uint16_t ns,
    uint16_t ar)
{
	w->n = 0;
	wb_u16(w, 0x1234);
	wb_u16(w, flags);
	wb_u16(w, qd);
	wb_u16(w, an);
	wb_u16(w, ns);
	wb_u16(w, ar);
}

/* An uncompressed name from dot-separated text, no escapes. */
static void
wb_name(struct wb *w, const char *name)
{
	const char *dot;
	size_t l;

	while (*name != '\0') {
		dot = strchr(name, '.');
		l = dot != NULL ? (size_t)(dot - name) : strlen(name);
		wb_u8(w, (uint8_t)l);
		while (l-- > 0)
			wb_u8(w, (uint8_t)*name++);
		if (*name == '.')
			name++;
	}
	wb_u8(w, 0);
}

static void
wb_ptr(struct wb *w, uint16_t off)
{
	wb_u16(w, (uint16_t)(0xc000 | off));
}

/* TYPE, CLASS IN, TTL 300, RDLENGTH. */
static void
wb_rr_fixed(struct wb *w, uint16_t type, uint16_t rdlen)
{
	wb_u16(w, type);
	wb_u16(w, DNS_CLASS_IN);
	wb_u32(w, 300);
	wb_u16(w, rdlen);
}

/* A query for example.test MX: the question starts at offset 12. */
static void
wb_query(struct wb *w, uint16_t an)
{
	wb_header(w, 0x8400, 1, an, 0, 0);
	wb_name(w, "example.test");
	wb_u16(w, DNS_T_MX);
	wb_u16(w, DNS_CLASS_IN);
}

/* --- the messages the tests share ----------------------------------------- */

/* A response with every type the codec knows, RFC 7505's null MX and an
 * OPT with a COOKIE option (RFC 7873 §4). */
static void
build_full_response(struct dns_msg *m)
{
	static const uint8_t cookie[] = {0x00, 0x0a, 0x00, 0x08, 0x01, 0x02,
	    0x03, 0x04, 0x05, 0x06, 0x07, 0x08};

	dns_msg_init(m);
	m->id = 0xbeef;
	m->qr = true;
	m->aa = true;
	m->rd = true;
	m->ra = true;
	set_question(m, "example.test", DNS_T_MX);
	add_mx(m->an, &m->nan, "example.test", 3600, 10, "mx1.example.test");
	add_mx(m->an, &m->nan, "example.test", 3600, 20, "mx2.example.test");
	add_mx(m->an, &m->nan, "null.example.test", 3600, 0, "");
	add_target(m->an, &m->nan, "www.example.test", DNS_T_CNAME, 300,
	    "web.example.test");
	add_a(m->an, &m->nan, "web.example.test", 300, "192.0.2.10");
	add_aaaa(m->an, &m->nan, "web.example.test", 300, "2001:db8::10");
	add_txt(m->an, &m->nan, "example.test", 300, "v=spf1 mx -all",
	    "say \"hi\"");
	add_target(m->an, &m->nan, "10.2.0.192.rev.example.test", DNS_T_PTR,
	    300, "web.example.test");
	add_target(
	    m->ns, &m->nns, "example.test", DNS_T_NS, 3600, "ns1.example.test");
	add_soa(m->ns, &m->nns, "example.test", 3600);
	add_a(m->ar, &m->nar, "mx1.example.test", 300, "198.51.100.25");
	add_aaaa(m->ar, &m->nar, "mx2.example.test", 300, "2001:db8:2::25");
	add_opt(m, 1232, 0x00008000, cookie, sizeof(cookie));
}

/* --- round trips --------------------------------------------------------- */

/* RFC 1035 §4.1.1-§4.1.2: a recursive query with an EDNS OPT (RFC 6891
 * §6.1.2) carrying no options. */
static void
test_dnsmsg_query_roundtrip_equal(void **state)
{
	struct dns_msg *m = msg_new();
	uint8_t *out = malloc(WIRE_CAP);

	(void)state;
	assert_non_null(out);
	m->id = 0x1234;
	m->rd = true;
	set_question(m, "mx1.example.test", DNS_T_A);
	add_opt(m, 1232, 0, NULL, 0);
	/* 12 header + 18 + 4 question + 11 OPT (RFC 6891 §6.1.2). */
	assert_int_equal(assert_roundtrip(m, out), 12 + 22 + 11);
	free(out);
	free(m);
}

static void
test_dnsmsg_response_roundtrip_equal(void **state)
{
	struct dns_msg *m = msg_new();
	uint8_t *out = malloc(WIRE_CAP);

	(void)state;
	assert_non_null(out);
	build_full_response(m);
	assert_roundtrip(m, out);
	free(out);
	free(m);
}

/* Header fields other than the usual ones: opcode and every RCODE the
 * header holds (RFC 1035 §4.1.1), TC set, no question. */
static void
test_dnsmsg_header_fields_roundtrip_equal(void **state)
{
	struct dns_msg *m = msg_new();
	uint8_t *out = malloc(WIRE_CAP);
	uint8_t rc;

	(void)state;
	assert_non_null(out);
	for (rc = 0; rc < 16; rc++) {
		dns_msg_init(m);
		m->id = (uint16_t)(0xff00 + rc);
		m->qr = true;
		m->opcode = rc % 3 == 0 ? 0 : 2; /* QUERY, STATUS */
		m->tc = rc % 2 == 1;
		m->ra = rc % 4 == 0;
		m->rcode = rc;
		assert_int_equal(assert_roundtrip(m, out), 12);
	}
	free(out);
	free(m);
}

/* RFC 7505 §3: the null MX is preference 0 and exchange ".", which on the
 * wire is the root name, one zero byte (RFC 1035 §3.1). */
static void
test_dnsmsg_null_mx_one_zero_byte(void **state)
{
	static const uint8_t rdata[] = {0x00, 0x00, 0x00};
	struct dns_msg *m = msg_new();
	uint8_t *out = malloc(WIRE_CAP);
	size_t n;

	(void)state;
	assert_non_null(out);
	m->qr = true;
	add_mx(m->an, &m->nan, "example.test", 300, 0, "");
	n = assert_roundtrip(m, out);
	/* 12 header, 14 owner, 8 TYPE..TTL, RDLENGTH 3, RDATA. */
	assert_int_equal(n, 12 + 14 + 8 + 2 + 3);
	assert_int_equal(out[12 + 14 + 8], 0);
	assert_int_equal(out[12 + 14 + 9], 3);
	assert_memory_equal(out + n - 3, rdata, 3);
	free(out);
	free(m);
}

/* RFC 1035 §5.1: "\." is a dot inside a label, "\DDD" any byte; RFC 2181
 * §11: any byte may appear in a label. */
static void
test_dnsmsg_escaped_labels_roundtrip_equal(void **state)
{
	static const uint8_t owner[] = {3, 'a', '.', 'b', 7, 'e', 'x', 'a', 'm',
	    'p', 'l', 'e', 4, 't', 'e', 's', 't', 0};
	struct dns_msg *m = msg_new();
	struct dns_msg *back = msg_new();
	uint8_t *out = malloc(WIRE_CAP);
	size_t n;

	(void)state;
	assert_non_null(out);
	m->qr = true;
	add_a(m->an, &m->nan, "a\\.b.example.test", 300, "192.0.2.1");
	add_a(m->an, &m->nan, "\\000x\\255.example.test", 300, "192.0.2.2");
	add_a(m->an, &m->nan, "\\092\\032.example.test", 300, "192.0.2.3");
	add_target(m->an, &m->nan, "alias.example.test", DNS_T_CNAME, 300,
	    "a\\.b.example.test");
	assert_roundtrip(m, out);
	assert_memory_equal(out + 12, owner, sizeof(owner));

	/* \X for a byte other than a digit is the byte itself; the decoder
	 * writes the canonical form back (letters as they are, others
	 * \DDD). */
	dns_msg_init(m);
	m->qr = true;
	add_a(m->an, &m->nan, "\\a\\*.example.test", 300, "192.0.2.4");
	n = encode_checked(m, out, WIRE_CAP, back);
	assert_int_equal(out[12], 2);
	assert_int_equal(out[13], 'a');
	assert_int_equal(out[14], '*');
	assert_string_equal(back->an[0].name, "a\\042.example.test");
	assert_true(dns_name_eq(back->an[0].name, m->an[0].name));
	assert_true(n > 0);
	free(out);
	free(back);
	free(m);
}

/* --- compression --------------------------------------------------------- */

/*
 * RFC 1035 §4.1 by hand: a response to "example.test MX" with one answer
 * "example.test 300 MX 10 mx1.example.test".  The owner and the
 * exchange's suffix are pointers to the question name at offset 12
 * (§4.1.4: 0xc00c).
 */
static void
test_dnsmsg_known_message_exact_bytes(void **state)
{
	static const uint8_t want[] = {
	    /* §4.1.1 header: ID 0x1234; QR=1 AA=1 RD=1 -> 0x8500;
	     * QDCOUNT 1, ANCOUNT 1, NSCOUNT 0, ARCOUNT 0. */
	    0x12,
	    0x34,
	    0x85,
	    0x00,
	    0x00,
	    0x01,
	    0x00,
	    0x01,
	    0x00,
	    0x00,
	    0x00,
	    0x00,
	    /* §4.1.2 question at 12: 7 "example" 4 "test" 0, QTYPE MX
	     * (15), QCLASS IN (1). */
	    7,
	    'e',
	    'x',
	    'a',
	    'm',
	    'p',
	    'l',
	    'e',
	    4,
	    't',
	    'e',
	    's',
	    't',
	    0,
	    0x00,
	    0x0f,
	    0x00,
	    0x01,
	    /* §4.1.3 answer at 30: owner -> 12, TYPE MX, CLASS IN,
	     * TTL 300, RDLENGTH 8. */
	    0xc0,
	    0x0c,
	    0x00,
	    0x0f,
	    0x00,
	    0x01,
	    0x00,
	    0x00,
	    0x01,
	    0x2c,
	    0x00,
	    0x08,
	    /* §3.3.9 MX RDATA: PREFERENCE 10, EXCHANGE 3 "mx1" -> 12. */
	    0x00,
	    0x0a,
	    3,
	    'm',
	    'x',
	    '1',
	    0xc0,
	    0x0c,
	};
	struct dns_msg *m = msg_new();
	struct dns_msg *back = msg_new();
	uint8_t *out = malloc(WIRE_CAP);
	size_t n;

	(void)state;
	assert_non_null(out);
	m->id = 0x1234;
	m->qr = true;
	m->aa = true;
	m->rd = true;
	set_question(m, "example.test", DNS_T_MX);
	add_mx(m->an, &m->nan, "example.test", 300, 10, "mx1.example.test");
	n = assert_roundtrip(m, out);
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(out, want, sizeof(want));

	/* And the hand-written bytes decode to the same message. */
	assert_true(decode_exact(want, sizeof(want), back));
	assert_msg_eq(m, back, false);
	free(out);
	free(back);
	free(m);
}

/*
 * Eight MX under one zone with their addresses: every owner and every
 * exchange suffix is a pointer (RFC 1035 §4.1.4), each one backwards, and
 * the message is the compressed size exactly, well below the sum of the
 * uncompressed parts.
 */
static void
test_dnsmsg_many_mx_compressed_backwards(void **state)
{
	struct dns_msg *m = msg_new();
	uint8_t *out = malloc(WIRE_CAP);
	char name[DNS_NAME_MAX], addr[32];
	size_t n, i, plain;

	(void)state;
	assert_non_null(out);
	m->qr = true;
	m->aa = true;
	set_question(m, "example.test", DNS_T_MX);
	plain = 12 + wire_len("example.test") + 4;
	for (i = 0; i < 8; i++) {
		snprintf(name, sizeof(name), "mx%zu.example.test", i + 1);
		add_mx(m->an, &m->nan, "example.test", 3600,
		    (uint16_t)(10 * (i + 1)), name);
		plain += wire_len("example.test") + 10 + 2 + wire_len(name);
	}
	for (i = 0; i < 8; i++) {
		snprintf(name, sizeof(name), "mx%zu.example.test", i + 1);
		snprintf(addr, sizeof(addr), "203.0.113.%zu", i + 1);
		add_a(m->ar, &m->nar, name, 3600, addr);
		plain += wire_len(name) + 10 + 4;
	}
	n = assert_roundtrip(m, out);
	assert_true(n < plain);
	/* 12 header, 18 question; each MX: owner pointer 2, 10 fixed,
	 * RDATA 2 + "mx1" 4 + pointer 2; each A: owner pointer 2, 10, 4. */
	assert_int_equal(n, 12 + 18 + 8 * (2 + 10 + 8) + 8 * (2 + 10 + 4));
	/* 8 owners and 8 exchanges in the answers, 8 owners after. */
	assert_int_equal(count_pointers(out, n), 24);
	free(out);
	free(m);
}

/* RFC 4343 §3: names are equal ignoring ASCII case, so compression may
 * reuse a suffix written in another case; the decoder then gives the
 * case of the earlier name (RFC 4343 §4.1 allows it, case being
 * preserved only "where possible"). */
static void
test_dnsmsg_mixed_case_compressed_first_case_kept(void **state)
{
	struct dns_msg *m = msg_new();
	struct dns_msg *back = msg_new();
	uint8_t *out = malloc(WIRE_CAP);
	size_t n;

	(void)state;
	assert_non_null(out);
	m->qr = true;
	set_question(m, "Example.TEST", DNS_T_MX);
	add_mx(m->an, &m->nan, "example.test", 300, 10, "MX1.EXAMPLE.TEST");
	n = encode_checked(m, out, WIRE_CAP, back);
	assert_int_equal(n, 12 + 18 + 2 + 10 + 2 + 4 + 2);
	assert_int_equal(count_pointers(out, n), 2);
	assert_string_equal(back->an[0].name, "Example.TEST");
	assert_string_equal(back->an[0].rd.mx.exchange, "MX1.Example.TEST");
	assert_msg_eq(m, back, true);
	free(out);
	free(back);
	free(m);
}

/* RFC 3597 §4: names in the RDATA of other types must not be compressed;
 * ours carry them as raw bytes, so nothing in them points anywhere. */
static void
test_dnsmsg_unknown_type_raw_uncompressed(void **state)
{
	static const uint8_t rdata[] = {0xab, 0xcd, 0xef};
	struct dns_msg *m = msg_new();
	uint8_t *out = malloc(WIRE_CAP);
	struct dns_rr *rr;
	size_t n;

	(void)state;
	assert_non_null(out);
	m->qr = true;
	set_question(m, "example.test", DNS_T_ANY);
	rr = rr_add(m->an, &m->nan, "example.test", 65280, 300);
	memcpy(rr->rd.raw.data, rdata, sizeof(rdata));
	rr->rd.raw.len = sizeof(rdata);
	n = assert_roundtrip(m, out);
	assert_memory_equal(out + n - 3, rdata, 3);
	assert_int_equal(count_pointers(out, n), 1);
	free(out);
	free(m);
}

/* --- refusals of the encoder --------------------------------------------- */

/* dnsmsg.h: 0 when the message does not fit. */
static void
test_dnsmsg_encode_small_buffer_fails(void **state)
{
	struct dns_msg *m = msg_new();
	uint8_t *out = malloc(WIRE_CAP);
	uint8_t *small;
	size_t n, cap;

	(void)state;
	assert_non_null(out);
	build_full_response(m);
	n = assert_roundtrip(m, out);
	for (cap = 0; cap < n; cap++) {
		small = malloc(cap > 0 ? cap : 1);
		assert_non_null(small);
		assert_int_equal(dns_msg_encode(m, small, cap), 0);
		free(small);
	}
	small = malloc(n);
	assert_non_null(small);
	assert_int_equal(dns_msg_encode(m, small, n), n);
	assert_memory_equal(small, out, n);
	free(small);
	free(out);
	free(m);
}

/* RFC 1035 §2.3.4: labels of 63 bytes or less, names of 255 or less;
 * §5.1: "\DDD" is a decimal byte value. */
static void
test_dnsmsg_encode_bad_names_fail(void **state)
{
	static const char *const bad[] = {
	    "example.test.",   /* the final dot is not ours */
	    ".",               /* the root is "" */
	    "a..example.test", /* empty label */
	    ".example.test", "a\\256.example.test", /* not a byte */
	    "a\\12.example.test",                   /* two digits */
	    "a\\",                                  /* escape at the end */
	};
	struct dns_msg *m = msg_new();
	uint8_t *out = malloc(WIRE_CAP);
	char name[DNS_NAME_MAX];
	size_t i;

	(void)state;
	assert_non_null(out);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		dns_msg_init(m);
		add_a(m->an, &m->nan, bad[i], 300, "192.0.2.1");
		assert_int_equal(dns_msg_encode(m, out, WIRE_CAP), 0);
	}
	/* A 64-byte label, in the owner and in an MX exchange. */
	memset(name, 'a', 64);
	snprintf(name + 64, sizeof(name) - 64, ".example.test");
	dns_msg_init(m);
	add_a(m->an, &m->nan, name, 300, "192.0.2.1");
	assert_int_equal(dns_msg_encode(m, out, WIRE_CAP), 0);
	dns_msg_init(m);
	add_mx(m->an, &m->nan, "example.test", 300, 10, name);
	assert_int_equal(dns_msg_encode(m, out, WIRE_CAP), 0);
	/* 256 bytes on the wire: 3 x 63 + 62 + 4 length bytes + root. */
	memset(name, 'a', 255);
	name[63] = name[127] = name[191] = '.';
	name[254] = '\0';
	dns_msg_init(m);
	set_question(m, name, DNS_T_A);
	assert_int_equal(dns_msg_encode(m, out, WIRE_CAP), 0);
	/* One byte less fits: 255 exactly. */
	name[253] = '\0';
	set_question(m, name, DNS_T_A);
	assert_int_equal(dns_msg_encode(m, out, WIRE_CAP), 12 + 255 + 4);
	free(out);
	free(m);
}

static void
test_dnsmsg_encode_bad_message_fails(void **state)
{
	struct dns_msg *m = msg_new();
	uint8_t *out = malloc(WIRE_CAP);
	size_t i;

	(void)state;
	assert_non_null(out);
	/* dnsmsg.h: one question at most. */
	dns_msg_init(m);
	m->nq = 2;
	assert_int_equal(dns_msg_encode(m, out, WIRE_CAP), 0);
	/* More RRs than a section holds. */
	dns_msg_init(m);
	for (i = 0; i < DNS_SECTION_MAX; i++)
		add_a(m->an, &m->nan, "example.test", 300, "192.0.2.1");
	m->nan = DNS_SECTION_MAX + 1;
	assert_int_equal(dns_msg_encode(m, out, WIRE_CAP), 0);
	/* RFC 1035 §4.1.1: RCODE and OPCODE are 4 bits. */
	dns_msg_init(m);
	m->rcode = 16;
	assert_int_equal(dns_msg_encode(m, out, WIRE_CAP), 0);
	dns_msg_init(m);
	m->opcode = 16;
	assert_int_equal(dns_msg_encode(m, out, WIRE_CAP), 0);
	/* RFC 6891 §6.1.1: OPT only in the additional section, owned by
	 * the root, at most one. */
	dns_msg_init(m);
	rr_add(m->an, &m->nan, "", DNS_T_OPT, 0);
	assert_int_equal(dns_msg_encode(m, out, WIRE_CAP), 0);
	dns_msg_init(m);
	rr_add(m->ar, &m->nar, "example.test", DNS_T_OPT, 0);
	assert_int_equal(dns_msg_encode(m, out, WIRE_CAP), 0);
	dns_msg_init(m);
	add_opt(m, 1232, 0, NULL, 0);
	add_opt(m, 1232, 0, NULL, 0);
	assert_int_equal(dns_msg_encode(m, out, WIRE_CAP), 0);
	/* RFC 1035 §3.3.14: TXT is one or more length-prefixed strings. */
	dns_msg_init(m);
	add_txt(m->an, &m->nan, "example.test", 300, "abc", NULL);
	m->an[0].rd.raw.len = 3; /* the string runs past the end */
	assert_int_equal(dns_msg_encode(m, out, WIRE_CAP), 0);
	m->an[0].rd.raw.len = 0;
	assert_int_equal(dns_msg_encode(m, out, WIRE_CAP), 0);
	/* Raw RDATA longer than the field. */
	dns_msg_init(m);
	rr_add(m->an, &m->nan, "example.test", 65280, 0)->rd.raw.len =
	    DNS_TXT_MAX + 1;
	assert_int_equal(dns_msg_encode(m, out, WIRE_CAP), 0);
	free(out);
	free(m);
}

/* --- refusals of the decoder --------------------------------------------- */

/* RFC 1035 §4.1.1: the header is 12 bytes. */
static void
test_dnsmsg_decode_short_header_fails(void **state)
{
	static const uint8_t hdr[12] = {0x12, 0x34};
	struct dns_msg *m = msg_new();
	size_t n;

	(void)state;
	for (n = 0; n < sizeof(hdr); n++)
		assert_decode_fails(hdr, n);
	assert_true(decode_exact(hdr, sizeof(hdr), m));
	assert_int_equal(m->id, 0x1234);
	free(m);
}

static void
test_dnsmsg_decode_truncated_name_fails(void **state)
{
	struct wb w;

	(void)state;
	wb_header(&w, 0, 1, 0, 0, 0);
	wb_u8(&w, 7);
	wb_u8(&w, 'e');
	wb_u8(&w, 'x');
	assert_decode_fails(w.b, w.n);
	/* A name without its root label. */
	wb_header(&w, 0, 1, 0, 0, 0);
	wb_u8(&w, 3);
	wb_u8(&w, 'a');
	wb_u8(&w, 'b');
	wb_u8(&w, 'c');
	assert_decode_fails(w.b, w.n);
}

/* Every proper prefix of a valid response is refused, whatever field it
 * cuts. */
static void
test_dnsmsg_decode_every_prefix_fails(void **state)
{
	struct dns_msg *m = msg_new();
	uint8_t *out = malloc(WIRE_CAP);
	size_t n, cut;

	(void)state;
	assert_non_null(out);
	build_full_response(m);
	n = assert_roundtrip(m, out);
	for (cut = 0; cut < n; cut++)
		assert_decode_fails(out, cut);
	free(out);
	free(m);
}

/* RFC 1035 §4.1.4: a pointer refers to "a prior occurrence of the same
 * name"; one at itself, or at the labels that lead to it, is a loop. */
static void
test_dnsmsg_decode_pointer_loop_fails(void **state)
{
	struct wb w;

	(void)state;
	/* QNAME at 12 is a pointer to 12. */
	wb_header(&w, 0, 1, 0, 0, 0);
	wb_ptr(&w, 12);
	wb_u16(&w, DNS_T_A);
	wb_u16(&w, DNS_CLASS_IN);
	assert_decode_fails(w.b, w.n);
	/* QNAME "a" then a pointer back to 12: a -> a -> a ... */
	wb_header(&w, 0, 1, 0, 0, 0);
	wb_u8(&w, 1);
	wb_u8(&w, 'a');
	wb_ptr(&w, 12);
	wb_u16(&w, DNS_T_A);
	wb_u16(&w, DNS_CLASS_IN);
	assert_decode_fails(w.b, w.n);
	/* Answer owner at 30 pointing at itself. */
	wb_query(&w, 1);
	wb_ptr(&w, 30);
	wb_rr_fixed(&w, DNS_T_A, 4);
	wb_u32(&w, 0xc0000201);
	assert_decode_fails(w.b, w.n);
	/* Two pointers chasing each other: the answer's owner at 30 points
	 * to 32, which points back to 30. */
	wb_query(&w, 1);
	wb_ptr(&w, 32);
	wb_ptr(&w, 30);
	wb_rr_fixed(&w, DNS_T_A, 4);
	wb_u32(&w, 0xc0000201);
	assert_decode_fails(w.b, w.n);
}

/* RFC 1035 §4.1.4: pointers refer to a prior occurrence; a forward one is
 * refused even when what it points to is a good name. */
static void
test_dnsmsg_decode_forward_pointer_fails(void **state)
{
	struct wb w;

	(void)state;
	/* Answer owner at 30 points to the MX exchange at 44. */
	wb_query(&w, 1);
	wb_ptr(&w, 44);
	wb_rr_fixed(&w, DNS_T_MX, 2 + 5);
	wb_u16(&w, 10);
	wb_u8(&w, 3);
	wb_u8(&w, 'm');
	wb_u8(&w, 'x');
	wb_u8(&w, '1');
	wb_u8(&w, 0);
	assert_int_equal(w.n, 44 + 5);
	assert_decode_fails(w.b, w.n);
	/* The same with the owner pointing back to 12 is fine. */
	w.b[31] = 12;
	{
		struct dns_msg *m = msg_new();

		assert_true(decode_exact(w.b, w.n, m));
		assert_string_equal(m->an[0].name, "example.test");
		assert_string_equal(m->an[0].rd.mx.exchange, "mx1");
		assert_ldns_agrees(w.b, w.n, m);
		free(m);
	}
}

static void
test_dnsmsg_decode_pointer_out_of_bounds_fails(void **state)
{
	struct wb w;

	(void)state;
	/* Past the end of the message. */
	wb_query(&w, 1);
	wb_ptr(&w, 0x3fff);
	wb_rr_fixed(&w, DNS_T_A, 4);
	wb_u32(&w, 0xc0000201);
	assert_decode_fails(w.b, w.n);
	/* Into the header, which holds no name, though QDCOUNT's high byte
	 * at offset 4 would read as the root. */
	wb_query(&w, 1);
	wb_ptr(&w, 4);
	wb_rr_fixed(&w, DNS_T_A, 4);
	wb_u32(&w, 0xc0000201);
	assert_decode_fails(w.b, w.n);
	/* A pointer cut after its first byte. */
	wb_header(&w, 0, 1, 0, 0, 0);
	wb_u8(&w, 1);
	wb_u8(&w, 'a');
	wb_u8(&w, 0xc0);
	assert_decode_fails(w.b, w.n);
	/* An MX exchange that leaves its RDATA, though not the message. */
	wb_query(&w, 1);
	wb_ptr(&w, 12);
	wb_rr_fixed(&w, DNS_T_MX, 4);
	wb_u16(&w, 10);
	wb_u8(&w, 3);
	wb_u8(&w, 'm');
	wb_u8(&w, 'x');
	wb_u8(&w, '1');
	wb_u8(&w, 0);
	assert_decode_fails(w.b, w.n);
}

/* RFC 1035 §2.3.4 / §4.1.4: a length byte is 0-63; 01 is an extended
 * label type (RFC 6891 §5) and 10 is reserved. */
static void
test_dnsmsg_decode_label_over_63_fails(void **state)
{
	struct wb w;
	size_t i;

	(void)state;
	wb_header(&w, 0, 1, 0, 0, 0);
	wb_u8(&w, 64);
	for (i = 0; i < 64; i++)
		wb_u8(&w, 'a');
	wb_u8(&w, 0);
	wb_u16(&w, DNS_T_A);
	wb_u16(&w, DNS_CLASS_IN);
	assert_decode_fails(w.b, w.n);
	w.b[12] = 0x80;
	assert_decode_fails(w.b, w.n);
	/* 63 is the longest label. */
	wb_header(&w, 0, 1, 0, 0, 0);
	wb_u8(&w, 63);
	for (i = 0; i < 63; i++)
		wb_u8(&w, 'a');
	wb_u8(&w, 0);
	wb_u16(&w, DNS_T_A);
	wb_u16(&w, DNS_CLASS_IN);
	{
		struct dns_msg *m = msg_new();

		assert_true(decode_exact(w.b, w.n, m));
		assert_int_equal(strlen(m->q[0].name), 63);
		free(m);
	}
}

/* RFC 1035 §2.3.4: "255 octets or less", counted across pointers. */
static void
test_dnsmsg_decode_name_over_255_fails(void **state)
{
	struct dns_msg *m = msg_new();
	struct wb w;
	size_t i, j;

	(void)state;
	/* 3 x 63 + 61: 255 bytes on the wire, accepted. */
	wb_header(&w, 0, 1, 0, 0, 0);
	for (i = 0; i < 4; i++) {
		wb_u8(&w, i < 3 ? 63 : 61);
		for (j = 0; j < (i < 3 ? 63u : 61u); j++)
			wb_u8(&w, 'a');
	}
	wb_u8(&w, 0);
	wb_u16(&w, DNS_T_A);
	wb_u16(&w, DNS_CLASS_IN);
	assert_int_equal(w.n, 12 + 255 + 4);
	assert_true(decode_exact(w.b, w.n, m));
	assert_int_equal(strlen(m->q[0].name), 253);
	assert_ldns_agrees(w.b, w.n, m);
	/* 3 x 63 + 62: 256, refused. */
	wb_header(&w, 0, 1, 0, 0, 0);
	for (i = 0; i < 4; i++) {
		wb_u8(&w, i < 3 ? 63 : 62);
		for (j = 0; j < (i < 3 ? 63u : 62u); j++)
			wb_u8(&w, 'a');
	}
	wb_u8(&w, 0);
	wb_u16(&w, DNS_T_A);
	wb_u16(&w, DNS_CLASS_IN);
	assert_decode_fails(w.b, w.n);
	/* Each part short, the whole too long: QNAME 2 x 63 + 62 (192
	 * bytes), an owner of one 63-byte label (64) and a pointer to it. */
	wb_header(&w, 0x8000, 1, 1, 0, 0);
	for (i = 0; i < 3; i++) {
		wb_u8(&w, i < 2 ? 63 : 62);
		for (j = 0; j < (i < 2 ? 63u : 62u); j++)
			wb_u8(&w, 'a');
	}
	wb_u8(&w, 0);
	wb_u16(&w, DNS_T_A);
	wb_u16(&w, DNS_CLASS_IN);
	wb_u8(&w, 63);
	for (j = 0; j < 63; j++)
		wb_u8(&w, 'b');
	wb_ptr(&w, 12);
	wb_rr_fixed(&w, DNS_T_A, 4);
	wb_u32(&w, 0xc0000201);
	assert_decode_fails(w.b, w.n);
	free(m);
}

/* A QNAME of labels 'sizes' (0-terminated) of 'a', whose last byte is
 * 'last'. */
static void
wb_query_name_sized(struct wb *w, const size_t *sizes, uint8_t last)
{
	size_t i, j;

	wb_header(w, 0, 1, 0, 0, 0);
	for (i = 0; sizes[i] != 0; i++) {
		wb_u8(w, (uint8_t)sizes[i]);
		for (j = 0; j < sizes[i]; j++)
			wb_u8(w, sizes[i + 1] == 0 && j == sizes[i] - 1 ? last
			                                                : 'a');
	}
	wb_u8(w, 0);
	wb_u16(w, DNS_T_A);
	wb_u16(w, DNS_CLASS_IN);
}

/*
 * A name within 255 wire bytes whose presentation form, with its escapes
 * (RFC 1035 §5.1), does not fit DNS_NAME_MAX with the NUL is refused
 * (dnsmsg.c: the struct cannot hold it); one that fits exactly is kept.
 */
static void
test_dnsmsg_decode_long_presentation_fails(void **state)
{
	static const size_t s252[] = {63, 63, 63, 60, 0};
	static const size_t s253[] = {63, 63, 63, 61, 0};
	struct dns_msg *m = msg_new();
	struct wb w;

	(void)state;
	/* 252 characters, the last byte "\001": 255, kept. */
	wb_query_name_sized(&w, s252, 1);
	assert_true(decode_exact(w.b, w.n, m));
	assert_int_equal(strlen(m->q[0].name), DNS_NAME_MAX - 1);
	assert_string_equal(m->q[0].name + 251, "\\001");
	assert_ldns_agrees(w.b, w.n, m);
	/* 253 characters, the last "\001": 256, refused. */
	wb_query_name_sized(&w, s253, 1);
	assert_decode_fails(w.b, w.n);
	/* The same with "\.": 254, kept; two more "\." make 256. */
	wb_query_name_sized(&w, s253, '.');
	assert_true(decode_exact(w.b, w.n, m));
	assert_int_equal(strlen(m->q[0].name), DNS_NAME_MAX - 2);
	w.b[12 + 1] = '.';
	assert_true(decode_exact(w.b, w.n, m));
	assert_int_equal(strlen(m->q[0].name), DNS_NAME_MAX - 1);
	w.b[12 + 2] = '.';
	assert_decode_fails(w.b, w.n);
	/* Three "\." first and a plain last byte: 256, refused. */
	wb_query_name_sized(&w, s253, 'a');
	w.b[12 + 1] = w.b[12 + 2] = w.b[12 + 3] = '.';
	assert_decode_fails(w.b, w.n);
	free(m);
}

/* RFC 1035 §3.4.1: A RDATA is 4 bytes. */
static void
test_dnsmsg_decode_a_rdlength_5_fails(void **state)
{
	struct wb w;

	(void)state;
	wb_query(&w, 1);
	wb_ptr(&w, 12);
	wb_rr_fixed(&w, DNS_T_A, 5);
	wb_u32(&w, 0xc0000201);
	wb_u8(&w, 0);
	assert_decode_fails(w.b, w.n);
	wb_query(&w, 1);
	wb_ptr(&w, 12);
	wb_rr_fixed(&w, DNS_T_A, 3);
	wb_u16(&w, 0xc000);
	wb_u8(&w, 2);
	assert_decode_fails(w.b, w.n);
	/* RFC 3596 §2.2: AAAA is 16. */
	wb_query(&w, 1);
	wb_ptr(&w, 12);
	wb_rr_fixed(&w, DNS_T_AAAA, 4);
	wb_u32(&w, 0x20010db8);
	assert_decode_fails(w.b, w.n);
}

/* RFC 1035 §3.3.9: MX RDATA is PREFERENCE and EXCHANGE, nothing else. */
static void
test_dnsmsg_decode_mx_rdlength_mismatch_fails(void **state)
{
	struct wb w;

	(void)state;
	/* RDLENGTH 9, the RDATA holds 8 and a stray byte. */
	wb_query(&w, 1);
	wb_ptr(&w, 12);
	wb_rr_fixed(&w, DNS_T_MX, 9);
	wb_u16(&w, 10);
	wb_u8(&w, 3);
	wb_u8(&w, 'm');
	wb_u8(&w, 'x');
	wb_u8(&w, '1');
	wb_ptr(&w, 12);
	wb_u8(&w, 0);
	assert_decode_fails(w.b, w.n);
	/* RDLENGTH 2: the preference alone. */
	wb_query(&w, 1);
	wb_ptr(&w, 12);
	wb_rr_fixed(&w, DNS_T_MX, 2);
	wb_u16(&w, 10);
	assert_decode_fails(w.b, w.n);
	/* RDLENGTH 7 cuts the pointer: the name runs out of the RDATA. */
	wb_query(&w, 1);
	wb_ptr(&w, 12);
	wb_rr_fixed(&w, DNS_T_MX, 7);
	wb_u16(&w, 10);
	wb_u8(&w, 3);
	wb_u8(&w, 'm');
	wb_u8(&w, 'x');
	wb_u8(&w, '1');
	wb_ptr(&w, 12);
	assert_decode_fails(w.b, w.n);
	/* RDLENGTH beyond the message. */
	wb_query(&w, 1);
	wb_ptr(&w, 12);
	wb_rr_fixed(&w, DNS_T_MX, 200);
	wb_u16(&w, 10);
	wb_u8(&w, 0);
	assert_decode_fails(w.b, w.n);
	/* RFC 1035 §3.3.1: CNAME RDATA is one name; here a stray byte
	 * follows it. */
	wb_query(&w, 1);
	wb_ptr(&w, 12);
	wb_rr_fixed(&w, DNS_T_CNAME, 3);
	wb_ptr(&w, 12);
	wb_u8(&w, 0);
	assert_decode_fails(w.b, w.n);
	/* RFC 1035 §3.3.13: SOA ends with five 32-bit numbers. */
	wb_query(&w, 1);
	wb_ptr(&w, 12);
	wb_rr_fixed(&w, DNS_T_SOA, 4 + 16);
	wb_ptr(&w, 12);
	wb_ptr(&w, 12);
	wb_u32(&w, 1);
	wb_u32(&w, 2);
	wb_u32(&w, 3);
	wb_u32(&w, 4);
	assert_decode_fails(w.b, w.n);
}

/* RFC 1035 §4.1.1: the counts say how many entries follow; the data must
 * hold them. */
static void
test_dnsmsg_decode_ancount_beyond_data_fails(void **state)
{
	struct dns_msg *m = msg_new();
	uint8_t *out = malloc(WIRE_CAP);
	size_t n;

	(void)state;
	assert_non_null(out);
	m->qr = true;
	set_question(m, "example.test", DNS_T_A);
	add_a(m->an, &m->nan, "example.test", 300, "192.0.2.1");
	n = assert_roundtrip(m, out);
	out[7] = 2; /* ANCOUNT 2, one answer present */
	assert_decode_fails(out, n);
	out[7] = 1;
	out[9] = 1; /* NSCOUNT 1, none present */
	assert_decode_fails(out, n);
	out[9] = 0;
	out[5] = 0; /* QDCOUNT 0: the question is read as an RR
	             * and the rest is short */
	assert_decode_fails(out, n);
	free(out);
	free(m);
}

/* dnsmsg.h: one question at most (RFC 9619: QDCOUNT is 1). */
static void
test_dnsmsg_decode_qdcount_2_fails(void **state)
{
	struct wb w;

	(void)state;
	wb_header(&w, 0, 2, 0, 0, 0);
	wb_name(&w, "example.test");
	wb_u16(&w, DNS_T_MX);
	wb_u16(&w, DNS_CLASS_IN);
	wb_ptr(&w, 12);
	wb_u16(&w, DNS_T_A);
	wb_u16(&w, DNS_CLASS_IN);
	assert_decode_fails(w.b, w.n);
}

/* dnsmsg.h: more than DNS_SECTION_MAX RRs in a section is refused. */
static void
test_dnsmsg_decode_section_over_max_fails(void **state)
{
	struct wb w;
	struct dns_msg *m = msg_new();
	size_t i, nrr, sec;

	(void)state;
	/* ANCOUNT, NSCOUNT, ARCOUNT at offsets 6, 8, 10. */
	for (sec = 0; sec < 3; sec++)
		for (nrr = DNS_SECTION_MAX; nrr <= DNS_SECTION_MAX + 1; nrr++) {
			wb_query(&w, 0);
			w.b[7 + 2 * sec] = (uint8_t)nrr;
			for (i = 0; i < nrr; i++) {
				wb_ptr(&w, 12);
				wb_rr_fixed(&w, DNS_T_A, 4);
				wb_u32(&w, 0xc0000200 | (uint32_t)i);
			}
			assert_int_equal(
			    decode_exact(w.b, w.n, m), nrr == DNS_SECTION_MAX);
		}
	free(m);
}

/* Bytes after the last record, a bad TXT, an OPT out of place. */
static void
test_dnsmsg_decode_malformed_rdata_fails(void **state)
{
	struct wb w;

	(void)state;
	/* A byte after the last record. */
	wb_query(&w, 0);
	wb_u8(&w, 0);
	assert_decode_fails(w.b, w.n);
	/* RFC 1035 §3.3.14: a TXT string running one byte past RDLENGTH
	 * (3 bytes announced, 2 present in the RDATA). */
	wb_query(&w, 1);
	wb_ptr(&w, 12);
	wb_rr_fixed(&w, DNS_T_TXT, 3);
	wb_u8(&w, 3);
	wb_u8(&w, 'a');
	wb_u8(&w, 'b');
	assert_decode_fails(w.b, w.n);
	/* RFC 1035 §3.3.14: TXT holds "one or more" strings. */
	wb_query(&w, 1);
	wb_ptr(&w, 12);
	wb_rr_fixed(&w, DNS_T_TXT, 0);
	assert_decode_fails(w.b, w.n);
	/* RFC 6891 §6.1.1: OPT in the answer section. */
	wb_query(&w, 1);
	wb_u8(&w, 0);
	wb_rr_fixed(&w, DNS_T_OPT, 0);
	assert_decode_fails(w.b, w.n);
	/* Two OPT in the additional section. */
	wb_query(&w, 0);
	w.b[11] = 2;
	wb_u8(&w, 0);
	wb_rr_fixed(&w, DNS_T_OPT, 0);
	wb_u8(&w, 0);
	wb_rr_fixed(&w, DNS_T_OPT, 0);
	assert_decode_fails(w.b, w.n);
	/* RFC 6891 §6.1.2: an option one byte longer than the RDATA. */
	wb_query(&w, 0);
	w.b[11] = 1;
	wb_u8(&w, 0);
	wb_rr_fixed(&w, DNS_T_OPT, 4 + 8);
	wb_u16(&w, 10);
	wb_u16(&w, 9);
	wb_u32(&w, 0x01020304);
	wb_u32(&w, 0x05060708);
	assert_decode_fails(w.b, w.n);
	/* An option cut inside its 4-byte header. */
	wb_query(&w, 0);
	w.b[11] = 1;
	wb_u8(&w, 0);
	wb_rr_fixed(&w, DNS_T_OPT, 2);
	wb_u16(&w, 10);
	assert_decode_fails(w.b, w.n);
	/* Unknown RDATA longer than DNS_TXT_MAX. */
	wb_query(&w, 1);
	wb_ptr(&w, 12);
	wb_rr_fixed(&w, 65280, DNS_TXT_MAX + 1);
	while (w.n < 12 + 18 + 12 + DNS_TXT_MAX + 1)
		wb_u8(&w, 0);
	assert_decode_fails(w.b, w.n);
}

/* Random damage to a valid response (a fixed-seed xorshift, so the run is
 * the same each time): the decoder never reads out of bounds (ASan), and
 * whatever it accepts encodes again to a message that decodes to the
 * same names ignoring case (compression may change the case). */
static void
test_dnsmsg_decode_mutations_safe(void **state)
{
	struct dns_msg *m = msg_new();
	struct dns_msg *d = msg_new();
	struct dns_msg *d2 = msg_new();
	uint8_t *good = malloc(WIRE_CAP);
	uint8_t *bad = malloc(WIRE_CAP);
	uint8_t *again = malloc(WIRE_CAP);
	uint64_t x = 0x9e3779b97f4a7c15u;
	size_t n, n2, len, i, k, accepted = 0;

	(void)state;
	assert_non_null(good);
	assert_non_null(bad);
	assert_non_null(again);
	build_full_response(m);
	n = assert_roundtrip(m, good);
	for (i = 0; i < 20000; i++) {
		memcpy(bad, good, n);
		len = n;
		for (k = 0; k < 1 + i % 4; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			bad[(x >> 8) % n] = (uint8_t)(x >> 32);
		}
		if (i % 5 == 0)
			len = (size_t)(x >> 40) % n;
		if (!decode_exact(bad, len, d))
			continue;
		accepted++;
		n2 = dns_msg_encode(d, again, WIRE_CAP);
		assert_true(n2 > 0);
		assert_true(decode_exact(again, n2, d2));
		assert_msg_eq(d, d2, true);
	}
	assert_true(accepted > 0);
	free(again);
	free(bad);
	free(good);
	free(d2);
	free(d);
	free(m);
}

/* --- from ldns ----------------------------------------------------------- */

/* Encodes an ldns packet, decodes it with ours and checks ldns agrees. */
static size_t
decode_from_ldns(const ldns_pkt *pkt, struct dns_msg *m)
{
	uint8_t *wire = NULL;
	size_t n = 0;

	assert_int_equal(ldns_pkt2wire(&wire, pkt, &n), LDNS_STATUS_OK);
	assert_true(decode_exact(wire, n, m));
	assert_ldns_agrees(wire, n, m);
	free(wire);
	return n;
}

static ldns_rr *
ldns_rr_from(const char *text)
{
	ldns_rr *rr = NULL;

	assert_int_equal(
	    ldns_rr_new_frm_str(&rr, text, 0, NULL, NULL), LDNS_STATUS_OK);
	return rr;
}

/* A query as ldns writes it (RFC 1035 §4.1.1 RD set). */
static void
test_dnsmsg_ldns_query_decodes_same(void **state)
{
	struct dns_msg *m = msg_new();
	ldns_pkt *pkt;

	(void)state;
	pkt = ldns_pkt_query_new(ldns_dname_new_frm_str("example.test."),
	    LDNS_RR_TYPE_MX, LDNS_RR_CLASS_IN, LDNS_RD);
	assert_non_null(pkt);
	ldns_pkt_set_id(pkt, 0x4242);
	assert_int_equal(decode_from_ldns(pkt, m), 12 + 14 + 4);
	assert_int_equal(m->id, 0x4242);
	assert_false(m->qr);
	assert_true(m->rd);
	assert_int_equal(m->nq, 1);
	assert_string_equal(m->q[0].name, "example.test");
	assert_int_equal(m->q[0].qtype, DNS_T_MX);
	assert_int_equal(m->q[0].qclass, DNS_CLASS_IN);
	assert_int_equal(m->nan + m->nns + m->nar, 0);
	ldns_pkt_free(pkt);
	free(m);
}

/* A response as ldns writes it, compressed its own way, with EDNS. */
static void
test_dnsmsg_ldns_response_decodes_same(void **state)
{
	static const char *const an[] = {
	    "example.test. 3600 IN MX 10 mx1.example.test.",
	    "example.test. 3600 IN MX 20 mx2.example.test.",
	    "null.example.test. 3600 IN MX 0 .",
	    "www.example.test. 300 IN CNAME web.example.test.",
	    "web.example.test. 300 IN A 192.0.2.10",
	    "web.example.test. 300 IN AAAA 2001:db8::10",
	    "example.test. 300 IN TXT \"v=spf1 mx -all\" \"two\"",
	    "10.2.0.192.rev.example.test. 300 IN PTR web.example.test.",
	    "example.test. 300 IN TYPE65280 \\# 3 abcdef",
	};
	static const char *const ns[] = {
	    "example.test. 3600 IN NS ns1.example.test.",
	    "example.test. 3600 IN SOA ns1.example.test. "
	    "hostmaster.example.test. 1 3600 600 86400 300",
	};
	struct dns_msg *m = msg_new();
	struct dns_msg *want = msg_new();
	ldns_pkt *pkt = ldns_pkt_new();
	ldns_rr *q;
	char buf[256];
	size_t i;

	(void)state;
	assert_non_null(pkt);
	ldns_pkt_set_id(pkt, 0xbeef);
	ldns_pkt_set_qr(pkt, true);
	ldns_pkt_set_aa(pkt, true);
	ldns_pkt_set_rcode(pkt, LDNS_RCODE_NOERROR);
	assert_int_equal(
	    ldns_rr_new_question_frm_str(&q, "example.test. IN MX", NULL, NULL),
	    LDNS_STATUS_OK);
	ldns_pkt_push_rr(pkt, LDNS_SECTION_QUESTION, q);
	for (i = 0; i < sizeof(an) / sizeof(an[0]); i++)
		ldns_pkt_push_rr(pkt, LDNS_SECTION_ANSWER, ldns_rr_from(an[i]));
	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		ldns_pkt_push_rr(
		    pkt, LDNS_SECTION_AUTHORITY, ldns_rr_from(ns[i]));
	ldns_pkt_push_rr(pkt, LDNS_SECTION_ADDITIONAL,
	    ldns_rr_from("mx1.example.test. 300 IN A 198.51.100.25"));
	ldns_pkt_set_edns_udp_size(pkt, 1232);
	ldns_pkt_set_edns_do(pkt, true);
	decode_from_ldns(pkt, m);

	/* The same content built by hand. */
	want->id = 0xbeef;
	want->qr = true;
	want->aa = true;
	set_question(want, "example.test", DNS_T_MX);
	add_mx(
	    want->an, &want->nan, "example.test", 3600, 10, "mx1.example.test");
	add_mx(
	    want->an, &want->nan, "example.test", 3600, 20, "mx2.example.test");
	add_mx(want->an, &want->nan, "null.example.test", 3600, 0, "");
	add_target(want->an, &want->nan, "www.example.test", DNS_T_CNAME, 300,
	    "web.example.test");
	add_a(want->an, &want->nan, "web.example.test", 300, "192.0.2.10");
	add_aaaa(want->an, &want->nan, "web.example.test", 300, "2001:db8::10");
	add_txt(
	    want->an, &want->nan, "example.test", 300, "v=spf1 mx -all", "two");
	add_target(want->an, &want->nan, "10.2.0.192.rev.example.test",
	    DNS_T_PTR, 300, "web.example.test");
	{
		struct dns_rr *rr =
		    rr_add(want->an, &want->nan, "example.test", 65280, 300);

		rr->rd.raw.len = 3;
		memcpy(rr->rd.raw.data, "\xab\xcd\xef", 3);
	}
	add_target(want->ns, &want->nns, "example.test", DNS_T_NS, 3600,
	    "ns1.example.test");
	add_soa(want->ns, &want->nns, "example.test", 3600);
	add_a(want->ar, &want->nar, "mx1.example.test", 300, "198.51.100.25");
	/* RFC 6891 §6.1.3: DO is bit 15 of the TTL's low half. */
	add_opt(want, 1232, 0x00008000, NULL, 0);
	assert_msg_eq(want, m, false);
	assert_string_equal(dns_rr_str(&m->ar[1], buf, sizeof(buf)),
	    "udp=1232 ext-rcode=0 version=0 do=1");
	ldns_pkt_free(pkt);
	free(want);
	free(m);
}

/* RFC 2308 §2.1: an NXDOMAIN carries the SOA in the authority section. */
static void
test_dnsmsg_ldns_nxdomain_decodes_same(void **state)
{
	struct dns_msg *m = msg_new();
	uint8_t *out = malloc(WIRE_CAP);
	ldns_pkt *pkt;

	(void)state;
	assert_non_null(out);
	pkt = ldns_pkt_query_new(ldns_dname_new_frm_str("nope.example.test."),
	    LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, LDNS_RD | LDNS_QR | LDNS_AA);
	assert_non_null(pkt);
	ldns_pkt_set_rcode(pkt, LDNS_RCODE_NXDOMAIN);
	ldns_pkt_push_rr(pkt, LDNS_SECTION_AUTHORITY,
	    ldns_rr_from("example.test. 300 IN SOA ns1.example.test. "
	                 "hostmaster.example.test. 1 3600 600 86400 300"));
	decode_from_ldns(pkt, m);
	assert_true(m->qr);
	assert_true(m->aa);
	assert_int_equal(m->rcode, DNS_R_NXDOMAIN);
	assert_int_equal(m->nns, 1);
	assert_int_equal(m->ns[0].type, DNS_T_SOA);
	assert_int_equal(m->ns[0].rd.soa.minimum, 300);
	/* And ours re-encoded is still what ldns wrote, to ldns. */
	assert_roundtrip(m, out);
	ldns_pkt_free(pkt);
	free(out);
	free(m);
}

/* --- names and strings --------------------------------------------------- */

/* RFC 4343 §3: ASCII case is ignored, escapes are compared as the bytes
 * they stand for. */
static void
test_dnsmsg_name_eq_ignores_case(void **state)
{
	(void)state;
	assert_true(dns_name_eq("MX1.Example.TEST", "mx1.example.test"));
	assert_true(dns_name_eq("", ""));
	assert_true(dns_name_eq("\\065.example.test", "a.example.test"));
	assert_true(dns_name_eq("a\\.b.example.test", "A\\046B.example.test"));
	assert_false(dns_name_eq("a.b.example.test", "a\\.b.example.test"));
	assert_false(dns_name_eq("mx1.example.test", "mx2.example.test"));
	assert_false(dns_name_eq("example.test", ""));
	assert_false(dns_name_eq("example.test", "example.tes"));
	/* Case folding is ASCII only (RFC 4343 §3): 0xc9 is not 0xe9. */
	assert_false(dns_name_eq("\\201.example.test", "\\233.example.test"));
}

/* RFC 1034 §3.1: a name is below a zone when the zone's labels end it. */
static void
test_dnsmsg_name_under_matches_label_boundary(void **state)
{
	(void)state;
	assert_true(dns_name_under("mx1.example.test", "example.test"));
	assert_true(dns_name_under("example.test", "example.test"));
	assert_true(dns_name_under("A.B.EXAMPLE.test", "b.example.TEST"));
	assert_true(dns_name_under("example.test", ""));
	assert_true(dns_name_under("", ""));
	assert_false(dns_name_under("badexample.test", "example.test"));
	assert_false(dns_name_under("example.test", "mx1.example.test"));
	assert_false(dns_name_under("", "test"));
	assert_false(dns_name_under("a\\.example.test", "example.test"));
	assert_true(dns_name_under("x.a\\.example.test", "a\\.example.test"));
}

/* RFC 1035 §2.3.4 limits; the root is "". */
static void
test_dnsmsg_name_valid_limits(void **state)
{
	char name[400];
	size_t i;

	(void)state;
	assert_true(dns_name_valid(""));
	assert_true(dns_name_valid("example.test"));
	assert_true(dns_name_valid("_dmarc.example.test"));
	assert_true(dns_name_valid("\\000.example.test"));
	assert_false(dns_name_valid("."));
	assert_false(dns_name_valid("example.test."));
	assert_false(dns_name_valid("a..test"));
	assert_false(dns_name_valid("\\999.test"));
	memset(name, 'a', 63);
	name[63] = '\0';
	assert_true(dns_name_valid(name));
	name[63] = 'a';
	name[64] = '\0';
	assert_false(dns_name_valid(name));
	/* 4 x 63 + 3 dots: 257 bytes on the wire. */
	memset(name, 'a', 255);
	name[63] = name[127] = name[191] = '.';
	name[255] = '\0';
	assert_false(dns_name_valid(name));
	name[253] = '\0';
	assert_true(dns_name_valid(name));
	/* A short name on the wire may take more text than a field holds:
	 * 5 labels of 13 escaped bytes are 71 wire bytes, 264 characters. */
	memset(name, 0, sizeof(name));
	for (i = 0; i < 5 * 13; i++)
		memcpy(name + 4 * i + i / 13, "\\000", 4);
	for (i = 1; i < 5; i++)
		name[4 * 13 * i + i - 1] = '.';
	assert_int_equal(strlen(name), 264);
	assert_false(dns_name_valid(name));
	name[4 * 13 * 3 + 2] = '\0'; /* 3 labels: 158 characters */
	assert_true(dns_name_valid(name));
	/* DNS_NAME_MAX - 1 characters fit a field, one more does not: 4
	 * labels of 15 "\000" (243 characters, 65 wire bytes), then "."
	 * and 11 or 12 letters. */
	memset(name, 0, sizeof(name));
	for (i = 0; i < 4 * 15; i++)
		memcpy(name + 4 * i + i / 15, "\\000", 4);
	for (i = 1; i < 4; i++)
		name[4 * 15 * i + i - 1] = '.';
	memcpy(name + 243, ".aaaaaaaaaaa", 12);
	assert_int_equal(strlen(name), DNS_NAME_MAX - 1);
	assert_true(dns_name_valid(name));
	name[255] = 'a';
	assert_false(dns_name_valid(name));
}

/* RFC 1035 §3.2.2, RFC 3596 §2.1, RFC 6891 §6.1.1; RFC 3597 §5 for the
 * "TYPEnnn" form. */
static void
test_dnsmsg_type_names_roundtrip(void **state)
{
	static const struct {
		uint16_t type;
		const char *name;
	} t[] = {
	    {1, "A"},
	    {2, "NS"},
	    {5, "CNAME"},
	    {6, "SOA"},
	    {12, "PTR"},
	    {15, "MX"},
	    {16, "TXT"},
	    {28, "AAAA"},
	    {41, "OPT"},
	    {255, "ANY"},
	    {99, "TYPE99"},
	    {0, "TYPE0"},
	    {65535, "TYPE65535"},
	};
	char buf[DNS_TYPE_STRLEN];
	uint16_t v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_string_equal(
		    dns_type_name(t[i].type, buf, sizeof(buf)), t[i].name);
		assert_true(dns_type_parse(t[i].name, &v));
		assert_int_equal(v, t[i].type);
	}
	assert_true(dns_type_parse("mx", &v));
	assert_int_equal(v, DNS_T_MX);
	assert_true(dns_type_parse("TYPE15", &v));
	assert_int_equal(v, DNS_T_MX);
	assert_false(dns_type_parse("TYPE", &v));
	assert_false(dns_type_parse("TYPE65536", &v));
	assert_false(dns_type_parse("TYPE1x", &v));
	assert_false(dns_type_parse("MXX", &v));
	assert_false(dns_type_parse("", &v));
}

/* RFC 1035 §4.1.1 names 0-5; the rest are "RCODEn". */
static void
test_dnsmsg_rcode_names(void **state)
{
	(void)state;
	assert_string_equal(dns_rcode_name(DNS_R_NOERROR), "NOERROR");
	assert_string_equal(dns_rcode_name(DNS_R_FORMERR), "FORMERR");
	assert_string_equal(dns_rcode_name(DNS_R_SERVFAIL), "SERVFAIL");
	assert_string_equal(dns_rcode_name(DNS_R_NXDOMAIN), "NXDOMAIN");
	assert_string_equal(dns_rcode_name(DNS_R_NOTIMP), "NOTIMP");
	assert_string_equal(dns_rcode_name(DNS_R_REFUSED), "REFUSED");
	assert_string_equal(dns_rcode_name(6), "RCODE6");
	assert_string_equal(dns_rcode_name(15), "RCODE15");
	assert_string_equal(dns_rcode_name(99), "RCODE99");
	assert_string_equal(dns_rcode_name(100), "RCODE100");
	assert_string_equal(dns_rcode_name(249), "RCODE249");
	assert_string_equal(dns_rcode_name(255), "RCODE255");
}

/* Master-file presentation (RFC 1035 §5.1, RFC 5952 for IPv6, RFC 3597
 * §5 for unknown types). */
static void
test_dnsmsg_rr_str_presentation(void **state)
{
	struct dns_msg *m = msg_new();
	char buf[256], tiny[8];
	struct dns_rr *rr;

	(void)state;
	build_full_response(m);
	assert_string_equal(
	    dns_rr_str(&m->an[0], buf, sizeof(buf)), "10 mx1.example.test.");
	assert_string_equal(dns_rr_str(&m->an[2], buf, sizeof(buf)), "0 .");
	assert_string_equal(
	    dns_rr_str(&m->an[3], buf, sizeof(buf)), "web.example.test.");
	assert_string_equal(
	    dns_rr_str(&m->an[4], buf, sizeof(buf)), "192.0.2.10");
	assert_string_equal(
	    dns_rr_str(&m->an[5], buf, sizeof(buf)), "2001:db8::10");
	assert_string_equal(dns_rr_str(&m->an[6], buf, sizeof(buf)),
	    "\"v=spf1 mx -all\" \"say \\\"hi\\\"\"");
	assert_string_equal(dns_rr_str(&m->ns[1], buf, sizeof(buf)),
	    "ns1.example.test. hostmaster.example.test. 1 3600 600 86400 "
	    "300");
	assert_string_equal(dns_rr_str(&m->ar[2], buf, sizeof(buf)),
	    "udp=1232 ext-rcode=0 version=0 do=1 "
	    "\\# 12 000a00080102030405060708");
	rr = rr_add(m->an, &m->nan, "example.test", 65280, 0);
	assert_string_equal(dns_rr_str(rr, buf, sizeof(buf)), "\\# 0");
	add_txt(m->an, &m->nan, "example.test", 0, "\x01\\", "");
	assert_string_equal(dns_rr_str(&m->an[m->nan - 1], buf, sizeof(buf)),
	    "\"\\001\\\\\" \"\"");
	/* Truncated to the buffer, always terminated. */
	assert_string_equal(
	    dns_rr_str(&m->an[0], tiny, sizeof(tiny)), "10 mx1.");
	free(m);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dnsmsg_query_roundtrip_equal),
	    cmocka_unit_test(test_dnsmsg_response_roundtrip_equal),
	    cmocka_unit_test(test_dnsmsg_header_fields_roundtrip_equal),
	    cmocka_unit_test(test_dnsmsg_null_mx_one_zero_byte),
	    cmocka_unit_test(test_dnsmsg_escaped_labels_roundtrip_equal),
	    cmocka_unit_test(test_dnsmsg_known_message_exact_bytes),
	    cmocka_unit_test(test_dnsmsg_many_mx_compressed_backwards),
	    cmocka_unit_test(test_dnsmsg_mixed_case_compressed_first_case_kept),
	    cmocka_unit_test(test_dnsmsg_unknown_type_raw_uncompressed),
	    cmocka_unit_test(test_dnsmsg_encode_small_buffer_fails),
	    cmocka_unit_test(test_dnsmsg_encode_bad_names_fail),
	    cmocka_unit_test(test_dnsmsg_encode_bad_message_fails),
	    cmocka_unit_test(test_dnsmsg_decode_short_header_fails),
	    cmocka_unit_test(test_dnsmsg_decode_truncated_name_fails),
	    cmocka_unit_test(test_dnsmsg_decode_every_prefix_fails),
	    cmocka_unit_test(test_dnsmsg_decode_pointer_loop_fails),
	    cmocka_unit_test(test_dnsmsg_decode_forward_pointer_fails),
	    cmocka_unit_test(test_dnsmsg_decode_pointer_out_of_bounds_fails),
	    cmocka_unit_test(test_dnsmsg_decode_label_over_63_fails),
	    cmocka_unit_test(test_dnsmsg_decode_name_over_255_fails),
	    cmocka_unit_test(test_dnsmsg_decode_long_presentation_fails),
	    cmocka_unit_test(test_dnsmsg_decode_a_rdlength_5_fails),
	    cmocka_unit_test(test_dnsmsg_decode_mx_rdlength_mismatch_fails),
	    cmocka_unit_test(test_dnsmsg_decode_ancount_beyond_data_fails),
	    cmocka_unit_test(test_dnsmsg_decode_qdcount_2_fails),
	    cmocka_unit_test(test_dnsmsg_decode_section_over_max_fails),
	    cmocka_unit_test(test_dnsmsg_decode_malformed_rdata_fails),
	    cmocka_unit_test(test_dnsmsg_decode_mutations_safe),
	    cmocka_unit_test(test_dnsmsg_ldns_query_decodes_same),
	    cmocka_unit_test(test_dnsmsg_ldns_response_decodes_same),
	    cmocka_unit_test(test_dnsmsg_ldns_nxdomain_decodes_same),
	    cmocka_unit_test(test_dnsmsg_name_eq_ignores_case),
	    cmocka_unit_test(test_dnsmsg_name_under_matches_label_boundary),
	    cmocka_unit_test(test_dnsmsg_name_valid_limits),
	    cmocka_unit_test(test_dnsmsg_type_names_roundtrip),
	    cmocka_unit_test(test_dnsmsg_rcode_names),
	    cmocka_unit_test(test_dnsmsg_rr_str_presentation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

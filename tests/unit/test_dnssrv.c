/*
 * test_dnssrv.c - the DNS server (sim/dns/dnssrv.c): authoritative answers,
 * sizes and truncation, DNS over TCP, outages, and the recursive front end,
 * checked on the bytes a client receives.
 *
 * The lab: a client "cli" (198.51.100.7) and four servers, each joined to
 * the router r1 by a link of 1 ms one way (host to host: 2 ms one way,
 * RTT 4 ms):
 *  - ns1 (192.0.2.53), authoritative for example.test and short.test, not
 *    recursive;
 *  - root (203.0.113.1) serving the root zone, tld (203.0.113.2) serving
 *    test, both authoritative only;
 *  - rec (198.51.100.53), the recursive resolver (dnssrv over a recursor
 *    whose root hint is 'root'), serving no zone.
 * The client writes queries as bytes (built with the codec, then checked
 * field by field where it matters) and reads the answers' bytes.
 *
 * Sources, cited at each test: RFC 1035 §4.1.1 (header: ID echoed, QR,
 * AA, TC, RD copied, RA, RCODE 1 FORMERR, 4 NOTIMP, 5 REFUSED), §4.2.1
 * (512 bytes over UDP), §4.2.2 (TCP: two-byte length); RFC 1034 §4.3.2
 * (lookup: answers, CNAME chains, referrals with glue, no AA below a cut);
 * RFC 2308 §2.1, §2.2, §3 (NXDOMAIN and NODATA with the SOA in authority,
 * its TTL min(SOA TTL, MINIMUM)); RFC 2181 §9 (TC only when the answer
 * itself does not fit: the additional section goes first) and §8 (TTLs);
 * RFC 6891 §6.1.1, §6.2.3, §6.2.5 (OPT echoed; the requestor's payload size,
 * values under 512 taken as 512) with BIND's max-udp-size and Unbound's
 * max-udp-size (1232 since the DNS flag day 2020) as the server's own
 * ceiling; RFC 7766 §6.2.1 (several queries on one connection), §8 (the
 * length and the message in one write); RFC 1035 §3.2.1 and RFC 2181 §8
 * (a cached answer's TTL counts down; Unbound and BIND decrement it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sim.h"
#include "dns/dnssrv.h"
#include "dns/recursor.h"
#include "dns/zone.h"
#include "fault/fault.h"
#include "net/net.h"
#include "net/tcp.h"
#include "net/udp.h"

#define L   SIM_MS(1) /* one link, one way */
#define RTT (4 * L)   /* host to host through r1 and back */

#define NBIG  40 /* A records of big.example.test: 674 bytes */
#define NHUGE 45 /* AAAA records of huge.example.test: 1295 bytes */
#define NMXS  10 /* MX records of mxs.example.test */

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* One message the client received. */
struct reply {
	sim_time_t t;    /* when */
	bool tcp;        /* over TCP (else UDP) */
	size_t len;      /* bytes of the DNS message */
	uint8_t b[4096]; /* the DNS message (no TCP length prefix) */
	uint16_t sport;  /* UDP: source port */
	uint8_t src[4];  /* UDP: source address */
};

enum { H_NS1, H_ROOT, H_TLD, H_REC, NSRV };

struct lab {
	struct sim sim;
	struct net net;
	struct net_host *cli, *r1, *h[NSRV]; /* borrowed from 'net' */
	struct net_addr cli_a, a[NSRV];      /* addresses */
	struct zone example, shortz, root, tld;
	struct zone *ns1_zones[2], *root_zones[1], *tld_zones[1];
	struct dnssrv *srv[NSRV]; /* owned servers */
	struct recursor *rec;     /* owned */
	uint16_t port;            /* the client's UDP port */
	struct reply *rep;        /* owned replies */
	size_t nrep, caprep;
	/* TCP client */
	struct tcp_conn *tc;  /* borrowed connection */
	bool connected;       /* handshake done */
	uint8_t tin[16384];   /* bytes received */
	size_t ntin;          /* their number */
	size_t tparsed;       /* bytes already cut into replies */
	const uint8_t *tsend; /* send this when connected */
	size_t ntsend;        /* its length */
	int accepts;          /* SYN-ACKs seen by the client side */
	struct dns_msg *m;    /* owned scratch for decoding */
};

static struct reply *
rep_add(struct lab *lab)
{
	if (lab->nrep == lab->caprep) {
		lab->caprep = lab->caprep ? lab->caprep * 2 : 16;
		lab->rep = realloc(lab->rep, lab->caprep * sizeof(*lab->rep));
		assert_non_null(lab->rep);
	}
	memset(&lab->rep[lab->nrep], 0, sizeof(lab->rep[0]));
	return &lab->rep[lab->nrep++];
}

static void
cli_udp(void *ctx, struct net_host *h, const struct udp_from *from,
    const uint8_t *data, size_t len)
{
	struct lab *lab = ctx;
	struct reply *r = rep_add(lab);

	(void)h;
	assert_true(len <= sizeof(r->b));
	r->t = sim_now(&lab->sim);
	r->len = len;
	memcpy(r->b, data, len);
	r->sport = from->sport;
	memcpy(r->src, from->src.b, 4);
}

static void
cli_connected(void *ctx, struct tcp_conn *c)
{
	struct lab *lab = ctx;

	lab->connected = true;
	if (lab->tsend != NULL)
		tcp_send(c, lab->tsend, lab->ntsend);
}

/* Cuts the bytes received over TCP into messages: a two-byte length,
 * then the message (RFC 1035 §4.2.2). */
static void
cli_tcp_data(void *ctx, struct tcp_conn *c, const uint8_t *p, size_t n)
{
	struct lab *lab = ctx;

	(void)c;
	assert_true(lab->ntin + n <= sizeof(lab->tin));
	memcpy(lab->tin + lab->ntin, p, n);
	lab->ntin += n;
	while (lab->ntin - lab->tparsed >= 2) {
		size_t mlen = be16(lab->tin + lab->tparsed);
		struct reply *r;

		if (lab->ntin - lab->tparsed < 2 + mlen)
			break;
		r = rep_add(lab);
		r->t = sim_now(&lab->sim);
		r->tcp = true;
		r->len = mlen;
		memcpy(r->b, lab->tin + lab->tparsed + 2, mlen);
		lab->tparsed += 2 + mlen;
	}
}

static void
cli_tcp_eof(void *ctx, struct tcp_conn *c)
{
	(void)ctx;
	tcp_close(c);
}

static void
cli_tcp_closed(void *ctx, struct tcp_conn *c, enum tcp_end why, int code)
{
	struct lab *lab = ctx;

	(void)c;
	(void)why;
	(void)code;
	lab->tc = NULL;
}

static const struct tcp_cb cli_tcp_cb = {
    cli_connected, cli_tcp_data, cli_tcp_eof, cli_tcp_closed};

/* --- zones
 * -------------------------------------------------------------------- */

static void
row(struct zone *z, uint32_t ttl, const char *owner, const char *type, size_t n,
    ...)
{
	const char *rd[8];
	struct mx_err err;
	va_list ap;
	size_t i;

	va_start(ap, n);
	for (i = 0; i < n; i++)
		rd[i] = va_arg(ap, const char *);
	va_end(ap);
	mx_err_clear(&err);
	if (zone_add_text(z, owner, type, rd, n, ttl, &err) != 0)
		fail_msg("%s %s: %s", owner, type, err.msg);
}

static void
finish(struct zone *z)
{
	struct mx_err err;

	mx_err_clear(&err);
	if (zone_finish(z, &err) != 0)
		fail_msg("zone %s: %s", z->origin, err.msg);
}

static void
zones(struct lab *lab)
{
	struct zone *z = &lab->example;
	char owner[32], a[32], b[32];
	int i;

	zone_init(z, "example.test", 3600);
	/* SOA TTL 3600, MINIMUM 300: negative TTL 300 (RFC 2308 §5). */
	row(z, 3600, "@", "SOA", 7, "ns1", "hostmaster", "2024010101", "3600",
	    "600", "604800", "300");
	row(z, 3600, "@", "NS", 1, "ns1");
	row(z, 3600, "@", "MX", 2, "10", "mx1");
	row(z, 3600, "ns1", "A", 1, "192.0.2.53");
	row(z, 3600, "mx1", "A", 1, "192.0.2.10");
	row(z, 3600, "www", "CNAME", 1, "alias2");
	row(z, 3600, "alias2", "CNAME", 1, "mx1");
	/* A delegation: one server inside the child (glue), one outside. */
	row(z, 86400, "sub", "NS", 1, "ns.sub");
	row(z, 86400, "sub", "NS", 1, "ns.other.test.");
	row(z, 86400, "ns.sub", "A", 1, "192.0.2.77");
	for (i = 0; i < NBIG; i++) {
		snprintf(a, sizeof(a), "192.0.2.%d", 100 + i);
		row(z, 3600, "big", "A", 1, a);
	}
	for (i = 0; i < NHUGE; i++) {
		snprintf(a, sizeof(a), "2001:db8:1::%d", 100 + i);
		row(z, 3600, "huge", "AAAA", 1, a);
	}
	for (i = 0; i < NMXS; i++) {
		snprintf(owner, sizeof(owner), "mxh%d", i);
		snprintf(b, sizeof(b), "%d", 10 + i);
		row(z, 3600, "mxs", "MX", 2, b, owner);
		snprintf(a, sizeof(a), "203.0.113.%d", 10 + i);
		row(z, 3600, owner, "A", 1, a);
		snprintf(a, sizeof(a), "2001:db8::%d", 10 + i);
		row(z, 3600, owner, "AAAA", 1, a);
	}
	finish(z);

	/* SOA TTL 60 under MINIMUM 300: negative TTL 60. */
	z = &lab->shortz;
	zone_init(z, "short.test", 60);
	row(z, 60, "@", "SOA", 7, "ns1.example.test.", "hostmaster", "1",
	    "3600", "600", "604800", "300");
	row(z, 60, "@", "NS", 1, "ns1.example.test.");
	row(z, 60, "www", "A", 1, "192.0.2.60");
	finish(z);

	z = &lab->root;
	zone_init(z, ".", 86400);
	row(z, 86400, "test.", "NS", 1, "ns.test.");
	row(z, 86400, "ns.test.", "A", 1, "203.0.113.2");
	finish(z);

	z = &lab->tld;
	zone_init(z, "test", 86400);
	row(z, 86400, "@", "NS", 1, "ns");
	row(z, 86400, "ns", "A", 1, "203.0.113.2");
	row(z, 86400, "example", "NS", 1, "ns1.example");
	row(z, 86400, "ns1.example", "A", 1, "192.0.2.53");
	row(z, 86400, "short", "NS", 1, "ns1.example");
	finish(z);
}

/* --- the lab
 * ---------------------------------------------------------------------- */

static struct net_addr
addr(const char *s)
{
	struct net_addr a;

	assert_true(net_addr_parse(s, &a));
	return a;
}

static void
trace_sink(void *ctx, const struct trace_rec *rec)
{
	(void)ctx;
	(void)rec;
}

static struct lab *
lab_new(void)
{
	static const struct net_link_params link = {L, 0, 0, 0};
	static const char *const names[NSRV] = {"ns1", "root", "tld", "rec"};
	static const char *const addrs[NSRV] = {
	    "192.0.2.53", "203.0.113.1", "203.0.113.2", "198.51.100.53"};
	struct lab *lab = calloc(1, sizeof(*lab));
	struct recursor_params rp;
	int i;

	assert_non_null(lab);
	lab->m = calloc(1, sizeof(*lab->m));
	assert_non_null(lab->m);
	sim_init(&lab->sim, 3);
	assert_int_equal(
	    trace_subscribe(sim_trace(&lab->sim), trace_sink, NULL), 0);
	net_init(&lab->net, &lab->sim);
	lab->cli = net_host_add(&lab->net, "cli");
	lab->r1 = net_router_add(&lab->net, "r1");
	lab->cli_a = addr("198.51.100.7");
	assert_int_equal(net_host_addr_add(lab->cli, &lab->cli_a), 0);
	assert_non_null(net_link_add(&lab->net, lab->cli, lab->r1, &link));
	for (i = 0; i < NSRV; i++) {
		lab->h[i] = net_host_add(&lab->net, names[i]);
		lab->a[i] = addr(addrs[i]);
		assert_int_equal(net_host_addr_add(lab->h[i], &lab->a[i]), 0);
		assert_non_null(
		    net_link_add(&lab->net, lab->h[i], lab->r1, &link));
	}
	assert_int_equal(net_finalize(&lab->net), 0);
	zones(lab);
	lab->ns1_zones[0] = &lab->example;
	lab->ns1_zones[1] = &lab->shortz;
	lab->root_zones[0] = &lab->root;
	lab->tld_zones[0] = &lab->tld;
	lab->srv[H_NS1] = dnssrv_new(lab->h[H_NS1], lab->ns1_zones, 2, NULL);
	lab->srv[H_ROOT] = dnssrv_new(lab->h[H_ROOT], lab->root_zones, 1, NULL);
	lab->srv[H_TLD] = dnssrv_new(lab->h[H_TLD], lab->tld_zones, 1, NULL);
	recursor_params_default(&rp);
	rp.roots[0] = lab->a[H_ROOT];
	rp.nroots = 1;
	lab->rec = recursor_new(lab->h[H_REC], &rp);
	lab->srv[H_REC] = dnssrv_new(lab->h[H_REC], NULL, 0, lab->rec);
	for (i = 0; i < NSRV; i++)
		assert_non_null(lab->srv[i]);
	/* Port 53 is taken now. */
	assert_null(dnssrv_new(lab->h[H_NS1], lab->ns1_zones, 2, NULL));
	lab->port = udp_bind(lab->cli, 0, cli_udp, NULL, lab);
	assert_int_not_equal(lab->port, 0);
	return lab;
}

static void
lab_free(struct lab *lab)
{
	int i;

	sim_fini(&lab->sim);
	/* The recursion engine goes first (dnssrv.h). */
	recursor_free(lab->rec);
	for (i = 0; i < NSRV; i++)
		dnssrv_free(lab->srv[i]);
	net_fini(&lab->net);
	zone_fini(&lab->example);
	zone_fini(&lab->shortz);
	zone_fini(&lab->root);
	zone_fini(&lab->tld);
	free(lab->rep);
	free(lab->m);
	free(lab);
}

/* A query as bytes: 'id', RD as given, one question, and an OPT record
 * advertising 'edns' bytes when 'edns' is not 0. */
static size_t
qbytes(uint16_t id, const char *name, uint16_t type, bool rd, uint16_t edns,
    uint8_t *out, size_t cap)
{
	struct dns_msg *m = calloc(1, sizeof(*m));
	size_t n;

	assert_non_null(m);
	dns_msg_init(m);
	m->id = id;
	m->rd = rd;
	m->nq = 1;
	snprintf(m->q[0].name, DNS_NAME_MAX, "%s", name);
	m->q[0].qtype = type;
	m->q[0].qclass = DNS_CLASS_IN;
	if (edns != 0) {
		m->ar[0].type = DNS_T_OPT;
		m->ar[0].rclass = edns;
		m->nar = 1;
	}
	n = dns_msg_encode(m, out, cap);
	assert_true(n > 0);
	free(m);
	return n;
}

/* Sends a query to server 'srv' over UDP. */
static void
udp_ask(struct lab *lab, int srv, uint16_t id, const char *name, uint16_t type,
    bool rd, uint16_t edns)
{
	uint8_t q[512];
	size_t n = qbytes(id, name, type, rd, edns, q, sizeof(q));

	udp_send(lab->cli, &lab->cli_a, lab->port, &lab->a[srv], 53, q, n);
}

/* Runs until 'until' and returns the only reply that came, decoded into
 * lab->m; the reply count must have grown by exactly one. */
static const struct reply *
one_reply(struct lab *lab, sim_time_t until)
{
	size_t before = lab->nrep;

	sim_run(&lab->sim, until);
	assert_int_equal(lab->nrep, before + 1);
	assert_true(dns_msg_decode(
	    lab->rep[lab->nrep - 1].b, lab->rep[lab->nrep - 1].len, lab->m));
	return &lab->rep[lab->nrep - 1];
}

/* Header counts of a reply's bytes: QD, AN, NS, AR. */
static void
assert_counts(const struct reply *r, int qd, int an, int ns, int ar)
{
	assert_int_equal(be16(r->b + 4), qd);
	assert_int_equal(be16(r->b + 6), an);
	assert_int_equal(be16(r->b + 8), ns);
	assert_int_equal(be16(r->b + 10), ar);
}

static void
set_fault(struct lab *lab, int srv, struct fault *f, enum fault_kind kind,
    sim_time_t from, sim_time_t to)
{
	memset(f, 0, sizeof(*f));
	f->from = from;
	f->to = to;
	f->kind = kind;
	f->svc = FAULT_SVC_ANY;
	net_host_set_faults(lab->h[srv], f, 1);
}

/* --- authoritative answers
 * ------------------------------------------------------- */

static void
test_dnssrv_answer_echoes_id_question_and_rd_with_aa(void **state)
{
	struct lab *lab = lab_new();
	const struct reply *r;
	uint8_t q[512];
	size_t qlen;

	(void)state;
	qlen =
	    qbytes(0x1234, "mx1.example.test", DNS_T_A, true, 0, q, sizeof(q));
	udp_send(lab->cli, &lab->cli_a, lab->port, &lab->a[H_NS1], 53, q, qlen);
	r = one_reply(lab, SIM_S(1));
	assert_int_equal(r->t, RTT);
	assert_int_equal(r->sport, 53);
	assert_memory_equal(r->src, lab->a[H_NS1].b, 4);
	/* RFC 1035 §4.1.1: the ID echoed; QR, AA, RD copied; RA clear
	 * (no recursion here); RCODE 0. */
	assert_int_equal(be16(r->b), 0x1234);
	assert_int_equal(r->b[2], 0x85);
	assert_int_equal(r->b[3], 0x00);
	assert_counts(r, 1, 1, 0, 0);
	/* The question section byte for byte. */
	assert_memory_equal(r->b + 12, q + 12, qlen - 12);
	assert_int_equal(lab->m->an[0].type, DNS_T_A);
	assert_int_equal(lab->m->an[0].ttl, 3600);
	assert_memory_equal(lab->m->an[0].rd.a, addr("192.0.2.10").b, 4);
	/* RD clear stays clear. */
	udp_ask(lab, H_NS1, 0x1235, "mx1.example.test", DNS_T_A, false, 0);
	r = one_reply(lab, SIM_S(2));
	assert_int_equal(be16(r->b), 0x1235);
	assert_int_equal(r->b[2], 0x84);
	assert_int_equal(dnssrv_queries(lab->srv[H_NS1]), 2);
	lab_free(lab);
}

static void
test_dnssrv_nodata_and_nxdomain_carry_the_soa_with_negative_ttl(void **state)
{
	struct lab *lab = lab_new();
	const struct reply *r;

	(void)state;
	/* RFC 2308 §2.2: NODATA = NOERROR, no answer, SOA in authority;
	 * §3: its TTL is min(SOA TTL 3600, MINIMUM 300) = 300. */
	udp_ask(lab, H_NS1, 1, "mx1.example.test", DNS_T_AAAA, true, 0);
	r = one_reply(lab, SIM_S(1));
	assert_int_equal(r->b[2], 0x85);
	assert_int_equal(r->b[3], DNS_R_NOERROR);
	assert_counts(r, 1, 0, 1, 0);
	assert_int_equal(lab->m->ns[0].type, DNS_T_SOA);
	assert_string_equal(lab->m->ns[0].name, "example.test");
	assert_int_equal(lab->m->ns[0].ttl, 300);
	assert_int_equal(lab->m->ns[0].rd.soa.serial, 2024010101);
	/* RFC 2308 §2.1: NXDOMAIN, AA, the same SOA. */
	udp_ask(lab, H_NS1, 2, "nosuch.example.test", DNS_T_A, true, 0);
	r = one_reply(lab, SIM_S(2));
	assert_int_equal(r->b[2], 0x85);
	assert_int_equal(r->b[3], DNS_R_NXDOMAIN);
	assert_counts(r, 1, 0, 1, 0);
	assert_int_equal(lab->m->ns[0].ttl, 300);
	/* SOA TTL 60 under MINIMUM 300: 60. */
	udp_ask(lab, H_NS1, 3, "nosuch.short.test", DNS_T_MX, true, 0);
	r = one_reply(lab, SIM_S(3));
	assert_int_equal(r->b[3], DNS_R_NXDOMAIN);
	assert_string_equal(lab->m->ns[0].name, "short.test");
	assert_int_equal(lab->m->ns[0].ttl, 60);
	lab_free(lab);
}

static void
test_dnssrv_cname_chain_is_in_the_answer(void **state)
{
	struct lab *lab = lab_new();
	const struct reply *r;

	(void)state;
	/* RFC 1034 §4.3.2 step 3a / §3.6.2: each alias, then the target's
	 * records, in chain order. */
	udp_ask(lab, H_NS1, 7, "www.example.test", DNS_T_A, true, 0);
	r = one_reply(lab, SIM_S(1));
	assert_int_equal(r->b[2], 0x85);
	assert_counts(r, 1, 3, 0, 0);
	assert_int_equal(lab->m->an[0].type, DNS_T_CNAME);
	assert_string_equal(lab->m->an[0].name, "www.example.test");
	assert_string_equal(lab->m->an[0].rd.target, "alias2.example.test");
	assert_int_equal(lab->m->an[1].type, DNS_T_CNAME);
	assert_string_equal(lab->m->an[1].rd.target, "mx1.example.test");
	assert_int_equal(lab->m->an[2].type, DNS_T_A);
	assert_string_equal(lab->m->an[2].name, "mx1.example.test");
	lab_free(lab);
}

static void
test_dnssrv_referral_at_a_zone_cut_has_ns_and_glue_without_aa(void **state)
{
	struct lab *lab = lab_new();
	const struct reply *r;
	int pass;

	(void)state;
	/* RFC 1034 §4.3.2 step 3b: below the cut (and at it, even for NS)
	 * the server is not authoritative: AA clear, no answer, the
	 * child's NS records in authority, the addresses of those inside
	 * the child (glue) in additional; none for ns.other.test. */
	for (pass = 0; pass < 2; pass++) {
		udp_ask(lab, H_NS1, 9,
		    pass == 0 ? "www.sub.example.test" : "sub.example.test",
		    pass == 0 ? DNS_T_A : DNS_T_NS, true, 0);
		r = one_reply(lab, SIM_S(1 + pass));
		assert_int_equal(r->b[2], 0x81);
		assert_int_equal(r->b[3], DNS_R_NOERROR);
		assert_counts(r, 1, 0, 2, 1);
		assert_int_equal(lab->m->ns[0].type, DNS_T_NS);
		assert_string_equal(lab->m->ns[0].name, "sub.example.test");
		assert_string_equal(
		    lab->m->ns[0].rd.target, "ns.sub.example.test");
		assert_int_equal(lab->m->ns[0].ttl, 86400);
		assert_string_equal(lab->m->ns[1].rd.target, "ns.other.test");
		assert_int_equal(lab->m->ar[0].type, DNS_T_A);
		assert_string_equal(lab->m->ar[0].name, "ns.sub.example.test");
		assert_memory_equal(
		    lab->m->ar[0].rd.a, addr("192.0.2.77").b, 4);
	}
	lab_free(lab);
}

static void
test_dnssrv_refuses_a_zone_it_does_not_serve(void **state)
{
	struct lab *lab = lab_new();
	const struct reply *r;

	(void)state;
	/* An authoritative-only server: REFUSED (RFC 1035 §4.1.1), AA and
	 * RA clear, the question echoed, nothing else. */
	udp_ask(lab, H_NS1, 11, "www.other.test", DNS_T_A, true, 0);
	r = one_reply(lab, SIM_S(1));
	assert_int_equal(be16(r->b), 11);
	assert_int_equal(r->b[2], 0x81);
	assert_int_equal(r->b[3], DNS_R_REFUSED);
	assert_counts(r, 1, 0, 0, 0);
	assert_string_equal(lab->m->q[0].name, "www.other.test");
	lab_free(lab);
}

/* --- sizes: EDNS0 and truncation
 * ------------------------------------------------- */

/* The OPT record the server adds: root owner, type 41, its own payload
 * size 1232 (DNS flag day 2020), extended RCODE 0, version 0, no flags,
 * no options: the last 11 bytes of the message (RFC 6891 §6.1.2). */
static void
assert_opt_last(const struct reply *r)
{
	static const uint8_t opt[11] = {0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0};

	assert_true(r->len > 11);
	assert_memory_equal(r->b + r->len - 11, opt, 11);
}

static void
test_dnssrv_edns_opt_is_echoed_and_sets_the_size_limit(void **state)
{
	struct lab *lab = lab_new();
	const struct reply *r;

	(void)state;
	/* RFC 6891 §6.1.1: a query with OPT gets one back. */
	udp_ask(lab, H_NS1, 20, "mx1.example.test", DNS_T_A, true, 4096);
	r = one_reply(lab, SIM_S(1));
	assert_counts(r, 1, 1, 0, 1);
	assert_opt_last(r);
	/* Without OPT, 512 bytes (RFC 1035 §4.2.1): the 40 records of big
	 * (674 bytes) do not fit: TC, answer emptied (RFC 2181 §9). */
	udp_ask(lab, H_NS1, 21, "big.example.test", DNS_T_A, true, 0);
	r = one_reply(lab, SIM_S(2));
	assert_int_equal(r->b[2], 0x87); /* QR AA TC RD */
	assert_counts(r, 1, 0, 0, 0);
	assert_true(r->len <= 512);
	/* OPT with 1232: it fits, whole. */
	udp_ask(lab, H_NS1, 22, "big.example.test", DNS_T_A, true, 1232);
	r = one_reply(lab, SIM_S(3));
	assert_int_equal(r->b[2], 0x85);
	assert_counts(r, 1, NBIG, 0, 1);
	assert_int_equal(r->len, 12 + 22 + NBIG * 16 + 11);
	assert_opt_last(r);
	/* OPT with 600: the client's size is the limit (RFC 6891 §6.2.3):
	 * TC, and the OPT stays. */
	udp_ask(lab, H_NS1, 23, "big.example.test", DNS_T_A, true, 600);
	r = one_reply(lab, SIM_S(4));
	assert_int_equal(r->b[2], 0x87);
	assert_counts(r, 1, 0, 0, 1);
	assert_opt_last(r);
	/* OPT with 100: "Values lower than 512 MUST be treated as equal to
	 * 512" (RFC 6891 §6.2.5): a 60-byte answer is not truncated. */
	udp_ask(lab, H_NS1, 24, "mx1.example.test", DNS_T_A, true, 100);
	r = one_reply(lab, SIM_S(5));
	assert_int_equal(r->b[2], 0x85);
	assert_counts(r, 1, 1, 0, 1);
	/* OPT with 4096: the server's own ceiling, 1232 (BIND and Unbound
	 * max-udp-size), holds: huge (1306 bytes with OPT) is truncated
	 * rather than sent as a 1306-byte datagram. */
	udp_ask(lab, H_NS1, 25, "huge.example.test", DNS_T_AAAA, true, 4096);
	r = one_reply(lab, SIM_S(6));
	assert_int_equal(r->b[2], 0x87);
	assert_counts(r, 1, 0, 0, 1);
	lab_free(lab);
}

static void
test_dnssrv_additional_goes_before_the_answer_is_truncated(void **state)
{
	struct lab *lab = lab_new();
	const struct reply *r;

	(void)state;
	/* mxs: 10 MX records (the answer fits in 512) and 20 addresses in
	 * additional (which do not).  RFC 2181 §9: TC is not set merely
	 * because additional data did not fit; the additional section is
	 * dropped. */
	udp_ask(lab, H_NS1, 30, "mxs.example.test", DNS_T_MX, true, 0);
	r = one_reply(lab, SIM_S(1));
	assert_int_equal(r->b[2], 0x85);
	assert_counts(r, 1, NMXS, 0, 0);
	assert_true(r->len <= 512);
	/* With EDNS 1232 it all fits: 10 A, 10 AAAA and the OPT. */
	udp_ask(lab, H_NS1, 31, "mxs.example.test", DNS_T_MX, true, 1232);
	r = one_reply(lab, SIM_S(2));
	assert_counts(r, 1, NMXS, 0, 2 * NMXS + 1);
	assert_true(r->len > 512);
	assert_opt_last(r);
	lab_free(lab);
}

/* --- TCP
 * ----------------------------------------------------------------------- */

static void
test_dnssrv_tcp_length_prefix_several_queries_and_split_segments(void **state)
{
	struct lab *lab = lab_new();
	uint8_t q1[520], q2[520], two[1040];
	size_t n1, n2, nt, i;

	(void)state;
	/* RFC 1035 §4.2.2: each message after a two-byte length.  The
	 * first query is sent once the connection is up. */
	n1 = qbytes(0x0101, "huge.example.test", DNS_T_AAAA, true, 0, q1 + 2,
	    sizeof(q1) - 2);
	q1[0] = (uint8_t)(n1 >> 8);
	q1[1] = (uint8_t)n1;
	lab->tsend = q1;
	lab->ntsend = n1 + 2;
	lab->tc = tcp_connect(lab->cli, &lab->a[H_NS1], 53, &cli_tcp_cb, lab);
	assert_non_null(lab->tc);
	sim_run(&lab->sim, SIM_MS(100));
	/* Over TCP the limit is 65535: huge comes whole, without TC. */
	assert_int_equal(lab->nrep, 1);
	assert_true(lab->rep[0].tcp);
	assert_true(dns_msg_decode(lab->rep[0].b, lab->rep[0].len, lab->m));
	assert_int_equal(lab->m->id, 0x0101);
	assert_false(lab->m->tc);
	assert_true(lab->m->aa);
	assert_int_equal(lab->m->nan, NHUGE);
	assert_int_equal(lab->rep[0].len, 12 + 23 + NHUGE * 28);
	/* RFC 7766 §6.2.1: more queries on the same connection.  The
	 * second comes in two segments (the length's first byte alone,
	 * then the rest 10 ms later): TCP is a stream and RFC 1035 §4.2.2
	 * frames messages by their length, not by segment. */
	n2 = qbytes(0x0202, "mx1.example.test", DNS_T_A, true, 0, q2 + 2,
	    sizeof(q2) - 2);
	q2[0] = (uint8_t)(n2 >> 8);
	q2[1] = (uint8_t)n2;
	tcp_send(lab->tc, q2, 1);
	sim_run(&lab->sim, SIM_MS(110));
	assert_int_equal(lab->nrep, 1);
	tcp_send(lab->tc, q2 + 1, n2 + 1);
	sim_run(&lab->sim, SIM_MS(200));
	assert_int_equal(lab->nrep, 2);
	assert_int_equal(be16(lab->rep[1].b), 0x0202);
	/* Two queries in one segment: two answers, in order. */
	nt = 0;
	for (i = 0; i < 2; i++) {
		size_t n = qbytes((uint16_t)(0x0303 + i),
		    i == 0 ? "www.example.test" : "nosuch.example.test",
		    DNS_T_A, true, 0, two + nt + 2, sizeof(two) - nt - 2);

		two[nt] = (uint8_t)(n >> 8);
		two[nt + 1] = (uint8_t)n;
		nt += n + 2;
	}
	tcp_send(lab->tc, two, nt);
	sim_run(&lab->sim, SIM_MS(300));
	assert_int_equal(lab->nrep, 4);
	assert_int_equal(be16(lab->rep[2].b), 0x0303);
	assert_int_equal(lab->rep[2].b[3], DNS_R_NOERROR);
	assert_int_equal(be16(lab->rep[2].b + 6), 3);
	assert_int_equal(be16(lab->rep[3].b), 0x0304);
	assert_int_equal(lab->rep[3].b[3], DNS_R_NXDOMAIN);
	/* Every byte received was a length or a message. */
	assert_int_equal(lab->tparsed, lab->ntin);
	assert_int_equal(dnssrv_queries(lab->srv[H_NS1]), 4);
	/* The client closes; the server closes its side (no leak under
	 * ASan once the run ends). */
	tcp_close(lab->tc);
	sim_run(&lab->sim, SIM_S(200));
	assert_null(lab->tc);
	lab_free(lab);
}

/* --- malformed queries
 * ------------------------------------------------------------ */

static void
test_dnssrv_formerr_for_garbage_with_a_readable_id(void **state)
{
	static const uint8_t garbage[16] = {0xbe, 0xef, 0x01, 0x00, 0x00, 0x01,
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 'e', 'x', 'a'};
	static const uint8_t want[12] = {
	    0xbe, 0xef, 0x81, 0x01, 0, 0, 0, 0, 0, 0, 0, 0};
	struct lab *lab = lab_new();
	const struct reply *r;
	uint8_t b[64];
	size_t n;

	(void)state;
	/* RFC 1035 §4.1.1: RCODE 1 "Format error - The name server was
	 * unable to interpret the query"; the ID and RD come back, QR set,
	 * no section. */
	udp_send(lab->cli, &lab->cli_a, lab->port, &lab->a[H_NS1], 53, garbage,
	    sizeof(garbage));
	sim_run(&lab->sim, SIM_S(1));
	assert_int_equal(lab->nrep, 1);
	assert_int_equal(lab->rep[0].len, 12);
	assert_memory_equal(lab->rep[0].b, want, 12);
	/* Fewer than 12 bytes: no ID to answer to; a message with QR set
	 * is an answer, and answering answers invites loops. */
	udp_send(
	    lab->cli, &lab->cli_a, lab->port, &lab->a[H_NS1], 53, garbage, 11);
	memcpy(b, garbage, sizeof(garbage));
	b[2] |= 0x80;
	udp_send(lab->cli, &lab->cli_a, lab->port, &lab->a[H_NS1], 53, b,
	    sizeof(garbage));
	sim_run(&lab->sim, SIM_S(2));
	assert_int_equal(lab->nrep, 1);
	/* A query without a question: FORMERR too. */
	memset(b, 0, 12);
	b[0] = 0x0a;
	b[1] = 0x0b;
	udp_send(lab->cli, &lab->cli_a, lab->port, &lab->a[H_NS1], 53, b, 12);
	r = one_reply(lab, SIM_S(3));
	assert_int_equal(be16(r->b), 0x0a0b);
	assert_int_equal(r->b[2], 0x80);
	assert_int_equal(r->b[3], DNS_R_FORMERR);
	/* An opcode other than QUERY (2, STATUS): NOTIMP, "The name
	 * server does not support the requested kind of query", the
	 * opcode and question echoed. */
	n = qbytes(0x0c0d, "mx1.example.test", DNS_T_A, true, 0, b, sizeof(b));
	b[2] = (uint8_t)(b[2] | (2 << 3));
	udp_send(lab->cli, &lab->cli_a, lab->port, &lab->a[H_NS1], 53, b, n);
	r = one_reply(lab, SIM_S(4));
	assert_int_equal(be16(r->b), 0x0c0d);
	assert_int_equal(r->b[2], 0x80 | (2 << 3) | 0x01);
	assert_int_equal(r->b[3], DNS_R_NOTIMP);
	assert_counts(r, 1, 0, 0, 0);
	lab_free(lab);
}

/* --- outages
 * --------------------------------------------------------------------- */

static void
test_dnssrv_outages_servfail_refused_lame_nxdomain(void **state)
{
	static const enum fault_kind kinds[4] = {
	    FAULT_SERVFAIL, FAULT_REFUSED, FAULT_LAME, FAULT_NXDOMAIN};
	static const uint8_t rcodes[4] = {
	    DNS_R_SERVFAIL, DNS_R_REFUSED, DNS_R_REFUSED, DNS_R_NXDOMAIN};
	int k;

	(void)state;
	for (k = 0; k < 4; k++) {
		struct lab *lab = lab_new();
		const struct reply *r;
		struct fault f;

		/* The outage from 10 s to 20 s only. */
		set_fault(lab, H_NS1, &f, kinds[k], SIM_S(10), SIM_S(20));
		udp_ask(lab, H_NS1, 40, "mx1.example.test", DNS_T_A, true, 0);
		r = one_reply(lab, SIM_S(5));
		assert_int_equal(r->b[3], DNS_R_NOERROR);
		sim_run(&lab->sim, SIM_S(10));
		udp_ask(lab, H_NS1, 41, "mx1.example.test", DNS_T_A, true, 0);
		r = one_reply(lab, SIM_S(15));
		assert_int_equal(be16(r->b), 41);
		assert_int_equal(r->b[3], rcodes[k]);
		assert_int_equal(be16(r->b + 6), 0);
		if (kinds[k] == FAULT_NXDOMAIN) {
			/* An authoritative NXDOMAIN for a name that
			 * exists, with the SOA (RFC 2308 §3, TTL 300). */
			assert_int_equal(r->b[2], 0x85);
			assert_counts(r, 1, 0, 1, 0);
			assert_int_equal(lab->m->ns[0].type, DNS_T_SOA);
			assert_int_equal(lab->m->ns[0].ttl, 300);
		} else {
			/* No records, AA clear, RD echoed. */
			assert_int_equal(r->b[2], 0x81);
			assert_counts(r, 1, 0, 0, 0);
		}
		sim_run(&lab->sim, SIM_S(20));
		udp_ask(lab, H_NS1, 42, "mx1.example.test", DNS_T_A, true, 0);
		r = one_reply(lab, SIM_S(25));
		assert_int_equal(r->b[3], DNS_R_NOERROR);
		assert_int_equal(be16(r->b + 6), 1);
		lab_free(lab);
	}
}

static void
test_dnssrv_outage_truncate_tc_over_udp_whole_over_tcp(void **state)
{
	struct lab *lab = lab_new();
	const struct reply *r;
	struct fault f;
	uint8_t q[520];
	size_t n;

	(void)state;
	set_fault(lab, H_NS1, &f, FAULT_TRUNCATE, 0, SIM_NEVER);
	/* Every UDP answer comes empty with TC (RFC 1035 §4.2.1), even a
	 * small one. */
	udp_ask(lab, H_NS1, 50, "mx1.example.test", DNS_T_A, true, 0);
	r = one_reply(lab, SIM_S(1));
	assert_int_equal(r->b[2], 0x87);
	assert_int_equal(r->b[3], DNS_R_NOERROR);
	assert_counts(r, 1, 0, 0, 0);
	/* Over TCP the same question gets the whole answer. */
	n = qbytes(
	    51, "mx1.example.test", DNS_T_A, true, 0, q + 2, sizeof(q) - 2);
	q[0] = (uint8_t)(n >> 8);
	q[1] = (uint8_t)n;
	lab->tsend = q;
	lab->ntsend = n + 2;
	lab->tc = tcp_connect(lab->cli, &lab->a[H_NS1], 53, &cli_tcp_cb, lab);
	r = one_reply(lab, SIM_S(2));
	assert_true(r->tcp);
	assert_int_equal(r->b[2], 0x85);
	assert_counts(r, 1, 1, 0, 0);
	lab_free(lab);
}

static void
test_dnssrv_outage_slow_holds_the_answer_back(void **state)
{
	struct lab *lab = lab_new();
	const struct reply *r;
	struct fault f;
	uint8_t q[520];
	size_t n;

	(void)state;
	set_fault(lab, H_NS1, &f, FAULT_DNS_SLOW, 0, SIM_NEVER);
	f.delay = SIM_S(8);
	udp_ask(lab, H_NS1, 60, "mx1.example.test", DNS_T_A, true, 0);
	sim_run(&lab->sim, SIM_S(8));
	assert_int_equal(lab->nrep, 0);
	r = one_reply(lab, SIM_S(9));
	/* The query reaches ns1 after half a round trip, the answer leaves
	 * 8 s later and is back half a round trip after that. */
	assert_int_equal(r->t, SIM_S(8) + RTT);
	assert_int_equal(r->b[2], 0x85);
	assert_counts(r, 1, 1, 0, 0);
	/* Over TCP as well. */
	n = qbytes(
	    61, "mx1.example.test", DNS_T_A, true, 0, q + 2, sizeof(q) - 2);
	q[0] = (uint8_t)(n >> 8);
	q[1] = (uint8_t)n;
	lab->tsend = q;
	lab->ntsend = n + 2;
	lab->tc = tcp_connect(lab->cli, &lab->a[H_NS1], 53, &cli_tcp_cb, lab);
	sim_run(&lab->sim, SIM_S(17));
	assert_int_equal(lab->nrep, 1);
	r = one_reply(lab, SIM_S(19));
	assert_true(r->tcp);
	assert_int_equal(be16(r->b), 61);
	/* A held answer whose connection went away is dropped quietly. */
	lab->tsend = q;
	lab->tc = tcp_connect(lab->cli, &lab->a[H_NS1], 53, &cli_tcp_cb, lab);
	sim_run(&lab->sim, SIM_S(20));
	tcp_abort(lab->tc);
	lab->tc = NULL;
	sim_run(&lab->sim, SIM_S(40));
	assert_int_equal(lab->nrep, 2);
	lab_free(lab);
}

static void
test_dnssrv_outage_no_tcp_drops_tcp_keeps_udp(void **state)
{
	struct lab *lab = lab_new();
	const struct reply *r;
	struct fault f;

	(void)state;
	set_fault(lab, H_NS1, &f, FAULT_NOTCP, 0, SIM_NEVER);
	/* TCP to port 53 vanishes: no SYN-ACK, no RST; the client's SYNs
	 * go unanswered (Linux: 1, 3, 7 ... s). */
	lab->tc = tcp_connect(lab->cli, &lab->a[H_NS1], 53, &cli_tcp_cb, lab);
	sim_run(&lab->sim, SIM_S(10));
	assert_false(lab->connected);
	assert_non_null(lab->tc);
	assert_int_equal(tcp_conn_syns(lab->tc), 4);
	/* UDP still answers. */
	udp_ask(lab, H_NS1, 70, "mx1.example.test", DNS_T_A, true, 0);
	r = one_reply(lab, SIM_S(11));
	assert_int_equal(r->b[3], DNS_R_NOERROR);
	assert_counts(r, 1, 1, 0, 0);
	tcp_abort(lab->tc);
	lab->tc = NULL;
	lab_free(lab);
}

/* --- the recursive front end
 * ----------------------------------------------------- */

static void
test_dnssrv_recursive_answers_with_ra_and_rd_echoed(void **state)
{
	struct lab *lab = lab_new();
	const struct reply *r;

	(void)state;
	/* RFC 1035 §4.1.1: RA set by a server that recurses, RD copied,
	 * AA clear (the answer is not from its own zone).  The recursor
	 * asks root, tld and ns1 (RTT each) before answering. */
	udp_ask(lab, H_REC, 80, "mx1.example.test", DNS_T_A, true, 0);
	r = one_reply(lab, SIM_S(1));
	assert_int_equal(r->t, 4 * RTT);
	assert_int_equal(be16(r->b), 80);
	assert_int_equal(r->b[2], 0x81);
	assert_int_equal(r->b[3], 0x80);
	assert_counts(r, 1, 1, 0, 0);
	assert_int_equal(lab->m->an[0].ttl, 3600);
	assert_memory_equal(lab->m->an[0].rd.a, addr("192.0.2.10").b, 4);
	assert_int_equal(dnssrv_queries(lab->srv[H_ROOT]), 1);
	assert_int_equal(dnssrv_queries(lab->srv[H_TLD]), 1);
	assert_int_equal(dnssrv_queries(lab->srv[H_NS1]), 1);
	/* A CNAME chain comes through whole; NXDOMAIN brings the SOA. */
	udp_ask(lab, H_REC, 81, "www.example.test", DNS_T_A, false, 0);
	r = one_reply(lab, SIM_S(2));
	assert_int_equal(r->b[2], 0x80); /* RD clear echoed */
	assert_int_equal(r->b[3], 0x80);
	assert_counts(r, 1, 3, 0, 0);
	assert_int_equal(lab->m->an[0].type, DNS_T_CNAME);
	assert_int_equal(lab->m->an[2].type, DNS_T_A);
	udp_ask(lab, H_REC, 82, "nosuch.example.test", DNS_T_A, true, 0);
	r = one_reply(lab, SIM_S(3));
	assert_int_equal(r->b[3], 0x80 | DNS_R_NXDOMAIN);
	assert_counts(r, 1, 0, 1, 0);
	assert_int_equal(lab->m->ns[0].type, DNS_T_SOA);
	assert_int_equal(lab->m->ns[0].ttl, 300);
	lab_free(lab);
}

static void
test_dnssrv_recursive_cached_answer_ttl_counts_down(void **state)
{
	struct lab *lab = lab_new();
	const struct reply *r;
	sim_time_t t0;

	(void)state;
	udp_ask(lab, H_REC, 90, "mx1.example.test", DNS_T_A, true, 0);
	r = one_reply(lab, SIM_S(1));
	assert_int_equal(lab->m->an[0].ttl, 3600);
	/* The recursor cached the record when ns1's answer reached it,
	 * half a round trip before the client got it. */
	t0 = r->t - RTT / 2;
	/* RFC 1035 §3.2.1, RFC 2181 §8: the TTL is what is left of it;
	 * 100 s later 3500 (Unbound and BIND decrement), and no packet
	 * leaves the resolver. */
	sim_run(&lab->sim, t0 + SIM_S(100) - RTT / 2);
	udp_ask(lab, H_REC, 91, "mx1.example.test", DNS_T_A, true, 0);
	r = one_reply(lab, t0 + SIM_S(101));
	assert_int_equal(r->t, t0 + SIM_S(100) + RTT / 2);
	assert_int_equal(r->b[3], 0x80);
	assert_counts(r, 1, 1, 0, 0);
	assert_int_equal(lab->m->an[0].ttl, 3500);
	assert_int_equal(dnssrv_queries(lab->srv[H_NS1]), 1);
	/* The negative answer's SOA counts down too: cached at t1 for 300
	 * s, asked 120 s later: 180. */
	udp_ask(lab, H_REC, 92, "nosuch.example.test", DNS_T_A, true, 0);
	r = one_reply(lab, t0 + SIM_S(102));
	assert_int_equal(lab->m->ns[0].ttl, 300);
	t0 = r->t - RTT / 2;
	sim_run(&lab->sim, t0 + SIM_S(120) - RTT / 2);
	udp_ask(lab, H_REC, 93, "nosuch.example.test", DNS_T_A, true, 0);
	r = one_reply(lab, t0 + SIM_S(121));
	assert_int_equal(r->b[3], 0x80 | DNS_R_NXDOMAIN);
	assert_int_equal(lab->m->ns[0].ttl, 180);
	assert_int_equal(dnssrv_queries(lab->srv[H_NS1]), 2);
	lab_free(lab);
}

static void
test_dnssrv_recursive_size_limit_is_the_clients(void **state)
{
	struct lab *lab = lab_new();
	const struct reply *r;

	(void)state;
	/* The recursor gets big whole (it advertises 1232 upstream); the
	 * client's own size decides what it gets (RFC 6891 §6.2.3): 600 ->
	 * TC with the OPT; 1232 -> whole; none -> 512, TC. */
	udp_ask(lab, H_REC, 100, "big.example.test", DNS_T_A, true, 600);
	r = one_reply(lab, SIM_S(1));
	assert_int_equal(r->b[2], 0x83); /* QR TC RD */
	assert_counts(r, 1, 0, 0, 1);
	assert_opt_last(r);
	udp_ask(lab, H_REC, 101, "big.example.test", DNS_T_A, true, 1232);
	r = one_reply(lab, SIM_S(2));
	assert_int_equal(r->b[2], 0x81);
	assert_counts(r, 1, NBIG, 0, 1);
	udp_ask(lab, H_REC, 102, "big.example.test", DNS_T_A, true, 0);
	r = one_reply(lab, SIM_S(3));
	assert_int_equal(r->b[2], 0x83);
	assert_counts(r, 1, 0, 0, 0);
	assert_true(r->len <= 512);
	lab_free(lab);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
	        test_dnssrv_answer_echoes_id_question_and_rd_with_aa),
	    cmocka_unit_test(
	        test_dnssrv_nodata_and_nxdomain_carry_the_soa_with_negative_ttl),
	    cmocka_unit_test(test_dnssrv_cname_chain_is_in_the_answer),
	    cmocka_unit_test(
	        test_dnssrv_referral_at_a_zone_cut_has_ns_and_glue_without_aa),
	    cmocka_unit_test(test_dnssrv_refuses_a_zone_it_does_not_serve),
	    cmocka_unit_test(
	        test_dnssrv_edns_opt_is_echoed_and_sets_the_size_limit),
	    cmocka_unit_test(
	        test_dnssrv_additional_goes_before_the_answer_is_truncated),
	    cmocka_unit_test(
	        test_dnssrv_tcp_length_prefix_several_queries_and_split_segments),
	    cmocka_unit_test(
	        test_dnssrv_formerr_for_garbage_with_a_readable_id),
	    cmocka_unit_test(
	        test_dnssrv_outages_servfail_refused_lame_nxdomain),
	    cmocka_unit_test(
	        test_dnssrv_outage_truncate_tc_over_udp_whole_over_tcp),
	    cmocka_unit_test(test_dnssrv_outage_slow_holds_the_answer_back),
	    cmocka_unit_test(test_dnssrv_outage_no_tcp_drops_tcp_keeps_udp),
	    cmocka_unit_test(
	        test_dnssrv_recursive_answers_with_ra_and_rd_echoed),
	    cmocka_unit_test(
	        test_dnssrv_recursive_cached_answer_ttl_counts_down),
	    cmocka_unit_test(test_dnssrv_recursive_size_limit_is_the_clients),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_recursor.c - iterative resolution and its cache (sim/dns/recursor.c),
 * against real authoritative servers (sim/dns/dnssrv.c) on the network.
 *
 * The lab: the resolver host "rec" (198.51.100.53) and the authoritative
 * servers below, each joined to the router r1 by a link of 1 ms one way
 * (host to host: 2 ms one way, RTT 4 ms):
 *   root  203.0.113.1   the root zone: test. NS ns.test, with glue
 *   tld   203.0.113.2   test.: delegations with glue (example, other,
 *                       neg, lame, g6), without (glueless, broken, g0-g5)
 *   ns1   192.0.2.53    example.test
 *   ns2   192.0.2.54    example.test, lame.test and multi.test (whose
 *                       server name also has the address 192.0.2.99,
 *                       where nothing listens)
 *   other 198.51.100.20 other.test and neg.test
 *   gl    192.0.2.60    glueless.test (its server's name is in example.test)
 *   deep  203.0.113.50  g0.test ... g6.test: gN's server is ns.gN+1.test
 *   up    192.0.2.61    a copy of the root zone: asked for lame.test, it
 *                       refers upwards to test.
 * A whole-network tap records the datagrams "rec" sends to port 53; the
 * tests read whom it asked, when, and the query bytes.
 *
 * Sources: RFC 1034 §5.3.3 (the resolver's algorithm: the closest known
 * servers, referrals, CNAMEs restart the query; bound the work), §4.3.2
 * (referrals); RFC 1035 §3.2.1 and RFC 2181 §8 (TTL: how long a record
 * may be cached; a cache hands out what is left: Unbound and BIND
 * decrement); RFC 2308 §5 (negative answers cached for min(SOA TTL, SOA
 * MINIMUM)), §2.1/§2.2 (NXDOMAIN covers every type, NODATA one); RFC 6604
 * §2.1 (after a CNAME, the RCODE is about the chain's end); RFC 1912 §2.8
 * (lame delegations); Unbound cache-max-ttl (86400) and
 * cache-max-negative-ttl (3600); BIND lame-ttl (600 s); RFC 6891 and the
 * DNS flag day 2020 (EDNS0 with 1232 bytes); recursor.c's own bounds
 * (8 CNAME links, 4 nested resolutions for glueless servers, 1 s per
 * server).
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
#include "net/udp.h"

#define L   SIM_MS(1) /* one link, one way */
#define RTT (4 * L)   /* host to host through r1 and back */

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

enum { H_ROOT, H_TLD, H_NS1, H_NS2, H_OTHER, H_GL, H_DEEP, H_UP, NSRV };

enum {
	Z_ROOT,
	Z_TLD,
	Z_EXAMPLE,
	Z_OTHER,
	Z_NEG,
	Z_GLUELESS,
	Z_LAME,
	Z_MULTI,
	Z_G0, /* g0.test ... g6.test */
	NZONES = Z_G0 + 7
};

/* One datagram "rec" sent to a server. */
struct query {
	sim_time_t t;   /* when */
	int srv;        /* which server (H_*), -1 if none */
	uint16_t sport; /* its UDP source port */
	size_t len;     /* DNS message length */
	uint8_t b[512]; /* the DNS message */
};

/* One ICMP error "rec" sent. */
struct icmp {
	sim_time_t t;          /* when */
	int srv;               /* to which server (H_*), -1 if none */
	uint8_t type, code;    /* RFC 792 */
	uint16_t sport, dport; /* of the datagram it reports */
};

struct lab {
	struct sim sim;
	struct net net;
	struct net_host *rec, *r1, *h[NSRV]; /* borrowed from 'net' */
	struct net_addr rec_a, a[NSRV];      /* addresses */
	struct zone z[NZONES];               /* the zones */
	struct zone *served[NSRV][8];        /* per server, borrowed */
	struct dnssrv *srv[NSRV];            /* owned */
	struct fault faults[NSRV];           /* one outage per server */
	struct recursor *rc;                 /* owned */
	struct query *q;                     /* owned: queries seen */
	size_t nq, capq;
	struct icmp ic[8]; /* ICMP errors "rec" sent */
	size_t nic;        /* how many */
	struct dns_msg *m; /* owned scratch */
};

/* What the recursor called back with. */
struct rres {
	struct lab *lab;
	int calls;     /* exactly one expected */
	bool in_call;  /* recursor_resolve() is running */
	bool sync;     /* the callback ran inside it */
	sim_time_t at; /* when */
	uint8_t rcode; /* outcome */
	size_t nan;    /* records */
	struct dns_rr an[16];
	bool has_soa;      /* a SOA came with it */
	struct dns_rr soa; /* that SOA */
	bool cached;       /* answered from the cache alone */
};

static uint64_t
tap_frame(void *ctx, const struct net_frame *nf)
{
	struct lab *lab = ctx;
	const uint8_t *ip = nf->data + 14;
	struct query *q;
	size_t ihl, i;

	if (be16(nf->data + 12) != 0x0800 ||
	    memcmp(ip + 12, lab->rec_a.b, 4) != 0)
		return 0;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	if (ip[9] == 1) {
		/* RFC 792: type, code, checksum, 4 unused bytes, then the
		 * offending IP header and 8 bytes of its data. */
		const uint8_t *m = ip + ihl;
		const uint8_t *in = m + 8;
		struct icmp *c;

		assert_true(lab->nic < sizeof(lab->ic) / sizeof(lab->ic[0]));
		c = &lab->ic[lab->nic++];
		c->t = nf->t;
		c->srv = -1;
		for (i = 0; i < NSRV; i++)
			if (memcmp(ip + 16, lab->a[i].b, 4) == 0)
				c->srv = (int)i;
		c->type = m[0];
		c->code = m[1];
		assert_int_equal(in[9], 17);
		c->sport = be16(in + (size_t)(in[0] & 0x0f) * 4);
		c->dport = be16(in + (size_t)(in[0] & 0x0f) * 4 + 2);
		return 0;
	}
	if (ip[9] != 17 || be16(ip + ihl + 2) != 53)
		return 0;
	if (lab->nq == lab->capq) {
		lab->capq = lab->capq ? lab->capq * 2 : 32;
		lab->q = realloc(lab->q, lab->capq * sizeof(*lab->q));
		assert_non_null(lab->q);
	}
	q = &lab->q[lab->nq++];
	q->t = nf->t;
	q->srv = -1;
	for (i = 0; i < NSRV; i++)
		if (memcmp(ip + 16, lab->a[i].b, 4) == 0)
			q->srv = (int)i;
	q->sport = be16(ip + ihl);
	q->len = be16(ip + ihl + 4) - 8;
	assert_true(q->len <= sizeof(q->b));
	memcpy(q->b, ip + ihl + 8, q->len);
	return lab->nq;
}

static const struct net_tap_ops tap_ops = {
    .frame = tap_frame, .note = NULL, .done = NULL};

/* --- zones
 * ----------------------------------------------------------------------- */

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
zones(struct lab *lab)
{
	struct zone *z;
	struct mx_err err;
	char o[32], t[32], a[32];
	int i;

	z = &lab->z[Z_ROOT];
	zone_init(z, ".", 86400);
	row(z, 86400, "test.", "NS", 1, "ns.test.");
	row(z, 86400, "ns.test.", "A", 1, "203.0.113.2");

	z = &lab->z[Z_TLD];
	zone_init(z, "test", 86400);
	row(z, 86400, "@", "NS", 1, "ns");
	row(z, 86400, "ns", "A", 1, "203.0.113.2");
	row(z, 86400, "example", "NS", 1, "ns1.example");
	row(z, 86400, "example", "NS", 1, "ns2.example");
	row(z, 86400, "ns1.example", "A", 1, "192.0.2.53");
	row(z, 86400, "ns2.example", "A", 1, "192.0.2.54");
	row(z, 86400, "other", "NS", 1, "ns.other");
	row(z, 86400, "ns.other", "A", 1, "198.51.100.20");
	row(z, 86400, "neg", "NS", 1, "ns.other");
	row(z, 86400, "lame", "NS", 1, "ns1.lame");
	row(z, 86400, "lame", "NS", 1, "ns2.lame");
	row(z, 86400, "ns1.lame", "A", 1, "192.0.2.61");
	row(z, 86400, "ns2.lame", "A", 1, "192.0.2.54");
	/* One server name, two glue addresses: ns2's, and one where no
	 * host listens. */
	row(z, 86400, "multi", "NS", 1, "ns.multi");
	row(z, 86400, "ns.multi", "A", 1, "192.0.2.54");
	row(z, 86400, "ns.multi", "A", 1, "192.0.2.99");
	/* Glueless: the server's name lies in another zone. */
	row(z, 86400, "glueless", "NS", 1, "ns.example.test.");
	row(z, 86400, "broken", "NS", 1, "ns.nosuch.example.test.");
	for (i = 0; i < 6; i++) {
		snprintf(o, sizeof(o), "g%d", i);
		snprintf(t, sizeof(t), "ns.g%d", i + 1);
		row(z, 86400, o, "NS", 1, t);
	}
	row(z, 86400, "g6", "NS", 1, "ns.g6");
	row(z, 86400, "ns.g6", "A", 1, "203.0.113.50");

	z = &lab->z[Z_EXAMPLE];
	zone_init(z, "example.test", 3600);
	/* SOA TTL 3600, MINIMUM 300: negative TTL 300. */
	row(z, 3600, "@", "SOA", 7, "ns1", "hostmaster", "1", "3600", "600",
	    "604800", "300");
	row(z, 3600, "@", "NS", 1, "ns1");
	row(z, 3600, "@", "NS", 1, "ns2");
	row(z, 3600, "ns1", "A", 1, "192.0.2.53");
	row(z, 3600, "ns2", "A", 1, "192.0.2.54");
	row(z, 3600, "ns", "A", 1, "192.0.2.60");
	row(z, 3600, "mx1", "A", 1, "192.0.2.10");
	row(z, 3600, "mx2", "A", 1, "192.0.2.20");
	row(z, 3600, "www", "CNAME", 1, "mx1");
	row(z, 3600, "alias", "CNAME", 1, "mx2");
	row(z, 3600, "far", "CNAME", 1, "www.other.test.");
	row(z, 3600, "gone", "CNAME", 1, "nosuch.other.test.");
	row(z, 3600, "dangling", "CNAME", 1, "nosuch");
	/* Two days: more than cache-max-ttl. */
	row(z, 172800, "week", "A", 1, "192.0.2.11");
	/* c0 -> c1 in the zone, then c1 ... c9 across zones: 9 links from
	 * c0, 8 from c1. */
	row(z, 3600, "c0", "CNAME", 1, "c1");
	for (i = 1; i < 9; i += 2) {
		snprintf(o, sizeof(o), "c%d", i);
		snprintf(t, sizeof(t), "c%d.other.test.", i + 1);
		row(z, 3600, o, "CNAME", 1, t);
	}
	row(z, 3600, "c9", "A", 1, "192.0.2.99");

	z = &lab->z[Z_OTHER];
	zone_init(z, "other.test", 3600);
	row(z, 3600, "@", "NS", 1, "ns");
	row(z, 3600, "ns", "A", 1, "198.51.100.20");
	row(z, 3600, "www", "A", 1, "198.51.100.80");
	for (i = 2; i < 9; i += 2) {
		snprintf(o, sizeof(o), "c%d", i);
		snprintf(t, sizeof(t), "c%d.example.test.", i + 1);
		row(z, 3600, o, "CNAME", 1, t);
	}

	/* A day in SOA TTL and MINIMUM: more than cache-max-negative-ttl. */
	z = &lab->z[Z_NEG];
	zone_init(z, "neg.test", 86400);
	row(z, 86400, "@", "SOA", 7, "ns.other.test.", "hostmaster", "1",
	    "3600", "600", "604800", "86400");
	row(z, 86400, "@", "NS", 1, "ns.other.test.");

	z = &lab->z[Z_GLUELESS];
	zone_init(z, "glueless.test", 3600);
	row(z, 3600, "@", "NS", 1, "ns.example.test.");
	row(z, 3600, "www", "A", 1, "192.0.2.70");

	z = &lab->z[Z_LAME];
	zone_init(z, "lame.test", 3600);
	row(z, 3600, "@", "NS", 1, "ns1");
	row(z, 3600, "@", "NS", 1, "ns2");
	row(z, 3600, "www", "A", 1, "192.0.2.71");

	z = &lab->z[Z_MULTI];
	zone_init(z, "multi.test", 3600);
	row(z, 3600, "@", "NS", 1, "ns");
	row(z, 3600, "ns", "A", 1, "192.0.2.54");
	row(z, 3600, "ns", "A", 1, "192.0.2.99");
	row(z, 3600, "www", "A", 1, "192.0.2.72");

	for (i = 0; i <= 6; i++) {
		z = &lab->z[Z_G0 + i];
		snprintf(o, sizeof(o), "g%d.test", i);
		zone_init(z, o, 3600);
		snprintf(t, sizeof(t), "ns.g%d.test.", i < 6 ? i + 1 : 6);
		row(z, 3600, "@", "NS", 1, t);
		row(z, 3600, "ns", "A", 1, "203.0.113.50");
		snprintf(a, sizeof(a), "192.0.2.%d", 200 + i);
		row(z, 3600, "www", "A", 1, a);
	}
	for (i = 0; i < NZONES; i++) {
		mx_err_clear(&err);
		if (zone_finish(&lab->z[i], &err) != 0)
			fail_msg("zone %d: %s", i, err.msg);
	}
}

/* --- the lab
 * --------------------------------------------------------------------- */

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

static void
serve(struct lab *lab, int h, int zone)
{
	size_t n = 0;

	while (lab->served[h][n] != NULL)
		n++;
	lab->served[h][n] = &lab->z[zone];
}

static struct lab *
lab_new(void)
{
	static const struct net_link_params link = {L, 0, 0, 0};
	static const char *const names[NSRV] = {
	    "root", "tld", "ns1", "ns2", "other", "gl", "deep", "up"};
	static const char *const addrs[NSRV] = {"203.0.113.1", "203.0.113.2",
	    "192.0.2.53", "192.0.2.54", "198.51.100.20", "192.0.2.60",
	    "203.0.113.50", "192.0.2.61"};
	struct lab *lab = calloc(1, sizeof(*lab));
	struct recursor_params rp;
	int i;

	assert_non_null(lab);
	lab->m = calloc(1, sizeof(*lab->m));
	assert_non_null(lab->m);
	sim_init(&lab->sim, 5);
	assert_int_equal(
	    trace_subscribe(sim_trace(&lab->sim), trace_sink, NULL), 0);
	net_init(&lab->net, &lab->sim);
	lab->rec = net_host_add(&lab->net, "rec");
	lab->r1 = net_router_add(&lab->net, "r1");
	lab->rec_a = addr("198.51.100.53");
	assert_int_equal(net_host_addr_add(lab->rec, &lab->rec_a), 0);
	assert_non_null(net_link_add(&lab->net, lab->rec, lab->r1, &link));
	for (i = 0; i < NSRV; i++) {
		lab->h[i] = net_host_add(&lab->net, names[i]);
		lab->a[i] = addr(addrs[i]);
		assert_int_equal(net_host_addr_add(lab->h[i], &lab->a[i]), 0);
		assert_non_null(
		    net_link_add(&lab->net, lab->h[i], lab->r1, &link));
	}
	assert_int_equal(net_finalize(&lab->net), 0);
	assert_int_equal(net_tap_add(&lab->net, NULL, &tap_ops, lab), 0);
	zones(lab);
	serve(lab, H_ROOT, Z_ROOT);
	serve(lab, H_TLD, Z_TLD);
	serve(lab, H_NS1, Z_EXAMPLE);
	serve(lab, H_NS2, Z_EXAMPLE);
	serve(lab, H_NS2, Z_LAME);
	serve(lab, H_NS2, Z_MULTI);
	serve(lab, H_OTHER, Z_OTHER);
	serve(lab, H_OTHER, Z_NEG);
	serve(lab, H_GL, Z_GLUELESS);
	for (i = 0; i <= 6; i++)
		serve(lab, H_DEEP, Z_G0 + i);
	serve(lab, H_UP, Z_ROOT);
	for (i = 0; i < NSRV; i++) {
		size_t n = 0;

		while (lab->served[i][n] != NULL)
			n++;
		lab->srv[i] = dnssrv_new(lab->h[i], lab->served[i], n, NULL);
		assert_non_null(lab->srv[i]);
	}
	recursor_params_default(&rp);
	/* Unbound cache-max-ttl 86400, cache-max-negative-ttl 3600; BIND
	 * lame-ttl 600; 1 s per server (recursor.c). */
	assert_int_equal(rp.max_ttl, 86400);
	assert_int_equal(rp.max_neg_ttl, 3600);
	assert_int_equal(rp.lame_ttl, 600);
	assert_int_equal(rp.timeout, SIM_S(1));
	rp.roots[0] = lab->a[H_ROOT];
	rp.nroots = 1;
	lab->rc = recursor_new(lab->rec, &rp);
	assert_non_null(lab->rc);
	return lab;
}

static void
lab_free(struct lab *lab)
{
	int i;

	sim_fini(&lab->sim);
	recursor_free(lab->rc);
	for (i = 0; i < NSRV; i++)
		dnssrv_free(lab->srv[i]);
	net_fini(&lab->net);
	for (i = 0; i < NZONES; i++)
		zone_fini(&lab->z[i]);
	free(lab->q);
	free(lab->m);
	free(lab);
}

static void
outage(struct lab *lab, int h, enum fault_kind kind)
{
	struct fault *f = &lab->faults[h];

	memset(f, 0, sizeof(*f));
	f->from = 0;
	f->to = SIM_NEVER;
	f->kind = kind;
	f->svc = FAULT_SVC_ANY;
	net_host_set_faults(lab->h[h], f, 1);
}

static void
on_done(void *ctx, const struct recursor_answer *a)
{
	struct rres *r = ctx;
	size_t i;

	r->calls++;
	r->sync = r->in_call;
	r->at = sim_now(&r->lab->sim);
	r->rcode = a->rcode;
	r->nan = a->nan;
	assert_true(a->nan <= 16);
	for (i = 0; i < a->nan; i++)
		r->an[i] = a->an[i];
	r->has_soa = a->soa != NULL;
	if (a->soa != NULL)
		r->soa = *a->soa;
	r->cached = a->cached;
}

static uint32_t
resolve(struct lab *lab, struct rres *r, const char *name, uint16_t type)
{
	uint32_t h;

	memset(r, 0, sizeof(*r));
	r->lab = lab;
	r->in_call = true;
	h = recursor_resolve(lab->rc, name, type, on_done, r);
	r->in_call = false;
	assert_int_not_equal(h, 0);
	return h;
}

/* Resolves and runs the simulation for 'span'; one callback expected. */
static void
resolve_run(struct lab *lab, struct rres *r, const char *name, uint16_t type,
    sim_time_t span)
{
	resolve(lab, r, name, type);
	sim_run(&lab->sim, sim_now(&lab->sim) + span);
	assert_int_equal(r->calls, 1);
}

/* The servers asked from query 'from' on, as a string of names. */
static const char *
asked(const struct lab *lab, size_t from, char *buf, size_t len)
{
	static const char *const names[NSRV] = {
	    "root", "tld", "ns1", "ns2", "other", "gl", "deep", "up"};
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = from; i < lab->nq && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
		    i > from ? " " : "",
		    lab->q[i].srv >= 0 ? names[lab->q[i].srv] : "?");
	return buf;
}

/* --- iteration
 * ------------------------------------------------------------------- */

static void
test_recursor_iterates_from_the_root_with_glue(void **state)
{
	struct lab *lab = lab_new();
	struct rres r;
	char b[256];
	size_t i;

	(void)state;
	/* RFC 1034 §5.3.3: the root hint, then each referral's servers
	 * (their addresses from the glue), one round trip each. */
	resolve_run(lab, &r, "mx1.example.test", DNS_T_A, SIM_S(5));
	assert_string_equal(asked(lab, 0, b, sizeof(b)), "root tld ns1");
	for (i = 0; i < 3; i++) {
		const struct query *q = &lab->q[i];

		assert_int_equal(q->t, (sim_time_t)i * RTT);
		assert_true(dns_msg_decode(q->b, q->len, lab->m));
		/* An iterative query: RD clear (RFC 1034 §5.3.3), the
		 * question, and EDNS0 with 1232 bytes (flag day 2020). */
		assert_int_equal(q->b[2], 0x00);
		assert_int_equal(q->b[3], 0x00);
		assert_int_equal(lab->m->nq, 1);
		assert_string_equal(lab->m->q[0].name, "mx1.example.test");
		assert_int_equal(lab->m->q[0].qtype, DNS_T_A);
		assert_int_equal(lab->m->nar, 1);
		assert_int_equal(lab->m->ar[0].type, DNS_T_OPT);
		assert_int_equal(lab->m->ar[0].rclass, 1232);
	}
	/* A fresh ID for each query (RFC 5452 §9.2). */
	assert_int_not_equal(be16(lab->q[0].b), be16(lab->q[1].b));
	assert_int_not_equal(be16(lab->q[1].b), be16(lab->q[2].b));
	assert_int_equal(r.at, 3 * RTT);
	assert_false(r.sync);
	assert_false(r.cached);
	assert_int_equal(r.rcode, DNS_R_NOERROR);
	assert_int_equal(r.nan, 1);
	assert_int_equal(r.an[0].ttl, 3600);
	assert_memory_equal(r.an[0].rd.a, addr("192.0.2.10").b, 4);
	/* Another name of the zone: its servers are known, one query. */
	resolve_run(lab, &r, "mx2.example.test", DNS_T_A, SIM_S(5));
	assert_string_equal(asked(lab, 3, b, sizeof(b)), "ns1");
	assert_int_equal(r.nan, 1);
	/* The same question again: the cache, at once, no packet. */
	resolve(lab, &r, "mx1.example.test", DNS_T_A);
	assert_true(r.sync);
	assert_true(r.cached);
	assert_int_equal(r.calls, 1);
	assert_int_equal(lab->nq, 4);
	assert_true(recursor_cache_size(lab->rc) > 0);
	/* ns1's address and example.test's NS set came as glue and
	 * referral: they find servers, but are not handed out as answers
	 * (RFC 2181 §5.4.1); ns1 is asked for them. */
	resolve_run(lab, &r, "ns1.example.test", DNS_T_A, SIM_S(5));
	assert_false(r.cached);
	resolve_run(lab, &r, "example.test", DNS_T_NS, SIM_S(5));
	assert_false(r.cached);
	assert_string_equal(asked(lab, 4, b, sizeof(b)), "ns1 ns1");
	assert_int_equal(r.nan, 2);
	assert_int_equal(r.an[0].ttl, 3600);
	lab_free(lab);
}

static void
test_recursor_keeps_every_glue_address(void **state)
{
	struct lab *lab = lab_new();
	struct rres r;
	char b[256];

	(void)state;
	/* ns.multi.test has two glue addresses (RFC 1034 §4.3.2: all the
	 * addresses of the NS targets ride along); both are kept, in
	 * order: the first, ns2's, answers. */
	resolve_run(lab, &r, "www.multi.test", DNS_T_A, SIM_S(5));
	assert_string_equal(asked(lab, 0, b, sizeof(b)), "root tld ns2");
	assert_int_equal(r.rcode, DNS_R_NOERROR);
	assert_int_equal(r.at, 3 * RTT);
	lab_free(lab);
}

static void
test_recursor_glueless_delegation_resolves_the_server_name_first(void **state)
{
	struct lab *lab = lab_new();
	struct rres r;
	char b[256];

	(void)state;
	/* tld refers glueless.test to ns.example.test without an address:
	 * the resolver finds that address first (root -> tld -> ns1),
	 * then asks gl. */
	resolve_run(lab, &r, "www.glueless.test", DNS_T_A, SIM_S(5));
	assert_string_equal(asked(lab, 0, b, sizeof(b)), "root tld tld ns1 gl");
	assert_true(dns_msg_decode(lab->q[2].b, lab->q[2].len, lab->m));
	assert_string_equal(lab->m->q[0].name, "ns.example.test");
	assert_int_equal(lab->q[4].t, 4 * RTT);
	assert_int_equal(r.at, 5 * RTT);
	assert_int_equal(r.rcode, DNS_R_NOERROR);
	assert_memory_equal(r.an[0].rd.a, addr("192.0.2.70").b, 4);
	lab_free(lab);
}

static void
test_recursor_glueless_chain_depth_is_bounded(void **state)
{
	struct lab *lab = lab_new();
	struct rres r;
	char b[256];

	(void)state;
	/* g1's server is ns.g2.test, whose zone's server is ns.g3.test ...
	 * up to g5, whose server ns.g6.test has glue: four nested
	 * resolutions, the most recursor.c allows (MAX_DEPTH 4). */
	resolve_run(lab, &r, "www.g1.test", DNS_T_A, SIM_S(5));
	assert_int_equal(r.rcode, DNS_R_NOERROR);
	assert_memory_equal(r.an[0].rd.a, addr("192.0.2.201").b, 4);
	assert_string_equal(asked(lab, 0, b, sizeof(b)),
	    "root tld tld tld tld tld deep deep deep deep deep");
	lab_free(lab);

	/* g0 needs a fifth: SERVFAIL, after the referrals only; the
	 * resolver does not go back to ask tld again for a delegation it
	 * already knows. */
	lab = lab_new();
	resolve_run(lab, &r, "www.g0.test", DNS_T_A, SIM_S(5));
	assert_int_equal(r.rcode, DNS_R_SERVFAIL);
	assert_int_equal(r.nan, 0);
	assert_string_equal(
	    asked(lab, 0, b, sizeof(b)), "root tld tld tld tld tld");
	assert_int_equal(r.at, 6 * RTT);
	lab_free(lab);
}

static void
test_recursor_glueless_name_known_not_to_exist(void **state)
{
	struct lab *lab = lab_new();
	struct rres r;
	char b[256];

	(void)state;
	/* The server name of broken.test is cached as NXDOMAIN: the
	 * nested resolution ends from the cache, and broken.test has no
	 * server to ask: SERVFAIL after one query (RFC 1034 §5.3.3). */
	resolve_run(lab, &r, "ns.nosuch.example.test", DNS_T_A, SIM_S(5));
	assert_int_equal(r.rcode, DNS_R_NXDOMAIN);
	assert_int_equal(lab->nq, 3);
	resolve_run(lab, &r, "www.broken.test", DNS_T_A, SIM_S(5));
	assert_int_equal(r.rcode, DNS_R_SERVFAIL);
	assert_false(r.sync);
	assert_string_equal(asked(lab, 3, b, sizeof(b)), "tld");
	lab_free(lab);
}

/* --- CNAMEs
 * ------------------------------------------------------------------------ */

static void
test_recursor_cname_in_the_answer_and_across_zones(void **state)
{
	struct lab *lab = lab_new();
	struct rres r;
	char b[256];

	(void)state;
	/* NODATA at the end of a chain within one answer: ns1 gives
	 * www -> mx1 and the SOA (RFC 2308 §2.2: no AAAA at mx1): the
	 * alias and the SOA, no second query; the empty type is cached
	 * for mx1, the alias for www. */
	resolve_run(lab, &r, "www.example.test", DNS_T_AAAA, SIM_S(5));
	assert_string_equal(asked(lab, 0, b, sizeof(b)), "root tld ns1");
	assert_true(dns_msg_decode(lab->q[2].b, lab->q[2].len, lab->m));
	assert_string_equal(lab->m->q[0].name, "www.example.test");
	assert_int_equal(r.rcode, DNS_R_NOERROR);
	assert_int_equal(r.nan, 1);
	assert_int_equal(r.an[0].type, DNS_T_CNAME);
	assert_true(r.has_soa);
	assert_int_equal(r.soa.ttl, 300);
	resolve(lab, &r, "mx1.example.test", DNS_T_AAAA);
	assert_true(r.sync);
	assert_int_equal(r.nan, 0);
	/* The records at the end of a chain in one answer (RFC 1034
	 * §4.3.2 step 3a): the chain, then the record; here the alias
	 * comes from the cache and mx1's A from ns1. */
	resolve_run(lab, &r, "www.example.test", DNS_T_A, SIM_S(5));
	assert_int_equal(r.rcode, DNS_R_NOERROR);
	assert_int_equal(r.nan, 2);
	assert_int_equal(r.an[0].type, DNS_T_CNAME);
	assert_string_equal(r.an[0].name, "www.example.test");
	assert_string_equal(r.an[1].name, "mx1.example.test");
	assert_string_equal(asked(lab, 3, b, sizeof(b)), "ns1");
	assert_true(dns_msg_decode(lab->q[3].b, lab->q[3].len, lab->m));
	assert_string_equal(lab->m->q[0].name, "mx1.example.test");
	/* Both in one answer from ns1: alias -> mx2, mx2's A. */
	resolve_run(lab, &r, "alias.example.test", DNS_T_A, SIM_S(5));
	assert_int_equal(r.nan, 2);
	assert_string_equal(r.an[0].rd.target, "mx2.example.test");
	assert_string_equal(r.an[1].name, "mx2.example.test");
	assert_memory_equal(r.an[1].rd.a, addr("192.0.2.20").b, 4);
	assert_int_equal(lab->nq, 5);
	/* Across zones: far -> www.other.test, asked anew from its zone's
	 * servers (RFC 1034 §5.3.3 step 3c: restart at the alias). */
	resolve_run(lab, &r, "far.example.test", DNS_T_A, SIM_S(5));
	assert_string_equal(asked(lab, 5, b, sizeof(b)), "ns1 tld other");
	assert_int_equal(r.nan, 2);
	assert_string_equal(r.an[0].rd.target, "www.other.test");
	assert_memory_equal(r.an[1].rd.a, addr("198.51.100.80").b, 4);
	/* An alias to a name that does not exist: NXDOMAIN about the
	 * chain's end (RFC 6604 §2.1), the alias still given; the alias
	 * itself stays known to exist. */
	resolve_run(lab, &r, "gone.example.test", DNS_T_A, SIM_S(5));
	assert_int_equal(r.rcode, DNS_R_NXDOMAIN);
	assert_int_equal(r.nan, 1);
	assert_string_equal(r.an[0].rd.target, "nosuch.other.test");
	assert_true(r.has_soa);
	assert_string_equal(r.soa.name, "other.test");
	resolve(lab, &r, "gone.example.test", DNS_T_CNAME);
	assert_true(r.sync);
	assert_int_equal(r.rcode, DNS_R_NOERROR);
	assert_int_equal(r.nan, 1);
	/* The same within one answer: ns1 gives dangling -> nosuch and
	 * NXDOMAIN; the negative entry is nosuch's, not dangling's. */
	resolve_run(lab, &r, "dangling.example.test", DNS_T_A, SIM_S(5));
	assert_int_equal(r.rcode, DNS_R_NXDOMAIN);
	assert_int_equal(r.nan, 1);
	assert_string_equal(r.an[0].rd.target, "nosuch.example.test");
	assert_string_equal(r.soa.name, "example.test");
	resolve(lab, &r, "dangling.example.test", DNS_T_CNAME);
	assert_true(r.sync);
	assert_int_equal(r.rcode, DNS_R_NOERROR);
	resolve(lab, &r, "nosuch.example.test", DNS_T_TXT);
	assert_true(r.sync);
	assert_int_equal(r.rcode, DNS_R_NXDOMAIN);
	lab_free(lab);
}

static void
test_recursor_cname_chain_of_eight_links_then_servfail(void **state)
{
	struct lab *lab = lab_new();
	struct rres r;
	char b[256];
	size_t i;

	(void)state;
	/* c1 -> c2.other -> c3 ... -> c9: eight links, each asked of its
	 * own zone: the eight CNAMEs, then the A record. */
	resolve_run(lab, &r, "c1.example.test", DNS_T_A, SIM_S(5));
	assert_int_equal(r.rcode, DNS_R_NOERROR);
	assert_int_equal(r.nan, 9);
	for (i = 0; i < 8; i++)
		assert_int_equal(r.an[i].type, DNS_T_CNAME);
	assert_string_equal(r.an[8].name, "c9.example.test");
	assert_memory_equal(r.an[8].rd.a, addr("192.0.2.99").b, 4);
	assert_string_equal(asked(lab, 0, b, sizeof(b)),
	    "root tld ns1 tld other ns1 other ns1 other ns1 other ns1");
	/* c0 adds a ninth: SERVFAIL (recursor.c, MAX_LINKS 8), whether
	 * the links come in answers or from the cache. */
	resolve_run(lab, &r, "c0.example.test", DNS_T_A, SIM_S(5));
	assert_int_equal(r.rcode, DNS_R_SERVFAIL);
	assert_int_equal(r.nan, 0);
	assert_string_equal(asked(lab, 12, b, sizeof(b)), "ns1");
	lab_free(lab);

	/* Fresh: every link from an answer. */
	lab = lab_new();
	resolve_run(lab, &r, "c0.example.test", DNS_T_A, SIM_S(5));
	assert_int_equal(r.rcode, DNS_R_SERVFAIL);
	assert_int_equal(r.nan, 0);
	assert_string_equal(asked(lab, 0, b, sizeof(b)),
	    "root tld ns1 tld other ns1 other ns1 other ns1 other");
	lab_free(lab);
}

/* --- the cache
 * ------------------------------------------------------------------- */

static void
test_recursor_positive_cache_lives_its_ttl_and_counts_down(void **state)
{
	struct lab *lab = lab_new();
	struct rres r;
	sim_time_t t0;

	(void)state;
	resolve_run(lab, &r, "mx1.example.test", DNS_T_A, SIM_S(5));
	t0 = r.at;
	assert_int_equal(r.an[0].ttl, 3600);
	/* RFC 1035 §3.2.1 / RFC 2181 §8: within the TTL no packet, and
	 * the TTL handed out is what is left: 2599 s after 1000.5 s
	 * (whole seconds, rounded down, as Unbound and BIND count). */
	sim_run(&lab->sim, t0 + SIM_MS(1000500));
	resolve(lab, &r, "mx1.example.test", DNS_T_A);
	assert_true(r.cached);
	assert_int_equal(r.an[0].ttl, 2599);
	sim_run(&lab->sim, t0 + SIM_S(3599));
	resolve(lab, &r, "mx1.example.test", DNS_T_A);
	assert_true(r.cached);
	assert_int_equal(r.an[0].ttl, 1);
	assert_int_equal(lab->nq, 3);
	/* At 3600 s it is gone: ns1 is asked again (its NS and address,
	 * cached for a day, are still there). */
	sim_run(&lab->sim, t0 + SIM_S(3600));
	resolve_run(lab, &r, "mx1.example.test", DNS_T_A, SIM_S(5));
	assert_false(r.cached);
	assert_int_equal(lab->nq, 4);
	assert_int_equal(lab->q[3].srv, H_NS1);
	assert_int_equal(lab->q[3].t, t0 + SIM_S(3600));
	assert_int_equal(r.an[0].ttl, 3600);
	/* The chain from the cache counts down too. */
	resolve_run(lab, &r, "www.example.test", DNS_T_A, SIM_S(5));
	sim_run(&lab->sim, r.at + SIM_S(10));
	resolve(lab, &r, "www.example.test", DNS_T_A);
	assert_true(r.cached);
	assert_int_equal(r.nan, 2);
	assert_int_equal(r.an[0].ttl, 3590);
	lab_free(lab);
}

static void
test_recursor_ttl_is_capped_at_a_day(void **state)
{
	struct lab *lab = lab_new();
	struct rres r;
	sim_time_t t0;
	size_t n;

	(void)state;
	/* Unbound cache-max-ttl 86400: a two-day TTL is handed out and
	 * kept as one day. */
	resolve_run(lab, &r, "week.example.test", DNS_T_A, SIM_S(5));
	t0 = r.at;
	assert_int_equal(r.an[0].ttl, 86400);
	sim_run(&lab->sim, t0 + SIM_S(86399));
	resolve(lab, &r, "week.example.test", DNS_T_A);
	assert_true(r.cached);
	assert_int_equal(r.an[0].ttl, 1);
	n = lab->nq;
	sim_run(&lab->sim, t0 + SIM_S(86400));
	resolve_run(lab, &r, "week.example.test", DNS_T_A, SIM_S(5));
	assert_false(r.cached);
	/* Everything learnt a day ago has gone: root, tld, ns1 again. */
	assert_int_equal(lab->nq, n + 3);
	assert_int_equal(lab->q[n + 2].srv, H_NS1);
	lab_free(lab);
}

static void
test_recursor_negative_cache_nxdomain_and_nodata(void **state)
{
	struct lab *lab = lab_new();
	struct rres r;
	sim_time_t t0;

	(void)state;
	/* RFC 2308 §5: NXDOMAIN kept for min(SOA TTL 3600, MINIMUM 300). */
	resolve_run(lab, &r, "nosuch.example.test", DNS_T_A, SIM_S(5));
	t0 = r.at;
	assert_int_equal(r.rcode, DNS_R_NXDOMAIN);
	assert_true(r.has_soa);
	assert_int_equal(r.soa.ttl, 300);
	assert_int_equal(lab->nq, 3);
	/* §2.1: the name does not exist, whatever the type. */
	sim_run(&lab->sim, t0 + SIM_S(299));
	resolve(lab, &r, "nosuch.example.test", DNS_T_MX);
	assert_true(r.sync);
	assert_int_equal(r.rcode, DNS_R_NXDOMAIN);
	assert_int_equal(r.soa.ttl, 1);
	assert_int_equal(lab->nq, 3);
	sim_run(&lab->sim, t0 + SIM_S(300));
	resolve_run(lab, &r, "nosuch.example.test", DNS_T_A, SIM_S(5));
	assert_false(r.cached);
	assert_int_equal(lab->nq, 4);

	/* §2.2: NODATA is about one type: AAAA of mx1 is cached empty,
	 * MX of mx1 is asked. */
	resolve_run(lab, &r, "mx1.example.test", DNS_T_AAAA, SIM_S(5));
	t0 = r.at;
	assert_int_equal(r.rcode, DNS_R_NOERROR);
	assert_int_equal(r.nan, 0);
	assert_int_equal(r.soa.ttl, 300);
	assert_int_equal(lab->nq, 5);
	resolve(lab, &r, "mx1.example.test", DNS_T_AAAA);
	assert_true(r.cached);
	assert_int_equal(r.nan, 0);
	assert_true(r.has_soa);
	resolve_run(lab, &r, "mx1.example.test", DNS_T_MX, SIM_S(5));
	assert_false(r.cached);
	assert_int_equal(lab->nq, 6);
	sim_run(&lab->sim, t0 + SIM_S(300));
	resolve_run(lab, &r, "mx1.example.test", DNS_T_AAAA, SIM_S(5));
	assert_int_equal(lab->nq, 7);

	/* Unbound cache-max-negative-ttl 3600: neg.test's day becomes an
	 * hour. */
	resolve_run(lab, &r, "nosuch.neg.test", DNS_T_A, SIM_S(5));
	t0 = r.at;
	assert_int_equal(r.rcode, DNS_R_NXDOMAIN);
	assert_int_equal(r.soa.ttl, 3600);
	sim_run(&lab->sim, t0 + SIM_S(3599));
	resolve(lab, &r, "nosuch.neg.test", DNS_T_A);
	assert_true(r.cached);
	sim_run(&lab->sim, t0 + SIM_S(3600));
	resolve_run(lab, &r, "nosuch.neg.test", DNS_T_A, SIM_S(5));
	assert_false(r.cached);
	lab_free(lab);
}

/* --- failing servers
 * ------------------------------------------------------------- */

static void
test_recursor_refused_server_is_lame_for_600s(void **state)
{
	struct lab *lab = lab_new();
	struct rres r;
	char b[256];
	sim_time_t t_lame;

	(void)state;
	/* ns1 answers REFUSED for its own zone (a lame delegation, RFC
	 * 1912 §2.8): ns2 at once. */
	outage(lab, H_NS1, FAULT_LAME);
	resolve_run(lab, &r, "mx1.example.test", DNS_T_A, SIM_S(5));
	assert_string_equal(asked(lab, 0, b, sizeof(b)), "root tld ns1 ns2");
	assert_int_equal(lab->q[3].t, 3 * RTT);
	assert_int_equal(r.at, 4 * RTT);
	assert_int_equal(r.rcode, DNS_R_NOERROR);
	t_lame = 3 * RTT;
	/* BIND lame-ttl 600 s: ns1 is skipped until then... */
	sim_run(&lab->sim, t_lame + SIM_S(599));
	resolve_run(lab, &r, "mx2.example.test", DNS_T_A, SIM_S(1));
	assert_string_equal(asked(lab, 4, b, sizeof(b)), "ns2");
	/* ...and asked again from then on. */
	sim_run(&lab->sim, t_lame + SIM_S(600));
	resolve_run(lab, &r, "www.example.test", DNS_T_A, SIM_S(1));
	assert_string_equal(asked(lab, 5, b, sizeof(b)), "ns1 ns2");
	assert_int_equal(r.rcode, DNS_R_NOERROR);
	lab_free(lab);
}

static void
test_recursor_upward_referral_is_lame(void **state)
{
	struct lab *lab = lab_new();
	struct rres r;
	char b[256];

	(void)state;
	/* up, asked for lame.test, refers to test. (not closer than the
	 * zone asked): lame, like REFUSED; ns2 answers. */
	resolve_run(lab, &r, "www.lame.test", DNS_T_A, SIM_S(5));
	assert_string_equal(asked(lab, 0, b, sizeof(b)), "root tld up ns2");
	assert_int_equal(r.rcode, DNS_R_NOERROR);
	assert_memory_equal(r.an[0].rd.a, addr("192.0.2.71").b, 4);
	/* Skipped for the next name of the zone. */
	resolve_run(lab, &r, "lame.test", DNS_T_NS, SIM_S(5));
	assert_string_equal(asked(lab, 4, b, sizeof(b)), "ns2");
	lab_free(lab);
}

static void
test_recursor_timeout_moves_to_the_next_server(void **state)
{
	struct lab *lab = lab_new();
	struct rres r;
	char b[256];

	(void)state;
	/* ns1 is down: after 1 s without an answer, ns2 (recursor.c). */
	outage(lab, H_NS1, FAULT_DOWN);
	resolve_run(lab, &r, "mx1.example.test", DNS_T_A, SIM_S(10));
	assert_string_equal(asked(lab, 0, b, sizeof(b)), "root tld ns1 ns2");
	assert_int_equal(lab->q[3].t, 2 * RTT + SIM_S(1));
	assert_int_equal(r.at, 3 * RTT + SIM_S(1));
	assert_int_equal(r.rcode, DNS_R_NOERROR);
	/* A timeout is not lameness: ns1 is tried first again. */
	resolve_run(lab, &r, "mx2.example.test", DNS_T_A, SIM_S(10));
	assert_string_equal(asked(lab, 4, b, sizeof(b)), "ns1 ns2");
	lab_free(lab);
}

static void
test_recursor_fresh_port_per_query_late_answer_meets_a_closed_one(void **state)
{
	struct lab *lab = lab_new();
	struct rres r;
	char b[256];
	size_t i, k;

	(void)state;
	/* ns1 holds each answer 2 s: past the resolver's 1 s, so ns2 is
	 * asked (recursor.c). */
	outage(lab, H_NS1, FAULT_DNS_SLOW);
	lab->faults[H_NS1].delay = SIM_S(2);
	resolve_run(lab, &r, "mx1.example.test", DNS_T_A, SIM_S(10));
	assert_string_equal(asked(lab, 0, b, sizeof(b)), "root tld ns1 ns2");
	assert_int_equal(r.rcode, DNS_R_NOERROR);
	assert_int_equal(r.at, 3 * RTT + SIM_S(1));
	/* RFC 5452 §9.2 (as Unbound and BIND do): every upstream query from
	 * a random port of its own (Linux ip_local_port_range, 32768-60999),
	 * with an ID of its own. */
	for (i = 0; i < 4; i++) {
		assert_in_range(lab->q[i].sport, 32768, 60999);
		for (k = 0; k < i; k++) {
			assert_int_not_equal(lab->q[i].sport, lab->q[k].sport);
			assert_int_not_equal(
			    be16(lab->q[i].b), be16(lab->q[k].b));
		}
	}
	/* ns1's answer left at 2.5 RTT + 2 s and found ns1's port closed:
	 * ICMP port unreachable back to ns1 (RFC 1122 §4.1.3.1), naming
	 * the port it was sent to.  Nothing else drew one. */
	assert_int_equal(lab->nic, 1);
	assert_int_equal(lab->ic[0].t, 3 * RTT + SIM_S(2));
	assert_int_equal(lab->ic[0].srv, H_NS1);
	assert_int_equal(lab->ic[0].type, 3);
	assert_int_equal(lab->ic[0].code, 3);
	assert_int_equal(lab->ic[0].sport, 53);
	assert_int_equal(lab->ic[0].dport, lab->q[2].sport);
	/* The job is over: no port left bound. */
	assert_null(lab->rec->udp);
	lab_free(lab);
}

static void
test_recursor_all_servers_failing_is_servfail(void **state)
{
	struct lab *lab = lab_new();
	struct rres r;
	char b[256];

	(void)state;
	outage(lab, H_NS1, FAULT_DOWN);
	outage(lab, H_NS2, FAULT_SERVFAIL);
	resolve_run(lab, &r, "mx1.example.test", DNS_T_A, SIM_S(10));
	assert_string_equal(asked(lab, 0, b, sizeof(b)), "root tld ns1 ns2");
	assert_int_equal(r.rcode, DNS_R_SERVFAIL);
	assert_int_equal(r.at, 3 * RTT + SIM_S(1));
	assert_int_equal(r.nan, 0);
	assert_false(r.has_soa);
	/* SERVFAIL is not cached: the next question asks again. */
	resolve_run(lab, &r, "mx1.example.test", DNS_T_A, SIM_S(10));
	assert_string_equal(asked(lab, 4, b, sizeof(b)), "ns1 ns2");
	lab_free(lab);
}

/* --- cancellation
 * ----------------------------------------------------------------- */

static void
test_recursor_cancel_frees_everything(void **state)
{
	struct lab *lab = lab_new();
	struct rres r, r2;
	uint32_t h;

	(void)state;
	/* Cancelled while a nested resolution (the glueless server's name)
	 * waits for ns1: no callback, no more queries, no port left. */
	h = resolve(lab, &r, "www.glueless.test", DNS_T_A);
	sim_run(&lab->sim, 3 * RTT + L);
	assert_int_equal(lab->nq, 4);
	assert_int_equal(lab->q[3].srv, H_NS1);
	recursor_cancel(lab->rc, h);
	assert_null(lab->rec->udp);
	sim_run(&lab->sim, SIM_S(60));
	assert_int_equal(r.calls, 0);
	assert_int_equal(lab->nq, 4);
	/* Unknown handles are ignored. */
	recursor_cancel(lab->rc, h);
	recursor_cancel(lab->rc, 0xffff);
	/* Jobs still running when the recursor goes (ASan checks). */
	resolve(lab, &r, "www.g1.test", DNS_T_A);
	resolve(lab, &r2, "www.other.test", DNS_T_A);
	sim_run(&lab->sim, sim_now(&lab->sim) + RTT / 2);
	assert_int_equal(r.calls + r2.calls, 0);
	lab_free(lab);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_recursor_iterates_from_the_root_with_glue),
	    cmocka_unit_test(test_recursor_keeps_every_glue_address),
	    cmocka_unit_test(
	        test_recursor_glueless_delegation_resolves_the_server_name_first),
	    cmocka_unit_test(test_recursor_glueless_chain_depth_is_bounded),
	    cmocka_unit_test(test_recursor_glueless_name_known_not_to_exist),
	    cmocka_unit_test(
	        test_recursor_cname_in_the_answer_and_across_zones),
	    cmocka_unit_test(
	        test_recursor_cname_chain_of_eight_links_then_servfail),
	    cmocka_unit_test(
	        test_recursor_positive_cache_lives_its_ttl_and_counts_down),
	    cmocka_unit_test(test_recursor_ttl_is_capped_at_a_day),
	    cmocka_unit_test(test_recursor_negative_cache_nxdomain_and_nodata),
	    cmocka_unit_test(test_recursor_refused_server_is_lame_for_600s),
	    cmocka_unit_test(test_recursor_upward_referral_is_lame),
	    cmocka_unit_test(test_recursor_timeout_moves_to_the_next_server),
	    cmocka_unit_test(
	        test_recursor_fresh_port_per_query_late_answer_meets_a_closed_one),
	    cmocka_unit_test(test_recursor_all_servers_failing_is_servfail),
	    cmocka_unit_test(test_recursor_cancel_frees_everything),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

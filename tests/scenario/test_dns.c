/*
 * test_dns.c - the DNS scenarios (scenarios/dns-*.lua, mx-*.lua,
 * zone-file.lua) and the fixtures of tests/scenario/fixtures/, with the
 * attempt order, the simulated times of the decisive events, their
 * narrative and the records that prove the mechanism pinned.
 *
 * Times follow from the network (see test_scenarios.c): the default
 * one-way latency between two hosts is 200 us, so the stub resolver of a
 * sender gets an answer 0.4 ms after its question, a recursive resolver
 * adds 0.4 ms for each server it asks, and a delivery takes 2.8 ms from
 * the first SYN to the 250 after ".".  A stub asks its servers in the
 * order given and moves to the next one at once on REFUSED or SERVFAIL
 * (glibc res_send.c: "next_ns"), so a question the first server does not
 * serve costs two round trips, 0.8 ms.  DNS over TCP costs the handshake
 * round trip before the query's own: 0.8 ms.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "net/net.h"
#include "script/scenario.h"

#define US(x) SIM_US(x)

/* The n-th record of 'type' by 'actor' exists, at 'when', saying 'what'.
 * A macro, so that a failure names the test's line. */
#define ASSERT_REC(h, type, actor, n, when, what)                              \
	do {                                                                   \
		const struct hrec *x_ = h_find((h), (type), (actor), (n));     \
                                                                               \
		assert_non_null(x_);                                           \
		assert_int_equal(x_->t, (when));                               \
		assert_string_equal(x_->text, (what));                         \
	} while (0)

static void
all_hold(const struct hrun *h)
{
	size_t i;

	for (i = 0; i < h->w.nexpects; i++)
		if (!h->res[i].ok)
			fail_msg("expectation at line %d failed: %s",
			    h->res[i].e->at.line, h->res[i].why);
	assert_int_equal(h->nfail, 0);
}

/* Records of 'type' by 'actor' in [t0, t1) whose text contains 'sub'
 * (NULL: any text). */
static size_t
count_in(const struct hrun *h, const char *type, const char *actor,
    sim_time_t t0, sim_time_t t1, const char *sub)
{
	size_t i, n = 0;

	for (i = 0; i < h->nrec; i++) {
		const struct hrec *r = &h->rec[i];

		if (r->t < t0 || r->t >= t1 || strcmp(r->type, type) != 0)
			continue;
		if (actor != NULL && strcmp(r->actor, actor) != 0)
			continue;
		if (sub != NULL && strstr(r->text, sub) == NULL)
			continue;
		n++;
	}
	return n;
}

/* The n-th record of 'type' by 'actor' whose text contains 'sub'. */
static const struct hrec *
find_text(const struct hrun *h, const char *type, const char *actor,
    const char *sub, size_t n)
{
	size_t i;

	for (i = 0; i < h->nrec; i++) {
		const struct hrec *r = &h->rec[i];

		if (strcmp(r->type, type) != 0 ||
		    (actor != NULL && strcmp(r->actor, actor) != 0) ||
		    strstr(r->text, sub) == NULL)
			continue;
		if (n-- == 0)
			return r;
	}
	return NULL;
}

/* --- the packets of a run ------------------------------------------- */

/* One IPv4 packet a host sent, as its origin sent it. */
struct wpkt {
	sim_time_t t;   /* when */
	uint8_t proto;  /* 6 TCP, 17 UDP */
	uint8_t src[4]; /* IPv4 source */
	uint8_t dst[4]; /* IPv4 destination */
	uint16_t sport; /* transport ports */
	uint16_t dport; /* */
	uint8_t tflags; /* TCP flags */
	uint32_t seq;   /* TCP sequence number */
};

struct wire {
	struct wpkt p[256]; /* the packets, in order */
	size_t n;           /* how many */
};

static uint64_t
wire_frame(void *ctx, const struct net_frame *nf)
{
	struct wire *w = ctx;
	const uint8_t *ip = nf->data + 14;
	const uint8_t *l4;
	struct wpkt *p;

	if (((nf->data[12] << 8) | nf->data[13]) != 0x0800 ||
	    (ip[9] != 6 && ip[9] != 17))
		return 0;
	assert_true(w->n < sizeof(w->p) / sizeof(w->p[0]));
	p = &w->p[w->n++];
	l4 = ip + (size_t)(ip[0] & 0x0f) * 4;
	p->t = nf->t;
	p->proto = ip[9];
	memcpy(p->src, ip + 12, 4);
	memcpy(p->dst, ip + 16, 4);
	p->sport = (uint16_t)(l4[0] << 8 | l4[1]);
	p->dport = (uint16_t)(l4[2] << 8 | l4[3]);
	if (p->proto == 6) {
		p->tflags = l4[13];
		p->seq = (uint32_t)l4[4] << 24 | (uint32_t)l4[5] << 16 |
		         (uint32_t)l4[6] << 8 | l4[7];
	}
	return w->n;
}

static const struct net_tap_ops wire_ops = {
    .frame = wire_frame, .note = NULL, .done = NULL};

/* Runs scenario 'rel' again, with its own seed, recording the packets
 * (the trace comes from h_run(); same seed, same run). */
static void
wire_run(const char *rel, struct wire *wr)
{
	struct world w;
	struct world_run run;
	struct mxl_limits lim;
	struct mx_err err;
	char path[1024];

	memset(wr, 0, sizeof(*wr));
	snprintf(path, sizeof(path), "%s/%s", MX_SOURCE_DIR, rel);
	mxl_limits_default(&lim);
	mx_err_clear(&err);
	world_init(&w);
	if (mxl_scenario_load(path, &lim, &w, &err) != 0)
		fail_msg("loading %s: %s", rel, err.msg);
	if (world_run_init(&run, &w, w.seed, &err) != 0)
		fail_msg("building %s: %s", rel, err.msg);
	assert_int_equal(net_tap_add(&run.net, NULL, &wire_ops, wr), 0);
	world_run_go(&run);
	world_run_fini(&run);
	world_free(&w);
}

/* The n-th packet from 'src' with protocol 'proto', TCP flags exactly
 * 'flags' (UDP: 0) and destination port 'dport', or NULL. */
static const struct wpkt *
wire_find(const struct wire *wr, const char *src, uint8_t proto, uint8_t flags,
    uint16_t dport, size_t n)
{
	struct net_addr a;
	size_t i;

	assert_true(net_addr_parse(src, &a));
	for (i = 0; i < wr->n; i++) {
		const struct wpkt *p = &wr->p[i];

		if (p->proto == proto && p->tflags == flags &&
		    p->dport == dport && memcmp(p->src, a.b, 4) == 0 &&
		    n-- == 0)
			return p;
	}
	return NULL;
}

static size_t
wire_count(const struct wire *wr, const char *src, uint8_t proto, uint8_t flags,
    uint16_t dport)
{
	size_t n = 0;

	while (wire_find(wr, src, proto, flags, dport, n) != NULL)
		n++;
	return n;
}

/* Packet 'p' went to 'dst'. */
static void
assert_to(const struct wpkt *p, const char *dst)
{
	struct net_addr a;

	assert_non_null(p);
	assert_true(net_addr_parse(dst, &a));
	assert_memory_equal(p->dst, a.b, 4);
}

/* --- the shipped scenarios ------------------------------------------ */

/* RFC 1034 §5.3.3: the resolver walks from the root hints down the
 * referrals (root, test., example.test: three iterative round trips
 * behind the stub's own), then answers from its cache (RFC 1035
 * §7.4) until the TTL runs out. */
static void
test_dns_recursive_walks_the_delegations_then_uses_its_cache(void **state)
{
	struct hrun *h = h_run("scenarios/dns-recursive.lua", 0);
	struct mta_rcpt_result r;
	const struct hrec *x;
	char buf[128];
	size_t i;

	(void)state;
	all_hold(h);
	assert_string_equal(
	    h_attempts(h, "bob@example.test", 1, buf, sizeof(buf)),
	    "mx1:delivered");
	assert_string_equal(
	    h_attempts(h, "carol@example.test", 2, buf, sizeof(buf)),
	    "mx1:delivered");
	/* The stub's round trip (0.4 ms) and three iterative ones. */
	ASSERT_REC(h, "dns.rec.query", "rec", 0, US(200),
	    "asks 203.0.113.1 (zone '.') MX? example.test");
	ASSERT_REC(h, "dns.rec.referral", "rec", 0, US(600),
	    "203.0.113.1 (zone '.') refers example.test to zone 'test'");
	ASSERT_REC(h, "dns.rec.query", "rec", 1, US(600),
	    "asks 203.0.113.2 (zone 'test') MX? example.test");
	ASSERT_REC(h, "dns.rec.query", "rec", 2, US(1000),
	    "asks 192.0.2.53 (zone 'example.test') MX? example.test");
	ASSERT_REC(h, "mta.mx", "mta", 0, US(1600),
	    "MX example.test: 10 mx1.example.test, 20 mx2.example.test");
	/* The A questions go straight to ns1: the NS set of example.test
	 * is cached (one iterative round trip each). */
	ASSERT_REC(h, "dns.rec.query", "rec", 3, US(1800),
	    "asks 192.0.2.53 (zone 'example.test') A? mx1.example.test");
	ASSERT_REC(h, "mta.addr", "mta", 0, US(2400),
	    "A mx1.example.test: 192.0.2.10");
	ASSERT_REC(h, "mta.addr", "mta", 1, US(3200),
	    "A mx2.example.test: 192.0.2.20");
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_int_equal(r.attempts[0].start, US(3200));
	assert_int_equal(r.t, US(3200) + US(2800));
	assert_int_equal(
	    count_in(h, "dns.rec.query", "rec", 0, SIM_S(1), NULL), 5);
	/* Message 2: not one query leaves the resolver; its three answers
	 * say "from the cache", each one stub round trip. */
	assert_int_equal(
	    count_in(h, "dns.rec.query", "rec", SIM_MIN(10), SIM_H(1), NULL),
	    0);
	for (i = 0; i < 3; i++) {
		x = h_find(h, "dns.answer", "rec", 3 + i);
		assert_non_null(x);
		assert_int_equal(x->t, SIM_MIN(10) + US(200 + 400 * i));
		assert_string_equal(
		    h_field(x, "why", buf, sizeof(buf)), "from the cache");
	}
	ASSERT_REC(h, "mta.mx", "mta", 1, SIM_MIN(10) + US(400),
	    "MX example.test: 10 mx1.example.test, 20 mx2.example.test");
	assert_int_equal(h_result(h, "carol@example.test", 2, &r), 0);
	assert_int_equal(r.t, SIM_MIN(10) + US(1200) + US(2800));
	h_free(h);
}

/* glibc res_send.c: a SERVFAIL answer moves to the next server at once
 * ("next_ns"); with one server and 'attempts' 2 that is a second query
 * 0.4 ms later.  RFC 5321 §5.1: a temporary error defers (Postfix 4.4.3
 * "Host not found, try again"); the rfc5321 retry is 30 min later
 * (RFC 5321 §4.5.4.1). */
static void
test_dns_servfail_defers_4_4_3_and_delivers_at_the_retry(void **state)
{
	struct hrun *h = h_run("scenarios/dns-servfail.lua", 0);
	struct mta_rcpt_result r;
	const struct hrec *x;
	char buf[128];

	(void)state;
	all_hold(h);
	assert_string_equal(
	    h_attempts(h, "bob@example.test", 1, buf, sizeof(buf)),
	    "mx1:delivered");
	x = h_find(h, "dns.query", "mta", 1);
	assert_non_null(x);
	assert_int_equal(x->t, US(400));
	assert_string_equal(h_field(x, "try", buf, sizeof(buf)), "2");
	x = h_find(h, "dns.answer", "ns1", 0);
	assert_non_null(x);
	assert_string_equal(h_field(x, "rcode", buf, sizeof(buf)), "SERVFAIL");
	assert_string_equal(
	    h_field(x, "why", buf, sizeof(buf)), "outage: servfail");
	ASSERT_REC(h, "mta.mx", "mta", 0, US(800),
	    "MX example.test: lookup failed (servfail)");
	ASSERT_REC(h, "mta.defer", "mta", 0, US(800),
	    "deferred msg 1 for example.test: 4.4.3 MX lookup for "
	    "example.test failed (servfail); next attempt in 30m (at "
	    "1800.000800)");
	ASSERT_REC(h, "mta.retry", "mta", 0, SIM_MIN(30) + US(800),
	    "delivery attempt 2 for msg 1 to example.test");
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_int_equal(r.deliveries, 2);
	assert_int_equal(r.attempts[0].delivery, 2);
	assert_int_equal(r.attempts[0].start, SIM_MIN(30) + US(1600));
	assert_int_equal(r.t, SIM_MIN(30) + US(1600) + US(2800));
	assert_int_equal(h_count(h, "mta.connect", "mta"), 1);
	h_free(h);
}

/* RFC 1035 §4.1.1, RFC 5321 §5.1: NXDOMAIN is final; the message bounces
 * one round trip after it was queued (5.1.2, RFC 3463 "bad destination
 * system address"), with no second query and no retry.  The message sent
 * after the fix is delivered. */
static void
test_dns_nxdomain_bounces_5_1_2_at_once(void **state)
{
	struct hrun *h = h_run("scenarios/dns-nxdomain.lua", 0);
	struct mta_rcpt_result r;
	char buf[128];

	(void)state;
	all_hold(h);
	ASSERT_REC(h, "mta.mx", "mta", 0, US(400),
	    "MX example.test: NXDOMAIN, the domain does not exist");
	ASSERT_REC(h, "mta.bounce", "mta", 0, US(400),
	    "bounced msg 1 for bob@example.test: 5.1.2 the recipient's "
	    "domain does not exist (NXDOMAIN)");
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_int_equal(r.outcome, MTA_BOUNCED);
	assert_int_equal(r.t, US(400));
	assert_int_equal(r.nattempts, 0);
	assert_int_equal(r.deliveries, 1);
	assert_string_equal(
	    r.reason, "5.1.2 the recipient's domain does not exist (NXDOMAIN)");
	assert_int_equal(
	    count_in(h, "dns.query", "mta", 0, SIM_MIN(20), NULL), 1);
	assert_int_equal(h_count(h, "mta.retry", "mta"), 0);
	assert_string_equal(
	    h_attempts(h, "carol@example.test", 2, buf, sizeof(buf)),
	    "mx1:delivered");
	assert_int_equal(h_result(h, "carol@example.test", 2, &r), 0);
	assert_int_equal(r.t, SIM_MIN(20) + US(800) + US(2800));
	h_free(h);
}

/* RFC 1035 §4.2.1: a TC answer carries no records; glibc send_vc() asks
 * the same server again over TCP (RFC 7766).  Each lookup costs the UDP
 * round trip, then the TCP handshake and the query: 1.2 ms. */
static void
test_dns_truncate_retries_every_lookup_over_tcp(void **state)
{
	struct hrun *h = h_run("scenarios/dns-truncate.lua", 0);
	struct mta_rcpt_result r;
	const struct hrec *x;
	char buf[128];

	(void)state;
	all_hold(h);
	assert_string_equal(
	    h_attempts(h, "bob@example.test", 1, buf, sizeof(buf)),
	    "mx1:delivered");
	x = h_find(h, "dns.answer", "ns1", 0);
	assert_non_null(x);
	assert_int_equal(x->t, US(200));
	assert_string_equal(h_field(x, "tc", buf, sizeof(buf)), "1");
	assert_string_equal(h_field(x, "tcp", buf, sizeof(buf)), "0");
	assert_string_equal(h_field(x, "answers", buf, sizeof(buf)), "0");
	assert_string_equal(
	    h_field(x, "why", buf, sizeof(buf)), "outage: truncate");
	ASSERT_REC(h, "dns.tcp", "mta", 0, US(400),
	    "DNS MX? example.test -> ns1 over TCP (the answer was "
	    "truncated)");
	x = h_find(h, "dns.tcp", "mta", 0);
	assert_string_equal(h_field(x, "server", buf, sizeof(buf)), "ns1");
	assert_string_equal(h_field(x, "qtype", buf, sizeof(buf)), "MX");
	/* SYN at 0.4 ms, SYN-ACK back at 0.8 ms, the query reaches ns1 at
	 * 1.0 ms and its answer the sender at 1.2 ms. */
	x = h_find(h, "dns.answer", "ns1", 1);
	assert_non_null(x);
	assert_int_equal(x->t, US(1000));
	assert_string_equal(h_field(x, "tc", buf, sizeof(buf)), "0");
	assert_string_equal(h_field(x, "tcp", buf, sizeof(buf)), "1");
	assert_string_equal(h_field(x, "answers", buf, sizeof(buf)), "1");
	ASSERT_REC(h, "mta.mx", "mta", 0, US(1200),
	    "MX example.test: 10 mx1.example.test");
	ASSERT_REC(h, "dns.tcp", "mta", 1, US(1600),
	    "DNS A? mx1.example.test -> ns1 over TCP (the answer was "
	    "truncated)");
	ASSERT_REC(h, "mta.addr", "mta", 0, US(2400),
	    "A mx1.example.test: 192.0.2.10");
	/* One UDP datagram per question: TC is not a reason to resend. */
	assert_int_equal(h_count(h, "dns.query", "mta"), 2);
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_int_equal(r.t, US(2400) + US(2800));
	h_free(h);
}

/* Both servers truncate; ns1's TCP/53 is filtered.  glibc res_send.c:
 * the TC answer sends the question over TCP to ns1 (send_vc(), "goto
 * same_ns"); connect() has no timeout of its own, so the SYNs go
 * unanswered until Linux gives up (tcp_syn_retries 6: SYNs at 0, 1, 3,
 * 7, 15, 31, 63 s, RFC 6298 §5.5 doubling from 1 s; failure at 127 s);
 * then, still on TCP (v_circuit), ns2, which answers.  No UDP to ns2 and
 * no second round.  Each lookup costs 0.4 ms (UDP, TC) + 127 s + 0.8 ms
 * (TCP handshake and query): MX at 127.0012 s, A at 254.0024 s, the
 * delivery 2.8 ms later. */
static void
test_dns_no_tcp_waits_the_syn_retries_then_asks_ns2(void **state)
{
	static const sim_time_t synat[7] = {
	    0, SIM_S(1), SIM_S(3), SIM_S(7), SIM_S(15), SIM_S(31), SIM_S(63)};
	static const char *const mta = "203.0.113.7";
	const sim_time_t t0[2] = {0, SIM_S(127) + US(1200)};
	struct hrun *h = h_run("scenarios/dns-no-tcp.lua", 0);
	struct wire *wr = calloc(1, sizeof(*wr));
	struct mta_rcpt_result r;
	const struct hrec *x;
	char buf[128];
	size_t k, i;

	(void)state;
	assert_non_null(wr);
	all_hold(h);
	assert_string_equal(
	    h_attempts(h, "bob@example.test", 1, buf, sizeof(buf)),
	    "mx1:delivered");
	x = h_find(h, "dns.query", "mta", 0);
	assert_non_null(x);
	assert_int_equal(x->t, 0);
	assert_string_equal(h_field(x, "server", buf, sizeof(buf)), "ns1");
	assert_string_equal(h_field(x, "wait", buf, sizeof(buf)), "5000000000");
	ASSERT_REC(h, "dns.tcp", "mta", 0, US(400),
	    "DNS MX? example.test -> ns1 over TCP (the answer was "
	    "truncated)");
	ASSERT_REC(h, "dns.tcp", "mta", 1, SIM_S(127) + US(400),
	    "DNS MX? example.test -> ns2 over TCP (the query stays on TCP "
	    "after a truncated answer)");
	assert_string_equal(
	    h_field(h_find(h, "dns.tcp", "mta", 1), "try", buf, sizeof(buf)),
	    "3");
	ASSERT_REC(h, "mta.mx", "mta", 0, SIM_S(127) + US(1200),
	    "MX example.test: 10 mx1.example.test");
	/* glibc keeps no memory of the failure: the A question starts at
	 * ns1 again and pays the same 127 s. */
	ASSERT_REC(h, "dns.query", "mta", 1, SIM_S(127) + US(1200),
	    "DNS A? mx1.example.test -> ns1");
	ASSERT_REC(h, "dns.tcp", "mta", 2, SIM_S(127) + US(1600),
	    "DNS A? mx1.example.test -> ns1 over TCP (the answer was "
	    "truncated)");
	ASSERT_REC(h, "dns.tcp", "mta", 3, SIM_S(254) + US(1600),
	    "DNS A? mx1.example.test -> ns2 over TCP (the query stays on TCP "
	    "after a truncated answer)");
	ASSERT_REC(h, "mta.addr", "mta", 0, SIM_S(254) + US(2400),
	    "A mx1.example.test: 192.0.2.10");
	/* Two datagrams in all, both to ns1; ns1 never answered over TCP,
	 * ns2 answered both questions over it. */
	assert_int_equal(h_count(h, "dns.query", "mta"), 2);
	assert_int_equal(h_count(h, "dns.tcp", "mta"), 4);
	assert_int_equal(
	    count_in(h, "dns.answer", "ns1", 0, SIM_H(1), "over TCP"), 0);
	assert_int_equal(
	    count_in(h, "dns.answer", "ns2", 0, SIM_H(1), "over TCP"), 2);
	assert_int_equal(
	    count_in(h, "dns.answer", "ns2", 0, SIM_H(1), NULL), 2);
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_int_equal(r.attempts[0].start, SIM_S(254) + US(2400));
	assert_int_equal(r.t, SIM_S(254) + US(2400) + US(2800));

	/* The packets. */
	wire_run("scenarios/dns-no-tcp.lua", wr);
	assert_int_equal(wire_count(wr, mta, 17, 0, 53), 2);
	assert_int_equal(wire_count(wr, mta, 6, 0x02, 53), 16);
	for (k = 0; k < 2; k++) {
		const struct wpkt *u = wire_find(wr, mta, 17, 0, 53, k);
		const struct wpkt *s0 = wire_find(wr, mta, 6, 0x02, 53, 8 * k);
		const struct wpkt *s7;

		assert_to(u, "192.0.2.53");
		assert_int_equal(u->t, t0[k]);
		for (i = 0; i < 7; i++) {
			const struct wpkt *s =
			    wire_find(wr, mta, 6, 0x02, 53, 8 * k + i);

			assert_to(s, "192.0.2.53");
			assert_int_equal(s->t, t0[k] + US(400) + synat[i]);
			/* Retransmissions of one SYN: same port, same
			 * sequence number. */
			assert_int_equal(s->sport, s0->sport);
			assert_int_equal(s->seq, s0->seq);
		}
		s7 = wire_find(wr, mta, 6, 0x02, 53, 8 * k + 7);
		assert_to(s7, "198.51.100.53");
		assert_int_equal(s7->t, t0[k] + US(400) + SIM_S(127));
		/* A new connection: a socket of its own. */
		assert_int_not_equal(s7->sport, s0->sport);
	}
	/* Then SMTP. */
	assert_to(wire_find(wr, mta, 6, 0x02, 25, 0), "192.0.2.10");
	assert_int_equal(
	    wire_find(wr, mta, 6, 0x02, 25, 0)->t, SIM_S(254) + US(2400));
	free(wr);
	h_free(h);
}

/* ns1 holds every answer 8 s.  glibc send_dg(): after RES_TIMEOUT (5 s)
 * the same query (same ID, same port) goes again, and an answer to
 * either copy is taken: the first, at 8 s.  MX at 8 s, A at 16 s. */
static void
test_dns_slow_resends_at_5s_and_takes_the_late_answer(void **state)
{
	struct hrun *h = h_run("scenarios/dns-slow.lua", 0);
	struct mta_rcpt_result r;
	const struct hrec *x, *y;
	char a[32], b[32];

	(void)state;
	all_hold(h);
	assert_string_equal(h_attempts(h, "bob@example.test", 1, a, sizeof(a)),
	    "mx1:delivered");
	x = h_find(h, "dns.query", "mta", 0);
	assert_non_null(x);
	assert_int_equal(x->t, 0);
	assert_string_equal(h_field(x, "wait", a, sizeof(a)), "5000000000");
	y = h_find(h, "dns.query", "mta", 1);
	assert_non_null(y);
	assert_int_equal(y->t, SIM_S(5));
	assert_string_equal(y->text, "DNS MX? example.test -> ns1 (try 2)");
	assert_string_equal(
	    h_field(x, "id", a, sizeof(a)), h_field(y, "id", b, sizeof(b)));
	assert_string_equal(
	    h_field(h_find(h, "dns.answer", "ns1", 0), "why", a, sizeof(a)),
	    "outage: slow");
	/* The answer to the first copy left at 8.0002 s. */
	ASSERT_REC(h, "mta.mx", "mta", 0, SIM_S(8) + US(400),
	    "MX example.test: 10 mx1.example.test");
	ASSERT_REC(h, "dns.query", "mta", 2, SIM_S(8) + US(400),
	    "DNS A? mx1.example.test -> ns1");
	ASSERT_REC(h, "dns.query", "mta", 3, SIM_S(13) + US(400),
	    "DNS A? mx1.example.test -> ns1 (try 2)");
	ASSERT_REC(h, "mta.addr", "mta", 0, SIM_S(16) + US(800),
	    "A mx1.example.test: 192.0.2.10");
	/* The second answers (13 s, 21 s) change nothing. */
	assert_int_equal(h_count(h, "mta.mx", "mta"), 1);
	assert_int_equal(h_count(h, "mta.addr", "mta"), 1);
	assert_int_equal(h_count(h, "dns.query", "mta"), 4);
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_int_equal(r.t, SIM_S(16) + US(800) + US(2800));
	h_free(h);
}

/* RFC 1912 §2.8: a lame server answers REFUSED; the resolver marks it
 * lame for the zone for 600 s (BIND lame-ttl) and asks the next one.
 * With every server lame: SERVFAIL to the stub, a 4.4.3 deferral (RFC
 * 5321 §5.1), the retry 30 min later. */
static void
test_dns_lame_server_asked_once_per_lame_ttl(void **state)
{
	struct hrun *h = h_run("scenarios/dns-lame.lua", 0);
	struct mta_rcpt_result r;
	const struct hrec *x, *prev = NULL;
	char buf[128];
	size_t i;

	(void)state;
	all_hold(h);
	assert_string_equal(
	    h_attempts(h, "bob@example.test", 1, buf, sizeof(buf)),
	    "mx1:delivered");
	assert_string_equal(
	    h_attempts(h, "carol@example.test", 2, buf, sizeof(buf)),
	    "mx1:delivered");
	/* Root, test., ns-old (REFUSED), ns1: four iterative round trips. */
	ASSERT_REC(h, "dns.rec.query", "rec", 2, US(1000),
	    "asks 198.51.100.54 (zone 'example.test') MX? example.test");
	ASSERT_REC(h, "dns.rec.lame", "rec", 0, US(1400),
	    "REFUSED from 198.51.100.54 (zone 'example.test') for "
	    "example.test: lame, skipped for 10m; next server");
	ASSERT_REC(h, "mta.mx", "mta", 0, US(2000),
	    "MX example.test: 10 mx1.example.test");
	/* The A question skips ns-old: one round trip. */
	ASSERT_REC(h, "dns.rec.query", "rec", 4, US(2200),
	    "asks 192.0.2.53 (zone 'example.test') A? mx1.example.test");
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_int_equal(r.t, US(2800) + US(2800));
	/* ns-old is asked three times in 2 h: at 1 ms, then only after
	 * each lame mark has expired (600 s later at the least). */
	assert_int_equal(count_in(h, "dns.rec.query", "rec", 0, SIM_H(2),
	                     "asks 198.51.100.54"),
	    3);
	for (i = 0; i < 3; i++) {
		x = find_text(
		    h, "dns.rec.query", "rec", "asks 198.51.100.54", i);
		assert_non_null(x);
		if (prev != NULL)
			assert_true(x->t - prev->t >= SIM_S(600));
		prev = x;
	}
	assert_int_equal(prev->t, SIM_H(1) + US(2600));
	/* At 30 min ns1 is lame too (outage at 20 min). */
	ASSERT_REC(h, "dns.rec.lame", "rec", 2, SIM_MIN(30) + US(1000),
	    "REFUSED from 192.0.2.53 (zone 'example.test') for "
	    "example.test: lame, skipped for 10m; next server");
	ASSERT_REC(h, "dns.rec.fail", "rec", 0, SIM_MIN(30) + US(1000),
	    "no server of zone 'example.test' left to ask for example.test "
	    "(lame, failing or unreachable): SERVFAIL");
	/* The stub's second try (glibc: SERVFAIL, next server) finds both
	 * marked lame: SERVFAIL at once, no query upstream. */
	ASSERT_REC(h, "dns.query", "mta", 3, SIM_MIN(30) + US(1200),
	    "DNS MX? example.test -> rec (try 2)");
	assert_int_equal(count_in(h, "dns.rec.query", "rec",
	                     SIM_MIN(30) + US(1200), SIM_MIN(31), NULL),
	    0);
	ASSERT_REC(h, "mta.defer", "mta", 0, SIM_MIN(30) + US(1600),
	    "deferred msg 2 for example.test: 4.4.3 MX lookup for "
	    "example.test failed (servfail); next attempt in 30m (at "
	    "3600.001600)");
	assert_int_equal(h_result(h, "carol@example.test", 2, &r), 0);
	assert_int_equal(r.deliveries, 2);
	/* At 1 h the cached delegation has expired (TTL 1 h): from the root
	 * again, ns-old once more (lame), then ns1: five round trips to the
	 * MX, one more to the A. */
	assert_int_equal(r.attempts[0].start, SIM_H(1) + US(1600) + US(2800));
	assert_int_equal(r.t, SIM_H(1) + US(1600) + US(2800) + US(2800));
	assert_int_equal(h_count(h, "dns.rec.lame", "rec"), 4);
	h_free(h);
}

/* RFC 1035 §3.2.1, RFC 2181 §8: a cached record may be used for its TTL.
 * The A record of mx1 (TTL 1 h) fetched at 0 s still answers 192.0.2.10
 * at 20 min, after the renumbering: the rfc5321 30 s connect timeout
 * (Postfix smtp_connect_timeout), then the backup. */
static void
test_dns_stale_mx_answered_from_the_cache(void **state)
{
	struct hrun *h = h_run("scenarios/dns-stale-mx.lua", 0);
	const sim_time_t t2 = SIM_MIN(20), t3 = SIM_MIN(70);
	struct mta_rcpt_result r;
	const struct hrec *x;
	char buf[128];

	(void)state;
	all_hold(h);
	assert_string_equal(
	    h_attempts(h, "bob@example.test", 1, buf, sizeof(buf)),
	    "mx1-old:delivered");
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_int_equal(r.t, US(2800) + US(2800));
	ASSERT_REC(h, "zone.change", "sim", 0, SIM_MIN(10),
	    "zone example.test changes (serial 2): -mx1.example.test A "
	    "192.0.2.10, +mx1.example.test A 192.0.2.11");
	/* Message 2: every answer from the cache, nothing asked upstream. */
	assert_int_equal(
	    count_in(h, "dns.rec.query", "rec", t2, t2 + SIM_MIN(1), NULL), 0);
	x = find_text(h, "dns.answer", "rec", "A? mx1.example.test", 1);
	assert_non_null(x);
	assert_int_equal(x->t, t2 + US(600));
	assert_string_equal(
	    h_field(x, "why", buf, sizeof(buf)), "from the cache");
	assert_string_equal(h_field(x, "answers", buf, sizeof(buf)), "1");
	ASSERT_REC(h, "mta.addr", "mta", 2, t2 + US(800),
	    "A mx1.example.test: 192.0.2.10");
	assert_string_equal(
	    h_attempts(h, "carol@example.test", 2, buf, sizeof(buf)),
	    "mx1-old:timeout,mx2:delivered");
	assert_int_equal(h_result(h, "carol@example.test", 2, &r), 0);
	assert_string_equal(r.attempts[0].addr, "192.0.2.10");
	assert_int_equal(r.attempts[0].start, t2 + US(1200));
	assert_int_equal(r.attempts[0].end, t2 + US(1200) + SIM_S(30));
	assert_string_equal(r.attempts[1].addr, "198.51.100.20");
	assert_int_equal(r.t, t2 + US(1200) + SIM_S(30) + US(2800));
	/* Message 3, after the TTL: asked again from the root, the new
	 * address. */
	ASSERT_REC(h, "dns.rec.query", "rec",
	    count_in(h, "dns.rec.query", "rec", 0, t3, NULL), t3 + US(200),
	    "asks 203.0.113.1 (zone '.') MX? example.test");
	x = find_text(h, "mta.addr", "mta", "192.0.2.11", 0);
	assert_non_null(x);
	assert_int_equal(x->t, t3 + US(2000));
	assert_string_equal(x->text, "A mx1.example.test: 192.0.2.11");
	assert_string_equal(
	    h_attempts(h, "dave@example.test", 3, buf, sizeof(buf)),
	    "mx1:delivered");
	assert_int_equal(h_result(h, "dave@example.test", 3, &r), 0);
	assert_string_equal(r.attempts[0].addr, "192.0.2.11");
	assert_int_equal(r.t, t3 + US(2800) + US(2800));
	h_free(h);
}

/* RFC 2308 §5: the NXDOMAIN is cached for min(SOA TTL, MINIMUM) = 1 h;
 * the message at 10 min bounces without a single upstream query; the
 * one at 70 min is delivered. */
static void
test_dns_negative_cache_outlives_the_fix(void **state)
{
	struct hrun *h = h_run("scenarios/dns-negative-cache.lua", 0);
	const sim_time_t t2 = SIM_MIN(10), t3 = SIM_MIN(70);
	struct mta_rcpt_result r;
	const struct hrec *x;
	char buf[128];

	(void)state;
	all_hold(h);
	/* Stub, root, ns1: three round trips. */
	ASSERT_REC(h, "mta.bounce", "mta", 0, US(1200),
	    "bounced msg 1 for bob@shop.example.test: 5.1.2 the "
	    "recipient's domain does not exist (NXDOMAIN)");
	assert_int_equal(h_result(h, "bob@shop.example.test", 1, &r), 0);
	assert_int_equal(r.outcome, MTA_BOUNCED);
	assert_int_equal(r.t, US(1200));
	assert_int_equal(h_count(h, "zone.change", "sim"), 1);
	assert_int_equal(h_find(h, "zone.change", "sim", 0)->t, SIM_MIN(5));
	/* Message 2: zero queries by the resolver. */
	assert_int_equal(count_in(h, "dns.rec.query", "rec", t2, t3, NULL), 0);
	x = h_find(h, "dns.answer", "rec", 1);
	assert_non_null(x);
	assert_int_equal(x->t, t2 + US(200));
	assert_string_equal(h_field(x, "rcode", buf, sizeof(buf)), "NXDOMAIN");
	assert_string_equal(
	    h_field(x, "why", buf, sizeof(buf)), "from the cache");
	ASSERT_REC(h, "mta.bounce", "mta", 1, t2 + US(400),
	    "bounced msg 2 for carol@shop.example.test: 5.1.2 the "
	    "recipient's domain does not exist (NXDOMAIN)");
	assert_int_equal(h_result(h, "carol@shop.example.test", 2, &r), 0);
	assert_int_equal(r.outcome, MTA_BOUNCED);
	assert_int_equal(r.t, t2 + US(400));
	/* Message 3: the entry has expired; root, ns1, then A: three
	 * upstream queries. */
	assert_int_equal(
	    count_in(h, "dns.rec.query", "rec", t3, SIM_H(2), NULL), 3);
	assert_string_equal(
	    h_attempts(h, "dave@shop.example.test", 3, buf, sizeof(buf)),
	    "mx1:delivered");
	assert_int_equal(h_result(h, "dave@shop.example.test", 3, &r), 0);
	assert_int_equal(r.t, t3 + US(2000) + US(2800));
	h_free(h);
}

/* RFC 2181 §10.3 forbids an MX naming an alias; Postfix (dns_lookup.c,
 * 10 CNAMEs) follows it, the strict sender (mx_cname = refuse) does not.
 * ns1 answers only the CNAME (the target is not in its zone): the
 * follower asks A for the target, ns1 refuses, nsh answers. */
static void
test_mx_cname_followed_by_one_sender_refused_by_the_other(void **state)
{
	struct hrun *h = h_run("scenarios/mx-cname.lua", 0);
	struct mta_rcpt_result r;
	char buf[128];

	(void)state;
	all_hold(h);
	assert_string_equal(
	    h_attempts(h, "bob@example.test", 1, buf, sizeof(buf)),
	    "mx1:delivered");
	ASSERT_REC(h, "mta.mx", "mta", 0, US(400),
	    "MX example.test: 10 mail.example.test, 20 mx2.example.test");
	ASSERT_REC(h, "dns.query", "mta", 1, US(400),
	    "DNS A? mail.example.test -> ns1");
	ASSERT_REC(h, "dns.query", "mta", 2, US(800),
	    "DNS A? mx1.hosting.test -> ns1");
	ASSERT_REC(h, "dns.query", "mta", 3, US(1200),
	    "DNS A? mx1.hosting.test -> nsh (try 2)");
	ASSERT_REC(h, "mta.addr", "mta", 0, US(1600),
	    "A mail.example.test (via CNAME mx1.hosting.test): 203.0.113.10");
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_string_equal(r.attempts[0].addr, "203.0.113.10");
	assert_int_equal(r.attempts[0].pref, 10);
	assert_int_equal(r.attempts[0].start, US(2000));
	assert_int_equal(r.t, US(2000) + US(2800));
	/* The strict sender: the alias is refused, no question for its
	 * target; the backup at preference 20. */
	assert_string_equal(
	    h_attempts(h, "carol@example.test", 2, buf, sizeof(buf)),
	    "mx2:delivered");
	ASSERT_REC(h, "mta.addr", "strict", 0, SIM_MIN(1) + US(800),
	    "A mail.example.test: an alias (CNAME) of mx1.hosting.test, "
	    "refused (mx_cname = refuse, RFC 2181 §10.3)");
	assert_int_equal(
	    count_in(h, "dns.query", "strict", 0, SIM_H(1), "mx1.hosting.test"),
	    0);
	assert_int_equal(h_result(h, "carol@example.test", 2, &r), 0);
	assert_int_equal(r.attempts[0].pref, 20);
	assert_int_equal(r.t, SIM_MIN(1) + US(1200) + US(2800));
	h_free(h);
}

/* RFC 5321 §5.1: an exchange must be a name.  Exim (allow_mx_to_ip =
 * false, the rfc5321 default) skips the literal without a lookup;
 * Postfix (smtp_addr.c) connects to the address. */
static void
test_mx_ip_literal_skipped_or_used(void **state)
{
	struct hrun *h = h_run("scenarios/mx-ip-literal.lua", 0);
	struct mta_rcpt_result r;
	char buf[128];

	(void)state;
	all_hold(h);
	assert_string_equal(
	    h_attempts(h, "bob@example.test", 1, buf, sizeof(buf)),
	    "mx2:delivered");
	ASSERT_REC(h, "mta.addr", "mta", 0, US(400),
	    "MX host 192.0.2.10 is an IP address, not a name: skipped "
	    "(mx_ip_literal = reject)");
	ASSERT_REC(
	    h, "mta.addr", "mta", 1, US(800), "A mx2.example.test: 192.0.2.20");
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_int_equal(r.t, US(800) + US(2800));
	/* Neither sender asks DNS about the literal. */
	assert_int_equal(
	    count_in(h, "dns.query", NULL, 0, SIM_H(1), "192.0.2.10"), 0);
	assert_string_equal(
	    h_attempts(h, "carol@example.test", 2, buf, sizeof(buf)),
	    "mx1:delivered");
	ASSERT_REC(h, "mta.addr", "lenient", 0, SIM_MIN(1) + US(400),
	    "MX host 192.0.2.10 is an IP address: used as one "
	    "(mx_ip_literal = accept)");
	assert_int_equal(h_result(h, "carol@example.test", 2, &r), 0);
	assert_string_equal(r.attempts[0].addr, "192.0.2.10");
	assert_int_equal(r.attempts[0].pref, 10);
	/* mx2 is still looked up before the first connection. */
	assert_int_equal(r.attempts[0].start, SIM_MIN(1) + US(800));
	assert_int_equal(r.t, SIM_MIN(1) + US(800) + US(2800));
	h_free(h);
}

/* RFC 5321 §5.1: a sender in the MX list drops its own preference and
 * worse (Postfix smtp_addr.c smtp_truncate_self(), matching by address);
 * when it is the best MX nothing is left: bounce, Postfix's "5.4.6 mail
 * for <domain> loops back to myself". */
static void
test_mx_self_drops_itself_and_bounces_5_4_6_as_best(void **state)
{
	struct hrun *h = h_run("scenarios/mx-self.lua", 0);
	struct mta_rcpt_result r;
	char buf[128];

	(void)state;
	all_hold(h);
	assert_string_equal(
	    h_attempts(h, "bob@example.test", 1, buf, sizeof(buf)),
	    "mx1:timeout,mx1:delivered");
	ASSERT_REC(h, "mta.mx", "relay", 1, US(1200),
	    "this host is an MX of example.test (pref 20): MX hosts of pref "
	    "20 and worse are dropped (RFC 5321 §5.1), 1 address left");
	/* mx1 is down: the 30 s connect timeout, then no fallback to
	 * itself, a deferral (rfc5321 retry 30 min). */
	ASSERT_REC(h, "mta.defer", "relay", 0, SIM_S(30) + US(1200),
	    "deferred msg 1 for example.test: mx1.example.test: connect "
	    "timeout after 30s (5 SYNs unanswered); next attempt in 30m (at "
	    "1830.001200)");
	assert_int_equal(
	    count_in(h, "mta.connect", "relay", 0, SIM_H(2), "relay"), 0);
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_int_equal(r.attempts[1].start, SIM_S(1830) + US(2400));
	assert_int_equal(r.t, SIM_S(1830) + US(2400) + US(2800));
	ASSERT_REC(h, "mta.mx", "relay", 3, SIM_MIN(1) + US(800),
	    "this host is an MX of solo.test (pref 10): MX hosts of pref 10 "
	    "and worse are dropped (RFC 5321 §5.1), 0 addresses left");
	ASSERT_REC(h, "mta.bounce", "relay", 0, SIM_MIN(1) + US(800),
	    "bounced msg 2 for carol@solo.test: 5.4.6 mail for solo.test "
	    "loops back to myself");
	assert_int_equal(h_result(h, "carol@solo.test", 2, &r), 0);
	assert_int_equal(r.outcome, MTA_BOUNCED);
	assert_int_equal(r.nattempts, 0);
	assert_string_equal(
	    r.reason, "5.4.6 mail for solo.test loops back to myself");
	assert_int_equal(h_count(h, "smtp.stored", "relay"), 0);
	h_free(h);
}

/* Zones from RFC 1035 master files: the records the files hold, the
 * stub asking ns1 then ns2 (REFUSED moves on, glibc), and RFC 6724 IPv6
 * first for a dual-stack sender; each RST costs one round trip (RFC
 * 9293 §3.10.7.1). */
static void
test_zone_file_records_and_failover(void **state)
{
	struct hrun *h = h_run("scenarios/zone-file.lua", 0);
	struct mta_rcpt_result r;
	char buf[128];

	(void)state;
	all_hold(h);
	assert_string_equal(
	    h_attempts(h, "bob@example.test", 1, buf, sizeof(buf)),
	    "mx1:refused,mx1:refused,backup:delivered");
	ASSERT_REC(h, "mta.mx", "mta", 0, US(400),
	    "MX example.test: 10 mx1.example.test, 20 mx.backup.test");
	/* The blank owner of the AAAA line is mx1's. */
	ASSERT_REC(h, "mta.addr", "mta", 0, US(800),
	    "AAAA mx1.example.test: 2001:db8::10");
	ASSERT_REC(h, "mta.addr", "mta", 1, US(1200),
	    "A mx1.example.test: 192.0.2.10");
	/* backup.test is on ns2 only: 0.8 ms per question. */
	ASSERT_REC(h, "mta.addr", "mta", 2, US(2800),
	    "A mx.backup.test: 198.51.100.20");
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_string_equal(r.attempts[0].addr, "2001:db8::10");
	assert_int_equal(r.attempts[0].start, US(2800));
	assert_string_equal(r.attempts[1].addr, "192.0.2.10");
	assert_int_equal(r.attempts[1].start, US(3200));
	assert_string_equal(r.attempts[2].addr, "198.51.100.20");
	assert_int_equal(r.attempts[2].start, US(3600));
	assert_int_equal(r.t, US(3600) + US(2800));
	h_free(h);
}

/* --- fixtures --------------------------------------------------------- */

/* The domains MX host 'host' of run 'h' accepts mail for, as a
 * comma-separated list in the order the world gave them. */
static const char *
mx_domains_of(const struct hrun *h, const char *host, char *buf, size_t len)
{
	size_t i, d, off = 0;

	buf[0] = '\0';
	for (i = 0; i < h->run.nhosts; i++) {
		const struct world_run_host *rh = &h->run.hosts[i];

		if (strcmp(rh->wh->name, host) != 0)
			continue;
		for (d = 0; d < rh->ndomains && off < len; d++)
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
			    d ? "," : "", rh->domains[d]);
		return buf;
	}
	fail_msg("no host %s", host);
	return buf;
}

/* RFC 5321 §5.1: "If a CNAME record is found, the resulting name is
 * processed as if it were the initial name."  In one zone the server
 * answers CNAME + MX (RFC 1034 §4.3.2 step 3a): one question.  Across
 * zones the stub gets only the CNAME and asks MX at the target (as
 * Postfix dns_lookup() does on DNS_RECURSE).  A target without MX is the
 * implicit MX itself.  The MX host of the target takes the alias domain's
 * mail as its own, as an operator lists the alias in Postfix's
 * relay_domains (world.c mx_domains(): the owners of the MX records that
 * name the host, then their CNAME aliases); no zone declares the alias
 * domains' MX. */
static void
test_fixture_recipient_domain_is_a_cname(void **state)
{
	struct hrun *h = h_run("tests/scenario/fixtures/cname-domain.lua", 0);
	struct mta_rcpt_result r;
	const struct hrec *x;
	char buf[128];

	(void)state;
	all_hold(h);
	/* Same zone: one MX question, CNAME and MX in its answer. */
	assert_string_equal(
	    h_attempts(h, "bob@shop.example.test", 1, buf, sizeof(buf)),
	    "mx1:delivered");
	assert_int_equal(
	    count_in(h, "dns.query", "mta", 0, SIM_MIN(1), "MX?"), 1);
	x = h_find(h, "dns.answer", "ns1", 0);
	assert_non_null(x);
	assert_string_equal(h_field(x, "answers", buf, sizeof(buf)), "2");
	ASSERT_REC(h, "mta.mx", "mta", 0, US(400),
	    "MX shop.example.test (via CNAME example.test): 10 "
	    "mx1.example.test");
	assert_int_equal(h_result(h, "bob@shop.example.test", 1, &r), 0);
	assert_int_equal(r.t, US(800) + US(2800));
	/* RCPT answered 250 (RFC 5321 §4.2.2), stored by mx1. */
	ASSERT_REC(h, "smtp.stored", "mx1", 0, US(800) + US(2600),
	    "250 accepted msg 1 for bob@shop.example.test");
	assert_int_equal(h_count(h, "smtp.stored", "mx1"), 1);
	assert_string_equal(mx_domains_of(h, "mx1", buf, sizeof(buf)),
	    "example.test,shop.example.test");
	/* Other zone: CNAME only from ns1, MX at the target from nsh
	 * (after ns1's REFUSED). */
	assert_string_equal(
	    h_attempts(h, "carol@store.example.test", 2, buf, sizeof(buf)),
	    "mxh:delivered");
	ASSERT_REC(h, "mta.mx", "mta", 1, SIM_MIN(1) + US(400),
	    "MX store.example.test: an alias (CNAME) of store.hosted.test, "
	    "asking its MX");
	ASSERT_REC(h, "dns.query", "mta", 3, SIM_MIN(1) + US(400),
	    "DNS MX? store.hosted.test -> ns1");
	ASSERT_REC(h, "mta.mx", "mta", 2, SIM_MIN(1) + US(1200),
	    "MX store.example.test (via CNAME store.hosted.test): 10 "
	    "mx.hosted.test");
	assert_int_equal(h_result(h, "carol@store.example.test", 2, &r), 0);
	assert_int_equal(r.attempts[0].pref, 10);
	ASSERT_REC(h, "smtp.stored", "mxh", 0, SIM_MIN(1) + US(2000) + US(2600),
	    "250 accepted msg 2 for carol@store.example.test");
	assert_int_equal(h_count(h, "smtp.stored", "mxh"), 1);
	assert_string_equal(mx_domains_of(h, "mxh", buf, sizeof(buf)),
	    "store.hosted.test,store.example.test");
	/* Nothing relayed: the sender's relay-denied 554 never came. */
	assert_int_equal(
	    count_in(h, "smtp.recv", "mta", 0, SIM_H(1), "554"), 0);
	assert_int_equal(r.t, SIM_MIN(1) + US(2000) + US(2800));
	/* The target has no MX: the target, not the alias, is the implicit
	 * MX, at preference 0. */
	assert_string_equal(
	    h_attempts(h, "dave@web.example.test", 3, buf, sizeof(buf)),
	    "web:delivered");
	ASSERT_REC(h, "mta.mx", "mta", 3, SIM_MIN(2) + US(400),
	    "MX web.example.test: an alias (CNAME) of www.hosted.test, "
	    "asking its MX");
	ASSERT_REC(h, "mta.mx", "mta", 4, SIM_MIN(2) + US(1200),
	    "MX web.example.test: no MX record, implicit MX: "
	    "www.hosted.test itself");
	assert_int_equal(count_in(h, "dns.query", "mta", SIM_MIN(2), SIM_MIN(3),
	                     "A? web.example.test"),
	    0);
	assert_int_equal(h_result(h, "dave@web.example.test", 3, &r), 0);
	assert_int_equal(r.attempts[0].pref, 0);
	assert_string_equal(r.attempts[0].addr, "203.0.113.80");
	assert_int_equal(r.t, SIM_MIN(2) + US(2000) + US(2800));
	h_free(h);
}

/* RFC 1034 §3.6.2: chains are followed, loops are an error.  The sender
 * follows 8 CNAME links per lookup (mta.c CNAME_HOPS_MAX), counted over
 * all the answers of the lookup; past that, a temporary failure: 4.4.3
 * (RFC 5321 §5.1, "queued and retried later"). */
static void
test_fixture_cname_loop_and_long_chain_defer_4_4_3(void **state)
{
	struct hrun *h = h_run("tests/scenario/fixtures/cname-chain.lua", 0);
	struct mta_rcpt_result r;
	char buf[128];

	(void)state;
	all_hold(h);
	/* A loop in one answer: given up at the first answer. */
	ASSERT_REC(h, "mta.mx", "mta", 0, US(400),
	    "MX loop.example.test: CNAME chain longer than 8 links");
	ASSERT_REC(h, "mta.defer", "mta", 0, US(400),
	    "deferred msg 1 for loop.example.test: 4.4.3 CNAME chain too "
	    "long; next attempt in 30m (at 1800.000400)");
	assert_int_equal(
	    count_in(h, "dns.query", "mta", 0, SIM_MIN(1), NULL), 1);
	assert_int_equal(h_result(h, "bob@loop.example.test", 1, &r), 0);
	assert_int_equal(r.outcome, MTA_DEFERRED);
	assert_string_equal(r.reason, "4.4.3 CNAME chain too long");
	/* Nine links in one answer. */
	ASSERT_REC(h, "mta.mx", "mta", 1, SIM_MIN(1) + US(400),
	    "MX c1.example.test: CNAME chain longer than 8 links");
	assert_int_equal(h_result(h, "carol@c1.example.test", 2, &r), 0);
	assert_int_equal(r.outcome, MTA_DEFERRED);
	assert_int_equal(r.nattempts, 0);
	/* Eight links in one answer: the end is asked for its MX, has none,
	 * and is the implicit MX. */
	ASSERT_REC(h, "mta.mx", "mta", 2, SIM_MIN(2) + US(400),
	    "MX d1.example.test: an alias (CNAME) of mail.example.test, "
	    "asking its MX");
	ASSERT_REC(h, "mta.mx", "mta", 3, SIM_MIN(2) + US(800),
	    "MX d1.example.test: no MX record, implicit MX: "
	    "mail.example.test itself");
	assert_string_equal(
	    h_attempts(h, "dave@d1.example.test", 3, buf, sizeof(buf)),
	    "mail:delivered");
	assert_int_equal(h_result(h, "dave@d1.example.test", 3, &r), 0);
	assert_int_equal(r.t, SIM_MIN(2) + US(1200) + US(2800));
	/* 7 links from ns1, 1 from nsh (after ns1's REFUSED), the ninth
	 * from ns1 again. */
	ASSERT_REC(h, "mta.mx", "mta", 4, SIM_MIN(3) + US(400),
	    "MX f1.example.test: an alias (CNAME) of f7.hosted.test, asking "
	    "its MX");
	ASSERT_REC(h, "mta.mx", "mta", 5, SIM_MIN(3) + US(1200),
	    "MX f7.hosted.test: an alias (CNAME) of f8.example.test, asking "
	    "its MX");
	ASSERT_REC(h, "mta.mx", "mta", 6, SIM_MIN(3) + US(1600),
	    "MX f1.example.test: CNAME chain longer than 8 links");
	assert_int_equal(h_result(h, "erin@f1.example.test", 4, &r), 0);
	assert_int_equal(r.outcome, MTA_DEFERRED);
	assert_string_equal(r.reason, "4.4.3 CNAME chain too long");
	/* 7 + 1 links: followed. */
	assert_string_equal(
	    h_attempts(h, "frank@g1.example.test", 5, buf, sizeof(buf)),
	    "mail:delivered");
	ASSERT_REC(h, "mta.mx", "mta", 9, SIM_MIN(4) + US(1600),
	    "MX g1.example.test: no MX record, implicit MX: "
	    "mail.example.test itself");
	assert_int_equal(h_result(h, "frank@g1.example.test", 5, &r), 0);
	assert_int_equal(r.t, SIM_MIN(4) + US(2000) + US(2800));
	assert_int_equal(h_count(h, "mta.connect", "mta"), 2);
	h_free(h);
}

/* A recursive resolver follows the alias of the MX host itself (RFC 1034
 * §5.3.3) and answers CNAME + A: the follower uses the address, the
 * strict sender (mx_cname = refuse, RFC 2181 §10.3) still sees the alias
 * and refuses it. */
static void
test_fixture_mx_cname_through_a_recursive_resolver(void **state)
{
	struct hrun *h =
	    h_run("tests/scenario/fixtures/mx-cname-recursive.lua", 0);
	struct mta_rcpt_result r;
	const struct hrec *x;
	char buf[128];

	(void)state;
	all_hold(h);
	/* Stub + root + test. + example.test: 1.6 ms. */
	ASSERT_REC(h, "mta.mx", "mta", 0, US(1600),
	    "MX example.test: 10 mail.example.test, 20 mx2.example.test");
	/* ns1 gives the CNAME; the resolver restarts at mx1.hosting.test
	 * (test.'s servers are known: its referral, then nsh). */
	ASSERT_REC(h, "dns.rec.query", "rec", 4, US(2200),
	    "asks 203.0.113.2 (zone 'test') A? mx1.hosting.test");
	x = h_find(h, "dns.answer", "rec", 1);
	assert_non_null(x);
	assert_int_equal(x->t, US(3000));
	assert_string_equal(
	    h_field(x, "qname", buf, sizeof(buf)), "mail.example.test");
	assert_string_equal(h_field(x, "answers", buf, sizeof(buf)), "2");
	/* One question by the stub for the alias. */
	assert_int_equal(
	    count_in(h, "dns.query", "mta", 0, SIM_MIN(1), "A? mx1"), 0);
	ASSERT_REC(h, "mta.addr", "mta", 0, US(3200),
	    "A mail.example.test (via CNAME mx1.hosting.test): 203.0.113.10");
	assert_string_equal(
	    h_attempts(h, "bob@example.test", 1, buf, sizeof(buf)),
	    "mx1:delivered");
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_int_equal(r.attempts[0].start, US(4000));
	assert_int_equal(r.t, US(4000) + US(2800));
	/* strict, a minute later: everything from the cache, same CNAME +
	 * A answer, refused. */
	x = h_find(h, "dns.answer", "rec", 4);
	assert_non_null(x);
	assert_int_equal(x->t, SIM_MIN(1) + US(600));
	assert_string_equal(
	    h_field(x, "why", buf, sizeof(buf)), "from the cache");
	assert_string_equal(h_field(x, "answers", buf, sizeof(buf)), "2");
	ASSERT_REC(h, "mta.addr", "strict", 0, SIM_MIN(1) + US(800),
	    "A mail.example.test: an alias (CNAME) of mx1.hosting.test, "
	    "refused (mx_cname = refuse, RFC 2181 §10.3)");
	assert_string_equal(
	    h_attempts(h, "carol@example.test", 2, buf, sizeof(buf)),
	    "mx2:delivered");
	assert_int_equal(h_result(h, "carol@example.test", 2, &r), 0);
	assert_int_equal(r.attempts[0].pref, 20);
	assert_int_equal(r.t, SIM_MIN(1) + US(1200) + US(2800));
	h_free(h);
}

/* RFC 5321 §5.1 with nothing left after dropping itself.  Better MX
 * hosts exist but have no address: Postfix smtp_addr.c defers "4.4.4
 * unable to find primary relay for <domain>".  The sender is the best
 * MX with mx_self = freeze: Exim's self = freeze holds the message, with
 * no bounce and no further attempt. */
static void
test_fixture_mx_self_4_4_4_and_freeze(void **state)
{
	struct hrun *h = h_run("tests/scenario/fixtures/mx-self-more.lua", 0);
	struct mta_rcpt_result r;

	(void)state;
	all_hold(h);
	ASSERT_REC(h, "mta.addr", "relay", 0, US(800),
	    "A mx1.norelay.test: nxdomain, no such host");
	ASSERT_REC(h, "mta.mx", "relay", 1, US(1200),
	    "this host is an MX of norelay.test (pref 20): MX hosts of pref "
	    "20 and worse are dropped (RFC 5321 §5.1), 0 addresses left");
	ASSERT_REC(h, "mta.defer", "relay", 0, US(1200),
	    "deferred msg 1 for norelay.test: 4.4.4 unable to find primary "
	    "relay for norelay.test; next attempt in 30m (at 1800.001200)");
	/* The retry (rfc5321: 30 min) finds the same. */
	ASSERT_REC(h, "mta.defer", "relay", 1, SIM_MIN(30) + US(2400),
	    "deferred msg 1 for norelay.test: 4.4.4 unable to find primary "
	    "relay for norelay.test; next attempt in 2h (at 9000.002400)");
	assert_int_equal(h_result(h, "bob@norelay.test", 1, &r), 0);
	assert_int_equal(r.outcome, MTA_DEFERRED);
	assert_int_equal(r.deliveries, 2);
	assert_int_equal(r.nattempts, 0);
	assert_string_equal(
	    r.reason, "4.4.4 unable to find primary relay for norelay.test");
	assert_int_equal(h_count(h, "mta.bounce", "relay"), 0);
	/* Frozen: one attempt, held, no bounce, no retry. */
	ASSERT_REC(h, "mta.mx", "froze", 1, SIM_MIN(1) + US(800),
	    "this host is an MX of solo.test (pref 10): MX hosts of pref 10 "
	    "and worse are dropped (RFC 5321 §5.1), 0 addresses left");
	ASSERT_REC(h, "mta.defer", "froze", 0, SIM_MIN(1) + US(800),
	    "frozen msg 2 for solo.test: the local host is the best MX for "
	    "solo.test (mx_self = freeze); no further attempt");
	assert_int_equal(h_count(h, "mta.retry", "froze"), 0);
	assert_int_equal(h_count(h, "mta.bounce", "froze"), 0);
	assert_int_equal(h_count(h, "dns.query", "froze"), 2);
	assert_int_equal(h_result(h, "carol@solo.test", 2, &r), 0);
	assert_int_equal(r.outcome, MTA_DEFERRED);
	assert_int_equal(r.deliveries, 1);
	assert_string_equal(r.reason,
	    "the local host is the best MX for solo.test (mx_self = "
	    "freeze)");
	h_free(h);
}

/* RFC 5321 §5.1: an MX host without address is unusable, and with no
 * usable one left the mail fails (Postfix: bounce 5.4.4, as no lookup
 * failed softly). */
static void
test_fixture_mx_host_without_address(void **state)
{
	struct hrun *h = h_run("tests/scenario/fixtures/mx-no-address.lua", 0);
	struct mta_rcpt_result r;
	char buf[128];

	(void)state;
	all_hold(h);
	/* A dual-stack sender: AAAA, then A, both NXDOMAIN. */
	ASSERT_REC(h, "dns.query", "mta", 1, US(400),
	    "DNS AAAA? ghost.example.test -> ns1");
	ASSERT_REC(h, "dns.query", "mta", 2, US(800),
	    "DNS A? ghost.example.test -> ns1");
	ASSERT_REC(h, "mta.addr", "mta", 0, US(1200),
	    "A ghost.example.test: nxdomain, no such host");
	ASSERT_REC(h, "mta.addr", "mta", 1, US(2000),
	    "A mx2.example.test: 192.0.2.20");
	assert_string_equal(
	    h_attempts(h, "bob@example.test", 1, buf, sizeof(buf)),
	    "mx2:delivered");
	assert_int_equal(h_result(h, "bob@example.test", 1, &r), 0);
	assert_int_equal(r.attempts[0].pref, 20);
	assert_int_equal(r.t, US(2000) + US(2800));
	ASSERT_REC(h, "mta.bounce", "mta", 0, SIM_MIN(1) + US(1200),
	    "bounced msg 2 for carol@lonely.test: 5.4.4 no MX host of the "
	    "domain has an address");
	assert_int_equal(h_result(h, "carol@lonely.test", 2, &r), 0);
	assert_int_equal(r.outcome, MTA_BOUNCED);
	assert_int_equal(r.t, SIM_MIN(1) + US(1200));
	assert_int_equal(r.nattempts, 0);
	assert_int_equal(h_count(h, "mta.retry", "mta"), 0);
	h_free(h);
}

/* IP-literal exchanges of both families.  Postfix (smtp_addr_one())
 * connects to an IPv6 literal as to any address; an IPv6-only sender
 * skips an IPv4 literal (AI_ADDRCONFIG, RFC 3974: no usable family is
 * no address); Exim (allow_mx_to_ip = false) skips an IPv6 literal as
 * well, and with no other MX the mail bounces (RFC 5321 §5.1). */
static void
test_fixture_ip_literal_of_both_families(void **state)
{
	struct hrun *h =
	    h_run("tests/scenario/fixtures/mx-ip-literal-families.lua", 0);
	struct mta_rcpt_result r;
	char buf[128];

	(void)state;
	all_hold(h);
	ASSERT_REC(h, "mta.addr", "dual", 0, US(400),
	    "MX host 2001:db8::10 is an IP address: used as one "
	    "(mx_ip_literal = accept)");
	ASSERT_REC(h, "mta.connect", "dual", 0, US(400),
	    "connect 2001:db8::10 [2001:db8::10]:25 (pref 10)");
	assert_int_equal(h_count(h, "dns.query", "dual"), 1);
	assert_string_equal(
	    h_attempts(h, "bob@v6.test", 1, buf, sizeof(buf)), "mx1:delivered");
	assert_int_equal(h_result(h, "bob@v6.test", 1, &r), 0);
	assert_string_equal(r.attempts[0].addr, "2001:db8::10");
	assert_int_equal(r.t, US(400) + US(2800));
	ASSERT_REC(h, "mta.addr", "six", 0, SIM_MIN(1) + US(400),
	    "MX host 192.0.2.10 is an IP address of a family this sender "
	    "lacks: skipped");
	ASSERT_REC(h, "mta.addr", "six", 1, SIM_MIN(1) + US(800),
	    "AAAA mx2.example.test: 2001:db8::20");
	assert_int_equal(h_count(h, "dns.query", "six"), 2);
	assert_string_equal(h_attempts(h, "carol@v4.test", 2, buf, sizeof(buf)),
	    "mx2:delivered");
	assert_int_equal(h_result(h, "carol@v4.test", 2, &r), 0);
	assert_string_equal(r.attempts[0].addr, "2001:db8::20");
	assert_int_equal(r.t, SIM_MIN(1) + US(800) + US(2800));
	ASSERT_REC(h, "mta.addr", "exim", 0, SIM_MIN(2) + US(400),
	    "MX host 2001:db8::10 is an IP address, not a name: skipped "
	    "(mx_ip_literal = reject)");
	ASSERT_REC(h, "mta.bounce", "exim", 0, SIM_MIN(2) + US(400),
	    "bounced msg 3 for dave@v6.test: 5.4.4 no MX host of the "
	    "domain has an address");
	assert_int_equal(h_count(h, "dns.query", "exim"), 1);
	h_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
	        test_dns_recursive_walks_the_delegations_then_uses_its_cache),
	    cmocka_unit_test(
	        test_dns_servfail_defers_4_4_3_and_delivers_at_the_retry),
	    cmocka_unit_test(test_dns_nxdomain_bounces_5_1_2_at_once),
	    cmocka_unit_test(test_dns_truncate_retries_every_lookup_over_tcp),
	    cmocka_unit_test(
	        test_dns_no_tcp_waits_the_syn_retries_then_asks_ns2),
	    cmocka_unit_test(
	        test_dns_slow_resends_at_5s_and_takes_the_late_answer),
	    cmocka_unit_test(test_dns_lame_server_asked_once_per_lame_ttl),
	    cmocka_unit_test(test_dns_stale_mx_answered_from_the_cache),
	    cmocka_unit_test(test_dns_negative_cache_outlives_the_fix),
	    cmocka_unit_test(
	        test_mx_cname_followed_by_one_sender_refused_by_the_other),
	    cmocka_unit_test(test_mx_ip_literal_skipped_or_used),
	    cmocka_unit_test(
	        test_mx_self_drops_itself_and_bounces_5_4_6_as_best),
	    cmocka_unit_test(test_zone_file_records_and_failover),
	    cmocka_unit_test(test_fixture_recipient_domain_is_a_cname),
	    cmocka_unit_test(
	        test_fixture_cname_loop_and_long_chain_defer_4_4_3),
	    cmocka_unit_test(
	        test_fixture_mx_cname_through_a_recursive_resolver),
	    cmocka_unit_test(test_fixture_mx_self_4_4_4_and_freeze),
	    cmocka_unit_test(test_fixture_mx_host_without_address),
	    cmocka_unit_test(test_fixture_ip_literal_of_both_families),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

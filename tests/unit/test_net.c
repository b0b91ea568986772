/*
 * test_net.c - the network under the transports (sim/net/net.c): routers,
 * links, ICMP from the last router, taps and notes, and the checksums of
 * IPv6, checked on the bytes the taps see.
 *
 * Two labs: host A "client" (192.0.2.10, 2001:db8::10) joined directly to
 * host B "mx1" (198.51.100.25, 2001:db8:1::25), or A - router R "r1"
 * (203.0.113.1, 2001:db8:ff::1) - B.  Taps record every frame they are
 * shown, the notes they are told about it (by ticket) and how many times
 * they hear it is settled.  Frames are decoded here by hand, with an RFC
 * 1071 sum written in this file.
 *
 * Sources, cited at each test:
 *  - RFC 791 §3.1 (IPv4 header, checksum), RFC 1812 §5.3.1 (a router
 *    decrements the TTL and updates the checksum), RFC 8200 §3 (hop limit
 *    "decremented by 1 by each node that forwards the packet"), §8.1
 *    (upper-layer checksums over the IPv6 pseudo-header);
 *  - RFC 792 (destination unreachable: type 3, code 1 host unreachable,
 *    the original IP header + 64 bits of data), RFC 1812 §5.2.7.1 (code
 *    13, communication administratively prohibited), RFC 4443 §3.1
 *    (ICMPv6 type 1: code 3 address unreachable, code 1 administratively
 *    prohibited, as much of the invoking packet as fits in 1280 bytes),
 *    §2.3 (ICMPv6 checksum with the pseudo-header, next header 58);
 *  - Linux tcp_v4_err() / tcp_v6_err(): an ICMP error for a socket in
 *    SYN_SENT ends the connect at once (EHOSTUNREACH / EACCES);
 *  - RFC 5681 §3.2 (fast retransmit on the third duplicate ACK), RFC 6298
 *    §5 (retransmission on timeout), RFC 9293 §3.10.7.4 (out-of-order data
 *    is answered with an ACK of RCV.NXT);
 *  - net.h for what links and taps promise (serialisation at the link's
 *    bandwidth, jitter that never reorders, losses from the link's own
 *    seeded stream, taps at the origin or at a vantage host).
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
#include "fault/fault.h"
#include "net/cksum.h"
#include "net/net.h"
#include "net/tcp.h"
#include "net/udp.h"

#define L1 SIM_US(100) /* A - R (or A - B) one way */
#define L2 SIM_US(250) /* R - B one way */

#define F_FIN 0x01
#define F_SYN 0x02
#define F_RST 0x04
#define F_ACK 0x10

#define MAXJOBS 512

/* --- wire reading, independent of the simulator --------------------------- */

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* RFC 1071 §4.1: big-endian 16-bit words, an odd last byte as the high
 * half of a word, carries folded at the end. */
static uint16_t
ref_cksum(const uint8_t *p, size_t n)
{
	uint64_t s = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint64_t)p[i] * 256 + p[i + 1];
	if (n % 2)
		s += (uint64_t)p[n - 1] * 256;
	while (s > 0xffff)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)(~s & 0xffff);
}

/* RFC 8200 §8.1: the pseudo-header (source, destination, 32-bit
 * upper-layer packet length, three zero bytes, next header) is built as
 * bytes in front of the segment and the whole summed by ref_cksum().  The
 * segment's checksum field is taken as it is (zero it to compute; leave
 * it to verify, which then gives 0). */
static uint16_t
ref_l4_v6(const uint8_t *src, const uint8_t *dst, uint8_t next,
    const uint8_t *seg, size_t len)
{
	uint8_t *b = malloc(40 + len);
	uint16_t c;

	assert_non_null(b);
	memcpy(b, src, 16);
	memcpy(b + 16, dst, 16);
	b[32] = (uint8_t)(len >> 24);
	b[33] = (uint8_t)(len >> 16);
	b[34] = (uint8_t)(len >> 8);
	b[35] = (uint8_t)len;
	b[36] = b[37] = b[38] = 0;
	b[39] = next;
	memcpy(b + 40, seg, len);
	c = ref_cksum(b, 40 + len);
	free(b);
	return c;
}

/* The same for IPv4 (RFC 768 / RFC 9293 §3.1: src, dst, zero, protocol,
 * 16-bit length). */
static uint16_t
ref_l4_v4(const uint8_t *src, const uint8_t *dst, uint8_t proto,
    const uint8_t *seg, size_t len)
{
	uint8_t *b = malloc(12 + len);
	uint16_t c;

	assert_non_null(b);
	memcpy(b, src, 4);
	memcpy(b + 4, dst, 4);
	b[8] = 0;
	b[9] = proto;
	b[10] = (uint8_t)(len >> 8);
	b[11] = (uint8_t)len;
	memcpy(b + 12, seg, len);
	c = ref_cksum(b, 12 + len);
	free(b);
	return c;
}

/* The checksum a transport segment inside frame 'f' should carry: the
 * reference over a copy with the field at 'ckoff' zeroed. */
static uint16_t
ref_frame_l4(const uint8_t *f, size_t flen, size_t ckoff)
{
	uint8_t copy[NET_FRAME_MAX];
	const uint8_t *ip = copy + 14;

	memcpy(copy, f, flen);
	if (be16(f + 12) == 0x0800) {
		copy[34 + ckoff] = copy[34 + ckoff + 1] = 0;
		return ref_l4_v4(
		    ip + 12, ip + 16, ip[9], ip + 20, be16(ip + 2) - 20u);
	}
	copy[54 + ckoff] = copy[54 + ckoff + 1] = 0;
	return ref_l4_v6(ip + 8, ip + 24, ip[6], ip + 40, be16(ip + 4));
}

/* --- taps that remember ----------------------------------------------------
 */

struct rframe {
	sim_time_t t;                  /* when the tap saw it */
	size_t len;                    /* bytes */
	uint8_t b[NET_FRAME_MAX];      /* the frame */
	uint64_t pkt;                  /* its packet's id */
	const struct net_if *ifp;      /* borrowed: the interface it crossed */
	bool inbound;                  /* arriving at the vantage host */
	char first[NET_NOTES_MAX + 1]; /* the packet's notes when seen */
	char later[1024]; /* notes told through the note op, '\n'-joined */
	int nlater;       /* note op calls */
	int done;         /* done op calls */
};

struct rec {
	struct rframe *f; /* owned frames */
	size_t nf, cap;   /* count, capacity */
};

static uint64_t
rec_frame(void *ctx, const struct net_frame *nf)
{
	struct rec *r = ctx;
	struct rframe *f;

	if (r->nf == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->f = realloc(r->f, r->cap * sizeof(*r->f));
		assert_non_null(r->f);
	}
	f = &r->f[r->nf++];
	memset(f, 0, sizeof(*f));
	assert_true(nf->len <= sizeof(f->b));
	f->t = nf->t;
	f->len = nf->len;
	memcpy(f->b, nf->data, nf->len);
	f->pkt = nf->pkt->id;
	f->ifp = nf->ifp;
	f->inbound = nf->inbound;
	assert_int_equal(strlen(nf->pkt->notes), nf->pkt->nlen);
	memcpy(f->first, nf->pkt->notes, nf->pkt->nlen + 1);
	return r->nf; /* ticket: index + 1, never 0 */
}

static void
rec_note(void *ctx, uint64_t ticket, const char *text)
{
	struct rec *r = ctx;
	struct rframe *f;
	size_t n;

	assert_in_range(ticket, 1, r->nf);
	f = &r->f[ticket - 1];
	assert_int_equal(f->done, 0); /* no note after the fate is settled */
	n = strlen(f->later);
	snprintf(
	    f->later + n, sizeof(f->later) - n, "%s%s", n ? "\n" : "", text);
	f->nlater++;
}

static void
rec_done(void *ctx, uint64_t ticket)
{
	struct rec *r = ctx;

	assert_in_range(ticket, 1, r->nf);
	r->f[ticket - 1].done++;
}

static const struct net_tap_ops rec_ops = {
    .frame = rec_frame, .note = rec_note, .done = rec_done};

/* A tap that declines every packet (ticket 0, as the classic pcap writer
 * does): it must never hear of them again. */
static uint64_t
decline_frame(void *ctx, const struct net_frame *nf)
{
	(void)nf;
	(*(int *)ctx)++;
	return 0;
}

static void
decline_note(void *ctx, uint64_t ticket, const char *text)
{
	(void)ctx;
	(void)ticket;
	(void)text;
	fail_msg("note for a declined packet");
}

static void
decline_done(void *ctx, uint64_t ticket)
{
	(void)ctx;
	(void)ticket;
	fail_msg("done for a declined packet");
}

static const struct net_tap_ops decline_ops = {
    .frame = decline_frame, .note = decline_note, .done = decline_done};

/* --- the labs
 * ------------------------------------------------------------------ */

struct lab;

struct app {
	struct lab *lab;       /* borrowed */
	struct tcp_conn *conn; /* borrowed, NULL once closed */
	int connected;         /* 'connected' callbacks */
	sim_time_t connected_at;
	uint8_t *data; /* owned bytes received, in order */
	size_t ndata, capdata;
	int eof;          /* 'eof' callbacks */
	int closed;       /* 'closed' callbacks */
	enum tcp_end why; /* the reason of the last close */
	int icmp_code;
	sim_time_t closed_at;
	int syns_at_close;
	const uint8_t *send; /* sent when connected, or NULL */
	size_t nsend;
	bool close_after_send;
	bool close_on_eof;
};

/* A datagram to send at a given time. */
struct job {
	struct lab *lab;
	struct net_host *from;
	const struct net_addr *src, *dst;
	uint32_t seq; /* first 4 payload bytes */
	size_t len;   /* payload bytes */
};

/* A datagram that arrived. */
struct arrival {
	sim_time_t t;
	struct net_host *at;
	uint8_t family;
	uint32_t seq;
	size_t len;
};

struct lab {
	struct sim sim;
	struct net net;
	struct net_host *a, *r, *b; /* borrowed; r NULL without router */
	struct net_link *l1, *l2;   /* A-R and R-B, or A-B and NULL */
	struct net_addr a4, a6, r4, r6, b4, b6;
	struct rec all;            /* whole-network tap */
	struct rec at_a, at_b;     /* vantage taps, when added */
	struct app cli, cli6, srv; /* TCP applications */
	int accepts;
	struct job jobs[MAXJOBS];
	size_t njobs;
	struct arrival arr[MAXJOBS];
	size_t narr;
};

static void
app_connected(void *ctx, struct tcp_conn *c)
{
	struct app *a = ctx;

	a->conn = c;
	a->connected++;
	a->connected_at = sim_now(&a->lab->sim);
	if (a->send != NULL)
		tcp_send(c, a->send, a->nsend);
	if (a->close_after_send)
		tcp_close(c);
}

static void
app_data(void *ctx, struct tcp_conn *c, const uint8_t *p, size_t n)
{
	struct app *a = ctx;

	(void)c;
	if (a->ndata + n > a->capdata) {
		a->capdata = (a->ndata + n) * 2;
		a->data = realloc(a->data, a->capdata);
		assert_non_null(a->data);
	}
	memcpy(a->data + a->ndata, p, n);
	a->ndata += n;
}

static void
app_eof(void *ctx, struct tcp_conn *c)
{
	struct app *a = ctx;

	a->eof++;
	if (a->close_on_eof)
		tcp_close(c);
}

static void
app_closed(void *ctx, struct tcp_conn *c, enum tcp_end why, int icmp_code)
{
	struct app *a = ctx;

	a->closed++;
	a->why = why;
	a->icmp_code = icmp_code;
	a->closed_at = sim_now(&a->lab->sim);
	a->syns_at_close = tcp_conn_syns(c);
	a->conn = NULL;
}

static const struct tcp_cb app_cb = {
    app_connected, app_data, app_eof, app_closed};

static bool
accept_cb(void *ctx, struct tcp_conn *c, const struct tcp_cb **cb, void **cbctx)
{
	struct lab *lab = ctx;

	lab->accepts++;
	lab->srv.conn = c;
	*cb = &app_cb;
	*cbctx = &lab->srv;
	return true;
}

static void
udp_recv(void *ctx, struct net_host *h, const struct udp_from *from,
    const uint8_t *data, size_t len)
{
	struct lab *lab = ctx;
	struct arrival *a;

	assert_true(lab->narr < MAXJOBS);
	assert_true(len >= 4);
	a = &lab->arr[lab->narr++];
	a->t = sim_now(&lab->sim);
	a->at = h;
	a->family = from->src.family;
	a->seq = be32(data);
	a->len = len;
}

static struct net_addr
addr(const char *s)
{
	struct net_addr a;

	assert_true(net_addr_parse(s, &a));
	return a;
}

/* A - B on one link 'p1' (router false), or A - R - B on 'p1' and 'p2'.
 * Every host gets a whole-network tap and listens on UDP port 9. */
static struct lab *
lab_new(uint64_t seed, bool router, const struct net_link_params *p1,
    const struct net_link_params *p2)
{
	struct lab *lab = calloc(1, sizeof(*lab));

	assert_non_null(lab);
	sim_init(&lab->sim, seed);
	net_init(&lab->net, &lab->sim);
	lab->a = net_host_add(&lab->net, "client");
	if (router)
		lab->r = net_router_add(&lab->net, "r1");
	lab->b = net_host_add(&lab->net, "mx1");
	lab->a4 = addr("192.0.2.10");
	lab->a6 = addr("2001:db8::10");
	lab->r4 = addr("203.0.113.1");
	lab->r6 = addr("2001:db8:ff::1");
	lab->b4 = addr("198.51.100.25");
	lab->b6 = addr("2001:db8:1::25");
	assert_int_equal(net_host_addr_add(lab->a, &lab->a4), 0);
	assert_int_equal(net_host_addr_add(lab->a, &lab->a6), 0);
	assert_int_equal(net_host_addr_add(lab->b, &lab->b4), 0);
	assert_int_equal(net_host_addr_add(lab->b, &lab->b6), 0);
	if (router) {
		assert_int_equal(net_host_addr_add(lab->r, &lab->r4), 0);
		assert_int_equal(net_host_addr_add(lab->r, &lab->r6), 0);
		lab->l1 = net_link_add(&lab->net, lab->a, lab->r, p1);
		lab->l2 = net_link_add(&lab->net, lab->r, lab->b, p2);
		assert_non_null(lab->l2);
	} else
		lab->l1 = net_link_add(&lab->net, lab->a, lab->b, p1);
	assert_non_null(lab->l1);
	assert_int_equal(net_finalize(&lab->net), 0);
	assert_int_equal(net_tap_add(&lab->net, NULL, &rec_ops, &lab->all), 0);
	assert_int_equal(udp_bind(lab->a, 9, udp_recv, NULL, lab), 9);
	assert_int_equal(udp_bind(lab->b, 9, udp_recv, NULL, lab), 9);
	lab->cli.lab = lab->cli6.lab = lab->srv.lab = lab;
	return lab;
}

static void
lab_free(struct lab *lab)
{
	/* Released objects are freed by sim_fini(), which still needs the
	 * hosts. */
	sim_fini(&lab->sim);
	net_fini(&lab->net);
	free(lab->all.f);
	free(lab->at_a.f);
	free(lab->at_b.f);
	free(lab->cli.data);
	free(lab->cli6.data);
	free(lab->srv.data);
	free(lab);
}

static void
job_run(struct sim *sim, void *arg)
{
	const struct job *j = arg;
	uint8_t buf[1400];
	size_t i;

	(void)sim;
	assert_true(j->len >= 4 && j->len <= sizeof(buf));
	buf[0] = (uint8_t)(j->seq >> 24);
	buf[1] = (uint8_t)(j->seq >> 16);
	buf[2] = (uint8_t)(j->seq >> 8);
	buf[3] = (uint8_t)j->seq;
	for (i = 4; i < j->len; i++)
		buf[i] = (uint8_t)(i * 13 + j->seq);
	udp_send(j->from, j->src, 40000, j->dst, 9, buf, j->len);
}

/* Schedules a datagram of 'len' payload bytes from 'from' at 't'. */
static void
send_at(struct lab *lab, sim_time_t t, struct net_host *from,
    const struct net_addr *src, const struct net_addr *dst, uint32_t seq,
    size_t len)
{
	struct job *j;

	assert_true(lab->njobs < MAXJOBS);
	j = &lab->jobs[lab->njobs++];
	j->lab = lab;
	j->from = from;
	j->src = src;
	j->dst = dst;
	j->seq = seq;
	j->len = len;
	sim_at(&lab->sim, t, job_run, j);
}

/* The arrival of datagram 'seq' at 'h', or NULL. */
static const struct arrival *
arrival_of(const struct lab *lab, const struct net_host *h, uint32_t seq)
{
	size_t i;

	for (i = 0; i < lab->narr; i++)
		if (lab->arr[i].at == h && lab->arr[i].seq == seq)
			return &lab->arr[i];
	return NULL;
}

/* Every frame a tap saw has been settled exactly once. */
static void
assert_all_done_once(const struct rec *r)
{
	size_t i;

	for (i = 0; i < r->nf; i++)
		assert_int_equal(r->f[i].done, 1);
}

/* --- routers
 * ------------------------------------------------------------------ */

/* A SYN from A to B through R, seen by the whole-network tap (as A sent
 * it) and by a tap at B (as B received it). */
static void
forwarded_syn(struct lab *lab, const struct net_addr *dst,
    const struct rframe **sent, const struct rframe **got)
{
	size_t i;

	assert_int_equal(
	    net_tap_add(&lab->net, lab->b, &rec_ops, &lab->at_b), 0);
	assert_int_equal(tcp_listen(lab->b, 25, accept_cb, lab), 0);
	lab->cli.conn = tcp_connect(lab->a, dst, 25, &app_cb, &lab->cli);
	assert_non_null(lab->cli.conn);
	sim_run(&lab->sim, SIM_S(1));
	assert_int_equal(lab->cli.connected, 1);
	/* The handshake takes one round trip through R. */
	assert_int_equal(lab->cli.connected_at, 2 * (L1 + L2));
	*sent = &lab->all.f[0];
	*got = NULL;
	for (i = 0; i < lab->at_b.nf; i++)
		if (lab->at_b.f[i].inbound) {
			*got = &lab->at_b.f[i];
			break;
		}
	assert_non_null(*got);
	assert_int_equal((*got)->pkt, (*sent)->pkt);
	assert_int_equal((*got)->t, L1 + L2);
	assert_int_equal((*got)->len, (*sent)->len);
	assert_ptr_equal((*got)->ifp, &lab->b->ifs[0]);
	/* As A sent it: A's MAC to R's MAC on link A-R. */
	assert_memory_equal((*sent)->b, lab->r->ifs[0].mac, 6);
	assert_memory_equal((*sent)->b + 6, lab->a->ifs[0].mac, 6);
	/* As B got it: re-framed by R, R's MAC on link R-B to B's MAC. */
	assert_memory_equal((*got)->b, lab->b->ifs[0].mac, 6);
	assert_memory_equal((*got)->b + 6, lab->r->ifs[1].mac, 6);
	assert_memory_not_equal(lab->r->ifs[0].mac, lab->r->ifs[1].mac, 6);
	/* The Ethernet type is kept. */
	assert_memory_equal((*got)->b + 12, (*sent)->b + 12, 2);
}

static void
test_net_router_forwards_ipv4_ttl_63_checksum_recomputed_own_macs(void **state)
{
	/* RFC 1812 §5.3.1: the router decrements the TTL (64 -> 63) and
	 * "MUST ... update the checksum"; RFC 791 §3.1 checksum over the
	 * header.  Nothing else in the packet changes. */
	static const struct net_link_params p1 = {L1, 0, 0, 0};
	static const struct net_link_params p2 = {L2, 0, 0, 0};
	struct lab *lab = lab_new(1, true, &p1, &p2);
	const struct rframe *sent, *got;
	uint8_t hdr[20];
	uint16_t ck;

	(void)state;
	forwarded_syn(lab, &lab->b4, &sent, &got);
	assert_int_equal(be16(got->b + 12), 0x0800);
	assert_int_equal(sent->b[14 + 8], 64);
	assert_int_equal(got->b[14 + 8], 63);
	assert_int_equal(ref_cksum(got->b + 14, 20), 0);
	/* The new checksum is exactly the one of the old header with TTL
	 * 63, computed here from scratch. */
	memcpy(hdr, sent->b + 14, 20);
	hdr[8] = 63;
	hdr[10] = hdr[11] = 0;
	ck = ref_cksum(hdr, 20);
	assert_int_equal(be16(got->b + 14 + 10), ck);
	assert_int_not_equal(be16(sent->b + 14 + 10), ck);
	/* Every other header byte, and the whole segment, as sent. */
	assert_memory_equal(got->b + 14, sent->b + 14, 8);
	assert_int_equal(got->b[14 + 9], sent->b[14 + 9]);
	assert_memory_equal(got->b + 14 + 12, sent->b + 14 + 12, 8);
	assert_memory_equal(got->b + 34, sent->b + 34, sent->len - 34);
	assert_int_equal(
	    ref_frame_l4(got->b, got->len, 16), be16(got->b + 34 + 16));
	/* What B sends leaves B with TTL 64, B's MAC to R's. */
	assert_true(lab->at_b.nf >= 2);
	assert_false(lab->at_b.f[1].inbound);
	assert_int_equal(lab->at_b.f[1].b[14 + 8], 64);
	assert_memory_equal(lab->at_b.f[1].b, lab->r->ifs[1].mac, 6);
	assert_memory_equal(lab->at_b.f[1].b + 6, lab->b->ifs[0].mac, 6);
	lab_free(lab);
}

static void
test_net_router_forwards_ipv6_hop_limit_63_own_macs(void **state)
{
	/* RFC 8200 §3: the hop limit is "decremented by 1 by each node that
	 * forwards the packet"; IPv6 has no header checksum, and the TCP
	 * checksum (pseudo-header of §8.1) does not cover the hop limit. */
	static const struct net_link_params p1 = {L1, 0, 0, 0};
	static const struct net_link_params p2 = {L2, 0, 0, 0};
	struct lab *lab = lab_new(1, true, &p1, &p2);
	const struct rframe *sent, *got;

	(void)state;
	forwarded_syn(lab, &lab->b6, &sent, &got);
	assert_int_equal(be16(got->b + 12), 0x86dd);
	assert_int_equal(sent->b[14 + 7], 64);
	assert_int_equal(got->b[14 + 7], 63);
	assert_memory_equal(got->b + 14, sent->b + 14, 7);
	assert_memory_equal(got->b + 14 + 8, sent->b + 14 + 8, sent->len - 22);
	assert_int_equal(
	    ref_l4_v6(got->b + 22, got->b + 38, 6, got->b + 54, got->len - 54),
	    0);
	lab_free(lab);
}

/* B is in a network outage of 'kind' (limited to 'family' if not 0); A
 * connects to B over IPv4 or IPv6.  R, the last router before B, must
 * answer the SYN with ICMP destination unreachable of 'type'/'code' from
 * its own address, and A's connect must fail at once. */
static void
icmp_case(enum fault_kind kind, uint8_t family, uint8_t type, uint8_t code)
{
	static const struct net_link_params p1 = {L1, 0, 0, 0};
	static const struct net_link_params p2 = {L2, 0, 0, 0};
	const struct fault f = {.from = 0,
	    .to = SIM_NEVER,
	    .kind = kind,
	    .svc = FAULT_SVC_ANY,
	    .family = 0,
	    .index = 0};
	struct lab *lab = lab_new(2, true, &p1, &p2);
	const struct rframe *syn, *icmp;
	const uint8_t *ip, *m;
	size_t qlen;

	net_host_set_faults(lab->b, &f, 1);
	assert_int_equal(
	    net_tap_add(&lab->net, lab->b, &rec_ops, &lab->at_b), 0);
	assert_int_equal(tcp_listen(lab->b, 25, accept_cb, lab), 0);
	lab->cli.conn = tcp_connect(
	    lab->a, family == 4 ? &lab->b4 : &lab->b6, 25, &app_cb, &lab->cli);
	assert_non_null(lab->cli.conn);
	sim_run(&lab->sim, SIM_S(300));

	/* Two packets in all: the SYN and R's answer; nothing reached B. */
	assert_int_equal(lab->all.nf, 2);
	assert_int_equal(lab->at_b.nf, 0);
	assert_int_equal(lab->accepts, 0);
	syn = &lab->all.f[0];
	icmp = &lab->all.f[1];
	assert_ptr_equal(icmp->ifp, &lab->r->ifs[0]);
	assert_int_equal(icmp->t, L1);
	assert_memory_equal(icmp->b, lab->a->ifs[0].mac, 6);
	assert_memory_equal(icmp->b + 6, lab->r->ifs[0].mac, 6);
	ip = icmp->b + 14;
	if (family == 4) {
		/* RFC 792: IPv4 from R's address to A, protocol 1; type,
		 * code, checksum over the ICMP message, 4 unused bytes, then
		 * "Internet Header + 64 bits of Original Data Datagram". */
		qlen = 20 + 8;
		assert_int_equal(be16(icmp->b + 12), 0x0800);
		assert_int_equal(ip[0], 0x45);
		assert_int_equal(be16(ip + 2), 20 + 8 + qlen);
		assert_int_equal(ip[8], 64);
		assert_int_equal(ip[9], 1);
		assert_int_equal(ref_cksum(ip, 20), 0);
		assert_memory_equal(ip + 12, lab->r4.b, 4);
		assert_memory_equal(ip + 16, lab->a4.b, 4);
		m = ip + 20;
		assert_int_equal(icmp->len, 14 + 20 + 8 + qlen);
		assert_int_equal(ref_cksum(m, 8 + qlen), 0);
	} else {
		/* RFC 4443 §3.1: the whole invoking packet fits (40 + 24
		 * bytes); §2.3: checksum with the pseudo-header, next
		 * header 58. */
		qlen = syn->len - 14;
		assert_int_equal(qlen, 40 + 24);
		assert_int_equal(be16(icmp->b + 12), 0x86dd);
		assert_int_equal(ip[0], 0x60);
		assert_int_equal(be16(ip + 4), 8 + qlen);
		assert_int_equal(ip[6], 58);
		assert_int_equal(ip[7], 64);
		assert_memory_equal(ip + 8, lab->r6.b, 16);
		assert_memory_equal(ip + 24, lab->a6.b, 16);
		m = ip + 40;
		assert_int_equal(icmp->len, 14 + 40 + 8 + qlen);
		assert_int_equal(
		    ref_l4_v6(ip + 8, ip + 24, 58, m, 8 + qlen), 0);
		assert_int_not_equal(
		    ref_l4_v6(ip + 8, ip + 24, 1, m, 8 + qlen), 0);
	}
	assert_int_equal(m[0], type);
	assert_int_equal(m[1], code);
	assert_int_equal(be32(m + 4), 0);
	/* The quote: the SYN as R received it (TTL 64: R answers instead
	 * of forwarding). */
	assert_memory_equal(m + 8, syn->b + 14, qlen);
	/* The SYN's story: R answered for B. */
	assert_non_null(strstr(syn->later, "mx1 is "));
	assert_non_null(
	    strstr(syn->later, kind == FAULT_UNREACHABLE
	                           ? "r1 answers host unreachable"
	                           : "r1 answers administratively prohibited"));
	assert_all_done_once(&lab->all);
	/* Linux tcp_v4_err()/tcp_v6_err(): SYN_SENT fails at once, here
	 * one round trip to R after the SYN, well within the round trip to
	 * B; no SYN retransmission. */
	assert_int_equal(lab->cli.closed, 1);
	assert_int_equal(lab->cli.why, TCP_END_UNREACHABLE);
	assert_int_equal(lab->cli.icmp_code, code);
	assert_int_equal(lab->cli.closed_at, 2 * L1);
	assert_true(lab->cli.closed_at < 2 * (L1 + L2));
	assert_int_equal(lab->cli.syns_at_close, 1);
	assert_int_equal(lab->cli.connected, 0);
	lab_free(lab);
}

static void
test_net_unreachable_ipv4_router_answers_icmp_3_1(void **state)
{
	/* RFC 792: code 1 = host unreachable. */
	(void)state;
	icmp_case(FAULT_UNREACHABLE, 4, 3, 1);
}

static void
test_net_unreachable_ipv6_router_answers_icmpv6_1_3(void **state)
{
	/* RFC 4443 §3.1: code 3 = address unreachable. */
	(void)state;
	icmp_case(FAULT_UNREACHABLE, 6, 1, 3);
}

static void
test_net_filtered_ipv4_router_answers_icmp_3_13(void **state)
{
	/* RFC 1812 §5.2.7.1: code 13 = communication administratively
	 * prohibited. */
	(void)state;
	icmp_case(FAULT_FILTERED, 4, 3, 13);
}

static void
test_net_filtered_ipv6_router_answers_icmpv6_1_1(void **state)
{
	/* RFC 4443 §3.1: code 1 = communication with destination
	 * administratively prohibited. */
	(void)state;
	icmp_case(FAULT_FILTERED, 6, 1, 1);
}

static void
test_net_fault_of_one_family_spares_the_other(void **state)
{
	/* fault.h: a network outage with family 6 covers IPv6 traffic only
	 * (a host with broken IPv6: its IPv4 works); and the converse. */
	static const struct net_link_params p1 = {L1, 0, 0, 0};
	static const struct net_link_params p2 = {L2, 0, 0, 0};
	uint8_t broken;

	(void)state;
	for (broken = 4; broken <= 6; broken += 2) {
		const struct fault f = {.from = 0,
		    .to = SIM_NEVER,
		    .kind = FAULT_UNREACHABLE,
		    .svc = FAULT_SVC_ANY,
		    .family = broken,
		    .index = 0};
		struct lab *lab = lab_new(3, true, &p1, &p2);
		struct app *ok = broken == 6 ? &lab->cli : &lab->cli6;
		struct app *bad = broken == 6 ? &lab->cli6 : &lab->cli;

		net_host_set_faults(lab->b, &f, 1);
		assert_int_equal(tcp_listen(lab->b, 25, accept_cb, lab), 0);
		assert_non_null(
		    tcp_connect(lab->a, &lab->b4, 25, &app_cb, &lab->cli));
		assert_non_null(
		    tcp_connect(lab->a, &lab->b6, 25, &app_cb, &lab->cli6));
		sim_run(&lab->sim, SIM_S(300));
		assert_int_equal(ok->connected, 1);
		assert_int_equal(ok->closed, 0);
		assert_int_equal(lab->accepts, 1);
		assert_int_equal(bad->connected, 0);
		assert_int_equal(bad->closed, 1);
		assert_int_equal(bad->why, TCP_END_UNREACHABLE);
		assert_int_equal(bad->icmp_code, broken == 6 ? 3 : 1);
		lab_free(lab);
	}
}

/* --- links ------------------------------------------------------------------
 */

/* Serialisation time of 'bytes' at 'bw' bits/s, rounded up to the ns,
 * written out without the simulator's expression. */
static sim_time_t
ser_ns(size_t bytes, uint64_t bw)
{
	uint64_t bits = (uint64_t)bytes * 8, ns = bits * 1000000000ULL / bw;

	if (ns * bw < bits * 1000000000ULL)
		ns++;
	return (sim_time_t)ns;
}

static void
test_net_link_arrival_is_serialisation_plus_latency_frames_queue(void **state)
{
	/* net.h: a frame arrives after the serialisation time at the
	 * link's bandwidth (len * 8 / bandwidth, rounded up to the ns) plus
	 * the latency; a frame sent while the transmitter is busy waits for
	 * it; each direction has its own transmitter. */
	static const struct net_link_params p = {SIM_MS(1), 0, 0, 3000000};
	struct lab *lab = lab_new(4, false, &p, NULL);
	const struct arrival *x;
	sim_time_t s1, s2, s3;

	(void)state;
	/* 142 bytes (14 + 20 + 8 + 100) = 1136 bits at 3 Mbit/s =
	 * 378666.67 ns -> 378667 ns; 1042 bytes = 8336 bits -> 2778667 ns. */
	s1 = ser_ns(14 + 20 + 8 + 100, 3000000);
	s2 = ser_ns(14 + 20 + 8 + 1000, 3000000);
	assert_int_equal(s1, 378667);
	assert_int_equal(s2, 2778667);
	send_at(lab, 0, lab->a, &lab->a4, &lab->b4, 1, 100);
	send_at(lab, 0, lab->a, &lab->a4, &lab->b4, 2, 1000);
	send_at(lab, 0, lab->b, &lab->b4, &lab->a4, 3, 100);
	/* Later, on an idle link, over IPv6 (62 more bytes of headers:
	 * 14 + 40 + 8 + 100 = 162). */
	send_at(lab, SIM_MS(50), lab->a, &lab->a6, &lab->b6, 4, 100);
	s3 = ser_ns(14 + 40 + 8 + 100, 3000000);
	sim_run(&lab->sim, SIM_S(1));
	assert_int_equal(lab->narr, 4);
	x = arrival_of(lab, lab->b, 1);
	assert_non_null(x);
	assert_int_equal(x->t, s1 + SIM_MS(1));
	/* Back to back: the second waits for the first to be serialised. */
	x = arrival_of(lab, lab->b, 2);
	assert_non_null(x);
	assert_int_equal(x->t, s1 + s2 + SIM_MS(1));
	/* The other direction is not behind them. */
	x = arrival_of(lab, lab->a, 3);
	assert_non_null(x);
	assert_int_equal(x->t, s1 + SIM_MS(1));
	x = arrival_of(lab, lab->b, 4);
	assert_non_null(x);
	assert_int_equal(x->t, SIM_MS(50) + s3 + SIM_MS(1));
	/* The taps see each frame when it is sent, not when it arrives. */
	assert_int_equal(lab->all.nf, 4);
	assert_int_equal(lab->all.f[0].t, 0);
	assert_int_equal(lab->all.f[1].t, 0);
	/* And without bandwidth: latency alone, whatever the size. */
	{
		static const struct net_link_params q = {SIM_MS(1), 0, 0, 0};
		struct lab *l2 = lab_new(4, false, &q, NULL);

		send_at(l2, 0, l2->a, &l2->a4, &l2->b4, 1, 1000);
		send_at(l2, 0, l2->a, &l2->a4, &l2->b4, 2, 100);
		sim_run(&l2->sim, SIM_S(1));
		assert_int_equal(l2->narr, 2);
		assert_int_equal(l2->arr[0].t, SIM_MS(1));
		assert_int_equal(l2->arr[1].t, SIM_MS(1));
		assert_int_equal(l2->arr[0].seq, 1);
		assert_int_equal(l2->arr[1].seq, 2);
		lab_free(l2);
	}
	lab_free(lab);
}

static void
test_net_link_jitter_stays_in_bounds_and_never_reorders(void **state)
{
	/* net.h: jitter is an extra delay uniform in [0, jitter]; a link
	 * keeps the order of the frames of each direction.  Frames sent 20
	 * us apart with 400 us of jitter would overtake each other often
	 * if jitter could reorder; frames sent 1 ms apart never catch up
	 * with each other, so their delays are the draws themselves. */
	static const struct net_link_params p = {SIM_MS(1), SIM_US(400), 0, 0};
	struct lab *lab = lab_new(5, false, &p, NULL);
	sim_time_t lo = SIM_S(1), hi = 0, prev[2] = {0, 0};
	uint32_t next[2] = {0, 1000};
	int clamped = 0;
	size_t i;

	(void)state;
	for (i = 0; i < 200; i++) {
		send_at(lab, (sim_time_t)i * SIM_US(20), lab->a, &lab->a4,
		    &lab->b4, (uint32_t)i, 20);
		send_at(lab, (sim_time_t)i * SIM_US(20), lab->b, &lab->b4,
		    &lab->a4, 1000 + (uint32_t)i, 20);
	}
	for (i = 0; i < 100; i++)
		send_at(lab, SIM_MS(100) + (sim_time_t)i * SIM_MS(1), lab->a,
		    &lab->a4, &lab->b4, 200 + (uint32_t)i, 20);
	sim_run(&lab->sim, SIM_S(1));
	assert_int_equal(lab->narr, 500);
	for (i = 0; i < lab->narr; i++) {
		const struct arrival *x = &lab->arr[i];
		int d = x->at == lab->a; /* direction: 0 = A->B */
		sim_time_t sent, extra;

		if (d)
			sent = (sim_time_t)(x->seq - 1000) * SIM_US(20);
		else if (x->seq < 200)
			sent = (sim_time_t)x->seq * SIM_US(20);
		else
			sent = SIM_MS(100) +
			       (sim_time_t)(x->seq - 200) * SIM_MS(1);
		extra = x->t - sent - SIM_MS(1);
		assert_in_range(extra, 0, SIM_US(400));
		if (x->seq >= 200 && x->seq < 1000) {
			if (extra < lo)
				lo = extra;
			if (extra > hi)
				hi = extra;
		}
		/* In order, per direction. */
		assert_int_equal(x->seq, next[d]);
		next[d]++;
		assert_true(x->t >= prev[d]);
		if (x->t == prev[d])
			clamped++;
		prev[d] = x->t;
	}
	assert_int_equal(next[0], 300);
	assert_int_equal(next[1], 1200);
	/* The draws cover the range (100 uniform draws: the chance that
	 * none falls below 100 us, or none above 300 us, is 0.75^100) ... */
	assert_true(lo < SIM_US(100));
	assert_true(hi > SIM_US(300));
	/* ... and close frames were held back behind earlier ones. */
	assert_true(clamped > 0);
	lab_free(lab);
}

/* Sends 200 datagrams A -> B over a link losing 30% (and, with
 * 'reverse', 100 B -> A among them) and fills 'lost' with which of A's
 * never arrived; returns how many. */
static size_t
lossy_run(uint64_t seed, bool reverse, bool lost[200])
{
	static const struct net_link_params p = {SIM_MS(1), 0, 0.3, 0};
	struct lab *lab = lab_new(seed, false, &p, NULL);
	size_t i, n = 0;

	for (i = 0; i < 200; i++) {
		send_at(lab, (sim_time_t)i * SIM_MS(1), lab->a, &lab->a4,
		    &lab->b4, (uint32_t)i, 20);
		if (reverse && i % 2 == 0)
			send_at(lab, (sim_time_t)i * SIM_MS(1), lab->b,
			    &lab->b4, &lab->a4, 1000 + (uint32_t)i, 20);
	}
	sim_run(&lab->sim, SIM_S(10));
	assert_int_equal(lab->all.nf, reverse ? 300 : 200);
	for (i = 0; i < lab->all.nf; i++) {
		const struct rframe *f = &lab->all.f[i];
		uint32_t seq = be32(f->b + 42);
		struct net_host *to = f->ifp->node == lab->a ? lab->b : lab->a;
		bool gone = arrival_of(lab, to, seq) == NULL;

		if (to == lab->b) {
			assert_true(seq < 200);
			lost[seq] = gone;
			n += gone;
		}
		/* A lost frame carries the link's note, told to the tap with
		 * the ticket it returned; a delivered one carries none. */
		if (gone) {
			assert_int_equal(f->nlater, 1);
			assert_string_equal(
			    f->later, "lost on link client-mx1 (30% loss)");
		} else
			assert_int_equal(f->nlater, 0);
	}
	assert_all_done_once(&lab->all);
	lab_free(lab);
	return n;
}

static void
test_net_link_loss_is_deterministic_per_seed(void **state)
{
	/* net.h: losses are drawn from the link's own stream for each
	 * direction, derived from the seed (DESIGN.md "Determinism"): the
	 * same seed loses the same frames, whatever travels the other
	 * way; another seed loses others; about at the link's rate. */
	bool a[200], b[200], c[200], d[200];
	size_t na, nb, nc, nd;

	(void)state;
	na = lossy_run(21, false, a);
	nb = lossy_run(21, false, b);
	nc = lossy_run(22, false, c);
	nd = lossy_run(21, true, d);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, sizeof(a));
	assert_int_equal(na, nd);
	assert_memory_equal(a, d, sizeof(a));
	assert_memory_not_equal(a, c, sizeof(a));
	/* 200 draws at 0.3: mean 60, standard deviation 6.5. */
	assert_in_range(na, 30, 90);
	assert_in_range(nc, 30, 90);
}

/* One TCP transfer of 20000 bytes over a link losing 30% each way. */
struct xfer {
	struct lab *lab;
	uint8_t msg[20000];
};

static void
xfer_run(struct xfer *x, uint64_t seed)
{
	/* 10 Mbit/s spaces the segments (1.2 ms each), so each one that
	 * arrives out of order earns its own duplicate ACK. */
	static const struct net_link_params p = {SIM_MS(1), 0, 0.3, 10000000};
	size_t i;

	for (i = 0; i < sizeof(x->msg); i++)
		x->msg[i] = (uint8_t)(i * 31 + i / 256);
	x->lab = lab_new(seed, false, &p, NULL);
	x->lab->cli.send = x->msg;
	x->lab->cli.nsend = sizeof(x->msg);
	x->lab->cli.close_after_send = true;
	x->lab->srv.close_on_eof = true;
	assert_int_equal(tcp_listen(x->lab->b, 25, accept_cb, x->lab), 0);
	assert_non_null(
	    tcp_connect(x->lab->a, &x->lab->b4, 25, &app_cb, &x->lab->cli));
	sim_run(&x->lab->sim, SIM_S(600));
}

/* What one transfer showed. */
struct xfer_count {
	size_t lost;    /* frames lost on the link */
	size_t resent;  /* frames repeating an earlier segment */
	size_t fast;    /* fast retransmits */
	size_t timeout; /* resends after a retransmission timeout */
};

/* Checks one finished transfer and counts what happened in it. */
static void
xfer_check(const struct xfer *x, struct xfer_count *n)
{
	const struct lab *lab = x->lab;
	size_t i, j;

	memset(n, 0, sizeof(*n));
	assert_int_equal(lab->srv.ndata, sizeof(x->msg));
	assert_memory_equal(lab->srv.data, x->msg, sizeof(x->msg));
	assert_int_equal(lab->srv.eof, 1);
	assert_int_equal(lab->cli.closed, 1);
	assert_int_equal(lab->cli.why, TCP_END_CLOSED);
	assert_int_equal(lab->srv.closed, 1);
	assert_int_equal(lab->srv.why, TCP_END_CLOSED);
	for (i = 0; i < lab->all.nf; i++) {
		const struct rframe *f = &lab->all.f[i];
		const uint8_t *t = f->b + 34;

		assert_int_equal(ref_cksum(f->b + 14, 20), 0);
		assert_int_equal(ref_frame_l4(f->b, f->len, 16), be16(t + 16));
		if (strstr(f->later, "lost on link") != NULL)
			n->lost++;
		if (strstr(f->first, "timeout") != NULL)
			n->timeout++;
		/* Segments that occupy sequence space (data, SYN, FIN). */
		if (f->len == 54 && !(t[13] & (F_SYN | F_FIN)))
			continue;
		for (j = 0; j < i; j++) {
			const struct rframe *g = &lab->all.f[j];

			if (memcmp(g->b + 6, f->b + 6, 6) == 0 &&
			    be32(g->b + 34 + 4) == be32(t + 4) &&
			    g->len == f->len && g->b[34 + 13] == t[13]) {
				assert_memory_equal(g->b, f->b, f->len);
				n->resent++;
				break;
			}
		}
		if (strstr(
		        f->first, "fast retransmit after 3 duplicate ACKs")) {
			uint32_t seq = be32(t + 4);
			int dups = 0;

			/* It is a resend, and B had sent at least three
			 * pure ACKs of exactly its sequence number before it
			 * (the duplicates; the first of them may also be the
			 * one that moved SND.UNA there). */
			assert_true(j < i);
			for (j = 0; j < i; j++) {
				const uint8_t *u = lab->all.f[j].b + 34;

				if (lab->all.f[j].ifp->node == lab->b &&
				    lab->all.f[j].len == 54 && u[13] == F_ACK &&
				    be32(u + 8) == seq)
					dups++;
			}
			assert_true(dups >= 3);
			n->fast++;
		}
	}
	assert_true(n->lost > 0);
	assert_true(n->resent > 0);
	assert_all_done_once(&lab->all);
}

static void
test_net_tcp_20kb_over_30pct_loss_completes_with_identical_resends(void **state)
{
	/* RFC 9293: the bytes arrive exactly, in order, whatever is lost;
	 * tcp.h: a retransmission repeats the original segment byte for
	 * byte (here: every captured frame with the same TCP sequence
	 * number, length and flags, from the same side, is the same
	 * frame); RFC 5681 §3.2: the third duplicate ACK triggers a fast
	 * retransmit of the oldest unacknowledged segment (tcp.c notes it
	 * on the frame: "fast retransmit after 3 duplicate ACKs"); RFC 6298
	 * §5.4: a timeout resends too.  Twelve seeds, each checked; between
	 * them both kinds of recovery must show up. */
	struct xfer *x = calloc(1, sizeof(*x)), *y = calloc(1, sizeof(*y));
	struct xfer_count n, total = {0, 0, 0, 0};
	uint64_t seed, with_fast = 0;
	size_t i;

	(void)state;
	assert_non_null(x);
	assert_non_null(y);
	for (seed = 1; seed <= 12; seed++) {
		xfer_run(x, seed);
		xfer_check(x, &n);
		total.fast += n.fast;
		total.timeout += n.timeout;
		if (n.fast > 0 && with_fast == 0)
			with_fast = seed;
		lab_free(x->lab);
	}
	assert_true(total.fast > 0);
	assert_true(total.timeout > 0);
	/* The same seed, the same story, frame for frame. */
	xfer_run(x, with_fast);
	xfer_run(y, with_fast);
	assert_int_equal(y->lab->all.nf, x->lab->all.nf);
	for (i = 0; i < x->lab->all.nf; i++) {
		assert_int_equal(y->lab->all.f[i].t, x->lab->all.f[i].t);
		assert_int_equal(y->lab->all.f[i].len, x->lab->all.f[i].len);
		assert_memory_equal(y->lab->all.f[i].b, x->lab->all.f[i].b,
		    x->lab->all.f[i].len);
	}
	lab_free(y->lab);
	lab_free(x->lab);
	free(x);
	free(y);
}

static void
test_net_link_down_window_drops_every_frame_on_that_link(void **state)
{
	/* fault.h: 'link-down' drops every frame put on the link during its
	 * window [from, to), both directions; with a family, only frames of
	 * that IP version.  Frames sent outside the window get through. */
	static const struct net_link_params p = {SIM_MS(1), 0, 0, 0};
	const struct fault f[2] = {
	    {.from = SIM_S(1),
	        .to = SIM_S(2),
	        .kind = FAULT_LINK_DOWN,
	        .svc = FAULT_SVC_ANY,
	        .family = 0,
	        .index = 0},
	    {.from = SIM_S(3),
	        .to = SIM_S(4),
	        .kind = FAULT_LINK_DOWN,
	        .svc = FAULT_SVC_ANY,
	        .family = 6,
	        .index = 1},
	};
	struct lab *lab = lab_new(6, false, &p, NULL);
	uint32_t i;

	(void)state;
	net_link_set_faults(lab->l1, f, 2);
	for (i = 0; i < 50; i++) {
		sim_time_t t = (sim_time_t)i * SIM_MS(100);

		send_at(lab, t, lab->a, &lab->a4, &lab->b4, 4 * i, 20);
		send_at(lab, t, lab->b, &lab->b4, &lab->a4, 4 * i + 1, 20);
		send_at(lab, t, lab->a, &lab->a6, &lab->b6, 4 * i + 2, 20);
		send_at(lab, t, lab->b, &lab->b6, &lab->a6, 4 * i + 3, 20);
	}
	sim_run(&lab->sim, SIM_S(10));
	assert_int_equal(lab->all.nf, 200);
	for (i = 0; i < 200; i++) {
		const struct rframe *fr = &lab->all.f[i];
		uint32_t seq =
		    be32(fr->b + 14 + (be16(fr->b + 12) == 0x0800 ? 28 : 48));
		sim_time_t t = (sim_time_t)(seq / 4) * SIM_MS(100);
		bool v6 = seq % 4 >= 2;
		bool down = (t >= SIM_S(1) && t < SIM_S(2)) ||
		            (v6 && t >= SIM_S(3) && t < SIM_S(4));
		struct net_host *to = seq % 2 ? lab->a : lab->b;

		assert_int_equal(fr->t, t);
		if (down) {
			assert_null(arrival_of(lab, to, seq));
			assert_string_equal(fr->later,
			    v6 && t >= SIM_S(3)
			        ? "link client-mx1 is down (outage 1): frame lost"
			        : "link client-mx1 is down (outage 0): frame lost");
		} else {
			assert_non_null(arrival_of(lab, to, seq));
			assert_int_equal(fr->nlater, 0);
		}
	}
	/* 10 instants of 4 datagrams, 10 more of 2 (IPv6). */
	assert_int_equal(lab->narr, 200 - 40 - 20);
	assert_all_done_once(&lab->all);
	lab_free(lab);
}

static void
test_net_link_loss_outage_loses_only_inside_its_window(void **state)
{
	/* fault.h: a 'loss' outage loses frames at its rate during its
	 * window only; at rate 1 every one. */
	static const struct net_link_params p = {SIM_MS(1), 0, 0, 0};
	const struct fault f = {.from = SIM_S(1),
	    .to = SIM_S(2),
	    .kind = FAULT_LOSS,
	    .svc = FAULT_SVC_ANY,
	    .rate = 1.0,
	    .family = 0,
	    .index = 0};
	struct lab *lab = lab_new(7, false, &p, NULL);
	uint32_t i;

	(void)state;
	net_link_set_faults(lab->l1, &f, 1);
	for (i = 0; i < 30; i++)
		send_at(lab, (sim_time_t)i * SIM_MS(100), lab->a, &lab->a4,
		    &lab->b4, i, 20);
	sim_run(&lab->sim, SIM_S(10));
	for (i = 0; i < 30; i++) {
		bool in = i >= 10 && i < 20;

		assert_int_equal(arrival_of(lab, lab->b, i) == NULL, in);
		if (in)
			assert_string_equal(lab->all.f[i].later,
			    "lost on link client-mx1 (outage 0: 100% loss)");
	}
	lab_free(lab);
}

/* --- checksums
 * ------------------------------------------------------------------ */

static void
test_net_ipv6_checksums_match_rfc8200_pseudo_header_vectors(void **state)
{
	/* RFC 8200 §8.1 for UDP (17) and TCP (6), RFC 4443 §2.3 for ICMPv6
	 * (next header 58), 2001:db8::1 -> 2001:db8::2.  Each value is
	 * checked three ways: cksum_l4(), the byte-built reference above,
	 * and a constant computed outside this program (a separate Python
	 * sum, confirmed "Good" by Wireshark's UDP/TCP/ICMPv6 checksum
	 * validation). */
	static const uint8_t udp[20] = {0x30, 0x39, 0x00, 0x35, 0x00, 0x14,
	    0x00, 0x00, 'h', 'e', 'l', 'l', 'o', ',', ' ', 'w', 'o', 'r', 'l',
	    'd'};
	static const uint8_t syn[24] = {0x9c, 0x40, 0x00, 0x19, 0x01, 0x02,
	    0x03, 0x04, 0, 0, 0, 0, 0x60, 0x02, 0xfa, 0xf0, 0, 0, 0, 0, 2, 4,
	    0x05, 0xa0};
	static const uint8_t odd[25] = {0x9c, 0x40, 0x00, 0x19, 0x01, 0x02,
	    0x03, 0x05, 0x0a, 0x0b, 0x0c, 0x0d, 0x50, 0x18, 0xfa, 0xf0, 0, 0, 0,
	    0, 'h', 'e', 'l', 'l', 'o'};
	static const uint8_t echo[10] = {
	    128, 0, 0, 0, 0x12, 0x34, 0x00, 0x01, 'a', 'b'};
	static const struct {
		const uint8_t *seg;
		size_t len;
		uint8_t next;
		size_t ckoff;
		uint16_t want;
	} v[] = {
	    {udp, sizeof(udp), 17, 6, 0x3397},
	    {syn, sizeof(syn), 6, 16, 0xa175},
	    {odd, sizeof(odd), 6, 16, 0x5f17},
	    {echo, sizeof(echo), 58, 2, 0xb0ae},
	};
	struct net_addr s = addr("2001:db8::1"), d = addr("2001:db8::2");
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t seg[32];

		assert_int_equal(
		    cksum_l4(&s, &d, v[i].next, v[i].seg, v[i].len), v[i].want);
		assert_int_equal(
		    ref_l4_v6(s.b, d.b, v[i].next, v[i].seg, v[i].len),
		    v[i].want);
		/* With the checksum in place the receiver's sum is 0. */
		memcpy(seg, v[i].seg, v[i].len);
		seg[v[i].ckoff] = (uint8_t)(v[i].want >> 8);
		seg[v[i].ckoff + 1] = (uint8_t)v[i].want;
		assert_int_equal(cksum_l4(&s, &d, v[i].next, seg, v[i].len), 0);
	}
	/* ICMPv6 is not ICMPv4: next header 1, or no pseudo-header at all,
	 * give other values. */
	assert_int_equal(cksum_l4(&s, &d, 1, echo, sizeof(echo)), 0xb0e7);
	assert_int_equal(ref_cksum(echo, sizeof(echo)), 0x0c68);
}

static void
test_net_ipv6_frames_carry_reference_checksums(void **state)
{
	/* The frames the simulator sends over IPv6 (a UDP datagram, a TCP
	 * SYN, the ICMPv6 error for a datagram to a closed port) carry
	 * exactly the checksum the byte-built RFC 8200 §8.1 / RFC 4443
	 * §2.3 reference gives for their bytes. */
	static const struct net_link_params p = {L1, 0, 0, 0};
	struct lab *lab = lab_new(9, false, &p, NULL);
	const struct rframe *f;
	size_t i;

	(void)state;
	assert_non_null(
	    tcp_connect(lab->a, &lab->b6, 2525, &app_cb, &lab->cli));
	send_at(lab, 0, lab->a, &lab->a6, &lab->b6, 1, 33);
	sim_run(&lab->sim, SIM_MS(5));
	assert_non_null(arrival_of(lab, lab->b, 1));
	udp_unbind(lab->b, 9);
	send_at(lab, SIM_MS(10), lab->a, &lab->a6, &lab->b6, 2, 21);
	sim_run(&lab->sim, SIM_S(1));
	assert_null(arrival_of(lab, lab->b, 2));
	/* SYN (to a closed port), datagram 1, RST, datagram 2 (to a port
	 * unbound meanwhile), ICMPv6 port unreachable. */
	assert_int_equal(lab->all.nf, 5);
	for (i = 0; i < lab->all.nf; i++) {
		size_t ckoff;

		f = &lab->all.f[i];
		assert_int_equal(be16(f->b + 12), 0x86dd);
		switch (f->b[14 + 6]) {
		case 17:
			ckoff = 6;
			break;
		case 6:
			ckoff = 16;
			break;
		default:
			assert_int_equal(f->b[14 + 6], 58);
			assert_int_equal(f->b[54], 1);
			assert_int_equal(f->b[55], 4);
			ckoff = 2;
			break;
		}
		assert_int_equal(
		    ref_frame_l4(f->b, f->len, ckoff), be16(f->b + 54 + ckoff));
	}
	lab_free(lab);
}

/* --- taps
 * --------------------------------------------------------------------- */

static void
test_net_taps_whole_network_once_at_origin_vantage_both_ways(void **state)
{
	/* net.h: a whole-network tap sees every frame once, as its origin
	 * sends it (never again at a router); a tap at a host sees what
	 * that host sends (outbound) and receives (inbound, as it arrives:
	 * after R, TTL 63). */
	static const uint8_t hello[] = "hello";
	static const struct net_link_params p1 = {L1, 0, 0, 0};
	static const struct net_link_params p2 = {L2, 0, 0, 0};
	struct lab *lab = lab_new(10, true, &p1, &p2);
	size_t i, j, out_a = 0, out_b = 0, in_a = 0, in_b = 0;

	(void)state;
	assert_int_equal(
	    net_tap_add(&lab->net, lab->a, &rec_ops, &lab->at_a), 0);
	assert_int_equal(
	    net_tap_add(&lab->net, lab->b, &rec_ops, &lab->at_b), 0);
	lab->cli.send = hello;
	lab->cli.nsend = 5;
	lab->cli.close_after_send = true;
	lab->srv.close_on_eof = true;
	assert_int_equal(tcp_listen(lab->b, 25, accept_cb, lab), 0);
	assert_non_null(tcp_connect(lab->a, &lab->b4, 25, &app_cb, &lab->cli));
	send_at(lab, SIM_MS(5), lab->b, &lab->b6, &lab->a6, 77, 40);
	sim_run(&lab->sim, SIM_S(300));
	assert_int_equal(lab->srv.ndata, 5);
	assert_int_equal(lab->cli.why, TCP_END_CLOSED);
	assert_non_null(arrival_of(lab, lab->a, 77));

	/* Whole network: one frame per packet, each as its origin (a host,
	 * never R) sent it. */
	/* At least SYN, SYN-ACK, data, FIN, FIN, last ACK and the
	 * datagram. */
	assert_true(lab->all.nf >= 7);
	for (i = 0; i < lab->all.nf; i++) {
		const struct rframe *f = &lab->all.f[i];

		assert_false(f->inbound);
		assert_true(f->ifp->node == lab->a || f->ifp->node == lab->b);
		assert_memory_equal(f->b + 6, f->ifp->mac, 6);
		assert_int_equal(f->b[14 + (f->b[12] == 0x08 ? 8 : 7)], 64);
		for (j = 0; j < i; j++)
			assert_int_not_equal(lab->all.f[j].pkt, f->pkt);
	}
	/* At A and at B: each packet once per direction, the outbound ones
	 * being exactly the whole network's frames of that host. */
	for (i = 0; i < lab->at_a.nf; i++) {
		const struct rframe *f = &lab->at_a.f[i];

		assert_ptr_equal(f->ifp, &lab->a->ifs[0]);
		if (f->inbound) {
			in_a++;
			assert_memory_equal(f->b, lab->a->ifs[0].mac, 6);
			assert_memory_equal(f->b + 6, lab->r->ifs[0].mac, 6);
			assert_int_equal(
			    f->b[14 + (f->b[12] == 0x08 ? 8 : 7)], 63);
		} else
			out_a++;
	}
	for (i = 0; i < lab->at_b.nf; i++) {
		const struct rframe *f = &lab->at_b.f[i];

		assert_ptr_equal(f->ifp, &lab->b->ifs[0]);
		if (f->inbound) {
			in_b++;
			assert_memory_equal(f->b, lab->b->ifs[0].mac, 6);
			assert_memory_equal(f->b + 6, lab->r->ifs[1].mac, 6);
			assert_int_equal(f->b[14 + 8], 63);
		} else {
			out_b++;
			assert_memory_equal(f->b, lab->r->ifs[1].mac, 6);
			assert_memory_equal(f->b + 6, lab->b->ifs[0].mac, 6);
		}
	}
	assert_int_equal(out_a + out_b, lab->all.nf);
	assert_int_equal(in_b, out_a); /* nothing lost */
	assert_int_equal(in_a, out_b);
	for (i = 0, j = 0; i < lab->all.nf; i++)
		if (lab->all.f[i].ifp->node == lab->a) {
			while (j < lab->at_a.nf && lab->at_a.f[j].inbound)
				j++;
			assert_true(j < lab->at_a.nf);
			assert_int_equal(lab->at_a.f[j].pkt, lab->all.f[i].pkt);
			assert_memory_equal(lab->at_a.f[j].b, lab->all.f[i].b,
			    lab->all.f[i].len);
			j++;
		}
	assert_all_done_once(&lab->all);
	assert_all_done_once(&lab->at_a);
	assert_all_done_once(&lab->at_b);
	lab_free(lab);
}

static void
test_net_tap_notes_reach_the_ticket_and_done_comes_once(void **state)
{
	/* net.h: a note made about a packet reaches every tap that already
	 * saw it, with the ticket that tap returned; net_note_next() notes
	 * ride on the frame itself; every packet a tap saw is settled once,
	 * whether delivered or dropped; a tap that returned ticket 0 hears
	 * nothing more. */
	static const struct net_link_params p1 = {L1, 0, 0, 0};
	static const struct net_link_params p2 = {L2, 0, 0, 0};
	const struct fault down = {.from = SIM_S(2),
	    .to = SIM_S(3),
	    .kind = FAULT_DOWN,
	    .svc = FAULT_SVC_ANY,
	    .family = 0,
	    .index = 0};
	const struct fault cut = {.from = SIM_S(1),
	    .to = SIM_S(2),
	    .kind = FAULT_LINK_DOWN,
	    .svc = FAULT_SVC_ANY,
	    .family = 0,
	    .index = 0};
	struct lab *lab = lab_new(12, true, &p1, &p2);
	int declined = 0;
	const struct rframe *f;

	(void)state;
	assert_int_equal(
	    net_tap_add(&lab->net, lab->a, &rec_ops, &lab->at_a), 0);
	assert_int_equal(
	    net_tap_add(&lab->net, lab->b, &rec_ops, &lab->at_b), 0);
	assert_int_equal(
	    net_tap_add(&lab->net, NULL, &decline_ops, &declined), 0);
	net_host_set_faults(lab->b, &down, 1);
	net_link_set_faults(lab->l2, &cut, 1);
	/* 0: delivered; 1 s: lost on link R-B; 2 s: B is down; 3 s: with a
	 * note of A's own. */
	send_at(lab, 0, lab->a, &lab->a4, &lab->b4, 0, 20);
	send_at(lab, SIM_S(1), lab->a, &lab->a4, &lab->b4, 1, 20);
	send_at(lab, SIM_S(2), lab->a, &lab->a4, &lab->b4, 2, 20);
	sim_run(&lab->sim, SIM_S(3));
	net_note_next(lab->a, "attempt 3 for msg 1");
	send_at(lab, SIM_S(3), lab->a, &lab->a4, &lab->b4, 3, 20);
	sim_run(&lab->sim, SIM_S(10));

	assert_int_equal(lab->all.nf, 4);
	assert_int_equal(declined, 4); /* at the origin only */
	assert_int_equal(lab->at_a.nf, 4);
	assert_int_equal(lab->at_b.nf, 3); /* datagrams 0, 2 and 3 */
	assert_non_null(arrival_of(lab, lab->b, 0));
	assert_null(arrival_of(lab, lab->b, 1));
	assert_null(arrival_of(lab, lab->b, 2));
	assert_non_null(arrival_of(lab, lab->b, 3));
	/* Delivered: no notes. */
	f = &lab->all.f[0];
	assert_string_equal(f->first, "");
	assert_int_equal(f->nlater, 0);
	/* Lost on the second link, after the taps saw it at A: told
	 * later, to each tap's own ticket. */
	f = &lab->all.f[1];
	assert_string_equal(f->first, "");
	assert_int_equal(f->nlater, 1);
	assert_string_equal(
	    f->later, "link r1-mx1 is down (outage 0): frame lost");
	assert_string_equal(lab->at_a.f[1].later, f->later);
	/* B down: B's tap sees it arrive (and hears why it goes no
	 * further), so do the others. */
	f = &lab->all.f[2];
	assert_int_equal(f->nlater, 1);
	assert_string_equal(
	    f->later, "mx1 is down (outage 0, 2s-3s): frame dropped");
	assert_string_equal(lab->at_a.f[2].later, f->later);
	assert_true(lab->at_b.f[1].inbound);
	assert_int_equal(lab->at_b.f[1].pkt, f->pkt);
	assert_string_equal(lab->at_b.f[1].later, f->later);
	/* A note attached before sending is on the frame when seen. */
	f = &lab->all.f[3];
	assert_string_equal(f->first, "attempt 3 for msg 1");
	assert_int_equal(f->nlater, 0);
	assert_string_equal(lab->at_a.f[3].first, "attempt 3 for msg 1");
	/* Settled once each, at every tap that kept a ticket. */
	assert_all_done_once(&lab->all);
	assert_all_done_once(&lab->at_a);
	assert_all_done_once(&lab->at_b);
	lab_free(lab);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
	        test_net_router_forwards_ipv4_ttl_63_checksum_recomputed_own_macs),
	    cmocka_unit_test(
	        test_net_router_forwards_ipv6_hop_limit_63_own_macs),
	    cmocka_unit_test(test_net_unreachable_ipv4_router_answers_icmp_3_1),
	    cmocka_unit_test(
	        test_net_unreachable_ipv6_router_answers_icmpv6_1_3),
	    cmocka_unit_test(test_net_filtered_ipv4_router_answers_icmp_3_13),
	    cmocka_unit_test(test_net_filtered_ipv6_router_answers_icmpv6_1_1),
	    cmocka_unit_test(test_net_fault_of_one_family_spares_the_other),
	    cmocka_unit_test(
	        test_net_link_arrival_is_serialisation_plus_latency_frames_queue),
	    cmocka_unit_test(
	        test_net_link_jitter_stays_in_bounds_and_never_reorders),
	    cmocka_unit_test(test_net_link_loss_is_deterministic_per_seed),
	    cmocka_unit_test(
	        test_net_tcp_20kb_over_30pct_loss_completes_with_identical_resends),
	    cmocka_unit_test(
	        test_net_link_down_window_drops_every_frame_on_that_link),
	    cmocka_unit_test(
	        test_net_link_loss_outage_loses_only_inside_its_window),
	    cmocka_unit_test(
	        test_net_ipv6_checksums_match_rfc8200_pseudo_header_vectors),
	    cmocka_unit_test(test_net_ipv6_frames_carry_reference_checksums),
	    cmocka_unit_test(
	        test_net_taps_whole_network_once_at_origin_vantage_both_ways),
	    cmocka_unit_test(
	        test_net_tap_notes_reach_the_ticket_and_done_comes_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_tcp.c - TCP, UDP and the frames under them (sim/net/tcp.c, udp.c,
 * net.c), checked byte by byte on the wire.
 *
 * A small lab: one simulation, a client (192.0.2.10, 2001:db8::10) and a
 * server "mx1" (198.51.100.25, 2001:db8:1::25) joined by one link with
 * 100 us one-way latency, and a whole-network tap that copies every frame
 * as its origin sends it, with its time and the notes made about its
 * packet (then, or later through the tap's note operation).  Frames are
 * decoded here by hand, with a checksum written from RFC 1071 rather than
 * the simulator's, so the test reads the bytes the way Wireshark would.
 *
 * Sources for the expected behaviour:
 *  - Ethernet II + IPv4 (RFC 791): version 4, IHL 5, DF, identification 0
 *    (RFC 6864 §4.1 allows it for atomic datagrams), TTL 64 (Linux
 *    net.ipv4.ip_default_ttl), header checksum;
 *  - TCP (RFC 9293): header of §3.1, MSS option of §3.7.1 (kind 2, length
 *    4; 1460 over IPv4 and 1440 over IPv6 for a 1500-byte MTU, RFC 6691
 *    §2), SYN and FIN each consume one sequence number (§3.4), RST
 *    for a segment to a closed port (§3.10.7.1), window 64240 (Linux's
 *    initial receive window for MSS 1460: 44 * 1460);
 *  - retransmission (RFC 6298 §2, §5.5): initial RTO 1 s doubling; Linux
 *    net.ipv4.tcp_syn_retries = 6 gives SYNs at 0, 1, 3, 7, 15, 31, 63 s
 *    and ETIMEDOUT at 127 s; RTO after one sample R is R + max(4 R/2,
 *    200 ms) (RFC 6298 §2.2 with Linux's TCP_RTO_MIN); with Linux >= 6.5
 *    net.ipv4.tcp_syn_linear_timeouts = 4 (ip-sysctl.rst: "1, 1, 1, 1, 1,
 *    2, 4, ...") retransmissions at 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s
 *    and ETIMEDOUT at 131 s;
 *  - ICMP destination unreachable, port unreachable (RFC 792: type 3
 *    code 3, the original IP header + 64 bits of data; RFC 1122 §3.2.2.1);
 *    ICMPv6 type 1 code 4 quoting as much as fits (RFC 4443 §3.1).
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
#include "net/net.h"
#include "net/tcp.h"
#include "net/udp.h"

#define LATENCY SIM_US(100)

#define F_FIN 0x01
#define F_SYN 0x02
#define F_RST 0x04
#define F_PSH 0x08
#define F_ACK 0x10

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

/* RFC 1071 one's complement sum of 'n' bytes, unfolded. */
static uint64_t
sum16(const uint8_t *p, size_t n)
{
	uint64_t s = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint64_t)p[i] * 256 + p[i + 1];
	if (n % 2)
		s += (uint64_t)p[n - 1] * 256;
	return s;
}

static uint16_t
fold(uint64_t s)
{
	while (s > 0xffff)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)(~s & 0xffff);
}

/* The checksum of a transport segment with its pseudo-header: 0 when
 * the segment's own checksum is right. */
static uint16_t
l4_verify(const uint8_t *src, const uint8_t *dst, size_t alen, uint8_t proto,
    const uint8_t *seg, size_t len)
{
	return fold(sum16(src, alen) + sum16(dst, alen) + proto + len +
	            sum16(seg, len));
}

/* One frame seen by the tap. */
struct frame {
	sim_time_t t;                   /* when it was put on the wire */
	size_t len;                     /* bytes */
	uint8_t b[NET_FRAME_MAX];       /* the frame */
	bool noted;                     /* the tap got a note */
	char note[NET_NOTES_MAX + 256]; /* its notes, '\n'-separated */
};

/* A TCP segment decoded from an IPv4 or IPv6 frame. */
struct seg {
	int family;         /* 4 or 6 */
	const uint8_t *ip;  /* IP header */
	const uint8_t *tcp; /* TCP header */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t off; /* data offset in bytes */
	uint8_t flags;
	uint16_t win;
	uint16_t urg;
	const uint8_t *data; /* payload */
	size_t dlen;         /* payload length */
};

/* Decodes a TCP frame and asserts what holds for every frame we send:
 * Ethernet II type, IP version/IHL/length/DF/TTL/protocol and checksum,
 * and the TCP checksum. */
static void
seg_decode(const struct frame *f, struct seg *s)
{
	const uint8_t *ip = f->b + 14;
	size_t iplen;

	memset(s, 0, sizeof(*s));
	s->ip = ip;
	if (be16(f->b + 12) == 0x0800) {
		s->family = 4;
		assert_int_equal(ip[0], 0x45);
		assert_int_equal(ip[1], 0);
		assert_int_equal(be16(ip + 2), f->len - 14);
		assert_int_equal(be16(ip + 4), 0);
		assert_int_equal(be16(ip + 6), 0x4000); /* DF, offset 0 */
		assert_int_equal(ip[8], 64);
		assert_int_equal(ip[9], 6);
		assert_int_equal(fold(sum16(ip, 20)), 0);
		iplen = 20;
		s->tcp = ip + 20;
		assert_int_equal(
		    l4_verify(ip + 12, ip + 16, 4, 6, s->tcp, f->len - 34), 0);
	} else {
		assert_int_equal(be16(f->b + 12), 0x86dd);
		s->family = 6;
		assert_int_equal(ip[0], 0x60);
		assert_int_equal(be16(ip + 4), f->len - 54);
		assert_int_equal(ip[6], 6);
		assert_int_equal(ip[7], 64);
		iplen = 40;
		s->tcp = ip + 40;
		assert_int_equal(
		    l4_verify(ip + 8, ip + 24, 16, 6, s->tcp, f->len - 54), 0);
	}
	s->sport = be16(s->tcp);
	s->dport = be16(s->tcp + 2);
	s->seq = be32(s->tcp + 4);
	s->ack = be32(s->tcp + 8);
	s->off = (uint8_t)((s->tcp[12] >> 4) * 4);
	assert_int_equal(s->tcp[12] & 0x0f, 0); /* reserved bits */
	s->flags = s->tcp[13];
	s->win = be16(s->tcp + 14);
	s->urg = be16(s->tcp + 18);
	assert_int_equal(s->urg, 0);
	s->data = s->tcp + s->off;
	s->dlen = f->len - 14 - iplen - s->off;
}

/* --- the lab
 * ------------------------------------------------------------------ */

struct lab;

/* One side's application: what happened to it, what it does. */
struct app {
	struct lab *lab;       /* borrowed */
	struct tcp_conn *conn; /* borrowed, NULL once closed */
	int connected;         /* 'connected' callbacks */
	sim_time_t connected_at;
	uint8_t data[8192]; /* bytes received, in order */
	size_t ndata;
	int eof;          /* 'eof' callbacks */
	int closed;       /* 'closed' callbacks */
	enum tcp_end why; /* the reason of the last close */
	int icmp_code;
	sim_time_t closed_at;
	int syns_at_close; /* tcp_conn_syns() in 'closed' */
	/* behaviour */
	const uint8_t *send; /* send this when connected, or NULL */
	size_t nsend;
	bool close_after_send; /* then close */
	bool close_on_eof;     /* close when the peer's FIN comes */
};

struct lab {
	struct sim sim;
	struct net net;
	struct net_host *cli, *srv; /* borrowed from 'net' */
	struct net_addr ca, sa;     /* their IPv4 addresses */
	struct net_addr ca6, sa6;   /* their IPv6 addresses */
	struct frame *f;            /* owned frames seen on the wire */
	size_t nf, capf;
	struct app client, server;
	int accepts; /* accept callbacks */
	/* UDP */
	int udp_recv, udp_err; /* callbacks */
	struct udp_from from;  /* last datagram's addresses */
	uint8_t udp_data[64];
	size_t udp_len;
	uint8_t err_type, err_code; /* last ICMP error */
	uint16_t err_dport;
	struct net_addr err_to;
};

/* The tap: every frame once, as its origin sends it.  Its ticket for a
 * packet is the frame's index + 1, so notes made later (a drop at the
 * far end) are added to the right frame. */
static uint64_t
tap_frame(void *ctx, const struct net_frame *nf)
{
	struct lab *lab = ctx;
	struct frame *f;

	if (lab->nf == lab->capf) {
		lab->capf = lab->capf ? lab->capf * 2 : 16;
		lab->f = realloc(lab->f, lab->capf * sizeof(*lab->f));
		assert_non_null(lab->f);
	}
	f = &lab->f[lab->nf++];
	assert_true(nf->len <= sizeof(f->b));
	assert_false(nf->inbound);
	f->t = nf->t;
	f->len = nf->len;
	memcpy(f->b, nf->data, nf->len);
	f->noted = nf->pkt->nlen > 0;
	snprintf(f->note, sizeof(f->note), "%s", nf->pkt->notes);
	return lab->nf;
}

static void
tap_note(void *ctx, uint64_t ticket, const char *text)
{
	struct lab *lab = ctx;
	struct frame *f;
	size_t n;

	assert_in_range(ticket, 1, lab->nf);
	f = &lab->f[ticket - 1];
	n = strlen(f->note);
	snprintf(
	    f->note + n, sizeof(f->note) - n, "%s%s", n > 0 ? "\n" : "", text);
	f->noted = true;
}

static const struct net_tap_ops tap_ops = {
    .frame = tap_frame, .note = tap_note, .done = NULL};

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
	assert_true(a->ndata + n <= sizeof(a->data));
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
	lab->server.conn = c;
	*cb = &app_cb;
	*cbctx = &lab->server;
	return true;
}

static struct net_addr
addr(const char *s)
{
	struct net_addr a;

	assert_true(net_addr_parse(s, &a));
	return a;
}

static struct lab *
lab_new(uint64_t seed)
{
	/* One link: 100 us one way, no jitter, no loss, no serialisation
	 * delay. */
	static const struct net_link_params link = {LATENCY, 0, 0, 0};
	struct lab *lab = calloc(1, sizeof(*lab));

	assert_non_null(lab);
	sim_init(&lab->sim, seed);
	net_init(&lab->net, &lab->sim);
	lab->cli = net_host_add(&lab->net, "client");
	lab->srv = net_host_add(&lab->net, "mx1");
	assert_non_null(net_link_add(&lab->net, lab->cli, lab->srv, &link));
	lab->ca = addr("192.0.2.10");
	lab->sa = addr("198.51.100.25");
	lab->ca6 = addr("2001:db8::10");
	lab->sa6 = addr("2001:db8:1::25");
	assert_int_equal(net_host_addr_add(lab->cli, &lab->ca), 0);
	assert_int_equal(net_host_addr_add(lab->cli, &lab->ca6), 0);
	assert_int_equal(net_host_addr_add(lab->srv, &lab->sa), 0);
	assert_int_equal(net_host_addr_add(lab->srv, &lab->sa6), 0);
	assert_int_equal(net_finalize(&lab->net), 0);
	assert_int_equal(net_tap_add(&lab->net, NULL, &tap_ops, lab), 0);
	lab->client.lab = lab;
	lab->server.lab = lab;
	return lab;
}

static void
lab_free(struct lab *lab)
{
	/* Released objects are freed by sim_fini(), which still needs the
	 * hosts (world.c does the same). */
	sim_fini(&lab->sim);
	net_fini(&lab->net);
	free(lab->f);
	free(lab);
}

/* Index of the n-th frame (from 0) sent by 'h', or -1. */
static int
nth_from(const struct lab *lab, const struct net_host *h, int n)
{
	size_t i;

	for (i = 0; i < lab->nf; i++)
		if (memcmp(lab->f[i].b + 6, h->ifs[0].mac, 6) == 0 && n-- == 0)
			return (int)i;
	return -1;
}

/* Connects client -> server:port over IPv4 and returns the connection. */
static struct tcp_conn *
lab_connect(struct lab *lab, uint16_t port)
{
	struct tcp_conn *c =
	    tcp_connect(lab->cli, &lab->sa, port, &app_cb, &lab->client);

	assert_non_null(c);
	lab->client.conn = c;
	return c;
}

/* --- handshake
 * ----------------------------------------------------------------- */

static void
test_tcp_syn_frame_is_exact_bytes(void **state)
{
	static const uint8_t cli_mac[6] = {0x02, 0, 0, 0, 0, 1};
	static const uint8_t srv_mac[6] = {0x02, 0, 0, 1, 0, 1};
	struct lab *lab = lab_new(1);
	struct tcp_conn *c;
	uint8_t want[58];
	const struct frame *f;
	uint16_t sport;
	uint32_t isn;
	uint16_t ck;

	(void)state;
	assert_int_equal(tcp_listen(lab->srv, 25, accept_cb, lab), 0);
	c = lab_connect(lab, 25);
	sport = tcp_conn_lport(c);
	/* Linux net.ipv4.ip_local_port_range 32768-60999. */
	assert_in_range(sport, 32768, 60999);
	assert_int_equal(tcp_conn_rport(c), 25);
	/* The SYN leaves inside tcp_connect(), at time 0. */
	assert_int_equal(lab->nf, 1);
	f = &lab->f[0];
	assert_int_equal(f->t, 0);
	assert_int_equal(f->len, 14 + 20 + 24);
	isn = be32(f->b + 14 + 20 + 4);

	/* The frame as it must be, byte by byte. */
	memset(want, 0, sizeof(want));
	memcpy(want, lab->srv->ifs[0].mac, 6);     /* Ethernet dst */
	memcpy(want + 6, lab->cli->ifs[0].mac, 6); /* Ethernet src */
	want[12] = 0x08;                           /* IPv4 */
	want[13] = 0x00;
	want[14] = 0x45; /* version 4, IHL 5 */
	want[16] = 0;    /* total length 44 */
	want[17] = 44;
	want[20] = 0x40; /* DF */
	want[22] = 64;   /* TTL */
	want[23] = 6;    /* TCP */
	memcpy(want + 26, lab->ca.b, 4);
	memcpy(want + 30, lab->sa.b, 4);
	ck = fold(sum16(want + 14, 20));
	want[24] = (uint8_t)(ck >> 8);
	want[25] = (uint8_t)ck;
	want[34] = (uint8_t)(sport >> 8);
	want[35] = (uint8_t)sport;
	want[37] = 25; /* dport */
	want[38] = (uint8_t)(isn >> 24);
	want[39] = (uint8_t)(isn >> 16);
	want[40] = (uint8_t)(isn >> 8);
	want[41] = (uint8_t)isn;
	/* ack field 42..45 stays 0: ACK is not set (RFC 9293 §3.1) */
	want[46] = 0x60;  /* data offset 6 */
	want[47] = F_SYN; /* SYN only */
	want[48] = 0xfa;  /* window 64240 */
	want[49] = 0xf0;
	want[54] = 2; /* MSS option */
	want[55] = 4;
	want[56] = 0x05; /* 1460 */
	want[57] = 0xb4;
	ck = l4_verify(want + 26, want + 30, 4, 6, want + 34, 24);
	want[50] = (uint8_t)(ck >> 8);
	want[51] = (uint8_t)ck;
	assert_memory_equal(f->b, want, sizeof(want));
	/* MACs live on interfaces: locally administered unicast (IEEE 802:
	 * bit 1 of the first octet set, bit 0 clear), 02:00:<node id, 16
	 * bits>:00:<interface index + 1>; the destination MAC is the
	 * interface at the other end of the link. */
	assert_memory_equal(lab->cli->ifs[0].mac, cli_mac, 6);
	assert_memory_equal(lab->srv->ifs[0].mac, srv_mac, 6);
	assert_ptr_equal(lab->cli->ifs[0].link, lab->srv->ifs[0].link);
	assert_ptr_equal(lab->cli->ifs[0].link->end[0], &lab->cli->ifs[0]);
	assert_ptr_equal(lab->cli->ifs[0].link->end[1], &lab->srv->ifs[0]);
	lab_free(lab);
}

static void
test_tcp_handshake_synack_acks_isn_plus_one_then_ack(void **state)
{
	struct lab *lab = lab_new(1);
	struct seg syn, synack, ack;
	struct tcp_conn *c;

	(void)state;
	assert_int_equal(tcp_listen(lab->srv, 25, accept_cb, lab), 0);
	c = lab_connect(lab, 25);
	sim_run(&lab->sim, SIM_S(300));
	/* Nothing but the three segments: no spurious retransmission. */
	assert_int_equal(lab->nf, 3);
	seg_decode(&lab->f[0], &syn);
	seg_decode(&lab->f[1], &synack);
	seg_decode(&lab->f[2], &ack);

	/* SYN-ACK: from the server one latency later, SYN|ACK, acking the
	 * SYN's one sequence number, with its own MSS option. */
	assert_int_equal(lab->f[1].t, LATENCY);
	assert_memory_equal(lab->f[1].b, lab->cli->ifs[0].mac, 6);
	assert_memory_equal(lab->f[1].b + 6, lab->srv->ifs[0].mac, 6);
	assert_memory_equal(synack.ip + 12, lab->sa.b, 4);
	assert_memory_equal(synack.ip + 16, lab->ca.b, 4);
	assert_int_equal(synack.sport, 25);
	assert_int_equal(synack.dport, tcp_conn_lport(c));
	assert_int_equal(synack.flags, F_SYN | F_ACK);
	assert_int_equal(synack.ack, syn.seq + 1);
	assert_int_equal(synack.off, 24);
	assert_int_equal(synack.tcp[20], 2);
	assert_int_equal(synack.tcp[21], 4);
	assert_int_equal(be16(synack.tcp + 22), 1460);
	assert_int_equal(synack.win, 64240);
	assert_int_equal(synack.dlen, 0);
	assert_int_not_equal(synack.seq, syn.seq); /* its own ISN */

	/* ACK: plain header, seq = ISN + 1, ack = server ISN + 1. */
	assert_int_equal(lab->f[2].t, 2 * LATENCY);
	assert_int_equal(lab->f[2].len, 14 + 20 + 20);
	assert_int_equal(ack.flags, F_ACK);
	assert_int_equal(ack.off, 20);
	assert_int_equal(ack.seq, syn.seq + 1);
	assert_int_equal(ack.ack, synack.seq + 1);
	assert_int_equal(ack.win, 64240);
	assert_int_equal(ack.dlen, 0);

	/* Both ends are told: the client on the SYN-ACK, the server on
	 * the ACK. */
	assert_int_equal(lab->client.connected, 1);
	assert_int_equal(lab->client.connected_at, 2 * LATENCY);
	assert_int_equal(lab->server.connected, 1);
	assert_int_equal(lab->server.connected_at, 3 * LATENCY);
	assert_int_equal(lab->accepts, 1);
	assert_int_equal(lab->client.closed, 0);
	lab_free(lab);
}

static void
test_tcp_same_seed_gives_identical_frames_other_seed_other_isn(void **state)
{
	/* DESIGN.md "Determinism": same seed, same bytes. */
	struct lab *a = lab_new(7), *b = lab_new(7), *c = lab_new(8);
	size_t i;

	(void)state;
	assert_int_equal(tcp_listen(a->srv, 25, accept_cb, a), 0);
	assert_int_equal(tcp_listen(b->srv, 25, accept_cb, b), 0);
	assert_int_equal(tcp_listen(c->srv, 25, accept_cb, c), 0);
	lab_connect(a, 25);
	lab_connect(b, 25);
	lab_connect(c, 25);
	sim_run(&a->sim, SIM_S(1));
	sim_run(&b->sim, SIM_S(1));
	sim_run(&c->sim, SIM_S(1));
	assert_int_equal(a->nf, 3);
	assert_int_equal(b->nf, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(a->f[i].len, b->f[i].len);
		assert_memory_equal(a->f[i].b, b->f[i].b, a->f[i].len);
		assert_int_equal(a->f[i].t, b->f[i].t);
	}
	/* Another seed: another ISN (bytes 38..41 of the SYN). */
	assert_memory_not_equal(a->f[0].b + 38, c->f[0].b + 38, 4);
	lab_free(a);
	lab_free(b);
	lab_free(c);
}

static void
test_tcp_ipv6_syn_announces_mss_1440(void **state)
{
	struct lab *lab = lab_new(3);
	struct tcp_conn *c;
	struct seg syn, synack;

	(void)state;
	assert_int_equal(tcp_listen(lab->srv, 25, accept_cb, lab), 0);
	c = tcp_connect(lab->cli, &lab->sa6, 25, &app_cb, &lab->client);
	assert_non_null(c);
	sim_run(&lab->sim, SIM_S(1));
	assert_int_equal(lab->nf, 3);
	seg_decode(&lab->f[0], &syn);
	seg_decode(&lab->f[1], &synack);
	assert_int_equal(syn.family, 6);
	assert_int_equal(lab->f[0].len, 14 + 40 + 24);
	assert_memory_equal(syn.ip + 8, lab->ca6.b, 16);
	assert_memory_equal(syn.ip + 24, lab->sa6.b, 16);
	assert_int_equal(syn.flags, F_SYN);
	/* RFC 6691 §2: MSS = MTU - 60 for IPv6 (1500 - 40 - 20). */
	assert_int_equal(be16(syn.tcp + 22), 1440);
	assert_int_equal(be16(synack.tcp + 22), 1440);
	assert_int_equal(synack.ack, syn.seq + 1);
	assert_int_equal(lab->client.connected, 1);
	assert_int_equal(lab->server.connected, 1);
	lab_free(lab);
}

/* --- data and close
 * -------------------------------------------------------------- */

static void
test_tcp_3000_bytes_split_at_mss_with_cumulative_acks(void **state)
{
	struct lab *lab = lab_new(2);
	uint8_t msg[3000];
	struct seg syn, synack, s;
	uint32_t next, acks[8];
	size_t i, nseg = 0, nacks = 0, total = 0, maxlen = 0;

	(void)state;
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7 + 3);
	lab->client.send = msg;
	lab->client.nsend = sizeof(msg);
	assert_int_equal(tcp_listen(lab->srv, 25, accept_cb, lab), 0);
	lab_connect(lab, 25);
	sim_run(&lab->sim, SIM_S(10));
	seg_decode(&lab->f[0], &syn);
	seg_decode(&lab->f[1], &synack);
	next = syn.seq + 1;
	for (i = 2; i < lab->nf; i++) {
		seg_decode(&lab->f[i], &s);
		if (lab->f[i].len > maxlen)
			maxlen = lab->f[i].len;
		assert_int_equal(s.flags & (F_SYN | F_FIN | F_RST), 0);
		assert_true(s.flags & F_ACK);
		if (s.sport != 25) {
			/* Client data: contiguous, at most the MSS the
			 * server announced, acking the server's SYN. */
			assert_true(s.dlen > 0);
			assert_true(s.dlen <= 1460);
			assert_int_equal(s.seq, next);
			assert_int_equal(s.ack, synack.seq + 1);
			assert_memory_equal(s.data, msg + total, s.dlen);
			next += (uint32_t)s.dlen;
			total += s.dlen;
			nseg++;
		} else {
			/* Server ACKs: pure, cumulative, each one exactly
			 * the end of data received so far, increasing. */
			assert_int_equal(s.dlen, 0);
			assert_int_equal(s.flags, F_ACK);
			assert_int_equal(s.seq, synack.seq + 1);
			assert_true(nacks < 8);
			acks[nacks++] = s.ack;
		}
	}
	assert_int_equal(total, 3000);
	assert_int_equal(nseg, 3);      /* 1460 + 1460 + 80 */
	assert_int_equal(maxlen, 1514); /* a full Ethernet frame */
	/* RFC 5681 §4.2: an ACK at once for every second full-sized
	 * segment; the rest is acknowledged at the end of the instant in
	 * which the segments arrived. */
	assert_int_equal(nacks, 2);
	assert_int_equal(acks[0], syn.seq + 1 + 2920);
	assert_int_equal(acks[1], syn.seq + 1 + 3000);
	/* The last segment of the write carries PSH (as Linux's). */
	seg_decode(&lab->f[nth_from(lab, lab->cli, 3)], &s);
	assert_int_equal(s.dlen, 80);
	assert_int_equal(s.flags, F_ACK | F_PSH);
	/* The server application got every byte, in order. */
	assert_int_equal(lab->server.ndata, 3000);
	assert_memory_equal(lab->server.data, msg, 3000);
	lab_free(lab);
}

static void
test_tcp_orderly_close_fin_each_way_final_ack_acks_fin(void **state)
{
	static const uint8_t hello[] = {'h', 'e', 'l', 'l', 'o'};
	struct lab *lab = lab_new(4);
	struct seg syn, synack, cfin, sfin, last, s;
	int i, cf = -1, sf = -1;

	(void)state;
	lab->client.send = hello;
	lab->client.nsend = sizeof(hello);
	lab->client.close_after_send = true;
	lab->server.close_on_eof = true;
	assert_int_equal(tcp_listen(lab->srv, 25, accept_cb, lab), 0);
	lab_connect(lab, 25);
	sim_run(&lab->sim, SIM_S(200)); /* past TIME_WAIT (60 s) */
	seg_decode(&lab->f[0], &syn);
	seg_decode(&lab->f[1], &synack);
	for (i = 0; i < (int)lab->nf; i++) {
		seg_decode(&lab->f[i], &s);
		if (s.flags & F_FIN) {
			if (s.sport == 25) {
				assert_int_equal(sf, -1);
				sf = i;
			} else {
				assert_int_equal(cf, -1);
				cf = i;
			}
		}
		assert_int_equal(s.flags & F_RST, 0);
	}
	assert_true(cf > 0 && sf > cf);
	seg_decode(&lab->f[cf], &cfin);
	seg_decode(&lab->f[sf], &sfin);
	/* RFC 9293 §3.4: the SYN took ISN, data ISN+1..ISN+5, the FIN
	 * ISN+6. */
	assert_int_equal(cfin.seq, syn.seq + 1 + 5);
	assert_int_equal(cfin.flags, F_FIN | F_ACK);
	assert_int_equal(cfin.dlen, 0);
	/* The server's FIN: its first sequence number after the SYN,
	 * acking the client's FIN (one past it). */
	assert_int_equal(sfin.seq, synack.seq + 1);
	assert_int_equal(sfin.ack, cfin.seq + 1);
	assert_true(sfin.flags & F_ACK);
	/* The last frame acknowledges the server's FIN + 1. */
	seg_decode(&lab->f[lab->nf - 1], &last);
	assert_int_not_equal(last.sport, 25);
	assert_int_equal(last.flags, F_ACK);
	assert_int_equal(last.seq, cfin.seq + 1);
	assert_int_equal(last.ack, sfin.seq + 1);
	assert_int_equal(last.dlen, 0);
	assert_int_equal(lab->nf - 1, (size_t)sf + 1);
	/* Data arrived; both ends saw an orderly close, the server after
	 * the client's FIN and the client's last ACK. */
	assert_int_equal(lab->server.ndata, 5);
	assert_memory_equal(lab->server.data, "hello", 5);
	assert_int_equal(lab->server.eof, 1);
	assert_int_equal(lab->client.closed, 1);
	assert_int_equal(lab->client.why, TCP_END_CLOSED);
	assert_int_equal(lab->client.closed_at, 4 * LATENCY);
	assert_int_equal(lab->server.closed, 1);
	assert_int_equal(lab->server.why, TCP_END_CLOSED);
	assert_int_equal(lab->server.closed_at, 5 * LATENCY);
	/* TIME_WAIT ends silently. */
	assert_int_equal(lab->f[lab->nf - 1].t, 4 * LATENCY);
	lab_free(lab);
}

static void
test_tcp_server_closing_first_is_acked_and_counted(void **state)
{
	/* Passive close on the client: the server sends data then FIN
	 * (as an SMTP server after "221"); the client gets eof, closes,
	 * and the server's final ACK acknowledges the client's FIN + 1. */
	static const uint8_t bye[] = "221 2.0.0 Bye\r\n";
	struct lab *lab = lab_new(5);
	struct seg syn, synack, last;

	(void)state;
	lab->server.send = bye;
	lab->server.nsend = sizeof(bye) - 1;
	lab->server.close_after_send = true;
	lab->client.close_on_eof = true;
	assert_int_equal(tcp_listen(lab->srv, 25, accept_cb, lab), 0);
	lab_connect(lab, 25);
	sim_run(&lab->sim, SIM_S(200));
	seg_decode(&lab->f[0], &syn);
	seg_decode(&lab->f[1], &synack);
	seg_decode(&lab->f[lab->nf - 1], &last);
	assert_int_equal(lab->client.ndata, sizeof(bye) - 1);
	assert_memory_equal(lab->client.data, bye, sizeof(bye) - 1);
	assert_int_equal(lab->client.eof, 1);
	assert_int_equal(lab->client.closed, 1);
	assert_int_equal(lab->client.why, TCP_END_CLOSED);
	assert_int_equal(lab->server.closed, 1);
	assert_int_equal(lab->server.why, TCP_END_CLOSED);
	/* Server: SYN (1) + 15 data bytes + FIN (1). */
	assert_int_equal(last.sport, 25);
	assert_int_equal(last.flags, F_ACK);
	assert_int_equal(last.seq, synack.seq + 1 + 15 + 1);
	assert_int_equal(last.ack, syn.seq + 1 + 1);
	lab_free(lab);
}

static void
test_tcp_data_retransmission_is_byte_identical_after_rto(void **state)
{
	/* The server is down for 100 ms just when the client writes: the
	 * segment vanishes, and comes again after the RTO, the same bytes.
	 * The handshake gave one RTT sample R = 200 us, so RTO = R +
	 * max(4 * R/2, 200 ms) = 200.2 ms (RFC 6298 §2.2, Linux
	 * TCP_RTO_MIN). */
	static const uint8_t line[] = "EHLO client.test\r\n";
	struct fault down = {.from = SIM_S(1),
	    .to = SIM_S(1) + SIM_MS(100),
	    .kind = FAULT_DOWN,
	    .svc = FAULT_SVC_ANY,
	    .family = 0,
	    .index = 1};
	struct lab *lab = lab_new(6);
	struct tcp_conn *c;
	struct seg a, b, ack;
	int i0, i1, ia;

	(void)state;
	assert_int_equal(tcp_listen(lab->srv, 25, accept_cb, lab), 0);
	net_host_set_faults(lab->srv, &down, 1);
	c = lab_connect(lab, 25);
	sim_run(&lab->sim, SIM_S(1));
	assert_int_equal(lab->nf, 3);
	tcp_send(c, line, sizeof(line) - 1);
	sim_run(&lab->sim, SIM_S(10));
	i0 = nth_from(lab, lab->cli, 2);
	i1 = nth_from(lab, lab->cli, 3);
	ia = nth_from(lab, lab->srv, 1);
	assert_true(i0 > 0 && i1 > i0 && ia > i1);
	assert_int_equal(nth_from(lab, lab->cli, 4), -1);
	assert_int_equal(nth_from(lab, lab->srv, 2), -1);
	assert_int_equal(lab->f[i0].t, SIM_S(1));
	assert_true(lab->f[i0].noted); /* the tap is told it was dropped */
	assert_non_null(strstr(lab->f[i0].note, "dropped"));
	assert_int_equal(lab->f[i1].t, SIM_S(1) + SIM_MS(200) + SIM_US(200));
	/* The retransmission got through: the only note on it is TCP's own
	 * reason for sending it (tcp.c timer_fire()), not a drop. */
	assert_true(lab->f[i1].noted);
	assert_non_null(
	    strstr(lab->f[i1].note, "retransmission after a timeout"));
	assert_null(strstr(lab->f[i1].note, "dropped"));
	assert_int_equal(lab->f[i0].len, lab->f[i1].len);
	assert_memory_equal(lab->f[i0].b, lab->f[i1].b, lab->f[i0].len);
	seg_decode(&lab->f[i0], &a);
	seg_decode(&lab->f[i1], &b);
	seg_decode(&lab->f[ia], &ack);
	assert_int_equal(a.dlen, sizeof(line) - 1);
	assert_int_equal(ack.ack, a.seq + a.dlen);
	assert_int_equal(lab->server.ndata, sizeof(line) - 1);
	lab_free(lab);
}

/* --- refusals, timeouts, aborts ----------------------------------------------
 */

static void
test_tcp_syn_to_closed_port_gets_rst_ack_seq0_ack_isn1(void **state)
{
	/* RFC 9293 §3.10.7.1 (CLOSED): no ACK in the SYN, so the reply is
	 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, SYN counting one. */
	struct lab *lab = lab_new(1);
	struct seg syn, rst;

	(void)state;
	lab_connect(lab, 2525);
	sim_run(&lab->sim, SIM_S(300));
	assert_int_equal(lab->nf, 2); /* no retransmission after RST */
	seg_decode(&lab->f[0], &syn);
	seg_decode(&lab->f[1], &rst);
	assert_int_equal(lab->f[1].t, LATENCY);
	assert_int_equal(rst.sport, 2525);
	assert_int_equal(rst.dport, syn.sport);
	assert_int_equal(rst.flags, F_RST | F_ACK);
	assert_int_equal(rst.seq, 0);
	assert_int_equal(rst.ack, syn.seq + 1);
	assert_int_equal(rst.win, 0);
	assert_int_equal(rst.off, 20);
	assert_int_equal(rst.dlen, 0);
	assert_int_equal(lab->f[1].len, 54);
	/* "Connection refused" for the client, one RTT after the SYN. */
	assert_int_equal(lab->client.closed, 1);
	assert_int_equal(lab->client.why, TCP_END_REFUSED);
	assert_int_equal(lab->client.closed_at, 2 * LATENCY);
	assert_int_equal(lab->client.syns_at_close, 1);
	assert_int_equal(lab->client.connected, 0);
	lab_free(lab);
}

static void
test_tcp_refuse_fault_answers_rst_even_when_listening(void **state)
{
	/* net.h: 'refuse' answers a SYN with RST, as a closed port does. */
	struct fault refuse = {.from = 0,
	    .to = SIM_NEVER,
	    .kind = FAULT_REFUSE,
	    .svc = FAULT_SVC_SMTP,
	    .family = 0,
	    .index = 1};
	struct lab *lab = lab_new(1);
	struct seg syn, rst;

	(void)state;
	assert_int_equal(tcp_listen(lab->srv, 25, accept_cb, lab), 0);
	net_host_set_faults(lab->srv, &refuse, 1);
	lab_connect(lab, 25);
	sim_run(&lab->sim, SIM_S(300));
	assert_int_equal(lab->nf, 2);
	seg_decode(&lab->f[0], &syn);
	seg_decode(&lab->f[1], &rst);
	assert_int_equal(rst.flags, F_RST | F_ACK);
	assert_int_equal(rst.seq, 0);
	assert_int_equal(rst.ack, syn.seq + 1);
	assert_int_equal(lab->accepts, 0);
	assert_int_equal(lab->client.why, TCP_END_REFUSED);
	lab_free(lab);
}

static void
test_tcp_syn_to_down_host_backs_off_then_times_out_at_127s(void **state)
{
	/* Linux tcp_syn_retries = 6, initial RTO 1 s doubling (RFC 6298
	 * §2.1, §5.5): SYNs at 0, 1, 3, 7, 15, 31, 63 s, ETIMEDOUT at 127 s.
	 * A retransmission repeats the segment as first sent. */
	static const sim_time_t when[7] = {
	    0, SIM_S(1), SIM_S(3), SIM_S(7), SIM_S(15), SIM_S(31), SIM_S(63)};
	struct fault down = {.from = 0,
	    .to = SIM_NEVER,
	    .kind = FAULT_DOWN,
	    .svc = FAULT_SVC_ANY,
	    .family = 0,
	    .index = 1};
	struct lab *lab = lab_new(1);
	struct seg syn;
	size_t i;

	(void)state;
	assert_int_equal(tcp_listen(lab->srv, 25, accept_cb, lab), 0);
	net_host_set_faults(lab->srv, &down, 1);
	lab_connect(lab, 25);
	sim_run(&lab->sim, SIM_S(1000));
	assert_int_equal(lab->nf, 7);
	for (i = 0; i < 7; i++) {
		assert_int_equal(lab->f[i].t, when[i]);
		assert_int_equal(lab->f[i].len, lab->f[0].len);
		assert_memory_equal(lab->f[i].b, lab->f[0].b, lab->f[0].len);
		assert_true(lab->f[i].noted);
		assert_non_null(strstr(lab->f[i].note, "dropped"));
	}
	seg_decode(&lab->f[0], &syn);
	assert_int_equal(syn.flags, F_SYN);
	assert_int_equal(lab->client.closed, 1);
	assert_int_equal(lab->client.why, TCP_END_TIMEOUT);
	assert_int_equal(lab->client.closed_at, SIM_S(127));
	assert_int_equal(lab->client.syns_at_close, 7);
	assert_int_equal(lab->accepts, 0);
	lab_free(lab);
}

/* Connects to a host that is down with the client's stack set to
 * 'linear' tcp_syn_linear_timeouts: the SYNs must leave at when[0..n-1],
 * each the same bytes, and connect() must fail with ETIMEDOUT at 'fail'. */
static void
syn_schedule(int linear, const sim_time_t *when, size_t n, sim_time_t fail)
{
	struct fault down = {.from = 0,
	    .to = SIM_NEVER,
	    .kind = FAULT_DOWN,
	    .svc = FAULT_SVC_ANY,
	    .family = 0,
	    .index = 0};
	struct lab *lab = lab_new(11);
	struct tcp_params p;
	size_t i;

	tcp_params_default(&p);
	assert_int_equal(p.syn_retries, 6);
	p.syn_linear_timeouts = linear;
	tcp_stack_init(lab->cli, &p);
	net_host_set_faults(lab->srv, &down, 1);
	lab_connect(lab, 25);
	sim_run(&lab->sim, SIM_S(1000));
	assert_int_equal(lab->nf, n);
	for (i = 0; i < n; i++) {
		char want[64];

		assert_int_equal(lab->f[i].t, when[i]);
		assert_int_equal(lab->f[i].len, lab->f[0].len);
		assert_memory_equal(lab->f[i].b, lab->f[0].b, lab->f[0].len);
		assert_non_null(strstr(lab->f[i].note, "dropped"));
		/* tcp.c notes each retransmission with its number. */
		snprintf(want, sizeof(want), "SYN retransmission %zu ", i);
		if (i > 0)
			assert_non_null(strstr(lab->f[i].note, want));
		else
			assert_null(strstr(lab->f[i].note, "retransmission"));
	}
	assert_int_equal(lab->client.closed, 1);
	assert_int_equal(lab->client.why, TCP_END_TIMEOUT);
	assert_int_equal(lab->client.closed_at, fail);
	assert_int_equal(lab->client.syns_at_close, (int)n);
	lab_free(lab);
}

static void
test_tcp_syn_linear_timeouts_4_retransmits_at_1_2_3_4_5_7_fails_131s(
    void **state)
{
	/* Linux >= 6.5, Documentation/networking/ip-sysctl.rst,
	 * tcp_syn_linear_timeouts (default 4): "With an initial RTO of 1 and
	 * tcp_syn_linear_timeouts = 4 we would expect SYN RTOs to be: 1, 1,
	 * 1, 1, 1, 2, 4, ..."; tcp_write_timeout() allows tcp_syn_retries +
	 * tcp_syn_linear_timeouts = 10 retransmissions in SYN_SENT.  So the
	 * SYN goes at 0 s, retransmissions at 1, 2, 3, 4, 5, 7, 11, 19, 35,
	 * 67 s, and after the last RTO (64 s) connect() fails at 131 s. */
	static const sim_time_t when[11] = {0, SIM_S(1), SIM_S(2), SIM_S(3),
	    SIM_S(4), SIM_S(5), SIM_S(7), SIM_S(11), SIM_S(19), SIM_S(35),
	    SIM_S(67)};

	(void)state;
	syn_schedule(4, when, 11, SIM_S(131));
}

static void
test_tcp_syn_linear_timeouts_0_is_classic_1_3_7_15_31_63_fails_127s(
    void **state)
{
	/* tcp_syn_linear_timeouts = 0 (Linux before 6.5): RFC 6298 §5.5
	 * doubling from the first retransmission, tcp_syn_retries = 6:
	 * retransmissions at 1, 3, 7, 15, 31, 63 s, ETIMEDOUT at 127 s. */
	static const sim_time_t when[7] = {
	    0, SIM_S(1), SIM_S(3), SIM_S(7), SIM_S(15), SIM_S(31), SIM_S(63)};

	(void)state;
	syn_schedule(0, when, 7, SIM_S(127));
}

static void
test_tcp_abort_while_connecting_sends_nothing_more(void **state)
{
	/* tcp.h: tcp_abort ends a connecting socket silently, as close()
	 * on a connecting Linux socket: no RST, no more SYNs, no callback. */
	struct fault down = {.from = 0,
	    .to = SIM_NEVER,
	    .kind = FAULT_DOWN,
	    .svc = FAULT_SVC_ANY,
	    .family = 0,
	    .index = 1};
	struct lab *lab = lab_new(1);
	struct tcp_conn *c;

	(void)state;
	net_host_set_faults(lab->srv, &down, 1);
	c = lab_connect(lab, 25);
	sim_run(&lab->sim, SIM_S(2));
	assert_int_equal(lab->nf, 2); /* SYN at 0 s and 1 s */
	assert_int_equal(tcp_conn_syns(c), 2);
	tcp_abort(c);
	sim_run(&lab->sim, SIM_S(1000));
	assert_int_equal(lab->nf, 2);
	assert_int_equal(lab->client.closed, 0);
	lab_free(lab);
}

static void
test_tcp_synack_after_abort_gets_rst_with_seq_of_its_ack(void **state)
{
	/* Aborted before the SYN-ACK came back: the SYN-ACK finds no
	 * connection, so RFC 9293 §3.10.7.1 (ACK set): <SEQ=SEG.ACK>
	 * <CTL=RST>.  That RST is in the server's window (SEQ = RCV.NXT),
	 * so the half-open connection there ends "reset" and stops
	 * retransmitting its SYN-ACK. */
	struct lab *lab = lab_new(1);
	struct tcp_conn *c;
	struct seg syn, synack, rst;

	(void)state;
	assert_int_equal(tcp_listen(lab->srv, 25, accept_cb, lab), 0);
	c = lab_connect(lab, 25);
	sim_run(&lab->sim, LATENCY / 2);
	tcp_abort(c);
	sim_run(&lab->sim, SIM_S(300));
	assert_int_equal(lab->nf, 3);
	seg_decode(&lab->f[0], &syn);
	seg_decode(&lab->f[1], &synack);
	seg_decode(&lab->f[2], &rst);
	assert_int_equal(synack.flags, F_SYN | F_ACK);
	assert_int_equal(lab->f[2].t, 2 * LATENCY);
	assert_int_equal(rst.sport, syn.sport);
	assert_int_equal(rst.flags, F_RST);
	assert_int_equal(rst.seq, synack.ack);
	assert_int_equal(rst.ack, 0);
	assert_int_equal(lab->client.closed, 0);
	assert_int_equal(lab->accepts, 1);
	assert_int_equal(lab->server.connected, 0);
	assert_int_equal(lab->server.closed, 1);
	assert_int_equal(lab->server.why, TCP_END_RESET);
	assert_int_equal(lab->server.closed_at, 3 * LATENCY);
	lab_free(lab);
}

static void
test_tcp_abort_established_sends_rst_at_snd_nxt(void **state)
{
	/* RFC 9293 §3.10.5 (ABORT, ESTABLISHED): send <SEQ=SND.NXT>
	 * <CTL=RST>; the peer's connection ends "reset" (§3.10.7.4). */
	struct lab *lab = lab_new(1);
	struct tcp_conn *c;
	struct seg syn, synack, rst;

	(void)state;
	assert_int_equal(tcp_listen(lab->srv, 25, accept_cb, lab), 0);
	c = lab_connect(lab, 25);
	sim_run(&lab->sim, SIM_MS(1));
	assert_int_equal(lab->nf, 3);
	tcp_abort(c);
	assert_int_equal(lab->nf, 4);
	sim_run(&lab->sim, SIM_S(300));
	assert_int_equal(lab->nf, 4);
	seg_decode(&lab->f[0], &syn);
	seg_decode(&lab->f[1], &synack);
	seg_decode(&lab->f[3], &rst);
	assert_true(rst.flags & F_RST);
	assert_int_equal(rst.flags & (F_SYN | F_FIN), 0);
	assert_int_equal(rst.seq, syn.seq + 1);
	assert_int_equal(rst.sport, syn.sport);
	assert_int_equal(lab->client.closed, 0); /* no callback */
	assert_int_equal(lab->server.closed, 1);
	assert_int_equal(lab->server.why, TCP_END_RESET);
	assert_int_equal(lab->server.closed_at, SIM_MS(1) + LATENCY);
	lab_free(lab);
}

/* --- UDP and ICMP
 * ---------------------------------------------------------------- */

static void
udp_recv(void *ctx, struct net_host *h, const struct udp_from *from,
    const uint8_t *data, size_t len)
{
	struct lab *lab = ctx;

	(void)h;
	lab->udp_recv++;
	lab->from = *from;
	assert_true(len <= sizeof(lab->udp_data));
	memcpy(lab->udp_data, data, len);
	lab->udp_len = len;
}

static void
udp_err(void *ctx, struct net_host *h, uint8_t type, uint8_t code,
    const struct net_addr *to, uint16_t dport)
{
	struct lab *lab = ctx;

	(void)h;
	lab->udp_err++;
	lab->err_type = type;
	lab->err_code = code;
	lab->err_to = *to;
	lab->err_dport = dport;
}

static const uint8_t query[20] = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 't', 'e', 's', 't', 0x00, 0x00, 0x0f};

static void
test_udp_datagram_to_bound_port_is_delivered_with_valid_checksum(void **state)
{
	struct lab *lab = lab_new(1);
	uint16_t sport;
	const uint8_t *ip, *u;

	(void)state;
	assert_int_equal(udp_bind(lab->srv, 53, udp_recv, NULL, lab), 53);
	sport = udp_bind(lab->cli, 0, udp_recv, udp_err, lab);
	assert_in_range(sport, 32768, 60999);
	udp_send(lab->cli, &lab->ca, sport, &lab->sa, 53, query, sizeof(query));
	sim_run(&lab->sim, SIM_S(1));
	assert_int_equal(lab->nf, 1);
	ip = lab->f[0].b + 14;
	u = ip + 20;
	assert_int_equal(lab->f[0].len, 14 + 20 + 8 + 20);
	assert_int_equal(ip[9], 17);
	assert_int_equal(fold(sum16(ip, 20)), 0);
	assert_int_equal(be16(u), sport);
	assert_int_equal(be16(u + 2), 53);
	assert_int_equal(be16(u + 4), 28);
	/* RFC 768: checksum over the pseudo-header, never sent as 0. */
	assert_int_not_equal(be16(u + 6), 0);
	assert_int_equal(l4_verify(ip + 12, ip + 16, 4, 17, u, 28), 0);
	assert_int_equal(lab->udp_recv, 1);
	assert_int_equal(lab->from.sport, sport);
	assert_int_equal(lab->from.dport, 53);
	assert_true(net_addr_eq(&lab->from.src, &lab->ca));
	assert_int_equal(lab->udp_len, sizeof(query));
	assert_memory_equal(lab->udp_data, query, sizeof(query));
	lab_free(lab);
}

static void
test_udp_to_unbound_port_gets_icmp_3_3_quoting_header_and_8_bytes(void **state)
{
	/* RFC 792 "Destination Unreachable Message": type 3, code 3 (port
	 * unreachable), 4 unused bytes, then "Internet Header + 64 bits of
	 * Original Data Datagram"; the ICMP checksum covers the ICMP
	 * message (no pseudo-header for ICMPv4). */
	struct lab *lab = lab_new(1);
	const struct frame *u, *f;
	const uint8_t *ip, *icmp;
	uint16_t sport;

	(void)state;
	sport = udp_bind(lab->cli, 0, udp_recv, udp_err, lab);
	assert_int_not_equal(sport, 0);
	udp_send(lab->cli, &lab->ca, sport, &lab->sa, 53, query, sizeof(query));
	sim_run(&lab->sim, SIM_S(1));
	assert_int_equal(lab->nf, 2);
	u = &lab->f[0];
	f = &lab->f[1];
	assert_int_equal(f->t, LATENCY);
	assert_memory_equal(f->b, lab->cli->ifs[0].mac, 6);
	assert_memory_equal(f->b + 6, lab->srv->ifs[0].mac, 6);
	assert_int_equal(be16(f->b + 12), 0x0800);
	ip = f->b + 14;
	icmp = ip + 20;
	assert_int_equal(ip[0], 0x45);
	assert_int_equal(be16(ip + 2), 20 + 8 + 20 + 8);
	assert_int_equal(ip[8], 64);
	assert_int_equal(ip[9], 1);
	assert_int_equal(fold(sum16(ip, 20)), 0);
	assert_memory_equal(ip + 12, lab->sa.b, 4);
	assert_memory_equal(ip + 16, lab->ca.b, 4);
	assert_int_equal(f->len, 14 + 20 + 8 + 28);
	assert_int_equal(icmp[0], 3);
	assert_int_equal(icmp[1], 3);
	assert_int_equal(fold(sum16(icmp, 8 + 28)), 0);
	assert_int_equal(be32(icmp + 4), 0);
	/* The quote: the datagram's IP header and UDP header, verbatim. */
	assert_memory_equal(icmp + 8, u->b + 14, 28);
	/* The sender's socket hears of it (a connected UDP socket gets
	 * ECONNREFUSED on Linux). */
	assert_int_equal(lab->udp_err, 1);
	assert_int_equal(lab->err_type, 3);
	assert_int_equal(lab->err_code, 3);
	assert_int_equal(lab->err_dport, 53);
	assert_true(net_addr_eq(&lab->err_to, &lab->sa));
	assert_int_equal(lab->udp_recv, 0);
	lab_free(lab);
}

static void
test_udp_ipv6_to_unbound_port_gets_icmpv6_1_4_quoting_all(void **state)
{
	/* RFC 4443 §3.1: type 1, code 4 (port unreachable), "as much of
	 * invoking packet as possible without the ICMPv6 packet exceeding
	 * the minimum IPv6 MTU"; checksum with the pseudo-header, next
	 * header 58 (§2.3). */
	struct lab *lab = lab_new(1);
	const struct frame *u, *f;
	const uint8_t *ip, *icmp;
	uint16_t sport;
	size_t qlen;

	(void)state;
	sport = udp_bind(lab->cli, 0, udp_recv, udp_err, lab);
	udp_send(
	    lab->cli, &lab->ca6, sport, &lab->sa6, 53, query, sizeof(query));
	sim_run(&lab->sim, SIM_S(1));
	assert_int_equal(lab->nf, 2);
	u = &lab->f[0];
	f = &lab->f[1];
	qlen = u->len - 14;
	assert_int_equal(qlen, 40 + 8 + 20);
	assert_int_equal(be16(f->b + 12), 0x86dd);
	ip = f->b + 14;
	icmp = ip + 40;
	assert_int_equal(ip[6], 58);
	assert_int_equal(ip[7], 64);
	assert_int_equal(be16(ip + 4), 8 + qlen);
	assert_memory_equal(ip + 8, lab->sa6.b, 16);
	assert_memory_equal(ip + 24, lab->ca6.b, 16);
	assert_int_equal(icmp[0], 1);
	assert_int_equal(icmp[1], 4);
	assert_int_equal(l4_verify(ip + 8, ip + 24, 16, 58, icmp, 8 + qlen), 0);
	assert_memory_equal(icmp + 8, u->b + 14, qlen);
	assert_int_equal(lab->udp_err, 1);
	assert_int_equal(lab->err_type, 1);
	assert_int_equal(lab->err_code, 4);
	lab_free(lab);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tcp_syn_frame_is_exact_bytes),
	    cmocka_unit_test(
	        test_tcp_handshake_synack_acks_isn_plus_one_then_ack),
	    cmocka_unit_test(
	        test_tcp_same_seed_gives_identical_frames_other_seed_other_isn),
	    cmocka_unit_test(test_tcp_ipv6_syn_announces_mss_1440),
	    cmocka_unit_test(
	        test_tcp_3000_bytes_split_at_mss_with_cumulative_acks),
	    cmocka_unit_test(
	        test_tcp_orderly_close_fin_each_way_final_ack_acks_fin),
	    cmocka_unit_test(
	        test_tcp_server_closing_first_is_acked_and_counted),
	    cmocka_unit_test(
	        test_tcp_data_retransmission_is_byte_identical_after_rto),
	    cmocka_unit_test(
	        test_tcp_syn_to_closed_port_gets_rst_ack_seq0_ack_isn1),
	    cmocka_unit_test(
	        test_tcp_refuse_fault_answers_rst_even_when_listening),
	    cmocka_unit_test(
	        test_tcp_syn_to_down_host_backs_off_then_times_out_at_127s),
	    cmocka_unit_test(
	        test_tcp_syn_linear_timeouts_4_retransmits_at_1_2_3_4_5_7_fails_131s),
	    cmocka_unit_test(
	        test_tcp_syn_linear_timeouts_0_is_classic_1_3_7_15_31_63_fails_127s),
	    cmocka_unit_test(
	        test_tcp_abort_while_connecting_sends_nothing_more),
	    cmocka_unit_test(
	        test_tcp_synack_after_abort_gets_rst_with_seq_of_its_ack),
	    cmocka_unit_test(test_tcp_abort_established_sends_rst_at_snd_nxt),
	    cmocka_unit_test(
	        test_udp_datagram_to_bound_port_is_delivered_with_valid_checksum),
	    cmocka_unit_test(
	        test_udp_to_unbound_port_gets_icmp_3_3_quoting_header_and_8_bytes),
	    cmocka_unit_test(
	        test_udp_ipv6_to_unbound_port_gets_icmpv6_1_4_quoting_all),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

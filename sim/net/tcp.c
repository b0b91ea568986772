/*
 * tcp.c - a small TCP (RFC 9293) whose segments Wireshark judges correct.
 *
 * What it models
 *  - Handshake: SYN with an MSS option (data offset 6), SYN-ACK with ours,
 *    final ACK.  The initial sequence number and the client's ephemeral
 *    port come from the host's seeded stream.
 *  - Data: segments of at most the peer's MSS, cumulative ACKs, a constant
 *    window, never more bytes in flight than the peer's window.  An ACK
 *    owed for received data rides on the next data segment when the
 *    application answers within the same event, otherwise it goes alone.
 *  - Close: FIN consumes one sequence number; FIN_WAIT_1/2, CLOSING,
 *    TIME_WAIT (60 s, Linux TCP_TIMEWAIT_LEN), CLOSE_WAIT, LAST_ACK.
 *  - Resets: a segment for no connection gets RST (RFC 9293 §3.10.7.1: for
 *    a SYN, <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>); an RST in answer to
 *    our SYN is "connection refused".
 *  - Timers: one retransmission timer per connection.  SYNs are resent
 *    after 1, 2, 4 ... s and the connect fails after 'syn_retries'
 *    retransmissions plus one more doubling (127 s with Linux's 6).  With
 *    'syn_linear_timeouts' L (Linux >= 6.5 uses 4), the first L + 1 waits
 *    stay at the initial RTO and L more retransmissions are allowed
 *    (1, 1, 1, 1, 1, 2, 4 ... s: 131 s).  Data uses the RFC 6298
 *    estimator with Linux's floor (RTO = SRTT + max(4 RTTVAR, 200 ms)) and
 *    exponential backoff; Karn's rule skips samples from retransmitted
 *    segments.
 *  - Congestion control: Reno (RFC 5681) with Linux's initial window of
 *    ten segments (RFC 6928): slow start, congestion avoidance, the
 *    window back to one segment after a timeout and halved on a fast
 *    retransmit.  Bytes in flight never exceed min(cwnd, peer's window).
 *  - Loss: a receiver delivers data in order, keeps segments that arrive
 *    beyond a hole, and answers them with duplicate ACKs.  The sender resends
 * the oldest segment on three duplicate ACKs (RFC 5681 §3.2 fast retransmit) or
 * on a timeout; after a timeout every unacknowledged segment counts as lost and
 * is resent as the congestion window reopens.
 *  - ICMP errors while connecting abort the connect at once, as Linux's
 *    tcp_v4_err() does for a socket in SYN_SENT.
 *
 * Invariants
 *  - snd_una <= snd_nxt (mod 2^32); every byte in [snd_una, snd_nxt) is in
 *    exactly one segment of the 'rtx' list, which holds the segments'
 *    bytes as first sent, so that a retransmission is byte-identical.
 *  - rcv_nxt is the next byte we expect; we acknowledge exactly that.
 *  - The application's callbacks run only from tcp_input() or a timer;
 *    anything the application does from inside them is queued and sent
 *    when the input has been processed ('busy').
 *  - A connection is freed through sim_reclaim(), never in a callback.
 */
#include "tcp.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/bytes.h"
#include "../core/dur.h"
#include "../core/err.h"
#include "../core/sim.h"
#include "cksum.h"

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10

#define STATE_MAP(XX)                                                          \
	XX(SYN_SENT)                                                           \
	XX(SYN_RCVD)                                                           \
	XX(ESTABLISHED)                                                        \
	XX(FIN_WAIT_1)                                                         \
	XX(FIN_WAIT_2)                                                         \
	XX(CLOSE_WAIT)                                                         \
	XX(CLOSING)                                                            \
	XX(LAST_ACK)                                                           \
	XX(TIME_WAIT)                                                          \
	XX(CLOSED)

enum tcp_state {
#define XX(s) ST_##s,
	STATE_MAP(XX)
#undef XX
};

#define SEG_MAX (60 + 1500)

struct tcp_seg {
	struct tcp_seg *next;   /* next unacknowledged segment / free link */
	uint32_t seq;           /* first sequence number */
	uint32_t end;           /* seq + payload + SYN + FIN */
	sim_time_t sent;        /* first transmission, for RTT samples */
	bool rexmit;            /* retransmitted at least once (Karn) */
	bool lost;              /* to resend after a timeout */
	size_t len;             /* bytes of header + payload */
	uint8_t bytes[SEG_MAX]; /* the segment as first sent */
};

struct tcp_ooo {
	struct tcp_ooo *next; /* next queued segment, by sequence */
	uint32_t seq;         /* its first byte */
	uint32_t len;         /* its length */
	uint8_t data[];       /* its bytes */
};

struct tcp_listener {
	struct tcp_listener *next; /* owned next listener */
	uint16_t port;             /* local port */
	tcp_accept_fn *accept;     /* new-connection callback */
	void *ctx;                 /* borrowed callback context */
};

struct tcp_conn {
	struct tcp_conn *hnext;         /* hash chain link */
	struct net_host *host;          /* borrowed owning host */
	enum tcp_state state;           /* RFC 9293 state */
	struct net_addr laddr, raddr;   /* local and remote addresses */
	uint16_t lport, rport;          /* local and remote ports */
	uint32_t iss, snd_una, snd_nxt; /* send sequence space */
	uint32_t irs, rcv_nxt;          /* receive sequence space */
	uint16_t peer_mss;              /* MSS announced by the peer */
	uint32_t peer_wnd;              /* window announced by the peer */
	uint8_t *sbuf;                  /* owned; bytes queued, not yet sent */
	size_t soff, slen, scap;        /* start, end and capacity of sbuf */
	bool fin_queued;                /* the application called close */
	bool fin_sent;                  /* our FIN is in [snd_una, snd_nxt) */
	bool ack_owed;                  /* received something to acknowledge */
	uint32_t ack_sent;              /* rcv_nxt when we last sent an ACK */
	int busy;                       /* inside tcp_input for this conn */
	bool dead;                      /* released; awaiting reclaim */
	struct tcp_seg *rtx, *rtx_tail; /* owned unacknowledged segments */
	struct ev_handle timer;         /* retransmission or TIME_WAIT */
	struct ev_handle flush;         /* end-of-instant output, see flush() */
	sim_time_t rto;                 /* current retransmission timeout */
	sim_time_t srtt, rttvar;        /* RFC 6298 estimator, 0 = none */
	int retries;                    /* consecutive retransmissions */
	int syns;                       /* SYNs sent (connecting side) */
	int dupacks;                    /* duplicate ACKs in a row */
	struct tcp_ooo *ooo;            /* owned out-of-order data, sorted */
	uint32_t cwnd;                  /* congestion window, bytes */
	uint32_t ssthresh;              /* slow-start threshold, bytes */
	char note[200];                 /* note for the next segment, or \"\" */
	const struct tcp_cb *cb; /* borrowed callbacks, NULL = detached */
	void *ctx;               /* borrowed callback context */
};

struct tcp_stack {
	struct tcp_params p;       /* knobs */
	struct tcp_listener *ls;   /* owned listeners */
	struct tcp_conn **tab;     /* owned hash table of connections */
	size_t nbuckets;           /* power of two */
	size_t nconns;             /* connections in the table */
	struct tcp_seg *free_segs; /* owned pool of segment buffers */
};

static const char *const end_names[] = {
#define XX(id, s) s,
    TCP_END_MAP(XX)
#undef XX
};

const char *
tcp_end_name(enum tcp_end e)
{
	return end_names[e];
}

void
tcp_params_default(struct tcp_params *p)
{
	/* Linux defaults: net.ipv4.tcp_syn_retries, tcp_synack_retries,
	 * TCP_TIMEOUT_INIT, TCP_RTO_MIN, TCP_RTO_MAX, tcp_retries2,
	 * TCP_TIMEWAIT_LEN (Documentation/networking/ip-sysctl.rst). */
	p->syn_retries = 6;
	p->syn_linear_timeouts = 0;
	p->synack_retries = 5;
	p->rto_initial = SIM_S(1);
	p->rto_min = SIM_MS(200);
	p->rto_max = SIM_S(120);
	p->retries2 = 15;
	p->mss = 1460;
	p->window = 64240;
	p->time_wait = SIM_S(60);
}

static inline bool
seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static inline bool
seq_le(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}

static inline struct sim *
conn_sim(const struct tcp_conn *c)
{
	return c->host->net->sim;
}

void
tcp_stack_init(struct net_host *h, const struct tcp_params *p)
{
	struct tcp_stack *st = h->tcp;

	if (st == NULL) {
		st = mx_xcalloc(1, sizeof(*st));
		st->nbuckets = 64;
		st->tab = mx_xcalloc(st->nbuckets, sizeof(*st->tab));
		h->tcp = st;
	}
	if (p != NULL)
		st->p = *p;
	else
		tcp_params_default(&st->p);
}

static void conn_free(void *p);

void
tcp_stack_fini(struct net_host *h)
{
	struct tcp_stack *st = h->tcp;
	struct tcp_listener *l;
	struct tcp_seg *s;
	size_t i;

	if (st == NULL)
		return;
	while ((l = st->ls) != NULL) {
		st->ls = l->next;
		free(l);
	}
	for (i = 0; i < st->nbuckets; i++) {
		struct tcp_conn *c;

		while ((c = st->tab[i]) != NULL) {
			st->tab[i] = c->hnext;
			c->hnext = NULL;
			c->host = h;
			conn_free(c);
		}
	}
	while ((s = st->free_segs) != NULL) {
		st->free_segs = s->next;
		free(s);
	}
	free(st->tab);
	free(st);
	h->tcp = NULL;
}

/* --- connection table -------------------------------------------------- */

static size_t
tuple_hash(const struct net_addr *raddr, uint16_t lport, uint16_t rport)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i, n = net_addr_len(raddr);

	for (i = 0; i < n; i++)
		h = (h ^ raddr->b[i]) * 0x100000001b3ULL;
	h = (h ^ lport) * 0x100000001b3ULL;
	h = (h ^ rport) * 0x100000001b3ULL;
	return (size_t)(h ^ (h >> 29));
}

static struct tcp_conn *
conn_find(struct tcp_stack *st, const struct net_addr *laddr, uint16_t lport,
    const struct net_addr *raddr, uint16_t rport)
{
	struct tcp_conn *c;

	c = st->tab[tuple_hash(raddr, lport, rport) & (st->nbuckets - 1)];
	for (; c != NULL; c = c->hnext)
		if (c->lport == lport && c->rport == rport && !c->dead &&
		    net_addr_eq(&c->raddr, raddr) &&
		    net_addr_eq(&c->laddr, laddr))
			return c;
	return NULL;
}

static void
table_grow(struct tcp_stack *st)
{
	size_t nb = st->nbuckets * 2, i;
	struct tcp_conn **tab = mx_xcalloc(nb, sizeof(*tab));

	for (i = 0; i < st->nbuckets; i++) {
		struct tcp_conn *c, *next;

		for (c = st->tab[i]; c != NULL; c = next) {
			size_t b = tuple_hash(&c->raddr, c->lport, c->rport) &
			           (nb - 1);

			next = c->hnext;
			c->hnext = tab[b];
			tab[b] = c;
		}
	}
	free(st->tab);
	st->tab = tab;
	st->nbuckets = nb;
}

static void
table_add(struct tcp_stack *st, struct tcp_conn *c)
{
	size_t b;

	if (st->nconns >= st->nbuckets * 2)
		table_grow(st);
	b = tuple_hash(&c->raddr, c->lport, c->rport) & (st->nbuckets - 1);
	c->hnext = st->tab[b];
	st->tab[b] = c;
	st->nconns++;
}

static void
table_del(struct tcp_stack *st, struct tcp_conn *c)
{
	size_t b =
	    tuple_hash(&c->raddr, c->lport, c->rport) & (st->nbuckets - 1);
	struct tcp_conn **pp;

	for (pp = &st->tab[b]; *pp != NULL; pp = &(*pp)->hnext)
		if (*pp == c) {
			*pp = c->hnext;
			c->hnext = NULL;
			st->nconns--;
			return;
		}
}

/* --- segments ---------------------------------------------------------- */

static struct tcp_seg *
seg_get(struct tcp_stack *st)
{
	struct tcp_seg *s = st->free_segs;

	if (s != NULL)
		st->free_segs = s->next;
	else
		s = mx_xmalloc(sizeof(*s));
	s->next = NULL;
	s->rexmit = false;
	s->lost = false;
	return s;
}

static void
seg_put(struct tcp_stack *st, struct tcp_seg *s)
{
	s->next = st->free_segs;
	st->free_segs = s;
}

/* Writes a TCP header and payload into 'out'; returns its length. */
static size_t
seg_build(const struct tcp_conn *c, uint8_t *out, uint32_t seq, uint32_t ack,
    uint8_t flags, uint16_t win, const uint8_t *data, size_t len, bool mss)
{
	size_t hl = mss ? 24 : 20;

	put_be16(out, c->lport);
	put_be16(out + 2, c->rport);
	put_be32(out + 4, seq);
	put_be32(out + 8, (flags & TH_ACK) ? ack : 0);
	out[12] = (uint8_t)((hl / 4) << 4);
	out[13] = flags;
	put_be16(out + 14, win);
	put_be16(out + 16, 0);
	put_be16(out + 18, 0);
	if (mss) {
		uint16_t m = c->host->tcp->p.mss;

		if (c->laddr.family == NET_AF_INET6 && m > 1440)
			m = 1440; /* 1500 - 40 - 20 */
		out[20] = 2;
		out[21] = 4;
		put_be16(out + 22, m);
	}
	if (len > 0)
		memcpy(out + hl, data, len);
	put_be16(out + 16,
	    cksum_l4(&c->laddr, &c->raddr, IPPROTO_TCP_, out, hl + len));
	return hl + len;
}

static void
raw_send(struct net_host *h, const struct net_addr *src,
    const struct net_addr *dst, const uint8_t *seg, size_t len,
    const char *note)
{
	struct net_pkt *p = net_pkt_get(h->net);

	memcpy(p->data, seg, len);
	p->len = len;
	if (note != NULL && note[0] != '\0')
		net_note_next(h, note);
	net_ip_send(h, src, dst, IPPROTO_TCP_, p);
}

/* Sends a segment of 'c', with the connection's pending note. */
static void
conn_send(struct tcp_conn *c, const uint8_t *seg, size_t len)
{
	raw_send(c->host, &c->laddr, &c->raddr, seg, len, c->note);
	c->note[0] = '\0';
}

void
tcp_conn_note(struct tcp_conn *c, const char *fmt, ...)
{
	va_list ap;

	if (c->host->net->ntaps == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(c->note, sizeof(c->note), fmt, ap);
	va_end(ap);
}

/* RFC 6298 §2.3 with Linux's floor: SRTT + max(4 RTTVAR, rto_min). */
static sim_time_t
rto_estimate(const struct tcp_conn *c)
{
	const struct tcp_params *p = &c->host->tcp->p;
	sim_time_t var = 4 * c->rttvar, rto;

	if (c->srtt == 0)
		return p->rto_initial;
	if (var < p->rto_min)
		var = p->rto_min;
	rto = c->srtt + var;
	return rto > p->rto_max ? p->rto_max : rto;
}

static void timer_fire(struct sim *sim, void *arg);

static void
timer_arm(struct tcp_conn *c, sim_time_t after)
{
	struct sim *sim = conn_sim(c);

	sim_cancel(sim, &c->timer);
	c->timer = sim_after(sim, after, timer_fire, c);
}

/* Sends a segment that occupies sequence space and keeps it for
 * retransmission. */
static void
send_tracked(struct tcp_conn *c, uint8_t flags, const uint8_t *data, size_t len,
    bool mss)
{
	struct tcp_stack *st = c->host->tcp;
	struct tcp_seg *s = seg_get(st);

	s->seq = c->snd_nxt;
	s->end = c->snd_nxt + (uint32_t)len + ((flags & TH_SYN) ? 1 : 0) +
	         ((flags & TH_FIN) ? 1 : 0);
	s->sent = sim_now(conn_sim(c));
	s->len = seg_build(c, s->bytes, c->snd_nxt, c->rcv_nxt, flags,
	    st->p.window, data, len, mss);
	c->snd_nxt = s->end;
	if (c->rtx_tail != NULL)
		c->rtx_tail->next = s;
	else
		c->rtx = s;
	c->rtx_tail = s;
	if (flags & TH_ACK) {
		c->ack_owed = false;
		c->ack_sent = c->rcv_nxt;
	}
	conn_send(c, s->bytes, s->len);
	if (!sim_pending(conn_sim(c), c->timer))
		timer_arm(c, c->rto);
}

static void
send_ack(struct tcp_conn *c)
{
	uint8_t seg[24];
	size_t n = seg_build(c, seg, c->snd_nxt, c->rcv_nxt, TH_ACK,
	    c->host->tcp->p.window, NULL, 0, false);

	c->ack_owed = false;
	c->ack_sent = c->rcv_nxt;
	conn_send(c, seg, n);
}

static void
send_rst(struct tcp_conn *c)
{
	uint8_t seg[24];
	size_t n = seg_build(
	    c, seg, c->snd_nxt, c->rcv_nxt, TH_RST | TH_ACK, 0, NULL, 0, false);

	conn_send(c, seg, n);
}

/* Sends what the window allows, a FIN when due, or an owed ACK. */
/* Resends segment 's' as it was first sent. */
static void
resend(struct tcp_conn *c, struct tcp_seg *s)
{
	s->rexmit = true;
	s->lost = false;
	conn_send(c, s->bytes, s->len);
}

/* Bytes sent and not yet acknowledged, counting segments presumed lost
 * as gone (they no longer occupy the network). */
static uint32_t
flight(const struct tcp_conn *c)
{
	const struct tcp_seg *s;
	uint32_t n = 0;

	for (s = c->rtx; s != NULL; s = s->next)
		if (!s->lost)
			n += s->end - s->seq;
	return n;
}

/* Sends what the windows allow: first the segments presumed lost, in
 * order, then new data, then a FIN when due, and an owed ACK if nothing
 * carried it.  The limit is min(cwnd, the peer's window) (RFC 5681 §2). */
static void
output(struct tcp_conn *c)
{
	bool can_data = c->state == ST_ESTABLISHED || c->state == ST_CLOSE_WAIT;
	struct tcp_seg *s;
	uint32_t wnd = c->cwnd < c->peer_wnd ? c->cwnd : c->peer_wnd;
	uint32_t infl;

	if (c->busy > 0 || c->dead)
		return;
	infl = flight(c);
	for (s = c->rtx; s != NULL && infl < wnd; s = s->next)
		if (s->lost) {
			tcp_conn_note(c, "resent: the segment was presumed "
			                 "lost after a timeout");
			resend(c, s);
			infl += s->end - s->seq;
		}
	while (can_data && c->slen > c->soff && infl < wnd) {
		size_t room = wnd - infl, n;
		uint8_t flags = TH_ACK;

		n = c->slen - c->soff;
		if (n > c->peer_mss)
			n = c->peer_mss;
		/* Linux counts the congestion window in segments: a window
		 * that leaves room for less than a full segment waits, rather
		 * than send a runt in the middle of the data (RFC 9293
		 * §3.8.6.2.1 avoids the same silly window). */
		if (n > room)
			break;
		/* The FIN goes in a segment of its own below: Linux sends
		 * data as soon as it is written, so a close() right after a
		 * write finds the data already gone (tcp_send_fin() only
		 * piggybacks on data still queued). */
		if (c->soff + n == c->slen)
			flags |= TH_PSH;
		send_tracked(c, flags, c->sbuf + c->soff, n, false);
		infl += (uint32_t)n;
		c->soff += n;
		if (c->soff == c->slen)
			c->soff = c->slen = 0;
	}
	if (c->fin_queued && !c->fin_sent && c->slen == c->soff &&
	    (c->state == ST_ESTABLISHED || c->state == ST_CLOSE_WAIT)) {
		c->fin_sent = true;
		c->state =
		    c->state == ST_ESTABLISHED ? ST_FIN_WAIT_1 : ST_LAST_ACK;
		send_tracked(c, TH_FIN | TH_ACK, NULL, 0, false);
	}
	if (c->ack_owed)
		send_ack(c);
}

/* --- lifecycle ----------------------------------------------------------- */

static void
conn_free(void *p)
{
	struct tcp_conn *c = p;
	struct tcp_stack *st = c->host->tcp;
	struct tcp_seg *s;

	while ((s = c->rtx) != NULL) {
		c->rtx = s->next;
		if (st != NULL)
			seg_put(st, s);
		else
			free(s);
	}
	while (c->ooo != NULL) {
		struct tcp_ooo *o = c->ooo;

		c->ooo = o->next;
		free(o);
	}
	free(c->sbuf);
	free(c);
}

/* Takes the connection out of service; it is freed after this event. */
static void
conn_release(struct tcp_conn *c)
{
	if (c->dead)
		return;
	c->dead = true;
	c->state = ST_CLOSED;
	sim_cancel(conn_sim(c), &c->timer);
	sim_cancel(conn_sim(c), &c->flush);
	table_del(c->host->tcp, c);
	sim_reclaim(conn_sim(c), conn_free, c);
}

/* Tells the application the connection is over and detaches it. */
static void
conn_end(struct tcp_conn *c, enum tcp_end why, int code)
{
	const struct tcp_cb *cb = c->cb;
	void *ctx = c->ctx;

	c->cb = NULL;
	c->ctx = NULL;
	if (cb != NULL && cb->closed != NULL)
		cb->closed(ctx, c, why, code);
}

static struct tcp_conn *
conn_new(struct net_host *h, const struct net_addr *laddr, uint16_t lport,
    const struct net_addr *raddr, uint16_t rport)
{
	struct tcp_stack *st = h->tcp;
	struct tcp_conn *c = mx_xcalloc(1, sizeof(*c));

	c->host = h;
	c->laddr = *laddr;
	c->raddr = *raddr;
	c->lport = lport;
	c->rport = rport;
	c->iss = (uint32_t)rng_next(&h->rng);
	c->snd_una = c->snd_nxt = c->iss;
	c->peer_mss = 536; /* RFC 9293 §3.7.1 default until told */
	c->cwnd = 10u * c->peer_mss;
	c->ssthresh = UINT32_MAX;
	c->peer_wnd = 65535;
	c->rto = st->p.rto_initial;
	table_add(st, c);
	return c;
}

static void
enter_time_wait(struct tcp_conn *c)
{
	c->state = ST_TIME_WAIT;
	timer_arm(c, c->host->tcp->p.time_wait);
	conn_end(c, TCP_END_CLOSED, 0);
}

/* --- API ---------------------------------------------------------------- */

int
tcp_listen(struct net_host *h, uint16_t port, tcp_accept_fn *accept, void *ctx)
{
	struct tcp_listener *l;

	for (l = h->tcp->ls; l != NULL; l = l->next)
		if (l->port == port)
			return MX_EEXIST;
	l = mx_xcalloc(1, sizeof(*l));
	l->port = port;
	l->accept = accept;
	l->ctx = ctx;
	l->next = h->tcp->ls;
	h->tcp->ls = l;
	return 0;
}

struct tcp_conn *
tcp_connect(struct net_host *h, const struct net_addr *dst, uint16_t dport,
    const struct tcp_cb *cb, void *ctx)
{
	const struct net_addr *src = net_host_addr_of(h, dst->family);
	struct tcp_conn *c;
	uint16_t port;
	int tries;

	if (src == NULL)
		return NULL;
	for (tries = 0;; tries++) {
		port = net_host_port(h);
		if (conn_find(h->tcp, src, port, dst, dport) == NULL ||
		    tries > 28232)
			break;
	}
	c = conn_new(h, src, port, dst, dport);
	c->state = ST_SYN_SENT;
	c->cb = cb;
	c->ctx = ctx;
	/* The SYN leaves now; its answer can only arrive in a later event,
	 * so no callback runs before tcp_connect() has returned. */
	c->syns = 1;
	send_tracked(c, TH_SYN, NULL, 0, true);
	return c;
}

void
tcp_send(struct tcp_conn *c, const void *p, size_t n)
{
	if (c->dead || c->fin_queued || n == 0)
		return;
	if (c->slen + n > c->scap) {
		/* Compact, then grow. */
		if (c->soff > 0) {
			memmove(c->sbuf, c->sbuf + c->soff, c->slen - c->soff);
			c->slen -= c->soff;
			c->soff = 0;
		}
		if (c->slen + n > c->scap) {
			size_t cap = c->scap ? c->scap : 1024;

			while (cap < c->slen + n)
				cap *= 2;
			c->sbuf = mx_xrealloc(c->sbuf, cap);
			c->scap = cap;
		}
	}
	memcpy(c->sbuf + c->slen, p, n);
	c->slen += n;
	output(c);
}

void
tcp_close(struct tcp_conn *c)
{
	if (c->dead || c->fin_queued)
		return;
	if (c->state == ST_SYN_SENT) {
		tcp_abort(c);
		return;
	}
	c->fin_queued = true;
	output(c);
}

void
tcp_detach(struct tcp_conn *c)
{
	c->cb = NULL;
	c->ctx = NULL;
}

void
tcp_abort(struct tcp_conn *c)
{
	if (c->dead)
		return;
	c->cb = NULL;
	c->ctx = NULL;
	if (c->state != ST_SYN_SENT && c->state != ST_TIME_WAIT &&
	    c->state != ST_CLOSED)
		send_rst(c);
	conn_release(c);
}

uint16_t
tcp_conn_lport(const struct tcp_conn *c)
{
	return c->lport;
}

uint16_t
tcp_conn_rport(const struct tcp_conn *c)
{
	return c->rport;
}

const struct net_addr *
tcp_conn_raddr(const struct tcp_conn *c)
{
	return &c->raddr;
}

const struct net_addr *
tcp_conn_laddr(const struct tcp_conn *c)
{
	return &c->laddr;
}

struct net_host *
tcp_conn_host(const struct tcp_conn *c)
{
	return c->host;
}

int
tcp_conn_syns(const struct tcp_conn *c)
{
	return c->syns;
}

/* --- timers --------------------------------------------------------------- */

static void
timer_fire(struct sim *sim, void *arg)
{
	struct tcp_conn *c = arg;
	struct tcp_stack *st = c->host->tcp;
	struct tcp_seg *s = c->rtx, *x;
	int limit, linear = 0;
	char d[32];

	(void)sim;
	c->timer.id = 0;
	if (c->dead)
		return;
	if (c->state == ST_TIME_WAIT) {
		conn_release(c);
		return;
	}
	if (s == NULL)
		return;
	if (c->state == ST_SYN_SENT)
		linear = st->p.syn_linear_timeouts;
	limit = c->state == ST_SYN_SENT   ? st->p.syn_retries + linear
	        : c->state == ST_SYN_RCVD ? st->p.synack_retries
	                                  : st->p.retries2;
	if (c->retries >= limit) {
		/* Exhausted: a connecting socket reports ETIMEDOUT; an
		 * established one is reset. */
		if (c->state != ST_SYN_SENT && c->state != ST_SYN_RCVD)
			send_rst(c);
		conn_end(c, TCP_END_TIMEOUT, 0);
		conn_release(c);
		return;
	}
	c->retries++;
	if (c->state == ST_SYN_SENT) {
		c->syns++;
		tcp_conn_note(c, "SYN retransmission %d (no answer for %s)",
		    c->retries, dur_format(c->rto, d, sizeof(d)));
	} else
		tcp_conn_note(c, "retransmission after a timeout of %s",
		    dur_format(c->rto, d, sizeof(d)));
	/* Everything unacknowledged is presumed lost (RFC 5681 §3.1: the
	 * window falls to one segment); the rest follows as ACKs come. */
	for (x = s->next; x != NULL; x = x->next)
		x->lost = true;
	c->dupacks = 0;
	/* RFC 5681 §3.1: ssthresh = max(FlightSize / 2, 2 SMSS), and the
	 * window restarts at one segment. */
	c->ssthresh = (c->snd_nxt - c->snd_una) / 2;
	if (c->ssthresh < 2u * c->peer_mss)
		c->ssthresh = 2u * c->peer_mss;
	c->cwnd = c->peer_mss;
	resend(c, s);
	/* Linux tcp_retransmit_timer(): no backoff during the first
	 * 'syn_linear_timeouts' SYN retransmissions. */
	if (c->retries > linear)
		c->rto *= 2;
	if (c->rto > st->p.rto_max)
		c->rto = st->p.rto_max;
	timer_arm(c, c->rto);
}

/* --- input ------------------------------------------------------------------
 */

struct seg_in {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	uint16_t mss; /* 0 = no option */
	const uint8_t *data;
	size_t len;
};

static bool
parse_seg(const struct net_rx *rx, struct seg_in *s)
{
	const uint8_t *t = rx->l4;
	size_t hl, i;

	if (rx->l4len < 20)
		return false;
	hl = (size_t)(t[12] >> 4) * 4;
	if (hl < 20 || hl > rx->l4len)
		return false;
	if (cksum_l4(&rx->src, &rx->dst, IPPROTO_TCP_, t, rx->l4len) != 0)
		return false;
	s->sport = get_be16(t);
	s->dport = get_be16(t + 2);
	s->seq = get_be32(t + 4);
	s->ack = get_be32(t + 8);
	s->flags = t[13];
	s->win = get_be16(t + 14);
	s->mss = 0;
	for (i = 20; i < hl;) {
		uint8_t kind = t[i];

		if (kind == 0)
			break;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= hl || t[i + 1] < 2 || i + t[i + 1] > hl)
			return false;
		if (kind == 2 && t[i + 1] == 4)
			s->mss = get_be16(t + i + 2);
		i += t[i + 1];
	}
	s->data = t + hl;
	s->len = rx->l4len - hl;
	return true;
}

void
tcp_reject(const struct net_rx *rx)
{
	struct seg_in s;
	struct tcp_conn tmp;
	uint8_t seg[24];
	size_t n;
	uint32_t seq, ack;
	uint8_t flags;

	if (!parse_seg(rx, &s) || (s.flags & TH_RST))
		return;
	memset(&tmp, 0, sizeof(tmp));
	tmp.host = rx->host;
	tmp.laddr = rx->dst;
	tmp.raddr = rx->src;
	tmp.lport = s.dport;
	tmp.rport = s.sport;
	/* RFC 9293 §3.10.7.1: if ACK is set, <SEQ=SEG.ACK><CTL=RST>;
	 * otherwise <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. */
	if (s.flags & TH_ACK) {
		seq = s.ack;
		ack = 0;
		flags = TH_RST;
	} else {
		seq = 0;
		ack = s.seq + (uint32_t)s.len + ((s.flags & TH_SYN) ? 1 : 0) +
		      ((s.flags & TH_FIN) ? 1 : 0);
		flags = TH_RST | TH_ACK;
	}
	n = seg_build(&tmp, seg, seq, ack, flags, 0, NULL, 0, false);
	raw_send(rx->host, &rx->dst, &rx->src, seg, n, NULL);
}

static struct tcp_listener *
listener_find(struct tcp_stack *st, uint16_t port)
{
	struct tcp_listener *l;

	for (l = st->ls; l != NULL; l = l->next)
		if (l->port == port)
			return l;
	return NULL;
}

static void
rtt_sample(struct tcp_conn *c, sim_time_t r)
{
	struct tcp_params *p = &c->host->tcp->p;
	sim_time_t var;

	if (c->srtt == 0) {
		c->srtt = r;
		c->rttvar = r / 2;
	} else {
		sim_time_t d = c->srtt > r ? c->srtt - r : r - c->srtt;

		c->rttvar = (3 * c->rttvar + d) / 4;
		c->srtt = (7 * c->srtt + r) / 8;
	}
	var = 4 * c->rttvar;
	if (var < p->rto_min)
		var = p->rto_min;
	c->rto = c->srtt + var;
	if (c->rto > p->rto_max)
		c->rto = p->rto_max;
}

/* Processes an acknowledgement of our data; returns true when our FIN is
 * now acknowledged. */
static bool
process_ack(struct tcp_conn *c, uint32_t ack)
{
	struct tcp_stack *st = c->host->tcp;
	struct tcp_seg *s;
	bool progress = false;

	if (!seq_lt(c->snd_una, ack) || seq_lt(c->snd_nxt, ack))
		return c->fin_sent && c->snd_una == c->snd_nxt;
	c->snd_una = ack;
	while ((s = c->rtx) != NULL && seq_le(s->end, ack)) {
		if (!s->rexmit)
			rtt_sample(c, sim_now(conn_sim(c)) - s->sent);
		c->rtx = s->next;
		if (c->rtx == NULL)
			c->rtx_tail = NULL;
		seg_put(st, s);
		progress = true;
	}
	if (progress) {
		c->retries = 0;
		c->dupacks = 0;
		c->rto = rto_estimate(c);
		/* RFC 5681 §3.1: slow start below ssthresh (one segment per
		 * ACK), then about one segment per round trip. */
		if (c->cwnd < c->ssthresh)
			c->cwnd += c->peer_mss;
		else
			c->cwnd += (uint32_t)((uint64_t)c->peer_mss *
			                      c->peer_mss / c->cwnd) +
			           1;
	}
	if (c->rtx != NULL)
		timer_arm(c, c->rto);
	else
		sim_cancel(conn_sim(c), &c->timer);
	return c->fin_sent && c->snd_una == c->snd_nxt;
}

static void
input_listen(const struct net_rx *rx, const struct seg_in *s)
{
	struct tcp_stack *st = rx->host->tcp;
	struct tcp_listener *l = listener_find(st, s->dport);
	struct tcp_conn *c;
	const struct tcp_cb *cb = NULL;
	void *cbctx = NULL;

	if (l == NULL || (s->flags & (TH_SYN | TH_ACK | TH_RST)) != TH_SYN) {
		if (!(s->flags & TH_RST))
			tcp_reject(rx);
		return;
	}
	c = conn_new(rx->host, &rx->dst, s->dport, &rx->src, s->sport);
	c->state = ST_SYN_RCVD;
	c->irs = s->seq;
	c->rcv_nxt = s->seq + 1;
	c->peer_mss = s->mss ? s->mss : 536;
	/* RFC 6928: an initial window of ten segments, as Linux. */
	c->cwnd = 10u * c->peer_mss;
	c->peer_wnd = s->win;
	if (!l->accept(l->ctx, c, &cb, &cbctx)) {
		tcp_reject(rx);
		conn_release(c);
		return;
	}
	c->cb = cb;
	c->ctx = cbctx;
	send_tracked(c, TH_SYN | TH_ACK, NULL, 0, true);
}

static void
flush(struct sim *sim, void *arg)
{
	struct tcp_conn *c = arg;

	(void)sim;
	c->flush.id = 0;
	if (!c->dead)
		output(c);
}

/*
 * What a segment makes us send (an ACK, the application's answer, a FIN)
 * leaves at the end of the current instant, after every other segment
 * arriving at the same instant has been processed: segments that arrive
 * together (a reply and the FIN behind it) are all in the kernel before
 * the application reacts, so our next segment acknowledges all of them.
 */
static void
schedule_flush(struct tcp_conn *c)
{
	if (!sim_pending(conn_sim(c), c->flush))
		c->flush = sim_after(conn_sim(c), 0, flush, c);
}

/* Keeps an out-of-order segment (as Linux's out-of-order queue does) so
 * that, once the hole is filled, the whole run is acknowledged at once. */
static void
ooo_keep(struct tcp_conn *c, uint32_t seq, const uint8_t *d, size_t len)
{
	struct tcp_ooo **pp, *o;

	if (len == 0 || seq - c->rcv_nxt > c->host->tcp->p.window)
		return;
	for (pp = &c->ooo; *pp != NULL && seq_lt((*pp)->seq, seq);
	     pp = &(*pp)->next)
		;
	if (*pp != NULL && (*pp)->seq == seq && (*pp)->len >= len)
		return; /* a copy we have */
	o = mx_xmalloc(sizeof(*o) + len);
	o->seq = seq;
	o->len = (uint32_t)len;
	memcpy(o->data, d, len);
	o->next = *pp;
	*pp = o;
}

/* Delivers queued data that the in-order stream has reached; returns
 * false when the connection died in a callback. */
static bool
ooo_drain(struct tcp_conn *c)
{
	struct tcp_ooo *o;

	while ((o = c->ooo) != NULL && seq_le(o->seq, c->rcv_nxt)) {
		uint32_t skip = c->rcv_nxt - o->seq;

		c->ooo = o->next;
		if (skip < o->len) {
			c->rcv_nxt += o->len - skip;
			if (c->cb != NULL && c->cb->data != NULL)
				c->cb->data(
				    c->ctx, c, o->data + skip, o->len - skip);
		}
		free(o);
		if (c->dead)
			return false;
	}
	return true;
}

void
tcp_input(const struct net_rx *rx)
{
	struct tcp_stack *st = rx->host->tcp;
	struct seg_in s;
	struct tcp_conn *c;
	bool fin_acked;

	if (!parse_seg(rx, &s))
		return;
	c = conn_find(st, &rx->dst, s.dport, &rx->src, s.sport);
	if (c == NULL) {
		input_listen(rx, &s);
		return;
	}
	c->busy++;
	if (c->state == ST_SYN_SENT) {
		if ((s.flags & TH_ACK) && s.ack != c->iss + 1) {
			if (!(s.flags & TH_RST)) {
				c->busy--;
				tcp_reject(rx);
				return;
			}
			goto out;
		}
		if (s.flags & TH_RST) {
			if (s.flags & TH_ACK) {
				conn_end(c, TCP_END_REFUSED, 0);
				conn_release(c);
			}
			goto out;
		}
		if (!(s.flags & TH_SYN) || !(s.flags & TH_ACK))
			goto out;
		c->irs = s.seq;
		c->rcv_nxt = s.seq + 1;
		c->peer_mss = s.mss ? s.mss : 536;
		c->cwnd = 10u * c->peer_mss;
		c->peer_wnd = s.win;
		process_ack(c, s.ack);
		c->state = ST_ESTABLISHED;
		c->retries = 0;
		c->ack_owed = true;
		if (c->cb != NULL && c->cb->connected != NULL)
			c->cb->connected(c->ctx, c);
		goto out;
	}
	/* Synchronized states. */
	if (s.flags & TH_RST) {
		/* RFC 5961-style: only an RST at exactly rcv_nxt counts. */
		if (s.seq == c->rcv_nxt && c->state != ST_TIME_WAIT) {
			conn_end(c, TCP_END_RESET, 0);
			conn_release(c);
		}
		goto out;
	}
	if (s.flags & TH_SYN) {
		if (c->state == ST_SYN_RCVD && s.seq == c->irs) {
			/* The peer did not get our SYN-ACK: resend it as it
			 * was. */
			if (c->rtx != NULL)
				conn_send(c, c->rtx->bytes, c->rtx->len);
		} else
			c->ack_owed = true;
		goto out;
	}
	if (!(s.flags & TH_ACK))
		goto out;
	c->peer_wnd = s.win;
	/* RFC 5681 §3.2: the third duplicate ACK resends the oldest
	 * unacknowledged segment at once. */
	if (s.ack == c->snd_una && s.len == 0 &&
	    !(s.flags & (TH_SYN | TH_FIN)) && c->rtx != NULL &&
	    c->state != ST_SYN_RCVD && ++c->dupacks == 3) {
		tcp_conn_note(c, "fast retransmit after 3 duplicate ACKs");
		/* RFC 5681 §3.2: halve the window. */
		c->ssthresh = (c->snd_nxt - c->snd_una) / 2;
		if (c->ssthresh < 2u * c->peer_mss)
			c->ssthresh = 2u * c->peer_mss;
		c->cwnd = c->ssthresh;
		resend(c, c->rtx);
	}
	fin_acked = process_ack(c, s.ack);
	if (c->state == ST_SYN_RCVD) {
		if (c->snd_una != c->iss + 1)
			goto out;
		c->state = ST_ESTABLISHED;
		c->retries = 0;
		if (c->cb != NULL && c->cb->connected != NULL)
			c->cb->connected(c->ctx, c);
		if (c->dead)
			goto out;
	}
	if (fin_acked) {
		if (c->state == ST_FIN_WAIT_1)
			c->state = ST_FIN_WAIT_2;
		else if (c->state == ST_CLOSING) {
			enter_time_wait(c);
			goto out;
		} else if (c->state == ST_LAST_ACK) {
			conn_end(c, TCP_END_CLOSED, 0);
			conn_release(c);
			goto out;
		}
	}
	/* Data, in order only; anything else earns a (duplicate) ACK. */
	if (s.len > 0 || (s.flags & TH_FIN)) {
		uint32_t seq = s.seq;
		const uint8_t *d = s.data;
		size_t len = s.len;

		if (seq_lt(seq, c->rcv_nxt)) {
			uint32_t skip = c->rcv_nxt - seq;

			if (skip > len)
				skip = (uint32_t)len;
			seq += skip;
			d += skip;
			len -= skip;
		}
		c->ack_owed = true;
		if (seq != c->rcv_nxt) {
			/* RFC 5681 §4.2: an out-of-order segment earns an
			 * immediate duplicate ACK; its data is kept. */
			if (seq_lt(c->rcv_nxt, seq))
				ooo_keep(c, seq, d, len);
			goto out;
		}
		if (len > 0 &&
		    (c->state == ST_ESTABLISHED || c->state == ST_FIN_WAIT_1 ||
		        c->state == ST_FIN_WAIT_2)) {
			c->rcv_nxt += (uint32_t)len;
			/* RFC 5681 §4.2: an ACK for at least every second
			 * full-sized segment, at once; smaller debts wait for
			 * the end of the instant (and usually ride on the
			 * application's answer). */
			if (c->rcv_nxt - c->ack_sent >=
			    2u * c->host->tcp->p.mss)
				send_ack(c);
			if (c->cb != NULL && c->cb->data != NULL)
				c->cb->data(c->ctx, c, d, len);
			if (c->dead || !ooo_drain(c))
				goto out;
		}
		if ((s.flags & TH_FIN) &&
		    s.seq + (uint32_t)s.len == c->rcv_nxt) {
			c->rcv_nxt++;
			switch (c->state) {
			case ST_ESTABLISHED:
				c->state = ST_CLOSE_WAIT;
				break;
			case ST_FIN_WAIT_1:
				c->state = ST_CLOSING;
				break;
			case ST_FIN_WAIT_2:
				c->busy--;
				send_ack(c);
				enter_time_wait(c);
				return;
			default:
				break;
			}
			if (c->cb != NULL && c->cb->eof != NULL)
				c->cb->eof(c->ctx, c);
		}
	}
out:
	c->busy--;
	if (!c->dead)
		schedule_flush(c);
}

void
tcp_icmp_error(struct net_host *h, uint8_t type, uint8_t code,
    const struct net_addr *from, const struct net_addr *to, uint16_t sport,
    uint16_t dport, uint32_t seq)
{
	struct tcp_stack *st = h->tcp;
	struct tcp_conn *c;

	(void)type;
	c = conn_find(st, from, sport, to, dport);
	if (c == NULL || c->state != ST_SYN_SENT || seq != c->iss)
		return;
	/* Linux tcp_v4_err(): a socket in SYN_SENT fails at once. */
	conn_end(c, TCP_END_UNREACHABLE, code);
	conn_release(c);
}

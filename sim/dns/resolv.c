/*
 * resolv.c - stub resolver queries over UDP, and TCP after truncation.
 *
 * Each query has a DNS ID drawn from the host's stream and one UDP socket
 * per server (glibc's EXT(statp).nssocks[n]); retries to a server repeat
 * the same ID and question from its port, as send_dg() does.  (Wireshark marks
 * a repeat as a "DNS query retransmission" only when it comes sooner than its 5
 * s dns.retransmission_timer; glibc's first retry, exactly 5 s later, is not
 * marked.)  A response counts only if it comes from the server asked, to our
 * port, with our ID and our question (RFC 5452 §4.1 style checks).
 */
#include "resolv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/dur.h"
#include "../core/sim.h"
#include "../core/bytes.h"
#include "../net/tcp.h"
#include "../net/udp.h"

static const char *const status_names[] = {
#define XX(id, s) s,
    RESOLV_STATUS_MAP(XX)
#undef XX
};

const char *
resolv_status_name(enum resolv_status s)
{
	return status_names[s];
}

void
resolv_params_default(struct resolv_params *p)
{
	memset(p, 0, sizeof(*p));
	p->timeout = SIM_S(5);
	p->attempts = 2;
}

struct rq {
	struct rq *next;             /* owned next query */
	struct resolv *r;            /* borrowed resolver */
	uint32_t handle;             /* caller's handle */
	char name[DNS_NAME_MAX];     /* question name */
	uint16_t type;               /* question type */
	uint16_t id;                 /* DNS ID */
	uint16_t port[RESOLV_MAXNS]; /* our UDP port per server, 0 = closed */
	bool vc;                     /* on TCP since a TC answer (v_circuit) */
	int vc_end; /* with 'vc': the slot that ends the query */
	int slot;   /* current (round * nns + server) */
	int start;  /* first server (rotate) */
	int tries;  /* datagrams sent */
	bool saw_servfail, saw_refused, saw_icmp; /* failure classes */
	bool saw_timeout;                         /* a try went unanswered */
	bool saw_tcp;                             /* a try went over TCP */
	bool tcp_refused;       /* the last TCP try was refused (its errno) */
	struct ev_handle timer; /* answer timeout */
	resolv_fn *fn;          /* completion callback */
	void *ctx;              /* borrowed callback context */
	uint8_t wire[512];      /* the query as sent */
	size_t wlen;            /* its length */
	struct tcp_conn *tc;    /* TCP retry in progress, or NULL */
	uint8_t *tbuf;          /* owned bytes received over TCP */
	size_t tlen, tcap;      /* their length and capacity */
};

struct resolv {
	struct net_host *host;  /* borrowed */
	struct resolv_params p; /* knobs */
	struct rq *queries;     /* owned pending queries */
	uint32_t next_handle;   /* handles handed out */
	bool rot_init;          /* rotate: the first start was drawn */
	int rot_next;           /* rotate: the next query's first server */
	struct dns_msg msg;     /* scratch: the decoded response, which
	                           the callback reads (resolv_answer.msg) */
};

struct resolv *
resolv_new(struct net_host *h, const struct resolv_params *p)
{
	struct resolv *r = mx_xcalloc(1, sizeof(*r));

	r->host = h;
	r->p = *p;
	if (r->p.nns > RESOLV_MAXNS)
		r->p.nns = RESOLV_MAXNS;
	/* resolv.conf(5): timeout "silently capped to 30", attempts
	 * "silently capped to 5" (RES_MAXRETRANS, RES_MAXRETRY); the cap
	 * also keeps the shift of try_wait() defined. */
	if (r->p.attempts < 1)
		r->p.attempts = 1;
	if (r->p.attempts > RESOLV_MAXRETRY)
		r->p.attempts = RESOLV_MAXRETRY;
	if (r->p.timeout > SIM_S(RESOLV_MAXRETRANS))
		r->p.timeout = SIM_S(RESOLV_MAXRETRANS);
	return r;
}

/* Closes every UDP socket of the query (glibc __res_iclose()). */
static void
close_socks(struct rq *q)
{
	size_t i;

	for (i = 0; i < RESOLV_MAXNS; i++)
		if (q->port[i] != 0) {
			udp_unbind(q->r->host, q->port[i]);
			q->port[i] = 0;
		}
}

static void
rq_free(struct resolv *r, struct rq *q)
{
	struct rq **pp;

	for (pp = &r->queries; *pp != NULL; pp = &(*pp)->next)
		if (*pp == q) {
			*pp = q->next;
			break;
		}
	sim_cancel(r->host->net->sim, &q->timer);
	close_socks(q);
	if (q->tc != NULL)
		tcp_abort(q->tc);
	free(q->tbuf);
	free(q);
}

void
resolv_free(struct resolv *r)
{
	if (r == NULL)
		return;
	while (r->queries != NULL)
		rq_free(r, r->queries);
	free(r);
}

/* The index in the server list of the current try's server. */
static size_t
server_index(const struct rq *q)
{
	return ((size_t)q->slot + (size_t)q->start) % q->r->p.nns;
}

static const struct net_addr *
server_of(const struct rq *q)
{
	return &q->r->p.ns[server_index(q)];
}

/*
 * The wait for an answer from server n: res_send.c send_dg() computes
 * "seconds = retrans << ns; if (ns > 0) seconds /= nscount; if (seconds
 * <= 0) seconds = 1;" in int seconds, 'ns' being the index of the server
 * (glibc passes the rotated index), whatever the round.  A timeout that is
 * not whole seconds (no resolv.conf can say one) is divided exactly.
 */
static sim_time_t
try_wait(const struct resolv *r, size_t n)
{
	sim_time_t wait = r->p.timeout << n;

	if (n == 0)
		return wait;
	wait /= (sim_time_t)r->p.nns;
	if (r->p.timeout % SIM_S(1) == 0) {
		wait -= wait % SIM_S(1);
		if (wait < SIM_S(1))
			wait = SIM_S(1);
	}
	return wait;
}

static const char *
server_label(
    const struct resolv *r, const struct net_addr *a, char *buf, size_t len)
{
	const struct net_host *h = net_host_by_addr(r->host->net, a);

	if (h != NULL)
		return h->name;
	return net_addr_str(a, buf, len);
}

static void send_try(struct rq *q);
static void tcp_try(struct rq *q);
static void on_response(void *ctx, struct net_host *h,
    const struct udp_from *from, const uint8_t *data, size_t len);
static void on_icmp(void *ctx, struct net_host *h, uint8_t type, uint8_t code,
    const struct net_addr *to, uint16_t dport);

static void
finish(struct rq *q, enum resolv_status st, const struct dns_msg *m)
{
	struct resolv *r = q->r;
	struct resolv_answer a;
	resolv_fn *fn = q->fn;
	void *ctx = q->ctx;

	memset(&a, 0, sizeof(a));
	a.status = st;
	a.msg = m;
	a.qname = q->name;
	a.qtype = q->type;
	a.tries = q->tries;
	a.tcp = q->vc;
	if (st == RESOLV_CNAME && m != NULL)
		(void)dns_msg_chase(m, q->name, 16, a.cname, sizeof(a.cname));
	/* The callback may start queries; 'q' must be gone by then, but its
	 * name is still needed: keep a copy. */
	{
		char name[DNS_NAME_MAX];

		memcpy(name, q->name, sizeof(name));
		a.qname = name;
		rq_free(r, q);
		fn(ctx, &a);
	}
}

static void
next_slot(struct rq *q)
{
	struct resolv *r = q->r;
	enum resolv_status st;

	q->slot++;
	if (q->vc && q->slot < q->vc_end) {
		tcp_try(q);
		return;
	}
	if (!q->vc && (size_t)q->slot < r->p.nns * (size_t)r->p.attempts) {
		send_try(q);
		return;
	}
	/* __res_context_send(): over UDP, ECONNREFUSED only when no try
	 * timed out ('gotsomewhere' clear), ETIMEDOUT otherwise; over TCP
	 * the last send_vc() error ('terrno'). */
	if (q->vc)
		st = q->tcp_refused ? RESOLV_UNREACHABLE : RESOLV_TIMEOUT;
	else
		st = q->saw_servfail                  ? RESOLV_SERVFAIL
		     : q->saw_refused                 ? RESOLV_REFUSED
		     : q->saw_icmp && !q->saw_timeout ? RESOLV_UNREACHABLE
		                                      : RESOLV_TIMEOUT;
	finish(q, st, NULL);
}

static void
on_timeout(struct sim *sim, void *arg)
{
	struct rq *q = arg;

	(void)sim;
	q->timer.id = 0;
	q->saw_timeout = true;
	if (q->vc)
		q->tcp_refused = false; /* the last TCP error: a wait */
	if (q->tc != NULL) {
		tcp_abort(q->tc);
		q->tc = NULL;
	}
	next_slot(q);
}

static void
send_try(struct rq *q)
{
	struct resolv *r = q->r;
	struct sim *sim = r->host->net->sim;
	const struct net_addr *ns = server_of(q);
	const struct net_addr *src = net_host_addr_of(r->host, ns->family);
	size_t n = server_index(q);
	sim_time_t wait;
	char tnb[DNS_TYPE_STRLEN], note[400];
	const char *tname;

	if (src == NULL) {
		q->saw_icmp = true;
		next_slot(q);
		return;
	}
	tname = dns_type_name(q->type, tnb, sizeof(tnb));
	wait = try_wait(r, n);
	if (q->port[n] == 0)
		q->port[n] = udp_bind(r->host, 0, on_response, on_icmp, q);
	q->tries++;
	if (trace_on(sim_trace(sim))) {
		struct trace_rec rec;
		char buf[NET_ADDR_STRLEN], tb[DNS_TYPE_STRLEN];

		trace_rec_init(
		    &rec, sim_now(sim), r->host->name, "dns.query", TRACE_MAIN);
		trace_add_str(&rec, "qname", q->name);
		trace_add_str(
		    &rec, "qtype", dns_type_name(q->type, tb, sizeof(tb)));
		trace_add_str(
		    &rec, "server", server_label(r, ns, buf, sizeof(buf)));
		trace_add_int(&rec, "id", q->id);
		trace_add_int(&rec, "try", q->tries);
		trace_add_time(&rec, "wait", wait);
		if (q->tries == 1)
			trace_text(&rec, "DNS %s? %s -> %s",
			    dns_type_name(q->type, tb, sizeof(tb)), q->name,
			    server_label(r, ns, buf, sizeof(buf)));
		else
			trace_text(&rec, "DNS %s? %s -> %s (try %d)",
			    dns_type_name(q->type, tb, sizeof(tb)), q->name,
			    server_label(r, ns, buf, sizeof(buf)), q->tries);
		trace_emit(sim_trace(sim), &rec);
	}
	if (q->tries > 1 && r->host->net->ntaps > 0) {
		char d[32];

		/* The note must live until udp_send() has taken it. */
		snprintf(note, sizeof(note),
		    "DNS try %d of %s? %s: no usable answer yet; waiting %s",
		    q->tries, tname, q->name, dur_format(wait, d, sizeof(d)));
		net_note_next(r->host, note);
	}
	udp_send(r->host, src, q->port[n], ns, 53, q->wire, q->wlen);
	q->timer = sim_after(sim, wait, on_timeout, q);
}

/* A response that passed the checks: decide what it means. */
static void
process(struct rq *q, const struct dns_msg *m)
{
	size_t i;
	bool typed = false, alias = false;

	sim_cancel(q->r->host->net->sim, &q->timer);
	if (q->vc) {
		/* send_vc() hands any complete answer back: "the next
		 * nameserver ought not be tried". */
		switch (m->rcode) {
		case DNS_R_SERVFAIL:
			finish(q, RESOLV_SERVFAIL, m);
			return;
		case DNS_R_NOERROR:
		case DNS_R_NXDOMAIN:
			break;
		default:
			finish(q, RESOLV_REFUSED, m);
			return;
		}
	} else if (m->rcode == DNS_R_SERVFAIL || m->rcode == DNS_R_NOTIMP ||
	           m->rcode == DNS_R_REFUSED) {
		/* send_dg() tests these first, TC or not: the next server,
		 * from a fresh socket ("return close_and_return_error"). */
		if (m->rcode == DNS_R_SERVFAIL)
			q->saw_servfail = true;
		else
			q->saw_refused = true;
		close_socks(q);
		next_slot(q);
		return;
	} else if (m->rcode == DNS_R_NOERROR && m->nan == 0 && !m->aa &&
	           !m->ra && m->nar == 0) {
		/* Then a "referred query" (a referral without glue from a
		 * server that does not recurse) is no answer either. */
		q->saw_servfail = true;
		close_socks(q);
		next_slot(q);
		return;
	} else if (m->tc) {
		/* Then RFC 1035 §4.2.1: truncated; ask again over TCP, to
		 * this server and then to the rest of this round's (glibc
		 * sets v_circuit, goes to same_ns and sets try = retry). */
		q->vc = true;
		q->vc_end = (q->slot / (int)q->r->p.nns + 1) * (int)q->r->p.nns;
		close_socks(q); /* "__res_iclose (statp, false)" */
		tcp_try(q);
		return;
	}
	switch (m->rcode) {
	case DNS_R_NOERROR:
		for (i = 0; i < m->nan; i++) {
			if (m->an[i].type == q->type)
				typed = true;
			if (m->an[i].type == DNS_T_CNAME)
				alias = true;
		}
		finish(q,
		    typed   ? RESOLV_OK
		    : alias ? RESOLV_CNAME
		            : RESOLV_NODATA,
		    m);
		return;
	case DNS_R_NXDOMAIN:
		finish(q, RESOLV_NXDOMAIN, m);
		return;
	case DNS_R_SERVFAIL:
		q->saw_servfail = true;
		break;
	default:
		q->saw_refused = true;
		break;
	}
	/* send_dg(): "return close_and_return_error (statp, resplen2)":
	 * the next server (or round) gets a fresh socket. */
	close_socks(q);
	next_slot(q);
}

/* The checks of RFC 5452 §4.1 style: our ID and our question. */
static bool
ours(const struct rq *q, const struct dns_msg *m)
{
	return dns_msg_is_reply(m, q->id, q->name, q->type);
}

static void
on_response(void *ctx, struct net_host *h, const struct udp_from *from,
    const uint8_t *data, size_t len)
{
	struct rq *q = ctx;
	struct resolv *r = q->r;
	struct dns_msg *m = &r->msg;

	(void)h;
	if (from->sport != 53 || q->vc ||
	    !sim_pending(r->host->net->sim, q->timer) ||
	    !net_addr_eq(&from->src, server_of(q)) ||
	    from->dport != q->port[server_index(q)])
		return;
	if (!dns_msg_decode(data, len, m) || !ours(q, m))
		return;
	process(q, m);
}

/* --- TCP retry (glibc send_vc()) ------------------------------------- */

static void
tc_connected(void *ctx, struct tcp_conn *c)
{
	struct rq *q = ctx;
	struct resolv *r = q->r;
	uint8_t buf[2 + sizeof(q->wire)];

	/* RFC 7766 §8: the length and the message in one segment.  glibc
	 * then blocks in read(); we wait the UDP try's time. */
	put_be16(buf, (uint16_t)q->wlen);
	memcpy(buf + 2, q->wire, q->wlen);
	tcp_send(c, buf, q->wlen + 2);
	q->timer = sim_after(
	    r->host->net->sim, try_wait(r, server_index(q)), on_timeout, q);
}

static void
tc_data(void *ctx, struct tcp_conn *c, const uint8_t *p, size_t n)
{
	struct rq *q = ctx;
	struct dns_msg *m = &q->r->msg;
	size_t mlen;
	bool decoded;

	if (q->tlen + n > q->tcap) {
		size_t cap = q->tcap ? q->tcap * 2 : 1024;

		while (cap < q->tlen + n)
			cap *= 2;
		q->tbuf = mx_xrealloc(q->tbuf, cap);
		q->tcap = cap;
	}
	if (n > 0)
		memcpy(q->tbuf + q->tlen, p, n);
	q->tlen += n;
	if (q->tlen < 2)
		return;
	mlen = get_be16(q->tbuf);
	if (q->tlen < 2 + mlen)
		return;
	decoded = dns_msg_decode(q->tbuf + 2, mlen, m);
	if (decoded && !ours(q, m)) {
		/* send_vc(): not the answer to our question ("goto
		 * read_len"): drop it and read the next message. */
		q->tlen -= 2 + mlen;
		memmove(q->tbuf, q->tbuf + 2 + mlen, q->tlen);
		if (q->tlen > 0)
			tc_data(ctx, c, NULL, 0);
		return;
	}
	/* One answer is all we wanted: close, then decide; 'q' may be
	 * freed by then, so the stack finishes the close alone. */
	tcp_close(c);
	tcp_detach(c);
	q->tc = NULL;
	sim_cancel(q->r->host->net->sim, &q->timer);
	if (!decoded) {
		q->tcp_refused = false; /* EMSGSIZE-like: not a refusal */
		next_slot(q);
		return;
	}
	process(q, m);
}

/* The connection ended before an answer: refused, unreachable, the
 * kernel's SYN retries exhausted, or closed by the server. */
static void
tc_closed(void *ctx, struct tcp_conn *c, enum tcp_end why, int code)
{
	struct rq *q = ctx;

	(void)c;
	(void)code;
	q->tc = NULL;
	q->tcp_refused = why == TCP_END_REFUSED || why == TCP_END_UNREACHABLE;
	if (q->tcp_refused)
		q->saw_icmp = true;
	else
		q->saw_timeout = true;
	sim_cancel(q->r->host->net->sim, &q->timer);
	next_slot(q);
}

static const struct tcp_cb tc_cb = {
    .connected = tc_connected,
    .data = tc_data,
    .eof = NULL,
    .closed = tc_closed,
};

/* One try over TCP (glibc send_vc()) to the current server. */
static void
tcp_try(struct rq *q)
{
	struct resolv *r = q->r;
	struct sim *sim = r->host->net->sim;
	const struct net_addr *ns = server_of(q);
	bool first = !q->saw_tcp;

	q->saw_tcp = true;
	q->tries++;
	if (trace_on(sim_trace(sim))) {
		struct trace_rec rec;
		char buf[NET_ADDR_STRLEN], tb[DNS_TYPE_STRLEN];
		const char *tn = dns_type_name(q->type, tb, sizeof(tb));

		trace_rec_init(
		    &rec, sim_now(sim), r->host->name, "dns.tcp", TRACE_MAIN);
		trace_add_str(&rec, "qname", q->name);
		trace_add_str(&rec, "qtype", tn);
		trace_add_str(
		    &rec, "server", server_label(r, ns, buf, sizeof(buf)));
		trace_add_int(&rec, "try", q->tries);
		trace_text(&rec, "DNS %s? %s -> %s over TCP (%s)", tn, q->name,
		    server_label(r, ns, buf, sizeof(buf)),
		    first ? "the answer was truncated"
		          : "the query stays on TCP after a truncated answer");
		trace_emit(sim_trace(sim), &rec);
	}
	free(q->tbuf);
	q->tbuf = NULL;
	q->tlen = q->tcap = 0;
	if (r->host->net->ntaps > 0)
		net_note_next(r->host,
		    first ? "the UDP answer was truncated (TC): asking again "
		            "over TCP"
		          : "after a truncated answer this query stays on TCP");
	/* No timer while connecting: glibc's connect() blocks until the
	 * kernel gives up. */
	q->tc = tcp_connect(r->host, ns, 53, &tc_cb, q);
	if (q->tc == NULL) {
		q->saw_icmp = true;
		next_slot(q);
	}
}

static void
on_icmp(void *ctx, struct net_host *h, uint8_t type, uint8_t code,
    const struct net_addr *to, uint16_t dport)
{
	struct rq *q = ctx;
	struct resolv *r = q->r;

	(void)h;
	(void)type;
	(void)code;
	(void)dport;
	if (q->vc || !sim_pending(r->host->net->sim, q->timer) ||
	    !net_addr_eq(to, server_of(q)))
		return;
	sim_cancel(r->host->net->sim, &q->timer);
	q->saw_icmp = true;
	/* send_dg(): POLLERR goes the way of SERVFAIL, sockets closed. */
	close_socks(q);
	next_slot(q);
}

static void
start_query(struct sim *sim, void *arg)
{
	struct rq *q = arg;

	(void)sim;
	q->timer.id = 0;
	if (q->r->p.nns == 0 || q->wlen == 0) {
		finish(q, RESOLV_TIMEOUT, NULL);
		return;
	}
	send_try(q);
}

uint32_t
resolv_query(
    struct resolv *r, const char *name, uint16_t type, resolv_fn *fn, void *ctx)
{
	struct rq *q = mx_xcalloc(1, sizeof(*q));
	/* Not r->msg: a caller may start a query from its callback while
	 * it still reads the answer held there. */
	struct dns_msg *m = mx_xmalloc(sizeof(*m));

	q->r = r;
	q->handle = ++r->next_handle;
	snprintf(q->name, sizeof(q->name), "%s", name);
	q->type = type;
	q->id = (uint16_t)rng_next(&r->host->rng);
	q->fn = fn;
	q->ctx = ctx;
	/* glibc 2.26+ nameserver_offset(): with RES_ROTATE the first
	 * query of the process starts at a random server, each later one
	 * at the next; a single server needs no draw. */
	if (r->p.rotate && r->p.nns > 1) {
		if (!r->rot_init) {
			r->rot_next = (int)rng_below(&r->host->rng, r->p.nns);
			r->rot_init = true;
		}
		q->start = r->rot_next;
		r->rot_next = (r->rot_next + 1) % (int)r->p.nns;
	}
	dns_msg_clear(m);
	m->id = q->id;
	m->rd = true;
	m->nq = 1;
	snprintf(m->q[0].name, sizeof(m->q[0].name), "%s", name);
	m->q[0].qtype = type;
	m->q[0].qclass = DNS_CLASS_IN;
	q->wlen = dns_msg_encode(m, q->wire, sizeof(q->wire));
	free(m);
	q->next = r->queries;
	r->queries = q;
	/* The first datagram leaves now, from an event of its own, so that
	 * the callback never runs inside resolv_query(). */
	q->timer = sim_after(r->host->net->sim, 0, start_query, q);
	return q->handle;
}

void
resolv_cancel(struct resolv *r, uint32_t handle)
{
	struct rq *q;

	for (q = r->queries; q != NULL; q = q->next)
		if (q->handle == handle) {
			rq_free(r, q);
			return;
		}
}

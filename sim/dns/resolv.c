/*
 * resolv.c - stub resolver queries over UDP.
 *
 * Each query owns an ephemeral UDP port and a DNS ID drawn from the host's
 * stream; retries repeat the same ID and question from the same port, as
 * glibc's send_dg() does on its socket.  (Wireshark marks a repeat as a
 * "DNS query retransmission" only when it comes sooner than its 5 s
 * dns.retransmission_timer; glibc's first retry, exactly 5 s later, is
 * not marked.)  A response counts
 * only if it comes from the server asked, to our port, with our ID and our
 * question (RFC 5452 §4.1 style checks).
 */
#include "resolv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/dur.h"
#include "../core/sim.h"
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
	struct rq *next;         /* owned next query */
	struct resolv *r;        /* borrowed resolver */
	uint32_t handle;         /* caller's handle */
	char name[DNS_NAME_MAX]; /* question name */
	uint16_t type;           /* question type */
	uint16_t id;             /* DNS ID */
	uint16_t port;           /* our UDP port */
	int slot;                /* current (round * nns + server) */
	int start;               /* first server (rotate) */
	int tries;               /* datagrams sent */
	bool saw_servfail, saw_refused, saw_icmp; /* failure classes */
	struct ev_handle timer;                   /* answer timeout */
	resolv_fn *fn;                            /* completion callback */
	void *ctx;         /* borrowed callback context */
	uint8_t wire[512]; /* the query as sent */
	size_t wlen;       /* its length */
};

struct resolv {
	struct net_host *host;  /* borrowed */
	struct resolv_params p; /* knobs */
	struct rq *queries;     /* owned pending queries */
	uint32_t next_handle;   /* handles handed out */
	int next_start;         /* rotate position */
	struct dns_msg msg;     /* scratch: decoded response */
};

struct resolv *
resolv_new(struct net_host *h, const struct resolv_params *p)
{
	struct resolv *r = mx_xcalloc(1, sizeof(*r));

	r->host = h;
	r->p = *p;
	if (r->p.nns > RESOLV_MAXNS)
		r->p.nns = RESOLV_MAXNS;
	if (r->p.attempts < 1)
		r->p.attempts = 1;
	return r;
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
	udp_unbind(r->host, q->port);
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

static const struct net_addr *
server_of(const struct rq *q)
{
	const struct resolv *r = q->r;

	return &r->p.ns[((size_t)q->slot + (size_t)q->start) % r->p.nns];
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

static void
finish(struct rq *q, enum resolv_status st, const struct dns_msg *m)
{
	struct resolv *r = q->r;
	struct resolv_answer a;
	resolv_fn *fn = q->fn;
	void *ctx = q->ctx;

	a.status = st;
	a.msg = m;
	a.qname = q->name;
	a.qtype = q->type;
	a.tries = q->tries;
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
	if ((size_t)q->slot < r->p.nns * (size_t)r->p.attempts) {
		send_try(q);
		return;
	}
	st = q->saw_servfail  ? RESOLV_SERVFAIL
	     : q->saw_refused ? RESOLV_REFUSED
	     : q->saw_icmp    ? RESOLV_UNREACHABLE
	                      : RESOLV_TIMEOUT;
	finish(q, st, NULL);
}

static void
on_timeout(struct sim *sim, void *arg)
{
	struct rq *q = arg;

	(void)sim;
	q->timer.id = 0;
	next_slot(q);
}

static void
send_try(struct rq *q)
{
	struct resolv *r = q->r;
	struct sim *sim = r->host->net->sim;
	const struct net_addr *ns = server_of(q);
	const struct net_addr *src = net_host_addr_of(r->host, ns->family);
	int round = q->slot / (int)r->p.nns;
	sim_time_t wait;
	char tnb[DNS_TYPE_STRLEN], note[400];
	const char *tname;

	if (src == NULL) {
		q->saw_icmp = true;
		next_slot(q);
		return;
	}
	/* glibc res_send.c send_dg(): retrans << round, divided by the
	 * number of servers after the first round. */
	tname = dns_type_name(q->type, tnb, sizeof(tnb));
	wait = r->p.timeout << round;
	if (round > 0)
		wait /= (sim_time_t)r->p.nns;
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
	udp_send(r->host, src, q->port, ns, 53, q->wire, q->wlen);
	q->timer = sim_after(sim, wait, on_timeout, q);
}

static void
on_response(void *ctx, struct net_host *h, const struct udp_from *from,
    const uint8_t *data, size_t len)
{
	struct rq *q = ctx;
	struct resolv *r = q->r;
	struct dns_msg *m = &r->msg;
	size_t i;
	bool typed = false;

	(void)h;
	if (from->sport != 53 || !sim_pending(r->host->net->sim, q->timer) ||
	    !net_addr_eq(&from->src, server_of(q)))
		return;
	if (!dns_msg_decode(data, len, m) || !m->qr || m->id != q->id ||
	    m->nq != 1 || m->q[0].qtype != q->type ||
	    !dns_name_eq(m->q[0].name, q->name))
		return;
	sim_cancel(r->host->net->sim, &q->timer);
	switch (m->rcode) {
	case DNS_R_NOERROR:
		for (i = 0; i < m->nan; i++)
			if (m->an[i].type == q->type)
				typed = true;
		finish(q, typed ? RESOLV_OK : RESOLV_NODATA, m);
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
	next_slot(q);
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
	if (!sim_pending(r->host->net->sim, q->timer) ||
	    !net_addr_eq(to, server_of(q)))
		return;
	sim_cancel(r->host->net->sim, &q->timer);
	q->saw_icmp = true;
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
	struct dns_msg *m = &r->msg;

	q->r = r;
	q->handle = ++r->next_handle;
	snprintf(q->name, sizeof(q->name), "%s", name);
	q->type = type;
	q->id = (uint16_t)rng_next(&r->host->rng);
	q->fn = fn;
	q->ctx = ctx;
	q->port = udp_bind(r->host, 0, on_response, on_icmp, q);
	if (r->p.rotate && r->p.nns > 0) {
		q->start = r->next_start;
		r->next_start = (r->next_start + 1) % (int)r->p.nns;
	}
	dns_msg_init(m);
	m->id = q->id;
	m->rd = true;
	m->nq = 1;
	snprintf(m->q[0].name, sizeof(m->q[0].name), "%s", name);
	m->q[0].qtype = type;
	m->q[0].qclass = DNS_CLASS_IN;
	q->wlen = dns_msg_encode(m, q->wire, sizeof(q->wire));
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

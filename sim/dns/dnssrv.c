/*
 * dnssrv.c - an authoritative server answering from its zones, over UDP
 * and TCP on port 53.
 *
 * For each query: decode (a message that does not decode is dropped, or
 * answered FORMERR when at least its header is there), pick the served
 * zone closest to the question, and answer from it (AA set; a referral
 * below a zone cut clears it); a name in none of our zones gets REFUSED,
 * as an authoritative-only server does.  RD is copied, RA stays clear
 * (RFC 1035 §4.1.1): this server does not recurse.  A query with an EDNS0
 * OPT gets an OPT back advertising 1232 bytes (RFC 6891 §7; the DNS flag
 * day 2020 value).  A query without a question gets FORMERR, one with an
 * opcode other than QUERY NOTIMP.
 *
 * Size: over UDP an answer must fit 512 bytes, or the size the client
 * advertised in its OPT (at least 512, at most our own 1232, as BIND's and
 * Unbound's max-udp-size); if it does not, the additional section goes
 * first, then the answer is sent empty with TC set (RFC 2181 §9, RFC 1035
 * §4.2.1) and the client is expected to ask again over TCP, where each
 * message has a two-byte length prefix and the limit is 65535 (RFC 1035
 * §4.2.2, RFC 7766).  The length and the message go in one write, so in
 * one segment (RFC 7766 §8).
 *
 * DNS-layer outages change the answer: 'servfail', 'refused', 'nxdomain'
 * replace it with that RCODE (NXDOMAIN with the zone's SOA); 'lame' answers
 * as a server that does not serve its zones (REFUSED, the classic lame
 * delegation); 'truncate' answers every UDP query with an empty TC
 * response; 'slow' (without 'at') holds each answer for 'delay'; 'no-tcp'
 * is handled by the network (TCP to port 53 vanishes).
 */
#include "dnssrv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/bytes.h"
#include "../core/sim.h"
#include "../net/tcp.h"
#include "../net/udp.h"
#include "recursor.h"

#define TCP_MSG_MAX 65535
#define EDNS_SIZE   1232 /* our OPT's payload size, and our UDP ceiling */

struct dnssrv {
	struct net_host *host;     /* borrowed */
	struct zone *const *zones; /* borrowed zones served */
	size_t nzones;             /* their number */
	struct dns_msg q;          /* scratch: the query */
	struct dns_msg r;          /* scratch: the response */
	size_t queries;            /* queries answered */
	struct dsess *sessions;    /* owned TCP sessions */
	struct held *held;         /* owned answers held by 'slow' */
	struct recursor *rec;      /* borrowed recursion engine, or NULL */
	struct pending *pending;   /* owned recursive queries in progress */
};

/* A TCP client. */
struct dsess {
	struct dsess *next; /* owned next session */
	struct dnssrv *s;   /* borrowed server */
	struct tcp_conn *c; /* borrowed; NULL once closed */
	uint8_t *buf;       /* owned bytes received */
	size_t len, cap;    /* their length and capacity */
	bool dead;          /* awaiting reclaim */
};

/* An answer held back by a 'slow' outage. */
struct held {
	struct held *next;    /* owned next */
	struct dnssrv *s;     /* borrowed server */
	struct udp_from from; /* where the query came from (UDP) */
	struct dsess *sess;   /* or its TCP session */
	bool orphan;          /* the TCP session went away */
	uint8_t *msg;         /* owned answer bytes */
	size_t len;           /* their length */
	struct ev_handle ev;  /* the release event */
};

/* A client's question waiting for the recursion engine. */
struct pending {
	struct pending *next;   /* owned next */
	struct dnssrv *s;       /* borrowed server */
	struct udp_from from;   /* the client (UDP) */
	struct dsess *sess;     /* or its TCP session */
	bool orphan;            /* the TCP session went away */
	struct net_addr client; /* its address, for traces */
	uint16_t id;            /* its query ID */
	bool rd, edns;          /* its flags */
	struct dns_question q;  /* its question */
	const struct fault *f;  /* a 'slow' outage to apply */
	size_t limit;           /* the size the answer must fit */
};

static const struct zone *
zone_for(const struct dnssrv *s, const char *qname)
{
	const struct zone *best = NULL;
	size_t i;

	for (i = 0; i < s->nzones; i++) {
		const struct zone *z = s->zones[i];

		if (!dns_name_under(qname, z->origin))
			continue;
		if (best == NULL || strlen(z->origin) > strlen(best->origin))
			best = z;
	}
	return best;
}

/* 'why' says what shaped the answer besides the zone: an outage
 * ("outage: servfail") or the cache ("from the cache"). */
static void
trace_answer(struct dnssrv *s, const struct net_addr *client,
    const struct dns_msg *r, const char *why, bool tcp)
{
	struct sim *sim = s->host->net->sim;
	struct trace_rec rec;
	char peer[NET_ADDR_STRLEN], tb[DNS_TYPE_STRLEN], what[300];
	const char *tn;

	if (!trace_on(sim_trace(sim)))
		return;
	net_addr_str(client, peer, sizeof(peer));
	tn = dns_type_name(r->q[0].qtype, tb, sizeof(tb));
	trace_rec_init(
	    &rec, sim_now(sim), s->host->name, "dns.answer", TRACE_DETAIL);
	trace_add_str(&rec, "qname", r->q[0].name);
	trace_add_str(&rec, "qtype", tn);
	trace_add_str(&rec, "client", peer);
	trace_add_int(&rec, "id", r->id);
	trace_add_str(&rec, "rcode", dns_rcode_name(r->rcode));
	trace_add_int(&rec, "answers", (int64_t)r->nan);
	trace_add_bool(&rec, "tc", r->tc);
	trace_add_bool(&rec, "tcp", tcp);
	if (why != NULL)
		trace_add_str(&rec, "why", why);
	if (r->rcode == DNS_R_NOERROR && r->nan == 0 && !r->aa && r->nns > 0 &&
	    r->ns[0].type == DNS_T_NS)
		/* RFC 1034 §4.3.2 step 3b: a referral. */
		snprintf(what, sizeof(what), "a referral to zone '%s'",
		    r->ns[0].name[0] ? r->ns[0].name : ".");
	else
		snprintf(what, sizeof(what), "%s%s, %zu answer%s",
		    dns_rcode_name(r->rcode), r->tc ? " (truncated)" : "",
		    r->nan, r->nan == 1 ? "" : "s");
	trace_text(&rec, "answers %s? %s from %s%s: %s%s%s%s", tn, r->q[0].name,
	    peer, tcp ? " over TCP" : "", what, why ? " (" : "", why ? why : "",
	    why ? ")" : "");
	trace_emit(sim_trace(sim), &rec);
}

/* Encodes 'r' into 'out' within 'limit' bytes: when it does not fit,
 * the additional section goes first, then the answer, with TC set
 * (RFC 2181 §9).  Returns the length. */
static size_t
encode_fit(struct dns_msg *r, bool edns, size_t limit, uint8_t *out, size_t cap)
{
	size_t n;

	if (edns && r->nar < DNS_SECTION_MAX) {
		struct dns_rr *opt = &r->ar[r->nar++];

		memset(opt, 0, sizeof(*opt));
		opt->type = DNS_T_OPT;
		opt->rclass = EDNS_SIZE;
	}
	n = dns_msg_encode(r, out, cap);
	if (n == 0 || n > limit) {
		if (edns) {
			r->ar[0] = r->ar[r->nar - 1];
			r->nar = 1;
		} else
			r->nar = 0;
		n = dns_msg_encode(r, out, cap);
		if (n == 0 || n > limit) {
			r->nan = r->nns = 0;
			r->tc = true;
			n = dns_msg_encode(r, out, cap);
		}
	}
	return n;
}

/* The largest UDP answer for a client that advertised 'size' in its OPT:
 * at least 512 (RFC 6891 §6.2.5: "Values lower than 512 MUST be treated as
 * equal to 512"), at most our own 1232, as BIND's and Unbound's
 * max-udp-size bound what they send whatever the client offers. */
static size_t
udp_limit(uint16_t size)
{
	if (size < 512)
		return 512;
	return size < EDNS_SIZE ? size : EDNS_SIZE;
}

/* An answer without sections but the question, when there is one, and
 * 'rcode' (FORMERR or NOTIMP; RFC 1035 §4.1.1): ID, opcode and RD come
 * back as they were asked.  'r' is scratch. */
static size_t
encode_error(const uint8_t *data, const struct dns_msg *q, uint8_t rcode,
    struct dns_msg *r, uint8_t *out)
{
	size_t n;

	memset(out, 0, 12);
	memcpy(out, data, 2);
	out[2] = (uint8_t)(0x80 | (data[2] & 0x79));
	out[3] = rcode;
	if (q == NULL || q->nq != 1)
		return 12;
	dns_msg_clear(r);
	r->id = q->id;
	r->qr = true;
	r->opcode = q->opcode;
	r->rd = q->rd;
	r->rcode = rcode;
	r->nq = 1;
	r->q[0] = q->q[0];
	n = dns_msg_encode(r, out, TCP_MSG_MAX);
	return n > 0 ? n : 12;
}

static void deliver(struct dnssrv *s, const struct fault *f,
    const struct udp_from *from, struct dsess *ds, const uint8_t *msg,
    size_t len);
static void rec_done(void *ctx, const struct recursor_answer *a);

/*
 * Answers the query in 'data', received over UDP from 'from' or over the
 * TCP session 'ds'.  Authoritative answers and outages are sent at once
 * (or after a 'slow' outage's delay); a question for a zone we do not
 * serve goes to the recursion engine when the host has one.
 */
static void
handle(struct dnssrv *s, const uint8_t *data, size_t len,
    const struct udp_from *from, struct dsess *ds)
{
	struct net_host *h = s->host;
	struct dns_msg *q = &s->q, *r = &s->r;
	const struct fault *f;
	char whyb[64];
	const char *why = NULL;
	const struct zone *z;
	const struct net_addr *client = ds ? tcp_conn_raddr(ds->c) : &from->src;
	bool tcp = ds != NULL, edns = false;
	size_t n, i, limit = tcp ? TCP_MSG_MAX : 512;
	uint8_t *out = mx_xmalloc(TCP_MSG_MAX);

	if (!dns_msg_decode(data, len, q)) {
		/* RFC 1035 §4.1.1: FORMERR when we can read the ID (and it
		 * is a query: answering answers invites loops). */
		if (len >= 12 && !(data[2] & 0x80))
			deliver(s, NULL, from, ds, out,
			    encode_error(data, NULL, DNS_R_FORMERR, r, out));
		free(out);
		return;
	}
	if (q->qr) {
		free(out);
		return;
	}
	if (q->nq != 1 || q->opcode != 0) {
		/* No question: FORMERR; another kind of query than QUERY
		 * (opcode 0): NOTIMP (RFC 1035 §4.1.1). */
		deliver(s, NULL, from, ds, out,
		    encode_error(data, q,
		        q->nq != 1 ? DNS_R_FORMERR : DNS_R_NOTIMP, r, out));
		free(out);
		return;
	}
	s->queries++;
	for (i = 0; i < q->nar; i++)
		if (q->ar[i].type == DNS_T_OPT) {
			edns = true;
			if (!tcp)
				limit = udp_limit(q->ar[i].rclass);
		}
	z = zone_for(s, q->q[0].name);
	f = fault_dns(&h->faults, sim_now(h->net->sim));
	if (f != NULL && f->kind == FAULT_TRUNCATE && tcp)
		f = NULL; /* truncation is a UDP matter */
	if (z == NULL && s->rec != NULL &&
	    (f == NULL || f->kind == FAULT_DNS_SLOW)) {
		struct pending *pd = mx_xcalloc(1, sizeof(*pd));

		pd->s = s;
		if (from != NULL)
			pd->from = *from;
		pd->sess = ds;
		pd->client = *client;
		pd->id = q->id;
		pd->rd = q->rd;
		pd->edns = edns;
		pd->limit = limit;
		pd->q = q->q[0];
		pd->f = f;
		pd->next = s->pending;
		s->pending = pd;
		free(out);
		/* May answer at once, from the cache: rec_done() has then
		 * freed 'pd' before this returns, so nothing may touch it
		 * afterwards. */
		(void)recursor_resolve(
		    s->rec, pd->q.name, pd->q.qtype, rec_done, pd);
		return;
	}
	dns_msg_clear(r);
	r->id = q->id;
	r->qr = true;
	r->rd = q->rd;
	r->ra = s->rec != NULL;
	r->nq = 1;
	r->q[0] = q->q[0];
	if (f != NULL && f->kind == FAULT_SERVFAIL)
		r->rcode = DNS_R_SERVFAIL;
	else if (f != NULL &&
	         (f->kind == FAULT_REFUSED || f->kind == FAULT_LAME))
		r->rcode = DNS_R_REFUSED;
	else if (z == NULL && s->rec == NULL)
		r->rcode = DNS_R_REFUSED;
	else if (f != NULL && f->kind == FAULT_NXDOMAIN) {
		/* An authoritative NXDOMAIN with the zone's SOA; from a
		 * resolver (a rewriting one), without. */
		struct dns_rr soa;

		r->aa = z != NULL;
		r->rcode = DNS_R_NXDOMAIN;
		if (z != NULL && z->soa != NULL) {
			soa = *z->soa;
			soa.ttl = zone_negative_ttl(z);
			r->ns[r->nns++] = soa;
		}
	} else if (f != NULL && f->kind == FAULT_TRUNCATE) {
		/* Over UDP only (see above): TC and no records. */
		r->aa = z != NULL;
		r->tc = true;
	} else if (z == NULL)
		r->rcode = DNS_R_REFUSED;
	else
		zone_answer(z, q->q[0].name, q->q[0].qtype, r);
	n = encode_fit(r, edns, limit, out, TCP_MSG_MAX);
	if (f != NULL) {
		snprintf(
		    whyb, sizeof(whyb), "outage: %s", fault_kind_name(f->kind));
		why = whyb;
	}
	trace_answer(s, client, r, why, tcp);
	if (n > 0)
		deliver(s, f, from, ds, out, n);
	free(out);
}

static void
pending_unlink(struct dnssrv *s, struct pending *pd)
{
	struct pending **pp;

	for (pp = &s->pending; *pp != NULL; pp = &(*pp)->next)
		if (*pp == pd) {
			*pp = pd->next;
			return;
		}
}

/* The recursion engine's answer for a waiting client. */
static void
rec_done(void *ctx, const struct recursor_answer *a)
{
	struct pending *pd = ctx;
	struct dnssrv *s = pd->s;
	struct dns_msg *r = &s->r;
	size_t i, n;
	uint8_t *out;

	pending_unlink(s, pd);
	if (pd->orphan) {
		free(pd);
		return;
	}
	dns_msg_clear(r);
	r->id = pd->id;
	r->qr = true;
	r->rd = pd->rd;
	r->ra = true; /* RFC 1035 §4.1.1: recursion available */
	r->rcode = a->rcode;
	r->nq = 1;
	r->q[0] = pd->q;
	for (i = 0; i < a->nan && r->nan < DNS_SECTION_MAX; i++)
		r->an[r->nan++] = a->an[i];
	if (a->soa != NULL)
		r->ns[r->nns++] = *a->soa;
	out = mx_xmalloc(TCP_MSG_MAX);
	n = encode_fit(r, pd->edns, pd->limit, out, TCP_MSG_MAX);
	trace_answer(s, &pd->client, r, a->cached ? "from the cache" : NULL,
	    pd->sess != NULL);
	if (n > 0)
		deliver(
		    s, pd->f, pd->sess ? NULL : &pd->from, pd->sess, out, n);
	free(out);
	free(pd);
}

static void
send_udp(struct dnssrv *s, const struct udp_from *from, const uint8_t *msg,
    size_t len, const char *note)
{
	if (note != NULL)
		net_note_next(s->host, note);
	udp_send(s->host, &from->dst, from->dport, &from->src, from->sport, msg,
	    len);
}

static void
send_tcp(struct dsess *ds, const uint8_t *msg, size_t len)
{
	uint8_t *buf;

	if (ds->c == NULL)
		return;
	/* RFC 7766 §8: the length and the message in one write. */
	buf = mx_xmalloc(len + 2);
	put_be16(buf, (uint16_t)len);
	memcpy(buf + 2, msg, len);
	tcp_send(ds->c, buf, len + 2);
	free(buf);
}

static void
release_held(struct sim *sim, void *arg)
{
	struct held *hd = arg, **pp;
	struct dnssrv *s = hd->s;

	(void)sim;
	hd->ev.id = 0;
	if (hd->sess != NULL)
		send_tcp(hd->sess, hd->msg, hd->len);
	else if (!hd->orphan)
		send_udp(s, &hd->from, hd->msg, hd->len, NULL);
	for (pp = &s->held; *pp != NULL; pp = &(*pp)->next)
		if (*pp == hd) {
			*pp = hd->next;
			break;
		}
	free(hd->msg);
	free(hd);
}

/* Sends now, or after the 'slow' outage's delay. */
static void
deliver(struct dnssrv *s, const struct fault *f, const struct udp_from *from,
    struct dsess *ds, const uint8_t *msg, size_t len)
{
	char note[200];
	const char *np = NULL;

	if (f != NULL && s->host->net->ntaps > 0) {
		snprintf(note, sizeof(note), "%s answers %s%s: outage %d (%s)",
		    s->host->name, dns_rcode_name(s->r.rcode),
		    s->r.tc ? " with TC set" : "", f->index,
		    fault_kind_name(f->kind));
		np = note;
	}
	if (f != NULL && f->kind == FAULT_DNS_SLOW) {
		struct held *hd = mx_xcalloc(1, sizeof(*hd));

		hd->s = s;
		if (from != NULL)
			hd->from = *from;
		hd->sess = ds;
		hd->msg = mx_xmalloc(len);
		memcpy(hd->msg, msg, len);
		hd->len = len;
		hd->next = s->held;
		s->held = hd;
		hd->ev =
		    sim_after(s->host->net->sim, f->delay, release_held, hd);
		return;
	}
	if (ds != NULL) {
		if (np != NULL && ds->c != NULL)
			tcp_conn_note(ds->c, "%s", np);
		send_tcp(ds, msg, len);
	} else
		send_udp(s, from, msg, len, np);
}

static void
on_query(void *ctx, struct net_host *h, const struct udp_from *from,
    const uint8_t *data, size_t len)
{
	(void)h;
	handle(ctx, data, len, from, NULL);
}

/* --- TCP ------------------------------------------------------------------ */

static void
dsess_free(void *p)
{
	struct dsess *ds = p;

	free(ds->buf);
	free(ds);
}

static void
dsess_end(struct dsess *ds)
{
	struct dsess **pp;
	struct held *hd;
	struct pending *pd;

	if (ds->dead)
		return;
	ds->dead = true;
	ds->c = NULL;
	for (pp = &ds->s->sessions; *pp != NULL; pp = &(*pp)->next)
		if (*pp == ds) {
			*pp = ds->next;
			break;
		}
	/* Held and pending answers for this session have nowhere to go. */
	for (pd = ds->s->pending; pd != NULL; pd = pd->next)
		if (pd->sess == ds) {
			pd->sess = NULL;
			pd->orphan = true;
		}
	for (hd = ds->s->held; hd != NULL; hd = hd->next)
		if (hd->sess == ds) {
			hd->sess = NULL;
			hd->orphan = true;
		}
	sim_reclaim(ds->s->host->net->sim, dsess_free, ds);
}

static void
tcp_data(void *ctx, struct tcp_conn *c, const uint8_t *p, size_t n)
{
	struct dsess *ds = ctx;
	struct dnssrv *s = ds->s;
	size_t off = 0;

	(void)c;
	if (ds->len + n > ds->cap) {
		size_t cap = ds->cap ? ds->cap * 2 : 1024;

		while (cap < ds->len + n)
			cap *= 2;
		ds->buf = mx_xrealloc(ds->buf, cap);
		ds->cap = cap;
	}
	memcpy(ds->buf + ds->len, p, n);
	ds->len += n;
	/* RFC 1035 §4.2.2: each message after its two-byte length. */
	while (ds->len - off >= 2) {
		size_t mlen = get_be16(ds->buf + off);

		if (ds->len - off < 2 + mlen)
			break;
		handle(s, ds->buf + off + 2, mlen, NULL, ds);
		off += 2 + mlen;
		if (ds->dead)
			break;
	}
	memmove(ds->buf, ds->buf + off, ds->len - off);
	ds->len -= off;
}

static void
tcp_eof(void *ctx, struct tcp_conn *c)
{
	struct dsess *ds = ctx;

	(void)ds;
	/* The client is done: close our side too. */
	tcp_close(c);
}

static void
tcp_closed(void *ctx, struct tcp_conn *c, enum tcp_end why, int code)
{
	(void)c;
	(void)why;
	(void)code;
	dsess_end(ctx);
}

static const struct tcp_cb dsess_cb = {
    .connected = NULL,
    .data = tcp_data,
    .eof = tcp_eof,
    .closed = tcp_closed,
};

static bool
tcp_accept(
    void *ctx, struct tcp_conn *c, const struct tcp_cb **cb, void **cbctx)
{
	struct dnssrv *s = ctx;
	struct dsess *ds = mx_xcalloc(1, sizeof(*ds));

	ds->s = s;
	ds->c = c;
	ds->next = s->sessions;
	s->sessions = ds;
	*cb = &dsess_cb;
	*cbctx = ds;
	return true;
}

/* --- lifecycle -------------------------------------------------------------
 */

struct dnssrv *
dnssrv_new(struct net_host *h, struct zone *const *zones, size_t nzones,
    struct recursor *rec)
{
	struct dnssrv *s = mx_xcalloc(1, sizeof(*s));

	s->host = h;
	s->rec = rec;
	s->zones = zones;
	s->nzones = nzones;
	if (udp_bind(h, 53, on_query, NULL, s) == 0) {
		/* Port 53 is another's: leave its binding alone. */
		free(s);
		return NULL;
	}
	if (tcp_listen(h, 53, tcp_accept, s) != 0) {
		udp_unbind(h, 53);
		free(s);
		return NULL;
	}
	return s;
}

void
dnssrv_free(struct dnssrv *s)
{
	struct dsess *ds;
	struct held *hd;

	if (s == NULL)
		return;
	/* The recursion engine is freed first by the owner; its jobs hold
	 * pointers to our pending entries, which go here. */
	udp_unbind(s->host, 53);
	while ((ds = s->sessions) != NULL) {
		s->sessions = ds->next;
		dsess_free(ds);
	}
	while ((hd = s->held) != NULL) {
		s->held = hd->next;
		free(hd->msg);
		free(hd);
	}
	while (s->pending != NULL) {
		struct pending *pd = s->pending;

		s->pending = pd->next;
		free(pd);
	}
	free(s);
}

size_t
dnssrv_queries(const struct dnssrv *s)
{
	return s->queries;
}

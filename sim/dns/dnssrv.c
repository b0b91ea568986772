/*
 * dnssrv.c - an authoritative server answering from its zones.
 *
 * For each datagram on port 53: decode (a message that does not decode is
 * dropped, or answered FORMERR when at least its header is there), pick the
 * served zone that is the closest enclosing one of the question, and answer
 * from it with AA set; a name in none of our zones gets REFUSED, as an
 * authoritative-only server does.  RD is copied, RA stays clear (RFC 1035
 * §4.1.1): this server does not recurse.  A query with an EDNS0 OPT gets an
 * OPT back advertising 1232 bytes (RFC 6891 §7; the DNS flag day 2020
 * value).
 *
 * DNS-layer outages change the answer: 'servfail', 'refused' and
 * 'nxdomain' replace it with that RCODE (NXDOMAIN with the zone's SOA).
 */
#include "dnssrv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/bytes.h"
#include "../core/sim.h"
#include "../net/udp.h"

struct dnssrv {
	struct net_host *host;     /* borrowed */
	struct zone *const *zones; /* borrowed zones served */
	size_t nzones;             /* their number */
	struct dns_msg q;          /* scratch: the query */
	struct dns_msg r;          /* scratch: the response */
	size_t queries;            /* queries answered */
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

static void
trace_answer(struct dnssrv *s, const struct udp_from *from,
    const struct dns_msg *r, const char *why)
{
	struct sim *sim = s->host->net->sim;
	struct trace_rec rec;
	char peer[NET_ADDR_STRLEN], tb[DNS_TYPE_STRLEN];

	if (!trace_on(sim_trace(sim)))
		return;
	net_addr_str(&from->src, peer, sizeof(peer));
	trace_rec_init(
	    &rec, sim_now(sim), s->host->name, "dns.answer", TRACE_DETAIL);
	trace_add_str(&rec, "qname", r->q[0].name);
	trace_add_str(
	    &rec, "qtype", dns_type_name(r->q[0].qtype, tb, sizeof(tb)));
	trace_add_str(&rec, "client", peer);
	trace_add_int(&rec, "id", r->id);
	trace_add_str(&rec, "rcode", dns_rcode_name(r->rcode));
	trace_add_int(&rec, "answers", (int64_t)r->nan);
	if (why != NULL)
		trace_add_str(&rec, "outage", why);
	trace_text(&rec, "answers %s? %s from %s: %s, %zu answer%s%s%s",
	    dns_type_name(r->q[0].qtype, tb, sizeof(tb)), r->q[0].name, peer,
	    dns_rcode_name(r->rcode), r->nan, r->nan == 1 ? "" : "s",
	    why ? " (outage: " : "", why ? why : "");
	if (why != NULL)
		snprintf(rec.text + strlen(rec.text),
		    sizeof(rec.text) - strlen(rec.text), ")");
	trace_emit(sim_trace(sim), &rec);
}

static void
on_query(void *ctx, struct net_host *h, const struct udp_from *from,
    const uint8_t *data, size_t len)
{
	struct dnssrv *s = ctx;
	struct dns_msg *q = &s->q, *r = &s->r;
	const struct fault *f;
	const struct zone *z;
	uint8_t out[4096];
	size_t n, i, limit = 512;
	bool edns = false;

	if (!dns_msg_decode(data, len, q)) {
		/* RFC 1035 §4.1.1: FORMERR when we can read the ID. */
		if (len < 12 || (data[2] & 0x80))
			return;
		memset(out, 0, 12);
		memcpy(out, data, 2);
		out[2] = (uint8_t)(0x80 | (data[2] & 0x79));
		out[3] = DNS_R_FORMERR;
		udp_send(h, &from->dst, from->dport, &from->src, from->sport,
		    out, 12);
		return;
	}
	if (q->qr || q->nq != 1 || q->opcode != 0)
		return;
	s->queries++;
	dns_msg_init(r);
	r->id = q->id;
	r->qr = true;
	r->rd = q->rd;
	r->nq = 1;
	r->q[0] = q->q[0];
	for (i = 0; i < q->nar; i++)
		if (q->ar[i].type == DNS_T_OPT) {
			edns = true;
			limit = q->ar[i].rclass < 512 ? 512 : q->ar[i].rclass;
		}
	z = zone_for(s, q->q[0].name);
	f = fault_dns(&h->faults, sim_now(h->net->sim));
	if (f != NULL && f->kind == FAULT_SERVFAIL)
		r->rcode = DNS_R_SERVFAIL;
	else if (f != NULL && f->kind == FAULT_REFUSED)
		r->rcode = DNS_R_REFUSED;
	else if (z == NULL)
		r->rcode = DNS_R_REFUSED;
	else if (f != NULL && f->kind == FAULT_NXDOMAIN) {
		struct dns_rr soa;

		r->aa = true;
		r->rcode = DNS_R_NXDOMAIN;
		if (z->soa != NULL) {
			soa = *z->soa;
			soa.ttl = zone_negative_ttl(z);
			r->ns[r->nns++] = soa;
		}
	} else
		zone_answer(z, q->q[0].name, q->q[0].qtype, r);
	if (edns && r->nar < DNS_SECTION_MAX) {
		struct dns_rr *opt = &r->ar[r->nar++];

		memset(opt, 0, sizeof(*opt));
		opt->type = DNS_T_OPT;
		opt->rclass = 1232;
	}
	n = dns_msg_encode(r, out, sizeof(out));
	if (n > limit) {
		/* Too big for the client: drop the additional section first,
		 * then set TC (RFC 2181 §9). */
		if (edns) {
			r->ar[0] = r->ar[r->nar - 1];
			r->nar = 1;
		} else
			r->nar = 0;
		n = dns_msg_encode(r, out, sizeof(out));
		if (n > limit) {
			r->nan = r->nns = 0;
			r->tc = true;
			n = dns_msg_encode(r, out, sizeof(out));
		}
	}
	if (n == 0)
		return;
	trace_answer(s, from, r, f ? fault_kind_name(f->kind) : NULL);
	if (f != NULL && h->net->ntaps > 0) {
		char note[160];

		snprintf(note, sizeof(note), "%s answers %s: outage %d (%s)",
		    h->name, dns_rcode_name(r->rcode), f->index,
		    fault_kind_name(f->kind));
		net_note_next(h, note);
		udp_send(h, &from->dst, from->dport, &from->src, from->sport,
		    out, n);
		return;
	}
	udp_send(h, &from->dst, from->dport, &from->src, from->sport, out, n);
}

struct dnssrv *
dnssrv_new(struct net_host *h, struct zone *const *zones, size_t nzones)
{
	struct dnssrv *s = mx_xcalloc(1, sizeof(*s));

	s->host = h;
	s->zones = zones;
	s->nzones = nzones;
	if (udp_bind(h, 53, on_query, NULL, s) == 0) {
		free(s);
		return NULL;
	}
	return s;
}

void
dnssrv_free(struct dnssrv *s)
{
	if (s == NULL)
		return;
	udp_unbind(s->host, 53);
	free(s);
}

size_t
dnssrv_queries(const struct dnssrv *s)
{
	return s->queries;
}

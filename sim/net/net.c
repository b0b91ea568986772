/*
 * net.c - hosts, frames and their delivery on the shared segment.
 *
 * Sending (net_ip_send): the transport has written its header and payload
 * at p->data; we prepend an IPv4 header (RFC 791: version 4, IHL 5, DF set,
 * identification 0 as RFC 6864 allows for atomic datagrams, TTL 64, header
 * checksum) or an IPv6 header (RFC 8200, hop limit 64), then an Ethernet II
 * header (destination MAC of the host owning the destination address, or
 * of the segment's gateway when nobody does), and put the frame on the
 * wire: every tap sees it now, and the destination host receives the very
 * same bytes 'latency' later.
 *
 * The fate of a frame is decided when it is sent, against the destination's
 * outage schedule at the arrival instant, so that a tap can say why a frame
 * will vanish.  A host that is itself down sends nothing at all.
 *
 * Receiving (deliver): Ethernet, then IP with its checksum and lengths,
 * then the outage check ('refuse' answers instead of the application),
 * then the transport.  Anything malformed is dropped, as a kernel would.
 */
#include "net.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/bytes.h"
#include "../core/dur.h"
#include "../core/err.h"
#include "../core/sim.h"
#include "cksum.h"
#include "tcp.h"
#include "udp.h"

/* The MAC that frames for addresses nobody on the segment owns go to: the
 * segment's default gateway. */
static const uint8_t gateway_mac[6] = {0x02, 0x00, 0x00, 0x00, 0xff, 0xfe};

void
net_init(struct net *net, struct sim *sim, sim_time_t latency)
{
	memset(net, 0, sizeof(*net));
	net->sim = sim;
	net->latency = latency;
}

void
net_fini(struct net *net)
{
	size_t i;
	struct net_pkt *p;

	for (i = 0; i < net->nhosts; i++) {
		struct net_host *h = net->hosts[i];

		tcp_stack_fini(h);
		udp_fini(h);
		free(h);
	}
	free(net->hosts);
	/* Frames still in flight belong to pending events that will never
	 * run: free every packet ever allocated, not just the free ones. */
	while ((p = net->all_pkts) != NULL) {
		net->all_pkts = p->all;
		free(p);
	}
	memset(net, 0, sizeof(*net));
}

struct net_host *
net_host_add(struct net *net, const char *name)
{
	struct net_host *h = mx_xcalloc(1, sizeof(*h));
	void *a = net->hosts;

	mx_grow(&a, &net->caphosts, net->nhosts + 1, sizeof(*net->hosts));
	net->hosts = a;
	h->net = net;
	h->id = (uint32_t)net->nhosts;
	h->name = name;
	/* 02:... is a locally administered unicast address (IEEE 802). */
	h->mac[0] = 0x02;
	h->mac[3] = (uint8_t)((h->id + 1) >> 16);
	h->mac[4] = (uint8_t)((h->id + 1) >> 8);
	h->mac[5] = (uint8_t)(h->id + 1);
	sim_rng(net->sim, &h->rng, "host/%s", name);
	/* Linux ip_local_port_range: 32768-60999; start somewhere in it. */
	h->next_port =
	    (uint16_t)(32768 + rng_below(&h->rng, 60999 - 32768 + 1));
	net->hosts[net->nhosts++] = h;
	tcp_stack_init(h, NULL);
	return h;
}

int
net_host_addr_add(struct net_host *h, const struct net_addr *a)
{
	if (h->naddr == NET_MAX_ADDRS)
		return MX_ELIMIT;
	h->addr[h->naddr++] = *a;
	return 0;
}

void
net_host_set_faults(struct net_host *h, const struct fault *v, size_t n)
{
	h->faults.v = v;
	h->faults.n = n;
}

struct net_host *
net_host_by_addr(const struct net *net, const struct net_addr *a)
{
	size_t i, j;

	for (i = 0; i < net->nhosts; i++) {
		struct net_host *h = net->hosts[i];

		for (j = 0; j < h->naddr; j++)
			if (net_addr_eq(&h->addr[j], a))
				return h;
	}
	return NULL;
}

const struct net_addr *
net_host_addr_of(const struct net_host *h, uint8_t family)
{
	size_t i;

	for (i = 0; i < h->naddr; i++)
		if (h->addr[i].family == family)
			return &h->addr[i];
	return NULL;
}

uint16_t
net_host_port(struct net_host *h)
{
	uint16_t p = h->next_port;

	h->next_port = (uint16_t)(p >= 60999 ? 32768 : p + 1);
	return p;
}

int
net_tap_add(struct net *net, net_tap_fn *fn, void *ctx)
{
	if (net->ntaps == NET_MAX_TAPS)
		return MX_ELIMIT;
	net->taps[net->ntaps].fn = fn;
	net->taps[net->ntaps].ctx = ctx;
	net->ntaps++;
	return 0;
}

struct net_pkt *
net_pkt_get(struct net *net)
{
	struct net_pkt *p = net->free_pkts;

	if (p != NULL)
		net->free_pkts = p->next;
	else {
		p = mx_xmalloc(sizeof(*p));
		p->all = net->all_pkts;
		net->all_pkts = p;
		net->npkts++;
	}
	p->next = NULL;
	p->to = NULL;
	p->data = p->buf + NET_HEADROOM;
	p->len = 0;
	return p;
}

void
net_pkt_put(struct net *net, struct net_pkt *p)
{
	p->next = net->free_pkts;
	net->free_pkts = p;
}

enum fault_service
net_port_service(uint16_t port)
{
	if (port == 25)
		return FAULT_SVC_SMTP;
	if (port == 53)
		return FAULT_SVC_DNS;
	return FAULT_SVC_ANY;
}

/* The service a transport segment belongs to: either port may name it. */
static enum fault_service
l4_service(uint8_t proto, const uint8_t *l4, size_t len)
{
	enum fault_service s;

	if ((proto != IPPROTO_TCP_ && proto != IPPROTO_UDP_) || len < 4)
		return FAULT_SVC_ANY;
	s = net_port_service(get_be16(l4 + 2));
	if (s == FAULT_SVC_ANY)
		s = net_port_service(get_be16(l4));
	return s;
}

static void deliver(struct sim *sim, void *arg);

/* One line on why a frame will vanish, for annotating taps. */
static const char *
drop_note(struct net *net, const struct net_host *to, const struct fault *f,
    char *buf, size_t len)
{
	char a[32], b[32];

	(void)net;
	if (f->to == SIM_NEVER)
		snprintf(buf, len,
		    "%s is %s (outage %d, from %s): frame dropped", to->name,
		    fault_kind_name(f->kind), f->index,
		    dur_format(f->from, a, sizeof(a)));
	else
		snprintf(buf, len, "%s is %s (outage %d, %s-%s): frame dropped",
		    to->name, fault_kind_name(f->kind), f->index,
		    dur_format(f->from, a, sizeof(a)),
		    dur_format(f->to, b, sizeof(b)));
	return buf;
}

void
net_ip_send(struct net_host *h, const struct net_addr *src,
    const struct net_addr *dst, uint8_t proto, struct net_pkt *p)
{
	struct net *net = h->net;
	struct sim *sim = net->sim;
	sim_time_t now = sim_now(sim), arrive = now + net->latency;
	const uint8_t *l4 = p->data;
	size_t l4len = p->len;
	enum fault_service svc = l4_service(proto, l4, l4len);
	const struct fault *f;
	struct net_host *to;
	struct net_note note;
	char notebuf[160];
	uint8_t *ip, *eth;
	size_t i;

	assert(src->family == dst->family);
	/* A host that is down sends nothing. */
	f = fault_net(&h->faults, svc, now);
	if (f != NULL && f->kind == FAULT_DOWN) {
		net->note = NULL;
		net_pkt_put(net, p);
		return;
	}
	if (dst->family == NET_AF_INET) {
		p->data -= 20;
		p->len += 20;
		ip = p->data;
		ip[0] = 0x45;
		ip[1] = 0;
		put_be16(ip + 2, (uint16_t)p->len);
		put_be16(ip + 4, 0);
		put_be16(ip + 6, 0x4000); /* DF */
		ip[8] = 64;
		ip[9] = proto;
		put_be16(ip + 10, 0);
		memcpy(ip + 12, src->b, 4);
		memcpy(ip + 16, dst->b, 4);
		put_be16(ip + 10, cksum_finish(cksum_add(0, ip, 20)));
	} else {
		p->data -= 40;
		ip = p->data;
		ip[0] = 0x60;
		ip[1] = ip[2] = ip[3] = 0;
		put_be16(ip + 4, (uint16_t)p->len);
		ip[6] = proto == IPPROTO_ICMP_ ? 58 : proto;
		ip[7] = 64;
		memcpy(ip + 8, src->b, 16);
		memcpy(ip + 24, dst->b, 16);
		p->len += 40;
	}
	to = net_host_by_addr(net, dst);
	p->data -= 14;
	p->len += 14;
	eth = p->data;
	memcpy(eth, to != NULL ? to->mac : gateway_mac, 6);
	memcpy(eth + 6, h->mac, 6);
	put_be16(eth + 12, dst->family == NET_AF_INET ? 0x0800 : 0x86dd);
	assert(p->len <= NET_FRAME_MAX);

	note.text = net->note;
	net->note = NULL;
	p->to = NULL;
	if (to != NULL) {
		f = fault_net(&to->faults, svc, arrive);
		if (f != NULL && f->kind == FAULT_DOWN) {
			if (note.text == NULL && net->ntaps > 0)
				note.text = drop_note(
				    net, to, f, notebuf, sizeof(notebuf));
		} else
			p->to = to;
	}
	net->frames++;
	for (i = 0; i < net->ntaps; i++)
		net->taps[i].fn(net->taps[i].ctx, now, p->data, p->len, &note);
	if (p->to != NULL)
		sim_at(sim, arrive, deliver, p);
	else
		net_pkt_put(net, p);
}

static bool
host_owns(const struct net_host *h, const struct net_addr *a)
{
	size_t i;

	for (i = 0; i < h->naddr; i++)
		if (net_addr_eq(&h->addr[i], a))
			return true;
	return false;
}

/* Parses the IP header at 'ip'; fills 'rx'; false when malformed. */
static bool
parse_ip(struct net_host *h, const uint8_t *ip, size_t len, uint16_t etype,
    struct net_rx *rx)
{
	memset(rx, 0, sizeof(*rx));
	rx->host = h;
	if (etype == 0x0800) {
		size_t ihl, tot;

		if (len < 20 || (ip[0] >> 4) != 4)
			return false;
		ihl = (size_t)(ip[0] & 0x0f) * 4;
		tot = get_be16(ip + 2);
		if (ihl < 20 || tot < ihl || tot > len)
			return false;
		if (cksum_finish(cksum_add(0, ip, ihl)) != 0)
			return false;
		rx->src.family = rx->dst.family = NET_AF_INET;
		memcpy(rx->src.b, ip + 12, 4);
		memcpy(rx->dst.b, ip + 16, 4);
		rx->proto = ip[9];
		rx->ip = ip;
		rx->iplen = tot;
		rx->l4 = ip + ihl;
		rx->l4len = tot - ihl;
		return true;
	}
	if (etype == 0x86dd) {
		size_t plen;

		if (len < 40 || (ip[0] >> 4) != 6)
			return false;
		plen = get_be16(ip + 4);
		if (40 + plen > len)
			return false;
		rx->src.family = rx->dst.family = NET_AF_INET6;
		memcpy(rx->src.b, ip + 8, 16);
		memcpy(rx->dst.b, ip + 24, 16);
		rx->proto = ip[6] == 58 ? IPPROTO_ICMP_ : ip[6];
		rx->ip = ip;
		rx->iplen = 40 + plen;
		rx->l4 = ip + 40;
		rx->l4len = plen;
		return true;
	}
	return false;
}

/* ICMP input: errors are passed to the transport that sent the quoted
 * packet; everything else is ignored (we never send echo requests). */
static void
icmp_input(const struct net_rx *rx)
{
	const uint8_t *q;
	size_t qlen, qihl;
	struct net_addr qdst;
	uint8_t qproto;
	uint8_t type, code;

	if (rx->l4len < 8)
		return;
	/* A valid checksum sums, with itself, to zero after complementing;
	 * ICMPv6 includes the pseudo-header (RFC 4443 §2.3). */
	if (rx->src.family == NET_AF_INET
	        ? cksum_finish(cksum_add(0, rx->l4, rx->l4len)) != 0
	        : cksum_l4(&rx->src, &rx->dst, 58, rx->l4, rx->l4len) != 0)
		return;
	type = rx->l4[0];
	code = rx->l4[1];
	q = rx->l4 + 8;
	qlen = rx->l4len - 8;
	memset(&qdst, 0, sizeof(qdst));
	if (rx->src.family == NET_AF_INET) {
		if (type != 3 || qlen < 28)
			return;
		qihl = (size_t)(q[0] & 0x0f) * 4;
		if (qihl < 20 || qlen < qihl + 8)
			return;
		qproto = q[9];
		qdst.family = NET_AF_INET;
		memcpy(qdst.b, q + 16, 4);
	} else {
		if (type != 1 || qlen < 48)
			return;
		qihl = 40;
		qproto = q[6];
		qdst.family = NET_AF_INET6;
		memcpy(qdst.b, q + 24, 16);
	}
	if (qproto == IPPROTO_UDP_)
		udp_icmp_error(rx->host, type, code, &qdst, get_be16(q + qihl),
		    get_be16(q + qihl + 2));
	else if (qproto == IPPROTO_TCP_)
		tcp_icmp_error(rx->host, type, code, &qdst, get_be16(q + qihl),
		    get_be16(q + qihl + 2), get_be32(q + qihl + 4));
}

static void
deliver(struct sim *sim, void *arg)
{
	struct net_pkt *p = arg;
	struct net_host *h = p->to;
	struct net *net = h->net;
	const uint8_t *f = p->data;
	const struct fault *fl;
	struct net_rx rx;

	(void)sim;
	if (p->len < 14 || memcmp(f, h->mac, 6) != 0)
		goto done;
	if (!parse_ip(h, f + 14, p->len - 14, get_be16(f + 12), &rx))
		goto done;
	if (!host_owns(h, &rx.dst))
		goto done;
	fl = fault_net(&h->faults, l4_service(rx.proto, rx.l4, rx.l4len),
	    sim_now(net->sim));
	if (fl != NULL && fl->kind == FAULT_DOWN)
		goto done;
	if (fl != NULL && fl->kind == FAULT_REFUSE &&
	    rx.proto != IPPROTO_ICMP_) {
		/* RFC 9293 §3.10.7.1 / RFC 792: as if nothing listened. */
		if (rx.proto == IPPROTO_TCP_)
			tcp_reject(&rx);
		else if (rx.proto == IPPROTO_UDP_)
			net_icmp_unreach(
			    h, &rx, rx.src.family == NET_AF_INET ? 3 : 4);
		goto done;
	}
	switch (rx.proto) {
	case IPPROTO_UDP_:
		udp_input(&rx);
		break;
	case IPPROTO_TCP_:
		tcp_input(&rx);
		break;
	case IPPROTO_ICMP_:
		icmp_input(&rx);
		break;
	default:
		break;
	}
done:
	net_pkt_put(net, p);
}

void
net_icmp_unreach(struct net_host *h, const struct net_rx *rx, uint8_t code)
{
	struct net_pkt *p = net_pkt_get(h->net);
	uint8_t *m = p->data;
	size_t q;

	if (rx->src.family == NET_AF_INET) {
		/* RFC 792: the original IP header + 64 bits of its data. */
		q = (size_t)(rx->ip[0] & 0x0f) * 4 + 8;
		if (q > rx->iplen)
			q = rx->iplen;
		m[0] = 3;
	} else {
		/* RFC 4443 §3.1: as much as fits in the minimum MTU. */
		q = rx->iplen;
		if (q > 1280 - 40 - 8)
			q = 1280 - 40 - 8;
		m[0] = 1;
	}
	m[1] = code;
	put_be16(m + 2, 0);
	put_be32(m + 4, 0);
	memcpy(m + 8, rx->ip, q);
	p->len = 8 + q;
	if (rx->src.family == NET_AF_INET)
		put_be16(m + 2, cksum_finish(cksum_add(0, m, p->len)));
	else
		put_be16(m + 2, cksum_l4(&rx->dst, &rx->src, 58, m, p->len));
	net_ip_send(h, &rx->dst, &rx->src, IPPROTO_ICMP_, p);
}

/*
 * net.c - nodes, links, routes, and the journey of a frame.
 *
 * A packet's life:
 *
 *   net_ip_send()   the origin adds the IP header (RFC 791: version 4, IHL
 *                   5, DF, identification 0 as RFC 6864 allows for atomic
 *                   datagrams, TTL 64, header checksum; RFC 8200: hop
 *                   limit 64), picks the out interface from its routes,
 *                   frames it (Ethernet II), and shows it to the taps.
 *   link_send()     the link decides whether the frame survives (a link
 *                   outage, a loss draw) and when it arrives: after the
 *                   transmitter is free, the serialisation time at the
 *                   link's bandwidth, the latency and a jitter draw, and
 *                   never before the previous frame of that direction
 *                   (links keep order).
 *   forward()       a router checks the IP header, decrements the TTL
 *                   (RFC 1812 §5.3.1; the IPv4 checksum is recomputed),
 *                   answers for a host in an 'unreachable' or 'filtered'
 *                   outage when it is the last hop (RFC 1812 §4.3.2), and
 *                   re-frames the packet on the next link.
 *   receive()       the destination host shows the frame to its taps,
 *                   parses it again, applies its 'down' and 'refuse'
 *                   outages, and hands it to UDP, TCP or ICMP.
 *
 * Every drop and every outage that changes a packet's fate is a note on
 * the packet ("mx1 is down (outage 0, 0s-20m): frame dropped"), and taps
 * hear when the fate is settled, so an annotating capture can write each
 * frame with the whole story.  Notes are formatted only when a tap exists.
 *
 * Routes: a breadth-first search from every node, through routers only
 * (hosts never forward), gives each node the interface towards every
 * other node; ties go to the interface added first, so routes depend only
 * on the order the topology was declared in.
 */
#include "net.h"

#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
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

struct net_addr_slot {
	struct net_addr a; /* key; family 0 = empty */
	uint32_t node;     /* owning node's id */
};

void
net_init(struct net *net, struct sim *sim)
{
	memset(net, 0, sizeof(*net));
	net->sim = sim;
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
		free(h->route);
		free(h);
	}
	free(net->hosts);
	for (i = 0; i < net->nlinks; i++)
		free(net->links[i]);
	free(net->links);
	/* Frames still in flight belong to pending events that will never
	 * run: free every packet ever allocated, not just the free ones. */
	while ((p = net->all_pkts) != NULL) {
		net->all_pkts = p->all;
		free(p);
	}
	free(net->addrs);
	memset(net, 0, sizeof(*net));
}

/* --- nodes and addresses ----------------------------------------------- */

static struct net_host *
node_add(struct net *net, const char *name, bool router)
{
	struct net_host *h = mx_xcalloc(1, sizeof(*h));
	void *a = net->hosts;

	mx_grow(&a, &net->caphosts, net->nhosts + 1, sizeof(*net->hosts));
	net->hosts = a;
	h->net = net;
	h->id = (uint32_t)net->nhosts;
	h->name = name;
	h->router = router;
	sim_rng(net->sim, &h->rng, "host/%s", name);
	/* Linux ip_local_port_range: 32768-60999; start somewhere in it. */
	h->next_port =
	    (uint16_t)(32768 + rng_below(&h->rng, 60999 - 32768 + 1));
	net->hosts[net->nhosts++] = h;
	if (!router)
		tcp_stack_init(h, NULL);
	return h;
}

struct net_host *
net_host_add(struct net *net, const char *name)
{
	return node_add(net, name, false);
}

struct net_host *
net_router_add(struct net *net, const char *name)
{
	return node_add(net, name, true);
}

static size_t
addr_hash(const struct net_addr *a)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ a->family;
	size_t i, n = net_addr_len(a);

	for (i = 0; i < n; i++)
		h = (h ^ a->b[i]) * 0x100000001b3ULL;
	return (size_t)(h ^ (h >> 31));
}

static void
addr_insert(struct net *net, const struct net_addr *a, uint32_t node)
{
	size_t i;

	if ((net->naddrs + 1) * 2 > net->capaddrs) {
		size_t ncap = net->capaddrs ? net->capaddrs * 2 : 64, j;
		struct net_addr_slot *old = net->addrs;
		size_t ocap = net->capaddrs;

		net->addrs = mx_xcalloc(ncap, sizeof(*net->addrs));
		net->capaddrs = ncap;
		net->naddrs = 0;
		for (j = 0; j < ocap; j++)
			if (old[j].a.family != 0)
				addr_insert(net, &old[j].a, old[j].node);
		free(old);
	}
	i = addr_hash(a) & (net->capaddrs - 1);
	while (net->addrs[i].a.family != 0) {
		if (net_addr_eq(&net->addrs[i].a, a))
			return; /* the first owner keeps it */
		i = (i + 1) & (net->capaddrs - 1);
	}
	net->addrs[i].a = *a;
	net->addrs[i].node = node;
	net->naddrs++;
}

int
net_host_addr_add(struct net_host *h, const struct net_addr *a)
{
	if (h->naddr == NET_MAX_ADDRS)
		return MX_ELIMIT;
	h->addr[h->naddr++] = *a;
	addr_insert(h->net, a, h->id);
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
	size_t i;

	if (net->capaddrs == 0)
		return NULL;
	i = addr_hash(a) & (net->capaddrs - 1);
	while (net->addrs[i].a.family != 0) {
		if (net_addr_eq(&net->addrs[i].a, a))
			return net->hosts[net->addrs[i].node];
		i = (i + 1) & (net->capaddrs - 1);
	}
	return NULL;
}

struct net_host *
net_host_by_name(const struct net *net, const char *name)
{
	size_t i;

	for (i = 0; i < net->nhosts; i++)
		if (strcmp(net->hosts[i]->name, name) == 0)
			return net->hosts[i];
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

/* --- links and routes ------------------------------------------------------
 */

static void
if_init(struct net_if *ifp, struct net_host *h, struct net_link *l, int side)
{
	ifp->node = h;
	ifp->link = l;
	ifp->side = side;
	ifp->index = (uint8_t)h->nifs;
	/* 02:... is a locally administered unicast address (IEEE 802); the
	 * node's number and the interface's make it unique and readable. */
	ifp->mac[0] = 0x02;
	ifp->mac[1] = 0x00;
	ifp->mac[2] = (uint8_t)(h->id >> 8);
	ifp->mac[3] = (uint8_t)h->id;
	ifp->mac[4] = 0x00;
	ifp->mac[5] = (uint8_t)(ifp->index + 1);
}

struct net_link *
net_link_add(struct net *net, struct net_host *a, struct net_host *b,
    const struct net_link_params *p)
{
	struct net_link *l;
	void *arr = net->links;

	if (a->nifs == NET_MAX_IFS || b->nifs == NET_MAX_IFS || a == b)
		return NULL;
	l = mx_xcalloc(1, sizeof(*l));
	mx_grow(&arr, &net->caplinks, net->nlinks + 1, sizeof(*net->links));
	net->links = arr;
	l->net = net;
	l->id = (uint32_t)net->nlinks;
	snprintf(l->name, sizeof(l->name), "%s-%s", a->name, b->name);
	l->p = *p;
	if_init(&a->ifs[a->nifs], a, l, 0);
	l->end[0] = &a->ifs[a->nifs++];
	if_init(&b->ifs[b->nifs], b, l, 1);
	l->end[1] = &b->ifs[b->nifs++];
	sim_rng(net->sim, &l->dir[0].rng, "link/%s/0", l->name);
	sim_rng(net->sim, &l->dir[1].rng, "link/%s/1", l->name);
	net->links[net->nlinks++] = l;
	return l;
}

void
net_link_set_faults(struct net_link *l, const struct fault *v, size_t n)
{
	l->faults.v = v;
	l->faults.n = n;
}

static struct net_if *
peer_if(const struct net_if *ifp)
{
	return ifp->link->end[1 - ifp->side];
}

size_t
net_finalize(struct net *net)
{
	size_t n = net->nhosts, d, i, missing = 0;
	uint32_t *queue = mx_xcalloc(n + 1, sizeof(*queue));

	for (i = 0; i < n; i++) {
		free(net->hosts[i]->route);
		net->hosts[i]->route =
		    mx_xcalloc(n, sizeof(*net->hosts[i]->route));
	}
	/* From each destination outwards: the first time a node is reached,
	 * the interface it was reached through leads back to 'd'. */
	for (d = 0; d < n; d++) {
		size_t head = 0, tail = 0;
		bool *seen = mx_xcalloc(n, sizeof(*seen));

		seen[d] = true;
		queue[tail++] = (uint32_t)d;
		while (head < tail) {
			struct net_host *u = net->hosts[queue[head++]];
			size_t k;

			if (u->id != d && !u->router)
				continue; /* hosts never forward */
			for (k = 0; k < u->nifs; k++) {
				struct net_if *pi = peer_if(&u->ifs[k]);
				struct net_host *v = pi->node;

				if (seen[v->id])
					continue;
				seen[v->id] = true;
				v->route[d] = (uint16_t)(pi->index + 1);
				queue[tail++] = v->id;
			}
		}
		for (i = 0; i < n; i++)
			if (i != d && !seen[i] && !net->hosts[i]->router &&
			    !net->hosts[d]->router)
				missing++;
		free(seen);
	}
	free(queue);
	net->routed = true;
	return missing;
}

/* --- taps and notes ------------------------------------------------------ */

int
net_tap_add(struct net *net, struct net_host *at, const struct net_tap_ops *ops,
    void *ctx)
{
	if (net->ntaps == NET_MAX_TAPS)
		return MX_ELIMIT;
	net->taps[net->ntaps].ops = ops;
	net->taps[net->ntaps].ctx = ctx;
	net->taps[net->ntaps].at = at;
	net->ntaps++;
	if (ops->note != NULL)
		net->want_notes = true;
	return 0;
}

static void
note_append(struct net_pkt *p, const char *text)
{
	size_t n = strlen(text);

	if (n == 0)
		return;
	if (p->nlen + n + 2 > sizeof(p->notes))
		n = sizeof(p->notes) > p->nlen + 2
		        ? sizeof(p->notes) - p->nlen - 2
		        : 0;
	if (n == 0)
		return;
	if (p->nlen > 0)
		p->notes[p->nlen++] = '\n';
	memcpy(p->notes + p->nlen, text, n);
	p->nlen += n;
	p->notes[p->nlen] = '\0';
}

void
net_pkt_note(struct net *net, struct net_pkt *p, const char *fmt, ...)
{
	char text[256];
	va_list ap;
	size_t i;

	if (net->ntaps == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	note_append(p, text);
	for (i = 0; i < net->ntaps; i++)
		if (p->ticket[i] != 0 && net->taps[i].ops->note != NULL)
			net->taps[i].ops->note(
			    net->taps[i].ctx, p->ticket[i], text);
}

/* The packet's fate is settled: no more notes will come. */
static void
pkt_done(struct net *net, struct net_pkt *p)
{
	size_t i;

	for (i = 0; i < net->ntaps; i++)
		if (p->ticket[i] != 0 && net->taps[i].ops->done != NULL)
			net->taps[i].ops->done(net->taps[i].ctx, p->ticket[i]);
}

/* Shows the frame to the taps watching 'h' (and, at the origin, to the
 * whole-network taps). */
static void
tap_frame(struct net *net, struct net_pkt *p, struct net_if *ifp, bool origin,
    bool inbound)
{
	struct net_frame f;
	size_t i;

	f.t = sim_now(net->sim);
	f.data = p->data;
	f.len = p->len;
	f.pkt = p;
	f.ifp = ifp;
	f.inbound = inbound;
	for (i = 0; i < net->ntaps; i++) {
		struct net_tap *t = &net->taps[i];

		if (t->at == ifp->node || (t->at == NULL && origin))
			p->ticket[i] = t->ops->frame(t->ctx, &f);
	}
}

/* --- packets
 * ------------------------------------------------------------------ */

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
	p->id = 0;
	p->dst = NULL;
	p->via = NULL;
	p->data = p->buf + NET_HEADROOM;
	p->len = 0;
	memset(p->ticket, 0, sizeof(p->ticket));
	p->nlen = 0;
	p->notes[0] = '\0';
	return p;
}

void
net_pkt_put(struct net *net, struct net_pkt *p)
{
	p->next = net->free_pkts;
	net->free_pkts = p;
}

static void
pkt_drop(struct net *net, struct net_pkt *p)
{
	pkt_done(net, p);
	net_pkt_put(net, p);
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

/* "mx1 is down (outage 0, 0s-20m)" */
static const char *
outage_words(
    const struct net_host *h, const struct fault *f, char *buf, size_t len)
{
	char a[32], b[32];

	if (f->to == SIM_NEVER)
		snprintf(buf, len, "%s is %s (outage %d, from %s)", h->name,
		    fault_kind_name(f->kind), f->index,
		    dur_format(f->from, a, sizeof(a)));
	else
		snprintf(buf, len, "%s is %s (outage %d, %s-%s)", h->name,
		    fault_kind_name(f->kind), f->index,
		    dur_format(f->from, a, sizeof(a)),
		    dur_format(f->to, b, sizeof(b)));
	return buf;
}

/* --- the wire
 * ------------------------------------------------------------------ */

static void arrive(struct sim *sim, void *arg);

/* Puts the (IP) packet on the link of 'ifp', re-framed for this hop. */
static void
link_send(struct net_if *ifp, struct net_pkt *p, uint8_t family)
{
	struct net *net = ifp->node->net;
	struct net_link *l = ifp->link;
	struct net_link_dir *dir = &l->dir[ifp->side];
	struct net_if *to = peer_if(ifp);
	sim_time_t now = sim_now(net->sim), start, arrival;
	const struct fault *f;

	memcpy(p->data, to->mac, 6);
	memcpy(p->data + 6, ifp->mac, 6);
	f = fault_link(&l->faults, family, now);
	if (f != NULL && f->kind == FAULT_LINK_DOWN) {
		if (net->ntaps > 0)
			net_pkt_note(net, p,
			    "link %s is down (outage %d): frame lost", l->name,
			    f->index);
		pkt_drop(net, p);
		return;
	}
	if (f != NULL && f->kind == FAULT_LOSS &&
	    rng_unit(&dir->rng) < f->rate) {
		if (net->ntaps > 0)
			net_pkt_note(net, p,
			    "lost on link %s (outage %d: %g%% loss)", l->name,
			    f->index, f->rate * 100);
		pkt_drop(net, p);
		return;
	}
	if (l->p.loss > 0 && rng_unit(&dir->rng) < l->p.loss) {
		if (net->ntaps > 0)
			net_pkt_note(net, p, "lost on link %s (%g%% loss)",
			    l->name, l->p.loss * 100);
		pkt_drop(net, p);
		return;
	}
	start = now > dir->busy_until ? now : dir->busy_until;
	if (l->p.bandwidth > 0)
		start += (sim_time_t)(((uint64_t)p->len * 8 * 1000000000ULL +
		                          l->p.bandwidth - 1) /
		                      l->p.bandwidth);
	dir->busy_until = start;
	arrival = start + l->p.latency;
	if (l->p.jitter > 0)
		arrival +=
		    (sim_time_t)rng_below(&dir->rng, (uint64_t)l->p.jitter + 1);
	/* A link keeps the order of its frames: jitter delays, never
	 * overtakes. */
	if (arrival < dir->last_arrival)
		arrival = dir->last_arrival;
	dir->last_arrival = arrival;
	p->via = to;
	net->frames++;
	sim_at(net->sim, arrival, arrive, p);
}

/* The interface 'h' sends to 'dst' through, or NULL. */
static struct net_if *
route_to(struct net_host *h, const struct net_host *dst)
{
	uint16_t r;

	if (dst != NULL) {
		if (!h->net->routed || h->route == NULL)
			return NULL;
		r = h->route[dst->id];
		return r != 0 ? &h->ifs[r - 1] : NULL;
	}
	/* Nobody owns the address: a host sends it to its gateway (its only
	 * or first interface), where it will vanish. */
	return !h->router && h->nifs > 0 ? &h->ifs[0] : NULL;
}

void
net_ip_send(struct net_host *h, const struct net_addr *src,
    const struct net_addr *dst, uint8_t proto, struct net_pkt *p)
{
	struct net *net = h->net;
	sim_time_t now = sim_now(net->sim);
	const struct fault *f;
	struct net_if *ifp;
	uint8_t *ip;
	char who[160];

	assert(src->family == dst->family);
	/* A host that is down sends nothing. */
	f = fault_net(
	    &h->faults, l4_service(proto, p->data, p->len), dst->family, now);
	if (f != NULL && f->kind == FAULT_DOWN) {
		h->note_next = NULL;
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
	p->data -= 14;
	p->len += 14;
	put_be16(p->data + 12, dst->family == NET_AF_INET ? 0x0800 : 0x86dd);
	assert(p->len <= NET_FRAME_MAX);
	p->id = ++net->next_pkt;
	p->dst = net_host_by_addr(net, dst);
	ifp = route_to(h, p->dst);
	if (ifp == NULL) {
		/* No way out at all (a host without links): nothing is
		 * sent, as with "Network is unreachable". */
		h->note_next = NULL;
		net_pkt_put(net, p);
		return;
	}
	memcpy(p->data, peer_if(ifp)->mac, 6);
	memcpy(p->data + 6, ifp->mac, 6);
	if (net->ntaps > 0) {
		if (h->note_next != NULL)
			note_append(p, h->note_next);
		if (p->dst == NULL) {
			char a[NET_ADDR_STRLEN];

			snprintf(who, sizeof(who),
			    "no host has address %s: the frame will be lost",
			    net_addr_str(dst, a, sizeof(a)));
			note_append(p, who);
		}
		tap_frame(net, p, ifp, true, false);
	}
	h->note_next = NULL;
	link_send(ifp, p, dst->family);
}

/* --- routers
 * ------------------------------------------------------------------ */

/* A view of the IP packet in 'p' for ICMP quoting. */
static bool
ip_view(struct net_host *h, struct net_pkt *p, struct net_rx *rx)
{
	const uint8_t *ip = p->data + 14;
	size_t len = p->len - 14;

	memset(rx, 0, sizeof(*rx));
	rx->host = h;
	rx->pkt = p;
	if (get_be16(p->data + 12) == 0x0800) {
		size_t ihl = (size_t)(ip[0] & 0x0f) * 4, tot = get_be16(ip + 2);

		if (len < 20 || (ip[0] >> 4) != 4 || ihl < 20 || tot < ihl ||
		    tot > len || cksum_finish(cksum_add(0, ip, ihl)) != 0)
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
	if (get_be16(p->data + 12) == 0x86dd) {
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

static void
forward(struct net_host *r, struct net_pkt *p)
{
	struct net *net = r->net;
	struct net_rx rx;
	struct net_if *out;
	uint8_t *ip = p->data + 14;
	char w[200];

	if (!ip_view(r, p, &rx)) {
		pkt_drop(net, p);
		return;
	}
	/* RFC 1812 §5.3.1: a TTL that would reach zero is not forwarded
	 * (time exceeded is not modelled: every path here is short). */
	if ((rx.dst.family == NET_AF_INET ? ip[8] : ip[7]) <= 1) {
		if (net->ntaps > 0)
			net_pkt_note(net, p, "%s: TTL expired", r->name);
		pkt_drop(net, p);
		return;
	}
	out = route_to(r, p->dst);
	if (out == NULL) {
		if (net->ntaps > 0) {
			char a[NET_ADDR_STRLEN];

			net_pkt_note(net, p,
			    "%s has no route to %s: frame lost", r->name,
			    net_addr_str(&rx.dst, a, sizeof(a)));
		}
		pkt_drop(net, p);
		return;
	}
	/* The last router answers for a host that cannot be reached. */
	if (peer_if(out)->node == p->dst) {
		const struct fault *f = fault_net(&p->dst->faults,
		    l4_service(rx.proto, rx.l4, rx.l4len), rx.dst.family,
		    sim_now(net->sim));

		if (f != NULL && (f->kind == FAULT_UNREACHABLE ||
		                     f->kind == FAULT_FILTERED)) {
			bool unr = f->kind == FAULT_UNREACHABLE;

			if (net->ntaps > 0) {
				net_pkt_note(net, p, "%s: %s answers %s",
				    outage_words(p->dst, f, w, sizeof(w)),
				    r->name,
				    unr ? "host unreachable"
				        : "administratively prohibited");
			}
			/* RFC 792 codes 1 (host) and 13 (communication
			 * administratively prohibited, RFC 1812 §5.2.7.1). */
			net_icmp_unreach(r, &rx, unr ? 1 : 13);
			pkt_drop(net, p);
			return;
		}
	}
	if (rx.dst.family == NET_AF_INET) {
		ip[8]--;
		put_be16(ip + 10, 0);
		put_be16(ip + 10, cksum_finish(cksum_add(0, ip, 20)));
	} else
		ip[7]--;
	link_send(out, p, rx.dst.family);
}

/* --- hosts ------------------------------------------------------------------
 */

static bool
host_owns(const struct net_host *h, const struct net_addr *a)
{
	size_t i;

	for (i = 0; i < h->naddr; i++)
		if (net_addr_eq(&h->addr[i], a))
			return true;
	return false;
}

/* ICMP input: errors are passed to the transport that sent the quoted
 * packet; everything else is ignored (we never send echo requests). */
static void
icmp_input(const struct net_rx *rx)
{
	const uint8_t *q;
	size_t qlen, qihl;
	struct net_addr qsrc, qdst;
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
	memset(&qsrc, 0, sizeof(qsrc));
	memset(&qdst, 0, sizeof(qdst));
	if (rx->src.family == NET_AF_INET) {
		if (type != 3 || qlen < 28)
			return;
		qihl = (size_t)(q[0] & 0x0f) * 4;
		if (qihl < 20 || qlen < qihl + 8)
			return;
		qproto = q[9];
		qsrc.family = qdst.family = NET_AF_INET;
		memcpy(qsrc.b, q + 12, 4);
		memcpy(qdst.b, q + 16, 4);
	} else {
		if (type != 1 || qlen < 48)
			return;
		qihl = 40;
		qproto = q[6];
		qsrc.family = qdst.family = NET_AF_INET6;
		memcpy(qsrc.b, q + 8, 16);
		memcpy(qdst.b, q + 24, 16);
	}
	if (qproto == IPPROTO_UDP_)
		udp_icmp_error(rx->host, type, code, &qdst, get_be16(q + qihl),
		    get_be16(q + qihl + 2));
	else if (qproto == IPPROTO_TCP_)
		tcp_icmp_error(rx->host, type, code, &qsrc, &qdst,
		    get_be16(q + qihl), get_be16(q + qihl + 2),
		    get_be32(q + qihl + 4));
}

static void
receive(struct net_host *h, struct net_pkt *p)
{
	struct net *net = h->net;
	const struct fault *fl;
	struct net_rx rx;
	char w[200];

	if (net->ntaps > 0)
		tap_frame(net, p, p->via, false, true);
	if (p->len < 14 || memcmp(p->data, p->via->mac, 6) != 0 ||
	    !ip_view(h, p, &rx) || !host_owns(h, &rx.dst))
		goto done;
	fl = fault_net(&h->faults, l4_service(rx.proto, rx.l4, rx.l4len),
	    rx.dst.family, sim_now(net->sim));
	/* A DNS server that does not answer over TCP: its port 53 is
	 * silent for TCP, as behind a firewall that drops it. */
	if (fl == NULL && rx.proto == IPPROTO_TCP_ && rx.l4len >= 4 &&
	    get_be16(rx.l4 + 2) == 53) {
		const struct fault *fd =
		    fault_of_kind(&h->faults, FAULT_NOTCP, sim_now(net->sim));

		if (fd != NULL) {
			if (net->ntaps > 0)
				net_pkt_note(net, p,
				    "%s does not answer DNS over TCP (outage "
				    "%d): frame dropped",
				    h->name, fd->index);
			goto done;
		}
	}
	/* 'unreachable' and 'filtered' are the last router's business; a
	 * host reached without a router (a direct link) behaves as down. */
	if (fl != NULL && fl->kind != FAULT_REFUSE) {
		if (net->ntaps > 0)
			net_pkt_note(net, p, "%s: frame dropped",
			    outage_words(h, fl, w, sizeof(w)));
		goto done;
	}
	if (fl != NULL && fl->kind == FAULT_REFUSE &&
	    rx.proto != IPPROTO_ICMP_) {
		/* RFC 9293 §3.10.7.1 / RFC 792: as if nothing listened. */
		if (net->ntaps > 0)
			net_pkt_note(net, p, "%s: answered as a closed port",
			    outage_words(h, fl, w, sizeof(w)));
		if (rx.proto == IPPROTO_TCP_)
			tcp_reject(&rx);
		else if (rx.proto == IPPROTO_UDP_)
			net_icmp_unreach(h, &rx, 3);
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
	pkt_drop(net, p);
}

static void
arrive(struct sim *sim, void *arg)
{
	struct net_pkt *p = arg;
	struct net_host *h = p->via->node;

	(void)sim;
	if (h->router)
		forward(h, p);
	else
		receive(h, p);
}

void
net_icmp_unreach(struct net_host *h, const struct net_rx *rx, uint8_t code)
{
	struct net_pkt *p;
	const struct net_addr *src;
	uint8_t *m;
	size_t q;

	/* A router answers from its own address; a host from the address
	 * the packet was sent to. */
	src = h->router ? net_host_addr_of(h, rx->src.family) : &rx->dst;
	if (src == NULL)
		return;
	p = net_pkt_get(h->net);
	m = p->data;
	if (rx->src.family == NET_AF_INET) {
		/* RFC 792: the original IP header + 64 bits of its data. */
		q = (size_t)(rx->ip[0] & 0x0f) * 4 + 8;
		if (q > rx->iplen)
			q = rx->iplen;
		m[0] = 3;
		m[1] = code;
	} else {
		/* RFC 4443 §3.1: as much as fits in the minimum MTU. */
		q = rx->iplen;
		if (q > 1280 - 40 - 8)
			q = 1280 - 40 - 8;
		m[0] = 1;
		m[1] = code == 3 ? 4 : code == 13 ? 1 : code == 1 ? 3 : 0;
	}
	put_be16(m + 2, 0);
	put_be32(m + 4, 0);
	memcpy(m + 8, rx->ip, q);
	p->len = 8 + q;
	if (rx->src.family == NET_AF_INET)
		put_be16(m + 2, cksum_finish(cksum_add(0, m, p->len)));
	else
		put_be16(m + 2, cksum_l4(src, &rx->src, 58, m, p->len));
	net_ip_send(h, src, &rx->src, IPPROTO_ICMP_, p);
}

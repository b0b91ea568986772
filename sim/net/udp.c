/*
 * udp.c - UDP (RFC 768) on a simulated host.
 *
 * Checksums are always computed, over IPv4 too, and a computed zero is sent
 * as 0xffff (RFC 768); received datagrams with a wrong checksum are dropped,
 * and a zero checksum is accepted only over IPv4 (RFC 8200 §8.1).  A
 * datagram for a port nobody bound gets ICMP port unreachable, as Linux
 * does.
 */
#include "udp.h"

#include <stdlib.h>
#include <string.h>

#include "../core/bytes.h"
#include "../core/err.h"
#include "cksum.h"

static struct udp_bind *
find(struct net_host *h, uint16_t port)
{
	struct udp_bind *b;

	for (b = h->udp; b != NULL; b = b->next)
		if (b->port == port)
			return b;
	return NULL;
}

uint16_t
udp_bind(struct net_host *h, uint16_t port, udp_recv_fn *recv, udp_err_fn *err,
    void *ctx)
{
	struct udp_bind *b;
	int tries;

	if (port == 0) {
		/* Linux picks a random port in ip_local_port_range (32768 -
		 * 60999) for an unbound UDP socket; RFC 5452 §9.2 wants that
		 * of a resolver. */
		for (tries = 0; tries < 28232; tries++) {
			port = (uint16_t)(32768 + rng_below(&h->rng, 28232));
			if (find(h, port) == NULL)
				break;
		}
	}
	if (find(h, port) != NULL)
		return 0;
	b = mx_xcalloc(1, sizeof(*b));
	b->port = port;
	b->recv = recv;
	b->err = err;
	b->ctx = ctx;
	b->next = h->udp;
	h->udp = b;
	return port;
}

void
udp_unbind(struct net_host *h, uint16_t port)
{
	struct udp_bind **pp, *b;

	for (pp = &h->udp; (b = *pp) != NULL; pp = &b->next)
		if (b->port == port) {
			*pp = b->next;
			free(b);
			return;
		}
}

void
udp_fini(struct net_host *h)
{
	struct udp_bind *b;

	while ((b = h->udp) != NULL) {
		h->udp = b->next;
		free(b);
	}
}

void
udp_send(struct net_host *h, const struct net_addr *src, uint16_t sport,
    const struct net_addr *dst, uint16_t dport, const uint8_t *data, size_t len)
{
	struct net_pkt *p = net_pkt_get(h->net);
	uint8_t *u = p->data;
	uint16_t sum;

	if (len > NET_MTU - 48)
		len = NET_MTU - 48;
	put_be16(u, sport);
	put_be16(u + 2, dport);
	put_be16(u + 4, (uint16_t)(8 + len));
	put_be16(u + 6, 0);
	memcpy(u + 8, data, len);
	p->len = 8 + len;
	sum = cksum_l4(src, dst, IPPROTO_UDP_, u, p->len);
	put_be16(u + 6, sum == 0 ? 0xffff : sum);
	net_ip_send(h, src, dst, IPPROTO_UDP_, p);
}

void
udp_input(const struct net_rx *rx)
{
	const uint8_t *u = rx->l4;
	size_t ulen;
	struct udp_bind *b;
	struct udp_from from;

	if (rx->l4len < 8)
		return;
	ulen = get_be16(u + 4);
	if (ulen < 8 || ulen > rx->l4len)
		return;
	if (get_be16(u + 6) == 0) {
		if (rx->src.family != NET_AF_INET)
			return;
	} else if (cksum_l4(&rx->src, &rx->dst, IPPROTO_UDP_, u, ulen) != 0)
		return;
	from.src = rx->src;
	from.sport = get_be16(u);
	from.dst = rx->dst;
	from.dport = get_be16(u + 2);
	b = find(rx->host, from.dport);
	if (b == NULL) {
		/* The ICMPv4 code; net_icmp_unreach() maps port
		 * unreachable to ICMPv6 code 4 itself. */
		net_icmp_unreach(rx->host, rx, 3);
		return;
	}
	b->recv(b->ctx, rx->host, &from, u + 8, ulen - 8);
}

void
udp_icmp_error(struct net_host *h, uint8_t type, uint8_t code,
    const struct net_addr *to, uint16_t sport, uint16_t dport)
{
	struct udp_bind *b = find(h, sport);

	if (b != NULL && b->err != NULL)
		b->err(b->ctx, h, type, code, to, dport);
}

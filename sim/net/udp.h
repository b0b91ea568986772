/*
 * udp.h - UDP datagrams (RFC 768) on a simulated host.
 *
 * A binding is a port with a receive callback and an error callback; the
 * error callback reports ICMP errors about datagrams sent from that port
 * (port unreachable from a refusing server), as a connected socket would.
 */
#ifndef MX_UDP_H
#define MX_UDP_H

#include <stddef.h>
#include <stdint.h>

#include "net.h"

struct udp_from {
	struct net_addr src; /* sender address */
	uint16_t sport;      /* sender port */
	struct net_addr dst; /* our address it was sent to */
	uint16_t dport;      /* our port */
};

typedef void udp_recv_fn(void *ctx, struct net_host *h,
    const struct udp_from *from, const uint8_t *data, size_t len);
/* 'type'/'code' are the ICMP values; 'to'/'dport' the unreachable peer. */
typedef void udp_err_fn(void *ctx, struct net_host *h, uint8_t type,
    uint8_t code, const struct net_addr *to, uint16_t dport);

struct udp_bind {
	struct udp_bind *next; /* owned next binding of the host */
	uint16_t port;         /* local port */
	udp_recv_fn *recv;     /* datagram callback */
	udp_err_fn *err;       /* ICMP error callback, may be NULL */
	void *ctx;             /* borrowed callback context */
};

/* Binds 'port' (0 = a fresh ephemeral port); returns the port, or 0 when
 * it is taken. */
uint16_t udp_bind(struct net_host *h, uint16_t port, udp_recv_fn *recv,
    udp_err_fn *err, void *ctx);
void udp_unbind(struct net_host *h, uint16_t port);
void udp_fini(struct net_host *h);

/* Sends one datagram; 'len' must fit the MTU. */
void udp_send(struct net_host *h, const struct net_addr *src, uint16_t sport,
    const struct net_addr *dst, uint16_t dport, const uint8_t *data,
    size_t len);

/* Called by net.c for every UDP datagram addressed to 'rx->host'. */
void udp_input(const struct net_rx *rx);
/* Called by net.c for an ICMP error quoting a datagram we sent. */
void udp_icmp_error(struct net_host *h, uint8_t type, uint8_t code,
    const struct net_addr *to, uint16_t sport, uint16_t dport);

#endif

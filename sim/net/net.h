/*
 * net.h - hosts on a network, and frames as bytes between them.
 *
 * A host has a MAC address, one or more IP addresses, UDP bindings and a
 * TCP stack.  Sending builds a complete Ethernet II frame (IPv4 header with
 * its checksum, transport header with its pseudo-header checksum); the frame
 * crosses the segment after the one-way latency, and the receiving host
 * parses those bytes again, dropping anything whose checksums or lengths do
 * not hold.  The capture and the simulation therefore see the same bytes.
 *
 * Taps observe every frame put on the wire (the whole-network vantage
 * point) together with a note of what the simulator decided about it; the
 * capture writer is one such tap.
 *
 * Network-level outages of the destination host are applied on arrival:
 * 'down' makes frames vanish, 'refuse' answers a SYN with RST and a UDP
 * datagram with ICMP port unreachable.
 */
#ifndef MX_NET_H
#define MX_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/rng.h"
#include "../core/simtime.h"
#include "../fault/fault.h"
#include "addr.h"

struct sim;
struct net;
struct tcp_stack;
struct udp_bind;

#define NET_MAX_ADDRS 8
#define NET_HEADROOM  64   /* room for Ethernet + IPv6 headers */
#define NET_FRAME_MAX 1514 /* Ethernet II without FCS */
#define NET_PKT_BUF   (NET_HEADROOM + 1500)
#define NET_MTU       1500

#define IPPROTO_ICMP_ 1
#define IPPROTO_TCP_  6
#define IPPROTO_UDP_  17

struct net_host {
	struct net *net;  /* borrowed; the network it is on */
	uint32_t id;      /* index in the network, from 0 */
	const char *name; /* borrowed label, e.g. "mx1" */
	uint8_t mac[6];   /* locally administered unicast MAC */
	struct net_addr addr[NET_MAX_ADDRS]; /* its addresses */
	size_t naddr;                        /* addresses in use */
	struct fault_sched faults;           /* borrowed outage schedule */
	struct rng rng;        /* ports and initial sequence numbers */
	uint16_t next_port;    /* next ephemeral port */
	struct udp_bind *udp;  /* owned list of UDP bindings */
	struct tcp_stack *tcp; /* owned TCP state */
	uint16_t ip_id;        /* IPv4 identification counter */
};

/* A packet under construction or in flight.  'data' points into 'buf'. */
struct net_pkt {
	struct net_pkt *next;     /* free list link */
	struct net_pkt *all;      /* every packet ever allocated */
	struct net_host *to;      /* destination host, NULL = nobody */
	uint8_t *data;            /* first byte of the frame */
	size_t len;               /* frame length */
	uint8_t buf[NET_PKT_BUF]; /* headroom + payload */
};

/* What happened to a frame, for taps that annotate (pcapng comments). */
struct net_note {
	const char *text; /* borrowed one-line explanation, or NULL */
};

typedef void net_tap_fn(void *ctx, sim_time_t t, const uint8_t *frame,
    size_t len, const struct net_note *note);

/* Parsed view of a received IP packet, handed to the transports. */
struct net_rx {
	struct net_host *host; /* receiving host */
	struct net_addr src;   /* source address */
	struct net_addr dst;   /* destination address */
	uint8_t proto;         /* IP protocol */
	const uint8_t *ip;     /* the whole IP packet, for ICMP quotes */
	size_t iplen;          /* its length */
	const uint8_t *l4;     /* transport header and payload */
	size_t l4len;          /* their length */
};

#define NET_MAX_TAPS 4

struct net {
	struct sim *sim;           /* borrowed */
	sim_time_t latency;        /* one-way latency of the segment */
	struct net_host **hosts;   /* owned array of owned hosts */
	size_t nhosts;             /* hosts in use */
	size_t caphosts;           /* capacity of 'hosts' */
	struct net_pkt *free_pkts; /* free packets (borrowed from 'all') */
	struct net_pkt *all_pkts;  /* owned list of every packet */
	size_t npkts;              /* packets ever allocated */
	struct {
		net_tap_fn *fn; /* observer */
		void *ctx;      /* borrowed observer context */
	} taps[NET_MAX_TAPS];
	size_t ntaps;     /* taps in use */
	const char *note; /* borrowed note for the next frame */
	uint64_t frames;  /* frames put on the wire */
};

void net_init(struct net *net, struct sim *sim, sim_time_t latency);
void net_fini(struct net *net);

/* Adds a host named 'name' (borrowed string) with no address yet. */
struct net_host *net_host_add(struct net *net, const char *name);
int net_host_addr_add(struct net_host *h, const struct net_addr *a);
void net_host_set_faults(struct net_host *h, const struct fault *v, size_t n);
struct net_host *net_host_by_addr(
    const struct net *net, const struct net_addr *a);
/* The host's first address of the given family, NULL if it has none. */
const struct net_addr *net_host_addr_of(
    const struct net_host *h, uint8_t family);
/* A fresh ephemeral port (Linux's 32768-60999 range). */
uint16_t net_host_port(struct net_host *h);

int net_tap_add(struct net *net, net_tap_fn *fn, void *ctx);

/* Attaches a one-line explanation to the next frame put on the wire (the
 * string must stay valid until then). */
static inline void
net_note_next(struct net *net, const char *text)
{
	net->note = text;
}

/* Packet buffers: get one with the payload area at 'NET_HEADROOM'. */
struct net_pkt *net_pkt_get(struct net *net);
void net_pkt_put(struct net *net, struct net_pkt *p);

/* Sends a transport segment already written at 'p->data' ('p->len' bytes)
 * from 'src' to 'dst' with IP protocol 'proto'.  Takes ownership of 'p'.
 * Adds the IP and Ethernet headers and puts the frame on the wire. */
void net_ip_send(struct net_host *h, const struct net_addr *src,
    const struct net_addr *dst, uint8_t proto, struct net_pkt *p);

/* Sends an ICMP destination unreachable with 'code' from 'h' about the
 * packet in 'rx' (quoting its IP header and the first 8 payload bytes). */
void net_icmp_unreach(
    struct net_host *h, const struct net_rx *rx, uint8_t code);

/* Which service a transport port belongs to, for outages. */
enum fault_service net_port_service(uint16_t port);

#endif

/*
 * net.h - a small internet: hosts and routers joined by point-to-point
 * links, and frames as bytes between them.
 *
 * Nodes are hosts (they run UDP and TCP and never forward) and routers
 * (they forward).  Each node has interfaces; a link joins two interfaces
 * and carries frames each way with a latency, a jitter, a loss rate and a
 * bandwidth, keeping the order of the frames of each direction.  Routes
 * are shortest paths computed once the topology is built (net_finalize()).
 *
 * Sending builds a complete Ethernet II frame (IPv4 or IPv6 header with
 * its checksum, transport header with its pseudo-header checksum).  Each
 * hop re-frames it with its own MACs, and a router decrements the TTL and
 * recomputes the IPv4 header checksum, so a capture at any point shows
 * what a real capture there would.  The receiving host parses the bytes it
 * gets and drops anything malformed.
 *
 * Outages: a host 'down' drops what reaches it (and sends nothing);
 * 'refuse' answers a SYN with RST and a datagram with ICMP port
 * unreachable; 'unreachable' and 'filtered' are answered by the last
 * router before the host with ICMP host unreachable / administratively
 * prohibited; a link outage 'link-down' drops every frame on the link and
 * 'loss' drops frames at random.  Any of them may be limited to one
 * address family (a host with broken IPv6).
 *
 * Taps observe frames at a vantage point: the whole network (each frame
 * once, as its origin sends it) or one host's interfaces (as tcpdump there
 * would).  Packets carry one-line notes of what the simulator decided about
 * them; taps that annotate (pcapng) receive the notes and learn when a
 * packet's fate is settled.
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
struct net_link;
struct tcp_stack;
struct udp_bind;

#define NET_MAX_ADDRS 8
#define NET_MAX_IFS   64
#define NET_HEADROOM  64   /* room for Ethernet + IPv6 headers */
#define NET_FRAME_MAX 1514 /* Ethernet II without FCS */
#define NET_PKT_BUF   (NET_HEADROOM + 1500)
#define NET_MTU       1500
#define NET_NOTES_MAX 480 /* bytes of notes a packet carries */
#define NET_MAX_TAPS  4

#define IPPROTO_ICMP_ 1
#define IPPROTO_TCP_  6
#define IPPROTO_UDP_  17

struct net_if {
	struct net_host *node; /* borrowed owning node */
	struct net_link *link; /* borrowed link it is attached to */
	int side;              /* which end of the link (0 or 1) */
	uint8_t index;         /* position among the node's interfaces */
	uint8_t mac[6];        /* locally administered unicast MAC */
};

struct net_host {
	struct net *net;                /* borrowed; the network it is on */
	uint32_t id;                    /* index in the network, from 0 */
	const char *name;               /* borrowed label, e.g. "mx1" */
	bool router;                    /* forwards; runs no transport */
	struct net_if ifs[NET_MAX_IFS]; /* its interfaces */
	size_t nifs;                    /* interfaces in use */
	struct net_addr addr[NET_MAX_ADDRS]; /* its addresses */
	size_t naddr;                        /* addresses in use */
	struct fault_sched faults;           /* borrowed outage schedule */
	struct rng rng;        /* ports and initial sequence numbers */
	uint16_t next_port;    /* next ephemeral port */
	struct udp_bind *udp;  /* owned list of UDP bindings */
	struct tcp_stack *tcp; /* owned TCP state (hosts only) */
	const char *note_next; /* borrowed note for its next frame */
	uint16_t *route;       /* owned: out interface + 1 per node */
};

/* The properties of a link, the same both ways. */
struct net_link_params {
	sim_time_t latency; /* propagation delay */
	sim_time_t jitter;  /* extra delay, uniform in [0, jitter] */
	double loss;        /* probability that a frame is lost */
	uint64_t bandwidth; /* bits per second, 0 = no serialisation */
};

struct net_link_dir {
	sim_time_t busy_until;   /* the transmitter is free from then on */
	sim_time_t last_arrival; /* arrival of the previous frame */
	struct rng rng;          /* jitter and loss draws */
};

struct net_link {
	struct net *net;            /* borrowed */
	uint32_t id;                /* index in the network */
	char name[80];              /* "mta-internet", for notes */
	struct net_if *end[2];      /* borrowed interfaces it joins */
	struct net_link_params p;   /* properties */
	struct net_link_dir dir[2]; /* state per direction (from end i) */
	struct fault_sched faults;  /* borrowed link outages */
};

/* A packet under construction or in flight.  'data' points into 'buf'. */
struct net_pkt {
	struct net_pkt *next;          /* free list link */
	struct net_pkt *all;           /* every packet ever allocated */
	uint64_t id;                   /* unique per network, from 1 */
	struct net_host *dst;          /* the host it is addressed to */
	struct net_if *via;            /* interface it arrives on */
	uint8_t *data;                 /* first byte of the frame */
	size_t len;                    /* frame length */
	uint64_t ticket[NET_MAX_TAPS]; /* per tap: its handle for this packet */
	size_t nlen;                   /* bytes used in 'notes' */
	char notes[NET_NOTES_MAX];     /* '\n'-separated decisions */
	uint8_t buf[NET_PKT_BUF];      /* headroom + payload */
};

/* Parsed view of a received IP packet, handed to the transports. */
struct net_rx {
	struct net_host *host; /* receiving host */
	struct net_addr src;   /* source address */
	struct net_addr dst;   /* destination address */
	uint8_t proto;         /* IP protocol (ICMP for ICMPv6 too) */
	const uint8_t *ip;     /* the whole IP packet, for ICMP quotes */
	size_t iplen;          /* its length */
	const uint8_t *l4;     /* transport header and payload */
	size_t l4len;          /* their length */
	struct net_pkt *pkt;   /* the packet, for notes */
};

/* What a tap sees when a frame crosses its vantage point. */
struct net_frame {
	sim_time_t t;              /* when */
	const uint8_t *data;       /* the frame's bytes */
	size_t len;                /* its length */
	const struct net_pkt *pkt; /* its packet (notes so far) */
	const struct net_if *ifp;  /* the interface it crosses */
	bool inbound;              /* arriving at the vantage host */
};

struct net_tap_ops {
	/* A frame crosses the vantage point; the return value is the tap's
	 * ticket for the packet (passed back to note and done). */
	uint64_t (*frame)(void *ctx, const struct net_frame *f);
	/* A decision about a packet already seen (may be NULL). */
	void (*note)(void *ctx, uint64_t ticket, const char *text);
	/* The packet's fate is settled: no more notes (may be NULL). */
	void (*done)(void *ctx, uint64_t ticket);
};

struct net_tap {
	const struct net_tap_ops *ops; /* borrowed callbacks */
	void *ctx;                     /* borrowed context */
	struct net_host *at;           /* vantage host, NULL = whole network */
};

struct net {
	struct sim *sim;           /* borrowed */
	struct net_host **hosts;   /* owned array of owned nodes */
	size_t nhosts, caphosts;   /* count and capacity */
	struct net_link **links;   /* owned array of owned links */
	size_t nlinks, caplinks;   /* count and capacity */
	struct net_pkt *free_pkts; /* free packets (borrowed from 'all') */
	struct net_pkt *all_pkts;  /* owned list of every packet */
	size_t npkts;              /* packets ever allocated */
	uint64_t next_pkt;         /* id of the next packet */
	struct net_tap taps[NET_MAX_TAPS]; /* observers */
	size_t ntaps;                      /* taps in use */
	bool want_notes;                   /* a tap listens to notes */
	uint64_t frames;                   /* frames put on links */
	struct net_addr_slot *addrs;       /* owned hash: address -> node */
	size_t naddrs, capaddrs; /* entries and capacity (power of 2) */
	bool routed;             /* net_finalize() has run */
};

void net_init(struct net *net, struct sim *sim);
void net_fini(struct net *net);

/* Adds a host (or a router) named 'name' (borrowed string). */
struct net_host *net_host_add(struct net *net, const char *name);
struct net_host *net_router_add(struct net *net, const char *name);
int net_host_addr_add(struct net_host *h, const struct net_addr *a);
void net_host_set_faults(struct net_host *h, const struct fault *v, size_t n);
struct net_host *net_host_by_addr(
    const struct net *net, const struct net_addr *a);
struct net_host *net_host_by_name(const struct net *net, const char *name);
/* The host's first address of the given family, NULL if it has none. */
const struct net_addr *net_host_addr_of(
    const struct net_host *h, uint8_t family);
/* A fresh ephemeral port (Linux's 32768-60999 range). */
uint16_t net_host_port(struct net_host *h);

/* Joins 'a' and 'b' with a link; NULL when either has no free interface. */
struct net_link *net_link_add(struct net *net, struct net_host *a,
    struct net_host *b, const struct net_link_params *p);
void net_link_set_faults(struct net_link *l, const struct fault *v, size_t n);

/* Computes the routes; call once the topology is complete and before the
 * first packet.  Returns the number of node pairs with no path. */
size_t net_finalize(struct net *net);

/* Observers.  'at' NULL: every frame once, when its origin sends it;
 * otherwise the frames 'at' sends and receives. */
int net_tap_add(struct net *net, struct net_host *at,
    const struct net_tap_ops *ops, void *ctx);

/* Attaches a one-line note to the next frame 'h' originates (the string
 * must stay valid until then). */
static inline void
net_note_next(struct net_host *h, const char *text)
{
	h->note_next = text;
}

/* Adds a note to a packet; taps that already saw it get it too. */
void net_pkt_note(struct net *net, struct net_pkt *p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Packet buffers: get one with the payload area at 'NET_HEADROOM'. */
struct net_pkt *net_pkt_get(struct net *net);
void net_pkt_put(struct net *net, struct net_pkt *p);

/* Sends a transport segment already written at 'p->data' ('p->len' bytes)
 * from 'src' to 'dst' with IP protocol 'proto'.  Takes ownership of 'p'.
 * Adds the IP header and sends it towards its destination. */
void net_ip_send(struct net_host *h, const struct net_addr *src,
    const struct net_addr *dst, uint8_t proto, struct net_pkt *p);

/* ICMP destination unreachable from 'h' about the packet in 'rx', quoting
 * its IP header and the first 8 bytes (IPv4, RFC 792) or as much as fits
 * in 1280 bytes (IPv6, RFC 4443).  'code' is the ICMP (v4) code; the IPv6
 * code is derived: port 3 -> 4, host 1 -> 3, prohibited 13 -> 1. */
void net_icmp_unreach(
    struct net_host *h, const struct net_rx *rx, uint8_t code);

/* Which service a transport port belongs to, for outages. */
enum fault_service net_port_service(uint16_t port);

#endif

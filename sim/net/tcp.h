/*
 * tcp.h - a small TCP (RFC 9293) that emits what Wireshark expects.
 *
 * It does the three-way handshake with an MSS option, data with exact
 * sequence and acknowledgement numbers, segmentation at the peer's MSS, a
 * constant window, FIN in both directions, RST for a closed port or a dead
 * connection, and retransmission by timer: SYNs back off 1, 2, 4, 8 ... s
 * (RFC 6298 §2.1, §5.5; Linux tcp_syn_retries = 6 gives up after 127 s),
 * data retransmissions repeat the original segment byte for byte.
 *
 * The API is callback based.  A connection object stays valid until its
 * 'closed' callback has returned (or until tcp_abort() by its owner); it is
 * then freed after the current event, never inside a callback.
 */
#ifndef MX_TCP_H
#define MX_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net.h"

struct tcp_conn;

/* Why a connection ended, as the application sees it. */
#define TCP_END_MAP(XX)                                                        \
	XX(CLOSED, "closed")           /* orderly, both FINs acknowledged */   \
	XX(REFUSED, "refused")         /* RST in answer to our SYN */          \
	XX(RESET, "reset")             /* RST on an established connection */  \
	XX(TIMEOUT, "timeout")         /* retransmissions exhausted */         \
	XX(UNREACHABLE, "unreachable") /* ICMP error during connect */

enum tcp_end {
#define XX(id, s) TCP_END_##id,
	TCP_END_MAP(XX)
#undef XX
};

const char *tcp_end_name(enum tcp_end e);

struct tcp_cb {
	/* Handshake complete (client: SYN-ACK received; server: final ACK). */
	void (*connected)(void *ctx, struct tcp_conn *c);
	/* In-order bytes from the peer. */
	void (*data)(void *ctx, struct tcp_conn *c, const uint8_t *p, size_t n);
	/* The peer sent FIN: no more data will come. */
	void (*eof)(void *ctx, struct tcp_conn *c);
	/* The connection is over; 'c' is invalid after this returns.  For
	 * TCP_END_UNREACHABLE, 'icmp_code' holds the ICMP code. */
	void (*closed)(
	    void *ctx, struct tcp_conn *c, enum tcp_end why, int icmp_code);
};

/* Accepting side: called for each new connection in SYN_RCVD; returns
 * the callbacks and context to use (or false to refuse with RST). */
typedef bool tcp_accept_fn(
    void *ctx, struct tcp_conn *c, const struct tcp_cb **cb, void **cbctx);

/* Knobs of a host's stack (Linux defaults; see docs/network.md). */
struct tcp_params {
	int syn_retries;         /* SYN retransmissions before giving up: 6 */
	int syn_linear_timeouts; /* SYN RTOs kept at the initial RTO first: 0
	                          (Linux >= 6.5: 4) */
	int synack_retries;      /* SYN-ACK retransmissions: 5 */
	sim_time_t rto_initial;  /* initial RTO: 1 s (RFC 6298 §2.1) */
	sim_time_t rto_min;      /* floor of the RTO: 200 ms (Linux) */
	sim_time_t rto_max;      /* ceiling of the RTO: 120 s (Linux) */
	int retries2;            /* data retransmissions before reset: 15 */
	uint16_t mss;            /* MSS we announce: 1460 over IPv4 */
	uint16_t window;         /* constant receive window: 64240 */
	sim_time_t time_wait;    /* TIME_WAIT duration: 60 s */
};

void tcp_params_default(struct tcp_params *p);

void tcp_stack_init(struct net_host *h, const struct tcp_params *p);
void tcp_stack_fini(struct net_host *h);

int tcp_listen(
    struct net_host *h, uint16_t port, tcp_accept_fn *accept, void *ctx);

/* Opens a connection from the host's address of the same family.  The
 * callbacks may fire from later events only, never from inside this call. */
struct tcp_conn *tcp_connect(struct net_host *h, const struct net_addr *dst,
    uint16_t dport, const struct tcp_cb *cb, void *ctx);

/* Queues bytes for sending (copied). */
void tcp_send(struct tcp_conn *c, const void *p, size_t n);
/* Orderly close: FIN after the queued data. */
void tcp_close(struct tcp_conn *c);
/* No more callbacks for this connection: the stack finishes what was
 * started (an orderly close) on its own, and the application may free
 * its context. */
void tcp_detach(struct tcp_conn *c);
/* Ends the connection now without callbacks: silently while connecting
 * (as close() on a connecting Linux socket), with RST once established. */
void tcp_abort(struct tcp_conn *c);

/* Accessors for applications and traces. */
uint16_t tcp_conn_lport(const struct tcp_conn *c);
uint16_t tcp_conn_rport(const struct tcp_conn *c);
const struct net_addr *tcp_conn_raddr(const struct tcp_conn *c);
const struct net_addr *tcp_conn_laddr(const struct tcp_conn *c);
struct net_host *tcp_conn_host(const struct tcp_conn *c);
/* SYNs sent so far on a connecting socket (1 + retransmissions). */
int tcp_conn_syns(const struct tcp_conn *c);

/* A note for the next segment this connection sends (for annotated
 * captures: "attempt 2 for msg 1: ..."). */
void tcp_conn_note(struct tcp_conn *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Called by net.c. */
void tcp_input(const struct net_rx *rx);
/* Answers a segment as a closed port does: RST (RFC 9293 §3.10.7.1). */
void tcp_reject(const struct net_rx *rx);
/* An ICMP error quoting our segment from 'from':'sport' to 'to':'dport'. */
void tcp_icmp_error(struct net_host *h, uint8_t type, uint8_t code,
    const struct net_addr *from, const struct net_addr *to, uint16_t sport,
    uint16_t dport, uint32_t seq);

#endif

/*
 * pcapng.h - the blocks of a pcapng file (draft-ietf-opsawg-pcapng):
 * Section Header, Interface Description, Name Resolution and Enhanced
 * Packet blocks, written in the host's byte order (the SHB's byte-order
 * magic tells readers which).
 *
 * Pure module: it formats blocks into a caller's growable buffer and knows
 * nothing of the simulation.
 */
#ifndef MX_PCAPNG_H
#define MX_PCAPNG_H

#include <stddef.h>
#include <stdint.h>

#include "../net/addr.h"

struct pcapng_buf {
	uint8_t *p; /* owned bytes */
	size_t n;   /* used */
	size_t cap; /* capacity */
};

void pcapng_buf_free(struct pcapng_buf *b);

/* Section Header Block: version 1.0, section length unknown, with the
 * application's name and an optional capture comment. */
void pcapng_shb(struct pcapng_buf *b, const char *app, const char *comment);

/* Interface Description Block: link type Ethernet, no snap length,
 * nanosecond timestamps (if_tsresol 9), a name and a description. */
void pcapng_idb(struct pcapng_buf *b, const char *name, const char *desc);

struct pcapng_name {
	struct net_addr addr; /* IPv4 or IPv6 address */
	const char *name;     /* borrowed host name */
};

/* Name Resolution Block: one record per address, then the end record. */
void pcapng_nrb(struct pcapng_buf *b, const struct pcapng_name *v, size_t n);

#define PCAPNG_FLAG_INBOUND  1u /* epb_flags direction bits 01 */
#define PCAPNG_FLAG_OUTBOUND 2u /* epb_flags direction bits 10 */

/* Enhanced Packet Block on interface 'ifid' at 'ts_ns' nanoseconds since
 * 1970; 'flags' 0 or a direction; 'comments' NULL or '\n'-separated lines,
 * one opt_comment each. */
void pcapng_epb(struct pcapng_buf *b, uint32_t ifid, uint64_t ts_ns,
    const uint8_t *data, size_t len, uint32_t flags, const char *comments);

#endif

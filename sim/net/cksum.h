/*
 * cksum.h - the Internet checksum (RFC 1071) and the pseudo-headers of
 * RFC 768 / RFC 9293 §3.1 (IPv4) and RFC 8200 §8.1 (IPv6).
 */
#ifndef MX_CKSUM_H
#define MX_CKSUM_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/* Adds 'n' bytes as big-endian 16-bit words (odd byte padded with zero) to
 * a running 32-bit sum. */
uint32_t cksum_add(uint32_t sum, const uint8_t *p, size_t n);

/* Folds the carries and complements: the value to put on the wire. */
uint16_t cksum_finish(uint32_t sum);

/* Checksum of a transport segment 'l4' of 'len' bytes (its checksum field
 * zeroed or, to verify, left as received: the result is then 0). */
uint16_t cksum_l4(const struct net_addr *src, const struct net_addr *dst,
    uint8_t proto, const uint8_t *l4, size_t len);

#endif

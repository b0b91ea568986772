/*
 * cksum.c - RFC 1071 one's-complement sum.
 *
 * The pseudo-header is summed from its fields rather than built in a
 * buffer: for lengths below 65536 the IPv4 (12-byte) and IPv6 (40-byte)
 * forms reduce to "addresses + protocol + length".
 */
#include "cksum.h"

uint32_t
cksum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	uint64_t s = sum;

	while (n >= 2) {
		s += (uint32_t)p[0] << 8 | p[1];
		p += 2;
		n -= 2;
	}
	if (n == 1)
		s += (uint32_t)p[0] << 8;
	/* Keep the running sum in 16 bits so callers may add small terms
	 * (protocol, length) without overflowing. */
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint32_t)s;
}

uint16_t
cksum_finish(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t
cksum_l4(const struct net_addr *src, const struct net_addr *dst, uint8_t proto,
    const uint8_t *l4, size_t len)
{
	uint32_t sum = 0;

	sum = cksum_add(sum, src->b, net_addr_len(src));
	sum = cksum_add(sum, dst->b, net_addr_len(dst));
	sum += proto;
	sum += (uint32_t)(len >> 16);
	sum += (uint32_t)(len & 0xffff);
	sum = cksum_add(sum, l4, len);
	return cksum_finish(sum);
}

/*
 * test_cksum.c - the Internet checksum (sim/net/cksum.c).
 *
 * Evidence:
 *  - the worked example of RFC 1071 §3 and an odd-length variant (the
 *    last byte is padded on the right with zero, RFC 1071 §4.1);
 *  - a classic IPv4 header whose checksum is known (RFC 791 §3.1 header
 *    checksum over the 20 header bytes);
 *  - UDP checksums over IPv4 (pseudo-header of RFC 768) and over IPv6
 *    (RFC 8200 §8.1), compared with a second computation written here: the
 *    pseudo-header is built as bytes and summed by a deliberately plain
 *    reference (RFC 1071 §4.1's loop: 32-bit sum, carries folded at the
 *    end), so cksum_l4's shortcut ("addresses + protocol + length") is
 *    checked against the definition;
 *  - the receiver's rule (RFC 1071 §1 (3)): a packet summed together with
 *    its correct checksum gives 0 after complementing.
 *
 * Addresses come from RFC 5737 / RFC 3849 documentation blocks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "net/addr.h"
#include "net/cksum.h"

/* RFC 1071 §4.1, as plainly as possible: big-endian 16-bit words, a
 * trailing odd byte as the high half of a word, end-around carry. */
static uint16_t
ref_cksum(const uint8_t *p, size_t n)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint64_t)p[i] * 256 + p[i + 1];
	if (n % 2 == 1)
		sum += (uint64_t)p[n - 1] * 256;
	while (sum > 0xffff)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)(~sum & 0xffff);
}

static struct net_addr
addr(const char *s)
{
	struct net_addr a;

	assert_true(net_addr_parse(s, &a));
	return a;
}

/* The pseudo-header of RFC 768 (IPv4: src, dst, zero, protocol, length)
 * or RFC 8200 §8.1 (IPv6: src, dst, 32-bit length, 3 zero bytes, next
 * header) followed by the segment, checksummed by the reference. */
static uint16_t
ref_l4(const struct net_addr *src, const struct net_addr *dst, uint8_t proto,
    const uint8_t *seg, size_t len)
{
	uint8_t *b = malloc(40 + len);
	size_t n = 0;
	uint16_t c;

	assert_non_null(b);
	if (src->family == NET_AF_INET) {
		memcpy(b, src->b, 4);
		memcpy(b + 4, dst->b, 4);
		b[8] = 0;
		b[9] = proto;
		b[10] = (uint8_t)(len >> 8);
		b[11] = (uint8_t)len;
		n = 12;
	} else {
		memcpy(b, src->b, 16);
		memcpy(b + 16, dst->b, 16);
		b[32] = (uint8_t)(len >> 24);
		b[33] = (uint8_t)(len >> 16);
		b[34] = (uint8_t)(len >> 8);
		b[35] = (uint8_t)len;
		b[36] = b[37] = b[38] = 0;
		b[39] = proto;
		n = 40;
	}
	memcpy(b + n, seg, len);
	c = ref_cksum(b, n + len);
	free(b);
	return c;
}

static void
test_cksum_rfc1071_example_sums_to_ddf2(void **state)
{
	/* RFC 1071 §3 "Numerical Examples": bytes 00 01 f2 03 f4 f5 f6 f7
	 * give the one's complement sum ddf2; the checksum is its
	 * complement, 220d. */
	static const uint8_t b[8] = {
	    0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};

	(void)state;
	assert_int_equal(cksum_add(0, b, 8), 0xddf2);
	assert_int_equal(cksum_finish(cksum_add(0, b, 8)), 0x220d);
	assert_int_equal(ref_cksum(b, 8), 0x220d);
	/* The sum is independent of how it is split into even chunks
	 * (RFC 1071 §2 (B), (C)): incremental summing is allowed. */
	assert_int_equal(
	    cksum_add(cksum_add(cksum_add(0, b, 2), b + 2, 4), b + 6, 2),
	    0xddf2);
}

static void
test_cksum_odd_length_pads_last_byte_with_zero(void **state)
{
	/* RFC 1071 §4.1: "Add left-over byte, if any" as the high byte.
	 * ddf2 + ab00 = 188f2, folded 88f3, complemented 770c. */
	static const uint8_t b[9] = {
	    0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7, 0xab};
	static const uint8_t one[1] = {0x01};

	(void)state;
	assert_int_equal(cksum_finish(cksum_add(0, b, 9)), 0x770c);
	assert_int_equal(ref_cksum(b, 9), 0x770c);
	/* A single byte 01 is the word 0100, not 0001. */
	assert_int_equal(cksum_finish(cksum_add(0, one, 1)), 0xfeff);
	/* Nothing at all sums to 0, whose complement is ffff. */
	assert_int_equal(cksum_finish(cksum_add(0, b, 0)), 0xffff);
}

static void
test_cksum_ipv4_header_known_vector_b861(void **state)
{
	/* 192.168.0.1 -> 192.168.0.199, UDP, total length 0x73, DF, TTL 64:
	 * a header widely used to illustrate the IPv4 checksum; its
	 * checksum field holds b861. */
	uint8_t h[20] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40,
	    0x11, 0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};

	(void)state;
	/* Receiver: summing the header with its checksum gives 0. */
	assert_int_equal(cksum_finish(cksum_add(0, h, 20)), 0);
	/* Sender: with the field zeroed the checksum comes out as b861. */
	h[10] = h[11] = 0;
	assert_int_equal(cksum_finish(cksum_add(0, h, 20)), 0xb861);
	assert_int_equal(ref_cksum(h, 20), 0xb861);
}

/* A UDP datagram of 'plen' payload bytes with its checksum zeroed. */
static size_t
udp_build(uint8_t *u, uint16_t sport, uint16_t dport, const uint8_t *payload,
    size_t plen)
{
	u[0] = (uint8_t)(sport >> 8);
	u[1] = (uint8_t)sport;
	u[2] = (uint8_t)(dport >> 8);
	u[3] = (uint8_t)dport;
	u[4] = (uint8_t)((8 + plen) >> 8);
	u[5] = (uint8_t)(8 + plen);
	u[6] = u[7] = 0;
	memcpy(u + 8, payload, plen);
	return 8 + plen;
}

static void
test_cksum_udp_ipv4_pseudo_header_matches_reference(void **state)
{
	static const uint8_t payload[] = "mxsim says hello"; /* 17 bytes, odd */
	struct net_addr src = addr("192.0.2.1"), dst = addr("198.51.100.2");
	uint8_t u[64];
	size_t n = udp_build(u, 40000, 53, payload, sizeof(payload));
	uint16_t c = cksum_l4(&src, &dst, 17, u, n);

	(void)state;
	assert_int_equal(n, 25);
	assert_int_equal(c, ref_l4(&src, &dst, 17, u, n));
	/* Put it in: the datagram now verifies to 0 (RFC 768). */
	u[6] = (uint8_t)(c >> 8);
	u[7] = (uint8_t)c;
	assert_int_equal(cksum_l4(&src, &dst, 17, u, n), 0);
	/* Any other source address breaks it: the pseudo-header counts. */
	src = addr("192.0.2.2");
	assert_int_not_equal(cksum_l4(&src, &dst, 17, u, n), 0);
}

static void
test_cksum_udp_ipv6_pseudo_header_matches_reference(void **state)
{
	static const uint8_t payload[] = {0xde, 0xad, 0xbe, 0xef, 0x01, 0x02};
	struct net_addr src = addr("2001:db8::1"), dst = addr("2001:db8:1::25");
	uint8_t u[64];
	size_t n = udp_build(u, 53, 33000, payload, sizeof(payload));
	uint16_t c = cksum_l4(&src, &dst, 17, u, n);

	(void)state;
	assert_int_equal(src.family, NET_AF_INET6);
	assert_int_equal(c, ref_l4(&src, &dst, 17, u, n));
	u[6] = (uint8_t)(c >> 8);
	u[7] = (uint8_t)c;
	assert_int_equal(cksum_l4(&src, &dst, 17, u, n), 0);
	/* ICMPv6 uses the same pseudo-header with next header 58
	 * (RFC 4443 §2.3). */
	u[6] = u[7] = 0;
	assert_int_equal(
	    cksum_l4(&src, &dst, 58, u, n), ref_l4(&src, &dst, 58, u, n));
}

static void
test_cksum_ipv6_jumbo_length_uses_32_bit_field(void **state)
{
	/* RFC 8200 §8.1: the upper-layer length is 32 bits; a 70000-byte
	 * segment puts 0x00011170 there, both halves summed. */
	enum { LEN = 70000 };
	struct net_addr src = addr("2001:db8::a"), dst = addr("2001:db8::b");
	uint8_t *seg = malloc(LEN);
	struct rng r;
	size_t i;

	(void)state;
	assert_non_null(seg);
	rng_init(&r, 1, "test/cksum/jumbo");
	for (i = 0; i < LEN; i++)
		seg[i] = (uint8_t)rng_next(&r);
	assert_int_equal(cksum_l4(&src, &dst, 17, seg, LEN),
	    ref_l4(&src, &dst, 17, seg, LEN));
	free(seg);
}

static void
test_cksum_random_packets_match_reference_and_verify_to_zero(void **state)
{
	/* 2000 random segments of 8..1500 bytes (odd lengths included),
	 * random addresses of both families: cksum_l4 agrees with the
	 * reference, and writing the checksum at offset 6 makes the whole
	 * verify to 0. */
	struct rng r;
	uint8_t seg[1500];
	int k;

	(void)state;
	rng_init(&r, 2, "test/cksum/random");
	for (k = 0; k < 2000; k++) {
		struct net_addr src, dst;
		size_t len = 8 + (size_t)rng_below(&r, 1493), i;
		uint8_t proto = rng_below(&r, 2) ? 6 : 17;
		uint16_t c;

		memset(&src, 0, sizeof(src));
		memset(&dst, 0, sizeof(dst));
		src.family = dst.family =
		    rng_below(&r, 2) ? NET_AF_INET : NET_AF_INET6;
		for (i = 0; i < 16; i++) {
			src.b[i] = (uint8_t)rng_next(&r);
			dst.b[i] = (uint8_t)rng_next(&r);
		}
		for (i = 0; i < len; i++)
			seg[i] = (uint8_t)rng_next(&r);
		seg[6] = seg[7] = 0;
		c = cksum_l4(&src, &dst, proto, seg, len);
		assert_int_equal(c, ref_l4(&src, &dst, proto, seg, len));
		assert_int_equal(
		    cksum_finish(cksum_add(0, seg, len)), ref_cksum(seg, len));
		seg[6] = (uint8_t)(c >> 8);
		seg[7] = (uint8_t)c;
		assert_int_equal(cksum_l4(&src, &dst, proto, seg, len), 0);
	}
}

static void
test_cksum_all_ones_data_folds_carries(void **state)
{
	/* 1000 words of ffff: every addition carries; the folded sum stays
	 * ffff (one's complement -0) and the checksum is 0. */
	uint8_t b[2000];

	(void)state;
	memset(b, 0xff, sizeof(b));
	assert_int_equal(cksum_add(0, b, sizeof(b)), 0xffff);
	assert_int_equal(cksum_finish(cksum_add(0, b, sizeof(b))), 0);
	assert_int_equal(ref_cksum(b, sizeof(b)), 0);
	/* cksum_finish folds a sum of small terms added by a caller. */
	assert_int_equal(cksum_finish(0x1fffe), 0);
	assert_int_equal(cksum_finish(0x2a), 0xffd5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cksum_rfc1071_example_sums_to_ddf2),
	    cmocka_unit_test(test_cksum_odd_length_pads_last_byte_with_zero),
	    cmocka_unit_test(test_cksum_ipv4_header_known_vector_b861),
	    cmocka_unit_test(
	        test_cksum_udp_ipv4_pseudo_header_matches_reference),
	    cmocka_unit_test(
	        test_cksum_udp_ipv6_pseudo_header_matches_reference),
	    cmocka_unit_test(test_cksum_ipv6_jumbo_length_uses_32_bit_field),
	    cmocka_unit_test(
	        test_cksum_random_packets_match_reference_and_verify_to_zero),
	    cmocka_unit_test(test_cksum_all_ones_data_folds_carries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * pcapng.c - formatting pcapng blocks.
 *
 * Every block is: type (u32), total length (u32), body padded to 32 bits,
 * total length again.  Options are type (u16), length (u16, without the
 * padding), value padded to 32 bits, and a list ends with opt_endofopt.
 * Padding bytes are zero.  Comments are UTF-8 without a terminating NUL;
 * names in a Name Resolution Block end with a NUL.
 */
#include "pcapng.h"

#include <stdbool.h>

#include <stdlib.h>
#include <string.h>

#include "../core/err.h"

#define BT_SHB 0x0A0D0D0Au
#define BT_IDB 0x00000001u
#define BT_NRB 0x00000004u
#define BT_EPB 0x00000006u

#define OPT_END        0
#define OPT_COMMENT    1
#define SHB_USERAPPL   4
#define IF_NAME        2
#define IF_DESCRIPTION 3
#define IF_TSRESOL     9
#define EPB_FLAGS      2
#define NRB_END        0
#define NRB_IPV4       1
#define NRB_IPV6       2

void
pcapng_buf_free(struct pcapng_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}

static void
put(struct pcapng_buf *b, const void *d, size_t n)
{
	/* Nothing to add (no padding due): an empty buffer's 'p' is NULL,
	 * and NULL + 0 is undefined behaviour in C. */
	if (n == 0)
		return;
	if (b->n + n > b->cap) {
		void *a = b->p;

		mx_grow(&a, &b->cap, b->n + n, 1);
		b->p = a;
	}
	memcpy(b->p + b->n, d, n);
	b->n += n;
}

static void
pad4(struct pcapng_buf *b)
{
	static const uint8_t z[3] = {0, 0, 0};

	put(b, z, (4 - b->n % 4) % 4);
}

static void
u16(struct pcapng_buf *b, uint16_t v)
{
	put(b, &v, 2);
}

static void
u32(struct pcapng_buf *b, uint32_t v)
{
	put(b, &v, 4);
}

static void
opt(struct pcapng_buf *b, uint16_t code, const void *v, size_t len)
{
	if (len > 0xffff)
		len = 0xffff;
	u16(b, code);
	u16(b, (uint16_t)len);
	put(b, v, len);
	pad4(b);
}

/* Starts a block; returns the offset of its header for block_end(). */
static size_t
block_begin(struct pcapng_buf *b, uint32_t type)
{
	size_t start;

	pad4(b);
	start = b->n;
	u32(b, type);
	u32(b, 0); /* total length, filled in by block_end() */
	return start;
}

static void
block_end(struct pcapng_buf *b, size_t start)
{
	uint32_t tot;

	pad4(b);
	tot = (uint32_t)(b->n - start + 4);
	memcpy(b->p + start + 4, &tot, 4);
	u32(b, tot);
}

void
pcapng_shb(struct pcapng_buf *b, const char *app, const char *comment)
{
	size_t s = block_begin(b, BT_SHB);
	int64_t seclen = -1;

	u32(b, 0x1A2B3C4Du);
	u16(b, 1);
	u16(b, 0);
	put(b, &seclen, 8);
	if (comment != NULL && comment[0] != '\0')
		opt(b, OPT_COMMENT, comment, strlen(comment));
	if (app != NULL)
		opt(b, SHB_USERAPPL, app, strlen(app));
	u16(b, OPT_END);
	u16(b, 0);
	block_end(b, s);
}

void
pcapng_idb(struct pcapng_buf *b, const char *name, const char *desc)
{
	size_t s = block_begin(b, BT_IDB);
	uint8_t res = 9;

	u16(b, 1); /* LINKTYPE_ETHERNET */
	u16(b, 0);
	u32(b, 0); /* no snap length */
	if (name != NULL)
		opt(b, IF_NAME, name, strlen(name));
	if (desc != NULL)
		opt(b, IF_DESCRIPTION, desc, strlen(desc));
	/* Without if_tsresol readers take timestamps as microseconds. */
	opt(b, IF_TSRESOL, &res, 1);
	u16(b, OPT_END);
	u16(b, 0);
	block_end(b, s);
}

void
pcapng_nrb(struct pcapng_buf *b, const struct pcapng_name *v, size_t n)
{
	size_t s = block_begin(b, BT_NRB), i;

	for (i = 0; i < n; i++) {
		size_t al = net_addr_len(&v[i].addr), nl = strlen(v[i].name);

		u16(b, v[i].addr.family == NET_AF_INET ? NRB_IPV4 : NRB_IPV6);
		u16(b, (uint16_t)(al + nl + 1));
		put(b, v[i].addr.b, al);
		put(b, v[i].name, nl + 1);
		pad4(b);
	}
	u16(b, NRB_END);
	u16(b, 0);
	block_end(b, s);
}

void
pcapng_epb(struct pcapng_buf *b, uint32_t ifid, uint64_t ts_ns,
    const uint8_t *data, size_t len, uint32_t flags, const char *comments)
{
	size_t s = block_begin(b, BT_EPB);
	bool any = false;

	u32(b, ifid);
	u32(b, (uint32_t)(ts_ns >> 32));
	u32(b, (uint32_t)ts_ns);
	u32(b, (uint32_t)len);
	u32(b, (uint32_t)len);
	put(b, data, len);
	pad4(b);
	if (comments != NULL) {
		const char *p = comments;

		while (*p != '\0') {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);

			if (n > 0) {
				opt(b, OPT_COMMENT, p, n);
				any = true;
			}
			p += n;
			if (*p == '\n')
				p++;
		}
	}
	if (flags != 0) {
		opt(b, EPB_FLAGS, &flags, 4);
		any = true;
	}
	if (any) {
		u16(b, OPT_END);
		u16(b, 0);
	}
	block_end(b, s);
}

/*
 * test_pcapng.c - the pcapng block writer (sim/capture/pcapng.c) and the
 * capture tap that uses it (sim/capture/capture.c).
 *
 * Evidence:
 *  - the block layouts of draft-ietf-opsawg-pcapng (§3.1 general block
 *    structure: type, total length, body padded to 32 bits, total length
 *    again; §3.5 options: code, length without padding, value padded to
 *    32 bits, the list ending with opt_endofopt; §4.1 Section Header
 *    Block with byte-order magic 0x1A2B3C4D, version 1.0 and section
 *    length -1 for "not specified"; §4.2 Interface Description Block
 *    with if_tsresol; §4.3 Enhanced Packet Block with epb_flags, whose
 *    bits 0-1 are the direction, 01 inbound and 10 outbound; §4.5 Name
 *    Resolution Block with nrb_record_ipv4 (1), nrb_record_ipv6 (2) of
 *    an address and zero-terminated names, and nrb_record_end (0)),
 *    each block spelled out byte by byte here by a writer of its own;
 *  - libpcap reading a written file back
 *    (pcap_open_offline_with_tstamp_precision(3PCAP)): the link type, the
 *    exact nanosecond timestamps (if_tsresol 9 honoured: read at
 *    microsecond precision they come out truncated), the bytes;
 *  - capture.h: a pcapng capture carries, as packet comments, the notes
 *    the simulator made about each frame, from the whole network or from
 *    one host's vantage point, with the direction in epb_flags.
 *
 * Blocks are in the host's byte order (the byte-order magic says which),
 * so the expected bytes are built with host-order stores.
 */
#define _DEFAULT_SOURCE /* libpcap's headers use u_int and u_char */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/capture.h"
#include "capture/pcapng.h"
#include "core/sim.h"
#include "fault/fault.h"
#include "net/net.h"
#include "net/udp.h"

/* --- an expected-bytes writer of our own ---------------------------------- */

struct exp {
	uint8_t b[1024]; /* bytes */
	size_t n;        /* used */
};

static void
e_bytes(struct exp *e, const void *p, size_t n)
{
	assert_true(e->n + n <= sizeof(e->b));
	memcpy(e->b + e->n, p, n);
	e->n += n;
}

static void
e_u16(struct exp *e, uint16_t v)
{
	e_bytes(e, &v, 2);
}

static void
e_u32(struct exp *e, uint32_t v)
{
	e_bytes(e, &v, 4);
}

static void
e_zeros(struct exp *e, size_t n)
{
	static const uint8_t z[8];

	assert_true(n <= sizeof(z));
	e_bytes(e, z, n);
}

/* An option: code, length of the value, the value, zeros to 32 bits. */
static void
e_opt(struct exp *e, uint16_t code, const void *v, uint16_t len)
{
	e_u16(e, code);
	e_u16(e, len);
	e_bytes(e, v, len);
	e_zeros(e, (4 - len % 4) % 4);
}

static void
e_endofopt(struct exp *e)
{
	e_u16(e, 0);
	e_u16(e, 0);
}

/* Closes a block begun at 'start' whose total length field is at start +
 * 4: writes the trailing total length and fills in the leading one. */
static void
e_close(struct exp *e, size_t start)
{
	uint32_t tot = (uint32_t)(e->n - start + 4);

	memcpy(e->b + start + 4, &tot, 4);
	e_u32(e, tot);
}

static uint32_t
rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint16_t
rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

/* Checks the general block structure (§3.1) of the block at 'p' of
 * 'avail' bytes and returns its total length. */
static uint32_t
check_block(const uint8_t *p, size_t avail, uint32_t type)
{
	uint32_t tot;

	assert_true(avail >= 12);
	assert_int_equal(rd32(p), type);
	tot = rd32(p + 4);
	assert_true(tot >= 12 && tot <= avail);
	assert_int_equal(tot % 4, 0);
	assert_int_equal(rd32(p + tot - 4), tot);
	return tot;
}

/* --- blocks -----------------------------------------------------------------
 */

static void
test_pcapng_shb_layout_magic_version_section_length_options(void **state)
{
	/* §4.1: block type 0x0A0D0D0A, byte-order magic 0x1A2B3C4D, major
	 * 1, minor 0, section length -1 (64 bits), then opt_comment (1)
	 * and shb_userappl (4), each padded, and opt_endofopt. */
	static const char comment[] = "run of lossy-link"; /* 17 bytes */
	static const char app[] = "mxsim 0.1";             /* 9 bytes */
	struct pcapng_buf b = {NULL, 0, 0};
	struct exp e = {{0}, 0};
	int64_t minus1 = -1;
	uint8_t bom[4];

	(void)state;
	pcapng_shb(&b, app, comment);
	e_u32(&e, 0x0A0D0D0Au);
	e_u32(&e, 0);
	e_u32(&e, 0x1A2B3C4Du);
	e_u16(&e, 1);
	e_u16(&e, 0);
	e_bytes(&e, &minus1, 8);
	e_opt(&e, 1, comment, 17);
	e_opt(&e, 4, app, 9);
	e_endofopt(&e);
	e_close(&e, 0);
	assert_int_equal(e.n, 24 + (4 + 20) + (4 + 12) + 4 + 4);
	assert_int_equal(b.n, e.n);
	assert_memory_equal(b.p, e.b, e.n);
	assert_int_equal(check_block(b.p, b.n, 0x0A0D0D0Au), 72);
	/* The section length is all ones whatever the byte order. */
	assert_memory_equal(b.p + 16, "\xff\xff\xff\xff\xff\xff\xff\xff", 8);
	/* The magic, read in the host's order, tells the order. */
	memcpy(bom, b.p + 8, 4);
	assert_int_equal(rd32(bom), 0x1A2B3C4Du);
	/* The option lengths exclude the padding. */
	assert_int_equal(rd16(b.p + 24), 1);
	assert_int_equal(rd16(b.p + 26), 17);
	assert_int_equal(b.p[24 + 4 + 17], 0);
	pcapng_buf_free(&b);

	/* Without comment nor application: only the end of options. */
	pcapng_shb(&b, NULL, NULL);
	assert_int_equal(b.n, 32);
	assert_int_equal(check_block(b.p, b.n, 0x0A0D0D0Au), 32);
	assert_int_equal(rd32(b.p + 24), 0); /* opt_endofopt */
	pcapng_buf_free(&b);
}

static void
test_pcapng_idb_ethernet_no_snaplen_tsresol_9(void **state)
{
	/* §4.2: LinkType 1 (LINKTYPE_ETHERNET), 16 reserved bits, SnapLen
	 * 0 (no limit); if_name (2), if_description (3), if_tsresol (9) of
	 * one byte, 9 = 10^-9 s, padded with three zeros. */
	static const char name[] = "mx1 eth0";                 /* 8 */
	static const char desc[] = "mx1's end of link r1-mx1"; /* 24 */
	static const uint8_t res = 9;
	struct pcapng_buf b = {NULL, 0, 0};
	struct exp e = {{0}, 0};

	(void)state;
	pcapng_idb(&b, name, desc);
	e_u32(&e, 1);
	e_u32(&e, 0);
	e_u16(&e, 1);
	e_u16(&e, 0);
	e_u32(&e, 0);
	e_opt(&e, 2, name, 8);
	e_opt(&e, 3, desc, 24);
	e_opt(&e, 9, &res, 1);
	e_endofopt(&e);
	e_close(&e, 0);
	assert_int_equal(b.n, e.n);
	assert_memory_equal(b.p, e.b, e.n);
	assert_int_equal(check_block(b.p, b.n, 1), 16 + 12 + 28 + 8 + 4 + 4);
	pcapng_buf_free(&b);
}

static void
test_pcapng_nrb_ipv4_ipv6_records_zero_terminated_padded_end(void **state)
{
	/* §4.5: nrb_record_ipv4 (1): 4 address bytes and a zero-terminated
	 * name; nrb_record_ipv6 (2): 16 bytes and a name; the record length
	 * excludes the padding; nrb_record_end (0) closes the list. */
	struct pcapng_name v[4];
	struct pcapng_buf b = {NULL, 0, 0};
	struct exp e = {{0}, 0};

	(void)state;
	assert_true(net_addr_parse("192.0.2.10", &v[0].addr));
	v[0].name = "client";
	assert_true(net_addr_parse("2001:db8::10", &v[1].addr));
	v[1].name = "client";
	assert_true(net_addr_parse("198.51.100.25", &v[2].addr));
	v[2].name = "mx1";
	assert_true(net_addr_parse("203.0.113.1", &v[3].addr));
	v[3].name = "mail";
	pcapng_nrb(&b, v, 4);
	e_u32(&e, 4);
	e_u32(&e, 0);
	e_u16(&e, 1);
	e_u16(&e, 4 + 7);
	e_bytes(&e, "\xc0\x00\x02\x0a", 4);
	e_bytes(&e, "client", 7); /* with its NUL */
	e_zeros(&e, 1);
	e_u16(&e, 2);
	e_u16(&e, 16 + 7);
	e_bytes(&e, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x10", 16);
	e_bytes(&e, "client", 7);
	e_zeros(&e, 1);
	e_u16(&e, 1);
	e_u16(&e, 4 + 4);
	e_bytes(&e, "\xc6\x33\x64\x19", 4);
	e_bytes(&e, "mx1", 4); /* exactly 8: no padding */
	e_u16(&e, 1);
	e_u16(&e, 4 + 5);
	e_bytes(&e, "\xcb\x00\x71\x01", 4);
	e_bytes(&e, "mail", 5); /* the NUL starts a new 32-bit word */
	e_zeros(&e, 3);
	e_u16(&e, 0); /* nrb_record_end */
	e_u16(&e, 0);
	e_close(&e, 0);
	assert_int_equal(b.n, e.n);
	assert_memory_equal(b.p, e.b, e.n);
	assert_int_equal(
	    check_block(b.p, b.n, 4), 8 + 16 + 28 + 12 + 16 + 4 + 4);
	pcapng_buf_free(&b);
}

static void
test_pcapng_epb_two_comments_flags_padding_endofopt(void **state)
{
	/* §4.3: Interface ID, timestamp (upper, lower 32 bits, in units of
	 * if_tsresol), captured and original length, the data padded to 32
	 * bits, then options: one opt_comment per line, epb_flags (2, four
	 * bytes, direction 01 = inbound), opt_endofopt. */
	uint8_t data[61];
	const uint64_t ts = 1704067200ULL * 1000000000ULL + 123456789ULL;
	const uint32_t in = 1;
	struct pcapng_buf b = {NULL, 0, 0};
	struct exp e = {{0}, 0};
	size_t i, start;

	(void)state;
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 1);
	assert_int_equal(PCAPNG_FLAG_INBOUND, 1);
	assert_int_equal(PCAPNG_FLAG_OUTBOUND, 2);
	pcapng_epb(&b, 1, ts, data, sizeof(data), PCAPNG_FLAG_INBOUND,
	    "mx1 is down (outage 0, 0s-20m): frame dropped\nsecond");
	e_u32(&e, 6);
	e_u32(&e, 0);
	e_u32(&e, 1);
	e_u32(&e, (uint32_t)(ts >> 32));
	e_u32(&e, (uint32_t)(ts & 0xffffffffu));
	e_u32(&e, 61);
	e_u32(&e, 61);
	e_bytes(&e, data, 61);
	e_zeros(&e, 3);
	e_opt(&e, 1, "mx1 is down (outage 0, 0s-20m): frame dropped", 45);
	e_opt(&e, 1, "second", 6);
	e_opt(&e, 2, &in, 4);
	e_endofopt(&e);
	e_close(&e, 0);
	assert_int_equal(b.n, e.n);
	assert_memory_equal(b.p, e.b, e.n);
	assert_int_equal(
	    check_block(b.p, b.n, 6), 28 + 64 + (4 + 48) + (4 + 8) + 8 + 4 + 4);
	pcapng_buf_free(&b);

	/* Empty lines make no comment; no comment and no flags, no
	 * options at all (§3.5: the options are optional). */
	pcapng_epb(&b, 0, 5, data, 4, 0, "\nonly\n\n");
	pcapng_epb(&b, 0, 6, data, 4, 0, NULL);
	memset(&e, 0, sizeof(e));
	e_u32(&e, 6);
	e_u32(&e, 0);
	e_u32(&e, 0);
	e_u32(&e, 0);
	e_u32(&e, 5);
	e_u32(&e, 4);
	e_u32(&e, 4);
	e_bytes(&e, data, 4);
	e_opt(&e, 1, "only", 4);
	e_endofopt(&e);
	e_close(&e, 0);
	start = e.n;
	e_u32(&e, 6);
	e_u32(&e, 0);
	e_u32(&e, 0);
	e_u32(&e, 0);
	e_u32(&e, 6);
	e_u32(&e, 4);
	e_u32(&e, 4);
	e_bytes(&e, data, 4);
	e_close(&e, start);
	assert_int_equal(b.n, e.n);
	assert_memory_equal(b.p, e.b, e.n);
	pcapng_buf_free(&b);
}

/* --- a whole file, read back by libpcap --------------------------------------
 */

/* Writes 'b' to a fresh temporary file; returns its name (static buffer
 * of the caller). */
static void
write_tmp(const struct pcapng_buf *b, char *path, size_t len)
{
	FILE *f;
	int fd;

	snprintf(path, len, "%s/test_pcapng.XXXXXX", MX_BINARY_DIR);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b->p, 1, b->n, f), b->n);
	assert_int_equal(fclose(f), 0);
}

static void
test_pcapng_file_reads_back_in_libpcap_with_exact_ns_timestamps(void **state)
{
	static const struct {
		uint64_t ts; /* ns since 1970 */
		size_t len;
		uint32_t flags;
		const char *comments;
	} pk[2] = {
	    {1704067200ULL * 1000000000ULL + 123456789ULL, 60, 0, NULL},
	    {1704067201ULL * 1000000000ULL + 1ULL, 75, PCAPNG_FLAG_OUTBOUND,
	        "SYN retransmission 1 (no answer for 1s)\nlost on link x"},
	};
	struct pcapng_buf b = {NULL, 0, 0};
	struct pcapng_name names[1];
	uint8_t data[2][80];
	char path[512], errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *bytes;
	pcap_t *pc;
	size_t i, j;

	(void)state;
	for (i = 0; i < 2; i++)
		for (j = 0; j < sizeof(data[i]); j++)
			data[i][j] = (uint8_t)(i * 100 + j);
	assert_true(net_addr_parse("192.0.2.10", &names[0].addr));
	names[0].name = "client";
	pcapng_shb(&b, "mxsim", "test");
	pcapng_idb(&b, "network", "every frame once");
	pcapng_nrb(&b, names, 1);
	for (i = 0; i < 2; i++)
		pcapng_epb(&b, 0, pk[i].ts, data[i], pk[i].len, pk[i].flags,
		    pk[i].comments);
	write_tmp(&b, path, sizeof(path));

	pc = pcap_open_offline_with_tstamp_precision(
	    path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (pc == NULL)
		fail_msg("libpcap: %s", errbuf);
	assert_int_equal(pcap_datalink(pc), DLT_EN10MB);
	assert_int_equal(
	    pcap_get_tstamp_precision(pc), PCAP_TSTAMP_PRECISION_NANO);
	for (i = 0; i < 2; i++) {
		assert_int_equal(pcap_next_ex(pc, &h, &bytes), 1);
		assert_int_equal(h->ts.tv_sec, pk[i].ts / 1000000000ULL);
		assert_int_equal(h->ts.tv_usec, pk[i].ts % 1000000000ULL);
		assert_int_equal(h->caplen, pk[i].len);
		assert_int_equal(h->len, pk[i].len);
		assert_memory_equal(bytes, data[i], pk[i].len);
	}
	assert_int_equal(pcap_next_ex(pc, &h, &bytes), PCAP_ERROR_BREAK);
	pcap_close(pc);

	/* Read at microseconds, the same instants, truncated: libpcap
	 * scaled from the interface's 10^-9 resolution. */
	pc = pcap_open_offline_with_tstamp_precision(
	    path, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
	assert_non_null(pc);
	for (i = 0; i < 2; i++) {
		assert_int_equal(pcap_next_ex(pc, &h, &bytes), 1);
		assert_int_equal(h->ts.tv_sec, pk[i].ts / 1000000000ULL);
		assert_int_equal(
		    h->ts.tv_usec, (pk[i].ts % 1000000000ULL) / 1000);
	}
	pcap_close(pc);
	assert_int_equal(unlink(path), 0);
	pcapng_buf_free(&b);
}

/* --- the capture tap -------------------------------------------------------
 */

/* One Enhanced Packet Block found in a file. */
struct epb {
	uint32_t ifid;
	uint64_t ts;
	uint32_t len;
	uint32_t flags;      /* epb_flags, 0 if absent */
	char comments[1024]; /* '\n'-joined opt_comments */
};

/* Reads a whole file and walks its blocks: checks each block's structure
 * and collects the EPBs; returns how many. */
static size_t
read_epbs(const char *path, struct epb *v, size_t max, size_t *nidb)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long sz;
	size_t off = 0, n = 0;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	sz = ftell(f);
	assert_true(sz > 0);
	rewind(f);
	buf = malloc((size_t)sz);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)sz, f), (size_t)sz);
	fclose(f);
	*nidb = 0;
	assert_int_equal(rd32(buf), 0x0A0D0D0Au);
	while (off < (size_t)sz) {
		uint32_t type = rd32(buf + off);
		uint32_t tot = check_block(buf + off, (size_t)sz - off, type);
		const uint8_t *p = buf + off;

		if (type == 1)
			(*nidb)++;
		if (type == 6) {
			struct epb *e = &v[n++];
			size_t o, cap;

			assert_true(n <= max);
			memset(e, 0, sizeof(*e));
			e->ifid = rd32(p + 8);
			e->ts = (uint64_t)rd32(p + 12) << 32 | rd32(p + 16);
			cap = rd32(p + 20);
			e->len = rd32(p + 24);
			o = 28 + (cap + 3) / 4 * 4;
			while (o + 4 <= tot - 4) {
				uint16_t code = rd16(p + o),
				         len = rd16(p + o + 2);

				if (code == 0)
					break;
				assert_true(o + 4 + len <= tot - 4);
				if (code == 1) {
					size_t k = strlen(e->comments);

					snprintf(e->comments + k,
					    sizeof(e->comments) - k, "%s%.*s",
					    k ? "\n" : "", (int)len, p + o + 4);
				} else if (code == 2)
					e->flags = rd32(p + o + 4);
				o += 4 + (len + 3u) / 4 * 4;
			}
		}
		off += tot;
	}
	free(buf);
	return n;
}

struct caplab {
	struct sim sim;
	struct net net;
	struct net_host *a, *b;
	struct net_addr a4, b4;
	int got;
};

static void
cap_recv(void *ctx, struct net_host *h, const struct udp_from *from,
    const uint8_t *data, size_t len)
{
	(void)h;
	(void)from;
	(void)data;
	(void)len;
	((struct caplab *)ctx)->got++;
}

static void
cap_send(struct sim *sim, void *arg)
{
	struct caplab *l = arg;
	static const uint8_t q[8] = {1, 2, 3, 4, 5, 6, 7, 8};

	(void)sim;
	udp_send(l->a, &l->a4, 40000, &l->b4, 53, q, sizeof(q));
}

/* A - B (1 ms), B down from 1 s on, a datagram A -> B at 0.5 s (answered
 * by nothing: B only listens) and one at 1.5 s (dropped at B), captured
 * in pcapng from 'at' (NULL: the whole network). */
static size_t
cap_run(struct net_host *(*pick)(struct caplab *), struct epb *v, size_t max,
    size_t *nidb)
{
	static const struct net_link_params p = {SIM_MS(1), 0, 0, 0};
	const struct fault down = {.from = SIM_S(1),
	    .to = SIM_NEVER,
	    .kind = FAULT_DOWN,
	    .svc = FAULT_SVC_ANY,
	    .family = 0,
	    .index = 0};
	struct caplab *l = calloc(1, sizeof(*l));
	struct cap_opts o;
	struct cap *c = NULL;
	struct mx_err err;
	char path[512];
	size_t n;

	assert_non_null(l);
	sim_init(&l->sim, 1);
	net_init(&l->net, &l->sim);
	l->a = net_host_add(&l->net, "client");
	l->b = net_host_add(&l->net, "mx1");
	assert_true(net_addr_parse("192.0.2.10", &l->a4));
	assert_true(net_addr_parse("198.51.100.25", &l->b4));
	assert_int_equal(net_host_addr_add(l->a, &l->a4), 0);
	assert_int_equal(net_host_addr_add(l->b, &l->b4), 0);
	assert_non_null(net_link_add(&l->net, l->a, l->b, &p));
	assert_int_equal(net_finalize(&l->net), 0);
	net_host_set_faults(l->b, &down, 1);
	assert_int_equal(udp_bind(l->b, 53, cap_recv, NULL, l), 53);
	memset(&o, 0, sizeof(o));
	o.format = CAP_PCAPNG;
	o.epoch = 1704067200; /* 2024-01-01T00:00:00Z */
	o.at = pick(l);
	o.comment = NULL;
	snprintf(path, sizeof(path), "%s/test_pcapng_cap.%ld.pcapng",
	    MX_BINARY_DIR, (long)getpid());
	assert_int_equal(cap_open(&c, path, &l->net, &o, &err), 0);
	sim_at(&l->sim, SIM_MS(500), cap_send, l);
	sim_at(&l->sim, SIM_MS(1500), cap_send, l);
	sim_run(&l->sim, SIM_S(10));
	assert_int_equal(l->got, 1);
	assert_int_equal(cap_close(c, true, &err), 0);
	n = read_epbs(path, v, max, nidb);
	assert_int_equal(unlink(path), 0);
	sim_fini(&l->sim);
	net_fini(&l->net);
	free(l);
	return n;
}

static struct net_host *
pick_none(struct caplab *l)
{
	(void)l;
	return NULL;
}

static struct net_host *
pick_b(struct caplab *l)
{
	return l->b;
}

static void
test_pcapng_capture_keeps_the_fate_of_each_frame_as_comment(void **state)
{
	/* capture.h: each frame carries the notes made about it, even when
	 * its fate is decided after it was captured ("mx1 is down ...:
	 * frame dropped" is decided at B, after the whole-network tap saw
	 * the frame leave A); timestamps are the epoch plus simulated
	 * time. */
	struct epb v[4];
	size_t nidb, n;

	(void)state;
	n = cap_run(pick_none, v, 4, &nidb);
	assert_int_equal(nidb, 1);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].ts, 1704067200500000000ULL);
	assert_int_equal(v[1].ts, 1704067201500000000ULL);
	assert_int_equal(v[0].len, 14 + 20 + 8 + 8);
	assert_string_equal(v[0].comments, "");
	assert_string_equal(
	    v[1].comments, "mx1 is down (outage 0, from 1s): frame dropped");
	assert_int_equal(v[1].flags, 0);
}

static void
test_pcapng_capture_at_a_host_has_direction_and_the_fate(void **state)
{
	/* capture.h: from a host's vantage point, one interface per link,
	 * the direction in epb_flags (inbound: bits 01), frames stamped
	 * when they arrive; a frame that arrives at a host that is down
	 * is what tcpdump there shows, with why nothing answers it. */
	struct epb v[4];
	size_t nidb, n;

	(void)state;
	n = cap_run(pick_b, v, 4, &nidb);
	assert_int_equal(nidb, 1);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].ts, 1704067200501000000ULL);
	assert_int_equal(v[1].ts, 1704067201501000000ULL);
	assert_int_equal(v[0].flags, PCAPNG_FLAG_INBOUND);
	assert_int_equal(v[1].flags, PCAPNG_FLAG_INBOUND);
	assert_string_equal(v[0].comments, "");
	assert_string_equal(
	    v[1].comments, "mx1 is down (outage 0, from 1s): frame dropped");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
	        test_pcapng_shb_layout_magic_version_section_length_options),
	    cmocka_unit_test(test_pcapng_idb_ethernet_no_snaplen_tsresol_9),
	    cmocka_unit_test(
	        test_pcapng_nrb_ipv4_ipv6_records_zero_terminated_padded_end),
	    cmocka_unit_test(
	        test_pcapng_epb_two_comments_flags_padding_endofopt),
	    cmocka_unit_test(
	        test_pcapng_file_reads_back_in_libpcap_with_exact_ns_timestamps),
	    cmocka_unit_test(
	        test_pcapng_capture_keeps_the_fate_of_each_frame_as_comment),
	    cmocka_unit_test(
	        test_pcapng_capture_at_a_host_has_direction_and_the_fate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

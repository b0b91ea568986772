/*
 * capture.c - the capture tap: classic pcap through libpcap, or pcapng
 * through pcapng.c, from the whole network or from one host.
 *
 * Classic pcap (pcap-savefile(5)): pcap_open_dead_with_tstamp_precision
 * (DLT_EN10MB, 262144, NANO) gives a "nanosecond pcap" whose record header
 * carries seconds and nanoseconds (normalised below 10^9); caplen always
 * equals len.  Frames are written as they are seen; notes are not kept.
 *
 * pcapng: SHB, then one IDB per capture point, then the NRB (before any
 * packet, so single-pass readers resolve names), then EPBs.  A frame waits
 * in a queue until its packet is settled (delivered or dropped), gathering
 * the notes made about it; the queue is written from its head, so frames
 * leave in the order they were captured, which is time order.  Frames
 * arriving at a vantage host are settled when the host has dealt with
 * them (net.c settles every packet at the end of its receive), so the
 * host's own verdict ("mx1 is down ...: frame dropped") is kept.
 *
 * Simulated time 0 is 'epoch' (2024-01-01T00:00:00Z by default), far from
 * the classic format's 2038 limit and independent of the wall clock, so
 * two runs write identical bytes.
 */
/* libpcap's headers use the BSD u_int/u_char types. */
#define _DEFAULT_SOURCE

#include "capture.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pcapng.h"

struct held {
	sim_time_t t;   /* capture time */
	uint32_t ifid;  /* pcapng interface */
	uint32_t flags; /* epb_flags direction, or 0 */
	uint8_t *frame; /* owned copy of the bytes */
	size_t len;     /* their length */
	char *notes;    /* owned '\n'-separated notes, or NULL */
	size_t nlen;    /* bytes in 'notes' */
	bool settled;   /* no more notes will come */
};

struct cap {
	struct cap_opts o;        /* options */
	char *path;               /* owned final path */
	char *tmp;                /* owned temporary path */
	pcap_t *pd;               /* owned libpcap handle (classic) */
	pcap_dumper_t *d;         /* owned dumper (classic) */
	FILE *f;                  /* owned stream (pcapng) */
	struct pcapng_buf buf;    /* pcapng block being formatted */
	struct held *q;           /* owned queue of held frames (pcapng) */
	size_t qhead, qlen, qcap; /* ring: first, count, capacity */
	uint64_t qbase;           /* ticket of q[qhead] */
	uint64_t frames;          /* frames written */
	uint64_t bytes;           /* bytes written */
	bool failed;              /* a write failed */
};

static const struct net_tap_ops pcap_ops;
static const struct net_tap_ops pcapng_ops;

bool
cap_format_of(const char *path, enum cap_format *out)
{
	size_t n = strlen(path);

	if (n > 7 && strcmp(path + n - 7, ".pcapng") == 0)
		*out = CAP_PCAPNG;
	else if (n > 5 && strcmp(path + n - 5, ".pcap") == 0)
		*out = CAP_PCAP;
	else
		return false;
	return true;
}

static uint64_t
ts_ns(const struct cap *c, sim_time_t t)
{
	return (uint64_t)c->o.epoch * 1000000000ULL + (uint64_t)t;
}

/* --- classic pcap -------------------------------------------------------- */

static uint64_t
pcap_frame(void *ctx, const struct net_frame *fr)
{
	struct cap *c = ctx;
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)(c->o.epoch + fr->t / 1000000000);
	/* In a nanosecond file this field holds nanoseconds. */
	h.ts.tv_usec = (suseconds_t)(fr->t % 1000000000);
	h.caplen = h.len = (bpf_u_int32)fr->len;
	pcap_dump((u_char *)c->d, &h, fr->data);
	c->frames++;
	c->bytes += 16 + fr->len;
	return 0; /* nothing more to hear about this packet */
}

static const struct net_tap_ops pcap_ops = {
    .frame = pcap_frame,
    .note = NULL,
    .done = NULL,
};

/* --- pcapng -------------------------------------------------------------- */

static void
flush_buf(struct cap *c)
{
	if (c->buf.n == 0)
		return;
	if (fwrite(c->buf.p, 1, c->buf.n, c->f) != c->buf.n)
		c->failed = true;
	c->bytes += c->buf.n;
	c->buf.n = 0;
}

static struct held *
held_at(struct cap *c, size_t i)
{
	return &c->q[(c->qhead + i) % c->qcap];
}

/* Writes the settled frames at the head of the queue. */
static void
drain(struct cap *c, bool all)
{
	while (c->qlen > 0) {
		struct held *h = held_at(c, 0);

		if (!h->settled && !all)
			break;
		pcapng_epb(&c->buf, h->ifid, ts_ns(c, h->t), h->frame, h->len,
		    h->flags, h->notes);
		c->frames++;
		free(h->frame);
		free(h->notes);
		h->frame = NULL;
		h->notes = NULL;
		c->qhead = (c->qhead + 1) % c->qcap;
		c->qlen--;
		c->qbase++;
		if (c->buf.n >= 65536)
			flush_buf(c);
	}
}

static uint64_t
pcapng_frame(void *ctx, const struct net_frame *fr)
{
	struct cap *c = ctx;
	struct held *h;

	if (c->qlen == c->qcap) {
		/* Grow the ring, keeping its order. */
		size_t ncap = c->qcap ? c->qcap * 2 : 256, i;
		struct held *nq = mx_xcalloc(ncap, sizeof(*nq));

		for (i = 0; i < c->qlen; i++)
			nq[i] = *held_at(c, i);
		free(c->q);
		c->q = nq;
		c->qcap = ncap;
		c->qhead = 0;
	}
	h = &c->q[(c->qhead + c->qlen) % c->qcap];
	c->qlen++;
	h->t = fr->t;
	h->ifid = c->o.at != NULL ? fr->ifp->index : 0;
	h->flags = c->o.at == NULL ? 0
	           : fr->inbound   ? PCAPNG_FLAG_INBOUND
	                           : PCAPNG_FLAG_OUTBOUND;
	h->frame = mx_xmalloc(fr->len);
	memcpy(h->frame, fr->data, fr->len);
	h->len = fr->len;
	h->nlen = fr->pkt->nlen;
	h->notes = h->nlen > 0 ? mx_xstrdup(fr->pkt->notes) : NULL;
	/* Not settled yet, even when arriving at the vantage host: the
	 * host may still drop it, with a note, before net.c calls done. */
	h->settled = false;
	return c->qbase + c->qlen - 1 + 1;
}

static struct held *
held_find(struct cap *c, uint64_t ticket)
{
	uint64_t i = ticket - 1;

	if (ticket == 0 || i < c->qbase || i >= c->qbase + c->qlen)
		return NULL;
	return held_at(c, (size_t)(i - c->qbase));
}

static void
pcapng_note(void *ctx, uint64_t ticket, const char *text)
{
	struct cap *c = ctx;
	struct held *h = held_find(c, ticket);
	size_t n = strlen(text);

	if (h == NULL || h->settled)
		return;
	h->notes = mx_xrealloc(h->notes, h->nlen + n + 2);
	if (h->nlen > 0)
		h->notes[h->nlen++] = '\n';
	memcpy(h->notes + h->nlen, text, n + 1);
	h->nlen += n;
}

static void
pcapng_done(void *ctx, uint64_t ticket)
{
	struct cap *c = ctx;
	struct held *h = held_find(c, ticket);

	if (h == NULL)
		return;
	h->settled = true;
	drain(c, false);
}

static const struct net_tap_ops pcapng_ops = {
    .frame = pcapng_frame,
    .note = pcapng_note,
    .done = pcapng_done,
};

static void
pcapng_header(struct cap *c, struct net *net)
{
	struct pcapng_name *names;
	size_t i, j, n = 0, total = 0;
	char app[64];

	snprintf(app, sizeof(app), "mxsim");
	pcapng_shb(&c->buf, app, c->o.comment);
	if (c->o.at == NULL)
		pcapng_idb(&c->buf, "network",
		    "every frame once, as its origin sends it");
	else
		for (i = 0; i < c->o.at->nifs; i++) {
			char name[128], desc[160];
			const struct net_if *ifp = &c->o.at->ifs[i];

			snprintf(
			    name, sizeof(name), "%s eth%zu", c->o.at->name, i);
			snprintf(desc, sizeof(desc), "%s's end of link %s",
			    c->o.at->name, ifp->link->name);
			pcapng_idb(&c->buf, name, desc);
		}
	for (i = 0; i < net->nhosts; i++)
		total += net->hosts[i]->naddr;
	names = mx_xcalloc(total + 1, sizeof(*names));
	for (i = 0; i < net->nhosts; i++)
		for (j = 0; j < net->hosts[i]->naddr; j++) {
			names[n].addr = net->hosts[i]->addr[j];
			names[n].name = net->hosts[i]->name;
			n++;
		}
	pcapng_nrb(&c->buf, names, n);
	free(names);
	flush_buf(c);
}

/* --- open and close ------------------------------------------------------ */

static void
cap_free(struct cap *c)
{
	size_t i;

	for (i = 0; i < c->qlen; i++) {
		free(held_at(c, i)->frame);
		free(held_at(c, i)->notes);
	}
	free(c->q);
	pcapng_buf_free(&c->buf);
	free(c->tmp);
	free(c->path);
	free(c);
}

int
cap_open(struct cap **out, const char *path, struct net *net,
    const struct cap_opts *o, struct mx_err *err)
{
	struct cap *c = mx_xcalloc(1, sizeof(*c));
	size_t n = strlen(path) + 16;
	int rc;

	c->o = *o;
	c->path = mx_xstrdup(path);
	c->tmp = mx_xmalloc(n);
	/* Same directory, so that rename() is atomic. */
	snprintf(c->tmp, n, "%s.part", path);
	if (o->format == CAP_PCAP) {
		c->pd = pcap_open_dead_with_tstamp_precision(
		    DLT_EN10MB, 262144, PCAP_TSTAMP_PRECISION_NANO);
		if (c->pd == NULL) {
			cap_free(c);
			return mx_err_set(
			    err, MX_EIO, "libpcap cannot open a writer");
		}
		c->d = pcap_dump_open(c->pd, c->tmp);
		if (c->d == NULL) {
			rc = mx_err_set(err, MX_EIO,
			    "cannot write capture '%s': %s", path,
			    pcap_geterr(c->pd));
			pcap_close(c->pd);
			cap_free(c);
			return rc;
		}
		c->bytes = 24;
	} else {
		c->f = fopen(c->tmp, "wb");
		if (c->f == NULL) {
			rc = mx_err_set(err, MX_EIO,
			    "cannot write capture '%s': %s", path,
			    strerror(errno));
			cap_free(c);
			return rc;
		}
		pcapng_header(c, net);
	}
	rc = net_tap_add(
	    net, o->at, o->format == CAP_PCAP ? &pcap_ops : &pcapng_ops, c);
	if (rc != 0) {
		struct mx_err e;

		if (cap_close(c, false, &e) != 0)
			return mx_err_set(
			    err, rc, "too many captures (%s)", e.msg);
		return mx_err_set(err, rc, "too many captures");
	}
	*out = c;
	return 0;
}

uint64_t
cap_frames(const struct cap *c)
{
	return c->frames;
}

uint64_t
cap_bytes(const struct cap *c)
{
	return c->bytes;
}

int
cap_close(struct cap *c, bool keep, struct mx_err *err)
{
	int rc = 0;

	if (c == NULL)
		return 0;
	if (c->o.format == CAP_PCAP) {
		if (pcap_dump_flush(c->d) != 0 || ferror(pcap_dump_file(c->d)))
			c->failed = true;
		pcap_dump_close(c->d);
		pcap_close(c->pd);
	} else {
		/* Packets still in flight at the end are written as they
		 * are. */
		drain(c, true);
		flush_buf(c);
		if (fflush(c->f) != 0 || ferror(c->f))
			c->failed = true;
		if (fclose(c->f) != 0)
			c->failed = true;
	}
	if (c->failed)
		rc = mx_err_set(
		    err, MX_EIO, "error writing capture '%s'", c->path);
	if (keep && rc == 0 && rename(c->tmp, c->path) != 0)
		rc =
		    mx_err_set(err, MX_EIO, "cannot rename capture to '%s': %s",
		        c->path, strerror(errno));
	if (!keep || rc != 0)
		unlink(c->tmp);
	cap_free(c);
	return rc;
}

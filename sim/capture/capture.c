/*
 * capture.c - classic pcap through libpcap (pcap-savefile(5)).
 *
 * pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 262144, NANO) gives a
 * "nanosecond pcap" whose record header carries seconds and nanoseconds
 * (normalised below 10^9); caplen always equals len.  Simulated time 0 is
 * 'epoch' (2024-01-01T00:00:00Z by default), far from the format's 2038
 * limit and independent of the wall clock, so two runs write identical
 * bytes.
 */
/* libpcap's headers use the BSD u_int/u_char types. */
#define _DEFAULT_SOURCE

#include "capture.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct cap {
	pcap_t *pd;       /* owned libpcap handle (dead) */
	pcap_dumper_t *d; /* owned dumper */
	char *path;       /* owned final path */
	char *tmp;        /* owned temporary path */
	int64_t epoch;    /* Unix seconds at t = 0 */
	uint64_t frames;  /* frames written */
};

int
cap_open(struct cap **out, const char *path, int64_t epoch, struct mx_err *err)
{
	struct cap *c = mx_xcalloc(1, sizeof(*c));
	size_t n = strlen(path) + 16;

	c->path = mx_xstrdup(path);
	c->tmp = mx_xmalloc(n);
	/* Same directory, so that rename() is atomic. */
	snprintf(c->tmp, n, "%s.part", path);
	c->epoch = epoch;
	c->pd = pcap_open_dead_with_tstamp_precision(
	    DLT_EN10MB, 262144, PCAP_TSTAMP_PRECISION_NANO);
	if (c->pd == NULL) {
		free(c->tmp);
		free(c->path);
		free(c);
		return mx_err_set(err, MX_EIO, "libpcap cannot open a writer");
	}
	c->d = pcap_dump_open(c->pd, c->tmp);
	if (c->d == NULL) {
		int rc = mx_err_set(err, MX_EIO,
		    "cannot write capture '%s': %s", path, pcap_geterr(c->pd));

		pcap_close(c->pd);
		free(c->tmp);
		free(c->path);
		free(c);
		return rc;
	}
	*out = c;
	return 0;
}

void
cap_tap(void *ctx, sim_time_t t, const uint8_t *frame, size_t len,
    const struct net_note *note)
{
	struct cap *c = ctx;
	struct pcap_pkthdr h;

	(void)note;
	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)(c->epoch + t / 1000000000);
	/* In a nanosecond file this field holds nanoseconds. */
	h.ts.tv_usec = (suseconds_t)(t % 1000000000);
	h.caplen = h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)c->d, &h, frame);
	c->frames++;
}

uint64_t
cap_frames(const struct cap *c)
{
	return c->frames;
}

int
cap_close(struct cap *c, bool keep, struct mx_err *err)
{
	int rc = 0;

	if (c == NULL)
		return 0;
	if (pcap_dump_flush(c->d) != 0 || ferror(pcap_dump_file(c->d)))
		rc = mx_err_set(
		    err, MX_EIO, "error writing capture '%s'", c->path);
	pcap_dump_close(c->d);
	pcap_close(c->pd);
	if (keep && rc == 0) {
		if (rename(c->tmp, c->path) != 0)
			rc = mx_err_set(err, MX_EIO,
			    "cannot rename capture to '%s'", c->path);
	}
	if (!keep || rc != 0)
		unlink(c->tmp);
	free(c->tmp);
	free(c->path);
	free(c);
	return rc;
}

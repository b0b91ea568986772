/*
 * capture.h - writing the frames of a run to a capture file that Wireshark
 * opens cleanly: classic pcap (through libpcap) or annotated pcapng (our
 * own writer), seen from the whole network or from one host.
 *
 * The writer is a net tap.  A pcapng file holds a Name Resolution Block
 * with every node's name and addresses, one interface per capture point
 * (nanosecond resolution), and for each frame the notes the simulator made
 * about it as packet comments ("mx1 is down (outage 0, 0s-20m): frame
 * dropped").  Because a frame's fate may be decided after it was captured
 * (it is dropped two hops later), a pcapng frame is held until its packet
 * is settled and written then; frames leave in capture order, so the file
 * stays in time order.
 *
 * Everything is written to a temporary file next to the target and
 * renamed only when the run finished well, so a failed run never leaves a
 * half-written capture behind.
 */
#ifndef MX_CAPTURE_H
#define MX_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/err.h"
#include "../net/net.h"

enum cap_format {
	CAP_PCAP,   /* classic pcap, nanosecond timestamps, no comments */
	CAP_PCAPNG, /* pcapng with names and comments */
};

struct cap_opts {
	enum cap_format format; /* file format */
	int64_t epoch;          /* Unix seconds at simulated time 0 */
	struct net_host *at;    /* vantage host, NULL = whole network */
	const char *comment;    /* capture comment (pcapng), or NULL */
};

struct cap;

/* The format a path asks for: ".pcapng" -> pcapng, ".pcap" -> pcap;
 * false for anything else. */
bool cap_format_of(const char *path, enum cap_format *out);

/* Opens 'path' for writing the frames of 'net' (whose topology and
 * addresses must be complete) and registers the tap.  With 'at' set, only
 * the frames that host sends and receives are written, one pcapng
 * interface per interface of the host. */
int cap_open(struct cap **out, const char *path, struct net *net,
    const struct cap_opts *o, struct mx_err *err) MX_NODISCARD;

/* Writes what is still held, flushes and closes.  With 'keep', the file
 * takes its final name; without, it is removed.  Returns an error when
 * any write failed. */
int cap_close(struct cap *c, bool keep, struct mx_err *err) MX_NODISCARD;

/* Frames and bytes written so far (bytes of the file, headers included). */
uint64_t cap_frames(const struct cap *c);
uint64_t cap_bytes(const struct cap *c);

#endif

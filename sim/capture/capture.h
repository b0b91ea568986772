/*
 * capture.h - writing the frames a run puts on the wire to a capture file
 * that Wireshark opens cleanly.
 *
 * The writer is a net tap.  It writes to a temporary file next to the
 * target and renames it only when the run finished well, so a failed run
 * never leaves a half-written capture behind.
 */
#ifndef MX_CAPTURE_H
#define MX_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/err.h"
#include "../net/net.h"

struct cap;

/* Opens a classic pcap (link type Ethernet, nanosecond timestamps counted
 * from 'epoch' Unix seconds) for writing to 'path'. */
int cap_open(struct cap **out, const char *path, int64_t epoch,
    struct mx_err *err) MX_NODISCARD;

/* The tap to register with net_tap_add(), with the 'struct cap *'. */
net_tap_fn cap_tap;

/* Flushes and closes.  With 'keep', the file takes its final name; without,
 * it is removed.  Returns an error when any write failed. */
int cap_close(struct cap *c, bool keep, struct mx_err *err) MX_NODISCARD;

/* Frames and bytes written so far. */
uint64_t cap_frames(const struct cap *c);

#endif

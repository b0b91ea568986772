/*
 * timeline.h - a run drawn as one SVG picture (docs/timeline.md).
 *
 * A collector subscribes to the trace during the run and keeps what it
 * will draw (DNS queries and answers, queue events, stored messages, zone
 * changes); after the run it reads the world (hosts, outage windows) and
 * the senders' per-recipient attempt lists, and writes an SVG: one lane
 * per host, time left to right on an axis that compresses long idle gaps.
 * The picture depends only on the run, so the same run gives the same
 * bytes.
 */
#ifndef MX_TIMELINE_H
#define MX_TIMELINE_H

#include <stdbool.h>
#include <stdio.h>

#include "../core/err.h"
#include "../core/trace.h"
#include "../world/world.h"

struct timeline;

/* A collector for a run of 'w' (borrowed; it must outlive the collector).
 * Subscribe timeline_trace with it before the run starts. */
struct timeline *timeline_new(const struct world *w);
trace_fn timeline_trace;
/* Writes the picture of the finished run to 'out'; 0, or MX_EIO when a
 * write failed. */
int timeline_svg(
    struct timeline *tl, const struct world_run *run, FILE *out) MX_NODISCARD;
void timeline_free(struct timeline *tl);

/* The same for a file, the way the other outputs are written: open
 * creates "PATH.part" at once (so a bad path fails before the run);
 * close with 'keep' draws into it and renames it to PATH, without 'keep'
 * (or on any error) removes it.  Close frees the collector. */
int timeline_open(struct timeline **out, const char *path,
    const struct world *w, struct mx_err *err) MX_NODISCARD;
int timeline_close(struct timeline *tl, const struct world_run *run, bool keep,
    struct mx_err *err) MX_NODISCARD;

#endif

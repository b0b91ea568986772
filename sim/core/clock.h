/*
 * clock.h - simulated time as calendar time, for Date: and Received:
 * headers and capture timestamps.
 *
 * A run starts at a fixed instant (by default 2024-01-01T00:00:00Z, Unix
 * time 1704067200), never at the wall clock, so outputs are reproducible;
 * the classic pcap format counts seconds in 32 bits, which this start
 * keeps far from 2038.
 */
#ifndef MX_CLOCK_H
#define MX_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "simtime.h"

#define CLOCK_EPOCH_DEFAULT INT64_C(1704067200)

/* RFC 5322 §3.3 date-time, e.g. "Mon, 01 Jan 2024 00:00:30 +0000". */
char *clock_rfc5322(int64_t epoch, sim_time_t t, char *buf, size_t len);

/* ISO 8601 UTC with nanoseconds, e.g. "2024-01-01T00:00:30.000400000Z". */
char *clock_iso8601(int64_t epoch, sim_time_t t, char *buf, size_t len);

#endif

/*
 * dur.h - durations as scenarios write them ("250ms", "30s", "5m", "2h",
 * "1d", "1h30m", "1.5s") and as the narrative prints them.
 */
#ifndef MX_DUR_H
#define MX_DUR_H

#include <stdbool.h>
#include <stddef.h>

#include "simtime.h"

/* Parses a duration string into nanoseconds.  Units: ns, us, ms, s, m (or
 * min), h, d; several terms may follow each other ("1h30m"); a term may
 * have a decimal fraction.  A bare number is not accepted here (the script
 * layer turns Lua numbers into seconds itself).  On failure returns false
 * and writes a reason into 'why'. */
bool dur_parse(const char *s, sim_time_t *out, char *why, size_t whylen);

/* Seconds as a Lua number to nanoseconds, rounded to the nearest ns; false
 * when negative, not finite or out of range. */
bool dur_from_seconds(double secs, sim_time_t *out);

/* Compact human form: "0s", "250ms", "30s", "5m", "1h30m", "2d3h". */
char *dur_format(sim_time_t d, char *buf, size_t len);

/* Fixed form for the narrative and traces: seconds with six decimals. */
char *dur_format_secs(sim_time_t t, char *buf, size_t len);

#endif

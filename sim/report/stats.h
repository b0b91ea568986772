/*
 * stats.h - the small statistics of a sweep: binomial confidence
 * intervals, percentiles of simulated times, and a stable hash for
 * naming what a sweep was run on.
 */
#ifndef MX_STATS_H
#define MX_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "../core/simtime.h"

/* z for a two-sided 95 % interval (the 0.975 quantile of the normal). */
#define STATS_Z95 1.959963984540054
/* z for a two-sided 99 % interval (the 0.995 quantile). */
#define STATS_Z99 2.5758293035489004

/* The Wilson score interval for k successes in n trials at quantile z
 * (Wilson 1927; Newcombe 1998 method 3): never outside [0, 1], sensible
 * at k = 0 and k = n.  With n = 0 nothing is known: [0, 1]. */
void stats_wilson(uint64_t k, uint64_t n, double z, double *lo, double *hi);

/* Sorts 'v' in increasing order. */
void stats_sort_times(sim_time_t *v, size_t n);

/* The p-th percentile (0 < p <= 100) of 'n' sorted values by the
 * nearest-rank method: the smallest value with at least p % of the
 * values at or below it, always one of the values.  -1 when n is 0. */
sim_time_t stats_percentile(const sim_time_t *sorted, size_t n, double p);

/* 64-bit FNV-1a over 'len' bytes, continuing from 'h' (start with
 * STATS_FNV_INIT). */
#define STATS_FNV_INIT UINT64_C(0xcbf29ce484222325)
uint64_t stats_fnv1a(uint64_t h, const void *p, size_t len);

#endif

/*
 * stats.c - binomial intervals, percentiles and a hash for sweeps.
 *
 * A sweep estimates proportions (delivered within an hour) from a few
 * hundred or thousand runs, often near 0 or 1, where the textbook
 * normal interval p +- z sqrt(p(1-p)/n) collapses to a point or leaves
 * [0, 1].  The Wilson score interval inverts the score test instead and
 * keeps its coverage close to nominal at small n and extreme p
 * (Newcombe, "Two-sided confidence intervals for the single proportion",
 * Statistics in Medicine 17, 1998; Brown, Cai, DasGupta, Statistical
 * Science 16, 2001, recommend it).
 *
 * Percentiles use the nearest-rank method: the result is always a
 * latency some run actually had, so "p99 = 30m0.5s" can be looked up in
 * that run's narrative, and merging shards gives the same value as one
 * big run (no interpolation between neighbours that depend on n).
 */
#include <math.h>
#include <stdlib.h>

#include "stats.h"

void
stats_wilson(uint64_t k, uint64_t n, double z, double *lo, double *hi)
{
	double p, z2n, den, mid, half;

	if (n == 0 || k > n) {
		*lo = 0.0;
		*hi = 1.0;
		return;
	}
	p = (double)k / (double)n;
	z2n = z * z / (double)n;
	den = 1.0 + z2n;
	mid = (p + z2n / 2.0) / den;
	half =
	    z * sqrt(p * (1.0 - p) / (double)n + z2n / (4.0 * (double)n)) / den;
	/* At k = 0 (or n) the bound is exactly 0 (or 1); rounding must not
	 * make it -1e-17. */
	*lo = k == 0 ? 0.0 : fmax(0.0, mid - half);
	*hi = k == n ? 1.0 : fmin(1.0, mid + half);
}

static int
time_cmp(const void *a, const void *b)
{
	sim_time_t x = *(const sim_time_t *)a, y = *(const sim_time_t *)b;

	return (x > y) - (x < y);
}

void
stats_sort_times(sim_time_t *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), time_cmp);
}

sim_time_t
stats_percentile(const sim_time_t *sorted, size_t n, double p)
{
	double r;
	size_t rank;

	if (n == 0)
		return -1;
	/* rank = ceil(p/100 * n), in 1..n; computed on p * n first so
	 * that 90 % of 10 is exactly 9, not 9.000000000000002. */
	r = ceil(p * (double)n / 100.0 - 1e-9);
	rank = r < 1.0 ? 1 : r > (double)n ? n : (size_t)r;
	return sorted[rank - 1];
}

uint64_t
stats_fnv1a(uint64_t h, const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	/* FNV-1a, 64-bit prime (Fowler, Noll, Vo; IETF draft-eastlake-fnv). */
	for (i = 0; i < len; i++) {
		h ^= b[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

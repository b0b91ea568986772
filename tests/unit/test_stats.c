/*
 * test_stats.c - the statistics of sweeps (sim/report/stats.c).
 *
 * Evidence:
 *  - Wilson score intervals against the published worked examples of
 *    Newcombe, "Two-sided confidence intervals for the single
 *    proportion: comparison of seven methods", Statistics in Medicine 17
 *    (1998) 857-872, Table I, method 3 (95 %): 81/263 -> 0.2553-0.3662,
 *    15/148 -> 0.0624-0.1605, 0/20 -> 0-0.1611, 1/29 -> 0.0061-0.1718;
 *    and the symmetry lo(k, n) = 1 - hi(n - k, n) of the score interval;
 *  - nearest-rank percentiles against the worked example of the
 *    "nearest-rank method" (values 15, 20, 35, 40, 50: P30 = 20,
 *    P40 = 20, P50 = 35, P100 = 50), and the definition checked by brute
 *    force: the smallest value with at least p % of the values at or
 *    below it;
 *  - FNV-1a 64 against the test vectors of the FNV reference code
 *    (Noll's test_fnv.c, also in draft-eastlake-fnv): "" ->
 *    cbf29ce484222325, "a" -> af63dc4c8601ec8c, "foobar" ->
 *    85944171f73967e8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "core/rng.h"
#include "report/stats.h"

static void
near(double got, double want, double tol)
{
	if (fabs(got - want) > tol)
		fail_msg("got %.6f, want %.6f (+- %g)", got, want, tol);
}

static void
test_wilson_newcombe(void **state)
{
	static const struct {
		uint64_t k, n;
		double lo, hi;
	} t[] = {
	    {81, 263, 0.2553, 0.3662},
	    {15, 148, 0.0624, 0.1605},
	    {0, 20, 0.0, 0.1611},
	    {1, 29, 0.0061, 0.1718},
	};
	size_t i;
	double lo, hi;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		stats_wilson(t[i].k, t[i].n, STATS_Z95, &lo, &hi);
		/* Newcombe prints four decimals. */
		near(lo, t[i].lo, 0.00005);
		near(hi, t[i].hi, 0.00005);
	}
	/* k = 0 gives exactly 0 below, k = n exactly 1 above. */
	stats_wilson(0, 20, STATS_Z95, &lo, &hi);
	assert_true(lo == 0.0);
	stats_wilson(20, 20, STATS_Z95, &lo, &hi);
	assert_true(hi == 1.0);
	near(lo, 1.0 - 0.1611, 0.00005);
	/* Nothing observed: nothing known. */
	stats_wilson(0, 0, STATS_Z95, &lo, &hi);
	assert_true(lo == 0.0 && hi == 1.0);
}

static void
test_wilson_symmetry_and_width(void **state)
{
	uint64_t n, k;
	double lo, hi, lo2, hi2, lo99, hi99;

	(void)state;
	for (n = 1; n <= 60; n++)
		for (k = 0; k <= n; k++) {
			stats_wilson(k, n, STATS_Z95, &lo, &hi);
			stats_wilson(n - k, n, STATS_Z95, &lo2, &hi2);
			near(lo, 1.0 - hi2, 1e-12);
			assert_true(lo >= 0.0 && hi <= 1.0 && lo <= hi);
			/* The point estimate lies inside. */
			assert_true(lo <= (double)k / (double)n + 1e-12);
			assert_true(hi >= (double)k / (double)n - 1e-12);
			/* A 99 % interval contains the 95 % one. */
			stats_wilson(k, n, STATS_Z99, &lo99, &hi99);
			assert_true(lo99 <= lo + 1e-12 && hi99 >= hi - 1e-12);
		}
}

static void
test_percentile_nearest_rank(void **state)
{
	sim_time_t v[] = {35, 20, 50, 15, 40};

	(void)state;
	stats_sort_times(v, 5);
	assert_int_equal(v[0], 15);
	assert_int_equal(v[4], 50);
	assert_int_equal(stats_percentile(v, 5, 5), 15);
	assert_int_equal(stats_percentile(v, 5, 30), 20);
	assert_int_equal(stats_percentile(v, 5, 40), 20);
	assert_int_equal(stats_percentile(v, 5, 50), 35);
	assert_int_equal(stats_percentile(v, 5, 100), 50);
	assert_int_equal(stats_percentile(v, 0, 50), -1);
}

/* The definition, by brute force: the smallest value x of the set with
 * count(values <= x) >= p/100 * n. */
static sim_time_t
brute(const sim_time_t *v, size_t n, double p)
{
	size_t i, j, c;

	for (i = 0; i < n; i++) {
		for (c = 0, j = 0; j < n; j++)
			c += v[j] <= v[i];
		if ((double)c * 100.0 >= p * (double)n)
			return v[i]; /* sorted: the first that qualifies */
	}
	return -1;
}

static void
test_percentile_random(void **state)
{
	static const double ps[] = {1, 10, 50, 90, 99, 99.9, 100};
	sim_time_t v[257];
	struct rng r;
	size_t n, i, k;

	(void)state;
	rng_init(&r, 7, "test.stats");
	for (n = 1; n <= 257; n += 16) {
		for (i = 0; i < n; i++)
			v[i] = (sim_time_t)(rng_unit(&r) * 20); /* ties */
		stats_sort_times(v, n);
		for (i = 1; i < n; i++)
			assert_true(v[i - 1] <= v[i]);
		for (k = 0; k < sizeof(ps) / sizeof(ps[0]); k++)
			assert_int_equal(
			    stats_percentile(v, n, ps[k]), brute(v, n, ps[k]));
	}
	/* 90 % of 10 values is the 9th exactly, not the 10th by a
	 * rounding error. */
	for (i = 0; i < 10; i++)
		v[i] = (sim_time_t)i + 1;
	assert_int_equal(stats_percentile(v, 10, 90), 9);
	for (i = 0; i < 100; i++)
		v[i] = (sim_time_t)i + 1;
	assert_int_equal(stats_percentile(v, 100, 99), 99);
}

static void
test_fnv1a_vectors(void **state)
{
	(void)state;
	assert_true(
	    stats_fnv1a(STATS_FNV_INIT, "", 0) == UINT64_C(0xcbf29ce484222325));
	assert_true(stats_fnv1a(STATS_FNV_INIT, "a", 1) ==
	            UINT64_C(0xaf63dc4c8601ec8c));
	assert_true(stats_fnv1a(STATS_FNV_INIT, "foobar", 6) ==
	            UINT64_C(0x85944171f73967e8));
	/* Continuing is hashing the concatenation. */
	assert_true(stats_fnv1a(stats_fnv1a(STATS_FNV_INIT, "foo", 3), "bar",
	                3) == UINT64_C(0x85944171f73967e8));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_wilson_newcombe),
	    cmocka_unit_test(test_wilson_symmetry_and_width),
	    cmocka_unit_test(test_percentile_nearest_rank),
	    cmocka_unit_test(test_percentile_random),
	    cmocka_unit_test(test_fnv1a_vectors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

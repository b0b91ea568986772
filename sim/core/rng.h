/*
 * rng.h - the simulator's random numbers: xoshiro256** (Blackman and Vigna,
 * 2018) seeded through SplitMix64.
 *
 * Every consumer owns a named stream derived from (scenario seed, stream
 * name), so adding a consumer never changes the numbers another one draws:
 * the MX shuffle of a scenario stays the same when a later version starts
 * drawing jitter for links.  Nothing from libc's generators, no wall clock.
 */
#ifndef MX_RNG_H
#define MX_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s[4]; /* xoshiro256** state, never all zero */
};

/* Seeds 'r' from the scenario seed and a stream name such as "mx.shuffle"
 * or "tcp/mx1".  Equal (seed, name) pairs give equal streams. */
void rng_init(struct rng *r, uint64_t seed, const char *stream);

uint64_t rng_next(struct rng *r);

/* Uniform integer in [0, n), without modulo bias; n > 0. */
uint64_t rng_below(struct rng *r, uint64_t n);

/* Uniform double in [0, 1) built from the top 53 bits (exact, portable). */
double rng_unit(struct rng *r);

/* 64-bit FNV-1a of a string; used to turn stream names into numbers. */
uint64_t rng_hash(const char *s);

#endif

/*
 * compare.h - compare mode: one scenario run once per sender profile.
 *
 * "mxsim run FILE --profiles a,b,c" loads the scenario once per profile
 * with every sender's profile replaced (or only the one of the host named
 * by --profiles-for), keeping the knobs the scenario overrides, runs each
 * with the same seed, and prints one table: per recipient and profile,
 * the outcome, its time, the attempts and the hosts tried; then which
 * expectations held under which profile.  docs/compare.md is the manual.
 */
#ifndef MX_COMPARE_H
#define MX_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct compare_opts {
	const char *file;     /* scenario path */
	const char *profiles; /* --profiles, as given: "a,b,c" */
	const char *host;     /* --profiles-for HOST, or NULL = every sender */
	bool has_seed;        /* --seed given */
	uint64_t seed;        /* its value */
	const char *capture;  /* --capture PATH (a profile per file), or NULL */
	const char *capture_at; /* --capture-at HOST, or NULL */
	bool no_capture;        /* --no-capture */
	const char *trace;      /* --trace PATH (a profile per file), or NULL */
	const char *timeline;   /* --timeline PATH (likewise), or NULL */
	int level;              /* -1 quiet, 0 table, 1 narratives + table */
	bool color;             /* colour the narratives (main decides) */
	const char *const *defines; /* borrowed -D NAME=VALUE texts */
	size_t ndefines;            /* how many */
};

/* Runs the comparison and prints it; returns the exit status: 0 every
 * run's expectations held, 1 one failed, 2 bad input or an output that
 * could not be written (then no output file is left). */
int compare_main(const struct compare_opts *o);

#endif

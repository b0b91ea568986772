/*
 * report.h - what a run leaves for people and tools: the narrative (one
 * line per decision), the JSON Lines trace (docs/trace.md), the summary
 * table, and the verdict on the scenario's expectations.
 */
#ifndef MX_REPORT_H
#define MX_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "../core/trace.h"
#include "../world/world.h"

#define REPORT_TRACE_VERSION 1

/* --- narrative (a trace subscriber) --- */

struct narrative {
	FILE *out;  /* borrowed stream */
	int level;  /* highest trace level printed */
	int width;  /* actor column width */
	int twidth; /* time column width */
	bool color; /* ANSI colours (main decides: a terminal, NO_COLOR) */
};

void narrative_init(
    struct narrative *n, FILE *out, int level, const struct world *w);
trace_fn narrative_trace;

/* --- JSON Lines (a trace subscriber) --- */

struct jsonl {
	FILE *out;     /* borrowed stream */
	int64_t epoch; /* calendar time of t = 0 */
	bool failed;   /* a write failed */
};

void jsonl_init(
    struct jsonl *j, FILE *out, const struct world *w, uint64_t seed);
trace_fn jsonl_trace;
/* Writes the closing "run.end" line with the verdict. */
void jsonl_finish(struct jsonl *j, sim_time_t t, int passed, int failed);

/* Writes 's' as a JSON string (with quotes) to 'out'. */
void json_str(FILE *out, const char *s);

/* --- expectations --- */

struct expect_result {
	const struct world_expect *e; /* borrowed */
	bool ok;                      /* held */
	char why[512];                /* what differed (when not ok) */
};

/* Checks every expectation of the run's world; fills 'out' (w->nexpects
 * entries) and returns the number that failed. */
size_t report_check(const struct world_run *run, struct expect_result *out);

/* Prints the summary table (per recipient: outcome, time, attempts, via,
 * final host) and the expectations with pass/fail. */
void report_summary(FILE *out, const struct world_run *run,
    const struct expect_result *res, size_t nres, bool after_narrative);

/* Prints only the expectations that failed, each with its file:line and
 * why (what --quiet shows). */
void report_failures(FILE *out, const struct expect_result *res, size_t nres);

#endif

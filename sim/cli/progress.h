/*
 * progress.h - a progress bar with an ETA on stderr, for long commands
 * (sweep).  The only reader of the wall clock in the tree: what it reads
 * is drawn on a terminal and never reaches an output file, so runs stay
 * deterministic (tests/static/no-globals.sh checks that nothing else
 * imports a clock or libc randomness).
 */
#ifndef MX_PROGRESS_H
#define MX_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

struct progress {
	bool on;        /* drawing (stderr is a terminal); else no clock */
	double t0;      /* start, wall seconds */
	double last;    /* last drawn */
	uint64_t total; /* items */
	uint64_t done;  /* items finished (counted even when off) */
};

/* Starts counting 'total' items; draws only when 'on'. */
void progress_start(struct progress *p, bool on, uint64_t total);
/* Redraws at most ten times a second; 'final' clears the line. */
void progress_draw(struct progress *p, bool final);

#endif

/*
 * progress.c - the progress bar (see progress.h).
 */
#include "progress.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static double
wall_secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void
progress_start(struct progress *p, bool on, uint64_t total)
{
	memset(p, 0, sizeof(*p));
	p->on = on;
	p->total = total;
	if (on)
		p->t0 = p->last = wall_secs();
}

void
progress_draw(struct progress *p, bool final)
{
	double now, el, eta;
	int w = 30, fill;
	char bar[31];

	if (!p->on)
		return;
	now = wall_secs();
	if (!final && now - p->last < 0.1)
		return;
	p->last = now;
	el = now - p->t0;
	fill = p->total ? (int)((double)w * (double)p->done / (double)p->total)
	                : w;
	memset(bar, '=', (size_t)fill);
	memset(bar + fill, ' ', (size_t)(w - fill));
	bar[w] = '\0';
	eta =
	    p->done ? el * (double)(p->total - p->done) / (double)p->done : 0.0;
	if (final)
		fprintf(stderr, "\r\033[K");
	else
		fprintf(stderr,
		    "\rsweep [%s] %3d%% %" PRIu64 "/%" PRIu64
		    " runs, %.0fs, ETA %.0fs\033[K",
		    bar, (int)(p->total ? 100 * p->done / p->total : 100),
		    p->done, p->total, el, eta);
}

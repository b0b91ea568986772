/*
 * narrative.c - the trace as lines a student can follow:
 *
 *   30.001200 mta   connect mx2.example.test [192.0.2.20]:25 (pref 20)
 *
 * Time in seconds with microseconds, the actor padded to the longest host
 * label, then the record's text.  Level 0 shows decisions; level 1 adds
 * protocol detail (every SMTP line, every DNS answer).
 */
#include <string.h>

#include "../core/dur.h"
#include "report.h"

void
narrative_init(struct narrative *n, FILE *out, int level, const struct world *w)
{
	size_t i;

	char t[40];

	n->out = out;
	n->level = level;
	n->width = 3;
	/* The time column fits the latest time the run can reach. */
	n->twidth = (int)strlen(dur_format_secs(w->stop_at, t, sizeof(t)));
	if (n->twidth < 9)
		n->twidth = 9;
	for (i = 0; i < w->nhosts; i++)
		if ((int)strlen(w->hosts[i].name) > n->width)
			n->width = (int)strlen(w->hosts[i].name);
	/* Sites speak too (their uplink's outages). */
	for (i = 0; i < w->nsites; i++)
		if ((int)strlen(w->sites[i].name) > n->width)
			n->width = (int)strlen(w->sites[i].name);
}

void
narrative_trace(void *ctx, const struct trace_rec *r)
{
	struct narrative *n = ctx;
	char t[40];

	if ((int)r->level > n->level || r->text[0] == '\0')
		return;
	dur_format_secs(r->t, t, sizeof(t));
	fprintf(n->out, "%-*s %-*s %s\n", n->twidth, t, n->width, r->actor,
	    r->text);
}

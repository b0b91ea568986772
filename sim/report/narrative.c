/*
 * narrative.c - the trace as lines a student can follow:
 *
 *   30.001200 mta   connect mx2.example.test [192.0.2.20]:25 (pref 20)
 *
 * Time in seconds with microseconds, the actor padded to the longest host
 * label, then the record's text.  Level 0 shows decisions; level 1 adds
 * protocol detail (every SMTP line, every DNS answer).
 *
 * With 'color' set (the command line decides: a terminal and no NO_COLOR,
 * or --color=always), outcomes stand out: deliveries green, failed
 * attempts and timeouts red, bounces bold red, deferrals yellow, outages
 * magenta.  The escapes are ECMA-48 SGR sequences (§8.3.117), and only
 * wrap the text: the columns stay aligned whatever the colour.
 */
#include <string.h>

#include "../core/dur.h"
#include "report.h"

/* SGR parameters by event type (docs/trace.md); a type not listed keeps
 * the terminal's colour.  'prefix' matches the start of the type. */
static const struct {
	const char *type; /* event type or type prefix */
	bool prefix;      /* match the start only */
	const char *sgr;  /* SGR parameters */
} narrative_colors[] = {
    {"mta.delivered", false, "32"},
    {"mta.bounce", false, "1;31"},
    {"mta.fail", false, "31"},
    {"mta.defer", false, "33"},
    {"dns.rec.timeout", false, "31"},
    {"dns.rec.fail", false, "31"},
    {"smtp.timeout", false, "31"},
    {"smtp.outage", false, "35"},
    {"outage.", true, "35"},
};

static const char *
narrative_sgr(const char *type)
{
	size_t i, n = sizeof(narrative_colors) / sizeof(narrative_colors[0]);

	if (type == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		const char *t = narrative_colors[i].type;

		if (narrative_colors[i].prefix
		        ? strncmp(type, t, strlen(t)) == 0
		        : strcmp(type, t) == 0)
			return narrative_colors[i].sgr;
	}
	return NULL;
}

void
narrative_init(struct narrative *n, FILE *out, int level, const struct world *w)
{
	size_t i;

	char t[40];

	n->out = out;
	n->level = level;
	n->width = 3;
	n->color = false;
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
	const char *sgr;
	char t[40];

	if ((int)r->level > n->level || r->text[0] == '\0')
		return;
	dur_format_secs(r->t, t, sizeof(t));
	sgr = n->color ? narrative_sgr(r->type) : NULL;
	if (sgr == NULL) {
		fprintf(n->out, "%-*s %-*s %s\n", n->twidth, t, n->width,
		    r->actor, r->text);
		return;
	}
	fprintf(n->out, "%-*s %-*s \033[%sm%s\033[0m\n", n->twidth, t, n->width,
	    r->actor, sgr, r->text);
}

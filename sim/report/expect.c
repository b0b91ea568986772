/*
 * expect.c - checking a scenario's expectations against what happened.
 *
 * An expectation names a recipient and optionally a message number; it
 * must hold for every matching (message, recipient) of every sender.
 * Time bounds are inclusive: "before = 15m" accepts an outcome at 15m
 * exactly.  "attempts" compares the ordered "host:result" list exactly.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/dur.h"
#include "report.h"

static void
attempts_str(const struct mta_rcpt_result *r, char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < r->nattempts && off + 2 < len; i++) {
		int n = snprintf(buf + off, len - off, "%s\"%s:%s\"",
		    i ? ", " : "", r->attempts[i].host, r->attempts[i].result);

		if (n < 0)
			break;
		off += (size_t)n;
	}
	if (off >= len)
		buf[len - 1] = '\0';
}

static bool
check_one(const struct world_run *run, const struct world_expect *e,
    const struct mta_rcpt_result *r, char *why, size_t len)
{
	char a[32], b[32];
	size_t i;

	if (e->has_outcome && r->outcome != e->outcome) {
		snprintf(why, len, "outcome is %s, expected %s",
		    mta_outcome_name(r->outcome), mta_outcome_name(e->outcome));
		return false;
	}
	if (e->via != NULL && strcmp(r->via, e->via) != 0) {
		snprintf(why, len, "handed to '%s', expected via '%s'",
		    r->via[0] ? r->via : "(nobody)", e->via);
		return false;
	}
	if (e->host != NULL) {
		const char *h =
		    world_run_final_host(run, r->msg, r->rcpt, NULL);

		if (h == NULL || strcmp(h, e->host) != 0) {
			snprintf(why, len, "held by '%s', expected host '%s'",
			    h ? h : "(no mailbox)", e->host);
			return false;
		}
	}
	if ((e->has_before || e->has_after) && e->host != NULL &&
	    !e->has_outcome && e->via == NULL) {
		/* Only where it ends is asked: the bounds are on when the
		 * final host stored it (after relays). */
		sim_time_t t;

		world_run_final_host(run, r->msg, r->rcpt, &t);
		if (e->has_before && t > e->before) {
			snprintf(why, len,
			    "stored by '%s' at %s, expected "
			    "before %s",
			    e->host, dur_format_secs(t, a, sizeof(a)),
			    dur_format(e->before, b, sizeof(b)));
			return false;
		}
		if (e->has_after && t < e->after) {
			snprintf(why, len,
			    "stored by '%s' at %s, expected "
			    "after %s",
			    e->host, dur_format_secs(t, a, sizeof(a)),
			    dur_format(e->after, b, sizeof(b)));
			return false;
		}
	} else if (e->has_before || e->has_after) {
		if (r->t < 0) {
			snprintf(why, len,
			    "has no outcome instant (still %s at the end)",
			    mta_outcome_name(r->outcome));
			return false;
		}
		if (e->has_before && r->t > e->before) {
			snprintf(why, len, "%s at %s, expected before %s",
			    mta_outcome_name(r->outcome),
			    dur_format_secs(r->t, a, sizeof(a)),
			    dur_format(e->before, b, sizeof(b)));
			return false;
		}
		if (e->has_after && r->t < e->after) {
			snprintf(why, len, "%s at %s, expected after %s",
			    mta_outcome_name(r->outcome),
			    dur_format_secs(r->t, a, sizeof(a)),
			    dur_format(e->after, b, sizeof(b)));
			return false;
		}
	}
	if (e->has_attempts) {
		bool same = r->nattempts == e->nattempts;

		for (i = 0; same && i < e->nattempts; i++) {
			char s[128];

			snprintf(s, sizeof(s), "%s:%s", r->attempts[i].host,
			    r->attempts[i].result);
			same = strcmp(s, e->attempts[i]) == 0;
		}
		if (!same) {
			char got[300];

			attempts_str(r, got, sizeof(got));
			snprintf(why, len, "attempts were { %s }", got);
			return false;
		}
	}
	if (e->has_range &&
	    ((int)r->nattempts < e->amin ||
	        (e->amax >= 0 && (int)r->nattempts > e->amax))) {
		snprintf(why, len, "%zu attempts, expected %d to %d",
		    r->nattempts, e->amin, e->amax);
		return false;
	}
	return true;
}

/* An expectation on a message's envelope sender: where the DSN about
 * that message (or every message from it) landed, and when. */
static void
check_dsn(const struct world_run *run, const struct world_expect *e,
    struct expect_result *x)
{
	const struct world *w = run->w;
	char a[32], b[32];
	size_t k;

	for (k = 0; k < w->nmsgs && x->ok; k++) {
		const char *h;
		sim_time_t t;

		if (strcasecmp(w->msgs[k].from, e->to) != 0 ||
		    (e->msg != 0 && (size_t)e->msg != k + 1))
			continue;
		h = world_run_final_host(run, k + 1, e->to, &t);
		x->ok = false;
		if (h == NULL || strcmp(h, e->host) != 0)
			snprintf(x->why, sizeof(x->why),
			    "%s (msg %zu): the DSN is held by '%s', expected "
			    "host '%s'",
			    e->to, k + 1, h ? h : "(no mailbox)", e->host);
		else if (e->has_before && t > e->before)
			snprintf(x->why, sizeof(x->why),
			    "%s (msg %zu): DSN stored at %s, expected before "
			    "%s",
			    e->to, k + 1, dur_format_secs(t, a, sizeof(a)),
			    dur_format(e->before, b, sizeof(b)));
		else if (e->has_after && t < e->after)
			snprintf(x->why, sizeof(x->why),
			    "%s (msg %zu): DSN stored at %s, expected after %s",
			    e->to, k + 1, dur_format_secs(t, a, sizeof(a)),
			    dur_format(e->after, b, sizeof(b)));
		else
			x->ok = true;
	}
}

size_t
report_check(const struct world_run *run, struct expect_result *out)
{
	const struct world *w = run->w;
	size_t i, h, k, nfail = 0;

	for (i = 0; i < w->nexpects; i++) {
		const struct world_expect *e = &w->expects[i];
		struct expect_result *x = &out[i];
		size_t matched = 0;

		x->e = e;
		x->ok = true;
		x->why[0] = '\0';
		if (e->dsn) {
			check_dsn(run, e, x);
			if (!x->ok)
				nfail++;
			continue;
		}
		for (h = 0; h < run->nhosts && x->ok; h++) {
			const struct mta *m = run->hosts[h].mta;
			struct mta_rcpt_result *res;
			size_t n;

			if (m == NULL)
				continue;
			n = mta_nresults(m);
			res = calloc(n ? n : 1, sizeof(*res));
			n = mta_results(m, res, n);
			for (k = 0; k < n && x->ok; k++) {
				char why[400];

				/* Expectations speak of the message's own
				 * sender: a backup MX that forwards it (or a
				 * DSN about it) keeps its number but is not
				 * asked. */
				if (strcasecmp(res[k].rcpt, e->to) != 0 ||
				    (e->msg != 0 &&
				        res[k].msg != (uint64_t)e->msg) ||
				    !world_run_sent_by(run, h, res[k].msg))
					continue;
				matched++;
				if (!check_one(
				        run, e, &res[k], why, sizeof(why))) {
					x->ok = false;
					snprintf(x->why, sizeof(x->why),
					    "%s (msg %" PRIu64 "): %s", e->to,
					    res[k].msg, why);
				}
			}
			free(res);
		}
		if (x->ok && matched == 0) {
			x->ok = false;
			snprintf(x->why, sizeof(x->why),
			    "%s: no message was queued for it before the end",
			    e->to);
		}
		if (!x->ok)
			nfail++;
	}
	return nfail;
}

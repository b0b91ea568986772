/*
 * summary.c - the table printed after the narrative.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/dur.h"
#include "report.h"

static void
expect_desc(const struct world_expect *e, char *buf, size_t len)
{
	size_t off = 0, i;
	char d[32];

#define PUT(...)                                                               \
	do {                                                                   \
		int n_ = snprintf(buf + off, len - off, __VA_ARGS__);          \
		if (n_ > 0 && (size_t)n_ < len - off)                          \
			off += (size_t)n_;                                     \
	} while (0)
	buf[0] = '\0';
	PUT("%s", e->to);
	if (e->msg)
		PUT(" msg=%d", e->msg);
	if (e->has_outcome)
		PUT(" outcome=%s", mta_outcome_name(e->outcome));
	if (e->via)
		PUT(" via=%s", e->via);
	if (e->host)
		PUT(" host=%s", e->host);
	if (e->has_after)
		PUT(" after=%s", dur_format(e->after, d, sizeof(d)));
	if (e->has_before)
		PUT(" before=%s", dur_format(e->before, d, sizeof(d)));
	if (e->has_attempts) {
		PUT(" attempts={");
		for (i = 0; i < e->nattempts; i++)
			PUT("%s%s", i ? "," : "", e->attempts[i]);
		PUT("}");
	}
	if (e->has_range)
		PUT(" attempts=%d..%d", e->amin, e->amax);
#undef PUT
}

/* The mailbox entry of host 'label' that stored 'mm' before 'mm' reached
 * the next host, or NULL: the previous hop of a relayed message. */
static const struct mailbox_msg *
previous_hop(const struct world_run *run, const struct mailbox_msg *mm)
{
	const struct mailbox_msg *best = NULL;
	size_t h, j;

	for (h = 0; h < run->nhosts; h++) {
		const struct mailbox *mb = &run->hosts[h].mb;

		if (strcmp(mb->host, mm->client) != 0)
			continue;
		for (j = 0; j < mb->n; j++)
			if (mb->v[j].msg == mm->msg && mm->msg != 0 &&
			    strcasecmp(mb->v[j].rcpt, mm->rcpt) == 0 &&
			    mb->v[j].t <= mm->t &&
			    (best == NULL || mb->v[j].t >= best->t))
				best = &mb->v[j];
	}
	return best;
}

/* "mta > mx2 > mx1": the hosts a stored message went through. */
static void
hop_path(const struct world_run *run, const struct mailbox *mb,
    const struct mailbox_msg *mm, char *buf, size_t len)
{
	const char *hops[16];
	const struct mailbox_msg *cur = mm;
	size_t n = 0, off = 0;

	hops[n++] = mb->host;
	while (n < 15) {
		const struct mailbox_msg *prev = previous_hop(run, cur);

		if (prev == NULL || prev == cur)
			break;
		hops[n++] = cur->client;
		cur = prev;
	}
	hops[n++] = cur->client;
	buf[0] = '\0';
	while (n > 0 && off < len) {
		n--;
		off += (size_t)snprintf(
		    buf + off, len - off, "%s%s", hops[n], n ? " > " : "");
	}
}

/* What every mailbox holds: when, from whom, for whom, by which path. */
static void
mailboxes(FILE *out, const struct world_run *run, int hw)
{
	size_t h, j;
	bool any = false;
	char d[40], path[300];

	for (h = 0; h < run->nhosts; h++) {
		const struct mailbox *mb = &run->hosts[h].mb;

		for (j = 0; j < mb->n; j++) {
			const struct mailbox_msg *mm = &mb->v[j];

			if (!any)
				fprintf(out, "Mailboxes\n");
			any = true;
			hop_path(run, mb, mm, path, sizeof(path));
			fprintf(out,
			    "  %-*s msg %-3" PRIu64 " %-14s <%s> -> %s, %s%s\n",
			    hw, mb->host, mm->msg,
			    dur_format_secs(mm->t, d, sizeof(d)), mm->from,
			    mm->rcpt,
			    strcmp(mm->client, "local") == 0 ? "" : "path ",
			    strcmp(mm->client, "local") == 0 ? "a local DSN"
			                                     : path);
		}
	}
}

/* One expectation: "ok" or "FAIL", where the scenario says it, what it
 * asks, and for a failure why on the next line. */
static void
expect_print(FILE *out, const struct expect_result *r)
{
	char desc[600];

	expect_desc(r->e, desc, sizeof(desc));
	fprintf(out, "  %-4s %s:%d: %s\n", r->ok ? "ok" : "FAIL", r->e->at.file,
	    r->e->at.line, desc);
	if (!r->ok)
		fprintf(out, "       %s\n", r->why);
}

void
report_failures(FILE *out, const struct expect_result *res, size_t nres)
{
	size_t k;

	for (k = 0; k < nres; k++)
		if (!res[k].ok)
			expect_print(out, &res[k]);
}

void
report_summary(FILE *out, const struct world_run *run,
    const struct expect_result *res, size_t nres, bool after_narrative)
{
	const struct world *w = run->w;
	size_t h, k, pass, nfail = 0;
	int hw = 8, rw = 28;
	char d[40];

	fprintf(out, "%sSummary of %s (seed %" PRIu64 ", stopped at %s)\n",
	    after_narrative ? "\n" : "", w->name, run->sim.seed,
	    dur_format(w->stop_at, d, sizeof(d)));
	/* Columns as wide as the longest host label and recipient. */
	for (h = 0; h < run->nhosts; h++) {
		const struct mta *m = run->hosts[h].mta;

		if (strlen(run->hosts[h].wh->name) > (size_t)hw)
			hw = (int)strlen(run->hosts[h].wh->name);
		if (m != NULL) {
			size_t n = mta_nresults(m);
			struct mta_rcpt_result *r =
			    calloc(n ? n : 1, sizeof(*r));

			n = mta_results(m, r, n);
			for (k = 0; k < n; k++)
				if (strlen(r[k].rcpt) > (size_t)rw)
					rw = (int)strlen(r[k].rcpt);
			free(r);
		}
	}
	fprintf(out, "  %-4s %-*s %-*s %-10s %-14s %-8s %-*s %s\n", "msg", hw,
	    "sender", rw, "recipient", "outcome", "time", "attempts", hw, "via",
	    "final host");
	/* The scenario's messages at their own senders first, then what
	 * backup MX hosts forwarded (and DSNs they sent). */
	for (pass = 0; pass < 2 * run->nhosts; pass++) {
		const struct mta *m = run->hosts[pass % run->nhosts].mta;
		struct mta_rcpt_result *r;
		size_t n;

		h = pass % run->nhosts;
		if (m == NULL)
			continue;
		n = mta_nresults(m);
		r = calloc(n ? n : 1, sizeof(*r));
		n = mta_results(m, r, n);
		for (k = 0; k < n; k++) {
			const char *fh = world_run_final_host(
			    run, r[k].msg, r[k].rcpt, NULL);
			bool own = world_run_sent_by(run, h, r[k].msg);

			if (own != (pass < run->nhosts))
				continue;

			if (r[k].t >= 0)
				dur_format_secs(r[k].t, d, sizeof(d));
			else
				snprintf(d, sizeof(d), "-");
			fprintf(out,
			    "  %-4" PRIu64
			    " %-*s %-*s %-10s %-14s %-8zu %-*s %s\n",
			    r[k].msg, hw, run->hosts[h].wh->name, rw, r[k].rcpt,
			    mta_outcome_name(r[k].outcome), d, r[k].nattempts,
			    hw, r[k].via[0] ? r[k].via : "-", fh ? fh : "-");
		}
		free(r);
	}
	mailboxes(out, run, hw);
	for (k = 0; k < nres; k++)
		if (!res[k].ok)
			nfail++;
	if (nres == 0) {
		fprintf(out, "No expectations.\n");
		return;
	}
	fprintf(
	    out, "Expectations: %zu passed, %zu failed\n", nres - nfail, nfail);
	for (k = 0; k < nres; k++)
		expect_print(out, &res[k]);
}

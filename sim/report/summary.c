/*
 * summary.c - the table printed after the narrative.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

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

void
report_summary(FILE *out, const struct world_run *run,
    const struct expect_result *res, size_t nres, bool after_narrative)
{
	const struct world *w = run->w;
	size_t h, k, nfail = 0;
	char d[40];

	fprintf(out, "%sSummary of %s (seed %" PRIu64 ", stopped at %s)\n",
	    after_narrative ? "\n" : "", w->name, run->sim.seed,
	    dur_format(w->stop_at, d, sizeof(d)));
	fprintf(out, "  %-4s %-28s %-10s %-14s %-8s %-8s %s\n", "msg",
	    "recipient", "outcome", "time", "attempts", "via", "final host");
	for (h = 0; h < run->nhosts; h++) {
		const struct mta *m = run->hosts[h].mta;
		struct mta_rcpt_result *r;
		size_t n;

		if (m == NULL)
			continue;
		n = mta_nresults(m);
		r = calloc(n ? n : 1, sizeof(*r));
		n = mta_results(m, r, n);
		for (k = 0; k < n; k++) {
			const char *fh = world_run_final_host(
			    run, r[k].msg, r[k].rcpt, NULL);

			if (r[k].t >= 0)
				dur_format_secs(r[k].t, d, sizeof(d));
			else
				snprintf(d, sizeof(d), "-");
			fprintf(out,
			    "  %-4" PRIu64 " %-28s %-10s %-14s %-8zu %-8s %s\n",
			    r[k].msg, r[k].rcpt, mta_outcome_name(r[k].outcome),
			    d, r[k].nattempts, r[k].via[0] ? r[k].via : "-",
			    fh ? fh : "-");
		}
		free(r);
	}
	for (k = 0; k < nres; k++)
		if (!res[k].ok)
			nfail++;
	if (nres == 0) {
		fprintf(out, "No expectations.\n");
		return;
	}
	fprintf(
	    out, "Expectations: %zu passed, %zu failed\n", nres - nfail, nfail);
	for (k = 0; k < nres; k++) {
		char desc[600];

		expect_desc(res[k].e, desc, sizeof(desc));
		fprintf(out, "  %-4s %s:%d: %s\n", res[k].ok ? "ok" : "FAIL",
		    res[k].e->at.file, res[k].e->at.line, desc);
		if (!res[k].ok)
			fprintf(out, "       %s\n", res[k].why);
	}
}

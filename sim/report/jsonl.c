/*
 * jsonl.c - the trace as JSON Lines (docs/trace.md is the schema).
 *
 * One object per line; keys in a fixed order ("t", "host", "type", the
 * record's fields in the order the producer added them, "text"), integers
 * as integers, so two runs of one scenario and seed give identical bytes.
 */
#include <inttypes.h>
#include <string.h>

#include "../core/clock.h"
#include "report.h"

void
json_str(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', out);
	for (; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (*p < 0x20)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

void
jsonl_init(struct jsonl *j, FILE *out, const struct world *w, uint64_t seed)
{
	char start[64];

	j->out = out;
	j->epoch = w->epoch;
	j->failed = false;
	clock_iso8601(w->epoch, 0, start, sizeof(start));
	fprintf(out,
	    "{\"t\":0,\"host\":\"sim\",\"type\":\"run.start\","
	    "\"version\":%d,\"scenario\":",
	    REPORT_TRACE_VERSION);
	json_str(out, w->name);
	fprintf(out,
	    ",\"seed\":%" PRIu64 ",\"stop_at\":%" PRId64 ",\"epoch\":\"%s\"}\n",
	    seed, w->stop_at, start);
}

void
jsonl_trace(void *ctx, const struct trace_rec *r)
{
	struct jsonl *j = ctx;
	size_t i;

	fprintf(j->out, "{\"t\":%" PRId64 ",\"host\":", r->t);
	json_str(j->out, r->actor);
	fputs(",\"type\":", j->out);
	json_str(j->out, r->type);
	if (r->level != TRACE_MAIN)
		fprintf(j->out, ",\"level\":%d", (int)r->level);
	for (i = 0; i < r->nf; i++) {
		const struct trace_field *f = &r->f[i];

		fputc(',', j->out);
		json_str(j->out, f->key);
		fputc(':', j->out);
		switch (f->type) {
		case TRACE_STR:
			json_str(j->out, f->s);
			break;
		case TRACE_BOOL:
			fputs(f->i ? "true" : "false", j->out);
			break;
		default:
			fprintf(j->out, "%" PRId64, f->i);
			break;
		}
	}
	if (r->text[0] != '\0') {
		fputs(",\"text\":", j->out);
		json_str(j->out, r->text);
	}
	fputs("}\n", j->out);
	if (ferror(j->out))
		j->failed = true;
}

void
jsonl_finish(struct jsonl *j, sim_time_t t, int passed, int failed)
{
	fprintf(j->out,
	    "{\"t\":%" PRId64 ",\"host\":\"sim\",\"type\":\"run.end\","
	    "\"expectations_passed\":%d,\"expectations_failed\":%d}\n",
	    t, passed, failed);
	if (ferror(j->out))
		j->failed = true;
}

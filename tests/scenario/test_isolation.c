/*
 * test_isolation.c - no global state: two simulations stepped alternately
 * in one process give exactly the traces each gives alone, and a run
 * repeated in the same process gives the same trace again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "script/scenario.h"
#include "world/world.h"

struct log {
	char *text;      /* owned: every record, one per line */
	size_t len, cap; /* length and capacity */
};

static void
log_rec(void *ctx, const struct trace_rec *r)
{
	struct log *l = ctx;
	char line[1024];
	int n = snprintf(line, sizeof(line), "%lld %s %s %s\n", (long long)r->t,
	    r->actor, r->type, r->text);
	void *a = l->text;

	assert_true(n > 0);
	mx_grow(&a, &l->cap, l->len + (size_t)n + 1, 1);
	l->text = a;
	memcpy(l->text + l->len, line, (size_t)n + 1);
	l->len += (size_t)n;
}

static void
load(const char *rel, struct world *w)
{
	struct mxl_limits lim;
	struct mx_err err;
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", MX_SOURCE_DIR, rel);
	mxl_limits_default(&lim);
	world_init(w);
	if (mxl_scenario_load(path, &lim, w, &err) != 0)
		fail_msg("%s", err.msg);
}

static void
start(struct world_run *run, const struct world *w, struct log *l)
{
	struct mx_err err;

	memset(l, 0, sizeof(*l));
	if (world_run_init(run, w, w->seed, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(trace_subscribe(sim_trace(&run->sim), log_rec, l), 0);
}

static void
alone(const char *rel, struct log *l)
{
	struct world w;
	struct world_run run;

	load(rel, &w);
	start(&run, &w, l);
	world_run_go(&run);
	world_run_fini(&run);
	world_free(&w);
}

static void
test_isolation_interleaved_runs_match_runs_alone(void **state)
{
	struct world wa, wb;
	struct world_run ra, rb;
	struct log la, lb, sa, sb;
	bool more_a = true, more_b = true;

	(void)state;
	alone("scenarios/primary-down.lua", &sa);
	alone("scenarios/equal-preference.lua", &sb);
	load("scenarios/primary-down.lua", &wa);
	load("scenarios/equal-preference.lua", &wb);
	start(&ra, &wa, &la);
	start(&rb, &wb, &lb);
	/* One event of each in turn, for as long as either has events. */
	while (more_a || more_b) {
		if (more_a)
			more_a = world_run_step(&ra);
		if (more_b)
			more_b = world_run_step(&rb);
	}
	assert_true(sa.len > 1000);
	assert_true(sb.len > 1000);
	assert_string_equal(la.text, sa.text);
	assert_string_equal(lb.text, sb.text);
	world_run_fini(&ra);
	world_run_fini(&rb);
	world_free(&wa);
	world_free(&wb);
	free(la.text);
	free(lb.text);
	free(sa.text);
	free(sb.text);
}

static void
test_isolation_same_run_twice_gives_same_trace(void **state)
{
	struct log a, b;

	(void)state;
	alone("scenarios/dns-down.lua", &a);
	alone("scenarios/dns-down.lua", &b);
	assert_string_equal(a.text, b.text);
	free(a.text);
	free(b.text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_isolation_interleaved_runs_match_runs_alone),
	    cmocka_unit_test(test_isolation_same_run_twice_gives_same_trace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_sim.c - the event loop (sim/core/sim.c).
 *
 * What is pinned: sim_step runs the earliest due event and moves the clock
 * to it; sim_run runs everything due up to a limit in (time, scheduling)
 * order and leaves the clock at the limit; an event a callback schedules
 * for "now" runs after the events already due at that instant (sim.c, top
 * of file; DESIGN.md "Event ties"); objects handed to sim_reclaim() are
 * freed after the callback returns, never inside it (STYLE.md "never free
 * inside your own callback", OpenSMTPD's MTA_FREE); named random streams
 * depend only on (seed, name) (rng.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/sim.h"

struct log;

/* A callback argument: a label and the log to write it into. */
struct tag {
	struct log *log; /* borrowed */
	int who;         /* label */
	int spawn; /* label to schedule "now" from the callback, 0 = none */
};

/* A log of which callbacks ran, and when. */
struct log {
	int who[64];           /* callback labels in order of running */
	sim_time_t when[64];   /* sim_now() when each ran */
	int n;                 /* entries */
	struct tag spawned[8]; /* arguments of events scheduled by callbacks */
};

static void
record(struct sim *sim, void *arg)
{
	struct tag *t = arg;
	struct log *l = t->log;

	assert_true(l->n < 64);
	l->who[l->n] = t->who;
	l->when[l->n] = sim_now(sim);
	l->n++;
}

static void
record_and_spawn(struct sim *sim, void *arg)
{
	struct tag *t = arg;

	struct tag *s = &t->log->spawned[t->spawn];

	record(sim, arg);
	s->log = t->log;
	s->who = t->spawn;
	s->spawn = 0;
	sim_after(sim, 0, record, s);
}

static void
test_sim_init_starts_empty_at_time_zero(void **state)
{
	struct sim sim;

	(void)state;
	sim_init(&sim, 42);
	assert_int_equal(sim_now(&sim), 0);
	assert_int_equal(sim.seed, 42);
	assert_false(sim_step(&sim, SIM_NEVER));
	assert_int_equal(sim.events_run, 0);
	sim_fini(&sim);
}

static void
test_sim_step_runs_earliest_event_and_moves_clock(void **state)
{
	struct sim sim;
	struct log log = {0};
	struct tag a = {&log, 1, 0}, b = {&log, 2, 0}, c = {&log, 3, 0};

	(void)state;
	sim_init(&sim, 1);
	sim_at(&sim, SIM_S(5), record, &a);
	sim_at(&sim, SIM_S(2), record, &b);
	sim_at(&sim, SIM_S(9), record, &c);
	assert_true(sim_step(&sim, SIM_NEVER));
	assert_int_equal(log.n, 1);
	assert_int_equal(log.who[0], 2);
	assert_int_equal(sim_now(&sim), SIM_S(2));
	assert_int_equal(sim.events_run, 1);
	/* Not due by 4 s: nothing runs and the clock stays. */
	assert_false(sim_step(&sim, SIM_S(4)));
	assert_int_equal(log.n, 1);
	assert_int_equal(sim_now(&sim), SIM_S(2));
	/* Due exactly at the limit: runs ("at or before 'until'"). */
	assert_true(sim_step(&sim, SIM_S(5)));
	assert_int_equal(log.who[1], 1);
	assert_int_equal(sim_now(&sim), SIM_S(5));
	assert_true(sim_step(&sim, SIM_NEVER));
	assert_int_equal(log.who[2], 3);
	assert_int_equal(sim_now(&sim), SIM_S(9));
	assert_false(sim_step(&sim, SIM_NEVER));
	assert_int_equal(sim.events_run, 3);
	sim_fini(&sim);
}

static void
test_sim_run_orders_by_time_then_fifo_and_stops_at_limit(void **state)
{
	struct sim sim;
	struct log log = {0};
	struct tag t[6];
	const sim_time_t at[6] = {
	    SIM_S(3), SIM_S(1), SIM_S(3), SIM_S(1), SIM_S(2), SIM_S(20)};
	const int want[5] = {1, 3, 4, 0, 2};
	int i;

	(void)state;
	sim_init(&sim, 1);
	for (i = 0; i < 6; i++) {
		t[i].log = &log;
		t[i].who = i;
		t[i].spawn = 0;
		sim_at(&sim, at[i], record, &t[i]);
	}
	sim_run(&sim, SIM_S(10));
	assert_int_equal(log.n, 5);
	for (i = 0; i < 5; i++) {
		assert_int_equal(log.who[i], want[i]);
		assert_int_equal(log.when[i], at[want[i]]);
	}
	/* The clock is left at the limit; the 20 s event still waits. */
	assert_int_equal(sim_now(&sim), SIM_S(10));
	sim_run(&sim, SIM_NEVER);
	assert_int_equal(log.n, 6);
	assert_int_equal(log.who[5], 5);
	/* Running to "never" leaves the clock at the last event. */
	assert_int_equal(sim_now(&sim), SIM_S(20));
	sim_fini(&sim);
}

static void
test_sim_event_scheduled_now_runs_after_events_already_due(void **state)
{
	/* sim.c: a callback scheduling for "now" gets a larger sequence
	 * number, so it runs after every event already due at this instant. */
	struct sim sim;
	struct log log = {0};
	struct tag a = {&log, 1, 5}, b = {&log, 2, 0}, c = {&log, 3, 6},
	           later = {&log, 4, 0};

	(void)state;
	sim_init(&sim, 1);
	sim_at(&sim, SIM_S(1), record_and_spawn, &a);
	sim_at(&sim, SIM_S(1), record, &b);
	sim_at(&sim, SIM_S(1), record_and_spawn, &c);
	sim_at(&sim, SIM_S(1) + 1, record, &later);
	sim_run(&sim, SIM_NEVER);
	assert_int_equal(log.n, 6);
	assert_int_equal(log.who[0], 1);
	assert_int_equal(log.who[1], 2);
	assert_int_equal(log.who[2], 3);
	assert_int_equal(log.who[3], 5); /* spawned by 1 */
	assert_int_equal(log.who[4], 6); /* spawned by 3 */
	assert_int_equal(log.who[5], 4); /* 1 ns later than all of them */
	assert_int_equal(log.when[3], SIM_S(1));
	assert_int_equal(log.when[4], SIM_S(1));
	assert_int_equal(log.when[5], SIM_S(1) + 1);
	sim_fini(&sim);
}

static void
test_sim_after_counts_from_now_and_saturates_at_never(void **state)
{
	struct sim sim;
	struct log log = {0};
	struct tag a = {&log, 1, 0};
	struct ev_handle h;
	sim_time_t at;

	(void)state;
	sim_init(&sim, 1);
	sim_run(&sim, SIM_S(7));
	assert_int_equal(sim_now(&sim), SIM_S(7));
	sim_after(&sim, SIM_MS(250), record, &a);
	assert_true(ev_peek(&sim.ev, &at));
	assert_int_equal(at, SIM_S(7) + SIM_MS(250));
	sim_run(&sim, SIM_NEVER);
	assert_int_equal(log.when[0], SIM_S(7) + SIM_MS(250));
	/* A delay past the end of time is clamped, not wrapped negative. */
	h = sim_after(&sim, INT64_MAX, record, &a);
	assert_true(ev_peek(&sim.ev, &at));
	assert_int_equal(at, SIM_NEVER);
	assert_true(sim_cancel(&sim, &h));
	sim_fini(&sim);
}

static void
test_sim_cancel_prevents_callback_and_pending_tracks_it(void **state)
{
	struct sim sim;
	struct log log = {0};
	struct tag a = {&log, 1, 0}, b = {&log, 2, 0};
	struct ev_handle ha, hb, copy;

	(void)state;
	sim_init(&sim, 1);
	ha = sim_at(&sim, SIM_S(1), record, &a);
	hb = sim_at(&sim, SIM_S(2), record, &b);
	assert_true(sim_pending(&sim, ha));
	copy = ha;
	assert_true(sim_cancel(&sim, &copy));
	assert_false(sim_pending(&sim, ha));
	sim_run(&sim, SIM_NEVER);
	assert_int_equal(log.n, 1);
	assert_int_equal(log.who[0], 2);
	assert_false(sim_pending(&sim, hb));
	assert_false(sim_cancel(&sim, &hb)); /* already ran */
	sim_fini(&sim);
}

/* --- reclaim ------------------------------------------------------------ */

/* An object whose release is counted. */
struct obj {
	struct sim *sim; /* borrowed, to queue more releases */
	int *freed;      /* borrowed counter of releases */
	int chain;       /* further objects to release from this release */
	int used;        /* touched by the callback after sim_reclaim() */
};

static void
obj_free(void *p)
{
	struct obj *o = p;

	(*o->freed)++;
	if (o->chain > 0) {
		struct obj *next = malloc(sizeof(*next));

		assert_non_null(next);
		*next = *o;
		next->chain = o->chain - 1;
		sim_reclaim(o->sim, obj_free, next);
	}
	free(o);
}

static void
release_in_callback(struct sim *sim, void *arg)
{
	struct obj *o = arg;
	int *freed = o->freed;

	sim_reclaim(sim, obj_free, o);
	/* Still alive here: the callback may go on using it (ASan would
	 * catch a use after free). */
	assert_int_equal(*freed, 0);
	o->used++;
	assert_int_equal(*freed, 0);
}

static void
test_sim_reclaim_frees_after_callback_returns(void **state)
{
	struct sim sim;
	int freed = 0;
	struct obj *o = malloc(sizeof(*o));

	(void)state;
	assert_non_null(o);
	sim_init(&sim, 1);
	o->sim = &sim;
	o->freed = &freed;
	o->chain = 0;
	o->used = 0;
	sim_at(&sim, SIM_S(1), release_in_callback, o);
	assert_int_equal(freed, 0);
	assert_true(sim_step(&sim, SIM_NEVER));
	assert_int_equal(freed, 1); /* freed once the step returned */
	assert_int_equal(sim.nreclaim, 0);
	sim_fini(&sim);
	assert_int_equal(freed, 1); /* and not again */
}

static void
test_sim_reclaim_queued_by_a_release_runs_in_same_step(void **state)
{
	/* sim.c run_reclaim(): "A release may queue more releases: loop
	 * until empty."  A chain of 40 forces the list to grow while it is
	 * being walked. */
	struct sim sim;
	int freed = 0;
	struct obj *o = malloc(sizeof(*o));

	(void)state;
	assert_non_null(o);
	sim_init(&sim, 1);
	o->sim = &sim;
	o->freed = &freed;
	o->chain = 40;
	o->used = 0;
	sim_at(&sim, SIM_S(1), release_in_callback, o);
	assert_true(sim_step(&sim, SIM_NEVER));
	assert_int_equal(freed, 41);
	assert_int_equal(sim.nreclaim, 0);
	sim_fini(&sim);
	assert_int_equal(freed, 41);
}

static void
test_sim_reclaim_outside_dispatch_is_freed_by_fini(void **state)
{
	struct sim sim;
	int freed = 0;
	struct obj *o = malloc(sizeof(*o));

	(void)state;
	assert_non_null(o);
	sim_init(&sim, 1);
	o->sim = &sim;
	o->freed = &freed;
	o->chain = 0;
	sim_reclaim(&sim, obj_free, o);
	assert_int_equal(freed, 0);
	sim_fini(&sim);
	assert_int_equal(freed, 1);
}

/* --- random streams ------------------------------------------------------- */

static void
test_sim_rng_equal_names_give_equal_streams(void **state)
{
	struct sim sim;
	struct rng a, b, c;
	int i;

	(void)state;
	sim_init(&sim, 2024);
	sim_rng(&sim, &a, "host/%s", "mx1");
	sim_rng(&sim, &b, "host/mx1");
	/* The name is formatted first; the stream is rng_init's. */
	rng_init(&c, 2024, "host/mx1");
	for (i = 0; i < 100; i++) {
		uint64_t x = rng_next(&a);

		assert_int_equal(x, rng_next(&b));
		assert_int_equal(x, rng_next(&c));
	}
	sim_fini(&sim);
}

static void
test_sim_rng_different_names_or_seeds_differ(void **state)
{
	struct sim s1, s2;
	struct rng a, b, c, d;
	int i, same_ab = 0, same_ac = 0;

	(void)state;
	sim_init(&s1, 2024);
	sim_init(&s2, 2025);
	sim_rng(&s1, &a, "host/mx1");
	sim_rng(&s1, &b, "host/mx2");
	sim_rng(&s2, &c, "host/mx1");
	sim_rng(&s1, &d, "host/mx%d", 1);
	for (i = 0; i < 100; i++) {
		uint64_t x = rng_next(&a);

		same_ab += x == rng_next(&b);
		same_ac += x == rng_next(&c);
		assert_int_equal(x, rng_next(&d));
	}
	/* 64-bit outputs of independent streams essentially never agree. */
	assert_int_equal(same_ab, 0);
	assert_int_equal(same_ac, 0);
	sim_fini(&s1);
	sim_fini(&s2);
}

static void
test_sim_interleaved_simulations_match_runs_alone(void **state)
{
	/* STYLE.md "one context, no globals": two simulations stepped in
	 * turn behave as each does alone. */
	struct sim a, b, solo;
	struct log la = {0}, lb = {0}, ls = {0};
	struct tag ta[4], tb[4], ts[4];
	int i;

	(void)state;
	sim_init(&a, 1);
	sim_init(&b, 2);
	sim_init(&solo, 1);
	for (i = 0; i < 4; i++) {
		struct tag x = {NULL, i + 1, 0};

		ta[i] = tb[i] = ts[i] = x;
		ta[i].log = &la;
		tb[i].log = &lb;
		ts[i].log = &ls;
		sim_at(&a, SIM_S(4 - i), record, &ta[i]);
		sim_at(&b, SIM_S(i), record, &tb[i]);
		sim_at(&solo, SIM_S(4 - i), record, &ts[i]);
	}
	for (;;) {
		bool ran_a = sim_step(&a, SIM_NEVER);
		bool ran_b = sim_step(&b, SIM_NEVER);

		if (!ran_a && !ran_b)
			break;
	}
	sim_run(&solo, SIM_NEVER);
	assert_int_equal(la.n, 4);
	assert_int_equal(lb.n, 4);
	assert_memory_equal(la.who, ls.who, sizeof(la.who));
	assert_memory_equal(la.when, ls.when, sizeof(la.when));
	for (i = 0; i < 4; i++) {
		assert_int_equal(la.who[i], 4 - i);
		assert_int_equal(lb.who[i], i + 1);
	}
	sim_fini(&a);
	sim_fini(&b);
	sim_fini(&solo);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sim_init_starts_empty_at_time_zero),
	    cmocka_unit_test(test_sim_step_runs_earliest_event_and_moves_clock),
	    cmocka_unit_test(
	        test_sim_run_orders_by_time_then_fifo_and_stops_at_limit),
	    cmocka_unit_test(
	        test_sim_event_scheduled_now_runs_after_events_already_due),
	    cmocka_unit_test(
	        test_sim_after_counts_from_now_and_saturates_at_never),
	    cmocka_unit_test(
	        test_sim_cancel_prevents_callback_and_pending_tracks_it),
	    cmocka_unit_test(test_sim_reclaim_frees_after_callback_returns),
	    cmocka_unit_test(
	        test_sim_reclaim_queued_by_a_release_runs_in_same_step),
	    cmocka_unit_test(
	        test_sim_reclaim_outside_dispatch_is_freed_by_fini),
	    cmocka_unit_test(test_sim_rng_equal_names_give_equal_streams),
	    cmocka_unit_test(test_sim_rng_different_names_or_seeds_differ),
	    cmocka_unit_test(test_sim_interleaved_simulations_match_runs_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

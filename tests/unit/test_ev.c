/*
 * test_ev.c - the event heap (sim/core/ev.c).
 *
 * Three kinds of evidence:
 *  - pinned properties: events due at the same instant pop in the order
 *    they were scheduled (the FIFO rule DESIGN.md asks for, as libuv's
 *    timer heap gets from its start_id), ev_peek/ev_pending/ev_count, and
 *    the generation check that makes a stale handle harmless;
 *  - a differential test (SQLite style): a long random program of
 *    schedule / cancel / stale cancel / pop / peek, seeded with our own
 *    rng, run against a sorted array ordered by (time, seq) that is
 *    obviously right, comparing every answer;
 *  - the same program against a second build of ev.c with EV_SEQ_LIMIT
 *    lowered to 64, so that the sequence renumbering, which a normal
 *    build reaches only after four billion schedules, runs thousands of
 *    times and must keep FIFO among equal times.
 *
 * A large heap (100k events, many ties, a third cancelled) closes it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/ev.h"
#include "core/rng.h"

/* --- a second build of ev.c with a tiny sequence space ------------------- */

/* The public names of that build are renamed so that it links next to the
 * library's; the structures are the same ones (ev.h is already in). */
struct ev_handle evlim_schedule(
    struct ev_heap *h, sim_time_t at, ev_fn *fn, void *arg);
bool evlim_cancel(struct ev_heap *h, struct ev_handle *hd);
bool evlim_pending(const struct ev_heap *h, struct ev_handle hd);
bool evlim_peek(const struct ev_heap *h, sim_time_t *at);
bool evlim_pop(struct ev_heap *h, sim_time_t *at, ev_fn **fn, void **arg);
void evlim_heap_init(struct ev_heap *h);
void evlim_heap_fini(struct ev_heap *h);

#define EV_SEQ_LIMIT UINT32_C(64)
#define ev_schedule  evlim_schedule
#define ev_cancel    evlim_cancel
#define ev_pending   evlim_pending
#define ev_peek      evlim_peek
#define ev_pop       evlim_pop
#define ev_heap_init evlim_heap_init
#define ev_heap_fini evlim_heap_fini
#include "core/ev.c"
#undef ev_schedule
#undef ev_cancel
#undef ev_pending
#undef ev_peek
#undef ev_pop
#undef ev_heap_init
#undef ev_heap_fini

/* The operations under test, so that one program drives either build. */
struct impl {
	const char *name;
	void (*init)(struct ev_heap *);
	void (*fini)(struct ev_heap *);
	struct ev_handle (*schedule)(
	    struct ev_heap *, sim_time_t, ev_fn *, void *);
	bool (*cancel)(struct ev_heap *, struct ev_handle *);
	bool (*pending)(const struct ev_heap *, struct ev_handle);
	bool (*peek)(const struct ev_heap *, sim_time_t *);
	bool (*pop)(struct ev_heap *, sim_time_t *, ev_fn **, void **);
};

static const struct impl lib_impl = {
    "library",
    ev_heap_init,
    ev_heap_fini,
    ev_schedule,
    ev_cancel,
    ev_pending,
    ev_peek,
    ev_pop,
};

static const struct impl lim_impl = {
    "EV_SEQ_LIMIT=64",
    evlim_heap_init,
    evlim_heap_fini,
    evlim_schedule,
    evlim_cancel,
    evlim_pending,
    evlim_peek,
    evlim_pop,
};

/* Two distinct callbacks, so that a pop returning the wrong one shows.
 * They are never called: the tests pop events themselves. */
static void
fn_even(struct sim *sim, void *arg)
{
	(void)sim;
	(void)arg;
}

static void
fn_odd(struct sim *sim, void *arg)
{
	(void)sim;
	(void)arg;
}

static ev_fn *
fn_for(size_t id)
{
	return (id & 1) ? fn_odd : fn_even;
}

/* --- pinned properties ---------------------------------------------------- */

static void
test_ev_empty_heap_has_nothing_to_peek_or_pop(void **state)
{
	struct ev_heap h;
	struct ev_handle none = {0, 0};
	sim_time_t at = 12345;
	ev_fn *fn = NULL;
	void *arg = NULL;

	(void)state;
	ev_heap_init(&h);
	assert_int_equal(ev_count(&h), 0);
	assert_false(ev_peek(&h, &at));
	assert_false(ev_pop(&h, &at, &fn, &arg));
	assert_int_equal(at, 12345); /* untouched */
	assert_false(ev_pending(&h, none));
	assert_false(ev_cancel(&h, &none));
	ev_heap_fini(&h);
}

static void
test_ev_equal_times_fire_in_scheduling_order(void **state)
{
	/* DESIGN.md "Event ties": equal times run in the order they were
	 * scheduled.  Interleave three instants so that sifting moves the
	 * entries around; each instant's events must still pop FIFO. */
	static int tok[300];
	struct ev_heap h;
	sim_time_t at;
	ev_fn *fn;
	void *arg;
	int i, next[3] = {0, 1, 2};
	const sim_time_t when[3] = {SIM_S(7), SIM_S(3), SIM_S(5)};

	(void)state;
	ev_heap_init(&h);
	for (i = 0; i < 300; i++) {
		tok[i] = i;
		ev_schedule(&h, when[i % 3], fn_for((size_t)i), &tok[i]);
	}
	assert_int_equal(ev_count(&h), 300);
	/* 3 s first (i % 3 == 1), then 5 s (i % 3 == 2), then 7 s. */
	for (i = 0; i < 300; i++) {
		int k = i < 100 ? 1 : i < 200 ? 2 : 0;
		int want = next[k];

		assert_true(ev_pop(&h, &at, &fn, &arg));
		assert_int_equal(at, when[k]);
		assert_ptr_equal(arg, &tok[want]);
		assert_ptr_equal(fn, fn_for((size_t)want));
		next[k] += 3;
	}
	assert_int_equal(ev_count(&h), 0);
	ev_heap_fini(&h);
}

static void
test_ev_fifo_holds_for_events_scheduled_after_pops(void **state)
{
	/* An event scheduled later for an instant already holding events
	 * goes behind them, even after pops have reshaped the heap (the
	 * "schedule for now" case of sim.c). */
	static int tok[4];
	struct ev_heap h;
	sim_time_t at;
	ev_fn *fn;
	void *arg;

	(void)state;
	ev_heap_init(&h);
	ev_schedule(&h, 10, fn_even, &tok[0]);
	ev_schedule(&h, 20, fn_even, &tok[1]);
	ev_schedule(&h, 20, fn_even, &tok[2]);
	assert_true(ev_pop(&h, &at, &fn, &arg));
	assert_ptr_equal(arg, &tok[0]);
	ev_schedule(&h, 20, fn_even, &tok[3]);
	assert_true(ev_pop(&h, &at, &fn, &arg));
	assert_ptr_equal(arg, &tok[1]);
	assert_true(ev_pop(&h, &at, &fn, &arg));
	assert_ptr_equal(arg, &tok[2]);
	assert_true(ev_pop(&h, &at, &fn, &arg));
	assert_ptr_equal(arg, &tok[3]);
	assert_int_equal(at, 20);
	ev_heap_fini(&h);
}

static void
test_ev_peek_reports_earliest_time_without_removing(void **state)
{
	struct ev_heap h;
	struct ev_handle a, b;
	sim_time_t at = 0;

	(void)state;
	ev_heap_init(&h);
	ev_schedule(&h, SIM_S(9), fn_even, NULL);
	a = ev_schedule(&h, SIM_S(2), fn_even, NULL);
	b = ev_schedule(&h, SIM_S(4), fn_even, NULL);
	assert_true(ev_peek(&h, &at));
	assert_int_equal(at, SIM_S(2));
	assert_true(ev_peek(&h, &at));
	assert_int_equal(at, SIM_S(2));
	assert_int_equal(ev_count(&h), 3);
	assert_true(ev_cancel(&h, &a));
	assert_true(ev_peek(&h, &at));
	assert_int_equal(at, SIM_S(4));
	assert_true(ev_cancel(&h, &b));
	assert_true(ev_peek(&h, &at));
	assert_int_equal(at, SIM_S(9));
	ev_heap_fini(&h);
}

static void
test_ev_negative_and_extreme_times_order_numerically(void **state)
{
	/* Keys are times with the sign bit flipped: INT64_MIN < -1 < 0 <
	 * INT64_MAX must hold after that trick. */
	static int tok[5];
	const sim_time_t t[5] = {INT64_MAX, 0, -1, INT64_MIN, 1};
	const int order[5] = {3, 2, 1, 4, 0};
	struct ev_heap h;
	sim_time_t at;
	ev_fn *fn;
	void *arg;
	int i;

	(void)state;
	ev_heap_init(&h);
	for (i = 0; i < 5; i++)
		ev_schedule(&h, t[i], fn_even, &tok[i]);
	for (i = 0; i < 5; i++) {
		assert_true(ev_pop(&h, &at, &fn, &arg));
		assert_ptr_equal(arg, &tok[order[i]]);
		assert_int_equal(at, t[order[i]]);
	}
	ev_heap_fini(&h);
}

static void
test_ev_pending_follows_event_lifecycle(void **state)
{
	struct ev_heap h;
	struct ev_handle a, b, copy, none = {0, 0}, bogus = {1000, 1};
	sim_time_t at;
	ev_fn *fn;
	void *arg;

	(void)state;
	ev_heap_init(&h);
	a = ev_schedule(&h, 1, fn_even, NULL);
	b = ev_schedule(&h, 2, fn_odd, NULL);
	assert_true(ev_pending(&h, a));
	assert_true(ev_pending(&h, b));
	assert_false(ev_pending(&h, none));
	assert_false(ev_pending(&h, bogus)); /* id past every slot */
	assert_true(ev_pop(&h, &at, &fn, &arg));
	assert_false(ev_pending(&h, a)); /* ran */
	assert_true(ev_pending(&h, b));
	copy = b;
	assert_true(ev_cancel(&h, &copy));
	assert_false(ev_pending(&h, b)); /* cancelled */
	ev_heap_fini(&h);
}

static void
test_ev_cancel_clears_handle_and_removes_event(void **state)
{
	struct ev_heap h;
	struct ev_handle a;
	sim_time_t at;
	ev_fn *fn;
	void *arg;
	int x;

	(void)state;
	ev_heap_init(&h);
	a = ev_schedule(&h, 5, fn_even, NULL);
	ev_schedule(&h, 6, fn_odd, &x);
	assert_true(ev_cancel(&h, &a));
	assert_int_equal(a.id, 0);
	assert_int_equal(a.gen, 0);
	assert_int_equal(ev_count(&h), 1);
	/* A cleared handle cancels nothing the second time. */
	assert_false(ev_cancel(&h, &a));
	assert_true(ev_pop(&h, &at, &fn, &arg));
	assert_int_equal(at, 6);
	assert_ptr_equal(arg, &x);
	assert_ptr_equal(fn, fn_odd);
	ev_heap_fini(&h);
}

static void
test_ev_cancel_after_pop_returns_false_and_clears(void **state)
{
	struct ev_heap h;
	struct ev_handle a;
	sim_time_t at;
	ev_fn *fn;
	void *arg;

	(void)state;
	ev_heap_init(&h);
	a = ev_schedule(&h, 5, fn_even, NULL);
	ev_schedule(&h, 7, fn_even, NULL);
	assert_true(ev_pop(&h, &at, &fn, &arg));
	assert_int_not_equal(a.id, 0);
	assert_false(ev_cancel(&h, &a));
	assert_int_equal(a.id, 0);
	assert_int_equal(a.gen, 0);
	assert_int_equal(ev_count(&h), 1);
	ev_heap_fini(&h);
}

static void
test_ev_stale_handle_does_not_cancel_reused_slot(void **state)
{
	/* The slot of a popped event is reused by the next schedule; the old
	 * handle carries the old generation and must not touch the new
	 * event (ev.h: "a stale handle ... is recognised and ignored"). */
	static int tok[2];
	struct ev_heap h;
	struct ev_handle old, fresh, stale;
	sim_time_t at;
	ev_fn *fn;
	void *arg;

	(void)state;
	ev_heap_init(&h);
	old = ev_schedule(&h, 5, fn_even, &tok[0]);
	assert_true(ev_pop(&h, &at, &fn, &arg));
	fresh = ev_schedule(&h, 9, fn_odd, &tok[1]);
	assert_int_equal(fresh.id, old.id); /* the slot was reused */
	assert_int_not_equal(fresh.gen, old.gen);
	assert_false(ev_pending(&h, old));
	stale = old;
	assert_false(ev_cancel(&h, &stale));
	assert_true(ev_pending(&h, fresh));
	assert_int_equal(ev_count(&h), 1);
	assert_true(ev_pop(&h, &at, &fn, &arg));
	assert_ptr_equal(arg, &tok[1]);
	assert_int_equal(at, 9);

	/* The same after a cancel instead of a pop. */
	old = ev_schedule(&h, 3, fn_even, &tok[0]);
	stale = old;
	assert_true(ev_cancel(&h, &stale));
	fresh = ev_schedule(&h, 4, fn_odd, &tok[1]);
	assert_int_equal(fresh.id, old.id);
	stale = old;
	assert_false(ev_cancel(&h, &stale));
	assert_true(ev_pending(&h, fresh));
	assert_true(ev_pop(&h, &at, &fn, &arg));
	assert_ptr_equal(arg, &tok[1]);
	ev_heap_fini(&h);
}

/* --- the differential test ------------------------------------------------ */

/* What the model knows about one scheduled event. */
struct tok {
	sim_time_t at;       /* due time */
	uint64_t seq;        /* model sequence number: order of schedule */
	struct ev_handle hd; /* handle the heap gave */
	bool live;           /* still pending in the model */
};

/* The model: tokens of pending events sorted by (at, seq). */
struct model {
	struct tok *tok;   /* every token ever made, by id */
	size_t ntok;       /* tokens made */
	uint32_t *sorted;  /* ids of live tokens, ascending (at, seq) */
	size_t n;          /* live tokens */
	uint64_t next_seq; /* next sequence number */
	struct ev_handle dead[256]; /* handles of finished events */
	size_t ndead;               /* entries of 'dead' filled (ring) */
	size_t deadpos;             /* next ring position */
};

static bool
tok_less(const struct model *m, uint32_t a, uint32_t b)
{
	const struct tok *x = &m->tok[a], *y = &m->tok[b];

	return x->at < y->at || (x->at == y->at && x->seq < y->seq);
}

/* Position of the first live token not less than 'id'. */
static size_t
model_lower(const struct model *m, uint32_t id)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (tok_less(m, m->sorted[mid], id))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
model_insert(struct model *m, uint32_t id)
{
	size_t p = model_lower(m, id);

	memmove(&m->sorted[p + 1], &m->sorted[p],
	    (m->n - p) * sizeof(m->sorted[0]));
	m->sorted[p] = id;
	m->n++;
	m->tok[id].live = true;
}

static void
model_remove(struct model *m, uint32_t id)
{
	size_t p = model_lower(m, id);

	assert_true(p < m->n);
	assert_int_equal(m->sorted[p], id);
	memmove(&m->sorted[p], &m->sorted[p + 1],
	    (m->n - p - 1) * sizeof(m->sorted[0]));
	m->n--;
	m->tok[id].live = false;
	m->dead[m->deadpos] = m->tok[id].hd;
	m->deadpos = (m->deadpos + 1) % 256;
	if (m->ndead < 256)
		m->ndead++;
}

/* Draws a due time: mostly a narrow range so that ties are common, now
 * and then an extreme value. */
static sim_time_t
draw_time(struct rng *r)
{
	static const sim_time_t extreme[] = {INT64_MIN, -1, 0, INT64_MAX};

	if (rng_below(r, 32) == 0)
		return extreme[rng_below(r, 4)];
	return (sim_time_t)rng_below(r, 64) * SIM_MS(1);
}

struct diff_stats {
	size_t schedules, cancels, stale, stale_reused, pops, max_n;
};

/* Runs 'nops' random operations on 'im', checking each answer against
 * the model; at most 'max_pending' events are pending at once. */
static void
run_differential(const struct impl *im, uint64_t seed, size_t nops,
    size_t max_pending, struct diff_stats *st)
{
	struct ev_heap h;
	struct model m;
	struct rng r;
	size_t op;

	memset(st, 0, sizeof(*st));
	memset(&m, 0, sizeof(m));
	m.tok = calloc(nops, sizeof(*m.tok));
	m.sorted = calloc(nops, sizeof(*m.sorted));
	assert_non_null(m.tok);
	assert_non_null(m.sorted);
	rng_init(&r, seed, "test/ev/differential");
	im->init(&h);
	for (op = 0; op < nops; op++) {
		/* Alternate growing and draining phases so that the heap is
		 * deep at times and empty at others. */
		bool grow = (op / 8192) % 2 == 0;
		uint64_t dice = rng_below(&r, 100);
		sim_time_t at;

		if (dice < (grow ? 65u : 25u) && m.n < max_pending) {
			uint32_t id = (uint32_t)m.ntok++;
			struct tok *t = &m.tok[id];

			t->at = draw_time(&r);
			t->seq = m.next_seq++;
			t->hd = im->schedule(&h, t->at, fn_for(id), t);
			assert_int_not_equal(t->hd.id, 0);
			model_insert(&m, id);
			st->schedules++;
		} else if (dice < 75 && m.n > 0) {
			/* Cancel a random pending event. */
			uint32_t id = m.sorted[rng_below(&r, m.n)];
			struct ev_handle hd = m.tok[id].hd;

			assert_true(im->pending(&h, hd));
			assert_true(im->cancel(&h, &hd));
			assert_int_equal(hd.id, 0);
			model_remove(&m, id);
			st->cancels++;
		} else if (dice < 82 && m.ndead > 0) {
			/* Cancel through a stale handle: nothing may change. */
			struct ev_handle hd = m.dead[rng_below(&r, m.ndead)];
			size_t i;

			for (i = 0; i < m.n; i++)
				if (m.tok[m.sorted[i]].hd.id == hd.id)
					st->stale_reused++;
			assert_false(im->pending(&h, hd));
			assert_false(im->cancel(&h, &hd));
			assert_int_equal(hd.id, 0);
			assert_int_equal(hd.gen, 0);
			st->stale++;
		} else if (m.n > 0) {
			uint32_t want = m.sorted[0];
			ev_fn *fn = NULL;
			void *arg = NULL;

			assert_true(im->pop(&h, &at, &fn, &arg));
			assert_ptr_equal(arg, &m.tok[want]);
			assert_int_equal(at, m.tok[want].at);
			assert_ptr_equal(fn, fn_for(want));
			assert_false(im->pending(&h, m.tok[want].hd));
			model_remove(&m, want);
			st->pops++;
		} else {
			ev_fn *fn;
			void *arg;

			assert_false(im->pop(&h, &at, &fn, &arg));
		}
		/* After every operation: count and earliest time agree. */
		assert_int_equal(ev_count(&h), m.n);
		if (m.n > 0) {
			assert_true(im->peek(&h, &at));
			assert_int_equal(at, m.tok[m.sorted[0]].at);
			assert_true(im->pending(
			    &h, m.tok[m.sorted[rng_below(&r, m.n)]].hd));
		} else
			assert_false(im->peek(&h, &at));
		if (m.n > st->max_n)
			st->max_n = m.n;
	}
	/* Drain: what is left pops in model order. */
	while (m.n > 0) {
		uint32_t want = m.sorted[0];
		sim_time_t at;
		ev_fn *fn;
		void *arg;

		assert_true(im->pop(&h, &at, &fn, &arg));
		assert_ptr_equal(arg, &m.tok[want]);
		assert_int_equal(at, m.tok[want].at);
		model_remove(&m, want);
	}
	assert_int_equal(ev_count(&h), 0);
	im->fini(&h);
	free(m.tok);
	free(m.sorted);
}

static void
test_ev_random_program_matches_sorted_array_model(void **state)
{
	struct diff_stats st;

	(void)state;
	run_differential(&lib_impl, 20240101, 200000, SIZE_MAX, &st);
	/* The program did exercise every operation, and stale handles did
	 * meet reused slots (otherwise the generation check went untested). */
	assert_true(st.schedules > 50000);
	assert_true(st.cancels > 10000);
	assert_true(st.pops > 10000);
	assert_true(st.stale > 5000);
	assert_true(st.stale_reused > 1000);
	assert_true(st.max_n > 2000);
}

static void
test_ev_random_programs_with_other_seeds_match_model(void **state)
{
	struct diff_stats st;
	uint64_t seed;

	(void)state;
	for (seed = 1; seed <= 8; seed++) {
		run_differential(&lib_impl, seed, 20000, SIZE_MAX, &st);
		assert_true(st.pops > 0);
	}
}

static void
test_ev_seq_renumbering_keeps_fifo_against_model(void **state)
{
	/* With EV_SEQ_LIMIT = 64 the sequence numbers run out every few
	 * dozen schedules and the pending events are renumbered (ev.c, top
	 * of file): order, FIFO ties included, must survive it.  Pending
	 * events stay below the limit, as ev.c asserts. */
	struct diff_stats st;

	(void)state;
	assert_string_equal(lim_impl.name, "EV_SEQ_LIMIT=64");
	run_differential(&lim_impl, 77, 100000, 48, &st);
	/* Each renumbering happens within 64 schedules of the last one. */
	assert_true(st.schedules > 30000);
	assert_int_equal(st.max_n, 48);
}

static void
test_ev_seq_renumbering_with_equal_times_is_fifo(void **state)
{
	/* Directly: 40 events at one instant while 1000 schedule/pop pairs
	 * at another instant wrap the 64-entry sequence space many times. */
	static int tok[41];
	struct ev_heap h;
	sim_time_t at;
	ev_fn *fn;
	void *arg;
	int i;

	(void)state;
	evlim_heap_init(&h);
	for (i = 0; i < 40; i++)
		evlim_schedule(&h, 100, fn_even, &tok[i]);
	for (i = 0; i < 1000; i++) {
		evlim_schedule(&h, 50, fn_odd, &tok[40]);
		assert_true(evlim_pop(&h, &at, &fn, &arg));
		assert_int_equal(at, 50);
		assert_ptr_equal(arg, &tok[40]);
	}
	for (i = 0; i < 40; i++) {
		assert_true(evlim_pop(&h, &at, &fn, &arg));
		assert_int_equal(at, 100);
		assert_ptr_equal(arg, &tok[i]);
	}
	assert_false(evlim_pop(&h, &at, &fn, &arg));
	evlim_heap_fini(&h);
}

/* --- a large heap -----------------------------------------------------------
 */

static void
test_ev_large_heap_100k_pops_in_time_then_schedule_order(void **state)
{
	enum { N = 100000 };
	struct ev_handle *hd = malloc(N * sizeof(*hd));
	sim_time_t *when = malloc(N * sizeof(*when));
	bool *seen = calloc(N, sizeof(*seen));
	bool *cancelled = calloc(N, sizeof(*cancelled));
	struct ev_heap h;
	struct rng r;
	sim_time_t at, last_at = INT64_MIN;
	size_t i, popped = 0, ncancel = 0;
	ptrdiff_t last_id = -1;
	ev_fn *fn;
	void *arg;
	static char base[N]; /* arg = &base[id] identifies the event */

	(void)state;
	assert_non_null(hd);
	assert_non_null(when);
	assert_non_null(seen);
	assert_non_null(cancelled);
	rng_init(&r, 99, "test/ev/large");
	ev_heap_init(&h);
	for (i = 0; i < N; i++) {
		/* 10000 distinct instants for 100k events: ~10 per tie. */
		when[i] = (sim_time_t)rng_below(&r, 10000) * SIM_US(1);
		hd[i] = ev_schedule(&h, when[i], fn_for(i), &base[i]);
	}
	assert_int_equal(ev_count(&h), N);
	for (i = 0; i < N; i++)
		if (rng_below(&r, 3) == 0) {
			struct ev_handle c = hd[i];

			assert_true(ev_cancel(&h, &c));
			cancelled[i] = true;
			ncancel++;
		}
	assert_int_equal(ev_count(&h), N - ncancel);
	while (ev_pop(&h, &at, &fn, &arg)) {
		ptrdiff_t id = (char *)arg - base;

		assert_true(id >= 0 && id < N);
		assert_false(cancelled[id]);
		assert_false(seen[id]);
		seen[id] = true;
		assert_int_equal(at, when[id]);
		assert_ptr_equal(fn, fn_for((size_t)id));
		/* (time, schedule order) strictly increases. */
		assert_true(at > last_at || (at == last_at && id > last_id));
		last_at = at;
		last_id = id;
		popped++;
	}
	assert_int_equal(popped, N - ncancel);
	assert_true(ncancel > N / 4 && ncancel < N * 2 / 5);
	for (i = 0; i < N; i++)
		assert_true(seen[i] != cancelled[i]);
	ev_heap_fini(&h);
	free(hd);
	free(when);
	free(seen);
	free(cancelled);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ev_empty_heap_has_nothing_to_peek_or_pop),
	    cmocka_unit_test(test_ev_equal_times_fire_in_scheduling_order),
	    cmocka_unit_test(
	        test_ev_fifo_holds_for_events_scheduled_after_pops),
	    cmocka_unit_test(
	        test_ev_peek_reports_earliest_time_without_removing),
	    cmocka_unit_test(
	        test_ev_negative_and_extreme_times_order_numerically),
	    cmocka_unit_test(test_ev_pending_follows_event_lifecycle),
	    cmocka_unit_test(test_ev_cancel_clears_handle_and_removes_event),
	    cmocka_unit_test(test_ev_cancel_after_pop_returns_false_and_clears),
	    cmocka_unit_test(test_ev_stale_handle_does_not_cancel_reused_slot),
	    cmocka_unit_test(test_ev_random_program_matches_sorted_array_model),
	    cmocka_unit_test(
	        test_ev_random_programs_with_other_seeds_match_model),
	    cmocka_unit_test(test_ev_seq_renumbering_keeps_fifo_against_model),
	    cmocka_unit_test(test_ev_seq_renumbering_with_equal_times_is_fifo),
	    cmocka_unit_test(
	        test_ev_large_heap_100k_pops_in_time_then_schedule_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

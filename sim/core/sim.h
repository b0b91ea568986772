/*
 * sim.h - one simulation: its clock, event queue, seed and trace sink.
 *
 * Everything that changes during a run hangs off a 'struct sim' or off the
 * layer contexts that point back to it; there is no global mutable state,
 * so several simulations can run in one process, interleaved or in
 * threads, and each gives the trace it gives alone.
 */
#ifndef MX_SIM_H
#define MX_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "ev.h"
#include "rng.h"
#include "simtime.h"
#include "trace.h"

typedef void sim_free_fn(void *p);

struct sim_reclaim {
	sim_free_fn *fn; /* releases 'p' */
	void *p;         /* owned until released */
};

struct sim {
	sim_time_t now;      /* current simulated time */
	uint64_t seed;       /* the scenario seed, root of every stream */
	struct ev_heap ev;   /* pending events */
	struct trace trace;  /* trace sink */
	uint64_t events_run; /* dispatched events, for statistics */
	struct sim_reclaim *reclaim; /* owned; objects freed after dispatch */
	size_t nreclaim;             /* entries in 'reclaim' */
	size_t capreclaim;           /* capacity of 'reclaim' */
};

void sim_init(struct sim *sim, uint64_t seed);
void sim_fini(struct sim *sim);

static inline sim_time_t
sim_now(const struct sim *sim)
{
	return sim->now;
}

static inline struct trace *
sim_trace(struct sim *sim)
{
	return &sim->trace;
}

/* Schedules at an absolute instant (not before now) or after a delay. */
struct ev_handle sim_at(struct sim *sim, sim_time_t at, ev_fn *fn, void *arg);
struct ev_handle sim_after(
    struct sim *sim, sim_time_t delay, ev_fn *fn, void *arg);
bool sim_cancel(struct sim *sim, struct ev_handle *hd);
bool sim_pending(const struct sim *sim, struct ev_handle hd);

/* Initialises 'r' as the stream named by the printf-style arguments. */
void sim_rng(const struct sim *sim, struct rng *r, const char *fmt, ...)
    MX_PRINTF(3, 4);

/* Frees 'p' with 'fn' once the event being dispatched has returned: an
 * object must never be freed inside its own callback. */
void sim_reclaim(struct sim *sim, sim_free_fn *fn, void *p);

/* Runs the earliest event if it is due at or before 'until'; returns false
 * when there is none.  The clock then stands at that event's time. */
bool sim_step(struct sim *sim, sim_time_t until);

/* Runs every event due at or before 'until', then sets the clock to it. */
void sim_run(struct sim *sim, sim_time_t until);

#endif

/*
 * sim.c - the event loop.
 *
 * One event is popped and run at a time.  A callback that schedules an
 * event for "now" gets a larger sequence number, so it runs after every
 * event already due at this instant (FIFO among equals).  Objects released
 * with sim_reclaim() are freed after the callback returns.
 */
#include "sim.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void
sim_init(struct sim *sim, uint64_t seed)
{
	sim->now = 0;
	sim->seed = seed;
	ev_heap_init(&sim->ev);
	trace_init(&sim->trace);
	sim->events_run = 0;
	sim->reclaim = NULL;
	sim->nreclaim = sim->capreclaim = 0;
}

static void
run_reclaim(struct sim *sim)
{
	size_t i;

	/* A release may queue more releases: loop until empty. */
	for (i = 0; i < sim->nreclaim; i++)
		sim->reclaim[i].fn(sim->reclaim[i].p);
	sim->nreclaim = 0;
}

void
sim_fini(struct sim *sim)
{
	run_reclaim(sim);
	ev_heap_fini(&sim->ev);
	free(sim->reclaim);
	sim->reclaim = NULL;
	sim->capreclaim = 0;
}

struct ev_handle
sim_at(struct sim *sim, sim_time_t at, ev_fn *fn, void *arg)
{
	assert(at >= sim->now);
	return ev_schedule(&sim->ev, at, fn, arg);
}

struct ev_handle
sim_after(struct sim *sim, sim_time_t delay, ev_fn *fn, void *arg)
{
	assert(delay >= 0);
	if (delay > SIM_NEVER - sim->now)
		delay = SIM_NEVER - sim->now;
	return ev_schedule(&sim->ev, sim->now + delay, fn, arg);
}

bool
sim_cancel(struct sim *sim, struct ev_handle *hd)
{
	return ev_cancel(&sim->ev, hd);
}

bool
sim_pending(const struct sim *sim, struct ev_handle hd)
{
	return ev_pending(&sim->ev, hd);
}

void
sim_rng(const struct sim *sim, struct rng *r, const char *fmt, ...)
{
	char name[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	rng_init(r, sim->seed, name);
}

void
sim_reclaim(struct sim *sim, sim_free_fn *fn, void *p)
{
	if (sim->nreclaim == sim->capreclaim) {
		void *a = sim->reclaim;

		mx_grow(&a, &sim->capreclaim, sim->nreclaim + 1,
		    sizeof(*sim->reclaim));
		sim->reclaim = a;
	}
	sim->reclaim[sim->nreclaim].fn = fn;
	sim->reclaim[sim->nreclaim].p = p;
	sim->nreclaim++;
}

bool
sim_step(struct sim *sim, sim_time_t until)
{
	sim_time_t at;
	ev_fn *fn;
	void *arg;

	if (!ev_peek(&sim->ev, &at) || at > until)
		return false;
	ev_pop(&sim->ev, &at, &fn, &arg);
	sim->now = at;
	sim->events_run++;
	fn(sim, arg);
	if (sim->nreclaim > 0)
		run_reclaim(sim);
	return true;
}

void
sim_run(struct sim *sim, sim_time_t until)
{
	while (sim_step(sim, until))
		;
	if (until != SIM_NEVER && until > sim->now)
		sim->now = until;
}

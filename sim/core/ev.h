/*
 * ev.h - the event queue: a min-heap of timed callbacks.
 *
 * Events are ordered by (time, sequence): two events due at the same instant
 * run in the order they were scheduled, which is what makes a run
 * deterministic.  Cancelling is O(log n) through a handle that carries a
 * generation number, so a stale handle (its event already ran or was
 * cancelled, and the slot reused) is recognised and ignored.
 *
 * This module is pure: it never sees 'struct sim' except as the opaque first
 * argument it hands back to callbacks.
 */
#ifndef MX_EV_H
#define MX_EV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "simtime.h"

struct sim;

typedef void ev_fn(struct sim *sim, void *arg);

/* A reference to a scheduled event; {0, 0} is "no event". */
struct ev_handle {
	uint32_t id;  /* slot index + 1; 0 = none */
	uint32_t gen; /* generation of the slot when scheduled */
};

/*
 * The rest of this header is private to ev.c: it is here only so that a
 * 'struct ev_heap' can be embedded (in 'struct sim') and ev_count() inlined.
 */

/* One heap entry, 16 bytes so that the four children of a node share one
 * 64-byte cache line.  (key, tie) compared as one unsigned 128-bit number
 * orders entries by (time, sequence). */
struct ev_node {
	uint64_t key; /* due time with its sign bit flipped */
	uint64_t tie; /* sequence number << 32 | slot index */
};

struct ev_slot {      /* a pooled event record */
	ev_fn *fn;    /* callback; NULL while the slot is free */
	void *arg;    /* borrowed callback argument */
	uint32_t gen; /* bumped each time the slot is released */
};

struct ev_heap {
	struct ev_node *heap;  /* 4-ary min-heap inside 'heap_mem';
	                        * sentinels after the used entries */
	void *heap_mem;        /* owned; the allocation 'heap' points into */
	size_t n;              /* pending events */
	size_t cap;            /* entries 'heap' has room for */
	bool hole;             /* heap[0] is vacant (popped, not refilled);
	                        * the events are then at heap[1 .. n] */
	struct ev_slot *slots; /* owned; pooled event records */
	uint32_t *pos;         /* owned; per slot: its heap index, or the
	                        * next free slot + 1 while it is free */
	size_t nslots;         /* slots in use or on the free list */
	size_t capslots;       /* capacity of 'slots' and 'pos' */
	uint32_t free_head;    /* first free slot + 1, 0 = none */
	uint32_t next_seq;     /* sequence number of the next schedule */
};

void ev_heap_init(struct ev_heap *h);
void ev_heap_fini(struct ev_heap *h);

/* Schedules 'fn(sim, arg)' at 'at'.  Never fails (memory grows as needed). */
struct ev_handle ev_schedule(
    struct ev_heap *h, sim_time_t at, ev_fn *fn, void *arg);

/* Cancels a pending event; returns false when it already ran or was
 * cancelled.  Clears '*hd' either way. */
bool ev_cancel(struct ev_heap *h, struct ev_handle *hd);

/* True when the handle refers to an event still waiting in the heap. */
bool ev_pending(const struct ev_heap *h, struct ev_handle hd);

/* Time of the earliest event; false when the heap is empty. */
bool ev_peek(const struct ev_heap *h, sim_time_t *at);

/* Removes the earliest event and returns its callback; false when empty. */
bool ev_pop(struct ev_heap *h, sim_time_t *at, ev_fn **fn, void **arg);

static inline size_t
ev_count(const struct ev_heap *h)
{
	return h->n;
}

#endif

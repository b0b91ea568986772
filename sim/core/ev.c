/*
 * ev.c - array-backed 4-ary min-heap of events with pooled records.
 *
 * Entries.  The heap stores 16-byte (key, tie) entries: 'key' is the due
 * time with its sign bit flipped, so that it orders as an unsigned number,
 * and 'tie' is the sequence number in its high 32 bits and the slot index
 * in its low 32.  (key, tie) compared as one unsigned 128-bit number orders
 * entries by (time, sequence); the slot never decides, as the sequence
 * numbers of pending events are distinct.  The callback and its argument
 * live in a separate slot array, reused through a free list, and a third
 * array 'pos' remembers each slot's heap index, so that cancelling an event
 * is a removal at that index, O(log n).
 *
 * Why 4-ary: a node's four children are 64 bytes, one cache line (the
 * array is placed so that heap[1], the first child group, starts a line),
 * and the tree is half as deep as a binary heap, so half as many entries
 * move and have their 'pos' written back.
 *
 * The hole.  ev_pop() takes the root and leaves a hole there instead of
 * refilling it at once.  A simulator's event usually schedules another
 * one, and ev_schedule() then drops the new entry into the hole and sifts
 * it down: one sift per event instead of a sift-down for the pop and a
 * sift-up for the push.  When the next operation is not a schedule, the
 * hole is first filled with the last entry, which is the ordinary pop, just
 * done late.  The set of pending events and their order are the same
 * either way, so this changes no result.
 *
 * The sift-down loop is the simulator's hot path and is written for the
 * machine (see sift_down_at()): the smallest child is found by a tournament
 * on keys alone, compiled to conditional moves, with the rare equal keys
 * settled by the sequence numbers in a separate path; positions are byte
 * offsets; heaps too big for the L1 cache prefetch the next level.
 *
 * Sentinels.  Entries past the used part of the array, up to 'cap', have
 * every bit set, which is greater than any event, so a child group can be
 * read whole without checking which children exist.
 *
 * Sequence numbers are 32 bits.  Before they run out, the pending entries
 * are renumbered 0..n-1 in their existing order (a sort, once per about
 * four billion schedules): order among pending events is all that matters,
 * so the heap stays valid and FIFO among equal times holds for ever.
 * EV_SEQ_LIMIT may be lowered at compile time to test this.
 *
 * Invariants ('used' = n, plus one while the root is a hole):
 *  - heap[i] <= heap[4i+1 .. 4i+4] on (key, tie), the hole excepted;
 *  - heap[used .. cap) are sentinels, and cap >= used + EV_ARITY;
 *  - for every entry e at index i: pos[slot(e)] == i;
 *  - a slot is free iff its 'fn' is NULL; its 'gen' changes on release, so
 *    handles taken before the release no longer match;
 *  - every pending sequence number is < next_seq <= EV_SEQ_LIMIT.
 *
 * Ties: 'tie' grows with every schedule, so equal times pop in scheduling
 * order (FIFO), the property libuv's timer heap gets from its start_id.
 */
#include "ev.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

#define EV_ARITY        4    /* children per node */
#define EV_LINE         64   /* cache line size; heap[1] starts one */
#define EV_PREFETCH_MIN 2048 /* heaps bigger than this prefetch */

#ifndef EV_SEQ_LIMIT
#define EV_SEQ_LIMIT UINT32_C(0xffffffff) /* sequence numbers < this */
#endif

#if defined(__GNUC__)
#define EV_COLD        __attribute__((noinline, cold))
#define EV_NOINLINE    __attribute__((noinline))
#define EV_HOT_INLINE  inline __attribute__((always_inline))
#define EV_PREFETCH(p) __builtin_prefetch(p)
#define EV_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define EV_COLD
#define EV_NOINLINE
#define EV_HOT_INLINE  inline
#define EV_PREFETCH(p) ((void)(p))
#define EV_UNLIKELY(x) (x)
#endif

static const uint64_t key_sign = UINT64_C(1) << 63;

static inline uint64_t
key_of(sim_time_t at)
{
	return (uint64_t)at ^ key_sign;
}

static inline sim_time_t
time_of(uint64_t key)
{
	return (sim_time_t)(key ^ key_sign);
}

static inline uint32_t
slot_of(const struct ev_node *e)
{
	return (uint32_t)e->tie;
}

static inline bool
node_less(const struct ev_node *a, const struct ev_node *b)
{
#if defined(__SIZEOF_INT128__)
	__extension__ typedef unsigned __int128 u128;

	/* A compare and a subtract-with-borrow: no branch. */
	return ((u128)a->key << 64 | a->tie) < ((u128)b->key << 64 | b->tie);
#else
	return a->key < b->key || (a->key == b->key && a->tie < b->tie);
#endif
}

/* Sets every bit of 'e': greater than any event. */
static inline void
node_clear(struct ev_node *e)
{
	e->key = UINT64_MAX;
	e->tie = UINT64_MAX;
}

/*
 * a < b ? y : x, without a branch.  Which child of a group is smallest is
 * random, and a mispredicted jump costs more than the whole tournament.
 * Clang emits a conditional move for '?:'; GCC 12 emits a jump here
 * whatever the spelling, so on x86-64 it gets the 'cmov' spelled out, and
 * elsewhere a mask.
 */
static inline size_t
sel_lt(uint64_t a, uint64_t b, size_t x, size_t y)
{
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
	__asm__("cmpq %[b], %[a]\n\tcmovbq %[y], %[x]"
	        : [x] "+r"(x)
	        : [a] "r"(a), [b] "r"(b), [y] "r"(y)
	        : "cc");
	return x;
#elif defined(__clang__)
	return a < b ? y : x;
#else
	return x ^ ((x ^ y) & ((size_t)0 - (size_t)(a < b)));
#endif
}

void
ev_heap_init(struct ev_heap *h)
{
	h->heap = NULL;
	h->heap_mem = NULL;
	h->n = h->cap = 0;
	h->hole = false;
	h->slots = NULL;
	h->pos = NULL;
	h->nslots = h->capslots = 0;
	h->free_head = 0;
	h->next_seq = 0;
}

void
ev_heap_fini(struct ev_heap *h)
{
	free(h->heap_mem);
	free(h->slots);
	free(h->pos);
	ev_heap_init(h);
}

/* Entries of 'heap' in use: the events, and the hole if there is one. */
static inline size_t
heap_used(const struct ev_heap *h)
{
	return h->n + h->hole;
}

/* Makes room for 'need' entries plus a child group of sentinels. */
EV_COLD static void
heap_reserve(struct ev_heap *h, size_t need)
{
	size_t ncap = h->cap ? h->cap : 64;
	size_t used = heap_used(h), i;
	uintptr_t base;
	void *mem;
	struct ev_node *a;

	need += EV_ARITY;
	if (need <= h->cap)
		return;
	while (ncap < need)
		ncap *= 2;
	/* One line of slack to place heap[1] on a line boundary. */
	mem = mx_xmalloc(ncap * sizeof(*a) + EV_LINE);
	base = ((uintptr_t)mem + sizeof(*a) + EV_LINE - 1) &
	       ~(uintptr_t)(EV_LINE - 1);
	a = (struct ev_node *)(base - sizeof(*a));
	if (used > 0)
		memcpy(a, h->heap, used * sizeof(*a));
	for (i = used; i < ncap; i++)
		node_clear(&a[i]);
	free(h->heap_mem);
	h->heap_mem = mem;
	h->heap = a;
	h->cap = ncap;
}

/* Places 'x' at index 'i' or above, moving larger ancestors down. */
static void
sift_up(struct ev_heap *h, size_t i, struct ev_node x)
{
	struct ev_node *a = h->heap;
	uint32_t *pos = h->pos;

	while (i > 0) {
		size_t p = (i - 1) / EV_ARITY;
		uint64_t key = a[p].key, tie = a[p].tie;

		if (!node_less(&x, &a[p]))
			break;
		a[i].key = key;
		a[i].tie = tie;
		pos[(uint32_t)tie] = (uint32_t)i;
		i = p;
	}
	a[i].key = x.key;
	a[i].tie = x.tie;
	pos[slot_of(&x)] = (uint32_t)i;
}

/* Index of the smallest of the child group at 'c', sequence numbers
 * included (the sift's path for groups where two keys are equal). */
EV_NOINLINE static size_t
min_child_exact(const struct ev_node *a, size_t c)
{
	size_t m = c, j;

	for (j = c + 1; j < c + EV_ARITY; j++) {
		if (node_less(&a[j], &a[m]))
			m = j;
	}
	return m;
}

/*
 * Places 'x' in the hole at index 'i' or below, moving smaller children
 * up; the entries are heap[0 .. last] but for the hole, and sentinels
 * follow them.
 *
 * Positions are byte offsets into the array: the child group of the entry
 * at offset o is at 4o + 16, one 'lea'.  The tournament compares keys
 * only, as 64-bit numbers; if a match was between equal keys (two events
 * at the same instant), min_child_exact() decides with the sequence
 * numbers.  Entries are copied as two 64-bit words, which later 64-bit
 * loads of the same entry can take straight from the store buffer.
 */
static EV_HOT_INLINE void
sift_down_at(
    struct ev_heap *h, size_t i, struct ev_node x, size_t last, bool prefetch)
{
	char *base = (char *)h->heap;
	uint32_t *pos = h->pos;
	const size_t sz = sizeof(struct ev_node);
	size_t end = last * sz;         /* offset of the last entry */
	size_t io = i * sz;             /* offset of the hole */
	size_t go = EV_ARITY * io + sz; /* offset of its child group */

	while (go <= end) {
		const struct ev_node *g = (const struct ev_node *)(base + go);
		uint64_t k0 = g[0].key, k1 = g[1].key;
		uint64_t k2 = g[2].key, k3 = g[3].key;
		uint64_t ka = k1 < k0 ? k1 : k0;
		uint64_t kb = k3 < k2 ? k3 : k2;
		uint64_t km = kb < ka ? kb : ka;
		size_t oa = (size_t)(k1 < k0) * sz;
		size_t ob = (size_t)(k3 < k2) * sz + 2 * sz;
		size_t mo;
		struct ev_node *m, *d;
		uint64_t tie;

		if (prefetch) {
			/* The four groups below this one: 256 bytes, of
			 * which the next level reads one line. */
			uintptr_t p = (uintptr_t)base + EV_ARITY * go + sz;

			EV_PREFETCH((const void *)p);
			EV_PREFETCH((const void *)(p + 64));
			EV_PREFETCH((const void *)(p + 128));
			EV_PREFETCH((const void *)(p + 192));
		}
		if (EV_UNLIKELY((k1 == k0) | (k3 == k2) | (kb == ka)))
			mo = min_child_exact(
			         (const struct ev_node *)base, go / sz) *
			     sz;
		else
			mo = go + sel_lt(kb, ka, oa, ob);
		m = (struct ev_node *)(base + mo);
		/* Stop when x < *m; m->key == km. */
		if (x.key <= km && (x.key < km || x.tie < m->tie))
			break;
		tie = m->tie;
		d = (struct ev_node *)(base + io);
		d->key = km;
		d->tie = tie;
		pos[(uint32_t)tie] = (uint32_t)(io / sz);
		io = mo;
		go = EV_ARITY * mo + sz;
	}
	((struct ev_node *)(base + io))->key = x.key;
	((struct ev_node *)(base + io))->tie = x.tie;
	pos[slot_of(&x)] = (uint32_t)(io / sz);
}

static EV_HOT_INLINE void
sift_down_inline(struct ev_heap *h, size_t i, struct ev_node x, size_t last)
{
	if (last > EV_PREFETCH_MIN)
		sift_down_at(h, i, x, last, true);
	else
		sift_down_at(h, i, x, last, false);
}

/* sift_down_inline() for callers off the hot path. */
EV_NOINLINE static void
sift_down(struct ev_heap *h, size_t i, struct ev_node x, size_t last)
{
	sift_down_inline(h, i, x, last);
}

/* Fills the hole at the root with the last entry: the deferred part of
 * the last pop.  Only when h->hole. */
EV_NOINLINE static void
fill_root(struct ev_heap *h)
{
	struct ev_node *a = h->heap;
	struct ev_node x;

	h->hole = false;
	if (h->n == 0) {
		node_clear(&a[0]);
		return;
	}
	/* Events at heap[1 .. n]: the last one moves to the root. */
	x = a[h->n];
	node_clear(&a[h->n]);
	sift_down(h, 0, x, h->n - 1);
}

static int
cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return (a > b) - (a < b);
}

/* Renumbers pending sequence numbers 0..n-1, keeping their order. */
EV_COLD static void
seq_renumber(struct ev_heap *h)
{
	struct ev_node *a = h->heap;
	uint64_t *v;
	size_t i;

	if (h->hole)
		fill_root(h);
	assert(h->n < EV_SEQ_LIMIT);
	v = mx_xmalloc((h->n ? h->n : 1) * sizeof(*v));
	for (i = 0; i < h->n; i++)
		v[i] = (a[i].tie & ~UINT64_C(0xffffffff)) | i;
	qsort(v, h->n, sizeof(*v), cmp_u64);
	for (i = 0; i < h->n; i++) {
		struct ev_node *e = &a[(uint32_t)v[i]];

		e->tie = (uint64_t)i << 32 | slot_of(e);
	}
	h->next_seq = (uint32_t)h->n;
	free(v);
}

/* Adds a slot to the pool, growing it. */
EV_COLD static uint32_t
slot_new(struct ev_heap *h)
{
	uint32_t s;

	if (h->nslots == h->capslots) {
		size_t cap = h->capslots;
		void *p = h->slots;

		/* Handles carry slot + 1 in a uint32_t. */
		assert(h->nslots < UINT32_MAX - 1);
		mx_grow(&p, &h->capslots, h->nslots + 1, sizeof(*h->slots));
		h->slots = p;
		p = h->pos;
		mx_grow(&p, &cap, h->nslots + 1, sizeof(*h->pos));
		h->pos = p;
	}
	s = (uint32_t)h->nslots++;
	h->slots[s].gen = 1;
	return s;
}

static inline uint32_t
slot_alloc(struct ev_heap *h)
{
	uint32_t s;

	if (h->free_head == 0)
		return slot_new(h);
	s = h->free_head - 1;
	h->free_head = h->pos[s];
	return s;
}

static inline void
slot_release(struct ev_heap *h, uint32_t s)
{
	struct ev_slot *sl = &h->slots[s];

	sl->fn = NULL;
	sl->arg = NULL;
	sl->gen++;
	if (sl->gen == 0)
		sl->gen = 1;
	h->pos[s] = h->free_head;
	h->free_head = s + 1;
}

struct ev_handle
ev_schedule(struct ev_heap *h, sim_time_t at, ev_fn *fn, void *arg)
{
	struct ev_handle hd;
	struct ev_node x;
	uint32_t s;

	assert(fn != NULL);
	s = slot_alloc(h);
	h->slots[s].fn = fn;
	h->slots[s].arg = arg;
	if (h->n + 1 + EV_ARITY > h->cap)
		heap_reserve(h, h->n + 1);
	if (h->next_seq == EV_SEQ_LIMIT)
		seq_renumber(h);
	x.key = key_of(at);
	x.tie = (uint64_t)h->next_seq++ << 32 | s;
	if (h->hole) {
		/* Events at heap[1 .. n], the new one goes in the hole. */
		h->hole = false;
		sift_down_inline(h, 0, x, h->n);
	} else {
		sift_up(h, h->n, x);
	}
	h->n++;
	/* The next pop will read the root's record: fetch it now. */
	EV_PREFETCH(&h->slots[slot_of(&h->heap[0])]);
	hd.id = s + 1;
	hd.gen = h->slots[s].gen;
	return hd;
}

bool
ev_pending(const struct ev_heap *h, struct ev_handle hd)
{
	const struct ev_slot *sl;

	if (hd.id == 0 || hd.id > h->nslots)
		return false;
	sl = &h->slots[hd.id - 1];
	return sl->fn != NULL && sl->gen == hd.gen;
}

bool
ev_cancel(struct ev_heap *h, struct ev_handle *hd)
{
	struct ev_node *a;
	struct ev_node x;
	size_t i, last;
	uint32_t s;

	if (!ev_pending(h, *hd)) {
		hd->id = hd->gen = 0;
		return false;
	}
	s = hd->id - 1;
	hd->id = hd->gen = 0;
	if (h->hole)
		fill_root(h);
	a = h->heap;
	i = h->pos[s];
	last = h->n - 1;
	x = a[last];
	node_clear(&a[last]);
	h->n--;
	if (i != last) {
		/* The last entry fills the gap, then goes up or down. */
		if (i > 0 && node_less(&x, &a[(i - 1) / EV_ARITY]))
			sift_up(h, i, x);
		else
			sift_down(h, i, x, last - 1);
	}
	slot_release(h, s);
	return true;
}

bool
ev_peek(const struct ev_heap *h, sim_time_t *at)
{
	size_t i = 0;

	if (h->n == 0)
		return false;
	if (h->hole)
		i = min_child_exact(h->heap, 1); /* the root's children */
	*at = time_of(h->heap[i].key);
	return true;
}

bool
ev_pop(struct ev_heap *h, sim_time_t *at, ev_fn **fn, void **arg)
{
	const struct ev_node *root;
	uint32_t s;

	if (h->n == 0)
		return false;
	if (h->hole)
		fill_root(h);
	root = &h->heap[0];
	s = slot_of(root);
	*at = time_of(root->key);
	*fn = h->slots[s].fn;
	*arg = h->slots[s].arg;
	h->hole = true; /* refilled by the next schedule, or fill_root() */
	h->n--;
	slot_release(h, s);
	return true;
}

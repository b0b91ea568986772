/*
 * greylist.c - greylisting as postgrey does it (RFC 6647 §2.1).
 *
 * The rules, from postgrey's smtpd_access_policy() (schweikert/postgrey,
 * postgrey 1.37):
 *
 *   - the key is lc("client/sender/recipient"): we key on the client's
 *     address as --lookup-by-host does (the default --lookup-by-subnet
 *     would fold a /24 together; our hosts each have their own address);
 *   - an unknown key is stored with first = now and deferred ("new");
 *   - "my $diff = delay - (now - first)": the attempt is deferred while
 *     diff > 0, so a retry exactly 'delay' after the first passes; a
 *     deferred retry keeps 'first' ("early-retry");
 *   - "$first = $now if $now-$first > retry_window" for a key that has not
 *     passed yet: a retry later than the window starts over;
 *   - a key that passed stays passed (postgrey forgets it after --max-age,
 *     35 days without a visit; a run is shorter than that).
 *
 * The table is an open-addressed hash keyed by the text of the key (FNV-1a,
 * rng_hash()), so lookups cost the same however many senders a run has, and
 * nothing depends on addresses in memory.  It is never iterated.
 */
#include "greylist.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../core/rng.h"

struct greylist_entry {
	char *key;             /* owned "ip/from/rcpt" in lower case; NULL =
	                          free slot */
	uint64_t hash;         /* rng_hash(key) */
	sim_time_t first_seen; /* first attempt of the current round */
	bool passed;           /* passed once: accepted for good */
};

static const char *const verdicts[] = {
#define XX(id, s) s,
    GREYLIST_VERDICT_MAP(XX)
#undef XX
};

void
greylist_init(struct greylist *g)
{
	memset(g, 0, sizeof(*g));
}

void
greylist_fini(struct greylist *g)
{
	size_t i;

	for (i = 0; i < g->cap; i++)
		free(g->slot[i].key);
	free(g->slot);
	memset(g, 0, sizeof(*g));
}

const char *
greylist_verdict_name(enum greylist_verdict v)
{
	return (unsigned)v < sizeof(verdicts) / sizeof(verdicts[0])
	           ? verdicts[v]
	           : "?";
}

/* postgrey's key: lc "$client/$sender/$recipient". */
static char *
make_key(const char *ip, const char *from, const char *rcpt)
{
	size_t n = strlen(ip) + 3;
	char *k, *p;

	n += from != NULL ? strlen(from) : 0;
	n += rcpt != NULL ? strlen(rcpt) : 0;
	k = mx_xmalloc(n);
	p = k;
	p = stpcpy(p, ip);
	*p++ = '/';
	p = stpcpy(p, from != NULL ? from : "");
	*p++ = '/';
	stpcpy(p, rcpt != NULL ? rcpt : "");
	for (p = k; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return k;
}

/* The slot holding 'key', or the free slot where it belongs. */
static struct greylist_entry *
find(const struct greylist *g, const char *key, uint64_t h)
{
	size_t mask = g->cap - 1, i = (size_t)h & mask;

	for (;; i = (i + 1) & mask) {
		struct greylist_entry *e = &g->slot[i];

		if (e->key == NULL ||
		    (e->hash == h && strcmp(e->key, key) == 0))
			return e;
	}
}

/* Keeps the load at most 1/2 so that probes stay short. */
static void
grow(struct greylist *g)
{
	struct greylist old = *g;
	size_t i;

	g->cap = old.cap ? old.cap * 2 : 64;
	g->slot = mx_xcalloc(g->cap, sizeof(*g->slot));
	for (i = 0; i < old.cap; i++)
		if (old.slot[i].key != NULL)
			*find(g, old.slot[i].key, old.slot[i].hash) =
			    old.slot[i];
	free(old.slot);
}

static enum greylist_verdict
decide(struct greylist_entry *e, sim_time_t now, sim_time_t delay,
    sim_time_t window)
{
	if (e->passed)
		return GREYLIST_PASSED;
	if (now - e->first_seen > window) {
		e->first_seen = now;
		return GREYLIST_EXPIRED;
	}
	if (now - e->first_seen < delay)
		return GREYLIST_EARLY;
	e->passed = true;
	return GREYLIST_PASSED;
}

enum greylist_verdict
greylist_check(struct greylist *g, const char *ip, const char *from,
    const char *rcpt, sim_time_t now, sim_time_t delay, sim_time_t window,
    struct greylist_result *res)
{
	char *key = make_key(ip, from, rcpt);
	uint64_t h = rng_hash(key);
	struct greylist_entry *e;
	struct greylist_result r;

	if (delay <= 0)
		delay = GREYLIST_DELAY_DEFAULT;
	if (window <= 0)
		window = GREYLIST_WINDOW_DEFAULT;
	if (2 * (g->n + 1) > g->cap)
		grow(g);
	e = find(g, key, h);
	if (e->key == NULL) {
		e->key = key;
		e->hash = h;
		e->first_seen = now;
		e->passed = false;
		g->n++;
		r.verdict = GREYLIST_NEW;
		r.age = 0;
	} else {
		free(key);
		r.age = now - e->first_seen;
		r.verdict = decide(e, now, delay, window);
	}
	r.first_seen = e->first_seen;
	if (res != NULL)
		*res = r;
	return r.verdict;
}

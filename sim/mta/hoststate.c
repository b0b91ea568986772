/*
 * hoststate.c - dead-host memory.  A flat array searched by key: a run
 * has a few destinations, and creation order keeps it deterministic.
 */
#include "hoststate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../dns/dnsmsg.h"

/* OpenSMTPD mta.c: DELAY_ROUTE_MAX. */
#define ROUTE_DELAY_MAX SIM_H(1)

void
hs_init(struct hoststate *hs)
{
	memset(hs, 0, sizeof(*hs));
}

void
hs_fini(struct hoststate *hs)
{
	free(hs->v);
	memset(hs, 0, sizeof(*hs));
}

struct hs_entry *
hs_find(struct hoststate *hs, const char *key)
{
	size_t i;

	for (i = 0; i < hs->n; i++)
		if (dns_name_eq(hs->v[i].key, key))
			return &hs->v[i];
	return NULL;
}

const struct hs_entry *
hs_blocked(struct hoststate *hs, const char *key, sim_time_t now)
{
	const struct hs_entry *e = hs_find(hs, key);

	return e != NULL && e->rs.next > now ? e : NULL;
}

/* The entry for 'key', made empty (never failed) on first use. */
static struct hs_entry *
hs_get(struct hoststate *hs, const char *key)
{
	struct hs_entry *e = hs_find(hs, key);
	void *a;

	if (e != NULL)
		return e;
	a = hs->v;
	mx_grow(&a, &hs->cap, hs->n + 1, sizeof(*hs->v));
	hs->v = a;
	e = &hs->v[hs->n++];
	memset(e, 0, sizeof(*e));
	snprintf(e->key, sizeof(e->key), "%s", key);
	mta_rstate_init(&e->rs);
	return e;
}

struct hs_entry *
hs_fail(struct hoststate *hs, const struct mta_profile *p, const char *key,
    sim_time_t now, const char *why)
{
	struct hs_entry *e = hs_get(hs, key);
	sim_time_t d;

	snprintf(e->why, sizeof(e->why), "%s", why);
	e->rs.nfail++;
	switch (p->host_memory) {
	case MTA_HMEM_ADDRESS:
		if (p->nrules > 0) {
			/* retry.c retry_update(): past the last cutoff the
			 * record is "expired", its next try still computed
			 * from the last rule. */
			e->expired = mta_sched_exim(p, now, &e->rs);
			return e;
		}
		d = p->host_memory_time;
		break;
	case MTA_HMEM_ROUTE:
		/* mta_route_collect(): only a ROUTE_NEW route is penalised;
		 * a validated one stays usable. */
		if (e->validated)
			return e;
		/* mta.c mta_route_disable(): delay = base * penalty^2. */
		e->penalty++;
		d = p->host_memory_time * e->penalty * e->penalty;
		if (d > ROUTE_DELAY_MAX)
			d = ROUTE_DELAY_MAX;
		break;
	default:
		d = p->host_memory_time;
		break;
	}
	/* Postfix and Sendmail timers, OpenSMTPD's too, count whole
	 * seconds (time_t). */
	now = mta_sched_secs(now);
	if (e->rs.first < 0)
		e->rs.first = now;
	e->rs.last = now;
	e->rs.next = now + d;
	return e;
}

void
hs_route_ready(struct hoststate *hs, const char *key)
{
	struct hs_entry *e = hs_get(hs, key);

	e->validated = true;
	e->rs.next = 0;
}

void
hs_ok(struct hoststate *hs, const char *key)
{
	struct hs_entry *e = hs_find(hs, key);
	size_t i;

	if (e == NULL)
		return;
	i = (size_t)(e - hs->v);
	memmove(&hs->v[i], &hs->v[i + 1], (hs->n - i - 1) * sizeof(*hs->v));
	hs->n--;
}

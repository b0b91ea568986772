/*
 * recursor.h - iterative resolution with a cache, for the recursive
 * resolver role (RFC 1034 §5.3.3, RFC 2308).
 *
 * Given a name and a type, the recursor answers from its cache or asks
 * the authoritative servers itself, from the root hints down the
 * delegations, following CNAMEs, and keeps what it learns for its TTL in
 * simulated time: answers, delegations and their glue, and negative
 * answers for the SOA's negative TTL.
 */
#ifndef MX_RECURSOR_H
#define MX_RECURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../net/net.h"
#include "dnsmsg.h"

#define RECURSOR_MAXROOTS 16

struct recursor_params {
	struct net_addr roots[RECURSOR_MAXROOTS]; /* root hints */
	size_t nroots;                            /* how many */
	sim_time_t timeout;   /* wait for one server's answer */
	uint32_t max_ttl;     /* cap on cached TTLs (Unbound: 1 day) */
	uint32_t max_neg_ttl; /* cap on negative TTLs (Unbound: 1 h) */
	uint32_t lame_ttl;    /* a lame server is skipped (BIND: 600 s) */
};

void recursor_params_default(struct recursor_params *p);

/* The outcome of one resolution. */
struct recursor_answer {
	uint8_t rcode;            /* NOERROR, NXDOMAIN or SERVFAIL */
	const struct dns_rr *an;  /* borrowed: CNAMEs then records, TTLs
	                             as left in the cache */
	size_t nan;               /* how many */
	const struct dns_rr *soa; /* borrowed SOA of a negative answer */
	bool cached;              /* answered from the cache alone */
};

typedef void recursor_fn(void *ctx, const struct recursor_answer *a);

struct recursor;

struct recursor *recursor_new(
    struct net_host *h, const struct recursor_params *p);
void recursor_free(struct recursor *rc);

/* Resolves; 'fn' is called exactly once, possibly before this returns
 * (a cache hit).  Returns a handle (never 0) for recursor_cancel(). */
uint32_t recursor_resolve(struct recursor *rc, const char *name, uint16_t type,
    recursor_fn *fn, void *ctx);
void recursor_cancel(struct recursor *rc, uint32_t handle);

/* Entries in the cache now (expired ones excluded), for reports. */
size_t recursor_cache_size(const struct recursor *rc);

#endif

/*
 * mx.h - turning an MX answer into the ordered list of hosts to try
 * (RFC 5321 §5.1).
 *
 * Pure module: input is a decoded DNS response, output an array; the only
 * randomness comes from the stream the caller passes.
 */
#ifndef MX_MX_H
#define MX_MX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/rng.h"
#include "../dns/dnsmsg.h"
#include "profile.h"

#define MX_LIST_MAX 32

struct mx_entry {
	uint16_t pref;           /* MX preference */
	char host[DNS_NAME_MAX]; /* exchange; "" = null MX */
};

/* Collects the MX records for 'domain' from an answer section, following
 * a CNAME of the domain itself (RFC 5321 §5.1: use the target's MX); keeps
 * answer order; at most 'max'.  Returns the count. */
size_t mx_collect(const struct dns_msg *m, const char *domain,
    struct mx_entry *out, size_t max);

/* True when the set means "this domain accepts no mail" (RFC 7505) under
 * the given recognition rule. */
bool mx_is_null(const struct mx_entry *v, size_t n, enum mta_nullmx rule);

/* Orders by preference, lowest first (RFC 5321 §5.1 "MUST be used in
 * sorting"), keeping answer order among equals, then applies 'order' to
 * each run of equal preferences, drawing from 'rng'.  Duplicate hosts keep
 * their lowest preference.  Null-MX entries are removed.  Returns the new
 * count. */
size_t mx_order(
    struct mx_entry *v, size_t n, enum mta_order order, struct rng *rng);

/* The whole arrangement a profile asks for: null entries and duplicates
 * removed; preferences walked by 'p->pref_order' (ascending as mx_order(),
 * descending, or the answer order untouched); equal preferences ordered by
 * 'p->equal_pref' (HASH: by a hash of the host name mixed with 'seed', a
 * per-process constant, as Sendmail's mxrand()); then cut to
 * 'p->mx_host_limit' hosts.  Returns the new count. */
size_t mx_arrange(struct mx_entry *v, size_t n, const struct mta_profile *p,
    struct rng *rng, uint64_t seed);

#endif

/*
 * mx.c - MX list ordering.
 *
 * Sorting is an insertion sort (lists are short, and it is stable, so
 * "none" keeps the DNS answer order among equal preferences, as OpenSMTPD
 * does).  Shuffling is Fisher-Yates within each run of equal preference:
 * every permutation of the run is equally likely, as RFC 5321 §5.1 asks.
 */
#include "mx.h"

#include <string.h>

size_t
mx_collect(const struct dns_msg *m, const char *domain, struct mx_entry *out,
    size_t max)
{
	char name[DNS_NAME_MAX];
	size_t i, n = 0;

	/* Follow a CNAME chain of the domain within the answer. */
	(void)dns_msg_chase(m, domain, 8, name, sizeof(name));
	for (i = 0; i < m->nan && n < max; i++) {
		const struct dns_rr *rr = &m->an[i];

		if (rr->type != DNS_T_MX || !dns_name_eq(rr->name, name))
			continue;
		out[n].pref = rr->rd.mx.pref;
		memcpy(out[n].host, rr->rd.mx.exchange, sizeof(out[n].host));
		n++;
	}
	return n;
}

bool
mx_is_null(const struct mx_entry *v, size_t n, enum mta_nullmx rule)
{
	size_t i;

	if (rule == MTA_NULLMX_ONLY)
		return n == 1 && v[0].pref == 0 && v[0].host[0] == '\0';
	for (i = 0; i < n; i++)
		if (v[i].host[0] == '\0')
			return true;
	return false;
}

/* Drops null entries and duplicate hosts (keeping the lowest
 * preference, as Exim's host_remove_duplicates()). */
static size_t
dedup(struct mx_entry *v, size_t n)
{
	size_t i, j, o;

	for (i = 0, o = 0; i < n; i++) {
		bool dup = false;

		if (v[i].host[0] == '\0')
			continue;
		for (j = 0; j < o; j++)
			if (dns_name_eq(v[j].host, v[i].host)) {
				if (v[i].pref < v[j].pref)
					v[j].pref = v[i].pref;
				dup = true;
				break;
			}
		if (!dup)
			v[o++] = v[i];
	}
	return o;
}

size_t
mx_order(struct mx_entry *v, size_t n, enum mta_order order, struct rng *rng)
{
	size_t i, j;

	n = dedup(v, n);
	for (i = 1; i < n; i++) {
		struct mx_entry x = v[i];

		for (j = i; j > 0 && v[j - 1].pref > x.pref; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	if (order != MTA_ORDER_SHUFFLE)
		return n;
	for (i = 0; i < n;) {
		size_t run = 1, k;

		while (i + run < n && v[i + run].pref == v[i].pref)
			run++;
		for (k = run - 1; k > 0; k--) {
			size_t r = (size_t)rng_below(rng, k + 1);
			struct mx_entry t = v[i + k];

			v[i + k] = v[i + r];
			v[i + r] = t;
		}
		i += run;
	}
	return n;
}

/* Sendmail domain.c mxrand(): a hash of the host name with a seed fixed
 * for the process, so the order of equal preferences is "random but
 * repeatable" within one sending process. */
static uint64_t
host_weight(const char *host, uint64_t seed)
{
	return rng_hash(host) ^ seed;
}

static void
order_by_hash(struct mx_entry *v, size_t n, uint64_t seed)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		struct mx_entry x = v[i];
		uint64_t w = host_weight(x.host, seed);

		for (j = i; j > 0 && v[j - 1].pref == x.pref &&
		            host_weight(v[j - 1].host, seed) > w;
		     j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* Reverses v[from, to). */
static void
reverse(struct mx_entry *v, size_t from, size_t to)
{
	while (to > from + 1) {
		struct mx_entry t = v[from];

		v[from++] = v[--to];
		v[to] = t;
	}
}

size_t
mx_arrange(struct mx_entry *v, size_t n, const struct mta_profile *p,
    struct rng *rng, uint64_t seed)
{
	size_t i;

	if (p->pref_order == MTA_PREF_ANSWER)
		n = dedup(v, n);
	else
		n = mx_order(v, n,
		    p->equal_pref == MTA_ORDER_SHUFFLE ? MTA_ORDER_SHUFFLE
		                                       : MTA_ORDER_NONE,
		    rng);
	if (p->equal_pref == MTA_ORDER_HASH && p->pref_order != MTA_PREF_ANSWER)
		order_by_hash(v, n, seed);
	if (p->pref_order == MTA_PREF_DESCENDING) {
		reverse(v, 0, n);
		/* Only the preferences are walked backwards: hosts of equal
		 * preference keep the order chosen above (node-sendmail #57
		 * sorts by preference alone, with a stable sort). */
		for (i = 0; i < n;) {
			size_t k = i + 1;

			while (k < n && v[k].pref == v[i].pref)
				k++;
			reverse(v, i, k);
			i = k;
		}
	}
	if (p->mx_host_limit > 0 && n > (size_t)p->mx_host_limit)
		n = (size_t)p->mx_host_limit;
	return n;
}

/*
 * recursor.c - iterative resolution and its cache.
 *
 * A resolution (a job) repeats one step until it has an answer:
 *
 *   1. the cache: records of the asked type, a negative entry, or a CNAME
 *      to follow (at most 8 links, then SERVFAIL);
 *   2. the closest enclosing zone whose servers' addresses the cache
 *      knows, else the root hints; a delegation known without addresses
 *      (no glue) starts a child resolution of a server's name (from an
 *      event of its own, at most 4 deep); when none of its servers' names
 *      resolves, the answer is SERVFAIL (the parent would only refer
 *      again);
 *   3. a query to one of those servers (UDP, RD clear, EDNS0 1232 bytes);
 *      its answer is cached and decides: an authoritative answer ends the
 *      job (or gives a CNAME to follow), a referral to a closer zone
 *      moves down (its NS set and glue cached), NXDOMAIN and NODATA are
 *      cached for min(SOA TTL, SOA MINIMUM) (RFC 2308 §5) at the end of
 *      the answer's CNAME chain (RFC 6604 §2.1) and end it;
 *      SERVFAIL, REFUSED, a referral that is not closer and a timeout
 *      move to the next server of the zone.  When none is left, the
 *      answer is SERVFAIL.  A server that answers REFUSED or refers
 *      upwards does not serve the zone (a lame delegation, RFC 1912
 *      §2.8): it is skipped for that zone for 'lame_ttl' (BIND's
 *      lame-ttl, 600 s).
 *
 * Cached entries live until their TTL, capped at 'max_ttl' (Unbound's
 * cache-max-ttl, 1 day) and 'max_neg_ttl' for negative ones (Unbound's
 * cache-max-negative-ttl, 1 hour), all in simulated time: a zone change
 * is seen only when the cached records expire, which is what makes a stale
 * MX after a renumbering visible.  An answer from the cache carries what
 * is left of the TTL, in whole seconds (RFC 1035 §3.2.1, RFC 2181 §8;
 * Unbound and BIND count down); a fresh one the TTL as cached.  NS sets
 * and glue learnt from referrals find servers but are never handed out as
 * answers, nor replace records from an authoritative answer (RFC 2181
 * §5.4.1).
 *
 * The cache is an array of entries, at most one per (name, type) (names
 * equal as dns_name_eq() says), found through a hash table: chains of
 * entries by zone_name_hash(), each hit confirmed by dns_name_eq().  An
 * expired entry is never handed out (expiry is checked at every lookup,
 * in simulated time) and its slot is reused: when the array is full, one
 * pass frees every expired entry, and the array doubles only when that
 * freed less than a quarter of it, so that each insertion costs O(1)
 * amortised.  The slots' order is not observable: lookups go by key.
 *
 * Not modelled: DNSSEC, upstream TCP (a truncated upstream answer counts
 * as a failure of that server), server selection by RTT (servers are
 * tried in the order the delegation lists them), prefetching.
 */
#include "recursor.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/dur.h"
#include "../core/sim.h"
#include "../net/udp.h"
#include "zone.h"

#define MAX_SERVERS 16
#define MAX_STEPS   64
#define MAX_LINKS   8
#define MAX_DEPTH   4
#define CNONE       UINT32_MAX /* no cache entry */

struct centry {
	uint64_t hash;           /* cache_key() of (name, type) */
	uint32_t link;           /* next entry of the same bucket, or the
	                            next free slot */
	bool used;               /* holds an entry; else a free slot */
	uint16_t type;           /* 0 = the whole name (NXDOMAIN) */
	char name[DNS_NAME_MAX]; /* owner (the key, with 'type', and near
	                            it: a lookup reads one cache line) */
	sim_time_t expires;      /* stale from then on */
	bool negative;           /* NXDOMAIN or NODATA */
	uint8_t rcode;           /* for negative entries */
	struct dns_rr *rr;       /* owned records (positive) */
	size_t nrr;              /* how many */
	struct dns_rr soa;       /* negative entries: the zone's SOA */
	bool has_soa;            /* 'soa' is set */
	bool referral;           /* from a referral (NS, glue): finds
	                            servers, never handed out as an answer
	                            (RFC 2181 §5.4.1) */
};

struct rjob {
	struct rjob *next;                     /* owned next job */
	struct recursor *rc;                   /* borrowed */
	uint32_t handle;                       /* caller's handle */
	char qname[DNS_NAME_MAX];              /* name being resolved now */
	uint16_t qtype;                        /* asked type */
	struct dns_rr chain[MAX_LINKS + 1];    /* CNAMEs met so far */
	size_t nchain;                         /* how many */
	char cut[DNS_NAME_MAX];                /* zone whose servers we ask */
	struct net_addr srv[MAX_SERVERS];      /* its servers' addresses */
	size_t nsrv;                           /* how many */
	size_t si;                             /* next server to ask */
	char tried[MAX_SERVERS][DNS_NAME_MAX]; /* NS names resolved already */
	size_t ntried;                         /* how many */
	int steps;                             /* loop guard */
	int depth;                             /* child resolution depth */
	uint16_t port;                         /* our UDP port, 0 = none */
	uint16_t id;                           /* query ID in flight */
	struct ev_handle timer;                /* answer timeout */
	uint32_t child;                        /* child resolution, 0 = none */
	bool from_cache;                       /* no query was needed */
	recursor_fn *fn;                       /* completion callback */
	void *ctx;                             /* borrowed context */
};

/* A server found lame for a zone: it answered REFUSED or referred
 * upwards (RFC 1912 §2.8), so it does not serve the zone. */
struct lame {
	struct net_addr addr;    /* the server */
	char zone[DNS_NAME_MAX]; /* the zone it should serve */
	sim_time_t until;        /* skipped until then */
};

struct recursor {
	struct net_host *host;    /* borrowed */
	struct lame *lame;        /* owned lame servers */
	size_t nlame, caplame;    /* count and capacity */
	struct recursor_params p; /* knobs */
	struct centry *cache;     /* owned entries */
	size_t ncache, capcache;  /* slots ever used, and capacity */
	uint32_t *bucket;         /* owned chains' heads, 'capcache' of
	                             them (a power of 2), by cache_key() */
	uint32_t free_slot;       /* first free slot, CNONE if none */
	struct rjob *jobs;        /* owned jobs in progress */
	uint32_t next_handle;     /* handles handed out */
	struct dns_msg msg;       /* scratch: decode and encode */
};

void
recursor_params_default(struct recursor_params *p)
{
	memset(p, 0, sizeof(*p));
	/* A round number: real resolvers start near a second and adapt the
	 * timeout to each server's measured round trip. */
	p->timeout = SIM_S(1);
	p->max_ttl = 86400;
	p->max_neg_ttl = 3600;
	/* BIND's lame-ttl; Unbound keeps such a server in its infra cache
	 * for infra-host-ttl, 900 s. */
	p->lame_ttl = 600;
}

static bool
is_lame(const struct recursor *rc, const struct net_addr *a, const char *zone)
{
	sim_time_t now = sim_now(rc->host->net->sim);
	size_t i;

	for (i = 0; i < rc->nlame; i++)
		if (rc->lame[i].until > now &&
		    net_addr_eq(&rc->lame[i].addr, a) &&
		    dns_name_eq(rc->lame[i].zone, zone))
			return true;
	return false;
}

static void
mark_lame(struct recursor *rc, const struct net_addr *a, const char *zone)
{
	sim_time_t until =
	    sim_now(rc->host->net->sim) + (sim_time_t)rc->p.lame_ttl * SIM_S(1);
	size_t i;
	void *v = rc->lame;

	for (i = 0; i < rc->nlame; i++)
		if (net_addr_eq(&rc->lame[i].addr, a) &&
		    dns_name_eq(rc->lame[i].zone, zone)) {
			rc->lame[i].until = until;
			return;
		}
	mx_grow(&v, &rc->caplame, rc->nlame + 1, sizeof(*rc->lame));
	rc->lame = v;
	rc->lame[rc->nlame].addr = *a;
	snprintf(rc->lame[rc->nlame].zone, DNS_NAME_MAX, "%s", zone);
	rc->lame[rc->nlame].until = until;
	rc->nlame++;
}

static struct sim *
rsim(const struct recursor *rc)
{
	return rc->host->net->sim;
}

static void rtrace(struct recursor *rc, const char *type, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
rtrace(struct recursor *rc, const char *type, const char *fmt, ...)
{
	struct sim *sim = rsim(rc);
	struct trace_rec r;
	va_list ap;

	if (!trace_on(sim_trace(sim)))
		return;
	trace_rec_init(&r, sim_now(sim), rc->host->name, type, TRACE_DETAIL);
	va_start(ap, fmt);
	vsnprintf(r.text, sizeof(r.text), fmt, ap);
	va_end(ap);
	trace_emit(sim_trace(sim), &r);
}

/* The server being asked, and its zone, for the narrative:
 * "203.0.113.1 (zone '.')". */
static const char *
srv_str(const struct rjob *j, char *buf, size_t len)
{
	char a[NET_ADDR_STRLEN];

	if (j->si >= j->nsrv)
		snprintf(buf, len, "zone '%s'", j->cut[0] ? j->cut : ".");
	else
		snprintf(buf, len, "%s (zone '%s')",
		    net_addr_str(&j->srv[j->si], a, sizeof(a)),
		    j->cut[0] ? j->cut : ".");
	return buf;
}

/* --- the cache ----------------------------------------------------------- */

/* The hash of an entry's key: equal names (dns_name_eq()) and types
 * give equal keys. */
static uint64_t
cache_key(const char *name, uint16_t type)
{
	uint64_t h = zone_name_hash(name) ^
	             (uint64_t)type * UINT64_C(0x9e3779b97f4a7c15);

	return h ^ (h >> 32);
}

static uint32_t *
cache_head(const struct recursor *rc, uint64_t h)
{
	return &rc->bucket[h & (rc->capcache - 1)];
}

/* The entry of (name, type), expired or not, or NULL. */
static struct centry *
cache_lookup(const struct recursor *rc, const char *name, uint16_t type)
{
	uint64_t h;
	uint32_t i;

	if (rc->capcache == 0)
		return NULL;
	h = cache_key(name, type);
	for (i = *cache_head(rc, h); i != CNONE; i = rc->cache[i].link) {
		struct centry *e = &rc->cache[i];

		if (e->hash == h && e->type == type &&
		    dns_name_eq(e->name, name))
			return e;
	}
	return NULL;
}

/* Chains every entry in use into the buckets again. */
static void
cache_rehash(struct recursor *rc)
{
	size_t i;

	for (i = 0; i < rc->capcache; i++)
		rc->bucket[i] = CNONE;
	for (i = 0; i < rc->ncache; i++) {
		struct centry *e = &rc->cache[i];
		uint32_t *head;

		if (!e->used)
			continue;
		head = cache_head(rc, e->hash);
		e->link = *head;
		*head = (uint32_t)i;
	}
}

/* Frees every expired entry (none can be handed out again); returns how
 * many. */
static size_t
cache_sweep(struct recursor *rc)
{
	sim_time_t now = sim_now(rc->host->net->sim);
	size_t i, n = 0;

	for (i = 0; i < rc->ncache; i++) {
		struct centry *e = &rc->cache[i];

		if (!e->used || e->expires > now)
			continue;
		free(e->rr);
		memset(e, 0, sizeof(*e));
		e->link = rc->free_slot;
		rc->free_slot = (uint32_t)i;
		n++;
	}
	if (n > 0)
		cache_rehash(rc);
	return n;
}

/* A new entry for (name, type), which has none: a free slot, after a
 * sweep when there is none, or a slot of a grown array. */
static struct centry *
cache_new(struct recursor *rc, const char *name, uint16_t type)
{
	struct centry *e;
	uint32_t i, *head;

	if (rc->free_slot == CNONE && rc->ncache == rc->capcache &&
	    cache_sweep(rc) * 4 <= rc->capcache) {
		void *a = rc->cache;

		assert(rc->capcache < CNONE / 2);
		mx_grow(
		    &a, &rc->capcache, rc->capcache + 1, sizeof(*rc->cache));
		rc->cache = a;
		free(rc->bucket);
		rc->bucket = mx_xcalloc(rc->capcache, sizeof(*rc->bucket));
		cache_rehash(rc);
	}
	if (rc->free_slot != CNONE) {
		i = rc->free_slot;
		rc->free_slot = rc->cache[i].link;
	} else
		i = (uint32_t)rc->ncache++;
	e = &rc->cache[i];
	memset(e, 0, sizeof(*e));
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->type = type;
	e->used = true;
	e->hash = cache_key(name, type);
	head = cache_head(rc, e->hash);
	e->link = *head;
	*head = i;
	return e;
}

/* Empties entry 'e' for new data under (name, type), its own key (the
 * name's case may differ): the chain fields stay. */
static void
cache_reset(struct centry *e, const char *name, uint16_t type)
{
	uint64_t hash = e->hash;
	uint32_t link = e->link;

	free(e->rr);
	memset(e, 0, sizeof(*e));
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->type = type;
	e->used = true;
	e->hash = hash;
	e->link = link;
}

static struct centry *
cache_find(struct recursor *rc, const char *name, uint16_t type)
{
	struct centry *e = cache_lookup(rc, name, type);

	return e != NULL && e->expires > sim_now(rsim(rc)) ? e : NULL;
}

/* An entry that may answer a question: not one learnt from a referral
 * (RFC 2181 §5.4.1: data from the authority section of a non-
 * authoritative answer and from the additional section "should not be
 * cached in such a way that they would ever be returned as answers"). */
static struct centry *
cache_answer(struct recursor *rc, const char *name, uint16_t type)
{
	struct centry *e = cache_find(rc, name, type);

	return e != NULL && !e->referral ? e : NULL;
}

size_t
recursor_cache_size(const struct recursor *rc)
{
	sim_time_t now = sim_now(rc->host->net->sim);
	size_t i, n = 0;

	for (i = 0; i < rc->ncache; i++)
		if (rc->cache[i].used && rc->cache[i].expires > now)
			n++;
	return n;
}

/* The slot for (name, type): the entry itself (expired or not), or a new
 * one. */
static struct centry *
cache_slot(struct recursor *rc, const char *name, uint16_t type)
{
	struct centry *e = cache_lookup(rc, name, type);

	return e != NULL ? e : cache_new(rc, name, type);
}

static void
cache_put(struct recursor *rc, const char *name, uint16_t type,
    const struct dns_rr *const *rr, size_t n, bool referral)
{
	struct centry *e;
	uint32_t ttl = rc->p.max_ttl;
	size_t i;

	for (i = 0; i < n; i++)
		if (rr[i]->ttl < ttl)
			ttl = rr[i]->ttl;
	e = cache_slot(rc, name, type);
	/* RFC 2181 §5.4.1: referral data does not replace live data from
	 * an authoritative answer. */
	if (referral && e->expires > sim_now(rsim(rc)) && !e->referral &&
	    !e->negative && e->nrr > 0)
		return;
	cache_reset(e, name, type);
	e->expires = sim_now(rsim(rc)) + SIM_S(ttl);
	e->rr = mx_xcalloc(n + 1, sizeof(*e->rr));
	for (i = 0; i < n; i++)
		e->rr[i] = *rr[i];
	e->nrr = n;
	e->referral = referral;
}

/* What is left of an entry's TTL, in whole seconds (what a cache hands
 * out: RFC 1035 §3.2.1, RFC 2181 §8; Unbound and BIND decrement it). */
static uint32_t
cache_ttl_left(const struct recursor *rc, const struct centry *e)
{
	sim_time_t left = e->expires - sim_now(rsim(rc));

	return left > 0 ? (uint32_t)(left / SIM_S(1)) : 0;
}

/* Caches a negative answer; returns the entry (its 'soa' carries the
 * negative TTL), or NULL when there is no SOA to bound it. */
static const struct centry *
cache_negative(struct recursor *rc, const char *name, uint16_t type,
    uint8_t rcode, const struct dns_rr *soa)
{
	struct centry *e;
	uint32_t ttl = rc->p.max_neg_ttl;

	/* RFC 2308 §5: min(SOA TTL, SOA MINIMUM); without a SOA, RFC
	 * 2308 §5 says not to cache. */
	if (soa == NULL)
		return NULL;
	if (soa->ttl < ttl)
		ttl = soa->ttl;
	if (soa->rd.soa.minimum < ttl)
		ttl = soa->rd.soa.minimum;
	e = cache_slot(rc, name, type);
	cache_reset(e, name, type);
	e->expires = sim_now(rsim(rc)) + SIM_S(ttl);
	e->negative = true;
	e->rcode = rcode;
	e->soa = *soa;
	e->soa.ttl = ttl;
	e->has_soa = true;
	return e;
}

/* Caches every RRset of a section whose owner lies in 'zone'; with
 * 'referral', as referral data (the NS set, and only the A and AAAA
 * records when 'addr_only': glue).  Records of one owner and type go in
 * as one set, so that two glue addresses both stay. */
static void
cache_section(struct recursor *rc, const struct dns_rr *sec, size_t n,
    const char *zone, bool referral, bool addr_only)
{
	const struct dns_rr *set[DNS_SECTION_MAX];
	bool done[DNS_SECTION_MAX];
	size_t i, j, k;

	memset(done, 0, sizeof(done));
	for (i = 0; i < n; i++) {
		if (done[i] || sec[i].type == DNS_T_OPT ||
		    sec[i].type == DNS_T_SOA ||
		    !dns_name_under(sec[i].name, zone))
			continue;
		if (addr_only && sec[i].type != DNS_T_A &&
		    sec[i].type != DNS_T_AAAA)
			continue;
		k = 0;
		for (j = i; j < n; j++)
			if (!done[j] && sec[j].type == sec[i].type &&
			    dns_name_eq(sec[j].name, sec[i].name)) {
				set[k++] = &sec[j];
				done[j] = true;
			}
		cache_put(rc, sec[i].name, sec[i].type, set, k, referral);
	}
}

/* --- jobs -------------------------------------------------------------------
 */

static void step(struct rjob *j);
static void ask(struct rjob *j);
static uint32_t resolve(struct recursor *rc, const char *name, uint16_t type,
    int depth, recursor_fn *fn, void *ctx);

static void
job_free(struct recursor *rc, struct rjob *j)
{
	struct rjob **pp;

	for (pp = &rc->jobs; *pp != NULL; pp = &(*pp)->next)
		if (*pp == j) {
			*pp = j->next;
			break;
		}
	sim_cancel(rsim(rc), &j->timer);
	if (j->port != 0)
		udp_unbind(rc->host, j->port);
	if (j->child != 0)
		recursor_cancel(rc, j->child);
	free(j);
}

/* Ends the job: the chain met so far, then 'rr' with their TTLs cut to
 * 'cap' (max_ttl for a fresh answer, what is left for a cached one); a
 * SERVFAIL carries no records. */
static void
finish(struct rjob *j, uint8_t rcode, const struct dns_rr *soa,
    const struct dns_rr *rr, size_t n, uint32_t cap)
{
	struct recursor *rc = j->rc;
	struct recursor_answer a;
	size_t nchain = rcode == DNS_R_SERVFAIL ? 0 : j->nchain;
	struct dns_rr *all = mx_xcalloc(nchain + n + 1, sizeof(*all));
	recursor_fn *fn = j->fn;
	void *ctx = j->ctx;
	struct dns_rr soa_copy;
	size_t i;

	for (i = 0; i < nchain; i++)
		all[i] = j->chain[i];
	for (i = 0; i < n; i++) {
		all[nchain + i] = rr[i];
		if (all[nchain + i].ttl > cap)
			all[nchain + i].ttl = cap;
	}
	memset(&a, 0, sizeof(a));
	a.rcode = rcode;
	a.an = all;
	a.nan = nchain + n;
	if (soa != NULL) {
		soa_copy = *soa;
		a.soa = &soa_copy;
	}
	a.cached = j->from_cache;
	job_free(rc, j);
	fn(ctx, &a);
	free(all);
}

/* Addresses of the servers of zone 'cut' that the cache knows. */
static size_t
known_servers(struct recursor *rc, const struct centry *ns,
    struct net_addr *out, size_t max)
{
	size_t i, k, n = 0;
	bool v4 = net_host_addr_of(rc->host, NET_AF_INET) != NULL;
	bool v6 = net_host_addr_of(rc->host, NET_AF_INET6) != NULL;

	for (i = 0; i < ns->nrr && n < max; i++) {
		const struct centry *a;

		if (v4 && (a = cache_find(rc, ns->rr[i].rd.target, DNS_T_A)))
			for (k = 0; k < a->nrr && n < max; k++) {
				memset(&out[n], 0, sizeof(out[n]));
				out[n].family = NET_AF_INET;
				memcpy(out[n].b, a->rr[k].rd.a, 4);
				n++;
			}
		if (v6 && (a = cache_find(rc, ns->rr[i].rd.target, DNS_T_AAAA)))
			for (k = 0; k < a->nrr && n < max; k++) {
				memset(&out[n], 0, sizeof(out[n]));
				out[n].family = NET_AF_INET6;
				memcpy(out[n].b, a->rr[k].rd.aaaa, 16);
				n++;
			}
	}
	return n;
}

static void
child_done(void *ctx, const struct recursor_answer *a)
{
	struct rjob *j = ctx;

	(void)a;
	j->child = 0;
	step(j);
}

/* The closest zone cut with usable servers: fills j->srv.  Returns 1 when
 * servers were found, 0 when a child resolution was started (wait), -1
 * when nothing at all is known (use the root hints), -2 when the closest
 * delegation known has no server whose address can be found (each name
 * tried, or too deep): asking the parent again would only bring the same
 * referral back. */
static int
find_servers(struct rjob *j)
{
	struct recursor *rc = j->rc;
	const char *p = j->qname;

	for (;;) {
		const struct centry *ns = cache_find(rc, p, DNS_T_NS);

		if (ns != NULL && !ns->negative) {
			size_t n = known_servers(rc, ns, j->srv, MAX_SERVERS),
			       i, k;

			if (n > 0) {
				snprintf(j->cut, sizeof(j->cut), "%s", p);
				j->nsrv = n;
				j->si = 0;
				return 1;
			}
			/* Glueless: resolve a server's name we have not
			 * tried yet, then start again. */
			for (i = 0; i < ns->nrr && j->depth < MAX_DEPTH; i++) {
				const char *t = ns->rr[i].rd.target;
				bool seen = false;

				for (k = 0; k < j->ntried; k++)
					if (dns_name_eq(j->tried[k], t))
						seen = true;
				if (seen || j->ntried == MAX_SERVERS)
					continue;
				snprintf(j->tried[j->ntried++], DNS_NAME_MAX,
				    "%s", t);
				j->child = resolve(rc, t,
				    net_host_addr_of(rc->host, NET_AF_INET)
				        ? DNS_T_A
				        : DNS_T_AAAA,
				    j->depth + 1, child_done, j);
				return 0;
			}
			snprintf(j->cut, sizeof(j->cut), "%s", p);
			return -2;
		}
		if (*p == '\0')
			break;
		p = strchr(p, '.');
		p = p != NULL ? p + 1 : "";
	}
	return -1;
}

static void
step(struct rjob *j)
{
	struct recursor *rc = j->rc;
	const struct centry *e;
	int found;

	for (;;) {
		if (++j->steps > MAX_STEPS) {
			finish(j, DNS_R_SERVFAIL, NULL, NULL, 0, 0);
			return;
		}
		if (((e = cache_find(rc, j->qname, 0)) != NULL &&
		        e->negative) ||
		    ((e = cache_answer(rc, j->qname, j->qtype)) != NULL &&
		        e->negative)) {
			struct dns_rr soa = e->soa;

			soa.ttl = cache_ttl_left(rc, e);
			finish(j, e->rcode, &soa, NULL, 0, 0);
			return;
		}
		if (e != NULL) {
			finish(j, DNS_R_NOERROR, NULL, e->rr, e->nrr,
			    cache_ttl_left(rc, e));
			return;
		}
		if (j->qtype != DNS_T_CNAME &&
		    (e = cache_answer(rc, j->qname, DNS_T_CNAME)) != NULL &&
		    !e->negative && e->nrr > 0) {
			if (j->nchain == MAX_LINKS) {
				finish(j, DNS_R_SERVFAIL, NULL, NULL, 0, 0);
				return;
			}
			j->chain[j->nchain] = e->rr[0];
			if (j->chain[j->nchain].ttl > cache_ttl_left(rc, e))
				j->chain[j->nchain].ttl = cache_ttl_left(rc, e);
			j->nchain++;
			snprintf(j->qname, sizeof(j->qname), "%s",
			    e->rr[0].rd.target);
			continue;
		}
		break;
	}
	found = find_servers(j);
	if (found == 0)
		return; /* a child resolution will call step() again */
	if (found == -2) {
		rtrace(rc, "dns.rec.fail",
		    "no address found for any server of zone '%s' "
		    "(for %s): SERVFAIL",
		    j->cut[0] ? j->cut : ".", j->qname);
		finish(j, DNS_R_SERVFAIL, NULL, NULL, 0, 0);
		return;
	}
	if (found < 0) {
		if (rc->p.nroots == 0) {
			finish(j, DNS_R_SERVFAIL, NULL, NULL, 0, 0);
			return;
		}
		j->cut[0] = '\0';
		memcpy(j->srv, rc->p.roots, rc->p.nroots * sizeof(*j->srv));
		j->nsrv = rc->p.nroots;
		j->si = 0;
	}
	j->from_cache = false;
	ask(j);
}

/* --- asking servers --------------------------------------------------------
 */

static void
on_timeout(struct sim *sim, void *arg)
{
	struct rjob *j = arg;

	(void)sim;
	j->timer.id = 0;
	{
		char sb[DNS_NAME_MAX + NET_ADDR_STRLEN + 16], d[32];

		rtrace(j->rc, "dns.rec.timeout",
		    "no answer from %s for %s within %s: next server",
		    srv_str(j, sb, sizeof(sb)), j->qname,
		    dur_format(j->rc->p.timeout, d, sizeof(d)));
	}
	j->si++;
	ask(j);
}

/* A referral to a zone closer to 'qname' than the one we asked. */
static bool
referral(struct rjob *j, const struct dns_msg *m, const char **zone)
{
	size_t i;

	if (m->aa || m->nan > 0)
		return false;
	for (i = 0; i < m->nns; i++)
		if (m->ns[i].type == DNS_T_NS &&
		    dns_name_under(j->qname, m->ns[i].name) &&
		    dns_name_under(m->ns[i].name, j->cut[0] ? j->cut : "") &&
		    !dns_name_eq(m->ns[i].name, j->cut)) {
			*zone = m->ns[i].name;
			return true;
		}
	return false;
}

static const struct dns_rr *
find_soa(const struct dns_msg *m)
{
	size_t i;

	for (i = 0; i < m->nns; i++)
		if (m->ns[i].type == DNS_T_SOA)
			return &m->ns[i];
	return NULL;
}

/* Follows the CNAMEs of answer 'm' from j->qname (RFC 1034 §3.6.2),
 * adding each link to the job's chain, and writes the name where the chain
 * ends into 'name'.  False when it has more links than MAX_LINKS. */
static bool
chase(struct rjob *j, const struct dns_msg *m, char *name)
{
	size_t i;

	snprintf(name, DNS_NAME_MAX, "%s", j->qname);
	if (j->qtype == DNS_T_CNAME)
		return true;
	for (;;) {
		const struct dns_rr *cn = NULL;
		bool typed = false;

		for (i = 0; i < m->nan; i++) {
			if (!dns_name_eq(m->an[i].name, name))
				continue;
			if (m->an[i].type == j->qtype)
				typed = true;
			else if (m->an[i].type == DNS_T_CNAME)
				cn = &m->an[i];
		}
		if (typed || cn == NULL)
			return true;
		if (j->nchain == MAX_LINKS)
			return false;
		j->chain[j->nchain] = *cn;
		if (j->chain[j->nchain].ttl > j->rc->p.max_ttl)
			j->chain[j->nchain].ttl = j->rc->p.max_ttl;
		j->nchain++;
		snprintf(name, DNS_NAME_MAX, "%s", cn->rd.target);
	}
}

/* An authoritative NXDOMAIN.  After a CNAME chain the RCODE is about the
 * chain's end (RFC 6604 §2.1): the aliases exist, and the negative entry
 * goes to the last name. */
static void
answered_nxdomain(struct rjob *j, const struct dns_msg *m)
{
	struct recursor *rc = j->rc;
	const struct centry *e;
	const struct dns_rr *soa = find_soa(m);
	char name[DNS_NAME_MAX];

	cache_section(rc, m->an, m->nan, j->cut, false, false);
	if (!chase(j, m, name)) {
		finish(j, DNS_R_SERVFAIL, NULL, NULL, 0, 0);
		return;
	}
	e = cache_negative(rc, name, 0, DNS_R_NXDOMAIN, soa);
	finish(j, DNS_R_NXDOMAIN, e != NULL ? &e->soa : soa, NULL, 0, 0);
}

/* An authoritative NOERROR: the records, a NODATA, or a CNAME chain that
 * leaves the zone and is resolved on from its end. */
static void
answered(struct rjob *j, const struct dns_msg *m)
{
	struct recursor *rc = j->rc;
	struct dns_rr rr[DNS_SECTION_MAX];
	const struct dns_rr *soa = find_soa(m);
	const struct centry *e;
	char name[DNS_NAME_MAX];
	size_t i, n = 0;

	cache_section(rc, m->an, m->nan, j->cut, false, false);
	if (!chase(j, m, name)) {
		finish(j, DNS_R_SERVFAIL, NULL, NULL, 0, 0);
		return;
	}
	for (i = 0; i < m->nan; i++)
		if (m->an[i].type == j->qtype &&
		    dns_name_eq(m->an[i].name, name))
			rr[n++] = m->an[i];
	if (n > 0) {
		finish(j, DNS_R_NOERROR, NULL, rr, n, rc->p.max_ttl);
		return;
	}
	if (soa == NULL && !dns_name_eq(name, j->qname)) {
		/* The chain leaves the zone (no SOA: the server did not
		 * find the end empty): resolve its target. */
		snprintf(j->qname, sizeof(j->qname), "%s", name);
		step(j);
		return;
	}
	/* NODATA at the chain's end (RFC 2308 §2.2). */
	e = cache_negative(rc, name, j->qtype, DNS_R_NOERROR, soa);
	finish(j, DNS_R_NOERROR, e != NULL ? &e->soa : soa, NULL, 0, 0);
}

static void
on_answer(void *ctx, struct net_host *h, const struct udp_from *from,
    const uint8_t *data, size_t len)
{
	struct rjob *j = ctx;
	struct recursor *rc = j->rc;
	struct dns_msg *m = &rc->msg;
	const char *zone;
	char zbuf[DNS_NAME_MAX], sb[DNS_NAME_MAX + NET_ADDR_STRLEN + 16];

	(void)h;
	if (from->sport != 53 || !sim_pending(rsim(rc), j->timer) ||
	    j->si >= j->nsrv || !net_addr_eq(&from->src, &j->srv[j->si]))
		return;
	if (!dns_msg_decode(data, len, m) ||
	    !dns_msg_is_reply(m, j->id, j->qname, j->qtype))
		return;
	sim_cancel(rsim(rc), &j->timer);
	if (m->tc) {
		j->si++;
		ask(j);
		return;
	}
	if (m->rcode == DNS_R_NXDOMAIN && m->aa) {
		answered_nxdomain(j, m);
		return;
	}
	if (m->rcode == DNS_R_NOERROR && m->aa) {
		answered(j, m);
		return;
	}
	if (m->rcode == DNS_R_NOERROR && referral(j, m, &zone)) {
		snprintf(zbuf, sizeof(zbuf), "%s", zone);
		rtrace(rc, "dns.rec.referral", "%s refers %s to zone '%s'",
		    srv_str(j, sb, sizeof(sb)), j->qname, zbuf[0] ? zbuf : ".");
		cache_section(rc, m->ns, m->nns, j->cut, true, false);
		/* Glue: addresses of the new zone's servers, only those
		 * within the zone that sent them. */
		cache_section(rc, m->ar, m->nar, j->cut, true, true);
		j->ntried = 0;
		step(j);
		return;
	}
	/* SERVFAIL, REFUSED (a lame server), a useless referral: the next
	 * server of this zone. */
	if (m->rcode == DNS_R_REFUSED || m->rcode == DNS_R_NOERROR) {
		char d[32];

		rtrace(rc, "dns.rec.lame",
		    "%s from %s for %s: lame, skipped for %s; next server",
		    m->rcode == DNS_R_NOERROR ? "a referral that is not closer"
		                              : dns_rcode_name(m->rcode),
		    srv_str(j, sb, sizeof(sb)), j->qname,
		    dur_format(
		        (sim_time_t)rc->p.lame_ttl * SIM_S(1), d, sizeof(d)));
		mark_lame(rc, &j->srv[j->si], j->cut);
	} else
		rtrace(rc, "dns.rec.fail", "%s from %s for %s: next server",
		    dns_rcode_name(m->rcode), srv_str(j, sb, sizeof(sb)),
		    j->qname);
	j->si++;
	ask(j);
}

static void
ask(struct rjob *j)
{
	struct recursor *rc = j->rc;
	struct dns_msg *m = &rc->msg;
	const struct net_addr *src;
	uint8_t wire[512];
	size_t n;

	while (
	    j->si < j->nsrv &&
	    ((src = net_host_addr_of(rc->host, j->srv[j->si].family)) == NULL ||
	        is_lame(rc, &j->srv[j->si], j->cut)))
		j->si++;
	if (j->si >= j->nsrv) {
		rtrace(rc, "dns.rec.fail",
		    "no server of zone '%s' left to ask for %s (lame, "
		    "failing or unreachable): SERVFAIL",
		    j->cut[0] ? j->cut : ".", j->qname);
		finish(j, DNS_R_SERVFAIL, NULL, NULL, 0, 0);
		return;
	}
	/* A fresh random port for every query, as Unbound and BIND do
	 * (RFC 5452 §9.2): a late answer to an earlier one finds its port
	 * closed. */
	if (j->port != 0)
		udp_unbind(rc->host, j->port);
	j->port = udp_bind(rc->host, 0, on_answer, NULL, j);
	j->id = (uint16_t)rng_next(&rc->host->rng);
	dns_msg_clear(m);
	m->id = j->id;
	m->nq = 1;
	snprintf(m->q[0].name, sizeof(m->q[0].name), "%s", j->qname);
	m->q[0].qtype = j->qtype;
	m->q[0].qclass = DNS_CLASS_IN;
	/* EDNS0 with 1232 bytes, as BIND and Unbound send since the DNS
	 * flag day 2020. */
	m->nar = 1;
	memset(&m->ar[0], 0, sizeof(m->ar[0]));
	m->ar[0].type = DNS_T_OPT;
	m->ar[0].rclass = 1232;
	n = dns_msg_encode(m, wire, sizeof(wire));
	if (n == 0) {
		finish(j, DNS_R_SERVFAIL, NULL, NULL, 0, 0);
		return;
	}
	udp_send(rc->host, src, j->port, &j->srv[j->si], 53, wire, n);
	if (trace_on(sim_trace(rsim(rc)))) {
		char sb[DNS_NAME_MAX + NET_ADDR_STRLEN + 16],
		    tb[DNS_TYPE_STRLEN];

		rtrace(rc, "dns.rec.query", "asks %s %s? %s",
		    srv_str(j, sb, sizeof(sb)),
		    dns_type_name(j->qtype, tb, sizeof(tb)), j->qname);
	}
	j->timer = sim_after(rsim(rc), rc->p.timeout, on_timeout, j);
}

/* --- API --------------------------------------------------------------------
 */

struct recursor *
recursor_new(struct net_host *h, const struct recursor_params *p)
{
	struct recursor *rc = mx_xcalloc(1, sizeof(*rc));

	rc->host = h;
	rc->p = *p;
	rc->free_slot = CNONE;
	return rc;
}

void
recursor_free(struct recursor *rc)
{
	size_t i;

	if (rc == NULL)
		return;
	while (rc->jobs != NULL) {
		struct rjob *j = rc->jobs;

		rc->jobs = j->next;
		sim_cancel(rsim(rc), &j->timer);
		if (j->port != 0)
			udp_unbind(rc->host, j->port);
		free(j);
	}
	for (i = 0; i < rc->ncache; i++)
		free(rc->cache[i].rr);
	free(rc->cache);
	free(rc->bucket);
	free(rc->lame);
	free(rc);
}

static void
start_child(struct sim *sim, void *arg)
{
	struct rjob *j = arg;

	(void)sim;
	j->timer.id = 0;
	step(j);
}

static uint32_t
resolve(struct recursor *rc, const char *name, uint16_t type, int depth,
    recursor_fn *fn, void *ctx)
{
	struct rjob *j = mx_xcalloc(1, sizeof(*j));
	uint32_t handle;

	j->rc = rc;
	j->depth = depth;
	j->handle = handle = ++rc->next_handle;
	snprintf(j->qname, sizeof(j->qname), "%s", name);
	j->qtype = type;
	j->fn = fn;
	j->ctx = ctx;
	j->from_cache = true;
	j->next = rc->jobs;
	rc->jobs = j;
	if (depth > 0) {
		/* A child starts from an event of its own: finishing at once
		 * (from the cache) would run its parent's step() inside the
		 * parent's find_servers(), which may free the parent. */
		j->timer = sim_after(rsim(rc), 0, start_child, j);
		return handle;
	}
	step(j);
	return handle;
}

uint32_t
recursor_resolve(struct recursor *rc, const char *name, uint16_t type,
    recursor_fn *fn, void *ctx)
{
	return resolve(rc, name, type, 0, fn, ctx);
}

void
recursor_cancel(struct recursor *rc, uint32_t handle)
{
	struct rjob *j;

	for (j = rc->jobs; j != NULL; j = j->next)
		if (j->handle == handle) {
			j->fn = NULL;
			job_free(rc, j);
			return;
		}
}

/*
 * zone.c - zone data and authoritative lookup.
 *
 * Records live in one array in declaration order; answers list them in
 * that order, so a scenario's zone decides the order a naive client sees
 * (the "answer-order" senders depend on it).
 *
 * The index.  Most zones hold tens of records, but a master file may hold
 * a hundred thousand, and every lookup used to scan them all several
 * times (the name, each ancestor for a zone cut, the names below it for
 * NXDOMAIN, each RRset's first TTL).  So the zone keeps a hash table of
 * the names it knows: each owner, with its records chained in declaration
 * order (a lookup walks the chain and finds exactly what the scan found,
 * in the same order), and each ancestor of an owner, marked as existing
 * (RFC 8020: an empty non-terminal exists).  Names are hashed by
 * zone_name_hash(), which agrees with dns_name_eq(), and a hit is
 * confirmed with dns_name_eq() itself, so "the same name" means exactly
 * what it meant before.  Adding a record updates the table; removing
 * records, or the SOA that zone_finish() puts first, rebuilds it (both are
 * rare: zone changes, once per zone).
 *
 * Lookup follows RFC 1034 §4.3.2 for a zone without delegations:
 *  - records of the asked type at the name: the answer;
 *  - a CNAME at the name (and a type other than CNAME asked): the CNAME,
 *    then the lookup restarts at its target while the target stays in the
 *    zone, at most 8 links (RFC 1034 §3.6.2; RFC 6604 for the RCODE);
 *  - the name exists with other types, or has names below it (an empty
 *    non-terminal, RFC 8020): NODATA, SOA in authority;
 *  - otherwise NXDOMAIN, SOA in authority (RFC 2308 §3).
 * The additional section carries the addresses of MX exchanges and NS
 * targets that the zone holds, as authoritative servers commonly do.
 *
 * Delegations: NS records at a name below the apex cut the zone; a name
 * at or below the cut gets a referral (no AA, the child's NS records in
 * the authority section, their addresses as glue), RFC 1034 §4.3.2.
 */
#include "zone.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../net/addr.h"

void
zone_init(struct zone *z, const char *origin, uint32_t ttl)
{
	memset(z, 0, sizeof(*z));
	snprintf(z->origin, sizeof(z->origin), "%s", origin);
	{
		size_t n = strlen(z->origin);

		if (n > 0 && z->origin[n - 1] == '.')
			z->origin[n - 1] = '\0';
	}
	z->ttl = ttl;
}

/* --- the index of names -------------------------------------------------- */

#define ZNONE UINT32_MAX /* no record; a free slot */

/* A name the zone knows: an owner, or an ancestor of a valid owner. */
struct zname {
	uint64_t hash;  /* zone_name_hash() of the name */
	uint32_t rec;   /* the name is the text at z->rr[rec].name + off; */
	uint32_t off;   /* ZNONE in 'rec' marks a free slot */
	uint32_t first; /* first record it owns, ZNONE when none */
	uint32_t last;  /* last record it owns */
	bool exists;    /* a valid owner lies at or below it */
};

struct zone_index {
	struct zname *slot; /* owned hash table, linear probing */
	size_t cap;         /* slots, a power of 2 (0 before the first) */
	size_t used;        /* slots in use, at most cap / 2 */
	uint32_t *next;     /* owned: per record, the next record of its
	                       owner, ZNONE after the last */
	size_t capnext;     /* entries in 'next' */
};

uint64_t
zone_name_hash(const char *name)
{
	uint64_t h = UINT64_C(14695981039346656037); /* FNV-1a, 64 bits */
	const char *s = name;
	unsigned c;

	/* One step per byte of the labels as name_to_wire() reads them
	 * (an unescaped '.' ends a label, "\DDD" and "\X" are one byte),
	 * letters folded as dns_name_eq() folds them; a label boundary is
	 * 256, unlike any byte.  Names that are not valid compare as text,
	 * ignoring case, and text equal but for case gives the same steps. */
	while ((c = (unsigned char)*s++) != '\0') {
		if (c == '.')
			c = 256;
		else if (c == '\\' && isdigit((unsigned char)s[0]) &&
		         isdigit((unsigned char)s[1]) &&
		         isdigit((unsigned char)s[2])) {
			c = (unsigned)(s[0] - '0') * 100 +
			    (unsigned)(s[1] - '0') * 10 +
			    (unsigned)(s[2] - '0');
			s += 3;
		} else if (c == '\\' && *s != '\0')
			c = (unsigned char)*s++;
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		h ^= c;
		h *= UINT64_C(1099511628211);
	}
	return h;
}

static const char *
zname_text(const struct zone *z, const struct zname *n)
{
	return z->rr[n->rec].name + n->off;
}

/* The slot of 'name', whose zone_name_hash() is 'h', or NULL. */
static const struct zname *
zidx_lookup(const struct zone *z, const char *name, uint64_t h)
{
	const struct zone_index *x = z->idx;
	size_t i;

	if (x == NULL || x->used == 0)
		return NULL;
	for (i = (size_t)h & (x->cap - 1); x->slot[i].rec != ZNONE;
	     i = (i + 1) & (x->cap - 1))
		if (x->slot[i].hash == h &&
		    dns_name_eq(zname_text(z, &x->slot[i]), name))
			return &x->slot[i];
	return NULL;
}

static const struct zname *
zidx_find(const struct zone *z, const char *name)
{
	return zidx_lookup(z, name, zone_name_hash(name));
}

/* Puts 'n' in a free slot; returns it. */
static struct zname *
zidx_put(struct zone_index *x, const struct zname *n)
{
	size_t i;

	for (i = (size_t)n->hash & (x->cap - 1); x->slot[i].rec != ZNONE;
	     i = (i + 1) & (x->cap - 1))
		;
	x->slot[i] = *n;
	x->used++;
	return &x->slot[i];
}

static void
zidx_grow(struct zone_index *x)
{
	struct zname *old = x->slot;
	size_t oldcap = x->cap, i;

	x->cap = oldcap ? oldcap * 2 : 64;
	x->slot = mx_xcalloc(x->cap, sizeof(*x->slot));
	for (i = 0; i < x->cap; i++)
		x->slot[i].rec = ZNONE;
	x->used = 0;
	for (i = 0; i < oldcap; i++)
		if (old[i].rec != ZNONE)
			(void)zidx_put(x, &old[i]);
	free(old);
}

/* The slot of the name at z->rr[rec].name + off, made when missing.  The
 * pointer is good until the next call (the table may grow). */
static struct zname *
zidx_get(struct zone *z, uint32_t rec, uint32_t off)
{
	struct zone_index *x = z->idx;
	const char *name = z->rr[rec].name + off;
	uint64_t h = zone_name_hash(name);
	const struct zname *f = zidx_lookup(z, name, h);
	struct zname n;

	if (f != NULL)
		return &x->slot[f - x->slot];
	if ((x->used + 1) * 2 > x->cap)
		zidx_grow(x);
	memset(&n, 0, sizeof(n));
	n.hash = h;
	n.rec = rec;
	n.off = off;
	n.first = n.last = ZNONE;
	return zidx_put(x, &n);
}

/* Indexes record 'i', the last one so far: chains it to its owner and
 * marks the owner and its ancestors as existing.  Going up stops at a
 * name already marked: its ancestors were marked with it. */
static void
zidx_add(struct zone *z, size_t i)
{
	struct zone_index *x = z->idx;
	const char *name = z->rr[i].name, *p;
	struct zname *n;
	uint32_t r = (uint32_t)i;
	bool marked;

	assert(i < ZNONE);
	if (i >= x->capnext) {
		void *v = x->next;

		mx_grow(&v, &x->capnext, i + 1, sizeof(*x->next));
		x->next = v;
	}
	x->next[i] = ZNONE;
	n = zidx_get(z, r, 0);
	if (n->first == ZNONE)
		n->first = r;
	else
		x->next[n->last] = r;
	n->last = r;
	/* dns_name_under() holds only between valid names. */
	if (!dns_name_valid(name))
		return;
	marked = n->exists;
	n->exists = true;
	for (p = name; !marked && *p != '\0'; p++) {
		if (*p == '\\') {
			if (p[1] != '\0')
				p++;
			continue;
		}
		if (*p != '.')
			continue;
		n = zidx_get(z, r, (uint32_t)(p + 1 - name));
		marked = n->exists;
		n->exists = true;
	}
	if (!marked) {
		n = zidx_get(z, r, (uint32_t)strlen(name)); /* the root */
		n->exists = true;
	}
}

static void
zidx_free(struct zone_index *x)
{
	if (x == NULL)
		return;
	free(x->slot);
	free(x->next);
	free(x);
}

/* Indexes every record again. */
static void
zidx_build(struct zone *z)
{
	size_t i;

	zidx_free(z->idx);
	z->idx = mx_xcalloc(1, sizeof(*z->idx));
	for (i = 0; i < z->nrr; i++)
		zidx_add(z, i);
}

/* The first record that 'name' owns (dns_name_eq()), in declaration
 * order, or ZNONE; zidx_next() gives the following ones. */
static uint32_t
zidx_first(const struct zone *z, const char *name)
{
	const struct zname *n = zidx_find(z, name);

	return n != NULL ? n->first : ZNONE;
}

static uint32_t
zidx_next(const struct zone *z, uint32_t i)
{
	return z->idx->next[i];
}

/* --- records ------------------------------------------------------------- */

void
zone_fini(struct zone *z)
{
	zidx_free(z->idx);
	free(z->rr);
	memset(z, 0, sizeof(*z));
}

int
zone_abs_name(const struct zone *z, const char *name, char *out, size_t len)
{
	size_t n = strlen(name);
	int w;

	if (strcmp(name, "@") == 0)
		w = snprintf(out, len, "%s", z->origin);
	else if (strcmp(name, ".") == 0)
		w = snprintf(out, len, "%s", "");
	else if (n > 0 && name[n - 1] == '.')
		w = snprintf(out, len, "%.*s", (int)(n - 1), name);
	else if (z->origin[0] == '\0')
		w = snprintf(out, len, "%s", name);
	else
		w = snprintf(out, len, "%s.%s", name, z->origin);
	if (w < 0 || (size_t)w >= len || !dns_name_valid(out))
		return MX_EINVAL;
	return 0;
}

void
zone_add_rr(struct zone *z, const struct dns_rr *rr)
{
	void *a = z->rr;
	size_t soa = z->soa != NULL ? (size_t)(z->soa - z->rr) : SIZE_MAX;

	mx_grow(&a, &z->caprr, z->nrr + 1, sizeof(*z->rr));
	z->rr = a;
	z->rr[z->nrr++] = *rr;
	if (z->idx == NULL)
		z->idx = mx_xcalloc(1, sizeof(*z->idx));
	zidx_add(z, z->nrr - 1);
	/* The array may have moved: keep the SOA by index.  The first SOA
	 * is the zone's (zone_finish() refuses a second). */
	if (soa == SIZE_MAX && rr->type == DNS_T_SOA)
		soa = z->nrr - 1;
	z->soa = soa != SIZE_MAX ? &z->rr[soa] : NULL;
}

static bool
parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (*s == '\0' || !isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

static int
rdata_name(const struct zone *z, const char *s, char *out, const char *what,
    struct mx_err *err)
{
	if (zone_abs_name(z, s, out, DNS_NAME_MAX) != 0)
		return mx_err_set(err, MX_EINVAL, "bad %s name '%s'", what, s);
	return 0;
}

int
zone_add_text(struct zone *z, const char *owner, const char *type,
    const char *const *rd, size_t nrd, uint32_t ttl, struct mx_err *err)
{
	struct dns_rr rr;
	uint16_t t;
	size_t need, i;

	memset(&rr, 0, sizeof(rr));
	if (zone_abs_name(z, owner, rr.name, sizeof(rr.name)) != 0)
		return mx_err_set(err, MX_EINVAL, "bad owner name '%s'", owner);
	if (z->origin[0] != '\0' && !dns_name_under(rr.name, z->origin))
		return mx_err_set(err, MX_EINVAL,
		    "owner '%s' is outside the zone '%s'", owner, z->origin);
	if (!dns_type_parse(type, &t) || t == DNS_T_OPT || t == DNS_T_ANY)
		return mx_err_set(err, MX_EINVAL,
		    "unknown record type '%s' (use SOA, NS, A, AAAA, MX, "
		    "CNAME, TXT or PTR)",
		    type);
	rr.type = t;
	rr.rclass = DNS_CLASS_IN;
	rr.ttl = ttl;
	switch (t) {
	case DNS_T_A:
	case DNS_T_AAAA:
	case DNS_T_NS:
	case DNS_T_CNAME:
	case DNS_T_PTR:
		need = 1;
		break;
	case DNS_T_MX:
		need = 2;
		break;
	case DNS_T_SOA:
		need = 7;
		break;
	case DNS_T_TXT:
		need = nrd > 0 ? nrd : 1;
		break;
	default:
		return mx_err_set(err, MX_EINVAL,
		    "record type '%s' is not supported in zones", type);
	}
	if (nrd != need)
		return mx_err_set(err, MX_EINVAL,
		    "%s record needs %zu data field%s, got %zu", type, need,
		    need == 1 ? "" : "s", nrd);
	switch (t) {
	case DNS_T_A:
	case DNS_T_AAAA: {
		struct net_addr a;

		if (!net_addr_parse(rd[0], &a) ||
		    a.family != (t == DNS_T_A ? NET_AF_INET : NET_AF_INET6))
			return mx_err_set(err, MX_EINVAL, "bad %s address '%s'",
			    t == DNS_T_A ? "IPv4" : "IPv6", rd[0]);
		if (t == DNS_T_A)
			memcpy(rr.rd.a, a.b, 4);
		else
			memcpy(rr.rd.aaaa, a.b, 16);
		break;
	}
	case DNS_T_NS:
	case DNS_T_CNAME:
	case DNS_T_PTR:
		if (rdata_name(z, rd[0], rr.rd.target, "target", err) != 0)
			return err ? err->code : MX_EINVAL;
		break;
	case DNS_T_MX: {
		uint32_t pref;

		if (!parse_u32(rd[0], 65535, &pref))
			return mx_err_set(err, MX_EINVAL,
			    "MX preference '%s' is not a number from 0 to "
			    "65535",
			    rd[0]);
		rr.rd.mx.pref = (uint16_t)pref;
		/* RFC 7505: "." is the null MX. */
		if (rdata_name(
		        z, rd[1], rr.rd.mx.exchange, "MX exchange", err) != 0)
			return err ? err->code : MX_EINVAL;
		break;
	}
	case DNS_T_SOA: {
		uint32_t *nums[5] = {&rr.rd.soa.serial, &rr.rd.soa.refresh,
		    &rr.rd.soa.retry, &rr.rd.soa.expire, &rr.rd.soa.minimum};

		if (rdata_name(z, rd[0], rr.rd.soa.mname, "SOA MNAME", err) !=
		        0 ||
		    rdata_name(z, rd[1], rr.rd.soa.rname, "SOA RNAME", err) !=
		        0)
			return err ? err->code : MX_EINVAL;
		for (i = 0; i < 5; i++)
			if (!parse_u32(rd[2 + i], UINT32_MAX, nums[i]))
				return mx_err_set(err, MX_EINVAL,
				    "SOA field %zu '%s' is not a number", i + 3,
				    rd[2 + i]);
		if (!dns_name_eq(rr.name, z->origin))
			return mx_err_set(err, MX_EINVAL,
			    "SOA must be at the zone apex '%s'", z->origin);
		if (z->soa != NULL)
			return mx_err_set(err, MX_EEXIST,
			    "zone '%s' has two SOA records", z->origin);
		break;
	}
	case DNS_T_TXT: {
		size_t off = 0;

		for (i = 0; i < nrd; i++) {
			size_t n = strlen(rd[i]);

			if (n > 255 || off + 1 + n > DNS_TXT_MAX)
				return mx_err_set(
				    err, MX_EINVAL, "TXT string too long");
			rr.rd.raw.data[off++] = (uint8_t)n;
			memcpy(rr.rd.raw.data + off, rd[i], n);
			off += n;
		}
		rr.rd.raw.len = (uint16_t)off;
		break;
	}
	}
	zone_add_rr(z, &rr);
	return 0;
}

int
zone_finish(struct zone *z, struct mx_err *err)
{
	size_t i;
	uint32_t k;

	if (z->soa == NULL) {
		/* A sensible SOA: the first NS as primary, RFC 2142's
		 * hostmaster, and timers in the range RFC 1912 §2.2 suggests;
		 * MINIMUM 300 s bounds negative caching (RFC 2308 §5). */
		struct dns_rr soa;
		const char *ns = NULL;

		memset(&soa, 0, sizeof(soa));
		snprintf(soa.name, sizeof(soa.name), "%s", z->origin);
		soa.type = DNS_T_SOA;
		soa.rclass = DNS_CLASS_IN;
		soa.ttl = z->ttl;
		for (k = zidx_first(z, z->origin); k != ZNONE;
		     k = zidx_next(z, k))
			if (z->rr[k].type == DNS_T_NS) {
				ns = z->rr[k].rd.target;
				break;
			}
		if (ns != NULL)
			snprintf(soa.rd.soa.mname, DNS_NAME_MAX, "%s", ns);
		else if (zone_abs_name(
		             z, "ns", soa.rd.soa.mname, DNS_NAME_MAX) != 0)
			snprintf(
			    soa.rd.soa.mname, DNS_NAME_MAX, "%s", z->origin);
		if (zone_abs_name(
		        z, "hostmaster", soa.rd.soa.rname, DNS_NAME_MAX) != 0)
			snprintf(
			    soa.rd.soa.rname, DNS_NAME_MAX, "%s", z->origin);
		soa.rd.soa.serial = 1;
		soa.rd.soa.refresh = 3600;
		soa.rd.soa.retry = 600;
		soa.rd.soa.expire = 604800;
		soa.rd.soa.minimum = 300;
		/* Put the SOA first, where master files have it. */
		zone_add_rr(z, &soa);
		memmove(&z->rr[1], &z->rr[0], (z->nrr - 1) * sizeof(*z->rr));
		z->rr[0] = soa;
		z->soa = &z->rr[0];
		zidx_build(z);
	}
	/* The first CNAME in declaration order whose owner owns another
	 * record. */
	for (i = 0; i < z->nrr; i++) {
		const struct zname *n;

		if (z->rr[i].type != DNS_T_CNAME)
			continue;
		n = zidx_find(z, z->rr[i].name);
		if (n != NULL && n->first != n->last)
			return mx_err_set(err, MX_EINVAL,
			    "'%s' has a CNAME and other data (RFC 1034 "
			    "§3.6.2 forbids it)",
			    z->rr[i].name);
	}
	return 0;
}

void
zone_bump_serial(struct zone *z)
{
	size_t i;

	for (i = 0; i < z->nrr; i++)
		if (z->rr[i].type == DNS_T_SOA) {
			z->rr[i].rd.soa.serial++;
			return;
		}
}

uint32_t
zone_negative_ttl(const struct zone *z)
{
	if (z->soa == NULL)
		return 0;
	return z->soa->ttl < z->soa->rd.soa.minimum ? z->soa->ttl
	                                            : z->soa->rd.soa.minimum;
}

/* Some record's owner is 'name' or lies below it (dns_name_under()). */
static bool
name_exists(const struct zone *z, const char *name)
{
	const struct zname *n = zidx_find(z, name);

	return n != NULL && n->exists;
}

static void
add_rr(struct dns_rr *sec, size_t *n, const struct dns_rr *rr)
{
	size_t i;

	if (*n == DNS_SECTION_MAX)
		return;
	for (i = 0; i < *n; i++)
		if (memcmp(&sec[i], rr, sizeof(*rr)) == 0)
			return;
	sec[(*n)++] = *rr;
}

/*
 * Adds 'rr', a record of the zone, with its RRset's TTL: RFC 2181 §5.2
 * wants one TTL per RRset, and a zone may disagree (a master file's "@ 300
 * MX 10 mx1" then "MX 20 mx2" under $TTL 1h).  The zone keeps what it was
 * given; answers carry the TTL of the set's first record, as BIND serves
 * such a zone ("TTL set to prior TTL").
 */
static void
add_set_rr(const struct zone *z, struct dns_rr *sec, size_t *n,
    const struct dns_rr *rr)
{
	struct dns_rr c = *rr;
	size_t at = (size_t)(rr - z->rr);
	uint32_t i;

	for (i = zidx_first(z, rr->name); i != ZNONE && i < at;
	     i = zidx_next(z, i))
		if (z->rr[i].type == rr->type) {
			c.ttl = z->rr[i].ttl;
			break;
		}
	add_rr(sec, n, &c);
}

static void
add_addresses(const struct zone *z, const char *name, struct dns_msg *resp)
{
	uint32_t i;

	if (!dns_name_under(name, z->origin))
		return;
	for (i = zidx_first(z, name); i != ZNONE; i = zidx_next(z, i))
		if (z->rr[i].type == DNS_T_A || z->rr[i].type == DNS_T_AAAA)
			add_set_rr(z, resp->ar, &resp->nar, &z->rr[i]);
}

static void
negative(const struct zone *z, struct dns_msg *resp, uint8_t rcode)
{
	struct dns_rr soa;

	resp->rcode = rcode;
	if (z->soa == NULL)
		return;
	/* RFC 2308 §3: the SOA's TTL is the negative-caching TTL. */
	soa = *z->soa;
	soa.ttl = zone_negative_ttl(z);
	add_rr(resp->ns, &resp->nns, &soa);
}

/* The delegation point (a name below the apex owning NS records) that
 * 'name' lies at or under, the highest one first, or NULL. */
static const char *
zone_cut(const struct zone *z, const char *name)
{
	const char *p = name;
	const char *cut = NULL;
	uint32_t i;

	/* Walk the ancestors of 'name' from the name itself upwards; keep
	 * the last (highest) one with NS records below the apex. */
	while (p != NULL && !dns_name_eq(p, z->origin) &&
	       dns_name_under(p, z->origin)) {
		for (i = zidx_first(z, p); i != ZNONE; i = zidx_next(z, i))
			if (z->rr[i].type == DNS_T_NS) {
				cut = z->rr[i].name;
				break;
			}
		p = strchr(p, '.');
		if (p != NULL)
			p++;
	}
	return cut;
}

/* RFC 1034 §4.3.2 step 3b: a referral to the child zone's servers, with
 * their addresses as glue. */
static void
referral(const struct zone *z, const char *cut, struct dns_msg *resp)
{
	uint32_t i;

	if (resp->nan == 0)
		resp->aa = false;
	for (i = zidx_first(z, cut); i != ZNONE; i = zidx_next(z, i))
		if (z->rr[i].type == DNS_T_NS) {
			add_set_rr(z, resp->ns, &resp->nns, &z->rr[i]);
			add_addresses(z, z->rr[i].rd.target, resp);
		}
}

void
zone_answer(const struct zone *z, const char *qname, uint16_t qtype,
    struct dns_msg *resp)
{
	char name[DNS_NAME_MAX];
	int links;
	uint32_t i;

	resp->aa = true;
	resp->rcode = DNS_R_NOERROR;
	snprintf(name, sizeof(name), "%s", qname);
	for (links = 0; links <= 8; links++) {
		const struct dns_rr *cname = NULL;
		const char *cut = zone_cut(z, name);
		size_t found = 0;

		if (cut != NULL) {
			referral(z, cut, resp);
			return;
		}

		for (i = zidx_first(z, name); i != ZNONE; i = zidx_next(z, i)) {
			const struct dns_rr *rr = &z->rr[i];

			if (rr->type == DNS_T_CNAME && qtype != DNS_T_CNAME &&
			    qtype != DNS_T_ANY)
				cname = rr;
			else if (rr->type == qtype || qtype == DNS_T_ANY) {
				add_set_rr(z, resp->an, &resp->nan, rr);
				found++;
				if (rr->type == DNS_T_MX)
					add_addresses(
					    z, rr->rd.mx.exchange, resp);
				else if (rr->type == DNS_T_NS)
					add_addresses(z, rr->rd.target, resp);
			}
		}
		if (cname != NULL) {
			add_rr(resp->an, &resp->nan, cname);
			if (!dns_name_under(cname->rd.target, z->origin))
				return; /* the client follows it elsewhere */
			snprintf(name, sizeof(name), "%s", cname->rd.target);
			continue;
		}
		if (found == 0)
			negative(z, resp,
			    name_exists(z, name) ? DNS_R_NOERROR
			                         : DNS_R_NXDOMAIN);
		return;
	}
	/* A CNAME loop inside the zone: answer what we have. */
}

/* Equal RDATA for records of 'type': names compared without regard to
 * case (RFC 4343 §3), only the bytes that carry data compared (the union
 * may hold anything after a name's NUL). */
static bool
rdata_eq(uint16_t type, const struct dns_rr *a, const struct dns_rr *b)
{
	switch (type) {
	case DNS_T_A:
		return memcmp(a->rd.a, b->rd.a, 4) == 0;
	case DNS_T_AAAA:
		return memcmp(a->rd.aaaa, b->rd.aaaa, 16) == 0;
	case DNS_T_NS:
	case DNS_T_CNAME:
	case DNS_T_PTR:
		return dns_name_eq(a->rd.target, b->rd.target);
	case DNS_T_MX:
		return a->rd.mx.pref == b->rd.mx.pref &&
		       dns_name_eq(a->rd.mx.exchange, b->rd.mx.exchange);
	case DNS_T_SOA:
		return dns_name_eq(a->rd.soa.mname, b->rd.soa.mname) &&
		       dns_name_eq(a->rd.soa.rname, b->rd.soa.rname) &&
		       a->rd.soa.serial == b->rd.soa.serial &&
		       a->rd.soa.refresh == b->rd.soa.refresh &&
		       a->rd.soa.retry == b->rd.soa.retry &&
		       a->rd.soa.expire == b->rd.soa.expire &&
		       a->rd.soa.minimum == b->rd.soa.minimum;
	default:
		return a->rd.raw.len == b->rd.raw.len &&
		       a->rd.raw.len <= DNS_TXT_MAX &&
		       memcmp(a->rd.raw.data, b->rd.raw.data, a->rd.raw.len) ==
		           0;
	}
}

size_t
zone_remove(
    struct zone *z, const char *owner, uint16_t type, const struct dns_rr *rr)
{
	size_t i, o = 0, gone = 0;
	uint32_t k;

	/* The owner's records, in declaration order, are the candidates. */
	for (k = zidx_first(z, owner); k != ZNONE; k = zidx_next(z, k))
		if (z->rr[k].type == type &&
		    (rr == NULL || rdata_eq(type, &z->rr[k], rr)))
			gone++;
	if (gone > 0) {
		k = zidx_first(z, owner);
		for (i = 0; i < z->nrr; i++) {
			const struct dns_rr *r = &z->rr[i];
			bool match = false;

			if (i == k) {
				match = r->type == type &&
				        (rr == NULL || rdata_eq(type, r, rr));
				k = zidx_next(z, k);
			}
			if (!match)
				z->rr[o++] = z->rr[i];
		}
		z->nrr = o;
		zidx_build(z);
	}
	z->soa = NULL;
	for (i = 0; i < z->nrr; i++)
		if (z->rr[i].type == DNS_T_SOA) {
			z->soa = &z->rr[i];
			break;
		}
	return gone;
}

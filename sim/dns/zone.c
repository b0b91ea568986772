/*
 * zone.c - zone data and authoritative lookup.
 *
 * Records live in one array in declaration order; answers list them in
 * that order, so a scenario's zone decides the order a naive client sees
 * (the "answer-order" senders depend on it).  Zones are small (tens of
 * records), so lookups scan linearly.
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
 */
#include "zone.h"

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

void
zone_fini(struct zone *z)
{
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
	size_t i;

	mx_grow(&a, &z->caprr, z->nrr + 1, sizeof(*z->rr));
	z->rr = a;
	z->rr[z->nrr++] = *rr;
	/* The array may have moved: find the SOA again. */
	z->soa = NULL;
	for (i = 0; i < z->nrr; i++)
		if (z->rr[i].type == DNS_T_SOA) {
			z->soa = &z->rr[i];
			break;
		}
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
	size_t i, j;

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
		for (i = 0; i < z->nrr; i++)
			if (z->rr[i].type == DNS_T_NS &&
			    dns_name_eq(z->rr[i].name, z->origin)) {
				ns = z->rr[i].rd.target;
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
	}
	for (i = 0; i < z->nrr; i++) {
		if (z->rr[i].type != DNS_T_CNAME)
			continue;
		for (j = 0; j < z->nrr; j++)
			if (j != i && dns_name_eq(z->rr[j].name, z->rr[i].name))
				return mx_err_set(err, MX_EINVAL,
				    "'%s' has a CNAME and other data (RFC 1034 "
				    "§3.6.2 forbids it)",
				    z->rr[i].name);
	}
	return 0;
}

uint32_t
zone_negative_ttl(const struct zone *z)
{
	if (z->soa == NULL)
		return 0;
	return z->soa->ttl < z->soa->rd.soa.minimum ? z->soa->ttl
	                                            : z->soa->rd.soa.minimum;
}

static bool
name_exists(const struct zone *z, const char *name)
{
	size_t i;

	for (i = 0; i < z->nrr; i++)
		if (dns_name_under(z->rr[i].name, name))
			return true;
	return false;
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

static void
add_addresses(const struct zone *z, const char *name, struct dns_msg *resp)
{
	size_t i;

	if (!dns_name_under(name, z->origin))
		return;
	for (i = 0; i < z->nrr; i++)
		if ((z->rr[i].type == DNS_T_A || z->rr[i].type == DNS_T_AAAA) &&
		    dns_name_eq(z->rr[i].name, name))
			add_rr(resp->ar, &resp->nar, &z->rr[i]);
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

void
zone_answer(const struct zone *z, const char *qname, uint16_t qtype,
    struct dns_msg *resp)
{
	char name[DNS_NAME_MAX];
	int links;
	size_t i;

	resp->aa = true;
	resp->rcode = DNS_R_NOERROR;
	snprintf(name, sizeof(name), "%s", qname);
	for (links = 0; links <= 8; links++) {
		const struct dns_rr *cname = NULL;
		size_t found = 0;

		for (i = 0; i < z->nrr; i++) {
			const struct dns_rr *rr = &z->rr[i];

			if (!dns_name_eq(rr->name, name))
				continue;
			if (rr->type == DNS_T_CNAME && qtype != DNS_T_CNAME &&
			    qtype != DNS_T_ANY)
				cname = rr;
			else if (rr->type == qtype || qtype == DNS_T_ANY) {
				add_rr(resp->an, &resp->nan, rr);
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

size_t
zone_remove(
    struct zone *z, const char *owner, uint16_t type, const struct dns_rr *rr)
{
	size_t i, o = 0, gone = 0;

	for (i = 0; i < z->nrr; i++) {
		const struct dns_rr *r = &z->rr[i];
		bool match = r->type == type && dns_name_eq(r->name, owner);

		if (match && rr != NULL)
			match = memcmp(&r->rd, &rr->rd, sizeof(r->rd)) == 0;
		if (match) {
			gone++;
			continue;
		}
		z->rr[o++] = z->rr[i];
	}
	z->nrr = o;
	z->soa = NULL;
	for (i = 0; i < z->nrr; i++)
		if (z->rr[i].type == DNS_T_SOA) {
			z->soa = &z->rr[i];
			break;
		}
	return gone;
}

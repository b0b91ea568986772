/*
 * zone.h - authoritative zone data and the lookup of RFC 1034 §4.3.2.
 *
 * A zone is an origin and a list of records with absolute owner names.
 * Lookups answer with the records of the asked type, follow CNAMEs inside
 * the zone (RFC 1034 §3.6.2), and tell NODATA from NXDOMAIN (a name that
 * owns records of other types, or that has names below it, exists), each
 * negative answer with the zone's SOA in the authority section (RFC 2308
 * §3).  A zone declared without SOA gets one (see zone_finish()).
 *
 * The records change only through the functions below, which keep an
 * index of their owner names (zone.c): a program reads z->rr but never
 * writes it.
 */
#ifndef MX_ZONE_H
#define MX_ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/err.h"
#include "dnsmsg.h"

struct zone {
	char origin[DNS_NAME_MAX]; /* zone apex, no final dot */
	uint32_t ttl;              /* default TTL for new records */
	struct dns_rr *rr;         /* owned records, in declaration order */
	size_t nrr;                /* records in use */
	size_t caprr;              /* capacity of 'rr' */
	const struct dns_rr *soa;  /* borrowed; the apex SOA in 'rr' */
	struct zone_index *idx;    /* owned index of the owner names */
};

void zone_init(struct zone *z, const char *origin, uint32_t ttl);
void zone_fini(struct zone *z);

/* Makes 'name' absolute: "@" is the origin, a name ending in '.' is taken
 * as it is (without the dot), anything else is relative to the origin. */
int zone_abs_name(
    const struct zone *z, const char *name, char *out, size_t len);

/* Adds one record from text fields as a scenario row gives them: owner,
 * type and the RDATA fields ("10", "mx1" for MX).  Names in RDATA are made
 * absolute like owners.  On error, 'err' says what was wrong (without a
 * file:line prefix; the caller adds it). */
int zone_add_text(struct zone *z, const char *owner, const char *type,
    const char *const *rdata, size_t nrdata, uint32_t ttl,
    struct mx_err *err) MX_NODISCARD;

/* Adds a record already in binary form (owner absolute). */
void zone_add_rr(struct zone *z, const struct dns_rr *rr);

/* Supplies a SOA if the zone has none and checks the zone: exactly one SOA
 * at the apex, CNAME owners without other data (RFC 1034 §3.6.2). */
int zone_finish(struct zone *z, struct mx_err *err) MX_NODISCARD;

/* Answers 'qname'/'qtype' into 'resp' (whose question and header the
 * caller set): fills the answer, authority and additional sections, sets
 * AA and the RCODE; each RRset with the TTL of its first record (RFC 2181
 * §5.2).  'qname' must lie in the zone. */
void zone_answer(const struct zone *z, const char *qname, uint16_t qtype,
    struct dns_msg *resp);

/* Removes the records of 'owner' (absolute) and 'type' whose RDATA equals
 * 'rr' (all of them when 'rr' is NULL); returns how many went. */
size_t zone_remove(
    struct zone *z, const char *owner, uint16_t type, const struct dns_rr *rr);

/* Adds one to the SOA serial (RFC 1982 arithmetic: it wraps), as a
 * primary server does when it publishes a change. */
void zone_bump_serial(struct zone *z);

/* The negative-caching TTL: min(SOA TTL, SOA MINIMUM) (RFC 2308 §5). */
uint32_t zone_negative_ttl(const struct zone *z);

/* A hash of a presentation name, equal for names that dns_name_eq()
 * finds equal (the same labels regardless of case and escapes), for the
 * tables of the DNS modules. */
uint64_t zone_name_hash(const char *name);

#endif

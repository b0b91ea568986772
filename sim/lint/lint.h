/*
 * lint.h - checks of an MX configuration, as an administrator wants them
 * before publishing it ("mxsim lint", docs/lint.md).
 *
 * Input: one or more zones (from an RFC 1035 master file, or the zones a
 * scenario declares), each record with the line it came from, and for a
 * scenario its hosts (which MX host has an smtp role, which mailboxes it
 * knows).  Output: findings, each with a severity, a stable id, the name
 * it is about, a one-line reason and the source of the rule (an RFC
 * section or an MTA parameter from reference/mta-behavior.md).
 *
 * Nothing here knows Lua: the command line loads a scenario through the
 * script layer and hands the resulting 'struct world' to lint_world().
 */
#ifndef MX_LINT_H
#define MX_LINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../core/err.h"
#include "../dns/dnsmsg.h"
#include "../dns/zone.h"
#include "../net/addr.h"
#include "../world/world.h"

#define LINT_SEV_MAP(XX)                                                       \
	XX(INFO, "info")       /* worth knowing; not a problem by itself */    \
	XX(WARNING, "warning") /* works, but fails some senders or cases */    \
	XX(ERROR, "error")     /* against a MUST, or mail is lost/looped */

enum lint_sev {
#define XX(id, s) LINT_##id,
	LINT_SEV_MAP(XX)
#undef XX
	    LINT_NSEVS
};

/* Every check once: enum name, stable id, severity, source.  The ids are
 * a contract (scripts match them): add new ones, never rename. */
#define LINT_CHECK_MAP(XX)                                                     \
	XX(MX_CNAME, "mx-cname", ERROR, "RFC 2181 §10.3, RFC 5321 §5.1")       \
	XX(MX_IP_LITERAL, "mx-ip-literal", ERROR,                              \
	    "RFC 5321 §5.1; Exim allow_mx_to_ip = false")                      \
	XX(MX_LOCALHOST, "mx-localhost", ERROR,                                \
	    "RFC 6761 §6.3; OpenSMTPD dns.c dns_dispatch_mx()")                \
	XX(MX_NO_ADDRESS, "mx-no-address", ERROR, "RFC 5321 §5.1")             \
	XX(MX_EXTERNAL, "mx-external", INFO, "RFC 5321 §5.1")                  \
	XX(NULL_MX_MIXED, "null-mx-mixed", ERROR, "RFC 7505 §3")               \
	XX(NULL_MX_PREF, "null-mx-pref", WARNING, "RFC 7505 §3")               \
	XX(NO_MX, "no-mx", INFO, "RFC 5321 §5.1")                              \
	XX(SINGLE_MX, "single-mx", INFO, "RFC 5321 §4.5.4.1")                  \
	XX(EQUAL_PREF, "equal-pref", INFO, "RFC 5321 §5.1")                    \
	XX(ADDRESS_LIMIT, "address-limit", WARNING,                            \
	    "Postfix smtp_mx_address_limit = 5")                               \
	XX(TTL_LONG, "ttl-long", WARNING, "RFC 1035 §3.2.1")                   \
	XX(SHARED_ADDRESS, "shared-address", WARNING,                          \
	    "RFC 5321 §5.1; RFC 2182 §3.1")                                    \
	XX(SHARED_NETWORK, "shared-network", WARNING, "RFC 2182 §3.1")         \
	XX(MX_NO_SERVER, "mx-no-server", ERROR, "RFC 5321 §5.1")               \
	XX(BACKUP_ACCEPTS_ALL, "backup-accepts-all", WARNING,                  \
	    "Postfix STANDARD_CONFIGURATION_README, backup MX: "               \
	    "relay_recipient_maps")                                            \
	XX(BACKUP_REJECTS, "backup-rejects-users", WARNING,                    \
	    "RFC 5321 §4.2.1 (5yz is permanent)")                              \
	XX(BACKUP_NO_RELAY, "backup-no-relay", INFO,                           \
	    "RFC 5321 §5.1; Postfix STANDARD_CONFIGURATION_README, backup MX")

enum lint_check {
#define XX(id, s, sev, src) LINT_C_##id,
	LINT_CHECK_MAP(XX)
#undef XX
	    LINT_NCHECKS
};

/* The limits the checks use, with their sources. */
#define LINT_TTL_MAX       86400u /* a day: longer delays a planned change */
#define LINT_POSTFIX_ADDRS 5      /* Postfix smtp_mx_address_limit */

struct lint_finding {
	enum lint_check check;    /* what was found (id, severity, source) */
	const char *file;         /* borrowed: the file it is in */
	int line;                 /* its line, from 1 */
	char owner[DNS_NAME_MAX]; /* the name it is about */
	char reason[400];         /* one line */
	size_t zone;              /* index of the zone, for sorting */
	size_t seq;               /* emission order, for a stable sort */
};

struct lint_report {
	struct lint_finding *v;   /* owned findings */
	size_t n, cap;            /* count and capacity */
	size_t count[LINT_NSEVS]; /* findings per severity */
	size_t nzones, ndomains;  /* what was checked */
	char **origins;           /* owned origins of the zones checked */
	enum lint_sev worst;      /* highest severity found (n > 0) */
};

/* A zone to check and where its records come from. */
struct lint_zone {
	const char *file;     /* borrowed: the file findings name */
	int line;             /* line of records without their own */
	const struct zone *z; /* borrowed records */
	const int *lines;     /* borrowed: line of z->rr[i] (0 = 'line'), or
	                         NULL */
};

void lint_report_init(struct lint_report *r);
void lint_report_free(struct lint_report *r);

/* Checks every mail domain (owner of MX records) of the zones; a name in
 * any of them counts as known, a name in none as outside.  'w' (a
 * scenario, or NULL) adds the checks that need hosts.  The findings end
 * up sorted by zone, then line, then in the order the checks ran. */
void lint_run(const struct lint_zone *zones, size_t nzones,
    const struct world *w, struct lint_report *r);

/* lint_run() on the zones of a scenario that world_check() accepted;
 * findings name the scenario file and each zone's declaration line. */
int lint_world(const struct world *w, struct lint_report *r,
    struct mx_err *err) MX_NODISCARD;

/* Loads the master file 'path' (named 'shown' in messages) into 'z' and
 * the line of each record into '*lines' (owned by the caller, parallel to
 * z->rr; 0 for the SOA zone_finish() may supply).  The origin is
 * 'origin' when given, else the owner of the file's SOA, else its first
 * $ORIGIN, else 'fallback' (may be NULL: then it is an error). */
int lint_zonefile_load(const char *path, const char *shown, const char *origin,
    const char *fallback, struct zone *z, int **lines,
    struct mx_err *err) MX_NODISCARD;

/* What the zones say about one name's addresses, as a sender would find
 * them: CNAMEs followed (in and across the zones), delegations and names
 * outside every zone left unknown. */
#define LINT_LOOKUP_MAP(XX)                                                    \
	XX(ADDR, "addresses")        /* A and/or AAAA found */                 \
	XX(NODATA, "no address")     /* the name exists without A/AAAA */      \
	XX(NXDOMAIN, "no such name") /* the name does not exist */             \
	XX(EXTERNAL, "outside")      /* in no zone given */                    \
	XX(DELEGATED, "delegated")   /* below a zone cut */                    \
	XX(LOOP, "CNAME loop")       /* the alias chain does not end */

enum lint_lookup_st {
#define XX(id, s) LINT_L_##id,
	LINT_LOOKUP_MAP(XX)
#undef XX
};

#define LINT_ADDRS_MAX 16

struct lint_lookup {
	enum lint_lookup_st st;            /* outcome */
	int hops;                          /* CNAMEs followed */
	char final[DNS_NAME_MAX];          /* name reached after them */
	struct net_addr a[LINT_ADDRS_MAX]; /* IPv4 first, then IPv6, each
	                                      in zone order */
	size_t na;                         /* how many */
	size_t nv4;                        /* of which IPv4 */
};

/* 'scratch' is a message the lookup may overwrite (they are large). */
void lint_lookup(const struct lint_zone *zones, size_t nzones, const char *name,
    struct dns_msg *scratch, struct lint_lookup *out);

/* True when an MX exchange is written as an address: "192.0.2.10" (four
 * labels) or an IPv6 address in one label ("2001\058db8\058\05810", the
 * codec's escapes undone); the address goes to 'out' (may be NULL). */
bool lint_name_literal(const char *name, struct net_addr *out);

/* "FILE:LINE: severity: id: owner: reason [source]" lines and a summary
 * line naming 'file'. */
void lint_print_text(FILE *out, const struct lint_report *r, const char *file);
/* One JSON document with the same content (docs/lint.md). */
void lint_print_json(FILE *out, const struct lint_report *r, const char *file);

#endif

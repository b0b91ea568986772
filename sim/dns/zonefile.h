/*
 * zonefile.h - zones from RFC 1035 §5 master files.
 *
 * The text is read by ldns (directives $ORIGIN and $TTL, '@', relative
 * names, parentheses, comments, escapes, RFC 3597 "\#" data); each record
 * becomes a 'struct dns_rr' added with zone_add_rr().  Zones hold the
 * types SOA, NS, A, AAAA, MX (the null MX "0 ." included), CNAME, TXT and
 * PTR, class IN, owners at or below the origin.  Messages start
 * "<shown_name>:<line>: ", the line being the first line of the record at
 * fault.
 */
#ifndef MX_ZONEFILE_H
#define MX_ZONEFILE_H

#include <stdint.h>
#include <stdio.h>

#include "../core/err.h"
#include "zone.h"

/* Loads the master file 'path' into 'z', which zone_init() prepared with
 * its origin (the initial $ORIGIN); then calls zone_finish().  Records
 * without a TTL take the $TTL in force, else 'default_ttl'.  'shown_name'
 * names the file in messages (the path relative to the scenario, say).
 * On error 'z' may hold the records added before the one at fault. */
int zone_load_file(struct zone *z, const char *path, const char *shown_name,
    uint32_t default_ttl, struct mx_err *err) MX_NODISCARD;

/* The same from an open stream, read to its end (at most 16 MiB) and not
 * closed. */
int zone_load_fp(struct zone *z, FILE *fp, const char *shown_name,
    uint32_t default_ttl, struct mx_err *err) MX_NODISCARD;

#endif

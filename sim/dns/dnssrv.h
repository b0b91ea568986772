/*
 * dnssrv.h - the DNS server of a host (port 53, UDP and TCP): the
 * authoritative role, and the front end of the recursive resolver role.
 */
#ifndef MX_DNSSRV_H
#define MX_DNSSRV_H

#include <stddef.h>

#include "../net/net.h"
#include "zone.h"

struct dnssrv;

struct recursor;

/* Starts serving 'zones' (borrowed; they may change during the run) on
 * 'h', over UDP and TCP port 53; with 'rec' (borrowed), questions for
 * other zones are resolved recursively and answered with RA set.
 * Returns NULL when port 53 is already bound. */
struct dnssrv *dnssrv_new(struct net_host *h, struct zone *const *zones,
    size_t nzones, struct recursor *rec);
void dnssrv_free(struct dnssrv *s);

/* Queries answered so far, for reports. */
size_t dnssrv_queries(const struct dnssrv *s);

#endif

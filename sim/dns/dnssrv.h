/*
 * dnssrv.h - the authoritative DNS server role of a host (UDP port 53).
 */
#ifndef MX_DNSSRV_H
#define MX_DNSSRV_H

#include <stddef.h>

#include "../net/net.h"
#include "zone.h"

struct dnssrv;

/* Starts serving 'zones' (borrowed; they may change during the run) on
 * 'h'.  Returns NULL when port 53 is already bound. */
struct dnssrv *dnssrv_new(
    struct net_host *h, struct zone *const *zones, size_t nzones);
void dnssrv_free(struct dnssrv *s);

/* Queries answered so far, for reports. */
size_t dnssrv_queries(const struct dnssrv *s);

#endif

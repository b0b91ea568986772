/*
 * explain.h - how a sender with a given profile would deliver mail for a
 * domain, step by step, read from a zone ("mxsim explain", docs/lint.md):
 * the MX lookup, the order of the hosts, their addresses, the address
 * limit, the order of connection attempts, and what each single failure
 * of an MX host makes the sender do.
 *
 * Everything is derived from the profile's knobs (profile.h) and the
 * mechanisms of the simulated MTA (mta.c, mx.c), never from the profile's
 * name, so a new profile is explained as it will behave in a run.
 */
#ifndef MX_EXPLAIN_H
#define MX_EXPLAIN_H

#include <stdio.h>

#include "../core/err.h"
#include "../dns/zone.h"
#include "../mta/profile.h"

struct explain_in {
	const struct zone *z;           /* borrowed zone holding the domain */
	const char *zone_file;          /* borrowed: the zone's file, shown */
	const char *domain;             /* borrowed mail domain */
	const struct mta_profile *prof; /* borrowed sender behaviour */
	const char *changes;            /* borrowed: the knobs changed from
	                                   the profile ("max_addresses=2"),
	                                   or NULL */
};

/* Writes the explanation to 'out'.  Fails (MX_EINVAL) when the domain is
 * not in the zone or lies below one of its zone cuts. */
int explain_write(
    FILE *out, const struct explain_in *in, struct mx_err *err) MX_NODISCARD;

#endif

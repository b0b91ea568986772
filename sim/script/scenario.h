/*
 * scenario.h - loading a scenario file (Lua) into a world description, and
 * the MTA profiles shipped in lua/profiles/.
 */
#ifndef MX_SCENARIO_H
#define MX_SCENARIO_H

#include <stddef.h>

#include "../core/err.h"
#include "../mta/profile.h"
#include "../world/world.h"
#include "sandbox.h"

/* Runs 'path' in a sandbox and fills 'w' (initialised by the caller with
 * world_init()), then validates it with world_check().  Errors name the
 * file and line.  On error 'w' may hold part of the scenario: free it. */
int mxl_scenario_load(const char *path, const struct mxl_limits *lim,
    struct world *w, struct mx_err *err) MX_NODISCARD;

/* Same, from a buffer ('name' is used in messages). */
int mxl_scenario_load_buffer(const char *name, const char *buf, size_t len,
    const struct mxl_limits *lim, struct world *w,
    struct mx_err *err) MX_NODISCARD;

/* Compare mode: the profile that replaces the one the scenario gives its
 * senders.  The scenario's knob overrides still apply on top of it, so a
 * sender written { profile = "rfc5321", retry = { "5m" } } run as postfix
 * is postfix with a 5 min retry. */
struct mxl_override {
	const char *profile; /* borrowed profile name */
	const char *host;    /* borrowed: only this host's sender role;
	                        NULL = every sender (relays included) */
};

/* mxl_scenario_load() with 'ov' (may be NULL) applied.  The profile a
 * sender declares is still loaded and checked. */
int mxl_scenario_load_as(const char *path, const struct mxl_limits *lim,
    const struct mxl_override *ov, struct world *w,
    struct mx_err *err) MX_NODISCARD;

/* Loads the embedded profile 'name' into 'p' (starting from the RFC 5321
 * defaults); 'desc' (may be NULL) receives its description. */
int mxl_profile_load(const char *name, struct mta_profile *p, char *desc,
    size_t desclen, struct mx_err *err) MX_NODISCARD;

/* Names of the embedded profiles, sorted; returns how many (at most max). */
size_t mxl_profile_names(const char **out, size_t max);

#endif

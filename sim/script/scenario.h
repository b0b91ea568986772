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

/* Loads the embedded profile 'name' into 'p' (starting from the RFC 5321
 * defaults); 'desc' (may be NULL) receives its description. */
int mxl_profile_load(const char *name, struct mta_profile *p, char *desc,
    size_t desclen, struct mx_err *err) MX_NODISCARD;

/* Names of the embedded profiles, sorted; returns how many (at most max). */
size_t mxl_profile_names(const char **out, size_t max);

#endif

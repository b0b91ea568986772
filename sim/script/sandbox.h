/*
 * sandbox.h - a Lua state fit for untrusted scenario files.
 *
 * The state has a byte-capped allocator, an instruction budget enforced by
 * a count hook that pcall cannot swallow, and runs chunks in text mode only
 * ("t": no precompiled bytecode), under an environment that holds only
 * allow-listed globals.  Errors carry "file:line:" of the scenario.
 */
#ifndef MX_SANDBOX_H
#define MX_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lua.h>

#include "../core/err.h"

struct mxl_limits {
	size_t mem_bytes;      /* allocator cap (default 64 MiB) */
	uint64_t instructions; /* VM instruction budget (default 10^8) */
};

void mxl_limits_default(struct mxl_limits *l);

struct mxl_sandbox {
	lua_State *L;       /* owned state */
	size_t used;        /* bytes allocated now */
	size_t cap;         /* allocator cap */
	uint64_t budget;    /* instructions left (in hook steps) */
	bool out_of_budget; /* the budget tripped */
	bool out_of_memory; /* the cap tripped */
	char where[300];    /* "file:line" last seen by the hook, or "" */
	int strlib;         /* registry ref: the restricted string table */
};

int mxl_sandbox_open(struct mxl_sandbox *sb, const struct mxl_limits *l,
    struct mx_err *err) MX_NODISCARD;
void mxl_sandbox_close(struct mxl_sandbox *sb);

/* Pushes a new environment table holding the allow-listed globals. */
void mxl_sandbox_push_env(struct mxl_sandbox *sb);

/* Loads 'len' bytes of text as a chunk named '@name' and sets its _ENV to
 * the table at 'env_idx'; pushes the function.  On error fills 'err'. */
int mxl_sandbox_load(struct mxl_sandbox *sb, const char *buf, size_t len,
    const char *name, int env_idx, struct mx_err *err) MX_NODISCARD;

/* Calls the function below 'nargs' arguments on the stack, expecting
 * 'nres' results; on error fills 'err' with the message (and says when the
 * instruction budget or memory cap was the cause). */
int mxl_sandbox_call(struct mxl_sandbox *sb, int nargs, int nres,
    struct mx_err *err) MX_NODISCARD;

#endif

/*
 * sandbox.h - a Lua state fit for untrusted scenario files.
 *
 * The state has a byte-capped allocator, an instruction budget enforced by
 * a count hook that pcall cannot swallow, and runs chunks in text mode only
 * ("t": no precompiled bytecode), under an environment that holds only
 * allow-listed globals.  math.random draws from the scenario's seed.
 * include() reads further files from the scenario's folder and nowhere
 * else.  Errors carry "file:line:" of the scenario.
 *
 * Chunk names: a file is loaded as "@path"; the loader's own chunks are
 * named in brackets ("[prelude]") and are never blamed for an error.
 */
#ifndef MX_SANDBOX_H
#define MX_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lua.h>

#include "../core/err.h"
#include "../core/rng.h"

/* A param the scenario declared (param "name" { default = ... }), with
 * the value the load gave it.  Values are written as in Lua: 10, 0.5,
 * true, "5m". */
struct mxl_param {
	char *name;        /* owned */
	const char *type;  /* static: integer, number, duration, ... */
	char *value;       /* owned: the value in use */
	char *def;         /* owned: the declared default */
	char *description; /* owned, or NULL */
	char *file;        /* owned: where it is declared */
	int line;          /* its line */
	bool overridden;   /* a -D gave the value */
};

/* What the command line gives a scenario, and what it declared back. */
struct mxl_params {
	const char *const *defines; /* borrowed "name=value" texts of -D */
	size_t ndefines;            /* how many */
	struct mxl_param *list;     /* owned: declared params, in order */
	size_t n;                   /* how many */
};

/* Frees 'list' (the defines are the caller's). */
void mxl_params_free(struct mxl_params *p);

/* What a scenario may use, and what the command line hands it. */
struct mxl_limits {
	size_t mem_bytes;          /* allocator cap (default 64 MiB) */
	uint64_t instructions;     /* VM instruction budget (default 10^8) */
	bool has_seed;             /* --seed given: math.random follows it */
	uint64_t seed;             /* that seed */
	struct mxl_params *params; /* borrowed, or NULL: -D in, params out */
};

void mxl_limits_default(struct mxl_limits *l);

/* The deepest include chain accepted (a -> b -> c ... counts files). */
#define MXL_INCLUDE_DEPTH 16

struct mxl_sandbox {
	lua_State *L;          /* owned state */
	lua_State *top;        /* borrowed: the thread mxl_sandbox_call runs */
	size_t used;           /* bytes allocated now */
	size_t cap;            /* allocator cap */
	uint64_t instructions; /* the budget as configured, for messages */
	uint64_t budget;       /* instructions left (in hook steps) */
	bool out_of_budget;    /* the budget tripped */
	bool out_of_memory;    /* the cap tripped */
	uint64_t seed;         /* math.random's seed */
	bool seed_fixed;       /* the seed came from --seed */
	bool rng_used;         /* math.random has drawn: the seed is final */
	struct rng rng;        /* math.random's stream (when rng_used) */
	char rng_first[300];   /* "file:line" of the first draw */
	size_t printed;        /* bytes print() wrote */
	char *main;            /* owned: the scenario's path, or NULL */
	char *topdir;          /* owned realpath of its folder, or NULL */
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
 * instruction budget or memory cap was the cause).  The function runs in
 * a thread of its own, whose stack survives an error: that is how a
 * memory error, which Lua reports without a position, gets its line. */
int mxl_sandbox_call(struct mxl_sandbox *sb, int nargs, int nres,
    struct mx_err *err) MX_NODISCARD;

/* The scenario's code has run; what follows is the loader's own (the
 * prelude's finish, and C reading the bodies, which the prelude copied
 * as plain tables), which must not fail halfway, unprotected, for memory
 * the scenario used up: lifts the cap.  The hook stays. */
void mxl_sandbox_done(struct mxl_sandbox *sb);

/* Sets env_idx.include, which runs a file of the folder of 'main' (the
 * scenario) in that environment.  Without a folder to resolve, include
 * says so when called. */
void mxl_sandbox_set_include(
    struct mxl_sandbox *sb, int env_idx, const char *main);

/* Pushes the prelude's helpers: a table with duration(s) -> ok, why;
 * closest(name, list) -> name or nil; seed(n) -> nil or the "file:line"
 * of a draw that came first; defines = { name = "value" } from 'p' (may
 * be NULL).  Fails on a -D without '=' or given twice. */
int mxl_sandbox_push_tools(struct mxl_sandbox *sb, const struct mxl_params *p,
    struct mx_err *err) MX_NODISCARD;

/* Reads the prelude's list of declared params (at 'idx') into p->list,
 * then checks that every -D names one of them ('file' is the scenario,
 * for that message). */
int mxl_sandbox_params(struct mxl_sandbox *sb, int idx, const char *file,
    struct mxl_params *p, struct mx_err *err) MX_NODISCARD;

#endif

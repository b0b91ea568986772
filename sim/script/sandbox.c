/*
 * sandbox.c - running scenario files safely.
 *
 * Scenario files come from students, graders and colleagues: a file must
 * not be able to read or write anything, run forever, eat the machine's
 * memory, or make two runs with the same seed differ.  Limits (what each
 * protects against):
 *  - memory: every allocation goes through 'sb_alloc', which refuses to
 *    pass 'cap' bytes; Lua then raises a memory error (('x'):rep(1e9)).
 *    Lua gives such an error no position, and skips the message handler;
 *    so chunks run in a thread of their own (mxl_sandbox_call), whose
 *    stack lua_resume leaves in place on error: the line is read there;
 *  - time: a count hook runs every HOOK_STEP VM instructions and, once the
 *    budget is spent, raises an error; it re-arms itself with a count of 1
 *    so that a pcall around an endless loop cannot carry on.  The hook
 *    stays on after the scenario has run, so no scenario code ever runs
 *    unbudgeted;
 *  - C loops the hook cannot see: table.move is capped (its loop runs
 *    no VM instruction), __gc metamethods are refused (a finalizer runs
 *    whenever the collector likes, even in lua_close), print() stops after
 *    PRINT_MAX bytes;
 *  - reach: chunks load in text mode only (the Lua manual warns that
 *    crafted bytecode can crash the interpreter), and the environment
 *    holds only the globals listed below: no io, os, require, load,
 *    dofile, debug, collectgarbage or string.dump.  include() reads files
 *    of the scenario's folder (resolved with realpath, so a symbolic link
 *    cannot lead out) and nothing else;
 *  - determinism: math.random draws from a stream of the scenario's seed
 *    (rng.h, stream "scenario.random"); math.randomseed is refused.
 * Not covered: a Lua pattern can backtrack for a long time inside one
 * string.find call (no VM instruction runs meanwhile); run untrusted
 * files under an outer time limit too.
 *
 * Lua 5.4 randomises table iteration order per state; nothing here
 * iterates a table whose order could leak into the simulation.
 */
/* realpath() is X/Open. */
#define _XOPEN_SOURCE 700

#include "sandbox.h"

#include <errno.h>
#include <lauxlib.h>
#include <limits.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/dur.h"
#include "../core/text.h"

#define HOOK_STEP 1000
/* table.move moves at most this many elements in one call. */
#define MOVE_MAX ((lua_Integer)1 << 24)
/* print() writes at most this many bytes for a scenario. */
#define PRINT_MAX ((size_t)1 << 20)
/* A scenario file (main or included) is at most this large. */
#define FILE_MAX ((size_t)16 << 20)
/* The seed of a scenario that declares none (world_init). */
#define SEED_DEFAULT 1

void
mxl_limits_default(struct mxl_limits *l)
{
	memset(l, 0, sizeof(*l));
	l->mem_bytes = (size_t)64 << 20;
	l->instructions = 100000000;
}

void
mxl_params_free(struct mxl_params *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->list[i].name);
		free(p->list[i].value);
		free(p->list[i].def);
		free(p->list[i].description);
		free(p->list[i].file);
	}
	free(p->list);
	p->list = NULL;
	p->n = 0;
}

static struct mxl_sandbox *
sb_of(lua_State *L)
{
	void *ud;

	lua_getallocf(L, &ud);
	return ud;
}

static void *
sb_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct mxl_sandbox *sb = ud;

	/* 'osize' is the old block's size only when 'ptr' is not NULL. */
	if (ptr == NULL)
		osize = 0;
	if (nsize == 0) {
		free(ptr);
		sb->used -= osize;
		return NULL;
	}
	if (nsize > osize && sb->used + (nsize - osize) > sb->cap) {
		sb->out_of_memory = true;
		return NULL;
	}
	ptr = realloc(ptr, nsize);
	if (ptr == NULL)
		return NULL;
	sb->used = sb->used - osize + nsize;
	return ptr;
}

/* The file and line of the innermost function of a scenario file on the
 * stack of 'L', from 'level' out; the loader's chunks ("[prelude]") and C
 * functions are skipped.  The full path, not Lua's 60-byte short_src. */
static bool
sb_frame(lua_State *L, int level, char *file, size_t len, int *line)
{
	lua_Debug ar;

	for (; lua_getstack(L, level, &ar); level++) {
		if (lua_getinfo(L, "Sl", &ar) == 0 || ar.currentline <= 0)
			continue;
		if (ar.source[0] != '@' || ar.source[1] == '[')
			continue;
		snprintf(file, len, "%s", ar.source + 1);
		*line = ar.currentline;
		return true;
	}
	return false;
}

/* Same, as "file:line". */
static bool
sb_where(lua_State *L, int level, char *buf, size_t len)
{
	char file[PATH_MAX];
	int line;

	if (!sb_frame(L, level, file, sizeof(file), &line))
		return false;
	/* A long path is cut: the message stays readable. */
	return snprintf(buf, len, "%s:%d", file, line) >= 0;
}

static void
sb_hook(lua_State *L, lua_Debug *ar)
{
	struct mxl_sandbox *sb = sb_of(L);
	char where[300];

	(void)ar;
	if (sb->budget > 0) {
		sb->budget--;
		return;
	}
	sb->out_of_budget = true;
	/* Fire again at the very next instruction, so that a pcall that
	 * catches this error cannot keep the script running. */
	lua_sethook(L, sb_hook, LUA_MASKCOUNT, 1);
	/* In a coroutine of the scenario's own, coroutine.wrap adds the
	 * position itself, and the outer thread trips the budget too. */
	if (L == sb->top && sb_where(L, 0, where, sizeof(where)))
		lua_pushfstring(L, "%s: ", where);
	else
		lua_pushliteral(L, "");
	lua_pushfstring(L,
	    "scenario exceeded its instruction budget (%I instructions)",
	    (lua_Integer)sb->instructions);
	lua_concat(L, 2);
	lua_error(L);
}

/* print() for scenarios: to stderr, so the narrative stays clean, and at
 * most PRINT_MAX bytes, so a loop cannot fill a disk. */
static int
sb_print(lua_State *L)
{
	struct mxl_sandbox *sb = sb_of(L);
	int n = lua_gettop(L), i;

	if (sb->printed >= PRINT_MAX)
		return 0;
	for (i = 1; i <= n; i++) {
		size_t len;
		const char *s = luaL_tolstring(L, i, &len);

		if (i > 1)
			fputc('\t', stderr);
		fwrite(s, 1, len, stderr);
		sb->printed += len + 1;
		lua_pop(L, 1);
	}
	fputc('\n', stderr);
	if (sb->printed >= PRINT_MAX)
		fprintf(stderr,
		    "(print: the scenario printed more than %zu "
		    "bytes; the rest is not shown)\n",
		    PRINT_MAX);
	return 0;
}

/* math.random with Lua 5.4's arguments, from the scenario's seed: ()
 * gives a float in [0, 1), (m) an integer in [1, m], (m, n) one in
 * [m, n], (0) 64 random bits.  The stream starts at the first draw; from
 * then on the seed may not change (sb_seed). */
static int
sb_random(lua_State *L)
{
	struct mxl_sandbox *sb = sb_of(L);
	lua_Integer lo, hi;
	uint64_t span;

	if (!sb->rng_used) {
		rng_init(&sb->rng, sb->seed, "scenario.random");
		sb->rng_used = true;
		if (!sb_where(L, 1, sb->rng_first, sizeof(sb->rng_first)))
			snprintf(sb->rng_first, sizeof(sb->rng_first), "?");
	}
	switch (lua_gettop(L)) {
	case 0:
		lua_pushnumber(L, (lua_Number)rng_unit(&sb->rng));
		return 1;
	case 1:
		lo = 1;
		hi = luaL_checkinteger(L, 1);
		if (hi == 0) {
			lua_pushinteger(L, (lua_Integer)rng_next(&sb->rng));
			return 1;
		}
		break;
	case 2:
		lo = luaL_checkinteger(L, 1);
		hi = luaL_checkinteger(L, 2);
		break;
	default:
		return luaL_error(L, "wrong number of arguments");
	}
	luaL_argcheck(L, lo <= hi, lua_gettop(L), "interval is empty");
	/* Unsigned: hi - lo overflows a signed integer for wide ranges. */
	span = (uint64_t)hi - (uint64_t)lo;
	if (span == UINT64_MAX)
		span = rng_next(&sb->rng);
	else
		span = rng_below(&sb->rng, span + 1);
	lua_pushinteger(L, (lua_Integer)((uint64_t)lo + span));
	return 1;
}

static int
sb_randomseed(lua_State *L)
{
	return luaL_error(L,
	    "math.randomseed is not available: math.random follows the "
	    "scenario's seed (scenario { seed = N }, or mxsim run --seed N)");
}

/* setmetatable without __gc: a finalizer would run scenario code at any
 * allocation, and at lua_close after the budget's hook is gone. */
static int
sb_setmetatable(lua_State *L)
{
	if (lua_type(L, 2) == LUA_TTABLE) {
		if (lua_getfield(L, 2, "__gc") != LUA_TNIL)
			return luaL_error(L, "__gc is not available in "
			                     "scenarios (finalizers run at "
			                     "unknown times)");
		lua_pop(L, 1);
	}
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	return 1;
}

/* table.move, capped: its loop runs in C, where the hook never fires. */
static int
sb_tmove(lua_State *L)
{
	lua_Integer f = luaL_checkinteger(L, 2);
	lua_Integer e = luaL_checkinteger(L, 3);

	if (e >= f && (e - f >= MOVE_MAX || e - f < 0))
		return luaL_error(L, "table.move: at most %I elements at once",
		    (lua_Integer)MOVE_MAX);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

int
mxl_sandbox_open(
    struct mxl_sandbox *sb, const struct mxl_limits *l, struct mx_err *err)
{
	memset(sb, 0, sizeof(*sb));
	sb->cap = l->mem_bytes;
	sb->instructions = l->instructions;
	sb->budget = l->instructions / HOOK_STEP;
	sb->seed = l->has_seed ? l->seed : SEED_DEFAULT;
	sb->seed_fixed = l->has_seed;
	sb->L = lua_newstate(sb_alloc, sb);
	if (sb->L == NULL)
		return mx_err_set(err, MX_ENOMEM, "cannot create a Lua state");
	/* The standard libraries we hand out copies of; the scenario's
	 * environment never sees the originals. */
	luaL_requiref(sb->L, LUA_GNAME, luaopen_base, 1);
	luaL_requiref(sb->L, LUA_STRLIBNAME, luaopen_string, 1);
	luaL_requiref(sb->L, LUA_TABLIBNAME, luaopen_table, 1);
	luaL_requiref(sb->L, LUA_MATHLIBNAME, luaopen_math, 1);
	luaL_requiref(sb->L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
	luaL_requiref(sb->L, LUA_COLIBNAME, luaopen_coroutine, 1);
	luaL_requiref(sb->L, LUA_DBLIBNAME, luaopen_debug, 1);
	lua_settop(sb->L, 0);
	/* Strings' methods come from a restricted copy of the string
	 * library (no string.dump), and the metatable is hidden, so
	 * ("").dump is nil and getmetatable("") cannot be changed. */
	{
		static const char *const str[] = {"byte", "char", "find",
		    "format", "gmatch", "gsub", "len", "lower", "match", "rep",
		    "reverse", "sub", "upper", "pack", "packsize", "unpack",
		    NULL};
		size_t i;

		lua_newtable(sb->L);
		lua_getglobal(sb->L, "string");
		for (i = 0; str[i] != NULL; i++) {
			lua_getfield(sb->L, -1, str[i]);
			lua_setfield(sb->L, -3, str[i]);
		}
		lua_pop(sb->L, 1);
		lua_pushliteral(sb->L, "");
		lua_getmetatable(sb->L, -1);
		lua_pushvalue(sb->L, -3);
		lua_setfield(sb->L, -2, "__index");
		lua_pushboolean(sb->L, 0);
		lua_setfield(sb->L, -2, "__metatable");
		lua_settop(sb->L, 0);
	}
	lua_sethook(sb->L, sb_hook, LUA_MASKCOUNT, HOOK_STEP);
	return 0;
}

void
mxl_sandbox_close(struct mxl_sandbox *sb)
{
	if (sb->L != NULL)
		lua_close(sb->L);
	sb->L = NULL;
	free(sb->main);
	free(sb->topdir);
	sb->main = NULL;
	sb->topdir = NULL;
}

void
mxl_sandbox_done(struct mxl_sandbox *sb)
{
	sb->cap = SIZE_MAX;
}

/* Copies the fields 'names' of global table 'lib' into a new table. */
static void
copy_lib(lua_State *L, const char *lib, const char *const *names)
{
	size_t i;

	lua_newtable(L);
	lua_getglobal(L, lib);
	for (i = 0; names[i] != NULL; i++) {
		lua_getfield(L, -1, names[i]);
		lua_setfield(L, -3, names[i]);
	}
	lua_pop(L, 1);
}

/* Sets field 'name' of the table on top to the closure 'fn' over the
 * original global lib.name (or the global 'name' when lib is NULL). */
static void
set_wrapped(lua_State *L, const char *lib, const char *name, lua_CFunction fn)
{
	if (lib != NULL) {
		lua_getglobal(L, lib);
		lua_getfield(L, -1, name);
		lua_remove(L, -2);
	} else
		lua_getglobal(L, name);
	lua_pushcclosure(L, fn, 1);
	lua_setfield(L, -2, name);
}

void
mxl_sandbox_push_env(struct mxl_sandbox *sb)
{
	static const char *const base[] = {"assert", "error", "ipairs", "next",
	    "pairs", "pcall", "select", "tonumber", "tostring", "type",
	    "xpcall", "rawequal", "rawget", "rawlen", "rawset", "getmetatable",
	    NULL};
	static const char *const str[] = {"byte", "char", "find", "format",
	    "gmatch", "gsub", "len", "lower", "match", "rep", "reverse", "sub",
	    "upper", "pack", "packsize", "unpack", NULL};
	static const char *const tab[] = {
	    "concat", "insert", "pack", "remove", "sort", "unpack", NULL};
	/* random and randomseed are ours (below). */
	static const char *const mth[] = {"abs", "ceil", "cos", "exp", "floor",
	    "fmod", "huge", "log", "max", "maxinteger", "min", "mininteger",
	    "modf", "pi", "sin", "sqrt", "tan", "tointeger", "type", "ult",
	    "atan", "asin", "acos", NULL};
	static const char *const utf[] = {
	    "char", "charpattern", "codes", "codepoint", "len", "offset", NULL};
	static const char *const co[] = {"create", "isyieldable", "resume",
	    "running", "status", "wrap", "yield", "close", NULL};
	lua_State *L = sb->L;
	size_t i;

	lua_newtable(L);
	lua_pushglobaltable(L);
	for (i = 0; base[i] != NULL; i++) {
		lua_getfield(L, -1, base[i]);
		lua_setfield(L, -3, base[i]);
	}
	lua_pop(L, 1);
	lua_pushcfunction(L, sb_print);
	lua_setfield(L, -2, "print");
	set_wrapped(L, NULL, "setmetatable", sb_setmetatable);
	copy_lib(L, "string", str);
	lua_setfield(L, -2, "string");
	copy_lib(L, "table", tab);
	set_wrapped(L, "table", "move", sb_tmove);
	lua_setfield(L, -2, "table");
	copy_lib(L, "math", mth);
	lua_pushcfunction(L, sb_random);
	lua_setfield(L, -2, "random");
	lua_pushcfunction(L, sb_randomseed);
	lua_setfield(L, -2, "randomseed");
	lua_setfield(L, -2, "math");
	copy_lib(L, "utf8", utf);
	lua_setfield(L, -2, "utf8");
	copy_lib(L, "coroutine", co);
	lua_setfield(L, -2, "coroutine");
}

/* Loads text as chunk '@name'; on error leaves a message on the stack
 * (with the file and line 1 for bytecode, which Lua reports without). */
static int
sb_loadtext(lua_State *L, const char *buf, size_t len, const char *name)
{
	char chunk[1024];
	int st;

	snprintf(chunk, sizeof(chunk), "@%s", name);
	st = luaL_loadbufferx(L, buf, len, chunk, "t");
	if (st != LUA_OK && lua_type(L, -1) == LUA_TSTRING &&
	    strstr(lua_tostring(L, -1), "binary chunk") != NULL) {
		lua_pop(L, 1);
		lua_pushfstring(L,
		    "%s:1: precompiled Lua is not accepted; give the scenario "
		    "as text",
		    name);
	}
	return st;
}

int
mxl_sandbox_load(struct mxl_sandbox *sb, const char *buf, size_t len,
    const char *name, int env_idx, struct mx_err *err)
{
	env_idx = lua_absindex(sb->L, env_idx);
	if (sb_loadtext(sb->L, buf, len, name) != LUA_OK) {
		const char *msg = lua_tostring(sb->L, -1);

		mx_err_set(err, MX_ESCRIPT, "%s",
		    msg ? msg : "cannot load the scenario");
		lua_pop(sb->L, 1);
		return MX_ESCRIPT;
	}
	lua_pushvalue(sb->L, env_idx);
	/* A main chunk's first upvalue is its _ENV. */
	lua_setupvalue(sb->L, -2, 1);
	return 0;
}

/* __tostring of an error object, run protected (it is scenario code). */
static int
sb_describe(lua_State *L)
{
	if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
		return 1;
	lua_pushnil(L);
	return 1;
}

/* The message for a failed run of thread 'co' (status 'st'), whose stack
 * is still there; the error object is on its top. */
static int
sb_failure(struct mxl_sandbox *sb, lua_State *co, int st, struct mx_err *err)
{
	lua_State *L = sb->L;
	char where[300];
	const char *msg, *tn;
	bool at = sb_where(co, 0, where, sizeof(where));

	if (st == LUA_YIELD)
		return mx_err_set(err, MX_ESCRIPT,
		    "%s%scoroutine.yield outside a coroutine (the scenario's "
		    "own code cannot yield)",
		    at ? where : "", at ? ": " : "");
	msg = lua_type(co, -1) == LUA_TSTRING ? lua_tostring(co, -1) : NULL;
	/* A memory error that a coroutine.wrap or the scenario's pcall
	 * turned into a plain one is still the cap's doing. */
	if (st == LUA_ERRMEM || (sb->out_of_memory && msg != NULL &&
	                            strstr(msg, "not enough memory") != NULL))
		return mx_err_set(err, MX_ELIMIT,
		    "%s%sscenario exceeded its memory limit (%zu MiB)",
		    at ? where : "", at ? ": " : "", sb->cap >> 20);
	if (msg != NULL)
		return mx_err_set(err, MX_ESCRIPT, "%s", msg);
	/* lua_typename's strings are static: safe once the value moves. */
	tn = luaL_typename(co, -1);
	lua_pushcfunction(L, sb_describe);
	lua_xmove(co, L, 1);
	if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_type(L, -1) == LUA_TSTRING) {
		mx_err_set(err, MX_ESCRIPT, "%s", lua_tostring(L, -1));
		lua_pop(L, 1);
		return MX_ESCRIPT;
	}
	lua_pop(L, 1);
	return mx_err_set(err, MX_ESCRIPT,
	    "%s%serror raised with a %s value (give error() a message)",
	    at ? where : "", at ? ": " : "", tn);
}

int
mxl_sandbox_call(
    struct mxl_sandbox *sb, int nargs, int nres, struct mx_err *err)
{
	lua_State *L = sb->L, *co, *outer = sb->top;
	int base = lua_gettop(L) - nargs, st, got = 0, rc;

	co = lua_newthread(L);
	lua_insert(L, base);
	lua_xmove(L, co, nargs + 1);
	sb->top = co;
	st = lua_resume(co, L, nargs, &got);
	sb->top = outer;
	if (st != LUA_OK) {
		rc = sb_failure(sb, co, st, err);
		lua_settop(L, base - 1);
		return rc;
	}
	if (nres == LUA_MULTRET)
		nres = got;
	if (!lua_checkstack(co, nres) || !lua_checkstack(L, nres + 1)) {
		lua_settop(L, base - 1);
		return mx_err_set(err, MX_ELIMIT, "too many results");
	}
	for (; got > nres; got--)
		lua_pop(co, 1);
	for (; got < nres; got++)
		lua_pushnil(co);
	lua_xmove(co, L, nres);
	lua_remove(L, base);
	return 0;
}

/* --- include ------------------------------------------------------------ */

/* 'rel' made canonical into 'out': no empty, "." or doubled parts.
 * Refuses absolute paths and "..": an included file lies in the folder
 * of the file that includes it, or below. */
static void
inc_clean(lua_State *L, const char *rel, char *out, size_t len)
{
	const char *p = rel;
	size_t n = 0;

	if (rel[0] == '/') {
		luaL_error(L,
		    "include '%s': an absolute path is refused; name a file "
		    "of the scenario's folder, relative to the including file",
		    rel);
		return;
	}
	while (*p != '\0') {
		size_t seg = strcspn(p, "/");

		if (seg == 2 && p[0] == '.' && p[1] == '.') {
			luaL_error(L,
			    "include '%s': '..' is refused: included files "
			    "stay inside the scenario's folder",
			    rel);
			return;
		}
		if (seg > 1 || (seg == 1 && p[0] != '.')) {
			if (n + seg + 2 > len) {
				luaL_error(L,
				    "include '%s': the path is too "
				    "long",
				    rel);
				return;
			}
			if (n > 0)
				out[n++] = '/';
			memcpy(out + n, p, seg);
			n += seg;
		}
		p += seg;
		if (*p == '/')
			p++;
	}
	out[n] = '\0';
	if (n == 0)
		luaL_error(L, "include '%s': not a file name", rel);
}

/* Refuses 'real' (a realpath) when it is already being run on this
 * thread's stack (a cycle) or the chain of includes is too deep. */
static void
inc_cycle(lua_State *L, const char *rel, const char *path, const char *real)
{
	const char *chain[MXL_INCLUDE_DEPTH];
	char other[PATH_MAX], msg[1024];
	size_t n = 0, off = 0, i;
	bool cycle = false;
	lua_Debug ar;
	int level;

	for (level = 0; lua_getstack(L, level, &ar); level++) {
		if (lua_getinfo(L, "S", &ar) == 0 ||
		    strcmp(ar.what, "main") != 0 || ar.source[0] != '@' ||
		    ar.source[1] == '[')
			continue;
		if (n == MXL_INCLUDE_DEPTH) {
			luaL_error(L,
			    "include '%s': includes nest deeper than %d files",
			    rel, MXL_INCLUDE_DEPTH);
			return;
		}
		chain[n++] = ar.source + 1;
		if (realpath(ar.source + 1, other) != NULL &&
		    strcmp(other, real) == 0)
			cycle = true;
	}
	/* The new file would be one more. */
	if (n == MXL_INCLUDE_DEPTH && !cycle) {
		luaL_error(L,
		    "include '%s': includes nest deeper than %d files", rel,
		    MXL_INCLUDE_DEPTH);
		return;
	}
	if (!cycle)
		return;
	/* The chain, outermost file first, back to the file again. */
	msg[0] = '\0';
	for (i = n; i > 0 && off < sizeof(msg); i--)
		off += (size_t)snprintf(
		    msg + off, sizeof(msg) - off, "%s -> ", chain[i - 1]);
	if (off < sizeof(msg) &&
	    snprintf(msg + off, sizeof(msg) - off, "%s", path) < 0)
		msg[off] = '\0';
	luaL_error(L, "include '%s': include cycle: %s", rel, msg);
}

/* Reads 'path' (of 'size' bytes, at most FILE_MAX) into a userdata left
 * on the stack; returns the length read.  The buffer belongs to Lua, so
 * an error on the way leaks nothing and counts against the memory cap. */
static size_t
inc_read(lua_State *L, const char *rel, const char *path, size_t size)
{
	char *buf;
	FILE *f;
	size_t n;
	int bad;

	if (size > FILE_MAX)
		return (size_t)luaL_error(L,
		    "include '%s': %s is larger than %d MiB", rel, path,
		    (int)(FILE_MAX >> 20));
	buf = lua_newuserdatauv(L, size + 1, 0);
	if ((f = fopen(path, "rb")) == NULL)
		return (size_t)luaL_error(L, "include '%s': cannot read %s: %s",
		    rel, path, strerror(errno));
	n = fread(buf, 1, size, f);
	bad = ferror(f);
	fclose(f);
	if (bad)
		return (size_t)luaL_error(
		    L, "include '%s': cannot read %s", rel, path);
	return n;
}

/* include "file.lua": runs a file of the scenario's folder, in the
 * scenario's environment (upvalue 1), and returns what it returns.  The
 * path is relative to the folder of the including file. */
static int
sb_include(lua_State *L)
{
	struct mxl_sandbox *sb = sb_of(L);
	char from[PATH_MAX], clean[PATH_MAX], path[PATH_MAX], real[PATH_MAX];
	const char *rel, *slash;
	struct stat st;
	size_t len, tl;
	int line;

	if (lua_type(L, 1) != LUA_TSTRING)
		return luaL_error(L, "include needs a file name in quotes: "
		                     "include \"file.lua\"");
	rel = lua_tostring(L, 1);
	inc_clean(L, rel, clean, sizeof(clean));
	if (!sb_frame(L, 1, from, sizeof(from), &line))
		snprintf(from, sizeof(from), "%s", sb->main ? sb->main : "");
	slash = strrchr(from, '/');
	if ((size_t)snprintf(path, sizeof(path), "%.*s%s",
	        slash ? (int)(slash - from + 1) : 0, from,
	        clean) >= sizeof(path))
		return luaL_error(L, "include '%s': the path is too long", rel);
	if (sb->topdir == NULL)
		return luaL_error(L,
		    "include '%s': the scenario's folder is "
		    "not known",
		    rel);
	if (stat(path, &st) != 0)
		return luaL_error(L, "include '%s': cannot read %s: %s", rel,
		    path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return luaL_error(
		    L, "include '%s': %s is not a file", rel, path);
	if (realpath(path, real) == NULL)
		return luaL_error(L, "include '%s': cannot resolve %s: %s", rel,
		    path, strerror(errno));
	/* A symbolic link must not lead out of the folder. */
	tl = strlen(sb->topdir);
	if (strncmp(real, sb->topdir, tl) != 0 || (tl > 1 && real[tl] != '/'))
		return luaL_error(L,
		    "include '%s': %s leads outside the scenario's folder (to "
		    "%s)",
		    rel, path, real);
	inc_cycle(L, rel, path, real);
	len = inc_read(L, rel, path, (size_t)st.st_size);
	if (sb_loadtext(L, lua_touserdata(L, -1), len, path) != LUA_OK)
		return lua_error(L);
	lua_remove(L, -2);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_setupvalue(L, -2, 1);
	lua_call(L, 0, LUA_MULTRET);
	return lua_gettop(L) - 1;
}

void
mxl_sandbox_set_include(struct mxl_sandbox *sb, int env_idx, const char *main)
{
	const char *slash = strrchr(main, '/');
	char dir[PATH_MAX], real[PATH_MAX];

	env_idx = lua_absindex(sb->L, env_idx);
	free(sb->main);
	free(sb->topdir);
	sb->main = mx_xstrdup(main);
	sb->topdir = NULL;
	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == main)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - main), main);
	if (realpath(dir, real) != NULL)
		sb->topdir = mx_xstrdup(real);
	lua_pushvalue(sb->L, env_idx);
	lua_pushcclosure(sb->L, sb_include, 1);
	lua_setfield(sb->L, env_idx, "include");
}

/* --- the prelude's tools, and params ------------------------------------ */

/* duration(s) -> true, or false and why: a duration string with a unit. */
static int
tool_duration(lua_State *L)
{
	char why[128];
	sim_time_t d;

	if (lua_type(L, 1) == LUA_TSTRING &&
	    dur_parse(lua_tostring(L, 1), &d, why, sizeof(why))) {
		lua_pushboolean(L, 1);
		return 1;
	}
	lua_pushboolean(L, 0);
	lua_pushstring(L, lua_type(L, 1) == LUA_TSTRING ? why : "not a string");
	return 2;
}

/* closest(name, { candidates }) -> the closest candidate, or nil. */
static int
tool_closest(lua_State *L)
{
	const char *cands[64];
	const char *name = luaL_checkstring(L, 1), *s;
	lua_Integer i, n;
	size_t k = 0;

	luaL_checktype(L, 2, LUA_TTABLE);
	n = (lua_Integer)lua_rawlen(L, 2);
	for (i = 1; i <= n && k < sizeof(cands) / sizeof(cands[0]); i++) {
		if (lua_rawgeti(L, 2, i) == LUA_TSTRING)
			cands[k++] = lua_tostring(L, -1);
		/* The list keeps the strings alive: pop as we go. */
		lua_pop(L, 1);
	}
	s = text_closest(name, cands, k);
	if (s == NULL)
		return 0;
	lua_pushstring(L, s);
	return 1;
}

/* seed(n): the scenario declares seed n.  Returns nothing, or the
 * "file:line" of a math.random draw made with another seed. */
static int
tool_seed(lua_State *L)
{
	struct mxl_sandbox *sb = sb_of(L);
	uint64_t n = (uint64_t)luaL_checkinteger(L, 1);

	if (sb->seed_fixed)
		return 0;
	if (sb->rng_used && n != sb->seed) {
		lua_pushstring(L, sb->rng_first);
		return 1;
	}
	sb->seed = n;
	return 0;
}

/* The length of the name part of a -D text "name=value". */
static size_t
define_namelen(const char *d)
{
	const char *eq = strchr(d, '=');

	return eq != NULL ? (size_t)(eq - d) : strlen(d);
}

int
mxl_sandbox_push_tools(
    struct mxl_sandbox *sb, const struct mxl_params *p, struct mx_err *err)
{
	lua_State *L = sb->L;
	size_t i, j, n = p != NULL ? p->ndefines : 0;

	for (i = 0; i < n; i++) {
		const char *d = p->defines[i];
		size_t nl = define_namelen(d);

		if (d[nl] != '=' || nl == 0)
			return mx_err_set(
			    err, MX_EUSAGE, "-D '%s': expected NAME=VALUE", d);
		for (j = 0; j < i; j++)
			if (define_namelen(p->defines[j]) == nl &&
			    strncmp(p->defines[j], d, nl) == 0)
				return mx_err_set(err, MX_EUSAGE,
				    "-D '%s': '%.*s' is given twice (first "
				    "-D '%s')",
				    d, (int)nl, d, p->defines[j]);
	}
	lua_newtable(L);
	lua_pushcfunction(L, tool_duration);
	lua_setfield(L, -2, "duration");
	lua_pushcfunction(L, tool_closest);
	lua_setfield(L, -2, "closest");
	lua_pushcfunction(L, tool_seed);
	lua_setfield(L, -2, "seed");
	lua_newtable(L);
	for (i = 0; i < n; i++) {
		const char *d = p->defines[i];
		size_t nl = define_namelen(d);

		lua_pushlstring(L, d, nl);
		lua_pushstring(L, d + nl + 1);
		lua_rawset(L, -3);
	}
	lua_setfield(L, -2, "defines");
	return 0;
}

/* A Lua value as a scenario would write it: 10, 0.5, true, "5m". */
static char *
value_text(lua_State *L, int idx)
{
	const char *s;
	size_t len, i, n = 0;
	char *out;

	if (lua_type(L, idx) != LUA_TSTRING) {
		s = luaL_tolstring(L, idx, &len);
		out = mx_xstrdup(s);
		lua_pop(L, 1);
		return out;
	}
	s = lua_tolstring(L, idx, &len);
	out = mx_xmalloc(len * 4 + 3);
	out[n++] = '"';
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '"' || ch == '\\') {
			out[n++] = '\\';
			out[n++] = (char)ch;
		} else if (ch < 0x20 || ch == 0x7f)
			n += (size_t)snprintf(out + n, 5, "\\%03u", ch);
		else
			out[n++] = (char)ch;
	}
	out[n++] = '"';
	out[n] = '\0';
	return out;
}

static char *
field_text(lua_State *L, int idx, const char *key, bool quote)
{
	char *out = NULL;

	lua_getfield(L, idx, key);
	if (quote && !lua_isnil(L, -1))
		out = value_text(L, -1);
	else if (lua_type(L, -1) == LUA_TSTRING)
		out = mx_xstrdup(lua_tostring(L, -1));
	lua_pop(L, 1);
	return out;
}

/* The entry at 'e' of the prelude's list (declare_param). */
static void
param_read(lua_State *L, int e, struct mxl_param *p)
{
	static const char *const types[] = {
	    "integer", "number", "duration", "boolean", "string"};
	size_t i;

	p->name = field_text(L, e, "name", false);
	p->value = field_text(L, e, "value", true);
	p->def = field_text(L, e, "default", true);
	p->description = field_text(L, e, "description", false);
	p->file = field_text(L, e, "file", false);
	lua_getfield(L, e, "line");
	p->line = (int)lua_tointeger(L, -1);
	lua_pop(L, 1);
	lua_getfield(L, e, "overridden");
	p->overridden = lua_toboolean(L, -1);
	lua_pop(L, 1);
	/* A static name, not the Lua string: the list outlives the state. */
	p->type = "string";
	lua_getfield(L, e, "type");
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (lua_type(L, -1) == LUA_TSTRING &&
		    strcmp(lua_tostring(L, -1), types[i]) == 0)
			p->type = types[i];
	lua_pop(L, 1);
}

/* A -D naming no declared param: say which one was meant. */
static int
define_unknown(const struct mxl_params *p, const char *d, const char *file,
    struct mx_err *err)
{
	const char *names[64], *s;
	char list[300], name[128];
	size_t i, k = 0, off = 0;

	snprintf(name, sizeof(name), "%.*s", (int)define_namelen(d), d);
	for (i = 0; i < p->n && k < sizeof(names) / sizeof(names[0]); i++)
		names[k++] = p->list[i].name;
	if ((s = text_closest(name, names, k)) != NULL)
		return mx_err_set(err, MX_EUSAGE,
		    "%s: -D %s: no param '%s' in this scenario (did you mean "
		    "'%s'?)",
		    file, d, name, s);
	if (k == 0)
		return mx_err_set(err, MX_EUSAGE,
		    "%s: -D %s: no param '%s' in this scenario (it declares "
		    "none)",
		    file, d, name);
	list[0] = '\0';
	for (i = 0; i < k && off < sizeof(list); i++)
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
		    i ? ", " : "", names[i]);
	return mx_err_set(err, MX_EUSAGE,
	    "%s: -D %s: no param '%s' in this scenario (its params: %s)", file,
	    d, name, list);
}

int
mxl_sandbox_params(struct mxl_sandbox *sb, int idx, const char *file,
    struct mxl_params *p, struct mx_err *err)
{
	lua_State *L = sb->L;
	size_t i, j, n;

	if (p == NULL)
		return 0;
	idx = lua_absindex(L, idx);
	mxl_params_free(p);
	n = (size_t)lua_rawlen(L, idx);
	p->list = mx_xcalloc(n + 1, sizeof(*p->list));
	for (i = 0; i < n; i++) {
		lua_rawgeti(L, idx, (lua_Integer)i + 1);
		param_read(L, lua_gettop(L), &p->list[p->n++]);
		lua_pop(L, 1);
	}
	for (i = 0; i < p->ndefines; i++) {
		const char *d = p->defines[i];
		size_t nl = define_namelen(d);
		bool found = false;

		for (j = 0; j < p->n && !found; j++)
			found = p->list[j].name != NULL &&
			        strlen(p->list[j].name) == nl &&
			        strncmp(p->list[j].name, d, nl) == 0;
		if (!found)
			return define_unknown(p, d, file, err);
	}
	return 0;
}

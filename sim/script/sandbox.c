/*
 * sandbox.c - running scenario files safely.
 *
 * Limits (what each protects against):
 *  - memory: every allocation goes through 'sb_alloc', which refuses to
 *    pass 'cap' bytes; Lua then raises a memory error (('x'):rep(1e9));
 *  - time: a count hook runs every 1000 VM instructions and, once the
 *    budget is spent, raises an error; it re-arms itself with a count of 1
 *    so that a pcall around an endless loop cannot carry on;
 *  - reach: chunks load in text mode only (the Lua manual warns that
 *    crafted bytecode can crash the interpreter), and the environment
 *    holds only the globals listed below: no io, os, require, load,
 *    dofile, debug, collectgarbage or string.dump.
 * Lua 5.4 randomises table iteration order per state; nothing here
 * iterates a table whose order could leak into the simulation.
 */
#include "sandbox.h"

#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOOK_STEP 1000

void
mxl_limits_default(struct mxl_limits *l)
{
	l->mem_bytes = (size_t)64 << 20;
	l->instructions = 100000000;
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

static void
sb_hook(lua_State *L, lua_Debug *ar)
{
	struct mxl_sandbox *sb;
	int main;

	lua_getallocf(L, (void **)&sb);
	/* Remember where the script is, for errors that Lua reports
	 * without a position (memory exhaustion). */
	if (lua_getinfo(L, "Sl", ar) != 0 && ar->currentline > 0 &&
	    ar->source[0] == '@')
		snprintf(sb->where, sizeof(sb->where), "%s:%d", ar->source + 1,
		    ar->currentline);
	if (sb->budget > 0) {
		sb->budget--;
		return;
	}
	sb->out_of_budget = true;
	/* Fire again at the very next instruction, so that a pcall that
	 * catches this error cannot keep the script running. */
	lua_sethook(L, sb_hook, LUA_MASKCOUNT, 1);
	/* Inside a coroutine, coroutine.wrap adds the position itself. */
	main = lua_pushthread(L);
	lua_pop(L, 1);
	if (main)
		luaL_where(L, 0);
	else
		lua_pushliteral(L, "");
	lua_pushstring(L, "instruction budget exceeded (an endless loop?)");
	lua_concat(L, 2);
	lua_error(L);
}

/* print() for scenarios: to stderr, so the narrative stays clean. */
static int
sb_print(lua_State *L)
{
	int n = lua_gettop(L), i;

	for (i = 1; i <= n; i++) {
		size_t len;
		const char *s = luaL_tolstring(L, i, &len);

		if (i > 1)
			fputc('\t', stderr);
		fwrite(s, 1, len, stderr);
		lua_pop(L, 1);
	}
	fputc('\n', stderr);
	return 0;
}

/* The message handler: errors raised with a non-string value get a
 * position and a readable description. */
static int
sb_msgh(lua_State *L)
{
	if (lua_type(L, 1) == LUA_TSTRING)
		return 1;
	if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
		return 1;
	{
		/* The position of the innermost Lua function: level 1 is
		 * error() itself, a C function without one. */
		lua_Debug ar;
		int level;

		lua_pushliteral(L, "");
		for (level = 1; lua_getstack(L, level, &ar); level++)
			if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
				lua_pop(L, 1);
				lua_pushfstring(
				    L, "%s:%d: ", ar.short_src, ar.currentline);
				break;
			}
	}
	lua_pushfstring(L,
	    "error raised with a %s value (give error() a "
	    "message)",
	    luaL_typename(L, 1));
	lua_concat(L, 2);
	return 1;
}

int
mxl_sandbox_open(
    struct mxl_sandbox *sb, const struct mxl_limits *l, struct mx_err *err)
{
	memset(sb, 0, sizeof(*sb));
	sb->cap = l->mem_bytes;
	sb->budget = l->instructions / HOOK_STEP;
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

void
mxl_sandbox_push_env(struct mxl_sandbox *sb)
{
	static const char *const base[] = {"assert", "error", "ipairs", "next",
	    "pairs", "pcall", "select", "tonumber", "tostring", "type",
	    "xpcall", "rawequal", "rawget", "rawlen", "rawset", "setmetatable",
	    "getmetatable", NULL};
	static const char *const str[] = {"byte", "char", "find", "format",
	    "gmatch", "gsub", "len", "lower", "match", "rep", "reverse", "sub",
	    "upper", "pack", "packsize", "unpack", NULL};
	static const char *const tab[] = {"concat", "insert", "move", "pack",
	    "remove", "sort", "unpack", NULL};
	/* No random/randomseed: their numbers would not follow the
	 * scenario's seed. */
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
	copy_lib(L, "string", str);
	lua_setfield(L, -2, "string");
	copy_lib(L, "table", tab);
	lua_setfield(L, -2, "table");
	copy_lib(L, "math", mth);
	lua_setfield(L, -2, "math");
	copy_lib(L, "utf8", utf);
	lua_setfield(L, -2, "utf8");
	copy_lib(L, "coroutine", co);
	lua_setfield(L, -2, "coroutine");
}

int
mxl_sandbox_load(struct mxl_sandbox *sb, const char *buf, size_t len,
    const char *name, int env_idx, struct mx_err *err)
{
	char chunk[1024];
	int st;

	env_idx = lua_absindex(sb->L, env_idx);
	snprintf(chunk, sizeof(chunk), "@%s", name);
	st = luaL_loadbufferx(sb->L, buf, len, chunk, "t");
	if (st != LUA_OK) {
		const char *msg = lua_tostring(sb->L, -1);

		if (strstr(msg ? msg : "", "binary chunk") != NULL)
			mx_err_set(err, MX_ESCRIPT,
			    "%s:1: precompiled Lua is not accepted; give the "
			    "scenario as text",
			    name);
		else
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

int
mxl_sandbox_call(
    struct mxl_sandbox *sb, int nargs, int nres, struct mx_err *err)
{
	lua_State *L = sb->L;
	int base = lua_gettop(L) - nargs, st;
	const char *msg;

	lua_pushcfunction(L, sb_msgh);
	lua_insert(L, base);
	st = lua_pcall(L, nargs, nres, base);
	lua_remove(L, base);
	if (st == LUA_OK)
		return 0;
	msg = lua_tostring(L, -1);
	if (st == LUA_ERRMEM || sb->out_of_memory) {
		/* Lua reports memory errors without a position: use the
		 * last line the hook saw. */
		if (sb->where[0] != '\0')
			mx_err_set(err, MX_ELIMIT,
			    "%s: the scenario used more than %zu MiB of memory "
			    "(near this line)",
			    sb->where, sb->cap >> 20);
		else
			mx_err_set(err, MX_ELIMIT,
			    "the scenario used more than %zu MiB of memory",
			    sb->cap >> 20);
	} else
		mx_err_set(
		    err, MX_ESCRIPT, "%s", msg ? msg : "error in the scenario");
	lua_pop(L, 1);
	return err != NULL ? err->code : MX_ESCRIPT;
}

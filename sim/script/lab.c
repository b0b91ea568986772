/*
 * lab.c - runs a lab's data file (labs/NN-name/lab.lua) and lua/lab.lua in
 * the sandbox.
 *
 * One Lua state per lab and student: the sandbox's math.random is seeded
 * with the (lab, student) hash, so the params lua/lab.lua draws, in their
 * declaration order, depend on nothing else.  The question's answer
 * functions are the lab author's code: they run under the same instruction
 * budget and memory cap as a scenario, over the run's trace records (plain
 * tables parsed from the JSON Lines, docs/trace.md), never over C data.
 * Every value crossing to C is a string.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "embedded.h"
#include "lab.h"

/* Pushes lua/lab.lua's function 'name'. */
static void
lab_fn(struct mxl_lab *lab, const char *name)
{
	lua_State *L = lab->sb.L;

	lua_rawgeti(L, LUA_REGISTRYINDEX, lab->mod);
	lua_getfield(L, -1, name);
	lua_remove(L, -2);
}

static void
lab_push_strings(lua_State *L, char **v, size_t n)
{
	size_t i;

	lua_createtable(L, (int)n, 0);
	for (i = 0; i < n; i++) {
		lua_pushstring(L, v[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

/* Copies the strings of the list at 'idx' into '*out'. */
static size_t
lab_strings(lua_State *L, int idx, char ***out)
{
	size_t n = lua_rawlen(L, idx), i;

	*out = mx_xcalloc(n + 1, sizeof(**out));
	for (i = 0; i < n; i++) {
		lua_rawgeti(L, idx, (lua_Integer)i + 1);
		(*out)[i] = mx_xstrdup(lua_tostring(L, -1));
		lua_pop(L, 1);
	}
	return n;
}

static int
lab_read(const char *path, char **buf, size_t *len, struct mx_err *err)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0;
	char *b;

	if (f == NULL)
		return mx_err_set(err, MX_ENOENT, "%s: cannot read", path);
	b = mx_xmalloc(cap);
	for (;;) {
		size_t got = fread(b + n, 1, cap - n - 1, f);

		n += got;
		if (got == 0)
			break;
		if (n + 1 == cap) {
			cap *= 2;
			b = realloc(b, cap);
			if (b == NULL)
				abort();
		}
	}
	b[n] = '\0';
	if (ferror(f)) {
		fclose(f);
		free(b);
		return mx_err_set(err, MX_EIO, "%s: read error", path);
	}
	fclose(f);
	*buf = b;
	*len = n;
	return 0;
}

/* Loads lua/lab.lua and keeps its table. */
static int
lab_module(struct mxl_lab *lab, struct mx_err *err)
{
	const struct mxl_file *f = mxl_file_find("lab.lua");
	lua_State *L = lab->sb.L;
	int rc;

	if (f == NULL)
		return mx_err_set(err, MX_EINVAL, "lua/lab.lua is missing");
	mxl_sandbox_push_env(&lab->sb);
	if ((rc = mxl_sandbox_load(
	         &lab->sb, f->data, f->len, "[lab]", -1, err)) != 0)
		return rc;
	lua_remove(L, -2);
	if ((rc = mxl_sandbox_call(&lab->sb, 0, 1, err)) != 0)
		return rc;
	lab->mod = luaL_ref(L, LUA_REGISTRYINDEX);
	return 0;
}

/* Runs the lab's file with the word 'lab', then checks what it gave. */
static int
lab_data(struct mxl_lab *lab, const char *path, struct mx_err *err)
{
	lua_State *L = lab->sb.L;
	char *buf = NULL; /* set by lab_read(); gcc -O2 cannot tell */
	size_t len = 0;
	int rc, env, result;

	if ((rc = lab_read(path, &buf, &len, err)) != 0)
		return rc;
	lab_fn(lab, "recorder");
	rc = mxl_sandbox_call(&lab->sb, 0, 2, err);
	if (rc != 0) {
		free(buf);
		return rc;
	}
	result = lua_absindex(L, -1);
	mxl_sandbox_push_env(&lab->sb);
	env = lua_gettop(L);
	lua_pushvalue(L, result - 1);
	lua_setfield(L, env, "lab");
	rc = mxl_sandbox_load(&lab->sb, buf, len, path, env, err);
	free(buf);
	if (rc == 0)
		rc = mxl_sandbox_call(&lab->sb, 0, 0, err);
	if (rc == 0) {
		lua_pushvalue(L, result);
		rc = mxl_sandbox_call(&lab->sb, 0, 1, err);
	}
	if (rc != 0)
		return rc;
	lua_pushvalue(L, -1);
	lab->lab = luaL_ref(L, LUA_REGISTRYINDEX);
	lab_fn(lab, "check");
	lua_insert(L, -2);
	if ((rc = mxl_sandbox_call(&lab->sb, 1, 2, err)) != 0)
		return rc;
	lab->title = mx_xstrdup(lua_tostring(L, -2));
	lab->scenario = mx_xstrdup(lua_tostring(L, -1));
	lua_settop(L, 0);
	return 0;
}

static int
lab_draw(struct mxl_lab *lab, struct mx_err *err)
{
	lua_State *L = lab->sb.L;
	int rc;

	lab_fn(lab, "draw");
	lua_rawgeti(L, LUA_REGISTRYINDEX, lab->lab);
	if ((rc = mxl_sandbox_call(&lab->sb, 1, 2, err)) != 0)
		return rc;
	lab->nparams = lab_strings(L, lua_absindex(L, -2), &lab->names);
	/* draw() returns two lists of one length. */
	if (lab_strings(L, lua_absindex(L, -1), &lab->values) != lab->nparams)
		abort();
	lua_settop(L, 0);
	return 0;
}

/* The lab's extra runs (lab { runs = { NAME = { param = value } } }). */
static int
lab_extra_runs(struct mxl_lab *lab, struct mx_err *err)
{
	lua_State *L = lab->sb.L;
	int rc;

	lab_fn(lab, "runs");
	lua_rawgeti(L, LUA_REGISTRYINDEX, lab->lab);
	if ((rc = mxl_sandbox_call(&lab->sb, 1, 2, err)) != 0)
		return rc;
	lab->nruns = lab_strings(L, lua_absindex(L, -2), &lab->runs);
	/* runs() returns two lists of one length. */
	if (lab_strings(L, lua_absindex(L, -1), &lab->rundefs) != lab->nruns)
		abort();
	lua_settop(L, 0);
	return 0;
}

/* The lab's sweep (lab { sweep = { ... } }) as 'mxsim sweep' options. */
static int
lab_sweep_args(struct mxl_lab *lab, struct mx_err *err)
{
	lua_State *L = lab->sb.L;
	int rc;

	lab_fn(lab, "sweep_args");
	lua_rawgeti(L, LUA_REGISTRYINDEX, lab->lab);
	if ((rc = mxl_sandbox_call(&lab->sb, 1, 1, err)) != 0)
		return rc;
	lab->nsweep = lab_strings(L, lua_absindex(L, -1), &lab->sweep);
	lua_settop(L, 0);
	return 0;
}

int
mxl_lab_open(
    struct mxl_lab *lab, const char *path, uint64_t seed, struct mx_err *err)
{
	struct mxl_limits lim;
	int rc;

	memset(lab, 0, sizeof(*lab));
	lab->mod = lab->lab = LUA_NOREF;
	mxl_limits_default(&lim);
	lim.has_seed = true;
	lim.seed = seed;
	if ((rc = mxl_sandbox_open(&lab->sb, &lim, err)) != 0)
		return rc;
	if ((rc = lab_module(lab, err)) != 0 ||
	    (rc = lab_data(lab, path, err)) != 0 ||
	    (rc = lab_draw(lab, err)) != 0 ||
	    (rc = lab_extra_runs(lab, err)) != 0 ||
	    (rc = lab_sweep_args(lab, err)) != 0) {
		mxl_lab_close(lab);
		return rc;
	}
	return 0;
}

void
mxl_lab_close(struct mxl_lab *lab)
{
	size_t i;

	if (lab->sb.L != NULL)
		mxl_sandbox_close(&lab->sb);
	for (i = 0; i < lab->nparams; i++) {
		free(lab->names[i]);
		free(lab->values[i]);
	}
	free(lab->names);
	free(lab->values);
	for (i = 0; i < lab->nruns; i++) {
		free(lab->runs[i]);
		free(lab->rundefs[i]);
	}
	free(lab->runs);
	free(lab->rundefs);
	for (i = 0; i < lab->nsweep; i++)
		free(lab->sweep[i]);
	free(lab->sweep);
	free(lab->title);
	free(lab->scenario);
	memset(lab, 0, sizeof(*lab));
}

/* Calls the function below 'nargs' arguments; its one string result
 * goes to '*out'. */
static int
lab_call_string(struct mxl_lab *lab, int nargs, char **out, struct mx_err *err)
{
	lua_State *L = lab->sb.L;
	int rc;

	if ((rc = mxl_sandbox_call(&lab->sb, nargs, 1, err)) != 0) {
		lua_settop(L, 0);
		return rc;
	}
	*out = mx_xstrdup(lua_tostring(L, -1));
	lua_settop(L, 0);
	return 0;
}

int
mxl_lab_bake(struct mxl_lab *lab, const char *text, const char *header,
    char **out, struct mx_err *err)
{
	lua_State *L = lab->sb.L;

	lab_fn(lab, "bake");
	lua_pushstring(L, text);
	lab_push_strings(L, lab->names, lab->nparams);
	lab_push_strings(L, lab->values, lab->nparams);
	lua_pushstring(L, header);
	return lab_call_string(lab, 4, out, err);
}

int
mxl_lab_key(struct mxl_lab *lab, const char *jsonl, size_t len,
    const char *header, char **key, struct mx_err *err)
{
	lua_State *L = lab->sb.L;
	int rc;

	lab_fn(lab, "key");
	lua_rawgeti(L, LUA_REGISTRYINDEX, lab->lab);
	lab_fn(lab, "run");
	lua_pushlstring(L, jsonl, len);
	lab_push_strings(L, lab->names, lab->nparams);
	lab_push_strings(L, lab->values, lab->nparams);
	if ((rc = mxl_sandbox_call(&lab->sb, 3, 1, err)) != 0) {
		lua_settop(L, 0);
		return rc;
	}
	lua_pushstring(L, header);
	return lab_call_string(lab, 3, key, err);
}

int
mxl_lab_mark(struct mxl_lab *lab, const char *answers, size_t len,
    char **report, size_t *wrong, struct mx_err *err)
{
	lua_State *L = lab->sb.L;
	int rc;

	lab_fn(lab, "mark");
	lua_rawgeti(L, LUA_REGISTRYINDEX, lab->lab);
	lua_pushlstring(L, answers, len);
	if ((rc = mxl_sandbox_call(&lab->sb, 2, 2, err)) != 0) {
		lua_settop(L, 0);
		/* mark() raises only for malformed answers. */
		(void)rc;
		return MX_EINVAL;
	}
	*report = mx_xstrdup(lua_tostring(L, -2));
	*wrong = (size_t)lua_tointeger(L, -1);
	lua_settop(L, 0);
	return 0;
}

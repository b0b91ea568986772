/*
 * scenario.c - from a Lua scenario to 'struct world'.
 *
 * The prelude (lua/prelude.lua, embedded) records declarations; this file
 * walks them in order and converts each body field by field.  Every field
 * is checked for its type, and every key of a body must be known: an
 * unknown one is an error that suggests the closest known name.  Keys are
 * checked in sorted order, so that the first error reported does not
 * depend on Lua's per-state hash order.
 *
 * Stack discipline: each converter receives the absolute index of the body
 * table and leaves the stack as it found it.
 */
#include "scenario.h"

#include <errno.h>
#include <lauxlib.h>
#include <lua.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/dur.h"
#include "../core/text.h"
#include "../net/tcp.h"
#include "../smtp/smtpwire.h"
#include "embedded.h"

struct conv {
	lua_State *L;                  /* the sandbox's state */
	struct world *w;               /* being filled */
	struct mx_err *err;            /* where errors go */
	const char *file;              /* borrowed: the declaration's file */
	int line;                      /* the declaration's line */
	char what[300];                /* "host 'mx1'", for messages */
	const struct mxl_override *ov; /* borrowed: compare mode, or NULL */
};

const struct mxl_file *
mxl_file_find(const char *name)
{
	size_t i;

	for (i = 0; i < mxl_nfiles; i++)
		if (strcmp(mxl_files[i].name, name) == 0)
			return &mxl_files[i];
	return NULL;
}

static int cerr(struct conv *c, const char *fmt, ...) MX_PRINTF(2, 3);

static int
cerr(struct conv *c, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return mx_err_set(c->err, MX_ESCRIPT, "%s:%d: %s: %s", c->file, c->line,
	    c->what, msg);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* An unknown key with no near miss: list the known ones when they are
 * few enough to read (a sender's knobs are not: 'mxsim profiles' lists
 * them). */
static int
unknown_key(
    struct conv *c, const char *key, const char *const *known, size_t nk)
{
	const char *sorted[16];
	char list[300];
	size_t i, off = 0;

	if (nk > sizeof(sorted) / sizeof(sorted[0]))
		return cerr(c, "unknown field '%s'", key);
	for (i = 0; i < nk; i++)
		sorted[i] = known[i];
	qsort(sorted, nk, sizeof(sorted[0]), cmp_str);
	list[0] = '\0';
	for (i = 0; i < nk && off < sizeof(list); i++)
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
		    i ? ", " : "", sorted[i]);
	return cerr(c, "unknown field '%s' (the fields are %s)", key, list);
}

/* Every key of the table at 'idx' must be in 'known' (NULL-terminated);
 * positional (integer) keys are allowed only with 'positional'. */
static int
check_keys(struct conv *c, int idx, const char *const *known, bool positional)
{
	lua_State *L = c->L;
	const char *keys[128];
	size_t n = 0, i, nk = 0;
	int rc = 0;

	while (known[nk] != NULL)
		nk++;
	lua_pushnil(L);
	while (lua_next(L, idx) != 0) {
		lua_pop(L, 1);
		if (lua_type(L, -1) == LUA_TNUMBER) {
			if (!positional) {
				lua_pop(L, 1);
				return cerr(c, "unexpected positional value "
				               "(give fields as name = value)");
			}
			continue;
		}
		if (lua_type(L, -1) != LUA_TSTRING) {
			lua_pop(L, 1);
			return cerr(c, "field names must be words");
		}
		if (n < sizeof(keys) / sizeof(keys[0]))
			keys[n++] = lua_tostring(L, -1);
	}
	qsort(keys, n, sizeof(keys[0]), cmp_str);
	for (i = 0; i < n && rc == 0; i++) {
		size_t k;
		bool ok = false;

		for (k = 0; k < nk; k++)
			if (strcmp(keys[i], known[k]) == 0)
				ok = true;
		if (!ok) {
			const char *s = text_closest(keys[i], known, nk);

			if (s != NULL)
				rc = cerr(c,
				    "unknown field '%s' (did you mean "
				    "'%s'?)",
				    keys[i], s);
			else
				rc = unknown_key(c, keys[i], known, nk);
		}
	}
	return rc;
}

static const char *
type_name(lua_State *L, int idx)
{
	return lua_typename(L, lua_type(L, idx));
}

/* Pushes body[key]; returns its Lua type. */
static int
field(struct conv *c, int idx, const char *key)
{
	return lua_getfield(c->L, idx, key);
}

static int
opt_string(struct conv *c, int idx, const char *key, char **out)
{
	int t = field(c, idx, key);

	if (t == LUA_TNIL) {
		lua_pop(c->L, 1);
		return 0;
	}
	if (t != LUA_TSTRING) {
		int rc = cerr(c, "'%s' must be a string, got %s", key,
		    type_name(c->L, -1));

		lua_pop(c->L, 1);
		return rc;
	}
	free(*out);
	*out = mx_xstrdup(lua_tostring(c->L, -1));
	lua_pop(c->L, 1);
	return 0;
}

/* A duration value at stack index 'vi': "30s" or a number of seconds. */
static int
to_duration(struct conv *c, int vi, const char *key, sim_time_t *out)
{
	lua_State *L = c->L;
	char why[128];

	if (lua_type(L, vi) == LUA_TNUMBER) {
		if (!dur_from_seconds(lua_tonumber(L, vi), out))
			return cerr(c,
			    "'%s': %g is not a duration (seconds >= "
			    "0)",
			    key, lua_tonumber(L, vi));
		return 0;
	}
	if (lua_type(L, vi) == LUA_TSTRING) {
		if (!dur_parse(lua_tostring(L, vi), out, why, sizeof(why)))
			return cerr(c, "'%s': bad duration \"%s\": %s", key,
			    lua_tostring(L, vi), why);
		return 0;
	}
	return cerr(c, "'%s' must be a duration like \"30s\", got %s", key,
	    type_name(L, vi));
}

static int
opt_duration(
    struct conv *c, int idx, const char *key, sim_time_t *out, bool *present)
{
	int rc = 0;

	if (field(c, idx, key) != LUA_TNIL) {
		rc = to_duration(c, -1, key, out);
		if (present != NULL && rc == 0)
			*present = true;
	}
	lua_pop(c->L, 1);
	return rc;
}

static int
opt_int(struct conv *c, int idx, const char *key, long long lo, long long hi,
    long long *out, bool *present)
{
	lua_State *L = c->L;
	int rc = 0;

	if (field(c, idx, key) != LUA_TNIL) {
		int isint = 0;
		lua_Integer v = lua_tointegerx(L, -1, &isint);

		if (!isint || lua_type(L, -1) != LUA_TNUMBER)
			rc = cerr(c, "'%s' must be a whole number, got %s", key,
			    lua_type(L, -1) == LUA_TNUMBER ? "a fraction"
			                                   : type_name(L, -1));
		else if (v < lo || v > hi)
			rc = cerr(c, "'%s' must be from %lld to %lld, got %lld",
			    key, lo, hi, (long long)v);
		else {
			*out = (long long)v;
			if (present != NULL)
				*present = true;
		}
	}
	lua_pop(L, 1);
	return rc;
}

static int
opt_bool(struct conv *c, int idx, const char *key, bool *out)
{
	int rc = 0, t = field(c, idx, key);

	if (t == LUA_TBOOLEAN)
		*out = lua_toboolean(c->L, -1);
	else if (t != LUA_TNIL)
		rc = cerr(c, "'%s' must be true or false, got %s", key,
		    type_name(c->L, -1));
	lua_pop(c->L, 1);
	return rc;
}

/* A string or a list of strings (when 'single' is allowed). */
static int
opt_strlist(struct conv *c, int idx, const char *key, bool single, char ***out,
    size_t *n)
{
	lua_State *L = c->L;
	int t = field(c, idx, key), rc = 0;
	lua_Integer i, len;

	if (t == LUA_TNIL) {
		lua_pop(L, 1);
		return 0;
	}
	if (t == LUA_TSTRING && single) {
		*out = mx_xcalloc(1, sizeof(**out));
		(*out)[0] = mx_xstrdup(lua_tostring(L, -1));
		*n = 1;
		lua_pop(L, 1);
		return 0;
	}
	if (t != LUA_TTABLE) {
		rc = cerr(c, "'%s' must be %sa list of strings, got %s", key,
		    single ? "a string or " : "", type_name(L, -1));
		lua_pop(L, 1);
		return rc;
	}
	len = (lua_Integer)lua_rawlen(L, -1);
	*out = mx_xcalloc((size_t)len + 1, sizeof(**out));
	*n = 0;
	for (i = 1; i <= len && rc == 0; i++) {
		if (lua_rawgeti(L, -1, i) != LUA_TSTRING)
			rc = cerr(c, "'%s': item %lld must be a string, got %s",
			    key, (long long)i, type_name(L, -1));
		else
			(*out)[(*n)++] = mx_xstrdup(lua_tostring(L, -1));
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return rc;
}

static int
req(struct conv *c, int idx, const char *key)
{
	int t = field(c, idx, key);

	lua_pop(c->L, 1);
	if (t == LUA_TNIL)
		return cerr(c, "'%s' is required", key);
	return 0;
}

/* --- profiles and knobs ------------------------------------------------- */

/* Sets knob 'k' from the value at stack index 'vi'. */
static int
set_knob(
    struct conv *c, struct mta_profile *p, const struct mta_knob *k, int vi)
{
	lua_State *L = c->L;
	sim_time_t d;
	int rc, isint = 0;

	vi = lua_absindex(L, vi);
	switch (k->type) {
	case KNOB_DURATION:
		if ((rc = to_duration(c, vi, k->name, &d)) != 0)
			return rc;
		mta_knob_set_duration(p, k, d);
		return 0;
	case KNOB_DURLIST: {
		sim_time_t v[MTA_RETRY_MAX];
		size_t n = 0;
		lua_Integer i, len;

		if (lua_type(L, vi) != LUA_TTABLE) {
			if ((rc = to_duration(c, vi, k->name, &v[0])) != 0)
				return rc;
			n = 1;
		} else {
			len = (lua_Integer)lua_rawlen(L, vi);
			if (len < 1 || len > MTA_RETRY_MAX)
				return cerr(c,
				    "'%s' must list 1 to %d "
				    "durations",
				    k->name, MTA_RETRY_MAX);
			for (i = 1; i <= len; i++) {
				lua_rawgeti(L, vi, i);
				rc = to_duration(c, -1, k->name, &v[n++]);
				lua_pop(L, 1);
				if (rc != 0)
					return rc;
			}
		}
		if (!mta_knob_set_durlist(p, k, v, n))
			return cerr(c,
			    "'%s': every delay must be longer than "
			    "0s",
			    k->name);
		return 0;
	}
	case KNOB_INT: {
		lua_Integer v = lua_tointegerx(L, vi, &isint);

		if (!isint || lua_type(L, vi) != LUA_TNUMBER ||
		    !mta_knob_set_int(p, k, (long long)v))
			return cerr(
			    c, "'%s' must be a whole number >= 0", k->name);
		return 0;
	}
	case KNOB_BOOL:
		if (lua_type(L, vi) != LUA_TBOOLEAN)
			return cerr(c, "'%s' must be true or false, got %s",
			    k->name, type_name(L, vi));
		mta_knob_set_bool(p, k, lua_toboolean(L, vi));
		return 0;
	case KNOB_ENUM: {
		char list[200];
		size_t off = 0, i;

		if (lua_type(L, vi) == LUA_TSTRING &&
		    mta_knob_set_enum(p, k, lua_tostring(L, vi)))
			return 0;
		list[0] = '\0';
		for (i = 0; k->choices[i] != NULL && off < sizeof(list) - 40;
		     i++)
			off += (size_t)snprintf(list + off, sizeof(list) - off,
			    "%s\"%s\"", i ? ", " : "", k->choices[i]);
		if (lua_type(L, vi) == LUA_TSTRING)
			return cerr(c, "'%s' must be one of %s, got \"%s\"",
			    k->name, list, lua_tostring(L, vi));
		return cerr(c, "'%s' must be one of %s, got %s", k->name, list,
		    type_name(L, vi));
	}
	case KNOB_RULES:
		if (lua_type(L, vi) != LUA_TSTRING ||
		    !mta_knob_set_rules(p, k, lua_tostring(L, vi)))
			return cerr(c,
			    "'%s' must be Exim retry rules such as "
			    "\"F,2h,15m; G,16h,1h,1.5; F,4d,6h\"",
			    k->name);
		return 0;
	}
	return 0;
}

/* Applies every key of the table at 'idx' except those in 'skip' as a
 * knob; unknown keys are errors with a suggestion. */
static int
apply_knobs(
    struct conv *c, struct mta_profile *p, int idx, const char *const *skip)
{
	const char *known[64];
	size_t nk = 0, n, i;
	const struct mta_knob *kt = mta_knobs(&n);
	int rc;

	for (i = 0; skip[i] != NULL; i++)
		known[nk++] = skip[i];
	for (i = 0; i < n; i++)
		known[nk++] = kt[i].name;
	known[nk] = NULL;
	if ((rc = check_keys(c, idx, known, false)) != 0)
		return rc;
	/* In the knob table's order: deterministic whatever Lua's hash
	 * order. */
	for (i = 0; i < n; i++) {
		if (field(c, idx, kt[i].name) != LUA_TNIL) {
			rc = set_knob(c, p, &kt[i], -1);
			if (rc != 0) {
				lua_pop(c->L, 1);
				return rc;
			}
		}
		lua_pop(c->L, 1);
	}
	return 0;
}

static int
cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

size_t
mxl_profile_names(const char **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < mxl_nfiles && n < max; i++) {
		const char *f = mxl_files[i].name;

		if (strncmp(f, "profiles/", 9) == 0)
			out[n++] = f + 9;
	}
	qsort(out, n, sizeof(*out), cmp_cstr);
	return n;
}

/* Loads profile 'name' with the sandbox 'sb' (already open). */
static int
profile_load_in(struct mxl_sandbox *sb, const char *name, struct mta_profile *p,
    char *desc, size_t desclen, struct mx_err *err)
{
	static const char *const skip[] = {"description", NULL};
	lua_State *L = sb->L;
	char fname[128];
	const struct mxl_file *f;
	struct conv c;
	int rc, top = lua_gettop(L);

	snprintf(fname, sizeof(fname), "profiles/%s.lua", name);
	f = mxl_file_find(fname);
	if (f == NULL) {
		const char *names[64];
		size_t n = mxl_profile_names(names, 64), i;
		char list[512], base[64][40];
		const char *cands[64];
		const char *s;
		size_t off = 0;

		for (i = 0; i < n; i++) {
			size_t l = strlen(names[i]);

			snprintf(base[i], sizeof(base[i]), "%.*s",
			    (int)(l > 4 ? l - 4 : l), names[i]);
			cands[i] = base[i];
			off += (size_t)snprintf(list + off, sizeof(list) - off,
			    "%s%s", i ? ", " : "", base[i]);
			if (off >= sizeof(list))
				off = sizeof(list) - 1;
		}
		s = text_closest(name, cands, n);
		if (s != NULL)
			return mx_err_set(err, MX_ENOENT,
			    "no profile named '%s' (did you mean '%s'?)", name,
			    s);
		return mx_err_set(err, MX_ENOENT,
		    "no profile named '%s' (profiles: %s)", name, list);
	}
	mxl_sandbox_push_env(sb);
	rc = mxl_sandbox_load(sb, f->data, f->len, fname, -1, err);
	if (rc == 0)
		rc = mxl_sandbox_call(sb, 0, 1, err);
	if (rc != 0) {
		lua_settop(L, top);
		return rc;
	}
	if (lua_type(L, -1) != LUA_TTABLE) {
		lua_settop(L, top);
		return mx_err_set(err, MX_ESCRIPT,
		    "%s: a profile must return a table", fname);
	}
	memset(&c, 0, sizeof(c));
	c.L = L;
	c.err = err;
	c.file = fname;
	c.line = 1;
	snprintf(c.what, sizeof(c.what), "profile '%s'", name);
	mta_profile_defaults(p);
	snprintf(p->name, sizeof(p->name), "%s", name);
	rc = apply_knobs(&c, p, lua_gettop(L), skip);
	if (rc == 0 && desc != NULL) {
		desc[0] = '\0';
		if (lua_getfield(L, -1, "description") == LUA_TSTRING)
			snprintf(desc, desclen, "%s", lua_tostring(L, -1));
		lua_pop(L, 1);
	}
	lua_settop(L, top);
	return rc;
}

int
mxl_profile_load(const char *name, struct mta_profile *p, char *desc,
    size_t desclen, struct mx_err *err)
{
	struct mxl_sandbox sb;
	struct mxl_limits lim;
	int rc;

	mxl_limits_default(&lim);
	if ((rc = mxl_sandbox_open(&sb, &lim, err)) != 0)
		return rc;
	rc = profile_load_in(&sb, name, p, desc, desclen, err);
	mxl_sandbox_close(&sb);
	return rc;
}

/* --- declarations -------------------------------------------------------- */

static int
conv_scenario(struct conv *c, int b, const char *name)
{
	static const char *const keys[] = {
	    "description", "seed", "stop_at", "latency", NULL};
	struct world *w = c->w;
	long long seed;
	bool has = false;
	int rc;

	if (w->at.line != 0)
		return cerr(c,
		    "a file declares one scenario; the first is at "
		    "line %d",
		    w->at.line);
	w->at.file = c->file;
	w->at.line = c->line;
	free(w->name);
	w->name = mx_xstrdup(name);
	if ((rc = check_keys(c, b, keys, false)) != 0 ||
	    (rc = opt_string(c, b, "description", &w->description)) != 0 ||
	    (rc = opt_int(
	         c, b, "seed", 0, (long long)INT64_MAX, &seed, &has)) != 0 ||
	    (rc = opt_duration(c, b, "stop_at", &w->stop_at, NULL)) != 0 ||
	    (rc = opt_duration(c, b, "latency", &w->latency, NULL)) != 0)
		return rc;
	if (has)
		w->seed = (uint64_t)seed;
	return 0;
}

/* A zone row value (string or number) as text. */
static int
row_value(struct conv *c, int vi, int rowno, int col, char **out)
{
	lua_State *L = c->L;
	char buf[64];

	if (lua_type(L, vi) == LUA_TSTRING) {
		*out = mx_xstrdup(lua_tostring(L, vi));
		return 0;
	}
	if (lua_type(L, vi) == LUA_TNUMBER && lua_isinteger(L, vi)) {
		snprintf(
		    buf, sizeof(buf), "%lld", (long long)lua_tointeger(L, vi));
		*out = mx_xstrdup(buf);
		return 0;
	}
	return cerr(c,
	    "record %d, field %d must be a string or a whole "
	    "number, got %s",
	    rowno, col, type_name(L, vi));
}

/* The rows of the array part of the table at 'b' (zone records as
 * { owner, type, data..., ttl = ... }); allocates '*rows'. */
static int
conv_rows(struct conv *c, int b, struct world_row **rows, size_t *nrows)
{
	static const char *const rowkeys[] = {"ttl", NULL};
	lua_State *L = c->L;
	lua_Integer i, len = (lua_Integer)lua_rawlen(L, b);
	int rc;

	*rows = mx_xcalloc((size_t)len + 1, sizeof(**rows));
	*nrows = 0;
	for (i = 1; i <= len; i++) {
		struct world_row *r = &(*rows)[*nrows];
		lua_Integer j, rlen;
		int ri;

		if (lua_rawgeti(L, b, i) != LUA_TTABLE) {
			rc = cerr(c,
			    "record %lld must be a table like { \"@\", "
			    "\"MX\", 10, \"mx1\" }, got %s",
			    (long long)i, type_name(L, -1));
			lua_pop(L, 1);
			return rc;
		}
		ri = lua_gettop(L);
		r->at.file = c->file;
		r->at.line = c->line;
		r->index = (int)i;
		(*nrows)++;
		rlen = (lua_Integer)lua_rawlen(L, ri);
		if (rlen < 3) {
			lua_pop(L, 1);
			return cerr(c,
			    "record %lld needs an owner, a type and "
			    "data",
			    (long long)i);
		}
		snprintf(c->what + strlen(c->what),
		    sizeof(c->what) - strlen(c->what), ", record %lld",
		    (long long)i);
		rc = check_keys(c, ri, rowkeys, true);
		if (rc == 0) {
			sim_time_t rt;
			bool has = false;

			rc = opt_duration(c, ri, "ttl", &rt, &has);
			if (rc == 0 && has) {
				r->has_ttl = true;
				r->ttl = (uint32_t)(rt / SIM_S(1));
			}
		}
		*strrchr(c->what, ',') = '\0';
		if (rc != 0) {
			lua_pop(L, 1);
			return rc;
		}
		lua_rawgeti(L, ri, 1);
		rc = row_value(c, -1, (int)i, 1, &r->owner);
		lua_pop(L, 1);
		if (rc == 0) {
			lua_rawgeti(L, ri, 2);
			rc = row_value(c, -1, (int)i, 2, &r->type);
			lua_pop(L, 1);
		}
		if (rc == 0) {
			r->rdata = mx_xcalloc((size_t)rlen, sizeof(char *));
			for (j = 3; j <= rlen && rc == 0; j++) {
				lua_rawgeti(L, ri, j);
				rc = row_value(c, -1, (int)i, (int)j,
				    &r->rdata[r->nrdata]);
				if (rc == 0)
					r->nrdata++;
				lua_pop(L, 1);
			}
		}
		lua_pop(L, 1);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* Zone names are kept without the final dot: "example.test." becomes
 * "example.test" and "." (the root) "". */
static void
name_strip_dot(char *name)
{
	size_t n = strlen(name);

	if (n > 0 && name[n - 1] == '.')
		name[n - 1] = '\0';
}

/* A master file named in an included file is relative to that file's
 * folder; world.c takes paths from the scenario's folder, so prefix the
 * included file's folder as seen from there (include() builds included
 * names from the scenario's folder, so it is a prefix of theirs). */
static void
zone_file_from(const struct conv *c, char **file)
{
	const char *main = c->w->file, *ms = strrchr(main, '/');
	const char *fs = strrchr(c->file, '/');
	size_t mdir = ms ? (size_t)(ms - main + 1) : 0;
	size_t fdir = fs ? (size_t)(fs - c->file + 1) : 0;
	char *p;

	if ((*file)[0] == '/' || c->file == main || fdir <= mdir ||
	    strncmp(c->file, main, mdir) != 0)
		return;
	p = mx_xmalloc(fdir - mdir + strlen(*file) + 1);
	memcpy(p, c->file + mdir, fdir - mdir);
	strcpy(p + fdir - mdir, *file);
	free(*file);
	*file = p;
}

static int
conv_zone(struct conv *c, int b, const char *name)
{
	static const char *const keys[] = {"ttl", "file", NULL};
	struct world_zone *z = world_add_zone(c->w);
	sim_time_t ttl = SIM_H(1);
	int rc;

	z->at.file = c->file;
	z->at.line = c->line;
	z->origin = mx_xstrdup(name);
	name_strip_dot(z->origin);
	if (!dns_name_valid(z->origin))
		return cerr(c, "'%s' is not a valid domain name", name);
	if ((rc = check_keys(c, b, keys, true)) != 0 ||
	    (rc = opt_duration(c, b, "ttl", &ttl, NULL)) != 0 ||
	    (rc = opt_string(c, b, "file", &z->file)) != 0)
		return rc;
	if (ttl % SIM_S(1) != 0 || ttl / SIM_S(1) > INT32_MAX)
		return cerr(c, "'ttl' must be whole seconds up to 68 years");
	z->ttl = (uint32_t)(ttl / SIM_S(1));
	if (z->file != NULL && z->file[0] == '\0')
		return cerr(c, "'file' is empty: give the path of a master "
		               "file, relative to the scenario");
	if (z->file != NULL)
		zone_file_from(c, &z->file);
	if (z->file != NULL && lua_rawlen(c->L, b) > 0)
		return cerr(
		    c, "give the records inline or in 'file', not both");
	return conv_rows(c, b, &z->rows, &z->nrows);
}

/* zone_change { at, zone, add = { rows }, remove = { rows } } */
static int
conv_change(struct conv *c, int b)
{
	static const char *const keys[] = {"at", "zone", "add", "remove", NULL};
	lua_State *L = c->L;
	struct world_change *ch = world_add_change(c->w);
	static const char *const lists[2] = {"add", "remove"};
	int rc, k;

	ch->at.file = c->file;
	ch->at.line = c->line;
	if ((rc = check_keys(c, b, keys, false)) != 0 ||
	    (rc = req(c, b, "at")) != 0 || (rc = req(c, b, "zone")) != 0 ||
	    (rc = opt_duration(c, b, "at", &ch->t, NULL)) != 0 ||
	    (rc = opt_string(c, b, "zone", &ch->zone)) != 0)
		return rc;
	name_strip_dot(ch->zone);
	for (k = 0; k < 2; k++) {
		int t = field(c, b, lists[k]);

		if (t == LUA_TNIL) {
			lua_pop(L, 1);
			continue;
		}
		if (t != LUA_TTABLE) {
			rc =
			    cerr(c, "'%s' must be a list of records", lists[k]);
			lua_pop(L, 1);
			return rc;
		}
		snprintf(c->what, sizeof(c->what), "zone_change, %s", lists[k]);
		rc = k == 0 ? conv_rows(c, lua_gettop(L), &ch->add, &ch->nadd)
		            : conv_rows(c, lua_gettop(L), &ch->del, &ch->ndel);
		snprintf(c->what, sizeof(c->what), "zone_change");
		lua_pop(L, 1);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* A bandwidth: "100Mbit", "10Mbps", "1Gbit", "64kbit", "2.5Mbit" or a
 * number of bits per second. */
static bool
parse_bandwidth(const char *s, uint64_t *out)
{
	static const struct {
		const char *unit;
		double mult;
	} units[] = {
	    {"Gbit", 1e9},
	    {"Gbps", 1e9},
	    {"Mbit", 1e6},
	    {"Mbps", 1e6},
	    {"kbit", 1e3},
	    {"kbps", 1e3},
	    {"bit", 1},
	    {"bps", 1},
	};
	char *end;
	double v;
	size_t i;

	v = strtod(s, &end);
	if (end == s || v <= 0)
		return false;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(end, units[i].unit) == 0) {
			v *= units[i].mult;
			if (v < 1 || v > 1e15)
				return false;
			*out = (uint64_t)v;
			return true;
		}
	return false;
}

/* link = { latency, jitter, loss, bandwidth } */
static int
opt_link(struct conv *c, int b, const char *key, struct world_linkp *lp)
{
	static const char *const keys[] = {
	    "latency", "jitter", "loss", "bandwidth", NULL};
	lua_State *L = c->L;
	int t = field(c, b, key), l, rc;
	char what[300];

	if (t == LUA_TNIL) {
		lua_pop(L, 1);
		return 0;
	}
	if (t != LUA_TTABLE) {
		rc = cerr(c,
		    "'%s' must be a table like { latency = \"10ms\" }, "
		    "got %s",
		    key, type_name(L, -1));
		lua_pop(L, 1);
		return rc;
	}
	l = lua_gettop(L);
	snprintf(what, sizeof(what), "%s", c->what);
	snprintf(c->what + strlen(c->what), sizeof(c->what) - strlen(c->what),
	    ", %s", key);
	rc = check_keys(c, l, keys, false);
	if (rc == 0)
		rc = opt_duration(
		    c, l, "latency", &lp->latency, &lp->has_latency);
	if (rc == 0)
		rc = opt_duration(c, l, "jitter", &lp->jitter, &lp->has_jitter);
	if (rc == 0 && field(c, l, "loss") != LUA_TNIL) {
		if (lua_type(L, -1) != LUA_TNUMBER || lua_tonumber(L, -1) < 0 ||
		    lua_tonumber(L, -1) >= 1)
			rc =
			    cerr(c, "'loss' must be a number from 0 to below 1 "
			            "(0.01 = 1%%)");
		else {
			lp->loss = lua_tonumber(L, -1);
			lp->has_loss = true;
		}
	}
	if (rc == 0)
		lua_pop(L, 1);
	if (rc == 0 && field(c, l, "bandwidth") != LUA_TNIL) {
		if (lua_type(L, -1) == LUA_TNUMBER &&
		    lua_tonumber(L, -1) >= 1) {
			lp->bandwidth = (uint64_t)lua_tonumber(L, -1);
			lp->has_bandwidth = true;
		} else if (lua_type(L, -1) == LUA_TSTRING &&
		           parse_bandwidth(lua_tostring(L, -1), &lp->bandwidth))
			lp->has_bandwidth = true;
		else
			rc = cerr(c, "'bandwidth' must be like \"100Mbit\", "
			             "\"10Mbps\" or \"1Gbit\"");
	}
	if (rc == 0)
		lua_pop(L, 1);
	snprintf(c->what, sizeof(c->what), "%s", what);
	lua_settop(L, l - 1);
	return rc;
}

/* tcp = { syn_retries, syn_linear_timeouts, ... }: the host's stack. */
static int
opt_tcp(struct conv *c, int b, struct world_host *h)
{
	static const char *const keys[] = {"syn_retries", "syn_linear_timeouts",
	    "synack_retries", "rto_initial", "rto_min", "rto_max", "retries2",
	    "mss", "time_wait", NULL};
	lua_State *L = c->L;
	int t = field(c, b, "tcp"), l, rc;
	long long v;
	bool has = false;
	char what[300];

	tcp_params_default(&h->tcp);
	if (t == LUA_TNIL) {
		lua_pop(L, 1);
		return 0;
	}
	if (t != LUA_TTABLE) {
		rc = cerr(c, "'tcp' must be a table, got %s", type_name(L, -1));
		lua_pop(L, 1);
		return rc;
	}
	h->has_tcp = true;
	l = lua_gettop(L);
	snprintf(what, sizeof(what), "%s", c->what);
	snprintf(c->what + strlen(c->what), sizeof(c->what) - strlen(c->what),
	    ", tcp");
#define INTK(name, lo, hi, dst)                                                \
	do {                                                                   \
		has = false;                                                   \
		if (rc == 0)                                                   \
			rc = opt_int(c, l, name, lo, hi, &v, &has);            \
		if (rc == 0 && has)                                            \
			dst = (int)v;                                          \
	} while (0)
	rc = check_keys(c, l, keys, false);
	INTK("syn_retries", 1, 127, h->tcp.syn_retries);
	INTK("syn_linear_timeouts", 0, 127, h->tcp.syn_linear_timeouts);
	INTK("synack_retries", 1, 127, h->tcp.synack_retries);
	INTK("retries2", 1, 255, h->tcp.retries2);
	has = false;
	if (rc == 0)
		rc = opt_int(c, l, "mss", 88, 1460, &v, &has);
	if (rc == 0 && has)
		h->tcp.mss = (uint16_t)v;
#undef INTK
	if (rc == 0)
		rc = opt_duration(
		    c, l, "rto_initial", &h->tcp.rto_initial, NULL);
	if (rc == 0)
		rc = opt_duration(c, l, "rto_min", &h->tcp.rto_min, NULL);
	if (rc == 0)
		rc = opt_duration(c, l, "rto_max", &h->tcp.rto_max, NULL);
	if (rc == 0)
		rc = opt_duration(c, l, "time_wait", &h->tcp.time_wait, NULL);
	if (rc == 0 && (h->tcp.rto_initial <= 0 || h->tcp.rto_min <= 0 ||
	                   h->tcp.rto_max < h->tcp.rto_min))
		rc = cerr(c, "RTOs must be above 0 and rto_max at least "
		             "rto_min");
	snprintf(c->what, sizeof(c->what), "%s", what);
	lua_settop(L, l - 1);
	return rc;
}

static int
conv_site(struct conv *c, int b, const char *name)
{
	static const char *const keys[] = {"hosts", "link", "router", NULL};
	struct world_site *st = world_add_site(c->w);
	char **routers = NULL;
	size_t nr = 0, i;
	int rc;

	st->at.file = c->file;
	st->at.line = c->line;
	st->name = mx_xstrdup(name);
	if ((rc = check_keys(c, b, keys, false)) != 0 ||
	    (rc = req(c, b, "hosts")) != 0 ||
	    (rc = opt_strlist(c, b, "hosts", true, &st->hosts, &st->nhosts)) !=
	        0 ||
	    (rc = opt_link(c, b, "link", &st->link)) != 0 ||
	    (rc = opt_strlist(c, b, "router", true, &routers, &nr)) != 0)
		goto out;
	for (i = 0; i < nr && rc == 0; i++) {
		if (st->nrouter == NET_MAX_ADDRS)
			rc = cerr(
			    c, "'router': at most %d addresses", NET_MAX_ADDRS);
		else if (!net_addr_parse(
		             routers[i], &st->router[st->nrouter++]))
			rc = cerr(c, "'router': bad address '%s'", routers[i]);
	}
out:
	for (i = 0; i < nr; i++)
		free(routers[i]);
	free(routers);
	return rc;
}

/* Pushes the role table body[key] and names it in messages; returns 1
 * (pushed), 0 (absent) or an error (nothing pushed either way). */
static int
role_open(struct conv *c, int b, const char *host, const char *key)
{
	int t = field(c, b, key), rc;

	if (t == LUA_TNIL) {
		lua_pop(c->L, 1);
		return 0;
	}
	if (t != LUA_TTABLE) {
		rc = cerr(c, "'%s' must be a table, got %s", key,
		    type_name(c->L, -1));
		lua_pop(c->L, 1);
		return rc;
	}
	snprintf(c->what, sizeof(c->what), "host '%s', %s", host, key);
	return 1;
}

static void
role_close(struct conv *c, const char *host)
{
	lua_pop(c->L, 1);
	snprintf(c->what, sizeof(c->what), "host '%s'", host);
}

/* Compare mode replaces the profile of every sender, or of one host. */
static bool
override_applies(const struct conv *c, const char *host)
{
	return c->ov != NULL && c->ov->profile != NULL &&
	       (c->ov->host == NULL || strcmp(c->ov->host, host) == 0);
}

static int
conv_host(struct conv *c, int b, const char *name)
{
	static const char *const keys[] = {"addr", "addrs", "hostname", "dns",
	    "smtp", "sender", "resolver", "link", "tcp", NULL};
	static const char *const dnskeys[] = {"serves", NULL};
	static const char *const smtpkeys[] = {
	    "mailboxes", "size_limit", "max_conns", "relay", NULL};
	static const char *const sndskip[] = {"profile", "resolver", NULL};
	lua_State *L = c->L;
	struct world_host *h = world_add_host(c->w);
	char *addr = NULL, **addrs = NULL;
	size_t naddrs = 0, i;
	int rc;

	h->at.file = c->file;
	h->at.line = c->line;
	h->name = mx_xstrdup(name);
	if ((rc = check_keys(c, b, keys, false)) != 0 ||
	    (rc = opt_string(c, b, "addr", &addr)) != 0 ||
	    (rc = opt_strlist(c, b, "addrs", false, &addrs, &naddrs)) != 0 ||
	    (rc = opt_string(c, b, "hostname", &h->hostname)) != 0)
		goto out;
	if (addr != NULL) {
		if (!net_addr_parse(addr, &h->addr[h->naddr])) {
			rc = cerr(c,
			    "bad address '%s' (an IPv4 or IPv6 "
			    "address, like \"192.0.2.10\")",
			    addr);
			goto out;
		}
		h->naddr++;
	}
	for (i = 0; i < naddrs; i++) {
		if (h->naddr == NET_MAX_ADDRS) {
			rc = cerr(c, "at most %d addresses", NET_MAX_ADDRS);
			goto out;
		}
		if (!net_addr_parse(addrs[i], &h->addr[h->naddr])) {
			rc = cerr(c, "bad address '%s' in 'addrs'", addrs[i]);
			goto out;
		}
		h->naddr++;
	}
	if (h->hostname != NULL && !dns_name_valid(h->hostname)) {
		rc = cerr(c, "'hostname' must be a domain name");
		goto out;
	}
	if ((rc = opt_link(c, b, "link", &h->link)) != 0 ||
	    (rc = opt_tcp(c, b, h)) != 0)
		goto out;
	/* resolver = { roots = { ... }, timeout = "1s" } */
	if ((rc = role_open(c, b, name, "resolver")) == 1) {
		static const char *const rkeys[] = {"roots", "timeout", NULL};
		int r = lua_gettop(L);
		bool has_timeout = false;

		h->recursive = true;
		rc = check_keys(c, r, rkeys, false);
		if (rc == 0)
			rc = opt_strlist(
			    c, r, "roots", true, &h->roots, &h->nroots);
		if (rc == 0 && h->roots != NULL && h->nroots == 0)
			rc = cerr(c, "'roots' is empty (leave it out to start "
			             "from the hosts that serve \".\")");
		if (rc == 0)
			rc = opt_duration(
			    c, r, "timeout", &h->rec_timeout, &has_timeout);
		/* 0 would mean the default: say so rather than guess. */
		if (rc == 0 && has_timeout && h->rec_timeout <= 0)
			rc = cerr(c, "'timeout' must be longer than 0s (the "
			             "default is 1s)");
		role_close(c, name);
	}
	if (rc != 0)
		goto out;
	/* dns = { serves = { ... } } */
	if ((rc = role_open(c, b, name, "dns")) == 1) {
		int d = lua_gettop(L);

		h->dns = true;
		rc = check_keys(c, d, dnskeys, false);
		if (rc == 0)
			rc = opt_strlist(
			    c, d, "serves", true, &h->serves, &h->nserves);
		for (size_t k = 0; rc == 0 && k < h->nserves; k++)
			name_strip_dot(h->serves[k]);
		role_close(c, name);
	}
	if (rc != 0)
		goto out;
	/* smtp = { ... } */
	if ((rc = role_open(c, b, name, "smtp")) == 1) {
		int s = lua_gettop(L);
		long long v;
		bool relay = false, has = false;

		h->smtp = true;
		rc = check_keys(c, s, smtpkeys, false);
		if (rc == 0)
			rc = opt_strlist(c, s, "mailboxes", false,
			    &h->mailboxes, &h->nmailboxes);
		if (rc == 0)
			rc =
			    opt_int(c, s, "size_limit", 1, 1LL << 40, &v, &has);
		if (rc == 0 && has)
			h->size_limit = (size_t)v;
		has = false;
		if (rc == 0)
			rc = opt_int(c, s, "max_conns", 1, 100000, &v, &has);
		if (rc == 0 && has)
			h->max_conns = (int)v;
		if (rc == 0)
			rc = opt_bool(c, s, "relay", &relay);
		h->relay = relay;
		role_close(c, name);
	}
	if (rc != 0)
		goto out;
	/* sender = { profile, resolver, knobs... } */
	if ((rc = role_open(c, b, name, "sender")) == 1) {
		int s = lua_gettop(L);
		char *profile = NULL;
		struct mx_err e;

		h->sender = true;
		h->sender_at = h->at;
		rc = opt_string(c, s, "profile", &profile);
		if (rc == 0) {
			mx_err_clear(&e);
			rc = mxl_profile_load(profile ? profile : "rfc5321",
			    &h->prof, NULL, 0, &e);
			/* The declared profile is still loaded, so that a bad
			 * name is an error in compare mode too. */
			if (rc == 0 && override_applies(c, name))
				rc = mxl_profile_load(
				    c->ov->profile, &h->prof, NULL, 0, &e);
			if (rc != 0)
				rc = cerr(c, "%s", e.msg);
		}
		free(profile);
		if (rc == 0)
			rc = opt_strlist(c, s, "resolver", true, &h->resolvers,
			    &h->nresolvers);
		if (rc == 0 && h->nresolvers > 3)
			rc = cerr(c, "'resolver': at most 3 nameservers, as "
			             "resolv.conf");
		if (rc == 0)
			rc = apply_knobs(c, &h->prof, s, sndskip);
		role_close(c, name);
	}
out:
	free(addr);
	for (i = 0; i < naddrs; i++)
		free(addrs[i]);
	free(addrs);
	return rc;
}

/* 'probability': the share of connections an SMTP outage hits, drawn
 * per connection from the seed. */
static int
conv_probability(struct conv *c, int b, struct world_outage *o)
{
	int rc = 0;

	if (field(c, b, "probability") != LUA_TNIL) {
		double p = lua_tonumber(c->L, -1);

		if (lua_type(c->L, -1) != LUA_TNUMBER || !(p > 0 && p <= 1))
			rc = cerr(c, "'probability' must be a number above 0 "
			             "and at most 1");
		else if (fault_kind_layer(o->f.kind) != FAULT_LAYER_SMTP)
			rc = cerr(c, "'probability' applies only to SMTP kinds "
			             "(reply, drop, slow, hang, greylist): it "
			             "is drawn per connection");
		else
			o->f.probability = p;
	}
	lua_pop(c->L, 1);
	return rc;
}

/* model = "random": windows drawn from the seed, up for about 'mtbf',
 * then down for about 'mttr' (both exponential), between 'from' and
 * 'to' (or the end of the run). */
static int
conv_model(struct conv *c, struct world_outage *o, const char *model,
    bool has_mtbf, bool has_mttr)
{
	if (model == NULL) {
		if (has_mtbf || has_mttr)
			return cerr(c, "'%s' needs model = \"random\"",
			    has_mtbf ? "mtbf" : "mttr");
		return 0;
	}
	if (strcmp(model, "random") != 0)
		return cerr(c, "'model' must be \"random\", got \"%s\"", model);
	if (!has_mtbf || !has_mttr)
		return cerr(c, "model \"random\" needs 'mtbf' (mean time "
		               "between failures) and 'mttr' (mean time to "
		               "repair), like mtbf = \"2h\", mttr = \"10m\"");
	if (o->mtbf <= 0 || o->mttr <= 0)
		return cerr(
		    c, "'%s' must be above 0s", o->mtbf <= 0 ? "mtbf" : "mttr");
	o->random = true;
	return 0;
}

static int
conv_outage(struct conv *c, int b, const char *name)
{
	static const char *const keys[] = {"from", "to", "kind", "service",
	    "at", "reply", "delay", "family", "rate", "model", "mtbf", "mttr",
	    "probability", "retry_after", "window", NULL};
	struct world_outage *o = world_add_outage(c->w);
	char *kind = NULL, *svc = NULL, *at = NULL, *reply = NULL;
	char *family = NULL;
	char *model = NULL;
	bool has_to = false, has_delay = false, has_ra = false, has_win = false;
	bool has_mtbf = false, has_mttr = false;
	int rc;

	o->at.file = c->file;
	o->at.line = c->line;
	o->host = mx_xstrdup(name);
	o->f.from = 0;
	o->f.to = SIM_NEVER;
	if ((rc = check_keys(c, b, keys, false)) != 0)
		return rc;
	o->f.probability = 1;
	if ((rc = req(c, b, "kind")) != 0 ||
	    (rc = opt_string(c, b, "model", &model)) != 0 ||
	    (rc = opt_duration(c, b, "mtbf", &o->mtbf, &has_mtbf)) != 0 ||
	    (rc = opt_duration(c, b, "mttr", &o->mttr, &has_mttr)) != 0 ||
	    (rc = opt_duration(
	         c, b, "retry_after", &o->f.retry_after, &has_ra)) != 0 ||
	    (rc = opt_duration(c, b, "window", &o->f.window, &has_win)) != 0 ||
	    (rc = opt_duration(c, b, "from", &o->f.from, NULL)) != 0 ||
	    (rc = opt_duration(c, b, "to", &o->f.to, &has_to)) != 0 ||
	    (rc = opt_duration(c, b, "delay", &o->f.delay, &has_delay)) != 0 ||
	    (rc = opt_string(c, b, "kind", &kind)) != 0 ||
	    (rc = opt_string(c, b, "service", &svc)) != 0 ||
	    (rc = opt_string(c, b, "at", &at)) != 0 ||
	    (rc = opt_string(c, b, "reply", &reply)) != 0 ||
	    (rc = opt_string(c, b, "family", &family)) != 0)
		goto out;
	if (!fault_kind_parse(kind, &o->f.kind)) {
		const char *names[FAULT_NKINDS];
		const char *s;
		int i;

		for (i = 0; i < FAULT_NKINDS; i++)
			names[i] = fault_kind_name((enum fault_kind)i);
		s = text_closest(kind, names, FAULT_NKINDS);
		rc = s ? cerr(c, "unknown kind '%s' (did you mean '%s'?)", kind,
		             s)
		       : cerr(c,
		             "unknown kind '%s' (down, refuse, reply, "
		             "drop, slow, servfail, refused, nxdomain, "
		             "...)",
		             kind);
		goto out;
	}
	o->f.svc = FAULT_SVC_ANY;
	if (svc != NULL && !fault_svc_parse(svc, &o->f.svc)) {
		rc = cerr(c,
		    "'service' must be \"smtp\" or \"dns\", got "
		    "\"%s\"",
		    svc);
		goto out;
	}
	/* "slow" is an SMTP kind with 'at', a DNS kind without. */
	if (o->f.kind == FAULT_SLOW && at == NULL)
		o->f.kind = FAULT_DNS_SLOW;
	/* Greylisting happens at RCPT unless told otherwise (postgrey is a
	 * Postfix smtpd_recipient_restrictions policy). */
	if (o->f.kind == FAULT_GREYLIST && at == NULL)
		at = mx_xstrdup("rcpt");
	if (fault_kind_layer(o->f.kind) == FAULT_LAYER_SMTP) {
		if (at == NULL) {
			rc = cerr(c,
			    "kind '%s' needs 'at' (greeting, ehlo, "
			    "mail, rcpt, data or dot)",
			    kind);
			goto out;
		}
		if (!smtp_phase_parse(at, &o->f.at)) {
			rc = cerr(c,
			    "'at' must be greeting, ehlo, mail, rcpt, "
			    "data or dot, got \"%s\"",
			    at);
			goto out;
		}
		if (o->f.svc == FAULT_SVC_ANY)
			o->f.svc = FAULT_SVC_SMTP;
	} else if (at != NULL) {
		rc = cerr(c, "'at' applies only to SMTP kinds (reply, drop, "
		             "slow, hang, greylist)");
		goto out;
	}
	if (has_delay && o->f.kind != FAULT_SLOW &&
	    o->f.kind != FAULT_DNS_SLOW) {
		rc = cerr(c, "'delay' applies only to kind 'slow'");
		goto out;
	}
	if (reply != NULL) {
		if (o->f.kind != FAULT_REPLY) {
			rc = cerr(c, "'reply' applies only to kind 'reply'");
			goto out;
		}
		if (!smtp_reply_valid(reply)) {
			rc = cerr(c,
			    "'reply' must be an SMTP reply like \"451 "
			    "4.3.2 try again later\", got \"%s\"",
			    reply);
			goto out;
		}
		o->f.reply_code = atoi(reply);
		o->f.reply_text = reply;
		reply = NULL;
	}
	if (!has_to)
		o->f.to = SIM_NEVER;
	if (family != NULL) {
		if (strcmp(family, "ipv4") == 0)
			o->f.family = NET_AF_INET;
		else if (strcmp(family, "ipv6") == 0)
			o->f.family = NET_AF_INET6;
		else {
			rc = cerr(c,
			    "'family' must be \"ipv4\" or \"ipv6\", got "
			    "\"%s\"",
			    family);
			goto out;
		}
	}
	if (field(c, b, "rate") != LUA_TNIL) {
		if (lua_type(c->L, -1) != LUA_TNUMBER) {
			rc = cerr(c, "'rate' must be a number from 0 to 1");
			lua_pop(c->L, 1);
			goto out;
		}
		o->f.rate = lua_tonumber(c->L, -1);
		if (o->f.kind != FAULT_LOSS) {
			rc = cerr(c, "'rate' applies only to kind 'loss'");
			lua_pop(c->L, 1);
			goto out;
		}
	}
	lua_pop(c->L, 1);
	if ((has_ra || has_win) && o->f.kind != FAULT_GREYLIST) {
		rc = cerr(c, "'%s' applies only to kind 'greylist'",
		    has_ra ? "retry_after" : "window");
		goto out;
	}
	if (has_ra && o->f.retry_after <= 0) {
		rc = cerr(c, "'retry_after' must be above 0s");
		goto out;
	}
	if (has_win && o->f.window <= o->f.retry_after) {
		rc = cerr(c, "'window' must be longer than 'retry_after'");
		goto out;
	}
	if ((rc = conv_probability(c, b, o)) != 0 ||
	    (rc = conv_model(c, o, model, has_mtbf, has_mttr)) != 0)
		goto out;
out:
	free(model);
	free(family);
	free(kind);
	free(svc);
	free(at);
	free(reply);
	return rc;
}

static int
conv_message(struct conv *c, int b)
{
	static const char *const keys[] = {
	    "at", "from", "to", "sender", "size", "subject", NULL};
	struct world_message *m = world_add_message(c->w);
	long long size = 0;
	int rc;

	m->at.file = c->file;
	m->at.line = c->line;
	if ((rc = check_keys(c, b, keys, false)) != 0 ||
	    (rc = req(c, b, "from")) != 0 || (rc = req(c, b, "to")) != 0 ||
	    (rc = opt_duration(c, b, "at", &m->t, NULL)) != 0 ||
	    (rc = opt_string(c, b, "from", &m->from)) != 0 ||
	    (rc = opt_strlist(c, b, "to", true, &m->to, &m->nto)) != 0 ||
	    (rc = opt_string(c, b, "sender", &m->sender)) != 0 ||
	    (rc = opt_string(c, b, "subject", &m->subject)) != 0 ||
	    (rc = opt_int(c, b, "size", 0, 100000000, &size, NULL)) != 0)
		return rc;
	m->size = (size_t)size;
	return 0;
}

static int
conv_expect(struct conv *c, int b)
{
	static const char *const keys[] = {"to", "message", "outcome", "via",
	    "host", "before", "after", "attempts", NULL};
	lua_State *L = c->L;
	struct world_expect *e = world_add_expect(c->w);
	char *outcome = NULL;
	long long msg = 0;
	int rc, t;

	e->at.file = c->file;
	e->at.line = c->line;
	if ((rc = check_keys(c, b, keys, false)) != 0 ||
	    (rc = req(c, b, "to")) != 0 ||
	    (rc = opt_string(c, b, "to", &e->to)) != 0 ||
	    (rc = opt_int(c, b, "message", 1, 1000000, &msg, NULL)) != 0 ||
	    (rc = opt_string(c, b, "outcome", &outcome)) != 0 ||
	    (rc = opt_string(c, b, "via", &e->via)) != 0 ||
	    (rc = opt_string(c, b, "host", &e->host)) != 0 ||
	    (rc = opt_duration(c, b, "before", &e->before, &e->has_before)) !=
	        0 ||
	    (rc = opt_duration(c, b, "after", &e->after, &e->has_after)) != 0)
		goto out;
	e->msg = (int)msg;
	if (outcome != NULL) {
		e->has_outcome = true;
		if (strcmp(outcome, "delivered") == 0)
			e->outcome = MTA_DELIVERED;
		else if (strcmp(outcome, "bounced") == 0)
			e->outcome = MTA_BOUNCED;
		else if (strcmp(outcome, "deferred") == 0)
			e->outcome = MTA_DEFERRED;
		else {
			rc = cerr(c,
			    "'outcome' must be \"delivered\", "
			    "\"bounced\" or \"deferred\", got \"%s\"",
			    outcome);
			goto out;
		}
	}
	t = field(c, b, "attempts");
	if (t == LUA_TTABLE && lua_rawlen(L, -1) == 0) {
		/* { min = N, max = M } */
		static const char *const rk[] = {"min", "max", NULL};
		long long lo = 0, hi = -1;
		int r = lua_gettop(L);

		snprintf(c->what + strlen(c->what),
		    sizeof(c->what) - strlen(c->what), ", attempts");
		rc = check_keys(c, r, rk, false);
		if (rc == 0)
			rc = opt_int(c, r, "min", 0, 100000, &lo, NULL);
		if (rc == 0)
			rc = opt_int(c, r, "max", 0, 100000, &hi, NULL);
		*strrchr(c->what, ',') = '\0';
		lua_pop(L, 1);
		if (rc != 0)
			goto out;
		if (hi >= 0 && hi < lo) {
			rc = cerr(c, "'attempts': max is below min");
			goto out;
		}
		e->has_range = true;
		e->amin = (int)lo;
		e->amax = (int)hi;
	} else {
		lua_pop(L, 1);
		if (t != LUA_TNIL) {
			rc = opt_strlist(c, b, "attempts", false, &e->attempts,
			    &e->nattempts);
			if (rc != 0)
				goto out;
			e->has_attempts = true;
		}
	}
out:
	free(outcome);
	return rc;
}

/* World items borrow their file name from 'struct world' (struct srcloc),
 * which owns one string, w->file.  A scenario that includes files has
 * several names: they share w->file's block, "main\0inc/a.lua\0...",
 * which world_free() frees as one.  Returns how many names it holds. */
static size_t
files_intern(lua_State *L, int decls, struct world *w)
{
	lua_Integer i, n = (lua_Integer)lua_rawlen(L, decls);
	const char **names = mx_xcalloc((size_t)n + 1, sizeof(*names));
	size_t k = 0, j, size = strlen(w->file) + 1, off;
	char *block;

	for (i = 1; i <= n; i++) {
		const char *f;

		lua_rawgeti(L, decls, i);
		lua_getfield(L, -1, "file");
		/* The decls table keeps the string alive after the pops. */
		f = lua_tostring(L, -1);
		lua_pop(L, 2);
		if (f == NULL || strcmp(f, w->file) == 0)
			continue;
		for (j = 0; j < k && strcmp(names[j], f) != 0; j++)
			;
		if (j == k) {
			names[k++] = f;
			size += strlen(f) + 1;
		}
	}
	block = mx_xmalloc(size);
	off = strlen(w->file) + 1;
	memcpy(block, w->file, off);
	for (j = 0; j < k; j++) {
		memcpy(block + off, names[j], strlen(names[j]) + 1);
		off += strlen(names[j]) + 1;
	}
	free(names);
	free(w->file);
	w->file = block;
	return k + 1;
}

/* The copy of 'name' in w->file's block (files_intern). */
static const char *
files_find(const struct world *w, size_t nfiles, const char *name)
{
	const char *f = w->file;
	size_t i;

	for (i = 0; name != NULL && i < nfiles; i++, f += strlen(f) + 1)
		if (strcmp(f, name) == 0)
			return f;
	return w->file;
}

/* __index of the scenario's environment: a name that is not a global. */
static int
env_index(lua_State *L)
{
	static const char *const words[] = {"scenario", "zone", "host", "site",
	    "outage", "message", "expect", "zone_change", "param", "include",
	    "string", "table", "math", "pairs", "ipairs", "tostring",
	    "tonumber", "type", "error", "assert", "select", "pcall"};
	static const char *const absent[] = {"io", "os", "require", "load",
	    "loadstring", "dofile", "loadfile", "debug", "collectgarbage",
	    "package", "_G"};
	const char *name = lua_tostring(L, 2);
	const char *s;
	size_t i;

	if (name == NULL)
		return 0;
	for (i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
		if (strcmp(name, absent[i]) == 0)
			return luaL_error(L,
			    "'%s' is not available in "
			    "scenarios (they declare, they "
			    "do not act)",
			    name);
	s = text_closest(name, words, sizeof(words) / sizeof(words[0]));
	if (s != NULL)
		return luaL_error(
		    L, "unknown name '%s' (did you mean '%s'?)", name, s);
	return luaL_error(L, "unknown name '%s'", name);
}

static int
load_buffer(const char *name, const char *buf, size_t len,
    const struct mxl_limits *lim, const struct mxl_override *ov,
    struct world *w, struct mx_err *err)
{
	static const char *const wordnames[] = {"scenario", "zone", "host",
	    "site", "outage", "message", "expect", "zone_change", "param",
	    NULL};
	struct mxl_sandbox sb;
	const struct mxl_file *prelude = mxl_file_find("prelude.lua");
	lua_State *L;
	struct conv c;
	int rc, env, words, finish, decls;
	lua_Integer i, n;
	size_t k, nfiles;

	if (prelude == NULL)
		return mx_err_set(err, MX_EINVAL, "the prelude is missing");
	if ((rc = mxl_sandbox_open(&sb, lim, err)) != 0)
		return rc;
	L = sb.L;
	free(w->file);
	w->file = mx_xstrdup(name);
	/* The prelude runs in a table of its own with the base library; it
	 * gets debug.getinfo and the loader's tools (with the -D values). */
	mxl_sandbox_push_env(&sb);
	if ((rc = mxl_sandbox_load(
	         &sb, prelude->data, prelude->len, "[prelude]", -1, err)) != 0)
		goto out;
	lua_getglobal(L, "debug");
	lua_getfield(L, -1, "getinfo");
	lua_remove(L, -2);
	if ((rc = mxl_sandbox_push_tools(&sb, lim->params, err)) != 0 ||
	    (rc = mxl_sandbox_call(&sb, 2, 2, err)) != 0)
		goto out;
	words = lua_absindex(L, -2);
	finish = lua_absindex(L, -1);
	/* The scenario's environment: allow-listed globals + DSL words,
	 * and an error for any other name. */
	mxl_sandbox_push_env(&sb);
	env = lua_gettop(L);
	for (k = 0; wordnames[k] != NULL; k++) {
		lua_getfield(L, words, wordnames[k]);
		lua_setfield(L, env, wordnames[k]);
	}
	lua_newtable(L);
	lua_pushcfunction(L, env_index);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, env);
	mxl_sandbox_set_include(&sb, env, name);
	if ((rc = mxl_sandbox_load(&sb, buf, len, name, env, err)) != 0)
		goto out;
	if ((rc = mxl_sandbox_call(&sb, 0, 0, err)) != 0)
		goto out;
	/* The rest is the prelude's finish and C reading plain data: no
	 * scenario code runs, and the memory it used must not fail them. */
	mxl_sandbox_done(&sb);
	lua_pushvalue(L, finish);
	if ((rc = mxl_sandbox_call(&sb, 0, 2, err)) != 0)
		goto out;
	if ((rc = mxl_sandbox_params(&sb, -1, name, lim->params, err)) != 0)
		goto out;
	lua_pop(L, 1);
	decls = lua_gettop(L);
	nfiles = files_intern(L, decls, w);
	n = (lua_Integer)lua_rawlen(L, decls);
	memset(&c, 0, sizeof(c));
	c.L = L;
	c.w = w;
	c.err = err;
	c.ov = ov;
	for (i = 1; i <= n && rc == 0; i++) {
		const char *kind, *dname;
		int d, b;

		lua_rawgeti(L, decls, i);
		d = lua_gettop(L);
		lua_getfield(L, d, "kind");
		kind = lua_tostring(L, -1);
		lua_getfield(L, d, "name");
		dname = lua_tostring(L, -1);
		lua_getfield(L, d, "file");
		lua_getfield(L, d, "line");
		/* The file names a chunk we loaded: keep our copy. */
		c.file = files_find(w, nfiles, lua_tostring(L, -2));
		c.line = (int)lua_tointeger(L, -1);
		lua_getfield(L, d, "body");
		b = lua_gettop(L);
		if (dname != NULL)
			snprintf(
			    c.what, sizeof(c.what), "%s '%s'", kind, dname);
		else
			snprintf(c.what, sizeof(c.what), "%s", kind);
		if (strcmp(kind, "scenario") == 0)
			rc = conv_scenario(&c, b, dname);
		else if (strcmp(kind, "zone") == 0)
			rc = conv_zone(&c, b, dname);
		else if (strcmp(kind, "host") == 0)
			rc = conv_host(&c, b, dname);
		else if (strcmp(kind, "site") == 0)
			rc = conv_site(&c, b, dname);
		else if (strcmp(kind, "outage") == 0)
			rc = conv_outage(&c, b, dname);
		else if (strcmp(kind, "message") == 0)
			rc = conv_message(&c, b);
		else if (strcmp(kind, "zone_change") == 0)
			rc = conv_change(&c, b);
		else
			rc = conv_expect(&c, b);
		lua_settop(L, decls);
	}
	if (rc == 0)
		rc = world_check(w, err);
out:
	mxl_sandbox_close(&sb);
	return rc;
}

int
mxl_scenario_load_buffer(const char *name, const char *buf, size_t len,
    const struct mxl_limits *lim, struct world *w, struct mx_err *err)
{
	return load_buffer(name, buf, len, lim, NULL, w, err);
}

int
mxl_scenario_load(const char *path, const struct mxl_limits *lim,
    struct world *w, struct mx_err *err)
{
	return mxl_scenario_load_as(path, lim, NULL, w, err);
}

int
mxl_scenario_load_as(const char *path, const struct mxl_limits *lim,
    const struct mxl_override *ov, struct world *w, struct mx_err *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	int rc;

	if (f == NULL)
		return mx_err_set(err, MX_EIO,
		    "%s: cannot open the scenario: %s", path, strerror(errno));
	for (;;) {
		if (len + 4096 > cap) {
			cap = cap ? cap * 2 : 8192;
			if (cap > ((size_t)16 << 20)) {
				fclose(f);
				free(buf);
				return mx_err_set(err, MX_ELIMIT,
				    "%s: the scenario is larger than 16 MiB",
				    path);
			}
			buf = mx_xrealloc(buf, cap);
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return mx_err_set(
		    err, MX_EIO, "%s: cannot read the scenario", path);
	}
	fclose(f);
	rc = load_buffer(path, buf, len, lim, ov, w, err);
	free(buf);
	return rc;
}

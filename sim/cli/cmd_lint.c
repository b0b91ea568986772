/*
 * cmd_lint.c - "mxsim lint" and "mxsim explain" (docs/lint.md).
 *
 *   mxsim lint FILE [--origin NAME] [--format text|json]
 *   mxsim explain DOMAIN --zone FILE [--profile NAME] [--origin NAME]
 *                 [--set KNOB=VALUE]...
 *
 * 'lint' takes an RFC 1035 master file, or a scenario (a name ending in
 * ".lua"), whose zones and hosts it checks; it exits 0 when nothing above
 * info was found, 1 for a warning or an error, 2 for bad input.
 * 'explain' reads one zone file and a profile (lua/profiles/, loaded as
 * "mxsim profiles" loads them) and exits 0, or 2 for bad input.  This
 * file only parses the command line, loads the inputs and prints: the
 * checks are in sim/lint/.
 */
#include "cmd_lint.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dur.h"
#include "core/err.h"
#include "lint/explain.h"
#include "lint/lint.h"
#include "script/scenario.h"
#include "world/world.h"

enum { LINT_CLEAN = 0, LINT_FOUND = 1, LINT_BAD = 2 };

static int
usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "mxsim: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'mxsim --help'.\n");
	return LINT_BAD;
}

static bool
is_scenario(const char *file)
{
	size_t n = strlen(file);

	return n > 4 && strcmp(file + n - 4, ".lua") == 0;
}

/* The error of a zone file, with a hint for the origin. */
static int
zone_error(const struct mx_err *err)
{
	fprintf(stderr, "%s\n", err->msg);
	if (err->code == MX_ENOENT)
		fprintf(stderr, "mxsim: give the zone's origin with --origin "
		                "NAME\n");
	return LINT_BAD;
}

static int
output_done(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "mxsim: cannot write the output\n");
		return LINT_BAD;
	}
	return 0;
}

static int
lint_scenario(const char *file, struct lint_report *rep)
{
	struct mxl_limits lim;
	struct mx_err err;
	struct world w;
	int rc = 0;

	mxl_limits_default(&lim);
	mx_err_clear(&err);
	world_init(&w);
	if (mxl_scenario_load(file, &lim, &w, &err) != 0 ||
	    lint_world(&w, rep, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		rc = LINT_BAD;
	}
	/* The findings borrow the file name from the world. */
	if (rc == 0) {
		size_t i;

		for (i = 0; i < rep->n; i++)
			rep->v[i].file = file;
	}
	world_free(&w);
	return rc;
}

static int
lint_zonefile(const char *file, const char *origin, struct lint_report *rep)
{
	struct lint_zone lz;
	struct mx_err err;
	struct zone z;
	int *lines = NULL;

	mx_err_clear(&err);
	memset(&z, 0, sizeof(z));
	if (lint_zonefile_load(file, file, origin, NULL, &z, &lines, &err) !=
	    0) {
		zone_fini(&z);
		return zone_error(&err);
	}
	lz.file = file;
	lz.line = 1;
	lz.z = &z;
	lz.lines = lines;
	lint_run(&lz, 1, NULL, rep);
	zone_fini(&z);
	free(lines);
	return 0;
}

int
cmd_lint(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"origin", required_argument, NULL, 'o'},
	    {"format", required_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *origin = NULL, *file;
	struct lint_report rep;
	bool json = false;
	int ch, rc;

	optind = 1;
	argv[0] = "mxsim";
	while ((ch = getopt_long(argc, argv, "o:f:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			origin = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "json") != 0 &&
			    strcmp(optarg, "text") != 0)
				return usage_error("--format is 'text' or "
				                   "'json', not '%s'",
				    optarg);
			json = strcmp(optarg, "json") == 0;
			break;
		case 'h':
			printf("usage: mxsim lint FILE [--origin NAME] "
			       "[--format text|json]\n");
			return LINT_CLEAN;
		default:
			fprintf(stderr, "Try 'mxsim --help'.\n");
			return LINT_BAD;
		}
	}
	if (optind != argc - 1)
		return usage_error("%s", "lint needs exactly one zone file or "
		                         "scenario");
	file = argv[optind];
	if (origin != NULL && is_scenario(file))
		return usage_error("%s", "--origin is for zone files; a "
		                         "scenario names its zones");
	lint_report_init(&rep);
	rc = is_scenario(file) ? lint_scenario(file, &rep)
	                       : lint_zonefile(file, origin, &rep);
	if (rc == 0) {
		if (json)
			lint_print_json(stdout, &rep, file);
		else
			lint_print_text(stdout, &rep, file);
		rc = rep.n > 0 && rep.worst > LINT_INFO ? LINT_FOUND
		                                        : LINT_CLEAN;
		if (output_done() != 0)
			rc = LINT_BAD;
	}
	lint_report_free(&rep);
	return rc;
}

/* One duration as the command line writes it: "30s", or a number of
 * seconds as a scenario may write it. */
static bool
cli_duration(const char *v, sim_time_t *out, char *why, size_t len)
{
	char buf[64];

	if (v[0] != '\0' && strspn(v, "0123456789.") == strlen(v)) {
		snprintf(buf, sizeof(buf), "%.60ss", v);
		v = buf;
	}
	return dur_parse(v, out, why, len);
}

/* Applies "KNOB=VALUE" to 'p', as a scenario's sender role overrides a
 * knob (names and values as "mxsim profiles NAME" lists them); a list of
 * durations is written "30m,2h". */
static int
set_knob(struct mta_profile *p, const char *arg)
{
	sim_time_t d, list[MTA_RETRY_MAX];
	const struct mta_knob *k;
	const char *eq = strchr(arg, '='), *v;
	char name[64], why[160] = "", item[64], *end;
	size_t n = 0, i;
	long long iv;
	bool ok = false;

	if (eq == NULL || eq == arg || (size_t)(eq - arg) >= sizeof(name))
		return usage_error("--set needs KNOB=VALUE, got '%s'", arg);
	snprintf(name, sizeof(name), "%.*s", (int)(eq - arg), arg);
	v = eq + 1;
	if ((k = mta_knob_find(name)) == NULL)
		return usage_error("--set: no knob named '%s' (mxsim profiles "
		                   "rfc5321 lists them)",
		    name);
	switch (k->type) {
	case KNOB_DURATION:
		ok = cli_duration(v, &d, why, sizeof(why)) &&
		     mta_knob_set_duration(p, k, d);
		break;
	case KNOB_DURLIST:
		for (ok = true; ok && *v != '\0' && n < MTA_RETRY_MAX; n++) {
			size_t l = strcspn(v, ",");

			snprintf(item, sizeof(item), "%.*s", (int)l, v);
			ok = cli_duration(item, &list[n], why, sizeof(why));
			v += l + (v[l] == ',');
		}
		ok = ok && *v == '\0' && mta_knob_set_durlist(p, k, list, n);
		break;
	case KNOB_INT:
		iv = strtoll(v, &end, 10);
		ok = *v != '\0' && *end == '\0' && mta_knob_set_int(p, k, iv);
		break;
	case KNOB_BOOL:
		ok = (strcmp(v, "true") == 0 || strcmp(v, "false") == 0) &&
		     mta_knob_set_bool(p, k, strcmp(v, "true") == 0);
		break;
	case KNOB_RULES:
		ok = mta_knob_set_rules(p, k, v);
		break;
	case KNOB_ENUM:
		ok = mta_knob_set_enum(p, k, v);
		if (!ok) {
			size_t off = 0;

			for (i = 0; k->choices[i] != NULL && off < 100; i++)
				off += (size_t)snprintf(why + off,
				    sizeof(why) - off, "%s%s", i ? ", " : "",
				    k->choices[i]);
		}
		break;
	}
	if (ok)
		return 0;
	fprintf(stderr, "mxsim: --set %s: bad value '%s'%s%s%s\n", name, eq + 1,
	    why[0] ? " (" : "", why, why[0] ? ")" : "");
	fprintf(stderr, "Try 'mxsim --help'.\n");
	return LINT_BAD;
}

int
cmd_explain(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"zone", required_argument, NULL, 'z'},
	    {"profile", required_argument, NULL, 'p'},
	    {"origin", required_argument, NULL, 'o'},
	    {"set", required_argument, NULL, 's'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *zfile = NULL, *profile = "rfc5321", *origin = NULL;
	const char *sets[32];
	char domain[DNS_NAME_MAX], changes[512] = "";
	size_t nsets = 0, i, off = 0;
	struct mta_profile prof;
	struct explain_in in;
	struct mx_err err;
	struct zone z;
	int *lines = NULL, ch, rc;
	size_t n;

	optind = 1;
	argv[0] = "mxsim";
	while ((ch = getopt_long(argc, argv, "z:p:o:s:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'z':
			zfile = optarg;
			break;
		case 'p':
			profile = optarg;
			break;
		case 'o':
			origin = optarg;
			break;
		case 's':
			if (nsets == sizeof(sets) / sizeof(sets[0]))
				return usage_error("%s", "too many --set");
			sets[nsets++] = optarg;
			break;
		case 'h':
			printf("usage: mxsim explain DOMAIN --zone FILE "
			       "[--profile NAME] [--origin NAME]\n"
			       "                     [--set KNOB=VALUE]...\n");
			return LINT_CLEAN;
		default:
			fprintf(stderr, "Try 'mxsim --help'.\n");
			return LINT_BAD;
		}
	}
	if (optind != argc - 1)
		return usage_error("%s", "explain needs exactly one domain");
	if (zfile == NULL)
		return usage_error("%s", "explain needs --zone FILE");
	snprintf(domain, sizeof(domain), "%s", argv[optind]);
	n = strlen(domain);
	if (n > 1 && domain[n - 1] == '.')
		domain[n - 1] = '\0';
	if (domain[0] == '\0' || !dns_name_valid(domain))
		return usage_error("'%s' is not a domain name", argv[optind]);
	mx_err_clear(&err);
	if (mxl_profile_load(profile, &prof, NULL, 0, &err) != 0) {
		fprintf(stderr, "mxsim: %s\n", err.msg);
		return LINT_BAD;
	}
	for (i = 0; i < nsets; i++) {
		if ((rc = set_knob(&prof, sets[i])) != 0)
			return rc;
		if (off < sizeof(changes) - 1)
			off += (size_t)snprintf(changes + off,
			    sizeof(changes) - off, "%s%s", i ? ", " : "",
			    sets[i]);
	}
	memset(&z, 0, sizeof(z));
	if (lint_zonefile_load(
	        zfile, zfile, origin, domain, &z, &lines, &err) != 0) {
		zone_fini(&z);
		return zone_error(&err);
	}
	in.z = &z;
	in.zone_file = zfile;
	in.domain = domain;
	in.prof = &prof;
	in.changes = nsets > 0 ? changes : NULL;
	rc = explain_write(stdout, &in, &err);
	if (rc != 0) {
		fprintf(stderr, "mxsim: %s\n", err.msg);
		rc = LINT_BAD;
	} else if (output_done() != 0)
		rc = LINT_BAD;
	zone_fini(&z);
	free(lines);
	return rc;
}

/*
 * main.c - the mxsim command line.
 *
 *   mxsim run FILE [options]     run a scenario: narrative, capture, trace
 *   mxsim check FILE             validate a scenario without running it
 *   mxsim profiles [NAME]        list the sender profiles, or show one
 *   mxsim lint FILE, mxsim explain DOMAIN --zone FILE   (cmd_lint.c)
 *   mxsim sweep FILE --runs N, mxsim merge SHARD...     (sweep.c)
 *   mxsim lab make|check LAB --student ID ...           (lab.c)
 *
 * Exit status: 0 every expectation held (or nothing to check), 1 an
 * expectation failed, 2 the scenario or the command line is wrong (or an
 * output could not be written).  Outputs are written under temporary names
 * and renamed at the end, so a failed run leaves no partial file.
 *
 * Options follow getopt_long (--opt VALUE or --opt=VALUE, '--' ends them);
 * 'mxsim COMMAND --help' prints that command's usage.  The narrative is
 * coloured only on a terminal without NO_COLOR (https://no-color.org),
 * unless --color says otherwise; docs/mxsim.1 is the manual.
 *
 * This is the only layer that prints to the terminal and exits.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/capture.h"
#include "cli/cmd_lint.h"
#include "cli/compare.h"
#include "cli/lab.h"
#include "cli/sweep.h"
#include "core/err.h"
#include "report/report.h"
#include "report/timeline.h"
#include "script/embedded.h"
#include "script/scenario.h"
#include "world/world.h"

#ifndef MXSIM_VERSION
#define MXSIM_VERSION "0"
#endif

enum { EXIT_PASS = 0, EXIT_EXPECT = 1, EXIT_USAGE = 2 };

/* The exit statuses and the environment, shared by every help text
 * (docs/mxsim.1 says the same). */
static void
usage_tail(FILE *out)
{
	fprintf(out,
	    "\n"
	    "Exit status: 0 every expectation held (or there was nothing to\n"
	    "check), 1 an expectation failed, 2 the scenario, a zone file or\n"
	    "the command line is wrong, or an output could not be written.\n"
	    "Environment: NO_COLOR (non-empty) turns off colour in the\n"
	    "narrative; --color=always overrides it.  man mxsim has more.\n");
}

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: mxsim run FILE [--seed N] [--capture PATH | --no-capture]\n"
	    "                      [--capture-at HOST] [--trace PATH]\n"
	    "                      [--timeline PATH]\n"
	    "                      [--quiet | --verbose] [--color WHEN]\n"
	    "                      [-D NAME=VALUE]...\n"
	    "                      [--profiles P1,P2,... [--profiles-for HOST]]\n"
	    "       mxsim check FILE [-D NAME=VALUE]... [--seed N] [--params]\n"
	    "       mxsim profiles [NAME]\n"
	    "       mxsim lint FILE [--origin NAME] [--format text|json]\n"
	    "       mxsim explain DOMAIN --zone FILE [--profile NAME]\n"
	    "                     [--origin NAME] [--set KNOB=VALUE]...\n"
	    "       mxsim sweep FILE --runs N [options]   (mxsim sweep --help)\n"
	    "       mxsim merge SHARD... [options]\n"
	    "       mxsim lab make|check LAB --student ID ...  (mxsim lab "
	    "--help)\n"
	    "       mxsim --version | --help\n"
	    "       mxsim COMMAND --help   (the options of one command)\n"
	    "\n"
	    "Runs an email MX failover scenario in simulated time.  'run' prints\n"
	    "what every host decided, writes the traffic to a capture file\n"
	    "(default ./<scenario>.pcapng, annotated; a PATH ending in .pcap\n"
	    "gives classic pcap), as the whole network sees it or, with\n"
	    "--capture-at, as one host's interfaces do, and exits 0 when the\n"
	    "scenario's expectations hold, 1 when one fails, 2 on bad input.\n"
	    "With --profiles, it runs the scenario once per profile (same seed)\n"
	    "and prints them side by side (docs/compare.md).\n");
	usage_tail(out);
}

static void
usage_run(FILE *out)
{
	fprintf(out,
	    "usage: mxsim run FILE [options]\n"
	    "\n"
	    "Runs the scenario FILE: prints the narrative (one line per\n"
	    "decision) and a summary, writes the capture, checks the\n"
	    "expectations.\n"
	    "\n"
	    "  -s, --seed N           the seed (0 to 2^63-1; default: the "
	    "scenario's)\n"
	    "  -c, --capture PATH     the capture (.pcapng annotated, .pcap "
	    "classic;\n"
	    "                         default ./<scenario>.pcapng)\n"
	    "  -C, --no-capture       write no capture\n"
	    "  -a, --capture-at HOST  capture as HOST's interfaces see it\n"
	    "  -t, --trace PATH       the JSON Lines trace (docs/trace.md)\n"
	    "  -T, --timeline PATH    the timeline picture, SVG "
	    "(docs/timeline.md)\n"
	    "  -q, --quiet            no narrative and no summary; only the\n"
	    "                         failed expectations, with file:line "
	    "and why\n"
	    "  -v, --verbose          the narrative with protocol detail "
	    "(level 1)\n"
	    "      --color WHEN       colour the narrative: auto (a terminal "
	    "and\n"
	    "                         NO_COLOR unset or empty), always, never\n"
	    "  -D, --define NAME=VALUE  set a param of the scenario\n"
	    "  -P, --profiles P1,P2,...  compare mode: one run per profile\n"
	    "  -F, --profiles-for HOST   only HOST's profile changes\n"
	    "  -h, --help             this text\n"
	    "\n"
	    "Options take their value as '--opt VALUE' or '--opt=VALUE'; '--'\n"
	    "ends the options.\n");
	usage_tail(out);
}

static void
usage_check(FILE *out)
{
	fprintf(out,
	    "usage: mxsim check FILE [-D NAME=VALUE]... [--seed N] [--params]\n"
	    "\n"
	    "Loads and validates the scenario FILE without running it, and\n"
	    "prints what it declares.\n"
	    "\n"
	    "  -D, --define NAME=VALUE  set a param of the scenario\n"
	    "  -s, --seed N           the seed math.random in the scenario "
	    "follows\n"
	    "      --params           list the params the scenario declares\n"
	    "  -h, --help             this text\n");
	usage_tail(out);
}

static void
usage_profiles(FILE *out)
{
	fprintf(out,
	    "usage: mxsim profiles [NAME]\n"
	    "\n"
	    "Lists the sender profiles (lua/profiles/), or shows every knob of\n"
	    "the profile NAME with its value, its meaning and its source.\n"
	    "\n"
	    "  -h, --help             this text\n");
	usage_tail(out);
}

/* The help of 'cmd' (run, check, profiles), or the general one. */
static void
usage_cmd(FILE *out, const char *cmd)
{
	if (strcmp(cmd, "run") == 0)
		usage_run(out);
	else if (strcmp(cmd, "check") == 0)
		usage_check(out);
	else if (strcmp(cmd, "profiles") == 0)
		usage_profiles(out);
	else
		usage(out);
}

static int
bad_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "mxsim: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'mxsim --help'.\n");
	return EXIT_USAGE;
}

/* A seed: 0 to 2^63 - 1, the range a scenario's 'seed' field has too. */
static bool
parse_seed(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > (unsigned long long)INT64_MAX)
		return false;
	*out = (uint64_t)v;
	return true;
}

struct run_opts {
	const char *file;         /* scenario path */
	bool has_seed;            /* --seed given */
	uint64_t seed;            /* its value */
	const char *capture;      /* --capture PATH */
	const char *capture_at;   /* --capture-at HOST */
	bool no_capture;          /* --no-capture */
	const char *trace;        /* --trace PATH */
	const char *timeline;     /* --timeline PATH (docs/timeline.md) */
	int level;                /* -1 quiet, 0 normal, 1 verbose */
	const char *profiles;     /* --profiles LIST: compare mode */
	const char *profiles_for; /* --profiles-for HOST */
	const char *defines[64];  /* -D NAME=VALUE, in order */
	size_t ndefines;          /* how many */
	bool params;              /* check --params */
	int color;                /* --color: COLOR_AUTO, _ALWAYS, _NEVER */
};

/* A -D that is not NAME=VALUE, repeats a name, or is one too many: says
 * so and returns true.  The scenario checks the names and values. */
static bool
define_bad(const struct run_opts *o, const char *d)
{
	size_t nl = strcspn(d, "="), i;

	if (d[nl] != '=' || nl == 0) {
		bad_usage("-D '%s': expected NAME=VALUE", d);
		return true;
	}
	for (i = 0; i < o->ndefines; i++)
		if (strncmp(o->defines[i], d, nl + 1) == 0) {
			fprintf(stderr,
			    "mxsim: -D '%s': '%.*s' is given twice (first -D "
			    "'%s')\nTry 'mxsim --help'.\n",
			    d, (int)nl, d, o->defines[i]);
			return true;
		}
	if (o->ndefines == sizeof(o->defines) / sizeof(o->defines[0])) {
		bad_usage("%s", "at most 64 -D options");
		return true;
	}
	return false;
}

/* getopt values of long options without a short form. */
enum { OPT_PARAMS = 256, OPT_COLOR };

enum { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

static bool
parse_color(const char *s, int *out)
{
	static const char *const names[] = {"auto", "always", "never"};
	int i;

	for (i = 0; i < 3; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = i;
			return true;
		}
	return false;
}

/* Whether the narrative gets colours: --color=always or never decide;
 * auto wants a terminal and no NO_COLOR, which disables colour with any
 * non-empty value (https://no-color.org), and a command-line choice
 * overrides it. */
static bool
color_wanted(int mode)
{
	const char *nc;

	if (mode != COLOR_AUTO)
		return mode == COLOR_ALWAYS;
	nc = getenv("NO_COLOR");
	if (nc != NULL && nc[0] != '\0')
		return false;
	return isatty(STDOUT_FILENO) == 1;
}

/* The params a scenario declared, one a line: with 'where', as
 * "file:line: param ..." (check --params), else as the run's header. */
static void
params_print(FILE *out, const struct mxl_params *pp, bool where)
{
	size_t i;

	for (i = 0; i < pp->n; i++) {
		const struct mxl_param *p = &pp->list[i];

		if (where)
			fprintf(out, "%s:%d: ", p->file, p->line);
		fprintf(out, "param %s = %s (%s, default %s%s)%s%s\n", p->name,
		    p->value, p->type, p->def,
		    p->overridden ? ", set by -D" : "",
		    p->description ? ": " : "",
		    p->description ? p->description : "");
	}
}

/* Loads o->file; the -D values go in (and --seed, which math.random in
 * the scenario follows), the declared params come back in 'pp'. */
static int
load(const struct run_opts *o, struct world *w, struct mxl_params *pp)
{
	struct mxl_limits lim;
	struct mx_err err;

	mxl_limits_default(&lim);
	lim.has_seed = o->has_seed;
	lim.seed = o->seed;
	memset(pp, 0, sizeof(*pp));
	pp->defines = o->defines;
	pp->ndefines = o->ndefines;
	lim.params = pp;
	mx_err_clear(&err);
	world_init(w);
	if (mxl_scenario_load(o->file, &lim, w, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		world_free(w);
		mxl_params_free(pp);
		return EXIT_USAGE;
	}
	return 0;
}

static int
cmd_run(const struct run_opts *o)
{
	struct world w;
	struct world_run run;
	struct narrative nar;
	struct jsonl jl;
	struct cap *cap = NULL;
	struct mx_err err;
	struct expect_result *res = NULL;
	FILE *tf = NULL;
	struct timeline *tl = NULL;
	struct mxl_params pp;
	char *tpart = NULL, capname[1024];
	size_t nfail = 0;
	uint64_t seed;
	int rc = EXIT_PASS;
	bool io_ok = true;

	if (load(o, &w, &pp) != 0)
		return EXIT_USAGE;
	seed = o->has_seed ? o->seed : w.seed;
	mx_err_clear(&err);
	if (world_run_init(&run, &w, seed, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		world_run_fini(&run);
		world_free(&w);
		mxl_params_free(&pp);
		return EXIT_USAGE;
	}
	if (o->level >= 0) {
		narrative_init(&nar, stdout, o->level, &w);
		nar.color = color_wanted(o->color);
		if (trace_subscribe(
		        sim_trace(&run.sim), narrative_trace, &nar) != 0)
			abort();
	}
	if (o->trace != NULL) {
		size_t n = strlen(o->trace) + 8;

		tpart = mx_xmalloc(n);
		snprintf(tpart, n, "%s.part", o->trace);
		tf = fopen(tpart, "w");
		if (tf == NULL) {
			fprintf(stderr, "mxsim: cannot write trace '%s': %s\n",
			    o->trace, strerror(errno));
			rc = EXIT_USAGE;
			goto out;
		}
		jsonl_init(&jl, tf, &w, seed);
		if (trace_subscribe(sim_trace(&run.sim), jsonl_trace, &jl) != 0)
			abort();
	}
	if (o->timeline != NULL) {
		if (timeline_open(&tl, o->timeline, &w, &err) != 0) {
			fprintf(stderr, "mxsim: %s\n", err.msg);
			rc = EXIT_USAGE;
			goto out;
		}
		if (trace_subscribe(sim_trace(&run.sim), timeline_trace, tl) !=
		    0)
			abort();
	}
	if (!o->no_capture) {
		struct cap_opts co;
		char comment[512];

		memset(&co, 0, sizeof(co));
		if (o->capture != NULL)
			snprintf(capname, sizeof(capname), "%s", o->capture);
		else
			snprintf(capname, sizeof(capname), "%s.pcapng", w.name);
		/* main() checked the extension of a given path. */
		if (!cap_format_of(capname, &co.format))
			co.format = CAP_PCAPNG;
		co.epoch = w.epoch;
		if (o->capture_at != NULL) {
			co.at = net_host_by_name(&run.net, o->capture_at);
			if (co.at == NULL || co.at->router) {
				const char *sg =
				    world_host_suggest(&w, o->capture_at);

				fprintf(stderr,
				    "mxsim: --capture-at: no host named '%s'%s%s"
				    "%s\n",
				    o->capture_at, sg ? " (did you mean '" : "",
				    sg ? sg : "", sg ? "'?)" : "");
				rc = EXIT_USAGE;
				goto out;
			}
		}
		snprintf(comment, sizeof(comment),
		    "mxsim scenario %s, seed %" PRIu64 ", seen from %s%s",
		    w.name, seed, co.at ? "host " : "the whole network",
		    co.at ? co.at->name : "");
		co.comment = comment;
		if (cap_open(&cap, capname, &run.net, &co, &err) != 0) {
			fprintf(stderr, "mxsim: %s\n", err.msg);
			rc = EXIT_USAGE;
			goto out;
		}
	}
	/* The narrative's header: the values this run's params have. */
	if (o->level >= 0 && pp.n > 0) {
		params_print(stdout, &pp, false);
		fputc('\n', stdout);
	}
	world_run_go(&run);
	res = mx_xcalloc(w.nexpects + 1, sizeof(*res));
	nfail = report_check(&run, res);
	/* --quiet: silence when all held, else only what failed and why. */
	if (o->level >= 0)
		report_summary(stdout, &run, res, w.nexpects, true);
	else
		report_failures(stdout, res, w.nexpects);
	if (tf != NULL) {
		jsonl_finish(
		    &jl, w.stop_at, (int)(w.nexpects - nfail), (int)nfail);
		if (fflush(tf) != 0 || jl.failed)
			io_ok = false;
	}
	rc = nfail > 0 ? EXIT_EXPECT : EXIT_PASS;
out:
	if (cap != NULL) {
		if (cap_close(cap, rc != EXIT_USAGE && io_ok, &err) != 0) {
			fprintf(stderr, "mxsim: %s\n", err.msg);
			io_ok = false;
		}
	}
	if (tf != NULL) {
		if (fclose(tf) != 0)
			io_ok = false;
		if (rc != EXIT_USAGE && io_ok) {
			if (rename(tpart, o->trace) != 0) {
				fprintf(stderr, "mxsim: cannot write '%s'\n",
				    o->trace);
				io_ok = false;
			}
		}
		if (rc == EXIT_USAGE || !io_ok)
			unlink(tpart);
	}
	if (tl != NULL &&
	    timeline_close(tl, &run, rc != EXIT_USAGE && io_ok, &err) != 0) {
		fprintf(stderr, "mxsim: %s\n", err.msg);
		io_ok = false;
	}
	if (!io_ok) {
		fprintf(stderr, "mxsim: an output could not be written\n");
		rc = EXIT_USAGE;
	}
	free(tpart);
	free(res);
	world_run_fini(&run);
	world_free(&w);
	mxl_params_free(&pp);
	return rc;
}

static int
cmd_compare(const struct run_opts *o)
{
	struct compare_opts co = {
	    .file = o->file,
	    .profiles = o->profiles,
	    .host = o->profiles_for,
	    .has_seed = o->has_seed,
	    .seed = o->seed,
	    .capture = o->capture,
	    .capture_at = o->capture_at,
	    .no_capture = o->no_capture,
	    .trace = o->trace,
	    .timeline = o->timeline,
	    .level = o->level,
	    .color = color_wanted(o->color),
	    .defines = o->defines,
	    .ndefines = o->ndefines,
	};

	return compare_main(&co);
}

static int
cmd_check(const struct run_opts *o)
{
	struct world w;
	struct mxl_params pp;

	if (load(o, &w, &pp) != 0)
		return EXIT_USAGE;
	printf("%s: ok: scenario '%s', %zu hosts, %zu zones, %zu outages, "
	       "%zu messages, %zu expectations\n",
	    o->file, w.name, w.nhosts, w.nzones, w.noutages, w.nmsgs,
	    w.nexpects);
	if (o->params && pp.n == 0)
		printf("%s: no params\n", o->file);
	if (o->params)
		params_print(stdout, &pp, true);
	world_free(&w);
	mxl_params_free(&pp);
	return EXIT_PASS;
}

/* Which options a command takes: run all but --params; check -D, --seed
 * (math.random in the scenario follows it) and --params. */
static bool
opt_allowed(const char *cmd, int ch)
{
	if (strcmp(cmd, "run") == 0)
		return ch != OPT_PARAMS;
	if (strcmp(cmd, "check") == 0)
		return ch == 'D' || ch == 's' || ch == OPT_PARAMS;
	return false;
}

static int
cmd_profiles(const char *name)
{
	const char *names[64];
	size_t n = mxl_profile_names(names, 64), i, nk;
	const struct mta_knob *k = mta_knobs(&nk);
	struct mta_profile p;
	struct mx_err err;
	char desc[512], val[256], base[64];

	if (name == NULL) {
		for (i = 0; i < n; i++) {
			size_t l = strlen(names[i]);

			snprintf(base, sizeof(base), "%.*s",
			    (int)(l > 4 ? l - 4 : l), names[i]);
			if (mxl_profile_load(
			        base, &p, desc, sizeof(desc), &err) != 0) {
				fprintf(stderr, "mxsim: %s\n", err.msg);
				return EXIT_USAGE;
			}
			printf("%-22s %s\n", base, desc);
		}
		return EXIT_PASS;
	}
	if (mxl_profile_load(name, &p, desc, sizeof(desc), &err) != 0) {
		fprintf(stderr, "mxsim: %s\n", err.msg);
		return EXIT_USAGE;
	}
	printf("profile %s: %s\n\n", name, desc);
	for (i = 0; i < nk; i++)
		printf("  %-18s %-16s %s\n", k[i].name,
		    mta_knob_str(&p, &k[i], val, sizeof(val)), k[i].doc);
	{
		char fn[128];
		const struct mxl_file *f;

		snprintf(fn, sizeof(fn), "profiles/%s.lua", name);
		f = mxl_file_find(fn);
		if (f != NULL)
			printf("\nSource (lua/%s), with where each value comes "
			       "from:\n\n%s",
			    fn, f->data);
	}
	return EXIT_PASS;
}

int
main(int argc, char **argv)
{
	static const struct option run_long[] = {
	    {"seed", required_argument, NULL, 's'},
	    {"capture", required_argument, NULL, 'c'},
	    {"no-capture", no_argument, NULL, 'C'},
	    {"capture-at", required_argument, NULL, 'a'},
	    {"trace", required_argument, NULL, 't'},
	    {"timeline", required_argument, NULL, 'T'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"profiles", required_argument, NULL, 'P'},
	    {"profiles-for", required_argument, NULL, 'F'},
	    {"define", required_argument, NULL, 'D'},
	    {"params", no_argument, NULL, OPT_PARAMS},
	    {"color", required_argument, NULL, OPT_COLOR},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct run_opts o;
	const char *cmd;
	int ch;

	if (argc < 2)
		return bad_usage("%s", "missing command");
	cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
	    strcmp(cmd, "help") == 0) {
		usage(stdout);
		return EXIT_PASS;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("mxsim %s\n", MXSIM_VERSION);
		return EXIT_PASS;
	}
	/* Commands with options of their own (docs/lint.md). */
	if (strcmp(cmd, "lint") == 0)
		return cmd_lint(argc - 1, argv + 1);
	if (strcmp(cmd, "explain") == 0)
		return cmd_explain(argc - 1, argv + 1);
	/* Seeded sweeps (docs/sweep.md). */
	if (strcmp(cmd, "sweep") == 0)
		return sweep_main(argc - 1, argv + 1);
	if (strcmp(cmd, "merge") == 0)
		return merge_main(argc - 1, argv + 1);
	/* Classroom labs (labs/README.md). */
	if (strcmp(cmd, "lab") == 0)
		return lab_main(argc - 1, argv + 1);
	if (cmd[0] == '-')
		return bad_usage("unrecognized option '%s' (options follow "
		                 "the command)",
		    cmd);
	if (strcmp(cmd, "run") != 0 && strcmp(cmd, "check") != 0 &&
	    strcmp(cmd, "profiles") != 0)
		return bad_usage("unknown command '%s'", cmd);
	memset(&o, 0, sizeof(o));
	optind = 1;
	argc--;
	argv++;
	/* getopt names the program by argv[0]: that is now the command. */
	argv[0] = "mxsim";
	while ((ch = getopt_long(argc, argv, "s:c:Ca:t:T:P:F:qvhD:", run_long,
	            NULL)) != -1) {
		if (ch != 'h' && ch != '?' && !opt_allowed(cmd, ch)) {
			if (strcmp(cmd, "check") == 0)
				return bad_usage("%s",
				    "'check' takes no options but -D, --seed "
				    "and --params");
			if (strcmp(cmd, "run") == 0)
				return bad_usage("%s",
				    "'run' takes no --params ('mxsim check "
				    "FILE --params' lists them)");
			fprintf(stderr,
			    "mxsim: '%s' takes no options\n"
			    "Try 'mxsim --help'.\n",
			    cmd);
			return EXIT_USAGE;
		}
		switch (ch) {
		case 's':
			if (!parse_seed(optarg, &o.seed))
				return bad_usage("--seed needs a whole number "
				                 "from 0 to 9223372036854775807"
				                 ", got '%s'",
				    optarg);
			o.has_seed = true;
			break;
		case 'c':
			o.capture = optarg;
			break;
		case 'C':
			o.no_capture = true;
			break;
		case 'a':
			o.capture_at = optarg;
			break;
		case 't':
			o.trace = optarg;
			break;
		case 'D':
			if (define_bad(&o, optarg))
				return EXIT_USAGE;
			o.defines[o.ndefines++] = optarg;
			break;
		case OPT_PARAMS:
			o.params = true;
			break;
		case OPT_COLOR:
			if (!parse_color(optarg, &o.color))
				return bad_usage(
				    "--color needs auto, always or "
				    "never, got '%s'",
				    optarg);
			break;
		case 'P':
			o.profiles = optarg;
			break;
		case 'F':
			o.profiles_for = optarg;
			break;
		case 'T':
			o.timeline = optarg;
			break;
		case 'q':
		case 'v':
			if (o.level != 0)
				return bad_usage("%s", "--quiet and --verbose "
				                       "exclude each other");
			o.level = ch == 'q' ? -1 : 1;
			break;
		case 'h':
			usage_cmd(stdout, cmd);
			return EXIT_PASS;
		default:
			/* getopt has said what was wrong. */
			fprintf(stderr, "Try 'mxsim %s --help'.\n", cmd);
			return EXIT_USAGE;
		}
	}
	if (strcmp(cmd, "run") == 0) {
		if (optind != argc - 1)
			return bad_usage("%s", "run needs exactly one scenario "
			                       "file");
		if (o.capture != NULL && o.no_capture)
			return bad_usage("%s", "--capture and --no-capture "
			                       "exclude each other");
		if (o.capture_at != NULL && o.no_capture)
			return bad_usage("%s", "--capture-at and --no-capture "
			                       "exclude each other");
		if (o.capture != NULL) {
			enum cap_format f;

			if (!cap_format_of(o.capture, &f))
				return bad_usage(
				    "--capture '%s': the name must "
				    "end in .pcapng (annotated) or "
				    ".pcap (classic)",
				    o.capture);
		}
		o.file = argv[optind];
		if (o.profiles_for != NULL && o.profiles == NULL)
			return bad_usage(
			    "%s", "--profiles-for needs --profiles");
		if (o.profiles != NULL)
			return cmd_compare(&o);
		return cmd_run(&o);
	}
	if (strcmp(cmd, "check") == 0) {
		if (optind != argc - 1)
			return bad_usage("%s", "check needs exactly one "
			                       "scenario file");
		o.file = argv[optind];
		return cmd_check(&o);
	}
	if (strcmp(cmd, "profiles") == 0) {
		if (optind < argc - 1)
			return bad_usage("%s", "profiles takes at most one "
			                       "name");
		return cmd_profiles(optind == argc - 1 ? argv[optind] : NULL);
	}
	/* Unreachable: main() rejected other commands before the options. */
	return bad_usage("unknown command '%s'", cmd);
}

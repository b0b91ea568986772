/*
 * main.c - the mxsim command line.
 *
 *   mxsim run FILE [options]     run a scenario: narrative, capture, trace
 *   mxsim check FILE             validate a scenario without running it
 *   mxsim profiles [NAME]        list the sender profiles, or show one
 *
 * Exit status: 0 every expectation held (or nothing to check), 1 an
 * expectation failed, 2 the scenario or the command line is wrong (or an
 * output could not be written).  Outputs are written under temporary names
 * and renamed at the end, so a failed run leaves no partial file.
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
#include "core/err.h"
#include "report/report.h"
#include "script/embedded.h"
#include "script/scenario.h"
#include "world/world.h"

#ifndef MXSIM_VERSION
#define MXSIM_VERSION "0"
#endif

enum { EXIT_PASS = 0, EXIT_EXPECT = 1, EXIT_USAGE = 2 };

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: mxsim run FILE [--seed N] [--capture PATH | --no-capture]\n"
	    "                      [--capture-at HOST] [--trace PATH]\n"
	    "                      [--quiet | --verbose]\n"
	    "       mxsim check FILE\n"
	    "       mxsim profiles [NAME]\n"
	    "       mxsim --version | --help\n"
	    "\n"
	    "Runs an email MX failover scenario in simulated time.  'run' prints\n"
	    "what every host decided, writes the traffic to a capture file\n"
	    "(default ./<scenario>.pcapng, annotated; a PATH ending in .pcap\n"
	    "gives classic pcap), as the whole network sees it or, with\n"
	    "--capture-at, as one host's interfaces do, and exits 0 when the\n"
	    "scenario's expectations hold, 1 when one fails, 2 on bad input.\n");
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
	const char *file;       /* scenario path */
	bool has_seed;          /* --seed given */
	uint64_t seed;          /* its value */
	const char *capture;    /* --capture PATH */
	const char *capture_at; /* --capture-at HOST */
	bool no_capture;        /* --no-capture */
	const char *trace;      /* --trace PATH */
	int level;              /* -1 quiet, 0 normal, 1 verbose */
};

static int
load(const char *file, struct world *w)
{
	struct mxl_limits lim;
	struct mx_err err;

	mxl_limits_default(&lim);
	mx_err_clear(&err);
	world_init(w);
	if (mxl_scenario_load(file, &lim, w, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		world_free(w);
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
	char *tpart = NULL, capname[1024];
	size_t nfail = 0;
	uint64_t seed;
	int rc = EXIT_PASS;
	bool io_ok = true;

	if (load(o->file, &w) != 0)
		return EXIT_USAGE;
	seed = o->has_seed ? o->seed : w.seed;
	mx_err_clear(&err);
	if (world_run_init(&run, &w, seed, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		world_run_fini(&run);
		world_free(&w);
		return EXIT_USAGE;
	}
	if (o->level >= 0) {
		narrative_init(&nar, stdout, o->level, &w);
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
	world_run_go(&run);
	res = mx_xcalloc(w.nexpects + 1, sizeof(*res));
	nfail = report_check(&run, res);
	if (o->level >= 0 || nfail > 0)
		report_summary(stdout, &run, res, w.nexpects, o->level >= 0);
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
	if (!io_ok) {
		fprintf(stderr, "mxsim: an output could not be written\n");
		rc = EXIT_USAGE;
	}
	free(tpart);
	free(res);
	world_run_fini(&run);
	world_free(&w);
	return rc;
}

static int
cmd_check(const char *file)
{
	struct world w;

	if (load(file, &w) != 0)
		return EXIT_USAGE;
	printf("%s: ok: scenario '%s', %zu hosts, %zu zones, %zu outages, "
	       "%zu messages, %zu expectations\n",
	    file, w.name, w.nhosts, w.nzones, w.noutages, w.nmsgs, w.nexpects);
	world_free(&w);
	return EXIT_PASS;
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
	    {"quiet", no_argument, NULL, 'q'},
	    {"verbose", no_argument, NULL, 'v'},
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
	if (strcmp(cmd, "--version") == 0) {
		printf("mxsim %s\n", MXSIM_VERSION);
		return EXIT_PASS;
	}
	memset(&o, 0, sizeof(o));
	optind = 1;
	argc--;
	argv++;
	/* getopt names the program by argv[0]: that is now the command. */
	argv[0] = "mxsim";
	while ((ch = getopt_long(argc, argv, "s:c:Ca:t:qvh", run_long, NULL)) !=
	       -1) {
		if (ch != 'h' && ch != '?' && strcmp(cmd, "run") != 0) {
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
		case 'q':
		case 'v':
			if (o.level != 0)
				return bad_usage("%s", "--quiet and --verbose "
				                       "exclude each other");
			o.level = ch == 'q' ? -1 : 1;
			break;
		case 'h':
			usage(stdout);
			return EXIT_PASS;
		default:
			/* getopt has said what was wrong. */
			fprintf(stderr, "Try 'mxsim --help'.\n");
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
		return cmd_run(&o);
	}
	if (strcmp(cmd, "check") == 0) {
		if (optind != argc - 1)
			return bad_usage("%s", "check needs exactly one "
			                       "scenario file");
		return cmd_check(argv[optind]);
	}
	if (strcmp(cmd, "profiles") == 0) {
		if (optind < argc - 1)
			return bad_usage("%s", "profiles takes at most one "
			                       "name");
		return cmd_profiles(optind == argc - 1 ? argv[optind] : NULL);
	}
	return bad_usage("unknown command '%s'", cmd);
}

/*
 * sweep.c - the sweep workload of mxbench: a seeded sweep of a
 * three-MX scenario with random outages and one message per run, capture
 * and trace off, as 'mxsim sweep' runs it (sim/cli/sweep.c, linked in).
 *
 *   mxbench sweep [--runs N] [--jobs J] [--scenario FILE]
 *
 * Default: N = 10,000 runs of scenarios/sweep-three-mx.lua, once with one
 * worker process and once with two (or only at --jobs J).  Each sweep runs
 * in a process of its own (run_isolated), so 'worker_maxrss_kb' (the
 * largest peak resident set of its workers, from RUSAGE_CHILDREN) is that
 * sweep's alone.  Timed: the whole sweep as the command does it (loading
 * the scenario in its sandbox, forking the workers, running every seed,
 * collecting and sorting the outcomes).  The line carries 'outcomes' and
 * 'delivered' (the count of delivered outcomes): the same for any J, a
 * check that the workers split the seeds right.
 */
#include <inttypes.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/sweep.h"
#include "dnsrec.h"

#ifndef MX_SOURCE_DIR
#define MX_SOURCE_DIR "."
#endif

static const uint64_t sweep_default_runs = 10000;

struct sweep_job {
	const char *file; /* scenario */
	uint64_t runs;    /* seeds */
	int jobs;         /* worker processes */
};

static int
sweep_one(const void *arg)
{
	const struct sweep_job *j = arg;
	uint64_t outcomes = 0, delivered = 0;
	long rss = 0;
	double t0, t;

	t0 = wall_now();
	if (sweep_bench(
	        j->file, j->runs, j->jobs, &outcomes, &delivered, &rss) != 0)
		return 1;
	t = wall_now() - t0;
	printf("RESULT bench=sweep runs=%" PRIu64 " jobs=%d run_s=%.3f "
	       "runs_per_s=%.0f outcomes=%" PRIu64 " delivered=%" PRIu64
	       " worker_maxrss_kb=%ld maxrss_kb=%ld\n",
	    j->runs, j->jobs, t, (double)j->runs / t, outcomes, delivered, rss,
	    maxrss_kb());
	return outcomes == j->runs ? 0 : 1;
}

int
cmd_sweep(int argc, char *argv[])
{
	static const struct option lo[] = {
	    {"runs", required_argument, NULL, 'n'},
	    {"jobs", required_argument, NULL, 'j'},
	    {"scenario", required_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct sweep_job j;
	uint64_t jobs = 0;
	int ch, rc = 0;

	j.file = MX_SOURCE_DIR "/scenarios/sweep-three-mx.lua";
	j.runs = sweep_default_runs;
	while ((ch = getopt_long(argc, argv, "n:j:f:h", lo, NULL)) != -1) {
		switch (ch) {
		case 'n':
			if (parse_count(argv[0], "runs", optarg, 1000000000,
			        &j.runs) != 0)
				return EXIT_USAGE;
			break;
		case 'j':
			if (parse_count(argv[0], "jobs", optarg, 256, &jobs) !=
			    0)
				return EXIT_USAGE;
			break;
		case 'f':
			j.file = optarg;
			break;
		case 'h':
			printf("usage: mxbench sweep [--runs N] [--jobs J] "
			       "[--scenario FILE]\n"
			       "Default: 10000 runs of "
			       "scenarios/sweep-three-mx.lua at 1 then 2 "
			       "workers.\n");
			return 0;
		default:
			return try_help("sweep");
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", argv[0],
		    argv[optind]);
		return try_help("sweep");
	}
	if (jobs != 0) {
		j.jobs = (int)jobs;
		return run_isolated(sweep_one, &j);
	}
	for (j.jobs = 1; j.jobs <= 2; j.jobs++)
		if (run_isolated(sweep_one, &j) != 0)
			rc = 1;
	return rc;
}

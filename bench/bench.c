/*
 * bench.c - mxbench, the benchmark program: the workloads of the benchmark
 * contract (bench-workloads.md), run with the same parameters as the ns-3
 * programs they are compared with, each printing one line
 *
 *     RESULT bench=<name> <key>=<value> ...
 *
 * with the work done, the wall time of the timed region ('run_s'), the
 * throughput under the key the ns-3 programs use, and the peak resident set.
 *
 * Workloads are subcommands, each with its own getopt_long options:
 *
 *   sched     the event engine alone (hold model), implemented below;
 *   dnsudp    UDP request/response on one link, with capture (not yet);
 *   tcpshort  many short TCP connections (not yet);
 *   all       every implemented workload at the contract's parameters.
 *
 * sched drives the event heap directly through ev_schedule()/ev_pop(), as
 * the simulator's loop does, but without a 'struct sim': the callback gets a
 * NULL sim and keeps its clock and counters in its own state.  K events are
 * scheduled up front; each event, when it runs, increments a counter and
 * schedules one successor at now + d until N have been scheduled, so exactly
 * N run and the heap never holds more than K.  The delays d are exponential
 * with mean 1 ms, in whole nanoseconds and at least 1 ns, drawn from our rng
 * into a table of 65,536 values before the clock starts and reused
 * cyclically.  Timed: scheduling the initial pool plus running.
 *
 * The line also carries 'end_ns', the simulated time of the last event: it
 * depends only on the order events pop in, so any two correct heaps give
 * the same value for the same parameters (a cheap check when the heap's
 * internals change).
 *
 * Wall-clock time is read here and only here: sim/ never sees it.
 * Exit status: 0 success, 1 a run failed its own check, 2 bad arguments or
 * a workload that is not implemented yet.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/err.h"
#include "core/ev.h"
#include "core/rng.h"
#include "core/simtime.h"

#define EXIT_USAGE 2

enum {
	SCHED_TABLE = 65536, /* delay table entries, a power of 2 */
};

static const uint64_t sched_default_events = 10000000;
static const uint64_t sched_default_pool = 1000;
static const uint64_t sched_max_pool = UINT64_C(1) << 30;
static const uint64_t sched_all_pools[] = {100, 1000, 100000};
static const sim_time_t sched_mean_delay = SIM_MS(1);
static const uint64_t sched_seed = 1;

struct sched_state {
	struct ev_heap heap;     /* the queue under test */
	sim_time_t now;          /* time of the event running now */
	const sim_time_t *delay; /* borrowed; SCHED_TABLE delays */
	uint32_t next_delay;     /* index of the next delay to use */
	uint64_t events;         /* N: events to schedule in all */
	uint64_t scheduled;      /* events scheduled so far */
	uint64_t ran;            /* events run so far (the body's counter) */
};

/* ------------------------------------------------------------------ */
/* Common helpers                                                       */

static double
wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long
maxrss_kb(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return -1;
	return ru.ru_maxrss; /* kilobytes on Linux */
}

/* Parses a positive decimal count in [1, max] for option 'name' of the
 * program 'prog' ("mxbench sched"). */
static int
parse_count(const char *prog, const char *name, const char *s, uint64_t max,
    uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9') {
		fprintf(stderr,
		    "%s: --%s: expected a positive integer, "
		    "got '%s'\n",
		    prog, name, s);
		return -1;
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v == 0 || v > max) {
		fprintf(stderr,
		    "%s: --%s: '%s' is not an integer in "
		    "[1, %" PRIu64 "]\n",
		    prog, name, s, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* After getopt_long has named the bad option or argument on stderr. */
static int
try_help(const char *cmd)
{
	fprintf(stderr, "Try 'mxbench %s --help'.\n", cmd);
	return EXIT_USAGE;
}

/* ------------------------------------------------------------------ */
/* sched: the event engine alone                                        */

static void
sched_event(struct sim *sim, void *arg)
{
	struct sched_state *st = arg;

	(void)sim;
	st->ran++;
	if (st->scheduled < st->events) {
		sim_time_t d = st->delay[st->next_delay];

		st->next_delay = (st->next_delay + 1) & (SCHED_TABLE - 1);
		st->scheduled++;
		ev_schedule(&st->heap, st->now + d, sched_event, st);
	}
}

/* Fills 'tab' with exponential delays of mean 'mean' ns, >= 1 ns. */
static void
sched_fill_delays(sim_time_t *tab, size_t n, sim_time_t mean)
{
	struct rng r;
	size_t i;

	rng_init(&r, sched_seed, "bench.sched.delay");
	for (i = 0; i < n; i++) {
		double u = rng_unit(&r);
		double d = -log(1.0 - u) * (double)mean;
		sim_time_t t = (sim_time_t)llround(d);

		tab[i] = t < 1 ? 1 : t;
	}
}

static int
sched_run(uint64_t events, uint64_t pool)
{
	sim_time_t *delay = mx_xmalloc(SCHED_TABLE * sizeof(*delay));
	struct sched_state st;
	double t0, t1, run_s;
	sim_time_t at;
	ev_fn *fn;
	void *arg;
	uint64_t i, initial;
	int ok;

	sched_fill_delays(delay, SCHED_TABLE, sched_mean_delay);
	ev_heap_init(&st.heap);
	st.now = 0;
	st.delay = delay;
	st.next_delay = 0;
	st.events = events;
	st.scheduled = 0;
	st.ran = 0;
	initial = pool < events ? pool : events;

	t0 = wall_now();
	for (i = 0; i < initial; i++) {
		sim_time_t d = st.delay[st.next_delay];

		st.next_delay = (st.next_delay + 1) & (SCHED_TABLE - 1);
		st.scheduled++;
		ev_schedule(&st.heap, d, sched_event, &st);
	}
	while (ev_pop(&st.heap, &at, &fn, &arg)) {
		st.now = at;
		fn(NULL, arg);
	}
	t1 = wall_now();

	ok = st.ran == events && st.scheduled == events &&
	     ev_count(&st.heap) == 0;
	ev_heap_fini(&st.heap);
	free(delay);
	if (!ok) {
		fprintf(stderr,
		    "mxbench: sched: ran %" PRIu64 " of %" PRIu64
		    " events (scheduled %" PRIu64 ")\n",
		    st.ran, events, st.scheduled);
		return 1;
	}
	run_s = t1 - t0;
	printf("RESULT bench=sched pool=%" PRIu64 " events=%" PRIu64
	       " run_s=%.3f events_per_s=%.0f maxrss_kb=%ld end_ns=%" PRId64
	       "\n",
	    pool, events, run_s, run_s > 0 ? (double)events / run_s : 0.0,
	    maxrss_kb(), (int64_t)st.now);
	fflush(stdout);
	return 0;
}

static void
sched_usage(FILE *f)
{
	fprintf(f,
	    "usage: mxbench sched [--events N] [--pool K]\n"
	    "\n"
	    "The event engine alone (hold model): K events pending, each\n"
	    "schedules one successor at now + Exp(1 ms) until N have been\n"
	    "scheduled.\n"
	    "\n"
	    "  -n, --events N   events to schedule and run (default %" PRIu64
	    ")\n"
	    "  -p, --pool K     pending events (default %" PRIu64 ")\n"
	    "  -h, --help       this text\n",
	    sched_default_events, sched_default_pool);
}

static int
cmd_sched(int argc, char *argv[])
{
	static const struct option longopts[] = {
	    {"events", required_argument, NULL, 'n'},
	    {"pool", required_argument, NULL, 'p'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	uint64_t events = sched_default_events, pool = sched_default_pool;
	int c;

	while ((c = getopt_long(argc, argv, "n:p:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_count(argv[0], "events", optarg, UINT64_MAX,
			        &events) != 0)
				return EXIT_USAGE;
			break;
		case 'p':
			if (parse_count(argv[0], "pool", optarg, sched_max_pool,
			        &pool) != 0)
				return EXIT_USAGE;
			break;
		case 'h':
			sched_usage(stdout);
			return 0;
		default:
			return try_help("sched");
		}
	}
	if (optind != argc) {
		fprintf(stderr, "mxbench sched: unexpected argument '%s'\n",
		    argv[optind]);
		return try_help("sched");
	}
	return sched_run(events, pool);
}

/* ------------------------------------------------------------------ */
/* all: every implemented workload at the contract's parameters         */

static void
all_usage(FILE *f)
{
	fprintf(f,
	    "usage: mxbench all [--events N]\n"
	    "\n"
	    "Runs sched at pools 100, 1000 and 100000, one RESULT line each.\n"
	    "\n"
	    "  -n, --events N   events per sched run (default %" PRIu64 ")\n"
	    "  -h, --help       this text\n",
	    sched_default_events);
}

static int
cmd_all(int argc, char *argv[])
{
	static const struct option longopts[] = {
	    {"events", required_argument, NULL, 'n'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	uint64_t events = sched_default_events;
	size_t i;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "n:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_count(argv[0], "events", optarg, UINT64_MAX,
			        &events) != 0)
				return EXIT_USAGE;
			break;
		case 'h':
			all_usage(stdout);
			return 0;
		default:
			return try_help("all");
		}
	}
	if (optind != argc) {
		fprintf(stderr, "mxbench all: unexpected argument '%s'\n",
		    argv[optind]);
		return try_help("all");
	}
	for (i = 0; i < sizeof(sched_all_pools) / sizeof(sched_all_pools[0]);
	     i++) {
		if (sched_run(events, sched_all_pools[i]) != 0)
			rc = 1;
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* Workloads still to come                                              */

static int
cmd_dnsudp(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	fprintf(stderr,
	    "mxbench: dnsudp: not implemented yet "
	    "(planned: --queries N --interval 100us --capture off|one|both)\n");
	return EXIT_USAGE;
}

static int
cmd_tcpshort(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	fprintf(stderr,
	    "mxbench: tcpshort: not implemented yet "
	    "(planned: --conns N --parallel 4 --capture off|client|all)\n");
	return EXIT_USAGE;
}

/* ------------------------------------------------------------------ */

struct command {
	const char *name;                   /* subcommand word */
	int (*run)(int argc, char *argv[]); /* argv[0] "mxbench <name>" */
	const char *summary;                /* one line for --help */
};

static const struct command commands[] = {
    {"sched", cmd_sched, "the event engine alone (hold model)"},
    {"dnsudp", cmd_dnsudp,
        "UDP request/response on one link "
        "(not implemented yet)"},
    {"tcpshort", cmd_tcpshort,
        "many short TCP connections "
        "(not implemented yet)"},
    {"all", cmd_all, "sched at pools 100, 1000 and 100000"},
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: mxbench <workload> [options]\n"
	           "       mxbench <workload> --help\n\nworkloads:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(
		    f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nEach run prints one line: RESULT bench=<name> "
	           "<key>=<value> ...\n");
}

int
main(int argc, char *argv[])
{
	char prog[32];
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) == 0) {
			/* getopt_long prefixes its messages with argv[0]. */
			snprintf(
			    prog, sizeof(prog), "mxbench %s", commands[i].name);
			argv[1] = prog;
			return commands[i].run(argc - 1, argv + 1);
		}
	}
	fprintf(stderr, "mxbench: unknown workload '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}

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
 *   sched     the event engine alone (hold model);
 *   dnsudp    UDP request/response on one link, with capture;
 *   tcpshort  many short TCP connections over a star, with capture;
 *   zoneload  a big zone: loading a master file, answering from it;
 *   dnsrec    the recursive resolver end to end (both in dnsrec.c);
 *   sweep     10,000 seeded runs of a three-MX scenario (sweep.c);
 *   all       every workload at the contract's parameters.
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
 * dnsudp and tcpshort run the whole simulator (struct sim, net, udp, tcp,
 * capture) as a scenario would.  Their timed region is the run itself:
 * from just before the first event (the topology is built, the routes are
 * computed and the capture files are open, headers written) to the end of
 * the last event, plus closing the capture files (writing what is still
 * buffered and giving them their final names).  Building the topology,
 * opening the files, removing them afterwards (unless --keep) and tearing
 * everything down are not timed: they are not part of simulating and
 * capturing.  Capture files go to --out DIR as
 * mxbench-<workload>-<mode>-<host>.<pcap|pcapng>.  'capture_bytes' is the
 * size of all files of the run together (headers included) and
 * 'capture_mb_per_s' that size in 10^6 bytes per second of run_s.
 *
 * 'all' runs each workload in a child process (fork) so that every line's
 * maxrss_kb is the peak of that run alone, not the largest so far.
 *
 * Wall-clock time is read here and only here: sim/ never sees it.
 * Exit status: 0 success, 1 a run failed its own check (or a capture file
 * could not be written), 2 bad arguments.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "capture/capture.h"
#include "core/bytes.h"
#include "core/dur.h"
#include "core/err.h"
#include "core/ev.h"
#include "core/rng.h"
#include "core/sim.h"
#include "core/simtime.h"
#include "net/net.h"
#include "net/tcp.h"
#include "net/udp.h"

#include "dnsrec.h"

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

double
wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

long
maxrss_kb(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return -1;
	return ru.ru_maxrss; /* kilobytes on Linux */
}

/* Parses a positive decimal count in [1, max] for option 'name' of the
 * program 'prog' ("mxbench sched"). */
int
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
int
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
/* Capture files, shared by dnsudp and tcpshort                         */

/* Simulated time 0 in the files: 2024-01-01T00:00:00Z, as mxsim's own
 * default, so that two runs write the same bytes. */
static const int64_t bench_epoch = INT64_C(1704067200);
static const char bench_default_out[] = "/tmp";

/* The capture files of one run: one per vantage host. */
struct capset {
	size_t n;                         /* files open */
	struct cap *cap[NET_MAX_TAPS];    /* owned writers */
	char path[NET_MAX_TAPS][1024];    /* their final paths */
	uint64_t bytes;                   /* file bytes, summed at close */
	uint64_t frames;                  /* frames written, summed at close */
	uint64_t frames_of[NET_MAX_TAPS]; /* frames per file, at close */
};

static const char *
format_name(enum cap_format f)
{
	return f == CAP_PCAPNG ? "pcapng" : "pcap";
}

static int
parse_format(const char *prog, const char *s, enum cap_format *out)
{
	if (strcmp(s, "pcap") == 0)
		*out = CAP_PCAP;
	else if (strcmp(s, "pcapng") == 0)
		*out = CAP_PCAPNG;
	else {
		fprintf(stderr,
		    "%s: --format: expected 'pcap' or 'pcapng', got '%s'\n",
		    prog, s);
		return -1;
	}
	return 0;
}

/* Picks 'name' out of 'names' (n entries); -1 with a message if absent. */
static int
parse_word(const char *prog, const char *opt, const char *s,
    const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	fprintf(stderr, "%s: --%s: '%s' is not one of", prog, opt, s);
	for (i = 0; i < n; i++)
		fprintf(stderr, "%s '%s'", i == 0 ? "" : ",", names[i]);
	fprintf(stderr, "\n");
	return -1;
}

static void
capset_init(struct capset *cs)
{
	memset(cs, 0, sizeof(*cs));
}

/* Opens one file per host in 'at' (n of them) under 'dir', named
 * mxbench-<stem>-<host>.<ext>; on failure closes what it opened. */
static int
capset_open(struct capset *cs, struct net *net, const char *dir,
    const char *stem, enum cap_format fmt, struct net_host *const *at, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct cap_opts o;
		struct mx_err err;
		char comment[256];
		int len;

		len = snprintf(cs->path[i], sizeof(cs->path[i]),
		    "%s/mxbench-%s-%s.%s", dir, stem, at[i]->name,
		    format_name(fmt));
		if (len < 0 || (size_t)len >= sizeof(cs->path[i])) {
			fprintf(
			    stderr, "mxbench: --out '%s' is too long\n", dir);
			goto fail;
		}
		snprintf(comment, sizeof(comment),
		    "mxbench %s, seen from host %s", stem, at[i]->name);
		memset(&o, 0, sizeof(o));
		o.format = fmt;
		o.epoch = bench_epoch;
		o.at = at[i];
		o.comment = comment;
		if (cap_open(&cs->cap[i], cs->path[i], net, &o, &err) != 0) {
			fprintf(stderr, "mxbench: %s\n", err.msg);
			goto fail;
		}
		cs->n++;
	}
	return 0;
fail:
	for (i = 0; i < cs->n; i++) {
		struct mx_err err;

		if (cap_close(cs->cap[i], false, &err) != 0)
			fprintf(stderr, "mxbench: %s\n", err.msg);
	}
	cs->n = 0;
	return -1;
}

/* Closes every file under its final name and sums their sizes.  The
 * counts are read just before each cap_close(): a pcapng file could still
 * gain frames held for notes at close, but by then every packet of these
 * runs has been delivered and settled, so nothing is held (the frame
 * checks below would notice).  Returns -1 when a file could not be
 * written.  Files are always kept here, so that the timed region is the
 * same with and without --keep; capset_finish() removes them afterwards,
 * outside it (unlinking 50 MB takes several milliseconds). */
static int
capset_close(struct capset *cs)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < cs->n; i++) {
		struct mx_err err;

		cs->frames_of[i] = cap_frames(cs->cap[i]);
		cs->frames += cs->frames_of[i];
		cs->bytes += cap_bytes(cs->cap[i]);
		if (cap_close(cs->cap[i], true, &err) != 0) {
			fprintf(stderr, "mxbench: %s\n", err.msg);
			rc = -1;
		}
		cs->cap[i] = NULL;
	}
	return rc;
}

/* Removes the files of a closed set, or names them with 'keep'. */
static void
capset_finish(const struct capset *cs, bool keep)
{
	size_t i;

	for (i = 0; i < cs->n; i++) {
		if (keep)
			fprintf(stderr, "mxbench: kept %s\n", cs->path[i]);
		else if (unlink(cs->path[i]) != 0 && errno != ENOENT)
			fprintf(stderr, "mxbench: cannot remove %s: %s\n",
			    cs->path[i], strerror(errno));
	}
}

/* Runs 'fn(arg)' in a child process and returns its exit status, so that
 * the child's maxrss_kb is its own peak.  Falls back to running it here
 * when fork() fails. */
int
run_isolated(int (*fn)(const void *arg), const void *arg)
{
	pid_t pid;
	int status;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return fn(arg);
	if (pid == 0) {
		int rc = fn(arg);

		fflush(stdout);
		fflush(stderr);
		_exit(rc);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	fprintf(stderr, "mxbench: a run died (signal %d)\n",
	    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return 1;
}

static struct net_addr
addr_of(const char *s)
{
	struct net_addr a;

	if (!net_addr_parse(s, &a))
		abort(); /* the literals below are well formed */
	return a;
}

/* ------------------------------------------------------------------ */
/* dnsudp: small UDP request/response on one link                       */

/*
 * Two hosts on one point-to-point link (100 Mbit/s, 10 ms one way).  From
 * t = 0.1 s the client sends N datagrams of 40 payload bytes, one every
 * 'interval', from one ephemeral port to server port 53; the server
 * answers each with 100 payload bytes to the source address and port.  It
 * is raw UDP, not DNS: the payload is the query's number (8 bytes, big
 * endian) and zeros, and the answer echoes the number, so the client can
 * check that every query was answered exactly once.  The run stops at
 * 0.1 s + N * interval + 1 s.
 *
 * pkts = requests delivered to the server + answers delivered to the
 * client (2N when all is well); pkts_per_s = pkts / run_s.
 */

enum {
	DNS_QUERY_LEN = 40,   /* request payload bytes */
	DNS_ANSWER_LEN = 100, /* answer payload bytes */
	DNS_PORT = 53,        /* server port */
};

enum dns_capture { DNS_CAP_OFF, DNS_CAP_ONE, DNS_CAP_BOTH };

static const char *const dns_capture_names[] = {"off", "one", "both"};
static const uint64_t dns_default_queries = 200000;
static const uint64_t dns_max_queries = 100000000;
static const sim_time_t dns_default_interval = SIM_US(100);
static const sim_time_t dns_max_interval = SIM_S(10);
static const sim_time_t dns_start = SIM_MS(100);
static const sim_time_t dns_drain = SIM_S(1);

/* The link of both workloads (the contract's). */
static const struct net_link_params bench_link = {
    .latency = SIM_MS(10),
    .jitter = 0,
    .loss = 0.0,
    .bandwidth = 100000000,
};

struct dns_opts {
	uint64_t queries;         /* N */
	sim_time_t interval;      /* between two queries */
	enum dns_capture capture; /* capture mode */
	enum cap_format format;   /* capture file format */
	const char *out;          /* directory for the files */
	bool keep;                /* keep the files */
};

struct dns_state {
	struct sim *sim;                /* borrowed */
	struct net_host *client;        /* borrowed */
	struct net_addr caddr, saddr;   /* client and server addresses */
	uint16_t cport;                 /* the client's port */
	sim_time_t interval;            /* between two queries */
	uint64_t queries;               /* N */
	uint64_t sent;                  /* queries sent */
	uint64_t server_rx;             /* queries delivered to the server */
	uint64_t client_rx;             /* distinct answers delivered */
	uint64_t bad;                   /* unexpected datagrams */
	uint8_t *seen;                  /* owned bitmap of answered queries */
	uint8_t query[DNS_QUERY_LEN];   /* request payload */
	uint8_t answer[DNS_ANSWER_LEN]; /* answer payload */
};

static void
put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, (uint32_t)(v >> 32));
	put_be32(p + 4, (uint32_t)v);
}

static uint64_t
get_be64(const uint8_t *p)
{
	return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

static void
dns_tick(struct sim *sim, void *arg)
{
	struct dns_state *st = arg;

	put_be64(st->query, st->sent);
	udp_send(st->client, &st->caddr, st->cport, &st->saddr, DNS_PORT,
	    st->query, sizeof(st->query));
	if (++st->sent < st->queries)
		sim_after(sim, st->interval, dns_tick, st);
}

static void
dns_server_recv(void *ctx, struct net_host *h, const struct udp_from *from,
    const uint8_t *data, size_t len)
{
	struct dns_state *st = ctx;

	if (len != DNS_QUERY_LEN) {
		st->bad++;
		return;
	}
	st->server_rx++;
	memcpy(st->answer, data, 8);
	udp_send(h, &from->dst, from->dport, &from->src, from->sport,
	    st->answer, sizeof(st->answer));
}

static void
dns_client_recv(void *ctx, struct net_host *h, const struct udp_from *from,
    const uint8_t *data, size_t len)
{
	struct dns_state *st = ctx;
	uint64_t id;

	(void)h;
	(void)from;
	if (len != DNS_ANSWER_LEN) {
		st->bad++;
		return;
	}
	id = get_be64(data);
	if (id >= st->queries || (st->seen[id / 8] & (1u << (id % 8))) != 0) {
		st->bad++;
		return;
	}
	st->seen[id / 8] |= (uint8_t)(1u << (id % 8));
	st->client_rx++;
}

static int
dns_run(const struct dns_opts *o)
{
	struct sim sim;
	struct net net;
	struct dns_state st;
	struct capset cs;
	struct net_host *server, *at[2];
	size_t nat = 0;
	sim_time_t stop;
	double t0, t1, run_s;
	char stem[64];
	uint64_t pkts;
	int rc = 0, ok;

	memset(&st, 0, sizeof(st));
	capset_init(&cs);
	sim_init(&sim, 1);
	net_init(&net, &sim);
	st.sim = &sim;
	st.interval = o->interval;
	st.queries = o->queries;
	st.seen = mx_xcalloc(o->queries / 8 + 1, 1);
	st.client = net_host_add(&net, "client");
	server = net_host_add(&net, "server");
	st.caddr = addr_of("192.0.2.1");
	st.saddr = addr_of("192.0.2.53");
	if (net_host_addr_add(st.client, &st.caddr) != 0 ||
	    net_host_addr_add(server, &st.saddr) != 0 ||
	    net_link_add(&net, st.client, server, &bench_link) == NULL ||
	    net_finalize(&net) != 0 ||
	    udp_bind(server, DNS_PORT, dns_server_recv, NULL, &st) == 0 ||
	    (st.cport = udp_bind(st.client, 0, dns_client_recv, NULL, &st)) ==
	        0) {
		fprintf(stderr, "mxbench: dnsudp: cannot build the network\n");
		rc = 1;
		goto out;
	}
	if (o->capture != DNS_CAP_OFF) {
		at[nat++] = st.client;
		if (o->capture == DNS_CAP_BOTH)
			at[nat++] = server;
		snprintf(stem, sizeof(stem), "dnsudp-%s",
		    dns_capture_names[o->capture]);
		if (capset_open(&cs, &net, o->out, stem, o->format, at, nat) !=
		    0) {
			rc = 1;
			goto out;
		}
	}
	sim_at(&sim, dns_start, dns_tick, &st);
	stop = dns_start + (sim_time_t)o->queries * o->interval + dns_drain;

	t0 = wall_now();
	sim_run(&sim, stop);
	if (capset_close(&cs) != 0)
		rc = 1;
	t1 = wall_now();

	capset_finish(&cs, o->keep);
	pkts = st.server_rx + st.client_rx;
	ok = st.sent == o->queries && st.server_rx == o->queries &&
	     st.client_rx == o->queries && st.bad == 0;
	if (!ok) {
		fprintf(stderr,
		    "mxbench: dnsudp: %" PRIu64 " queries sent, %" PRIu64
		    " delivered, %" PRIu64 " of %" PRIu64 " answered, %" PRIu64
		    " unexpected datagrams\n",
		    st.sent, st.server_rx, st.client_rx, o->queries, st.bad);
		rc = 1;
	}
	/* One file at the client, or one at each end: every file sees each
	 * request and each answer exactly once. */
	if (ok && o->capture != DNS_CAP_OFF && cs.frames != nat * pkts) {
		fprintf(stderr,
		    "mxbench: dnsudp: %" PRIu64 " frames captured, "
		    "expected %" PRIu64 "\n",
		    cs.frames, (uint64_t)nat * pkts);
		rc = 1;
	}
	run_s = t1 - t0;
	printf("RESULT bench=dnsudp queries=%" PRIu64
	       " capture=%s format=%s run_s=%.3f pkts=%" PRIu64
	       " pkts_per_s=%.0f capture_mb_per_s=%.1f capture_bytes=%" PRIu64
	       " maxrss_kb=%ld interval_ns=%" PRId64 " capture_frames=%" PRIu64
	       " events=%" PRIu64 "\n",
	    o->queries, dns_capture_names[o->capture],
	    o->capture == DNS_CAP_OFF ? "none" : format_name(o->format), run_s,
	    pkts, run_s > 0 ? (double)pkts / run_s : 0.0,
	    run_s > 0 ? (double)cs.bytes / 1e6 / run_s : 0.0, cs.bytes,
	    maxrss_kb(), (int64_t)o->interval, cs.frames, sim.events_run);
	fflush(stdout);
out:
	sim_fini(&sim);
	net_fini(&net);
	free(st.seen);
	return rc;
}

static int
dns_job(const void *arg)
{
	return dns_run(arg);
}

static void
dns_usage(FILE *f)
{
	fprintf(f,
	    "usage: mxbench dnsudp [--queries N] [--interval D]\n"
	    "                      [--capture off|one|both] "
	    "[--format pcap|pcapng]\n"
	    "                      [--out DIR] [--keep]\n"
	    "\n"
	    "UDP request/response on one link (100 Mbit/s, 10 ms): from\n"
	    "t = 0.1 s the client sends N datagrams of 40 bytes, one every D,\n"
	    "to server port 53, which answers each with 100 bytes.\n"
	    "\n"
	    "  -n, --queries N   queries (default %" PRIu64 ")\n"
	    "  -i, --interval D  between queries, e.g. 100us (default 100us)\n"
	    "  -c, --capture M   off, one (the client's interface) or both\n"
	    "                    (a file at each end); default off\n"
	    "  -f, --format F    pcap (default) or pcapng\n"
	    "  -o, --out DIR     where capture files go (default %s)\n"
	    "  -k, --keep        keep the capture files (default: removed)\n"
	    "  -h, --help        this text\n",
	    dns_default_queries, bench_default_out);
}

static void
dns_opts_default(struct dns_opts *o)
{
	o->queries = dns_default_queries;
	o->interval = dns_default_interval;
	o->capture = DNS_CAP_OFF;
	o->format = CAP_PCAP;
	o->out = bench_default_out;
	o->keep = false;
}

static int
parse_interval(const char *prog, const char *s, sim_time_t *out)
{
	char why[128];
	sim_time_t v;

	if (!dur_parse(s, &v, why, sizeof(why))) {
		fprintf(stderr, "%s: --interval: %s\n", prog, why);
		return -1;
	}
	if (v <= 0 || v > dns_max_interval) {
		fprintf(stderr,
		    "%s: --interval: '%s' is not between 1ns and 10s\n", prog,
		    s);
		return -1;
	}
	*out = v;
	return 0;
}

static int
cmd_dnsudp(int argc, char *argv[])
{
	static const struct option longopts[] = {
	    {"queries", required_argument, NULL, 'n'},
	    {"interval", required_argument, NULL, 'i'},
	    {"capture", required_argument, NULL, 'c'},
	    {"format", required_argument, NULL, 'f'},
	    {"out", required_argument, NULL, 'o'},
	    {"keep", no_argument, NULL, 'k'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct dns_opts o;
	int c, w;

	dns_opts_default(&o);
	while ((c = getopt_long(argc, argv, "n:i:c:f:o:kh", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'n':
			if (parse_count(argv[0], "queries", optarg,
			        dns_max_queries, &o.queries) != 0)
				return EXIT_USAGE;
			break;
		case 'i':
			if (parse_interval(argv[0], optarg, &o.interval) != 0)
				return EXIT_USAGE;
			break;
		case 'c':
			w = parse_word(
			    argv[0], "capture", optarg, dns_capture_names, 3);
			if (w < 0)
				return EXIT_USAGE;
			o.capture = (enum dns_capture)w;
			break;
		case 'f':
			if (parse_format(argv[0], optarg, &o.format) != 0)
				return EXIT_USAGE;
			break;
		case 'o':
			o.out = optarg;
			break;
		case 'k':
			o.keep = true;
			break;
		case 'h':
			dns_usage(stdout);
			return 0;
		default:
			return try_help("dnsudp");
		}
	}
	if (optind != argc) {
		fprintf(stderr, "mxbench dnsudp: unexpected argument '%s'\n",
		    argv[optind]);
		return try_help("dnsudp");
	}
	return dns_run(&o);
}

/* ------------------------------------------------------------------ */
/* tcpshort: many short TCP connections                                 */

/*
 * A star: the client in the middle, one point-to-point link (100 Mbit/s,
 * 10 ms) to each of 3 servers listening on port 25.  The client has one
 * address (198.18.0.1, the benchmarking range of RFC 2544) and three
 * interfaces; each server has its own address in a distinct documentation
 * range (RFC 5737), and net_finalize() gives the client one route to each.
 * The client keeps 'parallel' connections open, connection i going to
 * server i mod 3; each connection sends 1,000 bytes as soon as it is
 * established and closes at once (tcp_close() right after tcp_send(): the
 * data leaves in one segment and the FIN in the next, as Linux sends
 * them).  A server counts the bytes and closes when it sees the client's
 * FIN (its 'eof' callback).  When a connection is done for the client (its
 * 'closed' callback: our FIN acknowledged and the server's FIN received)
 * the next one starts, until N have completed; the run goes on until the
 * servers have seen their last connection close too.  The run checks that
 * every one of the N connections was accepted and closed in order on both
 * sides and that N * 1,000 bytes arrived.
 *
 * TIME_WAIT and port reuse, decided on purpose: we keep Linux's behaviour
 * and do not shorten it as the ns-3 runs had to (2 s instead of 120 s).
 * The client, which closes first, keeps each connection in TIME_WAIT for
 * our TCP's default of 60 s (tcp_params.time_wait, Linux's
 * TCP_TIMEWAIT_LEN); the servers close second (LAST_ACK) and keep nothing.
 * Each connection takes 40 ms of simulated time (SYN, SYN-ACK, data and
 * FIN, the server's FIN: two round trips), so at 4 in parallel 100 start
 * per simulated second and about 6,000 are in TIME_WAIT at any time once
 * the first minute has passed; they really are kept (memory, table
 * lookups) and really expire (one timer event each), and that cost is part
 * of the measurement.  Ports: every connection takes a fresh ephemeral port
 * (net_host_port() cycles through Linux's 32768-60999, 28,232 ports), so
 * 20,000 connections never use a port twice, and for any N a port comes
 * back only after 282 simulated seconds, long after its TIME_WAIT ended:
 * no 4-tuple is ever reused while its previous connection might still see
 * old segments, and no TIME_WAIT assassination or tcp_tw_reuse is needed.
 * That holds while fewer than 28,232 connections start within 60 s, that
 * is up to 16 in parallel (400 per second): hence --parallel's limit.
 */

enum {
	TCP_SERVERS = 3,  /* servers around the client */
	TCP_DATA = 1000,  /* bytes per connection */
	SMTP_PORT = 25,   /* the servers' port */
	TCP_MAX_PAR = 16, /* see "TIME_WAIT and port reuse" above */
};

enum tcp_capture { TCP_CAP_OFF, TCP_CAP_CLIENT, TCP_CAP_ALL };

static const char *const tcp_capture_names[] = {"off", "client", "all"};
static const uint64_t tcp_default_conns = 20000;
static const uint64_t tcp_max_conns = 100000000;
static const uint64_t tcp_default_parallel = 4;
static const char *const tcp_server_names[TCP_SERVERS] = {
    "server1", "server2", "server3"};
static const char *const tcp_server_addrs[TCP_SERVERS] = {
    "192.0.2.25", "198.51.100.25", "203.0.113.25"};

struct tcp_opts {
	uint64_t conns;           /* N */
	uint64_t parallel;        /* connections open at a time */
	enum tcp_capture capture; /* capture mode */
	enum cap_format format;   /* capture file format */
	const char *out;          /* directory for the files */
	bool keep;                /* keep the files */
};

struct tcp_state {
	struct net_host *client;            /* borrowed */
	struct net_addr saddr[TCP_SERVERS]; /* the servers' addresses */
	uint64_t conns, parallel;           /* N and the parallelism */
	uint64_t started;                   /* connections opened */
	uint64_t connect_failed;            /* tcp_connect() said no */
	uint64_t cli_ended, cli_ok;         /* client 'closed' calls, orderly */
	uint64_t accepted;                  /* server accept calls */
	uint64_t srv_ended, srv_ok;         /* server 'closed' calls, orderly */
	uint64_t bytes;                     /* bytes the servers received */
	enum tcp_end first_bad;             /* first abnormal end seen */
	bool any_bad;                       /* 'first_bad' is set */
	uint8_t data[TCP_DATA];             /* what each connection sends */
};

static void tcp_start_more(struct tcp_state *st);

static void
tcp_bad_end(struct tcp_state *st, enum tcp_end why)
{
	if (!st->any_bad) {
		st->any_bad = true;
		st->first_bad = why;
	}
}

static void
tcp_cli_connected(void *ctx, struct tcp_conn *c)
{
	struct tcp_state *st = ctx;

	tcp_send(c, st->data, sizeof(st->data));
	tcp_close(c);
}

static void
tcp_cli_closed(void *ctx, struct tcp_conn *c, enum tcp_end why, int code)
{
	struct tcp_state *st = ctx;

	(void)c;
	(void)code;
	st->cli_ended++;
	if (why == TCP_END_CLOSED)
		st->cli_ok++;
	else
		tcp_bad_end(st, why);
	tcp_start_more(st);
}

static const struct tcp_cb tcp_client_cb = {
    .connected = tcp_cli_connected,
    .data = NULL,
    .eof = NULL,
    .closed = tcp_cli_closed,
};

static void
tcp_srv_data(void *ctx, struct tcp_conn *c, const uint8_t *p, size_t n)
{
	struct tcp_state *st = ctx;

	(void)c;
	(void)p;
	st->bytes += n;
}

static void
tcp_srv_eof(void *ctx, struct tcp_conn *c)
{
	(void)ctx;
	tcp_close(c);
}

static void
tcp_srv_closed(void *ctx, struct tcp_conn *c, enum tcp_end why, int code)
{
	struct tcp_state *st = ctx;

	(void)c;
	(void)code;
	st->srv_ended++;
	if (why == TCP_END_CLOSED)
		st->srv_ok++;
	else
		tcp_bad_end(st, why);
}

static const struct tcp_cb tcp_server_cb = {
    .connected = NULL,
    .data = tcp_srv_data,
    .eof = tcp_srv_eof,
    .closed = tcp_srv_closed,
};

static bool
tcp_srv_accept(
    void *ctx, struct tcp_conn *c, const struct tcp_cb **cb, void **cbctx)
{
	struct tcp_state *st = ctx;

	(void)c;
	st->accepted++;
	*cb = &tcp_server_cb;
	*cbctx = st;
	return true;
}

/* Opens connections until 'parallel' are open or N have been started. */
static void
tcp_start_more(struct tcp_state *st)
{
	while (
	    st->started < st->conns &&
	    st->started - st->cli_ended - st->connect_failed < st->parallel) {
		const struct net_addr *dst =
		    &st->saddr[st->started % TCP_SERVERS];

		if (tcp_connect(
		        st->client, dst, SMTP_PORT, &tcp_client_cb, st) == NULL)
			st->connect_failed++;
		st->started++;
	}
}

static void
tcp_kick(struct sim *sim, void *arg)
{
	(void)sim;
	tcp_start_more(arg);
}

static int
tcp_run(const struct tcp_opts *o)
{
	struct sim sim;
	struct net net;
	struct tcp_state st;
	struct capset cs;
	struct net_host *server[TCP_SERVERS], *at[1 + TCP_SERVERS];
	struct net_addr caddr;
	size_t i, nat = 0;
	double t0, t1, run_s;
	char stem[64];
	int rc = 0, ok;

	memset(&st, 0, sizeof(st));
	capset_init(&cs);
	sim_init(&sim, 1);
	net_init(&net, &sim);
	st.conns = o->conns;
	st.parallel = o->parallel;
	for (i = 0; i < sizeof(st.data); i++)
		st.data[i] = (uint8_t)('a' + i % 26);
	st.client = net_host_add(&net, "client");
	caddr = addr_of("198.18.0.1");
	if (net_host_addr_add(st.client, &caddr) != 0)
		goto bad_net;
	for (i = 0; i < TCP_SERVERS; i++) {
		server[i] = net_host_add(&net, tcp_server_names[i]);
		st.saddr[i] = addr_of(tcp_server_addrs[i]);
		if (net_host_addr_add(server[i], &st.saddr[i]) != 0 ||
		    net_link_add(&net, st.client, server[i], &bench_link) ==
		        NULL ||
		    tcp_listen(server[i], SMTP_PORT, tcp_srv_accept, &st) != 0)
			goto bad_net;
	}
	/* The client is a host and never forwards: the servers cannot reach
	 * each other, and those are the only pairs without a path. */
	if (net_finalize(&net) != TCP_SERVERS * (TCP_SERVERS - 1))
		goto bad_net;
	if (o->capture != TCP_CAP_OFF) {
		at[nat++] = st.client;
		if (o->capture == TCP_CAP_ALL)
			for (i = 0; i < TCP_SERVERS; i++)
				at[nat++] = server[i];
		snprintf(stem, sizeof(stem), "tcpshort-%s",
		    tcp_capture_names[o->capture]);
		if (capset_open(&cs, &net, o->out, stem, o->format, at, nat) !=
		    0) {
			rc = 1;
			goto out;
		}
	}
	sim_at(&sim, 0, tcp_kick, &st);

	/* Until the client has seen N connections end and the servers
	 * every connection they accepted; TIME_WAIT timers still pending
	 * then are left alone.  If something goes wrong the queue still
	 * empties (every timer ends), so this loop ends. */
	t0 = wall_now();
	while ((st.cli_ended + st.connect_failed < st.conns ||
	           st.srv_ended < st.accepted) &&
	       sim_step(&sim, SIM_NEVER))
		;
	if (capset_close(&cs) != 0)
		rc = 1;
	t1 = wall_now();

	capset_finish(&cs, o->keep);
	ok = st.started == o->conns && st.connect_failed == 0 &&
	     st.cli_ok == o->conns && st.accepted == o->conns &&
	     st.srv_ok == o->conns && !st.any_bad &&
	     st.bytes == o->conns * TCP_DATA;
	if (!ok) {
		fprintf(stderr,
		    "mxbench: tcpshort: %" PRIu64 " started (%" PRIu64
		    " refused by tcp_connect), %" PRIu64
		    " closed by the client, %" PRIu64 " accepted, %" PRIu64
		    " closed by the servers, %" PRIu64
		    " bytes received; want %" PRIu64 " connections and %" PRIu64
		    " bytes%s%s\n",
		    st.started, st.connect_failed, st.cli_ok, st.accepted,
		    st.srv_ok, st.bytes, o->conns, o->conns * TCP_DATA,
		    st.any_bad ? "; first abnormal end: " : "",
		    st.any_bad ? tcp_end_name(st.first_bad) : "");
		rc = 1;
	}
	/* Every frame crosses a link, so with a file at every interface the
	 * client's file holds exactly the frames the servers' files hold. */
	if (ok && o->capture == TCP_CAP_ALL &&
	    2 * cs.frames_of[0] != cs.frames) {
		fprintf(stderr,
		    "mxbench: tcpshort: the client captured %" PRIu64
		    " frames, the servers %" PRIu64 "\n",
		    cs.frames_of[0], cs.frames - cs.frames_of[0]);
		rc = 1;
	}
	run_s = t1 - t0;
	printf("RESULT bench=tcpshort conns=%" PRIu64
	       " capture=%s format=%s run_s=%.3f conns_per_s=%.0f"
	       " capture_mb_per_s=%.1f maxrss_kb=%ld parallel=%" PRIu64
	       " capture_bytes=%" PRIu64 " capture_frames=%" PRIu64
	       " sim_s=%.3f events=%" PRIu64 "\n",
	    o->conns, tcp_capture_names[o->capture],
	    o->capture == TCP_CAP_OFF ? "none" : format_name(o->format), run_s,
	    run_s > 0 ? (double)st.cli_ok / run_s : 0.0,
	    run_s > 0 ? (double)cs.bytes / 1e6 / run_s : 0.0, maxrss_kb(),
	    o->parallel, cs.bytes, cs.frames, (double)sim.now / 1e9,
	    sim.events_run);
	fflush(stdout);
	goto out;
bad_net:
	fprintf(stderr, "mxbench: tcpshort: cannot build the network\n");
	rc = 1;
out:
	sim_fini(&sim);
	net_fini(&net);
	return rc;
}

static int
tcp_job(const void *arg)
{
	return tcp_run(arg);
}

static void
tcp_usage(FILE *f)
{
	fprintf(f,
	    "usage: mxbench tcpshort [--conns N] [--parallel P]\n"
	    "                        [--capture off|client|all] "
	    "[--format pcap|pcapng]\n"
	    "                        [--out DIR] [--keep]\n"
	    "\n"
	    "Many short TCP connections: the client, linked to 3 servers\n"
	    "(100 Mbit/s, 10 ms), keeps P connections open, round-robin over\n"
	    "the servers' port 25; each sends 1,000 bytes and closes.\n"
	    "\n"
	    "  -n, --conns N     connections to complete (default %" PRIu64
	    ")\n"
	    "  -p, --parallel P  open at a time, 1 to %d (default %" PRIu64
	    ")\n"
	    "  -c, --capture M   off, client (the client's side of each\n"
	    "                    link, one file) or all (every interface: a\n"
	    "                    file per host); default off\n"
	    "  -f, --format F    pcap (default) or pcapng\n"
	    "  -o, --out DIR     where capture files go (default %s)\n"
	    "  -k, --keep        keep the capture files (default: removed)\n"
	    "  -h, --help        this text\n",
	    tcp_default_conns, TCP_MAX_PAR, tcp_default_parallel,
	    bench_default_out);
}

static void
tcp_opts_default(struct tcp_opts *o)
{
	o->conns = tcp_default_conns;
	o->parallel = tcp_default_parallel;
	o->capture = TCP_CAP_OFF;
	o->format = CAP_PCAP;
	o->out = bench_default_out;
	o->keep = false;
}

static int
cmd_tcpshort(int argc, char *argv[])
{
	static const struct option longopts[] = {
	    {"conns", required_argument, NULL, 'n'},
	    {"parallel", required_argument, NULL, 'p'},
	    {"capture", required_argument, NULL, 'c'},
	    {"format", required_argument, NULL, 'f'},
	    {"out", required_argument, NULL, 'o'},
	    {"keep", no_argument, NULL, 'k'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct tcp_opts o;
	int c, w;

	tcp_opts_default(&o);
	while ((c = getopt_long(argc, argv, "n:p:c:f:o:kh", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'n':
			if (parse_count(argv[0], "conns", optarg, tcp_max_conns,
			        &o.conns) != 0)
				return EXIT_USAGE;
			break;
		case 'p':
			if (parse_count(argv[0], "parallel", optarg,
			        TCP_MAX_PAR, &o.parallel) != 0)
				return EXIT_USAGE;
			break;
		case 'c':
			w = parse_word(
			    argv[0], "capture", optarg, tcp_capture_names, 3);
			if (w < 0)
				return EXIT_USAGE;
			o.capture = (enum tcp_capture)w;
			break;
		case 'f':
			if (parse_format(argv[0], optarg, &o.format) != 0)
				return EXIT_USAGE;
			break;
		case 'o':
			o.out = optarg;
			break;
		case 'k':
			o.keep = true;
			break;
		case 'h':
			tcp_usage(stdout);
			return 0;
		default:
			return try_help("tcpshort");
		}
	}
	if (optind != argc) {
		fprintf(stderr, "mxbench tcpshort: unexpected argument '%s'\n",
		    argv[optind]);
		return try_help("tcpshort");
	}
	return tcp_run(&o);
}

/* ------------------------------------------------------------------ */
/* all: every workload at the contract's parameters                     */

struct sched_job_args {
	uint64_t events, pool;
};

static int
sched_job(const void *arg)
{
	const struct sched_job_args *a = arg;

	return sched_run(a->events, a->pool);
}

static void
all_usage(FILE *f)
{
	fprintf(f,
	    "usage: mxbench all [--events N] [--queries N] [--conns N]\n"
	    "                   [--format pcap|pcapng] [--out DIR] [--keep]\n"
	    "\n"
	    "Runs sched at pools 100, 1000 and 100000, dnsudp with capture\n"
	    "off, one and both, and tcpshort with capture off, client and\n"
	    "all, zoneload at 1,000, 10,000 and 100,000 records and dnsrec\n"
	    "at 1,000, 10,000 and 100,000 names, one RESULT line each, each\n"
	    "run in a process of its own.\n"
	    "Captures are classic pcap; with --format pcapng the capturing\n"
	    "runs are repeated in pcapng.\n"
	    "\n"
	    "  -n, --events N    events per sched run (default %" PRIu64 ")\n"
	    "  -q, --queries N   dnsudp queries (default %" PRIu64 ")\n"
	    "  -C, --conns N     tcpshort connections (default %" PRIu64 ")\n"
	    "  -f, --format F    pcap (default) or pcapng (pcap and pcapng)\n"
	    "  -o, --out DIR     where capture files go (default %s)\n"
	    "  -k, --keep        keep the capture files (default: removed)\n"
	    "  -h, --help        this text\n",
	    sched_default_events, dns_default_queries, tcp_default_conns,
	    bench_default_out);
}

static int
cmd_all(int argc, char *argv[])
{
	static const struct option longopts[] = {
	    {"events", required_argument, NULL, 'n'},
	    {"queries", required_argument, NULL, 'q'},
	    {"conns", required_argument, NULL, 'C'},
	    {"format", required_argument, NULL, 'f'},
	    {"out", required_argument, NULL, 'o'},
	    {"keep", no_argument, NULL, 'k'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct sched_job_args sa;
	struct dns_opts dopt;
	struct tcp_opts topt;
	enum cap_format fmt = CAP_PCAP, formats[2];
	size_t i, nfmt;
	int c, rc = 0;

	sa.events = sched_default_events;
	dns_opts_default(&dopt);
	tcp_opts_default(&topt);
	while ((c = getopt_long(argc, argv, "n:q:C:f:o:kh", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'n':
			if (parse_count(argv[0], "events", optarg, UINT64_MAX,
			        &sa.events) != 0)
				return EXIT_USAGE;
			break;
		case 'q':
			if (parse_count(argv[0], "queries", optarg,
			        dns_max_queries, &dopt.queries) != 0)
				return EXIT_USAGE;
			break;
		case 'C':
			if (parse_count(argv[0], "conns", optarg, tcp_max_conns,
			        &topt.conns) != 0)
				return EXIT_USAGE;
			break;
		case 'f':
			if (parse_format(argv[0], optarg, &fmt) != 0)
				return EXIT_USAGE;
			break;
		case 'o':
			dopt.out = topt.out = optarg;
			break;
		case 'k':
			dopt.keep = topt.keep = true;
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
	formats[0] = CAP_PCAP;
	formats[1] = CAP_PCAPNG;
	nfmt = fmt == CAP_PCAPNG ? 2 : 1;

	for (i = 0; i < sizeof(sched_all_pools) / sizeof(sched_all_pools[0]);
	     i++) {
		sa.pool = sched_all_pools[i];
		if (run_isolated(sched_job, &sa) != 0)
			rc = 1;
	}
	dopt.capture = DNS_CAP_OFF;
	if (run_isolated(dns_job, &dopt) != 0)
		rc = 1;
	for (i = 0; i < nfmt; i++) {
		dopt.format = formats[i];
		dopt.capture = DNS_CAP_ONE;
		if (run_isolated(dns_job, &dopt) != 0)
			rc = 1;
		dopt.capture = DNS_CAP_BOTH;
		if (run_isolated(dns_job, &dopt) != 0)
			rc = 1;
	}
	topt.capture = TCP_CAP_OFF;
	if (run_isolated(tcp_job, &topt) != 0)
		rc = 1;
	for (i = 0; i < nfmt; i++) {
		topt.format = formats[i];
		topt.capture = TCP_CAP_CLIENT;
		if (run_isolated(tcp_job, &topt) != 0)
			rc = 1;
		topt.capture = TCP_CAP_ALL;
		if (run_isolated(tcp_job, &topt) != 0)
			rc = 1;
	}
	if (dnsrec_all(dopt.out, dopt.keep) != 0)
		rc = 1;
	return rc;
}

/* ------------------------------------------------------------------ */

struct command {
	const char *name;                   /* subcommand word */
	int (*run)(int argc, char *argv[]); /* argv[0] "mxbench <name>" */
	const char *summary;                /* one line for --help */
};

static const struct command commands[] = {
    {"sched", cmd_sched, "the event engine alone (hold model)"},
    {"dnsudp", cmd_dnsudp, "UDP request/response on one link, with capture"},
    {"tcpshort", cmd_tcpshort, "many short TCP connections, with capture"},
    {"zoneload", cmd_zoneload, "a big zone: master file load, lookups"},
    {"dnsrec", cmd_dnsrec, "stub, recursive resolver, 3 servers, cache"},
    {"sweep", cmd_sweep, "10,000 seeded runs of a three-MX scenario"},
    {"all", cmd_all, "every workload at the contract's parameters"},
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

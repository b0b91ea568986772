/*
 * test_profiles.c - the shipped sender profiles on the classic failover
 * cases, with attempt order, outcome and simulated times pinned.
 *
 * Every expected value names its source: mta-behavior.md (the project's
 * reference, which cites the MTA code it was read from) section and the
 * MTA parameter.  Network timing as in test_scenarios.c: one-way latency
 * 200 us, so an attempt's MX and two A lookups take 1.2 ms before the
 * first connection, a refused connection fails 0.4 ms later, and a
 * delivery takes 2.8 ms from connect to the 250 after ".".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

#define US(x) SIM_US(x)

/* The start of the first connection of each delivery attempt. */
static size_t
delivery_starts(
    const struct hrun *h, const char *rcpt, sim_time_t *out, size_t max)
{
	struct mta_rcpt_result r;
	size_t i, n = 0;
	int last = 0;

	assert_int_equal(h_result(h, rcpt, 0, &r), 0);
	for (i = 0; i < r.nattempts && n < max; i++)
		if (r.attempts[i].delivery != last) {
			last = r.attempts[i].delivery;
			out[n++] = r.attempts[i].start;
		}
	return n;
}

/* Asserts the deliveries of 'rcpt' started at want[] seconds (plus the
 * 1.2 ms of DNS before the first connection), and no others. */
static void
starts_are(const struct hrun *h, const char *rcpt, const double *want, size_t n)
{
	sim_time_t got[64];
	size_t k = delivery_starts(h, rcpt, got, 64), i;

	if (k != n)
		fail_msg("%s: %zu deliveries, expected %zu", rcpt, k, n);
	for (i = 0; i < n; i++) {
		sim_time_t w = (sim_time_t)(want[i] * 1e9 + 0.5) + US(1200);

		if (got[i] != w)
			fail_msg("%s: delivery %zu started at %lld ns, "
			         "expected %lld",
			    rcpt, i + 1, (long long)got[i], (long long)w);
	}
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/*
 * All MX refuse for 5 hours (fixtures/prof-all-down.lua).  Failures take
 * 2 ms, so the attempts follow each schedule exactly.
 */
static void
test_all_down_retry_times(void **state)
{
	/* Postfix qmgr_active.c: now + clamp(age, 300, 4000) s on the
	 * queue_run_delay = 300 s scan: 0, 5, 10, 20, 40, 80 min, 150 min
	 * (4800 + 4000 = 8800 -> 9000), 220 min (13000 -> 13200), 290 min. */
	static const double postfix[] = {
	    0, 300, 600, 1200, 2400, 4800, 9000, 13200, 17400};
	/* Exim configure.default F,2h,15m per IP from the first failure,
	 * but delivery only at queue runs every 30 min (Debian
	 * QUEUEINTERVAL): every run to 2 h; the failure at 2 h (failing
	 * for exactly 2 h, still F) asks for 2h15m -> run 2h30m; then G:
	 * min(15m predicted, 30m actual) < 1 h -> 1 h -> 3h30m; then
	 * 1.5 h -> 5 h, past the end. */
	static const double exim[] = {0, 1800, 3600, 5400, 7200, 9000, 12600};
	/* OpenSMTPD scheduler_ramqueue.c: 400 s n^2. */
	static const double smtpd[] = {0, 400, 1600, 3600, 6400, 10000, 14400};
	/* Sendmail: the whole queue every -q30m. */
	static const double sendmail[] = {
	    0, 1800, 3600, 5400, 7200, 9000, 10800, 12600, 14400, 16200};
	/* Haraka config.js: 2^(n+5) s after each failure (each 2 ms). */
	static const double haraka[] = {0, 64.002, 192.004, 448.006, 960.008,
	    1984.010, 4032.012, 8128.014, 16320.016};
	/* SCENARIO-DSL.md: 'retry' overrides the profile's schedule and
	 * its scan grid: every 7 min after each failure. */
	double over[43];
	struct hrun *h = h_run("tests/scenario/fixtures/prof-all-down.lua", 0);
	sim_time_t got[64];
	size_t i, n;

	(void)state;
	starts_are(h, "postfix@example.test", postfix, N(postfix));
	starts_are(h, "exim@example.test", exim, N(exim));
	starts_are(h, "opensmtpd@example.test", smtpd, N(smtpd));
	starts_are(h, "sendmail@example.test", sendmail, N(sendmail));
	starts_are(h, "haraka@example.test", haraka, N(haraka));
	for (i = 0; i < N(over); i++)
		over[i] = (double)i * 420.002;
	starts_are(h, "override@example.test", over, N(over));
	/* chasquid queue.go nextDelay(): 1 m, 5 m, 10 m, then 20 m by the
	 * message's age, each plus rand.N(60 s). */
	n = delivery_starts(h, "go@example.test", got, 64);
	assert_true(n >= 12);
	for (i = 1; i < n; i++) {
		/* Both RSTs arrive 0.8 ms after the first connect; the
		 * message was queued at 0 s, so its age is that time. */
		sim_time_t failed = got[i - 1] + US(800);
		sim_time_t age = failed;
		sim_time_t d = age < SIM_MIN(1)    ? SIM_MIN(1)
		               : age < SIM_MIN(5)  ? SIM_MIN(5)
		               : age < SIM_MIN(10) ? SIM_MIN(10)
		                                   : SIM_MIN(20);
		sim_time_t gap = got[i] - US(1200) - failed;

		assert_true(gap >= d);
		assert_true(gap < d + SIM_S(60));
	}
	h_free(h);
}

/*
 * Dead-host memory shared by messages (fixtures/prof-dead-host.lua).
 */
static void
test_postfix_dead_destination(void **state)
{
	struct hrun *h = h_run("tests/scenario/fixtures/prof-dead-host.lua", 0);
	struct mta_rcpt_result r;
	const struct hrec *x;
	char buf[256];

	(void)state;
	/* msg 1: smtp_connect_timeout = 30s on mx1, then mx2 (pref
	 * order); the final server failed at 60 s: qmgr_queue_throttle()
	 * marks example.test dead for minimal_backoff_time = 300 s. */
	x = h_find(h, "mta.dead", "postfix", 0);
	assert_non_null(x);
	assert_int_equal(x->t, SIM_S(60) + US(1200));
	/* msg 2 at 2 min: "delivery temporarily suspended", no lookup and
	 * no connection (mta-behavior.md §5 item 25). */
	x = h_find(h, "mta.suspended", "postfix", 0);
	assert_non_null(x);
	assert_int_equal(x->t, SIM_MIN(2));
	assert_string_equal(x->text,
	    "destination example.test is dead until 360.000000: msg 2 "
	    "deferred without a connection");
	/* Postfix backoff: msg 1 failed at 60 s, age 60 s -> 300 s -> due
	 * 360 s -> scan at 600 s; msg 2 (queued 120 s) age 0 -> due 420 s
	 * -> scan at 600 s.  Both fail again at 660 s: msg 2 (age 540 s)
	 * due 1200 s, msg 1 (age 660 s) due 1320 s -> scan 1500 s.  The
	 * outage ends at 20 min. */
	assert_string_equal(
	    h_attempts(h, "carol@example.test", 0, buf, sizeof(buf)),
	    "mx1:timeout,mx2:timeout,mx1:delivered");
	assert_int_equal(h_result(h, "carol@example.test", 0, &r), 0);
	assert_int_equal(r.deliveries, 3);
	assert_int_equal(r.attempts[0].start, SIM_S(600) + US(1200));
	assert_int_equal(r.t, SIM_S(1200) + US(1200) + US(2800));
	assert_string_equal(
	    h_attempts(h, "bob@example.test", 0, buf, sizeof(buf)),
	    "mx1:timeout,mx2:timeout,mx1:timeout,mx2:timeout,"
	    "mx1:delivered");
	assert_int_equal(h_result(h, "bob@example.test", 0, &r), 0);
	assert_int_equal(r.attempts[2].start, SIM_S(600) + US(1200));
	assert_int_equal(r.t, SIM_S(1500) + US(1200) + US(2800));
	h_free(h);
}

static void
test_exim_per_ip_retry_record(void **state)
{
	struct hrun *h = h_run("tests/scenario/fixtures/prof-dead-host.lua", 0);
	struct mta_rcpt_result r;
	const struct hrec *x;
	char buf[256];

	(void)state;
	/* Host error on mx3: a retry record for its IP, next try 15 min
	 * after the first failure (F,2h,15m). */
	assert_string_equal(
	    h_attempts(h, "dave@other.test", 0, buf, sizeof(buf)),
	    "mx3:refused,mx4:delivered");
	/* At 5 min the record is shared: mx3 skipped, "retry time not
	 * reached", and not counted (spec "Retry rules"). */
	assert_string_equal(
	    h_attempts(h, "erin@other.test", 0, buf, sizeof(buf)),
	    "mx4:delivered");
	x = h_find(h, "mta.skip", "exim", 0);
	assert_non_null(x);
	assert_int_equal(x->t, SIM_MIN(5) + US(1200));
	assert_int_equal(h_result(h, "erin@other.test", 0, &r), 0);
	assert_int_equal(r.t, SIM_MIN(5) + US(1200) + US(2800));
	/* At 20 min the retry time (15 min) has passed: mx3 again. */
	assert_string_equal(
	    h_attempts(h, "fred@other.test", 0, buf, sizeof(buf)),
	    "mx3:refused,mx4:delivered");
	assert_int_equal(h_count(h, "mta.skip", "exim"), 1);
	h_free(h);
}

/*
 * 554 greeting, the §3.1 matrix (fixtures/prof-greeting-554.lua): one
 * row per profile, the attempts and outcome for the domain with mx1 only
 * and for the one with mx2 behind it.  All at 0 s: the greeting arrives
 * 0.4 ms after the 1.2 ms connect (1.6 ms), mx2 delivers 2.8 ms after its
 * connect at 2.0 ms (4.8 ms).
 */
struct greet_row {
	const char *who;
	const char *solo;          /* attempts, first delivery only */
	enum mta_outcome solo_out; /* at 0.0016 s or still queued */
	const char *duo;           /* attempts */
	enum mta_outcome duo_out;  /* outcome */
	const char *why;           /* the source */
};

static const struct greet_row greet_rows[] = {
    {"postfix", "mx1:554", MTA_DEFERRED, "mx1:554,mx2:delivered", MTA_DELIVERED,
        "smtp_skip_5xx_greeting = yes: 5xx -> 4xx, next; final -> defer"},
    {"exim", "mx1:554", MTA_BOUNCED, "mx1:554,mx2:delivered", MTA_DELIVERED,
        "transports/smtp.c host->next ? DEFER : FAIL"},
    {"opensmtpd", "mx1:554", MTA_DEFERRED, "mx1:554,mx2:delivered",
        MTA_DELIVERED, "mta_session.c: banner not 2xx -> route error"},
    {"sendmail", "mx1:554", MTA_BOUNCED, "mx1:554,mx2:delivered", MTA_DELIVERED,
        "usersmtp.c smtpinit(): next MX, last -> fail"},
    {"haraka", "mx1:554", MTA_BOUNCED, "mx1:554", MTA_BOUNCED,
        "hmail.js try_deliver_host_on_socket(): 5xx greeting bounces"},
    {"go", "mx1:554", MTA_DEFERRED, "mx1:554,mx2:delivered", MTA_DELIVERED,
        "chasquid courier/smtp.go: Hello error transient -> next MX"},
    {"answer-order", "mx1:554", MTA_DEFERRED, "mx1:554", MTA_DEFERRED,
        "mxclient #1: only a failed connection moves on"},
};

static void
test_greeting_554_matrix(void **state)
{
	struct hrun *h =
	    h_run("tests/scenario/fixtures/prof-greeting-554.lua", 0);
	struct mta_rcpt_result r;
	char rcpt[64], buf[256];
	size_t i;

	(void)state;
	for (i = 0; i < N(greet_rows); i++) {
		const struct greet_row *g = &greet_rows[i];

		snprintf(rcpt, sizeof(rcpt), "%s@solo.test", g->who);
		assert_int_equal(h_result(h, rcpt, 0, &r), 0);
		if (r.outcome != g->solo_out)
			fail_msg("%s: %s, expected %s (%s)", rcpt,
			    mta_outcome_name(r.outcome),
			    mta_outcome_name(g->solo_out), g->why);
		assert_true(r.nattempts >= 1);
		assert_string_equal(r.attempts[0].result, "554");
		assert_int_equal(r.attempts[0].end, US(1600));
		if (g->solo_out == MTA_BOUNCED)
			assert_int_equal(r.t, US(1600));
		snprintf(rcpt, sizeof(rcpt), "%s@duo.test", g->who);
		assert_int_equal(h_result(h, rcpt, 0, &r), 0);
		if (r.outcome != g->duo_out)
			fail_msg("%s: %s, expected %s (%s)", rcpt,
			    mta_outcome_name(r.outcome),
			    mta_outcome_name(g->duo_out), g->why);
		if (g->duo_out != MTA_DEFERRED)
			assert_string_equal(
			    h_attempts(h, rcpt, 0, buf, sizeof(buf)), g->duo);
		if (g->duo_out == MTA_DELIVERED)
			assert_int_equal(r.t, US(4800));
	}
	/* Postfix defers the solo domain on its normal backoff: 300, 600,
	 * 1200 s (the 20 min stop comes first). */
	assert_string_equal(
	    h_attempts(h, "postfix@solo.test", 0, buf, sizeof(buf)),
	    "mx1:554,mx1:554,mx1:554");
	/* Exim, Sendmail and Haraka send a DSN to the local sender. */
	assert_int_equal(h_count(h, "mta.dsn", "exim"), 1);
	assert_int_equal(h_count(h, "mta.dsn", "haraka"), 2);
	assert_int_equal(h_count(h, "mta.dsn", "postfix"), 0);
	h_free(h);
}

/*
 * The classic cases (fixtures/prof-classic.lua), one table per case, one
 * row per shipped profile.  Timing on that network (one-way latency
 * 200 us, IPv4-only senders, so A lookups only): the MX query and each
 * MX host's A query take 0.4 ms each, in turn, so the first connection
 * starts at 0.8 ms with one MX host, 1.2 ms with two, 1.6 ms with three;
 * a refused connection fails 0.4 ms after it starts, a greeting arrives
 * 0.8 ms after, a 450 to RCPT 2.0 ms after, a delivery ends 2.8 ms after.
 * A row gives the attempts of the first delivery, its outcome, and a
 * time: when the recipient was delivered or bounced, or, when deferred,
 * when the second delivery's first connection started.
 */
struct crow {
	const char *prof;     /* sender (= profile) name */
	const char *attempts; /* first delivery, "host:result,..." */
	enum mta_outcome out; /* after the first delivery */
	sim_time_t t;         /* see above; GO_RETRY: chasquid's range */
	const char *why;      /* the source of the expectation */
};

/* chasquid queue.go nextDelay(): 1 min after a failure at an age under
 * 1 min, plus rand.N(60 s): checked as a range. */
#define GO_RETRY (-2)
#define MS(x)    ((sim_time_t)((x)*1000000.0 + 0.5))
#define S(x)     SIM_S(x)

static const char *
first_delivery(const struct mta_rcpt_result *r, char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < r->nattempts && r->attempts[i].delivery == 1; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s:%s",
		    i ? "," : "", r->attempts[i].host, r->attempts[i].result);
	return buf;
}

static sim_time_t
second_start(const struct mta_rcpt_result *r)
{
	size_t i;

	for (i = 0; i < r->nattempts; i++)
		if (r->attempts[i].delivery == 2)
			return r->attempts[i].start;
	return -1;
}

static void
check_case(const struct hrun *h, const char *dom, const struct crow *rows,
    size_t n, sim_time_t fail_at)
{
	struct mta_rcpt_result r;
	char rcpt[96], buf[512];
	size_t i;

	for (i = 0; i < n; i++) {
		const struct crow *w = &rows[i];
		enum mta_outcome out;
		sim_time_t t;

		snprintf(rcpt, sizeof(rcpt), "%s@%s", w->prof, dom);
		assert_int_equal(h_result(h, rcpt, 0, &r), 0);
		first_delivery(&r, buf, sizeof(buf));
		out = r.outcome;
		t = r.t;
		if (out == MTA_DEFERRED ||
		    (r.nattempts > 0 &&
		        r.attempts[r.nattempts - 1].delivery > 1)) {
			out = MTA_DEFERRED;
			t = second_start(&r);
		}
		if (getenv("PROF_DUMP") != NULL)
			printf("{\"%s\", \"%s\", MTA_%s, %lld},\n", w->prof,
			    buf,
			    out == MTA_DEFERRED    ? "DEFERRED"
			    : out == MTA_DELIVERED ? "DELIVERED"
			                           : "BOUNCED",
			    (long long)t);
		if (strcmp(buf, w->attempts) != 0)
			fail_msg("%s: attempts %s, expected %s (%s)", rcpt, buf,
			    w->attempts, w->why);
		if (out != w->out)
			fail_msg("%s: %s, expected %s (%s)", rcpt,
			    mta_outcome_name(out), mta_outcome_name(w->out),
			    w->why);
		if (w->t == GO_RETRY) {
			if (t < fail_at + S(60) || t >= fail_at + S(120))
				fail_msg("%s: retry at %lld ns, outside "
				         "[60 s, 120 s) after %lld (%s)",
				    rcpt, (long long)t, (long long)fail_at,
				    w->why);
		} else if (t != w->t)
			fail_msg("%s: time %lld ns, expected %lld (%s)", rcpt,
			    (long long)t, (long long)w->t, w->why);
	}
}

/* RFC 5321 §5.1 "try the next address"; connect timeouts from §4.1 of
 * mta-behavior.md (rfc5321 profile 30 s, Postfix smtp_connect_timeout
 * 30 s, Haraka connect_timeout 30 s, chasquid smtpDialTimeout 1 min;
 * Exim connect_timeout 5 min, OpenSMTPD and Sendmail 0 = the kernel:
 * all three end at Linux's 127 s SYN limit, §4.4). */
static const struct crow timeout_rows[] = {
    {"rfc5321", "t1:timeout,t2:delivered", MTA_DELIVERED, S(30) + MS(4.0),
        "RFC 5321 §5.1, connect_timeout 30s"},
    {"postfix", "t1:timeout,t2:delivered", MTA_DELIVERED, S(30) + MS(4.0),
        "smtp_connect_timeout = 30s, next (4.4.1)"},
    {"exim", "t1:timeout,t2:delivered", MTA_DELIVERED, S(127) + MS(4.0),
        "connect_timeout = 5m > kernel 127 s; host error, next"},
    {"opensmtpd", "t1:timeout,t2:delivered", MTA_DELIVERED, S(127) + MS(4.0),
        "kernel SYN limit 127 s; route error, next"},
    {"sendmail", "t1:timeout,t2:delivered", MTA_DELIVERED, S(127) + MS(4.0),
        "Timeout.connect = 0 (kernel); next MX"},
    {"haraka", "t1:timeout,t2:delivered", MTA_DELIVERED, S(30) + MS(4.0),
        "connect_timeout = 30 s; Trying next MX"},
    {"go", "t1:timeout,t2:delivered", MTA_DELIVERED, S(60) + MS(4.0),
        "chasquid smtpDialTimeout 1 min; dial error -> next MX"},
    /* The bug: only the best MX, one A lookup (0.8 ms), then the
     * naive 30 min retry (smtp-cli, mailcow #6200, §5 item 18). */
    {"first-mx-only", "t1:timeout", MTA_DEFERRED, S(1830) + MS(1.6),
        "first-mx-only: mx2 never tried"},
    /* The bug: pref 20 first (node-sendmail #57). */
    {"highest-number-first", "t2:delivered", MTA_DELIVERED, MS(4.0),
        "highest-number-first: the backup first"},
    {"answer-order", "t1:timeout,t2:delivered", MTA_DELIVERED, S(30) + MS(4.0),
        "mxclient #1: a failed connect moves on"},
    {"timeout-means-no-mx", "t1:timeout,t2:delivered", MTA_DELIVERED,
        S(30) + MS(4.0), "an SMTP timeout is handled as RFC 5321"},
};

/* An RST fails in one round trip (§4.4): every profile that moves on
 * delivers through r2 at 1.6 + 2.8 ms. */
static const struct crow refuse_rows[] = {
    {"rfc5321", "r1:refused,r2:delivered", MTA_DELIVERED, MS(4.4),
        "RFC 5321 §5.1"},
    {"postfix", "r1:refused,r2:delivered", MTA_DELIVERED, MS(4.4),
        "§3.1 refused: NEXT (4.4.1)"},
    {"exim", "r1:refused,r2:delivered", MTA_DELIVERED, MS(4.4),
        "§3.1 refused: host error, NEXT"},
    {"opensmtpd", "r1:refused,r2:delivered", MTA_DELIVERED, MS(4.4),
        "§3.1 refused: next route"},
    {"sendmail", "r1:refused,r2:delivered", MTA_DELIVERED, MS(4.4),
        "§3.1 refused: NEXT"},
    {"haraka", "r1:refused,r2:delivered", MTA_DELIVERED, MS(4.4),
        "§3.1 refused: NEXT"},
    {"go", "r1:refused,r2:delivered", MTA_DELIVERED, MS(4.4),
        "chasquid: dial error transient -> next MX"},
    {"first-mx-only", "r1:refused", MTA_DEFERRED, S(1800) + MS(2.0),
        "first-mx-only: r1 refused at 1.2 ms, retry 30 min"},
    {"highest-number-first", "r2:delivered", MTA_DELIVERED, MS(4.0),
        "highest-number-first: the backup first"},
    {"answer-order", "r1:refused,r2:delivered", MTA_DELIVERED, MS(4.4),
        "mxclient #1: a failed connect moves on"},
    {"timeout-means-no-mx", "r1:refused,r2:delivered", MTA_DELIVERED, MS(4.4),
        "RFC 5321 §5.1"},
};

/* 421 greeting on g1, g2 behind: the §3.1 "4xx greeting" row.  g1's
 * 421 arrives at 2.0 ms, g2 delivers at 4.8 ms. */
static const struct crow g421_rows[] = {
    {"rfc5321", "g1:421,g2:delivered", MTA_DELIVERED, MS(4.8),
        "RFC 5321 §3.1 leaves it to the client: next"},
    {"postfix", "g1:421,g2:delivered", MTA_DELIVERED, MS(4.8),
        "smtp_helo(): soft site failure, NEXT"},
    {"exim", "g1:421,g2:delivered", MTA_DELIVERED, MS(4.8), "host error, NEXT"},
    {"opensmtpd", "g1:421,g2:delivered", MTA_DELIVERED, MS(4.8),
        "mta_session.c: route error, NEXT"},
    {"sendmail", "g1:421,g2:delivered", MTA_DELIVERED, MS(4.8),
        "smtpinit(): EX_TEMPFAIL, NEXT"},
    /* Haraka defers the whole message: 64 s after the failure. */
    {"haraka", "g1:421", MTA_DEFERRED, S(64) + MS(3.2),
        "hmail.js: 4xx greeting defers, no next MX (§5 item 31)"},
    {"go", "g1:421,g2:delivered", MTA_DELIVERED, MS(4.8),
        "chasquid: Hello error transient -> next MX"},
    {"first-mx-only", "g1:421", MTA_DEFERRED, S(1800) + MS(2.4),
        "first-mx-only: g2 never tried"},
    {"highest-number-first", "g2:delivered", MTA_DELIVERED, MS(4.0),
        "highest-number-first: the backup first"},
    {"answer-order", "g1:421", MTA_DEFERRED, S(1800) + MS(3.2),
        "mxclient #1: only a failed connection moves on"},
    {"timeout-means-no-mx", "g1:421,g2:delivered", MTA_DELIVERED, MS(4.8),
        "RFC 5321 §3.1: next"},
};

/* 421 greeting on the only MX: every profile defers (§3.1 "4xx
 * greeting": final -> DEFER), and the second delivery follows each
 * schedule (§4.5) from the failure at 1.6 ms; the retry's MX and A
 * lookups add 0.8 ms. */
static const struct crow g421solo_rows[] = {
    {"rfc5321", "g3:421", MTA_DEFERRED, S(1800) + MS(2.4),
        "retry 30m (RFC 5321 §4.5.4.1 >= 30 min)"},
    {"postfix", "g3:421", MTA_DEFERRED, S(300) + MS(0.8),
        "clamp(age, 300, 4000) on the 300 s queue_run_delay scan"},
    {"exim", "g3:421", MTA_DEFERRED, S(1800) + MS(0.8),
        "F,2h,15m from the first failure, at the 30 min queue run"},
    {"opensmtpd", "g3:421", MTA_DEFERRED, S(400) + MS(0.8),
        "scheduler_ramqueue.c: creation + 400 s * 1^2"},
    {"sendmail", "g3:421", MTA_DEFERRED, S(1800) + MS(0.8),
        "the next -q30m queue run"},
    {"haraka", "g3:421", MTA_DEFERRED, S(64) + MS(2.4),
        "temp_fail_intervals 2^(1+5) s"},
    {"go", "g3:421", MTA_DEFERRED, GO_RETRY, "chasquid nextDelay()"},
    {"first-mx-only", "g3:421", MTA_DEFERRED, S(1800) + MS(2.4), "retry 30m"},
    {"highest-number-first", "g3:421", MTA_DEFERRED, S(1800) + MS(2.4),
        "retry 30m"},
    {"answer-order", "g3:421", MTA_DEFERRED, S(1800) + MS(2.4), "retry 30m"},
    {"timeout-means-no-mx", "g3:421", MTA_DEFERRED, S(1800) + MS(2.4),
        "retry 30m"},
};

/* 450 at RCPT on the only MX: deferred everywhere (§3.1 "RCPT 4xx"),
 * the failure at 2.8 ms, the retries as above. */
static const struct crow rcpt1_rows[] = {
    {"rfc5321", "q1:450", MTA_DEFERRED, S(1800) + MS(3.6), "retry 30m"},
    {"postfix", "q1:450", MTA_DEFERRED, S(300) + MS(0.8),
        "final server: DEFER recipient; 300 s scan"},
    {"exim", "q1:450", MTA_DEFERRED, S(1800) + MS(0.8),
        "recipient error; F,2h,15m at the 30 min queue run"},
    {"opensmtpd", "q1:450", MTA_DEFERRED, S(400) + MS(0.8),
        "TEMPFAIL; creation + 400 s"},
    {"sendmail", "q1:450", MTA_DEFERRED, S(1800) + MS(0.8), "-q30m"},
    {"haraka", "q1:450", MTA_DEFERRED, S(64) + MS(3.6),
        "DEFER that recipient; 64 s"},
    {"go", "q1:450", MTA_DEFERRED, GO_RETRY, "chasquid nextDelay()"},
    {"first-mx-only", "q1:450", MTA_DEFERRED, S(1800) + MS(3.6), "retry 30m"},
    {"highest-number-first", "q1:450", MTA_DEFERRED, S(1800) + MS(3.6),
        "retry 30m"},
    {"answer-order", "q1:450", MTA_DEFERRED, S(1800) + MS(3.6), "retry 30m"},
    {"timeout-means-no-mx", "q1:450", MTA_DEFERRED, S(1800) + MS(3.6),
        "retry 30m"},
};

/* 450 at RCPT on q2 and q3, q4 behind: 450s at 3.6 and 5.6 ms, q4
 * delivers at 8.4 ms. */
static const struct crow rcpt2_rows[] = {
    {"rfc5321", "q2:450,q3:450,q4:delivered", MTA_DELIVERED, MS(8.4),
        "RFC 5321 §5.1: next address"},
    /* smtp_mx_session_limit = 2: q2 and q3 both passed EHLO, so q4 is
     * never reached (§2.2 item 7, §5 item 19); retry at the 300 s
     * scan. */
    {"postfix", "q2:450,q3:450", MTA_DEFERRED, S(300) + MS(1.6),
        "smtp_mx_session_limit = 2 sessions past EHLO"},
    {"exim", "q2:450,q3:450,q4:delivered", MTA_DELIVERED, MS(8.4),
        "recipient error: other hosts tried this run"},
    {"opensmtpd", "q2:450", MTA_DEFERRED, S(400) + MS(1.6),
        "RCPT 4xx: TEMPFAIL to the scheduler, no failover"},
    {"sendmail", "q2:450,q3:450,q4:delivered", MTA_DELIVERED, MS(8.4),
        "NEXT if more MX"},
    {"haraka", "q2:450", MTA_DEFERRED, S(64) + MS(5.2),
        "DEFER that recipient; 64 s"},
    {"go", "q2:450,q3:450,q4:delivered", MTA_DELIVERED, MS(8.4),
        "chasquid: transient -> next MX"},
    {"first-mx-only", "q2:450", MTA_DEFERRED, S(1800) + MS(3.6),
        "only the best MX"},
    {"highest-number-first", "q4:delivered", MTA_DELIVERED, MS(4.4),
        "the highest number first"},
    {"answer-order", "q2:450", MTA_DEFERRED, S(1800) + MS(5.2),
        "mxclient #1: only a failed connection moves on"},
    {"timeout-means-no-mx", "q2:450,q3:450,q4:delivered", MTA_DELIVERED,
        MS(8.4), "RFC 5321 §5.1"},
};

static const char *const all_profiles[] = {"rfc5321", "postfix", "exim",
    "opensmtpd", "sendmail", "haraka", "go", "first-mx-only",
    "highest-number-first", "answer-order", "timeout-means-no-mx"};

/* One row for every profile, with 'except' (may be NULL) replacing the
 * row of its profile. */
static void
check_uniform(const struct hrun *h, const char *dom, const struct crow *all,
    const struct crow *except)
{
	struct crow rows[N(all_profiles)];
	size_t i;

	for (i = 0; i < N(all_profiles); i++) {
		rows[i] = *all;
		rows[i].prof = all_profiles[i];
		if (except != NULL && strcmp(except->prof, rows[i].prof) == 0)
			rows[i] = *except;
	}
	check_case(h, dom, rows, N(rows), 0);
}

static void
test_classic_matrix(void **state)
{
	struct hrun *h = h_run("tests/scenario/fixtures/prof-classic.lua", 0);
	struct mta_rcpt_result r;
	/* RFC 5321 §5.1 implicit MX; all profiles (§2.1 "Implicit MX":
	 * yes everywhere): MX NODATA 0.4 ms, A 0.8 ms, delivered 3.6 ms. */
	static const struct crow implicit = {NULL, "imp:delivered",
	    MTA_DELIVERED, MS(3.6), "RFC 5321 §5.1 implicit MX"};
	/* RFC 7505 §4: a null MX fails at once, no connection (0.4 ms). */
	static const struct crow nullmx = {
	    NULL, "", MTA_BOUNCED, MS(0.4), "RFC 7505 §4"};
	/* MX 0 . mixed with a real MX (§5 item 30): only Postfix takes the
	 * whole set as null (dns_lookup.c DNS_NULLMX); the others use
	 * nm1 (Exim uses real hosts; Sendmail, Haraka, OpenSMTPD honour
	 * null MX only as the sole record). */
	static const struct crow nullmix = {NULL, "nm1:delivered",
	    MTA_DELIVERED, MS(3.6), "null MX only when the sole record"};
	static const struct crow nullmix_pf = {"postfix", "", MTA_BOUNCED,
	    MS(0.4), "Postfix: any \".\" makes the set null MX"};
	/* MX -> CNAME (§2.1 "MX -> CNAME": followed by Postfix, Exim,
	 * OpenSMTPD, Sendmail, the Go resolver): MX 0.4 ms, A of the alias
	 * (the CNAME) 0.8 ms, A of its target 1.2 ms, delivered 4.0 ms. */
	static const struct crow cname = {NULL, "mxc:delivered", MTA_DELIVERED,
	    MS(4.0), "MX -> CNAME followed"};

	(void)state;
	check_case(h, "timeout.test", timeout_rows, N(timeout_rows), 0);
	check_case(h, "refuse.test", refuse_rows, N(refuse_rows), 0);
	check_case(h, "g421.test", g421_rows, N(g421_rows), 0);
	check_case(
	    h, "g421solo.test", g421solo_rows, N(g421solo_rows), MS(1.6));
	check_case(h, "rcpt1.test", rcpt1_rows, N(rcpt1_rows), MS(2.8));
	check_case(h, "rcpt2.test", rcpt2_rows, N(rcpt2_rows), 0);
	check_uniform(h, "implicit.test", &implicit, NULL);
	check_uniform(h, "nullmx.test", &nullmx, NULL);
	check_uniform(h, "nullmix.test", &nullmix, &nullmix_pf);
	check_uniform(h, "cname.test", &cname, NULL);
	/* The bounce text: Postfix smtp_addr.c DNS_NULLMX gives 5.1.0
	 * "Domain ... does not accept mail (nullMX)" (mta-behavior.md
	 * §2.1, null_mx_reply = postfix); RFC 7505 §4: 556 5.1.10. */
	assert_int_equal(h_result(h, "postfix@nullmx.test", 0, &r), 0);
	assert_string_equal(
	    r.reason, "5.1.0 Domain nullmx.test does not accept mail (nullMX)");
	assert_int_equal(h_result(h, "exim@nullmx.test", 0, &r), 0);
	assert_string_equal(
	    r.reason, "556 5.1.10 Recipient address has null MX (RFC 7505)");
	h_free(h);
}

/*
 * DNS timeout then recovery (fixtures/prof-dns.lua): each sender's name
 * server is down until its MX query has timed out (dns_attempts tries of
 * 5 s, glibc res_send.c send_dg() with one server), then answers again.
 * RFC 5321 §5.1: "If a temporary error is returned, the message MUST be
 * queued and retried later"; mta-behavior.md §3.4 "SERVFAIL / resolver
 * timeout": defer in every real MTA.  The first delivery makes no
 * connection; the row's time is the start of the retry's connection to
 * mx, its MX and A lookups (0.4 ms each) after the retry began.
 */
static const struct crow dns_rows[] = {
    {"rfc5321", "", MTA_DEFERRED, S(1810) + MS(0.8),
        "MX timeout at 10 s (2 tries); retry 30m after the failure"},
    {"postfix", "", MTA_DEFERRED, S(600) + MS(0.8),
        "DNS_RETRY 4.4.3 defer; clamp(10 s, 300, 4000) = 300 s -> due "
        "310 s -> the 600 s queue_run_delay scan"},
    {"exim", "", MTA_DEFERRED, S(1800) + MS(0.8),
        "HOST_FIND_AGAIN defer; F,2h,15m -> 910 s -> 30 min queue run"},
    {"opensmtpd", "", MTA_DEFERRED, S(400) + MS(0.8),
        "DNS_RETRY TEMPFAIL at 20 s (libasr 4 tries); creation + 400 s"},
    {"sendmail", "", MTA_DEFERRED, S(1800) + MS(0.8),
        "TRY_AGAIN EX_TEMPFAIL; the next -q30m queue run"},
    {"haraka", "", MTA_DEFERRED, S(84) + MS(0.8),
        "get_mx_error(): temp fail at 20 s (4 tries); 2^6 s = 64 s"},
    {"go", "", MTA_DEFERRED, GO_RETRY,
        "chasquid: Temporary() DNS error; nextDelay() 1 min + jitter"},
    {"first-mx-only", "", MTA_DEFERRED, S(1810) + MS(0.8),
        "defer on a DNS timeout; retry 30m"},
    {"highest-number-first", "", MTA_DEFERRED, S(1810) + MS(0.8),
        "defer on a DNS timeout; retry 30m"},
    {"answer-order", "", MTA_DEFERRED, S(1810) + MS(0.8),
        "defer on a DNS timeout; retry 30m"},
    /* The bug (postalserver/postal #2833, mta-behavior.md §5 item 15):
     * the timeout is taken as "no MX", the implicit MX is the domain's
     * own A record, the web server www, which refuses port 25 (RST at
     * 10.0008 s); retry 30m later, when the MX lookup works. */
    {"timeout-means-no-mx", "www:refused", MTA_DEFERRED, S(1810) + MS(1.6),
        "MX timeout taken as no MX: the domain's A record"},
};

static void
test_dns_timeout_recovery(void **state)
{
	struct hrun *h = h_run("tests/scenario/fixtures/prof-dns.lua", 0);
	struct mta_rcpt_result r;
	const struct hrec *x;
	char rcpt[96], buf[256];
	size_t i;

	(void)state;
	check_case(h, "dnsto.test", dns_rows, N(dns_rows), S(10));
	/* After the retry every sender delivers through mx, 2.8 ms after
	 * the connection started (RFC 5321 §5.1: MX first once DNS
	 * answers). */
	for (i = 0; i < N(dns_rows); i++) {
		snprintf(rcpt, sizeof(rcpt), "%s@dnsto.test", dns_rows[i].prof);
		assert_int_equal(h_result(h, rcpt, 0, &r), 0);
		if (r.outcome != MTA_DELIVERED || r.deliveries != 2)
			fail_msg("%s: %s after %d deliveries", rcpt,
			    mta_outcome_name(r.outcome), r.deliveries);
		assert_string_equal(r.via, "mx");
		assert_int_equal(r.t, second_start(&r) + MS(2.8));
	}
	assert_string_equal(h_attempts(h, "timeout-means-no-mx@dnsto.test", 0,
	                        buf, sizeof(buf)),
	    "www:refused,mx:delivered");
	/* The MX query failed after its two 5 s tries, and the stub's A
	 * query went out at once. */
	x = h_find(h, "mta.mx", "timeout-means-no-mx", 0);
	assert_non_null(x);
	assert_int_equal(x->t, S(10));
	assert_string_equal(x->text, "MX dnsto.test: lookup failed (timeout), "
	                             "taken as no MX record");
	x = h_find(h, "mta.mx", "postfix", 0);
	assert_non_null(x);
	assert_int_equal(x->t, S(10));
	x = h_find(h, "mta.mx", "opensmtpd", 0);
	assert_non_null(x);
	assert_int_equal(x->t, S(20));
	h_free(h);
}

/*
 * One message, four recipients in three domains (fixtures/prof-multi.lua),
 * each domain followed on its own: Postfix's queue manager schedules per
 * next-hop destination (qmgr, mta-behavior.md §3.2) and Exim routes and
 * retries per address (spec "Retry rules": recipient and host errors
 * have their own records).  All three domains start at 0 s in parallel:
 * up.test's two recipients go in one session (RFC 5321 §3.3: several
 * RCPT in one transaction), 3.2 ms after the connect at 0.8 ms; down.test
 * (d1, d2 refuse until 20 min) and late.test (450 at RCPT until 10 min)
 * are deferred each with its own retry times.
 */
struct mrow {
	const char *prof, *rcpt, *attempts;
	sim_time_t t;    /* delivered at */
	int deliveries;  /* delivery attempts it took */
	const char *why; /* the source */
};

static const struct mrow multi_rows[] = {
    {"postfix", "ann@up.test", "u1:delivered", MS(4.0), 1, "one session"},
    {"postfix", "cat@up.test", "u1:delivered", MS(4.0), 1, "one session"},
    /* Refused at 1.6 and 2.0 ms: clamp(age, 300, 4000) on the 300 s
     * scan: 300, 600 (age 300), 1200 s (age 600); the outage ends at
     * 1200 s, d1 takes it, its connect 1.2 ms after the scan. */
    {"postfix", "bob@down.test",
        "d1:refused,d2:refused,d1:refused,d2:refused,d1:refused,"
        "d2:refused,d1:delivered",
        S(1200) + MS(4.0), 4, "qmgr_active.c backoff per destination"},
    /* 450 at 2.8 ms, at 300 s; delivered at the 600 s scan. */
    {"postfix", "dan@late.test", "l1:450,l1:450,l1:delivered", S(600) + MS(3.6),
        3, "RCPT 4xx: defer that recipient"},
    {"exim", "ann@up.test", "u1:delivered", MS(4.0), 1, "one session"},
    {"exim", "cat@up.test", "u1:delivered", MS(4.0), 1, "one session"},
    /* F,2h,15m from the first failure, at the 30 min queue run: the
     * retry records of d1 (0.0016 s + 15 min) have passed by then. */
    {"exim", "bob@down.test", "d1:refused,d2:refused,d1:delivered",
        S(1800) + MS(4.0), 2, "host errors, retry at the queue run"},
    {"exim", "dan@late.test", "l1:450,l1:delivered", S(1800) + MS(3.6), 2,
        "recipient error, retry at the queue run"},
};

static void
test_multi_domain_recipients(void **state)
{
	struct hrun *h = h_run("tests/scenario/fixtures/prof-multi.lua", 0);
	struct mta_rcpt_result r;
	const struct hrec *x;
	char buf[512], f[128];
	size_t i;
	uint64_t msg;

	(void)state;
	for (i = 0; i < N(multi_rows); i++) {
		const struct mrow *w = &multi_rows[i];

		msg = strcmp(w->prof, "postfix") == 0 ? 1 : 2;
		assert_int_equal(h_result(h, w->rcpt, msg, &r), 0);
		h_attempts(h, w->rcpt, msg, buf, sizeof(buf));
		if (strcmp(buf, w->attempts) != 0 ||
		    r.outcome != MTA_DELIVERED || r.t != w->t ||
		    r.deliveries != w->deliveries)
			fail_msg("%s %s: %s %s at %lld after %d, expected %s "
			         "at %lld after %d (%s)",
			    w->prof, w->rcpt, buf, mta_outcome_name(r.outcome),
			    (long long)r.t, r.deliveries, w->attempts,
			    (long long)w->t, w->deliveries, w->why);
	}
	/* Postfix: the dead destination is down.test only; late.test and
	 * up.test are never suspended (qmgr_queue_throttle() per
	 * destination). */
	assert_int_equal(h_count(h, "mta.dead", "postfix"), 3);
	assert_int_equal(h_count(h, "mta.suspended", "postfix"), 0);
	/* The structured fields (docs/trace.md, the sending MTA). */
	x = h_find(h, "mta.fail", "exim", 0);
	assert_non_null(x);
	assert_int_equal(x->t, MS(1.6));
	assert_string_equal(
	    h_field(x, "mx_host", f, sizeof(f)), "d1.example.test");
	assert_string_equal(h_field(x, "label", f, sizeof(f)), "d1");
	assert_string_equal(h_field(x, "addr", f, sizeof(f)), "192.0.2.21");
	assert_string_equal(h_field(x, "pref", f, sizeof(f)), "10");
	assert_string_equal(h_field(x, "attempt", f, sizeof(f)), "1");
	assert_string_equal(h_field(x, "result", f, sizeof(f)), "refused");
	assert_string_equal(h_field(x, "code", f, sizeof(f)), "");
	x = h_find(h, "mta.fail", "exim", 2);
	assert_non_null(x);
	assert_string_equal(h_field(x, "result", f, sizeof(f)), "450");
	assert_string_equal(h_field(x, "code", f, sizeof(f)), "450");
	x = h_find(h, "mta.delivered", "exim", 3);
	assert_non_null(x);
	assert_int_equal(x->t, S(1800) + MS(4.0));
	assert_string_equal(h_field(x, "rcpt", f, sizeof(f)), "bob@down.test");
	assert_string_equal(h_field(x, "attempt", f, sizeof(f)), "2");
	assert_string_equal(h_field(x, "result", f, sizeof(f)), "delivered");
	assert_string_equal(h_field(x, "code", f, sizeof(f)), "250");
	x = h_find(h, "mta.defer", "exim", 0);
	assert_non_null(x);
	assert_string_equal(h_field(x, "attempt", f, sizeof(f)), "1");
	h_free(h);
}

/*
 * Concurrency (fixtures/prof-conc.lua): 30 messages queued at 0 s to one
 * domain whose MX hosts hold each reply to "." for 10 s, so a session
 * lasts 10.0028 s (connect to the 250 after ".").  busy.test has one MX
 * address (MX and A lookups: 0.8 ms), duo.test two of preference 10 (MX
 * and two A lookups: 1.2 ms).  A sender limited per domain starts the
 * next wave's attempts, lookups first, when a session ends: waves every
 * 10.0028 s + the lookups.  A sender limited per address has done its
 * lookups and waits at the connection: waves every 10.0028 s.
 */
struct cwaves {
	char who;          /* recipients <who>1..30@<domain> */
	const char *dom;   /* their domain */
	sim_time_t first;  /* the first wave's connections */
	sim_time_t period; /* from one wave to the next */
	const int *want;   /* sessions started per wave */
	const int *want1;  /* of those, to host "d1" (NULL: not checked) */
	size_t nwave;      /* how many waves */
	int peak_addr;     /* most sessions open at once to one address
	                      (-1: not checked) */
};

#define CONC_N 30

/* The most sessions open at once (to 'host' only, if not NULL), at any
 * session's start. */
static int
conc_peak(const sim_time_t *start, const sim_time_t *end, char host[][64],
    const char *only)
{
	size_t i, k;
	int n, peak = 0;

	for (i = 0; i < CONC_N; i++) {
		if (only != NULL && strcmp(host[i], only) != 0)
			continue;
		for (n = 0, k = 0; k < CONC_N; k++)
			n += (only == NULL || strcmp(host[k], only) == 0) &&
			     start[k] <= start[i] && start[i] < end[k];
		if (n > peak)
			peak = n;
	}
	return peak;
}

static void
conc_waves(const struct hrun *h, const struct cwaves *c)
{
	sim_time_t start[CONC_N], end[CONC_N], wave;
	char host[CONC_N][64], rcpt[64];
	struct mta_rcpt_result r;
	size_t i, k, w;
	int n, n1, maxwant = 0, peak;

	for (i = 0; i < CONC_N; i++) {
		snprintf(rcpt, sizeof(rcpt), "%c%zu@%s", c->who, i + 1, c->dom);
		assert_int_equal(h_result(h, rcpt, 0, &r), 0);
		assert_int_equal(r.outcome, MTA_DELIVERED);
		assert_int_equal(r.nattempts, 1);
		start[i] = r.attempts[0].start;
		end[i] = r.attempts[0].end;
		snprintf(host[i], sizeof(host[i]), "%s", r.attempts[0].host);
		assert_int_equal(end[i] - start[i], SIM_S(10) + MS(2.8));
	}
	for (w = 0, k = 0; w < c->nwave; w++) {
		wave = c->first + (sim_time_t)w * c->period;
		for (n = 0, n1 = 0, i = 0; i < CONC_N; i++)
			if (start[i] == wave) {
				n++;
				n1 += strcmp(host[i], "d1") == 0;
			}
		if (n != c->want[w])
			fail_msg("%c: %d sessions started at %lld ns, expected "
			         "%d",
			    c->who, n, (long long)wave, c->want[w]);
		if (c->want1 != NULL && n1 != c->want1[w])
			fail_msg(
			    "%c: %d sessions to d1 at %lld ns, expected %d",
			    c->who, n1, (long long)wave, c->want1[w]);
		k += (size_t)n;
		if (c->want[w] > maxwant)
			maxwant = c->want[w];
	}
	/* Every session in one of the waves. */
	assert_int_equal(k, CONC_N);
	assert_int_equal(conc_peak(start, end, host, NULL), maxwant);
	if (c->peak_addr < 0)
		return;
	peak = conc_peak(start, end, host, host[0]);
	for (i = 1; i < CONC_N; i++)
		if (conc_peak(start, end, host, host[i]) > peak)
			peak = conc_peak(start, end, host, host[i]);
	assert_int_equal(peak, c->peak_addr);
}

/* A wave period: the session, plus the lookups when the attempt starts
 * over. */
#define SESSION MS(10002.8)

static void
test_destination_concurrency(void **state)
{
	struct hrun *h = h_run("tests/scenario/fixtures/prof-conc.lua", 0);
	/* Postfix qmgr: initial_destination_concurrency = 5, one more per
	 * delivery up to default_destination_concurrency_limit = 20
	 * (mta-behavior.md §4.2): 5, then 5 + 5 = 10, then 15 (the rest). */
	static const int postfix[] = {5, 10, 15};
	/* OpenSMTPD limit.c limit_mta_set_defaults() maxconn_per_route = 5
	 * (§4.2), one route: five at a time, six waves. */
	static const int smtpd[] = {5, 5, 5, 5, 5, 5};
	const struct cwaves cw[] = {
	    {'p', "busy.test", MS(0.8), SESSION + MS(0.8), postfix, NULL,
	        N(postfix), 15},
	    {'o', "busy.test", MS(0.8), SESSION, smtpd, NULL, N(smtpd), 5},
	};
	const struct hrec *x;
	size_t i;

	(void)state;
	for (i = 0; i < N(cw); i++)
		conc_waves(h, &cw[i]);
	/* The 25 messages beyond the first window wait, each named once:
	 * Postfix before its lookups (qmgr holds the job), OpenSMTPD at the
	 * connection, its lookups done (mta_find_route() finds no route
	 * below its limit). */
	assert_int_equal(h_count(h, "mta.wait", "postfix"), 25);
	assert_int_equal(h_count(h, "mta.wait", "opensmtpd"), 25);
	x = h_find(h, "mta.wait", "postfix", 0);
	assert_non_null(x);
	assert_int_equal(x->t, 0);
	assert_string_equal(x->text, "msg 11 for busy.test waits: 5 "
	                             "deliveries in progress (concurrency "
	                             "window 5)");
	x = h_find(h, "mta.wait", "opensmtpd", 0);
	assert_non_null(x);
	assert_int_equal(x->t, MS(0.8));
	assert_string_equal(x->text,
	    "msg 12 for busy.test waits: 5 sessions open to "
	    "b1.example.test [192.0.2.10] (concurrency limit 5 per address)");
	h_free(h);
}

/*
 * Two MX addresses of preference 10 (duo.test in prof-conc.lua).
 * OpenSMTPD's limit is per route (limit.c maxconn_per_route = 5, a route
 * = source address -> destination address; mta-behavior.md §4.2), and
 * mta.c mta_find_route() takes the route with the fewest connections
 * (§2.4 item 4): 10 sessions at once, 5 to each address, three waves.
 * The same profile with concurrency_scope = "domain" keeps 5 at once,
 * 3 to d1 and 2 to d2 (least connections, ties in answer order).
 * Postfix's default_destination_concurrency_limit is per next-hop
 * domain (§4.2, initial_destination_concurrency = 5): the second
 * address changes nothing, 5, 10, 15.
 */
static void
test_concurrency_per_address(void **state)
{
	struct hrun *h = h_run("tests/scenario/fixtures/prof-conc.lua", 0);
	static const int route[] = {10, 10, 10}, route1[] = {5, 5, 5};
	static const int dom[] = {5, 5, 5, 5, 5, 5},
	                 dom1[] = {3, 3, 3, 3, 3, 3};
	static const int postfix[] = {5, 10, 15};
	const struct cwaves cw[] = {
	    {'s', "duo.test", MS(1.2), SESSION, route, route1, N(route), 5},
	    {'d', "duo.test", MS(1.2), SESSION + MS(1.2), dom, dom1, N(dom), 3},
	    /* Postfix shuffles the two addresses per attempt
	     * (smtp_addr.c): the split is not pinned, the total is. */
	    {'q', "duo.test", MS(1.2), SESSION + MS(1.2), postfix, NULL,
	        N(postfix), -1},
	};
	const struct hrec *x;
	size_t i;

	(void)state;
	for (i = 0; i < N(cw); i++)
		conc_waves(h, &cw[i]);
	/* 20 wait at 1.2 ms, lookups done, each named once; the 11th
	 * message (numbered after the 62 of busy.test and look.test, three
	 * senders interleaved: 63 + 3 * 10) finds d1 first among two full
	 * routes. */
	assert_int_equal(h_count(h, "mta.wait", "smtpd2"), 20);
	x = h_find(h, "mta.wait", "smtpd2", 0);
	assert_non_null(x);
	assert_int_equal(x->t, MS(1.2));
	assert_string_equal(x->text,
	    "msg 93 for duo.test waits: 5 sessions open to d1.duo.test "
	    "[192.0.2.11] (concurrency limit 5 per address)");
	assert_int_equal(h_count(h, "mta.wait", "smtpdom"), 25);
	assert_int_equal(h_count(h, "mta.wait", "postfix2"), 25);
	h_free(h);
}

/*
 * Exim hosts_max_try = 5 with look-ahead (fixtures/prof-conc.lua,
 * look.test: k1..k6 refuse at preferences 10, 20, 30, 40, 50, 50; k7 at
 * 60 works).  Exim spec "How the limits for the number of hosts to try
 * are used" (mta-behavior.md §2.3 item 8): past the limit it looks for
 * a host with a different MX value, tries it and does not count it, so
 * k7 is reached.  Postfix smtp_mx_address_limit = 5 stops after five
 * addresses (§2.2 item 7) and defers.  Each RST takes 0.4 ms from the
 * first connect at 3.2 ms (MX, then 7 A lookups).
 */
static void
test_exim_lookahead(void **state)
{
	struct hrun *h = h_run("tests/scenario/fixtures/prof-conc.lua", 0);
	struct mta_rcpt_result r;
	char buf[256];

	(void)state;
	assert_int_equal(h_result(h, "exim@look.test", 0, &r), 0);
	assert_int_equal(r.outcome, MTA_DELIVERED);
	assert_int_equal(r.deliveries, 1);
	/* k5 and k6 share preference 50 (shuffled per host): one of them,
	 * the fifth counted address; the other has the last value tried
	 * and is skipped; k7 (a new value) is the look-ahead. */
	h_attempts(h, "exim@look.test", 0, buf, sizeof(buf));
	if (strcmp(buf, "k1:refused,k2:refused,k3:refused,k4:refused,"
	                "k5:refused,k7:delivered") != 0 &&
	    strcmp(buf, "k1:refused,k2:refused,k3:refused,k4:refused,"
	                "k6:refused,k7:delivered") != 0)
		fail_msg("exim@look.test: %s", buf);
	assert_int_equal(r.attempts[5].start, MS(5.2));
	assert_int_equal(r.t, MS(8.0));
	assert_int_equal(h_result(h, "postfix@look.test", 0, &r), 0);
	/* Still queued (the retries refuse too), five addresses in its
	 * first delivery. */
	assert_int_equal(r.outcome, MTA_DEFERRED);
	assert_true(r.nattempts > 5);
	assert_int_equal(r.attempts[4].delivery, 1);
	assert_int_equal(r.attempts[5].delivery, 2);
	assert_string_equal(r.attempts[4].result, "refused");
	assert_int_equal(r.attempts[4].end, MS(5.2));
	assert_int_equal(r.attempts[4].pref, 50);
	h_free(h);
}

/*
 * Equal preferences over many messages: eq.test has e1 (two addresses,
 * hosts e1a and e1b) and e2, both at preference 10; every sender sends
 * EQ_N messages, one a second.  Counted: which host each message tried
 * first.
 */
#define EQ_N     60
#define EQ_CASES 10 /* messages per sender before the eq.test ones */

struct eqrow {
	const char *prof;
	int kind; /* 0 none, 1 per host, 2 per address, 3 hash, 4 per host
	           * and per address within the host */
	const char *why;
};

static const struct eqrow eq_rows[] = {
    {"rfc5321", 1, "RFC 5321 §5.1 MUST randomize (per host)"},
    {"postfix", 2, "smtp_addr.c dns_rr_shuffle() of every address"},
    {"exim", 4,
        "host.c sort_key pref*1000 + random(500) per host, and per "
        "address within a host's family (§2.3 items 2-3)"},
    {"opensmtpd", 0, "dns.c: arrival order, no randomisation"},
    {"sendmail", 3, "domain.c mxrand(): per-process host hash"},
    {"haraka", 1, "hmail.js sort_mx() pairwise swaps"},
    {"go", 1, "net/dnsclient.go byPref.sort(): shuffle then sort"},
    {"first-mx-only", 0, "no shuffle, only the first MX"},
    {"highest-number-first", 0, "no shuffle"},
    {"answer-order", 0, "mxclient #1: DNS answer order"},
    {"timeout-means-no-mx", 1, "shuffle as RFC 5321"},
};

static void
test_equal_preference_distribution(void **state)
{
	struct hrun *h = h_run("tests/scenario/fixtures/prof-classic.lua", 0);
	struct mta_rcpt_result r;
	char rcpt[96];
	size_t i, k;

	(void)state;
	for (i = 0; i < N(eq_rows); i++) {
		const struct eqrow *w = &eq_rows[i];
		int n1a = 0, n1b = 0, n2 = 0;

		snprintf(rcpt, sizeof(rcpt), "%s@eq.test", w->prof);
		for (k = 0; k < EQ_N; k++) {
			uint64_t msg = i * (EQ_CASES + EQ_N) + EQ_CASES + k + 1;

			assert_int_equal(h_result(h, rcpt, msg, &r), 0);
			assert_true(r.nattempts >= 1);
			if (strcmp(r.attempts[0].host, "e1a") == 0)
				n1a++;
			else if (strcmp(r.attempts[0].host, "e1b") == 0)
				n1b++;
			else if (strcmp(r.attempts[0].host, "e2") == 0)
				n2++;
		}
		if (getenv("PROF_DUMP") != NULL)
			printf(
			    "%s: e1a %d e1b %d e2 %d\n", w->prof, n1a, n1b, n2);
		assert_int_equal(n1a + n1b + n2, EQ_N);
		switch (w->kind) {
		case 0: /* always the first record of the answer */
			if (n1a != EQ_N)
				fail_msg("%s: e1a %d/%d (%s)", w->prof, n1a,
				    EQ_N, w->why);
			break;
		case 1: /* hosts 1/2 each (binomial sd 3.9: bounds at 3.9
		         * sd); e1's addresses in resolver order */
			if (n1b != 0 || n1a < 15 || n2 < 15)
				fail_msg("%s: e1a %d e1b %d e2 %d (%s)",
				    w->prof, n1a, n1b, n2, w->why);
			break;
		case 2: /* addresses 1/3 each (sd 3.65: bounds at 3.3 sd) */
			if (n1a < 8 || n1b < 8 || n2 < 8)
				fail_msg("%s: e1a %d e1b %d e2 %d (%s)",
				    w->prof, n1a, n1b, n2, w->why);
			break;
		case 4: /* hosts 1/2 each, e1's two addresses 1/4 each (sd
		         * 3.35: bounds at 3 sd) */
			if (n1a < 5 || n1b < 5 || n2 < 15 || n1a + n1b < 15)
				fail_msg("%s: e1a %d e1b %d e2 %d (%s)",
				    w->prof, n1a, n1b, n2, w->why);
			break;
		default: /* one fixed order for the process */
			if (n1b != 0 || (n1a != EQ_N && n2 != EQ_N))
				fail_msg("%s: e1a %d e1b %d e2 %d (%s)",
				    w->prof, n1a, n1b, n2, w->why);
			break;
		}
	}
	h_free(h);
}

/* What host 'label' has stored in its mailbox. */
static const struct mailbox *
mbox_of(const struct hrun *h, const char *label)
{
	size_t i;

	for (i = 0; i < h->run.nhosts; i++)
		if (strcmp(h->run.hosts[i].wh->name, label) == 0)
			return &h->run.hosts[i].mb;
	fail_msg("no host '%s'", label);
	return NULL;
}

/* The end of the first failed attempt of 'rcpt' at which the message
 * (queued at 0 s) is at least 'age' old. */
static sim_time_t
first_failure_at_age(const struct hrun *h, const char *rcpt, sim_time_t age)
{
	struct mta_rcpt_result r;
	size_t i;

	assert_int_equal(h_result(h, rcpt, 0, &r), 0);
	for (i = 0; i < r.nattempts; i++)
		if (r.attempts[i].end >= age)
			return r.attempts[i].end;
	fail_msg("%s: no attempt after %lld ns", rcpt, (long long)age);
	return -1;
}

/* The "delayed" DSN 'mm' is RFC 3464's, for 'rcpt', sent back to the
 * local sender 'to' at 't' about message 'msg'. */
static void
check_delay_dsn(const struct mailbox_msg *mm, const char *to, const char *rcpt,
    uint64_t msg, sim_time_t t)
{
	static const char *const parts[] = {
	    /* Postfix bounce(8) delay template subject. */
	    "\r\nSubject: Delayed Mail (still being retried)\r\n",
	    /* RFC 3464 §2: a multipart/report of report-type
	     * delivery-status. */
	    "\r\nContent-Type: multipart/report; "
	    "report-type=delivery-status;\r\n",
	    "\r\nContent-Type: message/delivery-status\r\n",
	    /* RFC 3464 §2.3.3: Action "delayed", and a 4.X.X status
	     * (§2.3.4; RFC 3463: no enhanced code in the reason, 4.0.0). */
	    "\r\nAction: delayed\r\nStatus: 4.0.0\r\n",
	    /* The reason: the last failure of the attempt. */
	    "\r\nDiagnostic-Code: smtp; mx1.example.test: connection "
	    "refused (RST)\r\n",
	    /* RFC 3462: the original headers come back. */
	    "\r\nContent-Type: text/rfc822-headers\r\n",
	};
	char want[160];
	size_t i;

	/* RFC 5321 §4.5.5: a DSN has the null reverse path. */
	assert_string_equal(mm->from, "");
	assert_string_equal(mm->rcpt, to);
	assert_string_equal(mm->client, "local");
	assert_int_equal(mm->msg, msg);
	assert_int_equal(mm->t, t);
	snprintf(want, sizeof(want), "\r\nTo: <%s>\r\n", to);
	if (strstr(mm->data, want) == NULL)
		fail_msg("DSN to %s lacks %s:\n%s", to, want, mm->data);
	snprintf(
	    want, sizeof(want), "\r\nFinal-Recipient: rfc822; %s\r\n", rcpt);
	if (strstr(mm->data, want) == NULL)
		fail_msg("DSN to %s lacks %s:\n%s", to, want, mm->data);
	for (i = 0; i < N(parts); i++)
		if (strstr(mm->data, parts[i]) == NULL)
			fail_msg("DSN to %s lacks \"%s\":\n%s", to, parts[i],
			    mm->data);
	/* Never a failure report. */
	assert_null(strstr(mm->data, "Action: failed"));
}

/*
 * Delay warnings (fixtures/prof-delay.lua): mx1 refuses for the 60 h of
 * the run, every sender keeps its message queued (no give-up before 4 d)
 * and warns its local sender as its MTA does (mta-behavior.md §3.3,
 * §4.5).  Each failure ends 1.2 ms after its attempt's start (MX and A
 * lookups, then the RST).
 */
static void
test_delay_warnings(void **state)
{
	struct hrun *h = h_run("tests/scenario/fixtures/prof-delay.lua", 0);
	const struct mailbox *mb;
	struct mta_rcpt_result r;
	sim_time_t t;

	(void)state;
	/* OpenSMTPD bounce warn-interval 4h, scheduler.c TEMPFAIL: the
	 * warning goes out when the next try (creation + 400 s * n^2,
	 * scheduler_ramqueue.c) is not before creation + 4 h: the failure
	 * of the attempt at 400 * 5^2 = 10000 s, whose next try is 400 *
	 * 6^2 = 14400 s; none later (one warn-interval). */
	mb = mbox_of(h, "opensmtpd");
	assert_int_equal(mb->n, 1);
	assert_int_equal(h_result(h, "opensmtpd@example.test", 0, &r), 0);
	assert_int_equal(r.attempts[5].start, S(10000) + MS(0.8));
	assert_int_equal(r.attempts[6].start, S(14400) + MS(0.8));
	check_delay_dsn(&mb->v[0], "alice@opensmtpd.test",
	    "opensmtpd@example.test", 1, S(10000) + MS(1.2));
	/* Sendmail Timeout.queuewarn = 4h: the queue run (-q30m) at 4 h
	 * finds the message 4 h old; one warning only. */
	mb = mbox_of(h, "sendmail");
	assert_int_equal(mb->n, 1);
	t = first_failure_at_age(h, "sendmail@example.test", SIM_H(4));
	assert_int_equal(t, S(14400) + MS(1.2));
	check_delay_dsn(
	    &mb->v[0], "alice@sendmail.test", "sendmail@example.test", 2, t);
	/* Exim delay_warning = 24h, the last time repeating (deliver.c;
	 * globals.c "Times between warnings"): at the first failed queue
	 * run past 24 h (the F,4d,6h rule: 28.5 h) and past 48 h
	 * (52.5 h). */
	mb = mbox_of(h, "exim");
	assert_int_equal(mb->n, 2);
	t = first_failure_at_age(h, "exim@example.test", SIM_H(24));
	assert_int_equal(t, S(102600) + MS(1.2));
	check_delay_dsn(
	    &mb->v[0], "alice@exim.test", "exim@example.test", 3, t);
	t = first_failure_at_age(h, "exim@example.test", SIM_H(48));
	assert_int_equal(t, S(189000) + MS(1.2));
	check_delay_dsn(
	    &mb->v[1], "alice@exim.test", "exim@example.test", 3, t);
	/* Postfix delay_warning_time = 0h: no warning at all. */
	assert_int_equal(mbox_of(h, "postfix")->n, 0);
	assert_int_equal(h_count(h, "mta.dsn", "postfix"), 0);
	assert_int_equal(h_result(h, "postfix@example.test", 0, &r), 0);
	assert_int_equal(r.outcome, MTA_DEFERRED);
	assert_true(r.deliveries > 40);
	h_free(h);
}

/*
 * Postfix smtp_balance_inet_protocols = yes (fixtures/prof-select.lua,
 * dual.test): six IPv6 addresses at preference 10 and one IPv4 address
 * at 20, smtp_mx_address_limit = 5.  smtp_addr.c
 * smtp_balance_inet_proto() (mta-behavior.md §2.2 item 6): IPv4 has at
 * most L/2 addresses, so it keeps its one and IPv6 gets 4: four RSTs at
 * preference 10, then "four" delivers.  Without it the five addresses
 * tried are all IPv6 and the message is deferred (§5 item 5).  The
 * first connection starts at 2.0 ms (MX, then AAAA and A of each MX
 * host), each RST takes 0.4 ms, a delivery 2.8 ms.
 */
static void
test_balance_families(void **state)
{
	struct hrun *h = h_run("tests/scenario/fixtures/prof-select.lua", 0);
	struct mta_rcpt_result r;
	size_t i;

	(void)state;
	assert_int_equal(h_result(h, "bal@dual.test", 0, &r), 0);
	assert_int_equal(r.outcome, MTA_DELIVERED);
	assert_int_equal(r.deliveries, 1);
	assert_int_equal(r.nattempts, 5);
	for (i = 0; i < 4; i++) {
		assert_int_equal(r.attempts[i].pref, 10);
		assert_non_null(strstr(r.attempts[i].addr, "2001:db8::6"));
		assert_string_equal(r.attempts[i].result, "refused");
		assert_int_equal(
		    r.attempts[i].start, MS(2.0) + (sim_time_t)i * MS(0.4));
	}
	assert_string_equal(r.attempts[4].host, "four");
	assert_int_equal(r.attempts[4].pref, 20);
	assert_int_equal(r.attempts[4].start, MS(3.6));
	assert_int_equal(r.t, MS(6.4));
	/* balance_families = false: five IPv6 addresses, then the limit. */
	assert_int_equal(h_result(h, "nobal@dual.test", 0, &r), 0);
	assert_int_equal(r.outcome, MTA_DEFERRED);
	for (i = 0; i < 5; i++) {
		assert_int_equal(r.attempts[i].delivery, 1);
		assert_non_null(strstr(r.attempts[i].addr, "2001:db8::6"));
	}
	assert_int_equal(r.attempts[5].delivery, 2);
	h_free(h);
}

/*
 * OpenSMTPD mta.c mta_find_route() (mta-behavior.md §2.4 item 4; §6
 * "least-connections among equals"): fixtures/prof-select.lua,
 * pair.test, p1 and p2 at preference 10 in that answer order, each
 * holding its reply to "." for 10 s.  Four messages at 0 s connect at
 * 1.2 ms in queue order: with the fewest-connections choice they
 * alternate p1, p2, p1, p2; without it (answer order, no
 * randomisation, dns.c) all four go to p1.
 */
static void
test_least_connections(void **state)
{
	static const char *const least[] = {"p1", "p2", "p1", "p2"};
	struct hrun *h = h_run("tests/scenario/fixtures/prof-select.lua", 0);
	struct mta_rcpt_result r;
	char rcpt[32];
	size_t k;

	(void)state;
	for (k = 0; k < 4; k++) {
		snprintf(rcpt, sizeof(rcpt), "o%zu@pair.test", k + 1);
		assert_int_equal(h_result(h, rcpt, 0, &r), 0);
		assert_int_equal(r.outcome, MTA_DELIVERED);
		assert_int_equal(r.nattempts, 1);
		assert_string_equal(r.attempts[0].host, least[k]);
		assert_int_equal(r.attempts[0].start, MS(1.2));
		assert_int_equal(r.t, MS(1.2) + S(10) + MS(2.8));
		snprintf(rcpt, sizeof(rcpt), "n%zu@pair.test", k + 1);
		assert_int_equal(h_result(h, rcpt, 0, &r), 0);
		assert_int_equal(r.outcome, MTA_DELIVERED);
		assert_string_equal(r.attempts[0].host, "p1");
	}
	h_free(h);
}

/*
 * Exim's retry cutoff (fixtures/prof-cutoff.lua): mx1, the only MX of
 * cut.test, refuses every connection for 5 days.  DNS takes 0.8 ms (MX
 * and A: the senders have no IPv6), a refusal 0.4 ms more.  Senders
 * "exim" (delay_after_cutoff = true) send msgs 1-4, "nodac" (false)
 * msgs 5-8, at 0 s, 4d1h, 4d7h and 5d1h.
 */
struct cutrow {
	const char *rcpt;    /* recipient */
	uint64_t msg;        /* message number */
	const char *tried;   /* h_attempts() */
	enum mta_outcome st; /* final outcome */
	sim_time_t t;        /* when */
	const char *reason;  /* its start */
	const char *why;     /* the source */
};

#define DAYS(d) ((sim_time_t)(d)*SIM_H(24))
#define RTE     "5.4.7 retry timeout exceeded after "

static const struct cutrow cut_rows[] = {
    /* msg 1: queue runs every 30 min (Debian QUEUEINTERVAL) on the
     * rules F,2h,15m; G,16h,1h,1.5; F,4d,6h; the last try before 4 d
     * is at 3d22h30m (340200 s), the next retry time 6 h later.  The
     * queue run at 4d30m is the first at which the message is older
     * than the last cutoff ("now - received_time > timeout", whole
     * seconds: 4d0m1s -> run 4d30m): retry.c retry_check_address()
     * tries mx1 before its retry time; retry_update() finds the record
     * failing > 4 d: expired, every item timed out -> "retry timeout
     * exceeded" (mta-behavior.md §3.3 "Bounce when the retry rule's
     * final cutoff has passed for all IPs"). */
    {"one@cut.test", 1, NULL, MTA_BOUNCED, DAYS(4) + SIM_MIN(30) + US(1200),
        RTE "25 failed attempts", "cutoff, message age"},
    {"one@cut.test", 5, NULL, MTA_BOUNCED, DAYS(4) + SIM_MIN(30) + US(1200),
        RTE "25 failed attempts", "the same without delay_after_cutoff"},
    /* msg 2 at 4d1h: mx1's record is past its cutoff, next try at
     * 4d30m + 6h.  delay_after_cutoff = true: "later messages bounce at
     * once until a host's retry time comes round" (§3.3; transports/
     * smtp.c), no connection. */
    {"two@cut.test", 2, "", MTA_BOUNCED, DAYS(4) + SIM_H(1) + US(800),
        "5.4.7 all hosts for 'cut.test' have been failing for a long "
        "time (and retry time not reached)",
        "delay_after_cutoff = true"},
    /* delay_after_cutoff = false (Exim spec, smtp transport option):
     * the expired address not tried since the message arrived is tried,
     * fails, and the address bounces. */
    {"two@cut.test", 6, "mx1:refused", MTA_BOUNCED,
        DAYS(4) + SIM_H(1) + US(1200), RTE "1 failed attempt",
        "delay_after_cutoff = false"},
    /* msg 3 at 4d7h: the retry time has come round (exim: 4d30m + 6h =
     * 4d6h30m; nodac: 4d1h + 6h): tried, and its failure bounces it. */
    {"three@cut.test", 3, "mx1:refused", MTA_BOUNCED,
        DAYS(4) + SIM_H(7) + US(1200), RTE "1 failed attempt",
        "retry time reached past cutoff"},
    {"three@cut.test", 7, "mx1:refused", MTA_BOUNCED,
        DAYS(4) + SIM_H(7) + US(1200), RTE "1 failed attempt",
        "retry time reached past cutoff"},
    /* msg 4 at 5d1h: retry time reached (4d7h + 6h), mx1 is back. */
    {"four@cut.test", 4, "mx1:delivered", MTA_DELIVERED,
        DAYS(5) + SIM_H(1) + US(800) + US(2800), "", "recovered"},
    {"four@cut.test", 8, "mx1:delivered", MTA_DELIVERED,
        DAYS(5) + SIM_H(1) + US(800) + US(2800), "", "recovered"},
};

static void
test_exim_retry_cutoff(void **state)
{
	struct hrun *h = h_run("tests/scenario/fixtures/prof-cutoff.lua", 0);
	struct mta_rcpt_result r;
	char buf[512];
	size_t i;

	(void)state;
	for (i = 0; i < N(cut_rows); i++) {
		const struct cutrow *c = &cut_rows[i];

		assert_int_equal(h_result(h, c->rcpt, c->msg, &r), 0);
		if (r.outcome != c->st || r.t != c->t)
			fail_msg("msg %llu (%s): %s at %lld, expected %s at "
			         "%lld",
			    (unsigned long long)c->msg, c->why,
			    mta_outcome_name(r.outcome), (long long)r.t,
			    mta_outcome_name(c->st), (long long)c->t);
		if (strncmp(r.reason, c->reason, strlen(c->reason)) != 0)
			fail_msg("msg %llu (%s): reason '%s'",
			    (unsigned long long)c->msg, c->why, r.reason);
		if (c->tried != NULL)
			assert_string_equal(
			    h_attempts(h, c->rcpt, c->msg, buf, sizeof(buf)),
			    c->tried);
	}
	/* msg 1: mx1 tried at every run to 2 h, then 2h30m, 3h30m, 5 h,
	 * 7h30m, 11 h, 16h30m (the per-IP G rule: 1 h, 1.5 h, 2.25 h,
	 * 3.4 h, 5.1 h after each try, rounded up to the next run), then
	 * every 6 h (F,4d,6h) to 3d22h30m, then 4d30m: 25 connections.
	 * The message's own runs at 4h30m, 6 h, 8h30m and 12 h find "retry
	 * time not reached for any host" (mta-behavior.md §3.2): 29
	 * deliveries. */
	assert_int_equal(h_result(h, "one@cut.test", 1, &r), 0);
	assert_int_equal(r.deliveries, 29);
	assert_int_equal(r.nattempts, 25);
	assert_int_equal(r.attempts[9].start, SIM_S(39600) + US(800));
	assert_int_equal(r.attempts[10].start, SIM_S(59400) + US(800));
	assert_int_equal(r.attempts[23].start, SIM_S(340200) + US(800));
	assert_int_equal(r.attempts[24].start, DAYS(4) + SIM_MIN(30) + US(800));
	assert_string_equal(r.attempts[24].result, "refused");
	/* Skips: msg 1's four runs above, then, past its cutoff, msg 2 of
	 * "exim" and the first pass of msg 6 of "nodac"; the second pass
	 * tries it (transports/smtp.c cutoff_retry). */
	assert_int_equal(h_count(h, "mta.skip", "exim"), 5);
	assert_int_equal(h_count(h, "mta.skip", "nodac"), 5);
	h_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_all_down_retry_times),
	    cmocka_unit_test(test_postfix_dead_destination),
	    cmocka_unit_test(test_exim_per_ip_retry_record),
	    cmocka_unit_test(test_greeting_554_matrix),
	    cmocka_unit_test(test_classic_matrix),
	    cmocka_unit_test(test_dns_timeout_recovery),
	    cmocka_unit_test(test_multi_domain_recipients),
	    cmocka_unit_test(test_destination_concurrency),
	    cmocka_unit_test(test_concurrency_per_address),
	    cmocka_unit_test(test_exim_lookahead),
	    cmocka_unit_test(test_exim_retry_cutoff),
	    cmocka_unit_test(test_equal_preference_distribution),
	    cmocka_unit_test(test_delay_warnings),
	    cmocka_unit_test(test_balance_families),
	    cmocka_unit_test(test_least_connections),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

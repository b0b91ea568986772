/*
 * test_exchangers.c - mail exchangers that fail the way real ones do:
 * every SMTP outage kind at every phase against the rfc5321
 * sender, greylisting over time, a backup MX that stores and forwards
 * (and the Received: path it leaves), backscatter, a relay that is the
 * best MX of its domain, a lost reply to "." that delivers a message
 * twice, and random outage models drawn from the seed.  (The unit test
 * of sim/mta/mx.c already holds the name test_mx.)
 *
 * Times follow from the network (see test_scenarios.c): the default
 * one-way latency is 200 us, so every DNS question and SMTP command is
 * answered 0.4 ms after it leaves.  With two MX hosts the sender knows
 * both addresses 1.2 ms after the message is queued (MX, A mx1, A mx2)
 * and connects to mx1 then; with one MX host, at 0.8 ms.  From the SYN:
 * the connection is up at 0.4 ms (the client's SYN-ACK), the greeting
 * arrives at 0.8 ms, the replies to EHLO, MAIL, RCPT, DATA and "." at
 * 1.2, 1.6, 2.0, 2.4 and 2.8 ms: a delivery takes 2.8 ms.
 *
 * Scenarios generated here are written under the build tree
 * (h_run_text()) so that a failure names a file one can run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/clock.h"
#include "harness.h"

#define US(x) SIM_US(x)

/* Connect to mx1: after MX, A mx1 and A mx2 (three round trips). */
#define T0 US(1200)
/* A whole session, SYN to the 250 after ".". */
#define SESSION US(2800)

static void
all_hold(const struct hrun *h)
{
	size_t i;

	for (i = 0; i < h->w.nexpects; i++)
		if (!h->res[i].ok)
			fail_msg("expectation at line %d failed: %s",
			    h->res[i].e->at.line, h->res[i].why);
	assert_int_equal(h->nfail, 0);
}

static size_t
host_index(const struct hrun *h, const char *label)
{
	size_t i;

	for (i = 0; i < h->run.nhosts; i++)
		if (strcmp(h->run.hosts[i].wh->name, label) == 0)
			return i;
	fail_msg("no host '%s'", label);
	return 0;
}

/* What host 'label' has stored. */
static const struct mailbox *
mbox(const struct hrun *h, const char *label)
{
	return &h->run.hosts[host_index(h, label)].mb;
}

/*
 * The result for 'rcpt' of message 'msg' at the MTA of host 'label':
 * h_result() takes the first host with one, and a backup MX that
 * forwards a message keeps its number.  The attempts are copied into
 * 'buf' as "mx1:timeout,mx2:delivered".
 */
static void
result_at(const struct hrun *h, const char *label, const char *rcpt,
    uint64_t msg, struct mta_rcpt_result *out, char *buf, size_t len)
{
	const struct mta *m = h->run.hosts[host_index(h, label)].mta;
	struct mta_rcpt_result *r;
	size_t n, k, i, off = 0;

	assert_non_null(m);
	n = mta_nresults(m);
	r = calloc(n + 1, sizeof(*r));
	assert_non_null(r);
	n = mta_results(m, r, n);
	for (k = 0; k < n; k++)
		if (strcmp(r[k].rcpt, rcpt) == 0 && r[k].msg == msg)
			break;
	if (k == n) {
		free(r);
		fail_msg("%s has no result for %s (msg %llu)", label, rcpt,
		    (unsigned long long)msg);
	}
	*out = r[k];
	free(r);
	buf[0] = '\0';
	for (i = 0; i < out->nattempts && off < len; i++) {
		int w = snprintf(buf + off, len - off, "%s%s:%s", i ? "," : "",
		    out->attempts[i].host, out->attempts[i].result);

		if (w > 0)
			off += (size_t)w;
	}
}

/* The stored message 'mm' holds 'what'. */
static void
assert_holds(const struct mailbox_msg *mm, const char *what)
{
	if (strstr(mm->data, what) == NULL)
		fail_msg("the message stored for %s lacks \"%s\":\n%s",
		    mm->rcpt, what, mm->data);
}

/* The n-th (from 0) header field of a message whose line starts with
 * 'prefix', with its continuation lines (RFC 5322 §2.2.3 folding) and
 * the final CRLF, or NULL. */
static const char *
header_n(const char *data, const char *prefix, int n, char *buf, size_t len)
{
	const char *p = data, *end, *eol;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, prefix, strlen(prefix)) == 0 && n-- == 0) {
			end = p;
			do {
				eol = strstr(end, "\r\n");
				end = eol != NULL ? eol + 2 : end + strlen(end);
			} while (eol != NULL && (*end == '\t' || *end == ' '));
			snprintf(buf, len, "%.*s", (int)(end - p), p);
			return buf;
		}
		p = strstr(p, "\r\n");
		if (p != NULL)
			p += 2;
		if (p != NULL && p[0] == '\r' && p[1] == '\n')
			break; /* the end of the header section */
	}
	return NULL;
}

/* --- the matrix: every kind at every phase ------------------------- */

/* Replies with the wording of RFC 5321 §4.2.3 and an enhanced code (RFC
 * 3463) that the DSN must carry. */
#define R421                                                                   \
	"reply = \"421 4.3.2 Service not available, closing transmission channel\""
#define R450                                                                   \
	"reply = \"450 4.2.1 Requested mail action not taken: mailbox unavailable\""
#define R451                                                                   \
	"reply = \"451 4.3.0 Requested action aborted: local error in processing\""
#define R452                                                                   \
	"reply = \"452 4.3.1 Requested action not taken: insufficient system storage\""
#define R550                                                                   \
	"reply = \"550 5.2.1 Requested action not taken: mailbox unavailable\""
#define R554 "reply = \"554 5.3.0 Transaction failed\""

struct mcase {
	const char *kind;         /* the outage on mx1, from 0 to 1 h */
	const char *at;           /* its phase */
	const char *arg;          /* its reply or delay, or "" */
	const char *attempts;     /* the sender's attempts, exactly */
	enum mta_outcome outcome; /* and its outcome */
	sim_time_t end1;          /* first attempt's end, from its SYN */
	sim_time_t t;             /* the outcome, from the first SYN */
	int in_mx1, in_mx2;       /* mailbox entries at the end */
	const char *status;       /* a bounce: the DSN's Status */
};

#define NEXT   MTA_DELIVERED
#define BOUNCE MTA_BOUNCED

static const struct mcase matrix[] = {
    /*
     * reply at the greeting.  RFC 5321 §3.1: a server may answer the
     * connection with 554 and then waits for QUIT; §3.8: 421 closes the
     * channel.  Neither is a verdict on the message: the rfc5321 profile
     * moves to the next MX (docs/scenario-reference.md "a 5xx greeting
     * moves to the next address"; Exim, Sendmail and OpenSMTPD do the
     * same, reference/mta-behavior.md §3.1).  The reply comes at 0.8 ms,
     * mx2 delivers 2.8 ms later.
     */
    {"reply", "greeting", R421, "mx1:421,mx2:delivered", NEXT, US(800),
        US(800) + SESSION, 0, 1, NULL},
    {"reply", "greeting", R450, "mx1:450,mx2:delivered", NEXT, US(800),
        US(800) + SESSION, 0, 1, NULL},
    {"reply", "greeting", R451, "mx1:451,mx2:delivered", NEXT, US(800),
        US(800) + SESSION, 0, 1, NULL},
    {"reply", "greeting", R452, "mx1:452,mx2:delivered", NEXT, US(800),
        US(800) + SESSION, 0, 1, NULL},
    {"reply", "greeting", R550, "mx1:550,mx2:delivered", NEXT, US(800),
        US(800) + SESSION, 0, 1, NULL},
    {"reply", "greeting", R554, "mx1:554,mx2:delivered", NEXT, US(800),
        US(800) + SESSION, 0, 1, NULL},
    /*
     * reply to EHLO.  4yz is transient (RFC 5321 §4.2.1): the next MX.
     * A 5yz makes the client fall back to HELO (RFC 5321 §3.2, the
     * profile's helo_fallback), which the outage answers alike one round
     * trip later (1.6 ms); a refused HELO fails that host, not the
     * message: the next MX (Exim, Sendmail, OpenSMTPD, §3.1).
     */
    {"reply", "ehlo", R421, "mx1:421,mx2:delivered", NEXT, US(1200),
        US(1200) + SESSION, 0, 1, NULL},
    {"reply", "ehlo", R450, "mx1:450,mx2:delivered", NEXT, US(1200),
        US(1200) + SESSION, 0, 1, NULL},
    {"reply", "ehlo", R451, "mx1:451,mx2:delivered", NEXT, US(1200),
        US(1200) + SESSION, 0, 1, NULL},
    {"reply", "ehlo", R452, "mx1:452,mx2:delivered", NEXT, US(1200),
        US(1200) + SESSION, 0, 1, NULL},
    {"reply", "ehlo", R550, "mx1:550,mx2:delivered", NEXT, US(1600),
        US(1600) + SESSION, 0, 1, NULL},
    {"reply", "ehlo", R554, "mx1:554,mx2:delivered", NEXT, US(1600),
        US(1600) + SESSION, 0, 1, NULL},
    /*
     * MAIL, RCPT, DATA, ".": 4yz is transient (RFC 5321 §4.2.1): the
     * next MX in the same attempt (Postfix and Sendmail, §3.1; 421 also
     * closes, §3.8).  5yz is permanent: "the SMTP client SHOULD NOT
     * repeat the exact request" (§4.2.1); the message bounces at once
     * (Postfix, Exim, Sendmail, OpenSMTPD, Haraka, §3.1), mx2 never
     * sees it, and the DSN carries the reply's enhanced status.
     */
    {"reply", "mail", R421, "mx1:421,mx2:delivered", NEXT, US(1600),
        US(1600) + SESSION, 0, 1, NULL},
    {"reply", "mail", R450, "mx1:450,mx2:delivered", NEXT, US(1600),
        US(1600) + SESSION, 0, 1, NULL},
    {"reply", "mail", R451, "mx1:451,mx2:delivered", NEXT, US(1600),
        US(1600) + SESSION, 0, 1, NULL},
    {"reply", "mail", R452, "mx1:452,mx2:delivered", NEXT, US(1600),
        US(1600) + SESSION, 0, 1, NULL},
    {"reply", "mail", R550, "mx1:550", BOUNCE, US(1600), US(1600), 0, 0,
        "5.2.1"},
    {"reply", "mail", R554, "mx1:554", BOUNCE, US(1600), US(1600), 0, 0,
        "5.3.0"},
    {"reply", "rcpt", R421, "mx1:421,mx2:delivered", NEXT, US(2000),
        US(2000) + SESSION, 0, 1, NULL},
    {"reply", "rcpt", R450, "mx1:450,mx2:delivered", NEXT, US(2000),
        US(2000) + SESSION, 0, 1, NULL},
    {"reply", "rcpt", R451, "mx1:451,mx2:delivered", NEXT, US(2000),
        US(2000) + SESSION, 0, 1, NULL},
    {"reply", "rcpt", R452, "mx1:452,mx2:delivered", NEXT, US(2000),
        US(2000) + SESSION, 0, 1, NULL},
    {"reply", "rcpt", R550, "mx1:550", BOUNCE, US(2000), US(2000), 0, 0,
        "5.2.1"},
    {"reply", "rcpt", R554, "mx1:554", BOUNCE, US(2000), US(2000), 0, 0,
        "5.3.0"},
    {"reply", "data", R421, "mx1:421,mx2:delivered", NEXT, US(2400),
        US(2400) + SESSION, 0, 1, NULL},
    {"reply", "data", R450, "mx1:450,mx2:delivered", NEXT, US(2400),
        US(2400) + SESSION, 0, 1, NULL},
    {"reply", "data", R451, "mx1:451,mx2:delivered", NEXT, US(2400),
        US(2400) + SESSION, 0, 1, NULL},
    {"reply", "data", R452, "mx1:452,mx2:delivered", NEXT, US(2400),
        US(2400) + SESSION, 0, 1, NULL},
    {"reply", "data", R550, "mx1:550", BOUNCE, US(2400), US(2400), 0, 0,
        "5.2.1"},
    {"reply", "data", R554, "mx1:554", BOUNCE, US(2400), US(2400), 0, 0,
        "5.3.0"},
    /* After ".", a 4yz means the server did not take the message: it
     * stores nothing, and mx2 gets it (Postfix "NEXT (soft,
     * non-final)", §3.1). */
    {"reply", "dot", R421, "mx1:421,mx2:delivered", NEXT, US(2800),
        US(2800) + SESSION, 0, 1, NULL},
    {"reply", "dot", R450, "mx1:450,mx2:delivered", NEXT, US(2800),
        US(2800) + SESSION, 0, 1, NULL},
    {"reply", "dot", R451, "mx1:451,mx2:delivered", NEXT, US(2800),
        US(2800) + SESSION, 0, 1, NULL},
    {"reply", "dot", R452, "mx1:452,mx2:delivered", NEXT, US(2800),
        US(2800) + SESSION, 0, 1, NULL},
    {"reply", "dot", R550, "mx1:550", BOUNCE, US(2800), US(2800), 0, 0,
        "5.2.1"},
    {"reply", "dot", R554, "mx1:554", BOUNCE, US(2800), US(2800), 0, 0,
        "5.3.0"},
    /*
     * drop: the server closes without a reply; its FIN arrives when the
     * reply would have.  RFC 5321 §3.8: a client that sees the
     * connection close "SHOULD ... treat the mail transaction as if a
     * 451 response had been received": the next MX.  Nothing is stored,
     * even after "." (no 250 was given).
     */
    {"drop", "greeting", "", "mx1:dropped,mx2:delivered", NEXT, US(800),
        US(800) + SESSION, 0, 1, NULL},
    {"drop", "ehlo", "", "mx1:dropped,mx2:delivered", NEXT, US(1200),
        US(1200) + SESSION, 0, 1, NULL},
    {"drop", "mail", "", "mx1:dropped,mx2:delivered", NEXT, US(1600),
        US(1600) + SESSION, 0, 1, NULL},
    {"drop", "rcpt", "", "mx1:dropped,mx2:delivered", NEXT, US(2000),
        US(2000) + SESSION, 0, 1, NULL},
    {"drop", "data", "", "mx1:dropped,mx2:delivered", NEXT, US(2400),
        US(2400) + SESSION, 0, 1, NULL},
    {"drop", "dot", "", "mx1:dropped,mx2:delivered", NEXT, US(2800),
        US(2800) + SESSION, 0, 1, NULL},
    /*
     * slow, 6 minutes: longer than the rfc5321 profile's timeouts (RFC
     * 5321 §4.5.3.2 minimums) for the greeting (5 min, §4.5.3.2.1, from
     * the moment the connection is up, 0.4 ms), EHLO (helo_timeout 5
     * min, sent at 0.8 ms), MAIL (§4.5.3.2.2, 5 min, sent at 1.2 ms),
     * RCPT (§4.5.3.2.3, 5 min, 1.6 ms) and DATA (§4.5.3.2.4, 2 min, 2.0
     * ms): a timeout, treated as a 451 (§3.8), then mx2.  After "." the
     * client waits 10 min (§4.5.3.2.6): the 250 arrives 6 min late and
     * mx1 delivers.
     */
    {"slow", "greeting", "delay = \"6m\"", "mx1:timeout,mx2:delivered", NEXT,
        US(400) + SIM_MIN(5), US(400) + SIM_MIN(5) + SESSION, 0, 1, NULL},
    {"slow", "ehlo", "delay = \"6m\"", "mx1:timeout,mx2:delivered", NEXT,
        US(800) + SIM_MIN(5), US(800) + SIM_MIN(5) + SESSION, 0, 1, NULL},
    {"slow", "mail", "delay = \"6m\"", "mx1:timeout,mx2:delivered", NEXT,
        US(1200) + SIM_MIN(5), US(1200) + SIM_MIN(5) + SESSION, 0, 1, NULL},
    {"slow", "rcpt", "delay = \"6m\"", "mx1:timeout,mx2:delivered", NEXT,
        US(1600) + SIM_MIN(5), US(1600) + SIM_MIN(5) + SESSION, 0, 1, NULL},
    {"slow", "data", "delay = \"6m\"", "mx1:timeout,mx2:delivered", NEXT,
        US(2000) + SIM_MIN(2), US(2000) + SIM_MIN(2) + SESSION, 0, 1, NULL},
    {"slow", "dot", "delay = \"6m\"", "mx1:delivered", NEXT,
        US(2800) + SIM_MIN(6), US(2800) + SIM_MIN(6), 1, 0, NULL},
    /* slow, 1 minute: within every timeout above, so mx1 delivers, one
     * minute late whatever the phase. */
    {"slow", "greeting", "delay = \"1m\"", "mx1:delivered", NEXT,
        US(2800) + SIM_MIN(1), US(2800) + SIM_MIN(1), 1, 0, NULL},
    {"slow", "ehlo", "delay = \"1m\"", "mx1:delivered", NEXT,
        US(2800) + SIM_MIN(1), US(2800) + SIM_MIN(1), 1, 0, NULL},
    {"slow", "mail", "delay = \"1m\"", "mx1:delivered", NEXT,
        US(2800) + SIM_MIN(1), US(2800) + SIM_MIN(1), 1, 0, NULL},
    {"slow", "rcpt", "delay = \"1m\"", "mx1:delivered", NEXT,
        US(2800) + SIM_MIN(1), US(2800) + SIM_MIN(1), 1, 0, NULL},
    {"slow", "data", "delay = \"1m\"", "mx1:delivered", NEXT,
        US(2800) + SIM_MIN(1), US(2800) + SIM_MIN(1), 1, 0, NULL},
    {"slow", "dot", "delay = \"1m\"", "mx1:delivered", NEXT,
        US(2800) + SIM_MIN(1), US(2800) + SIM_MIN(1), 1, 0, NULL},
    /*
     * hang: the reply never comes; the client waits out the same
     * timeouts as above (§4.5.3.2), then mx2 (§3.8).  After "." mx1 has
     * stored the message before it hung: the sender's 10 min timeout
     * (§4.5.3.2.6, armed when "." left at 2.4 ms) ends in a second copy
     * at mx2, the duplicate RFC 5321 §4.5.3.2.6 warns about (a timeout
     * there "would typically result in delivery of multiple copies of
     * the message").
     */
    {"hang", "greeting", "", "mx1:timeout,mx2:delivered", NEXT,
        US(400) + SIM_MIN(5), US(400) + SIM_MIN(5) + SESSION, 0, 1, NULL},
    {"hang", "ehlo", "", "mx1:timeout,mx2:delivered", NEXT,
        US(800) + SIM_MIN(5), US(800) + SIM_MIN(5) + SESSION, 0, 1, NULL},
    {"hang", "mail", "", "mx1:timeout,mx2:delivered", NEXT,
        US(1200) + SIM_MIN(5), US(1200) + SIM_MIN(5) + SESSION, 0, 1, NULL},
    {"hang", "rcpt", "", "mx1:timeout,mx2:delivered", NEXT,
        US(1600) + SIM_MIN(5), US(1600) + SIM_MIN(5) + SESSION, 0, 1, NULL},
    {"hang", "data", "", "mx1:timeout,mx2:delivered", NEXT,
        US(2000) + SIM_MIN(2), US(2000) + SIM_MIN(2) + SESSION, 0, 1, NULL},
    {"hang", "dot", "", "mx1:timeout,mx2:delivered", NEXT,
        US(2400) + SIM_MIN(10), US(2400) + SIM_MIN(10) + SESSION, 1, 1, NULL},
    /*
     * greylist: the first try of a (client, sender, recipient) triplet
     * gets a 4yz (postgrey's "450 4.2.0 ... Greylisted" through
     * Postfix), so the sender moves to the next MX in the same attempt
     * (reference/mta-behavior.md §3.1 "RCPT 4xx (incl. greylisting
     * 450/451)": NEXT for Postfix, Exim and Sendmail; failure story §3).
     */
    {"greylist", "greeting", "", "mx1:450,mx2:delivered", NEXT, US(800),
        US(800) + SESSION, 0, 1, NULL},
    {"greylist", "ehlo", "", "mx1:450,mx2:delivered", NEXT, US(1200),
        US(1200) + SESSION, 0, 1, NULL},
    {"greylist", "mail", "", "mx1:450,mx2:delivered", NEXT, US(1600),
        US(1600) + SESSION, 0, 1, NULL},
    {"greylist", "rcpt", "", "mx1:450,mx2:delivered", NEXT, US(2000),
        US(2000) + SESSION, 0, 1, NULL},
    {"greylist", "data", "", "mx1:450,mx2:delivered", NEXT, US(2400),
        US(2400) + SESSION, 0, 1, NULL},
    {"greylist", "dot", "", "mx1:450,mx2:delivered", NEXT, US(2800),
        US(2800) + SESSION, 0, 1, NULL},
};

/* Two MX hosts, the outage on mx1 for the first hour, one message. */
static const char matrix_fmt[] =
    "scenario \"%s\" { seed = 1, stop_at = \"1h\" }\n"
    "zone \"example.test\" {\n"
    "  { \"@\", \"NS\", \"ns1\" },\n"
    "  { \"@\", \"MX\", 10, \"mx1\" },\n"
    "  { \"@\", \"MX\", 20, \"mx2\" },\n"
    "  { \"ns1\", \"A\", \"192.0.2.53\" },\n"
    "  { \"mx1\", \"A\", \"192.0.2.10\" },\n"
    "  { \"mx2\", \"A\", \"192.0.2.20\" },\n"
    "}\n"
    "host \"ns1\" { addr = \"192.0.2.53\", dns = { serves = { "
    "\"example.test\" } } }\n"
    "host \"mx1\" { addr = \"192.0.2.10\", smtp = {} }\n"
    "host \"mx2\" { addr = \"192.0.2.20\", smtp = {} }\n"
    "host \"mta\" { addr = \"198.51.100.7\",\n"
    "  sender = { profile = \"rfc5321\", resolver = \"ns1\" } }\n"
    "outage \"mx1\" { from = \"0s\", to = \"1h\", kind = \"%s\", at = "
    "\"%s\"%s%s }\n"
    "message { at = \"0s\", from = \"alice@sender.test\", to = "
    "\"bob@example.test\" }\n";

/* The bounce notice the sender wrote into its own host's mailbox (RFC
 * 3464; locally submitted mail bounces locally). */
static void
check_local_dsn(const struct hrun *h, const struct mcase *c)
{
	const struct mailbox *mb = mbox(h, "mta");
	char want[64];

	assert_int_equal(mb->n, 1);
	assert_string_equal(mb->v[0].from, "");
	assert_string_equal(mb->v[0].rcpt, "alice@sender.test");
	assert_string_equal(mb->v[0].client, "local");
	assert_int_equal(mb->v[0].msg, 1);
	assert_holds(&mb->v[0], "Final-Recipient: rfc822; bob@example.test");
	assert_holds(&mb->v[0], "Action: failed");
	snprintf(want, sizeof(want), "Status: %s\r\n", c->status);
	assert_holds(&mb->v[0], want);
}

/* Runs one case; 0 when it went as expected, else -1 (and says how). */
static int
run_case(const struct mcase *c, size_t idx)
{
	char name[64], text[sizeof(matrix_fmt) + 256], got[256];
	struct mta_rcpt_result r;
	struct hrun *h;

	snprintf(
	    name, sizeof(name), "mx-matrix-%zu-%s-%s", idx, c->kind, c->at);
	snprintf(text, sizeof(text), matrix_fmt, name, c->kind, c->at,
	    c->arg[0] ? ", " : "", c->arg);
	h = h_run_text(name, text, 0);
	result_at(h, "mta", "bob@example.test", 1, &r, got, sizeof(got));
	if (strcmp(got, c->attempts) != 0 || r.outcome != c->outcome ||
	    r.attempts[0].end != T0 + c->end1 || r.t != T0 + c->t ||
	    (int)mbox(h, "mx1")->n != c->in_mx1 ||
	    (int)mbox(h, "mx2")->n != c->in_mx2) {
		print_error(
		    "%s %s %s: got %s, %s at %lld ns (first attempt ends "
		    "%lld), stored %zu+%zu; want %s, %s at %lld (%lld), "
		    "%d+%d",
		    c->kind, c->at, c->arg, got, mta_outcome_name(r.outcome),
		    (long long)(r.t - T0), (long long)(r.attempts[0].end - T0),
		    mbox(h, "mx1")->n, mbox(h, "mx2")->n, c->attempts,
		    mta_outcome_name(c->outcome), (long long)c->t,
		    (long long)c->end1, c->in_mx1, c->in_mx2);
		h_free(h);
		return -1;
	}
	assert_int_equal(r.attempts[0].start, T0);
	/* The next MX at the instant the first fails (RFC 5321 §5.1). */
	if (r.nattempts > 1)
		assert_int_equal(r.attempts[1].start, r.attempts[0].end);
	if (c->status != NULL)
		check_local_dsn(h, c);
	else
		assert_int_equal(mbox(h, "mta")->n, 0);
	h_free(h);
	return 0;
}

static void
test_matrix_every_kind_at_every_phase(void **state)
{
	size_t i, bad = 0;

	(void)state;
	/* Every case runs, so that one failure shows all the others. */
	for (i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++)
		if (run_case(&matrix[i], i) != 0)
			bad++;
	assert_int_equal(bad, 0);
}

/* --- greylisting over time ------------------------------------------ */

/* One MX host that greylists, one sender with the given knobs. */
static const char grey_fmt[] =
    "scenario \"%s\" { seed = 1, stop_at = \"%s\" }\n"
    "zone \"example.test\" {\n"
    "  { \"@\", \"NS\", \"ns1\" },\n"
    "  { \"@\", \"MX\", 10, \"mx1\" },\n"
    "  { \"ns1\", \"A\", \"192.0.2.53\" },\n"
    "  { \"mx1\", \"A\", \"192.0.2.10\" },\n"
    "}\n"
    "host \"ns1\" { addr = \"192.0.2.53\", dns = { serves = { "
    "\"example.test\" } } }\n"
    "host \"mx1\" { addr = \"192.0.2.10\", smtp = {} }\n"
    "host \"mta\" { addr = \"198.51.100.7\",\n"
    "  sender = { profile = \"rfc5321\", resolver = \"ns1\"%s } }\n"
    "outage \"mx1\" { kind = \"greylist\"%s }\n"
    "message { at = \"0s\", from = \"alice@sender.test\", to = "
    "\"bob@example.test\" }\n"
    "%s";

static struct hrun *
grey_run(const char *name, const char *stop, const char *knobs,
    const char *outage, const char *more)
{
	char text[sizeof(grey_fmt) + 1024];

	snprintf(text, sizeof(text), grey_fmt, name, stop, knobs, outage, more);
	return h_run_text(name, text, 0);
}

/* With a single MX the connect starts 0.8 ms after the message is
 * queued (MX, A), the RCPT reply arrives 2.0 ms later. */
#define GREY_RCPT (US(800) + US(2000))

/*
 * postgrey's defaults (--delay=300): the first try of the triplet gets
 * 450 at RCPT; with no other MX the message waits for the rfc5321
 * retry, 30 min later (RFC 5321 §4.5.4.1), by which time the 5 minutes
 * have passed and mx1 takes it.
 */
static void
test_greylist_first_try_450_then_the_30_minute_retry_passes(void **state)
{
	struct hrun *h =
	    grey_run("mx-grey-basic", "2h", "", ", retry_after = \"5m\"", "");
	struct mta_rcpt_result r;
	const struct hrec *x;
	char got[256];
	sim_time_t retry = GREY_RCPT + SIM_MIN(30);

	(void)state;
	result_at(h, "mta", "bob@example.test", 1, &r, got, sizeof(got));
	assert_string_equal(got, "mx1:450,mx1:delivered");
	assert_int_equal(r.outcome, MTA_DELIVERED);
	assert_int_equal(r.deliveries, 2);
	assert_int_equal(r.attempts[0].delivery, 1);
	assert_int_equal(r.attempts[0].start, US(800));
	assert_int_equal(r.attempts[0].end, GREY_RCPT);
	assert_int_equal(r.attempts[1].delivery, 2);
	assert_int_equal(r.attempts[1].start, retry + US(800));
	assert_int_equal(r.t, retry + US(800) + SESSION);
	x = h_find(h, "mta.defer", "mta", 0);
	assert_non_null(x);
	assert_int_equal(x->t, GREY_RCPT);
	assert_non_null(strstr(x->text, "next attempt in 30m"));
	assert_int_equal(mbox(h, "mx1")->n, 1);
	assert_int_equal(mbox(h, "mx1")->v[0].t, retry + US(800) + US(2600));
	h_free(h);
}

/*
 * A retry before 'retry_after' is greylisted again, and the first try
 * still counts from its own time (postgrey keeps the triplet's first
 * timestamp): with retry_after 15 min and retries every 10 min the
 * second attempt (10 min) is refused, the third (20 min) accepted.
 */
static void
test_greylist_retry_too_early_is_refused_again(void **state)
{
	struct hrun *h = grey_run("mx-grey-early", "2h",
	    ", retry = { \"10m\" }", ", retry_after = \"15m\"", "");
	struct mta_rcpt_result r;
	char got[256];
	sim_time_t s2 = GREY_RCPT + SIM_MIN(10) + US(800);
	sim_time_t s3 = s2 + US(2000) + SIM_MIN(10) + US(800);

	(void)state;
	result_at(h, "mta", "bob@example.test", 1, &r, got, sizeof(got));
	assert_string_equal(got, "mx1:450,mx1:450,mx1:delivered");
	assert_int_equal(r.attempts[1].start, s2);
	assert_int_equal(r.attempts[1].end, s2 + US(2000));
	assert_int_equal(r.attempts[2].start, s3);
	assert_int_equal(r.t, s3 + SESSION);
	h_free(h);
}

/*
 * postgrey --retry-window: a retry that comes after the window is a new
 * first try.  A sender that retries every 2 hours never gets through a
 * greylist whose window is 1 hour: deferred at the end, every attempt
 * refused.
 */
static void
test_greylist_retry_after_the_window_starts_over(void **state)
{
	struct hrun *h =
	    grey_run("mx-grey-window", "5h", ", retry = { \"2h\" }",
	        ", retry_after = \"5m\", window = \"1h\"", "");
	struct mta_rcpt_result r;
	char got[256];
	sim_time_t s2 = GREY_RCPT + SIM_H(2) + US(800);
	sim_time_t s3 = s2 + US(2000) + SIM_H(2) + US(800);

	(void)state;
	result_at(h, "mta", "bob@example.test", 1, &r, got, sizeof(got));
	assert_string_equal(got, "mx1:450,mx1:450,mx1:450");
	assert_int_equal(r.outcome, MTA_DEFERRED);
	assert_int_equal(r.attempts[1].start, s2);
	assert_int_equal(r.attempts[2].start, s3);
	assert_int_equal(mbox(h, "mx1")->n, 0);
	h_free(h);
}

/*
 * The triplet is (client, sender, recipient): once bob's triplet has
 * passed, a later message for bob goes through at once, while one for
 * carol, same client and sender, is greylisted on its own.
 */
static void
test_greylist_is_per_triplet(void **state)
{
	struct hrun *h =
	    grey_run("mx-grey-triplet", "2h", "", ", retry_after = \"5m\"",
	        "message { at = \"40m\", from = \"alice@sender.test\", to = "
	        "\"bob@example.test\" }\n"
	        "message { at = \"40m\", from = \"alice@sender.test\", to = "
	        "\"carol@example.test\" }\n");
	struct mta_rcpt_result r;
	char got[256];

	(void)state;
	result_at(h, "mta", "bob@example.test", 1, &r, got, sizeof(got));
	assert_string_equal(got, "mx1:450,mx1:delivered");
	result_at(h, "mta", "bob@example.test", 2, &r, got, sizeof(got));
	assert_string_equal(got, "mx1:delivered");
	assert_int_equal(r.t, SIM_MIN(40) + US(800) + SESSION);
	result_at(h, "mta", "carol@example.test", 3, &r, got, sizeof(got));
	assert_string_equal(got, "mx1:450,mx1:delivered");
	assert_int_equal(
	    r.t, SIM_MIN(40) + GREY_RCPT + SIM_MIN(30) + US(800) + SESSION);
	h_free(h);
}

/*
 * scenarios/greylist-primary.lua: the sender tries the backup within
 * the same attempt (RFC 5321 §5.1), the backup (a relay) forwards to
 * the primary, which greylists the backup's own triplet too: mx2's
 * retry 30 min later (rfc5321 profile) passes.
 */
static void
test_greylist_primary_diverts_to_the_backup_which_forwards_later(void **state)
{
	struct hrun *h = h_run("scenarios/greylist-primary.lua", 0);
	struct mta_rcpt_result r;
	char got[256];
	/* mx2 stores at the end of the sender's second session. */
	sim_time_t at_mx2 = T0 + US(2000) + US(2600);

	(void)state;
	all_hold(h);
	result_at(h, "mta", "bob@example.test", 1, &r, got, sizeof(got));
	assert_string_equal(got, "mx1:450,mx2:delivered");
	assert_string_equal(r.via, "mx2");
	assert_int_equal(r.t, at_mx2 + US(200));
	assert_int_equal(mbox(h, "mx2")->n, 1);
	assert_int_equal(mbox(h, "mx2")->v[0].t, at_mx2);
	/* mx2's own attempts: MX, A mx1, A mx2, then mx1 only (its own
	 * preference and worse dropped, RFC 5321 §5.1). */
	result_at(h, "mx2", "bob@example.test", 1, &r, got, sizeof(got));
	assert_string_equal(got, "mx1:450,mx1:delivered");
	assert_int_equal(r.attempts[0].start, at_mx2 + T0);
	assert_int_equal(
	    r.attempts[1].start, at_mx2 + T0 + US(2000) + SIM_MIN(30) + T0);
	assert_int_equal(mbox(h, "mx1")->n, 1);
	assert_string_equal(mbox(h, "mx1")->v[0].client, "mx2");
	h_free(h);
}

/* --- the backup MX: store, forward, and the Received: path ----------- */

/* The Received: line host 'by' writes for a message from 'from_host'
 * (HELO name 'helo', label 'label', address 'ip') in session 'id' at
 * 't': smtpsrv.c's layout, Postfix's (RFC 5321 §4.4). */
static void
received(const struct hrun *h, const char *helo, const char *label,
    const char *ip, const char *by, int id, const char *rcpt, sim_time_t t,
    char *buf, size_t len)
{
	char date[64];

	clock_rfc5322(h->w.epoch, t, date, sizeof(date));
	snprintf(buf, len,
	    "Received: from %s (%s [%s])\r\n\tby %s (mxsim) with ESMTP id "
	    "%d\r\n\tfor <%s>; %s\r\n",
	    helo, label, ip, by, id, rcpt, date);
}

/*
 * scenarios/backup-relay.lua: mx1 down for an hour.  The sender times
 * out (30 s, rfc5321 connect_timeout) and hands the message to mx2,
 * which forwards it with its own sender role, to mx1 only (RFC 5321
 * §5.1), on the rfc5321 schedule: at once (timeout), 30 min later
 * (timeout), 2 h after that: mx1 is back.  The message mx1 stores is
 * the one mx2 stored with mx1's Received: line on top (RFC 5321 §4.4: a
 * relay prepends its own, and "MUST NOT change or delete a Received:
 * line that was previously added").
 */
static void
test_relay_forwards_to_the_primary_with_the_received_path(void **state)
{
	struct hrun *h = h_run("scenarios/backup-relay.lua", 0);
	const struct mailbox *m1, *m2;
	struct mta_rcpt_result r;
	char got[256], want[512], hdr[512];
	sim_time_t at_mx2 = T0 + SIM_S(30) + US(2600), a1, a2, a3;
	size_t rl;

	(void)state;
	all_hold(h);
	result_at(h, "mta", "bob@example.test", 1, &r, got, sizeof(got));
	assert_string_equal(got, "mx1:timeout,mx2:delivered");
	assert_int_equal(r.t, at_mx2 + US(200));
	result_at(h, "mx2", "bob@example.test", 1, &r, got, sizeof(got));
	assert_string_equal(got, "mx1:timeout,mx1:timeout,mx1:delivered");
	assert_int_equal(r.deliveries, 3);
	a1 = at_mx2 + T0;
	a2 = a1 + SIM_S(30) + SIM_MIN(30) + T0;
	a3 = a2 + SIM_S(30) + SIM_H(2) + T0;
	assert_int_equal(r.attempts[0].start, a1);
	assert_int_equal(r.attempts[1].start, a2);
	assert_int_equal(r.attempts[2].start, a3);
	assert_int_equal(r.t, a3 + SESSION);
	/* Never to itself. */
	assert_int_equal(h_count(h, "mta.connect", "mx2"), 3);
	m1 = mbox(h, "mx1");
	m2 = mbox(h, "mx2");
	assert_int_equal(m1->n, 1);
	assert_int_equal(m2->n, 1);
	assert_int_equal(m1->v[0].t, a3 + US(2600));
	assert_string_equal(m1->v[0].client, "mx2");
	assert_string_equal(m1->v[0].from, "alice@sender.test");
	/* mx2 took it from mta (EHLO mta.test), mx1 from mx2. */
	received(h, "mta.test", "mta", "198.51.100.7", "mx2.example.test", 1,
	    "bob@example.test", at_mx2, want, sizeof(want));
	assert_non_null(
	    header_n(m2->v[0].data, "Received:", 0, hdr, sizeof(hdr)));
	assert_string_equal(hdr, want);
	received(h, "mx2.example.test", "mx2", "192.0.2.20", "mx1.example.test",
	    1, "bob@example.test", a3 + US(2600), want, sizeof(want));
	assert_non_null(
	    header_n(m1->v[0].data, "Received:", 0, hdr, sizeof(hdr)));
	assert_string_equal(hdr, want);
	/* Below mx1's line, byte for byte what mx2 stored: its Received:
	 * line second, then the original message. */
	rl = strlen(want);
	assert_int_equal(m1->v[0].size, rl + m2->v[0].size);
	assert_memory_equal(m1->v[0].data + rl, m2->v[0].data, m2->v[0].size);
	assert_non_null(
	    header_n(m1->v[0].data, "Received:", 1, hdr, sizeof(hdr)));
	assert_non_null(strstr(hdr, "by mx2.example.test"));
	assert_null(header_n(m1->v[0].data, "Received:", 2, hdr, sizeof(hdr)));
	assert_holds(&m1->v[0], "Message-ID: <1.42@mta.test>\r\n");
	h_free(h);
}

/* --- backscatter ----------------------------------------------------- */

/*
 * scenarios/backscatter.lua: mx2 accepts a message for an unknown user
 * while mx1 is down, forwards it at its second attempt (30 min after
 * its first, rfc5321 retry), gets 550 5.1.1, and sends a DSN (RFC 3464)
 * from <> (RFC 5321 §4.5.5) to the original sender's domain, whose MX
 * stores it.  The original sender saw only a 250 from mx2.
 */
static void
test_backscatter_dsn_reaches_the_sender_domain(void **state)
{
	struct hrun *h = h_run("scenarios/backscatter.lua", 0);
	const struct mailbox *mb;
	const struct mailbox_msg *d;
	struct mta_rcpt_result r;
	char got[256], hdr[512];
	sim_time_t at_mx2 = T0 + SIM_S(30) + US(2600), bounce;

	(void)state;
	all_hold(h);
	result_at(h, "mta", "nobody@example.test", 1, &r, got, sizeof(got));
	assert_string_equal(got, "mx1:timeout,mx2:delivered");
	assert_int_equal(r.outcome, MTA_DELIVERED);
	assert_string_equal(r.via, "mx2");
	result_at(h, "mx2", "nobody@example.test", 1, &r, got, sizeof(got));
	assert_string_equal(got, "mx1:timeout,mx1:550");
	assert_int_equal(r.outcome, MTA_BOUNCED);
	bounce = at_mx2 + T0 + SIM_S(30) + SIM_MIN(30) + T0 + US(2000);
	assert_int_equal(r.t, bounce);
	/* The DSN's own delivery: MX sender.test, A mail, one session. */
	result_at(h, "mx2", "alice@sender.test", 1, &r, got, sizeof(got));
	assert_string_equal(got, "mail:delivered");
	assert_int_equal(r.t, bounce + US(800) + SESSION);
	mb = mbox(h, "mail");
	assert_int_equal(mb->n, 1);
	d = &mb->v[0];
	assert_string_equal(d->from, "");
	assert_string_equal(d->rcpt, "alice@sender.test");
	assert_string_equal(d->client, "mx2");
	assert_int_equal(d->t, bounce + US(800) + US(2600));
	assert_non_null(header_n(d->data, "Received:", 0, hdr, sizeof(hdr)));
	assert_non_null(
	    strstr(hdr, "from mx2.example.test (mx2 [192.0.2.20])"));
	assert_holds(d, "From: MAILER-DAEMON@mx2.example.test");
	assert_holds(d, "To: <alice@sender.test>\r\n");
	/* RFC 3464 §2: a multipart/report (RFC 6522) of report-type
	 * delivery-status; §2.2, §2.3: per-message and per-recipient
	 * fields. */
	assert_holds(d, "Content-Type: multipart/report; "
	                "report-type=delivery-status;");
	assert_holds(d, "Content-Type: message/delivery-status\r\n");
	assert_holds(d, "Reporting-MTA: dns; mx2.example.test\r\n");
	assert_holds(d, "Final-Recipient: rfc822; nobody@example.test\r\n");
	assert_holds(d, "Action: failed\r\n");
	assert_holds(d, "Status: 5.1.1\r\n");
	assert_holds(d, "Diagnostic-Code: smtp; 550 5.1.1 "
	                "<nobody@example.test>: Recipient address rejected: "
	                "User unknown");
	/* The original's headers come back (RFC 3464 §2: the third part),
	 * so alice can tell which message bounced. */
	assert_holds(d, "Content-Type: text/rfc822-headers\r\n");
	assert_holds(d, "Message-ID: <1.42@mta.test>\r\n");
	/* Nothing for nobody anywhere. */
	assert_int_equal(mbox(h, "mx1")->n, 0);
	h_free(h);
}

/* --- a relay that is the best MX -------------------------------------- */

/*
 * scenarios/mx-loop.lua: RFC 5321 §5.1, the relay drops its own
 * preference and every worse one; nothing is left, so the message is
 * returned (Postfix smtp_addr.c: 5.4.6 "mail for ... loops back to
 * myself"), without a connection, and the DSN goes back through the
 * network.
 */
static void
test_loop_relay_bounces_5_4_6_with_a_dsn(void **state)
{
	struct hrun *h = h_run("scenarios/mx-loop.lua", 0);
	struct mta_rcpt_result r;
	const struct mailbox *mb;
	const struct hrec *x;
	char got[256];
	/* Single MX: connect at 0.8 ms, stored 2.6 ms later. */
	sim_time_t stored = US(800) + US(2600), bounce = stored + US(800);

	(void)state;
	all_hold(h);
	result_at(h, "mta", "bob@example.test", 1, &r, got, sizeof(got));
	assert_string_equal(got, "backup:delivered");
	result_at(h, "backup", "bob@example.test", 1, &r, got, sizeof(got));
	assert_int_equal(r.outcome, MTA_BOUNCED);
	assert_int_equal(r.nattempts, 0);
	assert_int_equal(r.t, bounce);
	assert_string_equal(
	    r.reason, "5.4.6 mail for example.test loops back to myself");
	x = h_find(h, "mta.mx", "backup", 1);
	assert_non_null(x);
	assert_int_equal(x->t, bounce);
	assert_string_equal(x->text,
	    "this host is an MX of example.test (pref 10): MX hosts of pref "
	    "10 and worse are dropped (RFC 5321 §5.1), 0 addresses left");
	/* One connection from the backup: the DSN's, to mail. */
	assert_int_equal(h_count(h, "mta.connect", "backup"), 1);
	mb = mbox(h, "mail");
	assert_int_equal(mb->n, 1);
	assert_string_equal(mb->v[0].from, "");
	assert_holds(
	    &mb->v[0], "Final-Recipient: rfc822; bob@example.test\r\n");
	assert_holds(&mb->v[0], "Status: 5.4.6\r\n");
	assert_holds(&mb->v[0], "Action: failed\r\n");
	assert_int_equal(mbox(h, "backup")->n, 1);
	h_free(h);
}

/* --- duplicate delivery ---------------------------------------------- */

/*
 * scenarios/duplicate-delivery.lua: mx1 stores the message but its 250
 * never comes.  The sender's data_done timeout (RFC 5321 §4.5.3.2.6, 10
 * min, from the "." at 0.8 + 2.4 ms) expires; with no other MX the
 * message waits for the retry 30 min later (rfc5321 profile), which mx1
 * answers: two copies of one message in mx1's mailbox, the "multiple
 * copies" of RFC 5321 §4.5.3.2.6 and RFC 1047's synchronization gap.
 */
static void
test_duplicate_delivery_two_copies_at_mx1(void **state)
{
	struct hrun *h = h_run("scenarios/duplicate-delivery.lua", 0);
	const struct mailbox *mb;
	struct mta_rcpt_result r;
	char got[256], hdr[512];
	sim_time_t dot = US(800) + US(2400), retry;
	const char *b0, *b1;

	(void)state;
	all_hold(h);
	result_at(h, "mta", "bob@example.test", 1, &r, got, sizeof(got));
	assert_string_equal(got, "mx1:timeout,mx1:delivered");
	assert_int_equal(r.attempts[0].end, dot + SIM_MIN(10));
	retry = dot + SIM_MIN(10) + SIM_MIN(30);
	assert_int_equal(r.attempts[1].start, retry + US(800));
	assert_int_equal(r.t, retry + US(800) + SESSION);
	mb = mbox(h, "mx1");
	assert_int_equal(mb->n, 2);
	assert_int_equal(mb->v[0].t, dot + US(200));
	assert_int_equal(mb->v[1].t, retry + US(800) + US(2600));
	assert_int_equal(mb->v[0].msg, 1);
	assert_int_equal(mb->v[1].msg, 1);
	/* The same message: identical below each copy's Received: line. */
	assert_non_null(
	    header_n(mb->v[0].data, "Received:", 0, hdr, sizeof(hdr)));
	b0 = mb->v[0].data + strlen(hdr);
	assert_non_null(
	    header_n(mb->v[1].data, "Received:", 0, hdr, sizeof(hdr)));
	b1 = mb->v[1].data + strlen(hdr);
	assert_string_equal(b0, b1);
	assert_holds(&mb->v[1], "Message-ID: <1.");
	h_free(h);
}

/* --- random outage models ---------------------------------------------- */

static const char random_fmt[] =
    "scenario \"%s\" { seed = 1, stop_at = \"%s\" }\n"
    "zone \"example.test\" {\n"
    "  { \"@\", \"NS\", \"ns1\" },\n"
    "  { \"@\", \"MX\", 10, \"mx1\" },\n"
    "  { \"@\", \"MX\", 20, \"mx2\" },\n"
    "  { \"ns1\", \"A\", \"192.0.2.53\" },\n"
    "  { \"mx1\", \"A\", \"192.0.2.10\" },\n"
    "  { \"mx2\", \"A\", \"192.0.2.20\" },\n"
    "}\n"
    "host \"ns1\" { addr = \"192.0.2.53\", dns = { serves = { "
    "\"example.test\" } } }\n"
    "host \"mx1\" { addr = \"192.0.2.10\", smtp = {} }\n"
    "host \"mx2\" { addr = \"192.0.2.20\", smtp = {} }\n"
    "host \"mta\" { addr = \"198.51.100.7\",\n"
    "  sender = { profile = \"rfc5321\", resolver = \"ns1\" } }\n"
    "outage \"mx1\" { %s }\n"
    "%s";

static struct hrun *
random_run(const char *name, const char *stop, const char *outage,
    const char *more, uint64_t seed)
{
	size_t len = sizeof(random_fmt) + strlen(name) + strlen(stop) +
	             strlen(outage) + strlen(more);
	char *text = malloc(len);
	struct hrun *h;

	assert_non_null(text);
	snprintf(text, len, random_fmt, name, stop, outage, more);
	h = h_run_text(name, text, seed);
	free(text);
	return h;
}

/* The windows of a run, as the narrative announced them: the times of
 * the outage.start and outage.end records of 'host'. */
static size_t
edges(const struct hrun *h, const char *host, sim_time_t *start,
    sim_time_t *end, size_t max)
{
	size_t n = h_count(h, "outage.start", host), i;

	assert_true(n <= max);
	for (i = 0; i < n; i++) {
		const struct hrec *s = h_find(h, "outage.start", host, i);
		const struct hrec *e = h_find(h, "outage.end", host, i);

		start[i] = s->t;
		end[i] = e != NULL ? e->t : SIM_NEVER;
		/* The narrative says which model drew it. */
		assert_non_null(strstr(s->text, "random (mtbf 2h, mttr 15m)"));
	}
	return n;
}

#define MAXWIN 8192

/*
 * Exponential up and down times (world.c, mean 'mtbf' and 'mttr') from
 * the scenario's seed: the same seed draws the same windows, another
 * seed other ones; over about 4,300 windows the means come within 10 %
 * of mtbf and mttr (the standard error of a mean of n exponential
 * draws is mean/sqrt(n): 1.5 %, so 10 % is beyond 6 of them).
 */
static void
test_random_model_windows_follow_the_seed_and_the_means(void **state)
{
	static const char o[] =
	    "kind = \"down\", model = \"random\", mtbf = \"2h\", mttr = \"15m\"";
	struct hrun *a = random_run("mx-random-a", "400d", o, "", 0);
	struct hrun *b = random_run("mx-random-b", "400d", o, "", 0);
	struct hrun *c = random_run("mx-random-c", "400d", o, "", 2);
	sim_time_t *s1 = calloc(3 * MAXWIN, sizeof(*s1));
	sim_time_t *e1 = calloc(3 * MAXWIN, sizeof(*e1));
	sim_time_t *s2 = s1 + MAXWIN, *e2 = e1 + MAXWIN;
	sim_time_t *s3 = s2 + MAXWIN, *e3 = e2 + MAXWIN;
	size_t n1, n2, n3, i, same = 0;
	double up = 0, down = 0;

	(void)state;
	assert_non_null(s1);
	assert_non_null(e1);
	n1 = edges(a, "mx1", s1, e1, MAXWIN);
	n2 = edges(b, "mx1", s2, e2, MAXWIN);
	n3 = edges(c, "mx1", s3, e3, MAXWIN);
	/* 400 days / 2h15m = 4,267 windows expected. */
	assert_in_range(n1, 3900, 4600);
	assert_int_equal(n2, n1);
	assert_memory_equal(s1, s2, n1 * sizeof(*s1));
	assert_memory_equal(e1, e2, n1 * sizeof(*e1));
	/* Every window is one the run applied (world_run's schedule). */
	assert_int_equal(a->run.nwin, n1);
	for (i = 0; i < n1; i++) {
		assert_int_equal(a->run.win[i].f.from, s1[i]);
		if (e1[i] != SIM_NEVER)
			assert_int_equal(a->run.win[i].f.to, e1[i]);
	}
	for (i = 0; i < n3 && i < n1; i++)
		if (s3[i] == s1[i])
			same++;
	assert_int_equal(same, 0);
	/* Up: from 0 (or the last repair) to each failure; down: each
	 * window, the last one only if it ended before the horizon. */
	for (i = 0; i < n1; i++) {
		up += (double)(s1[i] - (i ? e1[i - 1] : 0));
		assert_true(s1[i] < e1[i]);
	}
	up /= (double)n1;
	for (i = 0; i + 1 < n1; i++)
		down += (double)(e1[i] - s1[i]);
	down /= (double)(n1 - 1);
	assert_true(up > 0.9 * (double)SIM_H(2) && up < 1.1 * (double)SIM_H(2));
	assert_true(down > 0.9 * (double)SIM_MIN(15) &&
	            down < 1.1 * (double)SIM_MIN(15));
	free(s1);
	free(e1);
	h_free(a);
	h_free(b);
	h_free(c);
}

/*
 * scenarios/random-outages.lua: the drawn windows are what the network
 * applies.  A message whose first 31 s fall inside a window times out on
 * mx1 (30 s connect timeout) and goes to mx2; one whose first 31 s fall
 * outside every window goes to mx1 in 2.8 ms.
 */
static void
test_random_outages_scenario_matches_its_windows(void **state)
{
	struct hrun *h = h_run("scenarios/random-outages.lua", 0);
	sim_time_t s[64], e[64];
	size_t n, i, k, inside = 0, outside = 0;
	char got[256];

	(void)state;
	all_hold(h);
	n = edges(h, "mx1", s, e, 64);
	assert_in_range(n, 5, 40);
	for (i = 0; i < 96; i++) {
		sim_time_t c = SIM_MIN(30) * (sim_time_t)i + T0;
		struct mta_rcpt_result r;
		bool in = false, near = false;

		for (k = 0; k < n; k++) {
			if (c >= s[k] && c + SIM_S(31) < e[k])
				in = true;
			else if (c + SIM_S(31) >= s[k] && c < e[k])
				near = true;
		}
		result_at(
		    h, "mta", "bob@example.test", i + 1, &r, got, sizeof(got));
		if (in) {
			assert_string_equal(got, "mx1:timeout,mx2:delivered");
			assert_int_equal(r.t, c + SIM_S(30) + SESSION);
			inside++;
		} else if (!near) {
			assert_string_equal(got, "mx1:delivered");
			assert_int_equal(r.t, c + SESSION);
			outside++;
		}
	}
	assert_true(inside >= 5);
	assert_true(inside + outside >= 90);
	h_free(h);
}

/*
 * 'probability' draws per connection from the seed: a 451 at RCPT for
 * 30 % of the connections, 200 messages, each its own connection.  The
 * count is binomial (mean 60, sd 6.5): 40-80 is beyond 3 sd either way.
 * The hit messages go to mx2 (RFC 5321 §4.2.1 4yz, §5.1), the others
 * stay at mx1; the same seed hits the same messages.
 */
static int
probability_hits(const struct hrun *h, char *which, size_t len)
{
	int hits = 0, i;
	char got[256];

	for (i = 1; i <= 200; i++) {
		struct mta_rcpt_result r;
		char rcpt[64];

		snprintf(rcpt, sizeof(rcpt), "u%d@example.test", i);
		result_at(h, "mta", rcpt, (uint64_t)i, &r, got, sizeof(got));
		if (strcmp(got, "mx1:451,mx2:delivered") == 0) {
			hits++;
			which[i - 1] = '1';
		} else {
			assert_string_equal(got, "mx1:delivered");
			which[i - 1] = '0';
		}
	}
	which[len - 1 < 200 ? len - 1 : 200] = '\0';
	return hits;
}

static void
test_probability_hits_about_its_share_of_connections(void **state)
{
	static const char o[] =
	    "kind = \"reply\", at = \"rcpt\", reply = \"451 4.3.0 try later\", "
	    "probability = 0.3";
	char more[200 * 100], w1[201], w2[201];
	size_t off = 0;
	struct hrun *a, *b;
	int i, n;

	(void)state;
	for (i = 1; i <= 200; i++)
		off += (size_t)snprintf(more + off, sizeof(more) - off,
		    "message { at = \"%dm\", from = \"alice@sender.test\", "
		    "to = \"u%d@example.test\" }\n",
		    i, i);
	a = random_run("mx-prob-a", "4h", o, more, 0);
	b = random_run("mx-prob-b", "4h", o, more, 0);
	n = probability_hits(a, w1, sizeof(w1));
	assert_in_range(n, 40, 80);
	assert_int_equal(probability_hits(b, w2, sizeof(w2)), n);
	assert_string_equal(w1, w2);
	h_free(a);
	h_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_matrix_every_kind_at_every_phase),
	    cmocka_unit_test(
	        test_greylist_first_try_450_then_the_30_minute_retry_passes),
	    cmocka_unit_test(test_greylist_retry_too_early_is_refused_again),
	    cmocka_unit_test(test_greylist_retry_after_the_window_starts_over),
	    cmocka_unit_test(test_greylist_is_per_triplet),
	    cmocka_unit_test(
	        test_greylist_primary_diverts_to_the_backup_which_forwards_later),
	    cmocka_unit_test(
	        test_relay_forwards_to_the_primary_with_the_received_path),
	    cmocka_unit_test(test_backscatter_dsn_reaches_the_sender_domain),
	    cmocka_unit_test(test_loop_relay_bounces_5_4_6_with_a_dsn),
	    cmocka_unit_test(test_duplicate_delivery_two_copies_at_mx1),
	    cmocka_unit_test(
	        test_random_model_windows_follow_the_seed_and_the_means),
	    cmocka_unit_test(test_random_outages_scenario_matches_its_windows),
	    cmocka_unit_test(
	        test_probability_hits_about_its_share_of_connections),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_smtpsrv.c - the mail exchanger's SMTP server (sim/smtp/smtpsrv.c,
 * greylist.c) and the way it fails (sim/fault/fault.c).
 *
 * A small lab: one simulation, two clients "mta1" (192.0.2.10) and "mta2"
 * (192.0.2.11), each joined to the server "mx1" (198.51.100.25) by its own
 * link with 10 ms one-way latency and no serialisation delay.  A raw TCP
 * client connects at a chosen instant, sends scripted command bytes (each
 * step once the previous step's replies are complete) and records every
 * reply byte for byte with the simulated time it arrived.  The server
 * stores into a mailbox of the test; a trace subscriber keeps the server's
 * decisions.
 *
 * Times follow from the lab: a client connecting at t0 has its SYN-ACK at
 * t0 + 2L, the server's handshake completes at t0 + 3L and the greeting
 * arrives at t0 + 4L; every later command costs one round trip, so the
 * k-th reply of a plain dialogue (greeting = 0) arrives at t0 + 4L + 2L k.
 *
 * Sources for the expected behaviour are cited at each test: RFC 5321
 * (SMTP), RFC 2920 (pipelining), RFC 1870 (SIZE), RFC 1047 (duplicate
 * messages), RFC 6647 (greylisting); Postfix smtpd (reply wording,
 * smtpd_check.c order of checks, cleanup_message.c hop count) and postgrey
 * (smtpd_access_policy(): --delay, --retry-window).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sim.h"
#include "fault/fault.h"
#include "net/net.h"
#include "net/tcp.h"
#include "smtp/greylist.h"
#include "smtp/mailbox.h"
#include "smtp/smtpsrv.h"

#define L      SIM_MS(10) /* one-way latency of every link */
#define T0     SIM_S(1)   /* when the first client connects */
#define GIVEUP SIM_S(300) /* client patience: RFC 5321 §4.5.3.2 5 min */

/* The k-th reply of a dialogue that started at 'start' (greeting = 0). */
#define AT(start, k) ((start) + 4 * L + 2 * L * (k))

/* --- the lab --------------------------------------------------------- */

struct lab;

/* One scripted step: bytes to send, and how many replies answer them. */
struct step {
	const char *send; /* command bytes, CRLF included */
	int replies;      /* replies to wait for (0 = 1) */
	sim_time_t after; /* pause before sending */
};

struct rep {
	sim_time_t t;    /* arrival of its last byte */
	int code;        /* three-digit code */
	char text[2048]; /* every line, CRLF included */
};

/* A raw SMTP client over the simulator's TCP. */
struct cl {
	struct lab *lab;        /* borrowed */
	struct net_host *h;     /* borrowed client host */
	struct tcp_conn *c;     /* borrowed, NULL once closed */
	sim_time_t start;       /* when it connects */
	const struct step *st;  /* borrowed script */
	size_t nst, next;       /* its length, next step */
	int awaiting;           /* replies still due */
	bool stop_on_error;     /* QUIT after a 4xx/5xx, as MTAs do */
	bool quitting;          /* sent QUIT of its own */
	bool closing;           /* called tcp_close() */
	char line[1100];        /* partial line */
	size_t llen;            /* its length */
	char cur[2048];         /* reply being assembled */
	size_t clen;            /* its length */
	struct rep rep[32];     /* complete replies */
	size_t nrep;            /* how many */
	sim_time_t seg_t[64];   /* arrival of each data segment */
	size_t seg_len[64];     /* and its length */
	size_t nseg;            /* segments */
	struct ev_handle timer; /* give-up timer */
	struct ev_handle pause; /* a step's pause */
	sim_time_t connected_at, gave_up_at, eof_at, closed_at;
	enum tcp_end why; /* how it closed */
};

/* A server trace record, copied. */
struct rec {
	sim_time_t t;
	char type[32];
	char text[TRACE_TEXT_MAX];
	char verdict[16];
	char rcpt[128];
	sim_time_t first_seen;
	int64_t session;
};

struct lab {
	struct sim sim;
	struct net net;
	struct net_host *cli[2], *srv; /* borrowed from 'net' */
	struct net_addr sa;            /* the server's address */
	struct fault faults[4];        /* the server's outages */
	size_t nfaults;
	struct smtpsrv_params p;  /* server knobs, set before lab_start() */
	const char *domains[1];   /* example.test */
	const char *mailboxes[2]; /* used when p.nmailboxes > 0 */
	struct smtpsrv *smtp;     /* owned */
	struct mailbox mb;        /* what the server stored */
	int stored;               /* stored-hook calls */
	struct rec *recs;         /* owned trace records */
	size_t nrecs, caprecs;    /* count and capacity */
	struct cl *cl[256];       /* owned clients */
	size_t ncl;               /* how many */
};

static struct net_addr
addr(const char *s)
{
	struct net_addr a;

	assert_true(net_addr_parse(s, &a));
	return a;
}

static void
on_trace(void *ctx, const struct trace_rec *r)
{
	struct lab *lab = ctx;
	const struct trace_field *f;
	struct rec *x;

	if (strncmp(r->type, "smtp.", 5) != 0)
		return;
	if (lab->nrecs == lab->caprecs) {
		lab->caprecs = lab->caprecs ? lab->caprecs * 2 : 64;
		lab->recs = realloc(lab->recs, lab->caprecs * sizeof(*x));
		assert_non_null(lab->recs);
	}
	x = &lab->recs[lab->nrecs++];
	memset(x, 0, sizeof(*x));
	x->t = r->t;
	snprintf(x->type, sizeof(x->type), "%s", r->type);
	snprintf(x->text, sizeof(x->text), "%s", r->text);
	if ((f = trace_get(r, "verdict")) != NULL)
		snprintf(x->verdict, sizeof(x->verdict), "%s", f->s);
	if ((f = trace_get(r, "rcpt")) != NULL)
		snprintf(x->rcpt, sizeof(x->rcpt), "%s", f->s);
	if ((f = trace_get(r, "first_seen")) != NULL)
		x->first_seen = f->i;
	if ((f = trace_get(r, "session")) != NULL)
		x->session = f->i;
}

static void
on_stored(void *ctx, const struct mailbox_msg *m)
{
	struct lab *lab = ctx;

	(void)m;
	lab->stored++;
}

static struct lab *
lab_new(uint64_t seed)
{
	static const struct net_link_params link = {L, 0, 0, 0};
	struct lab *lab = calloc(1, sizeof(*lab));
	struct net_addr a;

	assert_non_null(lab);
	sim_init(&lab->sim, seed);
	net_init(&lab->net, &lab->sim);
	lab->cli[0] = net_host_add(&lab->net, "mta1");
	lab->cli[1] = net_host_add(&lab->net, "mta2");
	lab->srv = net_host_add(&lab->net, "mx1");
	assert_non_null(net_link_add(&lab->net, lab->cli[0], lab->srv, &link));
	assert_non_null(net_link_add(&lab->net, lab->cli[1], lab->srv, &link));
	a = addr("192.0.2.10");
	assert_int_equal(net_host_addr_add(lab->cli[0], &a), 0);
	a = addr("192.0.2.11");
	assert_int_equal(net_host_addr_add(lab->cli[1], &a), 0);
	lab->sa = addr("198.51.100.25");
	assert_int_equal(net_host_addr_add(lab->srv, &lab->sa), 0);
	/* mta1 and mta2 reach only mx1 (hosts never forward): the two
	 * directions between them have no path. */
	assert_int_equal(net_finalize(&lab->net), 2);
	assert_int_equal(trace_subscribe(&lab->sim.trace, on_trace, lab), 0);
	mailbox_init(&lab->mb, "mx1");
	smtpsrv_params_default(&lab->p);
	lab->p.hostname = "mx1.example.test";
	lab->domains[0] = "example.test";
	lab->p.domains = lab->domains;
	lab->p.ndomains = 1;
	return lab;
}

/* Starts the server with the knobs and outages the test has set. */
static void
lab_start(struct lab *lab)
{
	size_t i;

	for (i = 0; i < lab->nfaults; i++)
		lab->faults[i].index = (int)i;
	net_host_set_faults(lab->srv, lab->faults, lab->nfaults);
	if (lab->p.nmailboxes > 0)
		lab->p.mailboxes = lab->mailboxes;
	lab->smtp = smtpsrv_new(lab->srv, &lab->p, &lab->mb);
	assert_non_null(lab->smtp);
	smtpsrv_on_stored(lab->smtp, on_stored, lab);
}

static void
lab_free(struct lab *lab)
{
	size_t i;

	/* As world.c: released objects are freed by sim_fini(), which
	 * still needs the hosts and the server. */
	sim_fini(&lab->sim);
	smtpsrv_free(lab->smtp);
	net_fini(&lab->net);
	mailbox_fini(&lab->mb);
	for (i = 0; i < lab->ncl; i++)
		free(lab->cl[i]);
	free(lab->recs);
	free(lab);
}

/* An SMTP outage for every connection during the whole run. */
static struct fault *
lab_fault(struct lab *lab, enum fault_kind kind, enum smtp_phase at)
{
	struct fault *f = &lab->faults[lab->nfaults++];

	assert_true(lab->nfaults <= 4);
	memset(f, 0, sizeof(*f));
	f->from = 0;
	f->to = SIM_NEVER;
	f->kind = kind;
	f->svc = FAULT_SVC_SMTP;
	f->at = at;
	return f;
}

/* --- the client ------------------------------------------------------ */

static void cl_next(struct cl *cl);

static void
cl_close(struct cl *cl)
{
	if (cl->c != NULL && !cl->closing) {
		cl->closing = true;
		tcp_close(cl->c);
	}
}

static void
cl_timeout(struct sim *sim, void *arg)
{
	struct cl *cl = arg;

	cl->timer.id = 0;
	cl->gave_up_at = sim_now(sim);
	cl_close(cl);
}

static void
cl_arm(struct cl *cl)
{
	sim_cancel(&cl->lab->sim, &cl->timer);
	cl->timer = sim_after(&cl->lab->sim, GIVEUP, cl_timeout, cl);
}

static void
cl_send(struct cl *cl, const char *s, int replies)
{
	cl->awaiting = replies > 0 ? replies : 1;
	tcp_send(cl->c, s, strlen(s));
	cl_arm(cl);
}

static void
cl_pause_done(struct sim *sim, void *arg)
{
	struct cl *cl = arg;
	const struct step *st = &cl->st[cl->next++];

	(void)sim;
	cl->pause.id = 0;
	if (cl->c != NULL && !cl->closing)
		cl_send(cl, st->send, st->replies);
}

static void
cl_next(struct cl *cl)
{
	const struct step *st;

	if (cl->next >= cl->nst || cl->c == NULL || cl->closing)
		return;
	st = &cl->st[cl->next];
	if (st->after > 0) {
		cl->pause =
		    sim_after(&cl->lab->sim, st->after, cl_pause_done, cl);
		return;
	}
	cl->next++;
	cl_send(cl, st->send, st->replies);
}

static void
cl_reply(struct cl *cl)
{
	struct rep *r;

	assert_true(cl->nrep < sizeof(cl->rep) / sizeof(cl->rep[0]));
	r = &cl->rep[cl->nrep++];
	r->t = sim_now(&cl->lab->sim);
	r->code = atoi(cl->cur);
	memcpy(r->text, cl->cur, cl->clen);
	r->text[cl->clen] = '\0';
	cl->clen = 0;
	sim_cancel(&cl->lab->sim, &cl->timer);
	if (cl->quitting || cl->closing)
		return;
	/* RFC 5321 §3.8: after 421 the client closes. */
	if (r->code == 421) {
		cl_close(cl);
		return;
	}
	if (--cl->awaiting > 0) {
		cl_arm(cl);
		return;
	}
	if (r->code >= 400 && cl->stop_on_error) {
		cl->quitting = true;
		cl_send(cl, "QUIT\r\n", 1);
		return;
	}
	cl_next(cl);
}

static void
cl_connected(void *ctx, struct tcp_conn *c)
{
	struct cl *cl = ctx;

	cl->c = c;
	cl->connected_at = sim_now(&cl->lab->sim);
	cl->awaiting = 1; /* the greeting */
	cl_arm(cl);
}

static void
cl_data(void *ctx, struct tcp_conn *c, const uint8_t *p, size_t n)
{
	struct cl *cl = ctx;
	size_t i;

	(void)c;
	assert_true(cl->nseg < 64);
	cl->seg_t[cl->nseg] = sim_now(&cl->lab->sim);
	cl->seg_len[cl->nseg++] = n;
	for (i = 0; i < n; i++) {
		assert_true(cl->llen < sizeof(cl->line));
		cl->line[cl->llen++] = (char)p[i];
		if (cl->llen < 2 || cl->line[cl->llen - 2] != '\r' ||
		    cl->line[cl->llen - 1] != '\n')
			continue;
		assert_true(cl->clen + cl->llen < sizeof(cl->cur));
		memcpy(cl->cur + cl->clen, cl->line, cl->llen);
		cl->clen += cl->llen;
		/* RFC 5321 §4.2.1: "code SP text" ends a reply,
		 * "code-text" continues it. */
		if (cl->llen == 5 || cl->line[3] == ' ')
			cl_reply(cl);
		cl->llen = 0;
	}
}

static void
cl_eof(void *ctx, struct tcp_conn *c)
{
	struct cl *cl = ctx;

	(void)c;
	cl->eof_at = sim_now(&cl->lab->sim);
	sim_cancel(&cl->lab->sim, &cl->timer);
	cl_close(cl);
}

static void
cl_closed(void *ctx, struct tcp_conn *c, enum tcp_end why, int icmp_code)
{
	struct cl *cl = ctx;

	(void)c;
	(void)icmp_code;
	cl->why = why;
	cl->closed_at = sim_now(&cl->lab->sim);
	cl->c = NULL;
	sim_cancel(&cl->lab->sim, &cl->timer);
	sim_cancel(&cl->lab->sim, &cl->pause);
}

static const struct tcp_cb cl_cb = {cl_connected, cl_data, cl_eof, cl_closed};

static void
cl_start(struct sim *sim, void *arg)
{
	struct cl *cl = arg;

	(void)sim;
	assert_non_null(tcp_connect(cl->h, &cl->lab->sa, 25, &cl_cb, cl));
}

/* A client on host 'hi' (0 = mta1, 1 = mta2) that connects at 'start'. */
static struct cl *
cl_add(struct lab *lab, int hi, sim_time_t start, const struct step *st,
    size_t nst)
{
	struct cl *cl = calloc(1, sizeof(*cl));

	assert_non_null(cl);
	assert_true(lab->ncl < sizeof(lab->cl) / sizeof(lab->cl[0]));
	lab->cl[lab->ncl++] = cl;
	cl->lab = lab;
	cl->h = lab->cli[hi];
	cl->start = start;
	cl->st = st;
	cl->nst = nst;
	cl->stop_on_error = true;
	sim_at(&lab->sim, start, cl_start, cl);
	return cl;
}

#define NSTEPS(a) (sizeof(a) / sizeof((a)[0]))

/* Asserts the i-th reply: its exact bytes and arrival time. */
static void
rep_is(const struct cl *cl, size_t i, sim_time_t t, const char *text)
{
	assert_true(i < cl->nrep);
	assert_string_equal(cl->rep[i].text, text);
	assert_int_equal(cl->rep[i].t, t);
}

/* The n-th server trace record of 'type' (from 0), or NULL. */
static const struct rec *
rec_nth(const struct lab *lab, const char *type, int n)
{
	size_t i;

	for (i = 0; i < lab->nrecs; i++)
		if (strcmp(lab->recs[i].type, type) == 0 && n-- == 0)
			return &lab->recs[i];
	return NULL;
}

static int
rec_count(const struct lab *lab, const char *type)
{
	int n = 0;

	while (rec_nth(lab, type, n) != NULL)
		n++;
	return n;
}

static const char greeting[] = "220 mx1.example.test ESMTP mxsim\r\n";
static const char bye[] = "221 2.0.0 Bye\r\n";

/* A whole delivery, one command per step. */
static const struct step deliver[] = {
    {"EHLO mta1.example.test\r\n", 1, 0},
    {"MAIL FROM:<alice@sender.test>\r\n", 1, 0},
    {"RCPT TO:<bob@example.test>\r\n", 1, 0},
    {"DATA\r\n", 1, 0},
    {"Message-ID: <1.t@sender.test>\r\nSubject: hi\r\n\r\nHello.\r\n"
     ".\r\n",
        1, 0},
    {"QUIT\r\n", 1, 0},
};

/* --- RFC 5321 behaviour ---------------------------------------------- */

/*
 * A plain delivery, byte for byte and to the nanosecond: the greeting
 * (RFC 5321 §4.2, 220), the multi-line EHLO reply naming its extensions
 * (§4.1.1.1; PIPELINING RFC 2920, SIZE RFC 1870 with the limit, Postfix's
 * order from smtpd.c ehlo_cmd(): ..., ENHANCEDSTATUSCODES, 8BITMIME),
 * Postfix's replies for MAIL, RCPT, DATA, "." and QUIT, the server closing
 * after 221 (§4.1.1.10), and the Received: line prepended (§4.4).
 */
static void
test_smtpsrv_delivers_byte_for_byte(void **state)
{
	struct lab *lab = lab_new(1);
	struct cl *cl;
	const struct mailbox_msg *m;
	static const char received[] =
	    "Received: from mta1.example.test (mta1 [192.0.2.10])\r\n"
	    "\tby mx1.example.test (mxsim) with ESMTP id 1\r\n"
	    "\tfor <bob@example.test>; Mon, 01 Jan 2024 00:00:01 +0000\r\n"
	    "Message-ID: <1.t@sender.test>\r\nSubject: hi\r\n\r\nHello.\r\n";

	(void)state;
	lab_start(lab);
	cl = cl_add(lab, 0, T0, deliver, NSTEPS(deliver));
	sim_run(&lab->sim, SIM_S(10));
	assert_int_equal(cl->connected_at, T0 + 2 * L);
	assert_int_equal(cl->nrep, 7);
	rep_is(cl, 0, AT(T0, 0), greeting);
	rep_is(cl, 1, AT(T0, 1),
	    "250-mx1.example.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n"
	    "250-ENHANCEDSTATUSCODES\r\n250 8BITMIME\r\n");
	rep_is(cl, 2, AT(T0, 2), "250 2.1.0 Ok\r\n");
	rep_is(cl, 3, AT(T0, 3), "250 2.1.5 Ok\r\n");
	rep_is(cl, 4, AT(T0, 4), "354 End data with <CR><LF>.<CR><LF>\r\n");
	rep_is(cl, 5, AT(T0, 5), "250 2.0.0 Ok: queued as 1\r\n");
	rep_is(cl, 6, AT(T0, 6), bye);
	/* The server closes right after 221: its FIN comes with it. */
	assert_int_equal(cl->eof_at, AT(T0, 6));
	assert_int_equal(cl->why, TCP_END_CLOSED);
	/* Stored when "." arrived, one round trip leg before the 250. */
	assert_int_equal(lab->mb.n, 1);
	assert_int_equal(lab->stored, 1);
	m = &lab->mb.v[0];
	assert_int_equal(m->t, AT(T0, 5) - L);
	assert_int_equal(m->msg, 1);
	assert_string_equal(m->from, "alice@sender.test");
	assert_string_equal(m->rcpt, "bob@example.test");
	assert_string_equal(m->client, "mta1");
	assert_int_equal(m->size, strlen(received));
	assert_memory_equal(m->data, received, m->size);
	lab_free(lab);
}

/* HELO (RFC 5321 §4.1.1.1): a one-line 250, and "with SMTP" in Received:
 * (RFC 5321 §4.4 protocol "SMTP" vs "ESMTP"). */
static void
test_smtpsrv_helo_is_one_line(void **state)
{
	static const struct step st[] = {
	    {"HELO mta1.example.test\r\n", 1, 0},
	    {"MAIL FROM:<alice@sender.test>\r\n", 1, 0},
	    {"RCPT TO:<bob@example.test>\r\n", 1, 0},
	    {"DATA\r\n", 1, 0},
	    {"Subject: hi\r\n\r\n..dot\r\n.\r\n", 1, 0},
	};
	struct lab *lab = lab_new(1);
	struct cl *cl;

	(void)state;
	lab_start(lab);
	cl = cl_add(lab, 0, T0, st, NSTEPS(st));
	sim_run(&lab->sim, SIM_S(10));
	rep_is(cl, 1, AT(T0, 1), "250 mx1.example.test\r\n");
	rep_is(cl, 5, AT(T0, 5), "250 2.0.0 Ok: queued as 1\r\n");
	assert_int_equal(lab->mb.n, 1);
	assert_non_null(strstr(lab->mb.v[0].data, " with SMTP id 1\r\n"));
	/* RFC 5321 §4.5.2: the leading dot of a stuffed line is removed. */
	assert_non_null(strstr(lab->mb.v[0].data, "\r\n\r\n.dot\r\n"));
	lab_free(lab);
}

/*
 * Command sequencing (RFC 5321 §4.1.4, §4.3.2: 503 for a command out of
 * order, 502 for an unknown one, 501 for a syntax error), with Postfix's
 * texts (smtpd.c): "send HELO/EHLO first", "nested MAIL command", "need
 * MAIL command", "need RCPT command", DATA with no accepted recipient "554
 * 5.5.1 Error: no valid recipients"; RSET ends the transaction (§4.1.1.5)
 * and NOOP does nothing (§4.1.1.9).
 */
static void
test_smtpsrv_sequencing_503(void **state)
{
	static const struct step st[] = {
	    {"MAIL FROM:<alice@sender.test>\r\n", 1, 0},
	    {"EHLO\r\n", 1, 0},
	    {"HELO\r\n", 1, 0},
	    {"EHLO mta1.example.test\r\n", 1, 0},
	    {"RCPT TO:<bob@example.test>\r\n", 1, 0},
	    {"DATA\r\n", 1, 0},
	    {"MAIL FROM:<alice@sender.test>\r\n", 1, 0},
	    {"MAIL FROM:<alice@sender.test>\r\n", 1, 0},
	    {"DATA\r\n", 1, 0},
	    {"RSET\r\n", 1, 0},
	    {"RCPT TO:<bob@example.test>\r\n", 1, 0},
	    {"NOOP\r\n", 1, 0},
	    {"VRFY bob\r\n", 1, 0},
	    {"MAIL FROM:alice\r\n", 1, 0},
	    {"QUIT\r\n", 1, 0},
	};
	static const char *const want[] = {
	    greeting,
	    "503 5.5.1 Error: send HELO/EHLO first\r\n",
	    "501 5.5.4 Syntax: EHLO hostname\r\n",
	    "501 5.5.4 Syntax: HELO hostname\r\n",
	    NULL, /* EHLO: multi-line 250 */
	    "503 5.5.1 Error: need MAIL command\r\n",
	    "503 5.5.1 Error: need RCPT command\r\n",
	    "250 2.1.0 Ok\r\n",
	    "503 5.5.1 Error: nested MAIL command\r\n",
	    "554 5.5.1 Error: no valid recipients\r\n",
	    "250 2.0.0 Ok\r\n",
	    "503 5.5.1 Error: need MAIL command\r\n",
	    "250 2.0.0 Ok\r\n",
	    "502 5.5.2 Error: command not recognized\r\n",
	    "501 5.5.4 Syntax: MAIL FROM:<address>\r\n",
	    bye,
	};
	struct lab *lab = lab_new(1);
	struct cl *cl;
	size_t i;

	(void)state;
	lab_start(lab);
	cl = cl_add(lab, 0, T0, st, NSTEPS(st));
	cl->stop_on_error = false;
	sim_run(&lab->sim, SIM_S(10));
	assert_int_equal(cl->nrep, NSTEPS(want));
	for (i = 0; i < NSTEPS(want); i++)
		if (want[i] != NULL)
			rep_is(cl, i, AT(T0, i), want[i]);
	assert_int_equal(cl->rep[4].code, 250);
	assert_int_equal(lab->mb.n, 0);
	lab_free(lab);
}

/*
 * Pipelining (RFC 2920 §3.1): MAIL, three RCPT and DATA in one segment are
 * answered in order, a refused recipient not spoiling the others (§3.2
 * (3)), and the replies leave together in one segment once the input is
 * used up (§3.2: the server may keep the replies of a group and must send
 * them when it has no more input; Postfix flushes then).
 */
static void
test_smtpsrv_pipelining_in_order_one_segment(void **state)
{
	static const struct step st[] = {
	    {"EHLO mta1.example.test\r\n", 1, 0},
	    {"MAIL FROM:<alice@sender.test>\r\n"
	     "RCPT TO:<bob@example.test>\r\n"
	     "RCPT TO:<nobody@example.test>\r\n"
	     "RCPT TO:<carol@example.test>\r\n"
	     "DATA\r\n",
	        5, 0},
	    {"Subject: hi\r\n\r\nHello.\r\n.\r\nQUIT\r\n", 2, 0},
	};
	static const char group[] =
	    "250 2.1.0 Ok\r\n"
	    "250 2.1.5 Ok\r\n"
	    "550 5.1.1 <nobody@example.test>: Recipient address rejected: "
	    "User unknown\r\n"
	    "250 2.1.5 Ok\r\n"
	    "354 End data with <CR><LF>.<CR><LF>\r\n";
	struct lab *lab = lab_new(1);
	struct cl *cl;
	size_t i;

	(void)state;
	lab->mailboxes[0] = "bob@example.test";
	lab->mailboxes[1] = "carol@example.test";
	lab->p.nmailboxes = 2;
	lab_start(lab);
	cl = cl_add(lab, 0, T0, st, NSTEPS(st));
	cl->stop_on_error = false;
	sim_run(&lab->sim, SIM_S(10));
	assert_int_equal(cl->nrep, 9);
	for (i = 2; i < 7; i++)
		assert_int_equal(cl->rep[i].t, AT(T0, 2));
	assert_string_equal(cl->rep[4].text,
	    "550 5.1.1 <nobody@example.test>: Recipient address rejected: "
	    "User unknown\r\n");
	/* Segments: greeting, EHLO reply, the group, then "." and QUIT. */
	assert_int_equal(cl->nseg, 4);
	assert_int_equal(cl->seg_t[2], AT(T0, 2));
	assert_int_equal(cl->seg_len[2], strlen(group));
	rep_is(cl, 7, AT(T0, 3), "250 2.0.0 Ok: queued as 1\r\n");
	rep_is(cl, 8, AT(T0, 3), bye);
	assert_int_equal(cl->seg_len[3], strlen(cl->rep[7].text) + strlen(bye));
	/* One copy per accepted recipient, in order. */
	assert_int_equal(lab->mb.n, 2);
	assert_string_equal(lab->mb.v[0].rcpt, "bob@example.test");
	assert_string_equal(lab->mb.v[1].rcpt, "carol@example.test");
	lab_free(lab);
}

/*
 * A pipelined group behind a held reply: the server answers nothing until
 * the 'slow' MAIL reply is due, then answers the rest of the group in
 * order and sends all of it in one segment (RFC 2920 §3.2: replies to a
 * group may be kept and sent as a unit once the input is used up).
 */
static void
test_smtpsrv_pipelining_behind_slow_reply(void **state)
{
	static const struct step st[] = {
	    {"EHLO mta1.example.test\r\n", 1, 0},
	    {"MAIL FROM:<alice@sender.test>\r\n"
	     "RCPT TO:<bob@example.test>\r\n"
	     "RCPT TO:<carol@example.test>\r\n"
	     "DATA\r\n",
	        4, 0},
	};
	static const char group[] = "250 2.1.0 Ok\r\n"
	                            "250 2.1.5 Ok\r\n"
	                            "250 2.1.5 Ok\r\n"
	                            "354 End data with <CR><LF>.<CR><LF>\r\n";
	struct lab *lab = lab_new(1);
	struct fault *f = lab_fault(lab, FAULT_SLOW, SMTP_PHASE_MAIL);
	struct cl *cl;
	size_t i;

	(void)state;
	f->delay = SIM_S(3);
	lab_start(lab);
	cl = cl_add(lab, 0, T0, st, NSTEPS(st));
	sim_run(&lab->sim, SIM_S(10));
	assert_int_equal(cl->nrep, 6);
	for (i = 2; i < 6; i++)
		assert_int_equal(cl->rep[i].t, AT(T0, 2) + SIM_S(3));
	assert_int_equal(cl->nseg, 3);
	assert_int_equal(cl->seg_len[2], strlen(group));
	lab_free(lab);
}

/*
 * Recipients: a listed mailbox is taken, an unlisted one gets Postfix's
 * "550 5.1.1 <addr>: Recipient address rejected: User unknown"
 * (smtpd_check.c check_rcpt_maps(), show_user_unknown_table_name = no),
 * a foreign domain "554 5.7.1 <addr>: Relay access denied"
 * (reject_unauth_destination, relay_domains_reject_code = 554).
 */
static void
test_smtpsrv_mailboxes_and_relay(void **state)
{
	static const struct step st[] = {
	    {"EHLO mta1.example.test\r\n", 1, 0},
	    {"MAIL FROM:<alice@sender.test>\r\n", 1, 0},
	    {"RCPT TO:<eve@example.test>\r\n", 1, 0},
	    {"RCPT TO:<bob@elsewhere.test>\r\n", 1, 0},
	    {"RCPT TO:<BOB@Example.Test>\r\n", 1, 0},
	    {"QUIT\r\n", 1, 0},
	};
	struct lab *lab = lab_new(1);
	struct cl *cl;

	(void)state;
	lab->mailboxes[0] = "bob@example.test";
	lab->p.nmailboxes = 1;
	lab_start(lab);
	cl = cl_add(lab, 0, T0, st, NSTEPS(st));
	cl->stop_on_error = false;
	sim_run(&lab->sim, SIM_S(10));
	rep_is(cl, 3, AT(T0, 3),
	    "550 5.1.1 <eve@example.test>: Recipient address rejected: User "
	    "unknown\r\n");
	rep_is(cl, 4, AT(T0, 4),
	    "554 5.7.1 <bob@elsewhere.test>: Relay access denied\r\n");
	/* RFC 5321 §2.4: the domain is case-insensitive; Postfix folds
	 * the case of the whole address for its tables. */
	rep_is(cl, 5, AT(T0, 5), "250 2.1.5 Ok\r\n");
	assert_int_equal(rec_count(lab, "smtp.reject"), 2);
	lab_free(lab);
}

/*
 * SIZE (RFC 1870): the EHLO keyword carries the limit; MAIL with a
 * declared SIZE over it gets "552 5.3.4 Message size exceeds fixed limit"
 * (§6.1; Postfix smtpd_check_size(): size > message_size_limit), at it
 * 250; data that grows over the limit is refused at "." with the same
 * reply and not stored.
 */
static void
test_smtpsrv_size_limit(void **state)
{
	static char body_ok[2000], body_big[2000];
	static const struct step st[] = {
	    {"EHLO mta1.example.test\r\n", 1, 0},
	    {"MAIL FROM:<alice@sender.test> SIZE=1001\r\n", 1, 0},
	    {"MAIL FROM:<alice@sender.test> SIZE=1000\r\n", 1, 0},
	    {"RCPT TO:<bob@example.test>\r\n", 1, 0},
	    {"DATA\r\n", 1, 0},
	    {body_ok, 1, 0},
	    {"MAIL FROM:<alice@sender.test>\r\n", 1, 0},
	    {"RCPT TO:<bob@example.test>\r\n", 1, 0},
	    {"DATA\r\n", 1, 0},
	    {body_big, 1, 0},
	    {"QUIT\r\n", 1, 0},
	};
	struct lab *lab = lab_new(1);
	struct cl *cl;

	(void)state;
	/* 998 + CRLF: exactly the limit of 1000 bytes; one more is over. */
	memset(body_ok, 'x', 998);
	strcpy(body_ok + 998, "\r\n.\r\n");
	memset(body_big, 'x', 999);
	strcpy(body_big + 999, "\r\n.\r\n");
	lab->p.size_limit = 1000;
	lab_start(lab);
	cl = cl_add(lab, 0, T0, st, NSTEPS(st));
	cl->stop_on_error = false;
	sim_run(&lab->sim, SIM_S(10));
	assert_int_equal(cl->nrep, 12);
	assert_non_null(strstr(cl->rep[1].text, "250-SIZE 1000\r\n"));
	rep_is(
	    cl, 2, AT(T0, 2), "552 5.3.4 Message size exceeds fixed limit\r\n");
	rep_is(cl, 3, AT(T0, 3), "250 2.1.0 Ok\r\n");
	rep_is(cl, 6, AT(T0, 6), "250 2.0.0 Ok: queued as 1\r\n");
	rep_is(cl, 10, AT(T0, 10),
	    "552 5.3.4 Message size exceeds fixed limit\r\n");
	assert_int_equal(lab->mb.n, 1);
	assert_int_equal(lab->stored, 1);
	lab_free(lab);
}

/*
 * The connection limit: with max_conns = 1 a second concurrent client
 * gets Postfix's "421 4.7.0 <host> Error: too many connections from
 * <addr>" (smtpd.c, anvil limit) and the server closes (RFC 5321 §3.8);
 * once the first session is over a new client is served again.  Two
 * clients connecting in the same instant: the first to complete its
 * handshake has the slot (anvil counts connections as smtpd accepts them),
 * the other gets 421.
 */
static void
test_smtpsrv_connection_limit_421(void **state)
{
	static const struct step first[] = {
	    {"EHLO mta1.example.test\r\n", 1, 0},
	    {"NOOP\r\n", 1, SIM_S(5)},
	    {"QUIT\r\n", 1, 0},
	};
	static const struct step later[] = {
	    {"QUIT\r\n", 1, 0},
	};
	struct lab *lab = lab_new(1);
	struct cl *a, *b, *c;

	(void)state;
	lab->p.max_conns = 1;
	lab_start(lab);
	a = cl_add(lab, 0, T0, first, NSTEPS(first));
	b = cl_add(lab, 1, SIM_S(2), later, NSTEPS(later));
	c = cl_add(lab, 1, SIM_S(10), later, NSTEPS(later));
	sim_run(&lab->sim, SIM_S(20));
	assert_int_equal(b->nrep, 1);
	rep_is(b, 0, AT(SIM_S(2), 0),
	    "421 4.7.0 mx1.example.test Error: too many connections from "
	    "192.0.2.11\r\n");
	assert_int_equal(b->eof_at, AT(SIM_S(2), 0));
	assert_int_equal(a->nrep, 4);
	rep_is(a, 2, AT(T0, 2) + SIM_S(5), "250 2.0.0 Ok\r\n");
	assert_int_equal(c->nrep, 2);
	rep_is(c, 0, AT(SIM_S(10), 0), greeting);
	rep_is(c, 1, AT(SIM_S(10), 1), bye);
	lab_free(lab);

	lab = lab_new(1);
	lab->p.max_conns = 1;
	lab_start(lab);
	a = cl_add(lab, 0, T0, later, NSTEPS(later));
	b = cl_add(lab, 1, T0, later, NSTEPS(later));
	sim_run(&lab->sim, SIM_S(20));
	rep_is(a, 0, AT(T0, 0), greeting);
	rep_is(a, 1, AT(T0, 1), bye);
	assert_int_equal(b->nrep, 1);
	rep_is(b, 0, AT(T0, 0),
	    "421 4.7.0 mx1.example.test Error: too many connections from "
	    "192.0.2.11\r\n");
	lab_free(lab);
}

/*
 * A refused message stays refused when its reply is late or never comes:
 * over the size limit with a 'slow' "." the 552 comes 5 s late, with a
 * 'hang' at "." nothing comes; in neither case is anything stored (only a
 * message the server means to accept is the duplicate of RFC 1047).
 */
static void
test_smtpsrv_refused_message_not_stored_when_late(void **state)
{
	static char big[2000];
	static const struct step st[] = {
	    {"EHLO mta1.example.test\r\n", 1, 0},
	    {"MAIL FROM:<alice@sender.test>\r\n", 1, 0},
	    {"RCPT TO:<bob@example.test>\r\n", 1, 0},
	    {"DATA\r\n", 1, 0},
	    {big, 1, 0},
	};
	static const enum fault_kind kinds[] = {FAULT_SLOW, FAULT_HANG};
	size_t i;

	(void)state;
	memset(big, 'x', 1500);
	strcpy(big + 1500, "\r\n.\r\n");
	for (i = 0; i < NSTEPS(kinds); i++) {
		struct lab *lab = lab_new(1);
		struct fault *f = lab_fault(lab, kinds[i], SMTP_PHASE_DOT);
		struct cl *cl;

		f->delay = SIM_S(5);
		lab->p.size_limit = 1000;
		lab_start(lab);
		cl = cl_add(lab, 0, T0, st, NSTEPS(st));
		sim_run(&lab->sim, SIM_S(400));
		if (kinds[i] == FAULT_SLOW)
			rep_is(cl, 5, AT(T0, 5) + SIM_S(5),
			    "552 5.3.4 Message size exceeds fixed limit\r\n");
		else
			assert_int_equal(cl->nrep, 5);
		assert_int_equal(lab->mb.n, 0);
		assert_int_equal(lab->stored, 0);
		lab_free(lab);
	}
}

/* --- hop count --------------------------------------------------------- */

/* A message with 'n' Received: headers (and, after the header section,
 * 'nbody' lines that only look like them). */
static char *
hops_msg(int n, int nbody)
{
	size_t cap = (size_t)(n + nbody) * 80 + 400, off = 0;
	char *s = malloc(cap);
	int i;

	assert_non_null(s);
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(s + off, cap - off,
		    "Received: from h%d.example.test\r\n\tby x.test\r\n", i);
	/* Other fields whose names start alike (RFC 7208 §9.1). */
	for (i = 0; i < 3; i++)
		off += (size_t)snprintf(
		    s + off, cap - off, "Received-SPF: pass (h%d)\r\n", i);
	off += (size_t)snprintf(s + off, cap - off, "Subject: loop\r\n\r\n");
	for (i = 0; i < nbody; i++)
		off += (size_t)snprintf(
		    s + off, cap - off, "Received: from body%d\r\n", i);
	snprintf(s + off, cap - off, ".\r\n");
	return s;
}

/* One delivery of 'msg'; returns the reply to "." (the 6th). */
static int
deliver_msg(const char *msg, size_t *stored)
{
	const struct step st[] = {
	    {"EHLO mta1.example.test\r\n", 1, 0},
	    {"MAIL FROM:<alice@sender.test>\r\n", 1, 0},
	    {"RCPT TO:<bob@example.test>\r\n", 1, 0},
	    {"DATA\r\n", 1, 0},
	    {msg, 1, 0},
	};
	struct lab *lab = lab_new(1);
	struct cl *cl;
	int code;

	lab_start(lab);
	cl = cl_add(lab, 0, T0, st, NSTEPS(st));
	sim_run(&lab->sim, SIM_S(10));
	assert_true(cl->nrep >= 6);
	assert_int_equal(cl->rep[5].t, AT(T0, 5));
	code = cl->rep[5].code;
	if (code == 554) {
		assert_string_equal(
		    cl->rep[5].text, "554 5.4.0 Error: too many hops\r\n");
		assert_non_null(rec_nth(lab, "smtp.reject", 0));
		/* Refused: the client says QUIT. */
		assert_int_equal(cl->nrep, 7);
	} else
		assert_int_equal(cl->nrep, 6);
	*stored = lab->mb.n;
	lab_free(lab);
	return code;
}

/*
 * Loops: Postfix's cleanup counts the Received: headers, the one smtpd
 * prepends included, and refuses the message when "++hop_count >=
 * var_hopcount_limit" (cleanup_message.c; hopcount_limit = 50); smtpd
 * answers "554 5.4.0 Error: too many hops" and nothing is queued.  So 48
 * incoming headers pass and 49, 50, 51 do not.  Only the header section
 * counts (RFC 5322 §2.1: header fields, then an empty line, then the body);
 * folded continuation lines (§2.2.3) are not fields, nor is Received-SPF.
 */
static void
test_smtpsrv_hopcount_limit(void **state)
{
	static const int n[] = {48, 49, 50, 51};
	static const int want[] = {250, 554, 554, 554};
	size_t i, stored;
	char *msg;

	(void)state;
	for (i = 0; i < NSTEPS(n); i++) {
		msg = hops_msg(n[i], 0);
		assert_int_equal(deliver_msg(msg, &stored), want[i]);
		assert_int_equal(stored, want[i] == 250 ? 1 : 0);
		free(msg);
	}
	msg = hops_msg(2, 60);
	assert_int_equal(deliver_msg(msg, &stored), 250);
	assert_int_equal(stored, 1);
	free(msg);
}

/* --- outages: every kind at every phase ----------------------------------
 */

/* The command that reaches each phase is step 'phase - 1' of 'deliver';
 * the greeting is answered to the connection itself. */
static sim_time_t
sent_at(enum smtp_phase at)
{
	return at == SMTP_PHASE_GREETING ? T0 + 2 * L : AT(T0, at - 1);
}

/* The 450 a greylist gives at each phase, in Postfix's words for a
 * DEFER_IF_PERMIT from postgrey (smtpd_check.c: "<%s>: %s rejected: %s",
 * classes of smtpd_check_int.h, DSN 4.2.0 from postgrey). */
static const char *const grey450[] = {
    "450 4.2.0 <unknown[192.0.2.10]>: Client host rejected: Greylisted\r\n",
    "450 4.2.0 <mta1.example.test>: Helo command rejected: Greylisted\r\n",
    "450 4.2.0 <alice@sender.test>: Sender address rejected: Greylisted\r\n",
    ("450 4.2.0 <bob@example.test>: Recipient address rejected: "
     "Greylisted\r\n"),
    "450 4.2.0 <DATA>: Data command rejected: Greylisted\r\n",
    "450 4.2.0 <END-OF-DATA>: End-of-data rejected: Greylisted\r\n",
};

/*
 * One outage of 'kind' at phase 'at' for every connection, and the whole
 * delivery of 'deliver' against it.  What each kind does is its
 * definition (smtpsrv.c; docs/scenario-reference.md, outages): 'reply'
 * answers the outage's text instead, 'drop' closes without a reply, 'slow'
 * answers normally 'delay' late, 'hang' never answers, 'greylist' gives
 * Postfix's 450 for a new triplet.  A client that is refused says QUIT
 * (RFC 5321 §4.1.1.10; after a refused greeting §3.1).
 */
static void
kind_at(enum fault_kind kind, enum smtp_phase at)
{
	static const sim_time_t delay = SIM_S(7);
	struct lab *lab = lab_new(1);
	struct fault *f = lab_fault(lab, kind, at);
	struct cl *cl;
	const struct rec *r;
	size_t k, p = (size_t)at;

	f->reply_code = 451;
	f->reply_text =
	    kind == FAULT_REPLY ? "451 4.3.0 Try again later" : NULL;
	f->delay = delay;
	lab_start(lab);
	cl = cl_add(lab, 0, T0, deliver, NSTEPS(deliver));
	sim_run(&lab->sim, SIM_S(400));
	/* Every reply before the phase is the normal one, on time. */
	for (k = 0; k < p && k < cl->nrep; k++)
		assert_int_equal(cl->rep[k].t, AT(T0, k));
	switch (kind) {
	case FAULT_REPLY:
	case FAULT_GREYLIST:
		/* The outage's reply, then the client's QUIT. */
		assert_int_equal(cl->nrep, p + 2);
		rep_is(cl, p, AT(T0, p),
		    kind == FAULT_REPLY ? "451 4.3.0 Try again later\r\n"
		                        : grey450[p]);
		rep_is(cl, p + 1, AT(T0, p + 1), bye);
		r = rec_nth(lab,
		    kind == FAULT_REPLY ? "smtp.outage" : "smtp.greylist", 0);
		assert_non_null(r);
		assert_int_equal(r->t, AT(T0, p) - L);
		if (kind == FAULT_GREYLIST)
			assert_string_equal(r->verdict, "new");
		assert_int_equal(lab->mb.n, 0);
		break;
	case FAULT_DROP:
		/* Closed without a reply, as the command arrives. */
		assert_int_equal(cl->nrep, p);
		assert_int_equal(cl->eof_at, AT(T0, p));
		assert_int_equal(cl->why, TCP_END_CLOSED);
		assert_int_equal(lab->mb.n, 0);
		break;
	case FAULT_SLOW:
		/* The normal reply, 'delay' late, and every one after. */
		assert_int_equal(cl->nrep, 7);
		for (k = p; k < 7; k++)
			assert_int_equal(cl->rep[k].t, AT(T0, k) + delay);
		assert_int_equal(cl->rep[p].code, p == 4 ? 354 : p ? 250 : 220);
		assert_int_equal(lab->mb.n, 1);
		break;
	case FAULT_HANG:
		/* No reply ever: the client gives up after GIVEUP and closes,
		 * then the server closes too (its FIN ends the client's
		 * FIN-WAIT-2 one round trip later). */
		assert_int_equal(cl->nrep, p);
		assert_int_equal(cl->gave_up_at, sent_at(at) + GIVEUP);
		assert_int_equal(cl->closed_at, sent_at(at) + GIVEUP + 2 * L);
		r = rec_nth(lab, "smtp.hang", 0);
		assert_non_null(r);
		assert_int_equal(r->t, AT(T0, p) - L);
		/* RFC 1047: at "." the message was received: stored. */
		assert_int_equal(lab->mb.n, at == SMTP_PHASE_DOT ? 1 : 0);
		assert_int_equal(lab->stored, at == SMTP_PHASE_DOT ? 1 : 0);
		break;
	default:
		fail();
	}
	lab_free(lab);
}

static void
test_smtpsrv_each_kind_at_each_phase(void **state)
{
	static const enum fault_kind kinds[] = {
	    FAULT_REPLY, FAULT_DROP, FAULT_SLOW, FAULT_HANG, FAULT_GREYLIST};
	size_t k;
	int at;

	(void)state;
	for (k = 0; k < NSTEPS(kinds); k++)
		for (at = 0; at < SMTP_NPHASES; at++)
			kind_at(kinds[k], (enum smtp_phase)at);
}

/* RFC 5321 §3.8: a 421 from an outage closes the channel at once, and the
 * client closes too without QUIT. */
static void
test_smtpsrv_reply_421_closes(void **state)
{
	struct lab *lab = lab_new(1);
	struct fault *f = lab_fault(lab, FAULT_REPLY, SMTP_PHASE_MAIL);
	struct cl *cl;

	(void)state;
	f->reply_code = 421;
	f->reply_text = "421 4.3.2 mx1.example.test Service shutting down";
	lab_start(lab);
	cl = cl_add(lab, 0, T0, deliver, NSTEPS(deliver));
	sim_run(&lab->sim, SIM_S(10));
	assert_int_equal(cl->nrep, 3);
	rep_is(cl, 2, AT(T0, 2),
	    "421 4.3.2 mx1.example.test Service shutting down\r\n");
	assert_int_equal(cl->eof_at, AT(T0, 2));
	lab_free(lab);
}

/* An outage acts only inside its window [from, to): the greeting is
 * decided when the handshake completes, 3L after the client's SYN. */
static void
test_smtpsrv_outage_window(void **state)
{
	struct lab *lab = lab_new(1);
	struct fault *f = lab_fault(lab, FAULT_REPLY, SMTP_PHASE_GREETING);
	struct cl *a, *b, *c;

	(void)state;
	f->reply_code = 554;
	f->reply_text = "554 5.7.1 No service";
	f->from = SIM_S(5);
	f->to = SIM_S(10);
	lab_start(lab);
	a = cl_add(lab, 0, SIM_S(5) - 4 * L, deliver, 1);
	b = cl_add(lab, 0, SIM_S(5) - 3 * L, deliver, 1);
	c = cl_add(lab, 0, SIM_S(10) - 3 * L, deliver, 1);
	sim_run(&lab->sim, SIM_S(20));
	/* Decided at 5 s - L: before the window. */
	rep_is(a, 0, SIM_S(5), greeting);
	/* Decided at 5 s: inside. */
	rep_is(b, 0, SIM_S(5) + L, "554 5.7.1 No service\r\n");
	/* Decided at 10 s: the window is over. */
	rep_is(c, 0, SIM_S(10) + L, greeting);
	lab_free(lab);
}

/*
 * After a refused greeting the server "MUST wait for the client to send a
 * QUIT" (RFC 5321 §3.1): other commands get 503, "bad sequence of
 * commands" (§4.2.2; the text is mxsim's), and QUIT 221.
 */
static void
test_smtpsrv_refused_greeting_only_quit(void **state)
{
	static const struct step st[] = {
	    {"EHLO mta1.example.test\r\n", 1, 0},
	    {"MAIL FROM:<alice@sender.test>\r\n", 1, 0},
	    {"QUIT\r\n", 1, 0},
	};
	struct lab *lab = lab_new(1);
	struct fault *f = lab_fault(lab, FAULT_REPLY, SMTP_PHASE_GREETING);
	struct cl *cl;

	(void)state;
	f->reply_code = 554;
	f->reply_text = "554 5.7.1 mx1.example.test No SMTP service here";
	lab_start(lab);
	cl = cl_add(lab, 0, T0, st, NSTEPS(st));
	cl->stop_on_error = false;
	sim_run(&lab->sim, SIM_S(10));
	assert_int_equal(cl->nrep, 4);
	rep_is(cl, 0, AT(T0, 0),
	    "554 5.7.1 mx1.example.test No SMTP service here\r\n");
	rep_is(
	    cl, 1, AT(T0, 1), "503 5.5.1 Error: only QUIT is accepted now\r\n");
	rep_is(
	    cl, 2, AT(T0, 2), "503 5.5.1 Error: only QUIT is accepted now\r\n");
	rep_is(cl, 3, AT(T0, 3), bye);
	assert_int_equal(cl->eof_at, AT(T0, 3));
	lab_free(lab);
}

/* --- hang at "." --------------------------------------------------------- */

/*
 * A server that stores the message and never says 250 (RFC 1047: the
 * client times out after "." and sends the message again, and the
 * recipient gets it twice).  The lab client gives up after GIVEUP (a
 * real one waits longer after ".": RFC 5321 §4.5.3.2.6 says 10 minutes,
 * Postfix's smtp_data_done_timeout is 600 s) and retries at 3600 s; by then
 * the outage is over, and the mailbox holds two copies.
 */
static void
test_smtpsrv_hang_at_dot_duplicates(void **state)
{
	struct lab *lab = lab_new(1);
	struct fault *f = lab_fault(lab, FAULT_HANG, SMTP_PHASE_DOT);
	struct cl *a, *b;
	const struct rec *r;

	(void)state;
	f->to = SIM_S(1000);
	lab_start(lab);
	a = cl_add(lab, 0, T0, deliver, NSTEPS(deliver));
	b = cl_add(lab, 0, SIM_S(3600), deliver, NSTEPS(deliver));
	sim_run(&lab->sim, SIM_S(4000));
	assert_int_equal(a->nrep, 5);
	assert_int_equal(a->gave_up_at, AT(T0, 4) + GIVEUP);
	assert_int_equal(b->nrep, 7);
	rep_is(b, 5, AT(SIM_S(3600), 5), "250 2.0.0 Ok: queued as 2\r\n");
	assert_int_equal(lab->mb.n, 2);
	assert_int_equal(lab->stored, 2);
	assert_int_equal(lab->mb.v[0].t, AT(T0, 5) - L);
	assert_int_equal(lab->mb.v[0].msg, 1);
	assert_int_equal(lab->mb.v[1].msg, 1);
	r = rec_nth(lab, "smtp.hang", 0);
	assert_non_null(r);
	assert_string_equal(r->text, "never answers mta1 at dot (outage 0)");
	assert_int_equal(r->t, AT(T0, 5) - L);
	assert_int_equal(rec_nth(lab, "smtp.stored", 0)->t, r->t);
	assert_string_equal(rec_nth(lab, "smtp.stored", 0)->text,
	    "accepted msg 1 for bob@example.test, but never says 250");
	assert_string_equal(rec_nth(lab, "smtp.stored", 1)->text,
	    "250 accepted msg 1 for bob@example.test");
	lab_free(lab);
}

/* --- greylisting --------------------------------------------------------- */

/* One delivery attempt up to the reply to RCPT (then QUIT). */
static const struct step to_rcpt[] = {
    {"EHLO mta1.example.test\r\n", 1, 0},
    {"MAIL FROM:<alice@sender.test>\r\n", 1, 0},
    {"RCPT TO:<bob@example.test>\r\n", 1, 0},
    {"QUIT\r\n", 1, 0},
};

static const struct step to_rcpt_carol[] = {
    {"EHLO mta1.example.test\r\n", 1, 0},
    {"MAIL FROM:<alice@sender.test>\r\n", 1, 0},
    {"RCPT TO:<carol@example.test>\r\n", 1, 0},
    {"QUIT\r\n", 1, 0},
};

static const char rcpt_450[] = "450 4.2.0 <bob@example.test>: Recipient "
                               "address rejected: Greylisted\r\n";
static const char carol_450[] = "450 4.2.0 <carol@example.test>: Recipient "
                                "address rejected: Greylisted\r\n";

/*
 * postgrey's rules over time (smtpd_access_policy(); --delay=300,
 * --retry-window=2d, RFC 6647 §2.1), with the RCPT arriving 9L after each
 * connection:
 *   0 s       new triplet             -> 450, first seen at 0.09 s
 *   100 s     too early               -> 450, first seen unchanged
 *   299.99 s  10 ms short of 300 s    -> 450 ("diff > 0")
 *   300 s     exactly 300 s waited    -> 250 ("diff <= 0" passes)
 *   3600 s    passed before           -> 250 at once
 *   3700 s    another triplet         -> 450 new
 *   3700 s + 2 d + 1 s, never retried -> 450: past the window, starts
 *             over ("$first = $now if $now-$first > retry_window")
 *   ... + 300 s                       -> 250
 *   ... + 360 s, bob (passed 2 d ago)  -> 250: passed for good
 */
static void
test_smtpsrv_greylist_over_time(void **state)
{
	static const sim_time_t start[] = {
	    0, SIM_S(100), SIM_MS(299990), SIM_S(300), SIM_S(3600)};
	const sim_time_t c0 = SIM_S(3700);
	const sim_time_t c1 = c0 + SIM_DAY(2) + SIM_S(1);
	const sim_time_t c2 = c1 + SIM_S(300);
	static const char *const verdict[] = {"new", "too early", "too early",
	    "passed", "passed", "new", "expired", "passed", "passed"};
	struct lab *lab = lab_new(1);
	struct cl *cl[9];
	const struct rec *r;
	size_t i;

	(void)state;
	lab_fault(lab, FAULT_GREYLIST, SMTP_PHASE_RCPT);
	lab_start(lab);
	for (i = 0; i < NSTEPS(start); i++)
		cl[i] = cl_add(lab, 0, start[i], to_rcpt, NSTEPS(to_rcpt));
	cl[5] = cl_add(lab, 0, c0, to_rcpt_carol, NSTEPS(to_rcpt_carol));
	cl[6] = cl_add(lab, 0, c1, to_rcpt_carol, NSTEPS(to_rcpt_carol));
	cl[7] = cl_add(lab, 0, c2, to_rcpt_carol, NSTEPS(to_rcpt_carol));
	/* bob again, more than 2 days after his first try: passed for good
	 * (postgrey keeps a passed triplet for --max-age, 35 days). */
	cl[8] = cl_add(lab, 0, c2 + SIM_S(60), to_rcpt, NSTEPS(to_rcpt));
	sim_run(&lab->sim, c2 + SIM_S(100));
	for (i = 0; i < 3; i++)
		rep_is(cl[i], 3, AT(start[i], 3), rcpt_450);
	rep_is(cl[3], 3, AT(start[3], 3), "250 2.1.5 Ok\r\n");
	rep_is(cl[4], 3, AT(start[4], 3), "250 2.1.5 Ok\r\n");
	rep_is(cl[5], 3, AT(c0, 3), carol_450);
	rep_is(cl[6], 3, AT(c1, 3), carol_450);
	rep_is(cl[7], 3, AT(c2, 3), "250 2.1.5 Ok\r\n");
	rep_is(cl[8], 3, AT(c2 + SIM_S(60), 3), "250 2.1.5 Ok\r\n");
	assert_int_equal(rec_count(lab, "smtp.greylist"), 9);
	for (i = 0; i < 9; i++) {
		r = rec_nth(lab, "smtp.greylist", (int)i);
		assert_string_equal(r->verdict, verdict[i]);
		assert_string_equal(r->rcpt, i < 5 || i == 8
		                                 ? "bob@example.test"
		                                 : "carol@example.test");
	}
	/* bob's first try stays the reference until it passes. */
	for (i = 0; i < 5; i++)
		assert_int_equal(
		    rec_nth(lab, "smtp.greylist", (int)i)->first_seen, 9 * L);
	assert_int_equal(
	    rec_nth(lab, "smtp.greylist", 6)->first_seen, c1 + 9 * L);
	assert_string_equal(rec_nth(lab, "smtp.greylist", 0)->text,
	    "greylists (192.0.2.10, <alice@sender.test>, <bob@example.test>): "
	    "new, retry in 5m");
	lab_free(lab);
}

/*
 * The greylist's own knobs and text: retry_after 60 s, window 1 h, and the
 * outage's reply text instead of Postfix's; a retry exactly at the window's
 * end still counts ("> retry_window"), one later starts over.  Outside the
 * outage's window nothing is greylisted and nothing is remembered.
 */
static void
test_smtpsrv_greylist_knobs_and_window(void **state)
{
	struct lab *lab = lab_new(1);
	struct fault *f = lab_fault(lab, FAULT_GREYLIST, SMTP_PHASE_RCPT);
	struct cl *a, *b, *c, *d;

	(void)state;
	f->retry_after = SIM_S(60);
	f->window = SIM_H(1);
	f->reply_text = "451 4.7.1 Please try again later";
	f->to = SIM_H(5);
	lab_start(lab);
	a = cl_add(lab, 0, 0, to_rcpt, NSTEPS(to_rcpt));
	b = cl_add(lab, 0, SIM_S(59), to_rcpt, NSTEPS(to_rcpt));
	c = cl_add(lab, 0, SIM_H(1), to_rcpt_carol, NSTEPS(to_rcpt_carol));
	d = cl_add(lab, 0, SIM_H(2), to_rcpt_carol, NSTEPS(to_rcpt_carol));
	sim_run(&lab->sim, SIM_H(3));
	rep_is(a, 3, AT(0, 3), "451 4.7.1 Please try again later\r\n");
	rep_is(b, 3, AT(SIM_S(59), 3), "451 4.7.1 Please try again later\r\n");
	rep_is(c, 3, AT(SIM_H(1), 3), "451 4.7.1 Please try again later\r\n");
	/* carol first seen at 1 h + 9L, retried at 2 h + 9L: exactly the
	 * window, not beyond it: passes. */
	rep_is(d, 3, AT(SIM_H(2), 3), "250 2.1.5 Ok\r\n");
	lab_free(lab);

	lab = lab_new(1);
	f = lab_fault(lab, FAULT_GREYLIST, SMTP_PHASE_RCPT);
	f->retry_after = SIM_S(60);
	f->window = SIM_H(1);
	f->from = SIM_H(10);
	lab_start(lab);
	a = cl_add(lab, 0, 0, to_rcpt, NSTEPS(to_rcpt));
	b = cl_add(lab, 0, SIM_H(1) + SIM_S(1), to_rcpt, NSTEPS(to_rcpt));
	c = cl_add(lab, 0, SIM_H(10), to_rcpt, NSTEPS(to_rcpt));
	d = cl_add(lab, 0, SIM_H(11) + SIM_S(1), to_rcpt, NSTEPS(to_rcpt));
	sim_run(&lab->sim, SIM_H(12));
	/* Before the outage: accepted, and nothing remembered. */
	rep_is(a, 3, AT(0, 3), "250 2.1.5 Ok\r\n");
	rep_is(b, 3, AT(SIM_H(1) + SIM_S(1), 3), "250 2.1.5 Ok\r\n");
	rep_is(c, 3, AT(SIM_H(10), 3), rcpt_450);
	/* Retried 1 h + 1 s after its first try: beyond the window. */
	rep_is(d, 3, AT(SIM_H(11) + SIM_S(1), 3), rcpt_450);
	assert_string_equal(
	    rec_nth(lab, "smtp.greylist", 1)->verdict, "expired");
	assert_int_equal(rec_count(lab, "smtp.greylist"), 2);
	lab_free(lab);
}

/*
 * Order of checks at RCPT under greylisting (Postfix smtpd_check_rcpt()):
 * a relay attempt is refused at once (reject_unauth_destination precedes
 * check_policy_service in postgrey's set-up), and no triplet is recorded;
 * an unknown mailbox is greylisted first ("Force permission into deferral"
 * comes before "reject_unlisted_recipient") and refused with 550 when
 * retried after the delay.
 */
static void
test_smtpsrv_greylist_order_of_checks(void **state)
{
	static const struct step relay[] = {
	    {"EHLO mta1.example.test\r\n", 1, 0},
	    {"MAIL FROM:<alice@sender.test>\r\n", 1, 0},
	    {"RCPT TO:<bob@elsewhere.test>\r\n", 1, 0},
	};
	static const struct step unknown[] = {
	    {"EHLO mta1.example.test\r\n", 1, 0},
	    {"MAIL FROM:<alice@sender.test>\r\n", 1, 0},
	    {"RCPT TO:<eve@example.test>\r\n", 1, 0},
	};
	struct lab *lab = lab_new(1);
	struct cl *a, *b, *c;

	(void)state;
	lab->mailboxes[0] = "bob@example.test";
	lab->p.nmailboxes = 1;
	lab_fault(lab, FAULT_GREYLIST, SMTP_PHASE_RCPT);
	lab_start(lab);
	a = cl_add(lab, 0, 0, relay, NSTEPS(relay));
	b = cl_add(lab, 0, SIM_S(10), unknown, NSTEPS(unknown));
	c = cl_add(lab, 0, SIM_S(400), unknown, NSTEPS(unknown));
	sim_run(&lab->sim, SIM_S(500));
	rep_is(a, 3, AT(0, 3),
	    "554 5.7.1 <bob@elsewhere.test>: Relay access denied\r\n");
	rep_is(b, 3, AT(SIM_S(10), 3),
	    "450 4.2.0 <eve@example.test>: Recipient address rejected: "
	    "Greylisted\r\n");
	rep_is(c, 3, AT(SIM_S(400), 3),
	    "550 5.1.1 <eve@example.test>: Recipient address rejected: User "
	    "unknown\r\n");
	assert_int_equal(rec_count(lab, "smtp.greylist"), 2);
	assert_string_equal(
	    rec_nth(lab, "smtp.greylist", 0)->rcpt, "eve@example.test");
	lab_free(lab);
}

/*
 * Greylisting at DATA: the transaction is deferred while any recipient's
 * triplet has not passed, and every triplet is recorded.  bob and carol
 * are new at 0 s (450 to DATA); at 300 s both pass (354); at 400 s a
 * transaction for bob and the new dave is deferred again.
 */
static void
test_smtpsrv_greylist_at_data_all_recipients(void **state)
{
	static const struct step two[] = {
	    {"EHLO mta1.example.test\r\n", 1, 0},
	    {"MAIL FROM:<alice@sender.test>\r\n", 1, 0},
	    {"RCPT TO:<bob@example.test>\r\n", 1, 0},
	    {"RCPT TO:<carol@example.test>\r\n", 1, 0},
	    {"DATA\r\n", 1, 0},
	    {"Subject: hi\r\n\r\nHello.\r\n.\r\n", 1, 0},
	};
	static const struct step dave[] = {
	    {"EHLO mta1.example.test\r\n", 1, 0},
	    {"MAIL FROM:<alice@sender.test>\r\n", 1, 0},
	    {"RCPT TO:<bob@example.test>\r\n", 1, 0},
	    {"RCPT TO:<dave@example.test>\r\n", 1, 0},
	    {"DATA\r\n", 1, 0},
	};
	static const char data450[] =
	    "450 4.2.0 <DATA>: Data command rejected: Greylisted\r\n";
	struct lab *lab = lab_new(1);
	struct cl *a, *b, *c;

	(void)state;
	lab_fault(lab, FAULT_GREYLIST, SMTP_PHASE_DATA);
	lab_start(lab);
	a = cl_add(lab, 0, 0, two, NSTEPS(two));
	b = cl_add(lab, 0, SIM_S(300), two, NSTEPS(two));
	c = cl_add(lab, 0, SIM_S(400), dave, NSTEPS(dave));
	sim_run(&lab->sim, SIM_S(500));
	rep_is(a, 5, AT(0, 5), data450);
	rep_is(
	    b, 5, AT(SIM_S(300), 5), "354 End data with <CR><LF>.<CR><LF>\r\n");
	rep_is(b, 6, AT(SIM_S(300), 6), "250 2.0.0 Ok: queued as 2\r\n");
	rep_is(c, 5, AT(SIM_S(400), 5), data450);
	/* a: bob, carol new; b: both passed; c: bob passed, dave new. */
	assert_int_equal(rec_count(lab, "smtp.greylist"), 6);
	assert_string_equal(
	    rec_nth(lab, "smtp.greylist", 4)->verdict, "passed");
	assert_string_equal(rec_nth(lab, "smtp.greylist", 5)->verdict, "new");
	assert_string_equal(
	    rec_nth(lab, "smtp.greylist", 5)->rcpt, "dave@example.test");
	assert_int_equal(lab->mb.n, 2);
	lab_free(lab);
}

/*
 * What the key is at the early phases: the client's address at the
 * greeting (mta1 and mta2 each greylisted once, mta1 passing 300 s later),
 * the address and the sender at MAIL (another sender from the same client
 * is new).  The 450 texts are Postfix's for the client and sender classes.
 */
static void
test_smtpsrv_greylist_keys_by_phase(void **state)
{
	static const struct step quit[] = {{"QUIT\r\n", 1, 0}};
	static const struct step mail_alice[] = {
	    {"EHLO mta1.example.test\r\n", 1, 0},
	    {"MAIL FROM:<alice@sender.test>\r\n", 1, 0},
	    {"QUIT\r\n", 1, 0},
	};
	static const struct step mail_dan[] = {
	    {"EHLO mta1.example.test\r\n", 1, 0},
	    {"MAIL FROM:<dan@sender.test>\r\n", 1, 0},
	    {"QUIT\r\n", 1, 0},
	};
	struct lab *lab = lab_new(1);
	struct cl *a, *b, *c;

	(void)state;
	lab_fault(lab, FAULT_GREYLIST, SMTP_PHASE_GREETING);
	lab_start(lab);
	a = cl_add(lab, 0, 0, quit, 1);
	b = cl_add(lab, 1, SIM_S(1), quit, 1);
	c = cl_add(lab, 0, SIM_S(300), quit, 1);
	sim_run(&lab->sim, SIM_S(400));
	rep_is(a, 0, AT(0, 0),
	    "450 4.2.0 <unknown[192.0.2.10]>: Client host rejected: "
	    "Greylisted\r\n");
	rep_is(b, 0, AT(SIM_S(1), 0),
	    "450 4.2.0 <unknown[192.0.2.11]>: Client host rejected: "
	    "Greylisted\r\n");
	rep_is(c, 0, AT(SIM_S(300), 0), greeting);
	lab_free(lab);

	lab = lab_new(1);
	lab_fault(lab, FAULT_GREYLIST, SMTP_PHASE_MAIL);
	lab_start(lab);
	a = cl_add(lab, 0, 0, mail_alice, NSTEPS(mail_alice));
	b = cl_add(lab, 0, SIM_S(300), mail_alice, NSTEPS(mail_alice));
	c = cl_add(lab, 0, SIM_S(300), mail_dan, NSTEPS(mail_dan));
	sim_run(&lab->sim, SIM_S(400));
	rep_is(a, 2, AT(0, 2),
	    "450 4.2.0 <alice@sender.test>: Sender address rejected: "
	    "Greylisted\r\n");
	rep_is(b, 2, AT(SIM_S(300), 2), "250 2.1.0 Ok\r\n");
	rep_is(c, 2, AT(SIM_S(300), 2),
	    "450 4.2.0 <dan@sender.test>: Sender address rejected: "
	    "Greylisted\r\n");
	lab_free(lab);
}

/* The table alone: postgrey's key is lc("client/sender/recipient"), so
 * the case of an address does not make a new triplet; many keys grow the
 * table without losing any. */
static void
test_greylist_table(void **state)
{
	struct greylist g;
	struct greylist_result r;
	char rcpt[64];
	int i;

	(void)state;
	greylist_init(&g);
	assert_int_equal(greylist_check(&g, "192.0.2.10", "a@x.test",
	                     "B@Example.Test", 0, 0, 0, &r),
	    GREYLIST_NEW);
	assert_int_equal(greylist_check(&g, "192.0.2.10", "A@X.TEST",
	                     "b@example.test", SIM_S(300), 0, 0, &r),
	    GREYLIST_PASSED);
	assert_int_equal(r.age, SIM_S(300));
	for (i = 0; i < 1000; i++) {
		snprintf(rcpt, sizeof(rcpt), "u%d@example.test", i);
		assert_int_equal(greylist_check(&g, "192.0.2.10", "a@x.test",
		                     rcpt, SIM_S(1000), 0, 0, NULL),
		    GREYLIST_NEW);
	}
	for (i = 0; i < 1000; i++) {
		snprintf(rcpt, sizeof(rcpt), "u%d@example.test", i);
		assert_int_equal(greylist_check(&g, "192.0.2.10", "a@x.test",
		                     rcpt, SIM_S(1299), 0, 0, &r),
		    GREYLIST_EARLY);
		assert_int_equal(r.first_seen, SIM_S(1000));
	}
	assert_int_equal(g.n, 1001);
	assert_string_equal(greylist_verdict_name(GREYLIST_EARLY), "too early");
	greylist_fini(&g);
}

/* --- probability -------------------------------------------------------- */

/* 200 connections, one a second, under a 451 greeting with probability
 * 'p'; returns how many were hit and fills 'hits' (one char each). */
static int
draw_run(uint64_t seed, double p, char hits[201])
{
	static const struct step st[] = {
	    {"EHLO mta1.example.test\r\n", 1, 0},
	    {"QUIT\r\n", 1, 0},
	};
	struct lab *lab = lab_new(seed);
	struct fault *f;
	int i, n = 0;

	/* Outage 0, for every connection: nothing to draw for it. */
	f = lab_fault(lab, FAULT_SLOW, SMTP_PHASE_EHLO);
	f->delay = SIM_S(1);
	/* Outage 1, for a share of them. */
	f = lab_fault(lab, FAULT_REPLY, SMTP_PHASE_GREETING);
	f->reply_code = 451;
	f->reply_text = "451 4.3.2 Busy";
	f->probability = p;
	lab_start(lab);
	for (i = 0; i < 200; i++)
		cl_add(lab, i % 2, SIM_S(2 * i + 1), st, NSTEPS(st));
	sim_run(&lab->sim, SIM_S(500));
	for (i = 0; i < 200; i++) {
		const struct cl *cl = lab->cl[i];
		sim_time_t t0 = SIM_S(2 * i + 1);

		assert_int_equal(cl->rep[0].t, AT(t0, 0));
		hits[i] = cl->rep[0].code == 451 ? '1' : '0';
		n += hits[i] == '1';
		if (hits[i] == '1') {
			/* Refused: QUIT at once. */
			assert_int_equal(cl->nrep, 2);
			rep_is(cl, 0, AT(t0, 0), "451 4.3.2 Busy\r\n");
			continue;
		}
		/* Spared: greeted, and the EHLO reply 1 s late. */
		assert_int_equal(cl->nrep, 3);
		rep_is(cl, 0, AT(t0, 0), greeting);
		assert_int_equal(cl->rep[1].t, AT(t0, 1) + SIM_S(1));
	}
	hits[200] = '\0';
	/* Draws only for the drawn outage, one per connection. */
	assert_int_equal(rec_count(lab, "smtp.draw"), p > 0 && p < 1 ? 200 : 0);
	lab_free(lab);
	return n;
}

/*
 * probability = 0.5: each connection is hit or spared by its own draw; over
 * 200 connections the count is binomial (mean 100, sd 7.1), so 70..130 is
 * more than 4 sd wide.  The same seed gives the same connections, another
 * seed others.  0 and 1 mean every connection, without drawing.
 */
static void
test_smtpsrv_probability_per_connection(void **state)
{
	char a[201], b[201], c[201];
	int n;

	(void)state;
	n = draw_run(7, 0.5, a);
	assert_in_range(n, 70, 130);
	assert_int_equal(draw_run(7, 0.5, b), n);
	assert_string_equal(a, b);
	draw_run(8, 0.5, c);
	assert_string_not_equal(a, c);
	assert_int_equal(draw_run(7, 1, c), 200);
	assert_int_equal(draw_run(7, 0, c), 200);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_smtpsrv_delivers_byte_for_byte),
	    cmocka_unit_test(test_smtpsrv_helo_is_one_line),
	    cmocka_unit_test(test_smtpsrv_sequencing_503),
	    cmocka_unit_test(test_smtpsrv_pipelining_in_order_one_segment),
	    cmocka_unit_test(test_smtpsrv_pipelining_behind_slow_reply),
	    cmocka_unit_test(test_smtpsrv_mailboxes_and_relay),
	    cmocka_unit_test(test_smtpsrv_size_limit),
	    cmocka_unit_test(test_smtpsrv_connection_limit_421),
	    cmocka_unit_test(test_smtpsrv_hopcount_limit),
	    cmocka_unit_test(test_smtpsrv_refused_message_not_stored_when_late),
	    cmocka_unit_test(test_smtpsrv_each_kind_at_each_phase),
	    cmocka_unit_test(test_smtpsrv_reply_421_closes),
	    cmocka_unit_test(test_smtpsrv_outage_window),
	    cmocka_unit_test(test_smtpsrv_refused_greeting_only_quit),
	    cmocka_unit_test(test_smtpsrv_hang_at_dot_duplicates),
	    cmocka_unit_test(test_smtpsrv_greylist_over_time),
	    cmocka_unit_test(test_smtpsrv_greylist_knobs_and_window),
	    cmocka_unit_test(test_smtpsrv_greylist_order_of_checks),
	    cmocka_unit_test(test_smtpsrv_greylist_at_data_all_recipients),
	    cmocka_unit_test(test_smtpsrv_greylist_keys_by_phase),
	    cmocka_unit_test(test_greylist_table),
	    cmocka_unit_test(test_smtpsrv_probability_per_connection),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

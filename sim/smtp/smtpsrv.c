/*
 * smtpsrv.c - the receiving side of SMTP (RFC 5321 §3, §4).
 *
 * A session is a small state machine driven by command lines:
 *
 *   (connect) -> GREETING -> HELO_WAIT --EHLO/HELO--> READY --MAIL-->
 *   MAIL --RCPT--> RCPT --DATA/354--> BODY --"."--> READY ... QUIT -> END
 *
 * plus REJECTED, the state after a non-2xx greeting, in which the server
 * answers only QUIT (RFC 5321 §3.1: "the server MUST wait for the client to
 * send a QUIT").  Commands are taken one line at a time from a buffer, so
 * pipelined commands (RFC 2920) are answered in order; while a reply is
 * held back (a 'slow' outage) the following lines wait in the buffer.
 * Replies are collected and sent together once the received lines are used
 * up (RFC 2920 §3.2, as Postfix does), so a pipelined group is answered in
 * one segment.
 *
 * Every reply that an outage may change passes through one function,
 * respond(), which consults the host's SMTP outages for that phase among
 * those the session is subject to:
 *   reply    - give the outage's reply instead (421 also closes, RFC 5321
 *              §3.8; a non-2xx greeting leads to REJECTED);
 *   drop     - close the connection without a reply;
 *   slow     - give the normal reply after the outage's delay;
 *   hang     - never answer again; the connection stays open until the
 *              client gives up.  At "." the message has been received and
 *              is stored although no 250 ever leaves: the duplicate
 *              delivery of RFC 1047;
 *   greylist - postgrey behind Postfix (greylist.c): the first attempt of
 *              a (client, sender, recipient) triplet gets 450, a retry after
 *              the delay passes.
 * An outage with 0 < probability < 1 applies to a share of the
 * connections: each new connection draws once per such outage, from the
 * server's own random stream, whether it is hit.
 *
 * Accepting a message prepends a Received: header (RFC 5321 §4.4) and
 * stores one mailbox entry per accepted recipient.  A message that already
 * carries too many Received: headers is refused as a mail loop, as Postfix
 * does (hopcount_limit).
 */
#include "smtpsrv.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/clock.h"
#include "../core/dur.h"
#include "../core/err.h"
#include "../core/sim.h"
#include "../net/tcp.h"
#include "greylist.h"
#include "smtpwire.h"

#define SESS_STATE_MAP(XX)                                                     \
	XX(HELO_WAIT)                                                          \
	XX(READY)                                                              \
	XX(MAIL)                                                               \
	XX(RCPT)                                                               \
	XX(BODY)                                                               \
	XX(REJECTED)                                                           \
	XX(END)

enum sess_state {
#define XX(s) SS_##s,
	SESS_STATE_MAP(XX)
#undef XX
};

#define MAX_RCPTS 100 /* RFC 5321 §4.5.3.1.8: at least 100 must be taken */

struct sess {
	struct sess *next;               /* owned next session of the server */
	struct smtpsrv *srv;             /* borrowed */
	struct tcp_conn *c;              /* borrowed; NULL once closed */
	uint64_t id;                     /* session number, for traces */
	uint64_t qid;                    /* queue id of the transaction */
	enum sess_state state;           /* protocol state */
	struct smtp_linebuf lb;          /* received bytes */
	char client[64];                 /* label or address of the client */
	char client_ip[NET_ADDR_STRLEN]; /* its address */
	char helo[256];                  /* EHLO/HELO argument */
	bool esmtp;                      /* EHLO rather than HELO */
	char from[256];                  /* MAIL FROM */
	char *rcpts[MAX_RCPTS];          /* owned accepted recipients */
	size_t nrcpts;                   /* how many */
	char *body;                      /* owned message being received */
	size_t blen, bcap;               /* its length and capacity */
	bool too_big;                    /* the body went over the size limit */
	uint8_t *hit;                    /* owned: bit i set when outage i
	                                    applies to this session */
	struct ev_handle hold;           /* a held-back reply */
	char *held;                      /* owned text of the held reply */
	bool hung;                       /* a 'hang' outage: no more replies */
	bool admitted;                   /* counted in the server's 'nactive' */
	char *out;                       /* owned replies not yet sent */
	size_t olen, ocap;               /* their length and capacity */
	bool dead;                       /* awaiting reclaim */
};

struct smtpsrv {
	struct net_host *host;     /* borrowed */
	struct smtpsrv_params p;   /* knobs (strings borrowed) */
	struct mailbox *mb;        /* borrowed mailbox */
	struct sess *sessions;     /* owned live sessions */
	int nactive;               /* admitted sessions not over yet */
	uint64_t next_id;          /* session numbers */
	uint64_t next_qid;         /* queue ids, one per transaction */
	struct rng rng;            /* draws: is a connection hit? */
	struct greylist grey;      /* triplets seen, for the whole run */
	smtpsrv_stored_fn *stored; /* optional stored-message hook */
	void *stored_ctx;          /* borrowed hook context */
};

void
smtpsrv_params_default(struct smtpsrv_params *p)
{
	memset(p, 0, sizeof(*p));
	p->hostname = "mx.invalid";
	/* Postfix defaults: message_size_limit = 10240000, at most
	 * default_process_limit = 100 smtpd processes, and hopcount_limit =
	 * 50 Received: headers. */
	p->size_limit = 10240000;
	p->max_conns = 100;
	p->hopcount_limit = 50;
	p->epoch = CLOCK_EPOCH_DEFAULT;
}

static struct sim *
srv_sim(const struct smtpsrv *s)
{
	return s->host->net->sim;
}

static void
strace_init(struct sess *ss, struct trace_rec *r, enum trace_level lvl,
    const char *type)
{
	trace_rec_init(
	    r, sim_now(srv_sim(ss->srv)), ss->srv->host->name, type, lvl);
	trace_add_str(r, "client", ss->client);
	trace_add_int(r, "session", (int64_t)ss->id);
}

/* One trace line from the server. */
static void strace(struct sess *ss, enum trace_level lvl, const char *type,
    const char *fmt, ...) MX_PRINTF(4, 5);

static void
strace(struct sess *ss, enum trace_level lvl, const char *type, const char *fmt,
    ...)
{
	struct sim *sim = srv_sim(ss->srv);
	struct trace_rec r;
	va_list ap;

	if (!trace_on(sim_trace(sim)))
		return;
	strace_init(ss, &r, lvl, type);
	va_start(ap, fmt);
	vsnprintf(r.text, sizeof(r.text), fmt, ap);
	va_end(ap);
	trace_emit(sim_trace(sim), &r);
}

static void
sess_free(void *p)
{
	struct sess *ss = p;
	size_t i;

	for (i = 0; i < ss->nrcpts; i++)
		free(ss->rcpts[i]);
	free(ss->body);
	free(ss->held);
	free(ss->hit);
	free(ss->out);
	smtp_linebuf_fini(&ss->lb);
	free(ss);
}

/* Detaches a session from the server; freed after the current event. */
static void
sess_end(struct sess *ss)
{
	struct smtpsrv *s = ss->srv;
	struct sess **pp;

	if (ss->dead)
		return;
	ss->dead = true;
	ss->state = SS_END;
	sim_cancel(srv_sim(s), &ss->hold);
	for (pp = &s->sessions; *pp != NULL; pp = &(*pp)->next)
		if (*pp == ss) {
			*pp = ss->next;
			break;
		}
	if (ss->admitted)
		s->nactive--;
	sim_reclaim(srv_sim(s), sess_free, ss);
}

/* Sends the replies collected so far, in one segment when they fit. */
static void
sess_flush(struct sess *ss)
{
	if (ss->olen > 0 && ss->c != NULL)
		tcp_send(ss->c, ss->out, ss->olen);
	ss->olen = 0;
}

static void
sess_close(struct sess *ss)
{
	sess_flush(ss);
	if (ss->c != NULL && ss->state != SS_END)
		tcp_close(ss->c);
	ss->state = SS_END;
}

static void
out_add(struct sess *ss, const char *p, size_t n)
{
	if (ss->olen + n > ss->ocap) {
		size_t cap = ss->ocap ? ss->ocap : 1024;

		while (cap < ss->olen + n)
			cap *= 2;
		ss->out = mx_xrealloc(ss->out, cap);
		ss->ocap = cap;
	}
	memcpy(ss->out + ss->olen, p, n);
	ss->olen += n;
}

/* Queues "code text" as a reply; 'text' may hold '\n' for a multi-line
 * reply, turned into "code-line" continuation lines (RFC 5321 §4.2.1). */
static void
send_reply(struct sess *ss, const char *reply)
{
	const char *p = reply + 3;
	char code[4];

	memcpy(code, reply, 3);
	code[3] = '\0';
	if (*p == ' ')
		p++;
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		out_add(ss, code, 3);
		out_add(ss, nl ? "-" : " ", 1);
		out_add(ss, p, n);
		out_add(ss, "\r\n", 2);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

static void process(struct sess *ss);

static void
hold_done(struct sim *sim, void *arg)
{
	struct sess *ss = arg;
	char *text = ss->held;

	(void)sim;
	ss->hold.id = 0;
	ss->held = NULL;
	send_reply(ss, text);
	free(text);
	process(ss);
}

/* The outage, if any, that changes the reply at 'phase' for this session:
 * the first active one among those it was drawn into. */
static const struct fault *
sess_fault(const struct sess *ss, enum smtp_phase phase)
{
	const struct smtpsrv *s = ss->srv;

	return fault_smtp_among(
	    &s->host->faults, phase, sim_now(srv_sim(s)), ss->hit);
}

/* Sends a reply that was decided; its code tells what follows. */
static int
reply_sent(struct sess *ss, enum smtp_phase phase, const char *text)
{
	int code = atoi(text);

	send_reply(ss, text);
	/* RFC 5321 §3.8: 421 closes the transmission channel. */
	if (code == 421)
		sess_close(ss);
	else if (phase == SMTP_PHASE_GREETING && code / 100 != 2)
		ss->state = SS_REJECTED;
	return code;
}

/* Traces one greylisting decision about (client, from, rcpt). */
static void
grey_trace(struct sess *ss, const struct fault *f, const char *from,
    const char *rcpt, const struct greylist_result *r)
{
	struct sim *sim = srv_sim(ss->srv);
	struct trace_rec tr;
	char who[600], age[32], wait[32];

	snprintf(who, sizeof(who), "(%s, %s%s%s, %s%s%s)", ss->client_ip,
	    from ? "<" : "", from ? from : "-", from ? ">" : "",
	    rcpt ? "<" : "", rcpt ? rcpt : "-", rcpt ? ">" : "");
	dur_format(r->age, age, sizeof(age));
	dur_format(f->retry_after > 0 ? f->retry_after : GREYLIST_DELAY_DEFAULT,
	    wait, sizeof(wait));
	strace_init(ss, &tr, TRACE_MAIN, "smtp.greylist");
	trace_add_str(&tr, "ip", ss->client_ip);
	if (from != NULL)
		trace_add_str(&tr, "from", from);
	if (rcpt != NULL)
		trace_add_str(&tr, "rcpt", rcpt);
	trace_add_str(&tr, "verdict", greylist_verdict_name(r->verdict));
	trace_add_time(&tr, "first_seen", r->first_seen);
	trace_add_int(&tr, "outage", f->index);
	switch (r->verdict) {
	case GREYLIST_NEW:
		trace_text(&tr, "greylists %s: new, retry in %s", who, wait);
		break;
	case GREYLIST_EARLY:
		trace_text(&tr, "greylists %s: too early, %s of %s waited", who,
		    age, wait);
		break;
	case GREYLIST_EXPIRED:
		trace_text(&tr,
		    "greylists %s: expired, first try %s ago, starts over", who,
		    age);
		break;
	case GREYLIST_PASSED:
		trace_text(
		    &tr, "passes %s: passed, first try %s ago", who, age);
		break;
	}
	trace_emit(sim_trace(sim), &tr);
}

/* One greylisting decision in the server's table, for the whole run;
 * true when the attempt passes. */
static bool
grey_one(
    struct sess *ss, const struct fault *f, const char *from, const char *rcpt)
{
	struct smtpsrv *s = ss->srv;
	struct sim *sim = srv_sim(s);
	struct greylist_result r;

	greylist_check(&s->grey, ss->client_ip, from, rcpt, sim_now(sim),
	    f->retry_after, f->window, &r);
	if (trace_on(sim_trace(sim)))
		grey_trace(ss, f, from, rcpt, &r);
	return greylist_passes(r.verdict);
}

/* Whether greylisting defers this attempt.  What is known at each phase
 * is the key: the client at the greeting and EHLO, its sender at MAIL,
 * the triplet at RCPT; at DATA and "." every recipient's triplet must have
 * passed.  Every triplet is looked at, so that each new one is
 * remembered. */
static bool
grey_defers(struct sess *ss, const struct fault *f, enum smtp_phase phase,
    const char *subject)
{
	bool defer = false;
	size_t i;

	switch (phase) {
	case SMTP_PHASE_GREETING:
	case SMTP_PHASE_EHLO:
		return !grey_one(ss, f, NULL, NULL);
	case SMTP_PHASE_MAIL:
		return !grey_one(ss, f, subject, NULL);
	case SMTP_PHASE_RCPT:
		return !grey_one(ss, f, ss->from, subject);
	default:
		for (i = 0; i < ss->nrcpts; i++)
			if (!grey_one(ss, f, ss->from, ss->rcpts[i]))
				defer = true;
		return defer;
	}
}

/*
 * Postfix's wording when a policy server answers DEFER_IF_PERMIT (as
 * postgrey does): "<name>: <class> rejected: <text>" with the class of
 * the restriction (smtpd_check.c, smtpd_check_int.h SMTPD_NAME_*) and
 * postgrey's DSN 4.2.0 ("Workaround for an Exchange bug", postgrey
 * smtpd_access_policy()); the text without postgrey's help URL.
 */
static void
grey_text(const struct sess *ss, enum smtp_phase phase, const char *subject,
    char *buf, size_t len)
{
	static const char tail[] = "Greylisted";

	switch (phase) {
	case SMTP_PHASE_GREETING:
		snprintf(buf, len,
		    "450 4.2.0 <unknown[%s]>: Client host rejected: %s",
		    ss->client_ip, tail);
		break;
	case SMTP_PHASE_EHLO:
		snprintf(buf, len, "450 4.2.0 <%s>: Helo command rejected: %s",
		    ss->helo, tail);
		break;
	case SMTP_PHASE_MAIL:
		snprintf(buf, len,
		    "450 4.2.0 <%s>: Sender address rejected: %s", subject,
		    tail);
		break;
	case SMTP_PHASE_RCPT:
		snprintf(buf, len,
		    "450 4.2.0 <%s>: Recipient address rejected: %s", subject,
		    tail);
		break;
	case SMTP_PHASE_DATA:
		snprintf(buf, len,
		    "450 4.2.0 <DATA>: Data command rejected: %s", tail);
		break;
	default:
		snprintf(buf, len,
		    "450 4.2.0 <END-OF-DATA>: End-of-data rejected: %s", tail);
		break;
	}
}

/*
 * Whether greylisting can still change 'normal'.  Postfix turns a
 * DEFER_IF_PERMIT into 450 only when nothing rejected the request first
 * (smtpd_check.c: "Force permission into deferral ..."); the unknown
 * recipient check comes after that conversion (smtpd_check_rcpt(): "If the
 * reject_unlisted_recipient restriction still needs to be applied"), so
 * an unknown mailbox is greylisted first and refused on the retry, while a
 * relay attempt is refused at once (reject_unauth_destination comes before
 * check_policy_service in postgrey's documented set-up).
 */
static bool
grey_applies(enum smtp_phase phase, const char *normal)
{
	int code = atoi(normal);

	return code < 400 || (phase == SMTP_PHASE_RCPT && code == 550);
}

/*
 * Gives the reply 'normal' at 'phase', unless an outage says otherwise.
 * 'subject' is the address of a MAIL or RCPT command (the greylisting key).
 * Returns the code actually sent (0 when the connection was dropped or the
 * reply is held back or never comes), so callers know whether the command
 * succeeded.
 */
static int
respond(struct sess *ss, enum smtp_phase phase, const char *normal,
    const char *subject)
{
	struct smtpsrv *s = ss->srv;
	const struct fault *f = sess_fault(ss, phase);
	char buf[SMTP_LINE_MAX], d[32];

	if (f == NULL)
		return reply_sent(ss, phase, normal);
	switch (f->kind) {
	case FAULT_REPLY:
		strace(ss, TRACE_MAIN, "smtp.outage",
		    "%s to %s at %s (outage %d)", f->reply_text, ss->client,
		    smtp_phase_name(phase), f->index);
		return reply_sent(
		    ss, phase, f->reply_text ? f->reply_text : normal);
	case FAULT_DROP:
		strace(ss, TRACE_MAIN, "smtp.outage",
		    "drops the connection from %s at %s (outage %d)",
		    ss->client, smtp_phase_name(phase), f->index);
		sess_close(ss);
		return 0;
	case FAULT_SLOW:
		strace(ss, TRACE_MAIN, "smtp.outage",
		    "holds its %s reply to %s for %s (outage %d)",
		    smtp_phase_name(phase), ss->client,
		    dur_format(f->delay, d, sizeof(d)), f->index);
		ss->held = mx_xstrdup(normal);
		ss->hold = sim_after(srv_sim(s), f->delay, hold_done, ss);
		return 0;
	case FAULT_HANG:
		strace(ss, TRACE_MAIN, "smtp.hang",
		    "never answers %s at %s (outage %d)", ss->client,
		    smtp_phase_name(phase), f->index);
		ss->hung = true;
		return 0;
	case FAULT_GREYLIST:
		if (!grey_applies(phase, normal) ||
		    !grey_defers(ss, f, phase, subject))
			return reply_sent(ss, phase, normal);
		if (f->reply_text != NULL)
			snprintf(buf, sizeof(buf), "%s", f->reply_text);
		else
			grey_text(ss, phase, subject, buf, sizeof(buf));
		return reply_sent(ss, phase, buf);
	default:
		return reply_sent(ss, phase, normal);
	}
}

/* Whether the reply to a command is on its way although respond() did not
 * send it yet: held back, or never coming (the command took effect). */
static bool
reply_pending(const struct sess *ss)
{
	return ss->hung || sim_pending(srv_sim(ss->srv), ss->hold);
}

static bool
domain_ok(const struct smtpsrv *s, const char *addr)
{
	const char *at = strrchr(addr, '@');
	size_t i;

	if (s->p.ndomains == 0)
		return true;
	if (at == NULL)
		return false;
	for (i = 0; i < s->p.ndomains; i++)
		if (strcasecmp(at + 1, s->p.domains[i]) == 0)
			return true;
	return false;
}

static bool
mailbox_known(const struct smtpsrv *s, const char *addr)
{
	size_t i;

	if (s->p.nmailboxes == 0)
		return true;
	for (i = 0; i < s->p.nmailboxes; i++)
		if (strcasecmp(addr, s->p.mailboxes[i]) == 0)
			return true;
	return false;
}

static void
reset_txn(struct sess *ss)
{
	size_t i;

	for (i = 0; i < ss->nrcpts; i++)
		free(ss->rcpts[i]);
	ss->nrcpts = 0;
	ss->from[0] = '\0';
	ss->blen = 0;
	ss->too_big = false;
}

static void
trace_stored(struct sess *ss, uint64_t num, size_t i, size_t size)
{
	struct sim *sim = srv_sim(ss->srv);
	const char *lead = "250 ", *tail = "";
	struct trace_rec r;

	if (!trace_on(sim_trace(sim)))
		return;
	if (ss->hung) {
		lead = "";
		tail = ", but never says 250";
	} else if (sim_pending(sim, ss->hold)) {
		lead = "";
		tail = "; its 250 is held back";
	}
	trace_rec_init(
	    &r, sim_now(sim), ss->srv->host->name, "smtp.stored", TRACE_MAIN);
	trace_add_int(&r, "msg", (int64_t)num);
	trace_add_str(&r, "from", ss->from);
	trace_add_str(&r, "rcpt", ss->rcpts[i]);
	trace_add_str(&r, "client", ss->client);
	trace_add_int(&r, "size", (int64_t)size);
	/* Say so when the 250 is late or never comes: the client may then
	 * give up and send the message again (RFC 1047). */
	if (num != 0)
		trace_text(&r, "%saccepted msg %" PRIu64 " for %s%s", lead, num,
		    ss->rcpts[i], tail);
	else
		trace_text(&r, "%saccepted a message for %s%s", lead,
		    ss->rcpts[i], tail);
	trace_emit(sim_trace(sim), &r);
}

static void
store(struct sess *ss)
{
	struct smtpsrv *s = ss->srv;
	struct sim *sim = srv_sim(s);
	char date[64], *msg;
	size_t hl, i;
	uint64_t num = mailbox_msg_number(ss->body, ss->blen);
	int n;

	clock_rfc5322(s->p.epoch, sim_now(sim), date, sizeof(date));
	for (i = 0; i < ss->nrcpts; i++) {
		char hdr[1024];

		/* RFC 5321 §4.4 trace information, in Postfix's layout. */
		n = snprintf(hdr, sizeof(hdr),
		    "Received: from %s (%s [%s])\r\n"
		    "\tby %s (mxsim) with %s id %" PRIu64 "\r\n"
		    "\tfor <%s>; %s\r\n",
		    ss->helo, ss->client, ss->client_ip, s->p.hostname,
		    ss->esmtp ? "ESMTP" : "SMTP", ss->qid, ss->rcpts[i], date);
		hl = n > 0 ? (size_t)n : 0;
		msg = mx_xmalloc(hl + ss->blen + 1);
		memcpy(msg, hdr, hl);
		memcpy(msg + hl, ss->body, ss->blen);
		msg[hl + ss->blen] = '\0';
		mailbox_add(s->mb, num, ss->from, ss->rcpts[i], sim_now(sim),
		    ss->client, msg, hl + ss->blen);
		free(msg);
		trace_stored(ss, num, i, hl + ss->blen);
		if (s->stored != NULL)
			s->stored(s->stored_ctx, &s->mb->v[s->mb->n - 1]);
	}
}

/* Received: fields in the header section of the message (up to the first
 * empty line).  Field names are case-insensitive (RFC 5322 §1.2.2); a
 * folded continuation line starts with white space (§2.2.3) and is not a
 * field of its own. */
static int
count_received(const char *p, size_t n)
{
	size_t i = 0;
	int hops = 0;

	while (i < n) {
		const char *line = p + i;
		const char *nl = memchr(line, '\n', n - i);
		size_t len = nl != NULL ? (size_t)(nl - line) + 1 : n - i;

		if (line[0] == '\r' || line[0] == '\n')
			break;
		if (len >= 9 && strncasecmp(line, "Received:", 9) == 0)
			hops++;
		i += len;
	}
	return hops;
}

/*
 * Postfix's loop detection: cleanup counts every Received: header, the one
 * smtpd prepends included, and refuses the message when "++hop_count >=
 * var_hopcount_limit" (cleanup_message.c); smtpd then answers "554 5.4.0
 * Error: too many hops".  With hopcount_limit = 50 a message arriving with
 * 49 Received: headers is refused and one with 48 accepted.
 */
static bool
too_many_hops(const struct sess *ss)
{
	int limit = ss->srv->p.hopcount_limit;

	return limit > 0 && count_received(ss->body, ss->blen) + 1 >= limit;
}

/* The final "." of a message: accept it, or say why not. */
static void
end_of_data(struct sess *ss)
{
	char buf[128];
	bool ok = false;
	int code;

	ss->state = SS_READY;
	if (ss->too_big)
		snprintf(buf, sizeof(buf),
		    "552 5.3.4 Message size exceeds fixed limit");
	else if (too_many_hops(ss))
		snprintf(buf, sizeof(buf), "554 5.4.0 Error: too many hops");
	else {
		snprintf(buf, sizeof(buf), "250 2.0.0 Ok: queued as %" PRIu64,
		    ss->qid);
		ok = true;
	}
	if (!ok)
		strace(ss, TRACE_MAIN, "smtp.reject", "%s", buf);
	code = respond(ss, SMTP_PHASE_DOT, buf, NULL);
	/* The message is ours as soon as the server means to say 250, even
	 * if the 250 is late or never sent (RFC 1047). */
	if (ok && (code / 100 == 2 || reply_pending(ss)))
		store(ss);
	reset_txn(ss);
}

static void
body_line(struct sess *ss, const char *line, size_t len)
{
	struct smtpsrv *s = ss->srv;

	if (len == 1 && line[0] == '.') {
		end_of_data(ss);
		return;
	}
	/* RFC 5321 §4.5.2: remove the leading dot of a stuffed line. */
	if (len > 0 && line[0] == '.') {
		line++;
		len--;
	}
	if (ss->blen + len + 2 > s->p.size_limit) {
		ss->too_big = true;
		return;
	}
	if (ss->blen + len + 3 > ss->bcap) {
		size_t cap = ss->bcap ? ss->bcap : 4096;

		while (cap < ss->blen + len + 3)
			cap *= 2;
		ss->body = mx_xrealloc(ss->body, cap);
		ss->bcap = cap;
	}
	memcpy(ss->body + ss->blen, line, len);
	ss->blen += len;
	ss->body[ss->blen++] = '\r';
	ss->body[ss->blen++] = '\n';
}

/* The value of the ESMTP parameter 'key' ("SIZE") of a MAIL command: the
 * parameters follow the reverse-path, space-separated (RFC 5321 §4.1.2
 * Mail-parameters, RFC 1870 §3); NULL if absent. */
static const char *
mail_param(const char *arg, const char *key)
{
	const char *p = strchr(arg, '>');
	size_t kl = strlen(key);

	if (p == NULL)
		return NULL;
	for (p++; *p != '\0'; p++)
		if ((p[-1] == ' ') && strncasecmp(p, key, kl) == 0 &&
		    p[kl] == '=')
			return p + kl + 1;
	return NULL;
}

static void
cmd_hello(struct sess *ss, const char *verb, const char *arg)
{
	struct smtpsrv *s = ss->srv;
	char buf[600];

	if (*arg == '\0') {
		/* Postfix's wording, naming the command used. */
		snprintf(
		    buf, sizeof(buf), "501 5.5.4 Syntax: %s hostname", verb);
		send_reply(ss, buf);
		return;
	}
	snprintf(ss->helo, sizeof(ss->helo), "%s", arg);
	/* RFC 5321 §4.1.4: EHLO in the middle of a transaction is an
	 * implicit RSET. */
	reset_txn(ss);
	if (verb[0] == 'E') {
		/* RFC 5321 §4.1.1.1: a multi-line reply naming the
		 * extensions (RFC 2920, 1870, 2034, 6152), in Postfix's
		 * order (smtpd.c ehlo_cmd()). */
		snprintf(buf, sizeof(buf),
		    "250 %s\nPIPELINING\nSIZE %zu\nENHANCEDSTATUSCODES\n"
		    "8BITMIME",
		    s->p.hostname, s->p.size_limit);
	} else
		snprintf(buf, sizeof(buf), "250 %s", s->p.hostname);
	if (respond(ss, SMTP_PHASE_EHLO, buf, NULL) / 100 == 2 ||
	    reply_pending(ss)) {
		ss->esmtp = verb[0] == 'E';
		ss->state = SS_READY;
	}
}

static void
cmd_mail(struct sess *ss, const char *arg)
{
	struct smtpsrv *s = ss->srv;
	const char *size;
	char addr[256];

	if (ss->state == SS_HELO_WAIT) {
		send_reply(ss, "503 5.5.1 Error: send HELO/EHLO first");
		return;
	}
	if (ss->state != SS_READY) {
		send_reply(ss, "503 5.5.1 Error: nested MAIL command");
		return;
	}
	if (!smtp_path_parse(arg, "FROM:", addr, sizeof(addr))) {
		send_reply(ss, "501 5.5.4 Syntax: MAIL FROM:<address>");
		return;
	}
	/* RFC 1870 §6.1: a declared size over the fixed limit is refused
	 * at once, with Postfix's 552 5.3.4 (smtpd_check_size()). */
	size = mail_param(arg, "SIZE");
	if (size != NULL && strtoull(size, NULL, 10) > s->p.size_limit) {
		respond(ss, SMTP_PHASE_MAIL,
		    "552 5.3.4 Message size exceeds fixed limit", addr);
		return;
	}
	if (respond(ss, SMTP_PHASE_MAIL, "250 2.1.0 Ok", addr) / 100 == 2 ||
	    reply_pending(ss)) {
		snprintf(ss->from, sizeof(ss->from), "%s", addr);
		ss->qid = ++s->next_qid;
		ss->state = SS_MAIL;
	}
}

static void
cmd_rcpt(struct sess *ss, const char *arg)
{
	struct smtpsrv *s = ss->srv;
	char addr[256], buf[600];
	int code;

	if (ss->state != SS_MAIL && ss->state != SS_RCPT) {
		send_reply(ss, "503 5.5.1 Error: need MAIL command");
		return;
	}
	if (!smtp_path_parse(arg, "TO:", addr, sizeof(addr))) {
		send_reply(ss, "501 5.5.4 Syntax: RCPT TO:<address>");
		return;
	}
	if (ss->nrcpts == MAX_RCPTS) {
		send_reply(ss, "452 4.5.3 Error: too many recipients");
		return;
	}
	/* Postfix's wording for both rejections. */
	if (!domain_ok(s, addr))
		snprintf(buf, sizeof(buf),
		    "554 5.7.1 <%s>: Relay access denied", addr);
	else if (!mailbox_known(s, addr))
		snprintf(buf, sizeof(buf),
		    "550 5.1.1 <%s>: Recipient address rejected: "
		    "User unknown",
		    addr);
	else
		snprintf(buf, sizeof(buf), "250 2.1.5 Ok");
	code = respond(ss, SMTP_PHASE_RCPT, buf, addr);
	if (buf[0] != '2' && (code == atoi(buf) || reply_pending(ss)))
		strace(ss, TRACE_MAIN, "smtp.reject", "%s", buf);
	if (code / 100 == 2 || (buf[0] == '2' && reply_pending(ss))) {
		ss->rcpts[ss->nrcpts++] = mx_xstrdup(addr);
		ss->state = SS_RCPT;
	}
}

static void
cmd_data(struct sess *ss)
{
	if (ss->state != SS_RCPT) {
		send_reply(ss, ss->state == SS_MAIL
		                   ? "554 5.5.1 Error: no valid recipients"
		                   : "503 5.5.1 Error: need RCPT command");
		return;
	}
	if (respond(ss, SMTP_PHASE_DATA, "354 End data with <CR><LF>.<CR><LF>",
	        NULL) == 354 ||
	    reply_pending(ss)) {
		ss->state = SS_BODY;
		ss->blen = 0;
		ss->too_big = false;
	}
}

static void
command(struct sess *ss, const char *line, size_t len)
{
	char verb[16];
	const char *arg;

	smtp_cmd_parse(line, len, verb, sizeof(verb), &arg);
	if (strcmp(verb, "QUIT") == 0) {
		send_reply(ss, "221 2.0.0 Bye");
		sess_close(ss);
		return;
	}
	if (ss->state == SS_REJECTED) {
		send_reply(ss, "503 5.5.1 Error: only QUIT is accepted now");
		return;
	}
	if (strcmp(verb, "NOOP") == 0) {
		send_reply(ss, "250 2.0.0 Ok");
		return;
	}
	if (strcmp(verb, "RSET") == 0) {
		reset_txn(ss);
		if (ss->state != SS_HELO_WAIT)
			ss->state = SS_READY;
		send_reply(ss, "250 2.0.0 Ok");
		return;
	}
	if (strcmp(verb, "EHLO") == 0 || strcmp(verb, "HELO") == 0)
		cmd_hello(ss, verb, arg);
	else if (strcmp(verb, "MAIL") == 0)
		cmd_mail(ss, arg);
	else if (strcmp(verb, "RCPT") == 0)
		cmd_rcpt(ss, arg);
	else if (strcmp(verb, "DATA") == 0)
		cmd_data(ss);
	else
		send_reply(ss, "502 5.5.2 Error: command not recognized");
}

/* Handles buffered lines until one needs to wait (a held reply, a hung
 * server), then sends what was answered: RFC 2920 §3.2 lets a server keep
 * the replies to a pipelined group and send them together, and requires
 * it to send them once the input is used up. */
static void
process(struct sess *ss)
{
	const char *line;
	size_t len;

	while (!ss->dead && ss->state != SS_END && !reply_pending(ss) &&
	       (line = smtp_linebuf_next(&ss->lb, &len)) != NULL) {
		if (ss->state == SS_BODY)
			body_line(ss, line, len);
		else
			command(ss, line, len);
	}
	sess_flush(ss);
}

static void
on_connected(void *ctx, struct tcp_conn *c)
{
	struct sess *ss = ctx;
	struct smtpsrv *s = ss->srv;
	char buf[300];

	(void)c;
	strace(ss, TRACE_DETAIL, "smtp.accept", "accepts a connection from %s",
	    ss->client);
	/* A session counts from its handshake on: of two clients that
	 * connect in the same instant, the first to complete it is served
	 * (Postfix's anvil counts a connection when smtpd accepts it). */
	if (s->nactive >= s->p.max_conns) {
		/* Postfix's wording when a connection limit is reached
		 * (smtpd.c, anvil): 421 and close. */
		snprintf(buf, sizeof(buf),
		    "421 4.7.0 %s Error: too many connections from %s",
		    s->p.hostname, ss->client_ip);
		strace(ss, TRACE_MAIN, "smtp.reject", "%s", buf);
		send_reply(ss, buf);
		sess_close(ss);
		return;
	}
	ss->admitted = true;
	s->nactive++;
	snprintf(buf, sizeof(buf), "220 %s ESMTP mxsim", s->p.hostname);
	respond(ss, SMTP_PHASE_GREETING, buf, NULL);
	process(ss);
}

static void
on_data(void *ctx, struct tcp_conn *c, const uint8_t *p, size_t n)
{
	struct sess *ss = ctx;

	(void)c;
	smtp_linebuf_add(&ss->lb, p, n);
	process(ss);
}

static void
on_eof(void *ctx, struct tcp_conn *c)
{
	struct sess *ss = ctx;

	(void)c;
	/* The client went away: close our side too. */
	if (ss->state != SS_END)
		strace(ss, TRACE_DETAIL, "smtp.eof", "%s closed the connection",
		    ss->client);
	sim_cancel(srv_sim(ss->srv), &ss->hold);
	sess_close(ss);
}

static void
on_closed(void *ctx, struct tcp_conn *c, enum tcp_end why, int code)
{
	struct sess *ss = ctx;

	(void)c;
	(void)why;
	(void)code;
	ss->c = NULL;
	sess_end(ss);
}

static const struct tcp_cb sess_cb = {
    .connected = on_connected,
    .data = on_data,
    .eof = on_eof,
    .closed = on_closed,
};

/* Decides, once for the connection, which outages it is subject to: every
 * outage but those with 0 < probability < 1, for which the server draws
 * (only for them, so that runs without such outages draw nothing). */
static void
draw(struct sess *ss)
{
	struct smtpsrv *s = ss->srv;
	const struct fault_sched *fs = &s->host->faults;
	size_t i;

	if (fs->n == 0)
		return;
	ss->hit = mx_xcalloc((fs->n + 7) / 8, 1);
	for (i = 0; i < fs->n; i++) {
		const struct fault *f = &fs->v[i];
		bool hit = true;

		if (fault_smtp_drawn(f)) {
			hit = rng_unit(&s->rng) < f->probability;
			strace(ss, TRACE_DETAIL, "smtp.draw",
			    "connection from %s %s outage %d (probability "
			    "%g)",
			    ss->client, hit ? "is hit by" : "is spared by",
			    f->index, f->probability);
		}
		if (hit)
			ss->hit[i / 8] |= (uint8_t)(1u << (i % 8));
	}
}

static bool
on_accept(void *ctx, struct tcp_conn *c, const struct tcp_cb **cb, void **cbctx)
{
	struct smtpsrv *s = ctx;
	struct sess *ss = mx_xcalloc(1, sizeof(*ss));
	const struct net_host *peer;

	ss->srv = s;
	ss->c = c;
	ss->id = ++s->next_id;
	ss->state = SS_HELO_WAIT;
	smtp_linebuf_init(&ss->lb);
	net_addr_str(tcp_conn_raddr(c), ss->client_ip, sizeof(ss->client_ip));
	peer = net_host_by_addr(s->host->net, tcp_conn_raddr(c));
	snprintf(ss->client, sizeof(ss->client), "%s",
	    peer != NULL ? peer->name : ss->client_ip);
	draw(ss);
	ss->next = s->sessions;
	s->sessions = ss;
	*cb = &sess_cb;
	*cbctx = ss;
	return true;
}

struct smtpsrv *
smtpsrv_new(
    struct net_host *h, const struct smtpsrv_params *p, struct mailbox *mb)
{
	struct smtpsrv *s = mx_xcalloc(1, sizeof(*s));

	s->host = h;
	s->p = *p;
	s->mb = mb;
	sim_rng(h->net->sim, &s->rng, "smtp.%s", h->name);
	greylist_init(&s->grey);
	if (tcp_listen(h, 25, on_accept, s) != 0) {
		greylist_fini(&s->grey);
		free(s);
		return NULL;
	}
	return s;
}

void
smtpsrv_free(struct smtpsrv *s)
{
	struct sess *ss;

	if (s == NULL)
		return;
	while ((ss = s->sessions) != NULL) {
		s->sessions = ss->next;
		sess_free(ss);
	}
	greylist_fini(&s->grey);
	free(s);
}

void
smtpsrv_on_stored(struct smtpsrv *s, smtpsrv_stored_fn *fn, void *ctx)
{
	s->stored = fn;
	s->stored_ctx = ctx;
}

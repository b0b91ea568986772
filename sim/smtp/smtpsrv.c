/*
 * smtpsrv.c - the receiving side of SMTP (RFC 5321 §3, §4).
 *
 * A session is a small state machine driven by command lines:
 *
 *   (connect) -> GREETING -> HELO_WAIT --EHLO/HELO--> READY --MAIL-->
 *   MAIL --RCPT--> RCPT --DATA/354--> BODY --"."--> READY ... QUIT -> END
 *
 * plus REJECTED, the state after a 554 greeting, in which the server
 * answers only QUIT (RFC 5321 §3.1: "the server MUST wait for the client to
 * send a QUIT").  Commands are taken one line at a time from a buffer, so
 * pipelined commands (RFC 2920) are answered in order; while a reply is
 * held back (a 'slow' outage) the following lines wait in the buffer.
 *
 * Every reply the server is about to give passes through one function,
 * respond(), that consults the host's SMTP outages for that phase:
 *   reply - give the outage's reply instead (421 also closes, RFC 5321
 *           §3.8; a non-2xx greeting leads to REJECTED);
 *   drop  - close the connection without a reply;
 *   slow  - give the normal reply after the outage's delay.
 *
 * Accepting a message prepends a Received: header (RFC 5321 §4.4) and
 * stores one mailbox entry per accepted recipient.
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
	uint64_t id;                     /* session number, for Received: */
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
	struct ev_handle hold;           /* a held-back reply */
	char *held;                      /* owned text of the held reply */
	bool held_close;                 /* close after the held reply */
	bool dead;                       /* awaiting reclaim */
};

struct smtpsrv {
	struct net_host *host;     /* borrowed */
	struct smtpsrv_params p;   /* knobs (strings borrowed) */
	struct mailbox *mb;        /* borrowed mailbox */
	struct sess *sessions;     /* owned live sessions */
	int nsess;                 /* how many */
	uint64_t next_id;          /* session numbers */
	smtpsrv_stored_fn *stored; /* optional stored-message hook */
	void *stored_ctx;          /* borrowed hook context */
};

void
smtpsrv_params_default(struct smtpsrv_params *p)
{
	memset(p, 0, sizeof(*p));
	p->hostname = "mx.invalid";
	/* Postfix defaults: message_size_limit = 10240000, and at most
	 * default_process_limit = 100 smtpd processes. */
	p->size_limit = 10240000;
	p->max_conns = 100;
	p->epoch = CLOCK_EPOCH_DEFAULT;
}

static struct sim *
srv_sim(const struct smtpsrv *s)
{
	return s->host->net->sim;
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
	trace_rec_init(&r, sim_now(sim), ss->srv->host->name, type, lvl);
	trace_add_str(&r, "client", ss->client);
	trace_add_int(&r, "session", (int64_t)ss->id);
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
	s->nsess--;
	sim_reclaim(srv_sim(s), sess_free, ss);
}

static void
sess_close(struct sess *ss)
{
	if (ss->c != NULL)
		tcp_close(ss->c);
	ss->state = SS_END;
}

static void
send_text(struct sess *ss, const char *text)
{
	if (ss->c != NULL)
		tcp_send(ss->c, text, strlen(text));
}

/* Sends "code text" as a reply; 'text' may hold '\n' for a multi-line
 * reply, turned into "code-line" continuation lines. */
static void
send_reply(struct sess *ss, const char *reply)
{
	char buf[SMTP_REPLY_MAX + 64];
	const char *p = reply;
	size_t off = 0;
	char code[4];

	memcpy(code, reply, 3);
	code[3] = '\0';
	p = reply + 3;
	if (*p == ' ')
		p++;
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		int w = snprintf(buf + off, sizeof(buf) - off, "%s%c%.*s\r\n",
		    code, nl ? '-' : ' ', (int)n, p);

		if (w < 0 || (size_t)w >= sizeof(buf) - off)
			break;
		off += (size_t)w;
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	send_text(ss, buf);
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
	if (ss->held_close)
		sess_close(ss);
	else
		process(ss);
}

/*
 * Gives the reply 'normal' at 'phase', unless an outage says otherwise.
 * Returns the code actually sent (0 when the connection was dropped or the
 * reply is held back), so callers know whether the command succeeded.
 */
static int
respond(struct sess *ss, enum smtp_phase phase, const char *normal)
{
	struct smtpsrv *s = ss->srv;
	const struct fault *f =
	    fault_smtp(&s->host->faults, phase, sim_now(srv_sim(s)));
	int code;

	if (f == NULL) {
		send_reply(ss, normal);
		return atoi(normal);
	}
	switch (f->kind) {
	case FAULT_REPLY:
		code = f->reply_code;
		strace(ss, TRACE_MAIN, "smtp.outage",
		    "%s to %s at %s (outage %d)", f->reply_text, ss->client,
		    smtp_phase_name(phase), f->index);
		send_reply(ss, f->reply_text);
		/* RFC 5321 §3.8: 421 closes the transmission channel. */
		if (code == 421)
			sess_close(ss);
		else if (phase == SMTP_PHASE_GREETING)
			ss->state = SS_REJECTED;
		return code;
	case FAULT_DROP:
		strace(ss, TRACE_MAIN, "smtp.outage",
		    "drops the connection from %s at %s (outage %d)",
		    ss->client, smtp_phase_name(phase), f->index);
		sess_close(ss);
		return 0;
	case FAULT_SLOW: {
		char d[32];

		strace(ss, TRACE_MAIN, "smtp.outage",
		    "holds its %s reply to %s for %s (outage %d)",
		    smtp_phase_name(phase), ss->client,
		    dur_format(f->delay, d, sizeof(d)), f->index);
		ss->held = mx_xstrdup(normal);
		ss->held_close = false;
		ss->hold = sim_after(srv_sim(s), f->delay, hold_done, ss);
		return 0;
	}
	default:
		send_reply(ss, normal);
		return atoi(normal);
	}
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
		    ss->esmtp ? "ESMTP" : "SMTP", ss->id, ss->rcpts[i], date);
		hl = n > 0 ? (size_t)n : 0;
		msg = mx_xmalloc(hl + ss->blen + 1);
		memcpy(msg, hdr, hl);
		memcpy(msg + hl, ss->body, ss->blen);
		msg[hl + ss->blen] = '\0';
		mailbox_add(s->mb, num, ss->from, ss->rcpts[i], sim_now(sim),
		    ss->client, msg, hl + ss->blen);
		free(msg);
		if (trace_on(sim_trace(sim))) {
			struct trace_rec r;

			trace_rec_init(&r, sim_now(sim), s->host->name,
			    "smtp.stored", TRACE_MAIN);
			trace_add_int(&r, "msg", (int64_t)num);
			trace_add_str(&r, "from", ss->from);
			trace_add_str(&r, "rcpt", ss->rcpts[i]);
			trace_add_str(&r, "client", ss->client);
			trace_add_int(&r, "size", (int64_t)(hl + ss->blen));
			if (num != 0)
				trace_text(&r,
				    "250 accepted msg %" PRIu64 " for %s", num,
				    ss->rcpts[i]);
			else
				trace_text(&r, "250 accepted a message for %s",
				    ss->rcpts[i]);
			trace_emit(sim_trace(sim), &r);
		}
		if (s->stored != NULL)
			s->stored(s->stored_ctx, &s->mb->v[s->mb->n - 1]);
	}
}

static void
body_line(struct sess *ss, const char *line, size_t len)
{
	struct smtpsrv *s = ss->srv;
	char buf[128];

	if (len == 1 && line[0] == '.') {
		ss->state = SS_READY;
		if (ss->too_big) {
			snprintf(buf, sizeof(buf),
			    "552 5.3.4 Message size exceeds fixed limit");
			respond(ss, SMTP_PHASE_DOT, buf);
			reset_txn(ss);
			return;
		}
		snprintf(buf, sizeof(buf), "250 2.0.0 Ok: queued as %" PRIu64,
		    ss->id);
		if (respond(ss, SMTP_PHASE_DOT, buf) / 100 == 2 ||
		    sim_pending(srv_sim(s), ss->hold))
			store(ss);
		reset_txn(ss);
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

/* The value after a MAIL parameter keyword (RFC 1870 "SIZE="), or NULL. */
static const char *
find_param(const char *arg, const char *key)
{
	size_t kl = strlen(key);

	for (; *arg != '\0'; arg++)
		if (strncasecmp(arg, key, kl) == 0)
			return arg;
	return NULL;
}

static void
command(struct sess *ss, const char *line, size_t len)
{
	struct smtpsrv *s = ss->srv;
	char verb[16], addr[256], buf[600];
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
	if (strcmp(verb, "EHLO") == 0 || strcmp(verb, "HELO") == 0) {
		if (*arg == '\0') {
			send_reply(ss, "501 5.5.4 Syntax: EHLO hostname");
			return;
		}
		snprintf(ss->helo, sizeof(ss->helo), "%s", arg);
		reset_txn(ss);
		if (verb[0] == 'E') {
			/* RFC 5321 §4.1.1.1: a multi-line reply naming
			 * the extensions (RFC 2920, 1870, 6152, 2034). */
			snprintf(buf, sizeof(buf),
			    "250 %s\nPIPELINING\nSIZE %zu\n8BITMIME\n"
			    "ENHANCEDSTATUSCODES",
			    s->p.hostname, s->p.size_limit);
		} else
			snprintf(buf, sizeof(buf), "250 %s", s->p.hostname);
		if (respond(ss, SMTP_PHASE_EHLO, buf) / 100 == 2) {
			ss->esmtp = verb[0] == 'E';
			ss->state = SS_READY;
		}
		return;
	}
	if (strcmp(verb, "MAIL") == 0) {
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
		{
			const char *sz = find_param(arg, "SIZE=");

			if (sz != NULL &&
			    strtoull(sz + 5, NULL, 10) > s->p.size_limit) {
				respond(ss, SMTP_PHASE_MAIL,
				    "552 5.3.4 Message size exceeds fixed "
				    "limit");
				return;
			}
		}
		if (respond(ss, SMTP_PHASE_MAIL, "250 2.1.0 Ok") / 100 == 2) {
			snprintf(ss->from, sizeof(ss->from), "%s", addr);
			ss->state = SS_MAIL;
		}
		return;
	}
	if (strcmp(verb, "RCPT") == 0) {
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
		if (buf[0] != '2')
			strace(ss, TRACE_MAIN, "smtp.reject", "%s", buf);
		if (respond(ss, SMTP_PHASE_RCPT, buf) / 100 == 2 ||
		    (buf[0] == '2' && sim_pending(srv_sim(s), ss->hold))) {
			ss->rcpts[ss->nrcpts++] = mx_xstrdup(addr);
			ss->state = SS_RCPT;
		}
		return;
	}
	if (strcmp(verb, "DATA") == 0) {
		if (ss->state != SS_RCPT) {
			send_reply(
			    ss, ss->state == SS_MAIL
			            ? "554 5.5.1 Error: no valid recipients"
			            : "503 5.5.1 Error: need RCPT command");
			return;
		}
		if (respond(ss, SMTP_PHASE_DATA,
		        "354 End data with <CR><LF>.<CR><LF>") == 354 ||
		    sim_pending(srv_sim(s), ss->hold)) {
			ss->state = SS_BODY;
			ss->blen = 0;
		}
		return;
	}
	send_reply(ss, "502 5.5.2 Error: command not recognized");
}

/* Handles buffered lines until one needs to wait (a held reply). */
static void
process(struct sess *ss)
{
	const char *line;
	size_t len;

	while (!ss->dead && ss->state != SS_END &&
	       !sim_pending(srv_sim(ss->srv), ss->hold) &&
	       (line = smtp_linebuf_next(&ss->lb, &len)) != NULL) {
		if (ss->state == SS_BODY)
			body_line(ss, line, len);
		else
			command(ss, line, len);
	}
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
	if (s->nsess > s->p.max_conns) {
		send_reply(ss, "421 4.7.0 Error: too many connections");
		sess_close(ss);
		return;
	}
	snprintf(buf, sizeof(buf), "220 %s ESMTP mxsim", s->p.hostname);
	respond(ss, SMTP_PHASE_GREETING, buf);
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
	ss->next = s->sessions;
	s->sessions = ss;
	s->nsess++;
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
	if (tcp_listen(h, 25, on_accept, s) != 0) {
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
	free(s);
}

void
smtpsrv_on_stored(struct smtpsrv *s, smtpsrv_stored_fn *fn, void *ctx)
{
	s->stored = fn;
	s->stored_ctx = ctx;
}

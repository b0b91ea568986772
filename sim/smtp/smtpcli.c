/*
 * smtpcli.c - the client side of one SMTP session (RFC 5321 §3, §4).
 *
 * States, entered by enter() and left by on_reply():
 *
 *   CONNECTING -> GREETING -> EHLO [-> HELO] -> MAIL -> RCPT (each) ->
 *   DATA -> DOT -> QUIT -> CLOSING
 *
 * A step that fails reports the result at once and, unless the server has
 * closed or said 421, ends the session with QUIT (RFC 5321 §4.1.1.10) and
 * waits for 221 before closing, so captures show a complete dialogue.
 * The QUIT never shares a segment with the final "." (Wireshark 4.0 would
 * hide it): it is sent after the reply.
 *
 * Timeouts are per command (RFC 5321 §4.5.3.2); the connect timeout is the
 * MTA's own (Postfix smtp_connect_timeout) and, when it expires, the
 * connecting socket is closed without a packet, as close() does on Linux.
 */
#include "smtpcli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/err.h"
#include "../core/sim.h"
#include "../net/tcp.h"
#include "smtpwire.h"

#define CLI_STATE_MAP(XX)                                                      \
	XX(CONNECTING)                                                         \
	XX(GREETING)                                                           \
	XX(EHLO)                                                               \
	XX(HELO)                                                               \
	XX(MAIL)                                                               \
	XX(RCPT)                                                               \
	XX(DATA)                                                               \
	XX(DOT)                                                                \
	XX(QUIT)                                                               \
	XX(CLOSING)

enum cli_state {
#define XX(s) CS_##s,
	CLI_STATE_MAP(XX)
#undef XX
};

static const char *const end_names[] = {
#define XX(id, s) s,
    SMTPCLI_END_MAP(XX)
#undef XX
};

struct smtpcli {
	struct smtpcli *next;           /* link in the owner's set */
	struct smtpcli_set *set;        /* borrowed owner */
	struct net_host *host;          /* borrowed */
	struct tcp_conn *c;             /* borrowed; NULL once closed */
	struct smtpcli_params p;        /* knobs (strings borrowed) */
	struct smtpcli_msg msg;         /* the message (borrowed fields) */
	enum cli_state state;           /* protocol state */
	size_t rcpt;                    /* next recipient to send */
	int *rcpt_code;                 /* owned per-recipient codes */
	bool any_rcpt;                  /* some RCPT got 2xx */
	struct smtp_linebuf lb;         /* received bytes */
	struct smtp_reply reply;        /* reply being assembled */
	struct ev_handle timer;         /* command or connect timeout */
	bool size_ext;                  /* server announced SIZE */
	bool reported;                  /* the result has been delivered */
	bool freed;                     /* awaiting reclaim */
	struct smtpcli_result res;      /* the result, once known */
	char reply_line[SMTP_LINE_MAX]; /* first line of the deciding reply */
	smtpcli_done_fn *done;          /* result callback */
	void *ctx;                      /* borrowed callback context */
};

const char *
smtpcli_end_name(enum smtpcli_end e)
{
	return end_names[e];
}

void
smtpcli_params_default(struct smtpcli_params *p)
{
	memset(p, 0, sizeof(*p));
	p->helo = "localhost";
	p->t_greeting = SIM_MIN(5);
	p->t_ehlo = SIM_MIN(5);
	p->t_mail = SIM_MIN(5);
	p->t_rcpt = SIM_MIN(5);
	p->t_data_init = SIM_MIN(2);
	p->t_data_done = SIM_MIN(10);
	p->t_quit = SIM_MIN(2);
	p->helo_fallback = true;
}

void
smtpcli_set_init(struct smtpcli_set *set)
{
	set->head = NULL;
}

static void
cli_free(void *p)
{
	struct smtpcli *c = p;

	smtp_linebuf_fini(&c->lb);
	free(c->rcpt_code);
	free(c);
}

static void
set_remove(struct smtpcli *c)
{
	struct smtpcli **pp;

	for (pp = &c->set->head; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			return;
		}
}

void
smtpcli_set_fini(struct smtpcli_set *set)
{
	struct smtpcli *c;

	while ((c = set->head) != NULL) {
		set->head = c->next;
		cli_free(c);
	}
}

static struct sim *
cli_sim(const struct smtpcli *c)
{
	return c->host->net->sim;
}

static void ctrace(struct smtpcli *c, const char *type, const char *fmt, ...)
    MX_PRINTF(3, 4);

static void
ctrace(struct smtpcli *c, const char *type, const char *fmt, ...)
{
	struct sim *sim = cli_sim(c);
	struct trace_rec r;
	va_list ap;

	if (!trace_on(sim_trace(sim)))
		return;
	trace_rec_init(&r, sim_now(sim), c->host->name, type, TRACE_DETAIL);
	va_start(ap, fmt);
	vsnprintf(r.text, sizeof(r.text), fmt, ap);
	va_end(ap);
	trace_emit(sim_trace(sim), &r);
}

/* Ends the session's life: freed after this event. */
static void
release(struct smtpcli *c)
{
	if (c->freed)
		return;
	c->freed = true;
	sim_cancel(cli_sim(c), &c->timer);
	set_remove(c);
	sim_reclaim(cli_sim(c), cli_free, c);
}

static void
report(struct smtpcli *c, enum smtpcli_end end, enum smtp_phase phase, int code)
{
	if (c->reported)
		return;
	c->reported = true;
	c->res.end = end;
	c->res.phase = phase;
	c->res.code = code;
	c->res.reply = c->reply_line;
	c->res.rcpt_code = c->rcpt_code;
	c->res.nrcpts = c->msg.nrcpts;
	c->done(c->ctx, &c->res);
}

static void on_timeout(struct sim *sim, void *arg);

static void
arm(struct smtpcli *c, sim_time_t t)
{
	sim_cancel(cli_sim(c), &c->timer);
	if (t > 0)
		c->timer = sim_after(cli_sim(c), t, on_timeout, c);
}

static void send_line(struct smtpcli *c, const char *fmt, ...) MX_PRINTF(2, 3);

static void
send_line(struct smtpcli *c, const char *fmt, ...)
{
	char buf[SMTP_LINE_MAX + 2];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 2, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(buf) - 3)
		n = (int)sizeof(buf) - 3;
	ctrace(c, "smtp.send", "C: %s", buf);
	buf[n] = '\r';
	buf[n + 1] = '\n';
	if (c->c != NULL)
		tcp_send(c->c, buf, (size_t)n + 2);
}

static enum smtp_phase
phase_of(enum cli_state s)
{
	switch (s) {
	case CS_CONNECTING:
	case CS_GREETING:
		return SMTP_PHASE_GREETING;
	case CS_EHLO:
	case CS_HELO:
		return SMTP_PHASE_EHLO;
	case CS_MAIL:
		return SMTP_PHASE_MAIL;
	case CS_RCPT:
		return SMTP_PHASE_RCPT;
	case CS_DATA:
		return SMTP_PHASE_DATA;
	default:
		return SMTP_PHASE_DOT;
	}
}

static void
close_conn(struct smtpcli *c)
{
	c->state = CS_CLOSING;
	sim_cancel(cli_sim(c), &c->timer);
	if (c->c != NULL)
		tcp_close(c->c);
	else
		release(c);
}

/* After a decisive failure: say goodbye unless the server already left. */
static void
quit_or_close(struct smtpcli *c, int code)
{
	if (code == 421 || c->c == NULL) {
		close_conn(c);
		return;
	}
	c->state = CS_QUIT;
	send_line(c, "QUIT");
	arm(c, c->p.t_quit);
}

static void
send_rcpt(struct smtpcli *c)
{
	c->state = CS_RCPT;
	send_line(c, "RCPT TO:<%s>", c->msg.rcpts[c->rcpt]);
	arm(c, c->p.t_rcpt);
}

static void
send_mail(struct smtpcli *c)
{
	c->state = CS_MAIL;
	if (c->size_ext)
		send_line(
		    c, "MAIL FROM:<%s> SIZE=%zu", c->msg.from, c->msg.size);
	else
		send_line(c, "MAIL FROM:<%s>", c->msg.from);
	arm(c, c->p.t_mail);
}

/* Sends the message with dot-stuffing (RFC 5321 §4.5.2) and the final
 * "." line, all queued at once so the "." ends the last segment. */
static void
send_body(struct smtpcli *c)
{
	const char *p = c->msg.data, *end = p + c->msg.size;
	char *out = mx_xmalloc(c->msg.size * 2 + 8);
	size_t n = 0;
	bool bol = true;

	for (; p < end; p++) {
		if (bol && *p == '.')
			out[n++] = '.';
		out[n++] = *p;
		bol = *p == '\n';
	}
	if (n > 0 && !(n >= 2 && out[n - 2] == '\r' && out[n - 1] == '\n')) {
		out[n++] = '\r';
		out[n++] = '\n';
	}
	out[n++] = '.';
	out[n++] = '\r';
	out[n++] = '\n';
	ctrace(c, "smtp.send", "C: (message, %zu bytes) .", c->msg.size);
	if (c->c != NULL)
		tcp_send(c->c, out, n);
	free(out);
	c->state = CS_DOT;
	arm(c, c->p.t_data_done);
}

static void
on_reply(struct smtpcli *c, const struct smtp_reply *r)
{
	int code = r->code, cls = code / 100;
	enum smtp_phase ph = phase_of(c->state);

	ctrace(
	    c, "smtp.recv", "S: %s%s", r->first, r->nlines > 1 ? " ..." : "");
	sim_cancel(cli_sim(c), &c->timer);
	if (c->state != CS_QUIT && c->state != CS_CLOSING && cls != 2 &&
	    !(c->state == CS_DATA && code == 354) && c->state != CS_RCPT)
		snprintf(c->reply_line, sizeof(c->reply_line), "%s", r->first);
	switch (c->state) {
	case CS_GREETING:
		if (cls == 2) {
			c->res.greeted = true;
			c->state = CS_EHLO;
			send_line(c, "EHLO %s", c->p.helo);
			arm(c, c->p.t_ehlo);
			return;
		}
		report(c, SMTPCLI_REPLY, ph, code);
		quit_or_close(c, code);
		return;
	case CS_EHLO:
	case CS_HELO:
		if (cls == 2) {
			c->res.ehlo_ok = true;
			c->size_ext = c->state == CS_EHLO &&
			              (strstr(r->text, "\nSIZE") != NULL);
			send_mail(c);
			return;
		}
		if (c->state == CS_EHLO && cls == 5 && c->p.helo_fallback) {
			/* RFC 5321 §3.2: fall back to HELO. */
			c->state = CS_HELO;
			send_line(c, "HELO %s", c->p.helo);
			arm(c, c->p.t_ehlo);
			return;
		}
		report(c, SMTPCLI_REPLY, ph, code);
		quit_or_close(c, code);
		return;
	case CS_MAIL:
		if (cls == 2) {
			c->rcpt = 0;
			send_rcpt(c);
			return;
		}
		report(c, SMTPCLI_REPLY, ph, code);
		quit_or_close(c, code);
		return;
	case CS_RCPT:
		c->rcpt_code[c->rcpt] = code;
		if (cls == 2)
			c->any_rcpt = true;
		else
			snprintf(c->reply_line, sizeof(c->reply_line), "%s",
			    r->first);
		if (code == 421) {
			report(c, SMTPCLI_REPLY, ph, code);
			close_conn(c);
			return;
		}
		if (++c->rcpt < c->msg.nrcpts) {
			send_rcpt(c);
			return;
		}
		if (!c->any_rcpt) {
			report(c, SMTPCLI_RCPTS_FAILED, ph, code);
			quit_or_close(c, code);
			return;
		}
		c->state = CS_DATA;
		send_line(c, "DATA");
		arm(c, c->p.t_data_init);
		return;
	case CS_DATA:
		if (code == 354) {
			send_body(c);
			return;
		}
		report(c, SMTPCLI_REPLY, ph, code);
		quit_or_close(c, code);
		return;
	case CS_DOT:
		if (cls == 2) {
			snprintf(c->reply_line, sizeof(c->reply_line), "%s",
			    r->first);
			report(c, SMTPCLI_DELIVERED, ph, code);
		} else
			report(c, SMTPCLI_REPLY, ph, code);
		quit_or_close(c, code);
		return;
	case CS_QUIT:
		close_conn(c);
		return;
	default:
		return;
	}
}

static void
on_timeout(struct sim *sim, void *arg)
{
	struct smtpcli *c = arg;

	(void)sim;
	c->timer.id = 0;
	if (c->state == CS_CONNECTING && c->c == NULL) {
		/* No source address of the destination's family: the
		 * kernel says "Network is unreachable" at once. */
		report(c, SMTPCLI_UNREACHABLE, SMTP_PHASE_GREETING, 0);
		release(c);
		return;
	}
	if (c->state == CS_CONNECTING) {
		/* Our own connect timeout: give up on the SYNs silently. */
		c->res.syns = tcp_conn_syns(c->c);
		tcp_abort(c->c);
		c->c = NULL;
		report(c, SMTPCLI_CONNECT_TIMEOUT, SMTP_PHASE_GREETING, 0);
		release(c);
		return;
	}
	if (c->state == CS_QUIT) {
		close_conn(c);
		return;
	}
	ctrace(c, "smtp.timeout", "timeout waiting for the %s reply",
	    smtp_phase_name(phase_of(c->state)));
	report(c, SMTPCLI_TIMEOUT, phase_of(c->state), 0);
	close_conn(c);
}

static void
on_connected(void *ctx, struct tcp_conn *tc)
{
	struct smtpcli *c = ctx;

	c->res.syns = tcp_conn_syns(tc);
	c->res.connected_at = sim_now(cli_sim(c));
	c->state = CS_GREETING;
	arm(c, c->p.t_greeting);
}

static void
on_data(void *ctx, struct tcp_conn *tc, const uint8_t *p, size_t n)
{
	struct smtpcli *c = ctx;
	const char *line;
	size_t len;

	(void)tc;
	smtp_linebuf_add(&c->lb, p, n);
	while (!c->freed && c->state != CS_CLOSING &&
	       (line = smtp_linebuf_next(&c->lb, &len)) != NULL) {
		int st = smtp_reply_feed(&c->reply, line, len);

		if (st < 0) {
			/* Not SMTP: treat as a broken session. */
			snprintf(c->reply_line, sizeof(c->reply_line), "%.*s",
			    (int)len, line);
			report(c, SMTPCLI_DROPPED, phase_of(c->state), 0);
			close_conn(c);
			return;
		}
		if (st == 1) {
			struct smtp_reply r = c->reply;

			smtp_reply_init(&c->reply);
			on_reply(c, &r);
		}
	}
}

static void
on_eof(void *ctx, struct tcp_conn *tc)
{
	struct smtpcli *c = ctx;

	(void)tc;
	if (!c->reported)
		ctrace(c, "smtp.eof", "the server closed the connection");
	report(c, SMTPCLI_DROPPED, phase_of(c->state), 0);
	close_conn(c);
}

static void
on_closed(void *ctx, struct tcp_conn *tc, enum tcp_end why, int icmp)
{
	struct smtpcli *c = ctx;

	(void)icmp;
	c->c = NULL;
	if (c->state == CS_CONNECTING) {
		c->res.syns = tcp_conn_syns(tc);
		report(c,
		    why == TCP_END_REFUSED       ? SMTPCLI_REFUSED
		    : why == TCP_END_UNREACHABLE ? SMTPCLI_UNREACHABLE
		                                 : SMTPCLI_CONNECT_TIMEOUT,
		    SMTP_PHASE_GREETING, 0);
	} else
		report(c, SMTPCLI_DROPPED, phase_of(c->state), 0);
	release(c);
}

static const struct tcp_cb cli_cb = {
    .connected = on_connected,
    .data = on_data,
    .eof = on_eof,
    .closed = on_closed,
};

struct smtpcli *
smtpcli_start(struct smtpcli_set *set, struct net_host *h,
    const struct net_addr *dst, uint16_t port, const struct smtpcli_params *p,
    const struct smtpcli_msg *msg, smtpcli_done_fn *done, void *ctx)
{
	struct smtpcli *c = mx_xcalloc(1, sizeof(*c));

	c->set = set;
	c->host = h;
	c->p = *p;
	c->msg = *msg;
	c->rcpt_code = mx_xcalloc(msg->nrcpts, sizeof(*c->rcpt_code));
	c->done = done;
	c->ctx = ctx;
	c->state = CS_CONNECTING;
	c->res.connected_at = -1;
	smtp_linebuf_init(&c->lb);
	smtp_reply_init(&c->reply);
	c->next = set->head;
	set->head = c;
	c->c = tcp_connect(h, dst, port, &cli_cb, c);
	if (c->c == NULL) {
		/* No address of that family: fail from a later event. */
		c->state = CS_CONNECTING;
		c->timer = sim_after(cli_sim(c), 0, on_timeout, c);
		return c;
	}
	if (p->connect_timeout > 0)
		arm(c, p->connect_timeout);
	return c;
}

void
smtpcli_abort(struct smtpcli *c)
{
	c->reported = true;
	if (c->c != NULL) {
		tcp_abort(c->c);
		c->c = NULL;
	}
	release(c);
}

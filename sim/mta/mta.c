/*
 * mta.c - a sending MTA: queue, MX walk, retries.
 *
 * Data
 *  - A message ('struct mmsg') has recipients ('struct mrcpt'); recipients
 *    of one domain form a group ('struct group'), the unit of delivery, as
 *    a next-hop domain is in Postfix.  Each group has its own count of
 *    delivery attempts and its own retry timer.
 *  - A delivery attempt is a job ('struct job'): MX lookup, then one
 *    address lookup per MX host in order, then connections to the
 *    addresses in order.  A job ends when no recipient of its group is
 *    pending any more, or when the addresses (or the profile's
 *    'max_addresses') run out.
 *
 * What each SMTP result means for a recipient (the rfc5321 baseline; RFC
 * 5321 §4.2.1 and the behaviour shared by Postfix, Exim and Sendmail in
 * Postfix smtp_proto.c, Exim's host/message/recipient errors):
 *  - 2xx after "." with the recipient's RCPT accepted: delivered;
 *  - a 5xx RCPT reply, or a 5xx reply to MAIL, DATA or ".": bounced;
 *  - anything else (no connection, a reset, a timeout, a 4xx, or a 5xx
 *    greeting, which RFC 5321 §3.1 leaves to the client): try the next
 *    address; when none is left, the recipient is deferred and the group
 *    retried after the profile's next 'retry' delay.
 * A group still undelivered 'give_up' after the message was queued
 * bounces at its next failed attempt (RFC 5321 §4.5.4.1 "give-up time").
 * An Exim sender with per-IP retry records uses its retry cutoffs
 * instead, and delay_after_cutoff (exim_end(), mta-behavior.md §3.3).
 *
 * DNS (RFC 5321 §5.1; Postfix, Exim and Sendmail agree): NXDOMAIN bounces,
 * NODATA falls back to the implicit MX when the profile says so, a null MX
 * bounces with 556 5.1.10 (RFC 7505 §4), and a timeout, SERVFAIL or REFUSED
 * defers.
 */
#include "mta.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/dur.h"
#include "../core/err.h"
#include "../core/sim.h"
#include "../smtp/smtpcli.h"
#include "hoststate.h"
#include "mx.h"
#include "sched.h"

#define TARGET_MAX 64

static const char *const outcome_names[] = {
#define XX(id, s) s,
    MTA_OUTCOME_MAP(XX)
#undef XX
};

const char *
mta_outcome_name(enum mta_outcome o)
{
	return outcome_names[o];
}

struct mrcpt {
	char *addr;              /* owned recipient address */
	const char *domain;      /* borrowed: inside 'addr' */
	struct mmsg *msg;        /* borrowed owning message */
	enum mta_outcome st;     /* outcome so far */
	bool pending;            /* to be tried in the current job */
	sim_time_t t;            /* outcome time */
	char via[64];            /* label it was handed to */
	char reason[512];        /* last reply or error */
	struct mta_attempt *att; /* owned attempts */
	size_t natt, capatt;     /* count and capacity */
	int deliveries;          /* delivery attempts including it */
	int code;                /* scratch: RCPT code this session */
	bool dsn;                /* bounced, not yet in a DSN */
	bool warn;               /* to be named in a "delayed" DSN */
};

struct group {
	struct mmsg *msg;          /* borrowed owning message */
	char domain[DNS_NAME_MAX]; /* next-hop domain */
	int tries;                 /* delivery attempts made */
	struct mta_rstate rs;      /* its retry record (sched.c) */
	int nwarn;                 /* "delayed" DSNs counted so far */
	struct ev_handle retry;    /* next attempt */
	struct job *job;           /* the attempt in progress, or NULL */
};

struct mmsg {
	uint64_t num;       /* scenario message number */
	char *from;         /* owned envelope sender */
	struct mrcpt *rcpt; /* owned recipients */
	size_t nrcpt;       /* how many */
	struct group *grp;  /* owned groups by domain */
	size_t ngrp;        /* how many */
	char *data;         /* owned message text (CRLF) */
	size_t size;        /* its length */
	sim_time_t queued;  /* when it entered the queue */
	struct mta *mta;    /* borrowed */
	bool relayed;       /* taken from the network (backup MX) */
};

struct target {
	uint16_t pref;           /* MX preference */
	char host[DNS_NAME_MAX]; /* MX host name */
	struct net_addr addr;    /* address to connect to */
};

struct job {
	struct group *g;                 /* borrowed group being delivered */
	struct mx_entry mx[MX_LIST_MAX]; /* ordered MX hosts */
	size_t nmx;                      /* how many */
	size_t mx_i;                     /* next MX host to resolve */
	bool want6;                      /* asking AAAA (then A) for it */
	size_t host_start;               /* its first address in 't' */
	struct target t[TARGET_MAX];     /* addresses to try, in order */
	size_t nt;                       /* how many */
	size_t t_i;                      /* next address to try */
	int tried;                       /* addresses tried */
	bool soft_dns;                   /* an address lookup failed softly */
	char qname[DNS_NAME_MAX]; /* the MX query's name (after CNAMEs) */
	int mx_hops;              /* CNAMEs followed to reach it */
	char hq[DNS_NAME_MAX];    /* the address query's name */
	int host_hops;            /* CNAMEs followed to reach it */
	bool hold;                /* frozen: no retry (Exim self) */
	bool site_fail;           /* the last session failed at site level */
	bool stop;                /* the profile says: defer now */
	int sessions;             /* sessions past EHLO (session limit) */
	int skipped;              /* addresses skipped by host memory */
	int skipped_exp;          /* of those, past their retry cutoff */
	int tried_exp;            /* tried past their cutoff (uncounted) */
	bool cur_exp;             /* the address at t_i is past its cutoff */
	bool second;              /* the delay_after_cutoff = false pass */
	bool limited;             /* addresses left out by the limits */
	bool live;                /* a tried address did not time out */
	bool lookahead;           /* past max_addresses: new levels only */
	uint16_t last_pref;       /* preference of the last address tried */
	uint32_t dns;             /* pending resolver handle, 0 = none */
	struct smtpcli *cli;      /* session in progress, or NULL */
	sim_time_t cli_start;     /* when it started */
	sim_time_t min_next;      /* earliest retry of a skipped address */
	const char *rcpts[256];   /* borrowed: recipients in session */
	struct mrcpt *rp[256];    /* and their records */
	size_t nr;                /* how many */
	char last[256];           /* the last failure, for deferrals */
	char note[640];           /* capture note for the next attempt */
};

/* Deliveries in progress to one destination domain (Postfix qmgr's
 * per-destination concurrency window; OpenSMTPD limit.c connection
 * limits), and the groups waiting for a slot, in arrival order. */
struct dconc {
	char domain[DNS_NAME_MAX]; /* destination */
	int active;                /* jobs in progress */
	int window;                /* jobs allowed now */
	struct group **wait;       /* owned array of borrowed groups */
	size_t nwait, capwait;     /* count and capacity */
};

struct mta {
	struct dconc *dc;            /* owned, one per destination seen */
	size_t ndc, capdc;           /* count and capacity */
	struct net_host *host;       /* borrowed */
	struct mta_params p;         /* knobs (strings borrowed) */
	struct resolv *res;          /* owned stub resolver */
	struct smtpcli_set cli;      /* SMTP sessions */
	struct rng rng;              /* equal-preference shuffles */
	struct rng jit;              /* retry jitter (a stream of its own) */
	uint64_t hash_seed;          /* per-process MX weight (Sendmail) */
	struct hoststate hs;         /* dead-host memory */
	struct mmsg **msgs;          /* owned messages, submission order */
	size_t nmsgs, capmsgs;       /* count and capacity */
	struct pending_submit *subs; /* owned submissions not yet due */
	int ndsn;                    /* DSNs written, for Message-IDs */
	struct aconn *ac;            /* owned: sessions open per address */
	size_t nac, capac;           /* count and capacity */
	struct job **await;          /* owned array of borrowed jobs waiting
	                                for an address slot, in order */
	size_t nawait, capawait;     /* count and capacity */
};

/* Sessions open to one address (OpenSMTPD counts them per route). */
struct aconn {
	struct net_addr a; /* destination address */
	int n;             /* sessions open now */
};

struct pending_submit {
	struct pending_submit *next; /* owned next */
	struct mta *m;               /* borrowed */
	uint64_t num;                /* message number */
	char *from;                  /* owned */
	char **to;                   /* owned array of owned strings */
	size_t nto;                  /* how many */
	size_t size;                 /* requested size */
	char *subject;               /* owned, or NULL */
	char *data;                  /* owned message as received, or NULL
	                                (composed at submission) */
	size_t dlen;                 /* its length */
	bool relayed;                /* from the network: see mta_relay() */
};

static struct sim *
msim(const struct mta *m)
{
	return m->host->net->sim;
}

static void mtrace(struct mta *m, const char *type, uint64_t msg,
    const char *fmt, ...) MX_PRINTF(4, 5);

static void
mtrace(struct mta *m, const char *type, uint64_t msg, const char *fmt, ...)
{
	struct sim *sim = msim(m);
	struct trace_rec r;
	va_list ap;

	if (!trace_on(sim_trace(sim)))
		return;
	trace_rec_init(&r, sim_now(sim), m->host->name, type, TRACE_MAIN);
	if (msg != 0)
		trace_add_int(&r, "msg", (int64_t)msg);
	va_start(ap, fmt);
	vsnprintf(r.text, sizeof(r.text), fmt, ap);
	va_end(ap);
	trace_emit(sim_trace(sim), &r);
}

/* The structured fields of a delivery record (docs/trace.md, the sending
 * MTA): NULL strings, a negative pref and zero attempt or code are left
 * out. */
struct mfields {
	const char *host;   /* MX host name */
	const char *label;  /* label of the host at that address */
	const char *addr;   /* the address */
	int pref;           /* MX preference, -1 = none */
	int attempt;        /* delivery attempt number, 0 = none */
	const char *result; /* as an attempt's result: timeout, "451", ... */
	int code;           /* reply code, 0 = none */
	const char *rcpt;   /* recipient, when per recipient */
};

static void mtracef(struct mta *m, const char *type, uint64_t msg,
    const struct mfields *f, const char *fmt, ...) MX_PRINTF(5, 6);

static void
mtracef(struct mta *m, const char *type, uint64_t msg, const struct mfields *f,
    const char *fmt, ...)
{
	struct sim *sim = msim(m);
	struct trace_rec r;
	va_list ap;

	if (!trace_on(sim_trace(sim)))
		return;
	trace_rec_init(&r, sim_now(sim), m->host->name, type, TRACE_MAIN);
	if (msg != 0)
		trace_add_int(&r, "msg", (int64_t)msg);
	if (f->host != NULL)
		trace_add_str(&r, "mx_host", f->host);
	if (f->label != NULL)
		trace_add_str(&r, "label", f->label);
	if (f->addr != NULL)
		trace_add_str(&r, "addr", f->addr);
	if (f->pref >= 0)
		trace_add_int(&r, "pref", f->pref);
	if (f->attempt > 0)
		trace_add_int(&r, "attempt", f->attempt);
	if (f->result != NULL)
		trace_add_str(&r, "result", f->result);
	if (f->code > 0)
		trace_add_int(&r, "code", f->code);
	if (f->rcpt != NULL)
		trace_add_str(&r, "rcpt", f->rcpt);
	va_start(ap, fmt);
	vsnprintf(r.text, sizeof(r.text), fmt, ap);
	va_end(ap);
	trace_emit(sim_trace(sim), &r);
}

/* --- lifecycle ---------------------------------------------------------- */

struct mta *
mta_new(struct net_host *h, const struct mta_params *p)
{
	struct mta *m = mx_xcalloc(1, sizeof(*m));
	struct resolv_params rp = p->res;

	m->host = h;
	m->p = *p;
	rp.timeout = p->prof.dns_timeout;
	rp.attempts = p->prof.dns_attempts;
	m->res = resolv_new(h, &rp);
	smtpcli_set_init(&m->cli);
	sim_rng(h->net->sim, &m->rng, "mx-order/%s", h->name);
	sim_rng(h->net->sim, &m->jit, "retry/%s", h->name);
	m->hash_seed = rng_next(&m->jit);
	hs_init(&m->hs);
	return m;
}

static void
submit_free(struct pending_submit *s)
{
	size_t i;

	for (i = 0; i < s->nto; i++)
		free(s->to[i]);
	free(s->to);
	free(s->from);
	free(s->subject);
	free(s->data);
	free(s);
}

void
mta_free(struct mta *m)
{
	size_t i, j;
	struct pending_submit *s;

	if (m == NULL)
		return;
	for (i = 0; i < m->nmsgs; i++) {
		struct mmsg *g = m->msgs[i];

		for (j = 0; j < g->ngrp; j++)
			free(g->grp[j].job);
		for (j = 0; j < g->nrcpt; j++) {
			free(g->rcpt[j].addr);
			free(g->rcpt[j].att);
		}
		free(g->grp);
		free(g->rcpt);
		free(g->from);
		free(g->data);
		free(g);
	}
	free(m->msgs);
	while ((s = m->subs) != NULL) {
		m->subs = s->next;
		submit_free(s);
	}
	for (i = 0; i < m->ndc; i++)
		free(m->dc[i].wait);
	free(m->dc);
	smtpcli_set_fini(&m->cli);
	resolv_free(m->res);
	hs_fini(&m->hs);
	free(m->ac);
	free(m->await);
	free(m);
}

/* --- results ------------------------------------------------------------ */

size_t
mta_nresults(const struct mta *m)
{
	size_t i, n = 0;

	for (i = 0; i < m->nmsgs; i++)
		n += m->msgs[i]->nrcpt;
	return n;
}

size_t
mta_results(const struct mta *m, struct mta_rcpt_result *out, size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < m->nmsgs; i++) {
		const struct mmsg *g = m->msgs[i];

		for (j = 0; j < g->nrcpt && n < max; j++) {
			const struct mrcpt *r = &g->rcpt[j];

			out[n].msg = g->num;
			out[n].rcpt = r->addr;
			out[n].outcome = r->st;
			out[n].t = r->st == MTA_DEFERRED ? -1 : r->t;
			out[n].via = r->via;
			out[n].reason = r->reason;
			out[n].attempts = r->att;
			out[n].nattempts = r->natt;
			out[n].deliveries = r->deliveries;
			n++;
		}
	}
	return n;
}

/* --- message composition ------------------------------------------------ */

static void
compose(struct mta *m, struct mmsg *g, const char *const *to, size_t nto,
    size_t size, const char *subject)
{
	char date[64], head[2048], subj[256];
	size_t off = 0, i, body, n;
	char *p;

	clock_rfc5322(m->p.epoch, sim_now(msim(m)), date, sizeof(date));
	if (subject != NULL)
		snprintf(subj, sizeof(subj), "%s", subject);
	else
		snprintf(subj, sizeof(subj), "mxsim message %" PRIu64, g->num);
	/* RFC 5322 §3.6: Date and From are required; Message-ID carries
	 * the scenario's message number so receivers can name it. */
	off += (size_t)snprintf(head + off, sizeof(head) - off,
	    "Date: %s\r\nFrom: <%s>\r\nTo: ", date, g->from);
	for (i = 0; i < nto && off < sizeof(head) - 300; i++)
		off += (size_t)snprintf(head + off, sizeof(head) - off,
		    "%s<%s>", i ? ", " : "", to[i]);
	off += (size_t)snprintf(head + off, sizeof(head) - off,
	    "\r\nSubject: %s\r\nMessage-ID: <%" PRIu64 ".%" PRIu64
	    "@%s>\r\n\r\n",
	    subj, g->num, msim(m)->seed, m->p.hostname);
	if (off >= sizeof(head))
		off = sizeof(head) - 1;
	body = size > off ? size - off : 0;
	p = mx_xmalloc(off + body + 128);
	memcpy(p, head, off);
	n = off;
	n += (size_t)snprintf(p + n, 128, "Message %" PRIu64 " of %s.\r\n",
	    g->num, m->p.scenario ? m->p.scenario : "mxsim");
	/* Pad with 78-byte lines up to the requested size. */
	while (n + 80 <= off + body) {
		memset(p + n, 'x', 76);
		p[n + 76] = '\r';
		p[n + 77] = '\n';
		n += 78;
	}
	g->data = p;
	g->size = n;
}

/* --- delivery ------------------------------------------------------------- */

static void group_attempt(struct sim *sim, void *arg);
static void group_start(struct sim *sim, void *arg);
static void group_run(struct group *gr);
static void dconc_release(struct group *gr, bool delivered);
static void job_next_addr(struct job *j);
static void job_next_target(struct job *j);
static struct aconn *aconn_of(struct mta *m, const struct net_addr *a);
static void aconn_wake(struct mta *m);

static const char *
label_of(struct mta *m, const struct net_addr *a, char *buf, size_t len)
{
	const struct net_host *h = net_host_by_addr(m->host->net, a);

	if (h != NULL) {
		snprintf(buf, len, "%s", h->name);
		return buf;
	}
	return net_addr_str(a, buf, len);
}

static void
rcpt_done(struct mrcpt *r, enum mta_outcome st, const char *via,
    const char *reason, sim_time_t t)
{
	r->st = st;
	r->pending = false;
	r->t = t;
	snprintf(r->via, sizeof(r->via), "%s", via ? via : "");
	snprintf(r->reason, sizeof(r->reason), "%s", reason ? reason : "");
}

static void dsn_send(struct mmsg *g);
static void dsn_delayed(struct group *gr, sim_time_t when);
static void session_fields(const struct job *j,
    const struct smtpcli_result *res, struct mfields *f, char *label,
    size_t llen, char *ab, size_t alen, char *result, size_t rlen);
static const char *mem_key(
    const struct job *j, const struct target *t, char *buf, size_t len);

/* True when 'r' belongs to the group and is still waiting for delivery:
 * what a job delivers, a deferral names and a bounce fails. */
static bool
rcpt_waits(const struct group *gr, const struct mrcpt *r)
{
	return r->st == MTA_DEFERRED && dns_name_eq(r->domain, gr->domain);
}

static void
bounce_group(struct group *gr, const char *reason)
{
	struct mmsg *g = gr->msg;
	struct mta *m = g->mta;
	struct mfields f = {.pref = -1, .attempt = gr->tries};
	size_t i;

	for (i = 0; i < g->nrcpt; i++) {
		struct mrcpt *r = &g->rcpt[i];

		if (!rcpt_waits(gr, r))
			continue;
		rcpt_done(r, MTA_BOUNCED, NULL, reason, sim_now(msim(m)));
		r->dsn = true;
		f.rcpt = r->addr;
		mtracef(m, "mta.bounce", g->num, &f,
		    "bounced msg %" PRIu64 " for %s: %s", g->num, r->addr,
		    reason);
	}
	dsn_send(g);
}

static size_t
group_pending(const struct group *gr)
{
	const struct mmsg *g = gr->msg;
	size_t i, n = 0;

	for (i = 0; i < g->nrcpt; i++)
		if (rcpt_waits(gr, &g->rcpt[i]))
			n++;
	return n;
}

/* Records why the group's pending recipients are still pending. */
static void
group_reason(struct group *gr, const char *why)
{
	struct mmsg *g = gr->msg;
	size_t i;

	for (i = 0; i < g->nrcpt; i++)
		if (rcpt_waits(gr, &g->rcpt[i]))
			snprintf(g->rcpt[i].reason, sizeof(g->rcpt[i].reason),
			    "%s", why);
}

/* Postfix qmgr_queue_throttle(): a site-level failure of the final
 * server marks the whole next-hop destination dead for
 * minimal_backoff_time; mail for it is then deferred without a
 * connection.  A job that never connected (suspended, DNS) says nothing
 * about the destination. */
static void
dest_feedback(struct job *j, const char *why)
{
	struct group *gr = j->g;
	struct mta *m = gr->msg->mta;
	const struct hs_entry *e;
	char d[32];

	if (m->p.prof.host_memory != MTA_HMEM_DESTINATION ||
	    j->tried + j->tried_exp == 0 || !j->site_fail ||
	    group_pending(gr) == 0)
		return;
	e = hs_fail(&m->hs, &m->p.prof, gr->domain, sim_now(msim(m)), why);
	mtrace(m, "mta.dead", gr->msg->num,
	    "destination %s marked dead for %s after its final server "
	    "failed: %s",
	    gr->domain, dur_format(e->rs.next - sim_now(msim(m)), d, sizeof(d)),
	    why);
}

/* Puts the group back in the queue until 'when'. */
static void
group_defer(struct group *gr, const char *why, sim_time_t when)
{
	struct mmsg *g = gr->msg;
	struct mta *m = g->mta;
	struct sim *sim = msim(m);
	char d[32], at[32];

	struct mfields f = {.pref = -1, .attempt = gr->tries};

	group_reason(gr, why);
	mtracef(m, "mta.defer", g->num, &f,
	    "deferred msg %" PRIu64 " for %s: %s; next attempt in %s (at %s)",
	    g->num, gr->domain, why,
	    dur_format(when - sim_now(sim), d, sizeof(d)),
	    dur_format_secs(when, at, sizeof(at)));
	gr->retry = sim_at(sim, when, group_attempt, gr);
	dsn_delayed(gr, when);
}

/* dest_concurrency limits delivery attempts per domain (Postfix qmgr);
 * with concurrency_scope = address it limits sessions per address
 * instead (aconn_full()). */
static bool
dconc_domain(const struct mta_profile *p)
{
	return p->dest_concurrency > 0 &&
	       p->concurrency_scope == MTA_CSCOPE_DOMAIN;
}

/* The concurrency record of a destination, made on first use. */
static struct dconc *
dconc_of(struct mta *m, const char *domain)
{
	const struct mta_profile *p = &m->p.prof;
	struct dconc *d;
	size_t i;
	void *a;

	for (i = 0; i < m->ndc; i++)
		if (dns_name_eq(m->dc[i].domain, domain))
			return &m->dc[i];
	a = m->dc;
	mx_grow(&a, &m->capdc, m->ndc + 1, sizeof(*m->dc));
	m->dc = a;
	d = &m->dc[m->ndc++];
	memset(d, 0, sizeof(*d));
	snprintf(d->domain, sizeof(d->domain), "%s", domain);
	d->window = p->dest_concurrency_init > 0 &&
	                    p->dest_concurrency_init < p->dest_concurrency
	                ? p->dest_concurrency_init
	                : p->dest_concurrency;
	return d;
}

/* True when a delivery attempt to the group's domain may start now;
 * otherwise the group waits for a slot (Postfix qmgr: a destination's
 * jobs beyond its concurrency window stay in the active queue). */
static bool
dconc_take(struct group *gr)
{
	struct mta *m = gr->msg->mta;
	struct dconc *d;
	size_t i;
	void *a;

	if (!dconc_domain(&m->p.prof))
		return true;
	d = dconc_of(m, gr->domain);
	if (d->active < d->window) {
		d->active++;
		return true;
	}
	for (i = 0; i < d->nwait; i++)
		if (d->wait[i] == gr)
			return false;
	a = d->wait;
	mx_grow(&a, &d->capwait, d->nwait + 1, sizeof(*d->wait));
	d->wait = a;
	d->wait[d->nwait++] = gr;
	mtrace(m, "mta.wait", gr->msg->num,
	    "msg %" PRIu64 " for %s waits: %d deliveries in progress "
	    "(concurrency window %d)",
	    gr->msg->num, gr->domain, d->active, d->window);
	return false;
}

/* A job to the group's domain is over: its slot goes to the groups
 * waiting, in order.  A delivery widens the window by one up to
 * dest_concurrency (Postfix's positive feedback, from
 * initial_destination_concurrency). */
static void
dconc_release(struct group *gr, bool delivered)
{
	struct mta *m = gr->msg->mta;
	struct dconc *d;

	if (!dconc_domain(&m->p.prof))
		return;
	d = dconc_of(m, gr->domain);
	d->active--;
	if (delivered && d->window < m->p.prof.dest_concurrency)
		d->window++;
	while (d->nwait > 0 && d->active < d->window) {
		struct group *w = d->wait[0];

		memmove(d->wait, d->wait + 1, --d->nwait * sizeof(*d->wait));
		/* After this event: the job that ended is still unwinding. */
		d->active++;
		w->retry = sim_after(msim(m), 0, group_start, w);
	}
}

/* Exim's retry cutoffs apply: retry rules, kept per IP address. */
static bool
exim_cutoff(const struct mta_profile *p)
{
	return p->schedule == MTA_SCHED_EXIM &&
	       p->host_memory == MTA_HMEM_ADDRESS && p->nrules > 0;
}

/* retry.c ultimate_address_timeout(): the first instant at which the
 * message, queued at 'queued', is older than the last rule's cutoff
 * ("now - received_time > last_rule->timeout", whole seconds). */
static sim_time_t
exim_ultimate(const struct mta_profile *p, sim_time_t queued)
{
	return mta_sched_secs(queued) + p->rules[p->nrules - 1].cutoff +
	       SIM_S(1);
}

/* The next attempt 'when', or the queue run at which the message's age
 * passes the last cutoff if that is sooner: from then on its hosts are
 * tried whatever their retry times (retry.c retry_check_address()). */
static sim_time_t
exim_when(const struct mta_profile *p, const struct mmsg *g, sim_time_t when)
{
	sim_time_t u = mta_sched_grid(p, exim_ultimate(p, g->queued));

	return u > sim_now(msim(g->mta)) && u < when ? u : when;
}

/*
 * The end of a job of an Exim sender that tried or skipped an address
 * (mta-behavior.md §2.3 item 8, §3.3; transports/smtp.c, retry.c
 * retry_update()).  False when neither happened (DNS): job_end()'s
 * general path decides.
 *  - Every address skipped, each past its last cutoff: the smtp
 *    transport fails the address, "all hosts ... have been failing for a
 *    long time" (delay_after_cutoff = false gets here only when the
 *    second pass found none not tried since the message arrived).
 *  - Addresses tried, all failed, each retry item timed out (its record
 *    past the last cutoff, or the message older than it and queued
 *    before the first failure) and none skipped before its retry time or
 *    left out by hosts_max_try: "retry timeout exceeded".
 *  - Otherwise deferred, at the latest until the message is older than
 *    the last cutoff.
 */
static bool
exim_end(struct job *j, const char *why)
{
	struct group *gr = j->g;
	struct mmsg *g = gr->msg;
	struct mta *m = g->mta;
	const struct mta_profile *pr = &m->p.prof;
	bool none = j->tried + j->tried_exp == 0;
	sim_time_t when;
	char d[32], reason[400];

	if (none && j->skipped + j->skipped_exp == 0)
		return false;
	if (none && j->skipped == 0 && !j->limited) {
		snprintf(reason, sizeof(reason),
		    "5.4.7 all hosts for '%s' have been failing for a long "
		    "time %s",
		    gr->domain,
		    pr->delay_after_cutoff ? "(and retry time not reached)"
		                           : "and were last tried after this "
		                             "message arrived");
		bounce_group(gr, reason);
		return true;
	}
	if (none) {
		/* Waiting for the first retry time; no record of its own. */
		group_defer(
		    gr, why, exim_when(pr, g, mta_sched_grid(pr, j->min_next)));
		return true;
	}
	(void)mta_sched_fail(
	    pr, g->queued, sim_now(msim(m)), &gr->rs, &m->jit, &when);
	if (!j->live && j->skipped == 0 && !j->limited) {
		snprintf(reason, sizeof(reason),
		    "5.4.7 retry timeout exceeded after %d failed attempt%s "
		    "over %s (last error: %.200s)",
		    gr->rs.nfail, gr->rs.nfail == 1 ? "" : "s",
		    dur_format(sim_now(msim(m)) - g->queued, d, sizeof(d)),
		    why);
		bounce_group(gr, reason);
		return true;
	}
	group_defer(gr, why, exim_when(pr, g, when));
	return true;
}

/* The job is over: settle what is left. */
static void
job_end(struct job *j, const char *why)
{
	struct group *gr = j->g;
	struct mmsg *g = gr->msg;
	struct mta *m = g->mta;
	struct sim *sim = msim(m);
	const struct mta_profile *pr = &m->p.prof;
	sim_time_t age, when;
	char d[32], reason[300];

	gr->job = NULL;
	dest_feedback(j, why);
	/* Postfix qmgr_feedback: positive feedback after a session that
	 * did not fail at site level. */
	dconc_release(gr, j->tried + j->tried_exp > 0 && !j->site_fail);
	if (group_pending(gr) == 0) {
		free(j);
		return;
	}
	if (exim_cutoff(pr) && !j->hold && exim_end(j, why)) {
		free(j);
		return;
	}
	age = sim_now(sim) - g->queued;
	if (age >= pr->give_up) {
		snprintf(reason, sizeof(reason),
		    "4.4.7 message expired after %s in the queue "
		    "(last error: %s)",
		    dur_format(age, d, sizeof(d)), why);
		bounce_group(gr, reason);
	} else if (j->hold) {
		struct mfields f = {.pref = -1, .attempt = gr->tries};

		group_reason(gr, why);
		mtracef(m, "mta.defer", g->num, &f,
		    "frozen msg %" PRIu64 " for %s: %s; no further "
		    "attempt",
		    g->num, gr->domain, why);
	} else if (j->tried == 0 && j->skipped > 0) {
		/* Exim: every address is waiting for its retry time; the
		 * message waits for the first of them, without a record of
		 * its own. */
		group_defer(gr, why, mta_sched_grid(pr, j->min_next));
	} else if (mta_sched_fail(
	               pr, g->queued, sim_now(sim), &gr->rs, &m->jit, &when)) {
		snprintf(reason, sizeof(reason),
		    "%s after %d failed attempt%s over %s (last error: %s)",
		    pr->max_attempts > 0 && gr->rs.nfail >= pr->max_attempts
		        ? "5.4.7 too many temporary failures"
		        : "5.4.7 retry timeout exceeded",
		    gr->rs.nfail, gr->rs.nfail == 1 ? "" : "s",
		    dur_format(age, d, sizeof(d)), why);
		bounce_group(gr, reason);
	} else
		group_defer(gr, why, when);
	free(j);
}

/* The address families the sender can use, from its own addresses
 * (getaddrinfo's AI_ADDRCONFIG): AAAA is asked only by an IPv6 host. */
static bool
can_use(const struct mta *m, uint8_t family)
{
	return net_host_addr_of(m->host, family) != NULL;
}

/* A uniform Fisher-Yates shuffle of v[0, n), drawing from the last
 * element down (the order of draws is part of a run's determinism). */
static void
targets_shuffle(struct rng *rng, struct target *v, size_t n)
{
	size_t k;

	for (k = n > 0 ? n - 1 : 0; k > 0; k--) {
		size_t r = (size_t)rng_below(rng, k + 1);
		struct target t = v[k];

		v[k] = v[r];
		v[r] = t;
	}
}

/* Exim host.c set_address_from_dns(): each address of a host gets the
 * key pref*1000 + random(500) (+500 for A), so the addresses of one
 * family come in random order (mta-behavior.md §2.3 item 3): a uniform
 * shuffle of each run of one family. */
static void
shuffle_families(struct mta *m, struct target *v, size_t n)
{
	size_t a = 0, b;

	while (a < n) {
		for (b = a + 1; b < n && v[b].addr.family == v[a].addr.family;
		     b++)
			;
		targets_shuffle(&m->rng, &v[a], b - a);
		a = b;
	}
}

/* Orders the addresses [from, nt) of one MX host by the profile's
 * family preference. */
static void
order_families(struct job *j, size_t from)
{
	struct mta *m = j->g->msg->mta;
	enum mta_aorder o = m->p.prof.address_order;
	size_t n = j->nt - from, i, k;
	struct target *v = &j->t[from];

	if (n < 2)
		return;
	if (o == MTA_AORDER_RANDOM) {
		/* Uniform shuffle of the host's addresses (Postfix
		 * smtp_address_preference = any). */
		targets_shuffle(&m->rng, v, n);
		return;
	}
	/* A stable partition: the preferred family first, each family in
	 * the order the resolver gave it. */
	for (i = 1; i < n; i++) {
		struct target t = v[i];
		bool first =
		    t.addr.family ==
		    (o == MTA_AORDER_IPV6_FIRST ? NET_AF_INET6 : NET_AF_INET);

		for (k = i;
		     k > 0 && first && v[k - 1].addr.family != t.addr.family;
		     k--)
			v[k] = v[k - 1];
		v[k] = t;
	}
	if (m->p.prof.shuffle_in_family)
		shuffle_families(m, v, n);
}

/* The longest CNAME chain a sender follows (Postfix dns_lookup.c stops
 * after 10; 8 is common resolver practice). */
#define CNAME_HOPS_MAX 8

/* Follows the CNAMEs of 'from' inside an answer into 'to', adding them
 * to '*hops'.  The limit holds for the whole lookup: a chain may span
 * several answers when it leaves a server's zones, and a server may put
 * a long chain (or a loop, RFC 1034 §3.6.2: "an error") into one answer.
 * False when the chain is longer than CNAME_HOPS_MAX links. */
static bool
chase_links(const struct resolv_answer *a, const char *from, int *hops,
    char *to, size_t len)
{
	int n = 0;

	snprintf(to, len, "%s", from);
	if (a->msg != NULL &&
	    (a->status == RESOLV_OK || a->status == RESOLV_CNAME))
		n = dns_msg_chase(
		    a->msg, from, CNAME_HOPS_MAX - *hops, to, len);
	if (n < 0)
		return false;
	*hops += n;
	return true;
}

/* Starts resolving the MX host at j->mx_i for its first family. */
static void
host_begin(struct job *j)
{
	struct mta *m = j->g->msg->mta;

	j->want6 = can_use(m, NET_AF_INET6);
	j->host_start = j->nt;
	j->host_hops = 0;
	if (j->mx_i < j->nmx)
		snprintf(j->hq, sizeof(j->hq), "%s", j->mx[j->mx_i].host);
}

/* The current MX host is resolved for one family: the other family, or
 * the next host. */
static void
host_family_done(struct job *j)
{
	struct mta *m = j->g->msg->mta;

	if (j->want6 && can_use(m, NET_AF_INET)) {
		j->want6 = false; /* then A for the same host */
		j->host_hops = 0;
		snprintf(j->hq, sizeof(j->hq), "%s", j->mx[j->mx_i].host);
	} else {
		order_families(j, j->host_start);
		j->mx_i++;
		host_begin(j);
	}
	job_next_addr(j);
}

static void
on_addr(void *ctx, const struct resolv_answer *a)
{
	struct job *j = ctx;
	struct mta *m = j->g->msg->mta;
	const struct mx_entry *e = &j->mx[j->mx_i];
	uint16_t type = j->want6 ? DNS_T_AAAA : DNS_T_A;
	char list[512], tn[DNS_TYPE_STRLEN], owner[DNS_NAME_MAX], via[300];
	const char *tname;
	size_t i, off = 0, found = 0;
	bool chained;

	j->dns = 0;
	list[0] = '\0';
	via[0] = '\0';
	tname = dns_type_name(type, tn, sizeof(tn));
	chained = chase_links(a, j->hq, &j->host_hops, owner, sizeof(owner));
	if (!chained || a->status == RESOLV_CNAME || j->host_hops > 0) {
		/* The MX host is an alias.  RFC 2181 §10.3 forbids it to the
		 * zone; what the sender does is its own choice. */
		if (m->p.prof.mx_cname == MTA_CNAME_REFUSE) {
			mtrace(m, "mta.addr", j->g->msg->num,
			    "%s %s: an alias (CNAME) of %s, refused "
			    "(mx_cname = refuse, RFC 2181 §10.3)",
			    tname, e->host, owner);
			host_family_done(j);
			return;
		}
		if (!chained) {
			j->soft_dns = true;
			mtrace(m, "mta.addr", j->g->msg->num,
			    "%s %s: CNAME chain longer than %d links", tname,
			    e->host, CNAME_HOPS_MAX);
			host_family_done(j);
			return;
		}
		if (a->status == RESOLV_CNAME) {
			/* Only the alias came back: ask again at its target,
			 * as getaddrinfo() would. */
			snprintf(j->hq, sizeof(j->hq), "%s", owner);
			j->dns = resolv_query(m->res, j->hq, type, on_addr, j);
			return;
		}
		snprintf(via, sizeof(via), " (via CNAME %s)", owner);
	}
	if (a->status == RESOLV_OK) {
		for (i = 0; i < a->msg->nan && j->nt < TARGET_MAX; i++) {
			const struct dns_rr *rr = &a->msg->an[i];
			struct target *t;

			if (rr->type != type || !dns_name_eq(rr->name, owner))
				continue;
			t = &j->t[j->nt++];
			t->pref = e->pref;
			memcpy(t->host, e->host, sizeof(t->host));
			memset(&t->addr, 0, sizeof(t->addr));
			if (type == DNS_T_A) {
				t->addr.family = NET_AF_INET;
				memcpy(t->addr.b, rr->rd.a, 4);
			} else {
				t->addr.family = NET_AF_INET6;
				memcpy(t->addr.b, rr->rd.aaaa, 16);
			}
			found++;
			if (off < sizeof(list) - NET_ADDR_STRLEN - 4) {
				char b[NET_ADDR_STRLEN];

				off += (size_t)snprintf(list + off,
				    sizeof(list) - off, "%s%s",
				    found > 1 ? ", " : "",
				    net_addr_str(&t->addr, b, sizeof(b)));
			}
		}
		mtrace(m, "mta.addr", j->g->msg->num, "%s %s%s: %s", tname,
		    e->host, via, list);
	} else if (a->status == RESOLV_NXDOMAIN || a->status == RESOLV_NODATA) {
		/* An IPv6-capable sender often meets MX hosts without AAAA:
		 * that is ordinary, say it at the detail level only. */
		if (type == DNS_T_A || !can_use(m, NET_AF_INET))
			mtrace(m, "mta.addr", j->g->msg->num, "%s %s%s: %s",
			    tname, e->host, via,
			    a->status == RESOLV_NXDOMAIN
			        ? "nxdomain, no such host"
			        : "nodata, no address of this family");
	} else {
		j->soft_dns = true;
		mtrace(m, "mta.addr", j->g->msg->num,
		    "%s %s%s: lookup failed (%s)", tname, e->host, via,
		    resolv_status_name(a->status));
	}
	host_family_done(j);
}

/* The text of a name in presentation form with the escapes of RFC 1035
 * §5.1 undone: the codec writes an IPv6 literal exchange, one label, as
 * "2001\058db8\058\05810".  False when it does not fit or holds a NUL. */
static bool
name_text(const char *s, char *out, size_t len)
{
	size_t n = 0;

	while (*s != '\0') {
		int c = (unsigned char)*s++;

		if (c == '\\' && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' &&
		    s[1] <= '9' && s[2] >= '0' && s[2] <= '9') {
			c = (s[0] - '0') * 100 + (s[1] - '0') * 10 +
			    (s[2] - '0');
			s += 3;
		} else if (c == '\\' && *s != '\0') {
			c = (unsigned char)*s++;
		}
		if (c == 0 || c > 255 || n + 1 >= len)
			return false;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return true;
}

/* An MX exchange written as an address ("10 192.0.2.25", or an IPv6
 * address as one label): RFC 5321 §5.1 wants a name; Postfix uses the
 * address (with a warning, smtp_addr.c smtp_addr_one()), Exim treats it
 * as a host that does not exist (allow_mx_to_ip = false).  True when the
 * current MX host was such a literal and has been dealt with. */
static bool
host_literal(struct job *j)
{
	struct mta *m = j->g->msg->mta;
	const struct mx_entry *e = &j->mx[j->mx_i];
	struct net_addr lit;
	char text[DNS_NAME_MAX];

	if (!name_text(e->host, text, sizeof(text)) ||
	    !net_addr_parse(text, &lit))
		return false;
	if (m->p.prof.mx_ip_literal == MTA_IPLIT_REJECT) {
		mtrace(m, "mta.addr", j->g->msg->num,
		    "MX host %s is an IP address, not a name: skipped "
		    "(mx_ip_literal = reject)",
		    text);
	} else if (!can_use(m, lit.family)) {
		mtrace(m, "mta.addr", j->g->msg->num,
		    "MX host %s is an IP address of a family this sender "
		    "lacks: skipped",
		    text);
	} else if (j->nt < TARGET_MAX) {
		struct target *t = &j->t[j->nt++];

		t->pref = e->pref;
		snprintf(t->host, sizeof(t->host), "%s", text);
		t->addr = lit;
		mtrace(m, "mta.addr", j->g->msg->num,
		    "MX host %s is an IP address: used as one "
		    "(mx_ip_literal = accept)",
		    text);
	}
	j->mx_i++;
	host_begin(j);
	return true;
}

/* RFC 5321 §5.1: a sender that is itself one of the MX hosts discards
 * its own preference and every worse one, matching by address as
 * Postfix's smtp_find_self() does.  Returns false when the job has been
 * ended here. */
static bool
drop_self(struct job *j)
{
	struct group *gr = j->g;
	struct mta *m = gr->msg->mta;
	uint16_t self = UINT16_MAX, best = UINT16_MAX;
	size_t i, n = 0;
	char why[400];

	for (i = 0; i < j->nt; i++)
		if (net_host_by_addr(m->host->net, &j->t[i].addr) == m->host &&
		    j->t[i].pref < self)
			self = j->t[i].pref;
	if (self == UINT16_MAX)
		return true;
	for (i = 0; i < j->nt; i++)
		if (j->t[i].pref < self)
			j->t[n++] = j->t[i];
	mtrace(m, "mta.mx", gr->msg->num,
	    "this host is an MX of %s (pref %u): MX hosts of pref %u and "
	    "worse are dropped (RFC 5321 §5.1), %zu address%s left",
	    gr->domain, self, self, n, n == 1 ? "" : "es");
	j->nt = n;
	if (n > 0)
		return true;
	for (i = 0; i < j->nmx; i++)
		if (j->mx[i].pref < best)
			best = j->mx[i].pref;
	if (best < self) {
		/* Better MX hosts exist, but none has an address now:
		 * Postfix defers (4.4.4). */
		snprintf(why, sizeof(why),
		    "4.4.4 unable to find primary relay for %s", gr->domain);
		job_end(j, why);
		return false;
	}
	if (m->p.prof.mx_self == MTA_SELF_FREEZE) {
		snprintf(why, sizeof(why),
		    "the local host is the best MX for %s (mx_self = freeze)",
		    gr->domain);
		j->hold = true;
		job_end(j, why);
		return false;
	}
	snprintf(why, sizeof(why), "5.4.6 mail for %s loops back to myself",
	    gr->domain);
	bounce_group(gr, why);
	job_end(j, "loops back to myself");
	return false;
}

/* Postfix smtp_addr.c: dns_rr_shuffle() of the whole address list, then
 * a stable sort by preference: addresses of equal-preference hosts end up
 * interleaved at random (smtp_randomize_addresses = yes). */
static void
shuffle_addresses(struct job *j)
{
	struct mta *m = j->g->msg->mta;
	enum mta_pref po = m->p.prof.pref_order;
	size_t i, k;

	if (m->p.prof.equal_pref != MTA_ORDER_PER_ADDRESS || j->nt < 2)
		return;
	targets_shuffle(&m->rng, j->t, j->nt);
	if (po == MTA_PREF_ANSWER)
		return;
	for (i = 1; i < j->nt; i++) {
		struct target t = j->t[i];

		for (k = i; k > 0 && (po == MTA_PREF_ASCENDING
		                             ? j->t[k - 1].pref > t.pref
		                             : j->t[k - 1].pref < t.pref);
		     k--)
			j->t[k] = j->t[k - 1];
		j->t[k] = t;
	}
}

/* Postfix smtp_addr.c smtp_balance_inet_proto() (smtp_balance_inet_
 * protocols = yes, Postfix >= 3.3; mta-behavior.md §2.2 item 6): when
 * the list holds both families and more than smtp_mx_address_limit
 * addresses, one family must not crowd out the other.  A family with at
 * most L/2 addresses keeps them all and the other gets the rest of L;
 * otherwise each gets about half, the odd one going to the family of
 * the first address.  The first addresses of each family are kept, the
 * list order is unchanged. */
static void
balance_families(struct job *j)
{
	const struct mta_profile *p = &j->g->msg->mta->p.prof;
	int lim = p->max_addresses, n4 = 0, n6 = 0, t4, t6;
	size_t i, o;

	if (!p->balance_families || lim <= 0)
		return;
	for (i = 0; i < j->nt; i++) {
		if (j->t[i].addr.family == NET_AF_INET)
			n4++;
		else
			n6++;
	}
	if (n4 == 0 || n6 == 0 || n4 + n6 <= lim)
		return;
	if (n6 <= lim / 2) {
		t6 = n6;
		t4 = lim - t6;
	} else if (n4 <= lim / 2) {
		t4 = n4;
		t6 = lim - t4;
	} else {
		t4 = (lim + (j->t[0].addr.family == NET_AF_INET)) / 2;
		t6 = lim - t4;
	}
	for (i = 0, o = 0; i < j->nt; i++) {
		int *left = j->t[i].addr.family == NET_AF_INET ? &t4 : &t6;

		if (*left > 0) {
			j->t[o++] = j->t[i];
			(*left)--;
		}
	}
	mtrace(j->g->msg->mta, "mta.mx", j->g->msg->num,
	    "%d IPv4 and %d IPv6 addresses for %s: %zu kept, both families "
	    "within the address limit (balance_families)",
	    n4, n6, j->g->domain, o);
	j->nt = o;
}

static void
job_next_addr(struct job *j)
{
	struct mta *m = j->g->msg->mta;

	while (j->mx_i < j->nmx && host_literal(j))
		;
	if (j->mx_i < j->nmx) {
		j->dns = resolv_query(
		    m->res, j->hq, j->want6 ? DNS_T_AAAA : DNS_T_A, on_addr, j);
		return;
	}
	shuffle_addresses(j);
	if (!drop_self(j))
		return;
	balance_families(j);
	if (j->nt == 0) {
		if (j->soft_dns) {
			job_end(j, "4.4.3 no MX host address could be looked "
			           "up");
			return;
		}
		if (m->p.prof.no_address == MTA_DNSACT_DEFER) {
			/* OpenSMTPD dns.c: DNS_ENOTFOUND is a TEMPFAIL. */
			job_end(j, "4.4.4 No MX found for domain");
			return;
		}
		/* RFC 5321 §5.1: MX present but none usable is an error. */
		bounce_group(j->g, "5.4.4 no MX host of the domain has an "
		                   "address");
		job_end(j, "no MX host has an address");
		return;
	}
	job_next_target(j);
}

/* Bounces a domain with a null MX, in the words the profile uses:
 * RFC 7505 §4 (556, X.1.10) or Postfix smtp_addr.c (5.1.0 "Domain ...
 * does not accept mail (nullMX)", mta-behavior.md §2.1). */
static void
null_mx_bounce(struct group *gr)
{
	char why[400];

	if (gr->msg->mta->p.prof.null_mx_reply == MTA_NMXREPLY_POSTFIX)
		snprintf(why, sizeof(why),
		    "5.1.0 Domain %s does not accept mail (nullMX)",
		    gr->domain);
	else
		snprintf(why, sizeof(why),
		    "556 5.1.10 Recipient address has "
		    "null MX (RFC 7505)");
	bounce_group(gr, why);
}

static void
on_mx(void *ctx, const struct resolv_answer *a)
{
	struct job *j = ctx;
	struct group *gr = j->g;
	struct mta *m = gr->msg->mta;
	uint64_t num = gr->msg->num;
	char list[1024], name[DNS_NAME_MAX];
	size_t i, off = 0;

	j->dns = 0;
	snprintf(name, sizeof(name), "%s", j->qname);
	switch (a->status) {
	case RESOLV_CNAME:
	case RESOLV_OK:
		if (!chase_links(
		        a, j->qname, &j->mx_hops, name, sizeof(name))) {
			mtrace(m, "mta.mx", num,
			    "MX %s: CNAME chain longer than %d links",
			    gr->domain, CNAME_HOPS_MAX);
			job_end(j, "4.4.3 CNAME chain too long");
			return;
		}
		if (a->status == RESOLV_CNAME) {
			/* RFC 5321 §5.1: an alias is processed "as if it were
			 * the initial name".  The answer ends at a name
			 * without MX (outside the server's zones, or with
			 * none): ask for the MX of that name, as Postfix
			 * dns_lookup() does on DNS_RECURSE. */
			mtrace(m, "mta.mx", num,
			    "MX %s: an alias (CNAME) of %s, asking its MX",
			    j->qname, name);
			snprintf(j->qname, sizeof(j->qname), "%s", name);
			j->dns =
			    resolv_query(m->res, j->qname, DNS_T_MX, on_mx, j);
			return;
		}
		j->nmx = mx_collect(a->msg, j->qname, j->mx, MX_LIST_MAX);
		if (j->nmx == 0)
			goto nodata; /* a CNAME without MX at its target */
		if (mx_is_null(j->mx, j->nmx, m->p.prof.null_mx)) {
			mtrace(m, "mta.mx", num,
			    "MX %s: null MX (\"MX 0 .\"), the domain accepts "
			    "no mail",
			    gr->domain);
			null_mx_bounce(gr);
			job_end(j, "null MX");
			return;
		}
		j->nmx = mx_arrange(
		    j->mx, j->nmx, &m->p.prof, &m->rng, m->hash_seed);
		list[0] = '\0';
		for (i = 0; i < j->nmx && off < sizeof(list) - 300; i++)
			off += (size_t)snprintf(list + off, sizeof(list) - off,
			    "%s%u %s", i ? ", " : "", j->mx[i].pref,
			    j->mx[i].host);
		if (dns_name_eq(name, gr->domain))
			mtrace(m, "mta.mx", num, "MX %s: %s", gr->domain, list);
		else
			mtrace(m, "mta.mx", num, "MX %s (via CNAME %s): %s",
			    gr->domain, name, list);
		if (j->nmx == 0) {
			bounce_group(gr, "5.4.4 no usable MX host");
			job_end(j, "no usable MX host");
			return;
		}
		break;
	case RESOLV_NODATA:
	nodata:
		if (!m->p.prof.implicit_mx) {
			mtrace(m, "mta.mx", num,
			    "MX %s: no MX record, and this sender uses no "
			    "implicit MX",
			    gr->domain);
			bounce_group(gr, "5.4.4 no MX record for the domain");
			job_end(j, "no MX record");
			return;
		}
		/* RFC 5321 §5.1: the domain itself (the alias's target when
		 * there was one), preference 0. */
		mtrace(m, "mta.mx", num,
		    "MX %s: no MX record, implicit MX: %s itself", gr->domain,
		    name);
		j->nmx = 1;
		j->mx[0].pref = 0;
		snprintf(j->mx[0].host, sizeof(j->mx[0].host), "%s", name);
		break;
	case RESOLV_NXDOMAIN:
		mtrace(m, "mta.mx", num,
		    "MX %s: NXDOMAIN, the domain does "
		    "not exist",
		    gr->domain);
		bounce_group(gr, "5.1.2 the recipient's domain does not exist "
		                 "(NXDOMAIN)");
		job_end(j, "NXDOMAIN");
		return;
	default: {
		char why[400];
		bool soft = a->status == RESOLV_SERVFAIL ||
		            a->status == RESOLV_TIMEOUT ||
		            a->status == RESOLV_UNREACHABLE;
		enum mta_dnsact act =
		    soft ? m->p.prof.mx_servfail : m->p.prof.mx_norecovery;

		if (act == MTA_DNSACT_IMPLICIT) {
			/* Sendmail getmxrr() "punts" on NO_RECOVERY; the
			 * timeout-means-no-mx bug (postal #2833) does it on a
			 * timeout. */
			mtrace(m, "mta.mx", num,
			    "MX %s: lookup failed (%s), taken as no MX record",
			    gr->domain, resolv_status_name(a->status));
			goto nodata;
		}
		mtrace(m, "mta.mx", num, "MX %s: lookup failed (%s)",
		    gr->domain, resolv_status_name(a->status));
		if (act == MTA_DNSACT_BOUNCE) {
			/* Postfix DNS_FAIL: 5.4.3, OpenSMTPD DNS_EINVAL. */
			snprintf(why, sizeof(why),
			    "5.4.3 MX lookup for %s failed for good (%s)",
			    gr->domain, resolv_status_name(a->status));
			bounce_group(gr, why);
			job_end(j, why);
			return;
		}
		snprintf(why, sizeof(why), "4.4.3 MX lookup for %s failed (%s)",
		    gr->domain, resolv_status_name(a->status));
		job_end(j, why);
		return;
	}
	}
	j->mx_i = 0;
	host_begin(j);
	job_next_addr(j);
}

static void
group_attempt(struct sim *sim, void *arg)
{
	struct group *gr = arg;

	(void)sim;
	gr->retry.id = 0;
	if (group_pending(gr) == 0 || gr->job != NULL || !dconc_take(gr))
		return;
	group_run(gr);
}

/* A waiting group got its slot (taken for it by dconc_release()). */
static void
group_start(struct sim *sim, void *arg)
{
	struct group *gr = arg;

	(void)sim;
	gr->retry.id = 0;
	if (group_pending(gr) == 0 || gr->job != NULL) {
		dconc_release(gr, false);
		return;
	}
	group_run(gr);
}

/* Starts a delivery attempt of the group: a job. */
static void
group_run(struct group *gr)
{
	struct mta *m = gr->msg->mta;
	const struct hs_entry *e;
	struct job *j;
	size_t i;

	gr->tries++;
	for (i = 0; i < gr->msg->nrcpt; i++)
		if (rcpt_waits(gr, &gr->msg->rcpt[i]))
			gr->msg->rcpt[i].deliveries++;
	if (gr->tries > 1)
		mtrace(m, "mta.retry", gr->msg->num,
		    "delivery attempt %d for msg %" PRIu64 " to %s", gr->tries,
		    gr->msg->num, gr->domain);
	j = mx_xcalloc(1, sizeof(*j));
	j->g = gr;
	gr->job = j;
	if (m->p.prof.host_memory == MTA_HMEM_DESTINATION &&
	    (e = hs_blocked(&m->hs, gr->domain, sim_now(msim(m)))) != NULL) {
		char why[400], at[32];

		/* Postfix qmgr: a dead destination's mail is deferred by the
		 * queue manager itself, no lookup, no connection. */
		mtrace(m, "mta.suspended", gr->msg->num,
		    "destination %s is dead until %s: msg %" PRIu64
		    " deferred without a connection",
		    gr->domain, dur_format_secs(e->rs.next, at, sizeof(at)),
		    gr->msg->num);
		snprintf(why, sizeof(why),
		    "4.4.1 delivery temporarily suspended: %.300s", e->why);
		job_end(j, why);
		return;
	}
	snprintf(j->qname, sizeof(j->qname), "%s", gr->domain);
	j->dns = resolv_query(m->res, j->qname, DNS_T_MX, on_mx, j);
}

/* A failure of the host rather than of the message (Postfix site
 * failures, Exim host errors): no connection, or a failure before MAIL. */
static bool
site_failure(const struct smtpcli_result *res)
{
	switch (res->end) {
	case SMTPCLI_CONNECT_TIMEOUT:
	case SMTPCLI_REFUSED:
	case SMTPCLI_UNREACHABLE:
		return true;
	case SMTPCLI_DROPPED:
	case SMTPCLI_TIMEOUT:
	case SMTPCLI_REPLY:
		return res->phase == SMTP_PHASE_GREETING ||
		       res->phase == SMTP_PHASE_EHLO;
	default:
		return false;
	}
}

/* retry.c retry_update(): a host retry item times out when its record
 * is past the last cutoff, or when the message is older than that
 * cutoff and was queued no later than the host's first failure. */
static bool
item_timed_out(const struct job *j, const struct hs_entry *e)
{
	const struct mta_profile *p = &j->g->msg->mta->p.prof;
	sim_time_t q = mta_sched_secs(j->g->msg->queued);

	if (!exim_cutoff(p))
		return false;
	return e->expired ||
	       (q <= e->rs.first && sim_now(msim(j->g->msg->mta)) >=
	                                exim_ultimate(p, j->g->msg->queued));
}

/* Per-host memory after a session: a site failure is remembered, a
 * session that got through the greeting clears the record. */
static void
host_feedback(struct job *j, const struct smtpcli_result *res)
{
	struct mta *m = j->g->msg->mta;
	const struct target *t = &j->t[j->t_i];
	const struct hs_entry *e;
	char key[DNS_NAME_MAX], d[32];

	if (m->p.prof.host_memory == MTA_HMEM_DESTINATION &&
	    res->end == SMTPCLI_DELIVERED)
		hs_ok(&m->hs, j->g->domain);
	if (mem_key(j, t, key, sizeof(key)) == NULL)
		return;
	if (m->p.prof.host_memory == MTA_HMEM_ROUTE && res->ehlo_ok)
		hs_route_ready(&m->hs, key);
	if (!j->site_fail) {
		/* A message error: its host+message record does not time
		 * the address out here. */
		j->live = true;
		if (res->greeted && m->p.prof.host_memory != MTA_HMEM_ROUTE)
			hs_ok(&m->hs, key);
		return;
	}
	e = hs_fail(&m->hs, &m->p.prof, key, sim_now(msim(m)), j->last);
	if (!item_timed_out(j, e))
		j->live = true;
	if (m->p.prof.host_memory == MTA_HMEM_ROUTE && e->validated) {
		mtrace(m, "mta.hostmem", j->g->msg->num,
		    "%s [%s]: failure not penalised, the route is no longer "
		    "new (a session reached READY on it)",
		    t->host, key);
		return;
	}
	mtrace(m, "mta.hostmem", j->g->msg->num,
	    "%s [%s]: failure %d remembered (%s), not tried for %s", t->host,
	    key, e->rs.nfail, mta_hmem_name(m->p.prof.host_memory),
	    dur_format(e->rs.next - sim_now(msim(m)), d, sizeof(d)));
}

/* The result word of a session that ended without a reply to report
 * (docs/trace.md attempt results), or NULL when a code says it. */
static const char *
end_word(enum smtpcli_end end)
{
	switch (end) {
	case SMTPCLI_CONNECT_TIMEOUT:
	case SMTPCLI_TIMEOUT:
		return "timeout";
	case SMTPCLI_REFUSED:
		return "refused";
	case SMTPCLI_UNREACHABLE:
		return "unreachable";
	case SMTPCLI_DROPPED:
		return "dropped";
	default:
		return NULL;
	}
}

/* The fields of a record about the session at j->t_i: the target, and
 * the session's result as an attempt would record it. */
static void
session_fields(const struct job *j, const struct smtpcli_result *res,
    struct mfields *f, char *label, size_t llen, char *ab, size_t alen,
    char *result, size_t rlen)
{
	struct mta *m = j->g->msg->mta;
	const struct target *t = &j->t[j->t_i];

	memset(f, 0, sizeof(*f));
	f->host = t->host;
	f->label = label_of(m, &t->addr, label, llen);
	f->addr = net_addr_str(&t->addr, ab, alen);
	f->pref = t->pref;
	f->attempt = j->g->tries;
	f->result = result;
	if (end_word(res->end) != NULL)
		snprintf(result, rlen, "%s", end_word(res->end));
	switch (res->end) {
	case SMTPCLI_DELIVERED:
		snprintf(result, rlen, "delivered");
		f->code = res->code;
		break;
	case SMTPCLI_REPLY:
	case SMTPCLI_RCPTS_FAILED:
		f->code = res->code != 0                 ? res->code
		          : res->nrcpts > 0 && j->nr > 0 ? res->rcpt_code[0]
		                                         : 0;
		snprintf(result, rlen, "%d", f->code);
		break;
	default:
		break;
	}
}

/* Bounces the session's recipients still pending. */
static void
session_bounce(struct job *j, const struct smtpcli_result *res)
{
	struct mta *m = j->g->msg->mta;
	char reason[300], label[64], ab[NET_ADDR_STRLEN], result[16];
	struct mfields f;
	size_t i;

	snprintf(reason, sizeof(reason), "%s (from %s)", res->reply,
	    j->t[j->t_i].host);
	session_fields(j, res, &f, label, sizeof(label), ab, sizeof(ab), result,
	    sizeof(result));
	for (i = 0; i < j->nr; i++) {
		struct mrcpt *r = j->rp[i];

		if (r->st != MTA_DEFERRED)
			continue;
		rcpt_done(r, MTA_BOUNCED, NULL, reason, sim_now(msim(m)));
		r->dsn = true;
		f.rcpt = r->addr;
		mtracef(m, "mta.bounce", j->g->msg->num, &f,
		    "bounced msg %" PRIu64 " for %s: %s", j->g->msg->num,
		    r->addr, reason);
	}
}

/* What the profile does with the reply that ended a session (the §3.1
 * matrix): next address, defer now, bounce, or bounce at the last host. */
static void
session_after(struct job *j, const struct smtpcli_result *res)
{
	const struct mta_profile *p = &j->g->msg->mta->p.prof;
	enum mta_act act = MTA_ACT_NEXT;
	size_t i;

	j->last_pref = j->t[j->t_i].pref;
	if (res->ehlo_ok)
		j->sessions++;
	j->site_fail = site_failure(res);
	host_feedback(j, res);
	if (res->end == SMTPCLI_REPLY && res->phase == SMTP_PHASE_GREETING)
		act = res->code / 100 == 5 ? p->greeting_5xx : p->greeting_4xx;
	else if (res->end == SMTPCLI_REPLY && res->phase == SMTP_PHASE_MAIL &&
	         res->code / 100 == 4)
		act = p->mail_4xx;
	else
		for (i = 0; i < res->nrcpts && i < j->nr; i++)
			if (res->rcpt_code[i] / 100 == 4)
				act = p->rcpt_4xx;
	if (act == MTA_ACT_BOUNCE_IF_LAST)
		/* Exim transports/smtp.c: "host->next ? DEFER : FAIL". */
		act = j->t_i + 1 < j->nt ? MTA_ACT_NEXT : MTA_ACT_BOUNCE;
	if (act == MTA_ACT_BOUNCE)
		session_bounce(j, res);
	else if (act == MTA_ACT_DEFER)
		j->stop = true;
}

/* The result of one SMTP session, per recipient. */
static void
on_session(void *ctx, const struct smtpcli_result *res)
{
	struct job *j = ctx;
	struct group *gr = j->g;
	struct mmsg *g = gr->msg;
	struct mta *m = g->mta;
	struct sim *sim = msim(m);
	const struct target *t = &j->t[j->t_i];
	char label[64], ab[NET_ADDR_STRLEN], d[32], what[400], sres[16];
	struct mfields sf, rf;
	size_t i;
	bool permanent;

	j->cli = NULL;
	aconn_of(m, &t->addr)->n--;
	aconn_wake(m);
	label_of(m, &t->addr, label, sizeof(label));
	net_addr_str(&t->addr, ab, sizeof(ab));
	session_fields(j, res, &sf, label, sizeof(label), ab, sizeof(ab), sres,
	    sizeof(sres));
	rf = sf;
	/* A 5xx to MAIL, DATA or "." fails the message for good. */
	permanent =
	    res->end == SMTPCLI_REPLY && res->code / 100 == 5 &&
	    (res->phase == SMTP_PHASE_MAIL || res->phase == SMTP_PHASE_DATA ||
	        res->phase == SMTP_PHASE_DOT);
	switch (res->end) {
	case SMTPCLI_CONNECT_TIMEOUT:
		snprintf(what, sizeof(what),
		    "connect timeout after %s (%d SYN%s unanswered)",
		    dur_format(sim_now(sim) - j->cli_start, d, sizeof(d)),
		    res->syns, res->syns == 1 ? "" : "s");
		break;
	case SMTPCLI_REFUSED:
		snprintf(what, sizeof(what), "connection refused (RST)");
		break;
	case SMTPCLI_UNREACHABLE:
		snprintf(what, sizeof(what), "host unreachable (ICMP)");
		break;
	case SMTPCLI_DROPPED:
		snprintf(what, sizeof(what),
		    "connection closed by the server at %s",
		    smtp_phase_name(res->phase));
		break;
	case SMTPCLI_TIMEOUT:
		snprintf(what, sizeof(what), "no reply at %s (timeout)",
		    smtp_phase_name(res->phase));
		break;
	case SMTPCLI_REPLY:
	case SMTPCLI_RCPTS_FAILED:
		snprintf(what, sizeof(what), "%s at %s", res->reply,
		    smtp_phase_name(res->phase));
		break;
	case SMTPCLI_DELIVERED:
		snprintf(what, sizeof(what), "%s", res->reply);
		break;
	}
	for (i = 0; i < j->nr; i++) {
		struct mrcpt *r = j->rp[i];
		int code = i < res->nrcpts ? res->rcpt_code[i] : 0;
		struct mta_attempt *a;
		void *arr = r->att;

		mx_grow(&arr, &r->capatt, r->natt + 1, sizeof(*r->att));
		r->att = arr;
		a = &r->att[r->natt++];
		snprintf(a->host, sizeof(a->host), "%s", label);
		snprintf(a->addr, sizeof(a->addr), "%s", ab);
		a->pref = t->pref;
		a->start = j->cli_start;
		a->end = sim_now(sim);
		a->delivery = gr->tries;
		if (end_word(res->end) != NULL)
			snprintf(a->result, sizeof(a->result), "%s",
			    end_word(res->end));
		switch (res->end) {
		case SMTPCLI_REPLY:
			/* A recipient refused on its own RCPT keeps its code;
			 * the others take the reply that ended the session. */
			snprintf(a->result, sizeof(a->result), "%d",
			    code / 100 != 2 && code != 0 ? code : res->code);
			break;
		case SMTPCLI_RCPTS_FAILED:
			snprintf(a->result, sizeof(a->result), "%d", code);
			break;
		case SMTPCLI_DELIVERED:
			if (code / 100 == 2)
				snprintf(
				    a->result, sizeof(a->result), "delivered");
			else
				snprintf(
				    a->result, sizeof(a->result), "%d", code);
			break;
		default:
			break;
		}
		rf.result = a->result;
		rf.rcpt = r->addr;
		rf.code = code / 100 != 2 && code != 0 ? code : sf.code;
		if (res->end == SMTPCLI_DELIVERED && code / 100 == 2) {
			rcpt_done(
			    r, MTA_DELIVERED, label, res->reply, sim_now(sim));
			mtracef(m, "mta.delivered", g->num, &rf,
			    "delivered msg %" PRIu64 " for %s via %s [%s] "
			    "(%s)",
			    g->num, r->addr, t->host, ab, res->reply);
		} else if (code / 100 == 5 || (permanent && code / 100 != 4)) {
			char reason[300];

			snprintf(reason, sizeof(reason), "%s (from %s)",
			    res->reply, t->host);
			rcpt_done(r, MTA_BOUNCED, label, reason, sim_now(sim));
			r->dsn = true;
			mtracef(m, "mta.bounce", g->num, &rf,
			    "bounced msg %" PRIu64 " for %s: %s", g->num,
			    r->addr, reason);
		}
	}
	if (res->end != SMTPCLI_DELIVERED)
		mtracef(m, "mta.fail", g->num, &sf, "%s: %s", t->host, what);
	snprintf(j->last, sizeof(j->last), "%.60s: %.190s", t->host, what);
	session_after(j, res);
	dsn_send(g);
	j->t_i++;
	job_next_target(j);
}

/* The key host memory files a target under, or NULL when the profile
 * keeps none per host. */
static const char *
mem_key(const struct job *j, const struct target *t, char *buf, size_t len)
{
	switch (j->g->msg->mta->p.prof.host_memory) {
	case MTA_HMEM_ADDRESS:
	case MTA_HMEM_ROUTE:
		return net_addr_str(&t->addr, buf, len);
	case MTA_HMEM_HOST:
		snprintf(buf, len, "%s", t->host);
		return buf;
	default:
		return NULL;
	}
}

/* Exim: whether an address whose retry time has not come is tried all
 * the same (retry.c retry_check_address(), transports/smtp.c):
 *  - a record not past its cutoff, when the message is older than the
 *    last cutoff ("on queue longer than maximum retry for address -
 *    allowing delivery");
 *  - a record past its cutoff, in the second pass of delay_after_cutoff
 *    = false, when it was last tried no later than the message arrived.
 * Such an address is tried; one past its cutoff does not count towards
 * hosts_max_try (j->cur_exp). */
static bool
exim_allowed(struct job *j, const struct hs_entry *e, const char *key)
{
	struct mta *m = j->g->msg->mta;
	const struct mta_profile *p = &m->p.prof;
	const struct mmsg *g = j->g->msg;
	const struct target *t = &j->t[j->t_i];

	if (!exim_cutoff(p))
		return false;
	if (!e->expired && sim_now(msim(m)) >= exim_ultimate(p, g->queued)) {
		mtrace(m, "mta.hostmem", g->num,
		    "%s [%s]: msg %" PRIu64 " is older than the last retry "
		    "cutoff: tried before its retry time",
		    t->host, key, g->num);
		return true;
	}
	if (e->expired && j->second &&
	    e->rs.last <= mta_sched_secs(g->queued)) {
		mtrace(m, "mta.hostmem", g->num,
		    "%s [%s]: past its retry cutoff, not tried since msg "
		    "%" PRIu64 " arrived: tried (delay_after_cutoff = false)",
		    t->host, key, g->num);
		j->cur_exp = true;
		return true;
	}
	return false;
}

/* True when the target at j->t_i is still waiting out a failure. */
static bool
target_blocked(struct job *j)
{
	struct mta *m = j->g->msg->mta;
	const struct target *t = &j->t[j->t_i];
	const struct hs_entry *e;
	char key[DNS_NAME_MAX], at[32];

	j->cur_exp = false;
	if (mem_key(j, t, key, sizeof(key)) == NULL ||
	    (e = hs_find(&m->hs, key)) == NULL)
		return false;
	if (e->rs.next <= sim_now(msim(m))) {
		/* Its retry time has come; past its cutoff it is tried
		 * but not counted (transports/smtp.c). */
		j->cur_exp = e->expired && exim_cutoff(&m->p.prof);
		return false;
	}
	if (exim_allowed(j, e, key))
		return false;
	/* Exim: "retry time not reached"; such an address does not count
	 * towards hosts_max_try, nor one past its retry cutoff. */
	mtrace(m, "mta.skip", j->g->msg->num,
	    "%s [%s]: not tried before %s (%s memory%s: %s)", t->host, key,
	    dur_format_secs(e->rs.next, at, sizeof(at)),
	    mta_hmem_name(m->p.prof.host_memory),
	    e->expired ? ", past its retry cutoff" : "", e->why);
	if (j->skipped + j->skipped_exp == 0 || e->rs.next < j->min_next)
		j->min_next = e->rs.next;
	if (e->expired)
		j->skipped_exp++;
	else
		j->skipped++;
	return true;
}

/* The open-session count of address 'a', made on first use. */
static struct aconn *
aconn_of(struct mta *m, const struct net_addr *a)
{
	size_t i;
	void *v;

	for (i = 0; i < m->nac; i++)
		if (net_addr_eq(&m->ac[i].a, a))
			return &m->ac[i];
	v = m->ac;
	mx_grow(&v, &m->capac, m->nac + 1, sizeof(*m->ac));
	m->ac = v;
	m->ac[m->nac].a = *a;
	m->ac[m->nac].n = 0;
	return &m->ac[m->nac++];
}

/* OpenSMTPD mta.c mta_find_route() (mta-behavior.md §2.4 item 4):
 * among the routes of the best usable preference, the one with the
 * fewest connections; ties keep the list order.  Brings that address of
 * j->t_i's preference to j->t_i. */
static void
least_conn_first(struct job *j)
{
	struct mta *m = j->g->msg->mta;
	size_t k, best = j->t_i;
	int nbest;
	struct target t;

	if (!m->p.prof.least_conn)
		return;
	nbest = aconn_of(m, &j->t[best].addr)->n;
	for (k = j->t_i + 1; k < j->nt && j->t[k].pref == j->t[j->t_i].pref;
	     k++) {
		int n = aconn_of(m, &j->t[k].addr)->n;

		if (n < nbest) {
			best = k;
			nbest = n;
		}
	}
	if (best == j->t_i)
		return;
	/* Keep the others in order behind it. */
	t = j->t[best];
	memmove(
	    &j->t[j->t_i + 1], &j->t[j->t_i], (best - j->t_i) * sizeof(*j->t));
	j->t[j->t_i] = t;
}

/* Moves j->t_i to the next address to try under the profile's limits;
 * false when there is none.  Postfix: at most smtp_mx_address_limit
 * addresses and smtp_mx_session_limit sessions past EHLO.  Exim: past
 * hosts_max_try, one address of each further MX preference, not
 * counted (mx_lookahead). */
static bool
pick_target(struct job *j)
{
	const struct mta_profile *p = &j->g->msg->mta->p.prof;

	if (j->stop)
		return false;
	for (; j->t_i < j->nt; j->t_i++) {
		if (p->mx_session_limit > 0 &&
		    j->sessions >= p->mx_session_limit) {
			j->limited = true;
			return false;
		}
		j->lookahead = false;
		if (p->max_addresses > 0 && j->tried >= p->max_addresses) {
			j->limited = true;
			if (!p->mx_lookahead)
				return false;
			if (j->t[j->t_i].pref == j->last_pref)
				continue;
			j->lookahead = true;
		}
		least_conn_first(j);
		if (target_blocked(j))
			continue;
		return true;
	}
	return false;
}

/* True when the address at j->t_i has no slot for one more session:
 * OpenSMTPD limit.c limit_mta_set_defaults() sets maxconn_per_route = 5,
 * a route being one source address to one destination address, so with
 * one source the limit is per destination address, and two MX addresses
 * allow twice as many sessions (mta-behavior.md §4.2). */
static bool
aconn_full(struct job *j)
{
	struct mta *m = j->g->msg->mta;
	const struct mta_profile *p = &m->p.prof;

	return p->dest_concurrency > 0 &&
	       p->concurrency_scope == MTA_CSCOPE_ADDRESS &&
	       aconn_of(m, &j->t[j->t_i].addr)->n >= p->dest_concurrency;
}

/* OpenSMTPD mta.c mta_find_route() (mta-behavior.md §2.4 item 4): when
 * the routes of a preference are at their limit it waits for one rather
 * than going to the next preference.  The job waits, its lookups done,
 * until a session to that address (with least_conn: to any address of
 * that preference) ends. */
static void
aconn_wait(struct job *j)
{
	struct mta *m = j->g->msg->mta;
	const struct target *t = &j->t[j->t_i];
	char ab[NET_ADDR_STRLEN];
	void *a = m->await;

	mx_grow(&a, &m->capawait, m->nawait + 1, sizeof(*m->await));
	m->await = a;
	m->await[m->nawait++] = j;
	net_addr_str(&t->addr, ab, sizeof(ab));
	mtrace(m, "mta.wait", j->g->msg->num,
	    "msg %" PRIu64 " for %s waits: %d sessions open to %s [%s] "
	    "(concurrency limit %d per address)",
	    j->g->msg->num, j->g->domain, aconn_of(m, &t->addr)->n, t->host, ab,
	    m->p.prof.dest_concurrency);
}

/* A job woken by aconn_wake(): it gives back the slot held for it and
 * picks again, as host memory may have changed while it waited; if it
 * goes elsewhere, the slot goes to the next in line. */
static void
job_resume(struct sim *sim, void *arg)
{
	struct job *j = arg;
	struct mta *m = j->g->msg->mta;

	(void)sim;
	aconn_of(m, &j->t[j->t_i].addr)->n--;
	job_next_target(j);
	aconn_wake(m);
}

/* A session ended: the waiting jobs that now have a slot go on, in the
 * order they started waiting.  The slot is held for each (counted as
 * open) until its job_resume() event, so that no job reaching the
 * address meanwhile takes it. */
static void
aconn_wake(struct mta *m)
{
	size_t i = 0;

	while (i < m->nawait) {
		struct job *j = m->await[i];

		least_conn_first(j);
		if (aconn_full(j)) {
			i++;
			continue;
		}
		aconn_of(m, &j->t[j->t_i].addr)->n++;
		m->nawait--;
		memmove(&m->await[i], &m->await[i + 1],
		    (m->nawait - i) * sizeof(*m->await));
		(void)sim_after(msim(m), 0, job_resume, j);
	}
}

/* Exim delay_after_cutoff = false (transports/smtp.c, the loop over
 * cutoff_retry): when every address was skipped past its cutoff, go
 * round once more for those not tried since the message arrived.  True
 * when that finds one (at j->t_i). */
static bool
second_pass(struct job *j)
{
	const struct mta_profile *p = &j->g->msg->mta->p.prof;

	if (!exim_cutoff(p) || p->delay_after_cutoff || j->second ||
	    j->tried + j->tried_exp > 0 || j->skipped > 0 ||
	    j->skipped_exp == 0 || j->limited)
		return false;
	j->second = true;
	j->skipped_exp = 0;
	j->t_i = 0;
	return pick_target(j);
}

static void
job_next_target(struct job *j)
{
	struct group *gr = j->g;
	struct mmsg *g = gr->msg;
	struct mta *m = g->mta;
	const struct target *t;
	struct smtpcli_params sp;
	struct smtpcli_msg sm;
	char ab[NET_ADDR_STRLEN];
	size_t i;

	j->nr = 0;
	for (i = 0; i < g->nrcpt && j->nr < 256; i++) {
		struct mrcpt *r = &g->rcpt[i];

		if (rcpt_waits(gr, r)) {
			j->rp[j->nr] = r;
			j->rcpts[j->nr] = r->addr;
			j->nr++;
		}
	}
	if (j->nr == 0) {
		job_end(j, "done");
		return;
	}
	if (!pick_target(j) && !second_pass(j)) {
		job_end(j, j->last[0] ? j->last
		           : j->skipped + j->skipped_exp > 0
		               ? "retry time not reached for any host"
		               : "no address left to try");
		return;
	}
	if (aconn_full(j)) {
		aconn_wait(j);
		return;
	}
	t = &j->t[j->t_i];
	if (j->cur_exp)
		j->tried_exp++;
	else if (!j->lookahead)
		j->tried++;
	smtpcli_params_default(&sp);
	sp.helo = m->p.hostname;
	sp.connect_timeout = m->p.prof.connect_timeout;
	sp.t_greeting = m->p.prof.greeting_timeout;
	sp.t_ehlo = m->p.prof.helo_timeout;
	sp.t_mail = m->p.prof.mail_timeout;
	sp.t_rcpt = m->p.prof.rcpt_timeout;
	sp.t_data_init = m->p.prof.data_init_timeout;
	sp.t_data_done = m->p.prof.data_done_timeout;
	sm.from = g->from;
	sm.rcpts = j->rcpts;
	sm.nrcpts = j->nr;
	sm.data = g->data;
	sm.size = g->size;
	j->cli_start = sim_now(msim(m));
	net_addr_str(&t->addr, ab, sizeof(ab));
	{
		char label[64];
		struct mfields f = {.host = t->host,
		    .label = label_of(m, &t->addr, label, sizeof(label)),
		    .addr = ab,
		    .pref = t->pref,
		    .attempt = gr->tries};

		mtracef(m, "mta.connect", g->num, &f,
		    "connect %s [%s]:25 (pref %u)", t->host, ab, t->pref);
	}
	if (m->host->net->ntaps > 0) {
		/* The story of this attempt, on its first SYN. */
		snprintf(j->note, sizeof(j->note),
		    "msg %" PRIu64
		    ", delivery attempt %d: %s (pref %u)%s%.160s",
		    g->num, gr->tries, t->host, t->pref,
		    j->last[0] ? " after " : "", j->last[0] ? j->last : "");
		net_note_next(m->host, j->note);
	}
	aconn_of(m, &t->addr)->n++;
	j->cli = smtpcli_start(
	    &m->cli, m->host, &t->addr, 25, &sp, &sm, on_session, j);
}

/* --- submission ------------------------------------------------------------
 */

static void
submit_now(struct sim *sim, void *arg)
{
	struct pending_submit *s = arg, **pp;
	struct mta *m = s->m;
	struct mmsg *g = mx_xcalloc(1, sizeof(*g));
	char list[1024];
	size_t i, k, off = 0;
	void *a;

	for (pp = &m->subs; *pp != NULL; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	g->mta = m;
	g->num = s->num;
	g->from = mx_xstrdup(s->from);
	g->queued = sim_now(sim);
	g->rcpt = mx_xcalloc(s->nto, sizeof(*g->rcpt));
	g->grp = mx_xcalloc(s->nto, sizeof(*g->grp));
	g->nrcpt = s->nto;
	list[0] = '\0';
	for (i = 0; i < s->nto; i++) {
		struct mrcpt *r = &g->rcpt[i];
		const char *at = strrchr(s->to[i], '@');

		r->addr = mx_xstrdup(s->to[i]);
		r->domain =
		    at != NULL ? r->addr + (at - s->to[i]) + 1 : r->addr;
		r->msg = g;
		r->st = MTA_DEFERRED;
		r->t = -1;
		if (off < sizeof(list) - 300)
			off += (size_t)snprintf(list + off, sizeof(list) - off,
			    "%s%s", i ? ", " : "", r->addr);
		for (k = 0; k < g->ngrp; k++)
			if (dns_name_eq(g->grp[k].domain, r->domain))
				break;
		if (k == g->ngrp) {
			g->grp[k].msg = g;
			mta_rstate_init(&g->grp[k].rs);
			snprintf(g->grp[k].domain, sizeof(g->grp[k].domain),
			    "%s", r->domain);
			g->ngrp++;
		}
	}
	g->relayed = s->relayed;
	if (s->data != NULL) {
		g->data = s->data;
		g->size = s->dlen;
		s->data = NULL;
	} else
		compose(m, g, (const char *const *)s->to, s->nto, s->size,
		    s->subject);
	a = m->msgs;
	mx_grow(&a, &m->capmsgs, m->nmsgs + 1, sizeof(*m->msgs));
	m->msgs = a;
	m->msgs[m->nmsgs++] = g;
	if (g->relayed && g->from[0] == '\0')
		mtrace(m, "mta.queued", g->num,
		    "queued a DSN about msg %" PRIu64 " <> -> %s", g->num,
		    list);
	else if (g->relayed)
		mtrace(m, "mta.queued", g->num,
		    "queued msg %" PRIu64 " %s -> %s to forward as a backup "
		    "MX",
		    g->num, g->from, list);
	else
		mtrace(m, "mta.queued", g->num,
		    "queued msg %" PRIu64 " %s -> %s", g->num, g->from, list);
	submit_free(s);
	for (k = 0; k < g->ngrp; k++)
		group_attempt(sim, &g->grp[k]);
}

void
mta_submit(struct mta *m, sim_time_t at, uint64_t num, const char *from,
    const char *const *to, size_t nto, size_t size, const char *subject)
{
	struct pending_submit *s = mx_xcalloc(1, sizeof(*s));
	size_t i;

	s->m = m;
	s->num = num;
	s->from = mx_xstrdup(from);
	s->to = mx_xcalloc(nto, sizeof(*s->to));
	for (i = 0; i < nto; i++)
		s->to[i] = mx_xstrdup(to[i]);
	s->nto = nto;
	s->size = size;
	s->subject = subject ? mx_xstrdup(subject) : NULL;
	s->next = m->subs;
	m->subs = s;
	sim_at(msim(m), at, submit_now, s);
}

void
mta_relay(struct mta *m, uint64_t num, const char *from, const char *rcpt,
    const char *data, size_t size)
{
	struct pending_submit *s = mx_xcalloc(1, sizeof(*s));

	s->m = m;
	s->num = num;
	s->from = mx_xstrdup(from);
	s->to = mx_xcalloc(1, sizeof(*s->to));
	s->to[0] = mx_xstrdup(rcpt);
	s->nto = 1;
	s->data = mx_xmalloc(size + 1);
	memcpy(s->data, data, size);
	s->data[size] = '\0';
	s->dlen = size;
	s->relayed = true;
	s->next = m->subs;
	m->subs = s;
	/* After the current event: the SMTP server is still replying. */
	sim_after(msim(m), 0, submit_now, s);
}

/* --- delivery status notifications --------------------------------------- */

/* The enhanced status code (RFC 3463) in a reply or reason text, else
 * 5.0.0. */
static void
dsn_status(const char *reason, char cls, char *out, size_t len)
{
	const char *p;

	for (p = reason; *p != '\0'; p++) {
		unsigned a, b, c;
		int n = 0;

		if ((p == reason || p[-1] == ' ') && (*p == '4' || *p == '5') &&
		    sscanf(p, "%1u.%3u.%3u%n", &a, &b, &c, &n) == 3 &&
		    (p[n] == ' ' || p[n] == '\0')) {
			snprintf(out, len, "%c.%u.%u", cls, b, c);
			return;
		}
	}
	snprintf(out, len, "%c.0.0", cls);
}

/*
 * A bounce goes back to the envelope sender as a DSN (RFC 3464, in the
 * layout of Postfix's bounce daemon): one per message and bounce event,
 * naming every recipient bounced then.  A message with a null sender is
 * itself a DSN and gets none (RFC 5321 §4.5.5: no notification loops).
 * Mail this host queued for a local user goes back into this host's
 * mailbox; mail it took from the network (a backup MX) goes back
 * through the network, a new message to the sender's domain: the
 * backscatter of a backup MX that accepted unknown users.
 */
/* Builds and sends a DSN naming the recipients whose 'dsn' (failed) or
 * 'warn' (delayed) flag is set, then clears the flags. */
static void
dsn_compose(struct mmsg *g, bool delayed)
{
	struct mta *m = g->mta;
	char date[64], status[16], *buf, *p;
	size_t i, cap, len, n = 0;
	const char *eoh;

#define FLAG(r) (delayed ? (r)->warn : (r)->dsn)
	for (i = 0; i < g->nrcpt; i++)
		if (FLAG(&g->rcpt[i]))
			n++;
	if (n == 0)
		return;
	if (g->from[0] == '\0') {
		for (i = 0; i < g->nrcpt; i++)
			g->rcpt[i].dsn = g->rcpt[i].warn = false;
		mtrace(m, "mta.dsn", g->num,
		    "no DSN for a %s DSN about msg %" PRIu64
		    " (null sender, RFC 5321 §4.5.5)",
		    delayed ? "delayed" : "bounced", g->num);
		return;
	}
	clock_rfc5322(m->p.epoch, sim_now(msim(m)), date, sizeof(date));
	eoh = strstr(g->data, "\r\n\r\n");
	len = eoh != NULL ? (size_t)(eoh - g->data) + 2 : g->size;
	cap = 4096 + len + n * 1024;
	buf = mx_xmalloc(cap);
	p = buf;
#define PUT(...) p += snprintf(p, cap - (size_t)(p - buf), __VA_ARGS__)
	m->ndsn++;
	/* Subjects as Postfix's bounce(8) templates write them. */
	PUT("Date: %s\r\nFrom: MAILER-DAEMON@%s (Mail Delivery System)\r\n"
	    "To: <%s>\r\nSubject: %s\r\n"
	    "Message-ID: <%" PRIu64 ".dsn%d@%s>\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/report; report-type=delivery-status;"
	    "\r\n\tboundary=\"mxsim-dsn\"\r\n\r\n",
	    date, m->p.hostname, g->from,
	    delayed ? "Delayed Mail (still being retried)"
	            : "Undelivered Mail Returned to Sender",
	    g->num, m->ndsn, m->p.hostname);
	PUT("--mxsim-dsn\r\nContent-Type: text/plain\r\n\r\n"
	    "This is the mail system at host %s.\r\n\r\n%s\r\n\r\n",
	    m->p.hostname,
	    delayed ? "Your message could not be delivered for some time; "
	              "it is still in the queue and will be retried."
	            : "Your message could not be delivered to one or more "
	              "recipients.");
	for (i = 0; i < g->nrcpt; i++)
		if (FLAG(&g->rcpt[i]))
			PUT("<%s>: %.400s\r\n", g->rcpt[i].addr,
			    g->rcpt[i].reason);
	PUT("\r\n--mxsim-dsn\r\nContent-Type: message/delivery-status\r\n"
	    "\r\nReporting-MTA: dns; %s\r\n",
	    m->p.hostname);
	for (i = 0; i < g->nrcpt; i++) {
		struct mrcpt *r = &g->rcpt[i];

		if (!FLAG(r))
			continue;
		/* RFC 3464 §2.3.3: "delayed" with a 4.x.x status. */
		dsn_status(
		    r->reason, delayed ? '4' : '5', status, sizeof(status));
		PUT("\r\nFinal-Recipient: rfc822; %s\r\nAction: %s\r\n"
		    "Status: %s\r\nDiagnostic-Code: smtp; %.400s\r\n",
		    r->addr, delayed ? "delayed" : "failed", status, r->reason);
	}
	PUT("\r\n--mxsim-dsn\r\nContent-Type: text/rfc822-headers\r\n\r\n");
	memcpy(p, g->data, len);
	p += len;
	PUT("\r\n--mxsim-dsn--\r\n");
#undef PUT
#undef FLAG
	for (i = 0; i < g->nrcpt; i++) {
		if (delayed)
			g->rcpt[i].warn = false;
		else
			g->rcpt[i].dsn = false;
	}
	if (!g->relayed && m->p.local != NULL) {
		mailbox_add(m->p.local, g->num, "", g->from, sim_now(msim(m)),
		    "local", buf, (size_t)(p - buf));
		mtrace(m, "mta.dsn", g->num,
		    "%sDSN about msg %" PRIu64 " to %s, delivered locally "
		    "(mailbox of %s)",
		    delayed ? "delay " : "", g->num, g->from, m->host->name);
	} else if (g->relayed) {
		mtrace(m, "mta.dsn", g->num,
		    "%sDSN about msg %" PRIu64 " to %s, sent back through the "
		    "network (backscatter)",
		    delayed ? "delay " : "", g->num, g->from);
		mta_relay(m, g->num, "", g->from, buf, (size_t)(p - buf));
	}
	free(buf);
}

static void
dsn_send(struct mmsg *g)
{
	dsn_compose(g, false);
}

/* How many "delayed" DSNs are due for the group after a failed attempt
 * at 'now' whose retry is at 'when':
 *  - age (Postfix qmgr_active.c: warn_time reached when the deferred
 *    message leaves the active queue; Sendmail Timeout.queuewarn,
 *    checked when a queue run leaves the message queued): one once the
 *    message is delay_warning old;
 *  - with delay_warning_repeat (Exim deliver.c: the last time of the
 *    delay_warning list repeats, globals.c "Times between warnings"):
 *    age / delay_warning, one DSN whenever that count grows;
 *  - next-try (OpenSMTPD scheduler.c, IMSG_QUEUE_DELIVERY_TEMPFAIL:
 *    "si.nexttry >= creation + warn && lastbounce < that"): one as soon
 *    as the next attempt is not before creation + bounce warn-interval,
 *    i.e. at the failure before that time. */
static int
warn_due(const struct group *gr, sim_time_t now, sim_time_t when)
{
	const struct mta_profile *p = &gr->msg->mta->p.prof;
	sim_time_t age = now - gr->msg->queued, w = p->delay_warning;

	if (w <= 0)
		return 0;
	if (p->delay_warning_at == MTA_WARNAT_NEXT_TRY)
		return when >= gr->msg->queued + w ? 1 : 0;
	if (p->delay_warning_repeat)
		return (int)(age / w);
	return age >= w ? 1 : 0;
}

/* Postfix delay_warning_time, Sendmail Timeout.queuewarn, OpenSMTPD
 * bounce warn-interval, Exim delay_warning: a "delayed" DSN names the
 * recipients still queued (RFC 3464 §2.3.3 Action: delayed). */
static void
dsn_delayed(struct group *gr, sim_time_t when)
{
	struct mmsg *g = gr->msg;
	struct mta *m = g->mta;
	int due = warn_due(gr, sim_now(msim(m)), when);
	size_t i;

	if (due <= gr->nwarn)
		return;
	gr->nwarn = due;
	for (i = 0; i < g->nrcpt; i++)
		if (rcpt_waits(gr, &g->rcpt[i]))
			g->rcpt[i].warn = true;
	dsn_compose(g, true);
}

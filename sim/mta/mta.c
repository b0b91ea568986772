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
#include "mx.h"

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
};

struct group {
	struct mmsg *msg;          /* borrowed owning message */
	char domain[DNS_NAME_MAX]; /* next-hop domain */
	int tries;                 /* delivery attempts made */
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
	uint32_t dns;             /* pending resolver handle, 0 = none */
	struct smtpcli *cli;      /* session in progress, or NULL */
	sim_time_t cli_start;     /* when it started */
	const char *rcpts[256];   /* borrowed: recipients in session */
	struct mrcpt *rp[256];    /* and their records */
	size_t nr;                /* how many */
	char last[256];           /* the last failure, for deferrals */
	char note[640];           /* capture note for the next attempt */
};

struct mta {
	struct net_host *host;       /* borrowed */
	struct mta_params p;         /* knobs (strings borrowed) */
	struct resolv *res;          /* owned stub resolver */
	struct smtpcli_set cli;      /* SMTP sessions */
	struct rng rng;              /* equal-preference shuffles */
	struct mmsg **msgs;          /* owned messages, submission order */
	size_t nmsgs, capmsgs;       /* count and capacity */
	struct pending_submit *subs; /* owned submissions not yet due */
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
	smtpcli_set_fini(&m->cli);
	resolv_free(m->res);
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
static void job_next_addr(struct job *j);
static void job_next_target(struct job *j);

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

static void
bounce_group(struct group *gr, const char *reason)
{
	struct mmsg *g = gr->msg;
	struct mta *m = g->mta;
	size_t i;

	for (i = 0; i < g->nrcpt; i++) {
		struct mrcpt *r = &g->rcpt[i];

		if (r->st != MTA_DEFERRED ||
		    !dns_name_eq(r->domain, gr->domain))
			continue;
		rcpt_done(r, MTA_BOUNCED, NULL, reason, sim_now(msim(m)));
		mtrace(m, "mta.bounce", g->num,
		    "bounced msg %" PRIu64 " for %s: %s", g->num, r->addr,
		    reason);
	}
}

static size_t
group_pending(const struct group *gr)
{
	const struct mmsg *g = gr->msg;
	size_t i, n = 0;

	for (i = 0; i < g->nrcpt; i++)
		if (g->rcpt[i].st == MTA_DEFERRED &&
		    dns_name_eq(g->rcpt[i].domain, gr->domain))
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
		if (g->rcpt[i].st == MTA_DEFERRED &&
		    dns_name_eq(g->rcpt[i].domain, gr->domain))
			snprintf(g->rcpt[i].reason, sizeof(g->rcpt[i].reason),
			    "%s", why);
}

/* The job is over: settle what is left. */
static void
job_end(struct job *j, const char *why)
{
	struct group *gr = j->g;
	struct mmsg *g = gr->msg;
	struct mta *m = g->mta;
	struct sim *sim = msim(m);
	sim_time_t delay, age;
	char d[32], at[32];

	gr->job = NULL;
	if (group_pending(gr) > 0) {
		age = sim_now(sim) - g->queued;
		if (age >= m->p.prof.give_up) {
			char reason[300];

			snprintf(reason, sizeof(reason),
			    "4.4.7 message expired after %s in the queue "
			    "(last error: %s)",
			    dur_format(age, d, sizeof(d)), why);
			bounce_group(gr, reason);
		} else if (j->hold) {
			group_reason(gr, why);
			mtrace(m, "mta.defer", g->num,
			    "frozen msg %" PRIu64 " for %s: %s; no further "
			    "attempt",
			    g->num, gr->domain, why);
		} else {
			delay = mta_profile_retry(&m->p.prof, gr->tries);
			group_reason(gr, why);
			mtrace(m, "mta.defer", g->num,
			    "deferred msg %" PRIu64 " for %s: %s; next attempt "
			    "in %s (at %s)",
			    g->num, gr->domain, why,
			    dur_format(delay, d, sizeof(d)),
			    dur_format_secs(
			        sim_now(sim) + delay, at, sizeof(at)));
			gr->retry = sim_after(sim, delay, group_attempt, gr);
		}
	}
	free(j);
}

/* The address families the sender can use, from its own addresses
 * (getaddrinfo's AI_ADDRCONFIG): AAAA is asked only by an IPv6 host. */
static bool
can_use(const struct mta *m, uint8_t family)
{
	return net_host_addr_of(m->host, family) != NULL;
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
		for (k = n - 1; k > 0; k--) {
			size_t r = (size_t)rng_below(&m->rng, k + 1);
			struct target t = v[k];

			v[k] = v[r];
			v[r] = t;
		}
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
	if (!drop_self(j))
		return;
	if (j->nt == 0) {
		if (j->soft_dns) {
			job_end(j, "4.4.3 no MX host address could be looked "
			           "up");
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
			bounce_group(gr, "556 5.1.10 Recipient address has "
			                 "null MX (RFC 7505)");
			job_end(j, "null MX");
			return;
		}
		j->nmx = mx_order(j->mx, j->nmx, m->p.prof.equal_pref, &m->rng);
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

		snprintf(why, sizeof(why), "4.4.3 MX lookup for %s failed (%s)",
		    gr->domain, resolv_status_name(a->status));
		mtrace(m, "mta.mx", num, "MX %s: lookup failed (%s)",
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
	struct mta *m = gr->msg->mta;
	struct job *j;
	size_t i;

	(void)sim;
	gr->retry.id = 0;
	if (group_pending(gr) == 0 || gr->job != NULL)
		return;
	gr->tries++;
	for (i = 0; i < gr->msg->nrcpt; i++)
		if (gr->msg->rcpt[i].st == MTA_DEFERRED &&
		    dns_name_eq(gr->msg->rcpt[i].domain, gr->domain))
			gr->msg->rcpt[i].deliveries++;
	if (gr->tries > 1)
		mtrace(m, "mta.retry", gr->msg->num,
		    "delivery attempt %d for msg %" PRIu64 " to %s", gr->tries,
		    gr->msg->num, gr->domain);
	j = mx_xcalloc(1, sizeof(*j));
	j->g = gr;
	gr->job = j;
	snprintf(j->qname, sizeof(j->qname), "%s", gr->domain);
	j->dns = resolv_query(m->res, j->qname, DNS_T_MX, on_mx, j);
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
	char label[64], ab[NET_ADDR_STRLEN], d[32], what[400];
	size_t i;
	bool permanent;

	j->cli = NULL;
	label_of(m, &t->addr, label, sizeof(label));
	net_addr_str(&t->addr, ab, sizeof(ab));
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
		switch (res->end) {
		case SMTPCLI_CONNECT_TIMEOUT:
		case SMTPCLI_TIMEOUT:
			snprintf(a->result, sizeof(a->result), "timeout");
			break;
		case SMTPCLI_REFUSED:
			snprintf(a->result, sizeof(a->result), "refused");
			break;
		case SMTPCLI_UNREACHABLE:
			snprintf(a->result, sizeof(a->result), "unreachable");
			break;
		case SMTPCLI_DROPPED:
			snprintf(a->result, sizeof(a->result), "dropped");
			break;
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
		}
		if (res->end == SMTPCLI_DELIVERED && code / 100 == 2) {
			rcpt_done(
			    r, MTA_DELIVERED, label, res->reply, sim_now(sim));
			mtrace(m, "mta.delivered", g->num,
			    "delivered msg %" PRIu64 " for %s via %s [%s] "
			    "(%s)",
			    g->num, r->addr, t->host, ab, res->reply);
		} else if (code / 100 == 5 || (permanent && code / 100 != 4)) {
			char reason[300];

			snprintf(reason, sizeof(reason), "%s (from %s)",
			    res->reply, t->host);
			rcpt_done(r, MTA_BOUNCED, label, reason, sim_now(sim));
			mtrace(m, "mta.bounce", g->num,
			    "bounced msg %" PRIu64 " for %s: %s", g->num,
			    r->addr, reason);
		}
	}
	if (res->end != SMTPCLI_DELIVERED)
		mtrace(m, "mta.fail", g->num, "%s: %s", t->host, what);
	snprintf(j->last, sizeof(j->last), "%.60s: %.190s", t->host, what);
	j->t_i++;
	job_next_target(j);
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

		if (r->st == MTA_DEFERRED &&
		    dns_name_eq(r->domain, gr->domain)) {
			j->rp[j->nr] = r;
			j->rcpts[j->nr] = r->addr;
			j->nr++;
		}
	}
	if (j->nr == 0) {
		job_end(j, "done");
		return;
	}
	if (j->t_i >= j->nt || (m->p.prof.max_addresses > 0 &&
	                           j->tried >= m->p.prof.max_addresses)) {
		job_end(j, j->last[0] ? j->last : "no address left to try");
		return;
	}
	t = &j->t[j->t_i];
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
	mtrace(m, "mta.connect", g->num, "connect %s [%s]:25 (pref %u)",
	    t->host, net_addr_str(&t->addr, ab, sizeof(ab)), t->pref);
	if (m->host->net->ntaps > 0) {
		/* The story of this attempt, on its first SYN. */
		snprintf(j->note, sizeof(j->note),
		    "msg %" PRIu64
		    ", delivery attempt %d: %s (pref %u)%s%.160s",
		    g->num, gr->tries, t->host, t->pref,
		    j->last[0] ? " after " : "", j->last[0] ? j->last : "");
		net_note_next(m->host, j->note);
	}
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
			snprintf(g->grp[k].domain, sizeof(g->grp[k].domain),
			    "%s", r->domain);
			g->ngrp++;
		}
	}
	compose(m, g, (const char *const *)s->to, s->nto, s->size, s->subject);
	a = m->msgs;
	mx_grow(&a, &m->capmsgs, m->nmsgs + 1, sizeof(*m->msgs));
	m->msgs = a;
	m->msgs[m->nmsgs++] = g;
	mtrace(m, "mta.queued", g->num, "queued msg %" PRIu64 " %s -> %s",
	    g->num, g->from, list);
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

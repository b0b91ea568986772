/*
 * lint.c - the checks of "mxsim lint" (docs/lint.md lists them all).
 *
 * A mail domain is an owner of MX records.  For each one, in the order the
 * zones hold them:
 *  - every MX record on its own: the null MX and its preference (RFC 7505
 *    §3), an exchange written as an address (RFC 5321 §5.1 wants a name),
 *    "localhost" (RFC 6761 §6.3), an alias (RFC 2181 §10.3), and what the
 *    zones say about the exchange's addresses (RFC 5321 §5.1: a name "that
 *    returns at least one A/AAAA record");
 *  - the set: a null MX among others, a single host, one preference for
 *    all, how many addresses come before each backup (Postfix tries at
 *    most smtp_mx_address_limit = 5, reference/mta-behavior.md §4.2 and
 *    §5.19), hosts sharing an address or a network;
 *  - the TTLs of the MX records and of the exchanges' address records;
 *  - in a scenario, the hosts behind the exchanges: an smtp role at each,
 *    backups that know the same users as the primary (Postfix's
 *    backup-MX recipe, reference §5.1 and §5.4) and that relay what they
 *    take (smtp.relay).
 *
 * Lookups go through zone_answer(), the code the simulated servers
 * answer with, so lint and a run agree on CNAMEs, zone cuts and NXDOMAIN
 * against NODATA.  A name in none of the zones is "outside": it cannot be
 * checked, which is an info finding and no failure.
 *
 * Findings are sorted by zone, line and then the order the checks ran, so
 * the output is the same for the same input, byte for byte.
 */
#include "lint.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldns/ldns.h>

#include "../core/dur.h"
#include "../dns/zonefile.h"
#include "../mta/mx.h"
#include "../report/report.h"

#define FILE_MAX    ((size_t)16 << 20) /* as zonefile.c reads at most */
#define DEFAULT_TTL 3600u /* records of a file without $TTL or TTL */
#define CHASE_MAX   8     /* CNAME links followed, as mta.c */

static const char *const sev_names[] = {
#define XX(id, s) s,
    LINT_SEV_MAP(XX)
#undef XX
};

static const struct {
	const char *id;     /* stable id */
	enum lint_sev sev;  /* severity */
	const char *source; /* where the rule comes from */
} checks[] = {
#define XX(e, id, sev, src) {id, LINT_##sev, src},
    LINT_CHECK_MAP(XX)
#undef XX
};

void
lint_report_init(struct lint_report *r)
{
	memset(r, 0, sizeof(*r));
}

void
lint_report_free(struct lint_report *r)
{
	size_t i;

	for (i = 0; i < r->nzones; i++)
		free(r->origins[i]);
	free(r->origins);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* --- one run ---------------------------------------------------------- */

/* One MX host of a mail domain. */
struct mxhost {
	char name[DNS_NAME_MAX];       /* the exchange */
	uint16_t pref;                 /* its lowest preference */
	int line;                      /* line of its first MX record */
	bool usable;                   /* a sender may get addresses */
	bool external;                 /* outside the zones: not known */
	struct lint_lookup lk;         /* its addresses */
	const struct world_host *host; /* scenario host behind it, or NULL */
};

struct ctx {
	const struct lint_zone *zones; /* borrowed */
	size_t nzones;                 /* how many */
	const struct world *w;         /* borrowed scenario, or NULL */
	struct lint_report *r;         /* borrowed: where findings go */
	struct dns_msg *msg;           /* owned scratch for lookups */
	bool **ttl_done;               /* owned: per zone and record, a TTL
	                                  finding was made */
	size_t zi;                     /* zone of the domain being checked */
	const char *dom;               /* borrowed: that domain */
	int dline;                     /* line findings on the set use */
};

static const char *
shown(const char *name)
{
	return name[0] != '\0' ? name : ".";
}

static int
rec_line(const struct ctx *c, size_t zi, size_t idx)
{
	const struct lint_zone *lz = &c->zones[zi];

	if (lz->lines != NULL && lz->lines[idx] > 0)
		return lz->lines[idx];
	return lz->line;
}

static void add(struct ctx *c, size_t zi, enum lint_check k, const char *owner,
    int line, const char *fmt, ...) MX_PRINTF(6, 7);

static void
add(struct ctx *c, size_t zi, enum lint_check k, const char *owner, int line,
    const char *fmt, ...)
{
	struct lint_report *r = c->r;
	struct lint_finding *f;
	va_list ap;
	void *v = r->v;

	mx_grow(&v, &r->cap, r->n + 1, sizeof(*r->v));
	r->v = v;
	f = &r->v[r->n];
	memset(f, 0, sizeof(*f));
	f->check = k;
	f->file = c->zones[zi].file;
	f->line = line;
	snprintf(f->owner, sizeof(f->owner), "%s", shown(owner));
	va_start(ap, fmt);
	vsnprintf(f->reason, sizeof(f->reason), fmt, ap);
	va_end(ap);
	f->zone = zi;
	f->seq = r->n;
	if (r->n == 0 || checks[k].sev > r->worst)
		r->worst = checks[k].sev;
	r->count[checks[k].sev]++;
	r->n++;
}

/* The zone holding 'name': the one with the longest origin above it. */
static const struct lint_zone *
zone_for(const struct lint_zone *zones, size_t n, const char *name, size_t *idx)
{
	const struct lint_zone *best = NULL;
	size_t i, blen = 0;

	for (i = 0; i < n; i++) {
		size_t l = strlen(zones[i].z->origin);

		if (dns_name_under(name, zones[i].z->origin) &&
		    (best == NULL || l > blen)) {
			best = &zones[i];
			blen = l;
			if (idx != NULL)
				*idx = i;
		}
	}
	return best;
}

static void
collect(const struct dns_msg *m, uint16_t type, struct lint_lookup *out)
{
	size_t i;

	for (i = 0; i < m->nan && out->na < LINT_ADDRS_MAX; i++) {
		const struct dns_rr *rr = &m->an[i];
		struct net_addr *a = &out->a[out->na];

		if (rr->type != type || !dns_name_eq(rr->name, out->final))
			continue;
		memset(a, 0, sizeof(*a));
		a->family = type == DNS_T_A ? NET_AF_INET : NET_AF_INET6;
		memcpy(a->b, type == DNS_T_A ? rr->rd.a : rr->rd.aaaa,
		    net_addr_len(a));
		out->na++;
	}
}

static bool
referral(const struct dns_msg *m)
{
	size_t i;

	for (i = 0; i < m->nns; i++)
		if (m->ns[i].type == DNS_T_NS)
			return true;
	return false;
}

void
lint_lookup(const struct lint_zone *zones, size_t nzones, const char *name,
    struct dns_msg *m, struct lint_lookup *out)
{
	char cur[DNS_NAME_MAX];
	uint8_t rcode;
	int k;

	memset(out, 0, sizeof(*out));
	snprintf(out->final, sizeof(out->final), "%s", name);
	snprintf(cur, sizeof(cur), "%s", name);
	for (;;) {
		const struct lint_zone *lz = zone_for(zones, nzones, cur, NULL);

		if (lz == NULL) {
			out->st = LINT_L_EXTERNAL;
			return;
		}
		dns_msg_init(m);
		zone_answer(lz->z, cur, DNS_T_A, m);
		k = dns_msg_chase(m, cur, CHASE_MAX - out->hops, out->final,
		    sizeof(out->final));
		if (k < 0) {
			out->st = LINT_L_LOOP;
			return;
		}
		out->hops += k;
		if (referral(m)) {
			out->st = LINT_L_DELEGATED;
			return;
		}
		if (!dns_name_under(out->final, lz->z->origin)) {
			/* The alias leaves this zone: go on where it points,
			 * as a resolver restarts there (RFC 1034 §3.6.2). */
			snprintf(cur, sizeof(cur), "%s", out->final);
			continue;
		}
		collect(m, DNS_T_A, out);
		out->nv4 = out->na;
		rcode = m->rcode;
		dns_msg_init(m);
		zone_answer(lz->z, cur, DNS_T_AAAA, m);
		collect(m, DNS_T_AAAA, out);
		if (out->na > 0)
			out->st = LINT_L_ADDR;
		else
			out->st = rcode == DNS_R_NXDOMAIN ? LINT_L_NXDOMAIN
			                                  : LINT_L_NODATA;
		return;
	}
}

/* The text of a name with the RFC 1035 §5.1 escapes undone (the codec
 * writes an IPv6 literal, one label, as "2001\058db8\058\05810"); false
 * when it does not fit or holds a NUL.  As mta.c reads an exchange. */
static bool
name_text(const char *s, char *out, size_t len)
{
	size_t n = 0;

	while (*s != '\0') {
		int ch = (unsigned char)*s++;

		if (ch == '\\' && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' &&
		    s[1] <= '9' && s[2] >= '0' && s[2] <= '9') {
			ch = (s[0] - '0') * 100 + (s[1] - '0') * 10 +
			     (s[2] - '0');
			s += 3;
		} else if (ch == '\\' && *s != '\0') {
			ch = (unsigned char)*s++;
		}
		if (ch == 0 || ch > 255 || n + 1 >= len)
			return false;
		out[n++] = (char)ch;
	}
	out[n] = '\0';
	return true;
}

bool
lint_name_literal(const char *name, struct net_addr *out)
{
	char text[DNS_NAME_MAX];
	struct net_addr a;

	if (!name_text(name, text, sizeof(text)) || !net_addr_parse(text, &a))
		return false;
	if (out != NULL)
		*out = a;
	return true;
}

/* "172800 s (2d)" */
static char *
ttl_text(uint32_t ttl, char *buf, size_t len)
{
	char d[32];

	snprintf(buf, len, "%u s (%s)", ttl,
	    dur_format(SIM_S((sim_time_t)ttl), d, sizeof(d)));
	return buf;
}

/* TTL findings for the records a sender reads to reach 'name': its
 * CNAMEs and its A/AAAA, each record once however many MX name it. */
static void
check_addr_ttls(struct ctx *c, const char *name)
{
	char cur[DNS_NAME_MAX], tt[64], tn[DNS_TYPE_STRLEN];
	int hops;

	snprintf(cur, sizeof(cur), "%s", name);
	for (hops = 0; hops <= CHASE_MAX; hops++) {
		size_t zi = 0, i;
		const struct lint_zone *lz =
		    zone_for(c->zones, c->nzones, cur, &zi);
		const char *next = NULL;

		if (lz == NULL)
			return;
		for (i = 0; i < lz->z->nrr; i++) {
			const struct dns_rr *rr = &lz->z->rr[i];

			if (!dns_name_eq(rr->name, cur) ||
			    (rr->type != DNS_T_A && rr->type != DNS_T_AAAA &&
			        rr->type != DNS_T_CNAME))
				continue;
			if (rr->type == DNS_T_CNAME)
				next = rr->rd.target;
			if (rr->ttl <= LINT_TTL_MAX || c->ttl_done[zi][i])
				continue;
			c->ttl_done[zi][i] = true;
			add(c, zi, LINT_C_TTL_LONG, rr->name,
			    rec_line(c, zi, i),
			    "%s TTL %s is longer than a day: after a change of "
			    "this MX host, senders may keep the old data that "
			    "long",
			    dns_type_name(rr->type, tn, sizeof(tn)),
			    ttl_text(rr->ttl, tt, sizeof(tt)));
		}
		if (next == NULL)
			return;
		snprintf(cur, sizeof(cur), "%s", next);
	}
}

/* An exchange "192.0.2.10" written without its final dot in a zone of
 * origin 'origin' became "192.0.2.10.<origin>": the literal part. */
static bool
relative_literal(const char *ex, const char *origin, char *lit, size_t len)
{
	size_t le = strlen(ex), lo = strlen(origin);

	if (lo == 0 || le <= lo + 1 || !dns_name_under(ex, origin) ||
	    ex[le - lo - 1] != '.' || le - lo - 1 >= len)
		return false;
	memcpy(lit, ex, le - lo - 1);
	lit[le - lo - 1] = '\0';
	return lint_name_literal(lit, NULL);
}

/* Looks up one exchange and makes the findings about it alone. */
static void
check_exchange(struct ctx *c, struct mxhost *h)
{
	const char *origin = c->zones[c->zi].z->origin;
	char lit[DNS_NAME_MAX], ab[NET_ADDR_STRLEN];
	struct net_addr a;

	if (lint_name_literal(h->name, &a)) {
		add(c, c->zi, LINT_C_MX_IP_LITERAL, c->dom, h->line,
		    "the exchange %s is an IP address, not a host name: Exim "
		    "skips it, Postfix uses it with a warning",
		    net_addr_str(&a, ab, sizeof(ab)));
		h->usable = true;
		h->lk.st = LINT_L_ADDR;
		h->lk.a[0] = a;
		h->lk.na = 1;
		h->lk.nv4 = a.family == NET_AF_INET;
		return;
	}
	if (relative_literal(h->name, origin, lit, sizeof(lit))) {
		add(c, c->zi, LINT_C_MX_IP_LITERAL, c->dom, h->line,
		    "the exchange %s was written without its final dot: it "
		    "is the name %s, not an address",
		    lit, h->name);
		return;
	}
	if (dns_name_under(h->name, "localhost")) {
		add(c, c->zi, LINT_C_MX_LOCALHOST, c->dom, h->line,
		    "the exchange %s is the sender's own loopback: senders "
		    "deliver to themselves (a loop) or treat it as a null MX",
		    h->name);
		return;
	}
	lint_lookup(c->zones, c->nzones, h->name, c->msg, &h->lk);
	if (h->lk.hops > 0)
		add(c, c->zi, LINT_C_MX_CNAME, c->dom, h->line,
		    "the exchange %s is an alias (CNAME) of %s: an MX must "
		    "name a host, and some senders refuse an alias",
		    h->name, h->lk.final);
	switch (h->lk.st) {
	case LINT_L_ADDR:
		h->usable = true;
		check_addr_ttls(c, h->name);
		break;
	case LINT_L_EXTERNAL:
	case LINT_L_DELEGATED:
		h->usable = true;
		h->external = true;
		add(c, c->zi, LINT_C_MX_EXTERNAL, c->dom, h->line,
		    "%s is %s: its A/AAAA records cannot be checked here",
		    h->lk.final,
		    h->lk.st == LINT_L_EXTERNAL
		        ? "outside the zones checked"
		        : "below a zone cut (delegated)");
		break;
	case LINT_L_NXDOMAIN:
	case LINT_L_NODATA:
		add(c, c->zi, LINT_C_MX_NO_ADDRESS, c->dom, h->line,
		    "%s %s: senders skip this MX", h->lk.final,
		    h->lk.st == LINT_L_NXDOMAIN ? "does not exist in the zone"
		                                : "has no A or AAAA record");
		break;
	case LINT_L_LOOP:
		add(c, c->zi, LINT_C_MX_NO_ADDRESS, c->dom, h->line,
		    "the CNAME chain of %s does not end (a loop, or more than "
		    "%d links): senders skip this MX",
		    h->name, CHASE_MAX);
		break;
	}
}

/* The MX records of the domain: findings per record, and its hosts
 * (each exchange once, at its lowest preference).  Returns the hosts;
 * '*nnull' and '*nreal' count null and other records. */
static struct mxhost *
gather(struct ctx *c, size_t first, size_t *nh, size_t *nnull, size_t *nreal,
    int *null_line)
{
	const struct zone *z = c->zones[c->zi].z;
	struct mxhost *h = NULL;
	size_t cap = 0, i, k;
	char tt[64];

	*nh = *nnull = *nreal = 0;
	*null_line = 0;
	for (i = first; i < z->nrr; i++) {
		const struct dns_rr *rr = &z->rr[i];
		int line;
		void *v;

		if (rr->type != DNS_T_MX || !dns_name_eq(rr->name, c->dom))
			continue;
		line = rec_line(c, c->zi, i);
		if (rr->ttl > LINT_TTL_MAX && !c->ttl_done[c->zi][i]) {
			c->ttl_done[c->zi][i] = true;
			add(c, c->zi, LINT_C_TTL_LONG, c->dom, line,
			    "MX TTL %s is longer than a day: after a change of "
			    "the MX set, senders may use the old one that long",
			    ttl_text(rr->ttl, tt, sizeof(tt)));
		}
		if (rr->rd.mx.exchange[0] == '\0') {
			if (++*nnull == 1)
				*null_line = line;
			if (rr->rd.mx.pref != 0)
				add(c, c->zi, LINT_C_NULL_MX_PREF, c->dom, line,
				    "a null MX has preference %u: it must be "
				    "\"MX 0 .\", and Sendmail, Haraka and "
				    "OpenSMTPD recognise only that",
				    rr->rd.mx.pref);
			continue;
		}
		++*nreal;
		for (k = 0; k < *nh; k++)
			if (dns_name_eq(h[k].name, rr->rd.mx.exchange))
				break;
		if (k < *nh) {
			if (rr->rd.mx.pref < h[k].pref)
				h[k].pref = rr->rd.mx.pref;
			continue;
		}
		v = h;
		mx_grow(&v, &cap, *nh + 1, sizeof(*h));
		h = v;
		memset(&h[*nh], 0, sizeof(*h));
		snprintf(
		    h[*nh].name, sizeof(h[*nh].name), "%s", rr->rd.mx.exchange);
		h[*nh].pref = rr->rd.mx.pref;
		h[*nh].line = line;
		check_exchange(c, &h[*nh]);
		++*nh;
	}
	return h;
}

/* The hosts in the order senders sort them (mx_order(), stable: answer
 * order among equal preferences); 'ord' receives indexes into 'h'. */
static void
sort_hosts(const struct mxhost *h, size_t nh, size_t *ord)
{
	struct mx_entry *e = mx_xcalloc(nh + 1, sizeof(*e));
	size_t i, k, n;

	for (i = 0; i < nh; i++) {
		e[i].pref = h[i].pref;
		snprintf(e[i].host, sizeof(e[i].host), "%s", h[i].name);
	}
	n = mx_order(e, nh, MTA_ORDER_NONE, NULL);
	for (i = 0; i < n; i++)
		for (k = 0; k < nh; k++)
			if (dns_name_eq(e[i].host, h[k].name))
				ord[i] = k;
	free(e);
}

/* Postfix tries at most smtp_mx_address_limit = 5 addresses per delivery
 * (smtp_connect.c smtp_connect_inet(); mta-behavior.md §2.2 item 7), so a
 * backup after five addresses of better hosts is never tried by it. */
static void
check_address_limit(
    struct ctx *c, const struct mxhost *h, const size_t *ord, size_t nh)
{
	size_t i = 0, j, k, before = 0;
	bool atleast = false;

	while (i < nh) {
		uint16_t level = h[ord[i]].pref;

		for (j = i; j < nh && h[ord[j]].pref == level; j++)
			;
		for (k = i; k < j && i > 0 && before >= LINT_POSTFIX_ADDRS; k++)
			if (h[ord[k]].usable)
				add(c, c->zi, LINT_C_ADDRESS_LIMIT, c->dom,
				    h[ord[k]].line,
				    "%s (preference %u) comes after %s%zu "
				    "addresses of better MX hosts: Postfix "
				    "tries %d per delivery and never reaches "
				    "it",
				    h[ord[k]].name, level,
				    atleast ? "at least " : "", before,
				    LINT_POSTFIX_ADDRS);
		for (k = i; k < j; k++) {
			const struct mxhost *x = &h[ord[k]];

			if (x->external) {
				before += 1; /* one at least, if any */
				atleast = true;
			} else if (x->usable)
				before += x->lk.na;
		}
		i = j;
	}
}

/* Same /24 (IPv4) or /48 (IPv6): one network, one outage. */
static bool
same_net(const struct net_addr *a, const struct net_addr *b, int *bits)
{
	if (a->family != b->family)
		return false;
	*bits = a->family == NET_AF_INET ? 24 : 48;
	return memcmp(a->b, b->b, (size_t)*bits / 8) == 0;
}

/* Two MX hosts at one address, or in one network: a failure there takes
 * both, whatever their preferences say. */
static void
check_shared(
    struct ctx *c, const struct mxhost *h, const size_t *ord, size_t nh)
{
	char x[NET_ADDR_STRLEN], y[NET_ADDR_STRLEN];
	size_t i, j, p, q;
	int bits = 0;

	for (j = 1; j < nh; j++)
		for (i = 0; i < j; i++) {
			const struct mxhost *a = &h[ord[i]], *b = &h[ord[j]];
			bool done = false;

			if (!a->usable || !b->usable)
				continue;
			for (p = 0; p < a->lk.na && !done; p++)
				for (q = 0; q < b->lk.na && !done; q++)
					if (net_addr_eq(
					        &a->lk.a[p], &b->lk.a[q])) {
						add(c, c->zi,
						    LINT_C_SHARED_ADDRESS,
						    c->dom, b->line,
						    "%s and %s share the address "
						    "%s: one failure takes both",
						    b->name, a->name,
						    net_addr_str(&a->lk.a[p], x,
						        sizeof(x)));
						done = true;
					}
			for (p = 0; p < a->lk.na && !done; p++)
				for (q = 0; q < b->lk.na && !done; q++)
					if (same_net(&a->lk.a[p], &b->lk.a[q],
					        &bits)) {
						add(c, c->zi,
						    LINT_C_SHARED_NETWORK,
						    c->dom, b->line,
						    "%s (%s) and %s (%s) are in "
						    "one /%d network: one outage "
						    "there takes both",
						    b->name,
						    net_addr_str(&b->lk.a[q], y,
						        sizeof(y)),
						    a->name,
						    net_addr_str(&a->lk.a[p], x,
						        sizeof(x)),
						    bits);
						done = true;
					}
		}
}

/* The scenario host behind an MX host: by name (its FQDN), else by one
 * of the addresses the zones give. */
static const struct world_host *
host_of(const struct world *w, const struct mxhost *m)
{
	size_t i, a, k;

	for (i = 0; i < w->nhosts; i++)
		if (w->hosts[i].hostname != NULL &&
		    dns_name_eq(w->hosts[i].hostname, m->name))
			return &w->hosts[i];
	for (i = 0; i < w->nhosts; i++)
		for (a = 0; a < w->hosts[i].naddr; a++)
			for (k = 0; k < m->lk.na; k++)
				if (net_addr_eq(
				        &w->hosts[i].addr[a], &m->lk.a[k]))
					return &w->hosts[i];
	return NULL;
}

static bool
knows(const struct world_host *h, const char *mbox)
{
	size_t i;

	for (i = 0; i < h->nmailboxes; i++)
		if (strcasecmp(h->mailboxes[i], mbox) == 0)
			return true;
	return false;
}

static bool
in_domain(const char *mbox, const char *dom)
{
	const char *at = strrchr(mbox, '@');

	return at != NULL && dns_name_eq(at + 1, dom);
}

/* A backup that knows other users than the primary (a scenario's
 * 'mailboxes' is its recipient validation). */
static void
check_backup(struct ctx *c, const struct mxhost *b, const struct mxhost *p)
{
	const struct world_host *bh = b->host, *ph = p->host;
	const char *first = NULL;
	size_t i, missing = 0;
	char more[64] = "";

	if (bh->nmailboxes == 0) {
		if (ph->nmailboxes > 0)
			add(c, c->zi, LINT_C_BACKUP_ACCEPTS_ALL, c->dom,
			    c->dline,
			    "backup %s (host '%s') accepts any recipient while "
			    "the primary %s (host '%s') knows its users: mail "
			    "for unknown users is taken, then bounced "
			    "(backscatter)",
			    b->name, bh->name, p->name, ph->name);
		return;
	}
	if (ph->nmailboxes == 0) {
		add(c, c->zi, LINT_C_BACKUP_REJECTS, c->dom, c->dline,
		    "backup %s (host '%s') accepts only its mailboxes while "
		    "the primary %s (host '%s') accepts every user: during a "
		    "primary outage the others get 550 and bounce",
		    b->name, bh->name, p->name, ph->name);
		return;
	}
	for (i = 0; i < ph->nmailboxes; i++)
		if (in_domain(ph->mailboxes[i], c->dom) &&
		    !knows(bh, ph->mailboxes[i]) && missing++ == 0)
			first = ph->mailboxes[i];
	if (missing == 0)
		return;
	if (missing > 1)
		snprintf(more, sizeof(more), " and %zu more", missing - 1);
	add(c, c->zi, LINT_C_BACKUP_REJECTS, c->dom, c->dline,
	    "backup %s (host '%s') lacks %s%s, which the primary %s (host "
	    "'%s') accepts: during a primary outage it answers 550 and "
	    "senders bounce",
	    b->name, bh->name, first, more, p->name, ph->name);
}

/* The hosts behind the MX hosts: each one a mail server, and backups
 * that take the same users as the primary. */
static void
check_hosts(struct ctx *c, struct mxhost *h, const size_t *ord, size_t nh)
{
	char ab[NET_ADDR_STRLEN];
	size_t i, k;
	int best = -1;

	for (i = 0; i < nh; i++) {
		struct mxhost *m = &h[ord[i]];

		if (!m->usable)
			continue;
		m->host = host_of(c->w, m);
		if (m->host == NULL && !m->external)
			add(c, c->zi, LINT_C_MX_NO_SERVER, c->dom, c->dline,
			    "no host of the scenario has the address %s of "
			    "%s: connections to it go nowhere",
			    net_addr_str(&m->lk.a[0], ab, sizeof(ab)), m->name);
		else if (m->host != NULL && !m->host->smtp) {
			add(c, c->zi, LINT_C_MX_NO_SERVER, c->dom, c->dline,
			    "%s is host '%s', which has no smtp role: it "
			    "refuses connections to port 25",
			    m->name, m->host->name);
			m->host = NULL;
		}
		if (m->host != NULL && best < 0)
			best = m->pref;
	}
	if (best < 0)
		return;
	for (i = 0; i < nh; i++) {
		const struct mxhost *b = &h[ord[i]];

		if (b->host == NULL || b->pref == best)
			continue;
		if (!b->host->relay)
			add(c, c->zi, LINT_C_BACKUP_NO_RELAY, c->dom, c->dline,
			    "backup %s (host '%s') has no smtp.relay: what it "
			    "takes while a better MX is down stays in its own "
			    "mailbox and is never forwarded",
			    b->name, b->host->name);
		for (k = 0; k < nh; k++) {
			const struct mxhost *p = &h[ord[k]];

			if (p->host != NULL && p->pref == best &&
			    p->host != b->host)
				check_backup(c, b, p);
		}
	}
}

/* All the checks of one mail domain, whose first MX record is
 * z->rr[first]. */
static void
check_domain(struct ctx *c, size_t first)
{
	struct mxhost *h;
	size_t nh, nnull, nreal, i, *ord;
	int null_line;
	bool same = true;

	c->dom = c->zones[c->zi].z->rr[first].name;
	c->dline = rec_line(c, c->zi, first);
	c->r->ndomains++;
	h = gather(c, first, &nh, &nnull, &nreal, &null_line);
	if (nnull > 0 && nreal > 0)
		add(c, c->zi, LINT_C_NULL_MX_MIXED, c->dom, null_line,
		    "a null MX next to %zu other MX record%s: a domain with "
		    "a null MX must have no other; Postfix then bounces all "
		    "mail, Exim uses the other hosts",
		    nreal, nreal == 1 ? "" : "s");
	if (nh == 0) {
		free(h);
		return;
	}
	ord = mx_xcalloc(nh, sizeof(*ord));
	sort_hosts(h, nh, ord);
	for (i = 1; i < nh; i++)
		if (h[i].pref != h[0].pref)
			same = false;
	if (nh == 1)
		add(c, c->zi, LINT_C_SINGLE_MX, c->dom, h[0].line,
		    "%s is the only MX host: while it is down, mail waits in "
		    "the senders' queues and bounces after their give-up time",
		    h[0].name);
	else if (same)
		add(c, c->zi, LINT_C_EQUAL_PREF, c->dom, h[0].line,
		    "the %zu MX hosts all have preference %u: senders pick "
		    "among them at random; if one is meant as a backup, give "
		    "it a higher number",
		    nh, h[0].pref);
	check_address_limit(c, h, ord, nh);
	check_shared(c, h, ord, nh);
	if (c->w != NULL)
		check_hosts(c, h, ord, nh);
	free(ord);
	free(h);
}

/* A zone without any MX record whose apex has an address: mail for it
 * goes to that address (the implicit MX). */
static void
check_no_mx(struct ctx *c)
{
	const struct zone *z = c->zones[c->zi].z;
	size_t i, soa = 0;
	bool addr = false;

	for (i = 0; i < z->nrr; i++) {
		const struct dns_rr *rr = &z->rr[i];

		if (rr->type == DNS_T_MX)
			return;
		if (rr->type == DNS_T_SOA)
			soa = i;
		if ((rr->type == DNS_T_A || rr->type == DNS_T_AAAA) &&
		    dns_name_eq(rr->name, z->origin))
			addr = true;
	}
	if (addr)
		add(c, c->zi, LINT_C_NO_MX, z->origin, rec_line(c, c->zi, soa),
		    "no MX record: senders deliver to the address of %s "
		    "itself (the implicit MX); publish an MX, or a null MX if "
		    "it takes no mail",
		    shown(z->origin));
}

static int
finding_cmp(const void *a, const void *b)
{
	const struct lint_finding *x = a, *y = b;

	if (x->zone != y->zone)
		return x->zone < y->zone ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* True when z->rr[i] is the first MX record of its owner. */
static bool
first_mx(const struct zone *z, size_t i)
{
	size_t k;

	if (z->rr[i].type != DNS_T_MX)
		return false;
	for (k = 0; k < i; k++)
		if (z->rr[k].type == DNS_T_MX &&
		    dns_name_eq(z->rr[k].name, z->rr[i].name))
			return false;
	return true;
}

void
lint_run(const struct lint_zone *zones, size_t nzones, const struct world *w,
    struct lint_report *r)
{
	struct ctx c;
	size_t i, zi;

	memset(&c, 0, sizeof(c));
	c.zones = zones;
	c.nzones = nzones;
	c.w = w;
	c.r = r;
	c.msg = mx_xmalloc(sizeof(*c.msg));
	c.ttl_done = mx_xcalloc(nzones + 1, sizeof(*c.ttl_done));
	r->origins = mx_xcalloc(nzones + 1, sizeof(*r->origins));
	for (zi = 0; zi < nzones; zi++) {
		c.ttl_done[zi] = mx_xcalloc(zones[zi].z->nrr + 1, sizeof(bool));
		r->origins[zi] = mx_xstrdup(shown(zones[zi].z->origin));
	}
	r->nzones = nzones;
	for (zi = 0; zi < nzones; zi++) {
		const struct zone *z = zones[zi].z;

		c.zi = zi;
		for (i = 0; i < z->nrr; i++)
			if (first_mx(z, i))
				check_domain(&c, i);
		check_no_mx(&c);
	}
	if (r->n > 1)
		qsort(r->v, r->n, sizeof(*r->v), finding_cmp);
	for (zi = 0; zi < nzones; zi++)
		free(c.ttl_done[zi]);
	free(c.ttl_done);
	free(c.msg);
}

int
lint_world(const struct world *w, struct lint_report *r, struct mx_err *err)
{
	struct zone *zs = mx_xcalloc(w->nzones + 1, sizeof(*zs));
	struct lint_zone *lz = mx_xcalloc(w->nzones + 1, sizeof(*lz));
	struct mx_err e;
	size_t i, k, made = 0;
	int rc = 0;

	/* As world.c builds the zones of a run: the master file's records
	 * (read by world_check()), then the inline rows. */
	for (i = 0; i < w->nzones && rc == 0; i++) {
		const struct world_zone *wz = &w->zones[i];

		zone_init(&zs[i], wz->origin, wz->ttl);
		made++;
		for (k = 0; k < wz->nfrr; k++)
			zone_add_rr(&zs[i], &wz->frr[k]);
		for (k = 0; k < wz->nrows && rc == 0; k++) {
			const struct world_row *row = &wz->rows[k];

			mx_err_clear(&e);
			if (zone_add_text(&zs[i], row->owner, row->type,
			        (const char *const *)row->rdata, row->nrdata,
			        row->has_ttl ? row->ttl : wz->ttl, &e) != 0)
				rc = mx_err_set(err, MX_ESCRIPT,
				    "%s:%d: zone '%s', record %d: %s",
				    row->at.file, row->at.line,
				    shown(wz->origin), row->index, e.msg);
		}
		mx_err_clear(&e);
		if (rc == 0 && zone_finish(&zs[i], &e) != 0)
			rc = mx_err_set(err, MX_ESCRIPT, "%s:%d: zone '%s': %s",
			    wz->at.file, wz->at.line, shown(wz->origin), e.msg);
		lz[i].file = wz->at.file;
		lz[i].line = wz->at.line;
		lz[i].z = &zs[i];
	}
	if (rc == 0)
		lint_run(lz, w->nzones, w, r);
	for (i = 0; i < made; i++)
		zone_fini(&zs[i]);
	free(zs);
	free(lz);
	return rc;
}

/* --- master files with lines ---------------------------------------------
 *
 * zone_load_fp() checks the file and says what is wrong with it (file:line);
 * it keeps no line per record, which findings need.  So the file is also
 * read here entry by entry with ldns, the way zonefile.c reads it (one
 * ldns_rr_new_frm_fp() call per entry, from an in-memory stream), and
 * each record gets the line of the first byte of its entry that is
 * neither blank nor comment, as zonefile.c counts it.  The same bytes,
 * origin and TTL give ldns the same entries, so the n-th record read
 * here is the n-th record of the zone.
 */

struct scan {
	const char *buf;               /* borrowed file contents */
	size_t len;                    /* bytes */
	size_t counted;                /* newlines counted in [0, counted) */
	int line;                      /* line of buf[counted] */
	int *lines;                    /* owned: line of each record */
	size_t n, cap;                 /* count and capacity */
	char soa[DNS_NAME_MAX + 1];    /* owner of the first SOA, or "" */
	char origin[DNS_NAME_MAX + 1]; /* first $ORIGIN, or "" */
	bool has_soa, has_origin;      /* those were seen */
};

static int
scan_line_at(struct scan *s, size_t pos)
{
	for (; s->counted < pos && s->counted < s->len; s->counted++)
		if (s->buf[s->counted] == '\n')
			s->line++;
	return s->line;
}

static size_t
scan_entry_start(const struct scan *s, size_t from, size_t to)
{
	size_t i = from;

	while (i < to) {
		char ch = s->buf[i];

		if (ch == ';') {
			while (i < to && s->buf[i] != '\n')
				i++;
		} else if (ch == ' ' || ch == '\t' || ch == '\n' ||
		           ch == '\r' || ch == '\f' || ch == '\v' || ch == '\0')
			i++;
		else
			break;
	}
	return i;
}

static void
rdf_text(const ldns_rdf *f, char *out, size_t len)
{
	char *t = ldns_rdf2str(f);

	snprintf(out, len, "%s", t != NULL ? t : "");
	free(t);
}

/* Reads the entries of s->buf from 'origin' on, until the end or the
 * first error (zone_load_fp() reports it). */
static void
scan_entries(struct scan *s, const char *origin)
{
	ldns_rdf *orig = ldns_dname_new_frm_str(origin), *prev;
	uint32_t ttl = DEFAULT_TTL;
	FILE *m;

	if (orig == NULL)
		return;
	prev = ldns_rdf_clone(orig);
	m = fmemopen((void *)s->buf, s->len, "r");
	while (m != NULL && !feof(m)) {
		ldns_rr *lr = NULL;
		long p0 = ftell(m), p1;
		ldns_status st = ldns_rr_new_frm_fp(&lr, m, &ttl, &orig, &prev);
		int line;

		p1 = ftell(m);
		if (p0 < 0 || p1 <= p0) {
			ldns_rr_free(lr);
			break;
		}
		line = scan_line_at(
		    s, scan_entry_start(s, (size_t)p0, (size_t)p1));
		if (st == LDNS_STATUS_SYNTAX_ORIGIN && !s->has_origin) {
			rdf_text(orig, s->origin, sizeof(s->origin));
			s->has_origin = true;
		} else if (st == LDNS_STATUS_OK) {
			void *v = s->lines;

			mx_grow(&v, &s->cap, s->n + 1, sizeof(*s->lines));
			s->lines = v;
			s->lines[s->n++] = line;
			if (ldns_rr_get_type(lr) == LDNS_RR_TYPE_SOA &&
			    !s->has_soa) {
				rdf_text(
				    ldns_rr_owner(lr), s->soa, sizeof(s->soa));
				s->has_soa = true;
			}
		} else if (st != LDNS_STATUS_SYNTAX_EMPTY &&
		           st != LDNS_STATUS_SYNTAX_TTL &&
		           st != LDNS_STATUS_SYNTAX_ORIGIN) {
			ldns_rr_free(lr);
			break;
		}
		ldns_rr_free(lr);
	}
	if (m != NULL)
		fclose(m);
	ldns_rdf_deep_free(orig);
	ldns_rdf_deep_free(prev);
}

static void
scan_reset(struct scan *s)
{
	free(s->lines);
	s->lines = NULL;
	s->n = s->cap = 0;
	s->counted = 0;
	s->line = 1;
}

static int
read_all(const char *path, const char *shown_name, char **buf, size_t *len,
    struct mx_err *err)
{
	FILE *fp = fopen(path, "rb");
	size_t cap = 0, n;

	*buf = NULL;
	*len = 0;
	if (fp == NULL)
		return mx_err_set(err, MX_EIO,
		    "%s: cannot open the zone file: %s", shown_name,
		    strerror(errno));
	for (;;) {
		if (*len == cap) {
			if (cap >= FILE_MAX) {
				fclose(fp);
				free(*buf);
				*buf = NULL;
				return mx_err_set(err, MX_ELIMIT,
				    "%s: the zone file is larger than 16 MiB",
				    shown_name);
			}
			cap = cap ? cap * 2 : 8192;
			*buf = mx_xrealloc(*buf, cap + 1);
		}
		n = fread(*buf + *len, 1, cap - *len, fp);
		*len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		fclose(fp);
		free(*buf);
		*buf = NULL;
		return mx_err_set(
		    err, MX_EIO, "%s: cannot read the zone file", shown_name);
	}
	fclose(fp);
	return 0;
}

int
lint_zonefile_load(const char *path, const char *shown_name, const char *origin,
    const char *fallback, struct zone *z, int **lines, struct mx_err *err)
{
	struct scan s;
	char org[DNS_NAME_MAX + 1];
	char *buf;
	size_t len, i, off;
	FILE *fp;
	int rc;

	*lines = NULL;
	if ((rc = read_all(path, shown_name, &buf, &len, err)) != 0)
		return rc;
	if (len == 0) {
		/* fmemopen() may refuse a size of 0: an empty line instead. */
		buf[0] = '\n';
		len = 1;
	}
	memset(&s, 0, sizeof(s));
	s.buf = buf;
	s.len = len;
	s.line = 1;
	if (origin != NULL)
		snprintf(org, sizeof(org), "%s", origin);
	else {
		/* Names relative to the root until a $ORIGIN: the SOA's
		 * owner then reads absolute when the file says it. */
		scan_entries(&s, ".");
		if (s.has_soa && strcmp(s.soa, ".") != 0)
			snprintf(org, sizeof(org), "%s", s.soa);
		else if (s.has_origin)
			snprintf(org, sizeof(org), "%s", s.origin);
		else if (fallback != NULL)
			snprintf(org, sizeof(org), "%s", fallback);
		else {
			free(s.lines);
			free(buf);
			return mx_err_set(err, MX_ENOENT,
			    "%s:1: no SOA record and no $ORIGIN: the zone's "
			    "origin is not known",
			    shown_name);
		}
		scan_reset(&s);
	}
	if (strlen(org) > 1 && org[strlen(org) - 1] == '.')
		org[strlen(org) - 1] = '\0';
	if (!dns_name_valid(org)) {
		free(s.lines);
		free(buf);
		return mx_err_set(err, MX_EINVAL,
		    "%s: '%s' is not a valid zone origin", shown_name, org);
	}
	zone_init(z, org, DEFAULT_TTL);
	fp = fmemopen(buf, len, "r");
	if (fp == NULL) {
		free(buf);
		return mx_err_set(err, MX_EIO, "%s: cannot read: %s",
		    shown_name, strerror(errno));
	}
	rc = zone_load_fp(z, fp, shown_name, DEFAULT_TTL, err);
	fclose(fp);
	if (rc == 0) {
		char dotted[DNS_NAME_MAX + 2];

		snprintf(dotted, sizeof(dotted), "%s.", z->origin);
		scan_entries(&s, z->origin[0] ? dotted : ".");
		*lines = mx_xcalloc(z->nrr + 1, sizeof(**lines));
		/* zone_finish() put a SOA it made first. */
		off = z->nrr == s.n + 1 ? 1 : 0;
		for (i = 0; i < s.n && i + off < z->nrr; i++)
			(*lines)[i + off] = s.lines[i];
	}
	free(s.lines);
	free(buf);
	return rc;
}

/* --- output ------------------------------------------------------------- */

static const char *
plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

void
lint_print_text(FILE *out, const struct lint_report *r, const char *file)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct lint_finding *f = &r->v[i];

		fprintf(out, "%s:%d: %s: %s: %s: %s [%s]\n", f->file, f->line,
		    sev_names[checks[f->check].sev], checks[f->check].id,
		    f->owner, f->reason, checks[f->check].source);
	}
	fprintf(out,
	    "%s: %zu error%s, %zu warning%s, %zu info (%zu mail domain%s in "
	    "%zu zone%s)\n",
	    file, r->count[LINT_ERROR], plural(r->count[LINT_ERROR], "", "s"),
	    r->count[LINT_WARNING], plural(r->count[LINT_WARNING], "", "s"),
	    r->count[LINT_INFO], r->ndomains, plural(r->ndomains, "", "s"),
	    r->nzones, plural(r->nzones, "", "s"));
}

void
lint_print_json(FILE *out, const struct lint_report *r, const char *file)
{
	size_t i;

	fputs("{\"file\": ", out);
	json_str(out, file);
	fputs(", \"zones\": [", out);
	for (i = 0; i < r->nzones; i++) {
		fputs(i ? ", " : "", out);
		json_str(out, r->origins[i]);
	}
	fprintf(out,
	    "], \"domains\": %zu, \"errors\": %zu, \"warnings\": %zu, "
	    "\"info\": %zu,\n \"findings\": [",
	    r->ndomains, r->count[LINT_ERROR], r->count[LINT_WARNING],
	    r->count[LINT_INFO]);
	for (i = 0; i < r->n; i++) {
		const struct lint_finding *f = &r->v[i];

		fputs(i ? ",\n  {\"file\": " : "\n  {\"file\": ", out);
		json_str(out, f->file);
		fprintf(out,
		    ", \"line\": %d, \"severity\": \"%s\", \"id\": ", f->line,
		    sev_names[checks[f->check].sev]);
		json_str(out, checks[f->check].id);
		fputs(", \"owner\": ", out);
		json_str(out, f->owner);
		fputs(", \"reason\": ", out);
		json_str(out, f->reason);
		fputs(", \"source\": ", out);
		json_str(out, checks[f->check].source);
		fputs("}", out);
	}
	fputs(r->n ? "\n ]}\n" : "]}\n", out);
}

/*
 * explain.c - "mxsim explain": a delivery, told in advance.
 *
 * The steps follow the simulated MTA (mta.c), which follows RFC 5321 §5.1
 * with the choices of its profile (profile.h):
 *  1. MX lookup: the zone's answer (zone_answer(), as the simulated
 *     server gives it), a CNAME of the domain followed, NXDOMAIN, the
 *     implicit MX (implicit_mx), the null MX (null_mx);
 *  2. order: mx_arrange(), the MTA's own code, with equal preferences
 *     kept in answer order for the listing, and each run of equal
 *     preferences described as equal_pref makes it (shuffled per host or
 *     per address at every delivery attempt, a per-process hash, or
 *     kept); pref_order; mx_host_limit;
 *  3. addresses: AAAA and A of each host (a dual-stack sender), in the
 *     family order of address_order; aliases (mx_cname), IP literals
 *     (mx_ip_literal), no address at all (no_address);
 *  4. the limits: max_addresses, mx_lookahead, mx_session_limit;
 *  5. the connection attempts, in order, and what happens when all fail:
 *     the retry times computed with the MTA's own schedule code
 *     (mta_sched_fail(): schedule, retry, backoff, retry_rules,
 *     queue_run, max_attempts) up to give_up;
 *  6. each single failure of one MX host, six kinds (down, refusing, 4xx
 *     and 5xx at the greeting, 4xx and 5xx at RCPT): the attempts are
 *     walked as pick_target() and session_after() in mta.c walk them,
 *     with the reaction the knobs give (greeting_4xx, greeting_5xx,
 *     rcpt_4xx; connection failures always go on, a 5xx to RCPT always
 *     bounces), the limits, and the time each failure costs
 *     (connect_timeout, or the kernel's SYN limit computed from the TCP
 *     defaults when the knob is 0 or longer).
 *
 * A run of equal preferences drawn at random is walked with the failing
 * host first (the case where it matters); whatever comes next is "the
 * next host drawn".  Nothing depends on the profile's name.
 */
#include "explain.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../core/dur.h"
#include "../mta/mx.h"
#include "../mta/sched.h"
#include "../net/tcp.h"
#include "lint.h"

#define HOSTS_MAX MX_LIST_MAX
#define SLOTS_MAX (MX_LIST_MAX * LINT_ADDRS_MAX)

/* One MX host, after the lookups. */
struct xhost {
	char name[DNS_NAME_MAX];           /* the exchange */
	uint16_t pref;                     /* its preference */
	size_t run;                        /* index of its run */
	struct net_addr a[LINT_ADDRS_MAX]; /* addresses, in the order tried */
	size_t na;                         /* how many */
	bool unknown;                      /* outside the zone: one slot */
	size_t nslots;                     /* attempts it takes: na, or 1 */
	size_t pos;                        /* its first slot, from 0 */
};

/* Hosts tried one after the other at one preference; 'random' when their
 * order changes between delivery attempts or processes. */
struct xrun {
	uint16_t pref; /* the preference */
	size_t first;  /* its first host in x->h */
	size_t n;      /* hosts */
	size_t pos;    /* its first slot */
	size_t slots;  /* its slots */
	bool random;   /* drawn: equal_pref shuffle, per-address, hash */
};

struct explain {
	FILE *out;                       /* borrowed */
	const struct explain_in *in;     /* borrowed */
	const struct mta_profile *p;     /* borrowed: in->prof */
	struct lint_zone lz;             /* the zone, for lint_lookup() */
	struct dns_msg *msg;             /* owned scratch */
	struct mx_entry mx[MX_LIST_MAX]; /* the MX set, then arranged */
	size_t nmx;                      /* how many */
	size_t nused;                    /* within mx_host_limit */
	struct xhost h[HOSTS_MAX];       /* hosts with addresses, in order */
	size_t nh;                       /* how many */
	struct xrun run[HOSTS_MAX];      /* their runs */
	size_t nrun;                     /* how many */
	size_t slots;                    /* connection attempts possible */
	size_t slot_host[SLOTS_MAX];     /* the host of each slot */
};

/* The six single failures of step 6. */
enum fkind { F_DOWN, F_REFUSE, F_GREET4, F_GREET5, F_RCPT4, F_RCPT5, F_N };

static const char *const fnames[F_N] = {
    "down (SYNs unanswered)",
    "refuses (RST)",
    "4xx at greeting",
    "5xx at greeting",
    "4xx at RCPT",
    "5xx at RCPT",
};

static const char *const act_names[] = {
#define XX(id, s) s,
    MTA_ACT_MAP(XX)
#undef XX
};

static const char *const aorder_names[] = {
#define XX(id, s) s,
    MTA_AORDER_MAP(XX)
#undef XX
};

static const char *const sched_names[] = {
#define XX(id, s) s,
    MTA_SCHED_MAP(XX)
#undef XX
};

static const char *
shown(const char *name)
{
	return name[0] != '\0' ? name : ".";
}

static const char *
ordinal(size_t n, char *buf, size_t len)
{
	const char *suf = "th";

	if (n % 100 < 11 || n % 100 > 13)
		suf = n % 10 == 1   ? "st"
		      : n % 10 == 2 ? "nd"
		      : n % 10 == 3 ? "rd"
		                    : "th";
	snprintf(buf, len, "%zu%s", n, suf);
	return buf;
}

static size_t
factorial(size_t n)
{
	size_t f = 1;

	while (n > 1 && f < (size_t)1 << 40)
		f *= n--;
	return f;
}

/* The kernel's give-up time for a connect (tcp.c: the SYN waits double
 * after the linear ones; 127 s with Linux's defaults). */
static sim_time_t
syn_limit(void)
{
	struct tcp_params tp;
	sim_time_t t = 0, rto;
	int r;

	tcp_params_default(&tp);
	rto = tp.rto_initial;
	for (r = 0; r <= tp.syn_retries + tp.syn_linear_timeouts; r++) {
		t += rto;
		if (r + 1 > tp.syn_linear_timeouts)
			rto = rto * 2 > tp.rto_max ? tp.rto_max : rto * 2;
	}
	return t;
}

/* "30s (connect_timeout)" or "2m7s (the kernel's SYN limit; ...)". */
static const char *
connect_wait(const struct mta_profile *p, char *buf, size_t len)
{
	sim_time_t k = syn_limit(), t = p->connect_timeout;
	char d[32], e[32];

	if (t > 0 && t < k)
		snprintf(buf, len, "%s (connect_timeout)",
		    dur_format(t, d, sizeof(d)));
	else
		snprintf(buf, len,
		    "%s (the kernel's SYN limit; connect_timeout = %s)",
		    dur_format(k, d, sizeof(d)), dur_format(t, e, sizeof(e)));
	return buf;
}

/* --- retries -------------------------------------------------------------- */

/* How the schedule is set, for the reader. */
static void
schedule_text(const struct mta_profile *p, char *buf, size_t len)
{
	char a[32], b[32], list[200] = "";
	size_t i, off = 0;

	switch (p->schedule) {
	case MTA_SCHED_LIST:
		for (i = 0; i < p->nretry && off + 40 < sizeof(list); i++)
			off += (size_t)snprintf(list + off, sizeof(list) - off,
			    "%s%s", i ? ", " : "",
			    dur_format(p->retry[i], a, sizeof(a)));
		snprintf(buf, len, "schedule = list, retry = %s", list);
		break;
	case MTA_SCHED_POSTFIX:
	case MTA_SCHED_QUADRATIC:
		snprintf(buf, len, "schedule = %s, backoff_min = %s%s%s",
		    sched_names[p->schedule],
		    dur_format(p->backoff_min, a, sizeof(a)),
		    p->schedule == MTA_SCHED_POSTFIX ? ", backoff_max = " : "",
		    p->schedule == MTA_SCHED_POSTFIX
		        ? dur_format(p->backoff_max, b, sizeof(b))
		        : "");
		break;
	case MTA_SCHED_EXIM:
		snprintf(buf, len, "schedule = exim, retry_rules = %s",
		    p->nrules ? p->rules_text : "-");
		break;
	default:
		snprintf(buf, len, "schedule = %s", sched_names[p->schedule]);
		break;
	}
	off = strlen(buf);
	if (p->queue_run > 0 && off < len)
		snprintf(buf + off, len - off, ", queue_run = %s",
		    dur_format(p->queue_run, a, sizeof(a)));
	off = strlen(buf);
	if (p->retry_jitter > 0 && off < len)
		snprintf(buf + off, len - off, ", plus up to %s of jitter",
		    dur_format(p->retry_jitter, a, sizeof(a)));
}

/* What happens to a message whose every delivery attempt fails at once:
 * the attempt times mta_sched_fail() gives (mta.c job_end()), and when
 * it bounces (give_up, or the schedule running out). */
static void
deferral(const struct mta_profile *p, char *buf, size_t len)
{
	struct mta_rstate rs;
	sim_time_t t = 0, when;
	char list[256] = "", how[300], d[32], e[32];
	size_t off = 0;
	int k;

	mta_rstate_init(&rs);
	schedule_text(p, how, sizeof(how));
	for (k = 1; k < 100000; k++) {
		if (k == 1 && t >= p->give_up) {
			snprintf(buf, len,
			    "the message bounces at once (give_up = %s)",
			    dur_format(p->give_up, e, sizeof(e)));
			return;
		}
		if (t >= p->give_up) {
			snprintf(buf, len,
			    "the message is deferred and tried again at %s... "
			    "after the first attempt (%s); it bounces at the "
			    "attempt at %s, once queued for %s (give_up)",
			    list, how, dur_format(t, d, sizeof(d)),
			    dur_format(p->give_up, e, sizeof(e)));
			return;
		}
		if (mta_sched_fail(p, 0, t, &rs, NULL, &when)) {
			if (k == 1) {
				snprintf(buf, len,
				    "the message bounces at once (%s)",
				    p->max_attempts == 1 ? "max_attempts = 1"
				                         : how);
				return;
			}
			snprintf(buf, len,
			    "the message is deferred and tried again at %s%s "
			    "after the first attempt (%s); it bounces at the "
			    "%s failed attempt, at %s (%s)",
			    list, k > 5 ? "..." : "", how,
			    ordinal((size_t)k, e, sizeof(e)),
			    dur_format(t, d, sizeof(d)),
			    p->max_attempts > 0 && k >= p->max_attempts
			        ? "max_attempts"
			        : "the retry rules end");
			return;
		}
		if (k <= 5)
			off += (size_t)snprintf(list + off, sizeof(list) - off,
			    "%s%s", k > 1 ? ", " : "",
			    dur_format(when, d, sizeof(d)));
		t = when;
	}
	snprintf(buf, len,
	    "the message is deferred and tried again at %s... (%s)", list, how);
}

/* --- 1. the MX lookup ----------------------------------------------------- */

/* False when the explanation ends here (the sender bounces, or the zone
 * cannot tell). */
static bool
step_mx(struct explain *x)
{
	const char *dom = x->in->domain;
	char name[DNS_NAME_MAX];
	size_t i;
	int k;
	bool null_seen = false;

	dns_msg_init(x->msg);
	zone_answer(x->in->z, dom, DNS_T_MX, x->msg);
	k = dns_msg_chase(x->msg, dom, 8, name, sizeof(name));
	fprintf(x->out, "1. MX lookup: MX %s", dom);
	if (k < 0) {
		fprintf(x->out, ": the CNAME chain does not end; the sender "
		                "defers (4.4.3) and tries again later\n");
		return false;
	}
	if (k > 0) {
		fprintf(x->out,
		    " is an alias (CNAME) of %s: its MX is used (RFC 5321 "
		    "§5.1)",
		    name);
		if (!dns_name_under(name, x->in->z->origin)) {
			fprintf(x->out,
			    ", which is outside the zone %s: nothing more to "
			    "tell from it\n",
			    shown(x->in->z->origin));
			return false;
		}
	}
	x->nmx = mx_collect(x->msg, dom, x->mx, MX_LIST_MAX);
	if (x->msg->rcode == DNS_R_NXDOMAIN) {
		fprintf(x->out,
		    ": NXDOMAIN, no such domain.\n   The sender bounces the "
		    "message (5.1.2; RFC 5321 §5.1: a non-existent domain "
		    "MUST be reported as an error).\n");
		return false;
	}
	if (x->nmx == 0) {
		if (!x->p->implicit_mx) {
			fprintf(x->out,
			    ": no MX record, and implicit_mx = false.\n   The "
			    "sender bounces the message (5.4.4).\n");
			return false;
		}
		fprintf(x->out,
		    ": no MX record.\n   Implicit MX (implicit_mx = true, RFC "
		    "5321 §5.1): %s itself, preference 0.\n",
		    name);
		x->mx[0].pref = 0;
		snprintf(x->mx[0].host, sizeof(x->mx[0].host), "%s", name);
		x->nmx = 1;
		return true;
	}
	fprintf(x->out, ": %zu record%s, in answer order:\n", x->nmx,
	    x->nmx == 1 ? "" : "s");
	for (i = 0; i < x->nmx; i++) {
		fprintf(x->out, "     MX %u %s\n", x->mx[i].pref,
		    shown(x->mx[i].host));
		if (x->mx[i].host[0] == '\0')
			null_seen = true;
	}
	if (mx_is_null(x->mx, x->nmx, x->p->null_mx)) {
		fprintf(x->out,
		    "   A null MX (null_mx = %s): the domain takes no mail.  "
		    "The sender bounces the message at once (556 5.1.10, RFC "
		    "7505 §4).\n",
		    x->p->null_mx == MTA_NULLMX_ONLY ? "only" : "any");
		return false;
	}
	if (null_seen)
		fprintf(x->out,
		    "   The \".\" record is no null MX here (null_mx = only: "
		    "only a lone \"MX 0 .\" is); the sender drops it and uses "
		    "the others.\n");
	return true;
}

/* --- 2. order ------------------------------------------------------------- */

static void
order_heading(const struct explain *x)
{
	switch (x->p->pref_order) {
	case MTA_PREF_DESCENDING:
		fprintf(x->out,
		    "2. Order: by preference, highest first (pref_order = "
		    "descending; RFC 5321 §5.1 says lowest first).\n");
		break;
	case MTA_PREF_ANSWER:
		fprintf(x->out,
		    "2. Order: as the DNS answer lists them, preferences "
		    "ignored (pref_order = answer; RFC 5321 §5.1 says lowest "
		    "first).\n");
		break;
	default:
		fprintf(x->out,
		    "2. Order: by preference, lowest first (RFC 5321 §5.1: "
		    "preference MUST be used in sorting).\n");
		break;
	}
}

/* How a run of 'n' hosts at one preference is ordered. */
static void
equal_text(const struct explain *x, size_t n)
{
	const struct mta_profile *p = x->p;

	fprintf(x->out, "       %zu hosts at one preference: ", n);
	if (p->pref_order == MTA_PREF_ANSWER &&
	    p->equal_pref != MTA_ORDER_PER_ADDRESS) {
		fprintf(
		    x->out, "kept in answer order (pref_order = answer).\n");
		return;
	}
	switch (p->equal_pref) {
	case MTA_ORDER_SHUFFLE:
		fprintf(x->out,
		    "shuffled anew for every delivery attempt, each of the "
		    "%zu orders equally likely (equal_pref = shuffle; RFC 5321 "
		    "§5.1: MUST randomize).\n",
		    factorial(n));
		break;
	case MTA_ORDER_PER_ADDRESS:
		fprintf(x->out,
		    "their addresses shuffled together for every delivery "
		    "attempt, the hosts interleaved (equal_pref = "
		    "per-address; RFC 5321 §5.1: MUST randomize).\n");
		break;
	case MTA_ORDER_HASH:
		fprintf(x->out,
		    "ordered by a hash of their names, fixed within one "
		    "sending process and different in another (equal_pref = "
		    "hash); listed here in answer order.\n");
		break;
	default:
		fprintf(x->out,
		    "kept in the order of the DNS answer (equal_pref = "
		    "none).\n");
		break;
	}
}

static bool
step_order(struct explain *x)
{
	struct mta_profile lp = *x->p;
	size_t i, j, k;

	/* The MTA's own arrangement, with equal preferences in answer
	 * order for the listing (the draws are described instead) and the
	 * host cap applied below, where it is said. */
	lp.equal_pref = MTA_ORDER_NONE;
	lp.mx_host_limit = 0;
	x->nmx = mx_arrange(x->mx, x->nmx, &lp, NULL, 0);
	x->nused = x->nmx;
	if (x->p->mx_host_limit > 0 && x->nmx > (size_t)x->p->mx_host_limit)
		x->nused = (size_t)x->p->mx_host_limit;
	order_heading(x);
	if (x->nmx == 0) {
		fprintf(x->out, "   No usable MX host: the sender bounces the "
		                "message (5.4.4).\n");
		return false;
	}
	for (i = 0; i < x->nmx; i = j) {
		for (j = i + 1; j < x->nmx && x->mx[j].pref == x->mx[i].pref;
		     j++)
			;
		fprintf(x->out, "     pref %u:", x->mx[i].pref);
		for (k = i; k < j; k++)
			fprintf(x->out, "%s %s%s", k > i ? "," : "",
			    x->mx[k].host,
			    k >= x->nused ? " (never used: beyond "
			                    "mx_host_limit)"
			                  : "");
		fprintf(x->out, "\n");
		if (j - i > 1)
			equal_text(x, j - i);
	}
	if (x->nused < x->nmx && x->p->equal_pref != MTA_ORDER_NONE &&
	    x->mx[x->nused].pref == x->mx[x->nused - 1].pref)
		fprintf(x->out,
		    "   mx_host_limit = %d cuts a preference in two: which of "
		    "its hosts are used depends on the draw.\n",
		    x->p->mx_host_limit);
	else if (x->nused < x->nmx)
		fprintf(x->out,
		    "   Only the best %zu host%s used (mx_host_limit = %d).\n",
		    x->nused, x->nused == 1 ? " is" : "s are",
		    x->p->mx_host_limit);
	return true;
}

/* --- 3. addresses --------------------------------------------------------- */

/* Orders a host's addresses as the profile says (mta.c order_families());
 * "random" is shown in the resolver's order and said to be random. */
static void
order_addresses(
    const struct mta_profile *p, const struct lint_lookup *lk, struct xhost *h)
{
	size_t i, n = 0;

	if (p->address_order == MTA_AORDER_IPV6_FIRST) {
		for (i = lk->nv4; i < lk->na; i++)
			h->a[n++] = lk->a[i];
		for (i = 0; i < lk->nv4; i++)
			h->a[n++] = lk->a[i];
	} else {
		for (i = 0; i < lk->na; i++)
			h->a[n++] = lk->a[i];
	}
	h->na = n;
}

static void
print_addrs(FILE *out, const struct xhost *h)
{
	char ab[NET_ADDR_STRLEN];
	size_t i;

	for (i = 0; i < h->na; i++)
		fprintf(out, "%s%s", i ? ", " : "",
		    net_addr_str(&h->a[i], ab, sizeof(ab)));
}

/* Looks up one MX host; adds it to x->h when it has addresses. */
static void
host_addresses(struct explain *x, const struct mx_entry *e)
{
	struct xhost *h = &x->h[x->nh];
	struct lint_lookup lk;
	struct net_addr lit;
	char ab[NET_ADDR_STRLEN];

	memset(h, 0, sizeof(*h));
	snprintf(h->name, sizeof(h->name), "%s", e->host);
	h->pref = e->pref;
	fprintf(x->out, "     %s: ", e->host);
	if (lint_name_literal(e->host, &lit)) {
		net_addr_str(&lit, ab, sizeof(ab));
		if (x->p->mx_ip_literal == MTA_IPLIT_REJECT) {
			fprintf(x->out, "an IP address, not a name: skipped "
			                "(mx_ip_literal = reject)\n");
			return;
		}
		fprintf(x->out,
		    "an IP address, not a name: used as the address %s "
		    "(mx_ip_literal = accept)\n",
		    ab);
		h->a[0] = lit;
		h->na = h->nslots = 1;
		x->nh++;
		return;
	}
	lint_lookup(&x->lz, 1, e->host, x->msg, &lk);
	if (lk.hops > 0 && x->p->mx_cname == MTA_CNAME_REFUSE) {
		fprintf(x->out,
		    "an alias (CNAME) of %s: refused (mx_cname = refuse, RFC "
		    "2181 §10.3)\n",
		    lk.final);
		return;
	}
	if (lk.hops > 0)
		fprintf(x->out,
		    "via the alias (CNAME) to %s (mx_cname = follow): ",
		    lk.final);
	switch (lk.st) {
	case LINT_L_ADDR:
		order_addresses(x->p, &lk, h);
		h->nslots = h->na;
		print_addrs(x->out, h);
		fprintf(x->out, "\n");
		x->nh++;
		break;
	case LINT_L_EXTERNAL:
	case LINT_L_DELEGATED:
		fprintf(x->out,
		    "outside this zone: the sender asks the DNS; its "
		    "addresses are not known here (counted as one)\n");
		h->unknown = true;
		h->nslots = 1;
		x->nh++;
		break;
	case LINT_L_NXDOMAIN:
		fprintf(x->out, "no such name (NXDOMAIN): skipped\n");
		break;
	case LINT_L_NODATA:
		fprintf(x->out, "no A or AAAA record: skipped\n");
		break;
	case LINT_L_LOOP:
		fprintf(x->out, "a CNAME chain that does not end: skipped\n");
		break;
	}
}

static bool
step_addresses(struct explain *x)
{
	static const char *const order[] = {
	    "IPv6 addresses before IPv4 ones",
	    "IPv4 addresses before IPv6 ones",
	    "addresses in random order",
	};
	char why[600];
	size_t i;

	fprintf(x->out,
	    "3. Addresses: AAAA and A for each host in that order (a sender "
	    "with IPv4 and IPv6 is assumed); per host, %s (address_order = "
	    "%s).\n",
	    order[x->p->address_order], aorder_names[x->p->address_order]);
	for (i = 0; i < x->nused; i++)
		host_addresses(x, &x->mx[i]);
	if (x->nh > 0)
		return true;
	if (x->p->no_address == MTA_DNSACT_DEFER) {
		deferral(x->p, why, sizeof(why));
		fprintf(x->out,
		    "   No MX host has an address (no_address = defer): %s.\n",
		    why);
	} else
		fprintf(x->out,
		    "   No MX host has an address: the sender bounces the "
		    "message (5.4.4; RFC 5321 §5.1: MX records present but "
		    "none usable MUST be reported as an error).\n");
	return false;
}

/* --- 4. and 5. the attempts ----------------------------------------------- */

/* Groups the hosts into runs and numbers the slots. */
static void
make_runs(struct explain *x)
{
	const struct mta_profile *p = x->p;
	bool draws = p->equal_pref != MTA_ORDER_NONE &&
	             (p->pref_order != MTA_PREF_ANSWER ||
	                 p->equal_pref == MTA_ORDER_PER_ADDRESS);
	size_t i, k;

	x->nrun = 0;
	x->slots = 0;
	for (i = 0; i < x->nh; i++) {
		struct xhost *h = &x->h[i];
		struct xrun *r;
		bool same =
		    i > 0 && (p->pref_order == MTA_PREF_ANSWER
		                     ? p->equal_pref == MTA_ORDER_PER_ADDRESS
		                     : h->pref == x->h[i - 1].pref);

		if (!same) {
			r = &x->run[x->nrun++];
			memset(r, 0, sizeof(*r));
			r->pref = h->pref;
			r->first = i;
			r->pos = x->slots;
		} else
			r = &x->run[x->nrun - 1];
		h->run = (size_t)(r - x->run);
		h->pos = x->slots;
		r->n++;
		r->slots += h->nslots;
		for (k = 0; k < h->nslots && x->slots < SLOTS_MAX; k++)
			x->slot_host[x->slots++] = i;
	}
	for (i = 0; i < x->nrun; i++)
		x->run[i].random = draws && x->run[i].n > 1;
}

/* Which slots a delivery attempt may use when nothing stops it earlier
 * (mta.c pick_target()): the first max_addresses, then with mx_lookahead
 * the first address of each further preference. */
static bool
slot_allowed(const struct explain *x, size_t i)
{
	const struct mta_profile *p = x->p;
	size_t k;
	uint16_t last;

	if (p->max_addresses <= 0 || i < (size_t)p->max_addresses)
		return true;
	if (!p->mx_lookahead)
		return false;
	last = x->h[x->slot_host[p->max_addresses - 1]].pref;
	for (k = (size_t)p->max_addresses; k < i; k++)
		if (x->h[x->slot_host[k]].pref != last)
			last = x->h[x->slot_host[k]].pref;
	return x->h[x->slot_host[i]].pref != last;
}

static void
step_limit(struct explain *x)
{
	const struct mta_profile *p = x->p;
	size_t i, n = 0;

	for (i = 0; i < x->slots; i++)
		if (slot_allowed(x, i))
			n++;
	fprintf(x->out, "4. Limits: ");
	if (p->max_addresses == 0)
		fprintf(x->out, "every address may be tried (max_addresses = "
		                "0)");
	else if (n == x->slots)
		fprintf(x->out,
		    "at most %d address%s per delivery attempt "
		    "(max_addresses); all %zu are within it",
		    p->max_addresses, p->max_addresses == 1 ? "" : "es",
		    x->slots);
	else
		fprintf(x->out,
		    "at most %d address%s per delivery attempt "
		    "(max_addresses)%s: %zu of the %zu may be tried",
		    p->max_addresses, p->max_addresses == 1 ? "" : "es",
		    p->mx_lookahead ? ", then one of each further preference "
		                      "(mx_lookahead)"
		                    : "",
		    n, x->slots);
	if (p->mx_session_limit > 0)
		fprintf(x->out,
		    "; at most %d session%s past EHLO (mx_session_limit)",
		    p->mx_session_limit, p->mx_session_limit == 1 ? "" : "s");
	fprintf(x->out, ".\n");
}

static void
print_slot(FILE *out, const struct xhost *h, size_t k)
{
	char ab[NET_ADDR_STRLEN];

	if (h->unknown)
		fprintf(out, "%s [addresses not in this zone]", h->name);
	else
		fprintf(out, "%s [%s]:25", h->name,
		    net_addr_str(&h->a[k], ab, sizeof(ab)));
}

static void
print_random_run(const struct explain *x, const struct xrun *run)
{
	size_t i, k, allowed = 0;

	for (k = run->pos; k < run->pos + run->slots; k++)
		if (slot_allowed(x, k))
			allowed++;
	fprintf(x->out, "     %zu-%zu. %s (pref %u)%s:\n", run->pos + 1,
	    run->pos + run->slots,
	    x->p->equal_pref == MTA_ORDER_PER_ADDRESS
	        ? "in random order, address by address"
	    : x->p->equal_pref == MTA_ORDER_HASH
	        ? "in an order fixed per sending process, host by host"
	        : "in random order, host by host",
	    run->pref,
	    allowed == 0 ? "; never tried: beyond max_addresses"
	    : allowed < run->slots
	        ? "; only those drawn within max_addresses are tried"
	        : "");
	for (i = run->first; i < run->first + run->n; i++) {
		const struct xhost *h = &x->h[i];

		fprintf(x->out, "           ");
		if (h->unknown)
			print_slot(x->out, h, 0);
		else {
			fprintf(x->out, "%s [", h->name);
			print_addrs(x->out, h);
			fprintf(x->out, "]");
		}
		fprintf(x->out, "\n");
	}
}

static void
step_attempts(struct explain *x)
{
	char why[600];
	size_t r, i, k;

	fprintf(x->out, "5. Connection attempts of one delivery attempt, in "
	                "order, until one host takes the message:\n");
	for (r = 0; r < x->nrun; r++) {
		const struct xrun *run = &x->run[r];

		if (run->random) {
			print_random_run(x, run);
			continue;
		}
		for (i = run->first; i < run->first + run->n; i++) {
			const struct xhost *h = &x->h[i];

			for (k = 0; k < h->nslots; k++) {
				fprintf(x->out, "     %zu. ", h->pos + k + 1);
				print_slot(x->out, h, k);
				fprintf(x->out, " (pref %u)%s\n", h->pref,
				    slot_allowed(x, h->pos + k)
				        ? ""
				        : " (never tried: beyond "
				          "max_addresses)");
			}
		}
	}
	if (x->p->address_order == MTA_AORDER_RANDOM)
		fprintf(x->out,
		    "   A host's own addresses come in random order "
		    "(address_order = random).\n");
	deferral(x->p, why, sizeof(why));
	fprintf(x->out, "   When every attempt fails, %s.\n", why);
}

/* --- 6. single failures ----------------------------------------------------
 *
 * A failing MX host fails on each of its addresses, and so does any other
 * MX name that shares one of them (one machine under two names).  The
 * attempts are walked as mta.c walks them: each failed attempt gets the
 * reaction the knobs give; the limits may end the walk first.
 */

/* True when slot 'i' goes to a machine that 'h' names. */
static bool
slot_fails(const struct explain *x, size_t i, const struct xhost *h)
{
	const struct xhost *s = &x->h[x->slot_host[i]];
	size_t a;

	if (s == h)
		return true;
	if (s->unknown)
		return false;
	for (a = 0; a < h->na; a++)
		if (net_addr_eq(&h->a[a], &s->a[i - s->pos]))
			return true;
	return false;
}

static const char *
slot_text(const struct explain *x, size_t i, char *buf, size_t len)
{
	const struct xhost *s = &x->h[x->slot_host[i]];
	char ab[NET_ADDR_STRLEN];

	if (s->unknown)
		snprintf(buf, len, "%s", s->name);
	else
		snprintf(buf, len, "%s [%s]", s->name,
		    net_addr_str(&s->a[i - s->pos], ab, sizeof(ab)));
	return buf;
}

/* The reaction to one failure kind (mta.c session_after()). */
static enum mta_act
reaction(const struct mta_profile *p, enum fkind f, const char **knob)
{
	*knob = NULL;
	switch (f) {
	case F_GREET4:
		*knob = "greeting_4xx";
		return p->greeting_4xx;
	case F_GREET5:
		*knob = "greeting_5xx";
		return p->greeting_5xx;
	case F_RCPT4:
		*knob = "rcpt_4xx";
		return p->rcpt_4xx;
	case F_RCPT5:
		return MTA_ACT_BOUNCE;
	default:
		return MTA_ACT_NEXT;
	}
}

enum wend {
	W_DELIVERED, /* a working address took the mail */
	W_BOUNCED,   /* the reaction bounced the recipient */
	W_DEFERRED,  /* the reaction deferred the message */
	W_LIMIT,     /* max_addresses reached */
	W_SESSIONS,  /* mx_session_limit reached */
	W_END,       /* no address left */
};

struct walk {
	enum wend end; /* how it ended */
	size_t nfail;  /* attempts that failed */
	size_t at;     /* W_DELIVERED: the slot that took the mail */
};

/* Walks the slots in 'order' with 'h' failing as 'f' (mta.c
 * pick_target() and session_after()). */
static void
walk(const struct explain *x, const size_t *order, size_t n,
    const struct xhost *h, enum fkind f, struct walk *w)
{
	const struct mta_profile *p = x->p;
	const char *knob;
	size_t i, tried = 0;
	int sessions = 0;
	int last = -1;

	memset(w, 0, sizeof(*w));
	for (i = 0; i < n; i++) {
		size_t s = order[i];
		int pref = x->h[x->slot_host[s]].pref;
		enum mta_act act;

		if (p->mx_session_limit > 0 &&
		    sessions >= p->mx_session_limit) {
			w->end = W_SESSIONS;
			return;
		}
		if (p->max_addresses > 0 && tried >= (size_t)p->max_addresses) {
			if (!p->mx_lookahead) {
				w->end = W_LIMIT;
				return;
			}
			if (pref == last)
				continue;
		}
		tried++;
		last = pref;
		if (!slot_fails(x, s, h)) {
			w->end = W_DELIVERED;
			w->at = s;
			return;
		}
		w->nfail++;
		if (f == F_RCPT4 || f == F_RCPT5)
			sessions++; /* it got past EHLO */
		act = reaction(p, f, &knob);
		if (act == MTA_ACT_BOUNCE_IF_LAST)
			act = i + 1 < n ? MTA_ACT_NEXT : MTA_ACT_BOUNCE;
		if (act == MTA_ACT_BOUNCE) {
			w->end = W_BOUNCED;
			return;
		}
		if (act == MTA_ACT_DEFER) {
			w->end = W_DEFERRED;
			return;
		}
	}
	w->end = W_END;
}

static void
failure_line(const struct explain *x, enum fkind f, const struct walk *w,
    const char *next)
{
	char cost[400], why[600], wt[160], rule[160];
	const char *knob;
	enum mta_act act = reaction(x->p, f, &knob);

	if (knob != NULL)
		snprintf(rule, sizeof(rule), "%s = %s", knob, act_names[act]);
	else if (f == F_RCPT5)
		snprintf(rule, sizeof(rule),
		    "RFC 5321 §4.2.1: 5yz is "
		    "permanent");
	else
		snprintf(rule, sizeof(rule), "RFC 5321 §5.1: the next address");
	fprintf(x->out, "       %-24s ", fnames[f]);
	if (f == F_DOWN) {
		connect_wait(x->p, wt, sizeof(wt));
		if (w->nfail > 1)
			snprintf(
			    cost, sizeof(cost), "after %zu x %s", w->nfail, wt);
		else
			snprintf(cost, sizeof(cost), "after %s", wt);
	} else if (f == F_REFUSE)
		snprintf(cost, sizeof(cost), "at once");
	else
		snprintf(cost, sizeof(cost), "after the reply");
	if (w->nfail > 1 && f != F_DOWN)
		snprintf(cost + strlen(cost), sizeof(cost) - strlen(cost),
		    " on each of %zu addresses", w->nfail);
	switch (w->end) {
	case W_DELIVERED:
		fprintf(x->out, "%s, then %s takes the mail (%s)\n", cost, next,
		    rule);
		return;
	case W_BOUNCED:
		fprintf(x->out, "%s, the recipient bounces (%s)\n", cost, rule);
		return;
	case W_DEFERRED:
		deferral(x->p, why, sizeof(why));
		fprintf(
		    x->out, "%s, the sender stops (%s): %s\n", cost, rule, why);
		return;
	default:
		break;
	}
	deferral(x->p, why, sizeof(why));
	fprintf(x->out, "%s, %s: %s\n", cost,
	    w->end == W_LIMIT ? "no address left within max_addresses"
	    : w->end == W_SESSIONS
	        ? "the session limit is reached (mx_session_limit)"
	        : "no address is left to try",
	    why);
}

/* Step 6 for one host with the attempts in 'order'; 'drawn' names the
 * slots of the first run as "the next host drawn". */
static void
failure_lines(const struct explain *x, const size_t *order, size_t n,
    const struct xhost *h, bool drawn)
{
	const struct xrun *r0 = &x->run[0];
	char nb[DNS_NAME_MAX + 64];
	struct walk w;
	int f;

	for (f = 0; f < F_N; f++) {
		walk(x, order, n, h, (enum fkind)f, &w);
		if (w.end == W_DELIVERED && drawn && w.at >= r0->pos &&
		    w.at < r0->pos + r0->slots)
			snprintf(nb, sizeof(nb), "the next %s drawn (pref %u)",
			    x->p->equal_pref == MTA_ORDER_PER_ADDRESS
			        ? "address"
			        : "host",
			    r0->pref);
		else if (w.end == W_DELIVERED)
			slot_text(x, w.at, nb, sizeof(nb));
		failure_line(x, (enum fkind)f, &w, nb);
	}
}

/* A host of a first preference that is drawn: walked with it first. */
static void
fail_drawn(const struct explain *x, const struct xhost *h, size_t *order)
{
	const struct xrun *r0 = &x->run[0];
	size_t i, n = 0;

	switch (x->p->equal_pref) {
	case MTA_ORDER_PER_ADDRESS:
		fprintf(x->out,
		    " (an address of it comes first in %zu of %zu delivery "
		    "attempts, otherwise another host takes the mail and it "
		    "is not contacted; below, all its addresses drawn "
		    "first):\n",
		    h->nslots, r0->slots);
		break;
	case MTA_ORDER_HASH:
		fprintf(x->out,
		    " (first in about 1 of %zu sending processes, always "
		    "within one; otherwise it is not contacted):\n",
		    r0->n);
		break;
	default:
		fprintf(x->out,
		    " (drawn first in 1 of %zu delivery attempts; otherwise "
		    "another host takes the mail and it is not contacted):\n",
		    r0->n);
		break;
	}
	for (i = 0; i < h->nslots; i++)
		order[n++] = h->pos + i;
	for (i = 0; i < x->slots; i++)
		if (x->slot_host[i] != (size_t)(h - x->h))
			order[n++] = i;
	failure_lines(x, order, n, h, true);
}

/* A host when the first attempts come in a fixed order. */
static void
fail_ordered(const struct explain *x, const struct xhost *h, size_t *order)
{
	char ord[16], sb[DNS_NAME_MAX + 64];
	size_t i;

	for (i = 0; i < x->slots; i++)
		order[i] = i;
	if (!slot_fails(x, 0, h)) {
		fprintf(x->out,
		    " (%s in order): not contacted while %s takes the mail, "
		    "so none of its failures matters\n",
		    ordinal(h->pos + 1, ord, sizeof(ord)), x->h[0].name);
		return;
	}
	if (h == &x->h[0])
		fprintf(x->out, " (tried first):\n");
	else
		fprintf(x->out,
		    " (%s in order, but the same machine as %s, tried "
		    "first):\n",
		    ordinal(h->pos + 1, ord, sizeof(ord)),
		    slot_text(x, 0, sb, sizeof(sb)));
	failure_lines(x, order, x->slots, h, false);
}

static void
step_failures(struct explain *x)
{
	const struct xrun *r0 = &x->run[0];
	size_t *order = mx_xcalloc(x->slots + 1, sizeof(*order));
	size_t i, k;

	fprintf(x->out, "6. If one MX host fails and the others work:\n");
	for (i = 0; i < x->nh; i++) {
		const struct xhost *h = &x->h[i];

		fprintf(x->out, "     %s", h->name);
		if (!slot_allowed(x, h->pos)) {
			fprintf(x->out,
			    ": never tried (beyond max_addresses = %d)\n",
			    x->p->max_addresses);
			continue;
		}
		if (!r0->random) {
			fail_ordered(x, h, order);
			continue;
		}
		if (h->run == 0) {
			fail_drawn(x, h, order);
			continue;
		}
		for (k = 0; k < r0->slots; k++)
			if (slot_fails(x, r0->pos + k, h))
				break;
		if (k < r0->slots)
			fprintf(x->out,
			    ": the same machine as a host of the first "
			    "preference; it fails with that host (above)\n");
		else
			fprintf(x->out,
			    ": not contacted while a host of the first "
			    "preference takes the mail, so none of its "
			    "failures matters\n");
	}
	free(order);
	fprintf(x->out,
	    "   Reactions as the simulated MTA (sim/mta/mta.c) has them for "
	    "this profile's knobs; a connection that fails always moves on "
	    "(RFC 5321 §5.1).\n");
}

int
explain_write(FILE *out, const struct explain_in *in, struct mx_err *err)
{
	struct explain *x;
	const struct zone *z = in->z;

	if (!dns_name_under(in->domain, z->origin))
		return mx_err_set(err, MX_EINVAL,
		    "'%s' is not in the zone '%s' of %s", in->domain,
		    shown(z->origin), in->zone_file);
	x = mx_xcalloc(1, sizeof(*x));
	x->out = out;
	x->in = in;
	x->p = in->prof;
	x->lz.file = in->zone_file;
	x->lz.line = 1;
	x->lz.z = z;
	x->msg = mx_xmalloc(sizeof(*x->msg));
	dns_msg_init(x->msg);
	zone_answer(z, in->domain, DNS_T_MX, x->msg);
	if (x->msg->nan == 0 && x->msg->nns > 0 &&
	    x->msg->ns[0].type == DNS_T_NS) {
		free(x->msg);
		free(x);
		return mx_err_set(err, MX_EINVAL,
		    "'%s' is below a zone cut of '%s' in %s: its MX records "
		    "are in another zone",
		    in->domain, shown(z->origin), in->zone_file);
	}
	fprintf(out,
	    "How a '%s' sender%s%s%s delivers mail for %s (zone %s, from "
	    "%s)\n\n",
	    in->prof->name, in->changes ? " (" : "",
	    in->changes ? in->changes : "", in->changes ? ")" : "", in->domain,
	    shown(z->origin), in->zone_file);
	if (step_mx(x) && step_order(x) && step_addresses(x)) {
		make_runs(x);
		step_limit(x);
		step_attempts(x);
		step_failures(x);
	}
	free(x->msg);
	free(x);
	return 0;
}

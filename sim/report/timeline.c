/*
 * timeline.c - the run as one SVG picture: who talked to whom, when, and
 * what came of it (docs/timeline.md shows one).
 *
 * Time runs left to right, one horizontal lane per host: senders first,
 * then mail exchangers, DNS servers, recursive resolvers, other hosts,
 * sites whose uplink has an outage, and last any address that no host
 * owns.  On the lanes:
 *
 *  - outage windows, shaded by kind, as the run had them (outage.start
 *    and outage.end: a random outage model's windows exist only in the
 *    run), with what the world declared about them;
 *  - every SMTP connection attempt, an arrow from the sender's lane at the
 *    connect to the MX host's lane when the result was known, coloured by
 *    the result.  Attempts come from the senders' per-recipient lists
 *    (mta_results(), the data the expectations check), because the trace
 *    records of an attempt carry the result only in their prose; one
 *    session for several recipients is one arrow;
 *  - DNS queries (dns.query, dns.tcp): thin arrows to the nameserver's
 *    lane, ending when its answer (dns.answer) left; dashed and grey when
 *    no answer reached the client in time (none came, or it asked
 *    again).  A recursive resolver's own questions show through the
 *    answers they got;
 *  - marks: queued (mta.queued), stored by an MX (smtp.stored), retry
 *    (mta.retry) with the wait in the queue since mta.defer, bounce
 *    (mta.bounce), zone change (zone.change, on the servers of the zone).
 *
 * The axis is piecewise linear.  Instants where something happens and
 * spans where something is in flight (a connection, a query awaiting its
 * answer) are "busy"; a gap with nothing in flight is idle.  The largest
 * idle gaps are compressed to a fixed narrow band, one after the other,
 * while a gap is longer than half of what would remain at the linear
 * scale (so that it would take more than a third of the width): thirty
 * seconds of failover then an hour of nothing shows the thirty seconds,
 * a hatched band, and the hour's end.  Everything else shares one scale,
 * and ticks fall on round values of one step chosen for that scale.
 *
 * Determinism: the picture is a function of the records and the world
 * only (no clock, no addresses); sorts break ties on creation order.
 * The SVG is standalone (no scripts, fonts or links), and every text from
 * the scenario is escaped and checked as UTF-8.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../core/dur.h"
#include "timeline.h"

#define TL_W         1200.0 /* picture width */
#define TL_X0        170.0  /* plot's left edge; lane labels before it */
#define TL_PLOT      990.0  /* plot width */
#define TL_BREAK     48.0   /* width of a compressed idle gap */
#define TL_MAXBREAKS 8      /* compressed gaps at most */
#define TL_TICK_PX   80.0   /* least room between two ticks */
#define TL_TOP       70.0   /* top of the first lane */
#define TL_CHAR      6.2    /* estimated advance of a character at 11px */

/* Lane groups, in drawing order. */
enum tl_group {
	TL_G_SENDER,
	TL_G_MX,
	TL_G_DNS,
	TL_G_RESOLVER,
	TL_G_OTHER,
	TL_G_SITE,
	TL_G_EXTRA,
};

struct tl_lane {
	char *name;                 /* owned host, site or address label */
	char role[64];              /* "sender", "MX + DNS", "site uplink" */
	char addr[NET_ADDR_STRLEN]; /* first address, or "" */
	enum tl_group group;        /* where it goes */
	bool site;                  /* the lane of a site's uplink */
	double y;                   /* centre, once laid out */
};

struct tl_addr {
	char s[NET_ADDR_STRLEN]; /* an address as net_addr_str() writes it */
	size_t lane;             /* the lane of its host */
};

enum tl_mark_kind {
	TL_M_QUEUED,
	TL_M_STORED,
	TL_M_RETRY,
	TL_M_BOUNCE,
	TL_M_ZONE,
	TL_M_N,
};

struct tl_mark {
	sim_time_t t;           /* when */
	size_t lane;            /* on which lane */
	enum tl_mark_kind kind; /* what */
	uint64_t msg;           /* message number, 0 = none */
	char *note;             /* owned tooltip */
};

struct tl_dns {
	sim_time_t t;     /* sent */
	sim_time_t ans;   /* answered, -1 = never */
	sim_time_t wait;  /* how long the resolver waits for it, 0 unknown */
	size_t from, to;  /* client and server lanes */
	char *q;          /* owned "MX example.test" */
	int64_t id;       /* DNS message ID; -1 for a TCP try */
	int64_t try_;     /* the try's number */
	bool tcp;         /* asked over TCP */
	bool upstream;    /* a resolver's question, seen by its answer */
	char rcode[16];   /* the answer's rcode, "" = none */
	sim_time_t again; /* the client asked again then, -1 = it did not */
};

/* How a query ended, as its client saw it. */
enum tl_dres {
	TL_D_OK,    /* answered over UDP */
	TL_D_TCP,   /* answered over TCP (after a truncated answer) */
	TL_D_ERROR, /* answered with an error rcode */
	TL_D_LOST,  /* no answer reached it in time: it asked again, or never
	               got one */
	TL_D_N,
};

static const struct {
	const char *key;   /* data-result */
	const char *label; /* legend */
	const char *color; /* stroke */
} tl_dres_def[TL_D_N] = {
    {"ok", "answered", "#4682b4"},
    {"tcp", "answered over TCP", "#00897b"},
    {"error", "error rcode", "#8e24aa"},
    {"lost", "no answer in time", "#9e9e9e"},
};

/* An outage window as the run had it. */
struct tl_out {
	const struct world_outage *wo; /* borrowed declaration */
	size_t lane;                   /* its host's or site's lane */
	sim_time_t from, to;           /* the window; to = -1: still on */
};

struct tl_wait {
	size_t lane;         /* the sender */
	uint64_t msg;        /* which message */
	sim_time_t from, to; /* deferred, retried (-1 = still waiting) */
};

struct timeline {
	const struct world *w; /* borrowed */
	struct tl_lane *lanes; /* owned */
	size_t nlanes, caplanes;
	struct tl_addr *addrs; /* owned: host addresses to lanes */
	size_t naddrs, capaddrs;
	struct tl_mark *marks; /* owned */
	size_t nmarks, capmarks;
	struct tl_dns *dns; /* owned */
	size_t ndns, capdns;
	struct tl_out *outs; /* owned */
	size_t nouts, capouts;
	struct tl_wait *waits; /* owned */
	size_t nwaits, capwaits;
	FILE *f;           /* owned open "PATH.part", or NULL */
	char *path, *part; /* owned, with 'f' */
};

/* --- results of a connection attempt ------------------------------------ */

enum tl_cls {
	TL_C_DELIVERED,
	TL_C_TIMEOUT,
	TL_C_REFUSED,
	TL_C_UNREACHABLE,
	TL_C_DROPPED,
	TL_C_4XX,
	TL_C_5XX,
	TL_C_OTHER,
	TL_C_N,
};

/* Result strings as struct mta_attempt writes them (mta.c on_session). */
static const struct {
	const char *key;   /* data-result, and the marker's name */
	const char *label; /* legend */
	const char *color; /* stroke */
	const char *dash;  /* stroke-dasharray, NULL = solid */
} tl_cls_def[TL_C_N] = {
    {"delivered", "delivered", "#2e7d32", NULL},
    {"timeout", "timeout", "#ef6c00", "7 3"},
    {"refused", "refused (RST)", "#c62828", NULL},
    {"unreachable", "unreachable (ICMP)", "#7b1fa2", "2 2"},
    {"dropped", "closed by server", "#6d4c41", "7 2 2 2"},
    {"4xx", "4xx reply", "#c99700", NULL},
    {"5xx", "5xx reply", "#212121", NULL},
    {"other", "other", "#78909c", "1 2"},
};

struct tl_conn {
	sim_time_t start, end;      /* connect, result known */
	size_t from, to;            /* sender and server lanes */
	uint64_t msg;               /* message number */
	int delivery;               /* delivery attempt, from 1 */
	const char *domain;         /* borrowed from the MTA's results */
	char addr[NET_ADDR_STRLEN]; /* the address connected to */
	enum tl_cls cls;            /* colour */
	char note[480];             /* tooltip */
};

/* Outage fills by kind name (fault.h FAULT_KIND_MAP); others are grey. */
static const struct {
	const char *kind;
	const char *fill;
} tl_kind_fill[] = {
    {"down", "#8d8d8d"},
    {"refuse", "#ef5350"},
    {"unreachable", "#ab47bc"},
    {"filtered", "#7e57c2"},
    {"link-down", "#546e7a"},
    {"loss", "#ffa726"},
    {"reply", "#ffca28"},
    {"drop", "#a1887f"},
    {"slow", "#29b6f6"},
    {"greylist", "#9ccc65"},
    {"hang", "#ec407a"},
    {"servfail", "#e57373"},
    {"refused", "#ce93d8"},
    {"nxdomain", "#90a4ae"},
    {"truncate", "#4db6ac"},
    {"lame", "#bcaaa4"},
    {"no-tcp", "#b0bec5"},
};

static const char *
tl_fill_of(const char *kind)
{
	size_t i;

	for (i = 0; i < sizeof(tl_kind_fill) / sizeof(tl_kind_fill[0]); i++)
		if (strcmp(tl_kind_fill[i].kind, kind) == 0)
			return tl_kind_fill[i].fill;
	return "#bdbdbd";
}

static enum tl_cls
tl_cls_of(const char *result)
{
	size_t i;

	for (i = 0; i < TL_C_4XX; i++)
		if (strcmp(result, tl_cls_def[i].key) == 0)
			return (enum tl_cls)i;
	if (result[0] == '4')
		return TL_C_4XX;
	if (result[0] == '5')
		return TL_C_5XX;
	return TL_C_OTHER;
}

/* --- lanes ----------------------------------------------------------------
 */

static size_t
tl_lane_add(struct timeline *tl, const char *name, enum tl_group g, bool site)
{
	void *a = tl->lanes;
	struct tl_lane *l;

	mx_grow(&a, &tl->caplanes, tl->nlanes + 1, sizeof(*tl->lanes));
	tl->lanes = a;
	l = &tl->lanes[tl->nlanes];
	memset(l, 0, sizeof(*l));
	l->name = mx_xstrdup(name);
	l->group = g;
	l->site = site;
	return tl->nlanes++;
}

static bool
tl_lane_find(
    const struct timeline *tl, const char *name, bool site, size_t *out)
{
	size_t i;

	for (i = 0; i < tl->nlanes; i++)
		if (tl->lanes[i].site == site &&
		    strcmp(tl->lanes[i].name, name) == 0) {
			*out = i;
			return true;
		}
	return false;
}

/* The lane of a host label or address; an unknown one gets its own lane
 * at the end, so nothing the run did is left out of the picture. */
static size_t
tl_lane_of(struct timeline *tl, const char *name)
{
	size_t i;

	if (tl_lane_find(tl, name, false, &i))
		return i;
	for (i = 0; i < tl->naddrs; i++)
		if (strcmp(tl->addrs[i].s, name) == 0)
			return tl->addrs[i].lane;
	i = tl_lane_add(tl, name, TL_G_EXTRA, false);
	snprintf(
	    tl->lanes[i].role, sizeof(tl->lanes[i].role), "%s", "no such host");
	return i;
}

static void
tl_role(struct tl_lane *l, const struct world_host *h)
{
	static const char *const names[] = {"sender", "MX", "DNS", "resolver"};
	bool has[4];
	size_t i, off = 0;

	has[0] = h->sender;
	has[1] = h->smtp;
	has[2] = h->dns;
	has[3] = h->recursive;
	l->group = TL_G_OTHER;
	for (i = 4; i-- > 0;)
		if (has[i])
			l->group = (enum tl_group)i;
	l->role[0] = '\0';
	for (i = 0; i < 4; i++)
		if (has[i] && off < sizeof(l->role))
			off += (size_t)snprintf(l->role + off,
			    sizeof(l->role) - off, "%s%s", off ? " + " : "",
			    names[i]);
	if (off == 0)
		snprintf(l->role, sizeof(l->role), "host");
}

static void
tl_lanes_init(struct timeline *tl)
{
	const struct world *w = tl->w;
	size_t i, k, li;

	for (i = 0; i < w->nhosts; i++) {
		const struct world_host *h = &w->hosts[i];

		li = tl_lane_add(tl, h->name, TL_G_OTHER, false);
		tl_role(&tl->lanes[li], h);
		for (k = 0; k < h->naddr; k++) {
			void *a = tl->addrs;

			mx_grow(&a, &tl->capaddrs, tl->naddrs + 1,
			    sizeof(*tl->addrs));
			tl->addrs = a;
			net_addr_str(&h->addr[k], tl->addrs[tl->naddrs].s,
			    sizeof(tl->addrs[tl->naddrs].s));
			tl->addrs[tl->naddrs++].lane = li;
		}
		if (h->naddr > 0)
			net_addr_str(&h->addr[0], tl->lanes[li].addr,
			    sizeof(tl->lanes[li].addr));
	}
	/* A site appears when its uplink has an outage to show. */
	for (i = 0; i < w->noutages; i++) {
		const struct world_outage *o = &w->outages[i];

		if (!o->on_site || tl_lane_find(tl, o->host, true, &li))
			continue;
		li = tl_lane_add(tl, o->host, TL_G_SITE, true);
		snprintf(tl->lanes[li].role, sizeof(tl->lanes[li].role),
		    "site uplink");
	}
}

/* --- the collector --------------------------------------------------------
 */

struct timeline *
timeline_new(const struct world *w)
{
	struct timeline *tl = mx_xcalloc(1, sizeof(*tl));

	tl->w = w;
	tl_lanes_init(tl);
	return tl;
}

void
timeline_free(struct timeline *tl)
{
	size_t i;

	if (tl == NULL)
		return;
	for (i = 0; i < tl->nlanes; i++)
		free(tl->lanes[i].name);
	for (i = 0; i < tl->nmarks; i++)
		free(tl->marks[i].note);
	for (i = 0; i < tl->ndns; i++)
		free(tl->dns[i].q);
	free(tl->lanes);
	free(tl->addrs);
	free(tl->marks);
	free(tl->dns);
	free(tl->waits);
	free(tl->outs);
	if (tl->f != NULL)
		fclose(tl->f);
	free(tl->path);
	free(tl->part);
	free(tl);
}

static const char *
tl_fs(const struct trace_rec *r, const char *key)
{
	const struct trace_field *f = trace_get(r, key);

	return f != NULL && f->type == TRACE_STR && f->s != NULL ? f->s : "";
}

static int64_t
tl_fi(const struct trace_rec *r, const char *key, int64_t dflt)
{
	const struct trace_field *f = trace_get(r, key);

	return f != NULL && f->type != TRACE_STR ? f->i : dflt;
}

static void
tl_mark_add(struct timeline *tl, const struct trace_rec *r, size_t lane,
    enum tl_mark_kind kind)
{
	void *a = tl->marks;
	struct tl_mark *m;
	char t[40], note[TRACE_TEXT_MAX + 100];

	mx_grow(&a, &tl->capmarks, tl->nmarks + 1, sizeof(*tl->marks));
	tl->marks = a;
	m = &tl->marks[tl->nmarks++];
	m->t = r->t;
	m->lane = lane;
	m->kind = kind;
	m->msg = (uint64_t)tl_fi(r, "msg", 0);
	snprintf(note, sizeof(note), "%s %s: %s",
	    dur_format_secs(r->t, t, sizeof(t)), r->actor, r->text);
	m->note = mx_xstrdup(note);
}

static struct tl_dns *
tl_dns_add(struct timeline *tl, sim_time_t t, size_t from, size_t to,
    const char *qtype, const char *qname)
{
	void *a = tl->dns;
	struct tl_dns *d;
	size_t n = strlen(qtype) + strlen(qname) + 2;

	mx_grow(&a, &tl->capdns, tl->ndns + 1, sizeof(*tl->dns));
	tl->dns = a;
	d = &tl->dns[tl->ndns++];
	memset(d, 0, sizeof(*d));
	d->t = t;
	d->ans = -1;
	d->again = -1;
	d->from = from;
	d->to = to;
	d->q = mx_xmalloc(n);
	snprintf(d->q, n, "%s %s", qtype, qname);
	return d;
}

static void
tl_on_query(struct timeline *tl, const struct trace_rec *r, bool tcp)
{
	struct tl_dns *d = tl_dns_add(tl, r->t, tl_lane_of(tl, r->actor),
	    tl_lane_of(tl, tl_fs(r, "server")), tl_fs(r, "qtype"),
	    tl_fs(r, "qname"));

	d->tcp = tcp;
	d->id = tcp ? -1 : tl_fi(r, "id", -1);
	d->try_ = tl_fi(r, "try", 1);
	d->wait = tcp ? 0 : tl_fi(r, "wait", 0);
}

/* An answer closes the latest open query to that server with the same ID
 * and question (docs/trace.md: dns.answer echoes both); an answer no query
 * explains is a resolver's own question upstream. */
static void
tl_on_answer(struct timeline *tl, const struct trace_rec *r)
{
	size_t srv = tl_lane_of(tl, r->actor), i;
	bool tcp = tl_fi(r, "tcp", 0) != 0;
	int64_t id = tl_fi(r, "id", -1);
	char q[300];
	struct tl_dns *d;

	snprintf(q, sizeof(q), "%s %s", tl_fs(r, "qtype"), tl_fs(r, "qname"));
	for (i = tl->ndns; i-- > 0;) {
		d = &tl->dns[i];
		if (r->t - d->t > SIM_MIN(10))
			break;
		if (d->upstream || d->ans >= 0 || d->to != srv ||
		    d->tcp != tcp || (!tcp && d->id != id) ||
		    strcasecmp(d->q, q) != 0)
			continue;
		d->ans = r->t;
		snprintf(d->rcode, sizeof(d->rcode), "%s", tl_fs(r, "rcode"));
		return;
	}
	d = tl_dns_add(tl, r->t, tl_lane_of(tl, tl_fs(r, "client")), srv,
	    tl_fs(r, "qtype"), tl_fs(r, "qname"));
	d->upstream = true;
	d->ans = r->t;
	d->id = id;
	d->tcp = tcp;
	snprintf(d->rcode, sizeof(d->rcode), "%s", tl_fs(r, "rcode"));
}

static void
tl_on_defer(struct timeline *tl, const struct trace_rec *r)
{
	void *a = tl->waits;
	struct tl_wait *wt;

	mx_grow(&a, &tl->capwaits, tl->nwaits + 1, sizeof(*tl->waits));
	tl->waits = a;
	wt = &tl->waits[tl->nwaits++];
	wt->lane = tl_lane_of(tl, r->actor);
	wt->msg = (uint64_t)tl_fi(r, "msg", 0);
	wt->from = r->t;
	wt->to = -1;
}

static void
tl_on_retry(struct timeline *tl, const struct trace_rec *r)
{
	size_t lane = tl_lane_of(tl, r->actor), i;
	uint64_t msg = (uint64_t)tl_fi(r, "msg", 0);

	tl_mark_add(tl, r, lane, TL_M_RETRY);
	/* The oldest open wait of the message: one per deferred domain. */
	for (i = 0; i < tl->nwaits; i++)
		if (tl->waits[i].to < 0 && tl->waits[i].lane == lane &&
		    tl->waits[i].msg == msg) {
			tl->waits[i].to = r->t;
			return;
		}
}

static bool
tl_zone_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la > 0 && a[la - 1] == '.')
		la--;
	if (lb > 0 && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

static void
tl_on_zone(struct timeline *tl, const struct trace_rec *r)
{
	const char *zone = tl_fs(r, "zone");
	size_t i, k;

	for (i = 0; i < tl->w->nhosts; i++) {
		const struct world_host *h = &tl->w->hosts[i];

		for (k = 0; k < h->nserves; k++)
			if (tl_zone_eq(h->serves[k], zone)) {
				tl_mark_add(
				    tl, r, tl_lane_of(tl, h->name), TL_M_ZONE);
				break;
			}
	}
}

/* The declaration an outage record speaks of: its host (or site) and its
 * number there (docs/trace.md "Outages"). */
static const struct world_outage *
tl_outage_decl(const struct world *w, const char *host, int64_t index)
{
	size_t i;

	for (i = 0; i < w->noutages; i++)
		if (w->outages[i].f.index == index &&
		    strcmp(w->outages[i].host, host) == 0)
			return &w->outages[i];
	return NULL;
}

static void
tl_on_outage(struct timeline *tl, const struct trace_rec *r, bool start)
{
	const struct world_outage *wo =
	    tl_outage_decl(tl->w, r->actor, tl_fi(r, "outage", -1));
	struct tl_out *u;
	size_t i, lane;
	void *a;

	if (wo == NULL || !tl_lane_find(tl, wo->host, wo->on_site, &lane))
		return;
	if (!start) {
		for (i = tl->nouts; i-- > 0;)
			if (tl->outs[i].wo == wo && tl->outs[i].to < 0) {
				tl->outs[i].to = r->t;
				return;
			}
		return;
	}
	a = tl->outs;
	mx_grow(&a, &tl->capouts, tl->nouts + 1, sizeof(*tl->outs));
	tl->outs = a;
	u = &tl->outs[tl->nouts++];
	u->wo = wo;
	u->lane = lane;
	u->from = r->t;
	u->to = -1;
}

void
timeline_trace(void *ctx, const struct trace_rec *r)
{
	struct timeline *tl = ctx;

	if (strcmp(r->type, "dns.query") == 0)
		tl_on_query(tl, r, false);
	else if (strcmp(r->type, "dns.tcp") == 0)
		tl_on_query(tl, r, true);
	else if (strcmp(r->type, "dns.answer") == 0)
		tl_on_answer(tl, r);
	else if (strcmp(r->type, "mta.queued") == 0)
		tl_mark_add(tl, r, tl_lane_of(tl, r->actor), TL_M_QUEUED);
	else if (strcmp(r->type, "smtp.stored") == 0)
		tl_mark_add(tl, r, tl_lane_of(tl, r->actor), TL_M_STORED);
	else if (strcmp(r->type, "mta.bounce") == 0)
		tl_mark_add(tl, r, tl_lane_of(tl, r->actor), TL_M_BOUNCE);
	else if (strcmp(r->type, "mta.defer") == 0)
		tl_on_defer(tl, r);
	else if (strcmp(r->type, "mta.retry") == 0)
		tl_on_retry(tl, r);
	else if (strcmp(r->type, "zone.change") == 0)
		tl_on_zone(tl, r);
	else if (strcmp(r->type, "outage.start") == 0)
		tl_on_outage(tl, r, true);
	else if (strcmp(r->type, "outage.end") == 0)
		tl_on_outage(tl, r, false);
}

/* --- text -----------------------------------------------------------------
 */

/* Length of the UTF-8 sequence at 's' if it is a character XML 1.0
 * allows, else 0. */
static size_t
tl_utf8_ok(const unsigned char *s)
{
	uint32_t cp;
	size_t n, i;

	if (s[0] < 0x80)
		return s[0] >= 0x20 || s[0] == '\t' || s[0] == '\n' ? 1 : 0;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff)
		return 0;
	return n;
}

/* Writes at most 'max' characters of 's' (0 = all) as XML character
 * data, escaped; an invalid byte becomes '?'; a cut string ends in an
 * ellipsis. */
static void
tl_esc_n(FILE *o, const char *str, size_t max)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t chars = 0, n;

	while (*s != '\0') {
		if (max > 0 && chars == max) {
			fputs("\xe2\x80\xa6", o);
			return;
		}
		n = tl_utf8_ok(s);
		if (n == 0) {
			fputc('?', o);
			s++;
		} else if (n > 1) {
			fwrite(s, 1, n, o);
			s += n;
		} else {
			switch (*s) {
			case '&':
				fputs("&amp;", o);
				break;
			case '<':
				fputs("&lt;", o);
				break;
			case '>':
				fputs("&gt;", o);
				break;
			case '"':
				fputs("&quot;", o);
				break;
			case '\'':
				fputs("&apos;", o);
				break;
			case '\n':
			case '\t':
				fputc(' ', o);
				break;
			default:
				fputc(*s, o);
			}
			s++;
		}
		chars++;
	}
}

static void
tl_esc(FILE *o, const char *s)
{
	tl_esc_n(o, s, 0);
}

/* Characters (not bytes) in a UTF-8 string, for width estimates. */
static size_t
tl_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* A duration rounded to what a glance needs: "59m30s", "1h2m", "1.5s". */
static char *
tl_dur_round(sim_time_t d, char *buf, size_t len)
{
	sim_time_t q;

	if (d >= SIM_DAY(1))
		q = SIM_H(1);
	else if (d >= SIM_H(1))
		q = SIM_MIN(1);
	else if (d >= SIM_MIN(1))
		q = SIM_S(1);
	else if (d >= SIM_S(1))
		q = SIM_MS(100);
	else if (d >= SIM_MS(1))
		q = SIM_US(100);
	else
		q = 1;
	return dur_format((d + q / 2) / q * q, buf, len);
}

/* --- the axis -------------------------------------------------------------
 */

struct tl_span {
	sim_time_t a, b; /* a <= b */
	size_t seq;      /* creation order, to sort deterministically */
};

struct tl_axis {
	sim_time_t end;                      /* the horizon */
	size_t nk;                           /* knots used */
	sim_time_t kt[2 * TL_MAXBREAKS + 2]; /* knot times, increasing */
	double kx[2 * TL_MAXBREAKS + 2];     /* their x */
	size_t nb;                           /* compressed gaps */
	struct tl_span br[TL_MAXBREAKS];     /* them, in time order */
	sim_time_t brlen[TL_MAXBREAKS];      /* the idle time of each */
	double scale;                        /* px per ns when linear */
	sim_time_t step;                     /* tick step */
};

static int
tl_span_cmp(const void *pa, const void *pb)
{
	const struct tl_span *a = pa, *b = pb;

	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	if (a->b != b->b)
		return a->b < b->b ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Longest first; equal lengths earliest first. */
static int
tl_gap_cmp(const void *pa, const void *pb)
{
	const struct tl_span *a = pa, *b = pb;
	sim_time_t la = a->b - a->a, lb = b->b - b->a;

	if (la != lb)
		return la > lb ? -1 : 1;
	return tl_span_cmp(pa, pb);
}

struct tl_spans {
	struct tl_span *v; /* owned */
	size_t n, cap;
};

static void
tl_busy(struct tl_spans *s, sim_time_t a, sim_time_t b, sim_time_t end)
{
	void *p = s->v;

	if (a > end)
		return;
	if (a < 0)
		a = 0;
	if (b > end)
		b = end;
	if (b < a)
		b = a;
	mx_grow(&p, &s->cap, s->n + 1, sizeof(*s->v));
	s->v = p;
	s->v[s->n].a = a;
	s->v[s->n].b = b;
	s->v[s->n].seq = s->n;
	s->n++;
}

/* Chooses the idle gaps to compress (file comment) among the gaps between
 * busy spans, and returns the time left at the linear scale. */
static sim_time_t
tl_axis_breaks(struct tl_axis *ax, struct tl_spans *busy)
{
	struct tl_span *gaps = mx_xcalloc(busy->n + 1, sizeof(*gaps));
	sim_time_t lin = ax->end, reach, g;
	size_t i, ng = 0;

	qsort(busy->v, busy->n, sizeof(*busy->v), tl_span_cmp);
	reach = busy->v[0].b;
	for (i = 1; i < busy->n; i++) {
		if (busy->v[i].a > reach) {
			gaps[ng].a = reach;
			gaps[ng].b = busy->v[i].a;
			gaps[ng].seq = ng;
			ng++;
		}
		if (busy->v[i].b > reach)
			reach = busy->v[i].b;
	}
	qsort(gaps, ng, sizeof(*gaps), tl_gap_cmp);
	ax->nb = 0;
	for (i = 0; i < ng && ax->nb < TL_MAXBREAKS; i++) {
		g = gaps[i].b - gaps[i].a;
		if (g <= (lin - g) / 2 || lin - g <= 0)
			break;
		ax->br[ax->nb++] = gaps[i];
		lin -= g;
	}
	free(gaps);
	qsort(ax->br, ax->nb, sizeof(*ax->br), tl_span_cmp);
	return lin;
}

static void
tl_axis_step(struct tl_axis *ax)
{
	static const sim_time_t steps[] = {SIM_US(1), SIM_US(2), SIM_US(5),
	    SIM_US(10), SIM_US(20), SIM_US(50), SIM_US(100), SIM_US(200),
	    SIM_US(500), SIM_MS(1), SIM_MS(2), SIM_MS(5), SIM_MS(10),
	    SIM_MS(20), SIM_MS(50), SIM_MS(100), SIM_MS(200), SIM_MS(500),
	    SIM_S(1), SIM_S(2), SIM_S(5), SIM_S(10), SIM_S(15), SIM_S(30),
	    SIM_MIN(1), SIM_MIN(2), SIM_MIN(5), SIM_MIN(10), SIM_MIN(15),
	    SIM_MIN(30), SIM_H(1), SIM_H(2), SIM_H(3), SIM_H(6), SIM_H(12),
	    SIM_DAY(1), SIM_DAY(2), SIM_DAY(7), SIM_DAY(14), SIM_DAY(30)};
	size_t i, n = sizeof(steps) / sizeof(steps[0]);

	for (i = 0; i < n; i++)
		if ((double)steps[i] * ax->scale >= TL_TICK_PX)
			break;
	if (i < n)
		ax->step = steps[i];
	else
		ax->step =
		    SIM_DAY(30) *
		    (sim_time_t)(TL_TICK_PX / (SIM_DAY(30) * ax->scale) + 1);
}

/* Builds the time-to-x mapping from the busy spans (sorted in place). */
static void
tl_axis_build(struct tl_axis *ax, struct tl_spans *busy, sim_time_t end)
{
	sim_time_t lin, pad, cut = 0, ct;
	double cx;
	size_t i;

	memset(ax, 0, sizeof(*ax));
	ax->end = end > 0 ? end : SIM_S(1);
	tl_busy(busy, 0, 0, ax->end);
	tl_busy(busy, ax->end, ax->end, ax->end);
	lin = tl_axis_breaks(ax, busy);
	/* Keep a little linear time on each side of a break, so that what
	 * happens at its edges does not sit on the band. */
	pad = lin / 50 > 0 ? lin / 50 : 1;
	for (i = 0; i < ax->nb; i++) {
		ax->brlen[i] = ax->br[i].b - ax->br[i].a;
		/* A gap is at least 25 pads long (it outweighs half of 'lin'),
		 * but nanosecond runs round: keep it non-empty. */
		ax->br[i].a += ax->brlen[i] > 4 * pad ? pad : 0;
		ax->br[i].b -= ax->brlen[i] > 4 * pad ? pad : 0;
		cut += ax->br[i].b - ax->br[i].a;
	}
	ax->scale =
	    (TL_PLOT - (double)ax->nb * TL_BREAK) / (double)(ax->end - cut);
	ct = 0;
	cx = TL_X0;
	ax->kt[0] = 0;
	ax->kx[0] = TL_X0;
	ax->nk = 1;
	for (i = 0; i < ax->nb; i++) {
		cx += (double)(ax->br[i].a - ct) * ax->scale;
		ax->kt[ax->nk] = ax->br[i].a;
		ax->kx[ax->nk++] = cx;
		cx += TL_BREAK;
		ct = ax->br[i].b;
		ax->kt[ax->nk] = ct;
		ax->kx[ax->nk++] = cx;
	}
	ax->kt[ax->nk] = ax->end;
	ax->kx[ax->nk++] = cx + (double)(ax->end - ct) * ax->scale;
	tl_axis_step(ax);
}

static double
tl_x(const struct tl_axis *ax, sim_time_t t)
{
	size_t i;

	if (t <= 0)
		return ax->kx[0];
	if (t >= ax->end)
		return ax->kx[ax->nk - 1];
	for (i = 0; i + 1 < ax->nk; i++)
		if (t <= ax->kt[i + 1])
			break;
	if (ax->kt[i + 1] == ax->kt[i])
		return ax->kx[i];
	return ax->kx[i] + (double)(t - ax->kt[i]) *
	                       (ax->kx[i + 1] - ax->kx[i]) /
	                       (double)(ax->kt[i + 1] - ax->kt[i]);
}

/* --- what to draw ---------------------------------------------------------
 */

/* A try followed by the next try of the same question from the same
 * client within its wait timed out for the client, whatever the server
 * did: its answer was lost or late (glibc res_send.c: a new try only
 * after the wait).  A TCP try after a truncated answer is not a retry. */
static void
tl_dns_retries(struct timeline *tl)
{
	size_t i, j;

	for (i = 0; i < tl->ndns; i++) {
		struct tl_dns *a = &tl->dns[i];

		if (a->upstream)
			continue;
		for (j = i + 1; j < tl->ndns; j++) {
			const struct tl_dns *b = &tl->dns[j];

			if (b->t - a->t > a->wait + SIM_S(1))
				break;
			if (!b->upstream && !b->tcp && b->from == a->from &&
			    b->try_ == a->try_ + 1 &&
			    strcasecmp(b->q, a->q) == 0) {
				a->again = b->t;
				break;
			}
		}
	}
}

static enum tl_dres
tl_dres_of(const struct tl_dns *q)
{
	if (q->ans < 0 || q->again >= 0)
		return TL_D_LOST;
	if (strcmp(q->rcode, "NOERROR") != 0)
		return TL_D_ERROR;
	return q->tcp ? TL_D_TCP : TL_D_OK;
}

struct tl_draw {
	FILE *o;               /* borrowed output */
	struct timeline *tl;   /* borrowed collector */
	const struct world *w; /* borrowed */
	struct tl_axis ax;     /* the time axis */
	struct tl_conn *conns; /* owned */
	size_t nconns, capconns;
	size_t *order;              /* owned: lanes top to bottom */
	double lh;                  /* lane height */
	double axis_y;              /* the axis line */
	double legend_y;            /* first legend row */
	double height;              /* picture height */
	double cw, dw;              /* stroke widths: connections, DNS */
	size_t ncls[TL_C_N];        /* connections by class */
	size_t nmark[TL_M_N];       /* marks by kind */
	size_t ndres[TL_D_N];       /* DNS queries by result */
	size_t nkind[FAULT_NKINDS]; /* outages shown by kind */
	size_t nwait;               /* waits in the queue */
};

static void
tl_conn_note(struct tl_conn *c, const struct timeline *tl,
    const struct mta_attempt *a, const char *rcpt)
{
	size_t off = strlen(c->note);
	char t0[40], t1[40];

	if (off == 0)
		off = (size_t)snprintf(c->note, sizeof(c->note),
		    "msg %" PRIu64 ", delivery attempt %d: %s \xe2\x86\x92 %s "
		    "[%s] pref %u, %s to %s:",
		    c->msg, c->delivery, tl->lanes[c->from].name, a->host,
		    a->addr, a->pref, dur_format_secs(a->start, t0, sizeof(t0)),
		    dur_format_secs(a->end, t1, sizeof(t1)));
	if (off < sizeof(c->note))
		snprintf(c->note + off, sizeof(c->note) - off, "%s %s %s",
		    c->note[off - 1] == ':' ? "" : ";", rcpt, a->result);
}

/* One attempt of one recipient: a new session, or another recipient of a
 * session already seen (same message, domain, delivery, start, address);
 * a session that delivered to anyone is drawn as delivered. */
static void
tl_conn_add(struct tl_draw *d, size_t from, size_t mfirst,
    const struct mta_rcpt_result *r, const struct mta_attempt *a)
{
	const char *at = strrchr(r->rcpt, '@');
	const char *dom = at != NULL ? at + 1 : r->rcpt;
	enum tl_cls cls = tl_cls_of(a->result);
	struct tl_conn *c;
	size_t i;
	void *p;

	for (i = mfirst; i < d->nconns; i++) {
		c = &d->conns[i];
		if (c->msg == r->msg && c->start == a->start &&
		    c->delivery == a->delivery &&
		    strcmp(c->addr, a->addr) == 0 &&
		    strcasecmp(c->domain, dom) == 0) {
			if (cls == TL_C_DELIVERED)
				c->cls = cls;
			tl_conn_note(c, d->tl, a, r->rcpt);
			return;
		}
	}
	p = d->conns;
	mx_grow(&p, &d->capconns, d->nconns + 1, sizeof(*d->conns));
	d->conns = p;
	c = &d->conns[d->nconns++];
	memset(c, 0, sizeof(*c));
	c->start = a->start;
	c->end = a->end;
	c->from = from;
	c->to = tl_lane_of(d->tl, a->host);
	c->msg = r->msg;
	c->delivery = a->delivery;
	c->domain = dom;
	snprintf(c->addr, sizeof(c->addr), "%s", a->addr);
	c->cls = cls;
	tl_conn_note(c, d->tl, a, r->rcpt);
}

static void
tl_conns(struct tl_draw *d, const struct world_run *run)
{
	size_t h, k, j, n, mfirst = 0;
	struct mta_rcpt_result *res;

	for (h = 0; h < run->nhosts; h++) {
		const struct mta *m = run->hosts[h].mta;
		size_t from;

		if (m == NULL)
			continue;
		from = tl_lane_of(d->tl, run->hosts[h].wh->name);
		n = mta_nresults(m);
		res = mx_xcalloc(n + 1, sizeof(*res));
		n = mta_results(m, res, n);
		for (k = 0; k < n; k++) {
			/* Results come message by message (mta.h): a session
			 * can only merge with one of the same message. */
			if (k == 0 || res[k].msg != res[k - 1].msg)
				mfirst = d->nconns;
			for (j = 0; j < res[k].nattempts; j++)
				tl_conn_add(d, from, mfirst, &res[k],
				    &res[k].attempts[j]);
		}
		free(res);
	}
	for (k = 0; k < d->nconns; k++)
		d->ncls[d->conns[k].cls]++;
}

static void
tl_axis_of_run(struct tl_draw *d)
{
	const struct timeline *tl = d->tl;
	struct tl_spans busy = {NULL, 0, 0};
	sim_time_t end = d->w->stop_at, b;
	size_t i;

	for (i = 0; i < d->nconns; i++)
		tl_busy(&busy, d->conns[i].start, d->conns[i].end, end);
	for (i = 0; i < tl->ndns; i++) {
		const struct tl_dns *q = &tl->dns[i];

		b = q->again >= 0 ? q->again
		    : q->ans >= 0 ? q->ans
		                  : q->t + q->wait;
		tl_busy(&busy, q->t, b, end);
	}
	for (i = 0; i < tl->nmarks; i++)
		tl_busy(&busy, tl->marks[i].t, tl->marks[i].t, end);
	for (i = 0; i < tl->nwaits; i++)
		tl_busy(&busy, tl->waits[i].from, tl->waits[i].from, end);
	for (i = 0; i < tl->nouts; i++) {
		tl_busy(&busy, tl->outs[i].from, tl->outs[i].from, end);
		if (tl->outs[i].to >= 0)
			tl_busy(&busy, tl->outs[i].to, tl->outs[i].to, end);
	}
	tl_axis_build(&d->ax, &busy, end);
	free(busy.v);
}

static int
tl_lane_cmp(const void *pa, const void *pb, const struct timeline *tl)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;

	if (tl->lanes[a].group != tl->lanes[b].group)
		return tl->lanes[a].group < tl->lanes[b].group ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* Lanes top to bottom: by group, then in declaration order (an insertion
 * sort: qsort has no context argument in C11, and lanes are few). */
static void
tl_layout_lanes(struct tl_draw *d)
{
	struct timeline *tl = d->tl;
	size_t i, j, v;

	d->order = mx_xcalloc(tl->nlanes + 1, sizeof(*d->order));
	for (i = 0; i < tl->nlanes; i++) {
		v = i;
		for (j = i; j > 0 && tl_lane_cmp(&d->order[j - 1], &v, tl) > 0;
		     j--)
			d->order[j] = d->order[j - 1];
		d->order[j] = v;
	}
	d->lh = tl->nlanes > 14 ? 28.0 : 40.0;
	for (i = 0; i < tl->nlanes; i++)
		tl->lanes[d->order[i]].y = TL_TOP + d->lh * ((double)i + 0.5);
	d->axis_y = TL_TOP + d->lh * (double)tl->nlanes + 8.0;
}

static void
tl_counts(struct tl_draw *d)
{
	const struct timeline *tl = d->tl;
	size_t i;

	for (i = 0; i < tl->nmarks; i++)
		d->nmark[tl->marks[i].kind]++;
	for (i = 0; i < tl->ndns; i++)
		d->ndres[tl_dres_of(&tl->dns[i])]++;
	for (i = 0; i < tl->nouts; i++)
		d->nkind[tl->outs[i].wo->f.kind]++;
	d->nwait = tl->nwaits;
	/* Thin strokes when many: a hundred sessions stay distinct lines. */
	d->cw = d->nconns <= 40 ? 1.6 : d->nconns <= 400 ? 1.0 : 0.6;
	d->dw = tl->ndns <= 60 ? 0.9 : 0.5;
}

/* --- the legend -----------------------------------------------------------
 */

enum tl_leg_sym {
	TL_L_HEAD,   /* a section title, no symbol */
	TL_L_CONN,   /* arg: class */
	TL_L_OUTAGE, /* arg: fault kind */
	TL_L_DNS,    /* arg: 0 answered, 1 error rcode, 2 no answer */
	TL_L_MARK,   /* arg: mark kind */
	TL_L_WAIT,   /* waiting in the queue */
	TL_L_BREAK,  /* compressed idle time */
};

#define TL_LEG_MAX (TL_C_N + FAULT_NKINDS + TL_M_N + 16)

struct tl_leg {
	enum tl_leg_sym sym; /* what to draw */
	int arg;             /* which one */
	char key[32];        /* data-key */
	char text[96];       /* label */
	double x, y;         /* where */
};

struct tl_legend {
	struct tl_leg v[TL_LEG_MAX]; /* items */
	size_t n;                    /* how many */
};

static void
tl_leg_add(struct tl_legend *lg, enum tl_leg_sym sym, int arg, const char *key,
    const char *text)
{
	struct tl_leg *it;

	if (lg->n >= TL_LEG_MAX)
		return;
	it = &lg->v[lg->n++];
	it->sym = sym;
	it->arg = arg;
	snprintf(it->key, sizeof(it->key), "%s", key);
	snprintf(it->text, sizeof(it->text), "%s", text);
}

static const char *
tl_layer_name(enum fault_layer l)
{
	switch (l) {
	case FAULT_LAYER_NET:
		return "network";
	case FAULT_LAYER_LINK:
		return "link";
	case FAULT_LAYER_SMTP:
		return "SMTP";
	case FAULT_LAYER_DNS:
		return "DNS";
	}
	return "?";
}

static void
tl_legend_outages(const struct tl_draw *d, struct tl_legend *lg)
{
	char key[32], text[96];
	int k;
	bool any = false;

	for (k = 0; k < FAULT_NKINDS; k++) {
		if (d->nkind[k] == 0)
			continue;
		if (!any)
			tl_leg_add(lg, TL_L_HEAD, 0, "outages", "outages:");
		any = true;
		snprintf(key, sizeof(key), "outage-%s",
		    fault_kind_name((enum fault_kind)k));
		/* Two kinds share the name "slow": say which layer. */
		snprintf(text, sizeof(text), "%s (%s)",
		    fault_kind_name((enum fault_kind)k),
		    tl_layer_name(fault_kind_layer((enum fault_kind)k)));
		tl_leg_add(lg, TL_L_OUTAGE, k, key, text);
	}
}

static void
tl_legend_build(const struct tl_draw *d, struct tl_legend *lg)
{
	static const char *const mark_key[TL_M_N] = {
	    "queued", "stored", "retry", "bounce", "zone"};
	static const char *const mark_text[TL_M_N] = {
	    "queued", "stored by the MX", "retry", "bounced", "zone changed"};
	char key[32], text[96];
	bool any = false;
	int i;

	lg->n = 0;
	if (d->nconns > 0)
		tl_leg_add(lg, TL_L_HEAD, 0, "connections", "connections:");
	for (i = 0; i < TL_C_N; i++) {
		if (d->ncls[i] == 0)
			continue;
		snprintf(key, sizeof(key), "conn-%s", tl_cls_def[i].key);
		snprintf(text, sizeof(text), "%s (%zu)", tl_cls_def[i].label,
		    d->ncls[i]);
		tl_leg_add(lg, TL_L_CONN, i, key, text);
	}
	if (d->tl->ndns > 0)
		tl_leg_add(lg, TL_L_HEAD, 0, "dns", "DNS:");
	for (i = 0; i < TL_D_N; i++) {
		if (d->ndres[i] == 0)
			continue;
		snprintf(key, sizeof(key), "dns-%s", tl_dres_def[i].key);
		snprintf(text, sizeof(text), "%s (%zu)", tl_dres_def[i].label,
		    d->ndres[i]);
		tl_leg_add(lg, TL_L_DNS, i, key, text);
	}
	tl_legend_outages(d, lg);
	for (i = 0; i < TL_M_N; i++)
		any = any || d->nmark[i] > 0;
	if (any || d->nwait > 0 || d->ax.nb > 0)
		tl_leg_add(lg, TL_L_HEAD, 0, "marks", "marks:");
	for (i = 0; i < TL_M_N; i++) {
		if (d->nmark[i] == 0)
			continue;
		snprintf(
		    text, sizeof(text), "%s (%zu)", mark_text[i], d->nmark[i]);
		tl_leg_add(lg, TL_L_MARK, i, mark_key[i], text);
	}
	if (d->nwait > 0)
		tl_leg_add(lg, TL_L_WAIT, 0, "wait", "waiting in the queue");
	if (d->ax.nb > 0)
		tl_leg_add(lg, TL_L_BREAK, 0, "break", "idle time, compressed");
}

/* Flows the items in rows; a section title starts on a row with room for
 * at least its first item. */
static void
tl_legend_layout(struct tl_draw *d, struct tl_legend *lg)
{
	double x = 12.0, y = d->axis_y + 52.0, w, wnext;
	size_t i;

	for (i = 0; i < lg->n; i++) {
		struct tl_leg *it = &lg->v[i];

		w = (double)tl_chars(it->text) * TL_CHAR +
		    (it->sym == TL_L_HEAD ? 8.0 : 34.0);
		wnext = 0;
		if (it->sym == TL_L_HEAD && i + 1 < lg->n)
			wnext = (double)tl_chars(lg->v[i + 1].text) * TL_CHAR +
			        34.0;
		if (x > 12.0 && x + w + wnext > TL_W - 12.0) {
			x = 12.0;
			y += 20.0;
		}
		it->x = x;
		it->y = y;
		x += w + (it->sym == TL_L_HEAD ? 0.0 : 10.0);
	}
	d->legend_y = y;
	d->height = y + 20.0;
}

/* --- drawing --------------------------------------------------------------
 */

static void
tl_marker_defs(FILE *o)
{
	int i;

	fputs("<defs>\n", o);
	for (i = 0; i < TL_C_N; i++)
		fprintf(o,
		    "<marker id=\"ah-%s\" viewBox=\"0 0 10 10\" refX=\"9\" "
		    "refY=\"5\" markerWidth=\"5\" markerHeight=\"5\" "
		    "orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" "
		    "fill=\"%s\"/></marker>\n",
		    tl_cls_def[i].key, tl_cls_def[i].color);
	for (i = 0; i < TL_D_N; i++)
		fprintf(o,
		    "<marker id=\"ah-dns-%s\" viewBox=\"0 0 10 10\" "
		    "refX=\"9\" refY=\"5\" markerWidth=\"6\" "
		    "markerHeight=\"6\" orient=\"auto\"><path "
		    "d=\"M0,0 L10,5 L0,10 z\" fill=\"%s\"/></marker>\n",
		    tl_dres_def[i].key, tl_dres_def[i].color);
	fputs("<pattern id=\"hatch\" width=\"6\" height=\"6\" "
	      "patternUnits=\"userSpaceOnUse\" "
	      "patternTransform=\"rotate(45)\"><rect width=\"6\" "
	      "height=\"6\" fill=\"#f4f4f4\"/><line x1=\"0\" y1=\"0\" "
	      "x2=\"0\" y2=\"6\" stroke=\"#d0d0d0\" stroke-width=\"2\"/>"
	      "</pattern>\n</defs>\n",
	    o);
}

static void
tl_draw_header(struct tl_draw *d, const struct world_run *run)
{
	FILE *o = d->o;
	char stop[40];
	size_t i, nq = d->tl->ndns, sep = 0;

	fprintf(o,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
	    "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
	    "font-family=\"sans-serif\" font-size=\"11\">\n",
	    TL_W, d->height, TL_W, d->height);
	fputs("<title>mxsim timeline: ", o);
	tl_esc(o, d->w->name);
	fputs("</title>\n", o);
	tl_marker_defs(o);
	fprintf(o, "<rect width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n",
	    TL_W, d->height);
	fputs("<text class=\"title\" x=\"12\" y=\"24\" font-size=\"16\" "
	      "font-weight=\"bold\">",
	    o);
	tl_esc_n(o, d->w->name, 60);
	/* The space stays outside the tspan: librsvg drops a tspan's
	 * leading space. */
	fprintf(o,
	    " <tspan font-weight=\"normal\" fill=\"#555555\">\xc2\xb7 seed "
	    "%" PRIu64 " \xc2\xb7 0s to %s</tspan></text>\n",
	    run->sim.seed, dur_format(d->w->stop_at, stop, sizeof(stop)));
	fputs(
	    "<text class=\"subtitle\" x=\"12\" y=\"44\" fill=\"#333333\">", o);
	if (d->w->description != NULL) {
		tl_esc_n(o, d->w->description, 110);
		fputs(" \xe2\x80\x94 ", o);
	}
	fprintf(o, "%zu message%s, %zu connection%s", d->w->nmsgs,
	    d->w->nmsgs == 1 ? "" : "s", d->nconns, d->nconns == 1 ? "" : "s");
	for (i = 0; i < TL_C_N; i++)
		if (d->ncls[i] > 0)
			fprintf(o, "%s%zu %s", sep++ ? ", " : " (", d->ncls[i],
			    tl_cls_def[i].key);
	fprintf(o, "%s, %zu DNS quer%s</text>\n", sep ? ")" : "", nq,
	    nq == 1 ? "y" : "ies");
}

static void
tl_draw_lanes(struct tl_draw *d)
{
	const struct timeline *tl = d->tl;
	FILE *o = d->o;
	size_t i;

	fputs("<g class=\"lanes\">\n", o);
	for (i = 0; i < tl->nlanes; i++) {
		const struct tl_lane *l = &tl->lanes[d->order[i]];
		double top = l->y - d->lh / 2;

		fprintf(o, "<g class=\"lane\" data-host=\"");
		tl_esc(o, l->name);
		fprintf(o, "\" data-group=\"%d\">", (int)l->group);
		fprintf(o,
		    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" fill=\"%s\"/>",
		    0.0, top, TL_W, d->lh, i % 2 ? "#ffffff" : "#f6f7f9");
		fprintf(o,
		    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		    "stroke=\"#c8c8c8\"/>",
		    TL_X0, l->y, TL_X0 + TL_PLOT, l->y);
		fprintf(o,
		    "<text x=\"12\" y=\"%.1f\" font-size=\"12\" "
		    "font-weight=\"bold\">",
		    l->y - (d->lh > 30 ? 2.0 : 0.0));
		tl_esc_n(o, l->name, 20);
		fputs("</text>", o);
		if (d->lh > 30) {
			fprintf(o,
			    "<text x=\"12\" y=\"%.1f\" font-size=\"9\" "
			    "fill=\"#666666\">",
			    l->y + 11.0);
			tl_esc_n(o, l->role, 14);
			if (l->addr[0] != '\0') {
				fputc(' ', o);
				tl_esc_n(o, l->addr, 16);
			}
			fputs("</text>", o);
		}
		fputs("</g>\n", o);
	}
	fputs("</g>\n", o);
}

struct tl_tick {
	sim_time_t t;   /* where */
	double x;       /* its x */
	char label[40]; /* text */
	bool show;      /* the label fits */
};

/* Ticks on round multiples of the step in each linear piece; after a
 * break, a long absolute label gives way to one relative to the piece's
 * first tick ("10m" then "+1ms", not "10m0.001s"). */
static size_t
tl_ticks(const struct tl_axis *ax, struct tl_tick *v, size_t max)
{
	size_t n = 0, p;
	sim_time_t a, b, m, first;
	char abs[40], rel[40];

	for (p = 0; p <= ax->nb; p++) {
		a = p == 0 ? 0 : ax->br[p - 1].b;
		b = p == ax->nb ? ax->end : ax->br[p].a;
		m = (a + ax->step - 1) / ax->step * ax->step;
		for (first = m; m <= b && n < max; m += ax->step) {
			dur_format(m, abs, sizeof(abs));
			rel[0] = '+';
			dur_format(m - first, rel + 1, sizeof(rel) - 1);
			v[n].t = m;
			v[n].x = tl_x(ax, m);
			snprintf(v[n].label, sizeof(v[n].label), "%s",
			    p > 0 && m != first && strlen(abs) > 6 &&
			            strlen(rel) < strlen(abs)
			        ? rel
			        : abs);
			v[n++].show = true;
		}
	}
	/* The horizon is always labelled. */
	if (n < max && (n == 0 || v[n - 1].t != ax->end)) {
		v[n].t = ax->end;
		v[n].x = tl_x(ax, ax->end);
		dur_format(ax->end, v[n].label, sizeof(v[n].label));
		v[n++].show = true;
	}
	return n;
}

/* dur_format() writes "us" for ASCII traces; a picture can say µs. */
static void
tl_micro(char *label, size_t len)
{
	size_t n = strlen(label);

	if (n >= 2 && n + 1 < len && strcmp(label + n - 2, "us") == 0)
		snprintf(label + n - 2, len - (n - 2), "\xc2\xb5s");
}

static void
tl_ticks_fit(struct tl_tick *v, size_t n)
{
	double right = -1e9, w;
	size_t i, last = 0;
	bool any = false;

	for (i = 0; i < n; i++) {
		tl_micro(v[i].label, sizeof(v[i].label));
		w = (double)tl_chars(v[i].label) * 5.6;
		if (v[i].x - w / 2 < right + 8.0 && i + 1 < n) {
			v[i].show = false;
			continue;
		}
		if (v[i].x - w / 2 < right + 8.0 && any)
			v[last].show = false; /* the horizon wins */
		right = v[i].x + w / 2;
		last = i;
		any = true;
	}
}

static void
tl_draw_grid(struct tl_draw *d, const struct tl_tick *v, size_t n)
{
	FILE *o = d->o;
	size_t i;

	fputs("<g class=\"grid\" stroke=\"#e3e3e3\">\n", o);
	for (i = 0; i < n; i++)
		fprintf(o,
		    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
		    v[i].x, TL_TOP, v[i].x, d->axis_y);
	fputs("</g>\n", o);
}

static void
tl_draw_breaks(struct tl_draw *d)
{
	const struct tl_axis *ax = &d->ax;
	FILE *o = d->o;
	char gap[40];
	double x0, x1;
	size_t i;

	for (i = 0; i < ax->nb; i++) {
		x0 = tl_x(ax, ax->br[i].a);
		x1 = tl_x(ax, ax->br[i].b);
		fprintf(o,
		    "<g class=\"break\" data-from=\"%" PRId64
		    "\" data-to=\"%" PRId64 "\"><title>",
		    ax->br[i].a, ax->br[i].b);
		fprintf(o, "%s idle, drawn compressed</title>",
		    tl_dur_round(ax->brlen[i], gap, sizeof(gap)));
		fprintf(o,
		    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" fill=\"url(#hatch)\"/>",
		    x0, TL_TOP, x1 - x0, d->axis_y - TL_TOP);
		fprintf(o,
		    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" "
		    "fill=\"#777777\" text-anchor=\"middle\" "
		    "font-style=\"italic\">idle<tspan x=\"%.1f\" "
		    "dy=\"10\">%s</tspan></text></g>\n",
		    (x0 + x1) / 2, d->axis_y + 29.0, (x0 + x1) / 2, gap);
	}
}

static void
tl_draw_axis(struct tl_draw *d, const struct tl_tick *v, size_t n)
{
	const struct tl_axis *ax = &d->ax;
	FILE *o = d->o;
	double y = d->axis_y, x0, x1;
	size_t i;

	fprintf(o, "<g class=\"axis\" data-step=\"%" PRId64 "\">\n", ax->step);
	/* The line, interrupted by a zigzag at each break. */
	x0 = TL_X0;
	for (i = 0; i <= ax->nb; i++) {
		x1 = i < ax->nb ? tl_x(ax, ax->br[i].a) : TL_X0 + TL_PLOT;
		fprintf(o,
		    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		    "stroke=\"#333333\"/>\n",
		    x0, y, x1, y);
		if (i < ax->nb) {
			x0 = tl_x(ax, ax->br[i].b);
			fprintf(o,
			    "<path d=\"M%.1f,%.1f l4,-5 l8,10 l8,-10 l8,10 "
			    "l8,-10 l8,10 l4,-5\" "
			    "fill=\"none\" stroke=\"#333333\"/>\n",
			    x1, y);
		}
	}
	for (i = 0; i < n; i++) {
		fprintf(o, "<g class=\"tick\" data-t=\"%" PRId64 "\">", v[i].t);
		fprintf(o,
		    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		    "stroke=\"#333333\"/>",
		    v[i].x, y, v[i].x, y + 5.0);
		if (v[i].show)
			fprintf(o,
			    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" "
			    "text-anchor=\"middle\">%s</text>",
			    v[i].x, y + 17.0, v[i].label);
		fputs("</g>\n", o);
	}
	fprintf(o,
	    "<text x=\"12\" y=\"%.1f\" font-size=\"10\" fill=\"#555555\">"
	    "simulated time</text>\n</g>\n",
	    y + 17.0);
}

/* The outage's words: its kind, and the reply of a 'reply' outage. */
static void
tl_outage_words(const struct fault *f, char *buf, size_t len)
{
	if (f->kind == FAULT_REPLY && f->reply_code > 0)
		snprintf(
		    buf, len, "%s %d", fault_kind_name(f->kind), f->reply_code);
	else
		snprintf(buf, len, "%s", fault_kind_name(f->kind));
}

static void
tl_outage_title(FILE *o, const struct tl_out *u, const char *words)
{
	const struct world_outage *wo = u->wo;
	char a[40], b[40];

	fputs("<title>", o);
	tl_esc(o, wo->host);
	fprintf(o, "%s outage %d: %s", wo->on_site ? " (uplink)" : "",
	    wo->f.index, words);
	if (wo->f.svc != FAULT_SVC_ANY)
		fprintf(o, " (%s only)", fault_svc_name(wo->f.svc));
	fprintf(o, ", %s to %s</title>", dur_format(u->from, a, sizeof(a)),
	    u->to < 0 ? "the end" : dur_format(u->to, b, sizeof(b)));
}

/* One window: a shade over its lane, its kind written in where there is
 * room and no other outage's words on that lane. */
static void
tl_draw_outage(struct tl_draw *d, const struct tl_out *u, double *lastx)
{
	const struct fault *f = &u->wo->f;
	FILE *o = d->o;
	double x0 = tl_x(&d->ax, u->from);
	double x1 = tl_x(&d->ax, u->to < 0 ? d->ax.end : u->to);
	double top = d->tl->lanes[u->lane].y - d->lh / 2 + 3.0;
	double tw;
	char words[40];

	tl_outage_words(f, words, sizeof(words));
	tw = (double)strlen(words) * 5.5;
	fputs("<g class=\"outage\" data-host=\"", o);
	tl_esc(o, u->wo->host);
	fprintf(o,
	    "\" data-kind=\"%s\" data-service=\"%s\" data-from=\"%" PRId64
	    "\" data-to=\"%" PRId64 "\">",
	    fault_kind_name(f->kind), fault_svc_name(f->svc), u->from, u->to);
	tl_outage_title(o, u, words);
	fprintf(o,
	    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
	    "fill=\"%s\" fill-opacity=\"0.45\"/>",
	    x0, top, x1 - x0 > 0.5 ? x1 - x0 : 0.5, d->lh - 6.0,
	    tl_fill_of(fault_kind_name(f->kind)));
	if (x1 - x0 >= tw + 8.0 && x0 >= lastx[u->lane]) {
		fprintf(o,
		    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" "
		    "fill=\"#333333\">%s</text>",
		    x0 + 3.0, top + 10.0, words);
		lastx[u->lane] = x0 + tw + 6.0;
	}
	fputs("</g>\n", o);
}

/* A site's uplink outage also marks its hosts: a strip along the bottom
 * of each of their lanes, since their traffic crosses that uplink. */
static void
tl_draw_site_strips(struct tl_draw *d, const struct tl_out *u)
{
	const struct world_site *site = world_site_find(d->w, u->wo->host);
	double x0 = tl_x(&d->ax, u->from);
	double x1 = tl_x(&d->ax, u->to < 0 ? d->ax.end : u->to);
	size_t k, lane;

	for (k = 0; site != NULL && k < site->nhosts; k++) {
		if (!tl_lane_find(d->tl, site->hosts[k], false, &lane))
			continue;
		fputs("<rect class=\"outage-site\" data-host=\"", d->o);
		tl_esc(d->o, site->hosts[k]);
		fputs("\" data-site=\"", d->o);
		tl_esc(d->o, u->wo->host);
		fprintf(d->o,
		    "\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"5\" fill=\"%s\" fill-opacity=\"0.7\"/>\n",
		    x0, d->tl->lanes[lane].y + d->lh / 2 - 8.0,
		    x1 - x0 > 0.5 ? x1 - x0 : 0.5,
		    tl_fill_of(fault_kind_name(u->wo->f.kind)));
	}
}

static void
tl_draw_outages(struct tl_draw *d)
{
	const struct timeline *tl = d->tl;
	double *lastx = mx_xcalloc(tl->nlanes + 1, sizeof(*lastx));
	size_t i;

	fputs("<g class=\"outages\">\n", d->o);
	for (i = 0; i < tl->nouts; i++) {
		tl_draw_outage(d, &tl->outs[i], lastx);
		if (tl->outs[i].wo->on_site)
			tl_draw_site_strips(d, &tl->outs[i]);
	}
	fputs("</g>\n", d->o);
	free(lastx);
}

/* The lane edge an arrow ends at, just short of the centre. */
static double
tl_yto(double from, double to)
{
	if (to > from)
		return to - 3.0;
	if (to < from)
		return to + 3.0;
	return to;
}

static void
tl_dns_title(FILE *o, const struct timeline *tl, const struct tl_dns *q)
{
	char t[40];

	fprintf(o, "<title>%s ", dur_format_secs(q->t, t, sizeof(t)));
	tl_esc(o, tl->lanes[q->from].name);
	fputs(" asks ", o);
	tl_esc(o, tl->lanes[q->to].name);
	fputs(" ", o);
	tl_esc(o, q->q);
	fprintf(o, "?%s", q->tcp ? " over TCP" : "");
	if (q->try_ > 1)
		fprintf(o, " (try %" PRId64 ")", q->try_);
	if (q->ans >= 0)
		fprintf(o, ": %s at %s", q->rcode,
		    dur_format_secs(q->ans, t, sizeof(t)));
	else
		fputs(": no answer", o);
	if (q->again >= 0)
		fprintf(o, "; asked again at %s",
		    dur_format_secs(q->again, t, sizeof(t)));
	fputs("</title>", o);
}

static void
tl_draw_dns(struct tl_draw *d)
{
	const struct timeline *tl = d->tl;
	FILE *o = d->o;
	size_t i;

	/* Many queries make a curtain: lighter then. */
	fprintf(o, "<g class=\"dns\" stroke-width=\"%.1f\" opacity=\"%s\">\n",
	    d->dw, tl->ndns <= 60 ? "0.9" : "0.45");
	for (i = 0; i < tl->ndns; i++) {
		const struct tl_dns *q = &tl->dns[i];
		enum tl_dres r = tl_dres_of(q);
		double y0 = tl->lanes[q->from].y, y1 = tl->lanes[q->to].y;
		double x0 = tl_x(&d->ax, q->t);
		double x1 = tl_x(&d->ax, q->ans >= 0 ? q->ans : q->t);

		fprintf(o,
		    "<line class=\"dns-q\" data-result=\"%s\" data-from=\"",
		    tl_dres_def[r].key);
		tl_esc(o, tl->lanes[q->from].name);
		fputs("\" data-to=\"", o);
		tl_esc(o, tl->lanes[q->to].name);
		fprintf(o, "\" data-t=\"%" PRId64 "\" data-try=\"%" PRId64 "\"",
		    q->t, q->upstream ? (int64_t)0 : q->try_);
		fprintf(o,
		    " x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		    "stroke=\"%s\"%s",
		    x0, y0, x1, tl_yto(y0, y1), tl_dres_def[r].color,
		    r == TL_D_LOST ? " stroke-dasharray=\"3 2\""
		                   : " marker-end=\"url(#ah-dns-");
		if (r != TL_D_LOST)
			fprintf(o, "%s)\"", tl_dres_def[r].key);
		fputs(">", o);
		tl_dns_title(o, tl, q);
		fputs("</line>\n", o);
	}
	fputs("</g>\n", o);
}

static void
tl_draw_waits(struct tl_draw *d)
{
	const struct timeline *tl = d->tl;
	FILE *o = d->o;
	size_t i;

	fputs("<g class=\"waits\" stroke=\"#78909c\" stroke-width=\"1.5\" "
	      "stroke-dasharray=\"1 3\">\n",
	    o);
	for (i = 0; i < tl->nwaits; i++) {
		const struct tl_wait *wt = &tl->waits[i];
		double y = tl->lanes[wt->lane].y + 7.0;
		sim_time_t to = wt->to >= 0 ? wt->to : d->ax.end;

		fprintf(o,
		    "<line class=\"wait\" data-msg=\"%" PRIu64
		    "\" data-from=\"%" PRId64 "\" data-to=\"%" PRId64
		    "\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\">"
		    "<title>msg %" PRIu64
		    " waits in the queue</title></line>\n",
		    wt->msg, wt->from, wt->to, tl_x(&d->ax, wt->from), y,
		    tl_x(&d->ax, to), y, wt->msg);
	}
	fputs("</g>\n", o);
}

static void
tl_draw_conns(struct tl_draw *d)
{
	const struct timeline *tl = d->tl;
	FILE *o = d->o;
	size_t i;

	fprintf(o, "<g class=\"conns\" stroke-width=\"%.1f\" fill=\"none\">\n",
	    d->cw);
	for (i = 0; i < d->nconns; i++) {
		const struct tl_conn *c = &d->conns[i];
		const char *key = tl_cls_def[c->cls].key;
		double x0 = tl_x(&d->ax, c->start), x1 = tl_x(&d->ax, c->end);
		double y0 = tl->lanes[c->from].y, y1 = tl->lanes[c->to].y;

		fprintf(o,
		    "<path class=\"conn\" data-result=\"%s\" data-from=\"",
		    key);
		tl_esc(o, tl->lanes[c->from].name);
		fputs("\" data-to=\"", o);
		tl_esc(o, tl->lanes[c->to].name);
		fprintf(o,
		    "\" data-msg=\"%" PRIu64 "\" data-start=\"%" PRId64
		    "\" data-end=\"%" PRId64 "\" ",
		    c->msg, c->start, c->end);
		/* A host connecting to itself: a small loop over its lane. */
		if (c->from == c->to)
			fprintf(o,
			    "d=\"M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f\"",
			    x0, y0, x0, y0 - 14.0, x1 + 8.0, y0 - 14.0,
			    x1 + 1.0, y0 - 2.0);
		else
			fprintf(o, "d=\"M%.1f,%.1f L%.1f,%.1f\"", x0,
			    tl_yto(y1, y0), x1, tl_yto(y0, y1));
		fprintf(o, " stroke=\"%s\"", tl_cls_def[c->cls].color);
		if (tl_cls_def[c->cls].dash != NULL)
			fprintf(o, " stroke-dasharray=\"%s\"",
			    tl_cls_def[c->cls].dash);
		fprintf(o, " marker-end=\"url(#ah-%s)\"><title>", key);
		tl_esc(o, c->note);
		fputs("</title></path>\n", o);
	}
	fputs("</g>\n", o);
}

static void
tl_mark_shape(FILE *o, enum tl_mark_kind k, double x, double y)
{
	switch (k) {
	case TL_M_QUEUED:
		fprintf(o,
		    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"#ffffff\" "
		    "stroke=\"#424242\" stroke-width=\"1.2\"/>",
		    x, y);
		break;
	case TL_M_STORED:
		fprintf(o,
		    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" fill=\"#2e7d32\" "
		    "stroke=\"#ffffff\"/>",
		    x, y);
		break;
	case TL_M_RETRY:
		fprintf(o,
		    "<path d=\"M%.1f,%.1f l8,5 l-8,5 z\" fill=\"#1565c0\"/>",
		    x - 3.0, y - 5.0);
		break;
	case TL_M_BOUNCE:
		fprintf(o,
		    "<path d=\"M%.1f,%.1f l10,10 m0,-10 l-10,10\" "
		    "stroke=\"#c62828\" stroke-width=\"2.2\"/>",
		    x - 5.0, y - 5.0);
		break;
	case TL_M_ZONE:
	case TL_M_N:
		fprintf(o,
		    "<path d=\"M%.1f,%.1f l5,5 l-5,5 l-5,-5 z\" "
		    "fill=\"#ff8f00\"/>",
		    x, y - 5.0);
		break;
	}
}

static void
tl_draw_marks(struct tl_draw *d)
{
	static const char *const key[TL_M_N] = {
	    "queued", "stored", "retry", "bounce", "zone"};
	const struct timeline *tl = d->tl;
	FILE *o = d->o;
	size_t i;

	fputs("<g class=\"marks\">\n", o);
	for (i = 0; i < tl->nmarks; i++) {
		const struct tl_mark *m = &tl->marks[i];

		fprintf(o, "<g class=\"mark\" data-kind=\"%s\" data-host=\"",
		    key[m->kind]);
		tl_esc(o, tl->lanes[m->lane].name);
		fprintf(o,
		    "\" data-msg=\"%" PRIu64 "\" data-t=\"%" PRId64
		    "\"><title>",
		    m->msg, m->t);
		tl_esc(o, m->note);
		fputs("</title>", o);
		tl_mark_shape(
		    o, m->kind, tl_x(&d->ax, m->t), tl->lanes[m->lane].y);
		fputs("</g>\n", o);
	}
	fputs("</g>\n", o);
}

static void
tl_leg_symbol(FILE *o, const struct tl_leg *it)
{
	double x = it->x, y = it->y - 4.0;

	switch (it->sym) {
	case TL_L_HEAD:
		break;
	case TL_L_CONN:
		fprintf(o,
		    "<path d=\"M%.1f,%.1f l24,0\" stroke=\"%s\" "
		    "stroke-width=\"1.6\" stroke-dasharray=\"%s\" "
		    "marker-end=\"url(#ah-%s)\"/>",
		    x, y, tl_cls_def[it->arg].color,
		    tl_cls_def[it->arg].dash ? tl_cls_def[it->arg].dash
		                             : "none",
		    tl_cls_def[it->arg].key);
		break;
	case TL_L_OUTAGE:
		fprintf(o,
		    "<rect x=\"%.1f\" y=\"%.1f\" width=\"24\" height=\"11\" "
		    "fill=\"%s\" fill-opacity=\"0.45\"/>",
		    x, y - 6.0,
		    tl_fill_of(fault_kind_name((enum fault_kind)it->arg)));
		break;
	case TL_L_DNS:
		fprintf(o,
		    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		    "stroke=\"%s\" stroke-width=\"1.2\"%s",
		    x + 4.0, y - 6.0, x + 20.0, y + 5.0,
		    tl_dres_def[it->arg].color,
		    it->arg == TL_D_LOST ? " stroke-dasharray=\"3 2\"" : "");
		if (it->arg != TL_D_LOST)
			fprintf(o, " marker-end=\"url(#ah-dns-%s)\"",
			    tl_dres_def[it->arg].key);
		fputs("/>", o);
		break;
	case TL_L_MARK:
		tl_mark_shape(o, (enum tl_mark_kind)it->arg, x + 12.0, y);
		break;
	case TL_L_WAIT:
		fprintf(o,
		    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		    "stroke=\"#78909c\" stroke-width=\"1.5\" "
		    "stroke-dasharray=\"1 3\"/>",
		    x, y, x + 24.0, y);
		break;
	case TL_L_BREAK:
		fprintf(o,
		    "<rect x=\"%.1f\" y=\"%.1f\" width=\"24\" height=\"11\" "
		    "fill=\"url(#hatch)\" stroke=\"#cccccc\"/>",
		    x, y - 6.0);
		break;
	}
}

static void
tl_draw_legend(struct tl_draw *d, const struct tl_legend *lg)
{
	FILE *o = d->o;
	size_t i;

	fputs("<g class=\"legend\">\n", o);
	for (i = 0; i < lg->n; i++) {
		const struct tl_leg *it = &lg->v[i];

		fprintf(
		    o, "<g class=\"legend-item\" data-key=\"%s\">", it->key);
		tl_leg_symbol(o, it);
		fprintf(o, "<text x=\"%.1f\" y=\"%.1f\"%s>%s</text></g>\n",
		    it->x + (it->sym == TL_L_HEAD ? 0.0 : 30.0), it->y,
		    it->sym == TL_L_HEAD ? " font-weight=\"bold\"" : "",
		    it->text);
	}
	fputs("</g>\n", o);
}

int
timeline_svg(struct timeline *tl, const struct world_run *run, FILE *out)
{
	struct tl_draw d;
	struct tl_legend *lg = mx_xcalloc(1, sizeof(*lg));
	struct tl_tick *ticks;
	size_t nt;

	memset(&d, 0, sizeof(d));
	d.o = out;
	d.tl = tl;
	d.w = tl->w;
	tl_dns_retries(tl);
	tl_conns(&d, run);
	tl_axis_of_run(&d);
	tl_layout_lanes(&d);
	tl_counts(&d);
	tl_legend_build(&d, lg);
	tl_legend_layout(&d, lg);
	ticks = mx_xcalloc(256, sizeof(*ticks));
	nt = tl_ticks(&d.ax, ticks, 256);
	tl_ticks_fit(ticks, nt);
	tl_draw_header(&d, run);
	tl_draw_lanes(&d);
	tl_draw_grid(&d, ticks, nt);
	tl_draw_breaks(&d);
	tl_draw_outages(&d);
	tl_draw_waits(&d);
	tl_draw_dns(&d);
	tl_draw_conns(&d);
	tl_draw_marks(&d);
	tl_draw_axis(&d, ticks, nt);
	tl_draw_legend(&d, lg);
	fputs("</svg>\n", out);
	free(ticks);
	free(lg);
	free(d.conns);
	free(d.order);
	return fflush(out) != 0 || ferror(out) ? MX_EIO : 0;
}

/* --- as a file ------------------------------------------------------------
 */

int
timeline_open(struct timeline **out, const char *path, const struct world *w,
    struct mx_err *err)
{
	struct timeline *tl = timeline_new(w);
	size_t n = strlen(path) + 8;
	int rc;

	*out = NULL;
	tl->path = mx_xstrdup(path);
	tl->part = mx_xmalloc(n);
	/* Same directory, so that rename() is atomic. */
	snprintf(tl->part, n, "%s.part", path);
	tl->f = fopen(tl->part, "w");
	if (tl->f == NULL) {
		rc = mx_err_set(err, MX_EIO, "cannot write timeline '%s': %s",
		    path, strerror(errno));
		timeline_free(tl);
		return rc;
	}
	*out = tl;
	return 0;
}

int
timeline_close(struct timeline *tl, const struct world_run *run, bool keep,
    struct mx_err *err)
{
	int rc = 0;

	if (keep && timeline_svg(tl, run, tl->f) != 0)
		rc = mx_err_set(
		    err, MX_EIO, "error writing timeline '%s'", tl->path);
	if (fclose(tl->f) != 0 && rc == 0)
		rc = mx_err_set(
		    err, MX_EIO, "error writing timeline '%s'", tl->path);
	tl->f = NULL;
	if (keep && rc == 0 && rename(tl->part, tl->path) != 0)
		rc = mx_err_set(err, MX_EIO,
		    "cannot rename timeline to '%s': %s", tl->path,
		    strerror(errno));
	if (!keep || rc != 0)
		unlink(tl->part);
	timeline_free(tl);
	return rc;
}

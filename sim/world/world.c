/*
 * world.c - validating a scenario description and building a run from it.
 *
 * Validation happens once, before anything is simulated, so that a bad
 * scenario stops with a message naming its file and line and leaves no
 * output behind.  What it checks:
 *  - names: hosts unique; zones unique; every reference (outage host,
 *    served zone, resolver, message sender) declared, with a suggestion
 *    for a near miss;
 *  - zones: every record parses (zone_add_text), SOA and CNAME rules;
 *  - roles: a sender needs a resolver that serves DNS; a host that serves
 *    DNS or SMTP needs an address; addresses are unique;
 *  - outages: windows in order, kinds that fit the service, replies that
 *    look like SMTP replies;
 *  - messages: a sender host with the sender role, recipients with a '@'.
 *
 * Building: one net host per declared host (in declaration order, which
 * fixes MAC addresses and every per-host random stream), then the roles.
 * A host's SMTP server accepts mail for the zones whose MX records name
 * it, found by matching the MX hosts' addresses with its own.
 */
#include "world.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/dur.h"
#include "../core/text.h"
#include "../dns/dnssrv.h"
#include "../dns/zonefile.h"
#include "../smtp/smtpsrv.h"
#include "../smtp/smtpwire.h"

void
world_init(struct world *w)
{
	memset(w, 0, sizeof(*w));
	w->seed = 1;
	w->stop_at = SIM_DAY(1);
	w->latency = SIM_US(200);
	w->epoch = INT64_C(1704067200);
}

static void
strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
rows_free(struct world_row *rows, size_t n)
{
	size_t j;

	for (j = 0; j < n; j++) {
		free(rows[j].owner);
		free(rows[j].type);
		strv_free(rows[j].rdata, rows[j].nrdata);
	}
	free(rows);
}

void
world_free(struct world *w)
{
	size_t i;

	for (i = 0; i < w->nzones; i++) {
		struct world_zone *z = &w->zones[i];

		rows_free(z->rows, z->nrows);
		free(z->origin);
		free(z->file);
		free(z->frr);
	}
	free(w->zones);
	for (i = 0; i < w->nhosts; i++) {
		struct world_host *h = &w->hosts[i];

		free(h->name);
		free(h->hostname);
		strv_free(h->serves, h->nserves);
		strv_free(h->roots, h->nroots);
		strv_free(h->mailboxes, h->nmailboxes);
		strv_free(h->resolvers, h->nresolvers);
	}
	free(w->hosts);
	for (i = 0; i < w->noutages; i++) {
		free(w->outages[i].host);
		free((char *)w->outages[i].f.reply_text);
	}
	free(w->outages);
	for (i = 0; i < w->nsites; i++) {
		free(w->sites[i].name);
		strv_free(w->sites[i].hosts, w->sites[i].nhosts);
	}
	free(w->sites);
	for (i = 0; i < w->nchanges; i++) {
		rows_free(w->changes[i].add, w->changes[i].nadd);
		rows_free(w->changes[i].del, w->changes[i].ndel);
		free(w->changes[i].zone);
	}
	free(w->changes);
	for (i = 0; i < w->nmsgs; i++) {
		free(w->msgs[i].from);
		strv_free(w->msgs[i].to, w->msgs[i].nto);
		free(w->msgs[i].sender);
		free(w->msgs[i].subject);
	}
	free(w->msgs);
	for (i = 0; i < w->nexpects; i++) {
		free(w->expects[i].to);
		free(w->expects[i].via);
		free(w->expects[i].host);
		strv_free(w->expects[i].attempts, w->expects[i].nattempts);
	}
	free(w->expects);
	free(w->file);
	free(w->name);
	free(w->description);
	memset(w, 0, sizeof(*w));
}

#define ADD(arr, n, cap)                                                       \
	do {                                                                   \
		void *a_ = (arr);                                              \
		mx_grow(&a_, &(cap), (n) + 1, sizeof(*(arr)));                 \
		(arr) = a_;                                                    \
	} while (0)

struct world_zone *
world_add_zone(struct world *w)
{
	ADD(w->zones, w->nzones, w->capzones);
	return &w->zones[w->nzones++];
}

struct world_host *
world_add_host(struct world *w)
{
	ADD(w->hosts, w->nhosts, w->caphosts);
	return &w->hosts[w->nhosts++];
}

struct world_outage *
world_add_outage(struct world *w)
{
	ADD(w->outages, w->noutages, w->capoutages);
	return &w->outages[w->noutages++];
}

struct world_site *
world_add_site(struct world *w)
{
	ADD(w->sites, w->nsites, w->capsites);
	return &w->sites[w->nsites++];
}

struct world_change *
world_add_change(struct world *w)
{
	ADD(w->changes, w->nchanges, w->capchanges);
	return &w->changes[w->nchanges++];
}

const struct world_site *
world_site_find(const struct world *w, const char *name)
{
	size_t i;

	for (i = 0; i < w->nsites; i++)
		if (strcmp(w->sites[i].name, name) == 0)
			return &w->sites[i];
	return NULL;
}

struct world_message *
world_add_message(struct world *w)
{
	ADD(w->msgs, w->nmsgs, w->capmsgs);
	return &w->msgs[w->nmsgs++];
}

struct world_expect *
world_add_expect(struct world *w)
{
	ADD(w->expects, w->nexpects, w->capexpects);
	return &w->expects[w->nexpects++];
}

const struct world_host *
world_host_find(const struct world *w, const char *name)
{
	size_t i;

	for (i = 0; i < w->nhosts; i++)
		if (strcmp(w->hosts[i].name, name) == 0)
			return &w->hosts[i];
	return NULL;
}

const char *
world_host_suggest(const struct world *w, const char *name)
{
	const char *cands[256];
	size_t i, n = 0;

	for (i = 0; i < w->nhosts && n < 256; i++)
		cands[n++] = w->hosts[i].name;
	return text_closest(name, cands, n);
}

static int err_at(struct mx_err *err, const struct srcloc *at, const char *fmt,
    ...) MX_PRINTF(3, 4);

static int
err_at(struct mx_err *err, const struct srcloc *at, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return mx_err_set(err, MX_ESCRIPT, "%s:%d: %s",
	    at->file ? at->file : "?", at->line, msg);
}

static int
unknown_host(const struct world *w, struct mx_err *err, const struct srcloc *at,
    const char *what, const char *name)
{
	const char *s = world_host_suggest(w, name);

	if (s != NULL)
		return err_at(err, at,
		    "%s: no host named '%s' (did you mean "
		    "'%s'?)",
		    what, name, s);
	return err_at(err, at, "%s: no host named '%s'", what, name);
}

static const struct world_zone *
zone_find(const struct world *w, const char *origin)
{
	size_t i;

	for (i = 0; i < w->nzones; i++)
		if (dns_name_eq(w->zones[i].origin, origin))
			return &w->zones[i];
	return NULL;
}

/* A zone's name as a scenario writes it: the root, kept as "", is ".". */
static const char *
zone_shown(const char *origin)
{
	return origin[0] != '\0' ? origin : ".";
}

/* The declared zone closest to 'name', for "did you mean"; NULL if none. */
static const char *
zone_suggest(const struct world *w, const char *name)
{
	const char *cands[256];
	size_t i, n = 0;

	for (i = 0; i < w->nzones && n < 256; i++)
		cands[n++] = zone_shown(w->zones[i].origin);
	return text_closest(zone_shown(name), cands, n);
}

/* Loads the zone rows into 'z'; 'err' names the row's line. */
static int
zone_load(const struct world_zone *wz, struct zone *z, struct mx_err *err)
{
	struct mx_err e;
	size_t i;

	zone_init(z, wz->origin, wz->ttl);
	/* A master file was read once by world_check(). */
	for (i = 0; i < wz->nfrr; i++)
		zone_add_rr(z, &wz->frr[i]);
	for (i = 0; i < wz->nrows; i++) {
		const struct world_row *r = &wz->rows[i];

		mx_err_clear(&e);
		if (zone_add_text(z, r->owner, r->type,
		        (const char *const *)r->rdata, r->nrdata,
		        r->has_ttl ? r->ttl : wz->ttl, &e) != 0)
			return err_at(err, &r->at, "zone '%s', record %d: %s",
			    zone_shown(wz->origin), r->index, e.msg);
	}
	mx_err_clear(&e);
	if (zone_finish(z, &e) != 0)
		return err_at(err, &wz->at, "zone '%s': %s",
		    zone_shown(wz->origin), e.msg);
	return 0;
}

/* The owner of an A/AAAA record holding one of the host's addresses. */
static bool
derive_hostname(const struct world *w, struct world_host *h)
{
	size_t i, j, k;

	for (i = 0; i < w->nzones; i++) {
		struct zone z;
		struct mx_err e;

		if (zone_load(&w->zones[i], &z, &e) != 0) {
			zone_fini(&z);
			continue;
		}
		for (j = 0; j < z.nrr; j++) {
			const struct dns_rr *rr = &z.rr[j];

			for (k = 0; k < h->naddr; k++) {
				if ((rr->type == DNS_T_A &&
				        h->addr[k].family == NET_AF_INET &&
				        memcmp(rr->rd.a, h->addr[k].b, 4) ==
				            0) ||
				    (rr->type == DNS_T_AAAA &&
				        h->addr[k].family == NET_AF_INET6 &&
				        memcmp(rr->rd.aaaa, h->addr[k].b, 16) ==
				            0)) {
					h->hostname = mx_xstrdup(rr->name);
					zone_fini(&z);
					return true;
				}
			}
		}
		zone_fini(&z);
	}
	return false;
}

/* True when host 'h' serves the root zone. */
static bool
serves_root(const struct world_host *h)
{
	size_t k;

	for (k = 0; k < h->nserves; k++)
		if (h->serves[k][0] == '\0') /* "." */
			return true;
	return false;
}

/* True when some host serves the root zone. */
static bool
root_served(const struct world *w)
{
	size_t i;

	for (i = 0; i < w->nhosts; i++)
		if (serves_root(&w->hosts[i]))
			return true;
	return false;
}

/* A DNS-layer outage 'o' on host 'h': the host answers DNS, and for
 * 'lame' serves a zone to be lame for. */
static int
dns_outage_check(const struct world_outage *o, const struct world_host *h,
    struct mx_err *err)
{
	const char *kind = fault_kind_name(o->f.kind);

	/* "slow" without 'at' is the DNS kind (conv_outage()): an author
	 * who meant the SMTP one forgot 'at'. */
	if (o->f.kind == FAULT_DNS_SLOW && !h->dns && !h->recursive && h->smtp)
		return err_at(err, &o->at,
		    "outage '%s': kind 'slow' without 'at' slows DNS answers, "
		    "and '%s' answers no DNS; to slow its SMTP replies give "
		    "'at' (greeting, ehlo, mail, rcpt, data or dot)",
		    o->host, h->name);
	if (!h->dns && !h->recursive)
		return err_at(err, &o->at,
		    "outage '%s': kind '%s' needs a host that answers DNS "
		    "(dns = {...} or resolver = {...})",
		    o->host, kind);
	if (o->f.kind == FAULT_LAME && h->nserves == 0)
		return err_at(err, &o->at,
		    "outage '%s': kind 'lame' makes a server refuse the zones "
		    "it serves, and '%s' serves none (for a resolver that "
		    "refuses its clients, use kind 'refused')",
		    o->host, h->name);
	return 0;
}

/* Host 'h' serves 'zone', which no declaration gives. */
static int
serves_undeclared(const struct world *w, const struct world_host *h,
    const char *zone, struct mx_err *err)
{
	const char *s = zone_suggest(w, zone);

	if (s != NULL)
		return err_at(err, &h->at,
		    "host '%s' serves zone '%s', which is not declared (did "
		    "you mean '%s'?)",
		    h->name, zone_shown(zone), s);
	return err_at(err, &h->at,
	    "host '%s' serves zone '%s', which is not declared (declare it "
	    "with zone \"%s\" { ... })",
	    h->name, zone_shown(zone), zone_shown(zone));
}

/* Builds the record that row 'r' of a zone change's list 'list' ("add" or
 * "remove") describes, as zone 'wz' would hold it. */
static int
change_rr(const struct world_zone *wz, const char *list,
    const struct world_row *r, struct dns_rr *out, struct mx_err *err)
{
	struct zone z;
	struct mx_err e;
	int rc;

	zone_init(&z, wz->origin, wz->ttl);
	mx_err_clear(&e);
	rc = zone_add_text(&z, r->owner, r->type, (const char *const *)r->rdata,
	    r->nrdata, r->has_ttl ? r->ttl : wz->ttl, &e);
	if (rc == 0)
		*out = z.rr[z.nrr - 1];
	else
		err_at(err, &r->at, "zone_change, %s, record %d: %s", list,
		    r->index, e.msg);
	zone_fini(&z);
	return rc != 0 ? MX_ESCRIPT : 0;
}

/* The record a row describes (world_check() made sure it parses). */
static int
row_rr(const struct world_zone *wz, const struct world_row *r,
    struct dns_rr *out, struct mx_err *err)
{
	return change_rr(wz, "records", r, out, err);
}

/* Reads the master file of zone 'wz' into wz->frr.  A relative path is
 * taken from the scenario's directory, so a scenario finds its zones
 * wherever it is run from; messages name the file as found. */
static int
zone_read_file(const struct world *w, struct world_zone *wz, struct mx_err *err)
{
	const char *slash = w->file ? strrchr(w->file, '/') : NULL;
	char *path;
	struct zone z;
	struct mx_err e;
	int rc;

	if (wz->file[0] == '/' || slash == NULL)
		path = mx_xstrdup(wz->file);
	else {
		size_t n = (size_t)(slash - w->file) + 1;

		path = mx_xcalloc(1, n + strlen(wz->file) + 1);
		memcpy(path, w->file, n);
		strcpy(path + n, wz->file);
	}
	zone_init(&z, wz->origin, wz->ttl);
	mx_err_clear(&e);
	rc = zone_load_file(&z, path, path, wz->ttl, &e);
	if (rc != 0) {
		/* Both places: the declaration and the record at fault. */
		rc = err_at(err, &wz->at, "zone '%s': %s",
		    zone_shown(wz->origin), e.msg);
	} else {
		free(wz->frr);
		wz->frr = z.rr;
		wz->nfrr = z.nrr;
		z.rr = NULL;
		z.nrr = z.caprr = 0;
	}
	zone_fini(&z);
	free(path);
	return rc;
}

/* One zone change on its own: a declared zone (with a suggestion for a
 * near miss), a time within the run, rows that parse. */
static int
change_check(
    const struct world *w, const struct world_change *ch, struct mx_err *err)
{
	const struct world_zone *wz = zone_find(w, ch->zone);
	struct dns_rr rr;
	char b1[32], b2[32];
	size_t k;

	if (wz == NULL) {
		const char *s = zone_suggest(w, ch->zone);

		if (s != NULL)
			return err_at(err, &ch->at,
			    "zone_change: zone '%s' is not declared (did you "
			    "mean '%s'?)",
			    zone_shown(ch->zone), s);
		return err_at(err, &ch->at,
		    "zone_change: zone '%s' is not declared (declare it with "
		    "zone \"%s\" { ... })",
		    zone_shown(ch->zone), zone_shown(ch->zone));
	}
	if (ch->t > w->stop_at)
		return err_at(err, &ch->at,
		    "zone_change: 'at' (%s) is after the scenario's stop_at "
		    "(%s): the change would never happen",
		    dur_format(ch->t, b1, sizeof(b1)),
		    dur_format(w->stop_at, b2, sizeof(b2)));
	if (ch->nadd == 0 && ch->ndel == 0)
		return err_at(err, &ch->at,
		    "zone_change: give 'add' or 'remove' records");
	for (k = 0; k < ch->ndel; k++)
		if (change_rr(wz, "remove", &ch->del[k], &rr, err) != 0)
			return MX_ESCRIPT;
	for (k = 0; k < ch->nadd; k++)
		if (change_rr(wz, "add", &ch->add[k], &rr, err) != 0)
			return MX_ESCRIPT;
	return 0;
}

/* "owner TYPE data" of 'rr', for messages. */
static char *
rr_text(const struct dns_rr *rr, char *buf, size_t len)
{
	char tb[DNS_TYPE_STRLEN], rd[300];

	snprintf(buf, len, "%s %s %s", zone_shown(rr->name),
	    dns_type_name(rr->type, tb, sizeof(tb)),
	    dns_rr_str(rr, rd, sizeof(rd)));
	return buf;
}

static bool
rr_same(const struct dns_rr *a, const struct dns_rr *b)
{
	return a->type == b->type && dns_name_eq(a->name, b->name) &&
	       memcmp(&a->rd, &b->rd, sizeof(a->rd)) == 0;
}

/* Removes what row 'r' of 'ch' names from 'z', which must hold it: a
 * removal that matches nothing is a typo the author wants to hear of. */
static int
change_remove(const struct world_zone *wz, const struct world_change *ch,
    const struct world_row *r, struct zone *z, struct mx_err *err)
{
	struct dns_rr rr;
	char want[400], have[400], when[32];
	size_t i;

	if (change_rr(wz, "remove", r, &rr, err) != 0)
		return MX_ESCRIPT;
	if (zone_remove(z, rr.name, rr.type, &rr) > 0)
		return 0;
	rr_text(&rr, want, sizeof(want));
	dur_format(ch->t, when, sizeof(when));
	for (i = 0; i < z->nrr; i++)
		if (z->rr[i].type == rr.type &&
		    dns_name_eq(z->rr[i].name, rr.name))
			return err_at(err, &ch->at,
			    "zone_change, remove, record %d: '%s' is not in "
			    "zone '%s' at %s (it has '%s')",
			    r->index, want, zone_shown(z->origin), when,
			    rr_text(&z->rr[i], have, sizeof(have)));
	return err_at(err, &ch->at,
	    "zone_change, remove, record %d: '%s' is not in zone '%s' at %s "
	    "(no %s record at '%s')",
	    r->index, want, zone_shown(z->origin), when, r->type,
	    zone_shown(rr.name));
}

/* Adds what row 'r' of 'ch' names to 'z': a record once (RFC 2181 §5),
 * a SOA only in place of the one removed. */
static int
change_add(const struct world_zone *wz, const struct world_change *ch,
    const struct world_row *r, struct zone *z, struct mx_err *err)
{
	struct dns_rr rr;
	char text[400], when[32];
	size_t i;

	if (change_rr(wz, "add", r, &rr, err) != 0)
		return MX_ESCRIPT;
	dur_format(ch->t, when, sizeof(when));
	if (rr.type == DNS_T_SOA && z->soa != NULL)
		return err_at(err, &ch->at,
		    "zone_change, add, record %d: zone '%s' has a SOA "
		    "already at %s (remove it in the same change to replace "
		    "it: '%s')",
		    r->index, zone_shown(z->origin), when,
		    rr_text(z->soa, text, sizeof(text)));
	for (i = 0; i < z->nrr; i++)
		if (rr_same(&z->rr[i], &rr))
			return err_at(err, &ch->at,
			    "zone_change, add, record %d: '%s' is already in "
			    "zone '%s' at %s (RFC 2181 §5: a record is in an "
			    "RRset once)",
			    r->index, rr_text(&rr, text, sizeof(text)),
			    zone_shown(z->origin), when);
	zone_add_rr(z, &rr);
	return 0;
}

/* Applies the changes to copies of their zones in the order the run
 * applies them (by time, then declaration: the event queue is FIFO at
 * equal times), as zone_change_apply() does, serial bumps included, so
 * that each removal names a record the zone holds then, and the zone
 * keeps one SOA and the CNAME rule after every change. */
static int
changes_replay(const struct world *w, struct mx_err *err)
{
	struct zone *zs = mx_xcalloc(w->nzones + 1, sizeof(*zs));
	bool *loaded = mx_xcalloc(w->nzones + 1, sizeof(*loaded));
	size_t *order = mx_xcalloc(w->nchanges + 1, sizeof(*order));
	size_t i, j, k, zi;
	int rc = 0;

	/* Insertion sort: stable, and the lists are short. */
	for (i = 0; i < w->nchanges; i++) {
		for (j = i;
		     j > 0 && w->changes[order[j - 1]].t > w->changes[i].t; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	for (i = 0; i < w->nchanges && rc == 0; i++) {
		const struct world_change *ch = &w->changes[order[i]];
		const struct world_zone *wz = NULL;
		struct mx_err e;
		struct zone *z;

		for (zi = 0; zi < w->nzones; zi++)
			if (dns_name_eq(w->zones[zi].origin, ch->zone)) {
				wz = &w->zones[zi];
				break;
			}
		if (wz == NULL)
			continue; /* change_check() has refused it */
		z = &zs[zi];
		if (!loaded[zi]) {
			loaded[zi] = true;
			if ((rc = zone_load(wz, z, err)) != 0)
				break;
		}
		for (k = 0; k < ch->ndel && rc == 0; k++)
			rc = change_remove(wz, ch, &ch->del[k], z, err);
		for (k = 0; k < ch->nadd && rc == 0; k++)
			rc = change_add(wz, ch, &ch->add[k], z, err);
		if (rc != 0)
			break;
		if (z->soa == NULL) {
			rc = err_at(err, &ch->at,
			    "zone_change: it removes the SOA of zone '%s' "
			    "(add the new one in the same change)",
			    zone_shown(z->origin));
			break;
		}
		/* With a SOA, zone_finish() only checks the CNAME rule. */
		mx_err_clear(&e);
		if (zone_finish(z, &e) != 0) {
			rc = err_at(err, &ch->at,
			    "zone_change: after it, zone '%s' breaks a rule: "
			    "%s",
			    zone_shown(z->origin), e.msg);
			break;
		}
		zone_bump_serial(z);
	}
	for (zi = 0; zi < w->nzones; zi++)
		if (loaded[zi])
			zone_fini(&zs[zi]);
	free(zs);
	free(loaded);
	free(order);
	return rc != 0 ? MX_ESCRIPT : 0;
}

int
world_check(struct world *w, struct mx_err *err)
{
	size_t i, j, k, l;

	if (w->name == NULL) {
		const char *base = w->file ? strrchr(w->file, '/') : NULL;
		const char *b = base ? base + 1 : (w->file ? w->file : "mxsim");
		size_t n = strlen(b);

		if (n > 4 && strcmp(b + n - 4, ".lua") == 0)
			n -= 4;
		w->name = mx_xstrndup(b, n);
	}
	if (w->stop_at <= 0)
		return err_at(
		    err, &w->at, "scenario: stop_at must be after 0s");
	if (w->nhosts == 0) {
		struct srcloc top = {w->file, 1};

		return err_at(err, w->at.line ? &w->at : &top,
		    "the scenario declares no host: nothing to simulate");
	}
	/* Zones. */
	for (i = 0; i < w->nzones; i++) {
		struct zone z;
		int rc;

		for (j = 0; j < i; j++)
			if (dns_name_eq(w->zones[j].origin, w->zones[i].origin))
				return err_at(err, &w->zones[i].at,
				    "zone '%s' is declared twice (first at "
				    "line %d)",
				    zone_shown(w->zones[i].origin),
				    w->zones[j].at.line);
		if (w->zones[i].file != NULL &&
		    (rc = zone_read_file(w, &w->zones[i], err)) != 0)
			return rc;
		rc = zone_load(&w->zones[i], &z, err);
		zone_fini(&z);
		if (rc != 0)
			return rc;
	}
	/* Hosts. */
	for (i = 0; i < w->nhosts; i++) {
		struct world_host *h = &w->hosts[i];

		for (j = 0; j < i; j++) {
			if (strcmp(w->hosts[j].name, h->name) == 0)
				return err_at(err, &h->at,
				    "host '%s' is declared twice (first at "
				    "line %d)",
				    h->name, w->hosts[j].at.line);
			for (k = 0; k < h->naddr; k++)
				for (l = 0; l < w->hosts[j].naddr; l++)
					if (net_addr_eq(&h->addr[k],
					        &w->hosts[j].addr[l])) {
						char b[NET_ADDR_STRLEN];

						return err_at(err, &h->at,
						    "host '%s': address %s is "
						    "already host '%s''s",
						    h->name,
						    net_addr_str(&h->addr[k], b,
						        sizeof(b)),
						    w->hosts[j].name);
					}
		}
		if (h->naddr == 0)
			return err_at(err, &h->at,
			    "host '%s' has no address (give 'addr' or "
			    "'addrs')",
			    h->name);
		for (k = 0; k < h->nserves; k++)
			if (zone_find(w, h->serves[k]) == NULL)
				return serves_undeclared(
				    w, h, h->serves[k], err);
		if (h->relay && !h->sender)
			return err_at(err, &h->at,
			    "host '%s': smtp.relay = true needs a sender role "
			    "to forward what it stores (sender = { profile = "
			    "\"rfc5321\", resolver = \"...\" })",
			    h->name);
		if (h->sender) {
			if (h->nresolvers == 0)
				return err_at(err, &h->sender_at,
				    "host '%s': the sender needs a 'resolver' "
				    "(a host that serves DNS)",
				    h->name);
			for (k = 0; k < h->nresolvers; k++) {
				const struct world_host *r =
				    world_host_find(w, h->resolvers[k]);

				if (r == NULL) {
					char what[300];

					snprintf(what, sizeof(what),
					    "host '%s', sender: 'resolver'",
					    h->name);
					return unknown_host(w, err,
					    &h->sender_at, what,
					    h->resolvers[k]);
				}
				if (!r->dns && !r->recursive)
					return err_at(err, &h->sender_at,
					    "host '%s', sender: 'resolver': "
					    "host '%s' answers no DNS (give it "
					    "dns = { serves = {...} } or "
					    "resolver = {...})",
					    h->name, r->name);
			}
		}
		if (h->recursive) {
			for (k = 0; k < h->nroots; k++) {
				const struct world_host *r =
				    world_host_find(w, h->roots[k]);

				if (r == NULL) {
					char what[300];

					snprintf(what, sizeof(what),
					    "host '%s', resolver: 'roots'",
					    h->name);
					return unknown_host(
					    w, err, &h->at, what, h->roots[k]);
				}
				if (!serves_root(r))
					return err_at(err, &h->at,
					    "host '%s', resolver: 'roots': host "
					    "'%s' does not serve the root zone "
					    "(give it dns = { serves = { \".\" } "
					    "})",
					    h->name, r->name);
			}
			if (h->nroots == 0 && !root_served(w))
				return err_at(err, &h->at,
				    "host '%s': a recursive resolver needs root "
				    "hints: declare zone \".\" and a host that "
				    "serves it, or give resolver = { roots = "
				    "{...} }",
				    h->name);
		}
		if (h->hostname == NULL && !derive_hostname(w, h)) {
			char buf[300];

			/* RFC 6761: names under .test never leak. */
			snprintf(buf, sizeof(buf), "%s.test", h->name);
			h->hostname = mx_xstrdup(buf);
		}
	}
	/* Sites: names of their own, hosts in one site at most. */
	for (i = 0; i < w->nsites; i++) {
		struct world_site *st = &w->sites[i];

		if (strcmp(st->name, "internet") == 0)
			return err_at(err, &st->at,
			    "site 'internet': the name is taken by the core "
			    "router");
		if (world_host_find(w, st->name) != NULL)
			return err_at(err, &st->at,
			    "site '%s': a host has that name already",
			    st->name);
		for (j = 0; j < i; j++)
			if (strcmp(w->sites[j].name, st->name) == 0)
				return err_at(err, &st->at,
				    "site '%s' is declared twice (first at "
				    "line %d)",
				    st->name, w->sites[j].at.line);
		for (k = 0; k < st->nhosts; k++) {
			struct world_host *h = NULL;

			for (l = 0; l < w->nhosts; l++)
				if (strcmp(w->hosts[l].name, st->hosts[k]) == 0)
					h = &w->hosts[l];
			if (h == NULL) {
				char what[300];

				snprintf(
				    what, sizeof(what), "site '%s'", st->name);
				return unknown_host(
				    w, err, &st->at, what, st->hosts[k]);
			}
			if (h->site != NULL)
				return err_at(err, &st->at,
				    "site '%s': host '%s' is already in site "
				    "'%s'",
				    st->name, h->name, h->site);
			h->site = st->name;
		}
		for (k = 0; k < st->nrouter; k++)
			for (l = 0; l < w->nhosts; l++) {
				size_t m;

				for (m = 0; m < w->hosts[l].naddr; m++)
					if (net_addr_eq(&st->router[k],
					        &w->hosts[l].addr[m]))
						return err_at(err, &st->at,
						    "site '%s': router address "
						    "is host '%s''s",
						    st->name, w->hosts[l].name);
			}
	}
	/* Outages. */
	for (i = 0; i < w->noutages; i++) {
		struct world_outage *o = &w->outages[i];
		const struct world_host *h = world_host_find(w, o->host);
		enum fault_layer ly = fault_kind_layer(o->f.kind);

		if (h == NULL && world_site_find(w, o->host) != NULL) {
			/* A site's outage is about its uplink. */
			o->on_site = true;
			if (ly != FAULT_LAYER_LINK)
				return err_at(err, &o->at,
				    "outage '%s': a site takes only link kinds "
				    "('link-down', 'loss'), not '%s'",
				    o->host, fault_kind_name(o->f.kind));
		} else if (h == NULL)
			return unknown_host(w, err, &o->at, "outage", o->host);
		if (o->f.family != 0 && ly != FAULT_LAYER_NET &&
		    ly != FAULT_LAYER_LINK)
			return err_at(err, &o->at,
			    "outage '%s': 'family' applies only to network and "
			    "link kinds",
			    o->host);
		if (o->f.kind == FAULT_LOSS &&
		    (o->f.rate <= 0 || o->f.rate > 1))
			return err_at(err, &o->at,
			    "outage '%s': kind 'loss' needs a 'rate' above 0 "
			    "and at most 1",
			    o->host);
		if (o->on_site) {
			o->f.index = 0;
			for (k = 0; k < i; k++)
				if (strcmp(w->outages[k].host, o->host) == 0)
					o->f.index++;
			if (o->f.to <= o->f.from)
				return err_at(err, &o->at,
				    "outage '%s': 'to' must be after 'from'",
				    o->host);
			continue;
		}
		/* Number the host's outages from 0 in declaration order,
		 * the number traces and captures use. */
		o->f.index = 0;
		for (k = 0; k < i; k++)
			if (strcmp(w->outages[k].host, o->host) == 0)
				o->f.index++;
		if (o->f.to <= o->f.from)
			return err_at(err, &o->at,
			    "outage '%s': 'to' must be after 'from'", o->host);
		if (ly == FAULT_LAYER_SMTP && !h->smtp)
			return err_at(err, &o->at,
			    "outage '%s': kind '%s' needs a host with "
			    "smtp = {...}",
			    o->host, fault_kind_name(o->f.kind));
		if (ly == FAULT_LAYER_DNS && dns_outage_check(o, h, err) != 0)
			return MX_ESCRIPT;
		if (ly == FAULT_LAYER_SMTP && o->f.svc == FAULT_SVC_DNS)
			return err_at(err, &o->at,
			    "outage '%s': kind '%s' cannot apply to service "
			    "'dns'",
			    o->host, fault_kind_name(o->f.kind));
		if (ly == FAULT_LAYER_DNS && o->f.svc == FAULT_SVC_SMTP)
			return err_at(err, &o->at,
			    "outage '%s': kind '%s' cannot apply to service "
			    "'smtp'",
			    o->host, fault_kind_name(o->f.kind));
		switch (o->f.kind) {
		case FAULT_REPLY:
			if (o->f.reply_text == NULL ||
			    !smtp_reply_valid(o->f.reply_text))
				return err_at(err, &o->at,
				    "outage '%s': kind 'reply' needs reply = "
				    "\"NNN text\" with a code from 200 to 599",
				    o->host);
			break;
		case FAULT_SLOW:
		case FAULT_DNS_SLOW:
			if (o->f.delay <= 0)
				return err_at(err, &o->at,
				    "outage '%s': kind 'slow' needs a 'delay' "
				    "above 0s: how long %s is held, like "
				    "delay = \"5s\"",
				    o->host,
				    o->f.kind == FAULT_SLOW
				        ? "the reply"
				        : "each DNS answer");
			break;
		default:
			break;
		}
	}
	/* Zone changes: a declared zone, records that parse, in time;
	 * then each applies to the zone as it will be then. */
	for (i = 0; i < w->nchanges; i++)
		if (change_check(w, &w->changes[i], err) != 0)
			return MX_ESCRIPT;
	if (changes_replay(w, err) != 0)
		return MX_ESCRIPT;
	/* Messages. */
	for (i = 0; i < w->nmsgs; i++) {
		struct world_message *m = &w->msgs[i];
		const struct world_host *h;

		if (m->sender == NULL) {
			const struct world_host *only = NULL;
			int n = 0;

			for (k = 0; k < w->nhosts; k++)
				if (w->hosts[k].sender) {
					only = &w->hosts[k];
					n++;
				}
			if (n != 1)
				return err_at(err, &m->at,
				    "message: give 'sender' (%s)",
				    n == 0 ? "no host has a sender role"
				           : "several hosts have one");
			m->sender = mx_xstrdup(only->name);
		}
		h = world_host_find(w, m->sender);
		if (h == NULL)
			return unknown_host(
			    w, err, &m->at, "message sender", m->sender);
		if (!h->sender)
			return err_at(err, &m->at,
			    "message: host '%s' has no sender role (give it "
			    "sender = {...})",
			    m->sender);
		if (m->nto == 0)
			return err_at(err, &m->at, "message: 'to' is empty");
		if (strchr(m->from, '@') == NULL)
			return err_at(err, &m->at,
			    "message: 'from' must be an address, got '%s'",
			    m->from);
		for (k = 0; k < m->nto; k++) {
			const char *at = strrchr(m->to[k], '@');

			if (at == NULL || at == m->to[k] || at[1] == '\0' ||
			    !dns_name_valid(at + 1))
				return err_at(err, &m->at,
				    "message: recipient '%s' is not an "
				    "address",
				    m->to[k]);
		}
		if (m->t > w->stop_at)
			return err_at(err, &m->at,
			    "message: 'at' is after the scenario's stop_at");
	}
	/* Expectations. */
	for (i = 0; i < w->nexpects; i++) {
		struct world_expect *e = &w->expects[i];

		if (e->msg > (int)w->nmsgs)
			return err_at(err, &e->at,
			    "expect: there is no message %d", e->msg);
		if (e->via != NULL && world_host_find(w, e->via) == NULL)
			return unknown_host(
			    w, err, &e->at, "expect via", e->via);
		if (e->host != NULL && world_host_find(w, e->host) == NULL)
			return unknown_host(
			    w, err, &e->at, "expect host", e->host);
		for (k = 0; k < e->nattempts; k++) {
			const char *c = strchr(e->attempts[k], ':');
			char hn[128];

			if (c == NULL || c == e->attempts[k] || c[1] == '\0')
				return err_at(err, &e->at,
				    "expect: attempt '%s' must read "
				    "\"host:result\"",
				    e->attempts[k]);
			snprintf(hn, sizeof(hn), "%.*s",
			    (int)(c - e->attempts[k]), e->attempts[k]);
			if (world_host_find(w, hn) == NULL)
				return unknown_host(
				    w, err, &e->at, "expect attempts", hn);
		}
		for (k = 0; k < w->nmsgs; k++)
			for (l = 0; l < w->msgs[k].nto; l++)
				if (strcasecmp(w->msgs[k].to[l], e->to) == 0)
					goto found;
		/* The envelope sender of a message: its DSN is what is
		 * expected, and only where it lands can be asked. */
		for (k = 0; k < w->nmsgs; k++)
			if (strcasecmp(w->msgs[k].from, e->to) == 0) {
				if (e->has_outcome || e->via != NULL ||
				    e->has_attempts || e->has_range ||
				    e->host == NULL)
					return err_at(err, &e->at,
					    "expect: '%s' is a sender: an "
					    "expectation on it is about a DSN "
					    "and takes only 'host' (where the "
					    "DSN lands), 'before', 'after' and "
					    "'message'",
					    e->to);
				e->dsn = true;
				goto found;
			}
		return err_at(
		    err, &e->at, "expect: no message is sent to '%s'", e->to);
	found:;
	}
	return 0;
}

/* --- the run -------------------------------------------------------------- */

static void
outage_edge(struct sim *sim, void *arg)
{
	const struct world_window *wi = arg;
	const struct world_outage *o = wi->o;
	const struct fault *f = &wi->f;
	struct trace_rec r;
	char a[32], b[32], what[160];
	bool start = sim_now(sim) == f->from;
	size_t n;

	if (!trace_on(sim_trace(sim)))
		return;
	trace_rec_init(&r, sim_now(sim), o->host,
	    start ? "outage.start" : "outage.end", TRACE_MAIN);
	trace_add_str(&r, "kind", fault_kind_name(o->f.kind));
	trace_add_int(&r, "outage", o->f.index);
	trace_add_str(&r, "service", fault_svc_name(o->f.svc));
	if (o->f.family != 0)
		trace_add_str(
		    &r, "family", o->f.family == NET_AF_INET ? "ipv4" : "ipv6");
	/* "down for smtp over IPv6", "loss 30% on the uplink" */
	snprintf(what, sizeof(what), "%s", fault_kind_name(o->f.kind));
	n = strlen(what);
	if (o->f.kind == FAULT_LOSS)
		n += (size_t)snprintf(
		    what + n, sizeof(what) - n, " %g%%", o->f.rate * 100);
	if (o->f.kind == FAULT_REPLY)
		n += (size_t)snprintf(
		    what + n, sizeof(what) - n, " %d", o->f.reply_code);
	if (fault_kind_layer(o->f.kind) == FAULT_LAYER_SMTP)
		n += (size_t)snprintf(what + n, sizeof(what) - n, " at %s",
		    smtp_phase_name(o->f.at));
	else if (o->f.svc != FAULT_SVC_ANY && n < sizeof(what))
		n += (size_t)snprintf(what + n, sizeof(what) - n, " for %s",
		    fault_svc_name(o->f.svc));
	if (o->f.family != 0 && n < sizeof(what))
		n += (size_t)snprintf(what + n, sizeof(what) - n, " over %s",
		    o->f.family == NET_AF_INET ? "IPv4" : "IPv6");
	if (o->on_site && n < sizeof(what))
		snprintf(what + n, sizeof(what) - n, " on its uplink");
	if (o->random && n < sizeof(what))
		n += (size_t)snprintf(what + n, sizeof(what) - n,
		    ", random (mtbf %s, mttr %s)",
		    dur_format(o->mtbf, a, sizeof(a)),
		    dur_format(o->mttr, b, sizeof(b)));
	if (f->probability > 0 && f->probability < 1 && n < sizeof(what))
		snprintf(what + n, sizeof(what) - n, ", %g%% of connections",
		    f->probability * 100);
	if (!start)
		trace_text(&r, "outage %d ends: %s", o->f.index, what);
	else if (f->to == SIM_NEVER)
		trace_text(&r, "outage %d begins: %s (until the end)",
		    o->f.index, what);
	else
		trace_text(&r, "outage %d begins: %s (%s-%s)", o->f.index, what,
		    dur_format(f->from, a, sizeof(a)),
		    dur_format(f->to, b, sizeof(b)));
	trace_emit(sim_trace(sim), &r);
}

static void
add_window(struct world_run *run, const struct world_outage *o, sim_time_t from,
    sim_time_t to)
{
	void *v = run->win;

	mx_grow(&v, &run->capwin, run->nwin + 1, sizeof(*run->win));
	run->win = v;
	run->win[run->nwin].o = o;
	run->win[run->nwin].f = o->f;
	run->win[run->nwin].f.from = from;
	run->win[run->nwin].f.to = to;
	run->nwin++;
}

struct window_ctx {
	struct world_run *run;
	const struct world_outage *o;
};

static void
random_window(void *ctx, sim_time_t from, sim_time_t to)
{
	struct window_ctx *wc = ctx;

	add_window(wc->run, wc->o, from, to);
}

/* Every outage window of the run, in declaration order; a random model
 * (fault_random_windows()) draws from a stream of its own, so adding an
 * outage changes no other. */
static void
outage_windows(struct world_run *run)
{
	const struct world *w = run->w;
	size_t i;

	for (i = 0; i < w->noutages; i++) {
		const struct world_outage *o = &w->outages[i];
		struct window_ctx wc = {run, o};
		struct rng r;

		if (!o->random) {
			add_window(run, o, o->f.from, o->f.to);
			continue;
		}
		sim_rng(&run->sim, &r, "outage.%s.%d", o->host, o->f.index);
		fault_random_windows(&r, o->f.from,
		    o->f.to < w->stop_at ? o->f.to : w->stop_at, o->f.to,
		    o->mtbf, o->mttr, random_window, &wc);
	}
}

/* Link properties: what was declared, else the defaults. */
static struct net_link_params
link_params(const struct world_linkp *d, sim_time_t latency)
{
	struct net_link_params p;

	memset(&p, 0, sizeof(p));
	p.latency = d->has_latency ? d->latency : latency;
	p.jitter = d->has_jitter ? d->jitter : 0;
	p.loss = d->has_loss ? d->loss : 0;
	p.bandwidth = d->has_bandwidth ? d->bandwidth : 0;
	return p;
}

static bool
addr_taken(const struct world *w, const struct net_addr *a)
{
	size_t i, j;

	for (i = 0; i < w->nhosts; i++)
		for (j = 0; j < w->hosts[i].naddr; j++)
			if (net_addr_eq(a, &w->hosts[i].addr[j]))
				return true;
	for (i = 0; i < w->nsites; i++)
		for (j = 0; j < w->sites[i].nrouter; j++)
			if (net_addr_eq(a, &w->sites[i].router[j]))
				return true;
	return false;
}

/* Gives router 'r' an IPv4 and an IPv6 address for its ICMP messages:
 * from the top of 203.0.113.0/24 and 2001:db8:ffff::/64 (documentation
 * space, RFC 5737 and RFC 3849), downwards, skipping taken ones. */
static void
router_addrs(const struct world *w, struct net_host *r, int *next)
{
	struct net_addr a;

	for (; *next > 0; (*next)--) {
		memset(&a, 0, sizeof(a));
		a.family = NET_AF_INET;
		a.b[0] = 203;
		a.b[1] = 0;
		a.b[2] = 113;
		a.b[3] = (uint8_t)*next;
		if (!addr_taken(w, &a) && net_host_by_addr(r->net, &a) == NULL)
			break;
	}
	(void)net_host_addr_add(r, &a);
	memset(&a, 0, sizeof(a));
	a.family = NET_AF_INET6;
	a.b[0] = 0x20;
	a.b[1] = 0x01;
	a.b[2] = 0x0d;
	a.b[3] = 0xb8;
	a.b[4] = 0xff;
	a.b[5] = 0xff;
	a.b[15] = (uint8_t)*next;
	(*next)--;
	(void)net_host_addr_add(r, &a);
}

/*
 * The topology: a core router "internet"; a router per site, joined to it
 * by the site's uplink; each host joined to its site's router, or to the
 * core when it is in no site.  A scenario that declares nothing gets every
 * host one router hop from every other, each access link taking half of
 * the scenario's 'latency'.  Node creation order (routers, then hosts in
 * declaration order) fixes the MAC addresses.
 */
static int
build_topology(struct world_run *run, struct mx_err *err)
{
	const struct world *w = run->w;
	struct net_link_params lp;
	int next = 254;
	size_t i, j;

	run->internet = net_router_add(&run->net, "internet");
	run->site_link = mx_xcalloc(w->nsites + 1, sizeof(*run->site_link));
	run->site_faults = mx_xcalloc(w->nsites + 1, sizeof(*run->site_faults));
	run->host_link = mx_xcalloc(w->nhosts + 1, sizeof(*run->host_link));
	for (i = 0; i < w->nsites; i++) {
		struct net_host *r =
		    net_router_add(&run->net, w->sites[i].name);

		/* An uplink adds no delay unless the scenario says so. */
		lp = link_params(&w->sites[i].link, 0);
		run->site_link[i] =
		    net_link_add(&run->net, r, run->internet, &lp);
		if (run->site_link[i] == NULL)
			return mx_err_set(err, MX_ELIMIT,
			    "%s:%d: too many sites for the core router "
			    "(at most %d)",
			    w->sites[i].at.file, w->sites[i].at.line,
			    NET_MAX_IFS);
	}
	for (i = 0; i < w->nhosts; i++) {
		struct world_run_host *rh = &run->hosts[i];
		const struct world_host *h = &w->hosts[i];
		struct net_host *up = run->internet;

		rh->wh = h;
		rh->nh = net_host_add(&run->net, h->name);
		if (h->has_tcp)
			tcp_stack_init(rh->nh, &h->tcp);
		for (j = 0; j < h->naddr; j++)
			if (net_host_addr_add(rh->nh, &h->addr[j]) != 0)
				return mx_err_set(err, MX_ELIMIT,
				    "host '%s': too many addresses", h->name);
		if (h->site != NULL)
			up = net_host_by_name(&run->net, h->site);
		lp = link_params(&h->link, w->latency / 2);
		run->host_link[i] = net_link_add(&run->net, rh->nh, up, &lp);
		if (run->host_link[i] == NULL)
			return mx_err_set(err, MX_ELIMIT,
			    "%s:%d: host '%s': router '%s' has no interface "
			    "left (at most %d links; put hosts in sites)",
			    h->at.file, h->at.line, h->name, up->name,
			    NET_MAX_IFS);
		mailbox_init(&rh->mb, h->name);
	}
	/* Router addresses: declared, or from the documentation space. */
	router_addrs(w, run->internet, &next);
	for (i = 0; i < w->nsites; i++) {
		struct net_host *r =
		    net_host_by_name(&run->net, w->sites[i].name);

		for (j = 0; j < w->sites[i].nrouter; j++)
			(void)net_host_addr_add(r, &w->sites[i].router[j]);
		if (w->sites[i].nrouter == 0)
			router_addrs(w, r, &next);
	}
	net_finalize(&run->net);
	return 0;
}

/* True when the MX exchange 'ex' designates host 'h': its host name,
 * an address of it written as a name (an IP-literal MX), or a name with
 * an A or AAAA record in 'rr' holding one of its addresses. */
static bool
mx_is_host(const struct world_host *h, const char *ex, const struct dns_rr *rr,
    size_t n)
{
	struct net_addr lit;
	size_t i, c;

	if (dns_name_eq(ex, h->hostname))
		return true;
	if (net_addr_parse(ex, &lit)) {
		for (c = 0; c < h->naddr; c++)
			if (net_addr_eq(&h->addr[c], &lit))
				return true;
		return false;
	}
	for (i = 0; i < n; i++) {
		if ((rr[i].type != DNS_T_A && rr[i].type != DNS_T_AAAA) ||
		    !dns_name_eq(rr[i].name, ex))
			continue;
		for (c = 0; c < h->naddr; c++) {
			const struct net_addr *a = &h->addr[c];

			if (rr[i].type == DNS_T_A && a->family == NET_AF_INET &&
			    memcmp(a->b, rr[i].rd.a, 4) == 0)
				return true;
			if (rr[i].type == DNS_T_AAAA &&
			    a->family == NET_AF_INET6 &&
			    memcmp(a->b, rr[i].rd.aaaa, 16) == 0)
				return true;
		}
	}
	return false;
}

/* Adds 'name' to the MX host's domains; false when it was there. */
static bool
add_domain(struct world_run_host *rh, const char *name)
{
	size_t d;
	void *v;

	for (d = 0; d < rh->ndomains; d++)
		if (dns_name_eq(rh->domains[d], name))
			return false;
	v = rh->domains;
	mx_grow(&v, &rh->capdomains, rh->ndomains + 1, sizeof(*rh->domains));
	rh->domains = v;
	rh->domains[rh->ndomains++] = mx_xstrdup(name);
	return true;
}

/* The domains an MX host takes mail for: the owners of every MX record
 * that designates it, in the zones and in their changes to come (an
 * operator configures the server before publishing the MX, as Postfix's
 * relay_domains or mydestination are). */
static void
mx_domains(struct world_run *run, const struct world_host *h,
    struct world_run_host *rh)
{
	const struct world *w = run->w;
	struct dns_rr *rr = NULL;
	size_t n = 0, cap = 0, i, k, d;
	bool changed;
	void *v;

	for (i = 0; i < run->nzones; i++)
		for (k = 0; k < run->zones[i].nrr; k++) {
			v = rr;
			mx_grow(&v, &cap, n + 1, sizeof(*rr));
			rr = v;
			rr[n++] = run->zones[i].rr[k];
		}
	for (i = 0; i < w->nchanges; i++) {
		const struct world_zone *wz = zone_find(w, w->changes[i].zone);

		for (k = 0; wz != NULL && k < w->changes[i].nadd; k++) {
			struct dns_rr one;

			if (row_rr(wz, &w->changes[i].add[k], &one, NULL) != 0)
				continue;
			v = rr;
			mx_grow(&v, &cap, n + 1, sizeof(*rr));
			rr = v;
			rr[n++] = one;
		}
	}
	for (i = 0; i < n; i++)
		if (rr[i].type == DNS_T_MX && rr[i].rd.mx.exchange[0] != '\0' &&
		    mx_is_host(h, rr[i].rd.mx.exchange, rr, n))
			add_domain(rh, rr[i].name);
	/* A domain that is an alias of one of those (RFC 5321 §5.1: the
	 * sender uses the target's MX) is taken too, as an operator who
	 * made the alias would configure; chains reach a fixed point. */
	for (changed = true; changed;) {
		changed = false;
		for (i = 0; i < n; i++) {
			if (rr[i].type != DNS_T_CNAME)
				continue;
			for (d = 0; d < rh->ndomains; d++)
				if (dns_name_eq(
				        rh->domains[d], rr[i].rd.target))
					break;
			if (d < rh->ndomains && add_domain(rh, rr[i].name))
				changed = true;
		}
	}
	free(rr);
}

/* Root hints: the named hosts, or every host serving the root zone;
 * their addresses of the families the resolver has. */
static void
root_hints(const struct world_run *run, const struct world_host *h,
    struct recursor_params *rp)
{
	const struct world *w = run->w;
	size_t i, k, a;

	for (i = 0; i < w->nhosts; i++) {
		const struct world_host *r = &w->hosts[i];
		bool pick = false;

		if (h->nroots > 0) {
			for (k = 0; k < h->nroots; k++)
				if (strcmp(h->roots[k], r->name) == 0)
					pick = true;
		} else
			pick = serves_root(r);
		if (!pick)
			continue;
		for (a = 0; a < r->naddr && rp->nroots < RECURSOR_MAXROOTS; a++)
			if (net_host_addr_of(run->hosts[h - w->hosts].nh,
			        r->addr[a].family) != NULL)
				rp->roots[rp->nroots++] = r->addr[a];
	}
}

struct change_ctx {
	struct world_run *run; /* borrowed */
	size_t i;              /* the change's index */
};

static void *
change_ctx(struct world_run *run, size_t i)
{
	/* The run keeps one context per change, freed with the run. */
	return &run->change_ctx[i];
}

/* Applies a zone change: removals, then additions, then a new SOA
 * serial, as a primary server would publish it. */
static void
zone_change_apply(struct sim *sim, void *arg)
{
	struct change_ctx *cc = arg;
	struct world_run *run = cc->run;
	const struct world_change *ch = &run->w->changes[cc->i];
	const struct world_zone *wz = NULL;
	struct zone *z = NULL;
	struct trace_rec r;
	char list[TRACE_TEXT_MAX], rd[300], tb[DNS_TYPE_STRLEN];
	size_t i, off = 0;
	struct mx_err e;

	for (i = 0; i < run->nzones; i++)
		if (dns_name_eq(run->zones[i].origin, ch->zone)) {
			z = &run->zones[i];
			wz = &run->w->zones[i];
		}
	if (z == NULL)
		return;
	list[0] = '\0';
	for (i = 0; i < ch->ndel; i++) {
		struct dns_rr rr;

		if (row_rr(wz, &ch->del[i], &rr, &e) != 0)
			continue;
		zone_remove(z, rr.name, rr.type, &rr);
		if (off < sizeof(list) - 100)
			off += (size_t)snprintf(list + off, sizeof(list) - off,
			    "%s-%s %s %s", off ? ", " : "", rr.name,
			    dns_type_name(rr.type, tb, sizeof(tb)),
			    dns_rr_str(&rr, rd, sizeof(rd)));
	}
	for (i = 0; i < ch->nadd; i++) {
		struct dns_rr rr;

		if (row_rr(wz, &ch->add[i], &rr, &e) != 0)
			continue;
		zone_add_rr(z, &rr);
		if (off < sizeof(list) - 100)
			off += (size_t)snprintf(list + off, sizeof(list) - off,
			    "%s+%s %s %s", off ? ", " : "", rr.name,
			    dns_type_name(rr.type, tb, sizeof(tb)),
			    dns_rr_str(&rr, rd, sizeof(rd)));
	}
	zone_bump_serial(z);
	if (!trace_on(sim_trace(sim)))
		return;
	trace_rec_init(&r, sim_now(sim), "sim", "zone.change", TRACE_MAIN);
	trace_add_str(&r, "zone", z->origin);
	trace_add_int(
	    &r, "serial", z->soa != NULL ? (int64_t)z->soa->rd.soa.serial : 0);
	trace_text(&r, "zone %s changes (serial %u): %s", z->origin,
	    z->soa != NULL ? (unsigned)z->soa->rd.soa.serial : 0u, list);
	trace_emit(sim_trace(sim), &r);
}

/* A backup MX (smtp.relay) hands what it stored to its own sender role,
 * as Postfix's smtpd hands a relay_domains message to the queue. */
static void
relay_stored(void *ctx, const struct mailbox_msg *mm)
{
	struct world_run_host *rh = ctx;

	if (rh->mta != NULL)
		mta_relay(
		    rh->mta, mm->msg, mm->from, mm->rcpt, mm->data, mm->size);
}

int
world_run_init(struct world_run *run, const struct world *w, uint64_t seed,
    struct mx_err *err)
{
	size_t i, j, k;

	memset(run, 0, sizeof(*run));
	run->w = w;
	sim_init(&run->sim, seed);
	net_init(&run->net, &run->sim);
	run->nzones = w->nzones;
	run->zones = mx_xcalloc(w->nzones, sizeof(*run->zones));
	for (i = 0; i < w->nzones; i++)
		if (zone_load(&w->zones[i], &run->zones[i], err) != 0)
			return err != NULL ? err->code : MX_EINVAL;
	run->change_ctx = mx_xcalloc(w->nchanges + 1, sizeof(*run->change_ctx));
	for (i = 0; i < w->nchanges; i++) {
		run->change_ctx[i].run = run;
		run->change_ctx[i].i = i;
	}
	run->nhosts = w->nhosts;
	run->hosts = mx_xcalloc(w->nhosts, sizeof(*run->hosts));
	if (build_topology(run, err) != 0)
		return err != NULL ? err->code : MX_EINVAL;
	/* Outage schedules, in declaration order (world_check() numbered
	 * them per host or site), random models drawn into windows first.
	 * A host's schedule serves its access link too (the link looks
	 * only at link kinds). */
	outage_windows(run);
	for (j = 0; j < w->nhosts; j++) {
		struct world_run_host *rh = &run->hosts[j];

		rh->faults = mx_xcalloc(run->nwin + 1, sizeof(*rh->faults));
		for (i = 0; i < run->nwin; i++)
			if (!run->win[i].o->on_site &&
			    strcmp(w->hosts[j].name, run->win[i].o->host) == 0)
				rh->faults[rh->nfaults++] = run->win[i].f;
		net_host_set_faults(rh->nh, rh->faults, rh->nfaults);
		net_link_set_faults(run->host_link[j], rh->faults, rh->nfaults);
	}
	for (j = 0; j < w->nsites; j++) {
		size_t n = 0;

		run->site_faults[j] =
		    mx_xcalloc(run->nwin + 1, sizeof(struct fault));
		for (i = 0; i < run->nwin; i++)
			if (run->win[i].o->on_site &&
			    strcmp(w->sites[j].name, run->win[i].o->host) == 0)
				run->site_faults[j][n++] = run->win[i].f;
		net_link_set_faults(run->site_link[j], run->site_faults[j], n);
	}
	for (i = 0; i < run->nwin; i++) {
		const struct world_window *wi = &run->win[i];

		sim_at(&run->sim, wi->f.from, outage_edge, (void *)wi);
		if (wi->f.to != SIM_NEVER && wi->f.to <= w->stop_at)
			sim_at(&run->sim, wi->f.to, outage_edge, (void *)wi);
	}
	/* Roles. */
	for (i = 0; i < w->nhosts; i++) {
		struct world_run_host *rh = &run->hosts[i];
		const struct world_host *h = rh->wh;

		if (h->recursive) {
			struct recursor_params rp;

			recursor_params_default(&rp);
			if (h->rec_timeout > 0)
				rp.timeout = h->rec_timeout;
			root_hints(run, h, &rp);
			rh->rec = recursor_new(rh->nh, &rp);
		}
		if (h->dns || h->recursive) {
			rh->served =
			    mx_xcalloc(h->nserves + 1, sizeof(*rh->served));
			for (j = 0; j < h->nserves; j++)
				for (k = 0; k < run->nzones; k++)
					if (dns_name_eq(run->zones[k].origin,
					        h->serves[j]))
						rh->served[rh->nserved++] =
						    &run->zones[k];
			rh->dns = dnssrv_new(
			    rh->nh, rh->served, rh->nserved, rh->rec);
		}
		if (h->smtp) {
			struct smtpsrv_params sp;

			mx_domains(run, h, rh);
			smtpsrv_params_default(&sp);
			sp.hostname = h->hostname;
			sp.domains = (const char *const *)rh->domains;
			sp.ndomains = rh->ndomains;
			sp.mailboxes = (const char *const *)h->mailboxes;
			sp.nmailboxes = h->nmailboxes;
			if (h->size_limit > 0)
				sp.size_limit = h->size_limit;
			if (h->max_conns > 0)
				sp.max_conns = h->max_conns;
			sp.epoch = w->epoch;
			rh->smtp = smtpsrv_new(rh->nh, &sp, &rh->mb);
		}
		if (h->smtp && h->relay)
			smtpsrv_on_stored(rh->smtp, relay_stored, rh);
		if (h->sender) {
			struct mta_params mp;

			memset(&mp, 0, sizeof(mp));
			mp.prof = h->prof;
			resolv_params_default(&mp.res);
			for (j = 0; j < h->nresolvers && j < RESOLV_MAXNS;
			     j++) {
				const struct world_host *r =
				    world_host_find(w, h->resolvers[j]);

				size_t a;

				/* The nameserver's first address of a family
				 * the sender has (IPv4 first when both). */
				for (a = 0; a < r->naddr; a++)
					if (r->addr[a].family == NET_AF_INET &&
					    net_host_addr_of(
					        rh->nh, NET_AF_INET) != NULL)
						break;
				if (a == r->naddr)
					for (a = 0; a < r->naddr; a++)
						if (net_host_addr_of(rh->nh,
						        r->addr[a].family) !=
						    NULL)
							break;
				if (a < r->naddr)
					mp.res.ns[mp.res.nns++] = r->addr[a];
			}
			mp.hostname = h->hostname;
			mp.epoch = w->epoch;
			mp.scenario = w->name;
			mp.local = &rh->mb;
			rh->mta = mta_new(rh->nh, &mp);
		}
	}
	for (i = 0; i < w->nchanges; i++)
		sim_at(&run->sim, w->changes[i].t, zone_change_apply,
		    change_ctx(run, i));
	/* Messages, numbered from 1 in declaration order. */
	for (i = 0; i < w->nmsgs; i++) {
		const struct world_message *m = &w->msgs[i];

		for (j = 0; j < w->nhosts; j++)
			if (strcmp(w->hosts[j].name, m->sender) == 0)
				mta_submit(run->hosts[j].mta, m->t, i + 1,
				    m->from, (const char *const *)m->to, m->nto,
				    m->size, m->subject);
	}
	return 0;
}

/* The queue state of (msg, rcpt) at host 'label' (its sender role), if
 * it has one for it. */
static bool
queue_state(const struct world_run *run, const char *label, uint64_t msg,
    const char *rcpt, struct mta_rcpt_result *out)
{
	size_t h, k, n;
	bool found = false;

	for (h = 0; h < run->nhosts && !found; h++) {
		struct mta_rcpt_result *res;

		if (run->hosts[h].mta == NULL ||
		    strcmp(run->hosts[h].wh->name, label) != 0)
			continue;
		n = mta_nresults(run->hosts[h].mta);
		res = mx_xcalloc(n + 1, sizeof(*res));
		n = mta_results(run->hosts[h].mta, res, n);
		for (k = 0; k < n; k++)
			if (res[k].msg == msg &&
			    strcasecmp(res[k].rcpt, rcpt) == 0) {
				*out = res[k];
				found = true;
			}
		free(res);
	}
	return found;
}

/* The text of the final record of (msg, rcpt), which host 'h' (or no
 * host) stored last at 't'; 'at' is where its queue state is read. */
static void
final_text(const struct world_run *run, struct trace_rec *r, size_t msg,
    const char *rcpt, const char *h, sim_time_t t)
{
	const char *at = h != NULL ? h : run->w->msgs[msg - 1].sender;
	struct mta_rcpt_result q;
	bool known = queue_state(run, at, msg, rcpt, &q);
	char d[40];

	if (known && q.outcome == MTA_BOUNCED)
		trace_text(r,
		    "at the end: msg %zu for %s was bounced by %s at %s: "
		    "%.300s",
		    msg, rcpt, at, dur_format(q.t, d, sizeof(d)), q.reason);
	else if (known && q.outcome == MTA_DEFERRED)
		trace_text(r,
		    "at the end: msg %zu for %s is still queued at %s: %.300s",
		    msg, rcpt, at, q.reason);
	else if (h != NULL)
		trace_text(r,
		    "at the end: msg %zu for %s is in %s's mailbox (since %s)",
		    msg, rcpt, h, dur_format(t, d, sizeof(d)));
	else
		trace_text(r,
		    "at the end: msg %zu for %s was handed to %s, which "
		    "stored nothing we see",
		    msg, rcpt, known ? q.via : "-");
}

/* At the end, where every recipient of every message is: the trace and
 * the narrative say it last (issue: "where every message finally is"). */
static void
final_records(struct world_run *run)
{
	const struct world *w = run->w;
	struct sim *sim = &run->sim;
	size_t i, k;

	if (!trace_on(sim_trace(sim)))
		return;
	for (i = 0; i < w->nmsgs; i++)
		for (k = 0; k < w->msgs[i].nto; k++) {
			const char *rcpt = w->msgs[i].to[k];
			struct trace_rec r;
			sim_time_t t;
			const char *h =
			    world_run_final_host(run, i + 1, rcpt, &t);

			trace_rec_init(&r, w->stop_at, w->msgs[i].sender,
			    "mail.final", TRACE_MAIN);
			trace_add_int(&r, "msg", (int64_t)(i + 1));
			trace_add_str(&r, "rcpt", rcpt);
			if (h != NULL)
				trace_add_str(&r, "final_host", h);
			final_text(run, &r, i + 1, rcpt, h, t);
			trace_emit(sim_trace(sim), &r);
		}
}

bool
world_run_step(struct world_run *run)
{
	bool more = sim_step(&run->sim, run->w->stop_at);

	if (!more && !run->ran) {
		run->ran = true;
		final_records(run);
	}
	return more;
}

void
world_run_go(struct world_run *run)
{
	sim_run(&run->sim, run->w->stop_at);
	if (!run->ran)
		final_records(run);
	run->ran = true;
}

void
world_run_fini(struct world_run *run)
{
	size_t i, k;

	/* Objects released during the last event are freed by sim_fini(),
	 * which still needs the hosts: finish the simulation first. */
	sim_fini(&run->sim);
	for (i = 0; i < run->nhosts; i++) {
		struct world_run_host *rh = &run->hosts[i];

		mta_free(rh->mta);
		smtpsrv_free(rh->smtp);
		recursor_free(rh->rec);
		dnssrv_free(rh->dns);
		mailbox_fini(&rh->mb);
		free(rh->faults);
		free(rh->served);
		for (k = 0; k < rh->ndomains; k++)
			free(rh->domains[k]);
		free(rh->domains);
	}
	free(run->hosts);
	free(run->change_ctx);
	free(run->win);
	for (i = 0; run->site_faults != NULL && i < run->w->nsites; i++)
		free(run->site_faults[i]);
	free(run->site_faults);
	free(run->site_link);
	free(run->host_link);
	net_fini(&run->net);
	for (i = 0; i < run->nzones; i++)
		zone_fini(&run->zones[i]);
	free(run->zones);
	memset(run, 0, sizeof(*run));
}

bool
world_run_sent_by(const struct world_run *run, size_t h, uint64_t msg)
{
	const struct world *w = run->w;

	return msg >= 1 && msg <= w->nmsgs &&
	       strcmp(w->msgs[msg - 1].sender, run->hosts[h].wh->name) == 0;
}

const char *
world_run_final_host(const struct world_run *run, uint64_t msg,
    const char *rcpt, sim_time_t *when)
{
	const char *best = NULL;
	sim_time_t bt = -1;
	size_t i, j;

	for (i = 0; i < run->nhosts; i++) {
		const struct mailbox *mb = &run->hosts[i].mb;

		for (j = 0; j < mb->n; j++)
			if (mb->v[j].msg == msg &&
			    strcasecmp(mb->v[j].rcpt, rcpt) == 0 &&
			    mb->v[j].t >= bt) {
				bt = mb->v[j].t;
				best = mb->host;
			}
	}
	if (when != NULL)
		*when = bt;
	return best;
}

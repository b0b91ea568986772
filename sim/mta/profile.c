/*
 * profile.c - the knob table and typed access to profile values.
 *
 * Defaults are RFC 5321's where it gives numbers (§4.5.3.2 timeouts,
 * §4.5.4.1 retry and give-up), and glibc's for the resolver
 * (resolv.conf(5): timeout 5, attempts 2).  Profiles in lua/profiles/
 * set the rest.
 */
#include "profile.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/dur.h"

static const char *const order_names[] = {
#define XX(id, s) s,
    MTA_ORDER_MAP(XX)
#undef XX
        NULL};

static const char *const aorder_names[] = {
#define XX(id, s) s,
    MTA_AORDER_MAP(XX)
#undef XX
        NULL};

static const char *const cname_names[] = {
#define XX(id, s) s,
    MTA_CNAME_MAP(XX)
#undef XX
        NULL};

static const char *const iplit_names[] = {
#define XX(id, s) s,
    MTA_IPLIT_MAP(XX)
#undef XX
        NULL};

static const char *const nullmx_names[] = {
#define XX(id, s) s,
    MTA_NULLMX_MAP(XX)
#undef XX
        NULL};

static const char *const nmxreply_names[] = {
#define XX(id, s) s,
    MTA_NMXREPLY_MAP(XX)
#undef XX
        NULL};

static const char *const self_names[] = {
#define XX(id, s) s,
    MTA_SELF_MAP(XX)
#undef XX
        NULL};

static const char *const pref_names[] = {
#define XX(id, s) s,
    MTA_PREF_MAP(XX)
#undef XX
        NULL};

static const char *const sched_names[] = {
#define XX(id, s) s,
    MTA_SCHED_MAP(XX)
#undef XX
        NULL};

static const char *const hmem_names[] = {
#define XX(id, s) s,
    MTA_HMEM_MAP(XX)
#undef XX
        NULL};

static const char *const act_names[] = {
#define XX(id, s) s,
    MTA_ACT_MAP(XX)
#undef XX
        NULL};

static const char *const dnsact_names[] = {
#define XX(id, s) s,
    MTA_DNSACT_MAP(XX)
#undef XX
        NULL};

static const char *const warnat_names[] = {
#define XX(id, s) s,
    MTA_WARNAT_MAP(XX)
#undef XX
        NULL};

static const char *const cscope_names[] = {
#define XX(id, s) s,
    MTA_CSCOPE_MAP(XX)
#undef XX
        NULL};

const char *
mta_hmem_name(enum mta_hmem h)
{
	return (unsigned)h < MTA_NHMEM ? hmem_names[h] : "?";
}

#define OFF(f) offsetof(struct mta_profile, f)

static const struct mta_knob knobs[] = {
    {"connect_timeout", KNOB_DURATION, OFF(connect_timeout), NULL,
        "give up a TCP connect after this long (0 = the kernel's limit, "
        "127 s on Linux)"},
    {"retry", KNOB_DURLIST, OFF(retry), NULL,
        "delays between delivery attempts; the last one repeats"},
    /* After 'retry': a profile that lists both keeps its schedule, a
     * scenario's 'retry' (applied later) replaces it (SCENARIO-DSL.md). */
    {"schedule", KNOB_ENUM, OFF(schedule), sched_names,
        "how the next attempt is computed: the 'retry' list, or as "
        "postfix, exim, quadratic (OpenSMTPD), chasquid, queue-run"},
    {"backoff_min", KNOB_DURATION, OFF(backoff_min), NULL,
        "postfix: minimal_backoff_time; quadratic: the base delay"},
    {"backoff_max", KNOB_DURATION, OFF(backoff_max), NULL,
        "postfix: maximal_backoff_time"},
    {"queue_run", KNOB_DURATION, OFF(queue_run), NULL,
        "attempts happen only at queue runs, every this long from 0 "
        "(0 = at the computed time)"},
    {"retry_rules", KNOB_RULES, OFF(rules), NULL,
        "exim: retry rules, e.g. \"F,2h,15m; G,16h,1h,1.5; F,4d,6h\""},
    {"retry_max", KNOB_DURATION, OFF(retry_max), NULL,
        "exim: retry_interval_max, the longest gap (0 = none)"},
    {"retry_jitter", KNOB_DURATION, OFF(retry_jitter), NULL,
        "a random extra delay below this, drawn from the seed"},
    {"max_attempts", KNOB_INT, OFF(max_attempts), NULL,
        "bounce at this failed attempt (0 = no limit)"},
    {"delay_warning", KNOB_DURATION, OFF(delay_warning), NULL,
        "send a 'delayed' DSN once the message is this old (0 = never)"},
    {"delay_warning_repeat", KNOB_BOOL, OFF(delay_warning_repeat), NULL,
        "send another 'delayed' DSN every delay_warning (Exim: the last "
        "time of the list repeats)"},
    {"delay_warning_at", KNOB_ENUM, OFF(delay_warning_at), warnat_names,
        "a failed attempt sends the warning when the message is older "
        "than delay_warning (age) or when the next attempt is "
        "(next-try, OpenSMTPD)"},
    {"host_memory", KNOB_ENUM, OFF(host_memory), hmem_names,
        "what a failure leaves for later deliveries: none, destination "
        "(Postfix), address (Exim), route (OpenSMTPD), host (Sendmail)"},
    {"host_memory_time", KNOB_DURATION, OFF(host_memory_time), NULL,
        "how long a failed destination/host is skipped (route: the base "
        "of base * penalty^2)"},
    {"give_up", KNOB_DURATION, OFF(give_up), NULL,
        "queue lifetime: a message still undelivered after this long "
        "bounces"},
    {"equal_pref", KNOB_ENUM, OFF(equal_pref), order_names,
        "order of MX hosts with the same preference"},
    {"null_mx", KNOB_ENUM, OFF(null_mx), nullmx_names,
        "which MX sets mean 'no mail' (RFC 7505)"},
    {"null_mx_reply", KNOB_ENUM, OFF(null_mx_reply), nmxreply_names,
        "the bounce of a null MX: rfc7505 (556 5.1.10) or postfix "
        "(5.1.0 ... nullMX)"},
    {"address_order", KNOB_ENUM, OFF(address_order), aorder_names,
        "which family of an MX host's addresses is tried first"},
    {"shuffle_in_family", KNOB_BOOL, OFF(shuffle_in_family), NULL,
        "shuffle an MX host's addresses within each family (Exim "
        "host.c random sort key per address)"},
    {"balance_families", KNOB_BOOL, OFF(balance_families), NULL,
        "with IPv4 and IPv6 addresses beyond max_addresses, keep about "
        "half of each (Postfix smtp_balance_inet_protocols)"},
    {"least_conn", KNOB_BOOL, OFF(least_conn), NULL,
        "among addresses of one preference, try first the one with the "
        "fewest sessions open (OpenSMTPD mta_find_route())"},
    {"mx_cname", KNOB_ENUM, OFF(mx_cname), cname_names,
        "an MX host that is an alias (CNAME): follow it, or refuse it"},
    {"mx_ip_literal", KNOB_ENUM, OFF(mx_ip_literal), iplit_names,
        "an MX exchange written as an IP address: reject or accept it"},
    {"mx_self", KNOB_ENUM, OFF(mx_self), self_names,
        "the sender among the MX hosts: drop its preference and worse; "
        "when it is the best, bounce (truncate) or hold the mail "
        "(freeze)"},
    {"implicit_mx", KNOB_BOOL, OFF(implicit_mx), NULL,
        "with no MX record, deliver to the domain's own address "
        "(RFC 5321 §5.1)"},
    {"max_addresses", KNOB_INT, OFF(max_addresses), NULL,
        "addresses tried per delivery attempt (0 = all)"},
    {"mx_session_limit", KNOB_INT, OFF(mx_session_limit), NULL,
        "sessions that got past EHLO per attempt (0 = no limit)"},
    {"mx_lookahead", KNOB_BOOL, OFF(mx_lookahead), NULL,
        "past max_addresses, still try one address of each further "
        "preference (Exim hosts_max_try)"},
    {"delay_after_cutoff", KNOB_BOOL, OFF(delay_after_cutoff), NULL,
        "exim: when every address is past its retry cutoff, bounce at "
        "once until one's retry time comes (true), or first try those "
        "not tried since the message arrived (false)"},
    {"dest_concurrency", KNOB_INT, OFF(dest_concurrency), NULL,
        "delivery attempts in progress at once per destination domain, "
        "or sessions per address (concurrency_scope) (0 = no limit); "
        "the others wait"},
    {"dest_concurrency_init", KNOB_INT, OFF(dest_concurrency_init), NULL,
        "the starting window of dest_concurrency, one more after each "
        "delivery (0 = the limit at once)"},
    {"concurrency_scope", KNOB_ENUM, OFF(concurrency_scope), cscope_names,
        "what dest_concurrency limits: delivery attempts per destination "
        "domain (Postfix), or sessions per destination address "
        "(OpenSMTPD maxconn_per_route; the window does not apply)"},
    {"mx_host_limit", KNOB_INT, OFF(mx_host_limit), NULL,
        "MX hosts used, best first (0 = all)"},
    {"pref_order", KNOB_ENUM, OFF(pref_order), pref_names,
        "how preferences are walked: ascending (RFC 5321), descending, "
        "or the DNS answer order"},
    {"greeting_4xx", KNOB_ENUM, OFF(greeting_4xx), act_names,
        "a 4xx greeting: next address, or defer at once"},
    {"greeting_5xx", KNOB_ENUM, OFF(greeting_5xx), act_names,
        "a 5xx greeting: next, defer, bounce, or bounce-if-last"},
    {"mail_4xx", KNOB_ENUM, OFF(mail_4xx), act_names,
        "a 4xx to MAIL FROM: next address, or defer"},
    {"rcpt_4xx", KNOB_ENUM, OFF(rcpt_4xx), act_names,
        "a 4xx to RCPT TO: next address for that recipient, or defer"},
    {"mx_servfail", KNOB_ENUM, OFF(mx_servfail), dnsact_names,
        "MX lookup SERVFAIL or timeout: defer, bounce, or implicit MX"},
    {"mx_norecovery", KNOB_ENUM, OFF(mx_norecovery), dnsact_names,
        "MX lookup REFUSED/NOTIMP/FORMERR: defer, bounce, or implicit MX"},
    {"no_address", KNOB_ENUM, OFF(no_address), dnsact_names,
        "MX hosts exist but none has an address: bounce or defer"},
    {"greeting_timeout", KNOB_DURATION, OFF(greeting_timeout), NULL,
        "wait for the 220 greeting"},
    {"helo_timeout", KNOB_DURATION, OFF(helo_timeout), NULL,
        "wait for the EHLO/HELO reply"},
    {"mail_timeout", KNOB_DURATION, OFF(mail_timeout), NULL,
        "wait for the MAIL FROM reply"},
    {"rcpt_timeout", KNOB_DURATION, OFF(rcpt_timeout), NULL,
        "wait for each RCPT TO reply"},
    {"data_init_timeout", KNOB_DURATION, OFF(data_init_timeout), NULL,
        "wait for the 354 reply to DATA"},
    {"data_done_timeout", KNOB_DURATION, OFF(data_done_timeout), NULL,
        "wait for the reply after the final '.'"},
    {"dns_timeout", KNOB_DURATION, OFF(dns_timeout), NULL,
        "resolver: wait per query in the first round (glibc "
        "'options timeout')"},
    {"dns_attempts", KNOB_INT, OFF(dns_attempts), NULL,
        "resolver: rounds over the nameservers (glibc 'options "
        "attempts')"},
};

void
mta_profile_defaults(struct mta_profile *p)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", "rfc5321");
	p->connect_timeout = 0;
	/* RFC 5321 §4.5.4.1: retry no sooner than 30 min, give up after
	 * 4-5 days. */
	p->retry[0] = SIM_MIN(30);
	p->nretry = 1;
	p->give_up = SIM_DAY(5);
	/* Exim smtp transport delay_after_cutoff (default true); used
	 * only with schedule = exim and host_memory = address. */
	p->delay_after_cutoff = true;
	p->equal_pref = MTA_ORDER_SHUFFLE;
	p->null_mx = MTA_NULLMX_ONLY;
	p->address_order = MTA_AORDER_IPV6_FIRST;
	p->mx_cname = MTA_CNAME_FOLLOW;
	p->mx_ip_literal = MTA_IPLIT_REJECT;
	p->mx_self = MTA_SELF_TRUNCATE;
	p->implicit_mx = true;
	p->max_addresses = 0;
	/* RFC 5321 §4.5.3.2 minimum timeouts. */
	p->greeting_timeout = SIM_MIN(5);
	p->helo_timeout = SIM_MIN(5);
	p->mail_timeout = SIM_MIN(5);
	p->rcpt_timeout = SIM_MIN(5);
	p->data_init_timeout = SIM_MIN(2);
	p->data_done_timeout = SIM_MIN(10);
	/* glibc RES_TIMEOUT and RES_DFLRETRY. */
	p->dns_timeout = SIM_S(5);
	p->dns_attempts = 2;
	p->schedule = MTA_SCHED_LIST;
	p->backoff_min = SIM_S(300);
	p->backoff_max = SIM_S(4000);
	p->host_memory = MTA_HMEM_NONE;
	p->pref_order = MTA_PREF_ASCENDING;
	p->greeting_4xx = MTA_ACT_NEXT;
	p->greeting_5xx = MTA_ACT_NEXT;
	p->mail_4xx = MTA_ACT_NEXT;
	p->rcpt_4xx = MTA_ACT_NEXT;
	/* RFC 5321 §5.1: a temporary error is queued and retried; MX
	 * present but none usable is an error. */
	p->mx_servfail = MTA_DNSACT_DEFER;
	p->mx_norecovery = MTA_DNSACT_DEFER;
	p->no_address = MTA_DNSACT_BOUNCE;
	p->concurrency_scope = MTA_CSCOPE_DOMAIN;
}

const struct mta_knob *
mta_knobs(size_t *n)
{
	*n = sizeof(knobs) / sizeof(knobs[0]);
	return knobs;
}

const struct mta_knob *
mta_knob_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
		if (strcmp(knobs[i].name, name) == 0)
			return &knobs[i];
	return NULL;
}

static void *
field(struct mta_profile *p, const struct mta_knob *k)
{
	return (char *)p + k->off;
}

static const void *
cfield(const struct mta_profile *p, const struct mta_knob *k)
{
	return (const char *)p + k->off;
}

bool
mta_knob_set_duration(
    struct mta_profile *p, const struct mta_knob *k, sim_time_t v)
{
	if (k->type != KNOB_DURATION || v < 0)
		return false;
	*(sim_time_t *)field(p, k) = v;
	return true;
}

bool
mta_knob_set_durlist(struct mta_profile *p, const struct mta_knob *k,
    const sim_time_t *v, size_t n)
{
	size_t i;

	if (k->type != KNOB_DURLIST || n == 0 || n > MTA_RETRY_MAX)
		return false;
	for (i = 0; i < n; i++) {
		if (v[i] <= 0)
			return false;
		p->retry[i] = v[i];
	}
	p->nretry = n;
	/* SCENARIO-DSL.md: every profile accepts 'retry' as an override of
	 * its schedule, queue-run grid included ('schedule' and
	 * 'queue_run' come later in the knob table, so a profile or
	 * scenario that sets them too keeps them). */
	p->schedule = MTA_SCHED_LIST;
	p->queue_run = 0;
	return true;
}

/* One "F,2h,15m" or "G,16h,1h,1.5" item. */
static bool
rule_parse(char *item, struct mta_rule *r)
{
	char *f[5], *save = NULL, *t, why[80];
	size_t n = 0;

	for (t = strtok_r(item, ",", &save); t != NULL && n < 5;
	     t = strtok_r(NULL, ",", &save)) {
		size_t l;

		while (*t == ' ' || *t == '\t')
			t++;
		l = strlen(t);
		while (l > 0 && (t[l - 1] == ' ' || t[l - 1] == '\t'))
			t[--l] = '\0';
		f[n++] = t;
	}
	if (n < 3 || (f[0][0] != 'F' && f[0][0] != 'G') || f[0][1] != '\0')
		return false;
	r->kind = f[0][0];
	if ((r->kind == 'F' && n != 3) || (r->kind == 'G' && n != 4))
		return false;
	if (!dur_parse(f[1], &r->cutoff, why, sizeof(why)) ||
	    !dur_parse(f[2], &r->p1, why, sizeof(why)) || r->p1 <= 0 ||
	    r->cutoff <= 0)
		return false;
	r->mult = 1.0;
	if (r->kind == 'G') {
		char *end;

		r->mult = strtod(f[3], &end);
		if (end == f[3] || *end != '\0' || r->mult < 1.0 ||
		    r->mult > 100.0)
			return false;
	}
	return true;
}

bool
mta_knob_set_rules(
    struct mta_profile *p, const struct mta_knob *k, const char *v)
{
	char buf[sizeof(p->rules_text)], *save = NULL, *item;
	struct mta_rule r[MTA_RULES_MAX];
	size_t n = 0;

	if (k->type != KNOB_RULES || strlen(v) >= sizeof(buf))
		return false;
	snprintf(buf, sizeof(buf), "%s", v);
	for (item = strtok_r(buf, ";", &save); item != NULL;
	     item = strtok_r(NULL, ";", &save)) {
		if (n == MTA_RULES_MAX || !rule_parse(item, &r[n]))
			return false;
		/* Exim applies the first rule whose cutoff is not yet
		 * reached: cutoffs must grow. */
		if (n > 0 && r[n].cutoff <= r[n - 1].cutoff)
			return false;
		n++;
	}
	if (n == 0)
		return false;
	memcpy(p->rules, r, n * sizeof(r[0]));
	p->nrules = n;
	snprintf(p->rules_text, sizeof(p->rules_text), "%s", v);
	return true;
}

bool
mta_knob_set_int(struct mta_profile *p, const struct mta_knob *k, long long v)
{
	if (k->type != KNOB_INT || v < 0 || v > 1000000)
		return false;
	*(int *)field(p, k) = (int)v;
	return true;
}

bool
mta_knob_set_bool(struct mta_profile *p, const struct mta_knob *k, bool v)
{
	if (k->type != KNOB_BOOL)
		return false;
	*(bool *)field(p, k) = v;
	return true;
}

bool
mta_knob_set_enum(
    struct mta_profile *p, const struct mta_knob *k, const char *v)
{
	int i;

	if (k->type != KNOB_ENUM)
		return false;
	for (i = 0; k->choices[i] != NULL; i++)
		if (strcmp(k->choices[i], v) == 0) {
			/* Every enum knob is stored as an int-sized enum. */
			*(int *)field(p, k) = i;
			return true;
		}
	return false;
}

char *
mta_knob_str(const struct mta_profile *p, const struct mta_knob *k, char *buf,
    size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	switch (k->type) {
	case KNOB_DURATION:
		dur_format(*(const sim_time_t *)cfield(p, k), buf, len);
		break;
	case KNOB_DURLIST:
		for (i = 0; i < p->nretry && off + 2 < len; i++) {
			char d[32];

			snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
			    dur_format(p->retry[i], d, sizeof(d)));
			off = strlen(buf);
		}
		break;
	case KNOB_INT:
		snprintf(buf, len, "%d", *(const int *)cfield(p, k));
		break;
	case KNOB_BOOL:
		snprintf(buf, len, "%s",
		    *(const bool *)cfield(p, k) ? "true" : "false");
		break;
	case KNOB_ENUM:
		snprintf(
		    buf, len, "%s", k->choices[*(const int *)cfield(p, k)]);
		break;
	case KNOB_RULES:
		snprintf(buf, len, "%s", p->nrules ? p->rules_text : "-");
		break;
	}
	return buf;
}

sim_time_t
mta_profile_retry(const struct mta_profile *p, int n)
{
	size_t i = n < 1 ? 0 : (size_t)(n - 1);

	if (p->nretry == 0)
		return SIM_MIN(30);
	if (i >= p->nretry)
		i = p->nretry - 1;
	return p->retry[i];
}

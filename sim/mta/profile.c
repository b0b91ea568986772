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

static const char *const self_names[] = {
#define XX(id, s) s,
    MTA_SELF_MAP(XX)
#undef XX
        NULL};

#define OFF(f) offsetof(struct mta_profile, f)

static const struct mta_knob knobs[] = {
    {"connect_timeout", KNOB_DURATION, OFF(connect_timeout), NULL,
        "give up a TCP connect after this long (0 = the kernel's limit, "
        "127 s on Linux)"},
    {"retry", KNOB_DURLIST, OFF(retry), NULL,
        "delays between delivery attempts; the last one repeats"},
    {"give_up", KNOB_DURATION, OFF(give_up), NULL,
        "queue lifetime: a message still undelivered after this long "
        "bounces"},
    {"equal_pref", KNOB_ENUM, OFF(equal_pref), order_names,
        "order of MX hosts with the same preference"},
    {"null_mx", KNOB_ENUM, OFF(null_mx), nullmx_names,
        "which MX sets mean 'no mail' (RFC 7505)"},
    {"address_order", KNOB_ENUM, OFF(address_order), aorder_names,
        "which family of an MX host's addresses is tried first"},
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

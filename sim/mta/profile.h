/*
 * profile.h - the knobs of a sending MTA.
 *
 * The C code implements mechanisms; a profile (a Lua table in
 * lua/profiles/<name>.lua, with the source of every value) chooses among
 * them.  This file lists every knob once, with its type and a one-line
 * meaning, so that the script layer can convert and check values by name,
 * "mxsim profiles" can print them, and a scenario can override any of them.
 */
#ifndef MX_PROFILE_H
#define MX_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/simtime.h"

#define MTA_RETRY_MAX 32

/* How MX hosts of equal preference are ordered (RFC 5321 §5.1 says
 * "MUST randomize"; real senders differ: Postfix shuffles addresses,
 * OpenSMTPD keeps the answer order). */
#define MTA_ORDER_MAP(XX)                                                      \
	XX(SHUFFLE, "shuffle") /* uniformly random per host */                 \
	XX(NONE, "none")       /* as the DNS answer lists them */

enum mta_order {
#define XX(id, s) MTA_ORDER_##id,
	MTA_ORDER_MAP(XX)
#undef XX
	    MTA_NORDERS
};

/* Which MX records make a domain "null MX" (RFC 7505). */
#define MTA_NULLMX_MAP(XX)                                                     \
	XX(ONLY, "only") /* a single "MX 0 ." record */                        \
	XX(ANY, "any")   /* any "." target in the set (Postfix) */

enum mta_nullmx {
#define XX(id, s) MTA_NULLMX_##id,
	MTA_NULLMX_MAP(XX)
#undef XX
	    MTA_NNULLMX
};

/* Which address family an MX host's addresses are tried in first. */
#define MTA_AORDER_MAP(XX)                                                     \
	XX(IPV6_FIRST, "ipv6-first") /* RFC 6724 default policy */             \
	XX(IPV4_FIRST, "ipv4-first") /* Exim ipv4_prefer, Postfix ipv4 */      \
	XX(RANDOM, "random")         /* Postfix smtp_address_preference=any */

enum mta_aorder {
#define XX(id, s) MTA_AORDER_##id,
	MTA_AORDER_MAP(XX)
#undef XX
	    MTA_NAORDERS
};

/* What a sender does with an MX host that is an alias (a CNAME). */
#define MTA_CNAME_MAP(XX)                                                      \
	XX(FOLLOW, "follow") /* Postfix, Exim, OpenSMTPD, Sendmail */          \
	XX(REFUSE, "refuse") /* RFC 2181 §10.3 strictly; hMailServer 5.7 */

enum mta_cname {
#define XX(id, s) MTA_CNAME_##id,
	MTA_CNAME_MAP(XX)
#undef XX
	    MTA_NCNAME
};

/* What a sender does with an MX whose exchange is an IP address. */
#define MTA_IPLIT_MAP(XX)                                                      \
	XX(REJECT, "reject") /* Exim allow_mx_to_ip = false */                 \
	XX(ACCEPT, "accept") /* Postfix (with a warning), OpenSMTPD */

enum mta_iplit {
#define XX(id, s) MTA_IPLIT_##id,
	MTA_IPLIT_MAP(XX)
#undef XX
	    MTA_NIPLIT
};

/* What a sender does when it finds itself among the MX hosts (RFC 5321
 * §5.1: discard its own preference and every worse one). */
#define MTA_SELF_MAP(XX)                                                       \
	XX(TRUNCATE, "truncate") /* Postfix, Sendmail: best MX -> bounce */    \
	XX(FREEZE, "freeze")     /* Exim self = freeze: best MX -> held */

enum mta_self {
#define XX(id, s) MTA_SELF_##id,
	MTA_SELF_MAP(XX)
#undef XX
	    MTA_NSELF
};

struct mta_profile {
	char name[32];                   /* profile name */
	sim_time_t connect_timeout;      /* give up on SYNs after */
	sim_time_t retry[MTA_RETRY_MAX]; /* delays between attempts */
	size_t nretry;                   /* entries; the last repeats */
	sim_time_t give_up;              /* queue lifetime, then bounce */
	enum mta_order equal_pref;       /* equal-preference order */
	enum mta_nullmx null_mx;         /* null MX recognition */
	enum mta_aorder address_order;   /* family order of an MX's addresses */
	enum mta_cname mx_cname;         /* an MX host that is a CNAME */
	enum mta_iplit mx_ip_literal;    /* an MX exchange that is an address */
	enum mta_self mx_self;           /* the sender among the MX hosts */
	bool implicit_mx;                /* NODATA -> the domain itself */
	int max_addresses;               /* addresses per attempt, 0 = all */
	sim_time_t greeting_timeout;     /* 220 greeting */
	sim_time_t helo_timeout;         /* EHLO/HELO reply */
	sim_time_t mail_timeout;         /* MAIL reply */
	sim_time_t rcpt_timeout;         /* RCPT reply */
	sim_time_t data_init_timeout;    /* 354 reply */
	sim_time_t data_done_timeout;    /* reply after "." */
	sim_time_t dns_timeout;          /* resolver per-try timeout */
	int dns_attempts;                /* resolver rounds */
};

enum mta_knob_type {
	KNOB_DURATION, /* a duration */
	KNOB_DURLIST,  /* a list of durations */
	KNOB_INT,      /* an integer >= 0 */
	KNOB_BOOL,     /* true or false */
	KNOB_ENUM,     /* one of 'choices' */
};

struct mta_knob {
	const char *name;           /* as scenarios and profiles spell it */
	enum mta_knob_type type;    /* value type */
	size_t off;                 /* offset in struct mta_profile */
	const char *const *choices; /* KNOB_ENUM: names, NULL-terminated */
	const char *doc;            /* one line: what it does */
};

/* The RFC 5321 baseline every profile starts from. */
void mta_profile_defaults(struct mta_profile *p);

const struct mta_knob *mta_knobs(size_t *n);
const struct mta_knob *mta_knob_find(const char *name);

/* Typed setters for the script layer; each returns false when the value
 * does not fit the knob (a wrong type or an unknown choice). */
bool mta_knob_set_duration(
    struct mta_profile *p, const struct mta_knob *k, sim_time_t v);
bool mta_knob_set_durlist(struct mta_profile *p, const struct mta_knob *k,
    const sim_time_t *v, size_t n);
bool mta_knob_set_int(
    struct mta_profile *p, const struct mta_knob *k, long long v);
bool mta_knob_set_bool(struct mta_profile *p, const struct mta_knob *k, bool v);
bool mta_knob_set_enum(
    struct mta_profile *p, const struct mta_knob *k, const char *v);

/* The knob's current value as text (durations as "30s"), for listings. */
char *mta_knob_str(const struct mta_profile *p, const struct mta_knob *k,
    char *buf, size_t len);

/* The retry delay after the n-th failed attempt (n >= 1). */
sim_time_t mta_profile_retry(const struct mta_profile *p, int n);

#endif

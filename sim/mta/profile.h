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
	XX(SHUFFLE, "shuffle")         /* uniformly random per host (Exim) */  \
	XX(NONE, "none")               /* as the DNS answer lists them */      \
	XX(PER_ADDRESS, "per-address") /* every address shuffled (Postfix) */  \
	XX(HASH, "hash")               /* per-process host hash (Sendmail) */

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

/* In which order MX preferences are walked. */
#define MTA_PREF_MAP(XX)                                                       \
	XX(ASCENDING, "ascending")   /* lowest first, RFC 5321 §5.1 */        \
	XX(DESCENDING, "descending") /* highest first (node-sendmail #57) */   \
	XX(ANSWER, "answer")         /* DNS answer order (mxclient #1) */

enum mta_pref {
#define XX(id, s) MTA_PREF_##id,
	MTA_PREF_MAP(XX)
#undef XX
	    MTA_NPREF
};

/* How the next delivery attempt is computed (sched.c). */
#define MTA_SCHED_MAP(XX)                                                      \
	XX(LIST, "list")       /* 'retry' delays, the last repeating */        \
	XX(POSTFIX, "postfix") /* clamp(age, backoff_min, backoff_max) */      \
	XX(EXIM, "exim")       /* 'retry_rules' from the first failure */      \
	XX(QUADRATIC,                                                          \
	    "quadratic")         /* queued + backoff_min * n^2 (OpenSMTPD) */  \
	XX(CHASQUID, "chasquid") /* by age: 1m, 5m, 10m, then 20m, jitter */   \
	XX(QUEUE_RUN, "queue-run") /* the next run of the whole queue */

enum mta_sched {
#define XX(id, s) MTA_SCHED_##id,
	MTA_SCHED_MAP(XX)
#undef XX
	    MTA_NSCHED
};

/* What a sender remembers about hosts that failed (hoststate.c). */
#define MTA_HMEM_MAP(XX)                                                       \
	XX(NONE, "none")               /* nothing: every attempt walks all */  \
	XX(DESTINATION, "destination") /* next-hop domain dead (Postfix) */    \
	XX(ADDRESS, "address")         /* per-IP retry record (Exim) */        \
	XX(ROUTE, "route") /* per-IP penalty 15 s p^2 (OpenSMTPD) */           \
	XX(HOST, "host")   /* per MX host name (Sendmail) */

enum mta_hmem {
#define XX(id, s) MTA_HMEM_##id,
	MTA_HMEM_MAP(XX)
#undef XX
	    MTA_NHMEM
};

/* What a reply or failure does to the recipients (§3.1 matrix). */
#define MTA_ACT_MAP(XX)                                                        \
	XX(NEXT, "next")     /* try the next address; the last one defers */   \
	XX(DEFER, "defer")   /* stop here and queue the message */             \
	XX(BOUNCE, "bounce") /* fail the recipients for good */                \
	XX(BOUNCE_IF_LAST, "bounce-if-last") /* next, or bounce at the last */

enum mta_act {
#define XX(id, s) MTA_ACT_##id,
	MTA_ACT_MAP(XX)
#undef XX
	    MTA_NACT
};

/* What a DNS failure of the MX lookup does (§3.4). */
#define MTA_DNSACT_MAP(XX)                                                     \
	XX(DEFER, "defer")       /* queue and retry (RFC 5321 §5.1) */        \
	XX(BOUNCE, "bounce")     /* permanent (Postfix NO_RECOVERY 5.4.3) */   \
	XX(IMPLICIT, "implicit") /* use the domain's address (Sendmail) */

enum mta_dnsact {
#define XX(id, s) MTA_DNSACT_##id,
	MTA_DNSACT_MAP(XX)
#undef XX
	    MTA_NDNSACT
};

/* The reply a null MX bounce carries (RFC 7505 §4 says 556 5.1.10;
 * Postfix's smtp_addr.c writes 5.1.0, mta-behavior.md §2.1). */
#define MTA_NMXREPLY_MAP(XX)                                                   \
	XX(RFC7505, "rfc7505") /* "556 5.1.10 ... has null MX" */              \
	XX(POSTFIX, "postfix") /* "5.1.0 Domain ... (nullMX)" */

enum mta_nmxreply {
#define XX(id, s) MTA_NMXREPLY_##id,
	MTA_NMXREPLY_MAP(XX)
#undef XX
	    MTA_NNMXREPLY
};

/* When a "delayed" DSN falls due (at a failed attempt). */
#define MTA_WARNAT_MAP(XX)                                                     \
	XX(AGE, "age")           /* the message is older than delay_warning */ \
	XX(NEXT_TRY, "next-try") /* the next attempt is past it (OpenSMTPD) */

enum mta_warnat {
#define XX(id, s) MTA_WARNAT_##id,
	MTA_WARNAT_MAP(XX)
#undef XX
	    MTA_NWARNAT
};

/* What dest_concurrency counts against (mta.c). */
#define MTA_CSCOPE_MAP(XX)                                                     \
	XX(DOMAIN, "domain")   /* delivery attempts per next-hop domain */     \
	XX(ADDRESS, "address") /* sessions per destination address */

enum mta_cscope {
#define XX(id, s) MTA_CSCOPE_##id,
	MTA_CSCOPE_MAP(XX)
#undef XX
	    MTA_NCSCOPE
};

#define MTA_RULES_MAX 8

/* The name of a host_memory value, as profiles write it. */
const char *mta_hmem_name(enum mta_hmem h);

/* One Exim retry rule item: "F,<cutoff>,<interval>" or
 * "G,<cutoff>,<interval>,<multiplier>" (Exim spec "Retry rules"). */
struct mta_rule {
	char kind;         /* 'F' fixed or 'G' geometric */
	sim_time_t cutoff; /* applies while the failure is younger */
	sim_time_t p1;     /* interval (G: the minimum) */
	double mult;       /* G: multiplier of the last gap */
};

struct mta_profile {
	char name[32];                   /* profile name */
	sim_time_t connect_timeout;      /* give up on SYNs after */
	sim_time_t retry[MTA_RETRY_MAX]; /* delays between attempts */
	size_t nretry;                   /* entries; the last repeats */
	sim_time_t give_up;              /* queue lifetime, then bounce */
	enum mta_order equal_pref;       /* equal-preference order */
	enum mta_nullmx null_mx;         /* null MX recognition */
	enum mta_nmxreply null_mx_reply; /* the text of its bounce */
	enum mta_aorder address_order;   /* family order of an MX's addresses */
	bool shuffle_in_family;          /* shuffle within each family (Exim) */
	bool balance_families;   /* both families within max_addresses */
	bool least_conn;         /* equal prefs: fewest sessions (OpenSMTPD) */
	enum mta_cname mx_cname; /* an MX host that is a CNAME */
	enum mta_iplit mx_ip_literal; /* an MX exchange that is an address */
	enum mta_self mx_self;        /* the sender among the MX hosts */
	bool implicit_mx;             /* NODATA -> the domain itself */
	int max_addresses;            /* addresses per attempt, 0 = all */
	sim_time_t greeting_timeout;  /* 220 greeting */
	sim_time_t helo_timeout;      /* EHLO/HELO reply */
	sim_time_t mail_timeout;      /* MAIL reply */
	sim_time_t rcpt_timeout;      /* RCPT reply */
	sim_time_t data_init_timeout; /* 354 reply */
	sim_time_t data_done_timeout; /* reply after "." */
	sim_time_t dns_timeout;       /* resolver per-try timeout */
	int dns_attempts;             /* resolver rounds */
	enum mta_sched schedule;      /* how the next attempt is found */
	sim_time_t backoff_min;       /* postfix/quadratic base */
	sim_time_t backoff_max;       /* postfix clamp */
	sim_time_t queue_run;         /* attempts on this grid, 0 = none */
	struct mta_rule rules[MTA_RULES_MAX]; /* exim retry rules */
	size_t nrules;                        /* how many */
	char rules_text[128];                 /* as written */
	sim_time_t retry_max;             /* longest gap (exim 24h), 0 = none */
	sim_time_t retry_jitter;          /* random extra delay, [0, this) */
	int max_attempts;                 /* bounce at this failure, 0 = none */
	sim_time_t delay_warning;         /* "delayed" DSN at this age, 0 off */
	bool delay_warning_repeat;        /* again every delay_warning (Exim) */
	enum mta_warnat delay_warning_at; /* what makes a warning due */
	enum mta_hmem host_memory;        /* what failed hosts leave behind */
	sim_time_t host_memory_time;      /* how long (route: the base) */
	enum mta_pref pref_order;         /* walk of the preferences */
	int mx_host_limit;                /* MX hosts used, 0 = all */
	int mx_session_limit;             /* sessions past EHLO, 0 = any */
	bool mx_lookahead;                /* exim: one address per level more */
	bool delay_after_cutoff;   /* exim: past cutoff, wait for retry time */
	int dest_concurrency;      /* at once per domain or address, 0 any */
	int dest_concurrency_init; /* starting window, +1 per success */
	enum mta_cscope concurrency_scope; /* per domain or per address */
	enum mta_act greeting_4xx;     /* 4xx (or timeout) at the greeting */
	enum mta_act greeting_5xx;     /* 5xx at the greeting */
	enum mta_act mail_4xx;         /* 4xx to MAIL FROM */
	enum mta_act rcpt_4xx;         /* 4xx to RCPT TO */
	enum mta_dnsact mx_servfail;   /* MX lookup SERVFAIL or timeout */
	enum mta_dnsact mx_norecovery; /* MX lookup REFUSED/NOTIMP/FORMERR */
	enum mta_dnsact no_address;    /* MX hosts exist, none resolves */
};

enum mta_knob_type {
	KNOB_DURATION, /* a duration */
	KNOB_DURLIST,  /* a list of durations */
	KNOB_INT,      /* an integer >= 0 */
	KNOB_BOOL,     /* true or false */
	KNOB_ENUM,     /* one of 'choices' */
	KNOB_RULES,    /* Exim retry rules as a string */
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

/* Parses "F,2h,15m; G,16h,1h,1.5; F,4d,6h" into the profile. */
bool mta_knob_set_rules(
    struct mta_profile *p, const struct mta_knob *k, const char *v);

/* The knob's current value as text (durations as "30s"), for listings. */
char *mta_knob_str(const struct mta_profile *p, const struct mta_knob *k,
    char *buf, size_t len);

/* The retry delay after the n-th failed attempt (n >= 1). */
sim_time_t mta_profile_retry(const struct mta_profile *p, int n);

#endif

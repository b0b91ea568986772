/*
 * fault.h - outage schedules: when a host misbehaves, and how.
 *
 * An outage is a half-open window [from, to) of simulated time with a kind
 * (what goes wrong), an optional service it is limited to (SMTP on port 25,
 * DNS on port 53, or the whole host) and kind-specific parameters.  The
 * schedule is data that the network, the DNS server and the SMTP server
 * query at the moment they act: nothing flips state when a window opens,
 * so an outage can never be "left on" by a missed event.
 *
 * Pure module: no 'struct sim', no trace.
 */
#ifndef MX_FAULT_H
#define MX_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/rng.h"
#include "../core/simtime.h"

/* Kinds, grouped by the layer that honours them. */
#define FAULT_KIND_MAP(XX)                                                     \
	XX(DOWN, "down", FAULT_LAYER_NET)                                      \
	XX(REFUSE, "refuse", FAULT_LAYER_NET)                                  \
	XX(UNREACHABLE, "unreachable", FAULT_LAYER_NET)                        \
	XX(FILTERED, "filtered", FAULT_LAYER_NET)                              \
	XX(LINK_DOWN, "link-down", FAULT_LAYER_LINK)                           \
	XX(LOSS, "loss", FAULT_LAYER_LINK)                                     \
	XX(REPLY, "reply", FAULT_LAYER_SMTP)                                   \
	XX(DROP, "drop", FAULT_LAYER_SMTP)                                     \
	XX(SLOW, "slow", FAULT_LAYER_SMTP)                                     \
	XX(GREYLIST, "greylist", FAULT_LAYER_SMTP)                             \
	XX(HANG, "hang", FAULT_LAYER_SMTP)                                     \
	XX(SERVFAIL, "servfail", FAULT_LAYER_DNS)                              \
	XX(REFUSED, "refused", FAULT_LAYER_DNS)                                \
	XX(NXDOMAIN, "nxdomain", FAULT_LAYER_DNS)                              \
	XX(TRUNCATE, "truncate", FAULT_LAYER_DNS)                              \
	XX(DNS_SLOW, "slow", FAULT_LAYER_DNS)                                  \
	XX(LAME, "lame", FAULT_LAYER_DNS)                                      \
	XX(NOTCP, "no-tcp", FAULT_LAYER_DNS)

enum fault_layer {
	FAULT_LAYER_NET,  /* a host's IP traffic */
	FAULT_LAYER_LINK, /* a link: every frame crossing it */
	FAULT_LAYER_SMTP, /* a mail exchanger's replies */
	FAULT_LAYER_DNS,  /* an authoritative server's answers */
};

enum fault_kind {
#define XX(id, name, layer) FAULT_##id,
	FAULT_KIND_MAP(XX)
#undef XX
	    FAULT_NKINDS
};

enum fault_service {
	FAULT_SVC_ANY,  /* the whole host */
	FAULT_SVC_SMTP, /* TCP port 25 only */
	FAULT_SVC_DNS,  /* port 53 only */
};

/* SMTP phases at which an SMTP-layer outage acts. */
#define SMTP_PHASE_MAP(XX)                                                     \
	XX(GREETING, "greeting")                                               \
	XX(EHLO, "ehlo")                                                       \
	XX(MAIL, "mail")                                                       \
	XX(RCPT, "rcpt")                                                       \
	XX(DATA, "data")                                                       \
	XX(DOT, "dot")

enum smtp_phase {
#define XX(id, name) SMTP_PHASE_##id,
	SMTP_PHASE_MAP(XX)
#undef XX
	    SMTP_NPHASES
};

struct fault {
	sim_time_t from;        /* window start, inclusive */
	sim_time_t to;          /* window end, exclusive; SIM_NEVER = open */
	enum fault_kind kind;   /* what goes wrong */
	enum fault_service svc; /* where */
	enum smtp_phase at;     /* SMTP kinds: the phase that misbehaves */
	int reply_code;         /* kind 'reply': three-digit code */
	const char *reply_text; /* borrowed; kind 'reply': "451 4.3.2 ..." */
	sim_time_t delay;       /* kind 'slow': wait before replying */
	double rate;            /* kind 'loss': probability a frame is lost */
	uint8_t family;         /* network kinds: 4 or 6 only, 0 = both */
	sim_time_t retry_after; /* greylist: earliest accepted retry */
	sim_time_t window;      /* greylist: how long a first try counts */
	double probability;     /* SMTP kinds: share of connections hit
	                           (drawn per connection), 0 or 1 = all */
	int index; /* position among the host's outages, for traces */
};

struct fault_sched {
	const struct fault *v; /* borrowed array, in declaration order */
	size_t n;              /* number of outages */
};

const char *fault_kind_name(enum fault_kind k);
enum fault_layer fault_kind_layer(enum fault_kind k);
bool fault_kind_parse(const char *s, enum fault_kind *out);
const char *fault_svc_name(enum fault_service s);
bool fault_svc_parse(const char *s, enum fault_service *out);
const char *smtp_phase_name(enum smtp_phase p);
bool smtp_phase_parse(const char *s, enum smtp_phase *out);

static inline bool
fault_active(const struct fault *f, sim_time_t t)
{
	return t >= f->from && t < f->to;
}

/* The first network-layer outage active at 't' that covers traffic of
 * service 'svc' (FAULT_SVC_ANY: traffic of no named service) and IP
 * version 'family' (4 or 6); NULL if none.  An outage declared for the
 * whole host covers every service, one without a family both families. */
const struct fault *fault_net(const struct fault_sched *s,
    enum fault_service svc, uint8_t family, sim_time_t t);

/* The first link outage active at 't' for frames of IP version 'family'. */
const struct fault *fault_link(
    const struct fault_sched *s, uint8_t family, sim_time_t t);

/* Whether an SMTP-layer outage hits only a share of the connections,
 * drawn once per connection: 0 < probability < 1.  Any other value means
 * every connection, so only these outages cost a random draw. */
bool fault_smtp_drawn(const struct fault *f);

/* The first SMTP-layer outage active at 't' for phase 'at', among the
 * outages a session is subject to: bit i of 'mask' (mask[i / 8] >> i % 8)
 * stands for s->v[i]; NULL = every outage.  NULL if none. */
const struct fault *fault_smtp_among(const struct fault_sched *s,
    enum smtp_phase at, sim_time_t t, const uint8_t *mask);

/* The first DNS-layer outage active at 't' that shapes answers (every
 * DNS kind but 'no-tcp', which the network applies and which may overlap
 * one of them); NULL if none. */
const struct fault *fault_dns(const struct fault_sched *s, sim_time_t t);

/* The first outage of 'kind' active at 't'; NULL if none. */
const struct fault *fault_of_kind(
    const struct fault_sched *s, enum fault_kind kind, sim_time_t t);

/* Called for each window [from, to) a random model draws. */
typedef void fault_window_fn(void *ctx, sim_time_t from, sim_time_t to);

/*
 * The random outage model: from 'from' on, an up time then a down time,
 * again and again, each drawn from an exponential distribution of mean
 * 'mtbf' and 'mttr' (memoryless failures and repairs: the usual reading
 * of MTBF and MTTR), in whole milliseconds, until 'end'.  A window still
 * open at 'end' reaches 'open_to' (SIM_NEVER for an outage without 'to').
 * The draws come from 'r' alone, so the windows depend only on its seed.
 */
void fault_random_windows(struct rng *r, sim_time_t from, sim_time_t end,
    sim_time_t open_to, sim_time_t mtbf, sim_time_t mttr, fault_window_fn *fn,
    void *ctx);

#endif

/*
 * mta.h - the sending MTA role of a host: a queue of messages, delivery
 * attempts that walk the MX list, retries, bounces.
 *
 * Delivery follows RFC 5321 §5.1 with the choices of a profile (profile.h):
 * look up MX, order it, look up the address of each MX host, try the
 * addresses in order until the recipients are settled, and queue what is
 * left for a retry.  Every decision is a trace line, and every recipient
 * keeps the list of connection attempts made for it, for expectations.
 */
#ifndef MX_MTA_H
#define MX_MTA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../dns/resolv.h"
#include "../net/net.h"
#include "../smtp/mailbox.h"
#include "profile.h"

struct mta_params {
	struct mta_profile prof;  /* behaviour */
	struct resolv_params res; /* nameservers (timing from 'prof') */
	const char *hostname;     /* borrowed FQDN: EHLO, Message-ID */
	int64_t epoch;            /* calendar start, for Date: */
	const char *scenario;     /* borrowed scenario name, for bodies */
	struct mailbox *local;    /* borrowed: where DSNs for local senders
	                             go (the host's own mailbox), or NULL */
};

#define MTA_OUTCOME_MAP(XX)                                                    \
	XX(DEFERRED, "deferred")   /* still queued */                          \
	XX(DELIVERED, "delivered") /* a server took responsibility */          \
	XX(BOUNCED, "bounced")     /* given up: permanent error or expiry */

enum mta_outcome {
#define XX(id, s) MTA_##id,
	MTA_OUTCOME_MAP(XX)
#undef XX
};

const char *mta_outcome_name(enum mta_outcome o);

/* One connection attempt made for a recipient. */
struct mta_attempt {
	char host[64];              /* label of the host at that address */
	char addr[NET_ADDR_STRLEN]; /* the address */
	uint16_t pref;              /* MX preference it was tried at */
	char result[16];  /* delivered, timeout, refused, ..., "451" */
	sim_time_t start; /* connect started */
	sim_time_t end;   /* result known */
	int delivery;     /* which delivery attempt (1 = first) */
};

struct mta_rcpt_result {
	uint64_t msg;             /* scenario message number */
	const char *rcpt;         /* borrowed recipient address */
	enum mta_outcome outcome; /* where it stands */
	sim_time_t t;             /* when delivered/bounced, else -1 */
	const char *via;          /* label handed to, "" if none */
	const char *reason;       /* last reply or error text */
	const struct mta_attempt *attempts; /* borrowed, in order */
	size_t nattempts;                   /* how many */
	int deliveries;                     /* delivery attempts for it */
};

struct mta;

struct mta *mta_new(struct net_host *h, const struct mta_params *p);
void mta_free(struct mta *m);

/* Queues a message at simulated time 'at' (scheduled as an event).  The
 * strings are copied.  'size' is the approximate message size in bytes
 * (0 = a short message); 'subject' may be NULL. */
void mta_submit(struct mta *m, sim_time_t at, uint64_t num, const char *from,
    const char *const *to, size_t nto, size_t size, const char *subject);

/* Queues a message this host accepted as a backup MX (its mail
 * exchanger role stored it): forwarded as it is, Received: lines
 * included, to the best MX above this host (RFC 5321 §5.1).  A bounce
 * goes back to 'from' as a DSN through the network. */
void mta_relay(struct mta *m, uint64_t num, const char *from, const char *rcpt,
    const char *data, size_t size);

/* The recipients' results so far, in submission order. */
size_t mta_results(
    const struct mta *m, struct mta_rcpt_result *out, size_t max);
size_t mta_nresults(const struct mta *m);

#endif

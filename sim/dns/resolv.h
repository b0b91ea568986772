/*
 * resolv.h - the stub resolver inside every sender, with glibc's timing.
 *
 * A query goes to the configured nameservers in turn (at most three, as
 * glibc's MAXNS), for 'attempts' rounds.  The wait for an answer is
 * glibc's send_dg() formula, which depends on the server's index n in
 * the list, not on the round: "seconds = retrans << n; if (n > 0) seconds
 * /= nscount", whole seconds, at least 1 s.  So one server with 5 s and 2
 * attempts waits 5 + 5 = 10 s in all; two servers 5 + 5 per round, 20 s;
 * three 5 + 3 + 6 per round, 28 s.  SERVFAIL, REFUSED and NOTIMP answers
 * and an ICMP error move on to the next server at once.  Each server gets
 * its own UDP socket (a port of its own), kept across rounds; a SERVFAIL,
 * REFUSED or NOTIMP answer closes them all (close_and_return_error()), and
 * the query's end closes them too, so a late answer meets a closed port.
 * An answer with TC set is asked again over TCP to the same server
 * (send_vc()); from then on the query stays on TCP, one try per remaining
 * server of that round and no further round ("try = statp->retry").
 * glibc's connect() has no timeout of its own: a server that drops TCP
 * costs the kernel's SYN retries, 127 s on Linux.  Once connected we wait
 * the UDP try's time for the answer (glibc's read() would wait for ever).
 * Over TCP any complete answer ends the query (SERVFAIL included).  A
 * NOERROR answer with no records, no AA, no RA and no additional data (a
 * glueless referral) counts as no answer: the next server.  With 'rotate'
 * the first query starts at a random server and each later one at the
 * next (glibc 2.26+ nameserver_offset()).  No caching: glibc's stub has
 * none.
 */
#ifndef MX_RESOLV_H
#define MX_RESOLV_H

#include <stdbool.h>
#include <stdint.h>

#include "../net/net.h"
#include "dnsmsg.h"

#define RESOLV_MAXNS      3  /* glibc MAXNS */
#define RESOLV_MAXRETRANS 30 /* glibc RES_MAXRETRANS: timeout cap, s */
#define RESOLV_MAXRETRY   5  /* glibc RES_MAXRETRY: attempts cap */

#define RESOLV_STATUS_MAP(XX)                                                  \
	XX(OK, "ok")             /* NOERROR with answers */                    \
	XX(NODATA, "nodata")     /* NOERROR, no record of the type */          \
	XX(CNAME, "cname")       /* an alias whose target is elsewhere */      \
	XX(NXDOMAIN, "nxdomain") /* the name does not exist */                 \
	XX(SERVFAIL, "servfail") /* every server failed */                     \
	XX(REFUSED, "refused")   /* REFUSED/NOTIMP/FORMERR answers */          \
	XX(TIMEOUT, "timeout")   /* no answer at all */                        \
	XX(UNREACHABLE, "unreachable") /* ICMP errors, no timeout */

enum resolv_status {
#define XX(id, s) RESOLV_##id,
	RESOLV_STATUS_MAP(XX)
#undef XX
};

const char *resolv_status_name(enum resolv_status s);

struct resolv_params {
	struct net_addr ns[RESOLV_MAXNS]; /* nameservers, in order */
	size_t nns;                       /* how many */
	sim_time_t timeout;               /* glibc RES_TIMEOUT: 5 s (<= 30) */
	int attempts;                     /* glibc RES_DFLRETRY: 2 (<= 5) */
	bool rotate;                      /* glibc "options rotate" */
};

void resolv_params_default(struct resolv_params *p);

struct resolv_answer {
	enum resolv_status status; /* outcome */
	const struct dns_msg *msg; /* borrowed deciding response, or NULL;
	                              valid until the callback returns */
	const char *qname;         /* as asked */
	uint16_t qtype;            /* as asked */
	int tries;                 /* tries made, over UDP and TCP */
	bool tcp;                  /* the deciding answer came over TCP */
	char cname[DNS_NAME_MAX];  /* RESOLV_CNAME: the alias's target */
};

typedef void resolv_fn(void *ctx, const struct resolv_answer *a);

struct resolv;

struct resolv *resolv_new(struct net_host *h, const struct resolv_params *p);
void resolv_free(struct resolv *r);

/* Starts a query; 'fn' is called exactly once, from a later event, unless
 * the query is cancelled first.  Returns a handle (never 0). */
uint32_t resolv_query(struct resolv *r, const char *name, uint16_t type,
    resolv_fn *fn, void *ctx);
void resolv_cancel(struct resolv *r, uint32_t handle);

#endif

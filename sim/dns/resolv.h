/*
 * resolv.h - the stub resolver inside every sender, with glibc's timing.
 *
 * A query goes to the configured nameservers in turn (at most three, as
 * glibc's MAXNS), for 'attempts' rounds.  The wait for an answer follows
 * glibc's send_dg(): 'timeout' in the first round, (timeout << k) / nscount
 * in round k > 0 (res_send.c send_dg(); one server, 5 s and 2 attempts
 * gives up after 5 + 10 = 15 s).  SERVFAIL, REFUSED and NOTIMP answers and
 * an ICMP error move on to the next server at once, as glibc does.  No
 * caching: glibc's stub has none.
 */
#ifndef MX_RESOLV_H
#define MX_RESOLV_H

#include <stdbool.h>
#include <stdint.h>

#include "../net/net.h"
#include "dnsmsg.h"

#define RESOLV_MAXNS 3

#define RESOLV_STATUS_MAP(XX)                                                  \
	XX(OK, "ok")                   /* NOERROR with answers */              \
	XX(NODATA, "nodata")           /* NOERROR, no record of the type */    \
	XX(NXDOMAIN, "nxdomain")       /* the name does not exist */           \
	XX(SERVFAIL, "servfail")       /* every server failed */               \
	XX(REFUSED, "refused")         /* REFUSED/NOTIMP/FORMERR answers */    \
	XX(TIMEOUT, "timeout")         /* no answer at all */                  \
	XX(UNREACHABLE, "unreachable") /* ICMP errors only */

enum resolv_status {
#define XX(id, s) RESOLV_##id,
	RESOLV_STATUS_MAP(XX)
#undef XX
};

const char *resolv_status_name(enum resolv_status s);

struct resolv_params {
	struct net_addr ns[RESOLV_MAXNS]; /* nameservers, in order */
	size_t nns;                       /* how many */
	sim_time_t timeout;               /* glibc RES_TIMEOUT: 5 s */
	int attempts;                     /* glibc RES_DFLRETRY: 2 */
	bool rotate;                      /* glibc "options rotate" */
};

void resolv_params_default(struct resolv_params *p);

struct resolv_answer {
	enum resolv_status status; /* outcome */
	const struct dns_msg *msg; /* the deciding response, or NULL */
	const char *qname;         /* as asked */
	uint16_t qtype;            /* as asked */
	int tries;                 /* datagrams sent */
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

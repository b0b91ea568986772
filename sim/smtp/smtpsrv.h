/*
 * smtpsrv.h - the mail exchanger role of a host: an RFC 5321 server on
 * TCP port 25 that stores what it accepts in the host's mailbox, and that
 * misbehaves as the host's SMTP outages say (reply, drop, slow, hang,
 * greylist; each for every connection or for a drawn share of them).
 */
#ifndef MX_SMTPSRV_H
#define MX_SMTPSRV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../net/net.h"
#include "mailbox.h"

struct smtpsrv_params {
	const char *hostname;         /* borrowed FQDN for banner, EHLO */
	const char *const *domains;   /* borrowed: domains we take mail for */
	size_t ndomains;              /* 0 = any domain (no relay check) */
	const char *const *mailboxes; /* borrowed known recipients */
	size_t nmailboxes;            /* 0 = every local part accepted */
	size_t size_limit;            /* SIZE; Postfix message_size_limit */
	int max_conns;                /* concurrent sessions before 421 */
	int hopcount_limit;           /* Received: headers that make a loop;
	                                 Postfix hopcount_limit */
	int64_t epoch;                /* calendar start, for Received: */
};

void smtpsrv_params_default(struct smtpsrv_params *p);

/* Called when a message has been accepted and stored (for relaying). */
typedef void smtpsrv_stored_fn(void *ctx, const struct mailbox_msg *m);

struct smtpsrv;

/* Starts listening on port 25 of 'h'.  'mb' (borrowed) receives accepted
 * mail.  Returns NULL when the port is taken. */
struct smtpsrv *smtpsrv_new(
    struct net_host *h, const struct smtpsrv_params *p, struct mailbox *mb);
void smtpsrv_free(struct smtpsrv *s);
void smtpsrv_on_stored(struct smtpsrv *s, smtpsrv_stored_fn *fn, void *ctx);

#endif

/*
 * smtpcli.h - one SMTP client session: connect, EHLO, MAIL, RCPT..., DATA,
 * the message, QUIT, with a timeout per step.
 *
 * The session reports one result as soon as the delivery is decided (the
 * final reply after ".", or whatever ended it early); a polite QUIT and the
 * TCP close may continue in the background afterwards.  The caller (the
 * sending MTA) decides what a result means for the message: this module
 * only says what happened.
 */
#ifndef MX_SMTPCLI_H
#define MX_SMTPCLI_H

#include <stdbool.h>
#include <stddef.h>

#include "../fault/fault.h"
#include "../net/net.h"

struct smtpcli_params {
	const char *helo;           /* borrowed EHLO/HELO argument */
	sim_time_t connect_timeout; /* 0 = the kernel's SYN limit */
	sim_time_t t_greeting;      /* waiting for 220 (RFC 5321: 5 min) */
	sim_time_t t_ehlo;          /* EHLO/HELO reply */
	sim_time_t t_mail;          /* MAIL reply (5 min) */
	sim_time_t t_rcpt;          /* each RCPT reply (5 min) */
	sim_time_t t_data_init;     /* 354 after DATA (2 min) */
	sim_time_t t_data_done;     /* reply after "." (10 min) */
	sim_time_t t_quit;          /* 221 after QUIT */
	bool helo_fallback;         /* EHLO 5xx -> HELO (RFC 5321 §3.2) */
};

/* RFC 5321 §4.5.3.2 minimum timeouts; no connect timeout of its own. */
void smtpcli_params_default(struct smtpcli_params *p);

struct smtpcli_msg {
	const char *from;         /* borrowed envelope sender */
	const char *const *rcpts; /* borrowed envelope recipients */
	size_t nrcpts;            /* how many (>= 1) */
	const char *data;         /* borrowed message, CRLF lines */
	size_t size;              /* its length */
};

#define SMTPCLI_END_MAP(XX)                                                    \
	XX(DELIVERED, "delivered")     /* 2xx after "." */                     \
	XX(CONNECT_TIMEOUT, "timeout") /* no answer to our SYNs */             \
	XX(REFUSED, "refused")         /* RST in answer to the SYN */          \
	XX(UNREACHABLE, "unreachable") /* ICMP error while connecting */       \
	XX(REPLY, "reply")             /* a non-success reply ended it */      \
	XX(RCPTS_FAILED, "rcpts")      /* every RCPT was refused */            \
	XX(TIMEOUT, "cmd-timeout")     /* no reply within a command timeout */ \
	XX(DROPPED, "dropped")         /* the server closed or reset */

enum smtpcli_end {
#define XX(id, s) SMTPCLI_##id,
	SMTPCLI_END_MAP(XX)
#undef XX
};

const char *smtpcli_end_name(enum smtpcli_end e);

struct smtpcli_result {
	enum smtpcli_end end;    /* how it ended */
	enum smtp_phase phase;   /* where (for REPLY/TIMEOUT/DROPPED) */
	int code;                /* reply code that ended it, or 0 */
	const char *reply;       /* borrowed first line of that reply */
	const int *rcpt_code;    /* borrowed per-recipient RCPT codes */
	size_t nrcpts;           /* entries in 'rcpt_code' */
	bool greeted;            /* a 2xx greeting was received */
	bool ehlo_ok;            /* EHLO/HELO succeeded (session limit) */
	int syns;                /* SYNs sent while connecting */
	sim_time_t connected_at; /* handshake completion, or -1 */
};

typedef void smtpcli_done_fn(void *ctx, const struct smtpcli_result *r);

struct smtpcli;

/* The sessions of one owner (a sending MTA): a session stays in its set
 * until its connection is fully closed, and smtpcli_set_fini() releases
 * whatever is left at the end of a run. */
struct smtpcli_set {
	struct smtpcli *head; /* owned sessions */
};

void smtpcli_set_init(struct smtpcli_set *set);
void smtpcli_set_fini(struct smtpcli_set *set);

/* Starts a session to 'dst' port 'port' from host 'h'.  'done' is called
 * exactly once, from a later event (never from inside this call), unless
 * the session is aborted first.  Everything borrowed must outlive that
 * call; the session copies nothing it does not need after it. */
struct smtpcli *smtpcli_start(struct smtpcli_set *set, struct net_host *h,
    const struct net_addr *dst, uint16_t port, const struct smtpcli_params *p,
    const struct smtpcli_msg *msg, smtpcli_done_fn *done, void *ctx);

/* Abandons the session without a result (the connection is reset). */
void smtpcli_abort(struct smtpcli *c);

#endif

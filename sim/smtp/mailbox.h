/*
 * mailbox.h - what a mail exchanger has stored: every message it accepted,
 * with when, from whom, for whom and through which client.
 */
#ifndef MX_MAILBOX_H
#define MX_MAILBOX_H

#include <stddef.h>
#include <stdint.h>

#include "../core/simtime.h"

struct mailbox_msg {
	uint64_t msg; /* scenario message number, 0 = not ours */
	char *from;   /* owned envelope sender */
	char *rcpt;   /* owned envelope recipient */
	sim_time_t t; /* when the final reply was sent */
	char *client; /* owned label (or address) of the client */
	char *data;   /* owned message as stored, Received: first */
	size_t size;  /* bytes of 'data' */
};

struct mailbox {
	const char *host;      /* borrowed label of the host */
	struct mailbox_msg *v; /* owned messages in arrival order */
	size_t n;              /* messages */
	size_t cap;            /* capacity */
};

void mailbox_init(struct mailbox *mb, const char *host);
void mailbox_fini(struct mailbox *mb);
/* Stores a copy of everything given. */
void mailbox_add(struct mailbox *mb, uint64_t msg, const char *from,
    const char *rcpt, sim_time_t t, const char *client, const char *data,
    size_t size);

/* The scenario message number in a Message-ID that mxsim wrote
 * ("<N.tag@host>"), or 0. */
uint64_t mailbox_msg_number(const char *data, size_t size);

#endif

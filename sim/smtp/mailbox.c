/*
 * mailbox.c - stored messages.
 */
#include "mailbox.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/err.h"

void
mailbox_init(struct mailbox *mb, const char *host)
{
	memset(mb, 0, sizeof(*mb));
	mb->host = host;
}

void
mailbox_fini(struct mailbox *mb)
{
	size_t i;

	for (i = 0; i < mb->n; i++) {
		free(mb->v[i].from);
		free(mb->v[i].rcpt);
		free(mb->v[i].client);
		free(mb->v[i].data);
	}
	free(mb->v);
	memset(mb, 0, sizeof(*mb));
}

void
mailbox_add(struct mailbox *mb, uint64_t msg, const char *from,
    const char *rcpt, sim_time_t t, const char *client, const char *data,
    size_t size)
{
	struct mailbox_msg *m;
	void *a = mb->v;

	mx_grow(&a, &mb->cap, mb->n + 1, sizeof(*mb->v));
	mb->v = a;
	m = &mb->v[mb->n++];
	m->msg = msg;
	m->from = mx_xstrdup(from);
	m->rcpt = mx_xstrdup(rcpt);
	m->t = t;
	m->client = mx_xstrdup(client);
	m->data = mx_xstrndup(data, size);
	m->size = size;
}

uint64_t
mailbox_msg_number(const char *data, size_t size)
{
	const char *p = data, *end = data + size;

	/* Header lines only: stop at the first empty line. */
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);

		if (n == 0 || (n == 1 && p[0] == '\r'))
			break;
		if (n > 12 && strncasecmp(p, "Message-ID:", 11) == 0) {
			const char *q = p + 11;
			uint64_t v = 0;

			while (q < p + n && (*q == ' ' || *q == '\t'))
				q++;
			if (q < p + n && *q == '<') {
				q++;
				while (q < p + n && isdigit((unsigned char)*q))
					v = v * 10 + (uint64_t)(*q++ - '0');
				if (q < p + n && *q == '.')
					return v;
			}
			return 0;
		}
		p += n + 1;
	}
	return 0;
}

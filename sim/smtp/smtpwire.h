/*
 * smtpwire.h - SMTP lines, commands and replies (RFC 5321 §2.3.8, §4.1,
 * §4.2), without any notion of time or connection.
 *
 * Pure module: a line splitter that accumulates bytes from TCP and yields
 * CRLF-terminated lines, a command parser, and a reply parser that joins
 * multi-line replies ("250-..." continuation lines, "250 ..." last line).
 */
#ifndef MX_SMTPWIRE_H
#define MX_SMTPWIRE_H

#include <stdbool.h>
#include <stddef.h>

#define SMTP_LINE_MAX  1000 /* RFC 5321 §4.5.3.1.4: text line, CRLF incl. */
#define SMTP_REPLY_MAX 2048 /* a whole (multi-line) reply kept as text */

struct smtp_linebuf {
	char *buf;  /* owned bytes not yet returned as lines */
	size_t len; /* bytes held */
	size_t cap; /* capacity */
	size_t off; /* start of the next line */
};

void smtp_linebuf_init(struct smtp_linebuf *lb);
void smtp_linebuf_fini(struct smtp_linebuf *lb);
void smtp_linebuf_add(struct smtp_linebuf *lb, const void *p, size_t n);
/* Returns the next complete line (without CRLF) and its length, or NULL.
 * The pointer stays valid until the next call. */
const char *smtp_linebuf_next(struct smtp_linebuf *lb, size_t *len);

struct smtp_reply {
	int code;                  /* three-digit code, 0 while empty */
	int nlines;                /* lines so far */
	bool done;                 /* the last line has been seen */
	char text[SMTP_REPLY_MAX]; /* lines without codes, '\n' joined */
	char first[SMTP_LINE_MAX]; /* the first line as received */
};

void smtp_reply_init(struct smtp_reply *r);
/* Feeds one line; returns 1 when the reply is complete, 0 when more lines
 * are needed, -1 when the line is not a reply line (or its code differs
 * from the first line's, RFC 5321 §4.2.1). */
int smtp_reply_feed(struct smtp_reply *r, const char *line, size_t len);

/* The enhanced status code of a reply ("4.3.2"), or "" (RFC 3463). */
void smtp_reply_enhanced(const struct smtp_reply *r, char *out, size_t len);

/* Splits a command line into an upper-case verb and its argument. */
void smtp_cmd_parse(
    const char *line, size_t len, char *verb, size_t vlen, const char **arg);

/* Extracts the address between '<' and '>' after "FROM:" or "TO:"
 * (case-insensitive); false when malformed. */
bool smtp_path_parse(
    const char *arg, const char *prefix, char *out, size_t len);

/* Checks a reply string as a scenario gives it ("451 4.3.2 try later"):
 * a code from 200 to 599 followed by a space and text, or the code alone. */
bool smtp_reply_valid(const char *s);

#endif

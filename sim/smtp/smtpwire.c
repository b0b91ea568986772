/*
 * smtpwire.c - SMTP line, command and reply handling.
 *
 * Lines end in CRLF (RFC 5321 §2.3.8); a bare LF is accepted as an end of
 * line too, as lenient real servers do, but we never send one.
 */
#include "smtpwire.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/err.h"

void
smtp_linebuf_init(struct smtp_linebuf *lb)
{
	memset(lb, 0, sizeof(*lb));
}

void
smtp_linebuf_fini(struct smtp_linebuf *lb)
{
	free(lb->buf);
	memset(lb, 0, sizeof(*lb));
}

void
smtp_linebuf_add(struct smtp_linebuf *lb, const void *p, size_t n)
{
	if (lb->off > 0 && lb->off == lb->len)
		lb->off = lb->len = 0;
	if (lb->off > 0 && lb->len + n > lb->cap) {
		memmove(lb->buf, lb->buf + lb->off, lb->len - lb->off);
		lb->len -= lb->off;
		lb->off = 0;
	}
	if (lb->len + n + 1 > lb->cap) {
		size_t cap = lb->cap ? lb->cap : 256;

		while (cap < lb->len + n + 1)
			cap *= 2;
		lb->buf = mx_xrealloc(lb->buf, cap);
		lb->cap = cap;
	}
	memcpy(lb->buf + lb->len, p, n);
	lb->len += n;
}

const char *
smtp_linebuf_next(struct smtp_linebuf *lb, size_t *len)
{
	char *start;
	char *nl;
	size_t n;

	/* Before the first add 'buf' is NULL: no arithmetic on it. */
	if (lb->off >= lb->len)
		return NULL;
	start = lb->buf + lb->off;
	nl = memchr(start, '\n', lb->len - lb->off);
	if (nl == NULL)
		return NULL;
	n = (size_t)(nl - start);
	lb->off += n + 1;
	if (n > 0 && start[n - 1] == '\r')
		n--;
	start[n] = '\0';
	*len = n;
	return start;
}

void
smtp_reply_init(struct smtp_reply *r)
{
	memset(r, 0, sizeof(*r));
}

int
smtp_reply_feed(struct smtp_reply *r, const char *line, size_t len)
{
	int code;
	size_t tl;

	if (len < 3 || !isdigit((unsigned char)line[0]) ||
	    !isdigit((unsigned char)line[1]) ||
	    !isdigit((unsigned char)line[2]))
		return -1;
	if (len > 3 && line[3] != ' ' && line[3] != '-')
		return -1;
	code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
	if (code < 200 || code > 599)
		return -1;
	if (r->nlines > 0 && code != r->code)
		return -1;
	if (r->nlines == 0) {
		r->code = code;
		snprintf(r->first, sizeof(r->first), "%.*s", (int)len, line);
	}
	tl = strlen(r->text);
	snprintf(r->text + tl, sizeof(r->text) - tl, "%s%.*s",
	    r->nlines > 0 ? "\n" : "", len > 4 ? (int)(len - 4) : 0,
	    len > 4 ? line + 4 : "");
	r->nlines++;
	if (len == 3 || line[3] == ' ') {
		r->done = true;
		return 1;
	}
	return 0;
}

void
smtp_reply_enhanced(const struct smtp_reply *r, char *out, size_t len)
{
	const char *t = r->text;
	int a, b, c, n = 0;
	/* Digits and dots only: %d alone would take a sign or spaces. */
	size_t k = strspn(t, "0123456789.");

	out[0] = '\0';
	/* RFC 3463: class.subject.detail, class matching the reply's. */
	if (sscanf(t, "%1d.%3d.%3d%n", &a, &b, &c, &n) == 3 && (size_t)n == k &&
	    (t[n] == '\0' || t[n] == ' ' || t[n] == '\n') && a == r->code / 100)
		snprintf(out, len, "%d.%d.%d", a, b, c);
}

void
smtp_cmd_parse(
    const char *line, size_t len, char *verb, size_t vlen, const char **arg)
{
	size_t i = 0;

	while (i < len && line[i] != ' ' && i + 1 < vlen) {
		verb[i] = (char)toupper((unsigned char)line[i]);
		i++;
	}
	verb[i] = '\0';
	while (i < len && line[i] != ' ')
		i++;
	while (i < len && line[i] == ' ')
		i++;
	*arg = line + i;
}

bool
smtp_path_parse(const char *arg, const char *prefix, char *out, size_t len)
{
	size_t pl = strlen(prefix);
	const char *lt, *gt;

	if (strncasecmp(arg, prefix, pl) != 0)
		return false;
	arg += pl;
	while (*arg == ' ')
		arg++;
	lt = arg;
	if (*lt != '<')
		return false;
	gt = strchr(lt, '>');
	if (gt == NULL || (size_t)(gt - lt - 1) >= len)
		return false;
	memcpy(out, lt + 1, (size_t)(gt - lt - 1));
	out[gt - lt - 1] = '\0';
	return true;
}

bool
smtp_reply_valid(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 3 || n > 512)
		return false;
	for (i = 0; i < 3; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	if (s[0] < '2' || s[0] > '5')
		return false;
	if (n > 3 && s[3] != ' ')
		return false;
	for (i = 0; i < n; i++)
		if (s[i] == '\r' || s[i] == '\n')
			return false;
	return true;
}

/*
 * err.c - the error record, error names, and allocation wrappers.
 */
#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
mx_err_vset(struct mx_err *err, int code, const char *fmt, va_list ap)
{
	if (err != NULL) {
		err->code = code;
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	}
	return code;
}

int
mx_err_set(struct mx_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mx_err_vset(err, code, fmt, ap);
	va_end(ap);
	return code;
}

void
mx_err_clear(struct mx_err *err)
{
	err->code = 0;
	err->msg[0] = '\0';
}

const char *
mx_strerror(int code)
{
	switch (code) {
	case MX_OK:
		return "success";
#define XX(name, val, msg)                                                     \
	case MX_##name:                                                        \
		return msg;
		MX_ERRNO_MAP(XX)
#undef XX
	}
	return "unknown error";
}

const char *
mx_err_name(int code)
{
	switch (code) {
	case MX_OK:
		return "OK";
#define XX(name, val, msg)                                                     \
	case MX_##name:                                                        \
		return #name;
		MX_ERRNO_MAP(XX)
#undef XX
	}
	return "UNKNOWN";
}

static void *
oom(size_t n)
{
	fprintf(stderr, "mxsim: out of memory (%zu bytes)\n", n);
	abort();
}

void *
mx_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	return p ? p : oom(n);
}

void *
mx_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	return p ? p : oom(n * size);
}

void *
mx_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	return q ? q : oom(n);
}

char *
mx_xstrdup(const char *s)
{
	return mx_xstrndup(s, strlen(s));
}

char *
mx_xstrndup(const char *s, size_t n)
{
	char *p = mx_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
mx_grow(void **arr, size_t *cap, size_t need, size_t size)
{
	size_t ncap;

	if (need <= *cap)
		return;
	ncap = *cap ? *cap : 8;
	while (ncap < need)
		ncap *= 2;
	*arr = mx_xrealloc(*arr, ncap * size);
	memset((char *)*arr + *cap * size, 0, (ncap - *cap) * size);
	*cap = ncap;
}

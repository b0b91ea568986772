/*
 * err.h - error codes and the error record shared by every layer.
 *
 * Functions that can fail return an int: 0 on success or a negative MX_E*
 * code, and write the details into a caller-supplied 'struct mx_err'.
 * Scenario errors start their message with "file:line: " so that editors
 * can jump to them.  Simulated failures (a timeout, a 451) are never C
 * errors: they travel as data through callbacks and the trace.
 */
#ifndef MX_ERR_H
#define MX_ERR_H

#include <stdarg.h>
#include <stddef.h>

#if defined(__GNUC__) || defined(__clang__)
#define MX_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define MX_NODISCARD    __attribute__((warn_unused_result))
#else
#define MX_PRINTF(f, a)
#define MX_NODISCARD
#endif

/* One table generates the enum, the names and the messages. */
#define MX_ERRNO_MAP(XX)                                                       \
	XX(EINVAL, -1, "invalid input")                                        \
	XX(ENOENT, -2, "no such item")                                         \
	XX(EEXIST, -3, "already exists")                                       \
	XX(ELIMIT, -4, "limit exceeded")                                       \
	XX(EIO, -5, "input/output error")                                      \
	XX(ENOMEM, -6, "out of memory")                                        \
	XX(ESCRIPT, -7, "scenario error")                                      \
	XX(EUSAGE, -8, "command line error")

enum mx_errno {
	MX_OK = 0,
#define XX(name, val, msg) MX_##name = (val),
	MX_ERRNO_MAP(XX)
#undef XX
};

struct mx_err {
	int code;      /* 0 or a negative MX_E* value */
	char msg[512]; /* human message, "file:line: " first for scenarios */
};

/* Sets 'err' (if not NULL) and returns 'code', so one line does both. */
int mx_err_set(struct mx_err *err, int code, const char *fmt, ...)
    MX_PRINTF(3, 4);
int mx_err_vset(struct mx_err *err, int code, const char *fmt, va_list ap);
void mx_err_clear(struct mx_err *err);
const char *mx_strerror(int code);
const char *mx_err_name(int code);

/* Allocation wrappers: a real out-of-memory aborts (a command-line tool has
 * nothing better to do), so callers need no OOM branches. */
void *mx_xmalloc(size_t n);
void *mx_xcalloc(size_t n, size_t size);
void *mx_xrealloc(void *p, size_t n);
char *mx_xstrdup(const char *s);
char *mx_xstrndup(const char *s, size_t n);
/* Grows '*arr' (of '*cap' elements of 'size' bytes) to hold at least 'need'. */
void mx_grow(void **arr, size_t *cap, size_t need, size_t size);

#endif

/*
 * test_smtpwire.c - SMTP lines, replies and commands (sim/smtp/smtpwire.c).
 *
 * Sources for the expected behaviour:
 *  - lines end in CRLF (RFC 5321 §2.3.8); a bare LF is accepted as well
 *    (smtpwire.c, as lenient servers do); TCP delivers lines cut anywhere,
 *    so the splitter must join chunks (RFC 5321 §2.3.8 says nothing about
 *    segment boundaries, and TCP keeps none);
 *  - multi-line replies (RFC 5321 §4.2.1): "250-" on every line but the
 *    last, "250 " on the last, and every line carrying the same code;
 *    codes are 2xx-5xx (§4.2.1 first digit 2, 3, 4, 5; 1yz are not used
 *    in SMTP);
 *  - enhanced status codes (RFC 3463 §2, RFC 2034 §4): class "." subject
 *    "." detail, digits only, right after the reply code's space, class
 *    equal to the reply's first digit;
 *  - commands: verb, space, argument (RFC 5321 §4.1.1), verbs
 *    case-insensitive (§2.4); paths in angle brackets after "FROM:" /
 *    "TO:", the null reverse-path "<>" allowed (§4.1.1.2, §4.5.5).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "smtp/smtpwire.h"

/* --- line splitting ----------------------------------------------------------
 */

static void
add(struct smtp_linebuf *lb, const char *s)
{
	smtp_linebuf_add(lb, s, strlen(s));
}

/* The next line must be 'want'. */
static void
next_is(struct smtp_linebuf *lb, const char *want)
{
	size_t len = 9999;
	const char *l = smtp_linebuf_next(lb, &len);

	assert_non_null(l);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(l, want, len);
	assert_int_equal(l[len], '\0'); /* usable as a C string */
}

static void
test_smtpwire_linebuf_joins_line_split_across_chunks(void **state)
{
	struct smtp_linebuf lb;
	size_t len;

	(void)state;
	smtp_linebuf_init(&lb);
	assert_null(smtp_linebuf_next(&lb, &len));
	add(&lb, "220 mx1.exa");
	assert_null(smtp_linebuf_next(&lb, &len)); /* not yet */
	add(&lb, "mple.test ESMTP\r");
	assert_null(smtp_linebuf_next(&lb, &len)); /* CR alone ends nothing */
	add(&lb, "\n250-a\r\n250 b");
	next_is(&lb, "220 mx1.example.test ESMTP");
	next_is(&lb, "250-a");
	assert_null(smtp_linebuf_next(&lb, &len));
	add(&lb, "\r\n");
	next_is(&lb, "250 b");
	assert_null(smtp_linebuf_next(&lb, &len));
	smtp_linebuf_fini(&lb);
}

static void
test_smtpwire_linebuf_accepts_crlf_bare_lf_and_empty_lines(void **state)
{
	struct smtp_linebuf lb;
	size_t len;

	(void)state;
	smtp_linebuf_init(&lb);
	add(&lb, "crlf\r\nbare\n\r\n\nlast\r\n");
	next_is(&lb, "crlf");
	next_is(&lb, "bare");
	next_is(&lb, "");
	next_is(&lb, "");
	next_is(&lb, "last");
	assert_null(smtp_linebuf_next(&lb, &len));
	/* A CR inside a line is data, only the one before LF goes. */
	add(&lb, "a\rb\r\r\n");
	next_is(&lb, "a\rb\r");
	smtp_linebuf_fini(&lb);
}

static void
test_smtpwire_linebuf_random_chunks_give_back_every_line(void **state)
{
	/* 5000 lines of 0..200 bytes, CRLF or LF, fed in random chunks of
	 * 1..300 bytes interleaved with reads: every line comes back, in
	 * order, whatever the cut (and the buffer's compaction and growth
	 * are exercised along the way). */
	enum { LINES = 5000 };
	struct smtp_linebuf lb;
	struct rng r;
	char *text;
	size_t *start, *llen;
	size_t total = 0, fed = 0, got = 0, i;

	(void)state;
	text = malloc(LINES * 203);
	start = malloc(LINES * sizeof(*start));
	llen = malloc(LINES * sizeof(*llen));
	assert_non_null(text);
	assert_non_null(start);
	assert_non_null(llen);
	rng_init(&r, 25, "test/smtpwire/chunks");
	for (i = 0; i < LINES; i++) {
		size_t n = (size_t)rng_below(&r, 201), k;

		start[i] = total;
		llen[i] = n;
		for (k = 0; k < n; k++) /* printable, never CR or LF */
			text[total++] = (char)(' ' + rng_below(&r, 95));
		if (rng_below(&r, 4) != 0)
			text[total++] = '\r';
		text[total++] = '\n';
	}
	smtp_linebuf_init(&lb);
	while (got < LINES) {
		const char *l;
		size_t len;

		if (fed < total) {
			size_t n = 1 + (size_t)rng_below(&r, 300);

			if (n > total - fed)
				n = total - fed;
			smtp_linebuf_add(&lb, text + fed, n);
			fed += n;
		}
		while ((l = smtp_linebuf_next(&lb, &len)) != NULL) {
			assert_true(got < LINES);
			assert_int_equal(len, llen[got]);
			assert_memory_equal(l, text + start[got], len);
			got++;
		}
		if (fed == total)
			assert_int_equal(got, LINES);
	}
	smtp_linebuf_fini(&lb);
	free(text);
	free(start);
	free(llen);
}

/* --- replies
 * ------------------------------------------------------------------- */

static int
feed(struct smtp_reply *r, const char *line)
{
	return smtp_reply_feed(r, line, strlen(line));
}

static void
test_smtpwire_reply_multiline_assembled_until_space_line(void **state)
{
	/* RFC 5321 §4.2.1: "250-a", "250-b", "250 c" is one reply. */
	struct smtp_reply r;

	(void)state;
	smtp_reply_init(&r);
	assert_int_equal(feed(&r, "250-a"), 0);
	assert_false(r.done);
	assert_int_equal(feed(&r, "250-b"), 0);
	assert_int_equal(feed(&r, "250 c"), 1);
	assert_true(r.done);
	assert_int_equal(r.code, 250);
	assert_int_equal(r.nlines, 3);
	assert_string_equal(r.text, "a\nb\nc");
	assert_string_equal(r.first, "250-a");
}

static void
test_smtpwire_reply_single_line_and_bare_code(void **state)
{
	struct smtp_reply r;

	(void)state;
	smtp_reply_init(&r);
	assert_int_equal(feed(&r, "220 mx1.example.test ESMTP"), 1);
	assert_int_equal(r.code, 220);
	assert_string_equal(r.text, "mx1.example.test ESMTP");
	/* RFC 5321 §4.2: Reply-line = Reply-code [ SP textstring ] CRLF. */
	smtp_reply_init(&r);
	assert_int_equal(feed(&r, "354"), 1);
	assert_int_equal(r.code, 354);
	assert_string_equal(r.text, "");
	assert_int_equal(r.nlines, 1);
}

static void
test_smtpwire_reply_code_mismatch_rejected(void **state)
{
	/* RFC 5321 §4.2.1: every line of a multi-line reply has the same
	 * code. */
	struct smtp_reply r;

	(void)state;
	smtp_reply_init(&r);
	assert_int_equal(feed(&r, "250-mx1.example.test"), 0);
	assert_int_equal(feed(&r, "251 SIZE"), -1);
	assert_int_equal(feed(&r, "550 x"), -1);
	assert_false(r.done);
	assert_int_equal(r.code, 250);
	assert_int_equal(r.nlines, 1);
	/* The reply can still be completed correctly. */
	assert_int_equal(feed(&r, "250 SIZE"), 1);
	assert_string_equal(r.text, "mx1.example.test\nSIZE");
}

static void
test_smtpwire_reply_malformed_lines_rejected(void **state)
{
	static const char *const bad[] = {
	    "",
	    "2",
	    "25",
	    "abc",
	    "25a ok",
	    "250x ok",
	    "250_ok",
	    "199 too low",
	    "099 x",
	    "600 too high",
	    "999 x",
	    " 250 x",
	};
	struct smtp_reply r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		smtp_reply_init(&r);
		if (feed(&r, bad[i]) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(r.nlines, 0);
		assert_int_equal(r.code, 0);
	}
}

static void
enhanced_of(const char *line, char *out, size_t len)
{
	struct smtp_reply r;

	smtp_reply_init(&r);
	assert_int_equal(feed(&r, line), 1);
	smtp_reply_enhanced(&r, out, len);
}

static void
test_smtpwire_enhanced_status_extracted_when_class_matches(void **state)
{
	char e[16];
	struct smtp_reply r;

	(void)state;
	enhanced_of("451 4.3.2 try again later", e, sizeof(e));
	assert_string_equal(e, "4.3.2");
	enhanced_of("250 2.1.0 Ok", e, sizeof(e));
	assert_string_equal(e, "2.1.0");
	enhanced_of("550 5.1.1", e, sizeof(e)); /* code alone as text */
	assert_string_equal(e, "5.1.1");
	enhanced_of("550 5.7.999 policy", e, sizeof(e)); /* 1*3 digits */
	assert_string_equal(e, "5.7.999");
	/* Multi-line: the first line's code counts. */
	smtp_reply_init(&r);
	assert_int_equal(feed(&r, "250-2.0.0 first"), 0);
	assert_int_equal(feed(&r, "250 2.0.0 second"), 1);
	smtp_reply_enhanced(&r, e, sizeof(e));
	assert_string_equal(e, "2.0.0");
}

static void
test_smtpwire_enhanced_status_absent_or_malformed_gives_empty(void **state)
{
	static const char *const none[] = {
	    "250 ok",
	    "451 5.3.2 class differs from the reply", /* RFC 3463 §2 */
	    "250 2.1.0x",
	    "550 5.1000.1 subject too long",
	    "550 5.1.1000 detail too long",
	    "550 5..1 empty subject",
	    "550 5.1 two parts",
	    "250",
	    "451 4.-3.2 sign",
	    "451 4.+3.2 sign",
	    "451 4. 3.2 space inside",
	    "451  4.3.2 not right after the code's space",
	};
	char e[16];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		memset(e, 'X', sizeof(e));
		enhanced_of(none[i], e, sizeof(e));
		if (e[0] != '\0')
			fail_msg("\"%s\" gave \"%s\"", none[i], e);
	}
}

/* --- commands and paths -----------------------------------------------------
 */

static void
cmd(const char *line, size_t vlen, const char *want_verb, const char *want_arg)
{
	char verb[64];
	const char *arg = NULL;

	assert_true(vlen <= sizeof(verb));
	smtp_cmd_parse(line, strlen(line), verb, vlen, &arg);
	assert_string_equal(verb, want_verb);
	assert_non_null(arg);
	assert_string_equal(arg, want_arg);
}

static void
test_smtpwire_cmd_parse_uppercases_verb_and_finds_argument(void **state)
{
	(void)state;
	cmd("mail FROM:<a@example.test>", 16, "MAIL", "FROM:<a@example.test>");
	cmd("Rcpt To:<b@example.test>", 16, "RCPT", "To:<b@example.test>");
	cmd("QUIT", 16, "QUIT", "");
	cmd("EHLO   client.test", 16, "EHLO", "client.test");
	cmd("DATA ", 16, "DATA", "");
	cmd("", 16, "", "");
	/* A verb longer than the buffer is cut; the argument is still
	 * found after the first space. */
	cmd("VERYLONGVERB arg", 5, "VERY", "arg");
}

static void
path(const char *arg, const char *prefix, size_t len, bool ok, const char *want)
{
	char out[300];

	assert_true(len <= sizeof(out));
	memset(out, 'X', sizeof(out));
	if (smtp_path_parse(arg, prefix, out, len) != ok)
		fail_msg("smtp_path_parse(\"%s\", \"%s\", %zu) != %d", arg,
		    prefix, len, ok);
	if (ok)
		assert_string_equal(out, want);
}

static void
test_smtpwire_path_parse_extracts_address(void **state)
{
	(void)state;
	path("FROM:<a@example.test>", "FROM:", 256, true, "a@example.test");
	path("from:<A@Example.Test>", "FROM:", 256, true, "A@Example.Test");
	path("TO:<b@example.test> NOTIFY=NEVER", "TO:", 256, true,
	    "b@example.test");
	path("FROM: <a@example.test>", "FROM:", 256, true, "a@example.test");
	/* RFC 5321 §4.5.5: the null reverse-path of bounces. */
	path("FROM:<>", "FROM:", 256, true, "");
	path("FROM:<>", "FROM:", 1, true, "");
	/* Exactly fitting, and one byte too long. */
	path("TO:<abc>", "TO:", 4, true, "abc");
	path("TO:<abcd>", "TO:", 4, false, NULL);
}

static void
test_smtpwire_path_parse_rejects_malformed(void **state)
{
	(void)state;
	path("FROM:a@example.test", "FROM:", 256, false, NULL);
	path("FROM:<a@example.test", "FROM:", 256, false, NULL);
	path("TO:<a@example.test>", "FROM:", 256, false, NULL);
	path("FRO:<a@example.test>", "FROM:", 256, false, NULL);
	path("", "TO:", 256, false, NULL);
}

static void
test_smtpwire_reply_valid_checks_scenario_replies(void **state)
{
	char longest[600];

	(void)state;
	assert_true(smtp_reply_valid("451 4.3.2 try later"));
	assert_true(smtp_reply_valid("250"));
	assert_true(smtp_reply_valid("554 5.7.1 go away"));
	assert_true(smtp_reply_valid("200 lowest"));
	assert_true(smtp_reply_valid("599 highest"));
	assert_false(smtp_reply_valid(""));
	assert_false(smtp_reply_valid("45"));
	assert_false(smtp_reply_valid("199 x"));
	assert_false(smtp_reply_valid("600 x"));
	assert_false(smtp_reply_valid("4x1 x"));
	assert_false(smtp_reply_valid("451-x")); /* not a last line */
	assert_false(smtp_reply_valid("451x"));
	assert_false(smtp_reply_valid("451 a\r\n250 b")); /* one line */
	assert_false(smtp_reply_valid("451 a\nb"));
	/* RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets with
	 * CRLF; the check allows 512 characters. */
	memset(longest, 'x', sizeof(longest));
	memcpy(longest, "451 ", 4);
	longest[512] = '\0';
	assert_true(smtp_reply_valid(longest));
	longest[512] = 'x';
	longest[513] = '\0';
	assert_false(smtp_reply_valid(longest));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
	        test_smtpwire_linebuf_joins_line_split_across_chunks),
	    cmocka_unit_test(
	        test_smtpwire_linebuf_accepts_crlf_bare_lf_and_empty_lines),
	    cmocka_unit_test(
	        test_smtpwire_linebuf_random_chunks_give_back_every_line),
	    cmocka_unit_test(
	        test_smtpwire_reply_multiline_assembled_until_space_line),
	    cmocka_unit_test(test_smtpwire_reply_single_line_and_bare_code),
	    cmocka_unit_test(test_smtpwire_reply_code_mismatch_rejected),
	    cmocka_unit_test(test_smtpwire_reply_malformed_lines_rejected),
	    cmocka_unit_test(
	        test_smtpwire_enhanced_status_extracted_when_class_matches),
	    cmocka_unit_test(
	        test_smtpwire_enhanced_status_absent_or_malformed_gives_empty),
	    cmocka_unit_test(
	        test_smtpwire_cmd_parse_uppercases_verb_and_finds_argument),
	    cmocka_unit_test(test_smtpwire_path_parse_extracts_address),
	    cmocka_unit_test(test_smtpwire_path_parse_rejects_malformed),
	    cmocka_unit_test(test_smtpwire_reply_valid_checks_scenario_replies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

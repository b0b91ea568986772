/*
 * test_dur.c - durations (sim/core/dur.c) and calendar time
 * (sim/core/clock.c).
 *
 * Durations: the forms DESIGN.md promises scenarios ("30s", "5m", "2h",
 * "1d", "1h30m", "1.5s") parse to exact nanoseconds, decimal fractions
 * included (dur.c: "0.1s" is 100000000 ns, never 99999999); malformed or
 * overflowing strings are refused with a reason; dur_format gives the
 * compact form back and dur_format_secs the narrative's fixed form.
 *
 * Calendar: RFC 5322 §3.3 date-time ("Mon, 01 Jan 2024 00:00:30 +0000")
 * and ISO 8601 with nanoseconds, computed from a fixed epoch with the
 * proleptic Gregorian calendar (leap days, the 100/400-year rules, days
 * before 1970).  Expected dates were checked with Python's datetime.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "core/clock.h"
#include "core/dur.h"

/* Parses 's', which must be accepted, and returns the value. */
static sim_time_t
parse_ok(const char *s)
{
	char why[128] = "";
	sim_time_t v = -12345;

	if (!dur_parse(s, &v, why, sizeof(why)))
		fail_msg("dur_parse(\"%s\") refused: %s", s, why);
	return v;
}

/* 's' must be refused, with a reason, leaving the output untouched. */
static void
parse_bad(const char *s)
{
	char why[128] = "";
	sim_time_t v = -12345;

	if (dur_parse(s, &v, why, sizeof(why)))
		fail_msg("dur_parse(\"%s\") accepted as %lld", s, (long long)v);
	assert_int_equal(v, -12345);
	assert_true(why[0] != '\0');
}

static void
test_dur_parse_single_units_exact_ns(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("250ms"), INT64_C(250000000));
	assert_int_equal(parse_ok("30s"), INT64_C(30000000000));
	assert_int_equal(parse_ok("5m"), INT64_C(300000000000));
	assert_int_equal(parse_ok("2h"), INT64_C(7200000000000));
	assert_int_equal(parse_ok("1d"), INT64_C(86400000000000));
	assert_int_equal(parse_ok("10us"), INT64_C(10000));
	assert_int_equal(parse_ok("7ns"), INT64_C(7));
	/* "min" is a synonym of "m" (dur.h), and is not "m" + "in". */
	assert_int_equal(parse_ok("5min"), INT64_C(300000000000));
	assert_int_equal(parse_ok("0s"), 0);
}

static void
test_dur_parse_compound_terms_add_up(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("1h30m"), INT64_C(5400000000000));
	assert_int_equal(parse_ok("1d2h3m4s5ms"),
	    SIM_DAY(1) + SIM_H(2) + SIM_MIN(3) + SIM_S(4) + SIM_MS(5));
	/* "ms" is one unit, not "m" then "s". */
	assert_int_equal(parse_ok("1m5ms"), SIM_MIN(1) + SIM_MS(5));
	/* Spaces between terms and around are allowed. */
	assert_int_equal(parse_ok(" 1h 30m "), SIM_MIN(90));
}

static void
test_dur_parse_fractions_are_exact(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("1.5s"), INT64_C(1500000000));
	assert_int_equal(parse_ok("0.1s"), INT64_C(100000000));
	assert_int_equal(parse_ok("0.3s"), INT64_C(300000000));
	assert_int_equal(parse_ok("0.25m"), INT64_C(15000000000));
	assert_int_equal(parse_ok("1.5d"), SIM_H(36));
	assert_int_equal(parse_ok("0.000000001s"), 1);
	/* Digits beyond the ninth are dropped, never rounded up. */
	assert_int_equal(parse_ok("0.0000000019s"), 1);
	assert_int_equal(parse_ok("2.5ms"), INT64_C(2500000));
}

static void
test_dur_parse_long_fractions_of_large_units_are_exact(void **state)
{
	/* Up to nine fractional digits are kept (dur.c), whatever the unit:
	 * frac * unit must not overflow on the way.  Values checked with
	 * Python's fractions.Fraction. */
	(void)state;
	assert_int_equal(parse_ok("0.33333333h"), INT64_C(1199999988000));
	assert_int_equal(parse_ok("1.123456789h"), INT64_C(4044444440400));
	assert_int_equal(parse_ok("1.2345678d"), INT64_C(106666657920000));
	assert_int_equal(parse_ok("0.999999999d"), INT64_C(86399999913600));
}

static void
test_dur_parse_rejects_malformed(void **state)
{
	(void)state;
	parse_bad("");
	parse_bad("   ");
	parse_bad("5"); /* a bare number is the script layer's job */
	parse_bad("5x");
	parse_bad("-1s"); /* durations are never negative */
	parse_bad("s");
	parse_bad("1h30"); /* the last term lacks a unit */
	parse_bad("5mins");
	parse_bad("5 s x");
	parse_bad(".s");
}

static void
test_dur_parse_rejects_overflow(void **state)
{
	/* INT64_MAX ns is 106751 days 23:47:16.854775807. */
	(void)state;
	assert_int_equal(parse_ok("106751d"), SIM_DAY(106751));
	parse_bad("106752d");
	parse_bad("9223372036854775808ns");
	assert_int_equal(parse_ok("9223372036854775807ns"), INT64_MAX);
	parse_bad("10000000000s");
	parse_bad("99999999999999999999999999s");
	parse_bad("106751d106751d"); /* each term fits, the sum does not */
	parse_bad("9223372036854775807ns1ns");
}

static void
test_dur_from_seconds_rounds_and_refuses(void **state)
{
	sim_time_t v = -1;

	(void)state;
	assert_true(dur_from_seconds(0.25, &v));
	assert_int_equal(v, SIM_MS(250));
	assert_true(dur_from_seconds(30, &v));
	assert_int_equal(v, SIM_S(30));
	assert_true(dur_from_seconds(0.1, &v));
	assert_int_equal(v, SIM_MS(100)); /* nearest ns */
	v = -1;
	assert_false(dur_from_seconds(-1, &v));
	assert_false(dur_from_seconds(NAN, &v));
	assert_false(dur_from_seconds(INFINITY, &v));
	assert_false(dur_from_seconds(1e10, &v));
	assert_int_equal(v, -1);
}

static void
test_dur_format_compact_forms(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(dur_format(0, b, sizeof(b)), "0s");
	assert_string_equal(dur_format(SIM_S(30), b, sizeof(b)), "30s");
	assert_string_equal(dur_format(SIM_MIN(5), b, sizeof(b)), "5m");
	assert_string_equal(dur_format(SIM_MIN(90), b, sizeof(b)), "1h30m");
	assert_string_equal(dur_format(SIM_MS(250), b, sizeof(b)), "250ms");
	assert_string_equal(dur_format(SIM_MS(1500), b, sizeof(b)), "1.5s");
	assert_string_equal(
	    dur_format(SIM_DAY(2) + SIM_H(3), b, sizeof(b)), "2d3h");
	assert_string_equal(dur_format(SIM_US(10), b, sizeof(b)), "10us");
	assert_string_equal(dur_format(7, b, sizeof(b)), "7ns");
	assert_string_equal(dur_format(-SIM_S(30), b, sizeof(b)), "-30s");
}

static void
test_dur_format_round_trips_through_parse(void **state)
{
	static const char *const forms[] = {
	    "30s",
	    "5m",
	    "1h30m",
	    "250ms",
	    "2h",
	    "1d",
	    "1.5s",
	    "10us",
	    "2d3h",
	    "1m30s",
	    "1h0m1s",
	};
	static const sim_time_t values[] = {
	    SIM_S(30),
	    SIM_MIN(5),
	    SIM_MIN(90),
	    SIM_MS(250),
	    SIM_H(2),
	    SIM_DAY(1),
	    SIM_MS(1500),
	    SIM_US(10),
	    SIM_H(51),
	    SIM_S(90),
	    SIM_H(1) + SIM_S(1),
	    SIM_MIN(1) + SIM_MS(1500),
	    SIM_DAY(3) + SIM_MS(7),
	};
	char b[32];
	size_t i;

	(void)state;
	/* Text -> value -> text gives the canonical text back (the last
	 * form is not canonical: "1h1s"). */
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]) - 1; i++)
		assert_string_equal(
		    dur_format(parse_ok(forms[i]), b, sizeof(b)), forms[i]);
	assert_string_equal(
	    dur_format(parse_ok("1h0m1s"), b, sizeof(b)), "1h1s");
	/* Value -> text -> value gives the value back. */
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		assert_int_equal(
		    parse_ok(dur_format(values[i], b, sizeof(b))), values[i]);
}

static void
test_dur_format_secs_six_decimals(void **state)
{
	char b[40];

	(void)state;
	assert_string_equal(
	    dur_format_secs(INT64_C(30001200000), b, sizeof(b)), "30.001200");
	assert_string_equal(dur_format_secs(0, b, sizeof(b)), "0.000000");
	/* Microsecond resolution: the 999 ns are cut, not rounded. */
	assert_string_equal(
	    dur_format_secs(SIM_S(1) + 999, b, sizeof(b)), "1.000000");
	assert_string_equal(
	    dur_format_secs(-SIM_MS(1500), b, sizeof(b)), "-1.500000");
	assert_string_equal(
	    dur_format_secs(INT64_MIN, b, sizeof(b)), "-9223372036.854775");
}

/* --- calendar ------------------------------------------------------------- */

static void
test_clock_rfc5322_epoch_2024_is_monday(void **state)
{
	/* RFC 5322 §3.3: day-name "," day month year time zone; 2024-01-01
	 * (Unix 1704067200) was a Monday. */
	char b[64];

	(void)state;
	assert_string_equal(clock_rfc5322(CLOCK_EPOCH_DEFAULT, 0, b, sizeof(b)),
	    "Mon, 01 Jan 2024 00:00:00 +0000");
	assert_string_equal(clock_rfc5322(INT64_C(1704067200),
	                        SIM_DAY(1) + SIM_S(30), b, sizeof(b)),
	    "Tue, 02 Jan 2024 00:00:30 +0000");
	/* Fractions of a second are cut. */
	assert_string_equal(
	    clock_rfc5322(CLOCK_EPOCH_DEFAULT,
	        SIM_H(13) + SIM_MIN(7) + SIM_MS(59999), b, sizeof(b)),
	    "Mon, 01 Jan 2024 13:07:59 +0000");
}

static void
test_clock_rfc5322_leap_day_2024(void **state)
{
	char b[64];

	(void)state;
	assert_string_equal(
	    clock_rfc5322(CLOCK_EPOCH_DEFAULT, SIM_DAY(59), b, sizeof(b)),
	    "Thu, 29 Feb 2024 00:00:00 +0000");
	assert_string_equal(clock_rfc5322(CLOCK_EPOCH_DEFAULT,
	                        SIM_DAY(60) - SIM_S(1), b, sizeof(b)),
	    "Thu, 29 Feb 2024 23:59:59 +0000");
	assert_string_equal(
	    clock_rfc5322(CLOCK_EPOCH_DEFAULT, SIM_DAY(60), b, sizeof(b)),
	    "Fri, 01 Mar 2024 00:00:00 +0000");
	/* 2024 has 366 days. */
	assert_string_equal(
	    clock_rfc5322(CLOCK_EPOCH_DEFAULT, SIM_DAY(366), b, sizeof(b)),
	    "Wed, 01 Jan 2025 00:00:00 +0000");
}

static void
test_clock_rfc5322_century_rules_and_before_1970(void **state)
{
	/* Gregorian: 2000 is a leap year (divisible by 400), 2100 and 2023
	 * are not. */
	char b[64];

	(void)state;
	assert_string_equal(
	    clock_rfc5322(INT64_C(951696000), SIM_DAY(1), b, sizeof(b)),
	    "Tue, 29 Feb 2000 00:00:00 +0000");
	assert_string_equal(
	    clock_rfc5322(INT64_C(4107456000), SIM_DAY(1), b, sizeof(b)),
	    "Mon, 01 Mar 2100 00:00:00 +0000");
	assert_string_equal(
	    clock_rfc5322(INT64_C(1677542400), SIM_DAY(1), b, sizeof(b)),
	    "Wed, 01 Mar 2023 00:00:00 +0000");
	assert_string_equal(
	    clock_rfc5322(INT64_C(-86400), SIM_S(1), b, sizeof(b)),
	    "Wed, 31 Dec 1969 00:00:01 +0000");
	assert_string_equal(clock_rfc5322(0, 0, b, sizeof(b)),
	    "Thu, 01 Jan 1970 00:00:00 +0000");
}

static void
test_clock_iso8601_keeps_nanoseconds(void **state)
{
	char b[64];

	(void)state;
	assert_string_equal(clock_iso8601(CLOCK_EPOCH_DEFAULT,
	                        SIM_S(30) + SIM_US(400), b, sizeof(b)),
	    "2024-01-01T00:00:30.000400000Z");
	assert_string_equal(clock_iso8601(CLOCK_EPOCH_DEFAULT, 0, b, sizeof(b)),
	    "2024-01-01T00:00:00.000000000Z");
	assert_string_equal(
	    clock_iso8601(CLOCK_EPOCH_DEFAULT, SIM_DAY(59) + 1, b, sizeof(b)),
	    "2024-02-29T00:00:00.000000001Z");
	assert_string_equal(
	    clock_iso8601(CLOCK_EPOCH_DEFAULT, SIM_DAY(366) - 1, b, sizeof(b)),
	    "2024-12-31T23:59:59.999999999Z");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dur_parse_single_units_exact_ns),
	    cmocka_unit_test(test_dur_parse_compound_terms_add_up),
	    cmocka_unit_test(test_dur_parse_fractions_are_exact),
	    cmocka_unit_test(
	        test_dur_parse_long_fractions_of_large_units_are_exact),
	    cmocka_unit_test(test_dur_parse_rejects_malformed),
	    cmocka_unit_test(test_dur_parse_rejects_overflow),
	    cmocka_unit_test(test_dur_from_seconds_rounds_and_refuses),
	    cmocka_unit_test(test_dur_format_compact_forms),
	    cmocka_unit_test(test_dur_format_round_trips_through_parse),
	    cmocka_unit_test(test_dur_format_secs_six_decimals),
	    cmocka_unit_test(test_clock_rfc5322_epoch_2024_is_monday),
	    cmocka_unit_test(test_clock_rfc5322_leap_day_2024),
	    cmocka_unit_test(test_clock_rfc5322_century_rules_and_before_1970),
	    cmocka_unit_test(test_clock_iso8601_keeps_nanoseconds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

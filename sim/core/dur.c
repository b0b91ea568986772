/*
 * dur.c - parsing and printing durations.
 *
 * Parsing is exact: the integer part and up to nine fractional digits are
 * kept as integers, so "0.1s" is 100000000 ns, never 99999999.
 */
#include "dur.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

struct unit {
	const char *name;
	sim_time_t ns;
};

/* Longest names first so that "ms" is not read as "m" followed by "s". */
static const struct unit units[] = {
    {"min", SIM_MIN(1)},
    {"ns", 1},
    {"us", SIM_US(1)},
    {"ms", SIM_MS(1)},
    {"s", SIM_S(1)},
    {"m", SIM_MIN(1)},
    {"h", SIM_H(1)},
    {"d", SIM_DAY(1)},
};

bool
dur_parse(const char *s, sim_time_t *out, char *why, size_t whylen)
{
	const char *p = s;
	sim_time_t total = 0;
	int terms = 0;

	while (*p == ' ')
		p++;
	while (*p != '\0') {
		uint64_t ip = 0, frac = 0, fscale = 1;
		const struct unit *u = NULL;
		size_t i;
		int digits = 0;

		while (isdigit((unsigned char)*p)) {
			if (ip > UINT64_MAX / 10 - 10)
				goto range;
			ip = ip * 10 + (uint64_t)(*p++ - '0');
			digits++;
		}
		if (*p == '.') {
			p++;
			while (isdigit((unsigned char)*p)) {
				if (fscale < 1000000000ULL) {
					frac = frac * 10 + (uint64_t)(*p - '0');
					fscale *= 10;
				}
				p++;
				digits++;
			}
		}
		if (digits == 0) {
			snprintf(why, whylen,
			    "expected a number with a unit, like \"30s\" or "
			    "\"5m\"");
			return false;
		}
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			size_t n = strlen(units[i].name);

			if (strncmp(p, units[i].name, n) == 0 &&
			    !isalpha((unsigned char)p[n])) {
				u = &units[i];
				p += n;
				break;
			}
		}
		if (u == NULL) {
			snprintf(why, whylen,
			    "missing or unknown unit (use ns, us, ms, s, m, h "
			    "or d)");
			return false;
		}
		if (ip > (uint64_t)(INT64_MAX / u->ns))
			goto range;
		{
			sim_time_t v = (sim_time_t)ip * u->ns;
			/* frac/fscale of a unit, exactly: the unit is split
			 * by fscale so that no product passes 2^64 (frac <
			 * fscale <= 10^9), e.g. "0.33333333h". */
			uint64_t uns = (uint64_t)u->ns;
			sim_time_t fv =
			    (sim_time_t)(uns / fscale * frac +
			                 uns % fscale * frac / fscale);

			if (total > INT64_MAX - v - fv)
				goto range;
			total += v + fv;
		}
		terms++;
		while (*p == ' ')
			p++;
	}
	if (terms == 0) {
		snprintf(why, whylen, "empty duration");
		return false;
	}
	*out = total;
	return true;
range:
	snprintf(why, whylen, "duration out of range");
	return false;
}

bool
dur_from_seconds(double secs, sim_time_t *out)
{
	double ns;

	if (!isfinite(secs) || secs < 0)
		return false;
	ns = secs * 1e9;
	if (ns >= 9.2e18)
		return false;
	*out = (sim_time_t)llround(ns);
	return true;
}

char *
dur_format(sim_time_t d, char *buf, size_t len)
{
	static const struct unit big[] = {
	    {"d", SIM_DAY(1)},
	    {"h", SIM_H(1)},
	    {"m", SIM_MIN(1)},
	};
	size_t off = 0, i;
	sim_time_t secs;
	int n;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (d < 0) {
		off += (size_t)snprintf(buf, len, "-");
		d = -d;
	}
	if (d == 0) {
		snprintf(buf + off, len - off, "0s");
		return buf;
	}
	if (d < SIM_S(1)) {
		/* Below a second: the largest unit that is exact. */
		char frac[16];
		size_t fl;

		if (d < SIM_US(1)) {
			snprintf(buf + off, len - off, "%" PRId64 "ns", d);
			return buf;
		}
		if (d < SIM_MS(1) && d % SIM_US(1) == 0) {
			snprintf(buf + off, len - off, "%" PRId64 "us",
			    d / SIM_US(1));
			return buf;
		}
		/* Milliseconds, with the fraction they need: "353.009ms". */
		snprintf(frac, sizeof(frac), "%06" PRId64, d % SIM_MS(1));
		fl = strlen(frac);
		while (fl > 0 && frac[fl - 1] == '0')
			frac[--fl] = '\0';
		snprintf(buf + off, len - off, "%" PRId64 "%s%sms",
		    d / SIM_MS(1), fl ? "." : "", frac);
		return buf;
	}
	/* Days, hours, minutes, then seconds with as many decimals as
	 * they need: "1h30m", "6m0.0012s", "1.5s". */
	for (i = 0; i < sizeof(big) / sizeof(big[0]) && off < len; i++) {
		if (d >= big[i].ns) {
			n = snprintf(buf + off, len - off, "%" PRId64 "%s",
			    d / big[i].ns, big[i].name);
			if (n < 0)
				return buf;
			off += (size_t)n;
			d %= big[i].ns;
		}
	}
	if (d == 0 || off >= len)
		return buf;
	secs = d / SIM_S(1);
	d %= SIM_S(1);
	if (d == 0)
		snprintf(buf + off, len - off, "%" PRId64 "s", secs);
	else {
		char frac[16];
		size_t fl;

		snprintf(frac, sizeof(frac), "%09" PRId64, d);
		fl = strlen(frac);
		while (fl > 0 && frac[fl - 1] == '0')
			frac[--fl] = '\0';
		snprintf(buf + off, len - off, "%" PRId64 ".%ss", secs, frac);
	}
	return buf;
}

char *
dur_format_secs(sim_time_t t, char *buf, size_t len)
{
	const char *sign = "";
	uint64_t u;

	if (t < 0) {
		sign = "-";
		u = (uint64_t)(-(t + 1)) + 1;
	} else
		u = (uint64_t)t;
	/* Microsecond resolution: the narrative's column; traces keep ns. */
	snprintf(buf, len, "%s%" PRIu64 ".%06" PRIu64, sign,
	    (uint64_t)(u / 1000000000U), (uint64_t)((u % 1000000000U) / 1000U));
	return buf;
}

/*
 * clock.c - calendar forms of simulated time, computed with the proleptic
 * Gregorian calendar (days-from-civil arithmetic), independent of the
 * process's time zone.
 */
#include "clock.h"

#include <inttypes.h>
#include <stdio.h>

static const char *const wday[] = {
    "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

struct civil {
	int64_t y;
	int m, d, hh, mm, ss, wd;
};

static struct civil
to_civil(int64_t secs)
{
	struct civil c;
	int64_t days = secs / 86400, rem = secs % 86400, z, era, doe, yoe, doy,
	        mp;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	c.hh = (int)(rem / 3600);
	c.mm = (int)(rem % 3600 / 60);
	c.ss = (int)(rem % 60);
	c.wd = (int)(((days % 7) + 7) % 7); /* 1970-01-01 was a Thursday */
	/* Howard Hinnant's civil_from_days. */
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	c.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	c.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	c.y = yoe + era * 400 + (c.m <= 2);
	return c;
}

char *
clock_rfc5322(int64_t epoch, sim_time_t t, char *buf, size_t len)
{
	struct civil c = to_civil(epoch + t / SIM_S(1));

	snprintf(buf, len, "%s, %02d %s %04" PRId64 " %02d:%02d:%02d +0000",
	    wday[c.wd], c.d, mon[c.m - 1], c.y, c.hh, c.mm, c.ss);
	return buf;
}

char *
clock_iso8601(int64_t epoch, sim_time_t t, char *buf, size_t len)
{
	struct civil c = to_civil(epoch + t / SIM_S(1));

	snprintf(buf, len,
	    "%04" PRId64 "-%02d-%02dT%02d:%02d:%02d.%09" PRId64 "Z", c.y, c.m,
	    c.d, c.hh, c.mm, c.ss, t % SIM_S(1));
	return buf;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_date.c - src/dsn/date.c: RFC 5322 section 3.3 dates and the
 * obsolete and sloppy forms bounces carry (section 4.3 zone names and
 * two-digit years, asctime), to ISO 8601 UTC; garbage gives false.
 */
#include "harness.h"
#include "dsn/date.h"

static void
test_dates(void)
{
	static const struct {
		const char *name, *in, *want;	/* want NULL: false */
	} rows[] = {
		{ "iso 8601 utc with fraction", "2016-11-25T01:49:01.000Z",
		    "2016-11-25T01:49:01Z" },
		{ "iso 8601 with offset", "2016-11-25 01:49:01+09:00",
		    "2016-11-24T16:49:01Z" },
		{ "iso 8601 bad month", "2016-13-25T01:49:01Z", NULL },
		{ "rfc 5322 utc", "Tue, 14 May 2024 09:12:44 +0000",
		    "2024-05-14T09:12:44Z" },
		{ "negative zone", "Wed, 15 May 2024 04:32:54 -0700",
		    "2024-05-15T11:32:54Z" },
		{ "zone with comment", "Wed, 15 May 2024 04:32:54 -0700 (PDT)",
		    "2024-05-15T11:32:54Z" },
		{ "positive zone", "14 May 2024 09:12:44 +0200",
		    "2024-05-14T07:12:44Z" },
		{ "half-hour zone, back over new year",
		    "Mon, 1 Jan 2024 00:00:00 +0530", "2023-12-31T18:30:00Z" },
		{ "forward over new year", "Tue, 31 Dec 2024 23:30:00 -0100",
		    "2025-01-01T00:30:00Z" },
		{ "leap day", "Thu, 29 Feb 2024 12:00:00 +0000",
		    "2024-02-29T12:00:00Z" },
		{ "over a leap day", "Wed, 28 Feb 2024 23:00:00 -0200",
		    "2024-02-29T01:00:00Z" },
		{ "no seconds", "Tue, 14 May 2024 09:12 +0000",
		    "2024-05-14T09:12:00Z" },
		{ "no day name", "14 May 2024 09:12:44 +0000",
		    "2024-05-14T09:12:44Z" },
		{ "no zone is utc", "14 May 2024 09:12:44", "2024-05-14T09:12:44Z" },
		{ "fraction of a second", "14 May 2024 09:12:44.123 +0000",
		    "2024-05-14T09:12:44Z" },
		{ "full month name", "14 September 2024 09:12:44 +0000",
		    "2024-09-14T09:12:44Z" },
		{ "upper case", "TUE, 14 MAY 2024 09:12:44 +0000",
		    "2024-05-14T09:12:44Z" },
		{ "GMT", "Wed, 15 May 2024 06:41:08 GMT", "2024-05-15T06:41:08Z" },
		{ "UT", "15 May 2024 06:41:08 UT", "2024-05-15T06:41:08Z" },
		{ "EST", "Tue, 14 May 2024 09:12:44 EST", "2024-05-14T14:12:44Z" },
		{ "EDT", "Tue, 14 May 2024 09:12:44 EDT", "2024-05-14T13:12:44Z" },
		{ "CST", "Tue, 14 May 2024 09:12:44 CST", "2024-05-14T15:12:44Z" },
		{ "MDT", "Tue, 14 May 2024 09:12:44 MDT", "2024-05-14T15:12:44Z" },
		{ "PST", "Tue, 14 May 2024 09:12:44 PST", "2024-05-14T17:12:44Z" },
		{ "PDT", "Tue, 14 May 2024 09:12:44 PDT", "2024-05-14T16:12:44Z" },
		{ "JST", "Tue, 14 May 2024 09:12:44 JST", "2024-05-14T00:12:44Z" },
		{ "two-digit year 24", "14 May 24 09:12:44 +0000",
		    "2024-05-14T09:12:44Z" },
		{ "two-digit year 99", "Fri, 1 Jan 99 00:00:00 +0000",
		    "1999-01-01T00:00:00Z" },
		{ "two-digit year 49", "1 Jan 49 00:00:00 +0000",
		    "2049-01-01T00:00:00Z" },
		{ "two-digit year 50", "1 Jan 50 00:00:00 +0000",
		    NULL },	/* 1950: before the epoch, refused */
		{ "three-digit year", "1 Jan 104 00:00:00 +0000",
		    "2004-01-01T00:00:00Z" },
		{ "asctime", "Tue May 14 09:12:44 2024", "2024-05-14T09:12:44Z" },
		{ "asctime padded day", "Wed May  1 09:12:44 2024",
		    "2024-05-01T09:12:44Z" },
		{ "month first with year", "May 14 2024 09:12:44 +0000",
		    "2024-05-14T09:12:44Z" },
		{ "dashes", "14-May-2024 09:12:44 +0000", "2024-05-14T09:12:44Z" },
		{ "leading blanks", "   Tue, 14 May 2024 09:12:44 +0000",
		    "2024-05-14T09:12:44Z" },
		{ "garbage", "hello world", NULL },
		{ "empty", "", NULL },
		{ "day 32", "32 May 2024 09:12:44 +0000", NULL },
		{ "day 0", "0 May 2024 09:12:44 +0000", NULL },
		{ "no such month", "14 Foo 2024 09:12:44 +0000", NULL },
		{ "no time", "14 May 2024", NULL },
		{ "hour 24", "14 May 2024 24:00:00 +0000", NULL },
		{ "minute 60", "14 May 2024 23:60:00 +0000", NULL },
		{ "broken time", "14 May 2024 09-12-44 +0000", NULL },
		{ "numbers only", "2024 05 14", NULL },
		{ "broken zone sign", "14 May 2024 09:12:44 +", NULL },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++) {
		char out[21] = "untouched";
		bool ok = bnc_date_iso(bnc_str_c(rows[i].in), out);

		CHECK_BOOL(rows[i].name, "ok", ok, rows[i].want != NULL);
		if (ok && rows[i].want)
			CHECK_STR(rows[i].name, "iso", out, rows[i].want);
	}
	/* The view's end is respected: a cut-off year is no date. */
	{
		char out[21];
		static const char s[] = "14 May 2024 09:12:44 +0000";
		CHECK_BOOL("view cut before the time", "ok",
		    bnc_date_iso(bnc_str_make(s, 11), out), false);
		CHECK_BOOL("view cut before the zone", "ok",
		    bnc_date_iso(bnc_str_make(s, 20), out), true);
		CHECK_STR("view cut before the zone", "iso", out,
		    "2024-05-14T09:12:44Z");
	}
}

/* bnc_date_iso() (the usual form read at once) against
 * bnc_date_iso_plain() on 300,000 generated dates: the usual form and
 * its near misses (other weekdays and separators, one to three digits,
 * months in any case or none, years 0000-9999, times out of range,
 * zones of every sign and length, trailing text, cut anywhere). */
static void
test_plain(void)
{
	static const char *const wd[] = { "Mon", "tue", "WED", "Thu", "Fri",
		"Sat", "Sun", "Mar", "Xyz", "Monday", "", "1" };
	static const char *const sep[] = { ", ", ",", " ", ",  ", "\t",
		", \n" };
	static const char *const mon[] = { "Jan", "feb", "MAR", "Apr", "May",
		"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Foo", "Janu",
		"-Jan-", "" };
	static const char *const zone[] = { "+0000", "-0800", "+0530",
		"+9999", "-00", "GMT", "EST", "+", "", "+00000", "-1260" };
	static const char *const tail[] = { "", " (UTC)", "x", " ", "\n",
		".5" };
	static struct h_rng rng = { 0x2545f4914f6cdd1dull };
	char buf[128], a[21], b[21];
	unsigned i, diff = 0;

	for (i = 0; i < 300000; i++) {
		int n;
		bool ra, rb;
		size_t len;
		n = snprintf(buf, sizeof(buf), "%s%s%s%s%u %s %0*u %02u:%02u:%02u"
		    "%s%s%s", h_rnd(&rng, 4) == 0 ? " " : "",
		    wd[h_rnd(&rng, H_NELEM(wd))],
		    sep[h_rnd(&rng, H_NELEM(sep))],
		    h_rnd(&rng, 8) == 0 ? "0" : "", h_rnd(&rng, 40),
		    mon[h_rnd(&rng, H_NELEM(mon))], (int)(1 + h_rnd(&rng, 4)),
		    h_rnd(&rng, 10000), h_rnd(&rng, 26), h_rnd(&rng, 62),
		    h_rnd(&rng, 62), h_rnd(&rng, 6) == 0 ? "" : " ",
		    zone[h_rnd(&rng, H_NELEM(zone))],
		    tail[h_rnd(&rng, H_NELEM(tail))]);
		if (n < 0)
			continue;
		len = (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1;
		/* Cut short at times. */
		if (h_rnd(&rng, 5) == 0)
			len = h_rnd(&rng, (unsigned)len + 1);
		memset(a, 0, sizeof(a));
		memset(b, 0, sizeof(b));
		ra = bnc_date_iso(bnc_str_make(buf, len), a);
		rb = bnc_date_iso_plain(bnc_str_make(buf, len), b);
		if ((ra != rb || (ra && memcmp(a, b, sizeof(a)) != 0)) &&
		    diff++ < 5) {
			buf[len] = '\0';
			CHECK_STR(buf, "iso", ra ? a : "(none)", rb ? b :
			    "(none)");
		}
	}
	CHECK_INT("generated", "answers unlike the plain reading",
	    (long)diff, 0);
}

int
main(void)
{
	test_plain();
	test_dates();
	return h_done("test_date");
}

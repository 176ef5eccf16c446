/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_date.c - src/dsn/date.c: RFC 5322 section 3.3 dates and the
 * obsolete and sloppy forms bounces carry (section 4.3 zone names and
 * two-digit years, asctime), to ISO 8601 UTC; garbage gives false.
 */
#include <stdlib.h>

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

static struct h_rng rng = { 0x2545f4914f6cdd1dull };

/* bnc_date_iso() (the usual form at fixed places) against the general
 * reader alone on generated dates: the usual form and each of its
 * pieces changed (day names and months in any case, a month for a day
 * name, days and years and times of other widths, zones of other
 * signs, widths and names, white space, commas, cuts anywhere), each
 * in a buffer of its exact size. */
static void
test_plain(void)
{
	static const char *const dayname[] = { "", "Thu, ", "mon, ", "SUN, ",
		"Mar, ", "Thu,", "Thursday, ", "Thu ,", "Thu,  ", "X, ", "12, ",
		" Thu, " };
	static const char *const day[] = { "1", "9", "29", "31", "0", "32",
		"00", "07", "123", "", "a", "28", "30" };
	static const char *const mon[] = { "Apr", "apr", "DEC", "Sept", "Foo",
		"Ma", "May", "Jan", "Feb", "feb", "Jun", "Nov" };
	static const char *const year[] = { "2010", "1999", "0999", "99",
		"49", "1969", "9999", "10000", "20a0", "2010:", "2000", "2100",
		"2024", "2023", "1970" };
	static const char *const tm[] = { "23:34:45", "23:34", "00:00:00",
		"24:00:00", "23:60:00", "23:59:60", "23:59:61", "2:34:45",
		"23:4:45", "23:34:4", "23:34:45.123", "23:34:45:", "aa:bb",
		"00:30:00", "08:59:59", "09:00:00", "15:00:00", "23:59:59" };
	static const char *const zone[] = { "+0900", "-0800", "+0000",
		"-1230", "+09", "+09000", "+9", "+", "GMT", "JST", "(JST)",
		"+0900 (JST)", "-0000 (UTC)", "+09:00", "", "+a900", "+1400",
		"-1200", "+0530", "-0930", "+0059", "+9999" };
	static const char *const sep[] = { " ", " ", " ", " ", "  ", "\t",
		"-", ",", "" };
	char buf[200], a[21], b[21];
	unsigned i, diff = 0;

	for (i = 0; i < 200000; i++) {
		size_t n = 0;
		const char *piece[9];
		unsigned k;
		char *in;
		bool ok_a, ok_b;

		piece[0] = dayname[h_rnd(&rng, H_NELEM(dayname))];
		piece[1] = day[h_rnd(&rng, H_NELEM(day))];
		piece[2] = h_rnd(&rng, 4) ? " " : sep[h_rnd(&rng, H_NELEM(sep))];
		piece[3] = mon[h_rnd(&rng, H_NELEM(mon))];
		piece[4] = h_rnd(&rng, 4) ? " " : sep[h_rnd(&rng, H_NELEM(sep))];
		piece[5] = year[h_rnd(&rng, H_NELEM(year))];
		piece[6] = h_rnd(&rng, 4) ? " " : sep[h_rnd(&rng, H_NELEM(sep))];
		piece[7] = tm[h_rnd(&rng, H_NELEM(tm))];
		piece[8] = zone[h_rnd(&rng, H_NELEM(zone))];
		if (h_rnd(&rng, 3) == 0)
			buf[n++] = ' ';
		for (k = 0; k < 9; k++) {
			size_t l = strlen(piece[k]);
			memcpy(buf + n, piece[k], l);
			n += l;
			if (k == 7 && h_rnd(&rng, 5))
				buf[n++] = ' ';
		}
		if (h_rnd(&rng, 4) == 0)
			n -= h_rnd(&rng, (unsigned)n + 1);
		in = malloc(n ? n : 1);
		memcpy(in, buf, n);
		memset(a, 0, sizeof(a));
		memset(b, 0, sizeof(b));
		ok_a = bnc_date_iso(bnc_str_make(in, n), a);
		ok_b = bnc_date_iso_plain(bnc_str_make(in, n), b);
		if ((ok_a != ok_b || (ok_a && strcmp(a, b) != 0)) &&
		    diff++ < 5) {
			buf[n] = '\0';
			CHECK_BOOL(buf, "ok", ok_a, ok_b);
			CHECK_STR(buf, "iso", a, b);
		}
		free(in);
	}
	CHECK_INT("dates at fixed places", "answers unlike the general "
	    "reader's", diff, 0);
}

int
main(void)
{
	test_plain();
	test_dates();
	return h_done("test_date");
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * date.c - date parsing. Accepts an optional day name, "DD Mon YYYY
 * HH:MM[:SS]" in either order of day and month, two-digit years (RFC
 * 5322 4.3), numeric zones and the obsolete US zone names; anything
 * unreadable gives false rather than a guess.
 */
#include <stdio.h>

#include "date.h"

static const char *const months[] = { "jan", "feb", "mar", "apr", "may",
	"jun", "jul", "aug", "sep", "oct", "nov", "dec" };

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static long
days_from_civil(long y, unsigned m, unsigned d)
{
	long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static void
civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
	long era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	*y = (long)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y += *m <= 2;
}

struct cur {
	const char *p, *end;
};

static void
skip(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' ||
	    *c->p == ',' || *c->p == '\n'))
		c->p++;
}

static bool
number(struct cur *c, long *out, int maxdigits)
{
	long v = 0;
	int n = 0;

	while (c->p < c->end && bnc_is_digit((unsigned char)*c->p) &&
	    n < maxdigits) {
		v = v * 10 + (*c->p - '0');
		c->p++;
		n++;
	}
	*out = v;
	return n > 0;
}

static int
month(struct cur *c)
{
	int i;

	if (c->end - c->p < 3)
		return -1;
	for (i = 0; i < 12; i++) {
		if (bnc_lower((unsigned char)c->p[0]) == months[i][0] &&
		    bnc_lower((unsigned char)c->p[1]) == months[i][1] &&
		    bnc_lower((unsigned char)c->p[2]) == months[i][2]) {
			while (c->p < c->end && bnc_is_alpha((unsigned char)*c->p))
				c->p++;
			return i + 1;
		}
	}
	return -1;
}

static bool
zone(struct cur *c, long *offset_min)
{
	static const struct {
		const char *name;
		int off;
	} names[] = { { "UT", 0 }, { "GMT", 0 }, { "UTC", 0 }, { "Z", 0 },
		{ "EST", -300 }, { "EDT", -240 }, { "CST", -360 },
		{ "CDT", -300 }, { "MST", -420 }, { "MDT", -360 },
		{ "PST", -480 }, { "PDT", -420 }, { "JST", 540 },
		{ "CET", 60 }, { "CEST", 120 }, { "BST", 60 } };
	size_t i;

	*offset_min = 0;
	skip(c);
	if (c->p < c->end && (*c->p == '+' || *c->p == '-')) {
		int sign = *c->p == '-' ? -1 : 1;
		long v;
		c->p++;
		if (!number(c, &v, 4))
			return false;
		*offset_min = sign * ((v / 100) * 60 + v % 100);
		return true;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct bnc_str rest = bnc_str_make(c->p, (size_t)(c->end - c->p));
		size_t n = strlen(names[i].name);
		if (bnc_str_istarts(rest, names[i].name) &&
		    (rest.len == n || !bnc_is_alpha((unsigned char)rest.ptr[n]))) {
			*offset_min = names[i].off;
			return true;
		}
	}
	return true;	/* no zone: take UTC */
}

/* "2016-11-25T01:49:01.000Z", "2016-11-25 01:49:01+09:00" (ISO 8601,
 * as JSON notifications write it). */
static bool
iso8601(struct cur *c, long *year, int *mon, long *day, long *hh, long *mm,
    long *ss, long *off)
{
	long v;

	if (!number(c, year, 4) || c->p >= c->end || *c->p++ != '-' ||
	    !number(c, &v, 2) || c->p >= c->end || *c->p++ != '-' ||
	    !number(c, day, 2))
		return false;
	*mon = (int)v;
	if (c->p >= c->end || (*c->p != 'T' && *c->p != ' '))
		return false;
	c->p++;
	if (!number(c, hh, 2) || c->p >= c->end || *c->p++ != ':' ||
	    !number(c, mm, 2))
		return false;
	*ss = 0;
	if (c->p < c->end && *c->p == ':') {
		c->p++;
		if (!number(c, ss, 2))
			return false;
	}
	if (c->p < c->end && *c->p == '.') {
		long frac;
		c->p++;
		number(c, &frac, 9);
	}
	*off = 0;
	if (c->p < c->end && (*c->p == '+' || *c->p == '-')) {
		int sign = *c->p++ == '-' ? -1 : 1;
		long h = 0, m = 0;
		if (!number(c, &h, 2))
			return false;
		if (c->p < c->end && *c->p == ':')
			c->p++;
		number(c, &m, 2);
		*off = sign * (h * 60 + m);
	}
	return *mon >= 1 && *mon <= 12 && *day >= 1 && *day <= 31;
}

/* Two decimal digits of n (below 100). */
static void
put2(char *p, unsigned n)
{
	p[0] = (char)('0' + n / 10 % 10);
	p[1] = (char)('0' + n % 10);
}

/* The checks and the conversion to UTC of a date read, into out. */
static bool
finish_plain(long year, int mon, long day, long hh, long mm, long ss, long off,
    char out[21])
{
	long secs, y;
	unsigned mo, d;

	if (year < 1970 || year > 9999 || hh > 23 || mm > 59 || ss > 60)
		return false;
	secs = days_from_civil(year, (unsigned)mon, (unsigned)day) * 86400 +
	    hh * 3600 + mm * 60 + ss - off * 60;
	civil_from_days(secs >= 0 ? secs / 86400 : (secs - 86399) / 86400,
	    &y, &mo, &d);
	{
		long rem = secs - (secs >= 0 ? secs / 86400 :
		    (secs - 86399) / 86400) * 86400;
		char buf[64];
		if (y >= 0 && y <= 9999) {
			/* By hand: snprintf() costs more than the parse. */
			put2(buf, (unsigned)(y / 100));
			put2(buf + 2, (unsigned)(y % 100));
			buf[4] = '-';
			put2(buf + 5, mo);
			buf[7] = '-';
			put2(buf + 8, d);
			buf[10] = 'T';
			put2(buf + 11, (unsigned)(rem / 3600));
			buf[13] = ':';
			put2(buf + 14, (unsigned)(rem % 3600 / 60));
			buf[16] = ':';
			put2(buf + 17, (unsigned)(rem % 60));
			buf[19] = 'Z';
		} else {
			snprintf(buf, sizeof(buf),
			    "%04ld-%02u-%02uT%02ld:%02ld:%02ldZ", y, mo, d,
			    rem / 3600, rem % 3600 / 60, rem % 60);
		}
		memcpy(out, buf, 20);
		out[20] = '\0';
	}
	return true;
}

bool
bnc_date_iso_plain(struct bnc_str s, char out[21])
{
	struct cur c = { s.ptr, s.ptr + s.len };
	long day = 0, year = 0, hh = 0, mm = 0, ss = 0, off;
	int mon;

	skip(&c);
	if (c.end - c.p >= 10 && bnc_is_digit((unsigned char)c.p[0]) &&
	    c.p[4] == '-') {
		if (!iso8601(&c, &year, &mon, &day, &hh, &mm, &ss, &off))
			return false;
		goto have;
	}
	/* Optional day name. */
	if (c.p < c.end && bnc_is_alpha((unsigned char)*c.p)) {
		const char *name = c.p;
		if (month(&c) < 0) {
			while (c.p < c.end && bnc_is_alpha((unsigned char)*c.p))
				c.p++;
			skip(&c);
		} else {
			c.p = name;	/* it was a month: read again below */
		}
	}
	if (c.p < c.end && bnc_is_digit((unsigned char)*c.p)) {
		if (!number(&c, &day, 2))
			return false;
		skip(&c);
		if (c.p < c.end && *c.p == '-')
			c.p++;
		mon = month(&c);
	} else {
		/* "Mon DD HH:MM:SS YYYY" (asctime) or "Mon DD YYYY ..." */
		mon = month(&c);
		skip(&c);
		if (!number(&c, &day, 2))
			return false;
	}
	if (mon < 0 || day < 1 || day > 31)
		return false;
	skip(&c);
	if (c.p < c.end && *c.p == '-')
		c.p++;
	{
		const char *save = c.p;
		long v;
		if (!number(&c, &v, 4))
			return false;
		if (c.p < c.end && *c.p == ':') {
			/* asctime order: time first, year last */
			c.p = save;
			if (!number(&c, &hh, 2) || c.p >= c.end || *c.p++ != ':' ||
			    !number(&c, &mm, 2))
				return false;
			if (c.p < c.end && *c.p == ':') {
				c.p++;
				number(&c, &ss, 2);
			}
			off = 0;
			skip(&c);
			{
				const char *z = c.p;
				while (c.p < c.end && !bnc_is_digit((unsigned char)*c.p))
					c.p++;
				if (!number(&c, &year, 4))
					return false;
				c.p = z;
				zone(&c, &off);
			}
			goto have;
		}
		year = v;
	}
	if (year < 50)
		year += 2000;
	else if (year < 1000)
		year += 1900;
	skip(&c);
	if (!number(&c, &hh, 2) || c.p >= c.end || *c.p++ != ':' ||
	    !number(&c, &mm, 2))
		return false;
	if (c.p < c.end && *c.p == ':') {
		c.p++;
		if (!number(&c, &ss, 2))
			return false;
	}
	/* Fractions of a second: "12:00:00.123". */
	if (c.p < c.end && *c.p == '.') {
		long frac;
		c.p++;
		number(&c, &frac, 9);
	}
	if (!zone(&c, &off))
		return false;
have:
	return finish_plain(year, mon, day, hh, mm, ss, off, out);
}

/* finish_plain() without the day count there and back when the date
 * stays the same: a real day of its month, no leap second, and the
 * time minus the zone still on that day, which is then the answer. */
static bool
finish(long year, int mon, long day, long hh, long mm, long ss, long off,
    char out[21])
{
	static const unsigned char dim[13] = { 0, 31, 28, 31, 30, 31, 30, 31,
		31, 30, 31, 30, 31 };
	long t = hh * 60 + mm - off, days;

	if (year < 1970 || year > 9999 || hh > 23 || mm > 59 || ss > 59 ||
	    mon < 1 || mon > 12 || day < 1 || t < 0 || t >= 1440)
		return finish_plain(year, mon, day, hh, mm, ss, off, out);
	days = dim[mon] + (mon == 2 && year % 4 == 0 && (year % 100 != 0 ||
	    year % 400 == 0));
	if (day > days)
		return finish_plain(year, mon, day, hh, mm, ss, off, out);
	put2(out, (unsigned)(year / 100));
	put2(out + 2, (unsigned)(year % 100));
	out[4] = '-';
	put2(out + 5, (unsigned)mon);
	out[7] = '-';
	put2(out + 8, (unsigned)day);
	out[10] = 'T';
	put2(out + 11, (unsigned)(t / 60));
	out[13] = ':';
	put2(out + 14, (unsigned)(t % 60));
	out[16] = ':';
	put2(out + 17, (unsigned)ss);
	out[19] = 'Z';
	out[20] = '\0';
	return true;
}

/* The digits of p[0, n) as a number, or -1 when one is not a digit. */
static inline long
digits(const char *p, int n)
{
	long v = 0;
	int i;

	for (i = 0; i < n; i++) {
		if (!bnc_is_digit((unsigned char)p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* The month of the three letters at p (any case), or -1. */
static inline int
month3(const char *p)
{
	unsigned k = (unsigned)bnc_lower((unsigned char)p[0]) << 16 |
	    (unsigned)bnc_lower((unsigned char)p[1]) << 8 |
	    (unsigned)bnc_lower((unsigned char)p[2]);
	int i;

	for (i = 0; i < 12; i++)
		if (k == ((unsigned)(unsigned char)months[i][0] << 16 |
		    (unsigned)(unsigned char)months[i][1] << 8 |
		    (unsigned char)months[i][2]))
			return i + 1;
	return -1;
}

/* The form nearly every date has, "Thu, 29 Apr 2010 23:34:45 +0900"
 * (the day name and the seconds optional, the day of one or two
 * digits), read at fixed places; anything else, and anything such a
 * date has that the general reader might take otherwise, goes to
 * bnc_date_iso_plain(). */
bool
bnc_date_iso(struct bnc_str s, char out[21])
{
	struct cur c = { s.ptr, s.ptr + s.len };
	const char *p;
	long day, year, hh, mm, ss = 0, off;
	size_t n;
	int mon;

	skip(&c);
	p = c.p;
	n = (size_t)(c.end - c.p);
	if (n >= 5 && bnc_is_alpha((unsigned char)p[0])) {
		/* A day name: three letters, ", ", and no month's name
		 * (the general reader reads a month there). */
		if (!bnc_is_alpha((unsigned char)p[1]) ||
		    !bnc_is_alpha((unsigned char)p[2]) || p[3] != ',' ||
		    p[4] != ' ' || month3(p) > 0)
			return bnc_date_iso_plain(s, out);
		p += 5;
		n -= 5;
	}
	/* D[D] Mmm YYYY HH:MM[:SS] +ZZZZ */
	if (n >= 2 && p[1] == ' ') {
		day = digits(p, 1);
		p += 2;
		n -= 2;
	} else if (n >= 3 && p[2] == ' ') {
		day = digits(p, 2);
		p += 3;
		n -= 3;
	} else {
		return bnc_date_iso_plain(s, out);
	}
	if (day < 1 || day > 31 || n < 22 || p[3] != ' ' ||
	    (mon = month3(p)) < 0 || p[8] != ' ' ||
	    (year = digits(p + 4, 4)) < 1000 || p[11] != ':' ||
	    (hh = digits(p + 9, 2)) < 0 || (mm = digits(p + 12, 2)) < 0)
		return bnc_date_iso_plain(s, out);
	p += 14;
	n -= 14;
	if (p[0] == ':') {
		if ((ss = digits(p + 1, 2)) < 0 || n < 9)
			return bnc_date_iso_plain(s, out);
		p += 3;
		n -= 3;
	}
	if (p[0] != ' ' || (p[1] != '+' && p[1] != '-') ||
	    (off = digits(p + 2, 4)) < 0)
		return bnc_date_iso_plain(s, out);
	off = (p[1] == '-' ? -1 : 1) * ((off / 100) * 60 + off % 100);
	return finish(year, mon, day, hh, mm, ss, off, out);
}

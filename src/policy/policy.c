/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * policy.c - the bounce policy as pure functions (policy.h), the time
 * format of the store, and the address key. Nothing here touches a
 * clock or a database, so the table tests in tests/unit/store walk every
 * class against every standing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/str.h"
#include "policy.h"

/* More retries than this make no sense within any window and would
 * overflow the back-off arithmetic (2^n). */
#define MAX_RETRY_ATTEMPTS 30
/* A streak limit past any real run of campaigns. */
#define MAX_SOFT_STREAK 1000000
/* A limit as text, for bnc_policy_expects(). */
#define TEXT_(x) #x
#define TEXT(x) TEXT_(x)

static bool
parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (s == NULL || !bnc_is_digit((unsigned char)*s))
		return false;
	v = strtoull(s, &end, 10);
	if (*end != '\0' || v > max)
		return false;
	*out = v;
	return true;
}

/* "3600", "3600s", "90m", "72h", "3d" -> seconds. */
static bool
parse_duration(const char *s, long long *out)
{
	char num[32];
	size_t n = s ? strlen(s) : 0;
	unsigned long long v, mul = 1;

	if (n == 0 || n >= sizeof(num))
		return false;
	memcpy(num, s, n + 1);
	switch (num[n - 1]) {
	case 's':
		mul = 1;
		break;
	case 'm':
		mul = 60;
		break;
	case 'h':
		mul = 3600;
		break;
	case 'd':
		mul = 86400;
		break;
	default:
		n++;	/* no unit: seconds */
		break;
	}
	num[n - 1] = '\0';
	/* Ten years is more than any retry window anyone means. */
	if (!parse_uint(num, 10ULL * 366 * 86400 / mul, &v))
		return false;
	*out = (long long)(v * mul);
	return true;
}

int
bnc_policy_set(struct bnc_policy *p, const char *key, const char *value)
{
	unsigned long long v;

	if (strcmp(key, "soft_streak_limit") == 0) {
		if (!parse_uint(value, MAX_SOFT_STREAK, &v))
			return BNC_EINVAL;
		p->soft_streak_limit = (unsigned)v;
	} else if (strcmp(key, "retry_attempts") == 0) {
		if (!parse_uint(value, MAX_RETRY_ATTEMPTS, &v))
			return BNC_EINVAL;
		p->retry_attempts = (unsigned)v;
	} else if (strcmp(key, "retry_window") == 0) {
		long long d;
		/* No window would make every retry due at the first
		 * bounce; no retries is retry_attempts = 0. */
		if (!parse_duration(value, &d) || d == 0)
			return BNC_EINVAL;
		p->retry_window = d;
	} else {
		return BNC_ENOTFOUND;
	}
	return 0;
}

const char *
bnc_policy_expects(const char *key)
{
	if (strcmp(key, "soft_streak_limit") == 0)
		return "a whole number, 0 to " TEXT(MAX_SOFT_STREAK);
	if (strcmp(key, "retry_attempts") == 0)
		return "a whole number, 0 to " TEXT(MAX_RETRY_ATTEMPTS);
	if (strcmp(key, "retry_window") == 0)
		return "more than 0: seconds, or a number with s, m, h or d, "
		    "as in 90m, 72h, 3d";
	return "";
}

static const char *const state_names[] = { "ok", "soft", "suppressed" };

const char *
bnc_state_name(enum bnc_state s)
{
	if ((unsigned)s < sizeof(state_names) / sizeof(state_names[0]))
		return state_names[s];
	return "ok";
}

bool
bnc_state_parse(const char *name, enum bnc_state *out)
{
	unsigned i;

	for (i = 0; i < sizeof(state_names) / sizeof(state_names[0]); i++) {
		if (strcmp(name, state_names[i]) == 0) {
			*out = (enum bnc_state)i;
			return true;
		}
	}
	return false;
}

static void
suppress(struct bnc_transition *out, const struct bnc_policy_event *ev,
    const char *reason)
{
	out->next.state = BNC_STATE_SUPPRESSED;
	out->next.reason = reason;
	out->next.since = ev->at;
	out->changed = true;
	out->cancel_retries = true;
}

void
bnc_policy_apply(struct bnc_transition *out, const struct bnc_policy *p,
    const struct bnc_standing *cur, const struct bnc_policy_event *ev)
{
	memset(out, 0, sizeof(*out));
	out->next = *cur;
	/* Suppression is sticky: a later delivery or bounce is recorded but
	 * only a person (suppressions remove) lifts it. */
	if (cur->state == BNC_STATE_SUPPRESSED)
		return;
	switch (ev->cls) {
	case BNC_CLASS_HARD:
		suppress(out, ev, BNC_REASON_HARD);
		break;
	case BNC_CLASS_COMPLAINT:
		suppress(out, ev, BNC_REASON_COMPLAINT);
		break;
	case BNC_CLASS_SOFT:
		/* Several soft bounces in one campaign (retries of the same
		 * mail, or a campaign sent twice) count once. */
		if (!ev->new_campaign)
			break;
		out->next.streak = cur->streak + 1;
		out->changed = true;
		if (p->soft_streak_limit > 0 &&
		    out->next.streak >= (long long)p->soft_streak_limit) {
			suppress(out, ev, BNC_REASON_STREAK);
			break;
		}
		if (cur->state != BNC_STATE_SOFT) {
			out->next.state = BNC_STATE_SOFT;
			out->next.reason = BNC_REASON_SOFT;
			out->next.since = ev->at;
		}
		break;
	case BNC_CLASS_DELIVERED:
		if (cur->state == BNC_STATE_OK && cur->streak == 0)
			break;
		out->next.state = BNC_STATE_OK;
		out->next.reason = BNC_REASON_DELIVERED;
		out->next.since = ev->at;
		out->next.streak = 0;
		out->changed = true;
		out->reset_streak = true;
		break;
	case BNC_CLASS_GRAY:		/* the sender's problem, not theirs */
	case BNC_CLASS_AUTO_REPLY:	/* the mail arrived */
	case BNC_CLASS_UNKNOWN:		/* nothing to act on; reviewed */
	default:
		break;
	}
}

int
bnc_policy_retry(struct bnc_retry_plan *out, const struct bnc_policy *p,
    long long attempts, const char *first_at, const char *at)
{
	long long t, first, due, span;
	unsigned n = p->retry_attempts;

	memset(out, 0, sizeof(*out));
	if (bnc_time_parse(&t, at) != 0)
		return BNC_EINVAL;
	if (attempts <= 0 || first_at == NULL || *first_at == '\0')
		first = t;
	else if (bnc_time_parse(&first, first_at) != 0)
		return BNC_EINVAL;
	out->attempts = (attempts < 0 ? 0 : attempts) + 1;
	bnc_time_format(out->first_at, first);
	if (n > MAX_RETRY_ATTEMPTS)
		n = MAX_RETRY_ATTEMPTS;
	/* out->attempts soft bounces mean out->attempts - 1 retries were
	 * made; the next one is number out->attempts. */
	if (n == 0 || out->attempts > (long long)n ||
	    t > first + p->retry_window) {
		out->exhausted = true;
		return 0;
	}
	span = (long long)((1ULL << n) - 1);
	due = first + (long long)(((1ULL << out->attempts) - 1) *
	    (unsigned long long)p->retry_window / (unsigned long long)span);
	/* A bounce that came back after its slot: retry now, not never. */
	if (due < t)
		due = t;
	bnc_time_format(out->next_at, due);
	return 0;
}

static bool
digits(const char *s, size_t n, int *out)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!bnc_is_digit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

int
bnc_time_parse(long long *out, const char *s)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, sec = 0, oh, om;
	long long off = 0;
	const char *p;
	size_t n;
	time_t t;

	if (s == NULL)
		return BNC_EINVAL;
	n = strlen(s);
	if (n >= 2 && s[0] == '@') {
		char *end;
		long long v = strtoll(s + 1, &end, 10);
		if (*end != '\0' || !bnc_is_digit((unsigned char)s[1]))
			return BNC_EINVAL;
		*out = v;
		return 0;
	}
	if (n < 10 || !digits(s, 4, &y) || s[4] != '-' ||
	    !digits(s + 5, 2, &mo) || s[7] != '-' || !digits(s + 8, 2, &d))
		return BNC_EINVAL;
	if (n > 10) {
		if ((s[10] != 'T' && s[10] != ' ') || n < 19 ||
		    !digits(s + 11, 2, &h) || s[13] != ':' ||
		    !digits(s + 14, 2, &mi) || s[16] != ':' ||
		    !digits(s + 17, 2, &sec))
			return BNC_EINVAL;
		/* What other tools export: a fraction of a second (dropped)
		 * and a zone as Z or a UTC offset, +02:00 or -0500. */
		p = s + 19;
		if (*p == '.') {
			if (!bnc_is_digit((unsigned char)*++p))
				return BNC_EINVAL;
			while (bnc_is_digit((unsigned char)*p))
				p++;
		}
		if (*p == 'Z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p == '-' ? -1 : 1;
			if (!digits(p + 1, 2, &oh))
				return BNC_EINVAL;
			p += p[3] == ':' ? 4 : 3;
			if (!digits(p, 2, &om) || oh > 23 || om > 59)
				return BNC_EINVAL;
			off = sign * (oh * 3600LL + om * 60);
			p += 2;
		}
		if (*p != '\0')
			return BNC_EINVAL;
	}
	/* A day the month does not have is a mistake, not the next month
	 * (timegm would fold 2024-02-30 into March). */
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 ||
	    mi > 59 || sec > 60 || (mo == 2 && d == 29 &&
	    !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
		return BNC_EINVAL;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	*out = (long long)t - off;
	return 0;
}

void
bnc_time_format(char *out, long long t)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, BNC_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, BNC_TIME_LEN, "1970-01-01T00:00:00Z");
}

bool
bnc_address_key(char *out, size_t size, const char *addr)
{
	struct bnc_str s = bnc_str_trim(bnc_str_c(addr));
	size_t i, k, o = 0, at = (size_t)-1;

	if (s.len >= 2 && s.ptr[0] == '<' && s.ptr[s.len - 1] == '>')
		s = bnc_str_trim(bnc_str_make(s.ptr + 1, s.len - 2));
	if (s.len == 0)
		return false;
	for (i = 0; i < s.len; i++)
		if (s.ptr[i] == '@')
			at = i;
	for (i = 0; i < s.len; i += k) {
		const char *c = s.ptr + i;
		k = bnc_utf8_char(c, s.len - i);
		/* A byte outside any character is kept as U+FFFD, as both
		 * backends store text (store.c). */
		if (k == 0)
			c = "\xef\xbf\xbd";
		if (o + (k ? k : 3) >= size)
			return false;
		if (k == 1 && at != (size_t)-1 && i > at)
			out[o++] = (char)bnc_lower((unsigned char)*c);
		else {
			memcpy(out + o, c, k ? k : 3);
			o += k ? k : 3;
		}
		if (k == 0)
			k = 1;
	}
	out[o] = '\0';
	return true;
}

static bool
local_valid(const char *p, size_t n)
{
	size_t i;

	if (n == 0)
		return false;
	if (n >= 2 && p[0] == '"' && p[n - 1] == '"') {
		for (i = 1; i + 1 < n; i++) {
			unsigned char c = (unsigned char)p[i];
			if (c < 0x20 || c == 0x7f)
				return false;
			if (c == '\\' && ++i + 1 >= n)
				return false;	/* escapes the closing quote */
			else if (c == '"')
				return false;
		}
		return true;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c <= 0x20 || c == 0x7f || strchr("()<>[]:;@\\,\"", c))
			return false;
	}
	return true;
}

static bool
domain_valid(const char *p, size_t n)
{
	size_t i, label = 0;

	if (n == 0 || n > 255)
		return false;
	if (p[0] == '[') {
		if (n < 3 || p[n - 1] != ']')
			return false;
		for (i = 1; i + 1 < n; i++)
			if (!bnc_is_digit((unsigned char)p[i]) &&
			    !bnc_is_alpha((unsigned char)p[i]) &&
			    !strchr(".:-", p[i]))
				return false;
		return true;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!bnc_is_digit(c) && !bnc_is_alpha(c) && c != '-' &&
		    c != '_' && c < 0x80)
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0;
}

bool
bnc_address_valid(const char *key)
{
	const char *at = strrchr(key, '@');

	if (at == NULL || strstr(key, "\xef\xbf\xbd") != NULL)
		return false;
	return local_valid(key, (size_t)(at - key)) &&
	    domain_valid(at + 1, strlen(at + 1));
}

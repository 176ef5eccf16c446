/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * str.c - view helpers. ASCII case folding on purpose: header names,
 * SMTP verbs and our phrase tables are ASCII, and locale-dependent
 * tolower() would make results depend on the environment.
 */
#include <stdint.h>

#include "str.h"

#define R(x) x, x + 1, x + 2, x + 3, x + 4, x + 5, x + 6, x + 7
const unsigned char bnc_lower_table[256] = {
	R(0), R(8), R(16), R(24), R(32), R(40), R(48), R(56),
	64, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm',
	'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z',
	91, 92, 93, 94, 95,
	R(96), R(104), R(112), R(120), R(128), R(136), R(144), R(152),
	R(160), R(168), R(176), R(184), R(192), R(200), R(208), R(216),
	R(224), R(232), R(240), R(248)
};
#undef R

struct bnc_str
bnc_str_trim(struct bnc_str s)
{
	while (s.len && bnc_is_space((unsigned char)s.ptr[0])) {
		s.ptr++;
		s.len--;
	}
	while (s.len && bnc_is_space((unsigned char)s.ptr[s.len - 1]))
		s.len--;
	return s;
}

/* One pass, no strlen(): header look-ups call this for every field of
 * a block, and most names differ in their first bytes. */
bool
bnc_str_ieq(struct bnc_str s, const char *cstr)
{
	size_t i;

	for (i = 0; i < s.len; i++)
		if (cstr[i] == '\0' || bnc_lower((unsigned char)s.ptr[i]) !=
		    bnc_lower((unsigned char)cstr[i]))
			return false;
	return cstr[i] == '\0';
}

bool
bnc_str_istarts(struct bnc_str s, const char *prefix)
{
	size_t i, n = strlen(prefix);

	if (s.len < n)
		return false;
	for (i = 0; i < n; i++)
		if (bnc_lower((unsigned char)s.ptr[i]) !=
		    bnc_lower((unsigned char)prefix[i]))
			return false;
	return true;
}

bool
bnc_str_iends(struct bnc_str s, const char *suffix)
{
	size_t n = strlen(suffix);

	if (s.len < n)
		return false;
	return bnc_str_istarts(bnc_str_from(s, s.len - n), suffix);
}

/* Offset of the first byte c in s[from, stop), or stop. *cache keeps
 * the last answer (SIZE_MAX: none yet), so that each memchr() sweeps the
 * text once per search, not once per candidate. */
static size_t
next_byte(struct bnc_str s, size_t from, size_t stop, unsigned char c,
    size_t *cache)
{
	const char *hit;

	if (*cache != SIZE_MAX && *cache >= from)
		return *cache;
	hit = memchr(s.ptr + from, c, stop - from);
	*cache = hit ? (size_t)(hit - s.ptr) : stop;
	return *cache;
}

/* Case-insensitive search. It runs on every diagnostic, subject and
 * marker line, so it finds the candidates for the needle's first byte
 * (in both cases) with memchr(), which is vectorised, and compares the
 * rest only there. */
long
bnc_str_ifind(struct bnc_str s, const char *needle, size_t nlen)
{
	size_t i, j, stop, c_lo = SIZE_MAX, c_up = SIZE_MAX, a, b;
	unsigned char lo, up;

	if (nlen == 0)
		return 0;
	if (s.len < nlen)
		return -1;
	lo = bnc_lower((unsigned char)needle[0]);
	up = bnc_is_alpha(lo) ? (unsigned char)(lo - 'a' + 'A') : lo;
	stop = s.len - nlen + 1;	/* candidates start before this */
	for (i = 0; i < stop; i++) {
		a = next_byte(s, i, stop, lo, &c_lo);
		b = up != lo ? next_byte(s, i, stop, up, &c_up) : a;
		i = a < b ? a : b;
		if (i >= stop)
			break;
		for (j = 1; j < nlen; j++)
			if (bnc_lower((unsigned char)s.ptr[i + j]) !=
			    bnc_lower((unsigned char)needle[j]))
				break;
		if (j == nlen)
			return (long)i;
	}
	return -1;
}

struct bnc_str
bnc_str_line(struct bnc_str s, struct bnc_str *rest)
{
	const char *nl = s.len ? memchr(s.ptr, '\n', s.len) : NULL;
	struct bnc_str line;

	if (nl == NULL) {
		*rest = bnc_str_make(s.ptr + s.len, 0);
		return s;
	}
	line = bnc_str_make(s.ptr, (size_t)(nl - s.ptr));
	*rest = bnc_str_make(nl + 1, s.len - line.len - 1);
	return line;
}

size_t
bnc_utf8_char(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t len, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

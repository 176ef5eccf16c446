/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * address.c - address scanning. Accepts what real bounces carry: quoted
 * local parts, '%' hacks, upper case, trailing dots from sentences.
 * Requires a dot in the domain, so "user@localhost" and Message-ID-like
 * "abc@1" tokens inside texts are not taken for recipients.
 */
#include "address.h"

static const unsigned char local_ok[256] = {
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
	['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1,
	['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1,
	['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
	['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1,
	['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['0'] = 1, ['1'] = 1,
	['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
	['8'] = 1, ['9'] = 1, ['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1,
	['&'] = 1, ['\''] = 1, ['*'] = 1, ['+'] = 1, ['-'] = 1, ['/'] = 1,
	['='] = 1, ['?'] = 1, ['^'] = 1, ['_'] = 1, ['`'] = 1, ['{'] = 1,
	['|'] = 1, ['}'] = 1, ['~'] = 1, ['.'] = 1
};

static bool
domain_ok(unsigned char c)
{
	return bnc_is_alpha(c) || bnc_is_digit(c) || c == '-' || c == '.' ||
	    c == '_';
}

/* Expand around the '@' at `at`; false when no address is there. */
static bool
around_plain(struct bnc_str t, size_t at, size_t *start, size_t *end)
{
	size_t s = at, e = at + 1;
	bool dot = false;

	if (at > 0 && t.ptr[at - 1] == '"') {
		/* Quoted local part: back to the opening quote. */
		size_t q = at - 1;
		while (q > 0 && t.ptr[q - 1] != '"' && t.ptr[q - 1] != '\n')
			q--;
		if (q == 0 || t.ptr[q - 1] != '"')
			return false;
		s = q - 1;
	} else {
		while (s > 0 && local_ok[(unsigned char)t.ptr[s - 1]])
			s--;
		/* A sentence's trailing '=' or '/' is no address part, but
		 * "=?utf-8?b?...?=@host" is a local part written as an RFC
		 * 2047 word (it happens; keep it as it is). */
		while (s < at && (t.ptr[s] == '.' || t.ptr[s] == '=' ||
		    t.ptr[s] == '/' || t.ptr[s] == '\'') &&
		    !(t.ptr[s] == '=' && s + 1 < at && t.ptr[s + 1] == '?'))
			s++;
	}
	if (s == at)
		return false;
	while (e < t.len && domain_ok((unsigned char)t.ptr[e])) {
		if (t.ptr[e] == '.')
			dot = true;
		e++;
	}
	while (e > at + 1 && (t.ptr[e - 1] == '.' || t.ptr[e - 1] == '-'))
		e--;
	if (e == at + 1 || !dot || memchr(t.ptr + at + 1, '.', e - at - 1) == NULL)
		return false;
	*start = s;
	*end = e;
	return true;
}

struct bnc_str
bnc_addr_next_plain(struct bnc_str text, size_t *pos)
{
	size_t i = *pos, s, e;
	const char *at;

	while (i < text.len) {
		at = memchr(text.ptr + i, '@', text.len - i);
		if (at == NULL)
			break;
		i = (size_t)(at - text.ptr);
		if (around_plain(text, i, &s, &e)) {
			*pos = e;
			return bnc_str_make(text.ptr + s, e - s);
		}
		i++;
	}
	*pos = text.len;
	return BNC_STR_NULL;
}

/* The bytes of a domain: 1, and 2 for '.'. */
static const unsigned char domain_tab[256] = {
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
	['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1,
	['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1,
	['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
	['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1,
	['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['0'] = 1, ['1'] = 1,
	['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
	['8'] = 1, ['9'] = 1, ['-'] = 1, ['_'] = 1, ['.'] = 2
};

/* around_plain() with the domain's bytes told by a table and its first
 * dot kept as it is read (a dot is left after the trailing ones are
 * cut when the first is before the end), no second look. */
static bool
around(struct bnc_str t, size_t at, size_t *start, size_t *end)
{
	size_t s = at, e = at + 1, first_dot = (size_t)-1;
	unsigned k;

	if (at > 0 && t.ptr[at - 1] == '"') {
		/* Quoted local part: back to the opening quote. */
		size_t q = at - 1;
		while (q > 0 && t.ptr[q - 1] != '"' && t.ptr[q - 1] != '\n')
			q--;
		if (q == 0 || t.ptr[q - 1] != '"')
			return false;
		s = q - 1;
	} else {
		while (s > 0 && local_ok[(unsigned char)t.ptr[s - 1]])
			s--;
		while (s < at && (t.ptr[s] == '.' || t.ptr[s] == '=' ||
		    t.ptr[s] == '/' || t.ptr[s] == '\'') &&
		    !(t.ptr[s] == '=' && s + 1 < at && t.ptr[s + 1] == '?'))
			s++;
	}
	if (s == at)
		return false;
	while (e < t.len && (k = domain_tab[(unsigned char)t.ptr[e]]) != 0) {
		if (k == 2 && first_dot == (size_t)-1)
			first_dot = e;
		e++;
	}
	while (e > at + 1 && (t.ptr[e - 1] == '.' || t.ptr[e - 1] == '-'))
		e--;
	if (e == at + 1 || first_dot >= e)
		return false;
	*start = s;
	*end = e;
	return true;
}

/* bnc_addr_next(), and where in the address its '@' is (*at_out). */
static inline struct bnc_str
addr_next(struct bnc_str text, size_t *pos, size_t *at_out)
{
	size_t i = *pos, s, e;
	const char *at;

	while (i < text.len) {
		at = memchr(text.ptr + i, '@', text.len - i);
		if (at == NULL)
			break;
		i = (size_t)(at - text.ptr);
		if (around(text, i, &s, &e)) {
			*pos = e;
			*at_out = i - s;
			return bnc_str_make(text.ptr + s, e - s);
		}
		i++;
	}
	*pos = text.len;
	return BNC_STR_NULL;
}

struct bnc_str
bnc_addr_next(struct bnc_str text, size_t *pos)
{
	size_t at;

	return addr_next(text, pos, &at);
}

struct bnc_str
bnc_addr_normalise_plain(struct bnc_arena *a, struct bnc_str text)
{
	size_t pos = 0, i;
	struct bnc_str addr = bnc_addr_next_plain(text, &pos);
	char *p;
	const char *at;

	if (addr.len == 0)
		return addr;
	p = bnc_arena_strndup(a, addr.ptr, addr.len);
	if (p == NULL)
		return BNC_STR_NULL;
	at = strrchr(p, '@');
	for (i = (size_t)(at - p); i < addr.len; i++)
		p[i] = (char)bnc_lower((unsigned char)p[i]);
	return bnc_str_make(p, addr.len);
}

/* bnc_addr_normalise_plain() copying the domain lower case as it goes:
 * the '@' the scan expanded around is the last of the address (no
 * domain byte is one) unless a quoted local part holds a NUL, where
 * strrchr() would stop: that case goes the plain way. */
struct bnc_str
bnc_addr_normalise(struct bnc_arena *a, struct bnc_str text)
{
	size_t pos = 0, at = 0, i;
	struct bnc_str addr = addr_next(text, &pos, &at);
	char *p;

	if (addr.len == 0)
		return addr;
	if (addr.ptr[0] == '"')
		return bnc_addr_normalise_plain(a, text);
	p = bnc_arena_alloc(a, addr.len + 1);
	if (p == NULL)
		return BNC_STR_NULL;
	memcpy(p, addr.ptr, at);
	for (i = at; i < addr.len; i++)
		p[i] = (char)bnc_lower((unsigned char)addr.ptr[i]);
	p[addr.len] = '\0';
	return bnc_str_make(p, addr.len);
}

long
bnc_addr_find(struct bnc_str text, const char *addr, size_t len)
{
	const char *at = len ? memchr(addr, '@', len) : NULL;
	size_t k, j, i;

	if (at == NULL)
		return bnc_str_ifind(text, addr, len);
	if (text.len < len)
		return -1;
	/* Every occurrence has an '@' k bytes in: the text's '@'s from k
	 * to text.len - len + k, in order, are the only starts to try,
	 * the bytes after the '@' first (where other addresses differ). */
	k = (size_t)(at - addr);
	for (j = k; j <= text.len - len + k; j++) {
		const char *p = memchr(text.ptr + j, '@', text.len - len + k +
		    1 - j);
		const char *t;
		if (p == NULL)
			return -1;
		j = (size_t)(p - text.ptr);
		t = p - k;
		for (i = k + 1; i < len; i++)
			if (bnc_lower((unsigned char)t[i]) !=
			    bnc_lower((unsigned char)addr[i]))
				break;
		if (i < len)
			continue;
		for (i = 0; i < k; i++)
			if (bnc_lower((unsigned char)t[i]) !=
			    bnc_lower((unsigned char)addr[i]))
				break;
		if (i == k)
			return (long)(j - k);
	}
	return -1;
}

bool
bnc_addr_is_daemon(struct bnc_str addr)
{
	static const char *const local[] = { "mailer-daemon@", "postmaster@",
		"mail-daemon@", "maildaemon@", "mailerdaemon@", "double-bounce@",
		"root@", "noreply-dmarc", NULL };
	size_t i;

	for (i = 0; local[i]; i++)
		if (bnc_str_istarts(addr, local[i]))
			return true;
	return false;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * address.c - address scanning. Accepts what real bounces carry: quoted
 * local parts, '%' hacks, upper case, trailing dots from sentences.
 * Requires a dot in the domain, so "user@localhost" and Message-ID-like
 * "abc@1" tokens inside texts are not taken for recipients.
 */
#include <stdint.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

#ifdef __SSE2__
/* Bits of the bytes of v that domain_tab[] has (letters, digits, '-',
 * '_' and '.'). Bytes from 0x80 on are negative: no range holds them. */
static inline unsigned
domain_bits(__m128i v)
{
	__m128i l = _mm_or_si128(v, _mm_set1_epi8(0x20));
	__m128i alpha = _mm_and_si128(_mm_cmpgt_epi8(l,
	    _mm_set1_epi8('a' - 1)), _mm_cmplt_epi8(l, _mm_set1_epi8('z' + 1)));
	__m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v,
	    _mm_set1_epi8('0' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
	__m128i other = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v,
	    _mm_set1_epi8('-')), _mm_cmpeq_epi8(v, _mm_set1_epi8('_'))),
	    _mm_cmpeq_epi8(v, _mm_set1_epi8('.')));

	return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(alpha,
	    digit), other));
}
#endif

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
#ifdef __SSE2__
	/* The domain 16 bytes at a time while 16 are there to read: its
	 * end is the first byte that is none of its bytes, its first dot
	 * the first '.' before that. */
	while (e + 16 <= t.len) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)
		    (t.ptr + e));
		unsigned ok = domain_bits(v), stop = ~ok & 0xffff, dots;
		dots = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v,
		    _mm_set1_epi8('.'))) & (stop ? (1u << __builtin_ctz(stop))
		    - 1 : 0xffff);
		if (dots && first_dot == (size_t)-1)
			first_dot = e + (size_t)__builtin_ctz(dots);
		if (stop) {
			e += (size_t)__builtin_ctz(stop);
			goto domain_end;
		}
		e += 16;
	}
#endif
	while (e < t.len && (k = domain_tab[(unsigned char)t.ptr[e]]) != 0) {
		if (k == 2 && first_dot == (size_t)-1)
			first_dot = e;
		e++;
	}
#ifdef __SSE2__
domain_end:
#endif
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

/* out[0, 8) = in[0, 8) with ASCII capitals lowered; every byte of in
 * is below 0x80. */
static inline void
lower8(char *out, const char *in)
{
	const uint64_t ones = 0x0101010101010101ull;
	uint64_t x, up;

	memcpy(&x, in, 8);
	/* Bit 7 of a byte: it is from 'A' on, and not past 'Z'. */
	up = (x + ones * (0x80 - 'A')) & ~(x + ones * (0x80 - 'Z' - 1)) &
	    ones * 0x80;
	x |= up >> 2;
	memcpy(out, &x, 8);
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
	/* The domain is ASCII (domain_tab[]): lowered 8 bytes at a time,
	 * 0x20 added to each byte from 'A' to 'Z'; the last 8 bytes again
	 * (the same bytes) when fewer are left. */
	if (addr.len - at >= 8) {
		for (i = at; i + 8 <= addr.len; i += 8)
			lower8(p + i, addr.ptr + i);
		if (i < addr.len)
			lower8(p + addr.len - 8, addr.ptr + addr.len - 8);
	} else {
		for (i = at; i < addr.len; i++)
			p[i] = (char)bnc_lower((unsigned char)addr.ptr[i]);
	}
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

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * str.h - borrowed byte views (struct bnc_str) and the small helpers
 * that compare and search them. A view is never NUL-terminated and lives
 * as long as the bytes it points into; print with "%.*s".
 */
#ifndef BNC_UTIL_STR_H
#define BNC_UTIL_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

struct bnc_str {
	const char *ptr;
	size_t len;
};

#define BNC_STR_NULL ((struct bnc_str){ NULL, 0 })

static inline struct bnc_str
bnc_str_make(const char *p, size_t len)
{
	struct bnc_str s = { p, len };
	return s;
}

static inline struct bnc_str
bnc_str_c(const char *cstr)
{
	return bnc_str_make(cstr, cstr ? strlen(cstr) : 0);
}

/* ASCII-only character classes and case folding (locale-free). */
extern const unsigned char bnc_lower_table[256];
static inline unsigned char
bnc_lower(unsigned char c)
{
	return bnc_lower_table[c];
}
static inline bool
bnc_is_space(unsigned char c)
{
	/* ' ', '\t', '\n', '\v', '\f', '\r': bits 32 and 9 to 13, one
	 * test instead of six. */
	return c <= ' ' && ((0x100003e00ull >> c) & 1) != 0;
}
static inline bool
bnc_is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}
static inline bool
bnc_is_alpha(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* Without the white space at both ends. Inline: header parsing calls
 * it several times per field. */
static inline struct bnc_str
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
/* Case-insensitive (ASCII) equality with a C string. One pass, no
 * strlen(), inline: header look-ups and field dispatch call it for
 * every field, and most names differ in their first bytes. */
static inline bool
bnc_str_ieq(struct bnc_str s, const char *cstr)
{
	size_t i;

	for (i = 0; i < s.len; i++)
		if (cstr[i] == '\0' || bnc_lower((unsigned char)s.ptr[i]) !=
		    bnc_lower((unsigned char)cstr[i]))
			return false;
	return cstr[i] == '\0';
}
/* Are the n bytes at x and y the same? Names are mostly written the
 * way they are asked for: most are 4 to 16 bytes, two loads each that
 * overlap, inside both, instead of a call. */
static inline bool
bnc_same_bytes(const char *x, const char *y, size_t n)
{
	uint64_t a, b, c, d;
	uint32_t e, f, g, k;

	if (n >= 8 && n <= 16) {
		memcpy(&a, x, 8);
		memcpy(&b, y, 8);
		memcpy(&c, x + n - 8, 8);
		memcpy(&d, y + n - 8, 8);
		return ((a ^ b) | (c ^ d)) == 0;
	}
	if (n >= 4 && n < 8) {
		memcpy(&e, x, 4);
		memcpy(&f, y, 4);
		memcpy(&g, x + n - 4, 4);
		memcpy(&k, y + n - 4, 4);
		return ((e ^ f) | (g ^ k)) == 0;
	}
	return memcmp(x, y, n) == 0;
}
/* bnc_str_ieq() with a C string of exactly s.len bytes (a field name of
 * the right length): the same bytes first, then any case. */
static inline bool
bnc_str_ieq_n(struct bnc_str s, const char *cstr)
{
	return bnc_same_bytes(s.ptr, cstr, s.len) || bnc_str_ieq(s, cstr);
}
bool bnc_str_istarts(struct bnc_str s, const char *prefix);
bool bnc_str_iends(struct bnc_str s, const char *suffix);
/* Offset of the first case-insensitive match of needle in s, or -1. */
long bnc_str_ifind(struct bnc_str s, const char *needle, size_t nlen);
/* The same, byte for byte (memmem(), vectorised the same way). */
long bnc_mem_find(struct bnc_str s, const char *needle, size_t nlen);
static inline bool
bnc_str_icontains(struct bnc_str s, const char *needle)
{
	return bnc_str_ifind(s, needle, strlen(needle)) >= 0;
}
/* The bytes from `from` on (clamped). A null view stays null: adding
 * even 0 to a null pointer is undefined. */
static inline struct bnc_str
bnc_str_from(struct bnc_str s, size_t from)
{
	if (s.ptr == NULL)
		return s;
	if (from > s.len)
		from = s.len;
	return bnc_str_make(s.ptr + from, s.len - from);
}
/* Offset of the first line start at or after `from`, past the first
 * byte of `s` (a byte after a LF), whose first byte is `a` or `b`; s.len
 * when there is none. For the splitters that look only at lines that
 * begin a certain way ("From ", "--boundary"). */
size_t bnc_str_next_line_with(struct bnc_str s, size_t from, char a, char b);
/* Copy `s` into out[] (room for s.len + 1 bytes) with each run of white
 * space made one space and none at either end, ASCII letters lowered
 * when `lower`; NUL-terminated. Returns the length. */
size_t bnc_str_squeeze_into(struct bnc_str s, char *out, bool lower);
/* The fast part of such a copy, for loops that do more per byte: the
 * whole 16-byte blocks at p[0, len) that need nothing but a pending
 * space before them (*sp, when *n > 0) and, when `lower`, ASCII
 * lowering (they are then all ASCII) are copied to out + *n; *n and *sp
 * follow. Returns the bytes consumed (0 when the first block needs
 * more). */
size_t bnc_squeeze_run(const char *p, size_t len, char *out, size_t *n,
    bool *sp, bool lower);
/* Offset of the first byte a or b in p[0, len), or len. */
size_t bnc_mem_find2(const char *p, size_t len, char a, char b);
/* memchr() inline, for the searches that end near where they start
 * (the end of a header line, of a paragraph line): no call, and 16 bytes
 * at a time with SSE2. */
static inline const char *
bnc_find_byte(const char *p, size_t n, char c)
{
#ifdef __SSE2__
	const __m128i vc = _mm_set1_epi8(c);
	size_t i = 0;
	unsigned m;

	for (; i + 16 <= n; i += 16) {
		m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(
		    (const __m128i *)(const void *)(p + i)), vc));
		if (m)
			return p + i + __builtin_ctz(m);
	}
	if (i < n && n >= 16) {
		/* The last block overlaps the one before. */
		m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(
		    (const __m128i *)(const void *)(p + n - 16)), vc)) &
		    ~((1u << (16 - (n - i))) - 1);
		return m ? p + n - 16 + __builtin_ctz(m) : NULL;
	}
	for (; i < n; i++)
		if (p[i] == c)
			return p + i;
	return NULL;
#else
	return n ? (const char *)memchr(p, c, n) : NULL;
#endif
}

/* Split off the first line (without its LF); *rest gets what follows. */
static inline struct bnc_str
bnc_str_line(struct bnc_str s, struct bnc_str *rest)
{
	const char *nl = bnc_find_byte(s.ptr, s.len, '\n');
	struct bnc_str line;

	if (nl == NULL) {
		*rest = bnc_str_make(s.ptr + s.len, 0);
		return s;
	}
	line = bnc_str_make(s.ptr, (size_t)(nl - s.ptr));
	*rest = bnc_str_make(nl + 1, s.len - line.len - 1);
	return line;
}
/* Length of the well-formed UTF-8 character at p (1 to 4; n bytes are
 * readable, n > 0), or 0 when the bytes there are not one (RFC 3629:
 * no overlong forms, no surrogates, nothing above U+10FFFF). */
size_t bnc_utf8_char(const char *p, size_t n);

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * codec.c - transfer and charset decoding. RFC 2045 sections 6.7 and 6.8,
 * RFC 2047 sections 4 and 5 (adjacent encoded words are joined, the white
 * space between them dropped).
 */
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "../util/alloc.h"
#include "codec.h"

static const signed char b64[256] = {
	['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6,
	['G'] = 7, ['H'] = 8, ['I'] = 9, ['J'] = 10, ['K'] = 11, ['L'] = 12,
	['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16, ['Q'] = 17,
	['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22,
	['W'] = 23, ['X'] = 24, ['Y'] = 25, ['Z'] = 26, ['a'] = 27,
	['b'] = 28, ['c'] = 29, ['d'] = 30, ['e'] = 31, ['f'] = 32,
	['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36, ['k'] = 37,
	['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42,
	['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47,
	['v'] = 48, ['w'] = 49, ['x'] = 50, ['y'] = 51, ['z'] = 52,
	['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56, ['4'] = 57,
	['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62,
	['+'] = 63, ['/'] = 64
};	/* value + 1; 0 means "not base64" */

struct bnc_str
bnc_base64_decode(struct bnc_arena *a, struct bnc_str in, bool *bad)
{
	unsigned acc = 0, bits = 0;
	size_t i, n = 0;
	char *out;

	out = bnc_arena_alloc(a, in.len / 4 * 3 + 4);
	if (out == NULL)
		return BNC_STR_NULL;
	for (i = 0; i < in.len; i++) {
		unsigned char c;
		int v;
		/* Whole quads of base64 (most of a body) in a tight loop:
		 * a value minus one is below 64 only for base64 bytes. */
		while (bits == 0 && i + 4 <= in.len) {
			const unsigned char *p = (const unsigned char *)in.ptr + i;
			unsigned v0 = (unsigned)b64[p[0]] - 1;
			unsigned v1 = (unsigned)b64[p[1]] - 1;
			unsigned v2 = (unsigned)b64[p[2]] - 1;
			unsigned v3 = (unsigned)b64[p[3]] - 1;
			unsigned q;
			if ((v0 | v1 | v2 | v3) >= 64)
				break;
			q = v0 << 18 | v1 << 12 | v2 << 6 | v3;
			out[n] = (char)(q >> 16);
			out[n + 1] = (char)((q >> 8) & 0xff);
			out[n + 2] = (char)(q & 0xff);
			n += 3;
			i += 4;
		}
		if (i >= in.len)
			break;
		c = (unsigned char)in.ptr[i];
		v = b64[c];
		/* Whole quads of base64 (most of a body) at once. */
		if (bits == 0 && v != 0 && i + 4 <= in.len) {
			int v1 = b64[(unsigned char)in.ptr[i + 1]];
			int v2 = b64[(unsigned char)in.ptr[i + 2]];
			int v3 = b64[(unsigned char)in.ptr[i + 3]];
			if (v1 && v2 && v3) {
				unsigned q = ((unsigned)(v - 1) << 18) |
				    ((unsigned)(v1 - 1) << 12) |
				    ((unsigned)(v2 - 1) << 6) |
				    (unsigned)(v3 - 1);
				out[n++] = (char)(q >> 16);
				out[n++] = (char)((q >> 8) & 0xff);
				out[n++] = (char)(q & 0xff);
				i += 3;
				continue;
			}
		}
		if (c == '=')
			break;	/* padding: the rest is over */
		if (v == 0) {
			if (!bnc_is_space(c))
				*bad = true;
			continue;
		}
		acc = (acc << 6) | (unsigned)(v - 1);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[n] = '\0';
	return bnc_str_make(out, n);
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = bnc_lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

struct bnc_str
bnc_qp_decode_plain(struct bnc_arena *a, struct bnc_str in,
    bool underscore_is_space, bool *bad)
{
	size_t i, n = 0;
	char *out;

	out = bnc_arena_alloc(a, in.len + 1);
	if (out == NULL)
		return BNC_STR_NULL;
	for (i = 0; i < in.len; i++) {
		unsigned char c = (unsigned char)in.ptr[i];
		if (c != '=' && !underscore_is_space) {
			/* Copy up to the next '=' at once: a QP body is
			 * mostly plain text. */
			const char *eq = memchr(in.ptr + i, '=', in.len - i);
			size_t run = eq ? (size_t)(eq - in.ptr) - i :
			    in.len - i;
			memcpy(out + n, in.ptr + i, run);
			n += run;
			i += run - 1;
			continue;
		}
		if (c == '=') {
			size_t j = i + 1;
			/* Soft line break: '=', optional blanks, LF. */
			while (j < in.len && (in.ptr[j] == ' ' ||
			    in.ptr[j] == '\t'))
				j++;
			if (j < in.len && in.ptr[j] == '\n') {
				i = j;
				continue;
			}
			if (j >= in.len) {
				i = j;
				continue;
			}
			if (i + 2 < in.len) {
				int hi = hexval((unsigned char)in.ptr[i + 1]);
				int lo = hexval((unsigned char)in.ptr[i + 2]);
				if (hi >= 0 && lo >= 0) {
					out[n++] = (char)(hi * 16 + lo);
					i += 2;
					continue;
				}
			}
			*bad = true;
			out[n++] = '=';
			continue;
		}
		if (c == '_' && underscore_is_space)
			c = ' ';
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return bnc_str_make(out, n);
}

/* Hex digit value plus 1, 0 for the bytes that are none. */
static const unsigned char hex1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
	['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10, ['A'] = 11, ['B'] = 12,
	['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16, ['a'] = 11,
	['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
};

/* Copy in[i, ...) to out up to the next '=' (or the end); the bytes
 * copied. 16 at a time, each block stored whole: `out` is never ahead
 * of `in` (o <= i) and holds in.len + 1 bytes, so a block written at
 * o is inside it. */
static inline size_t
qp_run(const char *in, size_t len, size_t i, char *out, size_t o)
{
	size_t run = 0;

#ifdef __SSE2__
	while (i + run + 16 <= len) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)
		    (in + i + run));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v,
		    _mm_set1_epi8('=')));
		_mm_storeu_si128((__m128i *)(void *)(out + o + run), v);
		if (m)
			return run + (size_t)__builtin_ctz(m);
		run += 16;
	}
#endif
	while (i + run < len && in[i + run] != '=') {
		out[o + run] = in[i + run];
		run++;
	}
	return run;
}

/* bnc_qp_decode_plain() with the plain runs copied 16 bytes at a time
 * (qp_run(), no memchr() and memcpy() calls for the short runs between
 * two "=XX") and "=XX" told by a table first. */
struct bnc_str
bnc_qp_decode(struct bnc_arena *a, struct bnc_str in, bool underscore_is_space,
    bool *bad)
{
	const unsigned char *p = (const unsigned char *)in.ptr;
	size_t i = 0, n = 0;
	char *out;

	if (underscore_is_space)
		return bnc_qp_decode_plain(a, in, underscore_is_space, bad);
	out = bnc_arena_alloc(a, in.len + 1);
	if (out == NULL)
		return BNC_STR_NULL;
	while (i < in.len) {
		size_t j;

		if (p[i] != '=') {
			size_t run = qp_run(in.ptr, in.len, i, out, n);
			n += run;
			i += run;
			continue;
		}
		if (i + 2 < in.len && hex1[p[i + 1]] && hex1[p[i + 2]]) {
			out[n++] = (char)((hex1[p[i + 1]] - 1) * 16 +
			    (hex1[p[i + 2]] - 1));
			i += 3;
			continue;
		}
		/* Soft line break: '=', optional blanks, LF. */
		j = i + 1;
		while (j < in.len && (p[j] == ' ' || p[j] == '\t'))
			j++;
		if (j >= in.len || p[j] == '\n') {
			i = j + 1;
			continue;
		}
		*bad = true;
		out[n++] = '=';
		i++;
	}
	out[n] = '\0';
	return bnc_str_make(out, n);
}

static bool
needs_conversion(struct bnc_str cs)
{
	static const char *const same[] = { "us-ascii", "utf-8", "utf8",
		"ascii", "", "us_ascii", "ansi_x3.4-1968", NULL };
	size_t i;

	for (i = 0; same[i]; i++)
		if (bnc_str_ieq(cs, same[i]))
			return false;
	return true;
}

/* Names mail uses that glibc's iconv spells differently or treats
 * more narrowly than the senders meant. */
static const char *
iconv_name(struct bnc_str cs, char *buf, size_t size)
{
	if (bnc_str_ieq(cs, "shift_jis") || bnc_str_ieq(cs, "sjis") ||
	    bnc_str_ieq(cs, "x-sjis") || bnc_str_ieq(cs, "shift-jis"))
		return "CP932";
	if (bnc_str_ieq(cs, "iso-2022-jp") || bnc_str_ieq(cs, "iso-2022-jp-1"))
		return "ISO-2022-JP-2";
	if (bnc_str_ieq(cs, "gb2312") || bnc_str_ieq(cs, "gbk"))
		return "GB18030";
	if (bnc_str_ieq(cs, "ks_c_5601-1987") || bnc_str_ieq(cs, "euc-kr"))
		return "CP949";
	if (bnc_str_ieq(cs, "iso-8859-1") || bnc_str_ieq(cs, "latin1"))
		return "CP1252";	/* senders mean Windows-1252 */
	if (cs.len + 1 > size)
		return NULL;
	memcpy(buf, cs.ptr, cs.len);
	buf[cs.len] = '\0';
	return buf;
}

static bool
is_ascii(struct bnc_str s)
{
	size_t i = 0;

#ifdef __SSE2__
	/* 16 bytes at a time: no high bit, no ESC. */
	for (; i + 16 <= s.len; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)
		    (s.ptr + i));
		if (_mm_movemask_epi8(_mm_or_si128(v, _mm_cmpeq_epi8(v,
		    _mm_set1_epi8(0x1b)))) != 0)
			return false;
	}
#endif
	for (; i < s.len; i++)
		if ((unsigned char)s.ptr[i] >= 0x80 || s.ptr[i] == 0x1b)
			return false;
	return true;
}

/* Is `s` well-formed UTF-8 (RFC 3629: no overlongs, no surrogates)? */
static bool
is_utf8(struct bnc_str s)
{
	const unsigned char *p = (const unsigned char *)s.ptr;
	size_t i = 0, n, k;

	while (i < s.len) {
		unsigned char c = p[i];
		unsigned int cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3, cp = c & 0x07;
		else
			return false;
		if (s.len - i <= n)
			return false;
		for (k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return false;
		i += n + 1;
	}
	return true;
}

/* ISO-2022 charsets are 7-bit: a part so labelled that holds 8-bit
 * bytes was re-encoded on its way (a gateway or an editor saved it as
 * UTF-8 and kept the label). */
static bool
is_7bit_charset(struct bnc_str cs)
{
	return bnc_str_istarts(cs, "iso-2022-");
}

/* How many bytes at p (n of them) are ASCII but ESC, SO and SI (the
 * bytes ISO-2022 gives a meaning): what the single-byte converters
 * below copy as they are, 16 at a time. */
static size_t
plain_run(const char *p, size_t n)
{
	size_t i = 0;

#ifdef __SSE2__
	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)
		    (p + i));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(v,
		    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x1b)),
		    _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(1)),
		    _mm_set1_epi8(0x0f)))));
		if (m)
			return i + (size_t)__builtin_ctz(m);
	}
#endif
	for (; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c >= 0x80 || c == 0x1b || c == 0x0e || c == 0x0f)
			break;
	}
	return i;
}

/* Windows-1252 (what senders of ISO-8859-1 mean, see iconv_name()) by
 * table: iconv() stops at each of its five undefined bytes, and a
 * mislabelled UTF-8 text holds hundreds of them, each an iconv() call
 * and a reset. The table is iconv's own answer for each byte, asked
 * once: a single-byte charset without state converts byte by byte the
 * same as in one go. */
static struct {
	unsigned char len[256];		/* 0: not a character */
	char utf8[256][4];
	bool ok;
} cp1252;
static pthread_once_t cp1252_once = PTHREAD_ONCE_INIT;

static void
cp1252_build(void)
{
	iconv_t cd = iconv_open("UTF-8", "CP1252");
	unsigned b;

	if (cd == (iconv_t)-1)
		return;
	for (b = 0; b < 256; b++) {
		char in = (char)b, out[8];
		char *ip = &in, *op = out;
		size_t il = 1, ol = sizeof(out);

		iconv(cd, NULL, NULL, NULL, NULL);
		if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || il != 0 ||
		    sizeof(out) - ol == 0 || sizeof(out) - ol > 4)
			continue;
		cp1252.len[b] = (unsigned char)(sizeof(out) - ol);
		memcpy(cp1252.utf8[b], out, sizeof(out) - ol);
	}
	iconv_close(cd);
	cp1252.ok = true;
}

static bool
is_cp1252(const char *name)
{
	return strcasecmp(name, "CP1252") == 0 ||
	    strcasecmp(name, "WINDOWS-1252") == 0;
}

/* `in` from Windows-1252 into out (room for 3 bytes a byte and a NUL):
 * what the iconv() loop below makes of it. */
static size_t
cp1252_to_utf8(struct bnc_str in, char *out, bool *bad)
{
	size_t i, n = 0;

	/* out has room for 4 bytes a byte of `in` and 16 more (to_utf8());
	 * a byte becomes 3 at most, so n <= 3 * i, and the stores below
	 * (16 bytes at n while 16 are left to read, 4 at n for one byte)
	 * stay inside it: what they write past the text's end is written
	 * over or left after the NUL. */
	for (i = 0; i < in.len; i++) {
		unsigned char b;
		size_t run;
#ifdef __SSE2__
		/* The plain bytes copied 16 at a time as they are found
		 * (plain_run()'s test), no memcpy() call a run: a Latin
		 * text has an accent every few words. */
		for (;;) {
			__m128i v;
			unsigned m;
			if (i + 16 > in.len) {
				run = plain_run(in.ptr + i, in.len - i);
				memcpy(out + n, in.ptr + i, run);
				break;
			}
			v = _mm_loadu_si128((const __m128i *)(const void *)
			    (in.ptr + i));
			_mm_storeu_si128((__m128i *)(void *)(out + n), v);
			m = (unsigned)_mm_movemask_epi8(_mm_or_si128(v,
			    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x1b)),
			    _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(1)),
			    _mm_set1_epi8(0x0f)))));
			if (m) {
				run = (size_t)__builtin_ctz(m);
				break;
			}
			n += 16;
			i += 16;
		}
#else
		run = plain_run(in.ptr + i, in.len - i);
		memcpy(out + n, in.ptr + i, run);
#endif
		n += run;
		i += run;
		if (i >= in.len)
			break;
		b = (unsigned char)in.ptr[i];
		if (b < 0x80) {
			out[n++] = (char)b;
		} else if (cp1252.len[b] == 0) {
			*bad = true;
			out[n++] = '?';
		} else {
			memcpy(out + n, cp1252.utf8[b], 4);
			n += cp1252.len[b];
		}
	}
	out[n] = '\0';
	return n;
}

/* ISO-2022-JP (what iconv_name() sends to ISO-2022-JP-2) without
 * iconv, for the text most Japanese bounces are: ASCII, and JIS X 0208
 * after ESC $ B, back to ASCII after ESC ( B. Each JIS X 0208 cell is
 * iconv's own answer, asked a row at a time when a text first needs
 * the row (94 cells a call, another call after each cell it refuses):
 * the charset keeps no state within a designation, so a cell converts
 * alone as it does in a text. An 8-bit byte in ASCII is refused by
 * iconv, which the loop in to_utf8() turns into '?'; that is done here
 * too. Anything else (another designation, a shift, a control or a
 * byte that is no half of a pair, a cell iconv refuses) is left to the
 * iconv() loop, which decides what becomes of it. */
static struct {
	char utf8[94 * 94][3];		/* no cell is longer than 3 bytes */
	unsigned char len[94 * 94];	/* 0: refused, or longer */
	_Atomic bool row[94];		/* row made */
	pthread_mutex_t lock;		/* held while a row is made */
} jis = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* Make row `row` (0-based) of the table; false when iconv cannot. */
static bool
jis_row_make(unsigned row)
{
	char in[3 + 94 * 2], out[94 * 4 + 16];
	unsigned cell;
	iconv_t cd = iconv_open("UTF-8", "ISO-2022-JP-2");

	if (cd == (iconv_t)-1)
		return false;
	memcpy(in, "\x1b$B", 3);
	for (cell = 0; cell < 94; cell++) {
		in[3 + 2 * cell] = (char)(0x21 + row);
		in[4 + 2 * cell] = (char)(0x21 + cell);
	}
	cell = 0;
	while (cell < 94) {
		char *ip, *op = out;
		size_t il, ol = sizeof(out), k, n, at = 0, r;

		/* The designation again, then the cells from `cell` on. */
		iconv(cd, NULL, NULL, NULL, NULL);
		ip = in;
		il = 3;
		if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || op != out)
			break;
		ip = in + 3 + 2 * cell;
		il = 2 * (94 - cell);
		r = iconv(cd, &ip, &il, &op, &ol);
		/* Split what came out at UTF-8 lead bytes: a cell each. */
		n = (size_t)(op - out);
		for (k = cell; at < n && k < 94; k++) {
			size_t len = 1;
			while (at + len < n &&
			    ((unsigned char)out[at + len] & 0xc0) == 0x80)
				len++;
			if (len <= 3) {
				memcpy(jis.utf8[row * 94 + k], out + at, len);
				jis.len[row * 94 + k] = (unsigned char)len;
			}
			at += len;
		}
		/* A character a cell, up to where iconv stopped: else
		 * the row is not one to read by table. */
		if (at < n || k != cell + (size_t)(ip - (in + 3 + 2 * cell)) / 2) {
			memset(jis.len + row * 94, 0, 94);
			break;
		}
		if (r != (size_t)-1)
			break;
		/* It refused cell k: leave it out, go on after it. */
		cell = (unsigned)k + 1;
	}
	iconv_close(cd);
	return true;
}

/* Is row `row` of the table made (made now if it was not)? */
static bool
jis_row(unsigned row)
{
	bool ok = true;

	if (atomic_load_explicit(&jis.row[row], memory_order_acquire))
		return true;
	pthread_mutex_lock(&jis.lock);
	if (!atomic_load_explicit(&jis.row[row], memory_order_relaxed)) {
		ok = jis_row_make(row);
		if (ok)
			atomic_store_explicit(&jis.row[row], true,
			    memory_order_release);
	}
	pthread_mutex_unlock(&jis.lock);
	return ok;
}

/* `in` as the iconv() loop in to_utf8() converts it from ISO-2022-JP-2
 * into out (room for 4 bytes a byte), when it holds only what this
 * reads; else false. */
static bool
jis_to_utf8(struct bnc_str in, char *out, size_t *outlen, bool *bad)
{
	const unsigned char *p = (const unsigned char *)in.ptr;
	size_t i = 0, n = 0;
	bool two = false, refused = false;

	while (i < in.len) {
		unsigned char c = p[i];

		if (c == 0x1b) {
			if (i + 2 >= in.len)
				return false;
			if (p[i + 1] == '(' && p[i + 2] == 'B')
				two = false;
			else if (p[i + 1] == '$' && p[i + 2] == 'B')
				two = true;
			else
				return false;
			i += 3;
			continue;
		}
		if (!two) {
			size_t run = plain_run(in.ptr + i, in.len - i);
			if (run > 0) {
				memcpy(out + n, in.ptr + i, run);
				n += run;
				i += run;
				continue;
			}
			if (c >= 0x80) {
				out[n++] = '?';
				refused = true;
			} else if (c == 0x0e || c == 0x0f) {
				return false;	/* ISO-2022 shifts */
			} else {
				out[n++] = (char)c;
			}
			i++;
			continue;
		}
		if (c < 0x21 || c > 0x7e || i + 1 >= in.len || p[i + 1] < 0x21 ||
		    p[i + 1] > 0x7e || !jis_row(c - 0x21u))
			return false;
		{
			size_t cell = (size_t)(c - 0x21) * 94 + (p[i + 1] - 0x21);
			if (jis.len[cell] == 0)
				return false;
			memcpy(out + n, jis.utf8[cell], 3);
			n += jis.len[cell];
		}
		i += 2;
	}
	out[n] = '\0';
	*outlen = n;
	if (refused)
		*bad = true;
	return true;
}

static struct bnc_str
to_utf8(struct bnc_arena *a, struct bnc_str in, struct bnc_str charset,
    bool *bad, bool fast)
{
	char namebuf[64];
	const char *name;
	iconv_t cd;
	char *out, *ip, *op;
	size_t cap, il, ol;

	charset = bnc_str_trim(charset);
	if (!needs_conversion(charset) || is_ascii(in))
		return in;
	if (is_7bit_charset(charset) && memchr(in.ptr, 0x1b, in.len) == NULL &&
	    is_utf8(in))
		return in;
	name = iconv_name(charset, namebuf, sizeof(namebuf));
	if (name == NULL)
		return in;
	if (fast && is_cp1252(name)) {
		pthread_once(&cp1252_once, cp1252_build);
		/* The same room as below: the arena's cap is met alike. */
		if (cp1252.ok && bnc_size_mul(&cap, in.len, 4) &&
		    bnc_size_add(&cap, cap, 16) &&
		    (out = bnc_arena_alloc(a, cap)) != NULL)
			return bnc_str_make(out, cp1252_to_utf8(in, out, bad));
	}
	out = NULL;
	if (fast && strcmp(name, "ISO-2022-JP-2") == 0) {
		size_t n;
		/* The same room as below, which takes it over when the
		 * text is not one jis_to_utf8() reads. */
		if (bnc_size_mul(&cap, in.len, 4) &&
		    bnc_size_add(&cap, cap, 16) &&
		    (out = bnc_arena_alloc(a, cap)) != NULL &&
		    jis_to_utf8(in, out, &n, bad))
			return bnc_str_make(out, n);
	}
	cd = iconv_open("UTF-8", name);
	if (cd == (iconv_t)-1)
		return in;	/* unknown charset: keep the bytes */
	/* 4x covers every multibyte-to-UTF-8 expansion we meet. */
	if (!bnc_size_mul(&cap, in.len, 4) || !bnc_size_add(&cap, cap, 16)) {
		iconv_close(cd);
		return in;
	}
	if (out == NULL)
		out = bnc_arena_alloc(a, cap);
	if (out == NULL) {
		iconv_close(cd);
		return in;
	}
	ip = (char *)(uintptr_t)in.ptr;
	il = in.len;
	op = out;
	ol = cap - 1;
	while (il > 0) {
		if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1)
			break;
		if (errno == E2BIG)
			break;
		/* Invalid or truncated sequence: keep a '?' and go on. */
		*bad = true;
		if (ol == 0)
			break;
		*op++ = '?';
		ol--;
		ip++;
		il--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	iconv(cd, NULL, NULL, &op, &ol);
	iconv_close(cd);
	*op = '\0';
	return bnc_str_make(out, (size_t)(op - out));
}

struct bnc_str
bnc_charset_to_utf8(struct bnc_arena *a, struct bnc_str in,
    struct bnc_str charset, bool *bad)
{
	return to_utf8(a, in, charset, bad, true);
}

struct bnc_str
bnc_charset_to_utf8_plain(struct bnc_arena *a, struct bnc_str in,
    struct bnc_str charset, bool *bad)
{
	return to_utf8(a, in, charset, bad, false);
}

/* Does "=?" occur in s? What bnc_str_ifind(s, "=?", 2) tells (neither
 * byte is a letter), by memchr() for the '=' and a look at the byte
 * after it: most values hold no '=' at all. */
static bool
has_word_start(struct bnc_str s)
{
	const char *p, *end, *eq;

	if (s.len == 0)
		return false;	/* s.ptr may be NULL: no arithmetic on it */
	p = s.ptr;
	end = s.ptr + s.len;
	while (p < end && (eq = memchr(p, '=', (size_t)(end - p))) != NULL) {
		if (eq + 1 < end && eq[1] == '?')
			return true;
		p = eq + 1;
	}
	return false;
}

/* One "=?charset?B|Q?text?=" at p; false when it is not one. */
static bool
encoded_word(struct bnc_str s, size_t p, struct bnc_str *cs, char *enc,
    struct bnc_str *text, size_t *end)
{
	size_t i = p + 2, q1, q2;

	if (p + 2 > s.len || s.ptr[p] != '=' || s.ptr[p + 1] != '?')
		return false;
	while (i < s.len && s.ptr[i] != '?' && !bnc_is_space((unsigned char)s.ptr[i]))
		i++;
	if (i + 2 >= s.len || s.ptr[i] != '?')
		return false;
	q1 = i;
	*enc = (char)bnc_lower((unsigned char)s.ptr[i + 1]);
	if ((*enc != 'b' && *enc != 'q') || s.ptr[i + 2] != '?')
		return false;
	q2 = i + 3;
	for (i = q2; i + 1 < s.len; i++) {
		if (s.ptr[i] == '?' && s.ptr[i + 1] == '=')
			break;
		if (s.ptr[i] == ' ' || s.ptr[i] == '\t')
			return false;
	}
	if (i + 1 >= s.len)
		return false;
	*cs = bnc_str_make(s.ptr + p + 2, q1 - p - 2);
	/* RFC 2231 language suffix: charset*lang */
	{
		const char *star = memchr(cs->ptr, '*', cs->len);
		if (star)
			cs->len = (size_t)(star - cs->ptr);
	}
	*text = bnc_str_make(s.ptr + q2, i - q2);
	*end = i + 2;
	return true;
}

/* Append up to `len` bytes, never past `cap`. */
static void
put(char *out, size_t *n, size_t cap, const char *p, size_t len)
{
	if (len > cap - *n)
		len = cap - *n;
	memcpy(out + *n, p, len);
	*n += len;
}

static struct bnc_str
rfc2047_decode(struct bnc_arena *a, struct bnc_str in, bool fast)
{
	size_t i = 0, n = 0, end, cap, ws = 0;
	struct bnc_str cs, text, dec;
	char enc, *out;
	bool bad = false, last_was_word = false;

	if (fast ? !has_word_start(in) : bnc_str_ifind(in, "=?", 2) < 0)
		return in;
	if (!bnc_size_mul(&cap, in.len, 4))
		return in;
	out = bnc_arena_alloc(a, cap + 1);
	if (out == NULL)
		return in;
	while (i < in.len) {
		if (encoded_word(in, i, &cs, &enc, &text, &end)) {
			dec = enc == 'b' ? bnc_base64_decode(a, text, &bad) :
			    bnc_qp_decode(a, text, true, &bad);
			dec = bnc_charset_to_utf8(a, dec, cs, &bad);
			/* White space between two encoded words is dropped. */
			if (!last_was_word)
				put(out, &n, cap, in.ptr + i - ws, ws);
			put(out, &n, cap, dec.ptr, dec.len);
			i = end;
			last_was_word = true;
			ws = 0;
			continue;
		}
		if (in.ptr[i] == ' ' || in.ptr[i] == '\t') {
			ws++;
			i++;
			continue;
		}
		put(out, &n, cap, in.ptr + i - ws, ws + 1);
		ws = 0;
		i++;
		last_was_word = false;
	}
	put(out, &n, cap, in.ptr + in.len - ws, ws);
	out[n] = '\0';
	return bnc_str_make(out, n);
}

struct bnc_str
bnc_rfc2047_decode(struct bnc_arena *a, struct bnc_str in)
{
	return rfc2047_decode(a, in, true);
}

struct bnc_str
bnc_rfc2047_decode_plain(struct bnc_arena *a, struct bnc_str in)
{
	return rfc2047_decode(a, in, false);
}

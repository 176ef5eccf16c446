/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * str.c - view helpers. ASCII case folding on purpose: header names,
 * SMTP verbs and our phrase tables are ASCII, and locale-dependent
 * tolower() would make results depend on the environment.
 */
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

/* No strlen(): most calls fail on the first bytes. */
bool
bnc_str_istarts(struct bnc_str s, const char *prefix)
{
	size_t i;

	for (i = 0; prefix[i] != '\0'; i++)
		if (i >= s.len || bnc_lower((unsigned char)s.ptr[i]) !=
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

/* Do needle[1, nlen - 1) and p[1, nlen - 1) agree (in any case when
 * `fold`)? The first and last bytes were compared by the caller. */
static inline bool
match_inner(const char *p, const char *needle, size_t nlen, bool fold)
{
	size_t j;

	if (!fold)
		return nlen <= 2 || memcmp(p + 1, needle + 1, nlen - 2) == 0;
	for (j = 1; j + 1 < nlen; j++)
		if (bnc_lower((unsigned char)p[j]) !=
		    bnc_lower((unsigned char)needle[j]))
			return false;
	return true;
}

#ifdef __SSE2__
/* Bit k set when the needle's first byte can be at p[k] and its last at
 * p[k + nlen - 1], for k in [0, 16). */
static inline unsigned
ifind_block(const char *p, size_t nlen, __m128i vf, __m128i vl, __m128i mf,
    __m128i ml)
{
	__m128i a = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i b = _mm_loadu_si128((const __m128i *)(const void *)
	    (p + nlen - 1));

	return (unsigned)_mm_movemask_epi8(_mm_and_si128(
	    _mm_cmpeq_epi8(_mm_or_si128(a, mf), vf),
	    _mm_cmpeq_epi8(_mm_or_si128(b, ml), vl)));
}
#endif

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define BNC_IFIND_AVX2 1
#include <immintrin.h>

/* The main loop of bnc_str_ifind() 32 positions at a time, on the CPUs
 * that have AVX2 (asked at run time; the build assumes only SSE2). It
 * returns a match, or -1 with *at where the caller goes on: the blocks
 * before it hold no match. */
__attribute__((target("avx2"))) static long
ifind_avx2(struct bnc_str s, const char *needle, size_t nlen, size_t stop,
    unsigned char first, unsigned char last, unsigned char fmask,
    unsigned char lmask, bool fold, size_t *at)
{
	const __m256i vf = _mm256_set1_epi8((char)first);
	const __m256i vl = _mm256_set1_epi8((char)last);
	const __m256i mf = _mm256_set1_epi8((char)fmask);
	const __m256i ml = _mm256_set1_epi8((char)lmask);
	size_t i;

	/* The loads read s[i, i + 32) and s[i + nlen - 1, i + nlen + 31),
	 * inside s while i + 32 <= stop. */
	for (i = 0; i + 32 <= stop; i += 32) {
		__m256i a = _mm256_loadu_si256((const __m256i *)(const void *)
		    (s.ptr + i));
		__m256i b = _mm256_loadu_si256((const __m256i *)(const void *)
		    (s.ptr + i + nlen - 1));
		unsigned m = (unsigned)_mm256_movemask_epi8(_mm256_and_si256(
		    _mm256_cmpeq_epi8(_mm256_or_si256(a, mf), vf),
		    _mm256_cmpeq_epi8(_mm256_or_si256(b, ml), vl)));
		for (; m; m &= m - 1) {
			unsigned k = (unsigned)__builtin_ctz(m);
			if (match_inner(s.ptr + i + k, needle, nlen, fold))
				return (long)(i + k);
		}
	}
	*at = i;
	return -1;
}
#endif

/* Case-insensitive search. It runs on every diagnostic, subject and
 * marker line, so it tests 16 candidate positions at a time: a position
 * can match only where both the needle's first and its last byte do.
 * OR-ing 0x20 folds case exactly for letters (x | 0x20 is the same only
 * for x and its other case); other bytes are compared as they are. The
 * rest of the needle is compared only at the rare positions left. A
 * text too short for one block is copied into a padded one first: most
 * searches are in short header values and diagnostics. */
static inline __attribute__((always_inline)) long
find_impl(struct bnc_str s, const char *needle, size_t nlen, bool fold)
{
	unsigned char first, last, fmask, lmask;
	size_t i = 0, stop;

	if (nlen == 0)
		return 0;
	if (s.len < nlen)
		return -1;
	first = (unsigned char)needle[0];
	last = (unsigned char)needle[nlen - 1];
	if (fold) {
		first = bnc_lower(first);
		last = bnc_lower(last);
	}
	fmask = fold && bnc_is_alpha(first) ? 0x20 : 0;
	lmask = fold && bnc_is_alpha(last) ? 0x20 : 0;
	stop = s.len - nlen + 1;	/* candidates start before this */
#ifdef __SSE2__
	{
		const __m128i vf = _mm_set1_epi8((char)first);
		const __m128i vl = _mm_set1_epi8((char)last);
		const __m128i mf = _mm_set1_epi8((char)fmask);
		const __m128i ml = _mm_set1_epi8((char)lmask);
		char pad[96];
		const char *base;
		unsigned m;

		if (stop < 16 && s.len >= 16) {
			/* First bytes from the first 16 of the text, last
			 * bytes from its last 16: byte k + nlen - 1 is bit
			 * k + 16 - stop of the second mask. */
			__m128i a = _mm_loadu_si128((const __m128i *)
			    (const void *)s.ptr);
			__m128i b = _mm_loadu_si128((const __m128i *)
			    (const void *)(s.ptr + s.len - 16));
			unsigned ma = (unsigned)_mm_movemask_epi8(
			    _mm_cmpeq_epi8(_mm_or_si128(a, mf), vf));
			unsigned mb = (unsigned)_mm_movemask_epi8(
			    _mm_cmpeq_epi8(_mm_or_si128(b, ml), vl));
			m = ma & (mb >> (16 - stop)) & ((1u << stop) - 1);
			for (; m; m &= m - 1) {
				unsigned k = (unsigned)__builtin_ctz(m);
				if (match_inner(s.ptr + k, needle, nlen, fold))
					return (long)k;
			}
			return -1;
		}
		if (stop < 16) {
			/* One block over a zero-padded copy; positions from
			 * `stop` on would compare padding. */
			if (s.len + 16 > sizeof(pad))
				goto scalar;
			memcpy(pad, s.ptr, s.len);
			memset(pad + s.len, 0, 16);
			m = ifind_block(pad, nlen, vf, vl, mf, ml) &
			    ((1u << stop) - 1);
			for (; m; m &= m - 1) {
				unsigned k = (unsigned)__builtin_ctz(m);
				if (match_inner(s.ptr + k, needle, nlen, fold))
					return (long)k;
			}
			return -1;
		}
#ifdef BNC_IFIND_AVX2
		if (stop >= 64 && __builtin_cpu_supports("avx2")) {
			long r = ifind_avx2(s, needle, nlen, stop, first, last,
			    fmask, lmask, fold, &i);
			if (r >= 0)
				return r;
		}
#endif
		/* The loads read s[i, i + 16) and s[i + nlen - 1,
		 * i + nlen + 15), inside s while i + 16 <= stop. */
		for (; i + 16 <= stop; i += 16) {
			m = ifind_block(s.ptr + i, nlen, vf, vl, mf, ml);
			for (; m; m &= m - 1) {
				unsigned k = (unsigned)__builtin_ctz(m);
				if (match_inner(s.ptr + i + k, needle, nlen, fold))
					return (long)(i + k);
			}
		}
		if (i == stop)
			return -1;
		/* The last block overlaps the one before: skip what it
		 * tested. */
		base = s.ptr + stop - 16;
		m = ifind_block(base, nlen, vf, vl, mf, ml) &
		    ~((1u << (16 - (stop - i))) - 1);
		for (; m; m &= m - 1) {
			unsigned k = (unsigned)__builtin_ctz(m);
			if (match_inner(base + k, needle, nlen, fold))
				return (long)(base + k - s.ptr);
		}
		return -1;
	}
scalar:
#endif
	for (; i < stop; i++)
		if (((unsigned char)s.ptr[i] | fmask) == first &&
		    ((unsigned char)s.ptr[i + nlen - 1] | lmask) == last &&
		    match_inner(s.ptr + i, needle, nlen, fold))
			return (long)i;
	return -1;
}

long
bnc_str_ifind(struct bnc_str s, const char *needle, size_t nlen)
{
	return find_impl(s, needle, nlen, true);
}

long
bnc_mem_find(struct bnc_str s, const char *needle, size_t nlen)
{
	return find_impl(s, needle, nlen, false);
}

#ifdef __SSE2__
/* Bit k set when p[k - 1] is a LF and p[k] is a or b, k in [0, 16). */
static inline unsigned
line_with_block(const char *p, __m128i va, __m128i vb)
{
	__m128i prev = _mm_loadu_si128((const __m128i *)(const void *)(p - 1));
	__m128i cur = _mm_loadu_si128((const __m128i *)(const void *)p);

	return (unsigned)_mm_movemask_epi8(_mm_and_si128(
	    _mm_cmpeq_epi8(prev, _mm_set1_epi8('\n')),
	    _mm_or_si128(_mm_cmpeq_epi8(cur, va), _mm_cmpeq_epi8(cur, vb))));
}
#endif

#ifdef BNC_IFIND_AVX2
/* Bits of the positions k of p[0, 32) where p[k - 1] is a LF and p[k]
 * is a or b (only a when `one`). */
__attribute__((target("avx2"))) static inline __m256i
line_with_hits(const char *p, __m256i va, __m256i vb, bool one)
{
	__m256i prev = _mm256_loadu_si256((const __m256i *)(const void *)
	    (p - 1));
	__m256i cur = _mm256_loadu_si256((const __m256i *)(const void *)p);
	__m256i hit = _mm256_cmpeq_epi8(cur, va);

	if (!one)
		hit = _mm256_or_si256(hit, _mm256_cmpeq_epi8(cur, vb));
	return _mm256_and_si256(_mm256_cmpeq_epi8(prev,
	    _mm256_set1_epi8('\n')), hit);
}

/* The main loop of bnc_str_next_line_with() 64 positions at a time
 * (then 32), on CPUs with AVX2: a match, or s.len with *at where the
 * caller goes on. `one`: a and b are the same byte, one compare. */
__attribute__((target("avx2"))) static inline size_t
line_with_loop(struct bnc_str s, size_t i, char a, char b, size_t *at,
    bool one)
{
	const __m256i va = _mm256_set1_epi8(a), vb = _mm256_set1_epi8(b);

	/* The loads read s[i - 1, i + 64), inside while i + 64 <= len. */
	for (; i + 64 <= s.len; i += 64) {
		__m256i h0 = line_with_hits(s.ptr + i, va, vb, one);
		__m256i h1 = line_with_hits(s.ptr + i + 32, va, vb, one);
		__m256i h = _mm256_or_si256(h0, h1);
		if (!_mm256_testz_si256(h, h)) {
			unsigned m = (unsigned)_mm256_movemask_epi8(h0);
			if (m)
				return i + (size_t)__builtin_ctz(m);
			return i + 32 + (size_t)__builtin_ctz(
			    (unsigned)_mm256_movemask_epi8(h1));
		}
	}
	if (i + 32 <= s.len) {
		unsigned m = (unsigned)_mm256_movemask_epi8(line_with_hits(
		    s.ptr + i, va, vb, one));
		if (m)
			return i + (size_t)__builtin_ctz(m);
		i += 32;
	}
	*at = i;
	return s.len;
}

__attribute__((target("avx2"))) static size_t
line_with_avx2(struct bnc_str s, size_t i, char a, char b, size_t *at)
{
	return a == b ? line_with_loop(s, i, a, b, at, true) :
	    line_with_loop(s, i, a, b, at, false);
}
#endif

size_t
bnc_str_next_line_with(struct bnc_str s, size_t from, char a, char b)
{
	size_t i = from ? from : 1;

#ifdef __SSE2__
	if (s.len >= 17 && i < s.len) {
		const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b);
		unsigned m;

#ifdef BNC_IFIND_AVX2
		if (i + 64 <= s.len && __builtin_cpu_supports("avx2")) {
			size_t r = line_with_avx2(s, i, a, b, &i);
			if (r < s.len)
				return r;
		}
#endif
		/* The loads read s[i - 1, i + 16), inside while
		 * i + 16 <= len; then one last block that overlaps. */
		for (; i + 16 <= s.len; i += 16) {
			m = line_with_block(s.ptr + i, va, vb);
			if (m)
				return i + (size_t)__builtin_ctz(m);
		}
		if (i == s.len)
			return s.len;
		m = line_with_block(s.ptr + s.len - 16, va, vb) &
		    ~((1u << (16 - (s.len - i))) - 1);
		return m ? s.len - 16 + (size_t)__builtin_ctz(m) : s.len;
	}
#endif
	for (; i < s.len; i++)
		if (s.ptr[i - 1] == '\n' && (s.ptr[i] == a || s.ptr[i] == b))
			return i;
	return s.len;
}

size_t
bnc_mem_find2(const char *p, size_t len, char a, char b)
{
	size_t i = 0;

#ifdef __SSE2__
	{
		const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b);

		for (; i + 16 <= len; i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)
			    (const void *)(p + i));
			unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
			    _mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)));
			if (m)
				return i + (size_t)__builtin_ctz(m);
		}
	}
#endif
	for (; i < len; i++)
		if (p[i] == a || p[i] == b)
			return i;
	return len;
}

size_t
bnc_squeeze_run(const char *p, size_t len, char *out, size_t *n, bool *sp,
    bool lower)
{
	size_t i = 0;

#ifdef __SSE2__
	/* No white space but single ' ' between other bytes; when
	 * lowering, no 8-bit byte (the caller lowers those). */
	for (; i + 16 <= len; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)
		    (p + i));
		unsigned ms = (unsigned)_mm_movemask_epi8(
		    _mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
		unsigned mc = (unsigned)_mm_movemask_epi8(_mm_and_si128(
		    _mm_cmpgt_epi8(v, _mm_set1_epi8('\t' - 1)),
		    _mm_cmplt_epi8(v, _mm_set1_epi8('\r' + 1))));
		if (mc != 0 || (ms & 0x8001u) != 0 || (ms & (ms >> 1)))
			break;
		if (lower) {
			/* 'A'-'Z' (signed compares: 8-bit bytes are below
			 * 'A', and refused here) get 0x20. */
			__m128i up = _mm_and_si128(
			    _mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)),
			    _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
			if (_mm_movemask_epi8(v) != 0)
				break;
			v = _mm_or_si128(v, _mm_and_si128(up,
			    _mm_set1_epi8(0x20)));
		}
		if (*sp && *n)
			out[(*n)++] = ' ';
		*sp = false;
		_mm_storeu_si128((__m128i *)(void *)(out + *n), v);
		*n += 16;
	}
#else
	(void)p;
	(void)len;
	(void)out;
	(void)n;
	(void)sp;
	(void)lower;
#endif
	return i;
}

#ifdef __SSE2__
/* bnc_str_squeeze_into() without lowering: 16 bytes a step, where each
 * step takes the bytes up to the next white space that is not one
 * space between two others (copied as they are, the block stored whole:
 * out has room, as n <= i) or the whole run of white space there. */
static size_t
squeeze_blocks(struct bnc_str s, char *out)
{
	const __m128i lo = _mm_set1_epi8('\t' - 1);
	const __m128i hi = _mm_set1_epi8('\r' + 1);
	const __m128i blank = _mm_set1_epi8(' ');
	size_t i = 0, n = 0;
	bool sp = false;

	while (i + 16 <= s.len) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)
		    (s.ptr + i));
		unsigned ms = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v,
		    blank));
		unsigned mw = ms | (unsigned)_mm_movemask_epi8(_mm_and_si128(
		    _mm_cmpgt_epi8(v, lo), _mm_cmplt_epi8(v, hi)));
		unsigned bad, q, r;

		if (mw & 1) {
			/* A run of white space: up to its end, or the
			 * block's. */
			r = (unsigned)__builtin_ctz(~mw | 0x10000u);
			sp = true;
			i += r;
			continue;
		}
		/* The first white space that is not a lone ' ' (another
		 * white space byte, a space before white space, one that
		 * ends the block) ends what is copied as it is. */
		bad = (mw & ~ms) | (ms & (mw >> 1)) | (ms & 0x8000u);
		q = (unsigned)__builtin_ctz(bad | 0x10000u);
		if (sp && n)
			out[n++] = ' ';
		sp = false;
		_mm_storeu_si128((__m128i *)(void *)(out + n), v);
		n += q;
		i += q;
	}
	for (; i < s.len; i++) {
		unsigned char c = (unsigned char)s.ptr[i];
		if (bnc_is_space(c)) {
			sp = true;
			continue;
		}
		if (sp && n)
			out[n++] = ' ';
		sp = false;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return n;
}
#endif

size_t
bnc_str_squeeze_into(struct bnc_str s, char *out, bool lower)
{
	size_t i, n = 0;
	bool sp = false;

#ifdef __SSE2__
	if (!lower)
		return squeeze_blocks(s, out);
#endif
	for (i = 0; i < s.len; i++) {
		unsigned char c;
		i += bnc_squeeze_run(s.ptr + i, s.len - i, out, &n, &sp, lower);
		if (i >= s.len)
			break;
		c = (unsigned char)s.ptr[i];
		if (bnc_is_space(c)) {
			sp = true;
			continue;
		}
		if (sp && n)
			out[n++] = ' ';
		sp = false;
		out[n++] = (char)(lower ? bnc_lower(c) : c);
	}
	out[n] = '\0';
	return n;
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

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * reply.c - reply codes (RFC 5321 section 4.2) and enhanced status codes
 * (RFC 3463) in free text. Numbers inside IP addresses, dates, host names
 * and queue ids are not codes: a code stands alone between separators.
 */
#include <pthread.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "reply.h"

/* Length of the enhanced status at p ("5.1.1", "5.7.509"), or 0. */
static size_t
status_at(struct bnc_str s, size_t p)
{
	size_t i = p, d;

	if (p > 0) {
		unsigned char b = (unsigned char)s.ptr[p - 1];
		if (bnc_is_digit(b) || b == '.' || bnc_is_alpha(b) || b == '-' ||
		    b == '_')
			return 0;
	}
	if (i >= s.len || (s.ptr[i] != '2' && s.ptr[i] != '4' &&
	    s.ptr[i] != '5'))
		return 0;
	i++;
	if (i >= s.len || s.ptr[i] != '.')
		return 0;
	i++;
	for (d = 0; i < s.len && bnc_is_digit((unsigned char)s.ptr[i]); i++)
		d++;
	if (d < 1 || d > 3 || i >= s.len || s.ptr[i] != '.')
		return 0;
	i++;
	for (d = 0; i < s.len && bnc_is_digit((unsigned char)s.ptr[i]); i++)
		d++;
	if (d < 1 || d > 3)
		return 0;
	/* "5.1.1.2" is an address or a version, not a status. */
	if (i < s.len && (bnc_is_alpha((unsigned char)s.ptr[i]) ||
	    (s.ptr[i] == '.' && i + 1 < s.len &&
	    bnc_is_digit((unsigned char)s.ptr[i + 1]))))
		return 0;
	return i - p;
}

bool
bnc_status_valid(struct bnc_str s)
{
	s = bnc_str_trim(s);
	return s.len > 0 && status_at(s, 0) == s.len;
}

#ifdef __SSE2__
/* Bit k set when p[k] is '2', '4' or '5', for k in [0, 16). */
static inline __m128i
class_digit(__m128i b)
{
	return _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(b, _mm_set1_epi8('2')),
	    _mm_cmpeq_epi8(b, _mm_set1_epi8('4'))),
	    _mm_cmpeq_epi8(b, _mm_set1_epi8('5')));
}

/* 0xff where b is a digit from '0' to '0' + max. */
static inline __m128i
digit_upto(__m128i b, char max)
{
	__m128i v = _mm_sub_epi8(b, _mm_set1_epi8('0'));

	return _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(max)), v);
}

static inline __m128i
load16(const char *p)
{
	return _mm_loadu_si128((const __m128i *)(const void *)p);
}
#endif

/* The first position at or after `from` where a status can start ("2.",
 * "4." or "5."), or s.len: every position in turn. */
static size_t
next_status_start_plain(struct bnc_str s, size_t from)
{
	size_t i;

	for (i = from; i + 1 < s.len; i++)
		if (s.ptr[i + 1] == '.' && (s.ptr[i] == '2' || s.ptr[i] == '4' ||
		    s.ptr[i] == '5'))
			return i;
	return s.len;
}

/* The first position at or after `from` where a reply code can start
 * (a class digit, a digit 0-5, a digit), or s.len: every position in
 * turn. */
static size_t
next_code_start_plain(struct bnc_str s, size_t from)
{
	size_t i;

	for (i = from; i + 3 <= s.len; i++)
		if ((s.ptr[i] == '2' || s.ptr[i] == '4' || s.ptr[i] == '5') &&
		    s.ptr[i + 1] >= '0' && s.ptr[i + 1] <= '5' &&
		    bnc_is_digit((unsigned char)s.ptr[i + 2]))
			return i;
	return s.len;
}

#ifdef __SSE2__
/* Bit k set when a status can start at p[k] (reads p[0, 17)). */
static inline unsigned
status_block(const char *p)
{
	return (unsigned)_mm_movemask_epi8(_mm_and_si128(
	    class_digit(load16(p)),
	    _mm_cmpeq_epi8(load16(p + 1), _mm_set1_epi8('.'))));
}

/* Bit k set when a reply code can start at p[k] (reads p[0, 18)). */
static inline unsigned
code_block(const char *p)
{
	return (unsigned)_mm_movemask_epi8(_mm_and_si128(
	    class_digit(load16(p)), _mm_and_si128(
	    digit_upto(load16(p + 1), 5), digit_upto(load16(p + 2), 9))));
}
#endif

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define BNC_REPLY_AVX2 1
#include <immintrin.h>

__attribute__((target("avx2"))) static inline __m256i
load32(const char *p)
{
	return _mm256_loadu_si256((const __m256i *)(const void *)p);
}

__attribute__((target("avx2"))) static inline __m256i
class_digit32(__m256i b)
{
	return _mm256_or_si256(_mm256_or_si256(
	    _mm256_cmpeq_epi8(b, _mm256_set1_epi8('2')),
	    _mm256_cmpeq_epi8(b, _mm256_set1_epi8('4'))),
	    _mm256_cmpeq_epi8(b, _mm256_set1_epi8('5')));
}

__attribute__((target("avx2"))) static inline __m256i
digit_upto32(__m256i b, char max)
{
	__m256i v = _mm256_sub_epi8(b, _mm256_set1_epi8('0'));

	return _mm256_cmpeq_epi8(_mm256_min_epu8(v, _mm256_set1_epi8(max)), v);
}

/* The 16-byte loops below 32 positions at a time, on CPUs with AVX2
 * (asked at run time): a position, or s.len with *at where to go on. */
__attribute__((target("avx2"))) static size_t
status_avx2(struct bnc_str s, size_t i, size_t *at)
{
	for (; i + 33 <= s.len; i += 32) {
		unsigned m = (unsigned)_mm256_movemask_epi8(_mm256_and_si256(
		    class_digit32(load32(s.ptr + i)), _mm256_cmpeq_epi8(
		    load32(s.ptr + i + 1), _mm256_set1_epi8('.'))));
		if (m)
			return i + (size_t)__builtin_ctz(m);
	}
	*at = i;
	return s.len;
}

__attribute__((target("avx2"))) static size_t
code_avx2(struct bnc_str s, size_t i, size_t *at)
{
	for (; i + 34 <= s.len; i += 32) {
		unsigned m = (unsigned)_mm256_movemask_epi8(_mm256_and_si256(
		    class_digit32(load32(s.ptr + i)), _mm256_and_si256(
		    digit_upto32(load32(s.ptr + i + 1), 5),
		    digit_upto32(load32(s.ptr + i + 2), 9))));
		if (m)
			return i + (size_t)__builtin_ctz(m);
	}
	*at = i;
	return s.len;
}
#endif

/* next_status_start_plain() 16 positions at a time (32 with AVX2): the
 * last positions as one block that ends at the text's end, the ones
 * before `from` masked off; a text shorter than a block in a copy
 * padded with zeros (no digit, no '.': a status that would need them
 * is none). */
static size_t
next_status_start(struct bnc_str s, size_t from)
{
#ifdef __SSE2__
	size_t i = from, base;
	unsigned m;

	if (i + 1 >= s.len)
		return s.len;
	if (s.len < 17) {
		char pad[40] = { 0 };
		memcpy(pad, s.ptr, s.len);
		m = status_block(pad) & ~((1u << i) - 1);
		return m ? (size_t)__builtin_ctz(m) : s.len;
	}
#ifdef BNC_REPLY_AVX2
	if (i + 64 <= s.len && __builtin_cpu_supports("avx2")) {
		size_t r = status_avx2(s, i, &i);
		if (r < s.len)
			return r;
	}
#endif
	for (; i + 17 <= s.len; i += 16)
		if ((m = status_block(s.ptr + i)) != 0)
			return i + (size_t)__builtin_ctz(m);
	if (i + 1 >= s.len)
		return s.len;
	/* Positions [len - 17, len - 1) from i on. */
	base = s.len - 17;
	m = status_block(s.ptr + base) & ~((1u << (i - base)) - 1);
	return m ? base + (size_t)__builtin_ctz(m) : s.len;
#else
	return next_status_start_plain(s, from);
#endif
}

/* next_code_start_plain() as next_status_start() does its search. */
static size_t
next_code_start(struct bnc_str s, size_t from)
{
#ifdef __SSE2__
	size_t i = from, base;
	unsigned m;

	if (i + 3 > s.len)
		return s.len;
	if (s.len < 18) {
		char pad[40] = { 0 };
		memcpy(pad, s.ptr, s.len);
		m = code_block(pad) & ~((1u << i) - 1);
		return m ? (size_t)__builtin_ctz(m) : s.len;
	}
#ifdef BNC_REPLY_AVX2
	if (i + 64 <= s.len && __builtin_cpu_supports("avx2")) {
		size_t r = code_avx2(s, i, &i);
		if (r < s.len)
			return r;
	}
#endif
	for (; i + 18 <= s.len; i += 16)
		if ((m = code_block(s.ptr + i)) != 0)
			return i + (size_t)__builtin_ctz(m);
	if (i + 3 > s.len)
		return s.len;
	/* Positions [len - 18, len - 2) from i on. */
	base = s.len - 18;
	m = code_block(s.ptr + base) & ~((1u << (i - base)) - 1);
	return m ? base + (size_t)__builtin_ctz(m) : s.len;
#else
	return next_code_start_plain(s, from);
#endif
}

static inline __attribute__((always_inline)) struct bnc_str
status_find_impl(struct bnc_str text, bool plain)
{
	size_t i, n;

	for (i = 0; (i = plain ? next_status_start_plain(text, i) :
	    next_status_start(text, i)) < text.len; i++) {
		n = status_at(text, i);
		if (n)
			return bnc_str_make(text.ptr + i, n);
	}
	return BNC_STR_NULL;
}

struct bnc_str
bnc_status_find(struct bnc_str text)
{
	return status_find_impl(text, false);
}

struct bnc_str
bnc_status_find_plain(struct bnc_str text)
{
	return status_find_impl(text, true);
}

/* Is there a 3-digit reply code at p? */
static bool
code_at(struct bnc_str s, size_t p)
{
	unsigned char b, a;

	if (p + 3 > s.len)
		return false;
	if (s.ptr[p] != '2' && s.ptr[p] != '4' && s.ptr[p] != '5')
		return false;
	if (!bnc_is_digit((unsigned char)s.ptr[p + 1]) ||
	    !bnc_is_digit((unsigned char)s.ptr[p + 2]))
		return false;
	if (s.ptr[p + 1] > '5')
		return false;	/* RFC 5321 4.2.1: second digit 0-5 */
	if (p > 0) {
		b = (unsigned char)s.ptr[p - 1];
		if (bnc_is_digit(b) || bnc_is_alpha(b) || b == '.' || b == '-' ||
		    b == '_' || b == '/' || b == '+' || b == '=' || b == '@' ||
		    b == '%')
			return false;
	}
	if (p + 3 < s.len) {
		a = (unsigned char)s.ptr[p + 3];
		if (!(a == ' ' || a == '-' || a == '\t' || a == '\n' ||
		    a == ')' || a == ']' || a == ',' || a == ';' || a == '>' ||
		    a == '"' || a == '\'' || a == ':'))
			return false;
		/* "550 " followed by a time "12:30" is part of a date. */
		if (a == '-' && p + 4 < s.len &&
		    !bnc_is_space((unsigned char)s.ptr[p + 4]) &&
		    !bnc_is_digit((unsigned char)s.ptr[p + 4]) &&
		    !bnc_is_alpha((unsigned char)s.ptr[p + 4]))
			return false;
	}
	return true;
}

/* Skip separators after a reply code: "550 ", "550-", "550 #". */
static size_t
skip_sep(struct bnc_str s, size_t i)
{
	while (i < s.len && (s.ptr[i] == ' ' || s.ptr[i] == '-' ||
	    s.ptr[i] == ':' ||
	    s.ptr[i] == '#' || s.ptr[i] == '\t' || s.ptr[i] == '(' ||
	    s.ptr[i] == '\'' || s.ptr[i] == '"'))
		i++;
	return i;
}

static inline __attribute__((always_inline)) void
reply_scan_impl(struct bnc_str text, struct bnc_reply *out, bool plain)
{
	struct bnc_str first_code = BNC_STR_NULL;
	size_t i, n;

	out->code = BNC_STR_NULL;
	out->status = BNC_STR_NULL;
	/* Best: a code directly followed by an enhanced status; a failure
	 * (4xx, 5xx) before a success in a transcript ("250 2.1.5 Ok ...
	 * 451 4.3.0 Error"). */
	struct bnc_reply ok = { BNC_STR_NULL, BNC_STR_NULL };
	/* Most bytes are no digit at all: next_code_start() skips them. */
	for (i = 0; (i = plain ? next_code_start_plain(text, i) :
	    next_code_start(text, i)) < text.len; i++) {
		if (!code_at(text, i))
			continue;
		/* Right after the code ("550-5.7.1", "550 #5.1.1") the
		 * status may follow a '-', which status_at() refuses
		 * elsewhere: look at it as the start of a text. */
		{
			size_t at = skip_sep(text, i + 3);
			n = status_at(bnc_str_from(text, at), 0);
			if (n && text.ptr[at] == text.ptr[i]) {
				if (text.ptr[i] == '2') {
					if (ok.code.len == 0) {
						ok.code = bnc_str_make(
						    text.ptr + i, 3);
						ok.status = bnc_str_make(
						    text.ptr + at, n);
					}
					i += 2;
					continue;
				}
				out->code = bnc_str_make(text.ptr + i, 3);
				out->status = bnc_str_make(text.ptr + at, n);
				return;
			}
		}
		/* A lone 2xx in a failure text is a size or a count, not
		 * the server's answer. */
		if (first_code.len == 0 && text.ptr[i] != '2')
			first_code = bnc_str_make(text.ptr + i, 3);
		i += 2;
	}
	if (first_code.len == 0 && ok.code.len) {
		*out = ok;
		return;
	}
	out->code = first_code;
	out->status = status_find_impl(text, plain);
	if (out->code.len && out->status.len &&
	    out->code.ptr[0] != out->status.ptr[0]) {
		/* Disagreeing classes: trust the status when it is the only
		 * thing of its kind, else the code. */
		if (out->code.ptr[0] == '2')
			out->code = BNC_STR_NULL;
		else
			out->status = BNC_STR_NULL;
	}
}

void
bnc_reply_scan(struct bnc_str text, struct bnc_reply *out)
{
	reply_scan_impl(text, out, false);
}

void
bnc_reply_scan_plain(struct bnc_str text, struct bnc_reply *out)
{
	reply_scan_impl(text, out, true);
}

/* Patterns are lower case. */
static const struct {
	const char *pat;
	const char *cmd;
} cmd_tab[] = {
	{ "after rcpt to", "RCPT" }, { "rcpt to:", "RCPT" },
	{ "rcpt to response", "RCPT" }, { "[rcpt_to]", "RCPT" },
	{ "smtp:rcpt", "RCPT" }, { "smtp:data", "DATA" },
	{ "smtp:mail", "MAIL" },
	{ "does not like recipient", "RCPT" },
	{ "in reply to rcpt to", "RCPT" },
	{ ">>> rcpt", "RCPT" }, { "in reply to rcpt", "RCPT" },
	{ "after mail from", "MAIL" }, { "mail from:", "MAIL" },
	{ ">>> mail", "MAIL" }, { "in reply to mail", "MAIL" },
	{ "after end of data", "DATA" }, { "after data", "DATA" },
	{ ">>> data", "DATA" }, { "in reply to data", "DATA" },
	{ "in reply to end of data", "DATA" },
	{ "after initial connection", "CONN" },
	{ "after ehlo", "EHLO" }, { ">>> ehlo", "EHLO" },
	{ "after helo", "HELO" }, { ">>> helo", "HELO" },
	{ "after starttls", "STARTTLS" }, { "after auth", "AUTH" },
	{ "after quit", "QUIT" },
};
enum { NCMD = sizeof(cmd_tab) / sizeof(cmd_tab[0]) };

/* Built once: head[c] and chain[] list, in table order, the patterns
 * that start with byte c (NCMD: none); pair[] holds the distinct first
 * two bytes of the patterns, OR 0x20 (the vector test below folds case
 * that way). */
static struct {
	unsigned char head[256], chain[NCMD];
	unsigned char pair[NCMD][2];
	unsigned npair;
	/* For the AVX2 filter: each distinct first three bytes of the
	 * patterns (OR 0x20) is a bucket (bit k % 8 of a byte); for byte
	 * j of a position, the buckets whose byte j has that low nibble
	 * and those whose byte j has that high nibble. */
	unsigned char nib_lo[3][16], nib_hi[3][16];
} cmd_index;
static pthread_once_t cmd_once = PTHREAD_ONCE_INIT;

static void
cmd_index_build(void)
{
	unsigned k, j;

	memset(cmd_index.head, NCMD, sizeof(cmd_index.head));
	for (k = NCMD; k-- > 0;) {
		unsigned char c = (unsigned char)cmd_tab[k].pat[0];
		cmd_index.chain[k] = cmd_index.head[c];
		cmd_index.head[c] = (unsigned char)k;
	}
	for (k = 0; k < NCMD; k++) {
		unsigned char p0 = (unsigned char)(cmd_tab[k].pat[0] | 0x20);
		unsigned char p1 = (unsigned char)(cmd_tab[k].pat[1] | 0x20);
		for (j = 0; j < cmd_index.npair; j++)
			if (cmd_index.pair[j][0] == p0 &&
			    cmd_index.pair[j][1] == p1)
				break;
		if (j == cmd_index.npair) {
			cmd_index.pair[j][0] = p0;
			cmd_index.pair[j][1] = p1;
			cmd_index.npair++;
		}
	}
	/* Buckets: the distinct first three bytes, OR 0x20 (every pattern
	 * has three); more than eight share the bits (only a looser
	 * filter). */
	{
		unsigned char tri[NCMD][3];
		unsigned ntri = 0, b;
		for (k = 0; k < NCMD; k++) {
			unsigned char t[3];
			for (j = 0; j < 3; j++)
				t[j] = (unsigned char)(cmd_tab[k].pat[j] |
				    0x20);
			for (b = 0; b < ntri; b++)
				if (memcmp(tri[b], t, 3) == 0)
					break;
			if (b < ntri)
				continue;
			memcpy(tri[ntri], t, 3);
			for (j = 0; j < 3; j++) {
				cmd_index.nib_lo[j][t[j] & 15] |=
				    (unsigned char)(1u << (ntri % 8));
				cmd_index.nib_hi[j][t[j] >> 4] |=
				    (unsigned char)(1u << (ntri % 8));
			}
			ntri++;
		}
	}
}

/* The command of the first pattern, in table order, that starts at
 * t[i], or NULL. */
static const char *
cmd_at(struct bnc_str t, size_t i)
{
	unsigned k = cmd_index.head[bnc_lower((unsigned char)t.ptr[i])];
	size_t j, n = t.len - i;

	for (; k < NCMD; k = cmd_index.chain[k]) {
		const char *pat = cmd_tab[k].pat;
		for (j = 1; pat[j] && j < n; j++)
			if (bnc_lower((unsigned char)t.ptr[i + j]) !=
			    (unsigned char)pat[j])
				break;
		if (pat[j] == '\0')
			return cmd_tab[k].cmd;
	}
	return NULL;
}

/* bnc_smtp_command_find() the plain way: every position in turn. */
const char *
bnc_smtp_command_find_plain(struct bnc_str t)
{
	const char *cmd;
	size_t i;

	pthread_once(&cmd_once, cmd_index_build);
	for (i = 0; i < t.len; i++)
		if ((cmd = cmd_at(t, i)) != NULL)
			return cmd;
	return NULL;
}

#ifdef __SSE2__
/* Bit k set when bytes k and k + 1 of the 17 at p, OR 0x20, are the
 * first two of some pattern. */
static unsigned
cmd_pairs16(const char *p, const __m128i *p0, const __m128i *p1)
{
	const __m128i low = _mm_set1_epi8(0x20);
	__m128i b0 = _mm_or_si128(_mm_loadu_si128((const __m128i *)
	    (const void *)p), low);
	__m128i b1 = _mm_or_si128(_mm_loadu_si128((const __m128i *)
	    (const void *)(p + 1)), low);
	__m128i hit = _mm_setzero_si128();
	unsigned k;

	for (k = 0; k < cmd_index.npair; k++)
		hit = _mm_or_si128(hit, _mm_and_si128(_mm_cmpeq_epi8(b0, p0[k]),
		    _mm_cmpeq_epi8(b1, p1[k])));
	return (unsigned)_mm_movemask_epi8(hit);
}
#endif

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define BNC_CMD_AVX2 1
#include "../util/simd.h"

/* Positions 32 at a time, on CPUs with AVX2 (asked at run time): a
 * position whose first three bytes, OR 0x20, are no pattern's is ruled
 * out by two table look-ups a byte (the low and the high nibble give
 * the buckets of patterns that have them there; a position is a
 * candidate when some bucket has all six), the rest compared by
 * cmd_at(). The last positions as one more block ending at the text's
 * end, the positions already seen masked off. For texts of 34 bytes
 * or more: a command, or NULL. */
__attribute__((target("avx2"))) static const char *
cmd_avx2(struct bnc_str t)
{
	__m256i lo[3], hi[3];
	size_t i;
	unsigned j, m;

	for (j = 0; j < 3; j++) {
		lo[j] = _mm256_broadcastsi128_si256(_mm_loadu_si128(
		    (const __m128i *)(const void *)cmd_index.nib_lo[j]));
		hi[j] = _mm256_broadcastsi128_si256(_mm_loadu_si128(
		    (const __m128i *)(const void *)cmd_index.nib_hi[j]));
	}
	/* The loads read t[i, i + 34), inside while i + 34 <= len. */
	for (i = 0; i + 34 <= t.len; i += 32) {
		m = ~(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(
		    bnc_prefix3_buckets(t.ptr + i, lo, hi), _mm256_setzero_si256()));
		for (; m; m &= m - 1) {
			const char *cmd = cmd_at(t, i + (size_t)__builtin_ctz(m));
			if (cmd)
				return cmd;
		}
	}
	/* Positions [len - 34, len - 2) from i on; the last two start no
	 * pattern (none is shorter than three bytes). */
	if (i + 2 < t.len) {
		size_t base = t.len - 34;
		m = ~(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(
		    bnc_prefix3_buckets(t.ptr + base, lo, hi),
		    _mm256_setzero_si256())) & ~((1u << (i - base)) - 1);
		for (; m; m &= m - 1) {
			const char *cmd = cmd_at(t, base +
			    (size_t)__builtin_ctz(m));
			if (cmd)
				return cmd;
		}
	}
	return NULL;
}
#endif

/* The earliest position where some pattern matches wins; at one
 * position the first pattern of the table. Positions whose first two
 * bytes start no pattern are ruled out 16 (or 32) at a time: the last
 * positions as one more block that ends at the text's end (the
 * positions already seen masked off), a text shorter than a block in
 * a padded copy. No pattern is shorter than 2 bytes, so the last byte
 * starts none. */
const char *
bnc_smtp_command_find(struct bnc_str t)
{
	const char *cmd;
	size_t i = 0;

	pthread_once(&cmd_once, cmd_index_build);
	if (t.len < 2)
		return NULL;
#ifdef BNC_CMD_AVX2
	if (t.len >= 34 && __builtin_cpu_supports("avx2"))
		return cmd_avx2(t);
#endif
#ifdef __SSE2__
	{
		__m128i p0[NCMD], p1[NCMD];
		unsigned k, m;
		size_t base;

		for (k = 0; k < cmd_index.npair; k++) {
			p0[k] = _mm_set1_epi8((char)cmd_index.pair[k][0]);
			p1[k] = _mm_set1_epi8((char)cmd_index.pair[k][1]);
		}
		for (; i + 17 <= t.len; i += 16) {
			m = cmd_pairs16(t.ptr + i, p0, p1);
			for (; m; m &= m - 1) {
				cmd = cmd_at(t, i + (size_t)__builtin_ctz(m));
				if (cmd)
					return cmd;
			}
		}
		if (i + 1 >= t.len)
			return NULL;
		if (t.len >= 17) {
			/* Positions [len - 17, len - 1): those from i on. */
			base = t.len - 17;
			m = cmd_pairs16(t.ptr + base, p0, p1) &
			    ~((1u << (i - base)) - 1);
		} else {
			/* Positions [0, len - 1) of a padded copy: a pair
			 * the padding makes is checked on the text. */
			char pad[33] = { 0 };
			memcpy(pad, t.ptr, t.len);
			base = 0;
			m = cmd_pairs16(pad, p0, p1) & ((1u << (t.len - 1)) - 1);
		}
		for (; m; m &= m - 1) {
			cmd = cmd_at(t, base + (size_t)__builtin_ctz(m));
			if (cmd)
				return cmd;
		}
		return NULL;
	}
#else
	for (; i < t.len; i++)
		if ((cmd = cmd_at(t, i)) != NULL)
			return cmd;
	return NULL;
#endif
}

struct bnc_str
bnc_reply_join(struct bnc_arena *a, struct bnc_str text, struct bnc_str code)
{
	size_t i, n = 0, seen = 0;
	char *out;

	if (code.len != 3 || text.len < 8)
		return text;
	out = bnc_arena_alloc(a, text.len + 1);
	if (out == NULL)
		return text;
	for (i = 0; i < text.len;) {
		/* Up to the next place the code's three bytes occur, as it
		 * is. */
		long at = bnc_mem_find(bnc_str_from(text, i), code.ptr, 3);
		size_t next = at < 0 ? text.len : i + (size_t)at;
		memcpy(out + n, text.ptr + i, next - i);
		n += next - i;
		i = next;
		if (i >= text.len)
			break;
		/* "550-" or "550 " that repeats the reply code, at a word
		 * start, optionally followed by the enhanced status. */
		if (i + 4 <= text.len && memcmp(text.ptr + i, code.ptr, 3) == 0 &&
		    (text.ptr[i + 3] == '-' || text.ptr[i + 3] == ' ') &&
		    code_at(text, i)) {
			/* Only a real multi-line reply ("550-" first) is
			 * joined: "554 554 5.7.1" is one line. */
			if (seen == 0 && text.ptr[i + 3] != '-')
				return text;
			if (seen++ > 0) {
				size_t j = i + 4, k;
				/* status_at() refuses a code glued to '-'. */
				struct bnc_str tail = bnc_str_from(text, j);
				k = status_at(tail, 0);
				if (k)
					j += k;
				while (j < text.len && text.ptr[j] == ' ')
					j++;
				i = j;
				continue;
			}
		}
		out[n++] = text.ptr[i++];
	}
	out[n] = '\0';
	if (seen < 2)
		return text;
	return bnc_str_make(out, n);
}

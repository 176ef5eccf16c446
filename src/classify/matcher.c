/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * matcher.c - the first piece of every phrase found in one pass.
 *
 * The first pieces are a needle set (src/util/needles.h), byte for
 * byte, read every STEP bytes: each read position costs a filter
 * look-up, and a piece is compared in full only where the text holds
 * one of its 4-byte windows. This replaced an Aho-Corasick automaton
 * whose transition table (states x byte classes, 1.6 MB for the real
 * table) did not fit the caches: a cache miss a byte, where the filter
 * is 4 KiB. The few first pieces shorter than the set's minimum are
 * searched with bnc_mem_find(). Both are linear in the text.
 *
 * A phrase with '*' ("user * unknown") is found by its first piece and
 * then checked in order over the text with bnc_mem_find(): a handful of
 * such rows, each linear in the text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bouncer.h"
#include "../util/alloc.h"
#include "../util/needles.h"
#include "../util/str.h"
#include "matcher.h"

#define MAX_ROWS 4096
/* Every second byte read: pieces of 5 bytes or more in the set. */
#define STEP 2

struct bnc_matcher {
	const struct bnc_phrase *rows;
	size_t nrows;
	struct bnc_needles *set;	/* first pieces, row by row */
	char **piece;			/* each row's first piece */
	size_t *piece_len;
	size_t *short_rows;		/* rows whose piece the set leaves
					 * out, in row order */
	size_t nshort;
	unsigned char *wild;		/* row has more than one piece */
	/* The short rows whose piece has 3 bytes or more, found together
	 * (short_scan()): each distinct first three bytes is a bucket
	 * (bit k % 8), and for byte j of a position the buckets whose
	 * byte j has that low nibble, and those with that high one. */
	size_t *tri_rows;
	unsigned char *tri_bucket;	/* each tri_rows' bucket bit */
	size_t ntri;
	unsigned char nib_lo[3][16], nib_hi[3][16];
};

static size_t
first_piece(const char *p)
{
	const char *star = strchr(p, '*');
	size_t n = star ? (size_t)(star - p) : strlen(p);

	while (n && p[n - 1] == ' ')
		n--;
	return n;
}

int
bnc_matcher_new(struct bnc_matcher **out, const struct bnc_phrase *rows,
    size_t n)
{
	struct bnc_matcher *m;
	size_t i;
	int rc = BNC_ENOMEM;

	*out = NULL;
	if (n > MAX_ROWS)
		return BNC_EINVAL;
	/* An empty first piece would match anything. */
	for (i = 0; i < n; i++)
		if (first_piece(rows[i].phrase) == 0 ||
		    first_piece(rows[i].phrase) > 255)
			return BNC_EINVAL;
	m = bnc_calloc(1, sizeof(*m));
	if (m == NULL)
		return BNC_ENOMEM;
	m->rows = rows;
	m->nrows = n;
	m->piece = bnc_calloc(n ? n : 1, sizeof(*m->piece));
	m->piece_len = bnc_calloc(n ? n : 1, sizeof(*m->piece_len));
	m->short_rows = bnc_calloc(n ? n : 1, sizeof(*m->short_rows));
	m->wild = bnc_calloc(n ? n : 1, 1);
	if (!m->piece || !m->piece_len || !m->short_rows || !m->wild)
		goto out_free;
	for (i = 0; i < n; i++) {
		size_t len = first_piece(rows[i].phrase);
		m->piece[i] = bnc_malloc(len + 1);
		if (m->piece[i] == NULL)
			goto out_free;
		memcpy(m->piece[i], rows[i].phrase, len);
		m->piece[i][len] = '\0';
		m->piece_len[i] = len;
		m->wild[i] = strchr(rows[i].phrase, '*') != NULL;
	}
	rc = bnc_needles_new(&m->set, (const char *const *)m->piece, n, STEP,
	    false);
	if (rc)
		goto out_free;
	for (i = 0; i < n; i++)
		if (m->piece_len[i] < bnc_needles_min(m->set))
			m->short_rows[m->nshort++] = i;
	m->tri_rows = bnc_calloc(m->nshort ? m->nshort : 1,
	    sizeof(*m->tri_rows));
	m->tri_bucket = bnc_calloc(m->nshort ? m->nshort : 1, 1);
	if (m->tri_rows == NULL || m->tri_bucket == NULL)
		goto out_free;
	{
		char tri[64][3];
		size_t ntri = 0, k, b, j;
		for (k = 0; k < m->nshort; k++) {
			const char *pc = m->piece[m->short_rows[k]];
			if (m->piece_len[m->short_rows[k]] < 3)
				continue;
			for (b = 0; b < ntri && b < 64; b++)
				if (memcmp(tri[b], pc, 3) == 0)
					break;
			if (b == ntri && ntri < 64)
				memcpy(tri[ntri++], pc, 3);
			m->tri_rows[m->ntri] = m->short_rows[k];
			m->tri_bucket[m->ntri++] = (unsigned char)(1u << (b % 8));
			for (j = 0; j < 3; j++) {
				unsigned char c = (unsigned char)pc[j];
				m->nib_lo[j][c & 15] |= (unsigned char)(1u <<
				    (b % 8));
				m->nib_hi[j][c >> 4] |= (unsigned char)(1u <<
				    (b % 8));
			}
		}
	}
	*out = m;
	return 0;
out_free:
	bnc_matcher_free(m);
	return rc;
}

void
bnc_matcher_free(struct bnc_matcher *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; m->piece && i < m->nrows; i++)
		bnc_free(m->piece[i]);
	bnc_free(m->piece);
	bnc_free(m->piece_len);
	bnc_free(m->short_rows);
	bnc_free(m->wild);
	bnc_free(m->tri_rows);
	bnc_free(m->tri_bucket);
	bnc_needles_free(m->set);
	bnc_free(m);
}

bool
bnc_phrase_occurs(const char *text, size_t len, const char *phrase)
{
	const char *p = phrase, *star;
	size_t off = 0, plen;

	while (*p) {
		star = strchr(p, '*');
		plen = star ? (size_t)(star - p) : strlen(p);
		while (plen && p[plen - 1] == ' ')
			plen--;
		if (plen) {
			long hit = bnc_mem_find(bnc_str_make(text + off,
			    len - off), p, plen);
			if (hit < 0)
				return false;
			off += (size_t)hit + plen;
		}
		if (star == NULL)
			break;
		p = star + 1;
		while (*p == ' ')
			p++;
	}
	return true;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define BNC_MATCHER_AVX2 1
#include <immintrin.h>

/* The buckets of the positions p[0, 32): bucket bits whose three bytes'
 * nibbles all agree (reads p[0, 34)). */
__attribute__((target("avx2"))) static inline __m256i
tri_buckets(const char *p, const __m256i lo[3], const __m256i hi[3])
{
	const __m256i nib = _mm256_set1_epi8(15);
	__m256i m = _mm256_set1_epi8(-1);
	unsigned j;

	for (j = 0; j < 3; j++) {
		__m256i b = _mm256_loadu_si256((const __m256i *)(const void *)
		    (p + j));
		m = _mm256_and_si256(m, _mm256_and_si256(
		    _mm256_shuffle_epi8(lo[j], _mm256_and_si256(b, nib)),
		    _mm256_shuffle_epi8(hi[j], _mm256_and_si256(
		    _mm256_srli_epi16(b, 4), nib))));
	}
	return m;
}

/* The rows of one block's candidates: at each position whose buckets
 * hold a row not found yet, the rows of those buckets compared. */
static void
tri_check(const struct bnc_matcher *m, struct bnc_str t, size_t base,
    unsigned cand, const unsigned char *bucket, uint64_t *hit)
{
	for (; cand; cand &= cand - 1) {
		size_t k = (size_t)__builtin_ctz(cand), r;
		unsigned char b = bucket[k];
		for (r = 0; r < m->ntri; r++) {
			size_t row = m->tri_rows[r], len = m->piece_len[row];
			if (!(m->tri_bucket[r] & b) ||
			    (hit[row / 64] >> (row % 64) & 1) ||
			    base + k + len > t.len ||
			    memcmp(t.ptr + base + k, m->piece[row], len) != 0)
				continue;
			hit[row / 64] |= (uint64_t)1 << (row % 64);
		}
	}
}

/* The short rows of three bytes or more in one pass (texts of 34 bytes
 * or more, CPUs with AVX2): a position is a candidate when its first
 * three bytes' nibbles agree with some bucket's, and compared there
 * with the bucket's rows; the last positions as one block ending at
 * the text's end, those seen masked off. Sets their bits as
 * bnc_mem_find() of each would. */
__attribute__((target("avx2"))) static void
short_scan(const struct bnc_matcher *m, struct bnc_str t, uint64_t *hit)
{
	__m256i lo[3], hi[3];
	unsigned char bucket[32];
	size_t i;
	unsigned j, cand;

	for (j = 0; j < 3; j++) {
		lo[j] = _mm256_broadcastsi128_si256(_mm_loadu_si128(
		    (const __m128i *)(const void *)m->nib_lo[j]));
		hi[j] = _mm256_broadcastsi128_si256(_mm_loadu_si128(
		    (const __m128i *)(const void *)m->nib_hi[j]));
	}
	for (i = 0; i + 34 <= t.len; i += 32) {
		__m256i b = tri_buckets(t.ptr + i, lo, hi);
		cand = ~(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b,
		    _mm256_setzero_si256()));
		if (cand) {
			_mm256_storeu_si256((__m256i *)(void *)bucket, b);
			tri_check(m, t, i, cand, bucket, hit);
		}
	}
	/* Positions [len - 34, len - 2) from i on; the last two start no
	 * piece of three bytes. */
	if (i + 2 < t.len) {
		size_t base = t.len - 34;
		__m256i b = tri_buckets(t.ptr + base, lo, hi);
		cand = ~(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b,
		    _mm256_setzero_si256())) & ~((1u << (i - base)) - 1);
		if (cand) {
			_mm256_storeu_si256((__m256i *)(void *)bucket, b);
			tri_check(m, t, base, cand, bucket, hit);
		}
	}
}
#endif

static inline __attribute__((always_inline)) void
pieces_impl(const struct bnc_matcher *m, const char *text, size_t len,
    uint64_t *hit, bool plain)
{
	uint32_t at[MAX_ROWS];
	struct bnc_str t = bnc_str_make(text, len);
	size_t i;

	if (len > UINT32_MAX) {
		/* Beyond what a set scans: every piece searched. */
		memset(hit, 0, (m->nrows + 63) / 64 * sizeof(*hit));
		for (i = 0; i < m->nrows; i++)
			if (bnc_mem_find(t, m->piece[i], m->piece_len[i]) >= 0)
				hit[i / 64] |= (uint64_t)1 << (i % 64);
		return;
	}
	bnc_needles_scan(m->set, t, hit, at);
#ifdef BNC_MATCHER_AVX2
	if (!plain && m->ntri > 0 && len >= 34 &&
	    __builtin_cpu_supports("avx2")) {
		/* The rows of three bytes or more together, the others
		 * (shorter) searched. */
		short_scan(m, t, hit);
		for (i = 0; i < m->nshort; i++) {
			size_t r = m->short_rows[i];
			if (m->piece_len[r] < 3 &&
			    bnc_mem_find(t, m->piece[r], m->piece_len[r]) >= 0)
				hit[r / 64] |= (uint64_t)1 << (r % 64);
		}
		return;
	}
#else
	(void)plain;
#endif
	for (i = 0; i < m->nshort; i++) {
		size_t r = m->short_rows[i];
		if (bnc_mem_find(t, m->piece[r], m->piece_len[r]) >= 0)
			hit[r / 64] |= (uint64_t)1 << (r % 64);
	}
}

void
bnc_matcher_pieces(const struct bnc_matcher *m, const char *text,
    size_t len, uint64_t *hit)
{
	pieces_impl(m, text, len, hit, false);
}

void
bnc_matcher_pieces_plain(const struct bnc_matcher *m, const char *text,
    size_t len, uint64_t *hit)
{
	pieces_impl(m, text, len, hit, true);
}

long
bnc_matcher_first(const struct bnc_matcher *m, const char *text, size_t len)
{
	uint64_t hit[MAX_ROWS / 64];
	size_t i, words = (m->nrows + 63) / 64;

	bnc_matcher_pieces(m, text, len, hit);
	/* Lowest row first: table order is priority. */
	for (i = 0; i < words; i++) {
		uint64_t w = hit[i];
		while (w) {
			size_t r = i * 64 + (size_t)__builtin_ctzll(w);
			w &= w - 1;
			if (!m->wild[r] || bnc_phrase_occurs(text, len,
			    m->rows[r].phrase))
				return (long)r;
		}
	}
	return -1;
}

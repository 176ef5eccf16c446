/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * needles.c - many phrases, one pass over the text (needles.h).
 *
 * A phrase of length L >= MIN has L - 3 pieces of 4 bytes (piece j is
 * bytes j..j+3). The text is read at the positions 0, STEP, 2 STEP...
 * (STEP is the set's step, MIN = STEP + 3): an occurrence starting at s
 * covers exactly one read position p in [s + o, s + o + STEP) for any
 * window start o <= L - MIN, where it shows piece p - s. So each phrase
 * enters the table with the STEP
 * pieces of one window, chosen at build time to hold few common
 * letters, and a read position whose 4 bytes are such a piece is a
 * candidate start p - j, compared in full. Pieces are compared with
 * every byte OR 0x20: the same for the two cases of a letter and for
 * equal bytes, so a match in any case is never missed; the full
 * comparison folds letters only, as bnc_str_ifind() does.
 *
 * Most read positions hold no piece: a 4 KiB bit filter on a hash of
 * the 4 bytes rules them out, and only the rest look in the table.
 */
#include <stdlib.h>
#include <string.h>

#include "bouncer.h"
#include "alloc.h"
#include "needles.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#endif

#define FILTER_LOG 15
#define HASH1 0x9E3779B1u
#define HASH2 0x85EBCA77u

struct piece {
	/* The phrase's first 8 bytes (lower case) and their mask (0x20
	 * on letters), when it has 8: most pieces the text holds are
	 * another phrase's or a word's, and these rule them out without a
	 * look at the phrase. */
	uint64_t want8, mask8;
	uint16_t phrase;
	uint8_t off;		/* where the piece starts in the phrase */
	uint8_t len;		/* the phrase's length */
};

struct slot {
	uint32_t key;		/* 4 bytes, each OR 0x20; 0: empty (a folded
				 * key has no 0 byte) */
	uint32_t first;		/* its pieces: pieces[first, first + n) */
	uint32_t n;
};

struct bnc_needles {
	size_t n;
	size_t step;		/* a read position every `step` bytes */
	char **lower;		/* the phrases, letters lower case */
	uint8_t *len;		/* 0 when shorter than MIN: not in the set */
	char **mask;		/* per byte of each phrase: 0x20 on letters,
				 * 0 elsewhere (padded to 8 bytes) */
	struct piece *pieces;	/* grouped by key, in slot order */
	size_t npieces;
	struct slot *slots;
	uint32_t slot_log;
	uint64_t filter[(1u << FILTER_LOG) / 64];
};

static uint64_t
load8(const char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return w;
}

static uint32_t
fold4(const char *p)
{
	uint32_t w;

	memcpy(&w, p, 4);
	return w | 0x20202020u;
}

/* The slot of `key` in an open-addressed table of 2^log slots: its own
 * or the empty one where it would go. */
static struct slot *
slot_of(struct slot *t, uint32_t log, uint32_t key)
{
	uint32_t h = (key * HASH2) >> (32 - log);

	while (t[h].key != 0 && t[h].key != key)
		h = (h + 1) & (((uint32_t)1 << log) - 1);
	return &t[h];
}

/* A table of at least `per` slots a key for `n` keys. */
static uint32_t
table_log(size_t n, size_t per)
{
	uint32_t log = 4;

	while (((size_t)1 << log) < per * n)
		log++;
	return log;
}

/* How many pieces of all the phrases have each key: a count table of
 * its own, smaller than the slots (built once, thrown away). */
struct count {
	uint32_t key;
	uint32_t n;
};

static struct count *
count_of(struct count *t, uint32_t log, uint32_t key)
{
	uint32_t h = (key * HASH2) >> (32 - log);

	while (t[h].key != 0 && t[h].key != key)
		h = (h + 1) & (((uint32_t)1 << log) - 1);
	return &t[h];
}

/* How often a byte turns up in the text of a notice, roughly: the most
 * frequent letters of English, the space, and the rule lines' dashes
 * and stars weigh most. Both cases: pieces are folded. */
#define W2(c, w) [c] = w, [(c) - 32] = w
static const unsigned char weight[256] = {
	[' '] = 3, ['-'] = 3, ['='] = 3, ['*'] = 3, ['_'] = 3, ['.'] = 3,
	W2('e', 2), W2('t', 2), W2('a', 2), W2('o', 2), W2('i', 2),
	W2('n', 2), W2('s', 2), W2('r', 2),
	W2('h', 1), W2('l', 1), W2('d', 1), W2('c', 1), W2('u', 1),
	W2('m', 1), W2('f', 1), W2('p', 1), W2('g', 1), W2('w', 1),
	W2('y', 1), [':'] = 1, [','] = 1, ['\n'] = 1, ['\t'] = 1,
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
	['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
};
#undef W2

/* What reading the piece at `p` would cost: its bytes' weights, more
 * for a run of one byte ("----"), and more for a piece that other
 * phrases have too (common words: "message", "the "); `count` holds
 * how many pieces of all the phrases each key is. */
static unsigned
piece_cost(const char *p, struct count *count, uint32_t log)
{
	unsigned cost = weight[(unsigned char)p[0]] +
	    weight[(unsigned char)p[1]] + weight[(unsigned char)p[2]] +
	    weight[(unsigned char)p[3]];

	if (p[0] == p[1] && p[1] == p[2] && p[2] == p[3])
		cost += 20;
	return cost + 4 * (count_of(count, log, fold4(p))->n - 1);
}

/* The window of `step` pieces that costs least to read. */
static size_t
window(const char *p, size_t len, size_t step, struct count *count,
    uint32_t log)
{
	unsigned cost[256], score, best_score = ~0u;
	size_t o, j, best = 0;

	for (j = 0; j + 4 <= len; j++)
		cost[j] = piece_cost(p + j, count, log);
	for (o = 0; o + step + 3 <= len; o++) {
		score = 0;
		for (j = o; j < o + step; j++)
			score += cost[j];
		if (score < best_score) {
			best_score = score;
			best = o;
		}
	}
	return best;
}

int
bnc_needles_new(struct bnc_needles **out, const char *const *phrases,
    size_t n, size_t step, bool fold)
{
	struct bnc_needles *s;
	struct count *count = NULL;
	uint32_t count_log, *win = NULL;
	size_t i, j, k, nall = 0, nslots;

	*out = NULL;
	if (n > 65535 || step == 0 || step > BNC_NEEDLES_MAX_STEP)
		return BNC_EINVAL;
	for (i = 0; i < n; i++)
		if (strlen(phrases[i]) > 255)
			return BNC_EINVAL;
	s = bnc_calloc(1, sizeof(*s));
	if (s == NULL)
		return BNC_ENOMEM;
	s->n = n;
	s->step = step;
	s->lower = bnc_calloc(n ? n : 1, sizeof(*s->lower));
	s->len = bnc_calloc(n ? n : 1, sizeof(*s->len));
	s->mask = bnc_calloc(n ? n : 1, sizeof(*s->mask));
	s->pieces = bnc_calloc(n ? n * step : 1, sizeof(*s->pieces));
	win = bnc_calloc(n ? n : 1, sizeof(*win));
	if (s->lower == NULL || s->len == NULL || s->mask == NULL ||
	    s->pieces == NULL || win == NULL)
		goto out_free;

	/* How many pieces of all the phrases each key is, for window(). */
	for (i = 0; i < n; i++)
		nall += strlen(phrases[i]);
	count_log = table_log(nall, 2);
	count = bnc_calloc((size_t)1 << count_log, sizeof(*count));
	if (count == NULL)
		goto out_free;
	for (i = 0; i < n; i++)
		for (j = 0; phrases[i][j] && phrases[i][j + 1] &&
		    phrases[i][j + 2] && phrases[i][j + 3]; j++) {
			struct count *c = count_of(count, count_log,
			    fold4(phrases[i] + j));
			c->key = fold4(phrases[i] + j);
			c->n++;
		}

	/* Each phrase's window; the pieces counted by key. */
	s->slot_log = table_log(n * step, 4);
	nslots = (size_t)1 << s->slot_log;
	s->slots = bnc_calloc(nslots, sizeof(*s->slots));
	if (s->slots == NULL)
		goto out_free;
	for (i = 0; i < n; i++) {
		size_t len = strlen(phrases[i]);
		/* Both padded with zeros to whole words of 8 bytes. */
		s->lower[i] = bnc_calloc(len / 8 + 1, 8);
		s->mask[i] = bnc_calloc(len / 8 + 1, 8);
		if (s->lower[i] == NULL || s->mask[i] == NULL)
			goto out_free;
		for (j = 0; j < len; j++) {
			unsigned char c = (unsigned char)phrases[i][j];
			s->lower[i][j] = (char)(fold ? bnc_lower(c) : c);
			s->mask[i][j] = fold && bnc_is_alpha(c) ? 0x20 : 0;
		}
		if (len < step + 3)
			continue;
		s->len[i] = (uint8_t)len;
		win[i] = (uint32_t)window(phrases[i], len, step, count,
		    count_log);
		for (j = win[i]; j < win[i] + step; j++) {
			struct slot *sl = slot_of(s->slots, s->slot_log,
			    fold4(phrases[i] + j));
			sl->key = fold4(phrases[i] + j);
			sl->n++;
		}
	}
	/* Each key's pieces together: its slot's run, in slot order. */
	for (k = 0; k < nslots; k++) {
		s->slots[k].first = (uint32_t)s->npieces;
		s->npieces += s->slots[k].n;
		s->slots[k].n = 0;
		if (s->slots[k].key != 0) {
			uint32_t h = (s->slots[k].key * HASH1) >>
			    (32 - FILTER_LOG);
			s->filter[h / 64] |= (uint64_t)1 << (h % 64);
		}
	}
	for (i = 0; i < n; i++) {
		if (s->len[i] == 0)
			continue;
		for (j = win[i]; j < win[i] + step; j++) {
			struct slot *sl = slot_of(s->slots, s->slot_log,
			    fold4(phrases[i] + j));
			struct piece *pc = &s->pieces[sl->first + sl->n++];
			pc->phrase = (uint16_t)i;
			pc->off = (uint8_t)j;
			pc->len = s->len[i];
			pc->want8 = load8(s->lower[i]);
			pc->mask8 = load8(s->mask[i]);
		}
	}
	bnc_free(count);
	bnc_free(win);
	*out = s;
	return 0;
out_free:
	bnc_free(count);
	bnc_free(win);
	bnc_needles_free(s);
	return BNC_ENOMEM;
}

size_t
bnc_needles_min(const struct bnc_needles *s)
{
	return s->step + 3;
}

void
bnc_needles_free(struct bnc_needles *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; s->lower && i < s->n; i++)
		bnc_free(s->lower[i]);
	for (i = 0; s->mask && i < s->n; i++)
		bnc_free(s->mask[i]);
	bnc_free(s->lower);
	bnc_free(s->mask);
	bnc_free(s->len);
	bnc_free(s->pieces);
	bnc_free(s->slots);
	bnc_free(s);
}

/* Is t[0, len) the phrase whose lower-case bytes are `want` (any case,
 * as bnc_str_ifind() compares)? OR-ing `mask` (0x20 on letters) folds
 * the text's letters and leaves other bytes as they are: 8 bytes a
 * step, the last step overlapping (or a byte at a time when shorter).
 * A set that does not fold has the phrase as it is and a mask of 0. */
static bool
same(const char *t, const char *want, const char *mask, size_t len)
{
	size_t k;

	if (len < 8) {
		for (k = 0; k < len; k++)
			if (((unsigned char)t[k] | (unsigned char)mask[k]) !=
			    (unsigned char)want[k])
				return false;
		return true;
	}
	for (k = 0; k + 8 <= len; k += 8)
		if ((load8(t + k) | load8(mask + k)) != load8(want + k))
			return false;
	if (k < len) {
		k = len - 8;
		if ((load8(t + k) | load8(mask + k)) != load8(want + k))
			return false;
	}
	return true;
}

/* same() of a phrase of 8 bytes or more whose first 8 are known to
 * match. */
static bool
same_after8(const char *t, const char *want, const char *mask, size_t len)
{
	size_t k;

	for (k = 8; k + 8 <= len; k += 8)
		if ((load8(t + k) | load8(mask + k)) != load8(want + k))
			return false;
	if (k < len) {
		k = len - 8;
		if ((load8(t + k) | load8(mask + k)) != load8(want + k))
			return false;
	}
	return true;
}

/* Read position p holds a piece: check the phrases that have it. */
static void
candidates(const struct bnc_needles *s, struct bnc_str text, size_t p,
    uint32_t key, uint64_t *found, uint32_t *at)
{
	const struct slot *sl = slot_of(s->slots, s->slot_log, key);
	const struct piece *pc, *end;

	/* An empty slot: only the filter's hash matched. */
	for (pc = &s->pieces[sl->first], end = pc + sl->n; pc < end; pc++) {
		size_t i = pc->phrase, len = pc->len, start;
		const char *t;

		if (p < pc->off)
			continue;
		start = p - pc->off;
		if (start + len > text.len)
			continue;
		t = text.ptr + start;
		if (len >= 8 && (load8(t) | pc->mask8) != pc->want8)
			continue;
		if ((found[i / 64] >> (i % 64) & 1) && at[i] <= start)
			continue;
		if (len >= 8 ? !same_after8(t, s->lower[i], s->mask[i], len) :
		    !same(t, s->lower[i], s->mask[i], len))
			continue;
		found[i / 64] |= (uint64_t)1 << (i % 64);
		at[i] = (uint32_t)start;
	}
}

void
bnc_needles_scan(const struct bnc_needles *s, struct bnc_str text,
    uint64_t *found, uint32_t *at)
{
	size_t p;

	memset(found, 0, (s->n + 63) / 64 * sizeof(*found));
	for (p = 0; p + 4 <= text.len; p += s->step) {
		uint32_t key = fold4(text.ptr + p);
		uint32_t h = (key * HASH1) >> (32 - FILTER_LOG);
		if ((s->filter[h / 64] >> (h % 64) & 1) == 0)
			continue;
		candidates(s, text, p, key, found, at);
	}
}

int
bnc_few_add(struct bnc_few *f, const char *s, size_t len)
{
	unsigned char t[3];
	size_t i, j, b;

	if (f->n == BNC_FEW_MAX)
		return -1;
	f->s[f->n] = s;
	f->len[f->n] = len;
	f->bucket[f->n] = 0;
	if (len >= 3) {
		/* Its bucket: that of an earlier phrase with the same first
		 * three bytes, else the next (modulo eight: a bucket may
		 * hold several, a looser filter). */
		for (j = 0; j < 3; j++)
			t[j] = (unsigned char)(s[j] | 0x20);
		for (i = 0, b = 0; i < f->n; i++) {
			if (f->bucket[i] == 0)
				continue;
			if ((f->s[i][0] | 0x20) == t[0] &&
			    (f->s[i][1] | 0x20) == t[1] &&
			    (f->s[i][2] | 0x20) == t[2])
				break;
			b++;
		}
		if (i < f->n)
			f->bucket[f->n] = f->bucket[i];
		else
			f->bucket[f->n] = (unsigned char)(1u << (b % 8));
		for (j = 0; j < 3; j++) {
			f->nib_lo[j][t[j] & 15] |= f->bucket[f->n];
			f->nib_hi[j][t[j] >> 4] |= f->bucket[f->n];
		}
	}
	return (int)f->n++;
}

uint32_t
bnc_few_scan_plain(const struct bnc_few *f, struct bnc_str text)
{
	uint32_t has = 0;
	size_t j;

	for (j = 0; j < f->n; j++)
		if (bnc_str_ifind(text, f->s[j], f->len[j]) >= 0)
			has |= (uint32_t)1 << j;
	return has;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define BNC_FEW_AVX2 1
#include "simd.h"

/* Does text hold phrase j at `at` (any case, as bnc_str_ifind())? */
static bool
few_at(const struct bnc_few *f, size_t j, struct bnc_str text, size_t at)
{
	size_t k, len = f->len[j];

	if (at + len > text.len)
		return false;
	for (k = 0; k < len; k++)
		if (bnc_lower((unsigned char)text.ptr[at + k]) !=
		    bnc_lower((unsigned char)f->s[j][k]))
			return false;
	return true;
}

/* The candidates of one block: positions base + k, bit k of cand, their
 * buckets in bucket[k]; the phrases not found yet compared. */
static uint32_t
few_check(const struct bnc_few *f, struct bnc_str text, size_t base,
    unsigned cand, const unsigned char *bucket, uint32_t has)
{
	for (; cand; cand &= cand - 1) {
		size_t k = (size_t)__builtin_ctz(cand), j;
		for (j = 0; j < f->n; j++)
			if ((f->bucket[j] & bucket[k]) &&
			    !(has >> j & 1) && few_at(f, j, text, base + k))
				has |= (uint32_t)1 << j;
	}
	return has;
}

__attribute__((target("avx2"))) static uint32_t
few_avx2(const struct bnc_few *f, struct bnc_str text, uint32_t want)
{
	__m256i lo[3], hi[3], b;
	unsigned char bucket[32];
	char pad[72];
	struct bnc_str t = text;
	uint32_t has = 0;
	size_t i;
	unsigned j, cand;

	for (j = 0; j < 3; j++) {
		lo[j] = _mm256_broadcastsi128_si256(_mm_loadu_si128(
		    (const __m128i *)(const void *)f->nib_lo[j]));
		hi[j] = _mm256_broadcastsi128_si256(_mm_loadu_si128(
		    (const __m128i *)(const void *)f->nib_hi[j]));
	}
	if (text.len < 34) {
		/* One block over a zero-padded copy; a candidate the
		 * padding makes fails few_at()'s length test. */
		memset(pad, 0, sizeof(pad));
		if (text.len)
			memcpy(pad, text.ptr, text.len);
		b = bnc_prefix3_buckets(pad, lo, hi);
		cand = ~(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b,
		    _mm256_setzero_si256()));
		if (cand) {
			_mm256_storeu_si256((__m256i *)(void *)bucket, b);
			has = few_check(f, t, 0, cand, bucket, has);
		}
		return has;
	}
	for (i = 0; i + 34 <= t.len && has != want; i += 32) {
		b = bnc_prefix3_buckets(t.ptr + i, lo, hi);
		cand = ~(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b,
		    _mm256_setzero_si256()));
		if (cand) {
			_mm256_storeu_si256((__m256i *)(void *)bucket, b);
			has = few_check(f, t, i, cand, bucket, has);
		}
	}
	/* Positions [len - 34, len - 2) from i on; the last two start no
	 * phrase of three bytes. */
	if (has != want && i + 2 < t.len) {
		size_t base = t.len - 34;
		b = bnc_prefix3_buckets(t.ptr + base, lo, hi);
		cand = ~(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b,
		    _mm256_setzero_si256())) & ~((1u << (i - base)) - 1);
		if (cand) {
			_mm256_storeu_si256((__m256i *)(void *)bucket, b);
			has = few_check(f, t, base, cand, bucket, has);
		}
	}
	return has;
}
#endif

uint32_t
bnc_few_scan(const struct bnc_few *f, struct bnc_str text)
{
#ifdef BNC_FEW_AVX2
	if (__builtin_cpu_supports("avx2")) {
		uint32_t in_set = 0, has = 0;
		size_t j;
		for (j = 0; j < f->n; j++) {
			if (f->bucket[j])
				in_set |= (uint32_t)1 << j;
			else if (bnc_str_ifind(text, f->s[j], f->len[j]) >= 0)
				has |= (uint32_t)1 << j;
		}
		return in_set ? has | few_avx2(f, text, in_set) : has;
	}
#endif
	return bnc_few_scan_plain(f, text);
}

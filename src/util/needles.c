/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * needles.c - many phrases, one pass over the text (needles.h).
 *
 * A phrase of length L >= MIN has L - 3 pieces of 4 bytes (piece j is
 * bytes j..j+3). The text is read at the positions 0, STEP, 2 STEP...:
 * an occurrence starting at s covers exactly one read position p in
 * [s + o, s + o + STEP) for any window start o <= L - MIN, where it
 * shows piece p - s. So each phrase enters the table with the STEP
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

#define STEP BNC_NEEDLES_STEP
#define FILTER_LOG 15
#define HASH1 0x9E3779B1u
#define HASH2 0x85EBCA77u

struct piece {
	uint32_t key;		/* 4 bytes, each OR 0x20 */
	uint16_t phrase;
	uint8_t off;		/* where the piece starts in the phrase */
};

struct slot {
	uint32_t key;		/* 0: empty (a folded key has no 0 byte) */
	uint32_t first;		/* its pieces: pieces[first...] */
};

struct bnc_needles {
	size_t n;
	char **lower;		/* the phrases, letters lower case */
	uint8_t *len;		/* 0 when shorter than MIN: not in the set */
	uint64_t *head;		/* the first 8 bytes, each OR 0x20 */
	struct piece *pieces;	/* grouped by key */
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

/* How often a byte turns up in the text of a notice, roughly: the most
 * frequent letters of English, the space, and the rule lines' dashes
 * and stars weigh most. Case does not matter: pieces are folded. */
static unsigned
weight(unsigned char c)
{
	switch (bnc_lower(c)) {
	case ' ': case '-': case '=': case '*': case '_': case '.':
		return 3;
	case 'e': case 't': case 'a': case 'o': case 'i': case 'n':
	case 's': case 'r':
		return 2;
	case 'h': case 'l': case 'd': case 'c': case 'u': case 'm':
	case 'f': case 'p': case 'g': case 'w': case 'y': case ':':
	case ',': case '\n': case '\t':
		return 1;
	default:
		return bnc_is_digit(c) ? 1 : 0;
	}
}

static int
key_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* How many pieces of all the phrases are `key` (keys sorted). */
static size_t
key_count(const uint32_t *keys, size_t n, uint32_t key)
{
	size_t lo = 0, hi = n, first;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (keys[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (lo < n && keys[lo] == key)
		lo++;
	return lo - first;
}

/* What reading piece j of `p` would cost: its bytes' weights, more for a
 * run of one byte ("----"), and more for a piece that other phrases
 * have too (common words: "message", "the "). */
static unsigned
piece_cost(const char *p, const uint32_t *keys, size_t nkeys)
{
	unsigned cost = weight((unsigned char)p[0]) +
	    weight((unsigned char)p[1]) + weight((unsigned char)p[2]) +
	    weight((unsigned char)p[3]);

	if (p[0] == p[1] && p[1] == p[2] && p[2] == p[3])
		cost += 20;
	return cost + 4 * (unsigned)(key_count(keys, nkeys, fold4(p)) - 1);
}

/* The window of STEP pieces that costs least to read. */
static size_t
window(const char *p, size_t len, const uint32_t *keys, size_t nkeys)
{
	unsigned cost[256], score, best_score = ~0u;
	size_t o, j, best = 0;

	for (j = 0; j + 4 <= len; j++)
		cost[j] = piece_cost(p + j, keys, nkeys);
	for (o = 0; o + BNC_NEEDLES_MIN <= len; o++) {
		score = 0;
		for (j = o; j < o + STEP; j++)
			score += cost[j];
		if (score < best_score) {
			best_score = score;
			best = o;
		}
	}
	return best;
}

static int
piece_cmp(const void *a, const void *b)
{
	const struct piece *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->phrase != y->phrase)
		return x->phrase < y->phrase ? -1 : 1;
	return (int)x->off - (int)y->off;
}

int
bnc_needles_new(struct bnc_needles **out, const char *const *phrases,
    size_t n)
{
	struct bnc_needles *s;
	uint32_t *keys = NULL;
	size_t i, j, k, nslots, nkeys = 0;

	*out = NULL;
	if (n > 65535)
		return BNC_EINVAL;
	for (i = 0; i < n; i++)
		if (strlen(phrases[i]) > 255)
			return BNC_EINVAL;
	s = bnc_calloc(1, sizeof(*s));
	if (s == NULL)
		return BNC_ENOMEM;
	s->n = n;
	s->lower = bnc_calloc(n ? n : 1, sizeof(*s->lower));
	s->len = bnc_calloc(n ? n : 1, sizeof(*s->len));
	s->head = bnc_calloc(n ? n : 1, sizeof(*s->head));
	s->pieces = bnc_calloc(n ? n * STEP : 1, sizeof(*s->pieces));
	if (s->lower == NULL || s->len == NULL || s->head == NULL ||
	    s->pieces == NULL)
		goto out_free;
	/* Every piece of every phrase, for window(). */
	for (i = 0; i < n; i++)
		nkeys += strlen(phrases[i]);
	keys = bnc_malloc(nkeys ? nkeys * sizeof(*keys) : 1);
	if (keys == NULL)
		goto out_free;
	nkeys = 0;
	for (i = 0; i < n; i++)
		for (j = 0; j + 4 <= strlen(phrases[i]); j++)
			keys[nkeys++] = fold4(phrases[i] + j);
	qsort(keys, nkeys, sizeof(*keys), key_cmp);
	for (i = 0; i < n; i++) {
		size_t len = strlen(phrases[i]), o;
		s->lower[i] = bnc_malloc(len + 1);
		if (s->lower[i] == NULL)
			goto out_free;
		for (j = 0; j <= len; j++)
			s->lower[i][j] = (char)bnc_lower(
			    (unsigned char)phrases[i][j]);
		if (len < BNC_NEEDLES_MIN)
			continue;
		s->len[i] = (uint8_t)len;
		s->head[i] = load8(phrases[i]) | 0x2020202020202020ull;
		o = window(phrases[i], len, keys, nkeys);
		for (j = o; j < o + STEP; j++) {
			struct piece *pc = &s->pieces[s->npieces++];
			pc->key = fold4(phrases[i] + j);
			pc->phrase = (uint16_t)i;
			pc->off = (uint8_t)j;
		}
	}
	qsort(s->pieces, s->npieces, sizeof(*s->pieces), piece_cmp);

	/* One slot per distinct key, at most a quarter full. */
	for (s->slot_log = 4; ((size_t)1 << s->slot_log) < 4 * s->npieces;
	    s->slot_log++)
		;
	nslots = (size_t)1 << s->slot_log;
	s->slots = bnc_calloc(nslots, sizeof(*s->slots));
	if (s->slots == NULL)
		goto out_free;
	for (k = 0; k < s->npieces; k++) {
		uint32_t key = s->pieces[k].key, h;
		if (k > 0 && s->pieces[k - 1].key == key)
			continue;
		h = (key * HASH2) >> (32 - s->slot_log);
		while (s->slots[h].key != 0)
			h = (h + 1) & (uint32_t)(nslots - 1);
		s->slots[h].key = key;
		s->slots[h].first = (uint32_t)k;
		h = (key * HASH1) >> (32 - FILTER_LOG);
		s->filter[h / 64] |= (uint64_t)1 << (h % 64);
	}
	bnc_free(keys);
	*out = s;
	return 0;
out_free:
	bnc_free(keys);
	bnc_needles_free(s);
	return BNC_ENOMEM;
}

void
bnc_needles_free(struct bnc_needles *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; s->lower && i < s->n; i++)
		bnc_free(s->lower[i]);
	bnc_free(s->lower);
	bnc_free(s->len);
	bnc_free(s->head);
	bnc_free(s->pieces);
	bnc_free(s->slots);
	bnc_free(s);
}

/* Read position p holds a piece: check the phrases that have it. */
static void
candidates(const struct bnc_needles *s, struct bnc_str text, size_t p,
    uint32_t key, uint64_t *found, uint32_t *at)
{
	uint32_t h = (key * HASH2) >> (32 - s->slot_log);
	const struct piece *pc;

	while (s->slots[h].key != key) {
		if (s->slots[h].key == 0)
			return;		/* only the filter's hash matched */
		h = (h + 1) & (((uint32_t)1 << s->slot_log) - 1);
	}
	for (pc = &s->pieces[s->slots[h].first];
	    pc < s->pieces + s->npieces && pc->key == key; pc++) {
		size_t i = pc->phrase, len = s->len[i], start, k;
		const char *t, *want;

		if (p < pc->off)
			continue;
		start = p - pc->off;
		if (start + len > text.len)
			continue;
		if ((found[i / 64] >> (i % 64) & 1) && at[i] <= start)
			continue;
		t = text.ptr + start;
		/* Most candidates differ in their first 8 bytes. */
		if ((load8(t) | 0x2020202020202020ull) != s->head[i])
			continue;
		want = s->lower[i];
		for (k = 0; k < len; k++)
			if (bnc_lower((unsigned char)t[k]) !=
			    (unsigned char)want[k])
				break;
		if (k < len)
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
	for (p = 0; p + 4 <= text.len; p += STEP) {
		uint32_t key = fold4(text.ptr + p);
		uint32_t h = (key * HASH1) >> (32 - FILTER_LOG);
		if ((s->filter[h / 64] >> (h % 64) & 1) == 0)
			continue;
		candidates(s, text, p, key, found, at);
	}
}

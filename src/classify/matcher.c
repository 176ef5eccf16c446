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

void
bnc_matcher_pieces(const struct bnc_matcher *m, const char *text,
    size_t len, uint64_t *hit)
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
	for (i = 0; i < m->nshort; i++) {
		size_t r = m->short_rows[i];
		if (bnc_mem_find(t, m->piece[r], m->piece_len[r]) >= 0)
			hit[r / 64] |= (uint64_t)1 << (r % 64);
	}
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

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * matcher.c - Aho-Corasick over the first piece of every phrase.
 *
 * Bytes are first mapped to classes: every byte that occurs in some
 * phrase gets a class of its own, all others share class 0, so the
 * transition table is states x classes (a few hundred KB) instead of
 * states x 256. Transitions are complete (failure links folded in at
 * build time), so the scan is one table look-up per byte. Each state
 * keeps the first row ending there and a link to the next state on its
 * failure chain that also ends a row, so reporting every match costs
 * only the matches.
 *
 * A phrase with '*' ("user * unknown") is found by its first piece and
 * then checked in order over the text with bnc_mem_find(): a handful of such
 * rows, each linear in the text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bouncer.h"
#include "../util/alloc.h"
#include "../util/str.h"
#include "matcher.h"

#define MAX_ROWS 4096
#define MAX_STATES 65535

struct bnc_matcher {
	const struct bnc_phrase *rows;
	size_t nrows;
	unsigned char cls[256];		/* byte -> class */
	unsigned nclass;
	uint32_t nstates;
	uint16_t *next;			/* nstates x nclass */
	int32_t *row;			/* first row ending at state, -1 */
	uint16_t *out_link;		/* next state on the fail chain
					 * with a row; 0 = none */
	int32_t *row_next;		/* rows ending at the same state:
					 * linked list by row index */
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
	size_t i, j, total = 1, cap;
	uint32_t *fail = NULL, *queue = NULL;
	uint32_t *child = NULL, *sibling = NULL;	/* trie edges */
	unsigned char *edge_class = NULL;
	int32_t *last = NULL;
	int rc = BNC_ENOMEM;

	*out = NULL;
	if (n > MAX_ROWS)
		return BNC_EINVAL;
	m = bnc_calloc(1, sizeof(*m));
	if (m == NULL)
		return BNC_ENOMEM;
	m->rows = rows;
	m->nrows = n;
	m->nclass = 1;
	for (i = 0; i < n; i++) {
		size_t len = first_piece(rows[i].phrase);
		if (len == 0) {
			rc = BNC_EINVAL;	/* an empty phrase matches all */
			goto out_free;
		}
		total += len;
		for (j = 0; j < len; j++) {
			unsigned char c = (unsigned char)rows[i].phrase[j];
			if (m->cls[c] == 0)
				m->cls[c] = (unsigned char)m->nclass++;
		}
	}
	if (total > MAX_STATES || m->nclass > 255) {
		rc = BNC_EINVAL;
		goto out_free;
	}
	cap = total;
	m->next = bnc_calloc(cap * m->nclass, sizeof(*m->next));
	m->row = bnc_malloc(cap * sizeof(*m->row));
	m->out_link = bnc_calloc(cap, sizeof(*m->out_link));
	m->row_next = bnc_malloc(n * sizeof(*m->row_next));
	m->wild = bnc_calloc(n, 1);
	last = bnc_malloc(cap * sizeof(*last));
	fail = bnc_calloc(cap, sizeof(*fail));
	queue = bnc_malloc(cap * sizeof(*queue));
	child = bnc_calloc(cap, sizeof(*child));
	sibling = bnc_calloc(cap, sizeof(*sibling));
	edge_class = bnc_calloc(cap, 1);
	if (!m->next || !m->row || !m->out_link || !m->row_next || !m->wild ||
	    !last || !fail || !queue || !child || !sibling || !edge_class)
		goto out_free;
	for (i = 0; i < cap; i++) {
		m->row[i] = -1;
		last[i] = -1;
	}

	/* The trie. State 0 is the root; 0 in next[] means "no edge" until
	 * the failure links are folded in below. */
	m->nstates = 1;
	for (i = 0; i < n; i++) {
		const char *p = rows[i].phrase;
		size_t len = first_piece(p);
		uint32_t s = 0;

		m->wild[i] = strchr(p, '*') != NULL;
		for (j = 0; j < len; j++) {
			unsigned c = m->cls[(unsigned char)p[j]];
			uint16_t *t = &m->next[(size_t)s * m->nclass + c];
			if (*t == 0) {
				/* A new state: remember the edge, for the
				 * breadth-first pass below. */
				*t = (uint16_t)m->nstates++;
				edge_class[*t] = (unsigned char)c;
				sibling[*t] = child[s];
				child[s] = *t;
			}
			s = *t;
		}
		/* Rows ending here, kept in table order. */
		m->row_next[i] = -1;
		if (m->row[s] < 0)
			m->row[s] = (int32_t)i;
		else
			m->row_next[last[s]] = (int32_t)i;
		last[s] = (int32_t)i;
	}

	/* Breadth-first: failure links, complete transitions, output
	 * links. A state's row starts as a copy of its failure state's
	 * (complete already: it is nearer the root), then its own edges
	 * are put back: one copy a state, not a test a transition. */
	{
		size_t head = 0, tail = 0;
		uint32_t t;

		for (t = child[0]; t != 0; t = sibling[t]) {
			fail[t] = 0;
			queue[tail++] = t;
		}
		while (head < tail) {
			uint32_t s = queue[head++];
			uint32_t f = fail[s];
			uint16_t *rs = &m->next[(size_t)s * m->nclass];
			const uint16_t *rf = &m->next[(size_t)f * m->nclass];

			m->out_link[s] = (uint16_t)(m->row[f] >= 0 ? f :
			    m->out_link[f]);
			memcpy(rs, rf, m->nclass * sizeof(*rs));
			for (t = child[s]; t != 0; t = sibling[t]) {
				rs[edge_class[t]] = (uint16_t)t;
				fail[t] = rf[edge_class[t]];
				queue[tail++] = t;
			}
		}
	}
	rc = 0;
	*out = m;
	m = NULL;
out_free:
	bnc_free(edge_class);
	bnc_free(sibling);
	bnc_free(child);
	bnc_free(queue);
	bnc_free(fail);
	bnc_free(last);
	bnc_matcher_free(m);
	return rc;
}

void
bnc_matcher_free(struct bnc_matcher *m)
{
	if (m == NULL)
		return;
	bnc_free(m->next);
	bnc_free(m->row);
	bnc_free(m->out_link);
	bnc_free(m->row_next);
	bnc_free(m->wild);
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

long
bnc_matcher_first(const struct bnc_matcher *m, const char *text, size_t len)
{
	uint64_t hit[MAX_ROWS / 64];
	size_t i, words = (m->nrows + 63) / 64;
	uint32_t s = 0;

	memset(hit, 0, words * sizeof(hit[0]));
	for (i = 0; i < len; i++) {
		uint32_t o;
		s = m->next[(size_t)s * m->nclass + m->cls[(unsigned char)text[i]]];
		for (o = m->row[s] >= 0 ? s : m->out_link[s]; o != 0;
		    o = m->out_link[o]) {
			int32_t r;
			for (r = m->row[o]; r >= 0; r = m->row_next[r])
				hit[r / 64] |= (uint64_t)1 << (r % 64);
		}
	}
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

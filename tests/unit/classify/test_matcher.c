/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_matcher.c - src/classify/matcher.c: the compiled automaton finds
 * the same first row as a plain scan of the table, for every phrase of
 * the real table set in text, for wildcard phrases in and out of order,
 * for overlapping phrases, and for pseudo-random texts built from the
 * phrases' own words; bad tables are refused.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bouncer.h"
#include "classify/matcher.h"
#include "classify/phrases.h"
#include "harness.h"

/* The reference: first row whose pieces occur in order (memmem). */
static long
naive_first(const struct bnc_phrase *rows, size_t n, const char *text)
{
	size_t i, len = strlen(text);

	for (i = 0; i < n; i++) {
		const char *p = rows[i].phrase, *star;
		size_t off = 0, plen;
		bool ok = true;
		while (*p) {
			star = strchr(p, '*');
			plen = star ? (size_t)(star - p) : strlen(p);
			while (plen && p[plen - 1] == ' ')
				plen--;
			if (plen) {
				const char *hit = memmem(text + off, len - off,
				    p, plen);
				if (hit == NULL) {
					ok = false;
					break;
				}
				off = (size_t)(hit - text) + plen;
			}
			if (star == NULL)
				break;
			p = star + 1;
			while (*p == ' ')
				p++;
		}
		if (ok)
			return (long)i;
	}
	return -1;
}

static void
test_small(void)
{
	static const struct bnc_phrase rows[] = {
		{ "a", "user * unknown" }, { "b", "unknown" },
		{ "c", "he" }, { "d", "she" }, { "e", "hers" },
		{ "f", "no such user" },
	};
	static const struct {
		const char *name, *text;
		long want;
	} cases[] = {
		{ "wildcard in order", "the user is unknown here", 0 },
		{ "wildcard out of order", "unknown user", 1 },
		{ "overlap she/he", "ushers", 2 },
		{ "suffix only", "xshe", 2 },
		{ "hers", "hers", 2 },
		{ "none", "all fine", -1 },
		{ "empty", "", -1 },
		{ "later row alone", "no such user", 5 },
	};
	struct bnc_matcher *m;
	size_t i;

	if (bnc_matcher_new(&m, rows, H_NELEM(rows)) != 0) {
		CHECK_FAIL("small table", "error", "a matcher");
		return;
	}
	for (i = 0; i < H_NELEM(cases); i++) {
		CHECK_INT(cases[i].name, "row", bnc_matcher_first(m,
		    cases[i].text, strlen(cases[i].text)), cases[i].want);
		CHECK_INT(cases[i].name, "naive", naive_first(rows,
		    H_NELEM(rows), cases[i].text), cases[i].want);
	}
	bnc_matcher_free(m);
}

static void
test_real_table(void)
{
	struct bnc_matcher *m;
	char text[512], name[300];
	size_t i;
	unsigned seed = 12345;
	int k;

	if (bnc_matcher_new(&m, bnc_phrases, bnc_phrases_count) != 0) {
		CHECK_FAIL("real table", "error", "a matcher");
		return;
	}
	/* Every phrase (its '*' filled with words) inside a sentence. */
	for (i = 0; i < bnc_phrases_count; i++) {
		size_t n = 0;
		const char *p;
		n += (size_t)snprintf(text, sizeof(text), "550 5.0.0 <a@b.example> ");
		for (p = bnc_phrases[i].phrase; *p && n + 8 < sizeof(text); p++) {
			if (*p == '*')
				n += (size_t)snprintf(text + n, sizeof(text) - n,
				    "zz");
			else
				text[n++] = *p;
		}
		text[n] = '\0';
		snprintf(name, sizeof(name), "phrase %zu \"%.200s\"", i,
		    bnc_phrases[i].phrase);
		CHECK_INT(name, "row", bnc_matcher_first(m, text, n),
		    naive_first(bnc_phrases, bnc_phrases_count, text));
	}
	/* Pseudo-random texts of phrase fragments and noise. */
	for (k = 0; k < 3000; k++) {
		size_t n = 0;
		while (n < 300) {
			const char *p;
			size_t take, start, plen;
			seed = seed * 1103515245u + 12345u;
			p = bnc_phrases[(seed >> 8) % bnc_phrases_count].phrase;
			plen = strlen(p);
			seed = seed * 1103515245u + 12345u;
			start = (seed >> 8) % (plen ? plen : 1);
			take = plen - start;
			if (take > sizeof(text) - n - 2)
				take = sizeof(text) - n - 2;
			memcpy(text + n, p + start, take);
			n += take;
			text[n++] = (seed & 0x100) ? ' ' : 'x';
			if (n + 2 >= sizeof(text))
				break;
		}
		text[n] = '\0';
		snprintf(name, sizeof(name), "random text %d", k);
		CHECK_INT(name, "row", bnc_matcher_first(m, text, n),
		    naive_first(bnc_phrases, bnc_phrases_count, text));
	}
	bnc_matcher_free(m);
}

static void
test_refused(void)
{
	static const struct bnc_phrase empty[] = { { "a", "" } };
	static const struct bnc_phrase star[] = { { "a", "* x" } };
	struct bnc_matcher *m = NULL;

	CHECK_INT("empty phrase", "rc", bnc_matcher_new(&m, empty, 1),
	    BNC_EINVAL);
	CHECK_INT("leading star", "rc", bnc_matcher_new(&m, star, 1),
	    BNC_EINVAL);
	bnc_matcher_free(NULL);
}

int
main(void)
{
	test_small();
	test_real_table();
	test_refused();
	return h_done("test_matcher");
}

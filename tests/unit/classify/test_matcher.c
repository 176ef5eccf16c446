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

/* bnc_matcher_pieces() (the short pieces found together on CPUs with
 * AVX2) against bnc_matcher_pieces_plain() (each searched), with the
 * real table and a small one of short pieces that share their first
 * bytes, on 20,000 generated texts of up to 400 bytes made of the short
 * pieces, their parts and other phrases' fragments: the same bits. */
static void
test_pieces_plain(void)
{
	static const struct bnc_phrase small[] = { { "a", "rdns" },
		{ "b", "rbl" }, { "c", "rblx" }, { "d", "dns" }, { "e", "[ts0" },
		{ "f", "ab" }, { "g", "x" }, { "h", "abcdefgh" },
		{ "i", "rb" }, { "j", "\xc3\xa9t\xc3" }, { "k", "spam" },
		{ "l", "tss0" }, { "m", "ns" }, { "n", "zzz" }, { "o", "zz" },
		{ "p", "\x80\x8f\xf0" }, { "q", "abc" }, { "r", "abd" },
		{ "s", "abe" }, { "t", "abf" }, { "u", "abg" }, { "v", "abh" },
		{ "w", "abi" }, { "x", "abj" }, { "y", "abk" } };
	static const char *const words[] = { "rdns", "rbl", "dns", "[ts0",
		"tss0", "spam", "r", "d", "n", "s", "ab", "abc", "abk", "z",
		"zz", " ", "x", "\xc3\xa9", "\x80", "\x8f\xf0", "user unknown",
		"5.1.1", "mailbox full" };
	static struct h_rng rng = { 0x9E3779B97F4A7C15ull };
	struct bnc_matcher *m[2] = { NULL, NULL };
	size_t rows[2] = { bnc_phrases_count, H_NELEM(small) };
	char text[400];
	unsigned i, diff = 0;

	if (bnc_matcher_new(&m[0], bnc_phrases, bnc_phrases_count) != 0 ||
	    bnc_matcher_new(&m[1], small, H_NELEM(small)) != 0) {
		CHECK_FAIL("pieces", "error", "matchers");
		bnc_matcher_free(m[0]);
		return;
	}
	for (i = 0; i < 20000; i++) {
		size_t n = 0, want = h_rnd(&rng, sizeof(text)), w, k;
		uint64_t a[64], b[64];
		unsigned t = i % 2;
		while (n < want) {
			const char *p = words[h_rnd(&rng, H_NELEM(words))];
			size_t l = strlen(p);
			if (n + l > want)
				l = want - n;
			memcpy(text + n, p, l);
			n += l;
		}
		bnc_matcher_pieces(m[t], text, n, a);
		bnc_matcher_pieces_plain(m[t], text, n, b);
		for (w = 0, k = 0; w < (rows[t] + 63) / 64; w++)
			k |= a[w] != b[w];
		if (k && diff++ < 5) {
			char name[64];
			snprintf(name, sizeof(name), "pieces table %u len %zu",
			    t, n);
			CHECK_INT(name, "same bits", 0, 1);
		}
	}
	CHECK_INT("pieces", "answers unlike the plain ones", (long)diff, 0);
	bnc_matcher_free(m[0]);
	bnc_matcher_free(m[1]);
}

int
main(void)
{
	test_pieces_plain();
	test_small();
	test_real_table();
	test_refused();
	return h_done("test_matcher");
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_needles.c - the one-pass phrase set against bnc_str_ifind(), which
 * test_str checks against a byte loop: every phrase's "found" bit and
 * first offset must be what a search of its own gives (bnc_mem_find()
 * for a set that does not fold case), at read steps from 1 to 16
 * (phrases shorter than the step + 3: never found).
 */
#include <stdio.h>
#include <string.h>

#include "bouncer.h"
#include "harness.h"
#include "util/needles.h"

/* Compare a scan of `text` with one search per phrase; counts and
 * reports (up to 5) disagreements. */
static size_t
compare(const struct bnc_needles *s, bool fold, const char *const *phrases,
    size_t n, const char *text, size_t len, const char *what)
{
	uint64_t found[4];
	uint32_t at[256];
	size_t i, bad = 0;
	static size_t reported;

	bnc_needles_scan(s, bnc_str_make(text, len), found, at);
	for (i = 0; i < n; i++) {
		size_t plen = strlen(phrases[i]);
		long want = plen < bnc_needles_min(s) ? -1 : fold ?
		    bnc_str_ifind(bnc_str_make(text, len), phrases[i], plen) :
		    bnc_mem_find(bnc_str_make(text, len), phrases[i], plen);
		long got = (found[i / 64] >> (i % 64) & 1) ? (long)at[i] : -1;
		if (got != want) {
			bad++;
			if (reported++ < 5) {
				char name[96];
				snprintf(name, sizeof(name), "%s: %s", what,
				    phrases[i]);
				CHECK_INT(name, "at", got, want);
			}
		}
	}
	return bad;
}

static void
test_table(size_t step, bool fold)
{
	static const char *const phrases[] = {
		"This is the mail system at host",
		"Transcript of session follows",
		"----- Transcript of session follows -----",
		"short one",		/* found only with a step up to 6 */
		"Diagnoseinformationen f\xc3\xbcr Administratoren",
		"@`[{@`[{@`[{",		/* OR 0x20 folds '@' to '`' */
	};
	static const struct {
		const char *name;
		const char *text;
	} rows[] = {
		{ "empty", "" },
		{ "shorter than a piece", "Thi" },
		{ "at the start", "this is the MAIL SYSTEM at host x\n" },
		{ "at the very end", "\n\nThis is the mail system at host" },
		{ "cut one byte short", "This is the mail system at hos" },
		{ "nested phrases",
		    "x ----- transcript of session follows -----\n" },
		{ "twice, the first counts",
		    "Transcript of session follows. TRANSCRIPT OF SESSION "
		    "FOLLOWS" },
		{ "short phrase present", "a short one here" },
		{ "8-bit bytes as they are",
		    "diagnoseinformationen f\xc3\xbcr administratoren" },
		{ "8-bit bytes not folded",
		    "Diagnoseinformationen f\xc3\x9cr Administratoren" },
		{ "no false fold", "@`[{@`[{@`[{ and @@[[@@[[@@[[ and "
		    "`@{[`@{[`@{[" },
		{ "false fold only", "````{{{{````{{{{ @@@@[[[[" },
	};
	struct bnc_needles *s;
	size_t i, n = H_NELEM(phrases), bad = 0;

	CHECK_INT("new", "rc", bnc_needles_new(&s, phrases, n, step, fold), 0);
	if (s == NULL)
		return;
	for (i = 0; i < H_NELEM(rows); i++)
		bad += compare(s, fold, phrases, n, rows[i].text,
		    strlen(rows[i].text), rows[i].name);
	CHECK_INT("table", "mismatches", (long)bad, 0);
	bnc_needles_free(s);
}

/* Phrases planted (in mixed case) at every offset of texts of every
 * length up to 300, once or twice, in filler made of their own bytes
 * and of bytes that fold to them under OR 0x20: every read position and
 * window offset, pieces shared between phrases, phrases inside
 * phrases, periodic phrases whose occurrences overlap. */
static void
test_sweep(size_t step, bool fold)
{
	static const char *const phrases[] = {
		"abcdefghijk",		/* exactly the minimum of step 8 */
		"ABCDEFGHIJKL",
		"cdefghijklmnop",
		"abababababababab",	/* overlaps itself */
		"the mail system at",
		"mail system at host of the day",
		"x[y]z@`{|}~x[y]z",
		"0123456789",		/* short for step 8 on */
		"----- ----- -----",
		"\x80\xc3\xa9\xff tail part",
	};
	static const char filler[] = "abAB@`[{ -\x80\xc3";
	char text[300];
	struct bnc_needles *s;
	size_t n = H_NELEM(phrases), k, len, at, i, bad = 0;
	unsigned seed = 7;

	CHECK_INT("new", "rc", bnc_needles_new(&s, phrases, n, step, fold), 0);
	if (s == NULL)
		return;
	for (k = 0; k < n; k++) {
		size_t plen = strlen(phrases[k]);
		for (len = 0; len < sizeof(text); len += 1 + len / 40) {
			for (at = 0; at <= len; at++) {
				for (i = 0; i < len; i++) {
					seed = seed * 1103515245u + 12345u;
					text[i] = filler[(seed >> 16) %
					    (sizeof(filler) - 1)];
				}
				if (at + plen <= len)
					for (i = 0; i < plen; i++)
						text[at + i] = (char)(i % 3 ==
						    1 &&
						    bnc_is_alpha((unsigned char)
						    phrases[k][i]) ?
						    phrases[k][i] ^ 0x20 :
						    phrases[k][i]);
				/* A second copy further on, at times. */
				if (seed % 3 == 0 && at + 2 * plen + 3 <= len)
					memcpy(text + at + plen + 3, phrases[k],
					    plen);
				bad += compare(s, fold, phrases, n, text, len,
				    "sweep");
			}
		}
	}
	CHECK_INT("sweep", "mismatches", (long)bad, 0);
	bnc_needles_free(s);
}

static void
test_limits(void)
{
	char big[300];
	const char *const one[] = { big };
	struct bnc_needles *s = NULL;

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK_INT("phrase of 299 bytes", "rc",
	    bnc_needles_new(&s, one, 1, 8, true), BNC_EINVAL);
	CHECK_TRUE("phrase of 299 bytes", "no set", s == NULL);
	big[255] = '\0';
	CHECK_INT("step 0", "rc", bnc_needles_new(&s, one, 1, 0, true),
	    BNC_EINVAL);
	CHECK_INT("step too long", "rc", bnc_needles_new(&s, one, 1,
	    BNC_NEEDLES_MAX_STEP + 1, true), BNC_EINVAL);
	CHECK_INT("phrase of 255 bytes", "rc", bnc_needles_new(&s, one, 1,
	    BNC_NEEDLES_MAX_STEP, true), 0);
	if (s != NULL) {
		uint64_t found[1];
		uint32_t at[1];
		char text[600];
		memset(text, 'A', sizeof(text));
		bnc_needles_scan(s, bnc_str_make(text, sizeof(text)), found,
		    at);
		CHECK_INT("phrase of 255 bytes", "found", (long)(found[0] & 1),
		    1);
		CHECK_INT("phrase of 255 bytes", "at", (long)at[0], 0);
	}
	bnc_needles_free(s);
	CHECK_INT("no phrases", "rc", bnc_needles_new(&s, one, 0, 8, true), 0);
	if (s != NULL) {
		uint64_t found[1] = { ~0ull };
		uint32_t at[1];
		bnc_needles_scan(s, bnc_str_c("abcdefghijklmnop"), found, at);
	}
	bnc_needles_free(s);
	bnc_needles_free(NULL);
}

static struct h_rng rng = { 0x9E3779B97F4A7C15ull };

/* Generated sets of every step and texts of every length up to a few
 * kilobytes, made of the phrases, their parts, words they share and
 * case changes: many pieces the text holds belong to a phrase that is
 * not there (ruled out by its first 8 bytes, or compared in full). */
static void
test_generated(void)
{
	static const char *const words[] = { "This is the mail system",
		"Transcript of session follows", "-----", "The original ",
		"message", "mail", "delivery", "failed", "recipient",
		"abcdefgh", "ABCDEFGHIJKLMNOP", "x[y]z@`{|}~", " ", "\n",
		"\xc3\xa9", "\x80\xff", "0123456789", "a", "the ", "of " };
	char phrase[64][48], text[3000];
	const char *ph[64];
	unsigned round, diff = 0;

	for (round = 0; round < 3000; round++) {
		size_t step = 1 + h_rnd(&rng, BNC_NEEDLES_MAX_STEP);
		size_t n = 1 + h_rnd(&rng, 64);
		bool fold = h_rnd(&rng, 2) != 0;
		struct bnc_needles *s;
		size_t i, len = 0, k, want_len = h_rnd(&rng, sizeof(text));

		for (i = 0; i < n; i++) {
			size_t l = 0;
			while (l < 8 + h_rnd(&rng, 30)) {
				const char *w = words[h_rnd(&rng,
				    H_NELEM(words))];
				size_t wl = strlen(w);
				if (l + wl >= sizeof(phrase[i]))
					break;
				memcpy(phrase[i] + l, w, wl);
				l += wl;
			}
			phrase[i][l] = '\0';
			ph[i] = phrase[i];
		}
		if (bnc_needles_new(&s, ph, n, step, fold) != 0) {
			CHECK_TRUE("generated", "set made", false);
			return;
		}
		while (len < want_len) {
			const char *w;
			size_t wl, from = 0;
			if (h_rnd(&rng, 3) == 0) {
				w = ph[h_rnd(&rng, (unsigned)n)];
				wl = strlen(w);
				/* A part of a phrase at times. */
				if (wl > 4 && h_rnd(&rng, 3) == 0) {
					from = h_rnd(&rng, (unsigned)wl / 2);
					wl -= from + h_rnd(&rng,
					    (unsigned)(wl - from));
				}
			} else {
				w = words[h_rnd(&rng, H_NELEM(words))];
				wl = strlen(w);
			}
			if (len + wl > want_len)
				wl = want_len - len;
			for (k = 0; k < wl; k++) {
				char c = w[from + k];
				text[len + k] = (char)(h_rnd(&rng, 4) == 0 &&
				    bnc_is_alpha((unsigned char)c) ? c ^ 0x20 :
				    c);
			}
			len += wl;
		}
		diff += compare(s, fold, ph, n, text, len, "generated");
		bnc_needles_free(s);
	}
	CHECK_INT("generated", "mismatches", (long)diff, 0);
}

/* bnc_few_scan() (one pass for all, on CPUs with AVX2) against
 * bnc_few_scan_plain() (a search each) on 30,000 generated sets of up
 * to BNC_FEW_MAX phrases (some sharing their first bytes, some shorter
 * than three) and texts of up to 300 bytes made of them, their parts,
 * case changes and filler. */
static void
test_few(void)
{
	static const char *const words[] = { "(EZweb Mail)", "invoked",
		"for bounce", "(LiteMail v", ".hotmail.com", "Internet",
		"with", "from", "by", "id", " ", "(", ")", ".", "mail",
		"example.com", "[192.0.2.1]", "ESMTP", "x", "ab", "\xc3\xa9",
		"\x00", "\n", ";", "Mail", "MAIL" };
	static struct h_rng frng = { 0x5851F42D4C957F2Dull };
	char text[300], ph[BNC_FEW_MAX][24];
	unsigned round, diff = 0;

	for (round = 0; round < 30000; round++) {
		struct bnc_few f;
		size_t n = 1 + h_rnd(&frng, BNC_FEW_MAX), i, len = 0, k;
		size_t want = h_rnd(&frng, sizeof(text));
		uint32_t got, exp;

		memset(&f, 0, sizeof(f));
		for (i = 0; i < n; i++) {
			const char *w = words[h_rnd(&frng, H_NELEM(words))];
			size_t l = w[0] ? strlen(w) : 1, from = 0;
			if (l > 1 && h_rnd(&frng, 3) == 0) {
				from = h_rnd(&frng, (unsigned)l);
				l -= from;
			}
			if (l > sizeof(ph[i]))
				l = sizeof(ph[i]);
			memcpy(ph[i], w + from, l);
			if (bnc_few_add(&f, ph[i], l) != (int)i)
				CHECK_INT("few", "bit", -1, (long)i);
		}
		while (len < want) {
			const char *w;
			size_t l;
			if (h_rnd(&frng, 3) == 0) {
				k = h_rnd(&frng, (unsigned)n);
				w = ph[k];
				l = f.len[k];
			} else {
				w = words[h_rnd(&frng, H_NELEM(words))];
				l = w[0] ? strlen(w) : 1;
			}
			if (len + l > want)
				l = want - len;
			for (k = 0; k < l; k++)
				text[len + k] = (char)(h_rnd(&frng, 4) == 0 &&
				    bnc_is_alpha((unsigned char)w[k]) ?
				    w[k] ^ 0x20 : w[k]);
			len += l;
		}
		got = bnc_few_scan(&f, bnc_str_make(text, len));
		exp = bnc_few_scan_plain(&f, bnc_str_make(text, len));
		if (got != exp && diff++ < 5)
			CHECK_INT("few", "answers", (long)got, (long)exp);
	}
	CHECK_INT("few", "answers unlike the plain ones", (long)diff, 0);
}

int
main(void)
{
	static const size_t steps[] = { 1, 2, 5, 8, 12, 16 };
	size_t i;

	for (i = 0; i < H_NELEM(steps); i++) {
		test_table(steps[i], true);
		test_sweep(steps[i], true);
		/* Byte for byte: the mixed-case plants are no matches. */
		test_table(steps[i], false);
		test_sweep(steps[i], false);
	}
	test_limits();
	test_generated();
	test_few();
	return h_done("test_needles");
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_str.c - src/util/str.c: trim, case-insensitive equality, prefix
 * and suffix, search, line splitting. Views are never NUL-terminated, so
 * inputs are cut out of longer buffers where it matters.
 */
#include <stdlib.h>

#include "harness.h"
#include "util/str.h"

static void
test_trim(void)
{
	static const struct {
		const char *name, *in, *want;
	} rows[] = {
		{ "empty", "", "" },
		{ "blank only", " \t\r\n\f\v ", "" },
		{ "no blanks", "abc", "abc" },
		{ "both ends", "  a b \t", "a b" },
		{ "inner kept", "a  \n  b", "a  \n  b" },
		{ "crlf", "value\r\n", "value" },
		{ "8-bit kept", " \xc3\xa9t\xc3\xa9 ", "\xc3\xa9t\xc3\xa9" },
		{ "nbsp is not ascii space", "\xa0x\xa0", "\xa0x\xa0" },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++)
		CHECK_VIEW(rows[i].name, "trim",
		    bnc_str_trim(bnc_str_c(rows[i].in)),
		    rows[i].want[0] ? rows[i].want : NULL);
	/* A view into a longer buffer: trimming must stay inside it. */
	CHECK_VIEW("view inside buffer", "trim",
	    bnc_str_trim(bnc_str_make("  ab  cd", 5)), "ab");
}

static void
test_compare(void)
{
	static const struct {
		const char *name, *s, *c;
		bool ieq, istarts, iends;
	} rows[] = {
		{ "same", "Status", "Status", true, true, true },
		{ "case", "STATUS", "status", true, true, true },
		{ "mixed", "fInAl-ReCiPiEnT", "Final-Recipient", true, true,
		    true },
		{ "prefix only", "Status-Code", "status", false, true, false },
		{ "suffix only", "X-Status", "status", false, false, true },
		{ "longer needle", "Sta", "Status", false, false, false },
		{ "empty needle", "abc", "", false, true, true },
		{ "both empty", "", "", true, true, true },
		{ "8-bit not folded", "\xc3\x89", "\xc3\xa9", false, false,
		    false },
		{ "at-sign vs backquote", "@", "`", false, false, false },
		{ "brackets not letters", "[", "{", false, false, false },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++) {
		struct bnc_str s = bnc_str_c(rows[i].s);
		CHECK_BOOL(rows[i].name, "ieq", bnc_str_ieq(s, rows[i].c),
		    rows[i].ieq);
		CHECK_BOOL(rows[i].name, "istarts",
		    bnc_str_istarts(s, rows[i].c), rows[i].istarts);
		CHECK_BOOL(rows[i].name, "iends", bnc_str_iends(s, rows[i].c),
		    rows[i].iends);
	}
	/* Equality must not read past the view. */
	CHECK_BOOL("view shorter than buffer", "ieq",
	    bnc_str_ieq(bnc_str_make("failedX", 6), "failed"), true);
	CHECK_BOOL("view shorter than word", "ieq",
	    bnc_str_ieq(bnc_str_make("failed", 4), "failed"), false);
}

static void
test_ifind(void)
{
	static const struct {
		const char *name, *hay, *needle;
		long want;
	} rows[] = {
		{ "start", "User unknown", "user", 0 },
		{ "middle", "550 User Unknown here", "unknown", 9 },
		{ "end", "mailbox FULL", "full", 8 },
		{ "absent", "mailbox full", "quota", -1 },
		{ "needle longer", "abc", "abcd", -1 },
		{ "empty needle", "abc", "", 0 },
		{ "empty hay", "", "a", -1 },
		{ "first of two", "aXbaxb", "axb", 0 },
		{ "partial then full", "aab", "ab", 1 },
		{ "8-bit exact", "bo\xc3\xaete pleine", "\xc3\xaete", 2 },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++)
		CHECK_INT(rows[i].name, "ifind",
		    bnc_str_ifind(bnc_str_c(rows[i].hay), rows[i].needle,
		    strlen(rows[i].needle)), rows[i].want);
	/* A match that would run past the view is no match. */
	CHECK_INT("match past the view", "ifind",
	    bnc_str_ifind(bnc_str_make("mailbox full", 10), "full", 4), -1);
	CHECK_BOOL("icontains", "found",
	    bnc_str_icontains(bnc_str_c("Over QUOTA"), "quota"), true);
	CHECK_VIEW("from past the end", "from",
	    bnc_str_from(bnc_str_c("abc"), 10), NULL);
	CHECK_VIEW("from middle", "from", bnc_str_from(bnc_str_c("abc"), 1),
	    "bc");
}

/* The reference: compare at every position. */
static long
naive_ifind(const char *h, size_t hlen, const char *n, size_t nlen)
{
	size_t i, j;

	for (i = 0; i + nlen <= hlen; i++) {
		for (j = 0; j < nlen; j++)
			if (bnc_lower((unsigned char)h[i + j]) !=
			    bnc_lower((unsigned char)n[j]))
				break;
		if (j == nlen)
			return (long)i;
	}
	return -1;
}

/* The search works 16 positions at a time, on a padded copy for short
 * texts and on an overlapping last block for the rest: put the needle
 * (in mixed case) at every offset of texts of every length around those
 * sizes, among bytes that fold to the needle's under a careless OR 0x20
 * ('@' for '`', '[' for '{'). */
static void
test_ifind_sweep(void)
{
	static const char *const needles[] = { "a", "@x", "`{", "mail",
		"Original message", "x[y]z", "aXbYc" };
	static const char filler[] = "@`[{AaBb 0-x~\x80";
	char hay[160], name[64];
	size_t k, len, at, i, bad = 0;
	unsigned seed = 1;

	for (k = 0; k < H_NELEM(needles); k++) {
		size_t nlen = strlen(needles[k]);
		for (len = 0; len < sizeof(hay); len++) {
			for (at = 0; at <= len; at++) {
				long want, got;
				for (i = 0; i < len; i++) {
					seed = seed * 1103515245u + 12345u;
					hay[i] = filler[(seed >> 16) %
					    (sizeof(filler) - 1)];
				}
				if (at + nlen <= len)
					for (i = 0; i < nlen; i++)
						hay[at + i] = (char)((i & 1) &&
						    bnc_is_alpha((unsigned char)
						    needles[k][i]) ?
						    needles[k][i] ^ 0x20 :
						    needles[k][i]);
				want = naive_ifind(hay, len, needles[k], nlen);
				got = bnc_str_ifind(bnc_str_make(hay, len),
				    needles[k], nlen);
				/* Byte for byte: memmem() is the reference. */
				{
					const char *m = memmem(hay, len,
					    needles[k], nlen);
					long exact = bnc_mem_find(
					    bnc_str_make(hay, len), needles[k],
					    nlen);
					if (exact != (m ? (long)(m - hay) : -1))
						want = -2;
				}
				if (want != got && bad++ < 5) {
					snprintf(name, sizeof(name),
					    "sweep %s len %zu at %zu",
					    needles[k], len, at);
					CHECK_INT(name, "ifind", got, want);
				}
			}
		}
	}
	CHECK_INT("sweep", "mismatches", (long)bad, 0);
}

/* The first line starting with 'F' or '>' after every offset of texts
 * of every length, against a byte loop: blocks of 16 and the
 * overlapping last one. */
static void
test_next_line_with(void)
{
	static const char filler[] = "F>\nx\n-";
	char buf[200], name[64];
	size_t len, from, i, want, got, bad = 0;
	unsigned seed = 3;

	for (len = 0; len < sizeof(buf); len++) {
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = filler[(seed >> 16) % (sizeof(filler) - 1)];
		}
		for (from = 0; from <= len + 1; from++) {
			for (want = from ? from : 1; want < len; want++)
				if (buf[want - 1] == '\n' &&
				    (buf[want] == 'F' || buf[want] == '>'))
					break;
			if (want > len)
				want = len;
			got = bnc_str_next_line_with(bnc_str_make(buf, len),
			    from, 'F', '>');
			if (got != want && bad++ < 5) {
				snprintf(name, sizeof(name),
				    "line_with len %zu from %zu", len, from);
				CHECK_INT(name, "offset", (long)got, (long)want);
			}
		}
	}
	CHECK_INT("line_with sweep", "mismatches", (long)bad, 0);
	/* Long texts with few matches (the 64-byte steps run long), for
	 * two bytes and for one ('-' twice), each in a buffer of its
	 * exact size. */
	for (i = 0; i < 20000; i++) {
		const char a = i % 2 ? '-' : 'F', b = i % 2 ? '-' : '>';
		size_t k, n;
		char *p;
		seed = seed * 1103515245u + 12345u;
		n = (seed >> 8) % 700;
		p = malloc(n ? n : 1);
		for (k = 0; k < n; k++) {
			seed = seed * 1103515245u + 12345u;
			p[k] = (seed >> 16) % 40 == 0 ? '\n' :
			    (seed >> 16) % 97 == 1 ? "F>-"[(seed >> 24) % 3] :
			    'a' + (char)((seed >> 20) % 26);
		}
		seed = seed * 1103515245u + 12345u;
		from = n ? (seed >> 16) % (n + 1) : 0;
		for (want = from ? from : 1; want < n; want++)
			if (p[want - 1] == '\n' && (p[want] == a ||
			    p[want] == b))
				break;
		if (want > n)
			want = n;
		got = bnc_str_next_line_with(bnc_str_make(p, n), from, a, b);
		if (got != want && bad++ < 5) {
			snprintf(name, sizeof(name), "long line_with len %zu "
			    "from %zu", n, from);
			CHECK_INT(name, "offset", (long)got, (long)want);
		}
		free(p);
	}
	CHECK_INT("line_with long texts", "mismatches", (long)bad, 0);
}

/* bnc_str_squeeze_into() copies blocks of 16 bytes that need no change
 * but case: against a byte loop, both ways, on texts of white space
 * runs, single spaces, words in both cases and 8-bit bytes. */
static void
test_squeeze_into(void)
{
	static const char *const pieces[] = { "Word", " ", "  ", "\t", "\n",
	    "\r\n", "\v", "\f", "XyZ", "\xc3\x89", "@[`{", " a ", "\x7f" };
	char in[200], want[210], got[210], name[64];
	size_t len, i, k, n, m, bad = 0;
	unsigned seed = 5;
	int lower;

	for (k = 0; k < 4000; k++) {
		bool sp = false;
		lower = (int)(k & 1);
		len = 0;
		while (len < 150) {
			const char *p;
			seed = seed * 1103515245u + 12345u;
			p = pieces[(seed >> 16) % H_NELEM(pieces)];
			for (i = 0; p[i] && len < 150; i++)
				in[len++] = p[i];
			seed = seed * 1103515245u + 12345u;
			if ((seed >> 16) % 40 == 0)
				break;
		}
		for (i = 0, n = 0; i < len; i++) {
			unsigned char c = (unsigned char)in[i];
			if (bnc_is_space(c)) {
				sp = true;
				continue;
			}
			if (sp && n)
				want[n++] = ' ';
			sp = false;
			want[n++] = (char)(lower ? bnc_lower(c) : c);
		}
		want[n] = '\0';
		m = bnc_str_squeeze_into(bnc_str_make(in, len), got, lower);
		if ((m != n || memcmp(got, want, n + 1) != 0) && bad++ < 5) {
			snprintf(name, sizeof(name), "squeeze_into %zu", k);
			CHECK_STR(name, "text", got, want);
		}
	}
	CHECK_INT("squeeze_into", "mismatches", (long)bad, 0);
}

static void
test_line(void)
{
	static const struct {
		const char *name, *in, *line, *rest;
	} rows[] = {
		{ "two lines", "first\nsecond\n", "first", "second\n" },
		{ "no newline", "only", "only", "" },
		{ "empty line first", "\nnext", "", "next" },
		{ "empty", "", "", "" },
		{ "trailing newline", "last\n", "last", "" },
		{ "cr kept", "a\r\nb", "a\r", "b" },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++) {
		struct bnc_str rest, line;
		line = bnc_str_line(bnc_str_c(rows[i].in), &rest);
		CHECK_VIEW(rows[i].name, "line", line,
		    rows[i].line[0] ? rows[i].line : NULL);
		CHECK_VIEW(rows[i].name, "rest", rest,
		    rows[i].rest[0] ? rows[i].rest : NULL);
	}
	/* Walking all lines of a block. */
	{
		struct bnc_str rest = bnc_str_c("a\nbb\n\nccc"), line;
		static const char *const want[] = { "a", "bb", "", "ccc" };
		size_t n = 0;
		while (rest.len) {
			line = bnc_str_line(rest, &rest);
			if (n < H_NELEM(want))
				CHECK_VIEW("walk", "line", line,
				    want[n][0] ? want[n] : NULL);
			n++;
		}
		CHECK_INT("walk", "lines", n, 4);
	}
	/* A newline just past the view is not seen. */
	{
		struct bnc_str rest, line;
		line = bnc_str_line(bnc_str_make("abc\ndef", 3), &rest);
		CHECK_VIEW("newline past the view", "line", line, "abc");
		CHECK_INT("newline past the view", "rest.len", rest.len, 0);
	}
}

static void
test_classes(void)
{
	unsigned c;
	unsigned bad = 0;

	for (c = 0; c < 256; c++) {
		unsigned char want = (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) :
		    (unsigned char)c;
		if (bnc_lower((unsigned char)c) != want)
			bad++;
	}
	CHECK_INT("lower table", "wrong entries", bad, 0);
	CHECK_BOOL("alpha @", "is_alpha", bnc_is_alpha('@'), false);
	CHECK_BOOL("alpha [", "is_alpha", bnc_is_alpha('['), false);
	CHECK_BOOL("alpha z", "is_alpha", bnc_is_alpha('z'), true);
	CHECK_BOOL("alpha 0xe9", "is_alpha", bnc_is_alpha(0xe9), false);
	CHECK_BOOL("digit 9", "is_digit", bnc_is_digit('9'), true);
	CHECK_BOOL("space \\v", "is_space", bnc_is_space('\v'), true);
	CHECK_BOOL("space NUL", "is_space", bnc_is_space(0), false);
	/* Every byte, against the six comparisons it stands for. */
	bad = 0;
	for (c = 0; c < 256; c++)
		if (bnc_is_space((unsigned char)c) != (c == ' ' || c == '\t' ||
		    c == '\n' || c == '\r' || c == '\f' || c == '\v'))
			bad++;
	CHECK_INT("space, every byte", "mismatches", bad, 0);
}

int
main(void)
{
	test_trim();
	test_compare();
	test_ifind();
	test_ifind_sweep();
	test_line();
	test_next_line_with();
	test_squeeze_into();
	test_classes();
	return h_done("test_str");
}

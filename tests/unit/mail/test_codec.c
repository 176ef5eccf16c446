/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_codec.c - src/mail/codec.c: base64 and quoted-printable (RFC 2045
 * 6.7, 6.8) with their `bad` flags, RFC 2047 encoded words (B and Q,
 * adjacent words joined), and charsets to UTF-8 through iconv
 * (ISO-2022-JP, Shift_JIS, ISO-8859-1).
 */
#include <stdint.h>
#include <stdlib.h>

#include "harness.h"
#include "mail/codec.h"

static void
test_base64(void)
{
	static const struct {
		const char *name, *in, *want;
		bool bad;
	} rows[] = {
		{ "plain", "aGVsbG8=", "hello", false },
		{ "no padding", "aGVsbG8", "hello", false },
		{ "two pad", "aGk=", "hi", false },
		{ "exact", "YWJj", "abc", false },
		{ "line breaks", "aGVs\nbG8g\r\nd29y\nbGQ=\n", "hello world", false },
		{ "blanks", " aGVs bG8= ", "hello", false },
		{ "invalid char", "aGV*sbG8=", "hello", true },
		{ "invalid 8-bit", "aGVs\xff" "bG8=", "hello", true },
		{ "url-safe alphabet is invalid", "-_-_", "", true },
		{ "stops at padding", "aGk=aGk=", "hi", false },
		{ "empty", "", "", false },
		{ "utf-8 payload", "w6l0w6k=", "\xc3\xa9t\xc3\xa9", false },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++) {
		struct bnc_arena a;
		bool bad = false;
		struct bnc_str out;

		bnc_arena_init(&a, 0);
		out = bnc_base64_decode(&a, bnc_str_c(rows[i].in), &bad);
		CHECK_TRUE(rows[i].name, "non-NULL", out.ptr != NULL);
		CHECK_VIEW(rows[i].name, "decoded", out,
		    rows[i].want[0] ? rows[i].want : NULL);
		CHECK_BOOL(rows[i].name, "bad", bad, rows[i].bad);
		bnc_arena_deinit(&a);
	}
	/* Binary output: NUL and 0xff survive. */
	{
		struct bnc_arena a;
		bool bad = false;
		struct bnc_str out;

		bnc_arena_init(&a, 0);
		out = bnc_base64_decode(&a, bnc_str_c("AP8A"), &bad);
		CHECK_TRUE("binary", "bytes 00 ff 00", out.len == 3 &&
		    memcmp(out.ptr, "\0\xff\0", 3) == 0);
		bnc_arena_deinit(&a);
	}
}

static void
test_qp(void)
{
	static const struct {
		const char *name, *in, *want;
		bool underscore, bad;
	} rows[] = {
		{ "plain", "hello", "hello", false, false },
		{ "escape", "a=3Db", "a=b", false, false },
		{ "lower-case hex", "a=3db", "a=b", false, false },
		{ "8-bit", "caf=C3=A9", "caf\xc3\xa9", false, false },
		{ "soft break", "abc=\ndef", "abcdef", false, false },
		{ "soft break with blanks", "abc= \t\ndef", "abcdef", false, false },
		{ "soft break at end", "abc=", "abc", false, false },
		{ "hard break kept", "abc\ndef", "abc\ndef", false, false },
		{ "bad escape", "a=ZZb", "a=ZZb", false, true },
		{ "half escape", "a=4", "a=4", false, true },
		{ "equals then blank then text", "a= b", "a= b", false, true },
		{ "underscore kept", "a_b", "a_b", false, false },
		{ "underscore as space", "a_b", "a b", true, false },
		{ "encoded underscore", "a=5Fb", "a_b", true, false },
		{ "empty", "", "", false, false },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++) {
		struct bnc_arena a;
		bool bad = false;
		struct bnc_str out;

		bnc_arena_init(&a, 0);
		out = bnc_qp_decode(&a, bnc_str_c(rows[i].in),
		    rows[i].underscore, &bad);
		CHECK_TRUE(rows[i].name, "non-NULL", out.ptr != NULL);
		CHECK_VIEW(rows[i].name, "decoded", out,
		    rows[i].want[0] ? rows[i].want : NULL);
		CHECK_BOOL(rows[i].name, "bad", bad, rows[i].bad);
		bnc_arena_deinit(&a);
	}
}

static void
test_rfc2047(void)
{
	static const struct {
		const char *name, *in, *want;
	} rows[] = {
		{ "B utf-8", "=?UTF-8?B?w6l0w6k=?=", "\xc3\xa9t\xc3\xa9" },
		{ "b lower case", "=?utf-8?b?aGVsbG8=?=", "hello" },
		{ "Q latin-1", "=?ISO-8859-1?Q?caf=E9?=", "caf\xc3\xa9" },
		{ "q underscore", "=?us-ascii?q?hello_world?=", "hello world" },
		{ "text around", "Re: =?UTF-8?Q?caf=C3=A9?= now",
		    "Re: caf\xc3\xa9 now" },
		{ "adjacent words joined", "=?UTF-8?Q?Out_of?= =?UTF-8?Q?_office?=",
		    "Out of office" },
		{ "adjacent across a fold", "=?UTF-8?B?w6k=?=\t =?UTF-8?B?w6k=?=",
		    "\xc3\xa9\xc3\xa9" },
		{ "word then text keeps space", "=?UTF-8?Q?a?= b", "a b" },
		{ "text then word keeps space", "a =?UTF-8?Q?b?=", "a b" },
		{ "language suffix", "=?UTF-8*en?Q?hi?=", "hi" },
		{ "unknown encoding kept", "=?UTF-8?X?abc?=", "=?UTF-8?X?abc?=" },
		{ "unterminated kept", "=?UTF-8?Q?abc", "=?UTF-8?Q?abc" },
		{ "space inside kept", "=?UTF-8?Q?a b?=", "=?UTF-8?Q?a b?=" },
		{ "iso-2022-jp B",
		    "=?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=",
		    "\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88" },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++) {
		struct bnc_arena a;

		bnc_arena_init(&a, 0);
		CHECK_VIEW(rows[i].name, "decoded", bnc_rfc2047_decode(&a,
		    bnc_str_c(rows[i].in)), rows[i].want);
		bnc_arena_deinit(&a);
	}
	/* Nothing to decode: the input itself comes back. */
	{
		struct bnc_arena a;
		struct bnc_str in = bnc_str_c("Undelivered Mail Returned to Sender");
		struct bnc_str out;

		bnc_arena_init(&a, 0);
		out = bnc_rfc2047_decode(&a, in);
		CHECK_TRUE("plain subject", "same view",
		    out.ptr == in.ptr && out.len == in.len);
		bnc_arena_deinit(&a);
	}
}

static void
test_charset(void)
{
	/* "テスト" (katakana TE SU TO) and "café" in several charsets. */
	static const char tesuto[] = "\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88";
	static const struct {
		const char *name, *in, *charset, *want;
		bool bad;
	} rows[] = {
		{ "iso-2022-jp", "\x1b$B%F%9%H\x1b(B", "ISO-2022-JP", tesuto,
		    false },
		{ "iso-2022-jp lower, text around",
		    "a \x1b$B%F%9%H\x1b(B b", "iso-2022-jp",
		    "a \xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88 b", false },
		{ "shift_jis", "\x83\x65\x83\x58\x83\x67", "Shift_JIS", tesuto,
		    false },
		{ "sjis alias", "\x83\x65\x83\x58\x83\x67", "x-sjis", tesuto,
		    false },
		{ "iso-8859-1", "caf\xe9", "ISO-8859-1", "caf\xc3\xa9", false },
		{ "latin1 alias", "caf\xe9", "latin1", "caf\xc3\xa9", false },
		{ "iso-8859-1 read as windows-1252", "\x93quoted\x94",
		    "iso-8859-1", "\xe2\x80\x9cquoted\xe2\x80\x9d", false },
		{ "iso-8859-15 euro", "\xa4", "ISO-8859-15", "\xe2\x82\xac",
		    false },
		/* Windows-1252 goes by a table made from iconv's answers:
		 * its undefined bytes (0x81, 0x8d, 0x8f, 0x90, 0x9d) are
		 * one '?' each, the text around them kept, as iconv's
		 * stop-and-go gave. */
		{ "windows-1252 euro", "\x80 5", "windows-1252",
		    "\xe2\x82\xac 5", false },
		{ "utf-8 read as latin-1", "caf\xc3\xa9 \xe2\x80\x9d",
		    "iso-8859-1", "caf\xc3\x83\xc2\xa9 \xc3\xa2\xe2\x82\xac?",
		    true },
		{ "every undefined byte", "\x81" "a\x8d\x8f\x90\x9d" "z", "cp1252",
		    "?a????z", true },
		{ "quoted spaces around name", "caf\xe9", " iso-8859-1 ",
		    "caf\xc3\xa9", false },
		{ "broken shift_jis", "\x83", "shift_jis", "?", true },
		{ "broken utf-8 in sjis context", "ok \x83", "shift_jis",
		    "ok ?", true },
		/* 8-bit bytes under a 7-bit label that are not UTF-8 are
		 * still given to iconv, which cannot read them. */
		{ "latin-1 bytes labelled iso-2022-jp", "caf\xe9",
		    "ISO-2022-JP", "caf?", true },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++) {
		struct bnc_arena a;
		bool bad = false;

		bnc_arena_init(&a, 0);
		CHECK_VIEW(rows[i].name, "utf-8", bnc_charset_to_utf8(&a,
		    bnc_str_c(rows[i].in), bnc_str_c(rows[i].charset), &bad),
		    rows[i].want);
		CHECK_BOOL(rows[i].name, "bad", bad, rows[i].bad);
		bnc_arena_deinit(&a);
	}

	/* No conversion: the same view comes back. */
	{
		static const struct {
			const char *name, *in, *charset;
		} same[] = {
			{ "utf-8", "caf\xc3\xa9", "UTF-8" },
			{ "ascii text in latin-1", "plain", "iso-8859-1" },
			{ "no charset", "caf\xc3\xa9", "" },
			{ "unknown charset", "caf\xe9", "x-no-such-charset" },
			/* A 7-bit label on UTF-8 text: re-encoded on the way,
			 * the label kept. */
			{ "utf-8 labelled iso-2022-jp",
			    "\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88", "ISO-2022-JP" },
			{ "us-ascii", "abc", "us-ascii" },
		};
		for (i = 0; i < H_NELEM(same); i++) {
			struct bnc_arena a;
			struct bnc_str in = bnc_str_c(same[i].in), out;
			bool bad = false;

			bnc_arena_init(&a, 0);
			out = bnc_charset_to_utf8(&a, in,
			    bnc_str_c(same[i].charset), &bad);
			CHECK_TRUE(same[i].name, "same view",
			    out.ptr == in.ptr && out.len == in.len);
			CHECK_BOOL(same[i].name, "bad", bad, false);
			bnc_arena_deinit(&a);
		}
	}
}

/* A small deterministic generator (xorshift64): the same cases on
 * every run. */
static struct h_rng rng = { 0x2545f4914f6cdd1dull };

/* One conversion by both paths: the same bytes and the same *bad. */
static bool
same_as_plain(const char *name, struct bnc_str in, const char *charset)
{
	struct bnc_arena a;
	struct bnc_str got, want;
	bool bad_got = false, bad_want = false, ok;

	bnc_arena_init(&a, 0);
	got = bnc_charset_to_utf8(&a, in, bnc_str_c(charset), &bad_got);
	want = bnc_charset_to_utf8_plain(&a, in, bnc_str_c(charset),
	    &bad_want);
	ok = got.len == want.len && (got.len == 0 ||
	    memcmp(got.ptr, want.ptr, got.len) == 0) && bad_got == bad_want;
	if (!ok) {
		CHECK_VIEW(name, "utf-8", got, bnc_arena_strndup(&a, want.ptr,
		    want.len));
		CHECK_BOOL(name, "bad", bad_got, bad_want);
	}
	bnc_arena_deinit(&a);
	return ok;
}

/* ISO-2022-JP by table against iconv: every cell of JIS X 0208 in
 * text, then generated texts of ASCII, designations (those the table
 * reads and others), pairs, 8-bit bytes, controls and cut sequences. */
static void
test_iso2022jp_table(void)
{
	static const char *const esc[] = { "\x1b$B", "\x1b(B", "\x1b$B",
		"\x1b(B", "\x1b(J", "\x1b$@", "\x1b$A", "\x1b$(D", "\x1bN",
		"\x1b.A", "\x1b(I", "\x1b$", "\x1b" };
	char buf[1024];
	unsigned row, cell, i, diff = 0;

	for (row = 0; row < 94; row++) {
		size_t n = 0;
		memcpy(buf, "row \x1b$B", 7);
		n = 7;
		for (cell = 0; cell < 94; cell++) {
			buf[n++] = (char)(0x21 + row);
			buf[n++] = (char)(0x21 + cell);
		}
		memcpy(buf + n, "\x1b(B end\n", 8);
		n += 8;
		if (!same_as_plain("a row of cells", bnc_str_make(buf, n),
		    "iso-2022-jp"))
			diff++;
	}
	for (i = 0; i < 20000; i++) {
		size_t n = 0;
		unsigned k, parts = 1 + h_rnd(&rng, 12);
		for (k = 0; k < parts && n + 40 < sizeof(buf); k++) {
			unsigned what = h_rnd(&rng, 10), j;
			if (what < 3) {
				const char *e = esc[h_rnd(&rng, what == 0 ?
				    4 : H_NELEM(esc))];
				memcpy(buf + n, e, strlen(e));
				n += strlen(e);
			} else if (what < 6) {
				for (j = h_rnd(&rng, 8); j > 0; j--) {
					buf[n++] =
					    (char)(0x21 + h_rnd(&rng, 94));
					buf[n++] =
					    (char)(0x21 + h_rnd(&rng, 94));
				}
			} else if (what < 8) {
				for (j = h_rnd(&rng, 8); j > 0; j--)
					buf[n++] = (char)(' ' + h_rnd(&rng, 95));
			} else if (what == 8) {
				buf[n++] = (char)(0x80 + h_rnd(&rng, 128));
			} else {
				static const char ctl[] = "\n\t\r\x0e\x0f\x00 ";
				buf[n++] = ctl[h_rnd(&rng, sizeof(ctl) - 1)];
			}
		}
		if (!same_as_plain("generated text", bnc_str_make(buf, n),
		    h_rnd(&rng, 2) ? "iso-2022-jp" : "ISO-2022-JP-1"))
			diff++;
	}
	CHECK_INT("iso-2022-jp by table", "texts unlike iconv's", diff, 0);
}

/* Windows-1252 by table against iconv: texts of ASCII runs of every
 * length around 8-bit bytes, the undefined ones too. */
static void
test_cp1252_table(void)
{
	char buf[512];
	unsigned i, diff = 0;

	for (i = 0; i < 5000; i++) {
		size_t n = 0;
		unsigned k, parts = 1 + h_rnd(&rng, 8);
		for (k = 0; k < parts && n + 60 < sizeof(buf); k++) {
			unsigned j;
			for (j = h_rnd(&rng, 40); j > 0; j--)
				buf[n++] = (char)(h_rnd(&rng, 4) ?
				    ' ' + h_rnd(&rng, 95) : h_rnd(&rng, 32));
			buf[n++] = (char)(0x80 + h_rnd(&rng, 128));
		}
		if (!same_as_plain("windows-1252 text", bnc_str_make(buf, n),
		    h_rnd(&rng, 2) ? "iso-8859-1" : "windows-1252"))
			diff++;
	}
	CHECK_INT("windows-1252 by table", "texts unlike iconv's", diff, 0);
}

/* Quoted-printable by 16-byte runs and the hex table against the plain
 * decoder: generated texts of plain runs of every length, "=XX" in
 * both cases, bad escapes, soft breaks with blanks, '=' at the end;
 * each in a buffer of its exact size, so a read past it is caught by
 * the sanitizer builds. */
static void
test_qp_plain(void)
{
	static const char pieces[][8] = { "=3D", "=c3", "=A9", "=\n",
		"= \t\n", "=", "=Z", "=4", "=4g", "= x", "==", "_", "\n",
		"=\r\n", "=0a", "=FF" };
	char buf[600];
	unsigned i, diff = 0;

	for (i = 0; i < 100000; i++) {
		size_t n = 0;
		unsigned k, parts = h_rnd(&rng, 16);
		struct bnc_arena a;
		struct bnc_str got, want;
		bool bad_got = false, bad_want = false;
		bool under = h_rnd(&rng, 8) == 0;
		char *in;

		for (k = 0; k < parts && n + 40 < sizeof(buf); k++) {
			unsigned j;
			if (h_rnd(&rng, 2)) {
				for (j = h_rnd(&rng, h_rnd(&rng, 2) ? 40 : 4);
				    j > 0; j--)
					buf[n++] = (char)(h_rnd(&rng, 8) ? ' ' +
					    h_rnd(&rng, 95) : h_rnd(&rng, 256));
			} else {
				const char *q =
				    pieces[h_rnd(&rng, H_NELEM(pieces))];
				memcpy(buf + n, q, strlen(q));
				n += strlen(q);
			}
		}
		in = malloc(n ? n : 1);
		memcpy(in, buf, n);
		bnc_arena_init(&a, 0);
		got = bnc_qp_decode(&a, bnc_str_make(in, n), under, &bad_got);
		want = bnc_qp_decode_plain(&a, bnc_str_make(in, n), under,
		    &bad_want);
		if (got.len != want.len || bad_got != bad_want ||
		    memcmp(got.ptr, want.ptr, got.len) != 0 ||
		    got.ptr[got.len] != '\0') {
			if (diff++ == 0) {
				CHECK_VIEW("generated quoted-printable",
				    "decoded", got, bnc_arena_strndup(&a,
				    want.ptr, want.len));
				CHECK_BOOL("generated quoted-printable", "bad",
				    bad_got, bad_want);
			}
		}
		bnc_arena_deinit(&a);
		free(in);
	}
	CHECK_INT("quoted-printable by runs", "texts unlike the plain "
	    "decoder's", diff, 0);
}

/* RFC 2047 decoding with "=?" looked for by memchr() against the plain
 * search on generated values: '=', '?', encoded words whole and cut,
 * white space; the same bytes, and the input itself when nothing is
 * decoded. */
static void
test_rfc2047_plain(void)
{
	static const char *const piece[] = { "=", "?", "=?", "?=", " ",
		"\t", "Subject", "=?utf-8?b?w6k=?=", "=?ISO-8859-1?Q?a=E9?=",
		"=?utf-8?q?x_y?=", "=?x", "a=b", "==?", "=\n?", "\xe9" };
	char buf[256];
	unsigned i, diff = 0;

	for (i = 0; i < 50000; i++) {
		size_t n = 0;
		unsigned k, parts = h_rnd(&rng, 8);
		struct bnc_arena a;
		struct bnc_str in, got, want;
		char *p;

		for (k = 0; k < parts; k++) {
			const char *q = piece[h_rnd(&rng, H_NELEM(piece))];
			size_t l = strlen(q);
			if (n + l >= sizeof(buf))
				break;
			memcpy(buf + n, q, l);
			n += l;
		}
		p = malloc(n ? n : 1);
		memcpy(p, buf, n);
		in = bnc_str_make(p, n);
		bnc_arena_init(&a, 0);
		got = bnc_rfc2047_decode(&a, in);
		want = bnc_rfc2047_decode_plain(&a, in);
		if ((got.len != want.len || (got.len && memcmp(got.ptr,
		    want.ptr, got.len) != 0) || ((got.ptr == p) !=
		    (want.ptr == p))) && diff++ < 5) {
			buf[n] = '\0';
			CHECK_VIEW(buf, "decoded", got, bnc_arena_strndup(&a,
			    want.ptr, want.len));
		}
		bnc_arena_deinit(&a);
		free(p);
	}
	CHECK_INT("rfc 2047 by memchr", "values unlike the plain search's",
	    diff, 0);
}

int
main(void)
{
	test_rfc2047_plain();
	test_qp_plain();
	test_iso2022jp_table();
	test_cp1252_table();
	test_base64();
	test_qp();
	test_rfc2047();
	test_charset();
	return h_done("test_codec");
}

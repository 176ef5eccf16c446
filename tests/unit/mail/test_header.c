/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_header.c - src/mail/header.c: header blocks (RFC 5322 section
 * 2.2): folding, duplicates, malformed lines ending the block, "Name :
 * value", the mbox From_ line, NUL and 8-bit bytes, field truncation.
 */
#include <stdint.h>

#include <stdlib.h>

#include "harness.h"
#include "mail/header.h"

#define MAXF ((size_t)64 << 10)

struct want_field {
	const char *name, *value;
};

struct row {
	const char *name;
	const char *in;
	size_t len;			/* 0: strlen(in) */
	struct want_field f[4];		/* fields in order; NULL ends */
	size_t n;
	const char *body;		/* what follows the block */
};

static const struct row header_rows[] = {
	{ "simple", "From: a@example.com\nTo: b@example.org\n\nhello\n", 0,
	    { { "From", "a@example.com" }, { "To", "b@example.org" } }, 2,
	    "hello\n" },
	{ "folded with space and tab",
	    "Subject: one\n two\n\tthree\nX: y\n\nbody", 0,
	    { { "Subject", "one two three" }, { "X", "y" } }, 2, "body" },
	{ "folding white space squeezed",
	    "Diagnostic-Code: smtp; 550 5.1.1 user\n      unknown   \n\n", 0,
	    { { "Diagnostic-Code", "smtp; 550 5.1.1 user unknown" } }, 1, "" },
	{ "empty continuation skipped", "A: x\n \n y\n\nb", 0,
	    { { "A", "x y" } }, 1, "b" },
	{ "duplicates kept in order",
	    "Received: from a\nReceived: from b\nReceived: from c\n\n", 0,
	    { { "Received", "from a" }, { "Received", "from b" },
	    { "Received", "from c" } }, 3, "" },
	{ "malformed line ends the block",
	    "From: a@example.com\nthis line is no header\nTo: b@example.org\n",
	    0, { { "From", "a@example.com" } }, 1,
	    "this line is no header\nTo: b@example.org\n" },
	{ "leading continuation is no field", " folded: x\nA: b\n", 0,
	    { { NULL, NULL } }, 0, " folded: x\nA: b\n" },
	{ "name space colon", "Subject : spaced out\nTo\t: tab@example.org\n\n",
	    0, { { "Subject", "spaced out" }, { "To", "tab@example.org" } }, 2,
	    "" },
	{ "space inside a name is no field", "Bad Name: x\n", 0,
	    { { NULL, NULL } }, 0, "Bad Name: x\n" },
	{ "empty name", ": value\n", 0, { { NULL, NULL } }, 0, ": value\n" },
	{ "empty value", "X-Empty:\nY: 1\n\n", 0,
	    { { "X-Empty", "" }, { "Y", "1" } }, 2, "" },
	{ "colon in value", "Date: Tue, 14 May 2024 09:12:44 +0000\n\n", 0,
	    { { "Date", "Tue, 14 May 2024 09:12:44 +0000" } }, 1, "" },
	{ "mbox From_ line skipped",
	    "From bounces@example.com Tue May 14 09:12:44 2024\n"
	    "Subject: hi\n\nbody\n", 0, { { "Subject", "hi" } }, 1, "body\n" },
	{ "From: is a field, not From_", "From: x@example.com\n\n", 0,
	    { { "From", "x@example.com" } }, 1, "" },
	{ "no blank line, no body", "A: 1\nB: 2", 0,
	    { { "A", "1" }, { "B", "2" } }, 2, "" },
	{ "no headers at all", "\nbody only\n", 0, { { NULL, NULL } }, 0,
	    "body only\n" },
	{ "empty input", "", 0, { { NULL, NULL } }, 0, "" },
	{ "8-bit value kept", "Subject: caf\xc3\xa9 \xff\n\n", 0,
	    { { "Subject", "caf\xc3\xa9 \xff" } }, 1, "" },
	{ "8-bit name ends the block", "A: 1\nS\xc3\xbc" "bject: x\nB: 2\n", 0,
	    { { "A", "1" } }, 1, "S\xc3\xbc" "bject: x\nB: 2\n" },
	{ "control byte in name ends the block", "A: 1\nB\x01: 2\n", 0,
	    { { "A", "1" } }, 1, "B\x01: 2\n" },
};

/* NUL bytes: kept inside a value (the message layer turns them into
 * spaces before this), and a NUL in a field name ends the block. */
static void
test_nul(void)
{
	static const char in1[] = "X-Nul: a\0b\nY: 2\n\n";
	static const char in2[] = "A: 1\nB\0C: 2\n\n";
	struct bnc_arena a;
	struct bnc_headers h;
	struct bnc_str body;

	bnc_arena_init(&a, 0);
	CHECK_INT("NUL in value", "rc", bnc_headers_parse(&h, &a,
	    bnc_str_make(in1, sizeof(in1) - 1), &body, MAXF), 0);
	CHECK_INT("NUL in value", "fields", h.n, 2);
	if (h.n == 2) {
		CHECK_TRUE("NUL in value", "value is a NUL b",
		    h.v[0].value.len == 3 &&
		    memcmp(h.v[0].value.ptr, "a\0b", 3) == 0);
		CHECK_VIEW("NUL in value", "next field", h.v[1].value, "2");
	}
	CHECK_INT("NUL in value", "body.len", body.len, 0);

	CHECK_INT("NUL in name", "rc", bnc_headers_parse(&h, &a,
	    bnc_str_make(in2, sizeof(in2) - 1), &body, MAXF), 0);
	CHECK_INT("NUL in name", "fields", h.n, 1);
	CHECK_TRUE("NUL in name", "body starts at the bad line",
	    body.len == 8 && memcmp(body.ptr, "B\0C: 2\n\n", 8) == 0);
	bnc_arena_deinit(&a);
}

static void
test_rows(void)
{
	size_t i, k;

	for (i = 0; i < H_NELEM(header_rows); i++) {
		const struct row *r = &header_rows[i];
		struct bnc_arena a;
		struct bnc_headers h;
		struct bnc_str body;
		size_t len = r->len ? r->len : strlen(r->in);
		int rc;

		bnc_arena_init(&a, 0);
		rc = bnc_headers_parse(&h, &a, bnc_str_make(r->in, len),
		    &body, MAXF);
		CHECK_INT(r->name, "rc", rc, 0);
		CHECK_INT(r->name, "fields", h.n, r->n);
		for (k = 0; k < h.n && k < r->n; k++) {
			const struct want_field *w = &r->f[k];
			CHECK_VIEW(r->name, "name", h.v[k].name, w->name);
			CHECK_VIEW(r->name, "value", bnc_header_value(&h, k),
			    w->value[0] ? w->value : NULL);
		}
		CHECK_VIEW(r->name, "body", body, r->body[0] ? r->body : NULL);
		bnc_arena_deinit(&a);
	}
}

static void
test_get(void)
{
	static const char block[] =
	    "Received: first\n"
	    "Content-Type: text/plain\n"
	    "received: second\n"
	    "X-Campaign-ID: c4821\n\n";
	static const struct {
		const char *name, *field, *want;
		bool has;
	} rows[] = {
		{ "first of duplicates", "Received", "first", true },
		{ "any case", "CONTENT-TYPE", "text/plain", true },
		{ "lower case", "x-campaign-id", "c4821", true },
		{ "absent", "Message-ID", NULL, false },
		{ "prefix is no match", "Content", NULL, false },
	};
	struct bnc_arena a;
	struct bnc_headers h;
	struct bnc_str body;
	size_t i;

	bnc_arena_init(&a, 0);
	CHECK_INT("get", "rc", bnc_headers_parse(&h, &a, bnc_str_c(block),
	    &body, MAXF), 0);
	for (i = 0; i < H_NELEM(rows); i++) {
		CHECK_VIEW(rows[i].name, "get", bnc_headers_get(&h,
		    rows[i].field), rows[i].want);
		CHECK_BOOL(rows[i].name, "has", bnc_headers_has(&h,
		    rows[i].field), rows[i].has);
	}
	bnc_arena_deinit(&a);
}

/* Look-ups in blocks of 1 to 40 fields (the key bytes are compared 16
 * at a time, the last block cut at the field count): every field is
 * found by its name in another case, the first of two equal names wins,
 * and a name one byte off is not found. */
static void
test_get_many(void)
{
	char in[4096], name[32], want[32], label[64];
	struct bnc_arena a;
	struct bnc_headers h;
	struct bnc_str body;
	size_t n, i, len;

	for (n = 1; n <= 40; n++) {
		len = 0;
		for (i = 0; i < n; i++)
			len += (size_t)snprintf(in + len, sizeof(in) - len,
			    "X-Field-%zu: v%zu\n", i, i);
		len += (size_t)snprintf(in + len, sizeof(in) - len,
		    "x-field-0: second\n\nbody\n");
		bnc_arena_init(&a, 0);
		CHECK_INT("many", "parse", bnc_headers_parse(&h, &a,
		    bnc_str_make(in, len), &body, 0), 0);
		for (i = 0; i < n; i++) {
			snprintf(name, sizeof(name), "x-FIELD-%zu", i);
			snprintf(want, sizeof(want), "v%zu", i);
			snprintf(label, sizeof(label), "%zu fields, #%zu", n, i);
			CHECK_VIEW(label, "get", bnc_headers_get(&h, name), want);
		}
		snprintf(label, sizeof(label), "%zu fields, missing", n);
		CHECK_BOOL(label, "has", bnc_headers_has(&h, "X-Field-99"),
		    false);
		CHECK_BOOL(label, "has prefix", bnc_headers_has(&h, "X-Field-"),
		    false);
		bnc_arena_deinit(&a);
	}
}

static void
test_iter(void)
{
	struct bnc_arena a;
	struct bnc_field_iter it;
	struct bnc_header h;
	int rc;

	/* A value longer than max_field is cut and the cut reported. */
	bnc_arena_init(&a, 0);
	bnc_field_iter_init(&it, bnc_str_c("Long: 0123456789\n more text\n"
	    "Next: ok\n"), 8);
	rc = bnc_field_next(&it, &a, &h);
	CHECK_INT("truncated field", "rc", rc, 1);
	CHECK_VIEW("truncated field", "value", h.value, "01234567");
	CHECK_BOOL("truncated field", "truncated", it.truncated, true);
	rc = bnc_field_next(&it, &a, &h);
	CHECK_INT("after truncated field", "rc", rc, 1);
	CHECK_VIEW("after truncated field", "name", h.name, "Next");
	CHECK_VIEW("after truncated field", "value", h.value, "ok");
	rc = bnc_field_next(&it, &a, &h);
	CHECK_INT("end", "rc", rc, 0);
	bnc_arena_deinit(&a);

	/* A stray line is left in rest for the caller. */
	bnc_arena_init(&a, 0);
	bnc_field_iter_init(&it, bnc_str_c("A: 1\nstray text\nB: 2\n"), 0);
	CHECK_INT("stray", "first rc", bnc_field_next(&it, &a, &h), 1);
	CHECK_INT("stray", "second rc", bnc_field_next(&it, &a, &h), 0);
	CHECK_VIEW("stray", "rest", it.rest, "stray text\nB: 2\n");
	CHECK_BOOL("stray", "truncated", it.truncated, false);
	bnc_arena_deinit(&a);

	/* Folded values of 1 to 40 continuation lines (the parser keeps
	 * the first 16 it measured and finds the others again), blank
	 * ones among them, whole and cut. */
	{
		char in[1024], want[1024], name[64];
		size_t n, i, len, wlen;

		for (n = 1; n <= 40; n++) {
			len = (size_t)snprintf(in, sizeof(in), "F: v");
			wlen = (size_t)snprintf(want, sizeof(want), "v");
			for (i = 0; i < n; i++) {
				if (i % 7 == 3) {
					len += (size_t)snprintf(in + len,
					    sizeof(in) - len, "\n \t");
					continue;
				}
				len += (size_t)snprintf(in + len,
				    sizeof(in) - len, "\n\t w%zu ", i);
				wlen += (size_t)snprintf(want + wlen,
				    sizeof(want) - wlen, " w%zu", i);
			}
			len += (size_t)snprintf(in + len, sizeof(in) - len,
			    "\nNext: ok\n");
			snprintf(name, sizeof(name), "folded %zu lines", n);
			bnc_arena_init(&a, 0);
			bnc_field_iter_init(&it, bnc_str_make(in, len), 0);
			CHECK_INT(name, "rc", bnc_field_next(&it, &a, &h), 1);
			CHECK_VIEW(name, "value", h.value, want);
			CHECK_INT(name, "next rc", bnc_field_next(&it, &a, &h),
			    1);
			CHECK_VIEW(name, "next", h.name, "Next");
			bnc_field_iter_init(&it, bnc_str_make(in, len), 20);
			bnc_field_next(&it, &a, &h);
			want[20] = '\0';
			while (wlen > 20 && want[19] == ' ')
				want[19] = '\0';
			CHECK_VIEW(name, "cut value", h.value, want);
			CHECK_BOOL(name, "cut", it.truncated, wlen > 20);
			bnc_arena_deinit(&a);
		}
	}
}

/* bnc_headers_parse() leaves folded values as their lines until read:
 * each value, read through bnc_header_value() (twice: the second read
 * is the kept one) or bnc_headers_get(), must be what bnc_field_next()
 * makes of the same block, for generated blocks of folded and plain
 * fields with blank, tab and space continuation lines, values empty on
 * their first line, at limits that cut some values and none. */
static void
test_lazy(void)
{
	static const char *const pieces[] = { "", " ", "\t", "a", "bc d",
	    "(x) y ", "with Internet", " Mail Service" };
	static const size_t limits[] = { 0, 5, 17, 64 };
	char in[4096], name[64];
	size_t round, bad = 0;
	unsigned seed = 17;

	for (round = 0; round < 3000; round++) {
		struct bnc_arena a;
		struct bnc_headers h;
		struct bnc_field_iter it;
		struct bnc_header e;
		struct bnc_str body;
		size_t len = 0, f, k, lim = limits[round % 4];

		for (f = 0; f < 6 && len + 600 < sizeof(in); f++) {
			size_t ncont;
			seed = seed * 1103515245u + 12345u;
			len += (size_t)snprintf(in + len, sizeof(in) - len,
			    "F%zu:%s%s", f, (seed >> 8) % 3 ? " " : "",
			    pieces[(seed >> 12) % H_NELEM(pieces)]);
			ncont = (seed >> 16) % 4 ? (seed >> 20) % 20 : 0;
			for (k = 0; k < ncont; k++) {
				seed = seed * 1103515245u + 12345u;
				len += (size_t)snprintf(in + len,
				    sizeof(in) - len, "\n%s%s",
				    (seed >> 8) % 2 ? "\t" : "  ",
				    pieces[(seed >> 12) % H_NELEM(pieces)]);
			}
			in[len++] = '\n';
		}
		len += (size_t)snprintf(in + len, sizeof(in) - len,
		    "\nbody\n");
		bnc_arena_init(&a, 0);
		if (bnc_headers_parse(&h, &a, bnc_str_make(in, len), &body,
		    lim) != 0)
			bad++;
		bnc_field_iter_init(&it, bnc_str_make(in, len), lim);
		for (k = 0; k < h.n; k++) {
			struct bnc_str got;
			if (bnc_field_next(&it, &a, &e) != 1) {
				bad++;
				break;
			}
			got = k % 2 ? bnc_header_value(&h, k) :
			    bnc_headers_get_n(&h, h.v[k].name.ptr,
			    h.v[k].name.len);
			if (got.len != e.value.len || (got.len &&
			    memcmp(got.ptr, e.value.ptr, got.len) != 0) ||
			    bnc_header_value(&h, k).ptr != got.ptr) {
				if (bad++ < 3) {
					snprintf(name, sizeof(name),
					    "lazy %zu field %zu", round, k);
					CHECK_VIEW(name, "value", got,
					    e.value.len ? e.value.ptr : NULL);
				}
			}
		}
		if (bnc_field_next(&it, &a, &e) != 0)
			bad++;
		bnc_arena_deinit(&a);
	}
	CHECK_INT("lazy", "mismatches", (long)bad, 0);
}

static struct h_rng rng = { 0x9e3779b97f4a7c15ull };

/* The parser against the plain one (bnc_field_next()'s rules a field
 * at a time) on generated blocks: fields, folded ones, "Name : value",
 * lines that are no field, blank lines, 8-bit bytes and values longer
 * than the limit. The same fields (as views into the input, or the
 * same unfolded bytes), keys, flags and body. */
static void
test_plain(void)
{
	static const char *const piece[] = { "Received: from mx.example.net",
		"Subject: Undelivered Mail", "From: <a@example.com>",
		"Content-Type: text/plain", "X-Long: 0123456789abcdef0123456789",
		"Name : value", "Name\t: v", "Name x: v", ": no name", " starts",
		"\tby mx.example.org", " (folded)", "", "no colon here",
		"Subject:", "Subject:   ", "Subject: \xe9" "t\xe9", "X:y", "To:\t a ",
		"DEL\x7f: x", "\x80" "bad: x", "K: v\x01", "From x", "a: b",
		" : lead", "\t:x",
		"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; "
		"d=example.com; s=sel; h=from:to:subject:date",
		"\tb=0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV"
		"WXYZ0123456789abcdefghij",
		"X-A-Very-Long-Field-Name-Of-More-Than-Sixty-Four-Bytes-Before"
		"-Its-Colon: x",
		"X-Long-Name-With-Space-Before-The-Colon-Past-A-Window    "
		"   : y" };
	char buf[1024];
	unsigned i, diff = 0;

	for (i = 0; i < 100000; i++) {
		struct bnc_arena a;
		struct bnc_headers got, want;
		struct bnc_str in, body_got, body_want;
		size_t n = 0, k,
		    max = h_rnd(&rng, 3) == 0 ? 1 + h_rnd(&rng, 40) : 0;
		unsigned lines = h_rnd(&rng, 24), j;
		int rc_got, rc_want;
		bool same;
		char *exact;

		if (h_rnd(&rng, 6) == 0) {
			memcpy(buf, "From x@example.com\n", 19);
			n = 19;
		}
		for (j = 0; j < lines; j++) {
			const char *p = piece[h_rnd(&rng, H_NELEM(piece))];
			size_t l = strlen(p);
			if (n + l + 2 > sizeof(buf))
				break;
			memcpy(buf + n, p, l);
			n += l;
			buf[n++] = '\n';
		}
		/* Cut anywhere: the last line may have no LF. */
		if (n && h_rnd(&rng, 3) == 0)
			n -= h_rnd(&rng, (unsigned)n);
		/* In a buffer of its exact size: the sanitizer builds
		 * catch a read past it. */
		exact = malloc(n ? n : 1);
		memcpy(exact, buf, n);
		in = bnc_str_make(exact, n);
		bnc_arena_init(&a, 0);
		rc_got = bnc_headers_parse(&got, &a, in, &body_got, max);
		rc_want = bnc_headers_parse_plain(&want, &a, in, &body_want,
		    max);
		same = rc_got == rc_want && got.n == want.n &&
		    body_got.ptr == body_want.ptr &&
		    body_got.len == body_want.len;
		for (k = 0; same && k < got.n; k++) {
			const struct bnc_header *g = &got.v[k], *w = &want.v[k];
			same = g->name.ptr == w->name.ptr &&
			    g->name.len == w->name.len &&
			    g->folded == w->folded &&
			    g->value.len == w->value.len &&
			    (g->folded || g->value.ptr == w->value.ptr ||
			    memcmp(g->value.ptr, w->value.ptr,
			    g->value.len) == 0) &&
			    (!g->folded || g->value.ptr == w->value.ptr) &&
			    got.key[k] == want.key[k];
			/* Read: unfolded alike. */
			if (same) {
				struct bnc_str x = bnc_header_value(&got, k);
				struct bnc_str y = bnc_header_value(&want, k);
				same = x.len == y.len && (x.len == 0 ||
				    memcmp(x.ptr, y.ptr, x.len) == 0);
			}
		}
		for (k = got.n; same && k < ((got.n + 15) & ~(size_t)15); k++)
			same = got.key[k] == 0;
		/* Look-ups find the first field of the name in any case,
		 * as a search of every name would. */
		for (j = 0; same && j < 4; j++) {
			static const char *const names[] = { "Received",
				"RECEIVED", "Subject", "subject", "From",
				"Content-Type", "X-Long", "Name", "X", "To",
				"K", "a", "A", "DEL", "Content-Typ", "Subjecx",
				"X-Lonh", "Fro" };
			const char *nm = names[h_rnd(&rng, H_NELEM(names))];
			size_t first = got.n;
			for (k = 0; k < got.n; k++)
				if (bnc_str_ieq(got.v[k].name, nm)) {
					first = k;
					break;
				}
			same = bnc_headers_has(&got, nm) == (first < got.n);
			if (same && first < got.n) {
				struct bnc_str x = bnc_headers_get(&got, nm);
				struct bnc_str y = bnc_header_value(&got,
				    first);
				same = x.ptr == y.ptr && x.len == y.len;
			}
		}
		if (!same && diff++ < 5) {
			buf[n] = '\0';
			CHECK_INT(buf, "fields", got.n, want.n);
			CHECK_INT(buf, "body offset", body_got.ptr - exact,
			    body_want.ptr - exact);
		}
		bnc_arena_deinit(&a);
		free(exact);
	}
	CHECK_INT("header blocks", "parsed unlike the plain parser", diff, 0);
}

int
main(void)
{
	test_plain();
	test_rows();
	test_lazy();
	test_nul();
	test_get();
	test_get_many();
	test_iter();
	return h_done("test_header");
}

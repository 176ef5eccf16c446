/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_address.c - src/mail/address.c: finding addresses in header
 * values and free text (bnc_addr_next), normalising the first one
 * (bnc_addr_normalise: domain lower-cased, local part kept), and
 * recognising mailer addresses.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "mail/address.h"

static void
test_normalise(void)
{
	static const struct {
		const char *name, *in, *want;
	} rows[] = {
		{ "bare", "jane@example.com", "jane@example.com" },
		{ "encoded-word local part kept",
		    "<=?utf-8?B?8J+QiA==?=@Example.org>",
		    "=?utf-8?B?8J+QiA==?=@example.org" },
		{ "leading = of a sentence dropped", "to =jane@example.com",
		    "jane@example.com" },
		{ "angle brackets", "Jane Doe <Jane.Doe@Example.COM>",
		    "Jane.Doe@example.com" },
		{ "dsn value", "rfc822; <Bob@EXAMPLE.net>", "Bob@example.net" },
		{ "dsn value without space", "rfc822;bob@example.net",
		    "bob@example.net" },
		{ "local part case kept", "MiXeD@Example.Org", "MiXeD@example.org" },
		{ "quoted local part", "\"john doe\"@Example.com",
		    "\"john doe\"@example.com" },
		{ "quoted local part in brackets", "<\"a.b\"@example.org>",
		    "\"a.b\"@example.org" },
		{ "plus and dots", "bounces+c4821.x@bounce.example.com",
		    "bounces+c4821.x@bounce.example.com" },
		{ "trailing dot of a sentence", "Please write to a@example.com.",
		    "a@example.com" },
		{ "trailing hyphen", "a@example.com-", "a@example.com" },
		{ "leading dot dropped", ".a@example.com", "a@example.com" },
		{ "in parentheses", "(x@example.net)", "x@example.net" },
		{ "after colon", "RCPT TO:<u@example.net>", "u@example.net" },
		{ "no-dot domain rejected", "user@localhost", NULL },
		{ "no-dot domain skipped for a later one",
		    "root@localhost or admin@example.com", "admin@example.com" },
		{ "no local part", "@example.com", NULL },
		{ "no domain", "user@", NULL },
		{ "only dots after @", "user@...", NULL },
		{ "no address", "no address here", NULL },
		{ "empty", "", NULL },
		{ "ip literal domain rejected", "a@[192.0.2.1]", NULL },
		{ "first of two", "a@example.com, b@example.org", "a@example.com" },
		{ "subdomain", "x@Mail.Sub.Example.ORG", "x@mail.sub.example.org" },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++) {
		struct bnc_arena a;

		bnc_arena_init(&a, 0);
		CHECK_VIEW(rows[i].name, "address", bnc_addr_normalise(&a,
		    bnc_str_c(rows[i].in)), rows[i].want);
		bnc_arena_deinit(&a);
	}
}

static void
test_next(void)
{
	static const struct {
		const char *name, *in;
		const char *want[4];
	} rows[] = {
		{ "list", "a@example.com, B <b@Example.org>; c@example.net",
		    { "a@example.com", "b@Example.org", "c@example.net", NULL } },
		{ "text", "Your message to x@example.org could not reach "
		    "y@example.net. Contact postmaster@example.com.",
		    { "x@example.org", "y@example.net",
		    "postmaster@example.com", NULL } },
		{ "skips non-addresses", "user@host and z@example.com and @ alone",
		    { "z@example.com", NULL } },
		{ "none", "nothing at all", { NULL } },
	};
	size_t i, k;

	for (i = 0; i < H_NELEM(rows); i++) {
		struct bnc_str text = bnc_str_c(rows[i].in), addr;
		size_t pos = 0;

		for (k = 0; k < 4; k++) {
			char name[80];
			addr = bnc_addr_next(text, &pos);
			snprintf(name, sizeof(name), "%s #%zu", rows[i].name, k);
			CHECK_VIEW(name, "address", addr, rows[i].want[k]);
			if (addr.len)
				CHECK_TRUE(name, "view inside the text",
				    addr.ptr >= text.ptr &&
				    addr.ptr + addr.len <= text.ptr + text.len);
			if (rows[i].want[k] == NULL)
				break;
		}
		CHECK_INT(rows[i].name, "pos at the end", pos, text.len);
	}
	/* A view cut before the domain's dot holds no address. */
	{
		size_t pos = 0;
		CHECK_VIEW("view ends before the dot", "address",
		    bnc_addr_next(bnc_str_make("a@example.com", 9), &pos), NULL);
	}
}

static void
test_daemon(void)
{
	static const struct {
		const char *in;
		bool want;
	} rows[] = {
		{ "MAILER-DAEMON@mx.example.net", true },
		{ "mailer-daemon@example.org", true },
		{ "postmaster@example.com", true },
		{ "double-bounce@example.com", true },
		{ "jane@example.com", false },
		{ "postmaster-team@example.com", false },
		{ "my-postmaster@example.com", false },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++)
		CHECK_BOOL(rows[i].in, "is_daemon",
		    bnc_addr_is_daemon(bnc_str_c(rows[i].in)), rows[i].want);
}

/* bnc_addr_next() against bnc_addr_next_plain() on generated texts:
 * local parts, quotes, '@', domains with dots, dashes and underscores
 * at either end, RFC 2047 words, '=' and '/' before them, 8-bit bytes
 * and line ends; every address of each text, each text in a buffer of
 * its exact size. */
static void
test_next_plain(void)
{
	static const char *const piece[] = { "user", "a.b", "@", "@", "@",
		"example", ".", ".", "-", "_", "com", "\"", "\"q u\"", " ",
		"\n", "=", "=?utf-8?b?x?=", "/", "'", "<", ">", "x%y",
		"\xc3\xa9", "..", "-.", "1", "[", "]" };
	static struct h_rng rng = { 0x9e3779b97f4a7c15ull };
	char buf[256];
	unsigned i, diff = 0;

	for (i = 0; i < 100000; i++) {
		size_t n = 0, pg = 0, pw = 0;
		unsigned k, parts = h_rnd(&rng, 14);
		char *in;

		for (k = 0; k < parts; k++) {
			const char *p = piece[h_rnd(&rng, H_NELEM(piece))];
			size_t l = strlen(p);
			if (n + l >= sizeof(buf))
				break;
			memcpy(buf + n, p, l);
			n += l;
		}
		in = malloc(n ? n : 1);
		memcpy(in, buf, n);
		for (k = 0; k < 8; k++) {
			struct bnc_str g = bnc_addr_next(bnc_str_make(in, n),
			    &pg);
			struct bnc_str w = bnc_addr_next_plain(bnc_str_make(in,
			    n), &pw);
			if (g.ptr != w.ptr || g.len != w.len || pg != pw) {
				if (diff++ < 5) {
					buf[n] = '\0';
					CHECK_INT(buf, "address offset",
					    g.ptr ? g.ptr - in : -1,
					    w.ptr ? w.ptr - in : -1);
					CHECK_INT(buf, "pos", pg, pw);
				}
				break;
			}
			if (g.len == 0)
				break;
		}
		free(in);
	}
	CHECK_INT("bnc_addr_next", "answers unlike the plain scan", diff, 0);
}

static struct h_rng grng = { 0x2545f4914f6cdd1dull };

/* bnc_addr_next() and bnc_addr_normalise() against their plain twins
 * on 200,000 generated texts: addresses in every case, quoted local
 * parts (with NUL, '@' and LF inside), trailing dots and dashes,
 * domains without a dot, brackets, 8-bit bytes and filler. Every
 * address of a text in turn, and the normalised first one, the same
 * bytes. */
static void
test_normalise_plain(void)
{
	static const char *const piece[] = { "jane", "Jane.Doe", "@", "@",
		"example", "EXAMPLE", ".", ".", "com", "Org", "-", "_", "\"",
		"\"a b\"", "=?utf-8?b?x?=", "<", ">", " ", ",", ";", "rfc822;",
		"\n", "\x00", "\xc3\xa9", "=", "/", "'", "%", "+", "x1", "9",
		"..", "@@", "a@b", "user@localhost", "Bob@Mail.Example.NET." };
	char buf[200];
	unsigned i, diff = 0;

	for (i = 0; i < 200000; i++) {
		size_t n = 0, p1 = 0, p2 = 0;
		unsigned k, parts = h_rnd(&grng, 16);
		struct bnc_str t, x, y;
		struct bnc_arena a;
		for (k = 0; k < parts; k++) {
			const char *p = piece[h_rnd(&grng, H_NELEM(piece))];
			size_t l = p[0] ? strlen(p) : 1;
			if (n + l > sizeof(buf))
				break;
			memcpy(buf + n, p, l);
			n += l;
		}
		t = bnc_str_make(buf, n);
		do {
			x = bnc_addr_next(t, &p1);
			y = bnc_addr_next_plain(t, &p2);
			if ((x.ptr != y.ptr || x.len != y.len || p1 != p2) &&
			    diff++ < 5)
				CHECK_INT("next", "at", x.ptr ? x.ptr - buf :
				    -1, y.ptr ? y.ptr - buf : -1);
		} while (x.len && y.len);
		bnc_arena_init(&a, 0);
		x = bnc_addr_normalise(&a, t);
		y = bnc_addr_normalise_plain(&a, t);
		if ((x.len != y.len || (x.len && memcmp(x.ptr, y.ptr,
		    x.len) != 0) || (x.ptr == NULL) != (y.ptr == NULL)) &&
		    diff++ < 5)
			CHECK_INT("normalise", "length", (long)x.len,
			    (long)y.len);
		bnc_arena_deinit(&a);
	}
	CHECK_INT("generated", "answers unlike the plain ones", (long)diff,
	    0);
}

/* bnc_addr_find() against bnc_str_ifind() on 100,000 generated texts
 * and needles: addresses in any case, several '@'s, a needle at the
 * text's very start and end, cut short, or without an '@'. */
static void
test_find(void)
{
	static const char *const piece[] = { "jane", "JANE", "@", "@",
		"example.com", "Example.COM", "x", " ", "<", ">", ".", "a@b",
		"jane@example.com", "JANE@EXAMPLE.COM", "\xc3\xa9", "\x00",
		"\n", "@@", "com" };
	char buf[160], needle[40];
	unsigned i, diff = 0;

	for (i = 0; i < 100000; i++) {
		size_t n = 0, nl = 0;
		unsigned k, parts = h_rnd(&grng, 14);
		long got, want;
		for (k = 0; k < parts; k++) {
			const char *p = piece[h_rnd(&grng, H_NELEM(piece))];
			size_t l = p[0] ? strlen(p) : 1;
			if (n + l > sizeof(buf))
				break;
			memcpy(buf + n, p, l);
			n += l;
		}
		parts = 1 + h_rnd(&grng, 4);
		for (k = 0; k < parts; k++) {
			const char *p = piece[h_rnd(&grng, H_NELEM(piece))];
			size_t l = p[0] ? strlen(p) : 1;
			if (nl + l > sizeof(needle))
				break;
			memcpy(needle + nl, p, l);
			nl += l;
		}
		/* A needle cut out of the text, at times. */
		if (n && h_rnd(&grng, 3) == 0) {
			size_t from = h_rnd(&grng, (unsigned)n);
			nl = h_rnd(&grng, (unsigned)(n - from) + 1);
			if (nl > sizeof(needle))
				nl = sizeof(needle);
			memcpy(needle, buf + from, nl);
		}
		got = bnc_addr_find(bnc_str_make(buf, n), needle, nl);
		want = bnc_str_ifind(bnc_str_make(buf, n), needle, nl);
		if (got != want && diff++ < 5)
			CHECK_INT("find", "at", got, want);
	}
	CHECK_INT("find", "answers unlike bnc_str_ifind()", (long)diff, 0);
}

int
main(void)
{
	test_next_plain();
	test_normalise_plain();
	test_find();
	test_normalise();
	test_next();
	test_daemon();
	return h_done("test_address");
}

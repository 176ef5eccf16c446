/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_mime.c - src/mail/mime.c: the flat part list of a MIME tree
 * (RFC 2045, 2046): nested multiparts, the depth and part limits, a
 * boundary that never closes or never appears, message/rfc822 entered
 * with in_message set, text/rfc822-headers, transfer and charset
 * decoding of text parts; and the Content-Type helpers.
 */
#include <stdint.h>
#include <stdlib.h>

#include "bouncer.h"
#include "harness.h"
#include "mail/header.h"
#include "mail/mime.h"
#include "util/limits.h"

struct want_part {
	const char *type;
	unsigned depth, in_message;
	const char *body;	/* NULL: not checked */
	const char *header;	/* "Name: value" expected in headers, or NULL */
};

struct row {
	const char *name;
	const char *msg;
	unsigned mime_depth, mime_parts;	/* 0: defaults */
	unsigned anomalies;
	size_t n;
	struct want_part p[8];
};

static const struct row rows[] = {
	{ "single text part",
	    "Content-Type: text/plain; charset=us-ascii\n\nhello\n",
	    0, 0, 0, 1, { { "text/plain", 0, 0, "hello\n", NULL } } },
	{ "no content-type",
	    "Subject: x\n\nhello\n",
	    0, 0, 0, 1, { { "text/plain", 0, 0, "hello\n", NULL } } },
	{ "nested multipart",
	    "Content-Type: multipart/mixed; boundary=\"outer\"\n\n"
	    "preamble\n"
	    "--outer\n"
	    "Content-Type: multipart/alternative; boundary=inner\n\n"
	    "--inner\n"
	    "Content-Type: text/plain\n\n"
	    "plain text\n"
	    "--inner\n"
	    "Content-Type: text/html\n\n"
	    "<p>html</p>\n"
	    "--inner--\n"
	    "--outer\n"
	    "Content-Type: text/plain\n\n"
	    "second\n"
	    "--outer--\n"
	    "epilogue\n",
	    0, 0, 0, 3, {
		{ "text/plain", 2, 0, "plain text", NULL },
		{ "text/html", 2, 0, "<p>html</p>", NULL },
		{ "text/plain", 1, 0, "second", NULL } } },
	{ "boundary that never closes",
	    "Content-Type: multipart/mixed; boundary=b\n\n"
	    "--b\n"
	    "Content-Type: text/plain\n\n"
	    "one\n"
	    "--b\n"
	    "Content-Type: text/plain\n\n"
	    "two, to the end\n",
	    0, 0, 0, 2, {
		{ "text/plain", 1, 0, "one", NULL },
		{ "text/plain", 1, 0, "two, to the end", NULL } } },
	{ "boundary that never appears",
	    "Content-Type: multipart/mixed; boundary=nowhere\n\n"
	    "just text, no parts\n",
	    0, 0, 0, 1, {
		{ "text/plain", 0, 0, "just text, no parts\n", NULL } } },
	{ "multipart without boundary parameter",
	    "Content-Type: multipart/mixed\n\n"
	    "--x\nsome text\n",
	    0, 0, 0, 1, { { "text/plain", 0, 0, "--x\nsome text\n", NULL } } },
	{ "message/rfc822 entered",
	    "Content-Type: multipart/report; report-type=delivery-status;"
	    " boundary=\"r\"\n\n"
	    "--r\n"
	    "Content-Type: text/plain\n\n"
	    "bounce text\n"
	    "--r\n"
	    "Content-Type: message/delivery-status\n\n"
	    "Reporting-MTA: dns; mx.example.net\n"
	    "--r\n"
	    "Content-Type: message/rfc822\n\n"
	    "Message-ID: <m1@example.com>\n"
	    "Subject: the original\n"
	    "Content-Type: text/plain\n\n"
	    "original body\n"
	    "--r--\n",
	    0, 0, 0, 4, {
		{ "text/plain", 1, 0, "bounce text", NULL },
		{ "message/delivery-status", 1, 0,
		    "Reporting-MTA: dns; mx.example.net", NULL },
		{ "message/rfc822", 1, 0, NULL,
		    "Message-ID: <m1@example.com>" },
		{ "text/plain", 2, 1, "original body", NULL } } },
	{ "message/rfc822 holding a multipart",
	    "Content-Type: message/rfc822\n\n"
	    "Subject: inner\n"
	    "Content-Type: multipart/mixed; boundary=i\n\n"
	    "--i\n"
	    "Content-Type: text/plain\n\n"
	    "a\n"
	    "--i\n"
	    "Content-Type: message/rfc822\n\n"
	    "Subject: innermost\n\n"
	    "b\n"
	    "--i--\n",
	    0, 0, 0, 4, {
		{ "message/rfc822", 0, 0, NULL, "Subject: inner" },
		{ "text/plain", 2, 1, "a", NULL },
		{ "message/rfc822", 2, 1, NULL, "Subject: innermost" },
		{ "text/plain", 3, 2, "b", NULL } } },
	{ "text/rfc822-headers",
	    "Content-Type: multipart/report; boundary=h\n\n"
	    "--h\n"
	    "Content-Type: text/rfc822-headers\n\n"
	    "Message-ID: <m2@example.com>\n"
	    "List-Id: Weekly <weekly.example.com>\n"
	    "--h--\n",
	    0, 0, 0, 1, {
		{ "text/rfc822-headers", 1, 0, NULL,
		    "List-Id: Weekly <weekly.example.com>" } } },
	{ "base64 text part decoded",
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: base64\n\n"
	    "NTUwIDUuMS4xIHVzZXIgdW5rbm93bg==\n",
	    0, 0, 0, 1, {
		{ "text/plain", 0, 0, "550 5.1.1 user unknown", NULL } } },
	{ "qp latin-1 part to utf-8",
	    "Content-Type: text/plain; charset=\"iso-8859-1\"\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n"
	    "Bo=EEte pleine=\n !\n",
	    0, 0, 0, 1, {
		{ "text/plain", 0, 0, "Bo\xc3\xaete pleine !\n", NULL } } },
	{ "bad base64 flagged",
	    "Content-Type: text/plain\n"
	    "Content-Transfer-Encoding: base64\n\n"
	    "aGVs*bG8=\n",
	    0, 0, BNC_ANOMALY_BAD_ENCODING, 1, {
		{ "text/plain", 0, 0, "hello", NULL } } },
	{ "attachment kept as it came, its broken base64 no anomaly",
	    "Content-Type: multipart/mixed; boundary=b\n\n"
	    "--b\n"
	    "Content-Type: text/plain\n"
	    "Content-Transfer-Encoding: base64\n\n"
	    "aGVsbG8=\n"
	    "--b\n"
	    "Content-Type: application/octet-stream\n"
	    "Content-Transfer-Encoding: base64\n\n"
	    "aGVs*bG8=\n"
	    "--b--\n",
	    0, 0, 0, 2, {
		{ "text/plain", 1, 0, "hello", NULL },
		{ "application/octet-stream", 1, 0, "aGVs*bG8=", NULL } } },
	{ "depth limit",
	    "Content-Type: multipart/mixed; boundary=d1\n\n"
	    "--d1\n"
	    "Content-Type: multipart/mixed; boundary=d2\n\n"
	    "--d2\n"
	    "Content-Type: multipart/mixed; boundary=d3\n\n"
	    "--d3\n"
	    "Content-Type: text/plain\n\n"
	    "deep\n"
	    "--d3--\n"
	    "--d2--\n"
	    "--d1\n"
	    "Content-Type: text/plain\n\n"
	    "shallow\n"
	    "--d1--\n",
	    2, 0, BNC_ANOMALY_MIME_DEPTH, 1, {
		{ "text/plain", 1, 0, "shallow", NULL } } },
	{ "depth limit through message/rfc822",
	    "Content-Type: message/rfc822\n\n"
	    "Content-Type: message/rfc822\n\n"
	    "Content-Type: message/rfc822\n\n"
	    "Subject: too deep\n\nx\n",
	    2, 0, BNC_ANOMALY_MIME_DEPTH, 3, {
		{ "message/rfc822", 0, 0, NULL, NULL },
		{ "message/rfc822", 1, 1, NULL, NULL },
		{ "message/rfc822", 2, 2, NULL, "Subject: too deep" } } },
	{ "parts limit",
	    "Content-Type: multipart/mixed; boundary=p\n\n"
	    "--p\n\none\n"
	    "--p\n\ntwo\n"
	    "--p\n\nthree\n"
	    "--p--\n",
	    0, 2, BNC_ANOMALY_MIME_PARTS, 2, {
		{ "text/plain", 1, 0, "one", NULL },
		{ "text/plain", 1, 0, "two", NULL } } },
};

static void
check_header(const char *name, const struct bnc_headers *h, const char *want)
{
	const char *colon = strchr(want, ':');
	char field[64];
	size_t n = (size_t)(colon - want);

	memcpy(field, want, n);
	field[n] = '\0';
	CHECK_VIEW(name, field, bnc_headers_get(h, field), colon + 2);
}

static void
test_walk(void)
{
	size_t i, k;

	for (i = 0; i < H_NELEM(rows); i++) {
		const struct row *r = &rows[i];
		struct bnc_limits l = { .mime_depth = r->mime_depth,
		    .mime_parts = r->mime_parts };
		struct bnc_arena a;
		struct bnc_headers top;
		struct bnc_str body;
		struct bnc_mime m;
		int rc;

		bnc_limits_resolve(&l);
		bnc_arena_init(&a, 0);
		rc = bnc_headers_parse(&top, &a, bnc_str_c(r->msg), &body,
		    l.header_size);
		CHECK_INT(r->name, "headers rc", rc, 0);
		rc = bnc_mime_walk(&m, &a, &top, body, &l);
		CHECK_INT(r->name, "walk rc", rc, 0);
		CHECK_INT(r->name, "anomalies", m.anomalies, r->anomalies);
		CHECK_INT(r->name, "parts", m.n, r->n);
		for (k = 0; k < m.n && k < r->n; k++) {
			const struct bnc_part *p = &m.parts[k];
			const struct want_part *w = &r->p[k];
			char name[96];

			snprintf(name, sizeof(name), "%s, part %zu", r->name, k);
			CHECK_STR(name, "type", p->type, w->type);
			CHECK_INT(name, "depth", p->depth, w->depth);
			CHECK_INT(name, "in_message", p->in_message,
			    w->in_message);
			if (w->body)
				CHECK_VIEW(name, "body", p->body, w->body);
			if (w->header)
				check_header(name, &p->headers, w->header);
		}
		bnc_arena_deinit(&a);
	}
}

static void
test_ct(void)
{
	static const struct {
		const char *name, *ct, *type, *param, *value;
	} rows2[] = {
		{ "simple", "text/plain", "text/plain", "charset", NULL },
		{ "case folded", "Text/HTML; Charset=UTF-8", "text/html",
		    "charset", "UTF-8" },
		{ "quoted", "multipart/report; report-type=delivery-status;\n"
		    "\tboundary=\"a b;c\"", "multipart/report", "boundary",
		    "a b;c" },
		{ "second parameter", "multipart/report; report-type=feedback-report;"
		    " boundary=xyz", "multipart/report", "report-type",
		    "feedback-report" },
		{ "suffix of a name is no match", "multipart/report; "
		    "report-type=x", "multipart/report", "type", NULL },
		{ "spaces around =", "text/plain; charset = iso-8859-1 ",
		    "text/plain", "charset", "iso-8859-1" },
		{ "comment after type", "text/plain (plain text)",
		    "text/plain", "charset", NULL },
		{ "no subtype", "text", "text/plain", "charset", NULL },
		{ "empty", "", "text/plain", "charset", NULL },
		{ "semicolon in quotes is no separator",
		    "text/plain; name=\"a;charset=x\"", "text/plain", "charset",
		    NULL },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows2); i++) {
		char type[48];
		struct bnc_str ct = bnc_str_c(rows2[i].ct);

		bnc_ct_type(ct, type, sizeof(type));
		CHECK_STR(rows2[i].name, "type", type, rows2[i].type);
		CHECK_VIEW(rows2[i].name, rows2[i].param,
		    bnc_ct_param(ct, rows2[i].param), rows2[i].value);
	}
	/* A type longer than the buffer is cut, never overrun. */
	{
		char small[16];
		bnc_ct_type(bnc_str_c("application/x-very-long"), small,
		    sizeof(small));
		CHECK_STR("type cut to buffer", "type", small,
		    "application/x-v");
	}
}

/* bnc_part_kind() of every kind's type, and of types one byte off. */
static void
test_kind(void)
{
	static const struct {
		const char *type;
		enum bnc_part_kind want;
	} kinds[] = {
		{ "text/plain", BNC_PART_TEXT_PLAIN },
		{ "text/enriched", BNC_PART_TEXT_ENRICHED },
		{ "text/html", BNC_PART_TEXT_HTML },
		{ "message/rfc822", BNC_PART_RFC822 },
		{ "text/rfc822-headers", BNC_PART_RFC822_HEADERS },
		{ "message/delivery-status", BNC_PART_DSN },
		{ "message/global-delivery-status", BNC_PART_GLOBAL_DSN },
		{ "message/feedback-report", BNC_PART_FEEDBACK },
		{ "text/plaim", BNC_PART_OTHER },
		{ "text/htm", BNC_PART_OTHER },
		{ "text/htmlx", BNC_PART_OTHER },
		{ "message/delivery-statuz", BNC_PART_OTHER },
		{ "message/feedback-reporx", BNC_PART_OTHER },
		{ "message/global-delivery-statu", BNC_PART_OTHER },
		{ "message/global", BNC_PART_OTHER },
		{ "application/pdf", BNC_PART_OTHER },
		{ "", BNC_PART_OTHER },
	};
	size_t i;

	for (i = 0; i < H_NELEM(kinds); i++)
		CHECK_INT(kinds[i].type, "kind", bnc_part_kind(kinds[i].type),
		    kinds[i].want);
}

/* bnc_ct_param() the plain way, a byte at a time: what the version
 * that steps over plain bytes must agree with. */
static struct bnc_str
ct_param_plain(struct bnc_str ct, const char *name)
{
	size_t nlen = strlen(name), i = 0;
	bool quoted = false;

	while (i < ct.len) {
		char c = ct.ptr[i];
		if (c == '"') {
			quoted = !quoted;
			i++;
			continue;
		}
		if (!quoted && (c == ';' || bnc_is_space((unsigned char)c))) {
			size_t j = i + 1, k;
			while (j < ct.len && bnc_is_space((unsigned char)ct.ptr[j]))
				j++;
			if (j + nlen < ct.len &&
			    bnc_str_istarts(bnc_str_from(ct, j), name)) {
				k = j + nlen;
				while (k < ct.len && bnc_is_space((unsigned char)ct.ptr[k]))
					k++;
				if (k < ct.len && ct.ptr[k] == '=') {
					size_t st;
					k++;
					while (k < ct.len &&
					    bnc_is_space((unsigned char)ct.ptr[k]))
						k++;
					if (k < ct.len && ct.ptr[k] == '"') {
						st = ++k;
						while (k < ct.len && ct.ptr[k] != '"')
							k++;
						return bnc_str_make(ct.ptr + st,
						    k - st);
					}
					st = k;
					while (k < ct.len && ct.ptr[k] != ';' &&
					    !bnc_is_space((unsigned char)ct.ptr[k]))
						k++;
					return bnc_str_make(ct.ptr + st, k - st);
				}
			}
		}
		i++;
	}
	return BNC_STR_NULL;
}

static struct h_rng rng = { 0x9e3779b97f4a7c15ull };

/* bnc_ct_param() against the plain scan on generated Content-Type
 * values: names, '=', quotes, ';' and every kind of white space, at
 * every length around the 16-byte steps. */
static void
test_ct_param_plain(void)
{
	static const char *const piece[] = { "multipart/report", "text/plain",
		";", "; ", " ", "\t", "\n", "\r", "\v", "\f", "=", " = ", "\"",
		"boundary", "BOUNDARY", "charset", "Charset", "report-type",
		"delivery-status", "=_Part_1", "----=_x", "utf-8", "a;b",
		"\xe9", "\x80", "(comment)", "name", "x" };
	static const char *const names[] = { "boundary", "charset",
		"report-type", "type" };
	char buf[256];
	unsigned i, diff = 0;

	for (i = 0; i < 100000; i++) {
		size_t n = 0;
		unsigned k, parts = h_rnd(&rng, 16);
		struct bnc_str ct, got, want;
		const char *name = names[h_rnd(&rng, H_NELEM(names))];
		for (k = 0; k < parts; k++) {
			const char *p = piece[h_rnd(&rng, H_NELEM(piece))];
			size_t l = strlen(p);
			if (n + l >= sizeof(buf))
				break;
			memcpy(buf + n, p, l);
			n += l;
		}
		ct = bnc_str_make(buf, n);
		got = bnc_ct_param(ct, name);
		want = ct_param_plain(ct, name);
		if ((got.ptr != want.ptr || got.len != want.len) &&
		    diff++ < 5) {
			buf[n] = '\0';
			CHECK_INT(buf, "offset", got.ptr ? got.ptr - buf : -1,
			    want.ptr ? want.ptr - buf : -1);
			CHECK_INT(buf, "length", got.len, want.len);
		}
	}
	CHECK_INT("bnc_ct_param", "answers unlike the plain scan", diff, 0);
}

/* bnc_ct_type() against bnc_ct_type_plain() on generated values (case,
 * white space, ';', '(', 8-bit bytes, long types, no '/') at every
 * length around the 16-byte steps, into buffers of every size from 1
 * to 48; each value in a buffer of its exact size, so the sanitizer
 * builds catch a read past it. */
static void
test_ct_type_plain(void)
{
	static const char *const piece[] = { "multipart/", "Multipart/",
		"text/", "TEXT/", "message/", "report", "Plain", "RFC822",
		"delivery-status", "x-very-long-subtype-name", "/", ";", " ",
		"\t", "\n", "\r", "\v", "\f", "(", ")", "\xe9", "\x80", "\xc1",
		"a", "Z", "@", "[", "`", "{", "-", "0" };
	char buf[300];
	unsigned i, diff = 0;

	for (i = 0; i < 100000; i++) {
		size_t n = 0, size = 1 + h_rnd(&rng, 48), lg, lw;
		unsigned k, parts = h_rnd(&rng, 10);
		char got[48], want[48], *in;
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
		memset(got, 0x55, sizeof(got));
		memset(want, 0x55, sizeof(want));
		lg = bnc_ct_type(bnc_str_make(in, n), got, size);
		lw = bnc_ct_type_plain(bnc_str_make(in, n), want, size);
		if ((lg != lw || strcmp(got, want) != 0 ||
		    lw != strlen(want) || memcmp(got + size, want + size,
		    sizeof(got) - size) != 0) && diff++ < 5) {
			buf[n] = '\0';
			CHECK_STR(buf, "type", got, want);
			CHECK_INT(buf, "length", lg, lw);
		}
		free(in);
	}
	CHECK_INT("bnc_ct_type", "types unlike the plain scan", diff, 0);
}

int
main(void)
{
	test_ct_type_plain();
	test_kind();
	test_ct_param_plain();
	test_walk();
	test_ct();
	return h_done("test_mime");
}

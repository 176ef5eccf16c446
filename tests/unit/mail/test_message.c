/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_message.c - src/mail/message.c: loading a message. The LF, CRLF
 * and bare-CR versions of one message must parse to identical results;
 * NUL bytes become spaces; the message_size limit cuts and flags.
 */
#include <stdlib.h>

#include "bouncer.h"
#include "harness.h"
#include "mail/message.h"
#include "util/limits.h"

static const char lf_msg[] =
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n"
    "To: bounces@example.com\n"
    "Subject: =?UTF-8?Q?Undelivered_Mail?=\n"
    " Returned to Sender\n"
    "Content-Type: multipart/report; report-type=delivery-status;\n"
    "\tboundary=\"b1\"\n"
    "\n"
    "--b1\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
    "<a@example.org>: host mx.example.org[192.0.2.5] said: 550 5.1.1=\n"
    " user unknown\n"
    "\n"
    "--b1\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mx.example.net\n"
    "\n"
    "Final-Recipient: rfc822; a@example.org\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "\n"
    "--b1\n"
    "Content-Type: text/rfc822-headers\n"
    "\n"
    "Message-ID: <orig@example.com>\n"
    "\n"
    "--b1--\n";

/* Copy `in` with every LF written as `eol`; caller frees. */
static char *
with_eol(const char *in, const char *eol, size_t *len)
{
	size_t n = 0, el = strlen(eol), i;
	char *out = malloc(strlen(in) * el + 1);

	for (i = 0; in[i]; i++) {
		if (in[i] == '\n') {
			memcpy(out + n, eol, el);
			n += el;
		} else {
			out[n++] = in[i];
		}
	}
	out[n] = '\0';
	*len = n;
	return out;
}

static void
same_view(const char *name, const char *what, struct bnc_str got,
    struct bnc_str want)
{
	char buf[4096];

	if (got.len == want.len && (want.len == 0 ||
	    memcmp(got.ptr, want.ptr, want.len) == 0)) {
		CHECK_TRUE(name, what, true);
		return;
	}
	snprintf(buf, sizeof(buf), "%.*s", (int)want.len, want.ptr);
	CHECK_VIEW(name, what, got, buf);
}

static void
compare(const char *name, const struct bnc_message *got,
    const struct bnc_message *want)
{
	size_t i;

	same_view(name, "raw", got->raw, want->raw);
	same_view(name, "body", got->body, want->body);
	same_view(name, "subject", got->subject, want->subject);
	same_view(name, "from", got->from, want->from);
	CHECK_INT(name, "anomalies", got->anomalies, want->anomalies);
	CHECK_INT(name, "headers", got->headers.n, want->headers.n);
	for (i = 0; i < got->headers.n && i < want->headers.n; i++) {
		same_view(name, "header name", got->headers.v[i].name,
		    want->headers.v[i].name);
		same_view(name, "header value",
		    bnc_header_value(&got->headers, i),
		    bnc_header_value(&want->headers, i));
	}
	CHECK_INT(name, "parts", got->mime.n, want->mime.n);
	for (i = 0; i < got->mime.n && i < want->mime.n; i++) {
		CHECK_STR(name, "part type", got->mime.parts[i].type,
		    want->mime.parts[i].type);
		CHECK_INT(name, "part depth", got->mime.parts[i].depth,
		    want->mime.parts[i].depth);
		same_view(name, "part body", got->mime.parts[i].body,
		    want->mime.parts[i].body);
	}
}

static void
test_line_ends(void)
{
	static const struct {
		const char *name, *eol;
	} rows[] = {
		{ "CRLF", "\r\n" },
		{ "bare CR", "\r" },
		{ "LF", "\n" },
	};
	struct bnc_limits l = { .message_size = 0 };
	struct bnc_arena a0;
	struct bnc_message ref;
	size_t i;

	bnc_limits_resolve(&l);
	bnc_arena_init(&a0, 0);
	CHECK_INT("LF reference", "rc", bnc_message_load(&ref, &a0, lf_msg,
	    strlen(lf_msg), &l), 0);
	/* The reference itself must be what we think it is. */
	CHECK_VIEW("LF reference", "subject", ref.subject,
	    "Undelivered Mail Returned to Sender");
	CHECK_INT("LF reference", "headers", ref.headers.n, 4);
	CHECK_INT("LF reference", "parts", ref.mime.n, 3);
	if (ref.mime.n == 3) {
		CHECK_VIEW("LF reference", "qp part", ref.mime.parts[0].body,
		    "<a@example.org>: host mx.example.org[192.0.2.5] said: "
		    "550 5.1.1 user unknown\n");
		CHECK_STR("LF reference", "dsn part type", ref.mime.parts[1].type,
		    "message/delivery-status");
		CHECK_VIEW("LF reference", "orig Message-ID",
		    bnc_headers_get(&ref.mime.parts[2].headers, "Message-ID"),
		    "<orig@example.com>");
	}

	for (i = 0; i < H_NELEM(rows); i++) {
		struct bnc_arena a;
		struct bnc_message m;
		size_t len;
		char *copy = with_eol(lf_msg, rows[i].eol, &len);

		bnc_arena_init(&a, 0);
		CHECK_INT(rows[i].name, "rc", bnc_message_load(&m, &a, copy, len,
		    &l), 0);
		compare(rows[i].name, &m, &ref);
		bnc_arena_deinit(&a);
		free(copy);
	}

	/* Mixed line ends in one message read the same too. */
	{
		static const char mixed[] = "Subject: x\r\nTo: a@example.com\r"
		    "From: b@example.org\n\r\nbody\rline\r\n";
		struct bnc_arena a;
		struct bnc_message m;

		bnc_arena_init(&a, 0);
		CHECK_INT("mixed", "rc", bnc_message_load(&m, &a, mixed,
		    strlen(mixed), &l), 0);
		CHECK_INT("mixed", "headers", m.headers.n, 3);
		CHECK_VIEW("mixed", "body", m.body, "body\nline\n");
		bnc_arena_deinit(&a);
	}
	bnc_arena_deinit(&a0);
}

static void
test_nul_and_limit(void)
{
	static const char nul[] = "Subject: a\0b\n\nbo\0dy";
	struct bnc_limits l = { .message_size = 0 };
	struct bnc_arena a;
	struct bnc_message m;

	bnc_limits_resolve(&l);
	bnc_arena_init(&a, 0);
	CHECK_INT("NUL bytes", "rc", bnc_message_load(&m, &a, nul,
	    sizeof(nul) - 1, &l), 0);
	CHECK_VIEW("NUL bytes", "subject", m.subject, "a b");
	CHECK_VIEW("NUL bytes", "body", m.body, "bo dy");
	CHECK_INT("NUL bytes", "anomalies", m.anomalies, 0);
	bnc_arena_deinit(&a);

	l.message_size = 20;
	bnc_arena_init(&a, 0);
	CHECK_INT("message_size", "rc", bnc_message_load(&m, &a, lf_msg,
	    strlen(lf_msg), &l), 0);
	CHECK_INT("message_size", "raw.len", m.raw.len, 20);
	CHECK_INT("message_size", "anomalies", m.anomalies,
	    BNC_ANOMALY_TRUNCATED);
	bnc_arena_deinit(&a);

	/* Exactly at the limit is not truncated. */
	l.message_size = strlen(lf_msg);
	bnc_arena_init(&a, 0);
	CHECK_INT("message_size exact", "rc", bnc_message_load(&m, &a, lf_msg,
	    strlen(lf_msg), &l), 0);
	CHECK_INT("message_size exact", "anomalies", m.anomalies, 0);
	bnc_arena_deinit(&a);

	/* Empty input. */
	l.message_size = 0;
	bnc_limits_resolve(&l);
	bnc_arena_init(&a, 0);
	CHECK_INT("empty", "rc", bnc_message_load(&m, &a, "", 0, &l), 0);
	CHECK_INT("empty", "headers", m.headers.n, 0);
	CHECK_INT("empty", "parts", m.mime.n, 1);
	bnc_arena_deinit(&a);
}

int
main(void)
{
	test_line_ends();
	test_nul_and_limit();
	return h_done("test_message");
}

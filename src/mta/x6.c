/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * x6.c - an MTA we could not name ("There was an error sending your
 * mail", from mailer-daemon). The notice reads
 *
 *	We had trouble delivering your message. Full details follow:
 *
 *	Subject: 'hello'
 *	Date: 'Thu, 16 May 2024 10:00:00 +0000'
 *
 *	1 error(s):
 *
 *	SMTP Server <mx.example.net> rejected recipient <rcpt@example.net>
 *	(Error following RCPT command). It responded as follows: [550 5.1.1
 *	User unknown]
 *
 * one sentence per error; another form is "The following recipients
 * returned permanent errors: a@b, c@d. Reason: SMTP Server <H> refused
 * to accept your message (DATA), with the following error message:
 * [554 ...]". The server's reply is in brackets; the sentence names the
 * server and the command. Recognised by the first sentence.
 */
#include "../mail/address.h"
#include "mta.h"

static struct bnc_marker m_we_had_trouble_delivering =
    BNC_MARKER("We had trouble delivering your message. Full details follow");
static struct bnc_marker m_error_s = BNC_MARKER("error(s):");
BNC_MARKERS(x6, &m_we_had_trouble_delivering, &m_error_s);

static const char *
command_of(struct bnc_str s)
{
	static const char *const cmds[] = { "RCPT", "MAIL", "DATA", "EHLO",
		"HELO", NULL };
	const char *lp = memchr(s.ptr, '(', s.len);
	struct bnc_str in;
	size_t i;

	if (lp == NULL)
		return NULL;
	in = bnc_str_from(s, (size_t)(lp - s.ptr) + 1);
	if (bnc_str_istarts(in, "Error following "))
		in = bnc_str_from(in, 16);
	for (i = 0; cmds[i]; i++)
		if (bnc_str_istarts(in, cmds[i]))
			return cmds[i];
	return NULL;
}

/* "<mx.example.net>" after "SMTP Server ". */
static struct bnc_str
server_of(struct bnc_str s)
{
	long at = bnc_str_ifind(s, "SMTP Server <", 13);
	const char *gt;
	struct bnc_str h;

	if (at < 0)
		return BNC_STR_NULL;
	h = bnc_str_from(s, (size_t)at + 13);
	gt = memchr(h.ptr, '>', h.len);
	return gt ? bnc_str_make(h.ptr, (size_t)(gt - h.ptr)) : BNC_STR_NULL;
}

/* The server's reply: the last "[...]" of the sentence. */
static struct bnc_str
reply_of(struct bnc_str s)
{
	const char *lb = NULL, *rb;
	size_t i;

	for (i = 0; i < s.len; i++)
		if (s.ptr[i] == '[')
			lb = s.ptr + i;
	if (lb == NULL)
		return BNC_STR_NULL;
	rb = memchr(lb, ']', (size_t)(s.ptr + s.len - lb));
	if (rb == NULL)
		rb = s.ptr + s.len;
	return bnc_str_trim(bnc_str_make(lb + 1, (size_t)(rb - lb - 1)));
}

static int
add_error(struct bnc_facts *f, struct bnc_decode *d, struct bnc_str s)
{
	struct bnc_str who = s, addr;
	const char *cmd = command_of(s);
	size_t pos = 0;
	long at;
	int rc;

	/* Whose error: the list after "permanent errors:" up to
	 * "Reason:", or the recipient the server rejected. */
	if ((at = bnc_str_ifind(s, "errors:", 7)) >= 0) {
		long end;
		who = bnc_str_from(s, (size_t)at + 7);
		if ((end = bnc_str_ifind(who, "Reason:", 7)) >= 0)
			who.len = (size_t)end;
	} else if ((at = bnc_str_ifind(s, "recipient <", 11)) >= 0)
		who = bnc_str_from(s, (size_t)at + 10);
	else
		return 0;
	while ((addr = bnc_addr_next(who, &pos)).len) {
		struct bnc_rcpt_facts *r;
		if ((rc = bnc_facts_rcpt(&r, f, d->a, addr)) < 0)
			return rc;
		if (r == NULL)
			break;
		r->diagnostic = reply_of(s);
		if (r->diagnostic.len == 0)
			r->diagnostic = s;
		r->context = s;
		r->remote_mta = server_of(s);
		if (cmd != NULL)
			r->smtp_command = bnc_str_c(cmd);
		r->action = bnc_str_c(bnc_str_icontains(s, "temporary") ?
		    "delayed" : "failed");
		/* "recipient <a@b>" names one address. */
		if (bnc_str_istarts(who, "<"))
			break;
	}
	return 0;
}

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str rest, line, t;
	const char *from = NULL, *to = NULL;
	size_t i;
	int rc;

	if (!bnc_text_has(d, &m_we_had_trouble_delivering))
		return 0;
	rest = bnc_text_after_marker(d, &m_error_s);
	if (rest.ptr == NULL)
		return 0;
	/* One error a paragraph. */
	for (;;) {
		bool end = rest.len == 0;
		if (!end) {
			line = bnc_str_line(rest, &rest);
			t = bnc_str_trim(line);
			end = bnc_str_istarts(t, "The attachment contains");
		}
		if (from != NULL && (end || t.len == 0)) {
			struct bnc_str s = bnc_text_squeeze(d->a,
			    bnc_str_make(from, (size_t)(to - from)));
			if ((rc = add_error(f, d, s)) < 0)
				return rc;
			from = NULL;
		}
		if (end)
			break;
		if (t.len == 0)
			continue;
		if (from == NULL)
			from = t.ptr;
		to = t.ptr + t.len;
	}
	for (i = 0; i < f->n; i++)
		bnc_rcpt_fill_from_diagnostic(&f->r[i], d->a);
	return f->n > 0;
}

BNC_WHEN(x6, BNC_IF_TEXT(&m_we_had_trouble_delivering), BNC_AND,
    BNC_IF_TEXT(&m_error_s));
BNC_DECODER(x6, BNC_ORDER_FORMAT, decode);

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * yahoo.c - Yahoo! Mail's own notices (Yahoo, AOL and Yahoo! JAPAN), a
 * plain text in the manner of qmail:
 *
 *	Sorry, we were unable to deliver your message to the following
 *	address.
 *
 *	<rcpt@example.com>:
 *	Remote host said: 550 5.1.1 <rcpt@example.com>... User Unknown
 *	[RCPT_TO]
 *
 *	--- Below this line is a copy of the message.
 *
 * The reply may be split over lines, or written "550: ..." without
 * "Remote host said:"; a mailer's own error is one sentence ("No mx record
 * found for domain=..."). The bracketed tag names the SMTP command that
 * was refused. Recognised by that first sentence together with Yahoo's
 * own X-YMail header fields or a yahoo From.
 */
#include "../mail/address.h"
#include "mta.h"

static struct bnc_marker sorry = BNC_MARKER(
    "Sorry, we were unable to deliver your message to the following address");
BNC_MARKERS(yahoo, &sorry);

/* The command of a tag such as "[RCPT_TO]" or "[MAIL_FROM]". */
static const char *
tag_command(struct bnc_str tag)
{
	static const char *const cmds[] = { "RCPT", "MAIL", "DATA", "EHLO",
		"HELO", "STARTTLS", "AUTH", NULL };
	size_t i, n;

	for (i = 0; cmds[i]; i++) {
		n = strlen(cmds[i]);
		if (bnc_str_istarts(tag, cmds[i]) && (tag.len == n ||
		    tag.ptr[n] == '_'))
			return cmds[i];
	}
	return NULL;
}

/* Fill r from the lines after its "<addr>:" line: the reply without
 * "Remote host said:" and without the tag, which gives the command. */
static void
explain(struct bnc_rcpt_facts *r, struct bnc_arena *a, struct bnc_str block)
{
	struct bnc_str t = bnc_text_squeeze(a, block);
	const char *cmd = NULL;

	if (bnc_str_istarts(t, "Remote host said:"))
		t = bnc_str_trim(bnc_str_from(t, 17));
	if (t.len > 2 && t.ptr[t.len - 1] == ']') {
		const char *open = memrchr(t.ptr, '[', t.len);
		if (open != NULL) {
			struct bnc_str tag = bnc_str_make(open + 1,
			    (size_t)(t.ptr + t.len - open) - 2);
			if ((cmd = tag_command(tag)) != NULL)
				t = bnc_str_trim(bnc_str_make(t.ptr,
				    (size_t)(open - t.ptr)));
		}
	}
	/* Without a tag, a reply that names the recipient answered the
	 * RCPT TO that named it. */
	if (cmd == NULL && bnc_str_ifind(t, r->recipient.ptr,
	    r->recipient.len) >= 0)
		cmd = "RCPT";
	r->diagnostic = t;
	r->action = bnc_str_c("failed");
	if (cmd)
		r->smtp_command = bnc_str_c(cmd);
	bnc_rcpt_fill_from_diagnostic(r, a);
}

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	const struct bnc_headers *h = &d->m->headers;
	struct bnc_rcpt_facts *r = NULL;
	struct bnc_str rest, line;
	const char *start = NULL;
	long at;

	if (!bnc_headers_has(h, "X-YMailISG") &&
	    !bnc_headers_has(h, "X-YMail-OSG") &&
	    !bnc_str_icontains(d->m->from, "yahoo"))
		return 0;
	if ((at = bnc_text_find(d, &sorry)) < 0)
		return 0;
	rest = bnc_str_from(d->text, (size_t)at);
	bnc_str_line(rest, &rest);
	while (rest.len) {
		struct bnc_str t;
		const char *here = rest.ptr;
		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		/* "<rcpt@example.com>:" starts the next recipient. */
		if (t.len > 4 && t.ptr[0] == '<' && bnc_str_iends(t, ">:") &&
		    memchr(t.ptr, '@', t.len) != NULL) {
			if (r != NULL)
				explain(r, d->a, bnc_str_make(start,
				    (size_t)(here - start)));
			r = bnc_facts_add(f, d->a);
			if (r == NULL)
				return f->truncated ? 1 : BNC_ENOMEM;
			r->recipient = bnc_addr_normalise(d->a, t);
			start = rest.ptr;
		}
	}
	if (r == NULL)
		return 0;
	explain(r, d->a, bnc_str_make(start, (size_t)(d->text.ptr +
	    d->text.len - start)));
	return 1;
}

BNC_WHEN(yahoo, BNC_IF_HEADER("X-YMailISG"), BNC_IF_HEADER("X-YMail-OSG"),
    BNC_IF_FROM("yahoo"), BNC_AND, BNC_IF_TEXT(&sorry));
BNC_DECODER(yahoo, BNC_ORDER_FORMAT, decode);

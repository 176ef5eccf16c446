/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * opensmtpd.c - OpenSMTPD's bounces (smtpd/bounce.c). The notice is a
 * fixed letter, indented four spaces, around an unindented list of the
 * recipients, one per line with its error:
 *
 *	    Hi!
 *
 *	    This is the MAILER-DAEMON, please DO NOT REPLY to this email.
 *
 *	    An error has occurred while attempting to deliver a message for
 *	    the following list of recipients:
 *
 *	rcpt@example.net: 550 5.1.1 <rcpt@example.net>: User unknown
 *
 *	    Below is a copy of the original message:
 *
 * The delay warning says "A message is delayed for more than N for the
 * following list of recipients:" and "this is only a temporary failure
 * report". The error is OpenSMTPD's own when no server answered
 * ("Domain does not exist", "Network error on destination MXs",
 * "Envelope expired"). An expired envelope has left the queue: whatever
 * the letter around it says, that recipient failed for good, and its
 * status is 5.4.7 (RFC 3463: delivery time expired). Since 5.x a
 * report part follows (Status, Action); its facts complete the text's.
 * Recognised by the letter's second sentence.
 */
#include "../mail/address.h"
#include "mta.h"

static struct bnc_marker m_this_is_the_mailer =
    BNC_MARKER("This is the MAILER-DAEMON, please DO NOT REPLY");
static struct bnc_marker m_only_a_temporary_failure =
    BNC_MARKER("only a temporary failure");
static struct bnc_marker m_a_message_is_delayed =
    BNC_MARKER("A message is delayed for more than");
static struct bnc_marker m_list_of_recipients =
    BNC_MARKER("list of recipients:");
BNC_MARKERS(opensmtpd, &m_this_is_the_mailer, &m_only_a_temporary_failure,
    &m_a_message_is_delayed, &m_list_of_recipients);

/* "rcpt@example.net: error" at the start of a line. */
static struct bnc_str
rcpt_line(struct bnc_str t, struct bnc_str *error)
{
	size_t i;

	for (i = 0; i < t.len; i++) {
		unsigned char c = (unsigned char)t.ptr[i];
		if (c == ':')
			break;
		if (bnc_is_space(c) || c == '<' || c == '>')
			return BNC_STR_NULL;
	}
	if (i == t.len || i < 3 || memchr(t.ptr, '@', i) == NULL)
		return BNC_STR_NULL;
	*error = bnc_str_trim(bnc_str_from(t, i + 1));
	return bnc_str_make(t.ptr, i);
}

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str rest, line, t, addr, error;
	bool delayed;
	size_t i;
	int rc;

	if (!bnc_text_has(d, &m_this_is_the_mailer))
		return 0;
	rest = bnc_text_after_marker(d, &m_list_of_recipients);
	if (rest.ptr == NULL)
		return 0;
	delayed = bnc_text_has(d, &m_only_a_temporary_failure) ||
	    bnc_text_has(d, &m_a_message_is_delayed);
	while (rest.len) {
		struct bnc_rcpt_facts *r;

		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		/* The letter goes on indented; the list is not. */
		if (t.len == 0 || line.ptr[0] == ' ' || line.ptr[0] == '\t')
			continue;
		addr = rcpt_line(t, &error);
		if (addr.len == 0)
			continue;
		if ((rc = bnc_facts_rcpt(&r, f, d->a, addr)) < 0)
			return rc;
		if (r == NULL)
			break;
		r->diagnostic = bnc_text_squeeze(d->a, error);
	}
	if (f->n == 0)
		return 0;
	for (i = 0; i < f->n; i++) {
		struct bnc_rcpt_facts *r = &f->r[i];
		bool expired = bnc_str_icontains(r->diagnostic,
		    "Envelope expired");

		r->context = d->text;
		r->action = bnc_str_c(delayed && !expired ? "delayed" :
		    "failed");
		bnc_rcpt_fill_from_diagnostic(r, d->a);
		if (expired && r->status.len == 0)
			r->status = bnc_str_c("5.4.7");
	}
	if ((rc = bnc_facts_merge_dsn(f, d)) < 0)
		return rc;
	return 1;
}

BNC_WHEN(opensmtpd, BNC_IF_TEXT(&m_this_is_the_mailer), BNC_AND,
    BNC_IF_TEXT(&m_list_of_recipients));
BNC_DECODER(opensmtpd, BNC_ORDER_FORMAT, decode);

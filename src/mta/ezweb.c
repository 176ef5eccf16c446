/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ezweb.c - au by KDDI's mobile mail (ezweb.ne.jp, au.com). The notice
 * ("Mail System Error - Returned Mail", from Postmaster@ezweb.ne.jp)
 * opens with Japanese sentences, then gives English ones that say what
 * happened, and the recipients:
 *
 *	The user(s) account is disabled.
 *	<rcpt@ezweb.ne.jp>
 *
 *	Each of the following recipients was rejected by a remote
 *	mail server.
 *	    Recipient: <rcpt@example.net>
 *	    >>> RCPT TO:<rcpt@example.net>
 *	    <<< 550 <rcpt@example.net>: User unknown
 *
 *	Your message was not delivered within 0 days and 1 hours.
 *	Remote host is not responding.
 *	The following recipients did not receive this message:
 *	<rcpt@ezweb.ne.jp>
 *
 * Newer notices are Postfix-made ("<rcpt>: 550 ... (in reply to RCPT TO
 * command)") with a report part. au's English sentences are its own
 * verdict: a disabled account is a suspended one (even when the server
 * answered "user unknown"), a message not delivered in time expired,
 * and a rejection by au's own servers with no reply quoted is the
 * recipient's reception filter. Recognised by the subject, the sender
 * or the "(EZweb Mail)" trace.
 */
#include "../mail/address.h"
#include "mta.h"

static struct bnc_marker m_account_is_disabled =
    BNC_MARKER("account is disabled");
static struct bnc_marker m_was_not_delivered_within =
    BNC_MARKER("was not delivered within");
static struct bnc_marker m_rejected_by_a_remote =
    BNC_MARKER("rejected by a remote");
BNC_MARKERS(ezweb, &m_account_is_disabled, &m_was_not_delivered_within,
    &m_rejected_by_a_remote);

static bool
is_ezweb(struct bnc_decode *d)
{
	struct bnc_str from = d->m->from;

	if (bnc_str_icontains(d->m->subject, "Mail System Error - Returned Mail"))
		return true;
	if (bnc_str_icontains(from, "@ezweb.ne.jp") ||
	    bnc_str_icontains(from, "@au.com"))
		return true;
	return bnc_received_has(d, "(EZweb Mail)");
}

/* The address of "<a@b>", "<a@b>: text" or "Recipient: <a@b>"; *lead
 * gets the text after the colon. */
static struct bnc_str
rcpt_line(struct bnc_str t, struct bnc_str *lead)
{
	const char *gt;

	*lead = BNC_STR_NULL;
	if (bnc_str_istarts(t, "Recipient:"))
		t = bnc_str_trim(bnc_str_from(t, 10));
	if (t.len < 5 || t.ptr[0] != '<' || t.ptr[1] == '<' ||
	    (gt = memchr(t.ptr, '>', t.len)) == NULL)
		return BNC_STR_NULL;
	if (gt + 1 < t.ptr + t.len) {
		if (gt[1] != ':')
			return BNC_STR_NULL;
		*lead = bnc_str_trim(bnc_str_from(t, (size_t)(gt - t.ptr) + 2));
	}
	return bnc_str_make(t.ptr + 1, (size_t)(gt - t.ptr) - 1);
}

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str rest = d->text, line, t, lead, explain = BNC_STR_NULL;
	struct bnc_rcpt_facts *r = NULL;
	const char *from = NULL, *to = NULL, *verdict = NULL;
	size_t i;
	int rc;

	if (!is_ezweb(d))
		return 0;
	while (rest.len) {
		struct bnc_str addr;

		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		if (bnc_str_istarts(t, "-----"))
			break;
		addr = rcpt_line(t, &lead);
		if (addr.len) {
			if (r != NULL && from != NULL)
				r->diagnostic = bnc_text_squeeze(d->a,
				    bnc_str_make(from, (size_t)(to - from)));
			if ((rc = bnc_facts_rcpt(&r, f, d->a, addr)) < 0)
				return rc;
			from = lead.len ? lead.ptr : NULL;
			to = lead.len ? lead.ptr + lead.len : NULL;
			continue;
		}
		if (t.len == 0) {
			if (r != NULL && from != NULL)
				r->diagnostic = bnc_text_squeeze(d->a,
				    bnc_str_make(from, (size_t)(to - from)));
			r = NULL;
			continue;
		}
		/* The transcript under "Recipient:" is its recipient's. */
		if (r != NULL && (bnc_str_istarts(t, ">>>") ||
		    bnc_str_istarts(t, "<<<") || from != NULL)) {
			if (from == NULL)
				from = t.ptr;
			to = t.ptr + t.len;
			continue;
		}
		r = NULL;
		/* An English sentence of au's own. */
		if (!bnc_is_alpha((unsigned char)t.ptr[0]))
			continue;
		if (explain.ptr == NULL)
			explain = t;
		explain.len = (size_t)(t.ptr + t.len - explain.ptr);
	}
	if (r != NULL && from != NULL)
		r->diagnostic = bnc_text_squeeze(d->a, bnc_str_make(from,
		    (size_t)(to - from)));
	if (f->n == 0)
		return 0;
	if (bnc_text_has(d, &m_account_is_disabled))
		verdict = "suspend";
	else if (bnc_text_has(d, &m_was_not_delivered_within))
		verdict = "expired";
	for (i = 0; i < f->n; i++) {
		r = &f->r[i];
		r->action = bnc_str_c("failed");
		r->context = d->text;
		if (r->diagnostic.len == 0)
			r->diagnostic = bnc_text_squeeze(d->a, explain);
		bnc_rcpt_fill_from_diagnostic(r, d->a);
		r->reason = verdict;
		/* Refused by au's own servers, no reply quoted. */
		if (verdict == NULL && r->reply_code.len == 0 &&
		    bnc_text_has(d, &m_rejected_by_a_remote))
			r->reason = "filtered";
	}
	if ((rc = bnc_facts_merge_dsn(f, d)) < 0)
		return rc;
	return 1;
}

BNC_WHEN(ezweb, BNC_IF_SUBJECT("Mail System Error - Returned Mail"),
    BNC_IF_FROM("@ezweb.ne.jp"), BNC_IF_FROM("@au.com"),
    BNC_IF_RECEIVED("(EZweb Mail)"));
BNC_DECODER(ezweb, BNC_ORDER_FORMAT, decode);

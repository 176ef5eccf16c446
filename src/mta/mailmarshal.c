/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mailmarshal.c - Trustwave (Marshal) MailMarshal SMTP's notices
 * ("Undeliverable Mail: \"subject\""):
 *
 *	Your message:
 *	   From:    sender@example.com
 *	   Subject: hello
 *
 *	Could not be delivered because of
 *
 *	550 5.1.1 User unknown
 *
 *	The following recipients were affected:
 *	    rcpt@example.net
 *
 *	Additional Information
 *	======================
 *	Original Sender:    <sender@example.com>
 *	Remote-MTA:         <192.0.2.1>
 *	Reporting-MTA:      <gw.example.com>
 *
 * One error for all the recipients listed. Recognised by the three
 * section sentences.
 */
#include "../mail/address.h"
#include "mta.h"

static struct bnc_marker m_could_not_be_delivered =
    BNC_MARKER("Could not be delivered because of");
static struct bnc_marker m_the_following_recipients_were =
    BNC_MARKER("The following recipients were affected");
BNC_MARKERS(mailmarshal, &m_could_not_be_delivered,
    &m_the_following_recipients_were);

/* The value of "Label:   <value>" in the additional information. */
static struct bnc_str
info(struct bnc_str text, const char *label)
{
	long at = bnc_str_ifind(text, label, strlen(label));
	struct bnc_str v;
	const char *nl;

	if (at < 0)
		return BNC_STR_NULL;
	v = bnc_str_from(text, (size_t)at + strlen(label));
	if ((nl = memchr(v.ptr, '\n', v.len)) != NULL)
		v.len = (size_t)(nl - v.ptr);
	v = bnc_str_trim(v);
	if (v.len >= 2 && v.ptr[0] == '<' && v.ptr[v.len - 1] == '>')
		v = bnc_str_make(v.ptr + 1, v.len - 2);
	return v;
}

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str error, list, rest, line, addr;
	size_t i;
	int rc;

	if (!bnc_text_has(d, &m_could_not_be_delivered) ||
	    !bnc_text_has(d, &m_the_following_recipients_were))
		return 0;
	error = bnc_text_after_marker(d, &m_could_not_be_delivered);
	error = bnc_text_until(error, "The following recipients were affected");
	list = bnc_text_after_marker(d, &m_the_following_recipients_were);
	list = bnc_text_until(list, "Additional Information");
	rest = list;
	while (rest.len) {
		struct bnc_rcpt_facts *r;
		line = bnc_str_line(rest, &rest);
		addr = bnc_line_address(line);
		if (addr.len == 0)
			continue;
		if ((rc = bnc_facts_rcpt(&r, f, d->a, addr)) < 0)
			return rc;
		if (r == NULL)
			break;
	}
	f->reporting_mta = info(d->text, "Reporting-MTA:");
	for (i = 0; i < f->n; i++) {
		struct bnc_rcpt_facts *r = &f->r[i];
		r->action = bnc_str_c("failed");
		r->context = d->text;
		r->diagnostic = bnc_text_squeeze(d->a, error);
		r->remote_mta = info(d->text, "Remote-MTA:");
		bnc_rcpt_fill_from_diagnostic(r, d->a);
	}
	return f->n > 0;
}

BNC_WHEN(mailmarshal, BNC_IF_TEXT(&m_could_not_be_delivered), BNC_AND,
    BNC_IF_TEXT(&m_the_following_recipients_were));
BNC_DECODER(mailmarshal, BNC_ORDER_FORMAT, decode);

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * x3.c - an MTA we could not name ("Mail Delivery System"
 * <Mail.Delivery.System@...>, "Delivery status notification"). Between
 * rule lines of '=':
 *
 *	      This is an automatically generated Delivery Status Notification.
 *
 *	Delivery to the following recipients failed permanently:
 *
 *	   * rcpt@example.net
 *
 *	                             Technical details:
 *
 *	SMTP:RCPT host 192.0.2.1: 553 5.3.0 <rcpt@example.net>... No such user
 *
 * (some versions write "Delevery"). "... was aborted after N hour(s):"
 * says the MTA gave up trying: the delivery time expired, whatever the
 * last error was. A technical detail "SMTP:CMD host H: reply" names the
 * command and the host that replied. Recognised by the first sentence
 * and the bulleted list.
 */
#include "../mail/address.h"
#include "mta.h"

static struct bnc_marker m_this_is_an_automatically = BNC_MARKER(
    "This is an automatically generated Delivery Status Notification");
static struct bnc_marker m_was_aborted_after = BNC_MARKER("was aborted after");
static struct bnc_marker m_to_the_following_recipients =
    BNC_MARKER("to the following recipients");
static struct bnc_marker m_technical_details = BNC_MARKER("Technical details:");
BNC_MARKERS(x3, &m_this_is_an_automatically, &m_was_aborted_after,
    &m_to_the_following_recipients, &m_technical_details);

/* "SMTP:RCPT host 192.0.2.1: ..." -> command and host. */
static void
smtp_detail(struct bnc_rcpt_facts *r, struct bnc_str t)
{
	static const char *const cmds[] = { "RCPT", "MAIL", "DATA", "EHLO",
		"HELO", "CONN", NULL };
	struct bnc_str h;
	size_t i;

	if (!bnc_str_istarts(t, "SMTP:"))
		return;
	t = bnc_str_from(t, 5);
	for (i = 0; cmds[i]; i++)
		if (bnc_str_istarts(t, cmds[i]))
			r->smtp_command = bnc_str_c(cmds[i]);
	h = bnc_str_from(t, 4);
	if (!bnc_str_istarts(h, " host "))
		return;
	h = bnc_str_from(h, 6);
	for (i = 0; i < h.len && h.ptr[i] != ':' && !bnc_is_space(
	    (unsigned char)h.ptr[i]); i++)
		;
	r->remote_mta = bnc_str_make(h.ptr, i);
}

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str rest, line, t, details;
	bool aborted;
	size_t i;
	int rc;

	if (!bnc_text_has(d, &m_this_is_an_automatically))
		return 0;
	rest = bnc_text_after_marker(d, &m_to_the_following_recipients);
	if (rest.ptr == NULL)
		return 0;
	aborted = bnc_text_has(d, &m_was_aborted_after);
	details = bnc_text_after_marker(d, &m_technical_details);
	details = bnc_text_until(details, "=====");
	while (rest.len) {
		struct bnc_rcpt_facts *r;
		struct bnc_str addr;

		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		if (bnc_str_istarts(t, "===="))
			break;
		if (!bnc_str_istarts(t, "* "))
			continue;
		addr = bnc_line_address(bnc_str_from(t, 2));
		if ((rc = bnc_facts_rcpt(&r, f, d->a, addr)) < 0)
			return rc;
		if (r == NULL)
			break;
	}
	for (i = 0; i < f->n; i++) {
		struct bnc_rcpt_facts *r = &f->r[i];
		struct bnc_str d1 = BNC_STR_NULL;

		/* The detail line that names the recipient, else (for one
		 * recipient) all of them. */
		rest = details;
		while (rest.len) {
			line = bnc_str_line(rest, &rest);
			t = bnc_str_trim(line);
			if (t.len && bnc_str_ifind(t, r->recipient.ptr,
			    r->recipient.len) >= 0) {
				d1 = t;
				break;
			}
		}
		if (d1.len == 0 && f->n == 1)
			d1 = details;
		r->diagnostic = bnc_text_squeeze(d->a, d1);
		smtp_detail(r, r->diagnostic);
		r->action = bnc_str_c("failed");
		r->context = d->text;
		bnc_rcpt_fill_from_diagnostic(r, d->a);
		if (aborted)
			r->reason = "expired";
	}
	if ((rc = bnc_facts_merge_dsn(f, d)) < 0)
		return rc;
	return f->n > 0;
}

BNC_WHEN(x3, BNC_IF_TEXT(&m_this_is_an_automatically), BNC_AND,
    BNC_IF_TEXT(&m_to_the_following_recipients));
BNC_DECODER(x3, BNC_ORDER_FORMAT, decode);

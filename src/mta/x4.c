/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * x4.c - a qmail-derived MTA we could not name: qmail's "<rcpt>:"
 * paragraphs under its own sentences,
 *
 *	Your mail message to the following address(es) could not be
 *	delivered. This is a permanent error. Please verify the addresses
 *	and try again. ...
 *
 *	<rcpt@example.net>:
 *	child status 100...The e-mail message could not be delivered
 *	because the user's mailfolder is full.
 *
 * ("child status 100" is qmail-local's exit status for a permanent
 * failure of a delivery program). Read by the qmail reader; recognised
 * by the first sentence.
 */
#include "mta.h"

static struct bnc_marker m_your_mail_message_to = BNC_MARKER(
    "Your mail message to the following address(es) could not be "
    "delivered");
BNC_MARKERS(x4, &m_your_mail_message_to);

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	if (!bnc_text_has(d, &m_your_mail_message_to))
		return 0;
	return bnc_qmail_read(f, d);
}

BNC_WHEN(x4, BNC_IF_TEXT(&m_your_mail_message_to));
BNC_DECODER(x4, BNC_ORDER_FORMAT, decode);

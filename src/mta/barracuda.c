/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * barracuda.c - the Barracuda Spam (& Virus) Firewall. Its notices have
 * the Subject "**Message you sent blocked by our bulk email filter**", a
 * text part (often base64) saying "Your message to: rcpt@example.net was
 * blocked by our Spam Firewall. The email you sent with the following
 * subject has NOT BEEN DELIVERED", and an RFC 3464 report whose reply is
 * the firewall's own ("550 5.7.1 Message content rejected, UBE, id=..."),
 * read by the RFC 3464 reader. The returned headers show "by host (Spam
 * Firewall)".
 */
#include "mta.h"

static struct bnc_marker m_blocked_by_our_spam =
    BNC_MARKER("blocked by our Spam Firewall");
static struct bnc_marker m_blocked_by_our_spam2 =
    BNC_MARKER("blocked by our Spam & Virus Firewall");
BNC_MARKERS(barracuda, &m_blocked_by_our_spam, &m_blocked_by_our_spam2);

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	if (!bnc_str_icontains(d->m->subject,
	    "Message you sent blocked by our bulk email filter") &&
	    !bnc_text_has(d, &m_blocked_by_our_spam) &&
	    !bnc_text_has(d, &m_blocked_by_our_spam2))
		return 0;
	return bnc_mta_rfc3464(f, d);
}

BNC_WHEN(barracuda, BNC_IF_SUBJECT(
    "Message you sent blocked by our bulk email filter"),
    BNC_IF_TEXT(&m_blocked_by_our_spam), BNC_IF_TEXT(&m_blocked_by_our_spam2),
    BNC_AND, BNC_IF_RFC3464);
BNC_DECODER(barracuda, BNC_ORDER_FORMAT, decode);

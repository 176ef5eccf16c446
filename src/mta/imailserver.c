/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * imailserver.c - Ipswitch IMail Server's notices ("Undeliverable
 * Mail", X-Mailer: <SMTP32 vN>). One line per recipient, a label of
 * IMail's own then the address:
 *
 *	Unknown user: rcpt@example.net
 *	User mailbox exceeds allowed size: rcpt@example.net
 *	Delivery failed 20 attempts: rcpt@example.net
 *
 * or, when the next server refused, "undeliverable to rcpt@example.net"
 * and its reply under "Body of message generated response:". Then
 * "Original message follows." The labels are IMail's verdict on its
 * own deliveries: an unknown user there is an unknown address. Other
 * labels ("words: address") are read too, their reason left to the
 * phrase table.
 * Recognised by the X-Mailer field of IMail's SMTP32.
 */
#include "../mail/address.h"
#include "mta.h"

static struct bnc_marker m_body_of_message_generated =
    BNC_MARKER("Body of message generated response:");
BNC_MARKERS(imailserver, &m_body_of_message_generated);

static const struct {
	const char *label;	/* lower case, up to the address */
	const char *reason;
} labels[] = {
	{ "unknown user:", "userunknown" },
	{ "user mailbox exceeds allowed size:", "mailboxfull" },
	{ "delivery failed ", "expired" },
	{ "undeliverable to ", NULL },
};

/* Another label of IMail's: words (two at least, so that no header
 * line of a copy counts) and a colon before the address. The offset
 * after the colon, or 0. */
static size_t
label_end(struct bnc_str t)
{
	size_t i, spaces = 0;

	for (i = 0; i < t.len && i < 80; i++) {
		unsigned char c = (unsigned char)t.ptr[i];
		if (c == ':')
			return spaces > 0 && i + 1 < t.len &&
			    t.ptr[i + 1] == ' ' ? i + 1 : 0;
		if (c == ' ')
			spaces++;
		else if (!bnc_is_alpha(c) && !bnc_is_digit(c) && c != '-')
			return 0;
	}
	return 0;
}

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str rest = d->text, line, t, response;
	size_t i, k;
	int rc;

	if (!bnc_str_istarts(bnc_str_trim(bnc_headers_get(&d->m->headers,
	    "X-Mailer")), "<SMTP32 v"))
		return 0;
	response = bnc_text_after_marker(d, &m_body_of_message_generated);
	while (rest.len) {
		struct bnc_rcpt_facts *r;
		struct bnc_str addr;
		const char *reason = NULL;
		size_t pos;
		bool reply = false;

		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		if (bnc_str_istarts(t, "Original message follows"))
			break;
		for (k = 0; k < sizeof(labels) / sizeof(labels[0]); k++)
			if (bnc_str_istarts(t, labels[k].label))
				break;
		if (k < sizeof(labels) / sizeof(labels[0])) {
			reason = labels[k].reason;
			reply = reason == NULL;
			pos = strlen(labels[k].label);
		} else if ((pos = label_end(t)) == 0)
			continue;
		/* The address ends the line. */
		addr = bnc_addr_next(t, &pos);
		if (addr.len == 0 || addr.ptr + addr.len + 1 < t.ptr + t.len)
			continue;
		if ((rc = bnc_facts_rcpt(&r, f, d->a, addr)) < 0)
			return rc;
		if (r == NULL)
			break;
		r->diagnostic = bnc_text_squeeze(d->a, t);
		if (reply && response.len) {
			/* The next server's reply is the error. */
			r->diagnostic = bnc_text_squeeze(d->a,
			    bnc_text_until(response, "Original message follows"));
		}
		r->reason = reason;
	}
	for (i = 0; i < f->n; i++) {
		struct bnc_rcpt_facts *r = &f->r[i];
		r->action = bnc_str_c("failed");
		r->context = d->text;
		bnc_rcpt_fill_from_diagnostic(r, d->a);
	}
	return f->n > 0;
}

BNC_WHEN(imailserver, BNC_IF_FIELD("X-Mailer", "<SMTP32 v"));
BNC_DECODER(imailserver, BNC_ORDER_FORMAT, decode);

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
 * own deliveries: an unknown user there is an unknown address.
 * Recognised by the X-Mailer field of IMail's SMTP32.
 */
#include "../mail/address.h"
#include "mta.h"

static const struct {
	const char *label;	/* lower case, up to the address */
	const char *reason;
} labels[] = {
	{ "unknown user:", "userunknown" },
	{ "user mailbox exceeds allowed size:", "mailboxfull" },
	{ "delivery failed ", "expired" },
	{ "undeliverable to ", NULL },
};

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str rest = d->text, line, t, response;
	size_t i, k;
	int rc;

	if (!bnc_str_istarts(bnc_str_trim(bnc_headers_get(&d->m->headers,
	    "X-Mailer")), "<SMTP32 v"))
		return 0;
	response = bnc_text_after(d->text, "Body of message generated response:");
	while (rest.len) {
		struct bnc_rcpt_facts *r;
		struct bnc_str addr;
		size_t pos;

		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		for (k = 0; k < sizeof(labels) / sizeof(labels[0]); k++)
			if (bnc_str_istarts(t, labels[k].label))
				break;
		if (k == sizeof(labels) / sizeof(labels[0]))
			continue;
		/* The address ends the line. */
		pos = strlen(labels[k].label);
		addr = bnc_addr_next(t, &pos);
		if (addr.len == 0)
			continue;
		if ((rc = bnc_facts_rcpt(&r, f, d->a, addr)) < 0)
			return rc;
		if (r == NULL)
			break;
		r->diagnostic = bnc_text_squeeze(d->a, t);
		if (labels[k].reason == NULL && response.len) {
			/* The next server's reply is the error. */
			r->diagnostic = bnc_text_squeeze(d->a,
			    bnc_text_until(response, "Original message follows"));
		}
		r->reason = labels[k].reason;
	}
	for (i = 0; i < f->n; i++) {
		struct bnc_rcpt_facts *r = &f->r[i];
		r->action = bnc_str_c("failed");
		r->context = d->text;
		bnc_rcpt_fill_from_diagnostic(r, d->a);
	}
	return f->n > 0;
}

BNC_DECODER(imailserver, BNC_ORDER_FORMAT, decode);

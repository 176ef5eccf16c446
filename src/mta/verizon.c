/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * verizon.c - Verizon Wireless's gateways. The MMS gateway (vzwpix.com)
 * writes "Message could not be delivered to mobile." and "Error: ...",
 * then the original's From/To/Subject under "Original Message:"; the
 * recipient is that To. The SMS gateway (vtext.com) writes "Error: ...",
 * the server's answer under "Error message below:", and the envelope
 * under "Message details:", where "RCPT TO: a@b" is the recipient.
 * Recognised by the sender's domain; it runs before Apache James (whose
 * notice the SMS gateway's borrows) so that the gateway's own "Error:"
 * line stays part of the diagnostic. The error begins at "Error" or
 * "Message could not": what comes before may be a MIME header the
 * gateway broke (a boundary parameter on an unindented line).
 */
#include "../mail/address.h"
#include "mta.h"

int
bnc_mta_verizon(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str from = d->m->from, rest = d->text, line, t;
	struct bnc_str rcpt = BNC_STR_NULL, to = BNC_STR_NULL;
	const char *start = NULL, *end = NULL;
	struct bnc_rcpt_facts *r;
	bool below = false, original = false;

	if (!bnc_str_icontains(from, "vzwpix.com") &&
	    !bnc_str_icontains(from, "vtext.com"))
		return 0;
	/* The error is the text up to the original's or the envelope's
	 * details. */
	while (rest.len) {
		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		if (bnc_str_istarts(t, "RCPT TO:"))
			rcpt = bnc_str_from(t, 8);
		else if (original && to.len == 0 && bnc_str_istarts(t, "To:"))
			to = bnc_str_from(t, 3);
		if (bnc_str_istarts(t, "Original Message:") ||
		    bnc_str_istarts(t, "Message details:"))
			original = below = true;
		if (below || t.len == 0)
			continue;
		if (start == NULL && (bnc_str_istarts(t, "Error") ||
		    bnc_str_istarts(t, "Message could not")))
			start = t.ptr;
		if (start == NULL)
			continue;
		end = t.ptr + t.len;
	}
	if (rcpt.len == 0)
		rcpt = to;
	rcpt = bnc_addr_normalise(d->a, rcpt);
	if (rcpt.len == 0)
		return 0;
	if ((r = bnc_facts_add(f, d->a)) == NULL)
		return BNC_ENOMEM;
	r->recipient = rcpt;
	r->action = bnc_str_c("failed");
	r->context = d->text;
	if (start != NULL)
		r->diagnostic = bnc_text_squeeze(d->a, bnc_str_make(start,
		    (size_t)(end - start)));
	bnc_rcpt_fill_from_diagnostic(r, d->a);
	return 1;
}

BNC_WHEN(verizon, BNC_IF_FROM("vzwpix.com"), BNC_IF_FROM("vtext.com"));
BNC_DECODER(verizon, 480, bnc_mta_verizon);

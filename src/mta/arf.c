/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arf.c - RFC 5965 abuse feedback reports (message/feedback-report), one
 * record per complained-about recipient: Original-Rcpt-To fields, else
 * the To of the returned message. Reports without a recipient still give
 * one record, with an empty recipient, so the complaint is not lost.
 */
#include "../dsn/dsn.h"
#include "../mail/address.h"
#include "../mail/header.h"
#include "mta.h"

/* Recipients from the complained-about message itself when the report
 * names none; one record with no recipient when it has none either. */
static int
from_original(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_rcpt_facts *r;

	if (f->n == 0 && d->orig) {
		struct bnc_str to = bnc_headers_get(d->orig,
		    "X-HmXmrOriginalRecipient");
		size_t pos = 0;
		struct bnc_str addr;
		if (to.len == 0)
			to = bnc_headers_get(d->orig, "To");
		while ((addr = bnc_addr_next(to, &pos)).len) {
			struct bnc_str n = bnc_addr_normalise(d->a, addr);
			if (bnc_facts_find(f, n))
				continue;
			r = bnc_facts_add(f, d->a);
			if (r == NULL)
				return f->truncated ? 1 : BNC_ENOMEM;
			r->recipient = n;
			r->reason = "feedback";
		}
	}
	if (f->n == 0) {
		r = bnc_facts_add(f, d->a);
		if (r == NULL)
			return BNC_ENOMEM;
		r->reason = "feedback";
	}
	return 1;
}

int
bnc_mta_arf(struct bnc_facts *f, struct bnc_decode *d)
{
	const struct bnc_part *fb = NULL;
	struct bnc_field_iter it;
	struct bnc_header h;
	struct bnc_rcpt_facts *r;
	size_t i;
	int rc;

	for (i = 0; i < d->m->mime.n; i++) {
		if (d->m->mime.parts[i].kind == BNC_PART_FEEDBACK) {
			fb = &d->m->mime.parts[i];
			break;
		}
	}
	if (fb == NULL) {
		/* Microsoft's JMRP reports predate RFC 5965: a plain
		 * "complaint about message from IP" with the message
		 * attached, no feedback-report part. */
		if (d->orig == NULL || !bnc_str_icontains(d->m->subject,
		    "complaint about message from"))
			return 0;
		f->kind = BNC_KIND_FEEDBACK;
		f->feedback_type = bnc_str_c("abuse");
		return from_original(f, d);
	}
	f->kind = BNC_KIND_FEEDBACK;
	bnc_field_iter_init(&it, fb->body, d->l->header_size);
	while (it.rest.len) {
		rc = bnc_field_next(&it, d->a, &h);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			bnc_str_line(it.rest, &it.rest);
			continue;
		}
		if (bnc_str_ieq(h.name, "Feedback-Type")) {
			f->feedback_type = h.value;
		} else if (bnc_str_ieq(h.name, "Reporting-MTA")) {
			f->reporting_mta = bnc_dsn_mta_name(bnc_dsn_value(
			    h.value, NULL));
		} else if (bnc_str_ieq(h.name, "Arrival-Date") ||
		    bnc_str_ieq(h.name, "Received-Date")) {
			f->arrival_date = h.value;
		} else if (bnc_str_ieq(h.name, "Original-Mail-From")) {
			f->sender = bnc_addr_normalise(d->a, h.value);
		} else if (bnc_str_ieq(h.name, "Original-Rcpt-To") ||
		    bnc_str_ieq(h.name, "Removal-Recipient")) {
			struct bnc_str addr = bnc_addr_normalise(d->a, h.value);
			if (addr.len == 0 || bnc_facts_find(f, addr))
				continue;
			r = bnc_facts_add(f, d->a);
			if (r == NULL)
				return f->truncated ? 1 : BNC_ENOMEM;
			r->recipient = addr;
			r->reason = "feedback";
		}
	}
	return from_original(f, d);
}

/* A feedback report (at any depth), or Microsoft's JMRP notice. */
BNC_WHEN(arf, BNC_IF_FEEDBACK,
    BNC_IF_SUBJECT("complaint about message from"));
BNC_DECODER(arf, BNC_ORDER_FIRST, bnc_mta_arf);

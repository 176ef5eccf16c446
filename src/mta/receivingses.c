/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * receivingses.c - bounces that an Amazon SES receipt rule sends for a
 * domain that receives its mail through SES: a standard report whose
 * Reporting-MTA is inbound-smtp.<region>.amazonaws.com, sent through SES
 * (X-SES-Outgoing, Feedback-ID "...:AmazonSES") from the receiving
 * domain's own postmaster. The reply, status and text are the rule
 * author's choice ("550 5.1.1 Mailbox does not exist"); the RFC 3464
 * reader reads them. Runs before the SES decoder, which would take the
 * same message for a bounce of mail sent through SES.
 */
#include "mta.h"

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	const struct bnc_headers *h = &d->m->headers;
	int rc;

	if (!bnc_headers_has(h, "X-SES-Outgoing") &&
	    !bnc_str_icontains(bnc_headers_get(h, "Feedback-ID"), ":AmazonSES"))
		return 0;
	if (!bnc_decode_has_dsn(d))
		return 0;
	rc = bnc_mta_rfc3464(f, d);
	if (rc <= 0)
		return rc;
	if (!bnc_str_istarts(f->reporting_mta, "inbound-smtp.") ||
	    !bnc_str_iends(f->reporting_mta, ".amazonaws.com"))
		return 0;
	return 1;
}

BNC_WHEN(receivingses, BNC_IF_HEADER("X-SES-Outgoing"),
    BNC_IF_FIELD("Feedback-ID", ":AmazonSES"), BNC_AND,
    BNC_IF_PART(BNC_PART_DSN),
    BNC_AND, BNC_IF_RFC3464);
BNC_DECODER(receivingses, 440, decode);

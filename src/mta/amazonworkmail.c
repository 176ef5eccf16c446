/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * amazonworkmail.c - Amazon WorkMail's bounces. WorkMail sends them
 * through SES (From MAILER-DAEMON@<region>.amazonses.com, X-SES-Outgoing)
 * and marks them with its own X-Mailer: Amazon WorkMail. The text part
 * says "An error occurred while trying to deliver the mail to the
 * following recipients:" and then, after "Technical report:", pastes the
 * delivery-status fields into the text itself (there is no report part),
 * which the RFC 3464 reader reads. Runs before the SES decoder, which
 * would take the same message for SES's own.
 */
#include "mta.h"

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str mailer = bnc_headers_get(&d->m->headers, "X-Mailer");

	if (!bnc_str_istarts(bnc_str_trim(mailer), "Amazon WorkMail") ||
	    !bnc_looks_like_bounce(d))
		return 0;
	return bnc_mta_rfc3464(f, d);
}

BNC_WHEN(amazonworkmail, BNC_IF_FIELD("X-Mailer", "Amazon WorkMail"),
    BNC_AND, BNC_IF_RFC3464);
BNC_DECODER(amazonworkmail, 440, decode);

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * activehunter.c - Active!Hunter, a Japanese mail filter gateway
 * (QUALITIA). Its notice copies Sendmail's layout in a multipart/report
 * without a report part:
 *
 *	  ----- The following addresses had permanent fatal errors -----
 *
 *	>>> rcpt@example.net <rcpt@example.net>
 *
 *	  ----- Transcript of session follows -----
 *	550 sorry, no mailbox here by that name
 *
 * The transcript holds the next server's reply, without Sendmail's
 * ">>>" and "<<<" marks. Read by the Sendmail reader (sendmail.c);
 * recognised by the gateway's own header (X-AHMAILID) or the MIME
 * boundary it names itself in.
 */
#include "mta.h"

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	const struct bnc_headers *h = &d->m->headers;

	if (!bnc_headers_has(h, "X-AHMAILID") &&
	    !bnc_str_icontains(bnc_headers_get(h, "Content-Type"),
	    "Active!Hunter"))
		return 0;
	return bnc_sendmail_text_read(f, d);
}

BNC_WHEN(activehunter, BNC_IF_HEADER("X-AHMAILID"),
    BNC_IF_FIELD("Content-Type", "Active!Hunter"));
BNC_DECODER(activehunter, BNC_ORDER_FORMAT, decode);

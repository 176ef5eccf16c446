/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bigfoot.c - Bigfoot's mail forwarding service. Its LiteMail servers
 * ("by LITEMAIL00.bigfoot.com (LiteMail v3.03(...))") send Sendmail's
 * notice from MAILER-DAEMON@bigfoot.com with an RFC 3464 report and a
 * Sendmail transcript; read as Sendmail's are (sendmail.c). Recognised
 * by Bigfoot's host names in the sender, the report or the trace.
 */
#include "mta.h"

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	if (!bnc_str_icontains(d->m->from, "@bigfoot.com") &&
	    !bnc_decode_dsn_contains(d, ".bigfoot.com") &&
	    !bnc_received_has(d, "(LiteMail v"))
		return 0;
	return bnc_sendmail_read(f, d);
}

BNC_WHEN(bigfoot, BNC_IF_FROM("@bigfoot.com"),
    BNC_IF_DSN_HAS(".bigfoot.com"), BNC_IF_RECEIVED("(LiteMail v"),
    BNC_AND, BNC_IF_RFC3464);
BNC_DECODER(bigfoot, BNC_ORDER_FORMAT, decode);

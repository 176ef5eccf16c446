/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * x5.c - a mail gateway's notification that forwards a bounce (the
 * family the reference decoder calls "X5"; the samples carry Trend Micro
 * marks: MIME boundaries "TMMSG_...", X-TM-AS-* fields). The gateway
 * writes its own first lines of a Sendmail-like notice ("The original
 * message was received at ...", "----- The following addresses had
 * permanent delivery errors -----") addressed To "NotificationRecipients"
 * and attaches the bounce it received as message/rfc822; that bounce's
 * report is read as Sendmail's are (sendmail.c: the RFC 3464 reader
 * takes a report inside an attached message when the notice has none).
 */
#include "mta.h"

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str to = bnc_headers_get(&d->m->headers, "To");
	struct bnc_str ct = bnc_headers_get(&d->m->headers, "Content-Type");

	if (!bnc_str_icontains(to, "NotificationRecipients") &&
	    !bnc_str_icontains(ct, "boundary=\"TMMSG_"))
		return 0;
	return bnc_sendmail_read(f, d);
}

BNC_WHEN(x5, BNC_IF_FIELD("To", "NotificationRecipients"),
    BNC_IF_FIELD("Content-Type", "boundary=\"TMMSG_"),
    BNC_AND, BNC_IF_RFC3464);
BNC_DECODER(x5, BNC_ORDER_FORMAT, decode);

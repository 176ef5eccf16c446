/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * outlook.c - DSNs of Outlook.com (formerly Hotmail, MSN): a standard
 * multipart/report under the subject "Delivery Status Notification
 * (Failure)" or "(Delay)", whose text part only lists the recipients
 * ("This is an automatically generated Delivery Status Notification.").
 * Recognised by that subject together with the X-Message-Delivery or
 * X-Message-Info header the service stamps (on every message it takes
 * in, so they alone only say the bounce was delivered to Outlook.com),
 * or a Received line from a hotmail.com host. The report itself is read
 * as RFC 3464; when its group has no Diagnostic-Code, the sentence that
 * introduces the list ("Delivery to the following recipients has been
 * delayed.") says what happened. A queue that gave up (X.4.7) is
 * "expired", whatever the cause it names.
 */
#include "mta.h"

/* The last line with words before the line that names `addr`, above
 * the list of addresses it belongs to. */
static struct bnc_str
intro(struct bnc_str text, struct bnc_str addr)
{
	struct bnc_str rest = text, line, last = BNC_STR_NULL;

	while (rest.len) {
		line = bnc_str_trim(bnc_str_line(rest, &rest));
		if (bnc_str_ifind(line, addr.ptr, addr.len) >= 0)
			return last;
		if (line.len && bnc_line_address(line).len == 0)
			last = line;
	}
	return BNC_STR_NULL;
}

int
bnc_mta_outlook(struct bnc_facts *f, struct bnc_decode *d)
{
	const struct bnc_headers *h = &d->m->headers;
	size_t i;
	int rc;

	if (!bnc_str_istarts(d->m->subject, "Delivery Status Notification") ||
	    !(bnc_headers_has(h, "X-Message-Delivery") ||
	    bnc_headers_has(h, "X-Message-Info") ||
	    bnc_received_has(d, ".hotmail.com")) ||
	    !bnc_decode_has_dsn(d))
		return 0;
	if ((rc = bnc_mta_rfc3464(f, d)) <= 0)
		return rc;
	for (i = 0; i < f->n; i++) {
		struct bnc_rcpt_facts *r = &f->r[i];
		struct bnc_str t = bnc_str_trim(r->diagnostic);
		if (t.len <= r->recipient.len && (t.len == 0 ||
		    bnc_str_ifind(t, r->recipient.ptr, r->recipient.len) >= 0))
			r->diagnostic = intro(d->text, r->recipient);
		if (bnc_str_iends(r->status, ".4.7"))
			r->reason = "expired";
	}
	return 1;
}

BNC_WHEN(outlook, BNC_IF_SUBJECT("Delivery Status Notification"),
    BNC_AND, BNC_IF_HEADER("X-Message-Delivery"),
    BNC_IF_HEADER("X-Message-Info"), BNC_IF_RECEIVED(".hotmail.com"),
    BNC_AND, BNC_IF_PART(BNC_PART_DSN),
    BNC_AND, BNC_IF_RFC3464);
BNC_DECODER(outlook, BNC_ORDER_FORMAT, bnc_mta_outlook);

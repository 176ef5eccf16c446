/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mcafee.c - McAfee Email Gateway (Email and Web Security Appliance).
 * Its notices carry "X-NAI-Header: Modified by McAfee ...", the Subject
 * "Delivery Status", a text part that lists
 *
 *	    --- The following addresses had delivery problems ---
 *	<rcpt@example.net>   (5.1.1 <rcpt@example.net>... User unknown)
 *
 * and a delivery-status part with Original-Recipient, Action,
 * Diagnostic-Code and a bare Remote-MTA address, read by the RFC 3464
 * reader. A recipient the report gives no Diagnostic-Code takes the
 * text in parentheses after its address in the list.
 */
#include "../mail/address.h"
#include "mta.h"

/* "(...)" after `addr` on its line of the list. */
static struct bnc_str
listed_problem(struct bnc_str text, struct bnc_str addr)
{
	struct bnc_str rest = bnc_text_after(text, "had delivery problems"),
	    line, t;
	const char *open, *close;

	while (rest.len) {
		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		if (bnc_str_ifind(t, addr.ptr, addr.len) < 0 ||
		    (open = memchr(t.ptr, '(', t.len)) == NULL)
			continue;
		close = t.ptr + t.len - 1;
		if (*close != ')' || close <= open)
			continue;
		return bnc_str_make(open + 1, (size_t)(close - open - 1));
	}
	return BNC_STR_NULL;
}

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str nai = bnc_headers_get(&d->m->headers, "X-NAI-Header");
	size_t i;
	int rc;

	if (!bnc_str_icontains(nai, "McAfee"))
		return 0;
	if ((rc = bnc_mta_rfc3464(f, d)) <= 0)
		return rc;
	for (i = 0; i < f->n; i++) {
		struct bnc_rcpt_facts *r = &f->r[i];
		struct bnc_str p;
		if (r->diag_type.len)
			continue;
		p = listed_problem(d->text, r->recipient);
		if (p.len) {
			r->diagnostic = bnc_text_squeeze(d->a, p);
			bnc_rcpt_fill_from_diagnostic(r, d->a);
		}
	}
	return 1;
}

BNC_WHEN(mcafee, BNC_IF_FIELD("X-NAI-Header", "McAfee"),
    BNC_AND, BNC_IF_RFC3464);
BNC_DECODER(mcafee, BNC_ORDER_FORMAT, decode);

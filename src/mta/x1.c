/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * x1.c - an MTA we could not name (its notices come from "Mail Deliver
 * System" <MAILER-DAEMON@...>, some with an "OpenMail Mailer" trace).
 * The layout borrows Sendmail's first sentence:
 *
 *	The original message was received at Thu, 16 May 2024 10:00:00
 *	from sender@example.com
 *
 *	---The following addresses had delivery errors---
 *
 *	rcpt@example.net [User unknown]
 *
 * each recipient on its line, the error in brackets after it. A delay
 * warning says so in its subject ("Warning--Could not send mail for
 * past N hours"). Recognised by the section line, which is written
 * without spaces.
 */
#include "../mail/address.h"
#include "mta.h"

static struct bnc_marker m_the_following_addresses_had =
    BNC_MARKER("---The following addresses had delivery errors---");
BNC_MARKERS(x1, &m_the_following_addresses_had);

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str rest, line, t;
	bool warning;
	size_t i;
	int rc;

	rest = bnc_text_after_marker(d, &m_the_following_addresses_had);
	if (rest.ptr == NULL)
		return 0;
	warning = bnc_str_istarts(d->m->subject, "Warning");
	while (rest.len) {
		struct bnc_rcpt_facts *r;
		struct bnc_str addr;
		const char *lb;
		size_t pos = 0;

		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		if (t.len == 0)
			continue;
		addr = bnc_addr_next(t, &pos);
		/* "a@b [error]": anything else ends the list. */
		if (addr.len == 0 || addr.ptr > t.ptr + 1)
			break;
		if ((rc = bnc_facts_rcpt(&r, f, d->a, addr)) < 0)
			return rc;
		if (r == NULL)
			break;
		lb = memchr(t.ptr, '[', t.len);
		r->diagnostic = bnc_text_squeeze(d->a, t);
		if (lb != NULL) {
			struct bnc_str e = bnc_str_make(lb + 1,
			    (size_t)(t.ptr + t.len - lb - 1));
			if (e.len && e.ptr[e.len - 1] == ']')
				e.len--;
			r->diagnostic = bnc_text_squeeze(d->a, e);
		}
	}
	for (i = 0; i < f->n; i++) {
		struct bnc_rcpt_facts *r = &f->r[i];
		r->action = bnc_str_c(warning ? "delayed" : "failed");
		r->context = d->text;
		bnc_rcpt_fill_from_diagnostic(r, d->a);
	}
	return f->n > 0;
}

BNC_WHEN(x1, BNC_IF_TEXT(&m_the_following_addresses_had));
BNC_DECODER(x1, BNC_ORDER_FORMAT, decode);

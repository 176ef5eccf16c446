/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kddi.c - KDDI's au one net mail servers (auone-net.jp, dion.ne.jp).
 * A Japanese paragraph, then the English one:
 *
 *	Your mail sent on: Thu, 16 May 2024 10:00:00 +0900
 *	     Could not be delivered to: <rcpt@example.dion.ne.jp>
 *	     As their mailbox is full.
 *
 * The lines after the address say why. Recognised by the first two
 * lines' labels.
 */
#include "../mail/address.h"
#include "mta.h"

static struct bnc_marker m_your_mail_sent_on = BNC_MARKER("Your mail sent on:");
static struct bnc_marker m_could_not_be_delivered =
    BNC_MARKER("Could not be delivered to:");
BNC_MARKERS(kddi, &m_your_mail_sent_on, &m_could_not_be_delivered);

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str rest = d->text, line, t;
	struct bnc_rcpt_facts *r = NULL;
	const char *from = NULL, *to = NULL;
	size_t pos;
	int rc;

	if (!bnc_text_has(d, &m_your_mail_sent_on) ||
	    !bnc_text_has(d, &m_could_not_be_delivered))
		return 0;
	while (rest.len) {
		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		if (bnc_str_istarts(t, "Could not be delivered to:")) {
			struct bnc_str addr;
			if (r != NULL && from != NULL)
				r->diagnostic = bnc_text_squeeze(d->a,
				    bnc_str_make(from, (size_t)(to - from)));
			pos = 26;
			addr = bnc_addr_next(t, &pos);
			if ((rc = bnc_facts_rcpt(&r, f, d->a, addr)) < 0)
				return rc;
			from = to = NULL;
			continue;
		}
		if (r == NULL)
			continue;
		if (t.len == 0 || bnc_str_istarts(t, "Your mail sent on:")) {
			if (from != NULL)
				r->diagnostic = bnc_text_squeeze(d->a,
				    bnc_str_make(from, (size_t)(to - from)));
			r = NULL;
			continue;
		}
		if (from == NULL)
			from = t.ptr;
		to = t.ptr + t.len;
	}
	if (r != NULL && from != NULL)
		r->diagnostic = bnc_text_squeeze(d->a, bnc_str_make(from,
		    (size_t)(to - from)));
	for (pos = 0; pos < f->n; pos++) {
		r = &f->r[pos];
		r->action = bnc_str_c("failed");
		r->context = d->text;
		bnc_rcpt_fill_from_diagnostic(r, d->a);
	}
	return f->n > 0;
}

BNC_WHEN(kddi, BNC_IF_TEXT(&m_your_mail_sent_on), BNC_AND,
    BNC_IF_TEXT(&m_could_not_be_delivered));
BNC_DECODER(kddi, BNC_ORDER_FORMAT, decode);

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mailfoundry.c - MailFoundry's gateway ("Message delivery has
 * failed"):
 *
 *	Unable to deliver message to: <rcpt@example.net>
 *	Delivery failed for the following reason:
 *	Server mx.example.net[192.0.2.1] failed with: 550 No such user
 *
 *	This has been a permanent failure.  No further delivery attempts
 *	will be made.
 *
 * The reason line names the next server ("Server H[IP] failed with:"
 * or "H[IP] responded with failure:") and quotes its reply. Recognised
 * by the first two lines.
 */
#include "../mail/address.h"
#include "mta.h"

static struct bnc_marker m_unable_to_deliver_message =
    BNC_MARKER("Unable to deliver message to:");
static struct bnc_marker m_delivery_failed_for_the =
    BNC_MARKER("Delivery failed for the following reason:");
static struct bnc_marker m_temporary_failure = BNC_MARKER("temporary failure");
BNC_MARKERS(mailfoundry, &m_unable_to_deliver_message,
    &m_delivery_failed_for_the, &m_temporary_failure);

/* "mx.example.net" of "Server mx.example.net[192.0.2.1] failed ...". */
static struct bnc_str
server(struct bnc_str t)
{
	const char *lb = memchr(t.ptr, '[', t.len), *s;

	if (lb == NULL)
		return BNC_STR_NULL;
	for (s = lb; s > t.ptr && !bnc_is_space((unsigned char)s[-1]); s--)
		;
	return bnc_str_make(s, (size_t)(lb - s));
}

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str rest = d->text, line, t;
	struct bnc_rcpt_facts *r = NULL;
	bool reason = false, temporary;
	size_t i;
	int rc;

	if (!bnc_text_has(d, &m_unable_to_deliver_message) ||
	    !bnc_text_has(d, &m_delivery_failed_for_the))
		return 0;
	temporary = bnc_text_has(d, &m_temporary_failure);
	while (rest.len) {
		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		if (bnc_str_istarts(t, "Unable to deliver message to:")) {
			size_t pos = 29;
			if ((rc = bnc_facts_rcpt(&r, f, d->a,
			    bnc_addr_next(t, &pos))) < 0)
				return rc;
			reason = false;
			continue;
		}
		if (r == NULL)
			continue;
		if (bnc_str_istarts(t, "Delivery failed for the following reason")) {
			reason = true;
			continue;
		}
		if (t.len == 0) {
			if (r->diagnostic.len)
				r = NULL;
			continue;
		}
		if (reason && r->diagnostic.len == 0) {
			r->diagnostic = bnc_text_squeeze(d->a, t);
			r->remote_mta = server(t);
		}
	}
	for (i = 0; i < f->n; i++) {
		r = &f->r[i];
		r->action = bnc_str_c(temporary ? "delayed" : "failed");
		r->context = d->text;
		bnc_rcpt_fill_from_diagnostic(r, d->a);
	}
	return f->n > 0;
}

BNC_WHEN(mailfoundry, BNC_IF_TEXT(&m_unable_to_deliver_message), BNC_AND,
    BNC_IF_TEXT(&m_delivery_failed_for_the));
BNC_DECODER(mailfoundry, BNC_ORDER_FORMAT, decode);

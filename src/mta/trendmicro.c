/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * trendmicro.c - Trend Micro InterScan Messaging Security Suite (MSS),
 * a filtering gateway. Its notices ("Mail could not be delivered")
 * come in two forms: the session with the next server, with its own
 * arrows,
 *
 *	Sent <<< RCPT TO:<rcpt@example.net>
 *	Received >>> 550 5.1.1 <rcpt@example.net>... user unknown
 *
 * or a sentence of its own, under "Message from InterScan Messaging
 * Security Suite" (perhaps after "Reason:"):
 *
 *	Unable to deliver message to <rcpt@example.net> (and other
 *	recipients in the same domain).
 *
 * Recognised by the product's name in the sender, the MIME boundary
 * ("InterScan_NT_MIME_Boundary") or the text.
 */
#include "../dsn/reply.h"
#include "../mail/address.h"
#include "mta.h"

static struct bnc_marker m_interscan_messaging_security_suite =
    BNC_MARKER("InterScan Messaging Security Suite");
BNC_MARKERS(trendmicro, &m_interscan_messaging_security_suite);

static bool
is_interscan(const struct bnc_decode *d)
{
	return bnc_str_icontains(d->m->from, "InterScan") ||
	    bnc_str_icontains(bnc_headers_get(&d->m->headers, "Content-Type"),
	    "InterScan") ||
	    bnc_text_has(d, &m_interscan_messaging_security_suite);
}

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str rest = d->text, line, t, sent = BNC_STR_NULL;
	size_t i;
	int rc;

	if (!is_interscan(d))
		return 0;
	while (rest.len) {
		struct bnc_rcpt_facts *r;
		struct bnc_str addr;
		size_t pos = 0;
		long at;

		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		if (bnc_str_istarts(t, "Sent <<<")) {
			sent = bnc_str_trim(bnc_str_from(t, 8));
			continue;
		}
		if (bnc_str_istarts(t, "Received >>>")) {
			struct bnc_str reply = bnc_str_trim(bnc_str_from(t, 12));
			const char *cmd = bnc_smtp_command_find(sent);
			/* The recipient: of RCPT TO, else the one the reply
			 * names, else the returned message's. */
			if (cmd != NULL && strcmp(cmd, "RCPT") == 0)
				addr = bnc_addr_next(sent, &pos);
			else
				addr = bnc_addr_next(reply, &pos);
			if (addr.len == 0 && d->orig != NULL) {
				pos = 0;
				addr = bnc_addr_next(bnc_headers_get(d->orig,
				    "To"), &pos);
			}
			if ((rc = bnc_facts_rcpt(&r, f, d->a, addr)) < 0)
				return rc;
			if (r == NULL)
				continue;
			r->diagnostic = bnc_text_squeeze(d->a, reply);
			if (cmd != NULL)
				r->smtp_command = bnc_str_c(cmd);
			continue;
		}
		at = bnc_str_ifind(t, "Unable to deliver message to", 28);
		if (at < 0)
			continue;
		pos = (size_t)at + 28;
		addr = bnc_addr_next(t, &pos);
		if ((rc = bnc_facts_rcpt(&r, f, d->a, addr)) < 0)
			return rc;
		if (r != NULL && r->diagnostic.len == 0)
			r->diagnostic = bnc_text_squeeze(d->a,
			    bnc_str_from(t, (size_t)at));
	}
	for (i = 0; i < f->n; i++) {
		struct bnc_rcpt_facts *r = &f->r[i];
		r->action = bnc_str_c("failed");
		r->context = d->text;
		bnc_rcpt_fill_from_diagnostic(r, d->a);
	}
	return f->n > 0;
}

BNC_WHEN(trendmicro, BNC_IF_FROM("InterScan"),
    BNC_IF_FIELD("Content-Type", "InterScan"),
    BNC_IF_TEXT(&m_interscan_messaging_security_suite));
BNC_DECODER(trendmicro, BNC_ORDER_FORMAT, decode);

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * messagingserver.c - Oracle Communications (formerly Sun Java System,
 * iPlanet) Messaging Server. Its notices have MIME boundaries
 * "Boundary_(ID_...)", the Subject "Delivery Notification: Delivery has
 * failed" (or "... has been delayed"), and a text that, after "This
 * report relates to a message you sent with the following header
 * fields:", gives each recipient a block
 *
 *	  Recipient address: rcpt@example.net
 *	  Reason: Remote SMTP server has rejected address
 *	  Diagnostic code: smtp;550 5.1.1 <rcpt@example.net>... User unknown
 *	  Remote system: dns;mx.example.net (TCP|192.0.2.1|47323|192.0.2.2|25) (...)
 *
 * beside the RFC 3464 report, read by the RFC 3464 reader. A recipient
 * the report gives no Diagnostic-Code takes the block's Reason (often
 * all there is: "host/domain does not accept mail", "unable to deliver
 * this message after 1 day"); the block's Remote system names the
 * remote host when the report does not.
 */
#include "../mail/address.h"
#include "mta.h"

static struct bnc_marker m_this_report_relates_to =
    BNC_MARKER("This report relates to a message you sent with the following");
BNC_MARKERS(messagingserver, &m_this_report_relates_to);

struct block {
	struct bnc_str reason, remote;
};

static struct block
block_of(struct bnc_str text, struct bnc_arena *a, struct bnc_str addr)
{
	struct bnc_str rest = text, line, t;
	struct block b = { BNC_STR_NULL, BNC_STR_NULL };
	bool mine = false;

	while (rest.len) {
		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		if (bnc_str_istarts(t, "Recipient address:")) {
			struct bnc_str got = bnc_addr_normalise(a,
			    bnc_str_trim(bnc_str_from(t, 18)));
			if (mine)
				break;
			mine = got.len == addr.len &&
			    bnc_str_ifind(got, addr.ptr, addr.len) == 0;
		} else if (!mine)
			continue;
		else if (t.len == 0)
			break;
		else if (bnc_str_istarts(t, "Reason:"))
			b.reason = bnc_str_trim(bnc_str_from(t, 7));
		else if (bnc_str_istarts(t, "Remote system:"))
			b.remote = bnc_str_trim(bnc_str_from(t, 14));
	}
	/* "dns;mx.example.net (TCP|...)" -> "mx.example.net". */
	if (b.remote.len) {
		size_t n = 0;
		const char *semi = memchr(b.remote.ptr, ';', b.remote.len);
		if (semi)
			b.remote = bnc_str_from(b.remote,
			    (size_t)(semi - b.remote.ptr) + 1);
		while (n < b.remote.len &&
		    !bnc_is_space((unsigned char)b.remote.ptr[n]))
			n++;
		b.remote.len = n;
	}
	return b;
}

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str ct = bnc_headers_get(&d->m->headers, "Content-Type");
	size_t i;
	int rc;

	if (!bnc_str_icontains(ct, "Boundary_(ID_") &&
	    !bnc_text_has(d, &m_this_report_relates_to))
		return 0;
	if ((rc = bnc_mta_rfc3464(f, d)) <= 0)
		return rc;
	for (i = 0; i < f->n; i++) {
		struct bnc_rcpt_facts *r = &f->r[i];
		struct block b = block_of(d->text, d->a, r->recipient);
		if (r->diag_type.len == 0 && b.reason.len) {
			r->diagnostic = bnc_text_squeeze(d->a, b.reason);
			bnc_rcpt_fill_from_diagnostic(r, d->a);
		}
		if (r->remote_mta.len == 0)
			r->remote_mta = b.remote;
	}
	return 1;
}

BNC_WHEN(messagingserver, BNC_IF_FIELD("Content-Type", "Boundary_(ID_"),
    BNC_IF_TEXT(&m_this_report_relates_to),
    BNC_AND, BNC_IF_RFC3464);
BNC_DECODER(messagingserver, BNC_ORDER_FORMAT, decode);

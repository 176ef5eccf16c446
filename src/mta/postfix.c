/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * postfix.c - Postfix's delivery status notifications. Postfix adds its
 * own fields to the report (X-Postfix-Queue-ID, X-Postfix-Sender) and
 * opens the notice with "This is the mail system at host H." (before
 * 2.3: "This is the Postfix program at host H."). The report is read by
 * the RFC 3464 reader; the notice adds, for each recipient,
 *
 *	<rcpt@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1
 *	    <rcpt@example.net>: Recipient address rejected (in reply to RCPT
 *	    TO command)
 *
 * the remote host (when the report has no Remote-MTA; for a failed
 * connection "connect to mx.example.net[192.0.2.1]:25: ...") and the
 * command the reply answered (taken by the reader from the paragraph).
 * Postfix's notices without a report are the free-text reader's.
 */
#include "mta.h"

/* The host name at `from` in `block` when "[address" and `tail` follow
 * it, else an empty view. */
static struct bnc_str
host_at(struct bnc_str block, size_t from, const char *tail)
{
	struct bnc_str h = bnc_str_from(block, from);
	size_t n;

	for (n = 0; n < h.len && h.ptr[n] != '[' &&
	    !bnc_is_space((unsigned char)h.ptr[n]); n++)
		;
	if (n == 0 || n == h.len || h.ptr[n] != '[')
		return BNC_STR_NULL;
	h = bnc_str_from(h, n);
	for (n = 0; n < h.len && h.ptr[n] != ']'; n++)
		;
	if (!bnc_str_istarts(bnc_str_from(h, n), tail))
		return BNC_STR_NULL;
	return bnc_str_make(block.ptr + from, (size_t)(h.ptr - block.ptr) -
	    from);
}

/* The remote host Postfix names in its paragraph: "host H[ip] said:"
 * for a reply, "connect to H[ip]:25:" for a connection that failed. */
static struct bnc_str
remote_host(struct bnc_str block)
{
	static const struct {
		const char *lead, *tail;
	} forms[] = { { "host ", "] said:" }, { "connect to ", "]:" } };
	struct bnc_str h;
	size_t k, from;
	long at;

	for (k = 0; k < sizeof(forms) / sizeof(forms[0]); k++) {
		size_t ll = strlen(forms[k].lead);
		for (from = 0; (at = bnc_str_ifind(bnc_str_from(block, from),
		    forms[k].lead, ll)) >= 0; from += (size_t)at + ll) {
			h = host_at(block, from + (size_t)at + ll,
			    forms[k].tail);
			if (h.len)
				return h;
		}
	}
	return BNC_STR_NULL;
}

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	size_t i;
	int rc;

	if (!bnc_decode_dsn_contains(d, "X-Postfix-") &&
	    !bnc_str_icontains(d->text, "This is the mail system at host") &&
	    !bnc_str_icontains(d->text, "This is the Postfix program at host"))
		return 0;
	if ((rc = bnc_mta_rfc3464(f, d)) <= 0)
		return rc;
	for (i = 0; i < f->n; i++) {
		struct bnc_rcpt_facts *r = &f->r[i];
		if (r->remote_mta.len == 0)
			r->remote_mta = remote_host(bnc_text_block(d->a, d->text,
			    r->recipient));
	}
	return 1;
}

/* After the decoders of gateways and providers that Postfix may carry. */
BNC_DECODER(postfix, 700, decode);

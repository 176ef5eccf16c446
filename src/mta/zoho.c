/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zoho.c - Zoho Mail's bounces (X-ZohoMail header). After "This message
 * was created automatically by mail delivery software." each failed
 * address has one line, in one of two shapes:
 *
 *	user@example.net Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 ...
 *	[Status: Error, Address: <user@example.net>, ResponseCode 421, , Host not reachable.]
 *
 * the second in delay warnings ("THIS IS A WARNING MESSAGE ONLY"). Zoho's
 * own "Host not reachable" means its retries found no host: expired.
 */
#include "../mail/address.h"
#include "mta.h"

static struct bnc_marker m_this_is_a_warning =
    BNC_MARKER("THIS IS A WARNING MESSAGE ONLY");
BNC_MARKERS(zoho, &m_this_is_a_warning);

/* The address and error of one failure line, or an empty address. */
static struct bnc_str
failure_line(struct bnc_str t, struct bnc_str *diag)
{
	const char *sp;

	if (bnc_str_istarts(t, "[Status: ")) {
		long at = bnc_str_ifind(t, "Address: <", 10);
		const char *gt;
		if (at < 0)
			return BNC_STR_NULL;
		gt = memchr(t.ptr + at + 10, '>', t.len - (size_t)at - 10);
		if (gt == NULL)
			return BNC_STR_NULL;
		*diag = t;
		return bnc_str_make(t.ptr + at + 10, (size_t)(gt - t.ptr) -
		    (size_t)at - 10);
	}
	sp = memchr(t.ptr, ' ', t.len);
	if (sp == NULL || !bnc_str_icontains(t, "ERROR_CODE :") ||
	    memchr(t.ptr, '@', (size_t)(sp - t.ptr)) == NULL)
		return BNC_STR_NULL;
	*diag = bnc_str_trim(bnc_str_from(t, (size_t)(sp - t.ptr)));
	return bnc_str_make(t.ptr, (size_t)(sp - t.ptr));
}

int
bnc_mta_zoho(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str rest = d->text, line, addr, diag;
	struct bnc_str action;
	struct bnc_rcpt_facts *r;

	if (!bnc_headers_has(&d->m->headers, "X-ZohoMail"))
		return 0;
	action = bnc_str_c(bnc_text_has(d, &m_this_is_a_warning) ? "delayed" :
	    "failed");
	while (rest.len) {
		line = bnc_str_trim(bnc_str_line(rest, &rest));
		addr = failure_line(line, &diag);
		if (addr.len == 0)
			continue;
		addr = bnc_addr_normalise(d->a, addr);
		if (addr.len == 0 || bnc_facts_find(f, addr))
			continue;
		if ((r = bnc_facts_add(f, d->a)) == NULL) {
			if (!f->truncated)
				return BNC_ENOMEM;
			break;
		}
		r->recipient = addr;
		r->diagnostic = bnc_text_squeeze(d->a, diag);
		r->action = action;
		r->context = d->text;
		if (bnc_str_icontains(diag, "Host not reachable"))
			r->reason = "expired";
		bnc_rcpt_fill_from_diagnostic(r, d->a);
	}
	return f->n > 0;
}

BNC_WHEN(zoho, BNC_IF_HEADER("X-ZohoMail"));
BNC_DECODER(zoho, BNC_ORDER_FORMAT, bnc_mta_zoho);

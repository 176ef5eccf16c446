/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rfc3834.c - automatic replies (RFC 3834 Auto-Submitted, the vendor
 * X-Autoreply family, Precedence, out-of-office subjects). One record:
 * the recipient who is away is the reply's sender. Bounces also carry
 * "Auto-Submitted: auto-replied"; a message that looks like a bounce is
 * left to the bounce decoders.
 */
#include "../mail/address.h"
#include "mta.h"

static bool
auto_headers(const struct bnc_headers *h)
{
	struct bnc_str v = bnc_str_trim(bnc_headers_get(h, "Auto-Submitted"));

	if (v.len && !bnc_str_istarts(v, "no"))
		return true;
	if (bnc_headers_has(h, "X-Autoreply") ||
	    bnc_headers_has(h, "X-Autorespond") ||
	    bnc_headers_has(h, "X-Auto-Reply") ||
	    bnc_headers_has(h, "X-Autoresponder"))
		return true;
	v = bnc_headers_get(h, "Precedence");
	if (bnc_str_icontains(v, "auto_reply"))
		return true;
	return false;
}

static bool
auto_subject(struct bnc_str s)
{
	static const char *const pre[] = { "auto:", "automatic reply",
		"auto-reply", "autoreply", "auto reply", "out of office",
		"out of the office", "vacation", "away from", "absence",
		"abwesenheit", "réponse automatique", "respuesta automática",
		"自動応答", "autosvar", "automatisch antwoord", NULL };
	size_t i;

	s = bnc_str_trim(s);
	for (i = 0; pre[i]; i++)
		if (bnc_str_icontains(s, pre[i]))
			return true;
	return false;
}

int
bnc_mta_rfc3834(struct bnc_facts *f, struct bnc_decode *d)
{
	const struct bnc_message *m = d->m;
	struct bnc_rcpt_facts *r;
	struct bnc_str from, ct;

	if (!auto_headers(&m->headers) && !auto_subject(m->subject))
		return 0;
	ct = bnc_headers_get(&m->headers, "Content-Type");
	if (bnc_str_icontains(ct, "multipart/report") ||
	    bnc_headers_has(&m->headers, "X-Failed-Recipients"))
		return 0;
	from = bnc_addr_normalise(d->a, m->from);
	if (bnc_addr_is_daemon(from) ||
	    bnc_str_icontains(m->from, "mailer-daemon") ||
	    bnc_str_icontains(m->from, "postmaster"))
		return 0;
	f->kind = BNC_KIND_AUTOREPLY;
	r = bnc_facts_add(f, d->a);
	if (r == NULL)
		return BNC_ENOMEM;
	r->recipient = from;
	r->reason = "vacation";
	r->diagnostic = bnc_text_squeeze(d->a, m->subject);
	return 1;
}

BNC_DECODER(rfc3834, BNC_ORDER_STANDARD, bnc_mta_rfc3834);

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * googleworkspace.c - Gmail and Google Workspace notices about a
 * message that could not be sent at all (from mailer-daemon@
 * googlemail.com, an empty report part):
 *
 *	** Message not delivered **
 *
 *	You're sending this from a different address or alias using the
 *	'Send mail as' feature. The settings for your 'Send mail as'
 *	account are misconfigured or out of date. ...
 *
 *	Learn more here: https://support.google.com/mail/?p=...
 *
 *	The response was:
 *
 *	Unspecified Error (SENT_SECOND_EHLO): Smtp server does not ...
 *
 * The failure is the message's, not one address's: every recipient of
 * the returned message failed, and those are the recipients (the
 * X-Failed-Recipients field only when the message is not returned).
 * Google's explanation and the response it quotes are the diagnostic.
 * Recognised by the sender and the "** Message not delivered **"
 * heading when the report part names no recipient; notices whose
 * report does are the RFC 3464 reader's.
 */
#include "../mail/address.h"
#include "mta.h"

static struct bnc_marker m_message_not_delivered =
    BNC_MARKER("** Message not delivered **");
BNC_MARKERS(googleworkspace, &m_message_not_delivered);

static int
add_list(struct bnc_facts *f, struct bnc_decode *d, struct bnc_str list)
{
	struct bnc_rcpt_facts *r;
	struct bnc_str addr;
	size_t pos = 0;
	int rc;

	while ((addr = bnc_addr_next(list, &pos)).len)
		if ((rc = bnc_facts_rcpt(&r, f, d->a, addr)) < 0)
			return rc;
	return 0;
}

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str body, expl, resp, diag;
	size_t i, n;
	char *p;
	int rc;

	if (!bnc_str_icontains(d->m->from, "@googlemail.com") &&
	    !bnc_str_icontains(d->m->from, "@google.com"))
		return 0;
	body = bnc_text_after_marker(d, &m_message_not_delivered);
	if (body.ptr == NULL)
		return 0;
	/* A report that names recipients is the RFC 3464 reader's. */
	{
		struct bnc_facts g;
		memset(&g, 0, sizeof(g));
		g.max = f->max;
		if ((rc = bnc_mta_rfc3464(&g, d)) != 0)
			return rc < 0 ? rc : 0;
	}
	if (d->orig != NULL) {
		if ((rc = add_list(f, d, bnc_headers_get(d->orig, "To"))) < 0 ||
		    (rc = add_list(f, d, bnc_headers_get(d->orig, "Cc"))) < 0)
			return rc;
	}
	if (f->n == 0 && (rc = add_list(f, d, bnc_headers_get(&d->m->headers,
	    "X-Failed-Recipients"))) < 0)
		return rc;
	if (f->n == 0)
		return 0;
	expl = bnc_text_until(bnc_text_until(body, "Learn more"),
	    "The response was:");
	resp = bnc_text_after(body, "The response was:");
	expl = bnc_text_squeeze(d->a, expl);
	resp = bnc_text_squeeze(d->a, resp);
	n = expl.len + resp.len + 1;
	if ((p = bnc_arena_alloc(d->a, n + 1)) == NULL)
		return BNC_ENOMEM;
	if (expl.len)
		memcpy(p, expl.ptr, expl.len);
	p[expl.len] = ' ';
	if (resp.len)
		memcpy(p + expl.len + 1, resp.ptr, resp.len);
	p[n] = '\0';
	diag = bnc_str_trim(bnc_str_make(p, n));
	for (i = 0; i < f->n; i++) {
		struct bnc_rcpt_facts *r = &f->r[i];
		r->action = bnc_str_c("failed");
		r->context = d->text;
		r->diagnostic = diag;
		bnc_rcpt_fill_from_diagnostic(r, d->a);
	}
	return 1;
}

BNC_WHEN(googleworkspace, BNC_IF_FROM("@googlemail.com"),
    BNC_IF_FROM("@google.com"), BNC_AND,
    BNC_IF_TEXT(&m_message_not_delivered));
BNC_DECODER(googleworkspace, BNC_ORDER_FORMAT, decode);

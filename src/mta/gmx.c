/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * gmx.c - bounces of GMX and of its sister 1&1 (United Internet). They
 * open with Exim's sentence but lay the rest out their own way: after
 * "The following address(es) failed:" each failed address stands alone
 * on a line ("a@b", "a@b:", "\"a@b\":" or "<a@b>"), its error on the lines
 * below, sometimes after a "Reason:" or "For the following reason:"
 * label, until the next address or the line "--- The header of the
 * original message is following. ---". The error names the stage ("SMTP
 * error from remote server after RCPT command", "for TEXT command", which
 * is the message text: DATA) and the host ("host: mx.example.net").
 * Recognised by the sender (MAILER-DAEMON at gmx) or GMX's X-GMX-*
 * headers.
 */
#include "../mail/address.h"
#include "mta.h"

/* The address when the line is nothing but one. */
static struct bnc_str
lone_address(struct bnc_str t)
{
	size_t i;

	if (t.len && t.ptr[t.len - 1] == ':')
		t.len--;
	if (t.len >= 2 && ((t.ptr[0] == '"' && t.ptr[t.len - 1] == '"') ||
	    (t.ptr[0] == '<' && t.ptr[t.len - 1] == '>')))
		t = bnc_str_make(t.ptr + 1, t.len - 2);
	if (t.len < 3 || memchr(t.ptr, '@', t.len) == NULL)
		return BNC_STR_NULL;
	for (i = 0; i < t.len; i++)
		if (bnc_is_space((unsigned char)t.ptr[i]) || t.ptr[i] == '<' ||
		    t.ptr[i] == '"')
			return BNC_STR_NULL;
	return t;
}

/* "host: mx.example.net" or "host: mx.example.net (192.0.2.1)". */
static struct bnc_str
remote_host(struct bnc_str diag)
{
	long at = bnc_str_ifind(diag, "host: ", 6);
	struct bnc_str t;
	size_t i = 0;

	if (at < 0)
		return BNC_STR_NULL;
	t = bnc_str_from(diag, (size_t)at + 6);
	while (i < t.len && !bnc_is_space((unsigned char)t.ptr[i]) &&
	    t.ptr[i] != ',')
		i++;
	return bnc_str_make(t.ptr, i);
}

static bool
label_line(struct bnc_str t)
{
	return bnc_str_ieq(t, "Reason:") ||
	    bnc_str_ieq(t, "For the following reason:");
}

int
bnc_gmx_read(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str rest = d->text, line, t;
	struct bnc_rcpt_facts *r = NULL;
	const char *from = NULL, *to = NULL;
	bool in_list = false;
	size_t i;

	/* Each recipient's error is the text between its address and the
	 * next; it is squeezed into one line when the next begins. */
	while (rest.len) {
		struct bnc_str addr;
		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		if (!in_list) {
			in_list = bnc_str_iends(t, "failed:");
			continue;
		}
		addr = lone_address(t);
		if (addr.len == 0) {
			if (r != NULL && t.len && !label_line(t)) {
				if (from == NULL)
					from = t.ptr;
				to = t.ptr + t.len;
			}
			continue;
		}
		if (r != NULL && from != NULL)
			r->diagnostic = bnc_text_squeeze(d->a,
			    bnc_str_make(from, (size_t)(to - from)));
		from = to = NULL;
		addr = bnc_addr_normalise(d->a, addr);
		if ((r = bnc_facts_find(f, addr)) != NULL)
			continue;
		if ((r = bnc_facts_add(f, d->a)) == NULL) {
			if (!f->truncated)
				return BNC_ENOMEM;
			break;
		}
		r->recipient = addr;
	}
	if (r != NULL && from != NULL)
		r->diagnostic = bnc_text_squeeze(d->a,
		    bnc_str_make(from, (size_t)(to - from)));
	if (f->n == 0)
		return 0;
	for (i = 0; i < f->n; i++) {
		r = &f->r[i];
		r->action = bnc_str_c("failed");
		r->context = d->text;
		r->remote_mta = remote_host(r->diagnostic);
		if (bnc_str_icontains(r->diagnostic, "for TEXT command"))
			r->smtp_command = bnc_str_c("DATA");
		else if (bnc_str_icontains(r->diagnostic, "after RCPT command"))
			r->smtp_command = bnc_str_c("RCPT");
		else if (bnc_str_icontains(r->diagnostic, "after MAIL command"))
			r->smtp_command = bnc_str_c("MAIL");
		bnc_rcpt_fill_from_diagnostic(r, d->a);
	}
	return 1;
}

int
bnc_mta_gmx(struct bnc_facts *f, struct bnc_decode *d)
{
	const struct bnc_headers *h = &d->m->headers;
	struct bnc_str from = d->m->from;

	if (!bnc_headers_has(h, "X-GMX-Antispam") &&
	    !bnc_headers_has(h, "X-GMX-Antivirus") &&
	    !(bnc_str_icontains(from, "mailer-daemon@") &&
	    (bnc_str_icontains(from, "@gmx.") ||
	    bnc_str_icontains(from, ".gmx."))))
		return 0;
	return bnc_gmx_read(f, d);
}

BNC_WHEN(gmx, BNC_IF_HEADER("X-GMX-Antispam"),
    BNC_IF_HEADER("X-GMX-Antivirus"), BNC_IF_FROM("gmx."));
BNC_DECODER(gmx, BNC_ORDER_FORMAT, bnc_mta_gmx);

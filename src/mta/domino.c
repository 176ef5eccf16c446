/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * domino.c - HCL (formerly IBM, Lotus) Domino delivery failure reports,
 * subject "DELIVERY FAILURE: <reason>":
 *
 *	Your message
 *
 *	  Subject: ...
 *
 *	was not delivered to:
 *
 *	  rcpt@example.com
 *
 *	because:
 *
 *	  User Name (rcpt@example.com) not listed in Domino Directory
 *
 * Newer servers add a DSN part whose Diagnostic-Code is "X-Notes; " and
 * the same reason, in the server's local charset without any label
 * (raw ISO-2022-JP on a Japanese server): the text part, which MIME
 * labels, is read instead then. Domino's "not listed" sentences mean
 * the directory has no such user.
 */
#include "mta.h"

static struct bnc_marker m_was_not_delivered_to =
    BNC_MARKER("was not delivered to:");
BNC_MARKERS(domino, &m_was_not_delivered_to);

static const char *const unknown_user[] = {
	"not listed in Domino Directory",
	"not listed in public Name & Address Book",
	"Domino ディレクトリには見つかりません",
	NULL
};

/* The reason given for `addr`: the first paragraph after the "because:"
 * that follows the "was not delivered to:" list naming it. */
static struct bnc_str
because(struct bnc_arena *a, struct bnc_str text, struct bnc_str addr)
{
	struct bnc_str rest = text, line, out = BNC_STR_NULL;
	bool listed = false, reading = false;

	while (rest.len) {
		line = bnc_str_trim(bnc_str_line(rest, &rest));
		if (reading) {
			if (line.len == 0 && out.ptr != NULL)
				break;
			if (line.len == 0)
				continue;
			if (out.ptr == NULL)
				out = line;
			out.len = (size_t)(line.ptr + line.len - out.ptr);
			continue;
		}
		if (bnc_str_istarts(line, "was not delivered to:"))
			listed = false;
		else if (bnc_line_address(line).len &&
		    bnc_str_ifind(line, addr.ptr, addr.len) >= 0)
			listed = true;
		else if (listed && bnc_str_istarts(line, "because:"))
			reading = true;
	}
	return out.ptr ? bnc_text_squeeze(a, out) : out;
}

int
bnc_mta_domino(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str rest, line, addr;
	struct bnc_rcpt_facts *r;
	size_t i, k;
	int rc;

	if (!bnc_str_istarts(d->m->subject, "DELIVERY FAILURE") ||
	    !bnc_text_has(d, &m_was_not_delivered_to))
		return 0;
	if (bnc_decode_has_dsn(d)) {
		if ((rc = bnc_mta_rfc3464(f, d)) <= 0)
			return rc;
	} else {
		rest = bnc_text_after_marker(d, &m_was_not_delivered_to);
		while (rest.len) {
			line = bnc_str_line(rest, &rest);
			if (bnc_str_istarts(bnc_str_trim(line), "because:")) {
				rest = bnc_text_after(rest,
				    "was not delivered to:");
				continue;
			}
			addr = bnc_line_address(line);
			if (addr.len == 0)
				continue;
			if ((rc = bnc_facts_rcpt(&r, f, d->a, addr)) < 0)
				return rc;
			if (r != NULL)
				r->action = bnc_str_c("failed");
		}
		if (f->n == 0)
			return 0;
	}
	for (i = 0; i < f->n; i++) {
		r = &f->r[i];
		if (r->diagnostic.len == 0 ||
		    memchr(r->diagnostic.ptr, 0x1b, r->diagnostic.len) != NULL) {
			r->diagnostic = because(d->a, d->text, r->recipient);
			r->context = d->text;
		}
		for (k = 0; unknown_user[k]; k++)
			if (bnc_str_icontains(r->diagnostic, unknown_user[k]))
				r->reason = "userunknown";
	}
	return 1;
}

BNC_WHEN(domino, BNC_IF_SUBJECT("DELIVERY FAILURE"), BNC_AND,
    BNC_IF_TEXT(&m_was_not_delivered_to));
BNC_DECODER(domino, BNC_ORDER_FORMAT, bnc_mta_domino);

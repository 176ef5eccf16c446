/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * exchange2003.c - Microsoft Exchange 5.5 to 2003 NDRs, written by the
 * Internet Mail Service (IMS) connector. Plain text, no DSN part:
 *
 *	Your message
 *
 *	  To:      someone@example.com
 *	  Subject: ...
 *	  Sent:    Thu, 29 Apr 2010 00:00:00 -0000
 *
 *	did not reach the following recipient(s):
 *
 *	rcpt@example.net on Thu, 29 Apr 2010 00:00:00 -0000
 *	    The recipient name is not recognized
 *	    MSEXCH:IMS:ORG:SITE:SERVER 0 (000C05A6) Unknown Recipient
 *
 * Recognised by that sentence together with one of Exchange's own marks:
 * X-MS-Embedded-Report, an X-Mailer or Received "Internet Mail Service",
 * X-MimeOLE "Produced By Microsoft Exchange", or an MSEXCH: line. The
 * "To:" of the "Your message" block is the original addressee, not a
 * failed recipient. The MSEXCH line ends with the IMS error code in
 * parentheses, which names the failure; codes that only say "the remote
 * server refused" leave the reason to the text.
 */
#include <stdio.h>

#include "../mail/address.h"
#include "mta.h"

static struct bnc_marker m_msexch = BNC_MARKER("MSEXCH:");
static struct bnc_marker m_did_not_reach_the =
    BNC_MARKER("did not reach the following recipient");
BNC_MARKERS(exchange2003, &m_msexch, &m_did_not_reach_the);

/* IMS error codes (the hex number after MSEXCH:...). */
static const struct {
	const char *code;
	const char *reason;
} ims_codes[] = {
	{ "000C05A6", "userunknown" },	/* Unknown Recipient */
	{ "00120270", "networkerror" },	/* Too Many Hops */
	{ "00010256", "systemerror" },	/* Too many recipients */
	{ "000D06B5", "systemerror" },	/* No proxy for recipient */
	{ "00050311", "contenterror" },	/* Conversion to Internet format */
	{ "000502CC", "contenterror" },	/* failed */
	{ "000B0981", "securityerror" },	/* 502: no AUTH support */
};

static bool
is_exchange(struct bnc_decode *d)
{
	const struct bnc_headers *h = &d->m->headers;

	return bnc_headers_has(h, "X-MS-Embedded-Report") ||
	    bnc_headers_any(h, "X-Mailer", "Internet Mail Service") ||
	    bnc_headers_any(h, "X-Mailer", "Microsoft Exchange Server") ||
	    bnc_headers_any(h, "X-MimeOLE", "Produced By Microsoft Exchange") ||
	    bnc_received_has(d, "with Internet Mail Service") ||
	    bnc_text_has(d, &m_msexch);
}

/* The failed recipient a line names: "a@b on <date>", or in the display
 * name form "Name (SMTP=a@b) on <date>". */
static struct bnc_str
rcpt_line(struct bnc_str line)
{
	struct bnc_str t = bnc_str_trim(line), addr;
	size_t pos = 0;
	long on;

	addr = bnc_addr_next(t, &pos);
	if (addr.len == 0)
		return BNC_STR_NULL;
	on = bnc_str_ifind(bnc_str_from(t, pos), " on ", 4);
	if (on < 0)
		return BNC_STR_NULL;
	/* The address is the line's first word, or follows "SMTP=". */
	if (addr.ptr != t.ptr && (addr.ptr - t.ptr < 5 ||
	    !bnc_str_istarts(bnc_str_make(addr.ptr - 5, 5), "SMTP=")))
		return BNC_STR_NULL;
	return addr;
}

/* The lines that explain one recipient, joined: all but the MTS-ID line
 * and its wrapped rest (unindented, ";l=..."), which only identify the
 * message. */
static struct bnc_str
explain(struct bnc_arena *a, struct bnc_str block)
{
	char *out = bnc_arena_alloc(a, block.len + 1);
	struct bnc_str rest = block, line;
	size_t n = 0;
	bool mtsid = false;

	if (out == NULL)
		return BNC_STR_NULL;
	while (rest.len) {
		line = bnc_str_line(rest, &rest);
		if (mtsid && line.len &&
		    !bnc_is_space((unsigned char)line.ptr[0]))
			continue;
		line = bnc_str_trim(line);
		mtsid = bnc_str_istarts(line, "The MTS-ID of");
		if (mtsid)
			continue;
		if (line.len == 0)
			continue;
		if (n)
			out[n++] = ' ';
		memcpy(out + n, line.ptr, line.len);
		n += line.len;
	}
	out[n] = '\0';
	return bnc_str_make(out, n);
}

static const char *
ims_reason(struct bnc_str diag)
{
	size_t i;

	for (i = 0; i < sizeof(ims_codes) / sizeof(ims_codes[0]); i++) {
		char paren[12];
		snprintf(paren, sizeof(paren), "(%s)", ims_codes[i].code);
		if (bnc_str_icontains(diag, paren))
			return ims_codes[i].reason;
	}
	return NULL;
}

int
bnc_mta_exchange2003(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str rest, line, addr;
	struct bnc_rcpt_facts *r = NULL;
	const char *start = NULL, *end = NULL;
	bool closed = false;
	size_t i;
	int rc;

	rest = bnc_text_after_marker(d, &m_did_not_reach_the);
	if (rest.ptr == NULL || !is_exchange(d))
		return 0;
	/* Each recipient's lines run to the next recipient or to the first
	 * blank line after them. */
	while (rest.len) {
		line = bnc_str_line(rest, &rest);
		addr = rcpt_line(line);
		if (addr.len == 0) {
			if (r == NULL || closed)
				continue;
			if (bnc_str_trim(line).len)
				end = rest.ptr;
			else if (end > start)
				closed = true;
			continue;
		}
		if (r != NULL)
			r->diagnostic = explain(d->a, bnc_str_make(start,
			    (size_t)(end - start)));
		if ((rc = bnc_facts_rcpt(&r, f, d->a, addr)) < 0)
			return rc;
		start = end = rest.ptr;
		closed = false;
	}
	if (r != NULL)
		r->diagnostic = explain(d->a, bnc_str_make(start,
		    (size_t)(end - start)));
	if (f->n == 0)
		return 0;
	for (i = 0; i < f->n; i++) {
		r = &f->r[i];
		r->action = bnc_str_c("failed");
		r->context = d->text;
		r->reason = ims_reason(r->diagnostic);
		bnc_rcpt_fill_from_diagnostic(r, d->a);
	}
	return 1;
}

BNC_WHEN(exchange2003, BNC_IF_TEXT(&m_did_not_reach_the), BNC_AND,
    BNC_IF_HEADER("X-MS-Embedded-Report"), BNC_IF_HEADER("X-Mailer"),
    BNC_IF_HEADER("X-MimeOLE"), BNC_IF_TEXT(&m_msexch),
    BNC_IF_RECEIVED("with Internet Mail Service"));
BNC_DECODER(exchange2003, BNC_ORDER_FORMAT, bnc_mta_exchange2003);

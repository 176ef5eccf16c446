/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * apachejames.c - bounces of Apache James (its notify mailets,
 * AbstractNotify). A plain-text notice without a report part:
 *
 *	Error message below:
 *	550 - Requested action not taken: no such user here
 *
 *	Message details:
 *	  Subject: ...
 *	  Sent date: ...
 *	  MAIL FROM: sender@example.org
 *	  RCPT TO: rcpt@example.com
 *	  From: ...
 *
 * Recognised by the two fixed lines "Error message below:" and
 * "Message details:". The recipients are the "RCPT TO:" line and the
 * indented addresses that continue it; the error message is every
 * recipient's diagnostic. James does not say which SMTP command failed.
 */
#include "../mail/address.h"
#include "mta.h"

static struct bnc_marker error_line = BNC_MARKER("Error message below:");
static struct bnc_marker details_line = BNC_MARKER("Message details:");
BNC_MARKERS(apachejames, &error_line, &details_line);
static const char rcpt_field[] = "RCPT TO:";

static int
add_rcpt(struct bnc_facts *f, struct bnc_decode *d, struct bnc_str text)
{
	struct bnc_str addr = bnc_addr_normalise(d->a, text);
	struct bnc_rcpt_facts *r;

	if (addr.len == 0 || bnc_facts_find(f, addr))
		return 0;
	r = bnc_facts_add(f, d->a);
	if (r == NULL)
		return f->truncated ? 0 : BNC_ENOMEM;
	r->recipient = addr;
	return 1;
}

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str rest = d->text, line, t, error = BNC_STR_NULL;
	enum { BEFORE, ERROR, DETAILS, RCPTS } state = BEFORE;
	const char *from = NULL, *to = NULL;
	size_t i;
	int rc;

	if (!bnc_text_has(d, &error_line) ||
	    !bnc_text_has(d, &details_line))
		return 0;
	while (rest.len) {
		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		if (bnc_str_ieq(t, error_line.s)) {
			state = ERROR;
			continue;
		}
		if (bnc_str_ieq(t, details_line.s)) {
			state = DETAILS;
			continue;
		}
		switch (state) {
		case BEFORE:
			break;
		case ERROR:
			if (t.len == 0 && from)
				state = BEFORE;
			else if (t.len) {
				if (from == NULL)
					from = line.ptr;
				to = line.ptr + line.len;
			}
			break;
		case RCPTS:
			/* Further recipients: indented, an address alone. */
			if (t.len && line.ptr[0] == ' ' &&
			    memchr(t.ptr, ':', t.len) == NULL) {
				if ((rc = add_rcpt(f, d, t)) < 0)
					return rc;
				break;
			}
			state = DETAILS;
			/* FALLTHROUGH */
		case DETAILS:
			if (bnc_str_istarts(t, rcpt_field)) {
				rc = add_rcpt(f, d, bnc_str_from(t,
				    sizeof(rcpt_field) - 1));
				if (rc < 0)
					return rc;
				state = RCPTS;
			}
			break;
		}
	}
	if (f->n == 0)
		return 0;
	if (from)
		error = bnc_text_squeeze(d->a,
		    bnc_str_make(from, (size_t)(to - from)));
	for (i = 0; i < f->n; i++) {
		struct bnc_rcpt_facts *r = &f->r[i];
		r->diagnostic = error;
		r->context = d->text;
		/* A notice of failure: James has given up on the message. */
		r->action = bnc_str_c("failed");
		bnc_rcpt_fill_from_diagnostic(r, d->a);
	}
	return 1;
}

BNC_WHEN(apachejames, BNC_IF_TEXT(&error_line), BNC_AND,
    BNC_IF_TEXT(&details_line));
BNC_DECODER(apachejames, BNC_ORDER_FORMAT, decode);

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * qmail.c - qmail-send's bounces ("Hi. This is the qmail-send program at
 * HOST."), and the reader of their layout that qmail's descendants share:
 * one paragraph per failed address, opened by the line "<a@b>:", the
 * error on the lines below it, then "--- Below this line is a copy of the
 * message." (or "--- Enclosed is a copy ..."). qmail-remote words the
 * stage of the SMTP session where the remote host refused in fixed
 * sentences ("Connected to IP but sender was rejected.", "IP does not
 * like recipient.", "IP failed after I sent the message."), which give
 * the SMTP command; the host's own answer follows "Remote host said:".
 * Recognised by the first sentence or the "(qmail N invoked for bounce)"
 * trace field.
 */
#include "../mail/address.h"
#include "mta.h"

static struct bnc_marker m_this_is_the_qmail =
    BNC_MARKER("This is the qmail-send program");
BNC_MARKERS(qmail, &m_this_is_the_qmail);

static const struct {
	const char *phrase;	/* lower case */
	const char *command;
} stages[] = {
	{ "wasn't able to establish an smtp connection", "CONN" },
	{ "but greeting failed", "CONN" },
	{ "but my name was rejected", "EHLO" },
	{ "but sender was rejected", "MAIL" },
	{ "most progress was mail from response", "MAIL" },
	{ "does not like recipient", "RCPT" },
	{ "most progress was rcpt to response", "RCPT" },
	{ "failed on data command", "DATA" },
	{ "failed after i sent the message", "DATA" },
};

/* "<a@b>:" (with or without text after it) opens a paragraph. */
static struct bnc_str
opening_address(struct bnc_str t, struct bnc_str *lead)
{
	const char *gt;

	if (t.len < 5 || t.ptr[0] != '<')
		return BNC_STR_NULL;
	gt = memchr(t.ptr, '>', t.len);
	if (gt == NULL || gt + 1 >= t.ptr + t.len || gt[1] != ':' ||
	    memchr(t.ptr, '@', (size_t)(gt - t.ptr)) == NULL)
		return BNC_STR_NULL;
	*lead = bnc_str_from(t, (size_t)(gt - t.ptr) + 2);
	return bnc_str_make(t.ptr + 1, (size_t)(gt - t.ptr) - 1);
}

/* The host named in a stage sentence: "Connected to HOST but ...",
 * "Giving up on HOST." */
static struct bnc_str
remote_host(struct bnc_str diag)
{
	static const char *const before[] = { "connected to ", "giving up on ",
		"remote host ", NULL };
	size_t i, k;

	for (i = 0; before[i]; i++) {
		long at = bnc_str_ifind(diag, before[i], strlen(before[i]));
		struct bnc_str t;
		if (at < 0)
			continue;
		t = bnc_str_from(diag, (size_t)at + strlen(before[i]));
		for (k = 0; k < t.len && (bnc_is_digit((unsigned char)t.ptr[k]) ||
		    bnc_is_alpha((unsigned char)t.ptr[k]) || t.ptr[k] == '-' ||
		    t.ptr[k] == ':' || (t.ptr[k] == '.' && k + 1 < t.len &&
		    !bnc_is_space((unsigned char)t.ptr[k + 1]))); k++)
			;
		if (k > 0 && memchr(t.ptr, '.', k) != NULL)
			return bnc_str_make(t.ptr, k);
	}
	return BNC_STR_NULL;
}

static const char *
stage_command(struct bnc_str diag)
{
	size_t i;

	for (i = 0; i < sizeof(stages) / sizeof(stages[0]); i++)
		if (bnc_str_icontains(diag, stages[i].phrase))
			return stages[i].command;
	return NULL;
}

int
bnc_qmail_read(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str rest = d->text, line, t, lead;
	struct bnc_rcpt_facts *r = NULL;
	const char *from = NULL, *to = NULL;
	size_t i;

	for (;;) {
		struct bnc_str addr = BNC_STR_NULL;
		bool end = rest.len == 0;

		if (!end) {
			line = bnc_str_line(rest, &rest);
			t = bnc_str_trim(line);
			/* "--- Below this line is a copy of the message." */
			end = bnc_str_istarts(t, "--- ");
			if (!end)
				addr = opening_address(t, &lead);
		}
		/* A paragraph ends at a blank line, the next address or the
		 * copy of the message. */
		if (r != NULL && (end || addr.len || t.len == 0)) {
			if (from != NULL)
				r->diagnostic = bnc_text_squeeze(d->a,
				    bnc_str_make(from, (size_t)(to - from)));
			r = NULL;
		}
		if (end)
			break;
		if (addr.len) {
			addr = bnc_addr_normalise(d->a, addr);
			if (addr.len == 0 || bnc_facts_find(f, addr))
				continue;
			if ((r = bnc_facts_add(f, d->a)) == NULL) {
				if (!f->truncated)
					return BNC_ENOMEM;
				break;
			}
			r->recipient = addr;
			lead = bnc_str_trim(lead);
			from = lead.len ? lead.ptr : NULL;
			to = lead.len ? lead.ptr + lead.len : NULL;
			continue;
		}
		if (r != NULL && t.len) {
			if (from == NULL)
				from = t.ptr;
			to = t.ptr + t.len;
		}
	}
	if (f->n == 0)
		return 0;
	for (i = 0; i < f->n; i++) {
		const char *cmd;
		r = &f->r[i];
		r->action = bnc_str_c("failed");
		r->context = d->text;
		if ((cmd = stage_command(r->diagnostic)) != NULL)
			r->smtp_command = bnc_str_c(cmd);
		r->remote_mta = remote_host(r->diagnostic);
		bnc_rcpt_fill_from_diagnostic(r, d->a);
	}
	return 1;
}

int
bnc_mta_qmail(struct bnc_facts *f, struct bnc_decode *d)
{
	/* The marker (a bit of the one pass) before the trace (a search
	 * of the Received: fields). */
	if (!bnc_text_has(d, &m_this_is_the_qmail) &&
	    !bnc_received_has(d, "invoked for bounce"))
		return 0;
	return bnc_qmail_read(f, d);
}

BNC_WHEN(qmail, BNC_IF_TEXT(&m_this_is_the_qmail),
    BNC_IF_RECEIVED("invoked for bounce"));
BNC_DECODER(qmail, BNC_ORDER_FORMAT, bnc_mta_qmail);

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * notes.c - reports of the Lotus Notes SMTP MTA (Notes/Domino R4, R5),
 * subject "Undeliverable message", plain text:
 *
 *	------- Failure Reasons  --------
 *
 *	User not listed in public Name & Address Book
 *	rcpt@example.com
 *
 *	------- Returned Message --------
 *
 * Each reason line is followed by the address it is about. The reasons
 * are the MTA's fixed sentences, in the server's language.
 */
#include "mta.h"

static struct bnc_marker m_failure_reasons =
    BNC_MARKER("------- Failure Reasons");
BNC_MARKERS(notes, &m_failure_reasons);

static const struct {
	const char *text;
	const char *reason;
} sentences[] = {
	{ "not listed in public Name & Address Book", "userunknown" },
	{ "ディレクトリのリストにありません", "userunknown" },
	{ "Message has exceeded maximum hop count", "networkerror" },
};

int
bnc_mta_notes(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str rest, line, addr, why = BNC_STR_NULL;
	struct bnc_rcpt_facts *r;
	size_t i, k;
	int rc;

	if (!bnc_str_istarts(d->m->subject, "Undeliverable message"))
		return 0;
	rest = bnc_text_after_marker(d, &m_failure_reasons);
	if (rest.ptr == NULL)
		return 0;
	rest = bnc_text_until(rest, "------- Returned Message");
	while (rest.len) {
		line = bnc_str_trim(bnc_str_line(rest, &rest));
		if (line.len == 0)
			continue;
		addr = bnc_line_address(line);
		if (addr.len == 0) {
			if (why.len == 0)
				why = line;
			why.len = (size_t)(line.ptr + line.len - why.ptr);
			continue;
		}
		if ((rc = bnc_facts_rcpt(&r, f, d->a, addr)) < 0)
			return rc;
		if (r == NULL)
			break;
		r->diagnostic = bnc_text_squeeze(d->a, why);
		why = BNC_STR_NULL;
	}
	if (f->n == 0)
		return 0;
	for (i = 0; i < f->n; i++) {
		r = &f->r[i];
		r->action = bnc_str_c("failed");
		for (k = 0; k < sizeof(sentences) / sizeof(sentences[0]); k++)
			if (bnc_str_icontains(r->diagnostic, sentences[k].text))
				r->reason = sentences[k].reason;
	}
	return 1;
}

BNC_WHEN(notes, BNC_IF_SUBJECT("Undeliverable message"), BNC_AND,
    BNC_IF_TEXT(&m_failure_reasons));
BNC_DECODER(notes, BNC_ORDER_FORMAT, bnc_mta_notes);

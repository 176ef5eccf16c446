/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rfc3464.c - standard delivery status notifications: every
 * message/delivery-status (or RFC 6533 global) part outside the returned
 * message. Where a group has no Diagnostic-Code, the paragraph about the
 * recipient in the human-readable part stands in for it.
 */
#include "../dsn/dsn.h"
#include "../dsn/reply.h"
#include "mta.h"

static struct bnc_marker m_final_recipient = BNC_MARKER("Final-Recipient:");
static struct bnc_marker m_reporting_mta = BNC_MARKER("Reporting-MTA:");
static struct bnc_marker m_original_recipient =
    BNC_MARKER("Original-Recipient:");
BNC_MARKERS(rfc3464, &m_final_recipient, &m_reporting_mta,
    &m_original_recipient);

int
bnc_mta_rfc3464(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str *blocks;
	size_t i;
	unsigned depth;
	int rc, total = 0;

	/* The bounce's own reports first; a report inside an attached
	 * message only when there is none (a forwarded bounce). */
	for (depth = 0; depth < 2 && total == 0; depth++) {
		for (i = 0; i < d->m->mime.n; i++) {
			const struct bnc_part *p = &d->m->mime.parts[i];
			if (p->in_message != depth ||
			    (p->kind != BNC_PART_DSN &&
			    p->kind != BNC_PART_GLOBAL_DSN))
				continue;
			rc = bnc_dsn_parse(f, d->a, p->body,
			    d->l->header_size);
			if (rc < 0)
				return rc;
			total += rc;
		}
	}
	/* Some gateways paste the report fields into the text itself. */
	if (total == 0 && bnc_text_has(d, &m_final_recipient) &&
	    bnc_looks_like_bounce(d)) {
		long at = bnc_text_find(d, &m_final_recipient);
		struct bnc_str from = bnc_str_from(d->text, (size_t)at);
		/* Back up to a Reporting-MTA or Original-Recipient line. */
		long rep = bnc_text_find(d, &m_reporting_mta);
		if (rep >= 0 && rep < at)
			from = bnc_str_from(d->text, (size_t)rep);
		else if (at > 0) {
			long orig = bnc_text_find(d, &m_original_recipient);
			if (orig >= 0 && orig < at)
				from = bnc_str_from(d->text, (size_t)orig);
		}
		rc = bnc_dsn_parse(f, d->a, from, d->l->header_size);
		if (rc < 0)
			return rc;
		total += rc;
	}
	if (total == 0)
		return 0;
	/* Recipients without a Diagnostic-Code borrow their paragraph of
	 * the human-readable part, cut where the next recipient begins. */
	blocks = bnc_arena_calloc(d->a, f->n, sizeof(*blocks));
	if (blocks == NULL)
		return BNC_ENOMEM;
	for (i = 0; i < f->n; i++) {
		struct bnc_rcpt_facts *r = &f->r[i];
		blocks[i] = bnc_text_block(d->a, d->text, r->recipient);
		r->diagnostic = bnc_text_squeeze(d->a, r->diagnostic);
		if (r->diagnostic.len == 0) {
			r->diagnostic = blocks[i];
			r->context = d->text;
		}
	}
	bnc_facts_cut_shared(f);
	for (i = 0; i < f->n; i++) {
		struct bnc_rcpt_facts *r = &f->r[i];
		bnc_rcpt_fill_from_diagnostic(r, d->a);
		/* Postfix says "(in reply to RCPT TO command)" only in the
		 * human-readable part. */
		if (r->smtp_command.len == 0 && blocks[i].len) {
			const char *cmd = bnc_smtp_command_find(blocks[i]);
			if (cmd)
				r->smtp_command = bnc_str_c(cmd);
		}
	}
	return 1;
}

BNC_DECODER(rfc3464, BNC_ORDER_STANDARD, bnc_mta_rfc3464);

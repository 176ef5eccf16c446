/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * biglobe.c - BIGLOBE's (biglobe.ne.jp) notices. Two sections in
 * Sendmail's style of rule lines, the addresses and then one
 * explanation for all of them:
 *
 *	   ----- The following addresses had delivery problems -----
 *	rcpt@example.net
 *
 *	   ----- Non-delivered information -----
 *	The number of messages in recipient's mailbox exceeded the local
 *	limit.
 *
 * Recognised by the second section's title, which is BIGLOBE's own.
 */
#include "mta.h"

static struct bnc_marker m_non_delivered_information =
    BNC_MARKER("----- Non-delivered information -----");
static struct bnc_marker m_following_addresses_had =
    BNC_MARKER("following addresses had");
static struct bnc_marker m_non_delivered_information2 =
    BNC_MARKER("----- Non-delivered information");
BNC_MARKERS(biglobe, &m_non_delivered_information, &m_following_addresses_had,
    &m_non_delivered_information2);

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str list, info, rest, line, addr;
	size_t i;
	int rc;

	if (!bnc_text_has(d, &m_non_delivered_information))
		return 0;
	list = bnc_text_after_marker(d, &m_following_addresses_had);
	if (list.ptr == NULL)
		return 0;
	list = bnc_text_until(list, "----- Non-delivered information");
	info = bnc_text_after_marker(d, &m_non_delivered_information2);
	info = bnc_text_until(info, "-----");
	rest = list;
	while (rest.len) {
		struct bnc_rcpt_facts *r;
		line = bnc_str_line(rest, &rest);
		addr = bnc_line_address(line);
		if (addr.len == 0)
			continue;
		if ((rc = bnc_facts_rcpt(&r, f, d->a, addr)) < 0)
			return rc;
		if (r == NULL)
			break;
	}
	for (i = 0; i < f->n; i++) {
		struct bnc_rcpt_facts *r = &f->r[i];
		r->action = bnc_str_c("failed");
		r->context = d->text;
		r->diagnostic = bnc_text_squeeze(d->a, info);
		bnc_rcpt_fill_from_diagnostic(r, d->a);
	}
	return f->n > 0;
}

BNC_WHEN(biglobe, BNC_IF_TEXT(&m_non_delivered_information), BNC_AND,
    BNC_IF_TEXT(&m_following_addresses_had));
BNC_DECODER(biglobe, BNC_ORDER_FORMAT, decode);

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fml.c - notices of the fml mailing-list manager (X-MLServer: fml):
 * "You are not a member of this mailing list <list>" when a non-member
 * posts, and "Loop Alert" when it drops a message it has seen. The
 * failed "recipient" is the list itself: the sender cannot post there
 * (rejected) or the list refused a duplicate (systemerror).
 */
#include "../mail/address.h"
#include "mta.h"

static struct bnc_marker m_not_a_member_of =
    BNC_MARKER("not a member of this mailing list");
BNC_MARKERS(fml, &m_not_a_member_of);

int
bnc_mta_fml(struct bnc_facts *f, struct bnc_decode *d)
{
	const struct bnc_message *m = d->m;
	struct bnc_str server = bnc_headers_get(&m->headers, "X-MLServer");
	struct bnc_rcpt_facts *r;
	const char *reason;
	struct bnc_str list;
	long at;
	size_t pos;

	if (!bnc_str_istarts(bnc_str_trim(server), "fml"))
		return 0;
	if ((at = bnc_text_find(d, &m_not_a_member_of)) >= 0)
		reason = "rejected";
	else if (bnc_str_icontains(m->subject, "loop alert"))
		reason = "systemerror";
	else
		return 0;
	/* The list's address follows the sentence; for a loop alert it is
	 * the first address of the notice. */
	pos = at >= 0 ? (size_t)at : 0;
	list = bnc_addr_next(d->text, &pos);
	if (list.len == 0)
		return 0;
	r = bnc_facts_add(f, d->a);
	if (r == NULL)
		return BNC_ENOMEM;
	r->recipient = bnc_addr_normalise(d->a, list);
	r->reason = reason;
	r->action = bnc_str_c("failed");
	r->diagnostic = bnc_text_block(d->a, d->text, list);
	f->mta = "fml";
	return 1;
}

BNC_WHEN(fml, BNC_IF_FIELD("X-MLServer", "fml"), BNC_AND,
    BNC_IF_TEXT(&m_not_a_member_of), BNC_IF_SUBJECT("loop alert"));
BNC_DECODER(fml, BNC_ORDER_FORMAT, bnc_mta_fml);

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * powermta.c - PowerMTA's delivery reports: "Hello, this is the mail
 * server on HOST." and a standard report whose groups carry PowerMTA's
 * own fields, X-PowerMTA-VirtualMTA and X-PowerMTA-BounceCategory. The
 * category is PowerMTA's verdict on the failure (bad-mailbox,
 * quota-issues, spam-related ...); it is the reason unless the remote's
 * status code names a more precise state (5.2.1, a disabled mailbox, is
 * filed under bad-mailbox). Recognised by those fields.
 */
#include "../mail/address.h"
#include "../classify/reason.h"
#include "mta.h"

static const struct {
	const char *category;
	const char *reason;
} categories[] = {
	{ "bad-mailbox", "userunknown" },
	{ "bad-domain", "hostunknown" },
	{ "inactive-mailbox", "suspend" },
	{ "quota-issues", "mailboxfull" },
	{ "message-expired", "expired" },
	{ "no-answer-from-host", "networkerror" },
	{ "bad-connection", "networkerror" },
	{ "routing-errors", "systemerror" },
	{ "bad-configuration", "systemerror" },
	{ "policy-related", "policyviolation" },
	{ "spam-related", "spamdetected" },
	{ "virus-related", "virusdetected" },
	{ "content-related", "contenterror" },
	{ "invalid-sender", "rejected" },
	{ "relaying-issues", "norelaying" },
	{ "protocol-errors", "syntaxerror" },
};

static const char *
category_reason(struct bnc_str v)
{
	size_t i;

	v = bnc_str_trim(v);
	for (i = 0; i < sizeof(categories) / sizeof(categories[0]); i++)
		if (bnc_str_ieq(v, categories[i].category))
			return categories[i].reason;
	return NULL;
}

/* The category of each group of one report part, given to the recipient
 * its Final-Recipient names. */
static void
read_categories(struct bnc_facts *f, struct bnc_decode *d,
    struct bnc_str body)
{
	struct bnc_str rest = body, line;
	struct bnc_rcpt_facts *r = NULL;
	const char *reason, *by_status;

	while (rest.len) {
		line = bnc_str_line(rest, &rest);
		if (bnc_str_istarts(line, "Final-Recipient:")) {
			r = bnc_facts_find(f, bnc_addr_normalise(d->a,
			    bnc_str_from(line, 16)));
			continue;
		}
		if (r == NULL || !bnc_str_istarts(line,
		    "X-PowerMTA-BounceCategory:"))
			continue;
		reason = category_reason(bnc_str_from(line, 26));
		by_status = bnc_reason_from_status(r->status);
		if (reason != NULL)
			r->reason = by_status ? by_status : reason;
	}
}

int
bnc_mta_powermta(struct bnc_facts *f, struct bnc_decode *d)
{
	size_t i;
	int rc;

	for (i = 0; i < d->m->mime.n; i++) {
		const struct bnc_part *p = &d->m->mime.parts[i];
		if (!p->in_message &&
		    p->kind == BNC_PART_DSN &&
		    bnc_str_icontains(p->body, "X-PowerMTA-"))
			break;
	}
	if (i == d->m->mime.n)
		return 0;
	rc = bnc_mta_rfc3464(f, d);
	if (rc <= 0)
		return rc;
	for (i = 0; i < d->m->mime.n; i++) {
		const struct bnc_part *p = &d->m->mime.parts[i];
		if (!p->in_message &&
		    p->kind == BNC_PART_DSN)
			read_categories(f, d, p->body);
	}
	return 1;
}

BNC_WHEN(powermta, BNC_IF_DSN_HAS("X-PowerMTA-"),
    BNC_AND, BNC_IF_RFC3464);
BNC_DECODER(powermta, BNC_ORDER_FORMAT, bnc_mta_powermta);

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * googlegroups.c - Google Groups posting refusals. Google sends them as
 * a Gmail DSN-less notice, in the poster's language, with the group's
 * address in X-Failed-Recipients. Whatever the wording, the verdict is
 * the same: the group refused the sender (no permission to post, or
 * no such group), so the reason is "rejected".
 */
#include "../mail/address.h"
#include "mta.h"

int
bnc_mta_googlegroups(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str failed = bnc_headers_get(&d->m->headers,
	    "X-Failed-Recipients");
	size_t i;
	int rc;

	/* A group that bounced a delivery to one of its members sends a
	 * standard report: that is the RFC 3464 reader's. */
	if (!bnc_str_icontains(failed, "@googlegroups.com") ||
	    bnc_decode_has_dsn(d))
		return 0;
	rc = bnc_mta_text(f, d);
	if (rc <= 0)
		return rc;
	for (i = 0; i < f->n; i++) {
		if (bnc_str_iends(f->r[i].recipient, "@googlegroups.com")) {
			f->r[i].reason = "rejected";
			/* A refusal, not a delay: Google does not retry. */
			f->r[i].action = bnc_str_c("failed");
			f->r[i].diagnostic = bnc_text_squeeze(d->a, d->text);
		}
	}
	return 1;
}

BNC_WHEN(googlegroups, BNC_IF_FIELD("X-Failed-Recipients",
    "@googlegroups.com"));
BNC_DECODER(googlegroups, BNC_ORDER_FORMAT, bnc_mta_googlegroups);

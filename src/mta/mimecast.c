/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mimecast.c - Mimecast's gateway notices ("[Postmaster] Email Delivery
 * Failure"). Each part of the notice is a sentence ending in a colon
 * and a line opened by "-- ":
 *
 *	An email that you attempted to send to the following address could
 *	not be delivered:
 *	-- rcpt@example.net
 *
 *	The problem appears to be :
 *	-- Recipient email address is possibly incorrect
 *
 *	Additional information follows :
 *	-- 5.1.1 <rcpt@example.net>: Recipient address rejected
 *
 *	This condition occurred after 1 attempt(s) to deliver over
 *	a period of 0 hour(s).
 *
 * (older: "... an email you addressed to email address :\n-- rcpt\n\n
 * could not be delivered. The problem appears to be :"). Mimecast
 * sends one notice per failed recipient. The additional information is
 * the next server's reply, the diagnostic; the problem is Mimecast's
 * summary of it, the context. A report part, when there is one, adds
 * its facts. Recognised by the two sentences of the problem and the
 * additional information.
 */
#include "../mail/address.h"
#include "mta.h"

static struct bnc_marker m_the_problem_appears_to =
    BNC_MARKER("The problem appears to be");
static struct bnc_marker m_additional_information_follows =
    BNC_MARKER("Additional information follows");
BNC_MARKERS(mimecast, &m_the_problem_appears_to,
    &m_additional_information_follows);

/* The "-- " lines after the line holding `marker`. */
static struct bnc_str
dashed(struct bnc_arena *a, struct bnc_str text, const char *marker)
{
	struct bnc_str rest = bnc_text_after(text, marker), line, t;
	const char *from = NULL, *to = NULL;

	while (rest.len) {
		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		if (bnc_str_istarts(t, "--")) {
			t = bnc_str_trim(bnc_str_from(t, 2));
			if (from == NULL)
				from = t.ptr;
			to = t.ptr + t.len;
			continue;
		}
		/* A wrapped "-- " line goes on unmarked. */
		if (from != NULL && t.len)
			to = t.ptr + t.len;
		if (t.len == 0 && from != NULL)
			break;
		if (from == NULL && t.len)
			break;
	}
	return from ? bnc_text_squeeze(a, bnc_str_make(from,
	    (size_t)(to - from))) : BNC_STR_NULL;
}

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str addr, problem, info;
	struct bnc_rcpt_facts *r;
	int rc;

	if (!bnc_text_has(d, &m_the_problem_appears_to) ||
	    !bnc_text_has(d, &m_additional_information_follows))
		return 0;
	addr = dashed(d->a, d->text, "could not be delivered:");
	if (addr.len == 0)
		addr = dashed(d->a, d->text, "addressed to email address");
	if ((rc = bnc_facts_rcpt(&r, f, d->a, addr)) < 0)
		return rc;
	if (r == NULL)
		return 0;
	problem = dashed(d->a, d->text, "The problem appears to be");
	info = dashed(d->a, d->text, "Additional information follows");
	r->action = bnc_str_c("failed");
	r->diagnostic = info.len ? info : problem;
	r->context = problem.len ? problem : d->text;
	bnc_rcpt_fill_from_diagnostic(r, d->a);
	if ((rc = bnc_facts_merge_dsn(f, d)) < 0)
		return rc;
	return 1;
}

BNC_WHEN(mimecast, BNC_IF_TEXT(&m_the_problem_appears_to), BNC_AND,
    BNC_IF_TEXT(&m_additional_information_follows));
BNC_DECODER(mimecast, BNC_ORDER_FORMAT, decode);

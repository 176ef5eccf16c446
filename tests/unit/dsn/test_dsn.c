/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_dsn.c - src/dsn/dsn.c: RFC 3464 delivery-status bodies. Groups
 * with and without blank lines between them, Original-Recipient only,
 * address types in any case and without a space, folded
 * Diagnostic-Code, per-message fields, the recipients limit.
 */
#include "harness.h"
#include "dsn/dsn.h"

struct want_rcpt {
	const char *recipient, *action, *status, *diagnostic, *diag_type,
	    *remote_mta, *last_attempt;
};

struct row {
	const char *name;
	const char *body;
	const char *reporting_mta, *arrival_date;
	int n;
	struct want_rcpt r[3];
};

static const struct row rows[] = {
	{ "one group",
	    "Reporting-MTA: dns; mx.example.net\n"
	    "Arrival-Date: Tue, 14 May 2024 09:12:44 +0000\n"
	    "\n"
	    "Final-Recipient: rfc822; jane@example.net\n"
	    "Action: failed\n"
	    "Status: 5.1.1\n"
	    "Remote-MTA: dns; mailstore.example.net\n"
	    "Diagnostic-Code: smtp; 550 5.1.1 user unknown\n"
	    "Last-Attempt-Date: Tue, 14 May 2024 09:12:46 +0000\n",
	    "mx.example.net", "Tue, 14 May 2024 09:12:44 +0000", 1, {
		{ "jane@example.net", "failed", "5.1.1",
		    "550 5.1.1 user unknown", "smtp", "mailstore.example.net",
		    "Tue, 14 May 2024 09:12:46 +0000" } } },
	{ "groups with blank lines",
	    "Reporting-MTA: dns; mx.example.net\n"
	    "\n"
	    "Final-Recipient: rfc822; a@example.com\n"
	    "Action: failed\n"
	    "Status: 5.1.1\n"
	    "\n"
	    "Final-Recipient: rfc822; b@example.org\n"
	    "Action: delayed\n"
	    "Status: 4.2.2\n"
	    "\n",
	    "mx.example.net", NULL, 2, {
		{ "a@example.com", "failed", "5.1.1", NULL, NULL, NULL, NULL },
		{ "b@example.org", "delayed", "4.2.2", NULL, NULL, NULL,
		    NULL } } },
	{ "groups without blank lines",
	    "Reporting-MTA: dns; mx.example.net\n"
	    "Final-Recipient: rfc822; a@example.com\n"
	    "Action: failed\n"
	    "Status: 5.1.1\n"
	    "Final-Recipient: rfc822; b@example.org\n"
	    "Action: delayed\n"
	    "Status: 4.2.2\n"
	    "Final-Recipient: rfc822; c@example.net\n"
	    "Action: delivered\n"
	    "Status: 2.0.0\n",
	    "mx.example.net", NULL, 3, {
		{ "a@example.com", "failed", "5.1.1", NULL, NULL, NULL, NULL },
		{ "b@example.org", "delayed", "4.2.2", NULL, NULL, NULL, NULL },
		{ "c@example.net", "delivered", "2.0.0", NULL, NULL, NULL,
		    NULL } } },
	{ "Original-Recipient only",
	    "Original-Recipient: rfc822; Orig@Example.ORG\n"
	    "Action: failed\n"
	    "Status: 5.1.1\n",
	    NULL, NULL, 1, {
		{ "Orig@example.org", "failed", "5.1.1", NULL, NULL, NULL,
		    NULL } } },
	{ "Original- then Final-Recipient: Final wins",
	    "Original-Recipient: rfc822; alias@example.org\n"
	    "Final-Recipient: rfc822; real@example.org\n"
	    "Action: failed\n"
	    "Status: 5.1.1\n",
	    NULL, NULL, 1, {
		{ "real@example.org", "failed", "5.1.1", NULL, NULL, NULL,
		    NULL } } },
	{ "Final- then Original-Recipient: Final wins",
	    "Final-Recipient: rfc822; real@example.org\n"
	    "Original-Recipient: rfc822;alias@example.org\n"
	    "Action: failed\n"
	    "Status: 5.1.1\n",
	    NULL, NULL, 1, {
		{ "real@example.org", "failed", "5.1.1", NULL, NULL, NULL,
		    NULL } } },
	{ "address type in any case, no space",
	    "Final-Recipient: RFC822;X@Example.COM\n"
	    "Action: failed\n"
	    "Status: 5.0.0\n"
	    "\n"
	    "Final-Recipient: Rfc822;<y@example.net>\n"
	    "Action: failed\n"
	    "Status: 5.0.0\n",
	    NULL, NULL, 2, {
		{ "X@example.com", "failed", "5.0.0", NULL, NULL, NULL, NULL },
		{ "y@example.net", "failed", "5.0.0", NULL, NULL, NULL,
		    NULL } } },
	{ "folded Diagnostic-Code",
	    "Final-Recipient: rfc822; jane@example.net\n"
	    "Action: failed\n"
	    "Status: 5.1.1\n"
	    "Diagnostic-Code: SMTP; 550 5.1.1 <jane@example.net>: Recipient\n"
	    "    address rejected: User unknown in virtual mailbox\n"
	    "\ttable\n",
	    NULL, NULL, 1, {
		{ "jane@example.net", "failed", "5.1.1",
		    "550 5.1.1 <jane@example.net>: Recipient address rejected: "
		    "User unknown in virtual mailbox table", "SMTP", NULL,
		    NULL } } },
	{ "Diagnostic-Code without a type",
	    "Final-Recipient: rfc822; a@example.com\n"
	    "Action: failed\n"
	    "Diagnostic-Code: 550 5.1.1 a;b unknown\n",
	    NULL, NULL, 1, {
		{ "a@example.com", "failed", NULL, "550 5.1.1 a;b unknown",
		    NULL, NULL, NULL } } },
	{ "Status with a comment",
	    "Final-Recipient: rfc822; a@example.com\n"
	    "Action: failed\n"
	    "Status: 5.2.2 (mailbox full)\n",
	    NULL, NULL, 1, {
		{ "a@example.com", "failed", "5.2.2", NULL, NULL, NULL,
		    NULL } } },
	{ "fields before the recipient belong to its group",
	    "Action: failed\n"
	    "Status: 5.1.1\n"
	    "Final-Recipient: rfc822; late@example.com\n",
	    NULL, NULL, 1, {
		{ "late@example.com", "failed", "5.1.1", NULL, NULL, NULL,
		    NULL } } },
	{ "group without a recipient dropped",
	    "Reporting-MTA: dns; mx.example.net\n"
	    "\n"
	    "Action: failed\n"
	    "Status: 5.0.0\n"
	    "\n"
	    "Final-Recipient: rfc822; kept@example.com\n"
	    "Action: failed\n"
	    "Status: 5.1.1\n",
	    "mx.example.net", NULL, 1, {
		{ "kept@example.com", "failed", "5.1.1", NULL, NULL, NULL,
		    NULL } } },
	{ "stray text lines skipped",
	    "This is not a field\n"
	    "Final-Recipient: rfc822; a@example.com\n"
	    "garbage line\n"
	    "Action: failed\n"
	    "Status: 5.1.1\n",
	    NULL, NULL, 1, {
		{ "a@example.com", "failed", "5.1.1", NULL, NULL, NULL,
		    NULL } } },
	{ "X-Actual-Recipient informative only",
	    "Final-Recipient: rfc822; a@example.com\n"
	    "X-Actual-Recipient: rfc822; other@example.com\n"
	    "Action: failed\n"
	    "Status: 5.1.1\n",
	    NULL, NULL, 1, {
		{ "a@example.com", "failed", "5.1.1", NULL, NULL, NULL,
		    NULL } } },
	{ "no recipient at all",
	    "Reporting-MTA: dns; mx.example.net\n",
	    "mx.example.net", NULL, 0, { { NULL, NULL, NULL, NULL, NULL, NULL,
		NULL } } },
};

static void
test_rows(void)
{
	size_t i;
	int k;

	for (i = 0; i < H_NELEM(rows); i++) {
		const struct row *r = &rows[i];
		struct bnc_arena a;
		struct bnc_facts f;
		int rc;

		memset(&f, 0, sizeof(f));
		bnc_arena_init(&a, 0);
		rc = bnc_dsn_parse(&f, &a, bnc_str_c(r->body), 0);
		CHECK_INT(r->name, "added", rc, r->n);
		CHECK_INT(r->name, "recipients", f.n, r->n);
		CHECK_VIEW(r->name, "reporting_mta", f.reporting_mta,
		    r->reporting_mta);
		CHECK_VIEW(r->name, "arrival_date", f.arrival_date,
		    r->arrival_date);
		for (k = 0; k < r->n && (size_t)k < f.n; k++) {
			const struct want_rcpt *w = &r->r[k];
			const struct bnc_rcpt_facts *g = &f.r[k];
			char name[96];

			snprintf(name, sizeof(name), "%s #%d", r->name, k);
			CHECK_VIEW(name, "recipient", g->recipient, w->recipient);
			CHECK_VIEW(name, "action", g->action, w->action);
			CHECK_VIEW(name, "status", g->status, w->status);
			CHECK_VIEW(name, "diagnostic", g->diagnostic,
			    w->diagnostic);
			CHECK_VIEW(name, "diag_type", g->diag_type, w->diag_type);
			CHECK_VIEW(name, "remote_mta", g->remote_mta,
			    w->remote_mta);
			CHECK_VIEW(name, "last_attempt", g->last_attempt,
			    w->last_attempt);
		}
		bnc_arena_deinit(&a);
	}
}

static void
test_limit(void)
{
	static const char body[] =
	    "Final-Recipient: rfc822; a@example.com\nStatus: 5.1.1\n\n"
	    "Final-Recipient: rfc822; b@example.com\nStatus: 5.1.1\n\n"
	    "Final-Recipient: rfc822; c@example.com\nStatus: 5.1.1\n";
	struct bnc_arena a;
	struct bnc_facts f;
	int rc;

	memset(&f, 0, sizeof(f));
	f.max = 2;
	bnc_arena_init(&a, 0);
	rc = bnc_dsn_parse(&f, &a, bnc_str_c(body), 0);
	CHECK_INT("recipients limit", "added", rc, 2);
	CHECK_INT("recipients limit", "n", f.n, 2);
	CHECK_BOOL("recipients limit", "truncated", f.truncated, true);
	bnc_arena_deinit(&a);

	/* Two delivery-status parts add up; the first Reporting-MTA stays. */
	memset(&f, 0, sizeof(f));
	bnc_arena_init(&a, 0);
	rc = bnc_dsn_parse(&f, &a, bnc_str_c("Reporting-MTA: dns; one.example\n\n"
	    "Final-Recipient: rfc822; a@example.com\n"), 0);
	CHECK_INT("second part", "first added", rc, 1);
	rc = bnc_dsn_parse(&f, &a, bnc_str_c("Reporting-MTA: dns; two.example\n\n"
	    "Final-Recipient: rfc822; b@example.com\n"), 0);
	CHECK_INT("second part", "second added", rc, 1);
	CHECK_INT("second part", "n", f.n, 2);
	CHECK_VIEW("second part", "reporting_mta", f.reporting_mta,
	    "one.example");
	bnc_arena_deinit(&a);
}

static void
test_value(void)
{
	static const struct {
		const char *name, *in, *value, *type;
	} vrows[] = {
		{ "typed", "smtp; 550 5.1.1 unknown", "550 5.1.1 unknown", "smtp" },
		{ "no space", "dns;mx.example.net", "mx.example.net", "dns" },
		{ "padded", "  x-unix ;  mailbox full  ", "mailbox full",
		    "x-unix" },
		{ "no type", "550 5.1.1 unknown", "550 5.1.1 unknown", NULL },
		{ "semicolon later is no type", "550 5.1.1 a;b", "550 5.1.1 a;b",
		    NULL },
		{ "empty type", "; value", "; value", NULL },
		{ "type too long", "averyveryverylongtype; v",
		    "averyveryverylongtype; v", NULL },
	};
	size_t i;

	for (i = 0; i < H_NELEM(vrows); i++) {
		struct bnc_str type;
		CHECK_VIEW(vrows[i].name, "value", bnc_dsn_value(
		    bnc_str_c(vrows[i].in), &type), vrows[i].value);
		CHECK_VIEW(vrows[i].name, "type", type, vrows[i].type);
	}
}

int
main(void)
{
	test_rows();
	test_limit();
	test_value();
	return h_done("test_dsn");
}

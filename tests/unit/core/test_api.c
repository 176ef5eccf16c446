/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_api.c - the public API of bouncer.h: bnc_ctx_new() option
 * checks, bnc_parse() on empty input, on a message that is no bounce and
 * on a small synthetic DSN (every record field), the campaign header
 * option, the recipients and MIME depth limits, bnc_explain() on raw
 * SMTP replies, and the report accessors.
 */
#include "bouncer.h"
#include <stdlib.h>

#include "harness.h"

/* A Postfix-style DSN: two recipients, the original's headers with
 * Message-ID, List-Id, X-Campaign-ID and a custom X-Mailing header. */
static const char dsn[] =
    "Return-Path: <>\n"
    "From: Mail Delivery System <MAILER-DAEMON@relay.example.org>\n"
    "To: bounces+t1@bounce.example.com\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "Date: Wed, 15 May 2024 10:00:05 +0200\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status;\n"
    "\tboundary=\"B0UND\"\n"
    "\n"
    "--B0UND\n"
    "Content-Type: text/plain; charset=us-ascii\n"
    "\n"
    "This is the mail system at host relay.example.org.\n"
    "\n"
    "<Bob@Example.NET>: host mx.example.net[192.0.2.20] said: 550 5.1.1\n"
    "    <Bob@Example.NET>... User unknown (in reply to RCPT TO command)\n"
    "\n"
    "<carol@example.org>: host mx.example.org[192.0.2.21] said: 452 4.2.2\n"
    "    Mailbox full (in reply to RCPT TO command)\n"
    "\n"
    "--B0UND\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; relay.example.org\n"
    "Arrival-Date: Wed, 15 May 2024 10:00:00 +0200\n"
    "\n"
    "Final-Recipient: rfc822; Bob@Example.NET\n"
    "Original-Recipient: rfc822;Bob@Example.NET\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "Remote-MTA: dns; mx.example.net\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <Bob@Example.NET>... User unknown\n"
    "    (in reply to RCPT TO command)\n"
    "Last-Attempt-Date: Wed, 15 May 2024 10:00:04 +0200\n"
    "\n"
    "Final-Recipient: rfc822; carol@example.org\n"
    "Action: delayed\n"
    "Status: 4.2.2\n"
    "Remote-MTA: dns; mx.example.org\n"
    "Diagnostic-Code: smtp; 452 4.2.2 Mailbox full\n"
    "\n"
    "--B0UND\n"
    "Content-Type: text/rfc822-headers\n"
    "\n"
    "Return-Path: <bounces+t1@bounce.example.com>\n"
    "From: Example Shop <shop@example.com>\n"
    "To: Bob@Example.NET, carol@example.org\n"
    "Subject: Spring sale\n"
    "Message-ID: <t1.42@out.example.com>\n"
    "List-Id: Shop news <news.example.com>\n"
    "X-Campaign-ID: spring-24\n"
    "X-Mailing: m-77\n"
    "\n"
    "--B0UND--\n";

struct want_record {
	const char *recipient, *sender, *status, *reply_code, *diagnostic,
	    *diagnostic_type, *dsn_action, *remote_mta, *reporting_mta,
	    *smtp_command, *message_id, *campaign, *list_id, *feedback_type,
	    *timestamp, *mta, *provider, *reason, *rule;
	enum bnc_class cls;
	enum bnc_action action;
};

static void
check_record(const char *name, const struct bnc_record *r,
    const struct want_record *w)
{
	if (r == NULL) {
		CHECK_FAIL(name, "no record", "a record");
		return;
	}
	CHECK_STR(name, "recipient", r->recipient, w->recipient);
	CHECK_STR(name, "sender", r->sender, w->sender);
	CHECK_STR(name, "status", r->status, w->status);
	CHECK_STR(name, "reply_code", r->reply_code, w->reply_code);
	CHECK_STR(name, "diagnostic", r->diagnostic, w->diagnostic);
	CHECK_STR(name, "diagnostic_type", r->diagnostic_type,
	    w->diagnostic_type);
	CHECK_STR(name, "dsn_action", r->dsn_action, w->dsn_action);
	CHECK_STR(name, "remote_mta", r->remote_mta, w->remote_mta);
	CHECK_STR(name, "reporting_mta", r->reporting_mta, w->reporting_mta);
	CHECK_STR(name, "smtp_command", r->smtp_command, w->smtp_command);
	CHECK_STR(name, "message_id", r->message_id, w->message_id);
	CHECK_STR(name, "campaign", r->campaign, w->campaign);
	CHECK_STR(name, "list_id", r->list_id, w->list_id);
	CHECK_STR(name, "feedback_type", r->feedback_type, w->feedback_type);
	CHECK_STR(name, "timestamp", r->timestamp, w->timestamp);
	CHECK_STR(name, "mta", r->mta, w->mta);
	CHECK_STR(name, "provider", r->provider, w->provider);
	CHECK_STR(name, "reason", r->reason, w->reason);
	CHECK_STR(name, "rule", r->rule, w->rule);
	CHECK_STR(name, "class", bnc_class_name(r->cls), bnc_class_name(w->cls));
	CHECK_STR(name, "action", bnc_action_name(r->action),
	    bnc_action_name(w->action));
}

static const struct want_record want_bob = {
	"Bob@example.net", "bounces+t1@bounce.example.com", "5.1.1", "550",
	"550 5.1.1 <Bob@Example.NET>... User unknown (in reply to RCPT TO "
	"command)", "smtp", "failed", "mx.example.net", "relay.example.org",
	"RCPT", "<t1.42@out.example.com>", "spring-24",
	"Shop news <news.example.com>", "", "2024-05-15T08:00:04Z", "postfix",
	"", "userunknown", "hard-address", BNC_CLASS_HARD, BNC_ACTION_SUPPRESS
};

static const struct want_record want_carol = {
	"carol@example.org", "bounces+t1@bounce.example.com", "4.2.2", "452",
	"452 4.2.2 Mailbox full", "smtp", "delayed", "mx.example.org",
	"relay.example.org", "RCPT", "<t1.42@out.example.com>", "spring-24",
	"Shop news <news.example.com>", "", "2024-05-15T08:00:00Z", "postfix",
	"", "mailboxfull", "soft-temporary-reason", BNC_CLASS_SOFT,
	BNC_ACTION_RETRY
};

static void
test_ctx(void)
{
	static const char long_name[] = "X-A-Header-Name-That-Is-Far-Too-Long-"
	    "For-The-Context-Buffer-Of-64";
	struct bnc_ctx *ctx;
	struct bnc_options o;
	int rc;

	ctx = (struct bnc_ctx *)&o;	/* must be reset to NULL on failure */
	rc = bnc_ctx_new(&ctx, NULL);
	CHECK_INT("NULL options", "rc", rc, 0);
	CHECK_TRUE("NULL options", "ctx", ctx != NULL);
	bnc_ctx_free(ctx);

	{
		struct bnc_options init = BNC_OPTIONS_INIT;
		o = init;
	}
	o.version = 0;
	ctx = (struct bnc_ctx *)&o;
	CHECK_INT("version 0", "rc", bnc_ctx_new(&ctx, &o), BNC_EINVAL);
	CHECK_TRUE("version 0", "*out NULL", ctx == NULL);
	o.version = BNC_OPTIONS_VERSION + 1;
	CHECK_INT("future version", "rc", bnc_ctx_new(&ctx, &o), BNC_EINVAL);

	o.version = BNC_OPTIONS_VERSION;
	o.profile = (enum bnc_profile)7;
	CHECK_INT("unknown profile", "rc", bnc_ctx_new(&ctx, &o), BNC_EINVAL);
	CHECK_TRUE("unknown profile", "*out NULL", ctx == NULL);

	o.profile = BNC_PROFILE_PROTECT_LIST;
	o.campaign_header = "";
	CHECK_INT("empty campaign header", "rc", bnc_ctx_new(&ctx, &o),
	    BNC_EINVAL);
	o.campaign_header = long_name;
	CHECK_INT("campaign header too long", "rc", bnc_ctx_new(&ctx, &o),
	    BNC_EINVAL);

	o.campaign_header = "X-Mailing";
	CHECK_INT("protect-list, custom header", "rc", bnc_ctx_new(&ctx, &o),
	    0);
	bnc_ctx_free(ctx);
	bnc_ctx_free(NULL);

	CHECK_STR("bnc_version", "version", bnc_version(), BNC_VERSION);
	CHECK_STR("bnc_strerror EINVAL", "text", bnc_strerror(BNC_EINVAL),
	    "invalid argument");
	CHECK_STR("bnc_strerror unknown", "text", bnc_strerror(-999),
	    "unknown error");
}

static void
test_parse_trivial(const struct bnc_ctx *ctx)
{
	static const char not_bounce[] =
	    "From: Alice <alice@example.com>\n"
	    "To: bob@example.org\n"
	    "Subject: lunch on Friday?\n"
	    "Date: Wed, 15 May 2024 10:00:00 +0000\n"
	    "\n"
	    "Are you free at noon? Write to carol@example.net too.\n";
	struct bnc_report *rep;
	struct bnc_error err;

	rep = (struct bnc_report *)&err;
	CHECK_INT("empty input", "rc", bnc_parse(&rep, ctx, NULL, 0, &err), 0);
	CHECK_INT("empty input", "count", bnc_report_count(rep), 0);
	CHECK_TRUE("empty input", "record 0", bnc_report_record(rep, 0) == NULL);
	bnc_report_free(rep);

	CHECK_INT("empty string", "rc", bnc_parse(&rep, ctx, "", 0, NULL), 0);
	CHECK_INT("empty string", "count", bnc_report_count(rep), 0);
	bnc_report_free(rep);

	CHECK_INT("blank lines", "rc", bnc_parse(&rep, ctx, "\n\n\r\n", 4,
	    NULL), 0);
	CHECK_INT("blank lines", "count", bnc_report_count(rep), 0);
	bnc_report_free(rep);

	CHECK_INT("not a bounce", "rc", bnc_parse(&rep, ctx, not_bounce,
	    strlen(not_bounce), &err), 0);
	CHECK_INT("not a bounce", "count", bnc_report_count(rep), 0);
	CHECK_INT("not a bounce", "anomalies", bnc_report_anomalies(rep), 0);
	bnc_report_free(rep);

	rep = (struct bnc_report *)&err;
	CHECK_INT("NULL data with a length", "rc", bnc_parse(&rep, ctx, NULL, 5,
	    &err), BNC_EINVAL);
	CHECK_TRUE("NULL data with a length", "*out NULL", rep == NULL);
	CHECK_INT("NULL data with a length", "err.code", err.code, BNC_EINVAL);
	CHECK_INT("NULL ctx", "rc", bnc_parse(&rep, NULL, "x", 1, NULL),
	    BNC_EINVAL);

	CHECK_INT("NULL report", "count", bnc_report_count(NULL), 0);
	CHECK_TRUE("NULL report", "record", bnc_report_record(NULL, 0) == NULL);
	CHECK_INT("NULL report", "anomalies", bnc_report_anomalies(NULL), 0);
	bnc_report_free(NULL);
}

static void
test_parse_dsn(const struct bnc_ctx *ctx)
{
	struct bnc_report *rep;
	struct bnc_error err;
	int rc;

	rc = bnc_parse(&rep, ctx, dsn, strlen(dsn), &err);
	CHECK_INT("dsn", "rc", rc, 0);
	if (rc)
		return;
	CHECK_INT("dsn", "count", bnc_report_count(rep), 2);
	CHECK_INT("dsn", "anomalies", bnc_report_anomalies(rep), 0);
	check_record("dsn, first recipient", bnc_report_record(rep, 0),
	    &want_bob);
	check_record("dsn, second recipient", bnc_report_record(rep, 1),
	    &want_carol);
	CHECK_TRUE("dsn", "record 2", bnc_report_record(rep, 2) == NULL);
	bnc_report_free(rep);

	/* The same bytes with CRLF line ends give the same records. */
	{
		char crlf[sizeof(dsn) * 2];
		size_t i, n = 0;

		for (i = 0; dsn[i]; i++) {
			if (dsn[i] == '\n')
				crlf[n++] = '\r';
			crlf[n++] = dsn[i];
		}
		rc = bnc_parse(&rep, ctx, crlf, n, &err);
		CHECK_INT("dsn crlf", "rc", rc, 0);
		if (rc == 0) {
			CHECK_INT("dsn crlf", "count", bnc_report_count(rep), 2);
			check_record("dsn crlf, first recipient",
			    bnc_report_record(rep, 0), &want_bob);
			check_record("dsn crlf, second recipient",
			    bnc_report_record(rep, 1), &want_carol);
			bnc_report_free(rep);
		}
	}
}

static void
test_options(void)
{
	struct bnc_options o = BNC_OPTIONS_INIT;
	struct bnc_ctx *ctx;
	struct bnc_report *rep;
	const struct bnc_record *r;

	/* campaign_header names another header of the original. */
	o.campaign_header = "x-mailing";
	CHECK_INT("campaign header", "ctx rc", bnc_ctx_new(&ctx, &o), 0);
	CHECK_INT("campaign header", "rc", bnc_parse(&rep, ctx, dsn,
	    strlen(dsn), NULL), 0);
	r = bnc_report_record(rep, 0);
	CHECK_STR("campaign header", "campaign", r ? r->campaign : NULL,
	    "m-77");
	r = bnc_report_record(rep, 1);
	CHECK_STR("campaign header, second record", "campaign",
	    r ? r->campaign : NULL, "m-77");
	bnc_report_free(rep);
	bnc_ctx_free(ctx);

	/* A header the original does not have gives "". */
	o.campaign_header = "X-No-Such-Header";
	CHECK_INT("absent campaign header", "ctx rc", bnc_ctx_new(&ctx, &o), 0);
	CHECK_INT("absent campaign header", "rc", bnc_parse(&rep, ctx, dsn,
	    strlen(dsn), NULL), 0);
	r = bnc_report_record(rep, 0);
	CHECK_STR("absent campaign header", "campaign", r ? r->campaign : NULL,
	    "");
	bnc_report_free(rep);
	bnc_ctx_free(ctx);

	/* The recipients limit keeps the first and flags the rest. */
	o.campaign_header = NULL;
	o.limits.recipients = 1;
	CHECK_INT("recipients limit", "ctx rc", bnc_ctx_new(&ctx, &o), 0);
	CHECK_INT("recipients limit", "rc", bnc_parse(&rep, ctx, dsn,
	    strlen(dsn), NULL), 0);
	CHECK_INT("recipients limit", "count", bnc_report_count(rep), 1);
	CHECK_INT("recipients limit", "anomalies", bnc_report_anomalies(rep),
	    BNC_ANOMALY_RECIPIENTS);
	r = bnc_report_record(rep, 0);
	CHECK_STR("recipients limit", "recipient", r ? r->recipient : NULL,
	    "Bob@example.net");
	bnc_report_free(rep);
	bnc_ctx_free(ctx);

	/* The MIME depth limit: the report's parts sit at depth 1. */
	o.limits.recipients = 0;
	o.limits.mime_depth = 1;
	CHECK_INT("mime depth 1", "ctx rc", bnc_ctx_new(&ctx, &o), 0);
	{
		static const char nested[] =
		    "Content-Type: multipart/mixed; boundary=a\n\n"
		    "--a\nContent-Type: multipart/mixed; boundary=b\n\n"
		    "--b\nContent-Type: text/plain\n\ndeep\n--b--\n"
		    "--a--\n";
		CHECK_INT("mime depth 1", "rc", bnc_parse(&rep, ctx, nested,
		    strlen(nested), NULL), 0);
		CHECK_INT("mime depth 1", "anomalies", bnc_report_anomalies(rep),
		    BNC_ANOMALY_MIME_DEPTH);
		bnc_report_free(rep);
		CHECK_INT("mime depth 1, dsn", "rc", bnc_parse(&rep, ctx, dsn,
		    strlen(dsn), NULL), 0);
		CHECK_INT("mime depth 1, dsn", "count", bnc_report_count(rep), 2);
		CHECK_INT("mime depth 1, dsn", "anomalies",
		    bnc_report_anomalies(rep), 0);
		bnc_report_free(rep);
	}
	bnc_ctx_free(ctx);

	/* message_size cuts the input and says so. */
	o.limits.mime_depth = 0;
	o.limits.message_size = (size_t)1 << 20;
	CHECK_INT("message_size", "ctx rc", bnc_ctx_new(&ctx, &o), 0);
	{
		size_t big = ((size_t)1 << 20) + 100;
		char *buf = calloc(1, big);
		CHECK_TRUE("message_size", "buffer", buf != NULL);
		if (buf != NULL) {
			memcpy(buf, "Subject: big\n\n", 14);
			/* Short lines: only message_size is to be hit. */
			for (size_t k = 14; k < big; k++)
				buf[k] = k % 80 == 0 ? '\n' : 'x';
			CHECK_INT("message_size", "rc", bnc_parse(&rep, ctx, buf,
			    big, NULL), 0);
			CHECK_INT("message_size", "anomalies",
			    bnc_report_anomalies(rep), BNC_ANOMALY_TRUNCATED);
			bnc_report_free(rep);
			free(buf);
		}
	}
	bnc_ctx_free(ctx);
}

static void
test_explain(const struct bnc_ctx *ctx, const struct bnc_ctx *protect)
{
	static const struct {
		const char *name, *reply, *remote;
		int protect;
		const char *cls, *reason, *status, *code, *action, *rule,
		    *recipient, *provider;
	} rows[] = {
		{ "user unknown",
		    "550 5.1.1 <a@example.com>: Recipient address rejected: "
		    "User unknown", NULL, 0, "hard", "userunknown", "5.1.1",
		    "550", "suppress", "hard-address", "a@example.com", "" },
		{ "yahoo TSS deferral",
		    "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily "
		    "deferred", "mta7.am0.yahoodns.net", 0, "gray", NULL, "4.7.0",
		    "421", "throttle", "gray-yahoo-deferral", "", "yahoo" },
		{ "microsoft reputation",
		    "451 4.7.650 The mail server [192.0.2.9] has been "
		    "temporarily rate limited due to IP reputation.",
		    "example-com.mail.protection.outlook.com", 0, "gray", NULL,
		    "4.7.650", "451", "review", "gray-microsoft-reputation", "",
		    "microsoft" },
		{ "gmail rate limit",
		    "421 4.7.28 Our system has detected an unusual rate of "
		    "unsolicited mail originating from your IP address.",
		    "gmail-smtp-in.l.google.com", 0, "gray", NULL, "4.7.28",
		    "421", "throttle", "gray-google-rate-limit", "", "google" },
		{ "mailbox full with 5xx",
		    "552 5.2.2 <b@example.org>: mailbox full", NULL, 0, "soft",
		    "mailboxfull", "5.2.2", "552", "retry",
		    "soft-temporary-reason", "b@example.org", "" },
		{ "reply code only", "550 Requested action not taken", NULL, 0,
		    "hard", NULL, "5.0.0", "550", "suppress", NULL, "", "" },
		{ "nothing", "hello", NULL, 0, "unknown", "undefined", "", "",
		    "review", "unknown", "", "" },
		{ "empty", "", NULL, 0, "unknown", "undefined", "", "",
		    "review", "unknown", "", "" },
		{ "userunknown under protect-list stays hard",
		    "550 5.1.1 <a@example.com>: Recipient address rejected: "
		    "User unknown", NULL, 1, "hard", "userunknown", "5.1.1",
		    "550", "suppress", "hard-address", "a@example.com", "" },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++) {
		struct bnc_report *rep;
		struct bnc_error err;
		const struct bnc_record *r;
		int rc;

		rc = bnc_explain(&rep, rows[i].protect ? protect : ctx,
		    rows[i].reply, strlen(rows[i].reply), rows[i].remote, &err);
		CHECK_INT(rows[i].name, "rc", rc, 0);
		if (rc)
			continue;
		CHECK_INT(rows[i].name, "count", bnc_report_count(rep), 1);
		r = bnc_report_record(rep, 0);
		if (r == NULL) {
			bnc_report_free(rep);
			continue;
		}
		CHECK_STR(rows[i].name, "class", bnc_class_name(r->cls),
		    rows[i].cls);
		if (rows[i].reason)
			CHECK_STR(rows[i].name, "reason", r->reason,
			    rows[i].reason);
		CHECK_STR(rows[i].name, "status", r->status, rows[i].status);
		CHECK_STR(rows[i].name, "reply_code", r->reply_code,
		    rows[i].code);
		CHECK_STR(rows[i].name, "action", bnc_action_name(r->action),
		    rows[i].action);
		if (rows[i].rule)
			CHECK_STR(rows[i].name, "rule", r->rule, rows[i].rule);
		CHECK_STR(rows[i].name, "recipient", r->recipient,
		    rows[i].recipient);
		CHECK_STR(rows[i].name, "provider", r->provider,
		    rows[i].provider);
		CHECK_STR(rows[i].name, "mta", r->mta, "smtp");
		CHECK_STR(rows[i].name, "diagnostic", r->diagnostic,
		    rows[i].reply);
		bnc_report_free(rep);
	}
	{
		/* Any non-NULL pointer: the call must set *out to NULL. */
		static int not_a_report;
		struct bnc_report *rep = (struct bnc_report *)(void *)&not_a_report;
		CHECK_INT("explain NULL reply with a length", "rc",
		    bnc_explain(&rep, ctx, NULL, 3, NULL, NULL), BNC_EINVAL);
		CHECK_TRUE("explain NULL reply with a length", "*out NULL",
		    rep == NULL);
	}
}

/* line_size, field_size and work_size: each hit is flagged or an
 * error, and the output respects it. */
static void
test_more_limits(void)
{
	struct bnc_options o = BNC_OPTIONS_INIT;
	struct bnc_ctx *ctx;
	struct bnc_report *rep;
	char msg[4096];
	size_t n;
	int k;

	/* A 300-byte line with line_size 100: cut, flagged, still read. */
	o.limits.line_size = 100;
	CHECK_INT("line_size", "ctx rc", bnc_ctx_new(&ctx, &o), 0);
	n = (size_t)snprintf(msg, sizeof(msg), "From: MAILER-DAEMON@mx.example"
	    "\nSubject: Undelivered Mail\n\n<a@example.net>: 550 5.1.1 "
	    "unknown user\n\n");
	for (k = 0; k < 300; k++)
		msg[n++] = 'q';
	msg[n++] = '\n';
	CHECK_INT("line_size", "rc", bnc_parse(&rep, ctx, msg, n, NULL), 0);
	CHECK_INT("line_size", "anomalies", bnc_report_anomalies(rep),
	    BNC_ANOMALY_LONG_LINE);
	CHECK_INT("line_size", "count", bnc_report_count(rep), 1);
	bnc_report_free(rep);
	bnc_ctx_free(ctx);

	/* A long diagnostic with field_size 40, cut before a UTF-8 "é". */
	o.limits.line_size = 0;
	o.limits.field_size = 40;
	CHECK_INT("field_size", "ctx rc", bnc_ctx_new(&ctx, &o), 0);
	n = (size_t)snprintf(msg, sizeof(msg), "From: MAILER-DAEMON@mx.example"
	    "\nSubject: Undelivered Mail\n\n<a@example.net>: 550 5.1.1 "
	    "unknown user 123456\xc3\xa9 and a long explanation after it\n");
	CHECK_INT("field_size", "rc", bnc_parse(&rep, ctx, msg, n, NULL), 0);
	CHECK_INT("field_size", "anomalies", bnc_report_anomalies(rep) &
	    BNC_ANOMALY_FIELD, BNC_ANOMALY_FIELD);
	CHECK_INT("field_size", "count", bnc_report_count(rep), 1);
	if (bnc_report_count(rep) == 1) {
		const struct bnc_record *r = bnc_report_record(rep, 0);
		CHECK_TRUE("field_size", "diagnostic within the limit",
		    strlen(r->diagnostic) <= 40);
		CHECK_TRUE("field_size", "no cut character",
		    strchr(r->diagnostic, '\xc3') == NULL);
		CHECK_STR("field_size", "reason still read", r->reason,
		    "userunknown");
	}
	bnc_report_free(rep);
	bnc_ctx_free(ctx);

	/* work_size 64 KiB against a 200 KiB message: an error, no crash. */
	o.limits.field_size = 0;
	o.limits.work_size = (size_t)64 << 10;
	CHECK_INT("work_size", "ctx rc", bnc_ctx_new(&ctx, &o), 0);
	{
		size_t big = (size_t)200 << 10;
		char *buf = calloc(1, big);
		struct bnc_error err;
		CHECK_TRUE("work_size", "buffer", buf != NULL);
		if (buf != NULL) {
			memset(buf, 'w', big);
			CHECK_INT("work_size", "rc", bnc_parse(&rep, ctx, buf,
			    big, &err), BNC_ETOOBIG);
			CHECK_TRUE("work_size", "no report", rep == NULL);
			CHECK_TRUE("work_size", "error text", strstr(err.msg,
			    "limit") != NULL);
			free(buf);
		}
	}
	bnc_ctx_free(ctx);
	CHECK_STR("anomaly names", "line", bnc_anomaly_name(
	    BNC_ANOMALY_LONG_LINE), "line_size");
	CHECK_STR("anomaly names", "unknown", bnc_anomaly_name(1u << 30),
	    "unknown");
}

int
main(void)
{
	struct bnc_options po = BNC_OPTIONS_INIT;
	struct bnc_ctx *ctx, *protect;

	test_ctx();
	if (bnc_ctx_new(&ctx, NULL) != 0)
		return CHECK_FAIL("ctx", "no context", "a context"), h_done("test_api");
	po.profile = BNC_PROFILE_PROTECT_LIST;
	if (bnc_ctx_new(&protect, &po) != 0) {
		bnc_ctx_free(ctx);
		return CHECK_FAIL("ctx", "no context", "a context"), h_done("test_api");
	}
	test_parse_trivial(ctx);
	test_parse_dsn(ctx);
	test_options();
	test_explain(ctx, protect);
	test_more_limits();
	bnc_ctx_free(protect);
	bnc_ctx_free(ctx);
	return h_done("test_api");
}

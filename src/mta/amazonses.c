/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * amazonses.c - Amazon SES notifications (Bounce, Complaint, Delivery)
 * delivered as e-mail through an SNS e-mail subscription: the body is
 * the notification's JSON, sometimes wrapped in the SNS envelope
 * ({"Type":"Notification","Message":"{...}"}), followed by SNS's
 * unsubscribe footer. Field names: the SES developer guide, "Contents of
 * notifications for Amazon SES".
 *
 * SES's own vocabulary is kept where it says more than the DSN fields:
 * bounceSubType Suppressed / OnAccountSuppressionList -> suppressed,
 * NoEmail -> userunknown, MailboxFull, MessageTooLarge, ContentRejected,
 * AttachmentRejected; a Permanent / Transient bounce without a status
 * gets 5.0.0 / 4.0.0, an Undetermined one none (DESIGN.md section 2).
 *
 * SES also bounces by mail: a standard report from MAILER-DAEMON@
 * [region.]amazonses.com, with X-SES-Outgoing (X-AWS-Outgoing before
 * 2012). The RFC 3464 reader reads it; older reports quote the remote
 * server's reply inside SES's own words ("5.1.0 - Unknown address error
 * 550-'5.7.1 <a@example.com>... Access denied' (delivery attempts: 0)"),
 * and that reply is what failed. It runs before the format decoders:
 * WorkMail and SES receiving, which also send through SES, come first.
 */

#include "../dsn/reply.h"
#include "../util/json.h"
#include "../mail/address.h"
#include "mta.h"

/* A string member ("" when absent or no string). */
static struct bnc_str
jstr(const struct bnc_json *obj, const char *key)
{
	const struct bnc_json *v = bnc_json_get(obj, key);

	return v != NULL && v->type == BNC_JSON_STRING ? v->str :
	    BNC_STR_NULL;
}

/* The members of an array (none for anything else). */
static size_t
jcount(const struct bnc_json *v)
{
	return v != NULL && v->type == BNC_JSON_ARRAY ? v->n : 0;
}

static const char *
subtype_reason(const char *sub)
{
	static const struct {
		const char *sub, *reason;
	} map[] = {
		{ "Suppressed", "suppressed" },
		{ "OnAccountSuppressionList", "suppressed" },
		{ "NoEmail", "userunknown" },
		{ "MailboxFull", "mailboxfull" },
		{ "MessageTooLarge", "mesgtoobig" },
		{ "ContentRejected", "contenterror" },
		{ "AttachmentRejected", "contenterror" },
	};
	size_t i;

	for (i = 0; sub && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].sub, sub) == 0)
			return map[i].reason;
	return NULL;
}

/* The mail object: original sender, Message-ID, List-Id, campaign. */
static void
mail_facts(struct bnc_facts *f, struct bnc_arena *a,
    const struct bnc_json *mail)
{
	const struct bnc_json *headers;
	size_t i;

	if (mail == NULL || mail->type != BNC_JSON_OBJECT)
		return;
	f->sender = bnc_addr_normalise(a, jstr(mail, "source"));
	headers = bnc_json_get(mail, "headers");
	for (i = 0; i < jcount(headers); i++) {
		const struct bnc_json *h = &headers->v[i];
		const char *name = bnc_json_string(bnc_json_get(h, "name"));
		if (name == NULL)
			continue;
		if (strcasecmp(name, "Message-ID") == 0)
			f->message_id = jstr(h, "value");
		else if (strcasecmp(name, "List-Id") == 0)
			f->list_id = jstr(h, "value");
		else if (strcasecmp(name, "X-Campaign-ID") == 0)
			f->campaign = jstr(h, "value");
	}
}

static struct bnc_rcpt_facts *
add(struct bnc_facts *f, struct bnc_arena *a, struct bnc_str addr)
{
	struct bnc_rcpt_facts *r = bnc_facts_add(f, a);

	if (r != NULL)
		r->recipient = bnc_addr_normalise(a, addr);
	return r;
}

int
bnc_ses_json_facts(struct bnc_facts *f, struct bnc_arena *a,
    struct bnc_str json)
{
	const struct bnc_json *root, *msg, *part, *list, *item;
	const char *type;
	size_t i;

	root = bnc_json_parse(a, json, true);
	if (root == NULL)
		return 0;
	/* The SNS envelope carries the notification as a string. */
	msg = bnc_json_get(root, "Message");
	if (bnc_json_string(msg) != NULL) {
		root = bnc_json_parse(a, msg->str, false);
		if (root == NULL)
			return 0;
	}
	type = bnc_json_string(bnc_json_get(root, "notificationType"));
	if (type == NULL)
		type = bnc_json_string(bnc_json_get(root, "eventType"));
	if (type == NULL)
		return 0;
	mail_facts(f, a, bnc_json_get(root, "mail"));

	if (strcmp(type, "Bounce") == 0) {
		const char *btype, *sub;
		part = bnc_json_get(root, "bounce");
		btype = bnc_json_string(bnc_json_get(part, "bounceType"));
		sub = bnc_json_string(bnc_json_get(part, "bounceSubType"));
		f->reporting_mta = bnc_str_trim(jstr(part, "reportingMTA"));
		f->arrival_date = jstr(part, "timestamp");
		list = bnc_json_get(part, "bouncedRecipients");
		for (i = 0; i < jcount(list); i++) {
			struct bnc_rcpt_facts *r;
			item = &list->v[i];
			r = add(f, a, jstr(item, "emailAddress"));
			if (r == NULL)
				goto out_full;
			r->action = jstr(item, "action");
			r->status = bnc_status_find(jstr(item, "status"));
			r->diagnostic = jstr(item, "diagnosticCode");
			if (bnc_str_istarts(r->diagnostic, "smtp;")) {
				r->diag_type = bnc_str_c("smtp");
				r->diagnostic = bnc_str_trim(bnc_str_from(
				    r->diagnostic, 5));
			}
			r->reason = subtype_reason(sub);
			bnc_rcpt_fill_from_diagnostic(r, a);
			if (r->status.len == 0 && btype != NULL) {
				if (strcmp(btype, "Permanent") == 0)
					r->status = bnc_str_c("5.0.0");
				else if (strcmp(btype, "Transient") == 0)
					r->status = bnc_str_c("4.0.0");
			}
			if (r->action.len == 0 && btype != NULL &&
			    strcmp(btype, "Undetermined") != 0)
				r->action = bnc_str_c(strcmp(btype,
				    "Permanent") == 0 ? "failed" : "delayed");
		}
	} else if (strcmp(type, "Complaint") == 0) {
		part = bnc_json_get(root, "complaint");
		f->kind = BNC_KIND_FEEDBACK;
		f->feedback_type = jstr(part, "complaintFeedbackType");
		if (f->feedback_type.len == 0)
			f->feedback_type = bnc_str_c("abuse");
		f->arrival_date = jstr(part, "timestamp");
		list = bnc_json_get(part, "complainedRecipients");
		for (i = 0; i < jcount(list); i++) {
			struct bnc_rcpt_facts *r = add(f, a,
			    jstr(&list->v[i], "emailAddress"));
			if (r == NULL)
				goto out_full;
			r->reason = "feedback";
		}
	} else if (strcmp(type, "Delivery") == 0) {
		struct bnc_str smtp;
		part = bnc_json_get(root, "delivery");
		smtp = jstr(part, "smtpResponse");
		f->reporting_mta = jstr(part, "reportingMTA");
		f->arrival_date = jstr(part, "timestamp");
		list = bnc_json_get(part, "recipients");
		for (i = 0; i < jcount(list); i++) {
			struct bnc_rcpt_facts *r;
			item = &list->v[i];
			if (item->type != BNC_JSON_STRING)
				continue;
			r = add(f, a, item->str);
			if (r == NULL)
				goto out_full;
			r->action = bnc_str_c("delivered");
			r->diagnostic = smtp;
			r->reason = "delivered";
			bnc_rcpt_fill_from_diagnostic(r, a);
		}
	}
	return f->n > 0;
out_full:
	return f->truncated ? 1 : BNC_ENOMEM;
}

/* Sendmail breaks lines longer than its limit by ending the piece with
 * '!' and going on after a line break and a space: join them back. */
static struct bnc_str
unwrap(struct bnc_arena *a, struct bnc_str t)
{
	char *out = bnc_arena_alloc(a, t.len + 1);
	size_t i, n = 0;

	if (out == NULL)
		return t;
	for (i = 0; i < t.len; i++) {
		if (t.ptr[i] == '!' && i + 2 < t.len && t.ptr[i + 1] == '\n' &&
		    t.ptr[i + 2] == ' ') {
			i += 2;
			continue;
		}
		out[n++] = t.ptr[i];
	}
	out[n] = '\0';
	return bnc_str_make(out, n);
}

/* "550-'5.7.1 text'" in an SES report: the quoted reply becomes the
 * diagnostic "550 5.7.1 text" with its code and status. */
static void
unquote_reply(struct bnc_rcpt_facts *r, struct bnc_arena *a)
{
	struct bnc_str t = r->diagnostic;
	size_t i, j;
	char *p;

	for (i = 0; i + 5 < t.len; i++) {
		if (t.ptr[i + 3] != '-' || t.ptr[i + 4] != '\'' ||
		    (t.ptr[i] != '4' && t.ptr[i] != '5') ||
		    !bnc_is_digit((unsigned char)t.ptr[i + 1]) ||
		    !bnc_is_digit((unsigned char)t.ptr[i + 2]) ||
		    (i > 0 && !bnc_is_space((unsigned char)t.ptr[i - 1])))
			continue;
		for (j = i + 5; j < t.len && t.ptr[j] != '\''; j++)
			;
		if (j == t.len || j == i + 5)
			return;
		p = bnc_arena_alloc(a, j - i);
		if (p == NULL)
			return;
		memcpy(p, t.ptr + i, 3);
		p[3] = ' ';
		memcpy(p + 4, t.ptr + i + 5, j - i - 5);
		p[j - i - 1] = '\0';
		r->diagnostic = bnc_str_make(p, j - i - 1);
		r->reply_code = bnc_str_make(p, 3);
		r->status = bnc_status_find(r->diagnostic);
		return;
	}
}

/* A report SES wrote itself. */
static int
ses_report(struct bnc_facts *f, struct bnc_decode *d)
{
	const struct bnc_headers *h = &d->m->headers;
	size_t i;
	int rc;

	if (!bnc_str_icontains(d->m->from, "amazonses.com") &&
	    !bnc_headers_has(h, "X-SES-Outgoing") &&
	    !bnc_headers_has(h, "X-AWS-Outgoing"))
		return 0;
	if (!bnc_decode_has_dsn(d))
		return 0;
	rc = bnc_mta_rfc3464(f, d);
	if (rc <= 0)
		return rc;
	for (i = 0; i < f->n; i++)
		unquote_reply(&f->r[i], d->a);
	return 1;
}

int
bnc_mta_amazonses(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str t = bnc_str_trim(d->text);
	int rc;

	/* The name may sit inside the SNS envelope's escaped string. */
	if (t.len == 0 || t.ptr[0] != '{' ||
	    (!bnc_str_icontains(t, "notificationType") &&
	    !bnc_str_icontains(t, "eventType")))
		return ses_report(f, d);
	rc = bnc_ses_json_facts(f, d->a, t);
	if (rc == 0)
		rc = bnc_ses_json_facts(f, d->a, unwrap(d->a, t));
	if (rc > 0)
		f->mta = "amazonses";
	return rc;
}

BNC_WHEN(amazonses, BNC_IF_TEXT_STARTS("{"), BNC_IF_FROM("amazonses.com"),
    BNC_IF_HEADER("X-SES-Outgoing"), BNC_IF_HEADER("X-AWS-Outgoing"), BNC_AND,
    BNC_IF_TEXT_STARTS("{"), BNC_IF_PART(BNC_PART_DSN), BNC_AND,
    BNC_IF_TEXT_STARTS("{"), BNC_IF_RFC3464);
/* After amazonworkmail and receivingses (440), before the formats. */
BNC_DECODER(amazonses, 450, bnc_mta_amazonses);

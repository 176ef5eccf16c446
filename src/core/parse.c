/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * parse.c - bnc_parse() and bnc_explain(): the one-way flow of DESIGN.md
 * section 4 for one message: bytes -> message -> decoder facts -> reason,
 * provider, verdict -> records.
 */
#include <stdint.h>
#include <stdio.h>

#include "../classify/classify.h"
#include "../classify/provider.h"
#include "../classify/reason.h"
#include "../dsn/date.h"
#include "../dsn/reply.h"
#include "../mail/address.h"
#include "../mail/codec.h"
#include "../mail/message.h"
#include "../mta/mta.h"
#include "../util/alloc.h"
#include "report.h"

static void
set_error(struct bnc_error *err, int code, const char *what)
{
	if (err == NULL)
		return;
	err->code = code;
	snprintf(err->msg, sizeof(err->msg), "%s: %s", what,
	    bnc_strerror(code));
}

/* `s` cut to at most `max` bytes, at a UTF-8 character boundary (a cut
 * sequence would become U+FFFD in the output). *cut is set when it was
 * cut. */
static struct bnc_str
cap_field(struct bnc_str s, size_t max, bool *cut)
{
	if (s.len <= max)
		return s;
	*cut = true;
	s.len = max;
	/* Back over continuation bytes to the start of the last
	 * character, and drop it: it may be incomplete. */
	while (s.len > 0 && ((unsigned char)s.ptr[s.len] & 0xc0) == 0x80)
		s.len--;
	return s;
}

static const char *
dup(struct bnc_arena *a, struct bnc_str s)
{
	char *p;

	s = bnc_str_trim(s);
	p = bnc_arena_strndup(a, s.ptr ? s.ptr : "", s.len);
	return p ? p : "";
}

static void
lower_in_place(const char *s)
{
	/* Only a copy of ours reaches here ("" is never written). */
	char *p = (char *)(uintptr_t)s;
	size_t i;

	for (i = 0; p[i]; i++)
		p[i] = (char)bnc_lower((unsigned char)p[i]);
}

/* The status to report: the one found, else X.0.0 from the reply code,
 * else from the permanence of the failure. */
static const char *
derive_status(struct bnc_arena *a, const struct bnc_rcpt_facts *r,
    enum bnc_kind kind)
{
	char buf[8];

	if (r->status.len)
		return dup(a, r->status);
	if (kind != BNC_KIND_BOUNCE)
		return "";
	if (r->reply_code.len == 3) {
		snprintf(buf, sizeof(buf), "%c.0.0", r->reply_code.ptr[0]);
		return dup(a, bnc_str_c(buf));
	}
	if (bnc_str_ieq(r->action, "failed"))
		return "5.0.0";
	if (bnc_str_ieq(r->action, "delayed"))
		return "4.0.0";
	return "";
}

static const char *
timestamp(struct bnc_arena *a, const struct bnc_rcpt_facts *r,
    const struct bnc_facts *f)
{
	char iso[21];

	if ((r->last_attempt.len && bnc_date_iso(r->last_attempt, iso)) ||
	    (f->arrival_date.len && bnc_date_iso(f->arrival_date, iso)) ||
	    (f->date.len && bnc_date_iso(f->date, iso)))
		return dup(a, bnc_str_c(iso));
	return "";
}

/* Message-level facts from the returned message and the bounce itself. */
static void
message_facts(struct bnc_facts *f, const struct bnc_decode *d,
    const struct bnc_ctx *ctx)
{
	const struct bnc_headers *o = d->orig;
	const struct bnc_headers *h = &d->m->headers;

	f->date = bnc_headers_get(h, "Date");
	if (o != NULL) {
		if (f->message_id.len == 0)
			f->message_id = bnc_headers_get(o, "Message-ID");
		if (f->list_id.len == 0)
			f->list_id = bnc_headers_get(o, "List-Id");
		if (f->campaign.len == 0)
			f->campaign = bnc_headers_get(o, ctx->campaign_header);
		if (f->subject.len == 0)
			f->subject = bnc_rfc2047_decode(d->a,
			    bnc_headers_get(o, "Subject"));
	}
	if (f->sender.len == 0 && o != NULL)
		f->sender = bnc_addr_normalise(d->a,
		    bnc_headers_get(o, "Return-Path"));
	if (f->sender.len == 0 && f->kind == BNC_KIND_BOUNCE)
		f->sender = bnc_addr_normalise(d->a,
		    bnc_headers_get(h, "To"));
	if (f->sender.len == 0 && o != NULL)
		f->sender = bnc_addr_normalise(d->a, bnc_headers_get(o, "From"));
	if (f->kind == BNC_KIND_AUTOREPLY && f->sender.len == 0)
		f->sender = bnc_addr_normalise(d->a, bnc_headers_get(h, "To"));
}

/* Cut every text of `r` and `f` that becomes a record field to the
 * field_size limit, in copies. Recipients and codes are short by
 * nature; a diagnostic or a header value can be megabytes of a crafted
 * paragraph, and the diagnostic is read again by classification. */
static bool
cap_facts(struct bnc_rcpt_facts *r, struct bnc_facts *f, size_t max)
{
	bool cut = false;

	r->recipient = cap_field(r->recipient, max, &cut);
	r->status = cap_field(r->status, max, &cut);
	r->reply_code = cap_field(r->reply_code, max, &cut);
	r->diagnostic = cap_field(r->diagnostic, max, &cut);
	r->diag_type = cap_field(r->diag_type, max, &cut);
	r->action = cap_field(r->action, max, &cut);
	r->remote_mta = cap_field(r->remote_mta, max, &cut);
	r->smtp_command = cap_field(r->smtp_command, max, &cut);
	r->last_attempt = cap_field(r->last_attempt, max, &cut);
	f->sender = cap_field(f->sender, max, &cut);
	f->reporting_mta = cap_field(f->reporting_mta, max, &cut);
	f->message_id = cap_field(f->message_id, max, &cut);
	f->campaign = cap_field(f->campaign, max, &cut);
	f->list_id = cap_field(f->list_id, max, &cut);
	f->feedback_type = cap_field(f->feedback_type, max, &cut);
	return cut;
}

/* The text fields of a record, trimmed, as C strings: copied into one
 * block of the arena, an empty one as "" (no copy). When the block
 * cannot be had, each is copied on its own as dup() does, so a field
 * that fits still comes out. */
enum { NCOPY = 13 };

static void
copy_fields(struct bnc_record *rec, struct bnc_arena *a,
    const struct bnc_rcpt_facts *r, const struct bnc_facts *f)
{
	const char **dst[NCOPY] = { &rec->recipient, &rec->sender,
		&rec->reply_code, &rec->diagnostic, &rec->diagnostic_type,
		&rec->dsn_action, &rec->remote_mta, &rec->reporting_mta,
		&rec->smtp_command, &rec->message_id, &rec->campaign,
		&rec->list_id, &rec->feedback_type };
	struct bnc_str src[NCOPY + 1] = { r->recipient, f->sender,
		r->reply_code, r->diagnostic, r->diag_type, r->action,
		r->remote_mta, f->reporting_mta, r->smtp_command,
		f->message_id, f->campaign, f->list_id, f->feedback_type,
		f->subject };
	size_t i, total = 0;
	char *o;

	/* The subject too, last: it is rec->subject. */
	for (i = 0; i <= NCOPY; i++) {
		src[i] = bnc_str_trim(src[i]);
		if (src[i].ptr == NULL)
			src[i].len = 0;
		total += src[i].len ? src[i].len + 1 : 0;
	}
	o = total ? bnc_arena_alloc(a, total) : NULL;
	for (i = 0; i <= NCOPY; i++) {
		const char **d = i < NCOPY ? dst[i] : &rec->subject;
		if (src[i].len == 0) {
			*d = "";
		} else if (o == NULL) {
			*d = dup(a, src[i]);
		} else {
			memcpy(o, src[i].ptr, src[i].len);
			o[src[i].len] = '\0';
			*d = o;
			o += src[i].len + 1;
		}
	}
	/* These two are lower case (dup_lower()). */
	lower_in_place(rec->diagnostic_type);
	lower_in_place(rec->dsn_action);
}

static int
make_record(struct bnc_record *rec, struct bnc_arena *a,
    const struct bnc_rcpt_facts *r, const struct bnc_facts *f,
    const struct bnc_ctx *ctx)
{
	struct bnc_verdict_in in;
	struct bnc_verdict v;

	copy_fields(rec, a, r, f);
	rec->status = derive_status(a, r, f->kind);
	rec->timestamp = timestamp(a, r, f);
	rec->mta = f->mta ? f->mta : "";
	rec->provider = bnc_provider_detect(r->recipient, r->remote_mta,
	    r->diagnostic);
	rec->reason = bnc_reason_detect(r, f->kind, rec->provider,
	    ctx->phrases, a);

	memset(&in, 0, sizeof(in));
	in.kind = f->kind;
	in.reason = rec->reason;
	in.provider = rec->provider;
	in.status = bnc_str_c(rec->status);
	in.reply_code = r->reply_code;
	in.action = r->action;
	in.diagnostic = r->diagnostic;
	in.profile = ctx->profile;
	bnc_classify(&v, &in);
	rec->cls = v.cls;
	rec->action = v.action;
	rec->rule = v.rule;
	return 0;
}

static int
report_new(struct bnc_report **out, const struct bnc_ctx *ctx)
{
	struct bnc_report *rep = bnc_spare_take(sizeof(*rep));

	if (rep != NULL)
		memset(rep, 0, sizeof(*rep));
	else if ((rep = bnc_calloc(1, sizeof(*rep))) == NULL)
		return BNC_ENOMEM;
	/* The arena holds the normalised copy, decoded parts and records;
	 * work_size (src/util/limits.h) caps it. */
	bnc_arena_init(&rep->arena, ctx->limits.work_size == (size_t)-1 ? 0 :
	    ctx->limits.work_size);
	*out = rep;
	return 0;
}

static int
fill_records(struct bnc_report *rep, const struct bnc_facts *f,
    const struct bnc_ctx *ctx)
{
	size_t i;

	if (f->n == 0)
		return 0;
	rep->records = bnc_arena_calloc(&rep->arena, f->n,
	    sizeof(*rep->records));
	if (rep->records == NULL)
		return BNC_ENOMEM;
	for (i = 0; i < f->n; i++) {
		struct bnc_rcpt_facts r = f->r[i];
		struct bnc_facts fc = *f;
		int rc;

		if (cap_facts(&r, &fc, ctx->limits.field_size))
			rep->anomalies |= BNC_ANOMALY_FIELD;
		rc = make_record(&rep->records[i], &rep->arena, &r, &fc, ctx);
		if (rc)
			return rc;
	}
	rep->n = f->n;
	if (f->truncated)
		rep->anomalies |= BNC_ANOMALY_RECIPIENTS;
	return 0;
}

int
bnc_parse(struct bnc_report **out, const struct bnc_ctx *ctx,
    const void *data, size_t len, struct bnc_error *err)
{
	return bnc_parse_clean(out, ctx, data, len, false, err);
}

int
bnc_parse_clean(struct bnc_report **out, const struct bnc_ctx *ctx,
    const void *data, size_t len, bool clean, struct bnc_error *err)
{
	struct bnc_report *rep;
	struct bnc_message m;
	struct bnc_decode d;
	struct bnc_facts f;
	int rc;

	*out = NULL;
	if (ctx == NULL || (data == NULL && len > 0)) {
		set_error(err, BNC_EINVAL, "bnc_parse");
		return BNC_EINVAL;
	}
	rc = report_new(&rep, ctx);
	if (rc) {
		set_error(err, rc, "bnc_parse");
		return rc;
	}
	rc = bnc_message_load_clean(&m, &rep->arena, data ? data : "", len,
	    &ctx->limits, clean);
	if (rc)
		goto out_free_report;
	rep->anomalies = m.anomalies;
	rc = bnc_decode_init(&d, &m, &rep->arena, &ctx->limits);
	if (rc)
		goto out_free_report;
	memset(&f, 0, sizeof(f));
	f.max = ctx->limits.recipients;
	rc = bnc_decode_run(&f, &d);
	if (rc < 0)
		goto out_free_report;
	if (rc > 0) {
		message_facts(&f, &d, ctx);
		rc = fill_records(rep, &f, ctx);
		if (rc)
			goto out_free_report;
	}
	*out = rep;
	return 0;

out_free_report:
	/* Hitting the arena cap is a limit, not a lack of memory. */
	if (rep->arena.hit_cap)
		rc = BNC_ETOOBIG;
	set_error(err, rc, "bnc_parse");
	bnc_report_free(rep);
	return rc;
}

int
bnc_explain(struct bnc_report **out, const struct bnc_ctx *ctx,
    const char *reply, size_t len, const char *remote_mta,
    struct bnc_error *err)
{
	struct bnc_report *rep;
	struct bnc_facts f;
	struct bnc_rcpt_facts *r;
	struct bnc_str text;
	int rc;

	*out = NULL;
	if (ctx == NULL || (reply == NULL && len > 0)) {
		set_error(err, BNC_EINVAL, "bnc_explain");
		return BNC_EINVAL;
	}
	rc = report_new(&rep, ctx);
	if (rc) {
		set_error(err, rc, "bnc_explain");
		return rc;
	}
	memset(&f, 0, sizeof(f));
	f.mta = "smtp";
	rc = BNC_ENOMEM;
	text = bnc_str_make(bnc_arena_strndup(&rep->arena, reply ? reply : "",
	    len), len);
	if (text.ptr == NULL)
		goto out_free_report;
	r = bnc_facts_add(&f, &rep->arena);
	if (r == NULL)
		goto out_free_report;
	r->diagnostic = text;
	r->diag_type = bnc_str_c("smtp");
	r->recipient = bnc_addr_normalise(&rep->arena, text);
	if (remote_mta)
		r->remote_mta = bnc_str_c(remote_mta);
	bnc_rcpt_fill_from_diagnostic(r, &rep->arena);
	rc = fill_records(rep, &f, ctx);
	if (rc)
		goto out_free_report;
	*out = rep;
	return 0;

out_free_report:
	set_error(err, rc, "bnc_explain");
	bnc_report_free(rep);
	return rc;
}

size_t
bnc_report_count(const struct bnc_report *report)
{
	return report ? report->n : 0;
}

const struct bnc_record *
bnc_report_record(const struct bnc_report *report, size_t i)
{
	if (report == NULL || i >= report->n)
		return NULL;
	return &report->records[i];
}

unsigned
bnc_report_anomalies(const struct bnc_report *report)
{
	return report ? report->anomalies : 0;
}

void
bnc_report_free(struct bnc_report *report)
{
	if (report == NULL)
		return;
	bnc_arena_deinit(&report->arena);
	if (!bnc_spare_give(report, sizeof(*report)))
		bnc_free(report);
}

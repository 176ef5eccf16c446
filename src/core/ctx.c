/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ctx.c - context, limits, names and error strings.
 */
#include <stdio.h>

#include "../util/alloc.h"
#include "../util/limits.h"
#include "../classify/matcher.h"
#include "../classify/phrases.h"
#include "report.h"

void
bnc_limits_resolve(struct bnc_limits *l)
{
	if (l->message_size == 0)
		l->message_size = BNC_DEFAULT_MESSAGE_SIZE;
	if (l->header_size == 0)
		l->header_size = BNC_DEFAULT_HEADER_SIZE;
	if (l->mime_depth == 0)
		l->mime_depth = BNC_DEFAULT_MIME_DEPTH;
	if (l->mime_parts == 0)
		l->mime_parts = BNC_DEFAULT_MIME_PARTS;
	if (l->decoded_size == 0)
		l->decoded_size = BNC_DEFAULT_DECODED_SIZE;
	if (l->recipients == 0)
		l->recipients = BNC_DEFAULT_RECIPIENTS;
	if (l->line_size == 0)
		l->line_size = BNC_DEFAULT_LINE_SIZE;
	if (l->field_size == 0)
		l->field_size = BNC_DEFAULT_FIELD_SIZE;
	if (l->work_size == 0 && (!bnc_size_mul(&l->work_size, l->message_size,
	    BNC_WORK_SIZE_FACTOR) || !bnc_size_add(&l->work_size,
	    l->work_size, BNC_WORK_SIZE_EXTRA)))
		l->work_size = (size_t)-1;	/* overflow: no cap but memory */
}

/* glibc loads a charset's conversion module on iconv_open() and unloads
 * it on the last iconv_close(): for each message in such a charset that
 * is a dlopen() and a dlclose(), under the dynamic loader's global lock,
 * which worker threads then queue on. Holding one descriptor per common
 * charset for the life of the context keeps those modules loaded, and a
 * message's iconv_open() becomes a look-up. The names are those that
 * src/mail/codec.c passes to iconv after its own aliasing. */
static const char *const pin_charsets[BNC_CTX_PINNED_CHARSETS] = {
	"CP1252", "ISO-2022-JP-2", "CP932", "GB18030", "CP949", "EUC-JP",
	"BIG5", "KOI8-R", "CP1251", "ISO-8859-2", "ISO-8859-15", "UTF-16"
};

int
bnc_ctx_new(struct bnc_ctx **out, const struct bnc_options *opts)
{
	struct bnc_options def = BNC_OPTIONS_INIT;
	struct bnc_ctx *c;
	const char *ch;
	int rc;
	size_t i;

	*out = NULL;
	if (opts == NULL)
		opts = &def;
	if (opts->version != BNC_OPTIONS_VERSION)
		return BNC_EINVAL;
	if (opts->profile != BNC_PROFILE_DEFAULT &&
	    opts->profile != BNC_PROFILE_PROTECT_LIST)
		return BNC_EINVAL;
	ch = opts->campaign_header ? opts->campaign_header : "X-Campaign-ID";
	if (strlen(ch) == 0 || strlen(ch) >= sizeof(c->campaign_header))
		return BNC_EINVAL;
	c = bnc_calloc(1, sizeof(*c));
	if (c == NULL)
		return BNC_ENOMEM;
	/* Compiled once here, shared read-only by every parse. */
	rc = bnc_matcher_new(&c->phrases, bnc_phrases, bnc_phrases_count);
	if (rc) {
		bnc_free(c);
		return rc;
	}
	c->limits = opts->limits;
	bnc_limits_resolve(&c->limits);
	snprintf(c->campaign_header, sizeof(c->campaign_header), "%s", ch);
	c->profile = opts->profile;
	for (i = 0; i < BNC_CTX_PINNED_CHARSETS; i++)
		c->pinned[i] = iconv_open("UTF-8", pin_charsets[i]);
	*out = c;
	return 0;
}

void
bnc_ctx_free(struct bnc_ctx *ctx)
{
	size_t i;

	if (ctx == NULL)
		return;
	bnc_matcher_free(ctx->phrases);
	for (i = 0; i < BNC_CTX_PINNED_CHARSETS; i++)
		if (ctx->pinned[i] != (iconv_t)-1)
			iconv_close(ctx->pinned[i]);
	bnc_free(ctx);
}

const char *
bnc_class_name(enum bnc_class cls)
{
	switch (cls) {
	case BNC_CLASS_HARD:
		return "hard";
	case BNC_CLASS_SOFT:
		return "soft";
	case BNC_CLASS_GRAY:
		return "gray";
	case BNC_CLASS_COMPLAINT:
		return "complaint";
	case BNC_CLASS_AUTO_REPLY:
		return "auto_reply";
	case BNC_CLASS_DELIVERED:
		return "delivered";
	case BNC_CLASS_UNKNOWN:
		break;
	}
	return "unknown";
}

const char *
bnc_action_name(enum bnc_action action)
{
	switch (action) {
	case BNC_ACTION_SUPPRESS:
		return "suppress";
	case BNC_ACTION_RETRY:
		return "retry";
	case BNC_ACTION_THROTTLE:
		return "throttle";
	case BNC_ACTION_NONE:
		return "none";
	case BNC_ACTION_REVIEW:
		break;
	}
	return "review";
}

const char *
bnc_strerror(int code)
{
	switch (code) {
	case BNC_OK:
		return "success";
	case BNC_ENOMEM:
		return "out of memory";
	case BNC_EINVAL:
		return "invalid argument";
	case BNC_ETOOBIG:
		return "limit exceeded";
	case BNC_EIO:
		return "input/output error";
	case BNC_ENOTFOUND:
		return "not found";
	case BNC_EFORMAT:
		return "unreadable format";
	}
	return "unknown error";
}

const char *
bnc_anomaly_name(unsigned bit)
{
	switch (bit) {
	case BNC_ANOMALY_TRUNCATED:
		return "message_size";
	case BNC_ANOMALY_MIME_DEPTH:
		return "mime_depth";
	case BNC_ANOMALY_MIME_PARTS:
		return "mime_parts";
	case BNC_ANOMALY_DECODED:
		return "decoded_size";
	case BNC_ANOMALY_RECIPIENTS:
		return "recipients";
	case BNC_ANOMALY_BAD_ENCODING:
		return "bad encoding";
	case BNC_ANOMALY_LONG_LINE:
		return "line_size";
	case BNC_ANOMALY_FIELD:
		return "field_size";
	}
	return "unknown";
}

const char *
bnc_version(void)
{
	return BNC_VERSION;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bouncer.h - public API of libbouncer.
 *
 * libbouncer reads a returned mail (a DSN, an NDR, an auto-reply, an ARF
 * complaint or any other bounce) and turns it into one record per failed
 * recipient, each classified as hard, soft, gray, complaint, auto_reply,
 * delivered or unknown, with the reason, the recommended action and the
 * rule that decided it.
 *
 * Ownership: everything returned through an `out` parameter is the
 * caller's and is released with the matching bnc_*_free(). Pointers
 * returned as a function's value are borrowed from their parent object.
 *
 * Threads: a struct bnc_ctx is immutable once made and may be shared by
 * threads. A struct bnc_report belongs to one thread at a time.
 */
#ifndef BOUNCER_H
#define BOUNCER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define BNC_EXTERN __attribute__((visibility("default")))
#else
#define BNC_EXTERN
#endif

#define BNC_VERSION "0.1.0"

/* Error codes: 0 is success, failures are negative. Never renumbered. */
enum bnc_err {
	BNC_OK = 0,
	BNC_ENOMEM = -1,	/* an allocation failed */
	BNC_EINVAL = -2,	/* a bad argument */
	BNC_ETOOBIG = -3,	/* a limit was hit */
	BNC_EIO = -4,		/* reading or writing failed */
	BNC_ENOTFOUND = -5,	/* no such thing */
	BNC_EFORMAT = -6	/* input that cannot be read as asked */
};

/* Where a call that builds an object from a shared ctx puts its detail. */
struct bnc_error {
	int code;
	char msg[256];
};

/* Limits on untrusted input; 0 in a field means the default. The
 * defaults, and why each is what it is, are in src/util/limits.h;
 * README.md lists them with what happens when one is hit. */
struct bnc_limits {
	size_t message_size;	/* bytes of one message kept; rest dropped */
	size_t header_size;	/* bytes of one (unfolded) header field */
	unsigned mime_depth;	/* nesting of multipart/message parts */
	unsigned mime_parts;	/* parts walked in one message */
	size_t decoded_size;	/* bytes of decoded text kept per message */
	unsigned recipients;	/* records per message */
	size_t line_size;	/* bytes of one line kept; rest of it dropped */
	size_t field_size;	/* bytes of one record field (diagnostic...) */
	size_t work_size;	/* working memory of one message (its arena);
				 * 0: 4 x message_size + 1 MiB */
};

/* Classification profiles (DESIGN.md section 2). */
enum bnc_profile {
	BNC_PROFILE_DEFAULT = 0,
	BNC_PROFILE_PROTECT_LIST = 1	/* sender-side rejections -> gray */
};

#define BNC_OPTIONS_VERSION 1
struct bnc_options {
	unsigned version;		/* BNC_OPTIONS_VERSION */
	const char *campaign_header;	/* NULL: "X-Campaign-ID" */
	enum bnc_profile profile;
	struct bnc_limits limits;
};
#define BNC_OPTIONS_INIT { BNC_OPTIONS_VERSION, NULL, BNC_PROFILE_DEFAULT, \
	{ 0, 0, 0, 0, 0, 0, 0, 0, 0 } }

enum bnc_class {
	BNC_CLASS_UNKNOWN = 0,
	BNC_CLASS_HARD,
	BNC_CLASS_SOFT,
	BNC_CLASS_GRAY,
	BNC_CLASS_COMPLAINT,
	BNC_CLASS_AUTO_REPLY,
	BNC_CLASS_DELIVERED
};

enum bnc_action {
	BNC_ACTION_REVIEW = 0,
	BNC_ACTION_SUPPRESS,
	BNC_ACTION_RETRY,
	BNC_ACTION_THROTTLE,
	BNC_ACTION_NONE
};

/*
 * One failed (or delivered, or complained-about) recipient. Plain data:
 * every string is NUL-terminated UTF-8, never NULL ("" when unknown), and
 * is owned by the report the record came from. Append-only.
 */
struct bnc_record {
	const char *recipient;
	const char *sender;		/* the original message's sender */
	const char *status;		/* RFC 3463 enhanced code, "5.1.1" */
	const char *reply_code;		/* SMTP reply code, "550" */
	const char *diagnostic;
	const char *diagnostic_type;	/* "smtp", "x-unix", ... */
	const char *dsn_action;		/* failed, delayed, delivered ... */
	const char *remote_mta;
	const char *reporting_mta;
	const char *smtp_command;	/* RCPT, DATA, MAIL, ... */
	const char *message_id;		/* of the original message */
	const char *campaign;
	const char *list_id;
	const char *feedback_type;	/* ARF Feedback-Type */
	const char *timestamp;		/* ISO 8601, UTC */
	const char *mta;		/* the decoder that recognised it */
	const char *provider;		/* mailbox provider, e.g. "google" */
	const char *reason;		/* from reasons.tsv */
	const char *rule;		/* the rule that decided class+action */
	enum bnc_class cls;
	enum bnc_action action;
	const char *subject;		/* the original message's Subject,
					 * decoded (not in DESIGN.md 3's
					 * JSON lines; --format sisimai) */
};

/* Anomalies met while parsing one message (bit flags). */
enum bnc_anomaly {
	BNC_ANOMALY_TRUNCATED = 1 << 0,	/* message_size limit hit */
	BNC_ANOMALY_MIME_DEPTH = 1 << 1,	/* mime_depth limit hit */
	BNC_ANOMALY_MIME_PARTS = 1 << 2,	/* mime_parts limit hit */
	BNC_ANOMALY_DECODED = 1 << 3,	/* decoded_size limit hit */
	BNC_ANOMALY_RECIPIENTS = 1 << 4,	/* recipients limit hit */
	BNC_ANOMALY_BAD_ENCODING = 1 << 5,	/* broken base64/QP/charset */
	BNC_ANOMALY_LONG_LINE = 1 << 6,	/* line_size limit hit */
	BNC_ANOMALY_FIELD = 1 << 7	/* field_size limit hit */
};

struct bnc_ctx;
struct bnc_report;

/* Make a context from `opts` (NULL: defaults). On 0, *out is the caller's;
 * free with bnc_ctx_free(). Returns 0, BNC_EINVAL or BNC_ENOMEM. */
BNC_EXTERN int bnc_ctx_new(struct bnc_ctx **out, const struct bnc_options *opts);
BNC_EXTERN void bnc_ctx_free(struct bnc_ctx *ctx);

/*
 * Decode and classify one message (`data`, `len` bytes, any line ends,
 * need not be NUL-terminated). On 0, *out is the caller's, free with
 * bnc_report_free(); it holds zero records when the message is no bounce.
 * Returns 0, BNC_EINVAL (NULL ctx, or NULL data with len > 0),
 * BNC_ETOOBIG (the message needed more memory than the limits allow)
 * or BNC_ENOMEM; `err` (may be NULL) gets the detail.
 */
BNC_EXTERN int bnc_parse(struct bnc_report **out, const struct bnc_ctx *ctx,
    const void *data, size_t len, struct bnc_error *err);

/*
 * Classify one raw SMTP reply as found in an MTA log, e.g.
 * "550 5.1.1 <a@example.com>: Recipient address rejected". `remote_mta`
 * (may be NULL) names the host that gave it, for provider rules. On 0,
 * *out is the caller's and holds exactly one record.
 */
BNC_EXTERN int bnc_explain(struct bnc_report **out, const struct bnc_ctx *ctx,
    const char *reply, size_t len, const char *remote_mta,
    struct bnc_error *err);

BNC_EXTERN size_t bnc_report_count(const struct bnc_report *report);
/* Borrowed; valid until bnc_report_free(). NULL when i is out of range. */
BNC_EXTERN const struct bnc_record *bnc_report_record(
    const struct bnc_report *report, size_t i);
/* enum bnc_anomaly bits met while parsing. */
BNC_EXTERN unsigned bnc_report_anomalies(const struct bnc_report *report);
BNC_EXTERN void bnc_report_free(struct bnc_report *report);

/* Constant names; never NULL. */
BNC_EXTERN const char *bnc_class_name(enum bnc_class cls);
BNC_EXTERN const char *bnc_action_name(enum bnc_action action);
BNC_EXTERN const char *bnc_strerror(int code);
/* The limit (or problem) behind one enum bnc_anomaly bit, e.g.
 * "mime_depth"; "unknown" for anything else. */
BNC_EXTERN const char *bnc_anomaly_name(unsigned bit);
BNC_EXTERN const char *bnc_version(void);

#ifdef __cplusplus
}
#endif
#endif /* BOUNCER_H */

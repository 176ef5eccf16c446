/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mime.h - MIME walker (RFC 2045, 2046): turns a message into a flat list
 * of decoded parts, in document order.
 *
 * Text parts are transfer-decoded and converted to UTF-8. message/rfc822
 * (and message/global) parts are entered: the embedded message's header
 * block becomes a part of its own type "message/rfc822" (`headers` set),
 * and its body parts follow with `in_message` set. text/rfc822-headers
 * likewise. Delivery-status and feedback-report parts are transfer-decoded
 * only. The bodies of other parts (attachments, and all but the reports
 * inside an embedded message) are kept as they came: nothing reads them,
 * and a broken encoding there is no anomaly. Depth and part count are
 * bounded by struct bnc_limits.
 */
#ifndef BNC_MAIL_MIME_H
#define BNC_MAIL_MIME_H

#include "bouncer.h"
#include "header.h"

/* The kinds of part that readers look for, told once from the type
 * (bnc_part_kind()): a number compared instead of a string. */
enum bnc_part_kind {
	BNC_PART_OTHER,
	BNC_PART_TEXT_PLAIN,		/* text/plain */
	BNC_PART_TEXT_ENRICHED,		/* text/enriched */
	BNC_PART_TEXT_HTML,		/* text/html */
	BNC_PART_RFC822,		/* message/rfc822 (as added) */
	BNC_PART_RFC822_HEADERS,	/* text/rfc822-headers (as added) */
	BNC_PART_DSN,			/* message/delivery-status */
	BNC_PART_GLOBAL_DSN,		/* message/global-delivery-status */
	BNC_PART_FEEDBACK		/* message/feedback-report */
};

struct bnc_part {
	char type[48];			/* lower case, "text/plain" */
	unsigned char kind;		/* enum bnc_part_kind of `type` */
	struct bnc_headers headers;	/* the part's own MIME headers, or
					 * for message/rfc822 and
					 * text/rfc822-headers parts the
					 * embedded message's headers */
	struct bnc_str body;		/* decoded */
	unsigned depth;
	unsigned in_message;		/* inside how many embedded messages */
};

struct bnc_mime {
	struct bnc_part *parts;
	size_t n, cap;
	unsigned anomalies;		/* enum bnc_anomaly bits */
};

/* Walk the message whose top headers are `top` and body `body`. */
int bnc_mime_walk(struct bnc_mime *out, struct bnc_arena *a,
    const struct bnc_headers *top, struct bnc_str body,
    const struct bnc_limits *limits);

/* The kind of a part of type `type` (lower case, as in struct
 * bnc_part). */
enum bnc_part_kind bnc_part_kind(const char *type);

/* Content-Type helpers. `type` gets the lower-cased "type/subtype"
 * ("text/plain" when absent or broken), cut to size - 1 bytes; its
 * length is returned. */
size_t bnc_ct_type(struct bnc_str ct, char *type, size_t size);
/* The same a byte at a time: the reference bnc_ct_type() is tested
 * against. */
size_t bnc_ct_type_plain(struct bnc_str ct, char *type, size_t size);
/* A parameter's value, unquoted; empty view when absent. */
struct bnc_str bnc_ct_param(struct bnc_str ct, const char *name);

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * message.h - one mail message, parsed: line ends normalised to LF, top
 * header block, MIME parts. Everything lives in the caller's arena.
 */
#ifndef BNC_MAIL_MESSAGE_H
#define BNC_MAIL_MESSAGE_H

#include "header.h"
#include "mime.h"

struct bnc_message {
	struct bnc_str raw;		/* whole message, LF line ends */
	struct bnc_headers headers;	/* top-level header block */
	struct bnc_str body;		/* raw body after the header block */
	struct bnc_mime mime;
	struct bnc_str subject;		/* RFC 2047-decoded */
	struct bnc_str from;		/* From: as written */
	unsigned anomalies;		/* enum bnc_anomaly bits */
};

/* Parse `len` bytes (any line ends), cut at limits->message_size. What
 * must change (CR, NUL, an over-long line) is changed in a copy in the
 * arena; a message with none of those is read where it is, so `data`
 * must stay alive and unchanged while `m` is used. 0 or BNC_ENOMEM. */
int bnc_message_load(struct bnc_message *m, struct bnc_arena *a,
    const void *data, size_t len, const struct bnc_limits *limits);
/* The same when `clean` says the caller knows `data` holds no CR and no
 * NUL byte (the mbox reader's messages: bnc_source_message_fn), so they
 * are not looked for; false is bnc_message_load(). */
int bnc_message_load_clean(struct bnc_message *m, struct bnc_arena *a,
    const void *data, size_t len, const struct bnc_limits *limits,
    bool clean);

#endif

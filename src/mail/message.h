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

/* Copy `len` bytes (any line ends) into the arena and parse them. The
 * copy is cut at limits->message_size. 0 or BNC_ENOMEM. */
int bnc_message_load(struct bnc_message *m, struct bnc_arena *a,
    const void *data, size_t len, const struct bnc_limits *limits);

#endif

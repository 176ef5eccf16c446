/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * reply.h - SMTP replies and RFC 3463 enhanced status codes found in
 * free text ("host said: 550-5.1.1 The email account ... 550 5.1.1 ...").
 */
#ifndef BNC_DSN_REPLY_H
#define BNC_DSN_REPLY_H

#include "../util/arena.h"
#include "../util/str.h"

struct bnc_reply {
	struct bnc_str code;	/* "550", or empty */
	struct bnc_str status;	/* "5.1.1", or empty */
};

/* Find the most likely reply code and enhanced status in `text`. A
 * status whose class disagrees with the reply code is dropped. */
void bnc_reply_scan(struct bnc_str text, struct bnc_reply *out);
/* The same, the digits looked for a position at a time: the reference
 * the vector scans of bnc_reply_scan() are tested against. */
void bnc_reply_scan_plain(struct bnc_str text, struct bnc_reply *out);

/* `text` with the repeated "550-5.7.1 " prefixes of a multi-line reply
 * after the first removed, so the continuation lines read as one
 * sentence. Returns `text` itself when there is nothing to join. */
struct bnc_str bnc_reply_join(struct bnc_arena *a, struct bnc_str text,
    struct bnc_str code);

/* Is `s` exactly an enhanced status code (RFC 3463 section 2)? */
bool bnc_status_valid(struct bnc_str s);
/* The first enhanced status code in `text`, or an empty view. */
struct bnc_str bnc_status_find(struct bnc_str text);
/* The same, a position at a time (for the tests). */
struct bnc_str bnc_status_find_plain(struct bnc_str text);
/* The SMTP command named in `text` ("after RCPT TO", ">>> DATA"...) as
 * an upper-case static string, or NULL. */
const char *bnc_smtp_command_find(struct bnc_str text);
/* The same, trying every position in turn: the reference the filtered
 * search above is tested against. */
const char *bnc_smtp_command_find_plain(struct bnc_str text);

#endif

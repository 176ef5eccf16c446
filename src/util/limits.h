/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * limits.h - every limit on untrusted input, in one place: the default
 * of each field of struct bnc_limits (0 there means "use these") and the
 * reason for its size, as SQLite's sqliteLimit.h does.
 *
 * What a hit limit does is fixed too: the input is cut, never refused,
 * and the report says so with an enum bnc_anomaly bit (the CLI prints a
 * note on stderr), except work_size, whose hit ends the message with
 * BNC_ETOOBIG (the CLI names the message and goes on). Nothing here
 * depends on the size of an mbox: the source streams it one message at
 * a time, so memory is bounded by one message and its work memory.
 */
#ifndef BNC_UTIL_LIMITS_H
#define BNC_UTIL_LIMITS_H

#include "bouncer.h"

/* Real bounces are small; those that carry the whole original message
 * with attachments rarely pass 20 MB, and the part we read (the report)
 * comes before the returned message. What lies past this is dropped
 * (BNC_ANOMALY_TRUNCATED). */
#define BNC_DEFAULT_MESSAGE_SIZE ((size_t)32 << 20)
/* RFC 5322 caps lines at 998; unfolded fields (long To: lists) grow
 * larger, but a 64 KiB field is already abuse. The value is cut. */
#define BNC_DEFAULT_HEADER_SIZE ((size_t)64 << 10)
/* Real DSNs nest 3-4 deep (report in a forward in a digest). Deeper
 * parts are not walked (BNC_ANOMALY_MIME_DEPTH); the walker recurses,
 * so this also bounds its stack. */
#define BNC_DEFAULT_MIME_DEPTH 16u
/* No real bounce has hundreds of parts. Later parts are not walked
 * (BNC_ANOMALY_MIME_PARTS). */
#define BNC_DEFAULT_MIME_PARTS 256u
/* Decoded text we keep per message: enough for any diagnostic. Text
 * past it is cut (BNC_ANOMALY_DECODED). */
#define BNC_DEFAULT_DECODED_SIZE ((size_t)8 << 20)
/* Enough for a mailing-list explosion, not for a memory attack. Later
 * recipients give no record (BNC_ANOMALY_RECIPIENTS). */
#define BNC_DEFAULT_RECIPIENTS 1000u
/* RFC 5322 section 2.1.1: 998 bytes. The longest line in the shared
 * corpus is 1,242 bytes; unwrapped HTML or base64 from broken MTAs runs
 * to a few KiB. Past 64 KiB a line is cut when the message is loaded
 * (BNC_ANOMALY_LONG_LINE), so no parser above sees a longer one. */
#define BNC_DEFAULT_LINE_SIZE ((size_t)64 << 10)
/* The longest diagnostic in the shared corpus is about 2 KiB (Amazon
 * SES, Exchange). A record field longer than 16 KiB is cut at a UTF-8
 * character boundary (BNC_ANOMALY_FIELD); the diagnostic is cut before
 * classification, so a paragraph of megabytes costs nothing more. */
#define BNC_DEFAULT_FIELD_SIZE ((size_t)16 << 10)
/* Working memory of one message (its arena): the normalised copy, the
 * decoded parts (charset conversion can grow text up to 4x), header
 * copies and records. 0 means 4 x message_size + 1 MiB, which real mail
 * never reaches; a crafted message that does ends with BNC_ETOOBIG. */
#define BNC_WORK_SIZE_FACTOR 4u
#define BNC_WORK_SIZE_EXTRA ((size_t)1 << 20)

/* Fill zero fields of *l with the defaults above. */
void bnc_limits_resolve(struct bnc_limits *l);

#endif

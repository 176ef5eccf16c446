/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * limits.h - defaults for every limit on untrusted input, each with the
 * reason for its size. 0 in struct bnc_limits means "use these".
 */
#ifndef BNC_UTIL_LIMITS_H
#define BNC_UTIL_LIMITS_H

#include "bouncer.h"

/* Real bounces are small; those that carry the whole original message
 * with attachments rarely pass 20 MB. What lies past this is dropped. */
#define BNC_DEFAULT_MESSAGE_SIZE ((size_t)32 << 20)
/* RFC 5322 caps lines at 998; unfolded fields (long To: lists) grow
 * larger, but a 64 KiB field is already abuse. */
#define BNC_DEFAULT_HEADER_SIZE ((size_t)64 << 10)
/* Real DSNs nest 3-4 deep (report in a forward in a digest). */
#define BNC_DEFAULT_MIME_DEPTH 16u
/* No real bounce has hundreds of parts. */
#define BNC_DEFAULT_MIME_PARTS 256u
/* Decoded text we keep per message: enough for any diagnostic. */
#define BNC_DEFAULT_DECODED_SIZE ((size_t)8 << 20)
/* Enough for a mailing-list explosion, not for a memory attack. */
#define BNC_DEFAULT_RECIPIENTS 1000u

/* Fill zero fields of *l with the defaults above. */
void bnc_limits_resolve(struct bnc_limits *l);

#endif

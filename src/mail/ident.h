/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ident.h - the identity of one bounce message, the same wherever the
 * message was read from (a maildir file, an mbox, stdin, a copy with CRLF
 * line ends under another path). The store keys its events on it, so
 * that ingesting the same bounce twice changes nothing.
 */
#ifndef BNC_MAIL_IDENT_H
#define BNC_MAIL_IDENT_H

#include <stddef.h>

/*
 * SHA-256 of the message's identity into `out`:
 *  - when the top header block has a Message-ID: the Message-ID and the
 *    Date field, white space runs folded to one space (transport adds or
 *    rewrites neither, while Received / Delivered-To / Return-Path
 *    differ between two deliveries of the same bounce);
 *  - otherwise the whole message with line ends made LF, a leading mbox
 *    "From " line dropped and trailing white space cut (an mbox keeps a
 *    blank line before the next separator that a lone file lacks).
 * `data` need not be NUL-terminated.
 */
void bnc_message_ident(unsigned char out[32], const char *data, size_t len);

#endif

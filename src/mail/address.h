/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * address.h - finding and normalising e-mail addresses in header values
 * and free text (RFC 5321 section 4.1.2 Mailbox, leniently).
 */
#ifndef BNC_MAIL_ADDRESS_H
#define BNC_MAIL_ADDRESS_H

#include "../util/arena.h"
#include "../util/str.h"

/* The next address in `text` at or after *pos; *pos moves past it.
 * Empty view when there is none. The view borrows from text. */
struct bnc_str bnc_addr_next(struct bnc_str text, size_t *pos);
/* The same, the domain read by the first rules (a dot looked for
 * again): the reference bnc_addr_next() is tested against. */
struct bnc_str bnc_addr_next_plain(struct bnc_str text, size_t *pos);

/* The first address in `text` ("rfc822; <A@B.example>", "Name <a@b>"),
 * copied with the domain lower-cased; empty view when there is none. */
struct bnc_str bnc_addr_normalise(struct bnc_arena *a, struct bnc_str text);
/* The same by bnc_addr_next_plain(), copied and then lowered: the
 * reference bnc_addr_normalise() is tested against. */
struct bnc_str bnc_addr_normalise_plain(struct bnc_arena *a,
    struct bnc_str text);

/* bnc_str_ifind(text, addr, len) for an address: the text's '@'s are
 * found and the address compared around them, instead of testing every
 * position on the address's first and last bytes (common letters).
 * bnc_str_ifind() is its plain twin (the unit test compares them). */
long bnc_addr_find(struct bnc_str text, const char *addr, size_t len);

/* Is `addr` a mailer's own address (MAILER-DAEMON, postmaster ...)? */
bool bnc_addr_is_daemon(struct bnc_str addr);

#endif

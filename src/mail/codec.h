/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * codec.h - content transfer decoding (RFC 2045 base64 and
 * quoted-printable), RFC 2047 encoded words, and charset conversion to
 * UTF-8 through iconv.
 *
 * Decoders are lenient, as mail readers are: bytes that do not belong to
 * the encoding are skipped and reported through *bad, never fatal.
 */
#ifndef BNC_MAIL_CODEC_H
#define BNC_MAIL_CODEC_H

#include <stdbool.h>

#include "../util/arena.h"
#include "../util/str.h"

/* Decoded copies in the arena; empty view with a NULL ptr on ENOMEM. */
struct bnc_str bnc_base64_decode(struct bnc_arena *a, struct bnc_str in,
    bool *bad);
struct bnc_str bnc_qp_decode(struct bnc_arena *a, struct bnc_str in,
    bool underscore_is_space, bool *bad);
/* The same a byte (or a memchr() run) at a time: the reference the
 * decoder above is tested against. */
struct bnc_str bnc_qp_decode_plain(struct bnc_arena *a, struct bnc_str in,
    bool underscore_is_space, bool *bad);

/* `in` in `charset` as UTF-8. ASCII, UTF-8 and unknown charsets are
 * returned as they are (invalid UTF-8 is kept: the output layer escapes
 * it). *bad is set when a conversion failed part way. */
struct bnc_str bnc_charset_to_utf8(struct bnc_arena *a, struct bnc_str in,
    struct bnc_str charset, bool *bad);
/* The same with every conversion through iconv(), none by table: the
 * reference the tables are tested against. */
struct bnc_str bnc_charset_to_utf8_plain(struct bnc_arena *a,
    struct bnc_str in, struct bnc_str charset, bool *bad);

/* Decode RFC 2047 encoded words in a header value. Returns `in` itself
 * when there is nothing to decode. */
struct bnc_str bnc_rfc2047_decode(struct bnc_arena *a, struct bnc_str in);
/* The same with "=?" looked for by bnc_str_ifind(): the reference the
 * quicker look is tested against. */
struct bnc_str bnc_rfc2047_decode_plain(struct bnc_arena *a,
    struct bnc_str in);

#endif

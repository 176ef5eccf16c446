/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dsn.h - RFC 3464 message/delivery-status bodies (and RFC 6533
 * message/global-delivery-status, which has the same fields).
 */
#ifndef BNC_DSN_DSN_H
#define BNC_DSN_DSN_H

#include "facts.h"

/* Add one recipient to `f` for each per-recipient group of `body` and
 * fill the per-message fields still empty. Returns the number of
 * recipients added, or BNC_ENOMEM. */
int bnc_dsn_parse(struct bnc_facts *f, struct bnc_arena *a,
    struct bnc_str body, size_t max_field);

/* "type; value" -> value (trimmed); the whole thing when there is no ';'. */
struct bnc_str bnc_dsn_value(struct bnc_str v, struct bnc_str *type_out);

/* The host name of an MTA field value, without comments or the
 * trailing dot: "mx.example.com. (192.0.2.1)" -> "mx.example.com". */
struct bnc_str bnc_dsn_mta_name(struct bnc_str v);

#endif

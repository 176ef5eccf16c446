/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * reason.h - the reason of a failure (reasons.tsv vocabulary) from its
 * facts: the decoder's own verdict, the error text, the status code.
 */
#ifndef BNC_CLASSIFY_REASON_H
#define BNC_CLASSIFY_REASON_H

#include "../dsn/facts.h"

/* The reason a phrase in `text` names, or NULL. `scratch` must hold
 * text.len + 1 bytes (the folded copy is made there). */
const char *bnc_reason_from_text(struct bnc_str text, char *scratch);
/* The reason an enhanced status code stands for on its own, or NULL. */
const char *bnc_reason_from_status(struct bnc_str status);
/* Row i of the table bnc_reason_from_status() reads: the code without
 * its class digit (".1.1") and its reason; false past the end. For the
 * tests, which search it the plain way. */
bool bnc_reason_status_row(size_t i, const char **code, const char **reason);
struct bnc_matcher;

/* The reason for one recipient: never NULL. `provider` (may be "" or
 * NULL) selects the provider's own table (rhost.h); `m` is the compiled
 * phrase table (NULL: the plain table scan of bnc_reason_from_text(),
 * which gives the same answers, more slowly). */
const char *bnc_reason_detect(const struct bnc_rcpt_facts *r,
    enum bnc_kind kind, const char *provider, const struct bnc_matcher *m,
    struct bnc_arena *a);
/* Is `name` in the reason vocabulary? */
bool bnc_reason_known(const char *name);

#endif

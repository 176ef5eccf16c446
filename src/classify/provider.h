/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * provider.h - which mailbox provider a failure came from: by the remote
 * MTA's host name first (a company domain hosted at Microsoft is
 * Microsoft's verdict), then the recipient's domain, then host names in
 * the diagnostic text.
 */
#ifndef BNC_CLASSIFY_PROVIDER_H
#define BNC_CLASSIFY_PROVIDER_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/str.h"

/* A static provider name ("google", "microsoft", "yahoo", "aol",
 * "apple", ...) or "" when none is recognised. */
const char *bnc_provider_detect(struct bnc_str recipient,
    struct bnc_str remote_mta, struct bnc_str diagnostic);
/* The same by scanning the tables row by row: the reference the
 * indexed look-up above is tested against. */
const char *bnc_provider_detect_plain(struct bnc_str recipient,
    struct bnc_str remote_mta, struct bnc_str diagnostic);

/* Row i of the host table (domains false) or the recipient domain
 * table (true): its pattern and provider; false past the last row.
 * For the tests that walk every row. */
bool bnc_provider_row(bool domains, size_t i, const char **pattern,
    const char **provider);

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * date.h - RFC 5322 section 3.3 dates (and the obsolete and sloppy forms
 * bounces carry) to ISO 8601 UTC.
 */
#ifndef BNC_DSN_DATE_H
#define BNC_DSN_DATE_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/str.h"

/* Write "YYYY-MM-DDTHH:MM:SSZ" (21 bytes with NUL) into out; false when
 * `s` is no date we can read. */
bool bnc_date_iso(struct bnc_str s, char out[21]);
/* The same by the general reader alone (bnc_date_iso() reads the usual
 * form at fixed places first): the reference it is tested against. */
bool bnc_date_iso_plain(struct bnc_str s, char out[21]);

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rhost.h - per-provider reason tables ("the remote host decides what
 * its code means").
 */
#ifndef BNC_CLASSIFY_RHOST_H
#define BNC_CLASSIFY_RHOST_H

#include <stddef.h>
#include <string.h>

struct bnc_rhost_row {
	const char *provider;	/* as bnc_provider_detect() names it */
	const char *phrase;	/* lower case */
	const char *reason;
};

extern const struct bnc_rhost_row bnc_rhost_rows[];
extern const size_t bnc_rhost_rows_count;

/* The reason `provider` gives the lower-cased, space-squeezed text
 * `folded`, or NULL when its table has no row for it. */
const char *bnc_rhost_reason(const char *provider, const char *folded,
    size_t len);

#endif

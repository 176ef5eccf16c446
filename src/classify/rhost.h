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
	const char *provider;	/* a table name: bnc_provider_detect()'s
				 * name, or the platform it runs on */
	const char *command;	/* "" for any, or the SMTP command the
				 * reply answered ("DATA") */
	const char *status;	/* "" for any, or the enhanced status
				 * code the report gives ("5.2.0") */
	const char *phrase;	/* lower case; '*' between ordered pieces */
	const char *reason;
};

extern const struct bnc_rhost_row bnc_rhost_rows[];
extern const size_t bnc_rhost_rows_count;

/* The table a provider's failures are read with: Yahoo and AOL share one
 * mail platform and one table. `provider` itself when it has no other. */
const char *bnc_rhost_table(const char *provider);

/* The first row of `provider`'s table, in table order, whose phrase
 * occurs in the lower-cased, space-squeezed text `folded` and whose
 * command and status, if it names them, are `command` and `status`
 * (NULL or "": unknown); NULL when none does. */
const struct bnc_rhost_row *bnc_rhost_find(const char *provider,
    const char *command, const char *status, const char *folded,
    size_t len);

/* The reason of bnc_rhost_find()'s row, or NULL. */
const char *bnc_rhost_reason(const char *provider, const char *command,
    const char *status, const char *folded, size_t len);

#endif

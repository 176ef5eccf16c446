/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * report.h - the library's objects behind the opaque handles of
 * bouncer.h: the context (options, resolved limits) and the report (the
 * records of one message, all in one arena).
 */
#ifndef BNC_CORE_REPORT_H
#define BNC_CORE_REPORT_H

#include <iconv.h>

#include "bouncer.h"
#include "../util/arena.h"

struct bnc_matcher;
/* Charset modules the context keeps loaded (see ctx.c). */
#define BNC_CTX_PINNED_CHARSETS 12

struct bnc_ctx {
	struct bnc_limits limits;	/* zeroes resolved to defaults */
	struct bnc_matcher *phrases;	/* compiled phrase table, owned */
	char campaign_header[64];
	enum bnc_profile profile;
	iconv_t pinned[BNC_CTX_PINNED_CHARSETS];	/* never used to
					 * convert: held only so glibc keeps
					 * the modules loaded; (iconv_t)-1
					 * when a charset is not available */
};

struct bnc_report {
	struct bnc_arena arena;		/* owns everything below */
	struct bnc_record *records;
	size_t n;
	unsigned anomalies;
};

/* bnc_parse() of bytes the caller knows hold no CR and no NUL when
 * `clean` (the mbox reader's messages, bnc_source_message_fn): they are
 * not looked for. For the CLI; false is bnc_parse(). */
int bnc_parse_clean(struct bnc_report **out, const struct bnc_ctx *ctx,
    const void *data, size_t len, bool clean, struct bnc_error *err);

#endif

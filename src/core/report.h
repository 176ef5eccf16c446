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

#endif

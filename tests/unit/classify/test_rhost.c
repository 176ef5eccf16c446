/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_rhost.c - src/classify/rhost.c: every provider row gives its
 * reason for its provider, inside a longer sentence, and never for
 * another provider; every reason is in the vocabulary; end to end, a
 * provider's code decides through bnc_explain().
 */
#include <stdio.h>

#include "bouncer.h"
#include "classify/reason.h"
#include "classify/rhost.h"
#include "harness.h"

static void
test_rows(void)
{
	size_t i;
	char text[256];

	for (i = 0; i < bnc_rhost_rows_count; i++) {
		const struct bnc_rhost_row *row = &bnc_rhost_rows[i];
		const char *got;

		snprintf(text, sizeof(text), "550 5.0.0 said: %s (see help)",
		    row->phrase);
		got = bnc_rhost_reason(row->provider, text, strlen(text));
		CHECK_STR(row->phrase, row->provider, got, row->reason);
		CHECK_TRUE(row->phrase, "reason known",
		    bnc_reason_known(row->reason));
		/* The same words from a provider without the row: none. */
		got = bnc_rhost_reason("no-such-provider", text, strlen(text));
		CHECK_STR(row->phrase, "other provider", got, NULL);
	}
	CHECK_STR("empty provider", "reason",
	    bnc_rhost_reason("", "s3150", 5), NULL);
	CHECK_STR("null provider", "reason",
	    bnc_rhost_reason(NULL, "s3150", 5), NULL);
}

static void
test_explain(void)
{
	static const struct {
		const char *name, *reply, *remote, *reason;
	} rows[] = {
		{ "orange code", "550 mwinf ME Adresse IP source bloquee. "
		    "OFR006_102 Ref", "smtp-in.orange.fr", "blocked" },
		{ "microsoft S3150", "550 5.7.1 Unfortunately, messages from "
		    "[192.0.2.1] weren't sent. (S3150)",
		    "mx1.hotmail.com", "blocked" },
		{ "tencent frequency", "550 Connection frequency limited",
		    "mx3.qq.com", "toomanyconn" },
		{ "same words elsewhere decide nothing special",
		    "550 Connection frequency limited", "mx.example.net",
		    "toomanyconn" },
		{ "yahoo dd", "554 delivery error: dd This user doesn't have "
		    "a yahoo.com account (a@yahoo.com) [0]",
		    "mta6.am0.yahoodns.net", "userunknown" },
	};
	struct bnc_ctx *ctx;
	size_t i;

	if (bnc_ctx_new(&ctx, NULL) != 0) {
		CHECK_FAIL("ctx", "error", "a context");
		return;
	}
	for (i = 0; i < H_NELEM(rows); i++) {
		struct bnc_report *rep;
		if (bnc_explain(&rep, ctx, rows[i].reply, strlen(rows[i].reply),
		    rows[i].remote, NULL) != 0) {
			CHECK_FAIL(rows[i].name, "error", "a report");
			continue;
		}
		CHECK_STR(rows[i].name, "reason",
		    bnc_report_record(rep, 0)->reason, rows[i].reason);
		bnc_report_free(rep);
	}
	bnc_ctx_free(ctx);
}

int
main(void)
{
	test_rows();
	test_explain();
	return h_done("test_rhost");
}

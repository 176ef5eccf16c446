/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_parse.c - libFuzzer target for the whole decoding path: message
 * and MIME parsing, DSN fields, free-text decoders, classification.
 * Built with clang -fsanitize=fuzzer when BNC_FUZZ is on; replay.c runs
 * the seed corpus through the same entry point as an ordinary test.
 */
#include <stddef.h>
#include <stdint.h>

#include "bouncer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* One context for the whole run, as a real caller keeps one:
	 * compiling the phrase table per input cost 90% of the time. It
	 * stays reachable, so LeakSanitizer does not count it. */
	static struct bnc_ctx *ctx;
	struct bnc_report *rep;
	size_t i, n;

	if (ctx == NULL && bnc_ctx_new(&ctx, NULL) != 0)
		return 0;
	if (bnc_parse(&rep, ctx, data, size, NULL) == 0) {
		n = bnc_report_count(rep);
		for (i = 0; i < n; i++) {
			const struct bnc_record *r = bnc_report_record(rep, i);
			/* Touch every string: a dangling one trips ASan. */
			volatile size_t sum = 0;
			const char *f[] = { r->recipient, r->status,
				r->reply_code, r->diagnostic, r->reason,
				r->rule, r->timestamp, r->provider };
			for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++)
				for (const char *p = f[k]; *p; p++)
					sum += (unsigned char)*p;
			(void)sum;
		}
		bnc_report_free(rep);
	}
	/* The SMTP reply path too, on the same bytes. */
	if (bnc_explain(&rep, ctx, (const char *)data, size, NULL, NULL) == 0)
		bnc_report_free(rep);
	return 0;
}

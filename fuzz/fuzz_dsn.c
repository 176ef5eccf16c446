/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_dsn.c - libFuzzer target for the RFC 3464 delivery-status parser
 * (src/dsn/dsn.c) on its own: the input is the body of a
 * message/delivery-status part. A small recipient cap makes the
 * truncation path reachable.
 */
#include <stddef.h>
#include <stdint.h>

#include "dsn/dsn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
touch(struct bnc_str s)
{
	volatile unsigned sum = 0;
	size_t i;

	for (i = 0; i < s.len; i++)
		sum += (unsigned char)s.ptr[i];
	(void)sum;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bnc_facts f;
	struct bnc_arena a;
	struct bnc_str type;
	size_t i;

	memset(&f, 0, sizeof(f));
	f.max = 8;
	bnc_arena_init(&a, (size_t)1 << 22);
	if (bnc_dsn_parse(&f, &a, bnc_str_make((const char *)data, size),
	    1024) >= 0) {
		touch(f.reporting_mta);
		touch(f.arrival_date);
		for (i = 0; i < f.n; i++) {
			touch(f.r[i].recipient);
			touch(f.r[i].action);
			touch(f.r[i].status);
			touch(f.r[i].diagnostic);
			touch(f.r[i].diag_type);
			touch(f.r[i].remote_mta);
			touch(f.r[i].last_attempt);
		}
	}
	touch(bnc_dsn_value(bnc_str_make((const char *)data, size), &type));
	touch(type);
	touch(bnc_dsn_mta_name(bnc_str_make((const char *)data, size)));
	bnc_arena_deinit(&a);
	return 0;
}

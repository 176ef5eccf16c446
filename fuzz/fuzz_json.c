/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_json.c - libFuzzer target for the JSON reader of src/util/json.c
 * (Amazon SES notifications), differential: jansson 2.14, which json.h
 * promises to follow, must accept the same documents, with and without
 * the end-of-input check, and read the same values. A disagreement
 * aborts, so the fuzzer keeps it as a finding.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "json_same.h"
#include "util/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bnc_str in = bnc_str_make((const char *)data, size);
	int k;

	for (k = 0; k < 2; k++) {
		struct bnc_arena a;
		const struct bnc_json *v;
		json_error_t e;
		json_t *j;

		bnc_arena_init(&a, (size_t)1 << 24);
		v = bnc_json_parse(&a, in, k == 1);
		j = json_loadb((const char *)data, size,
		    k == 1 ? JSON_DISABLE_EOF_CHECK : 0, &e);
		if ((v == NULL) != (j == NULL) ||
		    (v != NULL && !bnc_test_json_same(v, j)))
			abort();
		json_decref(j);
		bnc_arena_deinit(&a);
	}
	return 0;
}

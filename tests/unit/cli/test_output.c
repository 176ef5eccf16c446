/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_output.c - src/cli/output.c: the JSON string writer that copies
 * plain bytes by vector loads (short texts by two loads that overlap,
 * the end of a long one by a load that ends at its end) against the
 * one that reads a byte at a time, on generated texts of every length
 * with quotes, backslashes, control bytes, UTF-8 and broken UTF-8 at
 * every place.
 */
#include <stdint.h>
#include <stdlib.h>

#include "cli/output.h"
#include "util/str.h"
#include "harness.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static void
test_put(void)
{
	static const char *const piece[] = { "a", "bc", "550 5.1.1",
		"user@example.com", "\"", "\\", "\n", "\t", "\x7f", "\x01",
		"\xc3\xa9", "\xe3\x81\x82", "\xf0\x9f\x98\x80", "\xc3", "\xff",
		"\xed\xa0\x80", " ", "0123456789abcdef", "x" };
	unsigned i, diff = 0;

	for (i = 0; i < 300000; i++) {
		char in[128], got[128 * 6 + 2], want[128 * 6 + 2];
		char *g, *w;
		size_t n = 0;
		unsigned k, parts = rnd(12);
		/* Mostly plain text, some of it all plain. */
		bool plain_only = rnd(3) == 0;

		for (k = 0; k < parts; k++) {
			const char *p = piece[plain_only ? (rnd(2) ? 2 :
			    17) : rnd(H_NELEM(piece))];
			size_t l = strlen(p);
			if (n + l > sizeof(in))
				break;
			memcpy(in + n, p, l);
			n += l;
		}
		/* Every length, cut anywhere (a UTF-8 sequence too); the
		 * text copied to the end of a buffer of its own, so a read
		 * past it is one the sanitizers see. */
		n = n ? rnd((unsigned)n + 1) : 0;
		{
			char *own = malloc(n ? n : 1);
			if (own == NULL)
				abort();
			memcpy(own, in, n);
			g = bnc_json_put(got, own, n);
			w = bnc_json_put_plain(want, own, n);
			free(own);
		}
		if (((size_t)(g - got) != (size_t)(w - want) ||
		    memcmp(got, want, (size_t)(w - want)) != 0) &&
		    diff++ < 5)
			CHECK_VIEW("json string", "written", bnc_str_make(got,
			    (size_t)(g - got)), ((*w = '\0'), want));
	}
	CHECK_INT("json string", "texts unlike the byte-at-a-time writer",
	    diff, 0);
}

int
main(void)
{
	test_put();
	return h_done("test_output");
}

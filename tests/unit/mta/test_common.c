/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_common.c - src/mta/common.c: white space squeezing, which copies
 * blocks of 16 bytes that need no change and goes byte by byte
 * elsewhere. Checked against a byte loop on texts of every length made
 * of runs of each white space byte, single spaces and words.
 */
#include "harness.h"
#include "mta/mta.h"

/* The reference: trim, then one ' ' for each run of white space. */
static size_t
naive_squeeze(const char *s, size_t len, char *out)
{
	size_t i, n = 0;
	bool sp = false;

	while (len && bnc_is_space((unsigned char)s[0])) {
		s++;
		len--;
	}
	while (len && bnc_is_space((unsigned char)s[len - 1]))
		len--;
	for (i = 0; i < len; i++) {
		if (bnc_is_space((unsigned char)s[i])) {
			sp = true;
			continue;
		}
		if (sp && n)
			out[n++] = ' ';
		sp = false;
		out[n++] = s[i];
	}
	return n;
}

static void
test_squeeze(void)
{
	static const char *const pieces[] = { "word", " ", "  ", "\t", "\n",
	    "\r\n", "\v", "\f", "x", "\xc3\xa9", "-----", " a ", "\x7f" };
	char in[200], want[200], name[64];
	struct bnc_arena a;
	size_t len, i, k, n, bad = 0;
	unsigned seed = 11;

	bnc_arena_init(&a, 0);
	for (k = 0; k < 3000; k++) {
		len = 0;
		while (len < 150) {
			const char *p;
			seed = seed * 1103515245u + 12345u;
			p = pieces[(seed >> 16) % H_NELEM(pieces)];
			for (i = 0; p[i] && len < 150; i++)
				in[len++] = p[i];
			seed = seed * 1103515245u + 12345u;
			if ((seed >> 16) % 40 == 0)
				break;
		}
		n = naive_squeeze(in, len, want);
		{
			struct bnc_str got = bnc_text_squeeze(&a,
			    bnc_str_make(in, len));
			if ((got.len != n || memcmp(got.ptr, want, n) != 0) &&
			    bad++ < 5) {
				want[n] = '\0';
				snprintf(name, sizeof(name), "squeeze %zu", k);
				CHECK_VIEW(name, "text", got, n ? want : NULL);
			}
		}
	}
	CHECK_INT("squeeze", "mismatches", (long)bad, 0);
	bnc_arena_deinit(&a);
}

int
main(void)
{
	test_squeeze();
	return h_done("test_common");
}

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
#include "util/buf.h"
#include "util/str.h"
#include "harness.h"

static struct h_rng rng = { 0x9e3779b97f4a7c15ull };

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
		unsigned k, parts = h_rnd(&rng, 12);
		/* Mostly plain text, some of it all plain. */
		bool plain_only = h_rnd(&rng, 3) == 0;

		for (k = 0; k < parts; k++) {
			const char *p = piece[plain_only ? (h_rnd(&rng, 2) ? 2 :
			    17) : h_rnd(&rng, H_NELEM(piece))];
			size_t l = strlen(p);
			if (n + l > sizeof(in))
				break;
			memcpy(in + n, p, l);
			n += l;
		}
		/* Every length, cut anywhere (a UTF-8 sequence too); the
		 * text copied to the end of a buffer of its own, so a read
		 * past it is one the sanitizers see. */
		n = n ? h_rnd(&rng, (unsigned)n + 1) : 0;
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

/* A JSON line made with the room for all of it reserved at once
 * against the same line made a field at a time (what a buffer too
 * small for the worst case gets): the same bytes, on records of
 * generated fields; and a buffer too small for the line at all is left
 * as it was. */
static void
test_line(void)
{
	static const char *const piece[] = { "", "a", "550 5.1.1",
		"user@example.com", "\"", "\\", "\n", "\xc3\xa9", "\xff",
		"mx.example.net", "0123456789abcdef" };
	struct bnc_writer w;
	unsigned i, diff = 0;

	bnc_writer_init(&w, stdout, BNC_FORMAT_JSONL);
	for (i = 0; i < 20000; i++) {
		char text[21][64];
		struct bnc_record r;
		struct bnc_buf big, small;
		size_t k;

		memset(&r, 0, sizeof(r));
		for (k = 0; k < 21; k++) {
			size_t n = 0;
			unsigned parts = h_rnd(&rng, 4), j;
			for (j = 0; j < parts; j++) {
				const char *p =
				    piece[h_rnd(&rng, H_NELEM(piece))];
				size_t l = strlen(p);
				if (n + l >= sizeof(text[k]))
					break;
				memcpy(text[k] + n, p, l);
				n += l;
			}
			text[k][n] = '\0';
		}
		r.recipient = text[0];
		r.sender = h_rnd(&rng, 5) ? text[1] : NULL;
		r.status = text[2];
		r.reply_code = text[3];
		r.diagnostic = text[4];
		r.diagnostic_type = text[5];
		r.dsn_action = text[6];
		r.remote_mta = text[7];
		r.reporting_mta = text[8];
		r.smtp_command = text[9];
		r.message_id = text[10];
		r.campaign = text[11];
		r.list_id = text[12];
		r.feedback_type = text[13];
		r.timestamp = text[14];
		r.mta = text[15];
		r.provider = text[16];
		r.reason = text[17];
		r.rule = text[18];
		r.cls = BNC_CLASS_HARD;
		r.action = BNC_ACTION_SUPPRESS;
		bnc_buf_init(&big, (size_t)1 << 20);
		if (bnc_writer_format(&w, &big, text[19], i, &r) != 0)
			CHECK_FAIL("json line", "an error", "a line");
		/* Room for the line as written and the worst case of one
		 * field, mostly not for the worst case of all. */
		bnc_buf_init(&small, big.len + 6 * sizeof(text[0]) + 64);
		if (bnc_writer_format(&w, &small, text[19], i, &r) != 0) {
			CHECK_FAIL("json line, small buffer", "an error",
			    "a line");
		} else if ((small.len != big.len || memcmp(small.ptr, big.ptr,
		    big.len) != 0) && diff++ < 5) {
			CHECK_VIEW("json line", "a field at a time",
			    bnc_str_make(small.ptr, small.len), big.ptr);
		}
		bnc_buf_deinit(&small);
		/* No room: nothing written. */
		bnc_buf_init(&small, big.len - 1);
		CHECK_INT("json line, no room", "status",
		    bnc_writer_format(&w, &small, text[19], i, &r), BNC_ENOMEM);
		CHECK_INT("json line, no room", "length", small.len, 0);
		bnc_buf_deinit(&small);
		bnc_buf_deinit(&big);
	}
	CHECK_INT("json line", "lines unlike those made a field at a time",
	    diff, 0);
	bnc_writer_finish(&w);
}

int
main(void)
{
	test_put();
	test_line();
	return h_done("test_output");
}

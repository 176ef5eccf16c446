/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_buf.c - src/util/buf.c: the mandatory maximum (BNC_ETOOBIG with
 * nothing added), NUL after len, binary safety, printf, reset.
 */
#include "bouncer.h"
#include "harness.h"
#include "util/buf.h"

static void
test_max(void)
{
	static const struct {
		const char *name;
		size_t max;
		size_t first, second;
		int want_second;
		size_t want_len;
	} rows[] = {
		{ "exactly max", 10, 6, 4, 0, 10 },
		{ "one over max", 10, 6, 5, BNC_ETOOBIG, 6 },
		{ "first over max", 10, 11, 0, 0, 0 },
		{ "max 0", 0, 0, 1, BNC_ETOOBIG, 0 },
		{ "large max, growth", 100000, 70000, 30000, 0, 100000 },
		{ "large max, over", 100000, 70000, 30001, BNC_ETOOBIG, 70000 },
	};
	static char data[100001];
	size_t i;

	memset(data, 'z', sizeof(data));
	for (i = 0; i < H_NELEM(rows); i++) {
		struct bnc_buf b;
		int rc1, rc2;

		bnc_buf_init(&b, rows[i].max);
		rc1 = bnc_buf_add(&b, data, rows[i].first);
		if (rows[i].first > rows[i].max) {
			CHECK_INT(rows[i].name, "rc of first add", rc1,
			    BNC_ETOOBIG);
			CHECK_INT(rows[i].name, "len", b.len, 0);
			bnc_buf_deinit(&b);
			continue;
		}
		CHECK_INT(rows[i].name, "rc of first add", rc1, 0);
		rc2 = bnc_buf_add(&b, data, rows[i].second);
		CHECK_INT(rows[i].name, "rc of second add", rc2,
		    rows[i].want_second);
		CHECK_INT(rows[i].name, "len", b.len, rows[i].want_len);
		CHECK_TRUE(rows[i].name, "len <= max", b.len <= b.max);
		if (b.ptr != NULL)
			CHECK_INT(rows[i].name, "NUL after len", b.ptr[b.len], 0);
		bnc_buf_deinit(&b);
		CHECK_TRUE(rows[i].name, "deinit frees", b.ptr == NULL &&
		    b.len == 0);
	}
	bnc_buf_deinit(NULL);
}

static void
test_content(void)
{
	struct bnc_buf b;

	bnc_buf_init(&b, 64);
	CHECK_INT("adds", "rc", bnc_buf_adds(&b, "550 "), 0);
	CHECK_INT("addc", "rc", bnc_buf_addc(&b, '5'), 0);
	CHECK_INT("add binary", "rc", bnc_buf_add(&b, ".1\0.1", 5), 0);
	CHECK_INT("binary", "len", b.len, 10);
	CHECK_TRUE("binary", "bytes", memcmp(b.ptr, "550 5.1\0.1", 11) == 0);

	bnc_buf_reset(&b);
	CHECK_INT("reset", "len", b.len, 0);
	CHECK_STR("reset", "string", b.ptr, "");

	CHECK_INT("printf", "rc", bnc_buf_printf(&b, "%s %d", "code", 550), 0);
	CHECK_STR("printf", "string", b.ptr, "code 550");
	CHECK_INT("printf append", "rc", bnc_buf_printf(&b, "/%03d", 7), 0);
	CHECK_STR("printf append", "string", b.ptr, "code 550/007");
	/* 64 - 12 = 52 bytes left; 60 more is over the max. */
	CHECK_INT("printf over max", "rc", bnc_buf_printf(&b, "%60s", "x"),
	    BNC_ETOOBIG);
	CHECK_STR("printf over max", "unchanged", b.ptr, "code 550/007");
	CHECK_INT("printf to max", "rc", bnc_buf_printf(&b, "%52s", "x"), 0);
	CHECK_INT("printf to max", "len", b.len, 64);
	CHECK_INT("addc past max", "rc", bnc_buf_addc(&b, 'y'), BNC_ETOOBIG);
	CHECK_INT("addc past max", "len", b.len, 64);
	bnc_buf_deinit(&b);

	/* Adding nothing to a fresh buffer still leaves a string. */
	bnc_buf_init(&b, 8);
	CHECK_INT("add nothing", "rc", bnc_buf_add(&b, "", 0), 0);
	CHECK_STR("add nothing", "string", b.ptr, "");
	bnc_buf_deinit(&b);
}

int
main(void)
{
	test_max();
	test_content();
	return h_done("test_buf");
}

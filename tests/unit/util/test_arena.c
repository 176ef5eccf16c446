/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_arena.c - src/util/arena.c: allocation and alignment, the byte
 * cap (hit_cap set, NULL returned, nothing over the cap), growing in
 * place and by copy, calloc overflow, strndup; arenas made again (the
 * thread's kept chunks) count and cap the same.
 */
#include <pthread.h>
#include <stdalign.h>
#include <stdint.h>

#include "harness.h"
#include "util/arena.h"

static bool
aligned(const void *p)
{
	return ((uintptr_t)p % alignof(max_align_t)) == 0;
}

static void
test_alloc(void)
{
	static const size_t sizes[] = { 0, 1, 7, 16, 100, 4000, 5000, 70000,
		(size_t)2 << 20 };
	struct bnc_arena a;
	unsigned char *prev = NULL;
	size_t prev_n = 0, i;

	bnc_arena_init(&a, 0);
	for (i = 0; i < H_NELEM(sizes); i++) {
		char name[32];
		unsigned char *p;

		snprintf(name, sizeof(name), "alloc %zu", sizes[i]);
		p = bnc_arena_alloc(&a, sizes[i]);
		if (p == NULL) {
			CHECK_FAIL(name, "NULL", "a pointer");
			continue;
		}
		CHECK_TRUE(name, "aligned", aligned(p));
		memset(p, 0xa5, sizes[i]);
		/* The previous block must be intact (no overlap). */
		if (prev != NULL && prev_n > 0)
			CHECK_INT(name, "previous block's last byte",
			    prev[prev_n - 1], 0x5a);
		if (sizes[i] > 0) {
			memset(p, 0x5a, sizes[i]);
			prev = p;
			prev_n = sizes[i];
		}
	}
	CHECK_BOOL("alloc", "hit_cap without a cap", a.hit_cap, false);
	CHECK_TRUE("alloc", "used counts the chunks", a.used >= ((size_t)2 << 20));
	bnc_arena_deinit(&a);
	CHECK_INT("deinit", "used", a.used, 0);
	CHECK_TRUE("deinit", "head", a.head == NULL);
	bnc_arena_deinit(NULL);	/* accepted, like free(NULL) */
}

static void
test_cap(void)
{
	static const struct {
		const char *name;
		size_t cap;
		size_t block;
	} rows[] = {
		{ "cap 64 KiB, 1 KiB blocks", (size_t)64 << 10, 1024 },
		{ "cap 64 KiB, 10 KiB blocks", (size_t)64 << 10, 10240 },
		{ "cap 1 MiB, 100 KiB blocks", (size_t)1 << 20, 102400 },
		{ "cap 1 MiB, 3 MiB block", (size_t)1 << 20, (size_t)3 << 20 },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++) {
		struct bnc_arena a;
		size_t got = 0, k;
		bool refused = false;

		bnc_arena_init(&a, rows[i].cap);
		for (k = 0; k < 10000; k++) {
			void *p = bnc_arena_alloc(&a, rows[i].block);
			if (p == NULL) {
				refused = true;
				break;
			}
			memset(p, 1, rows[i].block);
			got += rows[i].block;
		}
		CHECK_TRUE(rows[i].name, "an allocation was refused", refused);
		CHECK_TRUE(rows[i].name, "hit_cap", a.hit_cap);
		CHECK_TRUE(rows[i].name, "used <= cap", a.used <= rows[i].cap);
		CHECK_TRUE(rows[i].name, "got <= cap", got <= rows[i].cap);
		/* The cap is spent, not wasted: at least half of it is
		 * handed out when blocks are small against it. (Chunks
		 * double, so with blocks near the chunk size up to half
		 * the cap can go unused.) */
		if (rows[i].block * 8 <= rows[i].cap)
			CHECK_TRUE(rows[i].name, "half the cap handed out",
			    got >= rows[i].cap / 2);
		/* Still refused: the cap stays hit. */
		CHECK_TRUE(rows[i].name, "refused again",
		    bnc_arena_alloc(&a, rows[i].cap) == NULL);
		bnc_arena_deinit(&a);
	}

	/* A cap that is never reached leaves hit_cap false. */
	{
		struct bnc_arena a;
		void *p;

		bnc_arena_init(&a, (size_t)1 << 20);
		p = bnc_arena_alloc(&a, 100);
		CHECK_TRUE("under the cap", "pointer", p != NULL);
		CHECK_BOOL("under the cap", "hit_cap", a.hit_cap, false);
		bnc_arena_deinit(&a);
	}
}

static void
test_grow(void)
{
	struct bnc_arena a;
	char *p, *q, *r, *s;
	size_t i;
	bool same;

	bnc_arena_init(&a, 0);
	p = bnc_arena_alloc(&a, 16);
	memcpy(p, "0123456789abcdef", 16);
	/* The newest allocation grows in place. */
	q = bnc_arena_grow(&a, p, 16, 64);
	CHECK_TRUE("grow last in place", "same pointer", q == p);
	CHECK_BYTES("grow last in place", "contents", q, 16, "0123456789abcdef");
	memset(q + 16, 'x', 48);

	/* Not the newest any more: a copy. */
	r = bnc_arena_alloc(&a, 8);
	memcpy(r, "RRRRRRRR", 8);
	s = bnc_arena_grow(&a, q, 64, 128);
	CHECK_TRUE("grow older by copy", "new pointer", s != NULL && s != q);
	if (s != NULL) {
		CHECK_BYTES("grow older by copy", "contents", s, 16,
		    "0123456789abcdef");
		same = true;
		for (i = 16; i < 64; i++)
			if (s[i] != 'x')
				same = false;
		CHECK_TRUE("grow older by copy", "tail copied", same);
	}
	CHECK_BYTES("grow older by copy", "other block intact", r, 8,
	    "RRRRRRRR");

	/* Shrinking or equal is a no-op. */
	CHECK_TRUE("grow smaller", "same pointer",
	    bnc_arena_grow(&a, s, 128, 10) == s);
	/* NULL grows like an allocation. */
	p = bnc_arena_grow(&a, NULL, 0, 32);
	CHECK_TRUE("grow NULL", "pointer", p != NULL && aligned(p));

	/* Growing past the chunk moves to a new chunk. */
	p = bnc_arena_alloc(&a, 100);
	memset(p, 'y', 100);
	q = bnc_arena_grow(&a, p, 100, (size_t)1 << 21);
	CHECK_TRUE("grow past the chunk", "pointer", q != NULL);
	if (q != NULL) {
		same = true;
		for (i = 0; i < 100; i++)
			if (q[i] != 'y')
				same = false;
		CHECK_TRUE("grow past the chunk", "contents", same);
	}
	bnc_arena_deinit(&a);

	/* Growing into the cap fails cleanly. */
	bnc_arena_init(&a, (size_t)64 << 10);
	p = bnc_arena_alloc(&a, 100);
	q = bnc_arena_grow(&a, p, 100, (size_t)1 << 20);
	CHECK_TRUE("grow over the cap", "NULL", q == NULL);
	CHECK_TRUE("grow over the cap", "hit_cap", a.hit_cap);
	bnc_arena_deinit(&a);
}

static void
test_calloc_strndup(void)
{
	struct bnc_arena a;
	unsigned char *z;
	char *s;
	size_t i;
	bool zero = true;

	bnc_arena_init(&a, 0);
	/* Dirty the arena first so calloc has something to clear. */
	memset(bnc_arena_alloc(&a, 256), 0xff, 256);
	z = bnc_arena_calloc(&a, 10, 25);
	CHECK_TRUE("calloc", "pointer", z != NULL);
	for (i = 0; z && i < 250; i++)
		if (z[i] != 0)
			zero = false;
	CHECK_TRUE("calloc", "zeroed", zero);
	CHECK_TRUE("calloc overflow", "NULL",
	    bnc_arena_calloc(&a, SIZE_MAX / 2, 4) == NULL);
	CHECK_TRUE("alloc SIZE_MAX", "NULL",
	    bnc_arena_alloc(&a, SIZE_MAX) == NULL);

	s = bnc_arena_strndup(&a, "hello, world", 5);
	CHECK_STR("strndup", "copy", s, "hello");
	s = bnc_arena_strndup(&a, NULL, 0);
	CHECK_STR("strndup empty", "copy", s, "");
	s = bnc_arena_strdup_str(&a, bnc_str_make("a\0b", 3));
	CHECK_TRUE("strdup_str with NUL", "bytes a NUL b NUL",
	    s != NULL && memcmp(s, "a\0b\0", 4) == 0);
	bnc_arena_deinit(&a);
}

/* One run of a fixed pattern of allocations under a cap: how many were
 * had before the cap refused one, and the bytes counted then. */
static void
pattern(size_t cap, size_t *had, size_t *used)
{
	static const size_t sizes[] = { 40, 1300, 700, 5000, 90, 12000, 3,
		30000, 600, 70000, 200, 150000 };
	struct bnc_arena a;
	size_t i;

	bnc_arena_init(&a, cap);
	for (i = 0; i < 200; i++) {
		size_t n = sizes[i % H_NELEM(sizes)];
		unsigned char *p = bnc_arena_alloc(&a, n);
		if (p == NULL)
			break;
		memset(p, 0x5a, n);
	}
	*had = i;
	*used = a.used;
	bnc_arena_deinit(&a);
}

static void *
pattern_thread(void *arg)
{
	size_t *r = arg;

	pattern(r[0], &r[1], &r[2]);
	pattern(r[0], &r[3], &r[4]);
	return NULL;
}

/* Arenas made one after another (their chunks kept by the thread and
 * used again, in the release build) hold and count the same as the
 * first one did: the cap is hit at the same allocation, with the same
 * bytes counted; in another thread too. */
static void
test_reuse(void)
{
	static const size_t caps[] = { 0, 10000, 60000, 300000, 1000000 };
	size_t i, k;

	for (i = 0; i < H_NELEM(caps); i++) {
		size_t had0, used0, had, used, r[5] = { caps[i] };
		char name[48];
		pthread_t t;

		snprintf(name, sizeof(name), "arenas again, cap %zu", caps[i]);
		pattern(caps[i], &had0, &used0);
		for (k = 0; k < 3; k++) {
			pattern(caps[i], &had, &used);
			CHECK_INT(name, "allocations had", had, had0);
			CHECK_INT(name, "bytes counted", used, used0);
		}
		if (pthread_create(&t, NULL, pattern_thread, r) == 0) {
			pthread_join(t, NULL);
			CHECK_INT(name, "allocations in a thread", r[1], had0);
			CHECK_INT(name, "bytes in a thread", r[2], used0);
			CHECK_INT(name, "again in a thread", r[3], had0);
			CHECK_INT(name, "again, bytes in a thread", r[4], used0);
		}
	}
}

int
main(void)
{
	test_reuse();
	test_alloc();
	test_cap();
	test_grow();
	test_calloc_strndup();
	return h_done("test_arena");
}

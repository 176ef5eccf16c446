/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arena.c - chunked bump allocator. Chunks double from 4 KiB up to 1 MiB;
 * a larger request gets a chunk of its own. With BNC_ARENA_DEBUG each
 * allocation is its own malloc so ASan sees overruns.
 *
 * A thread keeps one freed chunk of each size from 4 KiB to 256 KiB
 * (the sizes new_chunk() makes) for the next arena that needs that
 * size: a message's arena is made and freed once a message, and its
 * chunks no longer go back and forth through malloc(). A kept chunk
 * is used at exactly the size it was made for, so what an arena holds
 * and when it hits its cap are the same either way. Not in the
 * sanitizer or BNC_ARENA_DEBUG builds, whose point is to see each
 * allocation.
 */
#include <pthread.h>
#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "alloc.h"
#include "arena.h"


#define ALIGN ((size_t)alignof(max_align_t))
#define MIN_CHUNK ((size_t)4096)
#define MAX_CHUNK ((size_t)1 << 20)

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BNC_NO_SPARE 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(BNC_ARENA_DEBUG)
#define BNC_NO_SPARE 1
#endif

#ifndef BNC_NO_SPARE
/* The kept chunks of this thread, by size: MIN_CHUNK << k. A thread's
 * are freed when it ends (the key's destructor); the main thread's
 * stay reachable until the process ends. */
#define SPARE_SIZES 7
struct spare {
	struct bnc_arena_chunk *c[SPARE_SIZES];
	void *block;	/* bnc_spare_give()'s, of block_size bytes */
	size_t block_size;
	int state;	/* 0: not asked yet, 1: kept, -1: no key */
};
static _Thread_local struct spare spare;
static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;
static int spare_key_ok;

static void
spare_free(void *p)
{
	struct spare *s = p;
	int k;

	for (k = 0; k < SPARE_SIZES; k++) {
		bnc_free(s->c[k]);
		s->c[k] = NULL;
	}
	bnc_free(s->block);
	s->block = NULL;
	s->state = -1;
}

static void
spare_key_make(void)
{
	spare_key_ok = pthread_key_create(&spare_key, spare_free) == 0;
}

/* The slot for chunks of `size` bytes, or -1. */
static inline int
spare_slot(size_t size)
{
	int k;

	if (size < MIN_CHUNK || size > (MIN_CHUNK << (SPARE_SIZES - 1)) ||
	    (size & (size - 1)) != 0)
		return -1;
	k = __builtin_ctzll((unsigned long long)size) - 12;
	return k;
}

/* May this thread keep chunks? Asked once a thread: its destructor is
 * registered first. */
static bool
spare_ready(void)
{
	if (spare.state == 0) {
		pthread_once(&spare_once, spare_key_make);
		spare.state = spare_key_ok &&
		    pthread_setspecific(spare_key, &spare) == 0 ? 1 : -1;
	}
	return spare.state > 0;
}
#endif

void *
bnc_spare_take(size_t size)
{
#ifndef BNC_NO_SPARE
	void *p = spare.block;

	if (p != NULL && spare.block_size == size) {
		spare.block = NULL;
		return p;
	}
#else
	(void)size;
#endif
	return NULL;
}

bool
bnc_spare_give(void *p, size_t size)
{
#ifndef BNC_NO_SPARE
	if (spare.block == NULL && spare_ready()) {
		spare.block = p;
		spare.block_size = size;
		return true;
	}
#else
	(void)p;
	(void)size;
#endif
	return false;
}

void
bnc_arena_init(struct bnc_arena *a, size_t cap)
{
	a->head = NULL;
	a->used = 0;
	a->cap = cap;
	a->hit_cap = false;
}

void
bnc_arena_deinit(struct bnc_arena *a)
{
	struct bnc_arena_chunk *c, *next;

	if (a == NULL)
		return;
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
#ifndef BNC_NO_SPARE
		{
			int k = spare_slot(c->size);
			if (k >= 0 && spare.c[k] == NULL && spare_ready()) {
				spare.c[k] = c;
				continue;
			}
		}
#endif
		bnc_free(c);
	}
	a->head = NULL;
	a->used = 0;
}

static struct bnc_arena_chunk *
new_chunk(struct bnc_arena *a, size_t need)
{
	struct bnc_arena_chunk *c;
	size_t size, total;

	size = a->head ? a->head->size * 2 : MIN_CHUNK;
	if (size > MAX_CHUNK)
		size = MAX_CHUNK;
#ifdef BNC_ARENA_DEBUG
	size = need;
#endif
	if (size < need)
		size = need;
	if (!bnc_size_add(&total, size, sizeof(*c)))
		return NULL;
	if (a->cap && (a->used > a->cap || total > a->cap - a->used)) {
		a->hit_cap = true;
		return NULL;
	}
	c = NULL;
#ifndef BNC_NO_SPARE
	{
		int k = spare_slot(size);
		if (k >= 0 && spare.c[k] != NULL) {
			c = spare.c[k];
			spare.c[k] = NULL;
		}
	}
#endif
	if (c == NULL)
		c = bnc_malloc(total);
	if (c == NULL)
		return NULL;
	c->size = size;
	c->off = 0;
	c->next = a->head;
	a->head = c;
	a->used += total;
	return c;
}

void *
bnc_arena_alloc_chunk(struct bnc_arena *a, size_t n)
{
	struct bnc_arena_chunk *c = a->head;
	size_t need;
	void *p;

	if (!bnc_size_add(&need, n ? n : 1, ALIGN - 1))
		return NULL;
	need &= ~(ALIGN - 1);
	if (c == NULL || c->size - c->off < need) {
		c = new_chunk(a, need);
		if (c == NULL)
			return NULL;
	}
	p = c->data + c->off;
	c->off += need;
	return p;
}

void *
bnc_arena_calloc(struct bnc_arena *a, size_t n, size_t size)
{
	size_t total;
	void *p;

	if (!bnc_size_mul(&total, n, size))
		return NULL;
	p = bnc_arena_alloc(a, total);
	if (p != NULL)
		memset(p, 0, total);
	return p;
}

char *
bnc_arena_strndup(struct bnc_arena *a, const char *s, size_t len)
{
	size_t n;
	char *p;

	if (!bnc_size_add(&n, len, 1))
		return NULL;
	p = bnc_arena_alloc(a, n);
	if (p == NULL)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void *
bnc_arena_grow(struct bnc_arena *a, void *p, size_t old_n, size_t new_n)
{
	struct bnc_arena_chunk *c = a->head;
	size_t old_need, new_need;
	void *q;

	if (new_n <= old_n)
		return p;
	/* Extend in place when p is the last allocation of the newest chunk. */
	if (p != NULL && c != NULL) {
		old_need = ((old_n ? old_n : 1) + ALIGN - 1) & ~(ALIGN - 1);
		if (bnc_size_add(&new_need, new_n, ALIGN - 1)) {
			new_need &= ~(ALIGN - 1);
			if ((unsigned char *)p + old_need == c->data + c->off &&
			    new_need - old_need <= c->size - c->off) {
				c->off += new_need - old_need;
				return p;
			}
		}
	}
	q = bnc_arena_alloc(a, new_n);
	if (q != NULL && p != NULL && old_n)
		memcpy(q, p, old_n);
	return q;
}

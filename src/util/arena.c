/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arena.c - chunked bump allocator. Chunks double from 4 KiB up to 1 MiB;
 * a larger request gets a chunk of its own. With BNC_ARENA_DEBUG each
 * allocation is its own malloc so ASan sees overruns.
 */
#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "alloc.h"
#include "arena.h"

struct bnc_arena_chunk {
	struct bnc_arena_chunk *next;
	size_t size;	/* bytes of data[] */
	size_t off;	/* first free byte of data[] */
	alignas(max_align_t) unsigned char data[];
};

#define ALIGN ((size_t)alignof(max_align_t))
#define MIN_CHUNK ((size_t)4096)
#define MAX_CHUNK ((size_t)1 << 20)

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
bnc_arena_alloc(struct bnc_arena *a, size_t n)
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

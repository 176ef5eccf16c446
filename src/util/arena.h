/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arena.h - per-message bump allocator with a byte cap.
 *
 * All the memory one message needs (decoded parts, header copies, records)
 * comes from its arena and goes away at once with bnc_arena_deinit(). The
 * cap bounds what one hostile message can make us hold.
 */
#ifndef BNC_UTIL_ARENA_H
#define BNC_UTIL_ARENA_H

#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>

#include "str.h"

struct bnc_arena_chunk {
	struct bnc_arena_chunk *next;
	size_t size;	/* bytes of data[] */
	size_t off;	/* first free byte of data[] */
	alignas(max_align_t) unsigned char data[];
};

struct bnc_arena {
	struct bnc_arena_chunk *head;	/* newest chunk first */
	size_t used;			/* bytes handed out plus overhead */
	size_t cap;			/* 0: no cap */
	bool hit_cap;			/* an allocation was refused by cap */
};

/* One heap block of `size` bytes that this thread gave back with
 * bnc_spare_give() (its contents as left), or NULL: the per-message
 * struct that holds an arena, without a malloc() and free() a message.
 * Not kept in sanitizer builds. */
void *bnc_spare_take(size_t size);
/* Keep p (from bnc_malloc()/bnc_calloc(), `size` bytes) for the next
 * bnc_spare_take() of this thread; false when it is not kept (one
 * already is): free it then. A thread's is freed when it ends. */
bool bnc_spare_give(void *p, size_t size);

void bnc_arena_init(struct bnc_arena *a, size_t cap);
void bnc_arena_deinit(struct bnc_arena *a);

/* bnc_arena_alloc() when the newest chunk has no room: a new one. */
void *bnc_arena_alloc_chunk(struct bnc_arena *a, size_t n);
/* n bytes aligned for any type, or NULL (out of memory or over the cap).
 * Inline: the room left in the newest chunk is what most calls take. */
static inline void *
bnc_arena_alloc(struct bnc_arena *a, size_t n)
{
	struct bnc_arena_chunk *c = a->head;
	size_t need = ((n ? n : 1) + (alignof(max_align_t) - 1)) &
	    ~(alignof(max_align_t) - 1);

	/* need < n: the sum wrapped, which the slow path refuses. */
	if (c != NULL && need >= n && c->size - c->off >= need) {
		void *p = c->data + c->off;
		c->off += need;
		return p;
	}
	return bnc_arena_alloc_chunk(a, n);
}
void *bnc_arena_calloc(struct bnc_arena *a, size_t n, size_t size);
/* A NUL-terminated copy of `len` bytes; NULL on failure. */
char *bnc_arena_strndup(struct bnc_arena *a, const char *s, size_t len);
static inline char *
bnc_arena_strdup_str(struct bnc_arena *a, struct bnc_str s)
{
	return bnc_arena_strndup(a, s.ptr, s.len);
}
/* Grow the newest allocation `p` (of old_n bytes) to new_n bytes. */
void *bnc_arena_grow(struct bnc_arena *a, void *p, size_t old_n, size_t new_n);

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * alloc.h - the only door to the C heap, and checked size arithmetic.
 *
 * Everything in the library allocates through these, so tests can count
 * or fail allocations in one place.
 */
#ifndef BNC_UTIL_ALLOC_H
#define BNC_UTIL_ALLOC_H

#include <stdbool.h>
#include <stddef.h>

__attribute__((warn_unused_result)) void *bnc_malloc(size_t n);
__attribute__((warn_unused_result)) void *bnc_calloc(size_t n, size_t size);
__attribute__((warn_unused_result)) void *bnc_realloc(void *p, size_t n);
void bnc_free(void *p);

/* *out = a + b (a * b); false on overflow, *out untouched. */
static inline bool
bnc_size_add(size_t *out, size_t a, size_t b)
{
	return !__builtin_add_overflow(a, b, out);
}

static inline bool
bnc_size_mul(size_t *out, size_t a, size_t b)
{
	return !__builtin_mul_overflow(a, b, out);
}

#endif

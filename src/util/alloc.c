/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * alloc.c - heap wrappers. The only file that calls malloc and free.
 */
#include <stdlib.h>

#include "alloc.h"

void *
bnc_malloc(size_t n)
{
	return malloc(n ? n : 1);
}

void *
bnc_calloc(size_t n, size_t size)
{
	return calloc(n ? n : 1, size ? size : 1);
}

void *
bnc_realloc(void *p, size_t n)
{
	return realloc(p, n ? n : 1);
}

void
bnc_free(void *p)
{
	free(p);
}

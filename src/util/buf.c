/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * buf.c - growable buffer.
 */
#include <stdio.h>
#include <string.h>

#include "bouncer.h"
#include "alloc.h"
#include "buf.h"

void
bnc_buf_init(struct bnc_buf *b, size_t max)
{
	b->ptr = NULL;
	b->len = 0;
	b->alloc = 0;
	b->max = max;
}

void
bnc_buf_deinit(struct bnc_buf *b)
{
	if (b == NULL)
		return;
	bnc_free(b->ptr);
	b->ptr = NULL;
	b->len = b->alloc = 0;
}

void
bnc_buf_reset(struct bnc_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

int
bnc_buf_reserve(struct bnc_buf *b, size_t n)
{
	size_t need, a;
	char *p;

	if (!bnc_size_add(&need, b->len, n) || need > b->max)
		return BNC_ETOOBIG;
	if (need + 1 <= b->alloc)
		return 0;
	a = b->alloc ? b->alloc : 256;
	while (a < need + 1)
		if (!bnc_size_mul(&a, a, 2))
			return BNC_ETOOBIG;
	p = bnc_realloc(b->ptr, a);
	if (p == NULL)
		return BNC_ENOMEM;
	b->ptr = p;
	b->alloc = a;
	return 0;
}

int
bnc_buf_add(struct bnc_buf *b, const void *p, size_t n)
{
	int rc = bnc_buf_reserve(b, n);

	if (rc)
		return rc;
	if (n)
		memcpy(b->ptr + b->len, p, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return 0;
}

int
bnc_buf_addc(struct bnc_buf *b, char c)
{
	return bnc_buf_add(b, &c, 1);
}

int
bnc_buf_adds(struct bnc_buf *b, const char *s)
{
	return bnc_buf_add(b, s, strlen(s));
}

int
bnc_buf_printf(struct bnc_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return BNC_EINVAL;
	rc = bnc_buf_reserve(b, (size_t)n);
	if (rc)
		return rc;
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

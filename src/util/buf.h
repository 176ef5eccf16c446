/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * buf.h - owned, growable, binary-safe byte buffer with a mandatory
 * maximum. Always NUL-terminated after len. Used for output and for
 * assembling streamed input.
 */
#ifndef BNC_UTIL_BUF_H
#define BNC_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct bnc_buf {
	char *ptr;	/* NUL after len; NULL until first growth */
	size_t len;
	size_t alloc;
	size_t max;	/* len never exceeds this */
};

void bnc_buf_init(struct bnc_buf *b, size_t max);
void bnc_buf_deinit(struct bnc_buf *b);
void bnc_buf_reset(struct bnc_buf *b);
/* 0, BNC_ETOOBIG (max reached; nothing added) or BNC_ENOMEM. */
int bnc_buf_add(struct bnc_buf *b, const void *p, size_t n);
int bnc_buf_addc(struct bnc_buf *b, char c);
int bnc_buf_adds(struct bnc_buf *b, const char *s);
/* Make room for n more bytes (and the NUL after them) without adding
 * any: a writer that knows a bound fills ptr + len itself, then moves
 * len and puts the NUL back. 0, BNC_ETOOBIG or BNC_ENOMEM. */
int bnc_buf_reserve(struct bnc_buf *b, size_t n);
__attribute__((format(printf, 2, 3))) int bnc_buf_printf(struct bnc_buf *b,
    const char *fmt, ...);

#endif

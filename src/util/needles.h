/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * needles.h - a set of phrases found in one pass over a text, with the
 * answers of bnc_str_ifind() (ASCII case folded, first occurrence).
 *
 * The decoders each ask "does the bounce's text say X" for a few X of
 * their own, about a hundred searches of the same text per message. The
 * set reads only every step-th position of the text (the step is the
 * set's, from 1 to BNC_NEEDLES_MAX_STEP): each phrase of step + 3 bytes
 * or more has a window of `step` consecutive 4-byte pieces, and every
 * occurrence of the phrase covers exactly one read position at one of
 * those pieces. A read position whose 4 bytes (case folded) are one of
 * the pieces is checked in full for the phrases that have it; all
 * others cost a table look-up. Shorter phrases are not in the set:
 * search those directly. A longer step reads fewer positions and leaves
 * more phrases out.
 */
#ifndef BNC_UTIL_NEEDLES_H
#define BNC_UTIL_NEEDLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "str.h"

#define BNC_NEEDLES_MAX_STEP 32

struct bnc_needles;

/* Compile `n` phrases (NUL-terminated) to be read every `step` bytes,
 * found in any case (`fold`, as bnc_str_ifind()) or byte for byte
 * (as bnc_mem_find()).
 * Phrases shorter than step + 3 bytes (bnc_needles_min()) are kept but
 * never found by a scan: bnc_needles_scan() leaves them unmarked, and
 * the caller searches them itself. On 0, *out is the caller's, free
 * with bnc_needles_free(); BNC_ENOMEM or BNC_EINVAL (more than 65535
 * phrases, a phrase of 256 bytes or more, a step of 0 or above
 * BNC_NEEDLES_MAX_STEP). Immutable once built: threads may share it. */
int bnc_needles_new(struct bnc_needles **out, const char *const *phrases,
    size_t n, size_t step, bool fold);
void bnc_needles_free(struct bnc_needles *s);

/* The shortest phrase the set finds: step + 3 bytes. */
size_t bnc_needles_min(const struct bnc_needles *s);

/* Scan `text` (shorter than 4 GiB). For every phrase i of
 * bnc_needles_min() bytes or more that occurs in it, bit i of found[] is
 * set and at[i] is the offset of
 * its first occurrence; other bits are cleared, their at[] untouched.
 * found[] holds (n + 63) / 64 words, at[] n entries. */
void bnc_needles_scan(const struct bnc_needles *s, struct bnc_str text,
    uint64_t *found, uint32_t *at);

/*
 * A few phrases (up to BNC_FEW_MAX) asked of the same short text, all
 * answered by one pass: which of them occur in it, in any case
 * (bnc_str_ifind()'s answers). On CPUs with AVX2 a position is a
 * candidate when its first three bytes (OR 0x20) have the nibbles of
 * some phrase's first three (eight buckets, two table look-ups a byte),
 * and the phrases of its buckets are compared there; elsewhere, and
 * for phrases shorter than three bytes, each phrase is searched.
 */
#define BNC_FEW_MAX 32
struct bnc_few {
	const char *s[BNC_FEW_MAX];
	size_t len[BNC_FEW_MAX];
	unsigned char bucket[BNC_FEW_MAX];	/* its bucket's bit; 0: searched
						 * on its own (short) */
	size_t n;
	unsigned char nib_lo[3][16], nib_hi[3][16];
};

/* Add phrase s (len bytes, not copied) to `f` (zeroed before the first):
 * its bit in the answers, or -1 when `f` is full. */
int bnc_few_add(struct bnc_few *f, const char *s, size_t len);
/* Bit j set when phrase j occurs in `text`. */
uint32_t bnc_few_scan(const struct bnc_few *f, struct bnc_str text);
/* The same by one bnc_str_ifind() a phrase: the reference. */
uint32_t bnc_few_scan_plain(const struct bnc_few *f, struct bnc_str text);

#endif

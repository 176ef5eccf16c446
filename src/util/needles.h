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

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * matcher.h - the phrase table compiled once into a set found in one
 * pass over a text, in time linear in the text (no backtracking: a
 * regular-expression denial of service in a peer decoder came from
 * exactly that).
 */
#ifndef BNC_CLASSIFY_MATCHER_H
#define BNC_CLASSIFY_MATCHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "phrases.h"

struct bnc_matcher;

/* Compile `rows` (phrases lower case, '*' between ordered pieces). On 0,
 * *out is the caller's; free with bnc_matcher_free(). BNC_ENOMEM or
 * BNC_EINVAL (too many rows, an empty first piece or one of 256 bytes
 * or more). Immutable once built: threads
 * may share it. */
int bnc_matcher_new(struct bnc_matcher **out, const struct bnc_phrase *rows,
    size_t n);
void bnc_matcher_free(struct bnc_matcher *m);

/* The index of the first row, in table order, whose phrase occurs in
 * `text` (already lower case, white space squeezed), or -1. */
long bnc_matcher_first(const struct bnc_matcher *m, const char *text,
    size_t len);

/* Set bit r of hit[] ((rows + 63) / 64 words; the others cleared) for
 * every row r whose first piece occurs in `text` (the rest of a row
 * with '*' is not looked at: bnc_phrase_occurs()). */
void bnc_matcher_pieces(const struct bnc_matcher *m, const char *text,
    size_t len, uint64_t *hit);
/* The same, each piece too short for the one pass searched on its own
 * (bnc_matcher_pieces() finds those of three bytes or more together
 * on CPUs with AVX2): the reference for the tests. */
void bnc_matcher_pieces_plain(const struct bnc_matcher *m, const char *text,
    size_t len, uint64_t *hit);

/* Do the pieces of `phrase` ('*' between them) occur in `text`, in
 * order? One bnc_mem_find() per piece: linear in the text. */
bool bnc_phrase_occurs(const char *text, size_t len, const char *phrase);

#endif

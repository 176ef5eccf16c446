/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * phrases.h - phrase tables: which words in an error text mean which
 * reason. A phrase is lower-case ASCII or UTF-8; '*' in it stands for any
 * text in between ("user * unknown"). Rows are tried in table order, so
 * a more specific reason sits above a more general one.
 */
#ifndef BNC_CLASSIFY_PHRASES_H
#define BNC_CLASSIFY_PHRASES_H

#include <stddef.h>

struct bnc_phrase {
	const char *reason;
	const char *phrase;
};

extern const struct bnc_phrase bnc_phrases[];
extern const size_t bnc_phrases_count;

#endif

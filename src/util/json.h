/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * json.h - a JSON reader into the arena, for the notifications some
 * providers send as JSON (Amazon SES). It accepts and refuses exactly
 * what jansson 2.14's json_loadb() does without flags (or with
 * JSON_DISABLE_EOF_CHECK), which the decoder used before: RFC 8259 with
 * an object or array at the top, UTF-8 checked everywhere it reads, no
 * \u0000 and no lone surrogate, integers that fit a long long and reals
 * that do not overflow, at most 2048 nested values. Where the same key
 * comes twice the last one counts, as in jansson. Strings are decoded
 * to UTF-8, NUL-terminated.
 */
#ifndef BNC_UTIL_JSON_H
#define BNC_UTIL_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "str.h"

enum bnc_json_type {
	BNC_JSON_NULL,
	BNC_JSON_FALSE,
	BNC_JSON_TRUE,
	BNC_JSON_INTEGER,
	BNC_JSON_REAL,
	BNC_JSON_STRING,
	BNC_JSON_ARRAY,
	BNC_JSON_OBJECT
};

struct bnc_json {
	enum bnc_json_type type;
	struct bnc_str str;		/* STRING: the decoded text */
	size_t n;			/* ARRAY, OBJECT: members */
	struct bnc_json *v;		/* ARRAY, OBJECT: their values */
	struct bnc_str *k;		/* OBJECT: their keys */
};

/* Read the JSON document in `in`. With `first_only`, what follows the
 * first value is not looked at (jansson's JSON_DISABLE_EOF_CHECK); else
 * only white space may. NULL when the text is not one (or out of
 * memory). Everything lives in the arena. */
struct bnc_json *bnc_json_parse(struct bnc_arena *a, struct bnc_str in,
    bool first_only);

/* The value of member `key` of object `o` (the last one of that name),
 * or NULL: also when `o` is NULL or no object. */
const struct bnc_json *bnc_json_get(const struct bnc_json *o,
    const char *key);

/* The string of a STRING value, or NULL (also for NULL). */
static inline const char *
bnc_json_string(const struct bnc_json *v)
{
	return v != NULL && v->type == BNC_JSON_STRING ? v->str.ptr : NULL;
}

#endif

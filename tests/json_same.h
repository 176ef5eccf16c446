/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * json_same.h - does src/util/json.c read a document as jansson does?
 * Shared by tests/unit/util/test_json.c and fuzz/fuzz_json.c.
 */
#ifndef BNC_TEST_JSON_SAME_H
#define BNC_TEST_JSON_SAME_H

#include <stdbool.h>
#include <string.h>

#include <jansson.h>

#include "util/json.h"

/* Is our value the same as jansson's? */
static inline bool
bnc_test_json_same(const struct bnc_json *v, const json_t *j)
{
	size_t i;

	switch (v->type) {
	case BNC_JSON_NULL:
		return json_is_null(j);
	case BNC_JSON_TRUE:
		return json_is_true(j);
	case BNC_JSON_FALSE:
		return json_is_false(j);
	case BNC_JSON_INTEGER:
		return json_is_integer(j);
	case BNC_JSON_REAL:
		return json_is_real(j);
	case BNC_JSON_STRING:
		return json_is_string(j) &&
		    json_string_length(j) == v->str.len &&
		    memcmp(json_string_value(j), v->str.ptr, v->str.len) == 0 &&
		    v->str.ptr[v->str.len] == '\0';
	case BNC_JSON_ARRAY:
		if (!json_is_array(j) || json_array_size(j) != v->n)
			return false;
		for (i = 0; i < v->n; i++)
			if (!bnc_test_json_same(&v->v[i], json_array_get(j, i)))
				return false;
		return true;
	case BNC_JSON_OBJECT:
		if (!json_is_object(j))
			return false;
		/* Every key of ours finds what jansson finds for it, and
		 * jansson has no key we lack. */
		for (i = 0; i < v->n; i++) {
			const struct bnc_json *mine = bnc_json_get(v,
			    v->k[i].ptr);
			json_t *theirs = json_object_get(j, v->k[i].ptr);
			if (theirs == NULL || mine == NULL ||
			    !bnc_test_json_same(mine, theirs))
				return false;
		}
		{
			const char *key;
			json_t *val;
			json_t *o = json_deep_copy(j);
			json_object_foreach(o, key, val)
				if (bnc_json_get(v, key) == NULL) {
					json_decref(o);
					return false;
				}
			json_decref(o);
		}
		return true;
	}
	return false;
}

#endif

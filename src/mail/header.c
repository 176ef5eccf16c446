/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * header.c - header block parsing (RFC 5322 section 2.2).
 */
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "bouncer.h"
#include "header.h"

void
bnc_field_iter_init(struct bnc_field_iter *it, struct bnc_str block,
    size_t max_field)
{
	it->rest = block;
	it->max_field = max_field;
	it->truncated = false;
}

/* A field name is printable ASCII but ':' and space (RFC 5322 2.2); we
 * also accept the space before the colon some old MTAs write. */
static bool
field_name(struct bnc_str line, struct bnc_str *name, struct bnc_str *value)
{
	size_t i = 0;

#ifdef __SSE2__
	/* Skip the name's plain bytes 16 at a time: stop at ':', at a
	 * control or space byte (signed, below 33: 8-bit bytes too) or
	 * at DEL. */
	for (; i + 16 <= line.len; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)
		    (line.ptr + i));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
		    _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(33)),
		    _mm_cmpeq_epi8(v, _mm_set1_epi8(127))),
		    _mm_cmpeq_epi8(v, _mm_set1_epi8(':'))));
		if (m) {
			i += (size_t)__builtin_ctz(m);
			break;
		}
	}
#endif
	for (; i < line.len; i++) {
		unsigned char c = (unsigned char)line.ptr[i];
		if (c == ':')
			break;
		if (c <= 32 || c >= 127) {
			/* "Name : value": spaces only, then ':' */
			size_t j = i;
			while (j < line.len && (line.ptr[j] == ' ' ||
			    line.ptr[j] == '\t'))
				j++;
			if (j < line.len && line.ptr[j] == ':' && i > 0) {
				*name = bnc_str_make(line.ptr, i);
				*value = bnc_str_from(line, j + 1);
				return true;
			}
			return false;
		}
	}
	if (i == 0 || i == line.len)
		return false;
	*name = bnc_str_make(line.ptr, i);
	*value = bnc_str_from(line, i + 1);
	return true;
}

/* Continuation lines remembered while measuring a folded value: most
 * folded fields have fewer, longer ones are found again. */
#define FOLD_LINES 16

/* Append the unfolded line `line` to v[0, *total), cut at `cap`. */
static void
unfold_line(char *v, size_t *total, size_t cap, struct bnc_str line)
{
	if (line.len == 0 || *total >= cap)
		return;
	if (*total > 0)
		v[(*total)++] = ' ';
	if (line.len > cap - *total)
		line.len = cap - *total;
	memcpy(v + *total, line.ptr, line.len);
	*total += line.len;
}

int
bnc_field_next(struct bnc_field_iter *it, struct bnc_arena *a,
    struct bnc_header *out)
{
	struct bnc_str rest, line, name, first, after, cont[FOLD_LINES];
	size_t total, cap, ncont = 0, k;
	char *v;

	line = bnc_str_line(it->rest, &rest);
	if (line.len == 0 || !field_name(line, &name, &first))
		return 0;
	/* Measure the value across its continuation lines first. */
	first = bnc_str_trim(first);
	total = first.len;
	after = rest;
	while (after.len && (after.ptr[0] == ' ' || after.ptr[0] == '\t')) {
		struct bnc_str l = bnc_str_trim(bnc_str_line(after, &after));
		if (ncont < FOLD_LINES)
			cont[ncont] = l;
		ncont++;
		total += l.len + 1;
	}
	cap = total;
	if (it->max_field && cap > it->max_field) {
		cap = it->max_field;
		it->truncated = true;
	}
	if (total == first.len && cap == total) {
		/* No continuation line (each adds at least one byte to
		 * total), nothing to unfold: a view into the input, no copy.
		 * Most fields of most messages. */
		out->name = bnc_str_trim(name);
		out->value = first;
		it->rest = rest;
		return 1;
	}
	v = bnc_arena_alloc(a, cap + 1);
	if (v == NULL)
		return BNC_ENOMEM;
	total = first.len < cap ? first.len : cap;
	memcpy(v, first.ptr, total);
	if (ncont <= FOLD_LINES) {
		for (k = 0; k < ncont; k++)
			unfold_line(v, &total, cap, cont[k]);
		rest = after;
	} else {
		while (rest.len && (rest.ptr[0] == ' ' || rest.ptr[0] == '\t'))
			unfold_line(v, &total, cap,
			    bnc_str_trim(bnc_str_line(rest, &rest)));
	}
	v[total] = '\0';
	out->name = bnc_str_trim(name);
	out->value = bnc_str_trim(bnc_str_make(v, total));
	it->rest = rest;
	return 1;
}

int
bnc_headers_parse(struct bnc_headers *out, struct bnc_arena *a,
    struct bnc_str in, struct bnc_str *body, size_t max_field)
{
	struct bnc_field_iter it;
	struct bnc_header h, *v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	if (in.len >= 5 && memcmp(in.ptr, "From ", 5) == 0)
		bnc_str_line(in, &in);
	bnc_field_iter_init(&it, in, max_field);
	while ((rc = bnc_field_next(&it, a, &h)) == 1) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			v = bnc_arena_grow(a, v, cap * sizeof(*v),
			    ncap * sizeof(*v));
			if (v == NULL)
				return BNC_ENOMEM;
			cap = ncap;
		}
		v[n++] = h;
	}
	if (rc < 0)
		return rc;
	/* Skip the blank line that ends the block, if that is what ended it. */
	if (it.rest.len && it.rest.ptr[0] == '\n')
		it.rest = bnc_str_from(it.rest, 1);
	out->v = v;
	out->n = n;
	*body = it.rest;
	return 0;
}

/* Index of the first field called `name` (n bytes, any case), or h->n.
 * Most names differ in length from the one asked for: compare that
 * first. */
static size_t
find_field(const struct bnc_headers *h, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (h->v[i].name.len == n && bnc_str_ieq(h->v[i].name, name))
			break;
	return i;
}

struct bnc_str
bnc_headers_get_n(const struct bnc_headers *h, const char *name, size_t len)
{
	size_t i = find_field(h, name, len);

	return i < h->n ? h->v[i].value : BNC_STR_NULL;
}

bool
bnc_headers_has_n(const struct bnc_headers *h, const char *name, size_t len)
{
	return find_field(h, name, len) < h->n;
}

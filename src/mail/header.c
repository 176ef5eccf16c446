/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * header.c - header block parsing (RFC 5322 section 2.2).
 */
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <stdint.h>

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

/* bnc_str_trim() of a value as most are written, ": value": one space,
 * then a byte above ' ' (never white space), and the same at the end,
 * told without the loops. */
static inline __attribute__((always_inline)) struct bnc_str
value_trim(struct bnc_str s)
{
	if (s.len >= 2 && s.ptr[0] == ' ' &&
	    (unsigned char)s.ptr[1] > ' ' &&
	    (unsigned char)s.ptr[s.len - 1] > ' ')
		return bnc_str_make(s.ptr + 1, s.len - 1);
	return bnc_str_trim(s);
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

/* A folded value (or one past the limit): measure it across its
 * continuation lines, then copy it unfolded into the arena. `first` is
 * the trimmed value on the field's own line, `rest` what follows that
 * line. */
static __attribute__((noinline)) int
unfold(struct bnc_field_iter *it, struct bnc_arena *a, struct bnc_header *out,
    struct bnc_str name, struct bnc_str first, struct bnc_str rest)
{
	struct bnc_str after, cont[FOLD_LINES];
	size_t total, cap, ncont = 0, k;
	char *v;

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
	out->name = name;
	out->value = bnc_str_trim(bnc_str_make(v, total));
	out->folded = false;
	it->rest = rest;
	return 1;
}

int
bnc_field_next(struct bnc_field_iter *it, struct bnc_arena *a,
    struct bnc_header *out)
{
	struct bnc_str rest, line, name, first;

	if (it->rest.len == 0 || it->rest.ptr[0] == '\n')
		return 0;		/* the end, or a blank line */
	line = bnc_str_line(it->rest, &rest);
	if (!field_name(line, &name, &first))
		return 0;
	/* A name has no white space (field_name()): nothing to trim. */
	first = value_trim(first);
	if ((rest.len && (rest.ptr[0] == ' ' || rest.ptr[0] == '\t')) ||
	    (it->max_field && first.len > it->max_field))
		return unfold(it, a, out, name, first, rest);
	/* No continuation line, nothing to cut: a view into the input,
	 * no copy. Most fields of most messages. */
	out->name = name;
	out->value = first;
	out->folded = false;
	it->rest = rest;
	return 1;
}

/* bnc_field_next() for bnc_headers_parse(): a folded value is left as
 * its lines, from the first byte of its trimmed first line to the end
 * of its last continuation line, and marked; bnc_header_value() unfolds
 * it from there exactly as bnc_field_next() would have. */
static int
field_next_lazy(struct bnc_field_iter *it, struct bnc_arena *a,
    struct bnc_header *out)
{
	struct bnc_str rest, line, name, first, after;

	if (it->rest.len == 0 || it->rest.ptr[0] == '\n')
		return 0;
	line = bnc_str_line(it->rest, &rest);
	if (!field_name(line, &name, &first))
		return 0;
	first = bnc_str_trim(first);
	if (rest.len == 0 || (rest.ptr[0] != ' ' && rest.ptr[0] != '\t')) {
		if (it->max_field && first.len > it->max_field)
			return unfold(it, a, out, name, first, rest);
		out->name = name;
		out->value = first;
		out->folded = false;
		it->rest = rest;
		return 1;
	}
	after = rest;
	while (after.len && (after.ptr[0] == ' ' || after.ptr[0] == '\t'))
		line = bnc_str_line(after, &after);
	out->name = name;
	out->value = bnc_str_make(first.ptr,
	    (size_t)(line.ptr + line.len - first.ptr));
	out->folded = true;
	it->rest = after;
	return 1;
}

struct bnc_str
bnc_header_value(const struct bnc_headers *h, size_t i)
{
	/* The block is the message's, read by one thread; `h` is const
	 * for its readers, not because the array cannot change. */
	struct bnc_header *f = (struct bnc_header *)(uintptr_t)&h->v[i];

	if (f->folded) {
		struct bnc_field_iter it;
		struct bnc_header out;
		struct bnc_str rest, first;

		first = bnc_str_trim(bnc_str_line(f->value, &rest));
		bnc_field_iter_init(&it, rest, h->max_field);
		f->value = unfold(&it, h->a, &out, f->name, first, rest) == 1 ?
		    out.value : BNC_STR_NULL;
		f->folded = false;
	}
	return f->value;
}


/* field_name() on the rest of the block instead of one line: a name
 * ends at ':' or at a control byte, and LF is one, so it never looks
 * past the line. The colon's offset, or 0 when the line is no field. */
static inline __attribute__((always_inline)) size_t
name_end(struct bnc_str rest, size_t *name_len)
{
	size_t i = 0;

#ifdef __SSE2__
	for (; i + 16 <= rest.len; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)
		    (rest.ptr + i));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
		    _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(33)),
		    _mm_cmpeq_epi8(v, _mm_set1_epi8(127))),
		    _mm_cmpeq_epi8(v, _mm_set1_epi8(':'))));
		if (m) {
			i += (size_t)__builtin_ctz(m);
			goto stop;
		}
	}
#endif
	for (; i < rest.len; i++) {
		unsigned char c = (unsigned char)rest.ptr[i];
		if (c == ':' || c <= 32 || c >= 127)
			break;
	}
	if (i == rest.len)
		return 0;
#ifdef __SSE2__
stop:
#endif
	if (rest.ptr[i] == ':') {
		*name_len = i;
		return i;	/* 0 for an empty name: no field */
	}
	{
		/* "Name : value": spaces only, then ':' */
		size_t j = i;
		while (j < rest.len && (rest.ptr[j] == ' ' ||
		    rest.ptr[j] == '\t'))
			j++;
		if (j < rest.len && rest.ptr[j] == ':' && i > 0) {
			*name_len = i;
			return j;
		}
	}
	return 0;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HEADERS_AVX2 1
#include <immintrin.h>

/* bnc_find_byte(p, n, '\n') 32 bytes at a time, for the CPUs that have
 * AVX2 (asked at run time): a header line is 57 bytes on average, and
 * the search runs to the end of the line from its colon. The blocks
 * stay inside p[0, n); fewer than 32 left go the 16-byte way. */
__attribute__((target("avx2"))) static inline const char *
find_nl_avx2(const char *p, size_t n)
{
	const __m256i nl = _mm256_set1_epi8('\n');
	size_t i = 0;
	unsigned m;

	for (; i + 32 <= n; i += 32) {
		m = (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(
		    _mm256_loadu_si256((const __m256i *)(const void *)(p + i)),
		    nl));
		if (m)
			return p + i + __builtin_ctz(m);
	}
	return bnc_find_byte(p + i, n - i, '\n');
}
#endif

static inline __attribute__((always_inline)) const char *
find_nl(const char *p, size_t n, bool wide)
{
#ifdef HEADERS_AVX2
	if (wide)
		return find_nl_avx2(p, n);
#else
	(void)wide;
#endif
	return bnc_find_byte(p, n, '\n');
}

/* bnc_str_line() by find_nl(): the line at the front of *rest, its end
 * looked for from `from` on; *rest moves past it. */
static inline __attribute__((always_inline)) struct bnc_str
cut_line(struct bnc_str *rest, size_t from, bool wide)
{
	const char *nl = find_nl(rest->ptr + from, rest->len - from, wide);
	struct bnc_str line = bnc_str_make(rest->ptr, nl ?
	    (size_t)(nl - rest->ptr) : rest->len);

	*rest = nl ? bnc_str_make(nl + 1, rest->len - line.len - 1) :
	    bnc_str_make(rest->ptr + rest->len, 0);
	return line;
}

/* bnc_headers_parse()'s loop; `wide`: in headers_parse_avx2(), the
 * line ends looked for 32 bytes at a time. */
static inline __attribute__((always_inline)) int
headers_parse(struct bnc_headers *out, struct bnc_arena *a,
    struct bnc_str in, struct bnc_str *body, size_t max_field, bool wide)
{
	struct bnc_header h, *v = NULL;
	unsigned char *key = NULL;
	size_t n = 0, cap = 0, room;
	struct bnc_str rest;

	out->v = NULL;
	out->n = 0;
	out->key = NULL;
	out->a = a;
	out->max_field = max_field;
	if (in.len >= 5 && memcmp(in.ptr, "From ", 5) == 0)
		bnc_str_line(in, &in);
	rest = in;
	/* What field_next_lazy() does a field at a time, with the line
	 * end looked for from the colon on, and each field's key made as
	 * it is kept. */
	for (;;) {
		struct bnc_str first, line;
		size_t colon, nlen;

		if (rest.len == 0 || rest.ptr[0] == '\n')
			break;
		colon = name_end(rest, &nlen);
		if (colon == 0)
			break;
		line = cut_line(&rest, colon + 1, wide);
		first = value_trim(bnc_str_from(line, colon + 1));
		h.name = bnc_str_make(line.ptr, nlen);
		if (rest.len == 0 || (rest.ptr[0] != ' ' &&
		    rest.ptr[0] != '\t')) {
			if (max_field && first.len > max_field) {
				struct bnc_field_iter it;
				int rc;
				bnc_field_iter_init(&it, rest, max_field);
				rc = unfold(&it, a, &h, h.name, first, rest);
				if (rc < 0)
					return rc;
				rest = it.rest;
			} else {
				h.value = first;
				h.folded = false;
			}
		} else {
			while (rest.len && (rest.ptr[0] == ' ' ||
			    rest.ptr[0] == '\t'))
				line = cut_line(&rest, 0, wide);
			h.value = bnc_str_make(first.ptr,
			    (size_t)(line.ptr + line.len - first.ptr));
			h.folded = true;
		}
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			/* The first arrays straight from the arena (what
			 * growing from nothing does, in the same order). */
			v = cap ? bnc_arena_grow(a, v, cap * sizeof(*v),
			    ncap * sizeof(*v)) : bnc_arena_alloc(a,
			    ncap * sizeof(*v));
			if (v == NULL)
				return BNC_ENOMEM;
			/* The keys in whole blocks of 16 for find_field(). */
			key = cap ? bnc_arena_grow(a, key, cap, ncap) :
			    bnc_arena_alloc(a, ncap);
			if (key == NULL)
				return BNC_ENOMEM;
			cap = ncap;
		}
		key[n] = bnc_header_key(h.name.ptr, h.name.len);
		v[n++] = h;
	}
	/* Skip the blank line that ends the block, if that is what ended it. */
	if (rest.len && rest.ptr[0] == '\n')
		rest = bnc_str_from(rest, 1);
	out->v = v;
	out->n = n;
	if (n > 0) {
		room = (n + 15) & ~(size_t)15;
#ifdef __SSE2__
		/* The padding by one store when the array has room for
		 * 16 more (cap is a multiple of 16 from 32 on). */
		if (n + 16 <= cap)
			_mm_storeu_si128((__m128i *)(void *)(key + n),
			    _mm_setzero_si128());
		else
#endif
			memset(key + n, 0, room - n);
		out->key = key;
	}
	*body = rest;
	return 0;
}

#ifdef HEADERS_AVX2
__attribute__((target("avx2"))) static int
headers_parse_avx2(struct bnc_headers *out, struct bnc_arena *a,
    struct bnc_str in, struct bnc_str *body, size_t max_field)
{
	return headers_parse(out, a, in, body, max_field, true);
}
#endif

int
bnc_headers_parse(struct bnc_headers *out, struct bnc_arena *a,
    struct bnc_str in, struct bnc_str *body, size_t max_field)
{
#ifdef HEADERS_AVX2
	if (__builtin_cpu_supports("avx2"))
		return headers_parse_avx2(out, a, in, body, max_field);
#endif
	return headers_parse(out, a, in, body, max_field, false);
}

/* bnc_headers_parse() by bnc_field_next()'s rules a field at a time:
 * the reference the parser above is tested against. */
int
bnc_headers_parse_plain(struct bnc_headers *out, struct bnc_arena *a,
    struct bnc_str in, struct bnc_str *body, size_t max_field)
{
	struct bnc_field_iter it;
	struct bnc_header h, *v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	out->key = NULL;
	out->a = a;
	out->max_field = max_field;
	if (in.len >= 5 && memcmp(in.ptr, "From ", 5) == 0)
		bnc_str_line(in, &in);
	bnc_field_iter_init(&it, in, max_field);
	while ((rc = field_next_lazy(&it, a, &h)) == 1) {
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
	if (n > 0) {
		/* Whole blocks of 16 for find_field(). */
		size_t room = (n + 15) & ~(size_t)15, i;
		unsigned char *key = bnc_arena_alloc(a, room);
		if (key == NULL)
			return BNC_ENOMEM;
		for (i = 0; i < n; i++)
			key[i] = bnc_header_key(v[i].name.ptr, v[i].name.len);
		memset(key + n, 0, room - n);
		out->key = key;
	}
	*body = it.rest;
	return 0;
}

/* Is field i called `name` (n bytes)? */
static inline bool
same_name(const struct bnc_headers *h, size_t i, const char *name, size_t n)
{
	return h->v[i].name.len == n && (bnc_same_bytes(h->v[i].name.ptr,
	    name, n) || bnc_str_ieq(h->v[i].name, name));
}

/* Index of the first field called `name` (n bytes, any case), or h->n:
 * the fields whose key byte agrees, found 16 at a time, then their
 * names. */
static size_t
find_field(const struct bnc_headers *h, const char *name, size_t n)
{
	size_t i = 0;

	if (h->key == NULL || n == 0) {
		for (; i < h->n; i++)
			if (same_name(h, i, name, n))
				break;
		return i;
	}
#ifdef __SSE2__
	{
		const __m128i k = _mm_set1_epi8((char)bnc_header_key(name, n));

		/* The key array is padded to whole blocks; bits past the
		 * last field are dropped. */
		for (; i < h->n; i += 16) {
			unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
			    _mm_loadu_si128((const __m128i *)(const void *)
			    (h->key + i)), k));
			if (h->n - i < 16)
				m &= (1u << (h->n - i)) - 1;
			for (; m; m &= m - 1) {
				size_t j = i + (size_t)__builtin_ctz(m);
				if (same_name(h, j, name, n))
					return j;
			}
		}
	}
#else
	{
		unsigned char k = bnc_header_key(name, n);

		for (; i < h->n; i++)
			if (h->key[i] == k && same_name(h, i, name, n))
				return i;
	}
#endif
	return h->n;
}

struct bnc_str
bnc_headers_get_n(const struct bnc_headers *h, const char *name, size_t len)
{
	size_t i = find_field(h, name, len);

	return i < h->n ? bnc_header_value(h, i) : BNC_STR_NULL;
}

bool
bnc_headers_has_n(const struct bnc_headers *h, const char *name, size_t len)
{
	return find_field(h, name, len) < h->n;
}

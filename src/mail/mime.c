/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mime.c - one pass over the MIME tree. Recursion is bounded by
 * limits->mime_depth; the part count by limits->mime_parts. A multipart
 * whose boundary never appears is read as text (broken bounces are
 * common and their text is still what we need). A closing boundary that
 * never comes ends the multipart at the end of the message.
 */
#include <stdio.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "../util/alloc.h"
#include "codec.h"
#include "mime.h"

/* snprintf(dst, size, "%s", src) without its cost: every part comes
 * here. */
static void
copy_type(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (size == 0)
		return;
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

size_t
bnc_ct_type_plain(struct bnc_str ct, char *type, size_t size)
{
	size_t i, n = 0;

	ct = bnc_str_trim(ct);
	for (i = 0; i < ct.len && n + 1 < size; i++) {
		unsigned char c = (unsigned char)ct.ptr[i];
		if (c == ';' || bnc_is_space(c) || c == '(')
			break;
		type[n++] = (char)bnc_lower(c);
	}
	type[n] = '\0';
	if (n == 0 || memchr(type, '/', n) == NULL) {
		copy_type(type, size, "text/plain");
		return strlen(type);
	}
	return n;
}

#ifdef __SSE2__
/* 0xff in the lanes of v that end a type: ';', '(' or white space. */
static inline unsigned
type_stop(__m128i v)
{
	return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(
	    _mm_cmpeq_epi8(v, _mm_set1_epi8(';')),
	    _mm_cmpeq_epi8(v, _mm_set1_epi8('('))), _mm_or_si128(
	    _mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), _mm_and_si128(
	    _mm_cmpgt_epi8(v, _mm_set1_epi8('\t' - 1)),
	    _mm_cmplt_epi8(v, _mm_set1_epi8('\r' + 1))))));
}

/* v with 'A'-'Z' lowered (signed compares: 8-bit bytes are below 'A'). */
static inline __m128i
lower16(__m128i v)
{
	__m128i up = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)),
	    _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));

	return _mm_or_si128(v, _mm_and_si128(up, _mm_set1_epi8(0x20)));
}
#endif

/* bnc_ct_type_plain() with the end of the type found 16 bytes at a
 * time and the type lowered 16 at a time, by loads inside `ct` and
 * stores inside `type`. */
size_t
bnc_ct_type(struct bnc_str ct, char *type, size_t size)
{
	size_t e = 0, n, k = 0;

	if (size == 0)
		return bnc_ct_type_plain(ct, type, size);
	ct = bnc_str_trim(ct);
#ifdef __SSE2__
	for (; e + 16 <= ct.len; e += 16) {
		unsigned m = type_stop(_mm_loadu_si128((const __m128i *)
		    (const void *)(ct.ptr + e)));
		if (m) {
			e += (size_t)__builtin_ctz(m);
			goto found;
		}
		if (e + 16 >= size)
			break;	/* what follows is cut anyway */
	}
#endif
	for (; e < ct.len && e < size; e++) {
		unsigned char c = (unsigned char)ct.ptr[e];
		if (c == ';' || bnc_is_space(c) || c == '(')
			break;
	}
#ifdef __SSE2__
found:
#endif
	n = e < size - 1 ? e : size - 1;
#ifdef __SSE2__
	/* Whole blocks, then one that ends at n; or, for a short type in a
	 * longer value, one block from the start (the bytes after n are
	 * written and then ended by the NUL). */
	if (n >= 16) {
		for (; k + 16 <= n; k += 16)
			_mm_storeu_si128((__m128i *)(void *)(type + k), lower16(
			    _mm_loadu_si128((const __m128i *)(const void *)
			    (ct.ptr + k))));
		if (k < n)
			_mm_storeu_si128((__m128i *)(void *)(type + n - 16),
			    lower16(_mm_loadu_si128((const __m128i *)
			    (const void *)(ct.ptr + n - 16))));
		k = n;
	} else if (ct.len >= 16 && size >= 16) {
		_mm_storeu_si128((__m128i *)(void *)type, lower16(
		    _mm_loadu_si128((const __m128i *)(const void *)ct.ptr)));
		k = n;
	}
#endif
	for (; k < n; k++)
		type[k] = (char)bnc_lower((unsigned char)ct.ptr[k]);
	type[n] = '\0';
	if (n == 0 || bnc_find_byte(type, n, '/') == NULL) {
		copy_type(type, size, "text/plain");
		return size > 10 ? 10 : strlen(type);
	}
	return n;
}

/* The first byte at or after i that can matter to bnc_ct_param(): a
 * quote, and outside quotes also ';' and any byte below 0x21 or from
 * 0x80 on (the white space among them); 16 at a time. */
static size_t
ct_next(struct bnc_str ct, size_t i, bool quoted)
{
#ifdef __SSE2__
	const __m128i q = _mm_set1_epi8('"'), semi = _mm_set1_epi8(';');
	const __m128i low = _mm_set1_epi8(0x21);

	for (; i + 16 <= ct.len; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)
		    (ct.ptr + i));
		__m128i hit = _mm_cmpeq_epi8(v, q);
		unsigned m;
		if (!quoted)
			hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(v,
			    semi), _mm_cmplt_epi8(v, low)));
		m = (unsigned)_mm_movemask_epi8(hit);
		if (m)
			return i + (size_t)__builtin_ctz(m);
	}
#endif
	for (; i < ct.len; i++) {
		unsigned char c = (unsigned char)ct.ptr[i];
		if (c == '"' || (!quoted && (c == ';' || c < 0x21 ||
		    c >= 0x80)))
			break;
	}
	return i;
}

struct bnc_str
bnc_ct_param(struct bnc_str ct, const char *name)
{
	size_t nlen = strlen(name), i = 0;
	bool quoted = false;

	/* Find ";name=" outside quotes (or "name*=" for RFC 2231 lists,
	 * which bounces never use for the parameters we read). The bytes
	 * that cannot start one are stepped over (ct_next()). */
	while ((i = ct_next(ct, i, quoted)) < ct.len) {
		char c = ct.ptr[i];
		if (c == '"') {
			quoted = !quoted;
			i++;
			continue;
		}
		if (!quoted && (c == ';' || bnc_is_space((unsigned char)c))) {
			size_t j = i + 1, k;
			while (j < ct.len && bnc_is_space((unsigned char)ct.ptr[j]))
				j++;
			if (j + nlen < ct.len &&
			    bnc_str_ieq_n(bnc_str_make(ct.ptr + j, nlen), name)) {
				k = j + nlen;
				while (k < ct.len && bnc_is_space((unsigned char)ct.ptr[k]))
					k++;
				if (k < ct.len && ct.ptr[k] == '=') {
					size_t s, e;
					k++;
					while (k < ct.len &&
					    bnc_is_space((unsigned char)ct.ptr[k]))
						k++;
					if (k < ct.len && ct.ptr[k] == '"') {
						const char *q;
						s = ++k;
						q = memchr(ct.ptr + s, '"', ct.len - s);
						k = q ? (size_t)(q - ct.ptr) : ct.len;
						return bnc_str_make(ct.ptr + s, k - s);
					}
					s = k;
					while (k < ct.len && ct.ptr[k] != ';' &&
					    !bnc_is_space((unsigned char)ct.ptr[k]))
						k++;
					e = k;
					return bnc_str_make(ct.ptr + s, e - s);
				}
			}
			/* The spaces before j would ask the same again. */
			i = j;
			continue;
		}
		i++;
	}
	return BNC_STR_NULL;
}

/* Is type[0, n) the literal `lit`? */
#define TYPE_IS(type, n, lit) \
	((n) == sizeof(lit) - 1 && memcmp((type), (lit), sizeof(lit) - 1) == 0)

/* bnc_part_kind() of a type of n bytes. */
static enum bnc_part_kind
part_kind_n(const char *type, size_t n)
{
	/* By length first: each length has one or two candidates. */
	switch (n) {
	case 9:
		return TYPE_IS(type, n, "text/html") ? BNC_PART_TEXT_HTML :
		    BNC_PART_OTHER;
	case 10:
		return TYPE_IS(type, n, "text/plain") ? BNC_PART_TEXT_PLAIN :
		    BNC_PART_OTHER;
	case 13:
		return TYPE_IS(type, n, "text/enriched") ?
		    BNC_PART_TEXT_ENRICHED : BNC_PART_OTHER;
	case 14:
		return TYPE_IS(type, n, "message/rfc822") ? BNC_PART_RFC822 :
		    BNC_PART_OTHER;
	case 19:
		return TYPE_IS(type, n, "text/rfc822-headers") ?
		    BNC_PART_RFC822_HEADERS : BNC_PART_OTHER;
	case 23:
		if (TYPE_IS(type, n, "message/delivery-status"))
			return BNC_PART_DSN;
		return TYPE_IS(type, n, "message/feedback-report") ?
		    BNC_PART_FEEDBACK : BNC_PART_OTHER;
	case 30:
		return TYPE_IS(type, n, "message/global-delivery-status") ?
		    BNC_PART_GLOBAL_DSN : BNC_PART_OTHER;
	default:
		return BNC_PART_OTHER;
	}
}

enum bnc_part_kind
bnc_part_kind(const char *type)
{
	return part_kind_n(type, strlen(type));
}

struct walker {
	struct bnc_mime *m;
	struct bnc_arena *a;
	const struct bnc_limits *l;
	size_t decoded;		/* bytes of decoded text so far */
};

/* A part of type type[0, tlen) (shorter than struct bnc_part's type)
 * and kind `kind`. */
static int
add_part(struct walker *w, const char *type, size_t tlen,
    enum bnc_part_kind kind, const struct bnc_headers *h,
    struct bnc_str body, unsigned depth, unsigned in_message)
{
	struct bnc_mime *m = w->m;
	struct bnc_part *p;

	if (m->n >= w->l->mime_parts) {
		m->anomalies |= BNC_ANOMALY_MIME_PARTS;
		return 0;
	}
	if (m->n == m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 8;
		m->parts = bnc_arena_grow(w->a, m->parts,
		    m->cap * sizeof(*m->parts), ncap * sizeof(*m->parts));
		if (m->parts == NULL)
			return BNC_ENOMEM;
		m->cap = ncap;
	}
	p = &m->parts[m->n++];
	memcpy(p->type, type, tlen);
	p->type[tlen] = '\0';
	p->kind = (unsigned char)kind;
	p->headers = *h;
	p->body = body;
	p->depth = depth;
	p->in_message = in_message;
	return 0;
}

/* Undo the transfer encoding named in `h`. */
static struct bnc_str
transfer_decode(struct walker *w, const struct bnc_headers *h,
    struct bnc_str body)
{
	struct bnc_str cte = bnc_str_trim(bnc_headers_get(h,
	    "Content-Transfer-Encoding"));
	bool bad = false;
	struct bnc_str out = body;

	if (bnc_str_istarts(cte, "base64"))
		out = bnc_base64_decode(w->a, body, &bad);
	else if (bnc_str_istarts(cte, "quoted-printable"))
		out = bnc_qp_decode(w->a, body, false, &bad);
	if (out.ptr == NULL)
		return body;
	if (bad)
		w->m->anomalies |= BNC_ANOMALY_BAD_ENCODING;
	return out;
}

/* Does a boundary line end at `j`? Only "--", blanks or the line end may
 * follow, so boundary "b1" does not match the line "--b10" (RFC 2046
 * 5.1.1: boundaries need not be distinct in prefix, senders rely on it). */
static bool
boundary_end(struct bnc_str body, size_t j)
{
	if (j >= body.len)
		return true;
	if (body.ptr[j] == '\n' || body.ptr[j] == ' ' || body.ptr[j] == '\t')
		return true;
	return j + 1 < body.len && body.ptr[j] == '-' && body.ptr[j + 1] == '-';
}

/* Find the next line that is "--boundary" (optionally "--boundary--")
 * at or after `from`. Returns the offset of the line start or -1. */
static long
find_boundary(struct bnc_str body, size_t from, struct bnc_str b, bool *closing,
    size_t *after)
{
	size_t i = from;

	while (i + 2 + b.len <= body.len) {
		const char *p = body.ptr + i;
		if (p[0] == '-' && p[1] == '-' &&
		    memcmp(p + 2, b.ptr, b.len) == 0 &&
		    boundary_end(body, i + 2 + b.len)) {
			size_t j = i + 2 + b.len;
			*closing = j + 1 < body.len && body.ptr[j] == '-' &&
			    body.ptr[j + 1] == '-';
			while (j < body.len && body.ptr[j] != '\n')
				j++;
			*after = j < body.len ? j + 1 : j;
			return (long)i;
		}
		/* Only a line that starts with '-' can be one. */
		i = bnc_str_next_line_with(body, i + 1, '-', '-');
	}
	return -1;
}

static struct bnc_str
guess_boundary(struct bnc_str body)
{
	struct bnc_str rest = body, line, next;
	unsigned text_lines = 0;

	/* Only a short preamble ("This is a MIME-encapsulated message")
	 * may come before the first boundary. */
	while (rest.len && text_lines <= 3) {
		line = bnc_str_line(rest, &rest);
		if (bnc_str_trim(line).len == 0)
			continue;
		if (line.len >= 4 && line.len <= 200 && line.ptr[0] == '-' &&
		    line.ptr[1] == '-') {
			next = bnc_str_line(rest, &next);
			if (bnc_str_istarts(next, "Content-"))
				return bnc_str_trim(bnc_str_from(line, 2));
		}
		text_lines++;
	}
	return BNC_STR_NULL;
}

static int walk(struct walker *w, const struct bnc_headers *h,
    struct bnc_str body, unsigned depth, unsigned in_message);

static int
walk_multipart(struct walker *w, struct bnc_str body, struct bnc_str boundary,
    unsigned depth, unsigned in_message)
{
	size_t after, start;
	bool closing;
	long at;
	int rc;

	at = find_boundary(body, 0, boundary, &closing, &after);
	if (at < 0)
		return 1;	/* not really multipart */
	while (!closing) {
		struct bnc_headers ph;
		struct bnc_str part, pbody;
		size_t next_after;
		bool next_closing;
		long next;

		start = after;
		next = find_boundary(body, start, boundary, &next_closing,
		    &next_after);
		part = bnc_str_make(body.ptr + start,
		    (next < 0 ? body.len : (size_t)next) - start);
		/* The LF before the boundary line belongs to the boundary. */
		if (part.len && part.ptr[part.len - 1] == '\n')
			part.len--;
		rc = bnc_headers_parse(&ph, w->a, part, &pbody,
		    w->l->header_size);
		if (rc)
			return rc;
		rc = walk(w, &ph, pbody, depth + 1, in_message);
		if (rc)
			return rc;
		if (next < 0)
			break;
		after = next_after;
		closing = next_closing;
	}
	return 0;
}

static int
walk(struct walker *w, const struct bnc_headers *h, struct bnc_str body,
    unsigned depth, unsigned in_message)
{
	struct bnc_str ct = bnc_headers_get(h, "Content-Type");
	enum bnc_part_kind kind;
	char type[48];
	size_t tlen;
	bool report, text;
	int rc;

	if (depth > w->l->mime_depth) {
		w->m->anomalies |= BNC_ANOMALY_MIME_DEPTH;
		return 0;
	}
	tlen = bnc_ct_type(ct, type, sizeof(type));

	if (depth == 0 && ct.len == 0) {
		/* No Content-Type at the top, yet a MIME body: some MTAs
		 * lose the header. Take the boundary from the first
		 * "--x" line that a Content-Type line follows. */
		struct bnc_str b = guess_boundary(body);
		if (b.len) {
			rc = walk_multipart(w, body, b, depth, in_message);
			if (rc <= 0)
				return rc;
		}
	}
	if (tlen >= 10 && memcmp(type, "multipart/", 10) == 0) {
		struct bnc_str b = bnc_ct_param(ct, "boundary");
		if (b.len > 0 && b.len <= 200) {
			rc = walk_multipart(w, body, b, depth, in_message);
			if (rc <= 0)
				return rc;
		}
		memcpy(type, "text/plain", 11);
		tlen = 10;
	}

	if (TYPE_IS(type, tlen, "message/rfc822") ||
	    TYPE_IS(type, tlen, "message/global") ||
	    TYPE_IS(type, tlen, "message/partial")) {
		struct bnc_headers inner;
		struct bnc_str ibody;
		body = transfer_decode(w, h, body);
		rc = bnc_headers_parse(&inner, w->a, body, &ibody,
		    w->l->header_size);
		if (rc)
			return rc;
		rc = add_part(w, "message/rfc822", 14, BNC_PART_RFC822, &inner,
		    body, depth, in_message);
		if (rc)
			return rc;
		return walk(w, &inner, ibody, depth + 1, in_message + 1);
	}
	if (TYPE_IS(type, tlen, "text/rfc822-headers") ||
	    TYPE_IS(type, tlen, "message/global-headers")) {
		struct bnc_headers inner;
		struct bnc_str ibody;
		body = transfer_decode(w, h, body);
		rc = bnc_headers_parse(&inner, w->a, body, &ibody,
		    w->l->header_size);
		if (rc)
			return rc;
		return add_part(w, "text/rfc822-headers", 19,
		    BNC_PART_RFC822_HEADERS, &inner, body, depth, in_message);
	}

	/* Only text and the reports are ever read; inside a returned
	 * message only the reports (a bounce forwarded as an attachment).
	 * Other bodies (images, documents, a returned message's text) are
	 * kept as they came, not decoded. */
	kind = part_kind_n(type, tlen);
	report = kind == BNC_PART_DSN || kind == BNC_PART_GLOBAL_DSN ||
	    kind == BNC_PART_FEEDBACK;
	text = tlen >= 5 && memcmp(type, "text/", 5) == 0;
	if (!report && (in_message || !text))
		return add_part(w, type, tlen, kind, h, body, depth,
		    in_message);
	body = transfer_decode(w, h, body);
	if (text || report) {
		bool bad = false;
		size_t total;
		body = bnc_charset_to_utf8(w->a, body,
		    bnc_ct_param(ct, "charset"), &bad);
		if (bad)
			w->m->anomalies |= BNC_ANOMALY_BAD_ENCODING;
		if (!bnc_size_add(&total, w->decoded, body.len) ||
		    total > w->l->decoded_size) {
			w->m->anomalies |= BNC_ANOMALY_DECODED;
			size_t room = w->l->decoded_size > w->decoded ?
			    w->l->decoded_size - w->decoded : 0;
			if (body.len > room)
				body.len = room;
		}
		w->decoded += body.len;
	}
	return add_part(w, type, tlen, kind, h, body, depth, in_message);
}

int
bnc_mime_walk(struct bnc_mime *out, struct bnc_arena *a,
    const struct bnc_headers *top, struct bnc_str body,
    const struct bnc_limits *limits)
{
	struct walker w = { out, a, limits, 0 };

	out->parts = NULL;
	out->n = out->cap = 0;
	out->anomalies = 0;
	return walk(&w, top, body, 0, 0);
}

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

void
bnc_ct_type(struct bnc_str ct, char *type, size_t size)
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
	if (n == 0 || memchr(type, '/', n) == NULL)
		copy_type(type, size, "text/plain");
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
			    bnc_str_istarts(bnc_str_from(ct, j), name)) {
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
						s = ++k;
						while (k < ct.len && ct.ptr[k] != '"')
							k++;
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
		}
		i++;
	}
	return BNC_STR_NULL;
}

enum bnc_part_kind
bnc_part_kind(const char *type)
{
	/* By length first: each length has one or two candidates. */
	switch (strlen(type)) {
	case 9:
		return strcmp(type, "text/html") == 0 ? BNC_PART_TEXT_HTML :
		    BNC_PART_OTHER;
	case 10:
		return strcmp(type, "text/plain") == 0 ? BNC_PART_TEXT_PLAIN :
		    BNC_PART_OTHER;
	case 13:
		return strcmp(type, "text/enriched") == 0 ?
		    BNC_PART_TEXT_ENRICHED : BNC_PART_OTHER;
	case 14:
		return strcmp(type, "message/rfc822") == 0 ? BNC_PART_RFC822 :
		    BNC_PART_OTHER;
	case 19:
		return strcmp(type, "text/rfc822-headers") == 0 ?
		    BNC_PART_RFC822_HEADERS : BNC_PART_OTHER;
	case 23:
		if (strcmp(type, "message/delivery-status") == 0)
			return BNC_PART_DSN;
		return strcmp(type, "message/feedback-report") == 0 ?
		    BNC_PART_FEEDBACK : BNC_PART_OTHER;
	case 30:
		return strcmp(type, "message/global-delivery-status") == 0 ?
		    BNC_PART_GLOBAL_DSN : BNC_PART_OTHER;
	default:
		return BNC_PART_OTHER;
	}
}

struct walker {
	struct bnc_mime *m;
	struct bnc_arena *a;
	const struct bnc_limits *l;
	size_t decoded;		/* bytes of decoded text so far */
};

static int
add_part(struct walker *w, const char *type, const struct bnc_headers *h,
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
	copy_type(p->type, sizeof(p->type), type);
	p->kind = (unsigned char)bnc_part_kind(p->type);
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
	bool report;
	int rc;

	if (depth > w->l->mime_depth) {
		w->m->anomalies |= BNC_ANOMALY_MIME_DEPTH;
		return 0;
	}
	bnc_ct_type(ct, type, sizeof(type));

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
	if (strncmp(type, "multipart/", 10) == 0) {
		struct bnc_str b = bnc_ct_param(ct, "boundary");
		if (b.len > 0 && b.len <= 200) {
			rc = walk_multipart(w, body, b, depth, in_message);
			if (rc <= 0)
				return rc;
		}
		copy_type(type, sizeof(type), "text/plain");
	}

	if (strcmp(type, "message/rfc822") == 0 ||
	    strcmp(type, "message/global") == 0 ||
	    strcmp(type, "message/partial") == 0) {
		struct bnc_headers inner;
		struct bnc_str ibody;
		body = transfer_decode(w, h, body);
		rc = bnc_headers_parse(&inner, w->a, body, &ibody,
		    w->l->header_size);
		if (rc)
			return rc;
		rc = add_part(w, "message/rfc822", &inner, body, depth,
		    in_message);
		if (rc)
			return rc;
		return walk(w, &inner, ibody, depth + 1, in_message + 1);
	}
	if (strcmp(type, "text/rfc822-headers") == 0 ||
	    strcmp(type, "message/global-headers") == 0) {
		struct bnc_headers inner;
		struct bnc_str ibody;
		body = transfer_decode(w, h, body);
		rc = bnc_headers_parse(&inner, w->a, body, &ibody,
		    w->l->header_size);
		if (rc)
			return rc;
		return add_part(w, "text/rfc822-headers", &inner, body, depth,
		    in_message);
	}

	/* Only text and the reports are ever read; inside a returned
	 * message only the reports (a bounce forwarded as an attachment).
	 * Other bodies (images, documents, a returned message's text) are
	 * kept as they came, not decoded. */
	kind = bnc_part_kind(type);
	report = kind == BNC_PART_DSN || kind == BNC_PART_GLOBAL_DSN ||
	    kind == BNC_PART_FEEDBACK;
	if (!report && (in_message || strncmp(type, "text/", 5) != 0))
		return add_part(w, type, h, body, depth, in_message);
	body = transfer_decode(w, h, body);
	if (strncmp(type, "text/", 5) == 0 || report) {
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
	return add_part(w, type, h, body, depth, in_message);
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

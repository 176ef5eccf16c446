/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * common.c - what every decoder needs: the bounce's own text, the
 * original message's headers, "is this a bounce at all", and the
 * paragraph of text that belongs to one recipient.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "../dsn/reply.h"
#include "../mail/address.h"
#include "../util/alloc.h"
#include "../util/needles.h"
#include "mta.h"

/* What bnc_mta_rfc3464() looks for in the text when there is no report
 * (BNC_IF_RFC3464): the same phrase as its own marker. */
struct bnc_marker bnc_rfc3464_final = BNC_MARKER("Final-Recipient:");
BNC_MARKERS(common, &bnc_rfc3464_final);

/* Lines that start an inline copy of the returned message. */
static const char *const orig_markers[] = {
	"below this line is a copy of the message",
	"below is a copy of the original message",	/* OpenSMTPD */
	"this is a copy of the message",
	"this is a copy of the headers",
	"this is a copy of the body",
	"original message follows",
	"original message headers",
	"message header follows",
	"message headers follow",
	"header of the original message",
	"headers of the original message",
	"original message header",
	"original message",
	"returned message",
	"unsent message",
	"undelivered message",
	"message text follows",
	"the original message",
	"original mail",
	"header of original message",
	"content of the original message",
	"returned mail",
	"enclosed is a copy of the message",
	NULL
};

/* The markers above that count on a line of their own, unframed. */
#define UNFRAMED_MARKERS 12

/* Measured once: the markers' lengths, whether the unframed ones all
 * hold "message" or "copy", the markers as a set found in one pass over
 * a line (NULL when out of memory: searched one by one) and which of
 * them the set finds, of all and of the unframed ones. */
#define NMARKERS (sizeof(orig_markers) / sizeof(orig_markers[0]))
static size_t marker_len[NMARKERS];
static bool unframed_words;
static struct bnc_needles *orig_set;
static uint64_t set_all, set_unframed, short_all, short_unframed;
static pthread_once_t unframed_once = PTHREAD_ONCE_INIT;

static void
check_unframed(void)
{
	size_t i;

	for (i = 0; orig_markers[i]; i++)
		marker_len[i] = strlen(orig_markers[i]);
	if (NMARKERS - 1 > 64 || bnc_needles_new(&orig_set, orig_markers,
	    NMARKERS - 1, 8, true) != 0)
		orig_set = NULL;
	for (i = 0; orig_set != NULL && orig_markers[i]; i++) {
		uint64_t *all = &set_all, *unframed = &set_unframed;
		if (marker_len[i] < bnc_needles_min(orig_set)) {
			all = &short_all;
			unframed = &short_unframed;
		}
		*all |= (uint64_t)1 << i;
		if (i < UNFRAMED_MARKERS)
			*unframed |= (uint64_t)1 << i;
	}
	for (i = 0; i < UNFRAMED_MARKERS && orig_markers[i]; i++)
		if (bnc_str_ifind(bnc_str_c(orig_markers[i]), "message", 7) < 0 &&
		    bnc_str_ifind(bnc_str_c(orig_markers[i]), "copy", 4) < 0)
			return;
	unframed_words = true;
}

/* Is the byte part of a word or of a host or address name? */
static bool
wordish(unsigned char c)
{
	return bnc_is_alpha(c) || bnc_is_digit(c) || c == '.' || c == '@' ||
	    c == '-' || c == '_';
}

/* Every marker has "message", "mail" or "copy" as a word (not inside
 * "mailbox", "e-mail" or a host name): one pass over the line rules out
 * almost every line before the table is searched. */
static size_t next_marker_word(struct bnc_str text, size_t from);

/* The first such word of `t`, whose first "mess", "mail" or "copy"
 * (any case, in a word or not) is at i (t.len: none): 'm' for
 * "message", 'a' for "mail", 'c' for "copy", 0 for none. */
static char
first_marker_word(struct bnc_str t, size_t i)
{
	size_t n;
	char kind;

	/* Each word starts with "mess", "mail" or "copy": only where
	 * next_marker_word() lands, and which it is tells the word. */
	for (; i < t.len; i = next_marker_word(t, i + 1)) {
		uint32_t w;
		if (i > 0 && wordish((unsigned char)t.ptr[i - 1]))
			continue;
		memcpy(&w, t.ptr + i, 4);
		w |= 0x20202020u;
		if (memcmp(&w, "mess", 4) == 0) {
			if (!bnc_str_istarts(bnc_str_from(t, i + 4), "age"))
				continue;
			n = 7;
			kind = 'm';
		} else {
			n = 4;
			kind = memcmp(&w, "mail", 4) == 0 ? 'a' : 'c';
		}
		if (i + n == t.len || !wordish((unsigned char)t.ptr[i + n]))
			return kind;
	}
	return 0;
}

/* Is `line` one that starts the copy of the original? `at` is where its
 * first "mess", "mail" or "copy" is (check_unframed() has run). */
static bool
is_orig_marker(struct bnc_str line, size_t at)
{
	struct bnc_str t = bnc_str_trim(line);
	bool framed;
	char word;
	size_t i;

	if (t.len < 8 || t.len > 120)
		return false;
	/* Trimming took only white space: the word is in t. */
	word = first_marker_word(t, at - (size_t)(t.ptr - line.ptr));
	if (word == 0)
		return false;
	framed = (t.ptr[0] == '-' && t.ptr[1] == '-') ||
	    (t.ptr[0] == '=' && t.ptr[1] == '=') ||
	    (t.ptr[0] == '*' && t.ptr[1] == '*') ||
	    (t.ptr[0] == '_' && t.ptr[1] == '_');
	/* Unframed lines must be the marker sentence itself: one of the
	 * first UNFRAMED_MARKERS. When those all say "message" or "copy"
	 * (checked once), a line without either is none of them; a line
	 * whose word is one of those has it. */
	if (!framed && unframed_words && word == 'a' &&
	    bnc_str_ifind(t, "message", 7) < 0 &&
	    bnc_str_ifind(t, "copy", 4) < 0)
		return false;
	if (orig_set != NULL) {
		uint64_t found[(NMARKERS + 63) / 64];
		uint32_t pos[NMARKERS];
		uint64_t rest = framed ? short_all : short_unframed;
		bnc_needles_scan(orig_set, t, found, pos);
		if (found[0] & (framed ? set_all : set_unframed))
			return true;
		/* Those too short for the set. */
		for (; rest; rest &= rest - 1) {
			i = (size_t)__builtin_ctzll(rest);
			if (bnc_str_ifind(t, orig_markers[i],
			    marker_len[i]) >= 0)
				return true;
		}
		return false;
	}
	for (i = 0; orig_markers[i] && (framed || i < UNFRAMED_MARKERS); i++)
		if (bnc_str_ifind(t, orig_markers[i], marker_len[i]) >= 0)
			return true;
	return false;
}

/* Does "mess", "mail" or "copy" (any case) start at p? OR-ing 0x20
 * folds case exactly for letters: only 'M' and 'm' give 'm'. */
static bool
marker_word_at(const char *p)
{
	uint32_t w;

	memcpy(&w, p, 4);
	w |= 0x20202020u;
	return memcmp(&w, "mess", 4) == 0 || memcmp(&w, "mail", 4) == 0 ||
	    memcmp(&w, "copy", 4) == 0;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define BNC_MARKER_WORD_AVX2 1
#include <immintrin.h>

/* next_marker_word()'s loop 32 positions at a time, on CPUs with AVX2
 * (asked at run time): a hit, or text.len with *at where to go on. */
__attribute__((target("avx2"))) static size_t
marker_word_avx2(struct bnc_str text, size_t i, size_t *at)
{
	const __m256i low = _mm256_set1_epi8(0x20);
	const __m256i m = _mm256_set1_epi8('m'), c = _mm256_set1_epi8('c');
	const __m256i e = _mm256_set1_epi8('e'), a = _mm256_set1_epi8('a');
	const __m256i o = _mm256_set1_epi8('o');

	/* The loads read text[i, i + 33), the checks up to i + 35: inside
	 * while i + 35 <= len. Where the first two bytes are "me", "ma"
	 * or "co" (any case) the four are compared. */
	for (; i + 35 <= text.len; i += 32) {
		const char *p = text.ptr + i;
		__m256i b0 = _mm256_or_si256(_mm256_loadu_si256(
		    (const __m256i *)(const void *)p), low);
		__m256i b1 = _mm256_or_si256(_mm256_loadu_si256(
		    (const __m256i *)(const void *)(p + 1)), low);
		__m256i two = _mm256_or_si256(_mm256_and_si256(
		    _mm256_cmpeq_epi8(b0, m), _mm256_or_si256(
		    _mm256_cmpeq_epi8(b1, e), _mm256_cmpeq_epi8(b1, a))),
		    _mm256_and_si256(_mm256_cmpeq_epi8(b0, c),
		    _mm256_cmpeq_epi8(b1, o)));
		unsigned mask = (unsigned)_mm256_movemask_epi8(two);
		for (; mask; mask &= mask - 1) {
			unsigned k = (unsigned)__builtin_ctz(mask);
			if (marker_word_at(p + k))
				return i + k;
		}
	}
	*at = i;
	return text.len;
}
#endif

/* Offset of the first "mess", "mail" or "copy" (any case) at or after
 * `from` in `text`, or text.len. Every marker holds "message", "mail"
 * or "copy" (first_marker_word()), so only the lines this lands on need
 * a closer look; it tests 16 or 32 positions at a time on the first two
 * bytes, and the four where those agree. */
static size_t
next_marker_word(struct bnc_str text, size_t from)
{
	size_t i = from;

#ifdef BNC_MARKER_WORD_AVX2
	if (i + 64 <= text.len && __builtin_cpu_supports("avx2")) {
		size_t r = marker_word_avx2(text, i, &i);
		if (r < text.len)
			return r;
	}
#endif
#ifdef __SSE2__
	const __m128i low = _mm_set1_epi8(0x20);
	const __m128i m = _mm_set1_epi8('m'), c = _mm_set1_epi8('c');
	const __m128i e = _mm_set1_epi8('e'), a = _mm_set1_epi8('a');
	const __m128i o = _mm_set1_epi8('o');

	/* The loads read text[i, i + 17), the checks up to i + 19: inside
	 * while i + 19 <= len. As marker_word_avx2(). */
	for (; i + 19 <= text.len; i += 16) {
		const char *p = text.ptr + i;
		__m128i b0 = _mm_or_si128(_mm_loadu_si128(
		    (const __m128i *)(const void *)p), low);
		__m128i b1 = _mm_or_si128(_mm_loadu_si128(
		    (const __m128i *)(const void *)(p + 1)), low);
		__m128i two = _mm_or_si128(_mm_and_si128(_mm_cmpeq_epi8(b0, m),
		    _mm_or_si128(_mm_cmpeq_epi8(b1, e), _mm_cmpeq_epi8(b1, a))),
		    _mm_and_si128(_mm_cmpeq_epi8(b0, c), _mm_cmpeq_epi8(b1, o)));
		unsigned mask = (unsigned)_mm_movemask_epi8(two);
		for (; mask; mask &= mask - 1) {
			unsigned k = (unsigned)__builtin_ctz(mask);
			if (marker_word_at(p + k))
				return i + k;
		}
	}
#endif
	for (; i + 4 <= text.len; i++)
		if (marker_word_at(text.ptr + i))
			return i;
	return text.len;
}

/* The listed markers of all decoders, compiled once. NULL when there
 * are none or memory ran out: every marker is then searched for when
 * asked. The text is read every TEXT_STEP bytes: markers are phrases,
 * and a longer step leaves out only the few shorter than TEXT_STEP + 3
 * bytes (searched for when asked). */
#define TEXT_STEP 12
static struct bnc_needles *marker_set;
static size_t marker_count;
static pthread_once_t marker_once = PTHREAD_ONCE_INIT;

static void
build_marker_set(void)
{
	struct bnc_marker *const *const *l;
	struct bnc_marker *const *m;
	const char **phrases;
	size_t n = 0;

	for (l = bnc_marker_lists; *l; l++)
		for (m = *l; *m; m++)
			n++;
	phrases = bnc_calloc(n ? n : 1, sizeof(*phrases));
	if (phrases == NULL)
		return;
	n = 0;
	for (l = bnc_marker_lists; *l; l++)
		for (m = *l; *m; m++)
			if ((*m)->len >= TEXT_STEP + 3 && (*m)->len < 256)
				phrases[n++] = (*m)->s;
	if (n > 0 && n < 65535 &&
	    bnc_needles_new(&marker_set, phrases, n, TEXT_STEP, true) == 0) {
		/* The ids follow the same walk. */
		marker_count = n;
		n = 0;
		for (l = bnc_marker_lists; *l; l++)
			for (m = *l; *m; m++)
				if ((*m)->len >= TEXT_STEP + 3 &&
				    (*m)->len < 256)
					(*m)->id = (unsigned)++n;
	}
	bnc_free(phrases);
}

/* Find the listed markers in d->text. */
static int
scan_markers(struct bnc_decode *d)
{
	uint64_t *found;
	uint32_t *at;

	pthread_once(&marker_once, build_marker_set);
	if (marker_set == NULL || d->text.len > UINT32_MAX)
		return 0;
	found = bnc_arena_alloc(d->a, (marker_count + 63) / 64 *
	    sizeof(*found) + marker_count * sizeof(*at));
	if (found == NULL)
		return BNC_ENOMEM;
	at = (uint32_t *)(found + (marker_count + 63) / 64);
	bnc_needles_scan(marker_set, d->text, found, at);
	d->marker_found = found;
	d->marker_at = at;
	return 0;
}

long
bnc_text_find(const struct bnc_decode *d, const struct bnc_marker *m)
{
	unsigned i = m->id - 1;

	if (m->id == 0 || d->marker_found == NULL)
		return bnc_str_ifind(d->text, m->s, m->len);
	if ((d->marker_found[i / 64] >> (i % 64) & 1) == 0)
		return -1;
	return (long)d->marker_at[i];
}

/* Strip tags and the common entities of an HTML part: enough to read
 * the error text of an HTML-only NDR. */
static struct bnc_str
html_to_text(struct bnc_arena *a, struct bnc_str h)
{
	char *out = bnc_arena_alloc(a, h.len + 1);
	size_t i, n = 0;
	bool in_tag = false;

	if (out == NULL)
		return h;
	for (i = 0; i < h.len; i++) {
		char c;
		size_t run;
		if (in_tag) {
			const char *gt = memchr(h.ptr + i, '>', h.len - i);
			if (gt == NULL)
				break;
			i = (size_t)(gt - h.ptr);
			in_tag = false;
			continue;
		}
		/* Text up to the next tag or entity, as it is. */
		run = bnc_mem_find2(h.ptr + i, h.len - i, '<', '&');
		memcpy(out + n, h.ptr + i, run);
		n += run;
		i += run;
		if (i >= h.len)
			break;
		c = h.ptr[i];
		if (c == '<') {
			struct bnc_str t = bnc_str_from(h, i + 1);
			/* The tags below start with 'b', 'p' or '/': any
			 * other first byte is none of them. */
			unsigned char t0 = t.len ? bnc_lower(
			    (unsigned char)t.ptr[0]) : 0;
			in_tag = true;
			if ((t0 == 'b' || t0 == 'p' || t0 == '/') &&
			    (bnc_str_istarts(t, "br") || bnc_str_istarts(t, "/p") ||
			    bnc_str_istarts(t, "/div") || bnc_str_istarts(t, "/tr") ||
			    bnc_str_istarts(t, "p>") || bnc_str_istarts(t, "/h")))
				out[n++] = '\n';
			continue;
		}
		if (c == '&') {
			static const struct {
				const char *ent;
				char c;
			} ents[] = { { "&nbsp;", ' ' }, { "&lt;", '<' },
				{ "&gt;", '>' }, { "&amp;", '&' },
				{ "&quot;", '"' }, { "&#39;", '\'' } };
			size_t k;
			struct bnc_str t = bnc_str_from(h, i);
			for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++) {
				if (bnc_str_istarts(t, ents[k].ent)) {
					out[n++] = ents[k].c;
					i += strlen(ents[k].ent) - 1;
					break;
				}
			}
			if (k < sizeof(ents) / sizeof(ents[0]))
				continue;
		}
		out[n++] = c;
	}
	out[n] = '\0';
	return bnc_str_make(out, n);
}

/* Concatenate a and b with a blank line between, in the arena. */
static struct bnc_str
join(struct bnc_arena *a, struct bnc_str x, struct bnc_str y)
{
	char *p;

	if (x.len == 0)
		return y;
	p = bnc_arena_alloc(a, x.len + y.len + 3);
	if (p == NULL)
		return x;
	memcpy(p, x.ptr, x.len);
	memcpy(p + x.len, "\n\n", 2);
	memcpy(p + x.len + 2, y.ptr, y.len);
	p[x.len + y.len + 2] = '\0';
	return bnc_str_make(p, x.len + y.len + 2);
}

int
bnc_decode_init(struct bnc_decode *d, const struct bnc_message *m,
    struct bnc_arena *a, const struct bnc_limits *l)
{
	struct bnc_str text = BNC_STR_NULL, html = BNC_STR_NULL;
	size_t i;

	memset(d, 0, sizeof(*d));
	d->m = m;
	d->a = a;
	d->l = l;
	for (i = 0; i < m->mime.n; i++) {
		const struct bnc_part *p = &m->mime.parts[i];
		if (p->in_message) {
			continue;
		}
		if (p->kind == BNC_PART_RFC822 ||
		    p->kind == BNC_PART_RFC822_HEADERS) {
			if (d->orig == NULL)
				d->orig = &p->headers;
			continue;
		}
		if (p->kind == BNC_PART_TEXT_PLAIN ||
		    p->kind == BNC_PART_TEXT_ENRICHED)
			text = join(a, text, p->body);
		else if (p->kind == BNC_PART_TEXT_HTML && html.len == 0)
			html = p->body;
	}
	if (text.len == 0 && html.len)
		text = html_to_text(a, html);

	/* Cut the text where an inline copy of the original begins. */
	{
		struct bnc_str line;
		size_t at, start, end;

		pthread_once(&unframed_once, check_unframed);
		for (at = 0; (at = next_marker_word(text, at)) < text.len;
		    at = end + 1) {
			const char *nl = memrchr(text.ptr, '\n', at);
			start = nl ? (size_t)(nl - text.ptr) + 1 : 0;
			nl = memchr(text.ptr + at, '\n', text.len - at);
			end = nl ? (size_t)(nl - text.ptr) : text.len;
			line = bnc_str_make(text.ptr + start, end - start);
			/* No "mess", "mail" or "copy" from the line's start
			 * to `at`: the search started before it. */
			if (is_orig_marker(line, at - start)) {
				d->orig_block = bnc_str_from(text,
				    end < text.len ? end + 1 : end);
				text.len = start;
				break;
			}
		}
	}
	d->text = text;
	{
		int rc = scan_markers(d);
		if (rc)
			return rc;
	}
	if (d->orig == NULL && d->orig_block.len) {
		struct bnc_headers *h = bnc_arena_calloc(a, 1, sizeof(*h));
		struct bnc_str block = d->orig_block, body;
		int rc;
		if (h == NULL)
			return BNC_ENOMEM;
		while (block.len && (block.ptr[0] == '\n' || block.ptr[0] == ' '))
			block = bnc_str_from(block, 1);
		rc = bnc_headers_parse(h, a, block, &body, l->header_size);
		if (rc)
			return rc;
		if (h->n >= 2)
			d->orig = h;
	}
	return 0;
}

bool
bnc_looks_like_bounce(const struct bnc_decode *d)
{
	static const char *const subjects[] = {
		"undeliver", "undelivered", "returned mail", "delivery status",
		"delivery failure", "delivery failed", "failure notice",
		"mail delivery", "delivery notification", "could not be delivered",
		"non-delivery", "nondeliverable", "non delivery", "not delivered",
		"mail system error", "delivery problem", "rejected",
		"delivery report", "failed delivery", "mail failure",
		"returned to sender", "unable to deliver", "bounce",
		"error sending", "warning: could not", "delayed mail",
		"delivery delayed", "delivery has failed", "message not delivered",
		"permanent error", "mail could not", "notification",
		"echec", "échec", "unzustellbar", "nicht zustellbar",
		"no entregado", "不達", "エラー", "未送達", "退信",
		"系统退信", "undeliverable", "failed", "error", NULL
	};
	const struct bnc_message *m = d->m;
	struct bnc_str from = m->from, ct, rp;
	size_t i;

	ct = bnc_headers_get(&m->headers, "Content-Type");
	if (bnc_str_icontains(ct, "multipart/report"))
		return true;
	if (bnc_headers_has(&m->headers, "X-Failed-Recipients"))
		return true;
	if (bnc_str_icontains(from, "mailer-daemon") ||
	    bnc_str_icontains(from, "postmaster") ||
	    bnc_str_icontains(from, "mail delivery") ||
	    bnc_str_icontains(from, "mail-daemon") ||
	    bnc_str_icontains(from, "mailer daemon") ||
	    bnc_str_icontains(from, "maildaemon") ||
	    bnc_str_icontains(from, "mail administrator") ||
	    bnc_str_icontains(from, "system administrator") ||
	    bnc_str_icontains(from, "mailadmin") ||
	    bnc_str_icontains(from, "post_master") ||
	    bnc_str_icontains(from, "nobody@"))
		return true;
	for (i = 0; subjects[i]; i++)
		if (bnc_str_icontains(m->subject, subjects[i]))
			return true;
	rp = bnc_str_trim(bnc_headers_get(&m->headers, "Return-Path"));
	if (bnc_str_ieq(rp, "<>"))
		return true;
	return false;
}

bool
bnc_decode_has_dsn(const struct bnc_decode *d)
{
	size_t i;

	for (i = 0; i < d->m->mime.n; i++) {
		const struct bnc_part *p = &d->m->mime.parts[i];
		if (!p->in_message &&
		    (p->kind == BNC_PART_DSN || p->kind == BNC_PART_GLOBAL_DSN))
			return true;
	}
	return false;
}

bool
bnc_decode_dsn_contains(const struct bnc_decode *d, const char *needle)
{
	size_t i;

	for (i = 0; i < d->m->mime.n; i++) {
		const struct bnc_part *p = &d->m->mime.parts[i];
		if (!p->in_message && (p->kind == BNC_PART_DSN ||
		    p->kind == BNC_PART_GLOBAL_DSN) &&
		    bnc_str_icontains(p->body, needle))
			return true;
	}
	return false;
}

struct bnc_str
bnc_text_squeeze(struct bnc_arena *a, struct bnc_str s)
{
	char *out;
	size_t n;

	s = bnc_str_trim(s);
	out = bnc_arena_alloc(a, s.len + 1);
	if (out == NULL)
		return BNC_STR_NULL;
	n = bnc_str_squeeze_into(s, out, false);
	return bnc_str_make(out, n);
}

/* The paragraph around offset `at`: from the start of its line to the
 * next blank line. */
static struct bnc_str
paragraph(struct bnc_str text, size_t at)
{
	size_t s = at, e = at;

	while (s > 0 && text.ptr[s - 1] != '\n')
		s--;
	for (;;) {
		const char *nl = memchr(text.ptr + e, '\n', text.len - e);
		size_t k;
		if (nl == NULL) {
			e = text.len;
			break;
		}
		e = (size_t)(nl - text.ptr) + 1;
		for (k = e; k < text.len && (text.ptr[k] == ' ' ||
		    text.ptr[k] == '\t'); k++)
			;
		if (k >= text.len || text.ptr[k] == '\n')
			break;
		/* A rule line ("-----") ends it too. */
		if (k + 3 < text.len && text.ptr[k] == '-' &&
		    text.ptr[k + 1] == '-' && text.ptr[k + 2] == '-' &&
		    text.ptr[k + 3] == '-')
			break;
	}
	return bnc_str_make(text.ptr + s, e - s);
}

/* Does `s` start with a header field or a rule line ("Received: ...",
 * "-----")? Such a paragraph is a copy, not an explanation. */
static bool
header_like(struct bnc_str s)
{
	size_t i;

	if (s.len && (s.ptr[0] == '-' || s.ptr[0] == '='))
		return true;
	for (i = 0; i < s.len && i < 40; i++) {
		unsigned char c = (unsigned char)s.ptr[i];
		if (c == ':')
			return i > 0;
		if (c <= ' ')
			return false;
	}
	return false;
}

struct bnc_str
bnc_text_block(struct bnc_arena *a, struct bnc_str text, struct bnc_str addr)
{
	struct bnc_str first = BNC_STR_NULL, p;
	size_t from = 0;
	unsigned n;

	if (addr.len == 0)
		return BNC_STR_NULL;
	/* The recipient may be named several times (a list of addresses,
	 * then a transcript): prefer the paragraph that holds a reply. */
	for (n = 0; n < 8 && from < text.len; n++) {
		struct bnc_reply rep;
		long at = bnc_addr_find(bnc_str_from(text, from), addr.ptr,
		    addr.len);
		if (at < 0)
			break;
		p = paragraph(text, from + (size_t)at);
		/* A paragraph that is only the address (Gmail's "failed
		 * permanently:\n\n    a@b\n\nTechnical details ...")
		 * is explained by the one after it. */
		if (bnc_str_trim(p).len <= addr.len + 4) {
			size_t end = (size_t)(p.ptr - text.ptr) + p.len;
			while (end < text.len && bnc_is_space(
			    (unsigned char)text.ptr[end]))
				end++;
			if (end < text.len && !header_like(bnc_str_from(text,
			    end))) {
				struct bnc_str next = paragraph(text, end);
				p.len = (size_t)(next.ptr - p.ptr) + next.len;
			}
		}
		bnc_reply_scan(p, &rep);
		if (rep.code.len || rep.status.len)
			return bnc_text_squeeze(a, p);
		/* Else the first paragraph that says more than the address
		 * ("<a@b>... Deferred: Connection refused by mx"). */
		if (first.ptr == NULL || (bnc_str_trim(first).len <= addr.len + 4 &&
		    bnc_str_trim(p).len > addr.len + 4))
			first = p;
		from = (size_t)(p.ptr - text.ptr) + p.len;
	}
	return first.ptr ? bnc_text_squeeze(a, first) : BNC_STR_NULL;
}

void
bnc_facts_cut_shared(struct bnc_facts *f)
{
	size_t i, j;

	for (i = 0; i < f->n; i++) {
		struct bnc_str d = f->r[i].diagnostic;
		long self = bnc_addr_find(d, f->r[i].recipient.ptr,
		    f->r[i].recipient.len);
		size_t from = self < 0 ? 0 : (size_t)self +
		    f->r[i].recipient.len;
		size_t cut = d.len;

		if (f->r[i].recipient.len == 0)
			continue;
		for (j = 0; j < f->n; j++) {
			long at;
			if (j == i || f->r[j].recipient.len == 0 ||
			    (f->r[j].recipient.len == f->r[i].recipient.len &&
			    bnc_str_ifind(f->r[j].recipient, f->r[i].recipient.ptr,
			    f->r[i].recipient.len) == 0))
				continue;
			at = bnc_addr_find(bnc_str_from(d, from),
			    f->r[j].recipient.ptr, f->r[j].recipient.len);
			if (at >= 0 && from + (size_t)at < cut)
				cut = from + (size_t)at;
		}
		/* Back over the quote or bracket that opens the address. */
		while (cut > 0 && cut < d.len && (d.ptr[cut - 1] == '<' ||
		    d.ptr[cut - 1] == '"' || d.ptr[cut - 1] == ' '))
			cut--;
		if (cut < d.len && cut > from)
			f->r[i].diagnostic.len = cut;
	}
}

/* The rest of `text` after the line holding offset `at` (-1: none). */
static struct bnc_str
after_line(struct bnc_str text, long at)
{
	const char *nl;

	if (at < 0)
		return BNC_STR_NULL;
	nl = memchr(text.ptr + at, '\n', text.len - (size_t)at);
	if (nl == NULL)
		return bnc_str_from(text, text.len);
	return bnc_str_from(text, (size_t)(nl - text.ptr) + 1);
}

struct bnc_str
bnc_text_after(struct bnc_str text, const char *marker)
{
	return after_line(text, bnc_str_ifind(text, marker, strlen(marker)));
}

struct bnc_str
bnc_text_after_marker(const struct bnc_decode *d, const struct bnc_marker *m)
{
	return after_line(d->text, bnc_text_find(d, m));
}

/* `text` up to the start of the line holding offset `at` (-1: all). */
static struct bnc_str
until_line(struct bnc_str text, long at)
{
	if (at < 0)
		return text;
	while (at > 0 && text.ptr[at - 1] != '\n')
		at--;
	text.len = (size_t)at;
	return text;
}

struct bnc_str
bnc_text_until(struct bnc_str text, const char *marker)
{
	return until_line(text, bnc_str_ifind(text, marker, strlen(marker)));
}

struct bnc_str
bnc_text_until_marker(const struct bnc_decode *d, const struct bnc_marker *m)
{
	return until_line(d->text, bnc_text_find(d, m));
}

struct bnc_str
bnc_line_address(struct bnc_str line)
{
	struct bnc_str t = bnc_str_trim(line), addr;
	size_t pos = 0, i;

	/* Bullets and quotes some notices put before the address. */
	while (t.len && (t.ptr[0] == '-' || t.ptr[0] == '*' ||
	    t.ptr[0] == '>' || t.ptr[0] == ' '))
		t = bnc_str_from(t, 1);
	addr = bnc_addr_next(t, &pos);
	if (addr.len == 0)
		return addr;
	for (i = 0; i < t.len; i++) {
		char c = t.ptr[i];
		if (t.ptr + i >= addr.ptr && t.ptr + i < addr.ptr + addr.len)
			continue;
		if (c != '<' && c != '>' && c != '"' && c != '\'' &&
		    c != ' ' && c != '\t')
			return BNC_STR_NULL;
	}
	return addr;
}

bool
bnc_headers_any(const struct bnc_headers *h, const char *name,
    const char *needle)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (bnc_str_ieq(h->v[i].name, name) &&
		    bnc_str_icontains(bnc_header_value(h, i), needle))
			return true;
	return false;
}

/* The values of the bounce's Received: fields joined by LF, as read
 * (`unfolded`) or as they are: a folded value may still be its lines
 * (bnc_headers_parse() unfolds on first read). Empty view when out of
 * memory. */
static struct bnc_str
join_received(struct bnc_decode *d, bool unfolded)
{
	const struct bnc_headers *h = &d->m->headers;
	size_t i, n = 0;
	char *p;

	/* The length first: most names are not 8 bytes long. */
#define IS_RECEIVED(f) ((f).name.len == 8 && bnc_str_ieq((f).name, "Received"))
#define VALUE(i) (unfolded ? bnc_header_value(h, (i)) : h->v[(i)].value)
	for (i = 0; i < h->n; i++)
		if (IS_RECEIVED(h->v[i]))
			n += VALUE(i).len + 1;
	p = bnc_arena_alloc(d->a, n + 1);
	if (p == NULL)
		return BNC_STR_NULL;
	n = 0;
	for (i = 0; i < h->n; i++) {
		struct bnc_str v;
		if (!IS_RECEIVED(h->v[i]))
			continue;
		v = VALUE(i);
		if (v.len)
			memcpy(p + n, v.ptr, v.len);
		n += v.len;
		p[n++] = '\n';
	}
	p[n] = '\0';
	return bnc_str_make(p, n);
#undef VALUE
#undef IS_RECEIVED
}

bool
bnc_received_has(struct bnc_decode *d, const char *needle)
{
	const struct bnc_headers *h = &d->m->headers;
	size_t i, run = 0, best = 0, best_at = 0;

	/* A match of the joined text holds no LF: it is one field's. The
	 * empty needle is in any field, but in no field if none. */
	if (needle[0] == '\0' || strchr(needle, '\n') != NULL)
		return bnc_headers_any(h, "Received", needle);
	/* The needle's longest stretch without white space lies on one
	 * line of a field as written: when the fields as they are lack
	 * it, their unfolded values lack the needle, and nothing needs
	 * unfolding. */
	for (i = 0; needle[i]; i++) {
		run = bnc_is_space((unsigned char)needle[i]) ? 0 : run + 1;
		if (run > best) {
			best = run;
			best_at = i + 1 - run;
		}
	}
	if (!d->received_raw_made) {
		d->received_raw_made = true;
		d->received_raw = join_received(d, false);
	}
	if (best > 0 && d->received_raw.ptr != NULL &&
	    bnc_str_ifind(d->received_raw, needle + best_at, best) < 0)
		return false;
	if (!d->received_made) {
		d->received_made = true;
		d->received = join_received(d, true);
	}
	if (d->received.ptr == NULL)
		return bnc_headers_any(h, "Received", needle);
	return bnc_str_icontains(d->received, needle);
}

int
bnc_facts_rcpt(struct bnc_rcpt_facts **out, struct bnc_facts *f,
    struct bnc_arena *a, struct bnc_str addr)
{
	struct bnc_str n = bnc_addr_normalise(a, addr);

	*out = NULL;
	if (n.len == 0)
		return 0;
	if ((*out = bnc_facts_find(f, n)) != NULL)
		return 0;
	*out = bnc_facts_add(f, a);
	if (*out == NULL)
		return f->truncated ? 0 : BNC_ENOMEM;
	(*out)->recipient = n;
	return 0;
}

/* A report's status that only wraps the server's answer: X.0.0 ("some
 * failure") and X.4.7 ("the queue gave up", RFC 3463 3.5), where the
 * reply kept in the diagnostic says what actually failed. */
static bool
generic_status(struct bnc_str s)
{
	struct bnc_str tail = bnc_str_from(s, 1);

	return bnc_str_ieq(tail, ".0.0") || bnc_str_ieq(tail, ".4.7");
}

/* A final failure whose report says 4.x.x while the server's own reply
 * says 5.x.x: the reporting MTA gave up on a refusal the server called
 * permanent (Postfix writes 4.x.x for a greeting it was "refused to talk
 * to"), and the server's code is the one that explains it. */
static bool
given_up_on_permanent(const struct bnc_rcpt_facts *r, struct bnc_str reply)
{
	return bnc_str_ieq(r->action, "failed") && r->status.len &&
	    r->status.ptr[0] == '4' && reply.ptr[0] == '5';
}

void
bnc_rcpt_fill_from_diagnostic(struct bnc_rcpt_facts *r, struct bnc_arena *a)
{
	struct bnc_reply rep;
	const char *cmd;

	bnc_reply_scan(r->diagnostic, &rep);
	if (rep.code.len) {
		struct bnc_str before = r->diagnostic;
		r->diagnostic = bnc_reply_join(a, r->diagnostic, rep.code);
		/* The views in rep point into the old text; scan the joined
		 * one (bnc_reply_join() gives the old one back when it joins
		 * nothing: the same scan). */
		if (r->diagnostic.ptr != before.ptr ||
		    r->diagnostic.len != before.len)
			bnc_reply_scan(r->diagnostic, &rep);
	}
	if (r->reply_code.len == 0)
		r->reply_code = rep.code;
	if (rep.status.len) {
		/* A generic X.0.0 in the report loses to the specific code
		 * the remote server gave, when both have the same class. */
		if (r->status.len == 0 || (r->status.ptr[0] ==
		    rep.status.ptr[0] && generic_status(r->status)) ||
		    given_up_on_permanent(r, rep.status))
			r->status = rep.status;
	}
	if (r->smtp_command.len == 0) {
		cmd = bnc_smtp_command_find(r->diagnostic);
		if (cmd)
			r->smtp_command = bnc_str_c(cmd);
	}
}

/* memset(f, 0, sizeof(*f)) before every decoder: as vector stores,
 * not the "rep stos" compilers pick for memset(), whose start-up cost
 * was a few per cent of the whole run. */
static void
zero_facts(struct bnc_facts *f)
{
#ifdef __SSE2__
	unsigned char *p = (unsigned char *)f;
	size_t i;

	for (i = 0; i + 16 <= sizeof(*f); i += 16)
		_mm_storeu_si128((__m128i *)(void *)(p + i),
		    _mm_setzero_si128());
	for (; i < sizeof(*f); i++)
		p[i] = 0;
#else
	memset(f, 0, sizeof(*f));
#endif
}

/*
 * The BNC_WHEN() conditions, compiled once. A message's signals are bits:
 * which of the field names that conditions name it has (one look-up a
 * field), the kinds of its parts, its markers (the one pass's bits).
 * Each signal stands for the lists (the conditions up to a BNC_AND) it
 * satisfies; a message's signals give the set of satisfied lists, and
 * a decoder runs when all of its lists are in it, or when each list
 * that is not has a condition that holds by a search (From: phrases
 * tested against a filter of From:'s four-byte pieces first).
 */
#define SIG_FIELDS 0		/* bits 0-63: the declared field names */
#define SIG_PARTS 64		/* 64-95: the part kinds and these: */
#define SIG_CUT (SIG_PARTS + 29)	/* d->orig_block */
#define SIG_FEEDBACK (SIG_PARTS + 30)	/* a feedback report anywhere */
#define SIG_REPORT (SIG_PARTS + 31)	/* what bnc_mta_rfc3464() reads */
#define SIG_MARKS 128		/* 128-: marker id k at 127 + k */
#define SIG_WORDS 6		/* so markers of ids up to 256 */
#define LIST_WORDS 4		/* up to 256 lists */

struct when_list {
	unsigned first, n;	/* its searched conditions: when_rest[] */
};

static struct when_list *when_lists;
static const struct bnc_when **when_rest;
static uint64_t (*when_sat)[LIST_WORDS];	/* signal bit -> lists */
/* Decoder i's lists, bits of the word w of the list bits (a decoder's
 * lists do not straddle two words), and which of them have nothing to
 * search for. */
struct when_dec {
	unsigned w;
	uint64_t need, bare;
};
static struct when_dec *when_dec;
static bool when_ok;			/* compiled (else: no skipping) */
static int when_check;			/* BNC_DECODE_CHECK: 1, or 2 for
					 * "all" (every decoder with
					 * conditions taken as ruled out,
					 * to test the check itself) */
static pthread_once_t when_once = PTHREAD_ONCE_INIT;

/*
 * The field names that conditions name, found in a message by one
 * look-up a field: a name's slot (of 256) comes from its length and
 * first and last eight bytes, case folded by OR 0x20 (which gives the
 * same byte for any two that bnc_str_ieq() calls equal), by a
 * multiplier chosen when they are compiled so that no two of them share
 * one; a field whose slot is a declared name's is compared with it.
 */
#define MAX_NAMES 64
#define SETBIT(a, b) ((a)[(b) / 64] |= (uint64_t)1 << ((b) % 64))
static const char *when_names[MAX_NAMES];
static size_t when_name_len[MAX_NAMES];
static size_t when_nnames;
static unsigned char name_slot[256];	/* 1 + index in when_names */
static uint64_t name_mul;
/* Which first bytes and lengths (a field's key) declared names have,
 * Received among them: most fields are ruled out by one bit. */
static uint64_t name_keys[4];

static inline unsigned
name_hash(const char *p, size_t n, uint64_t mul)
{
	uint64_t x, y;

	if (n >= 8) {
		memcpy(&x, p, 8);
		memcpy(&y, p + n - 8, 8);
	} else if (n >= 4) {
		uint32_t u, v;
		memcpy(&u, p, 4);
		memcpy(&v, p + n - 4, 4);
		x = u;
		y = v;
	} else {
		x = (unsigned char)p[0];
		y = (unsigned char)p[n - 1] |
		    (uint64_t)(unsigned char)p[n / 2] << 8;
	}
	x |= 0x2020202020202020u;
	y |= 0x2020202020202020u;
	return (unsigned)(((x ^ (y * 0x9E3779B97F4A7C15u >> 7) ^ n) * mul) >>
	    56);
}

/* The index of a declared name (added when new), or -1. */
static int
name_index(const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < when_nnames; i++)
		if (when_name_len[i] == n &&
		    bnc_str_ieq(bnc_str_make(when_names[i], n), name))
			return (int)i;
	if (when_nnames == MAX_NAMES || n == 0)
		return -1;
	when_names[when_nnames] = name;
	when_name_len[when_nnames] = n;
	return (int)when_nnames++;
}

/* A multiplier that gives each declared name a slot of its own. */
static bool
place_names(void)
{
	uint64_t mul = 0x9E3779B97F4A7C15u;
	unsigned tries;
	size_t i;

	for (tries = 0; tries < 4096; tries++, mul += 0x6A09E667F3BCC908u) {
		memset(name_slot, 0, sizeof(name_slot));
		for (i = 0; i < when_nnames; i++) {
			unsigned h = name_hash(when_names[i],
			    when_name_len[i], mul | 1);
			if (name_slot[h])
				break;
			name_slot[h] = (unsigned char)(i + 1);
		}
		if (i == when_nnames) {
			name_mul = mul | 1;
			for (i = 0; i < when_nnames; i++)
				SETBIT(name_keys, bnc_header_key(when_names[i],
				    when_name_len[i]));
			SETBIT(name_keys, bnc_header_key("Received", 8));
			return true;
		}
	}
	return false;
}

/*
 * The phrases of the BNC_WHEN_DSN_HAS conditions, found together when
 * the first is asked: one pass of each report (bnc_few_scan()).
 */
#define MAX_DSN_PHRASES BNC_FEW_MAX
static const struct bnc_when *dsn_phrase[MAX_DSN_PHRASES];
static size_t dsn_nphrases;
static struct bnc_few dsn_few;		/* bit i: dsn_phrase[i] */

/*
 * The RECEIVED phrases (their stretches without white space, asked of
 * each Received: field as written) are found together too: one pass of
 * each field when the first of them is asked, instead of a search of
 * every field for each. SUBJECT and FIELD phrases were tried the same
 * way and cost more: most messages ask one or two of them, and a
 * search for one is cheaper than a pass for all.
 */
static struct bnc_few recv_few;

/* Put the RECEIVED phrases in recv_few (a condition left out, when it
 * is full, is searched as before). */
static void
make_groups(void)
{
	struct bnc_when *w;
	size_t i;

	for (i = 0; i < bnc_decoders_count; i++)
		for (w = bnc_decoder_when[i]; w != NULL &&
		    w->kind != BNC_WHEN_END; w++) {
			int bit;
			if (w->kind != BNC_WHEN_RECEIVED || w->run == 0)
				continue;
			bit = bnc_few_add(&recv_few, w->s + w->at, w->run);
			if (bit < 0)
				continue;
			w->group = 1;
			w->gbit = (unsigned char)bit;
		}
}

/* The index of w's phrase among them (added when new), or -1. */
static int
dsn_index(const struct bnc_when *w)
{
	size_t i;

	for (i = 0; i < dsn_nphrases; i++)
		if (dsn_phrase[i]->len == w->len &&
		    bnc_str_ieq(bnc_str_make(dsn_phrase[i]->s, w->len), w->s))
			return (int)i;
	if (dsn_nphrases == MAX_DSN_PHRASES ||
	    bnc_few_add(&dsn_few, w->s, w->len) != (int)dsn_nphrases)
		return -1;
	dsn_phrase[dsn_nphrases] = w;
	return (int)dsn_nphrases++;
}

/* Which of the phrases the bounce's own reports hold (as
 * bnc_decode_dsn_contains() would answer for each). */
static uint32_t
dsn_phrases(const struct bnc_decode *d)
{
	uint32_t has = 0;
	size_t i;

	for (i = 0; i < d->m->mime.n; i++) {
		const struct bnc_part *p = &d->m->mime.parts[i];
		if (p->in_message || (p->kind != BNC_PART_DSN &&
		    p->kind != BNC_PART_GLOBAL_DSN))
			continue;
		has |= bnc_few_scan(&dsn_few, p->body);
	}
	return has;
}

/* A four-byte piece's bit (of 128) in the From: filter (OR 0x20
 * again). The filter holds the pieces at even offsets: a phrase there
 * has all its pieces at even offsets in it, or all those at odd ones. */
static inline unsigned
piece_bit(const char *p)
{
	uint32_t w;

	memcpy(&w, p, 4);
	return ((w | 0x20202020u) * 0x9E3779B1u) >> 25;
}

/* Compile condition `w` of list l into the tables: a signal's bit, or a
 * searched condition. false when the tables cannot hold it. */
static bool
compile_one(struct bnc_when *w, size_t l, size_t *r)
{
	size_t k, run;
	unsigned b;
	int ix;

	switch (w->kind) {
	case BNC_WHEN_PART:
		if (w->part >= 29)
			return false;
		SETBIT(when_sat[SIG_PARTS + w->part], l);
		return true;
	case BNC_WHEN_REPORT:
		SETBIT(when_sat[SIG_REPORT], l);
		return true;
	case BNC_WHEN_FEEDBACK:
		SETBIT(when_sat[SIG_FEEDBACK], l);
		return true;
	case BNC_WHEN_CUT:
		SETBIT(when_sat[SIG_CUT], l);
		return true;
	case BNC_WHEN_HEADER:
		if ((ix = name_index(w->name)) < 0)
			return false;
		SETBIT(when_sat[SIG_FIELDS + ix], l);
		return true;
	case BNC_WHEN_TEXT:
		if (w->marker->id > 0 &&
		    w->marker->id <= 64 * (SIG_WORDS - SIG_MARKS / 64)) {
			SETBIT(when_sat[SIG_MARKS + w->marker->id - 1], l);
			return true;
		}
		break;		/* searched when asked */
	case BNC_WHEN_FIELD:
		if ((ix = name_index(w->name)) < 0)
			return false;
		w->bits[0] = (uint64_t)1 << ix;
		w->at = (size_t)ix;
		break;
	case BNC_WHEN_FROM:
		for (k = 0; k + 4 <= w->len; k++) {
			b = piece_bit(w->s + k);
			SETBIT(w->bits + 2 * (k & 1), b);
		}
		break;
	case BNC_WHEN_DSN_HAS:
		if ((ix = dsn_index(w)) < 0)
			return false;
		w->at = (size_t)ix;
		break;
	case BNC_WHEN_RECEIVED:
		/* Its longest stretch without white space lies on one line
		 * of a field as written, and in the field unfolded. */
		for (k = 0, run = 0; k < w->len; k++) {
			run = bnc_is_space((unsigned char)w->s[k]) ? 0 :
			    run + 1;
			if (run > w->run) {
				w->run = run;
				w->at = k + 1 - run;
			}
		}
		break;
	default:
		break;
	}
	when_rest[(*r)++] = w;
	when_lists[l].n++;
	return true;
}

/* What a searched condition costs, about: the cheap ones first. */
static int
search_cost(const struct bnc_when *w)
{
	switch (w->kind) {
	case BNC_WHEN_TEXT_STARTS:
		return 0;
	case BNC_WHEN_FROM:		/* mostly settled by its filter */
		return 1;
	case BNC_WHEN_SUBJECT:
		return 2;
	case BNC_WHEN_FIELD:
		return 3;
	case BNC_WHEN_TEXT:
		return 4;
	case BNC_WHEN_DSN_HAS:
		return 5;
	default:
		return 6;
	}
}

/* A list's searched conditions, cheapest first (stable): it holds when
 * one does, whatever the order. */
static void
sort_rest(const struct when_list *c)
{
	unsigned i, j;

	for (i = c->first + 1; i < c->first + c->n; i++) {
		const struct bnc_when *w = when_rest[i];
		for (j = i; j > c->first &&
		    search_cost(when_rest[j - 1]) > search_cost(w); j--)
			when_rest[j] = when_rest[j - 1];
		when_rest[j] = w;
	}
}

static void
when_compile(void)
{
	const char *e = getenv("BNC_DECODE_CHECK");
	size_t i, nrest = 0, l = 0, r = 0;
	struct bnc_when *w;

	if (e != NULL && strcmp(e, "all") == 0)
		when_check = 2;
	else
		when_check = e != NULL && e[0] != '\0' && strcmp(e, "0") != 0;
	/* The markers' ids first. */
	pthread_once(&marker_once, build_marker_set);
	for (i = 0; i < bnc_decoders_count; i++) {
		if ((w = bnc_decoder_when[i]) == NULL)
			continue;
		for (; w->kind != BNC_WHEN_END; w++)
			nrest++;
	}
	when_lists = bnc_calloc(64 * LIST_WORDS, sizeof(*when_lists));
	when_rest = bnc_calloc(nrest + 1, sizeof(*when_rest));
	when_sat = bnc_calloc(64 * SIG_WORDS, sizeof(*when_sat));
	when_dec = bnc_calloc(bnc_decoders_count + 1, sizeof(*when_dec));
	if (when_lists == NULL || when_rest == NULL || when_sat == NULL ||
	    when_dec == NULL)
		return;
	for (i = 0; i < bnc_decoders_count; i++) {
		struct when_dec *dc = &when_dec[i];
		size_t l0, n = 1;
		if ((w = bnc_decoder_when[i]) == NULL)
			continue;
		for (; w[n - 1].kind != BNC_WHEN_END; n++)
			;
		/* Its lists in one word: at most n of them. */
		if (l % 64 + n > 64)
			l = (l + 63) / 64 * 64;
		if (l + n > 64 * LIST_WORDS || n > 64)
			return;
		l0 = l;
		dc->w = (unsigned)(l0 / 64);
		when_lists[l].first = (unsigned)r;
		for (; w->kind != BNC_WHEN_END; w++) {
			if (w->kind == BNC_WHEN_AND) {
				l++;
				when_lists[l].first = (unsigned)r;
			} else if (!compile_one(w, l, &r))
				return;
		}
		for (l++; l0 < l; l0++) {
			sort_rest(&when_lists[l0]);
			dc->need |= (uint64_t)1 << (l0 % 64);
			if (when_lists[l0].n == 0 || when_check == 2)
				dc->bare |= (uint64_t)1 << (l0 % 64);
		}
	}
	when_ok = place_names();
	if (when_ok)
		make_groups();
}

/* when_compile(), and with BNC_DECODE_CHECK the news that conditions
 * too many for the tables (more than 64 field names, 32 report
 * phrases, 256 lists...) turn the dispatch off: the check fails so. */
static void
when_compile_checked(void)
{
	when_compile();
	if (when_check && !when_ok) {
		fprintf(stderr, "bouncer: BNC_DECODE_CHECK: the BNC_WHEN() "
		    "conditions could not be compiled: no decoder is "
		    "skipped\n");
		abort();
	}
}

/* The message's signals (see above) into sig[]; where the declared
 * fields are and the filter of From:'s pieces into d. */
static void
make_signals(struct bnc_decode *d, uint64_t sig[SIG_WORDS])
{
	const struct bnc_headers *h = &d->m->headers;
	struct bnc_str from = d->m->from;
	size_t i;

	memset(sig, 0, SIG_WORDS * sizeof(*sig));
	d->nrecv = 0;
	d->dsn_made = false;
	d->recv_made = false;
	for (i = 0; i < h->n; i++) {
		const struct bnc_str *n = &h->v[i].name;
		unsigned k;
		if (n->len == 0)
			continue;
		/* The parser's keys when it made them. */
		k = h->key ? h->key[i] : bnc_header_key(n->ptr, n->len);
		if ((name_keys[k / 64] >> (k % 64) & 1) == 0)
			continue;
		if (n->len == 8 && bnc_str_ieq_n(*n, "Received")) {
			if (d->nrecv < 16)
				d->recv[d->nrecv] = (uint16_t)i;
			d->nrecv++;
			continue;
		}
		if ((k = name_slot[name_hash(n->ptr, n->len, name_mul)]) == 0)
			continue;
		k--;
		if ((sig[0] >> k & 1) == 0 && n->len == when_name_len[k] &&
		    bnc_str_ieq_n(*n, when_names[k])) {
			sig[0] |= (uint64_t)1 << k;
			d->field_at[k] = (uint16_t)i;
		}
	}
	for (i = 0; i < d->m->mime.n; i++) {
		const struct bnc_part *p = &d->m->mime.parts[i];
		if (p->kind >= 29)
			continue;
		if (!p->in_message)
			sig[1] |= (uint64_t)1 << p->kind;
		if (p->in_message <= 1 && (p->kind == BNC_PART_DSN ||
		    p->kind == BNC_PART_GLOBAL_DSN))
			sig[1] |= (uint64_t)1 << (SIG_REPORT - 64);
		if (p->kind == BNC_PART_FEEDBACK)
			sig[1] |= (uint64_t)1 << (SIG_FEEDBACK - 64);
	}
	if (d->orig_block.ptr != NULL)
		sig[1] |= (uint64_t)1 << (SIG_CUT - 64);
	/* BNC_WHEN_PART of BNC_PART_DSN means either report type. */
	if (sig[1] & (uint64_t)1 << BNC_PART_GLOBAL_DSN)
		sig[1] |= (uint64_t)1 << BNC_PART_DSN;
	for (i = 0; i < SIG_WORDS - SIG_MARKS / 64 && i * 64 < marker_count;
	    i++)
		sig[SIG_MARKS / 64 + i] = d->marker_found[i];
	d->fields = sig[0];
	d->parts = (unsigned)sig[1];
	memset(d->from_bits, 0, sizeof(d->from_bits));
	for (i = 0; i + 4 <= from.len; i += 2) {
		unsigned b = piece_bit(from.ptr + i);
		SETBIT(d->from_bits, b);
	}
}

static bool
all_bits(const uint64_t *have, const uint64_t *want)
{
	return (have[0] & want[0]) == want[0] &&
	    (have[1] & want[1]) == want[1];
}

/* A searched condition. */
static bool
when_one(const struct bnc_when *w, struct bnc_decode *d)
{
	switch (w->kind) {
	case BNC_WHEN_TEXT:
		return bnc_text_has(d, w->marker);
	case BNC_WHEN_TEXT_STARTS:
		return bnc_str_istarts(bnc_str_trim(d->text), w->s);
	case BNC_WHEN_FROM:
		return (all_bits(d->from_bits, w->bits) ||
		    all_bits(d->from_bits, w->bits + 2)) &&
		    bnc_str_ifind(d->m->from, w->s, w->len) >= 0;
	case BNC_WHEN_SUBJECT:
		return bnc_str_ifind(d->m->subject, w->s, w->len) >= 0;
	case BNC_WHEN_FIELD:
		/* bits[0] is the name's bit, w->at its index. */
		return (d->fields & w->bits[0]) != 0 && bnc_str_ifind(
		    bnc_header_value(&d->m->headers, d->field_at[w->at]),
		    w->s, w->len) >= 0;
	case BNC_WHEN_DSN_HAS:
		if ((d->parts >> BNC_PART_DSN & 1) == 0)
			return false;
		if (!d->dsn_made) {
			d->dsn_made = true;
			d->dsn_has = dsn_phrases(d);
		}
		/* w->at: its index (compile_one()). */
		return (d->dsn_has >> w->at & 1) != 0;
	case BNC_WHEN_RECEIVED:
		if (w->run > 0 && d->nrecv <= 16 && w->group) {
			/* The stretches in each field as written. */
			if (!d->recv_made) {
				const struct bnc_header *v = d->m->headers.v;
				uint32_t has = 0;
				size_t k;
				for (k = 0; k < d->nrecv; k++)
					has |= bnc_few_scan(&recv_few,
					    v[d->recv[k]].value);
				d->recv_made = true;
				d->recv_has = has;
			}
			if ((d->recv_has >> w->gbit & 1) == 0)
				return false;
		} else if (w->run > 0 && d->nrecv <= 16) {
			size_t k;
			const struct bnc_header *v = d->m->headers.v;
			for (k = 0; k < d->nrecv; k++)
				if (bnc_str_ifind(v[d->recv[k]].value,
				    w->s + w->at, w->run) >= 0)
					break;
			if (k == d->nrecv)
				return false;
		}
		return bnc_received_has(d, w->s);
	default:
		return true;
	}
}

/* Do decoder i's conditions hold, given the lists `sat` that the
 * signals satisfy? */
static inline bool
when_holds(size_t i, const uint64_t *sat, struct bnc_decode *d)
{
	const struct when_dec *dc = &when_dec[i];
	uint64_t miss = dc->need & ~sat[dc->w];

	if (miss == 0)
		return true;
	/* A list that fails on the signals and has nothing to search
	 * for settles it at once. */
	if (miss & dc->bare)
		return false;
	for (; miss; miss &= miss - 1) {
		const struct when_list *c = &when_lists[64 * dc->w +
		    (size_t)__builtin_ctzll(miss)];
		unsigned j;
		for (j = 0; j < c->n; j++)
			if (when_one(when_rest[c->first + j], d))
				break;
		if (j == c->n)
			return false;
	}
	return true;
}

/* BNC_DECODE_CHECK: decoder i, ruled out, must refuse the message (an
 * error, out of memory, says nothing). */
static void
check_refuses(size_t i, struct bnc_facts *f, struct bnc_decode *d)
{
	size_t max = f->max;

	zero_facts(f);
	f->max = max;
	if (bnc_decoders[i]->decode(f, d) > 0) {
		fprintf(stderr, "bouncer: BNC_DECODE_CHECK: decoder %s "
		    "recognised a message that its BNC_WHEN() conditions "
		    "rule out\n", bnc_decoders[i]->name);
		abort();
	}
}

int
bnc_decode_run(struct bnc_facts *f, struct bnc_decode *d)
{
	uint64_t sat[LIST_WORDS] = { 0 };
	bool skipping;
	size_t i, k;
	int rc;

	pthread_once(&when_once, when_compile_checked);
	/* Without the markers' bits (a text over 4 GiB, no memory) every
	 * decoder is asked. */
	skipping = when_ok && d->marker_found != NULL;
	if (skipping) {
		uint64_t sig[SIG_WORDS];
		make_signals(d, sig);
		/* With BNC_DECODE_CHECK=all no list holds (compiled so). */
		for (i = 0; i < SIG_WORDS && when_check != 2; i++)
			for (; sig[i]; sig[i] &= sig[i] - 1) {
				const uint64_t *l = when_sat[64 * i +
				    (size_t)__builtin_ctzll(sig[i])];
				for (k = 0; k < LIST_WORDS; k++)
					sat[k] |= l[k];
			}
	}
	for (i = 0; i < bnc_decoders_count; i++) {
		size_t max;

		if (skipping && !when_holds(i, sat, d)) {
			if (when_check)
				check_refuses(i, f, d);
			continue;
		}
		max = f->max;
		zero_facts(f);
		f->max = max;
		rc = bnc_decoders[i]->decode(f, d);
		if (rc < 0)
			return rc;
		if (rc > 0) {
			if (f->mta == NULL)
				f->mta = bnc_decoders[i]->name;
			return 1;
		}
	}
	memset(f, 0, sizeof(*f));
	return 0;
}

int
bnc_facts_merge_dsn(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_facts g;
	size_t i;
	int rc;

	if (!bnc_decode_has_dsn(d))
		return 0;
	memset(&g, 0, sizeof(g));
	g.max = f->max;
	if ((rc = bnc_mta_rfc3464(&g, d)) <= 0)
		return rc;
	if (f->reporting_mta.len == 0)
		f->reporting_mta = g.reporting_mta;
	if (f->arrival_date.len == 0)
		f->arrival_date = g.arrival_date;
	for (i = 0; i < f->n; i++) {
		struct bnc_rcpt_facts *r = &f->r[i];
		const struct bnc_rcpt_facts *q = bnc_facts_find(&g,
		    r->recipient);

		/* A report that names its recipients otherwise (a local
		 * part, a broken address) still answers in the same order. */
		if (q == NULL && g.n == f->n)
			q = &g.r[i];
		if (q == NULL)
			continue;
		if (r->status.len == 0)
			r->status = q->status;
		if (r->reply_code.len == 0 && q->status.len && q->reply_code.len &&
		    q->reply_code.ptr[0] == q->status.ptr[0])
			r->reply_code = q->reply_code;
		if (r->remote_mta.len == 0)
			r->remote_mta = q->remote_mta;
		if (r->diag_type.len == 0)
			r->diag_type = q->diag_type;
		if (r->last_attempt.len == 0)
			r->last_attempt = q->last_attempt;
		if (r->action.len == 0)
			r->action = q->action;
	}
	return 1;
}

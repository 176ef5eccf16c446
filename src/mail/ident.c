/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ident.c - bnc_message_ident(): a one-pass scan of the top header block
 * for Message-ID and Date (RFC 5322 section 3.6.4 and 3.6.1), any line
 * ends, with unfolding; no arena and no MIME, since all it needs is two
 * fields and this runs once per ingested message.
 */
#include <stdbool.h>
#include <string.h>

#include "../util/sha256.h"
#include "../util/str.h"
#include "ident.h"

/* A field value being collected: white space runs become one space,
 * leading and trailing space are dropped; longer values are cut (the
 * cut is the same on every copy of a message, so identity holds). */
struct field {
	char v[998];	/* RFC 5322 line limit */
	size_t len;
	bool found;	/* seen (the first occurrence wins) */
	bool pending_space;
};

static void
field_add(struct field *f, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (bnc_is_space(c)) {
			f->pending_space = f->len > 0;
			continue;
		}
		if (f->pending_space && f->len < sizeof(f->v))
			f->v[f->len++] = ' ';
		f->pending_space = false;
		if (f->len < sizeof(f->v))
			f->v[f->len++] = (char)c;
	}
}

/* Length of the line at p (without its end); *next is past its end
 * (LF, CRLF or a bare CR). */
static size_t
line_at(const char *p, const char *end, const char **next)
{
	const char *q = p;
	size_t n;

	while (q < end && *q != '\n' && *q != '\r')
		q++;
	n = (size_t)(q - p);
	if (q < end && *q == '\r') {
		q++;
		if (q < end && *q == '\n')
			q++;
	} else if (q < end) {
		q++;
	}
	*next = q;
	return n;
}

static bool
name_is(const char *p, size_t n, const char *name)
{
	return bnc_str_ieq(bnc_str_trim(bnc_str_make(p, n)), name);
}

static bool
scan_headers(const char *data, size_t len, struct field *mid,
    struct field *date)
{
	const char *p = data, *end = data + len, *next;
	struct field *cur = NULL;
	bool first = true;

	while (p < end) {
		size_t n = line_at(p, end, &next);
		const char *colon;

		if (n == 0)
			break;	/* the blank line ends the header block */
		if (first && n >= 5 && memcmp(p, "From ", 5) == 0) {
			first = false;
			p = next;
			continue;
		}
		first = false;
		if (p[0] == ' ' || p[0] == '\t') {
			if (cur != NULL)
				field_add(cur, p, n);
			p = next;
			continue;
		}
		cur = NULL;
		colon = memchr(p, ':', n);
		if (colon == NULL)
			break;	/* not a field: the body began */
		if (!mid->found && name_is(p, (size_t)(colon - p), "Message-ID"))
			cur = mid;
		else if (!date->found && name_is(p, (size_t)(colon - p), "Date"))
			cur = date;
		if (cur != NULL) {
			cur->found = true;
			field_add(cur, colon + 1, n - (size_t)(colon + 1 - p));
		}
		p = next;
	}
	return mid->found && mid->len > 0;
}

void
bnc_message_ident(unsigned char out[32], const char *data, size_t len)
{
	struct bnc_sha256 s;
	struct field mid, date;
	const char *p, *end;

	memset(&mid, 0, sizeof(mid));
	memset(&date, 0, sizeof(date));
	if (data == NULL)
		len = 0;
	bnc_sha256_init(&s);
	if (len > 0 && scan_headers(data, len, &mid, &date)) {
		bnc_sha256_update(&s, "mid:", 4);
		bnc_sha256_update(&s, mid.v, mid.len);
		bnc_sha256_update(&s, "\0", 1);
		bnc_sha256_update(&s, date.v, date.len);
		bnc_sha256_final(&s, out);
		return;
	}
	bnc_sha256_update(&s, "raw:", 4);
	p = data;
	end = data ? data + len : data;
	while (end > p && bnc_is_space((unsigned char)end[-1]))
		end--;
	if (end - p >= 5 && memcmp(p, "From ", 5) == 0) {
		while (p < end && *p != '\n' && *p != '\r')
			p++;
		if (p < end && *p == '\r')
			p++;
		if (p < end && *p == '\n')
			p++;
	}
	while (p < end) {
		const char *q = p;
		while (q < end && *q != '\r')
			q++;
		bnc_sha256_update(&s, p, (size_t)(q - p));
		if (q < end) {
			/* CRLF and bare CR both become LF. */
			bnc_sha256_update(&s, "\n", 1);
			q++;
			if (q < end && *q == '\n')
				q++;
		}
		p = q;
	}
	bnc_sha256_final(&s, out);
}

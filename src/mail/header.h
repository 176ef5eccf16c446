/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * header.h - RFC 5322 header fields: split, unfold, look up.
 *
 * Works on LF-only text (the message layer normalises line ends first).
 * A value on one line is a view into the input; a folded one is unfolded
 * into the arena (each line break plus the folding white space after it
 * becomes one space). Either way it lives as long as both do, and it is
 * not NUL-terminated. Duplicate fields are all kept,
 * in order; look-ups return the first. Lines that are neither a field nor
 * a continuation end the block (a broken header block must not swallow
 * the body).
 */
#ifndef BNC_MAIL_HEADER_H
#define BNC_MAIL_HEADER_H

#include "../util/arena.h"
#include "../util/str.h"

struct bnc_header {
	struct bnc_str name;	/* as written, trimmed */
	struct bnc_str value;	/* unfolded, trimmed; in a block made by
				 * bnc_headers_parse(), read it with
				 * bnc_header_value() */
	bool folded;		/* `value` is still the field's lines as
				 * written: unfolded when first read */
};

/* A field's key (struct bnc_headers): the low 5 bits of its name's
 * first byte (the letter, in any case), the length modulo 8 above
 * them. */
static inline unsigned char
bnc_header_key(const char *name, size_t len)
{
	return (unsigned char)(((unsigned)name[0] & 0x1f) | (len & 7) << 5);
}

struct bnc_headers {
	struct bnc_header *v;
	size_t n;
	/* Per field, its bnc_header_key(): look-ups compare 16 of them at a time and names only
	 * where they agree. NULL (every name is compared) when the block
	 * was not made by bnc_headers_parse(). */
	const unsigned char *key;
	/* Where and how long folded values are unfolded when first read
	 * (bnc_headers_parse()'s arena and max_field). */
	struct bnc_arena *a;
	size_t max_field;
};

/* Iterates over "Name: value" fields of a header-like block (message
 * headers, delivery-status groups). */
struct bnc_field_iter {
	struct bnc_str rest;
	size_t max_field;	/* longer values are cut */
	bool truncated;		/* a value was cut */
};

void bnc_field_iter_init(struct bnc_field_iter *it, struct bnc_str block,
    size_t max_field);
/* 1 with *out set; 0 at a blank line or a line that is no field (it is
 * left in it->rest); BNC_ENOMEM. */
int bnc_field_next(struct bnc_field_iter *it, struct bnc_arena *a,
    struct bnc_header *out);

/* Parse the header block at the start of `in`; *body gets what follows
 * the blank line (or the first non-field line). A leading mbox "From "
 * line is skipped. A value folded over several lines is unfolded when
 * it is first read (bnc_header_value(), bnc_headers_get()): most folded
 * fields (Received, DKIM-Signature) are never read. 0 or BNC_ENOMEM. */
int bnc_headers_parse(struct bnc_headers *out, struct bnc_arena *a,
    struct bnc_str in, struct bnc_str *body, size_t max_field);
/* The same, a field at a time by the rules of bnc_field_next(): the
 * reference the parser is tested against. */
int bnc_headers_parse_plain(struct bnc_headers *out, struct bnc_arena *a,
    struct bnc_str in, struct bnc_str *body, size_t max_field);

/* The value of field i of `h`, unfolded: a folded value is unfolded into
 * the block's arena on its first read and kept (the block is changed,
 * though `h` is const: it belongs to one message, one thread). An empty
 * view when out of memory. */
struct bnc_str bnc_header_value(const struct bnc_headers *h, size_t i);

/* The first field called `name` (len bytes, any case), or an empty
 * view. */
struct bnc_str bnc_headers_get_n(const struct bnc_headers *h,
    const char *name, size_t len);
bool bnc_headers_has_n(const struct bnc_headers *h, const char *name,
    size_t len);
/* The same for a C string: inline, so that the length of a literal name
 * is known when compiling. */
static inline struct bnc_str
bnc_headers_get(const struct bnc_headers *h, const char *name)
{
	return bnc_headers_get_n(h, name, strlen(name));
}
static inline bool
bnc_headers_has(const struct bnc_headers *h, const char *name)
{
	return bnc_headers_has_n(h, name, strlen(name));
}

#endif

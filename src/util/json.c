/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * json.c - the JSON reader of json.h: recursive descent over the bytes,
 * values in the arena. jansson read the same documents at 50 to 100
 * instructions a byte, through a callback per byte and a heap object
 * per value; this reads each byte once or twice. What it accepts follows
 * jansson 2.14 (load.c, utf.c) rule for rule; tests/unit/util/test_json.c
 * compares the two on generated and mangled documents.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "json.h"

/* jansson's JSON_PARSER_MAX_DEPTH: values nested deeper are refused. */
#define MAX_DEPTH 2048

struct parser {
	const unsigned char *p, *end;
	struct bnc_arena *a;
	unsigned depth;
};

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The byte at the cursor, or -1 at the end. */
static int
peek(const struct parser *ps)
{
	return ps->p < ps->end ? *ps->p : -1;
}

static void
skip_space(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' ||
	    *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

/* A UTF-8 character of 2 to 4 bytes at p, as jansson's utf8_check_first()
 * and utf8_check_full() judge it: its length, or 0. */
static size_t
utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned char u = p[0];
	size_t size, i;
	unsigned long value;

	if (u >= 0xc2 && u <= 0xdf) {
		size = 2;
		value = u & 0x1f;
	} else if (u >= 0xe0 && u <= 0xef) {
		size = 3;
		value = u & 0x0f;
	} else if (u >= 0xf0 && u <= 0xf4) {
		size = 4;
		value = u & 0x07;
	} else {
		return 0;
	}
	if ((size_t)(end - p) < size)
		return 0;
	for (i = 1; i < size; i++) {
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
		value = (value << 6) + (p[i] & 0x3f);
	}
	if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff) ||
	    (size == 3 && value < 0x800) || (size == 4 && value < 0x10000))
		return 0;
	return size;
}

static size_t
put_utf8(unsigned char *out, unsigned long cp)
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xc0 | cp >> 6);
		out[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (unsigned char)(0xe0 | cp >> 12);
		out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (unsigned char)(0xf0 | cp >> 18);
	out[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* The four hex digits at p (checked by the caller). */
static unsigned long
hex4(const unsigned char *p)
{
	return (unsigned long)(hex_value(p[0]) << 12 | hex_value(p[1]) << 8 |
	    hex_value(p[2]) << 4 | hex_value(p[3]));
}

/* A string at the cursor (its opening quote): first checked as
 * jansson's lexer does (no control byte, valid escapes, valid UTF-8),
 * then decoded as its parser does (surrogates in pairs, no \u0000). */
static bool
parse_string(struct parser *ps, struct bnc_str *out)
{
	const unsigned char *start = ++ps->p, *q;
	unsigned char *buf;
	size_t n = 0;

	for (;;) {
		int c = peek(ps);
		if (c < 0x20)		/* the end, or a control byte */
			return false;
		if (c == '"')
			break;
		if (c == '\\') {
			ps->p++;
			c = peek(ps);
			if (c == 'u') {
				int i;
				for (i = 1; i <= 4; i++)
					if (ps->p + i >= ps->end ||
					    hex_value(ps->p[i]) < 0)
						return false;
				ps->p += 5;
			} else if (c == '"' || c == '\\' || c == '/' ||
			    c == 'b' || c == 'f' || c == 'n' || c == 'r' ||
			    c == 't') {
				ps->p++;
			} else {
				return false;
			}
		} else if (c >= 0x80) {
			size_t len = utf8_len(ps->p, ps->end);
			if (len == 0)
				return false;
			ps->p += len;
		} else {
			ps->p++;
		}
	}
	buf = bnc_arena_alloc(ps->a, (size_t)(ps->p - start) + 1);
	if (buf == NULL)
		return false;
	for (q = start; q < ps->p;) {
		unsigned long cp, lo;
		const unsigned char *esc;

		esc = memchr(q, '\\', (size_t)(ps->p - q));
		if (esc == NULL)
			esc = ps->p;
		memcpy(buf + n, q, (size_t)(esc - q));
		n += (size_t)(esc - q);
		q = esc;
		if (q == ps->p)
			break;
		switch (q[1]) {
		case 'b': buf[n++] = '\b'; q += 2; continue;
		case 'f': buf[n++] = '\f'; q += 2; continue;
		case 'n': buf[n++] = '\n'; q += 2; continue;
		case 'r': buf[n++] = '\r'; q += 2; continue;
		case 't': buf[n++] = '\t'; q += 2; continue;
		case 'u': break;
		default: buf[n++] = q[1]; q += 2; continue;
		}
		cp = hex4(q + 2);
		q += 6;
		if (cp >= 0xd800 && cp <= 0xdbff) {
			if (q + 6 > ps->p || q[0] != '\\' || q[1] != 'u')
				return false;
			lo = hex4(q + 2);
			if (lo < 0xdc00 || lo > 0xdfff)
				return false;
			cp = ((cp - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
			q += 6;
		} else if ((cp >= 0xdc00 && cp <= 0xdfff) || cp == 0) {
			return false;
		}
		n += put_utf8(buf + n, cp);
	}
	buf[n] = '\0';
	ps->p++;		/* the closing quote */
	*out = bnc_str_make((const char *)buf, n);
	return true;
}

/* A number at the cursor, by jansson's lexer: no leading zero, digits
 * after a '.' and in an exponent; an integer must fit a long long, a
 * real must not overflow. */
static bool
parse_number(struct parser *ps, struct bnc_json *v)
{
	const unsigned char *start = ps->p;
	bool integer;
	char *copy;

	if (peek(ps) == '-')
		ps->p++;
	if (peek(ps) == '0') {
		ps->p++;
		if (is_digit(peek(ps)))
			return false;
	} else if (is_digit(peek(ps))) {
		while (is_digit(peek(ps)))
			ps->p++;
	} else {
		return false;
	}
	integer = peek(ps) != '.' && peek(ps) != 'e' && peek(ps) != 'E';
	if (peek(ps) == '.') {
		ps->p++;
		if (!is_digit(peek(ps)))
			return false;
		while (is_digit(peek(ps)))
			ps->p++;
	}
	if (peek(ps) == 'e' || peek(ps) == 'E') {
		ps->p++;
		if (peek(ps) == '+' || peek(ps) == '-')
			ps->p++;
		if (!is_digit(peek(ps)))
			return false;
		while (is_digit(peek(ps)))
			ps->p++;
	}
	copy = bnc_arena_strndup(ps->a, (const char *)start,
	    (size_t)(ps->p - start));
	if (copy == NULL)
		return false;
	errno = 0;
	if (integer) {
		(void)strtoll(copy, NULL, 10);
		if (errno == ERANGE)
			return false;
		v->type = BNC_JSON_INTEGER;
	} else {
		double d = strtod(copy, NULL);
		if (errno == ERANGE && (d == HUGE_VAL || d == -HUGE_VAL))
			return false;
		v->type = BNC_JSON_REAL;
	}
	v->str = bnc_str_make(copy, (size_t)(ps->p - start));
	return true;
}

static bool parse_value(struct parser *ps, struct bnc_json *v);

/* Room for one more member in v->v (and v->k): doubling. */
static bool
make_room(struct parser *ps, struct bnc_json *v, size_t *cap, bool keys)
{
	size_t ncap = *cap ? *cap * 2 : 8;

	if (v->n < *cap)
		return true;
	v->v = bnc_arena_grow(ps->a, v->v, *cap * sizeof(*v->v),
	    ncap * sizeof(*v->v));
	if (v->v == NULL)
		return false;
	if (keys) {
		v->k = bnc_arena_grow(ps->a, v->k, *cap * sizeof(*v->k),
		    ncap * sizeof(*v->k));
		if (v->k == NULL)
			return false;
	}
	*cap = ncap;
	return true;
}

static bool
parse_object(struct parser *ps, struct bnc_json *v)
{
	size_t cap = 0;

	v->type = BNC_JSON_OBJECT;
	ps->p++;
	skip_space(ps);
	if (peek(ps) == '}') {
		ps->p++;
		return true;
	}
	for (;;) {
		if (peek(ps) != '"' || !make_room(ps, v, &cap, true) ||
		    !parse_string(ps, &v->k[v->n]))
			return false;
		skip_space(ps);
		if (peek(ps) != ':')
			return false;
		ps->p++;
		skip_space(ps);
		if (!parse_value(ps, &v->v[v->n]))
			return false;
		v->n++;
		skip_space(ps);
		if (peek(ps) != ',')
			break;
		ps->p++;
		skip_space(ps);
	}
	if (peek(ps) != '}')
		return false;
	ps->p++;
	return true;
}

static bool
parse_array(struct parser *ps, struct bnc_json *v)
{
	size_t cap = 0;

	v->type = BNC_JSON_ARRAY;
	ps->p++;
	skip_space(ps);
	if (peek(ps) == ']') {
		ps->p++;
		return true;
	}
	for (;;) {
		if (!make_room(ps, v, &cap, false) ||
		    !parse_value(ps, &v->v[v->n]))
			return false;
		v->n++;
		skip_space(ps);
		if (peek(ps) != ',')
			break;
		ps->p++;
		skip_space(ps);
	}
	if (peek(ps) != ']')
		return false;
	ps->p++;
	return true;
}

/* A value at the cursor (white space skipped). */
static bool
parse_value(struct parser *ps, struct bnc_json *v)
{
	int c = peek(ps);
	bool ok;

	memset(v, 0, sizeof(*v));
	if (++ps->depth > MAX_DEPTH)
		return false;
	if (c == '{') {
		ok = parse_object(ps, v);
	} else if (c == '[') {
		ok = parse_array(ps, v);
	} else if (c == '"') {
		v->type = BNC_JSON_STRING;
		ok = parse_string(ps, &v->str);
	} else if (c == '-' || is_digit(c)) {
		ok = parse_number(ps, v);
	} else if (is_alpha(c)) {
		/* A whole word: "truex" is no "true". */
		const unsigned char *w = ps->p;
		size_t n;
		while (is_alpha(peek(ps)))
			ps->p++;
		n = (size_t)(ps->p - w);
		ok = true;
		if (n == 4 && memcmp(w, "true", 4) == 0)
			v->type = BNC_JSON_TRUE;
		else if (n == 5 && memcmp(w, "false", 5) == 0)
			v->type = BNC_JSON_FALSE;
		else if (n == 4 && memcmp(w, "null", 4) == 0)
			v->type = BNC_JSON_NULL;
		else
			ok = false;
	} else {
		ok = false;
	}
	/* jansson reads one byte past a number or a word and puts it
	 * back; a NUL byte put back is lost (its stream takes NUL for "no
	 * byte buffered"), so one NUL right after those is skipped. */
	if (ok && (v->type == BNC_JSON_INTEGER || v->type == BNC_JSON_REAL ||
	    v->type == BNC_JSON_TRUE || v->type == BNC_JSON_FALSE ||
	    v->type == BNC_JSON_NULL) && peek(ps) == '\0')
		ps->p++;
	ps->depth--;
	return ok;
}

struct bnc_json *
bnc_json_parse(struct bnc_arena *a, struct bnc_str in, bool first_only)
{
	struct parser ps;
	struct bnc_json *root;

	if (in.ptr == NULL)
		return NULL;
	ps.p = (const unsigned char *)in.ptr;
	ps.end = ps.p + in.len;
	ps.a = a;
	ps.depth = 0;
	skip_space(&ps);
	if (peek(&ps) != '{' && peek(&ps) != '[')
		return NULL;
	root = bnc_arena_alloc(a, sizeof(*root));
	if (root == NULL || !parse_value(&ps, root))
		return NULL;
	if (!first_only) {
		skip_space(&ps);
		if (ps.p != ps.end)
			return NULL;
	}
	return root;
}

const struct bnc_json *
bnc_json_get(const struct bnc_json *o, const char *key)
{
	size_t i, n;

	if (o == NULL || o->type != BNC_JSON_OBJECT)
		return NULL;
	n = strlen(key);
	for (i = o->n; i-- > 0;)
		if (o->k[i].len == n && memcmp(o->k[i].ptr, key, n) == 0)
			return &o->v[i];
	return NULL;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * harness.h - the in-house unit test harness (STYLE.md section 10).
 *
 * Tests are tables of {name, input, want...} rows walked by one loop.
 * Each check names its row and prints, on failure,
 *
 *     file:line: case "NAME": got WHAT X, want Y
 *
 * and a test binary ends with h_done(), which prints the number of checks
 * and failures and returns the exit status (non-zero on any failure).
 * Strings are printed with non-printable bytes escaped, so a stray NUL or
 * 8-bit byte in a result is visible.
 *
 * Everything here is static inline: one copy per test binary, no
 * prototypes needed, no warnings for the helpers a test does not use.
 */
#ifndef BNC_TESTS_HARNESS_H
#define BNC_TESTS_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct h_state {
	unsigned long checks;
	unsigned long failures;
};

static inline struct h_state *
h_state(void)
{
	static struct h_state s;

	return &s;
}

#define H_NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Generated inputs (a fast path checked against its plain twin): a
 * xorshift64 generator whose state the test owns, so that every run
 * draws the same inputs. The seed must not be 0. */
struct h_rng {
	uint64_t s;
};

/* A number in [0, n), n > 0. */
static inline unsigned
h_rnd(struct h_rng *r, unsigned n)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return (unsigned)(r->s % n);
}

/* Print `len` bytes of `p` as a quoted string, escaping what is not
 * printable ASCII. NULL prints as (null). */
static inline void
h_print_bytes(const char *p, size_t len)
{
	size_t i;

	if (p == NULL) {
		fputs("(null)", stdout);
		return;
	}
	putchar('"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\r')
			fputs("\\r", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static inline bool
h_pass(void)
{
	h_state()->checks++;
	return true;
}

static inline void
h_fail_head(const char *file, int line, const char *name)
{
	h_state()->checks++;
	h_state()->failures++;
	printf("%s:%d: case \"%s\": got ", file, line, name);
}

/* Bytes (ptr, len) against a C string; want == NULL means "no value"
 * (ptr NULL or len 0). */
static inline bool
h_bytes_eq(const char *file, int line, const char *name, const char *what,
    const char *ptr, size_t len, const char *want)
{
	bool ok;

	if (want == NULL)
		ok = ptr == NULL || len == 0;
	else
		ok = ptr != NULL && len == strlen(want) &&
		    memcmp(ptr, want, len) == 0;
	if (ok)
		return h_pass();
	h_fail_head(file, line, name);
	printf("%s ", what);
	h_print_bytes(ptr, ptr ? len : 0);
	fputs(", want ", stdout);
	if (want == NULL)
		fputs("(none)", stdout);
	else
		h_print_bytes(want, strlen(want));
	putchar('\n');
	return false;
}

static inline bool
h_str_eq(const char *file, int line, const char *name, const char *what,
    const char *got, const char *want)
{
	if (got == NULL && want == NULL)
		return h_pass();
	if (got != NULL && want != NULL && strcmp(got, want) == 0)
		return h_pass();
	h_fail_head(file, line, name);
	printf("%s ", what);
	h_print_bytes(got, got ? strlen(got) : 0);
	fputs(", want ", stdout);
	h_print_bytes(want, want ? strlen(want) : 0);
	putchar('\n');
	return false;
}

static inline bool
h_int_eq(const char *file, int line, const char *name, const char *what,
    long long got, long long want)
{
	if (got == want)
		return h_pass();
	h_fail_head(file, line, name);
	printf("%s %lld, want %lld\n", what, got, want);
	return false;
}

static inline bool
h_bool_eq(const char *file, int line, const char *name, const char *what,
    bool got, bool want)
{
	if (got == want)
		return h_pass();
	h_fail_head(file, line, name);
	printf("%s %s, want %s\n", what, got ? "true" : "false",
	    want ? "true" : "false");
	return false;
}

/* A failure with a free-form description of what was got. */
static inline bool
h_fail_msg(const char *file, int line, const char *name, const char *got,
    const char *want)
{
	h_fail_head(file, line, name);
	printf("%s, want %s\n", got, want);
	return false;
}

/* A struct bnc_str (or any {ptr, len}) against a C string or NULL. */
#define CHECK_VIEW(name, what, view, want) \
	h_bytes_eq(__FILE__, __LINE__, (name), (what), (view).ptr, \
	    (view).len, (want))
#define CHECK_BYTES(name, what, ptr, len, want) \
	h_bytes_eq(__FILE__, __LINE__, (name), (what), (ptr), (len), (want))
#define CHECK_STR(name, what, got, want) \
	h_str_eq(__FILE__, __LINE__, (name), (what), (got), (want))
#define CHECK_INT(name, what, got, want) \
	h_int_eq(__FILE__, __LINE__, (name), (what), (long long)(got), \
	    (long long)(want))
#define CHECK_BOOL(name, what, got, want) \
	h_bool_eq(__FILE__, __LINE__, (name), (what), (bool)(got), \
	    (bool)(want))
#define CHECK_TRUE(name, what, cond) CHECK_BOOL(name, what, cond, true)
#define CHECK_FAIL(name, got, want) \
	h_fail_msg(__FILE__, __LINE__, (name), (got), (want))

/* Print the tally; the exit status for main(). */
static inline int
h_done(const char *prog)
{
	const struct h_state *s = h_state();

	printf("%s: %lu checks, %lu failed\n", prog, s->checks, s->failures);
	if (s->checks == 0) {
		printf("%s: no checks ran\n", prog);
		return 1;
	}
	return s->failures ? 1 : 0;
}

#endif

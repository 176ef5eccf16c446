/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_json.c - src/util/json.c against jansson, whose json_loadb() the
 * SES decoder used before: on hand-made edge cases and on thousands of
 * mangled copies of notification-like documents, both must accept the
 * same documents (with and without the end-of-input check) and, when
 * they do, read the same values: types, decoded strings, members found
 * by key (the last of duplicates).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "harness.h"
#include "json_same.h"
#include "util/json.h"

static size_t reported;

/* Both readers on `doc`; counts disagreements. */
static size_t
compare(const char *doc, size_t len, const char *name)
{
	size_t bad = 0;
	int k;

	for (k = 0; k < 2; k++) {
		struct bnc_arena a;
		json_error_t err;
		json_t *j = json_loadb(doc, len, k ? JSON_DISABLE_EOF_CHECK : 0,
		    &err);
		struct bnc_json *v;

		bnc_arena_init(&a, 0);
		v = bnc_json_parse(&a, bnc_str_make(doc, len), k == 1);
		if ((v == NULL) != (j == NULL) ||
		    (v != NULL && !bnc_test_json_same(v, j))) {
			bad++;
			if (reported++ < 8) {
				char what[96];
				snprintf(what, sizeof(what), "%s (%s)", name,
				    k ? "first value" : "whole input");
				CHECK_INT(what, "ours accepts, jansson accepts",
				    (v != NULL) * 10 + (j != NULL),
				    (j != NULL) * 11);
				printf("  document: ");
				h_print_bytes(doc, len);
				printf("\n  jansson: %s\n",
				    j ? "ok" : err.text);
			}
		}
		json_decref(j);
		bnc_arena_deinit(&a);
	}
	return bad;
}

static void
test_cases(void)
{
	static const char *const docs[] = {
		"{}", "[]", " \t\r\n{ } \n", "{} x", "{}{}", "", " ", "x",
		"\"s\"", "1", "true", "null",
		"[1,2,3]", "[1,]", "[,1]", "{\"a\":1,}", "{,}", "{\"a\"}",
		"{\"a\":}", "{1:2}", "{\"a\" : 1 , \"a\" : \"two\"}",
		"[0]", "[-0]", "[01]", "[-01]", "[-]", "[1.]", "[.5]", "[1.5]",
		"[1e5]", "[1E+5]", "[1e-5]", "[1e]", "[1e+]", "[2.5e3]",
		"[9223372036854775807]", "[9223372036854775808]",
		"[-9223372036854775808]", "[-9223372036854775809]",
		"[1e308]", "[1e309]", "[-1e309]", "[1e-400]",
		"[true]", "[truex]", "[True]", "[nul]", "[null1]", "[falsee]",
		"[\"\\u0041\\u00e9\\u20ac\\ud83d\\ude00\"]",
		"[\"\\u0000\"]", "{\"\\u0000\":1}", "[\"\\ud800\"]",
		"[\"\\udc00\"]", "[\"\\ud800\\u0041\"]", "[\"\\ud800x\"]",
		"[\"\\ud800\\\\\"]", "[\"\\u12\"]", "[\"\\u12g4\"]",
		"[\"\\x\"]", "[\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"]", "[\"a\tb\"]",
		"[\"a\nb\"]", "[\"\x7f\"]", "[\"\xc3\xa9\"]", "[\"\xc3\"]",
		"[\"\xc0\x80\"]", "[\"\xe0\x80\x80\"]", "[\"\xed\xa0\x80\"]",
		"[\"\xf4\x8f\xbf\xbf\"]", "[\"\xf4\x90\x80\x80\"]",
		"[\"\xf5\x80\x80\x80\"]", "[\"\xff\"]", "[\xc3\xa9]",
		"{\"a\":[1,{\"b\":null}],\"c\":\"d\"}", "[\"unterminated",
		"{\"a\":1", "[1 2]", "{\"a\" 1}", "\xef\xbb\xbf{}",
	};
	size_t i, bad = 0;

	for (i = 0; i < H_NELEM(docs); i++)
		bad += compare(docs[i], strlen(docs[i]), docs[i]);
	/* A NUL byte inside and outside a string. */
	bad += compare("[\"a\0b\"]", 7, "NUL in a string");
	bad += compare("[1,\0]", 5, "NUL between values");
	bad += compare("{}\0", 3, "NUL after the value");
	/* jansson loses a NUL byte it reads past a number or a word. */
	bad += compare("[1\0]", 5, "NUL after an integer");
	bad += compare("[1.5\0,2]", 9, "NUL after a real");
	bad += compare("[true\0]", 8, "NUL after a word");
	bad += compare("[null\0\0]", 10, "two NULs after a word");
	bad += compare("{\"a\":0\0}", 9, "NUL after a member");
	CHECK_INT("cases", "disagreements", (long)bad, 0);
}

/* Nesting around jansson's limit of 2048 values deep. */
static void
test_depth(void)
{
	static const size_t depths[] = { 2046, 2047, 2048, 2049, 2050 };
	char *doc = malloc(2 * 2100 + 8);
	size_t i, k, n, bad = 0;

	if (doc == NULL)
		return;
	for (i = 0; i < H_NELEM(depths); i++) {
		int inner;
		for (inner = 0; inner < 2; inner++) {
			n = 0;
			for (k = 0; k < depths[i]; k++)
				doc[n++] = '[';
			if (inner)
				doc[n++] = '1';
			for (k = 0; k < depths[i]; k++)
				doc[n++] = ']';
			bad += compare(doc, n, inner ? "deep with a number" :
			    "deep");
		}
	}
	free(doc);
	CHECK_INT("depth", "disagreements", (long)bad, 0);
}

/* Notification-like documents, each mangled many times: bytes replaced,
 * inserted and deleted, taken from those that matter to the grammar. */
static void
test_mangled(void)
{
	static const char *const seeds[] = {
		"{\"notificationType\":\"Bounce\",\"bounce\":{\"bounceType\":"
		"\"Permanent\",\"bounceSubType\":\"General\",\"bouncedRecipi"
		"ents\":[{\"emailAddress\":\"user@example.com\",\"action\":\"f"
		"ailed\",\"status\":\"5.1.1\",\"diagnosticCode\":\"smtp; 550 5"
		".1.1 user unknown\"}],\"timestamp\":\"2024-01-02T03:04:05.00"
		"0Z\",\"feedbackId\":\"0100-ab\",\"reportingMTA\":\"dsn; a1.ex"
		"ample.net\"},\"mail\":{\"timestamp\":\"2024-01-02T03:04:04.00"
		"0Z\",\"source\":\"sender@example.org\",\"messageId\":\"0100-c"
		"d\",\"headers\":[{\"name\":\"Message-ID\",\"value\":\"<x@exam"
		"ple.org>\"}],\"destination\":[\"user@example.com\"],\"n\":[1,"
		"-2.5e3,true,false,null]}}",
		"{\"Type\" : \"Notification\", \"MessageId\" : \"22b80b92\",\n"
		" \"Message\" : \"{\\\"notificationType\\\":\\\"Complaint\\\","
		"\\\"complaint\\\":{\\\"complainedRecipients\\\":[{\\\"emailAd"
		"dress\\\":\\\"r\\u00e9@example.com\\\"}]},\\\"mail\\\":{}}\",\n"
		" \"Timestamp\" : \"2024-01-02T03:04:05.000Z\"}\n\n--\nfooter",
		"[\"\\ud83d\\ude00 caf\xc3\xa9 \\u20ac\", 0, -0.5, 1e10, {}, []]",
	};
	static const char bytes[] = "\"\\u{}[],:0-e.D8 atn/\x80\xc3\xa9\xff";
	char doc[1024];
	size_t s, k, bad = 0;
	unsigned seed = 9;

	for (s = 0; s < H_NELEM(seeds); s++) {
		size_t base = strlen(seeds[s]);
		bad += compare(seeds[s], base, "seed");
		for (k = 0; k < 6000; k++) {
			size_t len = base, edits, e;
			memcpy(doc, seeds[s], base);
			seed = seed * 1103515245u + 12345u;
			edits = 1 + (seed >> 16) % 3;
			for (e = 0; e < edits && len > 1; e++) {
				size_t at, what;
				char c;
				seed = seed * 1103515245u + 12345u;
				at = (seed >> 8) % len;
				what = (seed >> 4) % 3;
				seed = seed * 1103515245u + 12345u;
				c = (seed >> 16) % 9 == 0 ? '\0' :
				    bytes[(seed >> 8) % (sizeof(bytes) - 1)];
				if (what == 0) {
					doc[at] = c;
				} else if (what == 1 && len < sizeof(doc)) {
					memmove(doc + at + 1, doc + at,
					    len - at);
					doc[at] = c;
					len++;
				} else {
					memmove(doc + at, doc + at + 1,
					    len - at - 1);
					len--;
				}
			}
			bad += compare(doc, len, "mangled");
		}
	}
	CHECK_INT("mangled", "disagreements", (long)bad, 0);
}

int
main(void)
{
	test_cases();
	test_depth();
	test_mangled();
	return h_done("test_json");
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_common.c - src/mta/common.c: white space squeezing, which copies
 * blocks of 16 bytes that need no change and goes byte by byte
 * elsewhere. Checked against a byte loop on texts of every length made
 * of runs of each white space byte, single spaces and words. And the
 * decoders' markers, found in one pass: bnc_text_find() against a
 * search of the text for each.
 */
#include <stdlib.h>

#include "harness.h"
#include "mta/mta.h"
#include "util/arena.h"
#include "util/limits.h"

/* The reference: trim, then one ' ' for each run of white space. */
static size_t
naive_squeeze(const char *s, size_t len, char *out)
{
	size_t i, n = 0;
	bool sp = false;

	while (len && bnc_is_space((unsigned char)s[0])) {
		s++;
		len--;
	}
	while (len && bnc_is_space((unsigned char)s[len - 1]))
		len--;
	for (i = 0; i < len; i++) {
		if (bnc_is_space((unsigned char)s[i])) {
			sp = true;
			continue;
		}
		if (sp && n)
			out[n++] = ' ';
		sp = false;
		out[n++] = s[i];
	}
	return n;
}

static void
test_squeeze(void)
{
	static const char *const pieces[] = { "word", " ", "  ", "\t", "\n",
	    "\r\n", "\v", "\f", "x", "\xc3\xa9", "-----", " a ", "\x7f" };
	char in[200], want[200], name[64];
	struct bnc_arena a;
	size_t len, i, k, n, bad = 0;
	unsigned seed = 11;

	bnc_arena_init(&a, 0);
	for (k = 0; k < 3000; k++) {
		len = 0;
		while (len < 150) {
			const char *p;
			seed = seed * 1103515245u + 12345u;
			p = pieces[(seed >> 16) % H_NELEM(pieces)];
			for (i = 0; p[i] && len < 150; i++)
				in[len++] = p[i];
			seed = seed * 1103515245u + 12345u;
			if ((seed >> 16) % 40 == 0)
				break;
		}
		n = naive_squeeze(in, len, want);
		{
			struct bnc_str got = bnc_text_squeeze(&a,
			    bnc_str_make(in, len));
			if ((got.len != n || memcmp(got.ptr, want, n) != 0) &&
			    bad++ < 5) {
				want[n] = '\0';
				snprintf(name, sizeof(name), "squeeze %zu", k);
				CHECK_VIEW(name, "text", got, n ? want : NULL);
			}
		}
	}
	CHECK_INT("squeeze", "mismatches", (long)bad, 0);
	bnc_arena_deinit(&a);
}

/* Every marker of every decoder, in a message whose text holds some of
 * them (in another case, cut short, twice) and a copy of the returned
 * message below the text: bnc_text_find() must give what
 * bnc_str_ifind() on d->text gives, listed or not, in the set or too
 * short for it. */
static void
test_markers(void)
{
	static const char head[] = "From: MAILER-DAEMON@example.com\n"
	    "Subject: Undelivered Mail Returned to Sender\n"
	    "Content-Type: text/plain; charset=utf-8\n\n";
	static const char cut[] = "\n--- Original message follows ---\n\n";
	struct bnc_marker *const *const *l;
	struct bnc_marker *const *m;
	struct bnc_limits lim = { .message_size = 0 };
	char *buf;
	size_t cap = 1 << 16, round, bad = 0, total = 0, listed = 0;
	unsigned seed = 5;

	bnc_limits_resolve(&lim);
	buf = malloc(cap);
	if (buf == NULL)
		return;
	for (round = 0; round < 40; round++) {
		struct bnc_arena a;
		struct bnc_message msg;
		struct bnc_decode d;
		size_t n = 0, k = 0;

		memcpy(buf, head, sizeof(head) - 1);
		n = sizeof(head) - 1;
		for (l = bnc_marker_lists; *l; l++) {
			for (m = *l; *m; m++, k++) {
				size_t len = (*m)->len, i;
				seed = seed * 1103515245u + 12345u;
				if ((seed >> 16) % 3 != 0 ||
				    n + len + 8 > cap / 2)
					continue;
				/* Cut short now and then: no match. */
				if ((seed >> 20) % 5 == 0)
					len--;
				for (i = 0; i < len; i++)
					buf[n + i] = (char)((seed >> 24) % 2 &&
					    bnc_is_alpha((unsigned char)
					    (*m)->s[i]) ? (*m)->s[i] ^ 0x20 :
					    (*m)->s[i]);
				n += len;
				buf[n++] = (seed >> 18) % 2 ? '\n' : ' ';
			}
		}
		/* Below the marker line, a copy: out of d->text. */
		memcpy(buf + n, cut, sizeof(cut) - 1);
		n += sizeof(cut) - 1;
		for (l = bnc_marker_lists; *l; l++)
			for (m = *l; *m && n + (*m)->len + 1 < cap; m++) {
				memcpy(buf + n, (*m)->s, (*m)->len);
				n += (*m)->len;
				buf[n++] = '\n';
			}
		bnc_arena_init(&a, 0);
		CHECK_INT("markers", "load", bnc_message_load(&msg, &a, buf, n,
		    &lim), 0);
		CHECK_INT("markers", "init", bnc_decode_init(&d, &msg, &a,
		    &lim), 0);
		for (l = bnc_marker_lists; *l; l++) {
			for (m = *l; *m; m++) {
				long want = bnc_str_ifind(d.text, (*m)->s,
				    (*m)->len);
				long got = bnc_text_find(&d, *m);
				total++;
				listed += (*m)->id != 0;
				if (got != want && bad++ < 5)
					CHECK_INT((*m)->s, "at", got, want);
			}
		}
		bnc_arena_deinit(&a);
	}
	CHECK_INT("markers", "mismatches", (long)bad, 0);
	/* The one pass did the work for most of them. */
	CHECK_TRUE("markers", "most in the set", listed * 4 > total * 3);
	free(buf);
}

/* bnc_received_has() against a search of each Received: field's value,
 * unfolded: on messages whose Received: fields are folded anywhere,
 * also inside the needles, which have spaces, none, or only spaces. */
static void
test_received(void)
{
	static const char *const needles[] = { "with Internet Mail Service",
	    "(EZweb Mail)", ".hotmail.com", "invoked for bounce", "MAIL",
	    " ", "x y", "(LiteMail v" };
	static const char *const words[] = { "from", "mx.example.com",
	    "with", "Internet", "Mail", "Service", "(EZweb", "Mail)",
	    ".hotmail.com", "invoked", "for", "bounce", "x", "y", "(LiteMail",
	    "v2" };
	struct bnc_limits lim = { .message_size = 0 };
	char buf[4096];
	size_t round, k, bad = 0;
	unsigned seed = 23;

	bnc_limits_resolve(&lim);
	for (round = 0; round < 2000; round++) {
		struct bnc_arena a;
		struct bnc_message m;
		struct bnc_decode d;
		size_t n = 0, f, w;

		for (f = 0; f < 4; f++) {
			seed = seed * 1103515245u + 12345u;
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s:",
			    (seed >> 8) % 5 ? "Received" : "X-Other");
			for (w = 0; w < 8; w++) {
				seed = seed * 1103515245u + 12345u;
				n += (size_t)snprintf(buf + n, sizeof(buf) - n,
				    "%s%s", (seed >> 8) % 4 ? " " : "\n\t",
				    words[(seed >> 12) % H_NELEM(words)]);
			}
			buf[n++] = '\n';
		}
		n += (size_t)snprintf(buf + n, sizeof(buf) - n,
		    "Subject: x\n\nbody\n");
		bnc_arena_init(&a, 0);
		if (bnc_message_load(&m, &a, buf, n, &lim) != 0 ||
		    bnc_decode_init(&d, &m, &a, &lim) != 0) {
			bad++;
			bnc_arena_deinit(&a);
			continue;
		}
		for (k = 0; k < H_NELEM(needles); k++) {
			bool want = false, got;
			size_t i;
			/* In either order: a search may unfold the fields. */
			got = bnc_received_has(&d, needles[k]);
			for (i = 0; i < m.headers.n; i++)
				if (bnc_str_ieq(m.headers.v[i].name,
				    "Received") && bnc_str_icontains(
				    bnc_header_value(&m.headers, i),
				    needles[k]))
					want = true;
			if (got != want && bad++ < 3)
				CHECK_BOOL(needles[k], "found", got, want);
		}
		bnc_arena_deinit(&a);
	}
	CHECK_INT("received", "mismatches", (long)bad, 0);
}

int
main(void)
{
	test_squeeze();
	test_received();
	test_markers();
	return h_done("test_common");
}

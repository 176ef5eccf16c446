/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_source.c - src/mail/source.c, the mbox reader: splitting at
 * "From " lines, mboxrd unquoting, LF/CRLF/CR giving the same messages,
 * and the block reader's edges: lines, separators and CR LF pairs that
 * straddle its window (BNC_MBOX_WINDOW), messages over the size limit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bouncer.h"
#include "harness.h"
#include "mail/source.h"
#include "util/buf.h"

/* What the reader handed over: the messages joined, each preceded by
 * "<index:len:truncated>" so a wrong split shows. */
struct got {
	struct bnc_buf all;
	size_t n;
	size_t clean;		/* messages handed on as clean */
	size_t false_clean;	/* of those, ones with a CR or a NUL */
	unsigned clean_bits;	/* bit i: message i + 1 was clean */
};

/* Clean messages with a CR or a NUL, in every test. */
static size_t all_false_clean;

static int
on_message(void *payload, const char *source, size_t index, const char *data,
    size_t len, bool truncated, bool clean)
{
	struct got *g = payload;

	(void)source;
	g->n++;
	if (clean) {
		g->clean++;
		if (index <= 32)
			g->clean_bits |= 1u << (index - 1);
		if (memchr(data, '\r', len) != NULL ||
		    memchr(data, '\0', len) != NULL)
			g->false_clean++, all_false_clean++;
	}
	bnc_buf_printf(&g->all, "<%zu:%zu:%d>", index, len, truncated ? 1 : 0);
	bnc_buf_add(&g->all, data, len);
	return 0;
}

static void
on_error(void *payload, const char *source, const char *why)
{
	(void)payload;
	printf("unexpected error: %s: %s\n", source, why);
}

/* Write `data` to a temporary file and read it back as a source. */
static void
read_bytes(struct got *g, const char *data, size_t len, size_t max_message)
{
	char path[] = "/tmp/bnc-test-source-XXXXXX";
	struct bnc_source_opts o;
	int fd = mkstemp(path);
	FILE *fp;

	bnc_buf_init(&g->all, (size_t)1 << 30);
	g->n = 0;
	g->clean = g->false_clean = 0;
	g->clean_bits = 0;
	if (fd < 0 || (fp = fdopen(fd, "wb")) == NULL) {
		printf("cannot make a temporary file\n");
		exit(1);
	}
	fwrite(data, 1, len, fp);
	fclose(fp);
	memset(&o, 0, sizeof(o));
	o.max_message = max_message;
	o.on_message = on_message;
	o.on_error = on_error;
	o.payload = g;
	bnc_source_read(path, &o);
	unlink(path);
}

static void
test_split(void)
{
	static const struct {
		const char *name, *in, *want;
		size_t n;
	} rows[] = {
		{ "two messages",
		    "From a@b Mon Jan  1 00:00:00 2024\nSubject: 1\n\nx\n"
		    "From c@d Mon Jan  1 00:00:00 2024\nSubject: 2\n\ny\n",
		    "<1:14:0>Subject: 1\n\nx\n<2:14:0>Subject: 2\n\ny\n", 2 },
		{ "mboxrd unquoting, one '>' less",
		    "From a\n\n>From here\n>>From there\n> From not\n>Fromage\n",
		    "<1:43:0>\nFrom here\n>From there\n> From not\n>Fromage\n", 1 },
		{ "From not at a line start",
		    "From a\nx From y\nFrom\n", "<1:14:0>x From y\nFrom\n", 1 },
		{ "CRLF", "From a\r\nS: 1\r\n\r\nx\r\nFrom b\r\ny\r\n",
		    "<1:8:0>S: 1\n\nx\n<2:2:0>y\n", 2 },
		{ "bare CR", "From a\rS: 1\r\rx\rFrom b\ry\r",
		    "<1:8:0>S: 1\n\nx\n<2:2:0>y\n", 2 },
		{ "no final line end", "From a\nx\nFrom b\ny",
		    "<1:2:0>x\n<2:1:0>y", 2 },
		{ "separator only", "From a\n", "", 0 },
		{ "two separators: the second ends no message",
		    "From a\nFrom b\nx\n", "<1:2:0>x\n", 1 },
		{ "empty message between separators",
		    "From a\nx\nFrom b\nFrom c\ny\n",
		    "<1:2:0>x\n<2:0:0><3:2:0>y\n", 3 },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++) {
		struct got g;
		read_bytes(&g, rows[i].in, strlen(rows[i].in), 1 << 20);
		CHECK_INT(rows[i].name, "messages", g.n, rows[i].n);
		CHECK_BYTES(rows[i].name, "messages", g.all.ptr ? g.all.ptr : "",
		    g.all.len, rows[i].want);
		bnc_buf_deinit(&g.all);
	}
}

/* A large LF mbox with lines of every length from 0 to 96, long lines
 * and long separators, read as LF, CRLF and bare CR: the reader must
 * hand over the same messages whatever the window boundaries cut. */
static void
test_windows(void)
{
	struct bnc_buf lf, crlf, cr;
	struct got g_lf, g_crlf, g_cr;
	size_t i, k;
	char line[128];

	bnc_buf_init(&lf, (size_t)1 << 30);
	bnc_buf_init(&crlf, (size_t)1 << 30);
	bnc_buf_init(&cr, (size_t)1 << 30);
	bnc_buf_adds(&lf, "From first\n");
	for (i = 0; i < 20000; i++) {
		size_t len = i % 97;
		for (k = 0; k < len; k++)
			line[k] = (char)('a' + (i + k) % 26);
		line[len] = '\n';
		bnc_buf_add(&lf, line, len + 1);
		if (i % 1500 == 0)
			bnc_buf_adds(&lf, "From next\n>From quoted\n");
		if (i % 7000 == 0) {
			/* A line of three windows, then a separator line
			 * of one and a half. */
			for (k = 0; k < 3 * BNC_MBOX_WINDOW + 1234; k++)
				bnc_buf_addc(&lf, 'L');
			bnc_buf_adds(&lf, "\nFrom ");
			for (k = 0; k < BNC_MBOX_WINDOW * 3 / 2; k++)
				bnc_buf_addc(&lf, 'S');
			bnc_buf_adds(&lf, "\nafter the long separator\n");
		}
	}
	for (i = 0; i < lf.len; i++) {
		if (lf.ptr[i] == '\n') {
			bnc_buf_add(&crlf, "\r\n", 2);
			bnc_buf_addc(&cr, '\r');
		} else {
			bnc_buf_addc(&crlf, lf.ptr[i]);
			bnc_buf_addc(&cr, lf.ptr[i]);
		}
	}
	read_bytes(&g_lf, lf.ptr, lf.len, (size_t)1 << 26);
	read_bytes(&g_crlf, crlf.ptr, crlf.len, (size_t)1 << 26);
	read_bytes(&g_cr, cr.ptr, cr.len, (size_t)1 << 26);
	/* 14 "From next" and 3 long separators: 18 messages. */
	CHECK_INT("windows: LF", "messages", g_lf.n, 18);
	CHECK_INT("windows: CRLF", "messages", g_crlf.n, g_lf.n);
	CHECK_INT("windows: CR", "messages", g_cr.n, g_lf.n);
	CHECK_TRUE("windows: CRLF", "same bytes as LF", g_crlf.all.len ==
	    g_lf.all.len && memcmp(g_crlf.all.ptr, g_lf.all.ptr,
	    g_lf.all.len) == 0);
	CHECK_TRUE("windows: CR", "same bytes as LF", g_cr.all.len ==
	    g_lf.all.len && memcmp(g_cr.all.ptr, g_lf.all.ptr,
	    g_lf.all.len) == 0);
	/* The bytes are the input less separators and one '>' each. */
	{
		size_t want = lf.len, seps = 0;
		const char *p = lf.ptr, *end = lf.ptr + lf.len;
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t len = (size_t)(nl - p) + 1;
			if (len >= 5 && memcmp(p, "From ", 5) == 0) {
				want -= len;
				seps++;
			} else if (len >= 6 && memcmp(p, ">From ", 6) == 0) {
				want--;
			}
			p = nl + 1;
		}
		size_t got = 0;
		p = g_lf.all.ptr;
		end = p + g_lf.all.len;
		/* Sum the lengths in the "<index:len:truncated>" heads. */
		for (size_t m = 0; m < g_lf.n && p < end; m++) {
			const char *colon = memchr(p, ':', (size_t)(end - p));
			const char *gt = memchr(p, '>', (size_t)(end - p));
			size_t len;
			if (colon == NULL || gt == NULL)
				break;
			len = strtoul(colon + 1, NULL, 10);
			got += len;
			p = gt + 1 + len;
		}
		CHECK_INT("windows: LF", "separators", seps, 18);
		CHECK_INT("windows: LF", "message bytes", got, want);
	}
	bnc_buf_deinit(&g_lf.all);
	bnc_buf_deinit(&g_crlf.all);
	bnc_buf_deinit(&g_cr.all);
	bnc_buf_deinit(&lf);
	bnc_buf_deinit(&crlf);
	bnc_buf_deinit(&cr);
}

static void
test_truncated(void)
{
	struct bnc_buf in;
	struct got g;
	size_t k;

	bnc_buf_init(&in, (size_t)1 << 30);
	bnc_buf_adds(&in, "From a\n");
	for (k = 0; k < 300000; k++)
		bnc_buf_add(&in, "0123456789\n", 11);
	bnc_buf_adds(&in, "From b\nsmall\n");
	read_bytes(&g, in.ptr, in.len, 100000);
	CHECK_INT("over the limit", "messages", g.n, 2);
	CHECK_TRUE("over the limit", "first cut at the limit, flagged",
	    g.all.len > 20 && memcmp(g.all.ptr, "<1:100000:1>", 12) == 0);
	CHECK_TRUE("over the limit", "the next one whole",
	    g.all.len > 20 && memcmp(g.all.ptr + g.all.len - 13,
	    "<2:6:0>small\n", 13) == 0);
	bnc_buf_deinit(&g.all);
	bnc_buf_deinit(&in);
}

/* A separator, or a ">From " line, that the first window cuts
 * after 1 to 6 of its bytes ("Fro" is all the window holds) must still
 * be seen as one. The first window starts after the first separator. */
static void
test_cut_separator(void)
{
	static const char *const second[] = { "From second\n",
		">From quoted\n" };
	size_t k, w, i;

	for (w = 0; w < H_NELEM(second); w++) {
		for (k = 1; k <= 6; k++) {
			struct bnc_buf in;
			struct got g;
			char name[64];
			size_t fill = BNC_MBOX_WINDOW - k;

			bnc_buf_init(&in, (size_t)1 << 30);
			bnc_buf_adds(&in, "From first\n");
			/* Lines of 64 bytes, the last one shorter, all
			 * ending in LF, to fill the window but k bytes. */
			for (i = 0; i + 64 <= fill; i += 64)
				bnc_buf_adds(&in, "0123456789abcdef0123456789"
				    "abcdef0123456789abcdef0123456789abcde\n");
			if (fill - i > 0) {
				for (; i + 1 < fill; i++)
					bnc_buf_addc(&in, 'z');
				bnc_buf_addc(&in, '\n');
			}
			bnc_buf_adds(&in, second[w]);
			bnc_buf_adds(&in, "body\n");
			read_bytes(&g, in.ptr, in.len, (size_t)1 << 20);
			snprintf(name, sizeof(name), "%s cut after %zu",
			    w ? "quoted From" : "separator", k);
			CHECK_INT(name, "messages", g.n, w ? 1 : 2);
			if (w == 1)
				CHECK_TRUE(name, "unquoted", g.all.len > 17 &&
				    memcmp(g.all.ptr + g.all.len - 17,
				    "From quoted\nbody\n", 17) == 0);
			bnc_buf_deinit(&g.all);
			bnc_buf_deinit(&in);
		}
	}
}

/* Messages of max_message - 1, max_message and max_message + 1 bytes,
 * with and without a ">From " line (the message is handed on as a view
 * into the window when it is one stretch of it, else copied): cut and
 * flagged exactly past the limit, unquoted either way. */
static void
test_limit_edges(void)
{
	static const char in[] = "From a\n01234567\n"	/* 9 bytes */
	    "From b\n012345678\n"			/* 10 */
	    "From c\n0123456789\n"			/* 11 */
	    "From d\n>From 789\n"			/* 10, unquoted 9 */
	    "From e\n>From 7890\n"			/* 11, unquoted 10 */
	    "From f\n>From 78901\n"		/* 12, unquoted 11 */
	    "From g\n";					/* empty */
	static const char want[] = "<1:9:0>01234567\n"
	    "<2:10:0>012345678\n"
	    "<3:10:1>0123456789"
	    "<4:9:0>From 789\n"
	    "<5:10:0>From 7890\n"
	    "<6:10:1>From 78901"
	    "<7:0:0>";
	struct got g;

	read_bytes(&g, in, sizeof(in) - 1, 10);
	CHECK_INT("limit edges", "messages", g.n, 7);
	CHECK_BYTES("limit edges", "messages", g.all.ptr, g.all.len, want);
	bnc_buf_deinit(&g.all);
}

/* Messages the reader hands on as clean (no CR, no NUL: the parser
 * does not look for them) never hold either: in every test, and here
 * around NUL bytes, CR line ends and a ">From " line. A message after
 * the last NUL is clean; one whose window holds a NUL further on need
 * not be, nor a copied one (the last of a file, a ">From " one). */
static void
test_clean(void)
{
#define ROW(name, in, n, must) { name, in, sizeof(in) - 1, n, must }
	static const struct {
		const char *name;
		const char *in;
		size_t len;
		size_t n;
		unsigned must;		/* bits of messages that must be
					 * clean */
	} rows[] = {
		ROW("plain", "From a\nx\nFrom b\ny\nFrom c\nz\n", 3, 3),
		ROW("NUL in the second",
		    "From a\nx\nFrom b\ny\0y\nFrom c\nz\nFrom d\nend\n", 4, 4),
		ROW("NUL in the last", "From a\nx\nFrom b\ny\nFrom c\n\0\n", 3,
		    0),
		ROW("CRLF", "From a\r\nx\r\nFrom b\r\ny\r\nFrom c\r\nend\r\n",
		    3, 3),
		ROW("bare CR", "From a\rx\rFrom b\ry\rFrom c\rend\r", 3, 3),
		ROW(">From quoted", "From a\n>From x\nFrom b\ny\nFrom c\nend\n",
		    3, 2),
	};
#undef ROW
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++) {
		struct got g;
		read_bytes(&g, rows[i].in, rows[i].len, (size_t)1 << 20);
		CHECK_INT(rows[i].name, "messages", g.n, rows[i].n);
		CHECK_INT(rows[i].name, "clean with CR or NUL", g.false_clean,
		    0);
		CHECK_INT(rows[i].name, "clean where they must be",
		    g.clean_bits & rows[i].must, rows[i].must);
		bnc_buf_deinit(&g.all);
	}
	/* Windows' worth of messages with CRLF, CR or LF line ends, a NUL
	 * now and then in the first half window: none handed on as clean
	 * holds one, and those read after the last NUL are clean. */
	for (i = 0; i < 3; i++) {
		struct bnc_buf in;
		struct got g;
		unsigned seed = 11 + (unsigned)i;
		size_t k, m;
		const char *eol = i == 0 ? "\r\n" : i == 1 ? "\r" : "\n";

		bnc_buf_init(&in, (size_t)1 << 30);
		for (m = 0; in.len < 3 * BNC_MBOX_WINDOW; m++) {
			bnc_buf_adds(&in, "From x");
			bnc_buf_adds(&in, eol);
			for (k = 0; k < 40; k++) {
				seed = seed * 1103515245u + 12345u;
				bnc_buf_adds(&in, "a line of text");
				if ((seed >> 16) % 97 == 0 &&
				    in.len < BNC_MBOX_WINDOW / 2)
					bnc_buf_addc(&in, '\0');
				bnc_buf_adds(&in, eol);
			}
		}
		read_bytes(&g, in.ptr, in.len, (size_t)1 << 20);
		CHECK_INT("windows of messages", "messages", g.n, m);
		CHECK_INT("windows of messages", "clean with CR or NUL",
		    g.false_clean, 0);
		CHECK_TRUE("windows of messages", "most clean",
		    g.clean > m / 2);
		bnc_buf_deinit(&g.all);
		bnc_buf_deinit(&in);
	}
}

/* A lender of windows (bnc_source_opts.window_get/put) that keeps every
 * window to the end, with what it held when given back, and every
 * message handed on as a view of the window lent last. */
struct lender {
	struct got got;
	char *win[64];
	char *snap[64];		/* the window's bytes when given back */
	size_t nwin, nput, bad_put;
	const char *view[256];
	char *copy[256];	/* the view's bytes when handed on */
	size_t vlen[256], nview, copied;
};

static char *
lend(void *payload)
{
	struct lender *l = payload;

	if (l->nwin == H_NELEM(l->win))
		return NULL;
	l->win[l->nwin] = malloc(BNC_MBOX_WINDOW + 1);
	l->snap[l->nwin] = NULL;
	return l->win[l->nwin++];
}

static void
give_back(void *payload, char *w)
{
	struct lender *l = payload;
	size_t i;

	for (i = 0; i < l->nwin && l->win[i] != w; i++)
		;
	if (i == l->nwin || l->snap[i] != NULL) {
		l->bad_put++;
		return;
	}
	l->snap[i] = malloc(BNC_MBOX_WINDOW);
	memcpy(l->snap[i], w, BNC_MBOX_WINDOW);
	l->nput++;
}

static int
on_lent_message(void *payload, const char *source, size_t index,
    const char *data, size_t len, bool truncated, bool clean)
{
	struct lender *l = payload;
	const char *w = l->nwin ? l->win[l->nwin - 1] : NULL;

	if (w != NULL && data >= w && data + len <= w + BNC_MBOX_WINDOW &&
	    l->nview < H_NELEM(l->view)) {
		l->view[l->nview] = data;
		l->vlen[l->nview] = len;
		l->copy[l->nview] = malloc(len + 1);
		memcpy(l->copy[l->nview], data, len);
		l->nview++;
	} else {
		l->copied++;
	}
	return on_message(&l->got, source, index, data, len, truncated,
	    clean);
}

/* With lent windows the reader hands on the same messages, and never
 * writes to a window again once a message may be a view of it: every
 * view still holds its bytes at the end, and every window what it held
 * when given back. */
static void
test_lent_windows(void)
{
	static struct lender l;	/* large: not on the stack */
	struct bnc_buf in;
	struct got plain;
	struct bnc_source_opts o;
	char path[] = "/tmp/bnc-test-source-XXXXXX";
	struct h_rng rng = { 0x5eed };
	size_t i, k, views_kept = 0, wins_kept = 0;
	int fd;
	FILE *fp;

	bnc_buf_init(&in, (size_t)1 << 30);
	for (i = 0; i < 200; i++) {
		/* Messages of 1 to about 40 KiB, and every 50th of 300 KiB,
		 * longer than a window: views, and copies. */
		size_t lines = i % 50 == 49 ? 6000 : 1 + h_rnd(&rng, 800);
		bnc_buf_printf(&in, "From sender-%zu\n", i);
		bnc_buf_printf(&in, "Subject: message %zu\n\n", i);
		for (k = 0; k < lines; k++)
			bnc_buf_printf(&in, "line %zu of message %zu, text "
			    "text text\n", k, i);
	}
	read_bytes(&plain, in.ptr, in.len, (size_t)1 << 26);

	memset(&l, 0, sizeof(l));
	bnc_buf_init(&l.got.all, (size_t)1 << 30);
	fd = mkstemp(path);
	if (fd < 0 || (fp = fdopen(fd, "wb")) == NULL) {
		printf("cannot make a temporary file\n");
		exit(1);
	}
	fwrite(in.ptr, 1, in.len, fp);
	fclose(fp);
	memset(&o, 0, sizeof(o));
	o.max_message = (size_t)1 << 26;
	o.on_message = on_lent_message;
	o.on_error = on_error;
	o.payload = &l;
	o.window_get = lend;
	o.window_put = give_back;
	bnc_source_read(path, &o);
	unlink(path);

	CHECK_INT("lent windows", "messages", l.got.n, 200);
	CHECK_TRUE("lent windows", "same messages as without",
	    l.got.all.len == plain.all.len && memcmp(l.got.all.ptr,
	    plain.all.ptr, plain.all.len) == 0);
	CHECK_TRUE("lent windows", "more than one window", l.nwin > 10);
	CHECK_INT("lent windows", "windows given back", l.nput, l.nwin);
	CHECK_INT("lent windows", "unknown or twice given back", l.bad_put,
	    0);
	CHECK_TRUE("lent windows", "most messages are views",
	    l.nview > 150 && l.copied >= 4);
	for (i = 0; i < l.nview; i++)
		views_kept += memcmp(l.view[i], l.copy[i], l.vlen[i]) == 0;
	CHECK_INT("lent windows", "views that kept their bytes", views_kept,
	    l.nview);
	for (i = 0; i < l.nwin; i++)
		wins_kept += l.snap[i] != NULL &&
		    memcmp(l.win[i], l.snap[i], BNC_MBOX_WINDOW) == 0;
	CHECK_INT("lent windows", "windows unchanged once given back",
	    wins_kept, l.nwin);
	for (i = 0; i < l.nview; i++)
		free(l.copy[i]);
	for (i = 0; i < l.nwin; i++) {
		free(l.win[i]);
		free(l.snap[i]);
	}
	bnc_buf_deinit(&l.got.all);
	bnc_buf_deinit(&plain.all);
	bnc_buf_deinit(&in);
}

int
main(void)
{
	test_clean();
	test_split();
	test_limit_edges();
	test_windows();
	test_lent_windows();
	test_truncated();
	test_cut_separator();
	CHECK_INT("every test", "clean messages with a CR or a NUL",
	    all_false_clean, 0);
	return h_done("test_source");
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * source.c - files, folders, mbox and stdin. Folders are walked in
 * strcmp() order (not the locale's) so runs are reproducible anywhere;
 * dot files are skipped (maildir's tmp files are not finished mail).
 * mbox detection is by content, as mail tools do: a first line starting
 * with "From " makes an mbox whatever the file is called.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bouncer.h"
#include "../util/alloc.h"
#include "../util/buf.h"
#include "../util/str.h"
#include "source.h"

static void
report_errno(const struct bnc_source_opts *o, const char *path, int e)
{
	char buf[128];

	/* GNU strerror_r (we build with _GNU_SOURCE): returns the text. */
	o->on_error(o->payload, path, strerror_r(e, buf, sizeof(buf)));
}

/* Read one line of any line end (LF, CRLF or bare CR) into *line,
 * ending it with a single LF. Returns its length, or -1 at the end. A
 * line longer than `max` is cut (the rest is read and dropped). Only
 * for the mbox separator line; message text goes through struct
 * mbox_in, which reads blocks. */
static ssize_t
read_line(FILE *fp, struct bnc_buf *line, size_t max)
{
	int c;

	bnc_buf_reset(line);
	while ((c = getc_unlocked(fp)) != EOF) {
		if (c == '\r') {
			int n = getc_unlocked(fp);
			if (n != '\n' && n != EOF)
				ungetc(n, fp);
			c = '\n';
		}
		if (line->len < max)
			bnc_buf_addc(line, (char)c);
		if (c == '\n')
			break;
	}
	if (c == EOF && line->len == 0)
		return -1;
	return (ssize_t)line->len;
}

/* Block reader for mbox text: fills a fixed window with fread() and
 * turns CRLF and bare CR into LF as it goes, so the splitter below
 * works on LF-only bytes with memchr() instead of a getc() per byte.
 * Memory is the window, whatever the size of the mbox. */
#define MBOX_WINDOW BNC_MBOX_WINDOW

struct mbox_in {
	FILE *fp;
	const struct bnc_source_opts *o;	/* window_get/put, when lent */
	char *buf;		/* MBOX_WINDOW bytes, and one for a NUL */
	size_t start, end;	/* unread bytes are buf[start, end) */
	bool eof;
	bool drop_lf;		/* the last block ended in CR: a LF that
				 * starts the next one belongs to it */
	unsigned long long off;	/* where buf[0] is in the text read */
	unsigned long long nul;	/* 1 + where the last NUL read is, or 0 */
	bool nomem;		/* no new window could be had */
};

static char *
window_new(const struct bnc_source_opts *o)
{
	if (o->window_get != NULL)
		return o->window_get(o->payload);
	return bnc_malloc(MBOX_WINDOW + 1);	/* + lf_only()'s NUL */
}

static void
window_drop(const struct bnc_source_opts *o, char *w)
{
	if (w == NULL)
		return;
	if (o->window_put != NULL)
		o->window_put(o->payload, w);
	else
		bnc_free(w);
}

/* Start the window over with its unread bytes at the front: moved in
 * place, or, with lent windows, copied to a new one (messages handed on
 * from the old one may still be in use). false when no new window could
 * be had. */
static bool
window_restart(struct mbox_in *in)
{
	size_t keep = in->end - in->start;

	if (in->o->window_get == NULL) {
		memmove(in->buf, in->buf + in->start, keep);
	} else {
		char *w = in->o->window_get(in->o->payload);
		if (w == NULL) {
			in->nomem = true;
			return false;
		}
		memcpy(w, in->buf + in->start, keep);
		in->o->window_put(in->o->payload, in->buf);
		in->buf = w;
	}
	in->off += in->start;
	in->end = keep;
	in->start = 0;
	return true;
}

/* Does the text at p (in the window) hold no NUL? True when every NUL
 * read so far is before it (all its bytes have been read: it is in the
 * window); a NUL further on only costs the caller a look. */
static bool
no_nul_from(const struct mbox_in *in, const char *p)
{
	return in->nul <= in->off + (unsigned long long)(p - in->buf);
}

/* CRLF -> LF and CR -> LF in p[0, n) in place; the new length. The
 * NUL bytes are found on the way: *nul gets 1 + the offset of the last
 * one in the result, or 0. p[n] must be writable: a NUL put there ends
 * the one pass of strchrnul() that finds the first CR and the NULs
 * before it. */
static size_t
lf_only(struct mbox_in *in, char *p, size_t n, size_t *nul)
{
	size_t i = 0, o;
	const char *q, *z;

	*nul = 0;
	if (n && in->drop_lf && p[0] == '\n')
		i = 1;
	in->drop_lf = false;
	p[n] = '\0';
	for (q = p + i; (q = strchrnul(q, '\r')) < p + n && *q == '\0'; q++)
		*nul = (size_t)(q - p) + 1;
	if (q == p + n) {
		if (i) {
			memmove(p, p + 1, n - 1);
			if (*nul)
				(*nul)--;
		}
		return n - i;
	}
	o = 0;
	for (; i < n; i++) {
		char c = p[i];
		if (c == '\r') {
			if (i + 1 < n) {
				if (p[i + 1] == '\n')
					continue;
			} else {
				in->drop_lf = true;
			}
			c = '\n';
		}
		p[o++] = c;
	}
	z = o ? memrchr(p, '\0', o) : NULL;
	*nul = z ? (size_t)(z - p) + 1 : 0;
	return o;
}

/* Make the unread part hold a whole line if it can: keep what is
 * unread at the front and read behind it. false at the end of input
 * (or on a read error) with nothing left unread. */
static bool
mbox_fill(struct mbox_in *in)
{
	size_t n;

	if (in->start > 0 && !window_restart(in))
		return false;
	while (!in->eof && in->end < MBOX_WINDOW) {
		size_t nul;
		n = fread(in->buf + in->end, 1, MBOX_WINDOW - in->end, in->fp);
		if (n == 0) {
			in->eof = true;
			break;
		}
		n = lf_only(in, in->buf + in->end, n, &nul);
		if (nul)
			in->nul = in->off + in->end + nul;
		in->end += n;
		if (memchr(in->buf, '\n', in->end) != NULL)
			break;
	}
	return in->end > 0;
}

/* Is the line at p (n bytes, LF-only) an mboxrd-quoted ">From "? */
static bool
quoted_from(const char *p, size_t n)
{
	size_t q = 0;

	while (q < n && p[q] == '>')
		q++;
	return q > 0 && n - q >= 5 && memcmp(p + q, "From ", 5) == 0;
}

/* Add n bytes to the message being assembled, up to its maximum; past
 * it the message is cut (mid-line: bnc_message_load() cuts there too)
 * and *truncated set. Out of memory also just cuts. */
static void
keep(struct bnc_buf *msg, const char *p, size_t n, bool *truncated)
{
	if (*truncated || n == 0)
		return;
	if (n > msg->max - msg->len) {
		n = msg->max - msg->len;
		*truncated = true;
	}
	if (bnc_buf_add(msg, p, n) != 0)
		*truncated = true;
}

/* Hand the assembled message on and start the next one. */
static int
emit(const struct bnc_source_opts *o, const char *path, size_t *index,
    struct bnc_buf *msg, bool *truncated)
{
	int rc = o->on_message(o->payload, path, ++*index,
	    msg->ptr ? msg->ptr : "", msg->len, *truncated, false);

	bnc_buf_reset(msg);
	*truncated = false;
	return rc;
}

/* The message being split off, while it is one stretch of the window:
 * handed on as a view into it, not copied. Runs are held while each
 * follows the one before; a run that does not (a ">From " line lost a
 * '>'), a window about to move, or a message cut at max_message puts
 * what is held into the message buffer (keep()). */
struct held {
	const char *p;
	size_t n;
};

static void
flush(struct held *h, struct bnc_buf *msg, bool *truncated)
{
	if (h->n)
		keep(msg, h->p, h->n, truncated);
	h->n = 0;
}

static void
hold(struct held *h, struct bnc_buf *msg, const char *p, size_t n,
    bool *truncated)
{
	if (n == 0)
		return;
	if (h->n && h->p + h->n == p) {
		h->n += n;
		return;
	}
	flush(h, msg, truncated);
	h->p = p;
	h->n = n;
}

/* emit() of the held view when it is the whole message (its bytes are
 * the window's: LF line ends, and no NUL as the reader tells). */
static int
emit_held(const struct bnc_source_opts *o, const char *path, size_t *index,
    struct bnc_buf *msg, struct held *h, bool *truncated,
    const struct mbox_in *in)
{
	int rc;

	if (msg->len != 0 || *truncated || h->n == 0 || h->n > msg->max) {
		flush(h, msg, truncated);
		return emit(o, path, index, msg, truncated);
	}
	rc = o->on_message(o->payload, path, ++*index, h->p, h->n, false,
	    no_nul_from(in, h->p));
	h->n = 0;
	return rc;
}

/* Stream an mbox from `fp` (its first "From " line already read): split
 * at lines starting with "From ". Unchanged lines are taken in runs,
 * one hold() per run, not per line or per byte. */
static int
read_mbox(FILE *fp, const char *path, const struct bnc_source_opts *o)
{
	struct mbox_in in = { fp, o, NULL, 0, 0, false, false, 0, 0, false };
	struct bnc_buf msg;
	struct held h = { NULL, 0 };
	size_t index = 0;
	bool truncated = false, have = false, at_line_start = true;
	bool in_sep = false;	/* inside a separator line longer than
				 * the window: drop until its end */
	int rc = 0;

	in.buf = window_new(o);
	if (in.buf == NULL) {
		o->on_error(o->payload, path, "out of memory");
		return BNC_ENOMEM;
	}
	bnc_buf_init(&msg, o->max_message);
	for (;;) {
		char *p, *end, *run, *nl;

		if (in.start == in.end) {
			flush(&h, &msg, &truncated);
			if (!mbox_fill(&in))
				break;
		}
		p = run = in.buf + in.start;
		end = in.buf + in.end;
		while (p < end) {
			size_t len;

			/* Whole lines that start with neither 'F' nor '>'
			 * are text whatever follows: step over them. */
			if (at_line_start && !in_sep && p[0] != 'F' &&
			    p[0] != '>') {
				struct bnc_str w = bnc_str_make(p,
				    (size_t)(end - p));
				size_t next = bnc_str_next_line_with(w, 0, 'F',
				    '>');
				if (next == w.len) {
					const char *last = memrchr(p, '\n',
					    w.len);
					next = last ? (size_t)(last + 1 - p) : 0;
				}
				if (next > 0) {
					have = true;
					p += next;
					continue;
				}
			}
			nl = memchr(p, '\n', (size_t)(end - p));
			/* A line start whose line end is not in the window:
			 * read more first, so "From " is judged on a whole
			 * line ("Fro" may be all the window holds), or on a
			 * full window of a longer line. */
			if (nl == NULL && at_line_start && !in.eof &&
			    !(p == in.buf && in.end == MBOX_WINDOW))
				break;
			len = nl ? (size_t)(nl + 1 - p) : (size_t)(end - p);
			if (in_sep) {
				run = p + len;
			} else if (at_line_start && len >= 5 &&
			    memcmp(p, "From ", 5) == 0) {
				hold(&h, &msg, run, (size_t)(p - run),
				    &truncated);
				/* A separator right after the first one
				 * ends no message. */
				if (have) {
					rc = emit_held(o, path, &index, &msg,
					    &h, &truncated, &in);
					if (rc)
						goto out;
				}
				flush(&h, &msg, &truncated);
				run = p + len;
				in_sep = true;
			} else if (at_line_start && p[0] == '>' &&
			    quoted_from(p, len)) {
				hold(&h, &msg, run, (size_t)(p - run),
				    &truncated);
				run = p + 1;	/* drop one '>' */
			}
			have = true;
			at_line_start = nl != NULL;
			if (at_line_start)
				in_sep = false;
			p += len;
		}
		hold(&h, &msg, run, (size_t)(p - run), &truncated);
		in.start = (size_t)(p - in.buf);
		if (p < end) {
			/* The cut line to the front, more: the window
			 * moves. */
			flush(&h, &msg, &truncated);
			if (!mbox_fill(&in) && in.nomem)
				break;
		}
	}
	if (in.nomem) {
		o->on_error(o->payload, path, "out of memory");
		rc = BNC_ENOMEM;
		goto out;
	}
	if (ferror(fp)) {
		report_errno(o, path, errno);
		rc = BNC_EIO;
	}
	if (have) {
		int r = emit_held(o, path, &index, &msg, &h, &truncated,
		    &in);
		if (r)
			rc = r;
	}
out:
	bnc_buf_deinit(&msg);
	window_drop(o, in.buf);
	return rc;
}

/* One message from `fp`, or an mbox when it starts with "From ". */
static int
read_stream(FILE *fp, const char *path, const struct bnc_source_opts *o)
{
	struct bnc_buf msg;
	char chunk[65536];
	size_t n;
	bool truncated = false;
	int c, rc;

	c = getc(fp);
	if (c == EOF) {
		if (ferror(fp)) {
			report_errno(o, path, errno);
			return BNC_EIO;
		}
		return o->on_message(o->payload, path, 1, "", 0, false, false);
	}
	ungetc(c, fp);
	if (c == 'F') {
		char head[5];
		size_t got = fread(head, 1, sizeof(head), fp);
		if (got == 5 && memcmp(head, "From ", 5) == 0) {
			/* Drop the rest of the separator line. */
			struct bnc_buf sep;
			bnc_buf_init(&sep, 1024);
			read_line(fp, &sep, 1024);
			bnc_buf_deinit(&sep);
			return read_mbox(fp, path, o);
		}
		bnc_buf_init(&msg, o->max_message);
		if (bnc_buf_add(&msg, head, got) != 0)
			truncated = true;
	} else {
		bnc_buf_init(&msg, o->max_message);
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (!truncated && bnc_buf_add(&msg, chunk, n) != 0) {
			size_t room = msg.max - msg.len;
			if (bnc_buf_add(&msg, chunk, room) != 0) {
				bnc_buf_deinit(&msg);
				o->on_error(o->payload, path, "out of memory");
				return BNC_ENOMEM;
			}
			truncated = true;
		}
	}
	if (ferror(fp)) {
		report_errno(o, path, errno);
		bnc_buf_deinit(&msg);
		return BNC_EIO;
	}
	rc = o->on_message(o->payload, path, 1, msg.ptr ? msg.ptr : "",
	    msg.len, truncated, false);
	bnc_buf_deinit(&msg);
	return rc;
}

static int
read_file(const char *path, const struct bnc_source_opts *o)
{
	FILE *fp = fopen(path, "rb");
	int rc;

	if (fp == NULL) {
		report_errno(o, path, errno);
		return BNC_EIO;
	}
	rc = read_stream(fp, path, o);
	fclose(fp);
	return rc;
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int read_path(const char *path, const struct bnc_source_opts *o,
    unsigned depth);

static int
read_dir(const char *path, const struct bnc_source_opts *o, unsigned depth)
{
	struct dirent **names;
	int i, n, rc = 0, r;

	if (depth > 32) {
		o->on_error(o->payload, path, "folders nested too deep");
		return BNC_EIO;
	}
	n = scandir(path, &names, NULL, by_name);
	if (n < 0) {
		report_errno(o, path, errno);
		return BNC_EIO;
	}
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		size_t len = strlen(path) + strlen(name) + 2;
		char *child;

		if (name[0] == '.' || rc > 0) {
			free(names[i]);
			continue;
		}
		child = bnc_malloc(len);
		if (child == NULL) {
			free(names[i]);
			rc = BNC_ENOMEM;
			continue;
		}
		snprintf(child, len, "%s%s%s", path,
		    path[strlen(path) - 1] == '/' ? "" : "/", name);
		r = read_path(child, o, depth + 1);
		if (r > 0)
			rc = r;	/* the callback asked to stop */
		else if (r < 0 && rc == 0)
			rc = r;
		bnc_free(child);
		free(names[i]);
	}
	free(names);
	return rc;
}

static int
read_path(const char *path, const struct bnc_source_opts *o, unsigned depth)
{
	struct stat st;

	/* Inside a folder, do not follow links to folders (a link back up
	 * would loop) and read only regular files (a FIFO would block). The
	 * paths given on the command line are taken as they are. */
	if (depth > 0) {
		if (lstat(path, &st) != 0) {
			report_errno(o, path, errno);
			return BNC_EIO;
		}
		if (S_ISLNK(st.st_mode)) {
			if (stat(path, &st) != 0) {
				report_errno(o, path, errno);
				return BNC_EIO;
			}
			if (S_ISDIR(st.st_mode))
				return 0;
		}
		if (S_ISDIR(st.st_mode))
			return read_dir(path, o, depth);
		if (!S_ISREG(st.st_mode))
			return 0;
		return read_file(path, o);
	}
	if (stat(path, &st) != 0) {
		report_errno(o, path, errno);
		return BNC_EIO;
	}
	if (S_ISDIR(st.st_mode))
		return read_dir(path, o, depth);
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) &&
	    !S_ISCHR(st.st_mode)) {
		o->on_error(o->payload, path, "not a file or folder");
		return BNC_EIO;
	}
	return read_file(path, o);
}

int
bnc_source_read(const char *path, const struct bnc_source_opts *o)
{
	if (strcmp(path, "-") == 0)
		return read_stream(stdin, "-", o);
	return read_path(path, o, 0);
}

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
 * line longer than `max` is cut (the rest is read and dropped). */
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

/* Stream an mbox from `fp` (its first "From " line already read): split
 * at lines starting with "From ". */
static int
read_mbox(FILE *fp, const char *path, const struct bnc_source_opts *o)
{
	struct bnc_buf msg, line;
	size_t index = 0;
	ssize_t n;
	bool truncated = false, have = false;
	int rc = 0;

	bnc_buf_init(&msg, o->max_message);
	bnc_buf_init(&line, o->max_message + 2);
	while ((n = read_line(fp, &line, o->max_message)) >= 0) {
		const char *p = line.ptr;
		size_t k = (size_t)n;

		if (k >= 5 && memcmp(p, "From ", 5) == 0) {
			if (have) {
				rc = o->on_message(o->payload, path, ++index,
				    msg.ptr ? msg.ptr : "", msg.len, truncated);
				if (rc)
					goto out;
			}
			bnc_buf_reset(&msg);
			truncated = false;
			have = true;
			continue;	/* the separator is not part of it */
		}
		have = true;
		/* mboxrd: ">From " in a body was "From " before quoting. */
		if (k >= 6 && p[0] == '>') {
			size_t q = 0;
			while (q < k && p[q] == '>')
				q++;
			if (k - q >= 5 && memcmp(p + q, "From ", 5) == 0) {
				p++;
				k--;
			}
		}
		if (!truncated && bnc_buf_add(&msg, p, k) != 0)
			truncated = true;
	}
	if (ferror(fp)) {
		report_errno(o, path, errno);
		rc = BNC_EIO;
	}
	if (have) {
		int r = o->on_message(o->payload, path, ++index,
		    msg.ptr ? msg.ptr : "", msg.len, truncated);
		if (r)
			rc = r;
	}
out:
	bnc_buf_deinit(&line);
	bnc_buf_deinit(&msg);
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
		return o->on_message(o->payload, path, 1, "", 0, false);
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
	    msg.len, truncated);
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

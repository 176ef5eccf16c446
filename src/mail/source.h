/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * source.h - where messages come from: a single file, a maildir or any
 * folder (recursively, in byte-wise sorted order), an mbox file (any file
 * whose first line starts with "From "), or standard input ("-").
 *
 * Inside folders, links to folders are not followed and only regular
 * files are read. Messages are handed to a callback one at a time; an mbox is streamed,
 * so memory stays bounded by the largest message kept (max_message).
 */
#ifndef BNC_MAIL_SOURCE_H
#define BNC_MAIL_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

/* The bytes of an mbox read at a time. A message that is one stretch
 * of the window is handed on where it is; one that straddles two
 * windows is copied: 256 KiB makes those a quarter of what 64 KiB did
 * (800 fewer instructions a message on the benchmark's mbox) and
 * still fits the caches the splitter reads it from. */
#define BNC_MBOX_WINDOW ((size_t)1 << 18)

/* One message: `source` is the path as given (or the file found under
 * it), `index` its 1-based number in that file, `truncated` when bytes
 * past max_message were dropped, `clean` when the bytes are known to
 * hold no CR and no NUL (the mbox reader has made the line ends LF and
 * seen no NUL; bnc_message_load() then need not look for them). Return
 * 0 to go on, non-zero to stop. */
typedef int (*bnc_source_message_fn)(void *payload, const char *source,
    size_t index, const char *data, size_t len, bool truncated, bool clean);
/* A path that could not be read; `why` is a short human text. */
typedef void (*bnc_source_error_fn)(void *payload, const char *source,
    const char *why);

struct bnc_source_opts {
	size_t max_message;		/* bytes kept per message */
	bnc_source_message_fn on_message;
	bnc_source_error_fn on_error;
	void *payload;
	/* Optional, both or neither: where the mbox reader's windows
	 * (BNC_MBOX_WINDOW + 1 bytes each) come from and go back to. With
	 * them the reader never writes to a window again once it may have
	 * handed on a message from it: it copies the unread bytes to a new
	 * window instead of moving them to the front. A message that is a
	 * view of the window window_get() returned last then stays valid
	 * after on_message() returns, until the caller reuses the window it
	 * got back, so a consumer can keep messages without copying them
	 * (the -j N pool). Messages that are not such views (one that
	 * straddled two windows, or had a ">From " line unquoted) are the
	 * reader's and valid during the call only. window_get() returns NULL
	 * when out of memory. */
	char *(*window_get)(void *payload);
	void (*window_put)(void *payload, char *window);
};

/* Read `path` ("-" for stdin). Returns 0 when every file was read,
 * BNC_EIO when some were not (each reported through on_error), or the
 * callback's non-zero value when it asked to stop. */
int bnc_source_read(const char *path, const struct bnc_source_opts *o);

#endif

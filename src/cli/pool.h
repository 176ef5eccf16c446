/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pool.h - decode messages on N worker threads while the results come
 * back in input order (`bouncer parse -j N`).
 *
 * The submitting thread hands over one message at a time (an mbox's
 * messages in place, in the reading windows the pool lends: see
 * bnc_pool_window_get()); the pool gathers them into batches (up to
 * BNC_POOL_BATCH_MSGS messages or BNC_POOL_BATCH_BYTES bytes, of one
 * source or of many: a maildir's files), so that threads meet once
 * per batch, not once per message: a message costs some tens of
 * microseconds, a hand-over between threads a few. A worker parses the
 * messages of its batch and turns each result into output bytes with the
 * render callback, on its own thread; the submitting thread writes the
 * bytes of each batch, strictly in input order, with the deliver
 * callback, and is itself the last of the `jobs` threads: when the ring
 * is full it parses a batch no worker has taken. A bounded ring of batches (BNC_POOL_SLOTS_PER_JOB per
 * worker) bounds memory whatever the input.
 *
 * The bnc_ctx is shared read-only by the workers (bouncer.h: immutable,
 * shareable); each report belongs to one worker, which frees it once
 * rendered.
 */
#ifndef BNC_CLI_POOL_H
#define BNC_CLI_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "bouncer.h"
#include "../util/buf.h"

/* Batches per worker: enough that a worker never waits for the writer
 * while one slow batch holds the head of the line. */
#define BNC_POOL_SLOTS_PER_JOB 4u
/* A batch is handed to a worker at this many messages or bytes. With
 * messages decoded in a few microseconds, smaller batches made -j 2 pay
 * a context switch every few dozen messages (1.74x -j 1 on the 20-copy
 * benchmark; 1.80x with these). */
#define BNC_POOL_BATCH_MSGS 128u
#define BNC_POOL_BATCH_BYTES ((size_t)512 << 10)
/* Most worker threads accepted (-j). */
#define BNC_POOL_MAX_JOBS 256u

/* What the render callback made of the messages of one batch. */
struct bnc_pool_out {
	struct bnc_buf data;	/* formatted records */
	size_t records;		/* how many records `data` holds */
	struct bnc_buf notes;	/* text for the user (stderr) */
	bool failed;		/* some message could not be parsed */
	bool broken;		/* rendering failed: stop */
};

/* Called on a worker thread, for each message, in input order within a
 * batch: `rc` is bnc_parse()'s result; on 0, `rep` holds the records
 * (valid during the call only), else `err` says why. Must only read
 * what the threads share. */
typedef void (*bnc_pool_render_fn)(void *payload, struct bnc_pool_out *out,
    const char *source, size_t index, bool truncated, int rc,
    const struct bnc_report *rep, const struct bnc_error *err);
/* Called on the submitting thread for each batch, in input order.
 * Return non-zero to stop: later batches are then dropped. */
typedef int (*bnc_pool_deliver_fn)(void *payload,
    const struct bnc_pool_out *out);

struct bnc_pool;

/* Start `jobs` - 1 workers (jobs 1 .. BNC_POOL_MAX_JOBS; the submitting
 * thread is the last). 0, BNC_EINVAL or BNC_ENOMEM (also when a thread
 * cannot be started). */
int bnc_pool_new(struct bnc_pool **out, const struct bnc_ctx *ctx,
    unsigned jobs, bnc_pool_render_fn render, bnc_pool_deliver_fn deliver,
    void *payload);

/* The mbox reader's windows (bnc_source_opts.window_get and
 * window_put), lent by the pool: a message submitted as a view of the
 * window got last is kept where it is, not copied, and the window is
 * reused once the batches with views of it are delivered. NULL when out
 * of memory. */
char *bnc_pool_window_get(struct bnc_pool *p);
void bnc_pool_window_put(struct bnc_pool *p, char *window);

/* Queue one message: a view of the pool's window as it is (see
 * bnc_pool_window_get()), anything else as a copy. Blocks while the
 * ring is full, delivering finished batches meanwhile. Returns 0,
 * BNC_ENOMEM, or the non-zero value of a deliver() call that asked to
 * stop. */
int bnc_pool_submit(struct bnc_pool *p, const char *source, size_t index,
    const char *data, size_t len, bool truncated, bool clean);

/* Wait for every queued message and deliver it. Returns 0 or the value
 * of a deliver() call that asked to stop. */
int bnc_pool_finish(struct bnc_pool *p);

/* Stop and join the workers (after bnc_pool_finish(), or to abandon
 * the queue). Accepts NULL. */
void bnc_pool_free(struct bnc_pool *p);

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pool.h - decode messages on N worker threads while the results come
 * back in input order (`bouncer parse -j N`).
 *
 * The submitting thread hands over one message at a time; a bounded ring
 * of slots holds the messages in flight and their reports, so memory is
 * bounded by the ring (BNC_POOL_SLOTS_PER_JOB slots per worker), not by
 * the input. Results are delivered through a callback, on the submitting
 * thread only, strictly in the order the messages were submitted, as
 * soon as every earlier one is done: the output keeps streaming.
 *
 * The bnc_ctx is shared read-only by the workers (bouncer.h: immutable,
 * shareable); each report belongs to one slot and so to one thread at a
 * time.
 */
#ifndef BNC_CLI_POOL_H
#define BNC_CLI_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "bouncer.h"

/* Slots per worker: enough that a worker never waits for the writer
 * while one slow message holds the head of the line. */
#define BNC_POOL_SLOTS_PER_JOB 4u
/* Most worker threads accepted (-j). */
#define BNC_POOL_MAX_JOBS 256u

/* One finished message, in input order. `rc` is bnc_parse()'s result;
 * on 0, `rep` holds the records (borrowed: the pool frees it after the
 * call), else `err` says why. Return non-zero to stop: later messages
 * are then dropped without a call. */
typedef int (*bnc_pool_done_fn)(void *payload, const char *source,
    size_t index, bool truncated, int rc, const struct bnc_report *rep,
    const struct bnc_error *err);

struct bnc_pool;

/* Start `jobs` workers (1 .. BNC_POOL_MAX_JOBS). 0, BNC_EINVAL or
 * BNC_ENOMEM (also when a thread cannot be started). */
int bnc_pool_new(struct bnc_pool **out, const struct bnc_ctx *ctx,
    unsigned jobs, bnc_pool_done_fn done, void *payload);

/* Queue a copy of one message; blocks while the ring is full, delivering
 * finished messages meanwhile. Returns 0, BNC_ENOMEM, or the non-zero
 * value of a done() call that asked to stop. */
int bnc_pool_submit(struct bnc_pool *p, const char *source, size_t index,
    const char *data, size_t len, bool truncated);

/* Wait for every queued message and deliver it. Returns 0 or the value
 * of a done() call that asked to stop. */
int bnc_pool_finish(struct bnc_pool *p);

/* Stop and join the workers (after bnc_pool_finish(), or to abandon
 * the queue). Accepts NULL. */
void bnc_pool_free(struct bnc_pool *p);

#endif

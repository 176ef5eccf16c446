/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pool.c - the ordered worker pool behind `bouncer parse -j N`.
 *
 * A ring of slots, numbered by sequence: [tail, head) are in flight.
 * The submitter fills slot `head` (no lock needed: no worker looks at a
 * slot before head passes it), workers take slots from `next` on, and
 * the submitter delivers slot `tail` once its worker marked it done.
 * One mutex guards the counters and the done flags; messages are copied
 * and parsed outside it. Deliberately simple: one lock, two condition
 * variables, no lock-free tricks; a message costs far more than a lock.
 */
#include <pthread.h>
#include <string.h>

#include "../util/alloc.h"
#include "../util/buf.h"
#include "pool.h"

/* A slot whose message buffer grew past this gives the memory back
 * after use, so one huge message does not pin its size in every slot. */
#define SLOT_KEEP ((size_t)1 << 20)

struct slot {
	struct bnc_buf msg;		/* the message copy */
	char *source;			/* owned copy of the path */
	size_t source_cap;
	size_t index;
	bool truncated;
	bool done;			/* parsed; guarded by the mutex */
	int rc;
	struct bnc_report *rep;
	struct bnc_error err;
};

struct bnc_pool {
	const struct bnc_ctx *ctx;
	bnc_pool_done_fn done;
	void *payload;
	pthread_mutex_t mu;
	pthread_cond_t work;		/* a slot to parse, or quit */
	pthread_cond_t ready;		/* a slot was parsed */
	struct slot *slots;
	size_t nslots;
	size_t head, next, tail;	/* sequence numbers, see above */
	bool quit;
	int stop;			/* first non-zero done() value */
	pthread_t *threads;
	unsigned nthreads;
};

static void *
worker(void *arg)
{
	struct bnc_pool *p = arg;
	struct slot *s;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->quit && p->next == p->head)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->next == p->head)
			break;	/* quit, and nothing left to take */
		s = &p->slots[p->next % p->nslots];
		p->next++;
		pthread_mutex_unlock(&p->mu);
		s->rc = bnc_parse(&s->rep, p->ctx, s->msg.ptr ? s->msg.ptr : "",
		    s->msg.len, &s->err);
		pthread_mutex_lock(&p->mu);
		s->done = true;
		/* The submitter waits for one particular slot: wake it for
		 * each, it checks. */
		pthread_cond_broadcast(&p->ready);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Hand slot `tail` to done() and free it. Called without the lock: the
 * slot is done and no worker touches it again until it is refilled. */
static void
deliver(struct bnc_pool *p, struct slot *s)
{
	if (p->stop == 0)
		p->stop = p->done(p->payload, s->source, s->index,
		    s->truncated, s->rc, s->rep, &s->err);
	bnc_report_free(s->rep);
	s->rep = NULL;
	if (s->msg.alloc > SLOT_KEEP)
		bnc_buf_deinit(&s->msg);
	bnc_buf_reset(&s->msg);
}

/* Deliver the finished slots at the tail; with `wait`, block until at
 * least one is delivered. Called and returns with the lock held. */
static void
drain(struct bnc_pool *p, bool wait)
{
	struct slot *s;

	while (p->tail < p->head) {
		s = &p->slots[p->tail % p->nslots];
		if (!s->done) {
			if (!wait)
				return;
			pthread_cond_wait(&p->ready, &p->mu);
			continue;
		}
		pthread_mutex_unlock(&p->mu);
		deliver(p, s);
		pthread_mutex_lock(&p->mu);
		s->done = false;
		p->tail++;
		wait = false;
	}
}

int
bnc_pool_new(struct bnc_pool **out, const struct bnc_ctx *ctx, unsigned jobs,
    bnc_pool_done_fn done, void *payload)
{
	struct bnc_pool *p;
	size_t i, n;

	*out = NULL;
	if (ctx == NULL || done == NULL || jobs == 0 || jobs > BNC_POOL_MAX_JOBS)
		return BNC_EINVAL;
	p = bnc_calloc(1, sizeof(*p));
	if (p == NULL)
		return BNC_ENOMEM;
	p->ctx = ctx;
	p->done = done;
	p->payload = payload;
	p->nslots = (size_t)jobs * BNC_POOL_SLOTS_PER_JOB;
	if (!bnc_size_mul(&n, p->nslots, sizeof(*p->slots)) ||
	    (p->slots = bnc_calloc(1, n)) == NULL ||
	    (p->threads = bnc_calloc(jobs, sizeof(*p->threads))) == NULL) {
		bnc_free(p->slots);
		bnc_free(p);
		return BNC_ENOMEM;
	}
	for (i = 0; i < p->nslots; i++)
		bnc_buf_init(&p->slots[i].msg, (size_t)-1 / 2);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->ready, NULL);
	for (i = 0; i < jobs; i++) {
		if (pthread_create(&p->threads[i], NULL, worker, p) != 0)
			break;
		p->nthreads++;
	}
	if (p->nthreads < jobs) {
		bnc_pool_free(p);
		return BNC_ENOMEM;
	}
	*out = p;
	return 0;
}

int
bnc_pool_submit(struct bnc_pool *p, const char *source, size_t index,
    const char *data, size_t len, bool truncated)
{
	struct slot *s;
	size_t slen = strlen(source) + 1;
	int rc;

	pthread_mutex_lock(&p->mu);
	drain(p, p->head - p->tail == p->nslots);
	pthread_mutex_unlock(&p->mu);
	if (p->stop)
		return p->stop;
	/* Slot `head` is free and only ours until head moves on. */
	s = &p->slots[p->head % p->nslots];
	if (slen > s->source_cap) {
		char *n = bnc_realloc(s->source, slen);
		if (n == NULL)
			return BNC_ENOMEM;
		s->source = n;
		s->source_cap = slen;
	}
	memcpy(s->source, source, slen);
	bnc_buf_reset(&s->msg);
	rc = bnc_buf_add(&s->msg, data, len);
	if (rc)
		return rc;
	s->index = index;
	s->truncated = truncated;
	s->rep = NULL;
	s->rc = 0;
	memset(&s->err, 0, sizeof(s->err));
	pthread_mutex_lock(&p->mu);
	p->head++;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

int
bnc_pool_finish(struct bnc_pool *p)
{
	pthread_mutex_lock(&p->mu);
	while (p->tail < p->head)
		drain(p, true);
	pthread_mutex_unlock(&p->mu);
	return p->stop;
}

void
bnc_pool_free(struct bnc_pool *p)
{
	size_t i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	/* Messages queued but never delivered (an abandoned queue). */
	for (i = 0; i < p->nslots; i++) {
		bnc_report_free(p->slots[i].rep);
		bnc_buf_deinit(&p->slots[i].msg);
		bnc_free(p->slots[i].source);
	}
	pthread_cond_destroy(&p->ready);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->mu);
	bnc_free(p->threads);
	bnc_free(p->slots);
	bnc_free(p);
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench_store.c - throughput of the store on one backend:
 *
 *     bench_store TARGET [RECORDS]
 *
 * TARGET is a SQLite file (removed first) or an empty PostgreSQL
 * database URL. Ingests RECORDS synthetic classified records (default
 * 200000: half hard, a quarter soft over several campaigns, the rest
 * gray, complaint, delivered and auto-reply; addresses recur so streaks,
 * retries and state changes all happen) through bnc_store_ingest_many()
 * in batches of 5000, a transaction each (as bouncer ingest), then looks
 * up RECORDS addresses (half known) with bnc_store_check_many(), 1000 at
 * a time (as bouncer check), and prints records/s and look-ups/s. Timed: the
 * identity and event-key hashes and everything in the store; not timed:
 * making up the synthetic strings. Parsing is not included: bench/store.sh
 * times the CLI end to end as well.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"
#include "util/sha256.h"

/* Records per transaction (bouncer ingest's default --batch) and
 * addresses per look-up (as bouncer check asks them). */
#define BATCH 5000
#define CHECKS 1000

static double
clock_s(clockid_t id)
{
	struct timespec t;

	clock_gettime(id, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double
now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

/* CPU time of this process: on a shared machine the wall clock also
 * counts what others ran; both are printed. */
static double
cpu(void)
{
	return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

int
main(int argc, char **argv)
{
	static const struct {
		enum bnc_class cls;
		const char *status;
		unsigned weight;	/* of 20 */
	} mix[] = {
		{ BNC_CLASS_HARD, "5.1.1", 10 },
		{ BNC_CLASS_SOFT, "4.2.2", 5 },
		{ BNC_CLASS_GRAY, "4.7.0", 2 },
		{ BNC_CLASS_COMPLAINT, "", 1 },
		{ BNC_CLASS_DELIVERED, "2.0.0", 1 },
		{ BNC_CLASS_AUTO_REPLY, "", 1 },
	};
	struct gen {
		char rcpt[80], campaign[32], msgid[80], bounce[32];
		char at[BNC_TIME_LEN];
	} *gen;
	struct bnc_policy p = BNC_POLICY_INIT;
	struct bnc_store *s;
	struct bnc_error err;
	const char *target;
	static struct bnc_record recs[BATCH];
	static struct bnc_event evs[BATCH];
	static struct bnc_ingest_result res[BATCH];
	static char keys[BATCH][BNC_EVENT_KEY_LEN];
	static const char *addrs_in[CHECKS];
	static struct bnc_check checks[CHECKS];
	unsigned long n = 200000, i, addrs, found = 0;
	double t0, t1, c0, c1;
	char path[600];

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: bench_store TARGET [RECORDS]\n");
		return 2;
	}
	target = argv[1];
	if (argc == 3)
		n = strtoul(argv[2], NULL, 10);
	if (n < 1000)
		n = 1000;
	addrs = n / 2;
	if (strncmp(target, "postgres", 8) != 0) {
		unlink(target);
		snprintf(path, sizeof(path), "%s-wal", target);
		unlink(path);
		snprintf(path, sizeof(path), "%s-shm", target);
		unlink(path);
	}
	if (bnc_store_open(&s, target, 0, &err) != 0) {
		fprintf(stderr, "bench_store: %s\n", err.msg);
		return 1;
	}
	/* The synthetic input is made before the clock starts: formatting
	 * it is not the store's work. Hashing the bounce identity and the
	 * event key is (bouncer ingest does both), so that stays timed. */
	gen = calloc(n, sizeof(*gen));
	if (gen == NULL) {
		fprintf(stderr, "bench_store: out of memory\n");
		return 1;
	}
	for (i = 0; i < n; i++) {
		snprintf(gen[i].rcpt, sizeof(gen[i].rcpt),
		    "user%lu@d%lu.example.com", i % addrs, i % 50);
		snprintf(gen[i].campaign, sizeof(gen[i].campaign), "c%lu",
		    i / 5000);
		snprintf(gen[i].msgid, sizeof(gen[i].msgid),
		    "<m%lu.c%lu@example.com>", i % addrs, i / 5000);
		snprintf(gen[i].bounce, sizeof(gen[i].bounce), "bounce-%lu", i);
		bnc_time_format(gen[i].at, 1714521600LL + (long long)i * 10);
	}
	t0 = now();
	c0 = cpu();
	for (i = 0; i < n; i++) {
		const char *rcpt = gen[i].rcpt, *campaign = gen[i].campaign;
		const char *msgid = gen[i].msgid, *bounce = gen[i].bounce;
		const char *at = gen[i].at;
		struct bnc_record *r = &recs[i % BATCH];
		struct bnc_event *ev = &evs[i % BATCH];
		unsigned char ident[32];
		struct bnc_sha256 h;
		unsigned w = (unsigned)(i * 7 % 20), k = 0;

		while (w >= mix[k].weight) {
			w -= mix[k].weight;
			k++;
		}
		bnc_sha256_init(&h);
		bnc_sha256_update(&h, bounce, strlen(bounce));
		bnc_sha256_final(&h, ident);
		memset(r, 0, sizeof(*r));
		r->recipient = rcpt;
		r->sender = r->reply_code = r->diagnostic = "";
		r->diagnostic_type = r->dsn_action = r->remote_mta = "";
		r->reporting_mta = r->smtp_command = r->list_id = "";
		r->feedback_type = r->timestamp = r->mta = r->provider = "";
		r->reason = r->rule = "";
		r->status = mix[k].status;
		r->campaign = campaign;
		r->message_id = msgid;
		r->cls = mix[k].cls;
		r->action = BNC_ACTION_NONE;
		bnc_event_key(keys[i % BATCH], ident, rcpt);
		memset(ev, 0, sizeof(*ev));
		ev->key = keys[i % BATCH];
		ev->rec = r;
		ev->campaign = campaign;
		ev->source = "bench";
		ev->message = (long long)i;
		ev->at = at;
		/* A batch per transaction, as bouncer ingest does. */
		if ((i + 1) % BATCH == 0 || i + 1 == n) {
			size_t m = i % BATCH + 1;
			if (bnc_store_begin(s) != 0 ||
			    bnc_store_ingest_many(s, &p, evs, m, res, NULL) != 0 ||
			    bnc_store_commit(s) != 0)
				goto out_fail;
		}
	}
	t1 = now();
	c1 = cpu();
	printf("%s ingest: %lu records in %.2f s = %.0f records/s (this "
	    "process's CPU: %.2f s = %.0f records per CPU-second)\n",
	    bnc_store_backend(s), n, t1 - t0, (double)n / (t1 - t0), c1 - c0,
	    (double)n / (c1 - c0));
	fflush(stdout);

	/* Every other look-up is an address the store never saw. */
	for (i = 0; i < n; i++)
		snprintf(gen[i].rcpt, sizeof(gen[i].rcpt),
		    "%s%lu@d%lu.example.com", i % 2 ? "other" : "user",
		    i % addrs, i % 50);
	t0 = now();
	c0 = cpu();
	for (i = 0; i < n; i += CHECKS) {
		size_t m = n - i < CHECKS ? n - i : CHECKS, j;

		for (j = 0; j < m; j++)
			addrs_in[j] = gen[i + j].rcpt;
		if (bnc_store_check_many(s, addrs_in, m, checks, NULL) != 0)
			goto out_fail;
		for (j = 0; j < m; j++)
			found += checks[j].known;
	}
	t1 = now();
	c1 = cpu();
	printf("%s check: %lu look-ups (%lu known) in %.2f s = %.0f "
	    "look-ups/s (CPU: %.2f s = %.0f per CPU-second)\n",
	    bnc_store_backend(s), n, found, t1 - t0, (double)n / (t1 - t0),
	    c1 - c0, (double)n / (c1 - c0));
	bnc_store_close(s);
	free(gen);
	return 0;

out_fail:
	fprintf(stderr, "bench_store: %s\n", bnc_store_errmsg(s));
	bnc_store_close(s);
	free(gen);
	return 1;
}

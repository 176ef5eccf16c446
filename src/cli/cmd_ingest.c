/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cmd_ingest.c - `bouncer ingest`: parse bounces as `bouncer parse` does
 * and feed every record to the store and its policy.
 *
 * Records are written in batches of --batch records per transaction: a
 * batch is all there or not at all, so a killed ingest loses at most the
 * batch in flight, and running the same ingest again (events are keyed
 * on the bounce, not on the path or the run) ends where one clean run
 * would have. The records of a batch are kept (copied: a report lives
 * for one message) and handed to the store together, at most CHUNK at a
 * time, which is what makes a PostgreSQL store fast: a few round trips a
 * chunk rather than a dozen a record. The transaction spans the writes
 * only, never the parsing. Progress goes to stderr on a terminal only;
 * the summary to stdout.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <stddef.h>
#include <time.h>
#include <unistd.h>

#include "../core/report.h"
#include "../mail/ident.h"
#include "../mail/source.h"
#include "../util/alloc.h"
#include "../util/arena.h"
#include "../util/buf.h"
#include "cli.h"
#include "store_opts.h"

static void
help(FILE *fp)
{
	fprintf(fp,
	    "usage: bouncer ingest [OPTIONS] INPUT...\n\n"
	    "Parse bounces (as bouncer parse) and record them in the store:\n"
	    "hard bounces and complaints suppress the address, soft bounces\n"
	    "are retried and counted per campaign, gray verdicts are kept and\n"
	    "never held against the recipient. Ingesting the same bounce\n"
	    "again, from any path, changes nothing.\n\n"
	    "options:\n"
	    BNC_STORE_HELP
	    "      --campaign ID       campaign of records that name none\n"
	    "      --profile NAME      default or protect-list\n"
	    "      --campaign-header H header naming the campaign\n"
	    "                          (X-Campaign-ID)\n"
	    "      --batch N           records per transaction (5000)\n"
	    "  -q, --quiet             no progress bar, no summary\n"
	    BNC_POLICY_HELP
	    "  -h, --help              this text\n\n"
	    "exit status: 0 all read and stored, 1 an input could not be read\n"
	    "or the store failed (what was committed stays; run again), 2\n"
	    "usage error.\n");
}

struct counts {
	unsigned long long messages, records, fresh, dup, skipped;
	/* What each message gave: records, none (no decoder recognised a
	 * bounce in it: a stray file, a reply), or an error. */
	unsigned long long decoded, none, failed;
	unsigned long long cls[7];
	unsigned long long suppressed, soft, ok;
	unsigned long long by_hard, by_complaint, by_streak;
	unsigned long long retry, exhausted;
};

/* Records handed to the store at once, whatever --batch is: enough that
 * a round trip is nothing per record, few enough to keep memory small. */
#define CHUNK 5000

/* A record waiting for the store (its event is evs[] at the same
 * place), with what an error message names. */
struct pending {
	struct bnc_record rec;
	char key[BNC_EVENT_KEY_LEN];
	const char *source;
	size_t index;
};

struct run {
	struct bnc_ctx *ctx;
	struct bnc_store *store;
	const struct bnc_cli_store *o;
	const char *campaign;		/* --campaign */
	char now[BNC_TIME_LEN];		/* for undated bounces on stdin */
	char mtime[BNC_TIME_LEN];	/* for undated bounces in a file */
	char mtime_of[4096];		/* the source mtime is of */
	unsigned long batch, in_batch;	/* records per transaction, in it */
	bool in_txn;
	struct pending *pend;		/* CHUNK records not yet stored */
	struct bnc_event *evs;
	struct bnc_ingest_result *res;
	size_t npend;
	struct bnc_arena arena;		/* their strings */
	struct counts n;
	int failed;			/* an input failed */
	int store_error;		/* stop: the store failed */
	/* progress */
	bool progress;
	bool bar_shown;			/* the bar is on the terminal's line */
	unsigned long long total_bytes, done_bytes;
	struct timespec started, last_draw;
};

static double
elapsed(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* The "s" of a count's noun. */
static const char *
plural(unsigned long long n)
{
	return n == 1 ? "" : "s";
}

static void
draw(struct run *run, bool final)
{
	struct timespec t;
	double secs, frac = 0;
	int width = 30, filled, i;

	clock_gettime(CLOCK_MONOTONIC, &t);
	if (!final && elapsed(&run->last_draw, &t) < 0.1)
		return;
	run->last_draw = t;
	secs = elapsed(&run->started, &t);
	if (run->total_bytes > 0)
		frac = (double)run->done_bytes / (double)run->total_bytes;
	if (frac > 1)
		frac = 1;
	if (final)
		frac = 1;
	filled = (int)(frac * width);
	fputc('\r', stderr);
	fputc('[', stderr);
	for (i = 0; i < width; i++)
		fputc(i < filled ? '#' : '.', stderr);
	fprintf(stderr, "] %3d%% %llu message%s, %llu record%s (%.0f/s) ",
	    (int)(frac * 100), run->n.messages, plural(run->n.messages),
	    run->n.records, plural(run->n.records),
	    secs > 0 ? (double)run->n.records / secs : 0.0);
	if (final)
		fputc('\n', stderr);
	run->bar_shown = !final;
	fflush(stderr);
}

/* Before a message on stderr: wipe the bar's line, so the message
 * starts a line of its own; the next draw puts the bar back. */
static void
bar_clear(struct run *run)
{
	if (run->bar_shown) {
		fputs("\r\033[K", stderr);
		run->bar_shown = false;
	}
}

/* Bytes under `path`, for the progress bar; stdin counts as 0. */
static unsigned long long
size_of(const char *path, unsigned depth)
{
	struct stat st;
	unsigned long long sum = 0;
	DIR *d;
	struct dirent *e;

	if (strcmp(path, "-") == 0 || depth > 32 || stat(path, &st) != 0)
		return 0;
	if (!S_ISDIR(st.st_mode))
		return (unsigned long long)st.st_size;
	d = opendir(path);
	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char child[4096];
		if (e->d_name[0] == '.')
			continue;
		snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
		sum += size_of(child, depth + 1);
	}
	closedir(d);
	return sum;
}

static void
count(struct run *run, const struct bnc_record *r,
    const struct bnc_ingest_result *res)
{
	if (res->duplicate) {
		run->n.dup++;
		return;
	}
	run->n.fresh++;
	if ((unsigned)r->cls < 7)
		run->n.cls[r->cls]++;
	if (res->retry_scheduled)
		run->n.retry++;
	if (res->retry_exhausted)
		run->n.exhausted++;
	if (!res->changed || res->from == res->to)
		return;
	if (res->to == BNC_STATE_SUPPRESSED) {
		run->n.suppressed++;
		if (strcmp(res->reason, BNC_REASON_HARD) == 0)
			run->n.by_hard++;
		else if (strcmp(res->reason, BNC_REASON_COMPLAINT) == 0)
			run->n.by_complaint++;
		else if (strcmp(res->reason, BNC_REASON_STREAK) == 0)
			run->n.by_streak++;
	} else if (res->to == BNC_STATE_SOFT) {
		run->n.soft++;
	} else {
		run->n.ok++;
	}
}

/* The campaign a soft bounce counts under: the record's, else --campaign,
 * else the original message (its retries are one campaign), else the day
 * of the bounce. */
static const char *
campaign_of(const struct run *run, const struct bnc_record *r,
    const char *at, char *buf, size_t size)
{
	if (*r->campaign)
		return r->campaign;
	if (run->campaign != NULL && *run->campaign)
		return run->campaign;
	if (*r->message_id) {
		snprintf(buf, size, "message:%s", r->message_id);
		return buf;
	}
	snprintf(buf, size, "day:%.10s", at);
	return buf;
}

/* When a bounce carries no date at all (no Last-Attempt-Date, Arrival-
 * Date or Date): the modification time of its file, which a maildir sets
 * at delivery and which stays the same for every run over the same files
 * (so a clean run and a crashed-and-rerun one agree); the clock only for
 * standard input. */
static const char *
undated(struct run *run, const char *source)
{
	struct stat st;

	if (strcmp(source, "-") == 0)
		return run->now;
	/* Compare names: the source's buffer may be reused for the next
	 * file of a folder. */
	if (strcmp(run->mtime_of, source) != 0) {
		snprintf(run->mtime_of, sizeof(run->mtime_of), "%s", source);
		if (stat(source, &st) == 0)
			bnc_time_format(run->mtime, (long long)st.st_mtime);
		else
			memcpy(run->mtime, run->now, sizeof(run->mtime));
	}
	return run->mtime;
}

static void
store_failed(struct run *run)
{
	bar_clear(run);
	fprintf(stderr, "%s: %s\n", run->o->cmd, bnc_store_errmsg(run->store));
	run->store_error = 1;
}

/* Hand the pending records to the store, in the open transaction or a
 * new one; commit when the batch is whole (or `end`). */
static int
flush(struct run *run, bool end)
{
	size_t i, bad;
	int rc;

	if (run->npend > 0) {
		if (!run->in_txn) {
			if (bnc_store_begin(run->store) != 0) {
				store_failed(run);
				return 1;
			}
			run->in_txn = true;
		}
		rc = bnc_store_ingest_many(run->store, &run->o->policy,
		    run->evs, run->npend, run->res, &bad);
		if (rc) {
			bar_clear(run);
			if (bad < run->npend)
				fprintf(stderr, "%s: %s: message %zu: %s\n",
				    run->o->cmd, run->pend[bad].source,
				    run->pend[bad].index,
				    bnc_store_errmsg(run->store));
			else
				fprintf(stderr, "%s: %s\n", run->o->cmd,
				    bnc_store_errmsg(run->store));
			bnc_store_rollback(run->store);
			run->in_txn = false;
			run->store_error = 1;
			return 1;
		}
		for (i = 0; i < run->npend; i++)
			count(run, &run->pend[i].rec, &run->res[i]);
		run->npend = 0;
		bnc_arena_deinit(&run->arena);
		bnc_arena_init(&run->arena, 0);
	}
	if (run->in_txn && (end || run->in_batch >= run->batch)) {
		run->in_txn = false;
		if (bnc_store_commit(run->store) != 0) {
			store_failed(run);
			return 1;
		}
	}
	if (run->in_batch >= run->batch)
		run->in_batch = 0;
	return 0;
}

/* The string fields of a record, copied for the batch. */
static const size_t rec_strings[] = {
	offsetof(struct bnc_record, recipient),
	offsetof(struct bnc_record, sender),
	offsetof(struct bnc_record, status),
	offsetof(struct bnc_record, reply_code),
	offsetof(struct bnc_record, diagnostic),
	offsetof(struct bnc_record, diagnostic_type),
	offsetof(struct bnc_record, dsn_action),
	offsetof(struct bnc_record, remote_mta),
	offsetof(struct bnc_record, reporting_mta),
	offsetof(struct bnc_record, smtp_command),
	offsetof(struct bnc_record, message_id),
	offsetof(struct bnc_record, campaign),
	offsetof(struct bnc_record, list_id),
	offsetof(struct bnc_record, feedback_type),
	offsetof(struct bnc_record, timestamp),
	offsetof(struct bnc_record, mta),
	offsetof(struct bnc_record, provider),
	offsetof(struct bnc_record, reason),
	offsetof(struct bnc_record, rule),
	offsetof(struct bnc_record, subject),
};

static const char *
keep(struct run *run, const char *v)
{
	return v != NULL ? bnc_arena_strndup(&run->arena, v, strlen(v)) : "";
}

static int
ingest_record(struct run *run, const struct bnc_record *r,
    const unsigned char ident[32], const char *source, size_t index)
{
	char addr[1024], campaign[1100];
	struct pending *q;
	struct bnc_event *ev;
	const char *at;
	long long t;
	size_t i;

	run->n.records++;
	if (!bnc_address_key(addr, sizeof(addr), r->recipient) ||
	    strchr(addr, '@') == NULL) {
		/* Nothing to suppress or retry without a recipient. */
		run->n.skipped++;
		return 0;
	}
	q = &run->pend[run->npend];
	ev = &run->evs[run->npend];
	q->rec = *r;
	for (i = 0; i < sizeof(rec_strings) / sizeof(rec_strings[0]); i++) {
		const char **f = (const char **)((char *)&q->rec +
		    rec_strings[i]);
		if ((*f = keep(run, *f)) == NULL)
			goto out_nomem;
	}
	bnc_event_key(q->key, ident, addr);
	memset(ev, 0, sizeof(*ev));
	ev->key = q->key;
	ev->rec = &q->rec;
	at = (*r->timestamp && bnc_time_parse(&t, r->timestamp) == 0) ?
	    q->rec.timestamp : undated(run, source);
	if ((ev->at = keep(run, at)) == NULL ||
	    (ev->campaign = keep(run, campaign_of(run, r, at, campaign,
	    sizeof(campaign)))) == NULL ||
	    (q->source = keep(run, source)) == NULL)
		goto out_nomem;
	ev->source = q->source;
	ev->message = (long long)index;
	q->index = index;
	run->npend++;
	run->in_batch++;
	if (run->npend >= CHUNK || run->in_batch >= run->batch)
		return flush(run, false);
	return 0;

out_nomem:
	bar_clear(run);
	fprintf(stderr, "%s: out of memory\n", run->o->cmd);
	run->store_error = 1;
	return 1;
}

static int
on_message(void *payload, const char *source, size_t index, const char *data,
    size_t len, bool truncated, bool clean)
{
	struct run *run = payload;
	struct bnc_report *rep;
	struct bnc_error err;
	struct bnc_buf notes;
	unsigned char ident[32];
	size_t i, n;
	int rc;

	run->n.messages++;
	run->done_bytes += len;
	if (truncated) {
		bar_clear(run);
		fprintf(stderr, "%s: %s: message %zu is larger than the "
		    "message size limit; the rest was not read\n", run->o->cmd,
		    source, index);
	}
	rc = bnc_parse_clean(&rep, run->ctx, data, len, clean, &err);
	if (rc) {
		bar_clear(run);
		fprintf(stderr, "%s: %s: message %zu: %s\n", run->o->cmd,
		    source, index, err.msg);
		run->failed = 1;
		run->n.failed++;
		return 0;
	}
	/* As parse says it: the records of a cut message may be short. */
	bnc_buf_init(&notes, (size_t)1 << 16);
	bnc_cli_note_limits(&notes, run->o->cmd, source, index,
	    bnc_report_anomalies(rep));
	if (notes.len) {
		bar_clear(run);
		fputs(notes.ptr, stderr);
	}
	bnc_buf_deinit(&notes);
	bnc_message_ident(ident, data, len);
	n = bnc_report_count(rep);
	if (n > 0)
		run->n.decoded++;
	else
		run->n.none++;
	for (i = 0; i < n && !run->store_error; i++)
		ingest_record(run, bnc_report_record(rep, i), ident, source,
		    index);
	bnc_report_free(rep);
	if (run->progress)
		draw(run, false);
	return run->store_error;
}

static void
on_error(void *payload, const char *source, const char *why)
{
	struct run *run = payload;

	bar_clear(run);
	fprintf(stderr, "%s: %s: %s\n", run->o->cmd, source, why);
	run->failed = 1;
}

static void
summary(const struct run *run)
{
	const struct counts *n = &run->n;

	printf("read %llu message%s: %llu decoded, %llu not recognised as a "
	    "bounce", n->messages, plural(n->messages), n->decoded, n->none);
	if (n->failed)
		printf(", %llu failed", n->failed);
	printf("\n%llu record%s: %llu new event%s, %llu already stored, %llu "
	    "without a recipient\n", n->records, plural(n->records), n->fresh,
	    plural(n->fresh), n->dup, n->skipped);
	printf("new events: hard %llu, soft %llu, gray %llu, complaint %llu, "
	    "auto_reply %llu, delivered %llu, unknown %llu\n",
	    n->cls[BNC_CLASS_HARD], n->cls[BNC_CLASS_SOFT],
	    n->cls[BNC_CLASS_GRAY], n->cls[BNC_CLASS_COMPLAINT],
	    n->cls[BNC_CLASS_AUTO_REPLY], n->cls[BNC_CLASS_DELIVERED],
	    n->cls[BNC_CLASS_UNKNOWN]);
	printf("addresses: %llu suppressed (hard-bounce %llu, complaint %llu, "
	    "soft-streak %llu), %llu soft, %llu back to ok\n",
	    n->suppressed, n->by_hard, n->by_complaint, n->by_streak, n->soft,
	    n->ok);
	printf("retries: %llu scheduled, %llu exhausted\n", n->retry,
	    n->exhausted);
}

int
bnc_cmd_ingest(int argc, char **argv)
{
	static const struct option longopts[] = {
		BNC_STORE_LONGOPTS,
		{ "campaign", required_argument, NULL, 'c' },
		{ "profile", required_argument, NULL, 'P' },
		{ "campaign-header", required_argument, NULL, 'C' },
		{ "batch", required_argument, NULL, 'b' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct bnc_options opts = BNC_OPTIONS_INIT;
	struct bnc_cli_store o;
	struct bnc_source_opts so;
	struct run run;
	bool quiet = false;
	int c, i, rc;

	memset(&run, 0, sizeof(run));
	bnc_cli_store_init(&o, "bouncer ingest");
	run.o = &o;
	run.batch = 5000;
	optind = 1;
	opterr = 0;	/* our own messages (bnc_cli_bad_option) */
	while ((c = getopt_long(argc, argv, ":c:qh", longopts, NULL)) != -1) {
		if (bnc_cli_store_opt(&o, c, optarg))
			continue;
		switch (c) {
		case 'c':
			run.campaign = optarg;
			break;
		case 'P':
			if (strcmp(optarg, "default") == 0)
				opts.profile = BNC_PROFILE_DEFAULT;
			else if (strcmp(optarg, "protect-list") == 0)
				opts.profile = BNC_PROFILE_PROTECT_LIST;
			else {
				fprintf(stderr, "bouncer ingest: unknown "
				    "profile '%s' (default or protect-list)\n",
				    optarg);
				return 2;
			}
			break;
		case 'C':
			opts.campaign_header = optarg;
			break;
		case 'b': {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);
			if (*end != '\0' || v == 0 || v > 1000000) {
				fprintf(stderr, "bouncer ingest: bad --batch "
				    "'%s' (1 to 1000000)\n", optarg);
				return 2;
			}
			run.batch = v;
			break;
		}
		case 'q':
			quiet = true;
			break;
		case 'h':
			help(stdout);
			return 0;
		default:
			return bnc_cli_bad_option("bouncer ingest", c, ":c:qh",
			    argv);
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "bouncer ingest: no input given\n");
		help(stderr);
		return 2;
	}
	rc = bnc_cli_store_finish(&o);
	if (rc)
		return rc;
	rc = bnc_ctx_new(&run.ctx, &opts);
	if (rc) {
		fprintf(stderr, "bouncer ingest: %s\n", bnc_strerror(rc));
		return 2;
	}
	run.pend = bnc_calloc(CHUNK, sizeof(*run.pend));
	run.evs = bnc_calloc(CHUNK, sizeof(*run.evs));
	run.res = bnc_calloc(CHUNK, sizeof(*run.res));
	bnc_arena_init(&run.arena, 0);
	if (run.pend == NULL || run.evs == NULL || run.res == NULL) {
		fprintf(stderr, "bouncer ingest: out of memory\n");
		rc = 1;
		goto out_free;
	}
	/* A mistyped path must not leave a new, empty store behind: when
	 * no input is there at all, say so before the store is opened. */
	for (i = optind; i < argc; i++) {
		struct stat st;
		if (strcmp(argv[i], "-") == 0 || stat(argv[i], &st) == 0)
			break;
	}
	if (i == argc) {
		for (i = optind; i < argc; i++) {
			struct stat st;
			if (stat(argv[i], &st) != 0)
				fprintf(stderr, "bouncer ingest: %s: %s\n",
				    argv[i], strerror(errno));
		}
		rc = 1;
		goto out_free;
	}
	if (bnc_cli_store_open(&run.store, &o, 0) != 0) {
		rc = 1;
		goto out_free;
	}
	bnc_time_format(run.now, (long long)time(NULL));
	run.progress = !quiet && isatty(STDERR_FILENO);
	if (run.progress) {
		for (i = optind; i < argc; i++)
			run.total_bytes += size_of(argv[i], 0);
		clock_gettime(CLOCK_MONOTONIC, &run.started);
	}
	memset(&so, 0, sizeof(so));
	so.max_message = (size_t)32 << 20;
	so.on_message = on_message;
	so.on_error = on_error;
	so.payload = &run;
	for (i = optind; i < argc && !run.store_error; i++)
		bnc_source_read(argv[i], &so);
	if (!run.store_error)
		flush(&run, true);
	if (run.progress)
		draw(&run, true);
	bnc_store_close(run.store);
	if (!quiet)
		summary(&run);
	if (run.store_error) {
		fprintf(stderr, "bouncer ingest: stopped; what was committed "
		    "stays, and running the same ingest again completes it\n");
		rc = 1;
	} else {
		rc = run.failed ? 1 : 0;
	}
out_free:
	bnc_ctx_free(run.ctx);
	bnc_free(run.pend);
	bnc_free(run.evs);
	bnc_free(run.res);
	bnc_arena_deinit(&run.arena);
	return rc;
}

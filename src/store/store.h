/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * store.h - the suppression store: every event, every change of an
 * address's standing with the event that caused it, the soft-bounce
 * streaks and the retry schedule. One interface, two backends picked by
 * the target given to bnc_store_open(): a file path (SQLite, the default)
 * or a postgresql:// URL (PostgreSQL, for several machines sharing one
 * list). Both run the same SQL from store.c through the small vtable at
 * the end of this file, so they behave the same by construction.
 *
 * The store never parses mail: it takes classified records (struct
 * bnc_record) plus the identity of the bounce they came from.
 *
 * Idempotence: an event is keyed on bnc_event_key() (the bounce's own
 * identity and the recipient). Ingesting a key that is
 * already stored changes nothing. Each transaction stores events and the
 * changes they cause together, so a process killed at any moment leaves
 * whole events only, and the same ingest run again completes the state
 * one clean run would have left.
 *
 * Threads: a struct bnc_store is one connection; it may move between
 * threads but never be used by two at once.
 */
#ifndef BNC_STORE_STORE_H
#define BNC_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "bouncer.h"
#include "../policy/policy.h"

struct bnc_store;

/* The schema version this build writes; older stores are migrated on
 * open, newer ones are refused. */
#define BNC_STORE_SCHEMA 1

/* Where `bouncer` keeps its store when --db is not given. */
#define BNC_STORE_DEFAULT "./bouncer.db"

enum bnc_store_flags {
	BNC_STORE_NOCREATE = 1 << 0	/* SQLite: fail when the file is
					 * missing (read-only commands) */
};

/*
 * Open `target`: "postgresql://..." or "postgres://..." (libpq URL), or
 * else a SQLite file path (":memory:" for a private in-memory store).
 * Migrations are applied before it returns. On 0, *out is the caller's:
 * close with bnc_store_close(). Returns 0, BNC_EINVAL (empty target),
 * BNC_ENOMEM, BNC_ENOTFOUND (NOCREATE and no such file) or BNC_EIO (the
 * database failed, or its schema is newer than this build); `err` (may
 * be NULL) gets the detail.
 */
int bnc_store_open(struct bnc_store **out, const char *target, unsigned flags,
    struct bnc_error *err);
/* Rolls back an open transaction. Accepts NULL. */
void bnc_store_close(struct bnc_store *s);
/* Detail of the last failure on `s`; valid until the next call on it. */
const char *bnc_store_errmsg(const struct bnc_store *s);
/* "sqlite" or "postgresql". */
const char *bnc_store_backend(const struct bnc_store *s);

/* Group writes into one transaction (batched ingest): begin, any number
 * of writes, commit. Writes outside begin/commit commit one by one. A
 * write that fails inside a transaction leaves it for the caller to roll
 * back. 0 or BNC_EIO. */
int bnc_store_begin(struct bnc_store *s);
int bnc_store_commit(struct bnc_store *s);
int bnc_store_rollback(struct bnc_store *s);

/* The idempotency key of one record: hex of the first 16 bytes of
 * SHA-256(ident, address key). `ident` is bnc_message_ident() of the
 * bounce. Nothing the decoder reads from the bounce is in it, so a
 * later version that reads the same bounce better (another status, a
 * finer reason) still finds it stored. `out` has room for 33 bytes. */
#define BNC_EVENT_KEY_LEN 33
void bnc_event_key(char *out, const unsigned char ident[32],
    const char *address);

/* One classified record to ingest. All strings borrowed, never NULL. */
struct bnc_event {
	const char *key;		/* bnc_event_key() */
	const struct bnc_record *rec;
	const char *campaign;		/* the streak's campaign: the record's,
					 * else the caller's default */
	const char *source;		/* input path, for history */
	long long message;		/* message number in the source */
	const char *at;			/* ISO 8601 UTC of the bounce */
};

/* What an ingest did. */
struct bnc_ingest_result {
	bool duplicate;			/* the key was stored already */
	bool changed;			/* the address's standing moved */
	enum bnc_state from, to;
	const char *reason;		/* the new standing's reason (constant) */
	bool retry_scheduled;		/* a retry of this message is due later */
	bool retry_exhausted;		/* no more retries for this message */
};

/*
 * Store one event and apply the policy to its recipient. Text that is
 * not well-formed UTF-8 is stored with U+FFFD for each stray byte, the
 * same on both backends. Returns 0 (see *res; a duplicate is 0 with
 * res->duplicate), BNC_EINVAL (a bad time or an empty address),
 * BNC_ENOMEM or BNC_EIO.
 */
int bnc_store_ingest(struct bnc_store *s, const struct bnc_policy *p,
    const struct bnc_event *ev, struct bnc_ingest_result *res);

/*
 * Store n events in their order, as n calls of bnc_store_ingest() would
 * (the same rows, the same results in res[0..n-1]: an event may be a
 * duplicate of an earlier one in the same call), but in a few statements
 * whatever n is: the events in one, the standings, streaks and retries
 * of their addresses read in three, the policy applied in memory, and
 * what changed written back in at most five. On PostgreSQL each is one
 * round trip; one by one, an ingest was a dozen per event. All or
 * nothing: on an error nothing of the call is kept when it runs in a
 * transaction of its own, and inside bnc_store_begin() the caller rolls
 * back. On BNC_EINVAL *bad (may be NULL) is the index of the event at
 * fault, else n.
 */
int bnc_store_ingest_many(struct bnc_store *s, const struct bnc_policy *p,
    const struct bnc_event *ev, size_t n, struct bnc_ingest_result *res,
    size_t *bad);

/* An address's standing as check reports it; an address never seen is
 * ok with empty reason and since. */
struct bnc_check {
	enum bnc_state state;
	char reason[256];
	char since[BNC_TIME_LEN];
	long long streak;
	bool known;			/* the store has a row for it */
};
/* `address` is normalised with bnc_address_key() first. 0, BNC_EINVAL
 * (not an address) or BNC_EIO. */
int bnc_store_check(struct bnc_store *s, const char *address,
    struct bnc_check *out);
/* out[i] for address[i], i < n, in one statement (one round trip on
 * PostgreSQL). 0, BNC_EINVAL (address[*bad] is not an address; bad may
 * be NULL) or BNC_EIO. */
int bnc_store_check_many(struct bnc_store *s, const char *const *address,
    size_t n, struct bnc_check *out, size_t *bad);

/* Suppress by hand or by import; `origin` is "manual" or "import" and
 * `reason` what the person or the other tool said (may be ""). A no-op
 * with *changed false when the address is suppressed already. */
int bnc_store_suppress(struct bnc_store *s, const char *address,
    const char *origin, const char *reason, const char *at, bool *changed);
/* Lift a suppression (and forget the soft streak). A no-op with
 * *changed false when the address is not suppressed. */
int bnc_store_unsuppress(struct bnc_store *s, const char *address,
    const char *at, bool *changed);

/* One suppressed address, with the event that suppressed it. Strings
 * are borrowed for the duration of the callback. */
struct bnc_suppression {
	const char *address, *reason, *since;
	long long streak;
	const char *kind;		/* bounce, manual, import */
	const char *event_key;		/* "" for manual and import */
	const char *cls, *bounce_reason, *status, *diagnostic, *campaign;
	const char *source;
};
typedef int (*bnc_store_suppression_fn)(void *payload,
    const struct bnc_suppression *row);
/* Every suppressed address in byte order of the address. A non-zero
 * callback return stops the walk and is returned. */
int bnc_store_suppressions(struct bnc_store *s, bnc_store_suppression_fn fn,
    void *payload);

/* One event of an address and the change it caused, if any. */
struct bnc_history {
	const char *event_key, *kind, *cls, *reason, *status, *action, *rule;
	const char *diagnostic, *campaign, *message_id, *source;
	long long message;
	const char *at, *ingested_at;
	bool changed;
	const char *from_state, *to_state, *new_reason;
	long long streak;
};
typedef int (*bnc_store_history_fn)(void *payload,
    const struct bnc_history *row);
/* The events of `address` in the order they were stored. */
int bnc_store_history(struct bnc_store *s, const char *address,
    bnc_store_history_fn fn, void *payload);

/* One pending retry. */
struct bnc_retry {
	const char *address, *message_key, *campaign;
	long long attempts;
	const char *first_at, *last_at, *next_at;
};
typedef int (*bnc_store_retry_fn)(void *payload, const struct bnc_retry *row);
/* Pending retries whose next attempt is at or before `at`, soonest
 * first. */
int bnc_store_retries_due(struct bnc_store *s, const char *at,
    bnc_store_retry_fn fn, void *payload);

/*
 * The backend interface. A backend knows how to connect, run a SQL
 * script (migrations), run one of store.c's statements by number with
 * parameters, and frame transactions. Statements are written once in
 * store.c with $1..$N placeholders; backends prepare them all at open.
 */

/* A parameter: text (s, NULL for SQL NULL) or, when is_int, i. */
struct bnc_sql_arg {
	const char *s;
	long long i;
	bool is_int;
};

/* One result row: col[i] is text, NULL for SQL NULL. Return non-zero to
 * stop. */
typedef int (*bnc_sql_row_fn)(void *payload, const char *const *col,
    unsigned ncol);

struct bnc_sql_stmt {
	const char *sql;	/* $1..$N placeholders */
	unsigned nparams;
	/* A statement over many rows at once: each parameter is an array
	 * (run_many). Prepared only on backends that have run_many; the
	 * others run its one-row twin once per row. */
	bool many;
};

struct bnc_store_backend {
	const char *name;
	/* Connect; on failure write the reason into err (errlen bytes). */
	int (*open)(void **conn, const char *target, unsigned flags,
	    char *err, size_t errlen);
	void (*close)(void *conn);
	/* Run a script of one or more statements without parameters. */
	int (*exec)(void *conn, const char *sql);
	/* Prepare statement number `id` (ids are dense, from 0). */
	int (*prepare)(void *conn, unsigned id, const struct bnc_sql_stmt *st);
	int (*run)(void *conn, unsigned id, const struct bnc_sql_arg *args,
	    unsigned nargs, bnc_sql_row_fn fn, void *payload);
	/* Run a `many` statement once with parameter j the array of
	 * args[r * ncols + j] over the rows r < nrows (NULL: the backend
	 * has none, and store.c runs the one-row twin per row). */
	int (*run_many)(void *conn, unsigned id, const struct bnc_sql_arg *args,
	    unsigned ncols, size_t nrows, bnc_sql_row_fn fn, void *payload);
	/* A write transaction serialised against other writers. */
	int (*begin)(void *conn);
	int (*commit)(void *conn);
	int (*rollback)(void *conn);
	const char *(*errmsg)(void *conn);
	/* migrations[v - 1] brings the schema from v - 1 to v. */
	const char *const *migrations;
	unsigned nmigrations;
};

extern const struct bnc_store_backend bnc_store_sqlite;
extern const struct bnc_store_backend bnc_store_postgres;

#endif

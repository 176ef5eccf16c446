/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * store.c - the store's logic, written once for both backends: opening
 * and migrating, the statements (with $N placeholders, prepared at open),
 * ingest with the policy, manual suppression, and the read side.
 *
 * Every write that changes an address runs inside a transaction that
 * also holds the event causing it; a duplicate event key stops the
 * ingest before anything else is touched. That is the whole of the crash
 * safety: the database's atomic commit does the rest.
 *
 * Ingest works on many events at once (bnc_store_ingest_many; one event
 * is a batch of one): the events in one statement, what the policy needs
 * about their addresses read in three, the policy applied in memory in
 * event order, and what changed written back in at most five, so that a
 * batch costs a few round trips on PostgreSQL, not a dozen per event.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/alloc.h"
#include "../util/arena.h"
#include "../util/buf.h"
#include "../util/sha256.h"
#include "../util/str.h"
#include "store.h"

/* The texts of an event that come from the bounce or from a person, and
 * so may be any bytes: each has a buffer for its repaired copy
 * (utf8_fix()). */
enum {
	F_REASON,
	F_RULE,
	F_STATUS,
	F_REPLY,
	F_DIAG,
	F_MSGID,
	F_PROVIDER,
	F_REMOTE,
	F_CAMPAIGN,
	F_SOURCE,
	F_COUNT
};

struct bnc_store {
	const struct bnc_store_backend *be;
	void *conn;
	bool in_txn;		/* inside bnc_store_begin() */
	char errmsg[512];
	long long now_t;	/* the second `now` spells */
	char now[BNC_TIME_LEN];	/* ingested_at, formatted once a second */
	struct bnc_buf fix[F_COUNT];
	struct bnc_arena arena;	/* the last ingest or check of many */
};

/* Statements, by number. Keep the enum and the tables in step. An
 * INSERT's RETURNING says whether a row went in; its value is used only
 * for bnc_events.id, which SQLite (which emulates RETURNING, sqlite.c)
 * reports as the rowid it is.
 *
 * Ingest and check read and write many rows at once (bulk()): each such
 * statement has a one-row form, run once per row where a statement costs
 * no round trip (SQLite), and a `many` twin after S_FIRST_MANY taking an
 * array for each parameter of the one-row form, run once for all the
 * rows (PostgreSQL). The twins do the same per row by construction:
 * unnest() of the arrays, or `= ANY` for a key. */
enum {
	S_SCHEMA_GET,
	S_SCHEMA_INIT,
	S_SCHEMA_SET,
	S_FIRST_DATA,		/* prepared after the migrations */
	S_EVENT_ADD = S_FIRST_DATA,
	S_ADDR_GET,
	S_ADDR_PUT,
	S_CHANGE_ADD,
	S_STREAK_ADD,
	S_STREAK_CLEAR,
	S_STREAK_LIST,
	S_RETRY_LIST,
	S_RETRY_PUT,
	S_RETRY_CANCEL,
	S_RETRY_DUE,
	S_SUPPRESSED,
	S_HISTORY,
	S_FIRST_MANY,		/* prepared where the backend has run_many */
	S_EVENT_ADD_MANY = S_FIRST_MANY,
	S_ADDR_GET_MANY,
	S_ADDR_PUT_MANY,
	S_CHANGE_ADD_MANY,
	S_STREAK_ADD_MANY,
	S_STREAK_CLEAR_MANY,
	S_STREAK_LIST_MANY,
	S_RETRY_LIST_MANY,
	S_RETRY_PUT_MANY,
	S_COUNT
};

#define EVENT_COLS " event_key, address, kind, class, reason, action, rule," \
	" status, reply_code, diagnostic, campaign, message_id, provider," \
	" remote_mta, source, message, occurred_at, ingested_at"
#define ADDR_SET " ON CONFLICT (address) DO UPDATE SET" \
	" state = excluded.state, reason = excluded.reason," \
	" since = excluded.since, streak = excluded.streak," \
	" event_id = excluded.event_id"
#define RETRY_COLS " address, message_key, campaign, attempts, first_at," \
	" last_at, next_at, state, event_id"
#define RETRY_SET " ON CONFLICT (address, message_key) DO UPDATE SET" \
	" campaign = excluded.campaign, attempts = excluded.attempts," \
	" first_at = excluded.first_at, last_at = excluded.last_at," \
	" next_at = excluded.next_at, state = excluded.state," \
	" event_id = excluded.event_id"

static const struct bnc_sql_stmt stmts[S_COUNT] = {
	[S_SCHEMA_GET] = { "SELECT version FROM bnc_schema", 0, false },
	[S_SCHEMA_INIT] = { "INSERT INTO bnc_schema(version) VALUES(0)", 0,
	    false },
	[S_SCHEMA_SET] = { "UPDATE bnc_schema SET version = $1", 1, false },
	[S_EVENT_ADD] = {
	    "INSERT INTO bnc_events(" EVENT_COLS ") VALUES($1, $2, $3, $4,"
	    " $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"
	    " ON CONFLICT (event_key) DO NOTHING RETURNING id", 18, false },
	[S_ADDR_GET] = {
	    "SELECT address, state, reason, since, streak FROM bnc_addresses"
	    " WHERE address = $1", 1, false },
	[S_ADDR_PUT] = {
	    "INSERT INTO bnc_addresses(address, state, reason, since, streak,"
	    " event_id) VALUES($1, $2, $3, $4, $5, $6)" ADDR_SET, 6, false },
	[S_CHANGE_ADD] = {
	    "INSERT INTO bnc_changes(address, event_id, from_state, to_state,"
	    " reason, streak, at) VALUES($1, $2, $3, $4, $5, $6, $7)", 7,
	    false },
	[S_STREAK_ADD] = {
	    "INSERT INTO bnc_streak(address, campaign, event_id)"
	    " VALUES($1, $2, $3) ON CONFLICT (address, campaign) DO NOTHING",
	    3, false },
	[S_STREAK_CLEAR] = { "DELETE FROM bnc_streak WHERE address = $1", 1,
	    false },
	[S_STREAK_LIST] = {
	    "SELECT address, campaign FROM bnc_streak WHERE address = $1", 1,
	    false },
	[S_RETRY_LIST] = {
	    "SELECT" RETRY_COLS " FROM bnc_retries WHERE address = $1", 1,
	    false },
	[S_RETRY_PUT] = {
	    "INSERT INTO bnc_retries(" RETRY_COLS ")"
	    " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9)" RETRY_SET, 9, false },
	[S_RETRY_CANCEL] = {
	    "UPDATE bnc_retries SET state = 'cancelled', next_at = '',"
	    " event_id = $2 WHERE address = $1 AND state = 'pending'", 2,
	    false },
	[S_RETRY_DUE] = {
	    "SELECT address, message_key, campaign, attempts, first_at,"
	    " last_at, next_at FROM bnc_retries"
	    " WHERE state = 'pending' AND next_at <= $1"
	    " ORDER BY next_at, address, message_key", 1, false },
	[S_SUPPRESSED] = {
	    "SELECT a.address, a.reason, a.since, a.streak, e.kind,"
	    " e.event_key, e.class, e.reason, e.status, e.diagnostic,"
	    " e.campaign, e.source FROM bnc_addresses a"
	    " JOIN bnc_events e ON e.id = a.event_id"
	    " WHERE a.state = 'suppressed' ORDER BY a.address", 0, false },
	[S_HISTORY] = {
	    "SELECT e.event_key, e.kind, e.class, e.reason, e.status,"
	    " e.action, e.rule, e.diagnostic, e.campaign, e.message_id,"
	    " e.source, e.message, e.occurred_at, e.ingested_at,"
	    " c.from_state, c.to_state, c.reason, c.streak"
	    " FROM bnc_events e LEFT JOIN bnc_changes c ON c.event_id = e.id"
	    " WHERE e.address = $1 ORDER BY e.id", 1, false },
	/* The events in the order given (ids ascending with it); RETURNING
	 * names the key, as a row's place in the arrays cannot be named. */
	[S_EVENT_ADD_MANY] = {
	    "INSERT INTO bnc_events(" EVENT_COLS ") SELECT" EVENT_COLS
	    " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],"
	    " $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],"
	    " $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],"
	    " $15::text[], $16::bigint[], $17::text[], $18::text[])"
	    " WITH ORDINALITY AS u(" EVENT_COLS ", n) ORDER BY n"
	    " ON CONFLICT (event_key) DO NOTHING RETURNING id, event_key", 18,
	    true },
	[S_ADDR_GET_MANY] = {
	    "SELECT address, state, reason, since, streak FROM bnc_addresses"
	    " WHERE address = ANY($1::text[])", 1, true },
	[S_ADDR_PUT_MANY] = {
	    "INSERT INTO bnc_addresses(address, state, reason, since, streak,"
	    " event_id) SELECT * FROM unnest($1::text[], $2::text[],"
	    " $3::text[], $4::text[], $5::bigint[], $6::bigint[])" ADDR_SET, 6,
	    true },
	[S_CHANGE_ADD_MANY] = {
	    "INSERT INTO bnc_changes(address, event_id, from_state, to_state,"
	    " reason, streak, at) SELECT * FROM unnest($1::text[],"
	    " $2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[],"
	    " $7::text[])", 7, true },
	[S_STREAK_ADD_MANY] = {
	    "INSERT INTO bnc_streak(address, campaign, event_id)"
	    " SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])"
	    " ON CONFLICT (address, campaign) DO NOTHING", 3, true },
	[S_STREAK_CLEAR_MANY] = {
	    "DELETE FROM bnc_streak WHERE address = ANY($1::text[])", 1, true },
	[S_STREAK_LIST_MANY] = {
	    "SELECT address, campaign FROM bnc_streak"
	    " WHERE address = ANY($1::text[])", 1, true },
	[S_RETRY_LIST_MANY] = {
	    "SELECT" RETRY_COLS " FROM bnc_retries"
	    " WHERE address = ANY($1::text[])", 1, true },
	[S_RETRY_PUT_MANY] = {
	    "INSERT INTO bnc_retries(" RETRY_COLS ") SELECT * FROM"
	    " unnest($1::text[], $2::text[], $3::text[], $4::bigint[],"
	    " $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[])"
	    RETRY_SET, 9, true },
};

/* What each statement does, for error messages: "storing an event:
 * database disk image is malformed" says more than the SQL. A `many`
 * twin's failure is reported with its one-row form's words. */
static const char *const stmt_what[S_COUNT] = {
	[S_SCHEMA_GET] = "reading the schema version",
	[S_SCHEMA_INIT] = "creating the schema",
	[S_SCHEMA_SET] = "migrating the schema",
	[S_EVENT_ADD] = "storing an event",
	[S_ADDR_GET] = "reading an address",
	[S_ADDR_PUT] = "storing an address",
	[S_CHANGE_ADD] = "storing a change",
	[S_STREAK_ADD] = "counting a soft campaign",
	[S_STREAK_CLEAR] = "ending a soft streak",
	[S_STREAK_LIST] = "reading a soft streak",
	[S_RETRY_LIST] = "reading the retries",
	[S_RETRY_PUT] = "storing a retry",
	[S_RETRY_CANCEL] = "cancelling retries",
	[S_RETRY_DUE] = "reading the retries due",
	[S_SUPPRESSED] = "reading the suppressions",
	[S_HISTORY] = "reading the history",
};

/* err->msg = "A: B", or "A" when B is empty. */
static void
set_err(struct bnc_error *err, int code, const char *a, const char *b)
{
	if (err == NULL)
		return;
	err->code = code;
	/* A long detail is cut to the buffer; the start says enough. */
	if (snprintf(err->msg, sizeof(err->msg), "%s%s%s", a, *b ? ": " : "",
	    b) >= (int)sizeof(err->msg))
		err->msg[sizeof(err->msg) - 1] = '\0';
}

/* Remember the backend's message for bnc_store_errmsg(), prefixed with
 * what we were doing. */
static int
fail(struct bnc_store *s, const char *what)
{
	snprintf(s->errmsg, sizeof(s->errmsg), "%.60s: %s", what,
	    s->be->errmsg(s->conn));
	return BNC_EIO;
}

static int
run(struct bnc_store *s, unsigned id, const struct bnc_sql_arg *args,
    unsigned n, bnc_sql_row_fn fn, void *payload)
{
	/* Backends return < 0 on a database error and > 0 when the row
	 * callback stopped the walk; the walk keeps the callback's value. */
	if (s->be->run(s->conn, id, args, n, fn, payload) < 0)
		return fail(s, stmt_what[id]);
	return 0;
}

static struct bnc_sql_arg
T(const char *v)
{
	struct bnc_sql_arg a = { v ? v : "", 0, false };
	return a;
}

static struct bnc_sql_arg
I(long long v)
{
	struct bnc_sql_arg a = { NULL, v, true };
	return a;
}

/* A row callback that copies one integer out. */
struct found_int {
	long long v;
	bool found;
};

static int
found_int(void *payload, const char *const *col, unsigned n)
{
	struct found_int *f = payload;

	f->found = true;
	f->v = (n > 0 && col[0] != NULL) ? strtoll(col[0], NULL, 10) : 0;
	return 0;
}

static int
txn_begin(struct bnc_store *s)
{
	if (s->be->begin(s->conn) != 0)
		return fail(s, "begin");
	return 0;
}

static int
txn_commit(struct bnc_store *s)
{
	if (s->be->commit(s->conn) != 0) {
		int rc = fail(s, "commit");
		s->be->rollback(s->conn);
		return rc;
	}
	return 0;
}

static int
migrate(struct bnc_store *s)
{
	struct found_int ver = { 0, false };
	bool have_get = false;
	unsigned v;
	int rc;

	/* Nearly every open finds the schema current: read its version
	 * without the write lock, so that a reader (check, list) never
	 * queues behind an ingest's batch or a whole import. */
	if (s->be->prepare(s->conn, S_SCHEMA_GET, &stmts[S_SCHEMA_GET]) == 0) {
		have_get = true;
		if (run(s, S_SCHEMA_GET, NULL, 0, found_int, &ver) == 0 &&
		    ver.found && ver.v >= (long long)s->be->nmigrations)
			goto out_check;
		ver.v = 0;
		ver.found = false;
	}
	rc = txn_begin(s);
	if (rc)
		return rc;
	if (s->be->exec(s->conn, "CREATE TABLE IF NOT EXISTS bnc_schema"
	    " (version INTEGER NOT NULL)") != 0) {
		rc = fail(s, "schema");
		goto out_rollback;
	}
	for (v = have_get ? S_SCHEMA_INIT : S_SCHEMA_GET; v < S_FIRST_DATA;
	    v++) {
		if (s->be->prepare(s->conn, v, &stmts[v]) != 0) {
			rc = fail(s, "prepare");
			goto out_rollback;
		}
	}
	rc = run(s, S_SCHEMA_GET, NULL, 0, found_int, &ver);
	if (rc)
		goto out_rollback;
	if (!ver.found) {
		rc = run(s, S_SCHEMA_INIT, NULL, 0, NULL, NULL);
		if (rc)
			goto out_rollback;
	}
	if (ver.v > (long long)s->be->nmigrations) {
		s->be->rollback(s->conn);
		goto out_check;
	}
	/* Each version in order, all in one transaction: a store is at one
	 * version or the next, never between. */
	for (v = (unsigned)ver.v; v < s->be->nmigrations; v++) {
		struct bnc_sql_arg a = I((long long)v + 1);
		if (s->be->exec(s->conn, s->be->migrations[v]) != 0) {
			char what[64];
			snprintf(what, sizeof(what), "migration to version %u",
			    v + 1);
			rc = fail(s, what);
			goto out_rollback;
		}
		rc = run(s, S_SCHEMA_SET, &a, 1, NULL, NULL);
		if (rc)
			goto out_rollback;
	}
	return txn_commit(s);

out_rollback:
	s->be->rollback(s->conn);
	return rc;

out_check:
	if (ver.v > (long long)s->be->nmigrations) {
		snprintf(s->errmsg, sizeof(s->errmsg), "the store's schema "
		    "version %lld is newer than this bouncer's (%u)", ver.v,
		    s->be->nmigrations);
		return BNC_EIO;
	}
	return 0;
}

int
bnc_store_open(struct bnc_store **out, const char *target, unsigned flags,
    struct bnc_error *err)
{
	struct bnc_store *s;
	char why[512];
	unsigned i;
	int rc;

	*out = NULL;
	if (target == NULL || *target == '\0') {
		set_err(err, BNC_EINVAL, "no database given", "");
		return BNC_EINVAL;
	}
	s = bnc_calloc(1, sizeof(*s));
	if (s == NULL) {
		set_err(err, BNC_ENOMEM, "out of memory", "");
		return BNC_ENOMEM;
	}
	/* A field of a record is a few KiB at most (the decoded text of a
	 * message is capped); this is a guard, not a size. */
	for (i = 0; i < F_COUNT; i++)
		bnc_buf_init(&s->fix[i], (size_t)64 << 20);
	bnc_arena_init(&s->arena, 0);
	if (strncmp(target, "postgresql://", 13) == 0 ||
	    strncmp(target, "postgres://", 11) == 0)
		s->be = &bnc_store_postgres;
	else
		s->be = &bnc_store_sqlite;
	why[0] = '\0';
	rc = s->be->open(&s->conn, target, flags, why, sizeof(why));
	if (rc) {
		set_err(err, rc, s->be->name, why);
		s->conn = NULL;
		bnc_store_close(s);
		return rc;
	}
	rc = migrate(s);
	if (rc)
		goto out_close;
	for (i = S_FIRST_DATA; i < S_COUNT; i++) {
		if (stmts[i].many && s->be->run_many == NULL)
			continue;
		if (s->be->prepare(s->conn, i, &stmts[i]) != 0) {
			rc = fail(s, "prepare");
			goto out_close;
		}
	}
	*out = s;
	return 0;

out_close:
	set_err(err, rc, s->be->name, s->errmsg);
	bnc_store_close(s);
	return rc;
}

void
bnc_store_close(struct bnc_store *s)
{
	unsigned i;

	if (s == NULL)
		return;
	if (s->conn != NULL) {
		if (s->in_txn)
			s->be->rollback(s->conn);
		s->be->close(s->conn);
	}
	for (i = 0; i < F_COUNT; i++)
		bnc_buf_deinit(&s->fix[i]);
	bnc_arena_deinit(&s->arena);
	bnc_free(s);
}

const char *
bnc_store_errmsg(const struct bnc_store *s)
{
	return s ? s->errmsg : "no store";
}

const char *
bnc_store_backend(const struct bnc_store *s)
{
	return s->be->name;
}

int
bnc_store_begin(struct bnc_store *s)
{
	int rc;

	if (s->in_txn)
		return 0;
	rc = txn_begin(s);
	if (rc == 0)
		s->in_txn = true;
	return rc;
}

int
bnc_store_commit(struct bnc_store *s)
{
	if (!s->in_txn)
		return 0;
	s->in_txn = false;
	return txn_commit(s);
}

int
bnc_store_rollback(struct bnc_store *s)
{
	if (!s->in_txn)
		return 0;
	s->in_txn = false;
	if (s->be->rollback(s->conn) != 0)
		return fail(s, "rollback");
	return 0;
}

/* Run `body` in the caller's transaction, or in one of its own. */
static int
write_begin(struct bnc_store *s, bool *own)
{
	*own = !s->in_txn;
	return *own ? txn_begin(s) : 0;
}

static int
write_end(struct bnc_store *s, bool own, int rc)
{
	if (!own)
		return rc;
	if (rc) {
		s->be->rollback(s->conn);
		return rc;
	}
	return txn_commit(s);
}

void
bnc_event_key(char *out, const unsigned char ident[32], const char *address)
{
	struct bnc_sha256 h;
	unsigned char d[32];

	bnc_sha256_init(&h);
	bnc_sha256_update(&h, ident, 32);
	bnc_sha256_update(&h, address, strlen(address));
	bnc_sha256_final(&h, d);
	/* 128 bits: no collision in any store that will ever exist. */
	bnc_hex(out, d, 16);
}

/*
 * Text as both backends store it: well-formed UTF-8, each byte that is
 * not part of a character replaced by U+FFFD, as the JSON writers show
 * it. PostgreSQL refuses anything else (an ingest stopped for good at a
 * bounce with a raw Latin-1 diagnostic) while SQLite would keep the
 * bytes, and the two must store the same. *v stays as it is when it is
 * well-formed (nearly always); else it points to a repaired copy in
 * s->fix[slot], valid until the slot's next use. 0 or BNC_ENOMEM.
 */
static int
utf8_fix(struct bnc_store *s, unsigned slot, const char **v)
{
	struct bnc_buf *b = &s->fix[slot];
	const char *p = *v;
	size_t n, i, k;

	if (p == NULL)		/* written as "" */
		return 0;
	n = strlen(p);
	for (i = 0; i < n; i += k)
		if ((k = bnc_utf8_char(p + i, n - i)) == 0)
			break;
	if (i == n)
		return 0;
	bnc_buf_reset(b);
	if (bnc_buf_add(b, p, i) != 0)
		goto out_nomem;
	while (i < n) {
		k = bnc_utf8_char(p + i, n - i);
		if (k == 0 ? bnc_buf_add(b, "\xef\xbf\xbd", 3) != 0 :
		    bnc_buf_add(b, p + i, k) != 0)
			goto out_nomem;
		i += k ? k : 1;
	}
	*v = b->ptr;
	return 0;

out_nomem:
	snprintf(s->errmsg, sizeof(s->errmsg), "out of memory");
	return BNC_ENOMEM;
}

/* Current time as the store writes it (ingested_at, manual events);
 * formatting it for every event of a batch was a visible cost. */
static void
now_iso(struct bnc_store *s, char *out)
{
	long long t = (long long)time(NULL);

	if (t != s->now_t || s->now[0] == '\0') {
		s->now_t = t;
		bnc_time_format(s->now, t);
	}
	memcpy(out, s->now, BNC_TIME_LEN);
}

static bool
two(const char *p, int lo, int hi, int *out)
{
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return false;
	*out = (p[0] - '0') * 10 + (p[1] - '0');
	return *out >= lo && *out <= hi;
}

/* Is `at` already "YYYY-MM-DDTHH:MM:SSZ" naming a real second? Records
 * from bnc_parse() always are; checking is cheaper than re-formatting. */
static bool
canonical_time(const char *at)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };
	int y1, y2, mo, d, h, mi, sec, year;

	if (strlen(at) != 20 || at[4] != '-' || at[7] != '-' ||
	    at[10] != 'T' || at[13] != ':' || at[16] != ':' || at[19] != 'Z')
		return false;
	if (!two(at, 0, 99, &y1) || !two(at + 2, 0, 99, &y2) ||
	    !two(at + 5, 1, 12, &mo) || !two(at + 8, 1, 31, &d) ||
	    !two(at + 11, 0, 23, &h) || !two(at + 14, 0, 59, &mi) ||
	    !two(at + 17, 0, 59, &sec))
		return false;
	year = y1 * 100 + y2;
	if (d > mdays[mo - 1])
		return false;
	if (mo == 2 && d == 29 &&
	    !(year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)))
		return false;
	return true;
}

/* The standing as read from bnc_addresses; strings live in the buffers. */
struct standing_row {
	struct bnc_standing st;
	char reason[256];
	char since[BNC_TIME_LEN];
	bool found;
};

static void
copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

/* Columns of S_ADDR_GET: address, state, reason, since, streak. */
static int
standing_cb(void *payload, const char *const *col, unsigned n)
{
	struct standing_row *r = payload;

	if (n < 5)
		return 0;
	r->found = true;
	if (!bnc_state_parse(col[1] ? col[1] : "", &r->st.state))
		r->st.state = BNC_STATE_OK;
	copy(r->reason, sizeof(r->reason), col[2]);
	copy(r->since, sizeof(r->since), col[3]);
	r->st.streak = col[4] ? strtoll(col[4], NULL, 10) : 0;
	return 0;
}

static int
standing_get(struct bnc_store *s, const char *address, struct standing_row *r)
{
	struct bnc_sql_arg a = T(address);

	memset(r, 0, sizeof(*r));
	r->st.state = BNC_STATE_OK;
	r->st.reason = "";
	r->st.since = "";
	if (run(s, S_ADDR_GET, &a, 1, standing_cb, r) != 0)
		return BNC_EIO;
	r->st.reason = r->reason;
	r->st.since = r->since;
	return 0;
}

/* Write the new standing and the change record that explains it. */
static int
standing_put(struct bnc_store *s, const char *address, long long event_id,
    const struct bnc_standing *from, const struct bnc_standing *to)
{
	struct bnc_sql_arg put[6] = { T(address), T(bnc_state_name(to->state)),
		T(to->reason), T(to->since), I(to->streak), I(event_id) };
	struct bnc_sql_arg chg[7] = { T(address), I(event_id),
		T(bnc_state_name(from->state)), T(bnc_state_name(to->state)),
		T(to->reason), I(to->streak), T(to->since) };

	if (run(s, S_ADDR_PUT, put, 6, NULL, NULL) != 0 ||
	    run(s, S_CHANGE_ADD, chg, 7, NULL, NULL) != 0)
		return BNC_EIO;
	return 0;
}

/* A manual event (suppress, unsuppress, import): no key, no record. */
static int
event_add(struct bnc_store *s, long long *id, const char *address,
    const char *kind, const char *reason, const char *source, const char *at)
{
	char now[BNC_TIME_LEN];
	struct found_int f = { 0, false };
	struct bnc_sql_arg a[18];
	unsigned i;

	now_iso(s, now);
	for (i = 0; i < 18; i++)
		a[i] = T("");
	a[0].s = NULL;	/* manual events have no key */
	a[1] = T(address);
	a[2] = T(kind);
	a[4] = T(reason);
	a[14] = T(source);
	a[15] = I(0);
	a[16] = T(at);
	a[17] = T(now);
	if (run(s, S_EVENT_ADD, a, 18, found_int, &f) != 0)
		return BNC_EIO;
	*id = f.found ? f.v : -1;
	return 0;
}

/*
 * Bulk statements. A row callback learns which row it answers: `row`
 * when the rows ran one by one, SIZE_MAX when they ran as one statement
 * (its key columns say which). bulk() runs rows [0, nrows) of `args`
 * (nrows x ncols, row by row) through statement `one`, or its twin
 * `many` in slices of BULK_ROWS.
 */
#define BULK_ROWS 10000

typedef int (*bulk_fn)(void *payload, size_t row, const char *const *col,
    unsigned n);

struct bulk_walk {
	bulk_fn fn;
	void *payload;
	size_t row;
};

static int
bulk_cb(void *payload, const char *const *col, unsigned n)
{
	struct bulk_walk *w = payload;

	return w->fn(w->payload, w->row, col, n);
}

static int
bulk(struct bnc_store *s, unsigned one, unsigned many,
    const struct bnc_sql_arg *args, unsigned ncols, size_t nrows, bulk_fn fn,
    void *payload)
{
	struct bulk_walk w = { fn, payload, SIZE_MAX };
	bnc_sql_row_fn cb = fn != NULL ? bulk_cb : NULL;
	size_t r, k;

	if (s->be->run_many != NULL) {
		for (r = 0; r < nrows; r += k) {
			k = nrows - r < BULK_ROWS ? nrows - r : BULK_ROWS;
			if (s->be->run_many(s->conn, many, args + r * ncols,
			    ncols, k, cb, &w) < 0)
				return fail(s, stmt_what[one]);
		}
		return 0;
	}
	for (r = 0; r < nrows; r++) {
		w.row = r;
		if (s->be->run(s->conn, one, args + r * ncols, ncols, cb,
		    &w) < 0)
			return fail(s, stmt_what[one]);
	}
	return 0;
}

/*
 * A string-keyed table for one call (event keys, addresses), in the
 * call's arena: its size is known when it is made, so it never grows.
 * Keys are borrowed.
 */
struct map_slot {
	const char *key;
	void *val;
};

struct map {
	struct map_slot *slot;
	size_t mask;
};

static uint64_t
map_hash(const char *k)
{
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a */

	while (*k)
		h = (h ^ (unsigned char)*k++) * 1099511628211ULL;
	return h ^ (h >> 29);
}

static bool
map_init(struct map *m, struct bnc_arena *a, size_t n)
{
	size_t cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	m->mask = cap - 1;
	m->slot = bnc_arena_calloc(a, cap, sizeof(m->slot[0]));
	return m->slot != NULL;
}

/* The slot of `key`: its value, or key NULL where it would go. */
static struct map_slot *
map_find(const struct map *m, const char *key)
{
	size_t i = (size_t)map_hash(key) & m->mask;

	while (m->slot[i].key != NULL && strcmp(m->slot[i].key, key) != 0)
		i = (i + 1) & m->mask;
	return &m->slot[i];
}

static void *
map_get(const struct map *m, const char *key)
{
	return key != NULL ? map_find(m, key)->val : NULL;
}

/*
 * One bnc_store_ingest_many() call. The events are stored first (one
 * statement), then what the policy needs about their addresses is read
 * (standings, then the streak campaigns and the retries of those that
 * can use them), the policy is applied in memory in event order exactly
 * as one event at a time against the tables would, and the rows that
 * changed are written back: each address's last standing, every change,
 * the streaks cleared and begun, each retry touched in its last state.
 * Everything runs in one transaction with the events, so the tables end
 * as the same events one by one would leave them.
 */
struct b_streak {
	struct b_streak *next;
	const char *campaign;
	long long event_id;
	bool present;		/* a row in bnc_streak now */
	bool added;		/* ... written by this call */
};

struct b_retry {
	struct b_retry *next;
	const char *message_key, *campaign, *first_at, *last_at, *next_at;
	const char *state;
	long long attempts, event_id;
	bool dirty;
};

struct b_addr {
	const char *address;
	struct bnc_standing st;
	long long event_id;	/* of the last change */
	bool dirty;		/* the standing changed */
	bool cleared;		/* its streak rows were deleted */
	bool soft;		/* has soft events: read its streak */
	bool may_cancel;	/* hard, complaint or soft events */
	bool delivered;		/* has deliveries */
	bool streaks_read, retries_read;
	struct b_streak *streaks;
	struct b_retry *retries;
};

struct b_event {
	struct bnc_record rec;	/* the caller's, text repaired */
	const char *key, *campaign, *source, *address;
	long long message;
	char at[BNC_TIME_LEN];
	long long id;		/* bnc_events.id; -1: a duplicate */
	struct b_addr *a;
	bool changed;		/* a bnc_changes row */
	enum bnc_state from;
	struct bnc_standing to;
};

struct batch {
	struct bnc_store *s;
	struct bnc_arena *arena;
	struct b_event *ev;
	size_t n;
	struct map keys;	/* event key -> b_event, the first of a key */
	struct map addrs;	/* address -> b_addr */
	struct b_addr **addr;	/* in order of first appearance */
	size_t naddr;
	size_t *rows;		/* bulk row -> event or address index */
	int rc;			/* a callback's failure */
};

static int
nomem(struct bnc_store *s)
{
	snprintf(s->errmsg, sizeof(s->errmsg), "out of memory");
	return BNC_ENOMEM;
}

static const char *
b_strdup(struct batch *b, const char *v)
{
	const char *c = bnc_arena_strndup(b->arena, v ? v : "",
	    v ? strlen(v) : 0);

	if (c == NULL)
		b->rc = nomem(b->s);
	return c;
}

/* utf8_fix(), with a repaired copy kept for the whole call. */
static int
b_fix(struct batch *b, unsigned slot, const char **v)
{
	const char *was = *v;

	if (utf8_fix(b->s, slot, v) != 0)
		return BNC_ENOMEM;
	if (*v != was && (*v = b_strdup(b, *v)) == NULL)
		return BNC_ENOMEM;
	return 0;
}

/* Copy, repair and check the caller's events. */
static int
b_read(struct batch *b, const struct bnc_event *evs, size_t *bad)
{
	struct bnc_store *s = b->s;
	char address[1024];
	long long t;
	size_t i;

	for (i = 0; i < b->n; i++) {
		const struct bnc_event *ev = &evs[i];
		struct b_event *e = &b->ev[i];
		struct bnc_record *r = &e->rec;

		*r = *ev->rec;
		e->campaign = ev->campaign;
		e->source = ev->source;
		e->key = ev->key;
		e->message = ev->message;
		e->id = -1;
		if (b_fix(b, F_REASON, &r->reason) != 0 ||
		    b_fix(b, F_RULE, &r->rule) != 0 ||
		    b_fix(b, F_STATUS, &r->status) != 0 ||
		    b_fix(b, F_REPLY, &r->reply_code) != 0 ||
		    b_fix(b, F_DIAG, &r->diagnostic) != 0 ||
		    b_fix(b, F_MSGID, &r->message_id) != 0 ||
		    b_fix(b, F_PROVIDER, &r->provider) != 0 ||
		    b_fix(b, F_REMOTE, &r->remote_mta) != 0 ||
		    b_fix(b, F_CAMPAIGN, &e->campaign) != 0 ||
		    b_fix(b, F_SOURCE, &e->source) != 0)
			return BNC_ENOMEM;
		if (!bnc_address_key(address, sizeof(address), r->recipient)) {
			snprintf(s->errmsg, sizeof(s->errmsg),
			    "bad recipient '%s'", r->recipient);
			*bad = i;
			return BNC_EINVAL;
		}
		if ((e->address = b_strdup(b, address)) == NULL)
			return BNC_ENOMEM;
		/* One spelling of every time, whatever the caller passed. */
		if (canonical_time(ev->at)) {
			memcpy(e->at, ev->at, BNC_TIME_LEN);
		} else if (bnc_time_parse(&t, ev->at) != 0) {
			snprintf(s->errmsg, sizeof(s->errmsg), "bad time '%s'",
			    ev->at);
			*bad = i;
			return BNC_EINVAL;
		} else {
			bnc_time_format(e->at, t);
		}
	}
	return 0;
}

/* S_EVENT_ADD answers the new row's id (one by one: rows[row] is the
 * event); its twin answers id and key. */
static int
b_event_cb(void *payload, size_t row, const char *const *col, unsigned n)
{
	struct batch *b = payload;
	struct b_event *e;

	if (n < 1 || col[0] == NULL)
		return 0;
	if (row != SIZE_MAX)
		e = &b->ev[b->rows[row]];
	else if (n < 2 || (e = map_get(&b->keys, col[1])) == NULL)
		return 0;
	e->id = strtoll(col[0], NULL, 10);
	return 0;
}

/* Store the events: a key seen earlier in the call, or stored already,
 * is a duplicate (id stays -1). */
static int
b_store_events(struct batch *b)
{
	struct bnc_store *s = b->s;
	struct bnc_sql_arg *a;
	char now[BNC_TIME_LEN];
	const char *ingested;
	size_t i, m = 0;

	now_iso(s, now);
	a = bnc_arena_alloc(b->arena, b->n * 18 * sizeof(*a));
	if (a == NULL || (ingested = b_strdup(b, now)) == NULL)
		return nomem(s);
	for (i = 0; i < b->n; i++) {
		struct b_event *e = &b->ev[i];
		const struct bnc_record *r = &e->rec;
		struct bnc_sql_arg *row = a + m * 18;
		struct map_slot *k = map_find(&b->keys, e->key);

		if (k->key != NULL)
			continue;	/* twice in this call */
		k->key = e->key;
		k->val = e;
		b->rows[m++] = i;
		row[0] = T(e->key);
		row[1] = T(e->address);
		row[2] = T("bounce");
		row[3] = T(bnc_class_name(r->cls));
		row[4] = T(r->reason);
		row[5] = T(bnc_action_name(r->action));
		row[6] = T(r->rule);
		row[7] = T(r->status);
		row[8] = T(r->reply_code);
		row[9] = T(r->diagnostic);
		row[10] = T(e->campaign);
		row[11] = T(r->message_id);
		row[12] = T(r->provider);
		row[13] = T(r->remote_mta);
		row[14] = T(e->source);
		row[15] = I(e->message);
		row[16] = T(e->at);
		row[17] = T(ingested);
	}
	return bulk(s, S_EVENT_ADD, S_EVENT_ADD_MANY, a, 18, m, b_event_cb, b);
}

/* The addresses of the new events, each once. */
static int
b_group(struct batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		struct b_event *e = &b->ev[i];
		struct map_slot *k;
		struct b_addr *ad;

		if (e->id < 0)
			continue;
		k = map_find(&b->addrs, e->address);
		if (k->key == NULL) {
			ad = bnc_arena_calloc(b->arena, 1, sizeof(*ad));
			if (ad == NULL)
				return nomem(b->s);
			ad->address = e->address;
			ad->st.state = BNC_STATE_OK;
			ad->st.reason = "";
			ad->st.since = "";
			k->key = e->address;
			k->val = ad;
			b->addr[b->naddr++] = ad;
		}
		ad = k->val;
		e->a = ad;
		switch (e->rec.cls) {
		case BNC_CLASS_SOFT:
			ad->soft = true;
			/* fall through */
		case BNC_CLASS_HARD:
		case BNC_CLASS_COMPLAINT:
			ad->may_cancel = true;
			break;
		case BNC_CLASS_DELIVERED:
			ad->delivered = true;
			break;
		default:
			break;
		}
	}
	return 0;
}

static struct b_addr *
b_addr_of(struct batch *b, const char *const *col, unsigned n)
{
	return n > 0 ? map_get(&b->addrs, col[0]) : NULL;
}

static int
b_standing_cb(void *payload, size_t row, const char *const *col,
    unsigned n)
{
	struct batch *b = payload;
	struct b_addr *ad = b_addr_of(b, col, n);

	(void)row;
	if (ad == NULL || n < 5)
		return 0;
	if (!bnc_state_parse(col[1] ? col[1] : "", &ad->st.state))
		ad->st.state = BNC_STATE_OK;
	if ((ad->st.reason = b_strdup(b, col[2])) == NULL ||
	    (ad->st.since = b_strdup(b, col[3])) == NULL)
		return 1;
	ad->st.streak = col[4] ? strtoll(col[4], NULL, 10) : 0;
	return 0;
}

static int
b_streak_cb(void *payload, size_t row, const char *const *col, unsigned n)
{
	struct batch *b = payload;
	struct b_addr *ad = b_addr_of(b, col, n);
	struct b_streak *k;

	(void)row;
	if (ad == NULL || n < 2)
		return 0;
	k = bnc_arena_calloc(b->arena, 1, sizeof(*k));
	if (k == NULL || (k->campaign = b_strdup(b, col[1])) == NULL) {
		b->rc = nomem(b->s);
		return 1;
	}
	k->present = true;
	k->next = ad->streaks;
	ad->streaks = k;
	return 0;
}

static int
b_retry_cb(void *payload, size_t row, const char *const *col, unsigned n)
{
	struct batch *b = payload;
	struct b_addr *ad = b_addr_of(b, col, n);
	struct b_retry *t;

	(void)row;
	if (ad == NULL || n < 9)
		return 0;
	t = bnc_arena_calloc(b->arena, 1, sizeof(*t));
	if (t == NULL) {
		b->rc = nomem(b->s);
		return 1;
	}
	if ((t->message_key = b_strdup(b, col[1])) == NULL ||
	    (t->campaign = b_strdup(b, col[2])) == NULL ||
	    (t->first_at = b_strdup(b, col[4])) == NULL ||
	    (t->last_at = b_strdup(b, col[5])) == NULL ||
	    (t->next_at = b_strdup(b, col[6])) == NULL ||
	    (t->state = b_strdup(b, col[7])) == NULL)
		return 1;
	t->attempts = col[3] ? strtoll(col[3], NULL, 10) : 0;
	t->event_id = col[8] ? strtoll(col[8], NULL, 10) : 0;
	t->next = ad->retries;
	ad->retries = t;
	return 0;
}

/*
 * Read what the policy will need. A standing for every address; the
 * streak campaigns of those with soft events and the retries of those
 * with soft, hard, complaint or delivered events, unless the address is
 * suppressed already: suppression is sticky, so then no soft event
 * counts or is retried, and none cancels (that happens on the way in).
 * A delivery closes its message's retry whatever the standing, so the
 * retries of an address with deliveries are always read.
 */
static int
b_load(struct batch *b)
{
	struct bnc_store *s = b->s;
	struct bnc_sql_arg *a;
	size_t i, m;
	int rc;

	a = bnc_arena_alloc(b->arena, (b->naddr + 1) * sizeof(*a));
	if (a == NULL)
		return nomem(s);
	for (i = 0; i < b->naddr; i++)
		a[i] = T(b->addr[i]->address);
	rc = bulk(s, S_ADDR_GET, S_ADDR_GET_MANY, a, 1, b->naddr,
	    b_standing_cb, b);
	if (rc || b->rc)
		return rc ? rc : b->rc;
	for (i = m = 0; i < b->naddr; i++) {
		struct b_addr *ad = b->addr[i];
		if (ad->soft && ad->st.state != BNC_STATE_SUPPRESSED) {
			ad->streaks_read = true;
			a[m++] = T(ad->address);
		}
	}
	rc = bulk(s, S_STREAK_LIST, S_STREAK_LIST_MANY, a, 1, m, b_streak_cb,
	    b);
	if (rc || b->rc)
		return rc ? rc : b->rc;
	for (i = m = 0; i < b->naddr; i++) {
		struct b_addr *ad = b->addr[i];
		if (ad->delivered || (ad->may_cancel &&
		    ad->st.state != BNC_STATE_SUPPRESSED)) {
			ad->retries_read = true;
			a[m++] = T(ad->address);
		}
	}
	rc = bulk(s, S_RETRY_LIST, S_RETRY_LIST_MANY, a, 1, m, b_retry_cb, b);
	return rc ? rc : b->rc;
}

/* A step the loads did not prepare for: a bug here, never data. */
static int
b_unread(struct batch *b, const char *what, const struct b_addr *ad)
{
	snprintf(b->s->errmsg, sizeof(b->s->errmsg), "internal error: the %s "
	    "of %s were not read", what, ad->address);
	return BNC_EIO;
}

/* S_STREAK_ADD in memory: true when the campaign was not counted. */
static int
b_streak_add(struct batch *b, struct b_addr *ad, const char *campaign,
    long long id, bool *added)
{
	struct b_streak *k;

	if (!ad->streaks_read)
		return b_unread(b, "streak campaigns", ad);
	for (k = ad->streaks; k != NULL; k = k->next)
		if (strcmp(k->campaign, campaign) == 0)
			break;
	*added = k == NULL || !k->present;
	if (!*added)
		return 0;
	if (k == NULL) {
		k = bnc_arena_calloc(b->arena, 1, sizeof(*k));
		if (k == NULL)
			return nomem(b->s);
		k->campaign = campaign;
		k->next = ad->streaks;
		ad->streaks = k;
	}
	k->present = k->added = true;
	k->event_id = id;
	return 0;
}

/* S_STREAK_CLEAR in memory: every campaign forgotten, stored or not. */
static void
b_streak_clear(struct b_addr *ad)
{
	struct b_streak *k;

	ad->cleared = true;
	for (k = ad->streaks; k != NULL; k = k->next)
		k->present = k->added = false;
}

static struct b_retry *
b_retry_find(const struct b_addr *ad, const char *message_key)
{
	struct b_retry *t;

	for (t = ad->retries; t != NULL; t = t->next)
		if (strcmp(t->message_key, message_key) == 0)
			return t;
	return NULL;
}

/* The soft bounce of one message: plan the next retry. A retry that was
 * closed (delivered, cancelled) starts again: the message was sent anew. */
static int
b_retry_soft(struct batch *b, const struct bnc_policy *p, struct b_addr *ad,
    const struct b_event *e, const char *message_key,
    struct bnc_ingest_result *res)
{
	struct b_retry *t;
	struct bnc_retry_plan plan;
	long long attempts = 0;
	const char *first_at = "";
	int rc;

	if (!ad->retries_read)
		return b_unread(b, "retries", ad);
	t = b_retry_find(ad, message_key);
	if (t != NULL) {
		attempts = t->attempts;
		first_at = t->first_at;
		if (strcmp(t->state, "pending") != 0 &&
		    strcmp(t->state, "exhausted") != 0)
			attempts = 0;
	}
	rc = bnc_policy_retry(&plan, p, attempts, first_at, e->at);
	if (rc)
		return rc;
	if (t == NULL) {
		t = bnc_arena_calloc(b->arena, 1, sizeof(*t));
		if (t == NULL)
			return nomem(b->s);
		t->message_key = message_key;
		t->next = ad->retries;
		ad->retries = t;
	}
	t->campaign = e->campaign;
	t->attempts = plan.attempts;
	t->last_at = e->at;
	if ((t->first_at = b_strdup(b, plan.first_at)) == NULL ||
	    (t->next_at = b_strdup(b, plan.next_at)) == NULL)
		return BNC_ENOMEM;
	t->state = plan.exhausted ? "exhausted" : "pending";
	t->event_id = e->id;
	t->dirty = true;
	res->retry_scheduled = !plan.exhausted;
	res->retry_exhausted = plan.exhausted;
	return 0;
}

/* S_RETRY_CANCEL in memory: every pending retry of the address. */
static int
b_retry_cancel(struct batch *b, struct b_addr *ad, long long id)
{
	struct b_retry *t;

	if (!ad->retries_read)
		return b_unread(b, "retries", ad);
	for (t = ad->retries; t != NULL; t = t->next) {
		if (strcmp(t->state, "pending") != 0)
			continue;
		t->state = "cancelled";
		t->next_at = "";
		t->event_id = id;
		t->dirty = true;
	}
	return 0;
}

/* A delivery closes the pending retry of its message. */
static int
b_retry_close(struct batch *b, struct b_addr *ad, const char *message_key,
    long long id)
{
	struct b_retry *t;

	if (!ad->retries_read)
		return b_unread(b, "retries", ad);
	t = b_retry_find(ad, message_key);
	if (t == NULL || strcmp(t->state, "pending") != 0)
		return 0;
	t->state = "delivered";
	t->next_at = "";
	t->event_id = id;
	t->dirty = true;
	return 0;
}

/* The policy's reason as its constant: a standing read from the store
 * names it in the call's arena, and a result may be kept longer. */
static const char *
lasting(const char *reason)
{
	static const char *const known[] = { BNC_REASON_HARD,
		BNC_REASON_COMPLAINT, BNC_REASON_SOFT, BNC_REASON_STREAK,
		BNC_REASON_DELIVERED, "removed", "" };
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(reason, known[i]) == 0)
			return known[i];
	return reason;
}

/* The policy, event by event, on the standings in memory. */
static int
b_apply(struct batch *b, const struct bnc_policy *p,
    struct bnc_ingest_result *res)
{
	size_t i;
	int rc;

	for (i = 0; i < b->n; i++) {
		struct b_event *e = &b->ev[i];
		const struct bnc_record *rec = &e->rec;
		struct bnc_ingest_result *r = &res[i];
		struct b_addr *ad = e->a;
		struct bnc_policy_event pev;
		struct bnc_transition tr;
		enum bnc_state was;
		const char *message_key;

		if (e->id < 0) {
			r->duplicate = true;
			continue;
		}
		was = ad->st.state;
		r->from = r->to = was;
		memset(&pev, 0, sizeof(pev));
		pev.cls = rec->cls;
		pev.at = e->at;
		if (rec->cls == BNC_CLASS_SOFT && was != BNC_STATE_SUPPRESSED) {
			rc = b_streak_add(b, ad, e->campaign, e->id,
			    &pev.new_campaign);
			if (rc)
				return rc;
		}
		bnc_policy_apply(&tr, p, &ad->st, &pev);
		if (tr.changed) {
			e->changed = true;
			e->from = was;
			e->to = tr.next;
			ad->st = tr.next;
			ad->dirty = true;
			ad->event_id = e->id;
			r->changed = true;
			r->to = tr.next.state;
			r->reason = lasting(tr.next.reason);
		}
		if (tr.reset_streak)
			b_streak_clear(ad);
		/* Retries are per original message; without a Message-ID the
		 * campaign stands in for it. */
		message_key = *rec->message_id ? rec->message_id : e->campaign;
		if (tr.cancel_retries)
			rc = b_retry_cancel(b, ad, e->id);
		else if (rec->cls == BNC_CLASS_SOFT &&
		    was != BNC_STATE_SUPPRESSED)
			rc = b_retry_soft(b, p, ad, e, message_key, r);
		else if (rec->cls == BNC_CLASS_DELIVERED)
			rc = b_retry_close(b, ad, message_key, e->id);
		else
			rc = 0;
		if (rc)
			return rc;
	}
	return 0;
}

/* Write back what moved: standings, changes, streaks, retries. */
static int
b_write(struct batch *b)
{
	struct bnc_store *s = b->s;
	struct bnc_sql_arg *a;
	size_t i, m, rows = b->n > b->naddr ? b->n : b->naddr, nk = 0, nt = 0;
	int rc;

	for (i = 0; i < b->naddr; i++) {
		const struct b_streak *k;
		const struct b_retry *t;
		for (k = b->addr[i]->streaks; k != NULL; k = k->next)
			nk++;
		for (t = b->addr[i]->retries; t != NULL; t = t->next)
			nt++;
	}
	if (nk > rows)
		rows = nk;
	if (nt > rows)
		rows = nt;
	/* One array for each statement in turn: at most 9 columns. */
	a = bnc_arena_alloc(b->arena, rows * 9 * sizeof(*a));
	if (a == NULL)
		return nomem(s);
	for (i = m = 0; i < b->naddr; i++) {
		const struct b_addr *ad = b->addr[i];
		struct bnc_sql_arg *row = a + m * 6;
		if (!ad->dirty)
			continue;
		row[0] = T(ad->address);
		row[1] = T(bnc_state_name(ad->st.state));
		row[2] = T(ad->st.reason);
		row[3] = T(ad->st.since);
		row[4] = I(ad->st.streak);
		row[5] = I(ad->event_id);
		m++;
	}
	rc = bulk(s, S_ADDR_PUT, S_ADDR_PUT_MANY, a, 6, m, NULL, NULL);
	if (rc)
		return rc;
	for (i = m = 0; i < b->n; i++) {
		const struct b_event *e = &b->ev[i];
		struct bnc_sql_arg *row = a + m * 7;
		if (!e->changed)
			continue;
		row[0] = T(e->address);
		row[1] = I(e->id);
		row[2] = T(bnc_state_name(e->from));
		row[3] = T(bnc_state_name(e->to.state));
		row[4] = T(e->to.reason);
		row[5] = I(e->to.streak);
		row[6] = T(e->to.since);
		m++;
	}
	rc = bulk(s, S_CHANGE_ADD, S_CHANGE_ADD_MANY, a, 7, m, NULL, NULL);
	if (rc)
		return rc;
	/* The deletes first: a campaign counted after a reset in this call
	 * is a row again. */
	for (i = m = 0; i < b->naddr; i++)
		if (b->addr[i]->cleared)
			a[m++] = T(b->addr[i]->address);
	rc = bulk(s, S_STREAK_CLEAR, S_STREAK_CLEAR_MANY, a, 1, m, NULL, NULL);
	if (rc)
		return rc;
	for (i = m = 0; i < b->naddr; i++) {
		const struct b_streak *k;
		for (k = b->addr[i]->streaks; k != NULL; k = k->next) {
			struct bnc_sql_arg *row = a + m * 3;
			if (!k->present || !k->added)
				continue;
			row[0] = T(b->addr[i]->address);
			row[1] = T(k->campaign);
			row[2] = I(k->event_id);
			m++;
		}
	}
	rc = bulk(s, S_STREAK_ADD, S_STREAK_ADD_MANY, a, 3, m, NULL, NULL);
	if (rc)
		return rc;
	for (i = m = 0; i < b->naddr; i++) {
		const struct b_retry *t;
		for (t = b->addr[i]->retries; t != NULL; t = t->next) {
			struct bnc_sql_arg *row = a + m * 9;
			if (!t->dirty)
				continue;
			row[0] = T(b->addr[i]->address);
			row[1] = T(t->message_key);
			row[2] = T(t->campaign);
			row[3] = I(t->attempts);
			row[4] = T(t->first_at);
			row[5] = T(t->last_at);
			row[6] = T(t->next_at);
			row[7] = T(t->state);
			row[8] = I(t->event_id);
			m++;
		}
	}
	return bulk(s, S_RETRY_PUT, S_RETRY_PUT_MANY, a, 9, m, NULL, NULL);
}

/* The arena of a call keeps its strings (res->reason) until the next. */
static void
arena_renew(struct bnc_store *s)
{
	bnc_arena_deinit(&s->arena);
	bnc_arena_init(&s->arena, 0);
}

int
bnc_store_ingest_many(struct bnc_store *s, const struct bnc_policy *p,
    const struct bnc_event *evs, size_t n, struct bnc_ingest_result *res,
    size_t *bad)
{
	struct batch b;
	size_t i, where = n;
	bool own;
	int rc;

	for (i = 0; i < n; i++) {
		memset(&res[i], 0, sizeof(res[i]));
		res[i].reason = "";
	}
	if (bad != NULL)
		*bad = n;
	if (n == 0)
		return 0;
	arena_renew(s);
	memset(&b, 0, sizeof(b));
	b.s = s;
	b.arena = &s->arena;
	b.n = n;
	b.ev = bnc_arena_calloc(b.arena, n, sizeof(*b.ev));
	b.addr = bnc_arena_calloc(b.arena, n, sizeof(*b.addr));
	b.rows = bnc_arena_calloc(b.arena, n, sizeof(*b.rows));
	if (b.ev == NULL || b.addr == NULL || b.rows == NULL ||
	    !map_init(&b.keys, b.arena, n) || !map_init(&b.addrs, b.arena, n))
		return nomem(s);
	rc = b_read(&b, evs, &where);
	if (rc)
		goto out;
	rc = write_begin(s, &own);
	if (rc)
		goto out;
	rc = b_store_events(&b);
	if (rc == 0)
		rc = b.rc ? b.rc : b_group(&b);
	if (rc == 0)
		rc = b_load(&b);
	if (rc == 0)
		rc = b_apply(&b, p, res);
	if (rc == 0)
		rc = b_write(&b);
	rc = write_end(s, own, rc);
out:
	if (bad != NULL)
		*bad = where;
	if (rc) {
		for (i = 0; i < n; i++) {
			memset(&res[i], 0, sizeof(res[i]));
			res[i].reason = "";
		}
	}
	return rc;
}

int
bnc_store_ingest(struct bnc_store *s, const struct bnc_policy *p,
    const struct bnc_event *event, struct bnc_ingest_result *res)
{
	return bnc_store_ingest_many(s, p, event, 1, res, NULL);
}

static void
check_fill(struct bnc_check *out, const char *const *col)
{
	out->known = true;
	if (!bnc_state_parse(col[1] ? col[1] : "", &out->state))
		out->state = BNC_STATE_OK;
	copy(out->reason, sizeof(out->reason), col[2]);
	copy(out->since, sizeof(out->since), col[3]);
	out->streak = col[4] ? strtoll(col[4], NULL, 10) : 0;
}

int
bnc_store_check(struct bnc_store *s, const char *address,
    struct bnc_check *out)
{
	char key[1024];
	struct standing_row r;

	memset(out, 0, sizeof(*out));
	if (!bnc_address_key(key, sizeof(key), address)) {
		snprintf(s->errmsg, sizeof(s->errmsg), "not an address");
		return BNC_EINVAL;
	}
	if (standing_get(s, key, &r) != 0)
		return BNC_EIO;
	out->state = r.st.state;
	out->streak = r.st.streak;
	out->known = r.found;
	copy(out->reason, sizeof(out->reason), r.reason);
	copy(out->since, sizeof(out->since), r.since);
	return 0;
}

static int
check_cb(void *payload, size_t row, const char *const *col, unsigned n)
{
	struct bnc_check *c = n >= 5 ? map_get(payload, col[0]) : NULL;

	(void)row;
	if (c != NULL)
		check_fill(c, col);
	return 0;
}

int
bnc_store_check_many(struct bnc_store *s, const char *const *address,
    size_t n, struct bnc_check *out, size_t *bad)
{
	struct bnc_check **first;
	struct bnc_sql_arg *a;
	struct map m;
	char key[1024];
	size_t i, k = 0;
	int rc;

	if (bad != NULL)
		*bad = n;
	if (n == 0)
		return 0;
	memset(out, 0, n * sizeof(*out));
	arena_renew(s);
	first = bnc_arena_calloc(&s->arena, n, sizeof(*first));
	a = bnc_arena_calloc(&s->arena, n, sizeof(*a));
	if (first == NULL || a == NULL || !map_init(&m, &s->arena, n))
		return nomem(s);
	/* Each address once; a repeated one is answered from its first. */
	for (i = 0; i < n; i++) {
		struct map_slot *slot;
		if (!bnc_address_key(key, sizeof(key), address[i])) {
			snprintf(s->errmsg, sizeof(s->errmsg),
			    "not an address");
			if (bad != NULL)
				*bad = i;
			return BNC_EINVAL;
		}
		slot = map_find(&m, key);
		if (slot->key == NULL) {
			slot->key = bnc_arena_strndup(&s->arena, key,
			    strlen(key));
			if (slot->key == NULL)
				return nomem(s);
			slot->val = &out[i];
			a[k++] = T(slot->key);
		}
		first[i] = slot->val;
	}
	rc = bulk(s, S_ADDR_GET, S_ADDR_GET_MANY, a, 1, k, check_cb, &m);
	if (rc)
		return rc;
	for (i = 0; i < n; i++)
		if (first[i] != &out[i])
			out[i] = *first[i];
	return 0;
}

int
bnc_store_suppress(struct bnc_store *s, const char *address,
    const char *origin, const char *reason, const char *at, bool *changed)
{
	char key[1024], when[BNC_TIME_LEN];
	struct standing_row cur;
	struct bnc_standing next;
	long long id, t;
	bool own;
	int rc;

	*changed = false;
	if (!bnc_address_key(key, sizeof(key), address)) {
		snprintf(s->errmsg, sizeof(s->errmsg), "not an address: '%s'",
		    address);
		return BNC_EINVAL;
	}
	if (at == NULL || *at == '\0')
		now_iso(s, when);
	else if (bnc_time_parse(&t, at) != 0) {
		snprintf(s->errmsg, sizeof(s->errmsg), "bad time '%s'", at);
		return BNC_EINVAL;
	} else
		bnc_time_format(when, t);
	if (reason == NULL || *reason == '\0')
		reason = origin;
	if (utf8_fix(s, F_REASON, &reason) != 0)
		return BNC_ENOMEM;
	rc = write_begin(s, &own);
	if (rc)
		return rc;
	rc = standing_get(s, key, &cur);
	if (rc || cur.st.state == BNC_STATE_SUPPRESSED)
		goto out;
	rc = event_add(s, &id, key, origin, reason, origin, when);
	if (rc)
		goto out;
	next = cur.st;
	next.state = BNC_STATE_SUPPRESSED;
	next.reason = reason;
	next.since = when;
	rc = standing_put(s, key, id, &cur.st, &next);
	if (rc)
		goto out;
	{
		struct bnc_sql_arg a[2] = { T(key), I(id) };
		rc = run(s, S_RETRY_CANCEL, a, 2, NULL, NULL);
	}
	*changed = rc == 0;
out:
	rc = write_end(s, own, rc);
	if (rc)
		*changed = false;
	return rc;
}

int
bnc_store_unsuppress(struct bnc_store *s, const char *address,
    const char *at, bool *changed)
{
	char key[1024], when[BNC_TIME_LEN];
	struct standing_row cur;
	struct bnc_standing next;
	long long id, t;
	bool own;
	int rc;

	*changed = false;
	if (!bnc_address_key(key, sizeof(key), address)) {
		snprintf(s->errmsg, sizeof(s->errmsg), "not an address: '%s'",
		    address);
		return BNC_EINVAL;
	}
	if (at == NULL || *at == '\0')
		now_iso(s, when);
	else if (bnc_time_parse(&t, at) != 0) {
		snprintf(s->errmsg, sizeof(s->errmsg), "bad time '%s'", at);
		return BNC_EINVAL;
	} else
		bnc_time_format(when, t);
	rc = write_begin(s, &own);
	if (rc)
		return rc;
	rc = standing_get(s, key, &cur);
	if (rc || cur.st.state != BNC_STATE_SUPPRESSED)
		goto out;
	rc = event_add(s, &id, key, "manual", "removed", "manual", when);
	if (rc)
		goto out;
	next.state = BNC_STATE_OK;
	next.reason = "removed";
	next.since = when;
	next.streak = 0;	/* a fresh start: old soft campaigns forgotten */
	rc = standing_put(s, key, id, &cur.st, &next);
	if (rc)
		goto out;
	{
		struct bnc_sql_arg a = T(key);
		rc = run(s, S_STREAK_CLEAR, &a, 1, NULL, NULL);
	}
	*changed = rc == 0;
out:
	rc = write_end(s, own, rc);
	if (rc)
		*changed = false;
	return rc;
}

static const char *
col_s(const char *const *col, unsigned n, unsigned i)
{
	return (i < n && col[i] != NULL) ? col[i] : "";
}

static long long
col_i(const char *const *col, unsigned n, unsigned i)
{
	return (i < n && col[i] != NULL) ? strtoll(col[i], NULL, 10) : 0;
}

/* The typed callback of a walk; a union because ISO C has no
 * conversion between data and function pointers. */
union any_fn {
	bnc_store_suppression_fn sup;
	bnc_store_history_fn his;
	bnc_store_retry_fn ret;
};

struct walk {
	union any_fn fn;
	void *payload;
	int rc;			/* what the caller's callback returned */
};

static int
suppression_cb(void *payload, const char *const *col, unsigned n)
{
	struct walk *w = payload;
	struct bnc_suppression r;

	r.address = col_s(col, n, 0);
	r.reason = col_s(col, n, 1);
	r.since = col_s(col, n, 2);
	r.streak = col_i(col, n, 3);
	r.kind = col_s(col, n, 4);
	r.event_key = col_s(col, n, 5);
	r.cls = col_s(col, n, 6);
	r.bounce_reason = col_s(col, n, 7);
	r.status = col_s(col, n, 8);
	r.diagnostic = col_s(col, n, 9);
	r.campaign = col_s(col, n, 10);
	r.source = col_s(col, n, 11);
	w->rc = w->fn.sup(w->payload, &r);
	return w->rc;
}

int
bnc_store_suppressions(struct bnc_store *s, bnc_store_suppression_fn fn,
    void *payload)
{
	struct walk w;

	w.fn.sup = fn;
	w.payload = payload;
	w.rc = 0;
	if (run(s, S_SUPPRESSED, NULL, 0, suppression_cb, &w) != 0)
		return BNC_EIO;
	return w.rc;
}

static int
history_cb(void *payload, const char *const *col, unsigned n)
{
	struct walk *w = payload;
	struct bnc_history r;

	r.event_key = col_s(col, n, 0);
	r.kind = col_s(col, n, 1);
	r.cls = col_s(col, n, 2);
	r.reason = col_s(col, n, 3);
	r.status = col_s(col, n, 4);
	r.action = col_s(col, n, 5);
	r.rule = col_s(col, n, 6);
	r.diagnostic = col_s(col, n, 7);
	r.campaign = col_s(col, n, 8);
	r.message_id = col_s(col, n, 9);
	r.source = col_s(col, n, 10);
	r.message = col_i(col, n, 11);
	r.at = col_s(col, n, 12);
	r.ingested_at = col_s(col, n, 13);
	r.changed = n > 15 && col[15] != NULL;
	r.from_state = col_s(col, n, 14);
	r.to_state = col_s(col, n, 15);
	r.new_reason = col_s(col, n, 16);
	r.streak = col_i(col, n, 17);
	w->rc = w->fn.his(w->payload, &r);
	return w->rc;
}

int
bnc_store_history(struct bnc_store *s, const char *address,
    bnc_store_history_fn fn, void *payload)
{
	char key[1024];
	struct bnc_sql_arg a;
	struct walk w;

	if (!bnc_address_key(key, sizeof(key), address)) {
		snprintf(s->errmsg, sizeof(s->errmsg), "not an address");
		return BNC_EINVAL;
	}
	a = T(key);
	w.fn.his = fn;
	w.payload = payload;
	w.rc = 0;
	if (run(s, S_HISTORY, &a, 1, history_cb, &w) != 0)
		return BNC_EIO;
	return w.rc;
}

static int
retry_due_cb(void *payload, const char *const *col, unsigned n)
{
	struct walk *w = payload;
	struct bnc_retry r;

	r.address = col_s(col, n, 0);
	r.message_key = col_s(col, n, 1);
	r.campaign = col_s(col, n, 2);
	r.attempts = col_i(col, n, 3);
	r.first_at = col_s(col, n, 4);
	r.last_at = col_s(col, n, 5);
	r.next_at = col_s(col, n, 6);
	w->rc = w->fn.ret(w->payload, &r);
	return w->rc;
}

int
bnc_store_retries_due(struct bnc_store *s, const char *at,
    bnc_store_retry_fn fn, void *payload)
{
	char when[BNC_TIME_LEN];
	struct bnc_sql_arg a;
	struct walk w;
	long long t;

	if (bnc_time_parse(&t, at) != 0) {
		snprintf(s->errmsg, sizeof(s->errmsg), "bad time '%s'", at);
		return BNC_EINVAL;
	}
	bnc_time_format(when, t);
	a = T(when);
	w.fn.ret = fn;
	w.payload = payload;
	w.rc = 0;
	if (run(s, S_RETRY_DUE, &a, 1, retry_due_cb, &w) != 0)
		return BNC_EIO;
	return w.rc;
}

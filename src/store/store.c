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
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/alloc.h"
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
};

/* Statements, by number. Keep the enum and the table in step. An
 * INSERT's RETURNING says whether a row went in; its value is used only
 * for bnc_events.id, which SQLite (which emulates RETURNING, sqlite.c)
 * reports as the rowid it is. */
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
	S_RETRY_GET,
	S_RETRY_PUT,
	S_RETRY_CLOSE,
	S_RETRY_CANCEL,
	S_RETRY_DUE,
	S_SUPPRESSED,
	S_HISTORY,
	S_COUNT
};

static const struct bnc_sql_stmt stmts[S_COUNT] = {
	[S_SCHEMA_GET] = { "SELECT version FROM bnc_schema", 0 },
	[S_SCHEMA_INIT] = { "INSERT INTO bnc_schema(version) VALUES(0)", 0 },
	[S_SCHEMA_SET] = { "UPDATE bnc_schema SET version = $1", 1 },
	[S_EVENT_ADD] = {
	    "INSERT INTO bnc_events(event_key, address, kind, class, reason,"
	    " action, rule, status, reply_code, diagnostic, campaign,"
	    " message_id, provider, remote_mta, source, message, occurred_at,"
	    " ingested_at) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
	    " $11, $12, $13, $14, $15, $16, $17, $18)"
	    " ON CONFLICT (event_key) DO NOTHING RETURNING id", 18 },
	[S_ADDR_GET] = {
	    "SELECT state, reason, since, streak FROM bnc_addresses"
	    " WHERE address = $1", 1 },
	[S_ADDR_PUT] = {
	    "INSERT INTO bnc_addresses(address, state, reason, since, streak,"
	    " event_id) VALUES($1, $2, $3, $4, $5, $6)"
	    " ON CONFLICT (address) DO UPDATE SET state = excluded.state,"
	    " reason = excluded.reason, since = excluded.since,"
	    " streak = excluded.streak, event_id = excluded.event_id", 6 },
	[S_CHANGE_ADD] = {
	    "INSERT INTO bnc_changes(address, event_id, from_state, to_state,"
	    " reason, streak, at) VALUES($1, $2, $3, $4, $5, $6, $7)", 7 },
	[S_STREAK_ADD] = {
	    "INSERT INTO bnc_streak(address, campaign, event_id)"
	    " VALUES($1, $2, $3) ON CONFLICT (address, campaign) DO NOTHING"
	    " RETURNING event_id", 3 },
	[S_STREAK_CLEAR] = { "DELETE FROM bnc_streak WHERE address = $1", 1 },
	[S_RETRY_GET] = {
	    "SELECT attempts, first_at, state FROM bnc_retries"
	    " WHERE address = $1 AND message_key = $2", 2 },
	[S_RETRY_PUT] = {
	    "INSERT INTO bnc_retries(address, message_key, campaign, attempts,"
	    " first_at, last_at, next_at, state, event_id)"
	    " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9)"
	    " ON CONFLICT (address, message_key) DO UPDATE SET"
	    " campaign = excluded.campaign, attempts = excluded.attempts,"
	    " first_at = excluded.first_at, last_at = excluded.last_at,"
	    " next_at = excluded.next_at, state = excluded.state,"
	    " event_id = excluded.event_id", 9 },
	[S_RETRY_CLOSE] = {
	    "UPDATE bnc_retries SET state = $3, next_at = '', event_id = $4"
	    " WHERE address = $1 AND message_key = $2 AND state = 'pending'",
	    4 },
	[S_RETRY_CANCEL] = {
	    "UPDATE bnc_retries SET state = 'cancelled', next_at = '',"
	    " event_id = $2 WHERE address = $1 AND state = 'pending'", 2 },
	[S_RETRY_DUE] = {
	    "SELECT address, message_key, campaign, attempts, first_at,"
	    " last_at, next_at FROM bnc_retries"
	    " WHERE state = 'pending' AND next_at <= $1"
	    " ORDER BY next_at, address, message_key", 1 },
	[S_SUPPRESSED] = {
	    "SELECT a.address, a.reason, a.since, a.streak, e.kind,"
	    " e.event_key, e.class, e.reason, e.status, e.diagnostic,"
	    " e.campaign, e.source FROM bnc_addresses a"
	    " JOIN bnc_events e ON e.id = a.event_id"
	    " WHERE a.state = 'suppressed' ORDER BY a.address", 0 },
	[S_HISTORY] = {
	    "SELECT e.event_key, e.kind, e.class, e.reason, e.status,"
	    " e.action, e.rule, e.diagnostic, e.campaign, e.message_id,"
	    " e.source, e.message, e.occurred_at, e.ingested_at,"
	    " c.from_state, c.to_state, c.reason, c.streak"
	    " FROM bnc_events e LEFT JOIN bnc_changes c ON c.event_id = e.id"
	    " WHERE e.address = $1 ORDER BY e.id", 1 },
};

/* What each statement does, for error messages: "storing an event:
 * database disk image is malformed" says more than the SQL. */
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
	[S_RETRY_GET] = "reading a retry",
	[S_RETRY_PUT] = "storing a retry",
	[S_RETRY_CLOSE] = "closing a retry",
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

static int
standing_cb(void *payload, const char *const *col, unsigned n)
{
	struct standing_row *r = payload;

	if (n < 4)
		return 0;
	r->found = true;
	if (!bnc_state_parse(col[0] ? col[0] : "", &r->st.state))
		r->st.state = BNC_STATE_OK;
	copy(r->reason, sizeof(r->reason), col[1]);
	copy(r->since, sizeof(r->since), col[2]);
	r->st.streak = col[3] ? strtoll(col[3], NULL, 10) : 0;
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

struct retry_row {
	long long attempts;
	char first_at[BNC_TIME_LEN];
	char state[16];
	bool found;
};

static int
retry_cb(void *payload, const char *const *col, unsigned n)
{
	struct retry_row *r = payload;

	if (n < 3)
		return 0;
	r->found = true;
	r->attempts = col[0] ? strtoll(col[0], NULL, 10) : 0;
	copy(r->first_at, sizeof(r->first_at), col[1]);
	copy(r->state, sizeof(r->state), col[2]);
	return 0;
}

/* The soft bounce of one message: plan the next retry. A retry that was
 * closed (delivered, cancelled) starts again: the message was sent anew. */
static int
retry_soft(struct bnc_store *s, const struct bnc_policy *p,
    const char *address, const char *message_key, const char *campaign,
    const char *at, long long event_id, struct bnc_ingest_result *res)
{
	struct bnc_sql_arg get[2] = { T(address), T(message_key) };
	struct retry_row r;
	struct bnc_retry_plan plan;
	int rc;

	memset(&r, 0, sizeof(r));
	if (run(s, S_RETRY_GET, get, 2, retry_cb, &r) != 0)
		return BNC_EIO;
	if (r.found && strcmp(r.state, "pending") != 0 &&
	    strcmp(r.state, "exhausted") != 0)
		r.attempts = 0;
	rc = bnc_policy_retry(&plan, p, r.attempts, r.first_at, at);
	if (rc)
		return rc;
	{
		struct bnc_sql_arg put[9] = { T(address), T(message_key),
			T(campaign), I(plan.attempts), T(plan.first_at), T(at),
			T(plan.next_at),
			T(plan.exhausted ? "exhausted" : "pending"),
			I(event_id) };
		if (run(s, S_RETRY_PUT, put, 9, NULL, NULL) != 0)
			return BNC_EIO;
	}
	res->retry_scheduled = !plan.exhausted;
	res->retry_exhausted = plan.exhausted;
	return 0;
}

static int
event_add(struct bnc_store *s, long long *id, const char *key,
    const char *address, const char *kind, const char *cls,
    const struct bnc_record *rec, const char *reason, const char *campaign,
    const char *source, long long message, const char *at)
{
	static const struct bnc_record none = { "", "", "", "", "", "", "", "",
		"", "", "", "", "", "", "", "", "", "", "", BNC_CLASS_UNKNOWN,
		BNC_ACTION_NONE, "" };
	char now[BNC_TIME_LEN];
	struct found_int f = { 0, false };
	struct bnc_sql_arg a[18];

	if (rec == NULL)
		rec = &none;
	now_iso(s, now);
	a[0].s = key;	/* NULL: manual events have no key */
	a[0].is_int = false;
	a[0].i = 0;
	a[1] = T(address);
	a[2] = T(kind);
	a[3] = T(cls);
	a[4] = T(reason);
	a[5] = T(rec == &none ? "" : bnc_action_name(rec->action));
	a[6] = T(rec->rule);
	a[7] = T(rec->status);
	a[8] = T(rec->reply_code);
	a[9] = T(rec->diagnostic);
	a[10] = T(campaign);
	a[11] = T(rec->message_id);
	a[12] = T(rec->provider);
	a[13] = T(rec->remote_mta);
	a[14] = T(source);
	a[15] = I(message);
	a[16] = T(at);
	a[17] = T(now);
	if (run(s, S_EVENT_ADD, a, 18, found_int, &f) != 0)
		return BNC_EIO;
	*id = f.found ? f.v : -1;
	return 0;
}

static int
ingest(struct bnc_store *s, const struct bnc_policy *p,
    const struct bnc_event *ev, const char *address, const char *at,
    struct bnc_ingest_result *res)
{
	const struct bnc_record *rec = ev->rec;
	const char *message_key;
	struct standing_row cur;
	struct bnc_policy_event pev;
	struct bnc_transition tr;
	long long id;
	int rc;

	rc = event_add(s, &id, ev->key, address, "bounce",
	    bnc_class_name(rec->cls), rec, rec->reason, ev->campaign,
	    ev->source, ev->message, at);
	if (rc)
		return rc;
	if (id < 0) {
		res->duplicate = true;
		return 0;
	}
	rc = standing_get(s, address, &cur);
	if (rc)
		return rc;
	res->from = res->to = cur.st.state;
	memset(&pev, 0, sizeof(pev));
	pev.cls = rec->cls;
	pev.at = at;
	if (rec->cls == BNC_CLASS_SOFT && cur.st.state != BNC_STATE_SUPPRESSED) {
		struct bnc_sql_arg a[3] = { T(address), T(ev->campaign), I(id) };
		struct found_int f = { 0, false };
		if (run(s, S_STREAK_ADD, a, 3, found_int, &f) != 0)
			return BNC_EIO;
		pev.new_campaign = f.found;
	}
	bnc_policy_apply(&tr, p, &cur.st, &pev);
	if (tr.changed) {
		rc = standing_put(s, address, id, &cur.st, &tr.next);
		if (rc)
			return rc;
		res->changed = true;
		res->to = tr.next.state;
		res->reason = tr.next.reason;
	}
	if (tr.reset_streak) {
		struct bnc_sql_arg a = T(address);
		if (run(s, S_STREAK_CLEAR, &a, 1, NULL, NULL) != 0)
			return BNC_EIO;
	}
	/* Retries are per original message; without a Message-ID the
	 * campaign stands in for it. */
	message_key = *rec->message_id ? rec->message_id : ev->campaign;
	if (tr.cancel_retries) {
		struct bnc_sql_arg a[2] = { T(address), I(id) };
		if (run(s, S_RETRY_CANCEL, a, 2, NULL, NULL) != 0)
			return BNC_EIO;
	} else if (rec->cls == BNC_CLASS_SOFT &&
	    cur.st.state != BNC_STATE_SUPPRESSED) {
		rc = retry_soft(s, p, address, message_key, ev->campaign, at,
		    id, res);
		if (rc)
			return rc;
	} else if (rec->cls == BNC_CLASS_DELIVERED) {
		struct bnc_sql_arg a[4] = { T(address), T(message_key),
			T("delivered"), I(id) };
		if (run(s, S_RETRY_CLOSE, a, 4, NULL, NULL) != 0)
			return BNC_EIO;
	}
	return 0;
}

int
bnc_store_ingest(struct bnc_store *s, const struct bnc_policy *p,
    const struct bnc_event *event, struct bnc_ingest_result *res)
{
	char address[1024], at[BNC_TIME_LEN];
	struct bnc_record r = *event->rec;
	struct bnc_event e = *event, *ev = &e;
	long long t;
	bool own;
	int rc;

	memset(res, 0, sizeof(res[0]));
	res->reason = "";
	e.rec = &r;
	if (utf8_fix(s, F_REASON, &r.reason) != 0 ||
	    utf8_fix(s, F_RULE, &r.rule) != 0 ||
	    utf8_fix(s, F_STATUS, &r.status) != 0 ||
	    utf8_fix(s, F_REPLY, &r.reply_code) != 0 ||
	    utf8_fix(s, F_DIAG, &r.diagnostic) != 0 ||
	    utf8_fix(s, F_MSGID, &r.message_id) != 0 ||
	    utf8_fix(s, F_PROVIDER, &r.provider) != 0 ||
	    utf8_fix(s, F_REMOTE, &r.remote_mta) != 0 ||
	    utf8_fix(s, F_CAMPAIGN, &e.campaign) != 0 ||
	    utf8_fix(s, F_SOURCE, &e.source) != 0)
		return BNC_ENOMEM;
	if (!bnc_address_key(address, sizeof(address), ev->rec->recipient)) {
		snprintf(s->errmsg, sizeof(s->errmsg), "bad recipient '%s'",
		    ev->rec->recipient);
		return BNC_EINVAL;
	}
	/* One spelling of every time, whatever the caller passed. */
	if (canonical_time(ev->at)) {
		memcpy(at, ev->at, BNC_TIME_LEN);
	} else if (bnc_time_parse(&t, ev->at) != 0) {
		snprintf(s->errmsg, sizeof(s->errmsg), "bad time '%s'", ev->at);
		return BNC_EINVAL;
	} else {
		bnc_time_format(at, t);
	}
	rc = write_begin(s, &own);
	if (rc)
		return rc;
	rc = ingest(s, p, ev, address, at, res);
	return write_end(s, own, rc);
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
	rc = event_add(s, &id, NULL, key, origin, "", NULL, reason, "", origin,
	    0, when);
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
	rc = event_add(s, &id, NULL, key, "manual", "", NULL, "removed", "",
	    "manual", 0, when);
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

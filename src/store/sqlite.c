/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sqlite.c - the embedded backend (libsqlite3). One file, WAL journal:
 * readers (check) never wait for a writer (ingest), and a process killed
 * mid-transaction leaves the last commit intact (the WAL is only ever
 * appended to, and a torn tail is ignored on the next open).
 *
 * synchronous=NORMAL: a commit survives the process dying at any point;
 * a power cut may lose the last few commits but never corrupts the file,
 * and ingest is idempotent, so running it again brings them back. FULL
 * would cost an fsync per batch for no gain in that model.
 *
 * wal_autocheckpoint=10000 pages (40 MB of WAL at 4 KiB pages, 10 times
 * the default): each checkpoint costs two fsyncs and rewrites hot pages,
 * and at the default a bulk ingest spent a third of its time there
 * (bench/: 33k -> 48k records/s on a busy 2-core machine).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "../util/alloc.h"
#include "store.h"

#define MAX_STMTS 32

struct conn {
	sqlite3 *db;
	sqlite3_stmt *st[MAX_STMTS];
	bool returning[MAX_STMTS];	/* RETURNING emulated (sq_prepare) */
	const char *custom_err;	/* our own message, or NULL for sqlite's */
};

/* Version 1: events, standings, changes, streak campaigns, retries.
 * Text times are ISO 8601 UTC; they sort as text. */
/* Every event_id column names the bnc_events row written in the same
 * transaction, so the references hold by construction. They are not
 * declared as foreign keys: PostgreSQL would look the event up and lock
 * it on every write (a third of an ingest), and SQLite does not check
 * them unless asked; the two backends keep the same schema. */
static const char *const migrations[] = {
	"CREATE TABLE bnc_events ("
	" id INTEGER PRIMARY KEY,"
	" event_key TEXT UNIQUE,"
	" address TEXT NOT NULL, kind TEXT NOT NULL, class TEXT NOT NULL,"
	" reason TEXT NOT NULL, action TEXT NOT NULL, rule TEXT NOT NULL,"
	" status TEXT NOT NULL, reply_code TEXT NOT NULL,"
	" diagnostic TEXT NOT NULL, campaign TEXT NOT NULL,"
	" message_id TEXT NOT NULL, provider TEXT NOT NULL,"
	" remote_mta TEXT NOT NULL, source TEXT NOT NULL,"
	" message INTEGER NOT NULL, occurred_at TEXT NOT NULL,"
	" ingested_at TEXT NOT NULL);"
	"CREATE INDEX bnc_events_address ON bnc_events(address, id);"
	"CREATE TABLE bnc_addresses ("
	" address TEXT PRIMARY KEY, state TEXT NOT NULL,"
	" reason TEXT NOT NULL, since TEXT NOT NULL,"
	" streak INTEGER NOT NULL,"
	" event_id INTEGER NOT NULL"
	") WITHOUT ROWID;"
	/* No index on state: the list walks the table in address order
	 * anyway, and every ingest would pay for the index. */
	/* An event changes at most one standing: the change is keyed by it. */
	"CREATE TABLE bnc_changes ("
	" event_id INTEGER PRIMARY KEY,"
	" address TEXT NOT NULL,"
	" from_state TEXT NOT NULL, to_state TEXT NOT NULL,"
	" reason TEXT NOT NULL, streak INTEGER NOT NULL, at TEXT NOT NULL);"
	"CREATE TABLE bnc_streak ("
	" address TEXT NOT NULL, campaign TEXT NOT NULL,"
	" event_id INTEGER NOT NULL,"
	" PRIMARY KEY (address, campaign)) WITHOUT ROWID;"
	"CREATE TABLE bnc_retries ("
	" address TEXT NOT NULL, message_key TEXT NOT NULL,"
	" campaign TEXT NOT NULL, attempts INTEGER NOT NULL,"
	" first_at TEXT NOT NULL, last_at TEXT NOT NULL,"
	" next_at TEXT NOT NULL, state TEXT NOT NULL,"
	" event_id INTEGER NOT NULL,"
	" PRIMARY KEY (address, message_key)) WITHOUT ROWID;"
	"CREATE INDEX bnc_retries_due ON bnc_retries(next_at)"
	" WHERE state = 'pending';",
};

static int
sq_exec(void *c, const char *sql)
{
	struct conn *k = c;

	k->custom_err = NULL;
	return sqlite3_exec(k->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* How long to wait for another writer, in milliseconds. */
#define BUSY_MS 30000

/*
 * Put the file in WAL mode. While another connection writes to a file
 * still in rollback mode (a new store that another process is creating,
 * or a file made by another tool), SQLite answers SQLITE_BUSY at once
 * instead of calling the busy handler: processes creating one store
 * together failed with "database is locked". Wait as the handler would.
 */
static int
sq_wal(struct conn *k)
{
	int waited;

	for (waited = 0;; waited += 10) {
		if (sq_exec(k, "PRAGMA journal_mode=WAL") == 0)
			return 0;
		if ((sqlite3_errcode(k->db) & 0xff) != SQLITE_BUSY ||
		    waited >= BUSY_MS)
			return -1;
		sqlite3_sleep(10);
	}
}

/* When the database's folder is missing or is no folder, say so: a
 * message about the database itself, or SQLite's "unable to open
 * database file", would send the user looking in the wrong place. */
static bool
bad_folder(const char *target, char *err, size_t errlen)
{
	const char *slash = strrchr(target, '/');
	char dir[4096], why[128];
	struct stat st;
	size_t n;

	if (slash == NULL || slash == target)
		return false;	/* the current folder, or / */
	n = (size_t)(slash - target);
	if (n >= sizeof(dir))
		return false;
	memcpy(dir, target, n);
	dir[n] = '\0';
	if (stat(dir, &st) != 0) {
		if (errno == ENOENT)
			snprintf(err, errlen, "%s: the folder %s does not "
			    "exist", target, dir);
		else
			snprintf(err, errlen, "%s: the folder %s: %s", target,
			    dir, strerror_r(errno, why, sizeof(why)));
		return true;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: %s is not a folder", target, dir);
		return true;
	}
	return false;
}

/* A file or folder this user may not write makes SQLite fail even to
 * read: a WAL database needs its -shm (and -wal) files beside it. Say
 * so instead of SQLite's "attempt to write a readonly database". */
static bool
not_writable(struct conn *k, const char *target, char *err, size_t errlen)
{
	int code = sqlite3_errcode(k->db) & 0xff;
	const char *slash = strrchr(target, '/');
	char dir[4096];
	size_t n = slash == NULL ? 1 : slash == target ? 1 :
	    (size_t)(slash - target);

	if (code != SQLITE_READONLY && code != SQLITE_CANTOPEN)
		return false;
	if (n >= sizeof(dir))
		return false;
	memcpy(dir, slash == NULL ? "." : target, n);
	dir[n] = '\0';
	if (access(target, W_OK) == 0 && access(dir, W_OK) == 0)
		return false;
	snprintf(err, errlen, "%s: this user may not write the database or "
	    "its folder %s; SQLite needs both, even to read (its -wal and "
	    "-shm files sit beside the database)", target, dir);
	return true;
}

static int
sq_open(void **out, const char *target, unsigned flags, char *err,
    size_t errlen)
{
	struct conn *k;
	int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	bool memory = strcmp(target, ":memory:") == 0;

	if (!memory && (flags & BNC_STORE_NOCREATE)) {
		struct stat st;
		if (stat(target, &st) != 0) {
			if (!bad_folder(target, err, errlen))
				snprintf(err, errlen, "%s: no such database "
				    "(bouncer ingest or suppressions add "
				    "creates it)", target);
			return BNC_ENOTFOUND;
		}
	}
	if (!memory && bad_folder(target, err, errlen))
		return BNC_EIO;	/* as SQLite's own failure to create it */
	if (!(flags & BNC_STORE_NOCREATE))
		oflags |= SQLITE_OPEN_CREATE;
	k = bnc_calloc(1, sizeof(*k));
	if (k == NULL) {
		snprintf(err, errlen, "out of memory");
		return BNC_ENOMEM;
	}
	if (sqlite3_open_v2(target, &k->db, oflags, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", target,
		    k->db ? sqlite3_errmsg(k->db) : "cannot open");
		goto out_close;
	}
	sqlite3_extended_result_codes(k->db, 1);
	/* Wait for another writer rather than fail at once. */
	sqlite3_busy_timeout(k->db, BUSY_MS);
	if ((!memory && sq_wal(k) != 0) ||
	    sq_exec(k, "PRAGMA synchronous=NORMAL") != 0 ||
	    sq_exec(k, "PRAGMA wal_autocheckpoint=10000") != 0 ||
	    sq_exec(k, "PRAGMA cache_size=-65536") != 0 ||
	    sq_exec(k, "PRAGMA temp_store=MEMORY") != 0) {
		if (!not_writable(k, target, err, errlen))
			snprintf(err, errlen, "%s: %s", target,
			    sqlite3_errmsg(k->db));
		goto out_close;
	}
	/* A file that is not a database fails here, not at first use. */
	if (sq_exec(k, "SELECT count(*) FROM sqlite_schema") != 0) {
		snprintf(err, errlen, "%s: %s", target, sqlite3_errmsg(k->db));
		goto out_close;
	}
	*out = k;
	return 0;

out_close:
	sqlite3_close(k->db);
	bnc_free(k);
	return BNC_EIO;
}

static void
sq_close(void *c)
{
	struct conn *k = c;
	unsigned i;

	if (k == NULL)
		return;
	for (i = 0; i < MAX_STMTS; i++)
		sqlite3_finalize(k->st[i]);
	sqlite3_close(k->db);
	bnc_free(k);
}

/* $N -> ?N: SQLite reads "$1" as a named parameter whose number is its
 * order of first appearance, not 1. */
static int
sq_prepare(void *c, unsigned id, const struct bnc_sql_stmt *st)
{
	struct conn *k = c;
	size_t n = strlen(st->sql), i;
	char *sql;
	int rc;

	k->custom_err = NULL;
	if (id >= MAX_STMTS) {
		k->custom_err = "too many statements";
		return -1;
	}
	sql = bnc_malloc(n + 1);
	if (sql == NULL) {
		k->custom_err = "out of memory";
		return -1;
	}
	for (i = 0; i <= n; i++)
		sql[i] = st->sql[i] == '$' ? '?' : st->sql[i];
	/* SQLite runs RETURNING through a temporary table built and torn
	 * down on every execution: that was half the cost of an ingest. An
	 * INSERT's RETURNING is only ever used here to learn whether a row
	 * went in, so it is cut off and answered from sqlite3_changes(). */
	k->returning[id] = false;
	if (strncmp(sql, "INSERT", 6) == 0) {
		char *ret = strstr(sql, " RETURNING ");
		if (ret != NULL) {
			*ret = '\0';
			n = (size_t)(ret - sql);
			k->returning[id] = true;
		}
	}
	sqlite3_finalize(k->st[id]);
	k->st[id] = NULL;
	rc = sqlite3_prepare_v3(k->db, sql, (int)n + 1,
	    SQLITE_PREPARE_PERSISTENT, &k->st[id], NULL);
	bnc_free(sql);
	if (rc == SQLITE_OK &&
	    sqlite3_bind_parameter_count(k->st[id]) != (int)st->nparams) {
		k->custom_err = "parameter count differs";
		return -1;
	}
	return rc == SQLITE_OK ? 0 : -1;
}

static int
sq_run(void *c, unsigned id, const struct bnc_sql_arg *args, unsigned nargs,
    bnc_sql_row_fn fn, void *payload)
{
	struct conn *k = c;
	sqlite3_stmt *st;
	const char *col[32];
	unsigned i;
	int rc, stop = 0;

	k->custom_err = NULL;
	if (id >= MAX_STMTS || k->st[id] == NULL) {
		k->custom_err = "statement not prepared";
		return -1;
	}
	st = k->st[id];
	for (i = 0; i < nargs; i++) {
		if (args[i].is_int)
			rc = sqlite3_bind_int64(st, (int)i + 1, args[i].i);
		else if (args[i].s == NULL)
			rc = sqlite3_bind_null(st, (int)i + 1);
		else	/* args outlive the step: no copy */
			rc = sqlite3_bind_text(st, (int)i + 1, args[i].s, -1,
			    SQLITE_STATIC);
		if (rc != SQLITE_OK)
			goto out_reset;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		unsigned n = (unsigned)sqlite3_column_count(st), j;
		if (n > 32)
			n = 32;
		for (j = 0; j < n; j++)
			col[j] = (const char *)sqlite3_column_text(st, (int)j);
		if (fn != NULL && (stop = fn(payload, col, n)) != 0)
			break;
	}
	if (stop)
		rc = SQLITE_DONE;
	if (rc == SQLITE_DONE && k->returning[id] && fn != NULL &&
	    sqlite3_changes(k->db) > 0) {
		char rowid[24];
		snprintf(rowid, sizeof(rowid), "%lld",
		    (long long)sqlite3_last_insert_rowid(k->db));
		col[0] = rowid;
		stop = fn(payload, col, 1);
	}
out_reset:
	/* Reset at once: a statement left mid-walk would hold the read
	 * snapshot and block the WAL checkpoint. */
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return -1;
	return stop ? 1 : 0;
}

static int
sq_begin(void *c)
{
	/* IMMEDIATE: take the write lock now, so two writers queue on the
	 * busy timeout instead of one failing at its first write. */
	return sq_exec(c, "BEGIN IMMEDIATE");
}

static int
sq_commit(void *c)
{
	return sq_exec(c, "COMMIT");
}

static int
sq_rollback(void *c)
{
	struct conn *k = c;

	if (sqlite3_get_autocommit(k->db))
		return 0;
	return sq_exec(c, "ROLLBACK");
}

static const char *
sq_errmsg(void *c)
{
	struct conn *k = c;

	return k->custom_err ? k->custom_err : sqlite3_errmsg(k->db);
}

const struct bnc_store_backend bnc_store_sqlite = {
	"sqlite", sq_open, sq_close, sq_exec, sq_prepare, sq_run,
	NULL,	/* no arrays: a statement per row costs no round trip here */
	sq_begin, sq_commit, sq_rollback, sq_errmsg, migrations,
	sizeof(migrations) / sizeof(migrations[0])
};

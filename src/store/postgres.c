/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * postgres.c - the shared backend (libpq), for several machines keeping
 * one list. Statements are server-side prepared once per connection
 * ("bnc_s<id>"); parameters travel as text, those of a statement over
 * many rows (run_many) as the text of arrays, one round trip for all.
 *
 * Writers are serialised with a transaction-scoped advisory lock, the
 * same one-writer-at-a-time rule SQLite has: the policy reads an
 * address's standing and writes the next one, and two ingests
 * interleaving those steps would lose a count. Readers are not blocked.
 *
 * Address and time columns use the "C" collation so ORDER BY gives byte
 * order, as in SQLite, whatever the server's default locale.
 *
 * libpq is loaded with dlopen() when the first PostgreSQL store is
 * opened, not linked: loading it and what it pulls in (TLS, Kerberos,
 * LDAP) cost every run of the program about 2 ms, `bouncer parse`
 * included, which never opens a store.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <libpq-fe.h>

#include "../util/alloc.h"
#include "../util/buf.h"
#include "store.h"

#ifndef BNC_LIBPQ_SONAME
#define BNC_LIBPQ_SONAME "libpq.so.5"
#endif

/* The libpq functions used here, found once. */
static struct {
	void (*clear)(PGresult *);
	PGconn *(*connectdb)(const char *);
	char *(*error_message)(const PGconn *);
	PGresult *(*exec)(PGconn *, const char *);
	PGresult *(*exec_prepared)(PGconn *, const char *, int,
	    const char *const *, const int *, const int *, int);
	void (*finish)(PGconn *);
	int (*getisnull)(const PGresult *, int, int);
	char *(*getvalue)(const PGresult *, int, int);
	int (*nfields)(const PGresult *);
	int (*ntuples)(const PGresult *);
	PGresult *(*prepare)(PGconn *, const char *, const char *, int,
	    const Oid *);
	char *(*result_error_message)(const PGresult *);
	ExecStatusType (*result_status)(const PGresult *);
	PQnoticeProcessor (*set_notice_processor)(PGconn *, PQnoticeProcessor,
	    void *);
	ConnStatusType (*status)(const PGconn *);
	PGTransactionStatusType (*transaction_status)(const PGconn *);
} pq;
static char pq_error[256];	/* why loading failed; "" when it did not */
static pthread_once_t pq_once = PTHREAD_ONCE_INIT;

static void
pq_load(void)
{
	static const struct {
		void **fn;
		const char *name;
	} syms[] = {
		{ (void **)&pq.clear, "PQclear" },
		{ (void **)&pq.connectdb, "PQconnectdb" },
		{ (void **)&pq.error_message, "PQerrorMessage" },
		{ (void **)&pq.exec, "PQexec" },
		{ (void **)&pq.exec_prepared, "PQexecPrepared" },
		{ (void **)&pq.finish, "PQfinish" },
		{ (void **)&pq.getisnull, "PQgetisnull" },
		{ (void **)&pq.getvalue, "PQgetvalue" },
		{ (void **)&pq.nfields, "PQnfields" },
		{ (void **)&pq.ntuples, "PQntuples" },
		{ (void **)&pq.prepare, "PQprepare" },
		{ (void **)&pq.result_error_message, "PQresultErrorMessage" },
		{ (void **)&pq.result_status, "PQresultStatus" },
		{ (void **)&pq.set_notice_processor, "PQsetNoticeProcessor" },
		{ (void **)&pq.status, "PQstatus" },
		{ (void **)&pq.transaction_status, "PQtransactionStatus" },
	};
	/* RTLD_GLOBAL and RTLD_DEFAULT: a function interposed by an
	 * LD_PRELOAD library (tests/store/crashshim.c) wins, as it would
	 * over a linked libpq, and finds libpq's own with RTLD_NEXT. */
	void *h = dlopen(BNC_LIBPQ_SONAME, RTLD_NOW | RTLD_GLOBAL);
	size_t i;

	if (h == NULL) {
		snprintf(pq_error, sizeof(pq_error), "cannot load %s: %s",
		    BNC_LIBPQ_SONAME, dlerror());
		return;
	}
	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		if ((*syms[i].fn = dlsym(RTLD_DEFAULT, syms[i].name)) == NULL &&
		    (*syms[i].fn = dlsym(h, syms[i].name)) == NULL) {
			snprintf(pq_error, sizeof(pq_error), "%s: no %s",
			    BNC_LIBPQ_SONAME, syms[i].name);
			return;
		}
	}
}

#define PQclear pq.clear
#define PQconnectdb pq.connectdb
#define PQerrorMessage pq.error_message
#define PQexec pq.exec
#define PQexecPrepared pq.exec_prepared
#define PQfinish pq.finish
#define PQgetisnull pq.getisnull
#define PQgetvalue pq.getvalue
#define PQnfields pq.nfields
#define PQntuples pq.ntuples
#define PQprepare pq.prepare
#define PQresultErrorMessage pq.result_error_message
#define PQresultStatus pq.result_status
#define PQsetNoticeProcessor pq.set_notice_processor
#define PQstatus pq.status
#define PQtransactionStatus pq.transaction_status

#define MAX_STMTS 32
/* pg_advisory_xact_lock key for writers: "bnc" in ASCII. */
#define WRITE_LOCK "6450531"

struct conn {
	PGconn *pg;
	char err[512];
	struct bnc_buf arrays;	/* run_many's parameters */
};

/* Every event_id column names the bnc_events row written in the same
 * transaction, so the references hold by construction. They are not
 * declared as foreign keys: PostgreSQL would look the event up and lock
 * it on every write (a third of an ingest), and SQLite does not check
 * them unless asked; the two backends keep the same schema. */
static const char *const migrations[] = {
	"CREATE TABLE bnc_events ("
	" id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	" event_key TEXT COLLATE \"C\" UNIQUE,"
	" address TEXT COLLATE \"C\" NOT NULL, kind TEXT NOT NULL,"
	" class TEXT NOT NULL,"
	" reason TEXT NOT NULL, action TEXT NOT NULL, rule TEXT NOT NULL,"
	" status TEXT NOT NULL, reply_code TEXT NOT NULL,"
	" diagnostic TEXT NOT NULL, campaign TEXT NOT NULL,"
	" message_id TEXT NOT NULL, provider TEXT NOT NULL,"
	" remote_mta TEXT NOT NULL, source TEXT NOT NULL,"
	" message BIGINT NOT NULL, occurred_at TEXT COLLATE \"C\" NOT NULL,"
	" ingested_at TEXT NOT NULL);"
	"CREATE INDEX bnc_events_address ON bnc_events(address, id);"
	"CREATE TABLE bnc_addresses ("
	" address TEXT COLLATE \"C\" PRIMARY KEY, state TEXT NOT NULL,"
	" reason TEXT NOT NULL, since TEXT NOT NULL,"
	" streak BIGINT NOT NULL,"
	" event_id BIGINT NOT NULL);"
	"CREATE TABLE bnc_changes ("
	" event_id BIGINT PRIMARY KEY,"
	" address TEXT COLLATE \"C\" NOT NULL,"
	" from_state TEXT NOT NULL, to_state TEXT NOT NULL,"
	" reason TEXT NOT NULL, streak BIGINT NOT NULL, at TEXT NOT NULL);"
	"CREATE TABLE bnc_streak ("
	" address TEXT COLLATE \"C\" NOT NULL, campaign TEXT NOT NULL,"
	" event_id BIGINT NOT NULL,"
	" PRIMARY KEY (address, campaign));"
	"CREATE TABLE bnc_retries ("
	" address TEXT COLLATE \"C\" NOT NULL,"
	" message_key TEXT COLLATE \"C\" NOT NULL,"
	" campaign TEXT NOT NULL, attempts BIGINT NOT NULL,"
	" first_at TEXT NOT NULL, last_at TEXT NOT NULL,"
	" next_at TEXT COLLATE \"C\" NOT NULL, state TEXT NOT NULL,"
	" event_id BIGINT NOT NULL,"
	" PRIMARY KEY (address, message_key));"
	"CREATE INDEX bnc_retries_due ON bnc_retries(next_at)"
	" WHERE state = 'pending';",
};

/* The server's NOTICEs ("relation already exists, skipping") are not
 * ours to print: the library never prints. */
static void
quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static void
set_err(struct conn *k, const char *what, const PGresult *res)
{
	const char *m = res ? PQresultErrorMessage(res) : "";

	if (m == NULL || *m == '\0')
		m = PQerrorMessage(k->pg);
	snprintf(k->err, sizeof(k->err), "%s%s%s", what, *what ? ": " : "",
	    m);
	/* libpq ends its messages with a newline; ours do not. */
	k->err[strcspn(k->err, "\n")] = '\0';
}

static int
pg_exec(void *c, const char *sql)
{
	struct conn *k = c;
	PGresult *res = PQexec(k->pg, sql);
	ExecStatusType st = PQresultStatus(res);
	int rc = 0;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		set_err(k, "", res);
		rc = -1;
	}
	PQclear(res);
	return rc;
}

static int
pg_open(void **out, const char *target, unsigned flags, char *err,
    size_t errlen)
{
	struct conn *k;

	(void)flags;
	pthread_once(&pq_once, pq_load);
	if (pq_error[0] != '\0') {
		snprintf(err, errlen, "%s", pq_error);
		return BNC_EIO;
	}
	k = bnc_calloc(1, sizeof(*k));
	if (k == NULL) {
		snprintf(err, errlen, "out of memory");
		return BNC_ENOMEM;
	}
	/* A parameter is at most 1 GB on the server. */
	bnc_buf_init(&k->arrays, (size_t)1 << 30);
	k->pg = PQconnectdb(target);
	if (k->pg == NULL || PQstatus(k->pg) != CONNECTION_OK) {
		const char *m = k->pg ? PQerrorMessage(k->pg) : "out of memory";
		snprintf(err, errlen, "%s", m);
		err[strcspn(err, "\n")] = '\0';
		PQfinish(k->pg);
		bnc_free(k);
		return BNC_EIO;
	}
	PQsetNoticeProcessor(k->pg, quiet, NULL);
	/* Times are text, so the session's time zone does not matter; the
	 * client encoding does: records are UTF-8. */
	if (pg_exec(k, "SET client_encoding = 'UTF8'") != 0) {
		snprintf(err, errlen, "%s", k->err);
		PQfinish(k->pg);
		bnc_free(k);
		return BNC_EIO;
	}
	*out = k;
	return 0;
}

static void
pg_close(void *c)
{
	struct conn *k = c;

	if (k == NULL)
		return;
	PQfinish(k->pg);
	bnc_buf_deinit(&k->arrays);
	bnc_free(k);
}

static int
pg_prepare(void *c, unsigned id, const struct bnc_sql_stmt *st)
{
	struct conn *k = c;
	char name[16];
	PGresult *res;
	int rc = 0;

	if (id >= MAX_STMTS) {
		snprintf(k->err, sizeof(k->err), "too many statements");
		return -1;
	}
	snprintf(name, sizeof(name), "bnc_s%u", id);
	res = PQprepare(k->pg, name, st->sql, (int)st->nparams, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		set_err(k, "prepare", res);
		rc = -1;
	}
	PQclear(res);
	return rc;
}

/* Run prepared statement `id` with text parameters and walk its rows. */
static int
exec_walk(struct conn *k, unsigned id, const char *const *vals,
    unsigned nargs, bnc_sql_row_fn fn, void *payload)
{
	const char *col[32];
	char name[16];
	PGresult *res;
	ExecStatusType st;
	int rows, cols, r, j, stop = 0;

	snprintf(name, sizeof(name), "bnc_s%u", id);
	res = PQexecPrepared(k->pg, name, (int)nargs, vals, NULL, NULL, 0);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		set_err(k, "", res);
		PQclear(res);
		return -1;
	}
	rows = PQntuples(res);
	cols = PQnfields(res);
	if (cols > 32)
		cols = 32;
	for (r = 0; r < rows && !stop && fn != NULL; r++) {
		for (j = 0; j < cols; j++)
			col[j] = PQgetisnull(res, r, j) ? NULL :
			    PQgetvalue(res, r, j);
		stop = fn(payload, col, (unsigned)cols);
	}
	PQclear(res);
	return stop ? 1 : 0;
}

static int
pg_run(void *c, unsigned id, const struct bnc_sql_arg *args, unsigned nargs,
    bnc_sql_row_fn fn, void *payload)
{
	struct conn *k = c;
	const char *vals[32];
	char ints[32][24];
	unsigned i;

	if (nargs > 32) {
		snprintf(k->err, sizeof(k->err), "too many parameters");
		return -1;
	}
	for (i = 0; i < nargs; i++) {
		if (args[i].is_int) {
			snprintf(ints[i], sizeof(ints[i]), "%lld", args[i].i);
			vals[i] = ints[i];
		} else {
			vals[i] = args[i].s;
		}
	}
	return exec_walk(k, id, vals, nargs, fn, payload);
}

/* Append one element of an array literal: a number, NULL, or a string
 * in double quotes with \ and " escaped (array_in's rules: nothing else
 * is special inside the quotes). */
static int
array_elem(struct bnc_buf *b, const struct bnc_sql_arg *a)
{
	const char *p, *q;

	if (a->is_int) {
		char num[24];
		int n = snprintf(num, sizeof(num), "%lld", a->i);
		return bnc_buf_add(b, num, (size_t)n);
	}
	if (a->s == NULL)
		return bnc_buf_add(b, "NULL", 4);
	if (bnc_buf_addc(b, '"') != 0)
		return -1;
	for (p = a->s; (q = strpbrk(p, "\\\"")) != NULL; p = q + 1) {
		if (bnc_buf_add(b, p, (size_t)(q - p)) != 0 ||
		    bnc_buf_addc(b, '\\') != 0 || bnc_buf_addc(b, *q) != 0)
			return -1;
	}
	if (bnc_buf_adds(b, p) != 0 || bnc_buf_addc(b, '"') != 0)
		return -1;
	return 0;
}

/* Each parameter goes as the text of an array, '{"a","b"}' or '{1,2}':
 * one statement and one round trip for any number of rows. */
static int
pg_run_many(void *c, unsigned id, const struct bnc_sql_arg *args,
    unsigned ncols, size_t nrows, bnc_sql_row_fn fn, void *payload)
{
	struct conn *k = c;
	const char *vals[32];
	size_t off[32], r;
	unsigned j;

	if (ncols > 32) {
		snprintf(k->err, sizeof(k->err), "too many parameters");
		return -1;
	}
	bnc_buf_reset(&k->arrays);
	for (j = 0; j < ncols; j++) {
		off[j] = k->arrays.len;
		if (bnc_buf_addc(&k->arrays, '{') != 0)
			goto out_nomem;
		for (r = 0; r < nrows; r++) {
			if ((r > 0 && bnc_buf_addc(&k->arrays, ',') != 0) ||
			    array_elem(&k->arrays, &args[r * ncols + j]) != 0)
				goto out_nomem;
		}
		/* Its NUL ends this parameter; the next starts after it. */
		if (bnc_buf_add(&k->arrays, "}", 2) != 0)
			goto out_nomem;
	}
	for (j = 0; j < ncols; j++)
		vals[j] = k->arrays.ptr + off[j];
	return exec_walk(k, id, vals, ncols, fn, payload);

out_nomem:
	snprintf(k->err, sizeof(k->err), "out of memory (%zu rows)", nrows);
	return -1;
}

static int
pg_begin(void *c)
{
	return pg_exec(c, "BEGIN; SELECT pg_advisory_xact_lock(" WRITE_LOCK
	    ")");
}

static int
pg_commit(void *c)
{
	return pg_exec(c, "COMMIT");
}

static int
pg_rollback(void *c)
{
	struct conn *k = c;

	if (PQtransactionStatus(k->pg) == PQTRANS_IDLE)
		return 0;
	return pg_exec(c, "ROLLBACK");
}

static const char *
pg_errmsg(void *c)
{
	struct conn *k = c;

	return k->err;
}

const struct bnc_store_backend bnc_store_postgres = {
	"postgresql", pg_open, pg_close, pg_exec, pg_prepare, pg_run,
	pg_run_many, pg_begin, pg_commit, pg_rollback, pg_errmsg, migrations,
	sizeof(migrations) / sizeof(migrations[0])
};

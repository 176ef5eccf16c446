/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * crashshim.c - an LD_PRELOAD library for tests/store/crash.sh that
 * makes `bouncer ingest` die by SIGKILL at a chosen point, so that the
 * crash test does not depend on when a timer happens to fire:
 *
 *   BNC_CRASH_AFTER=N          after the N-th call into the database
 *                              (sqlite3_step, sqlite3_exec, PQexec,
 *                              PQexecPrepared): between two statements
 *                              of a batch, or inside the migrations
 *   BNC_CRASH_BEFORE_COMMIT=K  just before the K-th COMMIT: a whole
 *                              batch written and not committed
 *   BNC_CRASH_COUNT=FILE       write the number of calls there at exit
 *                              (a clean run, to place the kills)
 *
 * Only bouncer's own calls are seen (calls inside libsqlite3 bind
 * there). The signal is SIGKILL, as `kill -9`: no handler, no atexit.
 */
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <sqlite3.h>

static unsigned long calls, commits;
static unsigned long crash_after, crash_commit;
static int ready;

static unsigned long
env_ulong(const char *name)
{
	const char *v = getenv(name);

	return v != NULL ? strtoul(v, NULL, 10) : 0;
}

static void
count_at_exit(void)
{
	const char *path = getenv("BNC_CRASH_COUNT");
	FILE *fp;

	if (path == NULL || (fp = fopen(path, "w")) == NULL)
		return;
	fprintf(fp, "%lu %lu\n", calls, commits);
	fclose(fp);
}

static void
setup(void)
{
	if (ready)
		return;
	ready = 1;
	crash_after = env_ulong("BNC_CRASH_AFTER");
	crash_commit = env_ulong("BNC_CRASH_BEFORE_COMMIT");
	if (getenv("BNC_CRASH_COUNT") != NULL)
		atexit(count_at_exit);
}

/* Before a call: die if it is the K-th COMMIT. */
static void
before(const char *sql)
{
	setup();
	if (sql != NULL && strncmp(sql, "COMMIT", 6) == 0 &&
	    ++commits == crash_commit)
		raise(SIGKILL);
}

/* After a call: die if it was the N-th. */
static void
after(void)
{
	if (++calls == crash_after)
		raise(SIGKILL);
}

/* dlsym() returns an object pointer; ISO C has no conversion to a
 * function pointer, POSIX guarantees this copy works. */
#define REAL(var, name) \
	do { \
		if ((var) == NULL) { \
			void *p_ = dlsym(RTLD_NEXT, name); \
			memcpy(&(var), &p_, sizeof(p_)); \
		} \
	} while (0)

int
sqlite3_step(sqlite3_stmt *st)
{
	static int (*real)(sqlite3_stmt *);
	int rc;

	REAL(real, "sqlite3_step");
	before(NULL);
	rc = real(st);
	after();
	return rc;
}

int
sqlite3_exec(sqlite3 *db, const char *sql,
    int (*cb)(void *, int, char **, char **), void *arg, char **err)
{
	static int (*real)(sqlite3 *, const char *,
	    int (*)(void *, int, char **, char **), void *, char **);
	int rc;

	REAL(real, "sqlite3_exec");
	before(sql);
	rc = real(db, sql, cb, arg, err);
	after();
	return rc;
}

PGresult *
PQexec(PGconn *conn, const char *sql)
{
	static PGresult *(*real)(PGconn *, const char *);
	PGresult *res;

	REAL(real, "PQexec");
	before(sql);
	res = real(conn, sql);
	after();
	return res;
}

PGresult *
PQexecPrepared(PGconn *conn, const char *name, int n,
    const char *const *values, const int *lengths, const int *formats,
    int result_format)
{
	static PGresult *(*real)(PGconn *, const char *, int,
	    const char *const *, const int *, const int *, int);
	PGresult *res;

	REAL(real, "PQexecPrepared");
	before(NULL);
	res = real(conn, name, n, values, lengths, formats, result_format);
	after();
	return res;
}

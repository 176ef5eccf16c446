/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_store.c - the store and the policy together, on one backend:
 *
 *     test_store sqlite          a SQLite file per case (always)
 *     test_store postgres        a PostgreSQL database per case, on the
 *                                server named by $BNC_TEST_PG_URL; exits
 *                                77 (skipped) when it is not set
 *
 * The same cases run on both, which is the point: identical behaviour.
 */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "harness.h"
#include "store/store.h"
#include "util/sha256.h"

static bool pg;			/* which backend this run tests */
static const char *pg_url;
static char tmpdir[256];
static unsigned ncase;

/* A PostgreSQL URL with its database name replaced. */
static void
pg_db_url(char *out, size_t size, const char *db)
{
	const char *slash = strrchr(pg_url, '/');
	int n = (int)(slash - pg_url);

	snprintf(out, size, "%.*s/%s", n, pg_url, db);
}

static bool
pg_admin(const char *sql)
{
	PGconn *c = PQconnectdb(pg_url);
	PGresult *r;
	bool ok;

	if (PQstatus(c) != CONNECTION_OK) {
		printf("cannot connect to %s: %s", pg_url, PQerrorMessage(c));
		PQfinish(c);
		return false;
	}
	r = PQexec(c, sql);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		printf("%s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(c);
	return ok;
}

/* A fresh, empty store for one case; its target goes to `target`. */
static struct bnc_store *
fresh(const char *name, char *target, size_t size)
{
	struct bnc_store *s = NULL;
	struct bnc_error err;
	char db[64], sql[160];

	ncase++;
	if (pg) {
		snprintf(db, sizeof(db), "bnc_unit_%ld_%u", (long)getpid(),
		    ncase);
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", db);
		pg_admin(sql);
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s", db);
		if (!pg_admin(sql)) {
			CHECK_FAIL(name, "no database", "a new database");
			return NULL;
		}
		pg_db_url(target, size, db);
	} else {
		snprintf(target, size, "%s/case%u.db", tmpdir, ncase);
	}
	if (bnc_store_open(&s, target, 0, &err) != 0) {
		CHECK_FAIL(name, err.msg, "the store open");
		return NULL;
	}
	return s;
}

static void
drop(struct bnc_store *s, const char *target)
{
	char sql[160];

	bnc_store_close(s);
	if (pg) {
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s",
		    strrchr(target, '/') + 1);
		pg_admin(sql);
	} else {
		char p[600];
		unlink(target);
		snprintf(p, sizeof(p), "%s-wal", target);
		unlink(p);
		snprintf(p, sizeof(p), "%s-shm", target);
		unlink(p);
	}
}

static struct bnc_record
rec(const char *rcpt, enum bnc_class cls, const char *status,
    const char *campaign, const char *msgid)
{
	struct bnc_record r;

	memset(&r, 0, sizeof(r));
	r.recipient = rcpt;
	r.sender = r.reply_code = r.diagnostic = r.diagnostic_type = "";
	r.dsn_action = r.remote_mta = r.reporting_mta = r.smtp_command = "";
	r.list_id = r.feedback_type = r.timestamp = r.mta = r.provider = "";
	r.reason = r.rule = "";
	r.status = status;
	r.campaign = campaign;
	r.message_id = msgid;
	r.cls = cls;
	r.action = BNC_ACTION_NONE;
	return r;
}

/* Ingest `r` as if it came in the bounce called `bounce` at `at`. */
static int
ing(struct bnc_store *s, const struct bnc_policy *p,
    const struct bnc_record *r, const char *bounce, const char *at,
    struct bnc_ingest_result *res)
{
	struct bnc_sha256 h;
	unsigned char ident[32];
	char key[BNC_EVENT_KEY_LEN];
	struct bnc_event ev;

	bnc_sha256_init(&h);
	bnc_sha256_update(&h, bounce, strlen(bounce));
	bnc_sha256_final(&h, ident);
	bnc_event_key(key, ident, r->recipient);
	memset(&ev, 0, sizeof(ev));
	ev.key = key;
	ev.rec = r;
	ev.campaign = r->campaign;
	ev.source = "test";
	ev.message = 1;
	ev.at = at;
	return bnc_store_ingest(s, p, &ev, res);
}

static void
expect(const char *name, struct bnc_store *s, const char *addr,
    enum bnc_state state, const char *reason, const char *since,
    long long streak)
{
	struct bnc_check c;

	CHECK_INT(name, "check rc", bnc_store_check(s, addr, &c), 0);
	CHECK_STR(name, "state", bnc_state_name(c.state),
	    bnc_state_name(state));
	CHECK_STR(name, "reason", c.reason, reason);
	CHECK_STR(name, "since", c.since, since);
	CHECK_INT(name, "streak", c.streak, streak);
}

static int
count_cb(void *payload, const struct bnc_history *h)
{
	unsigned *n = payload;

	(void)h;
	(*n)++;
	return 0;
}

static unsigned
history_len(struct bnc_store *s, const char *addr)
{
	unsigned n = 0;

	if (bnc_store_history(s, addr, count_cb, &n) != 0)
		return 9999;
	return n;
}

static void
case_hard_and_duplicate(void)
{
	const char *name = "hard, then the same bounce again";
	struct bnc_policy p = BNC_POLICY_INIT;
	struct bnc_ingest_result res;
	struct bnc_record r = rec("jane@example.net", BNC_CLASS_HARD, "5.1.1",
	    "c1", "<m1@example.com>");
	char target[512];
	struct bnc_store *s = fresh(name, target, sizeof(target));

	if (s == NULL)
		return;
	CHECK_INT(name, "ingest", ing(s, &p, &r, "b1", "2024-05-01T10:00:00Z",
	    &res), 0);
	CHECK_BOOL(name, "duplicate", res.duplicate, false);
	CHECK_BOOL(name, "changed", res.changed, true);
	CHECK_STR(name, "to", bnc_state_name(res.to), "suppressed");
	expect(name, s, "jane@example.net", BNC_STATE_SUPPRESSED,
	    "hard-bounce", "2024-05-01T10:00:00Z", 0);
	/* Again, even with another time: the same event, nothing moves. */
	CHECK_INT(name, "ingest 2", ing(s, &p, &r, "b1",
	    "2024-06-01T10:00:00Z", &res), 0);
	CHECK_BOOL(name, "duplicate 2", res.duplicate, true);
	CHECK_BOOL(name, "changed 2", res.changed, false);
	expect(name, s, "jane@example.net", BNC_STATE_SUPPRESSED,
	    "hard-bounce", "2024-05-01T10:00:00Z", 0);
	CHECK_INT(name, "history", history_len(s, "jane@example.net"), 1);
	/* Domains compare without case, local parts with. */
	expect(name, s, "jane@EXAMPLE.NET", BNC_STATE_SUPPRESSED,
	    "hard-bounce", "2024-05-01T10:00:00Z", 0);
	expect(name, s, "Jane@example.net", BNC_STATE_OK, "", "", 0);
	expect(name, s, "nobody@example.net", BNC_STATE_OK, "", "", 0);
	drop(s, target);
}

static void
case_complaint(void)
{
	const char *name = "complaint";
	struct bnc_policy p = BNC_POLICY_INIT;
	struct bnc_ingest_result res;
	struct bnc_record r = rec("Dana@Example.NET", BNC_CLASS_COMPLAINT, "",
	    "c1", "");
	char target[512];
	struct bnc_store *s = fresh(name, target, sizeof(target));

	if (s == NULL)
		return;
	CHECK_INT(name, "ingest", ing(s, &p, &r, "arf1",
	    "2024-05-01T10:00:00Z", &res), 0);
	expect(name, s, "Dana@example.net", BNC_STATE_SUPPRESSED, "complaint",
	    "2024-05-01T10:00:00Z", 0);
	drop(s, target);
}

static void
case_soft_streak(void)
{
	const char *name = "soft streak";
	struct bnc_policy p = BNC_POLICY_INIT;
	struct bnc_ingest_result res;
	const char *a = "sam@example.org";
	struct bnc_record r1 = rec(a, BNC_CLASS_SOFT, "4.2.2", "c1", "<m1@x>");
	struct bnc_record r1b = rec(a, BNC_CLASS_SOFT, "4.2.2", "c1", "<m1@x>");
	struct bnc_record r2 = rec(a, BNC_CLASS_SOFT, "4.2.2", "c2", "<m2@x>");
	struct bnc_record r3 = rec(a, BNC_CLASS_SOFT, "4.4.1", "c3", "<m3@x>");
	char target[512];
	struct bnc_store *s = fresh(name, target, sizeof(target));

	if (s == NULL)
		return;
	ing(s, &p, &r1, "b1", "2024-05-01T10:00:00Z", &res);
	CHECK_BOOL(name, "first retry", res.retry_scheduled, true);
	expect(name, s, a, BNC_STATE_SOFT, "soft-bounce",
	    "2024-05-01T10:00:00Z", 1);
	/* Another bounce (a retry) in the same campaign counts once. */
	ing(s, &p, &r1b, "b1-retry", "2024-05-01T13:00:00Z", &res);
	CHECK_BOOL(name, "same campaign duplicate", res.duplicate, false);
	CHECK_BOOL(name, "same campaign changed", res.changed, false);
	expect(name, s, a, BNC_STATE_SOFT, "soft-bounce",
	    "2024-05-01T10:00:00Z", 1);
	ing(s, &p, &r2, "b2", "2024-05-08T10:00:00Z", &res);
	expect(name, s, a, BNC_STATE_SOFT, "soft-bounce",
	    "2024-05-01T10:00:00Z", 2);
	ing(s, &p, &r3, "b3", "2024-05-15T10:00:00Z", &res);
	CHECK_STR(name, "third to", bnc_state_name(res.to), "suppressed");
	CHECK_STR(name, "third reason", res.reason, "soft-streak");
	expect(name, s, a, BNC_STATE_SUPPRESSED, "soft-streak",
	    "2024-05-15T10:00:00Z", 3);
	CHECK_INT(name, "history", history_len(s, a), 4);
	drop(s, target);
}

static void
case_delivered_resets(void)
{
	const char *name = "delivered resets the streak";
	struct bnc_policy p = BNC_POLICY_INIT;
	struct bnc_ingest_result res;
	const char *a = "kim@example.org";
	struct bnc_record s1 = rec(a, BNC_CLASS_SOFT, "4.2.2", "c1", "<m1@x>");
	struct bnc_record s2 = rec(a, BNC_CLASS_SOFT, "4.2.2", "c2", "<m2@x>");
	struct bnc_record ok = rec(a, BNC_CLASS_DELIVERED, "2.0.0", "c3",
	    "<m3@x>");
	struct bnc_record s1again = rec(a, BNC_CLASS_SOFT, "4.2.2", "c1",
	    "<m1@x>");
	struct bnc_record s4 = rec(a, BNC_CLASS_SOFT, "4.2.2", "c4", "<m4@x>");
	char target[512];
	struct bnc_store *s = fresh(name, target, sizeof(target));

	if (s == NULL)
		return;
	ing(s, &p, &s1, "b1", "2024-05-01T10:00:00Z", &res);
	ing(s, &p, &s2, "b2", "2024-05-02T10:00:00Z", &res);
	expect(name, s, a, BNC_STATE_SOFT, "soft-bounce",
	    "2024-05-01T10:00:00Z", 2);
	ing(s, &p, &ok, "d3", "2024-05-03T10:00:00Z", &res);
	CHECK_BOOL(name, "delivered changed", res.changed, true);
	expect(name, s, a, BNC_STATE_OK, "delivered", "2024-05-03T10:00:00Z",
	    0);
	/* After the reset campaign c1 counts again, from 1. */
	ing(s, &p, &s1again, "b1-later", "2024-05-04T10:00:00Z", &res);
	expect(name, s, a, BNC_STATE_SOFT, "soft-bounce",
	    "2024-05-04T10:00:00Z", 1);
	ing(s, &p, &s4, "b4", "2024-05-05T10:00:00Z", &res);
	expect(name, s, a, BNC_STATE_SOFT, "soft-bounce",
	    "2024-05-04T10:00:00Z", 2);
	drop(s, target);
}

static void
case_gray_and_others(void)
{
	const char *name = "gray, auto_reply, unknown never count";
	struct bnc_policy p = BNC_POLICY_INIT;
	struct bnc_ingest_result res;
	const char *a = "lee@example.com";
	static const char *const camps[] = { "c1", "c2", "c3", "c4", "c5" };
	char target[512], bounce[16];
	struct bnc_store *s = fresh(name, target, sizeof(target));
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < H_NELEM(camps); i++) {
		struct bnc_record g = rec(a, BNC_CLASS_GRAY, "4.7.650",
		    camps[i], "");
		snprintf(bounce, sizeof(bounce), "g%zu", i);
		CHECK_INT(name, "gray ingest", ing(s, &p, &g, bounce,
		    "2024-05-01T10:00:00Z", &res), 0);
		CHECK_BOOL(name, "gray changed", res.changed, false);
		CHECK_BOOL(name, "gray retry", res.retry_scheduled, false);
	}
	{
		struct bnc_record ar = rec(a, BNC_CLASS_AUTO_REPLY, "", "c6",
		    "");
		struct bnc_record un = rec(a, BNC_CLASS_UNKNOWN, "", "c7", "");
		ing(s, &p, &ar, "ar", "2024-05-02T10:00:00Z", &res);
		CHECK_BOOL(name, "auto_reply changed", res.changed, false);
		ing(s, &p, &un, "un", "2024-05-03T10:00:00Z", &res);
		CHECK_BOOL(name, "unknown changed", res.changed, false);
	}
	expect(name, s, a, BNC_STATE_OK, "", "", 0);
	CHECK_INT(name, "recorded", history_len(s, a), 7);
	drop(s, target);
}

static void
case_sticky(void)
{
	const char *name = "suppression is sticky";
	struct bnc_policy p = BNC_POLICY_INIT;
	struct bnc_ingest_result res;
	const char *a = "pat@example.org";
	struct bnc_record h = rec(a, BNC_CLASS_HARD, "5.1.1", "c1", "<m1@x>");
	struct bnc_record d = rec(a, BNC_CLASS_DELIVERED, "2.0.0", "c2",
	    "<m2@x>");
	struct bnc_record so = rec(a, BNC_CLASS_SOFT, "4.2.2", "c3", "<m3@x>");
	char target[512];
	struct bnc_store *s = fresh(name, target, sizeof(target));

	if (s == NULL)
		return;
	ing(s, &p, &h, "b1", "2024-05-01T10:00:00Z", &res);
	ing(s, &p, &d, "b2", "2024-05-02T10:00:00Z", &res);
	CHECK_BOOL(name, "delivered changed", res.changed, false);
	ing(s, &p, &so, "b3", "2024-05-03T10:00:00Z", &res);
	CHECK_BOOL(name, "soft retry", res.retry_scheduled, false);
	expect(name, s, a, BNC_STATE_SUPPRESSED, "hard-bounce",
	    "2024-05-01T10:00:00Z", 0);
	drop(s, target);
}

struct due {
	unsigned n;
	char addr[64], next[32];
	long long attempts;
};

static int
due_cb(void *payload, const struct bnc_retry *r)
{
	struct due *d = payload;

	if (d->n++ == 0) {
		snprintf(d->addr, sizeof(d->addr), "%s", r->address);
		snprintf(d->next, sizeof(d->next), "%s", r->next_at);
		d->attempts = r->attempts;
	}
	return 0;
}

static struct due
due_at(struct bnc_store *s, const char *at)
{
	struct due d;

	memset(&d, 0, sizeof(d));
	if (bnc_store_retries_due(s, at, due_cb, &d) != 0)
		d.n = 9999;
	return d;
}

static void
case_retries(void)
{
	const char *name = "retry schedule";
	struct bnc_policy p = BNC_POLICY_INIT;
	struct bnc_ingest_result res;
	const char *a = "ops@slow.example.org";
	char target[512], bounce[16];
	struct bnc_store *s = fresh(name, target, sizeof(target));
	struct due d;
	static const char *const at[] = { "2024-01-01T00:00:00Z",
		"2024-01-01T02:20:00Z", "2024-01-01T07:00:00Z",
		"2024-01-01T16:30:00Z", "2024-01-02T11:00:00Z",
		"2024-01-04T00:00:00Z" };
	static const char *const next[] = { "2024-01-01T02:19:21Z",
		"2024-01-01T06:58:03Z", "2024-01-01T16:15:29Z",
		"2024-01-02T10:50:19Z", "2024-01-04T00:00:00Z", NULL };
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < H_NELEM(at); i++) {
		struct bnc_record r = rec(a, BNC_CLASS_SOFT, "4.2.2", "c1",
		    "<m1@x>");
		snprintf(bounce, sizeof(bounce), "r%zu", i);
		CHECK_INT(name, "ingest", ing(s, &p, &r, bounce, at[i], &res),
		    0);
		CHECK_BOOL(name, "scheduled", res.retry_scheduled,
		    next[i] != NULL);
		CHECK_BOOL(name, "exhausted", res.retry_exhausted,
		    next[i] == NULL);
		if (next[i] == NULL)
			break;
		d = due_at(s, "2030-01-01");
		CHECK_INT(name, "due count", d.n, 1);
		CHECK_STR(name, "next", d.next, next[i]);
		CHECK_INT(name, "attempts", d.attempts, (long long)i + 1);
	}
	d = due_at(s, "2030-01-01");
	CHECK_INT(name, "exhausted: none due", d.n, 0);
	/* One streak campaign all along: never suppressed by retries. */
	expect(name, s, a, BNC_STATE_SOFT, "soft-bounce",
	    "2024-01-01T00:00:00Z", 1);

	/* A fresh message: due exactly at its slot, not a second before. */
	{
		struct bnc_record r = rec("b@example.org", BNC_CLASS_SOFT,
		    "4.2.2", "c9", "<m9@x>");
		ing(s, &p, &r, "x1", "2024-02-01T00:00:00Z", &res);
		d = due_at(s, "2024-02-01T02:19:20Z");
		CHECK_INT(name, "before the slot", d.n, 0);
		d = due_at(s, "2024-02-01T02:19:21Z");
		CHECK_INT(name, "at the slot", d.n, 1);
		CHECK_STR(name, "due address", d.addr, "b@example.org");
		/* delivered closes it */
		r = rec("b@example.org", BNC_CLASS_DELIVERED, "2.0.0", "c9",
		    "<m9@x>");
		ing(s, &p, &r, "x2", "2024-02-01T03:00:00Z", &res);
		d = due_at(s, "2030-01-01");
		CHECK_INT(name, "delivered closes", d.n, 0);
	}
	/* A hard bounce cancels pending retries. */
	{
		struct bnc_record r = rec("c@example.org", BNC_CLASS_SOFT,
		    "4.2.2", "c9", "<m9@x>");
		ing(s, &p, &r, "y1", "2024-02-01T00:00:00Z", &res);
		d = due_at(s, "2030-01-01");
		CHECK_INT(name, "pending", d.n, 1);
		r = rec("c@example.org", BNC_CLASS_HARD, "5.1.1", "c10",
		    "<m10@x>");
		ing(s, &p, &r, "y2", "2024-02-02T00:00:00Z", &res);
		d = due_at(s, "2030-01-01");
		CHECK_INT(name, "cancelled", d.n, 0);
	}
	CHECK_INT(name, "bad time", bnc_store_retries_due(s, "soon", due_cb,
	    &d), BNC_EINVAL);
	drop(s, target);
}

static void
case_policy_numbers(void)
{
	const char *name = "configured numbers";
	struct bnc_policy p = BNC_POLICY_INIT;
	struct bnc_ingest_result res;
	struct bnc_record r = rec("q@example.org", BNC_CLASS_SOFT, "4.2.2",
	    "c1", "<m1@x>");
	char target[512];
	struct bnc_store *s = fresh(name, target, sizeof(target));
	struct due d;

	if (s == NULL)
		return;
	p.soft_streak_limit = 1;
	p.retry_attempts = 0;
	ing(s, &p, &r, "b1", "2024-05-01T10:00:00Z", &res);
	expect(name, s, "q@example.org", BNC_STATE_SUPPRESSED, "soft-streak",
	    "2024-05-01T10:00:00Z", 1);
	d = due_at(s, "2030-01-01");
	CHECK_INT(name, "no retries", d.n, 0);
	drop(s, target);
}

struct list {
	unsigned n;
	char text[1024];
};

static int
list_cb(void *payload, const struct bnc_suppression *r)
{
	struct list *l = payload;
	size_t len = strlen(l->text);

	snprintf(l->text + len, sizeof(l->text) - len, "%s|%s|%s|%s\n",
	    r->address, r->reason, r->since, r->kind);
	l->n++;
	return 0;
}

static void
case_manual_and_list(void)
{
	const char *name = "manual add, remove and the list";
	struct bnc_policy p = BNC_POLICY_INIT;
	struct bnc_ingest_result res;
	struct bnc_record h = rec("zed@example.org", BNC_CLASS_HARD, "5.1.1",
	    "c1", "");
	char target[512];
	struct bnc_store *s = fresh(name, target, sizeof(target));
	struct list l;
	bool changed;

	if (s == NULL)
		return;
	ing(s, &p, &h, "b1", "2024-05-01T10:00:00Z", &res);
	CHECK_INT(name, "add", bnc_store_suppress(s, "Abe@Example.ORG",
	    "manual", "asked to leave", "2024-05-02T00:00:00Z", &changed), 0);
	CHECK_BOOL(name, "add changed", changed, true);
	CHECK_INT(name, "add again", bnc_store_suppress(s, "Abe@example.org",
	    "manual", "again", NULL, &changed), 0);
	CHECK_BOOL(name, "add again changed", changed, false);
	CHECK_INT(name, "import", bnc_store_suppress(s, "abe@example.org",
	    "import", "", "2024-05-03", &changed), 0);
	memset(&l, 0, sizeof(l));
	CHECK_INT(name, "list", bnc_store_suppressions(s, list_cb, &l), 0);
	/* byte order: upper case before lower case */
	CHECK_STR(name, "list text", l.text,
	    "Abe@example.org|asked to leave|2024-05-02T00:00:00Z|manual\n"
	    "abe@example.org|import|2024-05-03T00:00:00Z|import\n"
	    "zed@example.org|hard-bounce|2024-05-01T10:00:00Z|bounce\n");
	CHECK_INT(name, "remove", bnc_store_unsuppress(s, "zed@EXAMPLE.org",
	    "2024-05-04T00:00:00Z", &changed), 0);
	CHECK_BOOL(name, "remove changed", changed, true);
	CHECK_INT(name, "remove again", bnc_store_unsuppress(s,
	    "zed@example.org", NULL, &changed), 0);
	CHECK_BOOL(name, "remove again changed", changed, false);
	expect(name, s, "zed@example.org", BNC_STATE_OK, "removed",
	    "2024-05-04T00:00:00Z", 0);
	CHECK_INT(name, "history", history_len(s, "zed@example.org"), 2);
	CHECK_INT(name, "bad address", bnc_store_suppress(s, "  ", "manual",
	    "", NULL, &changed), BNC_EINVAL);
	CHECK_INT(name, "bad time", bnc_store_suppress(s, "x@example.org",
	    "manual", "", "later", &changed), BNC_EINVAL);
	drop(s, target);
}

struct exp {
	char text[1024];
};

static int
export_cb(void *payload, const struct bnc_suppression *r)
{
	struct exp *x = payload;
	size_t len = strlen(x->text);

	snprintf(x->text + len, sizeof(x->text) - len, "%s|%s|%s|%s|%s\n",
	    r->address, r->reason, r->campaign, r->source, r->diagnostic);
	return 0;
}

/* Bytes that are not UTF-8 (a raw Latin-1 diagnostic, a file name, a
 * reason typed in another charset) are stored as U+FFFD on both
 * backends: PostgreSQL refused them and stopped the ingest. */
static void
case_not_utf8(void)
{
	const char *name = "text that is not UTF-8";
	struct bnc_policy p = BNC_POLICY_INIT;
	struct bnc_ingest_result res;
	struct bnc_record r = rec("caf\xe9@Example.NET", BNC_CLASS_HARD,
	    "5.1.1", "c\xff" "1", "<m1@x>");
	struct bnc_event ev;
	char target[512];
	struct bnc_store *s = fresh(name, target, sizeof(target));
	struct exp x;
	bool changed;

	if (s == NULL)
		return;
	r.diagnostic = "550 5.1.1 \xe9t\xe9 inconnu \xc3";
	memset(&ev, 0, sizeof(ev));
	ev.key = "0123456789abcdef0123456789abcdef";
	ev.rec = &r;
	ev.campaign = r.campaign;
	ev.source = "/var/mail/b\xf6se";
	ev.message = 1;
	ev.at = "2024-05-01T10:00:00Z";
	CHECK_INT(name, "ingest", bnc_store_ingest(s, &p, &ev, &res), 0);
	CHECK_BOOL(name, "changed", res.changed, true);
	expect(name, s, "caf\xe9@example.net", BNC_STATE_SUPPRESSED,
	    "hard-bounce", "2024-05-01T10:00:00Z", 0);
	CHECK_INT(name, "add", bnc_store_suppress(s, "x@example.org",
	    "manual", "\xe9t\xe9", "2024-05-02T00:00:00Z", &changed), 0);
	memset(&x, 0, sizeof(x));
	CHECK_INT(name, "list", bnc_store_suppressions(s, export_cb, &x), 0);
	CHECK_STR(name, "stored", x.text,
	    "caf\xef\xbf\xbd@example.net|hard-bounce|c\xef\xbf\xbd" "1|"
	    "/var/mail/b\xef\xbf\xbdse|550 5.1.1 \xef\xbf\xbdt\xef\xbf\xbd"
	    " inconnu \xef\xbf\xbd\n"
	    "x@example.org|\xef\xbf\xbdt\xef\xbf\xbd||manual|\n");
	drop(s, target);
}

static void
case_transactions(void)
{
	const char *name = "transactions";
	struct bnc_policy p = BNC_POLICY_INIT;
	struct bnc_ingest_result res;
	struct bnc_record r = rec("t@example.org", BNC_CLASS_HARD, "5.1.1",
	    "c1", "");
	char target[512];
	struct bnc_store *s = fresh(name, target, sizeof(target)), *s2;
	struct bnc_error err;

	if (s == NULL)
		return;
	CHECK_INT(name, "begin", bnc_store_begin(s), 0);
	ing(s, &p, &r, "b1", "2024-05-01T10:00:00Z", &res);
	CHECK_INT(name, "rollback", bnc_store_rollback(s), 0);
	expect(name, s, "t@example.org", BNC_STATE_OK, "", "", 0);
	CHECK_INT(name, "history after rollback",
	    history_len(s, "t@example.org"), 0);
	CHECK_INT(name, "begin 2", bnc_store_begin(s), 0);
	ing(s, &p, &r, "b1", "2024-05-01T10:00:00Z", &res);
	CHECK_BOOL(name, "not a duplicate after rollback", res.duplicate,
	    false);
	CHECK_INT(name, "commit", bnc_store_commit(s), 0);
	/* A second connection sees the commit, and the schema is kept. */
	CHECK_INT(name, "reopen", bnc_store_open(&s2, target, 0, &err), 0);
	if (s2 != NULL) {
		expect(name, s2, "t@example.org", BNC_STATE_SUPPRESSED,
		    "hard-bounce", "2024-05-01T10:00:00Z", 0);
		bnc_store_close(s2);
	}
	/* An unclosed transaction is rolled back by close. */
	CHECK_INT(name, "begin 3", bnc_store_begin(s), 0);
	r = rec("u@example.org", BNC_CLASS_HARD, "5.1.1", "c1", "");
	ing(s, &p, &r, "b2", "2024-05-01T10:00:00Z", &res);
	bnc_store_close(s);
	CHECK_INT(name, "reopen 2", bnc_store_open(&s, target, 0, &err), 0);
	if (s == NULL)
		return;
	expect(name, s, "u@example.org", BNC_STATE_OK, "", "", 0);
	CHECK_INT(name, "bad recipient", ing(s, &p, &(struct bnc_record){
	    .recipient = "", .status = "", .campaign = "", .message_id = "",
	    .reason = "", .rule = "" }, "b3", "2024-05-01T10:00:00Z", &res),
	    BNC_EINVAL);
	drop(s, target);
}

/* Opening a store to read it takes no lock: check and list answer from
 * the last commit while an ingest holds its write transaction (they
 * used to queue behind it: 30 s then "database is locked" on SQLite, an
 * endless wait on PostgreSQL). */
static void
case_reader_during_write(void)
{
	const char *name = "a reader opens while a writer writes";
	struct bnc_policy p = BNC_POLICY_INIT;
	struct bnc_ingest_result res;
	struct bnc_record a = rec("a@example.org", BNC_CLASS_HARD, "5.1.1",
	    "c1", "");
	struct bnc_record b = rec("b@example.org", BNC_CLASS_HARD, "5.1.1",
	    "c1", "");
	char target[512];
	struct bnc_store *s = fresh(name, target, sizeof(target)), *r;
	struct bnc_error err;

	if (s == NULL)
		return;
	ing(s, &p, &a, "b1", "2024-05-01T10:00:00Z", &res);
	CHECK_INT(name, "begin", bnc_store_begin(s), 0);
	CHECK_INT(name, "ingest in the transaction", ing(s, &p, &b, "b2",
	    "2024-05-01T11:00:00Z", &res), 0);
	CHECK_INT(name, "open", bnc_store_open(&r, target, BNC_STORE_NOCREATE,
	    &err), 0);
	if (r != NULL) {
		expect(name, r, "a@example.org", BNC_STATE_SUPPRESSED,
		    "hard-bounce", "2024-05-01T10:00:00Z", 0);
		expect(name, r, "b@example.org", BNC_STATE_OK, "", "", 0);
		bnc_store_close(r);
	}
	CHECK_INT(name, "commit", bnc_store_commit(s), 0);
	drop(s, target);
}

/* Every table as text, without row ids and ingest times (which differ
 * between two stores fed the same events), the events in id order: two
 * stores with the same dump hold the same. */
static const char *const dump_sql[] = {
	"SELECT event_key, address, kind, class, reason, action, rule, status,"
	" reply_code, diagnostic, campaign, message_id, provider, remote_mta,"
	" source, message, occurred_at FROM bnc_events ORDER BY id",
	"SELECT a.address, a.state, a.reason, a.since, a.streak, e.event_key"
	" FROM bnc_addresses a JOIN bnc_events e ON e.id = a.event_id"
	" ORDER BY a.address",
	"SELECT e.event_key, c.address, c.from_state, c.to_state, c.reason,"
	" c.streak, c.at FROM bnc_changes c JOIN bnc_events e"
	" ON e.id = c.event_id ORDER BY e.id",
	"SELECT s.address, s.campaign, e.event_key FROM bnc_streak s"
	" JOIN bnc_events e ON e.id = s.event_id ORDER BY s.address, s.campaign",
	"SELECT r.address, r.message_key, r.campaign, r.attempts, r.first_at,"
	" r.last_at, r.next_at, r.state, e.event_key FROM bnc_retries r"
	" JOIN bnc_events e ON e.id = r.event_id"
	" ORDER BY r.address, r.message_key",
};

static void
dump_add(char **out, size_t *len, const char *v)
{
	size_t n = strlen(v);
	char *p = realloc(*out, *len + n + 2);

	if (p == NULL)
		return;
	memcpy(p + *len, v, n);
	*len += n;
	p[(*len)++] = '|';
	p[*len] = '\0';
	*out = p;
}

/* The dump of the store at `target`; free() it. */
static char *
dump(const char *target)
{
	char *out = calloc(1, 1);
	size_t len = 0, q;

	for (q = 0; q < H_NELEM(dump_sql); q++) {
		dump_add(&out, &len, "\n--");
		if (pg) {
			PGconn *c = PQconnectdb(target);
			PGresult *r = PQexec(c, dump_sql[q]);
			int i, j;
			for (i = 0; i < PQntuples(r); i++) {
				dump_add(&out, &len, "\n");
				for (j = 0; j < PQnfields(r); j++)
					dump_add(&out, &len,
					    PQgetvalue(r, i, j));
			}
			if (PQresultStatus(r) != PGRES_TUPLES_OK)
				dump_add(&out, &len, "ERROR");
			PQclear(r);
			PQfinish(c);
		} else {
			sqlite3 *db;
			sqlite3_stmt *st = NULL;
			int j;
			if (sqlite3_open(target, &db) != SQLITE_OK ||
			    sqlite3_prepare_v2(db, dump_sql[q], -1, &st,
			    NULL) != SQLITE_OK)
				dump_add(&out, &len, "ERROR");
			while (st != NULL && sqlite3_step(st) == SQLITE_ROW) {
				dump_add(&out, &len, "\n");
				for (j = 0; j < sqlite3_column_count(st); j++) {
					const unsigned char *v =
					    sqlite3_column_text(st, j);
					dump_add(&out, &len,
					    v ? (const char *)v : "");
				}
			}
			sqlite3_finalize(st);
			sqlite3_close(db);
		}
	}
	return out;
}

/* An event of a made-up sequence: its record and bounce. */
struct gen_ev {
	struct bnc_record r;
	char bounce[32], at[BNC_TIME_LEN];
	char key[BNC_EVENT_KEY_LEN];
	struct bnc_event ev;
};

static void
gen_fill(struct gen_ev *g, const char *rcpt, enum bnc_class cls,
    const char *campaign, const char *msgid, const char *bounce, long long t)
{
	struct bnc_sha256 h;
	unsigned char ident[32];

	g->r = rec(rcpt, cls, cls == BNC_CLASS_HARD ? "5.1.1" :
	    cls == BNC_CLASS_SOFT ? "4.2.2" : "", campaign, msgid);
	snprintf(g->bounce, sizeof(g->bounce), "%s", bounce);
	bnc_time_format(g->at, t);
	bnc_sha256_init(&h);
	bnc_sha256_update(&h, g->bounce, strlen(g->bounce));
	bnc_sha256_final(&h, ident);
	bnc_event_key(g->key, ident, rcpt);
	memset(&g->ev, 0, sizeof(g->ev));
	g->ev.key = g->key;
	g->ev.rec = &g->r;
	g->ev.campaign = campaign;
	g->ev.source = "test";
	g->ev.message = 1;
	g->ev.at = g->at;
}

/* The events of g[from, to) into s in one call; res for each. */
static int
ing_many(struct bnc_store *s, const struct bnc_policy *p, struct gen_ev *g,
    size_t from, size_t to, struct bnc_ingest_result *res)
{
	struct bnc_event evs[512];
	size_t i;

	if (to - from > H_NELEM(evs))
		return -1;
	for (i = from; i < to; i++)
		evs[i - from] = g[i].ev;
	return bnc_store_ingest_many(s, p, evs, to - from, res, NULL);
}

static void
same_result(const char *name, size_t i, const struct bnc_ingest_result *a,
    const struct bnc_ingest_result *b)
{
	char what[64];

	snprintf(what, sizeof(what), "event %zu", i);
	if (a->duplicate != b->duplicate || a->changed != b->changed ||
	    a->from != b->from || a->to != b->to ||
	    strcmp(a->reason, b->reason) != 0 ||
	    a->retry_scheduled != b->retry_scheduled ||
	    a->retry_exhausted != b->retry_exhausted) {
		char got[160], want[160];
		snprintf(got, sizeof(got), "dup %d changed %d %d->%d %s retry "
		    "%d/%d", b->duplicate, b->changed, b->from, b->to,
		    b->reason, b->retry_scheduled, b->retry_exhausted);
		snprintf(want, sizeof(want), "dup %d changed %d %d->%d %s "
		    "retry %d/%d", a->duplicate, a->changed, a->from, a->to,
		    a->reason, a->retry_scheduled, a->retry_exhausted);
		CHECK_FAIL(name, got, want);
		printf("  (%s)\n", what);
	} else {
		CHECK_TRUE(name, what, true);
	}
}

/*
 * One batch in which one address comes back again and again: a stored
 * event and an event twice in the batch (duplicates), a retry of the
 * same campaign, a second campaign, a delivery that resets the streak
 * and closes its message's retry, the first campaign counted anew, the
 * streak reaching its limit (suppressed, pending retries cancelled), and
 * events after it that change nothing; another address's hard bounce
 * among them. The results and the state are spelled out, and the tables
 * must be what the same events one by one leave.
 */
static void
case_batch_one_address(void)
{
	const char *name = "a batch with one address many times";
	struct bnc_policy p = BNC_POLICY_INIT;
	const char *a = "amy@example.org";
	struct gen_ev g[14];
	struct bnc_ingest_result one[14], many[14];
	char t1[512], t2[512];
	struct bnc_store *s1 = fresh(name, t1, sizeof(t1));
	struct bnc_store *s2 = fresh(name, t2, sizeof(t2));
	long long t0 = 1714557600;	/* 2024-05-01T10:00:00Z */
	char *d1, *d2, want[1024];
	const char *tail;
	struct due d;
	size_t i;

	if (s1 == NULL || s2 == NULL)
		return;
	gen_fill(&g[0], a, BNC_CLASS_SOFT, "c1", "<m1@x>", "b0", t0);
	gen_fill(&g[1], a, BNC_CLASS_SOFT, "c1", "<m1@x>", "b0", t0);
	gen_fill(&g[2], a, BNC_CLASS_SOFT, "c1", "<m1@x>", "b1", t0 + 3600);
	gen_fill(&g[3], "bob@Example.org", BNC_CLASS_HARD, "c1", "<m1@x>",
	    "b10", t0 + 3700);
	gen_fill(&g[4], a, BNC_CLASS_SOFT, "c2", "<m2@x>", "b2", t0 + 7200);
	gen_fill(&g[5], a, BNC_CLASS_SOFT, "c2", "<m2@x>", "b2", t0 + 7200);
	gen_fill(&g[6], a, BNC_CLASS_DELIVERED, "c3", "<m1@x>", "b3",
	    t0 + 9000);
	gen_fill(&g[7], a, BNC_CLASS_SOFT, "c1", "<m4@x>", "b4", t0 + 10000);
	gen_fill(&g[8], a, BNC_CLASS_SOFT, "c2", "<m5@x>", "b5", t0 + 11000);
	gen_fill(&g[9], a, BNC_CLASS_GRAY, "c9", "", "b6", t0 + 12000);
	gen_fill(&g[10], "bob@example.ORG", BNC_CLASS_SOFT, "c2", "<m5@x>",
	    "b11", t0 + 12500);
	gen_fill(&g[11], a, BNC_CLASS_SOFT, "c3", "<m6@x>", "b7", t0 + 13000);
	gen_fill(&g[12], a, BNC_CLASS_SOFT, "c4", "<m7@x>", "b8", t0 + 14000);
	gen_fill(&g[13], a, BNC_CLASS_DELIVERED, "c4", "<m7@x>", "b9",
	    t0 + 15000);
	/* One by one, and the first alone then the rest in one call. */
	for (i = 0; i < H_NELEM(g); i++)
		CHECK_INT(name, "one by one", bnc_store_ingest(s1, &p,
		    &g[i].ev, &one[i]), 0);
	CHECK_INT(name, "the first", ing_many(s2, &p, g, 0, 1, many), 0);
	CHECK_INT(name, "the rest", ing_many(s2, &p, g, 1, H_NELEM(g),
	    many + 1), 0);
	for (i = 0; i < H_NELEM(g); i++)
		same_result(name, i, &one[i], &many[i]);
	CHECK_BOOL(name, "stored: duplicate", many[1].duplicate, true);
	CHECK_BOOL(name, "same campaign: no change", many[2].changed, false);
	CHECK_BOOL(name, "same campaign: retried", many[2].retry_scheduled,
	    true);
	CHECK_STR(name, "bob", bnc_state_name(many[3].to), "suppressed");
	CHECK_BOOL(name, "second campaign", many[4].changed, true);
	CHECK_BOOL(name, "twice in the batch", many[5].duplicate, true);
	CHECK_STR(name, "delivered", many[6].reason, "delivered");
	CHECK_STR(name, "c1 anew", many[7].reason, "soft-bounce");
	CHECK_STR(name, "c1 anew: from", bnc_state_name(many[7].from), "ok");
	CHECK_BOOL(name, "gray", many[9].changed, false);
	CHECK_BOOL(name, "bob's soft: suppressed already",
	    many[10].changed || many[10].retry_scheduled, false);
	CHECK_STR(name, "the limit", many[11].reason, "soft-streak");
	CHECK_BOOL(name, "the limit: no retry", many[11].retry_scheduled,
	    false);
	CHECK_BOOL(name, "after: nothing", many[12].changed ||
	    many[12].retry_scheduled || many[13].changed, false);
	expect(name, s2, a, BNC_STATE_SUPPRESSED, "soft-streak",
	    "2024-05-01T13:36:40Z", 3);
	expect(name, s2, "bob@example.org", BNC_STATE_SUPPRESSED,
	    "hard-bounce", "2024-05-01T11:01:40Z", 0);
	d = due_at(s2, "2100-01-01");
	CHECK_INT(name, "no retry left", d.n, 0);
	CHECK_INT(name, "history", history_len(s2, a), 10);
	d1 = dump(t1);
	d2 = dump(t2);
	CHECK_STR(name, "tables", d2, d1);
	/* The streak as it ends (c1 and c2 reset by the delivery, then
	 * counted anew) and every retry: m1 delivered, the pending ones
	 * cancelled by the suppression, none for what came after it. */
	snprintf(want, sizeof(want), "\n--|\n"
	    "|amy@example.org|c1|%s|\n"
	    "|amy@example.org|c2|%s|\n"
	    "|amy@example.org|c3|%s|\n"
	    "--|\n"
	    "|amy@example.org|<m1@x>|c1|2|2024-05-01T10:00:00Z|"
	    "2024-05-01T11:00:00Z||delivered|%s|\n"
	    "|amy@example.org|<m2@x>|c2|1|2024-05-01T12:00:00Z|"
	    "2024-05-01T12:00:00Z||cancelled|%s|\n"
	    "|amy@example.org|<m4@x>|c1|1|2024-05-01T12:46:40Z|"
	    "2024-05-01T12:46:40Z||cancelled|%s|\n"
	    "|amy@example.org|<m5@x>|c2|1|2024-05-01T13:03:20Z|"
	    "2024-05-01T13:03:20Z||cancelled|%s|", g[7].key, g[8].key,
	    g[11].key, g[6].key, g[11].key, g[11].key, g[11].key);
	tail = strstr(d2, "\n--|\n|amy@example.org|c1|");
	CHECK_STR(name, "streak and retries", tail ? tail : d2, want);
	free(d1);
	free(d2);
	drop(s1, t1);
	drop(s2, t2);
}

/*
 * A made-up sequence over a few addresses (domains in several cases),
 * campaigns and messages, every class, bounces that repeat, times that
 * outrun the retry window: ingested one by one into one store and in
 * calls of many sizes into another, part of it stored beforehand, and
 * every suppression removed by hand now and then. Each event's result and
 * every table must be the same.
 */
static void
case_batch_differential(void)
{
	const char *name = "many at once == one by one";
	static const char *const rcpt[] = { "r0@example.org",
		"r1@example.org", "r1@EXAMPLE.org", "r2@example.net",
		"r3@example.net", "r4@Example.Com", "r4@example.com" };
	static const enum bnc_class cls[] = { BNC_CLASS_SOFT, BNC_CLASS_SOFT,
		BNC_CLASS_SOFT, BNC_CLASS_SOFT, BNC_CLASS_SOFT, BNC_CLASS_SOFT,
		BNC_CLASS_DELIVERED, BNC_CLASS_HARD, BNC_CLASS_GRAY,
		BNC_CLASS_COMPLAINT, BNC_CLASS_AUTO_REPLY, BNC_CLASS_UNKNOWN };
	static const char *const camp[] = { "c1", "c2", "c3", "c4", "c5" };
	static const char *const msgid[] = { "<m1@x>", "<m2@x>", "<m3@x>",
		"<m4@x>", "" };
	static const size_t sizes[] = { 1, 2, 7, 50, 3, 120, 11, 64, 5 };
	enum { N = 480, LIFT = 60 };
	struct policy_case {
		struct bnc_policy p;
	} pc;
	static struct gen_ev g[N];
	static struct bnc_ingest_result one[N], many[N], pre[N];
	char t1[512], t2[512], bounce[32], *d1, *d2;
	struct bnc_store *s1 = fresh(name, t1, sizeof(t1));
	struct bnc_store *s2 = fresh(name, t2, sizeof(t2));
	unsigned long x = 12345;
	long long t = 1714557600;
	size_t i, k, next, nb = 0;
	bool changed, open = false;

	if (s1 == NULL || s2 == NULL)
		return;
	pc.p = (struct bnc_policy)BNC_POLICY_INIT;
	for (i = 0; i < N; i++) {
		size_t r;
		x = x * 1103515245 + 12345;
		r = (x >> 8) % 1000;
		t += (long long)((x >> 20) % 36000);
		/* One in eight repeats an earlier bounce of the sequence. */
		if (i > 0 && r % 8 == 0) {
			g[i] = g[(x >> 12) % i];
			g[i].ev.rec = &g[i].r;
			g[i].ev.key = g[i].key;
			g[i].ev.at = g[i].at;
			continue;
		}
		snprintf(bounce, sizeof(bounce), "g%zu", i);
		gen_fill(&g[i], rcpt[r % H_NELEM(rcpt)],
		    cls[(r / 7) % H_NELEM(cls)], camp[(r / 3) % H_NELEM(camp)],
		    msgid[(r / 5) % H_NELEM(msgid)], bounce, t);
	}
	/* Every tenth event stored beforehand: one by one, and in one
	 * call. */
	for (i = 0; i < N; i += 10) {
		struct bnc_ingest_result r1;
		CHECK_INT(name, "before", bnc_store_ingest(s1, &pc.p, &g[i].ev,
		    &pre[i]), 0);
		CHECK_INT(name, "before, at once", bnc_store_ingest_many(s2,
		    &pc.p, &g[i].ev, 1, &r1, NULL), 0);
		same_result(name, i, &pre[i], &r1);
	}
	for (i = 0; i < N; i++) {
		if (i > 0 && i % LIFT == 0) {
			for (k = 0; k < H_NELEM(rcpt); k++) {
				bnc_store_unsuppress(s1, rcpt[k],
				    "2024-06-01T00:00:00Z", &changed);
			}
		}
		CHECK_INT(name, "one by one", bnc_store_ingest(s1, &pc.p,
		    &g[i].ev, &one[i]), 0);
	}
	for (i = 0; i < N; i = next) {
		next = i + sizes[nb++ % H_NELEM(sizes)];
		if (next > (i / LIFT + 1) * LIFT)
			next = (i / LIFT + 1) * LIFT;
		if (next > N)
			next = N;
		if (i > 0 && i % LIFT == 0) {
			for (k = 0; k < H_NELEM(rcpt); k++)
				bnc_store_unsuppress(s2, rcpt[k],
				    "2024-06-01T00:00:00Z", &changed);
		}
		/* Some calls in a transaction of the caller's, alone or
		 * with the next calls (as ingest does past 5000 records). */
		if (!open && nb % 2) {
			CHECK_INT(name, "begin", bnc_store_begin(s2), 0);
			open = true;
		}
		CHECK_INT(name, "at once", ing_many(s2, &pc.p, g, i, next,
		    many + i), 0);
		if (open && nb % 4 != 1) {
			CHECK_INT(name, "commit", bnc_store_commit(s2), 0);
			open = false;
		}
	}
	if (open)
		CHECK_INT(name, "commit", bnc_store_commit(s2), 0);
	for (i = 0; i < N; i++)
		same_result(name, i, &one[i], &many[i]);
	d1 = dump(t1);
	d2 = dump(t2);
	CHECK_STR(name, "tables", d2, d1);
	/* The sequence did reach every part of the policy. */
	CHECK_TRUE(name, "streak suppressions", strstr(d1, "|soft-streak|") !=
	    NULL);
	CHECK_TRUE(name, "resets", strstr(d1, "|delivered|") != NULL);
	CHECK_TRUE(name, "cancelled", strstr(d1, "|cancelled|") != NULL);
	CHECK_TRUE(name, "exhausted", strstr(d1, "|exhausted|") != NULL);
	free(d1);
	free(d2);
	drop(s1, t1);
	drop(s2, t2);
}

/* Check of many: answers in the order asked, repeats and case of the
 * domain included; a bad address names its place. */
static void
case_check_many(void)
{
	const char *name = "check of many";
	struct bnc_policy p = BNC_POLICY_INIT;
	struct bnc_ingest_result res;
	struct bnc_record h = rec("ann@example.org", BNC_CLASS_HARD, "5.1.1",
	    "c1", "");
	struct bnc_record so = rec("ben@example.org", BNC_CLASS_SOFT, "4.2.2",
	    "c1", "<m1@x>");
	const char *ask[] = { "nobody@example.org", "ann@EXAMPLE.org",
		"ben@example.org", "ann@example.org", "Ann@example.org",
		"nobody@example.org" };
	const char *bad[] = { "ann@example.org", "  ", "ben@example.org" };
	struct bnc_check c[6];
	char target[512];
	struct bnc_store *s = fresh(name, target, sizeof(target));
	size_t at;

	if (s == NULL)
		return;
	ing(s, &p, &h, "b1", "2024-05-01T10:00:00Z", &res);
	ing(s, &p, &so, "b2", "2024-05-02T10:00:00Z", &res);
	CHECK_INT(name, "rc", bnc_store_check_many(s, ask, 6, c, NULL), 0);
	CHECK_BOOL(name, "unknown", c[0].known, false);
	CHECK_STR(name, "unknown state", bnc_state_name(c[0].state), "ok");
	CHECK_STR(name, "ann", bnc_state_name(c[1].state), "suppressed");
	CHECK_STR(name, "ann reason", c[1].reason, "hard-bounce");
	CHECK_STR(name, "ann since", c[1].since, "2024-05-01T10:00:00Z");
	CHECK_STR(name, "ben", bnc_state_name(c[2].state), "soft");
	CHECK_INT(name, "ben streak", c[2].streak, 1);
	CHECK_STR(name, "ann again", bnc_state_name(c[3].state),
	    "suppressed");
	CHECK_BOOL(name, "Ann is another", c[4].known, false);
	CHECK_BOOL(name, "unknown again", c[5].known, false);
	CHECK_INT(name, "bad", bnc_store_check_many(s, bad, 3, c, &at),
	    BNC_EINVAL);
	CHECK_INT(name, "bad at", (long long)at, 1);
	CHECK_INT(name, "none", bnc_store_check_many(s, bad, 0, c, &at), 0);
	drop(s, target);
}

/* A bad event anywhere in a call: nothing of the call is stored. */
static void
case_batch_all_or_nothing(void)
{
	const char *name = "a batch is all or nothing";
	struct bnc_policy p = BNC_POLICY_INIT;
	struct gen_ev g[3];
	struct bnc_ingest_result res[3];
	char target[512];
	struct bnc_store *s = fresh(name, target, sizeof(target));
	size_t bad;

	if (s == NULL)
		return;
	gen_fill(&g[0], "a@example.org", BNC_CLASS_HARD, "c1", "", "b1",
	    1714557600);
	gen_fill(&g[1], "b@example.org", BNC_CLASS_HARD, "c1", "", "b2",
	    1714557600);
	gen_fill(&g[2], "c@example.org", BNC_CLASS_HARD, "c1", "", "b3",
	    1714557600);
	g[1].ev.at = "not a time";
	CHECK_INT(name, "rc", ing_many(s, &p, g, 0, 3, res), BNC_EINVAL);
	bad = 99;
	CHECK_INT(name, "rc again", bnc_store_ingest_many(s, &p, &g[1].ev, 1,
	    res, &bad), BNC_EINVAL);
	CHECK_INT(name, "bad at", (long long)bad, 0);
	expect(name, s, "a@example.org", BNC_STATE_OK, "", "", 0);
	CHECK_INT(name, "no history", history_len(s, "a@example.org"), 0);
	g[1].ev.at = g[1].at;
	CHECK_INT(name, "fixed", ing_many(s, &p, g, 0, 3, res), 0);
	expect(name, s, "c@example.org", BNC_STATE_SUPPRESSED, "hard-bounce",
	    "2024-05-01T10:00:00Z", 0);
	drop(s, target);
}

/* Text with what an array literal treats specially (quotes, backslash,
 * braces, commas, blanks, the word NULL, an empty value) goes through
 * a call of many unchanged: PostgreSQL gets it inside arrays. */
static void
case_batch_punctuation(void)
{
	const char *name = "a batch with punctuation in its text";
	struct bnc_policy p = BNC_POLICY_INIT;
	struct gen_ev g[3];
	struct bnc_ingest_result res[3];
	char target[512];
	struct bnc_store *s = fresh(name, target, sizeof(target));
	struct exp x;

	if (s == NULL)
		return;
	gen_fill(&g[0], "\"a,b {c}\"@example.org", BNC_CLASS_HARD,
	    "c,\"1\"}", "<\"x\"\\y@z>", "b1", 1714557600);
	g[0].r.diagnostic = "550 say \"no\" \\ {a,b} NULL ";
	g[0].ev.source = "{NULL}";
	gen_fill(&g[1], "NULL@example.org", BNC_CLASS_COMPLAINT, "NULL", "",
	    "b2", 1714557600);
	g[1].r.diagnostic = "\\\\\"";
	g[1].ev.source = "";
	gen_fill(&g[2], "x\\y@example.org", BNC_CLASS_HARD, "", "",
	    "b3", 1714557600);
	g[2].r.diagnostic = "a\tb\nc";
	CHECK_INT(name, "ingest", ing_many(s, &p, g, 0, 3, res), 0);
	memset(&x, 0, sizeof(x));
	CHECK_INT(name, "list", bnc_store_suppressions(s, export_cb, &x), 0);
	CHECK_STR(name, "stored", x.text,
	    "\"a,b {c}\"@example.org|hard-bounce|c,\"1\"}|{NULL}|"
	    "550 say \"no\" \\ {a,b} NULL \n"
	    "NULL@example.org|complaint|NULL||\\\\\"\n"
	    "x\\y@example.org|hard-bounce||test|a\tb\nc\n");
	drop(s, target);
}

/* SQLite: a store that another process is creating (the file still in
 * rollback mode, its write lock held) is waited for, not refused with
 * "database is locked" at once. */
static void
case_create_together(void)
{
	const char *name = "two processes create one store";
	struct bnc_store *s;
	struct bnc_error err;
	char path[300], c;
	int fd[2], status;
	pid_t pid;

	if (pg)
		return;
	snprintf(path, sizeof(path), "%s/together.db", tmpdir);
	if (pipe(fd) != 0) {
		CHECK_FAIL(name, "no pipe", "a pipe");
		return;
	}
	pid = fork();
	if (pid == 0) {
		sqlite3 *db;
		int ok;
		close(fd[0]);
		ok = sqlite3_open(path, &db) == SQLITE_OK &&
		    sqlite3_exec(db, "BEGIN IMMEDIATE; CREATE TABLE other(x)",
		    NULL, NULL, NULL) == SQLITE_OK;
		/* Locked: let the parent try, then finish. The parent's
		 * open must wait for the commit, however long it is. */
		if (write(fd[1], ok ? "y" : "n", 1) != 1)
			_exit(1);
		usleep(300000);
		ok = ok && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) ==
		    SQLITE_OK;
		sqlite3_close(db);
		_exit(ok ? 0 : 1);
	}
	close(fd[1]);
	if (pid < 0 || read(fd[0], &c, 1) != 1 || c != 'y') {
		CHECK_FAIL(name, "no locking child", "a child holding the lock");
		close(fd[0]);
		if (pid > 0)
			waitpid(pid, &status, 0);
		return;
	}
	close(fd[0]);
	memset(&err, 0, sizeof(err));
	CHECK_INT(name, "open", bnc_store_open(&s, path, 0, &err), 0);
	CHECK_STR(name, "error", err.msg, "");
	bnc_store_close(s);
	waitpid(pid, &status, 0);
	CHECK_BOOL(name, "child", WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    true);
	drop(NULL, path);
}

/* A store written by a newer bouncer is refused, with a reason. */
static void
case_schema(void)
{
	const char *name = "schema version";
	char target[512];
	struct bnc_store *s = fresh(name, target, sizeof(target));
	struct bnc_error err;
	bool done = false;

	if (s == NULL)
		return;
	bnc_store_close(s);
	if (pg) {
		PGconn *c = PQconnectdb(target);
		PGresult *r = PQexec(c, "UPDATE bnc_schema SET version = 99");
		done = PQresultStatus(r) == PGRES_COMMAND_OK;
		PQclear(r);
		PQfinish(c);
	} else {
		sqlite3 *db;
		if (sqlite3_open(target, &db) == SQLITE_OK)
			done = sqlite3_exec(db, "UPDATE bnc_schema SET version"
			    " = 99", NULL, NULL, NULL) == SQLITE_OK;
		sqlite3_close(db);
	}
	CHECK_BOOL(name, "set version", done, true);
	memset(&err, 0, sizeof(err));
	CHECK_INT(name, "open newer", bnc_store_open(&s, target, 0, &err),
	    BNC_EIO);
	CHECK_BOOL(name, "says why", strstr(err.msg, "version 99 is newer")
	    != NULL, true);
	if (s != NULL)
		bnc_store_close(s);
	drop(NULL, target);
}

static void
case_open_errors(void)
{
	struct bnc_store *s;
	struct bnc_error err;
	char path[300];
	FILE *fp;

	if (pg) {
		char url[512];
		pg_db_url(url, sizeof(url), "no_such_db_here");
		CHECK_INT("pg missing database", "rc",
		    bnc_store_open(&s, url, 0, &err), BNC_EIO);
		CHECK_BOOL("pg missing database", "says why",
		    strstr(err.msg, "postgresql") == err.msg, true);
		return;
	}
	CHECK_INT("empty target", "rc", bnc_store_open(&s, "", 0, &err),
	    BNC_EINVAL);
	snprintf(path, sizeof(path), "%s/missing.db", tmpdir);
	CHECK_INT("nocreate", "rc", bnc_store_open(&s, path,
	    BNC_STORE_NOCREATE, &err), BNC_ENOTFOUND);
	snprintf(path, sizeof(path), "%s/not-a-db.db", tmpdir);
	fp = fopen(path, "w");
	if (fp != NULL) {
		fputs("this is not a database, just some text that is long "
		    "enough to have a header page of garbage in it.\n", fp);
		fclose(fp);
	}
	CHECK_INT("not a database", "rc", bnc_store_open(&s, path, 0, &err),
	    BNC_EIO);
	unlink(path);
	snprintf(path, sizeof(path), "%s/no/such/dir/x.db", tmpdir);
	CHECK_INT("no folder", "rc", bnc_store_open(&s, path, 0, &err),
	    BNC_EIO);
	CHECK_BOOL("no folder", "names the folder", strstr(err.msg,
	    "/no/such/dir does not exist") != NULL, true);
	CHECK_INT("no folder, nocreate", "rc", bnc_store_open(&s, path,
	    BNC_STORE_NOCREATE, &err), BNC_ENOTFOUND);
	CHECK_BOOL("no folder, nocreate", "names the folder", strstr(err.msg,
	    "/no/such/dir does not exist") != NULL, true);
	CHECK_INT(":memory:", "rc", bnc_store_open(&s, ":memory:", 0, &err),
	    0);
	bnc_store_close(s);
}

int
main(int argc, char **argv)
{
	if (argc != 2 || (strcmp(argv[1], "sqlite") != 0 &&
	    strcmp(argv[1], "postgres") != 0)) {
		fprintf(stderr, "usage: test_store sqlite|postgres\n");
		return 2;
	}
	pg = strcmp(argv[1], "postgres") == 0;
	if (pg) {
		pg_url = getenv("BNC_TEST_PG_URL");
		if (pg_url == NULL || *pg_url == '\0') {
			printf("SKIP: BNC_TEST_PG_URL is not set (scripts/test "
			    "starts a server)\n");
			return 77;
		}
	}
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/bnc-test-store.XXXXXX");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	case_hard_and_duplicate();
	case_complaint();
	case_soft_streak();
	case_delivered_resets();
	case_gray_and_others();
	case_sticky();
	case_retries();
	case_policy_numbers();
	case_manual_and_list();
	case_not_utf8();
	case_transactions();
	case_reader_during_write();
	case_batch_one_address();
	case_batch_differential();
	case_check_many();
	case_batch_all_or_nothing();
	case_batch_punctuation();
	case_create_together();
	case_schema();
	case_open_errors();
	rmdir(tmpdir);
	return h_done(pg ? "test_store postgres" : "test_store sqlite");
}

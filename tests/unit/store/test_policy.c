/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_policy.c - the bounce policy as a table: every class against
 * every standing, the soft streak and its limit, the retry schedule, the
 * settings, the time format and the address key.
 */
#include "harness.h"
#include "policy/policy.h"

static void
test_apply(void)
{
	static const struct {
		const char *name;
		enum bnc_state state;
		long long streak;
		enum bnc_class cls;
		bool new_campaign;
		unsigned limit;
		/* want */
		bool changed;
		enum bnc_state to;
		const char *reason;
		long long to_streak;
		bool reset, cancel;
	} rows[] = {
		{ "hard suppresses", BNC_STATE_OK, 0, BNC_CLASS_HARD, false, 3,
		    true, BNC_STATE_SUPPRESSED, "hard-bounce", 0, false, true },
		{ "hard on soft", BNC_STATE_SOFT, 2, BNC_CLASS_HARD, false, 3,
		    true, BNC_STATE_SUPPRESSED, "hard-bounce", 2, false, true },
		{ "complaint suppresses", BNC_STATE_OK, 0,
		    BNC_CLASS_COMPLAINT, false, 3, true, BNC_STATE_SUPPRESSED,
		    "complaint", 0, false, true },
		{ "first soft", BNC_STATE_OK, 0, BNC_CLASS_SOFT, true, 3, true,
		    BNC_STATE_SOFT, "soft-bounce", 1, false, false },
		{ "soft same campaign", BNC_STATE_SOFT, 1, BNC_CLASS_SOFT,
		    false, 3, false, BNC_STATE_SOFT, "was", 1, false, false },
		{ "second soft campaign", BNC_STATE_SOFT, 1, BNC_CLASS_SOFT,
		    true, 3, true, BNC_STATE_SOFT, "was", 2, false, false },
		{ "third soft campaign", BNC_STATE_SOFT, 2, BNC_CLASS_SOFT,
		    true, 3, true, BNC_STATE_SUPPRESSED, "soft-streak", 3,
		    false, true },
		{ "limit 1", BNC_STATE_OK, 0, BNC_CLASS_SOFT, true, 1, true,
		    BNC_STATE_SUPPRESSED, "soft-streak", 1, false, true },
		{ "limit 0 never", BNC_STATE_SOFT, 99, BNC_CLASS_SOFT, true, 0,
		    true, BNC_STATE_SOFT, "was", 100, false, false },
		{ "delivered resets", BNC_STATE_SOFT, 2, BNC_CLASS_DELIVERED,
		    false, 3, true, BNC_STATE_OK, "delivered", 0, true, false },
		{ "delivered on ok", BNC_STATE_OK, 0, BNC_CLASS_DELIVERED,
		    false, 3, false, BNC_STATE_OK, "was", 0, false, false },
		{ "gray never counts", BNC_STATE_SOFT, 2, BNC_CLASS_GRAY, true,
		    3, false, BNC_STATE_SOFT, "was", 2, false, false },
		{ "gray on ok", BNC_STATE_OK, 0, BNC_CLASS_GRAY, true, 3, false,
		    BNC_STATE_OK, "was", 0, false, false },
		{ "auto reply", BNC_STATE_SOFT, 1, BNC_CLASS_AUTO_REPLY, true,
		    3, false, BNC_STATE_SOFT, "was", 1, false, false },
		{ "unknown", BNC_STATE_OK, 0, BNC_CLASS_UNKNOWN, true, 3, false,
		    BNC_STATE_OK, "was", 0, false, false },
		{ "suppressed sticky: delivered", BNC_STATE_SUPPRESSED, 0,
		    BNC_CLASS_DELIVERED, false, 3, false, BNC_STATE_SUPPRESSED,
		    "was", 0, false, false },
		{ "suppressed sticky: hard", BNC_STATE_SUPPRESSED, 0,
		    BNC_CLASS_HARD, false, 3, false, BNC_STATE_SUPPRESSED,
		    "was", 0, false, false },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++) {
		struct bnc_policy p = BNC_POLICY_INIT;
		struct bnc_standing cur = { rows[i].state, "was",
			"2024-01-01T00:00:00Z", rows[i].streak };
		struct bnc_policy_event ev = { rows[i].cls,
			"2024-02-02T00:00:00Z", rows[i].new_campaign };
		struct bnc_transition tr;

		p.soft_streak_limit = rows[i].limit;
		bnc_policy_apply(&tr, &p, &cur, &ev);
		CHECK_BOOL(rows[i].name, "changed", tr.changed, rows[i].changed);
		CHECK_STR(rows[i].name, "state", bnc_state_name(tr.next.state),
		    bnc_state_name(rows[i].to));
		CHECK_STR(rows[i].name, "reason", tr.next.reason,
		    rows[i].reason);
		CHECK_INT(rows[i].name, "streak", tr.next.streak,
		    rows[i].to_streak);
		CHECK_BOOL(rows[i].name, "reset", tr.reset_streak,
		    rows[i].reset);
		CHECK_BOOL(rows[i].name, "cancel", tr.cancel_retries,
		    rows[i].cancel);
		/* since moves only with the state */
		CHECK_STR(rows[i].name, "since", tr.next.since,
		    tr.next.state != rows[i].state ? "2024-02-02T00:00:00Z" :
		    "2024-01-01T00:00:00Z");
	}
}

static void
test_retry(void)
{
	/* 5 attempts in 72 h: slots at 72h * (2^i - 1) / 31. */
	static const struct {
		const char *name;
		long long attempts;
		const char *first, *at;
		unsigned n;
		const char *want_next;	/* NULL: exhausted */
		long long want_attempts;
	} rows[] = {
		{ "first soft", 0, "", "2024-01-01T00:00:00Z", 5,
		    "2024-01-01T02:19:21Z", 1 },
		{ "second", 1, "2024-01-01T00:00:00Z", "2024-01-01T02:30:00Z",
		    5, "2024-01-01T06:58:03Z", 2 },
		{ "fifth", 4, "2024-01-01T00:00:00Z", "2024-01-02T12:00:00Z",
		    5, "2024-01-04T00:00:00Z", 5 },
		{ "after the last retry", 5, "2024-01-01T00:00:00Z",
		    "2024-01-04T00:10:00Z", 5, NULL, 6 },
		{ "late bounce: due now", 1, "2024-01-01T00:00:00Z",
		    "2024-01-01T10:00:00Z", 5, "2024-01-01T10:00:00Z", 2 },
		{ "past the window", 2, "2024-01-01T00:00:00Z",
		    "2024-01-05T00:00:00Z", 5, NULL, 3 },
		{ "no retries", 0, "", "2024-01-01T00:00:00Z", 0, NULL, 1 },
		{ "one retry", 0, "", "2024-01-01T00:00:00Z", 1,
		    "2024-01-04T00:00:00Z", 1 },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++) {
		struct bnc_policy p = BNC_POLICY_INIT;
		struct bnc_retry_plan plan;
		int rc;

		p.retry_attempts = rows[i].n;
		rc = bnc_policy_retry(&plan, &p, rows[i].attempts,
		    rows[i].first, rows[i].at);
		CHECK_INT(rows[i].name, "rc", rc, 0);
		CHECK_INT(rows[i].name, "attempts", plan.attempts,
		    rows[i].want_attempts);
		CHECK_BOOL(rows[i].name, "exhausted", plan.exhausted,
		    rows[i].want_next == NULL);
		CHECK_STR(rows[i].name, "next", plan.next_at,
		    rows[i].want_next ? rows[i].want_next : "");
		CHECK_STR(rows[i].name, "first", plan.first_at,
		    rows[i].first[0] ? rows[i].first : rows[i].at);
	}
	{
		struct bnc_policy p = BNC_POLICY_INIT;
		struct bnc_retry_plan plan;
		CHECK_INT("bad time", "rc", bnc_policy_retry(&plan, &p, 0, "",
		    "yesterday"), BNC_EINVAL);
	}
}

static void
test_settings(void)
{
	static const struct {
		const char *key, *value;
		int rc;
		unsigned streak, attempts;
		long long window;
	} rows[] = {
		{ "soft_streak_limit", "5", 0, 5, 5, 259200 },
		{ "soft_streak_limit", "0", 0, 0, 5, 259200 },
		{ "soft_streak_limit", "-1", BNC_EINVAL, 3, 5, 259200 },
		{ "soft_streak_limit", "3x", BNC_EINVAL, 3, 5, 259200 },
		{ "retry_attempts", "2", 0, 3, 2, 259200 },
		{ "retry_attempts", "31", BNC_EINVAL, 3, 5, 259200 },
		{ "retry_window", "90m", 0, 3, 5, 5400 },
		{ "retry_window", "2d", 0, 3, 5, 172800 },
		{ "retry_window", "3600", 0, 3, 5, 3600 },
		{ "retry_window", "10s", 0, 3, 5, 10 },
		{ "retry_window", "h", BNC_EINVAL, 3, 5, 259200 },
		{ "retry_window", "0", BNC_EINVAL, 3, 5, 259200 },
		{ "retry_window", "0h", BNC_EINVAL, 3, 5, 259200 },
		{ "retry_window", "", BNC_EINVAL, 3, 5, 259200 },
		{ "retry_windows", "1h", BNC_ENOTFOUND, 3, 5, 259200 },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++) {
		struct bnc_policy p = BNC_POLICY_INIT;
		char name[64];

		snprintf(name, sizeof(name), "%s=%s", rows[i].key,
		    rows[i].value);
		CHECK_INT(name, "rc", bnc_policy_set(&p, rows[i].key,
		    rows[i].value), rows[i].rc);
		CHECK_INT(name, "streak", p.soft_streak_limit, rows[i].streak);
		CHECK_INT(name, "attempts", p.retry_attempts, rows[i].attempts);
		CHECK_INT(name, "window", p.retry_window, rows[i].window);
	}
}

static void
test_time(void)
{
	static const struct {
		const char *in, *want;	/* want NULL: rejected */
	} rows[] = {
		{ "2024-05-15T13:05:21Z", "2024-05-15T13:05:21Z" },
		{ "2024-05-15T13:05:21", "2024-05-15T13:05:21Z" },
		{ "2024-05-15 13:05:21", "2024-05-15T13:05:21Z" },
		{ "2024-05-15", "2024-05-15T00:00:00Z" },
		{ "@0", "1970-01-01T00:00:00Z" },
		{ "@1715778321", "2024-05-15T13:05:21Z" },
		{ "2024-02-29", "2024-02-29T00:00:00Z" },
		{ "2024-02-30", NULL },		/* not March 1 */
		{ "2023-02-29", NULL },
		{ "2100-02-29", NULL },
		{ "2000-02-29T12:00:00Z", "2000-02-29T12:00:00Z" },
		{ "2024-04-31", NULL },
		{ "2024-13-01", NULL },
		{ "2024-05-15T25:00:00Z", NULL },
		/* as other tools export them */
		{ "2024-05-15T13:05:21+02:00", "2024-05-15T11:05:21Z" },
		{ "2024-05-15T13:05:21.1234567-05:00", "2024-05-15T18:05:21Z" },
		{ "2024-05-15T23:30:00-0130", "2024-05-16T01:00:00Z" },
		{ "2024-05-15 13:05:21.5Z", "2024-05-15T13:05:21Z" },
		{ "2024-05-15T13:05:21.Z", NULL },
		{ "2024-05-15T13:05:21+2", NULL },
		{ "2024-05-15T13:05:21+24:00", NULL },
		{ "2024-05-15T13:05:21Zjunk", NULL },
		{ "2024-05-15T13:05:21 UTC", NULL },
		{ "15 May 2024", NULL },
		{ "", NULL },
		{ "@", NULL },
		{ "@12x", NULL },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++) {
		long long t = 0;
		char out[BNC_TIME_LEN];
		int rc = bnc_time_parse(&t, rows[i].in);

		CHECK_INT(rows[i].in, "rc", rc, rows[i].want ? 0 : BNC_EINVAL);
		if (rc == 0 && rows[i].want) {
			bnc_time_format(out, t);
			CHECK_STR(rows[i].in, "formatted", out, rows[i].want);
		}
	}
}

static void
test_address_key(void)
{
	static const struct {
		const char *in, *want;	/* NULL: rejected */
	} rows[] = {
		{ "Jane.Doe@Example.NET", "Jane.Doe@example.net" },
		{ "  <a@B.example>  ", "a@b.example" },
		{ "a@b@C.example", "a@b@c.example" },	/* last @ */
		{ "no-at-sign", "no-at-sign" },
		{ "\"Quoted Local\"@EXAMPLE.org", "\"Quoted Local\"@example.org" },
		{ "", NULL },
		{ "   ", NULL },
		{ "<>", NULL },
		/* a stray byte becomes U+FFFD; UTF-8 stays as it is */
		{ "Caf\xe9@Ex\xc3\x89mple.ORG",
		    "Caf\xef\xbf\xbd@ex\xc3\x89mple.org" },
		{ "\xff@example.org", "\xef\xbf\xbd@example.org" },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++) {
		char out[64];
		bool ok = bnc_address_key(out, sizeof(out), rows[i].in);
		CHECK_BOOL(rows[i].in, "ok", ok, rows[i].want != NULL);
		if (ok && rows[i].want)
			CHECK_STR(rows[i].in, "key", out, rows[i].want);
	}
	{
		char small[8];
		CHECK_BOOL("too long", "ok", bnc_address_key(small,
		    sizeof(small), "abcdef@example.com"), false);
		/* 6 bytes fit with the NUL; with the 3 of U+FFFD, 8 do not */
		CHECK_BOOL("too long once repaired", "ok",
		    bnc_address_key(small, sizeof(small), "a@b.c\xff"),
		    false);
		CHECK_BOOL("fits", "ok", bnc_address_key(small, sizeof(small),
		    "a@\xff" "c"), true);
		CHECK_STR("fits", "key", small, "a@\xef\xbf\xbd" "c");
	}
}

static void
test_address_valid(void)
{
	static const struct {
		const char *key;
		bool valid;
	} rows[] = {
		{ "jane.doe@example.net", true },
		{ "Jane+tag@sub.example.net", true },
		{ "\"quoted local\"@example.org", true },
		{ "\"a@b\"@example.org", true },
		{ "\"a\\\"b\"@example.org", true },
		{ "a..b@docomo.example.jp", true },	/* mailers emit these */
		{ "user@[192.0.2.1]", true },
		{ "user@[IPv6:2001:db8::1]", true },
		{ "\xc3\xbc@b\xc3\xbc" "cher.example", true },
		{ "under_score@my_host.example", true },
		{ "a@b", true },
		{ "a@", false },
		{ "@example.org", false },
		{ "no-at-sign", false },
		{ "a b@example.org", false },
		{ "x@y@example.org", false },
		{ "a@exa mple.org", false },
		{ "a@example.org.", false },
		{ "a@.example.org", false },
		{ "a@example..org", false },
		{ "a@ex(ample).org", false },
		{ "a,b@example.org", false },
		{ "a\tb@example.org", false },
		{ "\"open@example.org", false },
		{ "\"a\"b\"@example.org", false },
		{ "\"a\\\"@example.org", false },
		{ "user@[]", false },
		{ "user@[192.0.2.1", false },
		{ "caf\xef\xbf\xbd@example.org", false },	/* was not UTF-8 */
		{ "a@0123456789012345678901234567890123456789012345678901234567890"
		    "123.example", false },		/* a 64-byte label */
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++)
		CHECK_BOOL(rows[i].key, "valid", bnc_address_valid(rows[i].key),
		    rows[i].valid);
}

static void
test_names(void)
{
	static const enum bnc_state all[] = { BNC_STATE_OK, BNC_STATE_SOFT,
		BNC_STATE_SUPPRESSED };
	size_t i;

	for (i = 0; i < H_NELEM(all); i++) {
		enum bnc_state back;
		const char *name = bnc_state_name(all[i]);
		CHECK_BOOL(name, "parses", bnc_state_parse(name, &back), true);
		CHECK_INT(name, "round trip", back, all[i]);
	}
	{
		enum bnc_state back;
		CHECK_BOOL("bogus", "parses", bnc_state_parse("bogus", &back),
		    false);
	}
}

int
main(void)
{
	test_apply();
	test_retry();
	test_settings();
	test_time();
	test_address_key();
	test_address_valid();
	test_names();
	return h_done("test_policy");
}

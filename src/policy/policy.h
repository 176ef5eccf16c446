/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * policy.h - what one classified bounce does to an address (DESIGN.md
 * section 1.4 and the thresholds of section 2): hard bounces and
 * complaints suppress at once; soft bounces are retried on a schedule and
 * counted once per campaign, and a streak of soft campaigns suppresses;
 * a delivery ends the streak; gray, auto-reply and unknown verdicts are
 * recorded and never held against the recipient.
 *
 * Pure functions over plain values: no I/O, no clock, no allocation. The
 * store reads the current standing, asks here, and writes the answer in
 * the same transaction as the event, so the decision is replayable.
 */
#ifndef BNC_POLICY_POLICY_H
#define BNC_POLICY_POLICY_H

#include <stdbool.h>

#include "bouncer.h"

/* Every number of the policy. Zero is meaningful (a soft streak limit of
 * 0 never suppresses; 0 retry attempts schedules none). */
struct bnc_policy {
	unsigned soft_streak_limit;	/* soft campaigns in a row -> suppressed */
	unsigned retry_attempts;	/* retries after a first soft bounce */
	long long retry_window;		/* seconds from the first soft bounce
					 * to the last retry */
};
/* DESIGN.md section 2: 3 campaigns; 5 attempts within 72 h. */
#define BNC_POLICY_INIT { 3, 5, 72LL * 3600 }

/* Set one number from text, by its config-file name: soft_streak_limit,
 * retry_attempts or retry_window (a duration: 3600, 90m, 72h, 3d).
 * Returns 0, BNC_ENOTFOUND (no such key) or BNC_EINVAL (bad value). */
int bnc_policy_set(struct bnc_policy *p, const char *key, const char *value);

/* What bnc_policy_set() takes for `key`, in words for an error message
 * ("a whole number, 0 to 30"); "" for an unknown key. */
const char *bnc_policy_expects(const char *key);

enum bnc_state {
	BNC_STATE_OK = 0,	/* sendable, no open soft streak */
	BNC_STATE_SOFT,		/* sendable, soft bounces in the streak */
	BNC_STATE_SUPPRESSED	/* never mail again (until removed by hand) */
};
/* "ok", "soft", "suppressed"; parse returns false for anything else. */
const char *bnc_state_name(enum bnc_state s);
bool bnc_state_parse(const char *name, enum bnc_state *out);

/* Reasons the policy writes into an address's standing. */
#define BNC_REASON_HARD "hard-bounce"
#define BNC_REASON_COMPLAINT "complaint"
#define BNC_REASON_SOFT "soft-bounce"
#define BNC_REASON_STREAK "soft-streak"
#define BNC_REASON_DELIVERED "delivered"

/* An address's standing. Strings are borrowed, never NULL. */
struct bnc_standing {
	enum bnc_state state;
	const char *reason;	/* why it is in this state; "" for ok */
	const char *since;	/* ISO 8601 UTC of the event that put it here */
	long long streak;	/* distinct soft campaigns since the last reset */
};

struct bnc_policy_event {
	enum bnc_class cls;
	const char *at;		/* ISO 8601 UTC of the bounce */
	bool new_campaign;	/* soft only: first soft bounce of this
				 * address in this campaign since the
				 * streak began */
};

/* The standing after one event; changed says whether anything moved.
 * Strings in *out borrow from *cur, *ev or constants. */
struct bnc_transition {
	struct bnc_standing next;
	bool changed;
	bool reset_streak;	/* forget the streak's campaigns */
	bool cancel_retries;	/* suppressed: no more retries */
};

void bnc_policy_apply(struct bnc_transition *out, const struct bnc_policy *p,
    const struct bnc_standing *cur, const struct bnc_policy_event *ev);

/* The retry schedule of one (address, original message) after a soft
 * bounce at `at`. attempts counts the soft bounces seen so far for it
 * (0 for the first). Retry i of n (1-based) is due at
 * first + window * (2^i - 1) / (2^n - 1): backing off, the last retry
 * exactly at the end of the window. A bounce after the last retry, or
 * after the window, exhausts it. */
struct bnc_retry_plan {
	long long attempts;	/* soft bounces seen, this one included */
	char first_at[21];	/* the first soft bounce */
	char next_at[21];	/* "" when exhausted */
	bool exhausted;
};
/* 0, or BNC_EINVAL when a time is not ISO 8601 UTC. */
int bnc_policy_retry(struct bnc_retry_plan *out, const struct bnc_policy *p,
    long long attempts, const char *first_at, const char *at);

/* Times are kept as ISO 8601 UTC text, "2026-01-02T03:04:05Z": sortable
 * as text on both backends and readable in a dump. */
#define BNC_TIME_LEN 21
/* Parse "YYYY-MM-DDTHH:MM:SSZ", "YYYY-MM-DD HH:MM:SS" (UTC),
 * "YYYY-MM-DD" (midnight UTC) or "@SECONDS"; a time may have a fraction
 * of a second (dropped) and a UTC offset instead of Z ("+02:00",
 * "-0500"), as other tools export them. A day the month does not have
 * is refused. 0 or BNC_EINVAL. */
int bnc_time_parse(long long *out, const char *s);
/* Format `t` as "YYYY-MM-DDTHH:MM:SSZ" into `out` (BNC_TIME_LEN). */
void bnc_time_format(char *out, long long t);

/* Normalise an address for look-up: trimmed, one pair of <> removed,
 * the domain (after the last @) lower-cased, the local part kept as it
 * is (RFC 5321 section 2.4), a byte that is not part of a UTF-8
 * character replaced by U+FFFD. Writes at most `size` bytes with the
 * NUL. Returns false when the result would not fit or is empty. */
bool bnc_address_key(char *out, size_t size, const char *addr);

/* Is `key` (from bnc_address_key()) a plausible mailbox, one a person
 * may add, import or look up: a local part and a domain around the last
 * @; the local part a quoted string or free of blanks, controls and
 * ()<>[]:;@\\,"; the domain dot-separated labels of letters, digits,
 * '-', '_' or UTF-8 (no empty label), or an address literal in [];
 * no U+FFFD (a byte that was not UTF-8). Lenient about what RFC 5321
 * forbids but mailers emit (dots in a row in a local part). */
bool bnc_address_valid(const char *key);

#endif

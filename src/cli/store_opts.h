/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * store_opts.h - what the store commands (ingest, check, suppressions,
 * history, retry) share: --db, --config and the policy flags, the config
 * file, opening the store with a clear message, and CSV output.
 *
 * Precedence, highest first: a flag; the config file given with --config
 * (or $BOUNCER_CONFIG); $BOUNCER_DB for the database; the built-in
 * default (./bouncer.db, DESIGN.md section 2 numbers).
 */
#ifndef BNC_CLI_STORE_OPTS_H
#define BNC_CLI_STORE_OPTS_H

#include <stdbool.h>
#include <stdio.h>

#include "../policy/policy.h"
#include "../store/store.h"

/* getopt_long codes of the shared options (outside the char range). */
enum {
	BNC_OPT_DB = 0x100,
	BNC_OPT_CONFIG,
	BNC_OPT_SOFT_STREAK,
	BNC_OPT_RETRY_ATTEMPTS,
	BNC_OPT_RETRY_WINDOW
};

/* The entries to splice into a command's struct option table. */
#define BNC_STORE_LONGOPTS \
	{ "db", required_argument, NULL, BNC_OPT_DB }, \
	{ "config", required_argument, NULL, BNC_OPT_CONFIG }, \
	{ "soft-streak", required_argument, NULL, BNC_OPT_SOFT_STREAK }, \
	{ "retry-attempts", required_argument, NULL, BNC_OPT_RETRY_ATTEMPTS }, \
	{ "retry-window", required_argument, NULL, BNC_OPT_RETRY_WINDOW }

#define BNC_STORE_HELP \
	"      --db DB             SQLite file or postgresql:// URL\n" \
	"                          (default $BOUNCER_DB, else ./bouncer.db)\n" \
	"      --config FILE       key = value settings (db, soft_streak_limit,\n" \
	"                          retry_attempts, retry_window; default\n" \
	"                          $BOUNCER_CONFIG)\n"

#define BNC_POLICY_HELP \
	"      --soft-streak N     soft campaigns in a row that suppress (3;\n" \
	"                          0: soft bounces never suppress)\n" \
	"      --retry-attempts N  retries after a soft bounce, 0 to 30 (5)\n" \
	"      --retry-window D    last retry this long after the first\n" \
	"                          soft bounce: 3600, 90m, 72h, 3d (72h)\n"

struct bnc_cli_store {
	const char *cmd;		/* "bouncer ingest", for messages */
	const char *db_flag;		/* --db, or NULL */
	const char *config;		/* --config, or NULL */
	const char *flag_key[3];	/* policy flags, applied last */
	const char *flag_name[3];	/* as given: --retry-attempts */
	const char *flag_val[3];
	unsigned nflags;
	char db[4096];			/* the database to open */
	struct bnc_policy policy;
};

void bnc_cli_store_init(struct bnc_cli_store *o, const char *cmd);
/* Handle a shared option; false when `c` is not one. */
bool bnc_cli_store_opt(struct bnc_cli_store *o, int c, const char *arg);
/* Read the config file, apply the flags, settle the database. Returns 0,
 * or 2 (usage: bad file or value), after saying why on stderr. */
int bnc_cli_store_finish(struct bnc_cli_store *o);
/* Open the store; on failure say why on stderr and return non-zero. */
int bnc_cli_store_open(struct bnc_store **out, const struct bnc_cli_store *o,
    unsigned flags);

/* One CSV field (RFC 4180: quoted when it holds , " CR or LF). */
void bnc_csv_field(FILE *fp, const char *s, bool first);

#endif

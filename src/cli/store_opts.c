/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * store_opts.c - shared options of the store commands and the config
 * file: "key = value" lines, '#' starts a comment, blank lines ignored;
 * keys db, soft_streak_limit, retry_attempts, retry_window. An unknown
 * key is an error, so a typo never silently leaves a default in force.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/str.h"
#include "store_opts.h"

void
bnc_cli_store_init(struct bnc_cli_store *o, const char *cmd)
{
	const struct bnc_policy def = BNC_POLICY_INIT;

	memset(o, 0, sizeof(*o));
	o->cmd = cmd;
	o->policy = def;
}

bool
bnc_cli_store_opt(struct bnc_cli_store *o, int c, const char *arg)
{
	const char *key, *name;

	switch (c) {
	case BNC_OPT_DB:
		o->db_flag = arg;
		return true;
	case BNC_OPT_CONFIG:
		o->config = arg;
		return true;
	case BNC_OPT_SOFT_STREAK:
		key = "soft_streak_limit";
		name = "--soft-streak";
		break;
	case BNC_OPT_RETRY_ATTEMPTS:
		key = "retry_attempts";
		name = "--retry-attempts";
		break;
	case BNC_OPT_RETRY_WINDOW:
		key = "retry_window";
		name = "--retry-window";
		break;
	default:
		return false;
	}
	if (o->nflags < 3) {
		o->flag_key[o->nflags] = key;
		o->flag_name[o->nflags] = name;
		o->flag_val[o->nflags++] = arg;
	}
	return true;
}

static void
set_db(struct bnc_cli_store *o, const char *db)
{
	snprintf(o->db, sizeof(o->db), "%s", db);
}

static int
read_config(struct bnc_cli_store *o, const char *path)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL, why[128];
	size_t cap = 0;
	ssize_t n;
	unsigned lineno = 0;
	struct stat st;
	int rc = 0;

	if (fp == NULL || (fstat(fileno(fp), &st) == 0 &&
	    S_ISDIR(st.st_mode))) {
		fprintf(stderr, "%s: %s: %s\n", o->cmd, path, fp == NULL ?
		    strerror_r(errno, why, sizeof(why)) : "is a directory");
		if (fp != NULL)
			fclose(fp);
		return 2;
	}
	while ((n = getline(&line, &cap, fp)) >= 0) {
		struct bnc_str k, v;
		char key[64], val[4096];
		char *eq, *hash;

		lineno++;
		/* A NUL would cut the value short unseen ("1\0junk" read
		 * as 1): refuse, as any other malformed line. */
		if (memchr(line, '\0', (size_t)n) != NULL) {
			fprintf(stderr, "%s: %s:%u: a NUL byte\n", o->cmd,
			    path, lineno);
			rc = 2;
			break;
		}
		hash = strchr(line, '#');
		if (hash != NULL)
			*hash = '\0';
		if (bnc_str_trim(bnc_str_c(line)).len == 0)
			continue;
		eq = strchr(line, '=');
		if (eq == NULL) {
			fprintf(stderr, "%s: %s:%u: want key = value\n",
			    o->cmd, path, lineno);
			rc = 2;
			break;
		}
		k = bnc_str_trim(bnc_str_make(line, (size_t)(eq - line)));
		v = bnc_str_trim(bnc_str_c(eq + 1));
		if (k.len >= sizeof(key) || v.len >= sizeof(val)) {
			fprintf(stderr, "%s: %s:%u: the line is too long\n",
			    o->cmd, path, lineno);
			rc = 2;
			break;
		}
		snprintf(key, sizeof(key), "%.*s", (int)k.len, k.ptr);
		snprintf(val, sizeof(val), "%.*s", (int)v.len, v.ptr);
		if (strcmp(key, "db") == 0) {
			if (o->db_flag == NULL)
				set_db(o, val);
			continue;
		}
		switch (bnc_policy_set(&o->policy, key, val)) {
		case 0:
			continue;
		case BNC_ENOTFOUND:
			fprintf(stderr, "%s: %s:%u: unknown setting '%s'\n",
			    o->cmd, path, lineno, key);
			break;
		default:
			fprintf(stderr, "%s: %s:%u: bad value '%s' for %s "
			    "(%s)\n", o->cmd, path, lineno, val, key,
			    bnc_policy_expects(key));
			break;
		}
		rc = 2;
		break;
	}
	if (rc == 0 && ferror(fp)) {
		fprintf(stderr, "%s: %s: read error\n", o->cmd, path);
		rc = 2;
	}
	free(line);	/* getline's buffer is libc's, not ours */
	fclose(fp);
	return rc;
}

int
bnc_cli_store_finish(struct bnc_cli_store *o)
{
	const char *env_db = getenv("BOUNCER_DB");
	const char *config = o->config ? o->config : getenv("BOUNCER_CONFIG");
	unsigned i;
	int rc;

	set_db(o, env_db && *env_db ? env_db : BNC_STORE_DEFAULT);
	if (config != NULL && *config != '\0') {
		rc = read_config(o, config);
		if (rc)
			return rc;
	}
	if (o->db_flag != NULL)
		set_db(o, o->db_flag);
	if (o->db[0] == '\0') {
		fprintf(stderr, "%s: --db is empty\n", o->cmd);
		return 2;
	}
	for (i = 0; i < o->nflags; i++) {
		if (bnc_policy_set(&o->policy, o->flag_key[i],
		    o->flag_val[i]) != 0) {
			fprintf(stderr, "%s: bad value '%s' for %s (%s)\n",
			    o->cmd, o->flag_val[i], o->flag_name[i],
			    bnc_policy_expects(o->flag_key[i]));
			return 2;
		}
	}
	return 0;
}

int
bnc_cli_store_open(struct bnc_store **out, const struct bnc_cli_store *o,
    unsigned flags)
{
	struct bnc_error err;
	int rc;

	memset(&err, 0, sizeof(err));
	rc = bnc_store_open(out, o->db, flags, &err);
	if (rc) {
		fprintf(stderr, "%s: cannot open the store: %s\n", o->cmd,
		    err.msg[0] ? err.msg : bnc_strerror(rc));
		return 1;
	}
	return 0;
}

void
bnc_csv_field(FILE *fp, const char *s, bool first)
{
	if (!first)
		putc(',', fp);
	if (s[strcspn(s, ",\"\r\n")] == '\0') {
		fputs(s, fp);
		return;
	}
	putc('"', fp);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', fp);
		putc(*s, fp);
	}
	putc('"', fp);
}

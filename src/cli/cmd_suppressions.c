/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cmd_suppressions.c - `bouncer suppressions list|add|remove|export|
 * import`: the suppression list by hand and to and from other tools.
 *
 * Writes are all or nothing: add, remove and import run in one
 * transaction, and an import with one bad row stores none of them (the
 * row is named); export to a file writes a temporary file and renames it
 * into place, so a reader never sees half a list.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/buf.h"
#include "../util/str.h"
#include "cli.h"
#include "output.h"
#include "store_opts.h"

#define MAX_FIELDS 256		/* columns of an imported row */
#define MAX_ROW ((size_t)1 << 20)	/* bytes of one imported row */
#define MAX_REASON 200		/* bytes of an imported reason */

static void
help(FILE *fp)
{
	fprintf(fp,
	    "usage: bouncer suppressions list   [OPTIONS]\n"
	    "       bouncer suppressions add    [OPTIONS] ADDRESS...\n"
	    "       bouncer suppressions remove [OPTIONS] ADDRESS...\n"
	    "       bouncer suppressions export [OPTIONS]\n"
	    "       bouncer suppressions import [OPTIONS] FILE|-\n\n"
	    "list: suppressed addresses in byte order (address,reason,since).\n"
	    "export: the same with the event that suppressed each one.\n"
	    "import: suppress every address of a CSV (with a header row) or\n"
	    "JSON lines file, e.g. another tool's export; all or nothing.\n\n"
	    "options:\n"
	    BNC_STORE_HELP
	    "  -f, --format FMT        csv or jsonl (json is another name for\n"
	    "                          it); list: csv, export: jsonl, import:\n"
	    "                          by the file's first byte\n"
	    "  -o, --output FILE       export: write FILE (atomically)\n"
	    "      --reason TEXT       add, import: the reason to record\n"
	    "      --at TIME           add, remove: when (YYYY-MM-DDTHH:MM:SSZ,\n"
	    "                          YYYY-MM-DD or @EPOCH; now)\n"
	    "      --map SPEC          import: where the fields are, e.g.\n"
	    "                          address=Email,reason=Type,since=3\n"
	    "                          (a column name, any case, or number);\n"
	    "                          default address|email|recipient,\n"
	    "                          reason, since\n"
	    "      --delimiter C       import: CSV field separator (,)\n"
	    "  -h, --help              this text\n\n"
	    "exit status: 0 done, 1 bad input or the store failed (nothing\n"
	    "written), 2 usage error.\n");
}

enum fmt { FMT_DEFAULT, FMT_CSV, FMT_JSONL };

struct args {
	struct bnc_cli_store o;
	enum fmt fmt;
	const char *output;
	const char *reason;
	const char *at;
	const char *map;
	char delim;
};

/* ---- list and export ---- */

struct out {
	FILE *fp;
	enum fmt fmt;
	bool full;		/* export: every column */
	unsigned long rows;
};

static void
json_kv(FILE *fp, const char *k, const char *v, bool first)
{
	if (!first)
		putc(',', fp);
	bnc_json_string(fp, k);
	putc(':', fp);
	bnc_json_string(fp, v);
}

static int
write_row(void *payload, const struct bnc_suppression *r)
{
	struct out *o = payload;
	FILE *fp = o->fp;
	char streak[24];

	snprintf(streak, sizeof(streak), "%lld", r->streak);
	if (o->fmt == FMT_CSV) {
		if (o->rows == 0)
			fputs(o->full ? "address,reason,since,streak,kind,"
			    "event_key,class,bounce_reason,status,campaign,"
			    "source,diagnostic\n" : "address,reason,since\n",
			    fp);
		bnc_csv_field(fp, r->address, true);
		bnc_csv_field(fp, r->reason, false);
		bnc_csv_field(fp, r->since, false);
		if (o->full) {
			bnc_csv_field(fp, streak, false);
			bnc_csv_field(fp, r->kind, false);
			bnc_csv_field(fp, r->event_key, false);
			bnc_csv_field(fp, r->cls, false);
			bnc_csv_field(fp, r->bounce_reason, false);
			bnc_csv_field(fp, r->status, false);
			bnc_csv_field(fp, r->campaign, false);
			bnc_csv_field(fp, r->source, false);
			bnc_csv_field(fp, r->diagnostic, false);
		}
		putc('\n', fp);
	} else {
		putc('{', fp);
		json_kv(fp, "address", r->address, true);
		json_kv(fp, "reason", r->reason, false);
		json_kv(fp, "since", r->since, false);
		if (o->full) {
			fprintf(fp, ",\"streak\":%s", streak);
			json_kv(fp, "kind", r->kind, false);
			json_kv(fp, "event_key", r->event_key, false);
			json_kv(fp, "class", r->cls, false);
			json_kv(fp, "bounce_reason", r->bounce_reason, false);
			json_kv(fp, "status", r->status, false);
			json_kv(fp, "campaign", r->campaign, false);
			json_kv(fp, "source", r->source, false);
			json_kv(fp, "diagnostic", r->diagnostic, false);
		}
		fputs("}\n", fp);
	}
	o->rows++;
	return ferror(fp) ? 1 : 0;
}

static int
do_list(struct args *a, bool full)
{
	struct bnc_store *s;
	struct out o;
	struct stat st;
	char tmp[PATH_MAX + 32], real[PATH_MAX];
	const char *dest = a->output;
	bool direct = false;
	FILE *fp = stdout;
	int rc, fd;

	if (a->output != NULL && !full) {
		fprintf(stderr, "%s: --output is for export\n", a->o.cmd);
		return 2;
	}
	if (bnc_cli_store_open(&s, &a->o, BNC_STORE_NOCREATE) != 0)
		return 1;
	if (a->output != NULL) {
		/* Written beside the file, then renamed over it, so that a
		 * reader never sees half a list. What is not a file (a
		 * FIFO, /dev/stdout, a directory) is opened as it is: a
		 * rename would put a file in its place. Through a symbolic
		 * link, the file it names is replaced, the link kept. */
		if (stat(dest, &st) == 0 && !S_ISREG(st.st_mode))
			direct = true;
		else if (lstat(dest, &st) == 0 && S_ISLNK(st.st_mode) &&
		    realpath(dest, real) != NULL)
			dest = real;
		snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", dest, (long)getpid());
		if (direct) {
			fp = fopen(dest, "w");
		} else {
			fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
			fp = fd < 0 ? NULL : fdopen(fd, "w");
			if (fp == NULL && fd >= 0)
				close(fd);
		}
		if (fp == NULL) {
			char why[128];
			/* The path given, not the temporary one beside it. */
			fprintf(stderr, "%s: %s: %s\n", a->o.cmd, a->output,
			    strerror_r(errno, why, sizeof(why)));
			if (!direct)
				unlink(tmp);
			bnc_store_close(s);
			return 1;
		}
	}
	memset(&o, 0, sizeof(o));
	o.fp = fp;
	o.full = full;
	o.fmt = a->fmt != FMT_DEFAULT ? a->fmt : full ? FMT_JSONL : FMT_CSV;
	rc = bnc_store_suppressions(s, write_row, &o);
	if (rc < 0)
		fprintf(stderr, "%s: %s\n", a->o.cmd, bnc_store_errmsg(s));
	bnc_store_close(s);
	if (o.fmt == FMT_CSV && o.rows == 0 && rc == 0)
		fputs(full ? "address,reason,since,streak,kind,event_key,"
		    "class,bounce_reason,status,campaign,source,diagnostic\n" :
		    "address,reason,since\n", fp);
	if (fflush(fp) != 0 || ferror(fp))
		rc = rc ? rc : 1;
	if (a->output != NULL) {
		if (fclose(fp) != 0)
			rc = rc ? rc : 1;
		if (rc == 0 && !direct && rename(tmp, dest) != 0)
			rc = 1;
		if (rc) {
			fprintf(stderr, "%s: could not write %s\n", a->o.cmd,
			    a->output);
			if (!direct)
				unlink(tmp);
		}
	} else if (rc > 0) {
		fprintf(stderr, "%s: error writing the output\n", a->o.cmd);
	}
	return rc ? 1 : 0;
}

/* ---- add and remove ---- */

static int
do_add_remove(struct args *a, bool add, int argc, char **argv)
{
	struct bnc_store *s;
	int i, rc = 0;

	if (argc == 0) {
		fprintf(stderr, "%s: no address given\n", a->o.cmd);
		return 2;
	}
	if (a->reason != NULL && strlen(a->reason) > MAX_REASON) {
		fprintf(stderr, "%s: --reason is longer than %d bytes\n",
		    a->o.cmd, MAX_REASON);
		return 2;
	}
	for (i = 0; i < argc; i++) {
		char key[1024];
		/* What a bounce recorded can be removed whatever it looks
		 * like; what is added must be an address. */
		if (!bnc_address_key(key, sizeof(key), argv[i]) ||
		    strchr(key, '@') == NULL ||
		    (add && !bnc_address_valid(key))) {
			fprintf(stderr, "%s: not an address: '%s'\n", a->o.cmd,
			    argv[i]);
			return 1;
		}
	}
	if (bnc_cli_store_open(&s, &a->o, add ? 0 : BNC_STORE_NOCREATE) != 0)
		return 1;
	if (bnc_store_begin(s) != 0) {
		fprintf(stderr, "%s: %s\n", a->o.cmd, bnc_store_errmsg(s));
		bnc_store_close(s);
		return 1;
	}
	for (i = 0; i < argc && rc == 0; i++) {
		bool changed;
		char key[1024];
		bnc_address_key(key, sizeof(key), argv[i]);
		if (add)
			rc = bnc_store_suppress(s, key, "manual", a->reason,
			    a->at, &changed);
		else
			rc = bnc_store_unsuppress(s, key, a->at, &changed);
		if (rc)
			fprintf(stderr, "%s: %s: %s\n", a->o.cmd, key,
			    bnc_store_errmsg(s));
		else if (add)
			printf("%s %s\n", key, changed ? "suppressed" :
			    "unchanged (already suppressed)");
		else
			printf("%s %s\n", key, changed ? "removed" :
			    "unchanged (not suppressed)");
	}
	if (rc)
		bnc_store_rollback(s);
	else if (bnc_store_commit(s) != 0) {
		fprintf(stderr, "%s: %s\n", a->o.cmd, bnc_store_errmsg(s));
		rc = 1;
	}
	bnc_store_close(s);
	if (rc)
		fprintf(stderr, "%s: nothing was changed\n", a->o.cmd);
	return rc ? 1 : 0;
}

/* ---- import ---- */

/* One parsed input row: field i is data.ptr + off[i] (NUL-terminated);
 * for JSON lines, name[i] is the key (same buffer). */
struct row {
	struct bnc_buf data;
	size_t off[MAX_FIELDS], name[MAX_FIELDS];
	unsigned n;
	bool truncated;		/* more than MAX_FIELDS fields */
};

static int
row_field_begin(struct row *r)
{
	if (r->n >= MAX_FIELDS) {
		r->truncated = true;
		return -1;
	}
	r->off[r->n++] = r->data.len;
	return 0;
}

/* Read one CSV record (RFC 4180; quoted fields may hold newlines).
 * 1 read, 0 at the end, -1 bad input with *why set (an unclosed quote,
 * a NUL byte, a row too long or too wide); *lineno counts physical
 * lines. */
static int
csv_read(FILE *fp, struct row *r, char delim, unsigned long *lineno,
    const char **why)
{
	int c;
	bool any = false;

	bnc_buf_reset(&r->data);
	r->n = 0;
	r->truncated = false;
	for (;;) {
		if (row_field_begin(r) != 0) {
			*why = "more than 256 fields";
			return -1;
		}
		c = getc(fp);
		if (c == EOF && !any)
			return 0;
		any = true;
		if (c == '"') {
			for (;;) {
				c = getc(fp);
				if (c == EOF) {
					*why = "a quote is not closed";
					return -1;
				}
				if (c == '\n')
					(*lineno)++;
				if (c == '"') {
					c = getc(fp);
					if (c != '"')
						break;
				}
				if (c == '\0')
					goto out_nul;
				if (bnc_buf_addc(&r->data, (char)c) != 0)
					goto out_long;
			}
		}
		while (c != EOF && c != delim && c != '\n') {
			/* A NUL would end the field early, unseen: refuse. */
			if (c == '\0')
				goto out_nul;
			if (c != '\r' && bnc_buf_addc(&r->data, (char)c) != 0)
				goto out_long;
			c = getc(fp);
		}
		if (bnc_buf_addc(&r->data, '\0') != 0)
			goto out_long;
		if (c == '\n' || c == EOF) {
			(*lineno)++;
			return 1;
		}
	}

out_nul:
	*why = "a NUL byte";
	return -1;
out_long:
	*why = "the row is longer than 1 MiB";
	return -1;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

static int
put_utf8(struct bnc_buf *b, unsigned cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return bnc_buf_add(b, u, n);
}

/* A JSON string at *p (after its opening quote) into b, NUL-terminated. */
static int
json_str(const char **pp, struct bnc_buf *b)
{
	const char *p = *pp;

	for (;;) {
		unsigned char c = (unsigned char)*p++;
		if (c == '\0' || c < 0x20)
			return -1;
		if (c == '"')
			break;
		if (c != '\\') {
			if (bnc_buf_addc(b, (char)c) != 0)
				return -1;
			continue;
		}
		c = (unsigned char)*p++;
		switch (c) {
		case '"': case '\\': case '/':
			break;
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'u': {
			unsigned cp = 0;
			int i, h;
			for (i = 0; i < 4; i++) {
				if ((h = hexval((unsigned char)*p++)) < 0)
					return -1;
				cp = cp << 4 | (unsigned)h;
			}
			if (cp >= 0xd800 && cp < 0xdc00 && p[0] == '\\' &&
			    p[1] == 'u') {
				unsigned lo = 0;
				const char *q = p + 2;
				for (i = 0; i < 4; i++) {
					if ((h = hexval((unsigned char)*q++)) < 0)
						return -1;
					lo = lo << 4 | (unsigned)h;
				}
				if (lo >= 0xdc00 && lo < 0xe000) {
					cp = 0x10000 + ((cp - 0xd800) << 10) +
					    (lo - 0xdc00);
					p = q;
				}
			}
			if (cp >= 0xd800 && cp < 0xe000)
				cp = 0xfffd;
			if (put_utf8(b, cp) != 0)
				return -1;
			continue;
		}
		default:
			return -1;
		}
		if (bnc_buf_addc(b, (char)c) != 0)
			return -1;
	}
	*pp = p;
	return bnc_buf_addc(b, '\0');
}

static const char *
skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return p;
}

/* One flat JSON object per line: string, number, true, false or null
 * values (kept as text). 1 read, 0 a blank line, -1 bad input. */
static int
json_row(const char *line, struct row *r)
{
	const char *p = skip_ws(line);

	bnc_buf_reset(&r->data);
	r->n = 0;
	if (*p == '\0')
		return 0;
	if (*p++ != '{')
		return -1;
	p = skip_ws(p);
	if (*p == '}')
		return *skip_ws(p + 1) == '\0' ? 1 : -1;
	for (;;) {
		if (r->n >= MAX_FIELDS || *p++ != '"')
			return -1;
		r->name[r->n] = r->data.len;
		if (json_str(&p, &r->data) != 0)
			return -1;
		p = skip_ws(p);
		if (*p++ != ':')
			return -1;
		p = skip_ws(p);
		r->off[r->n] = r->data.len;
		if (*p == '"') {
			p++;
			if (json_str(&p, &r->data) != 0)
				return -1;
		} else {
			const char *q = p;
			while (*q && *q != ',' && *q != '}' && *q != ' ' &&
			    *q != '\t' && *q != '\r' && *q != '\n')
				q++;
			if (q == p || *p == '{' || *p == '[')
				return -1;	/* nested values: not a flat row */
			if (q - p == 4 && memcmp(p, "null", 4) == 0) {
				if (bnc_buf_addc(&r->data, '\0') != 0)
					return -1;
			} else if (bnc_buf_add(&r->data, p, (size_t)(q - p)) != 0 ||
			    bnc_buf_addc(&r->data, '\0') != 0)
				return -1;
			p = q;
		}
		r->n++;
		p = skip_ws(p);
		if (*p == ',') {
			p = skip_ws(p + 1);
			continue;
		}
		if (*p++ != '}')
			return -1;
		return *skip_ws(p) == '\0' ? 1 : -1;
	}
}

static const char *
field(const struct row *r, unsigned i)
{
	return r->data.ptr + r->off[i];
}

/* Where the address, reason and since are: a column number (CSV, 0 =
 * none) or a name to find in the header row / the JSON keys. */
struct mapping {
	char name[3][128];
	int col[3];			/* 1-based; 0 unknown; -1 absent */
};

static const char *const targets[3] = { "address", "reason", "since" };

static int
parse_map(struct mapping *m, const char *spec, const char *cmd)
{
	const char *p = spec;

	memset(m, 0, sizeof(*m));
	while (p != NULL && *p) {
		size_t n = strcspn(p, ","), k;
		const char *eq = memchr(p, '=', n);
		int t = -1;

		for (k = 0; eq != NULL && k < 3; k++)
			if ((size_t)(eq - p) == strlen(targets[k]) &&
			    memcmp(p, targets[k], (size_t)(eq - p)) == 0)
				t = (int)k;
		if (t < 0 || (size_t)(p + n - eq - 1) >= sizeof(m->name[0]) ||
		    p + n == eq + 1) {
			fprintf(stderr, "%s: bad --map '%s' (want address=COL,"
			    "reason=COL,since=COL)\n", cmd, spec);
			return 2;
		}
		snprintf(m->name[t], sizeof(m->name[t]), "%.*s",
		    (int)(p + n - eq - 1), eq + 1);
		if (bnc_is_digit((unsigned char)m->name[t][0])) {
			char *end;
			long v = strtol(m->name[t], &end, 10);
			if (*end == '\0' && v >= 1 && v <= MAX_FIELDS) {
				m->col[t] = (int)v;
				m->name[t][0] = '\0';
			}
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* The column of target t among names (header row or JSON keys), 1-based;
 * -1 when absent. */
static int
find_col(const struct mapping *m, unsigned t, const struct row *r, bool json)
{
	static const char *const defaults[3][6] = {
		{ "address", "email", "email_address", "e-mail", "recipient",
		    NULL },
		{ "reason", NULL },
		{ "since", NULL },
	};
	unsigned i, d;

	if (m->col[t] > 0)
		return m->col[t];
	for (i = 0; i < r->n; i++) {
		const char *name = json ? r->data.ptr + r->name[i] :
		    field(r, i);
		if (m->name[t][0]) {
			if (strcasecmp(name, m->name[t]) == 0)
				return (int)i + 1;
			continue;
		}
		for (d = 0; defaults[t][d] != NULL; d++)
			if (strcasecmp(name, defaults[t][d]) == 0)
				return (int)i + 1;
	}
	return -1;
}

struct import {
	struct args *a;
	struct bnc_store *s;
	unsigned long rows, added, already;
};

/* Suppress one row's address. 0, or 1 after naming the problem. */
static int
import_one(struct import *im, const char *src, unsigned long line,
    const char *address, const char *reason, const char *since)
{
	char key[1024];
	bool changed;
	long long t;

	if (!bnc_address_key(key, sizeof(key), address) ||
	    !bnc_address_valid(key)) {
		fprintf(stderr, "%s: %s:%lu: not an address: '%s'\n",
		    im->a->o.cmd, src, line, address);
		return 1;
	}
	if (since != NULL && *since && bnc_time_parse(&t, since) != 0) {
		fprintf(stderr, "%s: %s:%lu: not a time: '%s' (want "
		    "YYYY-MM-DD[THH:MM:SS[Z]])\n", im->a->o.cmd, src, line,
		    since);
		return 1;
	}
	if (reason == NULL || *reason == '\0')
		reason = im->a->reason ? im->a->reason : "import";
	if (strlen(reason) > MAX_REASON) {
		fprintf(stderr, "%s: %s:%lu: reason longer than %d bytes\n",
		    im->a->o.cmd, src, line, MAX_REASON);
		return 1;
	}
	if (bnc_store_suppress(im->s, key, "import", reason, since,
	    &changed) != 0) {
		fprintf(stderr, "%s: %s:%lu: %s\n", im->a->o.cmd, src, line,
		    bnc_store_errmsg(im->s));
		return 1;
	}
	im->rows++;
	if (changed)
		im->added++;
	else
		im->already++;
	return 0;
}

static int
import_csv(struct import *im, FILE *fp, const char *src,
    const struct mapping *m)
{
	struct row r;
	const char *why = "";
	int col[3], got;
	unsigned long line = 0, start;
	unsigned t;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	bnc_buf_init(&r.data, MAX_ROW);
	got = csv_read(fp, &r, im->a->delim, &line, &why);
	if (got <= 0) {
		fprintf(stderr, "%s: %s: %s%s\n", im->a->o.cmd, src, got == 0 ?
		    "empty: want a header row" : "bad CSV header row: ",
		    got == 0 ? "" : why);
		rc = 1;
		goto out;
	}
	for (t = 0; t < 3; t++)
		col[t] = find_col(m, t, &r, false);
	for (t = 0; t < 3; t++) {
		if (col[t] < 0 && m->name[t][0]) {
			fprintf(stderr, "%s: %s: no column '%s' for %s\n",
			    im->a->o.cmd, src, m->name[t], targets[t]);
			rc = 1;
			goto out;
		}
	}
	if (col[0] < 0) {
		fprintf(stderr, "%s: %s: no address column in the header "
		    "(name it with --map address=COLUMN)\n", im->a->o.cmd, src);
		rc = 1;
		goto out;
	}
	for (;;) {
		const char *v[3];
		start = line + 1;
		got = csv_read(fp, &r, im->a->delim, &line, &why);
		if (got == 0)
			break;
		if (got < 0) {
			fprintf(stderr, "%s: %s:%lu: bad CSV row: %s\n",
			    im->a->o.cmd, src, start, why);
			rc = 1;
			break;
		}
		if (r.n == 1 && field(&r, 0)[0] == '\0')
			continue;	/* a blank line */
		for (t = 0; t < 3; t++)
			v[t] = (col[t] > 0 && (unsigned)col[t] <= r.n) ?
			    field(&r, (unsigned)col[t] - 1) : NULL;
		if (v[0] == NULL) {
			fprintf(stderr, "%s: %s:%lu: the row has no column "
			    "%d\n", im->a->o.cmd, src, start, col[0]);
			rc = 1;
			break;
		}
		rc = import_one(im, src, start, v[0], v[1], v[2]);
		if (rc)
			break;
	}
out:
	bnc_buf_deinit(&r.data);
	return rc;
}

static int
import_jsonl(struct import *im, FILE *fp, const char *src,
    const struct mapping *m)
{
	struct row r;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long lineno = 0;
	unsigned t;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	bnc_buf_init(&r.data, MAX_ROW);
	for (t = 0; t < 3; t++) {
		if (m->col[t] > 0) {
			fprintf(stderr, "%s: --map takes key names for JSON "
			    "lines\n", im->a->o.cmd);
			rc = 1;
			goto out;
		}
	}
	while ((len = getline(&line, &cap, fp)) >= 0) {
		const char *v[3];
		int got, col;
		lineno++;
		if (memchr(line, '\0', (size_t)len) != NULL) {
			fprintf(stderr, "%s: %s:%lu: a NUL byte\n",
			    im->a->o.cmd, src, lineno);
			rc = 1;
			break;
		}
		got = json_row(line, &r);
		if (got == 0)
			continue;
		if (got < 0) {
			fprintf(stderr, "%s: %s:%lu: not a flat JSON object\n",
			    im->a->o.cmd, src, lineno);
			rc = 1;
			break;
		}
		for (t = 0; t < 3; t++) {
			col = find_col(m, t, &r, true);
			v[t] = col > 0 ? field(&r, (unsigned)col - 1) : NULL;
		}
		if (v[0] == NULL) {
			fprintf(stderr, "%s: %s:%lu: no address key\n",
			    im->a->o.cmd, src, lineno);
			rc = 1;
			break;
		}
		rc = import_one(im, src, lineno, v[0], v[1], v[2]);
		if (rc)
			break;
	}
out:
	free(line);	/* getline's buffer is libc's */
	bnc_buf_deinit(&r.data);
	return rc;
}

static int
do_import(struct args *a, int argc, char **argv)
{
	struct mapping m;
	struct import im;
	struct stat st;
	const char *src;
	FILE *fp;
	enum fmt fmt = a->fmt;
	int rc, c;

	if (argc != 1) {
		fprintf(stderr, "%s: give one FILE (or - for stdin)\n",
		    a->o.cmd);
		return 2;
	}
	rc = parse_map(&m, a->map, a->o.cmd);
	if (rc)
		return rc;
	src = argv[0];
	fp = strcmp(src, "-") == 0 ? stdin : fopen(src, "r");
	if (fp == NULL || (fstat(fileno(fp), &st) == 0 &&
	    S_ISDIR(st.st_mode))) {
		char why[128];
		fprintf(stderr, "%s: %s: %s\n", a->o.cmd, src, fp == NULL ?
		    strerror_r(errno, why, sizeof(why)) : "is a directory");
		if (fp != NULL)
			fclose(fp);
		return 1;
	}
	/* A byte order mark, as spreadsheets write at the start of a CSV
	 * file, is no part of the first column's name. */
	c = getc(fp);
	if (c == 0xef) {
		if (getc(fp) != 0xbb || getc(fp) != 0xbf) {
			fprintf(stderr, "%s: %s: neither CSV nor JSON lines "
			    "(a broken byte order mark)\n", a->o.cmd, src);
			rc = 1;
			goto out_close;
		}
	} else if (c != EOF) {
		ungetc(c, fp);
	}
	if (fmt == FMT_DEFAULT) {
		/* JSON lines start with '{'; anything else is CSV. */
		c = getc(fp);
		fmt = c == '{' ? FMT_JSONL : FMT_CSV;
		if (c != EOF)
			ungetc(c, fp);
	}
	memset(&im, 0, sizeof(im));
	im.a = a;
	rc = bnc_cli_store_open(&im.s, &a->o, 0);
	if (rc)
		goto out_close;
	if (bnc_store_begin(im.s) != 0) {
		fprintf(stderr, "%s: %s\n", a->o.cmd, bnc_store_errmsg(im.s));
		rc = 1;
		goto out_store;
	}
	rc = fmt == FMT_JSONL ? import_jsonl(&im, fp, src, &m) :
	    import_csv(&im, fp, src, &m);
	if (rc == 0 && ferror(fp)) {
		fprintf(stderr, "%s: %s: read error\n", a->o.cmd, src);
		rc = 1;
	}
	if (rc) {
		bnc_store_rollback(im.s);
		fprintf(stderr, "%s: nothing was imported\n", a->o.cmd);
	} else if (bnc_store_commit(im.s) != 0) {
		fprintf(stderr, "%s: %s; nothing was imported\n", a->o.cmd,
		    bnc_store_errmsg(im.s));
		rc = 1;
	} else {
		printf("imported %lu address%s: %lu newly suppressed, %lu "
		    "already suppressed\n", im.rows, im.rows == 1 ? "" : "es",
		    im.added, im.already);
	}
out_store:
	bnc_store_close(im.s);
out_close:
	if (fp != stdin)
		fclose(fp);
	return rc;
}

int
bnc_cmd_suppressions(int argc, char **argv)
{
	static const struct option longopts[] = {
		BNC_STORE_LONGOPTS,
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "reason", required_argument, NULL, 'r' },
		{ "at", required_argument, NULL, 'a' },
		{ "map", required_argument, NULL, 'm' },
		{ "delimiter", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct args a;
	const char *sub;
	char cmd[64];
	int c;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		help(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	sub = argv[1];
	if (strcmp(sub, "list") != 0 && strcmp(sub, "add") != 0 &&
	    strcmp(sub, "remove") != 0 && strcmp(sub, "export") != 0 &&
	    strcmp(sub, "import") != 0) {
		fprintf(stderr, "bouncer suppressions: unknown subcommand "
		    "'%s' (list, add, remove, export, import)\n", sub);
		return 2;
	}
	memset(&a, 0, sizeof(a));
	snprintf(cmd, sizeof(cmd), "bouncer suppressions %s", sub);
	bnc_cli_store_init(&a.o, cmd);
	a.delim = ',';
	argc--;
	argv++;
	optind = 1;
	opterr = 0;	/* our own messages (bnc_cli_bad_option) */
	while ((c = getopt_long(argc, argv, ":f:o:h", longopts, NULL)) != -1) {
		if (bnc_cli_store_opt(&a.o, c, optarg))
			continue;
		switch (c) {
		case 'f':
			if (strcmp(optarg, "csv") == 0)
				a.fmt = FMT_CSV;
			else if (strcmp(optarg, "jsonl") == 0 ||
			    strcmp(optarg, "json") == 0)
				a.fmt = FMT_JSONL;
			else {
				fprintf(stderr, "%s: unknown format '%s' (csv "
				    "or jsonl)\n", cmd, optarg);
				return 2;
			}
			break;
		case 'o':
			a.output = optarg;
			break;
		case 'r':
			a.reason = optarg;
			break;
		case 'a': {
			long long t;
			if (bnc_time_parse(&t, optarg) != 0) {
				fprintf(stderr, "%s: bad --at '%s' (want "
				    "YYYY-MM-DDTHH:MM:SSZ, YYYY-MM-DD or "
				    "@EPOCH)\n", cmd, optarg);
				return 2;
			}
			a.at = optarg;
			break;
		}
		case 'm':
			a.map = optarg;
			break;
		case 'd':
			if (strlen(optarg) != 1 || optarg[0] == '"' ||
			    optarg[0] == '\n') {
				fprintf(stderr, "%s: --delimiter is one "
				    "character\n", cmd);
				return 2;
			}
			a.delim = optarg[0];
			break;
		case 'h':
			help(stdout);
			return 0;
		default:
			return bnc_cli_bad_option(cmd, c, ":f:o:h", argv);
		}
	}
	c = bnc_cli_store_finish(&a.o);
	if (c)
		return c;
	argc -= optind;
	argv += optind;
	if (strcmp(sub, "list") == 0 || strcmp(sub, "export") == 0) {
		if (argc > 0) {
			fprintf(stderr, "%s: unexpected argument '%s'\n", cmd,
			    argv[0]);
			return 2;
		}
		return do_list(&a, strcmp(sub, "export") == 0);
	}
	if (strcmp(sub, "import") == 0)
		return do_import(&a, argc, argv);
	return do_add_remove(&a, strcmp(sub, "add") == 0, argc, argv);
}

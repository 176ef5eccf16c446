/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * output.c - record writers. JSON output is always valid UTF-8 whatever
 * the bounce contained: invalid sequences become U+FFFD, control bytes
 * are escaped. Keys are never missing (DESIGN.md section 3).
 */
#include <string.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "../util/alloc.h"
#include "../util/buf.h"
#include "output.h"

struct bnc_table_row {
	char *cell[8];
	enum bnc_class cls;
};

static const char *const table_head[8] = { "SOURCE", "#", "RECIPIENT",
	"CLASS", "REASON", "STATUS", "ACTION", "RULE" };

bool
bnc_format_parse(const char *name, enum bnc_format *out)
{
	if (strcmp(name, "jsonl") == 0 || strcmp(name, "json") == 0)
		*out = BNC_FORMAT_JSONL;
	else if (strcmp(name, "table") == 0)
		*out = BNC_FORMAT_TABLE;
	else if (strcmp(name, "csv") == 0)
		*out = BNC_FORMAT_CSV;
	else if (strcmp(name, "sisimai") == 0)
		*out = BNC_FORMAT_SISIMAI;
	else
		return false;
	return true;
}

void
bnc_writer_init(struct bnc_writer *w, FILE *fp, enum bnc_format f)
{
	memset(w, 0, sizeof(*w));
	w->fp = fp;
	w->format = f;
	/* A record is a few KiB at most (fields come from a message
	 * whose decoded text is capped); 64 MiB is a guard, not a size. */
	bnc_buf_init(&w->line, (size_t)64 << 20);
	w->colour = f == BNC_FORMAT_TABLE && isatty(fileno(fp)) &&
	    getenv("NO_COLOR") == NULL;
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t
utf8_len(const unsigned char *s)
{
	size_t n, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

/* 1 for the bytes a JSON string body may hold as they are: printable
 * ASCII but '"' and '\\'. Everything else takes the slow path. */
static const unsigned char json_plain[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* Append the JSON string of s to b. Runs of plain bytes are copied at
 * once: diagnostics are long and mostly ASCII. Buffer errors are left
 * in b (bnc_buf_add fails the same way again at the record's end). */
static void
json_buf(struct bnc_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run;
	char esc[8];
	size_t n;

	bnc_buf_addc(b, '"');
	while (*p) {
		run = p;
		while (json_plain[*p])
			p++;
		if (p > run)
			bnc_buf_add(b, run, (size_t)(p - run));
		if (*p == '\0')
			break;
		if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p++;
			bnc_buf_add(b, esc, 2);
		} else if (*p < 0x20 || *p == 0x7f) {
			snprintf(esc, sizeof(esc), "\\u%04x", *p++);
			bnc_buf_add(b, esc, 6);
		} else if ((n = utf8_len(p)) == 0) {
			bnc_buf_add(b, "\xef\xbf\xbd", 3);
			p++;
		} else {
			bnc_buf_add(b, p, n);
			p += n;
		}
	}
	bnc_buf_addc(b, '"');
}

void
bnc_json_string(FILE *fp, const char *s)
{
	struct bnc_buf b;

	bnc_buf_init(&b, (size_t)-1 / 2);
	json_buf(&b, s);
	if (b.ptr)
		fwrite(b.ptr, 1, b.len, fp);
	bnc_buf_deinit(&b);
}

/* ,"key":"value" with the key known to need no escaping. */
static void
json_field(struct bnc_buf *b, const char *key, const char *value)
{
	bnc_buf_addc(b, ',');
	bnc_buf_addc(b, '"');
	bnc_buf_adds(b, key);
	bnc_buf_add(b, "\":", 2);
	json_buf(b, value ? value : "");
}

/* One JSON line into w->out; written out by the caller. */
static void
write_json(struct bnc_buf *b, const char *source, size_t message,
    const struct bnc_record *r)
{
	char num[32];

	bnc_buf_add(b, "{\"source\":", 10);
	json_buf(b, source);
	snprintf(num, sizeof(num), ",\"message\":%zu", message);
	bnc_buf_adds(b, num);
	json_field(b, "recipient", r->recipient);
	json_field(b, "sender", r->sender);
	json_field(b, "status", r->status);
	json_field(b, "reply_code", r->reply_code);
	json_field(b, "diagnostic", r->diagnostic);
	json_field(b, "diagnostic_type", r->diagnostic_type);
	json_field(b, "dsn_action", r->dsn_action);
	json_field(b, "remote_mta", r->remote_mta);
	json_field(b, "reporting_mta", r->reporting_mta);
	json_field(b, "smtp_command", r->smtp_command);
	json_field(b, "message_id", r->message_id);
	json_field(b, "campaign", r->campaign);
	json_field(b, "list_id", r->list_id);
	json_field(b, "feedback_type", r->feedback_type);
	json_field(b, "timestamp", r->timestamp);
	json_field(b, "mta", r->mta);
	json_field(b, "provider", r->provider);
	json_field(b, "reason", r->reason);
	json_field(b, "class", bnc_class_name(r->cls));
	json_field(b, "action", bnc_action_name(r->action));
	json_field(b, "rule", r->rule);
	bnc_buf_add(b, "}\n", 2);
}

/* Sisimai's decoder names for ours ("smtpagent"). */
static const char *
sisimai_agent(const char *mta)
{
	static const struct {
		const char *ours, *theirs;
	} map[] = {
		{ "rfc3464", "RFC3464" }, { "arf", "ARF" },
		{ "rfc3834", "RFC3834" }, { "amazonses", "AmazonSES" },
		{ "googlegroups", "GoogleGroups" }, { "text", "RFC3464" },
		{ "smtp", "SMTP" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].ours, mta) == 0)
			return map[i].theirs;
	return mta;
}

/* Seconds since the epoch of our "YYYY-MM-DDTHH:MM:SSZ", or 0. */
static long long
epoch(const char *iso)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (strptime(iso, "%Y-%m-%dT%H:%M:%SZ", &tm) == NULL)
		return 0;
	return (long long)timegm(&tm);
}

static const char *
domain_of(const char *addr)
{
	const char *at = strrchr(addr, '@');

	return at ? at + 1 : "";
}

/* Sisimai's token: SHA-1 of STX addresser RS recipient RS time ETX,
 * addresses in lower case, so the same event gets the same token in both
 * tools; empty when either address is unknown, as there. */
static void
sisimai_token(char out[41], const char *from, const char *to, long long t)
{
	unsigned char md[SHA_DIGEST_LENGTH];
	char buf[1024];
	int n, i;

	out[0] = '\0';
	if (from[0] == '\0' || to[0] == '\0')
		return;
	n = snprintf(buf, sizeof(buf), "\x02%s\x1e%s\x1e%lld\x03", from, to,
	    t);
	for (i = 0; i < n && i < (int)sizeof(buf); i++)
		if (buf[i] >= 'A' && buf[i] <= 'Z')
			buf[i] = (char)(buf[i] - 'A' + 'a');
	if (n < 0 || (size_t)n >= sizeof(buf))
		n = (int)sizeof(buf) - 1;
	SHA1((const unsigned char *)buf, (size_t)n, md);
	for (i = 0; i < SHA_DIGEST_LENGTH; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void
write_sisimai(struct bnc_buf *b, const char *source, const struct bnc_record *r)
{
	long long t = epoch(r->timestamp);
	char token[41], num[64];
	const char *agent = sisimai_agent(r->mta);

	sisimai_token(token, r->sender, r->recipient, t);
	bnc_buf_add(b, "{\"action\":", 10);
	json_buf(b, r->dsn_action);
	json_field(b, "addresser", r->sender);
	json_field(b, "alias", "");
	json_field(b, "catch", "");
	json_field(b, "decodedby", agent);
	json_field(b, "deliverystatus", r->status);
	json_field(b, "destination", domain_of(r->recipient));
	json_field(b, "diagnosticcode", r->diagnostic);
	json_field(b, "diagnostictype", r->diagnostic_type[0] ?
	    r->diagnostic_type : "");
	json_field(b, "feedbacktype", r->feedback_type);
	/* hardbounce (Sisimai 5) and softbounce (Sisimai 4: 1, 0, -1). */
	bnc_buf_adds(b, r->cls == BNC_CLASS_HARD ? ",\"hardbounce\":1" :
	    ",\"hardbounce\":0");
	json_field(b, "lhost", r->reporting_mta);
	json_field(b, "listid", r->list_id);
	json_field(b, "messageid", r->message_id);
	json_field(b, "origin", source);
	json_field(b, "reason", r->reason);
	json_field(b, "recipient", r->recipient);
	json_field(b, "replycode", r->reply_code);
	json_field(b, "rhost", r->remote_mta);
	json_field(b, "senderdomain", domain_of(r->sender));
	json_field(b, "smtpagent", agent);
	json_field(b, "smtpcommand", r->smtp_command);
	bnc_buf_adds(b, r->cls == BNC_CLASS_HARD ? ",\"softbounce\":0" :
	    r->cls == BNC_CLASS_SOFT || r->cls == BNC_CLASS_GRAY ?
	    ",\"softbounce\":1" : ",\"softbounce\":-1");
	json_field(b, "subject", r->subject ? r->subject : "");
	snprintf(num, sizeof(num), ",\"timestamp\":%lld", t);
	bnc_buf_adds(b, num);
	json_field(b, "timezoneoffset", "+0000");
	json_field(b, "token", token);
	bnc_buf_add(b, "}\n", 2);
}

static void
csv_cell(FILE *fp, const char *s, bool first)
{
	if (!first)
		putc(',', fp);
	if (strpbrk(s, ",\"\r\n") == NULL) {
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

static const char *const csv_names[] = { "source", "message", "recipient",
	"sender", "status", "reply_code", "reason", "class", "action", "rule",
	"provider", "mta", "remote_mta", "smtp_command", "message_id",
	"campaign", "list_id", "timestamp", "diagnostic" };

static void
write_csv_header(FILE *fp)
{
	size_t i;

	for (i = 0; i < sizeof(csv_names) / sizeof(csv_names[0]); i++)
		csv_cell(fp, csv_names[i], i == 0);
	fputs("\r\n", fp);
}

static void
write_csv(FILE *fp, const char *source, size_t message,
    const struct bnc_record *r, bool header)
{
	char num[24];
	const char *cells[] = { source, num, r->recipient, r->sender,
		r->status, r->reply_code, r->reason, bnc_class_name(r->cls),
		bnc_action_name(r->action), r->rule, r->provider, r->mta,
		r->remote_mta, r->smtp_command, r->message_id, r->campaign,
		r->list_id, r->timestamp, r->diagnostic };
	size_t i;

	if (header)
		write_csv_header(fp);
	snprintf(num, sizeof(num), "%zu", message);
	for (i = 0; i < sizeof(cells) / sizeof(cells[0]); i++)
		csv_cell(fp, cells[i], i == 0);
	fputs("\r\n", fp);
}

static char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = bnc_malloc(n);

	if (p)
		memcpy(p, s, n);
	return p;
}

static int
table_add(struct bnc_writer *w, const char *source, size_t message,
    const struct bnc_record *r)
{
	struct bnc_table_row *row;
	char num[24];
	const char *cells[8];
	size_t i;

	if (w->table_n == w->table_cap) {
		size_t ncap = w->table_cap ? w->table_cap * 2 : 64;
		struct bnc_table_row *t = bnc_realloc(w->table,
		    ncap * sizeof(*t));
		if (t == NULL)
			return BNC_ENOMEM;
		w->table = t;
		w->table_cap = ncap;
	}
	snprintf(num, sizeof(num), "%zu", message);
	cells[0] = source;
	cells[1] = num;
	cells[2] = r->recipient[0] ? r->recipient : "-";
	cells[3] = bnc_class_name(r->cls);
	cells[4] = r->reason;
	cells[5] = r->status[0] ? r->status : "-";
	cells[6] = bnc_action_name(r->action);
	cells[7] = r->rule;
	row = &w->table[w->table_n];
	for (i = 0; i < 8; i++) {
		row->cell[i] = xstrdup(cells[i]);
		if (row->cell[i] == NULL) {
			while (i-- > 0)
				bnc_free(row->cell[i]);
			return BNC_ENOMEM;
		}
	}
	row->cls = r->cls;
	w->table_n++;
	return 0;
}

/* Display width: count UTF-8 lead bytes (good enough for alignment of
 * the mostly-ASCII cells we print). */
static size_t
width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static const char *
class_colour(enum bnc_class c)
{
	switch (c) {
	case BNC_CLASS_HARD:
	case BNC_CLASS_COMPLAINT:
		return "\033[31m";
	case BNC_CLASS_SOFT:
		return "\033[33m";
	case BNC_CLASS_GRAY:
		return "\033[35m";
	case BNC_CLASS_DELIVERED:
	case BNC_CLASS_AUTO_REPLY:
		return "\033[32m";
	case BNC_CLASS_UNKNOWN:
		break;
	}
	return "\033[2m";
}

static void
table_print(struct bnc_writer *w)
{
	size_t wid[8], i, j;

	for (j = 0; j < 8; j++)
		wid[j] = width(table_head[j]);
	for (i = 0; i < w->table_n; i++)
		for (j = 0; j < 8; j++)
			if (width(w->table[i].cell[j]) > wid[j])
				wid[j] = width(w->table[i].cell[j]);
	for (j = 0; j < 8; j++)
		fprintf(w->fp, "%s%-*s", j ? "  " : "", j == 7 ? 0 : (int)wid[j],
		    table_head[j]);
	fputc('\n', w->fp);
	for (i = 0; i < w->table_n; i++) {
		for (j = 0; j < 8; j++) {
			const char *c = w->table[i].cell[j];
			size_t pad = j == 7 ? 0 : wid[j] - width(c);
			fputs(j ? "  " : "", w->fp);
			if (w->colour && j == 3)
				fputs(class_colour(w->table[i].cls), w->fp);
			fputs(c, w->fp);
			if (w->colour && j == 3)
				fputs("\033[0m", w->fp);
			fprintf(w->fp, "%*s", (int)pad, "");
		}
		fputc('\n', w->fp);
	}
}

int
bnc_writer_record(struct bnc_writer *w, const char *source, size_t message,
    const struct bnc_record *r)
{
	int rc = 0;

	switch (w->format) {
	case BNC_FORMAT_JSONL:
	case BNC_FORMAT_SISIMAI:
		/* Built whole in memory, then one fwrite: no per-byte
		 * stdio calls, and no half record on a limit. */
		bnc_buf_reset(&w->line);
		if (w->format == BNC_FORMAT_JSONL)
			write_json(&w->line, source, message, r);
		else
			write_sisimai(&w->line, source, r);
		if (w->line.ptr == NULL || w->line.len == 0 ||
		    w->line.ptr[w->line.len - 1] != '\n')
			rc = BNC_ENOMEM;
		else if (fwrite(w->line.ptr, 1, w->line.len, w->fp) !=
		    w->line.len)
			rc = BNC_EIO;
		break;
	case BNC_FORMAT_CSV:
		write_csv(w->fp, source, message, r, w->rows == 0);
		break;
	case BNC_FORMAT_TABLE:
		rc = table_add(w, source, message, r);
		break;
	}
	if (rc == 0)
		w->rows++;
	if (ferror(w->fp))
		return BNC_EIO;
	return rc;
}

int
bnc_writer_finish(struct bnc_writer *w)
{
	size_t i, j;
	int rc = 0;

	/* No records still gets the header row: a CSV consumer or a reader
	 * of the table sees the columns and that nothing came out. */
	if (w->format == BNC_FORMAT_TABLE)
		table_print(w);
	if (w->format == BNC_FORMAT_CSV && w->rows == 0)
		write_csv_header(w->fp);
	for (i = 0; i < w->table_n; i++)
		for (j = 0; j < 8; j++)
			bnc_free(w->table[i].cell[j]);
	bnc_free(w->table);
	bnc_buf_deinit(&w->line);
	w->table = NULL;
	w->table_n = w->table_cap = 0;
	if (fflush(w->fp) != 0 || ferror(w->fp))
		rc = BNC_EIO;
	return rc;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * output.c - record writers. JSON output is always valid UTF-8 whatever
 * the bounce contained: invalid sequences become U+FFFD, control bytes
 * are escaped. Keys are never missing (DESIGN.md section 3).
 */
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "../util/alloc.h"
#include "../util/buf.h"
#include "../util/sha1.h"
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

/* Length of the valid UTF-8 sequence at s, or 0; a sequence cut by
 * the end of the text is not valid (and is not read past end). */
static size_t
utf8_len(const unsigned char *s, const unsigned char *end)
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
	if ((size_t)(end - s) < n)
		return 0;
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

#ifdef __SSE2__
/* 0xff in the lanes of v that json_put() cannot copy as they are:
 * below 0x20 or from 0x7f on (signed: below 0x20), '"' and '\\'. */
static inline __m128i
json_special(__m128i v)
{
	return _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(v,
	    _mm_set1_epi8(0x20)), _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f))),
	    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
	    _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
}
#endif

/* Write the JSON string of s[0, len) (its quotes too) at o, which has
 * room for the worst case (6 bytes a byte, plus 2); return the end.
 * `fast`: plain bytes are copied 16 at a time, a short text or the
 * last bytes of a long one by loads that stay inside s (two that
 * overlap, or one that ends at its end) when none of them needs more
 * than a copy; else a byte at a time. */
static inline char *
json_put_impl(char *o, const char *s, size_t len, bool fast)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + len;
	size_t n;

	*o++ = '"';
#ifdef __SSE2__
	if (fast && len >= 4 && len < 16) {
		__m128i v, a, b;
		if (len >= 8) {
			a = _mm_loadl_epi64((const __m128i *)(const void *)p);
			b = _mm_loadl_epi64((const __m128i *)(const void *)
			    (end - 8));
		} else {
			uint32_t x, y;
			memcpy(&x, p, 4);
			memcpy(&y, end - 4, 4);
			a = _mm_cvtsi32_si128((int)x);
			b = _mm_cvtsi32_si128((int)y);
		}
		v = _mm_unpacklo_epi64(a, b);
		/* Lanes past the loads are 0, which is special: only
		 * the loaded ones count. */
		if ((_mm_movemask_epi8(json_special(v)) &
		    (len >= 8 ? 0xffff : 0x0f0f)) == 0) {
			if (len >= 8) {
				_mm_storel_epi64((__m128i *)(void *)o, a);
				_mm_storel_epi64((__m128i *)(void *)
				    (o + len - 8), b);
			} else {
				memcpy(o, p, 4);
				memcpy(o + len - 4, end - 4, 4);
			}
			o += len;
			*o++ = '"';
			return o;
		}
	}
#endif
	while (p < end) {
#ifdef __SSE2__
		if (fast) {
			/* Runs of plain bytes 16 at a time. */
			while (end - p >= 16) {
				__m128i v = _mm_loadu_si128((const __m128i *)
				    (const void *)p);
				unsigned m = (unsigned)_mm_movemask_epi8(
				    json_special(v));
				if (m) {
					n = (size_t)__builtin_ctz(m);
					memcpy(o, p, n);
					o += n;
					p += n;
					break;
				}
				_mm_storeu_si128((__m128i *)(void *)o, v);
				o += 16;
				p += 16;
			}
			if (p >= end)
				break;
			/* Fewer than 16 left: the last 16 bytes of s, if
			 * all plain, end the text (those before p were
			 * copied as they are, the last bytes written). */
			if (len >= 16 && end - p < 16) {
				__m128i v = _mm_loadu_si128((const __m128i *)
				    (const void *)(end - 16));
				if (_mm_movemask_epi8(json_special(v)) == 0) {
					size_t rem = (size_t)(end - p);
					_mm_storeu_si128((__m128i *)(void *)
					    (o - (16 - rem)), v);
					o += rem;
					break;
				}
			}
		}
#endif
		if (json_plain[*p]) {
			*o++ = (char)*p++;
		} else if (*p == '"' || *p == '\\') {
			*o++ = '\\';
			*o++ = (char)*p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			memcpy(o, "\\u00", 4);
			o[4] = hex[*p >> 4];
			o[5] = hex[*p & 15];
			o += 6;
			p++;
		} else if ((n = utf8_len(p, end)) == 0) {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			p++;
		} else {
			/* 2 to 4 bytes, no call. */
			o[0] = (char)p[0];
			o[1] = (char)p[1];
			if (n > 2)
				o[2] = (char)p[2];
			if (n > 3)
				o[3] = (char)p[3];
			o += n;
			p += n;
		}
	}
	*o++ = '"';
	return o;
}

static char *
json_put(char *o, const char *s, size_t len)
{
	return json_put_impl(o, s, len, true);
}

char *
bnc_json_put(char *o, const char *s, size_t len)
{
	return json_put_impl(o, s, len, true);
}

char *
bnc_json_put_plain(char *o, const char *s, size_t len)
{
	return json_put_impl(o, s, len, false);
}

/* Append the JSON string of s to b: room for the worst case (every
 * byte a \u escape) is made once, then the bytes are written straight
 * into the buffer, no call per byte or per run. 0, or the buffer's
 * error (b is then unchanged). */
static int
json_buf(struct bnc_buf *b, const char *s)
{
	size_t len = strlen(s), room;
	char *o;
	int rc;

	if (!bnc_size_mul(&room, len, 6) || !bnc_size_add(&room, room, 2))
		return BNC_ETOOBIG;
	rc = bnc_buf_reserve(b, room);
	if (rc)
		return rc;
	o = json_put(b->ptr + b->len, s, len);
	*o = '\0';
	b->len = (size_t)(o - b->ptr);
	return 0;
}

void
bnc_json_string(FILE *fp, const char *s)
{
	struct bnc_buf b;

	bnc_buf_init(&b, (size_t)-1 / 2);
	if (json_buf(&b, s) == 0)
		fwrite(b.ptr, 1, b.len, fp);
	bnc_buf_deinit(&b);
}

/* ,"key":"value" with the key known to need no escaping: one
 * reservation for both. */
static inline int
json_field(struct bnc_buf *b, const char *key, const char *value)
{
	size_t k = strlen(key), len, room;
	char *o;
	int rc;

	if (value == NULL)
		value = "";
	len = strlen(value);
	if (!bnc_size_mul(&room, len, 6) || !bnc_size_add(&room, room, k + 6))
		return BNC_ETOOBIG;
	rc = bnc_buf_reserve(b, room);
	if (rc)
		return rc;
	o = b->ptr + b->len;
	*o++ = ',';
	*o++ = '"';
	memcpy(o, key, k);
	o += k;
	*o++ = '"';
	*o++ = ':';
	o = json_put(o, value, len);
	*o = '\0';
	b->len = (size_t)(o - b->ptr);
	return 0;
}

/* Decimal digits of v, without snprintf: this runs for every record. */
static int
add_number(struct bnc_buf *b, unsigned long long v)
{
	char d[24];
	size_t n = sizeof(d);

	do {
		d[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return bnc_buf_add(b, d + n, sizeof(d) - n);
}

/* One JSON line, appended to b, a field at a time. */
static int
write_json_each(struct bnc_buf *b, const char *source, size_t message,
    const struct bnc_record *r)
{
	int rc = 0;

	rc |= bnc_buf_add(b, "{\"source\":", 10);
	rc |= json_buf(b, source);
	rc |= bnc_buf_add(b, ",\"message\":", 11);
	rc |= add_number(b, message);
	rc |= json_field(b, "recipient", r->recipient);
	rc |= json_field(b, "sender", r->sender);
	rc |= json_field(b, "status", r->status);
	rc |= json_field(b, "reply_code", r->reply_code);
	rc |= json_field(b, "diagnostic", r->diagnostic);
	rc |= json_field(b, "diagnostic_type", r->diagnostic_type);
	rc |= json_field(b, "dsn_action", r->dsn_action);
	rc |= json_field(b, "remote_mta", r->remote_mta);
	rc |= json_field(b, "reporting_mta", r->reporting_mta);
	rc |= json_field(b, "smtp_command", r->smtp_command);
	rc |= json_field(b, "message_id", r->message_id);
	rc |= json_field(b, "campaign", r->campaign);
	rc |= json_field(b, "list_id", r->list_id);
	rc |= json_field(b, "feedback_type", r->feedback_type);
	rc |= json_field(b, "timestamp", r->timestamp);
	rc |= json_field(b, "mta", r->mta);
	rc |= json_field(b, "provider", r->provider);
	rc |= json_field(b, "reason", r->reason);
	rc |= json_field(b, "class", bnc_class_name(r->cls));
	rc |= json_field(b, "action", bnc_action_name(r->action));
	rc |= json_field(b, "rule", r->rule);
	rc |= bnc_buf_add(b, "}\n", 2);
	return rc;
}

/* ,"key": of each key of a JSON line after "message", in order, padded
 * to 32 bytes: written by one fixed-size copy, the pointer then moved
 * by the length. */
#define JSON_KEYS(X) X("recipient") X("sender") X("status") \
	X("reply_code") X("diagnostic") X("diagnostic_type") X("dsn_action") \
	X("remote_mta") X("reporting_mta") X("smtp_command") X("message_id") \
	X("campaign") X("list_id") X("feedback_type") X("timestamp") X("mta") \
	X("provider") X("reason") X("class") X("action") X("rule")
#define PRE(k) { ",\"" k "\":", sizeof(",\"" k "\":") - 1 },
static const struct {
	char s[32];
	size_t len;
} json_pre[] = { JSON_KEYS(PRE) };
#undef PRE
/* The bytes of all the ,"key": and the quotes of their values. */
#define KEYLEN(k) + sizeof(",\"" k "\":") - 1 + 2
enum { JSON_KEYS_LEN = 0 JSON_KEYS(KEYLEN) };
#undef KEYLEN
#define NJSON (sizeof(json_pre) / sizeof(json_pre[0]))

/* One JSON line, appended to b: the room for its worst case made once,
 * then written straight in. When that room is more than the buffer may
 * grow by, a field at a time (write_json_each()), which reserves less
 * and may still fit. */
static int
write_json(struct bnc_buf *b, const char *source, size_t message,
    const struct bnc_record *r)
{
	const char *v[NJSON] = { r->recipient, r->sender, r->status,
		r->reply_code, r->diagnostic, r->diagnostic_type,
		r->dsn_action, r->remote_mta, r->reporting_mta,
		r->smtp_command, r->message_id, r->campaign, r->list_id,
		r->feedback_type, r->timestamp, r->mta, r->provider, r->reason,
		bnc_class_name(r->cls), bnc_action_name(r->action), r->rule };
	/* {"source":, ,"message": and the number, }\n, the keys (each
	 * ,"key": and two quotes) and the last key's padding. */
	enum { FIXED = 10 + 11 + 24 + 2 + 32 };
	const size_t keys = JSON_KEYS_LEN;
	size_t len[NJSON], slen = strlen(source), total = slen, room, i, n;
	char *o, d[24];

	for (i = 0; i < NJSON; i++) {
		if (v[i] == NULL)
			v[i] = "";
		/* A third of them are empty (campaign, list_id, ...):
		 * no call for those. */
		len[i] = v[i][0] ? strlen(v[i]) : 0;
		total += len[i];
	}
	/* Every byte of the texts a \u escape at worst, and the quotes of
	 * the source. Texts in memory cannot overflow the sum. */
	if (total > ((size_t)-1 - FIXED - keys - 2) / 6)
		return write_json_each(b, source, message, r);
	room = total * 6 + 2 + FIXED + keys;
	if (room > b->max - b->len || bnc_buf_reserve(b, room) != 0)
		return write_json_each(b, source, message, r);
	o = b->ptr + b->len;
	memcpy(o, "{\"source\":", 10);
	o = json_put(o + 10, source, slen);
	memcpy(o, ",\"message\":", 11);
	o += 11;
	n = sizeof(d);
	do {
		d[--n] = (char)('0' + message % 10);
		message /= 10;
	} while (message);
	memcpy(o, d + n, sizeof(d) - n);
	o += sizeof(d) - n;
	for (i = 0; i < NJSON; i++) {
		memcpy(o, json_pre[i].s, sizeof(json_pre[i].s));
		o += json_pre[i].len;
		o = json_put(o, v[i], len[i]);
	}
	*o++ = '}';
	*o++ = '\n';
	*o = '\0';
	b->len = (size_t)(o - b->ptr);
	return 0;
}

/* Sisimai's decoder names for ours ("smtpagent"). */
static const char *
sisimai_agent(const char *mta)
{
	static const struct {
		const char *ours, *theirs;
	} map[] = {
		{ "activehunter", "Activehunter" }, { "amavis", "Amavis" },
		{ "amazonses", "AmazonSES" },
		{ "amazonworkmail", "AmazonWorkMail" },
		{ "apachejames", "ApacheJames" }, { "arf", "ARF" },
		{ "barracuda", "Barracuda" }, { "bigfoot", "Bigfoot" },
		{ "biglobe", "Biglobe" }, { "courier", "Courier" },
		{ "domino", "Domino" }, { "dragonfly", "DragonFly" },
		{ "einsundeins", "EinsUndEins" },
		{ "exchange2003", "Exchange2003" },
		{ "exchange2007", "Exchange2007" }, { "exim", "Exim" },
		{ "ezweb", "EZweb" }, { "fml", "FML" }, { "gmail", "Gmail" },
		{ "gmx", "GMX" }, { "googlegroups", "GoogleGroups" },
		{ "googleworkspace", "GoogleWorkspace" },
		{ "imailserver", "IMailServer" }, { "kddi", "KDDI" },
		{ "mailfoundry", "MailFoundry" },
		{ "mailmarshal", "MailMarshalSMTP" }, { "mailru", "MailRu" },
		{ "mcafee", "McAfee" }, { "messagingserver", "MessagingServer" },
		{ "mfilter", "mFILTER" }, { "mimecast", "Mimecast" },
		{ "mxlogic", "MXLogic" }, { "notes", "Notes" },
		{ "office365", "Office365" }, { "opensmtpd", "OpenSMTPD" },
		{ "outlook", "Outlook" }, { "postfix", "Postfix" },
		{ "powermta", "PowerMTA" }, { "qmail", "qmail" },
		{ "receivingses", "ReceivingSES" }, { "rfc3464", "RFC3464" },
		{ "rfc3834", "RFC3834" }, { "sendgrid", "SendGrid" },
		{ "sendmail", "Sendmail" }, { "smtp", "SMTP" },
		{ "surfcontrol", "SurfControl" }, { "text", "RFC3464" },
		{ "trendmicro", "InterScanMSS" }, { "v5sendmail", "V5sendmail" },
		{ "verizon", "Verizon" }, { "x1", "X1" }, { "x2", "X2" },
		{ "x3", "X3" }, { "x4", "X4" }, { "x5", "X5" }, { "x6", "X6" },
		{ "yahoo", "Yahoo" }, { "yandex", "Yandex" }, { "zoho", "Zoho" },
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
	unsigned char md[20];
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
	bnc_sha1(buf, (size_t)n, md);
	for (i = 0; i < 20; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static int
write_sisimai(struct bnc_buf *b, const char *source, const struct bnc_record *r)
{
	long long t = epoch(r->timestamp);
	char token[41], num[64];
	const char *agent = sisimai_agent(r->mta);
	int rc = 0;

	sisimai_token(token, r->sender, r->recipient, t);
	rc |= bnc_buf_add(b, "{\"action\":", 10);
	rc |= json_buf(b, r->dsn_action);
	rc |= json_field(b, "addresser", r->sender);
	rc |= json_field(b, "alias", "");
	rc |= json_field(b, "catch", "");
	rc |= json_field(b, "decodedby", agent);
	rc |= json_field(b, "deliverystatus", r->status);
	rc |= json_field(b, "destination", domain_of(r->recipient));
	rc |= json_field(b, "diagnosticcode", r->diagnostic);
	rc |= json_field(b, "diagnostictype", r->diagnostic_type[0] ?
	    r->diagnostic_type : "");
	rc |= json_field(b, "feedbacktype", r->feedback_type);
	/* hardbounce (Sisimai 5) and softbounce (Sisimai 4: 1, 0, -1). */
	rc |= bnc_buf_adds(b, r->cls == BNC_CLASS_HARD ? ",\"hardbounce\":1" :
	    ",\"hardbounce\":0");
	rc |= json_field(b, "lhost", r->reporting_mta);
	rc |= json_field(b, "listid", r->list_id);
	rc |= json_field(b, "messageid", r->message_id);
	rc |= json_field(b, "origin", source);
	rc |= json_field(b, "reason", r->reason);
	rc |= json_field(b, "recipient", r->recipient);
	rc |= json_field(b, "replycode", r->reply_code);
	rc |= json_field(b, "rhost", r->remote_mta);
	rc |= json_field(b, "senderdomain", domain_of(r->sender));
	rc |= json_field(b, "smtpagent", agent);
	rc |= json_field(b, "smtpcommand", r->smtp_command);
	rc |= bnc_buf_adds(b, r->cls == BNC_CLASS_HARD ? ",\"softbounce\":0" :
	    r->cls == BNC_CLASS_SOFT || r->cls == BNC_CLASS_GRAY ?
	    ",\"softbounce\":1" : ",\"softbounce\":-1");
	rc |= json_field(b, "subject", r->subject ? r->subject : "");
	snprintf(num, sizeof(num), ",\"timestamp\":%lld", t);
	rc |= bnc_buf_adds(b, num);
	rc |= json_field(b, "timezoneoffset", "+0000");
	rc |= json_field(b, "token", token);
	rc |= bnc_buf_add(b, "}\n", 2);
	return rc;
}

static int
csv_cell(struct bnc_buf *b, const char *s, bool first)
{
	int rc = 0;

	if (!first)
		rc |= bnc_buf_addc(b, ',');
	if (strpbrk(s, ",\"\r\n") == NULL)
		return rc | bnc_buf_adds(b, s);
	rc |= bnc_buf_addc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			rc |= bnc_buf_addc(b, '"');
		rc |= bnc_buf_addc(b, *s);
	}
	return rc | bnc_buf_addc(b, '"');
}

static const char *const csv_names[] = { "source", "message", "recipient",
	"sender", "status", "reply_code", "reason", "class", "action", "rule",
	"provider", "mta", "remote_mta", "smtp_command", "message_id",
	"campaign", "list_id", "timestamp", "diagnostic" };

static int
write_csv_header(FILE *fp)
{
	struct bnc_buf b;
	size_t i;
	int rc = 0;

	bnc_buf_init(&b, 4096);
	for (i = 0; i < sizeof(csv_names) / sizeof(csv_names[0]); i++)
		rc |= csv_cell(&b, csv_names[i], i == 0);
	rc |= bnc_buf_add(&b, "\r\n", 2);
	if (rc == 0 && fwrite(b.ptr, 1, b.len, fp) != b.len)
		rc = BNC_EIO;
	bnc_buf_deinit(&b);
	return rc;
}

static int
write_csv(struct bnc_buf *b, const char *source, size_t message,
    const struct bnc_record *r)
{
	char num[24];
	const char *cells[] = { source, num, r->recipient, r->sender,
		r->status, r->reply_code, r->reason, bnc_class_name(r->cls),
		bnc_action_name(r->action), r->rule, r->provider, r->mta,
		r->remote_mta, r->smtp_command, r->message_id, r->campaign,
		r->list_id, r->timestamp, r->diagnostic };
	size_t i;
	int rc = 0;

	snprintf(num, sizeof(num), "%zu", message);
	for (i = 0; i < sizeof(cells) / sizeof(cells[0]); i++)
		rc |= csv_cell(b, cells[i], i == 0);
	return rc | bnc_buf_add(b, "\r\n", 2);
}

/* A table row as bnc_writer_format() hands it over: the class as one
 * byte, then the eight cells, each ending in NUL. */
static int
write_table_row(struct bnc_buf *b, const char *source, size_t message,
    const struct bnc_record *r)
{
	char num[24];
	const char *cells[8];
	size_t i;
	int rc;

	snprintf(num, sizeof(num), "%zu", message);
	cells[0] = source;
	cells[1] = num;
	cells[2] = r->recipient[0] ? r->recipient : "-";
	cells[3] = bnc_class_name(r->cls);
	cells[4] = r->reason;
	cells[5] = r->status[0] ? r->status : "-";
	cells[6] = bnc_action_name(r->action);
	cells[7] = r->rule;
	rc = bnc_buf_addc(b, (char)r->cls);
	for (i = 0; i < 8; i++)
		rc |= bnc_buf_add(b, cells[i], strlen(cells[i]) + 1);
	return rc;
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

/* Keep one row of write_table_row()'s form, at p; its end. */
static const char *
table_add(struct bnc_writer *w, const char *p, int *rc)
{
	struct bnc_table_row *row;
	size_t i;

	if (w->table_n == w->table_cap) {
		size_t ncap = w->table_cap ? w->table_cap * 2 : 64;
		struct bnc_table_row *t = bnc_realloc(w->table,
		    ncap * sizeof(*t));
		if (t == NULL) {
			*rc = BNC_ENOMEM;
			return p;
		}
		w->table = t;
		w->table_cap = ncap;
	}
	row = &w->table[w->table_n];
	row->cls = (enum bnc_class)(unsigned char)*p++;
	for (i = 0; i < 8; i++) {
		row->cell[i] = xstrdup(p);
		if (row->cell[i] == NULL) {
			while (i-- > 0)
				bnc_free(row->cell[i]);
			*rc = BNC_ENOMEM;
			return p;
		}
		p += strlen(p) + 1;
	}
	w->table_n++;
	return p;
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
bnc_writer_format(const struct bnc_writer *w, struct bnc_buf *out,
    const char *source, size_t message, const struct bnc_record *r)
{
	size_t start = out->len;
	int rc = 0;

	switch (w->format) {
	case BNC_FORMAT_JSONL:
		rc = write_json(out, source, message, r);
		break;
	case BNC_FORMAT_SISIMAI:
		rc = write_sisimai(out, source, r);
		break;
	case BNC_FORMAT_CSV:
		rc = write_csv(out, source, message, r);
		break;
	case BNC_FORMAT_TABLE:
		rc = write_table_row(out, source, message, r);
		break;
	}
	if (rc) {
		/* No half record: the buffer is as it was. */
		out->len = start;
		if (out->ptr)
			out->ptr[start] = '\0';
		return BNC_ENOMEM;
	}
	return 0;
}

int
bnc_writer_put(struct bnc_writer *w, const char *bytes, size_t len,
    size_t n)
{
	const char *p = bytes;
	size_t i;
	int rc = 0;

	if (n == 0)
		return 0;
	switch (w->format) {
	case BNC_FORMAT_CSV:
		if (w->rows == 0)
			rc = write_csv_header(w->fp);
		/* FALLTHROUGH */
	case BNC_FORMAT_JSONL:
	case BNC_FORMAT_SISIMAI:
		if (rc == 0 && fwrite(bytes, 1, len, w->fp) != len)
			rc = BNC_EIO;
		break;
	case BNC_FORMAT_TABLE:
		for (i = 0; i < n && rc == 0; i++)
			p = table_add(w, p, &rc);
		break;
	}
	if (rc == 0)
		w->rows += n;
	if (ferror(w->fp))
		return BNC_EIO;
	return rc;
}

int
bnc_writer_record(struct bnc_writer *w, const char *source, size_t message,
    const struct bnc_record *r)
{
	int rc;

	bnc_buf_reset(&w->line);
	rc = bnc_writer_format(w, &w->line, source, message, r);
	if (rc == 0)
		rc = bnc_writer_put(w, w->line.ptr, w->line.len, 1);
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
		rc = write_csv_header(w->fp);
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

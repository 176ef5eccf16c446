/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * reason.c - reason detection. Order of evidence: a decoder's own verdict
 * (ARF, auto-reply), delivery, the phrase table on the diagnostic, the
 * status code's own meaning, the phrase table on the wider bounce text,
 * and last the SMTP command and the permanence of the failure.
 */
#include <pthread.h>

#include "bouncer.h"
#include "../mail/address.h"
#include "matcher.h"
#include "phrases.h"
#include "reason.h"
#include "rhost.h"

static const char *const vocabulary[] = {
	"authfailure", "badreputation", "blocked", "contenterror",
	"delivered", "exceedlimit", "expired", "failedstarttls", "feedback",
	"filtered", "hasmoved", "hostunknown", "mailboxfull", "mailererror",
	"mesgtoobig", "networkerror", "norelaying", "notaccept",
	"notcompliantrfc", "onhold", "policyviolation", "rejected",
	"requireptr", "securityerror", "spamdetected", "speeding",
	"suppressed", "suspend", "syntaxerror", "systemerror", "systemfull",
	"toomanyconn", "undefined", "userunknown", "vacation",
	"virusdetected", NULL
};

bool
bnc_reason_known(const char *name)
{
	size_t i;

	for (i = 0; vocabulary[i]; i++)
		if (strcmp(vocabulary[i], name) == 0)
			return true;
	return false;
}

/* Lower-case the two-byte UTF-8 letter at p[0..1] in place, for the
 * alphabets of the bounces we read: Latin-1 capitals (À..Þ, not ×) and
 * Cyrillic (Ѐ..Я). Both forms have two bytes, so the text keeps its
 * length. */
static void
lower_utf8_pair(unsigned char *p)
{
	unsigned c = ((unsigned)(p[0] & 0x1f) << 6) | (p[1] & 0x3f);

	if ((c >= 0xc0 && c <= 0xde && c != 0xd7) ||
	    (c >= 0x410 && c <= 0x42f))
		c += 0x20;
	else if (c >= 0x400 && c <= 0x40f)
		c += 0x50;
	else
		return;
	p[0] = (unsigned char)(0xc0 | (c >> 6));
	p[1] = (unsigned char)(0x80 | (c & 0x3f));
}

/* Fold to lower case and squeeze white space into one space. */
static size_t
fold(struct bnc_str text, char *out)
{
	size_t i, n = 0;
	bool sp = false;

	for (i = 0; i < text.len; i++) {
		unsigned char c;
		/* Plain ASCII 16 bytes at a time (src/util/str.c). */
		i += bnc_squeeze_run(text.ptr + i, text.len - i, out, &n, &sp,
		    true);
		if (i >= text.len)
			break;
		c = (unsigned char)text.ptr[i];
		if (bnc_is_space(c)) {
			sp = true;
			continue;
		}
		if (sp && n)
			out[n++] = ' ';
		sp = false;
		if ((c == 0xc3 || c == 0xd0) && i + 1 < text.len &&
		    ((unsigned char)text.ptr[i + 1] & 0xc0) == 0x80) {
			out[n] = (char)c;
			out[n + 1] = text.ptr[++i];
			lower_utf8_pair((unsigned char *)out + n);
			n += 2;
			continue;
		}
		out[n++] = (char)bnc_lower(c);
	}
	out[n] = '\0';
	return n;
}

const char *
bnc_reason_from_text(struct bnc_str text, char *scratch)
{
	size_t n, i;

	if (text.len == 0)
		return NULL;
	n = fold(text, scratch);
	for (i = 0; i < bnc_phrases_count; i++)
		if (bnc_phrase_occurs(scratch, n, bnc_phrases[i].phrase))
			return bnc_phrases[i].reason;
	return NULL;
}

/* Codes that say what happened on their own (RFC 3463 section 3, and
 * the provider extensions that are now common). X.0.0, X.5.0, X.7.0
 * and X.7.1 are deliberately absent: they only say "policy" or "other". */
static const struct {
	const char *code;	/* without the class digit: ".1.1" */
	const char *reason;
} status_reasons[] = {
	{ ".1.1", "userunknown" }, { ".1.2", "hostunknown" },
	{ ".1.3", "userunknown" }, { ".1.4", "userunknown" },
	{ ".1.6", "hasmoved" }, { ".1.7", "rejected" },
	{ ".1.8", "rejected" }, { ".1.10", "userunknown" },
	{ ".2.1", "suspend" }, { ".2.2", "mailboxfull" },
	{ ".2.3", "exceedlimit" }, { ".2.4", "systemerror" },
	{ ".3.0", "systemerror" }, { ".3.1", "systemfull" },
	{ ".3.2", "toomanyconn" }, { ".3.4", "mesgtoobig" },
	{ ".3.5", "systemerror" }, { ".4.0", "networkerror" },
	{ ".4.1", "networkerror" }, { ".4.2", "networkerror" },
	{ ".4.3", "systemerror" }, { ".4.4", "hostunknown" },
	{ ".4.5", "systemfull" }, { ".4.6", "networkerror" },
	{ ".4.7", "expired" }, { ".5.1", "syntaxerror" },
	{ ".5.2", "syntaxerror" }, { ".5.4", "syntaxerror" },
	{ ".6.0", "contenterror" }, { ".6.1", "contenterror" },
	{ ".6.2", "contenterror" }, { ".6.3", "contenterror" },
	{ ".6.5", "contenterror" }, { ".6.9", "contenterror" },
	{ ".7.2", "securityerror" }, { ".7.3", "securityerror" },
	{ ".7.4", "securityerror" }, { ".7.5", "securityerror" },
	{ ".7.6", "securityerror" }, { ".7.7", "securityerror" },
	{ ".7.8", "securityerror" }, { ".7.9", "policyviolation" },
	{ ".7.11", "securityerror" }, { ".7.13", "suspend" },
	{ ".7.14", "securityerror" }, { ".7.15", "securityerror" },
	{ ".7.17", "suspend" }, { ".7.18", "suspend" },
	{ ".7.20", "authfailure" }, { ".7.21", "authfailure" },
	{ ".7.22", "authfailure" }, { ".7.23", "authfailure" },
	{ ".7.24", "authfailure" }, { ".7.25", "requireptr" },
	{ ".7.26", "authfailure" }, { ".7.27", "notaccept" },
	{ ".7.28", "speeding" }, { ".7.509", "authfailure" },
	{ ".7.515", "securityerror" }, { ".7.606", "blocked" },
	{ ".7.650", "badreputation" }, { ".4.312", "networkerror" },
	{ ".4.316", "networkerror" }, { ".1.351", "userunknown" },
};

#define NSTATUS (sizeof(status_reasons) / sizeof(status_reasons[0]))

bool
bnc_reason_status_row(size_t i, const char **code, const char **reason)
{
	if (i >= NSTATUS)
		return false;
	*code = status_reasons[i].code;
	*reason = status_reasons[i].reason;
	return true;
}

/* ".Y.Z" (what follows the class digit) as the number Y * 1000 + Z, or
 * -1 when it is not written that way: one digit, 1 to 3 digits without
 * a leading zero, nothing else. Two texts have the same number only
 * when they are the same bytes, so comparing numbers is comparing the
 * codes as written, and the rows of status_reasons are written so. */
static long
status_key(struct bnc_str s)
{
	size_t i;
	long z = 0;

	if (s.len < 4 || s.len > 6 || s.ptr[0] != '.' ||
	    !bnc_is_digit((unsigned char)s.ptr[1]) || s.ptr[2] != '.' ||
	    (s.ptr[3] == '0' && s.len > 4))
		return -1;
	for (i = 3; i < s.len; i++) {
		if (!bnc_is_digit((unsigned char)s.ptr[i]))
			return -1;
		z = z * 10 + (s.ptr[i] - '0');
	}
	return (s.ptr[1] - '0') * 1000L + z;
}

/* The rows' numbers, made once: every record asks. */
static long status_keys[NSTATUS];
static pthread_once_t status_once = PTHREAD_ONCE_INIT;

static void
status_keys_build(void)
{
	size_t i;

	for (i = 0; i < NSTATUS; i++)
		status_keys[i] = status_key(bnc_str_c(status_reasons[i].code));
}

const char *
bnc_reason_from_status(struct bnc_str s)
{
	size_t i;
	long k;

	if (s.len < 5)
		return NULL;
	if (s.ptr[0] == '2')
		return "delivered";
	k = status_key(bnc_str_from(s, 1));
	if (k < 0)
		return NULL;
	pthread_once(&status_once, status_keys_build);
	for (i = 0; i < NSTATUS; i++)
		if (status_keys[i] == k)
			return status_reasons[i].reason;
	return NULL;
}

/* Does the status code settle the reason on its own? Codes that name a
 * mailbox or connection state leave room for the text to say more (a
 * 5.1.1 that the text calls a filter, a 4.4.1 that it calls a DNS
 * error, an X.3.2 "system not accepting network messages" that is a
 * connection limit or a host that takes no mail); the rest, and the
 * three-digit provider codes, do not. */
static bool
status_decides(const char *by_status, struct bnc_str status)
{
	static const char *const open[] = { "userunknown", "hostunknown",
		"expired", "networkerror", "systemerror", "securityerror",
		"suspend", "toomanyconn", NULL };
	const char *last_dot;
	size_t i;

	last_dot = memrchr(status.ptr, '.', status.len);
	if (last_dot && status.ptr + status.len - last_dot > 3)
		return true;
	for (i = 0; open[i]; i++)
		if (strcmp(open[i], by_status) == 0)
			return false;
	return true;
}

/* "User unknown" only means the mailbox is unknown when the server said
 * so in answer to RCPT TO or with a status that names the mailbox; said
 * after DATA (or when we cannot tell when) it is more often the
 * recipient's filter refusing the message. */
static const char *
refine(const char *reason, const struct bnc_rcpt_facts *r)
{
	static const char *const about_address[] = { "recipient", "address",
		"mailbox", "destinataire", "directory", "adresse",
		"empfänger", "destinatario", "dirección", "buzón", "адрес",
		"Адрес", "получател", "Получател", "ящик", "Ящик", "收件人",
		"地址", "邮箱", "宛先", "アドレス", "メールボックス", NULL };
	const char *by_status;
	size_t i;

	/* A filter's or an authorisation's refusal in answer to MAIL FROM
	 * refused the sender, not the recipient (RFC 5321 3.3); one that
	 * asks the client to authenticate is still the security policy. */
	if (bnc_str_ieq(r->smtp_command, "MAIL") &&
	    (strcmp(reason, "filtered") == 0 ||
	    (strcmp(reason, "securityerror") == 0 &&
	    !bnc_str_icontains(r->diagnostic, "auth"))))
		return "rejected";
	/* Refused at the greeting, before anything but the client's
	 * address was known: the client was refused. */
	if (bnc_str_ieq(r->smtp_command, "CONN") &&
	    strcmp(reason, "securityerror") == 0)
		return "blocked";
	if (strcmp(reason, "userunknown") != 0)
		return reason;
	by_status = bnc_reason_from_status(r->status);
	if (by_status && strcmp(by_status, "userunknown") == 0)
		return reason;
	if (bnc_str_ieq(r->smtp_command, "RCPT"))
		return reason;
	if (bnc_str_ieq(r->smtp_command, "MAIL"))
		return "rejected";
	if (bnc_str_ieq(r->smtp_command, "DATA"))
		return "filtered";
	/* No command known: a text that names the recipient, address or
	 * mailbox as unknown is about the address; a bare "user unknown"
	 * is as often a filter's word. The same words in the other
	 * languages of the phrase table. */
	for (i = 0; about_address[i]; i++)
		if (bnc_str_icontains(r->diagnostic, about_address[i]))
			return reason;
	return "filtered";
}

/* A text folded for the tables, made once: the diagnostic is read by
 * the provider's table and then by the phrase table. */
struct folded {
	char *p;	/* NULL: not made */
	size_t n;
};

/* t folded into the arena (f->p NULL when out of memory). */
static void
fold_once(struct folded *f, struct bnc_str t, struct bnc_arena *a)
{
	if (f->p != NULL)
		return;
	f->p = bnc_arena_alloc(a, t.len + 1);
	if (f->p != NULL)
		f->n = fold(t, f->p);
}

/* The phrase table on `text` (folded into *f, or found there when it
 * was: f holds that same text folded, or nothing). */
static const char *
text_reason(struct bnc_str text, const struct bnc_matcher *m,
    struct bnc_arena *a, struct folded *f)
{
	char *scratch;
	long row;

	if (text.len == 0)
		return NULL;
	if (m == NULL) {
		scratch = bnc_arena_alloc(a, text.len + 1);
		if (scratch == NULL)
			return NULL;
		return bnc_reason_from_text(text, scratch);
	}
	fold_once(f, text, a);
	if (f->p == NULL)
		return NULL;
	row = bnc_matcher_first(m, f->p, f->n);
	return row < 0 ? NULL : bnc_phrases[row].reason;
}

/* The provider's own table on the diagnostic (folded into *f, shared
 * with text_reason()); some rows also need the SMTP command the reply
 * answered or the report's status. */
static const char *
rhost_reason(const char *provider, const struct bnc_rcpt_facts *r,
    struct bnc_arena *a, struct folded *f)
{
	char command[8], status[16];

	if (provider == NULL || provider[0] == '\0' || r->diagnostic.len == 0)
		return NULL;
	fold_once(f, r->diagnostic, a);
	if (f->p == NULL)
		return NULL;
	command[0] = '\0';
	if (r->smtp_command.len > 0 && r->smtp_command.len < sizeof(command)) {
		memcpy(command, r->smtp_command.ptr, r->smtp_command.len);
		command[r->smtp_command.len] = '\0';
	}
	status[0] = '\0';
	if (r->status.len > 0 && r->status.len < sizeof(status)) {
		memcpy(status, r->status.ptr, r->status.len);
		status[r->status.len] = '\0';
	}
	return bnc_rhost_reason(provider, command, status, f->p, f->n);
}

/* Does the diagnostic say more than the recipient's address? */
static bool
explains(const struct bnc_rcpt_facts *r)
{
	struct bnc_str t = bnc_str_trim(r->diagnostic);
	long at = bnc_addr_find(t, r->recipient.ptr, r->recipient.len);

	if (r->recipient.len && at >= 0)
		return t.len > r->recipient.len + 4;
	return t.len > 0;
}

const char *
bnc_reason_detect(const struct bnc_rcpt_facts *r, enum bnc_kind kind,
    const char *provider, const struct bnc_matcher *m, struct bnc_arena *a)
{
	const char *reason, *by_status;
	struct folded diag = { NULL, 0 }, context = { NULL, 0 };

	if (r->reason)
		return r->reason;
	if (kind == BNC_KIND_FEEDBACK)
		return "feedback";
	if (kind == BNC_KIND_AUTOREPLY)
		return "vacation";
	if (bnc_str_ieq(r->action, "delivered") ||
	    bnc_str_ieq(r->action, "relayed") ||
	    bnc_str_ieq(r->action, "expanded") ||
	    (r->status.len && r->status.ptr[0] == '2'))
		return "delivered";
	if ((reason = rhost_reason(provider, r, a, &diag)) != NULL)
		return reason;
	by_status = bnc_reason_from_status(r->status);
	if (by_status && status_decides(by_status, r->status))
		return by_status;
	if ((reason = text_reason(r->diagnostic, m, a, &diag)) != NULL)
		return refine(reason, r);
	/* RFC 3464 2.3.6: x-unix is a local delivery program's error. */
	if (bnc_str_ieq(r->diag_type, "x-unix"))
		return "mailererror";
	if (by_status)
		return by_status;
	if (r->context.ptr != r->diagnostic.ptr &&
	    (reason = text_reason(r->context, m, a, &context)) != NULL)
		return reason;
	if (bnc_str_ieq(r->action, "delayed"))
		return "expired";
	/* RFC 5321 4.2.3: reply codes that say what went wrong when the
	 * text does not. 50x: the command's syntax or sequence; 451: a
	 * local error in processing at the server. Before the command,
	 * which only says when the refusal came. */
	if (r->reply_code.len == 3 && r->reply_code.ptr[0] == '5' &&
	    r->reply_code.ptr[1] == '0' && r->reply_code.ptr[2] >= '0' &&
	    r->reply_code.ptr[2] <= '4')
		return "syntaxerror";
	if (bnc_str_ieq(r->reply_code, "451"))
		return "systemerror";
	if (r->smtp_command.len) {
		if (bnc_str_ieq(r->smtp_command, "RCPT"))
			return "userunknown";
		if (bnc_str_ieq(r->smtp_command, "MAIL"))
			return "rejected";
		if (bnc_str_ieq(r->smtp_command, "DATA"))
			return "filtered";
		if (bnc_str_ieq(r->smtp_command, "CONN") ||
		    bnc_str_ieq(r->smtp_command, "EHLO") ||
		    bnc_str_ieq(r->smtp_command, "HELO"))
			return "blocked";
	}
	/* A code, or a failure report's explanation we cannot read, is
	 * something to go on later; nothing at all is nothing. */
	if (r->status.len || r->reply_code.len ||
	    (bnc_str_ieq(r->action, "failed") && explains(r)))
		return "onhold";
	return "undefined";
}

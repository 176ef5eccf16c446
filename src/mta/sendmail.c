/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sendmail.c - Sendmail's delivery status notifications. Sendmail opens
 * the notice with "The original message was received at ...", lists the
 * failed addresses under "----- The following addresses had permanent
 * fatal errors -----" and copies the SMTP session under "-----
 * Transcript of session follows -----":
 *
 *	... while talking to mx.example.net.:
 *	>>> RCPT To:<rcpt@example.net>
 *	<<< 550 5.7.1 IP address blacklisted by recipient
 *	550 5.1.1 <rcpt@example.net>... User unknown
 *
 * ">>>" is what Sendmail sent, "<<<" what the remote host answered, and
 * a bare "550 ..." line Sendmail's own verdict (for a local mailer, the
 * only reply there is: "554 5.3.0 unknown mailer error 255"). The report
 * is read by the RFC 3464 reader; the transcript adds the command that
 * the remote host's reply answered and the host, and Sendmail's own
 * reply code where the report has none (X-Unix diagnostics); a report
 * without Diagnostic-Code takes the transcript itself. Sendmail
 * writes its own reading of a reply into Status (a 550 to RCPT becomes
 * 5.1.1); the remote host's own code in the Diagnostic-Code is the fact.
 *
 * Sendmail's notices without a usable report (none, or one whose
 * Final-Recipient is no address) are read from their text alone
 * (bnc_sendmail_text_read(), shared with Sendmail v5 and Active!Hunter):
 *
 *	   ----- The following addresses had permanent fatal errors -----
 *	<rcpt@example.net>
 *	    (reason: 550 5.1.1 User unknown)
 *
 * The address list ("permanent fatal errors", or "transient non-fatal
 * errors" in a delay warning) names the recipients, each perhaps with
 * a "(reason: ...)" line. In the transcript, each session's host, the
 * command sent and the host's reply go to the recipient that Sendmail's
 * own line after them names ("NNN <rcpt>... text"), or that the RCPT
 * named; Sendmail's lines about a host it could not reach ("NNN host
 * (smtp)... Deferred: ...") end a session. The remote host's reply is
 * the recipient's diagnostic when there is one; a code that Sendmail's
 * own line carries after "... " is the reply it gives for that failure
 * (v5: "554 <rcpt>... 550 Host unknown").
 */
#include "../dsn/reply.h"
#include "../mail/address.h"
#include "mta.h"

static struct bnc_marker m_the_original_message_was =
    BNC_MARKER("The original message was received at");
static struct bnc_marker m_transcript_of_session_follows =
    BNC_MARKER("----- Transcript of session follows -----");
static struct bnc_marker m_the_following_addresses_had =
    BNC_MARKER("----- The following addresses had");
BNC_MARKERS(sendmail, &m_the_original_message_was,
    &m_transcript_of_session_follows, &m_the_following_addresses_had);

#define MAX_REPLIES 32

struct reply {
	struct bnc_str text;	/* the reply, without "<<< " */
	struct bnc_str host;	/* from "... while talking to H.:" */
	const char *cmd;	/* the last ">>>" command before it */
	unsigned sent;		/* which ">>>" line that was */
};

struct transcript {
	struct reply remote[MAX_REPLIES];	/* "<<< " lines */
	size_t n;
	struct bnc_str own;	/* Sendmail's own last "NNN ..." line */
	struct bnc_str all;	/* the whole transcript */
	bool talked;		/* it talked to a remote host */
	bool local_unknown;	/* mail.local: "unknown user" */
};

/* "RCPT" from "RCPT To:<a@b>": the commands a reply can answer. */
static const char *
command_of(struct bnc_str s)
{
	static const char *const cmds[] = { "MAIL", "RCPT", "DATA", "EHLO",
		"HELO", "STARTTLS", "AUTH", "QUIT", "RSET", NULL };
	size_t i, n;

	for (i = 0; cmds[i]; i++) {
		n = strlen(cmds[i]);
		if (bnc_str_istarts(s, cmds[i]) && (s.len == n ||
		    !bnc_is_alpha((unsigned char)s.ptr[n])))
			return cmds[i];
	}
	/* The end of the message's data, which Sendmail shows as ".". */
	if (s.len == 1 && s.ptr[0] == '.')
		return "DATA";
	return NULL;
}

static bool
starts_with_code(struct bnc_str t)
{
	return t.len >= 3 && bnc_is_digit((unsigned char)t.ptr[0]) &&
	    bnc_is_digit((unsigned char)t.ptr[1]) &&
	    bnc_is_digit((unsigned char)t.ptr[2]) &&
	    (t.len == 3 || t.ptr[3] == ' ' || t.ptr[3] == '-');
}

static void
read_transcript(struct bnc_str text, struct transcript *ts)
{
	struct bnc_str rest, line, t, host = BNC_STR_NULL;
	const char *cmd = NULL;
	unsigned sent = 0;
	size_t i;

	memset(ts, 0, sizeof(*ts));
	rest = bnc_text_after(text, "----- Transcript of session follows -----");
	ts->all = bnc_str_make(rest.ptr, 0);
	while (rest.len) {
		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		/* The report's own fields, when the text runs into them. */
		if (bnc_str_istarts(t, "Reporting-MTA:") ||
		    bnc_str_istarts(t, "Final-Recipient:") ||
		    bnc_str_istarts(t, "-----"))
			break;
		ts->all.len = (size_t)(line.ptr + line.len - ts->all.ptr);
		/* Sendmail's local mailer (mail.local) names the mailbox it
		 * did not find: "mail.local: unknown user: name". */
		if (bnc_str_istarts(t, "mail.local:") &&
		    (bnc_str_icontains(t, "unknown user") ||
		    bnc_str_icontains(t, "user unknown")))
			ts->local_unknown = true;
		if (bnc_str_istarts(t, "... while talking to ")) {
			ts->talked = true;
			host = bnc_str_trim(bnc_str_from(t, 21));
			while (host.len && (host.ptr[host.len - 1] == ':' ||
			    host.ptr[host.len - 1] == '.'))
				host.len--;
			cmd = NULL;
		} else if (bnc_str_istarts(t, ">>> ")) {
			cmd = command_of(bnc_str_trim(bnc_str_from(t, 4)));
			sent++;
		} else if (bnc_str_istarts(t, "<<< ")) {
			if (ts->n < MAX_REPLIES) {
				ts->remote[ts->n].text = bnc_str_trim(
				    bnc_str_from(t, 4));
				ts->remote[ts->n].host = host;
				ts->remote[ts->n].cmd = cmd;
				ts->remote[ts->n].sent = sent;
				ts->n++;
			}
		} else if (starts_with_code(t))
			ts->own = t;
	}
	/* With PIPELINING Sendmail sends RCPT and DATA together and shows
	 * only ">>> DATA": of two replies to it ("<<< 550 5.1.1 User
	 * unknown", then "<<< 503 Need RCPT"), the first answered a
	 * command the transcript does not show. It is left unnamed. */
	for (i = 0; i + 1 < ts->n; i++)
		if (ts->remote[i].cmd && strcmp(ts->remote[i].cmd, "DATA") == 0 &&
		    ts->remote[i + 1].sent == ts->remote[i].sent)
			ts->remote[i].cmd = NULL;
}

/* The remote reply that the recipient's diagnostic quotes. */
static const struct reply *
quoted_reply(const struct transcript *ts, struct bnc_str diag)
{
	size_t i;

	for (i = 0; i < ts->n; i++) {
		struct bnc_str t = ts->remote[i].text;
		if (t.len > 48)
			t.len = 48;
		if (t.len > 4 && bnc_str_ifind(diag, t.ptr, t.len) >= 0)
			return &ts->remote[i];
	}
	return NULL;
}

int
bnc_sendmail_read(struct bnc_facts *f, struct bnc_decode *d)
{
	struct transcript ts;
	struct bnc_reply own;
	size_t i;
	int rc;

	if ((rc = bnc_mta_rfc3464(f, d)) <= 0)
		return rc;
	read_transcript(d->text, &ts);
	bnc_reply_scan(ts.own, &own);
	for (i = 0; i < f->n; i++) {
		struct bnc_rcpt_facts *r = &f->r[i];
		const struct reply *rep = quoted_reply(&ts, r->diagnostic);
		struct bnc_reply said;

		/* A report without Diagnostic-Code: the transcript is what
		 * Sendmail had to say about its one recipient. */
		if (r->diag_type.len == 0 && f->n == 1 &&
		    bnc_str_trim(ts.all).len) {
			r->diagnostic = bnc_text_squeeze(d->a, ts.all);
			bnc_rcpt_fill_from_diagnostic(r, d->a);
		}
		/* Delivered locally (no remote host): the local mailer's own
		 * "unknown user" is about the mailbox; there was no SMTP
		 * exchange whose filter could have said it. */
		if (ts.local_unknown && !ts.talked && r->remote_mta.len == 0)
			r->reason = "userunknown";
		if (rep != NULL) {
			if (r->smtp_command.len == 0 && rep->cmd != NULL)
				r->smtp_command = bnc_str_c(rep->cmd);
			if (r->remote_mta.len == 0)
				r->remote_mta = rep->host;
		}
		if (bnc_str_ieq(r->diag_type, "smtp")) {
			bnc_reply_scan(r->diagnostic, &said);
			if (said.status.len && r->status.len &&
			    said.status.ptr[0] == r->status.ptr[0])
				r->status = said.status;
		} else if (r->reply_code.len == 0 && own.code.len &&
		    (r->status.len == 0 || r->status.ptr[0] ==
		    own.code.ptr[0])) {
			/* A local mailer's failure: Sendmail's own reply. */
			r->reply_code = own.code;
			if (own.status.len && (r->status.len == 0 ||
			    bnc_str_ieq(bnc_str_from(r->status, 1), ".0.0")))
				r->status = own.status;
		}
	}
	return 1;
}

/* One recipient as read from the list and the transcript. */
struct sm_rcpt {
	const char *from, *to;	/* its transcript lines (remote reply) */
	struct bnc_str own;	/* Sendmail's own line about it */
	struct bnc_str reason;	/* "(reason: ...)" */
	struct bnc_str host;	/* the session's host */
	const char *command;
	bool delayed;
};

/* "NNN " or "NNN-" at the start of a line. */
static bool
sm_code_line(struct bnc_str t)
{
	return t.len > 4 && bnc_is_digit((unsigned char)t.ptr[0]) &&
	    bnc_is_digit((unsigned char)t.ptr[1]) &&
	    bnc_is_digit((unsigned char)t.ptr[2]) &&
	    (t.ptr[3] == ' ' || t.ptr[3] == '-');
}

/* The host of "... while talking to mx.example.net.:". */
static struct bnc_str
sm_session_host(struct bnc_str t)
{
	long at = bnc_str_ifind(t, "while talking to ", 17);
	struct bnc_str h;

	if (at < 0)
		return BNC_STR_NULL;
	h = bnc_str_trim(bnc_str_from(t, (size_t)at + 17));
	while (h.len && (h.ptr[h.len - 1] == ':' || h.ptr[h.len - 1] == '.'))
		h.len--;
	return h;
}

/* The address a list line names: "<a@b>", "a@b", ">>> a@b <a@b>". */
static struct bnc_str
sm_list_address(struct bnc_str t)
{
	struct bnc_str addr;
	size_t pos = 0;

	while (t.len && (t.ptr[0] == '>' || t.ptr[0] == ' '))
		t = bnc_str_from(t, 1);
	if (t.len == 0 || t.ptr[0] == '(')
		return BNC_STR_NULL;
	addr = bnc_addr_next(t, &pos);
	/* The address must open the line (a sentence is no list entry). */
	if (addr.len == 0 || addr.ptr > t.ptr + 1)
		return BNC_STR_NULL;
	return addr;
}

/* The command of a ">>> RCPT To:<a@b>" line. */
static const char *
sm_sent_command(struct bnc_str t)
{
	static const char *const cmds[] = { "RCPT", "MAIL", "DATA", "EHLO",
		"HELO", "STARTTLS", "AUTH", NULL };
	size_t i;

	t = bnc_str_trim(bnc_str_from(t, 3));
	for (i = 0; cmds[i]; i++)
		if (bnc_str_istarts(t, cmds[i]))
			return cmds[i];
	if (bnc_str_istarts(t, "."))
		return "DATA";
	return NULL;
}

static struct bnc_str
sm_join_lines(struct bnc_arena *a, const char *from, const char *to,
    bool strip_marks)
{
	struct bnc_str rest = bnc_str_make(from, (size_t)(to - from)), line;
	char *out = bnc_arena_alloc(a, (size_t)(to - from) + 1);
	size_t n = 0;

	if (out == NULL)
		return BNC_STR_NULL;
	while (rest.len) {
		line = bnc_str_trim(bnc_str_line(rest, &rest));
		if (strip_marks && bnc_str_istarts(line, "<<<"))
			line = bnc_str_trim(bnc_str_from(line, 3));
		if (line.len == 0)
			continue;
		if (n)
			out[n++] = ' ';
		memcpy(out + n, line.ptr, line.len);
		n += line.len;
	}
	return bnc_text_squeeze(a, bnc_str_make(out, n));
}

/* Does `reply` name a recipient of f other than the i-th? */
static bool
sm_names_other(const struct bnc_facts *f, size_t i, struct bnc_str reply)
{
	size_t k;

	if (bnc_str_ifind(reply, f->r[i].recipient.ptr,
	    f->r[i].recipient.len) >= 0)
		return false;
	for (k = 0; k < f->n; k++)
		if (k != i && bnc_str_ifind(reply, f->r[k].recipient.ptr,
		    f->r[k].recipient.len) >= 0)
			return true;
	return false;
}

/* Read the transcript: give each recipient of f its lines. */
static void
sm_read_transcript(struct bnc_facts *f, struct sm_rcpt *v, struct bnc_str tr)
{
	struct bnc_str rest = tr, line, t, host = BNC_STR_NULL;
	const char *cmd = NULL, *rfrom = NULL, *rto = NULL;
	const char *rcpt_of = NULL;	/* the address a RCPT named */
	bool taken = false;		/* the reply went to a recipient */
	size_t i;

	while (rest.len) {
		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		if (t.len == 0)
			continue;
		if (sm_session_host(t).len) {
			host = sm_session_host(t);
			cmd = NULL;
			rfrom = rto = NULL;
			taken = false;
			continue;
		}
		if (bnc_str_istarts(t, ">>>")) {
			cmd = sm_sent_command(t);
			rcpt_of = t.ptr;
			rfrom = rto = NULL;
			taken = false;
			continue;
		}
		if (bnc_str_istarts(t, "<<<")) {
			/* Replies after the one a recipient took answer
			 * Sendmail's clean-up ("503 Need RCPT"). */
			if (taken)
				continue;
			if (rfrom == NULL)
				rfrom = t.ptr;
			rto = t.ptr + t.len;
			/* A reply to RCPT is that recipient's. */
			for (i = 0; cmd && strcmp(cmd, "RCPT") == 0 &&
			    i < f->n; i++) {
				struct bnc_str sent = bnc_str_make(rcpt_of,
				    (size_t)(t.ptr - rcpt_of));
				if (v[i].from == NULL && bnc_str_ifind(sent,
				    f->r[i].recipient.ptr,
				    f->r[i].recipient.len) >= 0) {
					v[i].from = rfrom;
					v[i].to = rto;
					v[i].host = host;
					v[i].command = cmd;
				}
			}
			continue;
		}
		/* A line about a host it could not reach ends the session. */
		if (bnc_str_ifind(t, " (smtp)...", 10) > 0) {
			rfrom = rto = NULL;
			taken = false;
			continue;
		}
		/* Sendmail's own line about a recipient: the session's
		 * reply is that recipient's (and the next ones', when the
		 * host refused the message after DATA). */
		for (i = 0; i < f->n; i++) {
			if (bnc_str_ifind(t, f->r[i].recipient.ptr,
			    f->r[i].recipient.len) < 0)
				continue;
			if (v[i].own.len == 0)
				v[i].own = t;
			/* The session's host only with its reply: a line
			 * about a host lookup follows the session too. */
			if (v[i].from == NULL && rfrom != NULL &&
			    !sm_names_other(f, i, bnc_str_make(rfrom,
			    (size_t)(rto - rfrom)))) {
				v[i].from = rfrom;
				v[i].to = rto;
				v[i].command = cmd;
				v[i].host = host;
				taken = true;
			}
			break;
		}
	}
}

/* "554 <a@b>... 550 Host unknown": the code after "... ". */
static struct bnc_str
sm_nested_code(struct bnc_str own)
{
	long at = bnc_str_ifind(own, "... ", 4);
	struct bnc_str t;

	if (at < 0)
		return BNC_STR_NULL;
	t = bnc_str_from(own, (size_t)at + 4);
	if (sm_code_line(t) && (t.ptr[0] == '4' || t.ptr[0] == '5'))
		return bnc_str_make(t.ptr, 3);
	return BNC_STR_NULL;
}

/* The lines of Sendmail about a host ("421 example.org (smtp)...
 * Deferred: ..."), for a recipient at that domain. */
static struct bnc_str
sm_host_line(struct bnc_str tr, struct bnc_str rcpt)
{
	const char *at = memchr(rcpt.ptr, '@', rcpt.len);
	struct bnc_str dom, rest = tr, line, t;

	if (at == NULL)
		return BNC_STR_NULL;
	dom = bnc_str_make(at + 1, (size_t)(rcpt.ptr + rcpt.len - at - 1));
	while (rest.len) {
		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		if (sm_code_line(t) && bnc_str_istarts(bnc_str_from(t, 4),
		    "") && bnc_str_ifind(t, " (smtp)...", 10) > 0 &&
		    bnc_str_ifind(t, dom.ptr, dom.len) == 4)
			return t;
	}
	return BNC_STR_NULL;
}

/* Lines of the transcript that are neither session marks nor
 * Sendmail's lines about a host: the reply of a single recipient's
 * only session, when the transcript names no address. */
static struct bnc_str
sm_bare_replies(struct bnc_arena *a, struct bnc_str tr)
{
	struct bnc_str rest = tr, line, t;
	const char *from = NULL, *to = NULL;

	while (rest.len) {
		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		if (t.len == 0 || sm_session_host(t).len ||
		    bnc_str_istarts(t, ">>>"))
			continue;
		if (bnc_str_ifind(t, " (smtp)...", 10) > 0)
			continue;
		if (from == NULL)
			from = t.ptr;
		to = t.ptr + t.len;
	}
	return from ? sm_join_lines(a, from, to, true) : BNC_STR_NULL;
}

int
bnc_sendmail_text_read(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str rest = d->text, line, t, tr = BNC_STR_NULL;
	struct sm_rcpt *v;
	enum { NONE, LIST, TRANSCRIPT } in = NONE;
	bool delayed = false;
	struct bnc_rcpt_facts *r = NULL;
	size_t i;
	int rc;

	/* The address lists, and where the transcript starts. */
	while (rest.len) {
		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		if (bnc_str_istarts(t, "-----") || bnc_str_istarts(t, "---")) {
			if (bnc_str_icontains(t, "following addresses had")) {
				in = LIST;
				delayed = bnc_str_icontains(t, "transient") ||
				    bnc_str_icontains(t, "non-fatal");
			} else if (bnc_str_icontains(t, "transcript of session")) {
				in = TRANSCRIPT;
				if (tr.ptr == NULL)
					tr = rest;
			} else
				in = NONE;
			continue;
		}
		if (in != LIST || t.len == 0)
			continue;
		if (bnc_str_istarts(t, "(reason:")) {
			if (r != NULL && r->context.len == 0) {
				t = bnc_str_trim(bnc_str_from(t, 8));
				if (t.len && t.ptr[t.len - 1] == ')')
					t.len--;
				r->context = t;	/* kept here for now */
			}
			continue;
		}
		if (t.ptr[0] == '(')
			continue;
		if ((rc = bnc_facts_rcpt(&r, f, d->a, sm_list_address(t))) < 0)
			return rc;
		if (r != NULL && r->action.len == 0)
			r->action = bnc_str_c(delayed ? "delayed" : "failed");
	}
	/* The transcript ends where a new section or the copy begins. */
	if (tr.ptr != NULL) {
		struct bnc_str end = tr;
		while (end.len) {
			const char *start = end.ptr;
			line = bnc_str_line(end, &end);
			t = bnc_str_trim(line);
			if (bnc_str_istarts(t, "-----")) {
				tr.len = (size_t)(start - tr.ptr);
				break;
			}
		}
	}
	/* Without a list (Sendmail v5), Sendmail's own lines name them. */
	if (f->n == 0 && tr.ptr != NULL) {
		rest = tr;
		while (rest.len) {
			struct bnc_str addr;
			size_t pos = 4;
			line = bnc_str_line(rest, &rest);
			t = bnc_str_trim(line);
			if (!sm_code_line(t) || t.ptr[4] != '<')
				continue;
			addr = bnc_addr_next(t, &pos);
			if (addr.len == 0 || !bnc_str_icontains(t, ">..."))
				continue;
			if ((rc = bnc_facts_rcpt(&r, f, d->a, addr)) < 0)
				return rc;
		}
	}
	/* Nor those: the returned message's recipients. */
	if (f->n == 0 && tr.ptr != NULL && d->orig != NULL) {
		struct bnc_str to = bnc_headers_get(d->orig, "To"), addr;
		size_t pos = 0;
		while ((addr = bnc_addr_next(to, &pos)).len)
			if ((rc = bnc_facts_rcpt(&r, f, d->a, addr)) < 0)
				return rc;
	}
	if (f->n == 0)
		return 0;
	v = bnc_arena_calloc(d->a, f->n, sizeof(*v));
	if (v == NULL)
		return BNC_ENOMEM;
	for (i = 0; i < f->n; i++) {
		v[i].reason = f->r[i].context;
		f->r[i].context = BNC_STR_NULL;
	}
	if (tr.ptr != NULL)
		sm_read_transcript(f, v, tr);
	for (i = 0; i < f->n; i++) {
		struct bnc_str code = BNC_STR_NULL, hl = BNC_STR_NULL;
		struct bnc_reply rep;

		r = &f->r[i];
		r->context = d->text;
		if (r->action.len == 0)
			r->action = bnc_str_c("failed");
		if (v[i].own.len == 0 && tr.ptr != NULL)
			hl = sm_host_line(tr, r->recipient);
		if (v[i].from != NULL) {
			struct bnc_str reply = sm_join_lines(d->a, v[i].from,
			    v[i].to, true);
			bnc_reply_scan(reply, &rep);
			code = rep.code;
			r->diagnostic = reply;
		} else if (v[i].own.len) {
			r->diagnostic = bnc_text_squeeze(d->a, v[i].own);
			code = sm_nested_code(v[i].own);
		} else if (hl.len)
			r->diagnostic = bnc_text_squeeze(d->a, hl);
		else if (v[i].reason.len)
			r->diagnostic = bnc_text_squeeze(d->a, v[i].reason);
		else if (f->n == 1 && tr.ptr != NULL)
			r->diagnostic = sm_bare_replies(d->a, tr);
		if (r->diagnostic.len == 0 && v[i].reason.len)
			r->diagnostic = bnc_text_squeeze(d->a, v[i].reason);
		if (code.len)
			r->reply_code = code;
		if (v[i].command)
			r->smtp_command = bnc_str_c(v[i].command);
		r->remote_mta = v[i].host;
		bnc_rcpt_fill_from_diagnostic(r, d->a);
		/* Sendmail's own line has the status when the host's
		 * reply has none ("550 5.1.2 <a@b>... Host unknown"). */
		if (r->status.len == 0 && v[i].own.len)
			r->status = bnc_status_find(v[i].own);
		if (r->status.len == 0 && v[i].reason.len)
			r->status = bnc_status_find(v[i].reason);
	}
	return 1;
}

/* Sendmail writes these; a notice without them is not its. */
static bool
sendmail_signed(const struct bnc_decode *d)
{
	return bnc_str_icontains(d->m->from, "Mail Delivery Subsystem") ||
	    bnc_str_istarts(d->m->subject, "Returned mail:") ||
	    bnc_str_istarts(d->m->subject, "Warning: could not send message");
}

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	bool notice = bnc_text_has(d, &m_the_original_message_was) ||
	    bnc_text_has(d, &m_transcript_of_session_follows);
	int rc;

	if (notice && (rc = bnc_sendmail_read(f, d)) != 0)
		return rc;
	if (!notice && !bnc_text_has(d, &m_the_following_addresses_had))
		return 0;
	/* No recipient in a report: the notice's text, if Sendmail's. */
	if (!sendmail_signed(d))
		return 0;
	if (!notice) {
		struct bnc_facts g;
		memset(&g, 0, sizeof(g));
		g.max = f->max;
		if ((rc = bnc_mta_rfc3464(&g, d)) != 0)
			return rc < 0 ? rc : 0;
	}
	if ((rc = bnc_sendmail_text_read(f, d)) <= 0)
		return rc;
	if ((rc = bnc_facts_merge_dsn(f, d)) < 0)
		return rc;
	return 1;
}

/* After the decoders of gateways and providers that Sendmail may carry,
 * and of the MTAs that borrow its notice. */
BNC_WHEN(sendmail, BNC_IF_TEXT(&m_the_original_message_was),
    BNC_IF_TEXT(&m_transcript_of_session_follows),
    BNC_IF_TEXT(&m_the_following_addresses_had));
BNC_DECODER(sendmail, 700, decode);

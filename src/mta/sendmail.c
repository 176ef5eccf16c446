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
 * Sendmail's notices without a report are the free-text reader's.
 */
#include "../dsn/reply.h"
#include "mta.h"

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

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	if (!bnc_str_icontains(d->text, "The original message was received at") &&
	    !bnc_str_icontains(d->text,
	    "----- Transcript of session follows -----"))
		return 0;
	return bnc_sendmail_read(f, d);
}

/* After the decoders of gateways and providers that Sendmail may carry,
 * and of the MTAs that borrow its notice. */
BNC_DECODER(sendmail, 700, decode);

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * postfix.c - Postfix's delivery status notifications. Postfix adds its
 * own fields to the report (X-Postfix-Queue-ID, X-Postfix-Sender) and
 * opens the notice with "This is the mail system at host H." (before
 * 2.3: "This is the Postfix program at host H."). The report is read by
 * the RFC 3464 reader; the notice adds, for each recipient,
 *
 *	<rcpt@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1
 *	    <rcpt@example.net>: Recipient address rejected (in reply to RCPT
 *	    TO command)
 *
 * the remote host (when the report has no Remote-MTA; for a failed
 * connection "connect to mx.example.net[192.0.2.1]:25: ...") and the
 * command the reply answered (taken by the reader from the paragraph).
 *
 * Notices without a report (before 2.3, or with the report turned off)
 * are read from bounce(8)'s text: a recipient's paragraph opens with
 * its address, or "<final> (expanded from <original>):", where the
 * original is the address the sender wrote; "host H[IP] said:" names
 * the remote host; the delay warning says "THIS IS A WARNING ONLY".
 * Without a paragraph ("Delivery report unavailable"), the SMTP session
 * quoted below it ("In:  RCPT TO:<a@b>", "Out: 550 ...") names the
 * recipient and the reply, as in the SMTP server's notice to the
 * postmaster ("Postfix SMTP server: errors from H", "Transcript of
 * session follows.").
 */
#include "../dsn/reply.h"
#include "../mail/address.h"
#include "mta.h"

static struct bnc_marker m_transcript_of_session_follows =
    BNC_MARKER("Transcript of session follows");
static struct bnc_marker m_this_is_a_warning =
    BNC_MARKER("THIS IS A WARNING ONLY");
static struct bnc_marker m_delivery_report_unavailable =
    BNC_MARKER("Delivery report unavailable");
static struct bnc_marker m_this_is_the_mail =
    BNC_MARKER("This is the mail system at host");
static struct bnc_marker m_this_is_the_postfix =
    BNC_MARKER("This is the Postfix program at host");
BNC_MARKERS(postfix, &m_transcript_of_session_follows, &m_this_is_a_warning,
    &m_delivery_report_unavailable, &m_this_is_the_mail,
    &m_this_is_the_postfix);

/* The host name at `from` in `block` when "[address" and `tail` follow
 * it, else an empty view. */
static struct bnc_str
host_at(struct bnc_str block, size_t from, const char *tail)
{
	struct bnc_str h = bnc_str_from(block, from);
	size_t n;

	for (n = 0; n < h.len && h.ptr[n] != '[' &&
	    !bnc_is_space((unsigned char)h.ptr[n]); n++)
		;
	if (n == 0 || n == h.len || h.ptr[n] != '[')
		return BNC_STR_NULL;
	h = bnc_str_from(h, n);
	for (n = 0; n < h.len && h.ptr[n] != ']'; n++)
		;
	if (!bnc_str_istarts(bnc_str_from(h, n), tail))
		return BNC_STR_NULL;
	return bnc_str_make(block.ptr + from, (size_t)(h.ptr - block.ptr) -
	    from);
}

/* The remote host Postfix names in its paragraph: "host H[ip] said:"
 * for a reply, "connect to H[ip]:25:" for a connection that failed. */
static struct bnc_str
remote_host(struct bnc_str block)
{
	static const struct {
		const char *lead, *tail;
	} forms[] = { { "host ", "] said:" }, { "connect to ", "]:" } };
	struct bnc_str h;
	size_t k, from;
	long at;

	for (k = 0; k < sizeof(forms) / sizeof(forms[0]); k++) {
		size_t ll = strlen(forms[k].lead);
		for (from = 0; (at = bnc_str_ifind(bnc_str_from(block, from),
		    forms[k].lead, ll)) >= 0; from += (size_t)at + ll) {
			h = host_at(block, from + (size_t)at + ll,
			    forms[k].tail);
			if (h.len)
				return h;
		}
	}
	return BNC_STR_NULL;
}

/* "<a@b>: text" or "<a@b> (expanded from <c@d>): text". */
static struct bnc_str
opening(struct bnc_str t, struct bnc_str *lead)
{
	const char *gt;
	struct bnc_str addr, rest;

	if (t.len < 5 || t.ptr[0] != '<' ||
	    (gt = memchr(t.ptr, '>', t.len)) == NULL)
		return BNC_STR_NULL;
	addr = bnc_str_make(t.ptr + 1, (size_t)(gt - t.ptr) - 1);
	if (memchr(addr.ptr, '@', addr.len) == NULL)
		return BNC_STR_NULL;
	rest = bnc_str_from(t, (size_t)(gt - t.ptr) + 1);
	if (bnc_str_istarts(rest, " (expanded from <")) {
		struct bnc_str o = bnc_str_from(rest, 17);
		const char *ogt = memchr(o.ptr, '>', o.len);
		if (ogt == NULL)
			return BNC_STR_NULL;
		addr = bnc_str_make(o.ptr, (size_t)(ogt - o.ptr));
		rest = bnc_str_from(o, (size_t)(ogt - o.ptr) + 1);
		if (rest.len && rest.ptr[0] == ')')
			rest = bnc_str_from(rest, 1);
	}
	if (rest.len == 0 || rest.ptr[0] != ':')
		return BNC_STR_NULL;
	*lead = bnc_str_trim(bnc_str_from(rest, 1));
	return addr;
}

/* "host mx.example.net[192.0.2.1] said:" */
static struct bnc_str
said_host(struct bnc_str diag)
{
	long at = bnc_str_ifind(diag, "host ", 5);
	struct bnc_str h;
	size_t n;

	if (at < 0)
		return BNC_STR_NULL;
	h = bnc_str_from(diag, (size_t)at + 5);
	for (n = 0; n < h.len && h.ptr[n] != '[' &&
	    !bnc_is_space((unsigned char)h.ptr[n]); n++)
		;
	if (n == 0 || n == h.len || h.ptr[n] != '[')
		return BNC_STR_NULL;
	return bnc_str_make(h.ptr, n);
}

/* The session quoted by "Delivery report unavailable". */
static int
read_session(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str rest = d->text, line, t, addr = BNC_STR_NULL;
	struct bnc_str reply = BNC_STR_NULL;
	const char *cmd = NULL, *last = NULL;
	struct bnc_rcpt_facts *r;
	int rc;

	while (rest.len) {
		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		if (bnc_str_istarts(t, "In:")) {
			struct bnc_str c = bnc_str_trim(bnc_str_from(t, 3));
			size_t pos = 0;
			if (bnc_str_istarts(c, "RCPT")) {
				last = "RCPT";
				if (addr.len == 0)
					addr = bnc_addr_next(c, &pos);
			} else if (bnc_str_istarts(c, "MAIL"))
				last = "MAIL";
			else if (bnc_str_istarts(c, "DATA"))
				last = "DATA";
			else
				last = NULL;
			continue;
		}
		if (bnc_str_istarts(t, "Out:")) {
			struct bnc_str o = bnc_str_trim(bnc_str_from(t, 4));
			if (o.len && (o.ptr[0] == '4' || o.ptr[0] == '5') &&
			    reply.len == 0) {
				reply = o;
				cmd = last;
			}
		}
	}
	if (addr.len == 0 && d->orig != NULL) {
		size_t pos = 0;
		addr = bnc_addr_next(bnc_headers_get(d->orig, "To"), &pos);
	}
	if ((rc = bnc_facts_rcpt(&r, f, d->a, addr)) < 0)
		return rc;
	if (r == NULL)
		return 0;
	r->diagnostic = reply;
	if (cmd != NULL)
		r->smtp_command = bnc_str_c(cmd);
	return 1;
}

/* A notice without a report: its text alone. */
static int
read_text(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str rest = d->text, line, t, lead;
	struct bnc_rcpt_facts *r = NULL;
	const char *from = NULL, *to = NULL;
	bool warning, session = false;
	size_t i;
	int rc;

	/* The SMTP server's notice to the postmaster: only the session. */
	if (bnc_str_istarts(d->m->subject, "Postfix SMTP server: errors from") &&
	    bnc_text_has(d, &m_transcript_of_session_follows)) {
		if ((rc = read_session(f, d)) <= 0)
			return rc;
		warning = false;
		session = true;
		goto done;
	}
	warning = bnc_text_has(d, &m_this_is_a_warning);
	for (;;) {
		struct bnc_str addr = BNC_STR_NULL;
		bool end = rest.len == 0;

		if (!end) {
			line = bnc_str_line(rest, &rest);
			t = bnc_str_trim(line);
			/* Paragraphs open at the margin. */
			if (line.len && line.ptr[0] == '<')
				addr = opening(t, &lead);
		}
		if (r != NULL && (end || addr.len || t.len == 0)) {
			if (from != NULL)
				r->diagnostic = bnc_text_squeeze(d->a,
				    bnc_str_make(from, (size_t)(to - from)));
			r = NULL;
		}
		if (end)
			break;
		if (addr.len) {
			if ((rc = bnc_facts_rcpt(&r, f, d->a, addr)) < 0)
				return rc;
			if (r == NULL)
				continue;
			from = lead.len ? lead.ptr : NULL;
			to = lead.len ? lead.ptr + lead.len : NULL;
			continue;
		}
		if (r != NULL && t.len) {
			if (from == NULL)
				from = t.ptr;
			to = t.ptr + t.len;
		}
	}
	if (f->n == 0 && bnc_text_has(d, &m_delivery_report_unavailable) &&
	    (rc = read_session(f, d)) < 0)
		return rc;
	if (f->n == 0)
		return 0;
done:
	for (i = 0; i < f->n; i++) {
		r = &f->r[i];
		r->action = bnc_str_c(warning ? "delayed" : "failed");
		r->context = d->text;
		r->remote_mta = said_host(r->diagnostic);
		bnc_rcpt_fill_from_diagnostic(r, d->a);
		/* A session notice tells what the client was told. */
		if (session && r->reply_code.len && r->reply_code.ptr[0] == '4')
			r->action = bnc_str_c("delayed");
	}
	return 1;
}

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	size_t i;
	int rc;

	/* The SMTP server's notice to the postmaster has no report. */
	if (bnc_str_istarts(d->m->subject, "Postfix SMTP server: errors from"))
		return read_text(f, d);
	/* The markers (bits of the one pass) before a search of the
	 * reports. */
	if (!bnc_text_has(d, &m_this_is_the_mail) &&
	    !bnc_text_has(d, &m_this_is_the_postfix) &&
	    !bnc_decode_dsn_contains(d, "X-Postfix-"))
		return 0;
	if ((rc = bnc_mta_rfc3464(f, d)) < 0)
		return rc;
	/* No recipient in a report (none, or none usable). */
	if (rc == 0)
		return read_text(f, d);
	for (i = 0; i < f->n; i++) {
		struct bnc_rcpt_facts *r = &f->r[i];
		if (r->remote_mta.len == 0)
			r->remote_mta = remote_host(bnc_text_block(d->a, d->text,
			    r->recipient));
	}
	return 1;
}

BNC_WHEN(postfix, BNC_IF_SUBJECT("Postfix SMTP server: errors from"),
    BNC_IF_DSN_HAS("X-Postfix-"), BNC_IF_TEXT(&m_this_is_the_mail),
    BNC_IF_TEXT(&m_this_is_the_postfix));
/* After the decoders of gateways and providers that Postfix may carry. */
BNC_DECODER(postfix, 700, decode);

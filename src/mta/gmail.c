/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * gmail.c - Gmail's own bounce notices, as Gmail wrote them before it sent
 * standard reports: From mailer-daemon@googlemail.com, Subject "Delivery
 * Status Notification (Failure)" or "(Delay)", no delivery-status part,
 * and fixed sentences:
 *
 *	Delivery to the following recipient failed permanently:
 *
 *	     rcpt@example.com
 *
 *	Technical details of permanent failure:
 *	Google tried to deliver your message, but it was rejected by the
 *	server for the recipient domain example.com by mx.example.com.
 *	[192.0.2.1].
 *
 *	The error that the other server returned was:
 *	550 5.1.1 <rcpt@example.com>... User Unknown
 *
 * A warning says "has been delayed", "Message will be retried for N more
 * day(s)" and "Technical details of temporary failure". Recognised by the
 * sender, the first of those sentences and the absence of a report; the
 * reports Gmail sends now are the RFC 3464 reader's.
 *
 * The remote server's reply is the diagnostic (Gmail wrote its code
 * twice, "550 550 5.1.1 ...": once is kept), else the technical details,
 * else the warning itself; the host after "by" is the remote MTA. Replies
 * may end in "(state N)", the state of Gmail's SMTP client when it gave
 * up: it names the command the remote refused.
 */
#include "../mail/address.h"
#include "mta.h"

static struct bnc_marker m_delivery_to_the =
    BNC_MARKER("Delivery to the following recipient");
BNC_MARKERS(gmail, &m_delivery_to_the);

/* Gmail's client states, as the Sisimai project collected them from
 * Gmail notices. State 6 (the remote offered no TLS) is left out: what
 * was refused there is STARTTLS, whatever the state says. */
static const struct {
	unsigned state;
	const char *cmd;
} states[] = {
	{ 8, "AUTH" }, { 9, "AUTH" }, { 12, "AUTH" },
	{ 13, "EHLO" }, { 14, "RCPT" }, { 15, "DATA" }, { 17, "DATA" },
	{ 18, "DATA" },
};

static const char *
state_command(struct bnc_str diag)
{
	long at = bnc_str_ifind(diag, "(state ", 7);
	unsigned n = 0;
	size_t i, k;

	if (at < 0)
		return NULL;
	for (i = (size_t)at + 7; i < diag.len && i < (size_t)at + 10 &&
	    bnc_is_digit((unsigned char)diag.ptr[i]); i++)
		n = n * 10 + (unsigned)(diag.ptr[i] - '0');
	if (i >= diag.len || diag.ptr[i] != ')')
		return NULL;
	for (k = 0; k < sizeof(states) / sizeof(states[0]); k++)
		if (states[k].state == n)
			return states[k].cmd;
	return NULL;
}

/* The paragraph of `t` that starts at `from`: up to a blank line. */
static struct bnc_str
paragraph_at(struct bnc_str t, size_t from)
{
	struct bnc_str rest = bnc_str_from(t, from), line;
	const char *start = rest.ptr, *end = rest.ptr;

	while (rest.len) {
		line = bnc_str_line(rest, &rest);
		if (bnc_str_trim(line).len == 0 && end != start)
			break;
		end = line.ptr + line.len;
	}
	return bnc_str_make(start, (size_t)(end - start));
}

/* "mx.example.com" from "... by mx.example.com. [192.0.2.1]." */
static struct bnc_str
remote_host(struct bnc_str details)
{
	struct bnc_str rest = details;
	long at;

	while ((at = bnc_str_ifind(rest, " by ", 4)) >= 0) {
		struct bnc_str host = bnc_str_from(rest, (size_t)at + 4);
		size_t n = 0;
		while (n < host.len && !bnc_is_space((unsigned char)host.ptr[n]))
			n++;
		rest = bnc_str_from(host, n);
		if (n > 1 && host.ptr[n - 1] == '.' &&
		    bnc_str_istarts(bnc_str_trim(rest), "["))
			return bnc_str_make(host.ptr, n - 1);
	}
	return BNC_STR_NULL;
}

/* "550 550 5.1.1 ..." -> "550 5.1.1 ...". */
static struct bnc_str
single_code(struct bnc_str s)
{
	if (s.len > 8 && bnc_is_digit((unsigned char)s.ptr[0]) &&
	    s.ptr[3] == ' ' && memcmp(s.ptr, s.ptr + 4, 3) == 0 &&
	    (s.ptr[7] == ' ' || s.ptr[7] == '-'))
		return bnc_str_from(s, 4);
	return s;
}

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	static const char said[] = "The error that the other server returned was:";
	struct bnc_str text = d->text, rest, line, diag, details = BNC_STR_NULL;
	struct bnc_str action, host;
	const char *after_list = NULL, *cmd;
	long at, tech;
	size_t i;

	if (!bnc_str_icontains(d->m->from, "mailer-daemon@googlemail.com") ||
	    bnc_decode_has_dsn(d) ||
	    (at = bnc_text_find(d, &m_delivery_to_the)) < 0)
		return 0;
	rest = bnc_str_from(text, (size_t)at);
	line = bnc_str_line(rest, &rest);
	action = bnc_str_c(bnc_str_icontains(line, "delayed") ? "delayed" :
	    "failed");
	/* The list: indented lines that are one address each. */
	while (rest.len) {
		struct bnc_str t, addr;
		size_t pos = 0;
		const char *start = rest.ptr;
		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		if (t.len == 0)
			continue;
		addr = bnc_addr_next(t, &pos);
		if (addr.len == 0 || bnc_str_trim(bnc_str_from(t, pos)).len > 1) {
			after_list = start;
			break;
		}
		if (bnc_facts_find(f, bnc_addr_normalise(d->a, addr)) == NULL) {
			struct bnc_rcpt_facts *r = bnc_facts_add(f, d->a);
			if (r == NULL)
				return f->truncated ? 1 : BNC_ENOMEM;
			r->recipient = bnc_addr_normalise(d->a, addr);
		}
	}
	if (f->n == 0)
		return 0;

	tech = bnc_str_ifind(text, "Technical details of ", 21);
	if (tech >= 0) {
		details = bnc_str_from(text, (size_t)tech);
		bnc_str_line(details, &details);
	}
	if ((at = bnc_str_ifind(text, said, sizeof(said) - 1)) >= 0) {
		struct bnc_str reply = bnc_str_from(text, (size_t)at +
		    sizeof(said) - 1);
		while (reply.len && bnc_is_space((unsigned char)reply.ptr[0]))
			reply = bnc_str_from(reply, 1);
		diag = single_code(bnc_text_squeeze(d->a, paragraph_at(reply,
		    0)));
	} else if (details.len)
		diag = bnc_text_squeeze(d->a, details);
	else
		diag = bnc_text_squeeze(d->a, after_list ?
		    bnc_str_from(text, (size_t)(after_list - text.ptr)) :
		    BNC_STR_NULL);
	cmd = state_command(diag);
	host = remote_host(bnc_text_squeeze(d->a, details));
	for (i = 0; i < f->n; i++) {
		struct bnc_rcpt_facts *r = &f->r[i];
		r->action = action;
		r->diagnostic = diag;
		r->remote_mta = host;
		r->context = text;
		if (cmd)
			r->smtp_command = bnc_str_c(cmd);
		bnc_rcpt_fill_from_diagnostic(r, d->a);
	}
	return 1;
}

BNC_WHEN(gmail, BNC_IF_FROM("mailer-daemon@googlemail.com"), BNC_AND,
    BNC_IF_TEXT(&m_delivery_to_the));
BNC_DECODER(gmail, BNC_ORDER_FORMAT, decode);

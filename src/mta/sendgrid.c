/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sendgrid.c - SendGrid's bounce notices (Return-Path apps@sendgrid.net,
 * "This is an automatically generated message from SendGrid.", and
 * X-SendGrid-QueueID in the report). The report is read by the RFC 3464
 * reader; the notice gives each recipient one line
 *
 *	user:queue:<rcpt@example.net> : 192.0.2.250 : mx.example.net:[192.0.2.153] : 550 5.1.1 ... in RCPT TO
 *	user:queue:<rcpt@example.net> : Connection timed out in connect
 *
 * fields separated by " : ": SendGrid's address, the remote host, then
 * the reply and the command it answered (which the reader takes from
 * the same line). SendGrid writes "Action: expired" when it gave up.
 */
#include "mta.h"

static struct bnc_marker m_generated_message_from_sendgrid =
    BNC_MARKER("generated message from SendGrid");
BNC_MARKERS(sendgrid, &m_generated_message_from_sendgrid);

/* The recipient's line of the notice, from the address on. */
static struct bnc_str
line_of(struct bnc_str text, struct bnc_str addr)
{
	struct bnc_str rest = text, line;
	long at;

	while (rest.len) {
		line = bnc_str_trim(bnc_str_line(rest, &rest));
		if ((at = bnc_str_ifind(line, addr.ptr, addr.len)) >= 0)
			return bnc_str_from(line, (size_t)at + addr.len);
	}
	return BNC_STR_NULL;
}

/* "mx.example.net" from "> : 192.0.2.250 : mx.example.net:[...] : ...":
 * the second " : " field. */
static struct bnc_str
remote_of(struct bnc_str line)
{
	long at;
	unsigned k;

	for (k = 0; k < 2; k++) {
		if ((at = bnc_str_ifind(line, " : ", 3)) < 0)
			return BNC_STR_NULL;
		line = bnc_str_from(line, (size_t)at + 3);
	}
	if ((at = bnc_str_ifind(line, ":[", 2)) <= 0 ||
	    memchr(line.ptr, ' ', (size_t)at) != NULL)
		return BNC_STR_NULL;
	return bnc_str_make(line.ptr, (size_t)at);
}

/* The line ends with what SendGrid was doing: "in RCPT TO", "in MAIL
 * FROM", "in DATA", "in connect". */
static const char *
command_of(struct bnc_str line)
{
	static const struct {
		const char *tail, *cmd;
	} tab[] = { { " in RCPT TO", "RCPT" }, { " in MAIL FROM", "MAIL" },
		{ " in DATA", "DATA" }, { " in connect", "CONN" } };
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (bnc_str_iends(line, tab[i].tail))
			return tab[i].cmd;
	return NULL;
}

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	size_t i;
	int rc;

	if (!bnc_str_icontains(bnc_headers_get(&d->m->headers,
	    "Return-Path"), "@sendgrid.net") &&
	    !bnc_text_has(d, &m_generated_message_from_sendgrid) &&
	    !bnc_decode_dsn_contains(d, "X-SendGrid-QueueID"))
		return 0;
	if ((rc = bnc_mta_rfc3464(f, d)) <= 0)
		return rc;
	for (i = 0; i < f->n; i++) {
		struct bnc_rcpt_facts *r = &f->r[i];
		struct bnc_str line = line_of(d->text, r->recipient);
		const char *cmd = command_of(line);
		if (r->remote_mta.len == 0)
			r->remote_mta = remote_of(line);
		if (cmd)
			r->smtp_command = bnc_str_c(cmd);
	}
	return 1;
}

BNC_WHEN(sendgrid, BNC_IF_FIELD("Return-Path", "@sendgrid.net"),
    BNC_IF_TEXT(&m_generated_message_from_sendgrid),
    BNC_IF_DSN_HAS("X-SendGrid-QueueID"),
    BNC_AND, BNC_IF_RFC3464);
BNC_DECODER(sendgrid, BNC_ORDER_FORMAT, decode);

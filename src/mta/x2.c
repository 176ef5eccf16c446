/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * x2.c - a qmail-derived MTA we could not name (Yahoo! JAPAN's servers
 * send it). qmail's paragraphs under a header of its own:
 *
 *	Message from example.com.
 *	Unable to deliver message to the following address(es).
 *
 *	<rcpt@example.net>:
 *	This user doesn't have a example.net account (rcpt@example.net) [0]
 *
 * ("I'm not going to try again; this message has been in the queue too
 * long." is qmail's own). A later version writes
 *
 *	Your delivery to the following address has been failed.
 *	Please refer to the below for details.
 *	------------------------------------------------------
 *
 *	Delivery failed: rcpt@example.net
 *	192.0.2.1 failed after I sent the message.
 *	Remote host said[Response Message]: 554 5.4.14 Hop count exceeded
 *	STEP: DATA SEND
 *
 * where STEP names the command the reply answered. Recognised by those
 * header sentences.
 */
#include "../mail/address.h"
#include "mta.h"

static struct bnc_marker m_your_delivery_to_the =
    BNC_MARKER("Your delivery to the following address has been failed");
static struct bnc_marker m_remote_host_said_response =
    BNC_MARKER("Remote host said[Response Message]:");
static struct bnc_marker m_unable_to_deliver_message =
    BNC_MARKER("Unable to deliver message to the following address(es)");
BNC_MARKERS(x2, &m_your_delivery_to_the, &m_remote_host_said_response,
    &m_unable_to_deliver_message);

static const char *
step_command(struct bnc_str t)
{
	static const char *const cmds[] = { "RCPT", "MAIL", "DATA", "EHLO",
		"HELO", "CONN", NULL };
	size_t i;

	for (i = 0; cmds[i]; i++)
		if (bnc_str_istarts(t, cmds[i]))
			return cmds[i];
	return NULL;
}

/* The later layout: "Delivery failed: a@b" paragraphs. */
static int
read_steps(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str rest = d->text, line, t;
	struct bnc_rcpt_facts *r = NULL;
	const char *from = NULL, *to = NULL;
	size_t i;
	int rc;

	for (;;) {
		bool end = rest.len == 0;
		if (!end) {
			line = bnc_str_line(rest, &rest);
			t = bnc_str_trim(line);
		}
		if (r != NULL && (end || t.len == 0 ||
		    bnc_str_istarts(t, "Delivery failed:"))) {
			if (from != NULL)
				r->diagnostic = bnc_text_squeeze(d->a,
				    bnc_str_make(from, (size_t)(to - from)));
			r = NULL;
		}
		if (end)
			break;
		if (bnc_str_istarts(t, "Delivery failed:")) {
			size_t pos = 16;
			if ((rc = bnc_facts_rcpt(&r, f, d->a,
			    bnc_addr_next(t, &pos))) < 0)
				return rc;
			from = to = NULL;
			continue;
		}
		if (r == NULL || t.len == 0)
			continue;
		if (bnc_str_istarts(t, "STEP:")) {
			const char *cmd = step_command(bnc_str_trim(
			    bnc_str_from(t, 5)));
			if (cmd != NULL)
				r->smtp_command = bnc_str_c(cmd);
			continue;
		}
		if (bnc_str_istarts(t, "Remote host said[Response Message]:"))
			t = bnc_str_trim(bnc_str_from(t, 35));
		if (from == NULL)
			from = t.ptr;
		to = t.ptr + t.len;
	}
	for (i = 0; i < f->n; i++) {
		r = &f->r[i];
		r->action = bnc_str_c("failed");
		r->context = d->text;
		bnc_rcpt_fill_from_diagnostic(r, d->a);
	}
	return f->n > 0;
}

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	if (bnc_text_has(d, &m_your_delivery_to_the) ||
	    bnc_text_has(d, &m_remote_host_said_response))
		return read_steps(f, d);
	if (!bnc_str_istarts(bnc_str_trim(d->text), "Message from ") ||
	    !bnc_text_has(d, &m_unable_to_deliver_message))
		return 0;
	return bnc_qmail_read(f, d);
}

BNC_WHEN(x2, BNC_IF_TEXT(&m_your_delivery_to_the),
    BNC_IF_TEXT(&m_remote_host_said_response),
    BNC_IF_TEXT(&m_unable_to_deliver_message));
BNC_DECODER(x2, BNC_ORDER_FORMAT, decode);

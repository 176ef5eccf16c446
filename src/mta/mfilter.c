/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mfilter.c - Digital Arts' m-FILTER, a Japanese mail filter gateway
 * (X-Mailer: m-FILTER). Japanese sentences say that m-FILTER wrote the
 * notice and that sending to the addresses below failed; then the
 * addresses, one a line, and two sections of its own:
 *
 *	rcpt@example.net
 *
 *	-------server message
 *	550 5.1.1 <rcpt@example.net>: User unknown
 *
 *	-------SMTP command
 *	DATA
 *
 * The server message is the next server's reply, given in answer to
 * the command named. Recognised by the X-Mailer field or the
 * "-------server message" section with the product's name.
 */
#include "../dsn/reply.h"
#include "../mail/address.h"
#include "mta.h"

static struct bnc_marker m_m_filter = BNC_MARKER("m-FILTER");
static struct bnc_marker m_server_message = BNC_MARKER("-------server message");
static struct bnc_marker m_smtp_command = BNC_MARKER("-------SMTP command");
BNC_MARKERS(mfilter, &m_m_filter, &m_server_message, &m_smtp_command);

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str rest, line, t, msg, cmd;
	size_t i;
	int rc;

	/* Both are needed: the marker of the one pass first, the
	 * signature (too short for it, a search of the text) then. */
	if (!bnc_text_has(d, &m_server_message))
		return 0;
	if (!bnc_str_icontains(bnc_headers_get(&d->m->headers, "X-Mailer"),
	    "m-FILTER") && !bnc_text_has(d, &m_m_filter))
		return 0;
	msg = bnc_text_after_marker(d, &m_server_message);
	msg = bnc_text_until(msg, "-------");
	cmd = bnc_text_after_marker(d, &m_smtp_command);
	cmd = bnc_str_trim(bnc_text_until(cmd, "-------"));
	if (cmd.len)
		cmd = bnc_str_trim(bnc_str_line(cmd, &rest));
	rest = bnc_text_until_marker(d, &m_server_message);
	while (rest.len) {
		struct bnc_rcpt_facts *r;
		struct bnc_str addr;
		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		addr = bnc_line_address(t);
		if (addr.len == 0)
			continue;
		if ((rc = bnc_facts_rcpt(&r, f, d->a, addr)) < 0)
			return rc;
		if (r == NULL)
			break;
	}
	for (i = 0; i < f->n; i++) {
		struct bnc_rcpt_facts *r = &f->r[i];
		const char *c;
		r->action = bnc_str_c("failed");
		r->context = d->text;
		r->diagnostic = bnc_text_squeeze(d->a, msg);
		if ((c = bnc_smtp_command_find(cmd)) != NULL)
			r->smtp_command = bnc_str_c(c);
		else if (bnc_str_istarts(cmd, "DATA"))
			r->smtp_command = bnc_str_c("DATA");
		bnc_rcpt_fill_from_diagnostic(r, d->a);
	}
	return f->n > 0;
}

BNC_WHEN(mfilter, BNC_IF_TEXT(&m_server_message), BNC_AND,
    BNC_IF_FIELD("X-Mailer", "m-FILTER"), BNC_IF_TEXT(&m_m_filter));
BNC_DECODER(mfilter, BNC_ORDER_FORMAT, decode);

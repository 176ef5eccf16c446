/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dragonfly.c - bounces of the DragonFly Mail Agent (dma), the small
 * MTA of DragonFly BSD and some Linux systems. A plain-text notice:
 *
 *	This is the DragonFly Mail Agent v0.13 at host.example.org.
 *
 *	There was an error delivering your mail to <rcpt@example.com>.
 *
 *	mx.example.com [192.0.2.1] did not like our RCPT TO:
 *	550 5.1.1 <rcpt@example.com>: Recipient address rejected: ...
 *
 *	Original message follows.	(or "Message headers follow.")
 *
 * Recognised by its first sentence. The line before the reply names the
 * remote host and the command it refused ("RCPT TO", "MAIL FROM",
 * "DATA", "final DATA"); dma's own errors stand alone instead ("DNS
 * lookup failure: host ... not found", "Could not deliver for the last
 * N seconds. Giving up."). dma only sends final failures.
 */
#include "../dsn/reply.h"
#include "../mail/address.h"
#include "mta.h"

static struct bnc_marker intro =
    BNC_MARKER("This is the DragonFly Mail Agent");
BNC_MARKERS(dragonfly, &intro);
static const char error_to[] = "There was an error delivering your mail to";
static const char refused[] = " did not like our ";

/* The end of the notice: dma's separator before the returned copy. */
static bool
end_line(struct bnc_str t)
{
	return bnc_str_istarts(t, "Original message follows") ||
	    bnc_str_istarts(t, "Message headers follow");
}

/* "mx.example.com [192.0.2.1] did not like our final DATA:": the host
 * and the refused command. */
static void
read_refusal(struct bnc_rcpt_facts *r, struct bnc_str t, long at)
{
	struct bnc_str host = bnc_str_make(t.ptr, (size_t)at);
	struct bnc_str what = bnc_str_from(t, (size_t)at + sizeof(refused) - 1);
	size_t i;

	for (i = 0; i < host.len && host.ptr[i] != ' '; i++)
		;
	host.len = i;
	r->remote_mta = host;
	if (bnc_str_istarts(what, "RCPT"))
		r->smtp_command = bnc_str_c("RCPT");
	else if (bnc_str_istarts(what, "MAIL"))
		r->smtp_command = bnc_str_c("MAIL");
	else if (bnc_str_istarts(what, "DATA") ||
	    bnc_str_istarts(what, "final DATA"))
		r->smtp_command = bnc_str_c("DATA");
	else if (bnc_str_istarts(what, "EHLO"))
		r->smtp_command = bnc_str_c("EHLO");
	else if (bnc_str_istarts(what, "HELO"))
		r->smtp_command = bnc_str_c("HELO");
}

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str rest = d->text, line, t;
	struct bnc_rcpt_facts *r = NULL;
	const char *from = NULL, *to = NULL;
	bool seen = false;
	size_t i;

	if (!bnc_text_has(d, &intro))
		return 0;
	while (rest.len) {
		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		if (!seen) {
			seen = bnc_str_istarts(t, intro.s);
			continue;
		}
		if (end_line(t))
			break;
		if (bnc_str_istarts(t, error_to)) {
			struct bnc_str addr = bnc_addr_normalise(d->a,
			    bnc_str_from(t, sizeof(error_to) - 1));
			if (r && from)
				r->diagnostic = bnc_text_squeeze(d->a,
				    bnc_str_make(from, (size_t)(to - from)));
			from = to = NULL;
			r = NULL;
			if (addr.len == 0)
				continue;
			r = bnc_facts_add(f, d->a);
			if (r == NULL)
				return f->truncated ? 1 : BNC_ENOMEM;
			r->recipient = addr;
			r->action = bnc_str_c("failed");
			continue;
		}
		if (r == NULL || t.len == 0)
			continue;
		{
			long at = bnc_str_ifind(t, refused, sizeof(refused) - 1);
			if (at > 0 && r->remote_mta.len == 0) {
				read_refusal(r, t, at);
				continue;
			}
		}
		if (from == NULL)
			from = line.ptr;
		to = line.ptr + line.len;
	}
	if (r && from)
		r->diagnostic = bnc_text_squeeze(d->a,
		    bnc_str_make(from, (size_t)(to - from)));
	if (f->n == 0)
		return 0;
	for (i = 0; i < f->n; i++) {
		r = &f->r[i];
		r->context = d->text;
		bnc_rcpt_fill_from_diagnostic(r, d->a);
		/* dma's own resolver error names the host, not the domain. */
		if (bnc_str_istarts(r->diagnostic, "DNS lookup failure: host"))
			r->reason = "hostunknown";
	}
	return 1;
}

BNC_WHEN(dragonfly, BNC_IF_TEXT(&intro));
BNC_DECODER(dragonfly, BNC_ORDER_FORMAT, decode);

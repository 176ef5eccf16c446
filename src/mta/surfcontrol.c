/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * surfcontrol.c - SurfControl E-mail Filter (later Websense). Its
 * notices say "X-Mailer: SurfControl E-mail Filter", carry its
 * X-SEF-* fields, and a text that ends each attempt with
 *
 *	Failed to send to identified host,
 *	rcpt@example.net: [192.0.2.5], 550 rcpt@example.net... No such user
 *	--- Message non-deliverable.
 *
 * beside a short delivery-status part (Action, Final-Recipient,
 * Diagnostic-Code, Status) read by the RFC 3464 reader. The text adds
 * the remote host's address.
 */
#include "mta.h"

/* "192.0.2.5" from "rcpt@example.net: [192.0.2.5], 550 ...". */
static struct bnc_str
remote_of(struct bnc_str text, struct bnc_str addr)
{
	struct bnc_str rest = text, line, t;
	const char *close;

	while (rest.len) {
		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		if (t.len <= addr.len + 3 ||
		    bnc_str_ifind(t, addr.ptr, addr.len) != 0 ||
		    !bnc_str_istarts(bnc_str_from(t, addr.len), ": ["))
			continue;
		t = bnc_str_from(t, addr.len + 3);
		if ((close = memchr(t.ptr, ']', t.len)) == NULL)
			continue;
		return bnc_str_make(t.ptr, (size_t)(close - t.ptr));
	}
	return BNC_STR_NULL;
}

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	size_t i;
	int rc;

	if (!bnc_str_icontains(bnc_headers_get(&d->m->headers, "X-Mailer"),
	    "SurfControl") && !bnc_headers_has(&d->m->headers,
	    "X-SEF-Processed"))
		return 0;
	if ((rc = bnc_mta_rfc3464(f, d)) <= 0)
		return rc;
	for (i = 0; i < f->n; i++)
		if (f->r[i].remote_mta.len == 0)
			f->r[i].remote_mta = remote_of(d->text,
			    f->r[i].recipient);
	return 1;
}

BNC_WHEN(surfcontrol, BNC_IF_FIELD("X-Mailer", "SurfControl"),
    BNC_IF_HEADER("X-SEF-Processed"),
    BNC_AND, BNC_IF_RFC3464);
BNC_DECODER(surfcontrol, BNC_ORDER_FORMAT, decode);

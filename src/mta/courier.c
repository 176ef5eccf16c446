/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * courier.c - delivery status notifications of the Courier mail server
 * (courierdsn). Courier always sends an RFC 3464 report; the notice
 * before it says "This is a delivery status notification from HOST,
 * running the Courier mail server", its Message-ID is
 * <courier.HEX.HEX@host>, the MIME boundary "=_courier_N", and the
 * subject "NOTICE: mail delivery status." or "WARNING: delayed mail.".
 * The human-readable part lists each recipient with the SMTP dialogue
 * (">>> RCPT TO:<...>", "<<< 550 ..."), where the refused command is.
 *
 * Courier's own error sentences (module.esmtp) give the reason when
 * no server answered: "No such domain." (the domain does not exist),
 * "DNS lookup failed." (a temporary resolver error).
 */
#include "mta.h"

static struct bnc_marker m_running_the_courier_mail =
    BNC_MARKER("running the Courier mail server");
BNC_MARKERS(courier, &m_running_the_courier_mail);

static bool
is_courier(const struct bnc_decode *d)
{
	struct bnc_str id = bnc_str_trim(bnc_headers_get(&d->m->headers,
	    "Message-ID"));

	return bnc_str_istarts(id, "<courier.") ||
	    bnc_str_icontains(d->m->from, "Courier mail server at") ||
	    bnc_text_has(d, &m_running_the_courier_mail);
}

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	size_t i;
	int rc;

	if (!bnc_decode_has_dsn(d) || !is_courier(d))
		return 0;
	rc = bnc_mta_rfc3464(f, d);
	if (rc <= 0)
		return rc;
	for (i = 0; i < f->n; i++) {
		struct bnc_rcpt_facts *r = &f->r[i];
		if (r->reply_code.len)
			continue;
		if (bnc_str_icontains(r->diagnostic, "No such domain."))
			r->reason = "hostunknown";
		else if (bnc_str_icontains(r->diagnostic, "DNS lookup failed."))
			r->reason = "networkerror";
	}
	return 1;
}

BNC_WHEN(courier, BNC_IF_PART(BNC_PART_DSN), BNC_AND,
    BNC_IF_FIELD("Message-ID", "<courier."),
    BNC_IF_FROM("Courier mail server at"),
    BNC_IF_TEXT(&m_running_the_courier_mail),
    BNC_AND, BNC_IF_RFC3464);
BNC_DECODER(courier, BNC_ORDER_FORMAT, decode);

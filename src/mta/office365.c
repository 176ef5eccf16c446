/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * office365.c - NDRs of Microsoft 365 (Exchange Online). The format is
 * Exchange's own (see exchange2007.c, whose reader this uses): a report
 * with a section for administrators, or the newer layout ("Your message
 * to a@b couldn't be delivered." ... "More Info for Email Admins") with
 * the facts in the DSN part. What tells it from a customer's Exchange
 * is Microsoft's cloud: the X-MS-Exchange-CrossTenant-* headers it
 * stamps, or a Message-ID, Received or Reporting-MTA host under
 * prod.outlook.com / protection.outlook.com, the tenant's
 * onmicrosoft.com postmaster, or the text naming the service. Runs
 * before exchange2007.
 */
#include "mta.h"

static struct bnc_marker m_office_365 = BNC_MARKER("Office 365");
static struct bnc_marker m_exchange_online = BNC_MARKER("Exchange Online");
BNC_MARKERS(office365, &m_office_365, &m_exchange_online);

static bool
is_cloud(struct bnc_decode *d)
{
	static const char *const hosts[] = { ".prod.outlook.com",
		".protection.outlook.com", NULL };
	const struct bnc_headers *h = &d->m->headers;
	size_t i;

	/* The marker of the one pass (a bit) first. */
	if (bnc_text_has(d, &m_exchange_online))
		return true;
	for (i = 0; i < h->n; i++)
		if (bnc_str_istarts(h->v[i].name, "X-MS-Exchange-CrossTenant-"))
			return true;
	if (bnc_str_icontains(d->m->from, ".onmicrosoft.com") ||
	    bnc_text_has(d, &m_office_365))
		return true;
	for (i = 0; hosts[i]; i++)
		if (bnc_str_icontains(bnc_headers_get(h, "Message-ID"),
		    hosts[i]) || bnc_received_has(d, hosts[i]))
			return true;
	return false;
}

int
bnc_mta_office365(struct bnc_facts *f, struct bnc_decode *d)
{
	if (!bnc_exchange_is_ndr(d) || !is_cloud(d))
		return 0;
	return bnc_exchange_ndr(f, d);
}

BNC_WHEN(office365, BNC_IF_HEADER("X-MS-Exchange-Message-Is-Ndr"),
    BNC_IF_TEXT(&bnc_exchange_head_en), BNC_IF_TEXT(&bnc_exchange_head_fr),
    BNC_IF_TEXT(&bnc_exchange_head_de), BNC_IF_TEXT(&bnc_exchange_head_es));
BNC_DECODER(office365, 490, bnc_mta_office365);

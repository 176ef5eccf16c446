/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * einsundeins.c - bounces of 1&1 (IONOS, mail servers at
 * kundenserver.de). The layout is GMX's, the sister company's (see
 * gmx.c): the failed address alone on a line after "The following
 * address failed:", the error below it or after "For the following
 * reason:". Recognised by the sender's host (kundenserver.de) or 1&1's
 * postmaster pages named in the error.
 */
#include "mta.h"

static struct bnc_marker m_postmaster_1and1 = BNC_MARKER("postmaster.1and1.");
BNC_MARKERS(einsundeins, &m_postmaster_1and1);

int
bnc_mta_einsundeins(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str from = d->m->from;

	if (!(bnc_str_icontains(from, "mailer-daemon@") &&
	    bnc_str_icontains(from, "kundenserver.")) &&
	    !bnc_text_has(d, &m_postmaster_1and1))
		return 0;
	return bnc_gmx_read(f, d);
}

BNC_WHEN(einsundeins, BNC_IF_FROM("kundenserver."),
    BNC_IF_TEXT(&m_postmaster_1and1));
BNC_DECODER(einsundeins, BNC_ORDER_FORMAT, bnc_mta_einsundeins);

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mxlogic.c - McAfee's MX Logic filtering service. Its MTA (mxl_mta)
 * writes Exim's notice ("A message that you have sent could not be
 * delivered to one or more recipients. ... The following address
 * failed:") and then "Included is a copy of the message header:".
 * Read by the Exim reader; recognised by what only MX Logic has: its
 * X-MX-Bounce or X-MXL-NoteHash field, a Message-ID opened by "mxl~",
 * or the mxl_mta trace in the returned header.
 */
#include "mta.h"

static struct bnc_marker m_mxl_mta = BNC_MARKER("(mxl_mta-");
static struct bnc_marker m_could_not_be_delivered =
    BNC_MARKER("could not be delivered");
BNC_MARKERS(mxlogic, &m_mxl_mta, &m_could_not_be_delivered);

static bool
is_mxlogic(const struct bnc_decode *d)
{
	const struct bnc_headers *h = &d->m->headers;

	if (bnc_headers_has(h, "X-MX-Bounce") ||
	    bnc_headers_has(h, "X-MXL-NoteHash"))
		return true;
	if (bnc_str_istarts(bnc_str_trim(bnc_headers_get(h, "Message-ID")),
	    "<mxl~"))
		return true;
	/* The long marker first: found in the one pass, where the short
	 * one is a search of the text. */
	return bnc_text_has(d, &m_could_not_be_delivered) &&
	    bnc_text_has(d, &m_mxl_mta);
}

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	if (!is_mxlogic(d))
		return 0;
	return bnc_exim_read(f, d);
}

BNC_WHEN(mxlogic, BNC_IF_HEADER("X-MX-Bounce"),
    BNC_IF_HEADER("X-MXL-NoteHash"), BNC_IF_FIELD("Message-ID", "<mxl~"),
    BNC_IF_TEXT(&m_could_not_be_delivered), BNC_AND,
    BNC_IF_HEADER("X-MX-Bounce"), BNC_IF_HEADER("X-MXL-NoteHash"),
    BNC_IF_FIELD("Message-ID", "<mxl~"), BNC_IF_TEXT(&m_mxl_mta));
BNC_DECODER(mxlogic, 590, decode);

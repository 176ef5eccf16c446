/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * v5sendmail.c - Sendmail 5's notices: no MIME, no address list, only
 *
 *	   ----- Transcript of session follows -----
 *	While talking to mx.example.net:
 *	>>> RCPT To:<rcpt@example.net>
 *	<<< 550 <rcpt@example.net>... User unknown
 *	550 <rcpt@example.net>... User unknown
 *	421 example.org (smtp)... Deferred: Connection timed out ...
 *
 *	   ----- Unsent message follows -----
 *
 * Sendmail's own lines ("NNN <rcpt>... text") name the recipients; a
 * host it could not reach is named only by a line about the host, and
 * then the returned message's To names the recipient. Read by the
 * Sendmail reader (sendmail.c); recognised by the two section lines,
 * "Unsent message follows" being version 5's (version 8 writes
 * "Original message follows" or a MIME part).
 */
#include "mta.h"

static struct bnc_marker m_transcript_of_session_follows =
    BNC_MARKER("----- Transcript of session follows");
BNC_MARKERS(v5sendmail, &m_transcript_of_session_follows);

static int
decode(struct bnc_facts *f, struct bnc_decode *d)
{
	const char *end;
	struct bnc_str marker;

	if (!bnc_text_has(d, &m_transcript_of_session_follows))
		return 0;
	end = d->text.ptr + d->text.len;
	/* The line that cut the text where the returned message starts. */
	if (d->orig_block.ptr == NULL || d->orig_block.ptr < end)
		return 0;
	marker = bnc_str_make(end, (size_t)(d->orig_block.ptr - end));
	if (!bnc_str_icontains(marker, "----- Unsent message follows"))
		return 0;
	return bnc_sendmail_text_read(f, d);
}

BNC_WHEN(v5sendmail, BNC_IF_TEXT(&m_transcript_of_session_follows),
    BNC_AND, BNC_IF_CUT);
BNC_DECODER(v5sendmail, BNC_ORDER_FORMAT, decode);

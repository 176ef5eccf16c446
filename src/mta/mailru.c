/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mailru.c - Mail.Ru's bounces. Mail.Ru runs Exim: its notice is a
 * Russian paragraph ("Это письмо создано автоматически сервером Mail.Ru
 * ... не может быть доставлено одному или нескольким получателям:")
 * with the failed addresses laid out as Exim does, then Exim's own
 * English text with the same addresses again. Recognised by the sender
 * (mailer-daemon at mail.ru) or that first sentence; read by the Exim
 * decoder's reader, which keeps each address once.
 */
#include "mta.h"

static struct bnc_marker m_mail_ru = BNC_MARKER("сервером Mail.Ru");
BNC_MARKERS(mailru, &m_mail_ru);

int
bnc_mta_mailru(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str from = d->m->from;

	if (!(bnc_str_icontains(from, "mailer-daemon@") &&
	    (bnc_str_icontains(from, ".mail.ru") ||
	    bnc_str_icontains(from, "@mail.ru"))) &&
	    !bnc_text_has(d, &m_mail_ru))
		return 0;
	return bnc_exim_read(f, d);
}

BNC_WHEN(mailru, BNC_IF_FROM("mail.ru"), BNC_IF_TEXT(&m_mail_ru));
BNC_DECODER(mailru, BNC_ORDER_FORMAT, bnc_mta_mailru);

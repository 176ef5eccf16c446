/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * yandex.c - Yandex.Mail's bounces: Postfix's notice behind a Russian
 * paragraph ("Это письмо отправлено почтовым сервером yandex.ru."), and
 * a standard report with Yandex's own X-Yandex-Queue-ID and
 * X-Yandex-Sender fields. The report says it all; recognised by the
 * sender (mailer-daemon at yandex) or those fields.
 */
#include "mta.h"

int
bnc_mta_yandex(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str from = d->m->from;
	size_t i;
	bool fields = false;

	for (i = 0; i < d->m->mime.n && !fields; i++) {
		const struct bnc_part *p = &d->m->mime.parts[i];
		fields = !p->in_message &&
		    p->kind == BNC_PART_DSN &&
		    bnc_str_icontains(p->body, "X-Yandex-");
	}
	if (!fields && !(bnc_str_icontains(from, "mailer-daemon@") &&
	    bnc_str_icontains(from, "yandex.")))
		return 0;
	return bnc_mta_rfc3464(f, d);
}

BNC_WHEN(yandex, BNC_IF_DSN_HAS("X-Yandex-"), BNC_IF_FROM("yandex."),
    BNC_AND, BNC_IF_RFC3464);
BNC_DECODER(yandex, BNC_ORDER_FORMAT, bnc_mta_yandex);

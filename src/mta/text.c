/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * text.c - free-text bounces (qmail, Exim, Sendmail and Postfix without a
 * DSN part, and the many gateways that write prose). Recipients come from
 * X-Failed-Recipients, else from the addresses the bounce text names that
 * are not the sender's or a mailer's own, else from the returned
 * message's To. Each recipient's diagnostic is its paragraph.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "../mail/address.h"
#include "../util/needles.h"
#include "mta.h"

#define MAX_EXCLUDE 16

struct exclude {
	struct bnc_str v[MAX_EXCLUDE];
	size_t n;
};

static void
exclude_add(struct exclude *x, struct bnc_arena *a, struct bnc_str field)
{
	size_t pos = 0;
	struct bnc_str addr;

	while (x->n < MAX_EXCLUDE && (addr = bnc_addr_next(field, &pos)).len)
		x->v[x->n++] = bnc_addr_normalise(a, addr);
}

static bool
excluded(const struct exclude *x, struct bnc_str addr)
{
	size_t i;

	if (bnc_addr_is_daemon(addr))
		return true;
	for (i = 0; i < x->n; i++)
		if (x->v[i].len == addr.len &&
		    bnc_str_ifind(x->v[i], addr.ptr, addr.len) == 0)
			return true;
	return false;
}

/* Lines whose addresses are never recipients: header lines of a copied
 * message, and the help-desk sentences of the notice itself. */
static bool
noise_line(struct bnc_str line)
{
	static const char *const pre[] = { "received:", "message-id:",
		"from:", "reply-to:", "return-path:", "sender:", "date:",
		"references:", "in-reply-to:", "x-", "list-", "dkim",
		"with smtp id", "with esmtp id", "id <", NULL };
	static const char *const any[] = { "contact", "assistance",
		"helpdesk", "help desk", "message-id", "administrator",
		"webmaster", NULL };
	size_t i;

	line = bnc_str_trim(line);
	for (i = 0; pre[i]; i++)
		if (bnc_str_istarts(line, pre[i]))
			return true;
	for (i = 0; any[i]; i++)
		if (bnc_str_icontains(line, any[i]))
			return true;
	return false;
}

/* Tokens with an '@' that are no mailbox: path and query fragments of
 * URLs, and message or queue ids ("6D73...-04A1@host", "2009...0@mx"). */
static bool
not_a_mailbox(struct bnc_str addr)
{
	const char *at = memchr(addr.ptr, '@', addr.len);
	size_t i, local, hex = 0, digits = 0;

	if (at == NULL)
		return true;
	local = (size_t)(at - addr.ptr);
	for (i = 0; i < local; i++) {
		unsigned char c = (unsigned char)addr.ptr[i];
		if (c == '/' || c == '&' || c == '?')
			return true;
		if (bnc_is_digit(c))
			digits++;
		if (bnc_is_digit(c) || (bnc_lower(c) >= 'a' &&
		    bnc_lower(c) <= 'f') || c == '-' || c == '.')
			hex++;
	}
	return (local >= 20 && hex == local && digits >= 8) ||
	    (local >= 20 && digits == local);
}

static bool
any_in_text(const struct bnc_facts *f, struct bnc_str text)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (bnc_str_ifind(text, f->r[i].recipient.ptr,
		    f->r[i].recipient.len) >= 0)
			return true;
	return false;
}

static int
add_rcpt(struct bnc_facts *f, struct bnc_decode *d, struct bnc_str addr)
{
	struct bnc_rcpt_facts *r;
	struct bnc_str n = bnc_addr_normalise(d->a, addr);

	if (n.len == 0 || bnc_facts_find(f, n))
		return 0;
	r = bnc_facts_add(f, d->a);
	if (r == NULL)
		return f->truncated ? 0 : BNC_ENOMEM;
	r->recipient = n;
	return 1;
}

/* What the notice says happened to the message: a warning that delivery
 * goes on ("delayed"), a final failure ("failed"), or nothing we can
 * tell (empty). The phrases are the MTAs' own: the first NDELAYED say
 * "delayed", the others "failed". */
static const char *const actions[] = { "will be retried",
	"still trying", "will keep trying", "not yet been delivered",
	"delivery attempts will continue", "delayed", "will try again",
	"warning: message",
	"permanent error",
	"permanent fatal", "given up", "giving up", "could not be delivered",
	"couldn't be delivered", "was not delivered", "wasn't delivered",
	"undeliverable", "delivery failed", "failed permanently",
	"unable to deliver", "not be delivered", "rejected",
	"delivery has failed", "failed to deliver",
	"nicht zugestellt", "unzustellbar", "n'a pas pu être remis",
	"no se pudo entregar", "не может быть доставлено",
	"送信に失敗", "配信できません", "无法投递", "退信", NULL };
#define NDELAYED 8
#define NACTIONS (sizeof(actions) / sizeof(actions[0]) - 1)

/* The phrases as a set found in one pass over the text, every third
 * byte read (each has 6 bytes or more); NULL when out of memory or when
 * one is too short for it: then searched one by one. */
static struct bnc_needles *action_set;
static pthread_once_t action_once = PTHREAD_ONCE_INIT;

static void
build_action_set(void)
{
	size_t i;

	if (bnc_needles_new(&action_set, actions, NACTIONS, 3, true) != 0) {
		action_set = NULL;
		return;
	}
	for (i = 0; i < NACTIONS; i++)
		if (strlen(actions[i]) < bnc_needles_min(action_set)) {
			bnc_needles_free(action_set);
			action_set = NULL;
			return;
		}
}

static struct bnc_str
text_action(struct bnc_str text)
{
	size_t i;

	pthread_once(&action_once, build_action_set);
	if (action_set != NULL && text.len <= UINT32_MAX) {
		uint64_t found[(NACTIONS + 63) / 64];
		uint32_t at[NACTIONS];
		bnc_needles_scan(action_set, text, found, at);
		for (i = 0; i < NACTIONS; i++)
			if (found[i / 64] >> (i % 64) & 1)
				return bnc_str_c(i < NDELAYED ? "delayed" :
				    "failed");
		return BNC_STR_NULL;
	}
	for (i = 0; i < NACTIONS; i++)
		if (bnc_str_icontains(text, actions[i]))
			return bnc_str_c(i < NDELAYED ? "delayed" : "failed");
	return BNC_STR_NULL;
}

int
bnc_mta_text(struct bnc_facts *f, struct bnc_decode *d)
{
	const struct bnc_message *m = d->m;
	struct bnc_str action;
	struct exclude x = { .n = 0 };
	bool from_header = false;
	struct bnc_str failed, text = d->text, rest, line;
	size_t i;
	int rc;

	if (!bnc_looks_like_bounce(d))
		return 0;

	exclude_add(&x, d->a, bnc_headers_get(&m->headers, "To"));
	exclude_add(&x, d->a, m->from);
	if (d->orig) {
		exclude_add(&x, d->a, bnc_headers_get(d->orig, "From"));
		exclude_add(&x, d->a, bnc_headers_get(d->orig, "Return-Path"));
		exclude_add(&x, d->a, bnc_headers_get(d->orig, "Sender"));
	}

	failed = bnc_headers_get(&m->headers, "X-Failed-Recipients");
	if (failed.len) {
		size_t pos = 0;
		struct bnc_str addr;
		while ((addr = bnc_addr_next(failed, &pos)).len)
			if ((rc = add_rcpt(f, d, addr)) < 0)
				return rc;
	}
	/* Exim names the failed address as the recipient's server saw it
	 * in the text and, after rewriting, otherwise in the header: when
	 * the header's addresses are nowhere in the text, the text wins. */
	if (f->n > 0 && !any_in_text(f, text)) {
		size_t max = f->max;
		memset(f, 0, sizeof(*f));
		f->max = max;
		from_header = true;
	}
	if (f->n == 0) {
		size_t before = f->n;
		rest = text;
		while (rest.len) {
			size_t pos = 0;
			struct bnc_str addr;
			line = bnc_str_line(rest, &rest);
			/* No '@', no address: most lines of a notice. */
			if (line.len == 0 ||
			    memchr(line.ptr, '@', line.len) == NULL ||
			    noise_line(line))
				continue;
			while ((addr = bnc_addr_next(line, &pos)).len) {
				struct bnc_str n = bnc_addr_normalise(d->a, addr);
				if (excluded(&x, n) || not_a_mailbox(n))
					continue;
				if ((rc = add_rcpt(f, d, n)) < 0)
					return rc;
			}
		}
		/* Nothing better in the text: keep the header's list. */
		if (f->n == before && from_header && failed.len) {
			size_t pos = 0;
			struct bnc_str addr;
			while ((addr = bnc_addr_next(failed, &pos)).len)
				if ((rc = add_rcpt(f, d, addr)) < 0)
					return rc;
		}
	}
	if (f->n == 0 && d->orig) {
		size_t pos = 0;
		struct bnc_str to = bnc_headers_get(d->orig, "To"), addr;
		while ((addr = bnc_addr_next(to, &pos)).len)
			if ((rc = add_rcpt(f, d, addr)) < 0)
				return rc;
	}
	if (f->n == 0)
		return 0;

	for (i = 0; i < f->n; i++)
		f->r[i].diagnostic = bnc_text_block(d->a, text,
		    f->r[i].recipient);
	bnc_facts_cut_shared(f);
	action = text_action(text);
	for (i = 0; i < f->n; i++) {
		struct bnc_rcpt_facts *r = &f->r[i];
		r->action = action;
		r->context = text;
		/* The text never names the recipient (a list server's
		 * notice): for a single recipient, all of it is about it. */
		if (r->diagnostic.len == 0 && f->n == 1)
			r->diagnostic = bnc_text_squeeze(d->a, text);
		bnc_rcpt_fill_from_diagnostic(r, d->a);
		if (r->reply_code.len == 0 && r->status.len == 0) {
			/* The paragraph names no code: the text as a whole
			 * may (single-recipient bounces mostly). */
			struct bnc_rcpt_facts tmp = *r;
			tmp.diagnostic = text;
			bnc_rcpt_fill_from_diagnostic(&tmp, d->a);
			if (f->n == 1) {
				r->reply_code = tmp.reply_code;
				r->status = tmp.status;
			}
			if (r->smtp_command.len == 0)
				r->smtp_command = tmp.smtp_command;
		}
	}
	return 1;
}

BNC_DECODER(text, BNC_ORDER_LAST, bnc_mta_text);

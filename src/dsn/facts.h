/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * facts.h - what a decoder found in one message, before classification:
 * per-recipient delivery facts plus message-level facts. Views point into
 * the message's arena.
 */
#ifndef BNC_DSN_FACTS_H
#define BNC_DSN_FACTS_H

#include "../util/arena.h"
#include "../util/str.h"

enum bnc_kind {
	BNC_KIND_BOUNCE = 0,	/* a delivery report or NDR */
	BNC_KIND_FEEDBACK,	/* an ARF report (RFC 5965) */
	BNC_KIND_AUTOREPLY	/* an RFC 3834 auto-reply */
};

struct bnc_rcpt_facts {
	struct bnc_str recipient;
	struct bnc_str action;		/* DSN Action, lower case */
	struct bnc_str status;		/* enhanced status "5.1.1" */
	struct bnc_str reply_code;	/* "550" */
	struct bnc_str diagnostic;	/* the error text */
	struct bnc_str diag_type;	/* "smtp", "x-unix", ... */
	struct bnc_str remote_mta;
	struct bnc_str smtp_command;	/* "RCPT", "DATA", ... */
	struct bnc_str last_attempt;	/* date as written */
	struct bnc_str context;		/* wider text to read the reason
					 * from when the diagnostic is mute */
	const char *reason;		/* a decoder's own verdict, or NULL */
};

struct bnc_facts {
	struct bnc_rcpt_facts *r;
	size_t n, cap;
	size_t max;			/* recipients kept; more set truncated */
	bool truncated;
	enum bnc_kind kind;
	const char *mta;		/* the decoder's name */
	struct bnc_str reporting_mta;
	struct bnc_str arrival_date;
	struct bnc_str date;		/* the bounce's own Date: */
	struct bnc_str sender;		/* the original sender */
	struct bnc_str message_id;	/* of the original message */
	struct bnc_str list_id;
	struct bnc_str campaign;
	struct bnc_str feedback_type;
	struct bnc_str subject;		/* of the original message */
};

/* A new, zeroed recipient slot, or NULL (out of memory or over max). */
struct bnc_rcpt_facts *bnc_facts_add(struct bnc_facts *f, struct bnc_arena *a);
/* The slot for `addr` if one exists (case-insensitive), else NULL. */
struct bnc_rcpt_facts *bnc_facts_find(struct bnc_facts *f, struct bnc_str addr);

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * classify.h - the rule table of DESIGN.md section 2: facts + reason ->
 * class, action and the rule that decided.
 */
#ifndef BNC_CLASSIFY_CLASSIFY_H
#define BNC_CLASSIFY_CLASSIFY_H

#include "bouncer.h"
#include "../dsn/facts.h"

struct bnc_verdict_in {
	enum bnc_kind kind;
	const char *reason;
	const char *provider;
	struct bnc_str status;
	struct bnc_str reply_code;
	struct bnc_str action;		/* DSN Action */
	struct bnc_str diagnostic;
	enum bnc_profile profile;
};

struct bnc_verdict {
	enum bnc_class cls;
	enum bnc_action action;
	const char *rule;
};

void bnc_classify(struct bnc_verdict *out, const struct bnc_verdict_in *in);

/* One row of the rule table, for documentation and tests. */
struct bnc_rule_info {
	int number;
	const char *name;
	const char *when;
};
extern const struct bnc_rule_info bnc_rules[];
extern const size_t bnc_rules_count;

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_rules.c - src/classify/rules.c against the rule table of
 * DESIGN.md section 2: every row (1 ARF, 2 auto-reply, 3 delivered,
 * 4 each provider gray-area behaviour, 5 address reasons, 6 reasons
 * temporary by nature, 7 other permanent, 8 other temporary, 9 nothing
 * to go on), the protect-list profile, and the bnc_rules[] table that
 * documents them. Every rule name bnc_classify() returns must be in
 * bnc_rules[], and every rule of bnc_rules[] must be reached by a row.
 */
#include "bouncer.h"
#include "classify/classify.h"
#include "harness.h"

#define P_DEF BNC_PROFILE_DEFAULT
#define P_PROTECT BNC_PROFILE_PROTECT_LIST
#define K_BOUNCE BNC_KIND_BOUNCE

struct row {
	const char *name;
	enum bnc_kind kind;
	const char *reason, *provider, *reply, *status, *action;
	enum bnc_profile profile;
	enum bnc_class cls;
	enum bnc_action act;
	const char *rule;
};

#define HARD BNC_CLASS_HARD
#define SOFT BNC_CLASS_SOFT
#define GRAY BNC_CLASS_GRAY
#define SUPPRESS BNC_ACTION_SUPPRESS
#define RETRY BNC_ACTION_RETRY
#define THROTTLE BNC_ACTION_THROTTLE
#define REVIEW BNC_ACTION_REVIEW
#define NONE BNC_ACTION_NONE

static const struct row rows[] = {
	/* 1: ARF feedback report -> complaint / suppress */
	{ "1 arf report", BNC_KIND_FEEDBACK, "feedback", "", "", "", "",
	    P_DEF, BNC_CLASS_COMPLAINT, SUPPRESS, "arf-complaint" },
	{ "1 arf report beats a 5xx", BNC_KIND_FEEDBACK, "feedback", "yahoo",
	    "550", "5.7.1", "failed", P_DEF, BNC_CLASS_COMPLAINT, SUPPRESS,
	    "arf-complaint" },
	{ "1 feedback reason from a bounce decoder", K_BOUNCE, "feedback", "",
	    "", "", "", P_DEF, BNC_CLASS_COMPLAINT, SUPPRESS, "arf-complaint" },
	{ "1 arf under protect-list", BNC_KIND_FEEDBACK, "feedback", "", "",
	    "", "", P_PROTECT, BNC_CLASS_COMPLAINT, SUPPRESS, "arf-complaint" },

	/* 2: auto-reply -> auto_reply / none */
	{ "2 auto-reply", BNC_KIND_AUTOREPLY, "vacation", "", "", "", "",
	    P_DEF, BNC_CLASS_AUTO_REPLY, NONE, "auto-reply" },
	{ "2 vacation reason from a bounce decoder", K_BOUNCE, "vacation", "",
	    "", "", "", P_DEF, BNC_CLASS_AUTO_REPLY, NONE, "auto-reply" },
	{ "2 auto-reply with a stray 5xx", BNC_KIND_AUTOREPLY, "vacation", "",
	    "550", "5.1.1", "", P_DEF, BNC_CLASS_AUTO_REPLY, NONE, "auto-reply" },

	/* 3: delivered / relayed / expanded or 2.x.x -> delivered / none */
	{ "3 action delivered", K_BOUNCE, "delivered", "", "", "2.0.0",
	    "delivered", P_DEF, BNC_CLASS_DELIVERED, NONE, "delivered" },
	{ "3 action relayed", K_BOUNCE, "delivered", "", "", "",
	    "relayed", P_DEF, BNC_CLASS_DELIVERED, NONE, "delivered" },
	{ "3 action expanded", K_BOUNCE, "delivered", "", "", "",
	    "expanded", P_DEF, BNC_CLASS_DELIVERED, NONE, "delivered" },
	{ "3 status 2.x.x whatever the reason", K_BOUNCE, "undefined", "", "250",
	    "2.1.5", "", P_DEF, BNC_CLASS_DELIVERED, NONE, "delivered" },
	{ "3 beats the gray area", K_BOUNCE, "delivered", "google", "250",
	    "2.0.0", "delivered", P_DEF, BNC_CLASS_DELIVERED, NONE,
	    "delivered" },

	/* 4: provider gray area -> gray, reason unchanged */
	{ "4 microsoft 451 4.7.650", K_BOUNCE, "badreputation", "microsoft",
	    "451", "4.7.650", "failed", P_DEF, GRAY, REVIEW,
	    "gray-microsoft-reputation" },
	{ "4 microsoft 451 4.7.500", K_BOUNCE, "blocked", "microsoft", "451",
	    "4.7.500", "delayed", P_DEF, GRAY, REVIEW,
	    "gray-microsoft-reputation" },
	{ "4 microsoft 4.7.650 without reply code", K_BOUNCE, "badreputation",
	    "microsoft", "", "4.7.650", "delayed", P_DEF, GRAY, REVIEW,
	    "gray-microsoft-reputation" },
	{ "4 google 421 4.7.28", K_BOUNCE, "speeding", "google", "421",
	    "4.7.28", "delayed", P_DEF, GRAY, THROTTLE,
	    "gray-google-rate-limit" },
	{ "4 google 421 4.7.0", K_BOUNCE, "blocked", "google", "421", "4.7.0",
	    "delayed", P_DEF, GRAY, THROTTLE, "gray-google-rate-limit" },
	{ "4 google 4.7.28 without reply code", K_BOUNCE, "speeding", "google",
	    "", "4.7.28", "failed", P_DEF, GRAY, THROTTLE,
	    "gray-google-rate-limit" },
	{ "4 yahoo 421 4.7.0 TSS", K_BOUNCE, "badreputation", "yahoo", "421",
	    "4.7.0", "failed", P_DEF, GRAY, THROTTLE, "gray-yahoo-deferral" },
	{ "4 aol 421 4.7.0", K_BOUNCE, "badreputation", "aol", "421", "4.7.0",
	    "delayed", P_DEF, GRAY, THROTTLE, "gray-yahoo-deferral" },
	{ "4 yahoo 4.7.0 without reply code", K_BOUNCE, "onhold", "yahoo", "",
	    "4.7.0", "delayed", P_DEF, GRAY, THROTTLE, "gray-yahoo-deferral" },
	{ "4 yahoo 550 5.7.1", K_BOUNCE, "blocked", "yahoo", "550", "5.7.1",
	    "failed", P_DEF, GRAY, REVIEW, "gray-yahoo-reputation" },
	{ "4 aol 550 5.7.1", K_BOUNCE, "rejected", "aol", "550", "5.7.1",
	    "failed", P_DEF, GRAY, REVIEW, "gray-yahoo-reputation" },
	{ "4 yahoo 553 5.7.1 block list", K_BOUNCE, "blocked", "yahoo",
	    "553", "5.7.1", "failed", P_DEF, GRAY, REVIEW,
	    "gray-yahoo-reputation" },
	{ "4- yahoo 553 5.7.2 is no gray", K_BOUNCE, "blocked", "yahoo",
	    "553", "5.7.2", "failed", P_DEF, HARD, SUPPRESS,
	    "hard-permanent" },
	{ "4 yahoo 554 5.7.9", K_BOUNCE, "policyviolation", "yahoo", "554",
	    "5.7.9", "failed", P_DEF, GRAY, REVIEW, "gray-yahoo-reputation" },
	{ "4 other provider deferral for reputation", K_BOUNCE,
	    "badreputation", "apple", "421", "4.7.0", "delayed", P_DEF, GRAY,
	    THROTTLE, "gray-provider-deferral" },
	{ "4 other provider deferral for rate", K_BOUNCE, "speeding", "orange",
	    "450", "4.2.1", "delayed", P_DEF, GRAY, THROTTLE,
	    "gray-provider-deferral" },
	{ "4 beats protect-list", K_BOUNCE, "blocked", "yahoo", "550", "5.7.1",
	    "failed", P_PROTECT, GRAY, REVIEW, "gray-yahoo-reputation" },
	/* ... and what the gray area does not cover. */
	{ "4- microsoft 550 5.7.1 is no gray", K_BOUNCE, "rejected",
	    "microsoft", "550", "5.7.1", "failed", P_DEF, HARD, SUPPRESS,
	    "hard-permanent" },
	{ "4- microsoft 550 5.1.10 is no gray", K_BOUNCE, "userunknown",
	    "microsoft", "550", "5.1.10", "failed", P_DEF, HARD, SUPPRESS,
	    "hard-address" },
	{ "4- microsoft 451 4.4.0 is no gray", K_BOUNCE, "networkerror",
	    "microsoft", "451", "4.4.0", "delayed", P_DEF, SOFT, RETRY,
	    "soft-temporary-reason" },
	{ "4- google 550 5.7.1 is no gray", K_BOUNCE, "rejected", "google",
	    "550", "5.7.1", "failed", P_DEF, HARD, SUPPRESS, "hard-permanent" },
	{ "4- google 421 4.7.0 reply with other status", K_BOUNCE, "blocked",
	    "google", "421", "4.7.1", "delayed", P_DEF, SOFT, RETRY,
	    "soft-temporary" },
	{ "4- microsoft 421 4.7.0 is no gray (451 only)", K_BOUNCE, "onhold",
	    "microsoft", "421", "4.7.0", "delayed", P_DEF, SOFT, RETRY,
	    "soft-temporary" },
	{ "4- no provider, 4.7.650", K_BOUNCE, "badreputation", "", "451",
	    "4.7.650", "delayed", P_DEF, SOFT, RETRY, "soft-temporary" },
	{ "4- no provider, 421 4.7.0", K_BOUNCE, "blocked", "", "421", "4.7.0",
	    "delayed", P_DEF, SOFT, RETRY, "soft-temporary" },
	{ "4- provider name is matched whole", K_BOUNCE, "blocked", "yahoo2",
	    "550", "5.7.1", "failed", P_DEF, HARD, SUPPRESS,
	    "hard-permanent" },

	/* 5: address or domain cannot receive, permanent -> hard */
	{ "5 userunknown 550 5.1.1", K_BOUNCE, "userunknown", "", "550",
	    "5.1.1", "failed", P_DEF, HARD, SUPPRESS, "hard-address" },
	{ "5 hostunknown 5.1.2 no reply", K_BOUNCE, "hostunknown", "", "",
	    "5.1.2", "failed", P_DEF, HARD, SUPPRESS, "hard-address" },
	{ "5 hasmoved 551 5.1.6", K_BOUNCE, "hasmoved", "", "551", "5.1.6",
	    "failed", P_DEF, HARD, SUPPRESS, "hard-address" },
	{ "5 notaccept 556 5.1.10", K_BOUNCE, "notaccept", "", "556", "5.1.10",
	    "failed", P_DEF, HARD, SUPPRESS, "hard-address" },
	{ "5 suspend 550 5.2.1", K_BOUNCE, "suspend", "", "550", "5.2.1",
	    "failed", P_DEF, HARD, SUPPRESS, "hard-address" },
	{ "5 5xx reply alone", K_BOUNCE, "userunknown", "", "550", "",
	    "", P_DEF, HARD, SUPPRESS, "hard-address" },
	{ "5 final failure without a code", K_BOUNCE, "userunknown", "", "",
	    "", "failed", P_DEF, HARD, SUPPRESS, "hard-address" },
	{ "5 at google too", K_BOUNCE, "userunknown", "google", "550", "5.1.1",
	    "failed", P_DEF, HARD, SUPPRESS, "hard-address" },
	{ "5 under protect-list too", K_BOUNCE, "userunknown", "", "550",
	    "5.1.1", "failed", P_PROTECT, HARD, SUPPRESS, "hard-address" },
	{ "5- userunknown with 4xx is not permanent", K_BOUNCE, "userunknown",
	    "", "450", "4.1.1", "delayed", P_DEF, SOFT, RETRY,
	    "soft-temporary" },
	{ "5- failed with a 4xx status is not permanent", K_BOUNCE,
	    "hostunknown", "", "", "4.4.4", "failed", P_DEF, SOFT, RETRY,
	    "soft-temporary" },
	{ "5- userunknown, nothing else", K_BOUNCE, "userunknown", "", "", "",
	    "", P_DEF, BNC_CLASS_UNKNOWN, REVIEW, "unknown" },

	/* 6: temporary by nature, even with 5xx -> soft / retry */
	{ "6 mailboxfull 552 5.2.2", K_BOUNCE, "mailboxfull", "", "552",
	    "5.2.2", "failed", P_DEF, SOFT, RETRY, "soft-temporary-reason" },
	{ "6 mesgtoobig 552 5.3.4", K_BOUNCE, "mesgtoobig", "", "552", "5.3.4",
	    "failed", P_DEF, SOFT, RETRY, "soft-temporary-reason" },
	{ "6 exceedlimit 5.2.3", K_BOUNCE, "exceedlimit", "", "", "5.2.3",
	    "failed", P_DEF, SOFT, RETRY, "soft-temporary-reason" },
	{ "6 systemfull 452 4.3.1", K_BOUNCE, "systemfull", "", "452", "4.3.1",
	    "delayed", P_DEF, SOFT, RETRY, "soft-temporary-reason" },
	{ "6 systemerror 554 5.3.0", K_BOUNCE, "systemerror", "", "554",
	    "5.3.0", "failed", P_DEF, SOFT, RETRY, "soft-temporary-reason" },
	{ "6 toomanyconn 421", K_BOUNCE, "toomanyconn", "", "421", "", "",
	    P_DEF, SOFT, RETRY, "soft-temporary-reason" },
	{ "6 speeding 550 no provider", K_BOUNCE, "speeding", "", "550",
	    "5.7.1", "failed", P_DEF, SOFT, RETRY, "soft-temporary-reason" },
	{ "6 networkerror 4.4.1", K_BOUNCE, "networkerror", "", "", "4.4.1",
	    "delayed", P_DEF, SOFT, RETRY, "soft-temporary-reason" },
	{ "6 expired 5.4.7", K_BOUNCE, "expired", "", "", "5.4.7", "failed",
	    P_DEF, SOFT, RETRY, "soft-temporary-reason" },
	{ "6 failedstarttls 530 5.7.10", K_BOUNCE, "failedstarttls", "", "530",
	    "5.7.10", "failed", P_DEF, SOFT, RETRY, "soft-temporary-reason" },
	{ "6 without any code", K_BOUNCE, "mailboxfull", "", "", "", "",
	    P_DEF, SOFT, RETRY, "soft-temporary-reason" },
	{ "6 under protect-list too", K_BOUNCE, "mailboxfull", "", "552",
	    "5.2.2", "failed", P_PROTECT, SOFT, RETRY,
	    "soft-temporary-reason" },

	/* 7: any other 5xx or 5.x.x -> hard / suppress */
	{ "7 rejected 550 5.7.1", K_BOUNCE, "rejected", "", "550", "5.7.1",
	    "failed", P_DEF, HARD, SUPPRESS, "hard-permanent" },
	{ "7 norelaying 554 5.7.1", K_BOUNCE, "norelaying", "", "554", "5.7.1",
	    "failed", P_DEF, HARD, SUPPRESS, "hard-permanent" },
	{ "7 syntaxerror 501 5.5.4", K_BOUNCE, "syntaxerror", "", "501",
	    "5.5.4", "failed", P_DEF, HARD, SUPPRESS, "hard-permanent" },
	{ "7 spamdetected 550", K_BOUNCE, "spamdetected", "", "550", "", "",
	    P_DEF, HARD, SUPPRESS, "hard-permanent" },
	{ "7 suppressed 5.1.1 (ESP list)", K_BOUNCE, "suppressed", "", "550",
	    "5.1.1", "failed", P_DEF, HARD, SUPPRESS, "hard-permanent" },
	{ "7 filtered status only", K_BOUNCE, "filtered", "", "", "5.7.1", "",
	    P_DEF, HARD, SUPPRESS, "hard-permanent" },
	{ "7 undefined but failed", K_BOUNCE, "undefined", "", "", "",
	    "failed", P_DEF, HARD, SUPPRESS, "hard-permanent" },
	{ "7 5xx reply with 4xx status", K_BOUNCE, "onhold", "", "550",
	    "4.0.0", "failed", P_DEF, HARD, SUPPRESS, "hard-permanent" },

	/* 8: any 4xx or 4.x.x -> soft / retry */
	{ "8 onhold 450 4.0.0", K_BOUNCE, "onhold", "", "450", "4.0.0",
	    "delayed", P_DEF, SOFT, RETRY, "soft-temporary" },
	{ "8 blocked 421 no provider", K_BOUNCE, "blocked", "", "421", "",
	    "", P_DEF, SOFT, RETRY, "soft-temporary" },
	{ "8 status only", K_BOUNCE, "undefined", "", "", "4.7.1", "",
	    P_DEF, SOFT, RETRY, "soft-temporary" },
	{ "8 blocked 4xx under protect-list", K_BOUNCE, "blocked", "", "451",
	    "4.7.1", "delayed", P_PROTECT, SOFT, RETRY, "soft-temporary" },

	/* 9: nothing to go on -> unknown / review */
	{ "9 nothing", K_BOUNCE, "undefined", "", "", "", "", P_DEF,
	    BNC_CLASS_UNKNOWN, REVIEW, "unknown" },
	{ "9 delayed without any code", K_BOUNCE, "expired", "", "", "",
	    "delayed", P_DEF, SOFT, RETRY, "soft-temporary-reason" },
	{ "9 onhold without any code", K_BOUNCE, "onhold", "", "", "",
	    "", P_DEF, BNC_CLASS_UNKNOWN, REVIEW, "unknown" },
	{ "9 provider alone is nothing", K_BOUNCE, "undefined", "google", "",
	    "", "", P_DEF, BNC_CLASS_UNKNOWN, REVIEW, "unknown" },

	/* protect-list: sender-side permanent rejections -> gray / review */
	{ "protect blocked", K_BOUNCE, "blocked", "", "554", "5.7.1", "failed",
	    P_PROTECT, GRAY, REVIEW, "protect-list" },
	{ "protect spamdetected", K_BOUNCE, "spamdetected", "", "550", "5.7.1",
	    "failed", P_PROTECT, GRAY, REVIEW, "protect-list" },
	{ "protect policyviolation", K_BOUNCE, "policyviolation", "", "550",
	    "5.7.1", "failed", P_PROTECT, GRAY, REVIEW, "protect-list" },
	{ "protect authfailure", K_BOUNCE, "authfailure", "", "550", "5.7.26",
	    "failed", P_PROTECT, GRAY, REVIEW, "protect-list" },
	{ "protect requireptr", K_BOUNCE, "requireptr", "", "550", "5.7.25",
	    "failed", P_PROTECT, GRAY, REVIEW, "protect-list" },
	{ "protect badreputation", K_BOUNCE, "badreputation", "", "550",
	    "5.7.1", "failed", P_PROTECT, GRAY, REVIEW, "protect-list" },
	{ "protect securityerror", K_BOUNCE, "securityerror", "", "550",
	    "5.7.7", "failed", P_PROTECT, GRAY, REVIEW, "protect-list" },
	{ "protect contenterror", K_BOUNCE, "contenterror", "", "554",
	    "5.6.0", "failed", P_PROTECT, GRAY, REVIEW, "protect-list" },
	{ "protect notcompliantrfc", K_BOUNCE, "notcompliantrfc", "", "550",
	    "5.7.1", "failed", P_PROTECT, GRAY, REVIEW, "protect-list" },
	{ "protect virusdetected", K_BOUNCE, "virusdetected", "", "554",
	    "5.7.1", "failed", P_PROTECT, GRAY, REVIEW, "protect-list" },
	{ "protect rejected", K_BOUNCE, "rejected", "", "550", "5.7.1",
	    "failed", P_PROTECT, GRAY, REVIEW, "protect-list" },
	{ "protect- norelaying stays hard", K_BOUNCE, "norelaying", "", "554",
	    "5.7.1", "failed", P_PROTECT, HARD, SUPPRESS, "hard-permanent" },
	{ "protect- syntaxerror stays hard", K_BOUNCE, "syntaxerror", "",
	    "501", "5.1.3", "failed", P_PROTECT, HARD, SUPPRESS,
	    "hard-permanent" },
	{ "protect- default profile keeps blocked hard", K_BOUNCE, "blocked",
	    "", "554", "5.7.1", "failed", P_DEF, HARD, SUPPRESS,
	    "hard-permanent" },
};

/* Is `rule` documented in bnc_rules[] ("gray-*" covers the gray rows)? */
static bool
documented(const char *rule)
{
	size_t i, n;

	for (i = 0; i < bnc_rules_count; i++) {
		const char *name = bnc_rules[i].name;
		n = strlen(name);
		if (n && name[n - 1] == '*') {
			if (strncmp(rule, name, n - 1) == 0)
				return true;
		} else if (strcmp(rule, name) == 0) {
			return true;
		}
	}
	return false;
}

static void
test_rows(void)
{
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++) {
		const struct row *r = &rows[i];
		struct bnc_verdict_in in;
		struct bnc_verdict v;

		memset(&in, 0, sizeof(in));
		in.kind = r->kind;
		in.reason = r->reason;
		in.provider = r->provider;
		in.reply_code = bnc_str_c(r->reply);
		in.status = bnc_str_c(r->status);
		in.action = bnc_str_c(r->action);
		in.diagnostic = bnc_str_c("");
		in.profile = r->profile;
		memset(&v, 0, sizeof(v));
		bnc_classify(&v, &in);
		CHECK_STR(r->name, "class", bnc_class_name(v.cls),
		    bnc_class_name(r->cls));
		CHECK_STR(r->name, "action", bnc_action_name(v.action),
		    bnc_action_name(r->act));
		CHECK_STR(r->name, "rule", v.rule, r->rule);
		if (v.rule)
			CHECK_TRUE(r->name, "rule documented in bnc_rules[]",
			    documented(v.rule));
	}
}

/* bnc_rules[] lists DESIGN.md's rows 1-9 in order, then profile rules,
 * and each of them is decided by at least one row above. */
static void
test_table(void)
{
	size_t i, k;

	CHECK_TRUE("bnc_rules", "at least 9 rows", bnc_rules_count >= 9);
	for (i = 0; i < bnc_rules_count && i < 9; i++) {
		char name[32];
		snprintf(name, sizeof(name), "bnc_rules[%zu]", i);
		CHECK_INT(name, "number", bnc_rules[i].number, (long long)i + 1);
	}
	for (i = 0; i < bnc_rules_count; i++) {
		const char *rn = bnc_rules[i].name;
		size_t n = strlen(rn);
		bool reached = false;

		CHECK_TRUE(rn, "has a description", bnc_rules[i].when != NULL &&
		    bnc_rules[i].when[0] != '\0');
		for (k = 0; k < H_NELEM(rows) && !reached; k++) {
			if (n && rn[n - 1] == '*')
				reached = strncmp(rows[k].rule, rn, n - 1) == 0;
			else
				reached = strcmp(rows[k].rule, rn) == 0;
		}
		CHECK_TRUE(rn, "reached by a test row", reached);
	}
	/* The four gray rules DESIGN.md names have rows. */
	{
		static const char *const gray[] = { "gray-microsoft-reputation",
			"gray-google-rate-limit", "gray-yahoo-deferral",
			"gray-yahoo-reputation" };
		for (i = 0; i < H_NELEM(gray); i++) {
			bool seen = false;
			for (k = 0; k < H_NELEM(rows); k++)
				if (strcmp(rows[k].rule, gray[i]) == 0)
					seen = true;
			CHECK_TRUE(gray[i], "has a test row", seen);
		}
	}
}

/* Every enum value has its own name, and out-of-range values fall back
 * to the enum's zero name rather than crashing. */
static void
test_names(void)
{
	static const struct {
		enum bnc_class c;
		const char *name;
	} classes[] = {
		{ BNC_CLASS_UNKNOWN, "unknown" }, { BNC_CLASS_HARD, "hard" },
		{ BNC_CLASS_SOFT, "soft" }, { BNC_CLASS_GRAY, "gray" },
		{ BNC_CLASS_COMPLAINT, "complaint" },
		{ BNC_CLASS_AUTO_REPLY, "auto_reply" },
		{ BNC_CLASS_DELIVERED, "delivered" },
	};
	static const struct {
		enum bnc_action a;
		const char *name;
	} actions[] = {
		{ BNC_ACTION_REVIEW, "review" }, { BNC_ACTION_SUPPRESS, "suppress" },
		{ BNC_ACTION_RETRY, "retry" }, { BNC_ACTION_THROTTLE, "throttle" },
		{ BNC_ACTION_NONE, "none" },
	};
	size_t i;

	for (i = 0; i < H_NELEM(classes); i++)
		CHECK_STR(classes[i].name, "bnc_class_name",
		    bnc_class_name(classes[i].c), classes[i].name);
	for (i = 0; i < H_NELEM(actions); i++)
		CHECK_STR(actions[i].name, "bnc_action_name",
		    bnc_action_name(actions[i].a), actions[i].name);
	CHECK_STR("class out of range", "bnc_class_name",
	    bnc_class_name((enum bnc_class)99), "unknown");
	CHECK_STR("action out of range", "bnc_action_name",
	    bnc_action_name((enum bnc_action)99), "review");
}

int
main(void)
{
	test_rows();
	test_table();
	test_names();
	return h_done("test_rules");
}

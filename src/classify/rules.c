/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rules.c - DESIGN.md section 2 as data. Rules are tried in order; the
 * first whose test passes decides class and action, and its name goes
 * into the record's `rule` so every verdict can be explained. The gray
 * area (rule 4) is its own small table of provider behaviours.
 */
#include "classify.h"

/* Reasons that say the address or domain cannot receive (rule 5). */
static const char *const address_reasons[] = { "userunknown",
	"hostunknown", "hasmoved", "notaccept", "suspend", NULL };
/* Reasons temporary by nature even with a 5xx (rule 6). */
static const char *const temporary_reasons[] = { "mailboxfull",
	"mesgtoobig", "exceedlimit", "systemfull", "systemerror",
	"toomanyconn", "speeding", "networkerror", "expired",
	"failedstarttls", NULL };
/* Sender-side rejections that the protect-list profile makes gray. */
static const char *const sender_side_reasons[] = { "blocked",
	"spamdetected", "policyviolation", "authfailure", "requireptr",
	"badreputation", "securityerror", "contenterror", "notcompliantrfc",
	"virusdetected", "rejected", NULL };

/* strcmp() == 0, with the first bytes compared inline: most reasons
 * differ from a name there (each record asks up to 20 names). */
static inline bool
is(const char *s, const char *name)
{
	return s[0] == name[0] && strcmp(s, name) == 0;
}

static bool
in_list(const char *const *list, const char *s)
{
	size_t i;

	for (i = 0; list[i]; i++)
		if (is(s, list[i]))
			return true;
	return false;
}

static bool
code_class(struct bnc_str code, char c)
{
	return code.len > 0 && code.ptr[0] == c;
}

static bool
permanent(const struct bnc_verdict_in *in)
{
	if (code_class(in->reply_code, '5') || code_class(in->status, '5'))
		return true;
	/* A final failure report with no 4xx code is permanent too. */
	return bnc_str_ieq(in->action, "failed") &&
	    !code_class(in->reply_code, '4') && !code_class(in->status, '4');
}

static bool
temporary(const struct bnc_verdict_in *in)
{
	return code_class(in->reply_code, '4') || code_class(in->status, '4');
}

/* Rule 4: mailbox-provider behaviours that look like a recipient's
 * failure but are the sender's reputation or rate. */
struct gray_row {
	const char *providers;	/* space-separated */
	const char *reply;	/* reply code, or "" for any */
	const char *status;	/* status prefix ("4.7.") or exact code */
	bool prefix;
	enum bnc_action action;
	const char *rule;
};

static const struct gray_row gray_rows[] = {
	/* Microsoft 451 4.7.x (4.7.650 IP reputation, 4.7.500 ...). */
	{ "microsoft", "451", "4.7.", true, BNC_ACTION_REVIEW,
	    "gray-microsoft-reputation" },
	{ "microsoft", "", "4.7.650", false, BNC_ACTION_REVIEW,
	    "gray-microsoft-reputation" },
	/* Gmail rate limiting during large sends. */
	{ "google", "421", "4.7.0", false, BNC_ACTION_THROTTLE,
	    "gray-google-rate-limit" },
	{ "google", "421", "4.7.28", false, BNC_ACTION_THROTTLE,
	    "gray-google-rate-limit" },
	{ "google", "", "4.7.28", false, BNC_ACTION_THROTTLE,
	    "gray-google-rate-limit" },
	/* Yahoo / AOL: TSS deferrals and reputation blocks. */
	{ "yahoo aol", "421", "4.7.0", false, BNC_ACTION_THROTTLE,
	    "gray-yahoo-deferral" },
	{ "yahoo aol", "", "4.7.0", false, BNC_ACTION_THROTTLE,
	    "gray-yahoo-deferral" },
	{ "yahoo aol", "550", "5.7.1", false, BNC_ACTION_REVIEW,
	    "gray-yahoo-reputation" },
	/* Yahoo writes its block-list refusals ([BL21], [TS03]) as 553. */
	{ "yahoo aol", "553", "5.7.1", false, BNC_ACTION_REVIEW,
	    "gray-yahoo-reputation" },
	{ "yahoo aol", "554", "5.7.9", false, BNC_ACTION_REVIEW,
	    "gray-yahoo-reputation" },
};

static bool
provider_in(const char *list, const char *p)
{
	size_t n = strlen(p);
	const char *s = list;

	if (n == 0)
		return false;
	while ((s = strstr(s, p)) != NULL) {
		if ((s == list || s[-1] == ' ') && (s[n] == '\0' || s[n] == ' '))
			return true;
		s += n;
	}
	return false;
}

static const struct gray_row *
gray_match(const struct bnc_verdict_in *in)
{
	size_t i;

	const char *list = NULL;
	bool in_it = false;

	/* No provider is in no row's list; rows that share a list (the
	 * same string) ask about it once. */
	for (i = 0; in->provider[0] != '\0' &&
	    i < sizeof(gray_rows) / sizeof(gray_rows[0]); i++) {
		const struct gray_row *g = &gray_rows[i];
		if (g->providers != list) {
			list = g->providers;
			in_it = provider_in(list, in->provider);
		}
		if (!in_it)
			continue;
		if (g->reply[0] && !bnc_str_ieq(in->reply_code, g->reply))
			continue;
		if (g->prefix ? !bnc_str_istarts(in->status, g->status) :
		    !bnc_str_ieq(in->status, g->status))
			continue;
		return g;
	}
	/* A deferral that names the sender's reputation or rate at a big
	 * provider is the same thing in other words. */
	if (in->provider[0] && temporary(in) &&
	    (is(in->reason, "badreputation") ||
	    is(in->reason, "speeding"))) {
		static const struct gray_row generic = { "", "", "", false,
			BNC_ACTION_THROTTLE, "gray-provider-deferral" };
		return &generic;
	}
	return NULL;
}

const struct bnc_rule_info bnc_rules[] = {
	{ 1, "arf-complaint", "ARF feedback report (RFC 5965)" },
	{ 2, "auto-reply", "auto-reply or out-of-office (RFC 3834)" },
	{ 3, "delivered", "DSN action delivered/relayed/expanded or 2.x.x" },
	{ 4, "gray-*", "mailbox-provider reputation or rate limiting" },
	{ 5, "hard-address", "address or domain cannot receive, permanent" },
	{ 6, "soft-temporary-reason", "reason temporary by nature" },
	{ 7, "hard-permanent", "any other 5xx reply or 5.x.x status" },
	{ 8, "soft-temporary", "any 4xx reply or 4.x.x status" },
	{ 9, "unknown", "nothing to go on" },
	{ 0, "protect-list", "profile protect-list: sender-side "
	    "rejection kept gray" },
};
const size_t bnc_rules_count = sizeof(bnc_rules) / sizeof(bnc_rules[0]);

static void
set(struct bnc_verdict *out, enum bnc_class c, enum bnc_action a,
    const char *rule)
{
	out->cls = c;
	out->action = a;
	out->rule = rule;
}

void
bnc_classify(struct bnc_verdict *out, const struct bnc_verdict_in *in)
{
	const struct gray_row *g;

	if (in->kind == BNC_KIND_FEEDBACK ||
	    is(in->reason, "feedback")) {
		set(out, BNC_CLASS_COMPLAINT, BNC_ACTION_SUPPRESS,
		    "arf-complaint");
		return;
	}
	if (in->kind == BNC_KIND_AUTOREPLY ||
	    is(in->reason, "vacation")) {
		set(out, BNC_CLASS_AUTO_REPLY, BNC_ACTION_NONE, "auto-reply");
		return;
	}
	if (is(in->reason, "delivered") ||
	    code_class(in->status, '2') ||
	    bnc_str_ieq(in->action, "delivered") ||
	    bnc_str_ieq(in->action, "relayed") ||
	    bnc_str_ieq(in->action, "expanded")) {
		set(out, BNC_CLASS_DELIVERED, BNC_ACTION_NONE, "delivered");
		return;
	}
	if ((g = gray_match(in)) != NULL) {
		set(out, BNC_CLASS_GRAY, g->action, g->rule);
		return;
	}
	if (in_list(address_reasons, in->reason) && permanent(in)) {
		set(out, BNC_CLASS_HARD, BNC_ACTION_SUPPRESS, "hard-address");
		return;
	}
	if (in_list(temporary_reasons, in->reason)) {
		set(out, BNC_CLASS_SOFT, BNC_ACTION_RETRY,
		    "soft-temporary-reason");
		return;
	}
	if (permanent(in)) {
		if (in->profile == BNC_PROFILE_PROTECT_LIST &&
		    in_list(sender_side_reasons, in->reason)) {
			set(out, BNC_CLASS_GRAY, BNC_ACTION_REVIEW,
			    "protect-list");
			return;
		}
		set(out, BNC_CLASS_HARD, BNC_ACTION_SUPPRESS, "hard-permanent");
		return;
	}
	if (temporary(in)) {
		set(out, BNC_CLASS_SOFT, BNC_ACTION_RETRY, "soft-temporary");
		return;
	}
	set(out, BNC_CLASS_UNKNOWN, BNC_ACTION_REVIEW, "unknown");
}

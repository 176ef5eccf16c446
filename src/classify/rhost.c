/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rhost.c - provider reason tables: where a mailbox provider gives its
 * own codes and sentences a meaning, the provider decides. Rows come from
 * the providers' public postmaster pages and error-code lists (Orange
 * OFR/LPN codes, Yahoo "dd" lines, Microsoft's S3150 and 4.7.650, Tencent's
 * frequency limits, ...). They are only read when the failure came from
 * that provider (src/classify/provider.c), so a phrase here never
 * misleads elsewhere.
 */
#include "rhost.h"

const struct bnc_rhost_row bnc_rhost_rows[] = {
	/* Google / Gmail / Workspace */
	{ "google", "inbox is out of storage", "mailboxfull" },
	{ "google", "account that you tried to reach is disabled", "suspend" },
	{ "google", "account that you tried to reach is inactive", "suspend" },
	{ "google", "account that you tried to reach does not exist",
	    "userunknown" },
	{ "google", "receiving mail at a rate that", "speeding" },
	{ "google", "not rfc 5322 compliant", "notcompliantrfc" },
	{ "google", "does not have a ptr record", "requireptr" },
	{ "google", "sender is unauthenticated", "authfailure" },

	/* Microsoft: Outlook.com, Hotmail, Office 365 */
	{ "microsoft", "recipient address rejected: access denied",
	    "userunknown" },
	{ "microsoft", "recipientnotfound", "userunknown" },
	{ "microsoft", "s3150", "blocked" },
	{ "microsoft", "s3140", "blocked" },
	{ "microsoft", "unfortunately, messages from", "blocked" },
	{ "microsoft", "banned sending ip", "blocked" },
	{ "microsoft", "4.7.650", "badreputation" },
	{ "microsoft", "4.7.651", "badreputation" },
	{ "microsoft", "5.7.515", "securityerror" },
	{ "microsoft", "5.7.509", "authfailure" },

	/* Yahoo / AOL (Yahoo Inc.) */
	{ "yahoo", "this user doesn't have a", "userunknown" },
	{ "yahoo", "has been disabled or discontinued", "suspend" },
	{ "yahoo", "message not accepted for policy reasons",
	    "policyviolation" },
	{ "yahoo", "[bl21]", "blocked" },
	{ "yahoo", "[bl23]", "blocked" },
	{ "yahoo", "[tss09]", "blocked" },
	{ "yahoo", "[tss04]", "badreputation" },
	{ "aol", "this user doesn't have a", "userunknown" },
	{ "aol", "message not accepted for policy reasons",
	    "policyviolation" },

	/* Apple iCloud */
	{ "apple", "inactive email address", "userunknown" },
	{ "apple", "user is over quota", "mailboxfull" },

	/* Orange / Wanadoo and La Poste: OFR and LPN codes */
	{ "orange", "ofr004_104", "toomanyconn" },
	{ "orange", "ofr_999", "blocked" },
	{ "orange", "ofr006_102", "blocked" },
	{ "orange", "ofr005_505", "systemerror" },
	{ "orange", "ofr_506", "spamdetected" },
	{ "orange", "lpn007_416", "userunknown" },
	{ "orange", "lpn007_426", "suspend" },
	{ "orange", "lpn001_108", "blocked" },
	{ "orange", "lpn000_630", "policyviolation" },
	{ "laposte", "lpn007_416", "userunknown" },
	{ "laposte", "lpn007_426", "suspend" },
	{ "laposte", "lpn001_108", "blocked" },
	{ "laposte", "lpn000_630", "policyviolation" },

	/* GoDaddy (secureserver.net): IB codes */
	{ "godaddy", "ib607", "speeding" },
	{ "godaddy", "ib501", "blocked" },
	{ "godaddy", "ib705", "virusdetected" },

	/* Cox */
	{ "cox", "cxbl", "blocked" },
	{ "cox", "cxdns", "requireptr" },
	{ "cox", "cxmj", "blocked" },

	/* Spectrum / Charter */
	{ "spectrum", "aup#in-1310", "toomanyconn" },

	/* Tencent QQ */
	{ "tencent", "frequency limited", "toomanyconn" },
	{ "tencent", "dmarc check failed", "authfailure" },
	{ "tencent", "mailbox not found", "userunknown" },

	/* Mimecast */
	{ "mimecast", "host network not allowed", "policyviolation" },
	{ "mimecast", "mcspamsignature", "virusdetected" },

	/* Zoho */
	{ "zoho", "email policy violation detected", "securityerror" },
	{ "zoho", "email flagged as spam", "securityerror" },
	{ "zoho", "mail rejected by destination domain", "onhold" },

	/* Cloudflare Email Routing */
	{ "cloudflare", "upstream error", "onhold" },

	/* MessageLabs (Symantec.cloud) */
	{ "messagelabs", "turn on smtp authentication", "securityerror" },

	/* Facebook */
	{ "facebook", "rcp-p1", "userunknown" },
	{ "facebook", "rcp-p2", "filtered" },
	{ "facebook", "rcp-p3", "suspend" },
	{ "facebook", "pol-p", "policyviolation" },
	{ "facebook", "msg-p", "spamdetected" },

	/* KDDI (au, ezweb) and NTT docomo */
	{ "kddi", "as their mailbox is full", "mailboxfull" },
	{ "nttdocomo", "mailbox is full", "mailboxfull" },
};

const size_t bnc_rhost_rows_count =
    sizeof(bnc_rhost_rows) / sizeof(bnc_rhost_rows[0]);

const char *
bnc_rhost_reason(const char *provider, const char *folded, size_t len)
{
	size_t i, n;

	if (provider == NULL || provider[0] == '\0' || len == 0)
		return NULL;
	for (i = 0; i < bnc_rhost_rows_count; i++) {
		if (strcmp(bnc_rhost_rows[i].provider, provider) != 0)
			continue;
		n = strlen(bnc_rhost_rows[i].phrase);
		if (memmem(folded, len, bnc_rhost_rows[i].phrase, n) != NULL)
			return bnc_rhost_rows[i].reason;
	}
	return NULL;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rhost.c - provider reason tables: where a mailbox provider gives its
 * own codes and sentences a meaning, the provider decides. The rows come
 * from the providers' public postmaster pages and error-code lists, named
 * above each table; they are only read when the failure came from that
 * provider (src/classify/provider.c), so a phrase here never misleads
 * elsewhere. Rows are tried in table order: a provider's more specific
 * sentence sits above its more general one. Every row has a test case
 * with the provider's own wording (tests/unit/classify/test_rhost.c).
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "../util/alloc.h"
#include "matcher.h"
#include "rhost.h"

const struct bnc_rhost_row bnc_rhost_rows[] = {
	/*
	 * Google: Gmail and Google Workspace. "Gmail SMTP errors and codes"
	 * (support.google.com/a/answer/3726730) and the email sender
	 * guidelines. "gcdp" marks a Workspace administrator's own rule.
	 */
	{ "google", "", "", "- gcdp", "policyviolation" },
	{ "google", "", "", "email account that you tried to reach does not exist",
	    "userunknown" },
	{ "google", "", "", "account that you tried to reach is disabled",
	    "suspend" },
	{ "google", "", "", "account that you tried to reach is inactive",
	    "suspend" },
	{ "google", "", "", "inbox is out of storage", "mailboxfull" },
	{ "google", "", "", "account that you tried to reach is over quota",
	    "mailboxfull" },
	{ "google", "", "", "able to find the recipient domain", "hostunknown" },
	{ "google", "", "", "the recipient address * not a valid rfc 5321 address",
	    "userunknown" },
	{ "google", "", "", "the sender address * not a valid rfc 5321 address",
	    "rejected" },
	/* Rate limits: the recipient's, the relay's, the sender's. */
	{ "google", "", "", "receiving * too quickly", "speeding" },
	{ "google", "", "", "receiving * at a rate", "speeding" },
	{ "google", "", "", "peak smtp relay limit exceeded", "speeding" },
	{ "google", "", "", "daily user sending limit exceeded", "speeding" },
	{ "google", "", "", "daily smtp relay * limit exceeded", "speeding" },
	/* Authentication and DNS, before "rate limited": 4.7.2x deferrals
	 * say both. */
	{ "google", "", "", "have a ptr record", "requireptr" },
	{ "google", "", "", "regarding ptr records", "requireptr" },
	{ "google", "", "", "spf record of the sending domain has one or more "
	    "suspicious entries", "authfailure" },
	{ "google", "", "", "because it is unauthenticated", "authfailure" },
	{ "google", "", "", "sender is unauthenticated", "authfailure" },
	{ "google", "", "", "fails to pass spf checks", "authfailure" },
	{ "google", "", "", "not accepted due to domain's dmarc policy",
	    "authfailure" },
	{ "google", "", "", "spf authentication didn't pass", "authfailure" },
	{ "google", "", "", "didn't pass spf authentication", "authfailure" },
	{ "google", "", "", "dkim authentication didn't pass", "authfailure" },
	{ "google", "", "", "didn't pass dkim authentication", "authfailure" },
	{ "google", "", "", "doesn't have a dmarc record", "authfailure" },
	{ "google", "", "", "aligned with either the authenticated spf or dkim",
	    "authfailure" },
	{ "google", "", "", "not using a tls connection", "failedstarttls" },
	{ "google", "", "", "sent over a tls connection", "failedstarttls" },
	{ "google", "", "", "tls required for rcpt domain", "failedstarttls" },
	/* Reputation and spam. */
	{ "google", "", "", "very low reputation of the sending", "badreputation" },
	{ "google", "", "", "nature of the content", "spamdetected" },
	{ "google", "", "", "likely unsolicited", "spamdetected" },
	{ "google", "", "", "has been temporarily rate limited", "speeding" },
	{ "google", "", "", "email has been rate limited", "speeding" },
	{ "google", "", "", "unusual rate of", "blocked" },
	{ "google", "", "", "unusual amount of unsolicited", "blocked" },
	{ "google", "", "", "ip not in whitelist for rcpt domain", "blocked" },
	{ "google", "", "", "not authorized to send email directly to our servers",
	    "blocked" },
	{ "google", "", "", "helo/ehlo argument", "blocked" },
	{ "google", "", "", "try again later, closing connection", "blocked" },
	/* The message itself. */
	{ "google", "", "", "not rfc 5322 compliant", "notcompliantrfc" },
	{ "google", "", "", "message is malformed", "notcompliantrfc" },
	{ "google", "", "", "missing a valid", "notcompliantrfc" },
	{ "google", "", "", "multiple addresses in the from: header",
	    "notcompliantrfc" },
	{ "google", "", "", "unicode character in a disallowed header",
	    "notcompliantrfc" },
	{ "google", "", "", "encoded-word syntax is not permitted",
	    "notcompliantrfc" },
	{ "google", "", "", "exceeded google's message size limits", "mesgtoobig" },
	{ "google", "", "", "header size", "contenterror" },
	{ "google", "", "", "header name limit", "contenterror" },
	{ "google", "", "", "number of attachments", "exceedlimit" },
	{ "google", "", "", "domain policy size per transaction exceeded",
	    "exceedlimit" },
	{ "google", "", "", "message has too many recipients", "exceedlimit" },
	{ "google", "", "", "too many recipients for this sender", "exceedlimit" },
	{ "google", "", "", "content presents a potential security issue",
	    "policyviolation" },
	{ "google", "", "", "has a policy that prohibit", "policyviolation" },
	/* The sender's own session or relay account. */
	{ "google", "", "", "email relay denied", "norelaying" },
	{ "google", "", "", "invalid credentials for relay", "norelaying" },
	{ "google", "", "", "no identity changes permitted", "securityerror" },
	{ "google", "", "", "too many unauthenticated commands", "securityerror" },
	{ "google", "", "", "too many login attempts", "securityerror" },
	{ "google", "", "", "username and password not accepted", "securityerror" },
	{ "google", "", "", "application-specific password required",
	    "securityerror" },
	{ "google", "", "", "log in * your web browser", "securityerror" },
	{ "google", "", "", "unrecognized authentication type", "securityerror" },
	/* The remote system and the protocol. */
	{ "google", "", "", "temporary system problem", "systemerror" },
	{ "google", "", "", "temporarily rejected * message", "systemerror" },
	{ "google", "", "", "server busy, try again later", "systemerror" },
	{ "google", "", "", "timeout - closing connection", "networkerror" },
	{ "google", "", "", "connection expired, try reconnecting",
	    "networkerror" },
	{ "google", "", "", "exceeded 50 hops", "networkerror" },
	{ "google", "", "", "smtp protocol violation", "syntaxerror" },
	{ "google", "", "", "issued out of sequence", "syntaxerror" },
	{ "google", "", "", "bad sequence of commands", "syntaxerror" },
	{ "google", "", "", "unimplemented command", "syntaxerror" },
	{ "google", "", "", "cannot decode response", "syntaxerror" },

	/*
	 * Microsoft: Exchange Online / Office 365 ("Email non-delivery
	 * reports and SMTP errors in Exchange Online", the 5.7.7xx NDR
	 * page) and Outlook.com, Hotmail, Live, MSN (the Outlook.com
	 * postmaster's "SMTP Error Codes" and its S3xxx block codes).
	 */
	{ "microsoft", "", "", "recipient address rejected: access denied",
	    "userunknown" },
	{ "microsoft", "", "", "recipientnotfound", "userunknown" },
	{ "microsoft", "", "", "recipnotfound", "userunknown" },
	{ "microsoft", "", "", "recipient not found by smtp address lookup",
	    "userunknown" },
	{ "microsoft", "", "", "tenantattribution", "norelaying" },
	{ "microsoft", "", "", "unable to relay recipient in non-accepted domain",
	    "norelaying" },
	{ "microsoft", "", "", "relay access denied", "norelaying" },
	{ "microsoft", "", "", "not authenticated to send anonymous mail",
	    "securityerror" },
	{ "microsoft", "", "", "sender was not authenticated by organization",
	    "securityerror" },
	{ "microsoft", "", "", "resolver.rst.authrequired", "securityerror" },
	{ "microsoft", "", "", "sender not in allowed-senders list", "rejected" },
	{ "microsoft", "", "", "bad outbound sender", "rejected" },
	{ "microsoft", "", "", "5.7.509", "authfailure" },
	{ "microsoft", "", "", "does not pass dmarc verification", "authfailure" },
	{ "microsoft", "", "", "5.7.515", "securityerror" },
	{ "microsoft", "", "", "rfc 5322 section 3.6.2", "notcompliantrfc" },
	{ "microsoft", "", "", "banned sending ip", "blocked" },
	{ "microsoft", "", "", "bad helo", "blocked" },
	{ "microsoft", "", "", "banned sender", "blocked" },
	{ "microsoft", "", "", "using customer block list", "blocked" },
	{ "microsoft", "", "", "tenant has exceeded threshold", "blocked" },
	{ "microsoft", "", "", "from unregistered domains", "blocked" },
	{ "microsoft", "", "", "traffic not accepted from this ip",
	    "badreputation" },
	{ "microsoft", "", "", "rejected by recipient", "filtered" },
	{ "microsoft", "", "", "has exceeded permitted limits within",
	    "speeding" },
	{ "microsoft", "", "", "message receive limit", "speeding" },
	{ "microsoft", "", "", "daily limit for message recipients", "speeding" },
	{ "microsoft", "", "", "submission quota exceeded", "speeding" },
	{ "microsoft", "", "", "maximum number of concurrent connections",
	    "toomanyconn" },
	{ "microsoft", "", "", "detected as spam", "spamdetected" },
	{ "microsoft", "", "", "external forwarding", "policyviolation" },
	{ "microsoft", "", "", "invalid mime content", "contenterror" },
	{ "microsoft", "", "", "bare linefeeds", "contenterror" },
	{ "microsoft", "", "", "queue.expired", "expired" },
	/* Outlook.com's codes: RP- rate limits for reputation, SC-, DY-
	 * and OU- policy blocks, S3xxx block-list entries. */
	{ "microsoft", "", "", "rp-001", "badreputation" },
	{ "microsoft", "", "", "rp-002", "badreputation" },
	{ "microsoft", "", "", "rp-003", "badreputation" },
	{ "microsoft", "", "", "sc-001", "blocked" },
	{ "microsoft", "", "", "sc-002", "blocked" },
	{ "microsoft", "", "", "sc-003", "blocked" },
	{ "microsoft", "", "", "sc-004", "blocked" },
	{ "microsoft", "", "", "dy-001", "blocked" },
	{ "microsoft", "", "", "dy-002", "blocked" },
	{ "microsoft", "", "", "ou-001", "blocked" },
	{ "microsoft", "", "", "ou-002", "blocked" },
	{ "microsoft", "", "", "s3150", "blocked" },
	{ "microsoft", "", "", "s3140", "blocked" },
	{ "microsoft", "", "", "unfortunately, messages from", "blocked" },
	{ "microsoft", "", "", "4.7.650", "badreputation" },
	{ "microsoft", "", "", "4.7.651", "badreputation" },
	{ "microsoft", "", "", "rate limited due to ip reputation",
	    "badreputation" },
	{ "microsoft", "", "", "server busy. please try again later from",
	    "badreputation" },

	/*
	 * Yahoo Inc.: Yahoo Mail and AOL (one platform since 2017). Yahoo
	 * Sender Hub "SMTP Error Codes" (TS* deferrals, BL* block lists,
	 * PH* content blocks) and AOL's older postmaster codes.
	 */
	{ "yahoo", "", "", "this user doesn't have a", "userunknown" },
	{ "yahoo", "", "", "has been disabled or discontinued", "suspend" },
	{ "yahoo", "", "", "[tss09]", "blocked" },
	{ "yahoo", "", "", "[ts03]", "blocked" },
	{ "yahoo", "", "", "permanently deferred", "blocked" },
	{ "yahoo", "", "", "[bl2", "blocked" },
	{ "yahoo", "", "", "excessive unknown recipients", "blocked" },
	{ "yahoo", "", "", "[ph0", "policyviolation" },
	{ "yahoo", "", "", "not accepted for policy reasons", "policyviolation" },
	{ "yahoo", "", "", "unresolvable rfc", "rejected" },
	{ "yahoo", "", "", "[tss", "badreputation" },
	{ "yahoo", "", "", "[ts0", "badreputation" },
	{ "yahoo", "", "", "temporarily deferred", "badreputation" },
	{ "yahoo", "", "", "resources temporarily unavailable", "systemerror" },
	{ "yahoo", "", "", "dns:nr", "requireptr" },
	{ "yahoo", "", "", "rtr:bb", "blocked" },
	{ "yahoo", "", "", "dyn:t1", "blocked" },
	{ "yahoo", "", "", "rly:b1", "blocked" },

	/* Apple iCloud Mail (icloud.com, me.com, mac.com): iCloud
	 * postmaster page; inbound filtering refers to Proofpoint's IP
	 * check. */
	{ "apple", "", "", "inactive email address", "userunknown" },
	{ "apple", "", "", "user is over quota", "mailboxfull" },
	{ "apple", "", "", "due to local policy", "policyviolation" },
	{ "apple", "", "", "ipcheck.proofpoint.com", "blocked" },

	/* Orange / Wanadoo: OFR codes with bilingual sentences
	 * (postmaster.orange.fr). */
	{ "orange", "", "", "ofr004_104", "toomanyconn" },
	{ "orange", "", "", "ofr005_505", "systemerror" },
	{ "orange", "", "", "ofr006_1", "blocked" },
	{ "orange", "", "", "ofr_506", "spamdetected" },
	{ "orange", "", "", "ofr_999", "blocked" },
	{ "orange", "", "", "too many connections, slow down", "toomanyconn" },
	{ "orange", "", "", "adresse ip source bloquee", "blocked" },
	{ "orange", "", "", "mail rejete", "spamdetected" },
	{ "orange", "", "", "destinataire invalide", "userunknown" },
	{ "orange", "", "", "recipient overquota", "mailboxfull" },
	{ "orange", "", "", "compte du destinataire est bloque", "suspend" },

	/* La Poste (laposte.net): LPN codes. */
	{ "laposte", "", "", "lpn007_416", "userunknown" },
	{ "laposte", "", "", "lpn007_426", "suspend" },
	{ "laposte", "", "", "lpn001_108", "blocked" },
	{ "laposte", "", "", "lpn000_630", "policyviolation" },

	/* GoDaddy (secureserver.net): IB codes of "Fix rejected email with
	 * a bounce error". */
	{ "godaddy", "", "", "ib101", "systemerror" },
	{ "godaddy", "", "", "ib212", "spamdetected" },
	{ "godaddy", "", "", "ib401", "securityerror" },
	{ "godaddy", "", "", "ib501", "notcompliantrfc" },
	{ "godaddy", "", "", "ib502", "notcompliantrfc" },
	{ "godaddy", "", "", "ib506", "rejected" },
	{ "godaddy", "", "", "ib508", "authfailure" },
	{ "godaddy", "", "", "ib607", "speeding" },
	{ "godaddy", "", "", "ib705", "virusdetected" },

	/* Cox: AUP# codes of the Cox postmaster's "Error Codes". */
	{ "cox", "", "", "cxbl", "blocked" },
	{ "cox", "", "", "cdrbl", "blocked" },
	{ "cox", "", "", "ipbl", "blocked" },
	{ "cox", "", "", "urlbl", "spamdetected" },
	{ "cox", "", "", "cxdns", "requireptr" },
	{ "cox", "", "", "cxsndr", "rejected" },
	{ "cox", "", "", "cxmj", "blocked" },
	{ "cox", "", "", "cxcnct", "toomanyconn" },
	{ "cox", "", "", "cxmxrt", "speeding" },

	/* Spectrum / Charter / Roadrunner: AUP# codes. */
	{ "spectrum", "", "", "aup#in-1310", "toomanyconn" },
	{ "spectrum", "", "", "aup#i-1010", "blocked" },

	/* Tencent: QQ Mail and Exmail, the "退信" (bounce) help pages. */
	{ "tencent", "", "", "mailbox not found", "userunknown" },
	{ "tencent", "", "", "mailbox unavailable or access denied", "speeding" },
	{ "tencent", "", "", "mail is rejected by recipients", "filtered" },
	{ "tencent", "", "", "mail content denied", "spamdetected" },
	{ "tencent", "", "", "suspected spam sender", "blocked" },
	{ "tencent", "", "", "frequency limited", "toomanyconn" },
	{ "tencent", "", "", "dmarc check failed", "authfailure" },

	/* Mimecast: "Mimecast SMTP Error Codes". */
	{ "mimecast", "", "", "host network not allowed", "policyviolation" },
	{ "mimecast", "", "", "mcspamsignature", "virusdetected" },
	{ "mimecast", "", "", "envelope blocked", "rejected" },
	{ "mimecast", "", "", "header based blocked senders", "rejected" },
	{ "mimecast", "", "", "anti-spoofing policy", "policyviolation" },
	{ "mimecast", "", "", "sender address blocked", "blocked" },
	{ "mimecast", "", "", "internal resource", "systemerror" },
	{ "mimecast", "", "", "unable to process connection at this time",
	    "systemerror" },

	/* Zoho Mail: its bounce-error help page. */
	{ "zoho", "", "", "email policy violation detected", "securityerror" },
	{ "zoho", "", "", "email flagged as spam", "securityerror" },
	{ "zoho", "", "", "mail rejected by destination domain", "onhold" },
	{ "zoho", "", "", "user does not exist", "userunknown" },
	{ "zoho", "", "", "relaying disallowed", "norelaying" },

	/* KDDI (au.com, ezweb.ne.jp): a missing address answers with the
	 * address ("550 <a@au.com>: User unknown"); the receiving filter
	 * refuses with an empty one ("550 : User unknown"). */
	{ "kddi", "", "", ">: user unknown", "userunknown" },
	{ "kddi", "", "", ": user unknown", "filtered" },
	{ "kddi", "", "", "as their mailbox is full", "mailboxfull" },
	{ "kddi", "", "", "account is temporarily over quota", "mailboxfull" },

	/* NTT docomo (docomo.ne.jp) checks addresses at RCPT TO; its
	 * "Unknown user" after the message is the recipient's refusal
	 * setting (by address, by domain, or mail from PCs) refusing this
	 * sender. A report that calls it X.2.0 ("the mailbox exists, but
	 * something about it caused this", RFC 3463) has put it on the
	 * mailbox's own setting: filtered. */
	{ "nttdocomo", "", "5.2.0", "unknown user", "filtered" },
	{ "nttdocomo", "DATA", "", "unknown user", "rejected" },
	{ "nttdocomo", "", "", "too much mail data", "mailboxfull" },

	/* Cloudflare Email Routing: its postmaster reference. */
	{ "cloudflare", "", "", "upstream error", "onhold" },
	{ "cloudflare", "", "", "found on one or more rbls", "blocked" },

	/* Symantec MessageLabs (Email Security.cloud). */
	{ "messagelabs", "", "", "turn on smtp authentication", "securityerror" },
	{ "messagelabs", "", "", "connection rejected by policy", "blocked" },

	/* Facebook: postmaster.facebook.com/response_codes. */
	{ "facebook", "", "", "rcp-p1", "userunknown" },
	{ "facebook", "", "", "rcp-p2", "filtered" },
	{ "facebook", "", "", "rcp-p3", "filtered" },
	{ "facebook", "", "", "rcp-t1", "systemerror" },
	{ "facebook", "", "", "int-p1", "userunknown" },
	{ "facebook", "", "", "int-p2", "mesgtoobig" },
	{ "facebook", "", "", "int-p3", "userunknown" },
	{ "facebook", "", "", "int-p4", "userunknown" },
	{ "facebook", "", "", "int-p7", "mailboxfull" },
	{ "facebook", "", "", "int-t", "systemerror" },
	{ "facebook", "", "", "msg-p1", "mesgtoobig" },
	{ "facebook", "", "", "msg-p2", "contenterror" },
	{ "facebook", "", "", "msg-p3", "notcompliantrfc" },
	{ "facebook", "", "", "pol-p1", "blocked" },
	{ "facebook", "", "", "pol-p2", "blocked" },
	{ "facebook", "", "", "pol-p3", "blocked" },
	{ "facebook", "", "", "pol-p4", "blocked" },
	{ "facebook", "", "", "pol-p5", "virusdetected" },
	{ "facebook", "", "", "pol-p6", "spamdetected" },
	{ "facebook", "", "", "pol-p7", "authfailure" },
	{ "facebook", "", "", "pol-p8", "policyviolation" },
	{ "facebook", "", "", "pol-t", "blocked" },
	{ "facebook", "", "", "dns-p1", "rejected" },
	{ "facebook", "", "", "dns-p2", "rejected" },
	{ "facebook", "", "", "dns-p3", "requireptr" },
	{ "facebook", "", "", "dns-t1", "rejected" },
	{ "facebook", "", "", "dns-t2", "requireptr" },
};

const size_t bnc_rhost_rows_count =
    sizeof(bnc_rhost_rows) / sizeof(bnc_rhost_rows[0]);

const char *
bnc_rhost_table(const char *provider)
{
	if (provider != NULL && strcmp(provider, "aol") == 0)
		return "yahoo";
	return provider;
}

/* Each table's rows, with their first pieces compiled (matcher.h), so
 * that a diagnostic is read once for all of them rather than searched
 * once a row. Built once; NULL tables (out of memory) read row by row. */
/* A table longer than this is read row by row. */
#define MAX_ROWS_PER_TABLE 1024

struct table {
	const char *name;
	size_t *row;			/* indexes into bnc_rhost_rows */
	size_t n;
	struct bnc_phrase *phrases;	/* the rows' phrases, for the matcher */
	struct bnc_matcher *m;
};

#define MAX_TABLES 64
static struct table tables[MAX_TABLES];
static size_t ntables;
static bool tables_ok;
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void
build_tables(void)
{
	size_t i, k;

	for (i = 0; i < bnc_rhost_rows_count; i++) {
		const char *name = bnc_rhost_rows[i].provider;
		for (k = 0; k < ntables; k++)
			if (strcmp(tables[k].name, name) == 0)
				break;
		if (k == ntables) {
			if (ntables == MAX_TABLES)
				return;
			tables[ntables++].name = name;
		}
		tables[k].n++;
	}
	for (k = 0; k < ntables; k++) {
		struct table *t = &tables[k];
		size_t n = 0;
		t->row = bnc_calloc(t->n, sizeof(*t->row));
		t->phrases = bnc_calloc(t->n, sizeof(*t->phrases));
		if (t->row == NULL || t->phrases == NULL)
			return;
		for (i = 0; i < bnc_rhost_rows_count; i++) {
			if (strcmp(bnc_rhost_rows[i].provider, t->name) != 0)
				continue;
			t->row[n] = i;
			t->phrases[n].phrase = bnc_rhost_rows[i].phrase;
			t->phrases[n].reason = bnc_rhost_rows[i].reason;
			n++;
		}
		if (bnc_matcher_new(&t->m, t->phrases, t->n) != 0)
			return;
	}
	tables_ok = true;
}

/* The rows in table order, without the compiled tables. */
static const struct bnc_rhost_row *
find_slowly(const char *table, const char *command, const char *status,
    const char *folded, size_t len)
{
	size_t i;

	for (i = 0; i < bnc_rhost_rows_count; i++) {
		const struct bnc_rhost_row *row = &bnc_rhost_rows[i];

		/* The first byte settles most rows of other providers. */
		if (row->provider[0] != table[0] ||
		    strcmp(row->provider, table) != 0)
			continue;
		if (row->command[0] && (command == NULL ||
		    strcasecmp(row->command, command) != 0))
			continue;
		if (row->status[0] && (status == NULL ||
		    strcmp(row->status, status) != 0))
			continue;
		if (bnc_phrase_occurs(folded, len, row->phrase))
			return row;
	}
	return NULL;
}

const struct bnc_rhost_row *
bnc_rhost_find(const char *provider, const char *command, const char *status,
    const char *folded, size_t len)
{
	const char *table = bnc_rhost_table(provider);
	const struct table *t = NULL;
	uint64_t hit[(MAX_ROWS_PER_TABLE + 63) / 64];
	size_t k, w;

	if (table == NULL || table[0] == '\0' || len == 0)
		return NULL;
	pthread_once(&tables_once, build_tables);
	/* The names are distinct (build_tables()): the first that is the
	 * same is the one, and the first byte rules out most. */
	if (tables_ok)
		for (k = 0; k < ntables; k++)
			if (tables[k].name[0] == table[0] &&
			    strcmp(tables[k].name, table) == 0) {
				t = &tables[k];
				break;
			}
	if (t == NULL || t->n > MAX_ROWS_PER_TABLE)
		return tables_ok && t == NULL ? NULL :
		    find_slowly(table, command, status, folded, len);
	/* The rows whose first piece the text holds, in table order. */
	bnc_matcher_pieces(t->m, folded, len, hit);
	for (w = 0; w < (t->n + 63) / 64; w++) {
		uint64_t bits = hit[w];
		while (bits) {
			size_t r = w * 64 + (size_t)__builtin_ctzll(bits);
			const struct bnc_rhost_row *row =
			    &bnc_rhost_rows[t->row[r]];
			bits &= bits - 1;
			if (row->command[0] && (command == NULL ||
			    strcasecmp(row->command, command) != 0))
				continue;
			if (row->status[0] && (status == NULL ||
			    strcmp(row->status, status) != 0))
				continue;
			if (strchr(row->phrase, '*') == NULL ||
			    bnc_phrase_occurs(folded, len, row->phrase))
				return row;
		}
	}
	return NULL;
}

const char *
bnc_rhost_reason(const char *provider, const char *command,
    const char *status, const char *folded, size_t len)
{
	const struct bnc_rhost_row *row = bnc_rhost_find(provider, command,
	    status, folded, len);

	return row ? row->reason : NULL;
}

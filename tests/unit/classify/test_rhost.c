/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_rhost.c - src/classify/rhost.c: each provider table row against a
 * diagnostic as that provider writes it (wording from its public error
 * pages; addresses and IPs replaced by example.com and 192.0.2.x). A case
 * runs the path a record takes: reply code, status and command from the
 * text, the provider from the remote host or the recipient's domain, the
 * reason, then the rule table. Every table row must be the deciding row
 * of at least one case, and every row is well formed; end to end through
 * bnc_explain() too.
 */
#include <stdio.h>

#include "bouncer.h"
#include "classify/classify.h"
#include "classify/provider.h"
#include "classify/reason.h"
#include "classify/rhost.h"
#include "mta/mta.h"
#include "harness.h"

/* Expected verdicts: class, action and rule (DESIGN.md section 2). */
#define HARD_ADDRESS "hard suppress hard-address"
#define HARD_PERMANENT "hard suppress hard-permanent"
#define SOFT_REASON "soft retry soft-temporary-reason"
#define SOFT_TEMPORARY "soft retry soft-temporary"
#define GRAY_DEFERRAL "gray throttle gray-provider-deferral"
#define GRAY_GOOGLE "gray throttle gray-google-rate-limit"
#define GRAY_MICROSOFT "gray review gray-microsoft-reputation"
#define GRAY_YAHOO_DEFERRAL "gray throttle gray-yahoo-deferral"
#define GRAY_YAHOO_REPUTATION "gray review gray-yahoo-reputation"

struct rcase {
	const char *name;
	const char *remote;	/* the remote MTA ("" when unknown) */
	const char *recipient;
	const char *reply;	/* the diagnostic as the bounce carries it */
	const char *reason;
	const char *verdict;
};

static const struct rcase cases[] = {
	/* Google */
	{ "google gcdp", "aspmx.l.google.com", "a@example.com",
	    "550 5.7.1 This message violates example.com email policy. "
	    "- gcdp <1234> - gsmtp",
	    "policyviolation", HARD_PERMANENT },
	{ "google no such user", "gmail-smtp-in.l.google.com", "nosuchuser@gmail.com",
	    "550-5.1.1 The email account that you tried to reach does "
	    "not exist. Please try double-checking the recipient's "
	    "email address for typos or unnecessary spaces. For more "
	    "information, go to "
	    "https://support.google.com/mail/?p=NoSuchUser "
	    "d2e1a72fcca58-1 - gsmtp (in reply to RCPT TO command)",
	    "userunknown", HARD_ADDRESS },
	{ "google disabled", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "550 5.2.1 The email account that you tried to reach is "
	    "disabled. r2si1 - gsmtp",
	    "suspend", HARD_ADDRESS },
	{ "google inactive", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "550-5.2.1 The email account that you tried to reach is "
	    "inactive. For more information, go to "
	    "https://support.google.com/mail/?p=DisabledUser x1si2 - "
	    "gsmtp",
	    "suspend", HARD_ADDRESS },
	{ "google out of storage", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "452 4.2.2 The recipient's inbox is out of storage space. "
	    "Please direct the recipient to "
	    "https://support.google.com/mail/?p=OverQuotaTemp z3si4 - "
	    "gsmtp",
	    "mailboxfull", SOFT_REASON },
	{ "google over quota", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "552 5.2.2 The email account that you tried to reach is "
	    "over quota. Please direct the recipient to "
	    "https://support.google.com/mail/?p=OverQuotaPerm - gsmtp",
	    "mailboxfull", SOFT_REASON },
	{ "google recipient domain", "aspmx.l.google.com", "a@example.com",
	    "553 5.1.2 We weren't able to find the recipient domain. "
	    "Please check for any spelling errors, and make sure you "
	    "didn't enter any spaces, periods, or other punctuation "
	    "after the recipient's email address. - gsmtp",
	    "hostunknown", HARD_ADDRESS },
	{ "google recipient syntax", "aspmx.l.google.com", "a@example.com",
	    "553 5.1.3 The recipient address <a@@example.com> is not a "
	    "valid RFC 5321 address. - gsmtp",
	    "userunknown", HARD_ADDRESS },
	{ "google sender syntax", "aspmx.l.google.com", "a@example.com",
	    "553 5.1.7 The sender address <bounce@@example.net> is not "
	    "a valid RFC 5321 address. - gsmtp",
	    "rejected", HARD_PERMANENT },
	{ "google too quickly", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "450 4.2.1 The user you are trying to contact is receiving "
	    "mail too quickly. Please resend your message at a later "
	    "time. - gsmtp",
	    "speeding", GRAY_DEFERRAL },
	{ "google at a rate", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "550 5.2.1 The user you are trying to contact is receiving "
	    "email at a rate that prevents additional messages from "
	    "being delivered. - gsmtp",
	    "speeding", SOFT_REASON },
	{ "google peak relay", "smtp-relay.gmail.com", "a@example.com",
	    "450 4.2.1 Peak SMTP relay limit exceeded for this "
	    "customer. This is a temporary error. - gsmtp",
	    "speeding", GRAY_DEFERRAL },
	{ "google daily user limit", "smtp.google.com", "a@example.com",
	    "550 5.4.5 Daily user sending limit exceeded. For more "
	    "information on Gmail sending limits go to "
	    "https://support.google.com/a/answer/166852 - gsmtp",
	    "speeding", SOFT_REASON },
	{ "google daily relay limit", "smtp-relay.google.com", "a@example.com",
	    "550 5.7.1 Daily SMTP relay sending limit exceeded for this "
	    "customer. - gsmtp",
	    "speeding", SOFT_REASON },
	{ "google no ptr", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "550-5.7.25 [192.0.2.25] The IP address sending this "
	    "message does not have a PTR record setup, or the "
	    "corresponding forward DNS entry does not point to the "
	    "sending IP. - gsmtp",
	    "requireptr", HARD_PERMANENT },
	{ "google ipv6 ptr", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "550-5.7.1 [2001:db8::25] This message does not meet IPv6 "
	    "sending guidelines regarding PTR records and "
	    "authentication. - gsmtp",
	    "requireptr", HARD_PERMANENT },
	{ "google spf suspicious", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "451 4.7.24 The SPF record of the sending domain has one or "
	    "more suspicious entries. To protect our users from spam, "
	    "email sent from your IP address has been temporarily rate "
	    "limited. - gsmtp",
	    "authfailure", SOFT_TEMPORARY },
	{ "google unauthenticated rate", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "421-4.7.26 This email has been rate limited because it is "
	    "unauthenticated. Gmail requires all senders to "
	    "authenticate with either SPF or DKIM. - gsmtp",
	    "authfailure", SOFT_TEMPORARY },
	{ "google unauthenticated", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "550-5.7.26 This mail has been blocked because the sender "
	    "is unauthenticated. Gmail requires all senders to "
	    "authenticate with either SPF or DKIM. Authentication "
	    "results: DKIM = did not pass SPF [relay.example.net] with "
	    "ip: [192.0.2.26] = did not pass - gsmtp",
	    "authfailure", HARD_PERMANENT },
	{ "google spf hard fail", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "550-5.7.26 The MAIL FROM domain [example.net] has an SPF "
	    "record with a hard fail policy (-all) but it fails to pass "
	    "SPF checks with the ip: [192.0.2.26]. - gsmtp",
	    "authfailure", HARD_PERMANENT },
	{ "google dmarc", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "550-5.7.26 Unauthenticated email from example.net is not "
	    "accepted due to domain's DMARC policy. Please contact the "
	    "administrator of example.net domain. - gsmtp",
	    "authfailure", HARD_PERMANENT },
	{ "google spf deferral", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "421-4.7.27 Your email has been rate limited because SPF "
	    "authentication didn't pass for this message. - gsmtp",
	    "authfailure", SOFT_TEMPORARY },
	{ "google spf block", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "550-5.7.27 This message was blocked because it didn't pass "
	    "SPF authentication. - gsmtp",
	    "authfailure", HARD_PERMANENT },
	{ "google dkim deferral", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "421-4.7.30 Your email has been rate limited because DKIM "
	    "authentication didn't pass for this message. - gsmtp",
	    "authfailure", SOFT_TEMPORARY },
	{ "google dkim block", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "550-5.7.30 This message was blocked because it didn't pass "
	    "DKIM authentication. - gsmtp",
	    "authfailure", HARD_PERMANENT },
	{ "google no dmarc record", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "550-5.7.40 Your message was blocked because the sending "
	    "domain doesn't have a DMARC record or the DMARC record "
	    "doesn't specify a DMARC policy. - gsmtp",
	    "authfailure", HARD_PERMANENT },
	{ "google alignment", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "421-4.7.32 Your email has been rate limited because the "
	    "From: header (RFC5322) in this message isn't aligned with "
	    "either the authenticated SPF or DKIM organizational "
	    "domain. - gsmtp",
	    "authfailure", SOFT_TEMPORARY },
	{ "google no tls deferral", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "421-4.7.29 Your email has been rate limited because you're "
	    "not using a TLS connection. Gmail requires all bulk email "
	    "senders to use TLS/SSL for SMTP connections. - gsmtp",
	    "failedstarttls", SOFT_REASON },
	{ "google no tls block", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "550-5.7.29 This message was blocked because it wasn't sent "
	    "over a TLS connection. - gsmtp",
	    "failedstarttls", SOFT_REASON },
	{ "google tls required", "aspmx.l.google.com", "a@example.com",
	    "421 4.7.0 TLS required for RCPT domain, closing "
	    "connection. - gsmtp",
	    "failedstarttls", GRAY_GOOGLE },
	{ "google low ip reputation", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "550-5.7.1 This message is likely suspicious due to the "
	    "very low reputation of the sending IP address. To best "
	    "protect our users from spam, the message has been blocked. "
	    "- gsmtp",
	    "badreputation", HARD_PERMANENT },
	{ "google content", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "421-4.7.0 This message is suspicious due to the nature of "
	    "the content or the links within. To best protect our users "
	    "from spam, the message has been blocked. - gsmtp",
	    "spamdetected", GRAY_GOOGLE },
	{ "google unsolicited", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "550-5.7.1 [192.0.2.25] This message is likely unsolicited "
	    "email. To reduce the amount of spam sent to Gmail, this "
	    "message has been blocked. - gsmtp",
	    "spamdetected", HARD_PERMANENT },
	{ "google 4.7.28 rate limited", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "421-4.7.28 Gmail has detected an unusual rate of "
	    "unsolicited email originating from your IP address "
	    "192.0.2.28. To protect our users from spam, email sent "
	    "from your IP address has been temporarily rate limited. - "
	    "gsmtp",
	    "speeding", GRAY_GOOGLE },
	{ "google email rate limited", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "550 5.7.1 This email has been rate limited. For more "
	    "information, go to Limits for sending & getting email. - "
	    "gsmtp",
	    "speeding", SOFT_REASON },
	{ "google 5.7.28 blocked", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "550-5.7.28 There is an unusual rate of unsolicited email "
	    "originating from your IP address. To protect our users "
	    "from spam, email sent from your IP address has been "
	    "blocked. - gsmtp",
	    "blocked", HARD_PERMANENT },
	{ "google temporarily blocked", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "421-4.7.28 Gmail has detected an unusual amount of "
	    "unsolicited email originating from your IP address. To "
	    "protect our users from spam, email sent from your IP "
	    "address has been temporarily blocked. - gsmtp",
	    "blocked", GRAY_GOOGLE },
	{ "google whitelist", "aspmx.l.google.com", "a@example.com",
	    "421 4.7.0 IP not in whitelist for RCPT domain, closing "
	    "connection. - gsmtp",
	    "blocked", GRAY_GOOGLE },
	{ "google direct to mx", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "550-5.7.1 The IP you're using to send email is not "
	    "authorized to send email directly to our servers. Please "
	    "use the SMTP relay at your service provider instead. - "
	    "gsmtp",
	    "blocked", HARD_PERMANENT },
	{ "google helo", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "501-5.5.4 HELO/EHLO argument localhost.localdomain "
	    "invalid, closing connection. - gsmtp",
	    "blocked", HARD_PERMANENT },
	{ "google dos", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "421 4.7.0 Try again later, closing connection. (EHLO) - "
	    "gsmtp",
	    "blocked", GRAY_GOOGLE },
	{ "google rfc 5322", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "550-5.7.1 This message is not RFC 5322 compliant because "
	    "it has duplicate headers. To reduce the amount of spam "
	    "sent to Gmail, this message has been blocked. - gsmtp",
	    "notcompliantrfc", HARD_PERMANENT },
	{ "google malformed", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "554 5.6.0 Email message is malformed. Not accepted. - "
	    "gsmtp",
	    "notcompliantrfc", HARD_PERMANENT },
	{ "google no message-id", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "550-5.7.1 Messages missing a valid Message-ID: header are "
	    "not accepted. - gsmtp",
	    "notcompliantrfc", HARD_PERMANENT },
	{ "google multiple from", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "550-5.7.1 Messages with multiple addresses in the From: "
	    "header are not accepted. - gsmtp",
	    "notcompliantrfc", HARD_PERMANENT },
	{ "google unicode header", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "550-5.7.1 The message contains a unicode character in a "
	    "disallowed header. - gsmtp",
	    "notcompliantrfc", HARD_PERMANENT },
	{ "google encoded-word", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "550-5.7.1 Encoded-word syntax is not permitted in message "
	    "header Message-ID. - gsmtp",
	    "notcompliantrfc", HARD_PERMANENT },
	{ "google size", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "552-5.3.4 Your message exceeded Google's message size "
	    "limits. To view our message size guidelines, go to "
	    "https://support.google.com/mail/?p=MaxSizeError - gsmtp",
	    "mesgtoobig", SOFT_REASON },
	{ "google header size", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "552-5.3.4 Your message exceeded Google's message header "
	    "size limits. - gsmtp",
	    "contenterror", HARD_PERMANENT },
	{ "google header name", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "552-5.3.4 The size of a header name (1200 bytes) exceeds "
	    "Google's header name limit of 1000 bytes. - gsmtp",
	    "contenterror", HARD_PERMANENT },
	{ "google attachments", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "552-5.3.4 The number of attachments (600) exceeds Google's "
	    "limit of 500 attachments. - gsmtp",
	    "exceedlimit", SOFT_REASON },
	{ "google policy size", "aspmx.l.google.com", "a@example.com",
	    "452-4.5.3 Domain policy size per transaction exceeded, "
	    "please try this recipient in a separate transaction. - "
	    "gsmtp",
	    "exceedlimit", SOFT_REASON },
	{ "google too many recipients", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "452-4.5.3 Your message has too many recipients. For more "
	    "information regarding Google's sending limits, go to "
	    "Limits for sending & getting email. - gsmtp",
	    "exceedlimit", SOFT_REASON },
	{ "google recipients per sender", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "550 5.5.3 Too many recipients for this sender. - gsmtp",
	    "exceedlimit", SOFT_REASON },
	{ "google security issue", "gmail-smtp-in.l.google.com", "a@gmail.com",
	    "552-5.7.0 This message was blocked because its content "
	    "presents a potential security issue. - gsmtp",
	    "policyviolation", HARD_PERMANENT },
	{ "google policy prohibits", "aspmx.l.google.com", "a@example.com",
	    "550-5.7.1 The user or domain that you are sending to (or "
	    "from) has a policy that prohibits the email that you sent. "
	    "- gsmtp",
	    "policyviolation", HARD_PERMANENT },
	{ "google relay denied", "smtp-relay.gmail.com", "a@example.com",
	    "550-5.7.0 Email relay denied 192.0.2.7. The sending email "
	    "account has been temporarily suspended due to abuse. - "
	    "gsmtp",
	    "norelaying", HARD_PERMANENT },
	{ "google relay credentials", "smtp-relay.gmail.com", "a@example.com",
	    "550-5.7.1 Invalid credentials for relay 192.0.2.7. The IP "
	    "address you've registered in your Workspace SMTP Relay "
	    "service doesn't match the domain of the account this email "
	    "is being sent from. - gsmtp",
	    "norelaying", HARD_PERMANENT },
	{ "google identity", "smtp.google.com", "a@example.com",
	    "503 5.7.0 No identity changes permitted. - gsmtp",
	    "securityerror", HARD_PERMANENT },
	{ "google unauthenticated commands", "smtp.google.com", "a@example.com",
	    "554 5.7.0 Too many unauthenticated commands. - gsmtp",
	    "securityerror", HARD_PERMANENT },
	{ "google login attempts", "smtp.google.com", "a@example.com",
	    "454 4.7.0 Too many login attempts, please try again later. "
	    "- gsmtp",
	    "securityerror", SOFT_TEMPORARY },
	{ "google password", "smtp.google.com", "a@example.com",
	    "535-5.7.8 Username and Password not accepted. - gsmtp",
	    "securityerror", HARD_PERMANENT },
	{ "google app password", "smtp.google.com", "a@example.com",
	    "534-5.7.9 Application-specific password required. - gsmtp",
	    "securityerror", HARD_PERMANENT },
	{ "google web browser", "smtp.google.com", "a@example.com",
	    "534-5.7.14 Please log in through your web browser and then "
	    "try again. - gsmtp",
	    "securityerror", HARD_PERMANENT },
	{ "google auth type", "smtp.google.com", "a@example.com",
	    "504 5.7.4 Unrecognized authentication type. - gsmtp",
	    "securityerror", HARD_PERMANENT },
	{ "google system problem", "aspmx.l.google.com", "a@example.com",
	    "421 4.3.0 Temporary System Problem. Try again later. - "
	    "gsmtp",
	    "systemerror", SOFT_REASON },
	{ "google temporarily rejected", "aspmx.l.google.com", "a@example.com",
	    "451 4.3.0 Email server has temporarily rejected this "
	    "message. - gsmtp",
	    "systemerror", SOFT_REASON },
	{ "google server busy", "aspmx.l.google.com", "a@example.com",
	    "421 4.4.5 Server busy, try again later. - gsmtp",
	    "systemerror", SOFT_REASON },
	{ "google timeout", "aspmx.l.google.com", "a@example.com",
	    "451 4.4.2 Timeout - closing connection. - gsmtp",
	    "networkerror", SOFT_REASON },
	{ "google connection expired", "aspmx.l.google.com", "a@example.com",
	    "421 4.7.0 Connection expired, try reconnecting. - gsmtp",
	    "networkerror", GRAY_GOOGLE },
	{ "google hops", "aspmx.l.google.com", "a@example.com",
	    "554 5.4.6 Message exceeded 50 hops, this may indicate an "
	    "email loop. - gsmtp",
	    "networkerror", SOFT_REASON },
	{ "google protocol violation", "aspmx.l.google.com", "a@example.com",
	    "451 4.5.0 SMTP protocol violation, see RFC 5321. - gsmtp",
	    "syntaxerror", SOFT_TEMPORARY },
	{ "google out of sequence", "aspmx.l.google.com", "a@example.com",
	    "503 5.5.1 RCPT first. An email transaction protocol "
	    "command was issued out of sequence. - gsmtp",
	    "syntaxerror", HARD_PERMANENT },
	{ "google bad sequence", "aspmx.l.google.com", "a@example.com",
	    "503 5.5.1 Bad sequence of commands. - gsmtp",
	    "syntaxerror", HARD_PERMANENT },
	{ "google unimplemented", "aspmx.l.google.com", "a@example.com",
	    "502 5.5.1 Unimplemented command. - gsmtp",
	    "syntaxerror", HARD_PERMANENT },
	{ "google decode", "aspmx.l.google.com", "a@example.com",
	    "501 5.5.2 Syntax error, cannot decode response. - gsmtp",
	    "syntaxerror", HARD_PERMANENT },
	/* Microsoft */
	{ "microsoft dbeb", "example-com.mail.protection.outlook.com", "a@example.com",
	    "550 5.4.1 Recipient address rejected: Access denied. "
	    "AS(201806281) "
	    "[DB5EUR03FT012.eop-EUR03.prod.protection.outlook.com] (in "
	    "reply to RCPT TO command)",
	    "userunknown", HARD_ADDRESS },
	{ "microsoft recipientnotfound", "example-com.mail.protection.outlook.com", "a@example.com",
	    "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient "
	    "a@example.com not found by SMTP address lookup",
	    "userunknown", HARD_ADDRESS },
	{ "microsoft exrecipnotfound", "outlook.office365.com", "a@example.com",
	    "550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found",
	    "userunknown", HARD_ADDRESS },
	{ "microsoft address lookup", "example-com.mail.protection.outlook.com", "a@example.com",
	    "550 5.1.1 Recipient not found by SMTP address lookup",
	    "userunknown", HARD_ADDRESS },
	{ "microsoft tenantattribution", "example-com.mail.protection.outlook.com", "a@example.com",
	    "550 5.7.64 TenantAttribution; Relay Access Denied "
	    "[AM4PEPF00027A6C.eurprd04.prod.outlook.com]",
	    "norelaying", HARD_PERMANENT },
	{ "microsoft non-accepted domain", "example-com.mail.protection.outlook.com", "a@example.com",
	    "550 5.7.54 SMTP; Unable to relay recipient in non-accepted "
	    "domain",
	    "norelaying", HARD_PERMANENT },
	{ "microsoft relay access denied", "example-com.mail.protection.outlook.com", "a@example.com",
	    "550 5.4.1 Relay Access Denied "
	    "[VI1EUR04FT041.eop-eur04.prod.protection.outlook.com]",
	    "norelaying", HARD_PERMANENT },
	{ "microsoft anonymous", "example-com.mail.protection.outlook.com", "a@example.com",
	    "530 5.7.57 Client not authenticated to send anonymous mail "
	    "during MAIL FROM "
	    "[AM6PR0732BE0065.eurprd07.prod.outlook.com]",
	    "securityerror", HARD_PERMANENT },
	{ "microsoft not authenticated by organization", "example-com.mail.protection.outlook.com", "a@example.com",
	    "550 5.7.12 The sender was not authenticated by "
	    "organization",
	    "securityerror", HARD_PERMANENT },
	{ "microsoft authrequired", "example-com.mail.protection.outlook.com", "group@example.com",
	    "550 5.7.1 RESOLVER.RST.AuthRequired; authentication "
	    "required [Stage: CreateMessage]",
	    "securityerror", HARD_PERMANENT },
	{ "microsoft allowed senders", "example-com.mail.protection.outlook.com", "group@example.com",
	    "550 5.7.124 Delivery restriction: Sender not in "
	    "allowed-senders list",
	    "rejected", HARD_PERMANENT },
	{ "microsoft bad outbound sender", "example-com.mail.protection.outlook.com", "a@example.com",
	    "550 5.1.8 Access denied, bad outbound sender",
	    "rejected", HARD_PERMANENT },
	{ "microsoft 5.7.509", "outlook-com.olc.protection.outlook.com", "a@outlook.com",
	    "550 5.7.509 Access denied, sending domain [EXAMPLE.NET] "
	    "does not pass DMARC verification and has a DMARC policy of "
	    "reject.",
	    "authfailure", HARD_PERMANENT },
	{ "microsoft dmarc verification", "example-com.mail.protection.outlook.com", "a@example.com",
	    "550 5.7.1 Message rejected: sending domain example.net "
	    "does not pass DMARC verification",
	    "authfailure", HARD_PERMANENT },
	{ "microsoft 5.7.515", "outlook-com.olc.protection.outlook.com", "a@hotmail.com",
	    "550 5.7.515 Access denied, sending domain EXAMPLE.NET "
	    "doesn't meet the required authentication level.",
	    "securityerror", HARD_PERMANENT },
	{ "microsoft 5.7.512", "example-com.mail.protection.outlook.com", "a@example.com",
	    "550 5.7.512 Access denied, message must be RFC 5322 "
	    "section 3.6.2 compliant and include a valid From address",
	    "notcompliantrfc", HARD_PERMANENT },
	{ "microsoft banned sending ip", "example-com.mail.protection.outlook.com", "a@example.com",
	    "550 5.7.606 Access denied, banned sending IP [192.0.2.6]. "
	    "To request removal from this list please visit "
	    "https://sender.office.com/ and follow the directions. "
	    "(AS16012609)",
	    "blocked", HARD_PERMANENT },
	{ "microsoft bad helo", "example-com.mail.protection.outlook.com", "a@example.com",
	    "550 5.7.506 Access Denied, Bad HELO [192.0.2.6]",
	    "blocked", HARD_PERMANENT },
	{ "microsoft banned sender", "example-com.mail.protection.outlook.com", "a@example.com",
	    "550 5.7.511 Access denied, banned sender[192.0.2.6]. To "
	    "request removal from this list, forward this message to "
	    "delist@microsoft.com.",
	    "blocked", HARD_PERMANENT },
	{ "microsoft customer block list", "example-com.mail.protection.outlook.com", "a@example.com",
	    "550 5.7.513 Service unavailable, Client host [192.0.2.6] "
	    "blocked by example.com using Customer Block list "
	    "(AS16012607)",
	    "blocked", HARD_PERMANENT },
	{ "microsoft tenant threshold", "example-com.mail.protection.outlook.com", "a@example.com",
	    "550 5.7.705 Access denied, tenant has exceeded threshold",
	    "blocked", HARD_PERMANENT },
	{ "microsoft unregistered domains", "example-com.mail.protection.outlook.com", "a@example.com",
	    "550 5.7.750 Service unavailable. Client blocked from "
	    "sending from unregistered domains",
	    "blocked", HARD_PERMANENT },
	{ "microsoft 5.7.708", "example-com.mail.protection.outlook.com", "a@example.com",
	    "550 5.7.708 Service unavailable. Access denied, traffic "
	    "not accepted from this IP. (AS7171)",
	    "badreputation", HARD_PERMANENT },
	{ "microsoft rejected by recipient", "example-com.mail.protection.outlook.com", "a@example.com",
	    "550 5.7.507 Access denied, rejected by recipient",
	    "filtered", HARD_PERMANENT },
	{ "microsoft permitted limits", "example-com.mail.protection.outlook.com", "a@example.com",
	    "550 5.7.508 Access denied, [192.0.2.6] has exceeded "
	    "permitted limits within 192.0.2.0/24 range",
	    "speeding", SOFT_REASON },
	{ "microsoft receive limit", "example-com.mail.protection.outlook.com", "a@example.com",
	    "550 5.2.122 The recipient has exceeded their limit for the "
	    "number of messages they can receive per hour: Recipient's "
	    "per hour message receive limit exceeded",
	    "speeding", SOFT_REASON },
	{ "microsoft daily recipients", "example-com.mail.protection.outlook.com", "a@example.com",
	    "550 5.1.90 Your message can't be sent because you've "
	    "reached your daily limit for message recipients",
	    "speeding", SOFT_REASON },
	{ "microsoft submission quota", "example-com.mail.protection.outlook.com", "a@example.com",
	    "554 5.2.2 mailbox full; "
	    "STOREDRV.Submission.Exception:SubmissionQuotaExceededException; "
	    "Failed to process message due to a permanent exception "
	    "with message: Submission quota exceeded",
	    "speeding", SOFT_REASON },
	{ "microsoft concurrent connections", "example-com.mail.protection.outlook.com", "a@example.com",
	    "421 4.3.2 The maximum number of concurrent connections has "
	    "exceeded a limit, closing transmission channel",
	    "toomanyconn", SOFT_REASON },
	{ "microsoft detected as spam", "example-com.mail.protection.outlook.com", "a@example.com",
	    "550 5.7.350 Remote server returned message detected as "
	    "spam",
	    "spamdetected", HARD_PERMANENT },
	{ "microsoft external forwarding", "example-com.mail.protection.outlook.com", "a@example.com",
	    "550 5.7.520 Access denied, Your organization does not "
	    "allow external forwarding. Please contact your "
	    "administrator for further assistance. AS(7555)",
	    "policyviolation", HARD_PERMANENT },
	{ "microsoft invalid mime", "example-com.mail.protection.outlook.com", "a@example.com",
	    "554 5.6.211 Invalid MIME Content: Single text value size "
	    "(32004) exceeded allowed maximum (32000) for the "
	    "'X-Example' header",
	    "contenterror", HARD_PERMANENT },
	{ "microsoft bare linefeeds", "example-com.mail.protection.outlook.com", "a@example.com",
	    "550 5.6.11 SMTPSEND.BareLinefeedsAreIllegal; message "
	    "contains bare linefeeds, which cannot be sent via DATA",
	    "contenterror", HARD_PERMANENT },
	{ "microsoft queue expired", "example-com.mail.protection.outlook.com", "a@example.com",
	    "550 4.4.7 QUEUE.Expired; message expired",
	    "expired", SOFT_REASON },
	{ "microsoft rp-001", "mx1.hotmail.com", "a@hotmail.com",
	    "421 RP-001 (BAY004-MC1F7) Unfortunately, some messages "
	    "from 192.0.2.1 weren't sent. Please try again. We have "
	    "limits for how many messages can be sent per hour and per "
	    "day.",
	    "badreputation", GRAY_DEFERRAL },
	{ "microsoft rp-002", "mx1.hotmail.com", "a@hotmail.com",
	    "421 RP-002 (COL004-MC3F8) Unfortunately, some messages "
	    "from 192.0.2.1 weren't sent. Please try again.",
	    "badreputation", GRAY_DEFERRAL },
	{ "microsoft rp-003", "mx1.hotmail.com", "a@hotmail.com",
	    "421 RP-003 (BAY004-MC4F14) Unfortunately, some messages "
	    "from 192.0.2.1 weren't sent. Please try again.",
	    "badreputation", GRAY_DEFERRAL },
	{ "microsoft sc-001", "mx1.hotmail.com", "a@hotmail.com",
	    "550 SC-001 (BAY004-MC1F21) Unfortunately, messages from "
	    "192.0.2.1 weren't sent. Please contact your Internet "
	    "service provider since part of their network is on our "
	    "block list.",
	    "blocked", HARD_PERMANENT },
	{ "microsoft sc-002", "mx1.hotmail.com", "a@hotmail.com",
	    "550 SC-002 (COL004-MC1F14) Mail rejected by Outlook.com "
	    "for policy reasons.",
	    "blocked", HARD_PERMANENT },
	{ "microsoft sc-003", "mx1.hotmail.com", "a@hotmail.com",
	    "550 SC-003 (BAY004-MC2F3) Mail rejected by Outlook.com for "
	    "policy reasons.",
	    "blocked", HARD_PERMANENT },
	{ "microsoft sc-004", "mx1.hotmail.com", "a@hotmail.com",
	    "550 SC-004 (COL0-MC1-F1) Unfortunately, messages from "
	    "192.0.2.1 weren't sent.",
	    "blocked", HARD_PERMANENT },
	{ "microsoft dy-001", "mx1.hotmail.com", "a@live.com",
	    "550 DY-001 (SNT004-MC1F14) Unfortunately, messages from "
	    "192.0.2.1 weren't sent. We generally do not accept email "
	    "from dynamic IP's.",
	    "blocked", HARD_PERMANENT },
	{ "microsoft dy-002", "mx1.hotmail.com", "a@live.com",
	    "550 DY-002 (COL004-MC2F20) Unfortunately, messages from "
	    "192.0.2.1 weren't sent.",
	    "blocked", HARD_PERMANENT },
	{ "microsoft ou-001", "mx1.hotmail.com", "a@msn.com",
	    "550 OU-001 (SNT004-MC1F14) Unfortunately, messages from "
	    "192.0.2.1 weren't sent.",
	    "blocked", HARD_PERMANENT },
	{ "microsoft ou-002", "mx1.hotmail.com", "a@msn.com",
	    "550 OU-002 (COL004-MC1F24) Unfortunately, messages from "
	    "192.0.2.1 weren't sent.",
	    "blocked", HARD_PERMANENT },
	{ "microsoft s3150", "outlook-com.olc.protection.outlook.com", "a@outlook.com",
	    "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't "
	    "sent. Please contact your Internet service provider since "
	    "part of their network is on our block list (S3150). You "
	    "can also refer your provider to "
	    "http://mail.live.com/mail/troubleshooting.aspx#errors.",
	    "blocked", HARD_PERMANENT },
	{ "microsoft s3140", "outlook-com.olc.protection.outlook.com", "a@outlook.com",
	    "550 5.7.1 Service unavailable, Client host [192.0.2.1] "
	    "blocked using Spamhaus (S3140)",
	    "blocked", HARD_PERMANENT },
	{ "microsoft unfortunately", "outlook-com.olc.protection.outlook.com", "a@outlook.com",
	    "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't "
	    "sent. Please contact your Internet service provider.",
	    "blocked", HARD_PERMANENT },
	{ "microsoft 4.7.650", "outlook-com.olc.protection.outlook.com", "a@outlook.com",
	    "451 4.7.650 The mail server [192.0.2.25] has been "
	    "temporarily rate limited due to IP reputation. For e-mail "
	    "delivery information, see https://postmaster.live.com "
	    "(S775) [Name=Protocol Filter Agent]",
	    "badreputation", GRAY_MICROSOFT },
	{ "microsoft 4.7.651", "outlook-com.olc.protection.outlook.com", "a@outlook.com",
	    "451 4.7.651 The mail server [192.0.2.25] has been "
	    "temporarily rate limited (S843)",
	    "badreputation", GRAY_MICROSOFT },
	{ "microsoft rate limited reputation", "outlook-com.olc.protection.outlook.com", "a@outlook.com",
	    "451 4.7.0 The mail server [192.0.2.25] has been "
	    "temporarily rate limited due to IP reputation.",
	    "badreputation", GRAY_MICROSOFT },
	{ "microsoft 4.7.500", "example-com.mail.protection.outlook.com", "a@example.com",
	    "451 4.7.500 Server busy. Please try again later from "
	    "[192.0.2.25]. (AS77712344)",
	    "badreputation", GRAY_MICROSOFT },
	/* Yahoo Inc. (Yahoo, AOL) */
	{ "yahoo dd", "mta7.am0.yahoodns.net", "nobody@yahoo.com",
	    "554 delivery error: dd This user doesn't have a yahoo.com "
	    "account (nobody@yahoo.com) [0] - "
	    "mta1012.mail.bf1.yahoo.com",
	    "userunknown", HARD_ADDRESS },
	{ "yahoo discontinued", "mta7.am0.yahoodns.net", "a@yahoo.com",
	    "554 delivery error: dd Sorry, your message to a@yahoo.com "
	    "cannot be delivered. This mailbox has been disabled or "
	    "discontinued [-6] - mta1123.mail.gq1.yahoo.com",
	    "suspend", HARD_ADDRESS },
	{ "yahoo tss09", "mta7.am0.yahoodns.net", "a@yahoo.com",
	    "553 5.7.2 [TSS09] All messages from 192.0.2.9 will be "
	    "permanently deferred; Retrying will NOT succeed. See "
	    "https://senders.yahooinc.com/smtp-error-codes",
	    "blocked", HARD_PERMANENT },
	{ "yahoo ts03", "mta7.am0.yahoodns.net", "a@yahoo.com",
	    "553 5.7.1 [TS03] All messages from 192.0.2.9 will be "
	    "permanently deferred; Retrying will NOT succeed.",
	    "blocked", GRAY_YAHOO_REPUTATION },
	{ "yahoo permanently deferred", "mta7.am0.yahoodns.net", "a@yahoo.com",
	    "421 4.7.1 Messages from 192.0.2.9 permanently deferred; "
	    "Retrying will NOT succeed.",
	    "blocked", SOFT_TEMPORARY },
	{ "yahoo bl21", "mta7.am0.yahoodns.net", "a@yahoo.com",
	    "553 5.7.1 [BL21] Connections will not be accepted from "
	    "192.0.2.21, because the ip is in Spamhaus's list; see "
	    "https://senders.yahooinc.com/smtp-error-codes",
	    "blocked", GRAY_YAHOO_REPUTATION },
	{ "yahoo unknown recipients", "mta7.am0.yahoodns.net", "a@yahoo.com",
	    "451 VS1-IP Excessive unknown recipients - possible Open "
	    "Relay (#4.1.8)",
	    "blocked", SOFT_TEMPORARY },
	{ "yahoo ph01", "mta7.am0.yahoodns.net", "a@yahoo.com",
	    "554 5.7.9 [PH01] Email not accepted for policy reasons. "
	    "Please visit https://senders.yahooinc.com/smtp-error-codes",
	    "policyviolation", GRAY_YAHOO_REPUTATION },
	{ "yahoo policy reasons", "mx-aol.mail.gm0.yahoodns.net", "a@aol.com",
	    "554 5.7.9 Message not accepted for policy reasons. See "
	    "https://senders.yahooinc.com/smtp-error-codes",
	    "policyviolation", GRAY_YAHOO_REPUTATION },
	{ "yahoo unresolvable", "mta7.am0.yahoodns.net", "a@yahoo.com",
	    "451 Message temporarily deferred due to unresolvable "
	    "RFC.5321 from domain; see "
	    "https://senders.yahooinc.com/smtp-error-codes",
	    "rejected", SOFT_TEMPORARY },
	{ "yahoo tss04", "mta7.am0.yahoodns.net", "a@yahoo.com",
	    "421 4.7.0 [TSS04] Messages from 192.0.2.4 temporarily "
	    "deferred due to unexpected volume or user complaints - "
	    "4.16.55.1; see "
	    "https://senders.yahooinc.com/smtp-error-codes",
	    "badreputation", GRAY_YAHOO_DEFERRAL },
	{ "yahoo ts01", "mta7.am0.yahoodns.net", "a@yahoo.com",
	    "421 4.7.0 [TS01] Messages from 192.0.2.4 temporarily "
	    "deferred due to user complaints - 4.16.55.1",
	    "badreputation", GRAY_YAHOO_DEFERRAL },
	{ "yahoo temporarily deferred", "mta7.am0.yahoodns.net", "a@yahoo.com",
	    "421 Message temporarily deferred - 4.16.50",
	    "badreputation", GRAY_DEFERRAL },
	{ "yahoo resources", "mta7.am0.yahoodns.net", "a@yahoo.com",
	    "451 Resources temporarily unavailable. Please try again "
	    "later [#4.16.1]",
	    "systemerror", SOFT_REASON },
	{ "aol dns:nr", "mailin-01.mx.aol.com", "a@aol.com",
	    "554- (DNS:NR) "
	    "http://postmaster.info.aol.com/errors/554dnsnr.html",
	    "requireptr", HARD_PERMANENT },
	{ "aol rtr:bb", "mailin-01.mx.aol.com", "a@aol.com",
	    "554- (RTR:BB) The IP address you are using to connect to "
	    "AOL is a dynamic (residential) IP address.",
	    "blocked", HARD_PERMANENT },
	{ "aol dyn:t1", "mailin-01.mx.aol.com", "a@aol.com",
	    "421 DYN:T1 "
	    "http://postmaster.info.aol.com/errors/421dynt1.html",
	    "blocked", SOFT_TEMPORARY },
	{ "aol rly:b1", "mailin-01.mx.aol.com", "a@aol.com",
	    "554- (RLY:B1) The IP address you are using to connect to "
	    "AOL is blocked.",
	    "blocked", HARD_PERMANENT },
	{ "aol recipient domain uses the yahoo table", "", "a@aol.com",
	    "554 delivery error: dd This user doesn't have a aol.com "
	    "account (a@aol.com) [0]",
	    "userunknown", HARD_ADDRESS },
	/* Apple */
	{ "apple inactive", "mx01.mail.icloud.com", "a@icloud.com",
	    "550 5.1.1 <a@icloud.com>: inactive email address (in reply "
	    "to RCPT TO command)",
	    "userunknown", HARD_ADDRESS },
	{ "apple over quota", "mx02.mail.icloud.com", "a@icloud.com",
	    "552 5.2.2 <a@icloud.com>: user is over quota (in reply to "
	    "RCPT TO command)",
	    "mailboxfull", SOFT_REASON },
	{ "apple local policy", "mx01.mail.icloud.com", "a@me.com",
	    "554 5.7.1 [HM08] Message rejected due to local policy. "
	    "Please visit https://support.apple.com/en-us/HT204137",
	    "policyviolation", HARD_PERMANENT },
	{ "apple proofpoint", "mx01.mail.icloud.com", "a@mac.com",
	    "550 5.7.0 Blocked - see "
	    "https://ipcheck.proofpoint.com/?ip=192.0.2.17",
	    "blocked", HARD_PERMANENT },
	/* Orange */
	{ "orange ofr004_104", "smtp-in.orange.fr", "a@orange.fr",
	    "421 mwinf5c10 ME Trop de connexions, veuillez verifier "
	    "votre configuration. Too many connections, slow down. "
	    "OFR004_104 [104]",
	    "toomanyconn", SOFT_REASON },
	{ "orange ofr005_505", "smtp-in.orange.fr", "a@orange.fr",
	    "421 4.2.0 Service refuse. Veuillez essayer plus tard. "
	    "Service refused, please try later. OFR005_505 [505]",
	    "systemerror", SOFT_REASON },
	{ "orange ofr006_102", "smtp-in.orange.fr", "a@orange.fr",
	    "550 mwinf5c04 ME Adresse IP source bloquee pour incident "
	    "de spam. Client host blocked for spamming issues. "
	    "OFR006_102 Ref "
	    "http://csi.cloudmark.com/reset-request/?ip=192.0.2.2 [102]",
	    "blocked", HARD_PERMANENT },
	{ "orange ofr_506", "smtp-in.orange.fr", "a@orange.fr",
	    "550 5.2.0 Mail rejete. Mail rejected. ofr_506 [506]",
	    "spamdetected", HARD_PERMANENT },
	{ "orange ofr_999", "smtp-in.orange.fr", "a@orange.fr",
	    "421 mwinf5c77 ME Service refuse. Veuillez essayer plus "
	    "tard. Service refused, please try later. OFR_999 [999]",
	    "blocked", SOFT_TEMPORARY },
	{ "orange slow down", "smtp-in.orange.fr", "a@wanadoo.fr",
	    "421 mwinf5c10 ME Trop de connexions, veuillez verifier "
	    "votre configuration. Too many connections, slow down.",
	    "toomanyconn", SOFT_REASON },
	{ "orange ip bloquee", "smtp-in.orange.fr", "a@wanadoo.fr",
	    "550 mwinf5c04 ME Adresse IP source bloquee pour incident "
	    "de spam.",
	    "blocked", HARD_PERMANENT },
	{ "orange mail rejete", "smtp-in.orange.fr", "a@wanadoo.fr",
	    "550 5.2.0 Mail rejete. Mail rejected.",
	    "spamdetected", HARD_PERMANENT },
	{ "orange invalid recipient", "smtp-in.orange.fr", "a@orange.fr",
	    "550 5.1.1 Adresse d au moins un destinataire invalide. "
	    "Invalid recipient.",
	    "userunknown", HARD_ADDRESS },
	{ "orange overquota", "smtp-in.orange.fr", "a@orange.fr",
	    "552 5.1.1 Boite du destinataire pleine. Recipient "
	    "overquota.",
	    "mailboxfull", SOFT_REASON },
	{ "orange account blocked", "smtp-in.orange.fr", "a@orange.fr",
	    "550 5.5.0 Le compte du destinataire est bloque. The "
	    "recipient account is blocked.",
	    "suspend", HARD_ADDRESS },
	/* La Poste */
	{ "laposte lpn007_416", "smtpz4.laposte.net", "a@laposte.net",
	    "550 5.5.0 Adresse destinataire invalide. Invalid "
	    "recipient. LPN007_416",
	    "userunknown", HARD_ADDRESS },
	{ "laposte lpn007_426", "smtpz4.laposte.net", "a@laposte.net",
	    "550 5.5.0 Le compte du destinataire est bloque. The "
	    "recipient account is blocked. LPN007_426",
	    "suspend", HARD_ADDRESS },
	{ "laposte lpn001_108", "smtpz4.laposte.net", "a@laposte.net",
	    "550 5.5.0 Service refuse. Veuillez essayer plus tard. "
	    "service refused, please try later. LPN001_108",
	    "blocked", HARD_PERMANENT },
	{ "laposte lpn000_630", "smtpz4.laposte.net", "a@laposte.net",
	    "554 5.7.1 <mail.example.net[192.0.2.3]:49309>: Client host "
	    "rejected: #216 lpn LPN000_630",
	    "policyviolation", HARD_PERMANENT },
	/* GoDaddy */
	{ "godaddy ib101", "smtp.secureserver.net", "a@example.com",
	    "421 Server temporarily unavailable. Try again later. IB101",
	    "systemerror", SOFT_REASON },
	{ "godaddy ib212", "smtp.secureserver.net", "a@example.com",
	    "552 5.2.0 This message has been rejected due to content "
	    "judged to be spam by the internet community IB212",
	    "spamdetected", HARD_PERMANENT },
	{ "godaddy ib401", "smtp.secureserver.net", "a@example.com",
	    "535 Authentication not allowed on IBSMTP Servers. IB401",
	    "securityerror", HARD_PERMANENT },
	{ "godaddy ib501", "smtp.secureserver.net", "a@example.com",
	    "550 a@example.com Blank From: addresses are not allowed. "
	    "Provide a valid From. IB501",
	    "notcompliantrfc", HARD_PERMANENT },
	{ "godaddy ib502", "smtp.secureserver.net", "a@example.com",
	    "550 a@example.com IP addresses are not allowed as a From: "
	    "Address. Provide a valid From. IB502",
	    "notcompliantrfc", HARD_PERMANENT },
	{ "godaddy ib506", "smtp.secureserver.net", "a@example.com",
	    "550 5.2.0 <b@example.net> From: Domain is invalid. Please "
	    "provide a valid From: IB506",
	    "rejected", HARD_PERMANENT },
	{ "godaddy ib508", "smtp.secureserver.net", "a@example.com",
	    "550 b@example.net Invalid SPF record. Inspect your SPF "
	    "settings, and try again. IB508",
	    "authfailure", HARD_PERMANENT },
	{ "godaddy ib607", "smtp.secureserver.net", "a@example.com",
	    "550 5.1.1 <a@example.com> - 192.0.2.7 has sent to too many "
	    "recipients this hour. IB607 <http://x.co/rlbounce>",
	    "speeding", SOFT_REASON },
	{ "godaddy ib705", "smtp.secureserver.net", "a@example.com",
	    "552 5.2.0 Virus infected message rejected. IB705",
	    "virusdetected", HARD_PERMANENT },
	/* Cox */
	{ "cox cxbl", "cxr.mx.a.cloudfilter.net", "a@cox.net",
	    "554 cox.net ESMTP ... blocked. Refer to Error Codes "
	    "section at "
	    "https://www.cox.com/residential/support/email-error-codes.html "
	    "for more information. AUP#CXBL",
	    "blocked", HARD_PERMANENT },
	{ "cox cdrbl", "cxr.mx.a.cloudfilter.net", "a@cox.net",
	    "550 5.1.0 <bounce@example.net> sender rejected. Refer to "
	    "Error Codes section at "
	    "https://www.cox.com/residential/support/email-error-codes.html "
	    "for more information. AUP#CDRBL",
	    "blocked", HARD_PERMANENT },
	{ "cox ipbl", "cxr.mx.a.cloudfilter.net", "a@cox.net",
	    "554 ESMTP not available. Refer to Error Codes section. "
	    "AUP#IPBL0001",
	    "blocked", HARD_PERMANENT },
	{ "cox urlbl", "cxr.mx.a.cloudfilter.net", "a@cox.net",
	    "552 5.7.0 Message rejected. Refer to Error Codes section. "
	    "AUP#URLBL1011",
	    "spamdetected", HARD_PERMANENT },
	{ "cox cxdns", "cxr.mx.a.cloudfilter.net", "a@cox.net",
	    "554 ESMTP not available. There was an issue with the "
	    "connecting IP address DNS. AUP#CXDNS",
	    "requireptr", HARD_PERMANENT },
	{ "cox cxsndr", "cxr.mx.a.cloudfilter.net", "a@cox.net",
	    "550 5.1.0 <bounce@example.net> sender rejected. There was "
	    "a problem with the sender's domain. AUP#CXSNDR",
	    "rejected", HARD_PERMANENT },
	{ "cox cxmj", "cxr.mx.a.cloudfilter.net", "a@cox.net",
	    "550 Email sending blocked due to suspicious account "
	    "activity on primary Cox account. AUP#CXMJ",
	    "blocked", HARD_PERMANENT },
	{ "cox cxcnct", "cxr.mx.a.cloudfilter.net", "a@cox.net",
	    "421 cmsmtp blocked. Refer to Error Codes section. "
	    "AUP#CXCNCT",
	    "toomanyconn", SOFT_REASON },
	{ "cox cxmxrt", "cxr.mx.a.cloudfilter.net", "a@cox.net",
	    "452 Too many messages. Refer to Error Codes section. "
	    "AUP#CXMXRT",
	    "speeding", GRAY_DEFERRAL },
	/* Spectrum */
	{ "spectrum in-1310", "mx0.charter.net", "a@charter.net",
	    "550 5.1.0 <bounce@example.net> sender rejected. Please see "
	    "https://www.spectrum.net/support/internet/understanding-email-error-codes "
	    "for more information. AUP#In-1310",
	    "toomanyconn", SOFT_REASON },
	{ "spectrum i-1010", "dnvrco-cmimta15.rr.com", "a@example.rr.com",
	    "554 dnvrco-cmimta15 esmtp ESMTP server not available "
	    "AUP#I-1010",
	    "blocked", HARD_PERMANENT },
	/* Tencent */
	{ "tencent mailbox not found", "mx3.qq.com", "nobody@qq.com",
	    "550 Mailbox not found. "
	    "http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000728 "
	    "(in reply to RCPT TO command)",
	    "userunknown", HARD_ADDRESS },
	{ "tencent access denied", "mx3.qq.com", "a@qq.com",
	    "550 Mailbox unavailable or access denied "
	    "[MJa7Qx0F5qcLVuXyFB4jNWHOk0ELdJbEQg==] (in reply to RCPT "
	    "TO command)",
	    "speeding", SOFT_REASON },
	{ "tencent rejected by recipients", "mx3.qq.com", "a@qq.com",
	    "550 Mail is rejected by recipients "
	    "[MJa7Qx0F5qcLVuXyFB4jNWHOk0ELdJbEQg== IP: 192.0.2.22]. "
	    "http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000727",
	    "filtered", HARD_PERMANENT },
	{ "tencent content denied", "mx3.qq.com", "a@qq.com",
	    "550 Mail content denied. "
	    "http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000726",
	    "spamdetected", HARD_PERMANENT },
	{ "tencent spam sender", "mx3.qq.com", "a@foxmail.com",
	    "550 Suspected spam sender. "
	    "http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000729",
	    "blocked", HARD_PERMANENT },
	{ "tencent frequency", "mx3.qq.com", "a@qq.com",
	    "550 Domain frequency limited. "
	    "http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000722",
	    "toomanyconn", SOFT_REASON },
	{ "tencent dmarc", "mx3.qq.com", "a@qq.com",
	    "550 DMARC check failed. "
	    "http://service.mail.qq.com/cgi-bin/help?subtype=1&&no=1001508&&id=16.",
	    "authfailure", HARD_PERMANENT },
	/* Mimecast */
	{ "mimecast host network", "us-smtp-inbound-1.mimecast.com", "a@example.com",
	    "554 Host network not allowed - "
	    "https://community.mimecast.com/docs/DOC-1369#554 "
	    "[AbCdEfGh.us1]",
	    "policyviolation", HARD_PERMANENT },
	{ "mimecast spam signature", "service1.mimecast.com", "a@example.com",
	    "554 email rejected due to security policies - "
	    "MCSpamSignature.sa.2.2 (in reply to end of DATA command)",
	    "virusdetected", HARD_PERMANENT },
	{ "mimecast envelope blocked", "eu-smtp-inbound-1.mimecast.com", "a@example.com",
	    "550 Envelope blocked - User Entry - "
	    "https://community.mimecast.com/docs/DOC-1369#550 "
	    "[AbCdEfGh.uk1]",
	    "rejected", HARD_PERMANENT },
	{ "mimecast blocked senders", "eu-smtp-inbound-1.mimecast.com", "a@example.com",
	    "550 Rejected by header based Blocked Senders - Block "
	    "policy for Header From - "
	    "https://community.mimecast.com/docs/DOC-1369#550 "
	    "[AbCd.uk1]",
	    "rejected", HARD_PERMANENT },
	{ "mimecast anti-spoofing", "eu-smtp-inbound-1.mimecast.com", "a@example.com",
	    "550 Rejected by header based Anti-Spoofing policy: "
	    "a@example.com - "
	    "https://community.mimecast.com/docs/DOC-1369#550 "
	    "[AbCd.uk1]",
	    "policyviolation", HARD_PERMANENT },
	{ "mimecast sender blocked", "eu-smtp-inbound-1.mimecast.com", "a@example.com",
	    "421 Sender address blocked - "
	    "https://community.mimecast.com/docs/DOC-1369#421 "
	    "[AbCd.uk1]",
	    "blocked", SOFT_TEMPORARY },
	{ "mimecast internal resource", "za-smtp-inbound-1.mimecast.co.za", "a@example.co.za",
	    "451 Internal resource temporarily unavailable - "
	    "https://community.mimecast.com/docs/DOC-1369#451 "
	    "[AbCd.za1]",
	    "systemerror", SOFT_REASON },
	{ "mimecast busy", "eu-smtp-inbound-1.mimecast.com", "a@example.com",
	    "421 Unable to process connection at this time - "
	    "https://community.mimecast.com/docs/DOC-1369#421",
	    "systemerror", SOFT_REASON },
	/* Zoho */
	{ "zoho policy violation", "smtpin.zoho.com", "a@zoho.com",
	    "554 5.7.7 Email policy violation detected (in reply to end "
	    "of DATA command)",
	    "securityerror", HARD_PERMANENT },
	{ "zoho flagged as spam", "smtpin.zoho.com", "a@zoho.com",
	    "554 5.7.1 Email cannot be delivered. Reason: Email flagged "
	    "as Spam. (in reply to RCPT TO command)",
	    "securityerror", HARD_PERMANENT },
	{ "zoho destination domain", "mx.zoho.eu", "a@example.eu",
	    "541 5.4.1 Mail rejected by destination domain (in reply to "
	    "RCPT TO command)",
	    "onhold", HARD_PERMANENT },
	{ "zoho user does not exist", "mx.zoho.com", "a@zohomail.com",
	    "550 5.1.1 User does not exist - <a@zohomail.com> (in reply "
	    "to RCPT TO command)",
	    "userunknown", HARD_ADDRESS },
	{ "zoho relaying", "mx.zoho.in", "a@example.in",
	    "553 Relaying disallowed. Invalid Domain - b@example.net",
	    "norelaying", HARD_PERMANENT },
	/* KDDI */
	{ "kddi address unknown", "msmx.au.com", "a@au.com",
	    "550 <a@au.com>: User unknown (in reply to RCPT TO command)",
	    "userunknown", HARD_ADDRESS },
	{ "kddi filter refusal", "lsean.ezweb.ne.jp", "a@ezweb.ne.jp",
	    "550 : User unknown",
	    "filtered", HARD_PERMANENT },
	{ "kddi mailbox full", "lsean.ezweb.ne.jp", "a@biz.ezweb.ne.jp",
	    "552 The message could not be delivered to "
	    "a@biz.ezweb.ne.jp as their mailbox is full.",
	    "mailboxfull", SOFT_REASON },
	{ "kddi over quota", "lsean.ezweb.ne.jp", "a@ezweb.ne.jp",
	    "452 The user(s) account is temporarily over quota.",
	    "mailboxfull", SOFT_REASON },
	/* NTT docomo */
	{ "docomo refusal after data", "mfsmax.docomo.ne.jp", "a@docomo.ne.jp",
	    "host mfsmax.docomo.ne.jp[192.0.2.40] said: 550 Unknown "
	    "user a@docomo.ne.jp (in reply to end of DATA command)",
	    "rejected", HARD_PERMANENT },
	{ "docomo refusal reported as 5.2.0", "mfsmax.docomo.ne.jp",
	    "a@docomo.ne.jp",
	    "550 5.2.0 Unknown user a@docomo.ne.jp",
	    "filtered", HARD_PERMANENT },
	{ "docomo too much mail data", "mfsmax.docomo.ne.jp", "a@docomo.ne.jp",
	    "552 Too much mail data a@docomo.ne.jp (in reply to end of "
	    "DATA command)",
	    "mailboxfull", SOFT_REASON },
	/* Cloudflare */
	{ "cloudflare upstream", "route1.mx.cloudflare.net", "a@example.com",
	    "421 4.3.0 Upstream error, please check "
	    "https://developers.cloudflare.com/email-routing/postmaster "
	    "for possible reasons why. AbCdEf1234 (in reply to end of "
	    "DATA command)",
	    "onhold", SOFT_TEMPORARY },
	{ "cloudflare rbl", "route2.mx.cloudflare.net", "a@example.com",
	    "554 <192.0.2.33> found on one or more RBLs (abusixip). "
	    "Refer to "
	    "https://developers.cloudflare.com/email-routing/postmaster/#realtime-block-lists",
	    "blocked", HARD_PERMANENT },
	/* MessageLabs */
	{ "messagelabs smtp auth", "cluster1.eu.messagelabs.com", "a@example.com",
	    "550-Please turn on SMTP Authentication in your mail "
	    "client. 550 mail.example.net (192.0.2.15) is not permitted "
	    "to relay through this server without authentication.",
	    "securityerror", HARD_PERMANENT },
	{ "messagelabs connection policy", "cluster1.us.messagelabs.com", "a@example.com",
	    "501 Connection rejected by policy [7.7] 20805, please "
	    "visit www.messagelabs.com/support for more details about "
	    "this error message.",
	    "blocked", HARD_PERMANENT },
	/* Facebook */
	{ "facebook rcp-p1", "mx.facebook.com", "a@facebook.com",
	    "550 5.1.1 RCP-P1 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#rcp "
	    "Recipient address does not exist",
	    "userunknown", HARD_ADDRESS },
	{ "facebook rcp-p2", "mx.facebook.com", "a@facebook.com",
	    "550 5.1.1 RCP-P2 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#rcp "
	    "Refused due to recipient preferences",
	    "filtered", HARD_PERMANENT },
	{ "facebook rcp-p3", "mx.facebook.com", "a@facebook.com",
	    "550 5.1.1 RCP-P3 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#rcp "
	    "The recipient's privacy settings blocked the delivery",
	    "filtered", HARD_PERMANENT },
	{ "facebook rcp-t1", "mx.facebook.com", "a@facebook.com",
	    "450 4.2.0 RCP-T1 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#rcp "
	    "The attempted recipient address is not currently available",
	    "systemerror", SOFT_REASON },
	{ "facebook int-p1", "mx.facebook.com", "a@facebook.com",
	    "550 5.1.1 INT-P1 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#int "
	    "The attempted recipient address does not exist",
	    "userunknown", HARD_ADDRESS },
	{ "facebook int-p2", "mx.facebook.com", "a@facebook.com",
	    "552 5.3.4 INT-P2 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#int "
	    "The message exceeds Facebook's maximum allowed size",
	    "mesgtoobig", SOFT_REASON },
	{ "facebook int-p3", "mx.facebook.com", "a@facebook.com",
	    "550 5.1.1 INT-P3 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#int "
	    "The attempted recipient group address does not exist",
	    "userunknown", HARD_ADDRESS },
	{ "facebook int-p4", "mx.facebook.com", "a@facebook.com",
	    "550 5.1.1 INT-P4 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#int "
	    "The attempted recipient address does not exist",
	    "userunknown", HARD_ADDRESS },
	{ "facebook int-p7", "mx.facebook.com", "a@facebook.com",
	    "552 5.2.2 INT-P7 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#int "
	    "The attempted recipient has exceeded their storage quota",
	    "mailboxfull", SOFT_REASON },
	{ "facebook int-t", "mx.facebook.com", "a@facebook.com",
	    "451 4.3.0 INT-T3 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#int "
	    "Temporary internal error",
	    "systemerror", SOFT_REASON },
	{ "facebook msg-p1", "mx.facebook.com", "a@facebook.com",
	    "552 5.3.4 MSG-P1 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#msg "
	    "The message exceeds Facebook's maximum allowed size",
	    "mesgtoobig", SOFT_REASON },
	{ "facebook msg-p2", "mx.facebook.com", "a@facebook.com",
	    "550 5.6.1 MSG-P2 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#msg "
	    "The message contains an attachment type that Facebook does "
	    "not accept",
	    "contenterror", HARD_PERMANENT },
	{ "facebook msg-p3", "mx.facebook.com", "a@facebook.com",
	    "550 5.6.0 MSG-P3 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#msg "
	    "The message contains multiple instances of a header field "
	    "that can only be present once",
	    "notcompliantrfc", HARD_PERMANENT },
	{ "facebook pol-p1", "mx.facebook.com", "a@facebook.com",
	    "554 5.7.1 POL-P1 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#pol "
	    "Your mail server's IP Address is listed on the Spamhaus "
	    "PBL",
	    "blocked", HARD_PERMANENT },
	{ "facebook pol-p2", "mx.facebook.com", "a@facebook.com",
	    "554 5.7.1 POL-P2 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#pol "
	    "Facebook will no longer accept mail from your mail "
	    "server's IP Address",
	    "blocked", HARD_PERMANENT },
	{ "facebook pol-p3", "mx.facebook.com", "a@facebook.com",
	    "554 5.7.1 POL-P3 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#pol "
	    "Facebook is not accepting messages from your mail server. "
	    "This will persist for 4 to 8 hours",
	    "blocked", HARD_PERMANENT },
	{ "facebook pol-p4", "mx.facebook.com", "a@facebook.com",
	    "554 5.7.1 POL-P4 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#pol "
	    "Facebook is not accepting messages from your mail server. "
	    "This will persist for 24 to 48 hours",
	    "blocked", HARD_PERMANENT },
	{ "facebook pol-p5", "mx.facebook.com", "a@facebook.com",
	    "554 5.7.1 POL-P5 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#pol "
	    "The message contains a virus",
	    "virusdetected", HARD_PERMANENT },
	{ "facebook pol-p6", "mx.facebook.com", "a@facebook.com",
	    "554 5.7.1 POL-P6 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#pol "
	    "The message contains a url that has been blocked by "
	    "Facebook",
	    "spamdetected", HARD_PERMANENT },
	{ "facebook pol-p7", "mx.facebook.com", "a@facebook.com",
	    "554 5.7.1 POL-P7 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#pol "
	    "The message does not comply with Facebook's Domain "
	    "Authentication requirements",
	    "authfailure", HARD_PERMANENT },
	{ "facebook pol-p8", "mx.facebook.com", "a@facebook.com",
	    "554 5.7.1 POL-P8 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#pol "
	    "The message does not comply with Facebook's abuse policies "
	    "and will not be accepted",
	    "policyviolation", HARD_PERMANENT },
	{ "facebook pol-t", "mx.facebook.com", "a@facebook.com",
	    "450 4.7.1 POL-T1 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#pol "
	    "Facebook is not accepting messages from your mail server, "
	    "but they may be retried later",
	    "blocked", SOFT_TEMPORARY },
	{ "facebook dns-p1", "mx.facebook.com", "a@facebook.com",
	    "550 5.1.8 DNS-P1 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#dns "
	    "Your SMTP MAIL FROM domain does not exist",
	    "rejected", HARD_PERMANENT },
	{ "facebook dns-p2", "mx.facebook.com", "a@facebook.com",
	    "550 5.1.8 DNS-P2 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#dns "
	    "Your SMTP MAIL FROM domain does not have an MX record",
	    "rejected", HARD_PERMANENT },
	{ "facebook dns-p3", "mx.facebook.com", "a@facebook.com",
	    "550 5.7.1 DNS-P3 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#dns "
	    "Your mail server does not have a reverse DNS record",
	    "requireptr", HARD_PERMANENT },
	{ "facebook dns-t1", "mx.facebook.com", "a@facebook.com",
	    "450 4.1.8 DNS-T1 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#dns "
	    "Your SMTP MAIL FROM domain exists but does not currently "
	    "resolve",
	    "rejected", SOFT_TEMPORARY },
	{ "facebook dns-t2", "mx.facebook.com", "a@facebook.com",
	    "450 4.7.1 DNS-T2 "
	    "http://postmaster.facebook.com/response_codes?ip=192.0.2.54#dns "
	    "You mail server's reverse DNS record does not currently "
	    "resolve",
	    "requireptr", SOFT_TEMPORARY },
};

/* Rows a case decided, by index into bnc_rhost_rows[]. */
#define MAX_ROWS 1024
static bool covered[MAX_ROWS];

static size_t
fold(const char *s, char *out, size_t cap)
{
	size_t n = 0;
	bool sp = false;

	for (; *s && n + 2 < cap; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			sp = true;
			continue;
		}
		if (sp && n)
			out[n++] = ' ';
		sp = false;
		out[n++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
	}
	out[n] = '\0';
	return n;
}

static void
run_case(const struct rcase *c)
{
	struct bnc_arena a;
	struct bnc_rcpt_facts r;
	struct bnc_verdict_in in;
	struct bnc_verdict v;
	const struct bnc_rhost_row *row;
	const char *provider, *reason;
	char text[2048], command[16], status[16], got[128];
	size_t n;

	bnc_arena_init(&a, 0);
	memset(&r, 0, sizeof(r));
	r.recipient = bnc_str_c(c->recipient);
	r.remote_mta = bnc_str_c(c->remote);
	r.diagnostic = bnc_str_c(c->reply);
	r.diag_type = bnc_str_c("smtp");
	bnc_rcpt_fill_from_diagnostic(&r, &a);
	r.action = bnc_str_c(r.reply_code.len && r.reply_code.ptr[0] == '4' ?
	    "delayed" : "failed");

	provider = bnc_provider_detect(r.recipient, r.remote_mta,
	    r.diagnostic);
	CHECK_TRUE(c->name, "a provider is recognised", provider[0] != '\0');

	/* The deciding row: the provider's table, this text, this
	 * command and status. */
	snprintf(status, sizeof(status), "%.*s", (int)r.status.len,
	    r.status.ptr ? r.status.ptr : "");
	snprintf(command, sizeof(command), "%.*s", (int)r.smtp_command.len,
	    r.smtp_command.ptr ? r.smtp_command.ptr : "");
	snprintf(text, sizeof(text), "%.*s", (int)r.diagnostic.len,
	    r.diagnostic.ptr);
	n = fold(text, text, sizeof(text));
	row = bnc_rhost_find(provider, command, status, text, n);
	if (row == NULL) {
		CHECK_FAIL(c->name, "table row", "a row of the provider");
	} else {
		CHECK_STR(c->name, "row reason", row->reason, c->reason);
		if ((size_t)(row - bnc_rhost_rows) < MAX_ROWS)
			covered[row - bnc_rhost_rows] = true;
	}

	reason = bnc_reason_detect(&r, BNC_KIND_BOUNCE, provider, NULL, &a);
	CHECK_STR(c->name, "reason", reason, c->reason);

	/* The verdict, from the status as a record reports it. */
	if (r.status.len == 0 && r.reply_code.len == 3)
		snprintf(status, sizeof(status), "%c.0.0", r.reply_code.ptr[0]);
	else if (r.status.len == 0)
		snprintf(status, sizeof(status), "5.0.0");
	memset(&in, 0, sizeof(in));
	in.kind = BNC_KIND_BOUNCE;
	in.reason = reason;
	in.provider = provider;
	in.status = bnc_str_c(status);
	in.reply_code = r.reply_code;
	in.action = r.action;
	in.diagnostic = r.diagnostic;
	in.profile = BNC_PROFILE_DEFAULT;
	memset(&v, 0, sizeof(v));
	bnc_classify(&v, &in);
	snprintf(got, sizeof(got), "%s %s %s", bnc_class_name(v.cls),
	    bnc_action_name(v.action), v.rule ? v.rule : "(null)");
	CHECK_STR(c->name, "verdict", got, c->verdict);
	bnc_arena_deinit(&a);
}

static void
test_cases(void)
{
	size_t i;

	CHECK_TRUE("bnc_rhost_rows", "fits the coverage map",
	    bnc_rhost_rows_count <= MAX_ROWS);
	for (i = 0; i < H_NELEM(cases); i++)
		run_case(&cases[i]);
	/* A row no case decides is a row nobody has seen work. */
	for (i = 0; i < bnc_rhost_rows_count && i < MAX_ROWS; i++) {
		char name[160];
		snprintf(name, sizeof(name), "row %zu %s \"%s\"", i,
		    bnc_rhost_rows[i].provider, bnc_rhost_rows[i].phrase);
		CHECK_TRUE(name, "decided by a test case", covered[i]);
	}
}

/* Rows are well formed: a known reason, a lower-case phrase, a command
 * in upper case or none. */
static void
test_rows(void)
{
	size_t i;
	const char *p;

	for (i = 0; i < bnc_rhost_rows_count; i++) {
		const struct bnc_rhost_row *row = &bnc_rhost_rows[i];
		bool lower = row->phrase[0] != '\0';

		for (p = row->phrase; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				lower = false;
		CHECK_TRUE(row->phrase, "reason known",
		    bnc_reason_known(row->reason));
		CHECK_TRUE(row->phrase, "phrase lower case", lower);
		CHECK_TRUE(row->phrase, "provider named",
		    row->provider[0] != '\0');
		for (p = row->command; *p; p++)
			CHECK_TRUE(row->phrase, "command upper case",
			    *p >= 'A' && *p <= 'Z');
		for (p = row->status; *p; p++)
			CHECK_TRUE(row->phrase, "status digits and dots",
			    (*p >= '0' && *p <= '9') || *p == '.');
	}
}

/* What the tables must not do. */
static void
test_limits(void)
{
	static const char docomo[] = "550 unknown user a@docomo.ne.jp";
	const struct bnc_rhost_row *row;

	/* A row needs its provider. */
	CHECK_STR("empty provider", "reason",
	    bnc_rhost_reason("", "", "", "s3150", 5), NULL);
	CHECK_STR("null provider", "reason",
	    bnc_rhost_reason(NULL, NULL, NULL, "s3150", 5), NULL);
	CHECK_STR("other provider", "reason",
	    bnc_rhost_reason("google", "", "", "s3150", 5), NULL);
	CHECK_STR("unknown provider", "reason",
	    bnc_rhost_reason("no-such-provider", "", "", "s3150", 5), NULL);
	/* AOL is read with Yahoo's table. */
	CHECK_STR("aol table", "name", bnc_rhost_table("aol"), "yahoo");
	CHECK_STR("google table", "name", bnc_rhost_table("google"), "google");
	/* docomo's "Unknown user" is a refusal only after DATA. */
	row = bnc_rhost_find("nttdocomo", "DATA", "5.0.0", docomo,
	    strlen(docomo));
	CHECK_STR("docomo after DATA", "reason", row ? row->reason : NULL,
	    "rejected");
	row = bnc_rhost_find("nttdocomo", "data", "", docomo, strlen(docomo));
	CHECK_STR("docomo, command in lower case", "reason",
	    row ? row->reason : NULL, "rejected");
	CHECK_STR("docomo at RCPT", "reason", bnc_rhost_reason("nttdocomo",
	    "RCPT", "5.0.0", docomo, strlen(docomo)), NULL);
	CHECK_STR("docomo, command unknown", "reason", bnc_rhost_reason(
	    "nttdocomo", "", "", docomo, strlen(docomo)), NULL);
	CHECK_STR("docomo, command NULL", "reason", bnc_rhost_reason(
	    "nttdocomo", NULL, NULL, docomo, strlen(docomo)), NULL);
	/* ... unless the report puts it on the mailbox (X.2.0). */
	CHECK_STR("docomo, 5.2.0 after DATA", "reason", bnc_rhost_reason(
	    "nttdocomo", "DATA", "5.2.0", docomo, strlen(docomo)),
	    "filtered");
	CHECK_STR("docomo, 5.2.0, command unknown", "reason",
	    bnc_rhost_reason("nttdocomo", "", "5.2.0", docomo,
	    strlen(docomo)), "filtered");
	CHECK_STR("empty text", "reason",
	    bnc_rhost_reason("microsoft", "", "", "", 0), NULL);
}

static void
test_explain(void)
{
	static const struct {
		const char *name, *reply, *remote, *reason;
	} rows[] = {
		{ "orange code", "550 mwinf ME Adresse IP source bloquee. "
		    "OFR006_102 Ref", "smtp-in.orange.fr", "blocked" },
		{ "microsoft S3150", "550 5.7.1 Unfortunately, messages from "
		    "[192.0.2.1] weren't sent. (S3150)",
		    "mx1.hotmail.com", "blocked" },
		{ "tencent frequency", "550 Connection frequency limited",
		    "mx3.qq.com", "toomanyconn" },
		{ "same words elsewhere decide nothing special",
		    "550 Connection frequency limited", "mx.example.net",
		    "toomanyconn" },
		{ "yahoo dd", "554 delivery error: dd This user doesn't have "
		    "a yahoo.com account (a@yahoo.com) [0]",
		    "mta6.am0.yahoodns.net", "userunknown" },
		{ "godaddy IB501 elsewhere is no code",
		    "550 5.7.1 message IB501 refused", "mx.example.net",
		    "blocked" },
	};
	struct bnc_ctx *ctx;
	size_t i;

	if (bnc_ctx_new(&ctx, NULL) != 0) {
		CHECK_FAIL("ctx", "error", "a context");
		return;
	}
	for (i = 0; i < H_NELEM(rows); i++) {
		struct bnc_report *rep;
		if (bnc_explain(&rep, ctx, rows[i].reply, strlen(rows[i].reply),
		    rows[i].remote, NULL) != 0) {
			CHECK_FAIL(rows[i].name, "error", "a report");
			continue;
		}
		CHECK_STR(rows[i].name, "reason",
		    bnc_report_record(rep, 0)->reason, rows[i].reason);
		bnc_report_free(rep);
	}
	bnc_ctx_free(ctx);
}

int
main(void)
{
	test_cases();
	test_rows();
	test_limits();
	test_explain();
	return h_done("test_rhost");
}

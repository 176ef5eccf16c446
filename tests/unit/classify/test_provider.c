/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_provider.c - src/classify/provider.c: the mailbox provider from
 * the remote MTA's host name first, then the recipient's domain, then a
 * host name in the diagnostic; look-alike names are no match.
 */
#include "classify/provider.h"
#include "harness.h"

static void
test_detect(void)
{
	static const struct {
		const char *name, *recipient, *remote, *diagnostic, *want;
	} rows[] = {
		{ "gmail mx", "a@example.com", "gmail-smtp-in.l.google.com", "",
		    "google" },
		{ "host with trailing dot", "a@example.com",
		    "gmail-smtp-in.l.google.com.", "", "google" },
		{ "office 365 host", "a@example.org",
		    "example-org.mail.protection.outlook.com", "", "microsoft" },
		{ "hotmail mx", "a@example.net", "mx1.hotmail.com", "",
		    "microsoft" },
		{ "yahoo mx", "a@example.net", "mta7.am0.yahoodns.net", "",
		    "yahoo" },
		{ "upper-case host", "a@example.net", "MTA5.AM0.YAHOODNS.NET", "",
		    "yahoo" },
		{ "aol mx", "a@example.net", "mx-aol.mail.gm0.yahoodns.net", "",
		    "yahoo" },
		{ "icloud mx", "a@example.net", "mx01.mail.icloud.com", "",
		    "apple" },
		{ "bare suffix host", "", "google.com", "", "google" },
		{ "gmail recipient", "x@gmail.com", "", "", "google" },
		{ "gmail recipient upper case", "x@GMail.COM", "", "", "google" },
		{ "hotmail.co.uk recipient", "x@hotmail.co.uk", "", "",
		    "microsoft" },
		{ "outlook.com recipient", "x@outlook.com", "", "", "microsoft" },
		{ "live.com recipient", "x@live.com", "", "", "microsoft" },
		{ "msn recipient", "x@msn.com", "", "", "microsoft" },
		{ "yahoo.co.jp recipient", "x@yahoo.co.jp", "", "", "yahoo" },
		{ "aol recipient", "x@aol.com", "", "", "aol" },
		{ "icloud recipient", "x@icloud.com", "", "", "apple" },
		{ "host beats recipient domain", "x@gmail.com",
		    "example-com.mail.protection.outlook.com", "", "microsoft" },
		{ "unknown host falls back to domain", "x@gmail.com",
		    "mx.example.net", "", "google" },
		{ "host named in the diagnostic", "a@example.com", "",
		    "host gmail-smtp-in.l.google.com[192.0.2.27] said: 550 5.1.1",
		    "google" },
		{ "look-alike host", "a@example.com", "mx.evilgoogle.com", "",
		    "" },
		{ "look-alike domain", "a@notgmail.com", "", "", "" },
		{ "gmail as a subdomain label", "a@gmail.com.example.net", "", "",
		    "" },
		{ "look-alike in the diagnostic", "a@example.com", "",
		    "relay mx.notgoogle.com refused", "" },
		{ "nothing known", "a@example.com", "mx.example.com",
		    "550 5.1.1 unknown", "" },
		{ "all empty", "", "", "", "" },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++)
		CHECK_STR(rows[i].name, "provider", bnc_provider_detect(
		    bnc_str_c(rows[i].recipient), bnc_str_c(rows[i].remote),
		    bnc_str_c(rows[i].diagnostic)), rows[i].want);
}

int
main(void)
{
	test_detect();
	return h_done("test_provider");
}

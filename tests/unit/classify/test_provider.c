/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_provider.c - src/classify/provider.c: the mailbox provider from
 * the remote MTA's host name first, then the recipient's domain, then a
 * host name in the diagnostic; look-alike names are no match.
 */
#include <stdint.h>

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
		{ "yahoo's postmaster site in the diagnostic", "a@example.com",
		    "", "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily "
		    "deferred; see https://postmaster.yahooinc.com/error-codes",
		    "yahoo" },
		{ "yahooinc.com look-alike", "a@example.com", "",
		    "see https://postmaster.notyahooinc.com/", "" },
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

/* A small deterministic generator (xorshift64): the same cases on
 * every run. */
static struct h_rng rng = { 0x9e3779b97f4a7c15ull };

/* A name or text made of pieces of the tables' names, look-alikes,
 * labels, digits and separators, in any case. */
static void
random_text(char *out, size_t size, unsigned pieces)
{
	static const char *const piece[] = { "google.com", "googlemail.com",
		"gmail.com", "protection.outlook.com", "outlook.", "outlook.com",
		"hotmail.", "hotmail.co.uk", "live.", "msn.com", "yahoo.",
		"yahoodns.net", "yahooinc.com", "yahoo.co.jp", "aol.",
		"aol.com", "icloud.com", "me.com", "mac.com", "orange.fr", "qq.com", "exmail.qq.com",
		"ezweb.ne.jp", "au.com", "rr.com", "twc.com", "att.net",
		"gmx.", "gmx.net", "web.de", "mail.ru", "yandex.", "yandex.ru",
		"zoho.com.au", "mimecast.co.za", "mx.cloudflare.net", "fb.com",
		"free.fr", "sfr.fr", "evil", "not", "mx", "mx1", "l", "example",
		"ne.jp", "co", "uk", "com", "net", "192.0.2.1", "5.1.1", "x" };
	static const char sep[] = ". .-]@[.:;,..\n";
	size_t n = 0;
	unsigned k;

	for (k = 0; k < pieces && n + 40 < size; k++) {
		const char *p = piece[h_rnd(&rng, H_NELEM(piece))];
		size_t i;
		for (i = 0; p[i]; i++)
			out[n++] = h_rnd(&rng, 8) == 0 && p[i] >= 'a' &&
			    p[i] <= 'z' ?
			    (char)(p[i] - 'a' + 'A') : p[i];
		if (h_rnd(&rng, 3) == 0)
			out[n++] = sep[h_rnd(&rng, sizeof(sep) - 1)];
		else if (h_rnd(&rng, 4) == 0)
			out[n++] = (char)('a' + h_rnd(&rng, 26));
	}
	out[n] = '\0';
}

/* The indexed look-up against the plain scan of the tables. */
static void
test_plain(void)
{
	unsigned i, diff = 0;

	for (i = 0; i < 300000; i++) {
		char rcpt[256], host[256], diag[512];
		const char *got, *want;
		size_t at;

		random_text(host, sizeof(host), 1 + h_rnd(&rng, 4));
		random_text(rcpt + 2, sizeof(rcpt) - 2, 1 + h_rnd(&rng, 3));
		rcpt[0] = 'a';
		rcpt[1] = '@';
		random_text(diag, sizeof(diag), h_rnd(&rng, 12));
		/* Sometimes no host, no recipient or a bare domain. */
		if (h_rnd(&rng, 3) == 0)
			host[0] = '\0';
		at = h_rnd(&rng, 4) == 0 ? 2 : 0;
		got = bnc_provider_detect(bnc_str_c(rcpt + at), bnc_str_c(host),
		    bnc_str_c(diag));
		want = bnc_provider_detect_plain(bnc_str_c(rcpt + at),
		    bnc_str_c(host), bnc_str_c(diag));
		if (strcmp(got, want) != 0 && diff++ < 5) {
			CHECK_STR(host, "provider", got, want);
			printf("  recipient %s diagnostic %s\n", rcpt + at,
			    diag);
		}
	}
	CHECK_INT("indexed look-up", "answers unlike the plain scan", diff,
	    0);
}

/* Every row of both tables decides a name it should: a host under
 * each host suffix, and a recipient at each domain (under a ".suffix"
 * row, in a TLD for a "prefix." row, the name itself for an exact
 * one), with nothing else known. A row shadowed by an earlier one with
 * another provider fails here. */
static void
test_rows(void)
{
	const char *pattern, *provider;
	char name[160];
	size_t i, n = 0;

	for (i = 0; bnc_provider_row(false, i, &pattern, &provider); i++) {
		snprintf(name, sizeof(name), "mx1%s", pattern);
		CHECK_STR(name, "host row", bnc_provider_detect(
		    bnc_str_c("a@example.com"), bnc_str_c(name),
		    bnc_str_c("")), provider);
		n++;
	}
	for (i = 0; bnc_provider_row(true, i, &pattern, &provider); i++) {
		size_t len = strlen(pattern);
		if (pattern[0] == '.')
			snprintf(name, sizeof(name), "a@sub%s", pattern);
		else if (pattern[len - 1] == '.')
			snprintf(name, sizeof(name), "a@%sde", pattern);
		else
			snprintf(name, sizeof(name), "a@%s", pattern);
		CHECK_STR(name, "domain row", bnc_provider_detect(
		    bnc_str_c(name), bnc_str_c(""), bnc_str_c("")), provider);
		n++;
	}
	/* The walk reached the rows (both tables hold dozens). */
	CHECK_INT("rows", "rows walked > 100", n > 100, 1);
}

int
main(void)
{
	test_detect();
	test_rows();
	test_plain();
	return h_done("test_provider");
}

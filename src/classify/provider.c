/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * provider.c - provider tables. Host rows match a host name's suffix;
 * domain rows match the recipient's domain exactly, by a label prefix
 * ("hotmail." matches hotmail.co.uk) or by a suffix (".ezweb.ne.jp"
 * matches biz.ezweb.ne.jp).
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "provider.h"

struct row {
	const char *pattern;	/* ".suffix" (hosts, subdomains), "prefix."
				 * for domains in all TLDs, or an exact
				 * name */
	const char *provider;
};

/* Remote MTA host names (suffixes). */
static const struct row hosts[] = {
	{ ".google.com", "google" }, { ".googlemail.com", "google" },
	{ ".gmail.com", "google" },
	{ ".protection.outlook.com", "microsoft" },
	{ ".outlook.com", "microsoft" }, { ".hotmail.com", "microsoft" },
	{ ".messaging.microsoft.com", "microsoft" },
	{ ".yahoodns.net", "yahoo" }, { ".yahoo.com", "yahoo" },
	{ ".yahoo.co.jp", "yahoo" }, { ".aol.com", "aol" },
	{ ".icloud.com", "apple" }, { ".me.com", "apple" },
	{ ".mac.com", "apple" }, { ".orange.fr", "orange" },
	{ ".wanadoo.fr", "orange" }, { ".secureserver.net", "godaddy" },
	{ ".cox.net", "cox" }, { ".charter.net", "spectrum" },
	{ ".rr.com", "spectrum" }, { ".spectrum.net", "spectrum" },
	{ ".qq.com", "tencent" }, { ".exmail.qq.com", "tencent" },
	{ ".mimecast.com", "mimecast" }, { ".zoho.com", "zoho" },
	{ ".zohomail.com", "zoho" }, { ".ezweb.ne.jp", "kddi" },
	{ ".au.com", "kddi" }, { ".docomo.ne.jp", "nttdocomo" },
	{ ".mx.cloudflare.net", "cloudflare" },
	{ ".messagelabs.com", "messagelabs" },
	{ ".facebook.com", "facebook" }, { ".fb.com", "facebook" },
	{ ".mail.ru", "mailru" }, { ".yandex.net", "yandex" },
	{ ".yandex.ru", "yandex" }, { ".gmx.net", "gmx" },
	{ ".web.de", "webde" }, { ".amazonses.com", "amazonses" },
	{ ".laposte.net", "laposte" }, { ".cloudflare.com", "cloudflare" },
	{ ".cloudfilter.net", "cox" }, { ".free.fr", "free" },
	{ ".sfr.fr", "sfr" }, { ".office365.com", "microsoft" },
	{ ".appleid.com", "apple" }, { ".twc.com", "spectrum" },
	{ ".zoho.eu", "zoho" }, { ".zoho.in", "zoho" },
	{ ".zoho.com.au", "zoho" }, { ".mimecast.co.za", "mimecast" },
	{ ".mimecast-offshore.com", "mimecast" },
	/* Yahoo's replies point to its postmaster site there. */
	{ ".yahooinc.com", "yahoo" },
};

/* Recipient domains. */
static const struct row domains[] = {
	{ "gmail.com", "google" }, { "googlemail.com", "google" },
	{ "outlook.", "microsoft" }, { "hotmail.", "microsoft" },
	{ "live.", "microsoft" }, { "msn.com", "microsoft" },
	{ "yahoo.", "yahoo" }, { "ymail.com", "yahoo" },
	{ "rocketmail.com", "yahoo" }, { "aol.", "aol" },
	{ "aim.com", "aol" }, { "icloud.com", "apple" },
	{ "me.com", "apple" }, { "mac.com", "apple" },
	{ "orange.fr", "orange" }, { "wanadoo.fr", "orange" },
	{ "cox.net", "cox" }, { "charter.net", "spectrum" },
	{ "qq.com", "tencent" }, { "foxmail.com", "tencent" },
	{ "zoho.com", "zoho" }, { "zohomail.com", "zoho" },
	{ "ezweb.ne.jp", "kddi" }, { "au.com", "kddi" },
	{ "docomo.ne.jp", "nttdocomo" }, { "mail.ru", "mailru" },
	{ "yandex.", "yandex" }, { "gmx.", "gmx" }, { "web.de", "webde" },
	{ "laposte.net", "laposte" }, { "free.fr", "free" },
	{ "sfr.fr", "sfr" },
	/* Subdomains of a provider's own domains. */
	{ ".ezweb.ne.jp", "kddi" }, { "uqmobile.jp", "kddi" },
	{ ".qq.com", "tencent" }, { ".rr.com", "spectrum" },
	{ "rr.com", "spectrum" }, { "twc.com", "spectrum" },
	{ "roadrunner.com", "spectrum" }, { "spectrum.net", "spectrum" },
	{ "facebook.com", "facebook" },
	/* AT&T's consumer domains are hosted on Yahoo's platform. */
	{ "att.net", "yahoo" }, { "sbcglobal.net", "yahoo" },
	{ "bellsouth.net", "yahoo" }, { "ameritech.net", "yahoo" },
	{ "pacbell.net", "yahoo" }, { "prodigy.net", "yahoo" },
	{ "swbell.net", "yahoo" }, { "flash.net", "yahoo" },
	{ "snet.net", "yahoo" }, { "nvbell.net", "yahoo" },
};

#define NHOSTS (sizeof(hosts) / sizeof(hosts[0]))
#define NDOMAINS (sizeof(domains) / sizeof(domains[0]))

/* The patterns' lengths, measured once: every record asks. */
static size_t host_len[NHOSTS], domain_len[NDOMAINS];
static pthread_once_t len_once = PTHREAD_ONCE_INIT;

static void
measure(void)
{
	size_t i;

	for (i = 0; i < NHOSTS; i++)
		host_len[i] = strlen(hosts[i].pattern);
	for (i = 0; i < NDOMAINS; i++)
		domain_len[i] = strlen(domains[i].pattern);
}

static const char *
by_host_plain(struct bnc_str host)
{
	size_t i;

	host = bnc_str_trim(host);
	while (host.len && (host.ptr[host.len - 1] == '.' ||
	    host.ptr[host.len - 1] == ']'))
		host.len--;
	for (i = 0; i < NHOSTS; i++) {
		const char *p = hosts[i].pattern;
		size_t n = host_len[i];
		/* Both tests need the last bytes to agree: most rows
		 * fail there. */
		if (host.len > 0 && n > 1 && bnc_lower((unsigned char)
		    host.ptr[host.len - 1]) != bnc_lower((unsigned char)p[n - 1]))
			continue;
		if (bnc_str_iends(host, p) || bnc_str_ieq(host, p + 1))
			return hosts[i].provider;
	}
	return NULL;
}

static const char *
by_domain_plain(struct bnc_str domain)
{
	size_t i;

	for (i = 0; i < NDOMAINS; i++) {
		const char *p = domains[i].pattern;
		size_t n = domain_len[i];
		/* Cheap refusals first: a suffix row needs the last byte,
		 * a prefix row the first, an exact row the length. */
		if (p[0] == '.' ? domain.len < n || bnc_lower((unsigned char)
		    domain.ptr[domain.len - 1]) != bnc_lower((unsigned char)
		    p[n - 1]) : p[n - 1] == '.' ? domain.len < n ||
		    bnc_lower((unsigned char)domain.ptr[0]) !=
		    bnc_lower((unsigned char)p[0]) : domain.len != n)
			continue;
		if (p[0] == '.' ? bnc_str_iends(domain, p) :
		    p[n - 1] == '.' ? bnc_str_istarts(domain, p) :
		    bnc_str_ieq(domain, p))
			return domains[i].provider;
	}
	return NULL;
}

/* Dots looked at in a diagnostic; one with more names no provider. */
#define MAX_DOTS 256

/* The rows as bit sets, made once with the lengths: for each byte,
 * the host rows whose pattern ends with it, the domain rows that must
 * end (suffix rows) or start (prefix rows) with it, the exact domain
 * rows of each length, and the host rows whose pattern's second byte
 * (the one after the dot) it is. A row is tried only when its bit is
 * set, in table order (the lowest bit first), so the first row that
 * matches is the one the table scan finds. */
#define WORDS(n) (((n) + 63) / 64)
#define HW WORDS(NHOSTS)
#define DW WORDS(NDOMAINS)
#define MAX_EXACT 64
static uint64_t host_last[256][HW], host_second[256][HW];
static uint64_t dom_last[256][DW], dom_first[256][DW];
static uint64_t dom_exact[MAX_EXACT][DW];

static void
build_index(void)
{
	size_t i;

	for (i = 0; i < NHOSTS; i++) {
		const unsigned char *p = (const unsigned char *)hosts[i].pattern;
		size_t n = host_len[i];
		uint64_t bit = (uint64_t)1 << (i % 64);

		if (n > 1) {
			host_last[bnc_lower(p[n - 1])][i / 64] |= bit;
			host_second[bnc_lower(p[1])][i / 64] |= bit;
		} else {
			/* Never refused by its last byte: every byte. */
			unsigned c;
			for (c = 0; c < 256; c++)
				host_last[c][i / 64] |= bit;
		}
	}
	for (i = 0; i < NDOMAINS; i++) {
		const unsigned char *p =
		    (const unsigned char *)domains[i].pattern;
		size_t n = domain_len[i];
		uint64_t bit = (uint64_t)1 << (i % 64);

		if (p[0] == '.')
			dom_last[bnc_lower(p[n - 1])][i / 64] |= bit;
		else if (p[n - 1] == '.')
			dom_first[bnc_lower(p[0])][i / 64] |= bit;
		else if (n < MAX_EXACT)
			dom_exact[n][i / 64] |= bit;
	}
}

static void
measure_all(void)
{
	measure();
	build_index();
}
static pthread_once_t index_once = PTHREAD_ONCE_INIT;

/* bnc_str_iends(s, p) for a pattern of n bytes (host_len[],
 * domain_len[]): no strlen(). */
static inline bool
ends_n(struct bnc_str s, const char *p, size_t n)
{
	return s.len >= n &&
	    bnc_str_ieq_n(bnc_str_make(s.ptr + s.len - n, n), p);
}

static const char *
by_host(struct bnc_str host)
{
	size_t w;

	host = bnc_str_trim(host);
	while (host.len && (host.ptr[host.len - 1] == '.' ||
	    host.ptr[host.len - 1] == ']'))
		host.len--;
	if (host.len == 0)
		return NULL;	/* no row matches an empty name */
	for (w = 0; w < HW; w++) {
		uint64_t m = host_last[bnc_lower((unsigned char)
		    host.ptr[host.len - 1])][w];
		for (; m; m &= m - 1) {
			size_t i = w * 64 + (size_t)__builtin_ctzll(m);
			const char *p = hosts[i].pattern;
			if (ends_n(host, p, host_len[i]) ||
			    bnc_str_ieq(host, p + 1))
				return hosts[i].provider;
		}
	}
	return NULL;
}

static const char *
by_domain(struct bnc_str domain)
{
	size_t w;

	if (domain.len == 0)
		return NULL;	/* every row has a byte to match */
	for (w = 0; w < DW; w++) {
		uint64_t m = dom_last[bnc_lower((unsigned char)
		    domain.ptr[domain.len - 1])][w] |
		    dom_first[bnc_lower((unsigned char)domain.ptr[0])][w] |
		    (domain.len < MAX_EXACT ? dom_exact[domain.len][w] : 0);
		for (; m; m &= m - 1) {
			size_t i = w * 64 + (size_t)__builtin_ctzll(m);
			const char *p = domains[i].pattern;
			size_t n = domain_len[i];
			if (p[0] == '.' ? ends_n(domain, p, n) :
			    p[n - 1] == '.' ? bnc_str_istarts(domain, p) :
			    bnc_str_ieq(domain, p))
				return domains[i].provider;
		}
	}
	return NULL;
}

const char *
bnc_provider_detect(struct bnc_str recipient, struct bnc_str remote_mta,
    struct bnc_str diagnostic)
{
	const char *p, *at;
	size_t i, k, w, dots[MAX_DOTS], ndots;
	uint64_t found[HW];
	size_t first[NHOSTS];

	pthread_once(&index_once, measure_all);

	if (remote_mta.len && (p = by_host(remote_mta)) != NULL)
		return p;
	at = recipient.len ? memchr(recipient.ptr, '@', recipient.len) : NULL;
	if (at != NULL) {
		p = by_domain(bnc_str_from(recipient,
		    (size_t)(at - recipient.ptr) + 1));
		if (p != NULL)
			return p;
	}
	/* Host names the diagnostic mentions ("mx.google.com said: ...").
	 * Every pattern starts with '.': the dots of the text are found
	 * (a text with MAX_DOTS of them is a strange one: no guess), and
	 * at each the rows whose second byte follows it are tried; a row
	 * keeps its first match, and the rows that matched are judged in
	 * table order, as the plain scan would. */
	ndots = 0;
	for (i = 1; i < diagnostic.len && ndots < MAX_DOTS; i++) {
		const char *dot = memchr(diagnostic.ptr + i, '.',
		    diagnostic.len - i);
		if (dot == NULL)
			break;
		i = (size_t)(dot - diagnostic.ptr);
		dots[ndots++] = i;
	}
	if (ndots == MAX_DOTS || ndots == 0)
		return "";
	memset(found, 0, sizeof(found));
	for (k = 0; k < ndots; k++) {
		struct bnc_str from;
		if (dots[k] + 1 >= diagnostic.len)
			continue;
		from = bnc_str_from(diagnostic, dots[k]);
		for (w = 0; w < HW; w++) {
			uint64_t m = host_second[bnc_lower((unsigned char)
			    diagnostic.ptr[dots[k] + 1])][w] & ~found[w];
			for (; m; m &= m - 1) {
				size_t r = w * 64 + (size_t)__builtin_ctzll(m);
				if (bnc_str_istarts(from, hosts[r].pattern)) {
					found[w] |= (uint64_t)1 << (r % 64);
					first[r] = dots[k];
				}
			}
		}
	}
	for (w = 0; w < HW; w++) {
		uint64_t m = found[w];
		for (; m; m &= m - 1) {
			size_t r = w * 64 + (size_t)__builtin_ctzll(m);
			size_t end = first[r] + host_len[r];
			unsigned char next = end < diagnostic.len ?
			    (unsigned char)diagnostic.ptr[end] : ' ';
			if (!bnc_is_alpha(next) && !bnc_is_digit(next) &&
			    next != '-' && !(next == '.' &&
			    end + 1 < diagnostic.len &&
			    bnc_is_alpha((unsigned char)diagnostic.ptr[end + 1])))
				return hosts[r].provider;
		}
	}
	return "";
}

bool
bnc_provider_row(bool domain_table, size_t i, const char **pattern,
    const char **provider)
{
	const struct row *r;

	if (i >= (domain_table ? NDOMAINS : NHOSTS))
		return false;
	r = domain_table ? &domains[i] : &hosts[i];
	*pattern = r->pattern;
	*provider = r->provider;
	return true;
}

/* The same answers by scanning the tables row by row: what the
 * indexes above must agree with (tests/unit/classify). */
const char *
bnc_provider_detect_plain(struct bnc_str recipient, struct bnc_str remote_mta,
    struct bnc_str diagnostic)
{
	const char *p, *at;
	size_t i, dots[MAX_DOTS], ndots;
	uint64_t after[4];

	pthread_once(&len_once, measure);

	if (remote_mta.len && (p = by_host_plain(remote_mta)) != NULL)
		return p;
	at = recipient.len ? memchr(recipient.ptr, '@', recipient.len) : NULL;
	if (at != NULL) {
		p = by_domain_plain(bnc_str_from(recipient,
		    (size_t)(at - recipient.ptr) + 1));
		if (p != NULL)
			return p;
	}
	/* Host names the diagnostic mentions ("mx.google.com said: ...").
	 * Every pattern starts with '.', so only the dots of the text are
	 * candidates: found once, then each pattern in table order at its
	 * first occurrence, as a plain search would find it. */
	ndots = 0;
	memset(after, 0, sizeof(after));
	for (i = 1; i < diagnostic.len && ndots < MAX_DOTS; i++) {
		const char *dot = memchr(diagnostic.ptr + i, '.',
		    diagnostic.len - i);
		if (dot == NULL)
			break;
		i = (size_t)(dot - diagnostic.ptr);
		dots[ndots++] = i;
		/* The bytes that follow a dot: a pattern whose second
		 * byte is none of them occurs nowhere. */
		if (i + 1 < diagnostic.len) {
			unsigned char c = bnc_lower((unsigned char)
			    diagnostic.ptr[i + 1]);
			after[c / 64] |= (uint64_t)1 << (c % 64);
		}
	}
	if (ndots == MAX_DOTS)
		ndots = 0;	/* a strange text: no guess */
	for (i = 0; i < NHOSTS && ndots; i++) {
		size_t plen = host_len[i], k, end;
		unsigned char next, c1 = (unsigned char)hosts[i].pattern[1];

		if (!(after[c1 / 64] & (uint64_t)1 << (c1 % 64)))
			continue;

		for (k = 0; k < ndots; k++)
			if (dots[k] + 1 < diagnostic.len &&
			    bnc_lower((unsigned char)diagnostic.ptr[dots[k] +
			    1]) == (unsigned char)hosts[i].pattern[1] &&
			    bnc_str_istarts(bnc_str_from(diagnostic, dots[k]),
			    hosts[i].pattern))
				break;
		if (k == ndots)
			continue;
		end = dots[k] + plen;
		next = end < diagnostic.len ?
		    (unsigned char)diagnostic.ptr[end] : ' ';
		if (!bnc_is_alpha(next) && !bnc_is_digit(next) &&
		    next != '-' && !(next == '.' && end + 1 < diagnostic.len &&
		    bnc_is_alpha((unsigned char)diagnostic.ptr[end + 1])))
			return hosts[i].provider;
	}
	return "";
}

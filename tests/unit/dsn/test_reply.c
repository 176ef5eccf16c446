/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_reply.c - src/dsn/reply.c: SMTP reply codes (RFC 5321 4.2) and
 * enhanced status codes (RFC 3463) in free text; numbers inside IPs,
 * dates, versions and queue ids are not codes; the SMTP command a text
 * names.
 */
#include <stdint.h>

#include "harness.h"
#include "dsn/reply.h"

static void
test_scan(void)
{
	static const struct {
		const char *name, *text, *code, *status;
	} rows[] = {
		{ "postfix style", "550 5.1.1 <a@example.com>... User unknown",
		    "550", "5.1.1" },
		{ "multi-line", "550-5.7.1 Message rejected\n550-5.7.1 see the "
		    "policy page\n550 5.7.1 bye", "550", "5.7.1" },
		{ "host said", "host mx.example.org[192.0.2.7] said: 452 4.2.2 "
		    "Over quota (in reply to RCPT TO command)", "452", "4.2.2" },
		{ "TSS deferral", "421 4.7.0 [TSS04] Messages from 192.0.2.1 "
		    "temporarily deferred", "421", "4.7.0" },
		{ "code only", "550 Host unknown", "550", NULL },
		{ "status only", "Status: 5.2.2 mailbox full", NULL, "5.2.2" },
		{ "three-digit detail", "550 5.7.509 Access denied", "550",
		    "5.7.509" },
		{ "two-digit subject", "550 5.1.10 RESOLVER.ADR.RecipientNotFound",
		    "550", "5.1.10" },
		{ "code in parentheses", "(reason: 550 Host unknown)", "550",
		    NULL },
		{ "qmail hash status",
		    "Sorry, no mailbox here by that name. (#5.1.1)", NULL,
		    "5.1.1" },
		{ "code then hash status", "550 #5.1.0 Address rejected", "550",
		    "5.1.0" },
		{ "ip address is no code", "connect to 192.0.2.250: timed out",
		    NULL, NULL },
		{ "ip with 4xx octets is no code", "from [192.0.2.45]:25 (192.0.2.221)",
		    NULL, NULL },
		{ "ip is no status", "relay 192.0.5.1.5 refused", NULL, NULL },
		{ "date is no code", "Tue, 14 May 2024 09:12:44 +0000", NULL,
		    NULL },
		{ "time is no code", "at 12:30:45 the line dropped", NULL, NULL },
		{ "version is no status", "Exim 4.96 with 5.1.1.2 patch", NULL,
		    NULL },
		{ "queue id is no code", "id 550ABC12; queued as 4RbX9", NULL,
		    NULL },
		{ "host name digits", "mx550.example.net refused", NULL, NULL },
		{ "second digit above 5", "error 570 something", NULL, NULL },
		{ "3xx is no failure code", "354 go ahead", NULL, NULL },
		{ "code after text", "the server said 550 5.1.1 no such user",
		    "550", "5.1.1" },
		{ "class disagreement: status dropped",
		    "550 4.2.2 mailbox full", "550", NULL },
		{ "class disagreement, 2xx code dropped",
		    "250 ok, but later 5.1.1 unknown", NULL, "5.1.1" },
		{ "matching pair wins over an earlier code",
		    "421 too busy; then: 550 5.1.1 unknown", "550", "5.1.1" },
		{ "code with colon", "<a@example.jp>: 550: <a@example.jp>: User "
		    "unknown", "550", NULL },
		{ "code colon status", "<a@example.jp>: 501: 5.1.8 Sender "
		    "address rejected", "501", "5.1.8" },
		{ "clock time is no code", "retried at 12:30:45 and 4:50:12", NULL,
		    NULL },
		{ "empty", "", NULL, NULL },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++) {
		struct bnc_reply r;

		bnc_reply_scan(bnc_str_c(rows[i].text), &r);
		CHECK_VIEW(rows[i].name, "code", r.code, rows[i].code);
		CHECK_VIEW(rows[i].name, "status", r.status, rows[i].status);
	}
}

static void
test_status(void)
{
	static const struct {
		const char *s;
		bool valid;
	} rows[] = {
		{ "5.1.1", true }, { "4.7.650", true }, { "2.0.0", true },
		{ " 5.7.1 ", true }, { "5.1.10", true },
		{ "3.1.1", false }, { "5.1", false }, { "5.1.", false },
		{ "5..1", false }, { "5.1000.1", false }, { "5.1.1000", false },
		{ "5.1.1a", false }, { "5.1.1.1", false }, { "55.1.1", false },
		{ "", false }, { "x5.1.1", false },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++)
		CHECK_BOOL(rows[i].s, "valid", bnc_status_valid(
		    bnc_str_c(rows[i].s)), rows[i].valid);

	CHECK_VIEW("find in text", "status", bnc_status_find(bnc_str_c(
	    "Status: 4.4.1 (connection timed out)")), "4.4.1");
	CHECK_VIEW("find skips ip", "status", bnc_status_find(bnc_str_c(
	    "192.0.2.1 said 5.7.1")), "5.7.1");
	CHECK_VIEW("find none", "status", bnc_status_find(bnc_str_c(
	    "no code")), NULL);
}

static void
test_command(void)
{
	static const struct {
		const char *name, *text, *want;
	} rows[] = {
		{ "postfix rcpt", "(in reply to RCPT TO command)", "RCPT" },
		{ "postfix mail", "(in reply to MAIL FROM command)", "MAIL" },
		{ "postfix end of data", "(in reply to end of DATA command)",
		    "DATA" },
		{ "exim rcpt", "SMTP error from remote mail server after "
		    "RCPT TO:<a@example.com>:", "RCPT" },
		{ "exim end of data", "SMTP error from remote mail server after "
		    "end of data:", "DATA" },
		{ "exim initial connection", "SMTP error from remote mail server "
		    "after initial connection:", "CONN" },
		{ "sendmail transcript", ">>> DATA\n<<< 554 5.7.1 rejected",
		    "DATA" },
		{ "ehlo", "error after EHLO example.com", "EHLO" },
		{ "starttls", "TLS failed after STARTTLS", "STARTTLS" },
		{ "earliest wins", "after MAIL FROM:<x@example.com> then "
		    "after RCPT TO:<y@example.com>", "MAIL" },
		{ "case-insensitive", "In Reply To Rcpt To Command", "RCPT" },
		{ "none", "550 5.1.1 user unknown", NULL },
		{ "empty", "", NULL },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++)
		CHECK_STR(rows[i].name, "command", bnc_smtp_command_find(
		    bnc_str_c(rows[i].text)), rows[i].want);
}

static void
test_join(void)
{
	static const struct {
		const char *name, *text, *code, *want;
	} rows[] = {
		{ "gmail continuation",
		    "550-5.1.1 The account does not exist. Please try 550-5.1.1 "
		    "double-checking. For more, go to 550 5.1.1 https://x", "550",
		    "550-5.1.1 The account does not exist. Please try "
		    "double-checking. For more, go to https://x" },
		{ "continuation without status", "421-busy now 421-come back "
		    "421 later", "421", "421-busy now come back later" },
		{ "one line repeating the code is left alone",
		    "554 554 5.7.1 Service unavailable", "554",
		    "554 554 5.7.1 Service unavailable" },
		{ "single line", "550 5.1.1 no such user", "550",
		    "550 5.1.1 no such user" },
		{ "other numbers stay", "550-5.7.1 host 192.0.2.550 550 5.7.1 "
		    "blocked", "550", "550-5.7.1 host 192.0.2.550 blocked" },
		{ "no code", "550-5.1.1 x 550 5.1.1 y", "", "550-5.1.1 x 550 5.1.1 y" },
	};
	struct bnc_arena a;
	size_t i;

	bnc_arena_init(&a, 0);
	for (i = 0; i < H_NELEM(rows); i++)
		CHECK_VIEW(rows[i].name, "joined", bnc_reply_join(&a,
		    bnc_str_c(rows[i].text), bnc_str_c(rows[i].code)),
		    rows[i].want);
	bnc_arena_deinit(&a);
}

/* The scans rule out 16 positions at a time and finish byte by byte:
 * put a reply, a status and a command at every offset of texts of
 * every length up to 70, among digits, dots and letters that almost
 * start one ("5.", "55", "af", ">>"). */
static void
test_sweep(void)
{
	static const char filler[] = "5.x 55a4f>>.2 9";
	char text[80], name[64];
	size_t len, at, i, bad = 0;
	unsigned seed = 7;

	for (len = 0; len < 70; len++) {
		for (at = 0; at <= len; at++) {
			struct bnc_reply r;
			const char *cmd;
			for (i = 0; i < len; i++) {
				seed = seed * 1103515245u + 12345u;
				text[i] = filler[(seed >> 16) %
				    (sizeof(filler) - 1)];
				/* Near misses only: no "5.5" (a status may
				 * follow), no three digits (a code). */
				if (i >= 1 && bnc_is_digit((unsigned char)
				    text[i]) && text[i - 1] == '.')
					text[i] = 'x';
				if (i >= 2 && bnc_is_digit((unsigned char)
				    text[i]) && bnc_is_digit((unsigned char)
				    text[i - 1]) && bnc_is_digit(
				    (unsigned char)text[i - 2]))
					text[i] = 'x';
			}
			if (at + 11 <= len) {
				memcpy(text + at, " 550 5.1.1 ", 11);
				bnc_reply_scan(bnc_str_make(text, len), &r);
				if ((r.code.ptr != text + at + 1 ||
				    r.status.ptr != text + at + 5) && bad++ < 5) {
					snprintf(name, sizeof(name),
					    "reply len %zu at %zu", len, at);
					CHECK_VIEW(name, "code", r.code, "550");
				}
			} else if (at + 4 == len) {
				memcpy(text + at, " 550", 4);
				bnc_reply_scan(bnc_str_make(text, len), &r);
				if (r.code.ptr != text + at + 1 && bad++ < 5) {
					snprintf(name, sizeof(name),
					    "last code len %zu", len);
					CHECK_VIEW(name, "code", r.code, "550");
				}
			} else if (at + 7 <= len) {
				memcpy(text + at, " 4.2.2 ", 7);
				if (bnc_status_find(bnc_str_make(text, len)).ptr !=
				    text + at + 1 && bad++ < 5) {
					snprintf(name, sizeof(name),
					    "status len %zu at %zu", len, at);
					CHECK_VIEW(name, "status",
					    bnc_status_find(bnc_str_make(text,
					    len)), "4.2.2");
				}
			}
			if (at + 10 <= len) {
				memcpy(text + at, "after data", 10);
				cmd = bnc_smtp_command_find(bnc_str_make(text,
				    len));
				if ((cmd == NULL || strcmp(cmd, "DATA") != 0) &&
				    bad++ < 5) {
					snprintf(name, sizeof(name),
					    "command len %zu at %zu", len, at);
					CHECK_STR(name, "command", cmd, "DATA");
				}
			}
		}
	}
	CHECK_INT("sweep", "mismatches", (long)bad, 0);
}

static struct h_rng rng = { 0x2545f4914f6cdd1dull };

/* The filtered command search against every position in turn, on
 * generated texts of every length from 0 to a few blocks: the patterns
 * whole, cut and in any case, their first letters, and filler. */
static void
test_command_plain(void)
{
	static const char *const piece[] = { "after RCPT TO", "rcpt to:",
		"RCPT TO response", "[RCPT_TO]", "smtp:rcpt", "SMTP:DATA",
		"smtp:mail", "does not like recipient", "in reply to RCPT TO",
		">>> RCPT", "in reply to MAIL", "after MAIL FROM", "mail from:",
		">>> DATA", "after end of data", "after initial connection",
		"after EHLO", ">>> HELO", "after STARTTLS", "after AUTH",
		"after QUIT", "after", "in reply", "rcpt", "mail", "smtp",
		">>", "af", "in", "ma", "sm", "do", "[r", " ", "\n", "550 5.1.1",
		"information", "mailbox", "x", "\xe3\x81\x82" };
	char buf[300];
	unsigned i, diff = 0;

	for (i = 0; i < 200000; i++) {
		size_t n = 0, cut = 0;
		unsigned k, parts = h_rnd(&rng, 10);
		struct bnc_str t;
		const char *got, *want;
		for (k = 0; k < parts; k++) {
			const char *p = piece[h_rnd(&rng, H_NELEM(piece))];
			size_t l = strlen(p);
			if (n + l > sizeof(buf))
				break;
			memcpy(buf + n, p, l);
			n += l;
		}
		/* Any length: a cut in the middle of a pattern too. */
		if (n && h_rnd(&rng, 2))
			cut = h_rnd(&rng, (unsigned)n);
		t = bnc_str_make(buf + cut, n - cut - (n - cut ?
		    h_rnd(&rng, (unsigned)(n - cut)) / 4 : 0));
		got = bnc_smtp_command_find(t);
		want = bnc_smtp_command_find_plain(t);
		if (got != want && diff++ < 5) {
			char show[301];
			memcpy(show, t.ptr, t.len);
			show[t.len] = '\0';
			CHECK_STR(show, "command", got, want);
		}
	}
	CHECK_INT("command search", "answers unlike the plain search", diff,
	    0);
}

/* The vector scans of bnc_reply_scan() and bnc_status_find() against
 * the plain ones (a position at a time), on generated texts of every
 * length up to a few blocks: codes, statuses, their parts and near
 * misses, separators and filler, cut anywhere. */
#define AT(v) ((v).ptr ? (long)((v).ptr - t.ptr) * 8 + (long)(v).len : -1L)
static void
test_scan_plain(void)
{
	static const char *const piece[] = { "550", "5.1.1", "550-5.7.1",
		"550 5.1.1", "250 2.1.5 Ok", "451 4.3.0", "4.2.2", "2.0.0",
		"421", "5", "4", "2", ".", "5.", "55", "5.1", "5.1.1.2",
		"12:30", "192.0.2.1", "#", "-", " ", "\n", "(", "\"", "x",
		"user unknown", "6", "9", "0", "\xe3\x81\x82", "5.7.509" };
	char buf[400];
	unsigned i, diff = 0;

	for (i = 0; i < 200000; i++) {
		size_t n = 0, cut = 0;
		unsigned k, parts = h_rnd(&rng, 64);
		struct bnc_str t, sa, sb;
		struct bnc_reply ra, rb;
		for (k = 0; k < parts; k++) {
			const char *p = piece[h_rnd(&rng, H_NELEM(piece))];
			size_t l = strlen(p);
			if (n + l > sizeof(buf))
				break;
			memcpy(buf + n, p, l);
			n += l;
		}
		if (n && h_rnd(&rng, 2))
			cut = h_rnd(&rng, (unsigned)n);
		t = bnc_str_make(buf + cut, n - cut - (n - cut ?
		    h_rnd(&rng, (unsigned)(n - cut)) / 4 : 0));
		bnc_reply_scan(t, &ra);
		bnc_reply_scan_plain(t, &rb);
		sa = bnc_status_find(t);
		sb = bnc_status_find_plain(t);
		if ((ra.code.ptr != rb.code.ptr || ra.code.len != rb.code.len ||
		    ra.status.ptr != rb.status.ptr ||
		    ra.status.len != rb.status.len || sa.ptr != sb.ptr ||
		    sa.len != sb.len) && diff++ < 5) {
			char show[401];
			memcpy(show, t.ptr, t.len);
			show[t.len] = '\0';
			CHECK_INT(show, "code at", AT(ra.code), AT(rb.code));
			CHECK_INT(show, "status at", AT(ra.status),
			    AT(rb.status));
			CHECK_INT(show, "found status at", AT(sa), AT(sb));
		}
	}
	CHECK_INT("reply scan", "answers unlike the plain scan", diff, 0);
}

int
main(void)
{
	test_scan_plain();
	test_command_plain();
	test_scan();
	test_join();
	test_status();
	test_command();
	test_sweep();
	return h_done("test_reply");
}

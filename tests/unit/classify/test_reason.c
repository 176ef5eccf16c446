/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_reason.c - the reason vocabulary (src/classify/reason.c) against
 * its tables: every reason of the phrase table (phrases.c) and every
 * reason an enhanced status code maps to is known; every phrase is
 * lower case (the text is folded before matching, so an upper-case
 * phrase could never match); reasons.tsv, the field's vocabulary, read
 * at test time from $BNC_REASONS_TSV (or argv[1]), is all known; and
 * the fixed points of bnc_reason_detect() that do not depend on phrase
 * tuning.
 */
#include <stdio.h>
#include <stdlib.h>

#include "classify/phrases.h"
#include "classify/reason.h"
#include "harness.h"

/* An upper-case letter the fold lowers: À..Þ (not ×), Ѐ..Я. */
static bool
upper_utf8(const char *c)
{
	const unsigned char *u = (const unsigned char *)c;
	unsigned cp;

	if ((u[0] != 0xc3 && u[0] != 0xd0) || (u[1] & 0xc0) != 0x80)
		return false;
	cp = ((unsigned)(u[0] & 0x1f) << 6) | (u[1] & 0x3f);
	return (cp >= 0xc0 && cp <= 0xde && cp != 0xd7) ||
	    (cp >= 0x400 && cp <= 0x42f);
}

static void
test_phrases(void)
{
	size_t i;
	unsigned unknown = 0, upper = 0, empty = 0;

	CHECK_TRUE("bnc_phrases", "not empty", bnc_phrases_count > 0);
	for (i = 0; i < bnc_phrases_count; i++) {
		const struct bnc_phrase *p = &bnc_phrases[i];
		const char *c;
		char name[160];

		snprintf(name, sizeof(name), "bnc_phrases[%zu] \"%s\"", i,
		    p->phrase ? p->phrase : "(null)");
		if (p->reason == NULL || !bnc_reason_known(p->reason)) {
			CHECK_STR(name, "reason known", p->reason, "(a known reason)");
			unknown++;
		}
		if (p->phrase == NULL || p->phrase[0] == '\0' ||
		    strcmp(p->phrase, "*") == 0) {
			CHECK_FAIL(name, "an empty phrase", "a phrase");
			empty++;
			continue;
		}
		for (c = p->phrase; *c; c++)
			if ((*c >= 'A' && *c <= 'Z') || upper_utf8(c))
				break;
		if (*c) {
			CHECK_FAIL(name, "upper-case ASCII", "lower case");
			upper++;
		}
		/* Blanks around the text would never match folded text
		 * at the start or end of a diagnostic. */
		if (p->phrase[0] == ' ')
			CHECK_FAIL(name, "a leading blank", "none");
	}
	CHECK_INT("bnc_phrases", "unknown reasons", unknown, 0);
	CHECK_INT("bnc_phrases", "upper-case phrases", upper, 0);
	CHECK_INT("bnc_phrases", "empty phrases", empty, 0);
}

/* Every code X.Y.Z with X in 2, 4, 5, Y 0-7, Z 0-30 and a few
 * provider extensions: whatever reason comes back is in the vocabulary. */
/* Bounce sentences in the languages the corpus shows, as mail servers
 * and gateways write them (capitals included: the fold lowers Latin-1
 * and Cyrillic letters as it lowers ASCII). */
static void
test_languages(void)
{
	static const struct {
		const char *name, *text, *want;
	} rows[] = {
		{ "de mailbox full", "Das Postfach des Empfängers ist voll.",
		    "mailboxfull" },
		{ "de quota", "Speicherkontingent des Empfängers überschritten",
		    "mailboxfull" },
		{ "de user unknown", "550 Benutzer unbekannt: a@example.de",
		    "userunknown" },
		{ "de not found", "Die E-Mail-Adresse wurde nicht gefunden.",
		    "userunknown" },
		{ "de domain", "Unbekannte Domain example.invalid", "hostunknown" },
		{ "de too big", "Die Nachricht ist zu groß für das Postfach",
		    "mesgtoobig" },
		{ "de disabled", "Konto deaktiviert", "suspend" },
		{ "de refused", "Nachricht vom Empfänger abgelehnt", "filtered" },
		{ "fr mailbox full", "La boîte aux lettres du destinataire est "
		    "pleine et ne peut pas accepter de messages.", "mailboxfull" },
		{ "fr not found", "Votre message n'a pas pu être remis car "
		    "l'adresse est introuvable.", "userunknown" },
		{ "fr user unknown", "Utilisateur inconnu", "userunknown" },
		{ "fr domain", "Domaine inconnu : example.invalid",
		    "hostunknown" },
		{ "fr too big", "Message trop volumineux", "mesgtoobig" },
		{ "fr disabled", "Compte désactivé", "suspend" },
		{ "fr disabled capital", "COMPTE DÉSACTIVÉ", "suspend" },
		{ "es mailbox full", "El buzón del destinatario está lleno.",
		    "mailboxfull" },
		{ "es not found", "No se encontró la dirección de correo "
		    "electrónico.", "userunknown" },
		{ "es domain", "El dominio no existe", "hostunknown" },
		{ "es too big", "Mensaje demasiado grande", "mesgtoobig" },
		{ "es disabled", "La cuenta está desactivada: cuenta desactivada",
		    "suspend" },
		{ "ru user unknown", "Пользователь не найден", "userunknown" },
		{ "ru recipient", "Адресат не найден", "userunknown" },
		{ "ru mailbox full", "Почтовый ящик получателя переполнен",
		    "mailboxfull" },
		{ "ru quota", "Превышена квота почтового ящика", "mailboxfull" },
		{ "ru domain", "Домен не существует", "hostunknown" },
		{ "ru too big", "Сообщение слишком большое", "mesgtoobig" },
		{ "ru locked", "Учетная запись заблокирована", "suspend" },
		{ "ru spam", "Письмо отклонено как СПАМ", "spamdetected" },
		{ "zh user unknown", "收件人不存在", "userunknown" },
		{ "zh domain", "域名不存在", "hostunknown" },
		{ "zh mailbox full", "收件人邮箱空间已满", "mailboxfull" },
		{ "zh too big", "邮件大小超过限制", "mesgtoobig" },
		{ "zh frozen", "该邮箱已被冻结", "suspend" },
		{ "zh refused", "邮件被收件人拒绝", "filtered" },
		{ "zh-tw mailbox full", "收件者信箱已滿", "mailboxfull" },
		{ "ja user unknown", "指定されたユーザーは存在しません",
		    "userunknown" },
		{ "ja domain", "宛先のドメインが存在しません", "hostunknown" },
		{ "ja mailbox full", "宛先のメールボックスが一杯です",
		    "mailboxfull" },
		{ "ja too big", "メールのサイズが大きすぎます", "mesgtoobig" },
		{ "ja suspended", "このアドレスは利用停止中です", "suspend" },
		{ "ja refused", "受信拒否設定により配送できません", "filtered" },
	};
	char scratch[512];
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++)
		CHECK_STR(rows[i].name, "reason", bnc_reason_from_text(
		    bnc_str_c(rows[i].text), scratch), rows[i].want);
}

static void
test_status_reasons(void)
{
	static const char cls[] = { '2', '4', '5' };
	static const char *const extra[] = { "7.509", "7.515", "7.606",
		"7.650", "4.312", "4.316", "1.351", "7.700", "7.708" };
	size_t c, e;
	unsigned subj, det, mapped = 0, bad = 0;

	for (c = 0; c < sizeof(cls); c++) {
		for (subj = 0; subj <= 7; subj++) {
			for (det = 0; det <= 30; det++) {
				char code[16];
				const char *r;

				snprintf(code, sizeof(code), "%c.%u.%u", cls[c],
				    subj, det);
				r = bnc_reason_from_status(bnc_str_c(code));
				if (r == NULL)
					continue;
				mapped++;
				if (!bnc_reason_known(r)) {
					CHECK_STR(code, "reason", r,
					    "(a known reason)");
					bad++;
				}
			}
		}
		for (e = 0; e < H_NELEM(extra); e++) {
			char code[16];
			const char *r;

			snprintf(code, sizeof(code), "%c.%s", cls[c], extra[e]);
			r = bnc_reason_from_status(bnc_str_c(code));
			if (r != NULL && !bnc_reason_known(r)) {
				CHECK_STR(code, "reason", r, "(a known reason)");
				bad++;
			}
		}
	}
	CHECK_INT("status codes", "unknown reasons", bad, 0);
	CHECK_TRUE("status codes", "some codes map", mapped > 50);

	/* Fixed points of RFC 3463 that any tuning must keep. */
	{
		static const struct {
			const char *code, *want;
		} rows[] = {
			{ "5.1.1", "userunknown" }, { "5.1.2", "hostunknown" },
			{ "4.2.2", "mailboxfull" }, { "5.2.2", "mailboxfull" },
			{ "5.3.4", "mesgtoobig" }, { "2.0.0", "delivered" },
			{ "2.1.5", "delivered" }, { "5.7.1", NULL },
			{ "5.0.0", NULL }, { "", NULL }, { "5.1", NULL },
		};
		size_t i;
		for (i = 0; i < H_NELEM(rows); i++)
			CHECK_STR(rows[i].code, "bnc_reason_from_status",
			    bnc_reason_from_status(bnc_str_c(rows[i].code)),
			    rows[i].want);
	}
}

/* bnc_reason_from_status() the plain way: the table searched row by
 * row, each code compared as a string. */
static const char *
status_plain(struct bnc_str s)
{
	const char *code, *reason;
	size_t i;

	if (s.len < 5)
		return NULL;
	if (s.ptr[0] == '2')
		return "delivered";
	s = bnc_str_from(s, 1);
	for (i = 0; bnc_reason_status_row(i, &code, &reason); i++)
		if (bnc_str_ieq(s, code))
			return reason;
	return NULL;
}

/* The numbered look-up against the plain one on every code of up to
 * three detail digits, written with leading zeros, with a stray byte
 * before or after, or cut. */
static void
test_status_lookup(void)
{
	static const char cls[] = { '2', '4', '5', 'x', '.' };
	/* Before the class digit, between it and the subject, between
	 * the subject and the detail, before the detail, after it. */
	static const char *const forms[][5] = {
		{ "", ".", ".", "", "" }, { "", ".", ".", "0", "" },
		{ "", ".", ".", "00", "" }, { "", ".", ".", "", "a" },
		{ "", ".", ".", "", "." }, { " ", ".", ".", "", "" },
		{ "", ".", ".", "", " " }, { "", ".", "..", "", "" },
		{ "", "", ".", "", "" }, { "", ".0", ".", "", "" },
	};
	const char *code, *reason;
	unsigned subj, det, diff = 0, rows = 0;
	size_t c, f, i, k;

	for (c = 0; c < sizeof(cls); c++)
		for (f = 0; f < H_NELEM(forms); f++)
			for (subj = 0; subj <= 9; subj++)
				for (det = 0; det <= 1000; det++) {
					char s[32];
					const char *got, *want;

					snprintf(s, sizeof(s), "%s%c%s%u%s%s%u%s",
					    forms[f][0], cls[c], forms[f][1],
					    subj, forms[f][2], forms[f][3], det,
					    forms[f][4]);
					for (k = strlen(s) + 1; k-- > 0;) {
						struct bnc_str v =
						    bnc_str_make(s, k);
						got = bnc_reason_from_status(v);
						want = status_plain(v);
						if (got != want &&
						    (got == NULL || want == NULL ||
						    strcmp(got, want) != 0)) {
							if (diff++ < 5)
								CHECK_STR(s,
								    "status",
								    got, want);
						}
					}
				}
	CHECK_INT("status look-up", "answers unlike the plain search",
	    diff, 0);
	/* Every row is found (none is written so that no text can
	 * reach it). */
	for (i = 0; bnc_reason_status_row(i, &code, &reason); i++) {
		char s[16];
		snprintf(s, sizeof(s), "5%s", code);
		if (bnc_reason_from_status(bnc_str_c(s)) != NULL)
			rows++;
	}
	CHECK_INT("status look-up", "rows found", rows, i);
}

static void
test_known(void)
{
	static const struct {
		const char *name;
		bool want;
	} rows[] = {
		{ "userunknown", true }, { "vacation", true },
		{ "feedback", true }, { "undefined", true },
		{ "UserUnknown", false }, { "user unknown", false },
		{ "", false }, { "hard", false },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++)
		CHECK_BOOL(rows[i].name, "bnc_reason_known",
		    bnc_reason_known(rows[i].name), rows[i].want);
}

/* reasons.tsv: "reason<TAB>meaning", a header line first. */
static void
test_tsv(const char *path)
{
	FILE *fp;
	char line[1024];
	unsigned n = 0, lineno = 0;

	if (path == NULL || path[0] == '\0') {
		printf("SKIP reasons.tsv: no path given (set BNC_REASONS_TSV)\n");
		return;
	}
	fp = fopen(path, "r");
	if (fp == NULL) {
		printf("SKIP reasons.tsv: %s not found\n", path);
		return;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *tab;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (lineno == 1 || line[0] == '\0')
			continue;	/* the header */
		tab = strchr(line, '\t');
		if (tab != NULL)
			*tab = '\0';
		CHECK_TRUE(line, "reasons.tsv reason is known",
		    bnc_reason_known(line));
		n++;
	}
	fclose(fp);
	printf("reasons.tsv: %u reasons checked\n", n);
	CHECK_TRUE("reasons.tsv", "has reasons", n > 20);
}

/* What bnc_reason_detect() decides before any phrase is read. */
static void
test_detect(void)
{
	static const struct {
		const char *name;
		enum bnc_kind kind;
		const char *decoder_reason, *action, *status, *diagnostic;
		const char *want;
	} rows[] = {
		{ "decoder's verdict wins", BNC_KIND_BOUNCE, "suppressed",
		    "failed", "5.1.1", "user unknown", "suppressed" },
		{ "feedback report", BNC_KIND_FEEDBACK, NULL, "", "", "",
		    "feedback" },
		{ "auto-reply", BNC_KIND_AUTOREPLY, NULL, "", "", "",
		    "vacation" },
		{ "action delivered", BNC_KIND_BOUNCE, NULL, "delivered", "", "",
		    "delivered" },
		{ "action relayed", BNC_KIND_BOUNCE, NULL, "Relayed", "", "",
		    "delivered" },
		{ "action expanded", BNC_KIND_BOUNCE, NULL, "expanded", "", "",
		    "delivered" },
		{ "status 2.x.x", BNC_KIND_BOUNCE, NULL, "", "2.0.0", "",
		    "delivered" },
		{ "status 5.1.1 alone", BNC_KIND_BOUNCE, NULL, "failed", "5.1.1",
		    "", "userunknown" },
		{ "status 5.2.2 alone", BNC_KIND_BOUNCE, NULL, "failed", "5.2.2",
		    "", "mailboxfull" },
		{ "status 4.3.2 alone", BNC_KIND_BOUNCE, NULL, "delayed", "4.3.2",
		    "", "toomanyconn" },
		{ "status 5.3.2 leaves the text to say", BNC_KIND_BOUNCE, NULL,
		    "failed", "5.3.2",
		    "521 5.3.2 System not accepting network messages",
		    "notaccept" },
		{ "nothing at all", BNC_KIND_BOUNCE, NULL, "", "", "",
		    "undefined" },
		{ "a failure explained in words we cannot read",
		    BNC_KIND_BOUNCE, NULL, "failed", "", "Fehler 17 (Test)",
		    "onhold" },
		{ "words but no failure", BNC_KIND_BOUNCE, NULL, "", "",
		    "Fehler 17 (Test)", "undefined" },
		/* "User unknown" with no command: about the address when the
		 * text names an address or recipient, in any language of the
		 * phrase table; a filter's word otherwise. */
		{ "bare user unknown", BNC_KIND_BOUNCE, NULL, "failed", "",
		    "550 User unknown", "filtered" },
		{ "recipient unknown", BNC_KIND_BOUNCE, NULL, "failed", "",
		    "550 Recipient unknown", "userunknown" },
		{ "ja address does not exist", BNC_KIND_BOUNCE, NULL, "failed",
		    "", "送信先のメールアドレスは存在しません", "userunknown" },
		{ "ja user does not exist", BNC_KIND_BOUNCE, NULL, "failed", "",
		    "指定されたユーザーは存在しません", "filtered" },
		{ "de recipient unknown", BNC_KIND_BOUNCE, NULL, "failed", "",
		    "Empfänger unbekannt", "userunknown" },
		{ "es recipient unknown", BNC_KIND_BOUNCE, NULL, "failed", "",
		    "Destinatario desconocido", "userunknown" },
		{ "ru addressee not found", BNC_KIND_BOUNCE, NULL, "failed", "",
		    "Адресат не найден", "userunknown" },
		{ "zh recipient does not exist", BNC_KIND_BOUNCE, NULL, "failed",
		    "", "收件人不存在", "userunknown" },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++) {
		struct bnc_rcpt_facts r;
		struct bnc_arena a;
		const char *got;

		memset(&r, 0, sizeof(r));
		r.reason = rows[i].decoder_reason;
		r.action = bnc_str_c(rows[i].action);
		r.status = bnc_str_c(rows[i].status);
		r.diagnostic = bnc_str_c(rows[i].diagnostic);
		r.context = r.diagnostic;
		bnc_arena_init(&a, 0);
		got = bnc_reason_detect(&r, rows[i].kind, "", NULL, &a);
		CHECK_STR(rows[i].name, "reason", got, rows[i].want);
		if (got)
			CHECK_TRUE(rows[i].name, "known", bnc_reason_known(got));
		bnc_arena_deinit(&a);
	}
}

/* Where the command and the reply code decide (refine() and the last
 * steps of bnc_reason_detect()). */
static void
test_detect_command(void)
{
	static const struct {
		const char *name, *reply, *cmd, *status, *diagnostic;
		const char *want;
	} rows[] = {
		{ "access denied, no command", "550", "", "5.7.1",
		    "550 5.7.1 Access denied", "securityerror" },
		{ "access denied at the greeting", "550", "CONN", "",
		    "550 Access denied", "blocked" },
		{ "access denied in answer to MAIL FROM", "550", "MAIL", "5.7.1",
		    "550 5.7.1 Access denied", "rejected" },
		{ "MAIL FROM refused until authenticated", "550", "MAIL", "",
		    "550 Unauthenticated senders not allowed", "securityerror" },
		{ "504 with no words we know", "504", "DATA", "5.0.0",
		    "504 Command parameter not implemented", "syntaxerror" },
		{ "451 with no words we know", "451", "RCPT", "4.0.0",
		    "451 Could not load table for rcpt", "systemerror" },
		{ "550 with no words we know after RCPT", "550", "RCPT",
		    "5.0.0", "550 Fehler 17", "userunknown" },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++) {
		struct bnc_rcpt_facts r;
		struct bnc_arena a;
		const char *got;

		memset(&r, 0, sizeof(r));
		r.action = bnc_str_c("failed");
		r.reply_code = bnc_str_c(rows[i].reply);
		r.smtp_command = bnc_str_c(rows[i].cmd);
		r.status = bnc_str_c(rows[i].status);
		r.diagnostic = bnc_str_c(rows[i].diagnostic);
		r.context = r.diagnostic;
		bnc_arena_init(&a, 0);
		got = bnc_reason_detect(&r, BNC_KIND_BOUNCE, "", NULL, &a);
		CHECK_STR(rows[i].name, "reason", got, rows[i].want);
		bnc_arena_deinit(&a);
	}
}

int
main(int argc, char **argv)
{
	const char *tsv = argc > 1 ? argv[1] : getenv("BNC_REASONS_TSV");

	test_phrases();
	test_status_reasons();
	test_status_lookup();
	test_languages();
	test_known();
	test_tsv(tsv);
	test_detect();
	test_detect_command();
	return h_done("test_reason");
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mta.h - bounce format decoders. Each decoder looks at a parsed message
 * and, when it recognises its format, fills struct bnc_facts. Each
 * decoder file declares itself with one BNC_DECODER() line; the build
 * collects those lines into the registry (CMakeLists.txt generates
 * mta_registry.c), and bnc_decode_run() tries the decoders by their
 * order, lowest first; the first that answers 1 wins, and a decoder
 * whose BNC_WHEN() conditions (below) the message fails is not asked.
 * Adding a format means adding a file (and its fixtures under
 * tests/decoders/), nothing else.
 */
#ifndef BNC_MTA_MTA_H
#define BNC_MTA_MTA_H

#include <stdint.h>

#include "bouncer.h"
#include "../dsn/facts.h"
#include "../mail/message.h"

struct bnc_decode {
	const struct bnc_message *m;
	struct bnc_arena *a;
	const struct bnc_limits *l;
	struct bnc_str text;		/* the bounce's own text (see below) */
	struct bnc_str orig_block;	/* the returned message, if inline */
	const struct bnc_headers *orig;	/* the original's headers, or NULL */
	/* Answers that several decoders ask for, kept once found:
	 * 0 not asked yet, 1 no, 2 yes. */
	unsigned char exchange_ndr;	/* bnc_exchange_is_ndr() */
	/* Where the listed markers occur in `text` (bnc_text_find()):
	 * bit i of marker_found for the marker of id i + 1, its first
	 * offset in marker_at[i]. NULL when not scanned. */
	const uint64_t *marker_found;
	const uint32_t *marker_at;
	/* The values of the bounce's Received: fields joined by LF
	 * (bnc_received_has()), made on first use. */
	struct bnc_str received;
	bool received_made;
	struct bnc_str received_raw;	/* the same, folded values as their
					 * lines */
	bool received_raw_made;
	/* For the BNC_WHEN() conditions, made by bnc_decode_run(): which
	 * of the fields they name the top level has (bit i) and where
	 * (field_at[i]), From:'s four-byte pieces as a filter, bit
	 * 1 << kind for each kind of part the bounce itself has. */
	uint64_t fields;
	uint16_t field_at[64];
	uint64_t from_bits[2];
	unsigned parts;
	/* Where the Received: fields are: nrecv of them, or all of
	 * them when nrecv is at most 16. */
	size_t nrecv;
	uint16_t recv[16];
	/* The BNC_WHEN_DSN_HAS phrases the reports hold, once asked. */
	bool dsn_made;
	uint32_t dsn_has;
	/* Which of the RECEIVED phrases found together (struct bnc_when's
	 * group) the fields hold, once asked. */
	bool recv_made;
	uint32_t recv_has;
};

/*
 * A phrase that decoders look for in the bounce's text (d->text), as
 *
 *	static struct bnc_marker intro = BNC_MARKER("This is the ...");
 *	BNC_MARKERS(dragonfly, &intro, ...);
 *	...
 *	if (!bnc_text_has(d, &intro))
 *		return 0;
 *
 * The BNC_MARKERS() line (one per file, at the start of a line, the
 * file's decoder name first) lists the file's markers for the registry:
 * all listed markers are found in one pass over the text when the
 * message is prepared, instead of one search each. bnc_text_find() gives
 * the same answer as bnc_str_ifind(d->text, ...) either way: a marker
 * not listed, or too short for the one pass (util/needles.h), is
 * searched for when asked.
 */
struct bnc_marker {
	const char *s;
	size_t len;
	unsigned id;	/* 1 + its index in the one-pass set; 0 none (set
			 * once, before the first message is prepared) */
};
#define BNC_MARKER(lit) { lit, sizeof(lit) - 1, 0 }
#define BNC_MARKERS(id, ...) \
	struct bnc_marker *const bnc_markers_##id[] = { __VA_ARGS__, NULL }

/* The lists of the BNC_MARKERS() lines (generated with the registry),
 * NULL-terminated. */
extern struct bnc_marker *const *const bnc_marker_lists[];

/* Offset of the first occurrence of `m` in d->text (any case), or -1:
 * bnc_str_ifind(d->text, m->s, m->len). */
long bnc_text_find(const struct bnc_decode *d, const struct bnc_marker *m);
static inline bool
bnc_text_has(const struct bnc_decode *d, const struct bnc_marker *m)
{
	return bnc_text_find(d, m) >= 0;
}
/* bnc_text_after() and bnc_text_until() of d->text at marker `m`. */
struct bnc_str bnc_text_after_marker(const struct bnc_decode *d,
    const struct bnc_marker *m);
struct bnc_str bnc_text_until_marker(const struct bnc_decode *d,
    const struct bnc_marker *m);

/* 1 recognised (facts filled), 0 not this format, <0 an error. */
typedef int (*bnc_decoder_fn)(struct bnc_facts *f, struct bnc_decode *d);

struct bnc_decoder {
	const char *name;	/* the record's "mta"; tests/decoders/<name>/ */
	int order;		/* lower runs first */
	bnc_decoder_fn decode;
};

/*
 * Declare the decoder of this file, at the start of a line and on one
 * line, for the registry to find it:
 *
 *	BNC_DECODER(qmail, BNC_ORDER_FORMAT, decode);
 *
 * The orders: formats that are recognised by something only they have
 * (a report type, a header, their own wording) run before the standard
 * RFC 3464 reader, which runs before the catch-all free-text reader.
 */
#define BNC_ORDER_FIRST 100	/* ARF (complaint reports) */
#define BNC_ORDER_FORMAT 500	/* one MTA's or provider's own format */
#define BNC_ORDER_STANDARD 800	/* RFC 3464, RFC 3834 */
#define BNC_ORDER_LAST 900	/* free text */
#define BNC_DECODER(id, ord, fn) \
	const struct bnc_decoder bnc_decoder_##id = { #id, ord, fn }

/* The registry, in the order the decoders are tried (generated). */
extern const struct bnc_decoder *const bnc_decoders[];
extern const size_t bnc_decoders_count;

/*
 * What a decoder cannot recognise a message without, declared in its
 * file (at the start of a line, the decoder's name first) for the
 * registry to find:
 *
 *	BNC_WHEN(bigfoot, BNC_IF_FROM("@bigfoot.com"),
 *	    BNC_IF_DSN_HAS(".bigfoot.com"), BNC_IF_RECEIVED("(LiteMail v"));
 *
 * reads "bigfoot answers 1 only if From: holds @bigfoot.com, or a
 * delivery-status part holds .bigfoot.com, or a Received: field holds
 * (LiteMail v"; BNC_AND between two such lists asks for both.
 * bnc_decode_run() does not call a decoder whose conditions fail (one
 * without a BNC_WHEN() line is always called), and tests them on
 * signals made once a message (the fields they name, the kinds of its
 * parts, the text's markers of the one pass) before any search; the
 * other conditions are searched for, cheapest first. A condition must
 * follow from the decoder's own code (when it is false, the decoder
 * returns 0 whatever else the message holds), never from the messages
 * seen; it may say less than the code asks (a test of "contains" where
 * the code asks "starts with", a phrase's part). With BNC_DECODE_CHECK=1
 * in the environment bnc_decode_run() calls the decoders it would skip
 * as well and aborts when one of them recognises the message (the test
 * decoders/check runs that on every input it has); with "all", every
 * decoder with conditions counts as ruled out (to see the check fail).
 */
enum bnc_when_kind {
	BNC_WHEN_END,
	BNC_WHEN_AND,		/* another list follows */
	/* Tested on the signals first: */
	BNC_WHEN_PART,		/* a part of this kind, not in a returned
				 * message (BNC_PART_DSN: or GLOBAL_DSN) */
	BNC_WHEN_REPORT,	/* a delivery-status part, not inside a
				 * returned message's returned message:
				 * what bnc_mta_rfc3464() reads */
	BNC_WHEN_FEEDBACK,	/* a message/feedback-report part, at any
				 * depth */
	BNC_WHEN_CUT,		/* the text was cut where a copy of the
				 * original starts (d->orig_block) */
	BNC_WHEN_HEADER,	/* a top-level field of this name */
	BNC_WHEN_TEXT,		/* the marker is in the text */
	BNC_WHEN_TEXT_STARTS,	/* the text, trimmed, starts with s */
	/* Then by a search: */
	BNC_WHEN_FROM,		/* From: (d->m->from) contains s */
	BNC_WHEN_SUBJECT,	/* the Subject: (d->m->subject) contains s */
	BNC_WHEN_FIELD,		/* the first top-level field `name`
				 * contains s */
	BNC_WHEN_DSN_HAS,	/* bnc_decode_dsn_contains(d, s) */
	BNC_WHEN_RECEIVED,	/* bnc_received_has(d, s) */
};
struct bnc_when {
	unsigned char kind;	/* enum bnc_when_kind */
	unsigned char part;	/* BNC_WHEN_PART: enum bnc_part_kind */
	const char *name;	/* HEADER, FIELD: the field's name */
	const char *s;		/* the phrase (any case) */
	size_t len;
	struct bnc_marker *marker;	/* TEXT */
	/* Set once: FIELD, the name's bit in d->fields (and its index in
	 * `at`); DSN_HAS, its index in `at`; FROM, the bits in
	 * d->from_bits of its four-byte pieces at even offsets (bits[0-1])
	 * and at odd ones (bits[2-3]);
	 * RECEIVED, its longest stretch without white space (s + at, run
	 * bytes). */
	uint64_t bits[4];
	size_t at, run;
	/* Set once: RECEIVED phrases are found together (util/needles.h,
	 * struct bnc_few): `group` 1 when this one is (0: searched alone),
	 * its bit of the answers in gbit. */
	unsigned char group, gbit;
};
#define BNC_WHEN_ROW(kind, part, name, s, len, marker) \
	{ kind, part, name, s, len, marker, { 0, 0, 0, 0 }, 0, 0, 0, 0 }
#define BNC_IF_PART(k) BNC_WHEN_ROW(BNC_WHEN_PART, k, NULL, NULL, 0, NULL)
#define BNC_IF_REPORT BNC_WHEN_ROW(BNC_WHEN_REPORT, 0, NULL, NULL, 0, NULL)
#define BNC_IF_FEEDBACK \
	BNC_WHEN_ROW(BNC_WHEN_FEEDBACK, 0, NULL, NULL, 0, NULL)
#define BNC_IF_CUT BNC_WHEN_ROW(BNC_WHEN_CUT, 0, NULL, NULL, 0, NULL)
/* What bnc_mta_rfc3464() cannot answer 1 without: a report, or the
 * report's fields in the text. */
#define BNC_IF_RFC3464 BNC_IF_REPORT, BNC_IF_TEXT(&bnc_rfc3464_final)
#define BNC_IF_HEADER(n) BNC_WHEN_ROW(BNC_WHEN_HEADER, 0, n, NULL, 0, NULL)
#define BNC_IF_TEXT(m) BNC_WHEN_ROW(BNC_WHEN_TEXT, 0, NULL, NULL, 0, m)
#define BNC_IF_TEXT_STARTS(lit) \
	BNC_WHEN_ROW(BNC_WHEN_TEXT_STARTS, 0, NULL, lit, sizeof(lit) - 1, NULL)
#define BNC_IF_FROM(lit) \
	BNC_WHEN_ROW(BNC_WHEN_FROM, 0, NULL, lit, sizeof(lit) - 1, NULL)
#define BNC_IF_SUBJECT(lit) \
	BNC_WHEN_ROW(BNC_WHEN_SUBJECT, 0, NULL, lit, sizeof(lit) - 1, NULL)
#define BNC_IF_FIELD(n, lit) \
	BNC_WHEN_ROW(BNC_WHEN_FIELD, 0, n, lit, sizeof(lit) - 1, NULL)
#define BNC_IF_DSN_HAS(lit) \
	BNC_WHEN_ROW(BNC_WHEN_DSN_HAS, 0, NULL, lit, sizeof(lit) - 1, NULL)
#define BNC_IF_RECEIVED(lit) \
	BNC_WHEN_ROW(BNC_WHEN_RECEIVED, 0, NULL, lit, sizeof(lit) - 1, NULL)
#define BNC_AND BNC_WHEN_ROW(BNC_WHEN_AND, 0, NULL, NULL, 0, NULL)
#define BNC_WHEN(id, ...) struct bnc_when bnc_when_##id[] = \
	{ __VA_ARGS__, BNC_WHEN_ROW(BNC_WHEN_END, 0, NULL, NULL, 0, NULL) }

/* Each decoder's conditions, as bnc_decoders[] (generated); NULL for a
 * decoder without a BNC_WHEN() line. */
extern struct bnc_when *const bnc_decoder_when[];

/* Prepare `d` for message `m`: find the human-readable bounce text (text
 * parts outside the returned message, cut where an inline copy of the
 * original starts) and the original message's headers. */
int bnc_decode_init(struct bnc_decode *d, const struct bnc_message *m,
    struct bnc_arena *a, const struct bnc_limits *l);

/* Run the decoders; *f is zeroed first. Returns 1 when one recognised
 * the message, 0 when none did, <0 on error. */
int bnc_decode_run(struct bnc_facts *f, struct bnc_decode *d);

/* Does the message look like a bounce at all (sender, subject, report
 * type)? Free-text decoders ask this before taking addresses from text. */
bool bnc_looks_like_bounce(const struct bnc_decode *d);

/* Does the bounce itself (not a message it returns) carry a
 * message/delivery-status or message/global-delivery-status part? */
bool bnc_decode_has_dsn(const struct bnc_decode *d);

/* Does a delivery-status part of the bounce itself hold `needle` (any
 * case)? For the fields an MTA adds to its reports (X-Postfix-Queue-ID). */
bool bnc_decode_dsn_contains(const struct bnc_decode *d, const char *needle);

/* The paragraph about `addr` in `text`: from the line holding it to the
 * next blank line, whitespace collapsed, copied into the arena. */
struct bnc_str bnc_text_block(struct bnc_arena *a, struct bnc_str text,
    struct bnc_str addr);
/* Copy of `s` with each run of white space made one space, trimmed. */
struct bnc_str bnc_text_squeeze(struct bnc_arena *a, struct bnc_str s);

/* A paragraph that explains several recipients in turn: cut each one's
 * diagnostic where the next recipient's address begins. */
void bnc_facts_cut_shared(struct bnc_facts *f);

/* Line helpers for the formats that lay a notice out in sections. The
 * rest of `text` after the first line holding `marker` (any case), or a
 * null view when no line holds it; and `text` up to the start of that
 * line (all of it when none does). */
struct bnc_str bnc_text_after(struct bnc_str text, const char *marker);
struct bnc_str bnc_text_until(struct bnc_str text, const char *marker);

/* The address a line consists of ("  a@b", "<a@b>", "-- a@b"), or an
 * empty view when the line says anything else. */
struct bnc_str bnc_line_address(struct bnc_str line);

/* Does any field `name` of `h` (all Received: lines, say) contain
 * `needle` (any case)? */
bool bnc_headers_any(const struct bnc_headers *h, const char *name,
    const char *needle);
/* bnc_headers_any(&d->m->headers, "Received", needle), by one search of
 * the fields' values joined by LF (a match holds no LF: it is one
 * field's), the join made on first use. */
bool bnc_received_has(struct bnc_decode *d, const char *needle);

/* The slot for recipient `addr` (normalised into the arena): the one
 * that exists, else a new one. *out is NULL when the address is empty
 * or the recipient limit was hit (f->truncated). 0 or BNC_ENOMEM. */
int bnc_facts_rcpt(struct bnc_rcpt_facts **out, struct bnc_facts *f,
    struct bnc_arena *a, struct bnc_str addr);

/* Complete the recipients of `f` (read from the notice's text) with the
 * facts of the message's RFC 3464 report, if it has one: the group of
 * the same address (else of the same place, when both list as many)
 * gives the status, reply code, remote MTA, action and date that the
 * text lacks.
 * 1 when a report was read, 0 when none, <0 on error. */
int bnc_facts_merge_dsn(struct bnc_facts *f, struct bnc_decode *d);

/* Fill reply code, status and SMTP command of r from its diagnostic,
 * joining the lines of a multi-line reply. */
void bnc_rcpt_fill_from_diagnostic(struct bnc_rcpt_facts *r,
    struct bnc_arena *a);

/* "Final-Recipient:", as rfc3464.c looks for it (common.c). */
extern struct bnc_marker bnc_rfc3464_final;

/* The decoders. */
int bnc_mta_arf(struct bnc_facts *f, struct bnc_decode *d);
int bnc_mta_rfc3464(struct bnc_facts *f, struct bnc_decode *d);
int bnc_mta_rfc3834(struct bnc_facts *f, struct bnc_decode *d);
int bnc_mta_text(struct bnc_facts *f, struct bnc_decode *d);
int bnc_mta_googlegroups(struct bnc_facts *f, struct bnc_decode *d);
int bnc_mta_amazonses(struct bnc_facts *f, struct bnc_decode *d);
int bnc_mta_fml(struct bnc_facts *f, struct bnc_decode *d);
int bnc_mta_exim(struct bnc_facts *f, struct bnc_decode *d);
int bnc_mta_mailru(struct bnc_facts *f, struct bnc_decode *d);
int bnc_mta_gmx(struct bnc_facts *f, struct bnc_decode *d);
int bnc_mta_einsundeins(struct bnc_facts *f, struct bnc_decode *d);
int bnc_mta_qmail(struct bnc_facts *f, struct bnc_decode *d);
int bnc_mta_powermta(struct bnc_facts *f, struct bnc_decode *d);
int bnc_mta_yandex(struct bnc_facts *f, struct bnc_decode *d);
int bnc_mta_zoho(struct bnc_facts *f, struct bnc_decode *d);
int bnc_mta_verizon(struct bnc_facts *f, struct bnc_decode *d);

/* Exim's layout without the check that Exim wrote it: for the providers
 * whose bounces are Exim's (Mail.ru). 0 when no address paragraph. */
int bnc_exim_read(struct bnc_facts *f, struct bnc_decode *d);
/* GMX's layout (also 1&1's); 0 when no failed address. */
int bnc_gmx_read(struct bnc_facts *f, struct bnc_decode *d);
/* qmail's layout ("<a@b>:" paragraphs), shared by its descendants; 0
 * when no such paragraph. */
int bnc_qmail_read(struct bnc_facts *f, struct bnc_decode *d);
/* Sendmail's text layout alone (address list, "Transcript of session
 * follows"), for its notices without a usable report, shared by
 * Sendmail v5 and Active!Hunter; 0 when it names no recipient. */
int bnc_sendmail_text_read(struct bnc_facts *f, struct bnc_decode *d);

/* Sendmail's report and transcript (sendmail.c), shared with the MTAs
 * built on it: the RFC 3464 reader, then what the transcript adds. */
int bnc_sendmail_read(struct bnc_facts *f, struct bnc_decode *d);

int bnc_mta_exchange2003(struct bnc_facts *f, struct bnc_decode *d);
int bnc_mta_exchange2007(struct bnc_facts *f, struct bnc_decode *d);
int bnc_mta_office365(struct bnc_facts *f, struct bnc_decode *d);
int bnc_mta_outlook(struct bnc_facts *f, struct bnc_decode *d);
int bnc_mta_domino(struct bnc_facts *f, struct bnc_decode *d);
int bnc_mta_notes(struct bnc_facts *f, struct bnc_decode *d);

/* Exchange 2007 and later (exchange2007.c), shared with Office 365: is
 * this an Exchange NDR, and read it. */
bool bnc_exchange_is_ndr(struct bnc_decode *d);
/* Its headings of the section for administrators (English, French,
 * German, Spanish): it is an NDR if the text holds one. */
extern struct bnc_marker bnc_exchange_head_en, bnc_exchange_head_fr,
    bnc_exchange_head_de, bnc_exchange_head_es;
int bnc_exchange_ndr(struct bnc_facts *f, struct bnc_decode *d);

/* Facts from one Amazon SES notification (or its SNS envelope) in JSON;
 * shared with the webhook layer. 1 when it is one, 0 when not. */
int bnc_ses_json_facts(struct bnc_facts *f, struct bnc_arena *a,
    struct bnc_str json);

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * exchange2007.c - NDRs of Microsoft Exchange 2007 and later, on the
 * customer's own servers (Office 365 runs the same code: office365.c
 * uses the reader below). A multipart/report whose text part ends with a
 * section for administrators, in the language of Content-Language:
 *
 *	Diagnostic information for administrators:
 *
 *	Generating server: mx.example.org
 *	Receiving server: mail.example.net (192.0.2.3)
 *
 *	rcpt@example.net
 *	[remote.example.net]
 *	Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'
 *	3/9/2016 8:05:56 PM - Remote Server at ... returned '441 4.4.1 ...'
 *
 *	Original message headers:
 *
 * (older versions write "#550 5.1.1 RESOLVER.ADR.RecipNotFound ##").
 * The DSN part is read when there is one; the section gives what it
 * lacks: the recipients of an NDR without one, the remote host, and the
 * delivery history, newest first. Exchange names what failed with its
 * own codes (RESOLVER.ADR.RecipNotFound, QUEUE.Expired, ...).
 *
 * Recognised by the section heading, or by Exchange's
 * X-MS-Exchange-Message-Is-Ndr header with an "Undeliverable:" subject.
 */
#include "../dsn/reply.h"
#include "../mail/address.h"
#include "mta.h"

struct bnc_marker bnc_exchange_head_en =
    BNC_MARKER("Diagnostic information for administrators");
struct bnc_marker bnc_exchange_head_fr =
    BNC_MARKER("Informations de diagnostic pour les administrateurs");
struct bnc_marker bnc_exchange_head_de =
    BNC_MARKER("Diagnoseinformationen für Administratoren");
struct bnc_marker bnc_exchange_head_es =
    BNC_MARKER("Información de diagnóstico para administradores");
BNC_MARKERS(exchange2007, &bnc_exchange_head_en, &bnc_exchange_head_fr,
    &bnc_exchange_head_de, &bnc_exchange_head_es);

/* The headings of the section for administrators, in the order tried. */
static const struct bnc_marker *const admin_heads[] = {
	&bnc_exchange_head_en, &bnc_exchange_head_fr, &bnc_exchange_head_de,
	&bnc_exchange_head_es, NULL
};

static const char *const admin_ends[] = {
	"Original message headers",
	"En-têtes de message d'origine",
	"Ursprüngliche Nachrichtenkopfzeilen",
	"Encabezados del mensaje original",
	NULL
};

static const char *const generating[] = { "Generating server:",
	"Serveur de génération", "Generierender Server:",
	"Servidor de generación", NULL };
static const char *const receiving[] = { "Receiving server:",
	"Serveur de réception", "Empfangender Server:",
	"Servidor de recepción", NULL };

/* Exchange's own status texts. */
static const struct {
	const char *code;
	const char *reason;
} codes[] = {
	{ "RESOLVER.ADR.RecipNotFound", "userunknown" },
	{ "RESOLVER.ADR.ExRecipNotFound", "userunknown" },
	{ "RESOLVER.ADR.RecipientNotFound", "userunknown" },
	{ "RESOLVER.ADR.BadPrimary", "systemerror" },
	{ "RESOLVER.ADR.InvalidInSmtp", "systemerror" },
	{ "RESOLVER.ADR.Ambiguous", "systemerror" },
	{ "RESOLVER.RST.AuthRequired", "securityerror" },
	{ "RESOLVER.RST.NotAuthorized", "rejected" },
	{ "RESOLVER.RST.RecipSizeLimit", "exceedlimit" },
	{ "QUEUE.Expired", "expired" },
	{ "SMTPSEND.DNS.NonExistentDomain", "hostunknown" },
	{ "SMTPSEND.DNS.MxLoopback", "networkerror" },
};

static long
find_any(struct bnc_str text, const char *const *list, size_t *len)
{
	size_t i;
	long at;

	for (i = 0; list[i]; i++) {
		at = bnc_str_ifind(text, list[i], strlen(list[i]));
		if (at >= 0) {
			*len = strlen(list[i]);
			return at;
		}
	}
	return -1;
}

/* Where the first heading of admin_heads (in their order) that the text
 * holds is, or -1. */
static long
find_heading(const struct bnc_decode *d)
{
	size_t i;
	long at;

	for (i = 0; admin_heads[i]; i++)
		if ((at = bnc_text_find(d, admin_heads[i])) >= 0)
			return at;
	return -1;
}

/* The section for administrators, without its heading line, up to the
 * copy of the original headers; a null view when there is none. */
static struct bnc_str
admin_section(const struct bnc_decode *d)
{
	struct bnc_str s = BNC_STR_NULL;
	size_t i;
	long at;

	at = find_heading(d);
	if (at < 0)
		return s;
	s = bnc_text_after(bnc_str_from(d->text, (size_t)at), ":");
	for (i = 0; admin_ends[i]; i++)
		s = bnc_text_until(s, admin_ends[i]);
	return s;
}

/* The value after one of `labels` on a line of `s` ("Generating server:
 * mx.example.org"), its first word. */
static struct bnc_str
labelled(struct bnc_str s, const char *const *labels)
{
	struct bnc_str v, rest;
	size_t n, i;
	long at = find_any(s, labels, &n);

	if (at < 0)
		return BNC_STR_NULL;
	v = bnc_str_line(bnc_str_from(s, (size_t)at + n), &rest);
	/* The French labels put a space before the colon. */
	v = bnc_str_trim(v);
	while (v.len && (v.ptr[0] == ':' || v.ptr[0] == ' '))
		v = bnc_str_from(v, 1);
	for (i = 0; i < v.len && v.ptr[i] != ' '; i++)
		;
	v.len = i;
	return v;
}

/* A line that is only a host name: the remote server named under the
 * recipient in Office 365's section. */
static bool
host_line(struct bnc_str t)
{
	size_t i;
	bool dot = false;

	if (t.len < 4)
		return false;
	for (i = 0; i < t.len; i++) {
		unsigned char c = (unsigned char)t.ptr[i];
		if (c == '.')
			dot = true;
		else if (!bnc_is_alpha(c) && !bnc_is_digit(c) && c != '-')
			return false;
	}
	return dot;
}

/* The server's reply in one history line: what is quoted after
 * "returned '", or the "#550 ... ##" form without its marks. */
static struct bnc_str
reply_of(struct bnc_str t)
{
	long at = bnc_str_ifind(t, "returned '", 10);
	size_t i;

	if (at >= 0) {
		t = bnc_str_from(t, (size_t)at + 10);
		if (t.len && t.ptr[t.len - 1] == '\'')
			t.len--;
		return t;
	}
	if (t.len && t.ptr[0] == '#') {
		t = bnc_str_from(t, 1);
		for (i = 0; i + 1 < t.len; i++)
			if (t.ptr[i] == '#' && t.ptr[i + 1] == '#')
				break;
		t.len = i + 1 < t.len ? i : t.len;
		return bnc_str_trim(t);
	}
	return BNC_STR_NULL;
}

/* What the section says about one recipient. */
struct admin_rcpt {
	struct bnc_str host;		/* the remote server, if named */
	struct bnc_str last;		/* the newest reply */
	struct bnc_str cause;		/* the newest reply of another
					 * attempt, when there are several */
};

static void
admin_rcpt(struct admin_rcpt *out, struct bnc_str admin, struct bnc_str addr)
{
	struct bnc_str rest = admin, line, t;

	memset(out, 0, sizeof(*out));
	while (rest.len) {
		line = bnc_str_line(rest, &rest);
		if (bnc_line_address(line).len == addr.len &&
		    bnc_str_ifind(line, addr.ptr, addr.len) >= 0)
			break;
	}
	while (rest.len) {
		line = bnc_str_line(rest, &rest);
		t = bnc_str_trim(line);
		if (t.len == 0 || bnc_line_address(t).len)
			break;
		if (host_line(t)) {
			out->host = t;
			continue;
		}
		t = reply_of(t);
		if (t.len == 0)
			continue;
		if (out->last.len == 0)
			out->last = t;
		else if (out->cause.len == 0)
			out->cause = t;
	}
}

static const char *
code_reason(struct bnc_str diag)
{
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (bnc_str_icontains(diag, codes[i].code))
			return codes[i].reason;
	return NULL;
}

/* Join two texts with a space, in the arena. */
static struct bnc_str
join2(struct bnc_arena *a, struct bnc_str x, struct bnc_str y)
{
	char *p = bnc_arena_alloc(a, x.len + y.len + 2);

	if (p == NULL)
		return x;
	memcpy(p, x.ptr, x.len);
	p[x.len] = ' ';
	memcpy(p + x.len + 1, y.ptr, y.len);
	p[x.len + y.len + 1] = '\0';
	return bnc_str_make(p, x.len + y.len + 1);
}

/* A queue that gave up (X.4.7) after another failure: that one is the
 * cause, and the status to report (RFC 3463 3.5). */
static void
use_cause(struct bnc_rcpt_facts *r, struct bnc_str cause, struct bnc_arena *a)
{
	struct bnc_reply rep;

	if (!bnc_str_iends(r->status, ".4.7"))
		return;
	bnc_reply_scan(cause, &rep);
	if (rep.status.len == 0 || rep.status.ptr[0] != r->status.ptr[0] ||
	    bnc_str_iends(rep.status, ".4.7"))
		return;
	r->status = rep.status;
	r->reply_code = rep.code;
	r->diagnostic = join2(a, r->diagnostic, cause);
}

int
bnc_exchange_ndr(struct bnc_facts *f, struct bnc_decode *d)
{
	struct bnc_str admin = admin_section(d), host;
	size_t i;
	int rc;

	if (bnc_decode_has_dsn(d)) {
		rc = bnc_mta_rfc3464(f, d);
		if (rc <= 0)
			return rc;
	} else {
		struct bnc_str rest = admin, line, addr;
		struct bnc_rcpt_facts *r;

		while (rest.len) {
			line = bnc_str_line(rest, &rest);
			addr = bnc_line_address(line);
			if (addr.len == 0)
				continue;
			if ((rc = bnc_facts_rcpt(&r, f, d->a, addr)) < 0)
				return rc;
			if (r != NULL)
				r->action = bnc_str_c("failed");
		}
		if (f->n == 0)
			return bnc_mta_text(f, d);
	}
	if (f->reporting_mta.len == 0)
		f->reporting_mta = labelled(admin, generating);
	host = labelled(admin, receiving);
	for (i = 0; i < f->n; i++) {
		struct bnc_rcpt_facts *r = &f->r[i];
		struct admin_rcpt ar;

		admin_rcpt(&ar, admin, r->recipient);
		if (r->remote_mta.len == 0)
			r->remote_mta = ar.host.len ? ar.host : host;
		if (r->diagnostic.len == 0 && ar.last.len) {
			r->diagnostic = bnc_text_squeeze(d->a, ar.last);
			bnc_rcpt_fill_from_diagnostic(r, d->a);
		}
		if (ar.cause.len)
			use_cause(r, bnc_text_squeeze(d->a, ar.cause), d->a);
		if (r->reason == NULL)
			r->reason = code_reason(r->diagnostic);
	}
	return 1;
}

/* Exchange's NDR marks: the section heading, or the NDR header. */
bool
bnc_exchange_is_ndr(struct bnc_decode *d)
{
	/* Office 365's decoder asks too: answer once. */
	if (d->exchange_ndr == 0)
		d->exchange_ndr = find_heading(d) >= 0 ||
		    (bnc_headers_has(&d->m->headers,
		    "X-MS-Exchange-Message-Is-Ndr") &&
		    bnc_decode_has_dsn(d)) ? 2 : 1;
	return d->exchange_ndr == 2;
}

int
bnc_mta_exchange2007(struct bnc_facts *f, struct bnc_decode *d)
{
	if (!bnc_exchange_is_ndr(d))
		return 0;
	return bnc_exchange_ndr(f, d);
}

/* bnc_exchange_is_ndr(): a heading, or the header with a report. */
BNC_WHEN(exchange2007, BNC_IF_TEXT(&bnc_exchange_head_en),
    BNC_IF_TEXT(&bnc_exchange_head_fr), BNC_IF_TEXT(&bnc_exchange_head_de),
    BNC_IF_TEXT(&bnc_exchange_head_es),
    BNC_IF_HEADER("X-MS-Exchange-Message-Is-Ndr"));
BNC_DECODER(exchange2007, BNC_ORDER_FORMAT, bnc_mta_exchange2007);

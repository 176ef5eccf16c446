/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dsn.c - RFC 3464 section 2.2 (per-message) and 2.3 (per-recipient)
 * fields. Real reports bend the syntax: no blank line between groups,
 * Original-Recipient after Final-Recipient, address types in any case,
 * "rfc822;addr" without a space, stray text lines. A group starts at a
 * blank line or at a recipient field when the current group already has
 * one of that kind.
 */
#include "bouncer.h"
#include "../mail/address.h"
#include "../mail/header.h"
#include "dsn.h"
#include "reply.h"

struct bnc_str
bnc_dsn_value(struct bnc_str v, struct bnc_str *type_out)
{
	const char *semi = memchr(v.ptr, ';', v.len);
	struct bnc_str type = BNC_STR_NULL;

	if (semi != NULL) {
		type = bnc_str_trim(bnc_str_make(v.ptr, (size_t)(semi - v.ptr)));
		/* "smtp; ..." but not "550 5.1.1 a;b": a type is one token */
		if (type.len == 0 || type.len > 16 ||
		    memchr(type.ptr, ' ', type.len) != NULL) {
			type = BNC_STR_NULL;
		} else {
			v = bnc_str_from(v, (size_t)(semi - v.ptr) + 1);
		}
	}
	if (type_out)
		*type_out = type;
	return bnc_str_trim(v);
}

struct bnc_str
bnc_dsn_mta_name(struct bnc_str v)
{
	size_t i;

	/* "mx.example.com. (192.0.2.1, the server for ...)": the name. */
	for (i = 0; i < v.len; i++)
		if (bnc_is_space((unsigned char)v.ptr[i]) || v.ptr[i] == '(')
			break;
	v.len = i;
	while (v.len > 1 && v.ptr[v.len - 1] == '.')
		v.len--;
	return v;
}

struct group {
	struct bnc_rcpt_facts *r;
	bool has_final, has_orig;
	bool has_fields;	/* Action or Status seen */
	struct bnc_str orig;
};

/* Does `addr` name the group's recipient (some MTAs write the
 * Original-Recipient after Action and Status)? */
static bool
same_rcpt(const struct group *g, struct bnc_str addr)
{
	struct bnc_str cur = g->has_final ? g->r->recipient : g->orig;

	return cur.len == addr.len && bnc_str_ifind(cur, addr.ptr,
	    addr.len) == 0;
}

static void
close_group(struct group *g)
{
	/* Only an Original-Recipient: it is the recipient then. */
	if (g->r && !g->has_final && g->orig.len)
		g->r->recipient = g->orig;
	memset(g, 0, sizeof(*g));
}

/* The fields the parser reads, told once from the name: by its length,
 * then the names of that length (bnc_str_ieq() is false for any other
 * length). */
enum field {
	F_OTHER, F_FINAL, F_X_ACTUAL, F_ORIG, F_REPORTING_MTA,
	F_ARRIVAL_DATE, F_ACTION, F_STATUS, F_REMOTE_MTA, F_DIAGNOSTIC,
	F_LAST_ATTEMPT
};

static enum field
field_of(struct bnc_str n)
{
	switch (n.len) {
	case 6:
		return bnc_str_ieq(n, "Action") ? F_ACTION :
		    bnc_str_ieq(n, "Status") ? F_STATUS : F_OTHER;
	case 10:
		return bnc_str_ieq(n, "Remote-MTA") ? F_REMOTE_MTA : F_OTHER;
	case 12:
		return bnc_str_ieq(n, "Arrival-Date") ? F_ARRIVAL_DATE :
		    F_OTHER;
	case 13:
		return bnc_str_ieq(n, "Reporting-MTA") ? F_REPORTING_MTA :
		    F_OTHER;
	case 15:
		return bnc_str_ieq(n, "Final-Recipient") ? F_FINAL :
		    bnc_str_ieq(n, "Diagnostic-Code") ? F_DIAGNOSTIC : F_OTHER;
	case 17:
		return bnc_str_ieq(n, "Last-Attempt-Date") ? F_LAST_ATTEMPT :
		    F_OTHER;
	case 18:
		return bnc_str_ieq(n, "X-Actual-Recipient") ? F_X_ACTUAL :
		    bnc_str_ieq(n, "Original-Recipient") ? F_ORIG : F_OTHER;
	default:
		return F_OTHER;
	}
}

int
bnc_dsn_parse(struct bnc_facts *f, struct bnc_arena *a, struct bnc_str body,
    size_t max_field)
{
	struct bnc_field_iter it;
	struct bnc_header h;
	struct group g = { 0 };
	int added = 0, rc;

	bnc_field_iter_init(&it, body, max_field);
	while (it.rest.len) {
		rc = bnc_field_next(&it, a, &h);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			/* Blank line: end of group. Other line: skip it. */
			struct bnc_str line = bnc_str_line(it.rest, &it.rest);
			if (bnc_str_trim(line).len == 0)
				close_group(&g);
			continue;
		}
		struct bnc_str v = h.value, type;
		enum field k = field_of(h.name);
		bool is_final = k == F_FINAL || k == F_X_ACTUAL;
		bool is_orig = k == F_ORIG;

		if (k == F_OTHER)
			continue;
		if (k == F_REPORTING_MTA) {
			if (f->reporting_mta.len == 0)
				f->reporting_mta = bnc_dsn_mta_name(bnc_dsn_value(v, NULL));
			continue;
		}
		if (k == F_ARRIVAL_DATE) {
			if (f->arrival_date.len == 0)
				f->arrival_date = v;
			continue;
		}
		if (is_final || is_orig) {
			struct bnc_str addr = bnc_addr_normalise(a,
			    bnc_dsn_value(v, NULL));
			if (k == F_X_ACTUAL) {
				/* Informative only, when Final is there. */
				if (g.r && g.has_final)
					continue;
			}
			/* A recipient field after the group's Action or
			 * Status starts the next group (no blank line). */
			if (g.r == NULL || (is_final && g.has_final) ||
			    (is_orig && g.has_orig) ||
			    (g.has_fields && (g.has_final || g.has_orig) &&
			    !same_rcpt(&g, addr))) {
				close_group(&g);
				g.r = bnc_facts_add(f, a);
				if (g.r == NULL)
					return f->truncated ? added : BNC_ENOMEM;
				added++;
			}
			if (is_final) {
				g.has_final = true;
				g.r->recipient = addr;
			} else {
				g.has_orig = true;
				g.orig = addr;
			}
			continue;
		}
		if (g.r == NULL) {
			/* Per-recipient field before any recipient field:
			 * open the group now, the recipient may follow. */
			if (!(k == F_ACTION || k == F_STATUS ||
			    k == F_DIAGNOSTIC || k == F_REMOTE_MTA))
				continue;
			g.r = bnc_facts_add(f, a);
			if (g.r == NULL)
				return f->truncated ? added : BNC_ENOMEM;
			added++;
		}
		if (k == F_ACTION) {
			g.r->action = bnc_str_trim(v);
			g.has_fields = true;
		} else if (k == F_STATUS) {
			g.has_fields = true;
			struct bnc_str s = bnc_status_find(v);
			if (s.len)
				g.r->status = s;
		} else if (k == F_REMOTE_MTA) {
			g.r->remote_mta = bnc_dsn_mta_name(bnc_dsn_value(v, NULL));
		} else if (k == F_DIAGNOSTIC) {
			g.r->diagnostic = bnc_dsn_value(v, &type);
			g.r->diag_type = type;
		} else if (k == F_LAST_ATTEMPT) {
			g.r->last_attempt = v;
		}
	}
	close_group(&g);
	/* Drop groups that never named a recipient. */
	{
		size_t i, j = 0;
		size_t first = f->n - (size_t)added;
		for (i = first; i < f->n; i++) {
			if (f->r[i].recipient.len == 0) {
				added--;
				continue;
			}
			f->r[j + first] = f->r[i];
			j++;
		}
		f->n = first + j;
	}
	return added;
}

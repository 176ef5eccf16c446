/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * facts.c - the recipient list of struct bnc_facts.
 */
#include "facts.h"

struct bnc_rcpt_facts *
bnc_facts_add(struct bnc_facts *f, struct bnc_arena *a)
{
	struct bnc_rcpt_facts *r;

	if (f->max && f->n >= f->max) {
		f->truncated = true;
		return NULL;
	}
	if (f->n == f->cap) {
		size_t ncap = f->cap ? f->cap * 2 : 4;
		r = bnc_arena_grow(a, f->r, f->cap * sizeof(*r),
		    ncap * sizeof(*r));
		if (r == NULL)
			return NULL;
		f->r = r;
		f->cap = ncap;
	}
	r = &f->r[f->n++];
	memset(r, 0, sizeof(*r));
	return r;
}

struct bnc_rcpt_facts *
bnc_facts_find(struct bnc_facts *f, struct bnc_str addr)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->r[i].recipient.len == addr.len &&
		    bnc_str_ifind(f->r[i].recipient, addr.ptr, addr.len) == 0)
			return &f->r[i];
	return NULL;
}

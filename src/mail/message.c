/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * message.c - message loading. CRLF and bare CR become LF here, once, so
 * every parser above sees one kind of line end (a bare-CR Mac mailbox
 * must decode exactly like its LF twin).
 */
#include <stdint.h>
#include <string.h>

#include "codec.h"
#include "message.h"

/* Offset of the next CR or NUL in in[i, len), or len. *cr and *nul
 * cache the last hits (SIZE_MAX: none yet) so each memchr() sweeps the
 * message once. */
static size_t
next_special(const char *in, size_t i, size_t len, size_t *cr, size_t *nul)
{
	const char *hit;

	if (*cr == SIZE_MAX || *cr < i) {
		hit = memchr(in + i, '\r', len - i);
		*cr = hit ? (size_t)(hit - in) : len;
	}
	if (*nul == SIZE_MAX || *nul < i) {
		hit = memchr(in + i, '\0', len - i);
		*nul = hit ? (size_t)(hit - in) : len;
	}
	return *cr < *nul ? *cr : *nul;
}

/* Output state of normalise(): where the current line began, so no
 * line grows past the line_size limit. */
struct norm {
	char *out;
	size_t n;		/* bytes written */
	size_t line;		/* offset in out of the current line */
	size_t max_line;	/* line_size */
	bool cut;		/* a line was cut */
};

/* Append in[0, len), which holds no CR and no NUL. */
static void
put_run(struct norm *o, const char *in, size_t len)
{
	const char *nl, *last;
	size_t i, piece, room;

	/* Common case: even if it were one line, it would fit. */
	if (o->n - o->line + len <= o->max_line) {
		memcpy(o->out + o->n, in, len);
		o->n += len;
		last = len ? memrchr(in, '\n', len) : NULL;
		if (last != NULL)
			o->line = o->n - (len - (size_t)(last - in) - 1);
		return;
	}
	for (i = 0; i < len; i += piece) {
		nl = memchr(in + i, '\n', len - i);
		piece = nl ? (size_t)(nl - in) - i : len - i;
		room = o->max_line > o->n - o->line ?
		    o->max_line - (o->n - o->line) : 0;
		if (piece > room)
			o->cut = true;
		memcpy(o->out + o->n, in + i, piece < room ? piece : room);
		o->n += piece < room ? piece : room;
		if (nl != NULL) {
			o->out[o->n++] = '\n';
			o->line = o->n;
			piece++;
		}
	}
}

/* Copy with CRLF -> LF and CR -> LF; NUL bytes become spaces so that
 * C-string consumers of header values are never cut short; lines are
 * cut at `max_line` bytes. The bytes between two CRs or NULs (all of an
 * LF message) are copied as one run: this copy touches every byte of
 * every message. */
static struct bnc_str
normalise(struct bnc_arena *a, const char *in, size_t len, size_t max_line,
    bool clean, bool *cut)
{
	struct norm o = { NULL, 0, 0, max_line, false };
	size_t i = 0, at, cr = SIZE_MAX, nul = SIZE_MAX;

	/* No CR, no NUL and no line that can be too long (the whole is
	 * not): nothing to change, so no copy. The message is read while
	 * its caller's bytes are there (bnc_parse() copies what a report
	 * keeps). `clean`: the caller knows there is no CR and no NUL. */
	*cut = false;
	if (len > 0 && len <= max_line && (clean ||
	    next_special(in, 0, len, &cr, &nul) == len))
		return bnc_str_make(in, len);
	o.out = bnc_arena_alloc(a, len + 1);
	if (o.out == NULL)
		return BNC_STR_NULL;
	while (i < len) {
		at = next_special(in, i, len, &cr, &nul);
		put_run(&o, in + i, at - i);
		if (at == len)
			break;
		if (in[at] == '\r') {
			if (at + 1 < len && in[at + 1] == '\n')
				at++;
			put_run(&o, "\n", 1);
		} else {
			put_run(&o, " ", 1);
		}
		i = at + 1;
	}
	o.out[o.n] = '\0';
	*cut = o.cut;
	return bnc_str_make(o.out, o.n);
}

int
bnc_message_load(struct bnc_message *m, struct bnc_arena *a,
    const void *data, size_t len, const struct bnc_limits *limits)
{
	return bnc_message_load_clean(m, a, data, len, limits, false);
}

int
bnc_message_load_clean(struct bnc_message *m, struct bnc_arena *a,
    const void *data, size_t len, const struct bnc_limits *limits,
    bool clean)
{
	bool cut = false;
	int rc;

	memset(m, 0, sizeof(*m));
	if (len > limits->message_size) {
		len = limits->message_size;
		m->anomalies |= BNC_ANOMALY_TRUNCATED;
	}
	m->raw = normalise(a, data, len, limits->line_size, clean, &cut);
	if (m->raw.ptr == NULL)
		return BNC_ENOMEM;
	if (cut)
		m->anomalies |= BNC_ANOMALY_LONG_LINE;
	rc = bnc_headers_parse(&m->headers, a, m->raw, &m->body,
	    limits->header_size);
	if (rc)
		return rc;
	rc = bnc_mime_walk(&m->mime, a, &m->headers, m->body, limits);
	if (rc)
		return rc;
	m->anomalies |= m->mime.anomalies;
	m->subject = bnc_rfc2047_decode(a, bnc_headers_get(&m->headers,
	    "Subject"));
	m->from = bnc_headers_get(&m->headers, "From");
	return 0;
}

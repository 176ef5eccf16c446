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

/* Copy with CRLF -> LF and CR -> LF; NUL bytes become spaces so that
 * C-string consumers of header values are never cut short. The bytes
 * between two CRs or NULs (all of an LF message) are copied as one run:
 * this copy touches every byte of every message. */
static struct bnc_str
normalise(struct bnc_arena *a, const char *in, size_t len)
{
	char *out = bnc_arena_alloc(a, len + 1);
	size_t i = 0, n = 0, at, cr = SIZE_MAX, nul = SIZE_MAX;

	if (out == NULL)
		return BNC_STR_NULL;
	while (i < len) {
		at = next_special(in, i, len, &cr, &nul);
		memcpy(out + n, in + i, at - i);
		n += at - i;
		if (at == len)
			break;
		if (in[at] == '\r') {
			out[n++] = '\n';
			if (at + 1 < len && in[at + 1] == '\n')
				at++;
		} else {
			out[n++] = ' ';
		}
		i = at + 1;
	}
	out[n] = '\0';
	return bnc_str_make(out, n);
}

int
bnc_message_load(struct bnc_message *m, struct bnc_arena *a,
    const void *data, size_t len, const struct bnc_limits *limits)
{
	int rc;

	memset(m, 0, sizeof(*m));
	if (len > limits->message_size) {
		len = limits->message_size;
		m->anomalies |= BNC_ANOMALY_TRUNCATED;
	}
	m->raw = normalise(a, data, len);
	if (m->raw.ptr == NULL)
		return BNC_ENOMEM;
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

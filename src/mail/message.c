/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * message.c - message loading. CRLF and bare CR become LF here, once, so
 * every parser above sees one kind of line end (a bare-CR Mac mailbox
 * must decode exactly like its LF twin).
 */
#include "codec.h"
#include "message.h"

/* Copy with CRLF -> LF and CR -> LF; NUL bytes become spaces so that
 * C-string consumers of header values are never cut short. */
static struct bnc_str
normalise(struct bnc_arena *a, const char *in, size_t len)
{
	char *out = bnc_arena_alloc(a, len + 1);
	size_t i, n = 0;

	if (out == NULL)
		return BNC_STR_NULL;
	for (i = 0; i < len; i++) {
		char c = in[i];
		if (c == '\r') {
			if (i + 1 < len && in[i + 1] == '\n')
				continue;
			c = '\n';
		} else if (c == '\0') {
			c = ' ';
		}
		out[n++] = c;
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

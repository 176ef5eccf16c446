/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_mime.c - libFuzzer target for the message layer alone: line-end
 * normalisation, RFC 5322 header blocks, the MIME walker with its
 * transfer decoders (base64, QP) and charset conversion, RFC 2047 words.
 * Small limits make the depth, part and decoded-size caps reachable with
 * small inputs. Every decoded part is read back so that a view pointing
 * outside its arena trips ASan.
 */
#include <stddef.h>
#include <stdint.h>

#include "mail/message.h"
#include "util/limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
touch(struct bnc_str s)
{
	volatile unsigned sum = 0;
	size_t i;

	for (i = 0; i < s.len; i++)
		sum += (unsigned char)s.ptr[i];
	(void)sum;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bnc_limits l = { .header_size = 256, .mime_depth = 8,
	    .mime_parts = 64, .decoded_size = 4096, .recipients = 16,
	    .line_size = 1024, .work_size = (size_t)1 << 22 };
	struct bnc_message m;
	struct bnc_arena a;
	size_t i, k;

	bnc_limits_resolve(&l);
	/* A cap as bnc_parse() sets one: hitting it must fail cleanly. */
	bnc_arena_init(&a, (size_t)1 << 22);
	if (bnc_message_load(&m, &a, data, size, &l) == 0) {
		touch(m.subject);
		touch(m.from);
		for (i = 0; i < m.mime.n; i++) {
			const struct bnc_part *p = &m.mime.parts[i];
			touch(p->body);
			for (k = 0; k < p->headers.n; k++) {
				touch(p->headers.v[k].name);
				touch(bnc_header_value(&p->headers, k));
			}
		}
	}
	bnc_arena_deinit(&a);
	return 0;
}

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_reply.c - libFuzzer target for the SMTP reply and RFC 3463 status
 * scanners of src/dsn/reply.c: the best code/status pair, the joining of
 * multi-line replies, the SMTP command named in a text. The input is
 * free text as a diagnostic carries it.
 */
#include <stddef.h>
#include <stdint.h>

#include "dsn/reply.h"

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
	struct bnc_str text = bnc_str_make((const char *)data, size), j;
	struct bnc_reply rep;
	struct bnc_arena a;
	volatile const char *cmd;

	bnc_arena_init(&a, (size_t)1 << 22);
	bnc_reply_scan(text, &rep);
	touch(rep.code);
	touch(rep.status);
	/* As the decoders do: join with the code found, then scan again. */
	j = bnc_reply_join(&a, text, rep.code);
	touch(j);
	bnc_reply_scan(j, &rep);
	touch(rep.code);
	touch(rep.status);
	touch(bnc_status_find(text));
	(void)bnc_status_valid(text);
	cmd = bnc_smtp_command_find(text);
	(void)cmd;
	bnc_arena_deinit(&a);
	return 0;
}

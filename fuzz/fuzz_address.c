/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_address.c - libFuzzer target for the address scanner
 * (src/mail/address.c): every address found in a text, the first one
 * normalised, the daemon test. Checks the scanner's own promises: each
 * address lies inside the text, holds an '@', and the cursor only moves
 * forward.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "mail/address.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bnc_str text = bnc_str_make((const char *)data, size), addr;
	struct bnc_arena a;
	size_t pos = 0, last = 0;

	bnc_arena_init(&a, (size_t)1 << 22);
	for (;;) {
		addr = bnc_addr_next(text, &pos);
		if (addr.len == 0)
			break;
		if (addr.ptr < text.ptr || addr.ptr + addr.len > text.ptr + size ||
		    memchr(addr.ptr, '@', addr.len) == NULL || pos <= last)
			abort();	/* a broken promise is a finding */
		last = pos;
		(void)bnc_addr_is_daemon(addr);
	}
	addr = bnc_addr_normalise(&a, text);
	if (addr.len && addr.ptr[addr.len] != '\0')
		abort();
	bnc_arena_deinit(&a);
	return 0;
}

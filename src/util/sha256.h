/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sha256.h - SHA-256 (FIPS 180-4), for event keys: a stable name for
 * "this bounce about this recipient" that does not depend on where the
 * bounce was read from. Not used for anything secret.
 */
#ifndef BNC_UTIL_SHA256_H
#define BNC_UTIL_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct bnc_sha256 {
	uint32_t h[8];
	uint64_t len;		/* bytes hashed so far */
	unsigned char blk[64];
	size_t used;		/* bytes waiting in blk */
};

void bnc_sha256_init(struct bnc_sha256 *s);
void bnc_sha256_update(struct bnc_sha256 *s, const void *data, size_t len);
void bnc_sha256_final(struct bnc_sha256 *s, unsigned char out[32]);
/* Lower-case hex of the first `n` bytes of `digest` into `out`, which
 * has room for 2 * n + 1 bytes. */
void bnc_hex(char *out, const unsigned char *digest, size_t n);

#endif

/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sha1.h - SHA-1 (FIPS 180-4), for the token of `--format sisimai`,
 * which the reference decoder defines as a SHA-1 of the addresses and
 * the time. Not used for anything secret.
 */
#ifndef BNC_UTIL_SHA1_H
#define BNC_UTIL_SHA1_H

#include <stddef.h>

/* The digest of `len` bytes at `data`. */
void bnc_sha1(const void *data, size_t len, unsigned char out[20]);

#endif

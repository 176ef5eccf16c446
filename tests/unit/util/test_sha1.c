/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_sha1.c - SHA-1 against the FIPS 180 examples and against digests
 * of messages of the lengths where the padding changes (55, 56, 63, 64,
 * 65, 119, 120, 128 bytes), computed with another implementation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "util/sha1.h"

static void
hex(char *out, const unsigned char *d)
{
	size_t i;

	for (i = 0; i < 20; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

int
main(void)
{
	static const struct {
		const char *name, *text, *want;
	} fips[] = {
		{ "empty", "", "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
		{ "abc", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d" },
		{ "two blocks", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmn"
		    "omnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
	};
	static const struct {
		size_t len;
		const char *want;
	} lens[] = {
		{ 55, "ddf57317ef34bfee3b6df83d359098930eb278bc" },
		{ 56, "a0d492bb0fc889d0eca3bc137066ab6f4f74f369" },
		{ 63, "c55856749bef509bdfe6bfebfc7bf4e793e82132" },
		{ 64, "bede92be29c3874e1b54ddc77988d606fc857a8e" },
		{ 65, "b05a80522b053d6dc7e0a517d0e70212c7dad11f" },
		{ 119, "504e27376a6e0f0dba8295b85cb25dc4dfa17d23" },
		{ 120, "82134b02fb3f702491be9bed581eeab59334acb2" },
		{ 128, "a09133e6730ffe899efb70204cb5646cd5dc24ee" },
	};
	unsigned char d[20], buf[128], *million;
	char got[41], name[32];
	size_t i, k;

	for (i = 0; i < H_NELEM(fips); i++) {
		bnc_sha1(fips[i].text, strlen(fips[i].text), d);
		hex(got, d);
		CHECK_STR(fips[i].name, "digest", got, fips[i].want);
	}
	/* Byte i is (7 i + 3) mod 256. */
	for (i = 0; i < H_NELEM(lens); i++) {
		for (k = 0; k < lens[i].len; k++)
			buf[k] = (unsigned char)((k * 7 + 3) % 256);
		bnc_sha1(buf, lens[i].len, d);
		hex(got, d);
		snprintf(name, sizeof(name), "%zu bytes", lens[i].len);
		CHECK_STR(name, "digest", got, lens[i].want);
	}
	million = malloc(1000000);
	if (million != NULL) {
		memset(million, 'a', 1000000);
		bnc_sha1(million, 1000000, d);
		hex(got, d);
		CHECK_STR("a million a", "digest", got,
		    "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
		free(million);
	}
	return h_done("test_sha1");
}

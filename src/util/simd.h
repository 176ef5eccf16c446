/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * simd.h - vector pieces shared by the scanners (x86-64; the callers ask
 * the CPU for AVX2 at run time before they use them).
 */
#ifndef BNC_UTIL_SIMD_H
#define BNC_UTIL_SIMD_H

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

/*
 * For the 32 positions p[0, 32) (reads p[0, 34)): the buckets of the
 * three-byte prefixes, OR 0x20, that each position may start. lo[j] and
 * hi[j] give, for the low and the high nibble of byte j, the buckets of
 * the prefixes with that nibble there (the table in both 128-bit lanes);
 * a bucket stays set when all six look-ups keep it.
 */
__attribute__((target("avx2"))) static inline __m256i
bnc_prefix3_buckets(const char *p, const __m256i lo[3], const __m256i hi[3])
{
	const __m256i low = _mm256_set1_epi8(0x20), nib = _mm256_set1_epi8(15);
	__m256i m = _mm256_set1_epi8(-1);
	unsigned j;

	for (j = 0; j < 3; j++) {
		__m256i b = _mm256_or_si256(_mm256_loadu_si256(
		    (const __m256i *)(const void *)(p + j)), low);
		m = _mm256_and_si256(m, _mm256_and_si256(
		    _mm256_shuffle_epi8(lo[j], _mm256_and_si256(b, nib)),
		    _mm256_shuffle_epi8(hi[j], _mm256_and_si256(
		    _mm256_srli_epi16(b, 4), nib))));
	}
	return m;
}
#endif

#endif

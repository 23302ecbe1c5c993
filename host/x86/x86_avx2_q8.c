// SPDX-License-Identifier: Apache-2.0
/*
 * x86_avx2_q8.c - the AVX2 8-bit 1x1 convolution (built with -mavx2)
 *
 * Tiles of 4 pixels x 8 output channels: the pixels are centred into
 * int16 (mnet_cpu_q8_load_rows()), each pair of inputs is broadcast as one
 * 32-bit lane and multiplied with the panel's 8 x 2 centred int16 weights
 * by vpmaddwd into 8 int32 sums.  |centred values| <= 255, so a pair sum
 * is at most 130050: exact, unlike vpmaddubsw, whose int16 pair sums of
 * uint8 x int8 products saturate.  The epilogue is the shared scalar one,
 * so the result is bit-identical to host/ref_q.
 */
#include <immintrin.h>
#include <string.h>

#include "scalar/cpu_scalar.h"
#include "x86/x86_avx2.h"

void mnet_cpu_q8_pwconv_avx2(const struct mnet_cpu_q8_pw *p, int m0, int m1)
{
	int np = (p->n + MNET_CPU_Q8_NR - 1) / MNET_CPU_Q8_NR;
	int32_t acc[MNET_CPU_Q8_MR * MNET_CPU_Q8_NR] __attribute__((aligned(32)));
	int m, pn, k;

	for (m = m0; m < m1; m += MNET_CPU_Q8_MR) {
		int rows = m1 - m < MNET_CPU_Q8_MR ? m1 - m : MNET_CPU_Q8_MR;
		const int16_t *s0 = p->scratch;
		const int16_t *s1 = s0 + p->kpad, *s2 = s1 + p->kpad;
		const int16_t *s3 = s2 + p->kpad;

		mnet_cpu_q8_load_rows(p, m, rows);
		/* rows past the tile's end read zeros (never stored) */
		if (rows < MNET_CPU_Q8_MR)
			memset(p->scratch + (size_t)rows * p->kpad, 0,
			       (size_t)(MNET_CPU_Q8_MR - rows) * p->kpad *
			       sizeof(int16_t));
		for (pn = 0; pn < np; pn++) {
			const int16_t *w = p->w + (size_t)pn * p->kpad *
						  MNET_CPU_Q8_NR;
			__m256i c0 = _mm256_setzero_si256();
			__m256i c1 = _mm256_setzero_si256();
			__m256i c2 = _mm256_setzero_si256();
			__m256i c3 = _mm256_setzero_si256();

			for (k = 0; k < p->kpad; k += 2) {
				__m256i wv = _mm256_loadu_si256((const __m256i *)
					(w + (size_t)k * MNET_CPU_Q8_NR));
				int32_t x0, x1, x2, x3;

				memcpy(&x0, s0 + k, 4);
				memcpy(&x1, s1 + k, 4);
				memcpy(&x2, s2 + k, 4);
				memcpy(&x3, s3 + k, 4);
				c0 = _mm256_add_epi32(c0, _mm256_madd_epi16(
						_mm256_set1_epi32(x0), wv));
				c1 = _mm256_add_epi32(c1, _mm256_madd_epi16(
						_mm256_set1_epi32(x1), wv));
				c2 = _mm256_add_epi32(c2, _mm256_madd_epi16(
						_mm256_set1_epi32(x2), wv));
				c3 = _mm256_add_epi32(c3, _mm256_madd_epi16(
						_mm256_set1_epi32(x3), wv));
			}
			_mm256_store_si256((__m256i *)acc, c0);
			_mm256_store_si256((__m256i *)(acc + 8), c1);
			_mm256_store_si256((__m256i *)(acc + 16), c2);
			_mm256_store_si256((__m256i *)(acc + 24), c3);
			mnet_cpu_q8_store(p, m, rows, pn, acc);
		}
	}
}

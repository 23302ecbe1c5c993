// SPDX-License-Identifier: Apache-2.0
/*
 * x86_avx2_q8.c - the AVX2 8-bit 1x1 convolution (built with -mavx2)
 *
 * Tiles of 4 pixels x 8 output channels: the pixels are centred into
 * int16 (mnet_cpu_q8_load_rows()), each pair of inputs is broadcast as one
 * 32-bit lane and multiplied with the panel's 8 x 2 centred int16 weights
 * by vpmaddwd into 8 int32 sums.  |centred values| <= 255, so a pair sum
 * is at most 130050: exact, unlike vpmaddubsw, whose int16 pair sums of
 * uint8 x int8 products saturate.  The epilogue requantizes the tile's
 * 4 x 8 sums in registers (x86_avx2_req.h), lane for lane what
 * host/ref_q computes, so the result is bit-identical to it.
 */
#include <immintrin.h>
#include <string.h>

#include "scalar/cpu_scalar.h"
#include "x86/x86_avx2.h"
#include "x86/x86_avx2_req.h"

/*
 * Requantize, offset, clamp and store the sums of one 4 x 8 tile: the
 * panel's bias, multipliers and shifts are padded to whole panels, so
 * all 8 lanes load; channels past @p->n are left out of the store.
 */
static void store_tile(const struct mnet_cpu_q8_pw *p, int m0, int rows,
		       int panel, const __m256i *c)
{
	int o0 = panel * MNET_CPU_Q8_NR, r;
	int nj = p->n - o0 < MNET_CPU_Q8_NR ? p->n - o0 : MNET_CPU_Q8_NR;
	__m256i bias = _mm256_loadu_si256((const __m256i *)(p->bias + o0));
	__m256i zp = _mm256_set1_epi32(p->c_zp);
	__m256i lo = _mm256_set1_epi32(p->lo), hi = _mm256_set1_epi32(p->hi);
	struct mnet_avx2_req q;
	uint8_t *out = p->c + (size_t)m0 * p->n + o0;

	mnet_avx2_req_load(p->mult + o0, p->shift + o0, &q);
	if (p->zp_in_round) {
		__m256i hz = mnet_avx2_half_zp(&q, zp);

		for (r = 0; r < rows; r++, out += p->n)
			mnet_avx2_store8(out, mnet_avx2_pack_nozp(
				mnet_avx2_mul_zp(_mm256_add_epi32(c[r], bias),
						 &q, hz), lo, hi), nj);
	} else if (p->single_round) {
		for (r = 0; r < rows; r++, out += p->n)
			mnet_avx2_store8(out, mnet_avx2_pack(
				mnet_avx2_mul_1r(_mm256_add_epi32(c[r], bias),
						 &q), zp, lo, hi), nj);
	} else {
		for (r = 0; r < rows; r++, out += p->n)
			mnet_avx2_store8(out, mnet_avx2_pack(
				mnet_avx2_mul(_mm256_add_epi32(c[r], bias), &q),
				zp, lo, hi), nj);
	}
}

void mnet_cpu_q8_pwconv_avx2(const struct mnet_cpu_q8_pw *p, int m0, int m1)
{
	int np = (p->n + MNET_CPU_Q8_NR - 1) / MNET_CPU_Q8_NR;
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
			{
				__m256i c[MNET_CPU_Q8_MR] = { c0, c1, c2, c3 };

				store_tile(p, m, rows, pn, c);
			}
		}
	}
}

void mnet_cpu_q8_requant_avx2(const int32_t *x, const int32_t *mult,
			      const int *shift, int single_round, int32_t *out,
			      int n)
{
	struct mnet_avx2_req q;
	int i;

	for (i = 0; i + 8 <= n; i += 8) {
		__m256i v = _mm256_loadu_si256((const __m256i *)(x + i));

		mnet_avx2_req_load(mult + i, shift + i, &q);
		v = single_round ? mnet_avx2_mul_1r(v, &q) :
				   mnet_avx2_mul(v, &q);
		_mm256_storeu_si256((__m256i *)(out + i), v);
	}
}

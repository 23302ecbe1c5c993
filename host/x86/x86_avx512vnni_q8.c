// SPDX-License-Identifier: Apache-2.0
/*
 * x86_avx512vnni_q8.c - the AVX512-VNNI 8-bit 1x1 convolution and the
 * kernel set that carries it (built with -mavx512vnni -mavx512vl
 * -mavx512bw: chosen only when the CPU reports all of them)
 *
 * vpdpbusd multiplies unsigned by signed bytes, four pairs a lane, into
 * int32 without saturation.  Activations enter as uint8 xu (int8 ones
 * biased by +128) and weights as int8 ws (uint8 ones less 128), and the
 * offsets come back exactly:
 *
 *   sum (a - a_zp)(w - w_zp) = sum (xu - A)(ws + B)
 *     = sum xu*ws + B * sum xu - A * sum ws - k * A * B
 *
 * with the last two terms per channel (&struct mnet_cpu_q8_pw.w8_corr,
 * packed once) and the second per pixel.  Tiles of 4 pixels x 8 channels
 * (ymm), the shared requantizing epilogue: bit-identical to host/ref_q.
 * Every float kernel is AVX-512's own (x86_avx512_gemm.c).
 */
#include <immintrin.h>
#include <string.h>

#include "scalar/cpu_scalar.h"
#include "x86/x86_avx2.h"
#include "x86/x86_avx512.h"

/* Bias @rows pixels to uint8 into scratch8 (zero-padded); their sums. */
static void load_u8(const struct mnet_cpu_q8_pw *p, int m0, int rows,
		    int32_t *sum)
{
	uint8_t flip = p->a_signed ? 0x80 : 0;
	int r, k;

	for (r = 0; r < MNET_CPU_Q8_MR; r++) {
		uint8_t *s = p->scratch8 + (size_t)r * p->kpad4;
		const uint8_t *a = p->a + (size_t)(m0 + r) * p->k;
		int32_t t = 0;

		if (r >= rows) {
			memset(s, 0, (size_t)p->kpad4);
			sum[r] = 0;
			continue;
		}
		for (k = 0; k < p->k; k++) {
			s[k] = a[k] ^ flip;
			t += s[k];
		}
		for (; k < p->kpad4; k++)
			s[k] = 0;
		sum[r] = t;
	}
}

void mnet_cpu_q8_pwconv_vnni(const struct mnet_cpu_q8_pw *p, int m0, int m1)
{
	int np = (p->n + MNET_CPU_Q8_NR - 1) / MNET_CPU_Q8_NR;
	int32_t acc[MNET_CPU_Q8_MR * MNET_CPU_Q8_NR] __attribute__((aligned(32)));
	int32_t sum[MNET_CPU_Q8_MR];
	int m, pn, k, r, j;

	for (m = m0; m < m1; m += MNET_CPU_Q8_MR) {
		int rows = m1 - m < MNET_CPU_Q8_MR ? m1 - m : MNET_CPU_Q8_MR;
		const uint8_t *s0 = p->scratch8, *s1 = s0 + p->kpad4;
		const uint8_t *s2 = s1 + p->kpad4, *s3 = s2 + p->kpad4;

		load_u8(p, m, rows, sum);
		for (pn = 0; pn < np; pn++) {
			const int8_t *w = p->w8 + (size_t)pn * p->kpad4 *
						  MNET_CPU_Q8_NR;
			const int32_t *corr = p->w8_corr + pn * MNET_CPU_Q8_NR;
			__m256i c0 = _mm256_setzero_si256();
			__m256i c1 = _mm256_setzero_si256();
			__m256i c2 = _mm256_setzero_si256();
			__m256i c3 = _mm256_setzero_si256();

			for (k = 0; k < p->kpad4; k += 4) {
				__m256i wv = _mm256_loadu_si256((const __m256i *)
					(w + (size_t)k * MNET_CPU_Q8_NR));
				int32_t x0, x1, x2, x3;

				memcpy(&x0, s0 + k, 4);
				memcpy(&x1, s1 + k, 4);
				memcpy(&x2, s2 + k, 4);
				memcpy(&x3, s3 + k, 4);
				c0 = _mm256_dpbusd_epi32(c0, _mm256_set1_epi32(x0), wv);
				c1 = _mm256_dpbusd_epi32(c1, _mm256_set1_epi32(x1), wv);
				c2 = _mm256_dpbusd_epi32(c2, _mm256_set1_epi32(x2), wv);
				c3 = _mm256_dpbusd_epi32(c3, _mm256_set1_epi32(x3), wv);
			}
			_mm256_store_si256((__m256i *)acc, c0);
			_mm256_store_si256((__m256i *)(acc + 8), c1);
			_mm256_store_si256((__m256i *)(acc + 16), c2);
			_mm256_store_si256((__m256i *)(acc + 24), c3);
			for (r = 0; r < rows; r++)
				for (j = 0; j < MNET_CPU_Q8_NR; j++)
					acc[r * MNET_CPU_Q8_NR + j] +=
						p->b_off * sum[r] + corr[j];
			mnet_cpu_q8_store(p, m, rows, pn, acc);
		}
	}
}

/* AVX-512's float kernels, the VNNI int8 one. */
const struct mnet_cpu_kernels mnet_cpu_kernels_avx512vnni = {
	.name = "avx512vnni",
	.nr = 32,
	.mr = 8,
	.gemm = mnet_cpu_gemm_avx512,
	.dwconv = mnet_cpu_dwconv_avx512,
	.conv = mnet_cpu_conv_avx512,
	.q8_pwconv = mnet_cpu_q8_pwconv_vnni,
	.q8_u8s8 = 1,
	.q8_dwconv = mnet_cpu_q8_dwconv_avx2,
};

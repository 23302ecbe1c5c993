// SPDX-License-Identifier: Apache-2.0
/*
 * x86_avx512vnni_q8resize.c - one row of TFLite's 8-bit bilinear resize
 * on 16 float lanes
 *
 * DOC: q8 RESIZE_BILINEAR (AVX-512)
 *
 * DeepLab's last layer resizes 21 logits from 33x33 to 513x513: 5.5
 * million outputs, each four products and four sums.  The caller has
 * taken p * (1 - dy) and p * dy once per input pixel of the two rows an
 * output row reads (runtime/cpu/cpu_seg.c); here each output pixel's
 * channels are 16 lanes at a time (the last group masked): the four
 * products and sums in TFLite's order, + 0.5, truncated to int32 and to
 * a byte.  The same float operations in the same order as the scalar
 * loop give the same bytes; ISO C mode (-std=c11) keeps GCC from fusing
 * the products into FMAs, and the pragma tells Clang.
 */
#include <immintrin.h>

#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

#include "dispatch/cpu_kernel_types.h"
#include "x86/x86_avx512.h"

void mnet_cpu_q8_resize_row_avx512(const struct mnet_cpu_q8_resize_row *r)
{
	const __m512 half = _mm512_set1_ps(0.5f);
	const int nc = r->c;
	uint8_t *o = r->out;
	int x, c;

	for (x = 0; x < r->ow; x++, o += nc) {
		const float *a0 = r->t0 + (size_t)r->x0[x] * nc;
		const float *b0 = r->t1 + (size_t)r->x0[x] * nc;
		const float *a1 = r->t0 + (size_t)r->x1[x] * nc;
		const float *b1 = r->t1 + (size_t)r->x1[x] * nc;
		const __m512 u = _mm512_set1_ps(r->wx0[x]);
		const __m512 v = _mm512_set1_ps(r->wx1[x]);

		for (c = 0; c < nc; c += 16) {
			__mmask16 m = nc - c >= 16 ? (__mmask16)0xffff :
				      (__mmask16)((1u << (nc - c)) - 1);
			__m512 s;

			s = _mm512_mul_ps(_mm512_maskz_loadu_ps(m, a0 + c), u);
			s = _mm512_add_ps(s, _mm512_mul_ps(
				_mm512_maskz_loadu_ps(m, b0 + c), u));
			s = _mm512_add_ps(s, _mm512_mul_ps(
				_mm512_maskz_loadu_ps(m, a1 + c), v));
			s = _mm512_add_ps(s, _mm512_mul_ps(
				_mm512_maskz_loadu_ps(m, b1 + c), v));
			s = _mm512_add_ps(s, half);
			/* (uint8_t)(int)s: truncate, keep the low byte */
			_mm_mask_storeu_epi8(o + c, m, _mm512_cvtepi32_epi8(
				_mm512_cvttps_epi32(s)));
		}
	}
}

// SPDX-License-Identifier: Apache-2.0
/*
 * x86_avx2_q8add.c - TFLite's quantized ADD on 8 int32 lanes (built with
 * -mavx2)
 *
 * DOC: q8 ADD (AVX2)
 *
 * MobileNetV2's residual additions, element for element what
 * mnet_qk_add() computes: each input centred and shifted left by
 * @left_shift, rescaled (MultiplyByQuantizedMultiplierSmallerThanOneExp:
 * the shifts are <= 0, which mnet_avx2_mul() computes exactly), summed,
 * rescaled to the output, offset and clamped.  Centred values are at most
 * 255 in magnitude, so the shifted ones are far from INT32_MIN and the
 * doubling high multiply cannot saturate.  8 bytes per step; AVX2 has no
 * byte-masked loads or stores, so the tail goes through stack buffers.
 */
#include <immintrin.h>

#include "dispatch/cpu_kernel_types.h"
#include "ref_q/q_kernels.h"
#include "x86/x86_avx2.h"
#include "x86/x86_avx2_req.h"

#define ALWAYS_INLINE inline __attribute__((always_inline))

static ALWAYS_INLINE void add_range(const struct mnet_qk_add *p, size_t i0,
				    size_t i1, const uint8_t *a,
				    const uint8_t *b, uint8_t *out, int sgn)
{
	const __m256i azp = _mm256_set1_epi32(p->a_zp);
	const __m256i bzp = _mm256_set1_epi32(p->b_zp);
	const __m256i ozp = _mm256_set1_epi32(p->out_zp);
	const __m256i lo = _mm256_set1_epi32(p->act_min);
	const __m256i hi = _mm256_set1_epi32(p->act_max);
	const __m128i ls = _mm_cvtsi32_si128(p->left_shift);
	struct mnet_avx2_req ra, rb, ro;
	size_t i;

	mnet_avx2_req_set(_mm256_set1_epi32(p->a_mult),
			  _mm256_set1_epi32(p->a_shift), &ra);
	mnet_avx2_req_set(_mm256_set1_epi32(p->b_mult),
			  _mm256_set1_epi32(p->b_shift), &rb);
	mnet_avx2_req_set(_mm256_set1_epi32(p->out_mult),
			  _mm256_set1_epi32(p->out_shift), &ro);
	for (i = i0; i < i1; i += 8) {
		int n = i1 - i >= 8 ? 8 : (int)(i1 - i);
		__m256i va = mnet_avx2_load8(a + i, n, sgn);
		__m256i vb = mnet_avx2_load8(b + i, n, sgn);
		__m256i s;

		va = _mm256_sub_epi32(va, azp);
		vb = _mm256_sub_epi32(vb, bzp);

		va = mnet_avx2_mul(_mm256_sll_epi32(va, ls), &ra);
		vb = mnet_avx2_mul(_mm256_sll_epi32(vb, ls), &rb);
		s = mnet_avx2_mul(_mm256_add_epi32(va, vb), &ro);
		mnet_avx2_store8(out + i, mnet_avx2_pack(s, ozp, lo, hi), n);
	}
}

void mnet_cpu_q8_add_avx2(const struct mnet_qk_add *p, size_t i0, size_t i1,
			  const uint8_t *a, const uint8_t *b, uint8_t *out)
{
	if (p->is_signed)
		add_range(p, i0, i1, a, b, out, 1);
	else
		add_range(p, i0, i1, a, b, out, 0);
}

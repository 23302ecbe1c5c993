// SPDX-License-Identifier: Apache-2.0
/*
 * x86_avx512vnni_q8add.c - TFLite's quantized ADD on 16 int32 lanes
 *
 * DOC: q8 ADD (AVX-512)
 *
 * MobileNetV2's residual additions, element for element what
 * mnet_qk_add() computes: each input centred and shifted left by
 * @left_shift, rescaled (MultiplyByQuantizedMultiplierSmallerThanOneExp:
 * the shifts are <= 0, which mnet_q16_mul() computes exactly), summed,
 * rescaled to the output, offset and clamped.  Centred values are at most
 * 255 in magnitude, so the shifted ones are far from INT32_MIN and the
 * doubling high multiply cannot saturate.  64 bytes per step; the tail
 * goes through masked loads and stores.
 */
#include <immintrin.h>

#include "dispatch/cpu_kernel_types.h"
#include "ref_q/q_kernels.h"
#include "x86/x86_avx512.h"
#include "x86/x86_avx512vnni_req.h"

/* one scalar (multiplier, shift) in every lane */
static inline void req_set1(int32_t mult, int shift, struct mnet_q16_req *r)
{
	int32_t mv[16];
	int sv[16], i;

	for (i = 0; i < 16; i++) {
		mv[i] = mult;
		sv[i] = shift;
	}
	mnet_q16_req_load(mv, sv, 0xffff, r);
}

static inline __m512i widen(__mmask16 m, const uint8_t *p, int sgn)
{
	__m128i v = _mm_maskz_loadu_epi8(m, (const void *)p);

	return sgn ? _mm512_cvtepi8_epi32(v) : _mm512_cvtepu8_epi32(v);
}

void mnet_cpu_q8_add_avx512(const struct mnet_qk_add *p, size_t i0,
			    size_t i1, const uint8_t *a, const uint8_t *b,
			    uint8_t *out)
{
	const __m512i azp = _mm512_set1_epi32(p->a_zp);
	const __m512i bzp = _mm512_set1_epi32(p->b_zp);
	const __m512i ozp = _mm512_set1_epi32(p->out_zp);
	const __m512i lo = _mm512_set1_epi32(p->act_min);
	const __m512i hi = _mm512_set1_epi32(p->act_max);
	const __m128i ls = _mm_cvtsi32_si128(p->left_shift);
	const int sgn = p->is_signed;
	struct mnet_q16_req ra, rb, ro;
	size_t i;

	req_set1(p->a_mult, p->a_shift, &ra);
	req_set1(p->b_mult, p->b_shift, &rb);
	req_set1(p->out_mult, p->out_shift, &ro);
	for (i = i0; i < i1; i += 16) {
		__mmask16 m = i1 - i >= 16 ? (__mmask16)0xffff :
			      (__mmask16)((1u << (i1 - i)) - 1);
		__m512i va = _mm512_sub_epi32(widen(m, a + i, sgn), azp);
		__m512i vb = _mm512_sub_epi32(widen(m, b + i, sgn), bzp);
		__m512i s;

		va = mnet_q16_mul(_mm512_sll_epi32(va, ls), &ra);
		vb = mnet_q16_mul(_mm512_sll_epi32(vb, ls), &rb);
		s = mnet_q16_mul(_mm512_add_epi32(va, vb), &ro);
		_mm_mask_storeu_epi8(out + i, m, mnet_q16_pack(s, ozp, lo, hi));
	}
}

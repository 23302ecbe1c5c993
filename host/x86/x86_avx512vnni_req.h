/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86_avx512vnni_req.h - TFLite's integer requantization on 16 int32 lanes
 * (for the AVX512-VNNI int8 kernels: built with -mavx512f -mavx512bw
 * -mavx512vl)
 *
 * Lane for lane what host/ref_q/q_math.h computes: mnet_q_mul()
 * (SaturatingRoundingDoublingHighMul then RoundingDivideByPOT) and
 * mnet_q_mul_1r() (one rounding).  The 64-bit products are formed for
 * the even lanes and, shifted down, for the odd ones (vpmuldq), then
 * merged.  tests/int8/test_int8_cpu.c checks the identities used here
 * against q_math.h on edge values.  SaturatingRoundingDoublingHighMul saturates only when both
 * operands are INT32_MIN; QuantizeMultiplier's multipliers are never
 * negative, so that case cannot arise here.
 */
#ifndef MNET_HOST_X86_AVX512VNNI_REQ_H
#define MNET_HOST_X86_AVX512VNNI_REQ_H

#include <immintrin.h>
#include <stdint.h>

/**
 * struct mnet_q16_req - requantization parameters of 16 channels
 * @mult: Q31 multipliers (the even lanes' operands of vpmuldq)
 * @mult_odd: the odd lanes' multipliers, moved to the even positions
 * @left: left shifts (max(shift, 0))
 * @right: right shifts (max(-shift, 0))
 * @half: 2^(right - 1), or 0 where right is 0
 * @radj: 1 where right > 0, else 0
 * @total: 31 - shift, for the single rounding
 * @any_left: some lane has a left shift
 */
struct mnet_q16_req {
	__m512i mult, mult_odd, left, right, half, radj, total;
	int any_left;
};

/**
 * mnet_q16_req_load() - the parameters of up to 16 channels
 * @mult: multipliers
 * @shift: exponents
 * @m: the lanes to read (the others get multiplier and shift 0, so that
 *     a channel tail never reads past the arrays' ends)
 * @r: filled in
 */
static inline void mnet_q16_req_load(const int32_t *mult, const int *shift,
				     __mmask16 m, struct mnet_q16_req *r)
{
	__m512i s = _mm512_maskz_loadu_epi32(m, (const void *)shift);
	__m512i z = _mm512_setzero_si512(), one = _mm512_set1_epi32(1);

	r->mult = _mm512_maskz_loadu_epi32(m, (const void *)mult);
	r->mult_odd = _mm512_srli_epi64(r->mult, 32);
	r->left = _mm512_max_epi32(s, z);
	r->right = _mm512_max_epi32(_mm512_sub_epi32(z, s), z);
	r->half = _mm512_srli_epi32(_mm512_sllv_epi32(one, r->right), 1);
	r->radj = _mm512_min_epi32(r->right, one);
	r->total = _mm512_sub_epi32(_mm512_set1_epi32(31), s);
	r->any_left = _mm512_cmpgt_epi32_mask(s, z) != 0;
}

/**
 * mnet_q16_mul() - mnet_q_mul() on 16 lanes
 * @x: accumulators (bias added)
 * @r: the channels' parameters
 *
 * SaturatingRoundingDoublingHighMul's nudge and truncating division come
 * to one identity: for every 64-bit product ab, (ab + nudge) / 2^31
 * truncated equals (ab + 2^30) >> 31 (for ab < 0 the division's
 * correction, 2^31 - 1, and the negative nudge, 1 - 2^30, add up to the
 * positive nudge).  RoundingDivideByPOT(h, e) is (h + 2^(e-1) - [h < 0])
 * >> e for e > 0, shifted logically where h >= 0 (so that h + 2^(e-1)
 * cannot overflow) and arithmetically where h < 0 (where it cannot
 * either).
 *
 * Return: the requantized values (before the output zero point).
 */
static inline __m512i mnet_q16_mul(__m512i x, const struct mnet_q16_req *r)
{
	const __m512i n30 = _mm512_set1_epi64((int64_t)1 << 30);
	__m512i ve, vo, h, t;
	__mmask16 neg;

	if (r->any_left)
		x = _mm512_sllv_epi32(x, r->left);
	ve = _mm512_add_epi64(_mm512_mul_epi32(x, r->mult), n30);
	vo = _mm512_add_epi64(_mm512_mul_epi32(_mm512_srli_epi64(x, 32),
					       r->mult_odd), n30);
	/* bits 31..62 of each product: low halves of ve >> 31, high of vo << 1 */
	h = _mm512_mask_blend_epi32(0xaaaa, _mm512_srli_epi64(ve, 31),
				    _mm512_slli_epi64(vo, 1));
	neg = _mm512_cmplt_epi32_mask(h, _mm512_setzero_si512());
	t = _mm512_add_epi32(h, r->half);
	t = _mm512_mask_sub_epi32(t, neg, t, r->radj);
	return _mm512_mask_srav_epi32(_mm512_srlv_epi32(t, r->right), neg, t,
				      r->right);
}

/**
 * mnet_q16_mul_zp() - mnet_q16_mul() plus the output zero point, where
 * mnet_cpu_q8_zp_in_round() allows it
 * @x: accumulators (bias added)
 * @r: the channels' parameters
 * @half_zp: 2^(right - 1) + zp * 2^right per lane (mnet_q16_half_zp())
 *
 * No sum can overflow here, so one arithmetic shift rounds every lane,
 * and the zero point, added before it as a multiple of 2^right, comes
 * out whole.
 *
 * Return: the requantized values with the zero point (clamp them next).
 */
static inline __m512i mnet_q16_mul_zp(__m512i x, const struct mnet_q16_req *r,
				      __m512i half_zp)
{
	const __m512i n30 = _mm512_set1_epi64((int64_t)1 << 30);
	__m512i ve, vo, h, t;
	__mmask16 neg;

	ve = _mm512_add_epi64(_mm512_mul_epi32(x, r->mult), n30);
	vo = _mm512_add_epi64(_mm512_mul_epi32(_mm512_srli_epi64(x, 32),
					       r->mult_odd), n30);
	h = _mm512_mask_blend_epi32(0xaaaa, _mm512_srli_epi64(ve, 31),
				    _mm512_slli_epi64(vo, 1));
	neg = _mm512_cmplt_epi32_mask(h, _mm512_setzero_si512());
	t = _mm512_mask_sub_epi32(_mm512_add_epi32(h, half_zp), neg,
				  _mm512_add_epi32(h, half_zp), r->radj);
	return _mm512_srav_epi32(t, r->right);
}

/* 2^(right - 1) + zp * 2^right: mnet_q16_mul_zp()'s rounding term */
static inline __m512i mnet_q16_half_zp(const struct mnet_q16_req *r,
				       __m512i zp)
{
	return _mm512_add_epi32(r->half, _mm512_sllv_epi32(zp, r->right));
}

/**
 * mnet_q16_req_zp() - requantize with the output zero point added, by
 * mnet_q16_mul_zp() where the layer allows it, else mnet_q16_mul() + @zp
 * @x: accumulators (bias added)
 * @r: the channels' parameters
 * @zp_in_round: mnet_cpu_q8_zp_in_round() holds for the layer
 * @half_zp: mnet_q16_half_zp() of @r and @zp
 * @zp: the output zero point per lane
 *
 * Return: the requantized values with the zero point (clamp them next).
 */
static inline __m512i mnet_q16_req_zp(__m512i x, const struct mnet_q16_req *r,
				      int zp_in_round, __m512i half_zp,
				      __m512i zp)
{
	return zp_in_round ? mnet_q16_mul_zp(x, r, half_zp) :
	       _mm512_add_epi32(mnet_q16_mul(x, r), zp);
}

/* Clamp and narrow values that carry their zero point already. */
static inline __m128i mnet_q16_pack_nozp(__m512i v, __m512i lo, __m512i hi)
{
	return _mm512_cvtepi32_epi8(_mm512_min_epi32(_mm512_max_epi32(v, lo),
						     hi));
}

/* (x * m + 2^(t - 1)) >> t on 64-bit lanes (t from the low halves) */
static inline __m512i mnet_q16_1r64(__m512i x, __m512i m, __m512i t)
{
	__m512i lo = _mm512_set1_epi64(0xffffffff);
	__m512i t64 = _mm512_and_si512(t, lo);
	__m512i half = _mm512_sllv_epi64(_mm512_set1_epi64(1),
					 _mm512_sub_epi64(t64, _mm512_set1_epi64(1)));

	return _mm512_srav_epi64(_mm512_add_epi64(_mm512_mul_epi32(x, m), half),
				 t64);
}

/**
 * mnet_q16_mul_1r() - mnet_q_mul_1r() on 16 lanes
 * @x: accumulators (bias added)
 * @r: the channels' parameters
 *
 * Return: the requantized values (before the output zero point).
 */
static inline __m512i mnet_q16_mul_1r(__m512i x, const struct mnet_q16_req *r)
{
	return _mm512_mask_blend_epi32(0xaaaa, mnet_q16_1r64(x, r->mult, r->total),
				       _mm512_slli_epi64(mnet_q16_1r64(_mm512_srli_epi64(x, 32),
								       r->mult_odd,
								       _mm512_srli_epi64(r->total, 32)),
							 32));
}

/**
 * mnet_q16_pack() - add the zero point, clamp and narrow to 16 bytes
 * @v: requantized values
 * @zp: output zero point
 * @lo: clamp range
 * @hi: see @lo
 *
 * Return: the 16 output bytes (the clamped values fit the output type).
 */
static inline __m128i mnet_q16_pack(__m512i v, __m512i zp, __m512i lo,
				    __m512i hi)
{
	v = _mm512_add_epi32(v, zp);
	v = _mm512_min_epi32(_mm512_max_epi32(v, lo), hi);
	return _mm512_cvtepi32_epi8(v);
}

/**
 * mnet_q16_tail() - the store mask of channels [@o, min(@o + 16, @n))
 * @o: first channel
 * @n: channel count
 *
 * Return: one bit per channel that exists.
 */
static inline __mmask16 mnet_q16_tail(int o, int n)
{
	return n - o >= 16 ? (__mmask16)0xffff :
	       (__mmask16)((1u << (n - o)) - 1);
}

/**
 * mnet_q16_pack4() - four requantized 16-lane vectors to 64 bytes
 * @v0: first vector (zero point in)
 * @v1: second
 * @v2: third
 * @v3: fourth
 * @sgn: int8 output (else uint8)
 * @lo8: the clamp's low byte, broadcast
 * @hi8: the clamp's high byte, broadcast
 * @idx: the vpermd order that undoes the packs' lane interleaving
 *
 * Two vpackssdw and one vpacksswb / vpackuswb saturate (the clamp that
 * follows is inside the type, so the bytes are the same) and leave lane L
 * holding the 4L..4L+3 values of each vector; @idx puts them where the
 * caller wants them.
 *
 * Return: the 64 bytes.
 */
static inline __m512i mnet_q16_pack4(__m512i v0, __m512i v1, __m512i v2,
				     __m512i v3, int sgn, __m512i lo8,
				     __m512i hi8, __m512i idx)
{
	__m512i ab = _mm512_packs_epi32(v0, v1);
	__m512i cd = _mm512_packs_epi32(v2, v3);
	__m512i v;

	if (sgn) {
		v = _mm512_packs_epi16(ab, cd);
		v = _mm512_min_epi8(_mm512_max_epi8(v, lo8), hi8);
	} else {
		v = _mm512_packus_epi16(ab, cd);
		v = _mm512_min_epu8(_mm512_max_epu8(v, lo8), hi8);
	}
	return _mm512_permutexvar_epi32(idx, v);
}

#endif /* MNET_HOST_X86_AVX512VNNI_REQ_H */

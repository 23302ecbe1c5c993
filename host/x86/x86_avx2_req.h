/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86_avx2_req.h - TFLite's integer requantization on 8 int32 lanes (for
 * the AVX2 int8 kernels: built with -mavx2)
 *
 * Lane for lane what host/ref_q/q_math.h computes, by the identities
 * x86_avx512vnni_req.h explains: mnet_q_mul() (SaturatingRoundingDoubling
 * HighMul, then RoundingDivideByPOT) and mnet_q_mul_1r() (one rounding).
 * vpmuldq forms the 64-bit products of the even lanes and, shifted down,
 * of the odd ones; AVX2 has no mask registers, so the sign selects come
 * from vpsrad and vpblendvb, and the 64-bit arithmetic shift that the
 * single rounding needs is a logical one between two sign flips.
 * QuantizeMultiplier's multipliers are never negative, so the doubling
 * high multiply cannot saturate here.
 */
#ifndef MNET_HOST_X86_AVX2_REQ_H
#define MNET_HOST_X86_AVX2_REQ_H

#include <immintrin.h>
#include <stdint.h>

/**
 * struct mnet_avx2_req - requantization parameters of 8 channels
 * @mult: Q31 multipliers (the even lanes' operands of vpmuldq)
 * @mult_odd: the odd lanes' multipliers, moved to the even positions
 * @left: left shifts (max(shift, 0))
 * @right: right shifts (max(-shift, 0))
 * @half: 2^(right - 1), or 0 where right is 0
 * @radj: 1 where right > 0, else 0
 * @total: 31 - shift, for the single rounding
 * @any_left: some lane has a left shift
 */
struct mnet_avx2_req {
	__m256i mult, mult_odd, left, right, half, radj, total;
	int any_left;
};

/**
 * mnet_avx2_req_set() - the parameters of 8 channels from vectors
 * @mult: multipliers
 * @s: exponents
 * @r: filled in
 */
static inline void mnet_avx2_req_set(__m256i mult, __m256i s,
				     struct mnet_avx2_req *r)
{
	__m256i z = _mm256_setzero_si256(), one = _mm256_set1_epi32(1);

	r->mult = mult;
	r->mult_odd = _mm256_srli_epi64(mult, 32);
	r->left = _mm256_max_epi32(s, z);
	r->right = _mm256_max_epi32(_mm256_sub_epi32(z, s), z);
	r->half = _mm256_srli_epi32(_mm256_sllv_epi32(one, r->right), 1);
	r->radj = _mm256_min_epi32(r->right, one);
	r->total = _mm256_sub_epi32(_mm256_set1_epi32(31), s);
	r->any_left = !_mm256_testz_si256(r->left, r->left);
}

/**
 * mnet_avx2_req_load() - the parameters of 8 channels
 * @mult: 8 multipliers (the arrays are padded: all 8 are read)
 * @shift: 8 exponents
 * @r: filled in
 */
static inline void mnet_avx2_req_load(const int32_t *mult, const int *shift,
				      struct mnet_avx2_req *r)
{
	mnet_avx2_req_set(_mm256_loadu_si256((const __m256i *)mult),
			  _mm256_loadu_si256((const __m256i *)shift), r);
}

/*
 * SaturatingRoundingDoublingHighMul of 8 lanes: (ab + 2^30) >> 31 of
 * each 64-bit product (x86_avx512vnni_req.h's identity), bits 31..62.
 */
static inline __m256i mnet_avx2_srdhm(__m256i x, const struct mnet_avx2_req *r)
{
	const __m256i n30 = _mm256_set1_epi64x((int64_t)1 << 30);
	__m256i ve, vo;

	ve = _mm256_add_epi64(_mm256_mul_epi32(x, r->mult), n30);
	vo = _mm256_add_epi64(_mm256_mul_epi32(_mm256_srli_epi64(x, 32),
					       r->mult_odd), n30);
	return _mm256_blend_epi32(_mm256_srli_epi64(ve, 31),
				  _mm256_slli_epi64(vo, 1), 0xaa);
}

/**
 * mnet_avx2_mul() - mnet_q_mul() on 8 lanes
 * @x: accumulators (bias added)
 * @r: the channels' parameters
 *
 * RoundingDivideByPOT(h, e) is (h + 2^(e-1) - [h < 0]) >> e, shifted
 * logically where h >= 0 (so that the sum cannot overflow) and
 * arithmetically where h < 0.
 *
 * Return: the requantized values (before the output zero point).
 */
static inline __m256i mnet_avx2_mul(__m256i x, const struct mnet_avx2_req *r)
{
	__m256i h, t, neg;

	if (r->any_left)
		x = _mm256_sllv_epi32(x, r->left);
	h = mnet_avx2_srdhm(x, r);
	neg = _mm256_srai_epi32(h, 31);
	t = _mm256_sub_epi32(_mm256_add_epi32(h, r->half),
			     _mm256_and_si256(neg, r->radj));
	return _mm256_blendv_epi8(_mm256_srlv_epi32(t, r->right),
				  _mm256_srav_epi32(t, r->right), neg);
}

/**
 * mnet_avx2_mul_zp() - mnet_avx2_mul() plus the output zero point, where
 * mnet_cpu_q8_zp_in_round() allows it (no lane shifts left, no sum
 * overflows)
 * @x: accumulators (bias added)
 * @r: the channels' parameters
 * @half_zp: 2^(right - 1) + zp * 2^right per lane (mnet_avx2_half_zp())
 *
 * One arithmetic shift rounds every lane, and the zero point, added
 * before it as a multiple of 2^right, comes out whole.
 *
 * Return: the requantized values with the zero point (clamp them next).
 */
static inline __m256i mnet_avx2_mul_zp(__m256i x, const struct mnet_avx2_req *r,
				       __m256i half_zp)
{
	__m256i h = mnet_avx2_srdhm(x, r);
	__m256i neg = _mm256_srai_epi32(h, 31);
	__m256i t = _mm256_sub_epi32(_mm256_add_epi32(h, half_zp),
				     _mm256_and_si256(neg, r->radj));

	return _mm256_srav_epi32(t, r->right);
}

/* 2^(right - 1) + zp * 2^right: mnet_avx2_mul_zp()'s rounding term */
static inline __m256i mnet_avx2_half_zp(const struct mnet_avx2_req *r,
					__m256i zp)
{
	return _mm256_add_epi32(r->half, _mm256_sllv_epi32(zp, r->right));
}

/* (x * m + 2^(t - 1)) >> t on 64-bit lanes, arithmetic (t in 1..62) */
static inline __m256i mnet_avx2_1r64(__m256i x, __m256i m, __m256i t)
{
	const __m256i one = _mm256_set1_epi64x(1);
	__m256i t64 = _mm256_and_si256(t, _mm256_set1_epi64x(0xffffffff));
	__m256i half = _mm256_sllv_epi64(one, _mm256_sub_epi64(t64, one));
	__m256i v = _mm256_add_epi64(_mm256_mul_epi32(x, m), half);
	__m256i sgn = _mm256_cmpgt_epi64(_mm256_setzero_si256(), v);

	return _mm256_xor_si256(_mm256_srlv_epi64(_mm256_xor_si256(v, sgn),
						  t64), sgn);
}

/**
 * mnet_avx2_mul_1r() - mnet_q_mul_1r() on 8 lanes
 * @x: accumulators (bias added)
 * @r: the channels' parameters
 *
 * Return: the requantized values (before the output zero point).
 */
static inline __m256i mnet_avx2_mul_1r(__m256i x, const struct mnet_avx2_req *r)
{
	__m256i e = mnet_avx2_1r64(x, r->mult, r->total);
	__m256i o = mnet_avx2_1r64(_mm256_srli_epi64(x, 32), r->mult_odd,
				   _mm256_srli_epi64(r->total, 32));

	return _mm256_blend_epi32(e, _mm256_slli_epi64(o, 32), 0xaa);
}

/**
 * mnet_avx2_narrow() - the low bytes of 8 int32 lanes
 * @v: values that fit the output type (clamped)
 *
 * Return: 8 bytes in the low half.
 */
static inline __m128i mnet_avx2_narrow(__m256i v)
{
	const __m256i bytes = _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1,
					       -1, -1, -1, -1, -1, -1, -1, -1,
					       0, 4, 8, 12, -1, -1, -1, -1,
					       -1, -1, -1, -1, -1, -1, -1, -1);

	v = _mm256_shuffle_epi8(v, bytes);
	v = _mm256_permutevar8x32_epi32(v, _mm256_setr_epi32(0, 4, 1, 1, 1,
							     1, 1, 1));
	return _mm256_castsi256_si128(v);
}

/* Clamp and narrow values that carry their zero point already. */
static inline __m128i mnet_avx2_pack_nozp(__m256i v, __m256i lo, __m256i hi)
{
	return mnet_avx2_narrow(_mm256_min_epi32(_mm256_max_epi32(v, lo), hi));
}

/**
 * mnet_avx2_pack() - add the zero point, clamp and narrow to 8 bytes
 * @v: requantized values
 * @zp: output zero point
 * @lo: clamp range
 * @hi: see @lo
 *
 * Return: the 8 output bytes in the low half.
 */
static inline __m128i mnet_avx2_pack(__m256i v, __m256i zp, __m256i lo,
				     __m256i hi)
{
	return mnet_avx2_pack_nozp(_mm256_add_epi32(v, zp), lo, hi);
}

/**
 * mnet_avx2_store8() - store the first @n of 8 bytes
 * @dst: destination
 * @v: the bytes, in the low half
 * @n: how many (1..8); a tail goes through a stack buffer, since AVX2 has
 *     no byte-masked store
 */
static inline void mnet_avx2_store8(uint8_t *dst, __m128i v, int n)
{
	if (n >= 8) {
		_mm_storel_epi64((__m128i *)dst, v);
	} else {
		uint8_t buf[8];
		int i;

		_mm_storel_epi64((__m128i *)buf, v);
		for (i = 0; i < n; i++)
			dst[i] = buf[i];
	}
}

/**
 * mnet_avx2_load8() - widen 8 bytes to int32
 * @src: source
 * @n: how many exist (1..8; the rest read as 0, and nothing past them is
 *     read)
 * @sgn: int8 (else uint8)
 *
 * Return: the 8 values.
 */
static inline __m256i mnet_avx2_load8(const uint8_t *src, int n, int sgn)
{
	__m128i b;

	if (n >= 8) {
		b = _mm_loadl_epi64((const __m128i *)src);
	} else {
		uint8_t buf[8] = { 0 };
		int i;

		for (i = 0; i < n; i++)
			buf[i] = src[i];
		b = _mm_loadl_epi64((const __m128i *)buf);
	}
	return sgn ? _mm256_cvtepi8_epi32(b) : _mm256_cvtepu8_epi32(b);
}

#endif /* MNET_HOST_X86_AVX2_REQ_H */

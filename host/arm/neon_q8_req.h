/* SPDX-License-Identifier: Apache-2.0 */
/*
 * neon_q8_req.h - TFLite's requantization in NEON, four channels a vector,
 * bit for bit as host/ref_q/q_math.h (included by the NEON q8 kernels)
 *
 * DOC: NEON requantization
 *
 * mnet_q_mul(): the left shift (shift > 0) is a plain wrapping shift
 * (vshlq_s32 with a positive count), SaturatingRoundingDoublingHighMul is
 * exactly vqrdmulhq_s32, and RoundingDivideByPOT is vrshlq_s32 by
 * -exponent after TFLite's fix-up: vrshl rounds ties upward, TFLite away
 * from zero, so a negative x with exponent > 0 is first lowered by one
 * (saturating, so INT32_MIN stays put; its remainder is 0 either way).
 * (x & -exponent) has its sign bit set exactly when x < 0 and exponent >
 * 0, so an arithmetic shift by 31 gives the -1 or 0 to add.  srshl rounds
 * in unbounded precision, so nothing overflows.
 *
 * mnet_q_mul_1r() (FULLY_CONNECTED): 64-bit products (vmull_s32), one
 * rounding shift by 31 - shift (vrshlq_s64, again without overflow:
 * |x * mult| < 2^62), and the truncating narrow of the C cast.
 */
#ifndef MNET_HOST_NEON_Q8_REQ_H
#define MNET_HOST_NEON_Q8_REQ_H

#include <arm_neon.h>
#include <stdint.h>

/* mnet_q_mul() on four lanes; @shift as in q_math.h (positive: left) */
static inline int32x4_t mnet_neon_q_mul(int32x4_t x, int32x4_t mult,
					int32x4_t shift)
{
	int32x4_t zero = vdupq_n_s32(0);
	int32x4_t left = vmaxq_s32(shift, zero);
	int32x4_t neg_right = vminq_s32(shift, zero);	/* -exponent */
	int32x4_t fixup;

	x = vqrdmulhq_s32(vshlq_s32(x, left), mult);
	fixup = vshrq_n_s32(vandq_s32(x, neg_right), 31);
	return vrshlq_s32(vqaddq_s32(x, fixup), neg_right);
}

/* mnet_q_mul_1r() on four lanes: mult >= 0, shift -31..30 */
static inline int32x4_t mnet_neon_q_mul_1r(int32x4_t x, int32x4_t mult,
					   int32x4_t shift)
{
	int32x4_t tot = vsubq_s32(shift, vdupq_n_s32(31));	/* -(31 - shift) */
	int64x2_t lo = vmull_s32(vget_low_s32(x), vget_low_s32(mult));
	int64x2_t hi = vmull_s32(vget_high_s32(x), vget_high_s32(mult));

	lo = vrshlq_s64(lo, vmovl_s32(vget_low_s32(tot)));
	hi = vrshlq_s64(hi, vmovl_s32(vget_high_s32(tot)));
	return vcombine_s32(vmovn_s64(lo), vmovn_s64(hi));
}

/*
 * Requantize eight int32 sums (bias already added) of channels
 * [@o, @o + 8), add the output zero point, clamp, and narrow to bytes
 * (the low byte of each value, as the C cast to uint8_t).
 */
static inline uint8x8_t mnet_neon_q_req8(int32x4_t v0, int32x4_t v1,
					 const int32_t *mult, const int *shift,
					 int single_round, int32x4_t zp,
					 int32x4_t lo, int32x4_t hi)
{
	int32x4_t m0 = vld1q_s32(mult), m1 = vld1q_s32(mult + 4);
	int32x4_t s0 = vld1q_s32((const int32_t *)shift);
	int32x4_t s1 = vld1q_s32((const int32_t *)shift + 4);
	int16x8_t h;

	if (single_round) {
		v0 = mnet_neon_q_mul_1r(v0, m0, s0);
		v1 = mnet_neon_q_mul_1r(v1, m1, s1);
	} else {
		v0 = mnet_neon_q_mul(v0, m0, s0);
		v1 = mnet_neon_q_mul(v1, m1, s1);
	}
	v0 = vminq_s32(vmaxq_s32(vaddq_s32(v0, zp), lo), hi);
	v1 = vminq_s32(vmaxq_s32(vaddq_s32(v1, zp), lo), hi);
	h = vcombine_s16(vmovn_s32(v0), vmovn_s32(v1));
	return vreinterpret_u8_s8(vmovn_s16(h));
}

#endif /* MNET_HOST_NEON_Q8_REQ_H */

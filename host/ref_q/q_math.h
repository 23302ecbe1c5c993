/* SPDX-License-Identifier: Apache-2.0 */
/*
 * q_math.h - the integer arithmetic of TFLite's quantized reference kernels
 *
 * DOC: fixed-point helpers
 *
 * What TFLite's kernels (and gemmlowp's fixedpoint.h under them) compute,
 * written again in C over int32: the saturating rounding doubling high
 * multiply, the rounding divide by a power of two, the (multiplier,
 * shift) requantization, and the Q-format helpers the quantized softmax
 * needs.  Every fast path's epilogue must reproduce these bit for bit.
 * "FixedPoint<int32, I>" below means a raw int32 with I integer bits.
 */
#ifndef MNET_HOST_REF_Q_MATH_H
#define MNET_HOST_REF_Q_MATH_H

#include <stdint.h>

/**
 * mnet_q_srdhm() - saturating rounding doubling high multiply
 * @a: operand
 * @b: operand
 *
 * Return: a * b / 2^31 rounded to nearest, ties upward (gemmlowp's nudge
 * of 2^30, or 1 - 2^30 for a negative product, then a truncating
 * division); INT32_MAX for INT32_MIN * INT32_MIN.
 */
static inline int32_t mnet_q_srdhm(int32_t a, int32_t b)
{
	int64_t ab = (int64_t)a * (int64_t)b;
	int64_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));

	if (a == INT32_MIN && b == INT32_MIN)
		return INT32_MAX;
	return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

/**
 * mnet_q_rdivpot() - rounding divide by a power of two
 * @x: dividend
 * @exp: exponent, 0..31 (32..62: see below)
 *
 * Softmax can ask for more than 31 (num_bits_over_unit + 23, when a row
 * of 256 or more values sums high, e.g. all of them nearly equal).
 * TFLite's reference kernel refuses that case: a TFLITE_CHECK aborts the
 * interpreter (seen with ai-edge-litert's BUILTIN_REF kernels on Keras
 * MobileNets with random weights, whose 1000 logits are nearly equal), so
 * there is no TFLite answer to match.  This gives the exact quotient:
 * |x| / 2^exp is at most 1/2 there, so 0 (the output's minimum: each
 * probability is below its quantization step), or -1 for INT32_MIN / 2^32.
 *
 * Return: x / 2^exp rounded to nearest, ties away from zero.
 */
static inline int32_t mnet_q_rdivpot(int32_t x, int exp)
{
	int32_t mask, rem, thr;

	if (exp > 31)
		return exp == 32 && x == INT32_MIN ? -1 : 0;
	mask = (int32_t)(((int64_t)1 << exp) - 1);
	rem = x & mask;
	thr = (mask >> 1) + (x < 0 ? 1 : 0);
	return (x >> exp) + (rem > thr ? 1 : 0);
}

/**
 * mnet_q_mul() - MultiplyByQuantizedMultiplier
 * @x: value
 * @mult: Q31 multiplier from mnet_qk_quantize_multiplier()
 * @shift: its exponent (positive: left)
 *
 * Return: x * mult * 2^shift / 2^31, as TFLite rounds it (twice).
 */
static inline int32_t mnet_q_mul(int32_t x, int32_t mult, int shift)
{
	int left = shift > 0 ? shift : 0;
	int right = shift > 0 ? 0 : -shift;

	return mnet_q_rdivpot(mnet_q_srdhm((int32_t)((uint32_t)x << left),
					   mult), right);
}

/**
 * mnet_q_mul_1r() - MultiplyByQuantizedMultiplier with a single rounding
 * @x: value
 * @mult: Q31 multiplier (>= 0)
 * @shift: its exponent, -31..30
 *
 * What TFLite's fully connected kernel gives on ai-edge-litert (the
 * TFLITE_SINGLE_ROUNDING / ruy form): x * mult / 2^(31 - shift) rounded
 * half up, in 64 bits.
 *
 * Return: the rounded product.
 */
static inline int32_t mnet_q_mul_1r(int32_t x, int32_t mult, int shift)
{
	int total = 31 - shift;
	int64_t r = (int64_t)x * mult + ((int64_t)1 << (total - 1));

	return (int32_t)(r >> total);
}

/**
 * mnet_q_mul_lt1() - MultiplyByQuantizedMultiplierSmallerThanOneExp
 * @x: value
 * @mult: Q31 multiplier
 * @shift: its exponent, <= 0
 *
 * Return: the rounded product.
 */
static inline int32_t mnet_q_mul_lt1(int32_t x, int32_t mult, int shift)
{
	return mnet_q_rdivpot(mnet_q_srdhm(x, mult), -shift);
}

/**
 * mnet_q_sat_shl() - saturating left shift (SaturatingRoundingMultiplyByPOT
 * with a positive exponent)
 * @x: value
 * @exp: 1..30
 *
 * Return: x * 2^exp, saturated to int32.
 */
static inline int32_t mnet_q_sat_shl(int32_t x, int exp)
{
	int32_t thr = (int32_t)((1u << (31 - exp)) - 1);

	if (x > thr)
		return INT32_MAX;
	if (x < -thr)
		return INT32_MIN;
	return (int32_t)((uint32_t)x << exp);
}

/**
 * mnet_q_clamp() - clamp to a range
 * @v: value
 * @lo: lower bound
 * @hi: upper bound
 *
 * Return: @v within [@lo, @hi].
 */
static inline int32_t mnet_q_clamp(int32_t v, int32_t lo, int32_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/**
 * mnet_q_ld() - load one 8-bit value
 * @p: array
 * @i: index
 * @is_signed: 1 for int8, 0 for uint8
 *
 * Return: the value.
 */
static inline int32_t mnet_q_ld(const uint8_t *p, size_t i, int is_signed)
{
	return is_signed ? (int32_t)(int8_t)p[i] : (int32_t)p[i];
}

#endif /* MNET_HOST_REF_Q_MATH_H */

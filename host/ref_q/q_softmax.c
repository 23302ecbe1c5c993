// SPDX-License-Identifier: Apache-2.0
/*
 * q_softmax.c - integer reference softmax (TFLite's reference_ops::Softmax
 * for 8-bit tensors, over gemmlowp's fixed-point exp and reciprocal)
 *
 * DOC: quantized softmax
 *
 * Input differences from the row's maximum are rescaled into Q5.26
 * (FixedPoint<int32, 5>), exponentiated into Q0.31 by exp_on_negative_values
 * (a Taylor polynomial on [-1/4, 0) and a barrel of constant factors for
 * the bits above), summed in Q12.19, and the sum inverted by three
 * Newton-Raphson steps; every step rounds as gemmlowp does.
 */
#include "ref_q/q_kernels.h"
#include "ref_q/q_math.h"

/* FixedPoint<int32, 0>::One() */
#define Q_ONE INT32_MAX

/* SaturatingRoundingMultiplyByPOT with a negative exponent */
static int32_t q_rescale_down(int32_t x, int exp)
{
	return mnet_q_rdivpot(x, exp);
}

/* exp(a) for a in [-1/4, 0), a and result Q0.31 */
static int32_t q_exp_quarter(int32_t a)
{
	const int32_t constant_term = 1895147668;	/* exp(-1/8) */
	const int32_t one_third = 715827883;
	int32_t x = a + (1 << 28);			/* a + 1/8 */
	int32_t x2 = mnet_q_srdhm(x, x);
	int32_t x3 = mnet_q_srdhm(x2, x);
	int32_t x4 = mnet_q_srdhm(x2, x2);
	int32_t x4_4 = q_rescale_down(x4, 2);
	int32_t poly = q_rescale_down(mnet_q_srdhm(x4_4 + x3, one_third) + x2,
				      1);

	return constant_term + mnet_q_srdhm(constant_term, x + poly);
}

/* exp(a) for a <= 0 in Q5.26, result Q0.31 */
static int32_t q_exp_neg(int32_t a)
{
	/* exp(-2^k) for k = -2..4, Q0.31 */
	static const int32_t mul[7] = {
		1672461947, 1302514674, 790015084, 290630308, 39332535,
		720401, 242,
	};
	const int frac = 26;
	const int32_t quarter = 1 << (frac - 2);
	int32_t mod = (a & (quarter - 1)) - quarter;
	int32_t r = q_exp_quarter(mnet_q_sat_shl(mod, 5));
	int32_t rem = mod - a;
	int k;

	for (k = 0; k < 7; k++)
		if (rem & (1 << (frac - 2 + k)))
			r = mnet_q_srdhm(r, mul[k]);
	return a == 0 ? Q_ONE : r;
}

/* 1 / (1 + x) for x in [0, 1), x Q0.31; result Q0.31 */
static int32_t q_one_over_one_plus_x(int32_t a)
{
	int64_t sum = (int64_t)a + Q_ONE;
	int32_t half_den = (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
	const int32_t c48_17 = 1515870810, cm32_17 = -1010580540;  /* Q2.29 */
	int32_t x = c48_17 + mnet_q_srdhm(half_den, cm32_17);
	int i;

	for (i = 0; i < 3; i++) {
		int32_t hdx = mnet_q_srdhm(half_den, x);
		int32_t one_minus = (1 << 29) - hdx;

		x = x + mnet_q_sat_shl(mnet_q_srdhm(x, one_minus), 2);
	}
	return mnet_q_sat_shl(x, 1);
}

static int q_clz32(uint32_t v)
{
	int n = 0;

	if (!v)
		return 32;
	while (!(v & 0x80000000u)) {
		v <<= 1;
		n++;
	}
	return n;
}

/* GetReciprocal: 1 / x for x in Q12.19 */
static int32_t q_reciprocal(int32_t x, int int_bits, int *bits_over_unit)
{
	int hr = q_clz32((uint32_t)x);
	int32_t shifted = (int32_t)(((uint32_t)x << hr) - (1u << 31));

	*bits_over_unit = int_bits - hr;
	return q_one_over_one_plus_x(shifted);
}

/* exp() of the scaled difference @d from the row's maximum, Q0.31; 0 below diff_min */
static int32_t q_exp_diff(const struct mnet_qk_softmax *p, int32_t d)
{
	if (d < p->diff_min)
		return 0;
	return q_exp_neg(mnet_q_srdhm(d * (1 << p->left_shift), p->mult));
}

void mnet_qk_softmax_table(const struct mnet_qk_softmax *p,
			   int32_t table[256])
{
	int d;

	for (d = 0; d < 256; d++)
		table[d] = q_exp_diff(p, -d);
}

void mnet_qk_softmax_lut(const struct mnet_qk_softmax *p,
			 const int32_t table[256], size_t rows, int depth,
			 const uint8_t *in, uint8_t *out)
{
	const int out_bits = 8;
	int32_t out_min = p->out_signed ? -128 : 0;
	int32_t out_max = p->out_signed ? 127 : 255;
	size_t r;
	int c;

	for (r = 0; r < rows; r++) {
		const uint8_t *x = in + r * depth;
		uint8_t *y = out + r * depth;
		int32_t max = p->in_signed ? -128 : 0, sum = 0, scale;
		int over, exp;

		for (c = 0; c < depth; c++)
			if (mnet_q_ld(x, c, p->in_signed) > max)
				max = mnet_q_ld(x, c, p->in_signed);
		/* exp() of entries below diff_min is 0: they add 0 */
		for (c = 0; c < depth; c++)
			sum += q_rescale_down(table[max - mnet_q_ld(x, c,
							p->in_signed)], 12);
		scale = q_reciprocal(sum, 12, &over);
		exp = over + 31 - out_bits;
		/* and their rdivpot(srdhm(scale, 0)) is 0: out_min */
		for (c = 0; c < depth; c++) {
			int32_t e = table[max - mnet_q_ld(x, c, p->in_signed)];
			int32_t v = mnet_q_rdivpot(mnet_q_srdhm(scale, e), exp) +
				    out_min;

			y[c] = (uint8_t)mnet_q_clamp(v, out_min, out_max);
		}
	}
}

void mnet_qk_softmax(const struct mnet_qk_softmax *p, size_t rows,
		     int depth, const uint8_t *in, uint8_t *out)
{
	int32_t table[256];

	/* the same exp() per difference, computed once for the 256 there are */
	mnet_qk_softmax_table(p, table);
	mnet_qk_softmax_lut(p, table, rows, depth, in, out);
}

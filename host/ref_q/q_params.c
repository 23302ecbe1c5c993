// SPDX-License-Identifier: Apache-2.0
/*
 * q_params.c - the integer parameters TFLite's Prepare() derives from the
 * float scales: QuantizeMultiplier, activation ranges, the softmax and
 * ADD multipliers
 */
#include <math.h>

#include "ref_q/q_kernels.h"

void mnet_qk_quantize_multiplier(double m, int32_t *mult, int *shift)
{
	int64_t q;
	double f;

	if (m == 0.0) {
		*mult = 0;
		*shift = 0;
		return;
	}
	f = frexp(m, shift);
	q = (int64_t)round(f * (double)(1ll << 31));
	if (q == (1ll << 31)) {
		q /= 2;
		++*shift;
	}
	if (*shift < -31) {
		*shift = 0;
		q = 0;
	}
	if (*shift > 30) {
		*shift = 30;
		q = (1ll << 31) - 1;
	}
	*mult = (int32_t)q;
}

void mnet_qk_mean_params(double real, int n, int32_t *mult, int *shift)
{
	int s = 0;

	mnet_qk_quantize_multiplier(real, mult, shift);
	while (((uint64_t)n >> (s + 1)) != 0)
		s++;			/* 63 - clz64(n) */
	if (s > 32)
		s = 32;
	if (s > 31 + *shift)
		s = 31 + *shift;
	*mult = (int32_t)(((int64_t)*mult << s) / n);
	*shift -= s;
}

void mnet_qk_act_range(int act, float scale, int32_t zp, int is_signed,
		       int32_t *lo, int32_t *hi)
{
	int32_t qmin = is_signed ? -128 : 0, qmax = is_signed ? 127 : 255;
	int32_t q0 = zp + (int32_t)roundf(0.0f / scale);
	int32_t q6 = zp + (int32_t)roundf(6.0f / scale);

	*lo = qmin;
	*hi = qmax;
	if (act >= 1)
		*lo = q0 > qmin ? q0 : qmin;
	if (act == 2)
		*hi = q6 < qmax ? q6 : qmax;
}

void mnet_qk_softmax_params(double beta, double in_scale,
			    struct mnet_qk_softmax *p)
{
	const int int_bits = 5;
	double real = beta * in_scale * (double)(1 << (31 - int_bits));
	double max_real = (double)((1ll << 31) - 1);
	double radius;

	if (real > max_real)
		real = max_real;
	mnet_qk_quantize_multiplier(real, &p->mult, &p->left_shift);
	radius = 1.0 * ((1 << int_bits) - 1) *
		 (double)(1ll << (31 - int_bits)) /
		 (double)(1ll << p->left_shift);
	p->diff_min = -(int)floor(radius);
}

void mnet_qk_add_params(float a_scale, float b_scale, float out_scale,
			struct mnet_qk_add *p)
{
	double twice_max = 2.0 * (double)(a_scale > b_scale ? a_scale : b_scale);

	p->left_shift = 20;
	mnet_qk_quantize_multiplier((double)a_scale / twice_max, &p->a_mult,
				    &p->a_shift);
	mnet_qk_quantize_multiplier((double)b_scale / twice_max, &p->b_mult,
				    &p->b_shift);
	mnet_qk_quantize_multiplier(twice_max / ((double)(1 << p->left_shift) *
						 (double)out_scale),
				    &p->out_mult, &p->out_shift);
}

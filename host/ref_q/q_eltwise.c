// SPDX-License-Identifier: Apache-2.0
/*
 * q_eltwise.c - integer reference elementwise kernels: ADD (reference_ops
 * and reference_integer_ops Add), QUANTIZE (Requantize, AffineQuantize)
 * and DEQUANTIZE
 */
#include <math.h>

#include "ref_q/q_kernels.h"
#include "ref_q/q_math.h"

void mnet_qk_add(const struct mnet_qk_add *p, size_t n, const uint8_t *a,
		 const uint8_t *b, uint8_t *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int32_t va = mnet_q_ld(a, i, p->is_signed) - p->a_zp;
		int32_t vb = mnet_q_ld(b, i, p->is_signed) - p->b_zp;
		int32_t sa = mnet_q_mul_lt1(va * (1 << p->left_shift),
					    p->a_mult, p->a_shift);
		int32_t sb = mnet_q_mul_lt1(vb * (1 << p->left_shift),
					    p->b_mult, p->b_shift);
		int32_t r = mnet_q_mul_lt1(sa + sb, p->out_mult, p->out_shift) +
			    p->out_zp;

		out[i] = (uint8_t)mnet_q_clamp(r, p->act_min, p->act_max);
	}
}

/*
 * Requantization maps each of the 256 input bytes to one output byte:
 * a long tensor (the TF2 file's 150528-byte input) goes through that
 * table, computed by the element formula itself.
 */
void mnet_qk_requantize(size_t n, int in_signed, int32_t in_zp,
			int out_signed, int32_t out_zp, int32_t mult,
			int shift, const uint8_t *in, uint8_t *out)
{
	int32_t lo = out_signed ? -128 : 0, hi = out_signed ? 127 : 255;
	uint8_t table[256], byte[256];
	size_t i;

	if (n > 1024) {
		for (i = 0; i < 256; i++)
			byte[i] = (uint8_t)i;
		mnet_qk_requantize(256, in_signed, in_zp, out_signed, out_zp,
				   mult, shift, byte, table);
		for (i = 0; i < n; i++)
			out[i] = table[in[i]];
		return;
	}
	for (i = 0; i < n; i++) {
		int32_t v = mnet_q_mul(mnet_q_ld(in, i, in_signed) - in_zp,
				       mult, shift) + out_zp;

		out[i] = (uint8_t)mnet_q_clamp(v, lo, hi);
	}
}

void mnet_qk_quantize(size_t n, const float *x, float scale, int32_t zp,
		      int out_signed, uint8_t *out)
{
	int32_t lo = out_signed ? -128 : 0, hi = out_signed ? 127 : 255;
	size_t i;

	for (i = 0; i < n; i++) {
		double r = (double)x[i] / (double)scale, f;
		int32_t t, v;

		/*
		 * round() half away from zero without the libm call (so the
		 * loop vectorises): out-of-range values (NaN to the lower end)
		 * are clamped first, as the cast could not take them; then
		 * r - trunc(r) is exact.
		 */
		r = r > -1e9 ? r : -1e9;
		r = r < 1e9 ? r : 1e9;
		t = (int32_t)r;
		f = r - (double)t;
		t += (f >= 0.5) - (f <= -0.5);
		v = t + zp;
		out[i] = (uint8_t)mnet_q_clamp(v, lo, hi);
	}
}

void mnet_qk_dequantize(size_t n, const uint8_t *in, int in_signed,
			float scale, int32_t zp, float *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = (float)((double)scale *
				 (double)(mnet_q_ld(in, i, in_signed) - zp));
}

/*
 * TFLite's quantized RELU / RELU6 (ReluX): rescale by in_scale / out_scale
 * (MultiplyByQuantizedMultiplier around the zero points), then clamp to the
 * activation's range on the output's grid.
 */
void mnet_qk_relu(const struct mnet_qk_relu *p, size_t n, const uint8_t *in,
		  uint8_t *out)
{
	size_t k;

	for (k = 0; k < n; k++) {
		int32_t v = mnet_q_ld(in, k, p->is_signed) - p->in_zp;

		v = p->out_zp + mnet_q_mul(v, p->mult, p->shift);
		out[k] = (uint8_t)mnet_q_clamp(v, p->act_min, p->act_max);
	}
}

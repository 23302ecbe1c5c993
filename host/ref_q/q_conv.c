// SPDX-License-Identifier: Apache-2.0
/*
 * q_conv.c - integer reference convolutions (TFLite's reference Conv and
 * DepthwiseConv, uint8 per-tensor and int8 per-channel)
 */
#include "ref_q/q_kernels.h"
#include "ref_q/q_math.h"

/* bias, requantize, output zero point, clamp: one output value */
static uint8_t q_out(const struct mnet_qk_conv *p, int32_t acc,
		     const int32_t *bias, int o)
{
	if (bias)
		acc += bias[o];
	if (p->single_round)
		acc = mnet_q_mul_1r(acc, p->mult[o], p->shift[o]);
	else
		acc = mnet_q_mul(acc, p->mult[o], p->shift[o]);
	acc += p->out_zp;
	return (uint8_t)mnet_q_clamp(acc, p->act_min, p->act_max);
}

void mnet_qk_conv2d(const struct mnet_qk_conv *p, const uint8_t *in,
		    const uint8_t *w, const int32_t *bias, uint8_t *out)
{
	int y, x, o, i, j, c;

	for (y = 0; y < p->oh; y++) {
		for (x = 0; x < p->ow; x++) {
			for (o = 0; o < p->oc; o++) {
				int32_t acc = 0;

				for (i = 0; i < p->kh; i++) {
					int iy = y * p->sh - p->pt + i;

					if (iy < 0 || iy >= p->ih)
						continue;
					for (j = 0; j < p->kw; j++) {
						int ix = x * p->sw - p->pl + j;
						size_t ib, wb;

						if (ix < 0 || ix >= p->iw)
							continue;
						ib = ((size_t)iy * p->iw + ix) * p->ic;
						wb = (((size_t)o * p->kh + i) * p->kw + j) *
						     p->ic;
						for (c = 0; c < p->ic; c++)
							acc += (mnet_q_ld(in, ib + c, p->in_signed) -
								p->in_zp) *
							       (mnet_q_ld(w, wb + c, p->w_signed) -
								p->w_zp);
					}
				}
				out[((size_t)y * p->ow + x) * p->oc + o] =
					q_out(p, acc, bias, o);
			}
		}
	}
}

void mnet_qk_dwconv2d(const struct mnet_qk_conv *p, const uint8_t *in,
		      const uint8_t *w, const int32_t *bias, uint8_t *out)
{
	int dh = p->dil_h > 1 ? p->dil_h : 1, dw = p->dil_w > 1 ? p->dil_w : 1;
	int y, x, o, i, j;

	for (y = 0; y < p->oh; y++) {
		for (x = 0; x < p->ow; x++) {
			for (o = 0; o < p->oc; o++) {
				int32_t acc = 0;

				for (i = 0; i < p->kh; i++) {
					int iy = y * p->sh - p->pt + i * dh;

					if (iy < 0 || iy >= p->ih)
						continue;
					for (j = 0; j < p->kw; j++) {
						int ix = x * p->sw - p->pl + j * dw;
						size_t ii, wi;

						if (ix < 0 || ix >= p->iw)
							continue;
						ii = ((size_t)iy * p->iw + ix) * p->ic + o;
						wi = ((size_t)i * p->kw + j) * p->oc + o;
						acc += (mnet_q_ld(in, ii, p->in_signed) -
							p->in_zp) *
						       (mnet_q_ld(w, wi, p->w_signed) -
							p->w_zp);
					}
				}
				out[((size_t)y * p->ow + x) * p->oc + o] =
					q_out(p, acc, bias, o);
			}
		}
	}
}

// SPDX-License-Identifier: Apache-2.0
/*
 * dwconv2d.c - reference depthwise KxK convolution (depth multiplier 1)
 *
 * One output value at a time: bias, then the taps in row-major order,
 * skipping taps outside the input.
 */
#include "ref/ref_kernels.h"

void mnet_refk_dwconv2d(const struct mnet_refk_window *g, const float *in,
			const float *w, const float *bias, float *out)
{
	int oy, ox, c, ky, kx;

	for (oy = 0; oy < g->oh; oy++) {
		for (ox = 0; ox < g->ow; ox++) {
			float *o = out + ((size_t)oy * g->ow + ox) * g->oc;

			for (c = 0; c < g->oc; c++) {
				float acc = bias ? bias[c] : 0.0f;

				for (ky = 0; ky < g->kh; ky++) {
					int iy = oy * g->sh - g->pt + ky;

					if (iy < 0 || iy >= g->ih)
						continue;
					for (kx = 0; kx < g->kw; kx++) {
						int ix = ox * g->sw - g->pl + kx;

						if (ix < 0 || ix >= g->iw)
							continue;
						acc += mnet_refk_px(in, g->iw, g->ic,
								    iy, ix)[c] *
						       w[((size_t)ky * g->kw + kx) *
							 g->oc + c];
					}
				}
				o[c] = mnet_refk_act_apply(g->act, acc);
			}
		}
	}
}

/*
 * The dilated form: tap (ky, kx) reads input row oy * sh - pt + ky * dh
 * and column ox * sw - pl + kx * dw.  Kept apart from the undilated
 * kernel, which the fast CPU backend calls too, so that its window
 * struct stays as it is.
 */
void mnet_refk_dwconv2d_dilated(const struct mnet_refk_window *g, int dh,
				int dw, const float *in, const float *w,
				const float *bias, float *out)
{
	int oy, ox, c, ky, kx;

	for (oy = 0; oy < g->oh; oy++) {
		for (ox = 0; ox < g->ow; ox++) {
			float *o = out + ((size_t)oy * g->ow + ox) * g->oc;

			for (c = 0; c < g->oc; c++) {
				float acc = bias ? bias[c] : 0.0f;

				for (ky = 0; ky < g->kh; ky++) {
					int iy = oy * g->sh - g->pt + ky * dh;

					if (iy < 0 || iy >= g->ih)
						continue;
					for (kx = 0; kx < g->kw; kx++) {
						int ix = ox * g->sw - g->pl +
							 kx * dw;

						if (ix < 0 || ix >= g->iw)
							continue;
						acc += mnet_refk_px(in, g->iw, g->ic,
								    iy, ix)[c] *
						       w[((size_t)ky * g->kw + kx) *
							 g->oc + c];
					}
				}
				o[c] = mnet_refk_act_apply(g->act, acc);
			}
		}
	}
}

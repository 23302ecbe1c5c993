// SPDX-License-Identifier: Apache-2.0
/*
 * conv2d.c - reference full KxK convolution
 *
 * One output value at a time: bias, then the taps in [ky][kx][ci] order,
 * the order of the weights, skipping taps outside the input.
 */
#include "ref/ref_kernels.h"

void mnet_refk_conv2d(const struct mnet_refk_window *g, const float *in,
		      const float *w, const float *bias, float *out)
{
	int oy, ox, co, ky, kx, ci;

	for (oy = 0; oy < g->oh; oy++) {
		for (ox = 0; ox < g->ow; ox++) {
			float *o = out + ((size_t)oy * g->ow + ox) * g->oc;

			for (co = 0; co < g->oc; co++) {
				float acc = bias ? bias[co] : 0.0f;

				for (ky = 0; ky < g->kh; ky++) {
					int iy = oy * g->sh - g->pt + ky;

					if (iy < 0 || iy >= g->ih)
						continue;
					for (kx = 0; kx < g->kw; kx++) {
						int ix = ox * g->sw - g->pl + kx;
						const float *p, *wk;

						if (ix < 0 || ix >= g->iw)
							continue;
						p = mnet_refk_px(in, g->iw, g->ic,
								 iy, ix);
						wk = w + (((size_t)co * g->kh + ky) *
							  g->kw + kx) * g->ic;
						for (ci = 0; ci < g->ic; ci++)
							acc += p[ci] * wk[ci];
					}
				}
				o[co] = mnet_refk_act_apply(g->act, acc);
			}
		}
	}
}

// SPDX-License-Identifier: Apache-2.0
/*
 * avgpool.c - reference average pool
 *
 * Padded positions are not counted: each output divides by the number of
 * taps that fell inside the input.
 */
#include "ref/ref_kernels.h"

void mnet_refk_avgpool(const struct mnet_refk_window *g, const float *in,
		       float *out)
{
	int oy, ox, c, ky, kx;

	for (oy = 0; oy < g->oh; oy++) {
		for (ox = 0; ox < g->ow; ox++) {
			float *o = out + ((size_t)oy * g->ow + ox) * g->oc;
			int n = 0;

			/*
			 * Each output sums its taps in row-major order; channels
			 * run innermost, so a pixel's channels are read in one
			 * sweep (the fast CPU backend calls this too).
			 */
			for (c = 0; c < g->oc; c++)
				o[c] = 0.0f;
			for (ky = 0; ky < g->kh; ky++) {
				int iy = oy * g->sh - g->pt + ky;

				if (iy < 0 || iy >= g->ih)
					continue;
				for (kx = 0; kx < g->kw; kx++) {
					int ix = ox * g->sw - g->pl + kx;
					const float *p;

					if (ix < 0 || ix >= g->iw)
						continue;
					p = mnet_refk_px(in, g->iw, g->ic, iy, ix);
					for (c = 0; c < g->oc; c++)
						o[c] += p[c];
					n++;
				}
			}
			for (c = 0; c < g->oc; c++)
				o[c] = mnet_refk_act_apply(g->act,
							   n ? o[c] / n : 0.0f);
		}
	}
}

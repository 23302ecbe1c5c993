// SPDX-License-Identifier: Apache-2.0
/*
 * maxpool.c - reference max pool
 *
 * Padded positions take no part: each output is the largest of the taps
 * inside the input (TFLite's MaxPool), then the fused activation.
 */
#include <float.h>

#include "ref/ref_kernels.h"

/*
 * o = max(o, p) over @n channels, in blocks of 16 of a fixed trip count,
 * which the compiler turns into vector max instructions even at -O2.
 */
static void max_row(float *restrict o, const float *restrict p, int n)
{
	int c = 0, k;

	for (; c + 16 <= n; c += 16)
		for (k = 0; k < 16; k++)
			o[c + k] = p[c + k] > o[c + k] ? p[c + k] : o[c + k];
	for (; c < n; c++)
		o[c] = p[c] > o[c] ? p[c] : o[c];
}

void mnet_refk_maxpool(const struct mnet_refk_window *g, const float *in,
		       float *out)
{
	int oy, ox, c, ky, kx;

	for (oy = 0; oy < g->oh; oy++) {
		for (ox = 0; ox < g->ow; ox++) {
			float *o = out + ((size_t)oy * g->ow + ox) * g->oc;

			/* channels innermost: a pixel's taps in one sweep */
			for (c = 0; c < g->oc; c++)
				o[c] = -FLT_MAX;
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
					max_row(o, p, g->oc);
				}
			}
			for (c = 0; c < g->oc; c++)
				o[c] = mnet_refk_act_apply(g->act, o[c]);
		}
	}
}

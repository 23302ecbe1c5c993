// SPDX-License-Identifier: Apache-2.0
/*
 * pwconv2d.c - reference 1x1 convolution
 *
 * Each pixel's channels are a row: output channel co is the dot product of
 * that row with weight row co, accumulated from the bias in channel order.
 */
#include "ref/ref_kernels.h"

void mnet_refk_pwconv2d(size_t npx, int cin, int cout, const float *in,
			const float *w, const float *bias,
			enum mnet_refk_act act, float *out)
{
	size_t p;
	int co, ci;

	for (p = 0; p < npx; p++) {
		const float *i = in + p * cin;
		float *o = out + p * cout;

		for (co = 0; co < cout; co++) {
			const float *wr = w + (size_t)co * cin;
			float acc = bias ? bias[co] : 0.0f;

			for (ci = 0; ci < cin; ci++)
				acc += i[ci] * wr[ci];
			o[co] = mnet_refk_act_apply(act, acc);
		}
	}
}

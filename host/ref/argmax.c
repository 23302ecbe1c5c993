// SPDX-License-Identifier: Apache-2.0
/*
 * argmax.c - reference argmax over channels
 *
 * The first largest channel wins a tie, as TFLite's ARG_MAX; the index is
 * stored as a float (exact: channel counts are far below 2^24).
 */
#include "ref/ref_kernels.h"

void mnet_refk_argmax(size_t npx, int c, const float *in, float *out)
{
	size_t p;
	int k;

	for (p = 0; p < npx; p++) {
		const float *v = in + p * (size_t)c;
		int best = 0;

		for (k = 1; k < c; k++)
			if (v[k] > v[best])
				best = k;
		out[p] = (float)best;
	}
}

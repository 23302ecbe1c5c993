// SPDX-License-Identifier: Apache-2.0
/*
 * softmax.c - reference softmax over the channels of each pixel
 *
 * The maximum is subtracted before expf() so that large logits do not
 * overflow; the sum runs in channel order.
 */
#include <math.h>

#include "ref/ref_kernels.h"

void mnet_refk_softmax(size_t npx, int n, float beta, const float *in,
		       float *out)
{
	size_t p;
	int c;

	for (p = 0; p < npx; p++) {
		const float *x = in + p * n;
		float *y = out + p * n;
		float max = x[0], sum = 0.0f;

		for (c = 1; c < n; c++)
			if (x[c] > max)
				max = x[c];
		for (c = 0; c < n; c++) {
			y[c] = expf(beta * (x[c] - max));
			sum += y[c];
		}
		for (c = 0; c < n; c++)
			y[c] /= sum;
	}
}

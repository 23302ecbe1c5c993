// SPDX-License-Identifier: Apache-2.0
/*
 * fc.c - reference fully connected layer
 *
 * The input is one row (the tensor flattened in NHWC order); output co is
 * its dot product with weight row co, accumulated from the bias.
 */
#include "ref/ref_kernels.h"

void mnet_refk_fc(size_t n_in, int cout, const float *in, const float *w,
		  const float *bias, enum mnet_refk_act act, float *out)
{
	size_t i;
	int co;

	for (co = 0; co < cout; co++) {
		const float *wr = w + (size_t)co * n_in;
		float acc = bias ? bias[co] : 0.0f;

		for (i = 0; i < n_in; i++)
			acc += in[i] * wr[i];
		out[co] = mnet_refk_act_apply(act, acc);
	}
}

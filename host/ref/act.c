// SPDX-License-Identifier: Apache-2.0
/*
 * act.c - reference activation on its own (RELU, RELU6)
 */
#include "ref/ref_kernels.h"

void mnet_refk_act(size_t n, enum mnet_refk_act act, const float *in,
		   float *out)
{
	size_t k;

	for (k = 0; k < n; k++)
		out[k] = mnet_refk_act_apply(act, in[k]);
}

// SPDX-License-Identifier: Apache-2.0
/*
 * act.c - reference activation on its own (RELU, RELU6)
 *
 * One loop per activation, so that the compiler vectorises each (the cpu
 * backend runs this too: Xception's standalone RELUs).
 */
#include "ref/ref_kernels.h"

void mnet_refk_act(size_t n, enum mnet_refk_act act, const float *in,
		   float *out)
{
	size_t k;

	if (act == MNET_REFK_ACT_RELU6) {
		for (k = 0; k < n; k++)
			out[k] = in[k] < 0.0f ? 0.0f :
				 (in[k] > 6.0f ? 6.0f : in[k]);
	} else if (act == MNET_REFK_ACT_RELU) {
		for (k = 0; k < n; k++)
			out[k] = in[k] > 0.0f ? in[k] : 0.0f;
	} else {
		for (k = 0; k < n; k++)
			out[k] = in[k];
	}
}

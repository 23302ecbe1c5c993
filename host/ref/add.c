// SPDX-License-Identifier: Apache-2.0
/*
 * add.c - reference elementwise addition (MobileNetV2's residual)
 */
#include "ref/ref_kernels.h"

void mnet_refk_add(size_t n, const float *a, const float *b,
		   enum mnet_refk_act act, float *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = mnet_refk_act_apply(act, a[i] + b[i]);
}

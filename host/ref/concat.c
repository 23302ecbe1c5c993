// SPDX-License-Identifier: Apache-2.0
/*
 * concat.c - reference concatenation of two NHWC tensors along channels
 */
#include <string.h>

#include "ref/ref_kernels.h"

void mnet_refk_concat(size_t npx, int ca, int cb, const float *a,
		      const float *b, float *out)
{
	size_t p;

	for (p = 0; p < npx; p++) {
		float *o = out + p * (size_t)(ca + cb);

		memcpy(o, a + p * (size_t)ca, (size_t)ca * sizeof(*o));
		memcpy(o + ca, b + p * (size_t)cb, (size_t)cb * sizeof(*o));
	}
}

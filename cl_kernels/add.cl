/* SPDX-License-Identifier: Apache-2.0 */
/*
 * add.cl - elementwise a + b with fused activation (MobileNetV2 residuals),
 * and an activation on its own (act: Xception's RELU)
 *
 * Each work-item adds VW consecutive elements; the last one is guarded.
 * NDRange: dim 0 = N / VW rounded up, padded to the work-group size.
 *
 * Macros (see common.h for STORAGE_HALF, MATH_HALF, ACT, VW):
 *   N   elements, >= 1 (default 1024)
 */
#ifndef N
#define N 1024
#endif

__kernel void add(__global const store_t *restrict a,
		  __global const store_t *restrict b,
		  __global store_t *restrict out)
{
	const int i = (int)get_global_id(0) * VW;

	if (i >= N)
		return;
	st_vw_guard(ACTF(ld_vw_guard(a + i, N - i) + ld_vw_guard(b + i, N - i)),
		    out + i, N - i);
}

__kernel void act(__global const store_t *restrict a,
		  __global store_t *restrict out)
{
	const int i = (int)get_global_id(0) * VW;

	if (i >= N)
		return;
	st_vw_guard(ACTF(ld_vw_guard(a + i, N - i)), out + i, N - i);
}

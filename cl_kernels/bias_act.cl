/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bias_act.cl - add the bias and apply the activation in place
 *
 * The epilogue of the CLBlast GEMM variant of pwconv and fc (runtime/
 * cl_gemm.c): SGEMM writes in * W^T, this kernel adds the per-channel
 * bias and the fused activation.  Each work-item updates one element.
 * NDRange: dim 0 = channels, dim 1 = pixels (exact, no padding: the local
 * size is left to the driver); out-of-range work-items return anyway.
 *
 * Macros (see common.h for STORAGE_HALF, MATH_HALF, ACT):
 *   COUT   channels, >= 1 (default 32)
 *   NPIX   pixels, >= 1 (default 1)
 */
#ifndef COUT
#define COUT 32
#endif
#ifndef NPIX
#define NPIX 1
#endif

__kernel void bias_act(__global store_t *restrict out,
		       __global const store_t *restrict bias)
{
	const int c = (int)get_global_id(0);
	const int p = (int)get_global_id(1);
	__global store_t *o = out + p * COUT + c;

	if (c >= COUT || p >= NPIX)
		return;
	ST1(ACTF((real)LD1(o) + (real)LD1(bias + c)), o);
}

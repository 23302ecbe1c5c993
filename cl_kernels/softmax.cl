/* SPDX-License-Identifier: Apache-2.0 */
/*
 * softmax.cl - softmax over the channels of each pixel
 *
 * One work-group per pixel; its WG work-items stride over the channels and
 * reduce the maximum and then the sum of exponentials in local memory
 * (subtracting the maximum keeps exp() in range).  Always computed in
 * float, whatever the storage.  NDRange: (WG, NPIX) with a work-group of
 * (WG, 1).
 *
 * Macros (see common.h for STORAGE_HALF, MATH_HALF):
 *   C      channels, >= 1 (default 1001)
 *   WG     work-group size, a power of two 1..1024 (default 64)
 *   BETA   temperature, a float literal (default 1.0f)
 */
#ifndef C
#define C 1001
#endif
#ifndef WG
#define WG 64
#endif
#ifndef BETA
#define BETA 1.0f
#endif

__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void softmax(__global const store_t *restrict in,
	     __global store_t *restrict out)
{
	const int lid = (int)get_local_id(0);
	const int p = (int)get_global_id(1);
	const __global store_t *x = in + p * C;
	__global store_t *y = out + p * C;
	__local float red[WG];
	float m = -INFINITY, s = 0.0f;
	int c, n;

	for (c = lid; c < C; c += WG)
		m = fmax(m, (float)LD1(x + c));
	red[lid] = m;
	barrier(CLK_LOCAL_MEM_FENCE);
	for (n = WG / 2; n > 0; n /= 2) {
		if (lid < n)
			red[lid] = fmax(red[lid], red[lid + n]);
		barrier(CLK_LOCAL_MEM_FENCE);
	}
	m = red[0];
	barrier(CLK_LOCAL_MEM_FENCE);
	for (c = lid; c < C; c += WG)
		s += exp(BETA * ((float)LD1(x + c) - m));
	red[lid] = s;
	barrier(CLK_LOCAL_MEM_FENCE);
	for (n = WG / 2; n > 0; n /= 2) {
		if (lid < n)
			red[lid] += red[lid + n];
		barrier(CLK_LOCAL_MEM_FENCE);
	}
	s = 1.0f / red[0];
	for (c = lid; c < C; c += WG)
		ST1((real)(exp(BETA * ((float)LD1(x + c) - m)) * s), y + c);
}

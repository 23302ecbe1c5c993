/* SPDX-License-Identifier: Apache-2.0 */
/*
 * avgpool.cl - average pool (global when the kernel covers the input) and
 * max pool; padded positions are not counted, as in TFLite
 *
 * Each work-item computes one channel of one output pixel; consecutive
 * work-items read consecutive channels, so the reads coalesce.  NDRange:
 * dim 0 = channels, dim 1 = output x, dim 2 = output y, padded to the
 * work-group size; out-of-range work-items return.
 *
 * Macros (see common.h for STORAGE_HALF, MATH_HALF, ACT):
 *   C              channels (default 1024)
 *   H_IN, W_IN     input height/width (default 7)
 *   H_OUT, W_OUT   output height/width (default 1)
 *   KH, KW         pooling window (default 7)
 *   STRIDE_H, STRIDE_W  strides (default 1)
 *   PAD_T, PAD_L   padding above / left (default 0)
 */
#ifndef C
#define C 1024
#endif
#ifndef H_IN
#define H_IN 7
#endif
#ifndef W_IN
#define W_IN 7
#endif
#ifndef H_OUT
#define H_OUT 1
#endif
#ifndef W_OUT
#define W_OUT 1
#endif
#ifndef KH
#define KH 7
#endif
#ifndef KW
#define KW 7
#endif
#ifndef STRIDE_H
#define STRIDE_H 1
#endif
#ifndef STRIDE_W
#define STRIDE_W 1
#endif
#ifndef PAD_T
#define PAD_T 0
#endif
#ifndef PAD_L
#define PAD_L 0
#endif

__kernel void avgpool(__global const store_t *restrict in,
		      __global store_t *restrict out)
{
	const int c = (int)get_global_id(0);
	const int ox = (int)get_global_id(1);
	const int oy = (int)get_global_id(2);
	float sum = 0.0f;
	int ky, kx, n = 0;

	if (c >= C || ox >= W_OUT || oy >= H_OUT)
		return;
	for (ky = 0; ky < KH; ky++) {
		const int iy = oy * STRIDE_H - PAD_T + ky;

		if (iy < 0 || iy >= H_IN)
			continue;
		for (kx = 0; kx < KW; kx++) {
			const int ix = ox * STRIDE_W - PAD_L + kx;

			if (ix < 0 || ix >= W_IN)
				continue;
			sum += (float)LD1(in + (iy * W_IN + ix) * C + c);
			n++;
		}
	}
	ST1(ACTF((real)(n ? sum / (float)n : 0.0f)),
	    out + (oy * W_OUT + ox) * C + c);
}

/* The largest tap inside the input (a window always holds one). */
__kernel void maxpool(__global const store_t *restrict in,
		      __global store_t *restrict out)
{
	const int c = (int)get_global_id(0);
	const int ox = (int)get_global_id(1);
	const int oy = (int)get_global_id(2);
	float m = -MAXFLOAT;
	int ky, kx;

	if (c >= C || ox >= W_OUT || oy >= H_OUT)
		return;
	for (ky = 0; ky < KH; ky++) {
		const int iy = oy * STRIDE_H - PAD_T + ky;

		if (iy < 0 || iy >= H_IN)
			continue;
		for (kx = 0; kx < KW; kx++) {
			const int ix = ox * STRIDE_W - PAD_L + kx;

			if (ix < 0 || ix >= W_IN)
				continue;
			m = fmax(m, (float)LD1(in + (iy * W_IN + ix) * C + c));
		}
	}
	ST1(ACTF((real)m), out + (oy * W_OUT + ox) * C + c);
}

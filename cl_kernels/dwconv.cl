/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dwconv.cl - depthwise KxK convolution (depth multiplier 1), bias and
 * activation fused
 *
 * Each work-item computes VW channels of OXT output pixels along a row;
 * channels are the
 * fastest NHWC dimension, so its loads and the weight loads are vectors.
 * Weights are repacked by the host to [KH][KW][CPAD] (CPAD = C rounded up
 * to VW, zero filled) and the bias to CPAD, so weight loads never need a
 * guard; input loads and stores are guarded when C % VW != 0.  Taps
 * outside the input are the zero padding.  NDRange: dim 0 = channel blocks,
 * dim 1 = output x blocks of OXT, dim 2 = output y, each padded to the
 * work-group size.
 *
 * Macros (see common.h for STORAGE_HALF, MATH_HALF, ACT, VW):
 *   C         channels, >= 1 (default 32)
 *   CPAD      C rounded up to a multiple of VW (default 32)
 *   H_IN, W_IN     input height/width, >= 1 (default 14)
 *   H_OUT, W_OUT   output height/width, >= 1 (default 14)
 *   KH, KW    kernel height/width, >= 1 (default 3)
 *   STRIDE_H, STRIDE_W  strides, >= 1 (default 1)
 *   PAD_T, PAD_L   zero rows above / columns left of the input (default 1)
 *   OXT       output pixels along x per work-item, 1..8 (default 1); each
 *             input column is then loaded once for all of them
 */
#ifndef C
#define C 32
#endif
#ifndef CPAD
#define CPAD 32
#endif
#ifndef H_IN
#define H_IN 14
#endif
#ifndef W_IN
#define W_IN 14
#endif
#ifndef H_OUT
#define H_OUT 14
#endif
#ifndef W_OUT
#define W_OUT 14
#endif
#ifndef KH
#define KH 3
#endif
#ifndef KW
#define KW 3
#endif
#ifndef STRIDE_H
#define STRIDE_H 1
#endif
#ifndef STRIDE_W
#define STRIDE_W 1
#endif
#ifndef PAD_T
#define PAD_T 1
#endif
#ifndef PAD_L
#define PAD_L 1
#endif
#ifndef OXT
#define OXT 1
#endif

__kernel void dwconv(__global const store_t *restrict in,
		     __global const store_t *restrict w,
		     __global const store_t *restrict bias,
		     __global store_t *restrict out)
{
	const int c0 = (int)get_global_id(0) * VW;
	const int ox0 = (int)get_global_id(1) * OXT;
	const int oy = (int)get_global_id(2);
	VEC(VW) acc[OXT];
	int ky, col, t;

	if (c0 >= C || ox0 >= W_OUT || oy >= H_OUT)
		return;
	acc[0] = LDN(VW, bias + c0);
	for (t = 1; t < OXT; t++)
		acc[t] = acc[0];
	for (ky = 0; ky < KH; ky++) {
		const int iy = oy * STRIDE_H - PAD_T + ky;

		if (iy < 0 || iy >= H_IN)
			continue;
		/* each input column is loaded once for the OXT outputs */
		for (col = 0; col < (OXT - 1) * STRIDE_W + KW; col++) {
			const int ix = ox0 * STRIDE_W - PAD_L + col;
			VEC(VW) x;

			if (ix < 0 || ix >= W_IN)
				continue;
			x = ld_vw_guard(in + (iy * W_IN + ix) * C + c0, C - c0);
			for (t = 0; t < OXT; t++) {
				const int kx = col - t * STRIDE_W;

				if (kx >= 0 && kx < KW)
					acc[t] += x * LDN(VW, w + (ky * KW + kx) *
							  CPAD + c0);
			}
		}
	}
	for (t = 0; t < OXT && ox0 + t < W_OUT; t++)
		st_vw_guard(ACTF(acc[t]),
			    out + (oy * W_OUT + ox0 + t) * C + c0, C - c0);
}

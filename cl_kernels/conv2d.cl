/* SPDX-License-Identifier: Apache-2.0 */
/*
 * conv2d.cl - full KxK convolution (MobileNet's first layer), bias and
 * activation fused
 *
 * Each work-item computes VW output channels of one output pixel.  With
 * few input channels (3 for an RGB image) the input tap is a scalar and
 * the weights are VW-vectors: the host repacks them to
 * [KH][KW][CIN][COUT_PAD] and the bias to COUT_PAD.  NDRange: dim 0 =
 * output-channel blocks, dim 1 = output x, dim 2 = output y, padded to
 * the work-group size; out-of-range work-items return.
 *
 * Macros (see common.h for STORAGE_HALF, MATH_HALF, ACT, VW):
 *   CIN, COUT      input/output channels, >= 1 (default 3 / 32)
 *   COUT_PAD       COUT rounded up to a multiple of VW (default 32)
 *   H_IN, W_IN     input height/width (default 224)
 *   H_OUT, W_OUT   output height/width (default 112)
 *   KH, KW         kernel size (default 3)
 *   STRIDE_H, STRIDE_W  strides (default 2)
 *   PAD_T, PAD_L   zero rows above / columns left (default 0)
 *   W_LOCAL        1: the work-group first copies the whole (small)
 *                  weight array into local memory, so that each weight
 *                  crosses global memory once per work-group instead of
 *                  once per work-item (the first layer's 27 x COUT_PAD
 *                  weights were 17x its ideal traffic under Oclgrind)
 */
#ifndef CIN
#define CIN 3
#endif
#ifndef COUT
#define COUT 32
#endif
#ifndef COUT_PAD
#define COUT_PAD 32
#endif
#ifndef H_IN
#define H_IN 224
#endif
#ifndef W_IN
#define W_IN 224
#endif
#ifndef H_OUT
#define H_OUT 112
#endif
#ifndef W_OUT
#define W_OUT 112
#endif
#ifndef KH
#define KH 3
#endif
#ifndef KW
#define KW 3
#endif
#ifndef STRIDE_H
#define STRIDE_H 2
#endif
#ifndef STRIDE_W
#define STRIDE_W 2
#endif
#ifndef PAD_T
#define PAD_T 0
#endif
#ifndef PAD_L
#define PAD_L 0
#endif

__kernel void conv2d(__global const store_t *restrict in,
		     __global const store_t *restrict w,
		     __global const store_t *restrict bias,
		     __global store_t *restrict out)
{
	const int co = (int)get_global_id(0) * VW;
	const int ox = (int)get_global_id(1);
	const int oy = (int)get_global_id(2);
	VEC(VW) acc;
	int ky, kx, ci;
#if W_LOCAL
	__local real wl[KH * KW * CIN * COUT_PAD];
	const int lid = (int)(get_local_id(0) + get_local_size(0) *
			      (get_local_id(1) + get_local_size(1) *
			       get_local_id(2)));
	const int lsz = (int)(get_local_size(0) * get_local_size(1) *
			      get_local_size(2));
	int i;

	/* every work-item, in range or not, takes part before the barrier */
	for (i = lid; i < KH * KW * CIN * COUT_PAD; i += lsz)
		wl[i] = (real)LD1(w + i);
	barrier(CLK_LOCAL_MEM_FENCE);
#define W_AT(off) VLOAD_PRIV(VW, wl + (off))
#else
#define W_AT(off) LDN(VW, w + (off))
#endif

	if (co >= COUT || ox >= W_OUT || oy >= H_OUT)
		return;
	acc = LDN(VW, bias + co);
	for (ky = 0; ky < KH; ky++) {
		const int iy = oy * STRIDE_H - PAD_T + ky;

		if (iy < 0 || iy >= H_IN)
			continue;
		for (kx = 0; kx < KW; kx++) {
			const int ix = ox * STRIDE_W - PAD_L + kx;
			const __global store_t *ip = in + (iy * W_IN + ix) * CIN;
			const int wo = (ky * KW + kx) * CIN * COUT_PAD + co;

			if (ix < 0 || ix >= W_IN)
				continue;
			for (ci = 0; ci < CIN; ci++)
				acc += (real)LD1(ip + ci) *
				       W_AT(wo + ci * COUT_PAD);
		}
	}
	st_vw_guard(ACTF(acc), out + (oy * W_OUT + ox) * COUT + co, COUT - co);
}

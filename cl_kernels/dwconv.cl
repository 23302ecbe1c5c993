/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dwconv.cl - depthwise KxK convolution (depth multiplier 1), bias and
 * activation fused
 *
 * Each work-item computes VW channels of an OXT x OYT tile of output
 * pixels (OXT along x, OYT down a column); channels are the fastest NHWC
 * dimension, so its loads and the weight loads are vectors.  It loads its
 * KH x KW weights and its bias once, into registers, and slides its
 * window down the column: the KH input rows of one output row (OXT
 * outputs wide) stay in registers, and each step down loads only the
 * STRIDE_H new rows, so each input pixel is read about (NCOL / OXT) /
 * STRIDE_W times instead of KH x KW (issue #19: global traffic).
 * Weights are repacked by the host to [KH][KW][CPAD] (CPAD = C rounded up
 * to VW, zero filled) and the bias to CPAD, so weight loads never need a
 * guard; input loads and stores are guarded when C % VW != 0.  Taps
 * outside the input are the zero padding.  NDRange: dim 0 = channel blocks,
 * dim 1 = output x blocks of OXT, dim 2 = output y blocks of OYT, each
 * padded to the work-group size.
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
 *   OYT       output rows per work-item, 1..64 (default 1); each input
 *             row is then loaded once for all of them
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
#ifndef OYT
#define OYT 1
#endif

/* input columns one row of the window spans for OXT outputs */
#define NCOL ((OXT - 1) * STRIDE_W + KW)

/* input row iy, the NCOL columns from ix0: zero outside the input */
inline void dw_load_row(__global const store_t *restrict in, int iy, int ix0,
			int c0, VEC(VW) *row)
{
	int col;

	#pragma unroll
	for (col = 0; col < NCOL; col++) {
		const int ix = ix0 + col;

		row[col] = (VEC(VW))0;
		if (iy >= 0 && iy < H_IN && ix >= 0 && ix < W_IN)
			row[col] = ld_vw_guard(in + (iy * W_IN + ix) * C + c0,
					       C - c0);
	}
}

__kernel void dwconv(__global const store_t *restrict in,
		     __global const store_t *restrict w,
		     __global const store_t *restrict bias,
		     __global store_t *restrict out)
{
	const int c0 = (int)get_global_id(0) * VW;
	const int ox0 = (int)get_global_id(1) * OXT;
	const int oy0 = (int)get_global_id(2) * OYT;
	const int ix0 = ox0 * STRIDE_W - PAD_L;
	VEC(VW) wr[KH * KW], rows[KH][NCOL], acc[OXT], b;
	int i, k, col, t, u;

	if (c0 >= C || ox0 >= W_OUT || oy0 >= H_OUT)
		return;
	/* the work-item's weights and bias, loaded once for its OXT x OYT */
	#pragma unroll
	for (i = 0; i < KH * KW; i++)
		wr[i] = LDN(VW, w + i * CPAD + c0);
	b = LDN(VW, bias + c0);
	for (t = 0; t < OYT && oy0 + t < H_OUT; t++) {
		const int iy0 = (oy0 + t) * STRIDE_H - PAD_T;

		/*
		 * the window slides down STRIDE_H rows: keep the rows it
		 * still covers, load the new ones (each input row once)
		 */
		#pragma unroll
		for (k = 0; k < KH; k++) {
			if (t > 0 && k + STRIDE_H < KH) {
				#pragma unroll
				for (col = 0; col < NCOL; col++)
					rows[k][col] = rows[k + STRIDE_H][col];
			} else {
				dw_load_row(in, iy0 + k, ix0, c0, rows[k]);
			}
		}
		#pragma unroll
		for (u = 0; u < OXT; u++)
			acc[u] = b;
		#pragma unroll
		for (k = 0; k < KH; k++)
			#pragma unroll
			for (u = 0; u < OXT; u++)
				#pragma unroll
				for (i = 0; i < KW; i++)
					acc[u] += rows[k][u * STRIDE_W + i] *
						  wr[k * KW + i];
		for (u = 0; u < OXT && ox0 + u < W_OUT; u++)
			st_vw_guard(ACTF(acc[u]), out + ((oy0 + t) * W_OUT +
							 ox0 + u) * C + c0,
				    C - c0);
	}
}

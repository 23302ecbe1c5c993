/* SPDX-License-Identifier: Apache-2.0 */
/*
 * q8_conv.cl - quantized convolution (full, 1x1, fully connected) in
 * integer arithmetic, bit-exact with host/ref_q/q_conv.c
 *
 * Weights [oc][kh][kw][ic] as the file stores them, 8-bit, signed or not
 * by the parameter block; int32 accumulation of (x - in_zp) * (w - w_zp)
 * over the window, padding positions skipped (the same as reading the
 * input's zero point); then bias, the per-channel (multiplier, shift)
 * requantization (q8_out() in common.h) and the fused clamp.  A fully
 * connected layer is a 1x1 window over a 1x1xN input, with one rounding.
 *
 * q8_conv: one output byte per work-item; NDRange (oc, ow, oh).
 * q8_pwconv: a 1x1 stride-1 unpadded convolution (or FC); one output
 * pixel and Q8_OPT consecutive output channels per work-item; NDRange
 * (ceil(oc / Q8_OPT), pixels).
 */
#ifndef Q8_OPT
#define Q8_OPT 4
#endif

__kernel void q8_conv(__global const uchar *restrict in,
		      __global const uchar *restrict w,
		      __global const int *restrict bias,
		      __global const int *restrict mult,
		      __global const int *restrict shift,
		      __constant const int *restrict p,
		      __global uchar *restrict out)
{
	const int o = (int)get_global_id(0);
	const int x = (int)get_global_id(1);
	const int y = (int)get_global_id(2);
	const int ih = p[Q8P_IH], iw = p[Q8P_IW], ic = p[Q8P_IC];
	const int kh = p[Q8P_KH], kw = p[Q8P_KW];
	const int izp = p[Q8P_IN_ZP], wzp = p[Q8P_W_ZP];
	const int is = p[Q8P_IN_S], ws = p[Q8P_W_S];
	int acc = 0, i, j, c;

	if (o >= p[Q8P_OC] || x >= p[Q8P_OW] || y >= p[Q8P_OH])
		return;
	for (i = 0; i < kh; i++) {
		const int iy = y * p[Q8P_SH] - p[Q8P_PT] + i;

		if (iy < 0 || iy >= ih)
			continue;
		for (j = 0; j < kw; j++) {
			const int ix = x * p[Q8P_SW] - p[Q8P_PL] + j;
			int ib, wb;

			if (ix < 0 || ix >= iw)
				continue;
			ib = (iy * iw + ix) * ic;
			wb = ((o * kh + i) * kw + j) * ic;
			for (c = 0; c < ic; c++)
				acc += (q8_ld(in, ib + c, is) - izp) *
				       (q8_ld(w, wb + c, ws) - wzp);
		}
	}
	out[(y * p[Q8P_OW] + x) * p[Q8P_OC] + o] =
		q8_out(p, acc, bias[o], mult[o], shift[o]);
}

__kernel void q8_pwconv(__global const uchar *restrict in,
			__global const uchar *restrict w,
			__global const int *restrict bias,
			__global const int *restrict mult,
			__global const int *restrict shift,
			__constant const int *restrict p,
			__global uchar *restrict out)
{
	const int o0 = (int)get_global_id(0) * Q8_OPT;
	const int px = (int)get_global_id(1);
	const int ic = p[Q8P_IC], oc = p[Q8P_OC];
	const int izp = p[Q8P_IN_ZP], wzp = p[Q8P_W_ZP];
	const int is = p[Q8P_IN_S], ws = p[Q8P_W_S];
	__global const uchar *xr = in + px * ic;
	int acc[Q8_OPT];
	int k, c;

	if (o0 >= oc || px >= p[Q8P_OH] * p[Q8P_OW])
		return;
	for (k = 0; k < Q8_OPT; k++)
		acc[k] = 0;
	for (c = 0; c < ic; c++) {
		const int xv = q8_ld(xr, c, is) - izp;

		for (k = 0; k < Q8_OPT; k++) {
			const int o = min(o0 + k, oc - 1);

			acc[k] += xv * (q8_ld(w, o * ic + c, ws) - wzp);
		}
	}
	for (k = 0; k < Q8_OPT && o0 + k < oc; k++)
		out[px * oc + o0 + k] = q8_out(p, acc[k], bias[o0 + k],
					       mult[o0 + k], shift[o0 + k]);
}

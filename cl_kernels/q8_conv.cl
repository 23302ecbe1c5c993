/* SPDX-License-Identifier: Apache-2.0 */
/*
 * q8_conv.cl - quantized convolution (full, 1x1, fully connected) in
 * integer arithmetic, bit-exact with host/ref_q/q_conv.c
 *
 * Weights from the file's [oc][kh][kw][ic] (repacked, below), 8-bit, signed or not
 * by the parameter block; int32 accumulation of (x - in_zp) * (w - w_zp)
 * over the window, padding positions skipped (the same as reading the
 * input's zero point); then bias, the per-channel (multiplier, shift)
 * requantization (q8_out() in common.h) and the fused clamp.  A fully
 * connected layer is a 1x1 window over a 1x1xN input, with one rounding.
 *
 * q8_conv: weights transposed to [kh][kw][ic][oc padded to 16] (zeros)
 * by the host; 16 consecutive output channels (int16 lanes) of one output
 * pixel per work-item; NDRange (ceil(oc / 16), ow, oh).
 * q8_pwconv: a 1x1 stride-1 unpadded convolution (or FC), weights
 * transposed to [ic][oc padded to 16] (zeros) by the host; 16
 * consecutive output channels (int16 lanes) and Q8_PPT consecutive
 * pixels per work-item; NDRange (ceil(oc / 16), ceil(pixels / Q8_PPT)).
 */
#ifndef Q8_PPT
#define Q8_PPT 4
#endif

__kernel void q8_conv(__global const uchar *restrict in,
		      __global const uchar *restrict w,
		      __global const int *restrict bias,
		      __global const int *restrict mult,
		      __global const int *restrict shift,
		      __constant const int *restrict p,
		      __global uchar *restrict out)
{
	const int o0 = (int)get_global_id(0) * 16;
	const int x = (int)get_global_id(1);
	const int y = (int)get_global_id(2);
	const int ih = p[Q8P_IH], iw = p[Q8P_IW], ic = p[Q8P_IC];
	const int oc = p[Q8P_OC], ocp = (oc + 15) & ~15;
	const int kh = p[Q8P_KH], kw = p[Q8P_KW];
	const int izp = p[Q8P_IN_ZP], wzp = p[Q8P_W_ZP];
	const int im = p[Q8P_IN_S] << 7, wm = p[Q8P_W_S] << 7;
	int16 acc = (int16)(0);
	int a[16];
	int i, j, c;

	if (o0 >= oc || x >= p[Q8P_OW] || y >= p[Q8P_OH])
		return;
	for (i = 0; i < kh; i++) {
		const int iy = y * p[Q8P_SH] - p[Q8P_PT] + i;

		if (iy < 0 || iy >= ih)
			continue;
		for (j = 0; j < kw; j++) {
			const int ix = x * p[Q8P_SW] - p[Q8P_PL] + j;
			__global const uchar *xr, *wr;

			if (ix < 0 || ix >= iw)
				continue;
			xr = in + (iy * iw + ix) * ic;
			wr = w + (i * kw + j) * ic * ocp + o0;
			for (c = 0; c < ic; c++) {
				const int16 wv = (convert_int16(vload16(0, wr + c * ocp)) ^
						  wm) - wm;

				acc += ((((int)xr[c] ^ im) - im) - izp) *
				       (wv - wzp);
			}
		}
	}
	vstore16(acc, 0, a);
	for (j = 0; j < 16 && o0 + j < oc; j++)
		out[(y * p[Q8P_OW] + x) * oc + o0 + j] =
			q8_out(p, a[j], bias[o0 + j], mult[o0 + j],
			       shift[o0 + j]);
}

__kernel void q8_pwconv(__global const uchar *restrict in,
			__global const uchar *restrict w,
			__global const int *restrict bias,
			__global const int *restrict mult,
			__global const int *restrict shift,
			__constant const int *restrict p,
			__global uchar *restrict out)
{
	const int o0 = (int)get_global_id(0) * 16;
	const int px0 = (int)get_global_id(1) * Q8_PPT;
	const int ic = p[Q8P_IC], oc = p[Q8P_OC], ocp = (oc + 15) & ~15;
	const int np = p[Q8P_OH] * p[Q8P_OW];
	const int izp = p[Q8P_IN_ZP], wzp = p[Q8P_W_ZP];
	const int im = p[Q8P_IN_S] << 7, wm = p[Q8P_W_S] << 7;
	int16 acc[Q8_PPT];
	int row[Q8_PPT], a[16];
	int k, c, j;

	if (o0 >= oc || px0 >= np)
		return;
	for (k = 0; k < Q8_PPT; k++) {
		acc[k] = (int16)(0);
		row[k] = min(px0 + k, np - 1) * ic;
	}
	for (c = 0; c < ic; c++) {
		const int16 wv = ((convert_int16(vload16(0, w + c * ocp + o0)) ^
				   wm) - wm) - wzp;

		for (k = 0; k < Q8_PPT; k++)
			acc[k] += ((((int)in[row[k] + c] ^ im) - im) - izp) * wv;
	}
	for (k = 0; k < Q8_PPT && px0 + k < np; k++) {
		vstore16(acc[k], 0, a);
		for (j = 0; j < 16 && o0 + j < oc; j++)
			out[(px0 + k) * oc + o0 + j] =
				q8_out(p, a[j], bias[o0 + j], mult[o0 + j],
				       shift[o0 + j]);
	}
}

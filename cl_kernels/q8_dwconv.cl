/* SPDX-License-Identifier: Apache-2.0 */
/*
 * q8_dwconv.cl - quantized depthwise convolution (any kh x kw, stride and
 * padding) in integer arithmetic, bit-exact with host/ref_q/q_conv.c
 *
 * Weights [kh][kw][c padded to 16] (the host pads with zeros), 8-bit; the
 * parameter block and the epilogue are q8_conv.cl's (common.h).  Each
 * work-item computes 16 consecutive channels (int16 lanes) of one output
 * pixel; the input's last channel block is loaded element by element so
 * that nothing past the tensor is read.  NDRange (ceil(c / 16), ow, oh).
 */

/* 16 input bytes at p, as signed or unsigned ints; n < 16: only n read */
inline int16 q8_ld16(__global const uchar *p, int n, int m)
{
	uchar t[16];
	int k;

	if (n >= 16)
		return (convert_int16(vload16(0, p)) ^ m) - m;
	for (k = 0; k < 16; k++)
		t[k] = k < n ? p[k] : (uchar)0;
	return (convert_int16(vload16(0, t)) ^ m) - m;
}

__kernel void q8_dwconv(__global const uchar *restrict in,
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
	const int ih = p[Q8P_IH], iw = p[Q8P_IW], c = p[Q8P_OC];
	const int cp = (c + 15) & ~15, left = c - o0;
	const int kh = p[Q8P_KH], kw = p[Q8P_KW];
	const int izp = p[Q8P_IN_ZP], wzp = p[Q8P_W_ZP];
	const int im = p[Q8P_IN_S] << 7, wm = p[Q8P_W_S] << 7;
	int16 acc = (int16)(0);
	int a[16];
	int i, j;

	if (o0 >= c || x >= p[Q8P_OW] || y >= p[Q8P_OH])
		return;
	for (i = 0; i < kh; i++) {
		const int iy = y * p[Q8P_SH] - p[Q8P_PT] + i;

		if (iy < 0 || iy >= ih)
			continue;
		for (j = 0; j < kw; j++) {
			const int ix = x * p[Q8P_SW] - p[Q8P_PL] + j;
			int16 xv, wv;

			if (ix < 0 || ix >= iw)
				continue;
			xv = q8_ld16(in + (iy * iw + ix) * c + o0, left, im);
			wv = (convert_int16(vload16(0, w + (i * kw + j) * cp +
						    o0)) ^ wm) - wm;
			acc += (xv - izp) * (wv - wzp);
		}
	}
	vstore16(acc, 0, a);
	for (j = 0; j < 16 && j < left; j++)
		out[(y * p[Q8P_OW] + x) * c + o0 + j] =
			q8_out(p, a[j], bias[o0 + j], mult[o0 + j],
			       shift[o0 + j]);
}

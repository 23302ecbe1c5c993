/* SPDX-License-Identifier: Apache-2.0 */
/*
 * q8_dwconv.cl - quantized depthwise convolution (any kh x kw, stride and
 * padding) in integer arithmetic, bit-exact with host/ref_q/q_conv.c
 *
 * Weights [kh][kw][c], 8-bit; the parameter block and the epilogue are
 * q8_conv.cl's (common.h).  One output byte per work-item; NDRange
 * (c, ow, oh), channels fastest so neighbouring work-items read
 * neighbouring bytes.
 */
__kernel void q8_dwconv(__global const uchar *restrict in,
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
	const int ih = p[Q8P_IH], iw = p[Q8P_IW], c = p[Q8P_OC];
	const int kh = p[Q8P_KH], kw = p[Q8P_KW];
	const int izp = p[Q8P_IN_ZP], wzp = p[Q8P_W_ZP];
	const int is = p[Q8P_IN_S], ws = p[Q8P_W_S];
	int acc = 0, i, j;

	if (o >= c || x >= p[Q8P_OW] || y >= p[Q8P_OH])
		return;
	for (i = 0; i < kh; i++) {
		const int iy = y * p[Q8P_SH] - p[Q8P_PT] + i;

		if (iy < 0 || iy >= ih)
			continue;
		for (j = 0; j < kw; j++) {
			const int ix = x * p[Q8P_SW] - p[Q8P_PL] + j;

			if (ix < 0 || ix >= iw)
				continue;
			acc += (q8_ld(in, (iy * iw + ix) * c + o, is) - izp) *
			       (q8_ld(w, (i * kw + j) * c + o, ws) - wzp);
		}
	}
	out[(y * p[Q8P_OW] + x) * c + o] =
		q8_out(p, acc, bias[o], mult[o], shift[o]);
}

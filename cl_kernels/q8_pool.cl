/* SPDX-License-Identifier: Apache-2.0 */
/*
 * q8_pool.cl - quantized AVERAGE_POOL_2D and MEAN over H, W, bit-exact
 * with host/ref_q/q_pool.c
 *
 * The window clipped to the input; AVERAGE_POOL_2D divides the sum by the
 * count rounding half away from zero, MEAN subtracts count * in_zp and
 * requantizes with its multiplier (1/count folded in, q8_mul()) to the
 * output zero point; then the clamp.  The parameter block is q8_conv.cl's
 * (common.h) with Q8P_MEAN, Q8P_MULT, Q8P_SHIFT after it.  One output byte
 * per work-item; NDRange (c, ow, oh).
 */
__kernel void q8_pool(__global const uchar *restrict in,
		      __constant const int *restrict p,
		      __global uchar *restrict out)
{
	const int o = (int)get_global_id(0);
	const int x = (int)get_global_id(1);
	const int y = (int)get_global_id(2);
	const int ih = p[Q8P_IH], iw = p[Q8P_IW], c = p[Q8P_OC];
	const int kh = p[Q8P_KH], kw = p[Q8P_KW], s = p[Q8P_IN_S];
	int acc = 0, n = 0, i, j;

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
			acc += q8_ld(in, (iy * iw + ix) * c + o, s);
			n++;
		}
	}
	if (p[Q8P_MEAN])
		acc = q8_mul(acc - n * p[Q8P_IN_ZP], p[Q8P_MULT],
			     p[Q8P_SHIFT]) + p[Q8P_OUT_ZP];
	else if (n)
		acc = acc > 0 ? (acc + n / 2) / n : (acc - n / 2) / n;
	out[(y * p[Q8P_OW] + x) * c + o] =
		(uchar)clamp(acc, p[Q8P_LO], p[Q8P_HI]);
}

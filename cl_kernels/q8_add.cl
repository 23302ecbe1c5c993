/* SPDX-License-Identifier: Apache-2.0 */
/*
 * q8_add.cl - quantized elementwise ADD (MobileNetV2's residuals),
 * bit-exact with host/ref_q/q_eltwise.c
 *
 * Both inputs rescaled after TFLite's left shift (20) with one
 * MultiplyByQuantizedMultiplierSmallerThanOneExp each, the sum rescaled
 * to the output, zero point, clamp.  One byte per work-item; NDRange (n).
 * The parameter block (a __constant int array) holds, in order: a_zp,
 * b_zp, out_zp, a_mult, b_mult, out_mult, a_shift, b_shift, out_shift,
 * left_shift, signed, act_min, act_max, n.
 */
__kernel void q8_add(__global const uchar *restrict a,
		     __global const uchar *restrict b,
		     __constant const int *restrict p,
		     __global uchar *restrict out)
{
	const int i = (int)get_global_id(0);
	const int s = p[10], ls = p[9];
	int va, vb, sa, sb, r;

	if (i >= p[13])
		return;
	va = q8_ld(a, i, s) - p[0];
	vb = q8_ld(b, i, s) - p[1];
	sa = q8_rdivpot(q8_srdhm(va * (1 << ls), p[3]), -p[6]);
	sb = q8_rdivpot(q8_srdhm(vb * (1 << ls), p[4]), -p[7]);
	r = q8_rdivpot(q8_srdhm(sa + sb, p[5]), -p[8]) + p[2];
	out[i] = (uchar)clamp(r, p[11], p[12]);
}

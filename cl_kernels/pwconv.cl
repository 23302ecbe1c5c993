/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pwconv.cl - 1x1 convolution (pointwise), bias and activation fused
 *
 * About 95% of MobileNet's multiply-adds.  Register tiled: each work-item
 * computes VW output channels x PPT pixels (PPT*VW accumulators), reading
 * the weights as VW-vectors and the input 4 channels at a time, either
 * with one vload4 (IN_VEC 4) or as 4 scalars that each broadcast into
 * the FMAs (IN_VEC 1: ~15% faster on PoCL/AVX-512, where a scalar load
 * is a free broadcast and extracting vector lanes is not).
 * Weights are repacked by the host to [CIN][COUT_PAD] so that the VW
 * output channels of one input channel are contiguous; the bias is padded
 * to COUT_PAD.  NDRange: dim 0 = output-channel blocks (COUT/VW rounded
 * up), dim 1 = pixel blocks (NPIX/PPT rounded up), padded to the
 * work-group size; out-of-range work-items return.
 *
 * With RESIDUAL defined (MobileNetV2's linear projection followed by the
 * residual ADD) the kernel takes two more arguments, the residual tensor
 * (same shape as the output) and add_res; when add_res is non-zero each
 * output is acc + residual, so the ADD needs no pass of its own.  The host
 * clears add_res to read the projection's own output for validation.
 *
 * Macros (see common.h for STORAGE_HALF, MATH_HALF, ACT, VW):
 *   CIN       input channels, >= 1 (default 32)
 *   COUT      output channels, >= 1 (default 32)
 *   COUT_PAD  COUT rounded up to a multiple of VW (default 32)
 *   NPIX      output pixels H*W, >= 1 (default 1)
 *   PPT       pixels per work-item, 1..8 (default 4)
 *   IN_VEC    input loads: 4 (vload4, default) | 1 (scalars)
 *   RESIDUAL  defined: fused residual addition (see above)
 */
#ifndef CIN
#define CIN 32
#endif
#ifndef COUT
#define COUT 32
#endif
#ifndef COUT_PAD
#define COUT_PAD 32
#endif
#ifndef NPIX
#define NPIX 1
#endif
#ifndef PPT
#define PPT 4
#endif
#ifndef IN_VEC
#define IN_VEC 4
#endif

#ifdef RESIDUAL
#define RES_ARGS , __global const store_t *restrict res, const int add_res
#else
#define RES_ARGS
#endif

__kernel void pwconv(__global const store_t *restrict in,
		     __global const store_t *restrict w,
		     __global const store_t *restrict bias,
		     __global store_t *restrict out RES_ARGS)
{
	const int co = (int)get_global_id(0) * VW;
	const int p0 = (int)get_global_id(1) * PPT;
	const __global store_t *wp = w + co;
	VEC(VW) acc[PPT];
	int off[PPT];
	int ci, j;

	if (co >= COUT || p0 >= NPIX)
		return;
	{
		const VEC(VW) b = LDN(VW, bias + co);

		for (j = 0; j < PPT; j++) {
			/* clamp: edge work-items read a valid pixel, store nothing */
			off[j] = min(p0 + j, NPIX - 1) * CIN;
			acc[j] = b;
		}
	}
	for (ci = 0; ci + 4 <= CIN; ci += 4) {
		const VEC(VW) w0 = LDN(VW, wp);
		const VEC(VW) w1 = LDN(VW, wp + COUT_PAD);
		const VEC(VW) w2 = LDN(VW, wp + 2 * COUT_PAD);
		const VEC(VW) w3 = LDN(VW, wp + 3 * COUT_PAD);

		wp += 4 * COUT_PAD;
		for (j = 0; j < PPT; j++) {
#if IN_VEC == 4
			const VEC(4) x = LDN(4, in + off[j] + ci);

			acc[j] += x.s0 * w0;
			acc[j] += x.s1 * w1;
			acc[j] += x.s2 * w2;
			acc[j] += x.s3 * w3;
#else
			const __global store_t *xp = in + off[j] + ci;

			acc[j] += (real)LD1(xp) * w0;
			acc[j] += (real)LD1(xp + 1) * w1;
			acc[j] += (real)LD1(xp + 2) * w2;
			acc[j] += (real)LD1(xp + 3) * w3;
#endif
		}
	}
	for (; ci < CIN; ci++) {
		const VEC(VW) w0 = LDN(VW, wp);

		wp += COUT_PAD;
		for (j = 0; j < PPT; j++)
			acc[j] += (real)LD1(in + off[j] + ci) * w0;
	}
	for (j = 0; j < PPT; j++) {
		if (p0 + j < NPIX) {
#ifdef RESIDUAL
			if (add_res)
				acc[j] += ld_vw_guard(res + (p0 + j) * COUT + co,
						      COUT - co);
#endif
			st_vw_guard(ACTF(acc[j]), out + (p0 + j) * COUT + co,
				    COUT - co);
		}
	}
}

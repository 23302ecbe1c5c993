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
 * With KS > 0 the work-group shares its operands through local memory:
 * its LX x LY work-items cover TC = LX * VW output channels of TP = LY *
 * PPT pixels, and for each slice of KS input channels they first copy
 * the slice's TC weights and TP inputs (zero past CIN, COUT_PAD and NPIX)
 * into local memory, then each computes its VW x PPT tile from there.
 * Each weight then crosses global memory once per TP pixels and each
 * input once per TC channels, instead of once per PPT and per VW (issue
 * #19: 4.7x-17x of the ideal traffic untiled).  The work-group must be
 * LX x LY x 1 (reqd_work_group_size); every work-item, in range or not,
 * takes part in the copies and barriers.
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
 *   IN_VEC    input loads: 4 (vload4, default) | 1 (scalars); untiled
 *   KS        0 (default): untiled | 4..64: input channels per local slice
 *   LX, LY    with KS: the work-group's size along dims 0 and 1
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
#ifndef KS
#define KS 0
#endif
#ifndef LX
#define LX 1
#endif
#ifndef LY
#define LY 1
#endif
#define TC (LX * VW)
#define TP (LY * PPT)

#ifdef RESIDUAL
#define RES_ARGS , __global const store_t *restrict res, const int add_res
#else
#define RES_ARGS
#endif

#if KS
__kernel __attribute__((reqd_work_group_size(LX, LY, 1)))
void pwconv(__global const store_t *restrict in,
	    __global const store_t *restrict w,
	    __global const store_t *restrict bias,
	    __global store_t *restrict out RES_ARGS)
{
	__local real wl[KS * TC];	/* [k][channel of the tile] */
	__local real xl[TP * KS];	/* [pixel of the tile][k] */
	const int lx = (int)get_local_id(0), ly = (int)get_local_id(1);
	const int c00 = (int)get_group_id(0) * TC;
	const int p00 = (int)get_group_id(1) * TP;
	const int co = c00 + lx * VW, p0 = p00 + ly * PPT;
	VEC(VW) acc[PPT];
	int k0, i, j, k;

	for (j = 0; j < PPT; j++)
		acc[j] = co < COUT ? LDN(VW, bias + co) : (VEC(VW))0;
	for (k0 = 0; k0 < CIN; k0 += KS) {
		/*
		 * the slice's weights, each work-item its VW channels of
		 * every LY-th row (COUT_PAD is whole vectors); then its
		 * inputs, every LY-th pixel, every LX-th channel (no / or %:
		 * Oclgrind cannot follow the freeze LLVM puts on a div-rem
		 * pair)
		 */
		for (k = ly; k < KS; k += LY) {
			VEC(VW) v = (VEC(VW))0;

			if (k0 + k < CIN && co < COUT_PAD)
				v = LDN(VW, w + (k0 + k) * COUT_PAD + co);
			CAT(vstore, VW)(v, 0, wl + k * TC + lx * VW);
		}
		for (i = ly; i < TP; i += LY) {
			for (k = lx; k < KS; k += LX) {
				const int p = p00 + i, ci = k0 + k;

				xl[i * KS + k] = p < NPIX && ci < CIN ?
						 (real)LD1(in + p * CIN + ci) :
						 (real)0;
			}
		}
		barrier(CLK_LOCAL_MEM_FENCE);
		{
			/*
			 * accumulate in a copy that does not live across the
			 * barriers (PoCL keeps those in memory per work-item)
			 */
			VEC(VW) a[PPT];

			for (j = 0; j < PPT; j++)
				a[j] = acc[j];
			for (k = 0; k < KS; k++) {
				const VEC(VW) wv = CAT(vload, VW)(0, wl +
								  k * TC +
								  lx * VW);

				for (j = 0; j < PPT; j++)
					a[j] += xl[(ly * PPT + j) * KS + k] *
						wv;
			}
			for (j = 0; j < PPT; j++)
				acc[j] = a[j];
		}
		barrier(CLK_LOCAL_MEM_FENCE);
	}
	if (co >= COUT)
		return;
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
#else
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
#endif /* KS */

// SPDX-License-Identifier: Apache-2.0
/*
 * neon_gemm.c - NEON GEMM (AArch64, and ARMv7 with NEON and VFPv4) for 1x1
 * convolutions, im2col'd convolutions and the classifier
 *
 * DOC: NEON GEMM
 *
 * A 6 pixel x 8 channel tile of C lives in 12 q registers; each reduction
 * step loads two weight vectors of the packed panel and multiplies them by
 * one input value per pixel row (a broadcast and an fmla, which AArch64
 * compilers fold into fmla by element), leaving registers for the six
 * inputs.  Only ARMv7-era intrinsics are used, so the same file builds
 * for armhf (vfmaq_f32 needs VFPv4: -mfpu=neon-vfpv4).  Bias initialises the accumulators and the activation
 * clamp is fused into the store.  A last panel narrower than 8 channels
 * goes through a small stack buffer, never past the end of the row.  The
 * row loops are unrolled by pragma: without it GCC 12 stored every
 * accumulator to the stack at each step of the reduction.
 */
#include <arm_neon.h>
#include <string.h>

#include "arm/neon.h"
#include "scalar/cpu_scalar.h"

#define MR 6
#define NR 8

static inline __attribute__((always_inline)) void
tile(const struct mnet_cpu_gemm *g, const float *a, const float *w,
     const float *bias, float *c, int mr, int nc)
{
	const size_t lda = g->lda, ldc = g->ldc;
	const int k = g->k;
	const float *ar[MR];
	float32x4_t acc0[MR], acc1[MR], b0, b1, lo, hi;
	int i, p;

	b0 = vld1q_f32(bias);
	b1 = vld1q_f32(bias + 4);
	_Pragma("GCC unroll 16")
	for (i = 0; i < mr; i++) {
		ar[i] = a + i * lda;
		acc0[i] = b0;
		acc1[i] = b1;
	}
	for (p = 0; p < k; p++) {
		float32x4_t w0 = vld1q_f32(w + (size_t)p * NR);
		float32x4_t w1 = vld1q_f32(w + (size_t)p * NR + 4);

		_Pragma("GCC unroll 16")
	for (i = 0; i < mr; i++) {
			float32x4_t x = vdupq_n_f32(ar[i][p]);

			acc0[i] = vfmaq_f32(acc0[i], w0, x);
			acc1[i] = vfmaq_f32(acc1[i], w1, x);
		}
	}
	if (g->res) {
		/* the fused residual: same rows and columns as @c */
		const float *rr = g->res + (c - g->c);

		_Pragma("GCC unroll 16")
		for (i = 0; i < mr; i++) {
			const float *r = rr + i * ldc;
			float tmp[NR] = { 0 };

			if (nc < NR) {
				memcpy(tmp, r, (size_t)nc * sizeof(float));
				r = tmp;
			}
			acc0[i] = vaddq_f32(acc0[i], vld1q_f32(r));
			acc1[i] = vaddq_f32(acc1[i], vld1q_f32(r + 4));
		}
	}
	lo = vdupq_n_f32(g->lo);
	hi = vdupq_n_f32(g->hi);
	_Pragma("GCC unroll 16")
	for (i = 0; i < mr; i++) {
		float *cr = c + i * ldc;
		float tmp[NR];

		acc0[i] = vmaxq_f32(vminq_f32(acc0[i], hi), lo);
		acc1[i] = vmaxq_f32(vminq_f32(acc1[i], hi), lo);
		if (nc == NR) {
			vst1q_f32(cr, acc0[i]);
			vst1q_f32(cr + 4, acc1[i]);
			continue;
		}
		vst1q_f32(tmp, acc0[i]);
		vst1q_f32(tmp + 4, acc1[i]);
		memcpy(cr, tmp, (size_t)nc * sizeof(float));
	}
}

static void tile_any(const struct mnet_cpu_gemm *g, const float *a,
		     const float *w, const float *bias, float *c, int mr,
		     int nc)
{
	switch (mr) {
	case 1:
		tile(g, a, w, bias, c, 1, nc);
		break;
	case 2:
		tile(g, a, w, bias, c, 2, nc);
		break;
	case 3:
		tile(g, a, w, bias, c, 3, nc);
		break;
	case 4:
		tile(g, a, w, bias, c, 4, nc);
		break;
	case 5:
		tile(g, a, w, bias, c, 5, nc);
		break;
	default:
		tile(g, a, w, bias, c, MR, nc);
		break;
	}
}

void mnet_cpu_gemm_neon(const struct mnet_cpu_gemm *g, int m0, int m1,
			int p0, int p1)
{
	int mc = mnet_cpu_gemm_mc(g->k, MR), b, r, p;

	for (b = m0; b < m1; b += mc) {
		int bend = b + mc < m1 ? b + mc : m1;

		for (p = p0; p < p1; p++) {
			int nc = g->n - p * NR;

			if (nc > NR)
				nc = NR;
			for (r = b; r < bend; r += MR)
				tile_any(g, g->a + (size_t)r * g->lda,
					 g->w + (size_t)p * g->k * NR,
					 g->bias + (size_t)p * NR,
					 g->c + (size_t)r * g->ldc + p * NR,
					 bend - r < MR ? bend - r : MR, nc);
		}
	}
}

const struct mnet_cpu_kernels mnet_cpu_kernels_neon = {
	.name = "neon",
	.nr = 8,
	.mr = 6,
	.gemm = mnet_cpu_gemm_neon,
	.dwconv = mnet_cpu_dwconv_neon,
	.q8_pwconv = mnet_cpu_q8_pwconv_neon,
	.q8_format = MNET_CPU_Q8_PAIRS16,
	.q8_dwconv = mnet_cpu_q8_dwconv_neon,
};

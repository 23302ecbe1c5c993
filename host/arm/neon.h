/* SPDX-License-Identifier: Apache-2.0 */
/*
 * neon.h - the NEON kernel set, AArch64 or ARMv7 (on armhf built with
 * -mfpu=neon-vfpv4: call only after the dispatcher's HWCAP check)
 */
#ifndef MNET_HOST_NEON_H
#define MNET_HOST_NEON_H

#include "dispatch/cpu_kernel_types.h"

/* 6 x 8 GEMM tiles (neon_gemm.c), q8 over widening multiplies (neon_q8.c) */
extern const struct mnet_cpu_kernels mnet_cpu_kernels_neon;

#if defined(__aarch64__)
/*
 * neon's kernels, but the q8 1x1 convolution over sdot (ARMv8.2 dot
 * product, neon_dotprod_q8.c): only where HWCAP_ASIMDDP says so
 */
extern const struct mnet_cpu_kernels mnet_cpu_kernels_neon_dotprod;

/**
 * mnet_cpu_q8_pwconv_neon_dotprod() - 8-bit 1x1 convolution over sdot
 * (%MNET_CPU_Q8_QUADS_S8S8 weights; 4 pixels x 16 channels a tile)
 * @p: the convolution
 * @m0: first pixel
 * @m1: end of the pixels
 *
 * Call only on a CPU with the dot product (HWCAP_ASIMDDP).
 */
void mnet_cpu_q8_pwconv_neon_dotprod(const struct mnet_cpu_q8_pw *p, int m0,
				     int m1);
#endif

/**
 * mnet_cpu_gemm_neon() - NEON GEMM, AArch64 or ARMv7 (6 x 8 register tiles)
 * @g: the GEMM
 * @m0: first row (any; tiles of 6 rows start here)
 * @m1: end of the rows
 * @p0: first panel (of 8 channels)
 * @p1: end of the panels
 */
void mnet_cpu_gemm_neon(const struct mnet_cpu_gemm *g, int m0, int m1,
			int p0, int p1);

/**
 * mnet_cpu_dwconv_neon() - NEON depthwise kernel, AArch64 or ARMv7 (4
 * channels a vector, 3x3 fast path)
 * @d: the convolution
 * @y0: first output row
 * @y1: end of the output rows
 */
void mnet_cpu_dwconv_neon(const struct mnet_cpu_dw *d, int y0, int y1);

/**
 * mnet_cpu_q8_pwconv_neon() - NEON 8-bit 1x1 convolution over
 * %MNET_CPU_Q8_PAIRS16 weights (4 pixels x 8 channels a tile, vmlal_s16)
 * @p: the convolution
 * @m0: first pixel
 * @m1: end of the pixels
 */
void mnet_cpu_q8_pwconv_neon(const struct mnet_cpu_q8_pw *p, int m0, int m1);

/**
 * mnet_cpu_q8_dwconv_neon() - NEON 8-bit depthwise convolution (8 channels
 * a vector, int16 widening multiplies)
 * @d: the convolution
 * @y0: first output row
 * @y1: end of the output rows
 */
void mnet_cpu_q8_dwconv_neon(const struct mnet_cpu_q8_dw *d, int y0, int y1);

/**
 * mnet_cpu_q8_requant_neon() - the NEON kernels' requantization over an
 * array (for the tests: it must equal host/ref_q/q_math.h everywhere)
 * @x: @n int32 values
 * @mult: @n Q31 multipliers
 * @shift: @n exponents
 * @single_round: mnet_q_mul_1r() (else mnet_q_mul())
 * @out: @n results
 * @n: count
 */
void mnet_cpu_q8_requant_neon(const int32_t *x, const int32_t *mult,
			      const int *shift, int single_round,
			      int32_t *out, int n);

#endif /* MNET_HOST_NEON_H */

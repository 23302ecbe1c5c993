/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86_avx2.h - the AVX2+FMA kernel set (built with -mavx2 -mfma: call only
 * after the dispatcher's CPU check)
 */
#ifndef MNET_HOST_X86_AVX2_H
#define MNET_HOST_X86_AVX2_H

#include "dispatch/cpu_kernel_types.h"

/* 6 x 16 GEMM tiles (x86_avx2_gemm.c) */
extern const struct mnet_cpu_kernels mnet_cpu_kernels_avx2;

/**
 * mnet_cpu_gemm_avx2() - AVX2+FMA GEMM (6 x 16 register tiles)
 * @g: the GEMM
 * @m0: first row (any; tiles of 6 rows start here)
 * @m1: end of the rows
 * @p0: first panel (of 16 channels)
 * @p1: end of the panels
 */
void mnet_cpu_gemm_avx2(const struct mnet_cpu_gemm *g, int m0, int m1,
			int p0, int p1);

/**
 * mnet_cpu_dwconv_avx2() - AVX2+FMA depthwise kernel (8 channels a vector,
 * 3x3 fast path)
 * @d: the convolution
 * @y0: first output row
 * @y1: end of the output rows
 */
void mnet_cpu_dwconv_avx2(const struct mnet_cpu_dw *d, int y0, int y1);

/**
 * mnet_cpu_q8_pwconv_avx2() - AVX2 8-bit 1x1 convolution (vpmaddwd on
 * centred int16 pairs: exact, where vpmaddubsw's int16 sums could
 * saturate on uint8 x int8 products)
 * @p: the convolution
 * @m0: first pixel
 * @m1: end of the pixels
 */
void mnet_cpu_q8_pwconv_avx2(const struct mnet_cpu_q8_pw *p, int m0, int m1);

/**
 * mnet_cpu_q8_dwconv_avx2() - AVX2 8-bit depthwise convolution (8
 * channels a vector, int32 products)
 * @d: the convolution
 * @y0: first output row
 * @y1: end of the output rows
 */
void mnet_cpu_q8_dwconv_avx2(const struct mnet_cpu_q8_dw *d, int y0, int y1);

/**
 * mnet_cpu_q8_add_avx2() - AVX2 quantized ADD (8 lanes a step; bit-
 * identical to mnet_qk_add())
 * @p: parameters
 * @i0: first element
 * @i1: end of the elements
 * @a: first input (indexed from 0, as @out)
 * @b: second input
 * @out: output (may be @a or @b)
 */
void mnet_cpu_q8_add_avx2(const struct mnet_qk_add *p, size_t i0, size_t i1,
			  const uint8_t *a, const uint8_t *b, uint8_t *out);

/**
 * mnet_cpu_q8_requant_avx2() - the AVX2 kernels' requantization
 * (x86_avx2_req.h), for tests
 * @x: @n accumulators (@n a multiple of 8)
 * @mult: @n multipliers
 * @shift: @n exponents
 * @single_round: mnet_q_mul_1r() instead of mnet_q_mul()
 * @out: @n results (before the output zero point)
 * @n: count
 */
void mnet_cpu_q8_requant_avx2(const int32_t *x, const int32_t *mult,
			      const int *shift, int single_round, int32_t *out,
			      int n);

#endif /* MNET_HOST_X86_AVX2_H */

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86_avx512.h - the AVX-512F kernel set (built with -mavx512f: call only
 * after the dispatcher's CPU check)
 */
#ifndef MNET_HOST_X86_AVX512_H
#define MNET_HOST_X86_AVX512_H

#include "dispatch/cpu_kernel_types.h"

/* 8 x 32 GEMM tiles, direct conv (x86_avx512_gemm.c) */
extern const struct mnet_cpu_kernels mnet_cpu_kernels_avx512;

/*
 * AVX-512's float kernels with the VNNI int8 one (x86_avx512vnni_q8.c,
 * built with -mavx512vnni -mavx512vl -mavx512bw)
 */
extern const struct mnet_cpu_kernels mnet_cpu_kernels_avx512vnni;

/**
 * mnet_cpu_q8_pwconv_vnni() - AVX512-VNNI 8-bit 1x1 convolution (vpdpbusd
 * on uint8 x int8 quads, the offsets restored exactly)
 * @p: the convolution (with .w8, .w8_corr, .b_off, .scratch8)
 * @m0: first pixel
 * @m1: end of the pixels
 */
void mnet_cpu_q8_pwconv_vnni(const struct mnet_cpu_q8_pw *p, int m0, int m1);

/**
 * mnet_cpu_q8_dwconv_vnni() - AVX512-VNNI 8-bit depthwise convolution
 * (vpdpwssd on widened inputs, bit-identical to the integer reference)
 * @d: the convolution
 * @y0: first output row
 * @y1: one past the last output row
 */
void mnet_cpu_q8_dwconv_vnni(const struct mnet_cpu_q8_dw *d, int y0, int y1);

struct mnet_qk_add;

/**
 * mnet_cpu_q8_add_avx512() - quantized ADD, elements [@i0, @i1)
 * (bit-identical to mnet_qk_add())
 * @p: the ADD's parameters
 * @i0: first element
 * @i1: end of the elements
 * @a: first input
 * @b: second input
 * @out: output (may be @a or @b)
 */
void mnet_cpu_q8_add_avx512(const struct mnet_qk_add *p, size_t i0,
			    size_t i1, const uint8_t *a, const uint8_t *b,
			    uint8_t *out);

/**
 * mnet_cpu_q8_resize_row_avx512() - one output row of an 8-bit bilinear
 * resize (bit-identical to mnet_qk_resize_bilinear()'s)
 * @r: the row: its weighted input rows, column taps, weights and output
 */
void mnet_cpu_q8_resize_row_avx512(const struct mnet_cpu_q8_resize_row *r);

/**
 * mnet_cpu_q8_requant_vnni() - the VNNI kernels' requantization, for tests
 * @x: @n accumulators (@n a multiple of 16)
 * @mult: @n multipliers
 * @shift: @n exponents
 * @single_round: mnet_q_mul_1r() instead of mnet_q_mul()
 * @out: @n results (before the output zero point)
 * @n: count
 */
void mnet_cpu_q8_requant_vnni(const int32_t *x, const int32_t *mult,
			      const int *shift, int single_round, int32_t *out,
			      int n);

/**
 * mnet_cpu_gemm_avx512() - AVX-512F GEMM (8 x 32 register tiles)
 * @g: the GEMM
 * @m0: first row (any; tiles of 8 rows start here)
 * @m1: end of the rows
 * @p0: first panel (of 32 channels)
 * @p1: end of the panels
 */
void mnet_cpu_gemm_avx512(const struct mnet_cpu_gemm *g, int m0, int m1,
			  int p0, int p1);

/**
 * mnet_cpu_conv_avx512() - AVX-512F full convolution without im2col: the
 * 8 x 32 GEMM tile reads each pixel's window straight from the input
 * (kh runs of kw * cin contiguous floats)
 * @g: the GEMM (weights, bias, output, clamp; @g->a unused)
 * @cv: the convolution
 * @scratch: 8 * @g->k floats for tiles whose windows cross the border
 * @m0: first output pixel (any; tiles of 8 pixels start here)
 * @m1: end of the pixels
 */
void mnet_cpu_conv_avx512(const struct mnet_cpu_gemm *g,
			  const struct mnet_cpu_conv *cv, float *scratch,
			  int m0, int m1);

/**
 * mnet_cpu_dwconv_avx512() - AVX-512F depthwise kernel (16 channels a
 * vector, 3x3 fast path)
 * @d: the convolution
 * @y0: first output row
 * @y1: end of the output rows
 */
void mnet_cpu_dwconv_avx512(const struct mnet_cpu_dw *d, int y0, int y1);

#endif /* MNET_HOST_X86_AVX512_H */

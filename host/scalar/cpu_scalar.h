/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpu_scalar.h - the portable C kernel set, and the helpers SIMD sets share
 * (the depthwise channel tail, im2col)
 */
#ifndef MNET_HOST_CPU_SCALAR_H
#define MNET_HOST_CPU_SCALAR_H

#include "dispatch/cpu_kernel_types.h"

/* the portable kernels, for any CPU (cpu_scalar.c) */
extern const struct mnet_cpu_kernels mnet_cpu_kernels_scalar;

/**
 * mnet_cpu_gemm_scalar() - portable GEMM (4 x 8 tiles)
 * @g: the GEMM
 * @m0: first row (any; tiles of mr rows start here)
 * @m1: end of the rows
 * @p0: first panel
 * @p1: end of the panels
 */
void mnet_cpu_gemm_scalar(const struct mnet_cpu_gemm *g, int m0, int m1,
			  int p0, int p1);

/**
 * mnet_cpu_dwconv_scalar() - portable depthwise kernel
 * @d: the convolution
 * @y0: first output row
 * @y1: end of the output rows
 */
void mnet_cpu_dwconv_scalar(const struct mnet_cpu_dw *d, int y0, int y1);

/**
 * mnet_cpu_dwconv_channels() - portable depthwise kernel on channels
 * [@c0, @c1) only (the channel tail of SIMD kernels without masked loads)
 * @d: the convolution
 * @c0: first channel
 * @c1: end of the channels
 * @y0: first output row
 * @y1: end of the output rows
 */
void mnet_cpu_dwconv_channels(const struct mnet_cpu_dw *d, int c0, int c1,
			      int y0, int y1);

/**
 * mnet_cpu_im2col() - copy the windows of output pixels [@r0, @r1) into
 * rows of kh * kw * cin floats (zeros where a window leaves the input)
 * @cv: the convolution
 * @dst: (@r1 - @r0) rows of kh * kw * cin floats
 * @r0: first output pixel (row-major)
 * @r1: end of the pixels
 */
void mnet_cpu_im2col(const struct mnet_cpu_conv *cv, float *dst, int r0,
		     int r1);

/**
 * mnet_cpu_q8_pwconv_scalar() - portable 8-bit 1x1 convolution
 * @p: the convolution (packed weights, see &struct mnet_cpu_q8_pw)
 * @m0: first pixel
 * @m1: end of the pixels
 */
void mnet_cpu_q8_pwconv_scalar(const struct mnet_cpu_q8_pw *p, int m0,
			       int m1);

/**
 * mnet_cpu_q8_load_rows() - centre @rows pixels from @m0 into p->scratch
 * @p: the convolution
 * @m0: first pixel
 * @rows: pixels (at most %MNET_CPU_Q8_MR)
 *
 * Row r gets a - a_zp as int16, zero-padded to p->kpad.
 */
void mnet_cpu_q8_load_rows(const struct mnet_cpu_q8_pw *p, int m0, int rows);

/**
 * mnet_cpu_q8_store() - the requantizing epilogue of one q8 tile
 * @p: the convolution
 * @m0: first pixel of the tile
 * @rows: its pixels
 * @panel: the panel of output channels
 * @acc: int32 sums, [rows][%MNET_CPU_Q8_NR]
 *
 * Adds the bias, requantizes as host/ref_q does, adds the output zero
 * point, clamps, and stores the panel's valid channels.
 */
void mnet_cpu_q8_store(const struct mnet_cpu_q8_pw *p, int m0, int rows,
		       int panel, const int32_t *acc);

/**
 * mnet_cpu_q8_dwconv_scalar() - portable 8-bit depthwise convolution
 * @d: the convolution
 * @y0: first output row
 * @y1: end of the output rows
 */
void mnet_cpu_q8_dwconv_scalar(const struct mnet_cpu_q8_dw *d, int y0,
			       int y1);

/**
 * mnet_cpu_q8_dw_store() - the requantizing epilogue of one output pixel
 * @d: the convolution
 * @out: the pixel's @d->c output values
 * @acc: its int32 sums (zero points already subtracted)
 */
void mnet_cpu_q8_dw_store(const struct mnet_cpu_q8_dw *d, uint8_t *out,
			  const int32_t *acc);

#endif /* MNET_HOST_CPU_SCALAR_H */

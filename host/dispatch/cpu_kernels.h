/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpu_kernels.h - the fast CPU compute kernels, one ops table per ISA
 *
 * DOC: CPU kernel tables
 *
 * Each instruction set (AVX-512, AVX2+FMA, NEON, portable C) provides a
 * &struct mnet_cpu_kernels.  The tables are plain data chosen once per
 * session: at build time (only the files for the target architecture are
 * compiled) and, on x86, at run time by CPU feature detection, since the
 * library must also run on machines without AVX2.  $MNET_CPU names a table
 * to force ("scalar" or "ref" for the portable C kernels, "avx2",
 * "avx512", "neon").
 *
 * Every kernel computes a sub-range of its output (pixel tiles, panels of
 * output channels or output rows) so that the backend can split a layer
 * over threads.  Each output value is computed by the same sequence of
 * operations whatever the range it falls in, so results are bit-identical
 * for any thread count; ranges never split a reduction.
 *
 * Weights are packed once at session creation:
 *  - GEMM (1x1 conv, im2col'd KxK conv, FC): output channels in panels of
 *    @nr, each panel [k][nr] (zero-padded past the last channel), bias
 *    padded to whole panels;
 *  - depthwise: [kh*kw][cpad] and bias[cpad], cpad = channels rounded up to
 *    a multiple of 16, zero-padded.
 */
#ifndef MNET_HOST_CPU_KERNELS_H
#define MNET_HOST_CPU_KERNELS_H

#include <stddef.h>

/**
 * struct mnet_cpu_gemm - C = clamp(A * W + bias [+ R]) over packed weights
 * @a: M rows of K floats, row i at @a + i * @lda (NHWC pixels, or im2col)
 * @lda: row stride of @a in floats
 * @w: packed weights: panel p at @w + p * @k * nr, laid out [k][nr]
 * @bias: @npanels * nr floats (zero-padded)
 * @c: output, row i at @c + i * @ldc, @n valid columns
 * @ldc: row stride of @c in floats
 * @res: NULL, or a residual added to each output before the clamp, laid
 *       out as @c (row i at @res + i * @ldc): MobileNetV2's skip
 *       connection fused into the projection's epilogue
 * @m: rows
 * @n: output channels
 * @k: reduction length
 * @lo: lower clamp of the fused activation (-INFINITY for none)
 * @hi: upper clamp (INFINITY for none)
 */
struct mnet_cpu_gemm {
	const float *a;
	size_t lda;
	const float *w;
	const float *bias;
	float *c;
	size_t ldc;
	const float *res;
	int m, n, k;
	float lo, hi;
};

/**
 * struct mnet_cpu_dw - depthwise convolution over NHWC
 * @in: input tensor
 * @out: output tensor
 * @w: packed weights [kh*kw][cpad]
 * @bias: cpad floats
 * @ih: input height
 * @iw: input width
 * @oh: output height
 * @ow: output width
 * @c: channels (the pixel stride of @in and @out)
 * @c0: first channel to compute (a multiple of 16)
 * @c1: end of the channels to compute (@c for all)
 * @cpad: @c rounded up to a multiple of 16
 * @kh: kernel height
 * @kw: kernel width
 * @sh: vertical stride
 * @sw: horizontal stride
 * @pt: padding above
 * @pl: padding on the left
 * @lo: lower clamp
 * @hi: upper clamp
 */
struct mnet_cpu_dw {
	const float *in;
	float *out;
	const float *w;
	const float *bias;
	int ih, iw, oh, ow, c, c0, c1, cpad;
	int kh, kw, sh, sw, pt, pl;
	float lo, hi;
};

/**
 * struct mnet_cpu_conv - a full KxK convolution over NHWC, as a GEMM whose
 * rows are output pixels and whose reduction runs over the window
 * (k = kh * kw * cin, in the weights' [kh][kw][cin] order)
 * @in: input tensor
 * @ih: input height
 * @iw: input width
 * @cin: input channels
 * @ow: output width (row r of the GEMM is pixel (r / ow, r % ow))
 * @kh: kernel height
 * @kw: kernel width
 * @sh: vertical stride
 * @sw: horizontal stride
 * @pt: padding above
 * @pl: padding on the left
 */
struct mnet_cpu_conv {
	const float *in;
	int ih, iw, cin, ow;
	int kh, kw, sh, sw, pt, pl;
};

/**
 * struct mnet_cpu_kernels - the kernels of one instruction set
 * @name: variant name ("avx512", "avx2", "neon", "scalar")
 * @nr: GEMM panel width (output channels per packed panel)
 * @mr: GEMM micro-tile height (pixels); the backend splits rows at
 *      multiples of @mr where it can (tiles start at @m0 in any case)
 * @gemm: rows [@m0, @m1) and panels [@p0, @p1) of a GEMM
 * @dwconv: output rows [@y0, @y1), channels [@d->c0, @d->c1), of a
 *          depthwise convolution
 * @conv: rows [@m0, @m1) (output pixels, all panels) of a full
 *        convolution straight from the input tensor; @g->a is unused and
 *        @scratch holds @mr * @g->k floats for windows that cross the
 *        border.  NULL where the ISA has none: the backend then im2col's
 *        blocks of rows and calls @gemm.
 */
struct mnet_cpu_kernels {
	const char *name;
	int nr;
	int mr;
	void (*gemm)(const struct mnet_cpu_gemm *g, int m0, int m1, int p0,
		     int p1);
	void (*dwconv)(const struct mnet_cpu_dw *d, int y0, int y1);
	void (*conv)(const struct mnet_cpu_gemm *g,
		     const struct mnet_cpu_conv *cv, float *scratch, int m0,
		     int m1);
};

/* The padding unit of depthwise weights: the widest vector of any ISA. */
#define MNET_CPU_DW_ALIGN 16

/*
 * The per-ISA kernels behind the tables (host/x86_avx512_*.c,
 * host/x86_avx2_*.c, host/neon_*.c, host/scalar/cpu_scalar.c); each file is built
 * with its own compiler flags and only called after the CPU check.
 */

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

#if defined(__x86_64__)
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
#endif

#if defined(__aarch64__) || defined(__arm__)
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
 * mnet_cpu_dwconv_neon() - NEON depthwise kernel, AArch64 or ARMv7 (4 channels a
 * vector, 3x3 fast path)
 * @d: the convolution
 * @y0: first output row
 * @y1: end of the output rows
 */
void mnet_cpu_dwconv_neon(const struct mnet_cpu_dw *d, int y0, int y1);
#endif

/**
 * mnet_cpu_kernels_get() - a kernel table by name, if this CPU can run it
 * @name: "avx512", "avx2", "neon", "scalar" (or "ref", an alias of
 *        "scalar"), or NULL / "" / "auto" for the best one available
 *
 * Return: the table, or NULL if @name is unknown, not built for this
 * architecture, or not supported by this CPU.
 */
const struct mnet_cpu_kernels *mnet_cpu_kernels_get(const char *name);

/**
 * mnet_cpu_gemm_mc() - rows per cache block of a GEMM
 * @k: reduction length
 * @mr: micro-tile height
 *
 * A block of @mc rows of A (mc * k floats) is meant to stay in L2 while
 * every panel of weights passes over it.
 *
 * Return: a multiple of @mr, at least @mr.
 */
static inline int mnet_cpu_gemm_mc(int k, int mr)
{
	int mc = (48 * 1024) / (k > 0 ? k : 1);

	mc -= mc % mr;
	return mc < mr ? mr : mc;
}

#endif /* MNET_HOST_CPU_KERNELS_H */

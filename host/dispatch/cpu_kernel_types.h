/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpu_kernel_types.h - the argument types of the fast CPU kernels and the
 * kernel-set struct (types only: no .c file goes with this header)
 *
 * DOC: CPU kernel tables
 *
 * The ISA files (host/scalar/, host/x86/, host/arm/) include this header
 * and define their &struct mnet_cpu_kernels; the dispatcher
 * (host/dispatch/cpu_kernels.c) sees each through that ISA's own header,
 * so the arrows point one way: dispatcher -> ISA -> these types.
 *
 * Each instruction set (AVX-512, AVX2+FMA, NEON, portable C) provides a
 * &struct mnet_cpu_kernels.  The tables are plain data chosen once per
 * session: at build time (only the files for the target architecture are
 * compiled) and, on x86, at run time by CPU feature detection, since the
 * library must also run on machines without AVX2.  $MNET_CPU names a table
 * to force ("scalar" or "ref" for the portable C kernels, "avx2",
 * "avx512", "avx512vnni", "neon", "neon-dotprod").
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
#ifndef MNET_HOST_CPU_KERNEL_TYPES_H
#define MNET_HOST_CPU_KERNEL_TYPES_H

#include <stddef.h>
#include <stdint.h>

struct mnet_qk_add;	/* host/ref_q/q_kernels.h */

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
 * struct mnet_cpu_q8_pw - an 8-bit 1x1 convolution over packed weights
 * @a: @m pixels of @k 8-bit values, pixel i at @a + i * @k
 * @a_signed: @a is int8 (else uint8)
 * @a_zp: @a's zero point
 * @w: packed weights, centred (w - w_zero_point) as int16: panel p of
 *     %MNET_CPU_Q8_NR channels at @w + p * @kpad * NR, laid out
 *     [kpad / 2][NR][2] (pairs of inputs per channel, for vpmaddwd);
 *     zero past @k and past @n
 * @bias: npanels * NR int32 (zero-padded, zero without a bias)
 * @mult: npanels * NR Q31 multipliers (padded)
 * @shift: npanels * NR exponents (padded)
 * @c: output, pixel i at @c + i * @n
 * @c_zp: output zero point
 * @lo: clamp range (activation and the output type)
 * @hi: see @lo
 * @m: pixels
 * @n: output channels
 * @k: input channels
 * @kpad: @k rounded up to even
 * @scratch: room for %MNET_CPU_Q8_MR * @kpad int16 (one per thread)
 * @w8: for %MNET_CPU_Q8_QUADS_U8S8 (vpdpbusd) and
 *      %MNET_CPU_Q8_QUADS_S8S8 (sdot) the weights as int8 ws
 *      (w - 128 for uint8 weights, w for int8), panel p of
 *      %MNET_CPU_Q8_NR16 channels at @w8 + p * @kpad4 * NR16, laid out
 *      [kpad4 / 4][NR16][4]; NULL for the other formats
 * @w8_corr: npanels16 * NR16 int32: bias - A * sum(ws) - k * A * B per
 *           channel, where activations enter as uint8 xu = a (+128 for
 *           int8) so that a - a_zp = xu - A, and ws + B = w - w_zp
 *           (%MNET_CPU_Q8_QUADS_U8S8: @bias, @mult and @shift then have
 *           npanels16 * NR16 entries too)
 * @b_off: B (0 for int8 weights): sum(xu) * B is added per pixel
 * @kpad4: @k rounded up to a multiple of 4
 * @scratch8: room for mnet_cpu_q8_scratch8() bytes (one per thread)
 * @single_round: requantize with one rounding (mnet_q_mul_1r(), as
 *                TFLite's FULLY_CONNECTED), else mnet_q_mul()
 * @zp_in_round: 1 when no channel's accumulator range (k * 255 * 255 +
 *               |bias|) can overflow the rounding shift with the output
 *               zero point folded into its rounding term (and no channel
 *               shifts left): kernels may then add the zero point there,
 *               with one arithmetic shift (mnet_cpu_q8_zp_in_round())
 *
 * The accumulation is exact in int32 (|centred values| <= 255, so no
 * product pair overflows vpmaddwd), then requantized exactly as
 * host/ref_q does (MultiplyByQuantizedMultiplier), so every kernel is
 * bit-identical to the integer reference.
 */
struct mnet_cpu_q8_pw {
	const uint8_t *a;
	int a_signed;
	int32_t a_zp;
	const int16_t *w;
	const int32_t *bias;
	const int32_t *mult;
	const int *shift;
	uint8_t *c;
	int32_t c_zp, lo, hi;
	int m, n, k, kpad;
	int16_t *scratch;
	const int8_t *w8;
	const int32_t *w8_corr;
	int32_t b_off;
	int kpad4;
	uint8_t *scratch8;
	int single_round;
	int zp_in_round;
};

/*
 * Output channels per q8 weight panel (%MNET_CPU_Q8_PAIRS16; 16 for
 * %MNET_CPU_Q8_QUADS_U8S8), pixels per q8 tile (threads split the pixels
 * at multiples of it), and the most pixels any q8 kernel stages in its
 * scratch at once.
 */
#define MNET_CPU_Q8_NR 8
#define MNET_CPU_Q8_NR16 16
#define MNET_CPU_Q8_MR 4
#define MNET_CPU_Q8_MR_MAX 16

/**
 * enum mnet_cpu_q8_format - how a kernel set wants 1x1 weights packed
 * @MNET_CPU_Q8_PAIRS16: centred int16 pairs (&struct mnet_cpu_q8_pw.w),
 *                       for vpmaddwd and widening multiplies
 * @MNET_CPU_Q8_QUADS_U8S8: int8 quads with offset corrections
 *                          (&struct mnet_cpu_q8_pw.w8), for uint8 x int8
 *                          dot products (vpdpbusd)
 * @MNET_CPU_Q8_QUADS_S8S8: the same int8 quads, but with the activations
 *                          entering as int8 xs = a (int8) or a ^ 0x80
 *                          (uint8), so that a - a_zp = xs - A: for
 *                          int8 x int8 dot products (Arm's sdot);
 *                          &struct mnet_cpu_q8_pw.w8_corr and @b_off
 *                          as for %MNET_CPU_Q8_QUADS_U8S8 with that A
 */
enum mnet_cpu_q8_format {
	MNET_CPU_Q8_PAIRS16 = 0,
	MNET_CPU_Q8_QUADS_U8S8,
	MNET_CPU_Q8_QUADS_S8S8,
};

/**
 * struct mnet_cpu_q8_dw - an 8-bit depthwise convolution
 * @in: input tensor, @ih x @iw x @c
 * @in_signed: int8 (else uint8)
 * @in_zp: input zero point
 * @w: centred weights (w - w_zero_point) as int16, [kh*kw][@cpad]
 * @bias: @cpad int32 (zero-padded)
 * @mult: @cpad Q31 multipliers
 * @shift: @cpad exponents
 * @out: output tensor, @oh x @ow x @c
 * @out_zp: output zero point
 * @lo: clamp range
 * @hi: see @lo
 * @ih: input height
 * @iw: input width
 * @oh: output height
 * @ow: output width
 * @c: channels
 * @cpad: @c rounded up to a multiple of 8
 * @kh: window height
 * @kw: window width
 * @sh: vertical stride
 * @sw: horizontal stride
 * @pt: padding rows above
 * @pl: padding columns left
 * @acc: room for @cpad int32 (one per thread)
 * @zp_in_round: as &struct mnet_cpu_q8_pw.zp_in_round, for kh * kw taps
 *
 * Window taps outside the input are skipped, as the reference skips them.
 */
struct mnet_cpu_q8_dw {
	const uint8_t *in;
	int in_signed;
	int32_t in_zp;
	const int16_t *w;
	const int32_t *bias, *mult;
	const int *shift;
	uint8_t *out;
	int32_t out_zp, lo, hi;
	int ih, iw, oh, ow, c, cpad, kh, kw, sh, sw, pt, pl;
	int32_t *acc;
	int zp_in_round;
};

/**
 * struct mnet_cpu_q8_resize_row - one output row of an 8-bit bilinear
 * resize, TFLite's float arithmetic (host/ref_q/q_resize.c)
 * @t0: the upper input row's values times (1 - dy), rounded to float
 * @t1: the lower input row's values times dy
 * @x0: each output column's left tap (an input column)
 * @x1: its right tap
 * @wx0: its weight 1 - dx
 * @wx1: its weight dx
 * @ow: output columns
 * @c: channels
 * @out: @ow * @c bytes: (t0[x0] * wx0 + t1[x0] * wx0 + t0[x1] * wx1 +
 *       t1[x1] * wx1 + 0.5), summed in that order, truncated
 */
struct mnet_cpu_q8_resize_row {
	const float *t0, *t1;
	const int *x0, *x1;
	const float *wx0, *wx1;
	int ow, c;
	uint8_t *out;
};

/**
 * struct mnet_cpu_kernels - the kernels of one instruction set
 * @name: variant name ("avx512", "avx2", "neon", "neon-dotprod", "scalar")
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
 * @q8_pwconv: pixels [@m0, @m1) of an 8-bit 1x1 convolution, all panels
 *             (precision int8; bit-identical to the integer reference)
 * @q8_format: the weight layout @q8_pwconv reads (cpu_q8_pack.h packs
 *             it)
 * @q8_dwconv: output rows [@y0, @y1) of an 8-bit depthwise convolution
 * @q8_add: elements [@i0, @i1) of a quantized ADD (MobileNetV2's
 *          residuals); NULL where the ISA has none (the integer
 *          reference's mnet_qk_add() runs)
 * @q8_resize_row: one output row of an 8-bit bilinear resize from its
 *                 two weighted input rows (bit-identical to
 *                 mnet_qk_resize_bilinear()); NULL where the ISA has
 *                 none (the portable loop runs)
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
	void (*q8_pwconv)(const struct mnet_cpu_q8_pw *p, int m0, int m1);
	enum mnet_cpu_q8_format q8_format;
	void (*q8_dwconv)(const struct mnet_cpu_q8_dw *d, int y0, int y1);
	void (*q8_add)(const struct mnet_qk_add *p, size_t i0, size_t i1,
		       const uint8_t *a, const uint8_t *b, uint8_t *out);
	void (*q8_resize_row)(const struct mnet_cpu_q8_resize_row *r);
};

/* The padding unit of depthwise weights: the widest vector of any ISA. */
#define MNET_CPU_DW_ALIGN 16

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

/**
 * mnet_cpu_conv_mc() - rows per block of a direct (windowed) convolution
 * @k: reduction length (kh * kw * cin)
 * @mr: micro-tile height
 *
 * Each weight panel passes over a whole block before the next, so a block
 * must be tall enough that a panel (k x nr floats) is reused: at least 64
 * rows (VGG16's 14x14 and 28x28 layers have k = 4608, where
 * mnet_cpu_gemm_mc() would give 8).  The kernel's scratch holds the
 * im2col'd rows of a block's border tiles: @mc * @k floats.
 *
 * Return: a multiple of @mr, at least 64 rounded down to one.
 */
static inline int mnet_cpu_conv_mc(int k, int mr)
{
	int mc = mnet_cpu_gemm_mc(k, mr), floor = 64 - 64 % mr;

	return mc > floor ? mc : floor > mr ? floor : mr;
}

#endif /* MNET_HOST_CPU_KERNEL_TYPES_H */

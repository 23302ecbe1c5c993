/* SPDX-License-Identifier: Apache-2.0 */
/*
 * q_kernels.h - the plain C integer reference kernels over raw NHWC arrays
 *
 * DOC: integer reference kernels
 *
 * The oracle for every int8 path: TFLite's quantized reference kernels
 * (reference_ops for per-tensor uint8, reference_integer_ops for
 * per-channel int8) computed again, bit for bit.  One code path serves
 * both: 8-bit arrays are uint8_t, read as signed or unsigned by a flag;
 * accumulation is int32 with the zero points subtracted, requantization
 * per output channel with a (multiplier, shift) pair (a per-tensor file
 * repeats one pair).  The multipliers come from the file's float scales
 * through mnet_qk_quantize_multiplier() exactly as TFLite's Prepare()
 * derives them (q_params.c); runtime/reference/ref_q_layer.c does that
 * once per layer.  Padding positions are skipped, which is the same as
 * reading the input's zero point.  No runtime types here.
 */
#ifndef MNET_HOST_REF_Q_KERNELS_H
#define MNET_HOST_REF_Q_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/**
 * struct mnet_qk_conv - a quantized convolution (full, depthwise, 1x1, FC)
 * @ih: input height
 * @iw: input width
 * @ic: input channels
 * @oh: output height
 * @ow: output width
 * @oc: output channels
 * @kh: window height
 * @kw: window width
 * @sh: vertical stride
 * @sw: horizontal stride
 * @pt: padding rows above
 * @pl: padding columns left
 * @in_zp: input zero point
 * @w_zp: weight zero point (0 for int8)
 * @out_zp: output zero point
 * @in_signed: input is int8
 * @w_signed: weights are int8
 * @out_signed: output is int8
 * @act_min: clamp range (fused activation and the output type)
 * @act_max: see @act_min
 * @mult: per output channel Q31 multiplier
 * @shift: per output channel exponent
 * @single_round: requantize with one rounding (mnet_q_mul_1r()), as
 *                TFLite's FULLY_CONNECTED does, not the two of its
 *                convolutions (mnet_q_mul())
 * @dil_h: depthwise only: vertical dilation (taps @dil_h rows apart; 0
 *         or 1: none)
 * @dil_w: horizontal dilation, likewise
 */
struct mnet_qk_conv {
	int ih, iw, ic, oh, ow, oc, kh, kw, sh, sw, pt, pl;
	int32_t in_zp, w_zp, out_zp;
	int in_signed, w_signed, out_signed;
	int32_t act_min, act_max;
	const int32_t *mult;
	const int *shift;
	int single_round;
	int dil_h, dil_w;
};

/**
 * mnet_qk_conv2d() - full convolution, weights [oc][kh][kw][ic]
 * @p: parameters
 * @in: input, ih*iw*ic
 * @w: weights
 * @bias: int32 bias per output channel, or NULL
 * @out: output, oh*ow*oc
 *
 * A 1x1 convolution and a fully connected layer (a 1x1xN input) are this
 * with a 1x1 window.
 */
void mnet_qk_conv2d(const struct mnet_qk_conv *p, const uint8_t *in,
		    const uint8_t *w, const int32_t *bias, uint8_t *out);

/**
 * mnet_qk_dwconv2d() - depthwise convolution, weights [kh][kw][c], with
 * the dilation of @p (DeepLab's atrous layers)
 * @p: parameters (ic == oc)
 * @in: input
 * @w: weights
 * @bias: int32 bias per channel, or NULL
 * @out: output
 */
void mnet_qk_dwconv2d(const struct mnet_qk_conv *p, const uint8_t *in,
		      const uint8_t *w, const int32_t *bias, uint8_t *out);

/**
 * struct mnet_qk_pool - a quantized average pool or MEAN over H, W
 * @ih: input height
 * @iw: input width
 * @c: channels
 * @oh: output height
 * @ow: output width
 * @kh: window height
 * @kw: window width
 * @sh: vertical stride
 * @sw: horizontal stride
 * @pt: padding rows above
 * @pl: padding columns left
 * @is_signed: int8 (input and output)
 * @act_min: clamp range
 * @act_max: see @act_min
 * @mean: 1 for TFLite's MEAN (rescaled), 0 for AVERAGE_POOL_2D
 * @in_zp: MEAN only: input zero point
 * @out_zp: MEAN only: output zero point
 * @mult: MEAN only: from mnet_qk_mean_params()
 * @shift: see @mult
 */
struct mnet_qk_pool {
	int ih, iw, c, oh, ow, kh, kw, sh, sw, pt, pl;
	int is_signed;
	int32_t act_min, act_max;
	int mean;
	int32_t in_zp, out_zp, mult;
	int shift;
};

/**
 * mnet_qk_avgpool() - average pool (windows clipped to the input)
 * @p: parameters
 * @in: input
 * @out: output
 */
void mnet_qk_avgpool(const struct mnet_qk_pool *p, const uint8_t *in,
		     uint8_t *out);

/**
 * struct mnet_qk_softmax - quantized softmax parameters
 * @in_signed: input is int8
 * @out_signed: output is int8
 * @mult: beta * input scale in Q(31-5), from mnet_qk_softmax_params()
 * @left_shift: its left shift
 * @diff_min: input differences below this give exp() = 0
 */
struct mnet_qk_softmax {
	int in_signed, out_signed;
	int32_t mult;
	int left_shift;
	int diff_min;
};

/**
 * mnet_qk_softmax() - fixed-point softmax over the last axis
 * @p: parameters
 * @rows: number of rows
 * @depth: values per row
 * @in: input
 * @out: output (scale 1/256)
 */
void mnet_qk_softmax(const struct mnet_qk_softmax *p, size_t rows,
		     int depth, const uint8_t *in, uint8_t *out);

/**
 * mnet_qk_maxpool() - max pool (taps inside the input), clamped to the
 * fused activation's range
 * @p: parameters (input and output share their quantization; mean unused)
 * @in: input
 * @out: output
 */
void mnet_qk_maxpool(const struct mnet_qk_pool *p, const uint8_t *in,
		     uint8_t *out);

/**
 * mnet_qk_avgpool_global() - mnet_qk_avgpool() for a window that is the
 * whole input (no padding, one output pixel): the same bytes, summed
 * channel-contiguous
 * @p: parameters (@p->kh == @p->ih, @p->kw == @p->iw, @p->oh == @p->ow == 1)
 * @in: input
 * @acc: room for @p->c int32
 * @out: output, @p->c bytes
 */
void mnet_qk_avgpool_global(const struct mnet_qk_pool *p, const uint8_t *in,
			    int32_t *acc, uint8_t *out);

/**
 * mnet_qk_softmax_table() - exp() of every 8-bit difference from a row's
 * maximum, as mnet_qk_softmax() computes it
 * @p: parameters
 * @table: receives exp(-d) in Q0.31 at [d], d = 0..255 (0 where -d is
 *         below @p->diff_min)
 */
void mnet_qk_softmax_table(const struct mnet_qk_softmax *p,
			   int32_t table[256]);

/**
 * mnet_qk_softmax_lut() - mnet_qk_softmax() over a table from
 * mnet_qk_softmax_table(): the same output bytes
 * @p: parameters
 * @table: the layer's table
 * @rows: number of rows
 * @depth: values per row
 * @in: input
 * @out: output
 */
void mnet_qk_softmax_lut(const struct mnet_qk_softmax *p,
			 const int32_t table[256], size_t rows, int depth,
			 const uint8_t *in, uint8_t *out);

/**
 * struct mnet_qk_add - quantized elementwise ADD parameters
 * @a_zp: first input's zero point
 * @b_zp: second input's zero point
 * @out_zp: output zero point
 * @a_mult: first input's rescale (multiplier, shift <= 0)
 * @a_shift: see @a_mult
 * @b_mult: second input's rescale
 * @b_shift: see @b_mult
 * @out_mult: output rescale
 * @out_shift: see @out_mult
 * @left_shift: the inputs' left shift (20 for 8-bit)
 * @is_signed: int8 (all three tensors)
 * @act_min: clamp range
 * @act_max: see @act_min
 */
struct mnet_qk_add {
	int32_t a_zp, b_zp, out_zp;
	int32_t a_mult, b_mult, out_mult;
	int a_shift, b_shift, out_shift;
	int left_shift;
	int is_signed;
	int32_t act_min, act_max;
};

/**
 * struct mnet_qk_relu - a quantized RELU / RELU6 layer
 * @in_zp: input zero point
 * @out_zp: output zero point
 * @mult: in_scale / out_scale (the float quotient, as TFLite's
 *        ReluPrepare divides), from mnet_qk_quantize_multiplier()
 * @shift: see @mult
 * @is_signed: int8 (both tensors)
 * @act_min: the activation's range on the output's grid
 * @act_max: see @act_min
 */
struct mnet_qk_relu {
	int32_t in_zp, out_zp, mult;
	int shift;
	int is_signed;
	int32_t act_min, act_max;
};

/**
 * mnet_qk_relu() - quantized RELU / RELU6, as TFLite's ReluX
 * @p: parameters
 * @n: elements
 * @in: input
 * @out: output (may be @in)
 */
void mnet_qk_relu(const struct mnet_qk_relu *p, size_t n, const uint8_t *in,
		  uint8_t *out);

/**
 * mnet_qk_add() - elementwise a + b
 * @p: parameters
 * @n: elements
 * @a: first input
 * @b: second input
 * @out: output
 */
void mnet_qk_add(const struct mnet_qk_add *p, size_t n, const uint8_t *a,
		 const uint8_t *b, uint8_t *out);

/**
 * mnet_qk_requantize() - QUANTIZE from one 8-bit encoding to another
 * @n: elements
 * @in_signed: input is int8
 * @in_zp: input zero point
 * @out_signed: output is int8
 * @out_zp: output zero point
 * @mult: in_scale / out_scale as (multiplier, shift)
 * @shift: see @mult
 * @in: input
 * @out: output
 */
void mnet_qk_requantize(size_t n, int in_signed, int32_t in_zp,
			int out_signed, int32_t out_zp, int32_t mult,
			int shift, const uint8_t *in, uint8_t *out);

/**
 * mnet_qk_quantize() - QUANTIZE from float
 * @n: elements
 * @x: input
 * @scale: output scale
 * @zp: output zero point
 * @out_signed: output is int8
 * @out: output
 */
void mnet_qk_quantize(size_t n, const float *x, float scale, int32_t zp,
		      int out_signed, uint8_t *out);

/**
 * mnet_qk_dequantize() - DEQUANTIZE to float
 * @n: elements
 * @in: input
 * @in_signed: input is int8
 * @scale: input scale
 * @zp: input zero point
 * @out: output
 */
void mnet_qk_dequantize(size_t n, const uint8_t *in, int in_signed,
			float scale, int32_t zp, float *out);

/**
 * mnet_qk_quantize_multiplier() - TFLite's QuantizeMultiplier
 * @m: real multiplier
 * @mult: receives the Q31 significand
 * @shift: receives the exponent (m = mult * 2^(shift - 31))
 */
void mnet_qk_quantize_multiplier(double m, int32_t *mult, int *shift);

/**
 * mnet_qk_mean_params() - the multiplier of a quantized MEAN
 * @real: in_scale / out_scale
 * @n: number of elements averaged
 * @mult: receives the multiplier with 1/@n folded in
 * @shift: receives its exponent
 *
 * As TFLite's QuantizedMeanOrSum: QuantizeMultiplier(@real), then the
 * multiplier shifted left by floor(log2 @n) (at most 32, and at most
 * 31 + shift) and divided by @n, truncating.
 */
void mnet_qk_mean_params(double real, int n, int32_t *mult, int *shift);

/**
 * mnet_qk_act_range() - clamp range of a fused activation
 * @act: 0 none, 1 ReLU, 2 ReLU6
 * @scale: output scale
 * @zp: output zero point
 * @is_signed: output is int8
 * @lo: receives the minimum
 * @hi: receives the maximum
 *
 * As CalculateActivationRangeQuantized: 0 and 6 quantized with the output's
 * scale, within the type's range.
 */
void mnet_qk_act_range(int act, float scale, int32_t zp, int is_signed,
		       int32_t *lo, int32_t *hi);

/**
 * mnet_qk_softmax_params() - PreprocessSoftmaxScaling and the input radius
 * @beta: softmax beta
 * @in_scale: input scale
 * @p: receives mult, left_shift and diff_min
 */
void mnet_qk_softmax_params(double beta, double in_scale,
			    struct mnet_qk_softmax *p);

/**
 * mnet_qk_add_params() - the multipliers of a quantized ADD
 * @a_scale: first input scale
 * @b_scale: second input scale
 * @out_scale: output scale
 * @p: receives the multipliers, shifts and left_shift (zero points,
 *     signedness and range are the caller's)
 */
void mnet_qk_add_params(float a_scale, float b_scale, float out_scale,
			struct mnet_qk_add *p);

/**
 * struct mnet_qk_resize - a quantized RESIZE_BILINEAR (uint8)
 * @ih: input height
 * @iw: input width
 * @c: channels
 * @oh: output height
 * @ow: output width
 * @align_corners: TFLite's align_corners
 * @half_pixel: TFLite's half_pixel_centers
 *
 * Input and output share one quantization (TFLite requires it).
 */
struct mnet_qk_resize {
	int ih, iw, c, oh, ow;
	int align_corners, half_pixel;
};

/**
 * mnet_qk_resize_bilinear() - bilinear resize of uint8 values
 * @p: parameters
 * @in: input, ih*iw*c
 * @out: output, oh*ow*c
 *
 * TFLite's reference ResizeBilinear<uint8_t>: the four taps weighted in
 * float in its order of operations, plus 0.5, truncated.
 */
void mnet_qk_resize_bilinear(const struct mnet_qk_resize *p,
			     const uint8_t *in, uint8_t *out);

/**
 * mnet_qk_resize_coord() - where an output row or column samples
 * @o: output index
 * @scale: input / output size ratio as TFLite computes it
 * @half_pixel: half_pixel_centers
 * @in: input size
 * @v: receives the input coordinate
 * @lo: receives the tap below (clamped to 0)
 * @hi: receives the tap above (clamped to @in - 1)
 */
void mnet_qk_resize_coord(int o, float scale, int half_pixel, int in,
			  float *v, int *lo, int *hi);

/**
 * mnet_qk_resize_scale() - TFLite's height_scale / width_scale
 * @in: input size
 * @out: output size
 * @align_corners: align_corners
 *
 * Return: in / out, or (in - 1) / (out - 1) with @align_corners.
 */
float mnet_qk_resize_scale(int in, int out, int align_corners);

/**
 * struct mnet_qk_concat_part - one input of a quantized CONCATENATION
 * @c: its channels
 * @same: 1 when its quantization is the output's (copied as it is)
 * @scale: else in_scale / out_scale, in float as TFLite computes it
 * @bias: -in_zero_point * @scale
 */
struct mnet_qk_concat_part {
	int c;
	int same;
	float scale, bias;
};

/**
 * struct mnet_qk_concat - a quantized two-input CONCATENATION (channels)
 * @a: first input
 * @b: second input
 * @out_zp: output zero point
 * @is_signed: int8 (all three tensors)
 */
struct mnet_qk_concat {
	struct mnet_qk_concat_part a, b;
	int32_t out_zp;
	int is_signed;
};

/**
 * mnet_qk_concat_params() - one input's part as TFLite prepares it
 * @c: its channels
 * @in_scale: its scale
 * @in_zp: its zero point
 * @out_scale: the output's scale
 * @out_zp: the output's zero point
 * @part: receives the part
 */
void mnet_qk_concat_params(int c, float in_scale, int32_t in_zp,
			   float out_scale, int32_t out_zp,
			   struct mnet_qk_concat_part *part);

/**
 * mnet_qk_concat() - append @b's channels to @a's, pixel by pixel
 * @p: parameters
 * @npx: pixels
 * @a: first input, npx * a.c
 * @b: second input, npx * b.c
 * @out: output, npx * (a.c + b.c)
 *
 * TFLite's ConcatenationWithScaling: an input with the output's
 * quantization is copied, another requantized as
 * round(q * scale + bias) + out_zp, clamped.
 */
void mnet_qk_concat(const struct mnet_qk_concat *p, size_t npx,
		    const uint8_t *a, const uint8_t *b, uint8_t *out);

/**
 * mnet_qk_argmax() - index of the largest channel of each pixel
 * @npx: pixels
 * @c: channels (at most 256: the index is stored as one byte)
 * @is_signed: the input is int8
 * @in: input, npx * c
 * @out: output, npx class indices
 *
 * The first of equal maxima wins, as TFLite's ArgMinMax.
 */
void mnet_qk_argmax(size_t npx, int c, int is_signed, const uint8_t *in,
		    uint8_t *out);

#endif /* MNET_HOST_REF_Q_KERNELS_H */

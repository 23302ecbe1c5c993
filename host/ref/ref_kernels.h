/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ref_kernels.h - the plain C reference kernels over raw NHWC arrays
 *
 * DOC: reference kernels
 *
 * The oracle for every faster path: straight loops over output positions,
 * single-threaded, written for clarity, never for speed.  Each kernel
 * takes float arrays and plain dimensions (no IR types: host/ does not
 * depend on runtime/); runtime/reference/ref_layer.c unpacks an IR layer
 * into these arguments.  Convolutions accumulate in float, in the same
 * order as every other path, so that tolerances compare like with like.
 * Input coordinates outside the tensor read as zero, which is how SAME
 * padding (and any bottom/right padding a file implies) works.
 */
#ifndef MNET_HOST_REF_KERNELS_H
#define MNET_HOST_REF_KERNELS_H

#include <stddef.h>

/**
 * enum mnet_refk_act - a fused activation
 * @MNET_REFK_ACT_NONE: identity
 * @MNET_REFK_ACT_RELU: max(v, 0)
 * @MNET_REFK_ACT_RELU6: min(max(v, 0), 6)
 */
enum mnet_refk_act {
	MNET_REFK_ACT_NONE = 0,
	MNET_REFK_ACT_RELU,
	MNET_REFK_ACT_RELU6,
};

/**
 * struct mnet_refk_window - the geometry of a windowed op over NHWC
 * @ih: input height
 * @iw: input width
 * @ic: input channels (the pixel stride of the input)
 * @oh: output height
 * @ow: output width
 * @oc: output channels (the pixel stride of the output)
 * @kh: window height
 * @kw: window width
 * @sh: vertical stride
 * @sw: horizontal stride
 * @pt: zero rows above the input
 * @pl: zero columns left of the input
 * @act: fused activation
 */
struct mnet_refk_window {
	int ih, iw, ic;
	int oh, ow, oc;
	int kh, kw, sh, sw, pt, pl;
	enum mnet_refk_act act;
};

/**
 * mnet_refk_act_apply() - apply a fused activation to one value
 * @act: activation
 * @v: value
 *
 * Return: the activated value.
 */
static inline float mnet_refk_act_apply(enum mnet_refk_act act, float v)
{
	switch (act) {
	case MNET_REFK_ACT_RELU:
		return v > 0.0f ? v : 0.0f;
	case MNET_REFK_ACT_RELU6:
		return v < 0.0f ? 0.0f : (v > 6.0f ? 6.0f : v);
	default:
		return v;
	}
}

/**
 * mnet_refk_conv2d() - full KxK convolution, fused bias and activation
 * @g: geometry
 * @in: input, @g->ih x @g->iw x @g->ic
 * @w: weights [oc][kh][kw][ic]
 * @bias: @g->oc floats, or NULL
 * @out: output, @g->oh x @g->ow x @g->oc
 */
void mnet_refk_conv2d(const struct mnet_refk_window *g, const float *in,
		      const float *w, const float *bias, float *out);

/**
 * mnet_refk_dwconv2d() - depthwise KxK convolution (depth multiplier 1),
 * fused bias and activation
 * @g: geometry (@g->ic == @g->oc)
 * @in: input
 * @w: weights [kh][kw][oc]
 * @bias: @g->oc floats, or NULL
 * @out: output
 */
void mnet_refk_dwconv2d(const struct mnet_refk_window *g, const float *in,
			const float *w, const float *bias, float *out);

/**
 * mnet_refk_pwconv2d() - 1x1 convolution, fused bias and activation
 * @npx: pixels
 * @cin: input channels
 * @cout: output channels
 * @in: input, @npx x @cin
 * @w: weights [cout][cin]
 * @bias: @cout floats, or NULL
 * @act: fused activation
 * @out: output, @npx x @cout
 */
void mnet_refk_pwconv2d(size_t npx, int cin, int cout, const float *in,
			const float *w, const float *bias,
			enum mnet_refk_act act, float *out);

/**
 * mnet_refk_avgpool() - average pool; padded positions are not counted
 * @g: geometry (@g->ic == @g->oc)
 * @in: input
 * @out: output (accumulated in place: must not overlap @in)
 */
void mnet_refk_avgpool(const struct mnet_refk_window *g, const float *in,
		       float *out);

/**
 * mnet_refk_maxpool() - max pool; padded positions take no part
 * @g: geometry (@g->ic == @g->oc)
 * @in: input
 * @out: output (must not overlap @in)
 */
void mnet_refk_maxpool(const struct mnet_refk_window *g, const float *in,
		       float *out);

/**
 * mnet_refk_act() - an activation on its own
 * @n: elements
 * @act: RELU or RELU6
 * @in: input
 * @out: output (may be @in)
 */
void mnet_refk_act(size_t n, enum mnet_refk_act act, const float *in,
		   float *out);

/**
 * mnet_refk_fc() - fully connected layer, fused bias and activation
 * @n_in: input length (the input flattened in NHWC order)
 * @cout: outputs
 * @in: input
 * @w: weights [cout][n_in]
 * @bias: @cout floats, or NULL
 * @act: fused activation
 * @out: output, @cout floats
 */
void mnet_refk_fc(size_t n_in, int cout, const float *in, const float *w,
		  const float *bias, enum mnet_refk_act act, float *out);

/**
 * mnet_refk_softmax() - softmax over the channels of each pixel
 * @npx: pixels
 * @n: channels
 * @beta: temperature (TFLite's beta)
 * @in: input
 * @out: output
 */
void mnet_refk_softmax(size_t npx, int n, float beta, const float *in,
		       float *out);

/**
 * mnet_refk_add() - elementwise addition with fused activation
 * @n: elements
 * @a: first input
 * @b: second input
 * @act: fused activation
 * @out: output (may be @a or @b)
 */
void mnet_refk_add(size_t n, const float *a, const float *b,
		   enum mnet_refk_act act, float *out);

/**
 * mnet_refk_dwconv2d_dilated() - depthwise convolution with dilation
 * @g: window geometry (@g->kh, @g->kw: the undilated kernel)
 * @dh: vertical dilation (taps @dh rows apart), >= 1
 * @dw: horizontal dilation, >= 1
 * @in: input, NHWC
 * @w: weights [kh][kw][c]
 * @bias: bias per channel, or NULL
 * @out: output, NHWC
 */
void mnet_refk_dwconv2d_dilated(const struct mnet_refk_window *g, int dh,
				int dw, const float *in, const float *w,
				const float *bias, float *out);

/**
 * mnet_refk_resize_bilinear() - bilinear resize, TFLite's sampling grid
 * @ih: input height
 * @iw: input width
 * @c: channels
 * @oh: output height
 * @ow: output width
 * @align_corners: scale (in - 1) / (out - 1) instead of in / out
 * @half_pixel: sample at (o + 0.5) * scale - 0.5 (half_pixel_centers)
 * @in: input, NHWC
 * @out: output, NHWC
 */
void mnet_refk_resize_bilinear(int ih, int iw, int c, int oh, int ow,
			       int align_corners, int half_pixel,
			       const float *in, float *out);

/**
 * mnet_refk_concat() - concatenate two tensors along channels
 * @npx: pixels (h * w, the same for both)
 * @ca: channels of @a
 * @cb: channels of @b
 * @a: first input
 * @b: second input
 * @out: output, @ca + @cb channels per pixel
 */
void mnet_refk_concat(size_t npx, int ca, int cb, const float *a,
		      const float *b, float *out);

/**
 * mnet_refk_argmax() - index of the largest channel of each pixel
 * @npx: pixels
 * @c: channels
 * @in: input
 * @out: @npx indices, as floats; the first largest on a tie
 */
void mnet_refk_argmax(size_t npx, int c, const float *in, float *out);

/**
 * mnet_refk_px() - a pixel of an NHWC tensor
 * @t: tensor
 * @w: its width
 * @c: its channels
 * @y: row
 * @x: column
 *
 * Return: the pixel's first channel.
 */
static inline const float *mnet_refk_px(const float *t, int w, int c, int y,
					int x)
{
	return t + ((size_t)y * w + x) * c;
}

#endif /* MNET_HOST_REF_KERNELS_H */

// SPDX-License-Identifier: Apache-2.0
/*
 * ref_layer.c - IR layers computed by the plain C reference kernels
 *
 * DOC: reference layers
 *
 * The kernels themselves live in host/ref/ (one file per op, over raw
 * arrays); this file only unpacks a &struct mnet_layer into their
 * arguments.  mnet_ref_layer_run() finds a layer's kernel in one table
 * indexed by &enum mnet_op: an op without an entry is -EINVAL, never a
 * silent copy.
 */
#include <errno.h>
#include <string.h>

#include "reference/ref_layer.h"
#include "ref/ref_kernels.h"

static enum mnet_refk_act ref_act(enum mnet_act act)
{
	static const enum mnet_refk_act map[] = {
		[MNET_ACT_NONE] = MNET_REFK_ACT_NONE,
		[MNET_ACT_RELU] = MNET_REFK_ACT_RELU,
		[MNET_ACT_RELU6] = MNET_REFK_ACT_RELU6,
	};

	return (unsigned int)act < sizeof(map) / sizeof(map[0]) ?
	       map[act] : MNET_REFK_ACT_NONE;
}

static struct mnet_refk_window ref_window(const struct mnet_layer *l)
{
	return (struct mnet_refk_window){
		.ih = l->in_shape.h, .iw = l->in_shape.w, .ic = l->in_shape.c,
		.oh = l->out_shape.h, .ow = l->out_shape.w,
		.oc = l->out_shape.c,
		.kh = l->kh, .kw = l->kw, .sh = l->stride_h, .sw = l->stride_w,
		.pt = l->pad_top, .pl = l->pad_left,
		.act = ref_act(l->act),
	};
}

static size_t ref_pixels(const struct mnet_layer *l)
{
	return (size_t)l->out_shape.h * l->out_shape.w;
}

void mnet_ref_conv2d(const struct mnet_layer *l, const float *in, float *out)
{
	struct mnet_refk_window g = ref_window(l);

	mnet_refk_conv2d(&g, in, l->weights, l->bias, out);
}

void mnet_ref_dwconv2d(const struct mnet_layer *l, const float *in,
		       float *out)
{
	struct mnet_refk_window g = ref_window(l);

	mnet_refk_dwconv2d(&g, in, l->weights, l->bias, out);
}

void mnet_ref_pwconv2d(const struct mnet_layer *l, const float *in,
		       float *out)
{
	mnet_refk_pwconv2d(ref_pixels(l), l->in_shape.c, l->out_shape.c, in,
			   l->weights, l->bias, ref_act(l->act), out);
}

void mnet_ref_avgpool(const struct mnet_layer *l, const float *in, float *out)
{
	struct mnet_refk_window g = ref_window(l);

	mnet_refk_avgpool(&g, in, out);
}

void mnet_ref_maxpool_rows(const struct mnet_layer *l, const float *in,
			   float *out, int y0, int y1)
{
	struct mnet_refk_window g = ref_window(l);

	/* rows [y0, y1) are a pool of y1 - y0 rows whose padding starts
	 * y0 * stride rows higher: the same taps, the same order */
	g.oh = y1 - y0;
	g.pt -= y0 * g.sh;
	mnet_refk_maxpool(&g, in, out + (size_t)y0 * g.ow * g.oc);
}

void mnet_ref_maxpool(const struct mnet_layer *l, const float *in, float *out)
{
	mnet_ref_maxpool_rows(l, in, out, 0, l->out_shape.h);
}

void mnet_ref_act_range(const struct mnet_layer *l, const float *in,
			float *out, size_t k0, size_t k1)
{
	mnet_refk_act(k1 - k0, ref_act(l->act), in + k0, out + k0);
}

void mnet_ref_act(const struct mnet_layer *l, const float *in, float *out)
{
	mnet_ref_act_range(l, in, out, 0, mnet_shape_elems(l->out_shape));
}

void mnet_ref_fc(const struct mnet_layer *l, const float *in, float *out)
{
	mnet_refk_fc(mnet_shape_elems(l->in_shape), l->out_shape.c, in,
		     l->weights, l->bias, ref_act(l->act), out);
}

void mnet_ref_softmax(const struct mnet_layer *l, const float *in, float *out)
{
	mnet_refk_softmax(ref_pixels(l), l->out_shape.c, l->beta, in, out);
}

void mnet_ref_reshape(const struct mnet_layer *l, const float *in,
		      float *out)
{
	memcpy(out, in, mnet_shape_elems(l->out_shape) * sizeof(*out));
}

void mnet_ref_add_range(const struct mnet_layer *l, const float *a,
			const float *b, float *out, size_t k0, size_t k1)
{
	mnet_refk_add(k1 - k0, a + k0, b + k0, ref_act(l->act), out + k0);
}

void mnet_ref_add(const struct mnet_layer *l, const float *a, const float *b,
		  float *out)
{
	mnet_ref_add_range(l, a, b, out, 0, mnet_shape_elems(l->out_shape));
}

static void ref_dwconv2d_dil(const struct mnet_layer *l, const float *in,
			     float *out)
{
	struct mnet_refk_window g = ref_window(l);

	mnet_refk_dwconv2d_dilated(&g, l->dil_h, l->dil_w, in, l->weights,
				   l->bias, out);
}

static void ref_resize_bilinear(const struct mnet_layer *l, const float *in,
				float *out)
{
	mnet_refk_resize_bilinear(l->in_shape.h, l->in_shape.w, l->in_shape.c,
				  l->out_shape.h, l->out_shape.w,
				  l->align_corners, l->half_pixel, in, out);
}

static void ref_concat(const struct mnet_layer *l, const float *a,
		       const float *b, float *out)
{
	mnet_refk_concat(ref_pixels(l), l->in_shape.c,
			 l->out_shape.c - l->in_shape.c, a, b, out);
}

static void ref_argmax(const struct mnet_layer *l, const float *in,
		       float *out)
{
	mnet_refk_argmax(ref_pixels(l), l->in_shape.c, in, out);
}

/*
 * One entry per op: @unary for ops of one input, @binary for ops of two
 * (l->in2).
 */
static const struct ref_op {
	void (*unary)(const struct mnet_layer *l, const float *in, float *out);
	void (*binary)(const struct mnet_layer *l, const float *a,
		       const float *b, float *out);
} ref_ops[MNET_OP_COUNT] = {
	[MNET_OP_CONV2D] = { .unary = mnet_ref_conv2d },
	[MNET_OP_DWCONV2D] = { .unary = mnet_ref_dwconv2d },
	[MNET_OP_PWCONV2D] = { .unary = mnet_ref_pwconv2d },
	[MNET_OP_AVGPOOL] = { .unary = mnet_ref_avgpool },
	[MNET_OP_FC] = { .unary = mnet_ref_fc },
	[MNET_OP_SOFTMAX] = { .unary = mnet_ref_softmax },
	[MNET_OP_RESHAPE] = { .unary = mnet_ref_reshape },
	[MNET_OP_ADD] = { .binary = mnet_ref_add },
	[MNET_OP_DWCONV2D_DIL] = { .unary = ref_dwconv2d_dil },
	[MNET_OP_RESIZE_BILINEAR] = { .unary = ref_resize_bilinear },
	[MNET_OP_CONCAT] = { .binary = ref_concat },
	[MNET_OP_ARGMAX] = { .unary = ref_argmax },
	[MNET_OP_MAXPOOL] = { .unary = mnet_ref_maxpool },
	[MNET_OP_ACT] = { .unary = mnet_ref_act },
};

int mnet_ref_layer_supported(enum mnet_op op)
{
	return (unsigned int)op < MNET_OP_COUNT &&
	       (ref_ops[op].unary || ref_ops[op].binary);
}

int mnet_ref_layer_run(const struct mnet_layer *l, const float *in,
		       const float *in2, float *out)
{
	const struct ref_op *op;

	if ((unsigned int)l->op >= MNET_OP_COUNT)
		return -EINVAL;
	op = &ref_ops[l->op];
	if (op->unary)
		op->unary(l, in, out);
	else if (op->binary)
		op->binary(l, in, in2, out);
	else
		return -EINVAL;
	return 0;
}

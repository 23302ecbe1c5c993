// SPDX-License-Identifier: Apache-2.0
/*
 * tflite_import.c - pass 2 of the TFLite loader: each operator becomes IR
 *
 * DOC: operator import
 *
 * One table keyed by the TFLite builtin code gives the import function of
 * each operator the loader knows:
 *
 *   CONV_2D            MNET_OP_PWCONV2D if 1x1 stride 1, else MNET_OP_CONV2D
 *   DEPTHWISE_CONV_2D  MNET_OP_DWCONV2D (depth multiplier 1)
 *   AVERAGE_POOL_2D    MNET_OP_AVGPOOL
 *   MAX_POOL_2D        MNET_OP_MAXPOOL
 *   RELU, RELU6        MNET_OP_ACT (an activation the converter left alone)
 *   MEAN over H,W      MNET_OP_AVGPOOL with the whole input as its window
 *   FULLY_CONNECTED    MNET_OP_FC
 *   SOFTMAX            MNET_OP_SOFTMAX
 *   RESHAPE, SQUEEZE   MNET_OP_RESHAPE (a constant new shape, stored or
 *                      folded by tflite_fold.c, checked against the output)
 *   ADD                MNET_OP_ADD
 *   SHAPE, STRIDED_SLICE, PACK, CONCATENATION of constants: folded
 *                      before import (tflite_fold.c), no layer
 *   QUANTIZE,          no layer: the output tensor becomes an alias of the
 *   DEQUANTIZE         input tensor (but see below)
 *   RESIZE_BILINEAR    MNET_OP_RESIZE_BILINEAR
 *   CONCATENATION      n - 1 MNET_OP_CONCAT
 *   ARG_MAX            MNET_OP_ARGMAX (its int32/int64 output: indices)
 *
 * Each import reads the operator's options, checks what TFLite's own
 * arithmetic says against the tensors (SAME/VALID windows, channel counts)
 * and fills one layer; what every IR op must satisfy is left to its
 * descriptor, through mnet_model_validate() at the end of the load.
 *
 * Why aliases for QUANTIZE/DEQUANTIZE: in a float IR they are the identity
 * (both sides denote the same real values, only the 8-bit encoding
 * changes), so a copy layer would cost a pass over memory on every backend
 * and show up in every per-layer report for nothing.  A DEQUANTIZE of a
 * constant (float16 weights stored as fp16 + DEQUANTIZE by the converter)
 * makes its output a constant alias instead, so the convolution that reads
 * it finds the fp16 data.
 *
 * Quantization: every IR tensor keeps its TFLite tensor's (scale, zero
 * point), and weighted layers keep the raw 8-bit weights and int32 bias
 * beside the floats (&struct mnet_layer.q).  An alias at the graph's
 * edges (the TF2 file's uint8 -> int8 QUANTIZE after the input, int8 ->
 * uint8 before the output) is where an integer session requantizes: the
 * IR input tensor takes the quantized side, &struct mnet_model.input_q
 * and output_q keep the file's.  A QUANTIZE between two 8-bit encodings
 * inside the graph is a RESHAPE layer (requant_layer()): the integer
 * backends requantize there; one of a float tensor inside the graph
 * leaves the model float-only (&struct mnet_model.int8_block).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/model.h"
#include "tflite/flatbuf.h"
#include "tflite/tflite_schema.h"
#include "tflite/tflite_ctx.h"
#include "tflite/tflite_import.h"
#include "tflite/tflite_tensor.h"

static int32_t op_in(const struct tfl_op *op, uint32_t k)
{
	return k < op->inputs.n ? mnet_fb_vec_i32(&op->inputs, k) : -1;
}

/* Start a layer reading activation input 0 and writing output 0. */
static int new_layer(struct tfl_ctx *c, uint32_t i, enum mnet_op type,
		     struct mnet_layer **out)
{
	return mnet_tfl_new_layer(c, i, type, out);
}

/* The builtin options of op @i, or an empty table (all defaults). */
static int get_opts(struct tfl_ctx *c, uint32_t i, uint8_t want,
		    struct mnet_fb_table *t)
{
	return mnet_tfl_get_opts(c, i, want, t);
}

static int map_act(struct tfl_ctx *c, uint32_t i, uint8_t a,
		   enum mnet_act *out)
{
	static const char *const names[] = {
		"NONE", "RELU", "RELU_N1_TO_1", "RELU6", "TANH", "SIGN_BIT",
	};

	switch (a) {
	case TFL_ACT_NONE:
		*out = MNET_ACT_NONE;
		return 0;
	case TFL_ACT_RELU:
		*out = MNET_ACT_RELU;
		return 0;
	case TFL_ACT_RELU6:
		*out = MNET_ACT_RELU6;
		return 0;
	default:
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "fused activation %s is not supported",
				       a < 6 ? names[a] : "(unknown)");
	}
}

struct window_opts {
	uint8_t padding, act;
	int32_t stride_w, stride_h, dil_w, dil_h;
};

/*
 * Output size and top/left padding of a window op along H and W, checked
 * against the output tensor.  TFLite's SAME and VALID arithmetic.
 */
static int window(struct tfl_ctx *c, uint32_t i, struct mnet_layer *l,
		  const struct window_opts *o, int kh, int kw)
{
	int oh, ow, ekh, ekw;

	if (o->dil_w < 1 || o->dil_h < 1 || o->dil_w > 64 || o->dil_h > 64)
		return mnet_tfl_op_err(c, i,
				       o->dil_w < 1 || o->dil_h < 1 ?
				       -EINVAL : -EOPNOTSUPP,
				       "dilation %dx%d (HxW); 1..64 is supported",
				       (int)o->dil_h, (int)o->dil_w);
	if (o->stride_h < 1 || o->stride_w < 1 || o->stride_h > 64 ||
	    o->stride_w > 64)
		return mnet_tfl_op_err(c, i,
				       o->stride_h < 1 || o->stride_w < 1 ?
				       -EINVAL : -EOPNOTSUPP,
				       "stride %dx%d; 1..64 is supported",
				       (int)o->stride_h, (int)o->stride_w);
	if (kh < 1 || kw < 1 || kh > 64 || kw > 64)
		return mnet_tfl_op_err(c, i,
				       kh < 1 || kw < 1 ? -EINVAL : -EOPNOTSUPP,
				       "kernel %dx%d; 1..64 is supported", kh, kw);
	l->kh = kh;
	l->kw = kw;
	l->stride_h = o->stride_h;
	l->stride_w = o->stride_w;
	l->dil_h = o->dil_h;
	l->dil_w = o->dil_w;
	/* TFLite pads for the dilated (effective) kernel */
	ekh = (kh - 1) * o->dil_h + 1;
	ekw = (kw - 1) * o->dil_w + 1;
	if (o->padding == TFL_PAD_SAME) {
		l->pad_top = mnet_same_pad(l->in_shape.h, ekh, o->stride_h, &oh);
		l->pad_left = mnet_same_pad(l->in_shape.w, ekw, o->stride_w, &ow);
	} else if (o->padding == TFL_PAD_VALID) {
		if (l->in_shape.h < ekh || l->in_shape.w < ekw)
			return mnet_tfl_op_err(c, i, -EINVAL, "kernel %dx%d is larger than the %dx%d input with VALID padding",
					       ekh, ekw, l->in_shape.h,
					       l->in_shape.w);
		oh = (l->in_shape.h - ekh) / o->stride_h + 1;
		ow = (l->in_shape.w - ekw) / o->stride_w + 1;
		l->pad_top = 0;
		l->pad_left = 0;
	} else {
		return mnet_tfl_op_err(c, i, -EINVAL, "padding %u is neither SAME nor VALID",
				       o->padding);
	}
	if (oh != l->out_shape.h || ow != l->out_shape.w)
		return mnet_tfl_op_err(c, i, -EINVAL, "output is %dx%d but input %dx%d, kernel %dx%d, stride %dx%d and %s padding give %dx%d",
				       l->out_shape.h, l->out_shape.w,
				       l->in_shape.h, l->in_shape.w, kh, kw,
				       (int)o->stride_h, (int)o->stride_w,
				       o->padding == TFL_PAD_SAME ? "SAME" :
								    "VALID",
				       oh, ow);
	return map_act(c, i, o->act, &l->act);
}

/* Bias (input 2), if any: @n floats. */
static int load_bias(struct tfl_ctx *c, uint32_t i, struct mnet_layer *l,
		     int n)
{
	if (op_in(&c->ops[i], 2) < 0)
		return 0;
	return mnet_tfl_load_const(c, i, 2, "bias", (uint64_t)n, &l->bias);
}

static int conv(struct tfl_ctx *c, uint32_t i, int depthwise)
{
	struct mnet_fb_table ot;
	struct window_opts o = { 0 };
	const struct tfl_tensor *w;
	struct mnet_layer *l;
	int32_t mult = 1;
	uint64_t n;
	int ret, cout, kh, kw, cin;

	ret = new_layer(c, i, depthwise ? MNET_OP_DWCONV2D : MNET_OP_CONV2D,
			&l);
	if (ret)
		return ret;
	ret = mnet_tfl_get_const(c, i, 1, "weights", &w, &n);
	if (ret)
		return ret;
	if (w->rank != 4)
		return mnet_tfl_op_err(c, i, -EINVAL, "weights of rank %d, expected 4",
				       w->rank);
	cout = w->dims[0];
	kh = w->dims[1];
	kw = w->dims[2];
	cin = w->dims[3];
	ret = get_opts(c, i, depthwise ? TFL_OPT_DEPTHWISE_CONV2D :
			     TFL_OPT_CONV2D, &ot);
	if (ret)
		return ret;
	if (depthwise) {
		if (mnet_fb_u8(&ot, 0, TFL_PAD_SAME, &o.padding) ||
		    mnet_fb_i32(&ot, 1, 0, &o.stride_w) ||
		    mnet_fb_i32(&ot, 2, 0, &o.stride_h) ||
		    mnet_fb_i32(&ot, 3, 0, &mult) ||
		    mnet_fb_u8(&ot, 4, TFL_ACT_NONE, &o.act) ||
		    mnet_fb_i32(&ot, 5, 1, &o.dil_w) ||
		    mnet_fb_i32(&ot, 6, 1, &o.dil_h))
			return mnet_tfl_fb_err(c, "op %u DepthwiseConv2DOptions",
					       i);
		if (cout != 1)
			return mnet_tfl_op_err(c, i, -EINVAL, "depthwise weights [%d,%d,%d,%d], expected [1,kh,kw,c]",
					       cout, kh, kw, cin);
		/* the multiplier follows from the shapes; the field may be 0 */
		if (cin != l->in_shape.c || (mult != 0 && mult != 1))
			return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "depth multiplier %d (%d input, %d output channels); only 1 is supported",
					       mult > 1 ? (int)mult :
					       cin / (l->in_shape.c ? l->in_shape.c : 1),
					       l->in_shape.c, cin);
		cout = cin;
	} else {
		if (mnet_fb_u8(&ot, 0, TFL_PAD_SAME, &o.padding) ||
		    mnet_fb_i32(&ot, 1, 0, &o.stride_w) ||
		    mnet_fb_i32(&ot, 2, 0, &o.stride_h) ||
		    mnet_fb_u8(&ot, 3, TFL_ACT_NONE, &o.act) ||
		    mnet_fb_i32(&ot, 4, 1, &o.dil_w) ||
		    mnet_fb_i32(&ot, 5, 1, &o.dil_h))
			return mnet_tfl_fb_err(c, "op %u Conv2DOptions", i);
		if (cin != l->in_shape.c)
			return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "weights have %d input channels but the input has %d (grouped convolution?)",
					       cin, l->in_shape.c);
	}
	if (cout != l->out_shape.c)
		return mnet_tfl_op_err(c, i, -EINVAL, "weights give %d output channels but the output has %d",
				       cout, l->out_shape.c);
	if (!depthwise && (o.dil_h != 1 || o.dil_w != 1))
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "dilation %dx%d (HxW) of a full convolution is not supported yet",
				       (int)o.dil_h, (int)o.dil_w);
	ret = window(c, i, l, &o, kh, kw);
	if (ret)
		return ret;
	ret = mnet_tfl_fold_pad(c, i, l);
	if (ret)
		return ret;
	if (o.dil_h != 1 || o.dil_w != 1)
		l->op = MNET_OP_DWCONV2D_DIL;
	if (!depthwise && kh == 1 && kw == 1 && o.stride_h == 1 &&
	    o.stride_w == 1)
		l->op = MNET_OP_PWCONV2D;	/* same [cout][cin] bytes as OHWI */
	ret = mnet_tfl_load_const(c, i, 1, "weights", n, &l->weights);
	if (ret)
		return ret;
	l->n_weights = (size_t)n;
	ret = mnet_tfl_load_layer_q(c, i, l, depthwise ? 3 : 0);
	if (ret)
		return ret;
	return load_bias(c, i, l, cout);
}

static int import_conv(struct tfl_ctx *c, uint32_t i)
{
	return conv(c, i, 0);
}

static int import_dwconv(struct tfl_ctx *c, uint32_t i)
{
	return conv(c, i, 1);
}

static int pool(struct tfl_ctx *c, uint32_t i, enum mnet_op op)
{
	struct mnet_fb_table ot;
	struct window_opts o = { .dil_w = 1, .dil_h = 1 };
	struct mnet_layer *l;
	int32_t fw, fh;
	int ret;

	ret = new_layer(c, i, op, &l);
	if (ret)
		return ret;
	ret = get_opts(c, i, TFL_OPT_POOL2D, &ot);
	if (ret)
		return ret;
	if (mnet_fb_u8(&ot, 0, TFL_PAD_SAME, &o.padding) ||
	    mnet_fb_i32(&ot, 1, 0, &o.stride_w) ||
	    mnet_fb_i32(&ot, 2, 0, &o.stride_h) ||
	    mnet_fb_i32(&ot, 3, 0, &fw) ||
	    mnet_fb_i32(&ot, 4, 0, &fh) ||
	    mnet_fb_u8(&ot, 5, TFL_ACT_NONE, &o.act))
		return mnet_tfl_fb_err(c, "op %u Pool2DOptions", i);
	if (l->in_shape.c != l->out_shape.c)
		return mnet_tfl_op_err(c, i, -EINVAL, "pooling changes channels %d -> %d",
				       l->in_shape.c, l->out_shape.c);
	return window(c, i, l, &o, fh, fw);
}

static int import_pool(struct tfl_ctx *c, uint32_t i)
{
	return pool(c, i, MNET_OP_AVGPOOL);
}

static int import_maxpool(struct tfl_ctx *c, uint32_t i)
{
	return pool(c, i, MNET_OP_MAXPOOL);
}

static int import_mean(struct tfl_ctx *c, uint32_t i)
{
	const struct tfl_tensor *ax;
	struct mnet_layer *l;
	int32_t in = op_in(&c->ops[i], 0);
	unsigned int mask = 0;
	uint64_t n, k;
	int ret;

	ret = new_layer(c, i, MNET_OP_AVGPOOL, &l);
	if (ret)
		return ret;
	ret = mnet_tfl_get_const(c, i, 1, "axes", &ax, &n);
	if (ret)
		return ret;
	if (ax->type != TFL_INT32 && ax->type != TFL_INT64)
		return mnet_tfl_op_err(c, i, -EINVAL, "axes of type %s",
				       mnet_tfl_type_name(ax->type));
	for (k = 0; k < n; k++) {
		const uint8_t *p = ax->data + k * mnet_tfl_type_size(ax->type);
		int64_t a = mnet_tfl_raw_int(p, ax->type);

		if (a < -4 || a > 3)
			return mnet_tfl_op_err(c, i, -EINVAL, "axis %lld out of range",
					       (long long)a);
		mask |= 1u << (a < 0 ? a + 4 : a);
	}
	if (c->t[in].rank != 4 || mask != 6u)
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "only a mean over H and W of an NHWC tensor is supported");
	if (l->out_shape.h != 1 || l->out_shape.w != 1 ||
	    l->out_shape.c != l->in_shape.c)
		return mnet_tfl_op_err(c, i, -EINVAL, "output %dx%dx%d is not 1x1x%d",
				       l->out_shape.h, l->out_shape.w,
				       l->out_shape.c, l->in_shape.c);
	if (l->in_shape.h > 64 || l->in_shape.w > 64)
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "a global mean over %dx%d; windows up to 64x64 are supported",
				       l->in_shape.h, l->in_shape.w);
	/* keep_dims only changes the rank of the output tensor */
	l->kh = l->in_shape.h;
	l->kw = l->in_shape.w;
	l->stride_h = 1;
	l->stride_w = 1;
	l->mean = 1;
	return 0;
}

static int import_fc(struct tfl_ctx *c, uint32_t i)
{
	const struct tfl_tensor *w;
	struct mnet_fb_table ot;
	struct mnet_layer *l;
	uint8_t act, format;
	uint64_t n;
	int ret;

	ret = new_layer(c, i, MNET_OP_FC, &l);
	if (ret)
		return ret;
	ret = mnet_tfl_get_const(c, i, 1, "weights", &w, &n);
	if (ret)
		return ret;
	ret = get_opts(c, i, TFL_OPT_FULLY_CONNECTED, &ot);
	if (ret)
		return ret;
	if (mnet_fb_u8(&ot, 0, TFL_ACT_NONE, &act) ||
	    mnet_fb_u8(&ot, 1, 0, &format))
		return mnet_tfl_fb_err(c, "op %u FullyConnectedOptions", i);
	if (format != 0)
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "shuffled weights format %u is not supported",
				       format);
	if (w->rank != 2)
		return mnet_tfl_op_err(c, i, -EINVAL, "weights of rank %d, expected 2",
				       w->rank);
	if ((size_t)w->dims[1] != mnet_shape_elems(l->in_shape))
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "weights take %d inputs but the input has %zu values (batch > 1?)",
				       (int)w->dims[1],
				       mnet_shape_elems(l->in_shape));
	if (l->out_shape.h != 1 || l->out_shape.w != 1 ||
	    l->out_shape.c != w->dims[0])
		return mnet_tfl_op_err(c, i, -EINVAL, "output %dx%dx%d, expected 1x1x%d",
				       l->out_shape.h, l->out_shape.w,
				       l->out_shape.c, (int)w->dims[0]);
	ret = map_act(c, i, act, &l->act);
	if (ret)
		return ret;
	ret = mnet_tfl_load_const(c, i, 1, "weights", n, &l->weights);
	if (ret)
		return ret;
	l->n_weights = (size_t)n;
	ret = mnet_tfl_load_layer_q(c, i, l, 0);
	if (ret)
		return ret;
	return load_bias(c, i, l, w->dims[0]);
}

static int import_add(struct tfl_ctx *c, uint32_t i)
{
	int32_t b = op_in(&c->ops[i], 1);
	struct mnet_fb_table ot;
	struct mnet_layer *l;
	struct mnet_shape s;
	uint8_t act;
	int ret;

	ret = new_layer(c, i, MNET_OP_ADD, &l);
	if (ret)
		return ret;
	if (b < 0)
		return mnet_tfl_op_err(c, i, -EINVAL, "second input is missing");
	if (c->map[b] < 0)
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "second input %s is not computed by an earlier op (adding constants is not supported)",
				       mnet_tfl_label(c, (uint32_t)b));
	s = c->m->tensors[c->map[b]].shape;
	if (s.h != l->in_shape.h || s.w != l->in_shape.w ||
	    s.c != l->in_shape.c || s.h != l->out_shape.h ||
	    s.w != l->out_shape.w || s.c != l->out_shape.c)
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "operands %dx%dx%d and %dx%dx%d -> %dx%dx%d; broadcasting is not supported",
				       l->in_shape.h, l->in_shape.w,
				       l->in_shape.c, s.h, s.w, s.c,
				       l->out_shape.h, l->out_shape.w,
				       l->out_shape.c);
	l->in2 = c->map[b];
	ret = get_opts(c, i, TFL_OPT_ADD, &ot);
	if (ret)
		return ret;
	if (mnet_fb_u8(&ot, 0, TFL_ACT_NONE, &act))
		return mnet_tfl_fb_err(c, "op %u AddOptions", i);
	return map_act(c, i, act, &l->act);
}

/* An int32 pair [height, width] (RESIZE_BILINEAR's size input). */
static int read_size(struct tfl_ctx *c, uint32_t i, int32_t *h, int32_t *w)
{
	const struct tfl_tensor *t;
	uint64_t n;
	int ret;

	ret = mnet_tfl_get_const(c, i, 1, "size", &t, &n);
	if (ret)
		return ret;
	if (t->type != TFL_INT32 || n != 2)
		return mnet_tfl_op_err(c, i, -EINVAL, "size is %llu values of type %s, expected 2 int32",
				       (unsigned long long)n,
				       mnet_tfl_type_name(t->type));
	*h = (int32_t)mnet_tfl_raw_int(t->data, TFL_INT32);
	*w = (int32_t)mnet_tfl_raw_int(t->data + 4, TFL_INT32);
	return 0;
}

static int import_resize(struct tfl_ctx *c, uint32_t i)
{
	struct mnet_fb_table ot;
	struct mnet_layer *l;
	uint8_t align = 0, half = 0;
	int32_t h = 0, w = 0;
	int ret;

	ret = new_layer(c, i, MNET_OP_RESIZE_BILINEAR, &l);
	if (ret)
		return ret;
	ret = read_size(c, i, &h, &w);
	if (ret)
		return ret;
	if (h != l->out_shape.h || w != l->out_shape.w)
		return mnet_tfl_op_err(c, i, -EINVAL, "size %dx%d but the output is %dx%d",
				       (int)h, (int)w, l->out_shape.h,
				       l->out_shape.w);
	ret = get_opts(c, i, TFL_OPT_RESIZE_BILINEAR, &ot);
	if (ret)
		return ret;
	/* fields 0 and 1 (new_height, new_width) are deprecated */
	if (mnet_fb_u8(&ot, 2, 0, &align) || mnet_fb_u8(&ot, 3, 0, &half))
		return mnet_tfl_fb_err(c, "op %u ResizeBilinearOptions", i);
	if (align && half)
		return mnet_tfl_op_err(c, i, -EINVAL, "align_corners and half_pixel_centers are both set");
	l->align_corners = align != 0;
	l->half_pixel = half != 0;
	return 0;
}

/* The IR tensor of activation input @k of op @i, checked. */
static int act_input(struct tfl_ctx *c, uint32_t i, uint32_t k, int *t)
{
	int32_t ti = op_in(&c->ops[i], k);

	if (ti < 0 || c->map[ti] < 0)
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "input %u is not computed by an earlier op (constant operands are not supported)",
				       k);
	*t = c->map[ti];
	return 0;
}

/*
 * CONCATENATION along channels: n inputs become n - 1 MNET_OP_CONCAT
 * layers, each appending one input to the running result (ir.h); the
 * intermediate tensors are named after the output, "NAME/K".
 */
static int import_concat(struct tfl_ctx *c, uint32_t i)
{
	const struct tfl_op *op = &c->ops[i];
	struct mnet_fb_table ot;
	struct mnet_layer *l;
	int32_t axis, o;
	int ret, acc, b = -1, k, final, n = (int)op->inputs.n;
	char name[64];
	uint8_t act;

	if (n < 2)
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "%d inputs; 2 or more are supported",
				       n);
	ret = get_opts(c, i, TFL_OPT_CONCATENATION, &ot);
	if (ret)
		return ret;
	if (mnet_fb_i32(&ot, 0, 0, &axis) ||
	    mnet_fb_u8(&ot, 1, TFL_ACT_NONE, &act))
		return mnet_tfl_fb_err(c, "op %u ConcatenationOptions", i);
	o = op->outputs.n ? mnet_fb_vec_i32(&op->outputs, 0) : -1;
	if (o < 0 || c->t[o].rank != 4 || (axis != 3 && axis != -1))
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "axis %d; only the channels of NHWC tensors (3 or -1) are supported",
				       (int)axis);
	/* the first pair through new_layer(): it checks and maps the output */
	ret = new_layer(c, i, MNET_OP_CONCAT, &l);
	if (ret)
		return ret;
	ret = map_act(c, i, act, &l->act);
	if (ret)
		return ret;
	/* with more than two inputs, each layer but the last writes a part */
	final = l->out;
	snprintf(name, sizeof(name), "%s", c->m->tensors[final].name);
	acc = l->in;
	for (k = 1; k < n; k++) {
		struct mnet_layer *nl = l;
		struct mnet_tensor *nt;

		ret = act_input(c, i, (uint32_t)k, &b);
		if (ret)
			return ret;
		if (k > 1) {
			if (c->n_layers >= c->m->n_layers)
				return mnet_tfl_op_err(c, i, -EFBIG, "too many layers");
			nl = &c->m->layers[c->n_layers++];
			*nl = *l;
			snprintf(nl->name, sizeof(nl->name), "%.48s/%d",
				 l->name, k);
		}
		nl->in = acc;
		nl->in_shape = c->m->tensors[acc].shape;
		nl->in2 = b;
		nl->out = final;
		if (k < n - 1) {
			if (c->n_tensors >= c->m->n_tensors)
				return mnet_tfl_op_err(c, i, -EFBIG, "too many tensors");
			nt = &c->m->tensors[c->n_tensors];
			*nt = c->m->tensors[final];
			nt->shape.c = nl->in_shape.c +
				      c->m->tensors[b].shape.c;
			snprintf(nt->name, sizeof(nt->name), "%.48s/%d", name,
				 k);
			nl->out = c->n_tensors++;
		}
		nl->out_shape = c->m->tensors[nl->out].shape;
		acc = nl->out;
	}
	return 0;
}

static int import_argmax(struct tfl_ctx *c, uint32_t i)
{
	const struct tfl_tensor *ax;
	struct mnet_layer *l;
	uint64_t n;
	int64_t a;
	int ret;

	ret = new_layer(c, i, MNET_OP_ARGMAX, &l);
	if (ret)
		return ret;
	ret = mnet_tfl_get_const(c, i, 1, "axis", &ax, &n);
	if (ret)
		return ret;
	if ((ax->type != TFL_INT32 && ax->type != TFL_INT64) || n != 1)
		return mnet_tfl_op_err(c, i, -EINVAL, "axis is %llu values of type %s, expected one integer",
				       (unsigned long long)n,
				       mnet_tfl_type_name(ax->type));
	a = mnet_tfl_raw_int(ax->data, ax->type);
	if (a != -1 && a != 3)
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "axis %lld; only the channels (3 or -1) are supported",
				       (long long)a);
	return 0;
}

/**
 * struct tfl_import - how one TFLite builtin operator becomes IR
 * @import: adds the operator's layer (or alias) to the model being built
 * @alias: 1 if it adds no layer, only makes its output an alias of its
 *         input (QUANTIZE, DEQUANTIZE)
 */
struct tfl_import {
	int (*import)(struct tfl_ctx *c, uint32_t i);
	int alias;
};

/* Keyed by BuiltinOperator; a gap is an operator the runtime lacks. */
static const struct tfl_import imports[] = {
	[TFL_ADD] = { .import = import_add },
	[TFL_ARG_MAX] = { .import = import_argmax },
	[TFL_AVERAGE_POOL_2D] = { .import = import_pool },
	[TFL_CONCATENATION] = { .import = import_concat },
	[TFL_CONV_2D] = { .import = import_conv },
	[TFL_CUSTOM] = { .import = mnet_tfl_import_custom, .alias = 1 },
	[TFL_DEPTHWISE_CONV_2D] = { .import = import_dwconv },
	[TFL_DEQUANTIZE] = { .import = mnet_tfl_import_alias, .alias = 1 },
	[TFL_FULLY_CONNECTED] = { .import = import_fc },
	[TFL_MAX_POOL_2D] = { .import = import_maxpool },
	[TFL_RELU] = { .import = mnet_tfl_import_act },
	[TFL_RELU6] = { .import = mnet_tfl_import_act },
	[TFL_RESHAPE] = { .import = mnet_tfl_import_reshape },
	[TFL_RESIZE_BILINEAR] = { .import = import_resize },
	[TFL_SOFTMAX] = { .import = mnet_tfl_import_softmax },
	[TFL_MEAN] = { .import = import_mean },
	[TFL_PAD] = { .import = mnet_tfl_import_pad, .alias = 1 },
	[TFL_SQUEEZE] = { .import = mnet_tfl_import_reshape },
	[TFL_QUANTIZE] = { .import = mnet_tfl_import_alias, .alias = 1 },
};

static const struct tfl_import *find_import(int32_t code)
{
	if (code < 0 || (size_t)code >= sizeof(imports) / sizeof(imports[0]) ||
	    !imports[code].import)
		return NULL;
	return &imports[code];
}

int mnet_tfl_op_layers(const struct tfl_op *op)
{
	const struct tfl_import *imp = find_import(op->code);

	/* a QUANTIZE inside the graph may become a layer (requant_layer()) */
	if (op->folded)
		return 0;
	if (imp && imp->alias)
		return op->code == TFL_QUANTIZE;
	/* n - 1 two-input layers; a bad count fails in the import */
	if (op->code == TFL_CONCATENATION && op->inputs.n > 2)
		return (int)op->inputs.n - 1;
	return 1;
}

int mnet_tfl_import_op(struct tfl_ctx *c, uint32_t i)
{
	const struct tfl_import *imp = find_import(c->ops[i].code);

	if (c->ops[i].folded)
		return 0;
	if (!imp)
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "operator not supported");
	return imp->import(c, i);
}

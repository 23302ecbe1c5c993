// SPDX-License-Identifier: Apache-2.0
/*
 * tflite_import_eltwise.c - import of the operators without weights:
 * those that keep their input's shape or only its element count
 * (SOFTMAX, RESHAPE / SQUEEZE checked against a constant new shape,
 * stored or folded by tflite_fold.c, RELU / RELU6 left on their own by
 * the converter, QUANTIZE / DEQUANTIZE as aliases) and those that shape
 * the graph rather than compute on the device (PAD, CUSTOM)
 *
 * DOC: PAD and CUSTOM
 *
 * A spatial PAD before a convolution is how converters spell an
 * asymmetric or a larger padding; the IR stores pad_top/pad_left per
 * layer (bottom/right follow from the output size), so the PAD costs no
 * layer and no pass over memory.  A custom operator runs on the host after every device layer;
 * the tensors it reads become device outputs (&struct mnet_model.outputs)
 * and its outputs the model's.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "custom/custom_op.h"
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

/* RELU, RELU6 on their own: an activation layer */
int mnet_tfl_import_act(struct tfl_ctx *c, uint32_t i)
{
	struct mnet_layer *l;
	int ret;

	ret = mnet_tfl_new_layer(c, i, MNET_OP_ACT, &l);
	if (ret)
		return ret;
	l->act = c->ops[i].code == TFL_RELU6 ? MNET_ACT_RELU6 : MNET_ACT_RELU;
	if (memcmp(&l->in_shape, &l->out_shape, sizeof(l->in_shape)))
		return mnet_tfl_op_err(c, i, -EINVAL, "output shape differs from the input shape");
	return 0;
}

int mnet_tfl_import_softmax(struct tfl_ctx *c, uint32_t i)
{
	struct mnet_fb_table ot;
	struct mnet_layer *l;
	int ret;

	ret = mnet_tfl_new_layer(c, i, MNET_OP_SOFTMAX, &l);
	if (ret)
		return ret;
	ret = mnet_tfl_get_opts(c, i, TFL_OPT_SOFTMAX, &ot);
	if (ret)
		return ret;
	/* schema default 0.0, as TFLite itself reads an absent beta */
	if (mnet_fb_f32(&ot, 0, 0.0f, &l->beta))
		return mnet_tfl_fb_err(c, "op %u SoftmaxOptions", i);
	if (!isfinite(l->beta))
		return mnet_tfl_op_err(c, i, -EINVAL, "beta is not finite");
	return 0;
}

/*
 * RESHAPE's new shape, where a constant (stored, or folded from the
 * file's shape arithmetic) gives it: the output tensor must be that shape.
 */
static int check_new_shape(struct tfl_ctx *c, uint32_t i)
{
	const struct tfl_op *op = &c->ops[i];
	int32_t s = op_in(op, 1), o = mnet_fb_vec_i32(&op->outputs, 0);
	const struct tfl_tensor *st, *ot = &c->t[o];
	int64_t v, known = 1, total = 1;
	int k, n, free_dim = -1;

	if (op->code != TFL_RESHAPE || s < 0 || !c->t[s].data ||
	    c->t[s].type != TFL_INT32 || c->t[s].rank != 1)
		return 0;
	st = &c->t[s];
	n = st->dims[0];
	if (n < 0 || (uint64_t)n * 4 > st->bytes || n != ot->rank || n > 4)
		return mnet_tfl_op_err(c, i, -EINVAL, "new shape %s does not match output %s",
				       mnet_tfl_label(c, (uint32_t)s),
				       mnet_tfl_label(c, (uint32_t)o));
	for (k = 0; k < n; k++) {
		total *= ot->dims[k];
		v = mnet_tfl_raw_int(st->data + 4 * k, TFL_INT32);
		if (v == -1 && free_dim < 0)
			free_dim = k;
		else if (v != ot->dims[k] || v < 0)
			return mnet_tfl_op_err(c, i, -EINVAL, "new shape's dimension %d is %lld, output %s has %d",
					       k, (long long)v,
					       mnet_tfl_label(c, (uint32_t)o),
					       ot->dims[k]);
		else
			known *= v;
	}
	if (free_dim >= 0 && known * ot->dims[free_dim] != total)
		return mnet_tfl_op_err(c, i, -EINVAL, "new shape does not match output %s",
				       mnet_tfl_label(c, (uint32_t)o));
	return 0;
}

int mnet_tfl_import_reshape(struct tfl_ctx *c, uint32_t i)
{
	struct mnet_layer *l;
	int ret;

	ret = mnet_tfl_new_layer(c, i, MNET_OP_RESHAPE, &l);
	if (ret)
		return ret;
	ret = check_new_shape(c, i);
	if (ret)
		return ret;
	if (mnet_shape_elems(l->in_shape) != mnet_shape_elems(l->out_shape))
		return mnet_tfl_op_err(c, i, -EINVAL, "%dx%dx%d -> %dx%dx%d changes the element count",
				       l->in_shape.h, l->in_shape.w,
				       l->in_shape.c, l->out_shape.h,
				       l->out_shape.w, l->out_shape.c);
	return 0;
}

/*
 * A convolution reading a folded PAD: its window (SAME or VALID) was
 * computed on the padded shape; the layer reads the unpadded tensor and
 * adds the PAD's top/left to its own (bottom/right follow from the output
 * size, as the IR has them).  Zero padding is zero padding, whoever adds
 * it, as long as the whole of it stays within one kernel.
 */
int mnet_tfl_fold_pad(struct tfl_ctx *c, uint32_t i, struct mnet_layer *l)
{
	int32_t in = op_in(&c->ops[i], 0);
	const struct tfl_pad *pad = &c->pad[in];
	int oh = l->out_shape.h, ow = l->out_shape.w, bottom, right;

	if (in < 0 || pad->src < 0)
		return 0;
	l->in_shape = c->m->tensors[l->in].shape;
	l->pad_top += pad->top;
	l->pad_left += pad->left;
	bottom = (oh - 1) * l->stride_h + l->kh - l->in_shape.h - l->pad_top;
	right = (ow - 1) * l->stride_w + l->kw - l->in_shape.w - l->pad_left;
	if (l->pad_top >= l->kh || l->pad_left >= l->kw || bottom >= l->kh ||
	    right >= l->kw)
		return mnet_tfl_op_err(c, pad->op, -EOPNOTSUPP, "cannot be folded into op %u: its padding and the convolution's (top %d, left %d, bottom %d, right %d) reach past the %dx%d kernel",
				       i, l->pad_top, l->pad_left, bottom,
				       right, l->kh, l->kw);
	return 0;
}

/*
 * PAD: no layer.  A spatial zero pad (TFLite pads a quantized tensor with
 * its zero point, the real 0) whose only reader is a CONV_2D or
 * DEPTHWISE_CONV_2D with VALID padding becomes that layer's explicit
 * pad_top/pad_left (fold_pad()); any other PAD is an error naming it.
 */
int mnet_tfl_import_pad(struct tfl_ctx *c, uint32_t i)
{
	const struct tfl_op *op = &c->ops[i];
	int32_t in = op_in(op, 0), o, p[8];
	const struct tfl_tensor *pt;
	struct mnet_quant qi, qo;
	uint32_t j, k, readers = 0, reader = 0;
	uint64_t n;
	int ret;

	if (in < 0 || op->outputs.n < 1)
		return mnet_tfl_op_err(c, i, -EINVAL, "needs an input and an output tensor");
	o = mnet_fb_vec_i32(&op->outputs, 0);
	if (c->map[in] < 0 || c->pad[in].src >= 0)
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "input %s is not computed by an earlier op (or is another PAD); such a PAD cannot be folded",
				       mnet_tfl_label(c, (uint32_t)in));
	if (c->map[o] >= 0 || c->src[o] >= 0 || c->t[o].data)
		return mnet_tfl_op_err(c, i, -EINVAL, "output %s is already defined",
				       mnet_tfl_label(c, (uint32_t)o));
	ret = mnet_tfl_get_const(c, i, 1, "paddings", &pt, &n);
	if (ret)
		return ret;
	if ((pt->type != TFL_INT32 && pt->type != TFL_INT64) || n != 8)
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "paddings are %llu values of type %s; a 4x2 integer tensor is supported",
				       (unsigned long long)n,
				       mnet_tfl_type_name(pt->type));
	for (k = 0; k < 8; k++) {
		int64_t v = mnet_tfl_raw_int(pt->data + k *
					     mnet_tfl_type_size(pt->type),
					     pt->type);

		if (v < 0 || v > 64)
			return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "padding %lld; 0..64 is supported",
					       (long long)v);
		p[k] = (int32_t)v;
	}
	if (p[0] || p[1] || p[6] || p[7])
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "cannot be folded into a convolution: it pads the batch or the channels");
	mnet_tfl_act_quant(c, (uint32_t)in, &qi);
	mnet_tfl_act_quant(c, (uint32_t)o, &qo);
	if (qi.type != qo.type || qi.scale != qo.scale ||
	    qi.zero_point != qo.zero_point)
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "cannot be folded into a convolution: input and output quantization differ");
	for (k = 0; k < c->n_outputs; k++)
		if (c->outputs[k] == (uint32_t)o)
			return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "cannot be folded into a convolution: its output is a model output");
	for (j = i + 1; j < c->n_ops; j++)
		for (k = 0; k < c->ops[j].inputs.n; k++)
			if (mnet_fb_vec_i32(&c->ops[j].inputs, k) == o) {
				readers++;
				reader = j;
			}
	if (readers != 1 || (c->ops[reader].code != TFL_CONV_2D &&
			     c->ops[reader].code != TFL_DEPTHWISE_CONV_2D) ||
	    op_in(&c->ops[reader], 0) != o)
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "cannot be folded into a convolution: %u operators read its output%s",
				       readers, readers == 1 ?
				       ", and it is not a CONV_2D or DEPTHWISE_CONV_2D's input" :
				       "");
	c->pad[o] = (struct tfl_pad){ .src = in, .top = p[2],
				      .bottom = p[3], .left = p[4],
				      .right = p[5], .op = i };
	return 0;
}

/*
 * CUSTOM: no device layer.  The registry's operator of that name runs on
 * the host after the device layers (runtime/custom/); its inputs become
 * outputs of the device graph, its outputs can only be the model's.
 */
int mnet_tfl_import_custom(struct tfl_ctx *c, uint32_t i)
{
	const struct tfl_op *op = &c->ops[i];
	const struct mnet_custom_op_ops *ops;
	struct mnet_custom_layer *cl;
	struct mnet_shape in_shape[MNET_CUSTOM_MAX_IO];
	char what[160];
	uint32_t k;
	int ret;

	ops = mnet_custom_op_find(op->custom, op->custom_len);
	if (!ops)
		return mnet_tfl_err(c, -EOPNOTSUPP, "op %u CUSTOM '%.*s': custom operator not supported (the registry has %s)",
				    i, op->custom_len > 60 ? 60 :
				    (int)op->custom_len,
				    op->custom ? op->custom : "",
				    mnet_custom_op_names());
	if (c->n_custom >= c->m->n_custom)
		return mnet_tfl_op_err(c, i, -EFBIG, "too many custom operators");
	snprintf(what, sizeof(what), "%s: op %u %s", c->file, i, ops->name);
	if (op->inputs.n != (uint32_t)ops->n_in ||
	    op->outputs.n != (uint32_t)ops->n_out)
		return mnet_err_set(c->err, -EINVAL, "%s: %u inputs and %u outputs; it takes %d and gives %d",
				    what, op->inputs.n, op->outputs.n,
				    ops->n_in, ops->n_out);
	cl = &c->m->custom[c->n_custom];
	cl->run = ops->run;
	cl->op_index = (int)i;
	snprintf(cl->name, sizeof(cl->name), "%s", ops->name);
	for (k = 0; k < op->inputs.n; k++) {
		int32_t t = op_in(op, k);

		if (t < 0 || c->map[t] < 0)
			return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "input %u is not computed by a device layer; a custom operator reads device outputs only",
					       k);
		cl->in[k] = c->map[t];
		in_shape[k] = c->m->tensors[cl->in[k]].shape;
	}
	cl->n_in = (int)op->inputs.n;
	cl->n_out = (int)op->outputs.n;
	ret = ops->parse(mnet_fb_vec_data(&op->custom_opts), op->custom_opts.n,
			 &cl->state, what, c->err);
	if (ret)
		return ret;
	cl->free_state = ops->free;
	c->n_custom++;	/* mnet_model_free() frees the state from here on */
	ret = ops->shapes(cl->state, in_shape, cl->n_in, cl->out_shape,
			  cl->n_out, what, c->err);
	if (ret)
		return ret;
	cl->scratch = ops->scratch ? ops->scratch(cl->state, in_shape,
						  cl->n_in) : 0;
	for (k = 0; k < op->outputs.n; k++) {
		int32_t t = mnet_fb_vec_i32(&op->outputs, k);

		if (c->map[t] >= 0 || c->src[t] >= 0 || c->cust_of[t] >= 0 ||
		    c->t[t].data)
			return mnet_tfl_op_err(c, i, -EINVAL, "output %s is already defined",
					       mnet_tfl_label(c, (uint32_t)t));
		c->cust_of[t] = c->n_custom - 1;
		mnet_tfl_copy_name(cl->out_name[k], sizeof(cl->out_name[k]),
				   &c->t[t], "custom", (int)k);
	}
	return 0;
}

/*
 * A QUANTIZE between two 8-bit encodings inside the graph (DeepLab's, in
 * front of its CONCATENATION): a RESHAPE, the identity on real values,
 * which the integer backends compute as TFLite's QUANTIZE requantizes.
 */
static int requant_layer(struct tfl_ctx *c, uint32_t i)
{
	struct mnet_layer *l;

	return mnet_tfl_new_layer(c, i, MNET_OP_RESHAPE, &l);
}

/*
 * int8 <-> uint8 at one scale with zero points 128 apart: the same real
 * values, each code moved by 128, which TFLite's requantization does
 * exactly; an alias, not a requant_layer(): the integer graph keeps the
 * int8 side and what reads it as real values (the session's outputs, a
 * custom op such as PoseNet's decoder) sees the file's values.
 */
static int reencodes(const struct mnet_quant *a, const struct mnet_quant *b)
{
	int32_t d = b->zero_point - a->zero_point;

	return a->type != MNET_QTYPE_NONE && b->type != MNET_QTYPE_NONE &&
	       a->type != b->type && a->scale == b->scale &&
	       d == (b->type == MNET_QTYPE_UINT8 ? 128 : -128);
}

/* QUANTIZE / DEQUANTIZE: identity on real values, so alias the tensors. */
int mnet_tfl_import_alias(struct tfl_ctx *c, uint32_t i)
{
	const struct tfl_op *op = &c->ops[i];
	int32_t in = op_in(op, 0), o;
	struct mnet_tensor *t;
	struct mnet_shape s;
	struct mnet_quant q;
	int ret;

	if (in < 0 || op->outputs.n < 1)
		return mnet_tfl_op_err(c, i, -EINVAL, "needs an input and an output tensor");
	o = mnet_fb_vec_i32(&op->outputs, 0);
	if (c->map[o] >= 0 || c->src[o] >= 0 || c->t[o].data)
		return mnet_tfl_op_err(c, i, -EINVAL, "output %s is already defined",
				       mnet_tfl_label(c, (uint32_t)o));
	if (c->map[in] < 0) {
		if (mnet_tfl_const_tensor(c, in) < 0)
			return mnet_tfl_op_err(c, i, -EINVAL, "input %s is neither the model input nor computed by an earlier op",
					       mnet_tfl_label(c, (uint32_t)in));
		/* fp16/int8 weights */
		c->src[o] = mnet_tfl_const_tensor(c, in);
		return 0;
	}
	ret = mnet_tfl_act_shape(c, i, (uint32_t)o, &s);
	if (ret)
		return ret;
	if (memcmp(&s, &c->m->tensors[c->map[in]].shape, sizeof(s)))
		return mnet_tfl_op_err(c, i, -EINVAL, "output shape differs from the input shape");
	mnet_tfl_act_quant(c, (uint32_t)o, &q);
	t = &c->m->tensors[c->map[in]];
	if (q.type != MNET_QTYPE_NONE &&
	    (q.type != t->q.type || q.scale != t->q.scale ||
	     q.zero_point != t->q.zero_point)) {
		/* the integer graph starts here: the session quantizes */
		if (c->map[in] == 0 && c->n_layers == 0)
			t->q = q;
		else if ((uint32_t)o != c->output && t->q.type == MNET_QTYPE_NONE)
			mnet_tfl_int8_block(c, "op %u: QUANTIZE of a float tensor inside the graph", i);
		else if ((uint32_t)o != c->output && !reencodes(&t->q, &q))
			return requant_layer(c, i);
	}
	c->map[o] = c->map[in];
	return 0;
}

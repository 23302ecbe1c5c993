// SPDX-License-Identifier: Apache-2.0
/*
 * ref_q_layer.c - IR layers of a quantized model computed by the integer
 * reference kernels
 *
 * DOC: integer reference layers
 *
 * One table indexed by &enum mnet_op gives each op's prepare() (TFLite's
 * Prepare(): the multipliers and shifts derived from the file's float
 * scales, in double precision exactly where TFLite uses double and in
 * float where it multiplies floats first) and run() (the host/ref_q
 * kernel over 8-bit arrays).  How TFLite derives a convolution's
 * multiplier depends on the file: per-tensor uint8 files go through
 * GetQuantizedConvolutionMultipler (float input_scale * filter_scale, then
 * double), int8 files through PopulateConvolutionQuantizationParams (all
 * double, per channel); a fully connected layer with one weight scale
 * always takes the former.  And FULLY_CONNECTED requantizes with a single
 * rounding (the inat files' classifiers: with the two roundings of the
 * convolutions, 3 of 1022 logits of one photo are one unit off).  Checked
 * on uint8 files only: no shared file has an int8 fully connected layer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "reference/ref_q_layer.h"

static int q_signed(const struct mnet_quant *q)
{
	return q->type == MNET_QTYPE_INT8;
}

static int q_same(const struct mnet_quant *a, const struct mnet_quant *b)
{
	return a->type == b->type && a->scale == b->scale &&
	       a->zero_point == b->zero_point;
}

static int q_act(enum mnet_act act)
{
	static const int map[] = {
		[MNET_ACT_NONE] = 0,
		[MNET_ACT_RELU] = 1,
		[MNET_ACT_RELU6] = 2,
	};

	return (unsigned int)act < sizeof(map) / sizeof(map[0]) ? map[act] : 0;
}

/* in_scale * w_scale / out_scale as TFLite computes it for this layer */
static double conv_real(const struct mnet_quant *qi, float ws,
			const struct mnet_quant *qo, int float_product)
{
	if (float_product)
		return (double)(qi->scale * ws) / (double)qo->scale;
	return (double)qi->scale * (double)ws / (double)qo->scale;
}

static int conv_common(const struct mnet_model *m, int i,
		       struct mnet_ref_q_layer *ql, struct mnet_err *err,
		       int fc)
{
	const struct mnet_layer *l = &m->layers[i];
	const struct mnet_quant *qi = &m->tensors[l->in].q;
	const struct mnet_quant *qo = &m->tensors[l->out].q;
	const struct mnet_layer_q *lq = l->q;
	struct mnet_qk_conv *p = &ql->k.conv;
	int n = l->out_shape.c, c, float_product;

	if (!lq || !lq->weights)
		return mnet_err_set(err, -EOPNOTSUPP, "ref int8: %s: layer %d (%s): no 8-bit weights (released?)",
				    m->name, i, l->name);
	if (lq->n_w_scale != 1 && lq->n_w_scale != n)
		return mnet_err_set(err, -EINVAL, "ref int8: %s: layer %d (%s): %d weight scales for %d channels",
				    m->name, i, l->name, lq->n_w_scale, n);
	float_product = fc ? lq->n_w_scale == 1 : qi->type == MNET_QTYPE_UINT8;
	ql->mult = calloc((size_t)n, sizeof(*ql->mult));
	ql->shift = calloc((size_t)n, sizeof(*ql->shift));
	if (!ql->mult || !ql->shift)
		return mnet_err_set(err, -ENOMEM, "ref int8: out of memory");
	for (c = 0; c < n; c++)
		mnet_qk_quantize_multiplier(conv_real(qi,
					lq->w_scale[lq->n_w_scale > 1 ? c : 0],
					qo, float_product),
					&ql->mult[c], &ql->shift[c]);
	*p = (struct mnet_qk_conv){
		.ih = l->in_shape.h, .iw = l->in_shape.w, .ic = l->in_shape.c,
		.oh = l->out_shape.h, .ow = l->out_shape.w, .oc = n,
		.kh = l->kh, .kw = l->kw, .sh = l->stride_h, .sw = l->stride_w,
		.pt = l->pad_top, .pl = l->pad_left,
		.in_zp = qi->zero_point, .w_zp = lq->w_zero_point,
		.out_zp = qo->zero_point,
		.in_signed = q_signed(qi),
		.w_signed = lq->w_type == MNET_QTYPE_INT8,
		.out_signed = q_signed(qo),
		.mult = ql->mult, .shift = ql->shift,
		.dil_h = l->dil_h, .dil_w = l->dil_w,
	};
	if (fc) {
		p->single_round = 1;
		p->ih = p->iw = p->oh = p->ow = 1;
		p->ic = (int)mnet_shape_elems(l->in_shape);
		p->kh = p->kw = p->sh = p->sw = 1;
		p->pt = p->pl = 0;
	}
	mnet_qk_act_range(q_act(l->act), qo->scale, qo->zero_point,
			  p->out_signed, &p->act_min, &p->act_max);
	return 0;
}

static int prep_conv(const struct mnet_model *m, int i,
		     struct mnet_ref_q_layer *ql, struct mnet_err *err)
{
	return conv_common(m, i, ql, err, 0);
}

static int prep_fc(const struct mnet_model *m, int i,
		   struct mnet_ref_q_layer *ql, struct mnet_err *err)
{
	return conv_common(m, i, ql, err, 1);
}

static int prep_pool(const struct mnet_model *m, int i,
		     struct mnet_ref_q_layer *ql, struct mnet_err *err)
{
	const struct mnet_layer *l = &m->layers[i];
	const struct mnet_quant *qi = &m->tensors[l->in].q;
	const struct mnet_quant *qo = &m->tensors[l->out].q;
	struct mnet_qk_pool *p = &ql->k.pool;

	*p = (struct mnet_qk_pool){
		.ih = l->in_shape.h, .iw = l->in_shape.w, .c = l->in_shape.c,
		.oh = l->out_shape.h, .ow = l->out_shape.w,
		.kh = l->kh, .kw = l->kw, .sh = l->stride_h, .sw = l->stride_w,
		.pt = l->pad_top, .pl = l->pad_left,
		.is_signed = q_signed(qi), .mean = l->mean,
		.in_zp = qi->zero_point, .out_zp = qo->zero_point,
	};
	if (qi->type != qo->type)
		return mnet_err_set(err, -EINVAL, "ref int8: %s: layer %d (%s): input and output types differ",
				    m->name, i, l->name);
	if (l->mean && qi->type != MNET_QTYPE_INT8)
		return mnet_err_set(err, -EOPNOTSUPP, "ref int8: %s: layer %d (%s): a uint8 MEAN is not supported",
				    m->name, i, l->name);
	if (!l->mean && !q_same(qi, qo))
		return mnet_err_set(err, -EINVAL, "ref int8: %s: layer %d (%s): average pool changes the quantization",
				    m->name, i, l->name);
	if (l->mean)
		mnet_qk_mean_params((double)qi->scale / (double)qo->scale,
				    l->kh * l->kw, &p->mult, &p->shift);
	mnet_qk_act_range(l->mean ? 0 : q_act(l->act), qo->scale,
			  qo->zero_point, p->is_signed, &p->act_min,
			  &p->act_max);
	return 0;
}

static int prep_softmax(const struct mnet_model *m, int i,
			struct mnet_ref_q_layer *ql, struct mnet_err *err)
{
	const struct mnet_layer *l = &m->layers[i];
	const struct mnet_quant *qi = &m->tensors[l->in].q;
	const struct mnet_quant *qo = &m->tensors[l->out].q;

	if (qo->scale != 1.0f / 256 ||
	    qo->zero_point != (q_signed(qo) ? -128 : 0))
		return mnet_err_set(err, -EINVAL, "ref int8: %s: layer %d (%s): softmax output scale %g zero point %d; TFLite requires 1/256 and the type's minimum",
				    m->name, i, l->name, (double)qo->scale,
				    (int)qo->zero_point);
	mnet_qk_softmax_params((double)l->beta, (double)qi->scale, &ql->k.sm);
	ql->k.sm.in_signed = q_signed(qi);
	ql->k.sm.out_signed = q_signed(qo);
	return 0;
}

/* RESHAPE, or a QUANTIZE between encodings: TFLite's Requantize. */
static int prep_reshape(const struct mnet_model *m, int i,
			struct mnet_ref_q_layer *ql, struct mnet_err *err)
{
	const struct mnet_layer *l = &m->layers[i];
	const struct mnet_quant *qi = &m->tensors[l->in].q;
	const struct mnet_quant *qo = &m->tensors[l->out].q;
	struct mnet_ref_q_requant *r = &ql->k.rq;

	r->same = q_same(qi, qo);
	if (r->same)
		return 0;
	r->in_signed = q_signed(qi);
	r->out_signed = q_signed(qo);
	r->in_zp = qi->zero_point;
	r->out_zp = qo->zero_point;
	mnet_qk_quantize_multiplier((double)qi->scale / (double)qo->scale,
				    &r->mult, &r->shift);
	return 0;
}

static int prep_resize(const struct mnet_model *m, int i,
		       struct mnet_ref_q_layer *ql, struct mnet_err *err)
{
	const struct mnet_layer *l = &m->layers[i];
	const struct mnet_quant *qi = &m->tensors[l->in].q;

	if (!q_same(qi, &m->tensors[l->out].q))
		return mnet_err_set(err, -EINVAL, "ref int8: %s: layer %d (%s): RESIZE_BILINEAR changes the quantization",
				    m->name, i, l->name);
	/* TFLite's int8 kernel computes otherwise; no shared file has one */
	if (q_signed(qi))
		return mnet_err_set(err, -EOPNOTSUPP, "ref int8: %s: layer %d (%s): an int8 RESIZE_BILINEAR is not supported (uint8 is)",
				    m->name, i, l->name);
	ql->k.resize = (struct mnet_qk_resize){
		.ih = l->in_shape.h, .iw = l->in_shape.w, .c = l->in_shape.c,
		.oh = l->out_shape.h, .ow = l->out_shape.w,
		.align_corners = l->align_corners, .half_pixel = l->half_pixel,
	};
	return 0;
}

static int prep_concat(const struct mnet_model *m, int i,
		       struct mnet_ref_q_layer *ql, struct mnet_err *err)
{
	const struct mnet_layer *l = &m->layers[i];
	const struct mnet_quant *qa = &m->tensors[l->in].q;
	const struct mnet_quant *qb = &m->tensors[l->in2].q;
	const struct mnet_quant *qo = &m->tensors[l->out].q;
	struct mnet_qk_concat *p = &ql->k.cat;

	if (qa->type != qo->type || qb->type != qo->type)
		return mnet_err_set(err, -EINVAL, "ref int8: %s: layer %d (%s): operand types differ",
				    m->name, i, l->name);
	if (l->act != MNET_ACT_NONE)
		return mnet_err_set(err, -EOPNOTSUPP, "ref int8: %s: layer %d (%s): a fused activation on CONCATENATION is not supported",
				    m->name, i, l->name);
	if (q_signed(qo) && (!q_same(qa, qo) || !q_same(qb, qo)))
		return mnet_err_set(err, -EINVAL, "ref int8: %s: layer %d (%s): int8 CONCATENATION inputs must share the output's quantization (as TFLite requires)",
				    m->name, i, l->name);
	mnet_qk_concat_params(l->in_shape.c, qa->scale, qa->zero_point,
			      qo->scale, qo->zero_point, &p->a);
	mnet_qk_concat_params(m->tensors[l->in2].shape.c, qb->scale,
			      qb->zero_point, qo->scale, qo->zero_point, &p->b);
	p->out_zp = qo->zero_point;
	p->is_signed = q_signed(qo);
	return 0;
}

static int prep_argmax(const struct mnet_model *m, int i,
		       struct mnet_ref_q_layer *ql, struct mnet_err *err)
{
	const struct mnet_layer *l = &m->layers[i];

	if (l->in_shape.c > 256)
		return mnet_err_set(err, -EOPNOTSUPP, "ref int8: %s: layer %d (%s): ARG_MAX over %d channels; at most 256 are supported",
				    m->name, i, l->name, l->in_shape.c);
	ql->k.argmax_signed = q_signed(&m->tensors[l->in].q);
	return 0;
}

static int prep_add(const struct mnet_model *m, int i,
		    struct mnet_ref_q_layer *ql, struct mnet_err *err)
{
	const struct mnet_layer *l = &m->layers[i];
	const struct mnet_quant *qa = &m->tensors[l->in].q;
	const struct mnet_quant *qb = &m->tensors[l->in2].q;
	const struct mnet_quant *qo = &m->tensors[l->out].q;
	struct mnet_qk_add *p = &ql->k.add;

	if (qa->type != qo->type || qb->type != qo->type)
		return mnet_err_set(err, -EINVAL, "ref int8: %s: layer %d (%s): operand types differ",
				    m->name, i, l->name);
	mnet_qk_add_params(qa->scale, qb->scale, qo->scale, p);
	p->a_zp = qa->zero_point;
	p->b_zp = qb->zero_point;
	p->out_zp = qo->zero_point;
	p->is_signed = q_signed(qo);
	mnet_qk_act_range(q_act(l->act), qo->scale, qo->zero_point,
			  p->is_signed, &p->act_min, &p->act_max);
	return 0;
}

static int prep_relu(const struct mnet_model *m, int i,
		     struct mnet_ref_q_layer *ql, struct mnet_err *err)
{
	const struct mnet_layer *l = &m->layers[i];
	const struct mnet_quant *qi = &m->tensors[l->in].q;
	const struct mnet_quant *qo = &m->tensors[l->out].q;
	struct mnet_qk_relu *p = &ql->k.relu;

	if (qi->type != qo->type)
		return mnet_err_set(err, -EINVAL, "ref int8: %s: layer %d (%s): input and output types differ",
				    m->name, i, l->name);
	/* ReluPrepare: the quotient of the two float scales, in float */
	mnet_qk_quantize_multiplier((double)(qi->scale / qo->scale), &p->mult,
				    &p->shift);
	p->in_zp = qi->zero_point;
	p->out_zp = qo->zero_point;
	p->is_signed = q_signed(qo);
	mnet_qk_act_range(q_act(l->act), qo->scale, qo->zero_point,
			  p->is_signed, &p->act_min, &p->act_max);
	return 0;
}

static void run_conv(const struct mnet_layer *l,
		     const struct mnet_ref_q_layer *ql, const uint8_t *in,
		     const uint8_t *in2, uint8_t *out)
{
	mnet_qk_conv2d(&ql->k.conv, in, l->q->weights, l->q->bias, out);
}

static void run_dwconv(const struct mnet_layer *l,
		       const struct mnet_ref_q_layer *ql, const uint8_t *in,
		       const uint8_t *in2, uint8_t *out)
{
	mnet_qk_dwconv2d(&ql->k.conv, in, l->q->weights, l->q->bias, out);
}

static void run_pool(const struct mnet_layer *l,
		     const struct mnet_ref_q_layer *ql, const uint8_t *in,
		     const uint8_t *in2, uint8_t *out)
{
	mnet_qk_avgpool(&ql->k.pool, in, out);
}

static void run_maxpool(const struct mnet_layer *l,
			const struct mnet_ref_q_layer *ql, const uint8_t *in,
			const uint8_t *in2, uint8_t *out)
{
	mnet_qk_maxpool(&ql->k.pool, in, out);
}

static void run_relu(const struct mnet_layer *l,
		     const struct mnet_ref_q_layer *ql, const uint8_t *in,
		     const uint8_t *in2, uint8_t *out)
{
	mnet_qk_relu(&ql->k.relu, mnet_shape_elems(l->out_shape), in, out);
}

static void run_softmax(const struct mnet_layer *l,
			const struct mnet_ref_q_layer *ql, const uint8_t *in,
			const uint8_t *in2, uint8_t *out)
{
	mnet_qk_softmax(&ql->k.sm,
			(size_t)l->out_shape.h * (size_t)l->out_shape.w,
			l->out_shape.c, in, out);
}

static void run_reshape(const struct mnet_layer *l,
			const struct mnet_ref_q_layer *ql, const uint8_t *in,
			const uint8_t *in2, uint8_t *out)
{
	const struct mnet_ref_q_requant *r = &ql->k.rq;

	if (r->same)
		memcpy(out, in, mnet_shape_elems(l->out_shape));
	else
		mnet_qk_requantize(mnet_shape_elems(l->out_shape),
				   r->in_signed, r->in_zp, r->out_signed,
				   r->out_zp, r->mult, r->shift, in, out);
}

static void run_resize(const struct mnet_layer *l,
		       const struct mnet_ref_q_layer *ql, const uint8_t *in,
		       const uint8_t *in2, uint8_t *out)
{
	mnet_qk_resize_bilinear(&ql->k.resize, in, out);
}

static void run_concat(const struct mnet_layer *l,
		       const struct mnet_ref_q_layer *ql, const uint8_t *in,
		       const uint8_t *in2, uint8_t *out)
{
	mnet_qk_concat(&ql->k.cat,
		       (size_t)l->out_shape.h * (size_t)l->out_shape.w, in,
		       in2, out);
}

static void run_argmax(const struct mnet_layer *l,
		       const struct mnet_ref_q_layer *ql, const uint8_t *in,
		       const uint8_t *in2, uint8_t *out)
{
	mnet_qk_argmax((size_t)l->out_shape.h * (size_t)l->out_shape.w,
		       l->in_shape.c, ql->k.argmax_signed, in, out);
}

static void run_add(const struct mnet_layer *l,
		    const struct mnet_ref_q_layer *ql, const uint8_t *in,
		    const uint8_t *in2, uint8_t *out)
{
	mnet_qk_add(&ql->k.add, mnet_shape_elems(l->out_shape), in, in2, out);
}

/*
 * One entry per op: how TFLite prepares it, and its integer kernel;
 * @index_out: the output holds indices (one byte each), not quantized
 * values.
 */
static const struct ref_q_op {
	int (*prepare)(const struct mnet_model *m, int i,
		       struct mnet_ref_q_layer *ql, struct mnet_err *err);
	void (*run)(const struct mnet_layer *l,
		    const struct mnet_ref_q_layer *ql, const uint8_t *in,
		    const uint8_t *in2, uint8_t *out);
	int index_out;
} ref_q_ops[MNET_OP_COUNT] = {
	[MNET_OP_CONV2D] = { .prepare = prep_conv, .run = run_conv },
	[MNET_OP_DWCONV2D] = { .prepare = prep_conv, .run = run_dwconv },
	[MNET_OP_PWCONV2D] = { .prepare = prep_conv, .run = run_conv },
	[MNET_OP_AVGPOOL] = { .prepare = prep_pool, .run = run_pool },
	[MNET_OP_FC] = { .prepare = prep_fc, .run = run_conv },
	[MNET_OP_SOFTMAX] = { .prepare = prep_softmax, .run = run_softmax },
	[MNET_OP_RESHAPE] = { .prepare = prep_reshape, .run = run_reshape },
	[MNET_OP_ADD] = { .prepare = prep_add, .run = run_add },
	[MNET_OP_DWCONV2D_DIL] = { .prepare = prep_conv, .run = run_dwconv },
	[MNET_OP_RESIZE_BILINEAR] = { .prepare = prep_resize,
				      .run = run_resize },
	[MNET_OP_CONCAT] = { .prepare = prep_concat, .run = run_concat },
	[MNET_OP_ARGMAX] = { .prepare = prep_argmax, .run = run_argmax,
			     .index_out = 1 },
	[MNET_OP_MAXPOOL] = { .prepare = prep_pool, .run = run_maxpool },
	[MNET_OP_ACT] = { .prepare = prep_relu, .run = run_relu },
};

int mnet_ref_q_layer_prepare(const struct mnet_model *m, int i,
			     struct mnet_ref_q_layer *ql,
			     struct mnet_err *err)
{
	const struct mnet_layer *l = &m->layers[i];

	memset(ql, 0, sizeof(*ql));
	if ((unsigned int)l->op >= MNET_OP_COUNT || !ref_q_ops[l->op].prepare)
		return mnet_err_set(err, -EOPNOTSUPP, "ref int8: %s: layer %d (%s): op %s has no integer kernel",
				    m->name, i, l->name, mnet_op_name(l->op));
	if (m->tensors[l->in].q.type == MNET_QTYPE_NONE ||
	    (l->in2 >= 0 && m->tensors[l->in2].q.type == MNET_QTYPE_NONE) ||
	    (m->tensors[l->out].q.type == MNET_QTYPE_NONE) !=
	    ref_q_ops[l->op].index_out)
		return mnet_err_set(err, -EINVAL, "ref int8: %s: layer %d (%s): float tensors",
				    m->name, i, l->name);
	return ref_q_ops[l->op].prepare(m, i, ql, err);
}

void mnet_ref_q_layer_release(struct mnet_ref_q_layer *ql)
{
	free(ql->mult);
	free(ql->shift);
	ql->mult = NULL;
	ql->shift = NULL;
}

int mnet_ref_q_layer_run(const struct mnet_layer *l,
			 const struct mnet_ref_q_layer *ql, const uint8_t *in,
			 const uint8_t *in2, uint8_t *out)
{
	if ((unsigned int)l->op >= MNET_OP_COUNT || !ref_q_ops[l->op].run)
		return -EINVAL;
	ref_q_ops[l->op].run(l, ql, in, in2, out);
	return 0;
}

/* QUANTIZE between two 8-bit encodings, as TFLite prepares and runs it */
static void q_requant(size_t n, const struct mnet_quant *from,
		      const struct mnet_quant *to, const uint8_t *in,
		      uint8_t *out)
{
	int32_t mult;
	int shift;

	mnet_qk_quantize_multiplier((double)from->scale / (double)to->scale,
				    &mult, &shift);
	mnet_qk_requantize(n, q_signed(from), from->zero_point, q_signed(to),
			   to->zero_point, mult, shift, in, out);
}

void mnet_ref_q_input(const struct mnet_model *m, const float *x,
		      uint8_t *tmp, uint8_t *dst)
{
	const struct mnet_quant *fq = &m->input_q, *tq = &m->tensors[m->input].q;
	size_t n = mnet_shape_elems(m->tensors[m->input].shape);

	if (fq->type == MNET_QTYPE_NONE) {
		mnet_qk_quantize(n, x, tq->scale, tq->zero_point, q_signed(tq),
				 dst);
		return;
	}
	if (q_same(fq, tq)) {
		mnet_qk_quantize(n, x, fq->scale, fq->zero_point, q_signed(fq),
				 dst);
		return;
	}
	mnet_qk_quantize(n, x, fq->scale, fq->zero_point, q_signed(fq), tmp);
	q_requant(n, fq, tq, tmp, dst);
}

int mnet_ref_q_input_raw(const struct mnet_model *m, const uint8_t *raw,
			 uint8_t *dst)
{
	const struct mnet_quant *fq = &m->input_q, *tq = &m->tensors[m->input].q;
	size_t n = mnet_shape_elems(m->tensors[m->input].shape);

	if (fq->type == MNET_QTYPE_NONE)
		return -EOPNOTSUPP;	/* the file's input is float */
	if (q_same(fq, tq))
		memcpy(dst, raw, n);
	else
		q_requant(n, fq, tq, raw, dst);
	return 0;
}

void mnet_ref_q_output(const struct mnet_model *m, const uint8_t *src,
		       uint8_t *tmp, float *out)
{
	const struct mnet_quant *fq = &m->output_q, *tq = &m->tensors[m->output].q;
	size_t n = mnet_shape_elems(m->tensors[m->output].shape), k;

	if (tq->type == MNET_QTYPE_NONE) {	/* ARG_MAX's class indices */
		for (k = 0; k < n; k++)
			out[k] = (float)src[k];
		return;
	}
	if (fq->type == MNET_QTYPE_NONE || q_same(fq, tq)) {
		mnet_qk_dequantize(n, src, q_signed(tq), tq->scale,
				   tq->zero_point, out);
		return;
	}
	q_requant(n, tq, fq, src, tmp);
	mnet_qk_dequantize(n, tmp, q_signed(fq), fq->scale, fq->zero_point,
			   out);
}

size_t mnet_ref_q_edge_elems(const struct mnet_model *m)
{
	size_t a = mnet_shape_elems(m->tensors[m->input].shape);
	size_t b = mnet_shape_elems(m->tensors[m->output].shape);

	return a > b ? a : b;
}

int mnet_ref_q_tensor_real(const struct mnet_model *m, int t,
			   const uint8_t *src, float *dst, size_t count)
{
	const struct mnet_quant *q = &m->tensors[t].q;
	size_t n = mnet_shape_elems(m->tensors[t].shape), k;

	if (count < n)
		return -EINVAL;
	if (q->type == MNET_QTYPE_NONE) {	/* indices */
		for (k = 0; k < n; k++)
			dst[k] = (float)src[k];
		return 0;
	}
	mnet_qk_dequantize(n, src, q->type == MNET_QTYPE_INT8, q->scale,
			   q->zero_point, dst);
	return 0;
}

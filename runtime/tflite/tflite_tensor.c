// SPDX-License-Identifier: Apache-2.0
/*
 * tflite_tensor.c - the TFLite loader's tensors: activation shapes, the
 * constants behind weights and biases, dequantization, names
 *
 * DOC: constants and quantization
 *
 * Weights are dequantized once, here: real = scale * (q - zero_point), per
 * tensor or per channel along the tensor's quantized_dimension; float16 is
 * widened; int32 biases use their own scale.  A constant may sit behind a
 * DEQUANTIZE (the converter stores float16 weights so); the tensor map of
 * &struct tfl_ctx.src leads to it.  Activation tensors of a quantized graph
 * only lend their shapes; the model input keeps the quantization of the
 * file's input tensor, which is what the pixels are fed as.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "support/half.h"
#include "tflite/flatbuf.h"
#include "tflite/tflite_schema.h"
#include "tflite/tflite_ctx.h"
#include "tflite/tflite_tensor.h"

static int shape_err(struct tfl_ctx *c, int64_t i, int code, const char *fmt,
		     ...) __attribute__((format(printf, 4, 5)));

/* An op's error, or the model input's when @i < 0. */
static int shape_err(struct tfl_ctx *c, int64_t i, int code, const char *fmt,
		     ...)
{
	char msg[MNET_ERR_MSG_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (i < 0)
		return mnet_tfl_err(c, code, "model input: %s", msg);
	return mnet_tfl_op_err(c, (uint32_t)i, code, "%s", msg);
}

/* The NHWC batch-1 shape of an activation tensor (@i: op, or -1: input). */
int mnet_tfl_act_shape(struct tfl_ctx *c, int64_t i, uint32_t ti,
		       struct mnet_shape *s)
{
	const struct tfl_tensor *t = &c->t[ti];
	/* integer tensors are indices: ARG_MAX's class map, [1, H, W] */
	int index = t->type == TFL_INT32 || t->type == TFL_INT64;
	int k;

	if (t->type != TFL_FLOAT32 && t->type != TFL_UINT8 &&
	    t->type != TFL_INT8 && t->type != TFL_INT16 && !index)
		return shape_err(c, i, -EOPNOTSUPP, "%s: activations of type %s (%u) are not supported",
				 mnet_tfl_label(c, ti),
				 mnet_tfl_type_name(t->type), t->type);
	if (t->rank > 4 || t->rank == 0 || (t->rank == 3 && !index))
		return shape_err(c, i, -EOPNOTSUPP, "%s: rank %s%d; only NHWC (4), NC (2) or C (1) tensors are supported",
				 mnet_tfl_label(c, ti), t->rank > 4 ? "> " : "",
				 t->rank > 4 ? 4 : t->rank);
	if (t->dynamic)
		return shape_err(c, i, -EOPNOTSUPP, "%s: dynamic shape (shape_signature has -1)",
				 mnet_tfl_label(c, ti));
	for (k = 0; k < t->rank; k++) {
		if (t->dims[k] == -1)
			return shape_err(c, i, -EOPNOTSUPP, "%s: dynamic dimension %d",
					 mnet_tfl_label(c, ti), k);
		if (t->dims[k] < 1)
			return shape_err(c, i, -EINVAL, "%s: dimension %d is %d",
					 mnet_tfl_label(c, ti), k,
					 (int)t->dims[k]);
		if (t->dims[k] > MNET_MAX_DIM)
			return shape_err(c, i, -EFBIG, "%s: dimension %d is %d; the limit is %d",
					 mnet_tfl_label(c, ti), k,
					 (int)t->dims[k], MNET_MAX_DIM);
	}
	if (t->rank >= 2 && t->dims[0] != 1)
		return shape_err(c, i, -EOPNOTSUPP, "%s: batch %d; only batch 1 is supported",
				 mnet_tfl_label(c, ti), (int)t->dims[0]);
	if (t->rank == 4)
		*s = (struct mnet_shape){ t->dims[1], t->dims[2], t->dims[3] };
	else if (t->rank == 3)
		*s = (struct mnet_shape){ t->dims[1], t->dims[2], 1 };
	else
		*s = (struct mnet_shape){ 1, 1, t->dims[t->rank - 1] };
	if (mnet_shape_elems(*s) > MNET_MAX_TENSOR_ELEMS)
		return shape_err(c, i, -EFBIG, "%s: %dx%dx%d elements exceed the limit of %u",
				 mnet_tfl_label(c, ti), s->h, s->w, s->c,
				 MNET_MAX_TENSOR_ELEMS);
	return 0;
}

/* The tensor that holds @ti's constant data (through DEQUANTIZE), or -1. */
int mnet_tfl_const_tensor(struct tfl_ctx *c, int32_t ti)
{
	if (ti < 0)
		return -1;
	if (c->src[ti] >= 0)
		return c->src[ti];
	return c->t[ti].data ? ti : -1;
}

/* Element count of a constant with every dimension checked. */
static int const_elems(struct tfl_ctx *c, uint32_t i, uint32_t ti,
		       const char *role, uint64_t *n)
{
	const struct tfl_tensor *t = &c->t[ti];
	int k;

	if (t->rank > 4)
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "%s %s: rank > 4",
				       role, mnet_tfl_label(c, ti));
	*n = 1;
	for (k = 0; k < t->rank; k++) {
		if (t->dims[k] < 1)
			return mnet_tfl_op_err(c, i, -EINVAL, "%s %s: dimension %d is %d",
					       role, mnet_tfl_label(c, ti), k,
					       (int)t->dims[k]);
		if (t->dims[k] > MNET_MAX_DIM)
			return mnet_tfl_op_err(c, i, -EFBIG, "%s %s: dimension %d is %d; the limit is %d",
					       role, mnet_tfl_label(c, ti), k,
					       (int)t->dims[k], MNET_MAX_DIM);
		*n *= (uint64_t)t->dims[k];	/* < 2^56: no overflow */
	}
	if (*n > MNET_MAX_WEIGHTS)
		return mnet_tfl_op_err(c, i, -EFBIG, "%s %s: %llu elements exceed the limit of %u",
				       role, mnet_tfl_label(c, ti),
				       (unsigned long long)*n,
				       MNET_MAX_WEIGHTS);
	return 0;
}

/* Find the constant behind input @k of op @i and check its extent. */
int mnet_tfl_get_const(struct tfl_ctx *c, uint32_t i, uint32_t k,
		       const char *role, const struct tfl_tensor **out,
		       uint64_t *elems)
{
	const struct tfl_op *op = &c->ops[i];
	const struct tfl_tensor *t;
	int32_t in, ti;
	unsigned int sz;
	int ret;

	if (k >= op->inputs.n || mnet_fb_vec_i32(&op->inputs, k) < 0)
		return mnet_tfl_op_err(c, i, -EINVAL, "%s (input %u) is missing",
				       role, k);
	in = mnet_fb_vec_i32(&op->inputs, k);
	ti = mnet_tfl_const_tensor(c, in);
	if (ti < 0)
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "%s %s is not a constant; weights computed at run time are not supported",
				       role, mnet_tfl_label(c, (uint32_t)in));
	t = &c->t[ti];
	if (t->sparse)
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "%s %s: sparse tensors are not supported",
				       role, mnet_tfl_label(c, (uint32_t)ti));
	ret = const_elems(c, i, (uint32_t)ti, role, elems);
	if (ret)
		return ret;
	sz = mnet_tfl_type_size(t->type);
	if (!sz)
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "%s %s: type %u is not supported",
				       role, mnet_tfl_label(c, (uint32_t)ti),
				       t->type);
	if (t->bytes != *elems * sz)
		return mnet_tfl_op_err(c, i, -EINVAL, "%s %s: %llu bytes of data for %llu %s values",
				       role, mnet_tfl_label(c, (uint32_t)ti),
				       (unsigned long long)t->bytes,
				       (unsigned long long)*elems,
				       mnet_tfl_type_name(t->type));
	*out = t;
	return 0;
}

/* Little-endian loads, whatever the host's byte order. */
static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

int64_t mnet_tfl_raw_int(const uint8_t *p, uint8_t type)
{
	uint16_t u16;

	switch (type) {
	case TFL_UINT8:
		return p[0];
	case TFL_INT8:
		return (int8_t)p[0];
	case TFL_INT16:
		u16 = (uint16_t)(p[0] | p[1] << 8);
		return (int16_t)u16;
	case TFL_INT32:
		return (int32_t)le32(p);
	default:	/* TFL_INT64 */
		return (int64_t)((uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32);
	}
}

/*
 * Per-channel (or per-tensor) scale and zero point of a quantized constant.
 * On success *@scale and *@zp hold @n_ch entries and *@inner is the number of
 * consecutive elements sharing one channel.
 */
static int quant_params(struct tfl_ctx *c, uint32_t i, const char *role,
			const struct tfl_tensor *t, uint32_t ti, float **scale,
			int32_t **zp, uint32_t *n_ch, uint64_t *inner)
{
	struct mnet_fb_vec vs, vz;
	int32_t qdim = 0;
	uint8_t details = 0;
	uint32_t k;
	int d;

	if (!t->has_quant ||
	    mnet_fb_vector(&t->quant, TFL_Q_SCALE, 4, &vs) ||
	    mnet_fb_vector(&t->quant, TFL_Q_ZERO_POINT, 8, &vz) ||
	    mnet_fb_u8(&t->quant, TFL_Q_DETAILS_TYPE, 0, &details) ||
	    mnet_fb_i32(&t->quant, TFL_Q_QUANTIZED_DIMENSION, 0, &qdim)) {
		if (t->has_quant)
			return mnet_tfl_fb_err(c, "quantization of %s",
					       mnet_tfl_label(c, ti));
		return mnet_tfl_op_err(c, i, -EINVAL, "%s %s: %s data without quantization parameters",
				       role, mnet_tfl_label(c, ti),
				       mnet_tfl_type_name(t->type));
	}
	if (details)
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "%s %s: custom quantization details are not supported",
				       role, mnet_tfl_label(c, ti));
	if (vs.n == 0)
		return mnet_tfl_op_err(c, i, -EINVAL, "%s %s: %s data without a quantization scale",
				       role, mnet_tfl_label(c, ti),
				       mnet_tfl_type_name(t->type));
	*inner = 1;
	if (vs.n > 1) {
		if (qdim < 0 || qdim >= t->rank || t->dims[qdim] != (int64_t)vs.n)
			return mnet_tfl_op_err(c, i, -EINVAL, "%s %s: %u scales do not match quantized dimension %d",
					       role, mnet_tfl_label(c, ti),
					       vs.n, (int)qdim);
		for (d = qdim + 1; d < t->rank; d++)
			*inner *= (uint64_t)t->dims[d];
	}
	if (vz.n > 1 && vz.n != vs.n)
		return mnet_tfl_op_err(c, i, -EINVAL, "%s %s: %u zero points for %u scales",
				       role, mnet_tfl_label(c, ti), vz.n, vs.n);
	/* vs.n equals a checked dimension here, or is 1 */
	*scale = malloc(vs.n * sizeof(**scale));
	*zp = malloc(vs.n * sizeof(**zp));
	if (!*scale || !*zp)
		return mnet_tfl_err(c, -ENOMEM, "out of memory");
	for (k = 0; k < vs.n; k++) {
		float s = mnet_fb_vec_f32(&vs, k);
		int64_t z = vz.n ? mnet_fb_vec_i64(&vz, vz.n > 1 ? k : 0) : 0;

		if (!isfinite(s) || s < 0.0f)
			return mnet_tfl_op_err(c, i, -EINVAL, "%s %s: bad scale %g for channel %u",
					       role, mnet_tfl_label(c, ti),
					       (double)s, k);
		if (z < INT32_MIN || z > INT32_MAX)
			return mnet_tfl_op_err(c, i, -EINVAL, "%s %s: zero point %lld out of range",
					       role, mnet_tfl_label(c, ti),
					       (long long)z);
		(*scale)[k] = s;
		(*zp)[k] = (int32_t)z;
	}
	*n_ch = vs.n;
	return 0;
}

/*
 * Dequantize input @k of op @i (a constant of exactly @expect elements) into
 * a new float array.
 */
int mnet_tfl_load_const(struct tfl_ctx *c, uint32_t i, uint32_t k,
			const char *role, uint64_t expect, float **out)
{
	const struct tfl_tensor *t;
	float *dst = NULL, *scale = NULL;
	int32_t *zp = NULL;
	uint64_t n, e, inner = 1;
	uint32_t n_ch = 1;
	unsigned int sz;
	int ret;

	*out = NULL;
	ret = mnet_tfl_get_const(c, i, k, role, &t, &n);
	if (ret)
		return ret;
	if (n != expect)
		return mnet_tfl_op_err(c, i, -EINVAL, "%s has %llu elements, expected %llu",
				       role, (unsigned long long)n,
				       (unsigned long long)expect);
	sz = mnet_tfl_type_size(t->type);
	if (t->type != TFL_FLOAT32 && t->type != TFL_FLOAT16) {
		ret = quant_params(c, i, role, t, (uint32_t)(t - c->t), &scale,
				   &zp, &n_ch, &inner);
		if (ret)
			goto out_free;
	}
	dst = malloc((n ? n : 1) * sizeof(*dst));
	if (!dst) {
		ret = mnet_tfl_err(c, -ENOMEM, "out of memory for %s", role);
		goto out_free;
	}
	for (e = 0; e < n; e++) {
		const uint8_t *p = t->data + e * sz;
		uint32_t ch, u;
		uint16_t h;

		switch (t->type) {
		case TFL_FLOAT32:
			u = le32(p);
			memcpy(&dst[e], &u, sizeof(float));
			break;
		case TFL_FLOAT16:
			h = (uint16_t)(p[0] | p[1] << 8);
			dst[e] = mnet_f16_to_f32(h);
			break;
		default:
			ch = n_ch > 1 ? (uint32_t)((e / inner) % n_ch) : 0;
			dst[e] = scale[ch] *
				 (float)(mnet_tfl_raw_int(p, t->type) - zp[ch]);
			break;
		}
	}
	*out = dst;
	dst = NULL;
	ret = 0;
out_free:
	free(dst);
	free(zp);
	free(scale);
	return ret;
}

/* Copy a tensor name (its first ';'-separated part) into a 64-byte field. */
void mnet_tfl_copy_name(char *dst, size_t len, const struct tfl_tensor *t,
			const char *fallback, int idx)
{
	uint32_t n = 0;

	while (t->name && n < t->name_len && t->name[n] != ';' &&
	       t->name[n] != '\0')
		n++;
	if (n == 0) {
		snprintf(dst, len, "%s_%d", fallback, idx);
		return;
	}
	snprintf(dst, len, "%.*s", (int)(n < len - 1 ? n : len - 1), t->name);
}

int mnet_tfl_input_quant(struct tfl_ctx *c)
{
	const struct tfl_tensor *t = &c->t[c->input];
	struct mnet_input_quant *q = &c->m->input_quant;
	struct mnet_fb_vec vs, vz;

	if (t->type == TFL_FLOAT32) {
		q->quantized = 0;
		return 0;
	}
	if (t->type != TFL_UINT8 && t->type != TFL_INT8)
		return mnet_tfl_err(c, -EOPNOTSUPP, "input %s is %s; float32, uint8 or int8 is supported",
				    mnet_tfl_label(c, c->input),
				    mnet_tfl_type_name(t->type));
	if (!t->has_quant ||
	    mnet_fb_vector(&t->quant, TFL_Q_SCALE, 4, &vs) ||
	    mnet_fb_vector(&t->quant, TFL_Q_ZERO_POINT, 8, &vz))
		return t->has_quant ? mnet_tfl_fb_err(c, "quantization of the input") :
			mnet_tfl_err(c, -EINVAL, "quantized input %s has no quantization parameters",
				     mnet_tfl_label(c, c->input));
	if (vs.n != 1 || vz.n > 1)
		return mnet_tfl_err(c, -EOPNOTSUPP, "input %s: %u scales; one per tensor is supported",
				    mnet_tfl_label(c, c->input), vs.n);
	q->quantized = 1;
	q->is_signed = t->type == TFL_INT8;
	q->scale = mnet_fb_vec_f32(&vs, 0);
	if (!isfinite(q->scale) || q->scale <= 0.0f)
		return mnet_tfl_err(c, -EINVAL, "input %s: bad scale %g",
				    mnet_tfl_label(c, c->input),
				    (double)q->scale);
	if (vz.n) {
		int64_t z = mnet_fb_vec_i64(&vz, 0);

		if (q->is_signed ? z < -128 || z > 127 : z < 0 || z > 255)
			return mnet_tfl_err(c, -EINVAL, "input %s: zero point %lld out of range",
					    mnet_tfl_label(c, c->input),
					    (long long)z);
		q->zero_point = (int)z;
	}
	return 0;
}

/* Why the model cannot run in int8; the first reason found is kept. */
void mnet_tfl_int8_block(struct tfl_ctx *c, const char *fmt, ...)
{
	struct mnet_model *m = c->m;
	va_list ap;

	if (m->int8_block[0])
		return;
	va_start(ap, fmt);
	vsnprintf(m->int8_block, sizeof(m->int8_block), fmt, ap);
	va_end(ap);
}

void mnet_tfl_act_quant(struct tfl_ctx *c, uint32_t ti, struct mnet_quant *q)
{
	const struct tfl_tensor *t = &c->t[ti];
	struct mnet_fb_vec vs, vz;
	int64_t z = 0;

	*q = (struct mnet_quant){ .type = MNET_QTYPE_NONE };
	if (t->type == TFL_FLOAT32)
		return;
	if (t->type != TFL_UINT8 && t->type != TFL_INT8) {
		mnet_tfl_int8_block(c, "%s is %s; uint8 or int8 activations are supported",
				    mnet_tfl_label(c, ti),
				    mnet_tfl_type_name(t->type));
		return;
	}
	if (!t->has_quant ||
	    mnet_fb_vector(&t->quant, TFL_Q_SCALE, 4, &vs) ||
	    mnet_fb_vector(&t->quant, TFL_Q_ZERO_POINT, 8, &vz) ||
	    vs.n != 1 || vz.n > 1) {
		mnet_tfl_int8_block(c, "%s: activations need one scale and zero point",
				    mnet_tfl_label(c, ti));
		return;
	}
	if (vz.n)
		z = mnet_fb_vec_i64(&vz, 0);
	q->type = t->type == TFL_INT8 ? MNET_QTYPE_INT8 : MNET_QTYPE_UINT8;
	q->scale = mnet_fb_vec_f32(&vs, 0);
	if (!isfinite(q->scale) || q->scale <= 0.0f ||
	    (q->type == MNET_QTYPE_INT8 ? z < -128 || z > 127 : z < 0 || z > 255)) {
		mnet_tfl_int8_block(c, "%s: bad scale %g or zero point %lld",
				    mnet_tfl_label(c, ti), (double)q->scale,
				    (long long)z);
		q->type = MNET_QTYPE_NONE;
		return;
	}
	q->zero_point = (int32_t)z;
}

/*
 * The raw 8-bit weights (input 1) and int32 bias (input 2) of a weighted op
 * of a quantized file, beside the floats mnet_tfl_load_const() made.  Not
 * an error when the file is float or hybrid: the model just cannot run in
 * int8 (mnet_tfl_int8_block()).
 */
int mnet_tfl_load_layer_q(struct tfl_ctx *c, uint32_t i, struct mnet_layer *l,
			  int qdim)
{
	const struct tfl_tensor *w, *b = NULL;
	struct mnet_layer_q *q;
	float *scale = NULL;
	int32_t *zp = NULL;
	uint32_t n_ch = 1, k;
	uint64_t n, nb = 0, inner = 1;
	int ret;

	ret = mnet_tfl_get_const(c, i, 1, "weights", &w, &n);
	if (ret)
		return ret;
	if (w->type != TFL_UINT8 && w->type != TFL_INT8) {
		if (c->m->tensors[l->in].q.type != MNET_QTYPE_NONE)
			mnet_tfl_int8_block(c, "op %u: %s weights in a quantized graph",
					    i, mnet_tfl_type_name(w->type));
		return 0;
	}
	if (c->ops[i].inputs.n > 2 && mnet_fb_vec_i32(&c->ops[i].inputs, 2) >= 0) {
		ret = mnet_tfl_get_const(c, i, 2, "bias", &b, &nb);
		if (ret)
			return ret;
		if (b->type != TFL_INT32) {
			mnet_tfl_int8_block(c, "op %u: %s bias; int32 is supported",
					    i, mnet_tfl_type_name(b->type));
			return 0;
		}
	}
	ret = quant_params(c, i, "weights", w, (uint32_t)(w - c->t), &scale,
			   &zp, &n_ch, &inner);
	if (ret)
		goto out_free;
	if (n_ch > 1 && ((int)n_ch != l->out_shape.c ||
			 inner != (qdim ? 1 : n / n_ch))) {
		mnet_tfl_int8_block(c, "op %u: %u weight scales not along the output channels",
				    i, n_ch);
		goto out_free;
	}
	for (k = 1; k < n_ch; k++)
		if (zp[k] != zp[0]) {
			mnet_tfl_int8_block(c, "op %u: per-channel weight zero points",
					    i);
			goto out_free;
		}
	q = calloc(1, sizeof(*q));
	if (!q) {
		ret = mnet_tfl_err(c, -ENOMEM, "out of memory");
		goto out_free;
	}
	l->q = q;
	q->weights = malloc(n ? n : 1);
	if (nb)
		q->bias = malloc(nb * sizeof(*q->bias));
	if (!q->weights || (nb && !q->bias)) {
		ret = mnet_tfl_err(c, -ENOMEM, "out of memory for raw weights");
		goto out_free;
	}
	memcpy(q->weights, w->data, n);
	for (k = 0; k < nb; k++)
		q->bias[k] = (int32_t)mnet_tfl_raw_int(b->data + 4 * k, TFL_INT32);
	q->w_type = w->type == TFL_INT8 ? MNET_QTYPE_INT8 : MNET_QTYPE_UINT8;
	q->w_scale = scale;
	scale = NULL;
	q->n_w_scale = (int)n_ch;
	q->w_zero_point = zp[0];
	ret = 0;
out_free:
	free(scale);
	free(zp);
	return ret;
}

int mnet_tfl_new_layer(struct tfl_ctx *c, uint32_t i, enum mnet_op type,
		       struct mnet_layer **out)
{
	const struct tfl_op *op = &c->ops[i];
	int32_t in = op->inputs.n ? mnet_fb_vec_i32(&op->inputs, 0) : -1, o;
	const struct tfl_pad *pad = NULL;
	struct mnet_layer *l;
	struct mnet_tensor *t;
	int ret;

	*out = NULL;	/* callers cannot see that the errors are nonzero */
	if (in < 0 || op->outputs.n < 1)
		return mnet_tfl_op_err(c, i, -EINVAL, "needs an input and an output tensor");
	o = mnet_fb_vec_i32(&op->outputs, 0);
	if (c->pad[in].src >= 0) {
		/* mnet_tfl_import_pad() checked: this is the one convolution */
		pad = &c->pad[in];
		in = pad->src;
	}
	if (c->cust_of[in] >= 0)
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "input %s is an output of a custom operator; those can only be the model's outputs",
				       mnet_tfl_label(c, (uint32_t)in));
	if (c->map[in] < 0)
		return mnet_tfl_op_err(c, i,
				       c->t[in].data ? -EOPNOTSUPP : -EINVAL,
				       "input %s is neither the model input nor computed by an earlier op",
				       mnet_tfl_label(c, (uint32_t)in));
	if (c->map[o] >= 0 || c->src[o] >= 0 || c->t[o].data)
		return mnet_tfl_op_err(c, i, -EINVAL, "output %s is already defined",
				       mnet_tfl_label(c, (uint32_t)o));
	if (c->n_layers >= c->m->n_layers || c->n_tensors >= MNET_MAX_TENSORS)
		return mnet_tfl_op_err(c, i, -EFBIG, "too many layers");
	l = &c->m->layers[c->n_layers];
	t = &c->m->tensors[c->n_tensors];
	ret = mnet_tfl_act_shape(c, i, (uint32_t)o, &t->shape);
	if (ret)
		return ret;
	mnet_tfl_copy_name(t->name, sizeof(t->name), &c->t[o], "t",
			   c->n_tensors);
	mnet_tfl_copy_name(l->name, sizeof(l->name), &c->t[o],
			   mnet_op_name(type), c->n_layers);
	l->op = type;
	l->in = c->map[in];
	l->out = c->n_tensors;
	l->in_shape = c->m->tensors[l->in].shape;
	if (pad) {
		/* the window sees the padded input; mnet_tfl_fold_pad() moves
		 * the pads into the layer */
		l->in_shape.h += pad->top + pad->bottom;
		l->in_shape.w += pad->left + pad->right;
	}
	l->out_shape = t->shape;
	if (type == MNET_OP_ARGMAX &&
	    (c->t[o].type == TFL_INT32 || c->t[o].type == TFL_INT64))
		t->q = (struct mnet_quant){ .type = MNET_QTYPE_NONE };
	else
		mnet_tfl_act_quant(c, (uint32_t)o, &t->q);
	/* ARG_MAX's indices are no quantized values: they mix with any */
	if (type != MNET_OP_ARGMAX && (t->q.type == MNET_QTYPE_NONE) !=
	    (c->m->tensors[l->in].q.type == MNET_QTYPE_NONE))
		mnet_tfl_int8_block(c, "op %u mixes float and quantized tensors", i);
	c->map[o] = c->n_tensors++;
	c->n_layers++;
	*out = l;
	return 0;
}

int mnet_tfl_get_opts(struct tfl_ctx *c, uint32_t i, uint8_t want,
		      struct mnet_fb_table *t)
{
	const struct tfl_op *op = &c->ops[i];

	if (op->has_opts && op->opt_type != want)
		return mnet_tfl_op_err(c, i, -EINVAL, "builtin options of type %u, expected %u",
				       op->opt_type, want);
	if (op->has_opts) {
		*t = op->opts;
	} else {
		/* a vtable of length 0 makes every field read its default */
		memset(t, 0, sizeof(*t));
		t->fb = &c->fb;
	}
	return 0;
}

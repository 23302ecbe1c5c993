// SPDX-License-Identifier: Apache-2.0
/*
 * tflite_fold.c - shape arithmetic on constants, evaluated at load time
 *
 * DOC: shape folding
 *
 * TensorFlow's converter writes the shape computations of a Keras model
 * into the file as operators: Keras's MobileNet ends in SHAPE (of the
 * classifier's output) -> STRIDED_SLICE (its batch) -> PACK (with the
 * class count) -> RESHAPE's new shape.  On a static graph every such
 * value is a constant, so this pass, run between parsing and import,
 * evaluates them on int32 vectors and turns their outputs into constants
 * of the file (&struct tfl_tensor.data pointing at the folded values,
 * which the context owns); the operators are marked folded and import
 * adds no layer for them.  What it folds:
 *
 *   SHAPE          of any tensor whose dimensions are static (a dynamic
 *                  batch counts as 1, as the runtime runs batch 1)
 *   STRIDED_SLICE  of a constant vector (begin, end and stride masks,
 *                  shrink_axis, offset; no ellipsis or new axis)
 *   PACK           of constant scalars along axis 0
 *   CONCATENATION  of constant vectors (axis 0)
 *
 * An operator of these kinds whose inputs are not all constants is left
 * alone; import then names it as unsupported (CONCATENATION of
 * activations is DeepLab's, and is imported as a layer).  RESHAPE checks
 * its (folded or stored) new shape against its output tensor.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tflite/tflite_schema.h"
#include "tflite/tflite_ctx.h"
#include "tflite/tflite_parse.h"
#include "tflite/tflite_tensor.h"

#define FOLD_MAX 8	/* elements of a folded vector (shapes are short) */

/* StridedSliceOptions fields */
#define SS_BEGIN_MASK 0
#define SS_END_MASK 1
#define SS_ELLIPSIS_MASK 2
#define SS_NEW_AXIS_MASK 3
#define SS_SHRINK_AXIS_MASK 4
#define SS_OFFSET 5

struct fold_vec {
	int n;			/* elements */
	int scalar;		/* rank 0 */
	int32_t v[FOLD_MAX];
};

static int32_t op_in(const struct tfl_op *op, uint32_t k)
{
	return k < op->inputs.n ? mnet_fb_vec_i32(&op->inputs, k) : -1;
}

/*
 * A constant int32 vector or scalar: 1 and the values, 0 if @ti is not a
 * constant of that kind (the op is then not folded), negative on a
 * malformed one.
 */
static int get_vec(struct tfl_ctx *c, uint32_t i, int32_t ti,
		   struct fold_vec *out)
{
	const struct tfl_tensor *t;
	int k;

	if (ti < 0 || (uint32_t)ti >= c->n_t)
		return 0;
	t = &c->t[ti];
	if (!t->data || t->type != TFL_INT32 || t->rank > 1 || t->sparse)
		return 0;
	out->scalar = t->rank == 0;
	out->n = t->rank == 0 ? 1 : t->dims[0];
	if (out->n < 0 || out->n > FOLD_MAX)
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "constant %s has %d elements; shape arithmetic on at most %d is supported",
				       mnet_tfl_label(c, (uint32_t)ti), out->n,
				       FOLD_MAX);
	if (t->bytes < (uint64_t)out->n * 4)
		return mnet_tfl_op_err(c, i, -EINVAL, "constant %s holds %llu bytes for %d int32 values",
				       mnet_tfl_label(c, (uint32_t)ti),
				       (unsigned long long)t->bytes, out->n);
	for (k = 0; k < out->n; k++)
		out->v[k] = (int32_t)mnet_tfl_raw_int(t->data + 4 * k, TFL_INT32);
	return 1;
}

/* All inputs of op @i constant vectors: 1, else 0 (or an error). */
static int get_inputs(struct tfl_ctx *c, uint32_t i, struct fold_vec *in,
		      int n)
{
	int k, ret;

	if ((int)c->ops[i].inputs.n != n)
		return 0;
	for (k = 0; k < n; k++) {
		ret = get_vec(c, i, op_in(&c->ops[i], k), &in[k]);
		if (ret <= 0)
			return ret;
	}
	return 1;
}

static int fold_shape(struct tfl_ctx *c, uint32_t i, struct fold_vec *out)
{
	int32_t in = op_in(&c->ops[i], 0);
	const struct tfl_tensor *t;
	int k;

	if (in < 0 || c->ops[i].inputs.n != 1)
		return mnet_tfl_op_err(c, i, -EINVAL, "needs one input");
	t = &c->t[in];
	if (t->dynamic)
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "the shape of %s is dynamic",
				       mnet_tfl_label(c, (uint32_t)in));
	if (t->rank > 4)
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "%s has more than 4 dimensions",
				       mnet_tfl_label(c, (uint32_t)in));
	out->scalar = 0;
	out->n = t->rank;
	for (k = 0; k < t->rank; k++)
		out->v[k] = t->dims[k];
	return 1;
}

/* One end of a slice of @n elements, as TFLite's StridedSlice resolves it. */
static int slice_end(int32_t x, int masked, int32_t s, int n, int is_begin)
{
	if (masked)
		return s > 0 ? (is_begin ? 0 : n) : (is_begin ? n - 1 : -1);
	if (x < 0)
		x += n;
	if (s > 0)
		return x < 0 ? 0 : x > n ? n : x;
	return x < -1 ? -1 : x > n - 1 ? n - 1 : x;
}

static int fold_strided_slice(struct tfl_ctx *c, uint32_t i,
			      struct fold_vec *out)
{
	const struct tfl_op *op = &c->ops[i];
	struct fold_vec in[4];
	struct mnet_fb_table ot;
	int32_t bm, em, elm, nam, sam, b, e, s;
	uint8_t offset;
	int ret, n;

	ret = get_inputs(c, i, in, 4);
	if (ret <= 0)
		return ret;
	if (in[0].scalar || in[1].n != 1 || in[2].n != 1 || in[3].n != 1)
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "a slice of a constant vector with one begin, end and stride is supported");
	if (op->has_opts && op->opt_type != TFL_OPT_STRIDED_SLICE)
		return mnet_tfl_op_err(c, i, -EINVAL, "builtin options of type %u, expected %u",
				       op->opt_type, TFL_OPT_STRIDED_SLICE);
	memset(&ot, 0, sizeof(ot));
	ot.fb = &c->fb;
	if (op->has_opts)
		ot = op->opts;
	if (mnet_fb_i32(&ot, SS_BEGIN_MASK, 0, &bm) ||
	    mnet_fb_i32(&ot, SS_END_MASK, 0, &em) ||
	    mnet_fb_i32(&ot, SS_ELLIPSIS_MASK, 0, &elm) ||
	    mnet_fb_i32(&ot, SS_NEW_AXIS_MASK, 0, &nam) ||
	    mnet_fb_i32(&ot, SS_SHRINK_AXIS_MASK, 0, &sam) ||
	    mnet_fb_u8(&ot, SS_OFFSET, 0, &offset))
		return mnet_tfl_fb_err(c, "op %u StridedSliceOptions", i);
	if (elm & 1 || nam & 1)
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "ellipsis and new-axis masks are not supported");
	n = in[0].n;
	s = in[3].v[0];
	if (s == 0)
		return mnet_tfl_op_err(c, i, -EINVAL, "stride 0");
	b = in[1].v[0];
	e = offset ? b + in[2].v[0] : in[2].v[0];
	if (sam & 1) {
		if (b < 0)
			b += n;
		if (b < 0 || b >= n)
			return mnet_tfl_op_err(c, i, -EINVAL, "index %d out of a vector of %d",
					       in[1].v[0], n);
		out->scalar = 1;
		out->n = 1;
		out->v[0] = in[0].v[b];
		return 1;
	}
	b = slice_end(b, bm & 1, s, n, 1);
	e = slice_end(e, em & 1, s, n, 0);
	out->scalar = 0;
	for (out->n = 0; s > 0 ? b < e : b > e; b += s)
		out->v[out->n++] = in[0].v[b];
	return 1;
}

static int fold_pack(struct tfl_ctx *c, uint32_t i, struct fold_vec *out)
{
	const struct tfl_op *op = &c->ops[i];
	struct fold_vec in[FOLD_MAX];
	int n = (int)op->inputs.n, k, ret;

	if (n < 1 || n > FOLD_MAX)
		return 0;
	ret = get_inputs(c, i, in, n);
	if (ret <= 0)
		return ret;
	for (k = 0; k < n; k++)
		if (!in[k].scalar)
			return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "packing constants other than scalars is not supported");
	/* scalars have one axis to pack along: 0 (or -1) */
	out->scalar = 0;
	out->n = n;
	for (k = 0; k < n; k++)
		out->v[k] = in[k].v[0];
	return 1;
}

static int fold_concat(struct tfl_ctx *c, uint32_t i, struct fold_vec *out)
{
	const struct tfl_op *op = &c->ops[i];
	struct fold_vec in[FOLD_MAX];
	int n = (int)op->inputs.n, k, j, ret;

	if (n < 1 || n > FOLD_MAX)
		return 0;
	ret = get_inputs(c, i, in, n);
	if (ret <= 0)
		return ret;
	out->scalar = 0;
	out->n = 0;
	for (k = 0; k < n; k++) {
		if (in[k].scalar || out->n + in[k].n > FOLD_MAX)
			return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "concatenation of constants: vectors of at most %d elements in all",
					       FOLD_MAX);
		for (j = 0; j < in[k].n; j++)
			out->v[out->n++] = in[k].v[j];
	}
	return 1;
}

/**
 * struct tfl_fold - how one kind of operator is evaluated
 * @code: BuiltinOperator
 * @fold: 1 and the output when the inputs allow it, 0 when they do not
 *        (the operator is then imported as usual), or a negative errno
 */
struct tfl_fold {
	int32_t code;
	int (*fold)(struct tfl_ctx *c, uint32_t i, struct fold_vec *out);
};

static const struct tfl_fold folds[] = {
	{ TFL_SHAPE, fold_shape },
	{ TFL_STRIDED_SLICE, fold_strided_slice },
	{ TFL_PACK, fold_pack },
	{ TFL_CONCATENATION, fold_concat },
};

/* Store @v as the constant contents of op @i's output. */
static int set_output(struct tfl_ctx *c, uint32_t i, const struct fold_vec *v)
{
	const struct tfl_op *op = &c->ops[i];
	struct tfl_tensor *t;
	uint8_t *buf;
	int32_t o;
	int k;

	if (op->outputs.n != 1)
		return mnet_tfl_op_err(c, i, -EINVAL, "needs one output");
	o = mnet_fb_vec_i32(&op->outputs, 0);
	t = &c->t[o];
	if (t->data)
		return mnet_tfl_op_err(c, i, -EINVAL, "output %s is already defined",
				       mnet_tfl_label(c, (uint32_t)o));
	if (t->type != TFL_INT32)
		return mnet_tfl_op_err(c, i, -EOPNOTSUPP, "output %s is %s; shape arithmetic in int32 only is supported",
				       mnet_tfl_label(c, (uint32_t)o),
				       mnet_tfl_type_name(t->type));
	/* a declared shape must be the folded one */
	if ((t->rank == 0 && !v->scalar) ||
	    (t->rank == 1 && (v->scalar || t->dims[0] != v->n)) ||
	    t->rank > 1)
		return mnet_tfl_op_err(c, i, -EINVAL, "output %s is declared with another shape than its %d computed values",
				       mnet_tfl_label(c, (uint32_t)o), v->n);
	buf = malloc((size_t)v->n * 4 + 4);
	if (!buf)
		return mnet_tfl_err(c, -ENOMEM, "out of memory");
	for (k = 0; k < v->n; k++) {
		uint32_t u = (uint32_t)v->v[k];

		buf[4 * k] = (uint8_t)u;
		buf[4 * k + 1] = (uint8_t)(u >> 8);
		buf[4 * k + 2] = (uint8_t)(u >> 16);
		buf[4 * k + 3] = (uint8_t)(u >> 24);
	}
	c->fold_mem[c->n_fold_mem++] = buf;
	t->data = buf;
	t->bytes = (uint64_t)v->n * 4;
	return 0;
}

int mnet_tfl_fold_shapes(struct tfl_ctx *c)
{
	struct fold_vec v;
	uint32_t i;
	size_t k;
	int ret;

	c->fold_mem = calloc(c->n_ops ? c->n_ops : 1, sizeof(*c->fold_mem));
	if (!c->fold_mem)
		return mnet_tfl_err(c, -ENOMEM, "out of memory");
	for (i = 0; i < c->n_ops; i++) {
		for (k = 0; k < sizeof(folds) / sizeof(folds[0]); k++)
			if (folds[k].code == c->ops[i].code)
				break;
		if (k == sizeof(folds) / sizeof(folds[0]))
			continue;
		memset(&v, 0, sizeof(v));
		ret = folds[k].fold(c, i, &v);
		if (ret < 0)
			return ret;
		if (ret == 0)
			continue;
		ret = set_output(c, i, &v);
		if (ret)
			return ret;
		c->ops[i].folded = 1;
	}
	return 0;
}

void mnet_tfl_fold_free(struct tfl_ctx *c)
{
	uint32_t k;

	if (!c->fold_mem)
		return;
	for (k = 0; k < c->n_fold_mem; k++)
		free(c->fold_mem[k]);
	free(c->fold_mem);
	c->fold_mem = NULL;
	c->n_fold_mem = 0;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * tflite_import_eltwise.c - import of the operators that keep their
 * input's shape or only its element count: SOFTMAX, RESHAPE / SQUEEZE
 * (checked against a constant new shape, stored or folded by
 * tflite_fold.c), and RELU / RELU6 left on their own by the converter
 */
#include <errno.h>
#include <math.h>
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

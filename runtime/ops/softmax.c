// SPDX-License-Identifier: Apache-2.0
/*
 * softmax.c - the per-pixel ops over the class (channel) axis:
 * MNET_OP_SOFTMAX (softmax, with TFLite's beta) and MNET_OP_ARGMAX (the
 * index of the largest channel, the first one on a tie, as TFLite)
 */
#include "ops/op_common.h"
#include "ops/op_desc.h"

#define NAME "softmax"

static int softmax_check(const struct mnet_model *m, const struct mnet_layer *l,
			 struct mnet_err *err)
{
	if (!mnet_op_shape_eq(l->in_shape, l->out_shape))
		return mnet_op_bad(m, l, NAME, err, "softmax changes shape");
	return 0;
}

static int softmax_output_kind(const struct mnet_layer *l)
{
	(void)l;
	return MNET_OUTPUT_PROBABILITIES;
}

const struct mnet_op_desc mnet_softmax_op = {
	.name = NAME,
	.n_inputs = 1,
	.check = softmax_check,
	.bytes = mnet_op_bytes_io,
	.output_kind = softmax_output_kind,
};

#define NAME_ARGMAX "argmax"

static int argmax_check(const struct mnet_model *m, const struct mnet_layer *l,
			struct mnet_err *err)
{
	if (l->in_shape.h != l->out_shape.h || l->in_shape.w != l->out_shape.w ||
	    l->out_shape.c != 1)
		return mnet_op_bad(m, l, NAME_ARGMAX, err,
				   "%dx%dx%d -> %dx%dx%d; argmax over channels gives HxWx1",
				   l->in_shape.h, l->in_shape.w, l->in_shape.c,
				   l->out_shape.h, l->out_shape.w,
				   l->out_shape.c);
	return 0;
}

static int argmax_output_kind(const struct mnet_layer *l)
{
	(void)l;
	return MNET_OUTPUT_CLASS_MAP;
}

const struct mnet_op_desc mnet_argmax_op = {
	.name = NAME_ARGMAX,
	.n_inputs = 1,
	.check = argmax_check,
	.bytes = mnet_op_bytes_io,
	.output_kind = argmax_output_kind,
};

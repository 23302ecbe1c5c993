// SPDX-License-Identifier: Apache-2.0
/*
 * eltwise.c - the elementwise ops: MNET_OP_ADD, in + in2 (MobileNetV2's
 * residual), and MNET_OP_ACT, a RELU or RELU6 on its own
 *
 * Without an activation, right after the 1x1 convolution that computes one
 * of its operands, a backend may fold it into that convolution; see
 * mnet_residual_fusable().
 */
#include "ops/op_common.h"
#include "ops/op_desc.h"


static int add_check(const struct mnet_model *m, const struct mnet_layer *l,
		     struct mnet_err *err)
{
	if (!mnet_op_shape_eq(l->in_shape, l->out_shape) ||
	    !mnet_op_shape_eq(m->tensors[l->in2].shape, l->out_shape))
		return mnet_op_bad(m, l, "add", err,
				   "add operands differ in shape");
	return 0;
}

/* Two inputs of the output's shape, and the output. */
static uint64_t add_bytes(const struct mnet_layer *l)
{
	return 3 * (uint64_t)mnet_shape_elems(l->out_shape) * sizeof(float);
}

const struct mnet_op_desc mnet_add_op = {
	.name = "add",
	.n_inputs = 2,
	.flags = MNET_OP_F_RESIDUAL_ADD,
	.check = add_check,
	.bytes = add_bytes,
};

/*
 * MNET_OP_ACT: an activation (&struct mnet_layer.act) the converter could
 * not fuse into the op before it (Xception: a RELU whose input also feeds
 * a residual ADD).
 */
static int act_check(const struct mnet_model *m, const struct mnet_layer *l,
		     struct mnet_err *err)
{
	if (!mnet_op_shape_eq(l->in_shape, l->out_shape))
		return mnet_op_bad(m, l, "act", err,
				   "input and output differ in shape");
	if (l->act != MNET_ACT_RELU && l->act != MNET_ACT_RELU6)
		return mnet_op_bad(m, l, "act", err,
				   "an activation layer needs RELU or RELU6");
	return 0;
}

const struct mnet_op_desc mnet_act_op = {
	.name = "act",
	.n_inputs = 1,
	.check = act_check,
	.bytes = mnet_op_bytes_io,
};

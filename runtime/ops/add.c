// SPDX-License-Identifier: Apache-2.0
/*
 * add.c - MNET_OP_ADD: elementwise in + in2 (MobileNetV2's residual)
 *
 * Without an activation, right after the 1x1 convolution that computes one
 * of its operands, a backend may fold it into that convolution; see
 * mnet_residual_fusable().
 */
#include "ops/op_common.h"
#include "ops/op_desc.h"

#define NAME "add"

static int add_check(const struct mnet_model *m, const struct mnet_layer *l,
		     struct mnet_err *err)
{
	if (!mnet_op_shape_eq(l->in_shape, l->out_shape) ||
	    !mnet_op_shape_eq(m->tensors[l->in2].shape, l->out_shape))
		return mnet_op_bad(m, l, NAME, err,
				   "add operands differ in shape");
	return 0;
}

/* Two inputs of the output's shape, and the output. */
static uint64_t add_bytes(const struct mnet_layer *l)
{
	return 3 * (uint64_t)mnet_shape_elems(l->out_shape) * sizeof(float);
}

const struct mnet_op_desc mnet_add_op = {
	.name = NAME,
	.n_inputs = 2,
	.flags = MNET_OP_F_RESIDUAL_ADD,
	.check = add_check,
	.bytes = add_bytes,
};

// SPDX-License-Identifier: Apache-2.0
/*
 * op_table.c - the table of op descriptors, indexed by &enum mnet_op
 *
 * DOC: op table
 *
 * The one place that lists every operation.  The descriptors themselves
 * live in each op's file (see op_desc.h); a gap in this table is an op the
 * runtime does not know, which mnet_model_validate() rejects.
 */
#include "ops/op_table.h"

static const struct mnet_op_desc *const op_table[MNET_OP_COUNT] = {
	[MNET_OP_CONV2D] = &mnet_conv2d_op,
	[MNET_OP_DWCONV2D] = &mnet_dwconv2d_op,
	[MNET_OP_PWCONV2D] = &mnet_pwconv2d_op,
	[MNET_OP_AVGPOOL] = &mnet_avgpool_op,
	[MNET_OP_FC] = &mnet_fc_op,
	[MNET_OP_SOFTMAX] = &mnet_softmax_op,
	[MNET_OP_RESHAPE] = &mnet_reshape_op,
	[MNET_OP_ADD] = &mnet_add_op,
	[MNET_OP_DWCONV2D_DIL] = &mnet_dwconv2d_dil_op,
	[MNET_OP_RESIZE_BILINEAR] = &mnet_resize_bilinear_op,
	[MNET_OP_CONCAT] = &mnet_concat_op,
	[MNET_OP_ARGMAX] = &mnet_argmax_op,
	[MNET_OP_MAXPOOL] = &mnet_maxpool_op,
	[MNET_OP_ACT] = &mnet_act_op,
};

const struct mnet_op_desc *mnet_op_desc(enum mnet_op op)
{
	if ((unsigned int)op >= MNET_OP_COUNT)
		return NULL;
	return op_table[op];
}

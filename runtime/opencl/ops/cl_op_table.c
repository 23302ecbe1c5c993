// SPDX-License-Identifier: Apache-2.0
/*
 * cl_op_table.c - the OpenCL op entries, indexed by enum mnet_op
 *
 * DOC: OpenCL op table
 *
 * The one place that maps an IR op onto its OpenCL entry.  An op without
 * an entry has no kernel: its layers run on the host with the reference
 * kernels, like a layer whose program does not build.
 */
#include "opencl/ops/cl_op_table.h"

static const struct mnet_cl_op *const cl_ops[MNET_OP_COUNT] = {
	[MNET_OP_CONV2D] = &mnet_cl_op_conv2d,
	[MNET_OP_DWCONV2D] = &mnet_cl_op_dwconv,
	[MNET_OP_PWCONV2D] = &mnet_cl_op_pwconv,
	[MNET_OP_AVGPOOL] = &mnet_cl_op_avgpool,
	[MNET_OP_FC] = &mnet_cl_op_fc,
	[MNET_OP_SOFTMAX] = &mnet_cl_op_softmax,
	[MNET_OP_ADD] = &mnet_cl_op_add,
	[MNET_OP_RESHAPE] = &mnet_cl_op_reshape,
	[MNET_OP_MAXPOOL] = &mnet_cl_op_maxpool,
	[MNET_OP_ACT] = &mnet_cl_op_act,
	[MNET_OP_RESIZE_BILINEAR] = &mnet_cl_op_resize,
	[MNET_OP_CONCAT] = &mnet_cl_op_concat,
	[MNET_OP_ARGMAX] = &mnet_cl_op_argmax,
};

const struct mnet_cl_op *mnet_cl_op_find(const struct mnet_layer *l)
{
	const struct mnet_cl_op *op;

	if ((unsigned int)l->op >= MNET_OP_COUNT)
		return NULL;
	op = cl_ops[l->op];
	if (op && op->choose)
		op = op->choose(l);
	return op;
}

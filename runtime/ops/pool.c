// SPDX-License-Identifier: Apache-2.0
/*
 * pool.c - MNET_OP_AVGPOOL: average pool (global when the window is the
 * whole input); MNET_OP_MAXPOOL: max pool (VGG16's 2x2/2, Xception's 3x3/2
 * SAME), where padded positions take no part, as in TFLite
 */
#include "ops/op_common.h"
#include "ops/op_desc.h"


static int avgpool_check(const struct mnet_model *m, const struct mnet_layer *l,
			 struct mnet_err *err)
{
	return mnet_op_check_window(m, l, "avgpool", err, 1);
}

/* Pooling adds, it does not multiply: no MACs. */
const struct mnet_op_desc mnet_avgpool_op = {
	.name = "avgpool",
	.n_inputs = 1,
	.flags = MNET_OP_F_WINDOW,
	.check = avgpool_check,
	.bytes = mnet_op_bytes_io,
};

static int maxpool_check(const struct mnet_model *m, const struct mnet_layer *l,
			 struct mnet_err *err)
{
	return mnet_op_check_window(m, l, "maxpool", err, 1);
}

/* Pooling compares, it does not multiply: no MACs. */
const struct mnet_op_desc mnet_maxpool_op = {
	.name = "maxpool",
	.n_inputs = 1,
	.flags = MNET_OP_F_WINDOW,
	.check = maxpool_check,
	.bytes = mnet_op_bytes_io,
};

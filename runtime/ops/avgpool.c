// SPDX-License-Identifier: Apache-2.0
/*
 * avgpool.c - MNET_OP_AVGPOOL: average pool (global when the window is
 * the whole input)
 */
#include "ops/op_common.h"
#include "ops/op_desc.h"

#define NAME "avgpool"

static int avgpool_check(const struct mnet_model *m, const struct mnet_layer *l,
			 struct mnet_err *err)
{
	return mnet_op_check_window(m, l, NAME, err, 1);
}

/* Pooling adds, it does not multiply: no MACs. */
const struct mnet_op_desc mnet_avgpool_op = {
	.name = NAME,
	.n_inputs = 1,
	.flags = MNET_OP_F_WINDOW,
	.check = avgpool_check,
	.bytes = mnet_op_bytes_io,
};

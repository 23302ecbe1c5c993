// SPDX-License-Identifier: Apache-2.0
/*
 * dwconv2d.c - MNET_OP_DWCONV2D: a depthwise kh x kw convolution
 *
 * Weights [kh][kw][c] (TFLite 1HWC, depth multiplier 1).
 */
#include "ops/op_common.h"
#include "ops/op_desc.h"

#define NAME "dwconv2d"

static size_t dwconv2d_weights(const struct mnet_layer *l)
{
	return (size_t)l->kh * (size_t)l->kw * (size_t)l->out_shape.c;
}

static int dwconv2d_check(const struct mnet_model *m,
			  const struct mnet_layer *l, struct mnet_err *err)
{
	return mnet_op_check_window(m, l, NAME, err, 1);
}

const struct mnet_op_desc mnet_dwconv2d_op = {
	.name = NAME,
	.n_inputs = 1,
	.has_weights = 1,
	.flags = MNET_OP_F_WINDOW | MNET_OP_F_BIAS,
	.expected_weights = dwconv2d_weights,
	.check = dwconv2d_check,
	.macs = mnet_op_macs_per_pixel,
	.bytes = mnet_op_bytes_io,
};

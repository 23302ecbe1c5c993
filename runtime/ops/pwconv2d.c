// SPDX-License-Identifier: Apache-2.0
/*
 * pwconv2d.c - MNET_OP_PWCONV2D: a 1x1 stride-1 convolution
 *
 * Weights [cout][cin].  Without an activation (MobileNetV2's linear
 * projection) it may absorb the residual ADD that follows it; see
 * mnet_residual_fusable().
 */
#include "ops/op_common.h"
#include "ops/op_desc.h"

#define NAME "pwconv2d"

static size_t pwconv2d_weights(const struct mnet_layer *l)
{
	return (size_t)l->out_shape.c * (size_t)l->in_shape.c;
}

static int pwconv2d_check(const struct mnet_model *m,
			  const struct mnet_layer *l, struct mnet_err *err)
{
	if (l->in_shape.h != l->out_shape.h || l->in_shape.w != l->out_shape.w)
		return mnet_op_bad(m, l, NAME, err,
				   "1x1 convolution changes spatial size");
	return 0;
}

const struct mnet_op_desc mnet_pwconv2d_op = {
	.name = NAME,
	.n_inputs = 1,
	.has_weights = 1,
	.flags = MNET_OP_F_POINTWISE | MNET_OP_F_BIAS | MNET_OP_F_RESIDUAL_SINK,
	.expected_weights = pwconv2d_weights,
	.check = pwconv2d_check,
	.macs = mnet_op_macs_per_pixel,
	.bytes = mnet_op_bytes_io,
	.output_kind = mnet_op_kind_conv,
};

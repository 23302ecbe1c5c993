// SPDX-License-Identifier: Apache-2.0
/*
 * conv2d.c - MNET_OP_CONV2D: a full kh x kw convolution
 *
 * Weights [cout][kh][kw][cin] (TFLite OHWI); MobileNet's first 3x3/2 layer.
 */
#include "ops/op_common.h"
#include "ops/op_desc.h"

#define NAME "conv2d"

static size_t conv2d_weights(const struct mnet_layer *l)
{
	return (size_t)l->out_shape.c * (size_t)l->kh * (size_t)l->kw *
	       (size_t)l->in_shape.c;
}

static int conv2d_check(const struct mnet_model *m, const struct mnet_layer *l,
			struct mnet_err *err)
{
	return mnet_op_check_window(m, l, NAME, err, 0);
}

const struct mnet_op_desc mnet_conv2d_op = {
	.name = NAME,
	.n_inputs = 1,
	.has_weights = 1,
	.flags = MNET_OP_F_WINDOW | MNET_OP_F_BIAS,
	.expected_weights = conv2d_weights,
	.check = conv2d_check,
	.macs = mnet_op_macs_per_pixel,
	.bytes = mnet_op_bytes_io,
	.output_kind = mnet_op_kind_conv,
};

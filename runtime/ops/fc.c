// SPDX-License-Identifier: Apache-2.0
/*
 * fc.c - MNET_OP_FC: fully connected on a 1x1xC input
 *
 * Weights [cout][cin], cin being every element of the input.
 */
#include "ops/op_common.h"
#include "ops/op_desc.h"

#define NAME "fc"

static size_t fc_weights(const struct mnet_layer *l)
{
	return (size_t)l->out_shape.c * mnet_shape_elems(l->in_shape);
}

static int fc_check(const struct mnet_model *m, const struct mnet_layer *l,
		    struct mnet_err *err)
{
	if (l->out_shape.h != 1 || l->out_shape.w != 1)
		return mnet_op_bad(m, l, NAME, err,
				   "fully connected output must be 1x1xN");
	return 0;
}

static uint64_t fc_macs(const struct mnet_layer *l)
{
	return (uint64_t)l->n_weights;
}

static int fc_output_kind(const struct mnet_layer *l)
{
	(void)l;
	return MNET_OUTPUT_LOGITS;
}

const struct mnet_op_desc mnet_fc_op = {
	.name = NAME,
	.n_inputs = 1,
	.has_weights = 1,
	.flags = MNET_OP_F_BIAS,
	.expected_weights = fc_weights,
	.check = fc_check,
	.macs = fc_macs,
	.bytes = mnet_op_bytes_io,
	.output_kind = fc_output_kind,
};

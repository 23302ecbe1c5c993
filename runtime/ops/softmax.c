// SPDX-License-Identifier: Apache-2.0
/*
 * softmax.c - MNET_OP_SOFTMAX: softmax over channels, with TFLite's beta
 */
#include "ops/op_common.h"
#include "ops/op_desc.h"

#define NAME "softmax"

static int softmax_check(const struct mnet_model *m, const struct mnet_layer *l,
			 struct mnet_err *err)
{
	if (!mnet_op_shape_eq(l->in_shape, l->out_shape))
		return mnet_op_bad(m, l, NAME, err, "softmax changes shape");
	return 0;
}

static int softmax_output_kind(const struct mnet_layer *l)
{
	(void)l;
	return MNET_OUTPUT_PROBABILITIES;
}

const struct mnet_op_desc mnet_softmax_op = {
	.name = NAME,
	.n_inputs = 1,
	.check = softmax_check,
	.bytes = mnet_op_bytes_io,
	.output_kind = softmax_output_kind,
};

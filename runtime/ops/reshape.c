// SPDX-License-Identifier: Apache-2.0
/*
 * reshape.c - MNET_OP_RESHAPE: reshape / squeeze, a copy of the same values
 */
#include "ops/op_common.h"
#include "ops/op_desc.h"

#define NAME "reshape"

static int reshape_check(const struct mnet_model *m, const struct mnet_layer *l,
			 struct mnet_err *err)
{
	if (mnet_shape_elems(l->in_shape) != mnet_shape_elems(l->out_shape))
		return mnet_op_bad(m, l, NAME, err,
				   "reshape changes element count");
	return 0;
}

/* The same values: the output means what the input does. */
static int reshape_output_kind(const struct mnet_layer *l)
{
	(void)l;
	return MNET_OP_KIND_OF_INPUT;
}

const struct mnet_op_desc mnet_reshape_op = {
	.name = NAME,
	.n_inputs = 1,
	.check = reshape_check,
	.bytes = mnet_op_bytes_io,
	.output_kind = reshape_output_kind,
};

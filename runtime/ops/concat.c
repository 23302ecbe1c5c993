// SPDX-License-Identifier: Apache-2.0
/*
 * concat.c - MNET_OP_CONCAT: in ++ in2 along channels
 *
 * Two inputs of the same height and width; the output's channels are
 * in's, then in2's.  A TFLite CONCATENATION of more inputs is a chain of
 * these (see ir.h).
 */
#include "ops/op_common.h"
#include "ops/op_desc.h"

#define NAME "concat"

static int concat_check(const struct mnet_model *m, const struct mnet_layer *l,
			struct mnet_err *err)
{
	struct mnet_shape a = l->in_shape, b = m->tensors[l->in2].shape;
	struct mnet_shape o = l->out_shape;

	if (a.h != o.h || a.w != o.w || b.h != o.h || b.w != o.w ||
	    (long)a.c + b.c != o.c)
		return mnet_op_bad(m, l, NAME, err,
				   "%dx%dx%d ++ %dx%dx%d cannot give %dx%dx%d",
				   a.h, a.w, a.c, b.h, b.w, b.c, o.h, o.w, o.c);
	return 0;
}

/* Both inputs and the output, each once. */
static uint64_t concat_bytes(const struct mnet_layer *l)
{
	return 2 * (uint64_t)mnet_shape_elems(l->out_shape) * sizeof(float);
}

const struct mnet_op_desc mnet_concat_op = {
	.name = NAME,
	.n_inputs = 2,
	.check = concat_check,
	.bytes = concat_bytes,
};

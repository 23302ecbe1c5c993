// SPDX-License-Identifier: Apache-2.0
/*
 * resize.c - MNET_OP_RESIZE_BILINEAR: bilinear resize of H and W
 *
 * The sampling grid follows TFLite: align_corners and half_pixel_centers
 * (&struct mnet_layer.align_corners, .half_pixel) as the file says; see
 * host/ref/resize.c for the arithmetic.
 */
#include "ops/op_common.h"
#include "ops/op_desc.h"

#define NAME "resize_bilinear"

static int resize_check(const struct mnet_model *m, const struct mnet_layer *l,
			struct mnet_err *err)
{
	if (l->in_shape.c != l->out_shape.c)
		return mnet_op_bad(m, l, NAME, err,
				   "channel count changes (%d -> %d)",
				   l->in_shape.c, l->out_shape.c);
	if (l->align_corners && l->half_pixel)
		return mnet_op_bad(m, l, NAME, err,
				   "align_corners and half_pixel_centers together");
	return 0;
}

/* Four taps per output value; the interpolation weights are not MACs. */
static uint64_t resize_bytes(const struct mnet_layer *l)
{
	return (4 * (uint64_t)mnet_shape_elems(l->out_shape) +
		(uint64_t)mnet_shape_elems(l->out_shape)) * sizeof(float);
}

const struct mnet_op_desc mnet_resize_bilinear_op = {
	.name = NAME,
	.n_inputs = 1,
	.check = resize_check,
	.bytes = resize_bytes,
};

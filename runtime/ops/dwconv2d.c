// SPDX-License-Identifier: Apache-2.0
/*
 * dwconv2d.c - MNET_OP_DWCONV2D: a depthwise kh x kw convolution
 *
 * Weights [kh][kw][c] (TFLite 1HWC, depth multiplier 1).  Also
 * MNET_OP_DWCONV2D_DIL, its dilated form.
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

#define NAME_DIL "dwconv2d_dilated"

/*
 * MNET_OP_DWCONV2D_DIL: the same weights, taps dil_h rows and dil_w
 * columns apart (DeepLab's atrous backbone).  A separate op rather than a
 * field of MNET_OP_DWCONV2D so that a backend without a dilated kernel
 * has no entry for it and refuses it, or runs it on the host, by its
 * table, instead of computing an undilated convolution silently.  The
 * window rules are those of the effective kernel (k - 1) * d + 1.
 */
static int dwconv2d_dil_check(const struct mnet_model *m,
			      const struct mnet_layer *l, struct mnet_err *err)
{
	struct mnet_layer e = *l;

	if (l->dil_h < 1 || l->dil_w < 1 || l->dil_h > 64 || l->dil_w > 64)
		return mnet_op_bad(m, l, NAME_DIL, err,
				   "dilation %dx%d; 1..64 is supported",
				   l->dil_h, l->dil_w);
	e.kh = (l->kh - 1) * l->dil_h + 1;
	e.kw = (l->kw - 1) * l->dil_w + 1;
	if (l->kh < 1 || l->kw < 1 || e.kh > 64 || e.kw > 64)
		return mnet_op_bad(m, l, NAME_DIL, err,
				   "kernel %dx%d dilated %dx%d; an effective kernel of 1..64 is supported",
				   l->kh, l->kw, l->dil_h, l->dil_w);
	return mnet_op_check_window(m, &e, NAME_DIL, err, 1);
}

const struct mnet_op_desc mnet_dwconv2d_dil_op = {
	.name = NAME_DIL,
	.n_inputs = 1,
	.has_weights = 1,
	.flags = MNET_OP_F_WINDOW | MNET_OP_F_BIAS,
	.expected_weights = dwconv2d_weights,
	.check = dwconv2d_dil_check,
	.macs = mnet_op_macs_per_pixel,
	.bytes = mnet_op_bytes_io,
};

// SPDX-License-Identifier: Apache-2.0
/*
 * backbone.c - DeepLab's ops on cl_kernels/backbone.cl: bilinear resize,
 * concatenation along channels, arg-max over channels, and the dilated
 * depthwise convolution
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "opencl/ops/cl_op.h"

static int resize_options(const struct mnet_layer *l,
			  const struct mnet_cl_layer_cfg *cfg, int cpad,
			  struct mnet_cl_layer_plan *plan)
{
	(void)cfg;
	(void)cpad;
	mnet_cl_opts_int(&plan->opts, "C", l->out_shape.c);
	mnet_cl_opts_int(&plan->opts, "H_IN", l->in_shape.h);
	mnet_cl_opts_int(&plan->opts, "W_IN", l->in_shape.w);
	mnet_cl_opts_int(&plan->opts, "H_OUT", l->out_shape.h);
	mnet_cl_opts_int(&plan->opts, "W_OUT", l->out_shape.w);
	mnet_cl_opts_int(&plan->opts, "ALIGN_CORNERS", !!l->align_corners);
	mnet_cl_opts_int(&plan->opts, "HALF_PIXEL", !!l->half_pixel);
	return 0;
}

const struct mnet_cl_op mnet_cl_op_resize = {
	.name = "resize_bilinear",
	.file = "backbone.cl",
	.kernel = "resize_bilinear",
	.args = { MNET_CL_ARG_IN, MNET_CL_ARG_OUT },
	.n_args = 2,
	.options = resize_options,
	.range = mnet_cl_op_range_chw,
};

static int concat_options(const struct mnet_layer *l,
			  const struct mnet_cl_layer_cfg *cfg, int cpad,
			  struct mnet_cl_layer_plan *plan)
{
	(void)cfg;
	(void)cpad;
	mnet_cl_opts_int(&plan->opts, "CA", l->in_shape.c);
	mnet_cl_opts_int(&plan->opts, "CB", l->out_shape.c - l->in_shape.c);
	mnet_cl_opts_int(&plan->opts, "NPX",
			 (long)l->out_shape.h * l->out_shape.w);
	return 0;
}

static unsigned int concat_range(const struct mnet_layer *l,
				 const struct mnet_cl_layer_cfg *cfg,
				 size_t g[3])
{
	(void)cfg;
	g[0] = l->out_shape.c;
	g[1] = (size_t)l->out_shape.h * l->out_shape.w;
	return 2;
}

const struct mnet_cl_op mnet_cl_op_concat = {
	.name = "concat",
	.file = "backbone.cl",
	.kernel = "concat",
	.args = { MNET_CL_ARG_IN, MNET_CL_ARG_IN2, MNET_CL_ARG_OUT },
	.n_args = 3,
	.options = concat_options,
	.range = concat_range,
};

static int argmax_options(const struct mnet_layer *l,
			  const struct mnet_cl_layer_cfg *cfg, int cpad,
			  struct mnet_cl_layer_plan *plan)
{
	(void)cfg;
	(void)cpad;
	mnet_cl_opts_int(&plan->opts, "C", l->in_shape.c);
	mnet_cl_opts_int(&plan->opts, "NPX",
			 (long)l->out_shape.h * l->out_shape.w);
	return 0;
}

static unsigned int argmax_range(const struct mnet_layer *l,
				 const struct mnet_cl_layer_cfg *cfg,
				 size_t g[3])
{
	(void)cfg;
	g[0] = (size_t)l->out_shape.h * l->out_shape.w;
	return 1;
}

const struct mnet_cl_op mnet_cl_op_argmax = {
	.name = "argmax",
	.file = "backbone.cl",
	.kernel = "argmax",
	.args = { MNET_CL_ARG_IN, MNET_CL_ARG_OUT },
	.n_args = 2,
	.options = argmax_options,
	.range = argmax_range,
};

static int dwdil_options(const struct mnet_layer *l,
			 const struct mnet_cl_layer_cfg *cfg, int cpad,
			 struct mnet_cl_layer_plan *plan)
{
	(void)cfg;
	(void)cpad;
	mnet_cl_opts_int(&plan->opts, "C", l->out_shape.c);
	mnet_cl_op_spatial_opts(&plan->opts, l);
	mnet_cl_opts_int(&plan->opts, "DIL_H", l->dil_h);
	mnet_cl_opts_int(&plan->opts, "DIL_W", l->dil_w);
	return 0;
}

/* The IR's [kh][kw][c] as it is; the bias padded as the others are. */
static int dwdil_pack(const struct mnet_layer *l, int cpad, float **w,
		      size_t *nw, size_t *nb)
{
	*nw = (size_t)l->kh * l->kw * l->out_shape.c;
	*w = malloc(*nw * sizeof(float));
	if (!*w)
		return -ENOMEM;
	memcpy(*w, l->weights, *nw * sizeof(float));
	*nb = cpad;
	return 0;
}

const struct mnet_cl_op mnet_cl_op_dwconv_dil = {
	.name = "dwconv_dil",
	.file = "backbone.cl",
	.kernel = "dwconv_dil",
	.args = { MNET_CL_ARG_IN, MNET_CL_ARG_W, MNET_CL_ARG_BIAS,
		  MNET_CL_ARG_OUT },
	.n_args = 4,
	.options = dwdil_options,
	.range = mnet_cl_op_range_chw,
	.pack = dwdil_pack,
};

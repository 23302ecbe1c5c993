// SPDX-License-Identifier: Apache-2.0
/*
 * avgpool.c - the average and max pools on cl_kernels/avgpool.cl
 */
#include "opencl/ops/cl_op.h"

static int avgpool_options(const struct mnet_layer *l,
			   const struct mnet_cl_layer_cfg *cfg, int cpad,
			   struct mnet_cl_layer_plan *plan)
{
	(void)cfg;
	(void)cpad;
	mnet_cl_opts_int(&plan->opts, "C", l->out_shape.c);
	mnet_cl_op_spatial_opts(&plan->opts, l);
	return 0;
}

static unsigned int avgpool_range(const struct mnet_layer *l,
				  const struct mnet_cl_layer_cfg *cfg,
				  size_t g[3])
{
	(void)cfg;
	g[0] = l->out_shape.c;
	g[1] = l->out_shape.w;
	g[2] = l->out_shape.h;
	return 3;
}

const struct mnet_cl_op mnet_cl_op_avgpool = {
	.name = "avgpool",
	.file = "avgpool.cl",
	.kernel = "avgpool",
	.args = { MNET_CL_ARG_IN, MNET_CL_ARG_OUT },
	.n_args = 2,
	.options = avgpool_options,
	.range = avgpool_range,
};

const struct mnet_cl_op mnet_cl_op_maxpool = {
	.name = "maxpool",
	.file = "avgpool.cl",
	.kernel = "maxpool",
	.args = { MNET_CL_ARG_IN, MNET_CL_ARG_OUT },
	.n_args = 2,
	.options = avgpool_options,
	.range = avgpool_range,
};

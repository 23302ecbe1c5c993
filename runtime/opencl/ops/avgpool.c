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

const struct mnet_cl_op mnet_cl_op_avgpool = {
	.name = "avgpool",
	.file = "avgpool.cl",
	.kernel = "avgpool",
	.args = { MNET_CL_ARG_IN, MNET_CL_ARG_OUT },
	.n_args = 2,
	.options = avgpool_options,
	.range = mnet_cl_op_range_chw,
};

const struct mnet_cl_op mnet_cl_op_maxpool = {
	.name = "maxpool",
	.file = "avgpool.cl",
	.kernel = "maxpool",
	.args = { MNET_CL_ARG_IN, MNET_CL_ARG_OUT },
	.n_args = 2,
	.options = avgpool_options,
	.range = mnet_cl_op_range_chw,
};

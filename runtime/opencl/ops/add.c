// SPDX-License-Identifier: Apache-2.0
/*
 * add.c - the elementwise ADD on cl_kernels/add.cl (a residual ADD that a
 * 1x1 convolution absorbs launches nothing, see pwconv.c), and a RELU /
 * RELU6 layer on its act kernel
 */
#include "opencl/ops/cl_op.h"

static int add_options(const struct mnet_layer *l,
		       const struct mnet_cl_layer_cfg *cfg, int cpad,
		       struct mnet_cl_layer_plan *plan)
{
	(void)cfg;
	(void)cpad;
	mnet_cl_opts_int(&plan->opts, "N",
			 (long)mnet_shape_elems(l->out_shape));
	return 0;
}

static unsigned int add_range(const struct mnet_layer *l,
			      const struct mnet_cl_layer_cfg *cfg, size_t g[3])
{
	g[0] = mnet_cl_div_up(mnet_shape_elems(l->out_shape), cfg->vw);
	return 1;
}

const struct mnet_cl_op mnet_cl_op_add = {
	.name = "add",
	.file = "add.cl",
	.kernel = "add",
	.args = { MNET_CL_ARG_IN, MNET_CL_ARG_IN2, MNET_CL_ARG_OUT },
	.n_args = 3,
	.knobs = MNET_CL_KNOB_VW,
	.options = add_options,
	.range = add_range,
};

const struct mnet_cl_op mnet_cl_op_act = {
	.name = "act",
	.file = "add.cl",
	.kernel = "act",
	.args = { MNET_CL_ARG_IN, MNET_CL_ARG_OUT },
	.n_args = 2,
	.knobs = MNET_CL_KNOB_VW,
	.options = add_options,
	.range = add_range,
};

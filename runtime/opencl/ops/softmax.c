// SPDX-License-Identifier: Apache-2.0
/*
 * softmax.c - the softmax over channels on cl_kernels/softmax.cl
 *
 * One work-group per pixel reduces its channels in local memory; the
 * work-group size is a build option (the tree reduction's width), so it
 * must be a power of two and cannot shrink once built.
 */
#include <errno.h>
#include <stdio.h>

#include "opencl/ops/cl_op.h"

static void softmax_defaults(const struct mnet_layer *l, int cpu,
			     size_t target, struct mnet_cl_layer_cfg *cfg)
{
	size_t c = mnet_cl_pow2_ceil(l->out_shape.c);

	(void)cpu;
	cfg->wg[0] = c < target ? c : target;
	/* the kernel's tree reduction needs a power of two */
	while (cfg->wg[0] & (cfg->wg[0] - 1))
		cfg->wg[0] &= cfg->wg[0] - 1;
	cfg->wg[1] = cfg->wg[2] = 1;
}

static int softmax_options(const struct mnet_layer *l,
			   const struct mnet_cl_layer_cfg *cfg, int cpad,
			   struct mnet_cl_layer_plan *plan)
{
	char beta[64];

	(void)cpad;
	if (cfg->wg[0] & (cfg->wg[0] - 1) || cfg->wg[1] != 1)
		return -EINVAL;
	mnet_cl_opts_int(&plan->opts, "C", l->out_shape.c);
	mnet_cl_opts_int(&plan->opts, "WG", (long)cfg->wg[0]);
	snprintf(beta, sizeof(beta), "-DBETA=%.9ef", (double)l->beta);
	mnet_cl_opts_raw(&plan->opts, beta);
	return 0;
}

static unsigned int softmax_range(const struct mnet_layer *l,
				  const struct mnet_cl_layer_cfg *cfg,
				  size_t g[3])
{
	g[0] = cfg->wg[0];
	g[1] = (size_t)l->out_shape.h * l->out_shape.w;
	return 2;
}

const struct mnet_cl_op mnet_cl_op_softmax = {
	.name = "softmax",
	.file = "softmax.cl",
	.kernel = "softmax",
	.args = { MNET_CL_ARG_IN, MNET_CL_ARG_OUT },
	.n_args = 2,
	.knobs = MNET_CL_KNOB_WG_BUILT,
	.local_per_item = sizeof(float),
	.defaults = softmax_defaults,
	.options = softmax_options,
	.range = softmax_range,
};

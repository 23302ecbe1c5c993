// SPDX-License-Identifier: Apache-2.0
/*
 * fc.c - the fully connected layer on cl_kernels/fc.cl
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "opencl/ops/cl_op.h"

static int fc_options(const struct mnet_layer *l,
		      const struct mnet_cl_layer_cfg *cfg, int cpad,
		      struct mnet_cl_layer_plan *plan)
{
	(void)cfg;
	(void)cpad;
	mnet_cl_opts_int(&plan->opts, "N_IN",
			 (long)mnet_shape_elems(l->in_shape));
	mnet_cl_opts_int(&plan->opts, "COUT", l->out_shape.c);
	return 0;
}

static unsigned int fc_range(const struct mnet_layer *l,
			     const struct mnet_cl_layer_cfg *cfg, size_t g[3])
{
	(void)cfg;
	g[0] = l->out_shape.c;
	return 1;
}

/* the IR layout is already one contiguous row per output; no padding */
static int fc_pack(const struct mnet_layer *l, int cpad, float **w,
		   size_t *nw, size_t *nb)
{
	(void)cpad;
	*nw = l->n_weights;
	*w = malloc(*nw * sizeof(float));
	if (!*w)
		return -ENOMEM;
	memcpy(*w, l->weights, *nw * sizeof(float));
	*nb = l->out_shape.c;
	return 0;
}

const struct mnet_cl_op mnet_cl_op_fc = {
	.name = "fc",
	.file = "fc.cl",
	.kernel = "fc",
	.args = { MNET_CL_ARG_IN, MNET_CL_ARG_W, MNET_CL_ARG_BIAS,
		  MNET_CL_ARG_OUT },
	.n_args = 4,
	.options = fc_options,
	.range = fc_range,
	.pack = fc_pack,
};

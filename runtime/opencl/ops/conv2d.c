// SPDX-License-Identifier: Apache-2.0
/*
 * conv2d.c - the general KxK convolution on cl_kernels/conv2d.cl
 */
#include <errno.h>
#include <stdlib.h>

#include "opencl/ops/cl_op.h"

/*
 * A loader may express a 1x1 stride-1 unpadded convolution as CONV2D; its
 * weights [cout][1][1][cin] are exactly pwconv's [cout][cin], so it runs on
 * the register-tiled pwconv kernel instead of the general one.
 */
static const struct mnet_cl_op *conv2d_choose(const struct mnet_layer *l)
{
	if (l->kh == 1 && l->kw == 1 && l->stride_h == 1 &&
	    l->stride_w == 1 && l->pad_top == 0 && l->pad_left == 0 &&
	    l->in_shape.h == l->out_shape.h && l->in_shape.w == l->out_shape.w)
		return &mnet_cl_op_pwconv;
	return &mnet_cl_op_conv2d;
}

static void conv2d_defaults(const struct mnet_layer *l, int cpu,
			    size_t target, struct mnet_cl_layer_cfg *cfg)
{
	(void)target;
	cfg->vw = mnet_cl_op_vw_default(l, cpu, 1);
}

static int conv2d_options(const struct mnet_layer *l,
			  const struct mnet_cl_layer_cfg *cfg, int cpad,
			  struct mnet_cl_layer_plan *plan)
{
	struct mnet_cl_opts *o = &plan->opts;

	(void)cfg;
	/*
	 * Weights that fit 8 KiB go through local memory (any device has
	 * 16 KiB or more): the first layer's 27 x 32 are 3.4 KiB.
	 */
	if ((size_t)l->kh * l->kw * l->in_shape.c * cpad * sizeof(float) <=
	    8192)
		mnet_cl_opts_int(o, "W_LOCAL", 1);
	mnet_cl_opts_int(o, "CIN", l->in_shape.c);
	mnet_cl_opts_int(o, "COUT", l->out_shape.c);
	mnet_cl_opts_int(o, "COUT_PAD", cpad);
	mnet_cl_op_spatial_opts(o, l);
	return 0;
}

static unsigned int conv2d_range(const struct mnet_layer *l,
				 const struct mnet_cl_layer_cfg *cfg,
				 size_t g[3])
{
	g[0] = mnet_cl_div_up(l->out_shape.c, cfg->vw);
	g[1] = l->out_shape.w;
	g[2] = l->out_shape.h;
	return 3;
}

/* [cout][kh][kw][cin] -> [kh][kw][cin][cpad] */
static int conv2d_pack(const struct mnet_layer *l, int cpad, float **w,
		       size_t *nw, size_t *nb)
{
	int cout = l->out_shape.c, cin = l->in_shape.c;
	int k, ci, co, taps = l->kh * l->kw;

	*nw = (size_t)taps * cin * cpad;
	*w = calloc(*nw, sizeof(float));
	if (!*w)
		return -ENOMEM;
	for (co = 0; co < cout; co++)
		for (k = 0; k < taps; k++)
			for (ci = 0; ci < cin; ci++)
				(*w)[((size_t)k * cin + ci) * cpad + co] =
					l->weights[((size_t)co * taps + k) * cin + ci];
	*nb = cpad;
	return 0;
}

const struct mnet_cl_op mnet_cl_op_conv2d = {
	.name = "conv2d",
	.file = "conv2d.cl",
	.kernel = "conv2d",
	.args = { MNET_CL_ARG_IN, MNET_CL_ARG_W, MNET_CL_ARG_BIAS,
		  MNET_CL_ARG_OUT },
	.n_args = 4,
	.knobs = MNET_CL_KNOB_VW,
	.choose = conv2d_choose,
	.defaults = conv2d_defaults,
	.options = conv2d_options,
	.range = conv2d_range,
	.pack = conv2d_pack,
};

// SPDX-License-Identifier: Apache-2.0
/*
 * pwconv.c - the 1x1 convolution on cl_kernels/pwconv.cl, with the fused
 * residual ADD of MobileNetV2's projections
 */
#include <errno.h>
#include <stdlib.h>

#include "opencl/ops/cl_op.h"

static void pwconv_defaults(const struct mnet_layer *l, int cpu,
			    size_t target, struct mnet_cl_layer_cfg *cfg)
{
	long npix = (long)l->out_shape.h * l->out_shape.w;
	size_t g0, g1;

	/*
	 * 8 pixels per work-item measured another ~20% over 4 on PoCL
	 * (weights are reread once per pixel block), scalar input loads
	 * another ~15%; GPUs keep the tile small.
	 */
	cfg->vw = mnet_cl_op_vw_default(l, cpu, 0);
	cfg->ppt = cpu ? 8 : 4;
	if (cfg->ppt > npix)
		cfg->ppt = (int)npix;	/* 1x1 classifiers */
	cfg->in_vec = cpu ? 1 : 4;
	/*
	 * GPUs: the local-memory tile, up to 64 channels x 32 pixels per
	 * work-group (16 x 8 work-items), 16 input channels a slice (6 KiB):
	 * each input crosses global memory once per 64 output channels, each
	 * weight once per 32 pixels.  CPUs (PoCL) share through their caches
	 * instead: the tiled kernel measured 3.5x slower there (V1 1.0/224,
	 * pwconv 10.6 -> 35.5 ms, KS 16 or 64 alike), so they keep the
	 * untiled one, in work-groups of the same shape (4 x 8).
	 */
	cfg->ks = cpu ? 0 : 16;
	g0 = mnet_cl_div_up(l->out_shape.c, cfg->vw);
	g1 = mnet_cl_div_up(npix, cfg->ppt);
	cfg->wg[0] = mnet_cl_pow2_ceil(g0);
	if (cfg->wg[0] > 64 / (size_t)cfg->vw)
		cfg->wg[0] = 64 / cfg->vw;
	cfg->wg[1] = mnet_cl_pow2_ceil(g1);
	if (cfg->wg[1] > 64 / (size_t)cfg->ppt)
		cfg->wg[1] = 64 / cfg->ppt;
	cfg->wg[2] = 1;
	while (cfg->wg[0] * cfg->wg[1] > target) {
		if (cfg->wg[1] >= cfg->wg[0])
			cfg->wg[1] /= 2;
		else
			cfg->wg[0] /= 2;
	}
}

/* The tile's weights (KS x TC) and inputs (TP x KS), as floats. */
static size_t pwconv_local_bytes(const struct mnet_layer *l,
				 const struct mnet_cl_layer_cfg *cfg)
{
	(void)l;
	if (!cfg->ks || !cfg->wg[0])
		return 0;
	return (size_t)cfg->ks * (cfg->wg[0] * cfg->vw +
				  cfg->wg[1] * cfg->ppt) * sizeof(float);
}

/*
 * A PWCONV2D with in2 >= 0 is the session's view of a 1x1 convolution that
 * absorbs the ADD after it (mnet_residual_fusable()): its kernel adds the
 * residual tensor before the store when the add_res argument is set.
 */
static int pwconv_options(const struct mnet_layer *l,
			  const struct mnet_cl_layer_cfg *cfg, int cpad,
			  struct mnet_cl_layer_plan *plan)
{
	struct mnet_cl_opts *o = &plan->opts;

	mnet_cl_opts_int(o, "CIN", l->in_shape.c);
	mnet_cl_opts_int(o, "COUT", l->out_shape.c);
	mnet_cl_opts_int(o, "COUT_PAD", cpad);
	mnet_cl_opts_int(o, "NPIX", (long)l->out_shape.h * l->out_shape.w);
	mnet_cl_opts_int(o, "PPT", cfg->ppt);
	mnet_cl_opts_int(o, "IN_VEC", cfg->in_vec);
	/* a tile follows the work-group: none with wg=auto */
	if (cfg->ks && cfg->wg[0]) {
		if (cfg->wg[2] > 1)
			return -EINVAL;
		mnet_cl_opts_int(o, "KS", cfg->ks);
		mnet_cl_opts_int(o, "LX", (long)cfg->wg[0]);
		mnet_cl_opts_int(o, "LY", (long)cfg->wg[1]);
	}
	if (l->op == MNET_OP_PWCONV2D && l->in2 >= 0) {
		mnet_cl_opts_int(o, "RESIDUAL", 1);
		plan->residual = 1;
		plan->args[plan->n_args++] = MNET_CL_ARG_RES;
		plan->args[plan->n_args++] = MNET_CL_ARG_ADD_RES;
	}
	return 0;
}

static unsigned int pwconv_range(const struct mnet_layer *l,
				 const struct mnet_cl_layer_cfg *cfg,
				 size_t g[3])
{
	g[0] = mnet_cl_div_up(l->out_shape.c, cfg->vw);
	g[1] = mnet_cl_div_up((size_t)l->out_shape.h * l->out_shape.w,
			      cfg->ppt);
	return 2;
}

/*
 * Per output element: the weights once per pixel tile and the inputs once
 * per channel tile (the work-group's with the local-memory tile, the
 * work-item's without), the store and a fused residual; ideally each
 * input, weight and output once.
 */
static double pwconv_traffic(const struct mnet_layer *l,
			     const struct mnet_cl_layer_cfg *cfg)
{
	double cin = l->in_shape.c, cout = l->out_shape.c;
	double npix = (double)l->out_shape.h * l->out_shape.w;
	double tc = cfg->vw, tp = cfg->ppt, res = l->in2 >= 0 ? 1 : 0;

	if (cfg->ks && cfg->wg[0]) {
		tc *= cfg->wg[0];
		tp *= cfg->wg[1];
	}
	if (tc > cout)
		tc = cout;
	if (tp > npix)
		tp = npix;
	return (cin / tp + cin / tc + 1 + res) /
	       (cin / cout + cin / npix + 1 + res);
}

/* [cout][cin] -> [cin][cpad] */
static int pwconv_pack(const struct mnet_layer *l, int cpad, float **w,
		       size_t *nw, size_t *nb)
{
	int cout = l->out_shape.c, cin = l->in_shape.c, ci, co;

	*nw = (size_t)cin * cpad;
	*w = calloc(*nw, sizeof(float));
	if (!*w)
		return -ENOMEM;
	for (co = 0; co < cout; co++)
		for (ci = 0; ci < cin; ci++)
			(*w)[(size_t)ci * cpad + co] =
				l->weights[(size_t)co * cin + ci];
	*nb = cpad;
	return 0;
}

const struct mnet_cl_op mnet_cl_op_pwconv = {
	.name = "pwconv",
	.file = "pwconv.cl",
	.kernel = "pwconv",
	.args = { MNET_CL_ARG_IN, MNET_CL_ARG_W, MNET_CL_ARG_BIAS,
		  MNET_CL_ARG_OUT },
	.n_args = 4,
	.knobs = MNET_CL_KNOB_VW | MNET_CL_KNOB_PPT | MNET_CL_KNOB_IN_VEC |
		 MNET_CL_KNOB_KS | MNET_CL_KNOB_WG_SHAPE,
	.local_bytes = pwconv_local_bytes,
	.traffic = pwconv_traffic,
	.traffic_max = 8.0,
	.defaults = pwconv_defaults,
	.options = pwconv_options,
	.range = pwconv_range,
	.pack = pwconv_pack,
};

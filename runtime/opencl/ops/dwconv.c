// SPDX-License-Identifier: Apache-2.0
/*
 * dwconv.c - the depthwise convolution on cl_kernels/dwconv.cl
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "opencl/ops/cl_op.h"

/*
 * A 4 x 8 output tile per work-item: at stride 1 each input is read about
 * 1.9 times (6 columns x 10 rows for 32 outputs), each weight once per 32
 * outputs, about 1.6x the ideal traffic (issue #19: at most 2x); the
 * window (3 rows x 6 columns), the 9 weights and the 4 accumulators are
 * 31 vectors of registers, whatever the rows.  On PoCL (AVX-512, 16
 * channels) 4 x 4 and 4 x 8 measured as fast as the old 1 x 1, 2 x 8
 * ~30% slower.
 */
static void dwconv_defaults(const struct mnet_layer *l, int cpu,
			    size_t target, struct mnet_cl_layer_cfg *cfg)
{
	(void)target;
	cfg->vw = mnet_cl_op_vw_default(l, cpu, 0);
	cfg->oxt = 4;
	cfg->oyt = 8;
}

static int dwconv_options(const struct mnet_layer *l,
			  const struct mnet_cl_layer_cfg *cfg, int cpad,
			  struct mnet_cl_layer_plan *plan)
{
	struct mnet_cl_opts *o = &plan->opts;

	mnet_cl_opts_int(o, "C", l->out_shape.c);
	mnet_cl_opts_int(o, "CPAD", cpad);
	mnet_cl_opts_int(o, "OXT", cfg->oxt);
	mnet_cl_opts_int(o, "OYT", cfg->oyt);
	mnet_cl_op_spatial_opts(o, l);
	return 0;
}

static unsigned int dwconv_range(const struct mnet_layer *l,
				 const struct mnet_cl_layer_cfg *cfg,
				 size_t g[3])
{
	g[0] = mnet_cl_div_up(l->out_shape.c, cfg->vw);
	g[1] = mnet_cl_div_up(l->out_shape.w, cfg->oxt);
	g[2] = mnet_cl_div_up(l->out_shape.h, cfg->oyt);
	return 3;
}

/*
 * Per output element: the tile's window (NCOL columns x the rows its OYT
 * outputs span) and its KH x KW weights and bias, over the tile's
 * outputs, and the store; ideally the input once, the output once.
 */
static double dwconv_traffic(const struct mnet_layer *l,
			     const struct mnet_cl_layer_cfg *cfg)
{
	int ox = cfg->oxt < l->out_shape.w ? cfg->oxt : l->out_shape.w;
	int oy = cfg->oyt < l->out_shape.h ? cfg->oyt : l->out_shape.h;
	double cols = (double)(ox - 1) * l->stride_w + l->kw;
	double rows = (double)(oy - 1) * l->stride_h + l->kh;
	double npix = (double)l->out_shape.h * l->out_shape.w;
	double ideal = (double)l->in_shape.h * l->in_shape.w / npix + 1 +
		       (l->kh * l->kw + 1) / npix;

	return ((cols * rows + l->kh * l->kw + 1) / (ox * oy) + 1) / ideal;
}

/* [kh][kw][c] -> [kh][kw][cpad] */
static int dwconv_pack(const struct mnet_layer *l, int cpad, float **w,
		       size_t *nw, size_t *nb)
{
	int k, cout = l->out_shape.c, taps = l->kh * l->kw;

	*nw = (size_t)taps * cpad;
	*w = calloc(*nw, sizeof(float));
	if (!*w)
		return -ENOMEM;
	for (k = 0; k < taps; k++)
		memcpy(*w + (size_t)k * cpad, l->weights + (size_t)k * cout,
		       cout * sizeof(float));
	*nb = cpad;
	return 0;
}

const struct mnet_cl_op mnet_cl_op_dwconv = {
	.name = "dwconv",
	.file = "dwconv.cl",
	.kernel = "dwconv",
	.args = { MNET_CL_ARG_IN, MNET_CL_ARG_W, MNET_CL_ARG_BIAS,
		  MNET_CL_ARG_OUT },
	.n_args = 4,
	.knobs = MNET_CL_KNOB_VW | MNET_CL_KNOB_OXT | MNET_CL_KNOB_OYT,
	.defaults = dwconv_defaults,
	.options = dwconv_options,
	.range = dwconv_range,
	.pack = dwconv_pack,
	.traffic = dwconv_traffic,
	.traffic_max = 2.0,
};

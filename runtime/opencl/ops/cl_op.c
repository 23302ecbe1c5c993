// SPDX-License-Identifier: Apache-2.0
/*
 * cl_op.c - what the op entries of runtime/opencl/ops/ share
 */
#include "opencl/ops/cl_op.h"

size_t mnet_cl_pow2_ceil(size_t n)
{
	size_t p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

int mnet_cl_op_has_arg(const struct mnet_cl_op *op, enum mnet_cl_arg kind)
{
	unsigned int i;

	for (i = 0; i < op->n_args; i++)
		if (op->args[i] == kind)
			return 1;
	return 0;
}

int mnet_cl_op_vw_default(const struct mnet_layer *l, int cpu, int gpu_vw8)
{
	if (cpu)
		return l->out_shape.c >= 16 ? 16 : l->out_shape.c >= 8 ? 8 : 4;
	return gpu_vw8 && l->out_shape.c >= 8 ? 8 : 4;
}

size_t mnet_cl_op_local_bytes(const struct mnet_cl_op *op,
			      const struct mnet_layer *l,
			      const struct mnet_cl_layer_cfg *cfg)
{
	size_t wg = cfg->wg[0] ? cfg->wg[0] * cfg->wg[1] * cfg->wg[2] : 0;
	size_t n = (op->local_per_item + op->local_arg_per_item) * wg;

	if (op->local_bytes)
		n += op->local_bytes(l, cfg);
	return n;
}

unsigned int mnet_cl_op_range_chw(const struct mnet_layer *l,
				  const struct mnet_cl_layer_cfg *cfg,
				  size_t g[3])
{
	(void)cfg;
	g[0] = l->out_shape.c;
	g[1] = l->out_shape.w;
	g[2] = l->out_shape.h;
	return 3;
}

void mnet_cl_op_spatial_opts(struct mnet_cl_opts *o, const struct mnet_layer *l)
{
	mnet_cl_opts_int(o, "H_IN", l->in_shape.h);
	mnet_cl_opts_int(o, "W_IN", l->in_shape.w);
	mnet_cl_opts_int(o, "H_OUT", l->out_shape.h);
	mnet_cl_opts_int(o, "W_OUT", l->out_shape.w);
	mnet_cl_opts_int(o, "KH", l->kh);
	mnet_cl_opts_int(o, "KW", l->kw);
	mnet_cl_opts_int(o, "STRIDE_H", l->stride_h);
	mnet_cl_opts_int(o, "STRIDE_W", l->stride_w);
	mnet_cl_opts_int(o, "PAD_T", l->pad_top);
	mnet_cl_opts_int(o, "PAD_L", l->pad_left);
}

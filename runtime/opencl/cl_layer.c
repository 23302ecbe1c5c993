// SPDX-License-Identifier: Apache-2.0
/*
 * cl_layer.c - layer -> kernel: defaults, build options, NDRange, weights
 *
 * DOC: layer mapping
 *
 * Each IR op has one kernel file, described by its entry in the op table
 * (runtime/opencl/ops/: kernel, arguments, knobs, options, NDRange,
 * weight layout); this file does what is common to all of them.  Every
 * constant of a layer (shapes, strides, padding, activation, vector
 * width, tiles) becomes a -D option, so each distinct layer gets its own
 * specialised program and the compiler sees fixed trip counts.  The knobs a tuner may change are gathered in
 * &struct mnet_cl_layer_cfg; this file supplies the defaults by a simple
 * heuristic from the device (work-groups of up to 64 work-items on CPUs,
 * where PoCL runs one work-group per thread, and up to 128 on GPUs, filling
 * the fastest dimension first).  Global sizes are padded up to a multiple
 * of the work-group size (OpenCL 1.2 has no non-uniform work-groups), and
 * the kernels skip the padding work-items.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl/cl_error.h"
#include "opencl/cl_layer.h"
#include "opencl/ops/cl_op_table.h"

int mnet_cl_layer_supported(const struct mnet_layer *l)
{
	const struct mnet_cl_op *op = mnet_cl_op_find(l);

	return op && op->file && !op->alias;
}

unsigned int mnet_cl_layer_range(const struct mnet_layer *l,
				 const struct mnet_cl_layer_cfg *cfg,
				 size_t g[3])
{
	const struct mnet_cl_op *op = mnet_cl_op_find(l);

	g[0] = g[1] = g[2] = 1;
	if (!op || !op->range)
		return 0;
	return op->range(l, cfg, g);
}

/*
 * Small layers (7x7, 1x1 classifiers) can fit in one or two work-groups,
 * which leaves compute units idle (PoCL runs one work-group per thread).
 * Halve the largest work-group dimension until there are two groups per
 * compute unit, keeping at least @min_wg work-items (a GPU's SIMD width).
 */
static void spread_groups(struct mnet_cl_layer_cfg *cfg, const size_t g[3],
			  unsigned int dims, const struct mnet_cl_device *dev,
			  size_t min_wg)
{
	size_t want = 2 * (size_t)(dev->compute_units ? dev->compute_units : 1);

	for (;;) {
		size_t groups = 1, size = 1;
		unsigned int d, big = 0;

		for (d = 0; d < dims; d++) {
			groups *= mnet_cl_div_up(g[d], cfg->wg[d]);
			size *= cfg->wg[d];
			if (cfg->wg[d] > cfg->wg[big])
				big = d;
		}
		if (groups >= want || cfg->wg[big] < 2 || size / 2 < min_wg)
			return;
		cfg->wg[big] /= 2;
	}
}

unsigned int mnet_cl_layer_fill_wg(const struct mnet_layer *l,
				   const struct mnet_cl_device *dev,
				   size_t target, struct mnet_cl_layer_cfg *cfg,
				   size_t g[3])
{
	unsigned int dims = mnet_cl_layer_range(l, cfg, g), d;
	size_t left = target;

	for (d = 0; d < 3; d++) {
		size_t w = 1;

		if (d < dims) {
			w = mnet_cl_pow2_ceil(g[d]);
			if (w > left)
				w = left;
			if (w > dev->max_items[d] && dev->max_items[d])
				w = dev->max_items[d];
			if (w < 1)
				w = 1;
		}
		cfg->wg[d] = w;
		left /= w;
		if (!left)
			left = 1;
	}
	return dims;
}

int mnet_cl_layer_cpu_class(const struct mnet_cl_device *dev)
{
	const char *cls = getenv("MNET_CL_DEFAULTS");

	/* a simulator is every type: MNET_CL_DEFAULTS picks the GPU ones */
	if (cls && !strcmp(cls, "gpu"))
		return 0;
	if (cls && !strcmp(cls, "cpu"))
		return 1;
	return (dev->type & CL_DEVICE_TYPE_CPU) != 0;
}

void mnet_cl_layer_cfg_default(const struct mnet_layer *l,
			       const struct mnet_cl_device *dev,
			       struct mnet_cl_layer_cfg *cfg)
{
	const struct mnet_cl_op *op = mnet_cl_op_find(l);
	int cpu = mnet_cl_layer_cpu_class(dev);
	size_t target, per_item = 0;
	size_t g[3];
	unsigned int dims, d;

	target = cpu ? 64 : 128;
	if (target > dev->max_wg)
		target = dev->max_wg;
	/* an op with local memory per work-item: the default must fit it */
	if (op)
		per_item = op->local_per_item + op->local_arg_per_item;
	if (per_item && target > dev->local_mem / per_item)
		target = dev->local_mem / per_item ? dev->local_mem / per_item : 1;
	memset(cfg, 0, sizeof(*cfg));
	cfg->name = "default";
	cfg->ppt = 1;
	cfg->vw = 4;
	cfg->in_vec = 4;
	cfg->oxt = 1;
	cfg->oyt = 1;
	cfg->ks = 0;
	if (op && op->defaults)
		op->defaults(l, cpu, target, cfg);
	if (op && (op->knobs & MNET_CL_KNOB_WG_BUILT))
		return;		/* the op chose its work-group */
	if (op && (op->knobs & MNET_CL_KNOB_WG_SHAPE)) {
		/* the op's shape, within the device's per-dimension limits */
		for (d = 0; d < 3; d++)
			while (dev->max_items[d] &&
			       cfg->wg[d] > dev->max_items[d])
				cfg->wg[d] /= 2;
		/* a local tile too big for the device: halve its slice */
		while (cfg->ks > 4 &&
		       mnet_cl_op_local_bytes(op, l, cfg) > dev->local_mem)
			cfg->ks /= 2;
		if (mnet_cl_op_local_bytes(op, l, cfg) > dev->local_mem)
			cfg->ks = 0;
		return;
	}
	dims = mnet_cl_layer_fill_wg(l, dev, target, cfg, g);
	spread_groups(cfg, g, dims, dev, cpu ? 1 : 32);
}

int mnet_cl_layer_plan(const struct mnet_layer *l,
		       const struct mnet_cl_layer_cfg *cfg,
		       const struct mnet_cl_precision *prec,
		       struct mnet_cl_layer_plan *plan)
{
	const struct mnet_cl_op *op = mnet_cl_op_find(l);
	struct mnet_cl_opts *o = &plan->opts;
	int vw = cfg->vw, cpad, ret;
	unsigned int d;

	if (vw != 2 && vw != 4 && vw != 8 && vw != 16)
		return -EINVAL;
	if (cfg->ppt < 1 || cfg->ppt > 8 ||
	    (cfg->in_vec != 1 && cfg->in_vec != 4) ||
	    cfg->oxt < 1 || cfg->oxt > 8 || cfg->oyt < 1 || cfg->oyt > 64 ||
	    (cfg->ks && (cfg->ks < 4 || cfg->ks > 64 ||
			 (cfg->ks & (cfg->ks - 1)))))
		return -EINVAL;
	memset(plan, 0, sizeof(*plan));
	if (!op || !op->file || !op->options)
		return -EOPNOTSUPP;
	plan->op = op;
	plan->file = op->file;
	plan->kernel = op->kernel;
	plan->has_weights = op->pack != NULL;
	memcpy(plan->args, op->args, sizeof(plan->args));
	plan->n_args = op->n_args;
	mnet_cl_opts_init(o);
	if (prec->defines[0])
		mnet_cl_opts_raw(o, prec->defines);
	mnet_cl_opts_int(o, "ACT", l->act == MNET_ACT_RELU6 ? 2 :
				   l->act == MNET_ACT_RELU ? 1 : 0);
	mnet_cl_opts_int(o, "VW", vw);
	cpad = (int)mnet_cl_div_up(l->out_shape.c, vw) * vw;
	ret = op->options(l, cfg, cpad, plan);
	if (ret)
		return ret;
	if (o->overflow)
		return -EINVAL;
	plan->dims = mnet_cl_layer_range(l, cfg, plan->global);
	for (d = 0; d < 3; d++) {
		plan->local[d] = cfg->wg[d] ? cfg->wg[d] : 1;
		plan->global[d] = mnet_cl_div_up(plan->global[d],
						 plan->local[d]) *
				  plan->local[d];
	}
	return 0;
}

int mnet_cl_layer_pack(const struct mnet_layer *l,
		       const struct mnet_cl_layer_cfg *cfg, float **w,
		       size_t *nw, float **b, size_t *nb)
{
	const struct mnet_cl_op *op = mnet_cl_op_find(l);
	int cout = l->out_shape.c;
	int cpad = (int)mnet_cl_div_up(cout, cfg->vw) * cfg->vw;
	int ret;

	*w = NULL;
	*b = NULL;
	*nw = *nb = 0;
	if (!op || !op->pack)
		return 0;
	ret = op->pack(l, cpad, w, nw, nb);
	if (ret)
		return ret;
	*b = calloc(*nb, sizeof(float));
	if (!*b) {
		free(*w);
		*w = NULL;
		return -ENOMEM;
	}
	if (l->bias)
		memcpy(*b, l->bias, cout * sizeof(float));
	return 0;
}

int mnet_cl_layer_arg_index(const struct mnet_cl_layer_plan *plan,
			    enum mnet_cl_arg kind)
{
	unsigned int i;

	for (i = 0; i < plan->n_args; i++)
		if (plan->args[i] == kind)
			return (int)i;
	return -1;
}

cl_int mnet_cl_layer_set_args(cl_kernel k,
			      const struct mnet_cl_layer_plan *plan,
			      const cl_mem mem[MNET_CL_ARG_COUNT], int add_res)
{
	cl_int rc = CL_SUCCESS, flag = add_res != 0;
	unsigned int i;

	for (i = 0; i < plan->n_args && !rc; i++) {
		if (plan->args[i] == MNET_CL_ARG_ADD_RES)
			rc = clSetKernelArg(k, i, sizeof(flag), &flag);
		else
			rc = clSetKernelArg(k, i, sizeof(cl_mem),
					    &mem[plan->args[i]]);
	}
	return rc;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * cl_layer.c - layer -> kernel: defaults, build options, NDRange, weights
 *
 * DOC: layer mapping
 *
 * Each IR op has one kernel file.  Every constant of a layer (shapes,
 * strides, padding, activation, vector width, tiles) becomes a -D option,
 * so each distinct layer gets its own specialised program and the compiler
 * sees fixed trip counts.  The knobs a tuner may change are gathered in
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

#include "opencl/cl_layer.h"

static size_t pow2_ceil(size_t n)
{
	size_t p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

static size_t div_up(size_t a, size_t b)
{
	return (a + b - 1) / b;
}

/*
 * A loader may express a 1x1 stride-1 unpadded convolution as CONV2D; its
 * weights [cout][1][1][cin] are exactly pwconv's [cout][cin], so it runs on
 * the register-tiled pwconv kernel instead of the general one.
 */
static enum mnet_op kernel_op(const struct mnet_layer *l)
{
	if (l->op == MNET_OP_CONV2D && l->kh == 1 && l->kw == 1 &&
	    l->stride_h == 1 && l->stride_w == 1 && l->pad_top == 0 &&
	    l->pad_left == 0 && l->in_shape.h == l->out_shape.h &&
	    l->in_shape.w == l->out_shape.w)
		return MNET_OP_PWCONV2D;
	return l->op;
}

int mnet_cl_layer_supported(const struct mnet_layer *l)
{
	return l->op != MNET_OP_RESHAPE && l->op < MNET_OP_COUNT;
}

unsigned int mnet_cl_layer_range(const struct mnet_layer *l,
				 const struct mnet_cl_layer_cfg *cfg, size_t g[3])
{
	struct mnet_shape os = l->out_shape;

	g[0] = g[1] = g[2] = 1;
	switch (kernel_op(l)) {
	case MNET_OP_CONV2D:
		g[0] = div_up(os.c, cfg->vw);
		g[1] = os.w;
		g[2] = os.h;
		return 3;
	case MNET_OP_DWCONV2D:
		g[0] = div_up(os.c, cfg->vw);
		g[1] = div_up(os.w, cfg->oxt);
		g[2] = os.h;
		return 3;
	case MNET_OP_PWCONV2D:
		g[0] = div_up(os.c, cfg->vw);
		g[1] = div_up((size_t)os.h * os.w, cfg->ppt);
		return 2;
	case MNET_OP_AVGPOOL:
		g[0] = os.c;
		g[1] = os.w;
		g[2] = os.h;
		return 3;
	case MNET_OP_FC:
		g[0] = os.c;
		return 1;
	case MNET_OP_SOFTMAX:
		g[0] = cfg->wg[0];
		g[1] = (size_t)os.h * os.w;
		return 2;
	case MNET_OP_ADD:
		g[0] = div_up(mnet_shape_elems(os), cfg->vw);
		return 1;
	default:
		return 0;
	}
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
			groups *= div_up(g[d], cfg->wg[d]);
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
			w = pow2_ceil(g[d]);
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

void mnet_cl_layer_cfg_default(const struct mnet_layer *l,
			       const struct mnet_cl_device *dev,
			       struct mnet_cl_layer_cfg *cfg)
{
	int cpu = (dev->type & CL_DEVICE_TYPE_CPU) != 0;
	enum mnet_op op = kernel_op(l);
	size_t target = cpu ? 64 : 128;
	size_t g[3];
	unsigned int dims;

	if (target > dev->max_wg)
		target = dev->max_wg;
	memset(cfg, 0, sizeof(*cfg));
	cfg->name = "default";
	cfg->ppt = 1;
	cfg->vw = 4;
	cfg->in_vec = 4;
	cfg->oxt = 1;	/* 2 and 4 measured ~2x slower on PoCL */
	switch (op) {
	case MNET_OP_CONV2D:
	case MNET_OP_DWCONV2D:
	case MNET_OP_PWCONV2D:
		/*
		 * CPUs (PoCL) want wide explicit vectors and big tiles: on an
		 * AVX-512 EPYC 16 channels per work-item measured 2-3x faster
		 * than 4 or 8 for pwconv and dwconv, and 8 pixels per
		 * pwconv work-item another ~20% over 4 (weights are reread
		 * once per pixel block); scalar input loads another ~15%.
		 * GPUs keep the tile small
		 * (registers per work-item, more work-items in flight).
		 */
		if (cpu)
			cfg->vw = l->out_shape.c >= 16 ? 16 :
				  l->out_shape.c >= 8 ? 8 : 4;
		else
			cfg->vw = op == MNET_OP_CONV2D &&
				  l->out_shape.c >= 8 ? 8 : 4;
		if (op == MNET_OP_PWCONV2D) {
			long npix = (long)l->out_shape.h * l->out_shape.w;

			cfg->ppt = cpu ? 8 : 4;
			if (cfg->ppt > npix)
				cfg->ppt = (int)npix;	/* 1x1 classifiers */
			cfg->in_vec = cpu ? 1 : 4;
		}
		break;
	case MNET_OP_SOFTMAX:
		cfg->wg[0] = pow2_ceil(l->out_shape.c) < target ?
			     pow2_ceil(l->out_shape.c) : target;
		/* the kernel's tree reduction needs a power of two */
		while (cfg->wg[0] & (cfg->wg[0] - 1))
			cfg->wg[0] &= cfg->wg[0] - 1;
		cfg->wg[1] = cfg->wg[2] = 1;
		return;
	default:
		break;
	}
	dims = mnet_cl_layer_fill_wg(l, dev, target, cfg, g);
	spread_groups(cfg, g, dims, dev, cpu ? 1 : 32);
}

static void act_opts(struct mnet_cl_opts *o, const struct mnet_layer *l)
{
	mnet_cl_opts_int(o, "ACT", l->act == MNET_ACT_RELU6 ? 2 :
				   l->act == MNET_ACT_RELU ? 1 : 0);
}

static void spatial_opts(struct mnet_cl_opts *o, const struct mnet_layer *l)
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

int mnet_cl_layer_plan(const struct mnet_layer *l,
		       const struct mnet_cl_layer_cfg *cfg, int storage_half,
		       int math_half, struct mnet_cl_layer_plan *plan)
{
	struct mnet_cl_opts *o = &plan->opts;
	int vw = cfg->vw, cpad;
	unsigned int d;
	char beta[64];

	if (vw != 2 && vw != 4 && vw != 8 && vw != 16)
		return -EINVAL;
	if (cfg->ppt < 1 || cfg->ppt > 8 ||
	    (cfg->in_vec != 1 && cfg->in_vec != 4) ||
	    cfg->oxt < 1 || cfg->oxt > 8)
		return -EINVAL;
	memset(plan, 0, sizeof(*plan));
	mnet_cl_opts_init(o);
	if (storage_half || math_half)
		mnet_cl_opts_int(o, "STORAGE_HALF", 1);
	if (math_half)
		mnet_cl_opts_int(o, "MATH_HALF", 1);
	act_opts(o, l);
	mnet_cl_opts_int(o, "VW", vw);
	cpad = (int)div_up(l->out_shape.c, vw) * vw;
	switch (kernel_op(l)) {
	case MNET_OP_CONV2D:
		plan->file = "conv2d.cl";
		plan->kernel = "conv2d";
		plan->has_weights = 1;
		mnet_cl_opts_int(o, "CIN", l->in_shape.c);
		mnet_cl_opts_int(o, "COUT", l->out_shape.c);
		mnet_cl_opts_int(o, "COUT_PAD", cpad);
		spatial_opts(o, l);
		break;
	case MNET_OP_DWCONV2D:
		plan->file = "dwconv.cl";
		plan->kernel = "dwconv";
		plan->has_weights = 1;
		mnet_cl_opts_int(o, "C", l->out_shape.c);
		mnet_cl_opts_int(o, "CPAD", cpad);
		mnet_cl_opts_int(o, "OXT", cfg->oxt);
		spatial_opts(o, l);
		break;
	case MNET_OP_PWCONV2D:
		plan->file = "pwconv.cl";
		plan->kernel = "pwconv";
		plan->has_weights = 1;
		mnet_cl_opts_int(o, "CIN", l->in_shape.c);
		mnet_cl_opts_int(o, "COUT", l->out_shape.c);
		mnet_cl_opts_int(o, "COUT_PAD", cpad);
		mnet_cl_opts_int(o, "NPIX", (long)l->out_shape.h * l->out_shape.w);
		mnet_cl_opts_int(o, "PPT", cfg->ppt);
		mnet_cl_opts_int(o, "IN_VEC", cfg->in_vec);
		if (l->op == MNET_OP_PWCONV2D && l->in2 >= 0) {
			mnet_cl_opts_int(o, "RESIDUAL", 1);
			plan->residual = 1;
		}
		break;
	case MNET_OP_AVGPOOL:
		plan->file = "avgpool.cl";
		plan->kernel = "avgpool";
		mnet_cl_opts_int(o, "C", l->out_shape.c);
		spatial_opts(o, l);
		break;
	case MNET_OP_FC:
		plan->file = "fc.cl";
		plan->kernel = "fc";
		plan->has_weights = 1;
		mnet_cl_opts_int(o, "N_IN", (long)mnet_shape_elems(l->in_shape));
		mnet_cl_opts_int(o, "COUT", l->out_shape.c);
		break;
	case MNET_OP_SOFTMAX:
		plan->file = "softmax.cl";
		plan->kernel = "softmax";
		if (cfg->wg[0] & (cfg->wg[0] - 1) || cfg->wg[1] != 1)
			return -EINVAL;
		mnet_cl_opts_int(o, "C", l->out_shape.c);
		mnet_cl_opts_int(o, "WG", (long)cfg->wg[0]);
		snprintf(beta, sizeof(beta), "-DBETA=%.9ef", (double)l->beta);
		mnet_cl_opts_raw(o, beta);
		break;
	case MNET_OP_ADD:
		plan->file = "add.cl";
		plan->kernel = "add";
		mnet_cl_opts_int(o, "N", (long)mnet_shape_elems(l->out_shape));
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (o->overflow)
		return -EINVAL;
	plan->dims = mnet_cl_layer_range(l, cfg, plan->global);
	for (d = 0; d < 3; d++) {
		plan->local[d] = cfg->wg[d] ? cfg->wg[d] : 1;
		plan->global[d] = div_up(plan->global[d], plan->local[d]) *
				  plan->local[d];
	}
	return 0;
}

int mnet_cl_layer_pack(const struct mnet_layer *l,
		       const struct mnet_cl_layer_cfg *cfg, float **w,
		       size_t *nw, float **b, size_t *nb)
{
	int cout = l->out_shape.c, cin = l->in_shape.c;
	int cpad = (int)div_up(cout, cfg->vw) * cfg->vw;
	int k, ci, co, taps = l->kh * l->kw;

	*w = NULL;
	*b = NULL;
	*nw = *nb = 0;
	switch (kernel_op(l)) {
	case MNET_OP_CONV2D:
		/* [cout][kh][kw][cin] -> [kh][kw][cin][cpad] */
		*nw = (size_t)taps * cin * cpad;
		*w = calloc(*nw, sizeof(float));
		if (!*w)
			return -ENOMEM;
		for (co = 0; co < cout; co++)
			for (k = 0; k < taps; k++)
				for (ci = 0; ci < cin; ci++)
					(*w)[((size_t)k * cin + ci) * cpad + co] =
						l->weights[((size_t)co * taps + k) * cin + ci];
		break;
	case MNET_OP_DWCONV2D:
		/* [kh][kw][c] -> [kh][kw][cpad] */
		*nw = (size_t)taps * cpad;
		*w = calloc(*nw, sizeof(float));
		if (!*w)
			return -ENOMEM;
		for (k = 0; k < taps; k++)
			memcpy(*w + (size_t)k * cpad,
			       l->weights + (size_t)k * cout,
			       cout * sizeof(float));
		break;
	case MNET_OP_PWCONV2D:
		/* [cout][cin] -> [cin][cpad] */
		*nw = (size_t)cin * cpad;
		*w = calloc(*nw, sizeof(float));
		if (!*w)
			return -ENOMEM;
		for (co = 0; co < cout; co++)
			for (ci = 0; ci < cin; ci++)
				(*w)[(size_t)ci * cpad + co] =
					l->weights[(size_t)co * cin + ci];
		break;
	case MNET_OP_FC:
		/* the IR layout is already one contiguous row per output */
		*nw = l->n_weights;
		*w = malloc(*nw * sizeof(float));
		if (!*w)
			return -ENOMEM;
		memcpy(*w, l->weights, *nw * sizeof(float));
		cpad = cout;
		break;
	default:
		return 0;
	}
	*nb = cpad;
	*b = calloc(cpad, sizeof(float));
	if (!*b) {
		free(*w);
		*w = NULL;
		return -ENOMEM;
	}
	if (l->bias)
		memcpy(*b, l->bias, cout * sizeof(float));
	return 0;
}

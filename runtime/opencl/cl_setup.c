// SPDX-License-Identifier: Apache-2.0
/*
 * cl_setup.c - put one layer on the OpenCL device
 *
 * DOC: layer set-up
 *
 * Arm Compute Library's validate / configure split, for one layer: take
 * the default configuration (cl_layer.c), reject what the device cannot
 * do before anything is allocated (work-group and buffer limits, local
 * memory), build or load the layer's program (shared with every layer of
 * equal options), shrink the work-group if the compiled kernel allows
 * less, repack and upload the weights once, and set every kernel argument
 * (the activation buffers never move, so a run only enqueues).  Any
 * failure is reported to the caller, which runs the layer on the host.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opencl/cl_backend.h"
#include "opencl/ops/cl_op_table.h"
#include "cl/cl_error.h"
#include "tune/cl_tune.h"
#include "support/clock.h"

/* Upload @n floats as the session's stored type into a new buffer. */
static int upload(struct mnet_cl_state *st, const float *src, size_t n,
		  cl_mem *out, const char *what, struct mnet_err *err)
{
	size_t bytes = n * st->prec->elem_size;
	const void *p = src;
	void *h = NULL;
	char msg[128];
	cl_int rc;

	if (st->prec->to_device) {
		h = malloc(bytes);
		if (!h)
			return mnet_err_set(err, -ENOMEM, "out of memory");
		st->prec->to_device(h, src, n);
		p = h;
	}
	*out = clCreateBuffer(st->ctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
			      bytes, (void *)p, &rc);
	free(h);
	snprintf(msg, sizeof(msg), "clCreateBuffer(%s, %zu bytes)", what,
		 bytes);
	return mnet_cl_check(err, rc, msg);
}

static int get_program(struct mnet_cl_state *st, const struct mnet_cl_layer_plan *pl,
		       cl_program *out, struct mnet_err *err)
{
	size_t n = strlen(pl->file) + pl->opts.len + 2;
	char *key;
	int i, ret;

	key = malloc(n);
	if (!key)
		return mnet_err_set(err, -ENOMEM, "out of memory");
	snprintf(key, n, "%s %s", pl->file, pl->opts.s);
	for (i = 0; i < st->n_progs; i++) {
		if (!strcmp(st->prog_keys[i], key)) {
			free(key);
			*out = st->progs[i];
			return 0;
		}
	}
	i = st->stats.built;
	ret = mnet_cl_program_build(st->ctx, &st->dev, pl->file, pl->opts.s,
				    st->use_cache ? st->cache_dir : NULL, 0,
				    &st->stats, out, err);
	if (ret) {
		free(key);
		return ret;
	}
	st->prog_built[st->n_progs] = st->stats.built > i;
	st->prog_plan[st->n_progs] = pl;
	st->progs[st->n_progs] = *out;
	st->prog_keys[st->n_progs++] = key;
	return 0;
}

static int fail_hook(int idx)
{
	const char *e = getenv("MNET_CL_FAIL_LAYER");

	return e && *e && atoi(e) == idx;
}

static int check_limits(const struct mnet_cl_state *st, const struct mnet_layer *l,
			const struct mnet_cl_layer_cfg *cfg,
			const struct mnet_cl_layer_plan *pl,
			struct mnet_err *err)
{
	size_t wg = pl->local[0] * pl->local[1] * pl->local[2];
	unsigned int d;

	if (wg > st->dev.max_wg)
		return mnet_err_set(err, -EINVAL,
				    "work-group of %zu exceeds the device's %zu",
				    wg, st->dev.max_wg);
	for (d = 0; d < 3; d++)
		if (st->dev.max_items[d] && pl->local[d] > st->dev.max_items[d])
			return mnet_err_set(err, -EINVAL,
					    "work-group dimension %u of %zu exceeds %zu",
					    d, pl->local[d], st->dev.max_items[d]);
	if ((cl_ulong)l->n_weights * st->prec->elem_size > st->dev.max_alloc)
		return mnet_err_set(err, -EINVAL,
				    "weights of %zu bytes exceed the largest buffer (%llu)",
				    l->n_weights * st->prec->elem_size,
				    (unsigned long long)st->dev.max_alloc);
	if (mnet_cl_op_local_bytes(pl->op, l, cfg) > st->dev.local_mem)
		return mnet_err_set(err, -EINVAL, "%s needs more local memory than the device has",
				    pl->op->name);
	return 0;
}

/*
 * Shrink the work-group until the compiled kernel accepts it; a kernel
 * whose tile follows the work-group (pwconv's local-memory tile: the plan's
 * options change with it) is built again for the smaller one.
 */
static int fit_kernel_wg(struct mnet_cl_state *st, const struct mnet_layer *l,
			 struct mnet_cl_layer_rt *cl, struct mnet_err *err)
{
	size_t kmax = 0;
	cl_program prog;
	cl_int rc;
	int d, big, shrunk = 0, ret;

	rc = clGetKernelWorkGroupInfo(cl->kernel, st->dev.id,
				      CL_KERNEL_WORK_GROUP_SIZE, sizeof(kmax),
				      &kmax, NULL);
	if (rc)
		return mnet_cl_check(err, rc, "clGetKernelWorkGroupInfo");
	while (cl->cfg.wg[0] * cl->cfg.wg[1] * cl->cfg.wg[2] > kmax) {
		if (cl->plan.op->knobs & MNET_CL_KNOB_WG_BUILT)
			return mnet_err_set(err, -EINVAL,
					    "kernel allows work-groups of %zu, %s was built for %zu",
					    kmax, cl->plan.op->name,
					    cl->cfg.wg[0]);
		for (big = 0, d = 1; d < 3; d++)
			if (cl->cfg.wg[d] > cl->cfg.wg[big])
				big = d;
		cl->cfg.wg[big] /= 2;
		shrunk = 1;
	}
	if (!shrunk)
		return 0;
	ret = mnet_cl_layer_plan(l, &cl->cfg, st->prec, &cl->plan);
	if (ret || !(cl->plan.op->knobs & MNET_CL_KNOB_WG_SHAPE))
		return ret;
	ret = get_program(st, &cl->plan, &prog, err);
	if (ret)
		return ret;
	clReleaseKernel(cl->kernel);
	cl->kernel = clCreateKernel(prog, cl->plan.kernel, &rc);
	return rc ? mnet_cl_check(err, rc, "clCreateKernel") : 0;
}

static int set_args(struct mnet_cl_state *st, const struct mnet_layer *l,
		    struct mnet_cl_layer_rt *cl, struct mnet_err *err)
{
	cl_mem mem[MNET_CL_ARG_COUNT] = { NULL };

	mem[MNET_CL_ARG_IN] = mnet_cl_tensor_mem(st, l->in);
	if (l->in2 >= 0)
		mem[MNET_CL_ARG_IN2] = mem[MNET_CL_ARG_RES] =
			mnet_cl_tensor_mem(st, l->in2);
	mem[MNET_CL_ARG_W] = cl->w;
	mem[MNET_CL_ARG_BIAS] = cl->b;
	mem[MNET_CL_ARG_OUT] = mnet_cl_tensor_mem(st, l->out);
	return mnet_cl_check(err, mnet_cl_layer_set_args(cl->kernel, &cl->plan,
							 mem, 1),
			     "clSetKernelArg");
}

int mnet_cl_layer_set_residual(struct mnet_cl_layer_rt *cl, int on)
{
	int i = mnet_cl_layer_arg_index(&cl->plan, MNET_CL_ARG_ADD_RES);
	cl_int v = on != 0;

	if (!cl->kernel || i < 0)
		return -EINVAL;
	return clSetKernelArg(cl->kernel, (cl_uint)i, sizeof(v), &v) ? -EIO : 0;
}

void mnet_cl_layer_fini(struct mnet_cl_layer_rt *cl)
{
	if (cl->kernel)
		clReleaseKernel(cl->kernel);
	if (cl->w)
		clReleaseMemObject(cl->w);
	if (cl->b)
		clReleaseMemObject(cl->b);
	if (cl->gemm)
		mnet_cl_gemm_fini(cl->gemm);
	free(cl->gemm);
	cl->gemm = NULL;
	cl->kernel = NULL;
	cl->w = cl->b = NULL;
}

/* The tuned CLBlast variant (cl_gemm.c): no kernel of its own. */
static int gemm_setup(struct mnet_cl_state *st, const struct mnet_layer *l,
		      struct mnet_cl_layer_rt *cl, struct mnet_err *err)
{
	cl->gemm = calloc(1, sizeof(*cl->gemm));
	if (!cl->gemm)
		return mnet_err_set(err, -ENOMEM, "out of memory");
	return mnet_cl_gemm_init(cl->gemm, st->ctx, &st->dev, l,
				 st->use_cache ? st->cache_dir : NULL,
				 &st->stats, err);
}

int mnet_cl_layer_init(struct mnet_cl_state *st, const struct mnet_layer *l,
			int idx, struct mnet_cl_layer_rt *cl,
			struct mnet_err *err)
{
	const struct mnet_cl_op *op = mnet_cl_op_find(l);
	float *w = NULL, *b = NULL;
	size_t nw, nb;
	cl_program prog;
	cl_int rc;
	int ret;

	mnet_cl_layer_cfg_default(l, &st->dev, &cl->cfg);
	if (op && op->alias)
		return 0;	/* reshape: aliases its input, no kernel */
	/* an op without an entry runs on the host, never as something else */
	if (!mnet_cl_layer_supported(l))
		return mnet_err_set(err, -EOPNOTSUPP, "no OpenCL kernel for op %s",
				    mnet_op_name(l->op));
	mnet_cl_tune_lookup(&st->tune, st->tune_dev, l, &st->dev,
			    st->prec, &cl->cfg);
	/* CLBlast's GEMM has no residual epilogue: the fused kernel wins */
	if (cl->cfg.variant == MNET_CL_VARIANT_GEMM && l->in2 >= 0)
		mnet_cl_layer_cfg_default(l, &st->dev, &cl->cfg);
	if (cl->cfg.variant == MNET_CL_VARIANT_GEMM)
		return gemm_setup(st, l, cl, err);
	if (fail_hook(idx))
		return mnet_err_set(err, -ENOEXEC,
				    "forced failure (MNET_CL_FAIL_LAYER=%d)", idx);
	ret = mnet_cl_layer_plan(l, &cl->cfg, st->prec, &cl->plan);
	if (ret)
		return mnet_err_set(err, ret, "no kernel configuration");
	ret = check_limits(st, l, &cl->cfg, &cl->plan, err);
	if (ret)
		return ret;
	ret = get_program(st, &cl->plan, &prog, err);
	if (ret)
		return ret;
	cl->kernel = clCreateKernel(prog, cl->plan.kernel, &rc);
	if (rc)
		return mnet_cl_check(err, rc, "clCreateKernel");
	ret = fit_kernel_wg(st, l, cl, err);
	if (ret)
		return ret;
	if (cl->plan.has_weights) {
		double t0 = mnet_now_ms();

		ret = mnet_cl_layer_pack(l, &cl->cfg, &w, &nw, &b, &nb);
		if (ret)
			return mnet_err_set(err, ret, "out of memory packing weights");
		ret = upload(st, w, nw, &cl->w, "weights", err);
		if (!ret)
			ret = upload(st, b, nb, &cl->b, "bias", err);
		free(w);
		free(b);
		st->startup.upload_ms += mnet_now_ms() - t0;
		if (ret)
			return ret;
	}
	return set_args(st, l, cl, err);
}

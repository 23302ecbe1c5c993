// SPDX-License-Identifier: Apache-2.0
/*
 * cl_q8.c - the OpenCL backend in integer arithmetic (precision int8)
 *
 * DOC: OpenCL int8 mode
 *
 * A quantized file's own 8-bit arithmetic on the OpenCL device,
 * byte-identical with the integer reference (backend_ref_q.c): every layer
 * is prepared by the reference's own code (mnet_ref_q_layer_prepare():
 * TFLite's multipliers and shifts), and the device kernels of
 * cl_kernels/q8_*.cl compute what host/ref_q/ computes, bit for bit
 * (64-bit SaturatingRoundingDoublingHighMul, RoundingDivideByPOT, one
 * rounding for FULLY_CONNECTED).  One 8-bit device buffer per tensor;
 * the raw weights, the int32 bias and the per-channel multipliers and
 * shifts are uploaded once, with a small parameter block per layer.
 *
 * On the device: CONV2D (q8_conv, or q8_pwconv for a 1x1 stride-1
 * unpadded window), PWCONV2D and FULLY_CONNECTED (q8_pwconv), DWCONV2D
 * (q8_dwconv, any window, stride and padding), ADD (q8_add), AVGPOOL
 * and MEAN (q8_pool); RESHAPE is a device copy.  SOFTMAX, and any layer
 * whose program does not build or whose kernel cannot be created, run on
 * the host with the reference's integer kernels (their tensors read back
 * and written again; err->msg notes a layer that was meant for the
 * device).  The
 * edges (float input to the file's 8-bit encoding, QUANTIZE at the TF2
 * file's edges, the dequantized output) are the reference's too.
 *
 * Work-group sizes: the driver's choice unless the tuning database holds
 * an entry for the layer at precision int8 (runtime/tune/, keyed by the
 * kernel file, "q8_*.cl", and precision "int8"); see docs/int8.md.
 *
 * An OpenCL failure while setting up is an error naming the call; one
 * during a run returns -EIO, the run contract of a device failure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CL/cl.h>

#include "opencl/q8/cl_q8.h"
#include "opencl/q8/cl_q8_layer.h"
#include "opencl/cl_backend.h"
#include "cl/cl_cache.h"
#include "cl/cl_error.h"
#include "support/clock.h"

/* the parameter blocks: common.h's Q8P_* (convolutions), q8_add.cl's */
#define Q8_CONV_PRM 20
#define Q8_ADD_PRM 14
#define Q8_POOL_PRM 23
/* pixels per work-item of q8_pwconv (its -DQ8_PPT) */
#define Q8_PPT 4

/**
 * struct q8_op - how one op runs in the int8 mode
 * @file: kernel file (NULL: no device kernel, the host runs it)
 * @setup: create its kernel, buffers and NDRange
 * @copy: the layer is a device copy of its input (reshape)
 */
struct q8_op {
	const char *file;
	int (*setup)(struct mnet_cl_q8_state *st, const struct mnet_model *m, int i,
		     struct mnet_cl_q8_layer *L, struct mnet_err *err);
	int copy;
};

static void q8_fini(struct mnet_backend *be)
{
	struct mnet_cl_q8_state *st = be->priv;
	int i;

	if (!st)
		return;
	if (st->q)
		clFinish(st->q);
	for (i = 0; st->layers && i < st->n_layers; i++) {
		struct mnet_cl_q8_layer *L = &st->layers[i];
		cl_mem *mems[] = { &L->w, &L->bias, &L->mult, &L->shift,
				   &L->prm };
		size_t k;

		if (L->kernel)
			clReleaseKernel(L->kernel);
		for (k = 0; k < sizeof(mems) / sizeof(mems[0]); k++)
			if (*mems[k])
				clReleaseMemObject(*mems[k]);
		mnet_ref_q_layer_release(&L->ql);
	}
	for (i = 0; i < st->n_progs; i++)
		clReleaseProgram(st->progs[i]);
	for (i = 0; st->t && i < st->n_tensors; i++)
		if (st->t[i])
			clReleaseMemObject(st->t[i]);
	if (st->q)
		clReleaseCommandQueue(st->q);
	if (st->ctx)
		clReleaseContext(st->ctx);
	for (i = 0; i < 3; i++)
		free(st->h[i]);
	free(st->edge);
	free(st->layers);
	free(st->t);
	free(st);
	be->priv = NULL;
}

/* a read-only device copy of @n bytes at @src (a zeroed int32 if NULL) */
static int q8_upload(struct mnet_cl_q8_state *st, const void *src, size_t n,
		     cl_mem *out, const char *what, struct mnet_err *err)
{
	static const int32_t zero;
	char msg[96];
	cl_int rc;

	if (!src || !n) {
		src = &zero;
		n = sizeof(zero);
	}
	*out = clCreateBuffer(st->ctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
			      n, (void *)src, &rc);
	snprintf(msg, sizeof(msg), "clCreateBuffer(int8 %s, %zu bytes)", what,
		 n);
	return mnet_cl_check(err, rc, msg);
}

/*
 * [@rows][@cols] bytes uploaded as [@cols][@rows padded to 16], the pad
 * zero (q8_pwconv's and q8_conv's layout: 16 output channels per vload16)
 */
static int q8_upload_transposed(struct mnet_cl_q8_state *st, const uint8_t *src,
				size_t rows, size_t cols, cl_mem *out,
				struct mnet_err *err)
{
	size_t rp = (rows + 15) / 16 * 16, r, c;
	uint8_t *t = calloc(rp * cols, 1);
	int ret;

	if (!t)
		return mnet_err_set(err, -ENOMEM, "OpenCL int8: out of memory");
	for (r = 0; r < rows; r++)
		for (c = 0; c < cols; c++)
			t[c * rp + r] = src[r * cols + c];
	ret = q8_upload(st, t, rp * cols, out, "weights", err);
	free(t);
	return ret;
}

/* [@rows][@cols] bytes uploaded as [@rows][@cols padded to 16] (q8_dwconv) */
static int q8_upload_padded(struct mnet_cl_q8_state *st, const uint8_t *src,
			    size_t rows, size_t cols, cl_mem *out,
			    struct mnet_err *err)
{
	size_t cp = (cols + 15) / 16 * 16, r;
	uint8_t *t = calloc(rows * cp, 1);
	int ret;

	if (!t)
		return mnet_err_set(err, -ENOMEM, "OpenCL int8: out of memory");
	for (r = 0; r < rows; r++)
		memcpy(t + r * cp, src + r * cols, cols);
	ret = q8_upload(st, t, rows * cp, out, "weights", err);
	free(t);
	return ret;
}

/* the program of @file, built once per session */
static int q8_program(struct mnet_cl_q8_state *st, const char *file, cl_program *out,
		      struct mnet_err *err)
{
	char opts[64];
	int i, ret;

	for (i = 0; i < st->n_progs; i++)
		if (!strcmp(st->prog_file[i], file)) {
			*out = st->progs[i];
			return 0;
		}
	if (st->n_progs == MNET_CL_Q8_MAX_PROGS)
		return mnet_err_set(err, -ENOMEM, "OpenCL int8: too many programs");
	snprintf(opts, sizeof(opts), "-DQ8_PPT=%d", Q8_PPT);
	ret = mnet_cl_program_build(st->ctx, &st->dev, file, opts,
				    st->use_cache ? st->cache_dir : NULL, 1,
				    &st->stats, out, err);
	if (ret)
		return ret;
	st->progs[st->n_progs] = *out;
	st->prog_file[st->n_progs++] = file;
	return 0;
}

static int q8_kernel(struct mnet_cl_q8_state *st, const char *file, const char *name,
		     cl_kernel *out, struct mnet_err *err)
{
	cl_program p;
	char msg[96];
	cl_int rc;
	int ret;

	ret = q8_program(st, file, &p, err);
	if (ret)
		return ret;
	*out = clCreateKernel(p, name, &rc);
	snprintf(msg, sizeof(msg), "clCreateKernel(%s)", name);
	return mnet_cl_check(err, rc, msg);
}

static int q8_args(cl_kernel k, const cl_mem *mems, int n,
		   struct mnet_err *err)
{
	cl_int rc = CL_SUCCESS;
	int a;

	for (a = 0; a < n && rc == CL_SUCCESS; a++)
		rc = clSetKernelArg(k, (cl_uint)a, sizeof(cl_mem), &mems[a]);
	return mnet_cl_check(err, rc, "clSetKernelArg(int8 layer)");
}

/* a 1x1 stride-1 unpadded window: q8_pwconv's case */
static int q8_is_pointwise(const struct mnet_qk_conv *p)
{
	return p->kh == 1 && p->kw == 1 && p->sh == 1 && p->sw == 1 &&
	       p->pt == 0 && p->pl == 0 && p->oh == p->ih && p->ow == p->iw;
}

static int q8_conv_common(struct mnet_cl_q8_state *st, const struct mnet_model *m,
			  int i, struct mnet_cl_q8_layer *L, int dw,
			  struct mnet_err *err)
{
	const struct mnet_layer *l = &m->layers[i];
	const struct mnet_qk_conv *p = &L->ql.k.conv;
	int32_t prm[Q8_CONV_PRM] = {
		p->ih, p->iw, p->ic, p->oh, p->ow, p->oc, p->kh, p->kw,
		p->sh, p->sw, p->pt, p->pl, p->in_zp, p->w_zp, p->out_zp,
		p->in_signed, p->w_signed, p->act_min, p->act_max,
		p->single_round,
	};
	size_t oc = (size_t)p->oc, nw = dw ? (size_t)p->kh * p->kw * oc :
					   oc * p->kh * p->kw * p->ic;
	int pw = !dw && q8_is_pointwise(p);
	cl_mem args[7];
	int ret;

	L->file = dw ? "q8_dwconv.cl" : "q8_conv.cl";
	L->kname = dw ? "q8_dwconv" : pw ? "q8_pwconv" : "q8_conv";
	ret = q8_kernel(st, L->file, L->kname, &L->kernel, err);
	if (!ret && pw)
		ret = q8_upload_transposed(st, l->q->weights, oc,
					   (size_t)p->ic, &L->w, err);
	else if (!ret && dw)
		ret = q8_upload_padded(st, l->q->weights,
				       (size_t)p->kh * p->kw, oc, &L->w, err);
	else if (!ret)
		ret = q8_upload_transposed(st, l->q->weights, oc, nw / oc,
					   &L->w, err);
	if (!ret)
		ret = q8_upload(st, l->q->bias, l->q->bias ? oc * 4 : 0,
				&L->bias, "bias", err);
	if (!ret)
		ret = q8_upload(st, L->ql.mult, oc * 4, &L->mult,
				"multipliers", err);
	if (!ret)
		ret = q8_upload(st, L->ql.shift, oc * sizeof(int), &L->shift,
				"shifts", err);
	if (!ret)
		ret = q8_upload(st, prm, sizeof(prm), &L->prm, "parameters",
				err);
	if (ret)
		return ret;
	args[0] = st->t[l->in];
	args[1] = L->w;
	args[2] = L->bias;
	args[3] = L->mult;
	args[4] = L->shift;
	args[5] = L->prm;
	args[6] = st->t[l->out];
	if (pw) {
		L->dims = 2;
		L->global[0] = (oc + 15) / 16;
		L->global[1] = ((size_t)p->oh * p->ow + Q8_PPT - 1) / Q8_PPT;
	} else {
		L->dims = 3;
		L->global[0] = (oc + 15) / 16;
		L->global[1] = (size_t)p->ow;
		L->global[2] = (size_t)p->oh;
	}
	return q8_args(L->kernel, args, 7, err);
}

static int q8_setup_conv(struct mnet_cl_q8_state *st, const struct mnet_model *m,
			 int i, struct mnet_cl_q8_layer *L, struct mnet_err *err)
{
	return q8_conv_common(st, m, i, L, 0, err);
}

static int q8_setup_dwconv(struct mnet_cl_q8_state *st, const struct mnet_model *m,
			   int i, struct mnet_cl_q8_layer *L, struct mnet_err *err)
{
	return q8_conv_common(st, m, i, L, 1, err);
}

static int q8_setup_add(struct mnet_cl_q8_state *st, const struct mnet_model *m,
			int i, struct mnet_cl_q8_layer *L, struct mnet_err *err)
{
	const struct mnet_layer *l = &m->layers[i];
	const struct mnet_qk_add *p = &L->ql.k.add;
	size_t n = mnet_shape_elems(l->out_shape);
	int32_t prm[Q8_ADD_PRM] = {
		p->a_zp, p->b_zp, p->out_zp, p->a_mult, p->b_mult,
		p->out_mult, p->a_shift, p->b_shift, p->out_shift,
		p->left_shift, p->is_signed, p->act_min, p->act_max,
		(int32_t)n,
	};
	cl_mem args[4];
	int ret;

	L->file = "q8_add.cl";
	L->kname = "q8_add";
	ret = q8_kernel(st, L->file, L->kname, &L->kernel, err);
	if (!ret)
		ret = q8_upload(st, prm, sizeof(prm), &L->prm, "parameters",
				err);
	if (ret)
		return ret;
	args[0] = st->t[l->in];
	args[1] = st->t[l->in2];
	args[2] = L->prm;
	args[3] = st->t[l->out];
	L->dims = 1;
	L->global[0] = n;
	return q8_args(L->kernel, args, 4, err);
}

static int q8_setup_pool(struct mnet_cl_q8_state *st, const struct mnet_model *m,
			 int i, struct mnet_cl_q8_layer *L, struct mnet_err *err)
{
	const struct mnet_layer *l = &m->layers[i];
	const struct mnet_qk_pool *p = &L->ql.k.pool;
	int32_t prm[Q8_POOL_PRM] = {
		p->ih, p->iw, p->c, p->oh, p->ow, p->c, p->kh, p->kw,
		p->sh, p->sw, p->pt, p->pl, p->in_zp, 0, p->out_zp,
		p->is_signed, 0, p->act_min, p->act_max, 0,
		p->mean, p->mult, p->shift,
	};
	cl_mem args[3];
	int ret;

	L->file = "q8_pool.cl";
	L->kname = "q8_pool";
	ret = q8_kernel(st, L->file, L->kname, &L->kernel, err);
	if (!ret)
		ret = q8_upload(st, prm, sizeof(prm), &L->prm, "parameters",
				err);
	if (ret)
		return ret;
	args[0] = st->t[l->in];
	args[1] = L->prm;
	args[2] = st->t[l->out];
	L->dims = 3;
	L->global[0] = (size_t)p->c;
	L->global[1] = (size_t)p->ow;
	L->global[2] = (size_t)p->oh;
	return q8_args(L->kernel, args, 3, err);
}

/* One entry per op: its device kernel, or none (the host runs it). */
static const struct q8_op q8_ops[MNET_OP_COUNT] = {
	[MNET_OP_CONV2D] = { .file = "q8_conv.cl", .setup = q8_setup_conv },
	[MNET_OP_PWCONV2D] = { .file = "q8_conv.cl", .setup = q8_setup_conv },
	[MNET_OP_FC] = { .file = "q8_conv.cl", .setup = q8_setup_conv },
	[MNET_OP_DWCONV2D] = { .file = "q8_dwconv.cl",
			       .setup = q8_setup_dwconv },
	[MNET_OP_ADD] = { .file = "q8_add.cl", .setup = q8_setup_add },
	[MNET_OP_AVGPOOL] = { .file = "q8_pool.cl", .setup = q8_setup_pool },
	[MNET_OP_RESHAPE] = { .copy = 1 },
};

/* a layer that was meant for the device goes to the host, with a note */
static void q8_to_host(struct mnet_cl_q8_state *st, const struct mnet_model *m,
		       int i, struct mnet_cl_q8_layer *L, const struct mnet_err *why,
		       struct mnet_err *err)
{
	cl_mem *mems[] = { &L->w, &L->bias, &L->mult, &L->shift, &L->prm };
	size_t k;

	if (L->kernel)
		clReleaseKernel(L->kernel);
	L->kernel = NULL;
	for (k = 0; k < sizeof(mems) / sizeof(mems[0]); k++) {
		if (*mems[k])
			clReleaseMemObject(*mems[k]);
		*mems[k] = NULL;
	}
	L->on_host = 1;
	if (err && !err->msg[0])
		snprintf(err->msg, sizeof(err->msg),
			 "note: OpenCL int8: layer %d (%.60s) runs on the host: %.300s",
			 i, m->layers[i].name, why->msg);
}

static int q8_layers_init(struct mnet_backend *be, struct mnet_err *err)
{
	const struct mnet_model *m = be->model;
	struct mnet_cl_q8_state *st = be->priv;
	int i, ret;

	for (i = 0; i < m->n_layers; i++) {
		const struct mnet_layer *l = &m->layers[i];
		struct mnet_cl_q8_layer *L = &st->layers[i];
		const struct q8_op *op = (unsigned int)l->op < MNET_OP_COUNT ?
					 &q8_ops[l->op] : NULL;
		struct mnet_err lerr = { 0 };

		ret = mnet_ref_q_layer_prepare(m, i, &L->ql, err);
		if (ret)
			return ret;
		if (op && op->copy && !mnet_ref_q_layer_requantizes(&L->ql)) {
			L->copy = 1;
			continue;
		}
		if (op && op->copy) {
			L->on_host = 1;	/* a QUANTIZE between encodings */
			continue;
		}
		if (!op || !op->setup) {
			L->on_host = 1;	/* no device kernel for this op */
			continue;
		}
		ret = op->setup(st, m, i, L, &lerr);
		if (ret == -ENOMEM)
			return mnet_err_set(err, ret, "%s", lerr.msg);
		if (ret)
			q8_to_host(st, m, i, L, &lerr, err);
	}
	for (i = 0; i < m->n_layers; i++) {
		st->su.host_layers += st->layers[i].on_host;
		if (st->layers[i].on_host && m->layers[i].q)
			be->pins_weights = 1;	/* read at every run */
	}
	return 0;
}

static int q8_create(struct mnet_cl_q8_state *st, const struct mnet_model *m,
		     struct mnet_err *err)
{
	cl_context_properties props[] = {
		CL_CONTEXT_PLATFORM, (cl_context_properties)st->dev.platform, 0,
	};
	char msg[96];
	cl_int rc;
	int i;

	st->ctx = clCreateContext(props, 1, &st->dev.id, NULL, NULL, &rc);
	if (rc)
		return mnet_cl_check(err, rc, "clCreateContext");
	st->q = clCreateCommandQueue(st->ctx, st->dev.id, 0, &rc);
	if (rc)
		return mnet_cl_check(err, rc, "clCreateCommandQueue");
	for (i = 0; i < m->n_tensors; i++) {
		size_t n = mnet_shape_elems(m->tensors[i].shape);

		st->t[i] = clCreateBuffer(st->ctx, CL_MEM_READ_WRITE,
					  n ? n : 1, NULL, &rc);
		snprintf(msg, sizeof(msg),
			 "clCreateBuffer(int8 tensor %d, %zu bytes)", i, n);
		if (rc)
			return mnet_cl_check(err, rc, msg);
	}
	return 0;
}

static int q8_alloc(struct mnet_cl_q8_state *st, const struct mnet_model *m,
		    struct mnet_err *err)
{
	int i;

	for (i = 0; i < m->n_tensors; i++) {
		size_t n = mnet_shape_elems(m->tensors[i].shape);

		if (n > st->max_elems)
			st->max_elems = n;
	}
	st->layers = calloc((size_t)m->n_layers, sizeof(*st->layers));
	st->t = calloc((size_t)m->n_tensors, sizeof(*st->t));
	st->edge = malloc(mnet_ref_q_edge_elems(m));
	for (i = 0; i < 3; i++)
		st->h[i] = malloc(st->max_elems ? st->max_elems : 1);
	if (!st->layers || !st->t || !st->edge || !st->h[0] || !st->h[1] ||
	    !st->h[2])
		return mnet_err_set(err, -ENOMEM, "%s: out of memory", m->name);
	st->n_layers = m->n_layers;
	st->n_tensors = m->n_tensors;
	return 0;
}

static int q8_init(struct mnet_backend *be, struct mnet_err *err)
{
	const struct mnet_model *m = be->model;
	double t0 = mnet_now_ms();
	struct mnet_cl_q8_state *st;
	const char *why;
	int ret;

	if (!mnet_model_is_quantized(m, &why))
		return mnet_err_set(err, -EINVAL, "OpenCL int8: %s: %s",
				    m->name, why);
	st = calloc(1, sizeof(*st));
	if (!st)
		return mnet_err_set(err, -ENOMEM, "out of memory");
	be->priv = st;
	ret = mnet_cl_device_select(be->opts.device, &st->dev, err);
	if (!ret)
		ret = q8_alloc(st, m, err);
	if (!ret)
		ret = q8_create(st, m, err);
	if (ret)
		goto out_fini;
	st->su.device_ms = mnet_now_ms() - t0;
	st->use_cache = mnet_cl_cache_dir(st->cache_dir, sizeof(st->cache_dir));
	t0 = mnet_now_ms();
	ret = q8_layers_init(be, err);
	if (ret)
		goto out_fini;
	mnet_cl_q8_tuning(be);
	st->su.build_ms = st->stats.ms;
	st->su.upload_ms = mnet_now_ms() - t0 - st->stats.ms;
	st->su.programs_built = st->stats.built;
	st->su.programs_cached = st->stats.cached;
	strcpy(be->name, "opencl-int8");
	snprintf(be->device, sizeof(be->device),
		 "%.120s (%s, %.60s, driver %.40s, int8 kernels)",
		 st->dev.name, mnet_cl_device_type_name(st->dev.type),
		 st->dev.platform_name, st->dev.driver);
	return 0;

out_fini:
	q8_fini(be);
	return ret;
}

/* A layer on the host: its inputs read back, its output written again. */
static int q8_host_layer(struct mnet_cl_q8_state *st, const struct mnet_layer *l,
			 const struct mnet_cl_q8_layer *L, const struct mnet_model *m)
{
	size_t nin = mnet_shape_elems(m->tensors[l->in].shape);
	size_t nout = mnet_shape_elems(l->out_shape);
	cl_int rc;
	int ret;

	rc = clEnqueueReadBuffer(st->q, st->t[l->in], CL_TRUE, 0, nin,
				 st->h[0], 0, NULL, NULL);
	if (!rc && l->in2 >= 0)
		rc = clEnqueueReadBuffer(st->q, st->t[l->in2], CL_TRUE, 0,
					 mnet_shape_elems(m->tensors[l->in2].shape),
					 st->h[1], 0, NULL, NULL);
	if (rc)
		return -EIO;
	ret = mnet_ref_q_layer_run(l, &L->ql, st->h[0],
				   l->in2 >= 0 ? st->h[1] : NULL, st->h[2]);
	if (ret)
		return ret;
	rc = clEnqueueWriteBuffer(st->q, st->t[l->out], CL_TRUE, 0, nout,
				  st->h[2], 0, NULL, NULL);
	return rc ? -EIO : 0;
}

static int q8_layer(struct mnet_cl_q8_state *st, const struct mnet_model *m, int i)
{
	const struct mnet_layer *l = &m->layers[i];
	const struct mnet_cl_q8_layer *L = &st->layers[i];
	cl_int rc;

	if (L->on_host)
		return q8_host_layer(st, l, L, m);
	if (L->copy)
		rc = clEnqueueCopyBuffer(st->q, st->t[l->in], st->t[l->out], 0,
					 0, mnet_shape_elems(l->out_shape), 0,
					 NULL, NULL);
	else
		rc = mnet_cl_q8_enqueue(st, L, L->local);
	return rc ? -EIO : 0;
}

/* The layers, from the IR input tensor (written) to the float output. */
static int q8_layers(struct mnet_backend *be, float *output,
		     struct mnet_layer_time *times)
{
	const struct mnet_model *m = be->model;
	struct mnet_cl_q8_state *st = be->priv;
	int i, ret;

	for (i = 0; i < m->n_layers; i++) {
		double t0 = mnet_now_ms();

		ret = q8_layer(st, m, i);
		if (!ret && be->opts.profile && clFinish(st->q))
			ret = -EIO;
		if (ret) {
			clFinish(st->q);
			return ret;
		}
		times[i].ms = mnet_now_ms() - t0;
		times[i].backend = st->layers[i].on_host ? "host-int8" :
							    "opencl-int8";
		times[i].config = st->layers[i].on_host ? "host fallback" :
				  st->layers[i].tuned ? "tuned" : "default";
	}
	if (clEnqueueReadBuffer(st->q, st->t[m->output], CL_TRUE, 0,
				mnet_shape_elems(m->tensors[m->output].shape),
				st->h[2], 0, NULL, NULL)) {
		clFinish(st->q);
		return -EIO;
	}
	mnet_ref_q_output(m, st->h[2], st->edge, output);
	return 0;
}

static int q8_write_input(struct mnet_cl_q8_state *st, const struct mnet_model *m)
{
	if (clEnqueueWriteBuffer(st->q, st->t[m->input], CL_TRUE, 0,
				 mnet_shape_elems(m->tensors[m->input].shape),
				 st->h[0], 0, NULL, NULL)) {
		clFinish(st->q);
		return -EIO;
	}
	return 0;
}

static int q8_run(struct mnet_backend *be, const float *input, float *output,
		  struct mnet_layer_time *times)
{
	struct mnet_cl_q8_state *st = be->priv;
	int ret, held;

	mnet_ref_q_input(be->model, input, st->edge, st->h[0]);
	mnet_cl_launch_lock_take(&st->dev, &held);
	ret = q8_write_input(st, be->model);
	if (!ret)
		ret = q8_layers(be, output, times);
	mnet_cl_launch_lock_drop(held);
	return ret;
}

static int q8_run_quantized(struct mnet_backend *be, const uint8_t *input,
			    float *output, struct mnet_layer_time *times)
{
	struct mnet_cl_q8_state *st = be->priv;
	int ret, held;

	ret = mnet_ref_q_input_raw(be->model, input, st->h[0]);
	if (ret)
		return ret;
	mnet_cl_launch_lock_take(&st->dev, &held);
	ret = q8_write_input(st, be->model);
	if (!ret)
		ret = q8_layers(be, output, times);
	mnet_cl_launch_lock_drop(held);
	return ret;
}

static int q8_layer_output(struct mnet_backend *be, int layer, float *dst,
			   size_t count)
{
	const struct mnet_model *m = be->model;
	struct mnet_cl_q8_state *st = be->priv;
	int t, held;
	cl_int rc;

	if (layer < 0 || layer >= m->n_layers)
		return -EINVAL;
	t = m->layers[layer].out;
	mnet_cl_launch_lock_take(&st->dev, &held);
	rc = clEnqueueReadBuffer(st->q, st->t[t], CL_TRUE, 0,
				 mnet_shape_elems(m->tensors[t].shape),
				 st->h[2], 0, NULL, NULL);
	mnet_cl_launch_lock_drop(held);
	if (rc)
		return -EIO;
	return mnet_ref_q_tensor_real(m, t, st->h[2], dst, count);
}

static uint64_t q8_footprint(const struct mnet_backend *be)
{
	const struct mnet_model *m = be->model;
	uint64_t bytes = sizeof(struct mnet_cl_q8_state) + mnet_ref_q_edge_elems(m) +
			 (uint64_t)m->n_layers * sizeof(struct mnet_cl_q8_layer);
	uint64_t maxe = 0;
	int i;

	for (i = 0; i < m->n_tensors; i++) {
		uint64_t n = mnet_shape_elems(m->tensors[i].shape);

		bytes += n + sizeof(cl_mem);
		maxe = n > maxe ? n : maxe;
	}
	bytes += 3 * maxe;
	for (i = 0; i < m->n_layers; i++) {
		const struct mnet_layer *l = &m->layers[i];
		uint64_t c = (uint64_t)l->out_shape.c, cpad = (c + 15) / 16 * 16;

		/* weights repacked with output channels padded to 16 */
		if (l->n_weights && c)
			bytes += (uint64_t)l->n_weights / c * cpad;
		bytes += c * 3 * sizeof(int32_t) +
			 Q8_POOL_PRM * sizeof(int32_t);
	}
	return bytes;
}

static void q8_startup(const struct mnet_backend *be, struct mnet_startup *out)
{
	const struct mnet_cl_q8_state *st = be->priv;

	out->device_ms = st->su.device_ms;
	out->build_ms = st->su.build_ms;
	out->upload_ms = st->su.upload_ms;
	out->programs_built = st->su.programs_built;
	out->programs_cached = st->su.programs_cached;
	out->host_layers = st->su.host_layers;
}

const struct mnet_backend_ops mnet_opencl_int8_ops = {
	.name = "opencl",
	.kind = MNET_BACKEND_OPENCL,
	.init = q8_init,
	.fini = q8_fini,
	.run = q8_run,
	.run_quantized = q8_run_quantized,
	.layer_output = q8_layer_output,
	.footprint = q8_footprint,
	.startup = q8_startup,
};

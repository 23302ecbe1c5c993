// SPDX-License-Identifier: Apache-2.0
/*
 * tuner_bench.c - one layer on the tuner's bench: buffers, programs and
 * the check against the reference
 *
 * DOC: correct before fast
 *
 * Each candidate's first launch is on a random input whose output buffer
 * was filled with NaN; the result is compared with mnet_ref_layer_run()
 * on the same input (rounded to the stored type first, so the oracle sees
 * exactly the values the device does): max |a - ref| / max |ref| must
 * stay within the precision's tolerance (&struct
 * mnet_cl_precision.tolerance).  The weights are packed and uploaded once
 * per vector width, the programs built once per option set.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl/cl_error.h"
#include "cl/cl_program.h"
#include "opencl/ops/cl_op_table.h"
#include "reference/ref_layer.h"
#include "tune/tuner_bench.h"

static int log2i(int v)
{
	int k = 0;

	while (v > 1) {
		v >>= 1;
		k++;
	}
	return k;
}

void mnet_tune_bench_fini(struct mnet_tune_bench *b)
{
	int i;

	if (b->in)
		clReleaseMemObject(b->in);
	if (b->in2)
		clReleaseMemObject(b->in2);
	if (b->out)
		clReleaseMemObject(b->out);
	for (i = 0; i < 5; i++) {
		if (b->w[i])
			clReleaseMemObject(b->w[i]);
		if (b->b[i])
			clReleaseMemObject(b->b[i]);
	}
	for (i = 0; i < b->n_progs; i++) {
		clReleaseProgram(b->progs[i]);
		free(b->prog_opts[i]);
	}
	free(b->ref);
	free(b->got);
	free(b->stage);
	memset(b, 0, sizeof(*b));
}

void mnet_tune_fill_random(float *p, size_t n, unsigned int seed)
{
	uint32_t s = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < n; i++) {
		s = s * 1664525u + 1013904223u;
		p[i] = (float)(s >> 8) / (float)(1u << 24) * 2.0f - 1.0f;
	}
}

/*
 * Upload @n floats as the stored type, rounding @src in place to what the
 * device holds (so the reference sees the same values).
 */
static int upload(struct mnet_tune_cl *t, float *src, size_t n,
		  cl_mem_flags flags, cl_mem *out, struct mnet_err *err)
{
	size_t bytes = n * t->prec->elem_size;
	const void *p = src;
	void *h = NULL;
	cl_int rc;

	if (t->prec->to_device) {
		h = malloc(bytes);
		if (!h)
			return mnet_err_set(err, -ENOMEM, "out of memory");
		t->prec->to_device(h, src, n);
		t->prec->from_device(src, h, n);
		p = h;
	}
	*out = clCreateBuffer(t->ctx, flags | CL_MEM_COPY_HOST_PTR, bytes,
			      (void *)p, &rc);
	free(h);
	return mnet_cl_check(err, rc, "clCreateBuffer(tuner input)");
}

int mnet_tune_bench_init(struct mnet_tune_cl *t, const struct mnet_layer *l,
			 struct mnet_tune_bench *b, struct mnet_err *err)
{
	size_t n_in = mnet_shape_elems(l->in_shape), n2 = 0;
	float *in = NULL, *in2 = NULL;
	cl_int rc;
	int ret;

	memset(b, 0, sizeof(*b));
	b->l = l;
	b->n_out = mnet_shape_elems(l->out_shape);
	if (mnet_cl_op_has_arg(mnet_cl_op_find(l), MNET_CL_ARG_IN2))
		n2 = n_in;
	in = malloc(n_in * sizeof(float));
	in2 = malloc((n2 ? n2 : 1) * sizeof(float));
	b->ref = malloc(b->n_out * sizeof(float));
	b->got = malloc(b->n_out * sizeof(float));
	b->stage = malloc(b->n_out * t->prec->elem_size);
	if (!in || !in2 || !b->ref || !b->got || !b->stage) {
		ret = mnet_err_set(err, -ENOMEM, "out of memory");
		goto out_free;
	}
	mnet_tune_fill_random(in, n_in, 1);
	mnet_tune_fill_random(in2, n2 ? n2 : 1, 2);
	ret = upload(t, in, n_in, CL_MEM_READ_ONLY, &b->in, err);
	if (!ret && n2)
		ret = upload(t, in2, n2, CL_MEM_READ_ONLY, &b->in2, err);
	if (ret)
		goto out_free;
	b->out = clCreateBuffer(t->ctx, CL_MEM_READ_WRITE,
				b->n_out * t->prec->elem_size, NULL, &rc);
	ret = mnet_cl_check(err, rc, "clCreateBuffer(tuner output)");
	if (ret)
		goto out_free;
	/* the oracle, on exactly the values the device sees */
	ret = mnet_ref_layer_run(l, in, in2, b->ref);
	if (ret)
		mnet_err_set(err, ret, "%s: no reference kernel", l->name);
out_free:
	free(in);
	free(in2);
	return ret;
}

int mnet_tune_bench_weights(struct mnet_tune_cl *t, struct mnet_tune_bench *b,
			    const struct mnet_cl_layer_cfg *cfg, cl_mem *w,
			    cl_mem *bias, struct mnet_err *err)
{
	int k = log2i(cfg->vw);
	float *pw = NULL, *pb = NULL;
	size_t nw, nb;
	int ret;

	if (!b->w[k]) {
		ret = mnet_cl_layer_pack(b->l, cfg, &pw, &nw, &pb, &nb);
		if (ret)
			return mnet_err_set(err, ret, "out of memory");
		ret = upload(t, pw, nw, CL_MEM_READ_ONLY, &b->w[k], err);
		if (!ret)
			ret = upload(t, pb, nb, CL_MEM_READ_ONLY, &b->b[k], err);
		free(pw);
		free(pb);
		if (ret)
			return ret;
	}
	*w = b->w[k];
	*bias = b->b[k];
	return 0;
}

int mnet_tune_bench_program(struct mnet_tune_cl *t, struct mnet_tune_bench *b,
			    const struct mnet_cl_layer_plan *plan,
			    cl_program *out, struct mnet_err *err)
{
	int i, ret;

	for (i = 0; i < b->n_progs; i++) {
		if (!strcmp(b->prog_opts[i], plan->opts.s)) {
			*out = b->progs[i];
			return 0;
		}
	}
	if (b->n_progs == MNET_TUNE_MAX_PROGS)
		return mnet_err_set(err, -ENOMEM, "too many programs");
	b->prog_opts[b->n_progs] = strdup(plan->opts.s);
	if (!b->prog_opts[b->n_progs])
		return mnet_err_set(err, -ENOMEM, "out of memory");
	ret = mnet_cl_program_build(t->ctx, &t->dev, plan->file, plan->opts.s,
				    t->use_cache ? t->cache_dir : NULL, 0,
				    NULL, out, err);
	if (ret) {
		free(b->prog_opts[b->n_progs]);
		return ret;
	}
	b->progs[b->n_progs++] = *out;
	return 0;
}

/* Max |got - ref| / max |ref|; NaN anywhere makes it infinite. */
static double rel_err(const float *got, const float *ref, size_t n)
{
	double m = 0, e = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		double d = fabs((double)got[i] - ref[i]);

		if (!(d == d))
			return INFINITY;
		if (d > e)
			e = d;
		if (fabs(ref[i]) > m)
			m = fabs(ref[i]);
	}
	return e / (m > 1e-30 ? m : 1e-30);
}

int mnet_tune_bench_check(struct mnet_tune_cl *t, struct mnet_tune_bench *b,
			  const struct mnet_tune_runner *r, double *rerr)
{
	uint32_t nan = 0xffffffffu;
	double ms;
	cl_int rc;
	int ret;

	rc = clEnqueueFillBuffer(t->q, b->out, &nan, t->prec->elem_size, 0,
				 b->n_out * t->prec->elem_size, 0, NULL, NULL);
	if (rc)
		return -EIO;
	ret = mnet_tune_launch(t, r, r->planted, &ms);
	if (ret)
		return ret;
	rc = clEnqueueReadBuffer(t->q, b->out, CL_TRUE, 0,
				 b->n_out * t->prec->elem_size,
				 t->prec->from_device ? b->stage : (void *)b->got,
				 0, NULL, NULL);
	if (rc)
		return -EIO;
	if (t->prec->from_device)
		t->prec->from_device(b->got, b->stage, b->n_out);
	*rerr = rel_err(b->got, b->ref, b->n_out);
	return 0;
}

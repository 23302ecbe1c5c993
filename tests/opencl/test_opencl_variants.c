// SPDX-License-Identifier: Apache-2.0
/*
 * test_opencl_variants.c - every kernel variant the tuner can choose, run
 * at least once against the reference
 *
 * For small awkward layers of every op with a kernel (channel counts that
 * no vector width divides, sizes that no tile divides, both strides, a
 * pwconv with the fused residual), the tuner's candidates on this device
 * (mnet_tune_space(), normal then exhaustive mode: what the device's
 * limits allow, as the tuner would try them) are reduced to a cover: a
 * candidate runs when it brings a value not run yet for that layer on one
 * of the axes (vector width, pixels per work-item, dwconv's output tile,
 * pwconv's local-memory slice, work-group shape, the CLBlast variant), so
 * every value of every axis runs at least once without running the whole
 * product.  Each runs through the layer plan, the weight packing, the
 * program build and one launch (the CLBlast one through cl_gemm.c), on an
 * output filled with NaN first, and must agree with the reference kernel
 * within 1e-4 of the largest output (fp32).  A candidate the compiled
 * kernel's own limits refuse (CL_KERNEL_WORK_GROUP_SIZE, local memory) is
 * dropped as the tuner drops it, and counted.
 *
 * Meant for Oclgrind too (tools/ci/oclgrind.sh runs it under the small-GPU
 * profiles): the layers are small so that the simulator runs the suite in
 * seconds.  Without an OpenCL device the suite exits 77 (skipped).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/test_util.h"
#include "lib/opencl_test.h"
#include "reference/ref_layer.h"

#define TOL 1e-4

#ifdef MNET_HAVE_OPENCL
#include "cl/cl_program.h"
#include "opencl/cl_gemm.h"
#include "opencl/cl_layer.h"
#include "opencl/ops/cl_op_table.h"
#include "tune/cl_tune.h"
#include "tune/tuner_space.h"

static char cache_dir[256];

/**
 * struct vcase - one layer
 * @name: what it is
 * @op: operation
 * @h: input height (= width)
 * @cin: input channels
 * @cout: output channels (conv, pw, fc)
 * @k: kernel size (conv, dw, pool; 0 = global pool)
 * @stride: stride
 * @res: pwconv with the fused residual ADD
 */
struct vcase {
	const char *name;
	enum mnet_op op;
	int h, cin, cout, k, stride, res;
};

static const struct vcase vcases[] = {
	{ "conv2d 3x3/2 9x9x3 -> 10", MNET_OP_CONV2D, 9, 3, 10, 3, 2, 0 },
	{ "dwconv 3x3/1 11x11x13", MNET_OP_DWCONV2D, 11, 13, 13, 3, 1, 0 },
	{ "dwconv 3x3/2 9x9x13", MNET_OP_DWCONV2D, 9, 13, 13, 3, 2, 0 },
	{ "pwconv 7x7 13 -> 19", MNET_OP_PWCONV2D, 7, 13, 19, 1, 1, 0 },
	{ "pwconv 5x5 37 -> 21 + residual", MNET_OP_PWCONV2D, 5, 37, 21, 1, 1, 1 },
	{ "avgpool global 3x3x13", MNET_OP_AVGPOOL, 3, 13, 13, 0, 1, 0 },
	{ "fc 2x2x5 -> 11", MNET_OP_FC, 2, 5, 11, 0, 0, 0 },
	{ "softmax 1x1x37", MNET_OP_SOFTMAX, 1, 37, 37, 0, 0, 0 },
	{ "add 3x3x5", MNET_OP_ADD, 3, 5, 5, 0, 0, 0 },
};

static float *rand_array(size_t n, unsigned int seed, float lo, float hi)
{
	float *p = malloc(n * sizeof(float));

	if (p)
		mnet_test_fill_random(p, n, seed, lo, hi);
	return p;
}

/* The layer of @c, with random weights (free with free_layer()). */
static void make_layer(const struct vcase *c, unsigned int seed,
		       struct mnet_layer *l)
{
	struct mnet_shape is = { c->h, c->h, c->cin }, os = is;

	memset(l, 0, sizeof(*l));
	l->op = c->op;
	l->in = 0;
	l->in2 = -1;
	l->out = 1;
	l->act = MNET_ACT_RELU6;
	l->stride_h = l->stride_w = c->stride ? c->stride : 1;
	l->beta = 1.0f;
	switch (c->op) {
	case MNET_OP_CONV2D:
	case MNET_OP_DWCONV2D:
	case MNET_OP_AVGPOOL:
		l->kh = l->kw = c->k ? c->k : c->h;
		if (c->k) {
			l->pad_top = mnet_same_pad(is.h, c->k, c->stride,
						   &os.h);
			l->pad_left = mnet_same_pad(is.w, c->k, c->stride,
						    &os.w);
		} else {
			os.h = os.w = 1;
			l->act = MNET_ACT_NONE;
		}
		if (c->op == MNET_OP_CONV2D) {
			os.c = c->cout;
			l->n_weights = (size_t)c->cout * c->k * c->k * c->cin;
		} else if (c->op == MNET_OP_DWCONV2D) {
			l->n_weights = (size_t)c->k * c->k * c->cin;
		}
		break;
	case MNET_OP_PWCONV2D:
		os.c = c->cout;
		l->kh = l->kw = 1;
		l->n_weights = (size_t)c->cout * c->cin;
		if (c->res) {
			/* the session's view of a fused ADD */
			l->in2 = 2;
			l->act = MNET_ACT_NONE;	/* a linear projection */
		}
		break;
	case MNET_OP_FC:
		os = (struct mnet_shape){ 1, 1, c->cout };
		l->n_weights = (size_t)c->cout * mnet_shape_elems(is);
		break;
	case MNET_OP_SOFTMAX:
		l->act = MNET_ACT_NONE;
		l->beta = 1.5f;
		break;
	case MNET_OP_ADD:
		l->in2 = 2;
		break;
	default:
		break;
	}
	l->in_shape = is;
	l->out_shape = os;
	strcpy(l->name, "layer");
	if (l->n_weights) {
		l->weights = rand_array(l->n_weights, seed + 1, -0.5f, 0.5f);
		l->bias = rand_array(os.c, seed + 2, -0.5f, 0.5f);
	}
}

/* The reference output: the kernel, plus the residual for a fused one. */
static void ref_output(const struct mnet_layer *l, const float *in,
		       const float *in2, float *out)
{
	size_t i, n = mnet_shape_elems(l->out_shape);

	if (l->op == MNET_OP_PWCONV2D && l->in2 >= 0) {
		struct mnet_layer pw = *l;

		/* TFLite's order: the projection, then the ADD (no act) */
		pw.in2 = -1;
		mnet_ref_layer_run(&pw, in, NULL, out);
		for (i = 0; i < n; i++)
			out[i] += in2[i];
		return;
	}
	mnet_ref_layer_run(l, in, in2, out);
}

/* The programs built so far (one per option string), and the context. */
#define MAX_PROGS 512

struct rig {
	struct mnet_cl_device dev;
	cl_context ctx;
	cl_command_queue q;
	char *keys[MAX_PROGS];
	cl_program progs[MAX_PROGS];
	int n_progs;
	int runs, dropped, failed, gemm;
};

static int get_prog(struct rig *r, const struct mnet_cl_layer_plan *plan,
		    cl_program *p)
{
	struct mnet_err err = { 0 };
	char *key;
	int i, ret;

	for (i = 0; i < r->n_progs; i++)
		if (!strcmp(r->keys[i], plan->opts.s) &&
		    !strcmp(r->keys[i] + strlen(r->keys[i]) + 1, plan->file)) {
			*p = r->progs[i];
			return 0;
		}
	if (r->n_progs == MAX_PROGS)
		return -ENOSPC;
	ret = mnet_cl_program_build(r->ctx, &r->dev, plan->file, plan->opts.s,
				    cache_dir, 1, NULL, p, &err);
	if (ret) {
		printf("\n    build: %s", err.msg);
		return ret;
	}
	key = malloc(strlen(plan->opts.s) + strlen(plan->file) + 2);
	if (!key) {
		clReleaseProgram(*p);
		return -ENOMEM;
	}
	strcpy(key, plan->opts.s);
	strcpy(key + strlen(key) + 1, plan->file);
	r->keys[r->n_progs] = key;
	r->progs[r->n_progs++] = *p;
	return 0;
}

/*
 * What the compiled kernel allows, as the tuner checks it: 1 when @cfg's
 * work-group or its local memory is beyond it, else 0.
 */
static int beyond_kernel(struct rig *r, cl_kernel k,
			 const struct mnet_cl_layer_plan *plan,
			 const struct mnet_cl_layer_cfg *cfg)
{
	size_t kmax = 0, wg = cfg->wg[0] * cfg->wg[1] * cfg->wg[2];
	cl_ulong klocal = 0;

	clGetKernelWorkGroupInfo(k, r->dev.id, CL_KERNEL_WORK_GROUP_SIZE,
				 sizeof(kmax), &kmax, NULL);
	clGetKernelWorkGroupInfo(k, r->dev.id, CL_KERNEL_LOCAL_MEM_SIZE,
				 sizeof(klocal), &klocal, NULL);
	return (cfg->wg[0] && wg > kmax) ||
	       klocal + plan->op->local_arg_per_item * wg > r->dev.local_mem;
}

/* Upload @n floats (NULL: an uninitialised output buffer). */
static cl_mem buf(struct rig *r, const float *p, size_t n)
{
	cl_int rc;

	return clCreateBuffer(r->ctx, p ? CL_MEM_READ_ONLY |
				      CL_MEM_COPY_HOST_PTR : CL_MEM_READ_WRITE,
			      (n ? n : 1) * sizeof(float), (void *)p, &rc);
}

/*
 * Run @cfg on @l: 0 with @out filled, 1 when dropped for the compiled
 * kernel's limits, a negative errno on failure.
 */
static int run_cand(struct rig *r, const struct mnet_layer *l,
		    const struct mnet_cl_layer_cfg *cfg, const float *in,
		    const float *in2, float *out)
{
	const struct mnet_cl_precision *prec =
		mnet_cl_precision_get(MNET_PRECISION_FP32);
	size_t n_in = mnet_shape_elems(l->in_shape);
	size_t n_out = mnet_shape_elems(l->out_shape), nw = 0, nb = 0;
	cl_mem mem[MNET_CL_ARG_COUNT] = { NULL };
	struct mnet_cl_layer_plan plan;
	struct mnet_err err = { 0 };
	float *w = NULL, *b = NULL;
	cl_kernel k = NULL;
	cl_program p;
	cl_int rc;
	int ret, i;

	mem[MNET_CL_ARG_IN] = buf(r, in, n_in);
	mem[MNET_CL_ARG_OUT] = buf(r, NULL, n_out);
	if (l->in2 >= 0)
		mem[MNET_CL_ARG_IN2] = mem[MNET_CL_ARG_RES] =
			buf(r, in2, n_out);
	memset(out, 0xff, n_out * sizeof(float));	/* NaN */
	rc = clEnqueueWriteBuffer(r->q, mem[MNET_CL_ARG_OUT], CL_TRUE, 0,
				  n_out * sizeof(float), out, 0, NULL, NULL);
	if (rc) {
		ret = -EIO;
		goto out_free;
	}
	if (cfg->variant == MNET_CL_VARIANT_GEMM) {
		struct mnet_cl_gemm g = { 0 };

		ret = mnet_cl_gemm_init(&g, r->ctx, &r->dev, l, cache_dir,
					NULL, &err);
		if (!ret)
			ret = mnet_cl_gemm_enqueue(&g, r->q,
						   mem[MNET_CL_ARG_IN],
						   mem[MNET_CL_ARG_OUT], NULL,
						   NULL);
		if (!ret)
			ret = clFinish(r->q) ? -EIO : 0;
		mnet_cl_gemm_fini(&g);
		if (ret)
			printf("\n    gemm: %s", err.msg);
		goto out_read;
	}
	ret = mnet_cl_layer_plan(l, cfg, prec, &plan);
	if (!ret)
		ret = get_prog(r, &plan, &p);
	if (ret)
		goto out_free;
	k = clCreateKernel(p, plan.kernel, &rc);
	if (rc) {
		ret = -EIO;
		goto out_free;
	}
	if (beyond_kernel(r, k, &plan, cfg)) {
		ret = 1;
		goto out_free;
	}
	ret = mnet_cl_layer_pack(l, cfg, &w, &nw, &b, &nb);
	if (ret)
		goto out_free;
	if (plan.has_weights) {
		mem[MNET_CL_ARG_W] = buf(r, w, nw);
		mem[MNET_CL_ARG_BIAS] = buf(r, b, nb);
	}
	rc = mnet_cl_layer_set_args(k, &plan, mem, 1);
	if (!rc)
		rc = clEnqueueNDRangeKernel(r->q, k, plan.dims, NULL,
					    plan.global,
					    cfg->wg[0] ? plan.local : NULL, 0,
					    NULL, NULL);
	ret = rc ? -EIO : 0;
	if (rc)
		printf("\n    launch: error %d", rc);
out_read:
	if (!ret && clEnqueueReadBuffer(r->q, mem[MNET_CL_ARG_OUT], CL_TRUE,
					0, n_out * sizeof(float), out, 0,
					NULL, NULL))
		ret = -EIO;
out_free:
	if (k)
		clReleaseKernel(k);
	for (i = 0; i < MNET_CL_ARG_COUNT; i++)
		if (mem[i] && (i != MNET_CL_ARG_RES || !mem[MNET_CL_ARG_IN2]))
			clReleaseMemObject(mem[i]);
	free(w);
	free(b);
	return ret;
}

/* The axis values @cfg brings, as short strings (at most 6). */
static int axes_of(const struct mnet_cl_layer_cfg *cfg, char v[6][48])
{
	if (cfg->variant == MNET_CL_VARIANT_GEMM) {
		snprintf(v[0], 48, "gemm");
		return 1;
	}
	snprintf(v[0], 48, "vw=%d", cfg->vw);
	snprintf(v[1], 48, "ppt=%d", cfg->ppt);
	snprintf(v[2], 48, "tile=%dx%d", cfg->oxt, cfg->oyt);
	snprintf(v[3], 48, "ks=%d", cfg->wg[0] ? cfg->ks : 0);
	snprintf(v[4], 48, "wg=%zux%zux%zu", cfg->wg[0], cfg->wg[1],
		 cfg->wg[2]);
	snprintf(v[5], 48, "in_vec=%d", cfg->in_vec);
	return 6;
}

/* The values of the axes run so far for one layer. */
#define MAX_SEEN 1024

struct seen {
	char v[MAX_SEEN][48];
	int n;
};

static int seen_has(const struct seen *s, const char *v)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], v))
			return 1;
	return 0;
}

/* Run the candidates of @c that bring a new axis value; count in @r. */
static void check_case(struct rig *r, const struct vcase *c, unsigned int seed,
		       struct mnet_tune_cand *cands, struct seen *seen)
{
	static const enum mnet_tune_mode modes[] = {
		MNET_TUNE_NORMAL, MNET_TUNE_EXHAUSTIVE,
	};
	const struct mnet_cl_precision *prec =
		mnet_cl_precision_get(MNET_PRECISION_FP32);
	struct mnet_cl_layer_cfg def;
	struct mnet_layer l;
	float *in, *in2, *ref, *out;
	size_t n_out;
	unsigned int mi;
	int runs = 0, dropped = 0, failed = 0, n, pruned, i, j, na, fresh;
	char v[6][48], text[MNET_TUNE_CFG_LEN];
	double worst = 0;

	make_layer(c, seed, &l);
	n_out = mnet_shape_elems(l.out_shape);
	in = rand_array(mnet_shape_elems(l.in_shape), seed + 3, -2.0f, 2.0f);
	in2 = rand_array(n_out, seed + 4, -2.0f, 2.0f);
	ref = malloc(n_out * sizeof(float));
	out = malloc(n_out * sizeof(float));
	CU_ASSERT_FATAL(in && in2 && ref && out);
	CU_ASSERT_FATAL(!l.n_weights || (l.weights && l.bias));
	ref_output(&l, in, in2, ref);
	mnet_cl_layer_cfg_default(&l, &r->dev, &def);
	/* the default is always a candidate the device can run */
	CU_ASSERT(mnet_tune_cand_fits(&r->dev, &l, &def));
	seen->n = 0;
	for (mi = 0; mi < sizeof(modes) / sizeof(modes[0]); mi++) {
		mnet_tune_space(&r->dev, prec, modes[mi], 0, &l, &def, cands,
				&n, &pruned);
		for (i = 0; i < n; i++) {
			const struct mnet_cl_layer_cfg *cfg = &cands[i].cfg;
			double e;
			int ret;

			/* every candidate is within the device's limits */
			CU_ASSERT(mnet_tune_cand_fits(&r->dev, &l, cfg));
			/* as the session: no residual epilogue in CLBlast */
			if (cfg->variant == MNET_CL_VARIANT_GEMM && l.in2 >= 0)
				continue;
			na = axes_of(cfg, v);
			for (fresh = 0, j = 0; j < na; j++)
				fresh |= !seen_has(seen, v[j]);
			if (!fresh)
				continue;
			for (j = 0; j < na && seen->n < MAX_SEEN; j++)
				if (!seen_has(seen, v[j]))
					strcpy(seen->v[seen->n++], v[j]);
			ret = run_cand(r, &l, cfg, in, in2, out);
			mnet_cl_tune_cfg_format(cfg, text, sizeof(text));
			if (ret == 1) {
				dropped++;
				continue;
			}
			e = ret ? 1e9 : mnet_test_max_rel_err(out, ref, n_out);
			if (e > worst)
				worst = e;
			runs++;
			r->gemm += cfg->variant == MNET_CL_VARIANT_GEMM;
			if (ret || e > TOL) {
				failed++;
				printf("\n    %s: %s: %s, max rel err %.3g",
				       c->name, text, ret ? "failed" : "wrong",
				       e);
			}
		}
	}
	printf("\n  %-32s %3d variants run, %d dropped after the build, "
	       "%d programs so far, worst %.3g", c->name, runs, dropped,
	       r->n_progs, worst);
	CU_ASSERT(runs >= 1);
	r->runs += runs;
	r->dropped += dropped;
	r->failed += failed;
	free(l.weights);
	free(l.bias);
	free(in);
	free(in2);
	free(ref);
	free(out);
}

static void test_variants(void)
{
	struct mnet_tune_cand *cands = calloc(MNET_TUNE_MAX_CANDS,
					      sizeof(*cands));
	struct seen *seen = malloc(sizeof(*seen));
	struct rig *r = calloc(1, sizeof(*r));
	struct mnet_err err = { 0 };
	unsigned int i;
	cl_int rc;

	CU_ASSERT_FATAL(cands && seen && r);
	CU_ASSERT_FATAL(!mnet_cl_device_select(NULL, &r->dev, &err));
	printf("\n  device: max work-group %zu, local memory %llu",
	       r->dev.max_wg, (unsigned long long)r->dev.local_mem);
	r->ctx = clCreateContext(NULL, 1, &r->dev.id, NULL, NULL, &rc);
	CU_ASSERT_FATAL(rc == CL_SUCCESS);
	r->q = clCreateCommandQueue(r->ctx, r->dev.id, 0, &rc);
	CU_ASSERT_FATAL(rc == CL_SUCCESS);
	for (i = 0; i < sizeof(vcases) / sizeof(vcases[0]); i++)
		check_case(r, &vcases[i], 50 * i, cands, seen);
	printf("\n  %d variants run (%d programs, %d CLBlast), %d dropped, "
	       "%d wrong\n", r->runs, r->n_progs, r->gemm, r->dropped,
	       r->failed);
	CU_ASSERT_EQUAL(r->failed, 0);
	for (i = 0; i < (unsigned int)r->n_progs; i++) {
		clReleaseProgram(r->progs[i]);
		free(r->keys[i]);
	}
	clReleaseCommandQueue(r->q);
	mnet_cl_gemm_release_cache();
	clReleaseContext(r->ctx);
	free(r);
	free(seen);
	free(cands);
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "every tuner candidate value vs the reference", test_variants },
		CU_TEST_INFO_NULL,
	};
	int ret;

	cl_test_require_device("opencl_variants", cache_dir,
			       sizeof(cache_dir));
	ret = mnet_test_run_suite("opencl_variants", tests);
	cl_test_remove_dir(cache_dir);
	return ret;
}
#else
int main(void)
{
	printf("opencl_variants: skipped: built without OpenCL\n");
	return 77;
}
#endif

// SPDX-License-Identifier: Apache-2.0
/*
 * test_opencl_kernels.c - each OpenCL kernel against the reference kernel
 *
 * Every case is a one-layer model built by hand (mnet_model_alloc +
 * mnet_model_validate) with random weights and input, run on the OpenCL
 * backend in fp32 and on the reference backend; the outputs must agree
 * within 1e-4 of the largest reference value.  Shapes are chosen to hit
 * the edges: channel counts that are not multiples of the vector widths
 * (4/8), spatial sizes 1, 3, 7, 14 and 112, both strides, pixel counts
 * that are not multiples of the pixel tile, every activation.  The cases
 * are few because each distinct layer is a program PoCL must compile.
 * Without an OpenCL device the suite exits 77 (skipped).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "opencl_test.h"
#include "ref.h"
#ifdef MNET_HAVE_OPENCL
#include "cl_layer.h"
#include "cl_program.h"
#endif

#define TOL 1e-4

/**
 * struct kcase - one single-layer model
 * @name: what the case checks
 * @op: operation (MNET_OP_ADD builds reshape + add, to have two inputs)
 * @h: input height (= width)
 * @cin: input channels
 * @cout: output channels (conv, pw, fc)
 * @k: kernel size (conv, dw, pool; 0 = global pool)
 * @stride: stride
 * @act: fused activation
 * @half: also run with fp16 storage (vload_half/vstore_half paths)
 */
struct kcase {
	const char *name;
	enum mnet_op op;
	int h, cin, cout, k, stride;
	enum mnet_act act;
	int half;
};

static const struct kcase cases[] = {
	{ "conv2d 3x3/2 14x14x3 -> 32, relu6", MNET_OP_CONV2D, 14, 3, 32, 3, 2, MNET_ACT_RELU6, 0 },
	{ "conv2d 3x3/1 7x7x3 -> 5", MNET_OP_CONV2D, 7, 3, 5, 3, 1, MNET_ACT_NONE, 1 },
	{ "conv2d 1x1/1 7x7x3 -> 10 (as pwconv)", MNET_OP_CONV2D, 7, 3, 10, 1, 1, MNET_ACT_RELU6, 0 },
	{ "conv2d 1x1/2 7x7x3 -> 6", MNET_OP_CONV2D, 7, 3, 6, 1, 2, MNET_ACT_NONE, 0 },
	{ "dwconv 3x3/1 14x14x13, relu6", MNET_OP_DWCONV2D, 14, 13, 13, 3, 1, MNET_ACT_RELU6, 1 },
	{ "dwconv 3x3/2 7x7x8", MNET_OP_DWCONV2D, 7, 8, 8, 3, 2, MNET_ACT_RELU, 0 },
	{ "dwconv 3x3/1 1x1x7", MNET_OP_DWCONV2D, 1, 7, 7, 3, 1, MNET_ACT_NONE, 0 },
	{ "dwconv 3x3/2 112x112x8, relu6", MNET_OP_DWCONV2D, 112, 8, 8, 3, 2, MNET_ACT_RELU6, 0 },
	{ "pwconv 7x7 13 -> 19, relu6", MNET_OP_PWCONV2D, 7, 13, 19, 1, 1, MNET_ACT_RELU6, 1 },
	{ "pwconv 1x1 3 -> 5", MNET_OP_PWCONV2D, 1, 3, 5, 1, 1, MNET_ACT_NONE, 0 },
	{ "pwconv 1x1 1024 -> 1001 (logits)", MNET_OP_PWCONV2D, 1, 1024, 1001, 1, 1, MNET_ACT_NONE, 0 },
	{ "pwconv 3x3 17 -> 6", MNET_OP_PWCONV2D, 3, 17, 6, 1, 1, MNET_ACT_RELU, 0 },
	{ "pwconv 3x3 24 -> 12", MNET_OP_PWCONV2D, 3, 24, 12, 1, 1, MNET_ACT_RELU6, 0 },
	{ "pwconv 14x14 64 -> 40, relu6", MNET_OP_PWCONV2D, 14, 64, 40, 1, 1, MNET_ACT_RELU6, 0 },
	{ "pwconv 112x112 8 -> 16, relu6", MNET_OP_PWCONV2D, 112, 8, 16, 1, 1, MNET_ACT_RELU6, 0 },
	{ "avgpool global 7x7x13", MNET_OP_AVGPOOL, 7, 13, 13, 0, 1, MNET_ACT_NONE, 0 },
	{ "avgpool 3x3/2 7x7x5 (SAME)", MNET_OP_AVGPOOL, 7, 5, 5, 3, 2, MNET_ACT_NONE, 1 },
	{ "fc 1x1x1024 -> 1001", MNET_OP_FC, 1, 1024, 1001, 0, 0, MNET_ACT_NONE, 0 },
	{ "fc 3x3x5 -> 7, relu", MNET_OP_FC, 3, 5, 7, 0, 0, MNET_ACT_RELU, 1 },
	{ "softmax 1x1x1001", MNET_OP_SOFTMAX, 1, 1001, 1001, 0, 0, MNET_ACT_NONE, 0 },
	{ "softmax 3x3x7", MNET_OP_SOFTMAX, 3, 7, 7, 0, 0, MNET_ACT_NONE, 1 },
	{ "reshape + add 3x3x5, relu6", MNET_OP_ADD, 3, 5, 5, 0, 0, MNET_ACT_RELU6, 1 },
};

static char cache_dir[256];

static float *rand_array(size_t n, unsigned int seed, float lo, float hi)
{
	float *p = malloc(n * sizeof(float));

	if (p)
		mnet_test_fill_random(p, n, seed, lo, hi);
	return p;
}

/*
 * Model inputs must be RGB (mnet_model_validate() insists on 3 channels),
 * so a case with another input depth starts with a 1x1 convolution from 3
 * channels; it runs on both backends too, and its own error is ~1e-7.
 */
static struct mnet_model *build_case(const struct kcase *c, unsigned int seed)
{
	struct mnet_shape rgb = { c->h, c->h, 3 }, in = { c->h, c->h, c->cin };
	struct mnet_shape out = in;
	int pre = c->cin != 3, n_layers, t = 0, pt = 0, pl = 0;
	struct mnet_err err;
	struct mnet_model *m;
	struct mnet_layer *l;
	size_t nw = 0;

	switch (c->op) {
	case MNET_OP_CONV2D:
	case MNET_OP_DWCONV2D:
	case MNET_OP_AVGPOOL:
		if (c->k) {
			pt = mnet_same_pad(in.h, c->k, c->stride, &out.h);
			pl = mnet_same_pad(in.w, c->k, c->stride, &out.w);
		} else {
			out.h = out.w = 1;
		}
		if (c->op == MNET_OP_CONV2D) {
			out.c = c->cout;
			nw = (size_t)c->cout * c->k * c->k * c->cin;
		} else if (c->op == MNET_OP_DWCONV2D) {
			nw = (size_t)c->k * c->k * c->cin;
		}
		break;
	case MNET_OP_PWCONV2D:
		out.c = c->cout;
		nw = (size_t)c->cout * c->cin;
		break;
	case MNET_OP_FC:
		out = (struct mnet_shape){ 1, 1, c->cout };
		nw = (size_t)c->cout * mnet_shape_elems(in);
		break;
	default:
		break;
	}
	n_layers = pre + (c->op == MNET_OP_ADD ? 2 : 1);
	m = mnet_model_alloc(n_layers, n_layers + 1);
	if (!m)
		return NULL;
	snprintf(m->name, sizeof(m->name), "case: %s", c->name);
	m->input = 0;
	m->output = n_layers;
	m->output_kind = MNET_OUTPUT_LOGITS;
	m->tensors[0].shape = rgb;
	l = m->layers;
	if (pre) {
		*l = (struct mnet_layer){ .op = MNET_OP_PWCONV2D, .in = 0,
			.in2 = -1, .out = 1, .in_shape = rgb, .out_shape = in,
			.stride_h = 1, .stride_w = 1 };
		strcpy(l->name, "pre");
		l->n_weights = (size_t)3 * in.c;
		l->weights = rand_array(l->n_weights, seed + 5, -0.5f, 0.5f);
		l->bias = rand_array(in.c, seed + 6, -0.5f, 0.5f);
		m->tensors[1].shape = in;
		t = 1;
		l++;
	}
	if (c->op == MNET_OP_ADD) {
		/* reshape is an alias on the device: add reads one buffer twice */
		*l = (struct mnet_layer){ .op = MNET_OP_RESHAPE, .in = t,
			.in2 = -1, .out = t + 1, .in_shape = in,
			.out_shape = in };
		strcpy(l->name, "reshape");
		m->tensors[t + 1].shape = in;
		l++;
		*l = (struct mnet_layer){ .op = MNET_OP_ADD, .in = t,
			.in2 = t + 1, .out = t + 2, .in_shape = in,
			.out_shape = in, .act = c->act };
		strcpy(l->name, "add");
		m->tensors[t + 2].shape = in;
	} else {
		*l = (struct mnet_layer){ .op = c->op, .in = t, .in2 = -1,
			.out = t + 1, .in_shape = in, .out_shape = out,
			.kh = c->k ? c->k : in.h, .kw = c->k ? c->k : in.w,
			.stride_h = c->stride ? c->stride : 1,
			.stride_w = c->stride ? c->stride : 1,
			.pad_top = pt, .pad_left = pl, .act = c->act,
			.beta = c->op == MNET_OP_SOFTMAX ? 1.5f : 1.0f };
		strcpy(l->name, "layer");
		m->tensors[t + 1].shape = out;
		if (nw) {
			l->n_weights = nw;
			l->weights = rand_array(nw, seed + 1, -0.5f, 0.5f);
			l->bias = rand_array(out.c, seed + 2, -0.5f, 0.5f);
		}
	}
	if (mnet_model_validate(m, &err)) {
		printf("\n%s: %s\n", c->name, err.msg);
		mnet_model_free(m);
		return NULL;
	}
	return m;
}

static float *run_on(const struct mnet_model *m, enum mnet_backend_kind k,
		     enum mnet_precision p, const float *in, size_t n_in,
		     char *backend_used, size_t len)
{
	struct mnet_session_opts o;
	struct mnet_session *s;
	struct mnet_err err = { 0 };
	struct mnet_layer_time t[4];	/* pre + at most two layers */
	size_t n_out = mnet_model_output_size(m);
	float *out;

	mnet_session_opts_init(&o);
	o.backend = k;
	o.precision = p;
	if (mnet_session_create(m, &o, &s, &err)) {
		printf("\n%s: %s\n", mnet_model_name(m), err.msg);
		return NULL;
	}
	out = malloc(n_out * sizeof(float));
	if (!out || mnet_session_run(s, in, n_in)) {
		free(out);
		mnet_session_destroy(s);
		return NULL;
	}
	memcpy(out, mnet_session_output(s, NULL), n_out * sizeof(float));
	mnet_session_layer_times(s, t);
	snprintf(backend_used, len, "%s", t[mnet_model_layer_count(m) - 1].backend);
	mnet_session_destroy(s);
	return out;
}

static void check_cases(enum mnet_precision p, double tol)
{
	unsigned int i;
	int failed = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct kcase *c = &cases[i];
		struct mnet_model *m;
		float *in, *a, *b;
		char used_a[32], used_b[32];
		size_t n_in;
		double e;

		if (p == MNET_PRECISION_FP16_STORAGE && !c->half)
			continue;
		m = build_case(c, 100 * i);
		CU_ASSERT_FATAL(m != NULL);
		n_in = mnet_shape_elems(mnet_model_input_shape(m));
		in = rand_array(n_in, 100 * i + 3, -2.0f, 2.0f);
		CU_ASSERT_FATAL(in != NULL);
		a = run_on(m, MNET_BACKEND_OPENCL, p, in, n_in, used_a,
			   sizeof(used_a));
		b = run_on(m, MNET_BACKEND_REF, MNET_PRECISION_FP32, in, n_in,
			   used_b, sizeof(used_b));
		CU_ASSERT_FATAL(a && b);
		/* the kernel itself ran, not the host fallback */
		CU_ASSERT_STRING_EQUAL(used_a, "opencl");
		e = mnet_test_max_rel_err(a, b, mnet_model_output_size(m));
		printf("\n  %-36s max rel err %.3g", c->name, e);
		if (e > tol)
			failed++;
		free(a);
		free(b);
		free(in);
		mnet_model_free(m);
	}
	printf("\n");
	CU_ASSERT_EQUAL(failed, 0);
}

static void test_kernels_fp32(void)
{
	check_cases(MNET_PRECISION_FP32, TOL);
}

/*
 * Half storage rounds every stored input, weight and output to 11
 * significant bits (relative 2^-11 = 4.9e-4 each); 2e-3 of the largest
 * output (4x the worst measured on PoCL) leaves room for a few such
 * roundings adding up.
 */
static void test_kernels_fp16_storage(void)
{
	check_cases(MNET_PRECISION_FP16_STORAGE, 2e-3);
}

#ifdef MNET_HAVE_OPENCL
/*
 * The backend only uses each device's default configuration, so the other
 * legal values of the knobs a tuner will choose (vector width, pixel tile,
 * input load width, output x tile, work-group shape) are run here directly
 * on awkward layers: a pwconv with 49 pixels (not a multiple of any tile)
 * and 13 -> 19 channels (a tail for every vector width), depthwise layers
 * with 13 channels and widths that no x tile divides, both strides.
 */
struct knob_case {
	enum mnet_op op;
	int h, cin, cout, stride;
	struct mnet_cl_layer_cfg cfg;
};

static const struct knob_case knob_cases[] = {
	{ MNET_OP_PWCONV2D, 7, 13, 19, 1, { .vw = 4, .ppt = 1, .in_vec = 4, .oxt = 1, .wg = { 4, 8, 1 } } },
	{ MNET_OP_PWCONV2D, 7, 13, 19, 1, { .vw = 8, .ppt = 3, .in_vec = 1, .oxt = 1, .wg = { 2, 2, 1 } } },
	{ MNET_OP_PWCONV2D, 7, 13, 19, 1, { .vw = 16, .ppt = 8, .in_vec = 4, .oxt = 1, .wg = { 1, 16, 1 } } },
	{ MNET_OP_PWCONV2D, 7, 13, 19, 1, { .vw = 2, .ppt = 5, .in_vec = 1, .oxt = 1, .wg = { 8, 1, 1 } } },
	{ MNET_OP_PWCONV2D, 7, 13, 19, 1, { .vw = 16, .ppt = 2, .in_vec = 4, .oxt = 1, .wg = { 2, 4, 1 } } },
	{ MNET_OP_DWCONV2D, 14, 13, 13, 1, { .vw = 4, .ppt = 1, .in_vec = 4, .oxt = 3, .wg = { 4, 4, 2 } } },
	{ MNET_OP_DWCONV2D, 14, 13, 13, 1, { .vw = 16, .ppt = 1, .in_vec = 4, .oxt = 8, .wg = { 1, 2, 8 } } },
	{ MNET_OP_DWCONV2D, 7, 13, 13, 2, { .vw = 8, .ppt = 1, .in_vec = 4, .oxt = 2, .wg = { 2, 2, 2 } } },
	{ MNET_OP_DWCONV2D, 7, 13, 13, 2, { .vw = 2, .ppt = 1, .in_vec = 4, .oxt = 4, .wg = { 8, 1, 1 } } },
};

static int run_cfg(cl_context ctx, cl_command_queue q,
		      const struct mnet_cl_device *dev,
		      const struct mnet_layer *l,
		      const struct mnet_cl_layer_cfg *cfg, const float *in,
		      float *out)
{
	size_t n_in = mnet_shape_elems(l->in_shape);
	size_t n_out = mnet_shape_elems(l->out_shape), nw, nb;
	struct mnet_cl_layer_plan plan;
	struct mnet_err err = { 0 };
	cl_mem bi, bw, bb, bo;
	float *w, *b;
	cl_program p;
	cl_kernel k;
	cl_int rc;
	int ret;

	ret = mnet_cl_layer_plan(l, cfg, 0, 0, &plan);
	if (ret)
		return ret;
	ret = mnet_cl_program_build(ctx, dev, plan.file, plan.opts.s,
				    getenv("MNET_CL_CACHE_DIR"), 1, NULL, &p,
				    &err);
	if (ret) {
		printf("\n%s\n", err.msg);
		return ret;
	}
	k = clCreateKernel(p, plan.kernel, &rc);
	ret = mnet_cl_layer_pack(l, cfg, &w, &nw, &b, &nb);
	if (rc || ret)
		return -EIO;
	bi = clCreateBuffer(ctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
			    n_in * 4, (void *)in, &rc);
	bw = clCreateBuffer(ctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
			    nw * 4, w, &rc);
	bb = clCreateBuffer(ctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
			    nb * 4, b, &rc);
	bo = clCreateBuffer(ctx, CL_MEM_WRITE_ONLY, n_out * 4, NULL, &rc);
	clSetKernelArg(k, 0, sizeof(cl_mem), &bi);
	clSetKernelArg(k, 1, sizeof(cl_mem), &bw);
	clSetKernelArg(k, 2, sizeof(cl_mem), &bb);
	clSetKernelArg(k, 3, sizeof(cl_mem), &bo);
	rc = clEnqueueNDRangeKernel(q, k, plan.dims, NULL, plan.global,
				    plan.local, 0, NULL, NULL);
	if (!rc)
		rc = clEnqueueReadBuffer(q, bo, CL_TRUE, 0, n_out * 4, out, 0,
					 NULL, NULL);
	clReleaseMemObject(bi);
	clReleaseMemObject(bw);
	clReleaseMemObject(bb);
	clReleaseMemObject(bo);
	clReleaseKernel(k);
	clReleaseProgram(p);
	free(w);
	free(b);
	return rc ? -EIO : 0;
}

static void test_knob_values(void)
{
	struct mnet_cl_device dev;
	struct mnet_err err;
	cl_command_queue q;
	cl_context ctx;
	unsigned int i;
	cl_int rc;

	CU_ASSERT_FATAL(!mnet_cl_device_select(NULL, &dev, &err));
	ctx = clCreateContext(NULL, 1, &dev.id, NULL, NULL, &rc);
	CU_ASSERT_FATAL(rc == CL_SUCCESS);
	q = clCreateCommandQueue(ctx, dev.id, 0, &rc);
	CU_ASSERT_FATAL(rc == CL_SUCCESS);
	for (i = 0; i < sizeof(knob_cases) / sizeof(knob_cases[0]); i++) {
		const struct knob_case *kc = &knob_cases[i];
		const struct mnet_cl_layer_cfg *c = &kc->cfg;
		struct mnet_shape is = { kc->h, kc->h, kc->cin };
		struct mnet_shape os = { kc->h, kc->h, kc->cout };
		struct mnet_layer l = { .op = kc->op, .in = 0, .in2 = -1,
			.out = 1, .in_shape = is, .act = MNET_ACT_RELU6,
			.stride_h = kc->stride, .stride_w = kc->stride };
		float *in, *ref, *out;
		size_t n_out;
		double e;

		if (kc->op == MNET_OP_DWCONV2D) {
			l.kh = l.kw = 3;
			l.pad_top = mnet_same_pad(is.h, 3, kc->stride, &os.h);
			l.pad_left = mnet_same_pad(is.w, 3, kc->stride, &os.w);
			l.n_weights = (size_t)9 * is.c;
		} else {
			l.n_weights = (size_t)is.c * os.c;
		}
		l.out_shape = os;
		n_out = mnet_shape_elems(os);
		l.weights = rand_array(l.n_weights, 7 + i, -0.5f, 0.5f);
		l.bias = rand_array(os.c, 8 + i, -0.5f, 0.5f);
		in = rand_array(mnet_shape_elems(is), 9 + i, -2.0f, 2.0f);
		ref = malloc(n_out * sizeof(float));
		out = malloc(n_out * sizeof(float));
		CU_ASSERT_FATAL(l.weights && l.bias && in && ref && out);
		mnet_ref_layer_run(&l, in, NULL, ref);
		/* NaN everywhere first: a missed output cannot pass */
		memset(out, 0xff, n_out * sizeof(float));
		CU_ASSERT_EQUAL_FATAL(run_cfg(ctx, q, &dev, &l, c, in, out), 0);
		e = mnet_test_max_rel_err(out, ref, n_out);
		printf("\n  %s %dx%dx%d/%d vw %2d ppt %d in_vec %d oxt %d wg %zux%zux%zu: max rel err %.3g",
		       mnet_op_name(kc->op), is.h, is.w, is.c, kc->stride,
		       c->vw, c->ppt, c->in_vec, c->oxt, c->wg[0], c->wg[1],
		       c->wg[2], e);
		CU_ASSERT(e <= TOL);
		free(l.weights);
		free(l.bias);
		free(in);
		free(ref);
		free(out);
	}
	printf("\n");
	clReleaseCommandQueue(q);
	clReleaseContext(ctx);
}
#endif

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "every kernel vs the reference (fp32, 1e-4)", test_kernels_fp32 },
		{ "kernels with fp16 storage (2e-3)", test_kernels_fp16_storage },
#ifdef MNET_HAVE_OPENCL
		{ "pwconv and dwconv over the tuner's knob values", test_knob_values },
#endif
		CU_TEST_INFO_NULL,
	};
	int ret;

	cl_test_require_device("opencl_kernels", cache_dir, sizeof(cache_dir));
	ret = mnet_test_run_suite("opencl_kernels", tests);
	cl_test_remove_dir(cache_dir);
	return ret;
}

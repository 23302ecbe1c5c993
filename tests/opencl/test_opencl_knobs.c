// SPDX-License-Identifier: Apache-2.0
/*
 * test_opencl_knobs.c - kernels over the legal values of their tuning knobs
 *
 * The backend only uses each device's default configuration
 * (mnet_cl_layer_cfg_default()), so the other values a tuner may choose
 * are run here directly through the layer plan, the weight packing and
 * the program build, against the reference kernels (1e-4, fp32).  Without
 * an OpenCL device the suite exits 77 (skipped).
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
#include "opencl/cl_layer.h"
#include "cl/cl_program.h"

static char cache_dir[256];

static float *rand_array(size_t n, unsigned int seed, float lo, float hi)
{
	float *p = malloc(n * sizeof(float));

	if (p)
		mnet_test_fill_random(p, n, seed, lo, hi);
	return p;
}

/*
 * The backend only uses each device's default configuration, so the other
 * legal values of the knobs a tuner will choose (vector width, pixel tile,
 * input load width, output x and y tile, local-memory slice, work-group
 * shape) are run here directly
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
	{ MNET_OP_PWCONV2D, 7, 13, 19, 1, { .vw = 4, .ppt = 1, .in_vec = 4, .oxt = 1, .oyt = 1, .wg = { 4, 8, 1 } } },
	{ MNET_OP_PWCONV2D, 7, 13, 19, 1, { .vw = 8, .ppt = 3, .in_vec = 1, .oxt = 1, .oyt = 1, .wg = { 2, 2, 1 } } },
	{ MNET_OP_PWCONV2D, 7, 13, 19, 1, { .vw = 16, .ppt = 8, .in_vec = 4, .oxt = 1, .oyt = 1, .wg = { 1, 16, 1 } } },
	{ MNET_OP_PWCONV2D, 7, 13, 19, 1, { .vw = 2, .ppt = 5, .in_vec = 1, .oxt = 1, .oyt = 1, .wg = { 8, 1, 1 } } },
	{ MNET_OP_PWCONV2D, 7, 13, 19, 1, { .vw = 16, .ppt = 2, .in_vec = 4, .oxt = 1, .oyt = 1, .wg = { 2, 4, 1 } } },
	{ MNET_OP_DWCONV2D, 14, 13, 13, 1, { .vw = 4, .ppt = 1, .in_vec = 4, .oxt = 3, .oyt = 1, .wg = { 4, 4, 2 } } },
	{ MNET_OP_DWCONV2D, 14, 13, 13, 1, { .vw = 16, .ppt = 1, .in_vec = 4, .oxt = 8, .oyt = 1, .wg = { 1, 2, 8 } } },
	{ MNET_OP_DWCONV2D, 7, 13, 13, 2, { .vw = 8, .ppt = 1, .in_vec = 4, .oxt = 2, .oyt = 1, .wg = { 2, 2, 2 } } },
	{ MNET_OP_DWCONV2D, 7, 13, 13, 2, { .vw = 2, .ppt = 1, .in_vec = 4, .oxt = 4, .oyt = 1, .wg = { 8, 1, 1 } } },
	{ MNET_OP_DWCONV2D, 14, 13, 13, 1, { .vw = 4, .ppt = 1, .in_vec = 4, .oxt = 4, .oyt = 8, .wg = { 4, 2, 1 } } },
	{ MNET_OP_DWCONV2D, 14, 13, 13, 1, { .vw = 16, .ppt = 1, .in_vec = 4, .oxt = 1, .oyt = 5, .wg = { 1, 4, 2 } } },
	{ MNET_OP_DWCONV2D, 7, 13, 13, 2, { .vw = 8, .ppt = 1, .in_vec = 4, .oxt = 3, .oyt = 64, .wg = { 2, 2, 1 } } },
	{ MNET_OP_PWCONV2D, 7, 13, 19, 1, { .vw = 4, .ppt = 4, .in_vec = 4, .oxt = 1, .oyt = 1, .ks = 16, .wg = { 4, 4, 1 } } },
	{ MNET_OP_PWCONV2D, 7, 13, 19, 1, { .vw = 8, .ppt = 3, .in_vec = 1, .oxt = 1, .oyt = 1, .ks = 4, .wg = { 1, 8, 1 } } },
	{ MNET_OP_PWCONV2D, 7, 13, 19, 1, { .vw = 16, .ppt = 8, .in_vec = 1, .oxt = 1, .oyt = 1, .ks = 64, .wg = { 2, 2, 1 } } },
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

	ret = mnet_cl_layer_plan(l, cfg, mnet_cl_precision_get(MNET_PRECISION_FP32),
				 &plan);
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
		printf("\n  %s %dx%dx%d/%d vw %2d ppt %d in_vec %d oxt %d oyt %d ks %d wg %zux%zux%zu: max rel err %.3g",
		       mnet_op_name(kc->op), is.h, is.w, is.c, kc->stride,
		       c->vw, c->ppt, c->in_vec, c->oxt, c->oyt, c->ks,
		       c->wg[0], c->wg[1], c->wg[2], e);
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

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "pwconv and dwconv over the tuner's knob values", test_knob_values },
		CU_TEST_INFO_NULL,
	};
	int ret;

	cl_test_require_device("opencl_knobs", cache_dir, sizeof(cache_dir));
	ret = mnet_test_run_suite("opencl_knobs", tests);
	cl_test_remove_dir(cache_dir);
	return ret;
}
#else
int main(void)
{
	printf("opencl_knobs: skipped: built without OpenCL\n");
	return 77;
}
#endif

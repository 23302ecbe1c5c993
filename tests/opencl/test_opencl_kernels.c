// SPDX-License-Identifier: Apache-2.0
/*
 * test_opencl_kernels.c - each OpenCL kernel against the reference kernel
 *
 * Every case is a one-layer model built by hand (mnet_model_alloc +
 * mnet_model_validate) with random weights and input, run on the OpenCL
 * backend and on the reference backend; the outputs must agree within
 * 1e-4 of the largest reference value in fp32, and within 2e-3 with fp16
 * storage (the cases marked .half: every kernel's vload_half path).  Shapes are chosen to hit
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

#include "lib/test_util.h"
#include "lib/opencl_test.h"

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
	struct mnet_layer_time *t;
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
	t = calloc(mnet_model_layer_count(m), sizeof(*t));
	if (t && !mnet_session_layer_times(s, t))
		snprintf(backend_used, len, "%s",
			 t[mnet_model_layer_count(m) - 1].backend);
	free(t);
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

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "every kernel vs the reference (fp32, 1e-4)", test_kernels_fp32 },
		{ "kernels with fp16 storage (2e-3)", test_kernels_fp16_storage },
		CU_TEST_INFO_NULL,
	};
	int ret;

	cl_test_require_device("opencl_kernels", cache_dir, sizeof(cache_dir));
	ret = mnet_test_run_suite("opencl_kernels", tests);
	cl_test_remove_dir(cache_dir);
	return ret;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * test_ref.c - the reference kernels against tiny hand-computed goldens
 *
 * Every faster path is checked against the reference layers
 * (runtime/reference/ref_layer.c over the host/ref/ kernels), so those are
 * checked against values worked out by hand (each case says how).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/test_util.h"
#include "model/model.h"
#include "reference/ref_layer.h"

/* ---- SAME padding arithmetic ------------------------------------------ */

static const struct pad_case {
	const char *name;
	int in, k, stride, out, pad;
} pad_cases[] = {
	/* out = ceil(in/s), total = max((out-1)*s + k - in, 0), top = total/2 */
	{ "odd in, stride 1", 7, 3, 1, 7, 1 },
	{ "even in, stride 1", 8, 3, 1, 8, 1 },
	{ "odd in, stride 2", 7, 3, 2, 4, 1 },	/* total 2 */
	{ "even in, stride 2", 8, 3, 2, 4, 0 },	/* total 1: all after */
	{ "224 stride 2", 224, 3, 2, 112, 0 },
	{ "1x1 kernel", 14, 1, 1, 14, 0 },
	{ "in 1 k 3", 1, 3, 1, 1, 1 },
	{ "in 1 k 3 stride 2", 1, 3, 2, 1, 1 },
};

static void test_same_pad(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(pad_cases) / sizeof(pad_cases[0]); i++) {
		const struct pad_case *c = &pad_cases[i];
		int out, pad;

		pad = mnet_same_pad(c->in, c->k, c->stride, &out);
		CU_ASSERT_EQUAL_FATAL(out, c->out);
		CU_ASSERT_EQUAL_FATAL(pad, c->pad);
	}
}

/* ---- layers built by hand ------------------------------------------------ */

static struct mnet_layer make_layer(enum mnet_op op, struct mnet_shape in,
				    struct mnet_shape out, int k, int stride,
				    int pad, float *w, size_t nw, float *b,
				    enum mnet_act act)
{
	struct mnet_layer l;

	memset(&l, 0, sizeof(l));
	l.op = op;
	l.in_shape = in;
	l.out_shape = out;
	l.kh = l.kw = k;
	l.stride_h = l.stride_w = stride;
	l.pad_top = l.pad_left = pad;
	l.weights = w;
	l.n_weights = nw;
	l.bias = b;
	l.act = act;
	l.beta = 1.0f;
	l.in2 = -1;
	return l;
}

static void assert_close(const float *got, const float *want, int n)
{
	int i;

	for (i = 0; i < n; i++)
		CU_ASSERT_DOUBLE_EQUAL(got[i], want[i], 1e-5);
}

/* 4x4 input 1..16, 3x3 ones kernel, stride 2, SAME (pad 0 top, 1 bottom) */
static void test_conv_stride2_same(void)
{
	float in[16], w[9], out[4];
	/* window sums: rows 0-2/cols 0-2, rows 0-2/cols 2-3, ... */
	const float want[4] = { 54, 45, 72, 54 };
	struct mnet_layer l;
	int i;

	for (i = 0; i < 16; i++)
		in[i] = (float)(i + 1);
	for (i = 0; i < 9; i++)
		w[i] = 1.0f;
	l = make_layer(MNET_OP_CONV2D, (struct mnet_shape){ 4, 4, 1 },
		       (struct mnet_shape){ 2, 2, 1 }, 3, 2, 0, w, 9, NULL,
		       MNET_ACT_NONE);
	mnet_ref_conv2d(&l, in, out);
	assert_close(out, want, 4);
}

/* 3x3 input 1..9, 3x3 ones, stride 1, SAME pad 1: neighbourhood sums */
static void test_conv_stride1_same(void)
{
	float in[9], w[9], out[9];
	const float want[9] = { 12, 21, 16, 27, 45, 33, 24, 39, 28 };
	struct mnet_layer l;
	int i;

	for (i = 0; i < 9; i++) {
		in[i] = (float)(i + 1);
		w[i] = 1.0f;
	}
	l = make_layer(MNET_OP_CONV2D, (struct mnet_shape){ 3, 3, 1 },
		       (struct mnet_shape){ 3, 3, 1 }, 3, 1, 1, w, 9, NULL,
		       MNET_ACT_NONE);
	mnet_ref_conv2d(&l, in, out);
	assert_close(out, want, 9);
}

/* Two input channels, two output channels: OHWI weight order matters. */
static void test_conv_channels(void)
{
	/* 1x1 spatial input (c0=1, c1=2); k=1 conv: out = W x + b */
	float in[2] = { 1, 2 };
	float w[4] = { 3, 4,		/* out 0: 3*1 + 4*2 = 11 */
		       -1, 0.5f };	/* out 1: -1 + 1 = 0 */
	float b[2] = { 0.5f, -2 };
	float out[2];
	const float want[2] = { 11.5f, -2 };
	struct mnet_layer l;

	l = make_layer(MNET_OP_CONV2D, (struct mnet_shape){ 1, 1, 2 },
		       (struct mnet_shape){ 1, 1, 2 }, 1, 1, 0, w, 4, b,
		       MNET_ACT_NONE);
	mnet_ref_conv2d(&l, in, out);
	assert_close(out, want, 2);
	/* the same as a pointwise layer ([cout][cin]) */
	l.op = MNET_OP_PWCONV2D;
	mnet_ref_pwconv2d(&l, in, out);
	assert_close(out, want, 2);
}

static const struct act_case {
	const char *name;
	enum mnet_act act;
	float in, want;
} act_cases[] = {
	{ "relu6 below", MNET_ACT_RELU6, -3.0f, 0.0f },
	{ "relu6 inside", MNET_ACT_RELU6, 2.5f, 2.5f },
	{ "relu6 above", MNET_ACT_RELU6, 9.0f, 6.0f },
	{ "relu6 at 6", MNET_ACT_RELU6, 6.0f, 6.0f },
	{ "relu below", MNET_ACT_RELU, -1.0f, 0.0f },
	{ "relu above", MNET_ACT_RELU, 9.0f, 9.0f },
	{ "none", MNET_ACT_NONE, -7.0f, -7.0f },
};

/* The clamp fused into a pointwise conv: out = in * 1 + bias, activated. */
static void test_fused_activation(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(act_cases) / sizeof(act_cases[0]); i++) {
		const struct act_case *c = &act_cases[i];
		float in = 0.0f, w = 1.0f, b = c->in, out = 123.0f;
		struct mnet_layer l;

		l = make_layer(MNET_OP_PWCONV2D, (struct mnet_shape){ 1, 1, 1 },
			       (struct mnet_shape){ 1, 1, 1 }, 1, 1, 0, &w, 1,
			       &b, c->act);
		mnet_ref_pwconv2d(&l, &in, &out);
		CU_ASSERT_DOUBLE_EQUAL(out, c->want, 1e-6);
	}
}

/* Depthwise: channel c only sees channel c of the input and its weights. */
static void test_dwconv(void)
{
	/* 2x2 input, 2 channels: ch0 = 1,2,3,4  ch1 = 10,20,30,40 (NHWC) */
	float in[8] = { 1, 10, 2, 20, 3, 30, 4, 40 };
	float w[18], out[2];
	/* 3x3 stride 2 SAME on 2x2: out 1x1, total pad 1 -> top 0; window
	 * covers the whole input. weights: ch0 all 1, ch1 centre tap only 2 */
	const float want[2] = { 1 + 2 + 3 + 4, 2 * 10 };
	struct mnet_layer l;
	int i;

	for (i = 0; i < 9; i++) {
		w[i * 2 + 0] = 1.0f;
		w[i * 2 + 1] = 0.0f;
	}
	w[0 * 2 + 1] = 2.0f; /* tap (0,0) of ch1 hits input (0,0) */
	l = make_layer(MNET_OP_DWCONV2D, (struct mnet_shape){ 2, 2, 2 },
		       (struct mnet_shape){ 1, 1, 2 }, 3, 2, 0, w, 18, NULL,
		       MNET_ACT_NONE);
	mnet_ref_dwconv2d(&l, in, out);
	assert_close(out, want, 2);
}

/* Average pool counts only the pixels inside the input (TFLite SAME). */
static void test_avgpool(void)
{
	float in[4] = { 1, 2, 3, 4 }, out[4], g;
	/* 2x2, k=3 s=1 SAME pad 1: every window covers all 4 pixels -> 2.5 */
	const float want[4] = { 2.5f, 2.5f, 2.5f, 2.5f };
	struct mnet_layer l;

	l = make_layer(MNET_OP_AVGPOOL, (struct mnet_shape){ 2, 2, 1 },
		       (struct mnet_shape){ 2, 2, 1 }, 3, 1, 1, NULL, 0, NULL,
		       MNET_ACT_NONE);
	mnet_ref_avgpool(&l, in, out);
	assert_close(out, want, 4);
	/* global pool */
	l = make_layer(MNET_OP_AVGPOOL, (struct mnet_shape){ 2, 2, 1 },
		       (struct mnet_shape){ 1, 1, 1 }, 2, 1, 0, NULL, 0, NULL,
		       MNET_ACT_NONE);
	mnet_ref_avgpool(&l, in, &g);
	CU_ASSERT_DOUBLE_EQUAL(g, 2.5, 1e-6);
}

static void test_fc_softmax_add(void)
{
	float in[3] = { 1, 2, 3 };
	float w[6] = { 1, 1, 1, 0, 0, -1 };
	float b[2] = { 0, 1 };
	float fc[2], sm[2], sum[3];
	struct mnet_layer l;
	double e;

	l = make_layer(MNET_OP_FC, (struct mnet_shape){ 1, 1, 3 },
		       (struct mnet_shape){ 1, 1, 2 }, 0, 0, 0, w, 6, b,
		       MNET_ACT_NONE);
	mnet_ref_fc(&l, in, fc);
	CU_ASSERT_DOUBLE_EQUAL(fc[0], 6.0, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(fc[1], -2.0, 1e-6);

	/* softmax(6, -2) = (1/(1+e^-8), e^-8/(1+e^-8)) */
	l = make_layer(MNET_OP_SOFTMAX, (struct mnet_shape){ 1, 1, 2 },
		       (struct mnet_shape){ 1, 1, 2 }, 0, 0, 0, NULL, 0, NULL,
		       MNET_ACT_NONE);
	mnet_ref_softmax(&l, fc, sm);
	e = exp(-8.0);
	CU_ASSERT_DOUBLE_EQUAL(sm[0], 1.0 / (1.0 + e), 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(sm[1], e / (1.0 + e), 1e-7);

	l = make_layer(MNET_OP_ADD, (struct mnet_shape){ 1, 1, 3 },
		       (struct mnet_shape){ 1, 1, 3 }, 0, 0, 0, NULL, 0, NULL,
		       MNET_ACT_RELU6);
	mnet_ref_add(&l, in, (float[]){ -5, 1, 4 }, sum);
	CU_ASSERT_DOUBLE_EQUAL(sum[0], 0.0, 1e-6);	/* -4 clamped */
	CU_ASSERT_DOUBLE_EQUAL(sum[1], 3.0, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(sum[2], 6.0, 1e-6);	/* 7 clamped */
}

/* ---- the validator refuses inconsistent models -------------------------- */

static struct mnet_model *one_layer_model(void)
{
	struct mnet_model *m = mnet_model_alloc(1, 2);
	struct mnet_layer *l;

	strcpy(m->name, "hand");
	m->tensors[0].shape = (struct mnet_shape){ 4, 4, 3 };
	m->tensors[1].shape = (struct mnet_shape){ 2, 2, 3 };
	m->input = 0;
	m->output = 1;
	l = &m->layers[0];
	*l = make_layer(MNET_OP_DWCONV2D, m->tensors[0].shape,
			m->tensors[1].shape, 3, 2, 0, NULL, 27, NULL,
			MNET_ACT_RELU6);
	l->in = 0;
	l->out = 1;
	l->weights = calloc(27, sizeof(float));
	return m;
}

static void test_validate(void)
{
	struct mnet_err err = { 0 };
	struct mnet_model *m = one_layer_model();

	CU_ASSERT_EQUAL(mnet_model_validate(m, &err), 0);

	m->layers[0].n_weights = 26;		/* wrong weight count */
	CU_ASSERT_EQUAL(mnet_model_validate(m, &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "weight count"));
	m->layers[0].n_weights = 27;

	m->tensors[1].shape.h = 3;		/* a window past the input */
	m->layers[0].out_shape.h = 3;
	CU_ASSERT_EQUAL(mnet_model_validate(m, &err), -EINVAL);
	m->layers[0].out_shape.h = 2;		/* layer and tensor disagree */
	CU_ASSERT_EQUAL(mnet_model_validate(m, &err), -EINVAL);
	m->tensors[1].shape.h = 2;
	m->layers[0].out_shape.h = 2;

	m->layers[0].out = 7;			/* index out of range */
	CU_ASSERT_EQUAL(mnet_model_validate(m, &err), -EINVAL);
	m->layers[0].out = 1;

	m->tensors[1].shape.c = 2000000000;	/* absurd shape */
	m->layers[0].out_shape.c = 2000000000;
	CU_ASSERT_EQUAL(mnet_model_validate(m, &err), -EINVAL);
	m->tensors[0].shape.c = 1;		/* not an RGB input */
	CU_ASSERT_EQUAL(mnet_model_validate(m, &err), -EOPNOTSUPP);
	mnet_model_free(m);
}

/* ---- the reference backend through the public API ----------------------- */

static void test_session_topk(void)
{
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_model *m = NULL;
	struct mnet_class top[5];
	float *in;
	size_t n, i;
	const float *p;
	double sum = 0;

	CU_ASSERT_EQUAL_FATAL(mnet_model_create_synthetic(0.25f, 32, &m, NULL),
			      0);
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_REF;
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(m, &o, &s, NULL), 0);
	CU_ASSERT_STRING_EQUAL(mnet_session_backend_name(s), "ref");
	n = 32 * 32 * 3;
	in = malloc(n * sizeof(*in));
	mnet_test_fill_random(in, n, 1, -1, 1);
	CU_ASSERT_EQUAL(mnet_session_run(s, in, n - 1), -EINVAL);
	CU_ASSERT_EQUAL(mnet_session_topk(s, 5, top), 5);
	CU_ASSERT_EQUAL(mnet_session_run(s, in, n), 0);
	p = mnet_session_output(s, &n);
	CU_ASSERT_EQUAL(n, 1001);
	for (i = 0; i < n; i++)
		sum += p[i];
	CU_ASSERT_DOUBLE_EQUAL(sum, 1.0, 1e-4);
	CU_ASSERT_EQUAL(mnet_session_topk(s, 5, top), 5);
	for (i = 1; i < 5; i++)
		CU_ASSERT(top[i - 1].score >= top[i].score);
	for (i = 0; i < n; i++)
		CU_ASSERT(p[i] <= top[0].score);
	CU_ASSERT_EQUAL(p[top[0].index], top[0].score);
	free(in);
	mnet_session_destroy(s);
	mnet_model_free(m);
}

static const CU_TestInfo tests[] = {
	{ "SAME padding arithmetic", test_same_pad },
	{ "conv 3x3 stride 2 SAME", test_conv_stride2_same },
	{ "conv 3x3 stride 1 SAME", test_conv_stride1_same },
	{ "conv/pointwise channel order and bias", test_conv_channels },
	{ "fused activations", test_fused_activation },
	{ "depthwise", test_dwconv },
	{ "average pool", test_avgpool },
	{ "fc, softmax, add", test_fc_softmax_add },
	{ "validator", test_validate },
	{ "ref session and top-k", test_session_topk },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return mnet_test_run_suite("reference kernels", tests);
}

// SPDX-License-Identifier: Apache-2.0
/*
 * test_tflite.c - the TFLite loader on the shared models and on built files
 *
 * The shared models are checked against numbers derived independently of
 * the loader: layer counts and parameter/MAC totals computed here from the
 * published architectures (Howard et al. 2017 table 1 with TF-slim's depth
 * rule; Sandler et al. 2018 table 2), input shapes from the file names, and
 * the input range [-1, 1] that both model families were trained on.  The
 * 0.25/128 model must classify the shared cat photo as a cat on the
 * reference backend.  A tiny model built in memory (tfl_builder.h) pins
 * down float32 and float16 weights, per-channel int8 and per-tensor uint8
 * dequantization, int32 biases and the SAME/VALID padding arithmetic, and
 * variants of it check that unsupported features fail with clear errors.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "lib/test_util.h"
#include "lib/tfl_builder.h"

/* ---- architecture arithmetic (independent of the loader) ----------------- */

static int depth(int d, float alpha)
{
	int c = (int)(d * alpha);

	return c < 8 ? 8 : c;
}

/* MobileNet V1: params and MACs; classes 0 = no classifier. */
static void v1_totals(float alpha, int res, int classes, uint64_t *params,
		      uint64_t *macs)
{
	static const int ch[13] = { 64, 128, 128, 256, 256, 512, 512, 512,
				    512, 512, 512, 1024, 1024 };
	static const int st[13] = { 1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1 };
	int c = depth(32, alpha), h = (res + 1) / 2, i;
	uint64_t p = 27 * c + c, m = 27ull * c * h * h;

	for (i = 0; i < 13; i++) {
		int co = depth(ch[i], alpha);

		h = (h + st[i] - 1) / st[i];
		p += 9 * c + c + (uint64_t)c * co + co;
		m += 9ull * c * h * h + (uint64_t)c * co * h * h;
		c = co;
	}
	if (classes) {
		p += (uint64_t)c * classes + classes;
		m += (uint64_t)c * classes;
	}
	*params = p;
	*macs = m;
}

/* MobileNet V2 1.0 with the 1001-class head. */
static void v2_totals(int res, uint64_t *params, uint64_t *macs)
{
	static const int tab[7][4] = { { 1, 16, 1, 1 }, { 6, 24, 2, 2 },
				       { 6, 32, 3, 2 }, { 6, 64, 4, 2 },
				       { 6, 96, 3, 1 }, { 6, 160, 3, 2 },
				       { 6, 320, 1, 1 } };
	int c = 32, h = res / 2, b, i;
	uint64_t p = 27 * 32 + 32, m = 27ull * 32 * h * h;

	for (b = 0; b < 7; b++) {
		for (i = 0; i < tab[b][2]; i++) {
			int s = i ? 1 : tab[b][3], hid = c * tab[b][0];

			if (tab[b][0] != 1) {
				p += (uint64_t)c * hid + hid;
				m += (uint64_t)c * hid * h * h;
			}
			h = (h + s - 1) / s;
			p += 9 * hid + hid + (uint64_t)hid * tab[b][1] + tab[b][1];
			m += 9ull * hid * h * h +
			     (uint64_t)hid * tab[b][1] * h * h;
			c = tab[b][1];
		}
	}
	p += (uint64_t)c * 1280 + 1280 + 1280ull * 1001 + 1001;
	m += (uint64_t)c * 1280 * h * h + 1280ull * 1001;
	*params = p;
	*macs = m;
}

struct shared_model {
	const char *file;
	int v2;
	float alpha;
	int res;
	int classes;		/* 0: embedding extractor */
	int layers;
};

/*
 * Layer counts: V1 = conv + 13 x (dw + pw) + pool [+ classifier conv +
 * reshape + softmax]; V2 = 36 convs + 17 dw + 10 residual adds + pool +
 * classifier reshape + softmax (QUANTIZE edges are aliases, not layers).
 */
static const struct shared_model models[] = {
	{ "mobilenet_v1_0.25_128_quant.tflite", 0, 0.25f, 128, 1001, 31 },
	{ "mobilenet_v1_0.5_160_quant.tflite", 0, 0.5f, 160, 1001, 31 },
	{ "mobilenet_v1_0.75_192_quant.tflite", 0, 0.75f, 192, 1001, 31 },
	{ "mobilenet_v1_1.0_224_quant_embedding_extractor.tflite", 0, 1.0f,
	  224, 0, 28 },
	{ "mobilenet_v2_1.0_224_quant.tflite", 1, 1.0f, 224, 1001, 66 },
	{ "tf2_mobilenet_v2_1.0_224_ptq.tflite", 1, 1.0f, 224, 1001, 66 },
};

static struct mnet_model *load_shared(const char *file)
{
	char rel[256];
	struct mnet_err err = { 0 };
	struct mnet_model *m = NULL;
	int ret;

	snprintf(rel, sizeof(rel), "models/%s", file);
	ret = mnet_model_load_file(mnet_test_shared_path(rel), &m, &err);
	if (ret)
		fprintf(stderr, "\n  %s: %d %s\n", file, ret, err.msg);
	CU_ASSERT_EQUAL(ret, 0);
	CU_ASSERT_EQUAL(err.code, 0);
	return m;
}

static void test_shared_models(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		const struct shared_model *s = &models[i];
		struct mnet_model *m = load_shared(s->file);
		const struct mnet_input_quant *q;
		struct mnet_shape in;
		uint64_t params, macs, want_p, want_m;

		if (!m)
			continue;
		if (s->v2)
			v2_totals(s->res, &want_p, &want_m);
		else
			v1_totals(s->alpha, s->res, s->classes, &want_p,
				  &want_m);
		mnet_model_totals(m, &params, &macs);
		printf("\n  %s: %d layers, %.3fM params, %.1fM MACs",
		       s->file, mnet_model_layer_count(m), params / 1e6,
		       macs / 1e6);
		CU_ASSERT_STRING_EQUAL(mnet_model_name(m), s->file);
		CU_ASSERT_EQUAL(mnet_model_layer_count(m), s->layers);
		in = mnet_model_input_shape(m);
		CU_ASSERT_EQUAL(in.h, s->res);
		CU_ASSERT_EQUAL(in.w, s->res);
		CU_ASSERT_EQUAL(in.c, 3);
		CU_ASSERT_EQUAL(mnet_model_output_size(m),
				s->classes ? (size_t)s->classes : 1024);
		CU_ASSERT_EQUAL(mnet_model_output_kind(m),
				s->classes ? MNET_OUTPUT_PROBABILITIES :
					     MNET_OUTPUT_EMBEDDING);
		CU_ASSERT_EQUAL(params, want_p);
		CU_ASSERT_EQUAL(macs, want_m);
		/* uint8 pixels, mapped onto the [-1, 1] the nets trained on */
		q = &m->input_quant;
		CU_ASSERT_EQUAL(q->quantized, 1);
		CU_ASSERT_EQUAL(q->is_signed, 0);
		CU_ASSERT(q->zero_point == 127 || q->zero_point == 128);
		CU_ASSERT(fabsf(q->scale * (0 - q->zero_point) + 1.0f) < 0.01f);
		CU_ASSERT(fabsf(q->scale * (255 - q->zero_point) - 1.0f) <
			  0.01f);
		mnet_model_free(m);
	}
	/* the brief's sanity figures: about 0.47M and 3.2M parameters */
	{
		uint64_t p, mc;

		v1_totals(0.25f, 128, 1001, &p, &mc);
		CU_ASSERT(p > 460000 && p < 480000);
		v1_totals(1.0f, 224, 0, &p, &mc);
		CU_ASSERT(p > 3150000 && p < 3250000);
	}
}

/* Layer kinds and window geometry of the real V1 graph. */
static void test_v1_layers(void)
{
	struct mnet_model *m = load_shared(models[0].file);
	int i;

	if (!m)
		return;
	CU_ASSERT_EQUAL(m->layers[0].op, MNET_OP_CONV2D);
	CU_ASSERT_EQUAL(m->layers[0].kh, 3);
	CU_ASSERT_EQUAL(m->layers[0].stride_h, 2);
	/* SAME, 128 -> 64 with k3 s2: total padding 1, none on top */
	CU_ASSERT_EQUAL(m->layers[0].pad_top, 0);
	CU_ASSERT_EQUAL(m->layers[0].act, MNET_ACT_RELU6);
	for (i = 1; i < 27; i += 2) {
		CU_ASSERT_EQUAL(m->layers[i].op, MNET_OP_DWCONV2D);
		CU_ASSERT_EQUAL(m->layers[i + 1].op, MNET_OP_PWCONV2D);
		CU_ASSERT_EQUAL(m->layers[i].pad_top,
				m->layers[i].stride_h == 1 ? 1 : 0);
	}
	CU_ASSERT_EQUAL(m->layers[27].op, MNET_OP_AVGPOOL);
	CU_ASSERT_EQUAL(m->layers[27].kh, 4);
	CU_ASSERT_EQUAL(m->layers[28].op, MNET_OP_PWCONV2D);
	CU_ASSERT_PTR_NOT_NULL(m->layers[28].bias);
	CU_ASSERT_EQUAL(m->layers[29].op, MNET_OP_RESHAPE);
	CU_ASSERT_EQUAL(m->layers[30].op, MNET_OP_SOFTMAX);
	CU_ASSERT_DOUBLE_EQUAL(m->layers[30].beta, 1.0, 1e-6);
	CU_ASSERT_STRING_EQUAL(m->layers[0].name,
			       "MobilenetV1/MobilenetV1/Conv2d_0/Relu6");
	mnet_model_free(m);
}

/* The TF2 V2 graph: QUANTIZE edges aliased, MEAN as a global pool. */
static void test_v2_graph(void)
{
	struct mnet_model *m = load_shared(models[5].file);
	int i, adds = 0;

	if (!m)
		return;
	for (i = 0; i < m->n_layers; i++)
		adds += m->layers[i].op == MNET_OP_ADD;
	CU_ASSERT_EQUAL(adds, 10);
	CU_ASSERT_EQUAL(m->layers[0].op, MNET_OP_CONV2D);
	CU_ASSERT_EQUAL(m->layers[0].in, m->input);
	CU_ASSERT_EQUAL(m->layers[62].op, MNET_OP_AVGPOOL);
	CU_ASSERT_EQUAL(m->layers[62].kh, 7);
	CU_ASSERT_EQUAL(m->layers[62].out_shape.c, 1280);
	CU_ASSERT_EQUAL(m->layers[m->n_layers - 1].op, MNET_OP_SOFTMAX);
	CU_ASSERT_EQUAL(m->layers[m->n_layers - 1].out, m->output);
	mnet_model_free(m);
}

static void classify_cat(const char *file)
{
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_image *img = NULL;
	struct mnet_err err = { 0 };
	struct mnet_model *m = load_shared(file);
	struct mnet_class top[5];
	const float *out;
	size_t n, i;
	double sum = 0;

	if (!m)
		return;
	CU_ASSERT_EQUAL_FATAL(mnet_image_load(mnet_test_shared_path("images/cat.bmp"),
					      &img, &err), 0);
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_REF;
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(m, &o, &s, &err), 0);
	CU_ASSERT_EQUAL(mnet_session_run_image(s, img, 0.875f), 0);
	CU_ASSERT_EQUAL(mnet_session_topk(s, 5, top), 5);
	printf("\n  %s on cat.bmp: top-5", file);
	for (i = 0; i < 5; i++)
		printf(" %d:%.3f", top[i].index, top[i].score);
	/* tabby 282, tiger cat 283, Persian 284, Siamese 285, Egyptian 286 */
	CU_ASSERT(top[0].index >= 282 && top[0].index <= 286);
	out = mnet_session_output(s, &n);
	CU_ASSERT_EQUAL(n, 1001);
	for (i = 0; i < n; i++)
		sum += out[i];
	CU_ASSERT_DOUBLE_EQUAL(sum, 1.0, 1e-3);
	mnet_session_destroy(s);
	mnet_image_free(img);
	mnet_model_free(m);
}

static void test_cat_v1_025(void)
{
	classify_cat(models[0].file);
}

static void test_cat_v2_tf2(void)
{
	classify_cat(models[5].file);
}

/* ---- the tiny built model ---------------------------------------------- */

enum { TT_IN, TT_W0, TT_B0, TT_O0, TT_W1, TT_B1, TT_O1, TT_W2, TT_O2, TT_W3,
       TT_B3, TT_O3, TT_O4, TT_W5, TT_B5, TT_O5, TT_O6, TT_COUNT };

static float w0[4 * 3 * 3 * 3], b0[4] = { 0.5f, -0.25f, 0.0f, 1.0f };
static uint16_t w1[3 * 3 * 4];
static const uint16_t b1[4] = { 0x3c00, 0xc000, 0x3800, 0x0000 };
static float w2[3 * 3 * 4];
static int8_t w3[6 * 4];
static int32_t b3[6];
static float w3_scale[6], b3_scale[6];
static int64_t zeros[6];
static uint8_t w5[5 * 6];
static float b5[5] = { 0.1f, 0.2f, 0.3f, 0.4f, 0.5f };
static const float w5_scale = 0.02f;
static const int64_t w5_zp = 3;

/* half-precision bits of a few exactly representable values */
static float half_value(int i, uint16_t *bits)
{
	static const struct { uint16_t h; float f; } tab[] = {
		{ 0x0000, 0.0f }, { 0x3c00, 1.0f }, { 0xbc00, -1.0f },
		{ 0x3800, 0.5f }, { 0xb400, -0.25f }, { 0x4000, 2.0f },
		{ 0x0001, 5.9604644775390625e-8f },	/* subnormal 2^-24 */
		{ 0x8000, -0.0f }, { 0x7bff, 65504.0f }, /* largest */
		{ 0x2e66, 0.0999755859375f },
	};
	int k = i % (int)(sizeof(tab) / sizeof(tab[0]));

	*bits = tab[k].h;
	return tab[k].f;
}

#define OPT(id, kind, v) { id, kind, v, 0 }

static void tiny_model(struct tm_model *m)
{
	unsigned int i;
	uint16_t h;

	for (i = 0; i < sizeof(w0) / sizeof(w0[0]); i++)
		w0[i] = (float)((int)(i % 7) - 3) * 0.125f;
	for (i = 0; i < sizeof(w1) / sizeof(w1[0]); i++) {
		half_value((int)i, &h);
		w1[i] = h;
	}
	for (i = 0; i < sizeof(w2) / sizeof(w2[0]); i++)
		w2[i] = 0.01f * (float)i - 0.1f;
	for (i = 0; i < 6 * 4; i++)
		w3[i] = (int8_t)((int)(i % 11) - 5);
	for (i = 0; i < 6; i++) {
		w3_scale[i] = 0.01f * (float)(i + 1);
		b3_scale[i] = 0.001f * (float)(i + 1);
		b3[i] = (int32_t)i * 100 - 250;
	}
	for (i = 0; i < 5 * 6; i++)
		w5[i] = (uint8_t)(i * 37 % 256);

	memset(m, 0, sizeof(*m));
	m->n_t = TT_COUNT;
#define ACT(n, r, ...) (struct tm_tensor){ .name = n, .rank = r, \
		.dims = { __VA_ARGS__ } }
#define CONST(n, r, ty, d, ...) (struct tm_tensor){ .name = n, .rank = r, \
		.dims = { __VA_ARGS__ }, .type = ty, .data = d, \
		.bytes = sizeof(d) }
	m->t[TT_IN] = ACT("input", 4, 1, 8, 8, 3);
	m->t[TT_W0] = CONST("w0", 4, 0, w0, 4, 3, 3, 3);
	m->t[TT_B0] = CONST("b0", 1, 0, b0, 4);
	m->t[TT_O0] = ACT("conv0/Relu6;extra", 4, 1, 4, 4, 4);
	m->t[TT_W1] = CONST("w1", 4, 1, w1, 1, 3, 3, 4);
	m->t[TT_B1] = CONST("b1", 1, 1, b1, 4);
	m->t[TT_O1] = ACT("dw1", 4, 1, 4, 4, 4);
	m->t[TT_W2] = CONST("w2", 4, 0, w2, 1, 3, 3, 4);
	m->t[TT_O2] = ACT("dw2", 4, 1, 2, 2, 4);
	m->t[TT_W3] = CONST("w3", 4, 9, w3, 6, 1, 1, 4);
	m->t[TT_W3].nq = 6;
	m->t[TT_W3].scale = w3_scale;
	m->t[TT_W3].zp = zeros;
	m->t[TT_B3] = CONST("b3", 1, 2, b3, 6);
	m->t[TT_B3].nq = 6;
	m->t[TT_B3].scale = b3_scale;
	m->t[TT_B3].zp = zeros;
	m->t[TT_O3] = ACT("pw3", 4, 1, 2, 2, 6);
	m->t[TT_O4] = ACT("pool4", 4, 1, 1, 1, 6);
	m->t[TT_W5] = CONST("w5", 2, 3, w5, 5, 6);
	m->t[TT_W5].nq = 1;
	m->t[TT_W5].scale = &w5_scale;
	m->t[TT_W5].zp = &w5_zp;
	m->t[TT_B5] = CONST("b5", 1, 0, b5, 5);
	m->t[TT_O5] = ACT("logits", 2, 1, 5);
	m->t[TT_O6] = ACT("prob", 2, 1, 5);
#undef CONST
#undef ACT

	m->n_ops = 7;
	/* 3x3/2 SAME conv, relu6 */
	m->ops[0] = (struct tm_op){ 3, 3, { TT_IN, TT_W0, TT_B0 }, TT_O0, 1, 4,
		{ OPT(0, TFB_U8, 0), OPT(1, TFB_I32, 2), OPT(2, TFB_I32, 2),
		  OPT(3, TFB_U8, 3) } };
	/* 3x3/1 SAME depthwise, fp16 weights and bias, relu */
	m->ops[1] = (struct tm_op){ 4, 3, { TT_O0, TT_W1, TT_B1 }, TT_O1, 2, 5,
		{ OPT(0, TFB_U8, 0), OPT(1, TFB_I32, 1), OPT(2, TFB_I32, 1),
		  OPT(3, TFB_I32, 1), OPT(4, TFB_U8, 1) } };
	/* 3x3/1 VALID depthwise, no bias (input -1) */
	m->ops[2] = (struct tm_op){ 4, 3, { TT_O1, TT_W2, -1 }, TT_O2, 2, 4,
		{ OPT(0, TFB_U8, 1), OPT(1, TFB_I32, 1), OPT(2, TFB_I32, 1),
		  OPT(3, TFB_I32, 1) } };
	/* 1x1 conv, int8 per-channel weights, int32 per-channel bias */
	m->ops[3] = (struct tm_op){ 3, 3, { TT_O2, TT_W3, TT_B3 }, TT_O3, 1, 3,
		{ OPT(0, TFB_U8, 0), OPT(1, TFB_I32, 1), OPT(2, TFB_I32, 1) } };
	/* 2x2/2 VALID average pool */
	m->ops[4] = (struct tm_op){ 1, 1, { TT_O3 }, TT_O4, 5, 5,
		{ OPT(0, TFB_U8, 1), OPT(1, TFB_I32, 2), OPT(2, TFB_I32, 2),
		  OPT(3, TFB_I32, 2), OPT(4, TFB_I32, 2) } };
	/* fully connected, uint8 per-tensor weights with zero point 3 */
	m->ops[5] = (struct tm_op){ 9, 3, { TT_O4, TT_W5, TT_B5 }, TT_O5, 8, 1,
		{ OPT(0, TFB_U8, 0) } };
	m->ops[6] = (struct tm_op){ 25, 1, { TT_O5 }, TT_O6, 9, 1,
		{ { 0, TFB_F32, 0, 1.0f } } };
	m->input = TT_IN;
	m->output = TT_O6;
}

static int load_tm(const struct tm_model *tm, struct mnet_model **m,
		   struct mnet_err *err)
{
	size_t len = 0;
	uint8_t *buf = tm_build(tm, &len);
	int ret;

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	ret = mnet_model_load_memory(buf, len, "tiny.tflite", m, err);
	free(buf);
	return ret;
}

static void test_tiny_model(void)
{
	struct mnet_session *s = NULL;
	struct mnet_session_opts o;
	struct mnet_err err = { 0 };
	struct mnet_model *m = NULL;
	const struct mnet_layer *l;
	struct tm_model tm;
	float in[8 * 8 * 3], sum = 0;
	const float *out;
	unsigned int i;
	size_t n;
	int ret;

	tiny_model(&tm);
	ret = load_tm(&tm, &m, &err);
	if (ret)
		fprintf(stderr, "\n  %s\n", err.msg);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	CU_ASSERT_STRING_EQUAL(mnet_model_name(m), "tiny.tflite");
	CU_ASSERT_EQUAL(m->n_layers, 7);
	CU_ASSERT_EQUAL(m->input_quant.quantized, 0);
	CU_ASSERT_EQUAL(m->output_kind, MNET_OUTPUT_PROBABILITIES);
	CU_ASSERT_EQUAL(mnet_model_output_size(m), 5);

	/* float32 conv, SAME 8 -> 4 with k3 s2: padding (1) all at the end */
	l = &m->layers[0];
	CU_ASSERT_EQUAL(l->op, MNET_OP_CONV2D);
	CU_ASSERT_STRING_EQUAL(l->name, "conv0/Relu6");
	CU_ASSERT_EQUAL(l->pad_top, 0);
	CU_ASSERT_EQUAL(l->pad_left, 0);
	CU_ASSERT_EQUAL(l->act, MNET_ACT_RELU6);
	CU_ASSERT_EQUAL(l->n_weights, 108);
	CU_ASSERT(l->weights && !memcmp(l->weights, w0, sizeof(w0)));
	CU_ASSERT(l->bias && !memcmp(l->bias, b0, sizeof(b0)));

	/* float16 depthwise, SAME 4 -> 4 with k3 s1: one row on top */
	l = &m->layers[1];
	CU_ASSERT_EQUAL(l->op, MNET_OP_DWCONV2D);
	CU_ASSERT_EQUAL(l->pad_top, 1);
	CU_ASSERT_EQUAL(l->pad_left, 1);
	CU_ASSERT_EQUAL(l->act, MNET_ACT_RELU);
	CU_ASSERT_EQUAL_FATAL(l->n_weights, 36);
	for (i = 0; i < 36; i++) {
		uint16_t h;
		float want = half_value((int)i, &h);

		CU_ASSERT_EQUAL(l->weights[i], want);
		CU_ASSERT_EQUAL(signbit(l->weights[i]), signbit(want));
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(l->bias);
	CU_ASSERT_EQUAL(l->bias[0], 1.0f);
	CU_ASSERT_EQUAL(l->bias[1], -2.0f);
	CU_ASSERT_EQUAL(l->bias[2], 0.5f);

	/* VALID 4 -> 2, no bias */
	l = &m->layers[2];
	CU_ASSERT_EQUAL(l->pad_top, 0);
	CU_ASSERT_EQUAL(l->out_shape.h, 2);
	CU_ASSERT_PTR_NULL(l->bias);
	CU_ASSERT(!memcmp(l->weights, w2, sizeof(w2)));

	/* per-channel int8: real = scale[c] * q, channel = output (dim 0) */
	l = &m->layers[3];
	CU_ASSERT_EQUAL(l->op, MNET_OP_PWCONV2D);
	CU_ASSERT_EQUAL_FATAL(l->n_weights, 24);
	for (i = 0; i < 24; i++)
		CU_ASSERT_DOUBLE_EQUAL(l->weights[i],
				       w3_scale[i / 4] * (float)w3[i], 1e-7);
	CU_ASSERT_PTR_NOT_NULL_FATAL(l->bias);
	for (i = 0; i < 6; i++)
		CU_ASSERT_DOUBLE_EQUAL(l->bias[i],
				       b3_scale[i] * (float)b3[i], 1e-6);

	l = &m->layers[4];
	CU_ASSERT_EQUAL(l->op, MNET_OP_AVGPOOL);
	CU_ASSERT_EQUAL(l->kh, 2);
	CU_ASSERT_EQUAL(l->stride_h, 2);

	/* per-tensor uint8 with a zero point */
	l = &m->layers[5];
	CU_ASSERT_EQUAL(l->op, MNET_OP_FC);
	CU_ASSERT_EQUAL_FATAL(l->n_weights, 30);
	for (i = 0; i < 30; i++)
		CU_ASSERT_DOUBLE_EQUAL(l->weights[i],
				       0.02f * ((float)w5[i] - 3.0f), 1e-6);

	CU_ASSERT_EQUAL(m->layers[6].op, MNET_OP_SOFTMAX);
	CU_ASSERT_EQUAL(m->layers[6].beta, 1.0f);

	/* it runs, and the output is a distribution */
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_REF;
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(m, &o, &s, &err), 0);
	mnet_test_fill_random(in, 8 * 8 * 3, 7, -1.0f, 1.0f);
	CU_ASSERT_EQUAL(mnet_session_run(s, in, 8 * 8 * 3), 0);
	out = mnet_session_output(s, &n);
	CU_ASSERT_EQUAL(n, 5);
	for (i = 0; i < n; i++)
		sum += out[i];
	CU_ASSERT_DOUBLE_EQUAL(sum, 1.0, 1e-5);
	mnet_session_destroy(s);
	mnet_model_free(m);
}

/* Load a variant and expect @code with @needle (and the file name) in it. */
static void expect_fail(const struct tm_model *tm, int code,
			const char *needle)
{
	struct mnet_err err = { 0 };
	struct mnet_model *m = NULL;
	int ret = load_tm(tm, &m, &err);

	if (ret != code || !strstr(err.msg, needle))
		fprintf(stderr, "\n  want %d '%s', got %d '%s'\n", code,
			needle, ret, err.msg);
	else if (getenv("MNET_TEST_VERBOSE"))
		printf("\n  %s", err.msg);
	CU_ASSERT_EQUAL(ret, code);
	CU_ASSERT_EQUAL(err.code, code);
	CU_ASSERT_PTR_NULL(m);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, needle));
	CU_ASSERT_EQUAL(strncmp(err.msg, "tiny.tflite: ", 13), 0);
	mnet_model_free(m);
}

static void test_unsupported(void)
{
	struct tm_model tm;

	tiny_model(&tm);
	tm.ops[0].opt[tm.ops[0].n_opt++] =
		(struct tfb_field)OPT(4, TFB_I32, 2);
	expect_fail(&tm, -EOPNOTSUPP, "op 0 CONV_2D: dilation");

	tiny_model(&tm);
	tm.ops[2].opt[3] = (struct tfb_field)OPT(3, TFB_I32, 2);
	expect_fail(&tm, -EOPNOTSUPP, "op 2 DEPTHWISE_CONV_2D: depth multiplier 2");

	tiny_model(&tm);
	tm.ops[6].code = 14;
	tm.ops[6].opt_type = 0;
	expect_fail(&tm, -EOPNOTSUPP, "op 6 LOGISTIC");

	tiny_model(&tm);
	tm.ops[6].code = 150;	/* past the deprecated int8 code range */
	tm.ops[6].opt_type = 0;
	expect_fail(&tm, -EOPNOTSUPP, "op 6 ");

	tiny_model(&tm);
	tm.ops[0].opt[3].v = 4;	/* TANH */
	expect_fail(&tm, -EOPNOTSUPP, "fused activation TANH");

	tiny_model(&tm);
	tm.t[TT_IN].dims[0] = 2;
	expect_fail(&tm, -EOPNOTSUPP, "batch 2");

	tiny_model(&tm);
	tm.t[TT_IN].dims[1] = -1;
	expect_fail(&tm, -EOPNOTSUPP, "dynamic");

	tiny_model(&tm);
	tm.t[TT_IN].rank = 5;
	tm.t[TT_IN].dims[4] = 1;
	expect_fail(&tm, -EOPNOTSUPP, "rank");

	tiny_model(&tm);
	tm.n_subgraphs = 2;
	expect_fail(&tm, -EOPNOTSUPP, "2 subgraphs");

	tiny_model(&tm);
	tm.version = 2;
	expect_fail(&tm, -EOPNOTSUPP, "schema version 2");

	tiny_model(&tm);
	tm.t[TT_IN].type = 2;	/* int32 input */
	expect_fail(&tm, -EOPNOTSUPP, "int32");

	/* wrong padding arithmetic in the file: SAME would give 4x4 */
	tiny_model(&tm);
	tm.t[TT_O0].dims[1] = 3;
	tm.t[TT_O0].dims[2] = 3;
	expect_fail(&tm, -EINVAL, "SAME padding give 4x4");

	/* weights whose data is shorter than their shape */
	tiny_model(&tm);
	tm.t[TT_W0].bytes = 100;
	expect_fail(&tm, -EINVAL, "100 bytes of data for 108 float32 values");

	/* per-channel scales that do not match the channel count */
	tiny_model(&tm);
	tm.t[TT_W3].nq = 5;
	expect_fail(&tm, -EINVAL, "5 scales");

	/* quantized weights without scale */
	tiny_model(&tm);
	tm.t[TT_W3].nq = 0;
	expect_fail(&tm, -EINVAL, "without quantization parameters");

	/* an activation read before anything computes it */
	tiny_model(&tm);
	tm.ops[1].in[0] = TT_O2;
	expect_fail(&tm, -EINVAL, "neither the model input nor computed");
}

/* Exact half-precision bits of a normal (or zero) float with <= 11 bits. */
static uint16_t to_half(float f)
{
	uint32_t u, exp;

	memcpy(&u, &f, sizeof(u));
	if (!(u & 0x7fffffffu))
		return (uint16_t)(u >> 16);
	exp = (u >> 23) & 0xff;
	return (uint16_t)((u >> 16 & 0x8000u) | (exp - 112) << 10 |
			  (u & 0x7fffffu) >> 13);
}

/*
 * The converter's float16 models store fp16 constants and DEQUANTIZE them;
 * the loader must find the fp16 data behind the DEQUANTIZE output.
 */
static void test_dequantize_constant(void)
{
	static uint16_t w0h[4 * 3 * 3 * 3];
	struct mnet_err err = { 0 };
	struct mnet_model *m = NULL;
	struct tm_model tm;
	unsigned int i;
	int ret;

	tiny_model(&tm);
	for (i = 0; i < sizeof(w0) / sizeof(w0[0]); i++)
		w0h[i] = to_half(w0[i]);
	tm.t[tm.n_t] = tm.t[TT_W0];
	tm.t[tm.n_t].name = "w0_fp16";
	tm.t[tm.n_t].type = 1;
	tm.t[tm.n_t].data = w0h;
	tm.t[tm.n_t].bytes = sizeof(w0h);
	tm.t[TT_W0].data = NULL;
	tm.t[TT_W0].bytes = 0;
	memmove(&tm.ops[1], &tm.ops[0], tm.n_ops * sizeof(tm.ops[0]));
	tm.ops[0] = (struct tm_op){ .code = 6, .n_in = 1, .in = { tm.n_t },
				    .out = TT_W0 };
	tm.n_t++;
	tm.n_ops++;
	ret = load_tm(&tm, &m, &err);
	if (ret)
		fprintf(stderr, "\n  %s\n", err.msg);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	CU_ASSERT_EQUAL(m->n_layers, 7);	/* DEQUANTIZE is no layer */
	CU_ASSERT_EQUAL(m->layers[0].op, MNET_OP_CONV2D);
	CU_ASSERT_EQUAL_FATAL(m->layers[0].n_weights, 108);
	CU_ASSERT(!memcmp(m->layers[0].weights, w0, sizeof(w0)));
	mnet_model_free(m);
}

static const CU_TestInfo tests[] = {
	{ "shared models: shapes, quantization, totals", test_shared_models },
	{ "V1 0.25/128 layer structure", test_v1_layers },
	{ "TF2 V2: aliases, MEAN, residual adds", test_v2_graph },
	{ "V1 0.25/128 ref classifies cat.bmp as a cat", test_cat_v1_025 },
	{ "TF2 V2 ref classifies cat.bmp as a cat", test_cat_v2_tf2 },
	{ "built model: weights, dequantization, padding", test_tiny_model },
	{ "fp16 constants behind DEQUANTIZE", test_dequantize_constant },
	{ "unsupported features fail with clear errors", test_unsupported },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	DIR *d = opendir(mnet_test_shared_path("models"));

	if (!d) {
		printf("test_tflite: %s missing; skipped\n",
		       mnet_test_shared_path("models"));
		return 77;
	}
	closedir(d);
	return mnet_test_run_suite("tflite", tests);
}

// SPDX-License-Identifier: Apache-2.0
/*
 * synthetic.c - MobileNet V1 for any alpha and resolution, seeded weights
 *
 * DOC: synthetic models
 *
 * Benchmarks and the tuner need models of every size without files.  The
 * network follows Howard et al. (2017), table 1, with TF-slim's channel
 * rule max(int(c * alpha), 8) and TFLite SAME padding.  The weights come
 * from the counter-based generator that the peer baselines in
 * shared/peers/mobilenet_spec.h share (splitmix64 of (tensor id << 32) +
 * element index, He-uniform convolutions, small biases, an FC with a gain
 * of 10), element for element in the same canonical order, so our outputs
 * can be checked against XNNPACK, oneDNN and OpenCV on the same input.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "synthetic/synthetic.h"

#define SYN_CLASSES 1001

/* tensor ids of the shared generator */
#define TID_W(i) (2u * (uint32_t)(i))
#define TID_B(i) (2u * (uint32_t)(i) + 1u)
#define TID_FCW 100u
#define TID_FCB 101u
#define TID_IN 200u
#define B_SCALE 0.05
#define FCB_SCALE 0.01

static uint64_t mix64(uint64_t z)
{
	z += 0x9E3779B97F4A7C15ULL;
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

float mnet_synthetic_rand(uint32_t tid, uint64_t idx, double scale)
{
	uint64_t z = mix64(((uint64_t)tid << 32) + idx);
	double u = (double)(z >> 40) * (1.0 / 16777216.0);

	return (float)((u * 2.0 - 1.0) * scale);
}

int mnet_synthetic_depth(int d, float alpha)
{
	int c = (int)(d * alpha);

	return c < 8 ? 8 : c;
}

void mnet_synthetic_input(int res, float *dst)
{
	int y, x, c;

	for (y = 0; y < res; y++)
		for (x = 0; x < res; x++)
			for (c = 0; c < 3; c++)
				dst[((size_t)y * res + x) * 3 + c] =
					mnet_synthetic_rand(TID_IN,
						((uint64_t)c * res + y) * res + x, 1.0);
}

/* 13 depthwise-separable blocks: pointwise output channels, dw stride */
static const int v1_blocks[13][2] = {
	{ 64, 1 },  { 128, 2 }, { 128, 1 }, { 256, 2 }, { 256, 1 },
	{ 512, 2 }, { 512, 1 }, { 512, 1 }, { 512, 1 }, { 512, 1 },
	{ 512, 1 }, { 1024, 2 }, { 1024, 1 },
};

struct mnet_layer *mnet_syn_add_layer(struct mnet_syn_builder *b, enum mnet_op op,
				    struct mnet_shape out, const char *name)
{
	struct mnet_layer *l = &b->m->layers[b->layer++];
	int t = b->tensor + 1;

	l->op = op;
	snprintf(l->name, sizeof(l->name), "%s", name);
	l->in = b->tensor;
	l->out = t;
	l->in_shape = b->m->tensors[b->tensor].shape;
	l->out_shape = out;
	b->m->tensors[t].shape = out;
	snprintf(b->m->tensors[t].name, sizeof(b->m->tensors[t].name), "%s",
		 name);
	b->tensor = t;
	return l;
}

int mnet_syn_add_conv(struct mnet_syn_builder *b, enum mnet_op op, int k,
		      int stride, int cout, enum mnet_act act, int conv_idx,
		      const char *name)
{
	struct mnet_shape in = b->m->tensors[b->tensor].shape, out;
	struct mnet_layer *l;
	int pad, fan_in, o, i, y, x;
	double scale;
	size_t n;

	pad = mnet_same_pad(in.h, k, stride, &out.h);
	mnet_same_pad(in.w, k, stride, &out.w);
	out.c = cout;
	l = mnet_syn_add_layer(b, op, out, name);
	l->kh = l->kw = k;
	l->stride_h = l->stride_w = stride;
	l->pad_top = l->pad_left = pad;
	l->act = act;
	fan_in = op == MNET_OP_DWCONV2D ? k * k : k * k * in.c;
	scale = sqrt(6.0 / fan_in);
	n = (size_t)cout * (op == MNET_OP_DWCONV2D ? 1 : in.c) * k * k;
	l->n_weights = n;
	l->weights = malloc(n * sizeof(float));
	l->bias = malloc((size_t)cout * sizeof(float));
	if (!l->weights || !l->bias)
		return -ENOMEM;
	/* canonical generator order is OIHW; store in the IR's layout */
	for (o = 0; o < cout; o++) {
		l->bias[o] = mnet_synthetic_rand(TID_B(conv_idx), (uint64_t)o,
						 B_SCALE);
		if (op == MNET_OP_DWCONV2D) {
			for (y = 0; y < k; y++)
				for (x = 0; x < k; x++)
					l->weights[((size_t)y * k + x) * cout + o] =
						mnet_synthetic_rand(TID_W(conv_idx),
							((uint64_t)o * k + y) * k + x, scale);
			continue;
		}
		for (i = 0; i < in.c; i++)
			for (y = 0; y < k; y++)
				for (x = 0; x < k; x++)
					l->weights[(((size_t)o * k + y) * k + x) * in.c + i] =
						mnet_synthetic_rand(TID_W(conv_idx),
							(((uint64_t)o * in.c + i) * k + y) * k + x,
							scale);
	}
	if (op == MNET_OP_CONV2D && k == 1 && stride == 1)
		l->op = MNET_OP_PWCONV2D;
	return 0;
}

int mnet_syn_add_classifier(struct mnet_syn_builder *b)
{
	struct mnet_shape in = b->m->tensors[b->tensor].shape;
	struct mnet_shape vec = { 1, 1, SYN_CLASSES };
	double scale = 10.0 * sqrt(3.0 / in.c);
	struct mnet_layer *l;
	size_t j, n;

	l = mnet_syn_add_layer(b, MNET_OP_AVGPOOL, (struct mnet_shape){ 1, 1, in.c },
		      "avgpool");
	l->kh = in.h;
	l->kw = in.w;
	l->stride_h = l->stride_w = 1;
	l = mnet_syn_add_layer(b, MNET_OP_FC, vec, "fc");
	n = (size_t)in.c * SYN_CLASSES;
	l->n_weights = n;
	l->weights = malloc(n * sizeof(float));
	l->bias = malloc(SYN_CLASSES * sizeof(float));
	if (!l->weights || !l->bias)
		return -ENOMEM;
	for (j = 0; j < n; j++)
		l->weights[j] = mnet_synthetic_rand(TID_FCW, j, scale);
	for (j = 0; j < SYN_CLASSES; j++)
		l->bias[j] = mnet_synthetic_rand(TID_FCB, j, FCB_SCALE);
	mnet_syn_add_layer(b, MNET_OP_SOFTMAX, vec, "softmax");
	return 0;
}

int mnet_syn_finish(struct mnet_syn_builder *b, int ret,
		    struct mnet_model **out, struct mnet_err *err)
{
	if (!ret)
		ret = mnet_syn_add_classifier(b);
	if (ret) {
		mnet_model_free(b->m);
		return mnet_err_set(err, ret, "synthetic: out of memory");
	}
	/* trim to what was used (a bound was allocated: V2's adds vary) */
	b->m->n_layers = b->layer;
	b->m->n_tensors = b->tensor + 1;
	b->m->output = b->tensor;
	ret = mnet_model_validate(b->m, err);
	if (ret) {
		mnet_model_free(b->m);
		return ret;
	}
	*out = b->m;
	return 0;
}

int mnet_model_create_synthetic(float alpha, int res, struct mnet_model **out,
				struct mnet_err *err)
{
	struct mnet_syn_builder b = { 0 };
	char name[32];
	int i, ret, conv = 0;

	if (!(alpha > 0.0f && alpha <= 4.0f) || res < 32 || res % 32 ||
	    res > 2048)
		return mnet_err_set(err, -EINVAL,
				    "synthetic MobileNet V1: need 0 < alpha <= 4 and a resolution >= 32, a multiple of 32 (at most 2048); got %g/%d",
				    alpha, res);
	/* 27 convolutions, pool, fc, softmax; a tensor after each + input */
	b.m = mnet_model_alloc(30, 31);
	if (!b.m)
		return mnet_err_set(err, -ENOMEM, "synthetic: out of memory");
	snprintf(b.m->name, sizeof(b.m->name), "synthetic-v1-%g-%d", alpha,
		 res);
	b.m->tensors[0].shape = (struct mnet_shape){ res, res, 3 };
	strcpy(b.m->tensors[0].name, "input");
	b.m->input = 0;
	b.m->output_kind = MNET_OUTPUT_PROBABILITIES;

	ret = mnet_syn_add_conv(&b, MNET_OP_CONV2D, 3, 2,
				mnet_synthetic_depth(32, alpha), MNET_ACT_RELU6,
				conv++, "conv_0");
	for (i = 0; i < 13 && !ret; i++) {
		snprintf(name, sizeof(name), "dw_%d", i + 1);
		ret = mnet_syn_add_conv(&b, MNET_OP_DWCONV2D, 3,
					v1_blocks[i][1],
					b.m->tensors[b.tensor].shape.c,
					MNET_ACT_RELU6, conv++, name);
		if (ret)
			break;
		snprintf(name, sizeof(name), "pw_%d", i + 1);
		ret = mnet_syn_add_conv(&b, MNET_OP_CONV2D, 1, 1,
					mnet_synthetic_depth(v1_blocks[i][0],
							     alpha),
					MNET_ACT_RELU6, conv++, name);
	}
	return mnet_syn_finish(&b, ret, out, err);
}

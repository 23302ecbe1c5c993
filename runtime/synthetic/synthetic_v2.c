// SPDX-License-Identifier: Apache-2.0
/*
 * synthetic_v2.c - MobileNetV2 for any alpha and resolution, seeded weights
 *
 * DOC: synthetic MobileNetV2
 *
 * Sandler et al. (2018), table 2: a 3x3/2 convolution, 17 inverted
 * residual blocks (1x1 expansion with ReLU6, 3x3 depthwise with ReLU6, 1x1
 * linear projection; a residual ADD when stride is 1 and the channel count
 * is unchanged), a 1x1 convolution to 1280 channels, global average pool
 * and the classifier.  Channels follow TF-slim's _make_divisible(c*alpha,
 * 8): round to the nearest multiple of 8, at least 8, and never more than
 * 10% below c*alpha; the final 1280 only grows for alpha > 1.  Weights come
 * from the same seeded generator as the V1 builder.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "model/model.h"
#include "synthetic/synthetic.h"

/* expansion t, output channels c, repeats n, first stride s */
static const int v2_blocks[7][4] = {
	{ 1, 16, 1, 1 },  { 6, 24, 2, 2 },  { 6, 32, 3, 2 },  { 6, 64, 4, 2 },
	{ 6, 96, 3, 1 },  { 6, 160, 3, 2 }, { 6, 320, 1, 1 },
};

static int make_divisible(double v)
{
	int n = (int)(v + 4.0) / 8 * 8;

	if (n < 8)
		n = 8;
	if (n < 0.9 * v)
		n += 8;
	return n;
}

/* layers: conv + 17 blocks * (expand?, dw, project, add?) + conv + 3 */
static void count_v2(int *layers)
{
	int i, j, n = 1;

	for (i = 0; i < 7; i++)
		for (j = 0; j < v2_blocks[i][2]; j++)
			n += (v2_blocks[i][0] != 1) + 2 + 1;	/* add: max */
	*layers = n + 1 + 3;
}

static int add_block(struct mnet_syn_builder *b, int t, int cout, int stride,
		     int block, int *conv)
{
	int in_t = b->tensor, cin = b->m->tensors[in_t].shape.c, ret;
	char name[32];

	if (t != 1) {
		snprintf(name, sizeof(name), "b%d_expand", block);
		ret = mnet_syn_add_conv(b, MNET_OP_CONV2D, 1, 1,
					make_divisible((double)cin * t),
					MNET_ACT_RELU6, (*conv)++, name);
		if (ret)
			return ret;
	}
	snprintf(name, sizeof(name), "b%d_dw", block);
	ret = mnet_syn_add_conv(b, MNET_OP_DWCONV2D, 3, stride,
				b->m->tensors[b->tensor].shape.c,
				MNET_ACT_RELU6, (*conv)++, name);
	if (ret)
		return ret;
	snprintf(name, sizeof(name), "b%d_project", block);
	ret = mnet_syn_add_conv(b, MNET_OP_CONV2D, 1, 1, cout, MNET_ACT_NONE,
				(*conv)++, name);
	if (ret)
		return ret;
	if (stride == 1 && cin == cout) {
		struct mnet_layer *l;

		snprintf(name, sizeof(name), "b%d_add", block);
		l = mnet_syn_add_layer(b, MNET_OP_ADD,
				       b->m->tensors[b->tensor].shape, name);
		l->in2 = in_t;
	}
	return 0;
}

int mnet_model_create_synthetic_v2(float alpha, int res,
				   struct mnet_model **out,
				   struct mnet_err *err)
{
	struct mnet_syn_builder b = { 0 };
	int i, j, ret, conv = 0, block = 0, max_layers, last;

	if (!(alpha > 0.0f && alpha <= 4.0f) || res < 32 || res % 32 ||
	    res > 2048)
		return mnet_err_set(err, -EINVAL,
				    "synthetic MobileNetV2: need 0 < alpha <= 4 and a resolution >= 32, a multiple of 32 (at most 2048); got %g/%d",
				    alpha, res);
	count_v2(&max_layers);
	b.m = mnet_model_alloc(max_layers, max_layers + 1);
	if (!b.m)
		return mnet_err_set(err, -ENOMEM, "synthetic: out of memory");
	snprintf(b.m->name, sizeof(b.m->name), "synthetic-v2-%g-%d", alpha,
		 res);
	b.m->tensors[0].shape = (struct mnet_shape){ res, res, 3 };
	strcpy(b.m->tensors[0].name, "input");
	b.m->output_kind = MNET_OUTPUT_PROBABILITIES;

	ret = mnet_syn_add_conv(&b, MNET_OP_CONV2D, 3, 2,
				make_divisible(32.0 * alpha), MNET_ACT_RELU6,
				conv++, "conv_0");
	for (i = 0; i < 7 && !ret; i++)
		for (j = 0; j < v2_blocks[i][2] && !ret; j++)
			ret = add_block(&b, v2_blocks[i][0],
					make_divisible((double)v2_blocks[i][1] *
						       alpha),
					j ? 1 : v2_blocks[i][3], ++block,
					&conv);
	last = alpha > 1.0f ? make_divisible(1280.0 * alpha) : 1280;
	if (!ret)
		ret = mnet_syn_add_conv(&b, MNET_OP_CONV2D, 1, 1, last,
					MNET_ACT_RELU6, conv++, "conv_last");
	return mnet_syn_finish(&b, ret, out, err);
}

// SPDX-License-Identifier: Apache-2.0
/*
 * test_ops.c - the op descriptor table (runtime/ops/)
 *
 * Every IR op has a descriptor, the descriptors' arithmetic matches
 * hand-computed counts on a small layer of each op, and validation, which
 * runs through them, accepts a model using every op and rejects an op
 * value without a descriptor or a layer whose weight count is off.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/test_util.h"
#include "model/model.h"
#include "ops/op_table.h"

static void test_every_op_has_desc(void)
{
	int op, other;

	for (op = 0; op < MNET_OP_COUNT; op++) {
		const struct mnet_op_desc *d = mnet_op_desc((enum mnet_op)op);

		CU_ASSERT_PTR_NOT_NULL_FATAL(d);
		CU_ASSERT_PTR_NOT_NULL_FATAL(d->name);
		CU_ASSERT(d->name[0] != '\0');
		CU_ASSERT_STRING_EQUAL(mnet_op_name((enum mnet_op)op), d->name);
		CU_ASSERT(d->n_inputs == 1 || d->n_inputs == 2);
		CU_ASSERT_EQUAL(d->has_weights, d->expected_weights != NULL);
		CU_ASSERT_PTR_NOT_NULL(d->bytes);
		for (other = 0; other < op; other++) {
			const struct mnet_op_desc *o;

			o = mnet_op_desc((enum mnet_op)other);
			CU_ASSERT(strcmp(d->name, o->name) != 0);
		}
	}
	CU_ASSERT_PTR_NULL(mnet_op_desc(MNET_OP_COUNT));
	CU_ASSERT_PTR_NULL(mnet_op_desc((enum mnet_op)-1));
	CU_ASSERT_STRING_EQUAL(mnet_op_name(MNET_OP_COUNT), "?");
	/* the ops the residual fusion joins, and only those */
	CU_ASSERT(mnet_op_desc(MNET_OP_PWCONV2D)->flags &
		  MNET_OP_F_RESIDUAL_SINK);
	CU_ASSERT(mnet_op_desc(MNET_OP_ADD)->flags & MNET_OP_F_RESIDUAL_ADD);
	CU_ASSERT_EQUAL(mnet_op_desc(MNET_OP_ADD)->n_inputs, 2);
	CU_ASSERT_FALSE(mnet_op_desc(MNET_OP_CONV2D)->flags &
			(MNET_OP_F_RESIDUAL_SINK | MNET_OP_F_RESIDUAL_ADD));
}

/* One small layer of each op, with its counts worked out by hand. */
static const struct count_case {
	const char *name;
	enum mnet_op op;
	struct mnet_shape in, out;
	int k, stride, pad, bias;
	size_t weights;		/* expected_weights() */
	uint64_t macs, params, bytes;
} count_cases[] = {
	/* 16 x 3x3 x 3 weights, each used at 4x4 output pixels */
	{ "conv2d 3x3/2", MNET_OP_CONV2D, { 8, 8, 3 }, { 4, 4, 16 }, 3, 2, 0,
	  1, 432, 432 * 16, 432 + 16, 4 * (192 + 432 + 16 + 256) },
	{ "dwconv2d 3x3/1", MNET_OP_DWCONV2D, { 4, 4, 16 }, { 4, 4, 16 }, 3,
	  1, 1, 1, 144, 144 * 16, 144 + 16, 4 * (256 + 144 + 16 + 256) },
	{ "pwconv2d 16->8", MNET_OP_PWCONV2D, { 4, 4, 16 }, { 4, 4, 8 }, 1,
	  1, 0, 1, 128, 128 * 16, 128 + 8, 4 * (256 + 128 + 8 + 128) },
	{ "global avgpool", MNET_OP_AVGPOOL, { 4, 4, 8 }, { 1, 1, 8 }, 4, 1,
	  0, 0, 0, 0, 0, 4 * (128 + 8) },
	{ "fc 8->10", MNET_OP_FC, { 1, 1, 8 }, { 1, 1, 10 }, 0, 0, 0, 1, 80,
	  80, 80 + 10, 4 * (8 + 80 + 10 + 10) },
	{ "softmax 10", MNET_OP_SOFTMAX, { 1, 1, 10 }, { 1, 1, 10 }, 0, 0, 0,
	  0, 0, 0, 0, 4 * 20 },
	{ "reshape 10 -> 2x5", MNET_OP_RESHAPE, { 1, 1, 10 }, { 1, 2, 5 }, 0,
	  0, 0, 0, 0, 0, 0, 4 * 20 },
	/* two 4x4x8 operands and the sum */
	{ "add 4x4x8", MNET_OP_ADD, { 4, 4, 8 }, { 4, 4, 8 }, 0, 0, 0, 0, 0,
	  0, 0, 4 * 3 * 128 },
	/* as dwconv2d: the dilation moves the taps, not their count */
	{ "dwconv2d_dilated 3x3 d2", MNET_OP_DWCONV2D_DIL, { 8, 8, 4 },
	  { 8, 8, 4 }, 3, 1, 2, 1, 36, 36 * 64, 36 + 4,
	  4 * (256 + 36 + 4 + 256) },
	/* four taps read per output value, and the output */
	{ "resize 2x2x3 -> 4x4x3", MNET_OP_RESIZE_BILINEAR, { 2, 2, 3 },
	  { 4, 4, 3 }, 0, 0, 0, 0, 0, 0, 0, 4 * (4 * 48 + 48) },
	/* both inputs (8 + 8 channels) and the output */
	{ "concat 8 ++ 8", MNET_OP_CONCAT, { 4, 4, 8 }, { 4, 4, 16 }, 0, 0, 0,
	  0, 0, 0, 0, 4 * 2 * 256 },
	{ "argmax of 10", MNET_OP_ARGMAX, { 4, 4, 10 }, { 4, 4, 1 }, 0, 0, 0,
	  0, 0, 0, 0, 4 * (160 + 16) },
};

static void set_layer(struct mnet_layer *l, const struct count_case *c)
{
	static float bias[16];

	memset(l, 0, sizeof(*l));
	l->op = c->op;
	l->in_shape = c->in;
	l->out_shape = c->out;
	l->kh = c->k;
	l->kw = c->k;
	l->stride_h = c->stride;
	l->stride_w = c->stride;
	l->pad_top = c->pad;
	l->pad_left = c->pad;
	l->in2 = -1;
	l->beta = 1.0f;
	l->n_weights = c->weights;
	l->bias = c->bias ? bias : NULL;
}

static void test_counts(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(count_cases) / sizeof(count_cases[0]); i++) {
		const struct count_case *c = &count_cases[i];
		const struct mnet_op_desc *d = mnet_op_desc(c->op);
		struct mnet_layer l;

		set_layer(&l, c);
		CU_ASSERT_PTR_NOT_NULL_FATAL(d);
		if (d->expected_weights) {
			CU_ASSERT_EQUAL(d->expected_weights(&l), c->weights);
		} else {
			CU_ASSERT_EQUAL(c->weights, 0);
		}
		CU_ASSERT_EQUAL(d->macs ? d->macs(&l) : 0, c->macs);
		CU_ASSERT_EQUAL(d->bytes(&l), c->bytes);
		CU_ASSERT_EQUAL(mnet_layer_macs(&l), c->macs);
		CU_ASSERT_EQUAL(mnet_layer_params(&l), c->params);
		CU_ASSERT_EQUAL(mnet_layer_bytes(&l), c->bytes);
		if (mnet_layer_macs(&l) != c->macs ||
		    mnet_layer_bytes(&l) != c->bytes)
			fprintf(stderr, "  case %s\n", c->name);
	}
}

/*
 * Every op once: 8x8x3 -conv-> 4x4x16 -dw-> 4x4x16 -pw-> 4x4x8 (t3)
 * -pw-> 4x4x8 (t4), add t4 + t3 -> t5, pool -> 1x1x8, fc -> 10,
 * softmax, reshape -> 1x2x5.
 */
static struct mnet_model *every_op_model(void)
{
	static const struct {
		int case_idx, in, in2, out;
	} chain[] = {
		{ 0, 0, -1, 1 }, { 1, 1, -1, 2 }, { 2, 2, -1, 3 },
		{ 2, 3, -1, 4 }, { 7, 4, 3, 5 }, { 3, 5, -1, 6 },
		{ 4, 6, -1, 7 }, { 5, 7, -1, 8 }, { 6, 8, -1, 9 },
	};
	const int n = sizeof(chain) / sizeof(chain[0]);
	struct mnet_model *m = mnet_model_alloc(n, n + 1);
	int i;

	if (!m)
		return NULL;
	snprintf(m->name, sizeof(m->name), "every-op");
	m->tensors[0].shape = count_cases[0].in;
	for (i = 0; i < n; i++) {
		const struct count_case *c = &count_cases[chain[i].case_idx];
		struct mnet_layer *l = &m->layers[i];
		const struct mnet_op_desc *d;

		set_layer(l, c);
		snprintf(l->name, sizeof(l->name), "l%d", i);
		if (c->op == MNET_OP_PWCONV2D && i == 3)
			l->in_shape = l->out_shape;	/* 8 -> 8 */
		l->in = chain[i].in;
		l->in2 = chain[i].in2;
		l->out = chain[i].out;
		d = mnet_op_desc(c->op);
		l->n_weights = d->expected_weights ? d->expected_weights(l) : 0;
		if (l->n_weights)
			l->weights = calloc(l->n_weights, sizeof(float));
		if (c->bias)
			l->bias = calloc(l->out_shape.c, sizeof(float));
		if ((l->n_weights && !l->weights) || (c->bias && !l->bias)) {
			mnet_model_free(m);
			return NULL;
		}
		m->tensors[l->out].shape = l->out_shape;
	}
	m->input = 0;
	m->output = n;
	return m;
}

static void test_validation_accepts_every_op(void)
{
	struct mnet_model *m = every_op_model();
	struct mnet_layer_info li;
	struct mnet_err err = { 0 };

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(mnet_model_validate(m, &err), 0);
	if (err.msg[0])
		fprintf(stderr, "  %s\n", err.msg);
	CU_ASSERT_EQUAL(mnet_model_infer_output_kind(m),
			MNET_OUTPUT_PROBABILITIES);
	/* pw (layer 3) then add of its output and t3: fusable, t3 is other */
	CU_ASSERT_EQUAL(mnet_residual_fusable(m, 3), 3);
	CU_ASSERT_EQUAL(mnet_residual_fusable(m, 2), -1);
	CU_ASSERT_EQUAL(mnet_model_layer_info(m, 2, &li), 0);
	CU_ASSERT_STRING_EQUAL(li.op, "pwconv2d");
	CU_ASSERT_EQUAL(li.kh, 1);
	CU_ASSERT_EQUAL(li.stride, 1);
	CU_ASSERT_EQUAL(mnet_model_layer_info(m, 0, &li), 0);
	CU_ASSERT_EQUAL(li.kh, 3);
	CU_ASSERT_EQUAL(li.stride, 2);
	CU_ASSERT_EQUAL(li.macs, 432 * 16);
	CU_ASSERT_EQUAL(mnet_model_layer_info(m, 7, &li), 0);
	CU_ASSERT_STRING_EQUAL(li.op, "softmax");
	CU_ASSERT_EQUAL(li.kh, 0);
	mnet_model_free(m);
}

/* A change to the every-op model that validation must refuse. */
static const struct bad_case {
	const char *name;
	int layer;
	int op;			/* new op value, or -2 to keep it */
	long weight_delta;	/* added to n_weights */
	int add_bias;		/* give the layer a bias */
	const char *msg;	/* part of the expected message */
} bad_cases[] = {
	{ "op past the enum", 5, MNET_OP_COUNT, 0, 0, "layer 5: bad op " },
	{ "negative op", 7, -1, 0, 0, "layer 7: bad op -1" },
	{ "one weight short", 2, -2, -1, 0,
	  "layer 2 (l2, pwconv2d): weight count 127, expected 128" },
	{ "one weight too many", 6, -2, 1, 0,
	  "layer 6 (l6, fc): weight count 81, expected 80" },
	{ "weights on a pool", 5, -2, 1, 0,
	  "layer 5 (l5, avgpool): weight count 1, expected 0" },
	{ "bias on a softmax", 7, -2, 0, 1,
	  "layer 7 (l7, softmax): bias on an op without one" },
};

static void test_validation_rejects(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct mnet_model *m = every_op_model();
		struct mnet_err err = { 0 };
		struct mnet_layer *l;

		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		l = &m->layers[c->layer];
		if (c->op != -2)
			l->op = (enum mnet_op)c->op;
		if (c->weight_delta) {
			l->n_weights = (size_t)((long)l->n_weights +
						c->weight_delta);
			free(l->weights);
			l->weights = calloc(l->n_weights, sizeof(float));
			CU_ASSERT_PTR_NOT_NULL_FATAL(l->weights);
		}
		if (c->add_bias) {
			l->bias = calloc(l->out_shape.c, sizeof(float));
			CU_ASSERT_PTR_NOT_NULL_FATAL(l->bias);
		}
		CU_ASSERT_EQUAL(mnet_model_validate(m, &err), -EINVAL);
		CU_ASSERT_EQUAL(err.code, -EINVAL);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, c->msg));
		if (!strstr(err.msg, c->msg))
			fprintf(stderr, "  case %s: got \"%s\"\n", c->name,
				err.msg);
		mnet_model_free(m);
	}
}

static const CU_TestInfo tests[] = {
	{ "every op has a descriptor", test_every_op_has_desc },
	{ "descriptor counts match hand-computed ones", test_counts },
	{ "validation accepts a model with every op",
	  test_validation_accepts_every_op },
	{ "validation rejects bad ops and weight counts",
	  test_validation_rejects },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return mnet_test_run_suite("op descriptors", tests);
}

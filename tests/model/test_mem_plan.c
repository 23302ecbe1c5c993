// SPDX-License-Identifier: Apache-2.0
/*
 * test_mem_plan.c - activation buffers planned by liveness
 *
 * For synthetic MobileNet V1 and V2 models and a hand-built residual model
 * the plan must be correct (no layer writes a buffer that holds a tensor
 * still to be read, every buffer holds its largest tensor, the reserved
 * input is never overwritten) and small (V1 needs the input plus two
 * buffers), with and without 1x1 convolutions absorbing their ADDs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/test_util.h"
#include "session/mem_plan.h"
#include "model/model.h"

/*
 * Simulate the model: which tensor each buffer holds after each layer.
 * A layer that absorbs the ADD after it reads the ADD's other operand and
 * writes the ADD's output (its own output tensor shares that buffer).
 */
static void check_plan(const struct mnet_model *m,
		       const unsigned char *absorbs,
		       const struct mnet_mem_plan *p, int reserved)
{
	int *holder = malloc(p->n_bufs * sizeof(int));
	int *root = malloc(m->n_tensors * sizeof(int));
	int i, j, t;

	CU_ASSERT_FATAL(holder && root);
	for (t = 0; t < m->n_tensors; t++)
		root[t] = t;
	for (i = 0; i < m->n_layers; i++) {
		if (m->layers[i].op == MNET_OP_RESHAPE)
			root[m->layers[i].out] = root[m->layers[i].in];
		if (absorbs && absorbs[i])
			root[m->layers[i].out] = m->layers[i + 1].out;
	}
	for (j = 0; j < p->n_bufs; j++)
		holder[j] = -1;
	holder[p->tensor_buf[m->input]] = root[m->input];
	for (i = 0; i < m->n_layers; i++) {
		const struct mnet_layer *l = &m->layers[i];
		int b = p->tensor_buf[l->out];

		CU_ASSERT_FATAL(b >= 0 && b < p->n_bufs);
		CU_ASSERT(p->buf_elems[b] >= mnet_shape_elems(l->out_shape));
		if (absorbs && absorbs[i]) {
			const struct mnet_layer *add = l + 1;
			int res = mnet_residual_fusable(m, i);

			CU_ASSERT_FATAL(res >= 0);
			CU_ASSERT_EQUAL(b, p->tensor_buf[add->out]);
			CU_ASSERT_EQUAL(holder[p->tensor_buf[l->in]], root[l->in]);
			CU_ASSERT_EQUAL(holder[p->tensor_buf[res]], root[res]);
			CU_ASSERT_NOT_EQUAL(b, p->tensor_buf[l->in]);
			CU_ASSERT_NOT_EQUAL(b, p->tensor_buf[res]);
			holder[b] = root[add->out];
			i++;
			continue;
		}
		/* the inputs are where the plan says, untouched */
		CU_ASSERT_EQUAL(holder[p->tensor_buf[l->in]], root[l->in]);
		if (l->in2 >= 0)
			CU_ASSERT_EQUAL(holder[p->tensor_buf[l->in2]],
					root[l->in2]);
		if (l->op == MNET_OP_RESHAPE) {
			CU_ASSERT_EQUAL(b, p->tensor_buf[l->in]);
			continue;
		}
		holder[b] = root[l->out];
	}
	CU_ASSERT_EQUAL(holder[p->tensor_buf[m->output]], root[m->output]);
	if (reserved)
		CU_ASSERT_EQUAL(holder[p->tensor_buf[m->input]], root[m->input]);
	free(holder);
	free(root);
}

static void test_v1(void)
{
	static const struct { float alpha; int res; } cfgs[] = {
		{ 0.25f, 128 }, { 1.0f, 224 }, { 0.5f, 32 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cfgs) / sizeof(cfgs[0]); i++) {
		struct mnet_mem_plan p;
		struct mnet_model *m;
		struct mnet_err err;

		CU_ASSERT_FATAL(!mnet_model_create_synthetic(cfgs[i].alpha,
							     cfgs[i].res, &m,
							     &err));
		CU_ASSERT_FATAL(!mnet_mem_plan_init(m, NULL, 1, &p));
		CU_ASSERT_EQUAL(p.n_bufs, 3);	/* input + ping + pong */
		check_plan(m, NULL, &p, 1);
		mnet_mem_plan_fini(&p);
		CU_ASSERT_FATAL(!mnet_mem_plan_init(m, NULL, 0, &p));
		CU_ASSERT(p.n_bufs <= 3);
		check_plan(m, NULL, &p, 0);
		mnet_mem_plan_fini(&p);
		mnet_model_free(m);
	}
}

/* in -> a -> b; c = a + b (a must survive b); d = reshape(c); e = d + a */
static void test_residual(void)
{
	struct mnet_shape s3 = { 4, 4, 3 }, s8 = { 4, 4, 8 };
	struct mnet_mem_plan p;
	struct mnet_model *m = mnet_model_alloc(5, 6);
	struct mnet_err err;
	struct mnet_layer *l;
	int i;

	CU_ASSERT_FATAL(m != NULL);
	strcpy(m->name, "residual");
	m->tensors[0].shape = s3;
	for (i = 1; i < 6; i++)
		m->tensors[i].shape = s8;
	m->input = 0;
	m->output = 5;
	l = m->layers;
	l[0] = (struct mnet_layer){ .op = MNET_OP_PWCONV2D, .in = 0, .in2 = -1,
		.out = 1, .in_shape = s3, .out_shape = s8, .n_weights = 24 };
	l[1] = (struct mnet_layer){ .op = MNET_OP_PWCONV2D, .in = 1, .in2 = -1,
		.out = 2, .in_shape = s8, .out_shape = s8, .n_weights = 64 };
	l[2] = (struct mnet_layer){ .op = MNET_OP_ADD, .in = 1, .in2 = 2,
		.out = 3, .in_shape = s8, .out_shape = s8 };
	l[3] = (struct mnet_layer){ .op = MNET_OP_RESHAPE, .in = 3, .in2 = -1,
		.out = 4, .in_shape = s8, .out_shape = s8 };
	l[4] = (struct mnet_layer){ .op = MNET_OP_ADD, .in = 4, .in2 = 1,
		.out = 5, .in_shape = s8, .out_shape = s8 };
	l[0].weights = calloc(24, sizeof(float));
	l[1].weights = calloc(64, sizeof(float));
	CU_ASSERT_FATAL(!mnet_model_validate(m, &err));
	CU_ASSERT_FATAL(!mnet_mem_plan_init(m, NULL, 1, &p));
	check_plan(m, NULL, &p, 1);
	CU_ASSERT(p.n_bufs <= 4);
	mnet_mem_plan_fini(&p);
	/* layer 1 (no activation, read only by the ADD) absorbs layer 2 */
	CU_ASSERT_EQUAL(mnet_residual_fusable(m, 1), 1);
	CU_ASSERT_EQUAL(mnet_residual_fusable(m, 0), -1); /* 1 has 3 readers */
	CU_ASSERT_EQUAL(mnet_residual_fusable(m, 3), -1); /* a reshape */
	l[1].act = MNET_ACT_RELU6;	/* not linear: the ADD sees relu6(x) */
	CU_ASSERT_EQUAL(mnet_residual_fusable(m, 1), -1);
	l[1].act = MNET_ACT_NONE;
	{
		unsigned char absorbs[5] = { 0, 1, 0, 0, 0 };

		CU_ASSERT_FATAL(!mnet_mem_plan_init(m, absorbs, 1, &p));
		check_plan(m, absorbs, &p, 1);
		CU_ASSERT(p.n_bufs <= 4);
		mnet_mem_plan_fini(&p);
	}
	mnet_model_free(m);
}

/* MobileNetV2: every linear projection that feeds an ADD absorbs it */
static void test_v2_absorbed(void)
{
	unsigned char *absorbs;
	struct mnet_mem_plan p, plain;
	struct mnet_model *m;
	struct mnet_err err;
	int i, n = 0;

	CU_ASSERT_FATAL(!mnet_model_create_synthetic_v2(1.0f, 96, &m, &err));
	absorbs = calloc(m->n_layers, 1);
	CU_ASSERT_FATAL(absorbs != NULL);
	for (i = 0; i < m->n_layers; i++) {
		absorbs[i] = mnet_residual_fusable(m, i) >= 0;
		n += absorbs[i];
	}
	CU_ASSERT_EQUAL(n, 10);		/* V2 has ten residual blocks */
	CU_ASSERT_FATAL(!mnet_mem_plan_init(m, NULL, 1, &plain));
	check_plan(m, NULL, &plain, 1);
	CU_ASSERT_FATAL(!mnet_mem_plan_init(m, absorbs, 1, &p));
	check_plan(m, absorbs, &p, 1);
	CU_ASSERT(p.n_bufs <= plain.n_bufs);
	mnet_mem_plan_fini(&plain);
	mnet_mem_plan_fini(&p);
	free(absorbs);
	mnet_model_free(m);
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "MobileNet V1: input + two buffers, correct", test_v1 },
		{ "residual adds and reshape aliases", test_residual },
		{ "MobileNetV2 with absorbed residual adds", test_v2_absorbed },
		CU_TEST_INFO_NULL,
	};

	return mnet_test_run_suite("mem_plan", tests);
}

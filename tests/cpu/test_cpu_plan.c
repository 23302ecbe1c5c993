// SPDX-License-Identifier: Apache-2.0
/*
 * test_cpu_plan.c - the CPU backend's rules for the liveness walk
 *
 * The CPU backend plans its activation arena with mem_plan.c under its
 * own policy (&struct mnet_mem_plan_policy): the input lives apart, a
 * reshape is a copy with a buffer of its own, a fused pair keeps its
 * input live through the second layer, each output takes the first free
 * buffer.  Each case is a hand-built model with the tensor -> buffer map
 * worked out by hand (see the comments).
 */
#include <stdlib.h>
#include <string.h>

#include "lib/test_util.h"
#include "model/model.h"
#include "session/mem_plan.h"

/*
 * in(t0) -> pw t1 -> pw t2; t3 = t1 + t2; t4 = reshape(t3); t5 = t4 + t1.
 * Last readers: t1 layer 4, t2 layer 2, t3 layer 3, t4 layer 4, t5 the end.
 */
static struct mnet_model *residual_model(void)
{
	struct mnet_shape s3 = { 4, 4, 3 }, s8 = { 4, 4, 8 };
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
	return m;
}

static const struct plan_case {
	const char *name;
	unsigned char absorbs[5];
	unsigned char keeps[5];
	int n_bufs;
	int tensor_buf[6];
} plan_cases[] = {
	/*
	 * t1 -> b0; t2 -> b1; t3 -> b2 (b1 is read by layer 2); the reshape
	 * is a copy: t4 -> b1 (first free); t5 -> b2 (b0, b1 still read).
	 */
	{ "plain", { 0 }, { 0 }, 3, { -1, 0, 1, 2, 1, 2 } },
	/* layer 4 reads t3 too: t5 cannot take b2, a fourth buffer */
	{ "fused pair keeps its input", { 0 }, { 0, 0, 0, 1, 0 }, 4,
	  { -1, 0, 1, 2, 1, 3 } },
	/*
	 * layer 1 writes the ADD's t3 (t2 shares it) -> b1, live to layer 3;
	 * t4 -> b2; t5 -> b1, free after layer 3.
	 */
	{ "1x1 conv absorbs the ADD", { 0, 1, 0, 0, 0 }, { 0 }, 3,
	  { -1, 0, 1, 1, 2, 1 } },
};

static void test_cpu_policy(void)
{
	struct mnet_model *m = residual_model();
	unsigned int i;
	int t;

	for (i = 0; i < sizeof(plan_cases) / sizeof(plan_cases[0]); i++) {
		const struct plan_case *c = &plan_cases[i];
		const struct mnet_mem_plan_policy pol = {
			.absorbs = c->absorbs,
			.keeps_input = c->keeps,
			.input_apart = 1,
			.copy_reshapes = 1,
			.first_fit = 1,
		};
		struct mnet_mem_plan p;

		CU_ASSERT_FATAL(!mnet_mem_plan_init_policy(m, &pol, &p));
		CU_ASSERT_EQUAL(p.n_bufs, c->n_bufs);
		for (t = 0; t < m->n_tensors; t++)
			CU_ASSERT_EQUAL(p.tensor_buf[t], c->tensor_buf[t]);
		for (t = 0; t < p.n_bufs; t++)
			CU_ASSERT_EQUAL(p.buf_elems[t], 4 * 4 * 8);
		mnet_mem_plan_fini(&p);
	}
	mnet_model_free(m);
}

/* A zeroed policy with the input reserved is mnet_mem_plan_init(). */
static void test_default_policy(void)
{
	const struct mnet_mem_plan_policy pol = { .reserve_input = 1 };
	struct mnet_model *m = residual_model();
	struct mnet_mem_plan a, b;
	int t;

	CU_ASSERT_FATAL(!mnet_mem_plan_init(m, NULL, 1, &a));
	CU_ASSERT_FATAL(!mnet_mem_plan_init_policy(m, &pol, &b));
	CU_ASSERT_EQUAL(a.n_bufs, b.n_bufs);
	for (t = 0; t < m->n_tensors; t++)
		CU_ASSERT_EQUAL(a.tensor_buf[t], b.tensor_buf[t]);
	/* the reshape aliases its input there */
	CU_ASSERT_EQUAL(a.tensor_buf[4], a.tensor_buf[3]);
	CU_ASSERT(a.tensor_buf[0] >= 0);
	mnet_mem_plan_fini(&b);
	mnet_mem_plan_fini(&a);
	mnet_model_free(m);
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "cpu rules: input apart, reshape copied, first fit",
		  test_cpu_policy },
		{ "default rules are mnet_mem_plan_init()",
		  test_default_policy },
		CU_TEST_INFO_NULL,
	};

	return mnet_test_run_suite("cpu_plan", tests);
}

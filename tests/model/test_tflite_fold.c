// SPDX-License-Identifier: Apache-2.0
/*
 * test_tflite_fold.c - the loader folds a Keras file's shape arithmetic
 *
 * TensorFlow writes Keras's final reshape as SHAPE -> STRIDED_SLICE ->
 * PACK -> RESHAPE (tflite_fold.c).  A file built in memory with exactly
 * that chain (input 1x1x2x3 reshaped to 1x6 by the computed shape) must
 * load as one reshape layer and compute the identity on ref and cpu; a
 * chain whose computed shape disagrees with the RESHAPE output, a slice
 * index out of range, and a SHAPE to int64 are refused naming the op.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/test_util.h"
#include "lib/tfl_builder.h"
#include "model/ir.h"

enum { N = 6 };

static const int32_t one[1] = { 1 };
static int32_t classes[1];

static void build(struct tm_model *tm, int32_t n_classes, int32_t begin,
		  uint8_t shape_type)
{
	static int32_t b[1];

	b[0] = begin;
	classes[0] = n_classes;
	memset(tm, 0, sizeof(*tm));
	tm->n_t = 9;
	tm->t[0] = (struct tm_tensor){ .name = "input", .rank = 4,
				       .dims = { 1, 1, 2, 3 } };
	tm->t[1] = (struct tm_tensor){ .name = "shape", .rank = 1,
				       .dims = { 4 }, .type = shape_type };
	tm->t[2] = (struct tm_tensor){ .name = "begin", .rank = 1,
				       .dims = { 1 }, .type = 2, .data = b,
				       .bytes = 4 };
	tm->t[3] = (struct tm_tensor){ .name = "end", .rank = 1,
				       .dims = { 1 }, .type = 2, .data = one,
				       .bytes = 4 };
	tm->t[4] = (struct tm_tensor){ .name = "strides", .rank = 1,
				       .dims = { 1 }, .type = 2, .data = one,
				       .bytes = 4 };
	tm->t[5] = (struct tm_tensor){ .name = "batch", .rank = 0,
				       .type = 2 };
	tm->t[6] = (struct tm_tensor){ .name = "classes", .rank = 0,
				       .type = 2, .data = classes,
				       .bytes = 4 };
	tm->t[7] = (struct tm_tensor){ .name = "new_shape", .rank = 1,
				       .dims = { 2 }, .type = 2 };
	tm->t[8] = (struct tm_tensor){ .name = "out", .rank = 2,
				       .dims = { 1, N } };
	tm->n_ops = 4;
	tm->ops[0] = (struct tm_op){ .code = 77, .n_in = 1, .in = { 0 },
				     .out = 1 };
	tm->ops[1] = (struct tm_op){
		.code = 45, .n_in = 4, .in = { 1, 2, 3, 4 }, .out = 5,
		.opt_type = 32, .n_opt = 1,
		.opt = { { 4, TFB_I32, 1, 0 } },	/* shrink_axis_mask */
	};
	tm->ops[2] = (struct tm_op){
		.code = 83, .n_in = 2, .in = { 5, 6 }, .out = 7,
		.opt_type = 59, .n_opt = 2,
		.opt = { { 0, TFB_I32, 2, 0 }, { 1, TFB_I32, 0, 0 } },
	};
	tm->ops[3] = (struct tm_op){ .code = 22, .n_in = 2, .in = { 0, 7 },
				     .out = 8 };
	tm->input = 0;
	tm->output = 8;
}

static int load(const struct tm_model *tm, struct mnet_model **m,
		struct mnet_err *err)
{
	size_t len;
	uint8_t *buf = tm_build(tm, &len);
	int ret;

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	ret = mnet_model_load_memory(buf, len, "fold.tflite", m, err);
	free(buf);
	return ret;
}

static void test_keras_reshape_chain(void)
{
	static const enum mnet_backend_kind bs[] = {
		MNET_BACKEND_REF, MNET_BACKEND_CPU,
	};
	float in[N] = { 1, -2, 3.5f, 0, 7, -0.25f }, out[N];
	struct mnet_session_opts o;
	struct mnet_err err = { 0 };
	struct mnet_session *s;
	struct mnet_model *m;
	struct tm_model tm;
	int b, ret;

	build(&tm, N, 0, 2);
	ret = load(&tm, &m, &err);
	if (ret)
		printf("\n  %s", err.msg);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	/* the three shape ops add no layer */
	CU_ASSERT_EQUAL(m->n_layers, 1);
	CU_ASSERT_EQUAL(m->layers[0].op, MNET_OP_RESHAPE);
	for (b = 0; b < 2; b++) {
		mnet_session_opts_init(&o);
		o.backend = bs[b];
		ret = mnet_session_create(m, &o, &s, &err);
		CU_ASSERT_EQUAL_FATAL(ret, 0);
		CU_ASSERT_EQUAL_FATAL(mnet_session_run(s, in, N), 0);
		CU_ASSERT_EQUAL(mnet_session_output_read(s, 0, out, N), 0);
		CU_ASSERT(!memcmp(in, out, sizeof(in)));
		mnet_session_destroy(s);
	}
	mnet_model_free(m);
}

static void expect_refused(int32_t n_classes, int32_t begin, uint8_t type,
			   const char *what)
{
	struct mnet_err err = { 0 };
	struct mnet_model *m = NULL;
	struct tm_model tm;
	int ret;

	build(&tm, n_classes, begin, type);
	ret = load(&tm, &m, &err);
	CU_ASSERT(ret == -EINVAL || ret == -EOPNOTSUPP);
	CU_ASSERT_PTR_NULL(m);
	if (!strstr(err.msg, what))
		printf("\n  got: %s", err.msg);
	CU_ASSERT(strstr(err.msg, "fold.tflite") != NULL);
	CU_ASSERT(strstr(err.msg, what) != NULL);
	mnet_model_free(m);
}

static void test_refused(void)
{
	/* PACK gives 1x5, the output is 1x6 */
	expect_refused(N - 1, 0, 2, "op 3 RESHAPE: new shape's dimension 1 is 5");
	/* shape[4] of a 4-vector */
	expect_refused(N, 4, 2, "op 1 STRIDED_SLICE: index 4 out of a vector of 4");
	/* shape[-1] is the channel count 3, not the batch: 3x6 != 1x6 */
	expect_refused(N, -1, 2, "op 3 RESHAPE");
	/* SHAPE to int64 */
	expect_refused(N, 0, 4, "op 0 SHAPE: output");
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "SHAPE, STRIDED_SLICE, PACK fold into RESHAPE",
		  test_keras_reshape_chain },
		{ "shape arithmetic that disagrees is refused", test_refused },
		CU_TEST_INFO_NULL,
	};

	return mnet_test_run_suite("tflite_fold", tests);
}

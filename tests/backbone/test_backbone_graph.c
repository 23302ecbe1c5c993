// SPDX-License-Identifier: Apache-2.0
/*
 * test_backbone_graph.c - the loader's graph ops on small built files
 *
 * A float file built in memory (tests/lib/tfl_builder.h): the input
 * read by three operands of one CONCATENATION (a tensor with several
 * consumers, an op with more than two inputs), then RESIZE_BILINEAR with
 * half_pixel_centers, on a 2x3 (non-square) input.  It must import as two
 * chained concat layers and one resize with the file's flag, and compute
 * on ref what the reference kernels compute by hand; a concatenation
 * along another axis and a resize whose size input disagrees with its
 * output are refused naming the op.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lib/opencl_test.h"
#include "lib/test_util.h"
#include "lib/tfl_builder.h"
#include "model/ir.h"
#include "ref/ref_kernels.h"

enum { IN_H = 2, IN_W = 3, OUT_H = 3, OUT_W = 5 };

static int have_cl;

/* input -> concat(input, input, input) -> resize -> output */
static void build(struct tm_model *tm, int axis, int32_t size_h)
{
	static int32_t sz[2];

	sz[0] = size_h;
	sz[1] = OUT_W;
	memset(tm, 0, sizeof(*tm));
	tm->n_t = 4;
	tm->t[0] = (struct tm_tensor){ .name = "input", .rank = 4,
				       .dims = { 1, IN_H, IN_W, 3 } };
	tm->t[1] = (struct tm_tensor){ .name = "cat", .rank = 4,
				       .dims = { 1, IN_H, IN_W, 9 } };
	tm->t[2] = (struct tm_tensor){ .name = "size", .rank = 1,
				       .dims = { 2 }, .type = 2, .data = sz,
				       .bytes = 8 };
	tm->t[3] = (struct tm_tensor){ .name = "out", .rank = 4,
				       .dims = { 1, OUT_H, OUT_W, 9 } };
	tm->n_ops = 2;
	tm->ops[0] = (struct tm_op){
		.code = 2, .n_in = 3, .in = { 0, 0, 0 }, .out = 1,
		.opt_type = 10, .n_opt = 1,
		.opt = { { 0, TFB_I32, axis, 0 } },
	};
	tm->ops[1] = (struct tm_op){
		.code = 23, .n_in = 2, .in = { 1, 2 }, .out = 3,
		.opt_type = 15, .n_opt = 1,
		.opt = { { 3, TFB_U8, 1, 0 } },	/* half_pixel_centers */
	};
	tm->input = 0;
	tm->output = 3;
}

static int load(const struct tm_model *tm, struct mnet_model **m,
		struct mnet_err *err)
{
	size_t len;
	uint8_t *buf = tm_build(tm, &len);
	int ret;

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	ret = mnet_model_load_memory(buf, len, "graph.tflite", m, err);
	free(buf);
	return ret;
}

static void test_concat_chain_resize(void)
{
	enum { N_IN = IN_H * IN_W * 3, N_OUT = OUT_H * OUT_W * 9 };
	float in[N_IN], want3[OUT_H * OUT_W * 3], got[N_OUT];
	struct mnet_session_opts opts;
	struct mnet_err err = { 0 };
	struct mnet_session *s;
	struct mnet_model *m;
	struct tm_model tm;
	int k, ret;

	build(&tm, 3, OUT_H);
	ret = load(&tm, &m, &err);
	if (ret)
		printf("\n  %s\n", err.msg);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	/* two concat layers (the first writes a 6-channel part), a resize */
	CU_ASSERT_EQUAL_FATAL(m->n_layers, 3);
	CU_ASSERT_EQUAL(m->layers[0].op, MNET_OP_CONCAT);
	CU_ASSERT_EQUAL(m->layers[0].in, m->input);
	CU_ASSERT_EQUAL(m->layers[0].in2, m->input);
	CU_ASSERT_EQUAL(m->layers[0].out_shape.c, 6);
	CU_ASSERT_EQUAL(m->layers[1].op, MNET_OP_CONCAT);
	CU_ASSERT_EQUAL(m->layers[1].in, m->layers[0].out);
	CU_ASSERT_EQUAL(m->layers[1].out_shape.c, 9);
	CU_ASSERT_EQUAL(m->layers[2].op, MNET_OP_RESIZE_BILINEAR);
	CU_ASSERT_EQUAL(m->layers[2].half_pixel, 1);
	CU_ASSERT_EQUAL(m->layers[2].align_corners, 0);
	CU_ASSERT_EQUAL(m->output, m->layers[2].out);

	mnet_session_opts_init(&opts);
	opts.backend = MNET_BACKEND_REF;
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(m, &opts, &s, &err), 0);
	mnet_test_fill_random(in, N_IN, 3, -1.0f, 1.0f);
	CU_ASSERT_EQUAL_FATAL(mnet_session_run(s, in, N_IN), 0);
	CU_ASSERT_EQUAL_FATAL(mnet_session_output_read(s, 0, got, N_OUT), 0);
	mnet_refk_resize_bilinear(IN_H, IN_W, 3, OUT_H, OUT_W, 0, 1, in,
				  want3);
	for (k = 0; k < N_OUT; k++) {
		int px = k / 9, ch = k % 9 % 3;

		CU_ASSERT(fabsf(got[k] - want3[px * 3 + ch]) < 1e-6f);
	}
	mnet_session_destroy(s);
	mnet_model_free(m);
}

/*
 * The same graph on OpenCL (kernels of cl_kernels/backbone.cl), fp32 and
 * fp16 storage, against ref: every layer must run on the device (ARG_MAX's
 * kernel runs in test_deeplab.c's OpenCL class map).
 */
static void test_opencl(void)
{
	enum { N_IN = IN_H * IN_W * 3, N_OUT = OUT_H * OUT_W * 9 };
	static const enum mnet_precision ps[] = {
		MNET_PRECISION_FP32, MNET_PRECISION_FP16_STORAGE,
	};
	float in[N_IN], want[N_OUT], got[N_OUT], emax = 0;
	struct mnet_session_opts opts;
	struct mnet_err err = { 0 };
	struct mnet_session *s, *r;
	struct mnet_layer_time lt[8];
	struct mnet_model *m;
	struct tm_model tm;
	size_t k;
	int p, i;

	if (!have_cl) {
		printf("\n  no OpenCL device: skipped");
		return;
	}
	build(&tm, 3, OUT_H);
	CU_ASSERT_EQUAL_FATAL(load(&tm, &m, &err), 0);
	mnet_session_opts_init(&opts);
	opts.backend = MNET_BACKEND_REF;
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(m, &opts, &r, &err), 0);
	mnet_test_fill_random(in, N_IN, 5, -1.0f, 1.0f);
	CU_ASSERT_EQUAL_FATAL(mnet_session_run(r, in, N_IN), 0);
	CU_ASSERT_EQUAL_FATAL(mnet_session_output_read(r, 0, want, N_OUT), 0);
	for (p = 0; p < 2; p++) {
		opts.backend = MNET_BACKEND_OPENCL;
		opts.precision = ps[p];
		if (mnet_session_create(m, &opts, &s, &err)) {
			printf("\n  opencl %d: %s", p, err.msg);
			CU_ASSERT(p == 1);	/* fp16 storage may be absent */
			continue;
		}
		CU_ASSERT_EQUAL_FATAL(mnet_session_run(s, in, N_IN), 0);
		CU_ASSERT_EQUAL_FATAL(mnet_session_output_read(s, 0, got, N_OUT),
				      0);
		for (k = 0; k < N_OUT; k++)
			if (fabsf(got[k] - want[k]) > emax)
				emax = fabsf(got[k] - want[k]);
		printf("\n  opencl %s: max |diff| %.3g",
		       p ? "fp16-storage" : "fp32", (double)emax);
		CU_ASSERT(emax <= (p ? 2e-3f : 1e-6f));
		CU_ASSERT_EQUAL(mnet_session_layer_times(s, lt), 0);
		for (i = 0; i < m->n_layers; i++)
			CU_ASSERT(strstr(lt[i].backend, "host") == NULL);
		mnet_session_destroy(s);
	}
	mnet_session_destroy(r);
	mnet_model_free(m);
}

static void test_refused(void)
{
	struct mnet_err err = { 0 };
	struct mnet_model *m = NULL;
	struct tm_model tm;

	build(&tm, 1, OUT_H);		/* along H */
	CU_ASSERT_EQUAL(load(&tm, &m, &err), -EOPNOTSUPP);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "CONCATENATION"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "axis 1"));
	CU_ASSERT_PTR_NULL(m);

	memset(&err, 0, sizeof(err));
	build(&tm, -1, OUT_H + 1);	/* size says 4 rows, the output 3 */
	CU_ASSERT_EQUAL(load(&tm, &m, &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "RESIZE_BILINEAR"));
	CU_ASSERT_PTR_NULL(m);
}

static const CU_TestInfo tests[] = {
	{ "CONCATENATION of 3 then RESIZE_BILINEAR (half pixel), 2x3 input",
	  test_concat_chain_resize },
	{ "the same on OpenCL (fp32, fp16 storage), on the device",
	  test_opencl },
	{ "a concat along H, a resize of the wrong size: refused",
	  test_refused },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	char cache[64];
	int ret;

	have_cl = cl_test_have_device("test_backbone_graph", "opencl left out",
				      cache, sizeof(cache));
	ret = mnet_test_run_suite("backbone graph import", tests);
	if (have_cl)
		cl_test_remove_dir(cache);
	return ret;
}

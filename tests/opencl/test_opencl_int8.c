// SPDX-License-Identifier: Apache-2.0
/*
 * test_opencl_int8.c - the OpenCL backend's int8 mode against the integer
 * reference, byte for byte
 *
 * Every output of an opencl int8 session must be the very floats of the
 * ref int8 session (memcmp): both dequantize the same 8-bit output, so
 * any difference is a different byte.  Per op: awkward shapes (channel
 * counts not multiples of 4 or 16, odd sizes, stride 2, SAME and VALID
 * padding, 5x5 and 3x3 windows) built through the per-op harness's IR
 * model (tests/lib/op_test.c) and quantized here, each in two flavours:
 * uint8 per-tensor weights with a weight zero point, and int8
 * per-channel weights with negative activation zero points; each
 * convolution, FC and ADD must run on the device; so must average pools
 * and MEAN, while softmax runs on the host fallback.  Whole models: every
 * shared quantized classifier present on the first $MNET_INT8_IMAGES
 * photos (default 2; 0 skips them, as the Oclgrind stage does).  The host fallback: with every program build
 * failing (MNET_CL_FAULT=build:1+) every layer runs on the host and the
 * bytes still match; a failing launch is -EIO from the run, and the next
 * run works; no failure path leaks an OpenCL object.  The tuner's entries (tuner_q8.c) configure a session that
 * still gives the reference's bytes.  Without an OpenCL device it exits 77 (skipped).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/test_util.h"
#include "lib/opencl_test.h"
#include "lib/op_test.h"

#ifdef MNET_HAVE_OPENCL
#include "cl/cl_fault.h"
#include "tune/tune_db.h"
#include "tune/tuner_q8.h"

static char cache_dir[256];
static unsigned int rng = 12345;

static int rnd_in(int lo, int hi)
{
	rng = rng * 1103515245u + 12345u;
	return lo + (int)((rng >> 8) % (unsigned int)(hi - lo + 1));
}

static float rnd_scale(float lo, float hi)
{
	return lo + (hi - lo) * (float)rnd_in(0, 1000) / 1000.0f;
}

/*
 * Give the float IR model of a case a quantized file's parameters:
 * @flavour 0: uint8 activations, uint8 per-tensor weights with a zero
 * point; 1: int8 activations (zero points negative), int8 per-channel
 * symmetric weights.
 */
static int quantize_model(struct mnet_model *m, int flavour)
{
	enum mnet_qtype t = flavour ? MNET_QTYPE_INT8 : MNET_QTYPE_UINT8;
	int i;

	for (i = 0; i < m->n_tensors; i++) {
		m->tensors[i].q.type = t;
		m->tensors[i].q.scale = rnd_scale(0.01f, 0.1f);
		m->tensors[i].q.zero_point = flavour ? rnd_in(-128, -1) :
						       rnd_in(0, 255);
	}
	for (i = 0; i < m->n_layers; i++) {
		struct mnet_layer *l = &m->layers[i];
		struct mnet_layer_q *q;
		int c, n = l->out_shape.c;
		size_t k;

		/* what TFLite requires of these ops: unchanged encodings */
		if ((l->op == MNET_OP_AVGPOOL && !l->mean) ||
		    l->op == MNET_OP_RESHAPE)
			m->tensors[l->out].q = m->tensors[l->in].q;
		if (l->op == MNET_OP_SOFTMAX) {
			m->tensors[l->out].q.scale = 1.0f / 256;
			m->tensors[l->out].q.zero_point = flavour ? -128 : 0;
		}
		if (!l->n_weights)
			continue;
		q = calloc(1, sizeof(*q));
		if (!q)
			return -ENOMEM;
		l->q = q;
		q->w_type = t;
		q->n_w_scale = flavour ? n : 1;
		q->w_zero_point = flavour ? 0 : rnd_in(100, 150);
		q->weights = malloc(l->n_weights);
		q->w_scale = malloc((size_t)q->n_w_scale * sizeof(float));
		q->bias = malloc((size_t)n * sizeof(int32_t));
		if (!q->weights || !q->w_scale || !q->bias)
			return -ENOMEM;
		for (k = 0; k < l->n_weights; k++)
			((uint8_t *)q->weights)[k] = (uint8_t)rnd_in(0, 255);
		for (c = 0; c < q->n_w_scale; c++)
			q->w_scale[c] = rnd_scale(0.002f, 0.02f);
		for (c = 0; c < n; c++)
			q->bias[c] = rnd_in(-3000, 3000);
	}
	m->input_q = m->tensors[m->input].q;
	m->output_q = m->tensors[m->output].q;
	return 0;
}

static const char *tuning_db;	/* the opencl sessions' database */
static int tuned_layers;	/* layers the last opencl run said were tuned */

/* run @x through ref int8 and opencl int8; 0 when the bytes agree */
static int compare(const struct mnet_model *m, const float *x, size_t n,
		   const char *what, int want_device)
{
	struct mnet_session_opts o;
	struct mnet_session *ref = NULL, *cl = NULL;
	struct mnet_err err = { 0 };
	struct mnet_startup su;
	const float *a, *b;
	size_t na, nb;
	int ret = 1;

	mnet_session_opts_init(&o);
	o.precision = MNET_PRECISION_INT8;
	o.backend = MNET_BACKEND_REF;
	if (mnet_session_create(m, &o, &ref, &err)) {
		printf("\n  %s: ref int8: %s", what, err.msg);
		return 1;
	}
	o.backend = MNET_BACKEND_OPENCL;
	o.tuning_db = tuning_db;
	if (mnet_session_create(m, &o, &cl, &err)) {
		printf("\n  %s: opencl int8: %s", what, err.msg);
		goto out;
	}
	mnet_session_startup(cl, &su);
	if (want_device && su.host_layers) {
		printf("\n  %s: %d layers on the host (%s)", what,
		       su.host_layers, err.msg);
		goto out;
	}
	if (mnet_session_run(ref, x, n) || mnet_session_run(cl, x, n)) {
		printf("\n  %s: run failed", what);
		goto out;
	}
	a = mnet_session_output(ref, &na);
	b = mnet_session_output(cl, &nb);
	{
		int k, nt = m->n_layers;
		struct mnet_layer_time *t = calloc((size_t)nt, sizeof(*t));

		tuned_layers = 0;
		for (k = 0; t && !mnet_session_layer_times(cl, t) && k < nt;
		     k++)
			tuned_layers += t[k].config &&
					!strcmp(t[k].config, "tuned");
		free(t);
	}
	ret = na != nb || memcmp(a, b, na * sizeof(float));
	if (ret)
		printf("\n  %s: opencl int8 differs from ref int8", what);
out:
	mnet_session_destroy(cl);
	mnet_session_destroy(ref);
	return ret;
}

/* an input on the input tensor's grid: every byte value reachable */
static float *grid_input(const struct mnet_model *m, size_t *n)
{
	const struct mnet_quant *q = &m->input_q;
	int lo = q->type == MNET_QTYPE_INT8 ? -128 : 0;
	size_t i;
	float *x;

	*n = mnet_shape_elems(m->tensors[m->input].shape);
	x = malloc(*n * sizeof(*x));
	for (i = 0; x && i < *n; i++)
		x[i] = q->scale * (float)(rnd_in(lo, lo + 255) - q->zero_point);
	return x;
}

#define SH(h, w, c) { h, w, c }
#define CASE(n, o, i, co, kk, st, pd, a) { .name = n, .op = o, .in = i, \
	.cout = co, .k = kk, .stride = st, .pad = pd, .act = a }

static const struct mnet_op_case cases[] = {
	CASE("conv 3x3/2 SAME 3->8, 17x15 (the first layer)", MNET_OP_CONV2D,
	     SH(17, 15, 3), 8, 3, 2, MNET_OP_PAD_SAME, MNET_ACT_RELU6),
	CASE("conv 3x3/2 SAME 3->32, 16x16", MNET_OP_CONV2D,
	     SH(16, 16, 3), 32, 3, 2, MNET_OP_PAD_SAME, MNET_ACT_RELU6),
	CASE("conv 5x5/1 VALID 5->7", MNET_OP_CONV2D,
	     SH(9, 11, 5), 7, 5, 1, MNET_OP_PAD_VALID, MNET_ACT_NONE),
	CASE("conv 1x1/2 6->5", MNET_OP_CONV2D,
	     SH(7, 7, 6), 5, 1, 2, MNET_OP_PAD_SAME, MNET_ACT_RELU),
	CASE("dw 3x3/1 SAME c=13, 9x7", MNET_OP_DWCONV2D,
	     SH(9, 7, 13), 0, 3, 1, MNET_OP_PAD_SAME, MNET_ACT_RELU6),
	CASE("dw 3x3/2 SAME c=18, 10x11", MNET_OP_DWCONV2D,
	     SH(10, 11, 18), 0, 3, 2, MNET_OP_PAD_SAME, MNET_ACT_RELU6),
	CASE("dw 3x3/2 VALID c=7, 9x9", MNET_OP_DWCONV2D,
	     SH(9, 9, 7), 0, 3, 2, MNET_OP_PAD_VALID, MNET_ACT_NONE),
	CASE("dw 5x5/1 SAME c=5", MNET_OP_DWCONV2D,
	     SH(8, 6, 5), 0, 5, 1, MNET_OP_PAD_SAME, MNET_ACT_RELU),
	CASE("pw 1x1 17->19, 5x3", MNET_OP_PWCONV2D,
	     SH(5, 3, 17), 19, 1, 1, MNET_OP_PAD_SAME, MNET_ACT_RELU6),
	CASE("pw 1x1 64->33, 4x4", MNET_OP_PWCONV2D,
	     SH(4, 4, 64), 33, 1, 1, MNET_OP_PAD_SAME, MNET_ACT_NONE),
	CASE("pw 1x1 3->1", MNET_OP_PWCONV2D,
	     SH(3, 3, 3), 1, 1, 1, MNET_OP_PAD_SAME, MNET_ACT_NONE),
	CASE("fc 1x1x37 -> 11", MNET_OP_FC,
	     SH(1, 1, 37), 11, 0, 0, MNET_OP_PAD_SAME, MNET_ACT_NONE),
	CASE("fc 1x1x300 -> 1001", MNET_OP_FC,
	     SH(1, 1, 300), 1001, 0, 0, MNET_OP_PAD_SAME, MNET_ACT_NONE),
	CASE("add 7x5x9, relu6", MNET_OP_ADD,
	     SH(7, 5, 9), 0, 0, 0, MNET_OP_PAD_SAME, MNET_ACT_RELU6),
	{ .name = "add 4x4x24 residual", .op = MNET_OP_ADD,
	  .in = SH(4, 4, 24), .residual = 1 },
};

static void test_ops(void)
{
	unsigned int i;
	int f, bad = 0, runs = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (f = 0; f < 2; f++) {
			struct mnet_model *m = mnet_op_test_model(&cases[i],
								  100 + i);
			char what[160];
			float *x;
			size_t n;

			CU_ASSERT_PTR_NOT_NULL_FATAL(m);
			CU_ASSERT_EQUAL_FATAL(quantize_model(m, f), 0);
			x = grid_input(m, &n);
			CU_ASSERT_PTR_NOT_NULL_FATAL(x);
			snprintf(what, sizeof(what), "%s, %s", cases[i].name,
				 f ? "int8 per-channel" : "uint8 per-tensor");
			bad += compare(m, x, n, what, 1);
			runs++;
			free(x);
			mnet_model_free(m);
		}
	}
	printf("\n  %d op cases, %d differ ", runs, bad);
	CU_ASSERT_EQUAL(bad, 0);
}

/*
 * AVGPOOL and MEAN on the device (q8_pool), SOFTMAX (no device kernel)
 * through the host fallback of an int8 session.  MEAN: int8 only, as
 * TFLite's uint8 MEAN is not supported by the reference.
 */
static void test_pool_softmax(void)
{
	static const struct {
		struct mnet_op_case c;
		int mean, int8_only, device;
	} t[] = {
		{ CASE("avgpool 3x3/2 SAME c=10", MNET_OP_AVGPOOL,
		       SH(9, 9, 10), 0, 3, 2, MNET_OP_PAD_SAME,
		       MNET_ACT_NONE), 0, 0, 1 },
		{ CASE("avgpool 2x2/2 VALID c=5", MNET_OP_AVGPOOL,
		       SH(7, 6, 5), 0, 2, 2, MNET_OP_PAD_VALID,
		       MNET_ACT_NONE), 0, 0, 1 },
		{ CASE("global avgpool 7x5x21", MNET_OP_AVGPOOL, SH(7, 5, 21),
		       0, 0, 0, MNET_OP_PAD_VALID, MNET_ACT_NONE), 0, 0, 1 },
		{ CASE("MEAN 7x5x21", MNET_OP_AVGPOOL, SH(7, 5, 21), 0, 0, 0,
		       MNET_OP_PAD_VALID, MNET_ACT_NONE), 1, 1, 1 },
		{ CASE("softmax 1x1x37 (host)", MNET_OP_SOFTMAX, SH(1, 1, 37),
		       0, 0, 0, MNET_OP_PAD_SAME, MNET_ACT_NONE), 0, 0, 0 },
	};
	unsigned int i;
	int f, bad = 0;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		for (f = t[i].int8_only; f < 2; f++) {
			struct mnet_model *m = mnet_op_test_model(&t[i].c,
								  7 + i);
			char what[160];
			float *x;
			size_t n;
			int k;

			CU_ASSERT_PTR_NOT_NULL_FATAL(m);
			for (k = 0; k < m->n_layers; k++)
				if (m->layers[k].op == MNET_OP_AVGPOOL)
					m->layers[k].mean = t[i].mean;
			CU_ASSERT_EQUAL_FATAL(quantize_model(m, f), 0);
			x = grid_input(m, &n);
			CU_ASSERT_PTR_NOT_NULL_FATAL(x);
			snprintf(what, sizeof(what), "%s, %s", t[i].c.name,
				 f ? "int8" : "uint8");
			bad += compare(m, x, n, what, t[i].device);
			free(x);
			mnet_model_free(m);
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
}

static const char *const models[] = {
	"mobilenet_v1_0.25_128_quant",
	"mobilenet_v1_0.5_160_quant",
	"mobilenet_v1_0.75_192_quant",
	"mobilenet_v2_1.0_224_quant",
	"tf2_mobilenet_v2_1.0_224_ptq",
};

static int n_images(void)
{
	const char *e = getenv("MNET_INT8_IMAGES");

	if (e && !strcmp(e, "0"))
		return 0;	/* the models skipped (tools/ci/oclgrind.sh) */
	return e && atoi(e) > 0 ? atoi(e) : 2;
}

/* the first @want photo names of images/imagenet, sorted */
static int list_photos(char names[][256], int want)
{
	DIR *d = opendir(mnet_test_shared_path("images/imagenet"));
	struct dirent *e;
	int n = 0, i, j;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char tmp[256];

		if (!strstr(e->d_name, ".JPEG"))
			continue;
		snprintf(tmp, sizeof(tmp), "%s", e->d_name);
		for (i = 0; i < n && strcmp(names[i], tmp) < 0; i++)
			;
		if (i >= want)
			continue;
		for (j = (n < want ? n : want - 1); j > i; j--)
			memcpy(names[j], names[j - 1], 256);
		memcpy(names[i], tmp, 256);
		if (n < want)
			n++;
	}
	closedir(d);
	return n;
}

static void test_models(void)
{
	char photos[16][256];
	int want = n_images() > 16 ? 16 : n_images();
	int np = want ? list_photos(photos, want) : 0;
	unsigned int i;
	int p, ran = 0;

	for (i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		struct mnet_model *m = NULL;
		struct mnet_err err;
		char rel[256];

		snprintf(rel, sizeof(rel), "models/%s.tflite", models[i]);
		if (!mnet_test_have_file(rel)) {
			printf("\n  %s: absent, skipped", models[i]);
			continue;
		}
		CU_ASSERT_EQUAL_FATAL(mnet_model_load_file(mnet_test_shared_path(rel),
							   &m, &err), 0);
		for (p = 0; p < np; p++) {
			size_t n = mnet_shape_elems(m->tensors[m->input].shape);
			float *x = malloc(n * sizeof(*x));
			struct mnet_image *img = NULL;
			char what[600];

			CU_ASSERT_PTR_NOT_NULL_FATAL(x);
			snprintf(rel, sizeof(rel), "images/imagenet/%.200s",
				 photos[p]);
			CU_ASSERT_EQUAL_FATAL(mnet_image_load(mnet_test_shared_path(rel),
							      &img, &err), 0);
			CU_ASSERT_EQUAL(mnet_image_preprocess(img, m, 0.875f, x,
							      n), 0);
			mnet_image_free(img);
			snprintf(what, sizeof(what), "%s on %.200s", models[i],
				 photos[p]);
			CU_ASSERT_EQUAL(compare(m, x, n, what, 0), 0);
			ran++;
			free(x);
		}
		mnet_model_free(m);
	}
	printf("\n  %d model/photo pairs ", ran);
}

/* every build failing: every layer on the host, the same bytes */
static void test_fallback_and_errors(void)
{
	static const struct mnet_op_case c =
		CASE("pw 1x1 17->19", MNET_OP_PWCONV2D, SH(5, 3, 17), 19, 1, 1,
		     MNET_OP_PAD_SAME, MNET_ACT_RELU6);
	struct mnet_model *m = mnet_op_test_model(&c, 3);
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_err err = { 0 };
	struct mnet_startup su;
	long live[MNET_CL_OBJ_KINDS];
	float *x;
	size_t n;
	int k;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL_FATAL(quantize_model(m, 1), 0);
	x = grid_input(m, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	for (k = 0; k < MNET_CL_OBJ_KINDS; k++)
		live[k] = mnet_cl_objects_live((enum mnet_cl_object)k);

	CU_ASSERT_EQUAL(mnet_cl_fault_set("build:1+"), 0);
	CU_ASSERT_EQUAL(compare(m, x, n, "every build failing", 0), 0);

	/* a launch that fails: -EIO from the run, then a working run */
	CU_ASSERT_EQUAL(mnet_cl_fault_set(NULL), 0);
	mnet_session_opts_init(&o);
	o.precision = MNET_PRECISION_INT8;
	o.backend = MNET_BACKEND_OPENCL;
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(m, &o, &s, &err), 0);
	mnet_session_startup(s, &su);
	CU_ASSERT_EQUAL(su.host_layers, 0);
	CU_ASSERT_EQUAL(mnet_cl_fault_set("enqueue:1"), 0);
	CU_ASSERT_NOT_EQUAL(mnet_session_run(s, x, n), 0);
	CU_ASSERT_EQUAL(mnet_session_run(s, x, n), 0);
	CU_ASSERT_EQUAL(mnet_cl_fault_set("read:1+"), 0);
	CU_ASSERT_NOT_EQUAL(mnet_session_run(s, x, n), 0);
	CU_ASSERT_EQUAL(mnet_cl_fault_set(NULL), 0);
	CU_ASSERT_EQUAL(mnet_session_run(s, x, n), 0);
	mnet_session_destroy(s);

	/* a failing buffer at set-up: an error naming the call */
	CU_ASSERT_EQUAL(mnet_cl_fault_set("create_buffer:2"), 0);
	s = NULL;
	CU_ASSERT_NOT_EQUAL(mnet_session_create(m, &o, &s, &err), 0);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT(strstr(err.msg, "clCreateBuffer") != NULL);
	CU_ASSERT_EQUAL(mnet_cl_fault_set(NULL), 0);
	/* each set-up call failing in turn: an error or a working session */
	{
		static const char *const specs[] = {
			"create_buffer:1", "create_buffer:3", "create_buffer:5",
			"create_buffer:7", "kernel:1", "program:1", "context:1",
			"write:1", "enqueue:2", "read:1",
		};
		unsigned int f;

		for (f = 0; f < sizeof(specs) / sizeof(specs[0]); f++) {
			struct mnet_err e2 = { 0 };

			s = NULL;
			CU_ASSERT_EQUAL(mnet_cl_fault_set(specs[f]), 0);
			if (!mnet_session_create(m, &o, &s, &e2)) {
				/* a working session, or a failed run */
				(void)mnet_session_run(s, x, n);
				CU_ASSERT_EQUAL(mnet_cl_fault_set(NULL), 0);
				CU_ASSERT_EQUAL(mnet_session_run(s, x, n), 0);
				mnet_session_destroy(s);
			} else {
				CU_ASSERT(e2.msg[0] != '\0');
			}
			CU_ASSERT_EQUAL(mnet_cl_fault_set(NULL), 0);
		}
	}
	/* every failure path released what it had made */
	for (k = 0; k < MNET_CL_OBJ_KINDS; k++) {
		if (mnet_cl_objects_live((enum mnet_cl_object)k) != live[k])
			printf("\n  object kind %d: %ld live, %ld before", k,
			       mnet_cl_objects_live((enum mnet_cl_object)k),
			       live[k]);
		CU_ASSERT_EQUAL(mnet_cl_objects_live((enum mnet_cl_object)k),
				live[k]);
	}
	free(x);
	mnet_model_free(m);
}

/*
 * The int8 tuner: its database entries (keys ending "|int8") configure
 * the next session, whose bytes stay the reference's.
 */
static void test_tuner(void)
{
	static const struct mnet_op_case c =
		CASE("dw 3x3/2 SAME c=18", MNET_OP_DWCONV2D, SH(20, 22, 18), 0,
		     3, 2, MNET_OP_PAD_SAME, MNET_ACT_RELU6);
	struct mnet_model *m = mnet_op_test_model(&c, 11);
	struct mnet_tuner_opts o = { .precision = MNET_PRECISION_INT8 };
	struct mnet_tune_result r;
	struct mnet_err err = { 0 };
	char path[300];
	float *x;
	size_t n;
	int ret;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL_FATAL(quantize_model(m, 1), 0);
	x = grid_input(m, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	snprintf(path, sizeof(path), "%s/tuning-int8.db", cache_dir);
	o.db_path = path;
	ret = mnet_tuner_q8_run(m, &o, &r, &err);
	if (ret)
		printf("\n  %s", err.msg);
	CU_ASSERT_EQUAL(ret, 0);
	CU_ASSERT(r.n_layers >= 1);	/* the dw (and a 1x1 in front, if any) */
	CU_ASSERT_EQUAL(r.rejected_wrong, 0);
	CU_ASSERT_STRING_EQUAL(r.precision, "int8");
	mnet_tune_result_fini(&r);
	{
		unsigned char *db = mnet_test_read_file(path, &n);

		CU_ASSERT_PTR_NOT_NULL_FATAL(db);
		CU_ASSERT(strstr((char *)db, "q8_dwconv.cl:") != NULL);
		CU_ASSERT(strstr((char *)db, "|int8\t") != NULL);
		free(db);
	}
	n = mnet_shape_elems(m->tensors[m->input].shape);
	tuning_db = path;
	CU_ASSERT_EQUAL(compare(m, x, n, "tuned", 1), 0);
	printf("\n  %d layers tuned ", tuned_layers);
	/* whatever the search chose: a forced 4x4 work-group is used */
	{
		struct mnet_tune_db db;
		char forced[320];
		int k;

		mnet_tune_db_init(&db);
		CU_ASSERT_EQUAL_FATAL(mnet_tune_db_load(&db, path, NULL), 0);
		for (k = 0; k < db.n; k++) {
			db.e[k].flag = MNET_TUNE_OK;
			snprintf(db.e[k].cfg, sizeof(db.e[k].cfg),
				 "k vw=4 ppt=1 wg=4x4x1");
		}
		snprintf(forced, sizeof(forced), "%s/forced-int8.db", cache_dir);
		CU_ASSERT_EQUAL(mnet_tune_db_save(forced, &db, NULL), 0);
		mnet_tune_db_fini(&db);
		tuning_db = forced;
		CU_ASSERT_EQUAL(compare(m, x, n, "forced 4x4", 1), 0);
		CU_ASSERT(tuned_layers >= 1);
	}
	tuning_db = NULL;
	free(x);
	mnet_model_free(m);
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "opencl int8 == ref int8 per op, awkward shapes", test_ops },
		{ "avgpool, MEAN on the device, softmax on the host == ref int8",
		  test_pool_softmax },
		{ "opencl int8 == ref int8 on the shared classifiers",
		  test_models },
		{ "host fallback and OpenCL errors", test_fallback_and_errors },
		{ "int8 tuner: keyed int8, same bytes when tuned", test_tuner },
		CU_TEST_INFO_NULL,
	};
	int ret;

	cl_test_require_device("opencl_int8", cache_dir, sizeof(cache_dir));
	ret = mnet_test_run_suite("opencl_int8", tests);
	cl_test_remove_dir(cache_dir);
	return ret;
}
#else
int main(void)
{
	printf("opencl_int8: skipped: built without OpenCL\n");
	return 77;
}
#endif

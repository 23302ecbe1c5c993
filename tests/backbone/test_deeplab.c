// SPDX-License-Identifier: Apache-2.0
/*
 * test_deeplab.c - DeepLabV3 (MobileNetV2 0.5 and 1.0) end to end on the
 * ref backend in fp32, and the output API on it
 *
 * The shared deeplabv3_mnv2_dm05_pascal_quant.tflite loads (dilated
 * depthwise convolutions, the ASPP's average pool, bilinear resizes, a
 * concatenation of two branches, ARG_MAX), describes its one output as a
 * 513x513 int64 class map, and segments bird_segmentation.bmp (fed as it
 * is: 513x513, no crop) against the ground truth of
 * bird_segmentation_mask.bmp (each pixel its Pascal class index: 0
 * background, 3 bird) at least as well as TFLite does (the constants),
 * so a regression in any op shows.  OpenCL (resize, concat and arg-max
 * on the device, the dilated depthwise on the host) and cpu fp32 (its own kernels for them) give the same map on 99.9% of
 * the pixels.  int8: test_deeplab_int8.c.
 *
 * The 1.0 file runs too (about 2 s on ref here, dm05 0.7 s).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/image.h"
#include "lib/opencl_test.h"
#include "lib/test_util.h"

#define MODEL "models/deeplabv3_mnv2_dm05_pascal_quant.tflite"
#define MODEL_FULL "models/deeplabv3_mnv2_pascal_quant.tflite"
#define IMAGE "images/bird_segmentation.bmp"
#define MASK "images/bird_segmentation_mask.bmp"
#define SIDE 513
#define BIRD 3

/*
 * Measured on ref fp32: dm05 pixel accuracy 0.96839, bird IoU 0.85755;
 * the 1.0 file 0.97815 / 0.90299.  The floors are TFLite's own on these
 * files and this photo (ai-edge-litert's reference kernels, issue 15:
 * 0.964 / 0.837 and 0.978 / 0.903, given to three digits), less half a
 * unit of their last digit: ours must round to at least theirs.
 */
static const struct seg_case {
	const char *model;
	double min_acc, min_iou;
} seg_cases[] = {
	{ MODEL, 0.9635, 0.8365 },
	{ MODEL_FULL, 0.9775, 0.9025 },
};

static struct mnet_model *model;

static void load(void)
{
	struct mnet_err err = { 0 };
	int ret;

	if (model)
		return;
	ret = mnet_model_load_file(mnet_test_shared_path(MODEL), &model, &err);
	if (ret)
		printf("\n  %s\n", err.msg);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
}

static void test_output_info(void)
{
	struct mnet_output_info o;
	struct mnet_shape in;

	load();
	in = mnet_model_input_shape(model);
	CU_ASSERT_EQUAL(in.h, SIDE);
	CU_ASSERT_EQUAL(in.w, SIDE);
	CU_ASSERT_EQUAL(mnet_model_output_count(model), 1);
	CU_ASSERT_EQUAL_FATAL(mnet_model_output_info(model, 0, &o), 0);
	CU_ASSERT_EQUAL(o.shape.h, SIDE);
	CU_ASSERT_EQUAL(o.shape.w, SIDE);
	CU_ASSERT_EQUAL(o.shape.c, 1);
	CU_ASSERT_EQUAL(o.type, MNET_DTYPE_INT64);
	CU_ASSERT_EQUAL(o.kind, MNET_OUTPUT_CLASS_MAP);
	CU_ASSERT_EQUAL(o.scale, 0.0f);
	CU_ASSERT_PTR_NOT_NULL(o.name);
	CU_ASSERT_STRING_EQUAL(o.name, "ArgMax");
	CU_ASSERT_EQUAL(mnet_model_output_size(model), (size_t)SIDE * SIDE);
	CU_ASSERT_EQUAL(mnet_model_output_info(model, 1, &o), -EINVAL);
	CU_ASSERT_EQUAL(mnet_model_output_info(model, -1, &o), -EINVAL);
	CU_ASSERT_EQUAL(mnet_model_output_info(model, 0, NULL), -EINVAL);
}

static void segment(const struct seg_case *c)
{
	size_t n = (size_t)SIDE * SIDE, k, same = 0, inter = 0, uni = 0;
	struct mnet_session_opts opts;
	struct mnet_err err = { 0 };
	struct mnet_image *img, *mask;
	struct mnet_model *m;
	struct mnet_session *s;
	const uint8_t *truth;
	float *cls;
	int64_t *raw;
	int ret, w, h;
	double acc, iou;

	ret = mnet_model_load_file(mnet_test_shared_path(c->model), &m, &err);
	if (ret)
		printf("\n  %s\n", err.msg);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	mnet_session_opts_init(&opts);
	opts.backend = MNET_BACKEND_REF;
	opts.precision = MNET_PRECISION_FP32;
	ret = mnet_session_create(m, &opts, &s, &err);
	if (ret)
		printf("\n  %s\n", err.msg);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	CU_ASSERT_EQUAL_FATAL(mnet_image_load(mnet_test_shared_path(IMAGE),
					      &img, &err), 0);
	CU_ASSERT_EQUAL_FATAL(mnet_image_load(mnet_test_shared_path(MASK),
					      &mask, &err), 0);
	mnet_image_size(mask, &w, &h);
	CU_ASSERT_FATAL(w == SIDE && h == SIDE);
	cls = malloc(n * sizeof(*cls));
	raw = malloc(n * sizeof(*raw));
	CU_ASSERT_FATAL(cls && raw);
	CU_ASSERT_EQUAL(mnet_session_output_read(s, 0, cls, n), -ENODATA);

	/* 513x513 is the input size: crop 1 feeds the photo as it is */
	CU_ASSERT_EQUAL_FATAL(mnet_session_run_image(s, img, 1.0f), 0);
	CU_ASSERT_EQUAL(mnet_session_output_read(s, 0, cls, n - 1), -EINVAL);
	CU_ASSERT_EQUAL(mnet_session_output_read(s, 1, cls, n), -EINVAL);
	CU_ASSERT_EQUAL_FATAL(mnet_session_output_read(s, 0, cls, n), 0);
	CU_ASSERT_EQUAL(mnet_session_output_read_raw(s, 0, raw,
						     n * sizeof(*raw) - 1),
			-EINVAL);
	CU_ASSERT_EQUAL_FATAL(mnet_session_output_read_raw(s, 0, raw,
							   n * sizeof(*raw)),
			      0);

	/* the mask decodes to gray RGB: R is the class index */
	truth = mask->rgb;
	for (k = 0; k < n; k++) {
		int t = truth[3 * k], p = (int)cls[k];

		CU_ASSERT_FATAL(cls[k] >= 0.0f && cls[k] <= 20.0f &&
				cls[k] == (float)p);
		if (raw[k] != p)
			CU_FAIL("raw int64 differs from the float class");
		same += p == t;
		inter += p == BIRD && t == BIRD;
		uni += p == BIRD || t == BIRD;
	}
	acc = (double)same / (double)n;
	iou = uni ? (double)inter / (double)uni : 0.0;
	printf("\n  %s on ref fp32: pixel accuracy %.5f, bird IoU %.5f ",
	       mnet_model_name(m), acc, iou);
	CU_ASSERT(acc >= c->min_acc);
	CU_ASSERT(iou >= c->min_iou);

	free(raw);
	free(cls);
	mnet_image_free(mask);
	mnet_image_free(img);
	mnet_session_destroy(s);
	mnet_model_free(m);
}

static void test_segment_dm05(void)
{
	segment(&seg_cases[0]);
}

static void test_segment_full(void)
{
	if (!mnet_test_have_file(MODEL_FULL)) {
		printf("\n  %s missing: not run ", MODEL_FULL);
		return;
	}
	segment(&seg_cases[1]);
}

/* The class map of bird_segmentation.bmp on one backend, or -errno. */
static int class_map(const struct mnet_model *m, enum mnet_backend_kind be,
		     float *cls, size_t n)
{
	struct mnet_session_opts opts;
	struct mnet_err err = { 0 };
	struct mnet_session *s;
	struct mnet_image *img;
	int ret;

	mnet_session_opts_init(&opts);
	opts.backend = be;
	opts.precision = MNET_PRECISION_FP32;
	ret = mnet_session_create(m, &opts, &s, &err);
	if (ret) {
		printf("\n  %s ", err.msg);
		return ret;
	}
	ret = mnet_image_load(mnet_test_shared_path(IMAGE), &img, &err);
	if (!ret) {
		ret = mnet_session_run_image(s, img, 1.0f);
		if (!ret)
			ret = mnet_session_output_read(s, 0, cls, n);
		mnet_image_free(img);
	}
	mnet_session_destroy(s);
	return ret;
}

/*
 * OpenCL runs resize, concat and arg-max on cl_kernels/backbone.cl and
 * the dilated depthwise layers on the host; its float kernels differ from
 * ref's in rounding, so the maps may differ on a few boundary pixels: at
 * most 0.1% (issue 15).
 */
static void test_opencl_agrees(void)
{
	size_t n = (size_t)SIDE * SIDE, k, same = 0;
	char dir[64];
	float *a, *b;

	load();
	if (!cl_test_have_device("test_deeplab", "opencl not compared", dir,
				 sizeof(dir)))
		return;
	a = malloc(n * sizeof(*a));
	b = malloc(n * sizeof(*b));
	CU_ASSERT_FATAL(a && b);
	CU_ASSERT_EQUAL_FATAL(class_map(model, MNET_BACKEND_REF, a, n), 0);
	CU_ASSERT_EQUAL_FATAL(class_map(model, MNET_BACKEND_OPENCL, b, n), 0);
	for (k = 0; k < n; k++)
		same += a[k] == b[k];
	printf("\n  opencl fp32 vs ref: %zu of %zu pixels the same ", same, n);
	CU_ASSERT((double)same >= 0.999 * (double)n);
	free(b);
	free(a);
	cl_test_remove_dir(dir);
}

/*
 * The cpu backend's float path (its own dilated depthwise over sub-grids,
 * resize, concatenation and arg-max; the convolutions' SIMD rounding
 * differs from ref's) gives ref's map on at least 99.9% of the pixels, at
 * 1 and 2 threads, on both files; with release_weights too.
 */
static void cpu_agrees(const char *path)
{
	size_t n = (size_t)SIDE * SIDE, k, same;
	struct mnet_session_opts opts;
	struct mnet_err err = { 0 };
	struct mnet_session *s;
	struct mnet_image *img;
	struct mnet_model *m;
	float *a, *b;
	int t;

	if (!mnet_test_have_file(path)) {
		printf("\n  %s missing: not run ", path);
		return;
	}
	CU_ASSERT_EQUAL_FATAL(mnet_model_load_file(mnet_test_shared_path(path),
						   &m, &err), 0);
	CU_ASSERT_EQUAL_FATAL(mnet_image_load(mnet_test_shared_path(IMAGE),
					      &img, &err), 0);
	a = malloc(n * sizeof(*a));
	b = malloc(n * sizeof(*b));
	CU_ASSERT_FATAL(a && b);
	CU_ASSERT_EQUAL_FATAL(class_map(m, MNET_BACKEND_REF, a, n), 0);
	for (t = 1; t <= 2; t++) {
		mnet_session_opts_init(&opts);
		opts.backend = MNET_BACKEND_CPU;
		opts.precision = MNET_PRECISION_FP32;
		opts.threads = t;
		opts.release_weights = t == 2;
		CU_ASSERT_EQUAL_FATAL(mnet_session_create(m, &opts, &s, &err),
				      0);
		CU_ASSERT(!strncmp(mnet_session_backend_name(s), "cpu", 3));
		CU_ASSERT_EQUAL_FATAL(mnet_session_run_image(s, img, 1.0f), 0);
		CU_ASSERT_EQUAL_FATAL(mnet_session_output_read(s, 0, b, n), 0);
		mnet_session_destroy(s);
		for (same = 0, k = 0; k < n; k++)
			same += a[k] == b[k];
		printf("\n  %s cpu fp32, %d thread%s, vs ref: %zu of %zu pixels the same ",
		       mnet_model_name(m), t, t > 1 ? "s" : "", same, n);
		CU_ASSERT((double)same >= 0.999 * (double)n);
	}
	free(b);
	free(a);
	mnet_image_free(img);
	mnet_model_free(m);
}

static void test_cpu_agrees(void)
{
	cpu_agrees(MODEL);
	cpu_agrees(MODEL_FULL);
}

/* mnet-classify says a segmentation model is not a classifier (exit 1). */
static void test_classify_refuses(void)
{
	static char out[8192];
	char cmd[2048];

	if (!model)
		return;
	snprintf(cmd, sizeof(cmd),
		 "./mnet-classify -b ref -m deeplabv3_mnv2_dm05_pascal_quant %s 2>&1",
		 mnet_test_shared_path("images/bird_segmentation.bmp"));
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out), cmd), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "not a classifier"));
}

static void test_cleanup(void)
{
	mnet_model_free(model);
	model = NULL;
}

static const CU_TestInfo tests[] = {
	{ "dm05 loads; its output is a 513x513 int64 class map",
	  test_output_info },
	{ "dm05 on ref fp32 segments the bird", test_segment_dm05 },
	{ "1.0 on ref fp32 segments the bird", test_segment_full },
	{ "dm05 on opencl agrees with ref", test_opencl_agrees },
	{ "both on cpu fp32 agree with ref", test_cpu_agrees },
	{ "mnet-classify: not a classifier", test_classify_refuses },
	{ "free", test_cleanup },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	if (!mnet_test_have_file(MODEL) || !mnet_test_have_file(IMAGE) ||
	    !mnet_test_have_file(MASK)) {
		printf("test_deeplab: %s, %s or %s missing; skipped\n", MODEL,
		       IMAGE, MASK);
		return 77;
	}
	return mnet_test_run_suite("deeplab", tests);
}

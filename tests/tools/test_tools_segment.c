// SPDX-License-Identifier: Apache-2.0
/*
 * test_tools_segment.c - mnet-segment end to end on the shared DeepLab
 * dm05 file and bird_segmentation.bmp
 *
 * Its usage (--help, --version, bad options: exit 2), a classifier
 * refused (exit 1, pointing at mnet-classify) and mnet-classify pointing
 * at mnet-segment; on -b cpu at int8 and fp32: --json with the bird's
 * pixel count and TFLite's accuracy behind it, the mask and overlay PNGs
 * at the photo's size, and --class-map's grayscale PNG equal to the
 * session's class map, pixel for pixel; a photo of another size (the cat,
 * 224x224 here: resized to the input) gives a map at the model's output
 * size and a mask at the photo's.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/image.h"
#include "lib/test_util.h"

#define MODEL "deeplabv3_mnv2_dm05_pascal_quant"
#define MODEL_FILE "models/" MODEL ".tflite"
#define IMAGE "images/bird_segmentation.bmp"
#define OTHER "images/cat.bmp"
#define SIDE 513

static char out[1 << 16];

static int run(const char *fmt, const char *a, const char *b)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd), fmt, a, b);
	return mnet_test_run_tool(out, sizeof(out), cmd);
}

static void test_usage(void)
{
	CU_ASSERT_EQUAL(run("./mnet-segment --help%s%s", "", ""), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "--class-map"));
	CU_ASSERT_EQUAL(run("./mnet-segment --version%s%s", "", ""), 0);
	CU_ASSERT_EQUAL(run("./mnet-segment --no-such-flag x.bmp%s%s", "", ""),
			2);
	CU_ASSERT_EQUAL(run("./mnet-segment%s%s", "", ""), 2);
	CU_ASSERT_EQUAL(run("./mnet-segment a.bmp b.bmp%s%s", "", ""), 2);
	CU_ASSERT_EQUAL(run("./mnet-segment --alpha 2 x.bmp%s%s", "", ""), 2);
	CU_ASSERT_EQUAL(run("./mnet-segment -b nosuch x.bmp%s%s", "", ""), 2);
	CU_ASSERT_EQUAL(run("./mnet-segment --overlay o.png x.bmp%s%s", "",
			    ""), 2);
}

static void test_refusals(void)
{
	const char *img = mnet_test_shared_path(IMAGE);

	if (mnet_test_have_file("models/mobilenet_v1_0.25_128_quant.tflite")) {
		CU_ASSERT_EQUAL(run("./mnet-segment -b ref -m mobilenet_v1_0.25_128_quant %s 2>&1%s",
				    img, ""), 1);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "not a segmentation model"));
	}
	CU_ASSERT_EQUAL(run("./mnet-classify -b ref -m " MODEL " %s 2>&1%s",
			    img, ""), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "mnet-segment"));
	CU_ASSERT_EQUAL(run("./mnet-segment -b cpu -m " MODEL " %s%s",
			    "/nonexistent.bmp", ""), 1);
}

/* The session's map of @path, as bytes (w x h of the model output). */
static void session_map(const char *path, int int8, uint8_t *map)
{
	struct mnet_session_opts o;
	struct mnet_err err = { 0 };
	struct mnet_session *s;
	struct mnet_image *img;
	struct mnet_model *m;
	size_t n = (size_t)SIDE * SIDE, k;
	float *f = malloc(n * sizeof(*f));

	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT_EQUAL_FATAL(mnet_model_load_file(
		mnet_test_shared_path(MODEL_FILE), &m, &err), 0);
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_CPU;
	o.precision = int8 ? MNET_PRECISION_INT8 : MNET_PRECISION_FP32;
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(m, &o, &s, &err), 0);
	CU_ASSERT_EQUAL_FATAL(mnet_image_load(path, &img, &err), 0);
	CU_ASSERT_EQUAL_FATAL(mnet_session_run_image(s, img, 1.0f), 0);
	CU_ASSERT_EQUAL_FATAL(mnet_session_output_read(s, 0, f, n), 0);
	for (k = 0; k < n; k++)
		map[k] = (uint8_t)f[k];
	mnet_image_free(img);
	mnet_session_destroy(s);
	mnet_model_free(m);
	free(f);
}

static void check_png(const char *path, int w, int h)
{
	struct mnet_err err = { 0 };
	struct mnet_image *img;
	int iw, ih;

	CU_ASSERT_EQUAL_FATAL(mnet_image_load(path, &img, &err), 0);
	mnet_image_size(img, &iw, &ih);
	CU_ASSERT_EQUAL(iw, w);
	CU_ASSERT_EQUAL(ih, h);
	mnet_image_free(img);
}

static void segment(const char *image, int int8, int bird)
{
	char dir[] = "/tmp/mnet-segment-XXXXXX", mask[64], over[64], cm[64];
	char args[512];
	size_t n = (size_t)SIDE * SIDE, k, diff = 0;
	struct mnet_err err = { 0 };
	struct mnet_image *img, *cmi;
	uint8_t *want = malloc(n);
	const char *p;
	int w, h;
	long px;

	CU_ASSERT_FATAL(want && mkdtemp(dir));
	snprintf(mask, sizeof(mask), "%s/mask.png", dir);
	snprintf(over, sizeof(over), "%s/mask-overlay.png", dir);
	snprintf(cm, sizeof(cm), "%s/map.png", dir);
	snprintf(args, sizeof(args), "-b cpu -p %s -m " MODEL " -j -o %s --class-map %s",
		 int8 ? "int8" : "fp32", mask, cm);
	CU_ASSERT_EQUAL_FATAL(run("./mnet-segment %s %s", args,
				  mnet_test_shared_path(image)), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"width\": 513, \"height\": 513"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, int8 ? "\"precision\": \"int8\"" :
					   "\"precision\": \"float\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"label\": \"background\""));
	if (bird) {
		/* ground truth: 21.9% bird; TFLite's int8 map finds 21% */
		p = strstr(out, "\"label\": \"bird\", \"color\": \"#808000\", \"pixels\": ");
		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		px = strtol(strstr(p, "\"pixels\": ") + 10, NULL, 10);
		CU_ASSERT(px > 45000 && px < 65000);
	}
	CU_ASSERT_EQUAL_FATAL(mnet_image_load(mnet_test_shared_path(image),
					      &img, &err), 0);
	mnet_image_size(img, &w, &h);
	check_png(mask, w, h);
	check_png(over, w, h);
	mnet_image_free(img);

	/* the raw map: gray, decoded as R = G = B = class */
	session_map(mnet_test_shared_path(image), int8, want);
	CU_ASSERT_EQUAL_FATAL(mnet_image_load(cm, &cmi, &err), 0);
	mnet_image_size(cmi, &w, &h);
	CU_ASSERT_FATAL(w == SIDE && h == SIDE);
	for (k = 0; k < n; k++)
		diff += cmi->rgb[3 * k] != want[k];
	CU_ASSERT_EQUAL(diff, 0);
	mnet_image_free(cmi);
	unlink(mask);
	unlink(over);
	unlink(cm);
	rmdir(dir);
	free(want);
}

static void test_int8(void)
{
	segment(IMAGE, 1, 1);
}

static void test_fp32(void)
{
	segment(IMAGE, 0, 1);
}

static void test_other_size(void)
{
	if (!mnet_test_have_file(OTHER)) {
		printf("\n  %s missing: not run ", OTHER);
		return;
	}
	segment(OTHER, 1, 0);
}

static const CU_TestInfo tests[] = {
	{ "usage: help, version, bad options", test_usage },
	{ "a classifier is refused; mnet-classify points here",
	  test_refusals },
	{ "int8 on cpu: json, mask, overlay, class map", test_int8 },
	{ "fp32 on cpu: the same", test_fp32 },
	{ "another size: resized, mask at its size", test_other_size },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	if (!mnet_test_have_file(MODEL_FILE) || !mnet_test_have_file(IMAGE)) {
		printf("test_tools_segment: %s or %s missing; skipped\n",
		       MODEL_FILE, IMAGE);
		return 77;
	}
	return mnet_test_run_suite("tools_segment", tests);
}

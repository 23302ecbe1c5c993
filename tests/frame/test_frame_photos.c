// SPDX-License-Identifier: Apache-2.0
/*
 * test_frame_photos.c - frames made from the shared photos give the same
 * top-1 as mnet_session_run_image() on the same photo and crop, on the
 * ref, cpu and opencl backends
 *
 * Each photo (cut to even sides, as a 4:2:0 frame needs) is converted in
 * the test to NV21 (full range), I420 (limited range) and a quarter-turned
 * NV12 frame that says rotation 270, with TF-slim's 0.875 central crop
 * given as the equivalent rectangle in frame coordinates.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/test_util.h"
#include "lib/frame_test.h"
#include "lib/opencl_test.h"
#include "image/image.h"

#define MODEL "models/mobilenet_v1_0.25_128_quant.tflite"
#define CROP 0.875f

static const char *const photos[] = {
	"images/imagenet/n01558993_robin.JPEG",
	"images/imagenet/n01440764_tench.JPEG",
	"images/imagenet/n04254680_soccer_ball.JPEG",
	"images/cat.bmp",
	"images/parrot.jpg",
};

static struct mnet_model *model;
static int have_cl;

/**
 * struct frame_kind - one way a camera could deliver the photo
 * @name: for messages
 * @fmt: pixel format
 * @full: BT.601 full range
 * @turned: the frame is the photo turned a quarter clockwise
 */
static const struct frame_kind {
	const char *name;
	enum mnet_frame_format fmt;
	int full, turned;
} kinds[] = {
	{ "NV21 full range", MNET_FRAME_NV21, 1, 0 },
	{ "I420 limited range", MNET_FRAME_I420, 0, 0 },
	{ "NV12 turned, rotation 270", MNET_FRAME_NV12, 1, 1 },
};

static int top1(struct mnet_session *s, float *score)
{
	struct mnet_class c;

	CU_ASSERT_EQUAL(mnet_session_topk(s, 1, &c), 1);
	*score = c.score;
	return c.index;
}

static void check_backend(enum mnet_backend_kind kind, const char *name)
{
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_err err = { 0 };
	unsigned int p, k;
	int ret;

	mnet_session_opts_init(&o);
	o.backend = kind;
	o.threads = 2;
	ret = mnet_session_create(model, &o, &s, &err);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	printf("\n  %s (%s)", name, mnet_session_backend_name(s));
	for (p = 0; p < sizeof(photos) / sizeof(photos[0]); p++) {
		struct mnet_image *img = NULL, *even = NULL;
		int w, h, y, cx, cy, cw, ch, want;
		uint8_t *rgb;
		float sc;

		CU_ASSERT_EQUAL_FATAL(mnet_image_load(mnet_test_shared_path(
			photos[p]), &img, NULL), 0);
		w = img->w & ~1;
		h = img->h & ~1;
		rgb = malloc((size_t)w * h * 3);
		CU_ASSERT_FATAL(rgb != NULL);
		for (y = 0; y < h; y++)
			memcpy(rgb + (size_t)y * w * 3,
			       img->rgb + (size_t)y * img->w * 3,
			       (size_t)w * 3);
		CU_ASSERT_EQUAL_FATAL(mnet_image_from_rgb(rgb, w, h, &even), 0);
		CU_ASSERT_EQUAL_FATAL(mnet_session_run_image(s, even, CROP), 0);
		want = top1(s, &sc);
		printf("\n    %s: image path class %d (%.2f)", photos[p], want,
		       sc);
		cy = (int)((h - h * CROP) / 2.0f);
		cx = (int)((w - w * CROP) / 2.0f);
		ch = h - 2 * cy;
		cw = w - 2 * cx;
		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			const struct frame_kind *fk = &kinds[k];
			uint8_t *src = rgb, *buf;
			struct mnet_frame f;
			int got;

			if (fk->turned)
				src = ft_rotate_cw(rgb, w, h);
			CU_ASSERT_FATAL(src != NULL);
			buf = fk->turned ?
			      ft_frame_from_rgb(src, h, w, fk->fmt, fk->full, 6,
						&f) :
			      ft_frame_from_rgb(src, w, h, fk->fmt, fk->full, 6,
						&f);
			CU_ASSERT_FATAL(buf != NULL);
			if (fk->turned) {
				f.rotation = 270;
				f.crop = (struct mnet_frame_rect){
					h - cy - ch, cx, ch, cw };
			} else {
				f.crop = (struct mnet_frame_rect){
					cx, cy, cw, ch };
			}
			ret = mnet_session_run_frame(s, &f, &err);
			CU_ASSERT_EQUAL(ret, 0);
			if (ret)
				printf("\n    %s: %s", fk->name, err.msg);
			got = top1(s, &sc);
			printf(", %s %d (%.2f)", fk->name, got, sc);
			CU_ASSERT_EQUAL(got, want);
			free(buf);
			if (src != rgb)
				free(src);
		}
		free(rgb);
		mnet_image_free(even);
		mnet_image_free(img);
	}
	mnet_session_destroy(s);
}

static void test_ref(void)
{
	check_backend(MNET_BACKEND_REF, "ref");
}

static void test_cpu(void)
{
	check_backend(MNET_BACKEND_CPU, "cpu");
}

static void test_opencl(void)
{
	if (!have_cl) {
		printf("\n  opencl: no device, not run ");
		return;
	}
	check_backend(MNET_BACKEND_OPENCL, "opencl");
}

static const CU_TestInfo tests[] = {
	{ "photos as frames: same top-1 on ref", test_ref },
	{ "photos as frames: same top-1 on cpu", test_cpu },
	{ "photos as frames: same top-1 on opencl", test_opencl },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	char cache[64];
	int ret;

	if (!mnet_test_have_file(MODEL) ||
	    !mnet_test_have_file("images/cat.bmp")) {
		printf("shared model or images not found: skipped\n");
		return 77;
	}
	if (mnet_model_load_file(mnet_test_shared_path(MODEL), &model, NULL))
		return 1;
	have_cl = cl_test_have_device("frame photos", "opencl test not run",
				      cache, sizeof(cache));
	ret = mnet_test_run_suite("frame photos", tests);
	mnet_model_free(model);
	return ret;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * test_image.c - decoding and TF-slim preprocessing
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <stb_image_write.h>

#include "lib/test_util.h"
#include "image/image.h"
#include "model/model.h"

/* in Debian's libstb, declared by stb_image_write.h only in its body */
unsigned char *stbi_write_png_to_mem(const unsigned char *pixels,
				     int stride_bytes, int x, int y, int n,
				     int *out_len);

static const struct decode_case {
	const char *file;
	int w, h;
} decode_cases[] = {
	{ "images/rgb6X4.bmp", 4, 6 },
	{ "images/checker224X224.bmp", 224, 224 },
	{ "images/cat.bmp", 512, 341 },
	{ "images/parrot.jpg", 0, 0 },	/* size not checked: JPEG */
	/* a grayscale JPEG (1 component) comes out as RGB */
	{ "images/imagenet/n04254680_soccer_ball.JPEG", 0, 0 },
};

static void test_decode(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(decode_cases) / sizeof(decode_cases[0]); i++) {
		const struct decode_case *c = &decode_cases[i];
		struct mnet_image *img = NULL;
		struct mnet_err err = { 0 };
		int w, h;

		CU_ASSERT_EQUAL_FATAL(mnet_image_load(mnet_test_shared_path(c->file),
						      &img, &err), 0);
		mnet_image_size(img, &w, &h);
		if (c->w) {
			CU_ASSERT_EQUAL(w, c->w);
			CU_ASSERT_EQUAL(h, c->h);
		}
		CU_ASSERT(w > 0 && h > 0);
		mnet_image_free(img);
	}
}

static void test_grayscale_is_gray_rgb(void)
{
	struct mnet_image *img = NULL;
	struct mnet_model *m = NULL;
	float *x;
	size_t i, n = 32 * 32 * 3;

	CU_ASSERT_EQUAL_FATAL(mnet_image_load(mnet_test_shared_path(
		"images/imagenet/n04254680_soccer_ball.JPEG"), &img, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(mnet_model_create_synthetic(0.25f, 32, &m, NULL),
			      0);
	x = malloc(n * sizeof(*x));
	CU_ASSERT_EQUAL(mnet_image_preprocess(img, m, 0.875f, x, n), 0);
	for (i = 0; i < n; i += 3) {
		CU_ASSERT_EQUAL(x[i], x[i + 1]);
		CU_ASSERT_EQUAL(x[i], x[i + 2]);
	}
	free(x);
	mnet_model_free(m);
	mnet_image_free(img);
}

/* byte @i of a decoded image (interleaved RGB, runtime/image/image.h) */
static int img_px(const struct mnet_image *img, int i)
{
	return img->rgb[i];
}

/* A model with only an input shape and input quantization, for mapping. */
static struct mnet_model *input_model(int h, int w, int quantized)
{
	struct mnet_model *m = mnet_model_alloc(0, 1);

	m->tensors[0].shape = (struct mnet_shape){ h, w, 3 };
	m->input_quant.quantized = quantized;
	m->input_quant.scale = 0.0078125f;	/* the shared V1 files */
	m->input_quant.zero_point = 128;
	return m;
}

/* crop 1.0 to the same size: each pixel maps exactly as the model says */
static void test_identity_mapping(void)
{
	uint8_t rgb[2 * 3 * 3];
	struct mnet_image *img = NULL;
	struct mnet_model *m;
	float x[18];
	int i;

	for (i = 0; i < 18; i++)
		rgb[i] = (uint8_t)(i * 15);
	CU_ASSERT_EQUAL_FATAL(mnet_image_from_rgb(rgb, 3, 2, &img), 0);
	m = input_model(2, 3, 1);
	CU_ASSERT_EQUAL(mnet_image_preprocess(img, m, 1.0f, x, 18), 0);
	for (i = 0; i < 18; i++)
		CU_ASSERT_DOUBLE_EQUAL(x[i], (i * 15 - 128) * 0.0078125, 1e-7);
	m->input_quant.quantized = 0;	/* float model: x/127.5 - 1 */
	CU_ASSERT_EQUAL(mnet_image_preprocess(img, m, 1.0f, x, 18), 0);
	for (i = 0; i < 18; i++)
		CU_ASSERT_DOUBLE_EQUAL(x[i], i * 15 / 127.5 - 1.0, 1e-6);
	mnet_model_free(m);
	mnet_image_free(img);
}

/*
 * 2x1 -> 4x1 bilinear with half-pixel centres: source x = (o+0.5)/2 - 0.5
 * = -0.25, 0.25, 0.75, 1.25, clamped to [0, 1]: 0, 0.25, 0.75, 1.
 * Pixels 0 and 200 give 0, 50, 150, 200.
 */
static void test_bilinear(void)
{
	uint8_t rgb[6] = { 0, 0, 0, 200, 200, 200 };
	const float want[4] = { 0, 50, 150, 200 };
	struct mnet_image *img = NULL;
	struct mnet_model *m;
	float x[12];
	int i;

	CU_ASSERT_EQUAL_FATAL(mnet_image_from_rgb(rgb, 2, 1, &img), 0);
	m = input_model(1, 4, 0);
	CU_ASSERT_EQUAL(mnet_image_preprocess(img, m, 1.0f, x, 12), 0);
	for (i = 0; i < 4; i++)
		CU_ASSERT_DOUBLE_EQUAL(x[i * 3], want[i] / 127.5 - 1.0, 1e-6);
	mnet_model_free(m);
	mnet_image_free(img);
}

/* central crop 0.5 of a 4x4 image keeps the middle 2x2 */
static void test_central_crop(void)
{
	uint8_t rgb[4 * 4 * 3];
	struct mnet_image *img = NULL;
	struct mnet_model *m;
	float x[12];
	int y, xx, c;

	for (y = 0; y < 4; y++)
		for (xx = 0; xx < 4; xx++)
			for (c = 0; c < 3; c++)
				rgb[(y * 4 + xx) * 3 + c] = (uint8_t)(y * 40 + xx * 10);
	CU_ASSERT_EQUAL_FATAL(mnet_image_from_rgb(rgb, 4, 4, &img), 0);
	m = input_model(2, 2, 0);
	CU_ASSERT_EQUAL(mnet_image_preprocess(img, m, 0.5f, x, 12), 0);
	/* rows 1-2, cols 1-2 */
	CU_ASSERT_DOUBLE_EQUAL(x[0], 50 / 127.5 - 1.0, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(x[3], 60 / 127.5 - 1.0, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(x[6], 90 / 127.5 - 1.0, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(x[9], 100 / 127.5 - 1.0, 1e-6);
	CU_ASSERT_EQUAL(mnet_image_preprocess(img, m, 0.0f, x, 12), -EINVAL);
	CU_ASSERT_EQUAL(mnet_image_preprocess(img, m, 1.5f, x, 12), -EINVAL);
	CU_ASSERT_EQUAL(mnet_image_preprocess(img, m, 1.0f, x, 11), -EINVAL);
	mnet_model_free(m);
	mnet_image_free(img);
}

static int write_tmp(char *path, const void *data, size_t n)
{
	FILE *f;
	int fd = mkstemp(path);

	if (fd < 0)
		return -1;
	f = fdopen(fd, "wb");
	if (!f)
		return -1;
	fwrite(data, 1, n, f);
	fclose(f);
	return 0;
}

static void test_bad_files(void)
{
	struct mnet_image *img = NULL;
	struct mnet_err err = { 0 };
	unsigned char *buf;
	size_t len, cut;
	char path[64];

	CU_ASSERT_EQUAL(mnet_image_load("/nonexistent.jpg", &img, &err),
			-ENOENT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "/nonexistent.jpg"));

	strcpy(path, "/tmp/mnet-img-XXXXXX");
	CU_ASSERT_EQUAL_FATAL(write_tmp(path, "not an image at all", 19), 0);
	CU_ASSERT_EQUAL(mnet_image_load(path, &img, &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, path));
	unlink(path);

	/* truncated JPEG and BMP files: an error or a (partial) image, never
	 * a crash; the header-only cuts must be errors */
	buf = mnet_test_read_file(mnet_test_shared_path("images/parrot.jpg"),
				  &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	for (cut = 0; cut < len; cut += len / 23 + 1) {
		int ret;

		strcpy(path, "/tmp/mnet-img-XXXXXX");
		CU_ASSERT_EQUAL_FATAL(write_tmp(path, buf, cut), 0);
		ret = mnet_image_load(path, &img, &err);
		if (cut < 64)
			CU_ASSERT_EQUAL(ret, -EINVAL);
		if (!ret)
			mnet_image_free(img);
		unlink(path);
	}
	free(buf);

	/*
	 * found by fuzz_image: 30 bytes, a 16-byte info header, whose fields
	 * were read past the end of the file
	 */
	{
		static const unsigned char short_dib[30] = {
			0x42, 0x4d, 0x7e, 0x00, 0x62, 0x6a, 0x05, 0x00, 0x02,
			0x00, 0xb0, 0x60, 0x00, 0x01, 0x10, 0x00, 0x00, 0x00,
			0x00, 0x00, 0x00, 0x00, 0x28, 0x29, 0x96, 0x96, 0x96,
			0x96, 0x00, 0xff,
		};

		strcpy(path, "/tmp/mnet-img-XXXXXX");
		CU_ASSERT_EQUAL_FATAL(write_tmp(path, short_dib,
						sizeof(short_dib)), 0);
		CU_ASSERT_EQUAL(mnet_image_load(path, &img, &err), -EINVAL);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, path));
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "16-byte info header"));
		unlink(path);
	}

	/* a BMP header claiming 100000 x 100000 pixels */
	buf = mnet_test_read_file(mnet_test_shared_path("images/rgb6X4.bmp"),
				  &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	buf[18] = 0xa0; buf[19] = 0x86; buf[20] = 0x01; buf[21] = 0;
	buf[22] = 0xa0; buf[23] = 0x86; buf[24] = 0x01; buf[25] = 0;
	strcpy(path, "/tmp/mnet-img-XXXXXX");
	CU_ASSERT_EQUAL_FATAL(write_tmp(path, buf, len), 0);
	CU_ASSERT(mnet_image_load(path, &img, &err) < 0);
	unlink(path);
	free(buf);
}

/* @len bytes of @buf must be refused as truncated, naming @name. */
static void check_cut(const unsigned char *buf, size_t len, const char *name)
{
	struct mnet_image *img = NULL;
	struct mnet_err err = { 0 };
	int ret;

	ret = mnet_image_load_memory(buf, len, name, &img, &err);
	CU_ASSERT_EQUAL(ret, -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, name));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "truncated"));
	if (ret != -EINVAL || !strstr(err.msg, "truncated"))
		fprintf(stderr, "\n    %s cut to %zu bytes: %d %s\n", name, len,
			ret, err.msg);
	if (!ret)
		mnet_image_free(img);
}

/* Cut @buf (@len bytes) at fixed points and at every 1/@steps of it. */
static void check_cuts(const unsigned char *buf, size_t len, size_t keep,
		       const char *name, unsigned int steps)
{
	static const size_t fixed[] = { 2, 3, 10, 14, 17, 20, 30, 53, 60,
					100, 137, 500, 1077, 1100 };
	unsigned int i;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (fixed[i] + keep < len)
			check_cut(buf, fixed[i], name);
	for (i = 1; i < steps; i++)
		check_cut(buf, len / steps * i, name);
	check_cut(buf, len - keep - 1, name);
}

/*
 * Every format cut in its header, its palette (the 8-bit mask BMP has a
 * 1024-byte one) and its pixel data is an error that names the file and
 * says "truncated": stb_image alone decodes a short BMP or a JPEG cut in
 * its scan data into a partly black or grey picture, classified without
 * a word, and calls a JPEG cut before its frame "unknown image type".
 */
static void test_truncated_every_format(void)
{
	/* bytes after the last pixel a cut may lose without losing data */
	static const struct {
		const char *file;
		size_t keep;
	} files[] = {
		{ "images/cat.bmp", 0 }, { "images/rgb6X4.bmp", 0 },
		/* 2 bytes of padding after its pixels (bfSize counts them) */
		{ "images/bird_segmentation_mask.bmp", 2 },
		{ "images/parrot.jpg", 0 },
		{ "images/imagenet/n04254680_soccer_ball.JPEG", 0 },
	};
	struct mnet_image *img = NULL;
	unsigned char *buf;
	unsigned int i;
	size_t len;
	int png_len;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		buf = mnet_test_read_file(mnet_test_shared_path(files[i].file),
					  &len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
		check_cuts(buf, len, files[i].keep, files[i].file, 17);
		free(buf);
	}
	/* a PNG of cat.bmp, cut anywhere before its IEND chunk (12 bytes) */
	CU_ASSERT_EQUAL_FATAL(mnet_image_load(mnet_test_shared_path(
		"images/cat.bmp"), &img, NULL), 0);
	buf = stbi_write_png_to_mem(img->rgb, img->w * 3, img->w, img->h, 3,
				    &png_len);
	mnet_image_free(img);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	check_cuts(buf, (size_t)png_len, 12, "cat.png", 17);
	img = NULL;
	CU_ASSERT_EQUAL(mnet_image_load_memory(buf, (size_t)png_len, "cat.png",
					       &img, NULL), 0);
	mnet_image_free(img);
	free(buf);
}

/* PNG written by stb_image_write: RGBA and gray+alpha come out as RGB */
static void test_png(void)
{
	const uint8_t rgba[2 * 1 * 4] = { 10, 20, 30, 255, 200, 100, 50, 0 };
	const uint8_t ga[2 * 1 * 2] = { 77, 255, 99, 128 };
	struct mnet_image *img = NULL;
	char path[] = "/tmp/mnet-png-XXXXXX";
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	CU_ASSERT_FATAL(stbi_write_png(path, 2, 1, 4, rgba, 8) != 0);
	CU_ASSERT_EQUAL_FATAL(mnet_image_load(path, &img, NULL), 0);
	CU_ASSERT_EQUAL(img_px(img, 0), 10);
	CU_ASSERT_EQUAL(img_px(img, 2), 30);
	CU_ASSERT_EQUAL(img_px(img, 3), 200);
	CU_ASSERT_EQUAL(img_px(img, 5), 50);
	mnet_image_free(img);
	CU_ASSERT_FATAL(stbi_write_png(path, 2, 1, 2, ga, 4) != 0);
	CU_ASSERT_EQUAL_FATAL(mnet_image_load(path, &img, NULL), 0);
	CU_ASSERT_EQUAL(img_px(img, 0), 77);
	CU_ASSERT_EQUAL(img_px(img, 1), 77);
	CU_ASSERT_EQUAL(img_px(img, 5), 99);
	mnet_image_free(img);
	unlink(path);
}

static const CU_TestInfo tests[] = {
	{ "decode PNG (RGBA, gray+alpha)", test_png },
	{ "decode BMP and JPEG", test_decode },
	{ "grayscale JPEG to RGB", test_grayscale_is_gray_rgb },
	{ "pixel mapping: quantized and float inputs", test_identity_mapping },
	{ "bilinear resize, half-pixel centres", test_bilinear },
	{ "central crop", test_central_crop },
	{ "corrupt, truncated and absurd files", test_bad_files },
	{ "every format cut short is \"truncated\"",
	  test_truncated_every_format },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	if (!mnet_test_have_file("images/cat.bmp")) {
		printf("shared images not found: skipped\n");
		return 77;
	}
	return mnet_test_run_suite("images", tests);
}

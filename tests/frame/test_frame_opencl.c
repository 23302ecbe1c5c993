// SPDX-License-Identifier: Apache-2.0
/*
 * test_frame_opencl.c - frames converted on the OpenCL device
 * (cl_kernels/frame.cl) against the plain C reference, every format,
 * rotation and mirror, fp32 and fp16 storage, copied and mapped input
 *
 * White-box: after mnet_session_run_frame() the model's input buffer is
 * read back from the device and compared with mnet_fconv_ref() within
 * 1 LSB of the 8-bit pixel.  Skipped (exit 77) without a device.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/test_util.h"
#include "lib/frame_test.h"
#include "lib/opencl_test.h"
#include "frame/frame.h"
#include "frame/frame_conv.h"

#ifdef MNET_HAVE_OPENCL
#include "opencl/cl_backend.h"
#include "opencl/frame/cl_frame.h"
#include "session/session_priv.h"

static const enum mnet_frame_format formats[] = {
	MNET_FRAME_NV21, MNET_FRAME_NV12, MNET_FRAME_I420,
	MNET_FRAME_RGBA8888, MNET_FRAME_BGRA8888, MNET_FRAME_RGB888,
};

/**
 * struct geom - a frame size and crop
 * @w: width (even: every format is tried)
 * @h: height
 * @crop: crop (all zero: the whole frame)
 * @pad: bytes after each row
 */
static const struct geom {
	int w, h;
	struct mnet_frame_rect crop;
	int pad;
} geoms[] = {
	{ 46, 30, { 0 }, 5 },
	{ 40, 64, { 3, 5, 21, 37 }, 2 },
	{ 18, 12, { 1, 1, 9, 7 }, 0 },	/* up-sampled */
};

/* Random RGB pixels of @g as a frame of @fmt; returns the buffer. */
static uint8_t *make_frame(enum mnet_frame_format fmt, const struct geom *g,
			   unsigned int seed, struct mnet_frame *f)
{
	uint8_t *rgb = malloc((size_t)g->w * g->h * 3), *buf;
	size_t i;

	if (!rgb)
		return NULL;
	srand(seed);
	for (i = 0; i < (size_t)g->w * g->h * 3; i++)
		rgb[i] = (uint8_t)(rand() >> 5);
	buf = ft_frame_from_rgb(rgb, g->w, g->h, fmt, (int)(seed & 1), g->pad,
				f);
	free(rgb);
	f->crop = g->crop;
	return buf;
}

static void check_model(struct mnet_model *m, enum mnet_precision prec,
			const char *map)
{
	struct mnet_shape in = mnet_model_input_shape(m);
	size_t n = (size_t)in.h * in.w * in.c;
	float *ref = malloc(n * sizeof(float)), *got = malloc(n * sizeof(float));
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_err err = { 0 };
	struct mnet_cl_state *st;
	unsigned int g, fi, seed = 7;
	int rot, mir, bad = 0, runs = 0;
	double worst = 0;

	CU_ASSERT_FATAL(ref && got);
	setenv("MNET_CL_MAP", map, 1);
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_OPENCL;
	o.precision = prec;
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(m, &o, &s, &err), 0);
	st = mnet_session_backend(s)->priv;
	for (g = 0; g < sizeof(geoms) / sizeof(geoms[0]); g++)
	for (fi = 0; fi < sizeof(formats) / sizeof(formats[0]); fi++)
	for (rot = 0; rot < 360; rot += 90)
	for (mir = 0; mir < 2; mir++) {
		struct mnet_fconv fc;
		struct mnet_frame f;
		uint8_t *buf = make_frame(formats[fi], &geoms[g], seed++, &f);
		double unit, d = 0;
		size_t i;

		CU_ASSERT_FATAL(buf != NULL);
		f.rotation = rot;
		f.mirror = mir;
		CU_ASSERT_EQUAL_FATAL(mnet_frame_resolve(&f, m, ref, n, &fc,
							 NULL), 0);
		mnet_fconv_ref(&fc);
		CU_ASSERT_EQUAL_FATAL(mnet_session_run_frame(s, &f, &err), 0);
		CU_ASSERT_EQUAL_FATAL(mnet_cl_unmap_ahead(st, m), 0);
		CU_ASSERT_EQUAL_FATAL(mnet_cl_read_tensor(st, m, m->input, got),
				      0);
		unit = fc.quantized ? fc.scale : 1.0 / 127.5;
		for (i = 0; i < n; i++)
			if (fabs(got[i] - ref[i]) / unit > d)
				d = fabs(got[i] - ref[i]) / unit;
		if (d > worst)
			worst = d;
		if (!(d <= 1.0 + 1e-3)) {
			printf("\n  %dx%d %s rot %d%s: %.3f LSB off", geoms[g].w,
			       geoms[g].h, mnet_frame_format_name(formats[fi]),
			       rot, mir ? " mirrored" : "", d);
			bad = 1;
		}
		runs++;
		free(buf);
	}
	printf("\n  %s, %s, MNET_CL_MAP=%s: %d frames, %d device kernels, worst %.3f LSB ",
	       mnet_model_name(m), mnet_session_backend_name(s), map, runs,
	       mnet_cl_frame_kernels(st), worst);
	CU_ASSERT(mnet_cl_frame_kernels(st) >= 2);	/* RGB and YUV */
	CU_ASSERT_EQUAL(bad, 0);
	mnet_session_destroy(s);
	unsetenv("MNET_CL_MAP");
	free(got);
	free(ref);
}

static void test_float_input(void)
{
	struct mnet_model *m = NULL;

	CU_ASSERT_EQUAL_FATAL(mnet_model_create_synthetic(0.25f, 32, &m,
							  NULL), 0);
	check_model(m, MNET_PRECISION_FP32, "0");
	check_model(m, MNET_PRECISION_FP32, "1");
	check_model(m, MNET_PRECISION_FP16_STORAGE, "1");
	mnet_model_free(m);
}

static void test_uint8_input(void)
{
	struct mnet_model *m = NULL;

	CU_ASSERT_EQUAL_FATAL(mnet_model_load_file(mnet_test_shared_path(
		"models/mobilenet_v1_0.25_128_quant.tflite"), &m, NULL), 0);
	check_model(m, MNET_PRECISION_FP32, "0");
	mnet_model_free(m);
}

static const CU_TestInfo tests[] = {
	{ "device conversion = reference (float input)", test_float_input },
	{ "device conversion = reference (uint8 input)", test_uint8_input },
	CU_TEST_INFO_NULL,
};
#endif

int main(void)
{
#ifdef MNET_HAVE_OPENCL
	char cache[64];

	if (!mnet_test_have_file("models/mobilenet_v1_0.25_128_quant.tflite")) {
		printf("shared models not found: skipped\n");
		return 77;
	}
	cl_test_require_device("frame opencl", cache, sizeof(cache));
	return mnet_test_run_suite("frame opencl", tests);
#else
	printf("frame opencl: built without OpenCL: skipped\n");
	return 77;
#endif
}

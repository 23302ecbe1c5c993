// SPDX-License-Identifier: Apache-2.0
/*
 * test_frame_stream.c - pipelined frames (mnet_stream_*): results in
 * order and equal to the synchronous path's, bounded depth, errors per
 * frame, destruction with frames in flight
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/test_util.h"
#include "lib/frame_test.h"
#include "lib/opencl_test.h"
#include "frame/frame.h"
#include "image/image.h"

#define MODEL "models/mobilenet_v1_0.25_128_quant.tflite"
#define N_PHOTOS 4

static const char *const photos[N_PHOTOS] = {
	"images/imagenet/n01558993_robin.JPEG",
	"images/cat.bmp",
	"images/parrot.jpg",
	"images/imagenet/n01440764_tench.JPEG",
};

static struct mnet_model *model;
static int have_cl;
static struct mnet_frame frames[N_PHOTOS];
static uint8_t *bufs[N_PHOTOS];

static int argmax(const float *v, size_t n)
{
	size_t i, best = 0;

	for (i = 1; i < n; i++)
		if (v[i] > v[best])
			best = i;
	return (int)best;
}

static void check_stream(enum mnet_backend_kind kind)
{
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_stream *st = NULL;
	struct mnet_stream_result r;
	struct mnet_err err = { 0 };
	int want[N_PHOTOS], i, round;

	mnet_session_opts_init(&o);
	o.backend = kind;
	o.threads = 2;
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(model, &o, &s, &err), 0);
	for (i = 0; i < N_PHOTOS; i++) {
		const float *out;
		size_t n;

		CU_ASSERT_EQUAL_FATAL(mnet_session_run_frame(s, &frames[i],
							     &err), 0);
		out = mnet_session_output(s, &n);
		want[i] = argmax(out, n);
	}
	CU_ASSERT_EQUAL_FATAL(mnet_stream_create(s, 2, &st, &err), 0);
	CU_ASSERT_EQUAL(mnet_stream_wait(st, &r), -ENODATA);
	/* twelve frames, two in flight: submit ahead, collect behind */
	CU_ASSERT_EQUAL(mnet_stream_submit(st, &frames[0], &err), 0);
	for (round = 1; round <= 12; round++) {
		if (round < 12) {
			CU_ASSERT_EQUAL(mnet_stream_submit(st,
				&frames[round % N_PHOTOS], &err), 0);
			/* full: bounded, not blocking */
			CU_ASSERT_EQUAL(mnet_stream_submit(st, &frames[0],
							   &err), -EAGAIN);
		}
		CU_ASSERT_EQUAL_FATAL(mnet_stream_wait(st, &r), 0);
		CU_ASSERT_EQUAL(r.frame, (uint64_t)(round - 1));
		CU_ASSERT_EQUAL(r.status, 0);
		CU_ASSERT_PTR_NOT_NULL_FATAL(r.output);
		CU_ASSERT_EQUAL(argmax(r.output, r.count),
				want[(round - 1) % N_PHOTOS]);
		CU_ASSERT(r.convert_ms >= 0 && r.infer_ms > 0);
	}
	CU_ASSERT_EQUAL(mnet_stream_wait(st, &r), -ENODATA);
	/* a bad frame is refused at once and queues nothing */
	{
		struct mnet_frame bad = frames[0];

		bad.planes[0].data = NULL;
		CU_ASSERT_EQUAL(mnet_stream_submit(st, &bad, &err), -EINVAL);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "is NULL"));
		CU_ASSERT_EQUAL(mnet_stream_wait(st, &r), -ENODATA);
	}
	/* destroyed with frames in flight */
	CU_ASSERT_EQUAL(mnet_stream_submit(st, &frames[1], &err), 0);
	CU_ASSERT_EQUAL(mnet_stream_submit(st, &frames[2], &err), 0);
	mnet_stream_destroy(st);
	/* and the session is the app's again */
	CU_ASSERT_EQUAL(mnet_session_run_frame(s, &frames[3], &err), 0);
	mnet_session_destroy(s);
}

static void test_cpu(void)
{
	check_stream(MNET_BACKEND_CPU);
}

static void test_opencl(void)
{
	if (!have_cl) {
		printf("\n  opencl: no device, not run ");
		return;
	}
	check_stream(MNET_BACKEND_OPENCL);
}

/*
 * int8 sessions get the model's input bytes from the converter: the same
 * outputs as converting to floats and quantizing them, synchronous and
 * streamed.
 */
static void test_int8_bytes(void)
{
	const struct mnet_fconv_kernel *k = mnet_fconv_kernel_get(NULL);
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_stream *st = NULL;
	struct mnet_stream_result r;
	struct mnet_err err = { 0 };
	size_t n, n_in = mnet_shape_elems(mnet_model_input_shape(model));
	float *in = malloc(n_in * sizeof(float)), *want;
	int i;

	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_CPU;
	o.precision = MNET_PRECISION_INT8;
	o.threads = 2;
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(model, &o, &s, &err), 0);
	mnet_session_output(s, &n);
	want = malloc(N_PHOTOS * n * sizeof(float));
	CU_ASSERT_FATAL(in && want);
	CU_ASSERT_EQUAL(mnet_frame_session_bytes(s, k), k->u8);
	printf("\n  %s converter: %s ", k->name,
	       k->u8 ? "bytes" : "floats only");
	for (i = 0; i < N_PHOTOS; i++) {
		CU_ASSERT_EQUAL_FATAL(mnet_frame_preprocess(&frames[i], model,
							    in, n_in, &err), 0);
		CU_ASSERT_EQUAL_FATAL(mnet_session_run(s, in, n_in), 0);
		memcpy(want + i * n, mnet_session_output(s, NULL),
		       n * sizeof(float));
		CU_ASSERT_EQUAL_FATAL(mnet_session_run_frame(s, &frames[i],
							     &err), 0);
		CU_ASSERT_EQUAL(memcmp(mnet_session_output(s, NULL),
				       want + i * n, n * sizeof(float)), 0);
	}
	CU_ASSERT_EQUAL_FATAL(mnet_stream_create(s, 2, &st, &err), 0);
	for (i = 0; i < N_PHOTOS; i++) {
		CU_ASSERT_EQUAL(mnet_stream_submit(st, &frames[i], &err), 0);
		CU_ASSERT_EQUAL_FATAL(mnet_stream_wait(st, &r), 0);
		CU_ASSERT_EQUAL_FATAL(r.status, 0);
		CU_ASSERT_EQUAL(memcmp(r.output, want + i * n,
				       n * sizeof(float)), 0);
	}
	mnet_stream_destroy(st);
	mnet_session_destroy(s);
	free(want);
	free(in);
}

static void test_bad_create(void)
{
	struct mnet_stream *st = NULL;
	struct mnet_err err = { 0 };

	CU_ASSERT_EQUAL(mnet_stream_create(NULL, 2, &st, &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "depth"));
	CU_ASSERT_EQUAL(mnet_stream_submit(NULL, &frames[0], NULL), -EINVAL);
	mnet_stream_destroy(NULL);
}

static const CU_TestInfo tests[] = {
	{ "stream on cpu: in order, same answers, bounded", test_cpu },
	{ "stream on opencl: in order, same answers, bounded", test_opencl },
	{ "int8: the input as bytes = as floats", test_int8_bytes },
	{ "bad stream arguments", test_bad_create },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	char cache[64];
	int i, ret;

	if (!mnet_test_have_file(MODEL) ||
	    !mnet_test_have_file("images/cat.bmp")) {
		printf("shared model or images not found: skipped\n");
		return 77;
	}
	if (mnet_model_load_file(mnet_test_shared_path(MODEL), &model, NULL))
		return 1;
	for (i = 0; i < N_PHOTOS; i++) {
		struct mnet_image *img = NULL;

		if (mnet_image_load(mnet_test_shared_path(photos[i]), &img,
				    NULL))
			return 1;
		/* even sides: a 4:2:0 frame of the top-left part */
		bufs[i] = malloc((size_t)img->w * img->h * 3);
		if (!bufs[i])
			return 1;
		{
			int w = img->w & ~1, h = img->h & ~1, y;
			uint8_t *rgb = malloc((size_t)w * h * 3);

			for (y = 0; y < h; y++)
				memcpy(rgb + (size_t)y * w * 3,
				       img->rgb + (size_t)y * img->w * 3,
				       (size_t)w * 3);
			free(bufs[i]);
			bufs[i] = ft_frame_from_rgb(rgb, w, h, MNET_FRAME_NV21,
						    1, 0, &frames[i]);
			free(rgb);
		}
		mnet_image_free(img);
	}
	have_cl = cl_test_have_device("frame stream", "opencl test not run",
				      cache, sizeof(cache));
	ret = mnet_test_run_suite("frame stream", tests);
	for (i = 0; i < N_PHOTOS; i++)
		free(bufs[i]);
	mnet_model_free(model);
	return ret;
}

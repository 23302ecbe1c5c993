// SPDX-License-Identifier: Apache-2.0
/*
 * test_frame_split.c - split streams (runtime/frame/frame_split.c): which
 * cuts are valid, views of a model, where the cut balances two measured
 * profiles, and a split stream's outputs against
 * the unsplit stream's (int8 the same bytes, fp32 within 1e-4), forced on
 * cpu and measured on opencl; a device fault on one frame of a split
 * stream is that frame's error and the stream goes on
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/test_util.h"
#include "lib/frame_test.h"
#include "lib/opencl_test.h"
#include "frame/frame_split.h"
#include "image/image.h"
#include "model/model.h"
#ifdef MNET_HAVE_OPENCL
#include "cl/cl_fault.h"
#endif

#define V1 "models/mobilenet_v1_0.25_128_quant.tflite"
#define V2 "models/mobilenet_v2_1.0_224_quant.tflite"
#define N_FRAMES 4
#define N_RUNS 6
/* fp32: as the OpenCL suites hold every path to the reference */
#define TOL 1e-4

static const char *const photos[N_FRAMES] = {
	"images/imagenet/n01558993_robin.JPEG",
	"images/cat.bmp",
	"images/parrot.jpg",
	"images/imagenet/n01440764_tench.JPEG",
};

static struct mnet_model *v1, *v2;
static int have_cl;
static struct mnet_frame frames[N_FRAMES];
static uint8_t *bufs[N_FRAMES];

/**
 * struct split_case - one split stream against the unsplit one
 * @name: for messages
 * @v2: on MobileNet V2 (residuals) rather than V1
 * @kind: backend of the stream's session
 * @prec: its precision
 * @cut: the cut to force ($MNET_STREAM_SPLIT), CUT_MEASURED to have the
 *       stream measure, or CUT_MIDDLE for the valid cut nearest the middle
 */
struct split_case {
	const char *name;
	int v2;
	enum mnet_backend_kind kind;
	enum mnet_precision prec;
	int cut;
};

#define CUT_MEASURED -1
#define CUT_MIDDLE -2

static const struct split_case cases[] = {
	{ "cpu int8, cut at 7", 0, MNET_BACKEND_CPU, MNET_PRECISION_INT8, 7 },
	{ "cpu fp32, cut at 7", 0, MNET_BACKEND_CPU, MNET_PRECISION_FP32, 7 },
	{ "cpu int8, cut at 1", 0, MNET_BACKEND_CPU, MNET_PRECISION_INT8, 1 },
	{ "cpu int8, V2 cut mid-way", 1, MNET_BACKEND_CPU,
	  MNET_PRECISION_INT8, CUT_MIDDLE },
	{ "cpu fp32, V2 cut mid-way", 1, MNET_BACKEND_CPU,
	  MNET_PRECISION_FP32, CUT_MIDDLE },
	{ "opencl int8, measured", 0, MNET_BACKEND_OPENCL,
	  MNET_PRECISION_INT8, CUT_MEASURED },
	{ "opencl fp32, measured", 0, MNET_BACKEND_OPENCL,
	  MNET_PRECISION_FP32, CUT_MEASURED },
	{ "opencl int8, cut at 7", 0, MNET_BACKEND_OPENCL,
	  MNET_PRECISION_INT8, 7 },
	{ "opencl int8, V2 cut mid-way", 1, MNET_BACKEND_OPENCL,
	  MNET_PRECISION_INT8, CUT_MIDDLE },
	{ "opencl fp32, V2 cut mid-way", 1, MNET_BACKEND_OPENCL,
	  MNET_PRECISION_FP32, CUT_MIDDLE },
};

static void set_split(const char *v)
{
	if (v)
		setenv("MNET_STREAM_SPLIT", v, 1);
	else
		unsetenv("MNET_STREAM_SPLIT");
}

/* N_RUNS frames through a stream on @s; outputs into @out (n each). */
static int stream_outputs(struct mnet_session *s, const char *split,
			  float *out, size_t n, int *k)
{
	struct mnet_stream *st = NULL;
	struct mnet_stream_result r;
	struct mnet_err err = { 0 };
	int i, ret;

	set_split(split);
	ret = mnet_stream_create(s, 2, &st, &err);
	set_split(NULL);
	if (ret) {
		printf("\n  stream: %s ", err.msg);
		return ret;
	}
	*k = mnet_stream_split_layer(st);
	CU_ASSERT_EQUAL(mnet_stream_submit(st, &frames[0], &err), 0);
	for (i = 0; i < N_RUNS; i++) {
		if (i + 1 < N_RUNS)
			CU_ASSERT_EQUAL(mnet_stream_submit(st,
				&frames[(i + 1) % N_FRAMES], &err), 0);
		CU_ASSERT_EQUAL_FATAL(mnet_stream_wait(st, &r), 0);
		CU_ASSERT_EQUAL(r.frame, (uint64_t)i);
		CU_ASSERT_EQUAL(r.status, 0);
		CU_ASSERT_EQUAL_FATAL(r.count, n);
		memcpy(out + (size_t)i * n, r.output, n * sizeof(float));
	}
	mnet_stream_destroy(st);
	return 0;
}

/* The valid cut of @m nearest its middle layer. */
static int middle_cut(const struct mnet_model *m)
{
	int d, k = m->n_layers / 2;

	for (d = 0; d < m->n_layers; d++) {
		if (mnet_frame_split_ok(m, k - d))
			return k - d;
		if (mnet_frame_split_ok(m, k + d))
			return k + d;
	}
	return 0;
}

static void check_case(const struct split_case *c)
{
	const struct mnet_model *m = c->v2 ? v2 : v1;
	char force[16];
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_err err = { 0 };
	float *want, *got;
	size_t n;
	int k0 = -1, k = 0, cut = c->cut, i;

	mnet_session_opts_init(&o);
	o.backend = c->kind;
	o.precision = c->prec;
	o.threads = 1;
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(m, &o, &s, &err), 0);
	if (cut == CUT_MIDDLE)
		cut = middle_cut(m);
	snprintf(force, sizeof(force), "%d", cut);
	mnet_session_output(s, &n);
	want = calloc(n * N_RUNS, sizeof(float));
	got = calloc(n * N_RUNS, sizeof(float));
	CU_ASSERT_FATAL(want && got);
	CU_ASSERT_EQUAL(stream_outputs(s, "0", want, n, &k0), 0);
	CU_ASSERT_EQUAL(k0, 0);
	CU_ASSERT_EQUAL(stream_outputs(s, cut > 0 ? force : NULL, got, n,
				       &k), 0);
	CU_ASSERT(k > 0);
	if (cut > 0)
		CU_ASSERT_EQUAL(k, cut);
	if (c->prec == MNET_PRECISION_INT8) {
		CU_ASSERT_EQUAL(memcmp(want, got, n * N_RUNS * sizeof(float)),
				0);
	} else {
		for (i = 0; i < N_RUNS; i++)
			CU_ASSERT(mnet_test_max_rel_err(got + (size_t)i * n,
							want + (size_t)i * n,
							n) <= TOL);
	}
	printf("\n  %s: split at %d ", c->name, k);
	free(want);
	free(got);
	mnet_session_destroy(s);
}

static void test_streams(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if ((cases[i].v2 && !v2) ||
		    (cases[i].kind == MNET_BACKEND_OPENCL && !have_cl)) {
			printf("\n  %s: not run (no %s) ", cases[i].name,
			       cases[i].v2 && !v2 ? "V2 file" : "device");
			continue;
		}
		check_case(&cases[i]);
	}
}

/* V1 is a chain: every cut is valid; V2's residuals span some. */
static void test_cuts(void)
{
	int k, valid = 0, refused = 0;

	for (k = 1; k < v1->n_layers; k++)
		CU_ASSERT(mnet_frame_split_ok(v1, k));
	CU_ASSERT(!mnet_frame_split_ok(v1, 0));
	CU_ASSERT(!mnet_frame_split_ok(v1, v1->n_layers));
	if (!v2)
		return;
	for (k = 1; k < v2->n_layers; k++) {
		const struct mnet_layer *l = &v2->layers[k];

		if (mnet_frame_split_ok(v2, k)) {
			valid++;
			/* what crosses is the one tensor layer k reads */
			CU_ASSERT_EQUAL(l->in, v2->layers[k - 1].out);
			CU_ASSERT(l->in2 < 0);
		} else {
			refused++;
		}
		if (l->op == MNET_OP_ADD)	/* its skip input crosses */
			CU_ASSERT(!mnet_frame_split_ok(v2, k));
	}
	CU_ASSERT(valid > 5);
	CU_ASSERT(refused > 5);
}

static void test_views(void)
{
	struct mnet_model *h = NULL, *t = NULL;
	int k = 10;

	CU_ASSERT_EQUAL_FATAL(mnet_frame_split_view(v1, 0, k, &h), 0);
	CU_ASSERT_EQUAL_FATAL(mnet_frame_split_view(v1, k, v1->n_layers, &t),
			      0);
	CU_ASSERT_EQUAL(h->n_layers + t->n_layers, v1->n_layers);
	CU_ASSERT_EQUAL(h->n_tensors, k + 1);
	CU_ASSERT_EQUAL(mnet_model_validate(h, NULL), 0);
	/* (the tail is no image model: its input has the cut's channels) */
	CU_ASSERT_EQUAL(t->tensors[t->input].shape.c,
			v1->layers[k].in_shape.c);
	CU_ASSERT_PTR_EQUAL(h->layers[0].weights, v1->layers[0].weights);
	CU_ASSERT_PTR_EQUAL(t->layers[0].weights, v1->layers[k].weights);
	/* the cut tensor keeps its quantization on both sides */
	CU_ASSERT_EQUAL(h->output_q.scale, t->input_q.scale);
	CU_ASSERT_EQUAL(h->output_q.zero_point, t->input_q.zero_point);
	CU_ASSERT_EQUAL(t->output_q.scale, v1->output_q.scale);
	mnet_frame_split_view_free(h);
	mnet_frame_split_view_free(t);
	CU_ASSERT_EQUAL(mnet_frame_split_view(v1, 0, 0, &h), -EINVAL);
	if (v2)
		CU_ASSERT_EQUAL(mnet_frame_split_view(v2, 0, v2->n_layers + 1,
						      &h), -EINVAL);
}

/*
 * The cut balances the parts: with every layer 1 ms on the host and the
 * device r times slower, the device takes about n / (1 + r) layers.
 */
static void test_choose(void)
{
	static const struct {
		double r;
	} rs[] = { { 1.0 }, { 3.0 }, { 0.25 }, { 30.0 } };
	int n = v1->n_layers, i, k;
	double *host = malloc((size_t)n * sizeof(*host));

	CU_ASSERT_FATAL(host != NULL);
	for (i = 0; i < n; i++)
		host[i] = 1.0;
	for (i = 0; i < (int)(sizeof(rs) / sizeof(rs[0])); i++) {
		double want = n / (1.0 + rs[i].r);

		k = mnet_frame_split_choose(v1, rs[i].r * n, host);
		CU_ASSERT(k >= 1 && k < n);
		CU_ASSERT(fabs(k - want) <= 1.0 || (want < 1.0 && k == 1));
	}
	CU_ASSERT_EQUAL(mnet_frame_split_choose(v1, 0.0, host), 0);
	/* a layer that costs nothing on the host is no reason to cut there */
	for (i = 0; i < n; i++)
		host[i] = 0.0;
	CU_ASSERT_EQUAL(mnet_frame_split_choose(v1, 5.0, host), 0);
	free(host);
}

static void test_bad_force(void)
{
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_stream *st = NULL;
	struct mnet_err err = { 0 };
	char bad[16];

	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_CPU;
	o.threads = 1;
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(v1, &o, &s, &err), 0);
	snprintf(bad, sizeof(bad), "%d", v1->n_layers);
	set_split(bad);
	CU_ASSERT_EQUAL(mnet_stream_create(s, 2, &st, &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "MNET_STREAM_SPLIT"));
	set_split("7x");
	CU_ASSERT_EQUAL(mnet_stream_create(s, 2, &st, &err), -EINVAL);
	set_split(NULL);
	/* not on opencl, not forced: not split */
	CU_ASSERT_EQUAL_FATAL(mnet_stream_create(s, 2, &st, &err), 0);
	CU_ASSERT_EQUAL(mnet_stream_split_layer(st), 0);
	mnet_stream_destroy(st);
	mnet_session_destroy(s);
}

#ifdef MNET_HAVE_OPENCL
/* The next kernel launch fails: on frame 1, which says so; 2, 3 run. */
static void check_fault(const char *split)
{
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_stream *st = NULL;
	struct mnet_stream_result r;
	struct mnet_err err = { 0 };
	int i;

	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_OPENCL;
	o.precision = MNET_PRECISION_INT8;
	o.threads = 1;
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(v1, &o, &s, &err), 0);
	set_split(split);
	CU_ASSERT_EQUAL_FATAL(mnet_stream_create(s, 2, &st, &err), 0);
	set_split(NULL);
	CU_ASSERT_EQUAL(mnet_stream_submit(st, &frames[0], &err), 0);
	CU_ASSERT_EQUAL_FATAL(mnet_stream_wait(st, &r), 0);
	CU_ASSERT_EQUAL(r.status, 0);
	/* both stages idle: the next launch is frame 1's */
	CU_ASSERT_EQUAL(mnet_cl_fault_set("enqueue:1"), 0);
	for (i = 1; i < 4; i++) {
		CU_ASSERT_EQUAL(mnet_stream_submit(st, &frames[i], &err), 0);
		CU_ASSERT_EQUAL_FATAL(mnet_stream_wait(st, &r), 0);
		CU_ASSERT_EQUAL(r.frame, (uint64_t)i);
		if (i == 1) {
			CU_ASSERT_EQUAL(r.status, -EIO);
			CU_ASSERT_PTR_NULL(r.output);
			CU_ASSERT_PTR_NOT_NULL(strstr(r.err.msg, "frame 1"));
		} else {
			CU_ASSERT_EQUAL(r.status, 0);
			CU_ASSERT_PTR_NOT_NULL(r.output);
		}
	}
	mnet_cl_fault_set(NULL);
	mnet_stream_destroy(st);
	mnet_session_destroy(s);
}
#endif

static void test_fault(void)
{
	if (!have_cl) {
		printf("\n  opencl: no device, not run ");
		return;
	}
#ifdef MNET_HAVE_OPENCL
	check_fault("0");
	check_fault("9");
#endif
}

static const CU_TestInfo tests[] = {
	{ "valid cuts: a chain, residuals", test_cuts },
	{ "views share weights, keep the cut's quantization", test_views },
	{ "the cut balances the two parts", test_choose },
	{ "split stream equals the unsplit one", test_streams },
	{ "a bad MNET_STREAM_SPLIT is refused", test_bad_force },
	{ "a device fault is its frame's, the stream goes on", test_fault },
	CU_TEST_INFO_NULL,
};

static int load_frames(void)
{
	int i;

	for (i = 0; i < N_FRAMES; i++) {
		struct mnet_image *img = NULL;
		int w, h, y;
		uint8_t *rgb;

		if (mnet_image_load(mnet_test_shared_path(photos[i]), &img,
				    NULL))
			return -1;
		w = img->w & ~1;
		h = img->h & ~1;
		rgb = malloc((size_t)w * h * 3);
		if (!rgb)
			return -1;
		for (y = 0; y < h; y++)
			memcpy(rgb + (size_t)y * w * 3,
			       img->rgb + (size_t)y * img->w * 3,
			       (size_t)w * 3);
		bufs[i] = ft_frame_from_rgb(rgb, w, h, MNET_FRAME_NV21, 1, 0,
					    &frames[i]);
		free(rgb);
		mnet_image_free(img);
		if (!bufs[i])
			return -1;
	}
	return 0;
}

int main(void)
{
	char cache[64];
	int i, ret;

	if (!mnet_test_have_file(V1) ||
	    !mnet_test_have_file("images/cat.bmp")) {
		printf("shared model or images not found: skipped\n");
		return 77;
	}
	if (mnet_model_load_file(mnet_test_shared_path(V1), &v1, NULL))
		return 1;
	if (mnet_test_have_file(V2) &&
	    mnet_model_load_file(mnet_test_shared_path(V2), &v2, NULL))
		return 1;
	if (load_frames())
		return 1;
	have_cl = cl_test_have_device("frame split", "opencl cases not run",
				      cache, sizeof(cache));
	ret = mnet_test_run_suite("frame split", tests);
	for (i = 0; i < N_FRAMES; i++)
		free(bufs[i]);
	mnet_model_free(v2);
	mnet_model_free(v1);
	return ret;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * test_opencl_map.c - mapped input/output against copies
 *
 * On a host-unified device the OpenCL backend maps the buffers of the model
 * input and output instead of copying them (backend_opencl.c, "Mapped
 * input/output"); $MNET_CL_MAP=1 forces that path on any device and
 * $MNET_CL_MAP=0 the copies, so both run here whatever the device.  The
 * same kernels see the same data, so the outputs must be bit-identical:
 *
 *  - synthetic V1 0.25/128 and the shared mobilenet_v1_0.25_128_quant file
 *    (on images/cat.bmp), fp32 and fp16-storage: both paths give equal
 *    outputs over three runs (input A, another input B, A again, which
 *    checks that nothing of one run leaks into the next) and the
 *    reference path's top-1;
 *  - with the first or the last layer on the host (MNET_CL_FAIL_LAYER: the
 *    host reads the mapped input buffer and writes the mapped output one)
 *    and through mnet_session_layer_output();
 *  - a failed map or unmap (MNET_CL_FAULT=map:N, each of the five calls of
 *    a first run, then a device broken for two runs) makes the run return
 *    -EIO and the next run give the same output as before, and an unmap
 *    that failed is made again before the buffer is used;
 *  - with $MNET_CL_MAP unset the path follows CL_DEVICE_HOST_UNIFIED_MEMORY,
 *    and a value other than 0 or 1 leaves a note.
 *
 * Without an OpenCL device, or without the shared files, the suite exits
 * 77 (skipped).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/test_util.h"
#include "lib/opencl_test.h"
#include "synthetic/synthetic.h"

#ifdef MNET_HAVE_OPENCL
#include "cl/cl_fault.h"

#define MODEL_FILE "models/mobilenet_v1_0.25_128_quant.tflite"
#define IMAGE_FILE "images/cat.bmp"

static char cache_dir[256];

static const struct map_case {
	const char *name;
	const char *file;	/* shared .tflite, or NULL: synthetic */
	float alpha;
	int res;
	enum mnet_precision precision;
} cases[] = {
	{ "synthetic 0.25/128, fp32", NULL, 0.25f, 128, MNET_PRECISION_FP32 },
	{ "synthetic 0.25/128, fp16-storage", NULL, 0.25f, 128,
	  MNET_PRECISION_FP16_STORAGE },
	{ "mobilenet_v1_0.25_128_quant, fp32", MODEL_FILE, 0, 0,
	  MNET_PRECISION_FP32 },
	{ "mobilenet_v1_0.25_128_quant, fp16-storage", MODEL_FILE, 0, 0,
	  MNET_PRECISION_FP16_STORAGE },
};

/* a model with its two inputs: A (synthetic or the cat photo), B random */
struct subject {
	struct mnet_model *m;
	float *in[2];
	size_t n_in;
};

static void subject_init(struct subject *sb, const struct map_case *c)
{
	struct mnet_image *img = NULL;
	struct mnet_err err = { 0 };
	struct mnet_shape sh;
	int ret;

	memset(sb, 0, sizeof(*sb));
	if (c->file)
		ret = mnet_model_load_file(mnet_test_shared_path(c->file),
					   &sb->m, &err);
	else
		ret = mnet_model_create_synthetic(c->alpha, c->res, &sb->m,
						  &err);
	if (ret)
		printf("\n  %s: %s\n", c->name, err.msg);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	sh = mnet_model_input_shape(sb->m);
	sb->n_in = (size_t)sh.h * sh.w * sh.c;
	sb->in[0] = malloc(sb->n_in * sizeof(float));
	sb->in[1] = malloc(sb->n_in * sizeof(float));
	CU_ASSERT_FATAL(sb->in[0] && sb->in[1]);
	if (c->file) {
		ret = mnet_image_load(mnet_test_shared_path(IMAGE_FILE), &img,
				      &err);
		CU_ASSERT_EQUAL_FATAL(ret, 0);
		ret = mnet_image_preprocess(img, sb->m, 0.875f, sb->in[0],
					    sb->n_in);
		mnet_image_free(img);
		CU_ASSERT_EQUAL_FATAL(ret, 0);
	} else {
		mnet_synthetic_input(c->res, sb->in[0]);
	}
	mnet_test_fill_random(sb->in[1], sb->n_in, 11, -1.0f, 1.0f);
}

static void subject_fini(struct subject *sb)
{
	free(sb->in[0]);
	free(sb->in[1]);
	mnet_model_free(sb->m);
}

/* An OpenCL session on the mapped (@map 1) or copied (0) path. */
static struct mnet_session *open_session(const struct mnet_model *m,
					 enum mnet_precision p, int map)
{
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_err err = { 0 };
	int ret;

	setenv("MNET_CL_MAP", map ? "1" : "0", 1);
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_OPENCL;
	o.precision = p;
	ret = mnet_session_create(m, &o, &s, &err);
	unsetenv("MNET_CL_MAP");
	if (ret)
		printf("\n  mnet_session_create: %s\n", err.msg);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(mnet_session_device_name(s),
				      map ? "mapped I/O" : "copied I/O"));
	return s;
}

/* 1 when the last outputs of @a and @b are equal bit for bit. */
static int same_output(const struct mnet_session *a,
		       const struct mnet_session *b)
{
	size_t na, nb;
	const float *oa = mnet_session_output(a, &na);
	const float *ob = mnet_session_output(b, &nb);

	return na == nb && !memcmp(oa, ob, na * sizeof(*oa));
}

/* One run of @in on the copied and the mapped session; same_output(). */
static int run_both(struct mnet_session *cp, struct mnet_session *mp,
		    const float *in, size_t n)
{
	CU_ASSERT_EQUAL_FATAL(mnet_session_run(cp, in, n), 0);
	CU_ASSERT_EQUAL_FATAL(mnet_session_run(mp, in, n), 0);
	return same_output(cp, mp);
}

static int top1(const struct mnet_session *s)
{
	struct mnet_class c;

	return mnet_session_topk(s, 1, &c) == 1 ? c.index : -1;
}

static int ref_top1(const struct subject *sb)
{
	struct mnet_session_opts o;
	struct mnet_session *s;
	struct mnet_err err = { 0 };
	int t;

	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_REF;
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(sb->m, &o, &s, &err), 0);
	CU_ASSERT_EQUAL_FATAL(mnet_session_run(s, sb->in[0], sb->n_in), 0);
	t = top1(s);
	mnet_session_destroy(s);
	return t;
}

static void test_bit_identical(void)
{
	static const int order[] = { 0, 1, 0 };
	unsigned int i, r;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct map_case *c = &cases[i];
		struct mnet_session *cp, *mp;
		struct subject sb;
		int ref;

		subject_init(&sb, c);
		ref = ref_top1(&sb);
		cp = open_session(sb.m, c->precision, 0);
		mp = open_session(sb.m, c->precision, 1);
		for (r = 0; r < 3; r++) {
			int same = run_both(cp, mp, sb.in[order[r]], sb.n_in);

			if (!same)
				printf("\n  %s, run %u: outputs differ",
				       c->name, r);
			CU_ASSERT(same);
		}
		printf("\n  %s: top-1 mapped %d, copied %d, reference %d",
		       c->name, top1(mp), top1(cp), ref);
		CU_ASSERT_EQUAL(top1(mp), ref);
		CU_ASSERT_EQUAL(top1(cp), ref);
		mnet_session_destroy(cp);
		mnet_session_destroy(mp);
		subject_fini(&sb);
	}
}

/* Layer @layer's output on both paths, after one run each. */
static void check_layer_output(struct mnet_session *cp,
			       struct mnet_session *mp,
			       const struct mnet_model *m, int layer)
{
	struct mnet_layer_info li;
	float *a, *b;
	size_t n;

	mnet_model_layer_info(m, layer, &li);
	n = (size_t)li.out.h * li.out.w * li.out.c;
	a = malloc(n * sizeof(*a));
	b = malloc(n * sizeof(*b));
	CU_ASSERT_FATAL(a && b);
	CU_ASSERT_EQUAL_FATAL(mnet_session_layer_output(cp, layer, a, n), 0);
	CU_ASSERT_EQUAL_FATAL(mnet_session_layer_output(mp, layer, b, n), 0);
	CU_ASSERT(!memcmp(a, b, n * sizeof(*a)));
	free(a);
	free(b);
}

/*
 * The first layer on the host reads the mapped input buffer, the last
 * writes the mapped output buffer; layer_output() reads either.
 */
static void test_host_layers(void)
{
	struct mnet_session *cp, *mp;
	struct mnet_layer_time t[64];
	struct subject sb;
	int n, k, fail[2];
	char v[16];

	subject_init(&sb, &cases[0]);
	n = mnet_model_layer_count(sb.m);
	CU_ASSERT_FATAL(n <= 64);
	fail[0] = 0;
	fail[1] = n - 1;
	for (k = 0; k < 2; k++) {
		snprintf(v, sizeof(v), "%d", fail[k]);
		setenv("MNET_CL_FAIL_LAYER", v, 1);
		cp = open_session(sb.m, MNET_PRECISION_FP32, 0);
		mp = open_session(sb.m, MNET_PRECISION_FP32, 1);
		unsetenv("MNET_CL_FAIL_LAYER");
		CU_ASSERT(run_both(cp, mp, sb.in[0], sb.n_in));
		CU_ASSERT_EQUAL_FATAL(mnet_session_layer_times(mp, t), 0);
		CU_ASSERT_STRING_EQUAL(t[fail[k]].backend, "ref");
		check_layer_output(cp, mp, sb.m, 0);
		check_layer_output(cp, mp, sb.m, n - 1);
		check_layer_output(cp, mp, sb.m, n / 2);
		/* layer_output() re-ran layers: the next run is still right */
		CU_ASSERT(run_both(cp, mp, sb.in[1], sb.n_in));
		mnet_session_destroy(cp);
		mnet_session_destroy(mp);
	}
	subject_fini(&sb);
}

static void check_no_live_objects(void)
{
	int o;

	for (o = 0; o < MNET_CL_OBJ_KINDS; o++)
		CU_ASSERT_EQUAL(mnet_cl_objects_live(o), 0);
}

/*
 * A session's first run makes five map-kind calls (backend_opencl.c): map
 * the input (blocking), unmap it, map it ahead for the next run, map the
 * output (blocking), unmap it.  Failing call N of that run returns -EIO;
 * the next run gives the output of the copied path, unmapping first what
 * failed to unmap, and mapping the input (blocking) again unless the
 * failure came after it was mapped ahead.  @calls: the map-kind calls of
 * both runs together.
 */
static const struct map_fault {
	const char *name;
	unsigned long calls;
} map_faults[] = {
	{ "input map", 1 + 1 + 4 },
	{ "input unmap", 2 + 1 + 1 + 4 },
	{ "input map ahead", 3 + 1 + 4 },
	{ "output map", 4 + 4 },
	{ "output unmap", 5 + 1 + 4 },
};

static void test_map_faults(void)
{
	struct mnet_session *cp, *mp;
	struct subject sb;
	char spec[16];
	unsigned int i;
	int ret;

	subject_init(&sb, &cases[0]);
	cp = open_session(sb.m, MNET_PRECISION_FP32, 0);
	CU_ASSERT_EQUAL_FATAL(mnet_session_run(cp, sb.in[0], sb.n_in), 0);
	for (i = 0; i < sizeof(map_faults) / sizeof(map_faults[0]); i++) {
		mp = open_session(sb.m, MNET_PRECISION_FP32, 1);
		snprintf(spec, sizeof(spec), "map:%u", i + 1);
		CU_ASSERT_EQUAL_FATAL(mnet_cl_fault_set(spec), 0);
		ret = mnet_session_run(mp, sb.in[1], sb.n_in);
		printf("\n  %s fails: run returns %d (%s)", map_faults[i].name,
		       ret, mnet_strerror(ret));
		CU_ASSERT_EQUAL(ret, -EIO);
		CU_ASSERT_EQUAL(mnet_cl_fault_injected(), 1);
		CU_ASSERT_EQUAL(mnet_session_run(mp, sb.in[0], sb.n_in), 0);
		CU_ASSERT(same_output(cp, mp));
		CU_ASSERT_EQUAL(mnet_cl_fault_calls(MNET_CL_FAULT_MAP),
				map_faults[i].calls);
		/* and again, from the input mapped ahead */
		CU_ASSERT_EQUAL(mnet_session_run(mp, sb.in[0], sb.n_in), 0);
		CU_ASSERT(same_output(cp, mp));
		mnet_cl_fault_set(NULL);
		mnet_session_destroy(mp);
	}

	/* a device broken for two runs, then well again */
	mp = open_session(sb.m, MNET_PRECISION_FP32, 1);
	CU_ASSERT_EQUAL_FATAL(mnet_cl_fault_set("map:1+"), 0);
	CU_ASSERT_EQUAL(mnet_session_run(mp, sb.in[0], sb.n_in), -EIO);
	CU_ASSERT_EQUAL(mnet_session_run(mp, sb.in[0], sb.n_in), -EIO);
	mnet_cl_fault_set(NULL);
	CU_ASSERT_EQUAL(mnet_session_run(mp, sb.in[0], sb.n_in), 0);
	CU_ASSERT(same_output(cp, mp));
	mnet_session_destroy(mp);

	/*
	 * the output unmap fails at a session's last run: destroy unmaps
	 * the input mapped ahead and the output (calls 6 and 7)
	 */
	mp = open_session(sb.m, MNET_PRECISION_FP32, 1);
	CU_ASSERT_EQUAL_FATAL(mnet_cl_fault_set("map:5"), 0);
	CU_ASSERT_EQUAL(mnet_session_run(mp, sb.in[0], sb.n_in), -EIO);
	mnet_session_destroy(mp);
	CU_ASSERT_EQUAL(mnet_cl_fault_calls(MNET_CL_FAULT_MAP), 7);
	mnet_cl_fault_set(NULL);
	mnet_session_destroy(cp);
	check_no_live_objects();
	subject_fini(&sb);
}

static void test_default_and_bad_value(void)
{
	struct mnet_session_opts o;
	struct mnet_session *s;
	struct mnet_cl_device dev;
	struct mnet_err err = { 0 };
	struct subject sb;

	CU_ASSERT_EQUAL_FATAL(mnet_cl_device_select(NULL, &dev, &err), 0);
	subject_init(&sb, &cases[0]);
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_OPENCL;
	o.precision = MNET_PRECISION_FP32;
	unsetenv("MNET_CL_MAP");
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(sb.m, &o, &s, &err), 0);
	printf("\n  %s: host-unified memory %d, unset MNET_CL_MAP: %s",
	       dev.name, dev.unified, mnet_session_device_name(s));
	CU_ASSERT_PTR_NOT_NULL(strstr(mnet_session_device_name(s),
				      dev.unified ? "mapped I/O" :
						    "copied I/O"));
	mnet_session_destroy(s);

	setenv("MNET_CL_MAP", "yes", 1);
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(sb.m, &o, &s, &err), 0);
	unsetenv("MNET_CL_MAP");
	CU_ASSERT_EQUAL(err.code, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "MNET_CL_MAP=yes"));
	CU_ASSERT_PTR_NOT_NULL(strstr(mnet_session_device_name(s),
				      dev.unified ? "mapped I/O" :
						    "copied I/O"));
	mnet_session_destroy(s);
	subject_fini(&sb);
}

static const CU_TestInfo tests[] = {
	{ "mapped and copied I/O give bit-identical outputs",
	  test_bit_identical },
	{ "host layers and layer_output() on mapped buffers",
	  test_host_layers },
	{ "a failed map or unmap: -EIO, then the right answer",
	  test_map_faults },
	{ "MNET_CL_MAP unset follows the device, bad values noted",
	  test_default_and_bad_value },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	int ret;

	if (!mnet_test_have_file(MODEL_FILE) ||
	    !mnet_test_have_file(IMAGE_FILE)) {
		printf("opencl_map: %s or %s not found under %s: skipped\n",
		       MODEL_FILE, IMAGE_FILE, mnet_test_shared_path(""));
		return 77;
	}
	cl_test_require_device("opencl_map", cache_dir, sizeof(cache_dir));
	unsetenv("MNET_CL_FAULT");
	unsetenv("MNET_CL_FAIL_LAYER");
	unsetenv("MNET_CL_MAP");
	ret = mnet_test_run_suite("opencl_map", tests);
	cl_test_remove_dir(cache_dir);
	return ret;
}
#else
int main(void)
{
	char dir[8];

	cl_test_require_device("opencl_map", dir, sizeof(dir));
	return 77;
}
#endif

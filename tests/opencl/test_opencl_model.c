// SPDX-License-Identifier: Apache-2.0
/*
 * test_opencl_model.c - whole models on the OpenCL backend vs the reference
 *
 * Synthetic MobileNet V1 models run on the OpenCL device and on the
 * reference path from the same input; the outputs (probabilities) and every
 * layer's output must agree within 1e-4 of the largest reference value.
 * A forced build failure of one layer (MNET_CL_FAIL_LAYER) must put exactly
 * that layer on the host and give the same result, and so must a kernel
 * that really does not compile (a broken copy under MNET_CL_DIR).  Also:
 * auto precision, device selection by index, name and $MNET_DEVICE, and
 * three sessions on three threads sharing one empty program cache.  (The
 * half-precision modes are test_opencl_precision.)  Without an OpenCL
 * device the suite exits 77 (skipped).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/test_util.h"
#include "lib/opencl_test.h"
#include "synthetic/synthetic.h"

#ifdef MNET_HAVE_OPENCL
#define TOL 1e-4

static char cache_dir[256];

struct run {
	struct mnet_model *m;
	float *in, *ref_out;
	size_t n_in, n_out;
};

static void run_setup(struct run *r, float alpha, int res)
{
	struct mnet_session_opts o;
	struct mnet_session *s;
	struct mnet_err err;

	memset(r, 0, sizeof(*r));
	CU_ASSERT_FATAL(!mnet_model_create_synthetic(alpha, res, &r->m, &err));
	r->n_in = (size_t)res * res * 3;
	r->n_out = mnet_model_output_size(r->m);
	r->in = malloc(r->n_in * sizeof(float));
	r->ref_out = malloc(r->n_out * sizeof(float));
	CU_ASSERT_FATAL(r->in && r->ref_out);
	mnet_synthetic_input(res, r->in);
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_REF;
	CU_ASSERT_FATAL(!mnet_session_create(r->m, &o, &s, &err));
	CU_ASSERT_FATAL(!mnet_session_run(s, r->in, r->n_in));
	memcpy(r->ref_out, mnet_session_output(s, NULL),
	       r->n_out * sizeof(float));
	mnet_session_destroy(s);
}

static void run_teardown(struct run *r)
{
	free(r->in);
	free(r->ref_out);
	mnet_model_free(r->m);
}

static struct mnet_session *cl_session(const struct mnet_model *m,
				       enum mnet_precision p, int profile)
{
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_err err = { 0 };
	int ret;

	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_OPENCL;
	o.precision = p;
	o.profile = profile;
	ret = mnet_session_create(m, &o, &s, &err);
	if (ret)
		printf("\nmnet_session_create: %s\n", err.msg);
	CU_ASSERT_EQUAL(ret, 0);
	return s;
}

/* every layer's output of @s against a reference session's */
static double max_layer_err(struct mnet_session *s, const struct run *r)
{
	struct mnet_session_opts o;
	struct mnet_session *ref;
	struct mnet_err err;
	double worst = 0.0;
	float *a, *b;
	int i, n = mnet_model_layer_count(r->m);

	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_REF;
	CU_ASSERT_FATAL(!mnet_session_create(r->m, &o, &ref, &err));
	CU_ASSERT_FATAL(!mnet_session_run(ref, r->in, r->n_in));
	a = malloc(4u << 20);
	b = malloc(4u << 20);
	CU_ASSERT_FATAL(a && b);
	for (i = 0; i < n; i++) {
		struct mnet_layer_info li;
		size_t cnt;
		double e;

		mnet_model_layer_info(r->m, i, &li);
		cnt = (size_t)li.out.h * li.out.w * li.out.c;
		CU_ASSERT_FATAL(cnt <= (1u << 20));
		CU_ASSERT_EQUAL_FATAL(mnet_session_layer_output(s, i, a, cnt), 0);
		CU_ASSERT_EQUAL_FATAL(mnet_session_layer_output(ref, i, b, cnt), 0);
		e = mnet_test_max_rel_err(a, b, cnt);
		if (e > TOL)
			printf("\nlayer %d (%s): rel err %.3g\n", i, li.name, e);
		if (e > worst)
			worst = e;
	}
	free(a);
	free(b);
	mnet_session_destroy(ref);
	return worst;
}

static void check_model(float alpha, int res)
{
	struct mnet_layer_time *t;
	struct mnet_session *s;
	struct run r;
	double e;
	int i, n;

	run_setup(&r, alpha, res);
	s = cl_session(r.m, MNET_PRECISION_FP32, 1);
	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT_STRING_EQUAL(mnet_session_backend_name(s), "opencl");
	CU_ASSERT_EQUAL_FATAL(mnet_session_run(s, r.in, r.n_in), 0);
	e = mnet_test_max_rel_err(mnet_session_output(s, NULL), r.ref_out,
				  r.n_out);
	printf("\n%s: output max rel err %.3g\n", mnet_model_name(r.m), e);
	CU_ASSERT(e <= TOL);
	/* a second run on the same session gives the same answer */
	CU_ASSERT_EQUAL_FATAL(mnet_session_run(s, r.in, r.n_in), 0);
	CU_ASSERT(mnet_test_max_rel_err(mnet_session_output(s, NULL),
					r.ref_out, r.n_out) <= TOL);
	n = mnet_model_layer_count(r.m);
	t = calloc(n, sizeof(*t));
	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_EQUAL(mnet_session_layer_times(s, t), 0);
	for (i = 0; i < n; i++) {
		CU_ASSERT_STRING_EQUAL(t[i].backend, "opencl");
		CU_ASSERT(t[i].ms >= 0.0);
	}
	free(t);
	e = max_layer_err(s, &r);
	printf("%s: worst layer max rel err %.3g\n", mnet_model_name(r.m), e);
	CU_ASSERT(e <= TOL);
	mnet_session_destroy(s);
	run_teardown(&r);
}

static void test_model_025_128(void)
{
	check_model(0.25f, 128);
}

static void test_model_050_160(void)
{
	check_model(0.5f, 160);
}

static void test_forced_fallback(void)
{
	struct mnet_layer_time *t;
	struct mnet_session *s;
	const float *out;
	struct run r;
	int i, n, forced = 3;
	char val[16];

	run_setup(&r, 0.25f, 128);
	n = mnet_model_layer_count(r.m);
	snprintf(val, sizeof(val), "%d", forced);
	setenv("MNET_CL_FAIL_LAYER", val, 1);
	s = cl_session(r.m, MNET_PRECISION_FP32, 0);
	unsetenv("MNET_CL_FAIL_LAYER");
	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT_EQUAL_FATAL(mnet_session_run(s, r.in, r.n_in), 0);
	out = mnet_session_output(s, NULL);
	CU_ASSERT(mnet_test_max_rel_err(out, r.ref_out, r.n_out) <= TOL);
	t = calloc(n, sizeof(*t));
	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_EQUAL(mnet_session_layer_times(s, t), 0);
	for (i = 0; i < n; i++)
		CU_ASSERT_STRING_EQUAL(t[i].backend,
				       i == forced ? "ref" : "opencl");
	CU_ASSERT(max_layer_err(s, &r) <= TOL);
	free(t);
	mnet_session_destroy(s);
	run_teardown(&r);
}

static void test_auto_precision(void)
{
	struct mnet_cl_device dev;
	struct mnet_session *s;
	struct mnet_err err;
	struct run r;

	/* auto: fp32 on CPU devices, fp16 storage elsewhere */
	CU_ASSERT_FATAL(!mnet_cl_device_select(NULL, &dev, &err));
	run_setup(&r, 0.25f, 128);
	s = cl_session(r.m, MNET_PRECISION_AUTO, 0);
	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT_STRING_EQUAL(mnet_session_backend_name(s),
			       (dev.type & CL_DEVICE_TYPE_CPU) ?
			       "opencl" : "opencl-fp16-storage");
	mnet_session_destroy(s);
	run_teardown(&r);
}

static void test_device_selection(void)
{
	struct mnet_cl_device *devs, d;
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_err err = { 0 };
	struct mnet_model *m;
	char want[64];
	int n, i;

	CU_ASSERT_FATAL(!mnet_cl_devices_list(&devs, &n, &err));
	CU_ASSERT_FATAL(n >= 1);
	for (i = 0; i < n; i++) {
		/* by index and by (lower-cased) name substring */
		snprintf(want, sizeof(want), "%d", i);
		CU_ASSERT_EQUAL(mnet_cl_device_select(want, &d, &err), 0);
		CU_ASSERT_EQUAL(d.index, i);
		CU_ASSERT_STRING_EQUAL(d.name, devs[i].name);
	}
	snprintf(want, sizeof(want), "%.6s", devs[0].name);
	for (i = 0; want[i]; i++)
		want[i] = (char)(want[i] >= 'A' && want[i] <= 'Z' ?
				 want[i] - 'A' + 'a' : want[i]);
	CU_ASSERT_EQUAL(mnet_cl_device_select(want, &d, &err), 0);
	/* the default prefers a GPU when there is one */
	CU_ASSERT_EQUAL(mnet_cl_device_select(NULL, &d, &err), 0);
	for (i = 0; i < n; i++)
		if (devs[i].type & CL_DEVICE_TYPE_GPU)
			CU_ASSERT(d.type & CL_DEVICE_TYPE_GPU);
	free(devs);

	CU_ASSERT_FATAL(!mnet_model_create_synthetic(0.25f, 32, &m, &err));
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_OPENCL;
	o.device = "no-such-device-anywhere";
	CU_ASSERT_EQUAL(mnet_session_create(m, &o, &s, &err), -ENODEV);
	CU_ASSERT(strstr(err.msg, "no-such-device-anywhere") != NULL);
	o.device = "99";
	CU_ASSERT_EQUAL(mnet_session_create(m, &o, &s, &err), -ENODEV);
	/* $MNET_DEVICE is used when the options name no device */
	o.device = NULL;
	setenv("MNET_DEVICE", "no-such-device-anywhere", 1);
	CU_ASSERT_EQUAL(mnet_session_create(m, &o, &s, &err), -ENODEV);
	unsetenv("MNET_DEVICE");
	mnet_model_free(m);
}

/* copy the source tree's kernels to @dir, replacing @broken with junk */
static int kernels_with_broken(const char *dir, const char *broken)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd),
		 "cp '%s'/cl_kernels/* '%s'/ && echo 'this is not OpenCL C' > '%s/%s'",
		 MNET_SOURCE_DIR, dir, dir, broken);
	return system(cmd);
}

static void test_build_failure_fallback(void)
{
	struct mnet_layer_time *t;
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_err err = { 0 };
	char dir[512];
	struct run r;
	int i, n, ret;

	/* a real compile error (not the test hook): softmax.cl is broken */
	snprintf(dir, sizeof(dir), "%s/kernels", cache_dir);
	CU_ASSERT_FATAL(mkdir(dir, 0700) == 0);
	CU_ASSERT_FATAL(kernels_with_broken(dir, "softmax.cl") == 0);
	run_setup(&r, 0.25f, 128);
	n = mnet_model_layer_count(r.m);
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_OPENCL;
	o.precision = MNET_PRECISION_FP32;
	setenv("MNET_CL_DIR", dir, 1);
	ret = mnet_session_create(r.m, &o, &s, &err);
	unsetenv("MNET_CL_DIR");
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	/* the session works and says which layer left the device, and why */
	printf("\n  %s\n", err.msg);
	CU_ASSERT_EQUAL(err.code, 0);
	CU_ASSERT(strstr(err.msg, "runs on the host") != NULL);
	CU_ASSERT(strstr(err.msg, "softmax.cl") != NULL);
	CU_ASSERT_EQUAL_FATAL(mnet_session_run(s, r.in, r.n_in), 0);
	CU_ASSERT(mnet_test_max_rel_err(mnet_session_output(s, NULL),
					r.ref_out, r.n_out) <= TOL);
	t = calloc(n, sizeof(*t));
	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_EQUAL(mnet_session_layer_times(s, t), 0);
	for (i = 0; i < n; i++)
		CU_ASSERT_STRING_EQUAL(t[i].backend,
				       r.m->layers[i].op == MNET_OP_SOFTMAX ?
				       "ref" : "opencl");
	free(t);
	mnet_session_destroy(s);
	run_teardown(&r);
}

struct thread_job {
	const struct mnet_model *m;
	const float *in;
	size_t n_in;
	float *out;
	int ret;
};

static void *thread_run(void *arg)
{
	struct thread_job *j = arg;
	struct mnet_session_opts o;
	struct mnet_session *s;
	int i;

	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_OPENCL;
	o.precision = MNET_PRECISION_FP32;
	j->ret = mnet_session_create(j->m, &o, &s, NULL);
	if (j->ret)
		return NULL;
	for (i = 0; i < 5 && !j->ret; i++)
		j->ret = mnet_session_run(s, j->in, j->n_in);
	if (!j->ret)
		memcpy(j->out, mnet_session_output(s, NULL),
		       mnet_model_output_size(j->m) * sizeof(float));
	mnet_session_destroy(s);
	return NULL;
}

/* a three-layer model, so that three threads compiling it stay cheap */
static struct mnet_model *tiny_model(void)
{
	struct mnet_shape s0 = { 16, 16, 3 }, s1 = { 8, 8, 8 };
	struct mnet_shape s2 = { 8, 8, 12 };
	struct mnet_model *m = mnet_model_alloc(3, 4);
	struct mnet_layer *l;
	struct mnet_err err;
	int i;

	if (!m)
		return NULL;
	strcpy(m->name, "tiny");
	m->tensors[0].shape = s0;
	m->tensors[1].shape = s1;
	m->tensors[2].shape = s2;
	m->tensors[3].shape = s2;
	m->input = 0;
	m->output = 3;
	l = m->layers;
	l[0] = (struct mnet_layer){ .op = MNET_OP_CONV2D, .in = 0, .in2 = -1,
		.out = 1, .in_shape = s0, .out_shape = s1, .kh = 3, .kw = 3,
		.stride_h = 2, .stride_w = 2, .act = MNET_ACT_RELU6,
		.n_weights = 8 * 9 * 3 };
	l[1] = (struct mnet_layer){ .op = MNET_OP_PWCONV2D, .in = 1, .in2 = -1,
		.out = 2, .in_shape = s1, .out_shape = s2, .stride_h = 1,
		.stride_w = 1, .n_weights = 12 * 8 };
	l[2] = (struct mnet_layer){ .op = MNET_OP_SOFTMAX, .in = 2, .in2 = -1,
		.out = 3, .in_shape = s2, .out_shape = s2, .beta = 1.0f };
	for (i = 0; i < 2; i++) {
		l[i].weights = malloc(l[i].n_weights * sizeof(float));
		l[i].bias = malloc(l[i].out_shape.c * sizeof(float));
		if (!l[i].weights || !l[i].bias)
			goto out_free;
		mnet_test_fill_random(l[i].weights, l[i].n_weights, 11 + i,
				      -0.5f, 0.5f);
		mnet_test_fill_random(l[i].bias, l[i].out_shape.c, 21 + i,
				      -0.5f, 0.5f);
	}
	l[0].pad_top = l[0].pad_left = mnet_same_pad(16, 3, 2, &i);
	if (!mnet_model_validate(m, &err))
		return m;
	printf("\ntiny model: %s\n", err.msg);
out_free:
	mnet_model_free(m);
	return NULL;
}

static void test_concurrent_sessions(void)
{
	struct mnet_session_opts o;
	struct mnet_session *ref;
	struct thread_job jobs[3];
	struct mnet_model *m;
	struct mnet_err err;
	float in[16 * 16 * 3], ref_out[8 * 8 * 12];
	char dir[512];
	pthread_t th[3];
	int i;

	/*
	 * One model, three sessions on three threads, one empty cache: all
	 * three build and write the same entries at the same time.
	 */
	m = tiny_model();
	CU_ASSERT_FATAL(m != NULL);
	mnet_test_fill_random(in, 16 * 16 * 3, 5, -1.0f, 1.0f);
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_REF;
	CU_ASSERT_FATAL(!mnet_session_create(m, &o, &ref, &err));
	CU_ASSERT_FATAL(!mnet_session_run(ref, in, 16 * 16 * 3));
	memcpy(ref_out, mnet_session_output(ref, NULL), sizeof(ref_out));
	mnet_session_destroy(ref);
	snprintf(dir, sizeof(dir), "%s/concurrent", cache_dir);
	setenv("MNET_CL_CACHE_DIR", dir, 1);
	for (i = 0; i < 3; i++) {
		jobs[i] = (struct thread_job){ .m = m, .in = in,
			.n_in = 16 * 16 * 3 };
		jobs[i].out = malloc(sizeof(ref_out));
		CU_ASSERT_FATAL(jobs[i].out != NULL);
		CU_ASSERT_FATAL(!pthread_create(&th[i], NULL, thread_run,
						&jobs[i]));
	}
	for (i = 0; i < 3; i++) {
		pthread_join(th[i], NULL);
		CU_ASSERT_EQUAL(jobs[i].ret, 0);
		if (!jobs[i].ret)
			CU_ASSERT(mnet_test_max_rel_err(jobs[i].out, ref_out,
							8 * 8 * 12) <= TOL);
		free(jobs[i].out);
	}
	setenv("MNET_CL_CACHE_DIR", cache_dir, 1);
	mnet_model_free(m);
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "synthetic 0.25/128 vs ref", test_model_025_128 },
		{ "synthetic 0.5/160 vs ref", test_model_050_160 },
		{ "forced layer failure falls back to the host", test_forced_fallback },
		{ "auto precision", test_auto_precision },
		{ "device selection by index, name, environment", test_device_selection },
		{ "a kernel that does not compile falls back", test_build_failure_fallback },
		{ "concurrent sessions on threads", test_concurrent_sessions },
		CU_TEST_INFO_NULL,
	};
	int ret;

	cl_test_require_device("opencl_model", cache_dir, sizeof(cache_dir));
	ret = mnet_test_run_suite("opencl_model", tests);
	cl_test_remove_dir(cache_dir);
	return ret;
}
#else
int main(void)
{
	printf("opencl_model: skipped: built without OpenCL\n");
	return 77;
}
#endif

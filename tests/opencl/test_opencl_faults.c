// SPDX-License-Identifier: Apache-2.0
/*
 * test_opencl_faults.c - OpenCL calls that fail, one at a time and for good
 *
 * A counting pass records how many calls of each kind (cl_fault.h: build,
 * program, kernel, create_buffer, enqueue, read, write, map, finish,
 * context) creating a session, two inferences and destroying it make.
 * Then, for each kind, the Nth call is made to fail, for N spread over
 * every call of that kind (every N when there are few), and:
 *
 *  - session creation either succeeds (the failing layer falls back to the
 *    host) or returns a negative errno with a message, leaving nothing;
 *  - a run either gives the reference result (within 1e-4 of its largest
 *    value, as test_opencl_model) or returns -EIO, after which the next
 *    run must give the reference result: the session stays usable;
 *  - after mnet_session_destroy() no OpenCL object (buffer, kernel,
 *    program, queue, context, event) is left alive.
 *
 * A persistent failure (KIND:1+: the device stays broken) must give a
 * clean error on the OpenCL backend, and under MNET_BACKEND_AUTO a working
 * session on the CPU backend with the reference result.
 *
 * The suite runs twice: with mapped input/output ($MNET_CL_MAP=1), where a
 * run maps and unmaps the input and output buffers (the map kind), and
 * with copies ($MNET_CL_MAP=0), where it reads and writes them (the read
 * and write kinds).  Without an OpenCL device it exits 77 (skipped).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/test_util.h"
#include "lib/opencl_test.h"

#ifdef MNET_HAVE_OPENCL
#include "cl/cl_fault.h"

#define TOL 1e-4
#define MAX_TRIALS 10		/* injection points per kind */

static char cache_dir[256];
static struct mnet_model *model;
static float *input, *ref_out;
static size_t n_in, n_out;
static unsigned long calls[MNET_CL_FAULT_KINDS];
static int map_io;		/* this pass: mapped (1) or copied (0) I/O */

struct outcome {
	int trials, create_err, run_err, host_layers, clean;
};

static struct outcome outcomes[MNET_CL_FAULT_KINDS];

static void check_no_live_objects(const char *what)
{
	static const char *const names[MNET_CL_OBJ_KINDS] = {
		"buffers", "kernels", "programs", "queues", "contexts",
		"events",
	};
	int o;

	for (o = 0; o < MNET_CL_OBJ_KINDS; o++) {
		long n = mnet_cl_objects_live(o);

		if (n)
			printf("\n  %s: %ld %s left alive", what, n, names[o]);
		CU_ASSERT_EQUAL(n, 0);
	}
}

static int create(enum mnet_backend_kind kind, struct mnet_session **s,
		  struct mnet_err *err)
{
	struct mnet_session_opts o;

	mnet_session_opts_init(&o);
	o.backend = kind;
	o.precision = MNET_PRECISION_FP32;
	memset(err, 0, sizeof(*err));
	*s = NULL;
	return mnet_session_create(model, &o, s, err);
}

static int clean_errno(int ret)
{
	return ret == -ENOMEM || ret == -EIO || ret == -ENOEXEC ||
	       ret == -EINVAL || ret == -ENODEV;
}

static int matches_ref(const struct mnet_session *s)
{
	return mnet_test_max_rel_err(mnet_session_output(s, NULL), ref_out,
				     n_out) <= TOL;
}

static int host_layers(const struct mnet_session *s)
{
	struct mnet_layer_time t[64];
	int i, n = 0, layers = mnet_model_layer_count(model);

	if (layers > 64 || mnet_session_layer_times(s, t))
		return 0;
	for (i = 0; i < layers; i++)
		n += !strcmp(t[i].backend, "ref");
	return n;
}

/* One session lifetime with @spec armed; the checks of the DOC block. */
static void trial(enum mnet_cl_fault_kind kind, const char *spec,
		  int persistent)
{
	struct outcome *oc = &outcomes[kind];
	struct mnet_session *s;
	struct mnet_err err;
	int ret, r;

	CU_ASSERT_EQUAL_FATAL(mnet_cl_fault_set(spec), 0);
	oc->trials++;
	ret = create(MNET_BACKEND_OPENCL, &s, &err);
	if (ret) {
		CU_ASSERT(clean_errno(ret));
		CU_ASSERT_PTR_NULL(s);
		CU_ASSERT(err.msg[0] != '\0');
		oc->create_err++;
		goto out;
	}
	for (r = 0; r < 2; r++) {
		ret = mnet_session_run(s, input, n_in);
		if (!ret) {
			CU_ASSERT(matches_ref(s));
			continue;
		}
		CU_ASSERT_EQUAL(ret, -EIO);
		oc->run_err++;
		/* the fault fired once: the next run must work */
		ret = mnet_session_run(s, input, n_in);
		if (persistent) {
			CU_ASSERT(ret == 0 || ret == -EIO);
		} else {
			CU_ASSERT_EQUAL(ret, 0);
		}
		if (!ret)
			CU_ASSERT(matches_ref(s));
	}
	if (host_layers(s))
		oc->host_layers++;
	mnet_session_destroy(s);
out:
	if (!persistent)
		CU_ASSERT_EQUAL(mnet_cl_fault_injected(), 1);
	mnet_cl_fault_set(NULL);
	check_no_live_objects(spec);
	oc->clean++;
}

/* The calls of each kind in one session's life, nothing failing. */
static void test_count(void)
{
	struct mnet_session *s;
	struct mnet_err err;
	int k;

	CU_ASSERT_EQUAL_FATAL(mnet_cl_fault_set("build:0"), 0);
	CU_ASSERT_EQUAL_FATAL(create(MNET_BACKEND_OPENCL, &s, &err), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(mnet_session_device_name(s),
				      map_io ? "mapped I/O" : "copied I/O"));
	CU_ASSERT_EQUAL_FATAL(mnet_session_run(s, input, n_in), 0);
	CU_ASSERT(matches_ref(s));
	CU_ASSERT_EQUAL_FATAL(mnet_session_run(s, input, n_in), 0);
	mnet_session_destroy(s);
	printf("\n  calls in one session (create, 2 runs, destroy):");
	for (k = 0; k < MNET_CL_FAULT_KINDS; k++) {
		calls[k] = mnet_cl_fault_calls(k);
		printf(" %s %lu", mnet_cl_fault_kind_name(k), calls[k]);
	}
	CU_ASSERT_EQUAL(mnet_cl_fault_injected(), 0);
	mnet_cl_fault_set(NULL);
	check_no_live_objects("no fault");
	/* what a session must reach */
	CU_ASSERT(calls[MNET_CL_FAULT_BUILD] > 0);
	CU_ASSERT(calls[MNET_CL_FAULT_CREATE_BUFFER] > 0);
	CU_ASSERT(calls[MNET_CL_FAULT_ENQUEUE] > 0);
	CU_ASSERT(calls[MNET_CL_FAULT_FINISH] > 0);
	if (map_io) {
		/*
		 * first run: map the input; every run: unmap it, map it
		 * for the next, map and unmap the output; destroy: unmap
		 * the input
		 */
		CU_ASSERT_EQUAL(calls[MNET_CL_FAULT_MAP], 1 + 2 * 4 + 1);
		CU_ASSERT_EQUAL(calls[MNET_CL_FAULT_READ], 0);
	} else {
		CU_ASSERT(calls[MNET_CL_FAULT_READ] > 0);
		CU_ASSERT_EQUAL(calls[MNET_CL_FAULT_MAP], 0);
	}
}

static void inject_kind(enum mnet_cl_fault_kind kind)
{
	const char *name = mnet_cl_fault_kind_name(kind);
	unsigned long total = calls[kind], n, last = 0;
	struct outcome *oc = &outcomes[kind];
	char spec[48];
	int i;

	if (!total) {
		printf("\n  %s: no call of this kind in a session: nothing to inject",
		       name);
		return;
	}
	for (i = 0; i < MAX_TRIALS; i++) {
		/* every call when few, else spread evenly, first and last */
		n = total <= MAX_TRIALS ? (unsigned long)i + 1 :
			1 + (total - 1) * (unsigned long)i / (MAX_TRIALS - 1);
		if (n > total || n == last)
			continue;
		last = n;
		snprintf(spec, sizeof(spec), "%s:%lu", name, n);
		trial(kind, spec, 0);
	}
	snprintf(spec, sizeof(spec), "%s:1+", name);
	trial(kind, spec, 1);
	printf("\n  %s: %d trials of %lu calls: %d create errors, %d run errors then recovered, %d with host layers, %d clean",
	       name, oc->trials, total, oc->create_err, oc->run_err,
	       oc->host_layers, oc->clean);
}

#define KIND_TEST(k)						\
	static void test_##k(void)				\
	{							\
		inject_kind(MNET_CL_FAULT_##k);			\
	}
KIND_TEST(PROGRAM)
KIND_TEST(KERNEL)
KIND_TEST(CREATE_BUFFER)
KIND_TEST(ENQUEUE)
KIND_TEST(READ)
KIND_TEST(WRITE)
KIND_TEST(MAP)
KIND_TEST(FINISH)
KIND_TEST(CONTEXT)
#undef KIND_TEST

/*
 * With the program cache a failed build of a cached binary is retried from
 * source, so one failure never reaches a layer; without the cache it
 * must put exactly that layer on the host.
 */
static void test_BUILD(void)
{
	unsigned long builds;
	struct mnet_session *s;
	struct mnet_err err;
	char spec[32];
	int before;

	inject_kind(MNET_CL_FAULT_BUILD);
	setenv("MNET_CL_CACHE_DIR", "", 1);
	CU_ASSERT_EQUAL_FATAL(mnet_cl_fault_set("build:0"), 0);
	CU_ASSERT_EQUAL_FATAL(create(MNET_BACKEND_OPENCL, &s, &err), 0);
	mnet_session_destroy(s);
	builds = mnet_cl_fault_calls(MNET_CL_FAULT_BUILD);
	before = outcomes[MNET_CL_FAULT_BUILD].host_layers;
	snprintf(spec, sizeof(spec), "build:1");
	trial(MNET_CL_FAULT_BUILD, spec, 0);
	snprintf(spec, sizeof(spec), "build:%lu", builds);
	trial(MNET_CL_FAULT_BUILD, spec, 0);
	printf("\n  build without the cache (%lu builds): first and last fail: %d sessions with host layers",
	       builds, outcomes[MNET_CL_FAULT_BUILD].host_layers - before);
	CU_ASSERT_EQUAL(outcomes[MNET_CL_FAULT_BUILD].host_layers - before, 2);
	setenv("MNET_CL_CACHE_DIR", cache_dir, 1);
}

/*
 * A device that stays broken at session creation: auto falls back to the
 * CPU backend.  (One whose reads fail only shows it at the first run:
 * that run fails with -EIO, as the read:1+ trial checks.)
 */
static void test_auto_falls_back(void)
{
	static const char *const specs[] = {
		"context:1+", "create_buffer:1+", "enqueue:1+", "write:1+",
		"finish:1+", "build:1+", "kernel:1+",
	};
	struct mnet_session *s;
	struct mnet_err err;
	unsigned int i;

	for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		CU_ASSERT_EQUAL_FATAL(mnet_cl_fault_set(specs[i]), 0);
		CU_ASSERT_EQUAL_FATAL(create(MNET_BACKEND_AUTO, &s, &err), 0);
		CU_ASSERT_EQUAL(strncmp(mnet_session_backend_name(s), "cpu", 3),
				0);
		CU_ASSERT(err.code == 0 && strstr(err.msg, "note:"));
		CU_ASSERT_EQUAL(mnet_session_run(s, input, n_in), 0);
		CU_ASSERT(matches_ref(s));
		mnet_session_destroy(s);
		mnet_cl_fault_set(NULL);
		check_no_live_objects(specs[i]);
	}
}

static void test_bad_specs(void)
{
	static const char *const bad[] = {
		"build", "build:", "build:x", "nosuch:1", ":3", "build:1++",
		"build:-1", "enqueue:2x",
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_EQUAL(mnet_cl_fault_set(bad[i]), -EINVAL);
	CU_ASSERT_EQUAL(mnet_cl_fault_set("finish:7+"), 0);
	CU_ASSERT_EQUAL(mnet_cl_fault_set(NULL), 0);
}

static const CU_TestInfo tests[] = {
	{ "count the calls of one session", test_count },
	{ "build fails", test_BUILD },
	{ "program creation fails", test_PROGRAM },
	{ "kernel creation fails", test_KERNEL },
	{ "buffer creation fails", test_CREATE_BUFFER },
	{ "kernel enqueue fails", test_ENQUEUE },
	{ "read fails", test_READ },
	{ "write fails", test_WRITE },
	{ "map fails", test_MAP },
	{ "finish fails", test_FINISH },
	{ "context or queue creation fails", test_CONTEXT },
	{ "auto falls back to the CPU on a broken device",
	  test_auto_falls_back },
	{ "malformed MNET_CL_FAULT specs", test_bad_specs },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	struct mnet_session_opts o;
	struct mnet_session *s;
	struct mnet_err err = { 0 };
	int ret;

	cl_test_require_device("opencl_faults", cache_dir, sizeof(cache_dir));
	unsetenv("MNET_CL_FAULT");
	unsetenv("MNET_CL_FAIL_LAYER");
	if (mnet_model_create_synthetic(0.25f, 32, &model, &err)) {
		printf("opencl_faults: %s\n", err.msg);
		return 1;
	}
	n_in = 32 * 32 * 3;
	n_out = mnet_model_output_size(model);
	input = malloc(n_in * sizeof(float));
	ref_out = malloc(n_out * sizeof(float));
	if (!input || !ref_out)
		return 1;
	mnet_test_fill_random(input, n_in, 5, -1.0f, 1.0f);
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_REF;
	if (mnet_session_create(model, &o, &s, &err) ||
	    mnet_session_run(s, input, n_in))
		return 1;
	memcpy(ref_out, mnet_session_output(s, NULL), n_out * sizeof(float));
	mnet_session_destroy(s);
	for (ret = 0, map_io = 1; map_io >= 0; map_io--) {
		setenv("MNET_CL_MAP", map_io ? "1" : "0", 1);
		memset(outcomes, 0, sizeof(outcomes));
		memset(calls, 0, sizeof(calls));
		ret |= mnet_test_run_suite(map_io ? "opencl_faults, mapped I/O" :
					   "opencl_faults, copied I/O", tests);
	}
	unsetenv("MNET_CL_MAP");
	free(input);
	free(ref_out);
	mnet_model_free(model);
	cl_test_remove_dir(cache_dir);
	return ret;
}
#else
int main(void)
{
	char dir[8];

	cl_test_require_device("opencl_faults", dir, sizeof(dir));
	return 77;
}
#endif

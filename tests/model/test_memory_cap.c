// SPDX-License-Identifier: Apache-2.0
/*
 * test_memory_cap.c - the session memory cap (max_memory_bytes,
 * MNET_MAX_MEMORY)
 *
 * A session whose footprint exceeds the cap must fail with -EFBIG and a
 * message giving the footprint, before allocating it; the boundary must
 * be exact (a cap of the footprint succeeds, one byte less fails); and
 * the footprint must be what the backend really allocates: glibc's heap
 * statistics (mallinfo2) before and after session creation, within 10%,
 * on the host backends (an OpenCL driver's own allocations would blur
 * this, so OpenCL gets the boundary check only).
 */
#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/test_util.h"
#include "lib/tfl_builder.h"

static struct mnet_model *model;

static int create(enum mnet_backend_kind kind, uint64_t cap,
		  struct mnet_session **s, struct mnet_err *err)
{
	struct mnet_session_opts o;

	mnet_session_opts_init(&o);
	o.backend = kind;
	o.threads = 2;
	o.max_memory_bytes = cap;
	memset(err, 0, sizeof(*err));
	*s = NULL;
	return mnet_session_create(model, &o, s, err);
}

/* The footprint, read from the -EFBIG message of a 1-byte cap. */
static uint64_t footprint(enum mnet_backend_kind kind)
{
	struct mnet_session *s;
	struct mnet_err err;
	const char *p;
	int ret;

	ret = create(kind, 1, &s, &err);
	if (ret == -ENODEV)
		return 0;
	CU_ASSERT_EQUAL_FATAL(ret, -EFBIG);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_EQUAL(err.code, -EFBIG);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, mnet_model_name(model)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "memory cap of 1 bytes"));
	p = strstr(err.msg, "needs ");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	return strtoull(p + 6, NULL, 10);
}

static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static void check_backend(enum mnet_backend_kind kind, const char *name,
			  int measure)
{
	uint64_t need = footprint(kind);
	struct mnet_session *s;
	struct mnet_err err;
	size_t before, after;
	double ratio;

	if (!need) {
		printf("\n  %s: not available here: skipped", name);
		return;
	}
	CU_ASSERT_EQUAL(create(kind, need - 1, &s, &err), -EFBIG);
	CU_ASSERT_PTR_NULL(s);
	before = heap_in_use();
	CU_ASSERT_EQUAL_FATAL(create(kind, need, &s, &err), 0);
	after = heap_in_use();
	printf("\n  %s: footprint %" PRIu64 " bytes", name, need);
	if (measure) {
		if (after == before) {
			/* ASan/TSan allocators keep no mallinfo statistics */
			printf(", heap statistics unavailable here");
		} else {
			ratio = (double)(after - before) / (double)need;
			printf(", heap grew by %zu (%.3f)", after - before,
			       ratio);
			CU_ASSERT(ratio > 0.9 && ratio < 1.1);
		}
	}
	mnet_session_destroy(s);
}

static void test_ref(void)
{
	check_backend(MNET_BACKEND_REF, "ref", 1);
}

static void test_cpu(void)
{
	check_backend(MNET_BACKEND_CPU, "cpu", 1);
}

static void test_opencl(void)
{
	check_backend(MNET_BACKEND_OPENCL, "opencl", 0);
}

static void test_auto(void)
{
	struct mnet_session *s;
	struct mnet_err err;

	/* every backend over the cap: the error says so */
	CU_ASSERT_EQUAL(create(MNET_BACKEND_AUTO, 4096, &s, &err), -EFBIG);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "memory cap"));
}

static void test_env(void)
{
	static const struct {
		const char *value;
		int ret;
	} cases[] = {
		{ "1K", -EFBIG }, { "4096", -EFBIG }, { "64G", 0 },
		{ "abc", -EINVAL }, { "12X", -EINVAL }, { "-5", -EINVAL },
		{ "0", -EINVAL }, { "99999999999999999999999", -EINVAL },
	};
	struct mnet_session *s;
	struct mnet_err err;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		setenv("MNET_MAX_MEMORY", cases[i].value, 1);
		CU_ASSERT_EQUAL(create(MNET_BACKEND_REF, 0, &s, &err),
				cases[i].ret);
		if (cases[i].ret == -EINVAL)
			CU_ASSERT_PTR_NOT_NULL(strstr(err.msg,
						      "MNET_MAX_MEMORY"));
		mnet_session_destroy(s);
	}
	/* the option wins over the environment */
	setenv("MNET_MAX_MEMORY", "1K", 1);
	CU_ASSERT_EQUAL(create(MNET_BACKEND_REF, (uint64_t)1 << 40, &s, &err),
			0);
	mnet_session_destroy(s);
	unsetenv("MNET_MAX_MEMORY");
}

/*
 * A 2 KiB file of 16 RESHAPEs of a 4096x4096x3 tensor: each tensor is
 * within the per-tensor limit, together they are 805 M floats (3 GiB).
 * The loader must refuse it; nothing may allocate that much.
 */
static void test_absurd_total(void)
{
	struct tm_model tm;
	struct mnet_model *m = NULL;
	struct mnet_err err = { 0 };
	size_t len = 0;
	uint8_t *buf;
	int i;

	memset(&tm, 0, sizeof(tm));
	tm.n_t = 17;
	for (i = 0; i < tm.n_t; i++)
		tm.t[i] = (struct tm_tensor){ .name = "t", .rank = 4,
					      .dims = { 1, 4096, 4096, 3 } };
	tm.n_ops = 16;
	for (i = 0; i < tm.n_ops; i++)
		tm.ops[i] = (struct tm_op){ .code = 22, .n_in = 1,
					    .in = { i }, .out = i + 1 };
	tm.input = 0;
	tm.output = 16;
	buf = tm_build(&tm, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	CU_ASSERT_EQUAL(mnet_model_load_memory(buf, len, "total.tflite", &m,
					       &err), -EFBIG);
	CU_ASSERT_PTR_NULL(m);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "total.tflite"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "activation tensors total"));
	printf("\n  %zu-byte file: %s", len, err.msg);
	/* the same with 2 reshapes (151 M floats) loads */
	tm.n_t = 3;
	tm.n_ops = 2;
	tm.output = 2;
	free(buf);
	buf = tm_build(&tm, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	CU_ASSERT_EQUAL(mnet_model_load_memory(buf, len, "total.tflite", &m,
					       &err), 0);
	mnet_model_free(m);
	free(buf);
}

static const CU_TestInfo tests[] = {
	{ "ref: exact boundary, footprint matches the heap", test_ref },
	{ "cpu: exact boundary, footprint matches the heap", test_cpu },
	{ "opencl: exact boundary", test_opencl },
	{ "auto: every backend over the cap", test_auto },
	{ "MNET_MAX_MEMORY parsing and precedence", test_env },
	{ "a small file declaring 3 GiB of activations", test_absurd_total },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	struct mnet_err err = { 0 };
	int ret;

	unsetenv("MNET_MAX_MEMORY");
	if (mnet_model_create_synthetic(0.25f, 128, &model, &err)) {
		printf("memory_cap: cannot build the model: %s\n", err.msg);
		return 1;
	}
	ret = mnet_test_run_suite("memory_cap", tests);
	mnet_model_free(model);
	return ret;
}

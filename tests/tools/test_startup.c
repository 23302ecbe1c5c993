// SPDX-License-Identifier: Apache-2.0
/*
 * test_startup.c - session creation cost reported in parts
 *
 * The parts must add up to no more than the total, and on OpenCL a second
 * session must load every program from the program cache and build none.
 * (Only relations are asserted: times themselves belong in benchmarks.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/test_util.h"

static struct mnet_model *model;

static int create(enum mnet_backend_kind k, struct mnet_startup *su)
{
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	int ret;

	mnet_session_opts_init(&o);
	o.backend = k;
	o.precision = MNET_PRECISION_FP32;
	o.tuning_db = "";	/* defaults: the result must not depend on it */
	ret = mnet_session_create(model, &o, &s, NULL);
	if (ret)
		return ret;
	mnet_session_startup(s, su);
	mnet_session_destroy(s);
	return 0;
}

static void assert_parts(const struct mnet_startup *su)
{
	CU_ASSERT(su->total_ms > 0.0);
	CU_ASSERT(su->device_ms >= 0.0 && su->build_ms >= 0.0 &&
		  su->upload_ms >= 0.0 && su->first_run_ms >= 0.0);
	CU_ASSERT(su->device_ms + su->build_ms + su->upload_ms +
		  su->first_run_ms <= su->total_ms * 1.0001);
}

static void test_host_backends(void)
{
	struct mnet_startup su;

	CU_ASSERT_EQUAL_FATAL(create(MNET_BACKEND_REF, &su), 0);
	assert_parts(&su);
	CU_ASSERT_EQUAL(su.programs_built + su.programs_cached, 0);
	CU_ASSERT_EQUAL_FATAL(create(MNET_BACKEND_CPU, &su), 0);
	assert_parts(&su);
	CU_ASSERT(su.upload_ms > 0.0);	/* weights were packed */
}

static void test_opencl_cache(void)
{
	char dir[] = "/tmp/mnet-startup-XXXXXX";
	struct mnet_startup cold, warm;
	char cmd[64];
	int ret;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	setenv("MNET_CL_CACHE_DIR", dir, 1);
	ret = create(MNET_BACKEND_OPENCL, &cold);
	if (ret) {
		printf("\n    no OpenCL device here: not checked");
		rmdir(dir);
		return;
	}
	CU_ASSERT_EQUAL_FATAL(create(MNET_BACKEND_OPENCL, &warm), 0);
	assert_parts(&cold);
	assert_parts(&warm);
	CU_ASSERT(cold.programs_built > 0);
	CU_ASSERT_EQUAL(cold.programs_cached, 0);
	CU_ASSERT_EQUAL(warm.programs_built, 0);
	CU_ASSERT_EQUAL(warm.programs_cached, cold.programs_built);
	CU_ASSERT_EQUAL(warm.host_layers, 0);
	/* leave no cache behind */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

static const CU_TestInfo tests[] = {
	{ "ref and cpu report their creation cost", test_host_backends },
	{ "OpenCL: second session loads every program", test_opencl_cache },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	int ret;

	if (mnet_model_create_synthetic(0.25f, 64, &model, NULL))
		return 1;
	ret = mnet_test_run_suite("session start-up", tests);
	mnet_model_free(model);
	return ret;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * test_opencl_noicd.c - no OpenCL platform at all: clean errors, no crash
 *
 * Points the ICD loader at an empty vendor folder (OCL_ICD_VENDORS, read
 * by ocl-icd and the Khronos loader at the first OpenCL call) so that no
 * platform exists, then checks: device listing is -ENODEV with a message
 * saying so; --backend opencl is -ENODEV; --backend auto falls back to a
 * host backend, leaving a note.  If a platform still shows up (a loader
 * that ignores the variable) the suite exits 77 (skipped).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/test_util.h"

#ifdef MNET_HAVE_OPENCL
#include "cl/cl_device.h"

static void test_no_platform(void)
{
	struct mnet_cl_device *devs = NULL, d;
	struct mnet_err err = { 0 };
	int n = -1;

	CU_ASSERT_EQUAL(mnet_cl_devices_list(&devs, &n, &err), -ENODEV);
	CU_ASSERT_PTR_NULL(devs);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT(strstr(err.msg, "no OpenCL platform") != NULL);
	CU_ASSERT_EQUAL(mnet_cl_device_select(NULL, &d, &err), -ENODEV);
	CU_ASSERT_EQUAL(mnet_cl_device_select("0", &d, &err), -ENODEV);
}

static void test_sessions(void)
{
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_err err = { 0 };
	struct mnet_model *m;

	CU_ASSERT_FATAL(!mnet_model_create_synthetic(0.25f, 32, &m, &err));
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_OPENCL;
	CU_ASSERT_EQUAL(mnet_session_create(m, &o, &s, &err), -ENODEV);
	CU_ASSERT(strstr(err.msg, "OpenCL") != NULL);
	o.backend = MNET_BACKEND_AUTO;
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(m, &o, &s, &err), 0);
	CU_ASSERT(strcmp(mnet_session_backend_name(s), "opencl") != 0);
	CU_ASSERT_EQUAL(err.code, 0);
	CU_ASSERT(strstr(err.msg, "no OpenCL platform") != NULL);
	mnet_session_destroy(s);
	mnet_model_free(m);
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "device listing and selection are -ENODEV", test_no_platform },
		{ "opencl is -ENODEV, auto falls back", test_sessions },
		CU_TEST_INFO_NULL,
	};
	struct mnet_cl_device *devs;
	char dir[] = "/tmp/mnet-noicd-XXXXXX";
	int n, ret;

	if (!mkdtemp(dir)) {
		printf("opencl_noicd: cannot create an empty folder\n");
		return 1;
	}
	setenv("OCL_ICD_VENDORS", dir, 1);
	setenv("OPENCL_VENDOR_PATH", dir, 1);
	if (!mnet_cl_devices_list(&devs, &n, NULL)) {
		free(devs);
		rmdir(dir);
		printf("opencl_noicd: skipped: the ICD loader ignores OCL_ICD_VENDORS\n");
		return 77;
	}
	ret = mnet_test_run_suite("opencl_noicd", tests);
	rmdir(dir);
	return ret;
}
#else
int main(void)
{
	printf("opencl_noicd: skipped: built without OpenCL\n");
	return 77;
}
#endif

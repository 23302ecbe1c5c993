/* SPDX-License-Identifier: Apache-2.0 */
/*
 * opencl_test.h - helpers shared by the OpenCL suites (header only: the
 * build makes one executable per tests/test_*.c)
 */
#ifndef MNET_TESTS_OPENCL_TEST_H
#define MNET_TESTS_OPENCL_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnet/mnet.h"
#include "model/model.h"

#ifdef MNET_HAVE_OPENCL
#include "cl/cl_device.h"
#endif

/*
 * Whether this build and this machine have an OpenCL device (if not,
 * print why, with @what saying what is skipped).  If so, point the
 * program cache at a fresh temporary folder and turn the tuning database
 * off, so a run never depends on, or pollutes, the user's cache or tuning.
 */
static inline int cl_test_have_device(const char *suite, const char *what,
				      char *cache_dir, size_t len)
{
#ifdef MNET_HAVE_OPENCL
	struct mnet_cl_device dev;
	struct mnet_err err = { 0 };

	if (mnet_cl_device_select(NULL, &dev, &err)) {
		printf("%s: %s: no OpenCL device: %s\n", suite, what, err.msg);
		return 0;
	}
	printf("%s: OpenCL device %s (%s)\n", suite, dev.name, dev.driver);
	snprintf(cache_dir, len, "/tmp/mnet-cl-test-XXXXXX");
	if (!mkdtemp(cache_dir)) {
		printf("%s: cannot create a temporary cache folder\n", suite);
		exit(1);
	}
	setenv("MNET_CL_CACHE_DIR", cache_dir, 1);
	/* defaults only, whatever the user's tuning database holds */
	setenv("MNET_TUNE_DB", "", 1);
	return 1;
#else
	(void)cache_dir;
	(void)len;
	printf("%s: %s: built without OpenCL\n", suite, what);
	return 0;
#endif
}

/* As cl_test_have_device(), but exit 77 (skipped) without a device. */
static inline void cl_test_require_device(const char *suite, char *cache_dir,
					  size_t len)
{
	if (!cl_test_have_device(suite, "skipped", cache_dir, len))
		exit(77);
}

/* Remove the temporary cache folder and its files. */
static inline void cl_test_remove_dir(const char *dir)
{
	char cmd[4200];

	if (strncmp(dir, "/tmp/mnet-cl-test-", 18))
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", dir);
}

#endif /* MNET_TESTS_OPENCL_TEST_H */

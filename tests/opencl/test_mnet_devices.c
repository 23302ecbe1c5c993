// SPDX-License-Identifier: Apache-2.0
/*
 * test_mnet_devices.c - the mnet-devices tool
 *
 * Runs the built tool ($MNET_TEST_TOOLS, set by ctest) and checks its text
 * and JSON output against the library's own device list, --help, a bad
 * argument, and the exit status without any OpenCL platform.  Without an
 * OpenCL device the suite exits 77 (skipped).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/test_util.h"
#include "lib/opencl_test.h"

#ifdef MNET_HAVE_OPENCL
static char cache_dir[256];

/* run the tool with @args; its stdout goes to @out, returns the exit code */
static int run_tool(const char *env, const char *args, char *out, size_t len)
{
	const char *dir = getenv("MNET_TEST_TOOLS");
	char cmd[4096];
	size_t n = 0;
	FILE *p;
	int st;

	snprintf(cmd, sizeof(cmd), "%s '%s/mnet-devices' %s 2>/dev/null",
		 env, dir ? dir : MNET_BUILD_DIR, args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	out[0] = '\0';
	while (n + 1 < len) {
		size_t r = fread(out + n, 1, len - 1 - n, p);

		if (!r)
			break;
		n += r;
	}
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_lists_every_device(void)
{
	static char out[65536];
	struct mnet_cl_device *devs;
	struct mnet_err err;
	char want[300];
	int n, i;

	CU_ASSERT_FATAL(!mnet_cl_devices_list(&devs, &n, &err));
	CU_ASSERT_EQUAL_FATAL(run_tool("", "", out, sizeof(out)), 0);
	for (i = 0; i < n; i++) {
		snprintf(want, sizeof(want), "%d: %s\n", i, devs[i].name);
		CU_ASSERT(strstr(out, want) != NULL);
	}
	CU_ASSERT(strstr(out, "compute units:") != NULL);
	CU_ASSERT(strstr(out, "fp16 (cl_khr_fp16):") != NULL);
	CU_ASSERT(strstr(out, "unified memory:") != NULL);
	CU_ASSERT(strchr(out, '*') != NULL);	/* the default is marked */

	CU_ASSERT_EQUAL_FATAL(run_tool("", "--json", out, sizeof(out)), 0);
	CU_ASSERT(out[0] == '[');
	for (i = 0; i < n; i++) {
		snprintf(want, sizeof(want), "\"index\": %d, ", i);
		CU_ASSERT(strstr(out, want) != NULL);
	}
	CU_ASSERT(strstr(out, "\"max_work_item_sizes\": [") != NULL);
	CU_ASSERT(strstr(out, "\"default\": true") != NULL);
	free(devs);
}

static void test_usage_and_errors(void)
{
	static char out[8192];

	CU_ASSERT_EQUAL(run_tool("", "--help", out, sizeof(out)), 0);
	CU_ASSERT(strstr(out, "Usage: mnet-devices") != NULL);
	/* the tools' convention (docs/tools.md): 2 bad usage, 1 failure */
	CU_ASSERT_EQUAL(run_tool("", "--bogus", out, sizeof(out)), 2);
	/* no platform at all: exit 1, and JSON callers still get an array */
	CU_ASSERT_EQUAL(run_tool("OCL_ICD_VENDORS=/nonexistent OPENCL_VENDOR_PATH=/nonexistent",
				 "--json", out, sizeof(out)), 1);
	CU_ASSERT_STRING_EQUAL(out, "[]\n");
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "text and JSON list every device", test_lists_every_device },
		{ "--help, bad arguments, no platform", test_usage_and_errors },
		CU_TEST_INFO_NULL,
	};
	int ret;

	cl_test_require_device("mnet_devices", cache_dir, sizeof(cache_dir));
	ret = mnet_test_run_suite("mnet_devices", tests);
	cl_test_remove_dir(cache_dir);
	return ret;
}
#else
int main(void)
{
	printf("mnet_devices: skipped: built without OpenCL\n");
	return 77;
}
#endif

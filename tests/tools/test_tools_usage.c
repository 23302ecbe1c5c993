// SPDX-License-Identifier: Apache-2.0
/*
 * test_tools_usage.c - bad usage exits 2, in every build configuration
 *
 * The tools' convention (docs/tools.md): 2 for bad usage, found before
 * any work starts, whatever the build.  A build without OpenCL used to
 * answer mnet-tune's bad flags with 1 ("no OpenCL backend") before it
 * parsed them; so this suite needs no device and no model work, and
 * tools/test.sh also runs it against a -DMNET_OPENCL=OFF build.  It also
 * checks what such a build says for the work it cannot do (exit 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/test_util.h"

static char out[1 << 16];

static int run(const char *cmd)
{
	return mnet_test_run_tool(out, sizeof(out), cmd);
}

/* Every one must exit 2 (and must not start any work). */
static const char *const usage_errors[] = {
	/* every tool: an unknown flag, and one of its own options misused */
	"./mnet-classify --no-such-flag x.bmp",
	"./mnet-classify -k 0 x.bmp",
	"./mnet-classify -b nosuch x.bmp",
	"./mnet-classify",
	"./mnet-info --no-such-flag",
	"./mnet-info --synthetic 1.0",
	"./mnet-info",
	"./mnet-devices --no-such-flag",
	"./mnet-devices extra",
	"./mnet-bench --no-such-flag",
	"./mnet-bench --runs 0 --synthetic 0.25 32",
	"./mnet-bench -p nosuch --synthetic 0.25 32",
	"./mnet-validate --no-such-flag",
	"./mnet-validate -e x --synthetic 0.25 32 x.bmp",
	"./mnet-validate -b nosuch --synthetic 0.25 32 x.bmp",
	"./mnet-tune --no-such-flag",
	"./mnet-tune --mode nosuch --synthetic 0.25 32",
	"./mnet-tune --runs 0 --synthetic 0.25 32",
	"./mnet-tune --budget -1 --synthetic 0.25 32",
	"./mnet-tune --budget '' --synthetic 0.25 32",
	"./mnet-tune -p nosuch --synthetic 0.25 32",
	"./mnet-tune",
	"./mnet-tune -m x --synthetic 0.25 32",
	"./mnet-tune --synthetic 0.25 32 extra",
	/* the synthetic builders' limits are usage too, in every tool */
	"./mnet-info --synthetic 1.0 33",
	"./mnet-info --synthetic-v2 0 224",
	"./mnet-bench --synthetic 5 224",
	"./mnet-classify --synthetic 1.0 4096 x.bmp",
	"./mnet-validate --synthetic 0.25 16 x.bmp",
	"./mnet-tune --synthetic-v2 0.35 100",
	/* int8 where -p means an OpenCL precision (mnet-validate takes it:
	 * on a float model that is exit 1, test_tools_int8.c) */
	"./mnet-tune -p int8 --synthetic 0.25 32",
	"./mnet-stream --no-such-flag x.y4m",
	"./mnet-stream -k 0 x.y4m",
	"./mnet-stream --rotate 45 x.y4m",
	"./mnet-stream -b cpu -d 0 x.y4m",
	"./mnet-stream",
	"./mnet-stream a.y4m b.y4m",
	"./mnet-pose --no-such-flag x.bmp",
	"./mnet-pose -b cpu -d 0 x.bmp",
	"./mnet-pose -r 0 x.bmp",
	"./mnet-pose",
	"./mnet-pose a.bmp b.bmp",
};

static int have_opencl_build(void)
{
	return run("./mnet-info --version") == 0 &&
	       strstr(out, "backends: ref cpu opencl") != NULL;
}

static void test_usage_exits_2(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(usage_errors) / sizeof(usage_errors[0]); i++) {
		int rc = run(usage_errors[i]);

		CU_ASSERT_EQUAL(rc, 2);
		if (rc != 2)
			fprintf(stderr, "\n    %s: exit %d\n%s", usage_errors[i],
				rc, out);
	}
}

/*
 * Without OpenCL, the work that needs it fails (exit 1) with the reason,
 * once the command line is known to be good.
 */
static void test_no_opencl_build(void)
{
	if (have_opencl_build())
		return;
	printf("\n    build without OpenCL: its refusals checked");
	CU_ASSERT_EQUAL(run("./mnet-tune --synthetic 0.25 32"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "no OpenCL backend"));
	CU_ASSERT_EQUAL(run("./mnet-tune -v -q --mode normal --budget 1 --synthetic 0.25 32"),
			1);
	CU_ASSERT_EQUAL(run("./mnet-devices"), 1);
	CU_ASSERT_EQUAL(run("sh -c './mnet-devices --json 2>/dev/null'"), 1);
	CU_ASSERT_STRING_EQUAL(out, "[]\n");
	CU_ASSERT_EQUAL(run("./mnet-bench -d 0 -r 1 -w 0 --synthetic 0.25 32"), 1);
	/* --tuning-db is an OpenCL request: it ran on cpu and was unused */
	CU_ASSERT_EQUAL(run("./mnet-classify --synthetic 0.25 32 --tuning-db /tmp/x.db /nonexistent.bmp"),
			1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "not available in this build"));
}

/*
 * --help matches the parser: every long option of a tool's option table
 * (read from its source) is in its --help, and the tools whose -p takes
 * int8 say so (it was accepted but not listed).
 */
static void test_help_lists_every_option(void)
{
	static const char *const tools[] = {
		"mnet-classify", "mnet-info", "mnet-devices", "mnet-bench",
		"mnet-validate", "mnet-tune", "mnet-stream",
		"mnet-pose",
	};
	static const char *const int8_tools[] = {
		"mnet-classify", "mnet-bench", "mnet-stream",
		"mnet-pose",
	};
	char cmd[4096];
	unsigned int i;

	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		snprintf(cmd, sizeof(cmd),
			 "true; for o in $(grep -o '{ \"[a-z0-9-]*\", [a-z_]*_argument' '%s/tools/%s.c' | cut -d'\"' -f2); do ./%s --help | grep -q -- \"--$o\" || echo \"missing from --help: --$o\"; done; true",
			 MNET_SOURCE_DIR, tools[i], tools[i]);
		CU_ASSERT_EQUAL(run(cmd), 0);
		CU_ASSERT_PTR_NULL(strstr(out, "missing from --help"));
		if (strstr(out, "missing"))
			fprintf(stderr, "\n    %s: %s", tools[i], out);
	}
	for (i = 0; i < sizeof(int8_tools) / sizeof(int8_tools[0]); i++) {
		snprintf(cmd, sizeof(cmd), "./%s --help | grep -A3 -e '-p, --precision'",
			 int8_tools[i]);
		CU_ASSERT_EQUAL(run(cmd), 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "int8"));
	}
}

static const CU_TestInfo tests[] = {
	{ "--help lists every option, and int8 where -p takes it",
	  test_help_lists_every_option },
	{ "bad usage exits 2 in every tool", test_usage_exits_2 },
	{ "a build without OpenCL: usage 2, the work 1",
	  test_no_opencl_build },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return mnet_test_run_suite("tools' usage errors", tests);
}

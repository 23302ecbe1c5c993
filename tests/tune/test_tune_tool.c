// SPDX-License-Identifier: Apache-2.0
/*
 * test_tune_tool.c - mnet-tune end to end, then mnet-classify on its result
 *
 * Runs the built programs as a user would: --help and bad arguments; then
 * "mnet-tune --mode fast" on a small synthetic model into a temporary
 * database (JSON output with model_default_ms, model_tuned_ms and one
 * entry per distinct layer; the file starts with the versioned header);
 * then "mnet-classify --profile --tuning-db" on that database, whose
 * per-layer table must show as many "tuned" layers as the tuner's own
 * check of the same database reported.  Without an OpenCL device the suite exits 77.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/test_util.h"
#include "lib/opencl_test.h"

#ifdef MNET_HAVE_OPENCL
static char out[1 << 17];
static char cache_dir[256];

/* Run a tool command line (@fmt with @a); output into out[]. */
static int run(const char *fmt, const char *a)
{
	char cmd[8192];

	snprintf(cmd, sizeof(cmd), fmt, a);
	return mnet_test_run_tool(out, sizeof(out), cmd);
}

static void test_usage(void)
{
	CU_ASSERT_EQUAL(run("./mnet-tune --help%s", ""), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "--budget"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "--mode"));
	CU_ASSERT_EQUAL(run("./mnet-tune --synthetic 0.25 32 --mode quick%s", ""), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "unknown mode 'quick'"));
	CU_ASSERT_EQUAL(run("./mnet-tune --synthetic 0.25 32 --budget -1%s", ""), 2);
	CU_ASSERT_EQUAL(run("./mnet-tune%s", ""), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "give a model"));
	CU_ASSERT_EQUAL(run("./mnet-tune -m %s", "/nonexistent/model.tflite"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "/nonexistent/model.tflite"));
}

static void test_tune_then_classify(void)
{
	char db[320], arg[1024], *p;
	int tuned, ret, n;
	FILE *f;

	snprintf(db, sizeof(db), "%s/tool.db", cache_dir);
	ret = run("./mnet-tune --synthetic 0.25 32 --mode fast --runs 3 --json --db %s 2>/dev/null",
		  db);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"model_default_ms\":"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"model_tuned_ms\":"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"layers\":[{"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"rejected_wrong\":0,"));
	p = strstr(out, "\"layers_tuned\":");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	tuned = atoi(p + strlen("\"layers_tuned\":"));
	f = fopen(db, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT(fgets(arg, sizeof(arg), f) && arg[0] == '#');
	CU_ASSERT(fgets(arg, sizeof(arg), f) &&
		  !strcmp(arg, "mnet-tuning-db\t1\n"));
	fclose(f);

	snprintf(arg, sizeof(arg),
		 "--synthetic 0.25 32 -b opencl --profile --tuning-db %s %s", db,
		 mnet_test_shared_path("images/cat.bmp"));
	CU_ASSERT_EQUAL(run("./mnet-classify %s", arg), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "config"));
	/* the same database, the same layers on their tuned cfgs */
	for (n = 0, p = out; (p = strstr(p, " tuned ")); p++)
		n++;
	CU_ASSERT_EQUAL(n, tuned);
	if (n != tuned)
		printf("\n  layers_tuned %d but classify said:\n%s\n", tuned, out);
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "help and bad arguments", test_usage },
		{ "tune fast, then classify with the database", test_tune_then_classify },
		CU_TEST_INFO_NULL,
	};
	int ret;

	if (!mnet_test_have_file("images/cat.bmp")) {
		printf("tune_tool: skipped: shared images missing\n");
		return 77;
	}
	cl_test_require_device("tune_tool", cache_dir, sizeof(cache_dir));
	ret = mnet_test_run_suite("tune_tool", tests);
	cl_test_remove_dir(cache_dir);
	return ret;
}
#else
int main(void)
{
	printf("tune_tool: skipped: built without OpenCL\n");
	return 77;
}
#endif

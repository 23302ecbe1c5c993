// SPDX-License-Identifier: Apache-2.0
/*
 * test_tools_verbose.c - -v and -q in every tool
 *
 * docs/tools.md: every tool takes -v/--verbose (more detail, on stderr)
 * and -q/--quiet (no notes or progress; errors and warnings stay), the
 * later of the two wins, and neither changes stdout's format: a --json
 * stream still parses (checked with python3 here).  Each case runs a
 * built tool from $MNET_TEST_TOOLS, as test_tools.c does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/test_util.h"

static char out[1 << 16];

/* Run a command line (no single quotes in it); out[] gets its output. */
static int run(const char *fmt, const char *a)
{
	char cmd[8192], full[8192 + 16];

	snprintf(cmd, sizeof(cmd), fmt, a);
	snprintf(full, sizeof(full), "sh -c '%s'", cmd);
	return mnet_test_run_tool(out, sizeof(out), full);
}

/* @cmd's stdout (stderr dropped) parses as JSON (one value or lines). */
static int json_ok(const char *cmd)
{
	char full[8192];

	snprintf(full, sizeof(full),
		 "sh -c '%s 2>/dev/null' | python3 -c \"import json, sys; t = sys.stdin.read(); [json.loads(l) for l in t.splitlines() if l.strip()] if t.lstrip().startswith('{') and '\\n{' in t else json.loads(t); print('json ok')\"",
		 cmd);
	mnet_test_run_tool(out, sizeof(out), full);
	if (!strstr(out, "json ok"))
		fprintf(stderr, "\n    %s:\n%s\n", cmd, out);
	return strstr(out, "json ok") != NULL;
}

static int have_opencl(void)
{
	return run("./mnet-devices%s", "") == 0;
}

/* Every tool takes both, in either order. */
static void test_every_tool_takes_v_and_q(void)
{
	static const char *const tools[] = {
		"mnet-classify", "mnet-info", "mnet-devices", "mnet-bench",
		"mnet-validate", "mnet-tune", "mnet-stream",
		"mnet-pose",
	};
	char cmd[256];
	unsigned int i;

	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		snprintf(cmd, sizeof(cmd), "./%s -v -q --help", tools[i]);
		CU_ASSERT_EQUAL(run("%s", cmd), 0);
		snprintf(cmd, sizeof(cmd), "./%s --verbose --quiet --help",
			 tools[i]);
		CU_ASSERT_EQUAL(run("%s", cmd), 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "-v, --verbose"));
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "-q, --quiet"));
		if (!strstr(out, "-v, --verbose"))
			fprintf(stderr, "\n    %s --help: no -v\n", tools[i]);
	}
}

/* mnet-info -v: every path looked at, the file's size, the output */
static void test_info_verbose(void)
{
	CU_ASSERT_EQUAL(run("./mnet-info -v -m %s >/dev/null",
			    "mobilenet_v1_0.25_128_quant"), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "looking for model 'mobilenet_v1_0.25_128_quant'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "mobilenet_v1_0.25_128_quant.tflite: not there"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "/mobilenet_v1_0.25_128_quant.tflite: found"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "525598 bytes"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "output: 1001 class scores"));
	/* a name found nowhere: every place tried is named */
	CU_ASSERT_EQUAL(run("./mnet-info -v -m %s", "nosuch"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "nosuch.tflite: not there"));
	CU_ASSERT(json_ok("./mnet-info -v --json -m mobilenet_v1_0.25_128_quant"));
	CU_ASSERT(json_ok("./mnet-info -v --json -m /nonexistent.tflite"));
	CU_ASSERT_EQUAL(run("./mnet-info -v -q -m %s >/dev/null",
			    "mobilenet_v1_0.25_128_quant"), 0);
	CU_ASSERT_STRING_EQUAL(out, "");
}

/* mnet-devices -v: how the default is chosen, tuning keys */
static void test_devices_verbose(void)
{
	if (!have_opencl())
		return;
	CU_ASSERT_EQUAL(run("./mnet-devices -v >/dev/null%s", ""), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "device(s) on 1 platform(s)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "default (*): no $MNET_DEVICE"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0: tuning key '"));
	CU_ASSERT(json_ok("./mnet-devices -v --json"));
	CU_ASSERT_EQUAL(run("MNET_DEVICE=0 ./mnet-devices -v >/dev/null%s", ""),
			0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "$MNET_DEVICE='0' picks"));
	/* a $MNET_DEVICE that matches nothing: no '*' before, and no word */
	CU_ASSERT_EQUAL(run("MNET_DEVICE=xyz ./mnet-devices -q >/dev/null%s", ""),
			0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "warning: $MNET_DEVICE='xyz' matches no device"));
}

/* mnet-bench -v: lookups, input, cache, threads, each creation's parts */
static void test_bench_verbose(void)
{
	CU_ASSERT_EQUAL(run("./mnet-bench -v -b cpu -r 1 -w 0 -m %s >/dev/null",
			    "mobilenet_v1_0.25_128_quant"), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "/mobilenet_v1_0.25_128_quant.tflite: found"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "mnet-bench: input fixed"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "mnet-bench: program cache /tmp/"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "asked for,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "mnet-bench: cold session: cpu"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "mnet-bench: timed (cached) session: cpu"));
	CU_ASSERT(json_ok("./mnet-bench -v -b cpu -r 1 -w 0 --json --synthetic 0.25 32"));
	/* the later of -v and -q wins */
	CU_ASSERT_EQUAL(run("./mnet-bench -v -q -b cpu -r 1 -w 0 --synthetic 0.25 32 >/dev/null%s",
			    ""), 0);
	CU_ASSERT_PTR_NULL(strstr(out, "cold session"));
	if (have_opencl()) {
		CU_ASSERT_EQUAL(run("./mnet-bench -q -v -b opencl -r 1 -w 0 -l 1 --synthetic 0.25 32 >/dev/null%s",
				    ""), 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "profiled session: opencl"));
		CU_ASSERT_PTR_NOT_NULL(strstr(out, " built, "));
	}
}

/* mnet-validate -v: each backend's limits, a line per image */
static void test_validate_verbose(void)
{
	char imgs[2048];

	snprintf(imgs, sizeof(imgs), "%s ",
		 mnet_test_shared_path("images/cat.bmp"));
	strncat(imgs, mnet_test_shared_path("images/bird.bmp"),
		sizeof(imgs) - strlen(imgs) - 1);
	CU_ASSERT_EQUAL(run("./mnet-validate -v -b cpu -p fp32 -L 1 -m mobilenet_v1_0.25_128_quant %s >/dev/null",
			    imgs), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "backend ref: ref"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "backend cpu: cpu"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "relative L2 limit 0.0001"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "image 1/2 "));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "cat.bmp: ref top-1 "));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "; every layer compared"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "image 2/2 "));
	snprintf(imgs, sizeof(imgs),
		 "./mnet-validate -v --json -b cpu -L 0 --synthetic 0.25 32 %s",
		 mnet_test_shared_path("images/cat.bmp"));
	CU_ASSERT(json_ok(imgs));
}

/* mnet-tune -v: what the search uses, a line per candidate, the counts */
static void test_tune_verbose(void)
{
	const char *db = "/tmp/mnet-test-tune-verbose.db";

	if (!have_opencl())
		return;
	CU_ASSERT_EQUAL(run("./mnet-tune -v --synthetic 0.25 32 --budget 0.3 -r 1 --db %s >/dev/null",
			    db), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "mnet-tune: model synthetic"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "mode fast, budget 0.3 s"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "mnet-tune: database /tmp/mnet-test-tune-verbose.db (new)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "mnet-tune: candidate 1/"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "mnet-tune: layer 0 conv2d (x1): space "));
	CU_ASSERT(json_ok("./mnet-tune -v --json --synthetic 0.25 32 --budget 0.2 -r 1 --db /tmp/mnet-test-tune-verbose.db"));
	CU_ASSERT_EQUAL(run("./mnet-tune -q --synthetic 0.25 32 --budget 0.2 -r 1 --db %s >/dev/null",
			    db), 0);
	CU_ASSERT_PTR_NULL(strstr(out, "candidate"));
	CU_ASSERT_PTR_NULL(strstr(out, "note:"));
	unlink(db);
	unlink("/tmp/mnet-test-tune-verbose.db.lock");
}

/* mnet-classify -v (label_image's verbose mode) keeps --json valid */
static void test_classify_verbose(void)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), "./mnet-classify -v -b cpu --json %s",
		 mnet_test_shared_path("images/cat.bmp"));
	CU_ASSERT(json_ok(cmd));
	CU_ASSERT_EQUAL(run("./mnet-classify -v -b cpu %s >/dev/null",
			    mnet_test_shared_path("images/cat.bmp")), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "mnet-classify: backend cpu"));
}

static const CU_TestInfo tests[] = {
	{ "every tool takes -v and -q", test_every_tool_takes_v_and_q },
	{ "mnet-info -v: the files looked up", test_info_verbose },
	{ "mnet-devices -v: default, tuning keys", test_devices_verbose },
	{ "mnet-bench -v: what the run uses", test_bench_verbose },
	{ "mnet-validate -v: a line per image", test_validate_verbose },
	{ "mnet-tune -v: a line per candidate, the counts", test_tune_verbose },
	{ "mnet-classify -v with --json", test_classify_verbose },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	if (!mnet_test_have_file("models/mobilenet_v1_0.25_128_quant.tflite")) {
		printf("shared models not found under %s: skipped\n",
		       mnet_test_shared_path("models"));
		return 77;
	}
	return mnet_test_run_suite("tools' -v and -q", tests);
}

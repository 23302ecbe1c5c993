// SPDX-License-Identifier: Apache-2.0
/*
 * test_tools_pose.c - mnet-pose on the shared PoseNet file and photo
 *
 * --json is one object a script parses: two poses, 17 keypoints each,
 * x and y within 0.01 of the reference CSV's (normalized to the image),
 * the decoder's share of the time within the whole; -o writes a PNG of
 * the photo's own size; a classifier is refused (exit 1), bad usage
 * exits 2, --help and --version 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/test_util.h"
#include "mnet/mnet.h"

#define MODEL "posenet_mobilenet_v1_075_353_481_16_quant_decoder"
#define IMAGE "images/posenet_test_image.bmp"

static char out[1 << 17];

/* python3: sys.argv[1] the tool's stdout, sys.argv[2] the CSV */
static const char check_json[] =
	"import csv, json, sys\n"
	"d = json.load(open(sys.argv[1]))\n"
	"ref = list(csv.DictReader(open(sys.argv[2])))\n"
	"ps = d['poses']\n"
	"assert len(ps) == 2, len(ps)\n"
	"assert 0 < d['decoder_ms'] < d['ms'], d\n"
	"assert d['preprocess_ms'] > 0, d\n"
	"for r in ref:\n"
	"    p = ps[int(r['pose_id'])]\n"
	"    k = p['keypoints'][int(r['keypoint_id'])]\n"
	"    assert k['id'] == int(r['keypoint_id'])\n"
	"    assert 0 <= k['x'] <= 1 and 0 <= k['y'] <= 1, k\n"
	"    assert abs(k['x'] - float(r['keypoint_x'])) <= 0.01, (r, k)\n"
	"    assert abs(k['y'] - float(r['keypoint_y'])) <= 0.01, (r, k)\n"
	"    assert abs(k['score'] - float(r['keypoint_score'])) <= 0.06, (r, k)\n"
	"    assert abs(p['score'] - float(r['pose_score'])) <= 0.02, (r, p)\n";

static void test_json(void)
{
	char json[] = "/tmp/mnet-test-pose-XXXXXX";
	char script[] = "/tmp/mnet-test-pose-py-XXXXXX";
	char cmd[2048];
	FILE *f;
	int fd;

	fd = mkstemp(json);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	fd = mkstemp(script);
	CU_ASSERT_FATAL(fd >= 0);
	f = fdopen(fd, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(check_json, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "./mnet-pose -q -b cpu -p int8 --json -m %s %s >%s",
		 MODEL, mnet_test_shared_path(IMAGE), json);
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out), cmd), 0);
	snprintf(cmd, sizeof(cmd), "python3 %s %s %s", script, json,
		 mnet_test_shared_path("models/" MODEL "_reference.csv"));
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out), cmd), 0);
	if (out[0])
		printf("\n%s\n", out);
	unlink(script);
	unlink(json);
}

static void test_png(void)
{
	char png[] = "/tmp/mnet-test-pose-XXXXXX.png";
	struct mnet_err err = { 0 };
	struct mnet_image *img;
	char cmd[2048];
	int fd, w = 0, h = 0;

	fd = mkstemps(png, 4);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "./mnet-pose -b ref -m %s %s -o %s", MODEL,
		 mnet_test_shared_path(IMAGE), png);
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out), cmd), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "2 poses"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "leftShoulder"));
	CU_ASSERT_EQUAL_FATAL(mnet_image_load(png, &img, &err), 0);
	mnet_image_size(img, &w, &h);
	CU_ASSERT_EQUAL(w, 640);
	CU_ASSERT_EQUAL(h, 480);
	mnet_image_free(img);
	unlink(png);
}

static void test_usage(void)
{
	char cmd[2048];

	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out), "./mnet-pose --help"), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "--json"));
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out), "./mnet-pose --version"), 0);
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out), "./mnet-pose"), 2);
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out), "./mnet-pose --bogus x.bmp"), 2);
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out), "./mnet-pose -s 2 x.bmp"), 2);
	snprintf(cmd, sizeof(cmd), "./mnet-pose -m mobilenet_v1_0.25_128_quant %s",
		 mnet_test_shared_path(IMAGE));
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out), cmd), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "not a pose model"));
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out),
		"./mnet-pose -m " MODEL " /nonexistent.bmp"), 1);
	/* and mnet-classify sends a pose model here */
	snprintf(cmd, sizeof(cmd), "./mnet-classify -m %s %s", MODEL,
		 mnet_test_shared_path(IMAGE));
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out), cmd), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "mnet-pose"));
}

static const CU_TestInfo tests[] = {
	{ "mnet-pose --json: the reference poses, parsed", test_json },
	{ "mnet-pose -o: a PNG of the photo's size", test_png },
	{ "mnet-pose: help, version, usage and refusals", test_usage },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	if (!mnet_test_have_file("models/" MODEL ".tflite") ||
	    !mnet_test_have_file(IMAGE) ||
	    !mnet_test_have_file("models/mobilenet_v1_0.25_128_quant.tflite")) {
		printf("test_tools_pose: shared PoseNet file or photo missing; skipped\n");
		return 77;
	}
	return mnet_test_run_suite("mnet-pose", tests);
}

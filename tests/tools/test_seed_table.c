// SPDX-License-Identifier: Apache-2.0
/*
 * test_seed_table.c - mnet-bench --seed-table end to end
 *
 * The table's files come from make-keras-models.py, which needs
 * TensorFlow; here a folder stands in for its output with one row's files
 * (the shared pretrained 0.25/128 file under the script's names for the
 * V1 0.25 row), and a small shared folder (that file and two photos of
 * truth.txt) for the measured accuracy.  The JSON must hold the 16 rows
 * (8 architectures, fp32 and int8), that row measured on cpu (1 thread
 * and all) and opencl where a device exists, the others each with an
 * error naming its missing file; the exit status is 1 (not every
 * architecture ran), the SVG chart is written; the text table has its
 * header; --models without --seed-table and --seed-table with -m are
 * usage errors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/test_util.h"

#define MODEL "mobilenet_v1_0.25_128_quant.tflite"

static char out[1 << 16];
static char dir[] = "/tmp/mnet-test-table-XXXXXX";

static int sh(const char *fmt, const char *a, const char *b)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd), fmt, a, b);
	return system(cmd);
}

/* keras/ with the row's two files, shared/ with the model and 2 photos */
static int make_dirs(void)
{
	char models[600];
	FILE *f;

	if (!mkdtemp(dir))
		return -1;
	snprintf(models, sizeof(models), "%s",
		 mnet_test_shared_path("models/" MODEL));
	if (sh("mkdir -p %s/keras %s/shared/models", dir, dir) ||
	    sh("mkdir -p %s/shared/images/imagenet%s", dir, "") ||
	    sh("ln -s %s %s/keras/v1_0.25_128_fp32.tflite", models, dir) ||
	    sh("ln -s %s %s/keras/v1_0.25_128_int8.tflite", models, dir) ||
	    sh("ln -s %s %s/shared/models/", models, dir) ||
	    sh("ln -s %s %s/shared/images/imagenet/",
	       mnet_test_shared_path("images/imagenet/n01440764_tench.JPEG"),
	       dir) ||
	    sh("ln -s %s %s/shared/images/imagenet/",
	       mnet_test_shared_path("images/imagenet/n01530575_brambling.JPEG"),
	       dir))
		return -1;
	snprintf(models, sizeof(models), "%s/shared/images/imagenet/truth.txt",
		 dir);
	f = fopen(models, "w");
	if (!f)
		return -1;
	fprintf(f, "n01440764_tench.JPEG 1\nn01530575_brambling.JPEG 11\n");
	return fclose(f) ? -1 : 0;
}

static const char check_py[] =
	"import json, sys\n"
	"d = json.load(open(sys.argv[1]))\n"
	"rows = d['rows']\n"
	"assert len(rows) == 16, len(rows)\n"
	"got = [r for r in rows if r['architecture'] == 'MobileNetV1 0.25 128']\n"
	"assert len(got) == 2 and 'precision' not in got[0], got\n"
	"assert got[1]['precision'] == 'int8', got[1]\n"
	"for r in got:\n"
	"    assert 'error' not in r, r\n"
	"    assert 400000 < r['params'] < 500000 and r['macs'] > 10e6, r\n"
	"    assert r['ms']['cpu_t1'] > 0 and r['ms']['cpu_all'] > 0, r\n"
	"    assert r['ms']['opencl'] is None or r['ms']['opencl'] > 0, r\n"
	"    assert r['ms']['opencl'] is not None or 'opencl_error' in r, r\n"
	"    assert 0 <= r['measured_top1'] <= r['measured_top5'] <= 1, r\n"
	"    assert r['paper_top1'] == 0.415 and r['paper_top5'] == 0.663, r\n"
	"for r in rows:\n"
	"    if r not in got:\n"
	"        assert 'cannot open' in r['error'], r\n"
	"        assert 'measured_top1' not in r and 'ms' not in r, r\n"
	"assert [r['architecture'] for r in rows[::2]][:2] == ['Xception', 'VGG16']\n";

static void test_json(void)
{
	char cmd[4096], json[700], py[700], chart[700];
	FILE *f;
	int rc;

	snprintf(json, sizeof(json), "%s/t.json", dir);
	snprintf(py, sizeof(py), "%s/t.py", dir);
	snprintf(chart, sizeof(chart), "%s/c.svg", dir);
	f = fopen(py, "w");
	CU_ASSERT_FATAL(f != NULL);
	fputs(check_py, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "MNET_MODEL_DIR=%s/shared/models ./mnet-bench --seed-table --models %s/keras --chart %s -r 2 -w 0 -j -q > %s",
		 dir, dir, chart, json);
	rc = mnet_test_run_tool(out, sizeof(out), cmd);
	CU_ASSERT_EQUAL(rc, 1);
	snprintf(cmd, sizeof(cmd), "python3 %s %s", py, json);
	rc = mnet_test_run_tool(out, sizeof(out), cmd);
	if (rc)
		printf("\n%s\n", out);
	CU_ASSERT_EQUAL(rc, 0);
	snprintf(cmd, sizeof(cmd), "grep -c 'MobileNetV1 0.25 128' %s", chart);
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out), cmd), 0);
	CU_ASSERT(!strncmp(out, "1", 1));
}

static void test_text_and_usage(void)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd),
		 "MNET_MODEL_DIR=%s/shared/models ./mnet-bench --seed-table --models %s/keras --chart %s/c2.svg -r 1 -w 0 -q -b cpu",
		 dir, dir, dir);
	/* -b with --seed-table: it runs every backend itself */
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out), cmd), 2);
	snprintf(cmd, sizeof(cmd),
		 "MNET_MODEL_DIR=%s/shared/models ./mnet-bench --seed-table --models %s/keras --chart %s/c2.svg -r 1 -w 0 -q",
		 dir, dir, dir);
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out), cmd), 1);
	CU_ASSERT(strstr(out, "| architecture | precision | params | MACs |") != NULL);
	CU_ASSERT(strstr(out, "| MobileNetV1 0.25 128 | int8 | 0.4") != NULL);
	CU_ASSERT(strstr(out, "Xception fp32: ") != NULL);
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out),
					   "./mnet-bench --models /tmp -m x"), 2);
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out),
					   "./mnet-bench --seed-table -m " MODEL), 2);
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "--seed-table --json: the rows, one measured", test_json },
		{ "--seed-table text and usage errors", test_text_and_usage },
		CU_TEST_INFO_NULL,
	};
	int ret;

	if (!mnet_test_have_file("models/" MODEL)) {
		printf("test_seed_table: %s not in shared/: skipped\n", MODEL);
		return 77;
	}
	if (make_dirs()) {
		printf("test_seed_table: cannot make the test folders in /tmp\n");
		return 1;
	}
	ret = mnet_test_run_suite("seed_table", tests);
	sh("rm -rf %s%s", dir, "");
	return ret;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * test_tools_output.c - what the tools print, parsed as a script would
 *
 * Each case runs a built tool (from $MNET_TEST_TOOLS, as test_tools.c
 * does), keeps its stdout apart from its stderr, and hands stdout to a
 * small python3 program that parses it as JSON and checks the fields
 * docs/tools.md promises: mnet-info's listing of a model the loader
 * refuses (a small built file; the shared DeepLab files load now and are
 * listed as layers), mnet-devices' sub-group fields.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/test_util.h"
#include "lib/tfl_builder.h"

static char out[1 << 16];

/*
 * Run @cmd with stdout into a file and stderr dropped, then @py (a
 * python3 program; sys.argv[1] is the file) over it.  Return the tool's
 * exit status; *@py_rc receives python's (0: every assertion held).
 */
static int run_json(const char *cmd, const char *py, int *py_rc)
{
	char json[] = "/tmp/mnet-test-out-XXXXXX";
	char script[] = "/tmp/mnet-test-py-XXXXXX";
	char full[8192];
	int fd, rc;
	FILE *f;

	*py_rc = -1;
	fd = mkstemp(json);
	if (fd < 0)
		return -1;
	close(fd);
	fd = mkstemp(script);
	if (fd < 0) {
		unlink(json);
		return -1;
	}
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		rc = -1;
		goto out_unlink;
	}
	fputs(py, f);
	fclose(f);
	snprintf(full, sizeof(full), "sh -c '%s >%s 2>/dev/null'", cmd,
		 json);
	rc = mnet_test_run_tool(out, sizeof(out), full);
	snprintf(full, sizeof(full), "python3 %s %s", script, json);
	*py_rc = mnet_test_run_tool(out, sizeof(out), full);
	if (*py_rc)
		fprintf(stderr, "\n    %s:\n%s\n", cmd, out);
out_unlink:
	unlink(script);
	unlink(json);
	return rc;
}

/* a built file: ADD accepted, op 1 (PAD) refused, listed op by op */
static const char info_refused[] =
	"import json, sys\n"
	"d = json.load(open(sys.argv[1]))\n"
	"assert d['loadable'] is False, d\n"
	"assert 'PAD' in d['error'], d['error']\n"
	"ops = d['ops']\n"
	"assert len(ops) == 2, len(ops)\n"
	"assert d['unsupported_op'] == 1\n"
	"assert ops[0]['op'] == 'ADD' and ops[0]['out'] == [1, 4, 4, 3]\n"
	"assert ops[0]['status'] == 'accepted', ops[0]\n"
	"assert ops[1]['op'] == 'PAD', ops[1]\n"
	"assert ops[1]['status'] == 'unsupported', ops[1]\n"
	"assert ops[1]['type'] == 'float32'\n";

/* deeplabv3 loads: 71 layers with the backbone ops, no error field */
static const char info_deeplab[] =
	"import json, sys\n"
	"d = json.load(open(sys.argv[1]))\n"
	"assert 'error' not in d, d['error']\n"
	"assert d['model'] == 'deeplabv3_mnv2_pascal_quant.tflite', d['model']\n"
	"ls = d['layers']\n"
	"assert len(ls) == 72, len(ls)\n"
	"assert d['output_size'] == 513 * 513\n"
	"assert ls[51]['op'] == 'dwconv2d_dilated', ls[51]\n"
	"assert ls[65]['op'] == 'reshape', ls[65]\n"	/* a QUANTIZE */
	"assert ls[66]['op'] == 'concat', ls[66]\n"
	"assert ls[70]['op'] == 'resize_bilinear', ls[70]\n"
	"assert ls[71]['op'] == 'argmax', ls[71]\n";

/*
 * posenet loads: 32 device layers (the PAD folded into the first
 * convolution, the QUANTIZEs aliases, the decoder on the host), output 0
 * the decoder's keypoints, 20 poses x 17 x (y, x)
 */
static const char info_posenet[] =
	"import json, sys\n"
	"d = json.load(open(sys.argv[1]))\n"
	"assert 'error' not in d, d['error']\n"
	"ls = d['layers']\n"
	"assert len(ls) == 32, len(ls)\n"
	"assert d['output_size'] == 20 * 17 * 2, d['output_size']\n"
	"assert ls[0]['op'] == 'conv2d', ls[0]\n"
	"assert ls[29]['op'] == 'concat', ls[29]\n";

/* a file that cannot be read: still one object, with no ops */
static const char info_missing[] =
	"import json, sys\n"
	"d = json.load(open(sys.argv[1]))\n"
	"assert d['loadable'] is False and d['ops'] is None, d\n"
	"assert '/nonexistent.tflite' in d['error'], d\n";

/* a model that loads: the layers, and no error field */
static const char info_ok[] =
	"import json, sys\n"
	"d = json.load(open(sys.argv[1]))\n"
	"assert 'error' not in d and len(d['layers']) > 20, d.keys()\n";

/*
 * mnet-info --json for a model the loader refuses lists its operators as
 * the text does, the refused one marked, in one valid JSON object (it
 * printed nothing before), exit 1 still.
 */
static void test_info_json_refused(void)
{
	char path[] = "/tmp/mnet-test-refused-XXXXXX.tflite";
	char cmd[128];
	struct tm_model tm;
	int py;

	CU_ASSERT_EQUAL(run_json("./mnet-info --json -m mobilenet_v1_0.25_128_quant",
				 info_ok, &py), 0);
	CU_ASSERT_EQUAL(py, 0);
	CU_ASSERT_EQUAL(run_json("./mnet-info --json -m /nonexistent.tflite",
				 info_missing, &py), 1);
	CU_ASSERT_EQUAL(py, 0);
	tm_refused_model(&tm);
	CU_ASSERT_EQUAL_FATAL(mkstemps(path, 7) >= 0, 1);
	CU_ASSERT_EQUAL_FATAL(tm_write_file(&tm, path), 0);
	snprintf(cmd, sizeof(cmd), "./mnet-info -j -m %s", path);
	CU_ASSERT_EQUAL(run_json(cmd, info_refused, &py), 1);
	CU_ASSERT_EQUAL(py, 0);
	unlink(path);
	if (mnet_test_have_file("models/deeplabv3_mnv2_pascal_quant.tflite")) {
		CU_ASSERT_EQUAL(run_json("./mnet-info -j -m deeplabv3_mnv2_pascal_quant",
					 info_deeplab, &py), 0);
		CU_ASSERT_EQUAL(py, 0);
	}
	if (mnet_test_have_file("models/posenet_mobilenet_v1_075_353_481_16_quant_decoder.tflite")) {
		CU_ASSERT_EQUAL(run_json("./mnet-info --json -m posenet_mobilenet_v1_075_353_481_16_quant_decoder",
					 info_posenet, &py), 0);
		CU_ASSERT_EQUAL(py, 0);
		CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out),
			"./mnet-info -m posenet_mobilenet_v1_075_353_481_16_quant_decoder"),
			0);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "total: 32 layers"));
	}
}

/* every device: the sub-group fields, with null for what is unknown */
static const char devices_subgroups[] =
	"import json, sys\n"
	"devs = json.load(open(sys.argv[1]))\n"
	"assert isinstance(devs, list) and devs\n"
	"for d in devs:\n"
	"    sg = d['subgroups']\n"
	"    assert isinstance(sg, dict), sg\n"
	"    n = sg['max_num_sub_groups']\n"
	"    assert n is None or (isinstance(n, int) and n >= 0), sg\n"
	"    assert sg['sizes'] is None or all(isinstance(v, int) and v > 0 for v in sg['sizes']), sg\n"
	"    wg = sg['probe_work_group_size']\n"
	"    p = sg['probe_sub_group_size']\n"
	"    assert p is None or 0 < p <= wg, sg\n"
	"    assert (p is None) == (sg['note'] != ''), sg\n"
	"    assert sg['supported'] == (sg['cl_khr_subgroups'] or sg['cl_intel_subgroups'] or bool(n)), sg\n"
	"    if n == 0 and not sg['supported']:\n"
	"        assert p is None and 'no sub-groups' in sg['note'], sg\n"
	"    ext = d['extensions'].split()\n"
	"    assert sg['cl_khr_subgroups'] == ('cl_khr_subgroups' in ext)\n"
	"    if 'cl_intel_required_subgroup_size' not in ext:\n"
	"        assert sg['sizes'] is None, sg\n"
	"    print(d['name'], sg)\n";

/*
 * mnet-devices shows sub-groups as what the device reports (count, sizes,
 * a probe kernel's sub-group size), not a yes/no, in text and JSON, and
 * says "unknown" / null for what it does not report (PoCL 3.1 here
 * reports CL_DEVICE_MAX_NUM_SUB_GROUPS 0 and no sizes).
 */
static void test_devices_subgroups(void)
{
	int py;

	if (mnet_test_run_tool(out, sizeof(out), "./mnet-devices")) {
		printf("\n    no OpenCL device: mnet-devices not checked");
		return;
	}
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "    subgroups:       "));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "    subgroup sizes:  "));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "    subgroup probe:  "));
	CU_ASSERT_PTR_NULL(strstr(out, "subgroups:       yes"));
	CU_ASSERT_PTR_NULL(strstr(out, "subgroups:       no\n"));
	CU_ASSERT_EQUAL(run_json("./mnet-devices --json", devices_subgroups,
				 &py), 0);
	CU_ASSERT_EQUAL(py, 0);
	/* a $MNET_DEVICE that matches nothing: no '*' and, before, no word */
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out),
					   "MNET_DEVICE=xyz ./mnet-devices"), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "warning: $MNET_DEVICE='xyz' matches no device"));
}

/*
 * mnet-bench --csv: a path that cannot be written fails before the run
 * (it was found after every timed run), a failed run leaves no empty
 * file; -l on a host backend is a warning, which -q keeps.
 */
static void test_bench_csv_checked_first(void)
{
	const char *csv = "/tmp/mnet-test-bench-first.csv";

	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out),
		"./mnet-bench -b cpu -r 1 -w 0 --synthetic 0.25 32 --csv /nonexistent/x.csv"),
		1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "--csv /nonexistent/x.csv"));
	CU_ASSERT_PTR_NULL(strstr(out, "latency"));
	unlink(csv);
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out),
		"./mnet-bench -b cpu -m /nonexistent.tflite --csv /tmp/mnet-test-bench-first.csv"),
		1);
	CU_ASSERT_NOT_EQUAL(access(csv, F_OK), 0);
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out),
		"./mnet-bench -q -b cpu -r 1 -w 0 -l 5 --synthetic 0.25 32"), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "warning: --layer-runs"));
}

/* classify's error lines: one per image, with the reason */
static const char classify_error_lines[] =
	"import json, sys\n"
	"lines = [json.loads(l) for l in open(sys.argv[1])]\n"
	"assert len(lines) == 1, lines\n"
	"assert 'without classes' in lines[0]['error'], lines\n"
	"assert 'top' not in lines[0] and 'embedding' not in lines[0]\n";

/*
 * -l with a feature extractor (no classes to label) is an error in
 * mnet-classify and mnet-validate; it was ignored without a word.
 */
static void test_labels_for_embedding(void)
{
	const char *emb = "mobilenet_v1_1.0_224_quant_embedding_extractor";
	char cmd[4096];
	int py;

	if (!mnet_test_have_file("models/mobilenet_v1_1.0_224_quant_embedding_extractor.tflite"))
		return;
	snprintf(cmd, sizeof(cmd), "./mnet-classify -b cpu -j -l imagenet_labels.txt -m %s %s",
		 emb, mnet_test_shared_path("images/cat.bmp"));
	CU_ASSERT_EQUAL(run_json(cmd, classify_error_lines, &py), 1);
	CU_ASSERT_EQUAL(py, 0);
	snprintf(cmd, sizeof(cmd), "./mnet-validate -b cpu -L 0 -l imagenet_labels.txt -m %s %s",
		 emb, mnet_test_shared_path("images/cat.bmp"));
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out), cmd), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "nothing to label"));
	/* without -l the embedding still runs */
	snprintf(cmd, sizeof(cmd), "./mnet-validate -q -b cpu -L 0 -m %s %s",
		 emb, mnet_test_shared_path("images/cat.bmp"));
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out), cmd), 0);
}

/* mnet-tune --db naming a folder fails before the search (it failed after) */
static void test_tune_db_folder(void)
{
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out),
		"mkdir -p /tmp/mnet-test-db-folder && ./mnet-tune --synthetic 0.25 32 --budget 0.2 -r 1 --db /tmp/mnet-test-db-folder"),
		1);
	CU_ASSERT_PTR_NULL(strstr(out, "candidates"));
	if (!strstr(out, "no OpenCL backend"))
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "/tmp/mnet-test-db-folder: cannot write there"));
	rmdir("/tmp/mnet-test-db-folder");
}

/* one object with "error", not an empty stdout */
static const char bench_error[] =
	"import json, sys\n"
	"d = json.load(open(sys.argv[1]))\n"
	"assert isinstance(d, dict) and d['error'] and 'model' in d, d\n"
	"assert 'median_ms' not in d, d\n";

/*
 * mnet-bench --json when the benchmark fails (model, image, device,
 * --csv): still one JSON object, with "error" (stdout was empty).
 */
static void test_bench_json_failure(void)
{
	static const char *const cmds[] = {
		"./mnet-bench --json -b cpu -m /nonexistent.tflite",
		"./mnet-bench --json -b cpu --synthetic 0.25 32 -i /nonexistent.bmp",
		"./mnet-bench --json -b cpu --synthetic 0.25 32 --csv /nonexistent/x.csv",
		"./mnet-bench --json -d 99 --synthetic 0.25 32",
	};
	unsigned int i;
	int py;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		CU_ASSERT_EQUAL(run_json(cmds[i], bench_error, &py), 1);
		CU_ASSERT_EQUAL(py, 0);
	}
}

/* mnet-tune and mnet-validate likewise (their stdout was empty). */
static void test_tune_validate_json_failure(void)
{
	static const char *const cmds[] = {
		"./mnet-tune --json -m /nonexistent.tflite",
		"./mnet-tune --json --synthetic 0.25 32 --db /proc/nonexistent/db",
		"./mnet-validate --json -b cpu -m /nonexistent.tflite x.bmp",
		"./mnet-validate --json -b cpu --synthetic 0.25 32 /nonexistent.bmp",
		"./mnet-validate --json -b cpu --synthetic 0.25 32 --images /nonexistent",
	};
	unsigned int i;
	int py;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		CU_ASSERT_EQUAL(run_json(cmds[i], bench_error, &py), 1);
		CU_ASSERT_EQUAL(py, 0);
	}
}

static const CU_TestInfo tests[] = {
	{ "mnet-info --json: a refused model's ops, parsed",
	  test_info_json_refused },
	{ "mnet-devices: sub-group sizes, or unknown", test_devices_subgroups },
	{ "mnet-bench: --csv checked before the run, -l warns",
	  test_bench_csv_checked_first },
	{ "-l for a feature extractor is an error", test_labels_for_embedding },
	{ "mnet-tune --db naming a folder fails first", test_tune_db_folder },
	{ "mnet-bench --json: an error object when it fails",
	  test_bench_json_failure },
	{ "mnet-tune, mnet-validate --json: an error object when they fail",
	  test_tune_validate_json_failure },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	if (!mnet_test_have_file("models/mobilenet_v1_0.25_128_quant.tflite")) {
		printf("shared models not found under %s: skipped\n",
		       mnet_test_shared_path("models"));
		return 77;
	}
	return mnet_test_run_suite("tools' output, parsed", tests);
}

// SPDX-License-Identifier: Apache-2.0
/*
 * test_tools_int8.c - the tools' int8 reports, end to end
 *
 * mnet-validate -p int8 compares every int8 session with the ref backend
 * at int8 in quantized units (any difference fails, naming the layer) and
 * reports its distance from the fp32 reference; mnet-classify --json
 * gives an int8 session's output bytes ("q") beside the scores; the
 * output quantization those bytes come from (mnet_model_output_quant())
 * is the file's, which the TF2 file requantizes at its edge.  The small
 * 0.25/128 model and two photos keep it to a few seconds.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnet/mnet.h"
#include "lib/test_util.h"

#define MODEL "mobilenet_v1_0.25_128_quant.tflite"
#define TF2_MODEL "tf2_mobilenet_v2_1.0_224_ptq.tflite"

static char out[1 << 18];

/*
 * Run @cmd (in the tools folder) with stdout into a file, then the python3
 * program @py with that file as sys.argv[1].  Return the tool's exit
 * status; *@py_rc receives python's (0: every assertion held).
 */
static int run_json(const char *cmd, const char *py, int *py_rc)
{
	char json[] = "/tmp/mnet-test-q8-XXXXXX";
	char script[] = "/tmp/mnet-test-q8py-XXXXXX";
	char full[8192];
	int fd, rc = -1;
	FILE *f;

	*py_rc = -1;
	fd = mkstemp(json);
	if (fd < 0)
		return -1;
	close(fd);
	fd = mkstemp(script);
	if (fd < 0)
		goto out_unlink_json;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		goto out_unlink;
	}
	fputs(py, f);
	fclose(f);
	snprintf(full, sizeof(full), "sh -c '%s >%s 2>/dev/null'", cmd, json);
	rc = mnet_test_run_tool(out, sizeof(out), full);
	snprintf(full, sizeof(full), "python3 %s %s", script, json);
	*py_rc = mnet_test_run_tool(out, sizeof(out), full);
	if (*py_rc)
		fprintf(stderr, "\n    %s:\n%s\n", cmd, out);
out_unlink:
	unlink(script);
out_unlink_json:
	unlink(json);
	return rc;
}

/* mnet-validate -p int8 on the test model and two photos, plus @args. */
static int validate(const char *env, const char *args, char *cmd, size_t len)
{
	snprintf(cmd, len,
		 "%s ./mnet-validate -m %s -p int8 -b ref,cpu --truth %s --limit 2 --layer-images 1 %s",
		 env ? env : "", MODEL,
		 mnet_test_shared_path("images/imagenet/truth.txt"), args);
	return mnet_test_run_tool(out, sizeof(out), cmd);
}

static const char validate_pass_py[] =
	"import json, math, sys\n"
	"d = json.load(open(sys.argv[1]))\n"
	"assert d['pass'] is True, d['failures']\n"
	"assert d['int8_reference'] == 'ref-int8', d['int8_reference']\n"
	"assert d['fp32_reference'] == 'ref', d['fp32_reference']\n"
	"ref, cpu = d['backends']\n"
	"assert ref['reference'] and ref['precision'] == 'int8', ref\n"
	"assert cpu['precision'] == 'int8' and cpu['q_tolerance'] == 0, cpu\n"
	"assert cpu['rel_l2_tolerance'] is None\n"
	"assert cpu['output']['q_max_diff'] == 0, cpu['output']\n"
	"assert cpu['top1_agree'] == 1 and cpu['first_fail_layer'] == -1\n"
	"for b in (ref, cpu):\n"
	"    v = b['fp32_rel_l2']\n"
	"    assert v is not None and 0 < v < 1, b\n"
	"    assert 0 <= b['fp32_top1_agree'] <= 1, b\n"
	"assert ref['fp32_rel_l2'] == cpu['fp32_rel_l2']\n"
	"assert len(d['per_layer']) == d['layers'] > 20\n"
	"for l in d['per_layer']:\n"
	"    assert l['err']['cpu']['q_max_diff'] == 0, l\n"
	"assert d['failures'] == []\n";

/*
 * ref and cpu at int8 are byte-identical: 0 quantized units on every
 * layer and the output, and the distance from fp32 reported (text and
 * JSON); a float session of the same run would have no int8 fields.
 */
static void test_validate_int8_exact(void)
{
	char cmd[8192];
	int rc, py;

	rc = validate(NULL, "", cmd, sizeof(cmd));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0 quantized units from ref at int8"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Distance of the int8 sessions from the fp32 reference"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "q-units"));
	if (rc)
		fprintf(stderr, "\n%s\n%s\n", cmd, out);
	snprintf(cmd, sizeof(cmd),
		 "./mnet-validate -m %s -p int8 -b ref,cpu --truth %s --limit 2 --layer-images 1 --json",
		 MODEL, mnet_test_shared_path("images/imagenet/truth.txt"));
	CU_ASSERT_EQUAL(run_json(cmd, validate_pass_py, &py), 0);
	CU_ASSERT_EQUAL(py, 0);
}

/*
 * A planted error in the cpu session (MNET_DEBUG_PERTURB_LAYER=N:cpu:
 * the int8 backends move every fourth byte of layer N by 3 units) fails,
 * naming layer N, in quantized units.
 */
static void test_validate_int8_planted(void)
{
	char cmd[8192], key[96];
	int rc;

	rc = validate("MNET_DEBUG_PERTURB_LAYER=12:cpu", "", cmd, sizeof(cmd));
	CU_ASSERT_EQUAL(rc, 1);
	snprintf(key, sizeof(key), ": layer 12 (");
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL cpu-int8"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, key));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "quantized unit"));
	if (rc != 1)
		fprintf(stderr, "\n%s\n%s\n", cmd, out);
}

/* -p int8 where it cannot be: a float model, the OpenCL backend. */
static void test_validate_int8_refused(void)
{
	char cmd[1024];
	int rc;

	snprintf(cmd, sizeof(cmd),
		 "./mnet-validate --synthetic 0.25 32 -p int8 -b ref,cpu %s",
		 mnet_test_shared_path("images/cat.bmp"));
	rc = mnet_test_run_tool(out, sizeof(out), cmd);
	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "is a float model"));
	/* no OpenCL int8 (or no OpenCL): the backend cannot start */
	snprintf(cmd, sizeof(cmd), "./mnet-validate -m %s -p int8 -b ref,opencl %s",
		 MODEL, mnet_test_shared_path("images/cat.bmp"));
	rc = mnet_test_run_tool(out, sizeof(out), cmd);
	if (rc == 0) {
		printf("\n    note: opencl runs int8 here: validated as the others ");
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS"));
		return;
	}
	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "backend opencl"));
}

/* every int8 top entry: an integer byte, consistent with its score */
static const char classify_q_py[] =
	"import json, sys\n"
	"lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]\n"
	"assert len(lines) == 2, lines\n"
	"for d in lines:\n"
	"    assert 'error' not in d, d\n"
	"    oq = d['output_quant']\n"
	"    lo, hi = (-128, 127) if oq['type'] == 'int8' else (0, 255)\n"
	"    assert oq['scale'] > 0 and lo <= oq['zero_point'] <= hi, oq\n"
	"    assert len(d['top']) == 5\n"
	"    for t in d['top']:\n"
	"        q = t['q']\n"
	"        assert isinstance(q, int) and lo <= q <= hi, t\n"
	"        want = oq['scale'] * (q - oq['zero_point'])\n"
	"        assert abs(t['score'] - want) <= 1e-6 + 1e-6 * abs(want), (t, want)\n";

/* a float session of the same file: scores only */
static const char classify_fp32_py[] =
	"import json, sys\n"
	"lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]\n"
	"assert len(lines) == 2, lines\n"
	"for d in lines:\n"
	"    assert 'output_quant' not in d, d\n"
	"    assert all('q' not in t and 'score' in t for t in d['top']), d\n";

static void test_classify_q(void)
{
	static const char *const runs[][3] = {
		{ MODEL, "-p int8 -b cpu", classify_q_py },
		{ MODEL, "-p int8 -b ref", classify_q_py },
		{ TF2_MODEL, "-p int8 -b cpu", classify_q_py },
		{ MODEL, "-p fp32 -b cpu", classify_fp32_py },
	};
	char cmd[2048];
	unsigned int i;
	int py;

	for (i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		snprintf(cmd, sizeof(cmd),
			 "./mnet-classify -m %s %s --json -k 5 %s %s", runs[i][0],
			 runs[i][1], mnet_test_shared_path("images/cat.bmp"),
			 mnet_test_shared_path("images/imagenet/n01440764_tench.JPEG"));
		CU_ASSERT_EQUAL(run_json(cmd, runs[i][2], &py), 0);
		CU_ASSERT_EQUAL(py, 0);
	}
}

/*
 * The file's output quantization, which the session's output floats are
 * the dequantized bytes of: the last layer's where the file does not
 * requantize at its edge, the file's own (uint8) where the TF2 file's
 * QUANTIZE turns int8 into uint8; none for a float model.
 */
static void test_output_quant(void)
{
	struct mnet_model *m = NULL;
	float s, ls;
	int32_t zp, lzp;
	int sgn, lsgn, last;

	CU_ASSERT_EQUAL_FATAL(mnet_model_load_file(mnet_test_shared_path("models/" MODEL),
						   &m, NULL), 0);
	last = mnet_model_layer_count(m) - 1;
	CU_ASSERT_EQUAL(mnet_model_output_quant(m, &s, &zp, &sgn), 0);
	CU_ASSERT_EQUAL(mnet_model_layer_quant(m, last, &ls, &lzp, &lsgn), 0);
	CU_ASSERT(s == ls && zp == lzp && sgn == lsgn && !sgn);
	CU_ASSERT_EQUAL(mnet_model_output_quant(m, NULL, NULL, NULL), 0);
	mnet_model_free(m);

	CU_ASSERT_EQUAL_FATAL(mnet_model_load_file(mnet_test_shared_path("models/" TF2_MODEL),
						   &m, NULL), 0);
	last = mnet_model_layer_count(m) - 1;
	CU_ASSERT_EQUAL(mnet_model_output_quant(m, &s, &zp, &sgn), 0);
	CU_ASSERT_EQUAL(mnet_model_layer_quant(m, last, &ls, &lzp, &lsgn), 0);
	CU_ASSERT_EQUAL(sgn, 0);	/* the file hands out uint8 */
	CU_ASSERT_EQUAL(lsgn, 1);	/* computed in int8 */
	CU_ASSERT(s > 0);
	mnet_model_free(m);

	CU_ASSERT_EQUAL_FATAL(mnet_model_create_synthetic(0.25f, 32, &m, NULL),
			      0);
	CU_ASSERT_EQUAL(mnet_model_output_quant(m, &s, &zp, &sgn), -ENODATA);
	mnet_model_free(m);
}

/*
 * No -p: the cpu backend's auto runs the quantized file in int8, and
 * mnet-validate holds it to ref at int8 (exactly), not to ref's fp32.
 */
static const char validate_auto_py[] =
	"import json, sys\n"
	"d = json.load(open(sys.argv[1]))\n"
	"assert d['pass'] is True, d['failures']\n"
	"cpu = [b for b in d['backends'] if b['id'] == 'cpu'][0]\n"
	"assert cpu['precision'] == 'int8', cpu\n"
	"assert cpu['output']['q_max_diff'] == 0, cpu['output']\n";

static void test_validate_auto_int8(void)
{
	char cmd[8192];
	int py;

	snprintf(cmd, sizeof(cmd),
		 "./mnet-validate -m %s -b ref,cpu --truth %s --limit 2 --layer-images 1 --json",
		 MODEL, mnet_test_shared_path("images/imagenet/truth.txt"));
	CU_ASSERT_EQUAL(run_json(cmd, validate_auto_py, &py), 0);
	CU_ASSERT_EQUAL(py, 0);
}

static const CU_TestInfo tests[] = {
	{ "mnet-validate, auto: cpu runs int8, held to ref at int8",
	  test_validate_auto_int8 },
	{ "mnet-validate -p int8: ref and cpu exact, fp32 distance reported",
	  test_validate_int8_exact },
	{ "mnet-validate -p int8: a planted error names its layer",
	  test_validate_int8_planted },
	{ "mnet-validate -p int8: a float model, opencl", test_validate_int8_refused },
	{ "mnet-classify --json -p int8: q bytes match the scores",
	  test_classify_q },
	{ "mnet_model_output_quant(): the file's, not the last layer's",
	  test_output_quant },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	if (!mnet_test_have_file("models/" MODEL) ||
	    !mnet_test_have_file("models/" TF2_MODEL)) {
		printf("shared models not found under %s: skipped\n",
		       mnet_test_shared_path("models"));
		return 77;
	}
	return mnet_test_run_suite("tools: int8 reports", tests);
}

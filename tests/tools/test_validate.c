// SPDX-License-Identifier: Apache-2.0
/*
 * test_validate.c - mnet-validate and mnet-bench end to end
 *
 * Runs the built tool (from $MNET_TEST_TOOLS) on a shared classifier and a
 * few of the shared ImageNet photos: every available backend passes; a
 * planted error ($MNET_DEBUG_PERTURB_LAYER) in any one backend, the
 * reference included, makes it exit 1 naming that layer and backend; the
 * --json document parses and has its documented fields; --report writes a
 * page that contains its three SVG charts, the JSON and an index.
 * mnet-bench's JSON has its documented fields, cold and cached creation
 * times, and a per-layer breakdown (profiled device times on OpenCL).
 * Timings are printed by the tool but never asserted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/test_util.h"
#ifdef MNET_HAVE_OPENCL
#include "cl/cl_device.h"
#endif

#define MODEL "mobilenet_v1_0.25_128_quant.tflite"

static char out[1 << 20];
static char backends[64] = "ref,cpu";
static char cache_dir[64];

/* Run @cmd in the tools folder; capture stdout+stderr into out[]. */
static int run_cmd(const char *cmd)
{
	return mnet_test_run_tool(out, sizeof(out), cmd);
}

/* mnet-validate on the test model and the truth file, plus @args. */
static int run(const char *env, const char *args)
{
	char cmd[8192];

	snprintf(cmd, sizeof(cmd),
		 "%s ./mnet-validate -p fp32 -m %s --backends %s --truth '%s' %s",
		 env ? env : "", MODEL, backends,
		 mnet_test_shared_path("images/imagenet/truth.txt"), args);
	return run_cmd(cmd);
}

static void test_backends_agree(void)
{
	int rc = run(NULL, "--limit 6 --layer-images 2");

	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS"));
	CU_ASSERT_PTR_NULL(strstr(out, "FAIL"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Per-layer error"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Per-layer time"));
	if (rc)
		fprintf(stderr, "%s\n", out);
}

/* Whether a "FAIL <backend>..." line (backend name may have a variant
 * suffix, "cpu-avx2") contains @what. */
static int fail_line_has(const char *backend, const char *what)
{
	char key[80];
	const char *p = out, *eol;

	snprintf(key, sizeof(key), "FAIL %s", backend);
	while ((p = strstr(p, key))) {
		eol = strchr(p, '\n');
		if (!eol)
			eol = p + strlen(p);
		if (p[strlen(key)] != ' ' && p[strlen(key)] != ':' &&
		    p[strlen(key)] != '-') {
			p = eol;
			continue;
		}
		p = strstr(p, what);
		if (p && p < eol)
			return 1;
		if (!p)
			return 0;
		p = eol;
	}
	return 0;
}

/* The layer and backend named in the FAIL line of a planted error. */
static void check_planted(const char *victim, const char *layer,
			  const char *named)
{
	char env[64], want[128];
	int rc, ok;

	snprintf(env, sizeof(env), "MNET_DEBUG_PERTURB_LAYER=%s:%s", layer,
		 victim);
	rc = run(env, "--limit 2 --layer-images 1");
	CU_ASSERT_EQUAL(rc, 1);
	snprintf(want, sizeof(want), ": layer %s (", layer);
	ok = fail_line_has(named, want);
	CU_ASSERT(ok);
	if (rc != 1 || !ok)
		fprintf(stderr, "expected 'FAIL %s...%s' (exit 1), got %d:\n%s\n",
			named, want, rc, out);
}

static void test_planted_error(void)
{
	check_planted("cpu", "5", "cpu");
	/* a wrong oracle shows up in every other backend */
	check_planted("ref", "3", "cpu");
	if (strstr(backends, "opencl")) {
		check_planted("opencl", "12", "opencl");
		check_planted("ref", "3", "opencl");
	}
	/* the perturbation is per backend: another backend's is not ours */
	CU_ASSERT_EQUAL(run("MNET_DEBUG_PERTURB_LAYER=5:nosuch",
			    "--limit 1 --layer-images 1"), 0);
}

/* A python3 program that checks the documented fields of the JSON. */
static const char json_check[] =
	"import json, sys\n"
	"d = json.load(sys.stdin)\n"
	"for k in ('model', 'date', 'layers', 'images', 'layer_images', 'truth',\n"
	"          'pass', 'backends', 'per_layer', 'failures', 'images_detail'):\n"
	"    assert k in d, k\n"
	"assert d['images'] == 3 and d['layer_images'] == 1\n"
	"assert len(d['per_layer']) == d['layers']\n"
	"ids = [b['id'] for b in d['backends']]\n"
	"assert ids[0] == 'ref' and 'cpu' in ids, ids\n"
	"for b in d['backends']:\n"
	"    for k in ('name', 'device', 'fp16', 'rel_l2_tolerance',\n"
	"              'top1_agree_min', 'top1_agree', 'top5_agree',\n"
	"              'top1_accuracy', 'top5_accuracy', 'output',\n"
	"              'run_ms_median', 'layer_ms_sum', 'first_fail_layer',\n"
	"              'fail_layers', 'pass'):\n"
	"        assert k in b, k\n"
	"    assert 0 <= b['top1_accuracy'] <= 1\n"
	"for l in d['per_layer']:\n"
	"    assert set(l['ms']) == set(ids)\n"
	"    for i in ids[1:]:\n"
	"        e = l['err'][i]\n"
	"        assert e['rel_l2'] >= 0 and e['max_abs'] >= 0 and e['cos'] <= 1.000001\n"
	"for im in d['images_detail']:\n"
	"    assert im['truth'] >= 0 and len(im['top5']['ref']) == 5\n"
	"f = d['failures']\n"
	"if d['pass']:\n"
	"    assert f == []\n"
	"else:\n"
	"    assert f[0]['backend'] == 'cpu' and f[0]['layer'] == 7, f[0]\n"
	"    assert f[0]['metric'] == 'rel_l2' and f[0]['value'] > f[0]['limit']\n"
	"print('json ok', d['pass'])\n";

static void test_json(void)
{
	char args[4096], path[] = "/tmp/mnet-test-json-XXXXXX";
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(write(fd, json_check, sizeof(json_check) - 1),
			(ssize_t)sizeof(json_check) - 1);
	close(fd);
	snprintf(args, sizeof(args),
		 "--limit 3 --layer-images 1 --json | python3 '%s'", path);
	CU_ASSERT_EQUAL(run(NULL, args), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "json ok True"));
	if (!strstr(out, "json ok True"))
		fprintf(stderr, "%s\n", out);
	/* failing runs still print valid JSON, and name the layer in it */
	CU_ASSERT_EQUAL(run("MNET_DEBUG_PERTURB_LAYER=7:cpu", args), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "json ok False"));
	if (!strstr(out, "json ok False"))
		fprintf(stderr, "%s\n", out);
	unlink(path);
}

/* python3: PoseNet's four outputs each compared, and the verdict */
static const char outputs_check[] =
	"import json, sys\n"
	"d = json.load(sys.stdin)\n"
	"b = d['backends'][1]\n"
	"o = b['outputs']\n"
	"assert [x['index'] for x in o] == [0, 1, 2, 3], o\n"
	"assert o[0]['name'] == 'poses' and o[3]['name'] == 'poses:3', o\n"
	"q = [x['error']['q_max_diff'] for x in o]\n"
	"if d['pass']:\n"
	"    assert q == [0, 0, 0, 0], q\n"
	"else:\n"
	"    assert q[1] != 0 and q[2] != 0, q\n"
	"print('outputs ok', d['pass'])\n";

/*
 * A model of several outputs (PoseNet: keypoints, keypoint scores, pose
 * scores, count): every output tensor is compared, listed by name in the
 * text and the JSON; a planted error in the last layer (the short-range
 * offsets, read only by the decoder) fails the output comparison alone
 * (--layer-images 0: no layer is compared).
 */
static void test_every_output(void)
{
	char cmd[8192], path[] = "/tmp/mnet-test-outs-XXXXXX";
	const char *envs[] = { "", "MNET_DEBUG_PERTURB_LAYER=31:cpu" };
	const char *want[] = { "outputs ok True", "outputs ok False" };
	int fd, i;

	if (!mnet_test_have_file("models/posenet_mobilenet_v1_075_353_481_16_quant_decoder.tflite"))
		return;
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(write(fd, outputs_check, sizeof(outputs_check) - 1),
			(ssize_t)sizeof(outputs_check) - 1);
	close(fd);
	for (i = 0; i < 2; i++) {
		snprintf(cmd, sizeof(cmd),
			 "%s ./mnet-validate -q -m posenet_mobilenet_v1_075_353_481_16_quant_decoder -p int8 -b ref,cpu --layer-images 0 --json '%s' | python3 '%s'",
			 envs[i], mnet_test_shared_path("images/posenet_test_image.bmp"),
			 path);
		CU_ASSERT_EQUAL(run_cmd(cmd), 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, want[i]));
		if (!strstr(out, want[i]))
			fprintf(stderr, "%s\n%s\n", cmd, out);
	}
	snprintf(cmd, sizeof(cmd),
		 "./mnet-validate -m posenet_mobilenet_v1_075_353_481_16_quant_decoder -p int8 -b ref,cpu --layer-images 0 '%s'",
		 mnet_test_shared_path("images/posenet_test_image.bmp"));
	CU_ASSERT_EQUAL(run_cmd(cmd), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Each output tensor against the reference"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "poses:3"));
	unlink(path);
}

/* A whole file as a string (free() it), or NULL. */
static char *slurp(const char *path)
{
	size_t len;
	char *s = (char *)mnet_test_read_file(path, &len), *t;

	if (!s)
		return NULL;
	t = realloc(s, len + 1);
	if (!t) {
		free(s);
		return NULL;
	}
	t[len] = '\0';
	return t;
}

static int file_contains(const char *path, const char *const *needles)
{
	char *t = slurp(path);
	int ok = t != NULL;

	for (; ok && *needles; needles++) {
		ok = strstr(t, *needles) != NULL;
		if (!ok)
			fprintf(stderr, "%s: no '%s'\n", path, *needles);
	}
	free(t);
	return ok;
}

static void test_report(void)
{
	static const char *const page[] = {
		"<svg id=\"chart-latency\"", "<svg id=\"chart-error\"",
		"<svg id=\"chart-accuracy\"", "</svg>", "</html>",
		"mobilenet_v1_0.25_128_quant", NULL,
	};
	static const char *const index[] = {
		"href=\"mobilenet_v1_0.25_128_quant.html\"", NULL,
	};
	static const char *const json[] = { "\"per_layer\": [", NULL };
	char dir[] = "/tmp/mnet-test-report-XXXXXX", args[4200], f[4200];
	char *html;

	CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
	snprintf(args, sizeof(args), "--limit 2 --layer-images 1 --report '%s'",
		 dir);
	CU_ASSERT_EQUAL(run(NULL, args), 0);
	snprintf(f, sizeof(f), "%s/mobilenet_v1_0.25_128_quant.html", dir);
	CU_ASSERT(file_contains(f, page));
	/* self-contained: no scripts, nothing fetched */
	html = slurp(f);
	CU_ASSERT_FATAL(html != NULL);
	CU_ASSERT_PTR_NULL(strstr(html, "<script"));
	CU_ASSERT_PTR_NULL(strstr(html, "<link"));
	CU_ASSERT_PTR_NULL(strstr(html, "src="));
	CU_ASSERT_PTR_NULL(strstr(html, "http://www.w3.org/1999/xlink"));
	free(html);
	snprintf(f, sizeof(f), "%s/index.html", dir);
	CU_ASSERT(file_contains(f, index));
	snprintf(f, sizeof(f), "%s/mobilenet_v1_0.25_128_quant.json", dir);
	CU_ASSERT(file_contains(f, json));
	snprintf(f, sizeof(f), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(f), 0);
}

static void test_bad_arguments(void)
{
	CU_ASSERT_EQUAL(run(NULL, "--backends ref,gpu"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "unknown backend 'gpu'"));
	CU_ASSERT_EQUAL(run(NULL, "--tolerance -1"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "--tolerance"));
	/* a second source of images is refused */
	CU_ASSERT_EQUAL(run(NULL, "--images /tmp"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "exactly one source"));
}

static void test_bad_truth(void)
{
	char path[] = "/tmp/mnet-test-truth-XXXXXX", cmd[8192];
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(write(fd, "cat.bmp 282\nparrot.jpg\n", 23), 23);
	close(fd);
	snprintf(cmd, sizeof(cmd), "./mnet-validate -m %s --truth %s", MODEL,
		 path);
	/* a file that cannot be used is the work failing (1), not usage */
	CU_ASSERT_EQUAL(run_cmd(cmd), 1);
	snprintf(cmd, sizeof(cmd), "%s:2: expected 'IMAGE CLASS'", path);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, cmd));
	unlink(path);
	snprintf(cmd, sizeof(cmd), "./mnet-validate -m %s --truth /nonexistent.txt",
		 MODEL);
	CU_ASSERT_EQUAL(run_cmd(cmd), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "/nonexistent.txt"));
	/* a missing image is found before any work (the model is not read) */
	snprintf(cmd, sizeof(cmd), "./mnet-validate -m /nonexistent.tflite %s /nonexistent.bmp",
		 mnet_test_shared_path("images/cat.bmp"));
	CU_ASSERT_EQUAL(run_cmd(cmd), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "/nonexistent.bmp"));
	CU_ASSERT_PTR_NULL(strstr(out, "/nonexistent.tflite"));
	/* -q drops the no-labels note too (it was printed whatever -q said) */
	if (!mnet_test_have_file("models/mobilenet_v2_1.0_224_inat_bird_quant.tflite"))
		return;
	snprintf(cmd, sizeof(cmd), "./mnet-validate -q -b cpu -L 0 -m mobilenet_v2_1.0_224_inat_bird_quant %s",
		 mnet_test_shared_path("images/cat.bmp"));
	CU_ASSERT_EQUAL(run_cmd(cmd), 0);
	CU_ASSERT_PTR_NULL(strstr(out, "note:"));
}

/* Checks mnet-bench's JSON: argv[1] is the backend asked for. */
static const char bench_check[] =
	"import json, sys\n"
	"d = json.load(sys.stdin)\n"
	"for k in ('model', 'backend', 'device', 'precision', 'threads', 'runs',\n"
	"          'warmup', 'min_ms', 'median_ms', 'p90_ms', 'max_ms', 'mean_ms',\n"
	"          'throughput_ips', 'gmacs', 'macs', 'create_ms', 'create_cold_ms',\n"
	"          'create_cached_ms', 'peak_rss_kb', 'top1', 'p', 'layer_source',\n"
	"          'layer_runs', 'layers'):\n"
	"    assert k in d, k\n"
	"assert d['backend'].startswith(sys.argv[1]), d['backend']\n"
	"assert d['runs'] == 3 and d['min_ms'] <= d['median_ms'] <= d['p90_ms'] <= d['max_ms']\n"
	"assert d['create_cold_ms'] > 0 and d['create_cached_ms'] > 0\n"
	"assert d['peak_rss_kb'] > 0 and len(d['layers']) == 30\n"
	"src = 'device-profiled' if sys.argv[1] == 'opencl' else 'host-wall'\n"
	"assert d['layer_source'] == src, d['layer_source']\n"
	"assert sum(l['ms'] for l in d['layers']) > 0\n"
	"print('bench ok')\n";

static void test_bench_json(void)
{
	char path[] = "/tmp/mnet-test-bench-XXXXXX", cmd[4200];
	int fd = mkstemp(path);
	const char *be[] = { "cpu", "opencl" };
	unsigned int i;

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(write(fd, bench_check, sizeof(bench_check) - 1),
			(ssize_t)sizeof(bench_check) - 1);
	close(fd);
	for (i = 0; i < 2; i++) {
		if (!strstr(backends, be[i]))
			continue;
		snprintf(cmd, sizeof(cmd),
			 "./mnet-bench --synthetic 0.25 128 -b %s -r 3 -w 1 -l 2 --json | python3 '%s' %s",
			 be[i], path, be[i]);
		CU_ASSERT_EQUAL(run_cmd(cmd), 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "bench ok"));
		if (!strstr(out, "bench ok"))
			fprintf(stderr, "%s: %s\n", be[i], out);
	}
	unlink(path);
}


/*
 * Not silent for its whole run: progress lines on a pipe and the report's
 * path at the end; an unusable --report folder fails before the run.
 */
static void test_progress_and_report_path(void)
{
	static const char *const page[] = {
		"Misclassified images", "class=\"scroll\"", ">fused</td>",
		/* a label beside the class number */
		"class=\"bad\">508 combination lock", NULL,
	};
	char dir[] = "/tmp/mnet-test-progress-XXXXXX", args[512], rm[600];

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(args, sizeof(args), "--limit 10 --layer-images 0 --report %s",
		 dir);
	CU_ASSERT_EQUAL(run(NULL, args), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "mnet-validate: image 5/10\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "mnet-validate: image 10/10\n"));
	snprintf(args, sizeof(args), "report written: %s/%s", dir,
		 "mobilenet_v1_0.25_128_quant.html");
	CU_ASSERT_PTR_NOT_NULL(strstr(out, args));
	/* the page: misclassified images with labels, fused layers marked,
	 * wide tables scroll instead of overflowing */
	snprintf(args, sizeof(args), "%s/mobilenet_v1_0.25_128_quant.html",
		 dir);
	CU_ASSERT(file_contains(args, page));
	snprintf(rm, sizeof(rm), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(rm), 0);
	CU_ASSERT_EQUAL(run(NULL, "--limit 2 --report /nonexistent/dir"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "--report /nonexistent/dir"));
	CU_ASSERT_PTR_NULL(strstr(out, "image 1/"));
	/* a file, not a folder: it passed the check and failed after the run */
	CU_ASSERT_EQUAL(run(NULL, "--limit 2 --report /dev/null"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "--report /dev/null: not a folder"));
	CU_ASSERT_PTR_NULL(strstr(out, "agree"));
}

static const CU_TestInfo tests[] = {
	{ "backends agree with the reference", test_backends_agree },
	{ "planted error is caught and named", test_planted_error },
	{ "--json parses and has the documented fields", test_json },
	{ "--report writes a page with its charts", test_report },
	{ "bad arguments", test_bad_arguments },
	{ "progress, report path, unusable --report",
	  test_progress_and_report_path },
	{ "malformed truth file names file and line", test_bad_truth },
	{ "mnet-bench JSON: cold/cached creation, layers", test_bench_json },
	{ "every output of a several-output model", test_every_output },
	CU_TEST_INFO_NULL,
};

/* Add opencl to the backends when this build and machine have a device. */
static void pick_backends(void)
{
#ifdef MNET_HAVE_OPENCL
	struct mnet_cl_device dev;
	struct mnet_err err = { 0 };

	if (mnet_cl_device_select(NULL, &dev, &err)) {
		printf("validate: no OpenCL device (%s): testing ref,cpu only\n",
		       err.msg);
		return;
	}
	strcat(backends, ",opencl");
	/* never touch, or depend on, the user's program cache */
	snprintf(cache_dir, sizeof(cache_dir), "/tmp/mnet-cl-test-XXXXXX");
	if (mkdtemp(cache_dir))
		setenv("MNET_CL_CACHE_DIR", cache_dir, 1);
	else
		cache_dir[0] = '\0';
#else
	printf("validate: built without OpenCL: testing ref,cpu only\n");
#endif
}

int main(void)
{
	char cmd[128];
	int ret;

	if (!mnet_test_have_file("models/" MODEL) ||
	    !mnet_test_have_file("images/imagenet/truth.txt")) {
		printf("validate: shared model or images not found under %s: skipped\n",
		       mnet_test_shared_path(""));
		return 77;
	}
	pick_backends();
	printf("validate: backends %s\n", backends);
	ret = mnet_test_run_suite("validation and benchmark tools", tests);
	if (cache_dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", cache_dir);
		if (system(cmd))
			fprintf(stderr, "could not remove %s\n", cache_dir);
	}
	return ret;
}

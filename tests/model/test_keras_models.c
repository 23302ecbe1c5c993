// SPDX-License-Identifier: Apache-2.0
/*
 * test_keras_models.c - the paper's comparison table as Keras-made TFLite
 * files (tools/models/make-keras-models.py) against TFLite on the same
 * bytes
 *
 * For each architecture whose files are in $MNET_KERAS_MODELS (default
 * $XDG_CACHE_HOME/mnet/models, i.e. where the script writes them), on a
 * fixed random input:
 *
 *  - NAME_fp32.tflite: the ref and cpu backends (and opencl where there is
 *    a device) within 1e-4 relative L2 of TFLite's reference kernels
 *    (tools/models/tflite_int8_reference.py, BUILTIN_REF, given the same
 *    float32 bytes);
 *  - NAME_int8.tflite: ref, cpu and opencl at precision int8
 *    byte-identical with them on the same int8 input bytes.
 *
 * Without ai-edge-litert ($MNET_LITERT_PYTHON, default python3) the
 * backends are compared with ref only.  The architectures the runtime
 * cannot load yet must fail to load naming the operator (-EOPNOTSUPP),
 * never crash.  Without the files the suite is skipped (exit 77) saying
 * how to make them, unless $MNET_KERAS_MODELS names the folder: then
 * missing files fail.  CI makes the files at reduced size
 * (make-keras-models.py --reduced, tools/test.sh) and sets it; the
 * loader's folding of the files' shape arithmetic is also tested on a
 * built file in test_tflite_fold.c.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/opencl_test.h"
#include "lib/test_util.h"
#include "model/model.h"

/* the architectures, and whether this version runs them */
static const struct arch {
	const char *name;
	int loads;
} archs[] = {
	{ "v1_0.25_128", 1 }, { "v1_0.75_192", 1 }, { "v1_1.0_224", 1 },
	{ "v2_0.35_96", 1 }, { "v2_1.0_224", 1 }, { "v2_1.4_224", 1 },
	{ "xception", 1 }, { "vgg16", 1 },
};

static char dir[512];
static int have_cl, n_checked;
static char cl_cache[64];

static void find_dir(void)
{
	const char *d = getenv("MNET_KERAS_MODELS"), *x, *h;

	if (d && *d) {
		snprintf(dir, sizeof(dir), "%s", d);
		return;
	}
	x = getenv("XDG_CACHE_HOME");
	h = getenv("HOME");
	if (x && *x)
		snprintf(dir, sizeof(dir), "%s/mnet/models", x);
	else
		snprintf(dir, sizeof(dir), "%s/.cache/mnet/models", h ? h : ".");
}

static int exists(const char *path)
{
	return access(path, R_OK) == 0;
}

/* TFLite's output bytes for @in in @out (@n bytes); 0, 77 without litert. */
static int oracle(const char *model, const char *tmp, const void *in,
		  size_t in_bytes, void *out, size_t n)
{
	const char *py = getenv("MNET_LITERT_PYTHON");
	char cmd[2048], ip[600], op[600];
	unsigned char *got;
	size_t len;
	int st;

	snprintf(ip, sizeof(ip), "%s/in.bin", tmp);
	snprintf(op, sizeof(op), "%s/out.bin", tmp);
	if (mnet_test_write_file(ip, in, in_bytes))
		return -EIO;
	snprintf(cmd, sizeof(cmd), "'%s' '%s/tools/models/tflite_int8_reference.py' '%s' '%s' '%s'",
		 py ? py : "python3", MNET_SOURCE_DIR, model, ip, op);
	st = system(cmd);
	if (st == -1 || !WIFEXITED(st))
		return -EIO;
	if (WEXITSTATUS(st))
		return WEXITSTATUS(st);
	got = mnet_test_read_file(op, &len);
	if (!got || len != n) {
		free(got);
		return -EIO;
	}
	memcpy(out, got, n);
	free(got);
	return 0;
}

static double rel_l2(const float *a, const float *b, size_t n)
{
	double d = 0, s = 0;
	size_t k;

	for (k = 0; k < n; k++) {
		d += ((double)a[k] - b[k]) * ((double)a[k] - b[k]);
		s += (double)b[k] * b[k];
	}
	return s > 0 ? sqrt(d / s) : sqrt(d);
}

static struct mnet_session *session(struct mnet_model *m, enum mnet_backend_kind b,
				    enum mnet_precision p, const char *what)
{
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_err err = { 0 };

	mnet_session_opts_init(&o);
	o.backend = b;
	o.precision = p;
	if (mnet_session_create(m, &o, &s, &err)) {
		printf("\n  %s: %s", what, err.msg);
		return NULL;
	}
	return s;
}

static void check_fp32(const char *path, const char *tmp)
{
	static const enum mnet_backend_kind bs[] = {
		MNET_BACKEND_REF, MNET_BACKEND_CPU, MNET_BACKEND_OPENCL,
	};
	struct mnet_model *m = NULL;
	struct mnet_err err = { 0 };
	size_t n_in, n_out, k;
	float *in, *want, *got;
	int ret, o, b;

	ret = mnet_model_load_file(path, &m, &err);
	if (ret)
		printf("\n  %s", err.msg);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	n_in = mnet_shape_elems(m->tensors[m->input].shape);
	n_out = mnet_shape_elems(m->tensors[m->output].shape);
	in = malloc(n_in * sizeof(*in));
	want = malloc(n_out * sizeof(*want));
	got = malloc(n_out * sizeof(*got));
	CU_ASSERT_FATAL(in && want && got);
	mnet_test_fill_random(in, n_in, 7, -1.0f, 1.0f);
	o = oracle(path, tmp, in, n_in * sizeof(*in), want,
		   n_out * sizeof(*want));
	CU_ASSERT(o == 0 || o == 77);
	for (b = 0; b < 3; b++) {
		struct mnet_session *s;
		double e;

		if (bs[b] == MNET_BACKEND_OPENCL && !have_cl)
			continue;
		s = session(m, bs[b], MNET_PRECISION_FP32, path);
		CU_ASSERT_FATAL(s != NULL);
		CU_ASSERT_EQUAL_FATAL(mnet_session_run(s, in, n_in), 0);
		CU_ASSERT_EQUAL(mnet_session_output_read(s, 0, got, n_out), 0);
		if (bs[b] == MNET_BACKEND_REF && o) {
			/* no oracle: ref is the one the others meet */
			memcpy(want, got, n_out * sizeof(*want));
		}
		e = rel_l2(got, want, n_out);
		printf("\n  %s %s: rel L2 %.2e against %s", strrchr(path, '/') + 1,
		       mnet_session_backend_name(s), e, o ? "ref" : "TFLite");
		CU_ASSERT(e <= 1e-4);
		for (k = 0; k < n_out; k++)
			CU_ASSERT_FATAL(isfinite(got[k]));
		mnet_session_destroy(s);
	}
	n_checked++;
	free(in);
	free(want);
	free(got);
	mnet_model_free(m);
}

static void check_int8(const char *path, const char *tmp)
{
	static const enum mnet_backend_kind bs[] = {
		MNET_BACKEND_REF, MNET_BACKEND_CPU, MNET_BACKEND_OPENCL,
	};
	struct mnet_model *m = NULL;
	struct mnet_err err = { 0 };
	size_t n_in, n_out, k;
	uint8_t *in, *want, *got;
	unsigned int r = 12345;
	int ret, o, b, diff;

	ret = mnet_model_load_file(path, &m, &err);
	if (ret)
		printf("\n  %s", err.msg);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	CU_ASSERT_FATAL(mnet_model_is_quantized(m, NULL));
	n_in = mnet_shape_elems(m->tensors[m->input].shape);
	n_out = mnet_shape_elems(m->tensors[m->output].shape);
	in = malloc(n_in);
	want = malloc(n_out);
	got = malloc(n_out);
	CU_ASSERT_FATAL(in && want && got);
	for (k = 0; k < n_in; k++) {
		r = r * 1103515245u + 12345u;
		in[k] = (uint8_t)(r >> 16);
	}
	o = oracle(path, tmp, in, n_in, want, n_out);
	CU_ASSERT(o == 0 || o == 77);
	for (b = 0; b < 3; b++) {
		struct mnet_session *s;

		if (bs[b] == MNET_BACKEND_OPENCL && !have_cl)
			continue;
		s = session(m, bs[b], MNET_PRECISION_INT8, path);
		CU_ASSERT_FATAL(s != NULL);
		CU_ASSERT_EQUAL_FATAL(mnet_session_run_quantized(s, in, n_in), 0);
		CU_ASSERT_EQUAL(mnet_session_output_read_raw(s, 0, got, n_out), 0);
		if (bs[b] == MNET_BACKEND_REF && o)
			memcpy(want, got, n_out);
		diff = 0;
		for (k = 0; k < n_out; k++)
			if (abs((int)(int8_t)got[k] - (int8_t)want[k]) > diff)
				diff = abs((int)(int8_t)got[k] - (int8_t)want[k]);
		printf("\n  %s %s int8: max %d quantized units from %s",
		       strrchr(path, '/') + 1, mnet_session_backend_name(s), diff,
		       o ? "ref" : "TFLite");
		CU_ASSERT_EQUAL(diff, 0);
		mnet_session_destroy(s);
	}
	n_checked++;
	free(in);
	free(want);
	free(got);
	mnet_model_free(m);
}

static void check_refused(const char *path)
{
	struct mnet_model *m = NULL;
	struct mnet_err err = { 0 };
	int ret;

	ret = mnet_model_load_file(path, &m, &err);
	printf("\n  %s: %s", strrchr(path, '/') + 1, ret ? err.msg : "loads");
	/* refused naming an operator; if it loads, move it to archs[].loads */
	CU_ASSERT_EQUAL(ret, -EOPNOTSUPP);
	CU_ASSERT(strstr(err.msg, "op ") != NULL);
	mnet_model_free(m);
}

static void test_archs(void)
{
	char tmp[] = "/tmp/mnet-keras-XXXXXX", path[700], f[700];
	size_t a;

	CU_ASSERT_FATAL(mkdtemp(tmp) != NULL);
	for (a = 0; a < sizeof(archs) / sizeof(archs[0]); a++) {
		snprintf(path, sizeof(path), "%s/%s_fp32.tflite", dir,
			 archs[a].name);
		if (exists(path)) {
			if (archs[a].loads)
				check_fp32(path, tmp);
			else
				check_refused(path);
		}
		snprintf(path, sizeof(path), "%s/%s_int8.tflite", dir,
			 archs[a].name);
		if (exists(path)) {
			if (archs[a].loads)
				check_int8(path, tmp);
			else
				check_refused(path);
		}
	}
	snprintf(f, sizeof(f), "%s/in.bin", tmp);
	unlink(f);
	snprintf(f, sizeof(f), "%s/out.bin", tmp);
	unlink(f);
	rmdir(tmp);
	printf("\n  %d files checked ", n_checked);
	/* a manifest without one file this version knows is a broken folder */
	CU_ASSERT(n_checked > 0);
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "Keras files against TFLite", test_archs },
		CU_TEST_INFO_NULL,
	};
	char probe[700];
	int ret;

	find_dir();
	snprintf(probe, sizeof(probe), "%s/manifest.json", dir);
	if (!exists(probe) && getenv("MNET_KERAS_MODELS")) {
		/* asked for by name (the CI stage): missing files fail */
		printf("test_keras_models: MNET_KERAS_MODELS=%s has no manifest.json\n",
		       dir);
		return 1;
	}
	if (!exists(probe)) {
		printf("test_keras_models: no %s: skipped (make the files with tools/models/make-keras-models.py)\n",
		       probe);
		return 77;
	}
	have_cl = cl_test_have_device("test_keras_models", "opencl left out",
				      cl_cache, sizeof(cl_cache));
	ret = mnet_test_run_suite("keras_models", tests);
	if (have_cl)
		cl_test_remove_dir(cl_cache);
	return ret;
}

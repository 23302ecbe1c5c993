// SPDX-License-Identifier: Apache-2.0
/*
 * test_int8_tflite.c - precision int8 against TFLite's reference kernels,
 * byte for byte, on the shared MobileNets and photos
 *
 * For every shared quantized classification model and the first
 * $MNET_INT8_IMAGES photos of ../shared/images/imagenet (default 3; "all"
 * for every one), the photo is preprocessed as the tools do
 * (mnet_image_preprocess(), crop 0.875) and written as the model's raw
 * uint8 input tensor.  The reference backend runs it at precision int8 and
 * its output tensor, mapped back to the file's output bytes, must equal
 * what TFLite's reference kernels give for the same bytes:
 *
 *  - when ai-edge-litert is importable by $MNET_LITERT_PYTHON (default
 *    python3), tools/models/tflite_int8_reference.py runs them (BUILTIN_REF
 *    op resolver) and the bytes are compared, with the largest difference
 *    in quantized units reported; the digests below must agree with them;
 *  - otherwise each output's SHA-256 is compared with
 *    tests/int8/expected/MODEL.sha256 ("OUT  IN  PHOTO" lines: the SHA-256
 *    of TFLite's output bytes and of the input bytes it was given, made by
 *    this suite with $MNET_INT8_WRITE_DIGESTS=1 and ai-edge-litert present,
 *    as MODEL.sha256.new).  A photo without a digest, or whose input bytes
 *    are no longer those of the digest (the preprocessing changed), fails:
 *    the comparison is never skipped.
 *
 * The cpu backend's int8 path runs beside the ref backend on every photo
 * and must give the same output (so it matches TFLite too).  A model
 * missing from ../shared is skipped.  Also checked: int8 on a
 * float model is a clear error, and "int8" parses.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/sha256.h"
#include "lib/test_util.h"
#include "model/model.h"

#define MAX_PHOTOS 256

static const char *const models[] = {
	"mobilenet_v1_0.25_128_quant",
	"mobilenet_v1_0.5_160_quant",
	"mobilenet_v1_0.75_192_quant",
	"mobilenet_v1_1.0_224_quant_embedding_extractor",
	"mobilenet_v2_1.0_224_quant",
	"tf2_mobilenet_v2_1.0_224_ptq",
	"mobilenet_v2_1.0_224_inat_bird_quant",
	"mobilenet_v2_1.0_224_inat_insect_quant",
};

static char *photos[MAX_PHOTOS];
static int n_photos;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_photos(void)
{
	const char *want = getenv("MNET_INT8_IMAGES");
	int limit = want && !strcmp(want, "all") ? MAX_PHOTOS :
		    want ? atoi(want) : 3;
	struct dirent *e;
	DIR *d;

	d = opendir(mnet_test_shared_path("images/imagenet"));
	if (!d)
		return;
	while ((e = readdir(d)) && n_photos < MAX_PHOTOS) {
		const char *dot = strrchr(e->d_name, '.');

		if (e->d_name[0] == '.' || !dot ||
		    (strcasecmp(dot, ".jpeg") && strcasecmp(dot, ".jpg") &&
		     strcasecmp(dot, ".png") && strcasecmp(dot, ".bmp")))
			continue;
		photos[n_photos++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(photos, (size_t)n_photos, sizeof(photos[0]), cmp_str);
	if (limit < 1)
		limit = 1;
	while (n_photos > limit)
		free(photos[--n_photos]);
}

static int quant_byte(float x, const struct mnet_quant *q)
{
	long v = lround((double)x / (double)q->scale) + q->zero_point;
	long lo = q->type == MNET_QTYPE_INT8 ? -128 : 0;

	return (int)(v < lo ? lo : v > lo + 255 ? lo + 255 : v);
}

/* The model's raw input tensor for one photo. */
static int input_bytes(const struct mnet_model *m, const char *photo,
		       float *x, uint8_t *bytes, size_t n)
{
	char rel[512];
	struct mnet_image *img;
	struct mnet_err err;
	size_t i;
	int ret;

	snprintf(rel, sizeof(rel), "images/imagenet/%s", photo);
	ret = mnet_image_load(mnet_test_shared_path(rel), &img, &err);
	if (ret)
		return ret;
	ret = mnet_image_preprocess(img, m, 0.875f, x, n);
	mnet_image_free(img);
	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		bytes[i] = (uint8_t)quant_byte(x[i], &m->input_q);
		/* the bytes are the input: feed exactly their real values */
		x[i] = m->input_q.scale *
		       (float)((m->input_q.type == MNET_QTYPE_INT8 ?
				(int)(int8_t)bytes[i] : (int)bytes[i]) -
			       m->input_q.zero_point);
	}
	return 0;
}

/*
 * mnet_session_run_quantized() on the photo's bytes: both sessions give
 * @want, the ref session's output for the same values fed as floats.
 */
static void check_raw_input(struct mnet_session *ref, struct mnet_session *cpu,
			    const uint8_t *bytes, size_t n_in, const float *want,
			    size_t n_out)
{
	struct mnet_session *ss[2] = { ref, cpu };
	float *keep = malloc(n_out * sizeof(*keep));
	size_t cnt;
	int j;

	CU_ASSERT_FATAL(keep != NULL);
	memcpy(keep, want, n_out * sizeof(*keep));
	for (j = 0; j < 2; j++) {
		CU_ASSERT_EQUAL(mnet_session_run_quantized(ss[j], bytes, n_in - 1),
				-EINVAL);
		CU_ASSERT_EQUAL_FATAL(mnet_session_run_quantized(ss[j], bytes,
								 n_in), 0);
		CU_ASSERT(!memcmp(mnet_session_output(ss[j], &cnt), keep,
				  n_out * sizeof(*keep)));
		CU_ASSERT_EQUAL(cnt, n_out);
	}
	free(keep);
}

/*
 * Line "OUT  IN  PHOTO" of the digest file for @photo: the SHA-256 of
 * TFLite's output bytes into @hex, of the input bytes it was given into
 * @in_hex.  0, or -ENOENT.
 */
static int digest_lookup(const char *model, const char *photo, char hex[65],
			 char in_hex[65])
{
	char path[1024], line[512], name[400];
	int ret = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/int8/expected/%s.sha256",
		 MNET_SOURCE_DIR, model);
	f = fopen(path, "r");
	if (!f)
		return -ENOENT;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%64s %64s %399s", hex, in_hex, name) == 3 &&
		    !strcmp(name, photo)) {
			ret = 0;
			break;
		}
	fclose(f);
	return ret;
}

/* Run the TFLite oracle on the inputs in @dir; 0, or 77 without litert. */
static int run_oracle(const char *model_path, const char *dir, int n)
{
	const char *py = getenv("MNET_LITERT_PYTHON");
	size_t len = 8192 + (size_t)n * 2 * 300, k;
	char *cmd = malloc(len);
	int i, st;

	if (!cmd)
		return -ENOMEM;
	k = (size_t)snprintf(cmd, len, "'%s' '%s/tools/models/tflite_int8_reference.py' '%s'",
			     py ? py : "python3", MNET_SOURCE_DIR, model_path);
	for (i = 0; i < n && k < len; i++)
		k += (size_t)snprintf(cmd + k, len - k, " '%s/in%d.bin' '%s/out%d.bin'",
				      dir, i, dir, i);
	st = system(cmd);
	free(cmd);
	if (st == -1 || !WIFEXITED(st))
		return -EIO;
	return WEXITSTATUS(st);
}

static void check_model(const char *name, FILE *digests_out)
{
	char rel[512], dir[] = "/tmp/mnet-int8-XXXXXX", path[600];
	struct mnet_session_opts o;
	struct mnet_session *s = NULL, *cpu = NULL;
	struct mnet_model *m = NULL;
	struct mnet_err err;
	size_t n_in, n_out, ob, cnt;
	int cpu_same = 0;
	uint8_t *in = NULL, *ours = NULL;
	float *x = NULL;
	int i, oracle = -1, same = 0, digest_ok = 0, ret;
	int out_float;

	snprintf(rel, sizeof(rel), "models/%s.tflite", name);
	if (!mnet_test_have_file(rel)) {
		printf("\n  %s: not in shared/, skipped", name);
		return;
	}
	ret = mnet_model_load_file(mnet_test_shared_path(rel), &m, &err);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	CU_ASSERT_FATAL(mnet_model_is_quantized(m, NULL));
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_REF;
	o.precision = MNET_PRECISION_INT8;
	ret = mnet_session_create(m, &o, &s, &err);
	if (ret)
		printf("\n  %s: %s", name, err.msg);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	o.backend = MNET_BACKEND_CPU;
	ret = mnet_session_create(m, &o, &cpu, &err);
	if (ret)
		printf("\n  %s: %s", name, err.msg);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	CU_ASSERT_EQUAL(mnet_session_precision(s), MNET_PRECISION_INT8);
	CU_ASSERT_EQUAL(mnet_session_precision(cpu), MNET_PRECISION_INT8);
	n_in = mnet_shape_elems(m->tensors[m->input].shape);
	n_out = mnet_shape_elems(m->tensors[m->output].shape);
	out_float = m->output_q.type == MNET_QTYPE_NONE;
	ob = n_out * (out_float ? sizeof(float) : 1);
	x = malloc(n_in * sizeof(*x));
	in = malloc(n_in * (size_t)n_photos);
	ours = malloc(ob * (size_t)n_photos);
	CU_ASSERT_FATAL(x && in && ours && mkdtemp(dir));
	for (i = 0; i < n_photos; i++) {
		const float *y;
		size_t k;

		ret = input_bytes(m, photos[i], x, in + n_in * i, n_in);
		CU_ASSERT_EQUAL_FATAL(ret, 0);
		snprintf(path, sizeof(path), "%s/in%d.bin", dir, i);
		CU_ASSERT_EQUAL_FATAL(mnet_test_write_file(path, in + n_in * i, n_in), 0);
		CU_ASSERT_EQUAL_FATAL(mnet_session_run(s, x, n_in), 0);
		CU_ASSERT_EQUAL_FATAL(mnet_session_run(cpu, x, n_in), 0);
		y = mnet_session_output(s, &cnt);
		CU_ASSERT_EQUAL_FATAL(cnt, n_out);
		/* every path: the cpu backend's int8 gives the same floats */
		if (memcmp(y, mnet_session_output(cpu, &k), n_out * sizeof(*y))) {
			printf("\n  %s %s: the cpu backend differs from ref", name,
			       photos[i]);
			CU_FAIL("cpu int8 differs from ref int8");
		} else {
			cpu_same++;
		}
		/* the same bytes fed raw give the same outputs, on both paths */
		if (m->input_q.type != MNET_QTYPE_NONE)
			check_raw_input(s, cpu, in + n_in * i, n_in, y, n_out);
		for (k = 0; k < n_out; k++) {
			if (out_float)
				memcpy(ours + ob * i + 4 * k, &y[k], 4);
			else
				ours[ob * i + k] = (uint8_t)quant_byte(y[k],
								       &m->output_q);
		}
	}
	oracle = run_oracle(mnet_test_shared_path(rel), dir, n_photos);
	for (i = 0; i < n_photos; i++) {
		char hex[65], want[65], in_hex[65], want_in[65], dhex[65];
		uint8_t *ref;
		size_t len, k;
		int maxd = 0, ndiff = 0;

		mnet_test_sha256_hex(ours + ob * i, ob, hex);
		mnet_test_sha256_hex(in + n_in * i, n_in, in_hex);
		if (oracle == 0) {
			snprintf(path, sizeof(path), "%s/out%d.bin", dir, i);
			ref = mnet_test_read_file(path, &len);
			CU_ASSERT_FATAL(ref && len == ob);
			for (k = 0; !out_float && k < ob; k++) {
				int d = abs((int)ours[ob * i + k] - (int)ref[k]);

				ndiff += d != 0;
				maxd = d > maxd ? d : maxd;
			}
			if (memcmp(ours + ob * i, ref, ob)) {
				printf("\n  %s %s: differs from TFLite in %d of %zu values, by up to %d",
				       name, photos[i], ndiff, n_out, maxd);
				CU_FAIL("output differs from TFLite's reference kernels");
			} else {
				same++;
			}
			mnet_test_sha256_hex(ref, ob, want);
			free(ref);
			if (digests_out)
				fprintf(digests_out, "%s  %s  %s\n", want, in_hex,
					photos[i]);
			/* stale only if the same input bytes now give other bytes */
			if (!digest_lookup(name, photos[i], dhex, want_in) &&
			    !strcmp(want_in, in_hex) && strcmp(dhex, want)) {
				printf("\n  %s %s: checked-in digest disagrees with TFLite",
				       name, photos[i]);
				CU_FAIL("stale digest");
			}
			continue;
		}
		if (digest_lookup(name, photos[i], want, want_in)) {
			printf("\n  %s %s: no digest and no ai-edge-litert", name,
			       photos[i]);
			CU_FAIL("nothing to compare with");
			continue;
		}
		if (strcmp(in_hex, want_in)) {
			printf("\n  %s %s: the input bytes differ from those the digest was made from (preprocessing changed?): regenerate tests/int8/expected with ai-edge-litert",
			       name, photos[i]);
			CU_FAIL("digest made from other input bytes");
		} else if (strcmp(hex, want)) {
			printf("\n  %s %s: output digest differs from TFLite's",
			       name, photos[i]);
			CU_FAIL("output differs from TFLite's reference kernels");
		} else {
			digest_ok++;
		}
	}
	printf("\n  %s: %d photos, %d byte-identical to TFLite (%s), cpu == ref on %d",
	       name, n_photos, oracle == 0 ? same : digest_ok,
	       oracle == 0 ? "ai-edge-litert BUILTIN_REF" : "checked-in SHA-256",
	       cpu_same);
	for (i = 0; i < n_photos; i++) {
		snprintf(path, sizeof(path), "%s/in%d.bin", dir, i);
		unlink(path);
		snprintf(path, sizeof(path), "%s/out%d.bin", dir, i);
		unlink(path);
	}
	rmdir(dir);
	free(x);
	free(in);
	free(ours);
	mnet_session_destroy(cpu);
	mnet_session_destroy(s);
	mnet_model_free(m);
}

static void test_models(void)
{
	int write = getenv("MNET_INT8_WRITE_DIGESTS") != NULL;
	unsigned int i;

	for (i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		char path[1024];
		FILE *f = NULL;

		if (write) {
			snprintf(path, sizeof(path), "%s/tests/int8/expected/%s.sha256.new",
				 MNET_SOURCE_DIR, models[i]);
			f = fopen(path, "w");
		}
		check_model(models[i], f);
		if (f)
			fclose(f);
	}
	printf("\n");
}

static void test_float_model_refused(void)
{
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_model *m = NULL;
	struct mnet_err err;
	enum mnet_precision p;

	CU_ASSERT_EQUAL(mnet_precision_parse("int8", &p), 0);
	CU_ASSERT_EQUAL(p, MNET_PRECISION_INT8);
	CU_ASSERT_EQUAL_FATAL(mnet_model_create_synthetic(0.25f, 32, &m, &err), 0);
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_REF;
	o.precision = MNET_PRECISION_INT8;
	CU_ASSERT_EQUAL(mnet_session_create(m, &o, &s, &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "int8"));
	o.backend = MNET_BACKEND_AUTO;
	CU_ASSERT_EQUAL(mnet_session_create(m, &o, &s, &err), -EINVAL);
	mnet_model_free(m);
}

/* Raw input bytes: refused where the session or the file has no such input. */
static void test_raw_input_refused(void)
{
	const char *rel = "models/mobilenet_v1_0.25_128_quant.tflite";
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_model *m = NULL;
	struct mnet_err err;
	uint8_t *bytes;
	size_t n;
	float scale = 0.0f;
	int32_t zp = -1;
	int sgn = -1, i, ret;

	for (i = 0; i < 2; i++) {
		if (i == 0 && !mnet_test_have_file(rel))
			continue;
		/* a quantized file, then a float one (input_quant: -ENODATA) */
		if (i == 0)
			ret = mnet_model_load_file(mnet_test_shared_path(rel), &m,
						   &err);
		else
			ret = mnet_model_create_synthetic(0.25f, 32, &m, &err);
		CU_ASSERT_EQUAL_FATAL(ret, 0);
		n = mnet_shape_elems(m->tensors[m->input].shape);
		bytes = calloc(n, 1);
		CU_ASSERT_FATAL(bytes != NULL);
		mnet_session_opts_init(&o);
		o.backend = MNET_BACKEND_CPU;
		o.precision = MNET_PRECISION_FP32;
		CU_ASSERT_EQUAL_FATAL(mnet_session_create(m, &o, &s, &err), 0);
		/* a session in fp32 arithmetic takes floats only */
		CU_ASSERT_EQUAL(mnet_session_precision(s), MNET_PRECISION_FP32);
		CU_ASSERT_EQUAL(mnet_session_run_quantized(s, bytes, n), -EOPNOTSUPP);
		CU_ASSERT_EQUAL(mnet_model_layer_quant(m, -1, NULL, NULL, NULL),
				-EINVAL);
		CU_ASSERT_EQUAL(mnet_model_layer_quant(m, mnet_model_layer_count(m),
						       NULL, NULL, NULL), -EINVAL);
		CU_ASSERT_EQUAL(mnet_model_layer_quant(m, 0, &scale, NULL, NULL),
				i == 0 ? 0 : -ENODATA);
		if (i == 0)
			CU_ASSERT(scale > 0.0f);
		if (i == 0) {
			CU_ASSERT_EQUAL(mnet_model_input_quant(m, &scale, &zp, &sgn), 0);
			CU_ASSERT_EQUAL(sgn, 0);
			CU_ASSERT_EQUAL(zp, 128);
			CU_ASSERT(scale > 0.007f && scale < 0.008f);
		} else {
			CU_ASSERT_EQUAL(mnet_model_input_quant(m, &scale, &zp, &sgn),
					-ENODATA);
		}
		mnet_session_destroy(s);
		mnet_model_free(m);
		free(bytes);
	}
}

/*
 * auto on the cpu backend: a quantized file's integer arithmetic, the
 * same bytes as an explicit int8 session; a float file, and ref, stay
 * fp32.
 */
static void test_auto_precision(void)
{
	const char *rel = "models/mobilenet_v1_0.25_128_quant.tflite";
	struct mnet_session_opts o;
	struct mnet_session *a = NULL, *q = NULL, *r = NULL, *f = NULL;
	struct mnet_model *m = NULL, *syn = NULL;
	struct mnet_err err;
	const float *ya, *yq;
	float *x;
	size_t n, cnt, cnt2, i;

	if (!mnet_test_have_file(rel))
		return;
	CU_ASSERT_EQUAL_FATAL(mnet_model_load_file(mnet_test_shared_path(rel),
						   &m, &err), 0);
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_CPU;
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(m, &o, &a, &err), 0);
	CU_ASSERT_EQUAL(mnet_session_precision(a), MNET_PRECISION_INT8);
	CU_ASSERT_PTR_NOT_NULL(strstr(mnet_session_backend_name(a), "int8"));
	o.precision = MNET_PRECISION_INT8;
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(m, &o, &q, &err), 0);
	o.precision = MNET_PRECISION_AUTO;
	o.backend = MNET_BACKEND_REF;
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(m, &o, &r, &err), 0);
	CU_ASSERT_EQUAL(mnet_session_precision(r), MNET_PRECISION_FP32);
	n = mnet_shape_elems(m->tensors[m->input].shape);
	x = malloc(n * sizeof(*x));
	CU_ASSERT_FATAL(x != NULL);
	for (i = 0; i < n; i++)
		x[i] = m->input_q.scale * (float)((int)(i * 7 % 256) -
						  m->input_q.zero_point);
	CU_ASSERT_EQUAL(mnet_session_run(a, x, n), 0);
	CU_ASSERT_EQUAL(mnet_session_run(q, x, n), 0);
	ya = mnet_session_output(a, &cnt);
	yq = mnet_session_output(q, &cnt2);
	CU_ASSERT_EQUAL_FATAL(cnt, cnt2);
	CU_ASSERT(!memcmp(ya, yq, cnt * sizeof(float)));
	CU_ASSERT_EQUAL_FATAL(mnet_model_create_synthetic(0.25f, 32, &syn, &err), 0);
	o.backend = MNET_BACKEND_CPU;
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(syn, &o, &f, &err), 0);
	CU_ASSERT_EQUAL(mnet_session_precision(f), MNET_PRECISION_FP32);
	free(x);
	mnet_session_destroy(a);
	mnet_session_destroy(q);
	mnet_session_destroy(r);
	mnet_session_destroy(f);
	mnet_model_free(m);
	mnet_model_free(syn);
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "int8 refused on a float model", test_float_model_refused },
		{ "raw input bytes refused by fp32 sessions and float files", test_raw_input_refused },
		{ "auto: int8 on cpu for a quantized file, fp32 otherwise",
		  test_auto_precision },
		{ "int8 byte-identical to TFLite BUILTIN_REF", test_models },
		CU_TEST_INFO_NULL,
	};
	int ret, i;

	list_photos();
	if (n_photos == 0) {
		printf("test_int8_tflite: no photos in %s: skipped\n",
		       mnet_test_shared_path("images/imagenet"));
		return 77;
	}
	ret = mnet_test_run_suite("int8 vs TFLite", tests);
	for (i = 0; i < n_photos; i++)
		free(photos[i]);
	return ret;
}

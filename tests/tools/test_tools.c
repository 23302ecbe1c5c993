// SPDX-License-Identifier: Apache-2.0
/*
 * test_tools.c - the command-line tools end to end
 *
 * Runs the built programs the way a user would (through the shell, from
 * $MNET_TEST_TOOLS) and checks their output and exit status: classification
 * of the shared photos, JSON output, --help, and clear failures on a
 * corrupt image or a missing model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/test_util.h"

static char out[1 << 16];

/* Run a tool command line (@fmt with @a, @b); output into out[]. */
static int run(const char *fmt, const char *a, const char *b)
{
	char cmd[8192];

	snprintf(cmd, sizeof(cmd), fmt, a, b);
	return mnet_test_run_tool(out, sizeof(out), cmd);
}

static int first_class(const char *json)
{
	const char *p = strstr(json, "\"class\": ");

	return p ? atoi(p + 9) : -1;
}

static const char *const classifiers[] = {
	"mobilenet_v1_0.25_128_quant.tflite",
	"mobilenet_v1_0.5_160_quant.tflite",
	"mobilenet_v1_0.75_192_quant.tflite",
	"mobilenet_v2_1.0_224_quant.tflite",
	"tf2_mobilenet_v2_1.0_224_ptq.tflite",
};

#define N_CLASSIFIERS (sizeof(classifiers) / sizeof(classifiers[0]))

static const char *const backends[] = { "ref", "cpu", "opencl" };

/* Whether an OpenCL device can run a session here (PoCL in CI). */
static int have_opencl(void)
{
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_model *m = NULL;
	int ok;

	if (mnet_model_create_synthetic(0.25f, 32, &m, NULL))
		return 0;
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_OPENCL;
	ok = mnet_session_create(m, &o, &s, NULL) == 0;
	mnet_session_destroy(s);
	mnet_model_free(m);
	return ok;
}

static unsigned int n_backends(void)
{
	static int ocl = -1;

	if (ocl < 0) {
		ocl = have_opencl();
		if (!ocl)
			printf("\n    no OpenCL device: opencl not compared");
	}
	return ocl ? 3 : 2;
}

/* Every classifier on every backend calls cat.bmp a cat. */
static void test_cat_is_a_cat(void)
{
	char cmd[128];
	unsigned int i, b;

	for (i = 0; i < N_CLASSIFIERS; i++) {
		for (b = 0; b < n_backends(); b++) {
			int cls;

			snprintf(cmd, sizeof(cmd),
				 "./mnet-classify --backend %s --json -m %%s %%s",
				 backends[b]);
			CU_ASSERT_EQUAL(run(cmd, classifiers[i],
					    mnet_test_shared_path("images/cat.bmp")), 0);
			cls = first_class(out);
			/* 282 tabby .. 286 Egyptian cat in the 1001 classes */
			CU_ASSERT(cls >= 282 && cls <= 286);
			if (cls < 282 || cls > 286)
				fprintf(stderr, "%s on %s: %s\n", classifiers[i],
					backends[b], out);
			CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"ms\": "));
			CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"label\": \""));
		}
	}
}

/* Every shared photo gets the reference's top-1 on every backend. */
static void test_all_photos(void)
{
	static const char *const photos[] = { "cat.bmp", "bird.bmp",
					      "dragonfly.bmp", "parrot.jpg" };
	char imgs[4096] = "", cmd[128];
	int ref_top[4][N_CLASSIFIERS];
	unsigned int p, i, b;

	for (p = 0; p < 4; p++)
		snprintf(imgs + strlen(imgs), sizeof(imgs) - strlen(imgs),
			 "%s/%s ", mnet_test_shared_path("images"), photos[p]);
	for (b = 0; b < n_backends(); b++) {
		for (i = 0; i < N_CLASSIFIERS; i++) {
			const char *line = out;

			snprintf(cmd, sizeof(cmd),
				 "./mnet-classify --backend %s --json -m %%s %%s",
				 backends[b]);
			CU_ASSERT_EQUAL(run(cmd, classifiers[i], imgs), 0);
			/* one JSON line per photo, in order */
			for (p = 0; p < 4 && line; p++) {
				int cls = first_class(line);

				CU_ASSERT_PTR_NOT_NULL(strstr(line, photos[p]));
				if (b == 0)
					ref_top[p][i] = cls;
				else
					CU_ASSERT_EQUAL(cls, ref_top[p][i]);
				line = strchr(line, '\n');
				line = line ? line + 1 : NULL;
			}
			CU_ASSERT_EQUAL(p, 4);
		}
	}
	/* the text format names each photo */
	CU_ASSERT_EQUAL(run("./mnet-classify --backend cpu -k 3 -m %s %s",
			    classifiers[0], imgs), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "parrot.jpg:"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "dragonfly.bmp:"));
}

static void test_bad_inputs(void)
{
	char path[] = "/tmp/mnet-test-corrupt-XXXXXX";
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	/* a JPEG header and nothing after it */
	CU_ASSERT_EQUAL(write(fd, "\xff\xd8\xff\xe0\x00\x10JFIF", 10), 10);
	close(fd);
	CU_ASSERT_EQUAL(run("./mnet-classify --backend ref -m %s %s",
			    classifiers[0], path), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, path));
	unlink(path);

	CU_ASSERT_EQUAL(run("./mnet-classify -m %s %s", "/nonexistent/model.tflite",
			    mnet_test_shared_path("images/cat.bmp")), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "/nonexistent/model.tflite"));

	CU_ASSERT_EQUAL(run("./mnet-classify --backend ref -m %s %s",
			    classifiers[0], "/nonexistent.png"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "/nonexistent.png"));

	CU_ASSERT_EQUAL(run("./mnet-classify --backend nosuch %s%s", "x.png", ""), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "unknown backend"));
	CU_ASSERT_EQUAL(run("./mnet-classify --crop 1.5 %s%s", "x.png", ""), 2);
}

static void test_help_and_info(void)
{
	CU_ASSERT_EQUAL(run("./mnet-classify --help%s%s", "", ""), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "--json"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "--backend"));
	CU_ASSERT_EQUAL(run("./mnet-info --synthetic 1.0 224%s%s", "", ""), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "(568.7M)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "(4.222M)"));
	CU_ASSERT_EQUAL(run("./mnet-info -m %s%s",
			    "mobilenet_v1_1.0_224_quant_embedding_extractor.tflite",
			    ""), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "output 1024 values"));
	CU_ASSERT_EQUAL(run("./mnet-info --json -m %s%s", classifiers[0], ""), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"layers\": ["));
}

/* The 1.0/224 feature extractor runs and yields a 1024-d embedding. */
static void test_embedding(void)
{
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_model *m = NULL;
	struct mnet_image *img = NULL;
	struct mnet_err err = { 0 };
	const float *e;
	size_t n, i;
	double sum = 0;

	CU_ASSERT_EQUAL_FATAL(mnet_model_load_file(mnet_test_shared_path(
		"models/mobilenet_v1_1.0_224_quant_embedding_extractor.tflite"),
		&m, &err), 0);
	CU_ASSERT_EQUAL(mnet_model_output_kind(m), MNET_OUTPUT_EMBEDDING);
	CU_ASSERT_EQUAL(mnet_model_output_size(m), 1024);
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_REF;
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(m, &o, &s, &err), 0);
	CU_ASSERT_EQUAL_FATAL(mnet_image_load(mnet_test_shared_path(
		"images/cat.bmp"), &img, &err), 0);
	CU_ASSERT_EQUAL(mnet_session_run_image(s, img, 0.875f), 0);
	e = mnet_session_output(s, &n);
	CU_ASSERT_EQUAL(n, 1024);
	/* average of ReLU6 outputs: every value in [0, 6], not all zero */
	for (i = 0; i < n; i++) {
		CU_ASSERT(e[i] >= 0.0f && e[i] <= 6.0f);
		sum += e[i];
	}
	CU_ASSERT(sum > 1.0);
	mnet_image_free(img);
	mnet_session_destroy(s);
	mnet_model_free(m);
}

static const CU_TestInfo tests[] = {
	{ "cat.bmp is a cat: 5 classifiers x every backend", test_cat_is_a_cat },
	{ "shared photos: every backend agrees with ref", test_all_photos },
	{ "corrupt image, missing files, bad options", test_bad_inputs },
	{ "--help and mnet-info", test_help_and_info },
	{ "1.0/224 feature extractor embedding", test_embedding },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	if (!mnet_test_have_file("models/mobilenet_v1_0.25_128_quant.tflite")) {
		printf("shared models not found under %s: skipped\n",
		       mnet_test_shared_path("models"));
		return 77;
	}
	return mnet_test_run_suite("tools end to end", tests);
}

// SPDX-License-Identifier: Apache-2.0
/*
 * test_accuracy.c - top-1/top-5 on the 200 shared ImageNet photos
 *
 * Each classifier runs on every photo of shared/images/imagenet (TF-slim
 * preprocessing: 87.5% central crop, bilinear) and its accuracy is asserted
 * against a floor just under what was measured (README.md has the numbers),
 * so a regression anywhere in the image pipeline, the loader or the kernels
 * shows up here.  Every backend available here runs (ref, cpu, opencl on
 * PoCL) and must pick the reference's top-1 on every photo.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/test_util.h"

#define MAX_IMAGES 256

static const struct acc_case {
	const char *model;
	int top1_floor;		/* of 200 photos */
	int top5_floor;
} acc_cases[] = {
	/* measured on ref: 100/151, 143/180, 156/193 (README.md); the floors
	 * leave 3 photos of room for float rounding differences between
	 * backends, no more */
	{ "models/mobilenet_v1_0.25_128_quant.tflite", 97, 148 },
	{ "models/mobilenet_v1_0.5_160_quant.tflite", 140, 177 },
	{ "models/mobilenet_v1_0.75_192_quant.tflite", 153, 190 },
	/* measured: 174/195 and 176/197 on every backend */
	{ "models/mobilenet_v2_1.0_224_quant.tflite", 171, 192 },
	{ "models/tf2_mobilenet_v2_1.0_224_ptq.tflite", 173, 194 },
};

/* only models whose path contains this (argv[1]); NULL: all */
static const char *only_model;

static struct mnet_image *images[MAX_IMAGES];
static int truth[MAX_IMAGES];
static int n_images;

static int load_photos(void)
{
	char name[512], path[4096];
	struct mnet_err err = { 0 };
	FILE *f;
	int cls;

	f = fopen(mnet_test_shared_path("images/imagenet/truth.txt"), "r");
	if (!f)
		return -1;
	while (n_images < MAX_IMAGES &&
	       fscanf(f, "%511s %d", name, &cls) == 2) {
		snprintf(path, sizeof(path), "%s/%s",
			 mnet_test_shared_path("images/imagenet"), name);
		if (mnet_image_load(path, &images[n_images], &err)) {
			fprintf(stderr, "%s\n", err.msg);
			fclose(f);
			return -1;
		}
		truth[n_images++] = cls;
	}
	fclose(f);
	return 0;
}

static const struct backend_case {
	const char *name;
	enum mnet_backend_kind kind;
} backends[] = {
	{ "ref", MNET_BACKEND_REF },
	{ "cpu", MNET_BACKEND_CPU },
	{ "opencl", MNET_BACKEND_OPENCL },
};

#define N_BACKENDS (sizeof(backends) / sizeof(backends[0]))

/*
 * Run one model on one backend over every photo; record each photo's top-1
 * in @top1.  Return -ENODEV when the backend is not available here.
 */
static int run_backend(const struct acc_case *ac, const struct mnet_model *m,
		       const struct backend_case *bc, int *top1)
{
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_err err = { 0 };
	int i, j, hit1 = 0, hit5 = 0, ret;

	mnet_session_opts_init(&o);
	o.backend = bc->kind;
	o.precision = MNET_PRECISION_FP32;
	ret = mnet_session_create(m, &o, &s, &err);
	if (ret) {
		printf("\n    %s: %s not available (%s)", mnet_model_name(m),
		       bc->name, err.msg);
		return ret;
	}
	for (i = 0; i < n_images; i++) {
		struct mnet_class top[5];

		CU_ASSERT_EQUAL_FATAL(mnet_session_run_image(s, images[i],
							     0.875f), 0);
		mnet_session_topk(s, 5, top);
		top1[i] = top[0].index;
		hit1 += top[0].index == truth[i];
		for (j = 0; j < 5; j++)
			hit5 += top[j].index == truth[i];
	}
	printf("\n    %s on %s: top-1 %d/%d (%.1f%%), top-5 %d/%d (%.1f%%)",
	       mnet_model_name(m), mnet_session_backend_name(s), hit1,
	       n_images, 100.0 * hit1 / n_images, hit5, n_images,
	       100.0 * hit5 / n_images);
	CU_ASSERT(hit1 >= ac->top1_floor);
	CU_ASSERT(hit5 >= ac->top5_floor);
	mnet_session_destroy(s);
	return 0;
}

/*
 * Every backend reaches the accuracy floors, and every fp32 backend picks
 * the reference's top-1 on every photo.
 */
static void test_accuracy(void)
{
	static int top1[N_BACKENDS][MAX_IMAGES];
	unsigned int c, b;

	CU_ASSERT_EQUAL_FATAL(n_images, 200);
	for (c = 0; c < sizeof(acc_cases) / sizeof(acc_cases[0]); c++) {
		const struct acc_case *ac = &acc_cases[c];
		struct mnet_model *m = NULL;
		struct mnet_err err = { 0 };

		if (only_model && !strstr(ac->model, only_model))
			continue;
		CU_ASSERT_EQUAL_FATAL(mnet_model_load_file(
			mnet_test_shared_path(ac->model), &m, &err), 0);
		for (b = 0; b < N_BACKENDS; b++) {
			int i, differ = 0;

			if (run_backend(ac, m, &backends[b], top1[b])) {
				/* the reference must always run */
				CU_ASSERT_NOT_EQUAL(backends[b].kind,
						    MNET_BACKEND_REF);
				continue;
			}
			for (i = 0; b && i < n_images; i++)
				differ += top1[b][i] != top1[0][i];
			if (b)
				printf(", top-1 differs from ref on %d", differ);
			CU_ASSERT_EQUAL(differ, 0);
		}
		mnet_model_free(m);
	}
	printf("\n");
}

static const CU_TestInfo tests[] = {
	{ "top-1/top-5 on 200 ImageNet photos", test_accuracy },
	CU_TEST_INFO_NULL,
};

/* argv[1], if given, selects the models whose file name contains it */
int main(int argc, char **argv)
{
	int ret, i;

	if (argc > 1)
		only_model = argv[1];
	if (load_photos()) {
		printf("shared ImageNet photos not found under %s: skipped\n",
		       mnet_test_shared_path("images/imagenet"));
		return 77;
	}
	ret = mnet_test_run_suite("accuracy", tests);
	for (i = 0; i < n_images; i++)
		mnet_image_free(images[i]);
	return ret;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * test_accuracy.c - top-1/top-5 on the 200 shared ImageNet photos
 *
 * Each classifier runs on every photo of shared/images/imagenet (TF-slim
 * preprocessing: 87.5% central crop, bilinear) and its accuracy is asserted
 * against a floor just under what was measured (README.md has the numbers),
 * so a regression anywhere in the image pipeline, the loader or the kernels
 * shows up here.  The backend is $MNET_TEST_BACKEND (default: ref).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

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
};

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

static enum mnet_backend_kind test_backend(void)
{
	enum mnet_backend_kind k = MNET_BACKEND_REF;
	const char *b = getenv("MNET_TEST_BACKEND");

	if (b && *b && mnet_backend_parse(b, &k))
		k = MNET_BACKEND_REF;
	return k;
}

static void test_accuracy(void)
{
	unsigned int c;

	CU_ASSERT_EQUAL_FATAL(n_images, 200);
	for (c = 0; c < sizeof(acc_cases) / sizeof(acc_cases[0]); c++) {
		const struct acc_case *ac = &acc_cases[c];
		struct mnet_session_opts o;
		struct mnet_session *s = NULL;
		struct mnet_model *m = NULL;
		struct mnet_err err = { 0 };
		int i, j, top1 = 0, top5 = 0;

		CU_ASSERT_EQUAL_FATAL(mnet_model_load_file(
			mnet_test_shared_path(ac->model), &m, &err), 0);
		mnet_session_opts_init(&o);
		o.backend = test_backend();
		CU_ASSERT_EQUAL_FATAL(mnet_session_create(m, &o, &s, &err), 0);
		for (i = 0; i < n_images; i++) {
			struct mnet_class top[5];

			CU_ASSERT_EQUAL_FATAL(mnet_session_run_image(s,
					images[i], 0.875f), 0);
			mnet_session_topk(s, 5, top);
			top1 += top[0].index == truth[i];
			for (j = 0; j < 5; j++)
				top5 += top[j].index == truth[i];
		}
		printf("\n    %s on %s: top-1 %d/%d (%.1f%%), top-5 %d/%d (%.1f%%)",
		       mnet_model_name(m), mnet_session_backend_name(s), top1,
		       n_images, 100.0 * top1 / n_images, top5, n_images,
		       100.0 * top5 / n_images);
		CU_ASSERT(top1 >= ac->top1_floor);
		CU_ASSERT(top5 >= ac->top5_floor);
		mnet_session_destroy(s);
		mnet_model_free(m);
	}
	printf("\n");
}

static const CU_TestInfo tests[] = {
	{ "top-1/top-5 on 200 ImageNet photos", test_accuracy },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	int ret, i;

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

// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_image.c - libFuzzer target: image decoding and preprocessing
 *
 * DOC: image fuzz target
 *
 * Each input is decoded with mnet_image_load_memory() (BMP, JPEG and PNG
 * signatures reach stb_image, which fuzz_stb.c compiles into this target
 * with coverage and sanitizers, so libFuzzer sees inside the decoder
 * rather than treating Debian's libstb as a black box) and, when it decodes,
 * preprocessed into the input of a small float model (synthetic V1
 * 0.25/32) with a central crop chosen by the input's length, so tiny
 * crops of tiny images are reached too.  A rejection must carry a
 * message naming the image; an accepted image must have sane dimensions
 * and preprocess to finite values in [-1, 1].
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnet/mnet.h"

#define NAME "fuzz.img"

static struct mnet_model *model;
static float *input;
static size_t n_input;

static void broken(const char *why, const struct mnet_err *err)
{
	fprintf(stderr, "fuzz_image: %s (code %d, msg '%s')\n", why,
		err ? err->code : 0, err ? err->msg : "");
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct mnet_err err = { 0 };
	struct mnet_shape s;

	if (mnet_model_create_synthetic(0.25f, 32, &model, &err))
		broken("cannot build the synthetic model", &err);
	s = mnet_model_input_shape(model);
	n_input = (size_t)s.h * s.w * s.c;
	input = malloc(n_input * sizeof(*input));
	if (!input)
		broken("out of memory", NULL);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const float crops[8] = {
		1.0f, 0.875f, 0.75f, 0.5f, 0.3f, 0.1f, 0.01f, 0.001f,
	};
	struct mnet_err err = { 0 };
	struct mnet_image *img = NULL;
	int ret, w, h;
	size_t i;

	ret = mnet_image_load_memory(data, size, NAME, &img, &err);
	if (ret) {
		if (ret >= 0 || err.code != ret || img ||
		    strncmp(err.msg, NAME ": ", sizeof(NAME) + 1))
			broken("rejection without a proper error", &err);
		return 0;
	}
	mnet_image_size(img, &w, &h);
	if (w < 1 || h < 1 || w > 16384 || h > 16384)
		broken("decoded image has absurd dimensions", NULL);
	ret = mnet_image_preprocess(img, model, crops[size % 8], input,
				    n_input);
	if (ret && ret != -EINVAL)
		broken("preprocess failed with an unexpected code", NULL);
	for (i = 0; !ret && i < n_input; i++)
		if (!(input[i] >= -1.0f && input[i] <= 1.0f))
			broken("preprocessed value outside [-1, 1]", NULL);
	mnet_image_free(img);
	return 0;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_tflite.c - libFuzzer target: the TFLite loader and what follows it
 *
 * DOC: TFLite fuzz target
 *
 * Every input goes through mnet_model_load_memory().  A rejected input must
 * come back as a negative code with a message that names the file; an
 * accepted one must pass mnet_model_validate(), describe every layer, and,
 * when it is small enough to be cheap (at most 4 M multiply-accumulates and
 * 1 M activation values), run once on the reference backend, whose kernels
 * trust the validated IR completely.  Any broken promise aborts, which
 * libFuzzer reports as a crash, as it does ASan and UBSan findings.
 *
 * Build with -DMNET_SANITIZE=ON -DMNET_FUZZ=ON (clang); seeds and time
 * limits: tools/ci/ci-hardening.sh, docs/hardening.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"

#define NAME "fuzz.tflite"
#define RUN_MAX_MACS (4u << 20)
#define RUN_MAX_ELEMS (1u << 20)

static void broken(const char *why, const struct mnet_err *err)
{
	fprintf(stderr, "fuzz_tflite: %s (code %d, msg '%s')\n", why,
		err ? err->code : 0, err ? err->msg : "");
	abort();
}

static void run_ref(const struct mnet_model *m)
{
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_err err = { 0 };
	struct mnet_class top[3];
	size_t n_in, n_out, i;
	float *x;

	n_in = mnet_shape_elems(mnet_model_input_shape(m));
	x = malloc(n_in * sizeof(*x));
	if (!x)
		return;
	for (i = 0; i < n_in; i++)
		x[i] = (float)(int)(i % 17) * 0.125f - 1.0f;
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_REF;
	if (mnet_session_create(m, &o, &s, &err))
		broken("a validated small model has no ref session", &err);
	if (mnet_session_run(s, x, n_in))
		broken("ref run of a validated model failed", NULL);
	if (!mnet_session_output(s, &n_out) ||
	    n_out != mnet_model_output_size(m))
		broken("output size differs from the model's", NULL);
	if (mnet_session_topk(s, 3, top) < 1)
		broken("topk failed", NULL);
	mnet_session_destroy(s);
	free(x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mnet_err err = { 0 };
	struct mnet_layer_info info;
	struct mnet_model *m = NULL;
	uint64_t params, macs;
	size_t elems = 0;
	int ret, i;

	ret = mnet_model_load_memory(data, size, NAME, &m, &err);
	if (ret) {
		if (ret >= 0 || err.code != ret || m ||
		    strncmp(err.msg, NAME ": ", sizeof(NAME) + 1))
			broken("rejection without a proper error", &err);
		return 0;
	}
	if (!m || mnet_model_validate(m, &err))
		broken("loaded model fails validation", &err);
	mnet_model_totals(m, &params, &macs);
	for (i = 0; i < mnet_model_layer_count(m); i++) {
		if (mnet_model_layer_info(m, i, &info) || !info.name ||
		    !info.op || !info.act)
			broken("layer_info failed on a loaded model", NULL);
	}
	for (i = 0; i < m->n_tensors; i++)
		elems += mnet_shape_elems(m->tensors[i].shape);
	if (macs <= RUN_MAX_MACS && elems <= RUN_MAX_ELEMS)
		run_ref(m);
	mnet_model_free(m);
	return 0;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * test_cpu_models.c - whole networks on the CPU backend against the
 * reference backend
 *
 * Synthetic MobileNet V1 0.25/128, 0.5/160 and 1.0/224 (the peers'
 * network and input): outputs within 1e-4 relative of the reference,
 * bit-identical for 1, 2 and 3 threads, and 1.0/224 reproduces the
 * XNNPACK/oneDNN peers' top-1 class 73 with p = 0.068865
 * (shared/peers/README.md).  Also: every layer's output through
 * mnet_session_layer_output() (the recompute path), the portable kernels
 * on a whole network, a residual network that needs a third activation
 * buffer, and a clear error for an unknown MNET_CPU.
 */
#include <errno.h>
#include <math.h>

#include "synthetic/synthetic.h"
#include "lib/test_cpu_util.h"

#define TOL 1e-4

struct syn_case {
	float alpha;
	int res;
};

static const struct syn_case syn_cases[] = {
	{ 0.25f, 128 }, { 0.5f, 160 }, { 1.0f, 224 },
};

static struct mnet_model *synthetic(float alpha, int res, float **in)
{
	struct mnet_model *m = NULL;
	struct mnet_err err = { 0 };

	if (mnet_model_create_synthetic(alpha, res, &m, &err)) {
		fprintf(stderr, "synthetic: %s\n", err.msg);
		return NULL;
	}
	*in = malloc((size_t)res * res * 3 * sizeof(float));
	if (!*in) {
		mnet_model_free(m);
		return NULL;
	}
	mnet_synthetic_input(res, *in);
	return m;
}

static void test_synthetic_vs_ref(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(syn_cases) / sizeof(syn_cases[0]); i++) {
		const struct syn_case *c = &syn_cases[i];
		float ref[1001], out[1001], out_t[1001], *in = NULL;
		struct mnet_model *m = synthetic(c->alpha, c->res, &in);
		double e;
		int t;

		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		CU_ASSERT_EQUAL_FATAL(mnet_model_output_size(m), 1001);
		CU_ASSERT_EQUAL(run_model(m, MNET_BACKEND_REF, NULL, 1, in,
					  ref), 0);
		CU_ASSERT_EQUAL(run_model(m, MNET_BACKEND_CPU, NULL, 1, in,
					  out), 0);
		e = mnet_test_max_rel_err(out, ref, 1001);
		fprintf(stderr, "\n  %g/%d: max rel err vs ref %.3g", c->alpha,
			c->res, e);
		CU_ASSERT(e <= TOL);
		for (t = 2; t <= 3; t++) {
			CU_ASSERT_EQUAL(run_model(m, MNET_BACKEND_CPU, NULL, t,
						  in, out_t), 0);
			CU_ASSERT_EQUAL(memcmp(out, out_t, sizeof(out)), 0);
		}
		free(in);
		mnet_model_free(m);
	}
}

static void test_peer_top1(void)
{
	struct mnet_session_opts o;
	struct mnet_session *s;
	struct mnet_class top;
	struct mnet_model *m;
	float *in = NULL;

	m = synthetic(1.0f, 224, &in);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_CPU;
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(m, &o, &s, NULL), 0);
	CU_ASSERT_EQUAL(strncmp(mnet_session_backend_name(s), "cpu-", 4), 0);
	CU_ASSERT_EQUAL(mnet_session_run(s, in, 224 * 224 * 3), 0);
	CU_ASSERT_EQUAL(mnet_session_topk(s, 1, &top), 1);
	fprintf(stderr, "\n  1.0/224 on %s: top1=%d p=%.6f",
		mnet_session_backend_name(s), top.index, top.score);
	CU_ASSERT_EQUAL(top.index, 73);
	CU_ASSERT(fabsf(top.score - 0.068865f) < 2e-6f);
	mnet_session_destroy(s);
	free(in);
	mnet_model_free(m);
}

/* Every layer through layer_output() (recomputed) against the reference. */
static void test_layer_outputs(void)
{
	struct mnet_session *sr, *sc;
	struct mnet_session_opts o;
	float *in = NULL, *a, *b;
	struct mnet_model *m;
	size_t cap = 64 * 64 * 64;
	int i;

	m = synthetic(0.25f, 128, &in);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	a = malloc(cap * sizeof(float));
	b = malloc(cap * sizeof(float));
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_REF;
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(m, &o, &sr, NULL), 0);
	o.backend = MNET_BACKEND_CPU;
	o.threads = 2;
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(m, &o, &sc, NULL), 0);
	CU_ASSERT_EQUAL(mnet_session_layer_output(sc, 0, a, cap), -ENODATA);
	CU_ASSERT_EQUAL(mnet_session_run(sr, in, 128 * 128 * 3), 0);
	CU_ASSERT_EQUAL(mnet_session_run(sc, in, 128 * 128 * 3), 0);
	for (i = 0; i < mnet_model_layer_count(m); i++) {
		struct mnet_layer_info li;
		size_t n;

		mnet_model_layer_info(m, i, &li);
		n = (size_t)li.out.h * li.out.w * li.out.c;
		CU_ASSERT_EQUAL(mnet_session_layer_output(sr, i, a, cap), 0);
		CU_ASSERT_EQUAL(mnet_session_layer_output(sc, i, b, cap), 0);
		if (!(mnet_test_max_rel_err(b, a, n) <= TOL)) {
			fprintf(stderr, "\n  layer %d (%s): rel err %g", i,
				li.name, mnet_test_max_rel_err(b, a, n));
			CU_FAIL("layer output differs from the reference");
		}
		CU_ASSERT_EQUAL(mnet_session_layer_output(sc, i, b, n - 1),
				-EINVAL);
	}
	/* recomputing must not disturb the output of the run */
	CU_ASSERT_EQUAL(memcmp(mnet_session_output(sc, NULL), b,
			       1001 * sizeof(float)), 0);
	mnet_session_destroy(sc);
	mnet_session_destroy(sr);
	free(b);
	free(a);
	free(in);
	mnet_model_free(m);
}

static void test_scalar_whole_model(void)
{
	float ref[1001], out[1001], out3[1001], *in = NULL;
	struct mnet_model *m = synthetic(0.5f, 160, &in);

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(run_model(m, MNET_BACKEND_REF, NULL, 1, in, ref), 0);
	/* MNET_CPU=ref is the documented way to force the portable kernels */
	CU_ASSERT_EQUAL(run_model(m, MNET_BACKEND_CPU, "ref", 1, in, out), 0);
	CU_ASSERT_EQUAL(run_model(m, MNET_BACKEND_CPU, "ref", 3, in, out3), 0);
	CU_ASSERT(mnet_test_max_rel_err(out, ref, 1001) <= TOL);
	CU_ASSERT_EQUAL(memcmp(out, out3, sizeof(out)), 0);
	free(in);
	mnet_model_free(m);
}

/*
 * A MobileNetV2-style inverted residual block twice over: the block input
 * stays alive across expand/depthwise/project until the add, so the arena
 * needs a third buffer.  Layers: pre (3->16), then per block pw 16->48,
 * dw 3x3, pw 48->16, add.
 */
static struct mnet_model *residual_model(void)
{
	struct mnet_model *m = mnet_model_alloc(9, 10);
	struct mnet_shape s16 = { 15, 15, 16 }, s48 = { 15, 15, 48 };
	struct mnet_err err = { 0 };
	int i, b;

	if (!m)
		return NULL;
	snprintf(m->name, sizeof(m->name), "test-residual");
	m->tensors[0].shape = (struct mnet_shape){ 15, 15, 3 };
	m->input = 0;
	m->output = 9;
	m->output_kind = MNET_OUTPUT_EMBEDDING;
	for (i = 0; i < 9; i++) {
		struct mnet_layer *l = &m->layers[i];

		snprintf(l->name, sizeof(l->name), "l%d", i);
		l->in = i;
		l->out = i + 1;
		l->act = MNET_ACT_RELU6;
	}
	m->layers[0].op = MNET_OP_PWCONV2D;
	m->layers[0].in_shape = m->tensors[0].shape;
	m->layers[0].out_shape = s16;
	for (b = 0; b < 2; b++) {
		struct mnet_layer *l = &m->layers[1 + 4 * b];

		l[0].op = MNET_OP_PWCONV2D;
		l[0].in_shape = s16;
		l[0].out_shape = s48;
		l[1].op = MNET_OP_DWCONV2D;
		l[1].in_shape = l[1].out_shape = s48;
		l[1].kh = l[1].kw = 3;
		l[1].stride_h = l[1].stride_w = 1;
		l[1].pad_top = l[1].pad_left = 1;
		l[2].op = MNET_OP_PWCONV2D;
		l[2].in_shape = s48;
		l[2].out_shape = s16;
		l[2].act = MNET_ACT_NONE;
		l[3].op = MNET_OP_ADD;
		l[3].in2 = l[0].in;	/* the block's input */
		l[3].in_shape = l[3].out_shape = s16;
		l[3].act = MNET_ACT_NONE;
	}
	for (i = 0; i < 9; i++) {
		struct mnet_layer *l = &m->layers[i];

		m->tensors[i + 1].shape = l->out_shape;
		if (l->op == MNET_OP_PWCONV2D)
			l->n_weights = (size_t)l->in_shape.c * l->out_shape.c;
		else if (l->op == MNET_OP_DWCONV2D)
			l->n_weights = (size_t)9 * l->out_shape.c;
		else
			continue;
		l->weights = rand_floats(l->n_weights, 77 + i);
		l->bias = rand_floats((size_t)l->out_shape.c, 99 + i);
		if (!l->weights || !l->bias)
			goto out_free;
	}
	if (mnet_model_validate(m, &err)) {
		fprintf(stderr, "residual model: %s\n", err.msg);
		goto out_free;
	}
	return m;

out_free:
	mnet_model_free(m);
	return NULL;
}

static void test_residual(void)
{
	struct mnet_model *m = residual_model();
	float ref[15 * 15 * 16], out[15 * 15 * 16], *in;
	unsigned int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	in = rand_floats(15 * 15 * 3, 5);
	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	CU_ASSERT_EQUAL(run_model(m, MNET_BACKEND_REF, NULL, 1, in, ref), 0);
	for (i = 0; i < N_CPU_ISAS; i++) {
		if (!cpu_isa_available(cpu_isas[i]))
			continue;
		CU_ASSERT_EQUAL(run_model(m, MNET_BACKEND_CPU, cpu_isas[i], 2,
					  in, out), 0);
		CU_ASSERT(mnet_test_max_rel_err(out, ref, 15 * 15 * 16) <=
			  TOL);
	}
	free(in);
	mnet_model_free(m);
}

static void test_bad_isa(void)
{
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_err err = { 0 };
	struct mnet_model *m;
	float *in = NULL;
	int ret;

	m = synthetic(0.25f, 128, &in);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_CPU;
	setenv("MNET_CPU", "no-such-isa", 1);
	ret = mnet_session_create(m, &o, &s, &err);
	unsetenv("MNET_CPU");
	CU_ASSERT_EQUAL(ret, -ENODEV);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no-such-isa"));
	free(in);
	mnet_model_free(m);
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "synthetic V1 vs ref, threads 1/2/3 identical",
		  test_synthetic_vs_ref },
		{ "synthetic 1.0/224 matches the peers", test_peer_top1 },
		{ "layer outputs (recompute) vs ref", test_layer_outputs },
		{ "portable kernels on a whole model", test_scalar_whole_model },
		{ "residual blocks (three live buffers)", test_residual },
		{ "unknown MNET_CPU is an error", test_bad_isa },
		CU_TEST_INFO_NULL,
	};

	return mnet_test_run_suite("cpu_models", tests);
}

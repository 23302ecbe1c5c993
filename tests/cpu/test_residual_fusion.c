// SPDX-License-Identifier: Apache-2.0
/*
 * test_residual_fusion.c - 1x1 convolutions that absorb the residual ADD
 *
 * MobileNetV2's linear projection followed by the skip-connection ADD runs
 * as one GEMM / one pwconv kernel whose epilogue adds the residual
 * (mnet_residual_fusable()).  On the CPU backend (every kernel set this
 * machine has, 1 and 3 threads) and on the OpenCL device (when there is
 * one) the fused result must:
 *  - agree with the reference within 1e-4 of the largest value, on small
 *    awkward shapes (channels 1, 3, 5, 17, 33, 100; sizes 1, 3, 7, 14, 15)
 *    and on synthetic MobileNetV2, every layer output included (a fused
 *    projection's own output is still readable for validation);
 *  - be bit-identical to the unfused run ($MNET_FUSE_RESIDUAL=0): the same
 *    additions in the same order;
 *  - report the ADD as "fused into previous";
 *  - on OpenCL, survive its projection falling back to the host (the pair
 *    then runs unfused there).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/test_cpu_util.h"
#include "lib/opencl_test.h"
#include "synthetic/synthetic.h"

#define TOL 1e-4

static char cache_dir[256];
static int have_opencl;

/* pw 3->c (relu6); pw c->c (linear); add(that, the first pw's output) */
static struct mnet_model *residual_model(int hw, int c, int swap,
					 unsigned int seed)
{
	struct mnet_model *m = mnet_model_alloc(3, 4);
	struct mnet_shape rgb = { hw, hw, 3 }, s = { hw, hw, c };
	struct mnet_err err = { 0 };
	struct mnet_layer *l;
	int i;

	if (!m)
		return NULL;
	snprintf(m->name, sizeof(m->name), "residual-%dx%dx%d", hw, hw, c);
	m->tensors[0].shape = rgb;
	for (i = 1; i < 4; i++)
		m->tensors[i].shape = s;
	m->input = 0;
	m->output = 3;
	l = m->layers;
	l[0] = (struct mnet_layer){ .op = MNET_OP_PWCONV2D, .in = 0, .in2 = -1,
		.out = 1, .in_shape = rgb, .out_shape = s, .kh = 1, .kw = 1,
		.stride_h = 1, .stride_w = 1, .act = MNET_ACT_RELU6,
		.n_weights = (size_t)3 * c };
	l[1] = (struct mnet_layer){ .op = MNET_OP_PWCONV2D, .in = 1, .in2 = -1,
		.out = 2, .in_shape = s, .out_shape = s, .kh = 1, .kw = 1,
		.stride_h = 1, .stride_w = 1, .n_weights = (size_t)c * c };
	l[2] = (struct mnet_layer){ .op = MNET_OP_ADD, .in = swap ? 1 : 2,
		.in2 = swap ? 2 : 1, .out = 3, .in_shape = s, .out_shape = s };
	for (i = 0; i < 2; i++) {
		snprintf(l[i].name, sizeof(l[i].name), "pw_%d", i);
		l[i].weights = rand_floats(l[i].n_weights, seed + i);
		l[i].bias = rand_floats(c, seed + 10 + i);
	}
	strcpy(l[2].name, "add");
	if (!l[0].weights || !l[1].weights || !l[0].bias || !l[1].bias ||
	    mnet_model_validate(m, &err)) {
		fprintf(stderr, "residual model: %s\n", err.msg);
		mnet_model_free(m);
		return NULL;
	}
	return m;
}

static struct mnet_session *session(const struct mnet_model *m,
				    enum mnet_backend_kind kind,
				    const char *isa, int threads, int fuse)
{
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_err err = { 0 };
	int ret;

	if (isa)
		setenv("MNET_CPU", isa, 1);
	if (!fuse)
		setenv("MNET_FUSE_RESIDUAL", "0", 1);
	mnet_session_opts_init(&o);
	o.backend = kind;
	o.threads = threads;
	ret = mnet_session_create(m, &o, &s, &err);
	unsetenv("MNET_CPU");
	unsetenv("MNET_FUSE_RESIDUAL");
	if (ret)
		fprintf(stderr, "session: %s\n", err.msg);
	CU_ASSERT_EQUAL(ret, 0);
	return ret ? NULL : s;
}

/* run @s on @in; copy of the output (caller frees), NULL on failure */
static float *run(struct mnet_session *s, const struct mnet_model *m,
		  const float *in)
{
	size_t n_in = mnet_shape_elems(m->tensors[m->input].shape), n;
	const float *o;
	float *out;

	if (mnet_session_run(s, in, n_in))
		return NULL;
	o = mnet_session_output(s, &n);
	out = malloc(n * sizeof(float));
	if (out)
		memcpy(out, o, n * sizeof(float));
	return out;
}

/* how many layers @s reports as fused into the one before */
static int count_absorbed(struct mnet_session *s, const struct mnet_model *m)
{
	struct mnet_layer_time *t = calloc(m->n_layers, sizeof(*t));
	int i, n = 0;

	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_EQUAL(mnet_session_layer_times(s, t), 0);
	for (i = 0; i < m->n_layers; i++)
		if (t[i].config && !strcmp(t[i].config, "fused into previous") &&
		    m->layers[i].op == MNET_OP_ADD)
			n++;
	free(t);
	return n;
}

/*
 * Fused vs reference and vs unfused on one backend; every layer output vs
 * the reference's when @layers.  Returns the number of absorbed ADDs.
 */
static int check_fused(const struct mnet_model *m, enum mnet_backend_kind kind,
		       const char *isa, int threads, const float *in,
		       int layers)
{
	size_t n_out = mnet_shape_elems(m->tensors[m->output].shape);
	struct mnet_session *ref, *fused, *plain;
	float *r = NULL, *f = NULL, *p = NULL, *a, *b;
	int absorbed = -1, i;

	ref = session(m, MNET_BACKEND_REF, NULL, 1, 1);
	fused = session(m, kind, isa, threads, 1);
	plain = session(m, kind, isa, threads, 0);
	if (!ref || !fused || !plain)
		goto out;
	r = run(ref, m, in);
	f = run(fused, m, in);
	p = run(plain, m, in);
	CU_ASSERT_FATAL(r && f && p);
	if (mnet_test_max_rel_err(f, r, n_out) > TOL)
		fprintf(stderr, "%s %s t%d: fused vs ref %.3g\n", m->name,
			isa ? isa : "", threads,
			mnet_test_max_rel_err(f, r, n_out));
	CU_ASSERT(mnet_test_max_rel_err(f, r, n_out) <= TOL);
	CU_ASSERT(!memcmp(f, p, n_out * sizeof(float)));
	absorbed = count_absorbed(fused, m);
	CU_ASSERT_EQUAL(count_absorbed(plain, m), 0);
	for (i = 0; layers && i < m->n_layers; i++) {
		size_t n = mnet_shape_elems(m->layers[i].out_shape);
		double e;

		a = malloc(n * sizeof(float));
		b = malloc(n * sizeof(float));
		CU_ASSERT_FATAL(a && b);
		CU_ASSERT_EQUAL(mnet_session_layer_output(fused, i, a, n), 0);
		CU_ASSERT_EQUAL(mnet_session_layer_output(ref, i, b, n), 0);
		e = mnet_test_max_rel_err(a, b, n);
		if (e > TOL)
			fprintf(stderr, "%s layer %d (%s): %.3g\n", m->name, i,
				m->layers[i].name, e);
		CU_ASSERT(e <= TOL);
		free(a);
		free(b);
	}
	/* a run after layer_output() still gives the fused answer */
	if (layers) {
		free(p);
		p = run(fused, m, in);
		CU_ASSERT_FATAL(p != NULL);
		CU_ASSERT(!memcmp(f, p, n_out * sizeof(float)));
	}
out:
	free(r);
	free(f);
	free(p);
	mnet_session_destroy(ref);
	mnet_session_destroy(fused);
	mnet_session_destroy(plain);
	return absorbed;
}

static void test_ir(void)
{
	struct mnet_model *m = residual_model(3, 5, 0, 1);

	CU_ASSERT_FATAL(m != NULL);
	CU_ASSERT_EQUAL(mnet_residual_fusable(m, 1), 1);
	CU_ASSERT_EQUAL(mnet_residual_fusable(m, 0), -1); /* relu6, 2 readers */
	CU_ASSERT_EQUAL(mnet_residual_fusable(m, 2), -1);
	m->layers[2].act = MNET_ACT_RELU6;	/* relu6(a + b): not linear */
	CU_ASSERT_EQUAL(mnet_residual_fusable(m, 1), -1);
	m->layers[2].act = MNET_ACT_NONE;
	m->output = 2;		/* the projection's output is needed itself */
	CU_ASSERT_EQUAL(mnet_residual_fusable(m, 1), -1);
	mnet_model_free(m);
}

static const int chans[] = { 1, 3, 5, 17, 33, 100 };
static const int sizes[] = { 1, 3, 7, 14, 15 };

static void test_cpu_shapes(void)
{
	unsigned int i, ci, si, checked = 0;
	int t;

	for (ci = 0; ci < sizeof(chans) / sizeof(chans[0]); ci++)
		for (si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
			int hw = sizes[si], c = chans[ci];
			struct mnet_model *m = residual_model(hw, c, (ci + si) & 1,
							      ci * 31 + si);
			float *in = rand_floats((size_t)hw * hw * 3, ci + si);

			CU_ASSERT_FATAL(m && in);
			for (i = 0; i < N_CPU_ISAS; i++) {
				if (!cpu_isa_available(cpu_isas[i]))
					continue;
				for (t = 1; t <= 3; t += 2) {
					CU_ASSERT_EQUAL(check_fused(m, MNET_BACKEND_CPU,
								    cpu_isas[i], t, in,
								    si == 2), 1);
					checked++;
				}
			}
			free(in);
			mnet_model_free(m);
		}
	printf("\n  %u shape/kernel set/thread cases\n", checked);
}

static struct mnet_model *v2_model(float **in)
{
	struct mnet_model *m;
	struct mnet_err err;

	CU_ASSERT_FATAL(!mnet_model_create_synthetic_v2(0.35f, 96, &m, &err));
	*in = malloc((size_t)96 * 96 * 3 * sizeof(float));
	CU_ASSERT_FATAL(*in != NULL);
	mnet_synthetic_input(96, *in);
	return m;
}

static void test_cpu_v2(void)
{
	float *in;
	struct mnet_model *m = v2_model(&in);
	int t;

	for (t = 1; t <= 2; t++)	/* 2: dw+pw job pairs with residuals */
		CU_ASSERT_EQUAL(check_fused(m, MNET_BACKEND_CPU, NULL, t, in, 1),
				10);
	free(in);
	mnet_model_free(m);
}

static void test_opencl_shapes(void)
{
	static const int cl_chans[] = { 3, 17, 33 }, cl_sizes[] = { 1, 7 };
	unsigned int ci, si;

	if (!have_opencl)
		return;
	for (ci = 0; ci < 3; ci++)
		for (si = 0; si < 2; si++) {
			int hw = cl_sizes[si], c = cl_chans[ci];
			struct mnet_model *m = residual_model(hw, c, si, ci + 5);
			float *in = rand_floats((size_t)hw * hw * 3, ci * 7 + si);

			CU_ASSERT_FATAL(m && in);
			CU_ASSERT_EQUAL(check_fused(m, MNET_BACKEND_OPENCL, NULL,
						    0, in, 1), 1);
			free(in);
			mnet_model_free(m);
		}
}

static void test_opencl_v2(void)
{
	float *in;
	struct mnet_model *m;

	if (!have_opencl)
		return;
	m = v2_model(&in);
	CU_ASSERT_EQUAL(check_fused(m, MNET_BACKEND_OPENCL, NULL, 0, in, 1), 10);
	free(in);
	mnet_model_free(m);
}

/* the first fused projection fails to build: the pair runs on the host */
static void test_opencl_fallback(void)
{
	struct mnet_layer_time *t;
	struct mnet_session *ref, *s;
	struct mnet_model *m;
	float *in, *r, *o;
	int i, pw = -1;
	char val[16];

	if (!have_opencl)
		return;
	m = v2_model(&in);
	for (i = 0; i < m->n_layers && pw < 0; i++)
		if (mnet_residual_fusable(m, i) >= 0)
			pw = i;
	CU_ASSERT_FATAL(pw > 0);
	snprintf(val, sizeof(val), "%d", pw);
	setenv("MNET_CL_FAIL_LAYER", val, 1);
	s = session(m, MNET_BACKEND_OPENCL, NULL, 0, 1);
	unsetenv("MNET_CL_FAIL_LAYER");
	ref = session(m, MNET_BACKEND_REF, NULL, 1, 1);
	CU_ASSERT_FATAL(s && ref);
	r = run(ref, m, in);
	o = run(s, m, in);
	CU_ASSERT_FATAL(r && o);
	CU_ASSERT(mnet_test_max_rel_err(o, r, mnet_model_output_size(m)) <= TOL);
	t = calloc(m->n_layers, sizeof(*t));
	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_EQUAL(mnet_session_layer_times(s, t), 0);
	CU_ASSERT_STRING_EQUAL(t[pw].backend, "ref");
	CU_ASSERT_STRING_EQUAL(t[pw + 1].backend, "ref");
	CU_ASSERT_EQUAL(count_absorbed(s, m), 9);
	free(t);
	free(r);
	free(o);
	free(in);
	mnet_session_destroy(s);
	mnet_session_destroy(ref);
	mnet_model_free(m);
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "which layers can absorb an ADD", test_ir },
		{ "cpu: awkward shapes, every kernel set", test_cpu_shapes },
		{ "cpu: synthetic MobileNetV2 0.35/96", test_cpu_v2 },
		{ "opencl: small shapes", test_opencl_shapes },
		{ "opencl: synthetic MobileNetV2 0.35/96", test_opencl_v2 },
		{ "opencl: fused projection falls back to the host",
		  test_opencl_fallback },
		CU_TEST_INFO_NULL,
	};
	int ret;

	have_opencl = cl_test_have_device("residual_fusion",
					  "OpenCL cases skipped", cache_dir,
					  sizeof(cache_dir));
	ret = mnet_test_run_suite("residual_fusion", tests);
	if (have_opencl)
		cl_test_remove_dir(cache_dir);
	return ret;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * op_test.c - one op on every backend against the reference (see the DOC
 * block of op_test.h)
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "lib/opencl_test.h"
#include "lib/op_test.h"
#include "lib/test_util.h"

#define TOL_FP32 1e-4
#define TOL_FP16_STORAGE 2e-3	/* as tests/opencl/test_opencl_kernels.c */

/* The kernel sets to try; those this machine lacks are skipped. */
static const char *const cpu_isas[] = { "scalar", "avx2", "avx512", "neon" };
#define N_CPU_ISAS (sizeof(cpu_isas) / sizeof(cpu_isas[0]))
static int cpu_isa_ok[N_CPU_ISAS];
static const int cpu_threads[] = { 1, 3 };

/* the suite being run: CUnit test functions take no arguments */
static const char *op_suite;
static const struct mnet_op_case *op_cases;
static size_t n_op_cases;
static char cl_cache_dir[256];
static int cl_programs;
static double cl_build_ms, cl_total_ms;

/**
 * struct op_run - one backend configuration a case runs on
 * @kind: backend
 * @isa: cpu kernel set ($MNET_CPU), or NULL
 * @threads: host threads (0: the default)
 * @precision: OpenCL precision
 */
struct op_run {
	enum mnet_backend_kind kind;
	const char *isa;
	int threads;
	enum mnet_precision precision;
};

static float *rand_floats(size_t n, unsigned int seed, float lo, float hi)
{
	float *p = malloc((n ? n : 1) * sizeof(*p));

	if (p)
		mnet_test_fill_random(p, n, seed, lo, hi);
	return p;
}

/*
 * Weights and biases for a layer whose op and shapes are set: as many as
 * the op's descriptor expects (runtime/ops/), so a new op needs no entry.
 */
static int layer_params(struct mnet_layer *l, unsigned int seed)
{
	const struct mnet_op_desc *d = mnet_op_desc(l->op);

	if (!d || !d->has_weights || !d->expected_weights)
		return 0;
	l->n_weights = d->expected_weights(l);
	l->weights = rand_floats(l->n_weights, seed, -1.0f, 1.0f);
	l->bias = rand_floats((size_t)l->out_shape.c, seed + 1, -1.0f, 1.0f);
	return l->weights && l->bias ? 0 : -ENOMEM;
}

/* Kernel, stride and padding of a windowed layer; sets @out's h and w. */
static int layer_window(const struct mnet_op_case *c, struct mnet_layer *l,
			struct mnet_shape *out)
{
	int s = c->stride ? c->stride : 1, k = c->k;

	if (c->op == MNET_OP_AVGPOOL && !k) {	/* global */
		l->kh = c->in.h;
		l->kw = c->in.w;
		l->stride_h = l->stride_w = 1;
		out->h = out->w = 1;
		return 0;
	}
	l->kh = l->kw = k;
	l->stride_h = l->stride_w = s;
	if (c->pad == MNET_OP_PAD_SAME) {
		l->pad_top = mnet_same_pad(c->in.h, k, s, &out->h);
		l->pad_left = mnet_same_pad(c->in.w, k, s, &out->w);
		return 0;
	}
	if (k < 1 || c->in.h < k || c->in.w < k)
		return -EINVAL;
	out->h = (c->in.h - k) / s + 1;
	out->w = (c->in.w - k) / s + 1;
	return 0;
}

static void set_io(struct mnet_model *m, struct mnet_layer *l, const char *name,
		   int in, int out)
{
	snprintf(l->name, sizeof(l->name), "%s", name);
	l->in = in;
	l->out = out;
	l->in_shape = m->tensors[in].shape;
	l->out_shape = m->tensors[out].shape;
}

struct mnet_model *mnet_op_test_model(const struct mnet_op_case *c,
				      unsigned int seed)
{
	struct mnet_shape rgb = { c->in.h, c->in.w, 3 }, out = c->in;
	int pre = c->in.c != 3, add = c->op == MNET_OP_ADD;
	size_t n = mnet_shape_elems(c->in);
	int n_layers = pre + 1 + add, t = pre, ret = 0;
	struct mnet_err err = { 0 };
	const struct mnet_op_desc *desc;
	struct mnet_model *m;
	struct mnet_layer *l;

	m = mnet_model_alloc(n_layers, n_layers + 1);
	if (!m) {
		printf("\n%s: out of memory\n", c->name);
		return NULL;
	}
	snprintf(m->name, sizeof(m->name), "%s", c->name);
	m->input = 0;
	m->output = n_layers;
	m->output_kind = MNET_OUTPUT_LOGITS;
	m->tensors[0].shape = rgb;
	l = m->layers;
	if (pre && n % 3 == 0 && n / 3 <= MNET_MAX_DIM) {
		/* the model input must be RGB: 1 x N/3 x 3, reshaped */
		m->tensors[0].shape = (struct mnet_shape){ 1, (int)(n / 3), 3 };
		m->tensors[1].shape = c->in;
		l->op = MNET_OP_RESHAPE;
		set_io(m, l, "pre_reshape", 0, 1);
		l++;
	} else if (pre) {
		/* ... or 3 -> in.c channels */
		m->tensors[1].shape = c->in;
		l->op = MNET_OP_PWCONV2D;
		l->kh = l->kw = 1;
		l->stride_h = l->stride_w = 1;
		set_io(m, l, "pre_pw", 0, 1);
		ret = layer_params(l, seed + 10);
		l++;
	}
	if (add) {
		/* the second operand, computed from the first */
		m->tensors[t + 1].shape = c->in;
		l->op = c->residual ? MNET_OP_PWCONV2D : MNET_OP_DWCONV2D;
		l->kh = l->kw = c->residual ? 1 : 3;
		l->stride_h = l->stride_w = 1;
		if (!c->residual) {
			l->pad_top = mnet_same_pad(c->in.h, 3, 1, &out.h);
			l->pad_left = mnet_same_pad(c->in.w, 3, 1, &out.w);
		}
		set_io(m, l, c->residual ? "residual_pw" : "operand_dw", t,
		       t + 1);
		ret = ret ? ret : layer_params(l, seed + 20);
		l++;
		m->tensors[t + 2].shape = c->in;
		l->op = MNET_OP_ADD;
		l->act = c->act;
		set_io(m, l, "add", t + 1, t + 2);
		l->in2 = t;
		goto out_validate;
	}

	l->op = c->op;
	l->act = c->act;
	l->beta = c->beta ? c->beta : 1.0f;
	/*
	 * The geometry from what the op's descriptor says it is: a window op
	 * takes the case's kernel, stride and padding; a 1x1 op (and a window
	 * op given .cout) the case's output channels; a weighted op with
	 * neither (fully connected) a 1x1xcout vector; an op the case gives
	 * an output shape (reshape) that shape.
	 */
	desc = mnet_op_desc(c->op);
	if (!desc) {
		printf("\n%s: op %d has no descriptor\n", c->name, (int)c->op);
		goto out_free;
	}
	if (desc->flags & MNET_OP_F_WINDOW) {
		if (c->cout)
			out.c = c->cout;
		if (layer_window(c, l, &out)) {
			printf("\n%s: VALID padding needs a kernel that fits\n",
			       c->name);
			goto out_free;
		}
	} else if (desc->flags & MNET_OP_F_POINTWISE) {
		l->kh = l->kw = 1;
		l->stride_h = l->stride_w = 1;
		out.c = c->cout;
	} else if (desc->has_weights) {
		out = (struct mnet_shape){ 1, 1, c->cout };
	} else if (c->out.c) {
		out = c->out;
	}
	m->tensors[t + 1].shape = out;
	set_io(m, l, mnet_op_name(c->op), t, t + 1);
	ret = ret ? ret : layer_params(l, seed);

out_validate:
	if (ret) {
		printf("\n%s: out of memory\n", c->name);
		goto out_free;
	}
	if (mnet_model_validate(m, &err)) {
		printf("\n%s: bad test model: %s\n", c->name, err.msg);
		goto out_free;
	}
	return m;

out_free:
	mnet_model_free(m);
	return NULL;
}

/*
 * Run @m once on @r into @out; @used receives the session's backend name.
 * Return: 0, a negative errno, or -EXDEV when an OpenCL session ran layers
 * on the host.
 */
static int run_on(const struct mnet_model *m, const struct op_run *r,
		  const float *in, float *out, char *used, size_t len,
		  struct mnet_err *err)
{
	struct mnet_session_opts o;
	struct mnet_startup su;
	struct mnet_session *s;
	size_t n_in = mnet_shape_elems(mnet_model_input_shape(m)), n;
	const float *res;
	int ret;

	used[0] = '\0';
	if (r->isa)
		setenv("MNET_CPU", r->isa, 1);
	mnet_session_opts_init(&o);
	o.backend = r->kind;
	o.threads = r->threads;
	o.precision = r->precision;
	ret = mnet_session_create(m, &o, &s, err);
	if (r->isa)
		unsetenv("MNET_CPU");
	if (ret)
		return ret;
	snprintf(used, len, "%s", mnet_session_backend_name(s));
	ret = mnet_session_run(s, in, n_in);
	if (ret) {
		mnet_err_set(err, ret, "run: %s", mnet_strerror(ret));
		goto out_destroy;
	}
	res = mnet_session_output(s, &n);
	if (n != mnet_model_output_size(m)) {
		ret = mnet_err_set(err, -EIO, "%zu outputs, expected %zu", n,
				   mnet_model_output_size(m));
		goto out_destroy;
	}
	memcpy(out, res, n * sizeof(*out));
	if (r->kind == MNET_BACKEND_OPENCL) {
		mnet_session_startup(s, &su);
		cl_programs += su.programs_built;
		cl_build_ms += su.build_ms;
		cl_total_ms += su.total_ms;
		if (su.host_layers)
			ret = mnet_err_set(err, -EXDEV,
					   "%d layer(s) fell back to the host",
					   su.host_layers);
	}
out_destroy:
	mnet_session_destroy(s);
	return ret;
}

/*
 * The error of an fp16-storage run: as mnet_test_max_rel_err(), but
 * relative to at least 1.  Half storage rounds the inputs and weights,
 * which are O(1) here, to 11 bits, so the absolute error is about 2^-11
 * however small an output comes out after cancellation (one output of a
 * 3-input fc: 0.074 +- 5e-4, 7e-3 relative to itself).
 */
static double half_err(const float *got, const float *want, size_t n)
{
	double scale = 1.0, d, worst = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (fabs(want[i]) > scale)
			scale = fabs(want[i]);
	for (i = 0; i < n; i++) {
		d = fabs((double)got[i] - (double)want[i]);
		if (isnan(d))
			return d;
		if (d > worst)
			worst = d;
	}
	return worst / scale;
}

/* Where @got is furthest from @want (NaN first), for the message. */
static size_t worst_index(const float *got, const float *want, size_t n)
{
	size_t i, w = 0;
	double d, worst = -1;

	for (i = 0; i < n; i++) {
		d = fabs((double)got[i] - (double)want[i]);
		if (isnan(d))
			return i;
		if (d > worst) {
			worst = d;
			w = i;
		}
	}
	return w;
}

/* What @r is called: the backend name its session should report. */
static const char *run_name(const struct op_run *r, char *buf, size_t len)
{
	if (r->isa)
		snprintf(buf, len, "cpu-%s", r->isa);
	else if (r->kind == MNET_BACKEND_OPENCL)
		snprintf(buf, len, "opencl-%s",
			 r->precision == MNET_PRECISION_FP16_STORAGE ?
			 "fp16-storage" : "fp32");
	else
		snprintf(buf, len, "ref");
	return buf;
}

/* Run every case on @runs and compare with the reference; count failures. */
static int check_cases(const struct op_run *runs, int n_runs, double tol,
		       int (*wanted)(const struct mnet_op_case *c))
{
	int failed = 0, checked = 0, i;
	size_t ci;

	for (ci = 0; ci < n_op_cases; ci++) {
		const struct mnet_op_case *c = &op_cases[ci];
		unsigned int seed = 1000u * (unsigned int)(ci + 1);
		struct op_run ref = { .kind = MNET_BACKEND_REF };
		float *in = NULL, *want = NULL, *got = NULL;
		struct mnet_err err = { 0 };
		struct mnet_model *m;
		char used[64];
		double worst = 0;
		size_t n_in, n_out, j;

		if (wanted && !wanted(c))
			continue;
		m = mnet_op_test_model(c, seed);
		if (!m) {
			failed++;
			continue;
		}
		n_in = mnet_shape_elems(mnet_model_input_shape(m));
		n_out = mnet_model_output_size(m);
		in = rand_floats(n_in, seed + 7, -2.0f, 2.0f);
		want = calloc(n_out, sizeof(*want));
		got = calloc(n_out, sizeof(*got));
		if (!in || !want || !got ||
		    run_on(m, &ref, in, want, used, sizeof(used), &err)) {
			printf("\n  %s: reference: %s", c->name,
			       err.msg[0] ? err.msg : "out of memory");
			failed++;
			goto next;
		}
		for (j = 0; j < n_out; j++) {
			if (!isfinite(want[j])) {
				printf("\n  %s: reference output %zu is %g",
				       c->name, j, want[j]);
				failed++;
				goto next;
			}
		}
		for (i = 0; i < n_runs; i++) {
			const struct op_run *r = &runs[i];
			char expect[64] = "", label[96];
			double e;
			int ret;

			/* NaN, so an output left unwritten shows */
			memset(got, 0xff, n_out * sizeof(*got));
			memset(&err, 0, sizeof(err));
			ret = run_on(m, r, in, got, used, sizeof(used), &err);
			if (!ret && r->isa &&
			    strcmp(used, run_name(r, expect, sizeof(expect)))) {
				snprintf(err.msg, sizeof(err.msg),
					 "ran on %s", used);
				ret = -EINVAL;
			}
			run_name(r, expect, sizeof(expect));
			if (r->isa)
				snprintf(label, sizeof(label),
					 "%s, %d thread%s", expect, r->threads,
					 r->threads == 1 ? "" : "s");
			else
				snprintf(label, sizeof(label), "%s", expect);
			if (ret) {
				printf("\n  %s: %s: %s", c->name, label,
				       err.msg);
				failed++;
				continue;
			}
			if (r->precision == MNET_PRECISION_FP16_STORAGE)
				e = half_err(got, want, n_out);
			else
				e = mnet_test_max_rel_err(got, want, n_out);
			checked++;
			if (!(e <= tol)) {
				size_t w = worst_index(got, want, n_out);

				printf("\n  %s: %s: max rel err %.3g > %.3g (output %zu of %zu: %g, reference %g)",
				       c->name, label, e, tol, w, n_out,
				       got[w], want[w]);
				failed++;
			}
			if (e > worst || isnan(e))
				worst = e;
		}
		printf("\n  %-44s worst %.3g", c->name, worst);
next:
		free(got);
		free(want);
		free(in);
		mnet_model_free(m);
	}
	printf("\n  %d comparisons, %d failed\n", checked, failed);
	return failed;
}

static void test_cpu(void)
{
	struct op_run runs[N_CPU_ISAS * 2];
	int n = 0;
	unsigned int i, t, n_t = sizeof(cpu_threads) / sizeof(cpu_threads[0]);

	for (i = 0; i < N_CPU_ISAS; i++) {
		if (!cpu_isa_ok[i])
			continue;
		for (t = 0; t < n_t; t++)
			runs[n++] = (struct op_run){ .kind = MNET_BACKEND_CPU,
				.isa = cpu_isas[i], .threads = cpu_threads[t] };
	}
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL(check_cases(runs, n, TOL_FP32, NULL), 0);
}

/* $MNET_OP_TEST_CL=all: every case on OpenCL, not only those marked */
static int cl_all(void)
{
	const char *e = getenv("MNET_OP_TEST_CL");

	return e && !strcmp(e, "all");
}

static int want_cl(const struct mnet_op_case *c)
{
	return c->cl || c->fp16 || cl_all();
}

static int want_fp16(const struct mnet_op_case *c)
{
	return c->fp16 || cl_all();
}

static void test_opencl_fp32(void)
{
	const struct op_run r = { .kind = MNET_BACKEND_OPENCL,
				  .precision = MNET_PRECISION_FP32 };

	CU_ASSERT_EQUAL(check_cases(&r, 1, TOL_FP32, want_cl), 0);
}

static void test_opencl_fp16_storage(void)
{
	const struct op_run r = { .kind = MNET_BACKEND_OPENCL,
				  .precision = MNET_PRECISION_FP16_STORAGE };

	CU_ASSERT_EQUAL(check_cases(&r, 1, TOL_FP16_STORAGE, want_fp16), 0);
}

/*
 * Which kernel sets this machine runs: a session with $MNET_CPU naming
 * one it cannot is -ENODEV at creation (any other failure is the tests').
 */
static void probe_cpu_isas(void)
{
	const struct mnet_op_case probe = {
		.name = "probe", .op = MNET_OP_SOFTMAX, .in = { 1, 1, 3 },
	};
	struct mnet_model *m = mnet_op_test_model(&probe, 1);
	struct mnet_err err = { 0 };
	float in[3] = { 0 }, out[3];
	char used[64];
	unsigned int i;

	printf("%s: cpu kernel sets:", op_suite);
	for (i = 0; m && i < N_CPU_ISAS; i++) {
		struct op_run r = { .kind = MNET_BACKEND_CPU,
				    .isa = cpu_isas[i], .threads = 1 };

		cpu_isa_ok[i] = run_on(m, &r, in, out, used, sizeof(used),
				       &err) != -ENODEV;
		printf(" %s%s", cpu_isas[i], cpu_isa_ok[i] ? "" : " (absent)");
	}
	printf("\n");
	mnet_model_free(m);
}

int mnet_op_test_main(const char *suite, const struct mnet_op_case *cases,
		      size_t n)
{
	static const CU_TestInfo with_cl[] = {
		{ "cpu kernel sets, 1 and 3 threads, vs ref (1e-4)", test_cpu },
		{ "opencl fp32 vs ref (1e-4)", test_opencl_fp32 },
		{ "opencl fp16 storage vs ref (2e-3)",
		  test_opencl_fp16_storage },
		CU_TEST_INFO_NULL,
	};
	static const CU_TestInfo without_cl[] = {
		{ "cpu kernel sets, 1 and 3 threads, vs ref (1e-4)", test_cpu },
		CU_TEST_INFO_NULL,
	};
	int have_cl, ret;

	op_suite = suite;
	op_cases = cases;
	n_op_cases = n;
	probe_cpu_isas();
	have_cl = cl_test_have_device(suite,
				      "opencl fp32 and fp16 storage skipped",
				      cl_cache_dir, sizeof(cl_cache_dir));
	ret = mnet_test_run_suite(suite, have_cl ? with_cl : without_cl);
	if (have_cl) {
		printf("%s: opencl: %d programs built, %.0f ms building, %.0f ms creating sessions\n",
		       suite, cl_programs, cl_build_ms, cl_total_ms);
		cl_test_remove_dir(cl_cache_dir);
	}
	return ret;
}

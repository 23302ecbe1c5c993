/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_cpu_util.h - one-layer models and backend comparisons for the CPU
 * backend suites (header-only: each suite is its own executable)
 */
#ifndef MNET_TEST_CPU_UTIL_H
#define MNET_TEST_CPU_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch/cpu_kernels.h"
#include "model/model.h"
#include "lib/test_util.h"

/* The kernel sets this machine can run, portable C first. */
static const char *const cpu_isas[] = { "scalar", "avx2", "avx512", "neon" };
#define N_CPU_ISAS (sizeof(cpu_isas) / sizeof(cpu_isas[0]))

static inline int cpu_isa_available(const char *isa)
{
	return mnet_cpu_kernels_get(isa) != NULL;
}

/* Run @m on @kind (CPU kernels @isa, @threads) and copy the output. */
static inline int run_model(const struct mnet_model *m,
			    enum mnet_backend_kind kind, const char *isa,
			    int threads, const float *in, float *out)
{
	struct mnet_session_opts o;
	struct mnet_session *s;
	struct mnet_err err = { 0 };
	const float *res;
	size_t n;
	int ret;

	if (isa)
		setenv("MNET_CPU", isa, 1);
	else
		unsetenv("MNET_CPU");
	mnet_session_opts_init(&o);
	o.backend = kind;
	o.threads = threads;
	ret = mnet_session_create(m, &o, &s, &err);
	unsetenv("MNET_CPU");
	if (ret) {
		fprintf(stderr, "session: %s\n", err.msg);
		return ret;
	}
	ret = mnet_session_run(s, in, mnet_shape_elems(
					     m->tensors[m->input].shape));
	if (!ret) {
		res = mnet_session_output(s, &n);
		memcpy(out, res, n * sizeof(float));
	}
	mnet_session_destroy(s);
	return ret;
}

struct layer_spec {
	enum mnet_op op;
	struct mnet_shape in;
	int cout;		/* conv/pw/fc output channels */
	int k;			/* kernel size (square) */
	int stride;
	int pad_top, pad_left;	/* -1: TFLite SAME */
	enum mnet_act act;
};

/* The largest output whose last window still starts inside the input. */
static inline int spec_out_dim(int in, int k, int stride, int pad)
{
	int o = (in + stride - 1) / stride;

	if (pad >= 0)
		o = (in + pad - 1) / stride + 1;
	return o;
}

static inline float *rand_floats(size_t n, unsigned int seed)
{
	float *p = malloc((n ? n : 1) * sizeof(float));

	if (p)
		mnet_test_fill_random(p, n, seed, -1.0f, 1.0f);
	return p;
}

/*
 * A model of the layer under test (or, for add, a depthwise layer whose
 * output is added to its input).  Models must take RGB input, so a 1x1
 * convolution from 3 channels to the layer's input channels comes first;
 * its output is the tensor the tested layer reads.  Weights in [-1, 1).
 */
static inline struct mnet_model *build_layer_model(const struct layer_spec *sp,
						   unsigned int seed)
{
	int add = sp->op == MNET_OP_ADD;
	struct mnet_model *m = mnet_model_alloc(add ? 3 : 2, add ? 4 : 3);
	struct mnet_shape rgb = { sp->in.h, sp->in.w, 3 }, out = sp->in;
	enum mnet_op op = add ? MNET_OP_DWCONV2D : sp->op;
	struct mnet_err err = { 0 };
	struct mnet_layer *l;
	int pt = 0, pl = 0;

	if (!m)
		return NULL;
	snprintf(m->name, sizeof(m->name), "test-%s", mnet_op_name(sp->op));
	m->tensors[0].shape = rgb;
	m->tensors[1].shape = sp->in;
	m->input = 0;
	l = &m->layers[0];
	l->op = MNET_OP_PWCONV2D;
	snprintf(l->name, sizeof(l->name), "pre");
	l->in = 0;
	l->out = 1;
	l->in_shape = rgb;
	l->out_shape = sp->in;
	l->n_weights = (size_t)3 * sp->in.c;
	l->weights = rand_floats(l->n_weights, seed + 3);
	l->bias = rand_floats((size_t)sp->in.c, seed + 4);
	if (!l->weights || !l->bias)
		goto out_free;

	l = &m->layers[1];
	l->op = op;
	snprintf(l->name, sizeof(l->name), "test");
	l->in = 1;
	l->out = 2;
	l->act = sp->act;
	if (op == MNET_OP_CONV2D || op == MNET_OP_DWCONV2D ||
	    op == MNET_OP_AVGPOOL) {
		if (sp->pad_top < 0) {
			pt = mnet_same_pad(sp->in.h, sp->k, sp->stride, &out.h);
			pl = mnet_same_pad(sp->in.w, sp->k, sp->stride, &out.w);
		} else {
			pt = sp->pad_top;
			pl = sp->pad_left;
			out.h = spec_out_dim(sp->in.h, sp->k, sp->stride, pt);
			out.w = spec_out_dim(sp->in.w, sp->k, sp->stride, pl);
		}
		l->kh = l->kw = sp->k;
		l->stride_h = l->stride_w = sp->stride;
		l->pad_top = pt;
		l->pad_left = pl;
	}
	if (op == MNET_OP_CONV2D || op == MNET_OP_PWCONV2D)
		out.c = sp->cout;
	if (op == MNET_OP_FC)
		out = (struct mnet_shape){ 1, 1, sp->cout };
	l->in_shape = sp->in;
	l->out_shape = out;
	switch (op) {
	case MNET_OP_CONV2D:
		l->n_weights = (size_t)out.c * sp->k * sp->k * sp->in.c;
		break;
	case MNET_OP_DWCONV2D:
		l->n_weights = (size_t)sp->k * sp->k * out.c;
		break;
	case MNET_OP_PWCONV2D:
		l->n_weights = (size_t)out.c * sp->in.c;
		break;
	case MNET_OP_FC:
		l->n_weights = (size_t)out.c * mnet_shape_elems(sp->in);
		break;
	default:
		break;
	}
	if (l->n_weights) {
		l->weights = rand_floats(l->n_weights, seed);
		l->bias = rand_floats((size_t)out.c, seed + 1);
		if (!l->weights || !l->bias)
			goto out_free;
	}
	m->tensors[2].shape = out;
	m->output = 2;
	if (add) {
		l = &m->layers[2];
		l->op = MNET_OP_ADD;
		snprintf(l->name, sizeof(l->name), "add");
		l->in = 2;
		l->in2 = 1;
		l->out = 3;
		l->act = sp->act;
		l->in_shape = l->out_shape = out;
		m->tensors[3].shape = out;
		m->output = 3;
	}
	m->output_kind = MNET_OUTPUT_LOGITS;
	if (mnet_model_validate(m, &err)) {
		fprintf(stderr, "bad test model: %s\n", err.msg);
		goto out_free;
	}
	return m;

out_free:
	mnet_model_free(m);
	return NULL;
}

#endif /* MNET_TEST_CPU_UTIL_H */

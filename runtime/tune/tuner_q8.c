// SPDX-License-Identifier: Apache-2.0
/*
 * tuner_q8.c - the work-group sizes of the OpenCL int8 kernels
 *
 * DOC: int8 tuning
 *
 * The int8 kernels (cl_kernels/q8_*.cl) have one knob: the work-group
 * size, the driver's by default.  This searches a handful of shapes per
 * distinct layer on a real int8 session (runtime/opencl/q8/), checks
 * each candidate's output bytes against the default's and times it; the
 * database keys end in "|int8", so they never meet the float kernels'.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tune/tuner_q8.h"
#include "cl/cl_error.h"
#include "opencl/q8/cl_q8.h"
#include "opencl/q8/cl_q8_layer.h"
#include "support/clock.h"
#include "tune/cl_tune.h"

#define Q8T_REPS 7
#define Q8T_MAX_CANDS 16

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* median wall time of one launch with @local; -1 when it fails */
static double time_layer(struct mnet_cl_q8_state *st,
			 const struct mnet_cl_q8_layer *L, const size_t *local)
{
	double t[Q8T_REPS];
	int k;

	if (mnet_cl_q8_enqueue(st, L, local) || clFinish(st->q))
		return -1;	/* the warm-up (PoCL compiles per size) */
	for (k = 0; k < Q8T_REPS; k++) {
		double t0 = mnet_now_ms();

		if (mnet_cl_q8_enqueue(st, L, local) || clFinish(st->q))
			return -1;
		t[k] = mnet_now_ms() - t0;
	}
	qsort(t, Q8T_REPS, sizeof(t[0]), cmp_double);
	return t[Q8T_REPS / 2];
}

/* the output bytes of @L after one launch with @local, into @dst */
static int layer_bytes(struct mnet_cl_q8_state *st, const struct mnet_layer *l,
		       const struct mnet_cl_q8_layer *L, const size_t *local,
		       uint8_t *dst)
{
	size_t n = mnet_shape_elems(l->out_shape);
	uint8_t zero = 0xa5;

	if (clEnqueueFillBuffer(st->q, st->t[l->out], &zero, 1, 0, n, 0, NULL,
				NULL) ||
	    mnet_cl_q8_enqueue(st, L, local) ||
	    clEnqueueReadBuffer(st->q, st->t[l->out], CL_TRUE, 0, n, dst, 0,
				NULL, NULL))
		return -EIO;
	return 0;
}

/* power-of-two shapes within the device's and the kernel's limits */
static int candidates(const struct mnet_cl_q8_state *st,
		      const struct mnet_cl_q8_layer *L, size_t c[][3])
{
	static const size_t shapes[][3] = {
		{ 8, 1, 1 }, { 16, 1, 1 }, { 32, 1, 1 }, { 64, 1, 1 },
		{ 128, 1, 1 }, { 4, 4, 1 }, { 8, 4, 1 }, { 16, 4, 1 },
		{ 8, 8, 1 }, { 4, 16, 1 }, { 16, 2, 2 }, { 8, 2, 4 },
	};
	size_t max = st->dev.max_wg, kmax = 0;
	unsigned int s, d;
	int n = 0;

	if (!clGetKernelWorkGroupInfo(L->kernel, st->dev.id,
				      CL_KERNEL_WORK_GROUP_SIZE, sizeof(kmax),
				      &kmax, NULL) && kmax && kmax < max)
		max = kmax;
	for (s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
		size_t prod = 1;
		int ok = 1;

		for (d = 0; d < 3; d++) {
			if (d >= L->dims && shapes[s][d] != 1)
				ok = 0;
			if (shapes[s][d] > st->dev.max_items[d])
				ok = 0;
			prod *= shapes[s][d];
		}
		if (ok && prod <= max && n < Q8T_MAX_CANDS)
			memcpy(c[n++], shapes[s], sizeof(c[0]));
	}
	return n;
}

static void fmt_wg(const size_t *wg, char *buf, size_t len)
{
	struct mnet_cl_layer_cfg cfg = { .vw = 4, .ppt = 1 };

	memcpy(cfg.wg, wg, sizeof(cfg.wg));
	mnet_cl_tune_cfg_format(&cfg, buf, len);
}

/* one layer: fills @res and @e; 0 or -EIO/-ENOMEM */
static int tune_layer(struct mnet_cl_q8_state *st, const struct mnet_model *m,
		      int i, uint8_t *want, uint8_t *got,
		      struct mnet_tune_layer_result *res,
		      struct mnet_tune_entry *e)
{
	const struct mnet_layer *l = &m->layers[i];
	const struct mnet_cl_q8_layer *L = &st->layers[i];
	size_t none[3] = { 0, 0, 0 }, c[Q8T_MAX_CANDS][3], best[3] = { 0 };
	size_t n = mnet_shape_elems(l->out_shape);
	double def, best_ms;
	int k, nc;

	if (layer_bytes(st, l, L, none, want))
		return -EIO;
	def = time_layer(st, L, none);
	if (def < 0)
		return -EIO;
	best_ms = def;
	nc = candidates(st, L, c);
	res->space = nc;
	for (k = 0; k < nc; k++) {
		double t;

		if (layer_bytes(st, l, L, c[k], got)) {
			res->failed++;
			continue;
		}
		if (memcmp(want, got, n)) {
			res->rejected_wrong++;
			if (!res->reject_msg[0])
				snprintf(res->reject_msg, sizeof(res->reject_msg),
					 "wg %zux%zux%zu: output bytes differ",
					 c[k][0], c[k][1], c[k][2]);
			continue;
		}
		t = time_layer(st, L, c[k]);
		if (t < 0) {
			res->failed++;
			continue;
		}
		res->measured++;
		if (t < best_ms) {
			best_ms = t;
			memcpy(best, c[k], sizeof(best));
		}
	}
	res->layer = i;
	res->count = 1;
	snprintf(res->name, sizeof(res->name), "%s", l->name);
	res->op = mnet_op_name(l->op);
	snprintf(res->default_cfg, sizeof(res->default_cfg), "wg=auto");
	res->default_ms = def;
	res->complete = 1;
	if (best[0] && best_ms < 0.97 * def) {
		fmt_wg(best, e->cfg, sizeof(e->cfg));
		res->best_ms = best_ms;
		e->flag = MNET_TUNE_OK;
	} else {
		fmt_wg(none, e->cfg, sizeof(e->cfg));
		res->best_ms = def;
		res->unsure = 1;
		e->flag = MNET_TUNE_UNSURE;
	}
	snprintf(res->best_cfg, sizeof(res->best_cfg), "%s", e->cfg);
	e->median_ms = res->best_ms;
	e->default_ms = def;
	return 0;
}

static int tune_all(struct mnet_backend *be, struct mnet_tune_db *upd,
		    struct mnet_tune_result *r, struct mnet_err *err)
{
	const struct mnet_model *m = be->model;
	struct mnet_cl_q8_state *st = be->priv;
	uint8_t *want = malloc(st->max_elems), *got = malloc(st->max_elems);
	struct mnet_tune_entry *e = calloc(1, sizeof(*e));
	char dev_key[MNET_TUNE_KEY_LEN];
	int i, ret = 0;

	r->layers = calloc((size_t)m->n_layers, sizeof(*r->layers));
	if (!want || !got || !e || !r->layers) {
		ret = mnet_err_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	mnet_cl_tune_device_key(&st->dev, dev_key, sizeof(dev_key));
	for (i = 0; i < m->n_layers; i++) {
		struct mnet_tune_layer_result *res = &r->layers[r->n_layers];

		if (!st->layers[i].kernel)
			continue;
		memset(e, 0, sizeof(*e));
		snprintf(e->dev_key, sizeof(e->dev_key), "%s", dev_key);
		if (mnet_cl_q8_layer_key(m, i, &st->layers[i], e->layer_key,
					 sizeof(e->layer_key)))
			continue;
		if (mnet_tune_db_find(upd, e->dev_key, e->layer_key))
			continue;	/* the same layer seen before */
		ret = tune_layer(st, m, i, want, got, res, e);
		if (!ret)
			ret = mnet_tune_db_put(upd, e);
		if (ret) {
			mnet_err_set(err, ret, "%s: layer %d (%s): int8 tuning failed",
				     m->name, i, m->layers[i].name);
			goto out;
		}
		r->candidates += res->measured + res->rejected_wrong +
				 res->failed;
		r->rejected_wrong += res->rejected_wrong;
		r->n_layers++;
	}
out:
	free(e);
	free(got);
	free(want);
	return ret;
}

int mnet_tuner_q8_run(const struct mnet_model *m,
		      const struct mnet_tuner_opts *o,
		      struct mnet_tune_result *r, struct mnet_err *err)
{
	struct mnet_backend be = { .ops = &mnet_opencl_int8_ops, .model = m };
	struct mnet_cl_q8_state *st;
	struct mnet_tune_db upd;
	double t0 = mnet_now_ms();
	int ret;

	memset(r, 0, sizeof(*r));
	mnet_tune_db_init(&upd);
	if (!mnet_tune_db_path(o->db_path, r->db_path, sizeof(r->db_path)))
		return mnet_err_set(err, -EINVAL,
				    "no tuning database path (set --db, MNET_TUNE_DB or HOME)");
	mnet_session_opts_init(&be.opts);
	be.opts.device = o->device;
	be.opts.precision = MNET_PRECISION_INT8;
	be.opts.tuning_db = "";	/* search from the defaults */
	ret = mnet_model_weights_get(m, "tuner", err);
	if (ret)
		return ret;
	ret = be.ops->init(&be, err);
	if (ret)
		goto out_put;
	st = be.priv;
	snprintf(r->device, sizeof(r->device), "%.120s (%.100s)", st->dev.name,
		 st->dev.driver);
	r->precision = "int8";
	ret = tune_all(&be, &upd, r, err);
	if (!ret) {
		ret = mnet_tune_db_save(r->db_path, &upd, &r->db_rep);
		if (ret)
			mnet_err_set(err, ret, "%s: cannot write the tuning database",
				     r->db_path);
	}
	r->seconds = (mnet_now_ms() - t0) / 1e3;
	be.ops->fini(&be);
out_put:
	mnet_tune_db_fini(&upd);
	mnet_model_weights_put(m);
	return ret;
}

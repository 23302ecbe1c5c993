// SPDX-License-Identifier: Apache-2.0
/*
 * tuner.c - per-layer search over OpenCL kernel configurations
 *
 * DOC: auto-tuner
 *
 * Unit of work: one distinct layer key (cl_tune.c: kernel, source hash,
 * shapes/stride/activation options, precision).  MobileNet repeats many
 * layers (the five 14x14x512 blocks), so each key is tuned once.
 *
 * Search space (&struct mnet_cl_layer_cfg): vector width (channels per
 * work-item: 2/4/8/16 for conv2d, dwconv, pwconv, add), pixels per
 * work-item (pwconv: 1..8), and the work-group: "auto" (NULL local size,
 * the driver chooses) or a power-of-two shape.  Modes:
 *
 *   fast        the default, wg=auto, and for the convolutions a
 *               neighbouring vector width / tile: 2-5 candidates
 *   normal      vw {4,8,16} x ppt {2,4,8} x wg {auto, 16, 64, 256
 *               work-items filled fastest dimension first}
 *   exhaustive  vw {2,4,8,16} x ppt {1..8} x every power-of-two shape up
 *               to the device's limit
 *
 * Shapes beyond CL_DEVICE_MAX_WORK_GROUP_SIZE / MAX_WORK_ITEM_SIZES, the
 * compiled kernel's CL_KERNEL_WORK_GROUP_SIZE, or (softmax) local memory
 * are skipped and counted; so is a dimension larger than the range it
 * tiles (pure padding).
 *
 * Correct before fast: each candidate's first launch is on a random input
 * whose output buffer was filled with NaN; the result is compared with
 * mnet_ref_layer_run() on the same input (rounded to half first in the
 * fp16 modes), max |a - ref| / max |ref| <= 1e-4 (fp32) or 1e-2 (fp16).
 * A failing candidate is rejected (counted, first message kept) and never
 * timed, so it cannot win.
 *
 * Timing: event profiling (end - start) of single launches, each waited
 * for.  After the check run and one more warm-up launch, launches come in
 * batches of 5 until the median moves less than 3% between batches (at
 * least 10 samples) or the mode's cap (15 / 30 / 60 samples, or 1 / 2 / 4
 * s per candidate) is reached.  The median and interquartile range are
 * kept.  If the best candidate's quartile range overlaps the default's,
 * the result is flagged "unsure" and the runtime keeps the default.
 *
 * In-model check: a configuration that wins alone can lose inside the
 * model (cold caches, different neighbours).  After saving, the model runs
 * 15 times with defaults and 15 with the database, interleaved, with
 * event profiling; a tuned key whose summed in-model median is not below
 * the default's is demoted to "unsure" and the file rewritten.
 *
 * Budget: checked before every candidate.  Keys are searched smallest space
 * first, each with an equal share of the time left when its search starts
 * (so small keys finish and hand their rest on to the big ones), and
 * exhaustive lists the normal candidates first, so a budgeted
 * exhaustive run spends each key's share on the normal space before the
 * long tail of work-group shapes; a key cut short keeps its best so far.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CL/cl.h>

#include "cl/cl_cache.h"
#include "cl/cl_device.h"
#include "cl/cl_error.h"
#include "opencl/cl_gemm.h"
#include "opencl/cl_layer.h"
#include "cl/cl_program.h"
#include "tune/cl_tune.h"
#include "support/clock.h"
#include "support/half.h"
#include "reference/ref_layer.h"
#include "tune/tuner.h"

#define MAX_CANDS 4096
#define MAX_SAMPLES 64
#define MAX_PROGS 64

/**
 * struct cand - one candidate configuration
 * @cfg: its knobs
 * @planted: the test hook's wrong candidate (last work-group row left out)
 * @text: @cfg's text form (deduplication)
 */
struct cand {
	struct mnet_cl_layer_cfg cfg;
	int planted;
	char text[MNET_TUNE_CFG_LEN];
};

/**
 * struct meas - timing of one candidate
 * @median: median ms
 * @q1: first quartile
 * @q3: third quartile
 * @n: samples
 */
struct meas {
	double median, q1, q3;
	int n;
};

struct tuner {
	const struct mnet_tuner_opts *o;
	struct mnet_cl_device dev;
	cl_context ctx;
	cl_command_queue q;
	int storage_half, math_half;
	size_t esize;
	double tol;
	double t0, deadline;
	int planted_hook;
	char cache_dir[4096];
	int use_cache;
	char dev_key[MNET_TUNE_KEY_LEN];
	struct mnet_tune_db upd;
	struct mnet_tune_progress prog;
	int sample_cap;
	double cand_cap_ms;
};

/**
 * struct bench - device buffers and reference output of one layer
 */
struct bench {
	const struct mnet_layer *l;
	cl_mem in, in2, out;
	cl_mem w[5], b[5];	/* packed weights per log2(vw) */
	size_t n_out;
	float *ref;
	float *got;
	void *stage;
	cl_program progs[MAX_PROGS];
	char *prog_opts[MAX_PROGS];
	int n_progs;
};

int mnet_tune_mode_parse(const char *s, enum mnet_tune_mode *out)
{
	if (!strcmp(s, "fast"))
		*out = MNET_TUNE_FAST;
	else if (!strcmp(s, "normal"))
		*out = MNET_TUNE_NORMAL;
	else if (!strcmp(s, "exhaustive"))
		*out = MNET_TUNE_EXHAUSTIVE;
	else
		return -EINVAL;
	return 0;
}

void mnet_tune_result_fini(struct mnet_tune_result *r)
{
	free(r->layers);
	r->layers = NULL;
	r->n_layers = 0;
}

static int log2i(int v)
{
	int k = 0;

	while (v > 1) {
		v >>= 1;
		k++;
	}
	return k;
}

static size_t pow2_ceil(size_t n)
{
	size_t p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

static int has_vw(const struct mnet_layer *l)
{
	return l->op == MNET_OP_CONV2D || l->op == MNET_OP_DWCONV2D ||
	       l->op == MNET_OP_PWCONV2D || l->op == MNET_OP_ADD;
}

/* Fill @target work-items fastest dimension first, as the defaults do. */
static void fill_wg(const struct tuner *t, const struct mnet_layer *l,
		    struct mnet_cl_layer_cfg *cfg, size_t target)
{
	size_t g[3];

	mnet_cl_layer_fill_wg(l, &t->dev, target, cfg, g);
}

static int add_cand(struct cand *c, int *n, const struct mnet_cl_layer_cfg *cfg,
		    int planted)
{
	char a[MNET_TUNE_CFG_LEN];
	int i;

	if (*n >= MAX_CANDS)
		return 0;
	mnet_cl_tune_cfg_format(cfg, a, sizeof(a));
	for (i = 0; !planted && i < *n; i++)
		if (!c[i].planted && !strcmp(a, c[i].text))
			return 0;
	c[*n].cfg = *cfg;
	c[*n].planted = planted;
	memcpy(c[*n].text, a, sizeof(a));
	(*n)++;
	return 1;
}

/* Every power-of-two shape up to @maxwg covering the range. */
static void all_shapes(struct cand *c, int *n, const struct mnet_layer *l,
		       struct mnet_cl_layer_cfg base, size_t maxwg)
{
	size_t g[3], x, y, z;
	unsigned int dims = mnet_cl_layer_range(l, &base, g);

	for (x = 1; x <= pow2_ceil(g[0]) && x <= maxwg; x <<= 1)
		for (y = 1; y <= (dims > 1 ? pow2_ceil(g[1]) : 1) &&
			    x * y <= maxwg; y <<= 1)
			for (z = 1; z <= (dims > 2 ? pow2_ceil(g[2]) : 1) &&
				    x * y * z <= maxwg; z <<= 1) {
				base.wg[0] = x;
				base.wg[1] = y;
				base.wg[2] = z;
				add_cand(c, n, &base, 0);
			}
}

/* Append the candidates of @mode (deduplicated against what is there). */
static void gen_mode(const struct tuner *t, const struct mnet_layer *l,
		     const struct mnet_cl_layer_cfg *def, struct cand *c,
		     int *n, enum mnet_tune_mode mode)
{
	static const int vws_n[] = { 4, 8, 16 }, ppts_n[] = { 2, 4, 8 };
	static const size_t wgs_n[] = { 16, 64, 256 };
	struct mnet_cl_layer_cfg cfg;
	size_t maxwg = t->dev.max_wg;
	unsigned int i, j, k;
	int vw, ppt;

	add_cand(c, n, def, 0);
	if (l->op == MNET_OP_SOFTMAX) {
		/* the work-group is a build option: powers of two only */
		for (k = 1; k <= pow2_ceil(l->out_shape.c) && k <= maxwg;
		     k <<= 1) {
			if (mode == MNET_TUNE_FAST && k != 64 && k != 256)
				continue;
			cfg = *def;
			cfg.wg[0] = k;
			add_cand(c, n, &cfg, 0);
		}
		return;
	}
	cfg = *def;
	cfg.wg[0] = cfg.wg[1] = cfg.wg[2] = 0;
	add_cand(c, n, &cfg, 0);
	if (mode == MNET_TUNE_FAST) {
		if (has_vw(l) && def->vw > 4) {
			cfg = *def;
			cfg.vw = def->vw / 2;
			fill_wg(t, l, &cfg, def->wg[0] * def->wg[1] * def->wg[2]);
			add_cand(c, n, &cfg, 0);
		}
		if (l->op == MNET_OP_PWCONV2D) {
			cfg = *def;
			cfg.ppt = def->ppt > 2 ? def->ppt / 2 : 4;
			fill_wg(t, l, &cfg, def->wg[0] * def->wg[1] * def->wg[2]);
			add_cand(c, n, &cfg, 0);
		}
		return;
	}
	for (i = 0; i < (has_vw(l) ? (mode == MNET_TUNE_EXHAUSTIVE ? 4u : 3u) :
			 1u); i++) {
		vw = mode == MNET_TUNE_EXHAUSTIVE ? 2 << i : vws_n[i];
		if (!has_vw(l))
			vw = def->vw;
		for (j = 0; j < (l->op == MNET_OP_PWCONV2D ?
				 (mode == MNET_TUNE_EXHAUSTIVE ? 8u : 3u) : 1u);
		     j++) {
			ppt = l->op != MNET_OP_PWCONV2D ? def->ppt :
			      mode == MNET_TUNE_EXHAUSTIVE ? (int)j + 1 :
			      ppts_n[j];
			cfg = *def;
			cfg.vw = vw;
			cfg.ppt = ppt;
			cfg.wg[0] = cfg.wg[1] = cfg.wg[2] = 0;
			add_cand(c, n, &cfg, 0);
			if (mode == MNET_TUNE_EXHAUSTIVE) {
				all_shapes(c, n, l, cfg, maxwg);
				continue;
			}
			for (k = 0; k < sizeof(wgs_n) / sizeof(wgs_n[0]); k++) {
				if (wgs_n[k] > maxwg)
					continue;
				fill_wg(t, l, &cfg, wgs_n[k]);
				add_cand(c, n, &cfg, 0);
			}
		}
	}
	/* CLBlast compiles for seconds at its first call: not in fast mode */
	if (mnet_cl_gemm_available(l, t->storage_half, t->math_half)) {
		cfg = *def;
		cfg.variant = MNET_CL_VARIANT_GEMM;
		add_cand(c, n, &cfg, 0);
	}
}

/*
 * The candidates of the run's mode, default first.  Exhaustive lists the
 * normal candidates first, so that under a budget it covers at least what
 * normal would before the long tail of work-group shapes.
 */
static void gen_cands(const struct tuner *t, const struct mnet_layer *l,
		      const struct mnet_cl_layer_cfg *def, struct cand *c,
		      int *n)
{
	*n = 0;
	if (t->o->mode == MNET_TUNE_EXHAUSTIVE)
		gen_mode(t, l, def, c, n, MNET_TUNE_NORMAL);
	gen_mode(t, l, def, c, n, t->o->mode);
	if (t->planted_hook)
		add_cand(c, n, def, 1);
}

static void bench_fini(struct bench *b)
{
	int i;

	if (b->in)
		clReleaseMemObject(b->in);
	if (b->in2)
		clReleaseMemObject(b->in2);
	if (b->out)
		clReleaseMemObject(b->out);
	for (i = 0; i < 5; i++) {
		if (b->w[i])
			clReleaseMemObject(b->w[i]);
		if (b->b[i])
			clReleaseMemObject(b->b[i]);
	}
	for (i = 0; i < b->n_progs; i++) {
		clReleaseProgram(b->progs[i]);
		free(b->prog_opts[i]);
	}
	free(b->ref);
	free(b->got);
	free(b->stage);
	memset(b, 0, sizeof(*b));
}

static void fill_random(float *p, size_t n, unsigned int seed)
{
	uint32_t s = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < n; i++) {
		s = s * 1664525u + 1013904223u;
		p[i] = (float)(s >> 8) / (float)(1u << 24) * 2.0f - 1.0f;
	}
}

/* Upload @n floats as the storage type (rounding @src in place for half). */
static int upload(struct tuner *t, float *src, size_t n, cl_mem_flags flags,
		  cl_mem *out, struct mnet_err *err)
{
	uint16_t *h = NULL;
	const void *p = src;
	cl_int rc;

	if (t->storage_half) {
		h = malloc(n * sizeof(*h));
		if (!h)
			return mnet_err_set(err, -ENOMEM, "out of memory");
		mnet_f32_to_f16_array(h, src, n);
		mnet_f16_to_f32_array(src, h, n);
		p = h;
	}
	*out = clCreateBuffer(t->ctx, flags | CL_MEM_COPY_HOST_PTR,
			      n * t->esize, (void *)p, &rc);
	free(h);
	return mnet_cl_check(err, rc, "clCreateBuffer(tuner input)");
}

static int bench_init(struct tuner *t, const struct mnet_layer *l,
		      struct bench *b, struct mnet_err *err)
{
	size_t n_in = mnet_shape_elems(l->in_shape), n2 = 0;
	float *in = NULL, *in2 = NULL;
	cl_int rc;
	int ret;

	memset(b, 0, sizeof(*b));
	b->l = l;
	b->n_out = mnet_shape_elems(l->out_shape);
	if (l->op == MNET_OP_ADD)
		n2 = n_in;
	in = malloc(n_in * sizeof(float));
	in2 = malloc((n2 ? n2 : 1) * sizeof(float));
	b->ref = malloc(b->n_out * sizeof(float));
	b->got = malloc(b->n_out * sizeof(float));
	b->stage = malloc(b->n_out * sizeof(uint16_t));
	if (!in || !in2 || !b->ref || !b->got || !b->stage) {
		ret = mnet_err_set(err, -ENOMEM, "out of memory");
		goto out_free;
	}
	fill_random(in, n_in, 1);
	fill_random(in2, n2 ? n2 : 1, 2);
	ret = upload(t, in, n_in, CL_MEM_READ_ONLY, &b->in, err);
	if (!ret && n2)
		ret = upload(t, in2, n2, CL_MEM_READ_ONLY, &b->in2, err);
	if (ret)
		goto out_free;
	b->out = clCreateBuffer(t->ctx, CL_MEM_READ_WRITE, b->n_out * t->esize,
				NULL, &rc);
	ret = mnet_cl_check(err, rc, "clCreateBuffer(tuner output)");
	if (ret)
		goto out_free;
	/* the oracle, on exactly the values the device sees */
	ret = mnet_ref_layer_run(l, in, in2, b->ref);
	if (ret)
		mnet_err_set(err, ret, "%s: no reference kernel", l->name);
out_free:
	free(in);
	free(in2);
	return ret;
}

static int get_weights(struct tuner *t, struct bench *b,
		       const struct mnet_cl_layer_cfg *cfg, cl_mem *w,
		       cl_mem *bias, struct mnet_err *err)
{
	int k = log2i(cfg->vw);
	float *pw = NULL, *pb = NULL;
	size_t nw, nb;
	int ret;

	if (!b->w[k]) {
		ret = mnet_cl_layer_pack(b->l, cfg, &pw, &nw, &pb, &nb);
		if (ret)
			return mnet_err_set(err, ret, "out of memory");
		ret = upload(t, pw, nw, CL_MEM_READ_ONLY, &b->w[k], err);
		if (!ret)
			ret = upload(t, pb, nb, CL_MEM_READ_ONLY, &b->b[k], err);
		free(pw);
		free(pb);
		if (ret)
			return ret;
	}
	*w = b->w[k];
	*bias = b->b[k];
	return 0;
}

static int get_program(struct tuner *t, struct bench *b,
		       const struct mnet_cl_layer_plan *plan, cl_program *out,
		       struct mnet_err *err)
{
	int i, ret;

	for (i = 0; i < b->n_progs; i++) {
		if (!strcmp(b->prog_opts[i], plan->opts.s)) {
			*out = b->progs[i];
			return 0;
		}
	}
	if (b->n_progs == MAX_PROGS)
		return mnet_err_set(err, -ENOMEM, "too many programs");
	b->prog_opts[b->n_progs] = strdup(plan->opts.s);
	if (!b->prog_opts[b->n_progs])
		return mnet_err_set(err, -ENOMEM, "out of memory");
	ret = mnet_cl_program_build(t->ctx, &t->dev, plan->file, plan->opts.s,
				    t->use_cache ? t->cache_dir : NULL, 0,
				    NULL, out, err);
	if (ret) {
		free(b->prog_opts[b->n_progs]);
		return ret;
	}
	b->progs[b->n_progs++] = *out;
	return 0;
}

/**
 * struct runner - how to launch one candidate
 * @k: its kernel (hand-written variant)
 * @plan: its NDRange
 * @cfg: its configuration
 * @g: the CLBlast variant instead of @k (else NULL)
 * @b: the layer's buffers
 * @planted: the test hook's wrong candidate
 */
struct runner {
	cl_kernel k;
	const struct mnet_cl_layer_plan *plan;
	const struct mnet_cl_layer_cfg *cfg;
	struct mnet_cl_gemm *g;
	struct bench *b;
	int planted;
};

/* One CLBlast launch: marker END to epilogue END. */
static int launch_gemm(struct tuner *t, const struct runner *r, double *ms)
{
	cl_event ev[2] = { NULL, NULL };
	cl_ulong t0, t1;
	cl_int rc;

	if (mnet_cl_gemm_enqueue(r->g, t->q, r->b->in, r->b->out, &ev[0],
				 &ev[1]))
		return -EIO;
	rc = clWaitForEvents(1, &ev[1]);
	if (!rc)
		rc = clGetEventProfilingInfo(ev[0], CL_PROFILING_COMMAND_END,
					     sizeof(t0), &t0, NULL);
	if (!rc)
		rc = clGetEventProfilingInfo(ev[1], CL_PROFILING_COMMAND_END,
					     sizeof(t1), &t1, NULL);
	clReleaseEvent(ev[0]);
	clReleaseEvent(ev[1]);
	if (rc)
		return -EIO;
	*ms = (double)(t1 - t0) * 1e-6;
	return 0;
}

static int launch_kernel(struct tuner *t, cl_kernel k,
			 const struct mnet_cl_layer_plan *plan,
			 const struct mnet_cl_layer_cfg *cfg, int planted,
			 double *ms)
{
	size_t global[3], last = plan->dims - 1;
	cl_ulong t0, t1;
	cl_event ev;
	cl_int rc;

	memcpy(global, plan->global, sizeof(global));
	/*
	 * The test hook: the last work-group row along the slowest dimension
	 * (output rows, pixel blocks) is left out, or nothing is launched at
	 * all when there is only one: faster than the real thing, and wrong,
	 * without ever writing out of bounds.
	 */
	if (planted) {
		size_t step = plan->local[last] ? plan->local[last] : 1;

		if (global[last] <= step) {
			*ms = 0;
			return 0;
		}
		global[last] -= step;
	}
	rc = clEnqueueNDRangeKernel(t->q, k, plan->dims, NULL, global,
				    cfg->wg[0] ? plan->local : NULL, 0, NULL,
				    &ev);
	if (rc)
		return -EIO;
	rc = clWaitForEvents(1, &ev);
	if (!rc)
		rc = clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_START,
					     sizeof(t0), &t0, NULL);
	if (!rc)
		rc = clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END,
					     sizeof(t1), &t1, NULL);
	clReleaseEvent(ev);
	if (rc)
		return -EIO;
	*ms = (double)(t1 - t0) * 1e-6;
	return 0;
}

/* Max |got - ref| / max |ref|; NaN anywhere makes it infinite. */
static double rel_err(const float *got, const float *ref, size_t n)
{
	double m = 0, e = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		double d = fabs((double)got[i] - ref[i]);

		if (!(d == d))
			return INFINITY;
		if (d > e)
			e = d;
		if (fabs(ref[i]) > m)
			m = fabs(ref[i]);
	}
	return e / (m > 1e-30 ? m : 1e-30);
}

static int launch(struct tuner *t, const struct runner *r, int planted,
		  double *ms)
{
	if (r->g)
		return launch_gemm(t, r, ms);
	return launch_kernel(t, r->k, r->plan, r->cfg, planted, ms);
}

static int check_output(struct tuner *t, struct bench *b,
			const struct runner *r, double *rerr)
{
	uint32_t nan = 0xffffffffu;
	double ms;
	cl_int rc;
	int ret;

	rc = clEnqueueFillBuffer(t->q, b->out, &nan, t->esize, 0,
				 b->n_out * t->esize, 0, NULL, NULL);
	if (rc)
		return -EIO;
	ret = launch(t, r, r->planted, &ms);
	if (ret)
		return ret;
	rc = clEnqueueReadBuffer(t->q, b->out, CL_TRUE, 0, b->n_out * t->esize,
				 t->storage_half ? b->stage : (void *)b->got, 0,
				 NULL, NULL);
	if (rc)
		return -EIO;
	if (t->storage_half)
		mnet_f16_to_f32_array(b->got, b->stage, b->n_out);
	*rerr = rel_err(b->got, b->ref, b->n_out);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void stats(const double *s, int n, struct meas *m)
{
	double v[MAX_SAMPLES];

	memcpy(v, s, (size_t)n * sizeof(*v));
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	m->n = n;
	m->median = n & 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
	m->q1 = v[n / 4];
	m->q3 = v[(3 * n) / 4 < n ? (3 * n) / 4 : n - 1];
}

static int measure(struct tuner *t, const struct runner *r, struct meas *m)
{
	double s[MAX_SAMPLES], start = mnet_now_ms(), prev = 0, ms;
	int n = 0, i, ret;

	memset(m, 0, sizeof(*m));
	ret = launch(t, r, 0, &ms);	/* warm-up */
	if (ret)
		return ret;
	while (n + 5 <= t->sample_cap) {
		for (i = 0; i < 5; i++) {
			ret = launch(t, r, 0, &s[n]);
			if (ret)
				return ret;
			n++;
		}
		stats(s, n, m);
		if (n >= 10 && fabs(m->median - prev) <= 0.03 * prev)
			break;
		prev = m->median;
		if (mnet_now_ms() - start > t->cand_cap_ms)
			break;
	}
	return 0;
}

static void progress(struct tuner *t, const struct mnet_layer *l, int layer)
{
	double el = (mnet_now_ms() - t->t0) * 1e-3;

	t->prog.done++;
	t->prog.layer = layer;
	t->prog.layer_name = l->name;
	t->prog.elapsed_s = el;
	t->prog.eta_s = t->prog.done ? el / t->prog.done *
			(t->prog.total - t->prog.done) : 0;
	if (t->o->budget_s > 0 && t->prog.eta_s > t->o->budget_s - el)
		t->prog.eta_s = t->o->budget_s - el > 0 ?
				t->o->budget_s - el : 0;
	if (t->o->progress)
		t->o->progress(&t->prog, t->o->ctx);
}

/*
 * Judge a checked candidate: 0 to time it, 2 when its output was wrong
 * (counted and reported), 1 for a planted candidate that passed (only
 * possible when it had nothing to leave out).
 */
static int verdict(struct tuner *t, const struct cand *c, double rerr,
		   struct mnet_tune_layer_result *res)
{
	char cs[MNET_TUNE_CFG_LEN];

	if (!(rerr <= t->tol)) {
		res->rejected_wrong++;
		if (!res->reject_msg[0]) {
			mnet_cl_tune_cfg_format(&c->cfg, cs, sizeof(cs));
			snprintf(res->reject_msg, sizeof(res->reject_msg),
				 "%s%s: relative error %.3g > %.0e",
				 c->planted ? "planted " : "", cs, rerr,
				 t->tol);
		}
		return 2;
	}
	return c->planted ? 1 : 0;
}

/* The CLBlast variant: same check and timing, its own set-up. */
static int try_gemm(struct tuner *t, struct bench *b, const struct cand *c,
		    struct meas *m, struct mnet_tune_layer_result *res)
{
	struct mnet_err lerr = { 0 };
	struct mnet_cl_gemm g;
	struct runner run;
	double rerr = 0;
	int ret;

	memset(&g, 0, sizeof(g));
	memset(&run, 0, sizeof(run));
	ret = mnet_cl_gemm_init(&g, t->ctx, &t->dev, b->l,
				t->use_cache ? t->cache_dir : NULL, NULL,
				&lerr);
	if (ret == -EOPNOTSUPP)
		ret = 1;
	if (ret)
		goto out_fini;
	run.g = &g;
	run.cfg = &c->cfg;
	run.b = b;
	ret = check_output(t, b, &run, &rerr);
	if (ret)
		goto out_fini;
	ret = verdict(t, c, rerr, res);
	if (!ret)
		ret = measure(t, &run, m);
out_fini:
	mnet_cl_gemm_fini(&g);
	return ret;
}

/*
 * Build, check and time one candidate.  Return 0 with *@m filled when it
 * was measured, 1 when skipped (limits), 2 when rejected as wrong, or a
 * negative errno when it failed to build or run.
 */
static int try_cand(struct tuner *t, struct bench *b, const struct cand *c,
		    struct meas *m, struct mnet_tune_layer_result *res)
{
	const struct mnet_layer *l = b->l;
	struct mnet_cl_layer_plan *plan;
	struct mnet_err lerr = { 0 };
	cl_kernel k = NULL;
	cl_program prog;
	cl_mem args[5], w = NULL, bias = NULL;
	size_t wg, kmax = 0;
	cl_uint na = 0, i;
	struct runner run;
	double rerr = 0;
	cl_int rc;
	int ret, d;

	if (c->cfg.variant == MNET_CL_VARIANT_GEMM)
		return try_gemm(t, b, c, m, res);
	memset(&run, 0, sizeof(run));
	plan = malloc(sizeof(*plan));
	if (!plan)
		return -ENOMEM;
	ret = mnet_cl_layer_plan(l, &c->cfg, t->storage_half, t->math_half,
				 plan);
	if (ret) {
		ret = 1;
		goto out_free;
	}
	wg = c->cfg.wg[0] * c->cfg.wg[1] * c->cfg.wg[2];
	for (d = 0; d < 3; d++)
		if (t->dev.max_items[d] && c->cfg.wg[d] > t->dev.max_items[d])
			wg = SIZE_MAX;
	if (wg > t->dev.max_wg || (l->op == MNET_OP_SOFTMAX &&
				   c->cfg.wg[0] * sizeof(float) >
				   t->dev.local_mem)) {
		ret = 1;
		goto out_free;
	}
	ret = get_program(t, b, plan, &prog, &lerr);
	if (ret)
		goto out_free;
	k = clCreateKernel(prog, plan->kernel, &rc);
	if (rc) {
		ret = -EIO;
		goto out_free;
	}
	rc = clGetKernelWorkGroupInfo(k, t->dev.id, CL_KERNEL_WORK_GROUP_SIZE,
				      sizeof(kmax), &kmax, NULL);
	if (rc || wg > kmax) {
		ret = rc ? -EIO : 1;
		goto out_kernel;
	}
	args[na++] = b->in;
	if (l->op == MNET_OP_ADD)
		args[na++] = b->in2;
	if (plan->has_weights) {
		ret = get_weights(t, b, &c->cfg, &w, &bias, &lerr);
		if (ret)
			goto out_kernel;
		args[na++] = w;
		args[na++] = bias;
	}
	args[na++] = b->out;
	for (i = 0; i < na; i++)
		if (clSetKernelArg(k, i, sizeof(cl_mem), &args[i])) {
			ret = -EIO;
			goto out_kernel;
		}
	run.k = k;
	run.plan = plan;
	run.cfg = &c->cfg;
	run.b = b;
	run.planted = c->planted;
	ret = check_output(t, b, &run, &rerr);
	if (ret)
		goto out_kernel;
	ret = verdict(t, c, rerr, res);
	if (!ret)
		ret = measure(t, &run, m);
out_kernel:
	clReleaseKernel(k);
out_free:
	free(plan);
	return ret;
}



static int over_budget(const struct tuner *t)
{
	return t->deadline > 0 && mnet_now_ms() >= t->deadline;
}

/*
 * Search one key.  Under a budget each key gets an equal share of what is
 * left (@keys_left keys, this one included), so a big space early in the
 * model cannot starve the rest; the default is always measured while the
 * overall budget lasts.
 */
static int tune_layer(struct tuner *t, const struct mnet_layer *l, int idx,
		      struct cand *cands, int nc, int keys_left,
		      struct mnet_tune_layer_result *res, const char *lkey)
{
	struct meas best, def, m;
	struct mnet_cl_layer_cfg best_cfg = cands[0].cfg;
	struct mnet_tune_entry *e;
	struct mnet_err lerr = { 0 };
	struct bench b;
	int i, ret, have_def = 0;
	double now = mnet_now_ms(), share = 0;

	if (t->deadline > 0)
		share = now + (t->deadline - now) / (keys_left > 0 ? keys_left : 1);
	memset(&best, 0, sizeof(best));
	memset(&def, 0, sizeof(def));
	memset(&m, 0, sizeof(m));
	ret = bench_init(t, l, &b, &lerr);
	if (ret) {
		bench_fini(&b);
		return ret;
	}
	res->complete = 1;
	for (i = 0; i < nc; i++) {
		if (over_budget(t) || (i && share > 0 && mnet_now_ms() >= share)) {
			res->complete = 0;
			t->prog.done += nc - i;
			break;
		}
		ret = try_cand(t, &b, &cands[i], &m, res);
		if (ret == 0) {
			res->measured++;
			if (i == 0) {
				def = m;
				have_def = 1;
			}
			if (!best.n || m.median < best.median) {
				best = m;
				best_cfg = cands[i].cfg;
			}
		} else if (ret == 1) {
			res->skipped_limits++;
		} else if (ret < 0) {
			res->failed++;
		}
		progress(t, l, idx);
	}
	bench_fini(&b);
	if (!best.n)
		return 0;	/* nothing measured: no entry */
	res->default_ms = have_def ? def.median : 0;
	res->default_spread = have_def ? def.q3 - def.q1 : 0;
	res->best_ms = best.median;
	res->best_spread = best.q3 - best.q1;
	mnet_cl_tune_cfg_format(&best_cfg, res->best_cfg, sizeof(res->best_cfg));
	/* faster only counts when the quartile ranges do not overlap */
	res->unsure = have_def && strcmp(res->best_cfg, res->default_cfg) &&
		      best.q3 >= def.q1;
	if (!have_def)
		res->unsure = 1;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	snprintf(e->dev_key, sizeof(e->dev_key), "%s", t->dev_key);
	snprintf(e->layer_key, sizeof(e->layer_key), "%s", lkey);
	snprintf(e->cfg, sizeof(e->cfg), "%s", res->best_cfg);
	e->median_ms = best.median;
	e->spread_ms = best.q3 - best.q1;
	e->default_ms = res->default_ms;
	e->flag = res->unsure ? MNET_TUNE_UNSURE : MNET_TUNE_OK;
	ret = mnet_tune_db_put(&t->upd, e);
	free(e);
	return ret;
}

static int tuner_setup(struct tuner *t, struct mnet_err *err)
{
	cl_context_properties props[3];
	cl_int rc;
	int ret;

	ret = mnet_cl_device_select(t->o->device, &t->dev, err);
	if (ret)
		return ret;
	ret = mnet_cl_tune_precision(&t->dev, t->o->precision,
				     &t->storage_half, &t->math_half);
	if (ret)
		return mnet_err_set(err, ret,
				    "OpenCL device %s has no cl_khr_fp16",
				    t->dev.name);
	t->esize = t->storage_half ? 2 : 4;
	t->tol = t->storage_half ? 1e-2 : 1e-4;
	props[0] = CL_CONTEXT_PLATFORM;
	props[1] = (cl_context_properties)t->dev.platform;
	props[2] = 0;
	t->ctx = clCreateContext(props, 1, &t->dev.id, NULL, NULL, &rc);
	if (rc)
		return mnet_cl_check(err, rc, "clCreateContext");
	t->q = clCreateCommandQueue(t->ctx, t->dev.id,
				    CL_QUEUE_PROFILING_ENABLE, &rc);
	if (rc)
		return mnet_cl_check(err, rc, "clCreateCommandQueue");
	mnet_cl_tune_device_key(&t->dev, t->dev_key, sizeof(t->dev_key));
	t->use_cache = mnet_cl_cache_dir(t->cache_dir, sizeof(t->cache_dir));
	t->sample_cap = t->o->mode == MNET_TUNE_FAST ? 15 :
			t->o->mode == MNET_TUNE_NORMAL ? 30 : 60;
	t->cand_cap_ms = t->o->mode == MNET_TUNE_FAST ? 1000 :
			 t->o->mode == MNET_TUNE_NORMAL ? 2000 : 4000;
	{
		const char *h = getenv("MNET_TUNE_PLANT_WRONG");

		t->planted_hook = h && *h && strcmp(h, "0");
	}
	return 0;
}

static double median_of(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n & 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/*
 * In-model check: a configuration that won alone can lose inside the
 * model (its input is no longer in cache, its neighbours' work-groups
 * differ).  Run the model with defaults and with the saved database,
 * interleaved, with event profiling; per tuned key, sum its layers' times
 * per run and compare the medians.  A tuned key that is not faster in the
 * model is demoted to "unsure" (the runtime then keeps the default).
 *
 * Return: the number of demoted keys, or a negative errno.
 */
static int validate_in_model(struct tuner *t, const struct mnet_model *m,
			     struct mnet_tune_result *r,
			     char (*keys)[MNET_TUNE_KEY_LEN],
			     const int *key_of, struct mnet_err *err)
{
	enum { ROUNDS = 15, WARM = 2 };
	struct mnet_session *s[2] = { NULL, NULL };
	struct mnet_session_opts o;
	struct mnet_layer_time *lt;
	size_t n_in = mnet_shape_elems(m->tensors[m->input].shape);
	int nk = r->n_layers, k, rd, i, j, demoted = 0, ret = -ENOMEM;
	double *sum, v[2][ROUNDS];
	float *in;

	in = malloc(n_in * sizeof(*in));
	lt = calloc((size_t)m->n_layers, sizeof(*lt));
	sum = calloc((size_t)2 * ROUNDS * (nk ? nk : 1), sizeof(*sum));
	if (!in || !lt || !sum)
		goto out_free;
	fill_random(in, n_in, 3);
	for (k = 0; k < 2; k++) {
		mnet_session_opts_init(&o);
		o.backend = MNET_BACKEND_OPENCL;
		o.device = t->o->device;
		o.precision = t->o->precision;
		o.tuning_db = k ? r->db_path : "";
		o.profile = 1;
		ret = mnet_session_create(m, &o, &s[k], err);
		if (ret)
			goto out_free;
	}
	for (rd = -WARM; rd < ROUNDS; rd++) {
		for (k = 0; k < 2; k++) {
			ret = mnet_session_run(s[k], in, n_in);
			if (!ret)
				ret = mnet_session_layer_times(s[k], lt);
			if (ret)
				goto out_free;
			for (i = 0; rd >= 0 && i < m->n_layers; i++)
				if (key_of[i] >= 0)
					sum[((size_t)k * ROUNDS + rd) * nk +
					    key_of[i]] += lt[i].ms;
		}
	}
	for (j = 0; j < nk; j++) {
		struct mnet_tune_layer_result *res = &r->layers[j];
		struct mnet_tune_entry *e;

		for (k = 0; k < 2; k++)
			for (rd = 0; rd < ROUNDS; rd++)
				v[k][rd] = sum[((size_t)k * ROUNDS + rd) * nk + j];
		res->model_default_ms = median_of(v[0], ROUNDS);
		res->model_tuned_ms = median_of(v[1], ROUNDS);
		e = (struct mnet_tune_entry *)mnet_tune_db_find(&t->upd,
								t->dev_key,
								keys[j]);
		if (!e || e->flag != MNET_TUNE_OK ||
		    !strcmp(res->best_cfg, res->default_cfg) ||
		    res->model_tuned_ms < res->model_default_ms)
			continue;
		e->flag = MNET_TUNE_UNSURE;
		res->unsure = 1;
		res->demoted = 1;
		demoted++;
	}
	ret = demoted;
out_free:
	mnet_session_destroy(s[0]);
	mnet_session_destroy(s[1]);
	free(sum);
	free(lt);
	free(in);
	return ret;
}

/* Distinct layer keys in model order: @first[i] is the layer of key i. */
static int distinct_layers(struct tuner *t, const struct mnet_model *m,
			   char (*keys)[MNET_TUNE_KEY_LEN], int *first,
			   int *count, int *key_of, int *n)
{
	int i, j, ret;

	*n = 0;
	for (i = 0; i < m->n_layers; i++) {
		key_of[i] = -1;
		ret = mnet_cl_tune_layer_key(&m->layers[i], &t->dev,
					     t->storage_half, t->math_half,
					     keys[*n], MNET_TUNE_KEY_LEN);
		if (ret == -EOPNOTSUPP)
			continue;
		if (ret)
			return ret;
		for (j = 0; j < *n; j++)
			if (!strcmp(keys[j], keys[*n]))
				break;
		key_of[i] = j;
		if (j < *n) {
			count[j]++;
			continue;
		}
		first[*n] = i;
		count[*n] = 1;
		(*n)++;
	}
	return 0;
}

int mnet_tuner_run(const struct mnet_model *m, const struct mnet_tuner_opts *o,
		   struct mnet_tune_result *r, struct mnet_err *err)
{
	char (*keys)[MNET_TUNE_KEY_LEN] = NULL;
	struct cand *cands = NULL;
	int *first = NULL, *count = NULL, *ncs = NULL, *key_of = NULL;
	int *order = NULL;
	struct tuner t;
	int i, j, n = 0, ret;

	memset(r, 0, sizeof(*r));
	ret = mnet_model_weights_get(m, "tuner", err);
	if (ret)
		return ret;
	memset(&t, 0, sizeof(t));
	t.o = o;
	t.t0 = mnet_now_ms();
	t.deadline = o->budget_s > 0 ? t.t0 + o->budget_s * 1e3 : 0;
	mnet_tune_db_init(&t.upd);
	if (!mnet_tune_db_path(o->db_path, r->db_path, sizeof(r->db_path))) {
		ret = mnet_err_set(err, -EINVAL,
				   "no tuning database path (set --db, MNET_TUNE_DB or HOME)");
		goto out_free;
	}
	ret = tuner_setup(&t, err);
	if (ret)
		goto out_free;
	snprintf(r->device, sizeof(r->device), "%.120s (%.100s)", t.dev.name,
		 t.dev.driver);
	r->precision = t.math_half ? "fp16" : t.storage_half ? "fp16-storage" :
		       "fp32";
	keys = calloc((size_t)m->n_layers, sizeof(*keys));
	first = calloc((size_t)m->n_layers, sizeof(*first));
	count = calloc((size_t)m->n_layers, sizeof(*count));
	ncs = calloc((size_t)m->n_layers, sizeof(*ncs));
	key_of = calloc((size_t)m->n_layers, sizeof(*key_of));
	order = calloc((size_t)m->n_layers, sizeof(*order));
	r->layers = calloc((size_t)m->n_layers, sizeof(*r->layers));
	cands = calloc(MAX_CANDS, sizeof(*cands));
	if (!keys || !first || !count || !ncs || !key_of || !order ||
	    !r->layers || !cands) {
		ret = mnet_err_set(err, -ENOMEM, "out of memory");
		goto out_free;
	}
	ret = distinct_layers(&t, m, keys, first, count, key_of, &n);
	if (ret) {
		mnet_err_set(err, ret, "%s: cannot key its layers", m->name);
		goto out_free;
	}
	for (i = 0; i < n; i++) {
		struct mnet_cl_layer_cfg def;

		mnet_cl_layer_cfg_default(&m->layers[first[i]], &t.dev, &def);
		gen_cands(&t, &m->layers[first[i]], &def, cands, &ncs[i]);
		t.prog.total += ncs[i];
		order[i] = i;
	}
	/*
	 * Small spaces first: under a budget they finish within their share
	 * and hand the rest to the big ones.  Results stay in model order.
	 */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && ncs[order[j - 1]] > ncs[order[j]]; j--) {
			int x = order[j];

			order[j] = order[j - 1];
			order[j - 1] = x;
		}
	r->n_layers = n;
	for (j = 0; j < n; j++) {
		const struct mnet_layer *l;
		struct mnet_tune_layer_result *res;
		struct mnet_cl_layer_cfg def;
		int nc;

		i = order[j];
		l = &m->layers[first[i]];
		res = &r->layers[i];
		res->layer = first[i];
		res->count = count[i];
		snprintf(res->name, sizeof(res->name), "%s", l->name);
		res->op = mnet_op_name(l->op);
		mnet_cl_layer_cfg_default(l, &t.dev, &def);
		mnet_cl_tune_cfg_format(&def, res->default_cfg,
					sizeof(res->default_cfg));
		snprintf(res->best_cfg, sizeof(res->best_cfg), "%s",
			 res->default_cfg);
		gen_cands(&t, l, &def, cands, &nc);
		res->space = nc;
		if (over_budget(&t)) {
			r->budget_hit = 1;
			t.prog.done += nc;
			continue;
		}
		ret = tune_layer(&t, l, first[i], cands, nc, n - j, res, keys[i]);
		if (ret) {
			mnet_err_set(err, ret, "%s: tuning failed", l->name);
			goto out_free;
		}
		if (!res->complete)
			r->budget_hit = 1;
		r->candidates += res->measured + res->rejected_wrong +
				 res->skipped_limits + res->failed;
		r->rejected_wrong += res->rejected_wrong;
	}
	r->seconds = (mnet_now_ms() - t.t0) * 1e-3;
	ret = mnet_tune_db_save(r->db_path, &t.upd, &r->db_rep);
	if (ret) {
		mnet_err_set(err, ret, "%s: cannot write the tuning database: %s",
			     r->db_path, strerror(-ret));
		goto out_free;
	}
	ret = validate_in_model(&t, m, r, keys, key_of, err);
	if (ret > 0)	/* entries demoted: write their new flags */
		ret = mnet_tune_db_save(r->db_path, &t.upd, &r->db_rep);
	if (ret < 0)
		mnet_err_set(err, ret, "%s: in-model check failed", m->name);
	ret = ret < 0 ? ret : 0;
out_free:
	free(order);
	free(key_of);
	free(cands);
	free(ncs);
	free(count);
	free(first);
	free(keys);
	mnet_tune_db_fini(&t.upd);
	if (t.q)
		clReleaseCommandQueue(t.q);
	if (t.ctx)
		clReleaseContext(t.ctx);
	if (ret)
		mnet_tune_result_fini(r);
	mnet_model_weights_put(m);
	return ret;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * cpu_exec.c - the CPU backend's run time: layers as jobs on the pool
 *
 * DOC: CPU execution
 *
 * Each layer (or fused pair) is one job of the session's thread pool; each
 * share of a job computes a fixed range of the output (row tiles, weight
 * panels, output rows, channel ranges), never part of a reduction, so the
 * results do not depend on the thread count or on which thread ran a
 * share.  Pooling, softmax, add and reshape are a few microseconds and run
 * on the calling thread.  The mnet_cpu_run_<op>() functions are the "run"
 * entries of the op table (cpu_ops.c).
 */
#include <string.h>

#include "cpu/cpu_exec.h"
#include "reference/ref_layer.h"
#include "scalar/cpu_scalar.h"
#include "threads/threadpool.h"

/* ---- the layer tasks (run on every thread of the pool) ------------------- */

static void split(int total, int tid, int n, int *lo, int *hi)
{
	*lo = (int)((long long)total * tid / n);
	*hi = (int)((long long)total * (tid + 1) / n);
}

static void gemm_setup(const struct mnet_cpu_layer *cl, const float *a, size_t lda,
		       float *c, int m, struct mnet_cpu_gemm *g)
{
	g->a = a;
	g->lda = lda;
	g->w = cl->w;
	g->bias = cl->bias;
	g->c = c;
	g->ldc = (size_t)cl->l->out_shape.c;
	g->res = NULL;
	g->m = m;
	g->n = cl->l->out_shape.c;
	g->k = cl->k;
	g->lo = cl->lo;
	g->hi = cl->hi;
}

/* This thread's rows and panels of a GEMM of @m rows. */
static void gemm_share(const struct mnet_cpu_state *st, const struct mnet_cpu_layer *cl,
		       int m, int tid, int n, int *m0, int *m1, int *p0,
		       int *p1)
{
	int mr = st->kern->mr, tiles = (m + mr - 1) / mr;

	if (cl->split_panels) {
		*m0 = 0;
		*m1 = m;
		split(cl->npanels, tid, n, p0, p1);
		return;
	}
	split(tiles, tid, n, m0, m1);
	*m0 *= mr;
	*m1 = *m1 * mr < m ? *m1 * mr : m;
	*p0 = 0;
	*p1 = cl->npanels;
}

static void task_gemm(struct mnet_cpu_state *st, int tid, int n)
{
	const struct mnet_cpu_layer *cl = st->cur;
	const struct mnet_layer *l = cl->l;
	int m = l->op == MNET_OP_FC ? 1 : l->out_shape.h * l->out_shape.w;
	struct mnet_cpu_gemm g;
	int m0, m1, p0, p1;

	gemm_setup(cl, st->cur_in, (size_t)cl->k, st->cur_out, m, &g);
	g.res = st->cur_res;
	gemm_share(st, cl, m, tid, n, &m0, &m1, &p0, &p1);
	if (m0 < m1 && p0 < p1)
		st->kern->gemm(&g, m0, m1, p0, p1);
}

static void task_conv(struct mnet_cpu_state *st, int tid, int n)
{
	const struct mnet_cpu_layer *cl = st->cur;
	const struct mnet_layer *l = cl->l;
	int m = l->out_shape.h * l->out_shape.w, mr = st->kern->mr;
	int mc = mnet_cpu_gemm_mc(cl->k, mr), tiles = (m + mr - 1) / mr;
	const struct mnet_cpu_conv cv = {
		.in = st->cur_in,
		.ih = l->in_shape.h, .iw = l->in_shape.w, .cin = l->in_shape.c,
		.ow = l->out_shape.w,
		.kh = l->kh, .kw = l->kw, .sh = l->stride_h, .sw = l->stride_w,
		.pt = l->pad_top, .pl = l->pad_left,
	};
	float *scr = st->scratch[tid];
	struct mnet_cpu_gemm g;
	int m0, m1, r;

	split(tiles, tid, n, &m0, &m1);
	m0 *= mr;
	m1 = m1 * mr < m ? m1 * mr : m;
	if (st->kern->conv) {
		gemm_setup(cl, NULL, (size_t)cl->k, st->cur_out, m, &g);
		if (m0 < m1)
			st->kern->conv(&g, &cv, scr, m0, m1);
		return;
	}
	for (r = m0; r < m1; r += mc) {
		int rn = m1 - r < mc ? m1 - r : mc;

		mnet_cpu_im2col(&cv, scr, r, r + rn);
		gemm_setup(cl, scr, (size_t)cl->k,
			   st->cur_out + (size_t)r * l->out_shape.c, rn, &g);
		st->kern->gemm(&g, 0, rn, 0, cl->npanels);
	}
}

static void dw_setup(const struct mnet_cpu_layer *cl, const float *in, float *out,
		     struct mnet_cpu_dw *d)
{
	const struct mnet_layer *l = cl->l;

	*d = (struct mnet_cpu_dw){
		.in = in, .out = out,
		.w = cl->w, .bias = cl->bias,
		.ih = l->in_shape.h, .iw = l->in_shape.w,
		.oh = l->out_shape.h, .ow = l->out_shape.w,
		.c = l->out_shape.c, .c0 = 0, .c1 = l->out_shape.c,
		.cpad = cl->cpad,
		.kh = l->kh, .kw = l->kw, .sh = l->stride_h, .sw = l->stride_w,
		.pt = l->pad_top, .pl = l->pad_left,
		.lo = cl->lo, .hi = cl->hi,
	};
}

static void task_dw(struct mnet_cpu_state *st, int tid, int n)
{
	struct mnet_cpu_dw d;
	int y0, y1;

	dw_setup(st->cur, st->cur_in, st->cur_out, &d);
	split(d.oh, tid, n, &y0, &y1);
	if (y0 < y1)
		st->kern->dwconv(&d, y0, y1);
}

/*
 * A depthwise layer and the 1x1 conv that reads it, in one job: each share
 * takes a band of output rows and, a few rows at a time, runs the
 * depthwise kernel and then the GEMM on exactly those pixels (a 1x1 conv
 * needs nothing else), while they are still in this core's cache.  This
 * saves a barrier and a trip of the depthwise output through L3.  Same
 * kernels and same per-output arithmetic as running the layers apart.
 */
static void task_dw_pw(struct mnet_cpu_state *st, int tid, int n)
{
	const struct mnet_cpu_layer *dl = st->cur, *pl = dl + 1;
	float *mid = st->bufs[st->tensor_buf[dl->l->out]];
	struct mnet_cpu_gemm g;
	struct mnet_cpu_dw d;
	int y0, y1, y, rows;

	dw_setup(dl, st->cur_in, mid, &d);
	gemm_setup(pl, mid, (size_t)pl->k, st->cur_out, d.oh * d.ow, &g);
	g.res = st->cur_res;
	rows = mnet_cpu_gemm_mc(pl->k, st->kern->mr) / d.ow;
	if (rows < 1)
		rows = 1;
	split(d.oh, tid, n, &y0, &y1);
	for (y = y0; y < y1; y += rows) {
		int ye = y + rows < y1 ? y + rows : y1;

		st->kern->dwconv(&d, y, ye);
		st->kern->gemm(&g, y * d.ow, ye * d.ow, 0, pl->npanels);
	}
}

/*
 * A 1x1 conv split over weight panels and the depthwise layer that reads
 * it, in one job: a depthwise channel needs only the same channel of its
 * input, so the share that computed channels [c0, c1) of the 1x1 conv for
 * every pixel runs the depthwise layer on exactly those channels, with no
 * barrier between (the late, small layers, where barriers cost most).
 */
static void task_pw_dw(struct mnet_cpu_state *st, int tid, int n)
{
	const struct mnet_cpu_layer *pl = st->cur, *dl = pl + 1;
	const struct mnet_layer *l = pl->l;
	float *mid = st->bufs[st->tensor_buf[l->out]];
	int m = l->out_shape.h * l->out_shape.w, nr = st->kern->nr, p0, p1;
	struct mnet_cpu_gemm g;
	struct mnet_cpu_dw d;

	split(pl->npanels, tid, n, &p0, &p1);
	if (p0 >= p1)
		return;
	gemm_setup(pl, st->cur_in, (size_t)pl->k, mid, m, &g);
	st->kern->gemm(&g, 0, m, p0, p1);
	dw_setup(dl, mid, st->cur_out, &d);
	d.c0 = p0 * nr;
	d.c1 = p1 * nr < d.c ? p1 * nr : d.c;
	st->kern->dwconv(&d, 0, d.oh);
}

static void run_task(void *arg, int tid, int n)
{
	struct mnet_cpu_state *st = arg;

	st->cur_task(st, tid, n);
}

/* ---- run ----------------------------------------------------------------- */

/* One fork-join job on the pool: every thread runs @task on its share. */
static void run_job(struct mnet_cpu_state *st, const struct mnet_cpu_layer *cl,
		    const float *in, float *out,
		    void (*task)(struct mnet_cpu_state *st, int tid, int n))
{
	st->cur = cl;
	st->cur_in = in;
	st->cur_out = out;
	st->cur_task = task;
	mnet_threadpool_run(st->tp, run_task, st);
}

void mnet_cpu_run_conv(struct mnet_cpu_state *st,
		       const struct mnet_cpu_layer *cl, const float *in,
		       float *out, unsigned int how)
{
	run_job(st, cl, in, out, task_conv);
}

void mnet_cpu_run_pwconv(struct mnet_cpu_state *st,
			 const struct mnet_cpu_layer *cl, const float *in,
			 float *out, unsigned int how)
{
	run_job(st, cl, in, out,
		how & MNET_CPU_RUN_PAIR ? task_pw_dw : task_gemm);
}

void mnet_cpu_run_fc(struct mnet_cpu_state *st,
		     const struct mnet_cpu_layer *cl, const float *in,
		     float *out, unsigned int how)
{
	run_job(st, cl, in, out, task_gemm);
}

void mnet_cpu_run_dwconv(struct mnet_cpu_state *st,
			 const struct mnet_cpu_layer *cl, const float *in,
			 float *out, unsigned int how)
{
	run_job(st, cl, in, out,
		how & MNET_CPU_RUN_PAIR ? task_dw_pw : task_dw);
}

/*
 * Max pool, standalone activations and unfused additions are the reference
 * loops (vectorised by the compiler), split over the pool when big enough
 * to pay for waking it: Xception's and VGG16's are megabytes, and on one
 * thread they were a serial stretch of the multi-thread run.  Below
 * MNET_CPU_SMALL_ELEMS they run on this thread.
 */
#define MNET_CPU_SMALL_ELEMS 65536
#define MNET_CPU_ELEM_ALIGN 64	/* shares start on whole cache lines */

static void elem_split(size_t total, int tid, int n, size_t *lo, size_t *hi)
{
	size_t blocks = (total + MNET_CPU_ELEM_ALIGN - 1) / MNET_CPU_ELEM_ALIGN;

	*lo = blocks * tid / n * MNET_CPU_ELEM_ALIGN;
	*hi = blocks * (tid + 1) / n * MNET_CPU_ELEM_ALIGN;
	if (*lo > total)
		*lo = total;
	if (*hi > total)
		*hi = total;
}

static int is_small(const struct mnet_cpu_layer *cl)
{
	return mnet_shape_elems(cl->l->in_shape) < MNET_CPU_SMALL_ELEMS;
}

static void task_maxpool(struct mnet_cpu_state *st, int tid, int n)
{
	int y0, y1;

	split(st->cur->l->out_shape.h, tid, n, &y0, &y1);
	if (y0 < y1)
		mnet_ref_maxpool_rows(st->cur->l, st->cur_in, st->cur_out, y0, y1);
}

static void task_act(struct mnet_cpu_state *st, int tid, int n)
{
	size_t k0, k1;

	elem_split(mnet_shape_elems(st->cur->l->out_shape), tid, n, &k0, &k1);
	if (k0 < k1)
		mnet_ref_act_range(st->cur->l, st->cur_in, st->cur_out, k0, k1);
}

static void task_add(struct mnet_cpu_state *st, int tid, int n)
{
	const struct mnet_layer *l = st->cur->l;
	size_t k0, k1;

	elem_split(mnet_shape_elems(l->out_shape), tid, n, &k0, &k1);
	if (k0 < k1)
		mnet_ref_add_range(l, st->cur_in, mnet_cpu_tensor(st, l->in2),
				   st->cur_out, k0, k1);
}

/* The other small ops are a few microseconds: the reference, here. */
void mnet_cpu_run_avgpool(struct mnet_cpu_state *st,
			  const struct mnet_cpu_layer *cl, const float *in,
			  float *out, unsigned int how)
{
	mnet_ref_avgpool(cl->l, in, out);
}

void mnet_cpu_run_maxpool(struct mnet_cpu_state *st,
			  const struct mnet_cpu_layer *cl, const float *in,
			  float *out, unsigned int how)
{
	if (is_small(cl))
		mnet_ref_maxpool(cl->l, in, out);
	else
		run_job(st, cl, in, out, task_maxpool);
}

void mnet_cpu_run_act(struct mnet_cpu_state *st,
		      const struct mnet_cpu_layer *cl, const float *in,
		      float *out, unsigned int how)
{
	if (is_small(cl))
		mnet_ref_act(cl->l, in, out);
	else
		run_job(st, cl, in, out, task_act);
}

void mnet_cpu_run_softmax(struct mnet_cpu_state *st,
			  const struct mnet_cpu_layer *cl, const float *in,
			  float *out, unsigned int how)
{
	mnet_ref_softmax(cl->l, in, out);
}

void mnet_cpu_run_reshape(struct mnet_cpu_state *st,
			  const struct mnet_cpu_layer *cl, const float *in,
			  float *out, unsigned int how)
{
	mnet_ref_reshape(cl->l, in, out);
}

void mnet_cpu_run_add(struct mnet_cpu_state *st,
		      const struct mnet_cpu_layer *cl, const float *in,
		      float *out, unsigned int how)
{
	if (is_small(cl))
		mnet_ref_add(cl->l, in, mnet_cpu_tensor(st, cl->l->in2), out);
	else
		run_job(st, cl, in, out, task_add);
}

/* The input copy, split over the pool: it is on every run's critical path. */
static void task_copy(void *arg, int tid, int n)
{
	struct mnet_cpu_state *st = arg;
	size_t lo = st->cur_n * tid / n, hi = st->cur_n * (tid + 1) / n;

	memcpy(st->input + lo, st->cur_in + lo, (hi - lo) * sizeof(float));
}

void mnet_cpu_copy_input(struct mnet_cpu_state *st, const float *input,
			 size_t n)
{
	st->cur_in = input;
	st->cur_n = n;
	mnet_threadpool_run(st->tp, task_copy, st);
}

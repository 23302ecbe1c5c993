// SPDX-License-Identifier: Apache-2.0
/*
 * backend_cpu.c - the fast host CPU backend: SIMD kernels, threads, packed
 * weights, a reused activation arena
 *
 * DOC: CPU backend
 *
 * init() picks a kernel table (host/cpu_kernels.h: AVX-512, AVX2+FMA, NEON
 * or portable C; $MNET_CPU forces one), packs every layer's weights once
 * into the layout its kernel wants, plans the activation memory, allocates
 * per-thread scratch and starts the session's thread pool.  run() only
 * computes.
 *
 * Operators map to kernels as follows: 1x1 convolutions and the fully
 * connected layer are GEMMs over packed weight panels (the pixels of an
 * NHWC tensor are already the rows of A); other full convolutions (the
 * first 3x3/2 layer) im2col a cache-sized block of output pixels into a
 * per-thread scratch buffer and run the same GEMM on it; depthwise
 * convolutions have their own kernel; pooling, softmax, add and reshape
 * are simple loops here (a few microseconds each).
 *
 * Memory plan: a tensor lives from the layer that writes it to its last
 * reader.  Walking the layers in order, each output goes into the first
 * arena buffer whose tensor is dead, else into a new buffer; buffers are
 * sized for the largest tensor they ever hold.  A chain network (V1) needs
 * two buffers (ping-pong); residual blocks (V2) keep a third alive.  The
 * input is copied into its own buffer at each run: that copy is what
 * layer_output() recomputes from.
 *
 * layer_output(): intermediates are overwritten as the arena is reused, so
 * the requested layer is recomputed from the saved input (layers 0 up to
 * it, same kernels, same thread split, hence the same values as the run).
 * That keeps the hot path free of copies at the price of a slower
 * validation call, which is the right trade for a validation-only API.
 *
 * Threads: each layer is one fork-join job on the session's pool.  GEMMs
 * split over row tiles or over weight panels (whichever keeps more data
 * private to a core), depthwise over output rows; no split ever divides a
 * reduction, so outputs are identical for any thread count.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "clock.h"
#include "cpu_kernels.h"
#include "mem_plan.h"
#include "ref.h"
#include "threadpool.h"

#define CPU_ALIGN 64
#define CPU_MAX_THREADS 256

struct cpu_layer {
	const struct mnet_layer *l;
	float *w;		/* packed weights (GEMM panels or depthwise) */
	float *bias;		/* padded bias */
	int k;			/* GEMM reduction length */
	int npanels;		/* GEMM panels */
	int cpad;		/* depthwise padded channels */
	float lo, hi;		/* activation clamp */
	int split_panels;	/* GEMM threads split panels, not rows */
};

struct cpu_state {
	const struct mnet_cpu_kernels *kern;
	struct mnet_threadpool *tp;
	int nthreads;
	struct cpu_layer *layers;
	int n_layers;
	float **bufs;		/* the activation arena */
	int n_bufs;
	int *tensor_buf;	/* tensor -> arena buffer, -1 for the input */
	float *input;		/* copy of the last input */
	float **scratch;	/* per-thread im2col blocks */
	/* the layer being run, for the pool's tasks */
	const struct cpu_layer *cur;
	const float *cur_in, *cur_in2;
	float *cur_out;
};

static void *alloc_aligned(size_t n_floats)
{
	size_t bytes = n_floats * sizeof(float);

	bytes = (bytes + CPU_ALIGN - 1) / CPU_ALIGN * CPU_ALIGN;
	return aligned_alloc(CPU_ALIGN, bytes ? bytes : CPU_ALIGN);
}

static const float *tensor_ptr(const struct cpu_state *st, int t)
{
	return st->tensor_buf[t] < 0 ? st->input : st->bufs[st->tensor_buf[t]];
}

static void act_clamp(enum mnet_act act, float *lo, float *hi)
{
	*lo = act == MNET_ACT_NONE ? -INFINITY : 0.0f;
	*hi = act == MNET_ACT_RELU6 ? 6.0f : INFINITY;
}

/* ---- weight packing ------------------------------------------------------ */

/* [n][k] (row n of k floats) into panels [p][k][nr], zero-padded. */
static int pack_gemm(struct cpu_layer *cl, const float *w, const float *bias,
		     int n, int k, int nr)
{
	int p, kk, j;

	cl->k = k;
	cl->npanels = (n + nr - 1) / nr;
	cl->w = alloc_aligned((size_t)cl->npanels * nr * k);
	cl->bias = alloc_aligned((size_t)cl->npanels * nr);
	if (!cl->w || !cl->bias)
		return -ENOMEM;
	for (p = 0; p < cl->npanels; p++) {
		float *dst = cl->w + (size_t)p * k * nr;

		for (kk = 0; kk < k; kk++)
			for (j = 0; j < nr; j++) {
				int o = p * nr + j;

				dst[(size_t)kk * nr + j] =
					o < n ? w[(size_t)o * k + kk] : 0.0f;
			}
		for (j = 0; j < nr; j++) {
			int o = p * nr + j;

			cl->bias[p * nr + j] = o < n && bias ? bias[o] : 0.0f;
		}
	}
	return 0;
}

static int pack_dw(struct cpu_layer *cl)
{
	const struct mnet_layer *l = cl->l;
	int c = l->out_shape.c, taps = l->kh * l->kw, t, i;

	cl->cpad = (c + MNET_CPU_DW_ALIGN - 1) / MNET_CPU_DW_ALIGN *
		   MNET_CPU_DW_ALIGN;
	cl->w = alloc_aligned((size_t)taps * cl->cpad);
	cl->bias = alloc_aligned((size_t)cl->cpad);
	if (!cl->w || !cl->bias)
		return -ENOMEM;
	for (t = 0; t < taps; t++)
		for (i = 0; i < cl->cpad; i++)
			cl->w[(size_t)t * cl->cpad + i] =
				i < c ? l->weights[(size_t)t * c + i] : 0.0f;
	for (i = 0; i < cl->cpad; i++)
		cl->bias[i] = i < c && l->bias ? l->bias[i] : 0.0f;
	return 0;
}

static int pack_layer(struct cpu_state *st, struct cpu_layer *cl)
{
	const struct mnet_layer *l = cl->l;
	int nr = st->kern->nr;
	size_t m;

	act_clamp(l->act, &cl->lo, &cl->hi);
	switch (l->op) {
	case MNET_OP_CONV2D:
		return pack_gemm(cl, l->weights, l->bias, l->out_shape.c,
				 l->kh * l->kw * l->in_shape.c, nr);
	case MNET_OP_PWCONV2D:
		if (pack_gemm(cl, l->weights, l->bias, l->out_shape.c,
			      l->in_shape.c, nr))
			return -ENOMEM;
		/* weights bigger than the activations: keep weights private */
		m = (size_t)l->out_shape.h * l->out_shape.w;
		cl->split_panels = (size_t)l->out_shape.c > m &&
				   cl->npanels >= st->nthreads;
		return 0;
	case MNET_OP_FC:
		cl->split_panels = 1;
		return pack_gemm(cl, l->weights, l->bias, l->out_shape.c,
				 (int)mnet_shape_elems(l->in_shape), nr);
	case MNET_OP_DWCONV2D:
		return pack_dw(cl);
	default:
		return 0;
	}
}

/* ---- memory plan --------------------------------------------------------- */

static int plan_memory(struct cpu_state *st, const struct mnet_model *m)
{
	int *last = NULL, *held = NULL, i, b, ret = -ENOMEM;
	size_t *size = NULL;

	st->tensor_buf = malloc((size_t)m->n_tensors * sizeof(int));
	last = malloc((size_t)m->n_tensors * sizeof(int));
	/* at most one buffer per layer */
	held = malloc((size_t)m->n_layers * sizeof(int));
	size = calloc((size_t)m->n_layers, sizeof(size_t));
	if (!st->tensor_buf || !last || !held || !size)
		goto out_free;
	for (i = 0; i < m->n_tensors; i++) {
		st->tensor_buf[i] = -1;
		last[i] = -1;
	}
	for (i = 0; i < m->n_layers; i++) {
		last[m->layers[i].in] = i;
		if (m->layers[i].in2 >= 0)
			last[m->layers[i].in2] = i;
	}
	last[m->output] = m->n_layers;
	for (i = 0; i < m->n_layers; i++) {
		int t = m->layers[i].out;

		for (b = 0; b < st->n_bufs && held[b] >= i; b++)
			;
		if (b == st->n_bufs)
			st->n_bufs++;
		held[b] = last[t] > i ? last[t] : i;
		st->tensor_buf[t] = b;
		if (mnet_shape_elems(m->tensors[t].shape) > size[b])
			size[b] = mnet_shape_elems(m->tensors[t].shape);
	}
	st->bufs = calloc((size_t)st->n_bufs, sizeof(*st->bufs));
	if (!st->bufs)
		goto out_free;
	for (b = 0; b < st->n_bufs; b++) {
		st->bufs[b] = alloc_aligned(size[b]);
		if (!st->bufs[b])
			goto out_free;
	}
	st->input = alloc_aligned(mnet_shape_elems(m->tensors[m->input].shape));
	if (!st->input)
		goto out_free;
	ret = 0;
out_free:
	free(size);
	free(held);
	free(last);
	return ret;
}

/* ---- the layer tasks (run on every thread of the pool) ------------------- */

static void split(int total, int tid, int n, int *lo, int *hi)
{
	*lo = (int)((long long)total * tid / n);
	*hi = (int)((long long)total * (tid + 1) / n);
}

static void gemm_setup(const struct cpu_layer *cl, const float *a, size_t lda,
		       float *c, int m, struct mnet_cpu_gemm *g)
{
	g->a = a;
	g->lda = lda;
	g->w = cl->w;
	g->bias = cl->bias;
	g->c = c;
	g->ldc = (size_t)cl->l->out_shape.c;
	g->m = m;
	g->n = cl->l->out_shape.c;
	g->k = cl->k;
	g->lo = cl->lo;
	g->hi = cl->hi;
}

/* This thread's rows and panels of a GEMM of @m rows. */
static void gemm_share(const struct cpu_state *st, const struct cpu_layer *cl,
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

static void task_gemm(struct cpu_state *st, int tid, int n)
{
	const struct cpu_layer *cl = st->cur;
	const struct mnet_layer *l = cl->l;
	int m = l->op == MNET_OP_FC ? 1 : l->out_shape.h * l->out_shape.w;
	struct mnet_cpu_gemm g;
	int m0, m1, p0, p1;

	gemm_setup(cl, st->cur_in, (size_t)cl->k, st->cur_out, m, &g);
	gemm_share(st, cl, m, tid, n, &m0, &m1, &p0, &p1);
	if (m0 < m1 && p0 < p1)
		st->kern->gemm(&g, m0, m1, p0, p1);
}

/*
 * im2col rows [r0, r1) of a full convolution into @dst (K floats a row).
 * A window row inside the input is kw * cin contiguous floats (NHWC), so
 * it is copied with one short loop; only border taps are handled one by
 * one.  (The first layer has cin = 3: library memcpy calls would cost more
 * than the copying.)
 */
static void im2col(const struct mnet_layer *l, const float *in, float *dst,
		   int r0, int r1)
{
	struct mnet_shape is = l->in_shape;
	int ow = l->out_shape.w, seg = l->kw * is.c, r, ky, kx, j;

	for (r = r0; r < r1; r++) {
		int oy = r / ow, ox = r % ow;
		int iy0 = oy * l->stride_h - l->pad_top;
		int ix0 = ox * l->stride_w - l->pad_left;
		int inside = ix0 >= 0 && ix0 + l->kw <= is.w;

		for (ky = 0; ky < l->kh; ky++, dst += seg) {
			int iy = iy0 + ky;
			const float *src;

			if (iy < 0 || iy >= is.h) {
				for (j = 0; j < seg; j++)
					dst[j] = 0.0f;
				continue;
			}
			/* row start; ix0 may be negative, so no pointer is
			 * formed before the tensor (that would be UB) */
			src = in + (size_t)iy * is.w * is.c;
			if (inside) {
				src += (size_t)ix0 * is.c;
				for (j = 0; j < seg; j++)
					dst[j] = src[j];
				continue;
			}
			for (kx = 0; kx < l->kw; kx++) {
				int ix = ix0 + kx;

				for (j = 0; j < is.c; j++)
					dst[kx * is.c + j] =
						ix < 0 || ix >= is.w ? 0.0f :
						src[(size_t)ix * is.c + j];
			}
		}
	}
}

static void task_conv(struct cpu_state *st, int tid, int n)
{
	const struct cpu_layer *cl = st->cur;
	const struct mnet_layer *l = cl->l;
	int m = l->out_shape.h * l->out_shape.w, mr = st->kern->mr;
	int mc = mnet_cpu_gemm_mc(cl->k, mr), tiles = (m + mr - 1) / mr;
	float *scr = st->scratch[tid];
	struct mnet_cpu_gemm g;
	int m0, m1, r;

	split(tiles, tid, n, &m0, &m1);
	m0 *= mr;
	m1 = m1 * mr < m ? m1 * mr : m;
	for (r = m0; r < m1; r += mc) {
		int rn = m1 - r < mc ? m1 - r : mc;

		im2col(l, st->cur_in, scr, r, r + rn);
		gemm_setup(cl, scr, (size_t)cl->k,
			   st->cur_out + (size_t)r * l->out_shape.c, rn, &g);
		st->kern->gemm(&g, 0, rn, 0, cl->npanels);
	}
}

static void task_dw(struct cpu_state *st, int tid, int n)
{
	const struct cpu_layer *cl = st->cur;
	const struct mnet_layer *l = cl->l;
	struct mnet_cpu_dw d = {
		.in = st->cur_in, .out = st->cur_out,
		.w = cl->w, .bias = cl->bias,
		.ih = l->in_shape.h, .iw = l->in_shape.w,
		.oh = l->out_shape.h, .ow = l->out_shape.w,
		.c = l->out_shape.c, .cpad = cl->cpad,
		.kh = l->kh, .kw = l->kw, .sh = l->stride_h, .sw = l->stride_w,
		.pt = l->pad_top, .pl = l->pad_left,
		.lo = cl->lo, .hi = cl->hi,
	};
	int y0, y1;

	split(d.oh, tid, n, &y0, &y1);
	if (y0 < y1)
		st->kern->dwconv(&d, y0, y1);
}

static void layer_task(void *arg, int tid, int n)
{
	struct cpu_state *st = arg;

	switch (st->cur->l->op) {
	case MNET_OP_CONV2D:
		task_conv(st, tid, n);
		break;
	case MNET_OP_PWCONV2D:
	case MNET_OP_FC:
		task_gemm(st, tid, n);
		break;
	case MNET_OP_DWCONV2D:
		task_dw(st, tid, n);
		break;
	default:
		break;
	}
}

/* ---- the small single-threaded ops --------------------------------------- */

static void avgpool(const struct cpu_layer *cl, const float *in, float *out)
{
	const struct mnet_layer *l = cl->l;
	struct mnet_shape is = l->in_shape, os = l->out_shape;
	int oy, ox, ky, kx, c;

	for (oy = 0; oy < os.h; oy++) {
		for (ox = 0; ox < os.w; ox++) {
			float *o = out + ((size_t)oy * os.w + ox) * os.c;
			int cnt = 0;

			for (c = 0; c < os.c; c++)
				o[c] = 0.0f;
			/* taps in the reference's order, channels innermost */
			for (ky = 0; ky < l->kh; ky++) {
				int iy = oy * l->stride_h - l->pad_top + ky;

				if (iy < 0 || iy >= is.h)
					continue;
				for (kx = 0; kx < l->kw; kx++) {
					int ix = ox * l->stride_w - l->pad_left + kx;
					const float *p;

					if (ix < 0 || ix >= is.w)
						continue;
					p = in + ((size_t)iy * is.w + ix) * is.c;
					for (c = 0; c < os.c; c++)
						o[c] += p[c];
					cnt++;
				}
			}
			for (c = 0; c < os.c; c++)
				o[c] = mnet_act_apply(l->act,
						      cnt ? o[c] / cnt : 0.0f);
		}
	}
}

static void add(const struct cpu_layer *cl, const float *a, const float *b,
		float *out)
{
	size_t n = mnet_shape_elems(cl->l->out_shape), i;
	float lo = cl->lo, hi = cl->hi;

	for (i = 0; i < n; i++) {
		float v = a[i] + b[i];

		v = v < hi ? v : hi;
		out[i] = v > lo ? v : lo;
	}
}

/* ---- run ----------------------------------------------------------------- */

static void run_layer(struct cpu_state *st, const struct cpu_layer *cl)
{
	const struct mnet_layer *l = cl->l;
	const float *in = tensor_ptr(st, l->in);
	float *out = st->bufs[st->tensor_buf[l->out]];

	switch (l->op) {
	case MNET_OP_CONV2D:
	case MNET_OP_PWCONV2D:
	case MNET_OP_FC:
	case MNET_OP_DWCONV2D:
		st->cur = cl;
		st->cur_in = in;
		st->cur_out = out;
		mnet_threadpool_run(st->tp, layer_task, st);
		break;
	case MNET_OP_AVGPOOL:
		avgpool(cl, in, out);
		break;
	case MNET_OP_SOFTMAX:
		mnet_ref_softmax(l, in, out);
		break;
	case MNET_OP_ADD:
		add(cl, in, tensor_ptr(st, l->in2), out);
		break;
	case MNET_OP_RESHAPE:
	default:
		memcpy(out, in, mnet_shape_elems(l->out_shape) * sizeof(*out));
		break;
	}
}

static int cpu_run(struct mnet_backend *be, const float *input, float *output,
		   struct mnet_layer_time *times)
{
	const struct mnet_model *m = be->model;
	struct cpu_state *st = be->priv;
	int i;

	memcpy(st->input, input,
	       mnet_shape_elems(m->tensors[m->input].shape) * sizeof(float));
	for (i = 0; i < st->n_layers; i++) {
		double t0 = mnet_now_ms();

		run_layer(st, &st->layers[i]);
		times[i].ms = mnet_now_ms() - t0;
		times[i].backend = "cpu";
		times[i].config = "";
	}
	memcpy(output, tensor_ptr(st, m->output),
	       mnet_shape_elems(m->tensors[m->output].shape) * sizeof(float));
	return 0;
}

static int cpu_layer_output(struct mnet_backend *be, int layer, float *dst,
			    size_t count)
{
	const struct mnet_model *m = be->model;
	struct cpu_state *st = be->priv;
	int t = m->layers[layer].out, i;
	size_t n = mnet_shape_elems(m->tensors[t].shape);

	if (count < n)
		return -EINVAL;
	/* the arena was reused: recompute up to @layer from the saved input */
	for (i = 0; i <= layer; i++)
		run_layer(st, &st->layers[i]);
	memcpy(dst, tensor_ptr(st, t), n * sizeof(float));
	return 0;
}

/* ---- init / fini --------------------------------------------------------- */

static void cpu_fini(struct mnet_backend *be)
{
	struct cpu_state *st = be->priv;
	int i;

	if (!st)
		return;
	mnet_threadpool_destroy(st->tp);
	if (st->scratch)
		for (i = 0; i < st->nthreads; i++)
			free(st->scratch[i]);
	free(st->scratch);
	if (st->layers)
		for (i = 0; i < st->n_layers; i++) {
			free(st->layers[i].w);
			free(st->layers[i].bias);
		}
	free(st->layers);
	if (st->bufs)
		for (i = 0; i < st->n_bufs; i++)
			free(st->bufs[i]);
	free(st->bufs);
	free(st->tensor_buf);
	free(st->input);
	free(st);
	be->priv = NULL;
}

static int cpu_probe(const struct mnet_session_opts *opts,
		     struct mnet_err *err)
{
	return 0;
}

static int pick_threads(const struct mnet_session_opts *opts)
{
	long n = opts->threads;

	if (n <= 0)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	return n > CPU_MAX_THREADS ? CPU_MAX_THREADS : (int)n;
}

static int cpu_init(struct mnet_backend *be, struct mnet_err *err)
{
	const struct mnet_model *m = be->model;
	const char *want = getenv("MNET_CPU");
	struct cpu_state *st;
	size_t scr = 0;
	int i, ret;

	st = calloc(1, sizeof(*st));
	if (!st)
		return mnet_err_set(err, -ENOMEM, "cpu: out of memory");
	be->priv = st;
	st->kern = mnet_cpu_kernels_get(want);
	if (!st->kern) {
		ret = mnet_err_set(err, -ENODEV,
				   "cpu: MNET_CPU=%s: no such kernel set in this build, or this CPU cannot run it (try auto, scalar%s)",
				   want,
#if defined(__x86_64__)
				   ", avx2, avx512"
#elif defined(__aarch64__)
				   ", neon"
#else
				   ""
#endif
				   );
		goto out_fini;
	}
	st->nthreads = pick_threads(&be->opts);
	st->n_layers = m->n_layers;
	st->layers = calloc((size_t)m->n_layers, sizeof(*st->layers));
	if (!st->layers)
		goto out_nomem;
	for (i = 0; i < m->n_layers; i++) {
		struct cpu_layer *cl = &st->layers[i];

		cl->l = &m->layers[i];
		if (pack_layer(st, cl))
			goto out_nomem;
		if (cl->l->op == MNET_OP_CONV2D) {
			size_t s = (size_t)mnet_cpu_gemm_mc(cl->k, st->kern->mr) *
				   cl->k;

			if (s > scr)
				scr = s;
		}
	}
	if (plan_memory(st, m))
		goto out_nomem;
	st->scratch = calloc((size_t)st->nthreads, sizeof(*st->scratch));
	if (!st->scratch)
		goto out_nomem;
	for (i = 0; scr && i < st->nthreads; i++) {
		st->scratch[i] = alloc_aligned(scr);
		if (!st->scratch[i])
			goto out_nomem;
	}
	ret = mnet_threadpool_create(st->nthreads, &st->tp);
	if (ret) {
		mnet_err_set(err, ret, "cpu: cannot start %d threads",
			     st->nthreads);
		goto out_fini;
	}
	snprintf(be->name, sizeof(be->name), "cpu-%s", st->kern->name);
	snprintf(be->device, sizeof(be->device),
		 "host CPU, %s kernels, %d thread%s", st->kern->name,
		 st->nthreads, st->nthreads > 1 ? "s" : "");
	return 0;

out_nomem:
	ret = mnet_err_set(err, -ENOMEM, "cpu: %s: out of memory packing weights",
			   m->name);
out_fini:
	cpu_fini(be);
	return ret;
}

static uint64_t aligned_bytes(uint64_t n_floats)
{
	uint64_t b = n_floats * sizeof(float);

	return b ? (b + CPU_ALIGN - 1) / CPU_ALIGN * CPU_ALIGN : CPU_ALIGN;
}

/*
 * What cpu_init() allocates, from the same formulas: packed GEMM panels
 * and depthwise taps, per-thread im2col scratch, the saved input and the
 * activation arena.  The arena comes from mem_plan.c's liveness plan
 * (which shares a reshape's buffer with its input, where plan_memory()
 * gives it one of its own: a 1x1xC vector, lost in the rounding).
 */
static uint64_t cpu_footprint(const struct mnet_backend *be)
{
	const struct mnet_model *m = be->model;
	const struct mnet_cpu_kernels *kern;
	struct mnet_mem_plan mp;
	uint64_t bytes, scr = 0;
	int i, nthreads, nr;

	kern = mnet_cpu_kernels_get(getenv("MNET_CPU"));
	if (!kern || mnet_mem_plan_build(m, 1, &mp))
		return 0;	/* init() reports it */
	nr = kern->nr;
	nthreads = pick_threads(&be->opts);
	bytes = sizeof(struct cpu_state) +
		(uint64_t)m->n_layers * sizeof(struct cpu_layer) +
		(uint64_t)m->n_tensors * sizeof(int);
	for (i = 0; i < m->n_layers; i++) {
		const struct mnet_layer *l = &m->layers[i];
		uint64_t n = (uint64_t)l->out_shape.c, k = 0, panels, cpad;

		switch (l->op) {
		case MNET_OP_CONV2D:
			k = (uint64_t)l->kh * l->kw * l->in_shape.c;
			if ((uint64_t)mnet_cpu_gemm_mc((int)k, kern->mr) * k > scr)
				scr = (uint64_t)mnet_cpu_gemm_mc((int)k,
								 kern->mr) * k;
			break;
		case MNET_OP_PWCONV2D:
			k = (uint64_t)l->in_shape.c;
			break;
		case MNET_OP_FC:
			k = mnet_shape_elems(l->in_shape);
			break;
		case MNET_OP_DWCONV2D:
			cpad = (n + MNET_CPU_DW_ALIGN - 1) / MNET_CPU_DW_ALIGN *
			       MNET_CPU_DW_ALIGN;
			bytes += aligned_bytes((uint64_t)l->kh * l->kw * cpad) +
				 aligned_bytes(cpad);
			continue;
		default:
			continue;
		}
		panels = (n + (uint64_t)nr - 1) / (uint64_t)nr;
		bytes += aligned_bytes(panels * nr * k) +
			 aligned_bytes(panels * nr);
	}
	for (i = 0; i < mp.n_bufs; i++)
		bytes += aligned_bytes(mp.buf_elems[i]);
	if (scr)
		bytes += (uint64_t)nthreads * aligned_bytes(scr);
	bytes += (uint64_t)nthreads * sizeof(float *);
	mnet_mem_plan_fini(&mp);
	return bytes;
}

const struct mnet_backend_ops mnet_backend_cpu_ops = {
	.name = "cpu",
	.kind = MNET_BACKEND_CPU,
	.probe = cpu_probe,
	.init = cpu_init,
	.fini = cpu_fini,
	.run = cpu_run,
	.layer_output = cpu_layer_output,
	.footprint = cpu_footprint,
};

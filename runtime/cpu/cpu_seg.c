// SPDX-License-Identifier: Apache-2.0
/*
 * cpu_seg.c - the CPU backend's segmentation ops: dilated depthwise,
 * RESIZE_BILINEAR, CONCATENATION, ARG_MAX (float and int8)
 *
 * DOC: dilated depthwise on the CPU
 *
 * DeepLab's atrous layers (3x3, dilation 2, stride 1) run through the
 * depthwise kernels the other layers use, fast and already tested: the
 * output pixels of one phase (row and column modulo the dilation) read
 * the input pixels of one phase only, spaced by the dilation, so copying
 * those out as a dense tensor (dh * dw of them, a quarter of the pixels
 * each for dilation 2) turns the layer into dh * dw undilated
 * convolutions (space-to-batch, as TensorFlow itself computes atrous
 * convolutions).  The gather and scatter copy each pixel once; the
 * arithmetic per output value is the undilated kernel's, the same taps
 * in the same order as the reference's.  Both the float and the int8
 * path use it.
 *
 * DOC: CPU resize and arg-max
 *
 * DeepLab ends in a 33x33 -> 513x513 resize of 21 channels and an
 * arg-max over them: 5.5 M interpolated values, most of the time its
 * int8 graph spends outside the convolutions.  The resize computes what
 * host/ref_q/q_resize.c does, in the same float operations, with the
 * products shared: TFLite's sum is ((p00 * (1-dy)) * (1-dx)) + ((p10 *
 * dy) * (1-dx)) + ((p01 * (1-dy)) * dx) + ((p11 * dy) * dx) + 0.5, so
 * p * (1-dy) and p * dy, rounded as there, are taken once per input pixel
 * of the two rows an output row reads, and each output value is then
 * four products and four sums in that order: the same bytes with half
 * the multiplies, and the columns' taps and weights from a table.  That
 * row loop is the kernel set's where it has one (@q8_resize_row: 16
 * channels at a time on AVX-512), else the portable one here.  The
 * output rows (and the arg-max's pixels) split over the threads.
 * The float resize is the same loop over floats (the reference's
 * products and sums, so the same values), the float arg-max the
 * reference's first maximum; CONCATENATION is two copies per pixel.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu_seg.h"
#include "ref/ref_kernels.h"
#include "cpu/cpu_pack.h"

#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

/* ---- dilated depthwise as sub-grids ------------------------------------- */

/* How many of 0..n-1 are congruent to @r modulo @d (0 <= r < d). */
static int phase_len(int n, int r, int d)
{
	return n > r ? (n - r + d - 1) / d : 0;
}

void mnet_cpu_dil_grid(int ih, int iw, int oh, int ow, int dh, int dw,
		       int pt, int pl, int py, int px,
		       struct mnet_cpu_dil_grid *g)
{
	/* input row of output row py + dh*j, tap i: (py - pt) + dh*(j + i) */
	int ry = ((py - pt) % dh + dh) % dh, rx = ((px - pl) % dw + dw) % dw;

	g->iy = ry;
	g->ix = rx;
	g->oy = py;
	g->ox = px;
	g->ih = phase_len(ih, ry, dh);
	g->iw = phase_len(iw, rx, dw);
	g->oh = phase_len(oh, py, dh);
	g->ow = phase_len(ow, px, dw);
	/* py - pt = ry - dh * pt'  (pt >= 0, py < dh: pt' >= 0) */
	g->pt = (ry - (py - pt)) / dh;
	g->pl = (rx - (px - pl)) / dw;
}

void mnet_cpu_dil_gather(const struct mnet_cpu_dil_grid *g, const void *in,
			 int iw, size_t px_bytes, int dh, int dw, void *sub)
{
	const unsigned char *src = in;
	unsigned char *dst = sub;
	int y, x;

	for (y = 0; y < g->ih; y++) {
		const unsigned char *row = src + ((size_t)(g->iy + y * dh) * iw +
						  g->ix) * px_bytes;

		for (x = 0; x < g->iw; x++) {
			memcpy(dst, row + (size_t)x * dw * px_bytes, px_bytes);
			dst += px_bytes;
		}
	}
}

void mnet_cpu_dil_scatter(const struct mnet_cpu_dil_grid *g, const void *sub,
			  int ow, size_t px_bytes, int dh, int dw, void *out)
{
	const unsigned char *src = sub;
	unsigned char *dst = out;
	int y, x;

	for (y = 0; y < g->oh; y++) {
		unsigned char *row = dst + ((size_t)(g->oy + y * dh) * ow +
					    g->ox) * px_bytes;

		for (x = 0; x < g->ow; x++) {
			memcpy(row + (size_t)x * dw * px_bytes, src, px_bytes);
			src += px_bytes;
		}
	}
}

size_t mnet_cpu_dil_max_px(int h, int w, int dh, int dw)
{
	return (size_t)((h + dh - 1) / dh) * (size_t)((w + dw - 1) / dw);
}

/* ---- int8 resize and arg-max (backend_cpu_q.c) ------------------------- */

struct q_resize {
	struct mnet_qk_resize p;
	void (*row)(const struct mnet_cpu_q8_resize_row *r);
	int *x0, *x1, *y0, *y1;
	float *wx0, *wx1, *wy0, *wy1;	/* 1 - d and d */
	float *rows;			/* per thread: 2 rows of iw * c */
	const uint8_t *in;
	uint8_t *out;
	int nthreads;
};

static void resize_row(const struct mnet_cpu_q8_resize_row *r);

int mnet_cpu_q_resize_setup(const struct mnet_cpu_kernels *kern,
			    const struct mnet_qk_resize *p, int nthreads,
			    void **mem)
{
	size_t row = (size_t)p->iw * p->c, n = (size_t)p->oh + p->ow;
	float sx = mnet_qk_resize_scale(p->iw, p->ow, p->align_corners);
	float sy = mnet_qk_resize_scale(p->ih, p->oh, p->align_corners);
	struct q_resize *r;
	int i;

	r = malloc(sizeof(*r) + n * 2 * (sizeof(int) + sizeof(float)) +
		   (size_t)nthreads * 2 * row * sizeof(float));
	if (!r)
		return -ENOMEM;
	r->p = *p;
	r->row = kern && kern->q8_resize_row ? kern->q8_resize_row :
					       resize_row;
	r->nthreads = nthreads;
	r->wx0 = (float *)(r + 1);
	r->wx1 = r->wx0 + p->ow;
	r->wy0 = r->wx1 + p->ow;
	r->wy1 = r->wy0 + p->oh;
	r->rows = r->wy1 + p->oh;
	r->x0 = (int *)(r->rows + (size_t)nthreads * 2 * row);
	r->x1 = r->x0 + p->ow;
	r->y0 = r->x1 + p->ow;
	r->y1 = r->y0 + p->oh;
	for (i = 0; i < p->ow; i++) {
		float v;

		mnet_qk_resize_coord(i, sx, p->half_pixel, p->iw, &v,
				     &r->x0[i], &r->x1[i]);
		r->wx1[i] = v - (float)r->x0[i];
		r->wx0[i] = 1.0f - r->wx1[i];
	}
	for (i = 0; i < p->oh; i++) {
		float v;

		mnet_qk_resize_coord(i, sy, p->half_pixel, p->ih, &v,
				     &r->y0[i], &r->y1[i]);
		r->wy1[i] = v - (float)r->y0[i];
		r->wy0[i] = 1.0f - r->wy1[i];
	}
	*mem = r;
	return 0;
}

/* One output row from its two weighted input rows (the portable loop). */
static void resize_row(const struct mnet_cpu_q8_resize_row *r)
{
	const int nc = r->c, ow = r->ow;	/* not re-read after stores */
	uint8_t *o = r->out;
	int x, c;

	for (x = 0; x < ow; x++) {
		const float *a0 = r->t0 + (size_t)r->x0[x] * nc;
		const float *b0 = r->t1 + (size_t)r->x0[x] * nc;
		const float *a1 = r->t0 + (size_t)r->x1[x] * nc;
		const float *b1 = r->t1 + (size_t)r->x1[x] * nc;
		float u = r->wx0[x], v = r->wx1[x];

		for (c = 0; c < nc; c++)
			o[c] = (uint8_t)(int)(a0[c] * u + b0[c] * u +
					      a1[c] * v + b1[c] * v + 0.5f);
		o += nc;
	}
}

static void resize_rows(const struct q_resize *r, float *t0, int ya, int yb)
{
	const struct mnet_qk_resize *p = &r->p;
	size_t row = (size_t)p->iw * p->c, k;
	struct mnet_cpu_q8_resize_row rr = {
		.t0 = t0, .t1 = t0 + row, .x0 = r->x0, .x1 = r->x1,
		.wx0 = r->wx0, .wx1 = r->wx1, .ow = p->ow, .c = p->c,
	};
	float *t1 = t0 + row;
	int y;

	for (y = ya; y < yb; y++) {
		const uint8_t *a = r->in + (size_t)r->y0[y] * row;
		const uint8_t *b = r->in + (size_t)r->y1[y] * row;
		float wa = r->wy0[y], wb = r->wy1[y];

		for (k = 0; k < row; k++) {
			t0[k] = (float)a[k] * wa;
			t1[k] = (float)b[k] * wb;
		}
		rr.out = r->out + (size_t)y * p->ow * p->c;
		r->row(&rr);
	}
}

static void resize_task(void *arg, int tid, int n)
{
	const struct q_resize *r = arg;
	int ya = (int)((long)r->p.oh * tid / n);
	int yb = (int)((long)r->p.oh * (tid + 1) / n);

	if (ya < yb)
		resize_rows(r, r->rows + (size_t)tid * 2 * r->p.iw * r->p.c,
			    ya, yb);
}

void mnet_cpu_q_resize_run(struct mnet_threadpool *pool, int nthreads,
			   void *mem, const uint8_t *in, uint8_t *out)
{
	struct q_resize *r = mem;

	r->in = in;
	r->out = out;
	if (pool && nthreads > 1 && r->p.oh > 1)
		mnet_threadpool_run(pool, resize_task, r);
	else
		resize_task(r, 0, 1);
}

struct argmax_job {
	size_t npx;
	int c, is_signed;
	const uint8_t *in;
	uint8_t *out;
};

/*
 * The largest value first (a branch-free reduction the compiler
 * vectorizes), then the first byte that holds it: the first maximum, as
 * mnet_qk_argmax() finds it.
 */
static void argmax_u8(const uint8_t *in, size_t npx, int c, uint8_t *out)
{
	size_t p;
	int k;

	for (p = 0; p < npx; p++, in += c) {
		uint8_t m = in[0];

		for (k = 1; k < c; k++)
			m = in[k] > m ? in[k] : m;
		out[p] = (uint8_t)((const uint8_t *)memchr(in, m, (size_t)c) -
				   in);
	}
}

static void argmax_s8(const uint8_t *in, size_t npx, int c, uint8_t *out)
{
	size_t p;
	int k;

	for (p = 0; p < npx; p++, in += c) {
		const int8_t *v = (const int8_t *)in;
		int8_t m = v[0];

		for (k = 1; k < c; k++)
			m = v[k] > m ? v[k] : m;
		out[p] = (uint8_t)((const uint8_t *)memchr(in, (uint8_t)m,
							   (size_t)c) - in);
	}
}

static void argmax_task(void *arg, int tid, int n)
{
	const struct argmax_job *j = arg;
	size_t a = j->npx * (size_t)tid / (size_t)n;
	size_t b = j->npx * (size_t)(tid + 1) / (size_t)n;

	if (a >= b)
		return;
	if (j->is_signed)
		argmax_s8(j->in + a * (size_t)j->c, b - a, j->c, j->out + a);
	else
		argmax_u8(j->in + a * (size_t)j->c, b - a, j->c, j->out + a);
}

void mnet_cpu_q_argmax_run(struct mnet_threadpool *pool, int nthreads,
			   size_t npx, int c, int is_signed, const uint8_t *in,
			   uint8_t *out)
{
	struct argmax_job j = { npx, c, is_signed, in, out };

	if (pool && nthreads > 1 && npx >= 4096)
		mnet_threadpool_run(pool, argmax_task, &j);
	else
		argmax_task(&j, 0, 1);
}

/* ---- float ops (cpu_ops.c) ---------------------------------------------- */

/* One sub-grid of a dilated layer, its output rows over the pool. */
struct dil_job {
	const struct mnet_cpu_kernels *kern;
	struct mnet_cpu_dw d;
};

static void dil_task(void *arg, int tid, int n)
{
	struct dil_job *j = arg;
	int y0 = (int)((long)j->d.oh * tid / n);
	int y1 = (int)((long)j->d.oh * (tid + 1) / n);

	if (y0 < y1)
		j->kern->dwconv(&j->d, y0, y1);
}

/* One sub-grid's pixels, with room for a kernel's whole-vector tail. */
static size_t dil_sub_floats(const struct mnet_layer *l, int out)
{
	const struct mnet_shape *s = out ? &l->out_shape : &l->in_shape;

	return mnet_cpu_dil_max_px(s->h, s->w, l->dil_h, l->dil_w) *
	       (size_t)l->out_shape.c + 64;
}

int mnet_cpu_pack_dwconv_dil(struct mnet_cpu_state *st,
			     struct mnet_cpu_layer *cl)
{
	if (cl->l->stride_h != 1 || cl->l->stride_w != 1)
		return -EOPNOTSUPP;	/* no sub-grids: not supported */
	return mnet_cpu_pack_dwconv(st, cl);
}

size_t mnet_cpu_scratch_dwconv_dil(const struct mnet_cpu_kernels *kern,
				   const struct mnet_layer *l)
{
	return dil_sub_floats(l, 0) + dil_sub_floats(l, 1);
}

void mnet_cpu_run_dwconv_dil(struct mnet_cpu_state *st,
			     const struct mnet_cpu_layer *cl, const float *in,
			     float *out, unsigned int how)
{
	const struct mnet_layer *l = cl->l;
	size_t px = (size_t)l->out_shape.c * sizeof(float);
	float *sub = st->scratch[0], *sub_out = sub + dil_sub_floats(l, 0);
	struct dil_job j = { .kern = st->kern };
	struct mnet_cpu_dil_grid g;
	int py, pxh;

	for (py = 0; py < l->dil_h; py++)
		for (pxh = 0; pxh < l->dil_w; pxh++) {
			mnet_cpu_dil_grid(l->in_shape.h, l->in_shape.w,
					  l->out_shape.h, l->out_shape.w,
					  l->dil_h, l->dil_w, l->pad_top,
					  l->pad_left, py, pxh, &g);
			if (!g.oh || !g.ow)
				continue;
			mnet_cpu_dil_gather(&g, in, l->in_shape.w, px, l->dil_h,
					    l->dil_w, sub);
			j.d = (struct mnet_cpu_dw){
				.in = sub, .out = sub_out,
				.w = cl->w, .bias = cl->bias,
				.ih = g.ih, .iw = g.iw, .oh = g.oh, .ow = g.ow,
				.c = l->out_shape.c, .c0 = 0,
				.c1 = l->out_shape.c, .cpad = cl->cpad,
				.kh = l->kh, .kw = l->kw, .sh = 1, .sw = 1,
				.pt = g.pt, .pl = g.pl,
				.lo = cl->lo, .hi = cl->hi,
			};
			mnet_threadpool_run(st->tp, dil_task, &j);
			mnet_cpu_dil_scatter(&g, sub_out, l->out_shape.w, px,
					     l->dil_h, l->dil_w, out);
		}
}

size_t mnet_cpu_scratch_resize(const struct mnet_cpu_kernels *kern,
			       const struct mnet_layer *l)
{
	return 2 * (size_t)l->in_shape.w * l->in_shape.c +
	       4 * (size_t)l->out_shape.w + 16;
}

struct resize_job {
	struct mnet_cpu_state *st;
	const struct mnet_layer *l;
	const float *in;
	float *out;
};

/*
 * Output rows [@ya, @yb) as host/ref/resize.c computes them, its
 * products p * (1 - dy) and p * dy shared by the row's columns.
 */
static void resize_f32_rows(const struct resize_job *j, float *t0, int ya,
			    int yb)
{
	const struct mnet_layer *l = j->l;
	const int ih = l->in_shape.h, iw = l->in_shape.w, nc = l->in_shape.c;
	const int oh = l->out_shape.h, ow = l->out_shape.w;
	size_t row = (size_t)iw * nc, k;
	float *t1 = t0 + row, *wx0 = t1 + row, *wx1 = wx0 + ow;
	int *x0 = (int *)(wx1 + ow), *x1 = x0 + ow;
	float sx = mnet_qk_resize_scale(iw, ow, l->align_corners);
	float sy = mnet_qk_resize_scale(ih, oh, l->align_corners);
	int y, x, c;

	for (x = 0; x < ow; x++) {
		float v;

		mnet_qk_resize_coord(x, sx, l->half_pixel, iw, &v, &x0[x],
				     &x1[x]);
		wx1[x] = v - (float)x0[x];
		wx0[x] = 1.0f - wx1[x];
	}
	for (y = ya; y < yb; y++) {
		const float *a, *b;
		float *o = j->out + (size_t)y * ow * nc, v, wa, wb;
		int y0, y1;

		mnet_qk_resize_coord(y, sy, l->half_pixel, ih, &v, &y0, &y1);
		wb = v - (float)y0;
		wa = 1.0f - wb;
		a = j->in + (size_t)y0 * row;
		b = j->in + (size_t)y1 * row;
		for (k = 0; k < row; k++) {
			t0[k] = a[k] * wa;
			t1[k] = b[k] * wb;
		}
		for (x = 0; x < ow; x++) {
			const float *a0 = t0 + (size_t)x0[x] * nc;
			const float *b0 = t1 + (size_t)x0[x] * nc;
			const float *a1 = t0 + (size_t)x1[x] * nc;
			const float *b1 = t1 + (size_t)x1[x] * nc;
			float u = wx0[x], w = wx1[x];

			for (c = 0; c < nc; c++)
				o[c] = a0[c] * u + b0[c] * u + a1[c] * w +
				       b1[c] * w;
			o += nc;
		}
	}
}

static void resize_f32_task(void *arg, int tid, int n)
{
	const struct resize_job *j = arg;
	int ya = (int)((long)j->l->out_shape.h * tid / n);
	int yb = (int)((long)j->l->out_shape.h * (tid + 1) / n);

	if (ya < yb)
		resize_f32_rows(j, j->st->scratch[tid], ya, yb);
}

void mnet_cpu_run_resize(struct mnet_cpu_state *st,
			 const struct mnet_cpu_layer *cl, const float *in,
			 float *out, unsigned int how)
{
	struct resize_job j = { .st = st, .l = cl->l, .in = in, .out = out };

	mnet_threadpool_run(st->tp, resize_f32_task, &j);
}

struct px_job {
	const struct mnet_layer *l;
	const float *a, *b;
	float *out;
};

static void concat_task(void *arg, int tid, int n)
{
	const struct px_job *j = arg;
	size_t npx = (size_t)j->l->out_shape.h * j->l->out_shape.w;
	size_t p0 = npx * (size_t)tid / (size_t)n;
	size_t p1 = npx * (size_t)(tid + 1) / (size_t)n;
	int ca = j->l->in_shape.c, cb = j->l->out_shape.c - ca;

	if (p0 < p1)
		mnet_refk_concat(p1 - p0, ca, cb, j->a + p0 * (size_t)ca,
				 j->b + p0 * (size_t)cb,
				 j->out + p0 * (size_t)(ca + cb));
}

void mnet_cpu_run_concat(struct mnet_cpu_state *st,
			 const struct mnet_cpu_layer *cl, const float *in,
			 float *out, unsigned int how)
{
	struct px_job j = { .l = cl->l, .a = in,
			    .b = mnet_cpu_tensor(st, cl->l->in2), .out = out };

	mnet_threadpool_run(st->tp, concat_task, &j);
}

static void argmax_f32_task(void *arg, int tid, int n)
{
	const struct px_job *j = arg;
	size_t npx = (size_t)j->l->out_shape.h * j->l->out_shape.w;
	size_t p0 = npx * (size_t)tid / (size_t)n;
	size_t p1 = npx * (size_t)(tid + 1) / (size_t)n;
	int c = j->l->in_shape.c;

	if (p0 < p1)
		mnet_refk_argmax(p1 - p0, c, j->a + p0 * (size_t)c,
				 j->out + p0);
}

void mnet_cpu_run_argmax(struct mnet_cpu_state *st,
			 const struct mnet_cpu_layer *cl, const float *in,
			 float *out, unsigned int how)
{
	struct px_job j = { .l = cl->l, .a = in, .out = out };

	mnet_threadpool_run(st->tp, argmax_f32_task, &j);
}

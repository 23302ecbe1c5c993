// SPDX-License-Identifier: Apache-2.0
/*
 * cpu_q_seg.c - the CPU backend's int8 RESIZE_BILINEAR and ARG_MAX
 *
 * DOC: CPU int8 resize and arg-max
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
 * the multiplies, and the columns' taps and weights from a table.  The
 * output rows (and the arg-max's pixels) split over the threads.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu_q_seg.h"

#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

struct q_resize {
	struct mnet_qk_resize p;
	int *x0, *x1, *y0, *y1;
	float *wx0, *wx1, *wy0, *wy1;	/* 1 - d and d */
	float *rows;			/* per thread: 2 rows of iw * c */
	const uint8_t *in;
	uint8_t *out;
	int nthreads;
};

int mnet_cpu_q_resize_setup(const struct mnet_qk_resize *p, int nthreads,
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

static void resize_rows(const struct q_resize *r, float *t0, int ya, int yb)
{
	const struct mnet_qk_resize *p = &r->p;
	size_t row = (size_t)p->iw * p->c, k;
	const int nc = p->c, ow = p->ow;	/* not re-read after stores */
	float *t1 = t0 + row;
	int y, x, c;

	for (y = ya; y < yb; y++) {
		const uint8_t *a = r->in + (size_t)r->y0[y] * row;
		const uint8_t *b = r->in + (size_t)r->y1[y] * row;
		float wa = r->wy0[y], wb = r->wy1[y];
		uint8_t *o = r->out + (size_t)y * p->ow * p->c;

		for (k = 0; k < row; k++) {
			t0[k] = (float)a[k] * wa;
			t1[k] = (float)b[k] * wb;
		}
		for (x = 0; x < ow; x++) {
			const float *a0 = t0 + (size_t)r->x0[x] * nc;
			const float *b0 = t1 + (size_t)r->x0[x] * nc;
			const float *a1 = t0 + (size_t)r->x1[x] * nc;
			const float *b1 = t1 + (size_t)r->x1[x] * nc;
			float u = r->wx0[x], v = r->wx1[x];

			for (c = 0; c < nc; c++)
				o[c] = (uint8_t)(int)(a0[c] * u + b0[c] * u +
						      a1[c] * v + b1[c] * v +
						      0.5f);
			o += nc;
		}
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

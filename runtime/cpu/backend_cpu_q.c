// SPDX-License-Identifier: Apache-2.0
/*
 * backend_cpu_q.c - the CPU backend in integer arithmetic (precision int8)
 *
 * DOC: CPU int8 mode
 *
 * backend_cpu.c hands a session at precision int8 to this mode.  Every
 * layer is prepared as the integer reference prepares it
 * (mnet_ref_q_layer_prepare(): TFLite's multipliers and shifts); an op
 * with an entry in cpu_q_ops[] then runs a fast host/ kernel chosen at run
 * time with the float kernels (the session's &struct mnet_cpu_kernels,
 * $MNET_CPU), every other op the reference kernel.  So far the table has
 * the 1x1 convolution (q8_pwconv: AVX512-VNNI vpdpbusd, AVX2 vpmaddwd, or
 * portable C), which packs its weights once, centred as int16 pairs, and
 * for vpdpbusd also as int8 quads with the offset corrections; and the
 * depthwise convolution (q8_dwconv: AVX2 int32 lanes, or portable C), its
 * weights centred as int16 [taps][channels]; the full convolution, as
 * q8_pwconv over im2col rows (conv_run()); and ADD (q8_add: AVX-512 or AVX2
 * lanes, else the reference's loop, split over the threads); SOFTMAX
 * over a table of its 256 possible exp() values.  Every kernel is
 * bit-identical to the reference: tests/int8/test_int8_cpu.c checks it on
 * awkward shapes and on whole models.  The 1x1 convolutions split their
 * pixels over the session's threads (whole tiles), the depthwise ones
 * their output rows; any split gives the same bytes.  The other ops run on
 * one thread; one 8-bit buffer per tensor, for now.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpu/cpu_q.h"
#include "cpu/cpu_seg.h"
#include "cpu/cpu_state.h"
#include "dispatch/cpu_kernels.h"
#include "dispatch/cpu_q8_pack.h"
#include "reference/ref_q_layer.h"
#include "ref_q/q_kernels.h"
#include "support/clock.h"
#include "support/debug.h"
#include "threads/threadpool.h"

struct cpu_q_layer {
	struct mnet_ref_q_layer ref;	/* TFLite's parameters */
	struct mnet_cpu_q8_pw pw;	/* PWCONV2D: the packed convolution */
	struct mnet_cpu_q8_dw dw;	/* DWCONV2D: likewise */
	void *mem;			/* what the op's setup allocated */
	uint8_t *sub;			/* DWCONV2D_DIL: sub-grids in, out */
};

struct cpu_q_state {
	const struct mnet_cpu_kernels *kern;
	struct mnet_threadpool *pool;
	int nthreads;
	uint8_t **tensors;
	int n_tensors;
	struct cpu_q_layer *layers;
	int n_layers;
	uint8_t *tmp;
	int16_t *scratch;	/* nthreads slices of scratch_len */
	uint8_t *scratch8;	/* nthreads slices of scratch8_len */
	size_t scratch_len, scratch8_len;
	int32_t *acc;		/* nthreads slices of acc_len */
	size_t acc_len;
	uint8_t *cols;		/* im2col rows of the largest CONV2D */
};

/* One thread's share of a 1x1 convolution: whole tiles of pixels. */
struct pw_job {
	struct cpu_q_state *st;
	struct mnet_cpu_q8_pw p;
};

static void pw_task(void *arg, int tid, int nthreads)
{
	struct pw_job *j = arg;
	struct mnet_cpu_q8_pw p = j->p;
	int tiles = (p.m + MNET_CPU_Q8_MR - 1) / MNET_CPU_Q8_MR;
	int t0 = (int)((long)tiles * tid / nthreads);
	int t1 = (int)((long)tiles * (tid + 1) / nthreads);
	int m0 = t0 * MNET_CPU_Q8_MR, m1 = t1 * MNET_CPU_Q8_MR;

	if (m1 > p.m)
		m1 = p.m;
	if (m0 >= m1)
		return;
	p.scratch = j->st->scratch + (size_t)tid * j->st->scratch_len;
	p.scratch8 = j->st->scratch8 + (size_t)tid * j->st->scratch8_len;
	j->st->kern->q8_pwconv(&p, m0, m1);
}

/*
 * A 1x1 convolution's reduction; a full one's as im2col rows (kh*kw*cin);
 * a fully connected layer's (no window) its whole input.
 */
static int pw_k(const struct mnet_layer *l)
{
	if (!l->kh)
		return (int)mnet_shape_elems(l->in_shape);
	return l->kh * l->kw * l->in_shape.c;
}

/* Pack a 1x1 convolution (or FC, or im2col'd one) for the kernel set. */
static int pw_setup(struct cpu_q_state *st, const struct mnet_model *m,
		    int i, struct cpu_q_layer *ql)
{
	const struct mnet_layer *l = &m->layers[i];
	const struct mnet_qk_conv *k = &ql->ref.k.conv;
	struct mnet_cpu_q8_src src = {
		.w = l->q->weights, .w_signed = k->w_signed, .w_zp = k->w_zp,
		.bias = l->q->bias, .mult = k->mult, .shift = k->shift,
		.a_signed = k->in_signed, .a_zp = k->in_zp,
		.c_zp = k->out_zp, .lo = k->act_min, .hi = k->act_max,
		.m = l->out_shape.h * l->out_shape.w, .n = l->out_shape.c,
		.k = pw_k(l), .single_round = k->single_round,
	};
	int ret = mnet_cpu_q8_pw_pack(st->kern, &src, &ql->pw, &ql->mem);

	ql->pw.scratch = st->scratch;
	ql->pw.scratch8 = st->scratch8;
	return ret;
}

static void pw_run(struct cpu_q_state *st, const struct mnet_layer *l,
		   const struct cpu_q_layer *ql, const uint8_t *in,
		   const uint8_t *in2, uint8_t *out)
{
	struct pw_job j = { .st = st, .p = ql->pw };

	j.p.a = in;
	j.p.c = out;
	if (st->nthreads > 1 && j.p.m >= 2 * MNET_CPU_Q8_MR)
		mnet_threadpool_run(st->pool, pw_task, &j);
	else
		pw_task(&j, 0, 1);
}

static size_t dw_cpad(const struct mnet_layer *l)
{
	return (size_t)(l->out_shape.c + 7) & ~(size_t)7;
}

/* Centre a depthwise layer's weights as int16 [kh*kw][cpad]. */
static int dw_setup(struct cpu_q_state *st, const struct mnet_model *m,
		    int i, struct cpu_q_layer *ql)
{
	const struct mnet_layer *l = &m->layers[i];
	const struct mnet_qk_conv *k = &ql->ref.k.conv;
	const uint8_t *w = l->q->weights;
	size_t cp = dw_cpad(l), taps = (size_t)l->kh * l->kw, t, c;
	int16_t *dw;
	int32_t *bias, *mult;
	int *shift;

	ql->mem = calloc(1, taps * cp * sizeof(int16_t) +
			    cp * (2 * sizeof(int32_t) + sizeof(int)));
	if (!ql->mem)
		return -ENOMEM;
	dw = ql->mem;
	bias = (int32_t *)(dw + taps * cp);
	mult = bias + cp;
	shift = (int *)(mult + cp);
	for (t = 0; t < taps; t++)
		for (c = 0; c < (size_t)l->out_shape.c; c++) {
			uint8_t b = w[t * l->out_shape.c + c];

			dw[t * cp + c] = (int16_t)((k->w_signed ? (int)(int8_t)b :
						    (int)b) - k->w_zp);
		}
	for (c = 0; c < (size_t)l->out_shape.c; c++) {
		bias[c] = l->q->bias ? l->q->bias[c] : 0;
		mult[c] = k->mult[c];
		shift[c] = k->shift[c];
	}
	ql->dw = (struct mnet_cpu_q8_dw){
		.in_signed = k->in_signed, .in_zp = k->in_zp, .w = dw,
		.bias = bias, .mult = mult, .shift = shift,
		.out_zp = k->out_zp, .lo = k->act_min, .hi = k->act_max,
		.ih = k->ih, .iw = k->iw, .oh = k->oh, .ow = k->ow,
		.c = k->oc, .cpad = (int)cp, .kh = k->kh, .kw = k->kw,
		.sh = k->sh, .sw = k->sw, .pt = k->pt, .pl = k->pl,
		.zp_in_round = mnet_cpu_q8_zp_in_round(k->kh * k->kw, bias, shift,
						       k->oc, k->out_zp),
	};
	return 0;
}

struct dw_job {
	struct cpu_q_state *st;
	struct mnet_cpu_q8_dw d;
};

static void dw_task(void *arg, int tid, int nthreads)
{
	struct dw_job *j = arg;
	struct mnet_cpu_q8_dw d = j->d;
	int y0 = (int)((long)d.oh * tid / nthreads);
	int y1 = (int)((long)d.oh * (tid + 1) / nthreads);

	if (y0 >= y1)
		return;
	d.acc = j->st->acc + (size_t)tid * j->st->acc_len;
	j->st->kern->q8_dwconv(&d, y0, y1);
}

static void dw_run(struct cpu_q_state *st, const struct mnet_layer *l,
		   const struct cpu_q_layer *ql, const uint8_t *in,
		   const uint8_t *in2, uint8_t *out)
{
	struct dw_job j = { .st = st, .d = ql->dw };

	j.d.in = in;
	j.d.out = out;
	if (st->nthreads > 1 && j.d.oh > 1)
		mnet_threadpool_run(st->pool, dw_task, &j);
	else
		dw_task(&j, 0, 1);
}

/* DWCONV2D_DIL: dw_setup()'s weights, and room for one sub-grid. */
static int dwdil_setup(struct cpu_q_state *st, const struct mnet_model *m,
		       int i, struct cpu_q_layer *ql)
{
	const struct mnet_layer *l = &m->layers[i];
	size_t c = (size_t)l->out_shape.c;

	ql->sub = malloc(c * (mnet_cpu_dil_max_px(l->in_shape.h,
						   l->in_shape.w, l->dil_h,
						   l->dil_w) +
			      mnet_cpu_dil_max_px(l->out_shape.h,
						  l->out_shape.w, l->dil_h,
						  l->dil_w)));
	if (!ql->sub)
		return -ENOMEM;
	return dw_setup(st, m, i, ql);
}

/* Stride 1: the undilated kernel over each sub-grid (cpu/cpu_dil.c). */
static void dwdil_run(struct cpu_q_state *st, const struct mnet_layer *l,
		      const struct cpu_q_layer *ql, const uint8_t *in,
		      const uint8_t *in2, uint8_t *out)
{
	size_t c = (size_t)l->out_shape.c;
	uint8_t *sub_out = ql->sub + c * mnet_cpu_dil_max_px(l->in_shape.h,
							     l->in_shape.w,
							     l->dil_h,
							     l->dil_w);
	struct cpu_q_layer g = *ql;
	struct mnet_cpu_dil_grid d;
	int py, px;

	if (l->stride_h != 1 || l->stride_w != 1) {
		mnet_ref_q_layer_run(l, &ql->ref, in, in2, out);
		return;
	}
	for (py = 0; py < l->dil_h; py++)
		for (px = 0; px < l->dil_w; px++) {
			mnet_cpu_dil_grid(l->in_shape.h, l->in_shape.w,
					  l->out_shape.h, l->out_shape.w,
					  l->dil_h, l->dil_w, l->pad_top,
					  l->pad_left, py, px, &d);
			if (!d.oh || !d.ow)
				continue;
			mnet_cpu_dil_gather(&d, in, l->in_shape.w, c, l->dil_h,
					    l->dil_w, ql->sub);
			g.dw.ih = d.ih;
			g.dw.iw = d.iw;
			g.dw.oh = d.oh;
			g.dw.ow = d.ow;
			g.dw.pt = d.pt;
			g.dw.pl = d.pl;
			dw_run(st, l, &g, ql->sub, NULL, sub_out);
			mnet_cpu_dil_scatter(&d, sub_out, l->out_shape.w, c,
					     l->dil_h, l->dil_w, out);
		}
}

/*
 * A full convolution is a 1x1 one over im2col rows: the window of each
 * output pixel copied out as kh*kw*cin bytes, [cout][kh][kw][cin] being
 * the 1x1 layout already.  Taps outside the input get the input's zero
 * point, which the kernel centres to 0: what the reference's skipping
 * adds.
 */
static size_t conv_cols(const struct mnet_layer *l)
{
	return (size_t)l->out_shape.h * l->out_shape.w * pw_k(l);
}

/* Copy @n bytes; the windows' rows are short (9 bytes for 3x3x1 RGB). */
static inline void copy_run(uint8_t *dst, const uint8_t *src, size_t n)
{
	size_t i = 0;

	if (n > 32) {
		memcpy(dst, src, n);
		return;
	}
	for (; i + 8 <= n; i += 8)
		memcpy(dst + i, src + i, 8);	/* one 8-byte move each */
	for (; i < n; i++)
		dst[i] = src[i];
}

/* Output rows [@y0, @y1) of a full convolution's im2col rows. */
static void im2col_rows(const struct mnet_qk_conv *k, const uint8_t *in,
			uint8_t *cols, int y0, int y1)
{
	const size_t run = (size_t)k->kw * k->ic;
	/* a short row may be moved as 16 bytes where 16 can be read */
	const uint8_t *in_end16 = in + (size_t)k->ih * k->iw * k->ic - 16;
	uint8_t pad = (uint8_t)k->in_zp;
	uint8_t *dst = cols + (size_t)y0 * k->ow * k->kh * run;
	int y, x, i, j;

	for (y = y0; y < y1; y++)
		for (x = 0; x < k->ow; x++) {
			int ix0 = x * k->sw - k->pl;
			int cols_in = ix0 >= 0 && ix0 + k->kw <= k->iw;

			for (i = 0; i < k->kh; i++) {
				int iy = y * k->sh - k->pt + i;

				if (iy < 0 || iy >= k->ih) {
					memset(dst, pad, run);
				} else if (cols_in) {
					/* the window's row is contiguous */
					const uint8_t *src = in + ((size_t)iy * k->iw +
								   ix0) * k->ic;

					/* the next row overwrites the excess */
					if (run <= 16 && src <= in_end16)
						memcpy(dst, src, 16);
					else
						copy_run(dst, src, run);
				} else {
					for (j = 0; j < k->kw; j++) {
						int ix = ix0 + j;

						if (ix < 0 || ix >= k->iw)
							memset(dst + (size_t)j * k->ic, pad,
							       (size_t)k->ic);
						else
							copy_run(dst + (size_t)j * k->ic,
								 in + ((size_t)iy * k->iw + ix) *
								 k->ic, (size_t)k->ic);
					}
				}
				dst += run;
			}
		}
}

struct im2col_job {
	const struct mnet_qk_conv *k;
	const uint8_t *in;
	uint8_t *cols;
};

static void im2col_task(void *arg, int tid, int nthreads)
{
	struct im2col_job *j = arg;
	int y0 = (int)((long)j->k->oh * tid / nthreads);
	int y1 = (int)((long)j->k->oh * (tid + 1) / nthreads);

	if (y0 < y1)
		im2col_rows(j->k, j->in, j->cols, y0, y1);
}

static void conv_run(struct cpu_q_state *st, const struct mnet_layer *l,
		     const struct cpu_q_layer *ql, const uint8_t *in,
		     const uint8_t *in2, uint8_t *out)
{
	struct im2col_job j = { .k = &ql->ref.k.conv, .in = in,
				.cols = st->cols };

	if (st->nthreads > 1 && j.k->oh > 1)
		mnet_threadpool_run(st->pool, im2col_task, &j);
	else
		im2col_task(&j, 0, 1);
	pw_run(st, l, ql, st->cols, in2, out);
}

/* One thread's share of an ADD: a run of whole 64-byte blocks. */
struct add_job {
	const struct mnet_cpu_kernels *kern;
	const struct mnet_qk_add *p;
	const uint8_t *a, *b;
	uint8_t *out;
	size_t n;
};

static void add_task(void *arg, int tid, int nthreads)
{
	struct add_job *j = arg;
	size_t blocks = (j->n + 63) / 64;
	size_t i0 = blocks * tid / nthreads * 64;
	size_t i1 = blocks * (tid + 1) / nthreads * 64;

	if (i1 > j->n)
		i1 = j->n;
	if (i0 >= i1)
		return;
	if (j->kern->q8_add)
		j->kern->q8_add(j->p, i0, i1, j->a, j->b, j->out);
	else
		mnet_qk_add(j->p, i1 - i0, j->a + i0, j->b + i0, j->out + i0);
}

/*
 * MobileNetV2's residual ADD: the kernel set's (element for element the
 * reference's arithmetic), split over the threads when it is big enough
 * to pay for the wake-up.
 */
static void add_run(struct cpu_q_state *st, const struct mnet_layer *l,
		    const struct cpu_q_layer *ql, const uint8_t *in,
		    const uint8_t *in2, uint8_t *out)
{
	struct add_job j = {
		.kern = st->kern, .p = &ql->ref.k.add, .a = in, .b = in2, .out = out,
		.n = mnet_shape_elems(l->out_shape),
	};

	if (st->nthreads > 1 && j.n >= 32768)
		mnet_threadpool_run(st->pool, add_task, &j);
	else
		add_task(&j, 0, 1);
}

/* A global average pool (or MEAN): channel-contiguous sums. */
static int pool_global(const struct mnet_qk_pool *p)
{
	return p->kh == p->ih && p->kw == p->iw && p->oh == 1 && p->ow == 1 &&
	       !p->pt && !p->pl;
}

static int pool_setup(struct cpu_q_state *st, const struct mnet_model *m,
		      int i, struct cpu_q_layer *ql)
{
	const struct mnet_qk_pool *p = &ql->ref.k.pool;

	if (!pool_global(p))
		return 0;
	ql->mem = malloc((size_t)p->c * sizeof(int32_t));
	return ql->mem ? 0 : -ENOMEM;
}

static void pool_run(struct cpu_q_state *st, const struct mnet_layer *l,
		     const struct cpu_q_layer *ql, const uint8_t *in,
		     const uint8_t *in2, uint8_t *out)
{
	if (ql->mem)
		mnet_qk_avgpool_global(&ql->ref.k.pool, in, ql->mem, out);
	else
		mnet_qk_avgpool(&ql->ref.k.pool, in, out);
}

/* SOFTMAX: the exp() of the 256 possible differences, once per layer. */
static int softmax_setup(struct cpu_q_state *st, const struct mnet_model *m,
			 int i, struct cpu_q_layer *ql)
{
	ql->mem = malloc(256 * sizeof(int32_t));
	if (!ql->mem)
		return -ENOMEM;
	mnet_qk_softmax_table(&ql->ref.k.sm, ql->mem);
	return 0;
}

static void softmax_run(struct cpu_q_state *st, const struct mnet_layer *l,
			const struct cpu_q_layer *ql, const uint8_t *in,
			const uint8_t *in2, uint8_t *out)
{
	mnet_qk_softmax_lut(&ql->ref.k.sm, ql->mem,
			    (size_t)l->out_shape.h * (size_t)l->out_shape.w,
			    l->out_shape.c, in, out);
}

static int resize_setup(struct cpu_q_state *st, const struct mnet_model *m,
			int i, struct cpu_q_layer *ql)
{
	return mnet_cpu_q_resize_setup(st->kern, &ql->ref.k.resize,
				       st->nthreads, &ql->mem);
}

static void resize_run(struct cpu_q_state *st, const struct mnet_layer *l,
		       const struct cpu_q_layer *ql, const uint8_t *in,
		       const uint8_t *in2, uint8_t *out)
{
	mnet_cpu_q_resize_run(st->pool, st->nthreads, ql->mem, in, out);
}

static void argmax_run(struct cpu_q_state *st, const struct mnet_layer *l,
		       const struct cpu_q_layer *ql, const uint8_t *in,
		       const uint8_t *in2, uint8_t *out)
{
	mnet_cpu_q_argmax_run(st->pool, st->nthreads,
			      (size_t)l->out_shape.h * l->out_shape.w,
			      l->in_shape.c, ql->ref.k.argmax_signed, in, out);
}

/*
 * The ops with a fast int8 kernel; the others run the integer reference.
 * @setup packs what the kernel needs once, @run computes the layer.
 */
static const struct cpu_q_op {
	int (*setup)(struct cpu_q_state *st, const struct mnet_model *m,
		     int i, struct cpu_q_layer *ql);
	void (*run)(struct cpu_q_state *st, const struct mnet_layer *l,
		    const struct cpu_q_layer *ql, const uint8_t *in,
		    const uint8_t *in2, uint8_t *out);
} cpu_q_ops[MNET_OP_COUNT] = {
	[MNET_OP_CONV2D] = { .setup = pw_setup, .run = conv_run },
	[MNET_OP_PWCONV2D] = { .setup = pw_setup, .run = pw_run },
	[MNET_OP_DWCONV2D] = { .setup = dw_setup, .run = dw_run },
	[MNET_OP_FC] = { .setup = pw_setup, .run = pw_run },
	[MNET_OP_ADD] = { .run = add_run },
	[MNET_OP_SOFTMAX] = { .setup = softmax_setup, .run = softmax_run },
	[MNET_OP_AVGPOOL] = { .setup = pool_setup, .run = pool_run },
	[MNET_OP_DWCONV2D_DIL] = { .setup = dwdil_setup, .run = dwdil_run },
	[MNET_OP_RESIZE_BILINEAR] = { .setup = resize_setup,
				      .run = resize_run },
	[MNET_OP_ARGMAX] = { .run = argmax_run },
};

static void cpu_q_fini(struct mnet_backend *be)
{
	struct cpu_q_state *st = be->priv;
	int i;

	if (!st)
		return;
	for (i = 0; i < st->n_layers; i++) {
		mnet_ref_q_layer_release(&st->layers[i].ref);
		free(st->layers[i].mem);
		free(st->layers[i].sub);
	}
	free(st->layers);
	for (i = 0; i < st->n_tensors; i++)
		free(st->tensors[i]);
	free(st->tensors);
	free(st->tmp);
	free(st->scratch);
	free(st->scratch8);
	free(st->acc);
	free(st->cols);
	mnet_threadpool_fini(st->pool);
	free(st);
	be->priv = NULL;
}

/* As the float path: opts->threads, else every online core. */
static int pick_threads(const struct mnet_session_opts *opts)
{
	long n = opts->threads;

	if (n <= 0)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	return n > CPU_MAX_THREADS ? CPU_MAX_THREADS : (int)n;
}

/* The longest reduction of the layers cpu_q_ops[] packs. */
static int max_k(const struct mnet_model *m)
{
	int k = 4, i;

	for (i = 0; i < m->n_layers; i++)
		if (cpu_q_ops[m->layers[i].op].setup == pw_setup &&
		    pw_k(&m->layers[i]) > k)
			k = pw_k(&m->layers[i]);
	return k;
}

static size_t max_cols(const struct mnet_model *m)
{
	size_t n = 1;
	int i;

	for (i = 0; i < m->n_layers; i++)
		if (cpu_q_ops[m->layers[i].op].run == conv_run &&
		    conv_cols(&m->layers[i]) > n)
			n = conv_cols(&m->layers[i]);
	return n;
}

static size_t max_cpad(const struct mnet_model *m)
{
	size_t c = 8;
	int i;

	for (i = 0; i < m->n_layers; i++)
		if (dw_cpad(&m->layers[i]) > c)
			c = dw_cpad(&m->layers[i]);
	return c;
}

static int cpu_q_init(struct mnet_backend *be, struct mnet_err *err)
{
	const struct mnet_model *m = be->model;
	struct cpu_q_state *st;
	const char *why, *want = getenv("MNET_CPU");
	int i, ret;

	if (!mnet_model_is_quantized(m, &why))
		return mnet_err_set(err, -EINVAL, "cpu int8: %s: %s", m->name,
				    why);
	st = calloc(1, sizeof(*st));
	if (!st)
		return mnet_err_set(err, -ENOMEM, "cpu int8: out of memory");
	be->priv = st;
	st->kern = mnet_cpu_kernels_get(want);
	if (!st->kern || !st->kern->q8_pwconv || !st->kern->q8_dwconv) {
		cpu_q_fini(be);
		return mnet_err_set(err, -ENODEV, "cpu int8: no int8 kernels '%s' on this CPU",
				    want ? want : "auto");
	}
	st->layers = calloc((size_t)m->n_layers, sizeof(*st->layers));
	st->tensors = calloc((size_t)m->n_tensors, sizeof(*st->tensors));
	st->tmp = malloc(mnet_ref_q_edge_elems(m));
	st->nthreads = pick_threads(&be->opts);
	if (st->nthreads > 1 &&
	    mnet_threadpool_init(st->nthreads, &st->pool))
		goto out_nomem;
	st->scratch_len = mnet_cpu_q8_scratch16(max_k(m));
	st->scratch8_len = mnet_cpu_q8_scratch8(max_k(m));
	st->scratch = malloc(st->nthreads * st->scratch_len * sizeof(int16_t));
	st->scratch8 = malloc(st->nthreads * st->scratch8_len);
	st->acc_len = max_cpad(m);
	st->acc = malloc(st->nthreads * st->acc_len * sizeof(int32_t));
	st->cols = malloc(max_cols(m) + 16);	/* im2col_rows' 16-byte moves */
	if (!st->layers || !st->tensors || !st->tmp || !st->scratch ||
	    !st->scratch8 || !st->acc || !st->cols)
		goto out_nomem;
	st->n_tensors = m->n_tensors;
	for (i = 0; i < m->n_tensors; i++) {
		st->tensors[i] = malloc(mnet_shape_elems(m->tensors[i].shape));
		if (!st->tensors[i])
			goto out_nomem;
	}
	for (i = 0; i < m->n_layers; i++) {
		const struct cpu_q_op *op = &cpu_q_ops[m->layers[i].op];

		st->n_layers = i + 1;
		ret = mnet_ref_q_layer_prepare(m, i, &st->layers[i].ref, err);
		if (!ret && op->setup && op->setup(st, m, i, &st->layers[i]))
			ret = mnet_err_set(err, -ENOMEM, "cpu int8: out of memory for packed weights");
		if (ret) {
			cpu_q_fini(be);
			return ret;
		}
	}
	snprintf(be->name, sizeof(be->name), "cpu-int8-%s", st->kern->name);
	snprintf(be->device, sizeof(be->device),
		 "host CPU, %s int8 kernels, %d thread%s (convolutions, ADD, resize, arg-max; the other ops on 1)",
		 st->kern->name, st->nthreads, st->nthreads > 1 ? "s" : "");
	/* only a weighted layer left to the reference reads the raw weights */
	be->pins_weights = 0;
	for (i = 0; i < m->n_layers; i++)
		if (m->layers[i].q && m->layers[i].q->weights &&
		    cpu_q_ops[m->layers[i].op].setup != pw_setup &&
		    cpu_q_ops[m->layers[i].op].setup != dw_setup &&
		    cpu_q_ops[m->layers[i].op].setup != dwdil_setup)
			be->pins_weights = 1;
	return 0;

out_nomem:
	cpu_q_fini(be);
	return mnet_err_set(err, -ENOMEM, "cpu int8: %s: out of memory", m->name);
}

/* The layers, from the IR input tensor (filled) to the float output. */
static int cpu_q_layers(struct mnet_backend *be, float *output,
			struct mnet_layer_time *times)
{
	const struct mnet_model *m = be->model;
	struct cpu_q_state *st = be->priv;
	int i, ret;

	for (i = 0; i < m->n_layers; i++) {
		const struct mnet_layer *l = &m->layers[i];
		const struct cpu_q_op *op = &cpu_q_ops[l->op];
		const uint8_t *in2 = l->in2 >= 0 ? st->tensors[l->in2] : NULL;
		double t0 = mnet_now_ms();

		ret = 0;
		if (op->run)
			op->run(st, l, &st->layers[i], st->tensors[l->in], in2,
				st->tensors[l->out]);
		else
			ret = mnet_ref_q_layer_run(l, &st->layers[i].ref,
						   st->tensors[l->in], in2,
						   st->tensors[l->out]);
		if (ret)
			return ret;
		if (mnet_backend_perturbs(be, i))	/* debug: plant an error */
			mnet_debug_perturb_q8(st->tensors[l->out],
					      mnet_shape_elems(l->out_shape));
		times[i].ms = mnet_now_ms() - t0;
		times[i].backend = op->run ? "cpu-int8" : "ref-int8";
		times[i].config = "";
	}
	mnet_ref_q_output(m, st->tensors[m->output], st->tmp, output);
	return 0;
}

static int cpu_q_run(struct mnet_backend *be, const float *input,
		     float *output, struct mnet_layer_time *times)
{
	struct cpu_q_state *st = be->priv;

	mnet_ref_q_input(be->model, input, st->tmp,
			 st->tensors[be->model->input]);
	return cpu_q_layers(be, output, times);
}

static int cpu_q_run_quantized(struct mnet_backend *be, const uint8_t *input,
			       float *output, struct mnet_layer_time *times)
{
	struct cpu_q_state *st = be->priv;
	int ret;

	ret = mnet_ref_q_input_raw(be->model, input,
				   st->tensors[be->model->input]);
	return ret ? ret : cpu_q_layers(be, output, times);
}

static int cpu_q_layer_output(struct mnet_backend *be, int layer, float *dst,
			      size_t count)
{
	const struct mnet_model *m = be->model;
	struct cpu_q_state *st = be->priv;
	int t = m->layers[layer].out;

	return mnet_ref_q_tensor_real(m, t, st->tensors[t], dst, count);
}

static uint64_t cpu_q_footprint(const struct mnet_backend *be)
{
	const struct mnet_model *m = be->model;
	const struct mnet_cpu_kernels *ks = mnet_cpu_kernels_get(getenv("MNET_CPU"));
	uint64_t bytes = sizeof(struct cpu_q_state) + mnet_ref_q_edge_elems(m) +
			 (uint64_t)pick_threads(&be->opts) *
			 (mnet_cpu_q8_scratch16(max_k(m)) * sizeof(int16_t) +
			  mnet_cpu_q8_scratch8(max_k(m)) +
			  max_cpad(m) * sizeof(int32_t)) + max_cols(m);
	int i;

	for (i = 0; i < m->n_tensors; i++)
		bytes += mnet_shape_elems(m->tensors[i].shape);
	for (i = 0; i < m->n_layers; i++) {
		const struct mnet_layer *l = &m->layers[i];

		bytes += sizeof(struct cpu_q_layer) + (uint64_t)l->out_shape.c *
			 (sizeof(int32_t) + sizeof(int));
		if (cpu_q_ops[l->op].setup == dwdil_setup)
			bytes += (uint64_t)l->out_shape.c *
				 (mnet_cpu_dil_max_px(l->in_shape.h,
						      l->in_shape.w, l->dil_h,
						      l->dil_w) +
				  mnet_cpu_dil_max_px(l->out_shape.h,
						      l->out_shape.w, l->dil_h,
						      l->dil_w));
		if (cpu_q_ops[l->op].setup == dw_setup ||
		    cpu_q_ops[l->op].setup == dwdil_setup)
			bytes += dw_cpad(l) * ((size_t)l->kh * l->kw *
					       sizeof(int16_t) +
					       2 * sizeof(int32_t) + sizeof(int));
		else if (cpu_q_ops[l->op].setup && ks)
			bytes += mnet_cpu_q8_pw_bytes(ks, l->out_shape.c, pw_k(l));
	}
	return bytes;
}

/* Camera frames are converted over the same threads (frame/). */
static struct mnet_threadpool *cpu_q_host_pool(struct mnet_backend *be)
{
	struct cpu_q_state *st = be->priv;

	return st->pool;
}

const struct mnet_backend_ops mnet_cpu_int8_ops = {
	.name = "cpu",
	.kind = MNET_BACKEND_CPU,
	.init = cpu_q_init,
	.fini = cpu_q_fini,
	.run = cpu_q_run,
	.run_quantized = cpu_q_run_quantized,
	.host_pool = cpu_q_host_pool,
	.layer_output = cpu_q_layer_output,
	.footprint = cpu_q_footprint,
};

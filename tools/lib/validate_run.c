// SPDX-License-Identifier: Apache-2.0
/*
 * validate_run.c - mnet-validate's sessions and comparisons
 *
 * DOC: validation runs
 *
 * One session per backend, the reference first (it is the oracle).
 * Each image is loaded and preprocessed once and run on every backend;
 * the outputs are compared on every image, every layer's output on the
 * first --layer-images only (see mnet-validate.c for why).  Errors keep
 * the worst case over the images, times the median.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support/clock.h"
#include "mnet/mnet.h"
#include "lib/tool_util.h"
#include "lib/validate.h"
#include "lib/validate_run.h"

static const char *const prog = VAL_PROG;

/* ---- backends ----------------------------------------------------------- */

static int add_backend(struct val_run *r, enum mnet_backend_kind kind,
		       const char *id)
{
	int i;

	for (i = 0; i < r->n_be; i++)
		if (r->be[i].kind == kind)
			return 0;
	if (r->n_be == VAL_MAX_BACKENDS)
		return -EINVAL;
	r->be[r->n_be].kind = kind;
	r->be[r->n_be++].id = id;
	return 0;
}

int val_parse_backends(struct val_run *r, const char *list)
{
	static const char *const ids[] = { "ref", "cpu", "opencl" };
	char buf[256], *tok, *save = NULL;
	enum mnet_backend_kind kind;
	unsigned int i;

	add_backend(r, MNET_BACKEND_REF, "ref");	/* the oracle */
	snprintf(buf, sizeof(buf), "%s", list ? list : "ref,cpu,opencl");
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (mnet_backend_parse(tok, &kind) || kind == MNET_BACKEND_AUTO) {
			fprintf(stderr, "%s: unknown backend '%s' in --backends (ref, cpu, opencl)\n",
				prog, tok);
			return -EINVAL;
		}
		for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
			if (!strcmp(tok, ids[i]))
				add_backend(r, kind, ids[i]);
	}
	return 0;
}

/*
 * -d and an fp16 precision only mean something to the opencl backend: given
 * without it in --backends they are a usage error, not quietly dropped
 * (auto, fp32 and int8 go to every backend: val_open_backend()).
 * --threads over the library's maximum is clamped, with a warning.
 */
int val_check_choices(const struct val_run *r, struct val_args *a)
{
	int b, opencl = 0;

	for (b = 0; b < r->n_be; b++)
		opencl |= r->be[b].kind == MNET_BACKEND_OPENCL;
	if (!opencl && a->device) {
		fprintf(stderr, "%s: --device %s: a device is an OpenCL device, and --backends has no opencl\n",
			prog, a->device);
		return -EINVAL;
	}
	if (!opencl && (a->precision == MNET_PRECISION_FP16 ||
			a->precision == MNET_PRECISION_FP16_STORAGE)) {
		fprintf(stderr, "%s: --precision fp16 modes are for the OpenCL backend, and --backends has no opencl\n",
			prog);
		return -EINVAL;
	}
	if (a->threads > MNET_MAX_THREADS) {
		fprintf(stderr, "%s: warning: --threads %d is over the library's maximum; using %d\n",
			prog, a->threads, MNET_MAX_THREADS);
		a->threads = MNET_MAX_THREADS;
	}
	return 0;
}

/* A ref session at @prec beside the backends, an oracle only (untimed). */
static int open_oracle(const struct val_run *r, enum mnet_precision prec,
		       struct mnet_session **out)
{
	struct mnet_session_opts o;
	struct mnet_err err = { 0 };
	int ret;

	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_REF;
	o.precision = prec;
	ret = mnet_session_create(r->model, &o, out, &err);
	if (ret)
		fprintf(stderr, "%s: the %s reference (ref backend): %s\n", prog,
			mnet_tool_precision_name(prec),
			err.msg[0] ? err.msg : mnet_strerror(ret));
	return ret;
}

int val_open_oracles(struct val_run *r)
{
	int b, ret;

	r->has_int8 = 0;
	for (b = 0; b < r->n_be; b++)
		r->has_int8 |= r->be[b].int8;
	if (r->be[0].int8)
		r->ref_int8 = r->be[0].s;
	else
		r->ref_fp32 = r->be[0].s;
	if (!r->has_int8)
		return 0;
	if (!r->ref_fp32) {
		ret = open_oracle(r, MNET_PRECISION_FP32, &r->own_fp32);
		if (ret)
			return ret;
		r->ref_fp32 = r->own_fp32;
	}
	if (!r->ref_int8) {
		ret = open_oracle(r, MNET_PRECISION_INT8, &r->own_int8);
		if (ret)
			return ret;
		r->ref_int8 = r->own_int8;
	}
	return 0;
}

void val_close_oracles(struct val_run *r)
{
	mnet_session_destroy(r->own_fp32);
	mnet_session_destroy(r->own_int8);
	r->own_fp32 = r->own_int8 = NULL;
}

int val_open_backend(struct val_run *r, struct val_backend *b,
		     const struct val_args *a)
{
	struct mnet_session_opts o;
	struct mnet_err err = { 0 };
	size_t nl = (size_t)r->n_layers, ni = (size_t)r->n_images;
	int ret, l;

	mnet_session_opts_init(&o);
	o.backend = b->kind;
	o.threads = a->threads;
	/*
	 * the device and the fp16 modes are the OpenCL backend's (checked in
	 * val_check_choices()); auto, fp32 and int8 go to every backend
	 */
	o.precision = a->precision;
	if (b->kind == MNET_BACKEND_OPENCL)
		o.device = a->device;
	else if (a->precision == MNET_PRECISION_FP16 ||
		 a->precision == MNET_PRECISION_FP16_STORAGE)
		o.precision = MNET_PRECISION_AUTO;
	o.profile = 1;
	ret = mnet_session_create(r->model, &o, &b->s, &err);
	if (ret) {
		fprintf(stderr, "%s: backend %s%s%s: %s\n", prog, b->id,
			a->precision == MNET_PRECISION_INT8 ? " at " : "",
			a->precision == MNET_PRECISION_INT8 ? "int8" : "",
			err.msg[0] ? err.msg : mnet_strerror(ret));
		return ret;
	}
	if (err.msg[0] && !a->quiet)
		fprintf(stderr, "%s: backend %s: %s\n", prog, b->id, err.msg);
	snprintf(b->name, sizeof(b->name), "%s", mnet_session_backend_name(b->s));
	snprintf(b->device, sizeof(b->device), "%s",
		 mnet_session_device_name(b->s));
	b->prec = mnet_session_precision(b->s);
	b->int8 = b->prec == MNET_PRECISION_INT8;
	b->fp16 = b->prec == MNET_PRECISION_FP16 ||
		  b->prec == MNET_PRECISION_FP16_STORAGE;
	/* int8 is judged in quantized units, where the limit is 0 */
	b->tol = b->int8 ? 0 : a->tolerance >= 0 ? a->tolerance :
		 b->fp16 ? 1e-2 : 1e-4;
	b->agree_min = a->min_agree >= 0 ? a->min_agree : b->fp16 ? -1 : 1;
	b->first_fail = -1;
	if (a->verbose && b->kind == MNET_BACKEND_REF)
		fprintf(stderr, "%s: backend ref: %s on %s (%s), the reference the %s sessions are compared with\n",
			prog, b->name, b->device[0] ? b->device : "-",
			mnet_tool_precision_name(b->prec),
			b->int8 ? "int8" : "float");
	else if (a->verbose && b->int8)
		fprintf(stderr, "%s: backend %s: %s on %s (int8), compared with the int8 reference: no quantized unit of difference allowed, top-1 agreement floor %.0f%%\n",
			prog, b->id, b->name, b->device[0] ? b->device : "-",
			100 * b->agree_min);
	else if (a->verbose)
		fprintf(stderr, "%s: backend %s: %s on %s, relative L2 limit %g, top-1 agreement floor %s%.0f%s\n",
			prog, b->id, b->name, b->device[0] ? b->device : "-",
			b->tol, b->agree_min < 0 ? "not checked" : "",
			b->agree_min < 0 ? 0.0 : 100 * b->agree_min,
			b->agree_min < 0 ? "" : "%");
	b->ms = calloc(nl, sizeof(*b->ms));
	b->ms_all = calloc(nl * ni, sizeof(*b->ms_all));
	b->run_ms = calloc(ni, sizeof(*b->run_ms));
	b->top = calloc(ni, sizeof(*b->top));
	b->err = calloc(nl, sizeof(*b->err));
	b->outs = calloc((size_t)r->n_outputs, sizeof(*b->outs));
	if (!b->ms || !b->ms_all || !b->run_ms || !b->top || !b->err ||
	    !b->outs) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return -ENOMEM;
	}
	for (l = 0; l < r->n_layers; l++) {
		b->err[l].cos = 1;
		b->err[l].q_max = b->int8 ? 0 : NAN;
	}
	for (l = 0; l < r->n_outputs; l++) {
		b->outs[l].cos = 1;
		b->outs[l].q_max = b->int8 ? 0 : NAN;
	}
	b->out_err.cos = 1;
	b->out_err.q_max = b->int8 ? 0 : NAN;
	b->fp32_err.cos = 1;
	b->fp32_err.q_max = NAN;
	return 0;
}

void val_close_backend(struct val_backend *b)
{
	mnet_session_destroy(b->s);
	free(b->ms);
	free(b->ms_all);
	free(b->run_ms);
	free(b->top);
	free(b->err);
	free(b->outs);
}

/* ---- comparison --------------------------------------------------------- */

/*
 * Fold the difference of @x from @ref in quantized units of @scale into
 * @e->q_max: both are a tensor's bytes dequantized, so each difference
 * over the scale is a whole number (rounded off the float error).
 * Without a scale (a float output computed from the integer tensors, as a
 * custom operator's) the two must be equal: any difference is infinite.
 */
static void compare_q(const float *x, const float *ref, size_t n,
		      float scale, struct val_layer_err *e)
{
	double q = 0, d;
	size_t i;

	if (!(scale > 0)) {
		for (i = 0; i < n; i++)
			if (!(x[i] == ref[i]))
				e->q_max = INFINITY;
		return;
	}
	for (i = 0; i < n; i++) {
		d = nearbyint(fabs((double)x[i] - ref[i]) / scale);
		if (!(d <= q))		/* NaN sticks */
			q = d;
	}
	if (!(q <= e->q_max))
		e->q_max = q;
}

/* Fold the error of @x against @ref into @e (worst case kept). */
static void compare(const float *x, const float *ref, size_t n,
		    struct val_layer_err *e)
{
	double d2 = 0, r2 = 0, x2 = 0, xr = 0, maxd = 0, rel, cos;
	size_t i;

	for (i = 0; i < n; i++) {
		double d = (double)x[i] - ref[i];

		d2 += d * d;
		r2 += (double)ref[i] * ref[i];
		x2 += (double)x[i] * x[i];
		xr += (double)x[i] * ref[i];
		if (!(fabs(d) <= maxd))		/* NaN sticks */
			maxd = fabs(d);
	}
	rel = r2 > 0 ? sqrt(d2 / r2) : d2 > 0 ? INFINITY : 0;
	cos = r2 > 0 && x2 > 0 ? xr / sqrt(r2 * x2) : r2 == x2 ? 1 : 0;
	if (!(maxd <= e->max_abs))
		e->max_abs = maxd;
	if (!(rel <= e->rel_l2))
		e->rel_l2 = rel;
	if (!(cos >= e->cos))
		e->cos = cos;
}

static int same_set(const int *a, const int *b, int k)
{
	int i, j, found;

	for (i = 0; i < k; i++) {
		for (j = 0, found = 0; j < k && !found; j++)
			found = a[i] == b[j];
		if (!found)
			return 0;
	}
	return 1;
}

static size_t max_layer_elems(const struct val_run *r)
{
	struct mnet_layer_info li;
	size_t n = mnet_model_output_size(r->model), e;
	int i;

	for (i = 0; i < r->n_layers; i++) {
		mnet_model_layer_info(r->model, i, &li);
		e = (size_t)li.out.h * li.out.w * li.out.c;
		if (e > n)
			n = e;
	}
	return n;
}

/*
 * Every layer of one image: each session against the reference of its
 * precision, an int8 one also in quantized units.
 */
static int compare_layers(struct val_run *r, float *ref, float *ref_q,
			  float *x, size_t cap)
{
	struct mnet_layer_info li;
	float scale = 0;
	int l, b, ret, want_fp32 = 0, want_int8 = 0;

	for (b = 1; b < r->n_be; b++) {
		want_int8 |= r->be[b].int8;
		want_fp32 |= !r->be[b].int8;
	}
	for (l = 0; l < r->n_layers; l++) {
		size_t n;

		mnet_model_layer_info(r->model, l, &li);
		n = (size_t)li.out.h * li.out.w * li.out.c;
		ret = 0;
		if (want_fp32)
			ret = mnet_session_layer_output(r->ref_fp32, l, ref,
							cap);
		if (!ret && want_int8) {
			ret = mnet_session_layer_output(r->ref_int8, l, ref_q,
							cap);
			if (!ret && mnet_model_layer_quant(r->model, l, &scale,
							   NULL, NULL))
				scale = 0;	/* no quantization: fails */
		}
		for (b = 1; !ret && b < r->n_be; b++) {
			struct val_backend *be = &r->be[b];

			ret = mnet_session_layer_output(be->s, l, x, cap);
			if (ret)
				break;
			compare(x, be->int8 ? ref_q : ref, n, &be->err[l]);
			if (be->int8)
				compare_q(x, ref_q, n, scale, &be->err[l]);
		}
		if (ret) {
			fprintf(stderr, "%s: reading layer %d (%s): %s\n", prog,
				l, li.name, mnet_strerror(ret));
			return ret;
		}
	}
	return 0;
}

/* Run an oracle session that is not one of the backends; its top-k. */
static int run_oracle(struct val_run *r, int i, struct mnet_session *s,
		      const float *in, size_t n_in, int *top)
{
	struct mnet_class c[VAL_TOPK];
	int j, k, ret;

	ret = mnet_session_run(s, in, n_in);
	if (ret) {
		fprintf(stderr, "%s: %s: run on the %s reference failed: %s\n",
			prog, r->images[i].path,
			mnet_session_backend_name(s), mnet_strerror(ret));
		return ret;
	}
	k = mnet_session_topk(s, VAL_TOPK, c);
	for (j = 0; j < VAL_TOPK; j++)
		top[j] = j < k ? c[j].index : -1;
	return 0;
}

/**
 * struct val_out_bufs - room for one output tensor, as float
 * @x: a backend's
 * @ref_fp32: the fp32 reference's
 * @ref_int8: the int8 reference's
 * @cap: floats in each (the largest output)
 */
struct val_out_bufs {
	float *x, *ref_fp32, *ref_int8;
	size_t cap;
};

/* Fold @e into the backend's worst output error @w. */
static void fold_err(const struct val_layer_err *e, struct val_layer_err *w)
{
	if (!(e->max_abs <= w->max_abs))
		w->max_abs = e->max_abs;
	if (!(e->rel_l2 <= w->rel_l2))
		w->rel_l2 = e->rel_l2;
	if (!(e->cos >= w->cos))
		w->cos = e->cos;
	if (!isnan(w->q_max) && !(e->q_max <= w->q_max))
		w->q_max = e->q_max;
}

/*
 * Output @o of the last run of every backend against the references' same
 * output: an int8 session with the int8 reference in quantized units of
 * the tensor (a float or integer output exactly), and, not judged, with
 * the fp32 one; the others with the fp32 reference.
 */
static int compare_output(struct val_run *r, int o, struct val_out_bufs *ob)
{
	struct mnet_output_info info;
	float scale = 0;
	size_t n;
	int b, ret;

	ret = mnet_model_output_info(r->model, o, &info);
	if (ret)
		return ret;
	n = (size_t)info.shape.h * info.shape.w * info.shape.c;
	if (info.type == MNET_DTYPE_UINT8 || info.type == MNET_DTYPE_INT8 ||
	    info.type == MNET_DTYPE_INT16)
		scale = info.scale;
	ret = mnet_session_output_read(r->ref_fp32, o, ob->ref_fp32, ob->cap);
	if (!ret && r->ref_int8)
		ret = mnet_session_output_read(r->ref_int8, o, ob->ref_int8,
					       ob->cap);
	if (ret) {
		fprintf(stderr, "%s: output %d (%s) of the reference: %s\n",
			prog, o, info.name, mnet_strerror(ret));
		return ret;
	}
	for (b = 0; b < r->n_be; b++) {
		struct val_backend *be = &r->be[b];

		ret = mnet_session_output_read(be->s, o, ob->x, ob->cap);
		if (ret) {
			fprintf(stderr, "%s: output %d (%s) on %s: %s\n", prog,
				o, info.name, be->name, mnet_strerror(ret));
			return ret;
		}
		/* beside the verdict: how far int8 is from fp32 */
		if (be->int8)
			compare(ob->x, ob->ref_fp32, n, &be->fp32_err);
		if (b == 0)
			continue;
		compare(ob->x, be->int8 ? ob->ref_int8 : ob->ref_fp32, n,
			&be->outs[o]);
		if (be->int8)
			compare_q(ob->x, ob->ref_int8, n, scale, &be->outs[o]);
		fold_err(&be->outs[o], &be->out_err);
	}
	return 0;
}

static int run_image(struct val_run *r, int i, const float *in, size_t n_in,
		     struct mnet_layer_time *lt, struct val_out_bufs *ob)
{
	struct mnet_class top[VAL_TOPK];
	int top_fp32[VAL_TOPK], top_int8[VAL_TOPK];
	int b, l, k, o, ret;

	for (b = 0; b < r->n_be; b++) {
		struct val_backend *be = &r->be[b];

		be->run_ms[i] = mnet_now_ms();
		ret = mnet_session_run(be->s, in, n_in);
		be->run_ms[i] = mnet_now_ms() - be->run_ms[i];
		if (ret) {
			fprintf(stderr, "%s: %s: run on %s failed: %s\n", prog,
				r->images[i].path, be->name, mnet_strerror(ret));
			return ret;
		}
		if (!mnet_session_layer_times(be->s, lt))
			for (l = 0; l < r->n_layers; l++)
				be->ms_all[(size_t)l * r->n_images + i] = lt[l].ms;
		k = mnet_session_topk(be->s, VAL_TOPK, top);
		for (l = 0; l < VAL_TOPK; l++)
			be->top[i][l] = l < k ? top[l].index : -1;
	}
	/* the references: be[0], and the other precision's if needed */
	memcpy(top_fp32, r->be[0].top[i], sizeof(top_fp32));
	memcpy(top_int8, r->be[0].top[i], sizeof(top_int8));
	if (r->own_fp32 && (ret = run_oracle(r, i, r->own_fp32, in, n_in,
					     top_fp32)))
		return ret;
	if (r->own_int8 && (ret = run_oracle(r, i, r->own_int8, in, n_in,
					     top_int8)))
		return ret;
	for (o = 0; o < r->n_outputs; o++) {
		ret = compare_output(r, o, ob);
		if (ret)
			return ret;
	}
	for (b = 1; b < r->n_be; b++) {
		struct val_backend *be = &r->be[b];
		const int *rt = be->int8 ? top_int8 : top_fp32;

		be->top1_agree += be->top[i][0] == rt[0];
		be->top5_agree += same_set(be->top[i], rt, VAL_TOPK);
	}
	for (b = 0; b < r->n_be; b++)
		if (r->be[b].int8)
			r->be[b].fp32_top1_agree += r->be[b].top[i][0] ==
						    top_fp32[0];
	for (b = 0; b < r->n_be; b++) {
		struct val_backend *be = &r->be[b];

		if (r->images[i].truth < 0)
			continue;
		be->top1_hit += be->top[i][0] == r->images[i].truth;
		for (l = 0; l < VAL_TOPK; l++)
			be->top5_hit += be->top[i][l] == r->images[i].truth;
	}
	return 0;
}

static void summarise(struct val_run *r)
{
	int b, l;

	r->pass = 1;
	for (b = 0; b < r->n_be; b++) {
		struct val_backend *be = &r->be[b];

		for (l = 0; l < r->n_layers; l++)
			be->ms[l] = mnet_tool_median(be->ms_all +
						     (size_t)l * r->n_images,
						     r->n_images);
		be->run_ms_median = mnet_tool_median(be->run_ms, r->n_images);
		if (b == 0)
			continue;
		for (l = 0; r->layer_images && l < r->n_layers; l++) {
			if (!val_err_over(be, &be->err[l]))
				continue;
			if (be->first_fail < 0)
				be->first_fail = l;
			be->n_fail_layers++;
		}
		if (val_err_over(be, &be->out_err) || be->n_fail_layers ||
		    (be->agree_min >= 0 &&
		     be->top1_agree < be->agree_min * r->n_images - 1e-9))
			r->pass = 0;
	}
}

/* -v: one image's top-1 and time on every backend */
static void print_image(const struct val_run *r, int i)
{
	int b;

	fprintf(stderr, "%s: image %d/%d %s:", prog, i + 1, r->n_images,
		r->images[i].path);
	for (b = 0; b < r->n_be; b++)
		fprintf(stderr, " %s top-1 %d (%.2f ms)%s", r->be[b].id,
			r->be[b].top[i][0], r->be[b].run_ms[i],
			b + 1 < r->n_be ? "," : "");
	fprintf(stderr, "%s\n", i < r->layer_images ?
		"; every layer compared" : "");
}

int val_run_all(struct val_run *r, const struct val_args *a)
{
	struct mnet_shape is = mnet_model_input_shape(r->model);
	size_t n_in = (size_t)is.h * is.w * is.c, cap = max_layer_elems(r);
	struct val_out_bufs ob = { 0 };
	struct mnet_layer_time *lt;
	float *in, *ref_q, *ref_l, *x_l;
	struct mnet_output_info info;
	struct mnet_err err;
	int i, ret = -ENOMEM, tty = !a->quiet && !a->verbose && isatty(2);

	for (i = 0; i < r->n_outputs; i++) {
		if (mnet_model_output_info(r->model, i, &info))
			return -EINVAL;
		if ((size_t)info.shape.h * info.shape.w * info.shape.c > ob.cap)
			ob.cap = (size_t)info.shape.h * info.shape.w *
				 info.shape.c;
	}
	ob.x = malloc(ob.cap * sizeof(float));
	ob.ref_fp32 = malloc(ob.cap * sizeof(float));
	ob.ref_int8 = malloc(ob.cap * sizeof(float));

	in = malloc(n_in * sizeof(*in));
	ref_q = malloc(cap * sizeof(*ref_q));
	ref_l = malloc(cap * sizeof(*ref_l));
	x_l = malloc(cap * sizeof(*x_l));
	lt = calloc((size_t)r->n_layers, sizeof(*lt));
	if (!in || !ref_q || !ref_l || !x_l || !lt || !ob.x || !ob.ref_fp32 ||
	    !ob.ref_int8) {
		fprintf(stderr, "%s: out of memory\n", prog);
		goto out_free;
	}
	for (i = 0; i < r->n_images; i++) {
		struct mnet_image *img;

		if (tty)
			fprintf(stderr, "\r%s: image %d/%d", prog, i + 1,
				r->n_images);
		else if (!a->quiet && !a->verbose && r->n_images >= 10 &&
			 (i + 1) % (r->n_images / 10) == 0)
			/* a log or a pipe: a line at every tenth */
			fprintf(stderr, "%s: image %d/%d\n", prog, i + 1,
				r->n_images);
		err.msg[0] = '\0';
		ret = mnet_image_load(r->images[i].path, &img, &err);
		if (ret) {
			fprintf(stderr, "%s%s: %s\n", tty ? "\n" : "", prog,
				err.msg[0] ? err.msg : mnet_strerror(ret));
			goto out_free;
		}
		ret = mnet_image_preprocess(img, r->model, a->crop, in, n_in);
		mnet_image_free(img);
		if (ret) {
			fprintf(stderr, "%s: %s: preprocessing failed: %s\n",
				prog, r->images[i].path, mnet_strerror(ret));
			goto out_free;
		}
		ret = run_image(r, i, in, n_in, lt, &ob);
		if (!ret && i < r->layer_images)
			ret = compare_layers(r, ref_l, ref_q, x_l, cap);
		if (ret)
			goto out_free;
		if (a->verbose)
			print_image(r, i);
	}
	if (tty)
		fprintf(stderr, "\r%*s\r", 40, "");
	summarise(r);
	ret = 0;
out_free:
	free(lt);
	free(x_l);
	free(ref_l);
	free(ref_q);
	free(in);
	free(ob.ref_int8);
	free(ob.ref_fp32);
	free(ob.x);
	return ret;
}

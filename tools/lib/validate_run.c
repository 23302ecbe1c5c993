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
 * without it in --backends they are a usage error, not quietly dropped.
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
	/* device and precision are the OpenCL backend's (checked in main) */
	if (b->kind == MNET_BACKEND_OPENCL) {
		o.device = a->device;
		o.precision = a->precision;
	}
	o.profile = 1;
	ret = mnet_session_create(r->model, &o, &b->s, &err);
	if (ret) {
		fprintf(stderr, "%s: backend %s: %s\n", prog, b->id,
			err.msg[0] ? err.msg : mnet_strerror(ret));
		return ret;
	}
	if (err.msg[0] && !a->quiet)
		fprintf(stderr, "%s: backend %s: %s\n", prog, b->id, err.msg);
	snprintf(b->name, sizeof(b->name), "%s", mnet_session_backend_name(b->s));
	snprintf(b->device, sizeof(b->device), "%s",
		 mnet_session_device_name(b->s));
	b->fp16 = strstr(b->name, "fp16") != NULL;
	b->tol = a->tolerance >= 0 ? a->tolerance : b->fp16 ? 1e-2 : 1e-4;
	b->agree_min = a->min_agree >= 0 ? a->min_agree : b->fp16 ? -1 : 1;
	b->first_fail = -1;
	if (a->verbose && b->kind == MNET_BACKEND_REF)
		fprintf(stderr, "%s: backend ref: %s on %s, the reference the others are compared with\n",
			prog, b->name, b->device[0] ? b->device : "-");
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
	if (!b->ms || !b->ms_all || !b->run_ms || !b->top || !b->err) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return -ENOMEM;
	}
	for (l = 0; l < r->n_layers; l++)
		b->err[l].cos = 1;
	b->out_err.cos = 1;
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
}

/* ---- comparison --------------------------------------------------------- */

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

static int compare_layers(struct val_run *r, float *ref, float *x, size_t cap)
{
	struct mnet_layer_info li;
	int l, b, ret;

	for (l = 0; l < r->n_layers; l++) {
		size_t n;

		mnet_model_layer_info(r->model, l, &li);
		n = (size_t)li.out.h * li.out.w * li.out.c;
		ret = mnet_session_layer_output(r->be[0].s, l, ref, cap);
		for (b = 1; !ret && b < r->n_be; b++) {
			ret = mnet_session_layer_output(r->be[b].s, l, x, cap);
			if (!ret)
				compare(x, ref, n, &r->be[b].err[l]);
		}
		if (ret) {
			fprintf(stderr, "%s: reading layer %d (%s): %s\n", prog,
				l, li.name, mnet_strerror(ret));
			return ret;
		}
	}
	return 0;
}

static int run_image(struct val_run *r, int i, const float *in, size_t n_in,
		     float *ref_out, struct mnet_layer_time *lt)
{
	struct mnet_class top[VAL_TOPK];
	const float *out;
	size_t n_out;
	int b, l, k, ret;

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
		out = mnet_session_output(be->s, &n_out);
		if (b == 0)
			memcpy(ref_out, out, n_out * sizeof(*out));
		else
			compare(out, ref_out, n_out, &be->out_err);
		be->top1_agree += be->top[i][0] == r->be[0].top[i][0];
		be->top5_agree += same_set(be->top[i], r->be[0].top[i], VAL_TOPK);
		if (r->images[i].truth >= 0) {
			be->top1_hit += be->top[i][0] == r->images[i].truth;
			for (l = 0; l < VAL_TOPK; l++)
				be->top5_hit += be->top[i][l] ==
						r->images[i].truth;
		}
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
			if (be->err[l].rel_l2 <= be->tol)
				continue;
			if (be->first_fail < 0)
				be->first_fail = l;
			be->n_fail_layers++;
		}
		if (!(be->out_err.rel_l2 <= be->tol) || be->n_fail_layers ||
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
	struct mnet_layer_time *lt;
	float *in, *ref_out, *ref_l, *x_l;
	struct mnet_err err;
	int i, ret = -ENOMEM, tty = !a->quiet && !a->verbose && isatty(2);

	in = malloc(n_in * sizeof(*in));
	ref_out = malloc(cap * sizeof(*ref_out));
	ref_l = malloc(cap * sizeof(*ref_l));
	x_l = malloc(cap * sizeof(*x_l));
	lt = calloc((size_t)r->n_layers, sizeof(*lt));
	if (!in || !ref_out || !ref_l || !x_l || !lt) {
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
		ret = run_image(r, i, in, n_in, ref_out, lt);
		if (!ret && i < r->layer_images)
			ret = compare_layers(r, ref_l, x_l, cap);
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
	free(ref_out);
	free(in);
	return ret;
}

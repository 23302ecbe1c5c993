/* SPDX-License-Identifier: Apache-2.0 */
/*
 * validate.h - the command line and the results of mnet-validate, shared
 * by its inputs, its runs and its text, JSON and HTML writers
 */
#ifndef MNET_TOOLS_VALIDATE_H
#define MNET_TOOLS_VALIDATE_H

#include <math.h>
#include <stdio.h>

#include "mnet/mnet.h"

#define VAL_MAX_BACKENDS 3
#define VAL_TOPK 5
#define VAL_PROG "mnet-validate"

/**
 * struct val_args - mnet-validate's command line (see its --help)
 * @model: -m, a .tflite file or a bare name
 * @synthetic: 1 or 2 for --synthetic / --synthetic-v2, else 0
 * @alpha: the synthetic model's width multiplier
 * @res: the synthetic model's input resolution
 * @images_dir: --images, or NULL
 * @truth: --truth, or NULL
 * @files: image files named on the command line
 * @n_files: their number
 * @backends: --backends, or NULL for all three
 * @device: --device, or NULL
 * @precision: --precision (the OpenCL backend's)
 * @threads: --threads
 * @tolerance: --tolerance, or < 0 for the defaults
 * @min_agree: --min-agree as a fraction, or < 0 for the defaults
 * @layer_images: --layer-images
 * @limit: --limit, 0 for no limit
 * @crop: --crop
 * @json: --json
 * @report: --report, or NULL
 * @labels: --labels, or NULL
 * @quiet: -q: no progress, no notes
 * @verbose: -v: each backend's session and tolerances, a line per image
 *           (the later of -q and -v wins)
 */
struct val_args {
	const char *model;
	int synthetic;
	float alpha;
	int res;
	const char *images_dir;
	const char *truth;
	char **files;
	int n_files;
	const char *backends;
	const char *device;
	enum mnet_precision precision;
	int threads;
	double tolerance;	/* < 0: defaults */
	double min_agree;	/* < 0: defaults */
	int layer_images;
	int limit;
	float crop;
	int json;
	const char *report;
	const char *labels;
	int quiet;
	int verbose;
};

/**
 * struct val_layer_err - one layer of one backend against the reference
 * @max_abs: largest |x - ref| over the compared images
 * @rel_l2: largest ||x - ref|| / ||ref|| over the compared images
 * @cos: smallest cosine similarity of x and ref over the compared images
 * @q_max: for an int8 session, largest |x - ref| / scale (quantized units
 *         of the tensor, mnet_model_layer_quant()) against the int8
 *         reference; NaN for the other sessions
 */
struct val_layer_err {
	double max_abs;
	double rel_l2;
	double cos;
	double q_max;
};

/**
 * struct val_backend - one backend's session and everything measured on it
 * @kind: which backend
 * @id: short name ("ref", "cpu", "opencl")
 * @s: the session
 * @name: the session's variant name ("cpu-avx2", "opencl-fp16-storage")
 * @device: the session's device description
 * @fp16: 1 when the session stores or computes in fp16
 * @prec: what the session computes in (mnet_session_precision())
 * @int8: 1 when @prec is int8: compared with the int8 reference in
 *        quantized units, where any difference fails
 * @tol: relative L2 limit for every layer and the output
 * @agree_min: top-1 agreement floor in [0, 1], or -1 when not checked
 * @err: per layer, worst over the layer-compared images (NULL for ref)
 * @out_err: the output tensors, worst over all of them and all images
 *           (unused for ref)
 * @outs: per output tensor (mnet_model_output_count()), worst over all
 *        images: what @out_err is the worst of
 * @ms: per layer, median over all images of the session's layer time
 * @ms_all: [layer * n_images + image] layer times
 * @run_ms: per image, host wall time of mnet_session_run()
 * @run_ms_median: median of @run_ms
 * @top: [image][VAL_TOPK] class indices
 * @top1_agree: images whose top-1 equals the reference's
 * @top5_agree: images whose top-5 set equals the reference's
 * @top1_hit: images whose top-1 is the true class (with a truth file)
 * @top5_hit: images whose top-5 holds the true class
 * @first_fail: first layer over tolerance, -1 if none
 * @n_fail_layers: number of layers over tolerance
 * @fp32_err: int8 sessions: the output against the fp32 reference, worst
 *            over all images (reported, never judged)
 * @fp32_top1_agree: int8 sessions: images whose top-1 equals the fp32
 *                   reference's
 */
struct val_backend {
	enum mnet_backend_kind kind;
	const char *id;
	struct mnet_session *s;
	char name[64];
	char device[256];
	int fp16;
	enum mnet_precision prec;
	int int8;
	double tol;
	double agree_min;
	struct val_layer_err *err;
	struct val_layer_err out_err;
	struct val_layer_err *outs;
	double *ms;
	double *ms_all;
	double *run_ms;
	double run_ms_median;
	int (*top)[VAL_TOPK];
	int top1_agree, top5_agree;
	int top1_hit, top5_hit;
	int first_fail;
	int n_fail_layers;
	struct val_layer_err fp32_err;
	int fp32_top1_agree;
};

/**
 * struct val_image - one input
 * @path: file path
 * @truth: true class, or -1 without a truth file
 */
struct val_image {
	char *path;
	int truth;
};

/**
 * struct val_run - a whole validation
 * @model: the model
 * @model_name: its name
 * @n_layers: its layer count
 * @n_outputs: its output tensor count (every one is compared)
 * @images: the inputs
 * @n_images: number of inputs
 * @layer_images: how many of the first images were compared layer by layer
 * @have_truth: 1 when @images carry true classes
 * @truth_file: the truth file, or NULL
 * @be: the backends; be[0] is always the reference
 * @n_be: number of backends
 * @pass: 1 when no tolerance was exceeded
 * @date: when the run started (UTC, ISO 8601)
 * @labels: class labels (mnet_tool_find_labels()), or NULL
 * @n_labels: their number
 * @label_offset: see mnet_tool_find_labels()
 * @ref_fp32: the fp32 reference session (be[0]'s, or @own_fp32), NULL
 *            when no session needs it
 * @ref_int8: the int8 reference session (be[0]'s, or @own_int8), NULL
 *            when no session computes in int8
 * @own_fp32: a ref session at fp32 opened beside be[0] (be[0] is int8)
 * @own_int8: a ref session at int8 opened beside be[0] (be[0] is fp32
 *            and another session resolved to int8)
 * @has_int8: some session computes in int8
 */
struct val_run {
	const struct mnet_model *model;
	const char *model_name;
	int n_layers;
	int n_outputs;
	struct val_image *images;
	int n_images;
	int layer_images;
	int have_truth;
	const char *truth_file;
	struct val_backend be[VAL_MAX_BACKENDS];
	int n_be;
	int pass;
	char date[32];
	char **labels;
	int n_labels;
	int label_offset;
	struct mnet_session *ref_fp32, *ref_int8;
	struct mnet_session *own_fp32, *own_int8;
	int has_int8;
};

/* ---- judging the results (the text, JSON and HTML writers agree) ---- */

/* @num / @den, or NaN for no images */
static inline double val_frac(int num, int den)
{
	return den ? (double)num / den : NAN;
}

/* The sum of a backend's per-layer medians over @n layers. */
static inline double val_layer_sum(const struct val_backend *be, int n)
{
	double s = 0;
	int l;

	for (l = 0; l < n; l++)
		s += be->ms[l];
	return s;
}

/* Whether @be's top-1 agreement meets its floor (or has none). */
static inline int val_agree_ok(const struct val_run *r,
			       const struct val_backend *be)
{
	return be->agree_min < 0 ||
	       be->top1_agree >= be->agree_min * r->n_images - 1e-9;
}

/*
 * Whether error @e of @be is over its limit: for an int8 session any
 * quantized unit of difference from the int8 reference, for the others a
 * relative L2 error over the tolerance.
 */
static inline int val_err_over(const struct val_backend *be,
			       const struct val_layer_err *e)
{
	return be->int8 ? !(e->q_max <= 0) : !(e->rel_l2 <= be->tol);
}

/* Whether backend @b of @r is within all its limits (the oracle always is). */
static inline int val_backend_pass(const struct val_run *r, int b)
{
	const struct val_backend *be = &r->be[b];

	return !b || (be->first_fail < 0 && !val_err_over(be, &be->out_err) &&
		      val_agree_ok(r, be));
}

/*
 * Whether backend @b ran layer @l inside the previous one (a time of 0
 * where another backend measured it), as against an alias layer that no
 * backend times.
 */
static inline int val_layer_fused(const struct val_run *r, int b, int l)
{
	int k;

	if (r->be[b].ms[l] > 0)
		return 0;
	for (k = 0; k < r->n_be; k++)
		if (r->be[k].ms[l] > 0)
			return 1;
	return 0;
}

/**
 * val_write_report() - write DIR/<model>.html, DIR/<model>.json and
 * refresh DIR/index.html
 * @dir: report folder (created if missing)
 * @r: results
 * @prog: program name for messages
 *
 * Says where the page went on stderr.
 *
 * Return: 0, or -errno with a message on stderr.
 */
int val_write_report(const char *dir, const struct val_run *r,
		     const char *prog);

#endif /* MNET_TOOLS_VALIDATE_H */

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * validate.h - the results of mnet-validate, shared by its text, JSON and
 * HTML writers
 */
#ifndef MNET_TOOLS_VALIDATE_H
#define MNET_TOOLS_VALIDATE_H

#include <stdio.h>

#include "mnet/mnet.h"

#define VAL_MAX_BACKENDS 3
#define VAL_TOPK 5

/**
 * struct val_layer_err - one layer of one backend against the reference
 * @max_abs: largest |x - ref| over the compared images
 * @rel_l2: largest ||x - ref|| / ||ref|| over the compared images
 * @cos: smallest cosine similarity of x and ref over the compared images
 */
struct val_layer_err {
	double max_abs;
	double rel_l2;
	double cos;
};

/**
 * struct val_backend - one backend's session and everything measured on it
 * @kind: which backend
 * @id: short name ("ref", "cpu", "opencl")
 * @s: the session
 * @name: the session's variant name ("cpu-avx2", "opencl-fp16-storage")
 * @device: the session's device description
 * @fp16: 1 when the session stores or computes in fp16
 * @tol: relative L2 limit for every layer and the output
 * @agree_min: top-1 agreement floor in [0, 1], or -1 when not checked
 * @err: per layer, worst over the layer-compared images (NULL for ref)
 * @out_err: the output tensor, worst over all images (NULL for ref)
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
 */
struct val_backend {
	enum mnet_backend_kind kind;
	const char *id;
	struct mnet_session *s;
	char name[64];
	char device[256];
	int fp16;
	double tol;
	double agree_min;
	struct val_layer_err *err;
	struct val_layer_err out_err;
	double *ms;
	double *ms_all;
	double *run_ms;
	double run_ms_median;
	int (*top)[VAL_TOPK];
	int top1_agree, top5_agree;
	int top1_hit, top5_hit;
	int first_fail;
	int n_fail_layers;
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
 */
struct val_run {
	const struct mnet_model *model;
	const char *model_name;
	int n_layers;
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
};

/**
 * val_write_json() - write the results as one JSON object
 * @f: stream
 * @r: results
 *
 * The fields are documented in mnet-validate's --help and in
 * docs/validate.md.
 */
void val_write_json(FILE *f, const struct val_run *r);

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

/**
 * val_json_num() - print a number JSON can hold (non-finite as null)
 * @f: stream
 * @v: value
 */
void val_json_num(FILE *f, double v);

#endif /* MNET_TOOLS_VALIDATE_H */

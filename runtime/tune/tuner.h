/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tuner.h - search per-layer OpenCL kernel configurations, checked and timed
 */
#ifndef MNET_RUNTIME_TUNER_H
#define MNET_RUNTIME_TUNER_H

#include "mnet/mnet.h"
#include "model/model.h"
#include "tune/tune_db.h"
#include "tune/tuner_space.h"

/**
 * struct mnet_tune_progress - where a tuning run is, for a progress display
 * @done: candidates finished (measured, rejected or skipped)
 * @total: candidates planned
 * @layer: the layer being tuned (first layer with its key)
 * @layer_name: its name
 * @elapsed_s: seconds since the run started
 * @eta_s: estimated seconds left (bounded by the budget)
 */
struct mnet_tune_progress {
	int done;
	int total;
	int layer;
	const char *layer_name;
	double elapsed_s;
	double eta_s;
};

/**
 * struct mnet_tuner_opts - what and how to tune
 * @device: OpenCL device (as &struct mnet_session_opts.device)
 * @precision: precision mode (resolved as the backend does)
 * @mode: search mode
 * @budget_s: wall-clock bound for the search in seconds (0: none); the
 *            best configuration found so far is kept when it runs out;
 *            the first candidate always runs, even when setting up the
 *            device took the whole budget
 * @db_path: database file; NULL means $MNET_TUNE_DB, else the default
 * @progress: optional callback after each candidate
 * @ctx: passed to @progress
 */
struct mnet_tuner_opts {
	const char *device;
	enum mnet_precision precision;
	enum mnet_tune_mode mode;
	double budget_s;
	const char *db_path;
	void (*progress)(const struct mnet_tune_progress *p, void *ctx);
	void *ctx;
};

/**
 * struct mnet_tune_layer_result - the outcome for one distinct layer
 * @layer: index of the first layer with this key
 * @count: layers of the model sharing the key
 * @name: the first layer's name
 * @op: its op name
 * @default_cfg: the default configuration (text form)
 * @best_cfg: the chosen configuration (text form)
 * @default_ms: median device time of the default (0: not measured)
 * @default_spread: its interquartile range
 * @best_ms: median device time of @best_cfg
 * @best_spread: its interquartile range
 * @space: candidates in this mode's space for this layer, once pruned
 * @pruned: candidates of the mode left out of @space before building:
 *          the device cannot run them (mnet_tune_cand_fits())
 * @measured: candidates that ran, passed the check and were timed
 * @pruned_built: candidates of @space dropped once built: beyond the
 *                compiled kernel's work-group size or local memory
 * @rejected_wrong: candidates whose output failed the reference check
 * @failed: candidates that did not build or enqueue
 * @unsure: the best's spread overlaps the default's, or it was not faster
 *          inside the model: the default is kept
 * @demoted: unsure because it was not faster inside the model
 * @model_default_ms: in-model median device time of the default (summed
 *                    over the layers sharing the key)
 * @model_tuned_ms: the same with the tuned database
 * @complete: the whole space was covered (not cut by the budget)
 * @reject_msg: the first rejection, for the report
 */
struct mnet_tune_layer_result {
	int layer;
	int count;
	char name[64];
	const char *op;
	char default_cfg[MNET_TUNE_CFG_LEN];
	char best_cfg[MNET_TUNE_CFG_LEN];
	double default_ms, default_spread;
	double best_ms, best_spread;
	int space;
	int pruned;
	int measured;
	int pruned_built;
	int rejected_wrong;
	int failed;
	int unsure;
	int demoted;
	double model_default_ms, model_tuned_ms;
	int complete;
	char reject_msg[160];
};

/**
 * struct mnet_tune_result - the outcome of a tuning run
 * @layers: one per distinct layer key, in model order
 * @n_layers: their count
 * @candidates: candidates tried over all layers
 * @rejected_wrong: of those, rejected by the reference check
 * @seconds: wall time of the search
 * @budget_hit: the budget ran out before the space was covered
 * @db_path: the database written
 * @db_rep: lines skipped while merging with the file on disk
 * @device: the device tuned on
 * @precision: the resolved precision ("fp32", "fp16-storage", "fp16")
 */
struct mnet_tune_result {
	struct mnet_tune_layer_result *layers;
	int n_layers;
	int candidates;
	int rejected_wrong;
	double seconds;
	int budget_hit;
	char db_path[4096];
	struct mnet_tune_db_report db_rep;
	char device[256];
	const char *precision;
};

/**
 * mnet_tuner_run() - tune every distinct layer of a model, save the results
 * @m: model
 * @o: options
 * @r: receives the results (release with mnet_tune_result_fini())
 * @err: optional error report
 *
 * For each distinct layer key (cl_tune.c) the candidates of @o->mode are
 * built, run once on a random input and compared with the reference
 * kernel (runtime/reference/ref_layer.h) on the same input (relative tolerance 1e-4 in fp32,
 * 1e-2 in the fp16 modes); a candidate that fails is rejected and never
 * timed.  The others are timed with event profiling after a warm-up run
 * until the median is stable or a cap is hit.  Results are merged into
 * the database file (tune_db.c); then the model runs with default and
 * with tuned configurations (event profiling, interleaved) and a tuned
 * configuration that is not faster inside the model is demoted to
 * "unsure" and the file updated.
 *
 * Test hook (tests only): $MNET_TUNE_PLANT_WRONG=1 adds to every layer a
 * candidate that launches the default configuration without its last
 * row of work-groups (faster than the default, and wrong); it must be
 * rejected.
 *
 * The tuner reads the model's weights throughout, holding them
 * (mnet_model_weights_get()) so that they cannot be released meanwhile.
 *
 * Return: 0, -ENODEV (no device), -EOPNOTSUPP (precision), -ENOMEM, -EIO,
 * -EINVAL (the model's weights were released), or the database write error.
 */
int mnet_tuner_run(const struct mnet_model *m, const struct mnet_tuner_opts *o,
		   struct mnet_tune_result *r, struct mnet_err *err);

/**
 * mnet_tune_result_fini() - release a result
 * @r: result
 */
void mnet_tune_result_fini(struct mnet_tune_result *r);

#endif /* MNET_RUNTIME_TUNER_H */

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tuner_space.h - the candidate configurations the tuner tries per layer
 */
#ifndef MNET_RUNTIME_TUNER_SPACE_H
#define MNET_RUNTIME_TUNER_SPACE_H

#include "cl/cl_device.h"
#include "model/model.h"
#include "opencl/cl_layer.h"
#include "opencl/cl_precision.h"
#include "tune/tune_db.h"

#define MNET_TUNE_MAX_CANDS 16384

/**
 * enum mnet_tune_mode - how much of the search space to cover
 * @MNET_TUNE_FAST: a few well-chosen candidates per layer (seconds)
 * @MNET_TUNE_NORMAL: vector widths x tiles x a handful of work-groups
 * @MNET_TUNE_EXHAUSTIVE: every vector width, tile and power-of-two
 *                        work-group shape the device allows
 */
enum mnet_tune_mode {
	MNET_TUNE_FAST = 0,
	MNET_TUNE_NORMAL,
	MNET_TUNE_EXHAUSTIVE,
};

/**
 * struct mnet_tune_cand - one candidate configuration
 * @cfg: its knobs
 * @planted: the test hook's wrong candidate (last work-group row left out)
 * @text: @cfg's text form (deduplication)
 */
struct mnet_tune_cand {
	struct mnet_cl_layer_cfg cfg;
	int planted;
	char text[MNET_TUNE_CFG_LEN];
};

/**
 * mnet_tune_space() - the candidates of a mode for one layer
 * @dev: device (work-group limits)
 * @prec: precision (whether the CLBlast variant applies)
 * @mode: search mode
 * @planted: 1 to append the test hook's wrong candidate
 * @l: layer
 * @def: its default configuration, the first candidate (unless the
 *       device cannot run it: mnet_cl_layer_cfg_default() keeps to the
 *       limits mnet_tune_cand_fits() checks, so it can)
 * @c: receives up to MNET_TUNE_MAX_CANDS candidates (the whole array is
 *     scratch: the pruned ones are kept at its end while generating)
 * @n: receives their number
 * @pruned: optional: receives the number of distinct candidates left out
 *          because the device cannot run them (mnet_tune_cand_fits())
 *
 * Nothing is built: the space only reads @dev's limits, so a described
 * device is enough.  On a GPU (mnet_cl_layer_cpu_class()) kernel
 * candidates over their op's traffic cap are not listed (not counted in
 * @pruned); the default always is.
 */
void mnet_tune_space(const struct mnet_cl_device *dev,
		     const struct mnet_cl_precision *prec,
		     enum mnet_tune_mode mode, int planted,
		     const struct mnet_layer *l,
		     const struct mnet_cl_layer_cfg *def,
		     struct mnet_tune_cand *c, int *n, int *pruned);

/**
 * mnet_tune_cand_fits() - whether a device's limits allow a candidate
 * @dev: device: max_wg, max_items[], local_mem
 * @l: layer (its op entry gives the local memory per work-item)
 * @cfg: candidate
 *
 * A kernel candidate fits when its work-group's total is at most
 * @dev->max_wg, each dimension at most @dev->max_items[d], and the op's
 * local memory (&struct mnet_cl_op.local_per_item plus
 * .local_arg_per_item, times the work-group) at most @dev->local_mem; no
 * local size (wg[0] == 0) always fits.  The CLBlast variant fits when
 * mnet_cl_gemm_fits() says so.  The compiled kernel's own limits
 * (CL_KERNEL_WORK_GROUP_SIZE, CL_KERNEL_LOCAL_MEM_SIZE) are only known
 * once built: the tuner checks those.
 *
 * Return: 1 if it fits, else 0.
 */
int mnet_tune_cand_fits(const struct mnet_cl_device *dev,
			const struct mnet_layer *l,
			const struct mnet_cl_layer_cfg *cfg);

/**
 * mnet_tune_mode_parse() - parse "fast", "normal" or "exhaustive"
 * @s: text
 * @out: receives the mode
 *
 * Return: 0 or -EINVAL.
 */
int mnet_tune_mode_parse(const char *s, enum mnet_tune_mode *out);

#endif /* MNET_RUNTIME_TUNER_SPACE_H */

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

#define MNET_TUNE_MAX_CANDS 4096

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
 * @def: its default configuration, always the first candidate
 * @c: receives up to MNET_TUNE_MAX_CANDS candidates
 * @n: receives their number
 */
void mnet_tune_space(const struct mnet_cl_device *dev,
		     const struct mnet_cl_precision *prec,
		     enum mnet_tune_mode mode, int planted,
		     const struct mnet_layer *l,
		     const struct mnet_cl_layer_cfg *def,
		     struct mnet_tune_cand *c, int *n);

/**
 * mnet_tune_mode_parse() - parse "fast", "normal" or "exhaustive"
 * @s: text
 * @out: receives the mode
 *
 * Return: 0 or -EINVAL.
 */
int mnet_tune_mode_parse(const char *s, enum mnet_tune_mode *out);

#endif /* MNET_RUNTIME_TUNER_SPACE_H */

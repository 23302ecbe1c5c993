/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tuner_q8.h - the work-group sizes of the OpenCL int8 kernels
 */
#ifndef MNET_RUNTIME_TUNER_Q8_H
#define MNET_RUNTIME_TUNER_Q8_H

#include "tune/tuner.h"

/**
 * mnet_tuner_q8_run() - tune an int8 session's device layers
 * @m: a quantized model
 * @o: options (@o->precision is MNET_PRECISION_INT8; @o->mode and
 *     @o->progress are not used: the space is small)
 * @r: receives the outcome (mnet_tune_result_fini() it)
 * @err: optional error report
 *
 * For each distinct device layer of an int8 session (key:
 * mnet_cl_q8_layer_key(), precision "int8"), the driver's choice and
 * a few power-of-two work-group shapes within the device's limits are
 * each launched after a warm-up and timed (wall clock around clFinish,
 * median of 7); a candidate whose output bytes differ from the
 * default's is rejected.  The best is stored when its median is under
 * 0.97 of the default's, else the default is, flagged unsure.  The
 * entries are merged into the database file.
 *
 * Return: 0, -ENODEV, -EINVAL (not quantized), -ENOMEM, -EIO, or the
 * database write error.
 */
int mnet_tuner_q8_run(const struct mnet_model *m,
		      const struct mnet_tuner_opts *o,
		      struct mnet_tune_result *r, struct mnet_err *err);

#endif /* MNET_RUNTIME_TUNER_Q8_H */

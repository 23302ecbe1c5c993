/* SPDX-License-Identifier: Apache-2.0 */
/* cl_frame.h - camera frames converted on the OpenCL device */
#ifndef MNET_RUNTIME_CL_FRAME_H
#define MNET_RUNTIME_CL_FRAME_H

#include "session/backend.h"

struct mnet_cl_state;

/**
 * mnet_cl_run_frame() - &struct mnet_backend_ops.run_frame of OpenCL
 * @be: the OpenCL backend
 * @fc: the checked frame and its conversion
 * @output: receives the model output
 * @times: per-layer times
 *
 * Uploads the frame's planes as bytes and the conversion's offset tables,
 * converts on the device into the model's input buffer (cl_kernels/
 * frame.cl), then runs as mnet_cl_run().
 *
 * Return: 0, -EOPNOTSUPP when frame.cl cannot be built for this
 * combination (nothing done: the session converts on the host), -ENOMEM,
 * -EIO; the session stays usable.
 */
int mnet_cl_run_frame(struct mnet_backend *be, const struct mnet_fconv *fc,
		      float *output, struct mnet_layer_time *times);

/**
 * mnet_cl_frame_fini() - release what the frame path made
 * @st: the session's device state (its @frame may be NULL)
 */
void mnet_cl_frame_fini(struct mnet_cl_state *st);

/**
 * mnet_cl_frame_kernels() - how many frame.cl kernels a session has built
 * @st: the session's device state
 *
 * For tests: proves that frames were converted on the device.
 *
 * Return: the count (0 before the first frame).
 */
int mnet_cl_frame_kernels(const struct mnet_cl_state *st);

#endif /* MNET_RUNTIME_CL_FRAME_H */

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * session_priv.h - what other parts of the runtime may reach of a session
 *
 * &struct mnet_session stays private to session.c; code that runs a
 * session another way (runtime/frame/) goes through these accessors.
 */
#ifndef MNET_RUNTIME_SESSION_PRIV_H
#define MNET_RUNTIME_SESSION_PRIV_H

#include <stddef.h>

#include "session/backend.h"

/**
 * mnet_session_backend() - the backend instance a session runs on
 * @s: session
 *
 * Return: the session's backend (owned by @s).
 */
struct mnet_backend *mnet_session_backend(struct mnet_session *s);

/**
 * mnet_session_input_buffer() - the session's own input tensor
 * @s: session
 * @count: receives its size in floats
 *
 * Preprocessing writes the model input here and then calls
 * mnet_session_run() on it, as mnet_session_run_image() does.
 *
 * Return: the buffer (owned by @s).
 */
float *mnet_session_input_buffer(struct mnet_session *s, size_t *count);

/**
 * mnet_session_note_frame() - record where the last frame's time went
 * @s: session
 * @convert_ms: host conversion
 * @infer_ms: the rest (device conversion, upload, inference)
 *
 * Read back with mnet_session_frame_times().
 */
void mnet_session_note_frame(struct mnet_session *s, double convert_ms,
			     double infer_ms);

/**
 * mnet_session_run_device_frame() - run a frame its backend converts
 * @s: session
 * @fc: the checked frame's conversion (host/frame/frame_conv.h)
 *
 * Through &struct mnet_backend_ops.run_frame, into the session's output
 * and times.
 *
 * Return: 0, -EOPNOTSUPP when the backend does not convert frames (then
 * nothing was done), or the run's error.
 */
int mnet_session_run_device_frame(struct mnet_session *s,
				  const struct mnet_fconv *fc);

#endif /* MNET_RUNTIME_SESSION_PRIV_H */

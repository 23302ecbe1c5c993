/* SPDX-License-Identifier: Apache-2.0 */
/* frame.h - checking a public &struct mnet_frame and resolving it */
#ifndef MNET_RUNTIME_FRAME_H
#define MNET_RUNTIME_FRAME_H

#include "mnet/mnet.h"
#include "frame/frame_conv.h"

/* Largest frame side accepted, as for decoded images. */
#define MNET_FRAME_MAX_SIDE 16384

/**
 * mnet_frame_resolve() - check a frame and describe its conversion
 * @f: the frame
 * @m: the model it feeds (input shape and mapping)
 * @dst: where the conversion writes the input tensor
 * @count: capacity of @dst in floats
 * @fc: receives the conversion (host/frame/frame_conv.h)
 * @err: optional; receives what is wrong with the frame
 *
 * Return: 0, or -EINVAL with a message naming the field at fault.
 */
int mnet_frame_resolve(const struct mnet_frame *f, const struct mnet_model *m,
		       float *dst, size_t count, struct mnet_fconv *fc,
		       struct mnet_err *err);

/**
 * mnet_frame_format_name() - a format's name for messages
 * @fmt: the format
 *
 * Return: a static string ("NV21", ...; "unknown").
 */
const char *mnet_frame_format_name(enum mnet_frame_format fmt);

struct mnet_session;

/**
 * mnet_frame_session_bytes() - whether frames for @s are converted to the
 * model's own input bytes
 * @s: session (its model, precision and backend)
 * @k: the host converter that will run
 *
 * True where @s computes in int8 and takes the file's bytes
 * (mnet_session_run_quantized()), @k writes bytes, and the model's pixel
 * mapping is its input tensor's quantization: then the conversion writes
 * one byte per value, which the session would otherwise quantize back
 * from the float it maps to, to the same byte.
 *
 * Return: 1 or 0.
 */
int mnet_frame_session_bytes(struct mnet_session *s,
			     const struct mnet_fconv_kernel *k);

#endif /* MNET_RUNTIME_FRAME_H */

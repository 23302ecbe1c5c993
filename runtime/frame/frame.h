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

#endif /* MNET_RUNTIME_FRAME_H */

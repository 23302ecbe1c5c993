/* SPDX-License-Identifier: Apache-2.0 */
/*
 * op_common.h - what several op descriptors share (op_common.c)
 */
#ifndef MNET_RUNTIME_OP_COMMON_H
#define MNET_RUNTIME_OP_COMMON_H

#include <stdint.h>

#include "mnet/mnet.h"
#include "model/ir.h"

/**
 * mnet_op_bad() - report a layer that breaks its op's rules
 * @m: model being validated
 * @l: the layer, one of @m's
 * @op: the op's name
 * @err: optional error report
 * @fmt: printf-style message
 *
 * The message reads "MODEL: layer I (NAME, OP): ...", as every layer error
 * of mnet_model_validate() does.
 *
 * Return: -EINVAL.
 */
int mnet_op_bad(const struct mnet_model *m, const struct mnet_layer *l,
		const char *op, struct mnet_err *err, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/**
 * mnet_op_check_window() - the rules of a kh x kw window op
 * @m: model being validated
 * @l: the layer
 * @op: the op's name, for messages
 * @err: optional error report
 * @same_channels: 1 if the op keeps the channel count (depthwise, pool)
 *
 * Kernel and stride within 1..64, every output position starting inside
 * the padded input, and the channel count kept when @same_channels.
 *
 * Return: 0 or -EINVAL.
 */
int mnet_op_check_window(const struct mnet_model *m,
			 const struct mnet_layer *l, const char *op,
			 struct mnet_err *err, int same_channels);

/**
 * mnet_op_shape_eq() - whether two shapes are equal
 * @a: shape
 * @b: shape
 *
 * Return: 1 or 0.
 */
int mnet_op_shape_eq(struct mnet_shape a, struct mnet_shape b);

/**
 * mnet_op_macs_per_pixel() - MACs of a convolution: every weight once per
 * output pixel
 * @l: the layer
 *
 * Return: n_weights * out_h * out_w.
 */
uint64_t mnet_op_macs_per_pixel(const struct mnet_layer *l);

/**
 * mnet_op_bytes_io() - bytes moved by a one-input op: input, weights,
 * bias and output, each once
 * @l: the layer
 *
 * Return: the byte count (all float).
 */
uint64_t mnet_op_bytes_io(const struct mnet_layer *l);

/**
 * mnet_op_kind_conv() - what a convolution's output holds
 * @l: the layer
 *
 * A convolution with a 1x1 output is a classifier (MobileNet's last 1x1
 * convolution in place of a fully connected layer).
 *
 * Return: %MNET_OUTPUT_LOGITS for a 1x1 output, else
 * %MNET_OUTPUT_EMBEDDING.
 */
int mnet_op_kind_conv(const struct mnet_layer *l);

#endif /* MNET_RUNTIME_OP_COMMON_H */

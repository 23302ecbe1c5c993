/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tflite_import.h - the TFLite loader's operator import (tflite_import.c)
 */
#ifndef MNET_RUNTIME_TFLITE_IMPORT_H
#define MNET_RUNTIME_TFLITE_IMPORT_H

#include <stdint.h>

#include "tflite/tflite_ctx.h"

/**
 * mnet_tfl_op_layers() - how many IR layers an operator becomes
 * @op: the parsed operator
 *
 * Return: 0 for the operators imported as aliases (QUANTIZE, DEQUANTIZE),
 * n - 1 for a CONCATENATION of n > 2 inputs (a chain of two-input
 * layers), else 1 (an unsupported operator too: it fails when imported).
 */
int mnet_tfl_op_layers(const struct tfl_op *op);

/**
 * mnet_tfl_import_op() - add one operator to the model being built
 * @c: loader state with its model allocated and the earlier operators
 *     imported
 * @i: operator index
 *
 * Return: 0, -EOPNOTSUPP (an operator, option or shape the IR lacks),
 * -EINVAL (the file contradicts itself), -EFBIG or -ENOMEM.
 */
int mnet_tfl_import_op(struct tfl_ctx *c, uint32_t i);

/* tflite_import_eltwise.c: SOFTMAX, RESHAPE / SQUEEZE, RELU / RELU6; and
 * below it PAD, CUSTOM, QUANTIZE / DEQUANTIZE */
int mnet_tfl_import_softmax(struct tfl_ctx *c, uint32_t i);
int mnet_tfl_import_reshape(struct tfl_ctx *c, uint32_t i);
int mnet_tfl_import_act(struct tfl_ctx *c, uint32_t i);

/**
 * mnet_tfl_import_pad() - PAD: record it for the convolution that reads it
 * @c: loader state
 * @i: operator index
 *
 * Return: 0, or -EOPNOTSUPP naming the op when it cannot be folded.
 */
int mnet_tfl_import_pad(struct tfl_ctx *c, uint32_t i);

/**
 * mnet_tfl_fold_pad() - move a recorded PAD into convolution layer @l
 * @c: loader state
 * @i: the convolution's operator index
 * @l: its layer, whose window was computed on the padded shape
 *
 * Return: 0 (also when its input is no PAD), or -EOPNOTSUPP.
 */
int mnet_tfl_fold_pad(struct tfl_ctx *c, uint32_t i, struct mnet_layer *l);

/**
 * mnet_tfl_import_custom() - CUSTOM: a host operator from the registry
 * @c: loader state
 * @i: operator index
 *
 * Return: 0, or a negative errno naming the op (unknown name, bad options,
 * inputs not computed on the device).
 */
int mnet_tfl_import_custom(struct tfl_ctx *c, uint32_t i);

/**
 * mnet_tfl_import_alias() - QUANTIZE/DEQUANTIZE: alias output to input
 * @c: loader state
 * @i: operator index
 *
 * Return: 0 or a negative errno naming the op.
 */
int mnet_tfl_import_alias(struct tfl_ctx *c, uint32_t i);

#endif /* MNET_RUNTIME_TFLITE_IMPORT_H */

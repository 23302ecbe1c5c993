/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tflite_import.h - the TFLite loader's operator import (tflite_import.c)
 */
#ifndef MNET_RUNTIME_TFLITE_IMPORT_H
#define MNET_RUNTIME_TFLITE_IMPORT_H

#include <stdint.h>

#include "tflite/tflite_ctx.h"

/**
 * mnet_tfl_op_makes_layer() - whether an operator becomes an IR layer
 * @code: BuiltinOperator value
 *
 * Return: 0 for the operators imported as aliases (QUANTIZE, DEQUANTIZE),
 * else 1 (an unsupported operator too: it fails when imported).
 */
int mnet_tfl_op_makes_layer(int32_t code);

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

#endif /* MNET_RUNTIME_TFLITE_IMPORT_H */

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tflite_tensor.h - the TFLite loader's tensors and constants
 * (tflite_tensor.c)
 */
#ifndef MNET_RUNTIME_TFLITE_TENSOR_H
#define MNET_RUNTIME_TFLITE_TENSOR_H

#include <stddef.h>
#include <stdint.h>

#include "mnet/mnet.h"
#include "tflite/tflite_ctx.h"

/**
 * mnet_tfl_act_shape() - the NHWC batch-1 shape of an activation tensor
 * @c: loader state
 * @i: the operator that uses it, or -1 for the model input (messages)
 * @ti: TFLite tensor index
 * @s: receives the shape
 *
 * Return: 0, -EOPNOTSUPP (type, rank, dynamic or batch the IR lacks),
 * -EINVAL or -EFBIG.
 */
int mnet_tfl_act_shape(struct tfl_ctx *c, int64_t i, uint32_t ti,
		       struct mnet_shape *s);

/**
 * mnet_tfl_const_tensor() - the tensor that holds a constant's data
 * @c: loader state
 * @ti: TFLite tensor index, or -1
 *
 * Return: @ti itself, the constant behind it (through DEQUANTIZE), or -1
 * when it is not a constant.
 */
int mnet_tfl_const_tensor(struct tfl_ctx *c, int32_t ti);

/**
 * mnet_tfl_get_const() - find the constant behind an operator input
 * @c: loader state
 * @i: operator index
 * @k: input position
 * @role: what the input is, for messages ("weights", "bias", "axes")
 * @out: receives the constant tensor
 * @elems: receives its element count, checked against its data
 *
 * Return: 0, -EINVAL, -EOPNOTSUPP (not a constant, sparse, type) or -EFBIG.
 */
int mnet_tfl_get_const(struct tfl_ctx *c, uint32_t i, uint32_t k,
		       const char *role, const struct tfl_tensor **out,
		       uint64_t *elems);

/**
 * mnet_tfl_raw_int() - one little-endian integer element
 * @p: its bytes
 * @type: TFL_UINT8, TFL_INT8, TFL_INT16, TFL_INT32 or TFL_INT64
 *
 * Return: the value.
 */
int64_t mnet_tfl_raw_int(const uint8_t *p, uint8_t type);

/**
 * mnet_tfl_load_const() - dequantize a constant input into new floats
 * @c: loader state
 * @i: operator index
 * @k: input position
 * @role: what the input is, for messages
 * @expect: the element count the layer needs
 * @out: receives the malloc'ed floats (NULL on failure)
 *
 * Return: 0, -EINVAL, -EOPNOTSUPP, -EFBIG or -ENOMEM.
 */
int mnet_tfl_load_const(struct tfl_ctx *c, uint32_t i, uint32_t k,
			const char *role, uint64_t expect, float **out);

/**
 * mnet_tfl_copy_name() - name an IR layer or tensor after a TFLite tensor
 * @dst: the name field
 * @len: its size
 * @t: the TFLite tensor (its name's first ';'-separated part is used)
 * @fallback: prefix of the generated name when the tensor has none
 * @idx: suffix of the generated name
 */
void mnet_tfl_copy_name(char *dst, size_t len, const struct tfl_tensor *t,
			const char *fallback, int idx);

/**
 * mnet_tfl_input_quant() - how pixels map to the model input
 * @c: loader state with its model allocated
 *
 * Return: 0 (&struct mnet_model.input_quant set), -EOPNOTSUPP or -EINVAL.
 */
int mnet_tfl_input_quant(struct tfl_ctx *c);

/**
 * mnet_tfl_int8_block() - record why the model cannot run in int8
 * @c: loader state
 * @fmt: printf-style reason (the first one recorded is kept)
 *
 * Not an error: the float IR still loads and runs.
 */
void mnet_tfl_int8_block(struct tfl_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * mnet_tfl_act_quant() - the quantization of an activation tensor
 * @c: loader state
 * @ti: TFLite tensor index
 * @q: receives it (%MNET_QTYPE_NONE for float, or what int8 cannot run)
 */
void mnet_tfl_act_quant(struct tfl_ctx *c, uint32_t ti, struct mnet_quant *q);

/**
 * mnet_tfl_load_layer_q() - keep the raw 8-bit weights and int32 bias
 * @c: loader state
 * @i: op index (weights are input 1, the bias input 2)
 * @l: its layer, with its float weights loaded; gets &struct mnet_layer.q
 * @qdim: the weights' output-channel axis (0 for OHWI/[cout][cin], 3 for
 *        the 1HWC depthwise layout)
 *
 * Float weights leave @l->q NULL.
 *
 * Return: 0, or a negative errno for a malformed file or -ENOMEM.
 */
int mnet_tfl_load_layer_q(struct tfl_ctx *c, uint32_t i, struct mnet_layer *l,
			  int qdim);

/**
 * mnet_tfl_new_layer() - start the layer of operator @i, reading its
 * activation input 0 and writing its output 0
 * @c: loader state
 * @i: operator index
 * @type: the IR op
 * @out: receives the layer (NULL on an error)
 *
 * Return: 0, or a negative errno with the message in @c.
 */
int mnet_tfl_new_layer(struct tfl_ctx *c, uint32_t i, enum mnet_op type,
		       struct mnet_layer **out);

/**
 * mnet_tfl_get_opts() - operator @i's builtin options, of type @want
 * @c: loader state
 * @i: operator index
 * @want: BuiltinOptions tag
 * @t: receives the table (every field at its default when absent)
 *
 * Return: 0, or -EINVAL for options of another type.
 */
int mnet_tfl_get_opts(struct tfl_ctx *c, uint32_t i, uint8_t want,
		      struct mnet_fb_table *t);

#endif /* MNET_RUNTIME_TFLITE_TENSOR_H */

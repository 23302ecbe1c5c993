/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tflite_fold.h - shape arithmetic on constants, evaluated at load time
 * (tflite_fold.c)
 */
#ifndef MNET_RUNTIME_TFLITE_FOLD_H
#define MNET_RUNTIME_TFLITE_FOLD_H

#include "tflite/tflite_ctx.h"

/**
 * mnet_tfl_fold_shapes() - evaluate SHAPE, STRIDED_SLICE, PACK and
 * CONCATENATION on constants, in operator order
 * @c: loader state, parsed
 *
 * Each operator it evaluates gets &struct tfl_op.folded set and its output
 * tensor's &struct tfl_tensor.data pointing at the values (owned by @c:
 * mnet_tfl_fold_free()); import adds no layer for it.
 *
 * Return: 0, or a negative errno with the message in @c (a malformed or
 * unsupported constant computation).
 */
int mnet_tfl_fold_shapes(struct tfl_ctx *c);

/**
 * mnet_tfl_fold_free() - free the folded values of @c
 * @c: loader state (may never have been folded)
 */
void mnet_tfl_fold_free(struct tfl_ctx *c);

#endif /* MNET_RUNTIME_TFLITE_FOLD_H */

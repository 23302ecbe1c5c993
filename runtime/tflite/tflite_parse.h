/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tflite_parse.h - the TFLite loader's first pass (tflite_parse.c)
 */
#ifndef MNET_RUNTIME_TFLITE_PARSE_H
#define MNET_RUNTIME_TFLITE_PARSE_H

#include <stddef.h>

#include "tflite/tflite_ctx.h"

/**
 * mnet_tfl_parse_model() - read and check every table the loader will use
 * @c: loader state (file name and error report set); receives the
 *     tensors, operators and the tensor maps (all -1).  With
 *     @c->list_only a graph of several inputs or outputs is read too
 *     (input and output are then the first of each), and CUSTOM ops are
 *     kept (&struct tfl_op.custom names them), for a listing only
 * @buf: the file
 * @len: its size
 *
 * Return: 0, or a negative errno with the message in @c's report; what
 * was allocated stays in @c for the caller to free.
 */
int mnet_tfl_parse_model(struct tfl_ctx *c, const void *buf, size_t len);

/* tflite_fold.c: between parsing and import */

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

#endif /* MNET_RUNTIME_TFLITE_PARSE_H */

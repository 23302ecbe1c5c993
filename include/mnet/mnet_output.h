/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mnet_output.h - public API of mobilenet-cl: any model's outputs
 *
 * DOC: outputs
 *
 * Included by mnet.h (include that).  A classifier's output is a score
 * per class, which mnet_session_topk() ranks; other models (a
 * segmentation's class map, a detector's or a pose decoder's tensors) are
 * read here: mnet_model_output_count() and mnet_model_output_info() say
 * what each output is (name, shape, the file's storage type and
 * quantization, what it means), mnet_session_output_read() copies one as
 * float (real values: dequantized, or exact integers) and
 * mnet_session_output_read_raw() in the file's own type.  Output 0 is
 * the one mnet_session_output() and mnet_session_topk() read.
 *
 * ABI: the functions take the output by index, and &struct
 * mnet_output_info keeps reserved room, so more outputs and more fields
 * come without changing a signature or the struct's size.
 */
#ifndef MNET_MNET_OUTPUT_H
#define MNET_MNET_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include "mnet/mnet.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * enum mnet_dtype - how a model file stores a tensor's values
 * @MNET_DTYPE_FLOAT32: 32-bit float
 * @MNET_DTYPE_UINT8: uint8, real = scale * (q - zero_point)
 * @MNET_DTYPE_INT8: int8, real = scale * (q - zero_point)
 * @MNET_DTYPE_INT32: 32-bit integer (an index, as ARG_MAX's class map)
 * @MNET_DTYPE_INT64: 64-bit integer, likewise
 * @MNET_DTYPE_INT16: int16, real = scale * (q - zero_point)
 */
enum mnet_dtype {
	MNET_DTYPE_FLOAT32 = 0,
	MNET_DTYPE_UINT8,
	MNET_DTYPE_INT8,
	MNET_DTYPE_INT32,
	MNET_DTYPE_INT64,
	MNET_DTYPE_INT16,
};

struct mnet_model;
struct mnet_session;

/**
 * struct mnet_output_info - one output tensor of a model
 * @name: tensor name from the file (or generated); valid while the model is
 * @shape: NHWC shape, batch 1 (a [1, H, W] class map is H x W x 1, a
 *         vector 1 x 1 x C)
 * @type: the file's storage type of the tensor
 * @scale: for %MNET_DTYPE_UINT8, %MNET_DTYPE_INT8 and %MNET_DTYPE_INT16:
 *         real = @scale * (q - @zero_point); 0 for the other types
 * @zero_point: see @scale
 * @kind: what the values mean (&enum mnet_output_kind)
 * @reserved: zero; room for later fields without changing the size
 *
 * Filled by mnet_model_output_info(); the caller owns the struct.
 */
struct mnet_output_info {
	const char *name;
	struct mnet_shape shape;
	enum mnet_dtype type;
	float scale;
	int32_t zero_point;
	enum mnet_output_kind kind;
	uint32_t reserved[8];
};

/**
 * mnet_model_output_count() - number of output tensors of a model
 * @m: model
 *
 * Outputs are numbered from 0 in the file's order; output 0 is the one
 * mnet_session_output(), mnet_session_topk() and mnet_model_output_size()
 * read.  A graph may have up to 8 (PoseNet's decoder gives 4: keypoints
 * [N, 17, 2] as (y, x) pixels of the model input, keypoint scores
 * [N, 17], pose scores [N] and the pose count, N its max_detections).
 *
 * Return: the count (at least 1).
 */
int mnet_model_output_count(const struct mnet_model *m);

/**
 * mnet_model_output_info() - describe one output tensor
 * @m: model
 * @i: output index, 0 .. mnet_model_output_count() - 1
 * @info: receives the name, shape, storage type, quantization and kind
 *
 * Return: 0, or -EINVAL (bad @i, NULL @m or @info).
 */
int mnet_model_output_info(const struct mnet_model *m, int i,
			   struct mnet_output_info *info);

/**
 * mnet_session_output_read() - copy one output of the last run, as float
 * @s: session
 * @i: output index, 0 .. mnet_model_output_count() - 1
 * @dst: receives h*w*c floats (NHWC) of the output
 * @count: capacity of @dst in floats; at least the output's h*w*c
 *
 * The values are real numbers whatever the file stores: a quantized output
 * is dequantized (scale * (q - zero_point)), an integer output (a class
 * map) holds exact integers.  At every precision, including int8, this is
 * the same data mnet_session_output() points to for output 0.
 *
 * Return: 0, -EINVAL (bad @i, NULL @dst, @count too small), -ENODATA
 * before the first run.
 */
int mnet_session_output_read(const struct mnet_session *s, int i, float *dst,
			     size_t count);

/**
 * mnet_session_output_read_raw() - copy one output in the file's own type
 * @s: session
 * @i: output index
 * @dst: receives h*w*c elements of the type mnet_model_output_info()
 *       reports (float, uint8_t, int8_t, int32_t, int64_t or int16_t)
 * @bytes: capacity of @dst in bytes; at least h*w*c times the element size
 *
 * A quantized output is requantized from the float values (round to
 * nearest, clamped to the type's range): after an int8 session's run the
 * result is the integer arithmetic's own bytes; after a float session's,
 * the nearest code to the float result, as a quantized interpreter would
 * store it.  An integer output is converted exactly.
 *
 * Return: 0, -EINVAL (bad @i, NULL @dst, @bytes too small), -ENODATA
 * before the first run.
 */
int mnet_session_output_read_raw(const struct mnet_session *s, int i,
				 void *dst, size_t bytes);

/**
 * mnet_session_host_ms() - host time of the last run after the backend's
 * @s: session
 *
 * A model with a custom operator (PosenetDecoderOp) or several device
 * outputs finishes each run on the host: it reads the other outputs and
 * runs the custom operators there.  This is that share of the last run, in
 * milliseconds, included in what the caller measures around the run.
 *
 * Return: milliseconds, 0 before the first run or for a one-output model.
 */
double mnet_session_host_ms(const struct mnet_session *s);

#ifdef __cplusplus
}
#endif

#endif /* MNET_MNET_OUTPUT_H */

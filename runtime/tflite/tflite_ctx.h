/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tflite_ctx.h - the TFLite loader's state, shared by its passes, and its
 * error messages (tflite_ctx.c)
 */
#ifndef MNET_RUNTIME_TFLITE_CTX_H
#define MNET_RUNTIME_TFLITE_CTX_H

#include <stddef.h>
#include <stdint.h>

#include "mnet/mnet.h"
#include "model/ir.h"
#include "tflite/flatbuf.h"

struct tfl_tensor {
	int rank;
	int32_t dims[4];
	uint8_t type;
	int dynamic;
	int sparse;
	const uint8_t *data;	/* constant contents, or NULL */
	uint64_t bytes;
	const char *name;
	uint32_t name_len;
	int has_quant;
	struct mnet_fb_table quant;
};

struct tfl_op {
	int32_t code;
	struct mnet_fb_vec inputs, outputs;
	uint8_t opt_type;
	int has_opts;
	struct mnet_fb_table opts;
	const char *custom;	/* a CUSTOM op's name (not NUL-terminated) */
	uint32_t custom_len;
	int folded;		/* evaluated at load (tflite_fold.c): no layer */
	struct mnet_fb_vec custom_opts;	/* its options' raw bytes */
};

/* A PAD waiting to be folded into the convolution that reads it. */
struct tfl_pad {
	int32_t src;		/* TFLite tensor it pads, or -1: none */
	int top, bottom, left, right;
	uint32_t op;		/* the PAD's operator index */
};

struct tfl_ctx {
	const char *file;
	struct mnet_err *err;
	struct mnet_fb fb;
	struct mnet_fb_vec opcodes, buffers;
	struct tfl_tensor *t;
	uint32_t n_t;
	struct tfl_op *ops;
	uint32_t n_ops;
	int *map;		/* TFLite tensor -> IR tensor, or -1 */
	int *src;		/* TFLite tensor -> tensor holding its data */
	uint32_t input, output;
	uint32_t outputs[MNET_MAX_OUTPUTS];	/* the file's; [0] == output */
	uint32_t n_outputs;
	struct tfl_pad *pad;	/* TFLite tensor -> the PAD that makes it */
	int *cust_of;		/* TFLite tensor -> custom layer making it, or -1 */
	int n_custom;
	int list_only;		/* parse a graph of several inputs/outputs too
				 * (mnet-info's listing; never loaded) */
	struct mnet_model *m;
	uint8_t **fold_mem;	/* values of folded outputs (tflite_fold.c) */
	uint32_t n_fold_mem;
	int n_layers, n_tensors;
	char label[96];		/* scratch for one message */
};

/**
 * mnet_tfl_err() - report an error about the file being loaded
 * @c: loader state
 * @code: negative errno
 * @fmt: printf-style message, after "FILE: "
 *
 * Return: @code.
 */
int mnet_tfl_err(struct tfl_ctx *c, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * mnet_tfl_op_err() - report an error about one operator of the file
 * @c: loader state
 * @i: operator index (parsed: its builtin code names it)
 * @code: negative errno
 * @fmt: printf-style message, after "FILE: op I NAME: "
 *
 * Return: @code.
 */
int mnet_tfl_op_err(struct tfl_ctx *c, uint32_t i, int code, const char *fmt,
		    ...) __attribute__((format(printf, 4, 5)));

/**
 * mnet_tfl_fb_err() - report a flatbuffer reader failure
 * @c: loader state (its reader says why and where)
 * @fmt: printf-style name of the object being read
 *
 * Return: -EINVAL.
 */
int mnet_tfl_fb_err(struct tfl_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * mnet_tfl_label() - "tensor 12 'name'" for messages
 * @c: loader state
 * @ti: TFLite tensor index
 *
 * Return: the label, in @c; valid until the next call.
 */
const char *mnet_tfl_label(struct tfl_ctx *c, uint32_t ti);

/**
 * mnet_tfl_type_name() - schema name of a TensorType
 * @type: TensorType value
 *
 * Return: static string ("unsupported type" for the others).
 */
const char *mnet_tfl_type_name(uint8_t type);

/**
 * mnet_tfl_type_size() - bytes per element of a TensorType
 * @type: TensorType value
 *
 * Return: the size, or 0 for a type the loader does not read.
 */
unsigned int mnet_tfl_type_size(uint8_t type);

#endif /* MNET_RUNTIME_TFLITE_CTX_H */

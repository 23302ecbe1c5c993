/* SPDX-License-Identifier: Apache-2.0 */
/*
 * custom_op.h - custom operators that run on the host: the ops table each
 * implements and the registry that finds one by its name in the file
 *
 * DOC: custom operators
 *
 * A TFLite CUSTOM operator carries a name (its custom code) and options
 * as raw bytes, usually a flexbuffer map (runtime/custom/flexbuf.h reads
 * one).  The loader looks the name up here (mnet_custom_op_find()); an
 * unknown name is an error naming the op and its index.  A known op parses
 * its options once at load (parse()), says the shapes of its outputs from
 * its inputs' (shapes()), and runs on real-valued (float) host buffers
 * after the device layers of every run (run()), whatever the backend and
 * precision: an int8 session hands it its inputs dequantized.
 */
#ifndef MNET_RUNTIME_CUSTOM_OP_H
#define MNET_RUNTIME_CUSTOM_OP_H

#include <stddef.h>
#include <stdint.h>

#include "model/ir.h"
#include "support/err.h"

/**
 * struct mnet_custom_op_ops - one custom operator
 * @name: its name in the file (the operator code's custom_code)
 * @n_in: number of inputs it takes
 * @n_out: number of outputs it produces
 * @parse: read the file's options (@opts, @len bytes, may be 0) into a new
 *         state in *@state; report problems in @err after @what ("FILE:
 *         op I NAME").  Return 0 or a negative errno.
 * @shapes: the shape of each output (@out, @n_out entries) from the
 *          inputs' (@in, @n_in); check them.  Return 0 or -EINVAL with a
 *          message in @err.
 * @scratch: bytes of scratch one run needs for inputs of shapes @in
 *           (the session allocates them once, so a run allocates
 *           nothing); may be NULL (none)
 * @run: compute: @in[k] holds input k (NHWC floats of @in_shape[k]),
 *       @out[k] receives output k, @scratch is the session's scratch of
 *       scratch() bytes.  Return 0 or a negative errno.
 * @free: release a state parse() made (NULL is allowed)
 */
struct mnet_custom_op_ops {
	const char *name;
	int n_in, n_out;
	int (*parse)(const uint8_t *opts, size_t len, void **state,
		     const char *what, struct mnet_err *err);
	int (*shapes)(const void *state, const struct mnet_shape *in, int n_in,
		      struct mnet_shape *out, int n_out, const char *what,
		      struct mnet_err *err);
	size_t (*scratch)(const void *state, const struct mnet_shape *in,
			  int n_in);
	int (*run)(const void *state, const float *const *in,
		   const struct mnet_shape *in_shape, float *const *out,
		   void *scratch);
	void (*free)(void *state);
};

/**
 * mnet_custom_op_find() - the custom operator of a name
 * @name: the name from the file (not NUL-terminated)
 * @len: its length
 *
 * Return: its ops, or NULL when the registry has none of that name.
 */
const struct mnet_custom_op_ops *mnet_custom_op_find(const char *name,
						     size_t len);

/**
 * mnet_custom_op_names() - the registered names, for messages
 *
 * Return: a static string ("PosenetDecoderOp").
 */
const char *mnet_custom_op_names(void);

/**
 * mnet_custom_layers_run() - run a model's custom layers on host buffers
 * @m: model
 * @tensor_buf: for each entry of &struct mnet_model.outputs, the session's
 *              buffer holding that tensor after the device run
 * @out_buf: for each custom layer k and output j, out_buf[k * MNET_CUSTOM_MAX_IO + j]
 * @scratch: for each custom layer, its &struct mnet_custom_layer.scratch
 *           bytes (or NULL where that is 0)
 *
 * Return: 0 or the first failing layer's negative errno.
 */
int mnet_custom_layers_run(const struct mnet_model *m,
			   float *const *tensor_buf, float *const *out_buf,
			   void *const *scratch);

/* The operators of the registry (runtime/custom/custom_registry.c). */
extern const struct mnet_custom_op_ops mnet_custom_posenet_decoder;

#endif /* MNET_RUNTIME_CUSTOM_OP_H */

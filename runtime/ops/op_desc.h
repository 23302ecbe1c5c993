/* SPDX-License-Identifier: Apache-2.0 */
/*
 * op_desc.h - what the runtime knows about each IR operation, in one place
 *
 * DOC: op descriptors
 *
 * Each &enum mnet_op has one &struct mnet_op_desc, defined in the op's own
 * file (conv2d.c, dwconv2d.c, ...) and listed in the table of op_table.c.
 * A descriptor holds everything about the op that is not a kernel: its
 * name, how many activation inputs and which weights it takes, the shape
 * rules validation enforces, its arithmetic (MACs, bytes moved), what its
 * output means when it is the model's output, and which fusions it takes
 * part in.  Code that needs one of these looks it up with mnet_op_desc()
 * instead of switching on the op, so adding an op is one new file and one
 * line in the table (plus its kernels in each backend's own table).
 *
 * This header is header-only on purpose: the op files use its type and
 * op_table.c uses the op files' descriptors, so the type must not live in
 * op_table's unit.
 */
#ifndef MNET_RUNTIME_OP_DESC_H
#define MNET_RUNTIME_OP_DESC_H

#include <stddef.h>
#include <stdint.h>

#include "mnet/mnet.h"
#include "model/ir.h"

/* &struct mnet_op_desc.flags */
#define MNET_OP_F_WINDOW	(1u << 0) /* kh x kw window, stride, padding */
#define MNET_OP_F_POINTWISE	(1u << 1) /* an implied 1x1 stride-1 window */
#define MNET_OP_F_BIAS		(1u << 2) /* may carry a bias per out channel */
#define MNET_OP_F_RESIDUAL_SINK	(1u << 3) /* may absorb the ADD after it */
#define MNET_OP_F_RESIDUAL_ADD	(1u << 4) /* may be absorbed by its producer */

/* &struct mnet_op_desc.output_kind of an op whose output means its input */
#define MNET_OP_KIND_OF_INPUT (-1)

/**
 * struct mnet_op_desc - one IR operation's description
 * @name: printable name ("conv2d"), also what mnet_op_name() returns
 * @n_inputs: activation inputs: 1, or 2 (&struct mnet_layer.in2 is used)
 * @has_weights: 1 if the layer carries a weight array
 * @flags: %MNET_OP_F_* bits
 * @expected_weights: the weight count the layer's shapes imply; NULL for
 *                    an op without weights (0 expected)
 * @check: the op's own shape rules, run by mnet_model_validate() after the
 *         checks common to every op (indices, shapes in range and equal to
 *         the tensors', activation) and before the weight count; returns 0
 *         or -EINVAL with a message in @err; NULL when there are none
 * @macs: multiply-accumulates of one run; NULL for an op that does not
 *        multiply (0)
 * @bytes: ideal bytes moved by one run: every input, the weights, the bias
 *         and the output, each once
 * @output_kind: what the layer's output holds when it is the model's
 *               output (&enum mnet_output_kind), or
 *               %MNET_OP_KIND_OF_INPUT when it holds what its input does;
 *               NULL: %MNET_OUTPUT_EMBEDDING
 */
struct mnet_op_desc {
	const char *name;
	int n_inputs;
	int has_weights;
	unsigned int flags;
	size_t (*expected_weights)(const struct mnet_layer *l);
	int (*check)(const struct mnet_model *m, const struct mnet_layer *l,
		     struct mnet_err *err);
	uint64_t (*macs)(const struct mnet_layer *l);
	uint64_t (*bytes)(const struct mnet_layer *l);
	int (*output_kind)(const struct mnet_layer *l);
};

/* The descriptors, one per op file; look them up with mnet_op_desc(). */
extern const struct mnet_op_desc mnet_conv2d_op;
extern const struct mnet_op_desc mnet_dwconv2d_op;
extern const struct mnet_op_desc mnet_pwconv2d_op;
extern const struct mnet_op_desc mnet_avgpool_op;
extern const struct mnet_op_desc mnet_fc_op;
extern const struct mnet_op_desc mnet_softmax_op;
extern const struct mnet_op_desc mnet_reshape_op;
extern const struct mnet_op_desc mnet_add_op;
extern const struct mnet_op_desc mnet_dwconv2d_dil_op;
extern const struct mnet_op_desc mnet_resize_bilinear_op;
extern const struct mnet_op_desc mnet_concat_op;
extern const struct mnet_op_desc mnet_argmax_op;
extern const struct mnet_op_desc mnet_maxpool_op;
extern const struct mnet_op_desc mnet_act_op;

#endif /* MNET_RUNTIME_OP_DESC_H */

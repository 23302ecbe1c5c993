/* SPDX-License-Identifier: Apache-2.0 */
/*
 * model.h - the model IR: allocation, validation, counting and names
 *
 * The types and limits are in model/ir.h, what each op is in its
 * descriptor (ops/op_desc.h, looked up with mnet_op_desc()).  This header
 * also brings in those, the error reports (support/err.h) and the weight
 * lifetime (model/model_weights.h), so the code that includes it for all of
 * these keeps compiling; new code should include what it uses.
 */
#ifndef MNET_RUNTIME_MODEL_H
#define MNET_RUNTIME_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "mnet/mnet.h"
#include "model/ir.h"
#include "model/model_weights.h"
#include "ops/op_table.h"
#include "support/err.h"

/**
 * mnet_model_alloc() - allocate an empty model with room for layers/tensors
 * @n_layers: number of layers
 * @n_tensors: number of tensors
 *
 * Return: the model (zeroed, in2 = -1 everywhere), or NULL on -ENOMEM.
 */
struct mnet_model *mnet_model_alloc(int n_layers, int n_tensors);

/**
 * mnet_layer_q_free() - release a layer's raw integer parameters
 * @q: &struct mnet_layer.q, or NULL
 */
void mnet_layer_q_free(struct mnet_layer_q *q);

/**
 * mnet_model_is_quantized() - whether a model can run in integer arithmetic
 * @m: model
 * @why: receives the reason when it cannot (may be NULL)
 *
 * True when the input tensor is quantized and nothing the loader met
 * blocks the integer path (&struct mnet_model.int8_block).
 *
 * Return: 1 or 0.
 */
int mnet_model_is_quantized(const struct mnet_model *m, const char **why);

/**
 * mnet_model_validate() - check a built model's internal consistency
 * @m: model
 * @err: optional error report
 *
 * Checks tensor indices, shapes against each op's arithmetic, weight counts
 * and the limits above, so every backend can trust the IR.
 *
 * Return: 0 or -EINVAL.
 */
int mnet_model_validate(const struct mnet_model *m, struct mnet_err *err);

/**
 * mnet_layer_params() - weights + biases of a layer
 * @l: layer
 *
 * Return: parameter count.
 */
uint64_t mnet_layer_params(const struct mnet_layer *l);

/**
 * mnet_layer_macs() - multiply-accumulates of one run of a layer
 * @l: layer
 *
 * Return: MAC count (0 for reshape/softmax/add).
 */
uint64_t mnet_layer_macs(const struct mnet_layer *l);

/**
 * mnet_layer_bytes() - ideal bytes one run of a layer moves
 * @l: layer
 *
 * Every input, the weights, the bias and the output, each read or written
 * once: the floor a memory-bound layer's time is measured against.
 *
 * Return: byte count (0 for an op without a descriptor).
 */
uint64_t mnet_layer_bytes(const struct mnet_layer *l);

/**
 * mnet_model_infer_output_kind() - what a built model's output holds
 * @m: model with its layers and output set
 *
 * Follows the output back through the ops that pass their input's meaning
 * on (reshape) to the op that gives it one: probabilities after a softmax,
 * logits after a classifier (fully connected, or a convolution with a 1x1
 * output), an embedding otherwise.
 *
 * Return: the kind, for &struct mnet_model.output_kind.
 */
enum mnet_output_kind mnet_model_infer_output_kind(const struct mnet_model *m);

/**
 * mnet_residual_fusable() - whether a 1x1 convolution can absorb the ADD after it
 * @m: a validated model
 * @i: layer index
 *
 * True when layer @i is a PWCONV2D without activation (MobileNetV2's linear
 * projection), layer @i + 1 is an ADD without activation that reads layer
 * @i's output and another tensor, and nothing else reads layer @i's output
 * (nor is it the model output).  A backend may then add the other tensor
 * in the convolution's epilogue and skip the ADD: out = conv(in) + other
 * is exactly what the two layers compute, with one pass less over memory.
 *
 * Return: the ADD's other operand (the residual tensor), or -1.
 */
int mnet_residual_fusable(const struct mnet_model *m, int i);

/**
 * mnet_residual_fusion_on() - whether backends fuse residual ADDs
 *
 * On unless $MNET_FUSE_RESIDUAL is "0" (to measure what the fusion saves,
 * and to test the unfused path).
 *
 * Return: 1 or 0.
 */
int mnet_residual_fusion_on(void);

/**
 * mnet_op_name() - printable operator name
 * @op: operator
 *
 * Return: static string.
 */
const char *mnet_op_name(enum mnet_op op);

/**
 * mnet_act_name() - printable activation name
 * @act: activation
 *
 * Return: static string.
 */
const char *mnet_act_name(enum mnet_act act);

/**
 * mnet_same_pad() - TFLite SAME padding for one dimension
 * @in: input size
 * @k: kernel size
 * @stride: stride
 * @out: receives the output size, ceil(in / stride)
 *
 * Return: the padding before (top/left); the rest goes after.
 */
int mnet_same_pad(int in, int k, int stride, int *out);

#endif /* MNET_RUNTIME_MODEL_H */

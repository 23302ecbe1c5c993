/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ref_q_layer.h - the integer reference computation of one IR layer
 *
 * The int8 counterpart of ref_layer.h: each layer of a quantized model is
 * prepared once (TFLite's Prepare(): multipliers and shifts from the file's
 * float scales) and then computed over 8-bit NHWC arrays by the kernels of
 * host/ref_q/q_kernels.h.  The edges of the graph convert between the
 * session's float tensors and the file's 8-bit encoding exactly as the
 * file's own QUANTIZE / DEQUANTIZE would.
 */
#ifndef MNET_RUNTIME_REF_Q_LAYER_H
#define MNET_RUNTIME_REF_Q_LAYER_H

#include <stdint.h>

#include "model/model.h"
#include "ref_q/q_kernels.h"

/**
 * struct mnet_ref_q_requant - a RESHAPE's requantization (a QUANTIZE
 * inside the graph is imported as a RESHAPE between two encodings)
 * @same: 1 when input and output share their quantization (a copy)
 * @in_signed: input is int8
 * @out_signed: output is int8
 * @in_zp: input zero point
 * @out_zp: output zero point
 * @mult: in_scale / out_scale, QuantizeMultiplier'd
 * @shift: see @mult
 */
struct mnet_ref_q_requant {
	int same, in_signed, out_signed;
	int32_t in_zp, out_zp, mult;
	int shift;
};

/**
 * struct mnet_ref_q_layer - one layer's prepared integer parameters
 * @k: the kernel's parameters (which member: the layer's op)
 * @k.conv: CONV2D, DWCONV2D, DWCONV2D_DIL, PWCONV2D, FC
 * @k.pool: AVGPOOL
 * @k.sm: SOFTMAX
 * @k.add: ADD
 * @k.resize: RESIZE_BILINEAR
 * @k.cat: CONCAT
 * @k.rq: RESHAPE
 * @k.argmax_signed: ARGMAX: the input is int8
 * @k.relu: ACT
 * @mult: per output channel multipliers (convolutions), or NULL
 * @shift: per output channel shifts, or NULL
 */
struct mnet_ref_q_layer {
	union {
		struct mnet_qk_conv conv;
		struct mnet_qk_pool pool;
		struct mnet_qk_softmax sm;
		struct mnet_qk_add add;
		struct mnet_qk_resize resize;
		struct mnet_qk_concat cat;
		struct mnet_ref_q_requant rq;
		int argmax_signed;
		struct mnet_qk_relu relu;
	} k;
	int32_t *mult;
	int *shift;
};

/**
 * mnet_ref_q_layer_prepare() - derive a layer's integer parameters
 * @m: a model that mnet_model_is_quantized()
 * @i: layer index
 * @ql: receives the parameters (release with mnet_ref_q_layer_release())
 * @err: optional error report
 *
 * Return: 0, -EOPNOTSUPP for what the integer reference cannot compute
 * (naming the layer), -EINVAL for parameters TFLite would refuse, or
 * -ENOMEM.
 */
int mnet_ref_q_layer_prepare(const struct mnet_model *m, int i,
			     struct mnet_ref_q_layer *ql,
			     struct mnet_err *err);

/**
 * mnet_ref_q_layer_release() - free what mnet_ref_q_layer_prepare() made
 * @ql: prepared layer (zeroed or prepared)
 */
void mnet_ref_q_layer_release(struct mnet_ref_q_layer *ql);

/**
 * mnet_ref_q_layer_requantizes() - whether a prepared RESHAPE changes the
 * encoding (an imported QUANTIZE), so a plain copy of its bytes is wrong
 * @ql: a prepared RESHAPE layer
 *
 * Return: 1 if it requantizes, 0 if it is a copy.
 */
static inline int mnet_ref_q_layer_requantizes(const struct mnet_ref_q_layer *ql)
{
	return !ql->k.rq.same;
}

/**
 * mnet_ref_q_layer_run() - compute one layer in integer arithmetic
 * @l: the layer
 * @ql: its prepared parameters
 * @in: input tensor, 8-bit
 * @in2: second input for MNET_OP_ADD, else ignored
 * @out: output tensor, 8-bit
 *
 * Return: 0, or -EINVAL for an op without an integer kernel.
 */
int mnet_ref_q_layer_run(const struct mnet_layer *l,
			 const struct mnet_ref_q_layer *ql, const uint8_t *in,
			 const uint8_t *in2, uint8_t *out);

/**
 * mnet_ref_q_input() - the session's float input as the IR input tensor
 * @m: quantized model
 * @x: input floats (the file input's real values)
 * @tmp: scratch of the input's element count
 * @dst: receives the IR input tensor (its &struct mnet_tensor.q)
 *
 * A quantized file input: the floats are quantized back to the file's
 * bytes, then requantized as the file's QUANTIZE after its input does
 * (if it has one).  A float file input: quantized as that QUANTIZE does.
 */
void mnet_ref_q_input(const struct mnet_model *m, const float *x,
		      uint8_t *tmp, uint8_t *dst);

/**
 * mnet_ref_q_input_raw() - the file's own input bytes as the IR input
 * @m: quantized model
 * @raw: the file's input tensor, in its type (uint8 or int8)
 * @dst: receives the IR input tensor (requantized as the file's QUANTIZE
 *       after its input does, if it has one)
 *
 * Return: 0, or -EOPNOTSUPP when the file's input is float.
 */
int mnet_ref_q_input_raw(const struct mnet_model *m, const uint8_t *raw,
			 uint8_t *dst);

/**
 * mnet_ref_q_output() - the IR output tensor as the session's floats
 * @m: quantized model
 * @src: the IR output tensor
 * @tmp: scratch of the output's element count
 * @out: receives the real values of the file's output tensor
 *
 * Requantizes to the file's output encoding when a QUANTIZE precedes the
 * output, then dequantizes with it; the floats thus map back to exactly
 * the bytes TFLite's output tensor holds (round(out / scale) + zero point).
 */
void mnet_ref_q_output(const struct mnet_model *m, const uint8_t *src,
		       uint8_t *tmp, float *out);

/**
 * mnet_ref_q_edge_elems() - scratch elements mnet_ref_q_input() and
 * mnet_ref_q_output() need
 * @m: quantized model
 *
 * Return: the larger of the input's and the output's element counts.
 */
size_t mnet_ref_q_edge_elems(const struct mnet_model *m);

/**
 * mnet_ref_q_tensor_real() - an 8-bit IR tensor as real values
 * @m: quantized model
 * @t: tensor index
 * @src: the tensor's bytes
 * @dst: receives its dequantized values
 * @count: room in @dst
 *
 * What an integer backend's layer_output() returns.
 *
 * Return: 0, or -EINVAL when @count is smaller than the tensor.
 */
int mnet_ref_q_tensor_real(const struct mnet_model *m, int t,
			   const uint8_t *src, float *dst, size_t count);

#endif /* MNET_RUNTIME_REF_Q_LAYER_H */

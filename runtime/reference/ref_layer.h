/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ref_layer.h - the reference computation of one IR layer
 *
 * Each function computes one IR layer from NHWC float input(s) into an
 * NHWC float output, exactly as the layer describes (see
 * runtime/model/model.h), by unpacking the layer into the plain kernels of
 * host/ref/ref_kernels.h.  This is the oracle the other backends, the
 * tuner and the tests compare against, and the OpenCL backend's host
 * fallback.
 */
#ifndef MNET_RUNTIME_REF_LAYER_H
#define MNET_RUNTIME_REF_LAYER_H

#include "model/model.h"

/**
 * mnet_ref_layer_run() - compute one layer with the reference kernels
 * @l: a validated layer
 * @in: input tensor (l->in_shape)
 * @in2: second input for MNET_OP_ADD, else ignored (may be NULL)
 * @out: output tensor (l->out_shape)
 *
 * Return: 0, or -EINVAL for an op the reference does not know.
 */
int mnet_ref_layer_run(const struct mnet_layer *l, const float *in,
		       const float *in2, float *out);

/**
 * mnet_ref_layer_supported() - whether the reference knows an op
 * @op: the op
 *
 * Return: 1 if mnet_ref_layer_run() computes layers of @op, else 0.
 */
int mnet_ref_layer_supported(enum mnet_op op);

/**
 * mnet_ref_conv2d() - full KxK convolution, fused bias and activation
 * @l: layer (weights [cout][kh][kw][cin])
 * @in: input
 * @out: output
 */
void mnet_ref_conv2d(const struct mnet_layer *l, const float *in, float *out);

/**
 * mnet_ref_dwconv2d() - depthwise KxK convolution, fused bias and activation
 * @l: layer (weights [kh][kw][c])
 * @in: input
 * @out: output
 */
void mnet_ref_dwconv2d(const struct mnet_layer *l, const float *in,
		       float *out);

/**
 * mnet_ref_pwconv2d() - 1x1 convolution, fused bias and activation
 * @l: layer (weights [cout][cin])
 * @in: input
 * @out: output
 */
void mnet_ref_pwconv2d(const struct mnet_layer *l, const float *in,
		       float *out);

/**
 * mnet_ref_avgpool() - average pool; padded positions are not counted
 * @l: layer
 * @in: input
 * @out: output (accumulated in place: must not overlap @in)
 */
void mnet_ref_avgpool(const struct mnet_layer *l, const float *in, float *out);

/**
 * mnet_ref_maxpool() - max pool; padded positions take no part
 * @l: layer
 * @in: input
 * @out: output
 */
void mnet_ref_maxpool(const struct mnet_layer *l, const float *in, float *out);

/**
 * mnet_ref_maxpool_rows() - output rows [@y0, @y1) of a max pool
 * @l: layer
 * @in: the whole input
 * @out: the whole output (only those rows are written)
 * @y0: first row
 * @y1: one past the last row
 *
 * The values mnet_ref_maxpool() gives for those rows: disjoint ranges can
 * run on different threads.
 */
void mnet_ref_maxpool_rows(const struct mnet_layer *l, const float *in,
			   float *out, int y0, int y1);

/**
 * mnet_ref_act() - a RELU / RELU6 layer
 * @l: layer
 * @in: input
 * @out: output (may be @in)
 */
void mnet_ref_act(const struct mnet_layer *l, const float *in, float *out);

/**
 * mnet_ref_act_range() - elements [@k0, @k1) of a RELU / RELU6 layer
 * @l: layer
 * @in: the whole input
 * @out: the whole output (may be @in)
 * @k0: first element
 * @k1: one past the last element
 */
void mnet_ref_act_range(const struct mnet_layer *l, const float *in,
			float *out, size_t k0, size_t k1);

/**
 * mnet_ref_fc() - fully connected layer, fused bias and activation
 * @l: layer (weights [cout][h*w*cin])
 * @in: input, flattened in NHWC order
 * @out: output, 1x1xcout
 */
void mnet_ref_fc(const struct mnet_layer *l, const float *in, float *out);

/**
 * mnet_ref_softmax() - softmax over the channels of each pixel
 * @l: layer (uses l->beta)
 * @in: input
 * @out: output
 */
void mnet_ref_softmax(const struct mnet_layer *l, const float *in, float *out);

/**
 * mnet_ref_reshape() - a reshape: the same values in the output's shape
 * @l: layer
 * @in: input
 * @out: output (must not overlap @in)
 */
void mnet_ref_reshape(const struct mnet_layer *l, const float *in,
		      float *out);

/**
 * mnet_ref_add() - elementwise addition with fused activation
 * @l: layer
 * @a: first input
 * @b: second input
 * @out: output
 */
void mnet_ref_add(const struct mnet_layer *l, const float *a, const float *b,
		  float *out);

/**
 * mnet_ref_add_range() - elements [@k0, @k1) of an addition
 * @l: layer
 * @a: first input (whole)
 * @b: second input (whole)
 * @out: output (whole)
 * @k0: first element
 * @k1: one past the last element
 */
void mnet_ref_add_range(const struct mnet_layer *l, const float *a,
			const float *b, float *out, size_t k0, size_t k1);

#endif /* MNET_RUNTIME_REF_LAYER_H */

/* SPDX-License-Identifier: Apache-2.0 */
/* synthetic.h - the seeded weight generator shared with shared/peers */
#ifndef MNET_RUNTIME_SYNTHETIC_H
#define MNET_RUNTIME_SYNTHETIC_H

#include <stdint.h>

#include "model/model.h"

/**
 * mnet_synthetic_rand() - element @idx of tensor @tid, uniform [-scale, scale)
 * @tid: tensor id (conv i: weight 2i, bias 2i+1; fc 100/101; input 200)
 * @idx: element index in the canonical (OIHW / NCHW) order
 * @scale: half-width of the range
 *
 * Return: the value, bit-identical to mn_rand() of shared/peers.
 */
float mnet_synthetic_rand(uint32_t tid, uint64_t idx, double scale);

/**
 * mnet_synthetic_depth() - TF-slim channel rule, max(int(d * alpha), 8)
 * @d: channels at alpha 1
 * @alpha: width multiplier
 *
 * Return: channel count.
 */
int mnet_synthetic_depth(int d, float alpha);

/**
 * mnet_synthetic_input() - the peers' deterministic input, in NHWC
 * @res: resolution
 * @dst: receives res*res*3 floats in [-1, 1)
 */
void mnet_synthetic_input(int res, float *dst);

/**
 * struct mnet_syn_builder - state while appending layers to a chain
 * @m: the model being built (allocated with room for every layer)
 * @layer: index of the next layer
 * @tensor: the current activation tensor (the next layer's input)
 */
struct mnet_syn_builder {
	struct mnet_model *m;
	int layer;
	int tensor;
};

/**
 * mnet_syn_add_layer() - append a layer reading the current tensor
 * @b: builder
 * @op: operation
 * @out: output shape (a new tensor of this shape becomes current)
 * @name: layer and tensor name
 *
 * Return: the new layer, for the caller to fill in.
 */
struct mnet_layer *mnet_syn_add_layer(struct mnet_syn_builder *b,
				      enum mnet_op op, struct mnet_shape out,
				      const char *name);

/**
 * mnet_syn_add_conv() - append a KxK convolution with SAME padding and
 * seeded weights (a 1x1 stride-1 conv becomes MNET_OP_PWCONV2D)
 * @b: builder
 * @op: MNET_OP_CONV2D or MNET_OP_DWCONV2D
 * @k: kernel size
 * @stride: stride
 * @cout: output channels (must equal the input's for depthwise)
 * @act: fused activation
 * @conv_idx: index of this conv in the generator's tensor ids
 * @name: layer name
 *
 * Return: 0 or -ENOMEM.
 */
int mnet_syn_add_conv(struct mnet_syn_builder *b, enum mnet_op op, int k,
		      int stride, int cout, enum mnet_act act, int conv_idx,
		      const char *name);

/**
 * mnet_syn_add_classifier() - append global average pool, a 1001-way FC
 * and softmax with seeded weights
 * @b: builder
 *
 * Return: 0 or -ENOMEM.
 */
int mnet_syn_add_classifier(struct mnet_syn_builder *b);

/**
 * mnet_syn_finish() - append the classifier, validate, hand the model out
 * @b: builder (its model is freed on any failure)
 * @ret: the status of the layers appended so far (non-zero: fail now)
 * @out: receives the model
 * @err: optional error report
 *
 * Return: 0, or the negative errno of the first failure.
 */
int mnet_syn_finish(struct mnet_syn_builder *b, int ret,
		    struct mnet_model **out, struct mnet_err *err);

#endif /* MNET_RUNTIME_SYNTHETIC_H */

/* SPDX-License-Identifier: Apache-2.0 */
/* synthetic.h - the seeded weight generator shared with shared/peers */
#ifndef MNET_RUNTIME_SYNTHETIC_H
#define MNET_RUNTIME_SYNTHETIC_H

#include <stdint.h>

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

#endif /* MNET_RUNTIME_SYNTHETIC_H */

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpu_pack.h - the CPU backend's weight packing, and what it allocates
 *
 * For each op with weights, a packer (init(): the model's weights into
 * the layout of host/dispatch/cpu_kernel_types.h) and the bytes it
 * allocates (footprint(): from the model alone), both from the same size
 * functions, so the footprint cannot drift from the allocation.
 */
#ifndef MNET_RUNTIME_CPU_PACK_H
#define MNET_RUNTIME_CPU_PACK_H

#include <stdint.h>

#include "cpu/cpu_state.h"

/**
 * mnet_cpu_act_clamp() - the clamp the kernels apply for an activation
 * @act: fused activation
 * @lo: receives the lower clamp (-INFINITY for none)
 * @hi: receives the upper clamp (INFINITY for none)
 */
void mnet_cpu_act_clamp(enum mnet_act act, float *lo, float *hi);

/**
 * mnet_cpu_pack_conv() - pack a full KxK convolution as GEMM panels
 * @st: state (kernel table and thread count chosen)
 * @cl: layer, @cl->l set
 *
 * Return: 0 or -ENOMEM.
 */
int mnet_cpu_pack_conv(struct mnet_cpu_state *st, struct mnet_cpu_layer *cl);

/**
 * mnet_cpu_pack_pwconv() - pack a 1x1 convolution as GEMM panels and
 * choose how its threads split it
 * @st: state
 * @cl: layer
 *
 * Return: 0 or -ENOMEM.
 */
int mnet_cpu_pack_pwconv(struct mnet_cpu_state *st,
			 struct mnet_cpu_layer *cl);

/**
 * mnet_cpu_pack_fc() - pack a fully connected layer as GEMM panels
 * @st: state
 * @cl: layer
 *
 * Return: 0 or -ENOMEM.
 */
int mnet_cpu_pack_fc(struct mnet_cpu_state *st, struct mnet_cpu_layer *cl);

/**
 * mnet_cpu_pack_dwconv() - pack a depthwise convolution, channels padded
 * @st: state
 * @cl: layer
 *
 * Return: 0 or -ENOMEM.
 */
int mnet_cpu_pack_dwconv(struct mnet_cpu_state *st,
			 struct mnet_cpu_layer *cl);

/**
 * mnet_cpu_packed_conv() - bytes mnet_cpu_pack_conv() allocates
 * @kern: the kernel table the session will use
 * @l: layer
 *
 * Return: bytes of packed weights and bias.
 */
uint64_t mnet_cpu_packed_conv(const struct mnet_cpu_kernels *kern,
			      const struct mnet_layer *l);

/**
 * mnet_cpu_packed_pwconv() - bytes mnet_cpu_pack_pwconv() allocates
 * @kern: kernel table
 * @l: layer
 *
 * Return: bytes of packed weights and bias.
 */
uint64_t mnet_cpu_packed_pwconv(const struct mnet_cpu_kernels *kern,
				const struct mnet_layer *l);

/**
 * mnet_cpu_packed_fc() - bytes mnet_cpu_pack_fc() allocates
 * @kern: kernel table
 * @l: layer
 *
 * Return: bytes of packed weights and bias.
 */
uint64_t mnet_cpu_packed_fc(const struct mnet_cpu_kernels *kern,
			    const struct mnet_layer *l);

/**
 * mnet_cpu_packed_dwconv() - bytes mnet_cpu_pack_dwconv() allocates
 * @kern: kernel table
 * @l: layer
 *
 * Return: bytes of packed weights and bias.
 */
uint64_t mnet_cpu_packed_dwconv(const struct mnet_cpu_kernels *kern,
				const struct mnet_layer *l);

/**
 * mnet_cpu_scratch_conv() - per-thread scratch of a full convolution
 * @kern: kernel table
 * @l: layer
 *
 * im2col blocks, or the border tiles of a direct conv.
 *
 * Return: floats each thread needs.
 */
size_t mnet_cpu_scratch_conv(const struct mnet_cpu_kernels *kern,
			     const struct mnet_layer *l);

#endif /* MNET_RUNTIME_CPU_PACK_H */

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpu_ops.h - what each IR op is on the CPU backend: one table
 */
#ifndef MNET_RUNTIME_CPU_OPS_H
#define MNET_RUNTIME_CPU_OPS_H

#include <stdint.h>

#include "cpu/cpu_state.h"

/**
 * struct mnet_cpu_op - one IR op on the CPU backend
 * @pack: pack the layer's weights for st->kern (init()); NULL for an op
 *        without weights.  Return: 0 or -ENOMEM.
 * @footprint: bytes @pack allocates, from the model alone (footprint());
 *             NULL where @pack is
 * @scratch: floats of per-thread scratch the op needs, or NULL for none
 * @run: compute the layer (or, with MNET_CPU_RUN_PAIR, the fused pair it
 *       starts) into @out; never NULL for an op the backend supports
 */
struct mnet_cpu_op {
	int (*pack)(struct mnet_cpu_state *st, struct mnet_cpu_layer *cl);
	uint64_t (*footprint)(const struct mnet_cpu_kernels *kern,
			      const struct mnet_layer *l);
	size_t (*scratch)(const struct mnet_cpu_kernels *kern,
			  const struct mnet_layer *l);
	void (*run)(struct mnet_cpu_state *st, const struct mnet_cpu_layer *cl,
		    const float *in, float *out, unsigned int how);
};

/**
 * mnet_cpu_op_get() - the CPU backend's entry for an op
 * @op: the op
 *
 * Return: the entry, or NULL for an op the CPU backend cannot run.
 */
const struct mnet_cpu_op *mnet_cpu_op_get(enum mnet_op op);

/**
 * mnet_cpu_pack_layer() - set up one layer for st->kern: its clamp and,
 * for ops with weights, the packed copy
 * @st: state (kernel table and thread count chosen)
 * @cl: layer, @cl->l set
 *
 * Return: 0, -ENOMEM, or -EOPNOTSUPP for an op without a CPU entry.
 */
int mnet_cpu_pack_layer(struct mnet_cpu_state *st, struct mnet_cpu_layer *cl);

/**
 * mnet_cpu_run_layer() - run one layer (or a fused pair) on the pool
 * @st: state
 * @cl: layer (packed by mnet_cpu_pack_layer(), so its op has an entry)
 * @how: MNET_CPU_RUN_PAIR: run @cl with the next layer as one job
 *       (@cl->fuse_next planned); MNET_CPU_RUN_RESIDUAL: a 1x1 conv with a
 *       residual (@residual >= 0) adds it, doing the absorbed ADD's work;
 *       without it the conv writes its own output, and the ADD must run
 */
void mnet_cpu_run_layer(struct mnet_cpu_state *st, struct mnet_cpu_layer *cl,
			unsigned int how);

#endif /* MNET_RUNTIME_CPU_OPS_H */

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mem_plan.h - assign activation tensors to a few reused buffers
 */
#ifndef MNET_RUNTIME_MEM_PLAN_H
#define MNET_RUNTIME_MEM_PLAN_H

#include <stddef.h>

#include "model/model.h"

/**
 * struct mnet_mem_plan - which buffer holds which tensor
 * @n_bufs: number of buffers
 * @buf_elems: size of each buffer in elements
 * @tensor_buf: buffer of each tensor, or -1 for a tensor no layer uses
 */
struct mnet_mem_plan {
	int n_bufs;
	size_t *buf_elems;
	int *tensor_buf;
};

/**
 * mnet_mem_plan_build() - plan activation buffers by liveness
 * @m: a validated model
 * @absorbs: per layer, 1 where the layer absorbs the ADD after it (a 1x1
 *           convolution with a fused residual, mnet_residual_fusable());
 *           NULL for none
 * @reserve_input: give the model input a buffer no other tensor uses
 * @p: receives the plan (release with mnet_mem_plan_fini())
 *
 * A reshape's output shares its input's buffer.  A tensor's buffer is
 * free for reuse after the last layer that reads it; a layer's output
 * never shares a buffer with its inputs; the model output is live to
 * the end.  A layer that absorbs an ADD writes the ADD's output, so its
 * own output tensor shares that buffer (the layer can still write its
 * plain result there, for layer-output validation), and the ADD's
 * residual operand is one of its inputs.
 *
 * Return: 0 or -ENOMEM.
 */
int mnet_mem_plan_build(const struct mnet_model *m,
			const unsigned char *absorbs, int reserve_input,
			struct mnet_mem_plan *p);

/**
 * mnet_mem_plan_fini() - release a plan
 * @p: plan
 */
void mnet_mem_plan_fini(struct mnet_mem_plan *p);

#endif /* MNET_RUNTIME_MEM_PLAN_H */

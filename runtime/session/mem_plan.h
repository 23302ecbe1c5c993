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
 * mnet_mem_plan_init() - plan activation buffers by liveness
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
int mnet_mem_plan_init(const struct mnet_model *m,
			const unsigned char *absorbs, int reserve_input,
			struct mnet_mem_plan *p);

/**
 * struct mnet_mem_plan_policy - the rules of mnet_mem_plan_init_policy()
 * @absorbs: as for mnet_mem_plan_init(); NULL for none
 * @keeps_input: per layer, 1 where the layer's input must stay live until
 *               the next layer is done too (a backend that runs the two
 *               as one job); NULL for none
 * @reserve_input: as for mnet_mem_plan_init()
 * @input_apart: the model input has no buffer in the plan (its
 *               tensor_buf is -1): the backend keeps it elsewhere
 * @copy_reshapes: a reshape's output gets a buffer of its own (the
 *                 backend copies) instead of aliasing its input
 * @first_fit: a new output takes the first free buffer in index order,
 *             grown if it is too small, instead of the best fitting one
 *
 * A zeroed policy with @absorbs and @reserve_input set is what
 * mnet_mem_plan_init() plans (the device backends).  The CPU backend sets
 * @input_apart, @copy_reshapes and @first_fit: its memory footprint, and
 * the buffer each tensor gets, are defined by those rules.
 */
struct mnet_mem_plan_policy {
	const unsigned char *absorbs;
	const unsigned char *keeps_input;
	unsigned int reserve_input : 1;
	unsigned int input_apart : 1;
	unsigned int copy_reshapes : 1;
	unsigned int first_fit : 1;
};

/**
 * mnet_mem_plan_init_policy() - plan activation buffers by liveness,
 * under a backend's rules
 * @m: a validated model
 * @pol: the rules (see &struct mnet_mem_plan_policy)
 * @p: receives the plan (release with mnet_mem_plan_fini())
 *
 * As mnet_mem_plan_init(), with the differences @pol asks for.
 *
 * Return: 0 or -ENOMEM.
 */
int mnet_mem_plan_init_policy(const struct mnet_model *m,
			       const struct mnet_mem_plan_policy *pol,
			       struct mnet_mem_plan *p);

/**
 * mnet_mem_plan_fini() - release a plan
 * @p: plan
 */
void mnet_mem_plan_fini(struct mnet_mem_plan *p);

#endif /* MNET_RUNTIME_MEM_PLAN_H */

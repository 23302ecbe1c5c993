/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpu_plan.h - the CPU backend's fusion and memory plans
 */
#ifndef MNET_RUNTIME_CPU_PLAN_H
#define MNET_RUNTIME_CPU_PLAN_H

#include <stdint.h>

#include "cpu/cpu_state.h"

/**
 * mnet_cpu_plan_bytes() - what mnet_cpu_plan_memory() allocates, at most
 * @m: validated model
 * @nthreads: the session's threads (fusion needs 2 or more)
 *
 * Return: bytes of activation buffers and their tables (0 on -ENOMEM).
 */
uint64_t mnet_cpu_plan_bytes(const struct mnet_model *m, int nthreads);

/**
 * mnet_cpu_plan_fusion() - choose the neighbours that run as one job
 * @st: state, every layer packed
 * @m: model
 */
void mnet_cpu_plan_fusion(struct mnet_cpu_state *st,
			  const struct mnet_model *m);

/**
 * mnet_cpu_plan_memory() - assign tensors to arena buffers, allocate them
 * @st: state, fusion planned
 * @m: model
 *
 * Return: 0 or -ENOMEM.
 */
int mnet_cpu_plan_memory(struct mnet_cpu_state *st,
			 const struct mnet_model *m);

#endif /* MNET_RUNTIME_CPU_PLAN_H */

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpu_kernels.h - the choice of a CPU kernel set (the types are in
 * cpu_kernel_types.h, where the layouts of packed weights are described)
 */
#ifndef MNET_HOST_CPU_KERNELS_H
#define MNET_HOST_CPU_KERNELS_H

#include "dispatch/cpu_kernel_types.h"

/**
 * mnet_cpu_kernels_get() - a kernel table by name, if this CPU can run it
 * @name: "avx512vnni", "avx512", "avx2", "neon-dotprod", "neon",
 *        "scalar" (or "ref", an alias of
 *        "scalar"), or NULL / "" / "auto" for the best one available
 *
 * Return: the table, or NULL if @name is unknown, not built for this
 * architecture, or not supported by this CPU.
 */
const struct mnet_cpu_kernels *mnet_cpu_kernels_get(const char *name);

#endif /* MNET_HOST_CPU_KERNELS_H */

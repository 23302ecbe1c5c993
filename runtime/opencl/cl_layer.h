/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cl_layer.h - how one IR layer maps onto an OpenCL kernel
 */
#ifndef MNET_RUNTIME_CL_LAYER_H
#define MNET_RUNTIME_CL_LAYER_H

#include <stddef.h>

#include <CL/cl.h>

#include "cl/cl_device.h"
#include "cl/cl_source.h"
#include "model/model.h"
#include "opencl/cl_precision.h"
#include "opencl/ops/cl_op.h"

/**
 * mnet_cl_layer_supported() - whether a layer has an OpenCL kernel
 * @l: layer
 *
 * Return: 1 when the layer's op entry (cl_op_table.c) has a kernel; 0
 * for an alias (reshape) or an op without an entry.
 */
int mnet_cl_layer_supported(const struct mnet_layer *l);

/**
 * mnet_cl_layer_cpu_class() - whether a device gets the CPU configurations
 * @dev: device
 *
 * Return: 1 for the CPU defaults (and a tuner space without the traffic
 * caps of &struct mnet_cl_op.traffic_max), 0 for the GPU ones: the CPU
 * bit of the device's type, unless $MNET_CL_DEFAULTS says "gpu" or "cpu".
 */
int mnet_cl_layer_cpu_class(const struct mnet_cl_device *dev);

/**
 * mnet_cl_layer_cfg_default() - default knobs from the device's properties
 * @l: layer
 * @dev: device
 * @cfg: receives the configuration
 *
 * A device with the CPU bit in its type gets the CPU defaults, any other
 * the GPU ones (mnet_cl_layer_cpu_class()); $MNET_CL_DEFAULTS ("gpu" or
 * "cpu") overrides that, for a simulator that reports every type
 * (Oclgrind: the GPU kernels' traffic in tools/bench/cl-traffic.py
 * --defaults gpu).
 */
void mnet_cl_layer_cfg_default(const struct mnet_layer *l,
			       const struct mnet_cl_device *dev,
			       struct mnet_cl_layer_cfg *cfg);

/**
 * mnet_cl_layer_range() - a layer's NDRange before padding
 * @l: layer
 * @cfg: its configuration (vector width, pixels per work-item)
 * @g: receives the global size per dimension (1 past the last)
 *
 * Return: the number of dimensions (0 for ops without a kernel).
 */
unsigned int mnet_cl_layer_range(const struct mnet_layer *l,
				 const struct mnet_cl_layer_cfg *cfg, size_t g[3]);

/**
 * mnet_cl_layer_fill_wg() - a work-group of about @target work-items
 * @l: layer
 * @dev: device (per-dimension limits)
 * @target: work-items wanted
 * @cfg: its wg[] is set, powers of two filling the fastest dimension
 *       first, none larger than its (rounded-up) range
 * @g: receives the unpadded range, as mnet_cl_layer_range()
 *
 * The default configuration's shape, and the tuner's for a given size.
 *
 * Return: the number of dimensions.
 */
unsigned int mnet_cl_layer_fill_wg(const struct mnet_layer *l,
				   const struct mnet_cl_device *dev,
				   size_t target, struct mnet_cl_layer_cfg *cfg,
				   size_t g[3]);

/**
 * mnet_cl_layer_plan() - kernel, NDRange and build options of a layer
 * @l: layer; a PWCONV2D with @l->in2 >= 0 is a 1x1 convolution that absorbs
 *     the ADD after it (the session's view, mnet_residual_fusable(): in2
 *     is the residual; the memory plan puts its output tensor in the
 *     ADD's output buffer)
 * @cfg: its configuration
 * @prec: the session's precision (its -D options come first)
 * @plan: receives the plan
 *
 * Return: 0, -EOPNOTSUPP (no kernel for this op), -EINVAL (bad cfg or the
 * options do not fit).
 */
int mnet_cl_layer_plan(const struct mnet_layer *l,
		       const struct mnet_cl_layer_cfg *cfg,
		       const struct mnet_cl_precision *prec,
		       struct mnet_cl_layer_plan *plan);

/**
 * mnet_cl_layer_pack() - repack weights and bias into the kernel's layout
 * @l: layer
 * @cfg: its configuration (the vector width decides the padding)
 * @w: receives malloc'd weights (NULL for ops without weights)
 * @nw: receives their count
 * @b: receives malloc'd bias, zero where the layer has none
 * @nb: receives its count
 *
 * Return: 0, or -ENOMEM.
 */
int mnet_cl_layer_pack(const struct mnet_layer *l,
		       const struct mnet_cl_layer_cfg *cfg, float **w,
		       size_t *nw, float **b, size_t *nb);

/**
 * mnet_cl_layer_arg_index() - where an argument sits in a plan's kernel
 * @plan: plan
 * @kind: argument kind
 *
 * Return: its index, or -1 when the kernel does not take it.
 */
int mnet_cl_layer_arg_index(const struct mnet_cl_layer_plan *plan,
			    enum mnet_cl_arg kind);

/**
 * mnet_cl_layer_set_args() - set every argument of a planned kernel
 * @k: the kernel built from @plan
 * @plan: its plan (&struct mnet_cl_layer_plan.args: the order)
 * @mem: the buffer of each argument kind (entries the kernel does not
 *       take are unused)
 * @add_res: the value of an MNET_CL_ARG_ADD_RES flag
 *
 * The one encoding of the kernels' argument lists, shared by the backend
 * (cl_setup.c) and the tuner.
 *
 * Return: 0, or the failing clSetKernelArg() code.
 */
cl_int mnet_cl_layer_set_args(cl_kernel k,
			      const struct mnet_cl_layer_plan *plan,
			      const cl_mem mem[MNET_CL_ARG_COUNT], int add_res);

#endif /* MNET_RUNTIME_CL_LAYER_H */

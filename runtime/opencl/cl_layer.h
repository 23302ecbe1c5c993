/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cl_layer.h - how one IR layer maps onto an OpenCL kernel
 */
#ifndef MNET_RUNTIME_CL_LAYER_H
#define MNET_RUNTIME_CL_LAYER_H

#include <stddef.h>

#include "cl/cl_device.h"
#include "cl/cl_source.h"
#include "model/model.h"

/* &struct mnet_cl_layer_cfg.variant: how the layer is computed */
#define MNET_CL_VARIANT_KERNEL 0	/* the layer's kernel of cl_kernels/ */
#define MNET_CL_VARIANT_GEMM 1		/* CLBlast SGEMM + bias_act (cl_gemm.c) */

/**
 * struct mnet_cl_layer_cfg - the tunable knobs of one layer's kernel
 * @variant: MNET_CL_VARIANT_KERNEL (default) or MNET_CL_VARIANT_GEMM (only
 *           from a tuning database; the other knobs are then unused)
 * @vw: vector width: channels per work-item (2, 4, 8 or 16)
 * @ppt: pixels per work-item (pwconv only, 1..8)
 * @in_vec: input load width (pwconv only): 4 (vload4) or 1 (scalars)
 * @oxt: output pixels along x per work-item (dwconv only, 1..8)
 * @wg: work-group size per NDRange dimension; wg[0] == 0 means no local
 *      size (NULL: the driver chooses; the global size is then unpadded)
 * @name: what chose these values ("default"; a tuner writes "tuned")
 *
 * Everything a tuner may change for a layer lives here; the defaults come
 * from mnet_cl_layer_cfg_default().
 */
struct mnet_cl_layer_cfg {
	int variant;
	int vw;
	int ppt;
	int in_vec;
	int oxt;
	size_t wg[3];
	const char *name;
};

/**
 * struct mnet_cl_layer_plan - the kernel launch derived from a layer + cfg
 * @file: kernel source file ("pwconv.cl")
 * @kernel: kernel function name
 * @dims: NDRange dimensions
 * @global: global size, padded to a multiple of @local
 * @local: work-group size
 * @has_weights: the kernel takes weights and bias arguments
 * @residual: the kernel takes a residual tensor and an add_res flag after
 *            its output (a 1x1 convolution absorbing an ADD)
 * @opts: the program's build options
 */
struct mnet_cl_layer_plan {
	const char *file;
	const char *kernel;
	unsigned int dims;
	size_t global[3];
	size_t local[3];
	int has_weights;
	int residual;
	struct mnet_cl_opts opts;
};

/**
 * mnet_cl_layer_supported() - whether a layer has an OpenCL kernel
 * @l: layer
 *
 * Return: 1 for every op but reshape (an alias, no kernel).
 */
int mnet_cl_layer_supported(const struct mnet_layer *l);

/**
 * mnet_cl_layer_cfg_default() - default knobs from the device's properties
 * @l: layer
 * @dev: device
 * @cfg: receives the configuration
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
 * @storage_half: 1 for half buffers (vload_half)
 * @math_half: 1 for half arithmetic (cl_khr_fp16)
 * @plan: receives the plan
 *
 * Return: 0, -EOPNOTSUPP (no kernel for this op), -EINVAL (bad cfg or the
 * options do not fit).
 */
int mnet_cl_layer_plan(const struct mnet_layer *l,
		       const struct mnet_cl_layer_cfg *cfg, int storage_half,
		       int math_half, struct mnet_cl_layer_plan *plan);

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

#endif /* MNET_RUNTIME_CL_LAYER_H */

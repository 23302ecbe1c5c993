// SPDX-License-Identifier: Apache-2.0
/*
 * cl_precision.c - the precision table of the OpenCL backend and tuner
 *
 * DOC: precision modes
 *
 * fp32; fp16-storage (buffers of half through vload_half and vstore_half,
 * which are core OpenCL 1.2, float arithmetic; the host converts weights
 * once and input/output per run); fp16 (half arithmetic, only with
 * cl_khr_fp16).  The -D options are what cl_kernels/common.h reads; their
 * text is part of program cache and tuning database keys.
 */
#include <errno.h>
#include <stdint.h>

#include "opencl/cl_precision.h"
#include "support/half.h"

static void f32_to_f16(void *dst, const float *src, size_t n)
{
	mnet_f32_to_f16_array(dst, src, n);
}

static void f16_to_f32(float *dst, const void *src, size_t n)
{
	mnet_f16_to_f32_array(dst, src, n);
}

static const struct mnet_cl_precision cl_precisions[] = {
	[MNET_PRECISION_FP32] = {
		.id = MNET_PRECISION_FP32,
		.name = "fp32",
		.suffix = "",
		.elem_size = sizeof(float),
		.defines = "",
		.tolerance = 1e-4,
		.gemm = 1,
	},
	[MNET_PRECISION_FP16_STORAGE] = {
		.id = MNET_PRECISION_FP16_STORAGE,
		.name = "fp16-storage",
		.suffix = "-fp16-storage",
		.elem_size = sizeof(uint16_t),
		.defines = "-DSTORAGE_HALF=1",
		.tolerance = 1e-2,
		.to_device = f32_to_f16,
		.from_device = f16_to_f32,
	},
	[MNET_PRECISION_FP16] = {
		.id = MNET_PRECISION_FP16,
		.name = "fp16",
		.suffix = "-fp16",
		.elem_size = sizeof(uint16_t),
		.defines = "-DSTORAGE_HALF=1 -DMATH_HALF=1",
		.tolerance = 1e-2,
		.needs_fp16 = 1,
		.to_device = f32_to_f16,
		.from_device = f16_to_f32,
	},
};

const struct mnet_cl_precision *mnet_cl_precision_get(enum mnet_precision id)
{
	size_t n = sizeof(cl_precisions) / sizeof(cl_precisions[0]);

	if ((unsigned int)id >= n || !cl_precisions[id].name)
		return NULL;
	return &cl_precisions[id];
}

int mnet_cl_precision_resolve(const struct mnet_cl_device *dev,
			      enum mnet_precision p,
			      const struct mnet_cl_precision **out)
{
	if (p == MNET_PRECISION_AUTO)
		p = dev->type & CL_DEVICE_TYPE_CPU ? MNET_PRECISION_FP32 :
		    MNET_PRECISION_FP16_STORAGE;
	*out = mnet_cl_precision_get(p);
	if (!*out)
		*out = mnet_cl_precision_get(MNET_PRECISION_FP32);
	if (p == MNET_PRECISION_INT8)
		return -EOPNOTSUPP;	/* no integer kernels yet */
	return (*out)->needs_fp16 && !dev->fp16 ? -EOPNOTSUPP : 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * backend_opencl.h - what the OpenCL backend reports beyond the ops table
 */
#ifndef MNET_RUNTIME_BACKEND_OPENCL_H
#define MNET_RUNTIME_BACKEND_OPENCL_H

#include "session/backend.h"

/**
 * struct mnet_cl_startup - where an OpenCL session's creation time went
 * @device_ms: device selection, context, queue, activation buffers
 * @build_ms: program builds and cache loads
 * @upload_ms: weight repacking, conversion and upload
 * @warmup_ms: the warm-up run (first-launch compilation) and cache writes
 * @built: programs compiled from source
 * @cached: programs loaded from the program cache
 * @programs: distinct programs (layers with equal options share one)
 * @host_layers: layers that run on the host (fallback)
 */
struct mnet_cl_startup {
	double device_ms;
	double build_ms;
	double upload_ms;
	double warmup_ms;
	int built;
	int cached;
	int programs;
	int host_layers;
};

/**
 * mnet_backend_opencl_startup() - start-up cost of an OpenCL backend
 * @be: a backend initialised by mnet_backend_opencl_ops
 * @out: receives the figures
 *
 * Return: 0, or -EINVAL when @be is not a live OpenCL backend.
 */
int mnet_backend_opencl_startup(const struct mnet_backend *be,
				struct mnet_cl_startup *out);

#endif /* MNET_RUNTIME_BACKEND_OPENCL_H */

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * backend_opencl.h - what the OpenCL backend reports beyond the ops table
 */
#ifndef MNET_RUNTIME_BACKEND_OPENCL_H
#define MNET_RUNTIME_BACKEND_OPENCL_H

#include "opencl/cl_startup.h"
#include "session/backend.h"

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

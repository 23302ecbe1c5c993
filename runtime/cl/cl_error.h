/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cl_error.h - the one place OpenCL status codes become errno values
 *
 * DOC: OpenCL errors
 *
 * Every cl_int the OpenCL host code receives goes through mnet_cl_check(),
 * which maps it to a negative errno and writes a message naming the call,
 * the object (layer, program, device) and the CL error name, so a failure
 * is described once where it happens and callers only pass the code up.
 */
#ifndef MNET_RUNTIME_CL_ERROR_H
#define MNET_RUNTIME_CL_ERROR_H

#include <CL/cl.h>

#include "mnet/mnet.h"

/**
 * mnet_cl_errno() - map an OpenCL status to a negative errno
 * @status: a cl_int returned by an OpenCL call
 *
 * Return: 0 for CL_SUCCESS; -ENOMEM (out of host or device memory),
 * -ENODEV (no platform/device), -ENOEXEC (program build or binary
 * failures), -EINVAL (invalid arguments, sizes, work-group shapes),
 * -EIO (anything else: the device failed).
 */
int mnet_cl_errno(cl_int status);

/**
 * mnet_cl_strerror() - the symbolic name of an OpenCL status
 * @status: a cl_int returned by an OpenCL call
 *
 * Return: a static string such as "CL_OUT_OF_RESOURCES"; never NULL.
 */
const char *mnet_cl_strerror(cl_int status);

/**
 * mnet_cl_check() - turn a failed OpenCL call into an errno and a message
 * @err: error report to fill on failure, or NULL
 * @status: the call's status
 * @what: what was being done ("clBuildProgram for layer pw_3")
 *
 * Return: 0 when @status is CL_SUCCESS, else the mapped negative errno
 * (and @err holds "@what: CL_ERROR_NAME (code)").
 */
int mnet_cl_check(struct mnet_err *err, cl_int status, const char *what);

/* every OpenCL host file includes this header: route its calls through
 * the fault-injection wrappers (see cl_fault.h) */
#include "cl/cl_fault.h"

#endif /* MNET_RUNTIME_CL_ERROR_H */

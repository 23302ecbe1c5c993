// SPDX-License-Identifier: Apache-2.0
/*
 * cl_error.c - OpenCL status names and their errno mapping
 *
 * DOC: why one table
 *
 * Spreading "if (status == CL_OUT_OF_RESOURCES) return -ENOMEM" over the
 * backend makes every call site decide policy.  Here one table gives each
 * status its name and errno; the rest of the code only calls
 * mnet_cl_check().
 */
#include <errno.h>
#include <stddef.h>

#include "cl/cl_error.h"
#include "model/model.h"

struct cl_status {
	cl_int status;
	const char *name;
	int err;
};

#define S(x, e) { x, #x, e }
static const struct cl_status cl_statuses[] = {
	S(CL_SUCCESS, 0),
	S(CL_DEVICE_NOT_FOUND, -ENODEV),
	S(CL_DEVICE_NOT_AVAILABLE, -ENODEV),
	S(CL_COMPILER_NOT_AVAILABLE, -ENOEXEC),
	S(CL_MEM_OBJECT_ALLOCATION_FAILURE, -ENOMEM),
	S(CL_OUT_OF_RESOURCES, -ENOMEM),
	S(CL_OUT_OF_HOST_MEMORY, -ENOMEM),
	S(CL_PROFILING_INFO_NOT_AVAILABLE, -EIO),
	S(CL_MEM_COPY_OVERLAP, -EINVAL),
	S(CL_IMAGE_FORMAT_MISMATCH, -EINVAL),
	S(CL_IMAGE_FORMAT_NOT_SUPPORTED, -EOPNOTSUPP),
	S(CL_BUILD_PROGRAM_FAILURE, -ENOEXEC),
	S(CL_MAP_FAILURE, -EIO),
	S(CL_MISALIGNED_SUB_BUFFER_OFFSET, -EINVAL),
	S(CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST, -EIO),
	S(CL_COMPILE_PROGRAM_FAILURE, -ENOEXEC),
	S(CL_LINKER_NOT_AVAILABLE, -ENOEXEC),
	S(CL_LINK_PROGRAM_FAILURE, -ENOEXEC),
	S(CL_DEVICE_PARTITION_FAILED, -EIO),
	S(CL_KERNEL_ARG_INFO_NOT_AVAILABLE, -EIO),
	S(CL_INVALID_VALUE, -EINVAL),
	S(CL_INVALID_DEVICE_TYPE, -EINVAL),
	S(CL_INVALID_PLATFORM, -ENODEV),
	S(CL_INVALID_DEVICE, -ENODEV),
	S(CL_INVALID_CONTEXT, -EINVAL),
	S(CL_INVALID_QUEUE_PROPERTIES, -EINVAL),
	S(CL_INVALID_COMMAND_QUEUE, -EINVAL),
	S(CL_INVALID_HOST_PTR, -EINVAL),
	S(CL_INVALID_MEM_OBJECT, -EINVAL),
	S(CL_INVALID_IMAGE_FORMAT_DESCRIPTOR, -EINVAL),
	S(CL_INVALID_IMAGE_SIZE, -EINVAL),
	S(CL_INVALID_SAMPLER, -EINVAL),
	S(CL_INVALID_BINARY, -ENOEXEC),
	S(CL_INVALID_BUILD_OPTIONS, -ENOEXEC),
	S(CL_INVALID_PROGRAM, -ENOEXEC),
	S(CL_INVALID_PROGRAM_EXECUTABLE, -ENOEXEC),
	S(CL_INVALID_KERNEL_NAME, -ENOEXEC),
	S(CL_INVALID_KERNEL_DEFINITION, -ENOEXEC),
	S(CL_INVALID_KERNEL, -EINVAL),
	S(CL_INVALID_ARG_INDEX, -EINVAL),
	S(CL_INVALID_ARG_VALUE, -EINVAL),
	S(CL_INVALID_ARG_SIZE, -EINVAL),
	S(CL_INVALID_KERNEL_ARGS, -EINVAL),
	S(CL_INVALID_WORK_DIMENSION, -EINVAL),
	S(CL_INVALID_WORK_GROUP_SIZE, -EINVAL),
	S(CL_INVALID_WORK_ITEM_SIZE, -EINVAL),
	S(CL_INVALID_GLOBAL_OFFSET, -EINVAL),
	S(CL_INVALID_EVENT_WAIT_LIST, -EINVAL),
	S(CL_INVALID_EVENT, -EINVAL),
	S(CL_INVALID_OPERATION, -EINVAL),
	S(CL_INVALID_GL_OBJECT, -EINVAL),
	S(CL_INVALID_BUFFER_SIZE, -EINVAL),
	S(CL_INVALID_MIP_LEVEL, -EINVAL),
	S(CL_INVALID_GLOBAL_WORK_SIZE, -EINVAL),
	S(CL_INVALID_PROPERTY, -EINVAL),
	S(CL_INVALID_IMAGE_DESCRIPTOR, -EINVAL),
	S(CL_INVALID_COMPILER_OPTIONS, -ENOEXEC),
	S(CL_INVALID_LINKER_OPTIONS, -ENOEXEC),
	S(CL_INVALID_DEVICE_PARTITION_COUNT, -EINVAL),
	{ -1001, "CL_PLATFORM_NOT_FOUND_KHR", -ENODEV },
};
#undef S

static const struct cl_status *cl_status_find(cl_int status)
{
	size_t i;

	for (i = 0; i < sizeof(cl_statuses) / sizeof(cl_statuses[0]); i++)
		if (cl_statuses[i].status == status)
			return &cl_statuses[i];
	return NULL;
}

int mnet_cl_errno(cl_int status)
{
	const struct cl_status *s = cl_status_find(status);

	return s ? s->err : -EIO;
}

const char *mnet_cl_strerror(cl_int status)
{
	const struct cl_status *s = cl_status_find(status);

	return s ? s->name : "CL_UNKNOWN_ERROR";
}

int mnet_cl_check(struct mnet_err *err, cl_int status, const char *what)
{
	if (status == CL_SUCCESS)
		return 0;
	return mnet_err_set(err, mnet_cl_errno(status), "%s: %s (%d)", what,
			    mnet_cl_strerror(status), (int)status);
}

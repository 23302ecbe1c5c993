/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cl_device.h - OpenCL platform/device enumeration and selection
 */
#ifndef MNET_RUNTIME_CL_DEVICE_H
#define MNET_RUNTIME_CL_DEVICE_H

#include <CL/cl.h>

#include "mnet/mnet.h"

/**
 * struct mnet_cl_device - what the runtime needs to know about one device
 * @platform: its platform
 * @id: the device
 * @index: position in the global list (all platforms, in order)
 * @type: CL_DEVICE_TYPE_GPU, _ACCELERATOR, _CPU, ...
 * @name: device name
 * @vendor: device vendor
 * @platform_name: platform name
 * @driver: driver version
 * @version: OpenCL version string of the device
 * @c_version: OpenCL C version string
 * @compute_units: compute units
 * @max_wg: maximum work-group size
 * @max_items: maximum work-item sizes per dimension
 * @local_mem: local memory bytes
 * @global_mem: global memory bytes
 * @max_alloc: largest single buffer in bytes
 * @fp16: 1 if cl_khr_fp16 is reported
 * @image: 1 if images are supported
 * @unified: 1 if memory is shared with the host (CL_DEVICE_HOST_UNIFIED_MEMORY)
 */
struct mnet_cl_device {
	cl_platform_id platform;
	cl_device_id id;
	int index;
	cl_device_type type;
	char name[256];
	char vendor[128];
	char platform_name[128];
	char driver[128];
	char version[128];
	char c_version[128];
	cl_uint compute_units;
	size_t max_wg;
	size_t max_items[3];
	cl_ulong local_mem;
	cl_ulong global_mem;
	cl_ulong max_alloc;
	int fp16;
	int image;
	int unified;
};

/**
 * mnet_cl_devices_list() - enumerate every device of every platform
 * @out: receives a malloc'd array (free() it)
 * @n: receives the number of devices
 * @err: optional error report
 *
 * Return: 0, -ENODEV when there is no platform or no device (the message
 * says which; a missing ICD never crashes), -ENOMEM, -EIO.
 */
int mnet_cl_devices_list(struct mnet_cl_device **out, int *n,
			 struct mnet_err *err);

/**
 * mnet_cl_device_select() - choose the device a session runs on
 * @want: an index ("1"), a name/vendor/platform substring, or NULL for
 *        $MNET_DEVICE, else the first GPU, then accelerator, then CPU
 * @out: receives the chosen device's description
 * @err: optional error report
 *
 * Return: 0, -ENODEV (no platform, no device, or nothing matches @want).
 */
int mnet_cl_device_select(const char *want, struct mnet_cl_device *out,
			  struct mnet_err *err);

/**
 * mnet_cl_device_type_name() - printable device type
 * @type: CL device type bits
 *
 * Return: "GPU", "ACCELERATOR", "CPU", "CUSTOM" or "OTHER".
 */
const char *mnet_cl_device_type_name(cl_device_type type);

#endif /* MNET_RUNTIME_CL_DEVICE_H */

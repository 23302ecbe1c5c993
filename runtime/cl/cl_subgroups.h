/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cl_subgroups.h - what a device reports about its sub-groups
 */
#ifndef MNET_RUNTIME_CL_SUBGROUPS_H
#define MNET_RUNTIME_CL_SUBGROUPS_H

#include "cl/cl_device.h"

#define MNET_CL_MAX_SG_SIZES 16

/**
 * struct mnet_cl_subgroups - a device's sub-groups, as far as it reports them
 * @khr: 1 if cl_khr_subgroups is reported
 * @intel: 1 if cl_intel_subgroups is reported
 * @max_num: CL_DEVICE_MAX_NUM_SUB_GROUPS (OpenCL 2.1 and later: 0 means
 *           the device has no sub-groups), or -1 when it cannot be asked
 *           (an older device, or the query failed)
 * @n_sizes: entries of @sizes, or -1 when the device does not report its
 *           sizes (CL_DEVICE_SUB_GROUP_SIZES_INTEL of
 *           cl_intel_required_subgroup_size)
 * @sizes: the sub-group sizes a kernel may require
 * @probe_wg: the work-group size the probe kernel was asked about
 * @probe_size: the probe kernel's sub-group size for a work-group of
 *              @probe_wg items (CL_KERNEL_MAX_SUB_GROUP_SIZE_FOR_NDRANGE
 *              of clGetKernelSubGroupInfo or its KHR form), or -1
 * @probe_count: how many sub-groups such a work-group has, or -1
 * @note: why @probe_size is -1 ("" when it is known)
 */
struct mnet_cl_subgroups {
	int khr;
	int intel;
	long max_num;
	int n_sizes;
	size_t sizes[MNET_CL_MAX_SG_SIZES];
	size_t probe_wg;
	long probe_size;
	long probe_count;
	char note[160];
};

/**
 * mnet_cl_subgroups_query() - ask a device about its sub-groups
 * @d: device, from mnet_cl_devices_list()
 * @sg: receives what the device reports; a value it does not report is
 *      -1 (never a guess)
 *
 * The device queries need nothing but @d.  The probe (one tiny kernel
 * built in a context of its own) runs only where the device says it has
 * sub-groups and the query function exists: the core
 * clGetKernelSubGroupInfo() of OpenCL 2.1 and later, looked up at run
 * time so that the library still links against a 1.2 loader, or
 * cl_khr_subgroups' clGetKernelSubGroupInfoKHR().
 */
void mnet_cl_subgroups_query(const struct mnet_cl_device *d,
			     struct mnet_cl_subgroups *sg);

#endif /* MNET_RUNTIME_CL_SUBGROUPS_H */

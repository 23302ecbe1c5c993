// SPDX-License-Identifier: Apache-2.0
/*
 * cl_subgroups.c - what a device reports about its sub-groups
 *
 * DOC: sub-group queries
 *
 * Three sources, each used only where the device offers it, so that no
 * value is made up: CL_DEVICE_MAX_NUM_SUB_GROUPS (OpenCL 2.1+),
 * CL_DEVICE_SUB_GROUP_SIZES_INTEL (cl_intel_required_subgroup_size), and
 * the sub-group size of one work-group of a probe kernel
 * (clGetKernelSubGroupInfo(), core in 2.1+, or the KHR form of
 * cl_khr_subgroups).  The library is built against the OpenCL 1.2 API
 * (CL_TARGET_OPENCL_VERSION=120), so the newer names are defined here and
 * the core function is looked up with dlsym(): a 1.2 ICD loader still
 * links, and a device that is not 2.1 is never handed the call.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "cl/cl_subgroups.h"

#ifndef CL_DEVICE_MAX_NUM_SUB_GROUPS
#define CL_DEVICE_MAX_NUM_SUB_GROUPS 0x105C
#endif
#ifndef CL_DEVICE_SUB_GROUP_SIZES_INTEL
#define CL_DEVICE_SUB_GROUP_SIZES_INTEL 0x4108
#endif
#define SG_MAX_SIZE_FOR_NDRANGE 0x2033	/* CL_KERNEL_MAX_SUB_GROUP_SIZE_FOR_NDRANGE */
#define SG_COUNT_FOR_NDRANGE 0x2034	/* CL_KERNEL_SUB_GROUP_COUNT_FOR_NDRANGE */

typedef cl_int (*sg_info_fn)(cl_kernel, cl_device_id, cl_uint, size_t,
			     const void *, size_t, void *, size_t *);

static const char probe_src[] =
	"kernel void mnet_sg_probe(global int *o)\n"
	"{\n"
	"	o[get_global_id(0)] = 0;\n"
	"}\n";

/* OpenCL version of the device, as major * 10 + minor (12, 21, 30). */
static int device_version(const struct mnet_cl_device *d)
{
	int major = 0, minor = 0;

	if (sscanf(d->version, "OpenCL %d.%d", &major, &minor) != 2)
		return 0;
	return major * 10 + minor;
}

/* The query function the device can take, or NULL with @sg->note set. */
static sg_info_fn sg_info_function(const struct mnet_cl_device *d,
				   struct mnet_cl_subgroups *sg)
{
	sg_info_fn fn = NULL;

	if (device_version(d) >= 21)
		*(void **)&fn = dlsym(RTLD_DEFAULT, "clGetKernelSubGroupInfo");
	if (!fn && sg->khr)
		*(void **)&fn = clGetExtensionFunctionAddressForPlatform(
			d->platform, "clGetKernelSubGroupInfoKHR");
	if (!fn)
		snprintf(sg->note, sizeof(sg->note),
			 "no clGetKernelSubGroupInfo for this device");
	return fn;
}

/* The probe kernel's sub-group size and count for one work-group. */
static void probe(const struct mnet_cl_device *d, struct mnet_cl_subgroups *sg)
{
	const char *src = probe_src;
	cl_context ctx;
	cl_program prog = NULL;
	cl_kernel k = NULL;
	sg_info_fn fn;
	size_t lws[3] = { 0, 1, 1 }, v;
	cl_int st;

	fn = sg_info_function(d, sg);
	if (!fn)
		return;
	lws[0] = sg->probe_wg;
	ctx = clCreateContext(NULL, 1, &d->id, NULL, NULL, &st);
	if (st != CL_SUCCESS) {
		snprintf(sg->note, sizeof(sg->note),
			 "probe: clCreateContext failed (%d)", st);
		return;
	}
	prog = clCreateProgramWithSource(ctx, 1, &src, NULL, &st);
	if (st == CL_SUCCESS)
		st = clBuildProgram(prog, 1, &d->id, "", NULL, NULL);
	if (st == CL_SUCCESS)
		k = clCreateKernel(prog, "mnet_sg_probe", &st);
	if (st != CL_SUCCESS) {
		snprintf(sg->note, sizeof(sg->note),
			 "probe kernel did not build (%d)", st);
		goto out_release;
	}
	st = fn(k, d->id, SG_MAX_SIZE_FOR_NDRANGE, sizeof(lws), lws,
		sizeof(v), &v, NULL);
	if (st != CL_SUCCESS) {
		snprintf(sg->note, sizeof(sg->note),
			 "clGetKernelSubGroupInfo failed (%d)", st);
		goto out_release;
	}
	sg->probe_size = (long)v;
	if (fn(k, d->id, SG_COUNT_FOR_NDRANGE, sizeof(lws), lws, sizeof(v),
	       &v, NULL) == CL_SUCCESS)
		sg->probe_count = (long)v;
out_release:
	if (k)
		clReleaseKernel(k);
	if (prog)
		clReleaseProgram(prog);
	clReleaseContext(ctx);
}

void mnet_cl_subgroups_query(const struct mnet_cl_device *d,
			     struct mnet_cl_subgroups *sg)
{
	char ext[8192] = "";
	size_t ret = 0;
	cl_uint num;

	memset(sg, 0, sizeof(*sg));
	sg->max_num = -1;
	sg->n_sizes = -1;
	sg->probe_size = -1;
	sg->probe_count = -1;
	sg->probe_wg = d->max_wg < 64 ? d->max_wg : 64;
	if (clGetDeviceInfo(d->id, CL_DEVICE_EXTENSIONS, sizeof(ext) - 1, ext,
			    NULL) != CL_SUCCESS)
		ext[0] = '\0';
	sg->khr = strstr(ext, "cl_khr_subgroups") != NULL;
	sg->intel = strstr(ext, "cl_intel_subgroups") != NULL;
	if (device_version(d) >= 21 &&
	    clGetDeviceInfo(d->id, CL_DEVICE_MAX_NUM_SUB_GROUPS, sizeof(num),
			    &num, NULL) == CL_SUCCESS)
		sg->max_num = num;
	if (strstr(ext, "cl_intel_required_subgroup_size") &&
	    clGetDeviceInfo(d->id, CL_DEVICE_SUB_GROUP_SIZES_INTEL,
			    sizeof(sg->sizes), sg->sizes, &ret) == CL_SUCCESS)
		sg->n_sizes = (int)(ret / sizeof(sg->sizes[0]));
	if (sg->max_num == 0 && !sg->khr && !sg->intel) {
		snprintf(sg->note, sizeof(sg->note),
			 "the device reports no sub-groups (CL_DEVICE_MAX_NUM_SUB_GROUPS 0)");
		return;
	}
	if (sg->max_num < 0 && !sg->khr && !sg->intel) {
		snprintf(sg->note, sizeof(sg->note),
			 "OpenCL %s device without cl_khr_subgroups: not reported",
			 device_version(d) ? "before 2.1" : "unknown-version");
		return;
	}
	probe(d, sg);
}

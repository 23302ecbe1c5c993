// SPDX-License-Identifier: Apache-2.0
/*
 * cl_device.c - enumerate OpenCL devices and pick one
 *
 * DOC: device selection
 *
 * All devices of all platforms form one list, numbered in platform order,
 * which is what `mnet-devices` prints and what an index in --device or
 * $MNET_DEVICE refers to.  A non-numeric choice matches a substring of the
 * device name, vendor or platform name (case-insensitive).  Without a
 * choice the first GPU wins, then the first accelerator (DSPs, NPUs that
 * expose OpenCL), then the first CPU device (PoCL): the device most likely
 * to be fast comes first.  With ocl-icd and no vendor file installed
 * clGetPlatformIDs() fails with CL_PLATFORM_NOT_FOUND_KHR; that is a clean
 * -ENODEV, never a crash.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl/cl_device.h"
#include "cl/cl_error.h"
#include "model/model.h"

#define MAX_PLATFORMS 16
#define MAX_DEVICES 64

const char *mnet_cl_device_type_name(cl_device_type type)
{
	if (type & CL_DEVICE_TYPE_GPU)
		return "GPU";
	if (type & CL_DEVICE_TYPE_ACCELERATOR)
		return "ACCELERATOR";
	if (type & CL_DEVICE_TYPE_CPU)
		return "CPU";
	if (type & CL_DEVICE_TYPE_CUSTOM)
		return "CUSTOM";
	return "OTHER";
}

static void dev_str(cl_device_id id, cl_device_info what, char *dst,
		    size_t len)
{
	if (clGetDeviceInfo(id, what, len, dst, NULL) != CL_SUCCESS)
		snprintf(dst, len, "?");
	dst[len - 1] = '\0';
}

/* whole-word match in the extension list, however long it is */
static int dev_has_extension(cl_device_id id, const char *name)
{
	size_t n = 0, len = strlen(name);
	char *ext, *p;
	int found = 0;

	if (clGetDeviceInfo(id, CL_DEVICE_EXTENSIONS, 0, NULL, &n) != CL_SUCCESS ||
	    !n)
		return 0;
	ext = malloc(n + 1);
	if (!ext)
		return 0;
	if (clGetDeviceInfo(id, CL_DEVICE_EXTENSIONS, n, ext, NULL) == CL_SUCCESS) {
		ext[n] = '\0';
		for (p = strstr(ext, name); p && !found; p = strstr(p + 1, name))
			found = (p == ext || p[-1] == ' ') &&
				(p[len] == ' ' || p[len] == '\0');
	}
	free(ext);
	return found;
}

static int dev_describe(cl_platform_id p, cl_device_id id,
			struct mnet_cl_device *d, struct mnet_err *err)
{
	size_t items[16] = { 0 };
	cl_bool b = CL_FALSE;
	cl_int rc;

	memset(d, 0, sizeof(*d));
	d->platform = p;
	d->id = id;
	rc = clGetDeviceInfo(id, CL_DEVICE_TYPE, sizeof(d->type), &d->type,
			     NULL);
	if (rc)
		return mnet_cl_check(err, rc, "clGetDeviceInfo(CL_DEVICE_TYPE)");
	dev_str(id, CL_DEVICE_NAME, d->name, sizeof(d->name));
	dev_str(id, CL_DEVICE_VENDOR, d->vendor, sizeof(d->vendor));
	dev_str(id, CL_DRIVER_VERSION, d->driver, sizeof(d->driver));
	dev_str(id, CL_DEVICE_VERSION, d->version, sizeof(d->version));
	dev_str(id, CL_DEVICE_OPENCL_C_VERSION, d->c_version,
		sizeof(d->c_version));
	if (clGetPlatformInfo(p, CL_PLATFORM_NAME, sizeof(d->platform_name),
			      d->platform_name, NULL) != CL_SUCCESS)
		strcpy(d->platform_name, "?");
	d->platform_name[sizeof(d->platform_name) - 1] = '\0';
	clGetDeviceInfo(id, CL_DEVICE_MAX_COMPUTE_UNITS,
			sizeof(d->compute_units), &d->compute_units, NULL);
	clGetDeviceInfo(id, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof(d->max_wg),
			&d->max_wg, NULL);
	/* a device may report more than three dimensions; keep the first 3 */
	if (clGetDeviceInfo(id, CL_DEVICE_MAX_WORK_ITEM_SIZES, sizeof(items),
			    items, NULL) == CL_SUCCESS)
		memcpy(d->max_items, items, sizeof(d->max_items));
	clGetDeviceInfo(id, CL_DEVICE_LOCAL_MEM_SIZE, sizeof(d->local_mem),
			&d->local_mem, NULL);
	clGetDeviceInfo(id, CL_DEVICE_GLOBAL_MEM_SIZE, sizeof(d->global_mem),
			&d->global_mem, NULL);
	clGetDeviceInfo(id, CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof(d->max_alloc),
			&d->max_alloc, NULL);
	if (clGetDeviceInfo(id, CL_DEVICE_IMAGE_SUPPORT, sizeof(b), &b,
			    NULL) == CL_SUCCESS)
		d->image = b == CL_TRUE;
	b = CL_FALSE;
	if (clGetDeviceInfo(id, CL_DEVICE_HOST_UNIFIED_MEMORY, sizeof(b), &b,
			    NULL) == CL_SUCCESS)
		d->unified = b == CL_TRUE;
	d->fp16 = dev_has_extension(id, "cl_khr_fp16");
	if (d->max_wg == 0)
		d->max_wg = 1;
	return 0;
}

int mnet_cl_devices_list(struct mnet_cl_device **out, int *n,
			 struct mnet_err *err)
{
	cl_platform_id plats[MAX_PLATFORMS];
	cl_device_id ids[MAX_DEVICES];
	struct mnet_cl_device *devs;
	cl_uint np = 0, nd, i, j;
	int count = 0, ret;
	cl_int rc;

	*out = NULL;
	*n = 0;
	rc = clGetPlatformIDs(MAX_PLATFORMS, plats, &np);
	if (rc == -1001 /* CL_PLATFORM_NOT_FOUND_KHR */ || (!rc && np == 0))
		return mnet_err_set(err, -ENODEV,
				    "no OpenCL platform found (no ICD installed under /etc/OpenCL/vendors?)");
	if (rc)
		return mnet_cl_check(err, rc, "clGetPlatformIDs");
	if (np > MAX_PLATFORMS)
		np = MAX_PLATFORMS;
	devs = calloc(MAX_DEVICES, sizeof(*devs));
	if (!devs)
		return mnet_err_set(err, -ENOMEM, "OpenCL: out of memory");
	for (i = 0; i < np && count < MAX_DEVICES; i++) {
		nd = 0;
		rc = clGetDeviceIDs(plats[i], CL_DEVICE_TYPE_ALL,
				    MAX_DEVICES - count, ids, &nd);
		if (rc == CL_DEVICE_NOT_FOUND || nd == 0)
			continue;
		if (rc) {
			ret = mnet_cl_check(err, rc, "clGetDeviceIDs");
			goto out_free;
		}
		if (nd > (cl_uint)(MAX_DEVICES - count))
			nd = MAX_DEVICES - count;
		for (j = 0; j < nd; j++) {
			ret = dev_describe(plats[i], ids[j], &devs[count], err);
			if (ret)
				goto out_free;
			devs[count].index = count;
			count++;
		}
	}
	if (!count) {
		ret = mnet_err_set(err, -ENODEV,
				   "OpenCL: %u platform(s) but no device", np);
		goto out_free;
	}
	*out = devs;
	*n = count;
	return 0;

out_free:
	free(devs);
	return ret;
}

static int icontains(const char *hay, const char *needle)
{
	size_t i, j, nl = strlen(needle);

	for (i = 0; hay[i]; i++) {
		for (j = 0; j < nl && hay[i + j]; j++)
			if (tolower((unsigned char)hay[i + j]) !=
			    tolower((unsigned char)needle[j]))
				break;
		if (j == nl)
			return 1;
	}
	return nl == 0;
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

int mnet_cl_device_select(const char *want, struct mnet_cl_device *out,
			  struct mnet_err *err)
{
	static const cl_device_type order[] = {
		CL_DEVICE_TYPE_GPU, CL_DEVICE_TYPE_ACCELERATOR,
		CL_DEVICE_TYPE_CPU, CL_DEVICE_TYPE_ALL,
	};
	struct mnet_cl_device *devs;
	int n, i, ret, pick = -1;
	unsigned int k;

	if (!want || !*want)
		want = getenv("MNET_DEVICE");
	ret = mnet_cl_devices_list(&devs, &n, err);
	if (ret)
		return ret;
	if (want && *want && all_digits(want)) {
		long idx = strtol(want, NULL, 10);

		if (idx >= n) {
			ret = mnet_err_set(err, -ENODEV,
					   "OpenCL device %ld does not exist (%d device(s); see mnet-devices)",
					   idx, n);
			goto out_free;
		}
		pick = (int)idx;
	} else if (want && *want) {
		for (i = 0; i < n && pick < 0; i++)
			if (icontains(devs[i].name, want) ||
			    icontains(devs[i].vendor, want) ||
			    icontains(devs[i].platform_name, want))
				pick = i;
		if (pick < 0) {
			ret = mnet_err_set(err, -ENODEV,
					   "no OpenCL device matches \"%s\" (see mnet-devices)",
					   want);
			goto out_free;
		}
	} else {
		for (k = 0; k < sizeof(order) / sizeof(order[0]) && pick < 0; k++)
			for (i = 0; i < n && pick < 0; i++)
				if (devs[i].type & order[k])
					pick = i;
	}
	*out = devs[pick];
	ret = 0;
out_free:
	free(devs);
	return ret;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * mnet-devices - list the OpenCL devices the runtime can use
 *
 * Prints every device of every platform with the properties the runtime
 * looks at (type, vendor, driver, OpenCL C version, compute units,
 * work-group limits, local memory, fp16, images, unified memory), numbered
 * as --device / $MNET_DEVICE count them, and marks the one a session would
 * pick by default.  --json prints the same as a JSON array.
 *
 * Exit status (the tools' convention, docs/tools.md): 0 with at least one
 * device, 1 when there is no OpenCL platform or device (or the build has
 * no OpenCL), 2 on bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnet/mnet.h"
#include "lib/tool_util.h"

#ifdef MNET_HAVE_OPENCL
#include "cl/cl_device.h"
#endif

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mnet-devices [--json] [--help]\n"
		"List the OpenCL devices mobilenet-cl can run on.\n"
		"  --json      print a JSON array instead of text\n"
		"  --version   print the version and exit\n"
		"  --help      this message\n"
		"A session picks $MNET_DEVICE or --device (index or name substring),\n"
		"else the first GPU, accelerator, then CPU device (marked *).\n"
		"Exit status: 0 with a device, 1 with none, 2 for bad usage.\n");
}

#ifdef MNET_HAVE_OPENCL
/* a JSON string literal (device strings are plain ASCII in practice) */
static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void print_text(const struct mnet_cl_device *d, int is_default)
{
	printf("%c%d: %s\n", is_default ? '*' : ' ', d->index, d->name);
	printf("    type:            %s\n", mnet_cl_device_type_name(d->type));
	printf("    vendor:          %s\n", d->vendor);
	printf("    platform:        %s\n", d->platform_name);
	printf("    driver:          %s\n", d->driver);
	printf("    version:         %s\n", d->version);
	printf("    OpenCL C:        %s\n", d->c_version);
	printf("    compute units:   %u\n", d->compute_units);
	printf("    max work-group:  %zu (items %zu x %zu x %zu)\n", d->max_wg,
	       d->max_items[0], d->max_items[1], d->max_items[2]);
	printf("    local memory:    %llu KiB\n",
	       (unsigned long long)(d->local_mem >> 10));
	printf("    global memory:   %llu MiB (largest buffer %llu MiB)\n",
	       (unsigned long long)(d->global_mem >> 20),
	       (unsigned long long)(d->max_alloc >> 20));
	printf("    fp16 (cl_khr_fp16): %s\n", d->fp16 ? "yes" : "no");
	printf("    images:          %s\n", d->image ? "yes" : "no");
	printf("    unified memory:  %s\n", d->unified ? "yes" : "no");
}

static void print_json(const struct mnet_cl_device *d, int is_default,
		       int last)
{
	printf("  {\"index\": %d, \"default\": %s, \"name\": ", d->index,
	       is_default ? "true" : "false");
	json_str(d->name);
	printf(", \"type\": \"%s\", \"vendor\": ",
	       mnet_cl_device_type_name(d->type));
	json_str(d->vendor);
	printf(", \"platform\": ");
	json_str(d->platform_name);
	printf(", \"driver_version\": ");
	json_str(d->driver);
	printf(", \"version\": ");
	json_str(d->version);
	printf(", \"opencl_c_version\": ");
	json_str(d->c_version);
	printf(", \"compute_units\": %u, \"max_work_group_size\": %zu, "
	       "\"max_work_item_sizes\": [%zu, %zu, %zu], "
	       "\"local_mem_bytes\": %llu, \"global_mem_bytes\": %llu, "
	       "\"max_alloc_bytes\": %llu, \"fp16\": %s, \"images\": %s, "
	       "\"unified_memory\": %s}%s\n",
	       d->compute_units, d->max_wg, d->max_items[0], d->max_items[1],
	       d->max_items[2], (unsigned long long)d->local_mem,
	       (unsigned long long)d->global_mem,
	       (unsigned long long)d->max_alloc, d->fp16 ? "true" : "false",
	       d->image ? "true" : "false", d->unified ? "true" : "false",
	       last ? "" : ",");
}

static int list_devices(int json)
{
	struct mnet_err err = { 0 };
	struct mnet_cl_device *devs, pick;
	int n, i, def = -1;

	if (mnet_cl_devices_list(&devs, &n, &err)) {
		fprintf(stderr, "mnet-devices: %s\n", err.msg);
		if (json)
			printf("[]\n");
		return MNET_TOOL_EXIT_FAIL;
	}
	if (!mnet_cl_device_select(NULL, &pick, NULL))
		def = pick.index;
	if (json)
		printf("[\n");
	for (i = 0; i < n; i++) {
		if (json)
			print_json(&devs[i], i == def, i == n - 1);
		else
			print_text(&devs[i], i == def);
	}
	if (json)
		printf("]\n");
	free(devs);
	return 0;
}
#else
static int list_devices(int json)
{
	fprintf(stderr, "mnet-devices: this build has no OpenCL backend\n");
	if (json)
		printf("[]\n");
	return MNET_TOOL_EXIT_FAIL;
}
#endif

int main(int argc, char **argv)
{
	int i, json = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return MNET_TOOL_EXIT_OK;
		} else if (!strcmp(argv[i], "--version") ||
			   !strcmp(argv[i], "-V")) {
			mnet_tool_print_version("mnet-devices");
			return MNET_TOOL_EXIT_OK;
		} else {
			fprintf(stderr, "mnet-devices: unknown argument '%s'\n",
				argv[i]);
			usage(stderr);
			return MNET_TOOL_EXIT_USAGE;
		}
	}
	return list_devices(json);
}

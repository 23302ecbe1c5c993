// SPDX-License-Identifier: Apache-2.0
/*
 * mnet-devices - list the OpenCL devices the runtime can use
 *
 * Prints every device of every platform with the properties the runtime
 * looks at (type, vendor, driver, OpenCL C version, compute units,
 * work-group limits, local memory, fp16, images, unified memory), numbered
 * as --device / $MNET_DEVICE count them, and marks the one a session would
 * pick by default.  --json prints the same as a JSON array.  As clinfo
 * does, also the clock, preferred and native vector widths, image limits,
 * the sub-groups (count, the sizes cl_intel_required_subgroup_size
 * lists, a probe kernel's sub-group size: runtime/cl/cl_subgroups.c;
 * "unknown" or null for what the device does not report) and the
 * extension list, queried here; and how many entries the tuning database
 * holds for the device.
 *
 * Exit status (the tools' convention, docs/tools.md): 0 with at least one
 * device, 1 when there is no OpenCL platform or device (or the build has
 * no OpenCL), 2 on bad usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnet/mnet.h"
#include "lib/tool_util.h"

static const char *prog = "mnet-devices";

#ifdef MNET_HAVE_OPENCL
#include "cl/cl_device.h"
#include "cl/cl_subgroups.h"
#include "tune/cl_tune.h"
#include "tune/tune_db.h"
#endif

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: mnet-devices [OPTIONS]\n"
		"List the OpenCL devices mobilenet-cl can run on.\n"
		"\n"
		"  -j, --json      print a JSON array instead of text\n"
		"  -v, --verbose   on stderr: the platforms, how the default device\n"
		"                  is chosen, the tuning database read, each\n"
		"                  device's tuning key and why a sub-group value\n"
		"                  is unknown\n"
		"  -q, --quiet     no notes on stderr (errors stay)\n"
		"  -V, --version   print the version and exit\n"
		"  -h, --help      this message\n"
		"\n"
		"A session picks $MNET_DEVICE or the tools' -d option (index or name\n"
		"substring), else the first GPU, accelerator, then CPU device\n"
		"(marked *).\n"
		"\n"
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

/* What clinfo shows and struct mnet_cl_device does not carry. */
struct dev_extra {
	cl_uint clock_mhz;
	cl_uint pref_float, pref_half, native_float, native_half;
	size_t image2d_w, image2d_h;
	struct mnet_cl_subgroups sg;
	char ext[8192];
	int tuned;		/* tuning database entries for the device */
};

static cl_uint dev_uint(cl_device_id id, cl_device_info what)
{
	cl_uint v = 0;

	return clGetDeviceInfo(id, what, sizeof(v), &v, NULL) ? 0 : v;
}

static void dev_extra(const struct mnet_cl_device *d,
		      const struct mnet_tune_db *db, struct dev_extra *x)
{
	char key[MNET_TUNE_KEY_LEN];
	int i;

	memset(x, 0, sizeof(*x));
	x->clock_mhz = dev_uint(d->id, CL_DEVICE_MAX_CLOCK_FREQUENCY);
	x->pref_float = dev_uint(d->id, CL_DEVICE_PREFERRED_VECTOR_WIDTH_FLOAT);
	x->pref_half = dev_uint(d->id, CL_DEVICE_PREFERRED_VECTOR_WIDTH_HALF);
	x->native_float = dev_uint(d->id, CL_DEVICE_NATIVE_VECTOR_WIDTH_FLOAT);
	x->native_half = dev_uint(d->id, CL_DEVICE_NATIVE_VECTOR_WIDTH_HALF);
	if (d->image) {
		clGetDeviceInfo(d->id, CL_DEVICE_IMAGE2D_MAX_WIDTH,
				sizeof(x->image2d_w), &x->image2d_w, NULL);
		clGetDeviceInfo(d->id, CL_DEVICE_IMAGE2D_MAX_HEIGHT,
				sizeof(x->image2d_h), &x->image2d_h, NULL);
	}
	if (clGetDeviceInfo(d->id, CL_DEVICE_EXTENSIONS, sizeof(x->ext) - 1,
			    x->ext, NULL))
		x->ext[0] = '\0';
	mnet_cl_subgroups_query(d, &x->sg);
	mnet_cl_tune_device_key(d, key, sizeof(key));
	for (i = 0; db && i < db->n; i++)
		x->tuned += !strcmp(db->e[i].dev_key, key);
}

/* a device's sub-groups: what it reports, "unknown" for what it does not */
static void print_subgroups_text(const struct mnet_cl_subgroups *sg)
{
	int i;

	printf("    subgroups:       ");
	if (sg->max_num == 0)
		printf("none (CL_DEVICE_MAX_NUM_SUB_GROUPS is 0)");
	else if (sg->max_num > 0)
		printf("at most %ld per work-group", sg->max_num);
	else
		printf("count unknown (no CL_DEVICE_MAX_NUM_SUB_GROUPS)");
	printf("; extensions: %s%s%s\n", sg->khr ? "cl_khr_subgroups " : "",
	       sg->intel ? "cl_intel_subgroups" : "",
	       sg->khr || sg->intel ? "" : "none");
	printf("    subgroup sizes:  ");
	if (sg->n_sizes < 0)
		printf("unknown (no cl_intel_required_subgroup_size)");
	for (i = 0; i < sg->n_sizes; i++)
		printf("%s%zu", i ? " " : "", sg->sizes[i]);
	printf("\n    subgroup probe:  ");
	if (sg->probe_size >= 0) {
		printf("size %ld", sg->probe_size);
		if (sg->probe_count >= 0)
			printf(", %ld sub-groups", sg->probe_count);
		printf(" in a work-group of %zu\n", sg->probe_wg);
	} else {
		printf("not known: %s\n", sg->note);
	}
}

static void print_text(const struct mnet_cl_device *d, int is_default,
		       const struct dev_extra *x, const char *db_path)
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
	printf("    max clock:       %u MHz\n", x->clock_mhz);
	printf("    vector widths:   float preferred %u native %u, half preferred %u native %u\n",
	       x->pref_float, x->native_float, x->pref_half, x->native_half);
	if (d->image)
		printf("    image2d max:     %zu x %zu\n", x->image2d_w,
		       x->image2d_h);
	print_subgroups_text(&x->sg);
	printf("    extensions:      %s\n", x->ext[0] ? x->ext : "(none)");
	if (db_path)
		printf("    tuning database: %d entries in %s\n", x->tuned,
		       db_path);
	else
		printf("    tuning database: off (MNET_TUNE_DB is empty)\n");
}

/* "subgroups": {...}; null for what the device does not report */
static void print_subgroups_json(const struct mnet_cl_subgroups *sg)
{
	int i;

	printf("\"subgroups\": {\"supported\": %s, \"cl_khr_subgroups\": %s, "
	       "\"cl_intel_subgroups\": %s, \"max_num_sub_groups\": ",
	       sg->khr || sg->intel || sg->max_num > 0 ? "true" : "false",
	       sg->khr ? "true" : "false", sg->intel ? "true" : "false");
	if (sg->max_num >= 0)
		printf("%ld", sg->max_num);
	else
		printf("null");
	printf(", \"sizes\": ");
	if (sg->n_sizes < 0)
		printf("null");
	for (i = 0; i < sg->n_sizes; i++)
		printf("%s%zu", i ? ", " : "[", sg->sizes[i]);
	if (sg->n_sizes == 0)
		printf("[");
	if (sg->n_sizes >= 0)
		printf("]");
	printf(", \"probe_work_group_size\": %zu, \"probe_sub_group_size\": ",
	       sg->probe_wg);
	if (sg->probe_size >= 0)
		printf("%ld", sg->probe_size);
	else
		printf("null");
	printf(", \"probe_sub_group_count\": ");
	if (sg->probe_count >= 0)
		printf("%ld", sg->probe_count);
	else
		printf("null");
	printf(", \"note\": ");
	json_str(sg->note);
	printf("}");
}

static void print_json(const struct mnet_cl_device *d, int is_default,
		       int last, const struct dev_extra *x)
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
	       "\"unified_memory\": %s, ",
	       d->compute_units, d->max_wg, d->max_items[0], d->max_items[1],
	       d->max_items[2], (unsigned long long)d->local_mem,
	       (unsigned long long)d->global_mem,
	       (unsigned long long)d->max_alloc, d->fp16 ? "true" : "false",
	       d->image ? "true" : "false", d->unified ? "true" : "false");
	printf("\"max_clock_mhz\": %u, \"preferred_vector_width_float\": %u, "
	       "\"native_vector_width_float\": %u, "
	       "\"preferred_vector_width_half\": %u, "
	       "\"native_vector_width_half\": %u, \"image2d_max\": [%zu, %zu], ",
	       x->clock_mhz, x->pref_float, x->native_float, x->pref_half,
	       x->native_half, x->image2d_w, x->image2d_h);
	print_subgroups_json(&x->sg);
	printf(", \"tuning_db_entries\": %d, \"extensions\": ", x->tuned);
	json_str(x->ext);
	printf("}%s\n", last ? "" : ",");
}

/* -v: where the list, the default and the tuning counts come from */
static void print_verbose(const struct mnet_cl_device *devs, int n, int def,
			  const struct mnet_tune_db *db, const char *db_path)
{
	const char *env = getenv("MNET_DEVICE");
	char key[MNET_TUNE_KEY_LEN];
	int i, platforms = 0;

	for (i = 0; i < n; i++)
		platforms += !i || devs[i].platform != devs[i - 1].platform;
	fprintf(stderr, "mnet-devices: %d device(s) on %d platform(s)\n", n,
		platforms);
	if (env && *env)
		fprintf(stderr, "mnet-devices: default (*): $MNET_DEVICE='%s' picks %s\n",
			env, def >= 0 ? devs[def].name : "no device");
	else
		fprintf(stderr, "mnet-devices: default (*): no $MNET_DEVICE, so the first GPU, then accelerator, then CPU device: %s\n",
			def >= 0 ? devs[def].name : "none");
	if (db_path)
		fprintf(stderr, "mnet-devices: tuning database %s: %d entries in all%s\n",
			db_path, db->n,
			access(db_path, R_OK) ? " (no such file yet)" : "");
	else
		fprintf(stderr, "mnet-devices: tuning database off ($MNET_TUNE_DB is empty)\n");
	for (i = 0; i < n; i++) {
		mnet_cl_tune_device_key(&devs[i], key, sizeof(key));
		fprintf(stderr, "mnet-devices: %d: tuning key '%s'\n",
			devs[i].index, key);
	}
}

static int list_devices(int json, int verbose)
{
	struct mnet_err err = { 0 };
	struct mnet_cl_device *devs, pick;
	struct mnet_tune_db db;
	struct dev_extra x;
	char db_path[4096];
	int have_db;
	int n, i, def = -1;

	if (mnet_cl_devices_list(&devs, &n, &err)) {
		fprintf(stderr, "mnet-devices: %s\n", err.msg);
		if (json)
			printf("[]\n");
		return MNET_TOOL_EXIT_FAIL;
	}
	if (!mnet_cl_device_select(NULL, &pick, NULL))
		def = pick.index;
	else if (getenv("MNET_DEVICE") && *getenv("MNET_DEVICE"))
		/* a session would fail: say so rather than mark no device */
		fprintf(stderr, "%s: warning: $MNET_DEVICE='%s' matches no device: a session would fail\n",
			prog, getenv("MNET_DEVICE"));
	mnet_tune_db_init(&db);
	have_db = mnet_tune_db_path(NULL, db_path, sizeof(db_path));
	if (have_db)
		mnet_tune_db_load(&db, db_path, NULL);
	if (verbose > 0)
		print_verbose(devs, n, def, &db, have_db ? db_path : NULL);
	if (json)
		printf("[\n");
	for (i = 0; i < n; i++) {
		dev_extra(&devs[i], &db, &x);
		if (verbose > 0 && x.sg.note[0])
			fprintf(stderr, "mnet-devices: %d: sub-group size unknown: %s\n",
				devs[i].index, x.sg.note);
		if (json)
			print_json(&devs[i], i == def, i == n - 1, &x);
		else
			print_text(&devs[i], i == def, &x,
				   have_db ? db_path : NULL);
	}
	if (json)
		printf("]\n");
	mnet_tune_db_fini(&db);
	free(devs);
	return 0;
}
#else
static int list_devices(int json, int verbose)
{
	fprintf(stderr, "mnet-devices: this build has no OpenCL backend\n");
	if (json)
		printf("[]\n");
	return MNET_TOOL_EXIT_FAIL;
}
#endif

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, json = 0, verbose = 0;

	argv[0] = (char *)prog;		/* getopt's messages: no path */
	while ((c = getopt_long(argc, argv, "jvqhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'v':
		case 'q':
			verbose = c == 'v' ? 1 : -1;	/* the later wins */
			break;
		case 'h':
			usage(stdout);
			return MNET_TOOL_EXIT_OK;
		case 'V':
			mnet_tool_print_version(prog);
			return MNET_TOOL_EXIT_OK;
		default:
			usage(stderr);
			return MNET_TOOL_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s' (try --help)\n",
			prog, argv[optind]);
		return MNET_TOOL_EXIT_USAGE;
	}
	return list_devices(json, verbose);
}

// SPDX-License-Identifier: Apache-2.0
/*
 * cl_program.c - compile a kernel file for one layer, or load it cached
 *
 * DOC: program builds
 *
 * Every layer's program is its kernel file specialised by -D options
 * (shapes, stride, tiles, vector width), so the compiler sees constants
 * and unrolls.  The cache key (cl_cache.c) covers the device, its driver,
 * the exact source text and the options.  A binary the driver refuses
 * (CL_INVALID_BINARY after a driver change it could not see in the
 * version string) is treated as a miss.
 *
 * The binary is what clGetProgramInfo(CL_PROGRAM_BINARIES) returns.  PoCL
 * compiles each kernel again for its work-group size at the first launch
 * and includes that code in the binary only once it exists, so the
 * backend stores its entries after a warm-up run (mnet_cl_program_store());
 * otherwise a cached session would pay that compilation at its first
 * inference, every time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl/cl_cache.h"
#include "cl/cl_error.h"
#include "cl/cl_program.h"
#include "cl/cl_source.h"
#include "support/clock.h"
#include "model/model.h"

static char *make_key(const struct mnet_cl_device *dev, const char *src,
		      const char *options)
{
	unsigned long long h = mnet_hash64(MNET_HASH64_INIT, src, strlen(src));
	size_t n = strlen(dev->name) + strlen(dev->vendor) +
		   strlen(dev->driver) + strlen(options) + 64;
	char *key = malloc(n);

	if (key)
		snprintf(key, n, "%s\n%s\n%s\n%016llx:%zu\n%s", dev->name,
			 dev->vendor, dev->driver, h, strlen(src), options);
	return key;
}

static int from_binary(cl_context ctx, const struct mnet_cl_device *dev,
		       const unsigned char *bin, size_t len,
		       const char *options, cl_program *out)
{
	cl_int rc, st = CL_SUCCESS;
	cl_program p;

	p = clCreateProgramWithBinary(ctx, 1, &dev->id, &len, &bin, &st, &rc);
	if (rc || st)
		return -ENOEXEC;
	rc = clBuildProgram(p, 1, &dev->id, options, NULL, NULL);
	if (rc) {
		clReleaseProgram(p);
		return -ENOEXEC;
	}
	*out = p;
	return 0;
}

static void build_log(cl_program p, const struct mnet_cl_device *dev,
		      const char *file, const char *options,
		      struct mnet_err *err)
{
	char log[320];
	size_t n = 0;

	log[0] = '\0';
	clGetProgramBuildInfo(p, dev->id, CL_PROGRAM_BUILD_LOG, sizeof(log),
			      log, &n);
	log[sizeof(log) - 1] = '\0';
	mnet_err_set(err, -ENOEXEC, "%s [%s]: build failed: %s", file,
		     options, log);
}

static void cache_store(cl_program p, const char *cache_dir,
			const char *key)
{
	size_t len = 0;
	unsigned char *bin;

	if (clGetProgramInfo(p, CL_PROGRAM_BINARY_SIZES, sizeof(len), &len,
			     NULL) || !len)
		return;
	bin = malloc(len);
	if (!bin)
		return;
	if (!clGetProgramInfo(p, CL_PROGRAM_BINARIES, sizeof(bin), &bin, NULL))
		mnet_cl_cache_store(cache_dir, key, bin, len);
	free(bin);
}

int mnet_cl_program_build(cl_context ctx, const struct mnet_cl_device *dev,
			  const char *file, const char *options,
			  const char *cache_dir, int store,
			  struct mnet_cl_build_stats *stats, cl_program *out,
			  struct mnet_err *err)
{
	double t0 = mnet_now_ms();
	unsigned char *bin = NULL;
	const char *srcp;
	char *src, *key = NULL;
	size_t blen;
	cl_program p;
	cl_int rc;
	int ret;

	ret = mnet_cl_source_get(file, &src, err);
	if (ret)
		return ret;
	if (cache_dir) {
		key = make_key(dev, src, options);
		if (!key) {
			ret = mnet_err_set(err, -ENOMEM, "out of memory");
			goto out_free_src;
		}
		if (!mnet_cl_cache_load(cache_dir, key, &bin, &blen)) {
			ret = from_binary(ctx, dev, bin, blen, options, out);
			free(bin);
			if (!ret) {
				if (stats)
					stats->cached++;
				goto out_done;
			}
		}
	}
	srcp = src;
	p = clCreateProgramWithSource(ctx, 1, &srcp, NULL, &rc);
	if (rc) {
		ret = mnet_cl_check(err, rc, "clCreateProgramWithSource");
		goto out_free_key;
	}
	rc = clBuildProgram(p, 1, &dev->id, options, NULL, NULL);
	if (rc) {
		if (rc == CL_BUILD_PROGRAM_FAILURE)
			build_log(p, dev, file, options, err);
		else
			mnet_cl_check(err, rc, "clBuildProgram");
		ret = mnet_cl_errno(rc);
		clReleaseProgram(p);
		goto out_free_key;
	}
	if (cache_dir && store)
		cache_store(p, cache_dir, key);
	if (stats)
		stats->built++;
	*out = p;
out_done:
	ret = 0;
	if (stats)
		stats->ms += mnet_now_ms() - t0;
out_free_key:
	free(key);
out_free_src:
	free(src);
	return ret;
}

void mnet_cl_program_store(cl_program p, const struct mnet_cl_device *dev,
			   const char *file, const char *options,
			   const char *cache_dir)
{
	char *src, *key;

	if (mnet_cl_source_get(file, &src, NULL))
		return;
	key = make_key(dev, src, options);
	if (key)
		cache_store(p, cache_dir, key);
	free(key);
	free(src);
}

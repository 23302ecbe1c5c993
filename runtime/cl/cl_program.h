/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cl_program.h - build OpenCL programs, through the on-disk cache
 */
#ifndef MNET_RUNTIME_CL_PROGRAM_H
#define MNET_RUNTIME_CL_PROGRAM_H

#include <CL/cl.h>

#include "cl/cl_device.h"

/**
 * struct mnet_cl_build_stats - where session set-up time went
 * @built: programs compiled from source
 * @cached: programs loaded from the cache
 * @ms: milliseconds spent building or loading programs
 */
struct mnet_cl_build_stats {
	int built;
	int cached;
	double ms;
};

/**
 * mnet_cl_program_build() - build one kernel file with options
 * @ctx: context
 * @dev: the device to build for
 * @file: kernel file base name ("pwconv.cl")
 * @options: build options (macros of this layer)
 * @cache_dir: program cache folder, or NULL for no cache
 * @store: write the cache entry right after a build from source; 0 when
 *         the caller will call mnet_cl_program_store() later (after a
 *         warm-up run, so drivers that compile per work-group size at the
 *         first launch, as PoCL does, put that code in the binary too)
 * @stats: optional; counts builds and cache hits, adds the time
 * @out: receives the built program
 * @err: optional error report (the build log on a compile error)
 *
 * A cached binary is tried first; if it is missing, damaged or rejected
 * by the driver the program is built from source.
 *
 * Return: 0, -ENOEXEC (the program does not compile), -ENOMEM, -EIO.
 */
int mnet_cl_program_build(cl_context ctx, const struct mnet_cl_device *dev,
			  const char *file, const char *options,
			  const char *cache_dir, int store,
			  struct mnet_cl_build_stats *stats, cl_program *out,
			  struct mnet_err *err);

/**
 * mnet_cl_program_store() - write a built program's cache entry
 * @p: the program
 * @dev: its device
 * @file: kernel file base name it was built from
 * @options: its build options
 * @cache_dir: program cache folder
 *
 * Failures are ignored: the cache is an optimisation.
 */
void mnet_cl_program_store(cl_program p, const struct mnet_cl_device *dev,
			   const char *file, const char *options,
			   const char *cache_dir);

#endif /* MNET_RUNTIME_CL_PROGRAM_H */

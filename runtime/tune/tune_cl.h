/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tune_cl.h - the OpenCL objects one tuning run works with, shared by the
 * tuner's units (tuner.c: the search; tuner_bench.c: buffers and the
 * reference check; tuner_measure.c: launches and timing)
 */
#ifndef MNET_RUNTIME_TUNE_CL_H
#define MNET_RUNTIME_TUNE_CL_H

#include <CL/cl.h>

#include "cl/cl_device.h"
#include "opencl/cl_precision.h"

/**
 * struct mnet_tune_cl - device, context and limits of a tuning run
 * @dev: the device
 * @ctx: its context
 * @q: an in-order queue with CL_QUEUE_PROFILING_ENABLE
 * @prec: the resolved precision
 * @cache_dir: program cache folder
 * @use_cache: 0 when caching is off
 * @sample_cap: at most this many timed launches per candidate
 * @cand_cap_ms: and at most this long per candidate
 */
struct mnet_tune_cl {
	struct mnet_cl_device dev;
	cl_context ctx;
	cl_command_queue q;
	const struct mnet_cl_precision *prec;
	char cache_dir[4096];
	int use_cache;
	int sample_cap;
	double cand_cap_ms;
};

#endif /* MNET_RUNTIME_TUNE_CL_H */
